/*
 * fhir_import.c — an HL7 FHIR R4 Questionnaire to the text of a Steg
 * forms file (fhir.h; docs/fhir.md).  The JSON is parsed with jansson,
 * whose parse errors carry line and column.  Groups are flattened, answer
 * options come from answerOption or from a contained ValueSet named by
 * answerValueSet, weights from itemWeight or ordinalValue, skip logic from
 * enableWhen, scores from Steg's own extension or SDC's whole-form sum.
 * Anything it cannot carry over is a warning [fhir-unsupported] naming the
 * FHIR path of the element, so that the designer knows what to finish by
 * hand.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fhir.h"
#include "expr.h"
#include "html_plain.h"
#include "i18n.h"
#include "strmap.h"
#include "yaml_emit.h"
#include "vocab.h"

typedef struct imp_option {
	double value;            /* the weight, until option_values */
	double score;            /* has_score: the weight, when not value */
	int has_score;
	const char *label;
	const char *code;        /* valueCoding.code or the value as text */
	const char *system;      /* set: code is a terminology's (kept) */
	double steg_value;       /* has_steg_value: Steg's value extension */
	int has_steg_value;
} imp_option;

typedef struct imp_item {
	const char *link;        /* linkId as written */
	const char *id;          /* Steg identifier */
	const char *text;
	st_qtype type;           /* an item type (core/vocab.h) */
	const char *path;        /* FHIR path, for messages */
	int required, reverse;
	int has_min, has_max;
	double min, max;
	imp_option *opts;
	size_t nopts;
	int unweighted;          /* options numbered by position */
	json_t *enable;          /* enableWhen array (borrowed) */
	const char *behavior;
	const char *show_if;     /* Steg source carried by Steg's export */
	st_code code;            /* item.code[0] */
} imp_item;

typedef struct imp_band {
	double from, to;
	const char *label, *level;
} imp_band;

typedef struct imp_score {
	const char *id, *title, *value;
	imp_band *bands;
	size_t nbands;
	long long prorate;       /* Steg's missing extension; 0: none */
	const char *sum_all;     /* FHIR path of a "sum of every answer's
	                            weight" expression, resolved when all
	                            items are known; value is NULL until then */
} imp_score;

typedef struct imp_alert {
	const char *id, *when, *level, *message;
} imp_alert;

typedef struct importer {
	st_arena *a;
	st_diags *d;
	const char *file;
	json_t *root;
	const char *instructions;
	st_code code;            /* Questionnaire.code[0] */
	imp_item *items;
	size_t nitems, citems;
	imp_score *scores;
	size_t nscores, cscores;
	imp_alert *alerts;
	size_t nalerts, calerts;
	size_t nquestions;       /* for q<N> ids */
	size_t nvisited;         /* items seen, groups included */
	st_strmap *ids;          /* ids given to items and scores */
	st_strmap *links;        /* linkId -> index in items */
	st_strmap *seen;         /* every linkId -> index in lpaths */
	const char **lpaths;     /* FHIR path of the item with that linkId */
	size_t nlpaths, clpaths;
	st_strmap *dups;         /* linkIds given to more than one item */
	st_strmap *labels;       /* FHIR path of an answer without display */
	const char **label_of;   /* -> the label it was given */
	size_t nlabels, clabels;
} importer;

static void warn(importer *m, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(importer *m, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, st_tr_fmt(fmt), ap);
	va_end(ap);
	/* What the file says (linkIds, texts, codes) is the file's: a
	 * control character (an escape sequence, a line break) must not
	 * reach the terminal, nor a character cut in half by the bound. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	st_utf8_trim(msg);
	st_span sp = { .file = m->file };
	st_diag(m->d, ST_WARNING, "fhir-unsupported", sp, "%s: %s", path, msg);
}

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* s for a message: at most n bytes, not cut inside a character, with
 * "..." when shortened. */
static const char *clip(importer *m, const char *s, size_t n)
{
	size_t len = strlen(s);
	if (len <= n)
		return s;
	return st_sprintf(m->a, "%.*s...", (int)st_utf8_complete(s, n), s);
}

static int jnum(const json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 1;
	}
	/* Some tools write decimals as strings. */
	if (json_is_string(v)) {
		char *end;
		const char *s = json_string_value(v);
		double d = strtod(s, &end);
		if (end != s && !*end && isfinite(d)) {
			*out = d;
			return 1;
		}
	}
	return 0;
}

/* The weight an element carries in itemWeight or ordinalValue. */
static int ext_weight(const json_t *obj, double *w)
{
	const json_t *exts = json_object_get(obj, "extension");
	size_t i;
	const json_t *e;
	int found = 0;
	json_array_foreach(exts, i, e) {
		const char *url = jstr(e, "url");
		if (!url || (strcmp(url, URL_WEIGHT) && strcmp(url, URL_ORDINAL)))
			continue;
		double v;
		if (jnum(json_object_get(e, "valueDecimal"), &v) ||
		    jnum(json_object_get(e, "valueInteger"), &v)) {
			if (!found || !strcmp(url, URL_WEIGHT))
				*w = v;
			found = 1;
		}
	}
	return found;
}

/* Whether extension url u is url, a Steg extension also under the name
 * exports before the canonical base gave it (urn:steg:fhir:NAME). */
static int url_is(const char *u, const char *url)
{
	size_t n = strlen(STEG_SD), o = strlen(STEG_OLD_EXT);
	if (!strcmp(u, url))
		return 1;
	return !strncmp(url, STEG_SD, n) && !strncmp(u, STEG_OLD_EXT, o) &&
	       !strcmp(u + o, url + n);
}

static const json_t *find_ext(const json_t *obj, const char *url,
                              size_t *idx)
{
	const json_t *exts = json_object_get(obj, "extension");
	size_t i;
	const json_t *e;
	json_array_foreach(exts, i, e) {
		const char *u = jstr(e, "url");
		if (u && url_is(u, url)) {
			if (idx)
				*idx = i;
			return e;
		}
	}
	return NULL;
}

static const char *sub_str(const json_t *ext, const char *url)
{
	const json_t *e = find_ext(ext, url, NULL);
	return e ? jstr(e, "valueString") : NULL;
}

/* Lower-case identifier from free text; NULL when nothing usable. */
static char *ident_of(st_arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *r = st_alloc(a, n + 2);
	size_t k = 0;
	int us = 0;
	for (const char *p = s; *p && k < 60; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (us && k)
				r[k++] = '_';
			r[k++] = (char)c;
			us = 0;
		} else {
			us = 1;
		}
	}
	r[k] = 0;
	if (!k)
		return NULL;
	if (r[0] >= '0' && r[0] <= '9') {
		memmove(r + 1, r, k + 1);
		r[0] = 'f';
	}
	return r;
}

