/*
 * cmd_serve.c — `steg serve`: runs steg-serve, the web server, from the
 * folder steg itself is in (build/, or the installed bin/), with the
 * registry this command was given.  The server is a program of its own
 * so that steg's other commands never load libmicrohttpd and GnuTLS
 * (docs/architecture.md); this is all of it that steg holds.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "cli.h"

int rt_cmd_serve(rt_ctx *ctx, int argc, char **argv)
{
	char self[PATH_MAX], prog[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;
	char **args;

	if (n <= 0) {
		rt_error("cannot find the folder steg is in: %s", strerror(errno));
		return RT_IO;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(prog, sizeof prog, "%s/steg-serve", self);
	if (!(args = calloc((size_t)argc + 4, sizeof *args))) {
		rt_error("out of memory");
		return RT_IO;
	}
	args[0] = "steg-serve";
	args[1] = "--db";
	args[2] = (char *)ctx->db;
	for (int i = 1; i < argc; i++)
		args[i + 2] = argv[i];
	execv(prog, args);
	rt_error("cannot run '%s': %s (it is installed beside steg)", prog,
	         strerror(errno));
	free(args);
	return RT_IO;
}
