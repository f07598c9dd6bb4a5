/*
 * channel_fuzz.c — a libFuzzer entry point for a channel's index.json
 * (runtime/channel.c rt_channel_index_parse, jansson): the one file
 * `steg sync` reads from a partner's folder or web server before anything
 * else, so the first parser an attacker on the network reaches (its
 * signature is checked by the sign harness's code, core/sign.c).  Every
 * input must be refused with a reason or accepted without a crash, a leak
 * or a sanitizer report, and what is accepted must write back stably:
 * write(parse(write(ix))) gives the same bytes, with the same publisher,
 * sequence, times and entries.
 *
 *   make fuzz FUZZ=channel FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_channel_index ix, iy;
	char err[300], *j1 = NULL, *j2 = NULL;
	size_t l1 = 0, l2 = 0;

	err[0] = 0;
	if (rt_channel_index_parse(&ix, (const char *)data, size, err,
	                           sizeof err) != 0) {
		if (!err[0])
			abort();   /* refused without a reason */
		rt_channel_index_release(&ix);
		return 0;
	}
	if (rt_channel_index_write(&j1, &l1, &ix) != 0)
		abort();
	if (rt_channel_index_parse(&iy, j1, l1, err, sizeof err) != 0)
		abort();       /* it wrote what it refuses */
	if (rt_channel_index_write(&j2, &l2, &iy) != 0 || l1 != l2 ||
	    memcmp(j1, j2, l1))
		abort();       /* not stable */
	if (strcmp(ix.publisher, iy.publisher) || ix.sequence != iy.sequence ||
	    ix.issued != iy.issued || ix.expires != iy.expires || ix.n != iy.n ||
	    (ix.n && memcmp(ix.entries, iy.entries, ix.n * sizeof *ix.entries)))
		abort();
	free(j1);
	free(j2);
	rt_channel_index_release(&ix);
	rt_channel_index_release(&iy);
	return 0;
}
