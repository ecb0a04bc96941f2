/*
 * rma.c: returns (rma.h). The changes are the table below and nothing
 * else: the checks read it, the admin's buttons too.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/jobs.h"
#include "shop/notify.h"
#include "shop/refund.h"
#include "shop/refund_issue.h"
#include "shop/rma.h"
#include "shop/settings.h"
#include "shop/shop.h"

#define BY(a)		(1u << (a))
#define STAFF		(BY(ORDER_BY_STAFF) | BY(ORDER_BY_SYSTEM))
#define ANYONE		(STAFF | BY(ORDER_BY_SHOPPER))

static const struct transition {
	enum rma_status		 from, to;
	unsigned		 who;
	const char		*job;	/* the shopper's mail; NULL none */
} transitions[] = {
	{ RMA_REQUESTED, RMA_APPROVED, STAFF, NOTIFY_RETURN_APPROVED },
	{ RMA_REQUESTED, RMA_REFUSED, STAFF, NOTIFY_RETURN_REFUSED },
	{ RMA_REQUESTED, RMA_CANCELLED, ANYONE, NULL },
	{ RMA_APPROVED, RMA_RECEIVED, STAFF, NOTIFY_RETURN_RECEIVED },
	{ RMA_APPROVED, RMA_CANCELLED, STAFF, NULL },
	/* The refund's mail is refund.c's (shop.order_refunded). */
	{ RMA_APPROVED, RMA_REFUNDED, STAFF, NULL },
	{ RMA_RECEIVED, RMA_REFUNDED, STAFF, NULL },
};

static const char *const status_names[RMA__MAX] = {
	[RMA_REQUESTED] = "requested",
	[RMA_APPROVED] = "approved",
	[RMA_REFUSED] = "refused",
	[RMA_RECEIVED] = "received",
	[RMA_REFUNDED] = "refunded",
	[RMA_CANCELLED] = "cancelled",
};

static const char *const status_labels[RMA__MAX] = {
	[RMA_REQUESTED] = N_("Requested"),
	[RMA_APPROVED] = N_("Approved"),
	[RMA_REFUSED] = N_("Refused"),
	[RMA_RECEIVED] = N_("Received"),
	[RMA_REFUNDED] = N_("Refunded"),
	[RMA_CANCELLED] = N_("Cancelled"),
};

static const char *const reason_names[RMA_REASON__MAX] = {
	[RMA_DAMAGED] = "damaged",
	[RMA_WRONG_ITEM] = "wrong_item",
	[RMA_NOT_AS_DESCRIBED] = "not_as_described",
	[RMA_UNWANTED] = "unwanted",
	[RMA_OTHER] = "other",
};

static const char *const reason_labels[RMA_REASON__MAX] = {
	[RMA_DAMAGED] = N_("Arrived damaged or faulty"),
	[RMA_WRONG_ITEM] = N_("Wrong item sent"),
	[RMA_NOT_AS_DESCRIBED] = N_("Not as described"),
	[RMA_UNWANTED] = N_("No longer needed"),
	[RMA_OTHER] = N_("Other reason"),
};

static const char *const actor_names[] = {
	[ORDER_BY_SHOPPER] = "shopper",
	[ORDER_BY_STAFF] = "staff",
	[ORDER_BY_SYSTEM] = "system",
};

enum stmt {
	ST_OPEN_QTY,
	ST_WINDOW,
	ST_INSERT,
	ST_INSERT_LINE,
	ST_GET,
	ST_GET_LOCK,
	ST_LINES_OF,
	ST_OF_ORDER,
	ST_LINES_OF_ORDER,
	ST_LIST,
	ST_LIST_STATUS,
	ST_COUNT,
	ST_SET,
	ST_SET_REFUNDED,
	ST_CLAIM,
	ST_EVENT,
	ST__MAX
};

