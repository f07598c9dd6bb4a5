/*
 * cmd_diff.c — `stegc diff OLD NEW`: what changed between two bundles of
 * one program, classified major, minor or patch (core/diff.h;
 * docs/versioning.md), and whether NEW's version steps far enough.
 *
 *   stegc diff OLD.steg NEW.steg [--format text|json]
 *
 * Both bundles get every check of `stegc verify` first (not the
 * signature: a diff is about content).  Exit 0 when NEW's version is large
 * enough for the change, 1 when it is too small (or a bundle is damaged),
 * 2 usage, 3 I/O — so that CI can run it against the last release.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "bundle.h"
#include "commands.h"
#include "diff.h"
#include "keyopts.h"
#include "util.h"

static const char usage_text[] =
	"usage: stegc diff OLD NEW [--format text|json]\n"
	"\n"
	"Compare two bundles of one program and classify each change: major\n"
	"(scores stop being comparable: a rating form's items, options,\n"
	"formulas or bands; anything removed), minor (added modules, forms,\n"
	"exercises; changed unlock rules, assessments, messages, alerts) or\n"
	"patch (text).  Exits 1 when NEW's version is too small for the\n"
	"change.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

/* --format: a diff's output is a list of changes, not findings, so it
 * takes the forms that carry one (text and json); brief and sarif are
 * forms of findings (docs/cli.md). */
static int parse_args(int argc, char **argv, const char *paths[2], int *json)
{
	const char *format = NULL;
	int np, rc;
	st_opt opts[] = {
		ST_VALUE("--format", &format),
		{ NULL },
	};

	rc = sc_parse(argc, argv, "diff", opts, NULL, paths, 2, &np, usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (format && strcmp(format, "text") && strcmp(format, "json"))
		return sc_usage_error("diff", "'--format' is 'text' or 'json' for "
		                      "diff, not '%s': its output is a list of "
		                      "changes, and brief and sarif are forms of "
		                      "findings", format);
	*json = format && !strcmp(format, "json");
	if (np != 2) {
		sc_fail("diff takes two bundles, OLD and NEW");
		usage(stderr);
		return EXIT_USAGE;
	}
	return ST_CONTINUE;
}

int cmd_diff(int argc, char **argv)
{
	const char *paths[2] = { NULL, NULL };
	int json = 0, ret, rc;
	st_bundle *b[2] = { NULL, NULL };
	st_diags *d = NULL;
	st_arena *a = NULL;
	st_diff df;

	ret = parse_args(argc, argv, paths, &json);
	if (ret != ST_CONTINUE)
		return ret;
	ret = EXIT_IO;
	d = st_diags_new();
	a = st_arena_new();
	for (int i = 0; i < 2; i++) {
		rc = st_bundle_open(&b[i], d, paths[i]);
		if (rc != ST_OK || st_diags_errors(d)) {
			sc_print_findings(d);
			ret = rc == ST_EIO || rc == ST_ENOENT ? EXIT_IO : EXIT_ERRORS;
			goto done;
		}
	}
	const st_program *o = st_bundle_program(b[0]);
	const st_program *n = st_bundle_program(b[1]);
	if (strcmp(o->id, n->id)) {
		fprintf(stderr, "stegc: error: '%s' is program '%s' and '%s' is "
		        "program '%s'; diff compares versions of one program\n",
		        paths[0], o->id, paths[1], n->id);
		ret = EXIT_ERRORS;
		goto done;
	}
	st_diff_programs(&df, a, o, b[0], n, b[1]);
	st_span sp = { paths[1], 0, 0, 0, 0 };
	int vrc = st_diff_check_version(d, &df, o->version, n->version, sp);
	char need[64];
	st_diff_needed_version(need, sizeof need, o->version, df.level);

	if (json) {
		json_t *root = st_diff_json(&df, o->id, o->version, n->version,
		                            vrc == ST_OK);
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2) |
		                        JSON_PRESERVE_ORDER) != 0) {
			json_decref(root);
			fprintf(stderr, "stegc: error: cannot write the output\n");
			goto done;
		}
		putchar('\n');
		json_decref(root);
	} else {
		for (size_t i = 0; i < df.n; i++)
			printf("%s: %s: %s\n", st_change_level_name(df.changes[i].level),
			       df.changes[i].what, df.changes[i].how);
		if (df.level == ST_CHANGE_NONE)
			printf("%s %s -> %s: no change\n", o->id, o->version,
			       n->version);
		else
			printf("%s %s -> %s: a %s change (%zu change%s; needs at least "
			       "%s)\n", o->id, o->version, n->version,
			       st_change_level_name(df.level), df.n,
			       df.n == 1 ? "" : "s", need);
	}
	fflush(stdout);
	if (vrc != ST_OK) {
		sc_print_findings(d);
		ret = EXIT_ERRORS;
		goto done;
	}
	ret = EXIT_CLEAN;
done:
	st_bundle_free(b[0]);
	st_bundle_free(b[1]);
	st_diags_free(d);
	st_arena_free(a);
	return ret;
}
