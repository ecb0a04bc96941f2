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

static void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char	 raw[1024], line[2300];
	size_t	 o = 0, i;
	int	 n;

	if (lvl > log_min)
		return;
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		return;
	n = snprintf(line, sizeof(line), "<%d>level=%s prog=%s", (int)lvl,
	    level_name(lvl), log_prog);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	o = (size_t)n;
	if (log_rid[0] != '\0') {
		n = snprintf(line + o, sizeof(line) - o, " req=%s", log_rid);
		if (n > 0 && (size_t)n < sizeof(line) - o)
			o += (size_t)n;
	}
	if (log_tenant != 0) {
		n = snprintf(line + o, sizeof(line) - o, " tenant=%lld",
		    (long long)log_tenant);
		if (n > 0 && (size_t)n < sizeof(line) - o)
			o += (size_t)n;
	}
	memcpy(line + o, " msg=\"", 6);
	o += 6;
	/* Each raw byte takes at most 4 bytes: room was sized for that. */
	for (i = 0; raw[i] != '\0'; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '"' || c == '\\') {
			line[o++] = '\\';
			line[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			static const char hex[] = "0123456789abcdef";

			line[o++] = '\\';
			line[o++] = 'x';
			line[o++] = hex[c >> 4];
			line[o++] = hex[c & 15];
		} else
			line[o++] = (char)c;
	}
	line[o++] = '"';
	line[o++] = '\n';
	/* One write: lines from several workers do not interleave. */
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