static int id_taken(const importer *m, const char *id)
{
	return st_strmap_get(m->ids, id, NULL);
}

/* The first Coding of a code list (Questionnaire.code, item.code) as a
 * Steg code; what cannot be kept is named. */
static void read_code(importer *m, st_code *out, const json_t *list,
                      const char *path)
{
	const json_t *c = json_array_get(list, 0);
	if (!c)
		return;
	const char *sys = jstr(c, "system"), *code = jstr(c, "code");
	if (sys && code && st_code_system_ok(sys) && st_code_ok(code)) {
		out->system = sys;
		out->code = code;
	} else {
		warn(m, st_sprintf(m->a, "%s[0]", path), "a code needs a "
		     "'system' (an absolute URI) and a 'code'; it is not "
		     "carried over");
	}
	if (json_array_size(list) > 1)
		warn(m, st_sprintf(m->a, "%s[1]", path), "only the first of %zu "
		     "codes is carried over", json_array_size(list));
}

/* linkId as is when it is an identifier not used yet, else q<N>; a
 * linkId that is a word of the expression language ('and', 'true') is
 * renamed, with a warning. */
static const char *item_id(importer *m, const char *link, int dup,
                           const char *path)
{
	const char *id;
	if (link && !dup && st_is_ident(link) && st_expr_is_reserved(link)) {
		size_t n = m->nquestions;
		do
			id = st_sprintf(m->a, "q%zu", n++);
		while (id_taken(m, id));
		warn(m, st_sprintf(m->a, "%s.linkId", path), "linkId '%s' is a "
		     "word of Steg's expressions; the item is called '%s' (and "
		     "its show-if conditions follow)", link, id);
	} else if (link && !dup && st_is_ident(link) && !id_taken(m, link)) {
		id = st_strdup(m->a, link);
	} else {
		size_t n = m->nquestions;
		do
			id = st_sprintf(m->a, "q%zu", n++);
		while (id_taken(m, id));
	}
	st_strmap_put(m->ids, id, 0, NULL);
	return id;
}

/* The contained ValueSet "#id" names, and its index in contained. */
static const json_t *contained_valueset(importer *m, const char *ref,
                                        size_t *idx)
{
	if (!ref || ref[0] != '#')
		return NULL;
	const json_t *c = json_object_get(m->root, "contained");
	size_t i;
	const json_t *r;
	json_array_foreach(c, i, r) {
		const char *rt = jstr(r, "resourceType"), *id = jstr(r, "id");
		if (rt && id && !strcmp(rt, "ValueSet") && !strcmp(id, ref + 1)) {
			*idx = i;
			return r;
		}
	}
	return NULL;
}

/* The plain text of the rendering-xhtml extension on the primitive's
 * element ext (an item's _text, a Coding's _display; html_plain.h),
 * reported since the markup is lost or at least not read; path is ext's.
 * NULL when there is none, or it is empty. */
static const char *xhtml_text(importer *m, const json_t *ext,
                              const char *path)
{
	size_t i = 0;
	const json_t *x = find_ext(ext, URL_XHTML, &i);
	const char *h = x ? jstr(x, "valueString") : NULL;
	if (!h)
		return NULL;
	int formatted;
	const char *plain = sc_html_plain(m->a, h, &formatted);
	if (!*plain)
		return NULL;
	const char *where = st_sprintf(m->a, "%s.extension[%zu]", path, i);
	if (formatted)
		warn(m, where, "the text is only in rendering-xhtml; it is "
		     "carried over as plain text ('%s') and its formatting is "
		     "not — check it", clip(m, plain, 60));
	else
		st_diag(m->d, ST_NOTE, "fhir-unsupported",
		        (st_span){ .file = m->file }, "%s: the text is only in "
		        "rendering-xhtml; it is carried over as plain text ('%s')",
		        where, clip(m, plain, 60));
	return plain;
}

/* An answer's label: the Coding's (or concept's) display, else the plain
 * text of rendering-xhtml on its _display, else its code, reported: the
 * patient would read the code.  path names the Coding. */
static const char *answer_label(importer *m, const json_t *c,
                                const char *code, const char *path)
{
	const char *d = jstr(c, "display");
	size_t k;
	if (d && *d)
		return d;
	if (st_strmap_get(m->labels, path, &k))   /* a value set's concept */
		return m->label_of[k];            /* again: said once */
	ST_PUSH(m->a, m->label_of, m->nlabels, m->clabels, "");
	st_strmap_put(m->labels, path, m->nlabels - 1, NULL);
	d = xhtml_text(m, json_object_get(c, "_display"),
	               st_sprintf(m->a, "%s._display", path));
	if (d)
		return m->label_of[m->nlabels - 1] = d;
	if (code && *code) {
		m->label_of[m->nlabels - 1] = code;
		warn(m, path, "the answer has no display; its code '%s' becomes "
		     "its label, which the patient reads — write the label",
		     clip(m, code, 60));
		return code;
	}
	warn(m, path, "the answer has neither display nor code; its label is "
	     "empty — write it");
	return "";
}

/* A concept of a value set (at path) as an option: its weight, else its
 * position n (counted in *unweighted); its label (answer_label). */
static imp_option concept_option(importer *m, const json_t *c,
                                 const char *system, size_t n,
                                 int *unweighted, const char *path)
{
	imp_option o = { 0 };
	o.code = jstr(c, "code");
	o.system = system;
	o.label = answer_label(m, c, o.code, path);
	if (!ext_weight(c, &o.value)) {
		o.value = (double)n;
		(*unweighted)++;
	}
	return o;
}

/* Options from a contained ValueSet's compose.include[].concept[] or its
 * expansion.contains[].  Returns the count, -1 when there are none. */
static int valueset_options(importer *m, imp_item *it, const json_t *vs,
                            const char *vpath, int *unweighted)
{
	imp_option *opts = NULL;
	size_t n = 0, cap = 0;
	const json_t *inc = json_object_get(json_object_get(vs, "compose"),
	                                    "include");
	size_t i, j;
	const json_t *e, *c;
	json_array_foreach(inc, i, e) {
		const char *sys = jstr(e, "system");
		json_array_foreach(json_object_get(e, "concept"), j, c) {
			imp_option o = concept_option(m, c, sys, n, unweighted,
			        st_sprintf(m->a, "%s.compose.include[%zu]."
			                   "concept[%zu]", vpath, i, j));
			ST_PUSH(m->a, opts, n, cap, o);
		}
	}
	json_array_foreach(json_object_get(json_object_get(vs, "expansion"),
	                                   "contains"), i, c) {
		imp_option o = concept_option(m, c, jstr(c, "system"), n,
		        unweighted, st_sprintf(m->a, "%s.expansion.contains[%zu]",
		                               vpath, i));
		ST_PUSH(m->a, opts, n, cap, o);
	}
	it->opts = opts;
	it->nopts = n;
	return n ? (int)n : -1;
}

