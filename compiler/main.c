/*
 * main.c — stegc, the compiler: dispatch to the subcommands
 * (compiler/commands.h).
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "i18n.h"


static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "new", cmd_new, "create a starter program that builds clean" },
	{ "check", cmd_check, "check a program folder and report every finding" },
	{ "build", cmd_build, "check a program and write its bundle" },
	{ "stats", cmd_stats, "words, reading time and readability of each module and page" },
	{ "inspect", cmd_inspect, "say what is inside a bundle" },
	{ "verify", cmd_verify, "verify a bundle: hashes, schemas, zip safety, signature" },
	{ "keygen", cmd_keygen, "make an Ed25519 key pair (minisign format)" },
	{ "sign", cmd_sign, "sign a bundle's manifest" },
	{ "diff", cmd_diff, "compare two bundles and classify the change" },
	{ "export-fhir", cmd_export_fhir, "write a rating form as a FHIR R4 Questionnaire" },
	{ "import-fhir", cmd_import_fhir, "write forms/ID.yaml from a FHIR Questionnaire" },
	{ "preview", cmd_preview_exec, "serve the program as its patient meets it, on a local web server" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: stegc COMMAND [OPTIONS] [ARGS]\n\n"
	        "The Steg compiler: program sources (YAML and Markdown) to signed,\n"
	        "reproducible bundles.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nExit codes: 0 clean, 1 errors in the sources or bundle, "
	        "2 usage, 3 I/O or internal.\n"
	        "Findings are in Swedish when LANG (or LC_ALL, LC_MESSAGES) names it,\n"
	        "as LANG=sv_SE.UTF-8; codes and positions never change.\n"
	        "Run 'stegc COMMAND --help' for a command's options; man stegc.\n");
}

int main(int argc, char **argv)
{
	st_i18n_init();   /* the language of messages only (i18n.h) */
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("stegc %s\n", STEG_VERSION);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "stegc: error: unknown command '%s'\n"
	        "run 'stegc --help' for the list of commands\n", argv[1]);
	return EXIT_USAGE;
}
