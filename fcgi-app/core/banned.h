/*
 * banned.h: functions souk never calls, made compile errors.
 *
 * Each has a bounded or checked replacement: strbuf_add*() or snprintf()
 * with its result checked for strcpy/strcat/sprintf, str_to_i64() for
 * atoi, localtime_r() for localtime. Included last by every .c file
 * through core/common.h, as git's banned.h is.
 */
#ifndef SOUK_BANNED_H
#define SOUK_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef localtime
#define localtime(t) BANNED(localtime)

#endif
