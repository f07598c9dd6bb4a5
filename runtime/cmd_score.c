/*
 * cmd_score.c — `steg score BUNDLE FORM --answers FILE`: score a patient's
 * answers to one of a bundle's rating forms and print the scores, their
 * bands and the alerts that fire, as JSON on stdout.
 *
 * The bundle is opened with every check of `stegc verify` (core/bundle.h)
 * and its program is re-checked with the compiler's own semantic checks
 * (core/check.h) before anything is scored: a bundle is never trusted to
 * have come from our compiler.  Scoring itself is core/score.c, the one
 * evaluator both halves of Steg use.  Missing answers are tried for every
 * value they could have had (core/score.h); the result says which items
 * are missing, and a required item left unanswered is an error after the
 * result is printed (never instead of it: an alert computed from an
 * incomplete form is still an alert), unless --partial.
 *
 * Exit codes: 0 scored, 1 bad bundle, form or answers (with a message
 * naming the item), 2 usage, 3 I/O, 4 scored, but required items are not
 * answered (without --partial).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bundle.h"
#include "check.h"
#include "cli.h"
#include "commands.h"
#include "registry.h"
#include "score.h"

static const char score_help[] =
	"usage: steg score BUNDLE|ID@VERSION FORM --answers FILE [--json|--text]\n"
	"                  [--partial] [--db FILE]\n"
	"\n"
	"Score answers to the rating form FORM of the bundle BUNDLE, or of the\n"
	"version ID@VERSION in the registry.  FILE is a\n"
	"JSON object from item id to answer (a number for choice, number and\n"
	"scale items, true/false, a text, or a date as \"YYYY-MM-DD\"; null or\n"
	"a missing item means unanswered).  Prints JSON (the default, --json)\n"
	"or lines of text (--text): which items are missing, each score's value\n"
	"or, when it depends on a missing answer, the range of values it could\n"
	"have and the bands in it, and the alerts that fire (for every answer\n"
	"the missing items could have had) or may fire (for some).\n"
	"\n"
	"  --partial   accept a form whose required items are not all answered\n"
	"\n"
	"Exit codes: 0 scored, 1 bad bundle, form or answers, 2 usage, 3 I/O,\n"
	"4 required items not answered (the result is printed all the same).\n";

static void list_forms(const st_program *p, const char *want)
{
	if (!p->nforms) {
		rt_error("the bundle has no rating form '%s' (it has no forms)",
		         want);
		return;
	}
	st_buf b;
	st_buf_init(&b);
	for (size_t i = 0; i < p->nforms; i++)
		st_buf_printf(&b, "%s'%s'", i ? ", " : "",
		              p->forms[i].id ? p->forms[i].id : "?");
	rt_error("the bundle has no rating form '%s'; its forms: %s", want,
	         b.data);
	st_buf_release(&b);
}

/* The required items of form f that the answers (the file answers) leave
 * unanswered, as one error on stderr. */
static void report_required(const st_score_result *res, const st_form *f,
                            const char *answers)
{
	st_buf names;
	st_buf_init(&names);
	for (size_t i = 0; i < res->nrequired; i++)
		st_buf_printf(&names, "%s'%s'", !i ? ""
		              : i + 1 == res->nrequired ? " and " : ", ",
		              f->items[res->required[i]].id);
	/* A diagnostics list of its own: the command's holds the checker's
	 * warnings about the bundle, which are not news here. */
	st_diags *rd = st_diags_new();
	st_span sp = { answers, 0, 0, 0, 0 };
	st_diag(rd, ST_ERROR, "answers-required", sp,
	        "required item%s %s of form '%s' %s not answered: the "
	        "result is partial; ask the patient, or accept a partial "
	        "result with --partial", res->nrequired == 1 ? "" : "s",
	        names.data, f->id, res->nrequired == 1 ? "is" : "are");
	st_buf_release(&names);
	st_diags_render(rd, stderr, ST_FMT_TEXT, 0, "steg");
	st_diags_free(rd);
}

/* The bundle to score: the file arg, or (when there is no such file)
 * ID@VERSION from the registry, extracted into *tmp (which the caller
 * unlinks and frees).  RT_OK with *path, or the exit code after saying
 * why. */