#define RMA_COLS \
	"r.id, r.order_id, o.number, COALESCE(r.customer_id, 0), r.status," \
	" r.reason, r.note, r.merchant_note, r.restock," \
	" COALESCE(r.refund_id, 0), r.locale," \
	" DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(r.updated_at, '%Y-%m-%d %H:%i:%s'), o.email," \
	" r.refunding" \
	" FROM {p}returns r JOIN {p}orders o ON o.id = r.order_id"

#define LINE_COLS \
	"rl.return_id, rl.order_line_id, rl.qty, ol.name, ol.variant, ol.sku," \
	" ol.product_id, ol.variant_id FROM {p}return_lines rl" \
	" JOIN {p}order_lines ol ON ol.id = rl.order_line_id"

static const struct shop_sql sql[ST__MAX] = {
	/* A refunded return's units are its refund's (refund_qty_done()). */
	[ST_OPEN_QTY] = { "rma.open_qty",
	    "SELECT rl.order_line_id, SUM(rl.qty) FROM {p}return_lines rl"
	    " JOIN {p}returns r ON r.id = rl.return_id WHERE r.order_id = ?"
	    " AND r.status IN ('requested', 'approved', 'received')"
	    " GROUP BY rl.order_line_id" },
	/* From its shipping; an order completed without being shipped from
	 * its completion, else from when it was placed. */
	[ST_WINDOW] = { "rma.window",
	    "SELECT COALESCE(o.shipped_at, (SELECT MAX(e.at) FROM"
	    " {p}order_events e WHERE e.order_id = o.id AND e.kind = 'status'"
	    " AND e.to_status = 'completed'), o.created_at)"
	    " >= UTC_TIMESTAMP() - INTERVAL ? DAY FROM {p}orders o"
	    " WHERE o.id = ?" },
	[ST_INSERT] = { "rma.insert",
	    "INSERT INTO {p}returns (order_id, customer_id, status, reason,"
	    " note, locale, created_at, updated_at) VALUES (?, ?,"
	    " 'requested', ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())" },
	[ST_INSERT_LINE] = { "rma.insert_line",
	    "INSERT INTO {p}return_lines (return_id, order_line_id, qty)"
	    " VALUES (?, ?, ?)" },
	[ST_GET] = { "rma.get", "SELECT " RMA_COLS " WHERE r.id = ?" },
	[ST_GET_LOCK] = { "rma.get_lock",
	    "SELECT " RMA_COLS " WHERE r.id = ? FOR UPDATE" },
	[ST_LINES_OF] = { "rma.lines_of",
	    "SELECT " LINE_COLS " WHERE rl.return_id = ? ORDER BY ol.id"
	    " LIMIT 1000" },
	[ST_OF_ORDER] = { "rma.of_order",
	    "SELECT " RMA_COLS " WHERE r.order_id = ? ORDER BY r.id"
	    " LIMIT 100" },
	[ST_LINES_OF_ORDER] = { "rma.lines_of_order",
	    "SELECT " LINE_COLS " WHERE ol.order_id = ?"
	    " ORDER BY rl.return_id, ol.id LIMIT 5000" },
	[ST_LIST] = { "rma.list",
	    "SELECT " RMA_COLS " WHERE r.id < ? ORDER BY r.id DESC LIMIT ?" },
	[ST_LIST_STATUS] = { "rma.list_status",
	    "SELECT " RMA_COLS " WHERE r.id < ? AND r.status = ?"
	    " ORDER BY r.id DESC LIMIT ?" },
	[ST_COUNT] = { "rma.count",
	    "SELECT COUNT(*) FROM {p}returns WHERE status = 'requested'" },
	[ST_SET] = { "rma.set",
	    "UPDATE {p}returns SET status = ?, updated_at = UTC_TIMESTAMP(),"
	    " merchant_note = IF(? = '', merchant_note, ?),"
	    " restock = restock OR ? WHERE id = ?" },
	[ST_SET_REFUNDED] = { "rma.set_refunded",
	    "UPDATE {p}returns SET status = 'refunded', refund_id = ?,"
	    " refunding = 0, updated_at = UTC_TIMESTAMP() WHERE id = ?" },
	[ST_CLAIM] = { "rma.claim",
	    "UPDATE {p}returns SET refunding = ? WHERE id = ?" },
	[ST_EVENT] = { "rma.event",
	    "INSERT INTO {p}order_events (order_id, at, actor, staff_id,"
	    " actor_email, kind, from_status, to_status, note)"
	    " VALUES (?, UTC_TIMESTAMP(), ?, ?, ?, 'private_note', '', '',"
	    " ?)" },
};