static int answer_options(importer *m, imp_item *it, const json_t *q,
                          const char *path)
{
	const json_t *ao = json_object_get(q, "answerOption");
	int unweighted = 0;
	size_t i;
	const json_t *o;
	if (json_array_size(ao)) {
		size_t n = 0, cap = 0;
		imp_option *opts = NULL;
		json_array_foreach(ao, i, o) {
			imp_option op = { 0 };
			const char *opath = st_sprintf(m->a, "%s.answerOption[%zu]",
			                               path, i);
			const json_t *vc = json_object_get(o, "valueCoding");
			const json_t *vi = json_object_get(o, "valueInteger");
			const json_t *vs = json_object_get(o, "valueString");
			int has_w = ext_weight(o, &op.value) ||
			            (vc && ext_weight(vc, &op.value));
			const json_t *sv = find_ext(o, URL_STEG_VALUE, NULL);
			if (sv && jnum(json_object_get(sv, "valueDecimal"),
			               &op.steg_value))
				op.has_steg_value = 1;
			if (vc) {
				op.code = jstr(vc, "code");
				op.system = jstr(vc, "system");
				if (op.system && !strncmp(op.system, STEG_CODESYSTEM,
				    strlen(STEG_CODESYSTEM)))
					op.system = NULL;   /* Steg's value code */
				if (op.system && (!op.code ||
				    !st_code_system_ok(op.system) ||
				    !st_code_ok(op.code))) {
					warn(m, st_sprintf(m->a, "%s.valueCoding", opath),
					     "the code's system or code is not one "
					     "Steg can keep; the code is not carried "
					     "over");
					op.system = NULL;
				}
				op.label = answer_label(m, vc, op.code,
				        st_sprintf(m->a, "%s.valueCoding", opath));
			} else if (json_is_integer(vi)) {
				op.label = st_sprintf(m->a, "%lld",
				        (long long)json_integer_value(vi));
				op.code = op.label;
				if (!has_w) {
					op.value = (double)json_integer_value(vi);
					has_w = 1;
				}
			} else if (vs && json_is_string(vs)) {
				op.label = json_string_value(vs);
				op.code = op.label;
			} else {
				warn(m, opath, "only valueCoding, valueInteger and "
				     "valueString answers are carried over; this "
				     "option is left out");
				continue;
			}
			if (!has_w) {
				op.value = (double)n;
				unweighted++;
			}
			ST_PUSH(m->a, opts, n, cap, op);
		}
		it->opts = opts;
		it->nopts = n;
	} else {
		const char *ref = jstr(q, "answerValueSet");
		size_t vi = 0;
		const json_t *vs = contained_valueset(m, ref, &vi);
		if (!vs) {
			warn(m, st_sprintf(m->a, "%s.answerValueSet", path),
			     ref ? "value set '%s' is not contained in the "
			     "questionnaire; the item is left out" :
			     "a choice item without answerOption or "
			     "answerValueSet%s is left out", ref ? ref : "");
			return -1;
		}
		if (valueset_options(m, it, vs, st_sprintf(m->a, "contained[%zu]",
		                     vi), &unweighted) < 0) {
			warn(m, st_sprintf(m->a, "%s.answerValueSet", path),
			     "value set '%s' lists no concepts; the item is left "
			     "out", ref);
			return -1;
		}
	}
	if (!it->nopts) {
		warn(m, path, "choice item has no usable options; it is left "
		     "out");
		return -1;
	}
	st_span sp = { .file = m->file };
	it->unweighted = unweighted;
	if (unweighted == (int)it->nopts)
		st_diag(m->d, ST_WARNING, "fhir-no-weights", sp,
		     "%s.answerOption: the options of item '%s' carry no weight "
		     "(itemWeight or ordinalValue); they are numbered 0 to %zu in "
		     "order — check them", path, it->id, it->nopts - 1);
	else if (unweighted)
		st_diag(m->d, ST_WARNING, "fhir-no-weights", sp, "%s: %s",
		     st_sprintf(m->a, "%s.answerOption", path), st_sprintf(m->a,
		     st_trn_fmt("%d option of item '%s' carries no weight and is "
		     "numbered by position — check it", "%d options of item '%s' "
		     "carry no weight and are numbered by position — check them",
		     (unsigned long)unweighted), unweighted, it->id));
	return 0;
}

static void import_list(importer *m, const json_t *items, const char *path,
                        int depth);

/* The whole-form sum that SDC's examples write, in its common spellings:
 * every answer's weight (ordinal() in R4's FHIRPath supplement, weight()
 * in R5's), summed. */
static int is_sum_all(const char *fp)
{
	static const char *const forms[] = {
		"%resource.answers().value.ordinal().sum()",
		"%resource.answers().value.weight().sum()",
		"%resource.answers().ordinal().sum()",
		"%resource.answers().weight().sum()",
		NULL
	};
	char norm[128];
	size_t k = 0;
	for (const char *p = fp; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (k + 1 >= sizeof norm)
			return 0;
		norm[k++] = *p;
	}
	norm[k] = 0;
	for (size_t i = 0; forms[i]; i++)
		if (!strcmp(norm, forms[i]))
			return 1;
	return 0;
}

/* A score's id: its linkId when that is an identifier not taken yet, else
 * "total", "total_2", ... */
static const char *score_id(importer *m, const char *link)
{
	const char *id;
	if (link && st_is_ident(link) && !id_taken(m, link) &&
	    !st_expr_is_reserved(link)) {
		id = st_strdup(m->a, link);
	} else {
		id = "total";
		for (size_t n = 2; id_taken(m, id); n++)
			id = st_sprintf(m->a, "total_%zu", n);
	}
	st_strmap_put(m->ids, id, 0, NULL);
	return id;
}

/* Turn the pending whole-form sums into Steg expressions over the choice
 * items, and say where the two languages differ on missing answers. */
