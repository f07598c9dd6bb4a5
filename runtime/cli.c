/*
 * cli.c — command-line parsing and messages shared by steg's subcommands
 * (cli.h).
 *
 * Options are parsed by core/opts.c, the parser stegc uses too: options
 * may come before or after the positional arguments ("steg import x.steg
 * --as A" and "steg import --as A x.steg" both work), and every problem is
 * reported with the command's name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "model.h"
#include "vocab.h"
#include "commands.h"
#include "cli.h"
#include "actions.h"
#include "registry.h"
#include "db.h"
#include "passphrase.h"
#include "term.h"

/* Every message goes out through the escaper: it may quote what a user
 * typed or what a registry or a partner's bundle holds. */
static void put_message(const char *fmt, va_list ap)
{
	st_buf msg, out;
	st_buf_init(&msg);
	st_buf_init(&out);
	st_buf_vprintf(&msg, fmt, ap);
	st_buf_add_escaped(&out, msg.data ? msg.data : "", msg.len);
	fputs("steg: error: ", stderr);
	fputs(out.data ? out.data : "", stderr);
	st_buf_release(&msg);
	st_buf_release(&out);
}

void rt_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int rt_print_findings(const st_diags *d)
{
	st_diags_render(d, stderr, ST_FMT_BRIEF, 0, "steg");
	return st_diags_errors(d);
}

int rt_fail_finding(rt_reg *r, int code, const st_diags *d,
                    const char *prefix, const char *fallback)
{
	return rt_fail(r, code == ST_ERR ? ST_ERR : ST_EIO, "%s%s", prefix,
	               d && st_diags_count(d) ? st_diags_message(d, 0) :
	               fallback);
}

int rt_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'steg %s --help' for its options\n", cmd);
	return RT_USAGE;
}

int rt_check_text(const char *cmd, const char *opt, const char *s,
                  int may_be_empty)
{
	char why[ST_TEXT_WHY];
	if (!*s && !may_be_empty)
		return rt_usage_error(cmd, "'%s' must not be empty", opt);
	if (!st_text_valid(s, ST_TEXT_MAX, why))
		return rt_usage_error(cmd, "'%s' %s; write one line of printable "
		                      "text of at most %d bytes", opt, why,
		                      ST_TEXT_MAX);
	return 0;
}

const char *rt_esc(st_arena *a, const char *s)
{
	return s ? st_escape(a, s) : "";
}

#define RT_OPTS_MAX 32   /* rows of a command's table, --db included */

int rt_parse(rt_ctx *ctx, int argc, char **argv, const char *cmd,
             const st_opt *opts, const char **pos, int maxpos, int *npos,
             const char *help)
{
	st_opt all[RT_OPTS_MAX + 1];
	const char *db = NULL;
	char err[512];
	int n = 0, rc;

	for (; opts->name && n < RT_OPTS_MAX - 1; opts++)
		all[n++] = *opts;
	all[n++] = (st_opt)ST_VALUE("--db", &db);
	all[n] = (st_opt){ NULL };
	rc = st_opts_parse(argc, argv, cmd, all, pos, maxpos, npos, err,
	                   sizeof err);
	if (rc == ST_OPTS_HELP) {
		fputs(help, stdout);
		return RT_OK;
	}
	if (rc != ST_OPTS_OK)
		return rt_usage_error(cmd, "%s", err);
	if (db && !*db)
		return rt_usage_error(cmd, "'--db' needs a file name");
	if (db)
		ctx->db = db;
	return ST_CONTINUE;
}

int rt_parse_ref(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version)
{
	char why[512];
	if (rt_ref_split(ref, id, idn, version, vn, want_version, why,
	                 sizeof why)) {
		rt_error("%s", why);
		return ST_ERR;
	}
	return ST_OK;
}

/* v on stdout, indented, with a final newline, then released: 0, or -1
 * when it could not be written (or v is NULL: out of memory). */
static int put_json(json_t *v)
{
	int rc = 0;
	if (!v)
		return -1;
	if (json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0)
		rc = -1;
	json_decref(v);
	return rc;
}

int rt_print_json(json_t *v)
{
	if (!v) {
		rt_error("out of memory");
		return RT_IO;
	}
	if (put_json(v) != 0) {
		rt_error("cannot write the output");
		return RT_IO;
	}
	return 0;
}

json_t *rt_json_row(json_t *o, sqlite3_stmt *st, const rt_json_field *f)
{
	if (!o && !(o = json_object()))
		return NULL;
	for (; f->key; f++) {
		json_t *v = f->kind == RT_JSON_TEXT ?
		            rt_json_str(rt_col_text(st, f->col)) :
		            f->kind == RT_JSON_INT ?
		            json_integer(rt_col_int(st, f->col)) :
		            json_boolean(rt_col_int(st, f->col) != 0);
		if (json_object_set_new(o, f->key, v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int rt_list_end(rt_reg *r, sqlite3_stmt *st, int step, int rc, json_t *arr)
{
	if (step < 0)
		rc = step;
	rt_db_done(r, st);
	if (!arr)
		return rc;
	if (rc != ST_OK) {
		json_decref(arr);
		return rc;
	}
	if (put_json(arr) != 0)
		return rt_fail(r, ST_EIO, "cannot write the output");
	return ST_OK;
}

/* A key loader's findings printed and its code as an exit code. */
static int key_loaded(st_diags *d, int krc)
{
	if (!d)
		return RT_IO;
	rt_print_findings(d);
	st_diags_free(d);
	return krc == ST_OK ? RT_OK : krc == ST_ERR ? RT_REFUSED : RT_IO;
}

int rt_load_pubkey(st_pubkey *pk, const char *file)
{
	st_diags *d = st_diags_new();
	return key_loaded(d, d ? st_pubkey_load(pk, d, file) : ST_EIO);
}

int rt_load_seckey(st_seckey **k, const char *file, const char *pass_env,
                   const char *pass_file, int unencrypted)
{
	st_diags *d = st_diags_new();
	st_passphrase pass = { pass_env, pass_file, st_term_ask, NULL };
	return key_loaded(d, d ? st_seckey_load(k, d, file, &pass, unencrypted)
	                       : ST_EIO);
}

json_t *rt_json_str(const char *s)
{
	return st_json_str(s);
}

int rt_finish(rt_reg *r, int rc)
{
	/* A reader whose file a writer changed under it says so. */
	if (rc == 0 && r)
		rc = rt_reg_read_stable(r);
	if (rc != 0)
		rt_error("%s", rt_reg_errmsg(r));
	rt_reg_close(r);
	return rt_exit_code(rc);
}