/* ---- names */

const char *
rma_status_name(enum rma_status s)
{
	return (unsigned)s < RMA__MAX ? status_names[s] : "";
}

const char *
rma_status_label(enum rma_status s)
{
	return (unsigned)s < RMA__MAX ? status_labels[s] : "";
}

int
rma_status_parse(struct str s, enum rma_status *out)
{
	size_t i;

	for (i = 0; i < RMA__MAX; i++)
		if (str_eqc(s, status_names[i])) {
			*out = (enum rma_status)i;
			return 0;
		}
	return -1;
}

const char *
rma_reason_name(enum rma_reason r)
{
	return (unsigned)r < RMA_REASON__MAX ? reason_names[r] : "";
}

const char *
rma_reason_label(enum rma_reason r)
{
	return (unsigned)r < RMA_REASON__MAX ? reason_labels[r] : "";
}

int
rma_reason_parse(struct str s, enum rma_reason *out)
{
	size_t i;

	for (i = 0; i < RMA_REASON__MAX; i++)
		if (str_eqc(s, reason_names[i])) {
			*out = (enum rma_reason)i;
			return 0;
		}
	return -1;
}

static const struct transition *
find(enum rma_status from, enum rma_status to)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].from == from && transitions[i].to == to)
			return &transitions[i];
	return NULL;
}

int
rma_allowed(enum rma_status from, enum rma_status to, enum order_actor who)
{
	const struct transition *t = find(from, to);

	return t != NULL && (unsigned)who < NELEM(actor_names) &&
	    (t->who & BY(who)) != 0;
}

/* ---- reading */

static void
read_rma(struct db_stmt *st, struct rma *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_i64(st, 0);
	r->order_id = db_col_i64(st, 1);
	r->order_number = db_col_i64(st, 2);
	r->customer_id = db_col_i64(st, 3);
	if (rma_status_parse(db_col_str(st, 4), &r->status) == -1)
		r->status = RMA_CANCELLED;
	if (rma_reason_parse(db_col_str(st, 5), &r->reason) == -1)
		r->reason = RMA_OTHER;
	r->note = db_col_str(st, 6);
	r->merchant_note = db_col_str(st, 7);
	r->restock = db_col_i64(st, 8) != 0;
	r->refund_id = db_col_i64(st, 9);
	r->locale = db_col_str(st, 10);
	r->created_at = db_col_str(st, 11);
	r->updated_at = db_col_str(st, 12);
	r->email = db_col_str(st, 13);
	r->refunding = db_col_i64(st, 14) != 0;
}

/* A line read with LINE_COLS; its product and variant ride in the
 * struct's hidden ends (only received needs them: stock_back()). */
struct line_row {
	int64_t		 return_id;
	struct rma_line	 l;
	int64_t		 product_id, variant_id;
};

static int
read_lines(struct shop_ctx *ctx, enum stmt q, int64_t id,
    struct line_row **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	struct line_row	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct line_row *x;

		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		x = &v[(*n)++];
		x->return_id = db_col_i64(st, 0);
		x->l.order_line_id = db_col_i64(st, 1);
		x->l.qty = db_col_i64(st, 2);
		x->l.name = db_col_str(st, 3);
		x->l.variant = db_col_str(st, 4);
		x->l.sku = db_col_str(st, 5);
		x->product_id = db_col_i64(st, 6);
		x->variant_id = db_col_i64(st, 7);
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* Gives each of v[0..n) its lines of rows (ordered by return id). */
static void
attach(struct shop_ctx *ctx, struct rma *v, size_t n,
    const struct line_row *rows, size_t nrows)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		for (j = k = 0; j < nrows; j++)
			k += rows[j].return_id == v[i].id;
		v[i].lines = arena_calloc(ctx->a, k + 1, sizeof(struct
		    rma_line));
		for (j = 0; j < nrows; j++)
			if (rows[j].return_id == v[i].id)
				v[i].lines[v[i].nlines++] = rows[j].l;
	}
}

