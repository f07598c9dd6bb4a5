/*
 * cmd_fhir.c — stegc export-fhir and import-fhir (docs/fhir.md): the
 * options, the files and the findings; the translations are
 * fhir_export.c and fhir_import.c (fhir.h).
 *
 *   stegc export-fhir BUNDLE FORM [-o FILE]
 *   stegc import-fhir FILE [-o DIR] [--id ID] [--force]
 *
 * Export reads a verified bundle (core/bundle.h) and writes one form as a
 * Questionnaire to standard output or a file; import reads a
 * Questionnaire (bounded size) and writes DIR/forms/ID.yaml atomically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "commands.h"
#include "fhir.h"
#include "vocab.h"

static void export_usage(FILE *f)
{
	fprintf(f, "usage: stegc export-fhir BUNDLE FORM [-o|--output FILE]\n\n"
	        "Write rating form FORM of BUNDLE as an HL7 FHIR R4 Questionnaire\n"
	        "(JSON) to standard output or FILE.  What FHIR cannot express is\n"
	        "reported as a warning [fhir-unsupported]; see docs/fhir.md.\n");
}

int cmd_export_fhir(int argc, char **argv)
{
	sc_cli cli;
	const char *bpath = NULL, *form = NULL, *out = NULL;
	st_diags *d = NULL;
	st_bundle *b = NULL;
	st_arena *a = NULL;
	json_t *q = NULL;
	char *text = NULL;
	int rc = EXIT_IO;

	const char *pos[2];
	int npos;
	st_opt opts[] = {
		{ .name = "--output", .alias = "-o", .kind = ST_OPT_VALUE,
		  .value = &out },
		{ NULL },
	};
	int early = sc_parse(argc, argv, "export-fhir", opts, &cli, pos, 2,
	                     &npos, export_usage);
	if (early != ST_CONTINUE)
		return early;
	if (npos != 2) {
		export_usage(stderr);
		return EXIT_USAGE;
	}
	bpath = pos[0];
	form = pos[1];
	if (sc_cli_machine(&cli) && !out) {
		/* The findings would be mixed into the questionnaire. */
		sc_fail("--format json or sarif writes the findings to standard "
		        "output: give the questionnaire a file with -o");
		return EXIT_USAGE;
	}
	d = sc_cli_diags(&cli);
	a = st_arena_new();
	if (st_bundle_open(&b, d, bpath) != 0) {
		rc = sc_cli_finish(&cli, d);
		if (rc == EXIT_CLEAN)
			rc = EXIT_IO;
		goto done;
	}
	q = sc_fhir_export(a, d, bpath, st_bundle_program(b), form);
	if (!q) {
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	text = json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		sc_fail("cannot serialise the questionnaire");
		goto done;
	}
	size_t len = strlen(text);
	st_buf body;
	st_buf_init(&body);
	st_buf_add(&body, text, len);
	st_buf_addc(&body, '\n');
	if (st_diags_errors(d)) {
		st_buf_release(&body);
		rc = sc_cli_finish(&cli, d);
		goto done;
	}
	if (out) {
		char err[512];
		if (st_write_file_atomic(out, body.data, body.len, err,
		                         sizeof err) != 0) {
			st_buf_release(&body);
			sc_cli_finish(&cli, d);
			sc_fail("%s", err);
			goto done;
		}
	} else if (fwrite(body.data, 1, body.len, stdout) != body.len ||
	           fflush(stdout) != 0) {
		st_buf_release(&body);
		sc_fail("cannot write the questionnaire: %s", strerror(errno));
		goto done;
	}
	st_buf_release(&body);
	rc = sc_cli_finish(&cli, d);
done:
	free(text);
	json_decref(q);
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}

static void import_usage(FILE *f)
{
	fprintf(f, "usage: stegc import-fhir FILE [-o|--output DIR] [--id ID] "
	        "[--force]\n\n"
	        "Write DIR/forms/ID.yaml (DIR defaults to '.') from an HL7 FHIR R4\n"
	        "Questionnaire in JSON.  Whatever cannot be carried over is\n"
	        "reported with its FHIR path [fhir-unsupported].  --force replaces\n"
	        "an existing form file.  See docs/fhir.md.\n");
}

int cmd_import_fhir(int argc, char **argv)
{
	sc_cli cli;
	const char *path = NULL, *dir = ".", *want_id = NULL;
	int force = 0, rc = EXIT_IO;
	st_diags *d = NULL;
	st_arena *a = NULL;
	char *data = NULL;
	char err[512];

	const char *dir_arg = NULL;
	int npos;
	st_opt opts[] = {
		{ .name = "--output", .alias = "-o", .kind = ST_OPT_VALUE,
		  .value = &dir_arg },
		ST_VALUE("--id", &want_id),
		ST_FLAG("--force", &force),
		{ NULL },
	};
	int early = sc_parse(argc, argv, "import-fhir", opts, &cli, &path, 1,
	                     &npos, import_usage);
	if (early != ST_CONTINUE)
		return early;
	if (!npos) {
		import_usage(stderr);
		return EXIT_USAGE;
	}
	if (dir_arg)
		dir = dir_arg;
	if (want_id && !st_is_ident(want_id)) {
		sc_fail("'%s' is not a form id: use a-z, 0-9 and '_', starting "
		        "with a letter", want_id);
		return EXIT_USAGE;
	}
	d = sc_cli_diags(&cli);
	a = st_arena_new();
	size_t len;
	int r = st_read_file(&data, &len, path, FHIR_MAX_BYTES, err,
	                     sizeof err);
	if (r != 0) {
		if (r == ST_ETOOBIG) {
			st_span sp = { .file = path };
			st_diag(d, ST_ERROR, "fhir-json", sp, "%s", err);
			rc = sc_cli_finish(&cli, d);
		} else {
			sc_fail("%s", err);
		}
		goto done;
	}
	sc_fhir_form ff;
	if (sc_fhir_import(a, d, path, data, len, want_id, &ff) != 0) {
		rc = sc_cli_finish(&cli, d);
		goto done;
	}

	const char *fdir = st_path_join(a, dir, "forms");
	const char *out = st_path_join(a, fdir, st_sprintf(a, "%s.yaml", ff.id));
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		sc_cli_finish(&cli, d);
		sc_fail("'%s' is not a folder", dir);
		goto done;
	}
	if (mkdir(fdir, 0777) != 0 && errno != EEXIST) {
		sc_cli_finish(&cli, d);
		sc_fail("cannot create '%s': %s", fdir, strerror(errno));
		goto done;
	}
	if (!force && stat(out, &st) == 0) {
		sc_cli_finish(&cli, d);
		sc_fail("'%s' exists; use --force to replace it", out);
		rc = EXIT_USAGE;
		goto done;
	}
	if (st_write_file_atomic(out, ff.yaml, ff.len, err, sizeof err) != 0) {
		sc_cli_finish(&cli, d);
		sc_fail("%s", err);
		goto done;
	}
	rc = sc_cli_finish(&cli, d);
	if (!cli.quiet)
		fprintf(!sc_cli_machine(&cli) ? stdout : stderr,
		        "wrote %s: %zu item%s, %zu score%s, %zu alert%s, "
		        "%d warning%s\n", out, ff.nitems, ff.nitems == 1 ? "" : "s",
		        ff.nscores, ff.nscores == 1 ? "" : "s", ff.nalerts,
		        ff.nalerts == 1 ? "" : "s", st_diags_warnings(d),
		        st_diags_warnings(d) == 1 ? "" : "s");
done:
	free(data);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}