static void resolve_sums(importer *m)
{
	for (size_t i = 0; i < m->nscores; i++) {
		imp_score *s = &m->scores[i];
		if (!s->sum_all)
			continue;
		st_buf b;
		size_t first = m->nitems, last = 0, n = 0;
		int contiguous = 1;
		for (size_t j = 0; j < m->nitems; j++) {
			if (m->items[j].type != ST_Q_CHOICE)
				continue;
			if (n && j != last + 1)
				contiguous = 0;
			if (first == m->nitems)
				first = j;
			last = j;
			n++;
		}
		if (!n) {
			warn(m, s->sum_all, "score '%s' sums the weights of the "
			     "answers, but no choice item was carried over; the "
			     "score is left out", s->id);
			continue;
		}
		st_buf_init(&b);
		if (contiguous && n > 1) {
			st_buf_printf(&b, "sum(%s..%s)", m->items[first].id,
			              m->items[last].id);
		} else {
			st_buf_adds(&b, "sum(");
			for (size_t j = 0, k = 0; j < m->nitems; j++)
				if (m->items[j].type == ST_Q_CHOICE)
					st_buf_printf(&b, "%s%s", k++ ? ", " : "",
					              m->items[j].id);
			st_buf_addc(&b, ')');
		}
		s->value = st_strdup(m->a, b.data);
		st_buf_release(&b);
		warn(m, s->sum_all, "the sum of every answer's weight is read as "
		     "'%s'; FHIRPath's sum() leaves unanswered items out, while "
		     "Steg's sum is missing when one is unanswered — check the "
		     "instrument's rule for missing answers", s->value);
	}
}

/* An expression's language as the warnings name it: FHIRPath (also when
 * the file names none), CQL (text/cql, text/cql-expression,
 * text/cql-identifier), else the media type as written. */
static const char *lang_name(importer *m, const json_t *expr)
{
	const char *lang = jstr(expr, "language");
	if (!lang || !strcmp(lang, "text/fhirpath"))
		return "FHIRPath";
	if (!strncmp(lang, "text/cql", 8))
		return "CQL";
	return st_sprintf(m->a, st_tr_fmt("in the language '%s'"),
	                  clip(m, lang, 40));
}

/* A linkId that an earlier item has too (FHIR gives each item its own):
 * what became of this one is in what. */
static void dup_link(importer *m, const char *path, const char *link,
                     const char *first, const char *what)
{
	warn(m, st_sprintf(m->a, "%s.linkId", path), "linkId '%s' is also "
	     "%s's (FHIR gives each item its own); %s, and conditions on '%s' "
	     "are not carried over", clip(m, link, 60), first, what,
	     clip(m, link, 60));
}

static void import_score(importer *m, const json_t *q, const char *path,
                         const char *link, const char *first,
                         const char *text)
{
	const char *src = NULL;
	const json_t *e = find_ext(q, URL_STEG_EXPR, NULL);
	if (e)
		src = jstr(e, "valueString");
	const char *sum_all = NULL;
	if (!src) {
		size_t ci = 0;
		const json_t *c = find_ext(q, URL_CALC, &ci);
		const json_t *ve = json_object_get(c, "valueExpression");
		const char *fp = jstr(ve, "expression");
		const char *lang = lang_name(m, ve);
		if (fp && !strcmp(lang, "FHIRPath") && is_sum_all(fp)) {
			sum_all = st_sprintf(m->a, "%s.extension[%zu]", path, ci);
			goto make;
		}
		warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, ci),
		     "calculated item '%s' is %s ('%s'), which is not "
		     "translated; add a score with its 'value' in Steg's "
		     "expression language by hand", link ? clip(m, link, 60) :
		     "?", lang, clip(m, fp ? fp : "", 80));
		if (first)
			dup_link(m, path, link, first,
			         st_tr("the item is left out"));
		return;
	}
make:;
	imp_score s = { 0 };
	s.id = score_id(m, first ? NULL : link);
	if (first)
		dup_link(m, path, link, first, st_sprintf(m->a,
		         st_tr_fmt("the score is called '%s'"), s.id));
	s.title = text;
	s.value = src;
	s.sum_all = sum_all;
	size_t i, cap = 0;
	const json_t *x;
	json_array_foreach(json_object_get(q, "extension"), i, x) {
		const char *url = jstr(x, "url");
		if (!url || !url_is(url, URL_STEG_BAND))
			continue;
		imp_band b = { 0 };
		const json_t *f = find_ext(x, "from", NULL);
		const json_t *t = find_ext(x, "to", NULL);
		if (!f || !t || !jnum(json_object_get(f, "valueDecimal"), &b.from)
		    || !jnum(json_object_get(t, "valueDecimal"), &b.to)) {
			warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, i),
			     "band without 'from' and 'to' is left out");
			continue;
		}
		b.label = sub_str(x, "label");
		b.level = sub_str(x, "level");
		ST_PUSH(m->a, s.bands, s.nbands, cap, b);
	}
	size_t mi = 0;
	const json_t *mx = find_ext(q, URL_STEG_MISSING, &mi);
	if (mx) {
		const json_t *pr = json_object_get(find_ext(mx, "prorate", NULL),
		                                   "valueInteger");
		if (json_is_integer(pr) && json_integer_value(pr) >= 1 &&
		    json_integer_value(pr) <= 1000000)
			s.prorate = json_integer_value(pr);
		else
			warn(m, st_sprintf(m->a, "%s.extension[%zu]", path, mi),
			     "the rule for missing answers needs 'prorate' with a "
			     "whole number from 1; it is left out");
	}
	ST_PUSH(m->a, m->scores, m->nscores, m->cscores, s);
}

/* 1 when every option's code is a number and no two are the same. */
static int numeric_codes(const imp_item *it)
{
	for (size_t k = 0; k < it->nopts; k++) {
		char *e;
		const char *c = it->opts[k].code;
		if (it->opts[k].system)
			return 0;   /* a terminology's code, not an answer */
		double v = c ? strtod(c, &e) : 0;
		if (!c || e == c || *e || !isfinite(v))
			return 0;
		for (size_t j = 0; j < k; j++)
			if (strtod(it->opts[j].code, NULL) == v)
				return 0;
	}
	return 1;
}

static int weights_repeat(const imp_item *it)
{
	for (size_t k = 0; k < it->nopts; k++)
		for (size_t j = 0; j < k; j++)
			if (it->opts[j].value == it->opts[k].value)
				return 1;
	return 0;
}

/* The options' values (the answers, unique) and scores (the weights, on
 * entry in value).  The answer is the option's code when every code is
 * a distinct number and every option has a weight (Steg's export writes
 * the value as the code, or beside a terminology's code in
 * Steg's value extension); else the weight when no two options share
 * one; else its position.  Steg's export weights a reversed item's
 * options from the other end: they are turned back, since 'reverse'
 * reverses again.  A score is written where it differs from the value. */
