/* log.c: escaped key=value lines with a priority prefix (see log.h). */
#include "core/common.h"
#include "core/log.h"

#include <unistd.h>

static const char	*log_prog = "souk";
static enum log_level	 log_min = LOG_LVL_INFO;
static char		 log_rid[33];
static int64_t		 log_tenant;

void
log_init(const char *prog, enum log_level min)
{
	log_prog = prog;
	log_min = min;
}

int
log_level_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "debug") == 0)
		return LOG_LVL_DEBUG;
	if (strcmp(s, "info") == 0)
		return LOG_LVL_INFO;
	if (strcmp(s, "warn") == 0 || strcmp(s, "warning") == 0)
		return LOG_LVL_WARN;
	if (strcmp(s, "err") == 0 || strcmp(s, "error") == 0)
		return LOG_LVL_ERR;
	return -1;
}

void
log_set_request(const char *rid, int64_t tenant)
{
	size_t i = 0;

	if (rid != NULL)
		for (; rid[i] != '\0' && i < sizeof(log_rid) - 1; i++)
			log_rid[i] = rid[i];
	log_rid[i] = '\0';
	log_tenant = tenant;
}

static const char *
level_name(enum log_level lvl)
{
	switch (lvl) {
	case LOG_LVL_ERR:
		return "err";
	case LOG_LVL_WARN:
		return "warn";
	case LOG_LVL_INFO:
		return "info";
	default:
		return "debug";
	}
}

static void log_vmsg(enum log_level, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

/*
 * A line is the head (priority, level, program, request, tenant: at most
 * LOG_HEAD_MAX bytes, cut to fit), the message of at most LOG_MSG_MAX
 * bytes with each byte escaped to at most 4, and the closing quote and
 * newline. The buffer is sized from those bounds, so no message, however
 * many control bytes it holds, can overflow it.
 */
#define LOG_MSG_MAX	1024
#define LOG_HEAD_MAX	160
#define LOG_LINE_MAX	(LOG_HEAD_MAX + 4 * LOG_MSG_MAX + 2)

/* Appends the escaped form of raw, at most max bytes of it, to line at
 * *o (room was sized for the worst case: 4 bytes a raw byte). */
static void
log_escape(char *line, size_t *o, const char *raw, size_t max)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, n = *o;

	for (i = 0; i < max && raw[i] != '\0'; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '"' || c == '\\') {
			line[n++] = '\\';
			line[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			line[n++] = '\\';
			line[n++] = 'x';
			line[n++] = hex[c >> 4];
			line[n++] = hex[c & 15];
		} else
			line[n++] = (char)c;
	}
	*o = n;
}

/*
 * Writes the head and ' msg="' into line (at least LOG_HEAD_MAX bytes);
 * returns its length, 0 on a formatting error.
 */
static size_t
log_head(char *line, enum log_level lvl)
{
	size_t	o;
	int	n;

	/* The whole head in one call, cut to fit its share. A precision
	 * of 0 prints no digits for a tenant of 0. */
	n = snprintf(line, LOG_HEAD_MAX, "<%d>level=%s prog=%s%s%s%s%.*lld",
	    (int)lvl, level_name(lvl), log_prog,
	    log_rid[0] != '\0' ? " req=" : "", log_rid,
	    log_tenant != 0 ? " tenant=" : "", log_tenant != 0 ? 1 : 0,
	    (long long)log_tenant);
	if (n < 0)
		return 0;
	o = (size_t)n < LOG_HEAD_MAX ? (size_t)n : LOG_HEAD_MAX - 1;
	/* The 6 bytes of ' msg="' fit in the head's share (the +2 of
	 * LOG_LINE_MAX is the closing quote and the newline). */
	if (o > LOG_HEAD_MAX - 6)
		o = LOG_HEAD_MAX - 6;
	memcpy(line + o, " msg=\"", 6);
	return o + 6;
}

static void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char	 raw[LOG_MSG_MAX], line[LOG_LINE_MAX];
	size_t	 o;

	if (lvl > log_min)
		return;
	/* Longer messages are cut: raw always ends in a NUL. */
	if (vsnprintf(raw, sizeof(raw), fmt, ap) < 0)
		return;
	if ((o = log_head(line, lvl)) == 0)
		return;
	log_escape(line, &o, raw, LOG_MSG_MAX);
	line[o++] = '"';
	line[o++] = '\n';
	/* One write: lines from several workers do not interleave. */
	(void)!write(STDERR_FILENO, line, o);
}

/*
 * An event line: the head, the event as msg, then the fields, each
 * ' key="escaped"' (at most 1 + LOG_KEY_MAX + 3 + 4 * LOG_FIELD_MAX
 * bytes) or ' key=integer' (at most 1 + LOG_KEY_MAX + 21), then the
 * newline: the buffer holds the worst case of LOG_EVENT_FIELDS fields.
 */
#define LOG_KEY_MAX		32
#define LOG_FIELD_MAX		128
#define LOG_EVENT_FIELDS	16
#define LOG_EVENT_MAX	(LOG_HEAD_MAX + 4 * LOG_FIELD_MAX + 1 + \
	LOG_EVENT_FIELDS * (LOG_KEY_MAX + 4 + 4 * LOG_FIELD_MAX) + 1)

void
log_event(enum log_level lvl, const char *event, const struct log_field *f,
    size_t n)
{
	char	line[LOG_EVENT_MAX];
	size_t	o, i, k;
	int	len;

	if (lvl > log_min || (o = log_head(line, lvl)) == 0)
		return;
	log_escape(line, &o, event, LOG_FIELD_MAX);
	line[o++] = '"';
	if (n > LOG_EVENT_FIELDS)
		n = LOG_EVENT_FIELDS;
	for (i = 0; i < n; i++) {
		line[o++] = ' ';
		for (k = 0; k < LOG_KEY_MAX && f[i].key[k] != '\0'; k++)
			line[o++] = f[i].key[k];
		line[o++] = '=';
		if (f[i].s != NULL) {
			line[o++] = '"';
			log_escape(line, &o, f[i].s, LOG_FIELD_MAX);
			line[o++] = '"';
			continue;
		}
		/* 21 bytes hold any int64_t and the NUL. */
		len = snprintf(line + o, 21, "%lld", (long long)f[i].i);
		if (len > 0 && len < 21)
			o += (size_t)len;
	}
	line[o++] = '\n';
	(void)!write(STDERR_FILENO, line, o);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
