/*
 * clock.h: the one monotonic clock of souk.
 *
 * Durations, timeouts, cache lifetimes and backoffs are measured with
 * CLOCK_MONOTONIC, which never jumps when the wall clock is set. Wall
 * time (what a person or the database reads) is not here: the database
 * keeps its own NOW().
 */
#ifndef SOUK_CORE_CLOCK_H
#define SOUK_CORE_CLOCK_H

#include <stdint.h>

/* Milliseconds since an arbitrary point (boot): only differences mean
 * anything. */
int64_t	clock_ms(void);

/* The same in microseconds, for timing a request or a provisioning. */
int64_t	clock_us(void);

#endif