static void option_values(importer *m, imp_item *it, const char *path)
{
	int by_value = it->nopts > 0;   /* Steg's export: every value given */
	for (size_t k = 0; k < it->nopts; k++)
		by_value &= it->opts[k].has_steg_value;
	int numeric = by_value || numeric_codes(it);
	if (it->reverse && !numeric) {
		warn(m, path, "reversed item '%s' has an option code "
		     "that is not a number; 'reverse' is dropped and the "
		     "weights are kept", it->id);
		it->reverse = 0;
	}
	if (it->reverse) {
		double lo = INFINITY, hi = -INFINITY;
		for (size_t k = 0; k < it->nopts; k++) {
			lo = fmin(lo, it->opts[k].value);
			hi = fmax(hi, it->opts[k].value);
		}
		for (size_t k = 0; k < it->nopts; k++)
			it->opts[k].value = lo + hi - it->opts[k].value;
	}
	int by_code = numeric && (it->reverse || !it->unweighted);
	int repeat = weights_repeat(it);
	if (!by_code && !repeat)
		return;
	for (size_t k = 0; k < it->nopts; k++) {
		imp_option *o = &it->opts[k];
		double w = o->value;
		o->value = by_value ? o->steg_value
		         : by_code ? strtod(o->code, NULL) : (double)k;
		o->has_score = w != o->value;
		o->score = w;
	}
	if (repeat && !by_code) {
		st_span sp = { .file = m->file };
		st_diag(m->d, ST_NOTE, "fhir-unsupported", sp, "%s: options of "
		        "item '%s' share a weight; their values are numbered 0 "
		        "to %zu in order and the weights kept as 'score'",
		        st_sprintf(m->a, "%s.answerOption", path), it->id,
		        it->nopts - 1);
	}
}

/* A choice (or open-choice) item: its options, with their values and
 * weights (option_values).  -1 when it is left out. */
static int choice_item(importer *m, imp_item *it, const json_t *q,
                       const char *path, const char *type)
{
	it->type = ST_Q_CHOICE;
	if (!strcmp(type, "open-choice"))
		warn(m, st_sprintf(m->a, "%s.type", path),
		     "open-choice becomes choice: the free-text answer "
		     "is not carried over");
	if (answer_options(m, it, q, path) != 0)
		return -1;
	option_values(m, it, path);
	it->has_min = it->has_max = 0;
	return 0;
}

/* The Steg type of an item of FHIR type type, with what it needs (the
 * options of a choice).  -1 when the item is left out, after a warning. */
static int item_type(importer *m, imp_item *it, const json_t *q,
                     const char *path, const char *type)
{
	const char *link = it->link;
	if (!strcmp(type, "choice") || !strcmp(type, "open-choice")) {
		if (choice_item(m, it, q, path, type) != 0)
			return -1;
	} else if (!strcmp(type, "integer") || !strcmp(type, "decimal")) {
		const json_t *ctl = find_ext(q, URL_CONTROL, NULL);
		const json_t *cc = ctl ? json_object_get(ctl,
		                        "valueCodeableConcept") : NULL;
		const json_t *cd = json_array_get(json_object_get(cc, "coding"),
		                                  0);
		const char *code = cd ? jstr(cd, "code") : NULL;
		it->type = code && !strcmp(code, "slider") && it->has_min &&
		           it->has_max ? ST_Q_SCALE : ST_Q_NUMBER;
	} else if (!strcmp(type, "string")) {
		it->type = ST_Q_TEXT;
	} else if (!strcmp(type, "text")) {
		it->type = ST_Q_LONGTEXT;
	} else if (!strcmp(type, "boolean")) {
		it->type = ST_Q_BOOLEAN;
	} else if (!strcmp(type, "date") || !strcmp(type, "dateTime")) {
		it->type = ST_Q_DATE;
		if (!strcmp(type, "dateTime"))
			warn(m, st_sprintf(m->a, "%s.type", path),
			     "dateTime becomes date: the time of day is not "
			     "carried over");
	} else {
		warn(m, st_sprintf(m->a, "%s.type", path),
		     "items of type '%s' are not carried over; item '%s' is "
		     "left out", type, link ? link : "?");
		return -1;
	}
	return 0;
}

/* What a Steg item cannot hold, named rather than dropped: an item the
 * form hides (questionnaire-hidden: it would be shown), initial answers,
 * a prefix ("1.", "a)") that Steg numbers by itself. */
static void lost_elements(importer *m, const json_t *q, const char *path)
{
	const json_t *h = find_ext(q, URL_HIDDEN, NULL);
	if (h && json_is_true(json_object_get(h, "valueBoolean")))
		warn(m, path, "the item is hidden (questionnaire-hidden), but "
		     "Steg shows every item whose show-if holds; remove it or "
		     "give it a show-if");
	if (json_array_size(json_object_get(q, "initial")) ||
	    json_object_get(q, "initialValue"))
		warn(m, st_sprintf(m->a, "%s.initial", path), "initial answers "
		     "are not carried over: the patient starts with none");
	const char *pre = jstr(q, "prefix");
	if (pre)
		warn(m, st_sprintf(m->a, "%s.prefix", path), "prefix '%s' is "
		     "not carried over: Steg numbers the questions itself",
		     clip(m, pre, 20));
}

/* An item's text: 'text', else the plain text of the rendering-xhtml
 * extension on '_text' (html_plain.h), reported since the markup is lost
 * or at least not read.  NULL when there is none, or it is empty. */
static const char *item_text(importer *m, const json_t *q, const char *path)
{
	const char *t = jstr(q, "text");
	if (t && *t)
		return t;
	return xhtml_text(m, json_object_get(q, "_text"),
	                  st_sprintf(m->a, "%s._text", path));
}

/* The FHIR path of the earlier item with linkId link, or NULL when this
 * is the first (then it is remembered).  A linkId seen twice is kept in
 * dups: conditions on it are ambiguous. */
static const char *link_seen(importer *m, const char *link, const char *path)
{
	size_t k;
	if (!link)
		return NULL;
	if (st_strmap_get(m->seen, link, &k)) {
		st_strmap_put(m->dups, link, 0, NULL);
		return m->lpaths[k];
	}
	st_strmap_put(m->seen, link, m->nlpaths, NULL);
	ST_PUSH(m->a, m->lpaths, m->nlpaths, m->clpaths, path);
	return NULL;
}

/* A group (its items flattened) or a display item: the first text is the
 * form's instructions, later ones are reported. */
static void heading_item(importer *m, const json_t *q, const char *path,
                         const char *type, const char *text, int depth)
{
	const char *link = jstr(q, "linkId");
	if (!strcmp(type, "group")) {
		if (text) {
			if (!m->instructions)
				m->instructions = text;
			else
				warn(m, st_sprintf(m->a, "%s.text", path),
				     "the heading of group '%s' is not carried "
				     "over (Steg forms have no groups)",
				     link ? clip(m, link, 60) : "?");
		}
		import_list(m, json_object_get(q, "item"),
		            st_sprintf(m->a, "%s.item", path), depth + 1);
		return;
	}
	if (!m->instructions && text)
		m->instructions = text;
	else if (text)
		warn(m, path, "display text '%s' is not carried over",
		     clip(m, text, 60));
}

