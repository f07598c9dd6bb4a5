/*
 * range.c — see range.h.
 */
#include "range.h"

#include <string.h>
#include <strings.h>

/* A decimal number of at most 18 digits (no sign, no blanks); the end of
 * it in *end.  0 when there is no digit or too many. */
static int number(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	while (*s >= '0' && *s <= '9') {
		if (++n > 18)
			return 0;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	*end = s;
	*out = v;
	return n > 0;
}

sr_range sr_range_parse(const char *h, uint64_t size, uint64_t *first,
                        uint64_t *last)
{
	if (!h)
		return SR_RANGE_NONE;
	while (*h == ' ' || *h == '\t')
		h++;
	if (strncasecmp(h, "bytes=", 6))
		return SR_RANGE_NONE;
	h += 6;
	uint64_t a = 0, b = 0;
	int has_a = 0, has_b = 0;
	const char *e = h;
	if (*h != '-') {
		if (!number(h, &e, &a))
			return SR_RANGE_NONE;
		has_a = 1;
	}
	if (*e++ != '-')
		return SR_RANGE_NONE;
	if (*e >= '0' && *e <= '9') {
		if (!number(e, &e, &b))
			return SR_RANGE_NONE;
		has_b = 1;
	}
	while (*e == ' ' || *e == '\t')
		e++;
	if (*e || (!has_a && !has_b) || (has_a && has_b && b < a))
		return SR_RANGE_NONE;
	if (!has_a) {                          /* the last b bytes */
		if (b == 0 || size == 0)
			return SR_RANGE_UNSATISFIABLE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return SR_RANGE_PART;
	}
	if (a >= size)
		return SR_RANGE_UNSATISFIABLE;
	*first = a;
	*last = has_b && b < size ? b : size - 1;
	return SR_RANGE_PART;
}
