/*
 * main.c — stegc, the compiler: dispatch to the subcommands
 * (compiler/commands.def).  The commands marked SC_CMD run here; the
 * others (check, build, inspect, ...) run in libstegc.so, which
 * compiler/load_full.c loads for them only, so that `stegc --version`,
 * `new`, `keygen` and `preview` never map libxml2 (with ICU and
 * libstdc++), libzip, OpenSSL, libmagic, cmark or libyaml
 * (docs/architecture.md, docs/benchmarks.md).
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "i18n.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);   /* NULL: the command is libstegc.so's */
	const char *help;
} commands[] = {
#define SC_CMD(name, fn, help) { name, fn, help },
#define FULL_CMD(name, fn, help) { name, NULL, help },
#include "commands.def"
#undef SC_CMD
#undef FULL_CMD
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
		if (commands[i].fn)
			return commands[i].fn(argc - 1, argv + 1);
		return sc_run_full(argc - 1, argv + 1);
	}
	fprintf(stderr, "stegc: error: unknown command '%s'\n"
	        "run 'stegc --help' for the list of commands\n", argv[1]);
	return EXIT_USAGE;
}
