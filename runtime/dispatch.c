/*
 * dispatch.c — steg's and steg-bundle's command line (commands.h): the
 * global options, the command table, and the commands that are programs
 * of their own installed beside steg: `steg serve` runs steg-serve (the
 * web server, libmicrohttpd and GnuTLS), import, sync and score run
 * steg-bundle (libxml2, libzip, libmagic, OpenSSL), so that steg's other
 * commands never load those libraries (docs/architecture.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "cli.h"
#include "registry.h"

static void usage(FILE *f, const rt_command *cmds, size_t n)
{
	fprintf(f, "usage: steg [--db FILE] COMMAND [ARGS]\n\n"
	        "A region's registry of support and treatment programs.\n\n"
	        "Commands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nThe registry is --db FILE, else $STEG_DB, else ./steg.db.\n"
	        "Run 'steg COMMAND --help' for a command's options; man steg.\n");
}

int rt_main(int argc, char **argv, const rt_command *cmds, size_t n)
{
	rt_ctx ctx = { NULL };

	/* The global --db FILE (or --db=FILE) comes before the command and
	 * goes to the command in its context; a --db after the command's
	 * name (rt_parse) replaces it. */
	while (argc >= 2 && !strncmp(argv[1], "--db", 4) &&
	       (argv[1][4] == '\0' || argv[1][4] == '=')) {
		const char *file = argv[1][4] == '=' ? argv[1] + 5 : argv[2];
		int used = argv[1][4] == '=' ? 1 : 2;
		if (!file || !*file) {
			fprintf(stderr, "steg: error: '--db' needs a file name\n");
			return RT_USAGE;
		}
		ctx.db = file;
		argc -= used;
		argv += used;
	}
	if (!ctx.db)
		ctx.db = rt_db_path();
	if (argc < 2) {
		usage(stderr, cmds, n);
		return RT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout, cmds, n);
		return RT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("steg %s\n", STEG_VERSION);
		return RT_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		return cmds[i].fn(&ctx, argc - 1, argv + 1);
	}
	fprintf(stderr, "steg: error: unknown command '%s'\n"
	        "run 'steg --help' for the list of commands\n", argv[1]);
	return RT_USAGE;
}

/* Run program (beside steg) with --db and argv from first on; returns
 * only when it could not be run. */
static int run_beside(rt_ctx *ctx, const char *program, int argc,
                      char **argv, int first)
{
	char err[512];
	char **args = calloc((size_t)argc + 4, sizeof *args);
	int k = 0;
	if (!args) {
		rt_error("out of memory");
		return RT_IO;
	}
	args[k++] = (char *)program;
	args[k++] = "--db";
	args[k++] = (char *)ctx->db;
	for (int i = first; i < argc; i++)
		args[k++] = argv[i];
	st_exec_beside(program, args, err, sizeof err);
	rt_error("%s", err);
	free(args);
	return RT_IO;
}

/* `steg serve`: steg-serve takes the serve command's options. */
int rt_cmd_serve(rt_ctx *ctx, int argc, char **argv)
{
	return run_beside(ctx, "steg-serve", argc, argv, 1);
}

/* import, sync, score: steg-bundle takes the command's name too. */
int rt_cmd_in_bundle(rt_ctx *ctx, int argc, char **argv)
{
	return run_beside(ctx, "steg-bundle", argc, argv, 0);
}
