/*
 * refs.c — cross-references between the parts of a program: links between
 * modules, media that modules show, the exercises and forms that component
 * blocks name, and media nobody uses.  What involves expressions (unlock,
 * show-if, assessments' forms and scores) is checked in core/check.c.
 *
 * Lookups go through small sorted indexes so that a program of a thousand
 * modules costs n log n, not n².
 */
#include "compile.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct name_idx {
	const char *name;
	size_t i;
};

static int cmp_idx(const void *a, const void *b)
{
	return strcmp(((const struct name_idx *)a)->name, ((const struct name_idx *)b)->name);
}

static struct name_idx *make_idx(size_t n)
{
	struct name_idx *x = malloc((n ? n : 1) * sizeof *x);
	if (!x)
		abort();
	return x;
}

static long find(struct name_idx *x, size_t n, const char *name)
{
	struct name_idx key = { name, 0 };
	struct name_idx *r = bsearch(&key, x, n, sizeof *x, cmp_idx);
	return r ? (long)r->i : -1;
}

/* A caption file (.vtt), named by a video and the program's language. */
static int is_caption(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n > 4 && !strcmp(path + n - 4, ".vtt");
}

/* "media/film.mp4" -> is "media/film.LANG.vtt" present? */
static long caption_of(struct name_idx *mi, size_t n, const st_program *p,
                       const char *video)
{
	const char *dot = strrchr(video, '.');
	if (!dot)
		return -1;
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "%.*s.%s.vtt", (int)(dot - video), video,
	              p->language ? p->language : "sv");
	long r = find(mi, n, b.data);
	st_buf_release(&b);
	return r;
}

/* "; did you mean 'X'?" for name among the n names at base + i * size
 * (a field of an array of structs), or "". */
static const char *did_you_mean(st_buf *b, const char *name, const void *base,
                                size_t n, size_t size, size_t off)
{
	const char *best = NULL;
	int rank = -1;
	for (size_t i = 0; i < n; i++) {
		const char *c = *(const char *const *)((const char *)base +
		                                       i * size + off);
		if (c)
			best = st_suggest_pick(name, best, &rank, c);
	}
	if (!best)
		return "";
	b->len = 0;
	st_buf_printf(b, st_tr_fmt("; did you mean '%s'?"), best);
	return b->data;
}

#define DYM(b, name, arr, n, field) \
	did_you_mean(b, name, arr, n, sizeof *(arr), \
	             (size_t)((const char *)&(arr)->field - (const char *)(arr)))

int sc_check_refs(st_program *p, st_diags *d)
{
	int before = st_diags_errors(d);
	size_t nm = 0, nmed = p->nmedia;
	struct name_idx *mods = make_idx(p->nmodules), *med = make_idx(nmed);
	for (size_t i = 0; i < p->nmodules; i++)
		if (p->modules[i].file_name)
			mods[nm++] = (struct name_idx){ p->modules[i].file_name, i };
	qsort(mods, nm, sizeof *mods, cmp_idx);
	for (size_t i = 0; i < nmed; i++)
		med[i] = (struct name_idx){ p->media[i].path, i };
	qsort(med, nmed, sizeof *med, cmp_idx);

	st_buf dym;
	st_buf_init(&dym);
	char *form_used = calloc(p->nforms + 1, 1);
	char *ex_used = calloc(p->nexercises + 1, 1);
	if (!form_used || !ex_used)
		abort();

	for (size_t i = 0; i < p->nmodules; i++) {
		st_module *m = &p->modules[i];
		for (size_t r = 0; r < m->nrefs; r++) {
			st_ref *ref = &m->refs[r];
			if (ref->kind == ST_REF_MODULE) {
				const char *t = ref->target;
				if (!strncmp(t, "./", 2))
					t += 2;
				if (find(mods, nm, t) < 0)
					st_diag(d, ST_ERROR, "broken-link", ref->sp,
					        "link to '%s', which is not a module of this program%s",
					        ref->target, DYM(&dym, t, p->modules,
					        p->nmodules, file_name));
			} else {
				long k = find(med, nmed, ref->target);
				if (k < 0) {
					st_diag(d, ST_ERROR, "missing-media", ref->sp,
					        "'%s' is not in the program's media folder", ref->target);
					continue;
				}
				p->media[k].used = 1;
				if (p->media[k].kind == ST_MEDIA_VIDEO) {
					long c = caption_of(med, nmed, p, ref->target);
					if (c >= 0)
						p->media[c].used = 1;
				}
			}
		}
		for (size_t g = 0; g < m->npages; g++) {
			st_page *pg = &m->pages[g];
			for (size_t k = 0; k < pg->ncomponents; k++) {
				st_component *cp = &pg->components[k];
				if (!cp->ref)
					continue;
				if (cp->kind == ST_COMP_FORM) {
					st_form *f = st_program_form(p, cp->ref);
					if (!f && !st_program_form_unread(p, cp->ref))
						st_diag(d, ST_ERROR, "unknown-form", cp->sp,
						        "no form '%s' in forms/%s", cp->ref,
						        DYM(&dym, cp->ref, p->forms, p->nforms, id));
					else if (f)
						form_used[f - p->forms] = 1;
				} else {
					st_exercise *e = st_program_exercise(p, cp->ref);
					if (!e && !st_program_exercise_unread(p, cp->ref))
						st_diag(d, ST_ERROR, "unknown-exercise", cp->sp,
						        "no exercise '%s' in exercises/ or in a module%s",
						        cp->ref, DYM(&dym, cp->ref, p->exercises,
						        p->nexercises, id));
					else if (e)
						ex_used[e - p->exercises] = 1;
				}
			}
		}
	}
	for (size_t i = 0; i < p->nassessments; i++) {
		st_assessment *as = &p->assessments[i];
		st_form *f = st_program_form(p, as->form);
		if (f)
			form_used[f - p->forms] = 1;
		for (size_t j = 0; j < as->nat; j++)
			if (!strncmp(as->at[j], "module:", 7) &&
			    !st_program_module(p, as->at[j] + 7))
				st_diag(d, ST_ERROR, "unknown-module", as->sp,
				        "assessment at '%s': no module '%s'", as->at[j], as->at[j] + 7);
	}
	/* Without program.yaml, the assessments (which use forms) and the
	 * language (which names a video's captions) are unknown: a form or
	 * caption they may use is not called unused. */
	for (size_t i = 0; i < p->nmedia; i++)
		if (!p->media[i].used && !(p->header_unread &&
		                           is_caption(p->media[i].path)))
			st_diag(d, ST_WARNING, "unused-media", p->media[i].sp,
			        "media file is not used by any module; remove it or show it");
	for (size_t i = 0; i < p->nexercises; i++)
		if (!ex_used[i] && !p->exercises[i].is_inline)
			st_diag(d, ST_WARNING, "unused-exercise", p->exercises[i].sp,
			        "exercise '%s' is not used by any module",
			        p->exercises[i].id ? p->exercises[i].id : "?");
	for (size_t i = 0; i < p->nforms; i++)
		if (!form_used[i] && !p->header_unread)
			st_diag(d, ST_WARNING, "unused-form", p->forms[i].sp,
			        "form '%s' is neither in 'assessments' nor in any module",
			        p->forms[i].id ? p->forms[i].id : "?");
	st_buf_release(&dym);
	free(form_used);
	free(ex_used);
	free(mods);
	free(med);
	return st_diags_errors(d) - before;
}
