/* gallery.c: a product's images (see gallery.h). */
#include "core/common.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "platform/image.h"
#include "platform/quota.h"
#include "shop/catalog.h"
#include "shop/gallery.h"
#include "shop/media.h"
#include "shop/shop.h"

#include <json-c/json.h>

enum {
	ST_LIST,
	ST_PRODUCT_LOCK,
	ST_COUNT,
	ST_INSERT,
	ST_SYNC_MAIN,
	ST_IDS,
	ST_SET_POSITION,
	ST_FILES_OF,
	ST_DELETE,
	ST_SET_ALT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	/* LIMIT: GALLERY_MAX, spelled out (a string literal). */
	[ST_LIST] = { "gallery.list",
	    "SELECT id, path, card_path, page_path, width, height, alt,"
	    " source_url FROM {p}images WHERE product_id = ?"
	    " ORDER BY position, id LIMIT " "20" },
	[ST_PRODUCT_LOCK] = { "gallery.product_lock",
	    "SELECT id FROM {p}products WHERE id = ? FOR UPDATE" },
	[ST_COUNT] = { "gallery.count",
	    "SELECT COUNT(*) FROM {p}images WHERE product_id = ?" },
	[ST_INSERT] = { "gallery.insert",
	    "INSERT INTO {p}images (product_id, path, card_path, page_path,"
	    " width, height, bytes, sha256, source_url, position)"
	    " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " COALESCE(MAX(position), -1) + 1"
	    " FROM {p}images WHERE product_id = ?" },
	/* Images from before the copies existed have no card_path: their
	 * original stands in. */
	[ST_SYNC_MAIN] = { "gallery.sync_main",
	    "UPDATE {p}products SET image = COALESCE((SELECT"
	    " COALESCE(NULLIF(card_path, ''), path) FROM {p}images"
	    " WHERE product_id = ? ORDER BY position, id LIMIT 1), '')"
	    " WHERE id = ?" },
	[ST_IDS] = { "gallery.ids",
	    "SELECT id FROM {p}images WHERE product_id = ?"
	    " ORDER BY position, id FOR UPDATE" },
	[ST_SET_POSITION] = { "gallery.set_position",
	    "UPDATE {p}images SET position = ? WHERE id = ?" },
	[ST_FILES_OF] = { "gallery.files_of",
	    "SELECT path, card_path, page_path FROM {p}images"
	    " WHERE id = ? AND product_id = ? FOR UPDATE" },
	[ST_DELETE] = { "gallery.delete",
	    "DELETE FROM {p}images WHERE id = ? AND product_id = ?" },
	[ST_SET_ALT] = { "gallery.set_alt",
	    "UPDATE {p}images SET alt = ? WHERE id = ? AND product_id = ?" },
};

struct str
gallery_alt_of(struct arena *a, struct str alt_json, const char *locale)
{
	json_object	*o, *v;
	struct str	 r = STR("");

	if (alt_json.len == 0 || (o = json_tokener_parse(alt_json.p)) == NULL)
		return r;
	if (json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, locale, &v) &&
	    json_object_is_type(v, json_type_string))
		r = arena_str(a, (struct str){ json_object_get_string(v),
		    (size_t)json_object_get_string_len(v) });
	json_object_put(o);
	return r;
}

int
gallery_list(struct shop_ctx *ctx, int64_t product_id,
    struct gallery_image **out, size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = shop_stmt(ctx, &sql[ST_LIST])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct gallery_image *g;

		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		g = &(*out)[(*n)++];
		g->id = db_col_i64(st, 0);
		g->path = db_col_str(st, 1);
		g->card_path = db_col_str(st, 2);
		g->page_path = db_col_str(st, 3);
		/* Before the copies: the original stands in for both. */
		if (g->card_path.len == 0)
			g->card_path = g->path;
		if (g->page_path.len == 0)
			g->page_path = g->path;
		g->width = (int)db_col_i64(st, 4);
		g->height = (int)db_col_i64(st, 5);
		g->alt_json = db_col_str(st, 6);
		g->source_url = db_col_str(st, 7);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (size_t i = 0; i < *n; i++) {
		struct gallery_image *g = &(*out)[i];

		g->alt = gallery_alt_of(ctx->a, g->alt_json, ctx->locale);
		if (g->alt.len == 0 && ctx->default_locale != NULL)
			g->alt = gallery_alt_of(ctx->a, g->alt_json,
			    ctx->default_locale);
	}
	return SHOP_OK;
}

