/* tmpl.c: logic-less templates, parsed once, rendered often (see tmpl.h). */
#include "core/common.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libintl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/html.h"
#include "core/strbuf.h"
#include "core/tmpl.h"

/* Subfolders of a theme's templates folder followed at most this deep
 * (also stops symlink loops). */
#define TMPL_MAX_DIR_DEPTH	8

/*
 * The context stack of one render: the model, then at most TMPL_MAX_NEST
 * sections for the page and for each partial below it. Sized so that a
 * render within the limits can never overflow it.
 */
#define TMPL_MAX_CTX	(1 + TMPL_MAX_NEST * (TMPL_MAX_PARTIAL_DEPTH + 1))

enum op_kind {
	OP_TEXT,	/* p, len: bytes to copy */
	OP_VAR,		/* seg, nseg: value to escape */
	OP_RAW,		/* seg, nseg: value to copy */
	OP_SECTION,	/* seg, nseg; end; p, len: the name as written */
	OP_INVERTED,	/* the same */
	OP_END,		/* closes the section at index end */
	OP_PARTIAL,	/* p: the template's name; partial: its index or -1 */
	OP_TRANS,	/* p: the msgid, NUL-terminated */
};

/*
 * A name segment with its json-c hash, computed at parse time: a render
 * then looks each key up without hashing it again. The hash function is
 * json-c's for object keys (lh_char_hash, seeded once per process and
 * inherited by forked workers); a table hashing otherwise (after
 * json_global_set_string_hash()) is looked up the slow way.
 */
struct tmpl_key {
	const char	*s;
	unsigned long	 hash;
};

struct tmpl_op {
	unsigned char	  kind;
	uint32_t	  line;
	uint32_t	  end;
	int32_t		  partial;
	uint32_t	  nseg;		/* 0 for "." */
	const char	 *p;
	size_t		  len;
	struct tmpl_key	 *seg;
};

struct tmpl {
	const char	*name;
	const char	*file;		/* for error messages */
	struct tmpl_op	*ops;
	uint32_t	 nops;
};

struct tmpl_set {
	struct arena	 arena;		/* everything parsed lives here */
	lh_hash_fn	*hash_fn;	/* json-c's, for struct tmpl_key */
	struct tmpl	*t;
	size_t		 n;
	size_t		 alloc;
	uint32_t	*slot;		/* name hash: index + 1, 0 empty */
	size_t		 nslot;		/* a power of two, > 2 * n */
};

struct parser {
	struct arena	*a;
	lh_hash_fn	*hash_fn;
	const char	*file;
	const char	*src;
	size_t		 len;
	struct tmpl_op	*ops;
	size_t		 nops;
	size_t		 alloc;
	uint32_t	 open[TMPL_MAX_NEST];
	int		 depth;
	char		*err;
	size_t		 errlen;
};

struct render {
	const struct tmpl_set	*set;
	struct strbuf		*out;
	size_t			 base;
	unsigned long		 steps;
	int			 partials;
	int			 nctx;
	int			 failed;
	json_object		*ctx[TMPL_MAX_CTX];
};

/* The white space tmpl-strings.py strips too (Python's str.strip()
 * would also strip Unicode spaces, so it is given this exact set). */
