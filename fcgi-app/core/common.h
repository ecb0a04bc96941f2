/*
 * common.h: what every souk .c file includes first: the standard headers
 * nearly all of them use, the core types, and banned.h last.
 */
#ifndef SOUK_COMMON_H
#define SOUK_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define UNUSED		__attribute__((unused))

#include "core/banned.h"

#endif
