/*
 * writer-tool.c — a test driver for the bundle writer's self-check
 * (core/bundle_write.c, st_bundle_write_opts.self_check), built by t0306
 * against the core library.
 *
 *   writer-tool DIR OUT [--self-check] [--version V] [--module-id ID]
 *
 * DIR is an unzipped bundle: its program.xml is read as a program, whose
 * pages and media are taken from DIR (pages/..., media/...); the version
 * is set to V and the first module's id to ID when given (a version goes
 * into both documents, a module's id into program.xml only), and the
 * program is written as a bundle to OUT with st_bundle_write, the
 * self-check on or off.  Unchanged, the bundle is the one DIR came from,
 * byte for byte.  The compiler never hands the writer a version or an id
 * its checks refused; this tool can, and so shows what a bug that made
 * the writer's output invalid would give: with the self-check an internal
 * error and nothing written, without it a bundle that every reader
 * refuses.  Nothing in stegc itself can be made to write a broken
 * document on purpose.
 *
 * The findings go to stderr as stegc's brief form.  Exit: the writer's
 * code (0 written, 1 findings, 3 I/O or internal), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "progxml.h"

#define MAX_READ (64u << 20)

/* The pages' bytes and the media's paths from dir. */
static int from_dir(st_program *p, st_arena *a, st_diags *d, const char *dir)
{
	char err[256];
	for (size_t i = 0; i < p->nmodules; i++) {
		for (size_t j = 0; j < p->modules[i].npages; j++) {
			st_page *pg = &p->modules[i].pages[j];
			const char *path = st_sprintf(a, "%s/%s", dir, pg->path);
			if (st_read_file(&pg->xhtml, &pg->xhtml_len, path, MAX_READ, err,
			                 sizeof err) != 0) {
				st_span sp = { path, 0, 0, 0, 0 };
				st_diag(d, ST_ERROR, "tool", sp, "%s", err);
				return ST_EIO;
			}
		}
	}
	for (size_t i = 0; i < p->nmedia; i++)
		p->media[i].disk_path = st_sprintf(a, "%s/%s", dir, p->media[i].path);
	return ST_OK;
}

static void pages_free(st_program *p)
{
	for (size_t i = 0; p && i < p->nmodules; i++)
		for (size_t j = 0; j < p->modules[i].npages; j++)
			free(p->modules[i].pages[j].xhtml);
}

int main(int argc, char **argv)
{
	st_bundle_write_opts wo = { 0, NULL, NULL, 0, 0, 2 };
	const char *version = NULL;
	const char *module_id = NULL;
	if (argc < 3)
		goto usage;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--self-check"))
			wo.self_check = 1;
		else if (!strcmp(argv[i], "--version") && i + 1 < argc)
			version = argv[++i];
		else if (!strcmp(argv[i], "--module-id") && i + 1 < argc)
			module_id = argv[++i];
		else
			goto usage;
	}
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_program *p = NULL;
	char err[256], *xml = NULL;
	size_t len = 0;
	const char *file = st_sprintf(a, "%s/program.xml", argv[1]);
	int rc = st_read_file(&xml, &len, file, MAX_READ, err, sizeof err);
	if (rc != ST_OK) {
		st_span sp = { file, 0, 0, 0, 0 };
		st_diag(d, ST_ERROR, "tool", sp, "%s", err);
		rc = ST_EIO;
	}
	if (rc == ST_OK)
		rc = st_progxml_read(&p, a, d, file, xml, len);
	if (rc == ST_OK)
		rc = from_dir(p, a, d, argv[1]);
	if (rc == ST_OK) {
		if (version)
			p->version = version;
		if (module_id && p->nmodules)
			p->modules[0].id = module_id;
		rc = st_bundle_write(d, p, argv[2], &wo);
	}
	st_diags_render(d, stderr, ST_FMT_BRIEF, 0, "stegc");
	pages_free(p);
	st_diags_free(d);
	st_arena_free(a);
	free(xml);
	return rc == ST_OK ? 0 : rc == ST_ERR ? 1 : 3;
usage:
	fputs("usage: writer-tool DIR OUT [--self-check] [--version V] "
	      "[--module-id ID]\n", stderr);
	return 2;
}
