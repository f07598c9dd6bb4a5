/*
 * opts.h — the command line of both binaries: one table-driven option
 * parser and one set of exit codes (docs/cli.md).
 *
 * A command declares its options in a table of st_opt, ended by a { NULL }
 * row, and calls its binary's wrapper (stegc: sc_parse, compiler/
 * commands.h; steg: rt_parse, runtime/cli.h), which calls st_opts_parse
 * and prints what it says.  The conventions, the same for every command:
 *
 *   --opt=value and --opt value      both, for every option with a value
 *   -o value, -ovalue                a one-letter name takes its value
 *                                    either way (-Werror is -W error)
 *   options and arguments mixed      "build DIR -o F" = "build -o F DIR"
 *   --                               ends the options: what follows are
 *                                    arguments, even "-x"
 *   -                                an argument (standard input)
 *   --help, -h                       the command's help on stdout, exit 0
 *   a value option given twice       a usage error; ST_OPT_MULTI options
 *                                    are the ones that may repeat
 *
 * Library code: it prints nothing; a usage problem comes back as a message
 * naming the option and the command.
 */
#ifndef ST_OPTS_H
#define ST_OPTS_H

#include <stddef.h>

/* The exit codes of stegc and steg. */
typedef enum {
	ST_EXIT_OK = 0,       /* done (for a check: no errors) */
	ST_EXIT_ERRORS = 1,   /* errors in the input, or the action was refused */
	ST_EXIT_USAGE = 2,    /* the command line is wrong */
	ST_EXIT_IO = 3,       /* I/O or internal */
	ST_EXIT_PARTIAL = 4   /* done in part: steg sync took some versions and
	                         refused others; steg score: required answers
	                         are missing */
} st_exit;

/* What a command's option parsing returns (sc_parse, rt_parse):
 * ST_CONTINUE to go on, else the exit code to return at once
 * (ST_EXIT_OK after --help, ST_EXIT_USAGE after a usage error). */
#define ST_CONTINUE (-1)

typedef enum {
	ST_OPT_FLAG,    /* no value; *count is set to 1 */
	ST_OPT_VALUE,   /* one value in *value; given twice is a usage error */
	ST_OPT_MULTI    /* repeatable: value[] (max entries) gets each value in
	                   turn, *count how many */
} st_opt_kind;

typedef struct st_opt {
	const char *name;     /* "--sign", or a one-letter "-o" */
	st_opt_kind kind;
	const char **value;   /* VALUE and MULTI: where the values go */
	int *count;           /* FLAG and MULTI (for VALUE: may be NULL) */
	int max;              /* MULTI: the capacity of value[] */
	const char *alias;    /* another spelling ("-q" for "--quiet"), or NULL */
} st_opt;

/* Rows of a table: ST_VALUE("--sign", &key), ST_FLAG("--json", &json),
 * ST_MULTI("--checkpoint", files, &nfiles) with files an array; a row
 * with an alias is written out: { .name = "--quiet", .alias = "-q",
 * .kind = ST_OPT_FLAG, .count = &quiet }.  The table ends with { NULL }. */
#define ST_FLAG(n, flag) { .name = (n), .kind = ST_OPT_FLAG, .count = (flag) }
#define ST_VALUE(n, var) { .name = (n), .kind = ST_OPT_VALUE, .value = (var) }
#define ST_MULTI(n, arr, cnt) { .name = (n), .kind = ST_OPT_MULTI, \
	.value = (arr), .count = (cnt), .max = (int)(sizeof (arr) / sizeof *(arr)) }

enum {
	ST_OPTS_OK = 0,       /* parsed: go on */
	ST_OPTS_HELP = 1,     /* --help or -h was given */
	ST_OPTS_USAGE = 2     /* a usage error, described in err */
};

/* Parse argv[1..argc-1] (argv[0] is the command) against opts.  Values
 * point into argv.  Arguments that are not options go to pos in order (at
 * most maxpos; one more is a usage error), their number to *npos.  cmd
 * names the command in messages ("build", "trust add").  err (errlen
 * bytes) receives the message of a usage error, e.g. "unknown option
 * '--x' for 'build'".  Returns ST_OPTS_OK, ST_OPTS_HELP or ST_OPTS_USAGE. */
int st_opts_parse(int argc, char **argv, const char *cmd, const st_opt *opts,
                  const char **pos, int maxpos, int *npos, char *err,
                  size_t errlen);

#endif