static int
get(struct shop_ctx *ctx, int64_t id, int lock, struct rma *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[lock ? ST_GET_LOCK :
			    ST_GET]);
	struct line_row	*rows;
	size_t		 nrows;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_rma(st, out);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((rc = read_lines(ctx, ST_LINES_OF, id, &rows, &nrows)) != SHOP_OK)
		return rc;
	attach(ctx, out, 1, rows, nrows);
	return SHOP_OK;
}

int
rma_get(struct shop_ctx *ctx, int64_t id, struct rma *out)
{
	if (id <= 0)
		return SHOP_ENOTFOUND;
	return get(ctx, id, 0, out);
}

/* Rows of a list statement already executed into *v. */
static int
read_list(struct shop_ctx *ctx, struct db_stmt *st, struct rma **v,
    size_t *n)
{
	size_t	cap = 0;
	int	rc;

	*v = NULL;
	*n = 0;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		*v = shop_grow(ctx->a, *v, sizeof(**v), *n, &cap);
		read_rma(st, &(*v)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
rma_of_order(struct shop_ctx *ctx, int64_t order_id, struct rma **v,
    size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_OF_ORDER]);
	struct line_row	*rows;
	size_t		 nrows;
	int		 rc;

	*v = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = read_list(ctx, st, v, n)) != SHOP_OK || *n == 0)
		return rc;
	if ((rc = read_lines(ctx, ST_LINES_OF_ORDER, order_id, &rows,
	    &nrows)) != SHOP_OK)
		return rc;
	attach(ctx, *v, *n, rows, nrows);
	return SHOP_OK;
}

int
rma_list(struct shop_ctx *ctx, int status, int64_t before, struct rma **v,
    size_t *n, int64_t *next)
{
	int		 by = status >= 0 && status < RMA__MAX;
	struct db_stmt	*st = shop_stmt(ctx, &sql[by ? ST_LIST_STATUS :
			    ST_LIST]);
	unsigned	 i = 0;
	int		 rc;

	*v = NULL;
	*n = 0;
	*next = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, i++, before > 0 ? before : INT64_MAX);
	if (by)
		db_bind_cstr(st, i++, status_names[status]);
	/* One more than a page: whether there is a next one. */
	db_bind_i64(st, i, RMA_LIST_PAGE + 1);
	if ((rc = read_list(ctx, st, v, n)) != SHOP_OK)
		return rc;
	if (*n > RMA_LIST_PAGE) {
		*n = RMA_LIST_PAGE;
		*next = (*v)[*n - 1].id;
	}
	return SHOP_OK;
}

int64_t
rma_count_requested(struct shop_ctx *ctx)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUNT]);
	int64_t		 n = -1;

	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return -1;
	if (db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

/* ---- what may be returned */

/* Units of each of o's lines on open returns, added into left[]
 * negatively. */
static int
open_qty(struct shop_ctx *ctx, const struct order *o, int64_t *left)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_OPEN_QTY]);
	size_t		 i;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		int64_t id = db_col_i64(st, 0);

		for (i = 0; i < o->nlines; i++)
			if (o->lines[i].id == id)
				left[i] -= db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
