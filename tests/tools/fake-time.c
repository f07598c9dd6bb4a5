/*
 * fake-time.c — an LD_PRELOAD library for the tests: time() returns
 * STEG_TEST_TIME (unix seconds), so that a test can put stegc and steg at
 * one exact second (the signature expiry boundary, t0715).  Built by the
 * test that uses it; never part of stegc or steg.  Without STEG_TEST_TIME
 * the real clock is used.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

time_t time(time_t *t)
{
	const char *s = getenv("STEG_TEST_TIME");
	time_t v;
	if (s && *s) {
		v = (time_t)strtoll(s, NULL, 10);
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ts.tv_sec;
	}
	if (t)
		*t = v;
	return v;
}