static int bundle_path(rt_ctx *ctx, const char *arg, const char **path,
                       char **tmp)
{
	char id[160], version[64];
	rt_reg *r = NULL;
	struct stat stt;
	int rc;

	*path = arg;
	if (!strchr(arg, '@') || stat(arg, &stt) == 0)
		return RT_OK;
	if (rt_parse_ref(arg, id, sizeof id, version, sizeof version, 1) !=
	    ST_OK)
		return RT_REFUSED;
	rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY);
	if (rc == ST_OK)
		rc = rt_bundle_extract(r, id, version, tmp);
	if (rc != ST_OK)
		return rt_finish(r, rc);
	rt_reg_close(r);
	*path = *tmp;
	return RT_OK;
}

int rt_cmd_score(rt_ctx *ctx, int argc, char **argv)
{
	const char *answers = NULL, *pos[2];
	int npos, rc, as_json = 0, as_text = 0, partial = 0;
	st_opt opts[] = {
		ST_VALUE("--answers", &answers),
		ST_FLAG("--json", &as_json),
		ST_FLAG("--text", &as_text),
		ST_FLAG("--partial", &partial),
		{ NULL },
	};
	rc = rt_parse(ctx, argc, argv, "score", opts, pos, 2, &npos, score_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 2 || !answers)
		return rt_usage_error("score",
		                      "'score' needs BUNDLE, FORM and --answers FILE");
	if (as_json && as_text)
		return rt_usage_error("score", "--json and --text do not go "
		                      "together; choose one");

	st_diags *d = st_diags_new();
	st_arena *a = st_arena_new();
	st_bundle *b = NULL;
	char *json = NULL;
	char *out = NULL;
	char *tmp = NULL;      /* extracted bundle of ID@VERSION */
	size_t len = 0;
	char err[256];
	int exit_code = RT_REFUSED;

	const char *path = pos[0];
	if ((exit_code = bundle_path(ctx, pos[0], &path, &tmp)) != RT_OK)
		goto done;
	exit_code = RT_REFUSED;
	rc = st_bundle_open(&b, d, path);
	if (rc != ST_OK) {
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "steg");
		if (rc == ST_EIO || rc == ST_ENOENT)
			exit_code = RT_IO;
		goto done;
	}
	/* The program is the bundle's; its parsed expressions go into a. */
	st_program *p = (st_program *)st_bundle_program(b);
	if (st_check_program(a, d, p) || st_diags_errors(d)) {
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "steg");
		rt_error("the bundle's program does not pass the checks; it is "
		         "not scored");
		goto done;
	}
	const st_form *f = st_program_form(p, pos[1]);
	if (!f) {
		list_forms(p, pos[1]);
		goto done;
	}

	rc = st_read_file(&json, &len, answers, ST_ANSWERS_MAX_BYTES, err,
	                  sizeof err);
	if (rc != ST_OK) {
		rt_error("cannot read answers '%s': %s", answers, err);
		exit_code = rc == ST_ETOOBIG || rc == ST_ENOTREG ? RT_REFUSED
		                                                 : RT_IO;
		goto done;
	}
	st_answers ans;
	if (st_answers_parse(&ans, a, d, f, answers, json, len) != ST_OK) {
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "steg");
		goto done;
	}
	st_score_result res;
	st_score_form(&res, a, &ans);
	out = as_text ? st_score_text(&res) : st_score_json(&res);
	if (!out) {
		rt_error("out of memory");
		exit_code = RT_IO;
		goto done;
	}
	if (fputs(out, stdout) == EOF || fflush(stdout) == EOF) {
		rt_error("cannot write the result: %s", "output error");
		exit_code = RT_IO;
		goto done;
	}
	exit_code = RT_OK;
	if (res.nmissing && !as_text) {
		/* JSON is for programs; say it to the person running it too. */
		char *line = st_score_summary(&res);
		fprintf(stderr, "steg: form '%s': %s\n", f->id, line);
		free(line);
	}
	if (res.nrequired && !partial) {
		report_required(&res, f, answers);
		exit_code = RT_PARTIAL;
	}
done:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(out);
	free(json);
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return exit_code;
}
