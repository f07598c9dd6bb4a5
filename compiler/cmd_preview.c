/*
 * cmd_preview.c — `stegc preview`: runs stegc-preview, the preview's web
 * server (compiler/preview.c, live.c; preview_main.c), from the folder
 * stegc itself is in, with the same arguments.  The server is a program of
 * its own so that stegc's other commands never load libmicrohttpd and
 * GnuTLS at start-up (docs/architecture.md, docs/benchmarks.md); this is
 * all of it that stegc holds.
 */
#include <stdlib.h>

#include "commands.h"
#include "util.h"

int cmd_preview_exec(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 1, sizeof *args);
	char err[512];
	if (!args) {
		sc_fail("out of memory");
		return EXIT_IO;
	}
	args[0] = "stegc-preview";
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	st_exec_beside("stegc-preview", args, err, sizeof err);
	sc_fail("%s", err);
	free(args);
	return EXIT_IO;
}
