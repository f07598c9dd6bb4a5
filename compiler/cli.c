/*
 * cli.c — the options every reporting command shares, and the way findings
 * leave the compiler: text on stderr for people, JSON or SARIF on stdout
 * for machines, and an exit code that says whether there were errors.
 */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sc_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("stegc: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int parse_format(sc_cli *c, const char *v)
{
	if (!strcmp(v, "text"))
		c->format = ST_FMT_TEXT;
	else if (!strcmp(v, "json"))
		c->format = ST_FMT_JSON;
	else if (!strcmp(v, "sarif"))
		c->format = ST_FMT_SARIF;
	else {
		sc_fail("unknown format '%s'; use text, json or sarif", v);
		return -1;
	}
	return 0;
}

int sc_cli_parse(sc_cli *c, int argc, char **argv)
{
	memset(c, 0, sizeof *c);
	c->format = ST_FMT_TEXT;
	const char *color = getenv("NO_COLOR") ? "never" : "auto";
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--format") || !strcmp(a, "--color") || !strcmp(a, "--lix-max")) {
			if (i + 1 >= argc) {
				sc_fail("'%s' needs a value", a);
				return -1;
			}
			val = argv[++i];
		} else if (!strncmp(a, "--format=", 9) || !strncmp(a, "--color=", 8) ||
		           !strncmp(a, "--lix-max=", 10)) {
			val = strchr(a, '=') + 1;
		}
		if (!strncmp(a, "--format", 8) && val) {
			if (parse_format(c, val))
				return -1;
		} else if (!strncmp(a, "--color", 7) && val) {
			color = val;
		} else if (!strncmp(a, "--lix-max", 9) && val) {
			char *end;
			c->lix_max = strtod(val, &end);
			if (*end || c->lix_max <= 0 || c->lix_max > 100) {
				sc_fail("--lix-max takes a number from 1 to 100, not '%s'", val);
				return -1;
			}
		} else if (!strcmp(a, "-Werror")) {
			c->werror = 1;
		} else if (!strncmp(a, "-Wno-", 5) && a[5]) {
			if (c->nno_codes < 32)
				c->no_codes[c->nno_codes++] = a + 5;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = 1;
		} else {
			argv[out++] = argv[i];
		}
	}
	if (!strcmp(color, "always"))
		c->color = 1;
	else if (!strcmp(color, "never"))
		c->color = 0;
	else if (!strcmp(color, "auto"))
		c->color = isatty(2) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	else {
		sc_fail("--color takes auto, always or never, not '%s'", color);
		return -1;
	}
	argv[out] = NULL;
	return out;
}

int sc_cli_begin(sc_cli *c, int *argc, char **argv, void (*usage)(FILE *))
{
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_CLEAN;
		}
	}
	*argc = sc_cli_parse(c, *argc, argv);
	return *argc < 0 ? EXIT_USAGE : -1;
}

st_diags *sc_cli_diags(const sc_cli *c)
{
	st_diags *d = st_diags_new();
	st_diags_set_werror(d, c->werror);
	for (int i = 0; i < c->nno_codes; i++)
		st_diags_disable(d, c->no_codes[i]);
	return d;
}

int sc_cli_finish(const sc_cli *c, st_diags *d)
{
	st_diags_sort(d);
	if (c->format == ST_FMT_TEXT) {
		if (!c->quiet || st_diags_errors(d))
			st_diags_render(d, stderr, ST_FMT_TEXT, c->color, "stegc");
	} else {
		st_diags_render(d, stdout, c->format, 0, "stegc");
	}
	return st_diags_errors(d) ? EXIT_ERRORS : EXIT_CLEAN;
}
