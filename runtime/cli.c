/*
 * cli.c — command-line parsing and messages shared by steg's subcommands
 * (cli.h).
 *
 * A hand-written parser rather than getopt_long: options may come before
 * or after the positional arguments ("steg import x.steg --as A" and
 * "steg import --as A x.steg" both work), and every problem is reported
 * in steg's own words with the command's name, which getopt does not do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "model.h"
#include "commands.h"
#include "cli.h"
#include "registry.h"

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

void rt_print_findings(const st_diags *d)
{
	for (size_t i = 0; i < st_diags_count(d); i++) {
		st_level l = st_diags_level(d, i);
		fprintf(stderr, "steg: %s: %s [%s]\n", l == ST_ERROR ? "error" :
		        l == ST_WARNING ? "warning" : "note",
		        st_diags_message(d, i), st_diags_code(d, i));
	}
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

static const rt_opt *find_opt(const rt_opt *opts, const char *name,
                              size_t n)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == n && !strncmp(opts->name, name, n))
			return opts;
	return NULL;
}

int rt_parse(int argc, char **argv, const char *cmd, const rt_opt *opts,
             const char **pos, int maxpos, int *npos, const char *help)
{
	int only_pos = 0;

	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
			if (*npos >= maxpos)
				return rt_usage_error(cmd, "unexpected argument '%s'", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(help, stdout);
			return -1;
		}
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		const char *val = NULL;
		if (n == 4 && !strncmp(a, "--db", 4)) {
			val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val || !*val)
				return rt_usage_error(cmd, "'--db' needs a file name");
			if (setenv("STEG_DB", val, 1) != 0) {
				rt_error("cannot set STEG_DB");
				return RT_IO;
			}
			continue;
		}
		const rt_opt *o = find_opt(opts, a, n);
		if (!o)
			return rt_usage_error(cmd, "unknown option '%.*s' for '%s'",
			                      (int)n, a, cmd);
		if (o->kind == RT_OPT_FLAG) {
			if (eq)
				return rt_usage_error(cmd, "'%s' takes no value",
				                      o->name);
			*o->flag = 1;
			continue;
		}
		val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val)
			return rt_usage_error(cmd, "'%s' needs a value", o->name);
		if (o->kind == RT_OPT_MULTI) {
			if (*o->flag >= RT_OPT_MULTI_MAX)
				return rt_usage_error(cmd, "'%s' given more than %d "
				                      "times", o->name, RT_OPT_MULTI_MAX);
			o->value[(*o->flag)++] = val;
			continue;
		}
		if (*o->value)
			return rt_usage_error(cmd, "'%s' given twice", o->name);
		*o->value = val;
	}
	return 0;
}

int rt_parse_ref(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version)
{
	const char *at = strchr(ref, '@');
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	long ma, mi, pa;

	if (n == 0 || n >= idn) {
		rt_error("'%s' is not a program reference; write ID@VERSION, "
		         "e.g. se.rjl.depression@1.0.0", ref);
		return ST_ERR;
	}
	memcpy(id, ref, n);
	id[n] = '\0';
	version[0] = '\0';
	if (!st_is_slug(id)) {
		rt_error("'%s' is not a program id (a-z, 0-9, '-' and '.')", id);
		return ST_ERR;
	}
	if (!at) {
		if (want_version) {
			rt_error("'%s' names no version; write %s@VERSION (see "
			         "'steg show %s')", ref, id, id);
			return ST_ERR;
		}
		return ST_OK;
	}
	if (strlen(at + 1) >= vn ||
	    st_semver_parse(at + 1, &ma, &mi, &pa) != 0) {
		rt_error("'%s' is not a version; write MAJOR.MINOR.PATCH, e.g. "
		         "1.0.0", at + 1);
		return ST_ERR;
	}
	snprintf(version, vn, "%s", at + 1);
	return ST_OK;
}

int rt_print_json(json_t *v)
{
	int rc = 0;
	if (!v) {
		rt_error("out of memory");
		return RT_IO;
	}
	if (json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		rt_error("cannot write the output");
		rc = RT_IO;
	}
	json_decref(v);
	return rc;
}

json_t *rt_json_str(const char *s)
{
	size_t n, i = 0, bad;
	st_buf b;
	json_t *v;

	if (!s)
		return json_null();
	n = strlen(s);
	if (st_utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	/* JSON strings are Unicode: a byte that is not UTF-8 (a row from
	 * before the text rule, or planted) becomes U+FFFD, as a browser
	 * would decode it, rather than the field being dropped. */
	st_buf_init(&b);
	while (i < n) {
		if (st_utf8_valid(s + i, n - i, &bad))
			bad = n - i;
		st_buf_add(&b, s + i, bad);
		i += bad;
		if (i < n) {
			st_buf_adds(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	v = json_stringn(b.data ? b.data : "", b.len);
	st_buf_release(&b);
	return v;
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
