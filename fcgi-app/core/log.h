/*
 * log.h: structured log lines on stderr, for journald.
 *
 * Every line starts with a syslog priority prefix ("<3>") that journald
 * (SyslogLevelPrefix=yes, the default) turns into the entry's priority,
 * then key=value fields: the level, the program, the current request id
 * and tenant when set, and msg="..." with control characters and quotes
 * escaped so a hostile value cannot forge a line. Messages are lower case
 * and not translated.
 */
#ifndef SOUK_LOG_H
#define SOUK_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LVL_ERR = 3,
	LOG_LVL_WARN = 4,
	LOG_LVL_INFO = 6,
	LOG_LVL_DEBUG = 7,
};

/* The program name on every line (a static string) and the lowest level
 * written (default info). */
void	log_init(const char *prog, enum log_level min);

/* Parses "debug", "info", "warn", "err"; -1 when unknown. */
int	log_level_parse(const char *s);

/* The request id and tenant added to every line until changed;
 * rid is copied (up to 32 bytes), NULL or tenant 0 clears. */
void	log_set_request(const char *rid, int64_t tenant);

void	log_msg(enum log_level lvl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * One field of an event line: key (a static identifier, written as is)
 * and either the string s (quoted and escaped like msg; NULL: the
 * integer i instead).
 */
struct log_field {
	const char	*key;
	const char	*s;
	int64_t		 i;
};

/*
 * An event as one line: the head of log_msg(), msg="<event>", then each
 * field as key=value (integers bare, strings quoted and escaped), so a
 * program can read the line without parsing a sentence. No allocation:
 * the line is built on the stack. An event name or string value is cut
 * at 128 bytes, a key at 32; fields after the 16th are dropped.
 */
void	log_event(enum log_level lvl, const char *event,
	    const struct log_field *f, size_t n);

#define log_err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* Logs at err level and exits 1: at start-up or on a broken invariant
 * only, never for bad input. */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
