/*
 * range.h — the byte range a web server answers for a media file (the
 * Range request header of RFC 9110, section 14), so that a browser's
 * audio and video players can seek and resume.  Both web servers (stegc
 * preview, steg serve) answer ranges by this one rule.
 *
 * One range only: "bytes=FIRST-LAST", "bytes=FIRST-" or "bytes=-SUFFIX".
 * A header that is not of that form (another unit, several ranges, a
 * malformed number) is ignored, as the RFC allows: the whole file is
 * sent.  A range that starts at or beyond the end (or a suffix of zero
 * bytes) cannot be satisfied: 416 with "Content-Range: bytes * /SIZE".
 * LAST beyond the end is cut to the end; a suffix longer than the file
 * is the whole file.
 */
#ifndef SR_RANGE_H
#define SR_RANGE_H

#include <stdint.h>

typedef enum {
	SR_RANGE_NONE,          /* no usable Range: send the whole file, 200 */
	SR_RANGE_PART,          /* send bytes *first..*last (inclusive), 206 */
	SR_RANGE_UNSATISFIABLE  /* 416 */
} sr_range;

/* header: the Range header's value or NULL; size: the file's length. */
sr_range sr_range_parse(const char *header, uint64_t size, uint64_t *first,
                        uint64_t *last);

#endif
