/*
 * cli.c — stegc's side of the command line (core/opts.h): the options
 * every reporting command shares, usage errors in stegc's words, and the
 * way findings leave the compiler: text on stderr for people, JSON or
 * SARIF on stdout for machines, and an exit code that says whether there
 * were errors.
 */
#include "commands.h"
#include "compile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SC_OPTS_MAX 32   /* rows of a command's table with the shared ones */

void sc_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("stegc: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int sc_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("stegc: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'stegc %s --help' for its options\n", cmd);
	return EXIT_USAGE;
}

/* The values of the shared options, checked once they are all in. */
static int settle(sc_cli *c, const char *cmd)
{
	const char *color = c->color_arg ? c->color_arg :
	                    getenv("NO_COLOR") ? "never" : "auto";
	if (c->format_arg && st_format_parse(c->format_arg, &c->format))
		return sc_usage_error(cmd, "'--format' takes text, brief, json or "
		                      "sarif, not '%s'", c->format_arg);
	if (c->lix_arg) {
		char *end;
		c->lix_max = strtod(c->lix_arg, &end);
		if (end == c->lix_arg || *end || !(c->lix_max > 0) ||
		    c->lix_max > 100)
			return sc_usage_error(cmd, "'--lix-max' takes a number from 1 "
			                      "to 100, not '%s'", c->lix_arg);
	}
	for (int i = 0; i < c->nw; i++) {
		if (!strcmp(c->w[i], "error"))
			c->werror = 1;
		else if (!strncmp(c->w[i], "no-", 3) && c->w[i][3])
			c->no_codes[c->nno_codes++] = c->w[i] + 3;
		else
			return sc_usage_error(cmd, "unknown option '-W%s'; say -Werror "
			                      "or -Wno-CODE", c->w[i]);
	}
	if (!strcmp(color, "always"))
		c->color = 1;
	else if (!strcmp(color, "never"))
		c->color = 0;
	else if (!strcmp(color, "auto"))
		c->color = isatty(2) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	else
		return sc_usage_error(cmd, "'--color' takes auto, always or never, "
		                      "not '%s'", color);
	return ST_CONTINUE;
}

int sc_parse(int argc, char **argv, const char *cmd, const st_opt *opts,
             sc_cli *cli, const char **pos, int maxpos, int *npos,
             void (*usage)(FILE *))
{
	st_opt all[SC_OPTS_MAX + 1];
	char err[512];
	int n = 0, rc;

	for (; opts && opts->name && n < SC_OPTS_MAX - 6; opts++)
		all[n++] = *opts;
	if (cli) {
		memset(cli, 0, sizeof *cli);
		cli->format = ST_FMT_TEXT;
		all[n++] = (st_opt)ST_VALUE("--format", &cli->format_arg);
		all[n++] = (st_opt)ST_VALUE("--color", &cli->color_arg);
		all[n++] = (st_opt)ST_VALUE("--lix-max", &cli->lix_arg);
		all[n++] = (st_opt)ST_MULTI("-W", cli->w, &cli->nw);
		all[n++] = (st_opt){ .name = "--quiet", .alias = "-q",
		                     .kind = ST_OPT_FLAG, .count = &cli->quiet };
	}
	all[n] = (st_opt){ NULL };
	rc = st_opts_parse(argc, argv, cmd, all, pos, maxpos, npos, err,
	                   sizeof err);
	if (rc == ST_OPTS_HELP) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (rc != ST_OPTS_OK)
		return sc_usage_error(cmd, "%s", err);
	return cli ? settle(cli, cmd) : ST_CONTINUE;
}

int sc_cli_machine(const sc_cli *c)
{
	return c->format == ST_FMT_JSON || c->format == ST_FMT_SARIF;
}

st_diags *sc_cli_diags(const sc_cli *c)
{
	st_diags *d = st_diags_new();
	st_diags_set_werror(d, c->werror);
	for (int i = 0; i < c->nno_codes; i++)
		st_diags_disable(d, c->no_codes[i]);
	return d;
}

void sc_cli_opts(const sc_cli *c, sc_opts *o)
{
	sc_opts_init(o);
	if (c->lix_max > 0)
		o->lix_max = c->lix_max;
}

int sc_cli_finish(const sc_cli *c, st_diags *d)
{
	st_diags_sort(d);
	if (sc_cli_machine(c))
		st_diags_render(d, stdout, c->format, 0, "stegc");
	else if (!c->quiet || st_diags_errors(d))
		st_diags_render(d, stderr, c->format, c->color, "stegc");
	return st_diags_errors(d) ? EXIT_ERRORS : EXIT_CLEAN;
}
