/*
 * timeline-tool.c — a test driver for the treatment panel's simulation
 * (render/timeline.h), built by t0856 against the compiler's objects and
 * render/timeline.c.
 *
 *   timeline-tool DIR [ACTION...]
 *
 * compiles the program folder DIR, plays the actions (each argument one
 * line of the script: "complete intro", "wait 7") and prints the JSON.
 *
 * Exit: 0 played, 1 some action could not be played, 2 usage or the
 * program has errors.
 */
#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "timeline.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: timeline-tool DIR [ACTION...]\n", stderr);
		return 2;
	}
	sc_opts o;
	sc_opts_init(&o);
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL;
	int rc = 2;
	if (!sc_compile(&p, a, d, argv[1], &o) && p) {
		st_buf script, out;
		st_buf_init(&script);
		st_buf_init(&out);
		for (int i = 2; i < argc; i++)
			st_buf_printf(&script, "%s\n", argv[i]);
		sr_tl_state st;
		rc = sr_timeline_run(p, script.data, script.len, &out, a, &st) ? 1 : 0;
		fwrite(out.data, 1, out.len, stdout);
		st_buf_release(&script);
		st_buf_release(&out);
	} else {
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "timeline-tool");
	}
	st_diags_free(d);
	st_arena_free(a);
	return rc;
}
