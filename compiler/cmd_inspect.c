/*
 * cmd_inspect.c — `stegc inspect BUNDLE [--json]`: what is inside a bundle,
 * in words, for the person who is about to import or publish it.
 *
 * The bundle is verified first (st_bundle_open: the same checks as
 * `stegc verify`), so that what is described is what an import would
 * accept; then the program read back from program.xml is described:
 * identity, modules with their pages and minutes, forms with items,
 * scores and bands, exercises, media with sizes, the total size and
 * whether there is a signature.  --json prints the same as one JSON object
 * (jansson, keys in a fixed order) for scripts; --cat ENTRY writes one
 * entry, streamed and checked against the manifest, for a look at a page
 * without unpacking the bundle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bundle.h"
#include "commands.h"
#include "media.h"
#include "sign.h"
#include "vocab.h"

static void usage(FILE *f)
{
	fputs("usage: stegc inspect [--json | --cat ENTRY] BUNDLE\n\n"
	      "Verify a bundle and say what is inside: the program, its modules and\n"
	      "pages, forms, exercises, media, sizes and signature.\n\n"
	      "Options:\n"
	      "  --json                    one JSON object on stdout\n"
	      "  --cat ENTRY               write one entry (e.g. pages/intro/01.xhtml)\n"
	      "                            to stdout, checked against the manifest\n\n"
	      "Exit codes: 0 shown, 1 the bundle is not valid, 2 usage, 3 I/O.\n", f);
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static const char *media_kind(st_media_kind k)
{
	switch (k) {
	case ST_MEDIA_IMAGE: return "image";
	case ST_MEDIA_AUDIO: return "audio";
	case ST_MEDIA_VIDEO: return "video";
	case ST_MEDIA_CAPTION: return "captions";
	default: return "other";
	}
}

/* Media kind from the name, for bundles (program.xml may not carry it). */
static st_media_kind kind_of(const st_media *m)
{
	if (m->kind)
		return m->kind;
	st_media_kind k = st_media_kind_of(m->path);
	return k ? k : ST_MEDIA_OTHER;
}

/* Size of an entry by name from the manifest (media sizes in a bundle). */
static long long entry_size(const st_bundle *b, const char *name)
{
	for (size_t i = 0; i < st_bundle_nentries(b); i++)
		if (!strcmp(st_bundle_entry_name(b, i), name))
			return st_bundle_entry_size(b, i);
	return -1;
}

static void fmt_num(char *out, size_t n, double v)
{
	snprintf(out, n, "%.10g", v);
}

/* A score's range, from its bands (the compiler proved they cover it). */
static void score_range(const st_score *s, double *lo, double *hi)
{
	*lo = *hi = 0;
	for (size_t i = 0; i < s->nbands; i++) {
		if (i == 0 || s->bands[i].from < *lo)
			*lo = s->bands[i].from;
		if (i == 0 || s->bands[i].to > *hi)
			*hi = s->bands[i].to;
	}
}