static int
sync_main(struct shop_ctx *ctx, int64_t product_id)
{
	struct db_stmt *st;

	if ((st = shop_stmt(ctx, &sql[ST_SYNC_MAIN])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	db_bind_i64(st, 1, product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

static int
lock_product(struct shop_ctx *ctx, int64_t product_id)
{
	int rc = shop_row_exists(ctx, &sql[ST_PRODUCT_LOCK], product_id);

	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* --- add ---------------------------------------------------------------- */

struct add {
	int64_t		 product_id;
	char		 path[IMAGE_COPY__MAX + 1][128];	/* orig, card, page */
	int		 width, height;
	int64_t		 bytes;
	unsigned char	 sha[32];
	struct str	 source_url;	/* "" for an upload */
	int64_t		 id;
	int		 full;
};

static int
add_tx(struct shop_ctx *ctx, void *arg)
{
	struct add	*ad = arg;
	struct db_stmt	*st;
	int64_t		 n = 0;
	int		 rc;

	ad->full = 0;
	/* The plan's storage, first (quota.h). */
	if ((rc = quota_check(ctx->db, ctx->tenant, PLAN_MEDIA_BYTES,
	    ad->bytes)) != QUOTA_OK)
		return rc == QUOTA_EXCEEDED ? SHOP_EQUOTA : SHOP_EDB;
	if ((rc = lock_product(ctx, ad->product_id)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_COUNT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ad->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	if (n >= GALLERY_MAX) {
		ad->full = 1;
		return SHOP_EINVAL;
	}
	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ad->product_id);
	db_bind_cstr(st, 1, ad->path[0]);
	db_bind_cstr(st, 2, ad->path[1 + IMAGE_COPY_CARD]);
	db_bind_cstr(st, 3, ad->path[1 + IMAGE_COPY_PAGE]);
	db_bind_i64(st, 4, ad->width);
	db_bind_i64(st, 5, ad->height);
	db_bind_i64(st, 6, ad->bytes);
	db_bind_blob(st, 7, ad->sha, sizeof(ad->sha));
	db_bind_str(st, 8, ad->source_url);
	db_bind_i64(st, 9, ad->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	ad->id = (int64_t)db_insert_id(st);
	db_done(st);
	return sync_main(ctx, ad->product_id);
}

static void
remove_files(struct add *ad)
{
	for (size_t i = 0; i < IMAGE_COPY__MAX + 1; i++)
		if (ad->path[i][0] != '\0')
			media_remove(ad->path[i]);
}

int
gallery_add(struct shop_ctx *ctx, int64_t product_id, struct str data,
    int *image_err, int64_t *id_out)
{
	return gallery_add_from(ctx, product_id, data, STR(""), image_err,
	    id_out);
}

int
gallery_add_from(struct shop_ctx *ctx, int64_t product_id, struct str data,
    struct str source_url, int *image_err, int64_t *id_out)
{
	struct image_info	 info;
	struct add		 ad;
	struct strbuf		 copy = STRBUF_INIT;
	int			 rc, k, w, h;

	*image_err = IMAGE_OK;
	if ((rc = image_probe(data, &info)) != IMAGE_OK) {
		*image_err = rc;
		return SHOP_EINVAL;
	}
	memset(&ad, 0, sizeof(ad));
	ad.product_id = product_id;
	ad.source_url = source_url;
	ad.bytes = (int64_t)data.len;
	crypto_sha256(ad.sha, data.p, data.len);
	if (media_save_as(ctx->tenant, data, info.type, ad.path[0],
	    sizeof(ad.path[0])) != 0)
		return SHOP_EDB;
	/* The copies are made once, here, never when a page is served;
	 * one heap buffer (a copy is up to a few hundred KB: not for the
	 * arena) reused for both. */
	for (k = 0; k < IMAGE_COPY__MAX; k++) {
		strbuf_reset(&copy);
		if (image_copy(data, (enum image_copy)k, &copy, &w, &h) !=
		    IMAGE_OK) {
			*image_err = IMAGE_ECORRUPT;
			rc = SHOP_EINVAL;
			goto fail;
		}
		if (media_save_as(ctx->tenant, strbuf_str(&copy), "webp",
		    ad.path[1 + k], sizeof(ad.path[1 + k])) != 0) {
			rc = SHOP_EDB;
			goto fail;
		}
		if (k == IMAGE_COPY_PAGE) {
			ad.width = w;
			ad.height = h;
		}
	}
	strbuf_release(&copy);
	if ((rc = shop_tx(ctx, add_tx, &ad)) != SHOP_OK) {
		if (ad.full)
			*image_err = GALLERY_EFULL;
		remove_files(&ad);
		return rc;
	}
	catalog_changed(ctx);
	if (id_out != NULL)
		*id_out = ad.id;
	return SHOP_OK;
fail:
	strbuf_release(&copy);
	remove_files(&ad);
	return rc;
}

/* --- move, delete, alt -------------------------------------------------- */

struct move {
	int64_t		 product_id, image_id;
	int		 delta;
};

static int
move_tx(struct shop_ctx *ctx, void *arg)
{
	struct move	*mv = arg;
	struct db_stmt	*st;
	int64_t		 ids[GALLERY_MAX * 2];
	size_t		 n = 0, i, at = SIZE_MAX;
	int		 rc;

	if ((rc = lock_product(ctx, mv->product_id)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_IDS])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, mv->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1)
		if (n < sizeof(ids) / sizeof(ids[0]))
			ids[n++] = db_col_i64(st, 0);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < n; i++)
		if (ids[i] == mv->image_id)
			at = i;
	if (at == SIZE_MAX)
		return SHOP_ENOTFOUND;
	if ((mv->delta < 0 && at == 0) || (mv->delta > 0 && at + 1 == n))
		return SHOP_OK;
	i = mv->delta < 0 ? at - 1 : at + 1;
	ids[at] = ids[i];
	ids[i] = mv->image_id;
	/* Renumbered 0..n-1: positions of older rows may repeat. */
	for (i = 0; i < n; i++) {
		if ((st = shop_stmt(ctx, &sql[ST_SET_POSITION])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, (int64_t)i);
		db_bind_i64(st, 1, ids[i]);
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		db_done(st);
	}
	return sync_main(ctx, mv->product_id);
}

int
gallery_move(struct shop_ctx *ctx, int64_t product_id, int64_t image_id,
    int delta)
{
	struct move	mv = { product_id, image_id, delta };
	int		rc;

	if ((rc = shop_tx(ctx, move_tx, &mv)) == SHOP_OK)
		catalog_changed(ctx);
	return rc;
}

struct del {
	int64_t		 product_id, image_id;
	struct str	 files[3];
};

static int
delete_tx(struct shop_ctx *ctx, void *arg)
{
	struct del	*d = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((rc = lock_product(ctx, d->product_id)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_FILES_OF])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, d->image_id);
	db_bind_i64(st, 1, d->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		for (int i = 0; i < 3; i++)
			d->files[i] = arena_str(ctx->a, db_col_str(st, i));
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_DELETE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, d->image_id);
	db_bind_i64(st, 1, d->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return sync_main(ctx, d->product_id);
}

/* The files of one image: a row from before the copies names its
 * original three times. */
static void
remove_three(struct str orig, struct str card, struct str page)
{
	if (orig.len != 0)
		media_remove(orig.p);
	if (card.len != 0 && !str_eq(card, orig))
		media_remove(card.p);
	if (page.len != 0 && !str_eq(page, orig))
		media_remove(page.p);
}

void
gallery_remove_files(const struct gallery_image *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		remove_three(v[i].path, v[i].card_path, v[i].page_path);
}

int
gallery_delete(struct shop_ctx *ctx, int64_t product_id, int64_t image_id)
{
	struct del	d;
	int		rc;

	memset(&d, 0, sizeof(d));
	d.product_id = product_id;
	d.image_id = image_id;
	if ((rc = shop_tx(ctx, delete_tx, &d)) != SHOP_OK)
		return rc;
	catalog_changed(ctx);
	/* After the commit: a rolled-back delete keeps its files. */
	remove_three(d.files[0], d.files[1], d.files[2]);
	return SHOP_OK;
}

struct set_alt {
	int64_t		 product_id, image_id;
	const char	*text;
};

static int
set_alt_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_alt	*sa = arg;
	struct db_stmt	*st;
	int		 rc;

	/* Exists first: an UPDATE that changes nothing affects no row. */
	if ((st = shop_stmt(ctx, &sql[ST_FILES_OF])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, sa->image_id);
	db_bind_i64(st, 1, sa->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_SET_ALT])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, sa->text);
	db_bind_i64(st, 1, sa->image_id);
	db_bind_i64(st, 2, sa->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

int
gallery_set_alt(struct shop_ctx *ctx, int64_t product_id, int64_t image_id,
    const struct gallery_alt *alts, size_t n)
{
	json_object	*o = json_object_new_object();
	struct set_alt	 sa = { product_id, image_id, NULL };
	int		 rc = SHOP_EINVAL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (alts[i].text.len == 0)
			continue;
		if (alts[i].text.len > GALLERY_ALT_MAX ||
		    !str_valid_text(alts[i].text))
			goto out;
		json_object_object_add(o, alts[i].locale,
		    json_object_new_string_len(alts[i].text.p,
		    (int)alts[i].text.len));
	}
	sa.text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if ((rc = shop_tx(ctx, set_alt_tx, &sa)) == SHOP_OK)
		catalog_changed(ctx);
out:
	json_object_put(o);
	return rc;
}
