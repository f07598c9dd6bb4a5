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
#include "keyfile.h"
#include "opts.h"
#include "util.h"

struct rt_ctx;
struct rt_reg;

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

/* rt_fail() with a library call's reason: prefix, then the first finding
 * of d (fallback when d is NULL or empty); ST_ERR stays ST_ERR, any other
 * code becomes ST_EIO.  Returns that code. */
int rt_fail_finding(struct rt_reg *r, int code, const struct st_diags *d,
                    const char *prefix, const char *fallback);

/* Split "ID@VERSION" into id and version (copies into the buffers).
 * want_version: 1 the version is required, 0 it is optional (version
 * becomes "").  Returns 0, or ST_ERR after printing why. */
int rt_parse_ref(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version);

/* Print a JSON value to stdout (indented, with a final newline) and
 * release it.  Returns 0 or RT_IO. */
int rt_print_json(json_t *v);

/* The end of every registry command: for a reader, check that the file
 * did not change while it was read (rt_reg_read_stable()); print
 * rt_reg_errmsg() when rc is not 0, close the registry, and return the
 * exit code for rc (rt_exit_code()). */
int rt_finish(struct rt_reg *r, int rc);

struct sqlite3_stmt;

/* One field of a JSON object made from the row a statement stands on
 * (rt_json_row): its key, the column it comes from and its kind. */
typedef enum { RT_JSON_TEXT, RT_JSON_INT, RT_JSON_BOOL } rt_json_kind;
typedef struct rt_json_field {
	const char *key;
	int col;
	rt_json_kind kind;
} rt_json_field;

/* The fields f (up to the one whose key is NULL) of st's current row
 * set into o in their order (a new object when o is NULL): text as
 * rt_json_str (NULL as null), integers as numbers, booleans true when the
 * column is not 0.  Returns o, NULL when out of memory.  Every listing's
 * JSON objects are made by this. */
json_t *rt_json_row(json_t *o, struct sqlite3_stmt *st,
                    const rt_json_field *f);

/* The end of a listing that stepped st until step (RT_DONE, or an error
 * below 0) with rc so far: st finished; arr (when not NULL: the --json
 * listing) printed when all went well, else released.  Returns rc, or
 * step's error, or ST_EIO with the registry's message set ("cannot write
 * the output"), which rt_finish() prints once. */
int rt_list_end(struct rt_reg *r, struct sqlite3_stmt *st, int step, int rc,
                json_t *arr);

/* The keys a command is given as files, with their problems printed
 * (rt_print_findings), warnings too (a secret key others may read):
 * RT_OK, RT_REFUSED when the file is no usable key, RT_IO when it cannot
 * be read.  A secret key's passphrase comes from the environment variable
 * pass_env or the file pass_file, else is asked for on the terminal (none
 * when unencrypted); *k is the caller's to release (st_seckey_free). */
int rt_load_pubkey(st_pubkey *pk, const char *file);
int rt_load_seckey(st_seckey **k, const char *file, const char *pass_env,
                   const char *pass_file, int unencrypted);

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