static void print_text(const st_bundle *b, const char *path, const char *keyid)
{
	const st_program *p = st_bundle_program(b);
	const st_manifest *m = st_bundle_manifest_info(b);
	char when[32];
	st_manifest_time(when, m->build_time);
	int minutes = 0;
	size_t pages = 0;
	for (size_t i = 0; i < p->nmodules; i++) {
		minutes += p->modules[i].minutes;
		pages += p->modules[i].npages;
	}

	printf("%s %s: %s\n", p->id, p->version, or_empty(p->title));
	printf("  kind       %s, started by %s, language %s\n", or_empty(st_program_kind_name(p->kind)),
	       p->start == ST_START_SELF ? "the citizen (self)"
	       : "a clinician", or_empty(p->language));
	printf("  producer   %s (%s)\n", or_empty(p->producer_name), or_empty(p->producer_id));
	if (p->summary)
		printf("  summary    %s\n", p->summary);
	if (p->nconditions) {
		printf("  conditions ");
		for (size_t i = 0; i < p->nconditions; i++)
			printf("%s%s", i ? ", " : "", p->conditions[i]);
		printf("\n");
	}
	if (p->duration_weeks)
		printf("  duration   %d weeks\n", p->duration_weeks);
	if (p->retention_days)
		printf("  retention  %d days after completion\n", p->retention_days);
	printf("  built      %s by %s\n", when, or_empty(m->compiler));
	printf("  signature  %s%s\n", keyid ? "signed by key " : "unsigned",
	       keyid ? keyid : "");

	printf("\nmodules: %zu, %zu pages, %d minutes\n", p->nmodules, pages, minutes);
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *mo = &p->modules[i];
		printf("  %zu. %s: %s", i + 1, mo->id, or_empty(mo->title));
		if (mo->minutes)
			printf(" (%d min)", mo->minutes);
		printf("\n");
		if (mo->unlock && mo->unlock->src)
			printf("       unlock: %s\n", mo->unlock->src);
		else if (i > 0)
			printf("       unlock: when '%s' is completed\n", p->modules[i - 1].id);
		for (size_t j = 0; j < mo->npages; j++) {
			const st_page *pg = &mo->pages[j];
			printf("       %s  %s", or_empty(pg->path), or_empty(pg->title));
			for (size_t k = 0; k < pg->ncomponents; k++)
				printf("%s%s %s", k ? ", " : "  [",
				       pg->components[k].kind == ST_COMP_FORM ? "form" : "exercise",
				       or_empty(pg->components[k].ref));
			printf("%s\n", pg->ncomponents ? "]" : "");
		}
	}

	printf("\nforms: %zu\n", p->nforms);
	for (size_t i = 0; i < p->nforms; i++) {
		const st_form *f = &p->forms[i];
		printf("  %s: %s%s%s%s, %zu items\n", f->id, or_empty(f->title),
		       f->name ? " (" : "", f->name ? f->name : "", f->name ? ")" : "",
		       f->nitems);
		for (size_t j = 0; j < f->nscores; j++) {
			const st_score *s = &f->scores[j];
			double lo, hi;
			char a[32], z[32];
			score_range(s, &lo, &hi);
			fmt_num(a, sizeof a, lo);
			fmt_num(z, sizeof z, hi);
			printf("     score %s, %s to %s:", s->id, a, z);
			for (size_t k = 0; k < s->nbands; k++) {
				fmt_num(a, sizeof a, s->bands[k].from);
				fmt_num(z, sizeof z, s->bands[k].to);
				printf("%s %s-%s %s", k ? "," : "", a, z, or_empty(s->bands[k].label));
			}
			printf("\n");
		}
		for (size_t j = 0; j < f->nalerts; j++)
			printf("     alert %s (%s): %s\n", f->alerts[j].id,
			       or_empty(st_alert_level_name(f->alerts[j].level)),
			       f->alerts[j].when ? or_empty(f->alerts[j].when->src) : "");
	}
	for (size_t i = 0; i < p->nassessments; i++) {
		const st_assessment *as = &p->assessments[i];
		if (i == 0)
			printf("  given:\n");
		printf("     %s at", or_empty(as->form));
		for (size_t j = 0; j < as->nat; j++)
			printf("%s %s", j ? "," : "", as->at[j]);
		printf("\n");
	}

	printf("\nexercises: %zu\n", p->nexercises);
	for (size_t i = 0; i < p->nexercises; i++) {
		const st_exercise *e = &p->exercises[i];
		printf("  %s: %s, %zu fields%s%s\n", e->id, or_empty(e->title), e->nfields,
		       e->ncomputed ? ", computed values" : "",
		       e->repeat ? ", a diary (repeated entries)" : "");
	}

	long long msize = 0;
	for (size_t i = 0; i < p->nmedia; i++) {
		long long s = entry_size(b, p->media[i].path);
		msize += s > 0 ? s : 0;
	}
	printf("\nmedia: %zu, %lld bytes\n", p->nmedia, msize);
	for (size_t i = 0; i < p->nmedia; i++)
		printf("  %s  %s, %lld bytes\n", p->media[i].path,
		       media_kind(kind_of(&p->media[i])), entry_size(b, p->media[i].path));

	long long total = 0;
	for (size_t i = 0; i < st_bundle_nentries(b); i++)
		total += st_bundle_entry_size(b, i);
	size_t siglen;
	int signed_ = st_bundle_signature(b, &siglen) != NULL;
	printf("\nbundle: %s, %lld bytes, %zu entries (%lld bytes unpacked), sha256 %s\n",
	       path, st_bundle_size(b), st_bundle_nentries(b) + 1 + (size_t)signed_,
	       total, st_bundle_sha256(b));
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jnum(double v)
{
	if (v == (double)(long long)v && v > -1e15 && v < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* The modules, their pages and the components on them; *minutes sums
 * their times. */
static json_t *modules_json(const st_program *p, int *minutes)
{
	json_t *mods = json_array();
	for (size_t i = 0; i < p->nmodules; i++) {
		const st_module *mo = &p->modules[i];
		*minutes += mo->minutes;
		json_t *jm = json_object();
		json_object_set_new(jm, "id", jstr(mo->id));
		json_object_set_new(jm, "title", jstr(mo->title));
		json_object_set_new(jm, "minutes", json_integer(mo->minutes));
		json_object_set_new(jm, "unlock", mo->unlock ? jstr(mo->unlock->src) : json_null());
		json_t *pgs = json_array();
		for (size_t j = 0; j < mo->npages; j++) {
			json_t *jp = json_object();
			json_object_set_new(jp, "path", jstr(mo->pages[j].path));
			json_object_set_new(jp, "title", jstr(mo->pages[j].title));
			json_t *cs = json_array();
			for (size_t k = 0; k < mo->pages[j].ncomponents; k++) {
				const st_component *c = &mo->pages[j].components[k];
				json_t *jc = json_object();
				json_object_set_new(jc, "kind", json_string(c->kind == ST_COMP_FORM ? "form" : "exercise"));
				json_object_set_new(jc, "ref", jstr(c->ref));
				json_array_append_new(cs, jc);
			}
			json_object_set_new(jp, "components", cs);
			json_array_append_new(pgs, jp);
		}
		json_object_set_new(jm, "pages", pgs);
		json_array_append_new(mods, jm);
	}
	return mods;
}

/* A score: its range and bands. */
static json_t *score_json(const st_score *s)
{
	json_t *js = json_object();
	double lo, hi;
	score_range(s, &lo, &hi);
	json_object_set_new(js, "id", jstr(s->id));
	json_object_set_new(js, "title", jstr(s->title));
	json_object_set_new(js, "min", jnum(lo));
	json_object_set_new(js, "max", jnum(hi));
	json_t *bs = json_array();
	for (size_t k = 0; k < s->nbands; k++) {
		json_t *jb = json_object();
		json_object_set_new(jb, "from", jnum(s->bands[k].from));
		json_object_set_new(jb, "to", jnum(s->bands[k].to));
		json_object_set_new(jb, "label", jstr(s->bands[k].label));
		json_object_set_new(jb, "level", jstr(s->bands[k].level));
		json_array_append_new(bs, jb);
	}
	json_object_set_new(js, "bands", bs);
	return js;
}

/* The rating forms: items counted, scores and alerts. */
static json_t *forms_json(const st_program *p)
{
	json_t *forms = json_array();
	for (size_t i = 0; i < p->nforms; i++) {
		const st_form *f = &p->forms[i];
		json_t *jf = json_object();
		json_object_set_new(jf, "id", jstr(f->id));
		json_object_set_new(jf, "title", jstr(f->title));
		json_object_set_new(jf, "name", jstr(f->name));
		json_object_set_new(jf, "items", json_integer((json_int_t)f->nitems));
		json_t *ss = json_array();
		for (size_t j = 0; j < f->nscores; j++)
			json_array_append_new(ss, score_json(&f->scores[j]));
		json_object_set_new(jf, "scores", ss);
		json_t *as = json_array();
		for (size_t j = 0; j < f->nalerts; j++) {
			json_t *ja = json_object();
			json_object_set_new(ja, "id", jstr(f->alerts[j].id));
			json_object_set_new(ja, "level", jstr(st_alert_level_name(f->alerts[j].level)));
			json_object_set_new(ja, "when", f->alerts[j].when ? jstr(f->alerts[j].when->src) : json_null());
			json_array_append_new(as, ja);
		}
		json_object_set_new(jf, "alerts", as);
		json_array_append_new(forms, jf);
	}
	return forms;
}

static json_t *exercises_json(const st_program *p)
{
	json_t *exs = json_array();
	for (size_t i = 0; i < p->nexercises; i++) {
		const st_exercise *e = &p->exercises[i];
		json_t *je = json_object();
		json_object_set_new(je, "id", jstr(e->id));
		json_object_set_new(je, "title", jstr(e->title));
		json_object_set_new(je, "fields", json_integer((json_int_t)e->nfields));
		json_object_set_new(je, "computed", json_integer((json_int_t)e->ncomputed));
		json_object_set_new(je, "repeat", json_boolean(e->repeat));
		json_array_append_new(exs, je);
	}
	return exs;
}

static json_t *media_json(const st_bundle *b, const st_program *p)
{
	json_t *media = json_array();
	for (size_t i = 0; i < p->nmedia; i++) {
		json_t *jm = json_object();
		json_object_set_new(jm, "path", jstr(p->media[i].path));
		json_object_set_new(jm, "kind", json_string(media_kind(kind_of(&p->media[i]))));
		json_object_set_new(jm, "size", json_integer(entry_size(b, p->media[i].path)));
		json_array_append_new(media, jm);
	}
	return media;
}

/* The manifest's entries; *total sums their sizes. */
static json_t *entries_json(const st_bundle *b, long long *total)
{
	json_t *ents = json_array();
	for (size_t i = 0; i < st_bundle_nentries(b); i++) {
		json_t *je = json_object();
		json_object_set_new(je, "path", json_string(st_bundle_entry_name(b, i)));
		json_object_set_new(je, "size", json_integer(st_bundle_entry_size(b, i)));
		json_object_set_new(je, "sha256", json_string(st_bundle_entry_sha256(b, i)));
		json_array_append_new(ents, je);
		*total += st_bundle_entry_size(b, i);
	}
	return ents;
}

/* inspect --json: one object, its keys always in this order. */
static json_t *to_json(const st_bundle *b, const char *path, const char *keyid)
{
	const st_program *p = st_bundle_program(b);
	const st_manifest *m = st_bundle_manifest_info(b);
	char when[32];
	st_manifest_time(when, m->build_time);
	json_t *o = json_object();
	json_object_set_new(o, "bundle", json_string(path));
	json_object_set_new(o, "size", json_integer(st_bundle_size(b)));
	json_object_set_new(o, "sha256", json_string(st_bundle_sha256(b)));
	json_object_set_new(o, "signed", json_boolean(keyid != NULL));
	json_object_set_new(o, "key_id", jstr(keyid));
	json_object_set_new(o, "id", jstr(p->id));
	json_object_set_new(o, "version", jstr(p->version));
	json_object_set_new(o, "title", jstr(p->title));
	json_object_set_new(o, "language", jstr(p->language));
	json_object_set_new(o, "kind", jstr(st_program_kind_name(p->kind)));
	json_object_set_new(o, "start", jstr(st_start_mode_name(p->start)));
	json_object_set_new(o, "summary", jstr(p->summary));
	json_t *pr = json_object();
	json_object_set_new(pr, "id", jstr(p->producer_id));
	json_object_set_new(pr, "name", jstr(p->producer_name));
	json_object_set_new(o, "producer", pr);
	json_object_set_new(o, "compiler", jstr(m->compiler));
	json_object_set_new(o, "built", json_string(when));
	int minutes = 0;
	json_t *mods = modules_json(p, &minutes);
	json_object_set_new(o, "minutes", json_integer(minutes));
	json_object_set_new(o, "modules", mods);
	json_object_set_new(o, "forms", forms_json(p));
	json_object_set_new(o, "exercises", exercises_json(p));
	json_object_set_new(o, "media", media_json(b, p));
	long long total = 0;
	json_t *ents = entries_json(b, &total);
	json_object_set_new(o, "entries", ents);
	json_object_set_new(o, "unpacked_size", json_integer(total));
	return o;
}

static int to_stdout(void *ctx, const void *data, size_t len)
{
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int cmd_inspect(int argc, char **argv)
{
	const char *path = NULL, *cat = NULL;
	int json = 0, npos;
	st_opt opts[] = {
		ST_FLAG("--json", &json),
		ST_VALUE("--cat", &cat),
		{ NULL },
	};
	int early = sc_parse(argc, argv, "inspect", opts, NULL, &path, 1, &npos,
	                     usage);
	if (early != ST_CONTINUE)
		return early;
	if (!npos) {
		usage(stderr);
		return EXIT_USAGE;
	}
	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	int rc = st_bundle_open(&b, d, path);
	if (rc != ST_OK) {
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "stegc");
		st_diags_free(d);
		return rc == ST_EIO ? EXIT_IO : EXIT_ERRORS;
	}
	if (cat) {
		rc = st_bundle_stream_entry(b, d, cat, to_stdout, NULL);
		if (fflush(stdout) != 0 && rc == ST_OK)
			rc = ST_EIO;
		if (rc != ST_OK)
			st_diags_render(d, stderr, ST_FMT_TEXT, 0, "stegc");
		st_bundle_free(b);
		st_diags_free(d);
		return rc == ST_OK ? EXIT_CLEAN : rc == ST_EIO ? EXIT_IO : EXIT_ERRORS;
	}
	size_t siglen = 0;
	const char *sig = st_bundle_signature(b, &siglen);
	char keyid[17];
	const char *kid = NULL;
	if (sig) {
		uint8_t raw[8];
		kid = "unknown";
		if (st_sig_keyid(raw, sig, siglen) == 0) {
			st_keyid_hex(keyid, raw);
			kid = keyid;
		}
	}
	if (json) {
		json_t *o = to_json(b, path, kid);
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		print_text(b, path, kid);
	}
	st_bundle_free(b);
	st_diags_free(d);
	return EXIT_CLEAN;
}
