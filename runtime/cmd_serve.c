/*
 * cmd_serve.c — `steg serve`: runs steg-serve, the web server, from the
 * folder steg itself is in (build/, or the installed bin/), with the
 * registry this command was given.  The server is a program of its own
 * so that steg's other commands never load libmicrohttpd and GnuTLS
 * (docs/architecture.md); this is all of it that steg holds.
 */
#include <stdlib.h>
#include "commands.h"
#include "cli.h"

int rt_cmd_serve(rt_ctx *ctx, int argc, char **argv)
{
	char err[512];
	char **args = calloc((size_t)argc + 4, sizeof *args);
	if (!args) {
		rt_error("out of memory");
		return RT_IO;
	}
	args[0] = "steg-serve";
	args[1] = "--db";
	args[2] = (char *)ctx->db;
	for (int i = 1; i < argc; i++)
		args[i + 2] = argv[i];
	st_exec_beside("steg-serve", args, err, sizeof err);
	rt_error("%s", err);
	free(args);
	return RT_IO;
}