static void import_item(importer *m, const json_t *q, const char *path,
                        int depth)
{
	const char *type = jstr(q, "type");
	const char *link = jstr(q, "linkId");
	const char *first = link_seen(m, link, path);
	if (!type) {
		warn(m, path, "item has no type; it is left out");
		return;
	}
	const char *text = item_text(m, q, path);
	if (!strcmp(type, "group") || !strcmp(type, "display")) {
		if (first)
			dup_link(m, path, link, first, st_tr("its text is read "
			         "as usual"));
		heading_item(m, q, path, type, text, depth);
		return;
	}
	if (find_ext(q, URL_CALC, NULL) || find_ext(q, URL_STEG_EXPR, NULL)) {
		import_score(m, q, path, link, first, text);
		return;
	}
	imp_item it = { 0 };
	it.link = link;
	it.path = path;
	it.text = text ? text : "";
	it.required = json_is_true(json_object_get(q, "required"));
	it.reverse = find_ext(q, URL_STEG_REVERSE, NULL) != NULL;
	if (json_is_true(json_object_get(q, "repeats")))
		warn(m, st_sprintf(m->a, "%s.repeats", path),
		     "more than one answer per item is not carried over; the "
		     "item takes one answer");
	if (json_object_get(q, "item"))
		warn(m, st_sprintf(m->a, "%s.item", path),
		     "items nested under a question are left out");
	const json_t *ewx = find_ext(q, URL_ENABLE_EXPR, NULL);
	if (ewx && !find_ext(q, URL_STEG_SHOW_IF, NULL))
		warn(m, path, "enableWhenExpression (%s) is not translated; add "
		     "a 'show-if' by hand", lang_name(m, json_object_get(ewx,
		     "valueExpression")));
	m->nquestions++;
	it.id = item_id(m, link, first != NULL, path);
	if (first)
		dup_link(m, path, link, first, st_sprintf(m->a,
		         st_tr_fmt("this item is called '%s'"), it.id));
	read_code(m, &it.code, json_object_get(q, "code"),
	          st_sprintf(m->a, "%s.code", path));
	lost_elements(m, q, path);
	if (!link)
		warn(m, path, "item has no linkId; it is called '%s'", it.id);

	const json_t *mn = find_ext(q, URL_MIN, NULL);
	const json_t *mx = find_ext(q, URL_MAX, NULL);
	if (mn && (jnum(json_object_get(mn, "valueDecimal"), &it.min) ||
	           jnum(json_object_get(mn, "valueInteger"), &it.min)))
		it.has_min = 1;
	if (mx && (jnum(json_object_get(mx, "valueDecimal"), &it.max) ||
	           jnum(json_object_get(mx, "valueInteger"), &it.max)))
		it.has_max = 1;

	if (item_type(m, &it, q, path, type) != 0) {
		m->nquestions--;
		return;
	}
	if (!text)
		warn(m, st_sprintf(m->a, "%s.text", path), "question '%s'%s has "
		     "no text; write it in the form, since stegc check refuses "
		     "an empty text", link ? clip(m, link, 60) : "?",
		     link && !strcmp(link, it.id) ? "" :
		     st_sprintf(m->a, st_tr_fmt(" (item '%s')"), it.id));
	if (!(st_qtype_flags(it.type) & ST_QF_RANGE))
		it.has_min = it.has_max = 0;
	it.enable = json_object_get(q, "enableWhen");
	it.behavior = jstr(q, "enableBehavior");
	const json_t *se = find_ext(q, URL_STEG_SHOW_IF, NULL);
	if (se)
		it.show_if = jstr(se, "valueString");
	(void)depth;
	if (link && !first)
		st_strmap_put(m->links, link, m->nitems, NULL);
	ST_PUSH(m->a, m->items, m->nitems, m->citems, it);
}

static void import_list(importer *m, const json_t *items, const char *path,
                        int depth)
{
	size_t i;
	const json_t *q;
	if (depth > 16) {
		warn(m, path, "groups nested deeper than 16 levels are left out");
		return;
	}
	json_array_foreach(items, i, q) {
		if (++m->nvisited > FHIR_MAX_ITEMS) {
			if (m->nvisited == FHIR_MAX_ITEMS + 1) {
				st_span sp = { .file = m->file };
				st_diag(m->d, ST_ERROR, "fhir-limit", sp,
				        "%s[%zu]: more than %d items; a rating form "
				        "has far fewer", path, i, FHIR_MAX_ITEMS);
			}
			return;
		}
		const char *p = st_sprintf(m->a, "%s[%zu]", path, i);
		if (!json_is_object(q)) {
			warn(m, p, "an item must be an object; left out");
			continue;
		}
		import_item(m, q, p, depth);
	}
}

static const imp_item *item_by_link(const importer *m, const char *link)
{
	size_t i;
	return st_strmap_get(m->links, link, &i) ? &m->items[i] : NULL;
}

/* enableWhen to a show-if expression, after all items are known (a
 * condition may name a later item).  NULL after a warning. */
