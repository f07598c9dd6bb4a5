/*
 * main.c — steg, a region's registry of programs: dispatch to the
 * subcommands (runtime/commands.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "registry.h"


static const struct {
	const char *name;
	int (*fn)(rt_ctx *, int, char **);
	const char *help;
} commands[] = {
	{ "init", rt_cmd_init, "create a registry for a region" },
	{ "unit", rt_cmd_unit, "add or list care units (vårdenheter)" },
	{ "user", rt_cmd_user, "add, deactivate or list users and their roles" },
	{ "trust", rt_cmd_trust, "add, list or remove partner regions' keys" },
	{ "policy", rt_cmd_policy, "show or change the region's policies" },
	{ "import", rt_cmd_import, "verify a bundle and store it" },
	{ "list", rt_cmd_list, "list programs and versions" },
	{ "show", rt_cmd_show, "show one program version and where it runs" },
	{ "approve", rt_cmd_approve, "sign off a version for publishing" },
	{ "publish", rt_cmd_publish, "publish a version to care units" },
	{ "unpublish", rt_cmd_unpublish, "withdraw a publication" },
	{ "activate", rt_cmd_activate, "activate a version at a care unit" },
	{ "deactivate", rt_cmd_deactivate, "stop offering a version at a unit" },
	{ "retire", rt_cmd_retire, "stop new activations of a version" },
	{ "share", rt_cmd_share, "export a version to a channel" },
	{ "sync", rt_cmd_sync, "import what trusted partners publish" },
	{ "score", rt_cmd_score, "score answers to a rating form" },
	{ "audit", rt_cmd_audit, "show or check the audit log, sign checkpoints" },
	{ "serve", rt_cmd_serve, "serve the registry on the web (HTTPS)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: steg [--db FILE] COMMAND [ARGS]\n\n"
	        "A region's registry of support and treatment programs.\n\n"
	        "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nThe registry is --db FILE, else $STEG_DB, else ./steg.db.\n"
	        "Run 'steg COMMAND --help' for a command's options; man steg.\n");
}

int main(int argc, char **argv)
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
		usage(stderr);
		return RT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return RT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("steg %s\n", STEG_VERSION);
		return RT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		return commands[i].fn(&ctx, argc - 1, argv + 1);
	}
	fprintf(stderr, "steg: error: unknown command '%s'\n"
	        "run 'steg --help' for the list of commands\n", argv[1]);
	return RT_USAGE;
}
