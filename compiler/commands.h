/*
 * commands.h — stegc's subcommands.  Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the exit code:
 * 0 clean, 1 the sources or bundle have errors, 2 usage, 3 I/O or internal.
 */
#ifndef SC_COMMANDS_H
#define SC_COMMANDS_H

#include <stdio.h>

#include "diag.h"
#include "opts.h"

/* The exit codes are core's (core/opts.h), in stegc's words. */
enum { EXIT_CLEAN = ST_EXIT_OK, EXIT_ERRORS = ST_EXIT_ERRORS,
       EXIT_USAGE = ST_EXIT_USAGE, EXIT_IO = ST_EXIT_IO };

int cmd_new(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_export_fhir(int argc, char **argv);
int cmd_import_fhir(int argc, char **argv);
/* stegc's `preview` runs stegc-preview (cmd_preview.c), whose main calls
 * cmd_preview (preview.c): only stegc-preview links libmicrohttpd. */
int cmd_preview_exec(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* Run a command of libstegc.so (compiler/commands.def, FULL_CMD): load it
 * from beside stegc or from STEG_LIBDIR (load_full.c) and call its
 * sc_full_main with argv[0] the command's name.  Returns the command's
 * exit code, or EXIT_IO after saying on stderr why it cannot be loaded. */
int sc_run_full(int argc, char **argv);

/* The options every command that reports findings takes (cli.c):
 * --format text|brief|json|sarif, -Werror, -Wno-CODE, --lix-max N,
 * --color auto|always|never, -q/--quiet. */
typedef struct sc_cli {
	st_format format;
	int werror;
	int color;
	int quiet;
	double lix_max;          /* --lix-max N; 0 = the default */
	const char *no_codes[32];/* -Wno-CODE */
	int nno_codes;
	/* as given, before sc_parse checks them */
	const char *format_arg, *color_arg, *lix_arg, *w[32];
	int nw;
} sc_cli;

/* Parse a command's options: the rows of opts (core/opts.h; NULL for
 * none) and, when cli is not NULL, the shared ones above, which land in
 * *cli.  cmd names the command in messages ("build").  Arguments that are
 * not options go to pos (at most maxpos).  Returns ST_CONTINUE to go on,
 * else the exit code to return at once: EXIT_CLEAN after --help (usage
 * printed on stdout), EXIT_USAGE after a usage error (printed by
 * sc_usage_error). */
int sc_parse(int argc, char **argv, const char *cmd, const st_opt *opts,
             sc_cli *cli, const char **pos, int maxpos, int *npos,
             void (*usage)(FILE *));
/* "stegc: error: MESSAGE" and "run 'stegc CMD --help' for its options" on
 * stderr; returns EXIT_USAGE. */
int sc_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Whether the findings take standard output (json, sarif), so that other
 * messages go to standard error. */
int sc_cli_machine(const sc_cli *c);
/* A diagnostics set configured per the options (-Werror, -Wno-CODE). */
st_diags *sc_cli_diags(const sc_cli *c);
/* The compile options the shared ones imply: sc_opts_init's, and
 * --lix-max when given (compile.h). */
struct sc_opts;
void sc_cli_opts(const sc_cli *c, struct sc_opts *o);
/* Render the findings per the options and return the exit code they
 * imply (0 or 1). */
int sc_cli_finish(const sc_cli *c, st_diags *d);
/* Print "stegc: error: ..." to stderr (usage and I/O problems). */
void sc_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