static const char *enable_to_show_if(importer *m, const imp_item *it)
{
	st_buf b;
	size_t i;
	const json_t *ew;
	const char *join = it->behavior && !strcmp(it->behavior, "any") ?
	                   " or " : " and ";
	const char *res = NULL;
	st_buf_init(&b);
	if (json_array_size(it->enable) > 1 && !it->behavior) {
		warn(m, st_sprintf(m->a, "%s.enableBehavior", it->path),
		     "several enableWhen without enableBehavior; read as 'all'");
	}
	json_array_foreach(it->enable, i, ew) {
		const char *p = st_sprintf(m->a, "%s.enableWhen[%zu]", it->path,
		                           i);
		const char *qn = jstr(ew, "question"), *op = jstr(ew, "operator");
		if (qn && st_strmap_get(m->dups, qn, NULL)) {
			warn(m, p, "condition on '%s', the linkId of more than one "
			     "item; item '%s' gets no show-if", clip(m, qn, 60),
			     it->id);
			goto out;
		}
		const imp_item *t = qn ? item_by_link(m, qn) : NULL;
		if (!t || !op) {
			warn(m, p, "condition on '%s', which is not an imported "
			     "item; item '%s' gets no show-if", qn ? qn : "?",
			     it->id);
			goto out;
		}
		if (i)
			st_buf_adds(&b, join);
		double v;
		const json_t *ac = json_object_get(ew, "answerCoding");
		const json_t *ab = json_object_get(ew, "answerBoolean");
		if (!strcmp(op, "exists")) {
			st_buf_printf(&b, "%sanswered(%s)",
			              json_is_false(ab) ? "not " : "", t->id);
		} else if (ac) {
			const char *code = jstr(ac, "code");
			const char *sys = jstr(ac, "system");
			size_t k;
			for (k = 0; k < t->nopts; k++)
				if (code && t->opts[k].code &&
				    !strcmp(code, t->opts[k].code) &&
				    (!sys || !t->opts[k].system ||
				     !strcmp(sys, t->opts[k].system)))
					break;
			if (k == t->nopts || (strcmp(op, "=") &&
			                      strcmp(op, "!="))) {
				warn(m, st_sprintf(m->a, "%s.answerCoding", p),
				     "code '%s' is not an option of '%s'; item "
				     "'%s' gets no show-if", code ? code : "?",
				     t->id, it->id);
				goto out;
			}
			/* Expressions see an option's weight. */
			const imp_option *o = &t->opts[k];
			double w = o->has_score ? o->score : o->value;
			for (size_t j = 0; j < t->nopts; j++) {
				const imp_option *q = &t->opts[j];
				if (j != k && w == (q->has_score ? q->score :
				                    q->value)) {
					warn(m, st_sprintf(m->a, "%s.answerCoding",
					     p), "'%s' shares its weight %.15g with "
					     "'%s'; item '%s' gets a show-if on the "
					     "weight, which both answers meet",
					     code, w, q->code ? q->code : "?",
					     it->id);
					break;
				}
			}
			st_buf_printf(&b, "%s %s %.15g", t->id,
			              !strcmp(op, "=") ? "==" : "!=", w);
		} else if (jnum(json_object_get(ew, "answerDecimal"), &v) ||
		           jnum(json_object_get(ew, "answerInteger"), &v)) {
			st_buf_printf(&b, "%s %s %.15g", t->id,
			              !strcmp(op, "=") ? "==" : op, v);
		} else if (json_is_boolean(ab)) {
			st_buf_printf(&b, "%s %s %s", t->id,
			              !strcmp(op, "=") ? "==" : op,
			              json_is_true(ab) ? "true" : "false");
		} else {
			warn(m, p, "this kind of answer is not carried over; "
			     "item '%s' gets no show-if", it->id);
			goto out;
		}
	}
	res = st_strdup(m->a, b.data ? b.data : "");
out:
	st_buf_release(&b);
	return res;
}

/* ---- YAML out --------------------------------------------------------- */

static int same_options(const imp_item *a, const imp_item *b)
{
	if (a->nopts != b->nopts)
		return 0;
	for (size_t i = 0; i < a->nopts; i++)
		if (a->opts[i].value != b->opts[i].value ||
		    a->opts[i].has_score != b->opts[i].has_score ||
		    (a->opts[i].has_score &&
		     a->opts[i].score != b->opts[i].score) ||
		    strcmp(a->opts[i].label ? a->opts[i].label : "",
		           b->opts[i].label ? b->opts[i].label : "") ||
		    strcmp(a->opts[i].system ? a->opts[i].system : "",
		           b->opts[i].system ? b->opts[i].system : "") ||
		    (a->opts[i].system &&
		     strcmp(a->opts[i].code, b->opts[i].code)))
			return 0;
	return 1;
}

static void y_options(st_buf *b, const imp_item *it, const char *indent)
{
	for (size_t i = 0; i < it->nopts; i++) {
		st_buf_printf(b, "%s- { value: %.15g, ", indent,
		              it->opts[i].value);
		if (it->opts[i].has_score)
			st_buf_printf(b, "score: %.15g, ", it->opts[i].score);
		st_buf_adds(b, "label: ");
		sc_yaml_quoted(b, it->opts[i].label);
		if (it->opts[i].system) {
			st_buf_adds(b, ", code: { system: ");
			sc_yaml_quoted(b, it->opts[i].system);
			st_buf_adds(b, ", code: ");
			sc_yaml_quoted(b, it->opts[i].code);
			st_buf_adds(b, " }");
		}
		st_buf_adds(b, " }\n");
	}
}

/* code: { system: ..., code: ... } at indent, when there is one. */
static void y_code(st_buf *b, const char *indent, const st_code *c)
{
	if (!c->system || !c->code)
		return;
	st_buf_printf(b, "%scode: { system: ", indent);
	sc_yaml_quoted(b, c->system);
	st_buf_adds(b, ", code: ");
	sc_yaml_quoted(b, c->code);
	st_buf_adds(b, " }\n");
}

/* The form's short name ("PHQ-9"): Steg's name extension, else
 * Questionnaire.name, except the machine label Steg's export derives from
 * the form's id (sc_fhir_name) in a Questionnaire of Steg's: that is no
 * name the designer gave. */
static const char *form_name(importer *m)
{
	const char *n = sub_str(m->root, URL_STEG_NAME);
	if (n)
		return n;
	n = jstr(m->root, "name");
	const char *url = jstr(m->root, "url"), *qid = jstr(m->root, "id");
	const char *base = STEG_FHIR_BASE "/Questionnaire/";
	if (n && url && qid && !strncmp(url, base, strlen(base))) {
		char *fid = st_strdup(m->a, qid);
		for (char *p = fid; *p; p++)
			if (*p == '-')
				*p = '_';
		if (!strcmp(n, sc_fhir_name(m->a, fid)))
			return NULL;
	}
	return n;
}