in_window(struct shop_ctx *ctx, const struct order *o, int64_t days,
    int *yes)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_WINDOW]);
	int		 rc;

	*yes = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, days);
	db_bind_i64(st, 1, o->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		*yes = db_col_i64(st, 0) != 0;
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
rma_open(struct shop_ctx *ctx, const struct order *o, struct rma_open *out)
{
	struct shop_settings	 s;
	int64_t			*done;
	size_t			 i;
	int			 rc, yes, any = 0;

	out->why = RMA_NOTHING_LEFT;
	out->left = arena_calloc(ctx->a, o->nlines + 1, sizeof(int64_t));
	out->days = 0;
	if ((rc = settings_get(ctx, &s)) != SHOP_OK)
		return rc;
	out->days = s.return_days;
	if (s.return_days <= 0) {
		out->why = RMA_NO_RETURNS;
		return SHOP_OK;
	}
	if (o->status != ORDER_SHIPPED && o->status != ORDER_COMPLETED) {
		out->why = RMA_NOT_SHIPPED;
		return SHOP_OK;
	}
	if ((rc = in_window(ctx, o, s.return_days, &yes)) != SHOP_OK)
		return rc;
	if (!yes) {
		out->why = RMA_TOO_LATE;
		return SHOP_OK;
	}
	if ((rc = refund_qty_done(ctx, o, &done)) != SHOP_OK)
		return rc;
	for (i = 0; i < o->nlines; i++)
		out->left[i] = o->lines[i].qty - done[i];
	if ((rc = open_qty(ctx, o, out->left)) != SHOP_OK)
		return rc;
	for (i = 0; i < o->nlines; i++) {
		if (out->left[i] < 0)
			out->left[i] = 0;
		any |= out->left[i] > 0;
	}
	if (any)
		out->why = RMA_OPEN;
	return SHOP_OK;
}

/* ---- writing */

/* The merchant's history row on the order, in the language of whoever
 * made the change (as refund.c's). */
static int
event(struct shop_ctx *ctx, int64_t order_id, const struct order_who *who,
    const char *note)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_EVENT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	db_bind_cstr(st, 1, actor_names[who->actor]);
	if (who->actor == ORDER_BY_STAFF && who->staff_id > 0)
		db_bind_i64(st, 2, who->staff_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, who->actor == ORDER_BY_STAFF ? who->email :
	    STR(""));
	db_bind_cstr(st, 4, note);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

static int
enqueue(struct shop_ctx *ctx, const char *kind, int64_t number, int64_t id,
    int merchant)
{
	char	payload[128];
	int	n;

	n = snprintf(payload, sizeof(payload), "{\"order\": %lld, "
	    "\"return\": %lld%s}", (long long)number, (long long)id,
	    merchant ? ", \"merchant\": 1" : "");
	if (n < 0 || (size_t)n >= sizeof(payload))
		return SHOP_EDB;
	if (jobs_enqueue(ctx->db, ctx->tenant, kind,
	    (struct str){ payload, (size_t)n }, 0, NULL) == -1)
		return SHOP_EDB;
	return SHOP_OK;
}

static int
note_ok(struct str s)
{
	return str_valid_text(s) && str_chars(s) <= RMA_NOTE_MAX;
}

struct request_arg {
	int64_t			 number;
	const struct rma_in	*in;
	const struct order_who	*who;
	struct rma		*out;
	enum rma_why		*why;
	struct field_errors	*errs;
};

/* Checks in's lines against what is left of o's; qty[j] per o line. */
static int
check_lines(struct shop_ctx *ctx, const struct request_arg *a,
    const struct order *o, const struct rma_open *op, int64_t *qty)
{
	const struct rma_in	*in = a->in;
	size_t			 i, j;
	int			 any = 0;

	for (i = 0; i < in->nlines; i++) {
		if (in->lines[i].qty == 0)
			continue;
		for (j = 0; j < o->nlines; j++)
			if (o->lines[j].id == in->lines[i].order_line_id)
				break;
		if (j == o->nlines || qty[j] != 0) {
			field_errors_add(a->errs, "lines", N_("A line to "
			    "return is not part of this order."));
			continue;
		}
		qty[j] = in->lines[i].qty;
		any = 1;
		if (qty[j] > op->left[j])
			field_errors_add(a->errs, arena_printf(ctx->a,
			    "qty_%lld", (long long)o->lines[j].id),
			    N_("That is more than is left to return of this "
			    "line."));
	}
	if (!any && a->errs->n == 0)
		field_errors_add(a->errs, "lines", N_("Choose how many of "
		    "which items to return."));
	return a->errs->n ? SHOP_EINVAL : SHOP_OK;
}

static int
request_tx(struct shop_ctx *ctx, void *arg)
{
	struct request_arg	*a = arg;
	struct rma_open		 op;
	struct order		 locked, o;
	struct db_stmt		*st;
	int64_t			*qty, id;
	size_t			 j;
	int			 rc;

	a->errs->n = 0;
	if ((rc = order_lock(ctx, a->number, &locked)) != SHOP_OK)
		return rc;
	if ((rc = order_get_by_id(ctx, locked.id, 0, &o)) != SHOP_OK)
		return rc;
	if ((rc = rma_open(ctx, &o, &op)) != SHOP_OK)
		return rc;
	if (a->why != NULL)
		*a->why = op.why;
	if (op.why != RMA_OPEN) {
		field_errors_add(a->errs, "lines", N_("This order cannot be "
		    "returned."));
		return SHOP_EDENIED;
	}
	qty = arena_calloc(ctx->a, o.nlines + 1, sizeof(*qty));
	if ((rc = check_lines(ctx, a, &o, &op, qty)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o.id);
	if (o.customer_id > 0)
		db_bind_i64(st, 1, o.customer_id);
	else
		db_bind_null(st, 1);
	db_bind_cstr(st, 2, reason_names[a->in->reason]);
	db_bind_str(st, 3, a->in->note);
	db_bind_str(st, 4, a->in->locale.len ? a->in->locale : o.locale);
	rc = shop_exec(ctx, st);
	id = rc == SHOP_OK ? (int64_t)db_insert_id(st) : 0;
	db_done(st);
	if (rc != SHOP_OK)
		return rc;
	for (j = 0; j < o.nlines; j++) {
		if (qty[j] == 0)
			continue;
		if ((st = shop_stmt(ctx, &sql[ST_INSERT_LINE])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, id);
		db_bind_i64(st, 1, o.lines[j].id);
		db_bind_i64(st, 2, qty[j]);
		rc = shop_exec(ctx, st);
		db_done(st);
		if (rc != SHOP_OK)
			return rc;
	}
	/* TRANSLATORS: the order's history; %lld is the return's number,
	 * %s its reason. */
	if ((rc = event(ctx, o.id, a->who, arena_printf(ctx->a,
	    _("Return %lld requested: %s"), (long long)id,
	    _(reason_labels[a->in->reason])))) != SHOP_OK)
		return rc;
	if ((rc = enqueue(ctx, NOTIFY_RETURN_REQUESTED, o.number, id, 0)) !=
	    SHOP_OK || (rc = enqueue(ctx, NOTIFY_RETURN_REQUESTED, o.number,
	    id, 1)) != SHOP_OK)
		return rc;
	return get(ctx, id, 0, a->out);
}

int
rma_request(struct shop_ctx *ctx, int64_t number, const struct rma_in *in,
    const struct order_who *who, struct rma *out, enum rma_why *why,
    struct field_errors *errs)
{
	struct request_arg	a = { number, in, who, out, why, errs };
	size_t			i;

	errs->n = 0;
	if (why != NULL)
		*why = RMA_OPEN;
	if ((unsigned)who->actor >= NELEM(actor_names))
		return SHOP_EINVAL;
	for (i = 0; i < in->nlines; i++)
		if (in->lines[i].qty < 0 || in->lines[i].qty > INT32_MAX)
			field_errors_add(errs, "lines", N_("Enter a quantity "
			    "of 0 or more for each line."));
	if ((unsigned)in->reason >= RMA_REASON__MAX)
		field_errors_add(errs, "reason", N_("Choose a reason from the "
		    "list."));
	if (!note_ok(in->note))
		field_errors_add(errs, "note", N_("A note has at most 1000 "
		    "characters."));
	if (errs->n)
		return SHOP_EINVAL;
	if (number <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx(ctx, request_tx, &a);
}

/* The return id locked after its order (the order first, as every
 * change of an order takes them). */
static int
lock(struct shop_ctx *ctx, int64_t id, struct rma *r)
{
	struct order	o;
	int		rc;

	if ((rc = get(ctx, id, 0, r)) != SHOP_OK)
		return rc;
	if ((rc = order_lock(ctx, r->order_number, &o)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_EDB : rc;
	return get(ctx, id, 1, r);
}

/* Puts the return's units back on their variants or products. */
static int
stock_back(struct shop_ctx *ctx, int64_t id)
{
	struct line_row	*rows;
	size_t		 n, i;
	int		 rc;

	if ((rc = read_lines(ctx, ST_LINES_OF, id, &rows, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = order_stock_return(ctx, rows[i].product_id,
		    rows[i].variant_id, rows[i].l.qty)) != SHOP_OK)
			return rc;
	return SHOP_OK;
}

struct set_arg {
	int64_t			 id;
	const struct order_who	*who;
	const struct rma_change	*c;
	struct field_errors	*errs;
};

static const char *
history_note(struct shop_ctx *ctx, const struct rma *r,
    const struct rma_change *c)
{
	const char *s;

	/* TRANSLATORS: the order's history; %lld is the return's number,
	 * %s its new state ("Approved"). */
	s = arena_printf(ctx->a, _("Return %lld: %s"), (long long)r->id,
	    _(status_labels[c->to]));
	if (c->to == RMA_RECEIVED && c->restock)
		s = arena_printf(ctx->a, "%s (%s)", s, _("back in stock"));
	if (c->note.len)
		s = arena_printf(ctx->a, "%s: %.*s", s, (int)c->note.len,
		    c->note.p);
	return s;
}

static int
set_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_arg		*a = arg;
	const struct transition	*t;
	struct db_stmt		*st;
	struct rma		 r;
	int			 rc, restock;

	if ((rc = lock(ctx, a->id, &r)) != SHOP_OK)
		return rc;
	if (r.status == a->c->to)
		return ORDER_SAME;
	if (!rma_allowed(r.status, a->c->to, a->who->actor) ||
	    a->c->to == RMA_REFUNDED) {
		field_errors_add(a->errs, "status", N_("This change is not "
		    "possible from the return's present state."));
		return SHOP_EDENIED;
	}
	t = find(r.status, a->c->to);
	restock = a->c->to == RMA_RECEIVED && a->c->restock;
	if ((st = shop_stmt(ctx, &sql[ST_SET])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, status_names[a->c->to]);
	db_bind_str(st, 1, a->c->note);
	db_bind_str(st, 2, a->c->note);
	db_bind_i64(st, 3, restock);
	db_bind_i64(st, 4, r.id);
	rc = shop_exec(ctx, st);
	db_done(st);
	if (rc != SHOP_OK)
		return rc;
	if (restock && (rc = stock_back(ctx, r.id)) != SHOP_OK)
		return rc;
	if ((rc = event(ctx, r.order_id, a->who, history_note(ctx, &r,
	    a->c))) != SHOP_OK)
		return rc;
	return t->job != NULL ? enqueue(ctx, t->job, r.order_number, r.id, 0) :
	    SHOP_OK;
}

int
rma_set(struct shop_ctx *ctx, int64_t id, const struct order_who *who,
    const struct rma_change *c, struct field_errors *errs)
{
	struct set_arg a = { id, who, c, errs };

	errs->n = 0;
	if ((unsigned)who->actor >= NELEM(actor_names) ||
	    (unsigned)c->to >= RMA__MAX)
		return SHOP_EINVAL;
	if (!note_ok(c->note)) {
		field_errors_add(errs, "note", N_("A note has at most 1000 "
		    "characters."));
		return SHOP_EINVAL;
	}
	if (id <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx_sales(ctx, set_tx, &a);
}

struct refund_arg {
	int64_t			 id;
	const struct order_who	*who;
	struct field_errors	*errs;
	struct rma		 r;		/* as claimed */
	int64_t			 refund_id;
};

/*
 * The one place returns refund, outside any transaction of theirs: a
 * card refund asks its gateway (refund_issue.h).
 */
static int
refund_lines(struct shop_ctx *ctx, const struct rma *r,
    const struct order_who *who, struct refund *out,
    struct field_errors *errs)
{
	struct refund_line_in	*lines;
	struct refund_in	 in;
	size_t			 i;

	lines = arena_calloc(ctx->a, r->nlines + 1, sizeof(*lines));
	for (i = 0; i < r->nlines; i++) {
		lines[i].order_line_id = r->lines[i].order_line_id;
		lines[i].qty = r->lines[i].qty;
	}
	memset(&in, 0, sizeof(in));
	in.lines = lines;
	in.nlines = r->nlines;
	/* Stock came back at "received", or the goods did not. */
	in.restock = 0;
	/* TRANSLATORS: a refund's reason; %lld is the return's number. */
	in.reason = str_c(arena_printf(ctx->a, _("Return %lld"),
	    (long long)r->id));
	return refund_issue(ctx, r->order_number, &in, who, out, errs);
}

static int
claim_set(struct shop_ctx *ctx, int64_t id, int on)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_CLAIM]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, on);
	db_bind_i64(st, 1, id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

/* Marks the return refunding, when it may be refunded. */
static int
claim_tx(struct shop_ctx *ctx, void *arg)
{
	struct refund_arg	*a = arg;
	int			 rc;

	a->errs->n = 0;
	if ((rc = lock(ctx, a->id, &a->r)) != SHOP_OK)
		return rc;
	if (a->r.status == RMA_REFUNDED)
		return ORDER_SAME;
	if (!rma_allowed(a->r.status, RMA_REFUNDED, a->who->actor)) {
		field_errors_add(a->errs, "status", N_("Only an approved or "
		    "received return can be refunded."));
		return SHOP_EDENIED;
	}
	if (a->r.refunding) {
		field_errors_add(a->errs, "status", N_("A refund of this "
		    "return is under way."));
		return SHOP_ECONFLICT;
	}
	return claim_set(ctx, a->r.id, 1);
}

static int
unclaim_tx(struct shop_ctx *ctx, void *arg)
{
	struct refund_arg *a = arg;

	return claim_set(ctx, a->r.id, 0);
}

/* The refund written: the return refunded, in the order's history. */
static int
done_tx(struct shop_ctx *ctx, void *arg)
{
	struct refund_arg	*a = arg;
	struct rma_change	 c = { .to = RMA_REFUNDED };
	struct db_stmt		*st;
	struct rma		 r;
	int			 rc;

	if ((rc = lock(ctx, a->id, &r)) != SHOP_OK)
		return rc;
	if ((st = shop_stmt(ctx, &sql[ST_SET_REFUNDED])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, a->refund_id);
	db_bind_i64(st, 1, r.id);
	rc = shop_exec(ctx, st);
	db_done(st);
	if (rc != SHOP_OK)
		return rc;
	return event(ctx, r.order_id, a->who, history_note(ctx, &r, &c));
}

int
rma_refund(struct shop_ctx *ctx, int64_t id, const struct order_who *who,
    struct refund *out, struct field_errors *errs)
{
	struct refund_arg	a;
	int			rc;

	errs->n = 0;
	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	a.id = id;
	a.who = who;
	a.errs = errs;
	if ((unsigned)who->actor >= NELEM(actor_names))
		return SHOP_EINVAL;
	if (id <= 0)
		return SHOP_ENOTFOUND;
	if ((rc = shop_tx(ctx, claim_tx, &a)) != SHOP_OK)
		return rc;
	if ((rc = refund_lines(ctx, &a.r, who, out, errs)) != SHOP_OK) {
		if (shop_tx(ctx, unclaim_tx, &a) != SHOP_OK)
			log_err("return %lld: cannot clear its refunding mark",
			    (long long)id);
		return rc;
	}
	a.refund_id = out->id;
	if ((rc = shop_tx(ctx, done_tx, &a)) != SHOP_OK)
		log_err("return %lld: refund %lld written, the return not "
		    "marked refunded", (long long)id, (long long)out->id);
	return rc;
}
