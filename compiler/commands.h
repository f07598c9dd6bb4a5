/*
 * commands.h — stegc's subcommands.  Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the exit code:
 * 0 clean, 1 the sources or bundle have errors, 2 usage, 3 I/O or internal.
 */
#ifndef SC_COMMANDS_H
#define SC_COMMANDS_H

#include <stdio.h>

#include "diag.h"

enum { EXIT_CLEAN = 0, EXIT_ERRORS = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

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
int cmd_preview(int argc, char **argv);

/* Shared option handling (cli.c).  Parses the options every command that
 * reports findings accepts: --format text|json|sarif, -Werror, --color,
 * -q.  Consumed arguments are removed from argv; returns the new argc, or
 * -1 after printing a usage error. */
typedef struct sc_cli {
	st_format format;
	int werror;
	int color;
	int quiet;
	double lix_max;          /* --lix-max N; 0 = the default */
	const char *no_codes[32];/* -Wno-CODE */
	int nno_codes;
} sc_cli;
int sc_cli_parse(sc_cli *c, int argc, char **argv);
/* The start of every command that reports findings: --help or -h prints
 * usage to stdout, then the shared options are parsed.  Returns -1 to go
 * on (with *argc updated), else the exit code to return at once. */
int sc_cli_begin(sc_cli *c, int *argc, char **argv, void (*usage)(FILE *));
/* A diagnostics set configured per the options (-Werror, -Wno-CODE). */
st_diags *sc_cli_diags(const sc_cli *c);
/* Render the findings per the options and return the exit code they
 * imply (0 or 1). */
int sc_cli_finish(const sc_cli *c, st_diags *d);
/* Print "stegc: error: ..." to stderr (usage and I/O problems). */
void sc_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