static void write_yaml(importer *m, st_buf *b, const char *id,
                       const char **show)
{
	const json_t *r = m->root;
	st_buf_printf(b, "# Imported by stegc import-fhir from %s.\n"
	              "# Check the wording, weights, skip logic and scores "
	              "against the\n# instrument's publication before it "
	              "meets a patient.\n", m->file);
	st_buf_printf(b, "id: %s\n", id);
	const char *title = jstr(r, "title");
	if (!title)
		title = jstr(r, "name");
	sc_yaml_key(b, "", "title", title ? title : id);
	sc_yaml_key(b, "", "name", form_name(m));
	sc_yaml_key(b, "", "reference", jstr(r, "description"));
	sc_yaml_key(b, "", "license", jstr(r, "copyright"));
	sc_yaml_key(b, "", "instructions", m->instructions);
	y_code(b, "", &m->code);

	/* Options shared by every choice item become the form's default. */
	/* The option set most choice items share becomes the form's default
	 * (when two or more share it); the others keep their own.  Forms are
	 * small, so counting pairs is fine. */
	const imp_item *shared = NULL;
	size_t best = 1;
	for (size_t i = 0; i < m->nitems; i++) {
		if (m->items[i].type != ST_Q_CHOICE)
			continue;
		size_t same = 0;
		for (size_t j = 0; j < m->nitems; j++)
			if (m->items[j].type == ST_Q_CHOICE &&
			    same_options(&m->items[i], &m->items[j]))
				same++;
		if (same > best) {
			best = same;
			shared = &m->items[i];
		}
	}
	if (shared) {
		st_buf_adds(b, "options:\n");
		y_options(b, shared, "  ");
	}
	st_buf_adds(b, "items:\n");
	for (size_t i = 0; i < m->nitems; i++) {
		const imp_item *it = &m->items[i];
		st_buf_printf(b, "  - id: %s\n", it->id);
		sc_yaml_key(b, "    ", "text", it->text);
		if (it->type != ST_ITEM_TYPE_DEFAULT)
			st_buf_printf(b, "    type: %s\n", st_qtype_name(it->type));
		y_code(b, "    ", &it->code);
		if (it->has_min)
			st_buf_printf(b, "    min: %.15g\n", it->min);
		if (it->has_max)
			st_buf_printf(b, "    max: %.15g\n", it->max);
		if (it->reverse)
			st_buf_adds(b, "    reverse: true\n");
		if (it->required)
			st_buf_adds(b, "    required: true\n");
		if (show[i])
			sc_yaml_key(b, "    ", "show-if", show[i]);
		if (it->type == ST_Q_CHOICE &&
		    (!shared || !same_options(shared, it))) {
			st_buf_adds(b, "    options:\n");
			y_options(b, it, "      ");
		}
	}
	size_t nvalued = 0;
	for (size_t i = 0; i < m->nscores; i++)
		nvalued += m->scores[i].value != NULL;
	if (nvalued) {
		st_buf_adds(b, "scores:\n");
		for (size_t i = 0; i < m->nscores; i++) {
			const imp_score *s = &m->scores[i];
			if (!s->value)
				continue;
			st_buf_printf(b, "  - id: %s\n", s->id);
			sc_yaml_key(b, "    ", "title", s->title);
			sc_yaml_key(b, "    ", "value", s->value);
			if (s->prorate)
				st_buf_printf(b, "    missing: { prorate: %lld }\n",
				              s->prorate);
			if (!s->nbands)
				continue;
			st_buf_adds(b, "    bands:\n");
			for (size_t j = 0; j < s->nbands; j++) {
				const imp_band *bd = &s->bands[j];
				st_buf_printf(b, "      - { from: %.15g, to: %.15g, "
				              "label: ", bd->from, bd->to);
				sc_yaml_quoted(b, bd->label ? bd->label : "");
				if (bd->level) {
					st_buf_adds(b, ", level: ");
					sc_yaml_quoted(b, bd->level);
				}
				st_buf_adds(b, " }\n");
			}
		}
	}
	if (m->nalerts) {
		st_buf_adds(b, "alerts:\n");
		for (size_t i = 0; i < m->nalerts; i++) {
			const imp_alert *al = &m->alerts[i];
			st_buf_printf(b, "  - id: %s\n", al->id);
			sc_yaml_key(b, "    ", "when", al->when);
			sc_yaml_key(b, "    ", "level", al->level);
			sc_yaml_key(b, "    ", "message", al->message);
		}
	}
}

int sc_fhir_import(st_arena *a, st_diags *d, const char *path,
                   const char *data, size_t len, const char *want_id,
                   sc_fhir_form *out)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	int rc = -1;
	if (!root) {
		st_span sp = { .file = path, .line = je.line > 0 ? je.line : 0,
		               .col = je.column > 0 ? je.column : 0 };
		st_diags_add_source(d, path, data, len);
		st_diag(d, ST_ERROR, "fhir-json", sp, "%s", je.text);
		return -1;
	}
	const char *rt = jstr(root, "resourceType");
	if (!json_is_object(root) || !rt || strcmp(rt, "Questionnaire")) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-not-questionnaire", sp,
		        "resourceType is '%s', not 'Questionnaire'",
		        rt ? rt : "(none)");
		goto done;
	}

	importer m = { .a = a, .d = d, .file = path, .root = root,
	               .ids = st_strmap_new(a), .links = st_strmap_new(a),
	               .seen = st_strmap_new(a), .dups = st_strmap_new(a),
	               .labels = st_strmap_new(a) };
	read_code(&m, &m.code, json_object_get(root, "code"), "code");
	import_list(&m, json_object_get(root, "item"), "item", 0);
	resolve_sums(&m);
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(root, "extension"), i, x) {
		const char *url = jstr(x, "url");
		if (!url || !url_is(url, URL_STEG_ALERT))
			continue;
		imp_alert al = { sub_str(x, "id"), sub_str(x, "when"),
		                 sub_str(x, "level"), sub_str(x, "message") };
		if (!al.id || !al.when || !st_is_ident(al.id)) {
			warn(&m, st_sprintf(a, "extension[%zu]", i),
			     "alert without a valid 'id' and 'when' is left out");
			continue;
		}
		ST_PUSH(a, m.alerts, m.nalerts, m.calerts, al);
	}
	const char **show = st_alloc(a, (m.nitems + 1) * sizeof *show);
	for (i = 0; i < m.nitems; i++) {
		imp_item *it = &m.items[i];
		if (it->show_if)
			show[i] = it->show_if;   /* Steg's own, exact */
		else if (json_array_size(it->enable))
			show[i] = enable_to_show_if(&m, it);
	}
	const char *id = want_id;
	if (!id)
		id = ident_of(a, jstr(root, "id"));
	if (!id)
		id = ident_of(a, jstr(root, "name"));
	if (!id)
		id = ident_of(a, jstr(root, "title"));
	if (!id) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-no-id", sp,
		        "the questionnaire has no 'id', 'name' or 'title' to "
		        "name the form; give one with --id");
		goto done;
	}
	if (!m.nitems) {
		st_span sp = { .file = path };
		st_diag(d, ST_ERROR, "fhir-no-items", sp,
		        "no item of the questionnaire could be carried over");
		goto done;
	}
	if (st_diags_errors(d))       /* -Werror: write nothing */
		goto done;
	st_buf y;
	st_buf_init(&y);
	write_yaml(&m, &y, id, show);
	out->id = id;
	out->len = y.len;
	out->yaml = st_strndup(a, y.data ? y.data : "", y.len);
	st_buf_release(&y);
	out->nitems = m.nitems;
	out->nscores = 0;
	for (i = 0; i < m.nscores; i++)
		out->nscores += m.scores[i].value != NULL;
	out->nalerts = m.nalerts;
	rc = 0;
done:
	json_decref(root);
	return rc;
}
