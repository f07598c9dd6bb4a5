/*
 * opts.c — the one option parser of stegc and steg (opts.h).
 *
 * Hand-written rather than getopt_long: options may come before or after
 * the arguments, every problem is reported in the project's words with
 * the command's name, and the table a command declares is also what the
 * parser checks, so that no command can accept "--opt value" but not
 * "--opt=value".
 */
#include "opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int usage(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int usage(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ST_OPTS_USAGE;
}

static int same(const char *name, const char *a, size_t n)
{
	return name && strlen(name) == n && !strncmp(name, a, n);
}

static const st_opt *find(const st_opt *opts, const char *a, size_t n)
{
	for (; opts->name; opts++)
		if (same(opts->name, a, n) || same(opts->alias, a, n))
			return opts;
	return NULL;
}

/* Store val (NULL for a flag) in o. */
static int take(const st_opt *o, const char *val, char *err, size_t errlen)
{
	switch (o->kind) {
	case ST_OPT_FLAG:
		*o->count = 1;
		return ST_OPTS_OK;
	case ST_OPT_VALUE:
		if (*o->value)
			return usage(err, errlen, "'%s' given twice", o->name);
		*o->value = val;
		if (o->count)
			*o->count = 1;
		return ST_OPTS_OK;
	case ST_OPT_MULTI:
		if (*o->count >= o->max)
			return usage(err, errlen, "'%s' given more than %d times",
			             o->name, o->max);
		o->value[(*o->count)++] = val;
		return ST_OPTS_OK;
	}
	return ST_OPTS_OK;
}

/* The option at argv[*i] (which starts with '-' and is not "-" or "--"):
 * its row and value, taking the next argument when the value is there. */
static int option(int argc, char **argv, int *i, const char *cmd,
                  const st_opt *opts, char *err, size_t errlen)
{
	const char *a = argv[*i], *val = NULL;
	const st_opt *o;
	int glued = 0;

	if (a[1] == '-') {          /* --name or --name=value */
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		o = find(opts, a, n);
		if (!o)
			return usage(err, errlen, "unknown option '%.*s' for '%s'",
			             (int)n, a, cmd);
		if (eq) {
			val = eq + 1;
			glued = 1;
		}
	} else {                    /* -x, -x value or -xvalue */
		size_t n = strlen(a);
		o = find(opts, a, n);
		if (!o && n > 2 && (o = find(opts, a, 2)) &&
		    o->kind == ST_OPT_FLAG)
			o = NULL;
		if (!o)
			return usage(err, errlen, "unknown option '%s' for '%s'",
			             a, cmd);
		if (n > 2 && !same(o->name, a, n) && !same(o->alias, a, n)) {
			val = a + 2;
			glued = 1;
		}
	}
	if (o->kind == ST_OPT_FLAG) {
		if (glued)
			return usage(err, errlen, "'%s' takes no value", o->name);
		return take(o, NULL, err, errlen);
	}
	if (!glued) {
		if (*i + 1 >= argc)
			return usage(err, errlen, "'%s' needs a value", o->name);
		val = argv[++*i];
	}
	return take(o, val, err, errlen);
}

int st_opts_parse(int argc, char **argv, const char *cmd, const st_opt *opts,
                  const char **pos, int maxpos, int *npos, char *err,
                  size_t errlen)
{
	int only_pos = 0, rc;

	*npos = 0;
	err[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || !a[1]) {
			if (*npos >= maxpos)
				return usage(err, errlen, "unexpected argument '%s'", a);
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return ST_OPTS_HELP;
		if ((rc = option(argc, argv, &i, cmd, opts, err, errlen)))
			return rc;
	}
	return ST_OPTS_OK;
}