static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static struct str
trim(struct str s)
{
	while (s.len > 0 && is_ws((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_ws((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

static uint32_t
count_lines(const char *p, size_t n)
{
	uint32_t	 k = 0;
	const char	*e = p + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* ---- parsing ---- */

static struct tmpl_op *
emit(struct parser *ps, enum op_kind kind, uint32_t line)
{
	struct tmpl_op *op;

	if (ps->nops == ps->alloc) {
		ps->alloc = ps->alloc ? xmul(ps->alloc, 2) : 64;
		ps->ops = xrealloc(ps->ops, xmul(ps->alloc, sizeof(*op)));
	}
	op = &ps->ops[ps->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->line = line;
	op->partial = -1;
	return op;
}

static int
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Splits name at '.' into op->seg; "." alone is the current context. */
static int
parse_name(struct parser *ps, struct tmpl_op *op, struct str name)
{
	size_t i, start, k;

	if (name.len == 0)
		return -1;
	if (name.len == 1 && name.p[0] == '.') {
		op->nseg = 0;
		return 0;
	}
	op->nseg = 1;
	for (i = 0; i < name.len; i++) {
		if (name.p[i] == '.')
			op->nseg++;
		else if (!name_char((unsigned char)name.p[i]))
			return -1;
	}
	op->seg = arena_alloc(ps->a, op->nseg * sizeof(*op->seg));
	for (i = start = k = 0; i <= name.len; i++) {
		if (i < name.len && name.p[i] != '.')
			continue;
		if (i == start)
			return -1;	/* empty segment: "a..b", ".a", "a." */
		op->seg[k].s = arena_strndup(ps->a, name.p + start, i - start);
		op->seg[k].hash = ps->hash_fn(op->seg[k].s);
		k++;
		start = i + 1;
	}
	return 0;
}

static int
partial_name_ok(struct str name)
{
	size_t i;

	if (name.len == 0 || name.p[0] == '/' || name.p[name.len - 1] == '/')
		return 0;
	for (i = 0; i < name.len; i++)
		if (!name_char((unsigned char)name.p[i]) &&
		    name.p[i] != '/' && name.p[i] != '.')
			return 0;
	return 1;
}

static int
perr(struct parser *ps, uint32_t line, const char *what, struct str tag)
{
	str_errf(ps->err, ps->errlen, "%s:%" PRIu32 ": %s '%.*s'", ps->file,
	    line, what, tag.len > 60 ? 60 : (int)tag.len, tag.p);
	return -1;
}

/* One tag; in is what is between the braces, raw for {{{ }}}. */
static int
parse_tag(struct parser *ps, struct str in, int raw, uint32_t line,
    struct str tag)
{
	struct tmpl_op	*op;
	struct str	 name;
	char		 c;

	in = trim(in);
	if (raw) {
		op = emit(ps, OP_RAW, line);
		if (parse_name(ps, op, in) == -1)
			return perr(ps, line, "bad name in", tag);
		return 0;
	}
	if (in.len == 0)
		return perr(ps, line, "empty tag", tag);
	c = in.p[0];
	name = trim((struct str){ in.p + 1, in.len - 1 });
	switch (c) {
	case '!':
		return 0;
	case '#':
	case '^':
		if (ps->depth == TMPL_MAX_NEST)
			return perr(ps, line, "sections nested too deep at",
			    tag);
		op = emit(ps, c == '#' ? OP_SECTION : OP_INVERTED, line);
		if (parse_name(ps, op, name) == -1)
			return perr(ps, line, "bad name in", tag);
		op->p = name.p;
		op->len = name.len;
		ps->open[ps->depth++] = (uint32_t)(ps->nops - 1);
		return 0;
	case '/': {
		struct tmpl_op *o;

		if (ps->depth == 0)
			return perr(ps, line, "no open section for", tag);
		o = &ps->ops[ps->open[ps->depth - 1]];
		if (!str_eq((struct str){ o->p, o->len }, name)) {
			str_errf(ps->err, ps->errlen, "%s:%" PRIu32
			    ": '{{/%.*s}}' closes '%.*s' opened at line %"
			    PRIu32, ps->file, line,
			    name.len > 60 ? 60 : (int)name.len, name.p,
			    o->len > 60 ? 60 : (int)o->len, o->p, o->line);
			return -1;
		}
		ps->depth--;
		op = emit(ps, OP_END, line);
		op->end = ps->open[ps->depth];
		ps->ops[op->end].end = (uint32_t)(ps->nops - 1);
		return 0;
	}
	case '>':
		if (!partial_name_ok(name))
			return perr(ps, line, "bad partial name in", tag);
		op = emit(ps, OP_PARTIAL, line);
		op->p = arena_strndup(ps->a, name.p, name.len);
		op->len = name.len;
		return 0;
	case '_':
		if (in.len == 1 || is_ws((unsigned char)in.p[1])) {
			if (name.len == 0)
				return perr(ps, line, "empty text in", tag);
			op = emit(ps, OP_TRANS, line);
			op->p = arena_strndup(ps->a, name.p, name.len);
			op->len = name.len;
			return 0;
		}
		break;	/* a name starting with '_' */
	case '{':
	case '&':
	case '=':
		return perr(ps, line, "unsupported tag", tag);
	}
	op = emit(ps, OP_VAR, line);
	if (parse_name(ps, op, in) == -1)
		return perr(ps, line, "bad name in", tag);
	return 0;
}

static int
parse(struct parser *ps)
{
	const char	*s = ps->src, *open, *close;
	size_t		 pos = 0, next;
	uint32_t	 line = 1;
	struct tmpl_op	*op;
	struct str	 in, tag;
	int		 raw;

	while (pos < ps->len) {
		open = memmem(s + pos, ps->len - pos, "{{", 2);
		if (open == NULL)
			open = s + ps->len;
		if (open > s + pos) {
			op = emit(ps, OP_TEXT, line);
			op->p = s + pos;
			op->len = (size_t)(open - (s + pos));
			line += count_lines(op->p, op->len);
		}
		if (open == s + ps->len)
			break;
		next = (size_t)(open - s);
		raw = next + 2 < ps->len && open[2] == '{';
		close = memmem(open + 2 + raw, ps->len - next - 2 - raw,
		    raw ? "}}}" : "}}", raw ? 3 : 2);
		if (close == NULL) {
			tag = (struct str){ open, ps->len - next };
			return perr(ps, line, "unterminated tag", tag);
		}
		in = (struct str){ open + 2 + raw,
		    (size_t)(close - open) - 2 - raw };
		next = (size_t)(close - s) + 2 + raw;
		tag = (struct str){ open, (size_t)(s + next - open) };
		if (parse_tag(ps, in, raw, line, tag) == -1)
			return -1;
		line += count_lines(tag.p, tag.len);
		pos = next;
	}
	if (ps->depth > 0) {
		op = &ps->ops[ps->open[ps->depth - 1]];
		str_errf(ps->err, ps->errlen, "%s:%" PRIu32
		    ": unclosed section '%.*s'", ps->file, op->line,
		    op->len > 60 ? 60 : (int)op->len, op->p);
		return -1;
	}
	return 0;
}

/* ---- the set ---- */

static uint32_t
hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int
find(const struct tmpl_set *set, const char *name)
{
	size_t	 mask, i;
	uint32_t k;

	if (set->nslot == 0)
		return -1;
	mask = set->nslot - 1;
	for (i = hash_name(name) & mask; (k = set->slot[i]) != 0;
	    i = (i + 1) & mask)
		if (strcmp(set->t[k - 1].name, name) == 0)
			return (int)(k - 1);
	return -1;
}

static void
slot_put(struct tmpl_set *set, size_t i)
{
	size_t j, mask = set->nslot - 1;

	for (j = hash_name(set->t[i].name) & mask; set->slot[j];
	    j = (j + 1) & mask)
		;
	set->slot[j] = (uint32_t)i + 1;
}

/* Adds the newest template to the name hash, growing it first when it
 * would be half full. */
static void
index_last(struct tmpl_set *set)
{
	size_t i;

	if (set->nslot > 2 * set->n) {
		slot_put(set, set->n - 1);
		return;
	}
	free(set->slot);
	set->nslot = set->nslot ? set->nslot * 2 : 16;
	set->slot = xcalloc(set->nslot, sizeof(*set->slot));
	for (i = 0; i < set->n; i++)
		slot_put(set, i);
}

/* Resolves every partial not yet resolved; returns how many are left,
 * naming the first in err. */
static int
link_partials(struct tmpl_set *set, char *err, size_t errlen)
{
	size_t		 i, k;
	int		 left = 0;
	struct tmpl_op	*op;

	for (i = 0; i < set->n; i++) {
		for (k = 0; k < set->t[i].nops; k++) {
			op = &set->t[i].ops[k];
			if (op->kind != OP_PARTIAL || op->partial >= 0)
				continue;
			op->partial = find(set, op->p);
			if (op->partial < 0 && left++ == 0)
				str_errf(err, errlen, "%s:%" PRIu32
				    ": unknown partial '%s'", set->t[i].file,
				    op->line, op->p);
		}
	}
	return left;
}

struct tmpl_set *
tmpl_set_new(void)
{
	struct tmpl_set	*set = xcalloc(1, sizeof(*set));
	json_object	*probe = json_object_new_object();

	arena_init(&set->arena);
	set->hash_fn = json_object_get_object(probe)->hash_fn;
	json_object_put(probe);
	return set;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	if (set == NULL)
		return;
	arena_free(&set->arena);
	free(set->t);
	free(set->slot);
	free(set);
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return find(set, name) >= 0;
}

static int
set_add(struct tmpl_set *set, const char *name, const char *file,
    const char *src, size_t len, char *err, size_t errlen)
{
	struct parser	 ps;
	struct tmpl	*t;

	if (find(set, name) >= 0) {
		str_errf(err, errlen, "%s: duplicate template '%s'", file, name);
		return -1;
	}
	if (len > TMPL_MAX_FILE) {
		str_errf(err, errlen, "%s: larger than %zu bytes", file,
		    TMPL_MAX_FILE);
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	ps.a = &set->arena;
	ps.hash_fn = set->hash_fn;
	ps.file = file;
	ps.src = arena_strndup(&set->arena, src, len);
	ps.len = len;
	ps.err = err;
	ps.errlen = errlen;
	if (parse(&ps) == -1) {
		free(ps.ops);
		return -1;
	}
	if (set->n == set->alloc) {
		set->alloc = set->alloc ? xmul(set->alloc, 2) : 16;
		set->t = xrealloc(set->t, xmul(set->alloc, sizeof(*set->t)));
	}
	t = &set->t[set->n++];
	t->name = arena_strdup(&set->arena, name);
	t->file = file == name ? t->name : arena_strdup(&set->arena, file);
	t->nops = (uint32_t)ps.nops;
	t->ops = arena_alloc(&set->arena, ps.nops * sizeof(*t->ops));
	if (ps.nops)
		memcpy(t->ops, ps.ops, ps.nops * sizeof(*t->ops));
	free(ps.ops);
	index_last(set);
	return 0;
}

int
tmpl_parse_string(struct tmpl_set *set, const char *name, const char *src,
    size_t len, char *err, size_t errlen)
{
	if (set_add(set, name, name, src, len, err, errlen) == -1)
		return -1;
	(void)link_partials(set, NULL, 0);
	return 0;
}

static int
read_file(const char *path, struct strbuf *sb, char *err, size_t errlen)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	strbuf_reset(sb);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto fail;
	if (fstat(fd, &st) == -1)
		goto fail;
	if ((size_t)st.st_size > TMPL_MAX_FILE) {
		str_errf(err, errlen, "%s: larger than %zu bytes", path,
		    TMPL_MAX_FILE);
		close(fd);
		return -1;
	}
	for (;;) {
		strbuf_grow(sb, 8192);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		sb->len += (size_t)n;
		sb->buf[sb->len] = '\0';
		if (sb->len > TMPL_MAX_FILE)
			break;	/* grew while read: set_add() says so */
	}
	close(fd);
	return 0;
fail:
	str_errf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static int
skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Loads the folder path->buf; names are relative to its first rootlen
 * bytes plus the '/'. */
static int
load_dir(struct tmpl_set *set, struct strbuf *path, size_t rootlen,
    int depth, int keep, struct strbuf *src, char *err, size_t errlen)
{
	struct dirent	**ents = NULL;
	struct stat	  st;
	size_t		  len = path->len, nlen;
	int		  i, n, rc = -1;
	char		 *name;

	if (depth > TMPL_MAX_DIR_DEPTH) {
		str_errf(err, errlen, "'%s': folders nested too deep",
		    path->buf);
		return -1;
	}
	if ((n = scandir(path->buf, &ents, skip_entry, alphasort)) == -1) {
		str_errf(err, errlen, "cannot open '%s': %s", path->buf,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		strbuf_setlen(path, len);
		strbuf_addch(path, '/');
		strbuf_addstr(path, ents[i]->d_name);
		if (stat(path->buf, &st) == -1) {
			str_errf(err, errlen, "cannot stat '%s': %s",
			    path->buf, strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (load_dir(set, path, rootlen, depth + 1, keep, src,
			    err, errlen) == -1)
				goto out;
			continue;
		}
		nlen = path->len - rootlen - 1;
		if (!S_ISREG(st.st_mode) || nlen <= 5 ||
		    strcmp(path->buf + path->len - 5, ".html") != 0)
			continue;
		name = xstrndup(path->buf + rootlen + 1, nlen - 5);
		/* A base's template the set has from its theme already. */
		if (keep && find(set, name) >= 0) {
			free(name);
			continue;
		}
		if (read_file(path->buf, src, err, errlen) == -1) {
			free(name);
			goto out;
		}
		if (set_add(set, name, path->buf, src->buf, src->len, err,
		    errlen) == -1) {
			free(name);
			goto out;
		}
		free(name);
	}
	rc = 0;
out:
	strbuf_setlen(path, len);
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}

int
tmpl_set_load_over(struct tmpl_set **out, const char *dir, const char *base,
    char *err, size_t errlen)
{
	struct tmpl_set	*set = tmpl_set_new();
	struct strbuf	 path = STRBUF_INIT, src = STRBUF_INIT;
	const char	*dirs[2] = { dir, base };
	int		 rc = -1, i;

	*out = NULL;
	for (i = 0; i < 2 && dirs[i] != NULL; i++) {
		strbuf_reset(&path);
		strbuf_addstr(&path, dirs[i]);
		while (path.len > 1 && path.buf[path.len - 1] == '/')
			strbuf_setlen(&path, path.len - 1);
		if (load_dir(set, &path, path.len, 0, i, &src, err,
		    errlen) == -1)
			goto out;
	}
	if (link_partials(set, err, errlen) > 0)
		goto out;
	*out = set;
	set = NULL;
	rc = 0;
out:
	tmpl_set_free(set);
	strbuf_release(&path);
	strbuf_release(&src);
	return rc;
}

int
tmpl_set_load(struct tmpl_set **out, const char *dir, char *err,
    size_t errlen)
{
	return tmpl_set_load_over(out, dir, NULL, err, errlen);
}

/* ---- rendering ---- */

/* json_object_object_get_ex() with the key's hash known. */
static int
get_key(const struct render *r, json_object *o, const struct tmpl_key *key,
    json_object **v)
{
	struct lh_table	*t;
	struct lh_entry	*e;
	int64_t		 idx;

	/* "items.0" is the first element, as in mustache.js: templates use
	 * {{#items.0}} for "the list is not empty". */
	if (json_object_is_type(o, json_type_array)) {
		if (str_to_i64c(key->s, 0, INT32_MAX, &idx) == -1 ||
		    (size_t)idx >= json_object_array_length(o))
			return 0;
		*v = json_object_array_get_idx(o, (size_t)idx);
		return 1;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	t = json_object_get_object(o);
	if (t->hash_fn == r->set->hash_fn)
		e = lh_table_lookup_entry_w_hash(t, key->s, key->hash);
	else
		e = lh_table_lookup_entry(t, key->s);
	if (e == NULL)
		return 0;
	*v = lh_entry_v(e);
	return 1;
}

static json_object *
lookup(const struct render *r, const struct tmpl_op *op)
{
	json_object	*v = NULL;
	uint32_t	 k;
	int		 i;

	if (op->nseg == 0)
		return r->ctx[r->nctx - 1];
	/* As Mustache: the innermost context that has the first name wins,
	 * even when its value is null. */
	for (i = r->nctx - 1; i >= 0; i--)
		if (get_key(r, r->ctx[i], &op->seg[0], &v))
			break;
	if (i < 0)
		return NULL;
	for (k = 1; k < op->nseg; k++)
		if (!get_key(r, v, &op->seg[k], &v))
			return NULL;
	return v;
}

static int
truthy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		return json_object_get_double(v) != 0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_object:
		return 1;
	default:
		return 0;
	}
}

/* Decimal digits of v, ending at end; returns where they start. */
static char *
fmt_u64(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void
put_value(struct strbuf *out, json_object *v, int escape)
{
	char		 buf[64], *p, *e = buf + sizeof(buf);
	const char	*s;
	size_t		 len;
	int64_t		 i;
	int		 n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
		if (escape)
			html_escape(out, s, len);
		else
			strbuf_add(out, s, len);
		return;
	case json_type_int:
		i = json_object_get_int64(v);
		if (i == INT64_MAX)	/* may be a bigger unsigned one */
			p = fmt_u64(e, json_object_get_uint64(v));
		else if (i < 0) {
			p = fmt_u64(e, (uint64_t)0 - (uint64_t)i);
			*--p = '-';
		} else
			p = fmt_u64(e, (uint64_t)i);
		strbuf_add(out, p, (size_t)(e - p));
		return;
	case json_type_double:
		/* NEEDSWORK: %g follows LC_NUMERIC; money and figures for
		 * people are formatted by ICU into strings anyway. */
		n = snprintf(buf, sizeof(buf), "%.15g",
		    json_object_get_double(v));
		if (n > 0 && (size_t)n < sizeof(buf))
			strbuf_add(out, buf, (size_t)n);
		return;
	case json_type_boolean:
		if (json_object_get_boolean(v))
			strbuf_add(out, "true", 4);
		else
			strbuf_add(out, "false", 5);
		return;
	default:
		return;
	}
}

static void render_ops(struct render *, const struct tmpl *, uint32_t,
		    uint32_t);

static void
render_with(struct render *r, const struct tmpl *t, uint32_t from,
    uint32_t to, json_object *ctx)
{
	if (r->nctx == TMPL_MAX_CTX) {	/* cannot happen within limits */
		r->failed = 1;
		return;
	}
	r->ctx[r->nctx++] = ctx;
	render_ops(r, t, from, to);
	r->nctx--;
}

static void
render_section(struct render *r, const struct tmpl *t, uint32_t i)
{
	const struct tmpl_op	*op = &t->ops[i];
	json_object		*v = lookup(r, op);
	size_t			 k, n;

	if (op->kind == OP_INVERTED) {
		if (!truthy(v))
			render_ops(r, t, i + 1, op->end);
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (k = 0; k < n && !r->failed; k++)
			render_with(r, t, i + 1, op->end,
			    json_object_array_get_idx(v, k));
	} else if (truthy(v))
		render_with(r, t, i + 1, op->end, v);
}

/* Runs ops [from, to) of t. */
static void
render_ops(struct render *r, const struct tmpl *t, uint32_t from,
    uint32_t to)
{
	const struct tmpl_op	*op;
	uint32_t		 i = from;

	while (i < to && !r->failed) {
		op = &t->ops[i];
		if (++r->steps > TMPL_MAX_STEPS ||
		    r->out->len - r->base > TMPL_MAX_OUTPUT) {
			r->failed = 1;
			return;
		}
		switch (op->kind) {
		case OP_TEXT:
			strbuf_add(r->out, op->p, op->len);
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(r->out, lookup(r, op), op->kind == OP_VAR);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			render_section(r, t, i);
			i = op->end;	/* then past the END */
			break;
		case OP_PARTIAL:
			if (op->partial < 0)
				break;
			if (r->partials == TMPL_MAX_PARTIAL_DEPTH) {
				r->failed = 1;
				return;
			}
			r->partials++;
			render_ops(r, &r->set->t[op->partial], 0,
			    r->set->t[op->partial].nops);
			r->partials--;
			break;
		case OP_TRANS:
			html_escape_str(r->out, gettext(op->p));
			break;
		default:	/* OP_END is jumped over */
			break;
		}
		i++;
	}
}

int
tmpl_render(const struct tmpl_set *set, const char *name, json_object *model,
    struct strbuf *out)
{
	struct render	r;
	int		i;

	if ((i = find(set, name)) < 0)
		return -1;
	r.set = set;
	r.out = out;
	r.base = out->len;
	r.steps = 0;
	r.partials = 0;
	r.failed = 0;
	r.nctx = 1;
	r.ctx[0] = model;
	render_ops(&r, &set->t[i], 0, set->t[i].nops);
	return r.failed ? -1 : 0;
}
