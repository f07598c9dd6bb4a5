/*
 * fhir_fuzz.c — a libFuzzer entry point for `stegc import-fhir` (the
 * importer's JSON path in compiler/fhir_import.c: jansson, items, answer
 * options and value sets, enableWhen, SDC scores and Steg's own
 * extensions, and the YAML it writes).  The harness calls the whole
 * command, cmd_import_fhir, so that the file it writes is tested too,
 * with the input in a temporary file:
 *
 *   import-fhir IN.json -o TMPDIR --force -q --format json|sarif
 *
 * (findings go to stdout, which the harness sends to /dev/null).  Every
 * input must end in findings or a form file without a crash, a leak or
 * a sanitizer report, and a form file it writes must be YAML that the
 * compiler's own loader reads back without a YAML error (yaml-syntax,
 * duplicate-key, encoding): the importer's quoting is the thing under
 * test there.  The first byte chooses the output format.
 *
 *   make fuzz FUZZ=fhir FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "compile.h"
#include "yamlload.h"

static char dir[] = "/tmp/fhir_fuzz.XXXXXX";
static char in[sizeof dir + 16], forms[sizeof dir + 16];
static int ready;

static void setup(void)
{
	if (!mkdtemp(dir))
		abort();
	snprintf(in, sizeof in, "%s/in.json", dir);
	snprintf(forms, sizeof forms, "%s/forms", dir);
	if (!freopen("/dev/null", "w", stdout))
		abort();
	ready = 1;
}

static void check_written(void)
{
	DIR *dd = opendir(forms);
	struct dirent *e;
	if (!dd)
		return;
	while ((e = readdir(dd))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", forms, e->d_name);
		char *text = NULL, err[256];
		size_t len;
		if (st_read_file(&text, &len, path, 8u << 20, err, sizeof err))
			abort();
		st_arena *a = st_arena_new();
		st_diags *d = st_diags_new();
		st_ynode *root = st_yaml_load(a, d, path, text, len, 0, 0);
		if (!root) {
			st_diags_add_source(d, path, text, len);
			st_diags_render(d, stderr, ST_FMT_TEXT, 0, "fhir_fuzz");
			abort();   /* the importer wrote YAML we cannot read */
		}
		st_form f;
		memset(&f, 0, sizeof f);
		char *id = st_strndup(a, e->d_name, strcspn(e->d_name, "."));
		sc_load_form(&f, a, d, root, path, id);
		st_diags_free(d);
		st_arena_free(a);
		free(text);
		unlink(path);
	}
	closedir(dd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!ready)
		setup();
	FILE *f = fopen(in, "wb");
	if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
		abort();
	char *argv[] = {
		"import-fhir", in, "-o", dir, "--force", "-q", "--format",
		data[0] & 1 ? "sarif" : "json", NULL,
	};
	cmd_import_fhir(8, argv);
	check_written();
	return 0;
}
