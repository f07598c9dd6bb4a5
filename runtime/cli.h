/*
 * cli.h — what every steg subcommand does with its command line: options
 * anywhere among the arguments (--as X or --as=X, core/opts.h), "--" to
 * end them, --help, the per-command --db, messages in steg's one style
 * ("steg: error: ..."), ID@VERSION references and JSON output.
 *
 * Kept apart from registry.h so that the registry's rules do not depend on
 * how a command line looks, and so that every command parses the same way.
 */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <jansson.h>
#include "opts.h"
#include "util.h"

struct rt_ctx;

/* Parse a command's options (core/opts.h: opts is a table of ST_VALUE,
 * ST_FLAG and ST_MULTI rows ending with { NULL }; argv[0] is the
 * command's name, cmd its full name for messages, e.g. "user add").
 * Every command also takes --db FILE, which replaces ctx->db, and --help
 * (prints help, which should begin with the usage line, to stdout).
 * Positional arguments go to pos (at most maxpos; more is a usage error).
 * Returns ST_CONTINUE to go on, else the exit code to return at once:
 * RT_OK after --help, RT_USAGE after printing the problem. */
int rt_parse(struct rt_ctx *ctx, int argc, char **argv, const char *cmd,
             const st_opt *opts, const char **pos, int maxpos, int *npos,
             const char *help);

/* "steg: error: <message>\n" on stderr.  The message goes through the
 * escaper (st_buf_add_escaped), so it may quote any text as it is. */
void rt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "run 'steg CMD --help' ..."; returns
 * RT_USAGE. */
int rt_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct st_diags;
/* Findings of library code (e.g. a warning about a key file) on stderr in
 * the brief form (core/diag.h): "steg: warning: message [code]",
 * "steg: error: ...", each at its own level.  Returns the number of
 * errors. */
int rt_print_findings(const struct st_diags *d);

/* Split "ID@VERSION" into id and version (copies into the buffers).
 * want_version: 1 the version is required, 0 it is optional (version
 * becomes "").  Returns 0, or ST_ERR after printing why. */
int rt_parse_ref(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version);

/* Print a JSON value to stdout (indented, with a final newline) and
 * release it.  Returns 0 or RT_IO. */
int rt_print_json(json_t *v);

struct rt_reg;
/* The end of every registry command: for a reader, check that the file
 * did not change while it was read (rt_reg_read_stable()); print
 * rt_reg_errmsg() when rc is not 0, close the registry, and return the
 * exit code for rc (rt_exit_code()). */
int rt_finish(struct rt_reg *r, int rc);

/* A JSON string of any stored text: NULL as JSON null, bytes that are
 * not UTF-8 as U+FFFD, so that no field is ever dropped. */
json_t *rt_json_str(const char *s);

/* A name, title or comment given as option opt ("--name") of cmd: the
 * text rule of core/util.h (st_text_valid, ST_TEXT_MAX bytes), and not
 * empty unless may_be_empty.  0, or RT_USAGE after saying why. */
int rt_check_text(const char *cmd, const char *opt, const char *s,
                  int may_be_empty);

/* Stored text for a text or TSV line: escaped (st_escape) into a, "" for
 * NULL.  Every listing prints what it read from the registry through
 * this. */
const char *rt_esc(st_arena *a, const char *s);

#endif
