/*
 * model.h — the program as both halves of Steg see it.
 *
 * The compiler builds an st_program from a folder of YAML and Markdown
 * (compiler/); the core writes it to program.xml inside a bundle and reads
 * it back (core/progxml.c), so that the runtime works on the same structs.
 * This is an internal header shared by the phases, in the manner of a
 * compiler's syntax tree: plain structs, all memory in one st_arena.
 *
 * Conventions: a const char * that is absent is NULL; a count that is
 * absent is 0; a number that is absent has its has_ flag 0.  Every object
 * that a diagnostic can be about carries an st_span (file, line, column of
 * where it was written; line 0 when it came from a bundle).
 */
#ifndef ST_MODEL_H
#define ST_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

struct st_ynode;
struct st_ast;

/* The closed vocabularies of the model are enums; their words (for
 * reading and printing) are in core/vocab.h, one table each.  0 is always
 * "not given, or not a word of the table" (the loader reported it). */

/* The type of an item's or a field's answer.  Items take choice, number,
 * text, boolean, date, scale and longtext; fields all of them (core/vocab.h says
 * which, and what each means). */
typedef enum st_qtype {
	ST_Q_NONE = 0,
	ST_Q_TEXT, ST_Q_LONGTEXT, ST_Q_NUMBER, ST_Q_SCALE, ST_Q_CHOICE,
	ST_Q_MULTI, ST_Q_BOOLEAN, ST_Q_DATE, ST_Q_TIME, ST_Q_DURATION
} st_qtype;

/* How soon the clinician must act on an alert, least urgent first. */
typedef enum st_alert_level {
	ST_ALERT_NONE = 0, ST_ALERT_INFO, ST_ALERT_WARNING, ST_ALERT_URGENT
} st_alert_level;

/* What a program is for. */
typedef enum st_program_kind {
	ST_KIND_NONE = 0, ST_KIND_TREATMENT, ST_KIND_SUPPORT, ST_KIND_EDUCATION,
	ST_KIND_SCREENING
} st_program_kind;

/* Who starts a program for a patient. */
typedef enum st_start_mode {
	ST_START_NONE = 0, ST_START_CLINICIAN, ST_START_SELF
} st_start_mode;

/* An expression as written, with where it was written.  ast and type are
 * filled in by the expression checker (core/expr.h). */
typedef struct st_expr {
	const char *src;               /* the source text */
	st_span sp;                    /* span of the whole expression */
	const struct st_ynode *node;   /* scalar it came from, for exact
	                                  positions; NULL when from a bundle */
	struct st_ast *ast;            /* parsed tree, NULL until parsed */
	int type;                      /* st_type after checking, 0 before */
} st_expr;

/* A code of a terminology: a form's, an item's or an option's meaning
 * (LOINC 69737-5 for GAD-7, LA6568-5 for "Not at all").  Both NULL when
 * none was written; both set otherwise (the loader checks
 * st_code_system_ok). */
typedef struct st_code {
	const char *system;        /* absolute URI, "http://loinc.org" */
	const char *code;          /* "69737-5" */
} st_code;

/* An answer option.  value is the answer itself (unique within the item:
 * what is given to `steg score` and stored); score is its weight in
 * expressions, scores and alerts, which options may share (AUDIT weighs
 * two answers 4).  Read the weight with st_option_score. */
typedef struct st_option {
	double value;
	double score;              /* has_score only */
	int has_score;             /* 0: the weight is value */
	const char *label;
	st_code code;
	st_span sp;
} st_option;

/* A rating-form item (question). */
typedef struct st_item {
	const char *id;
	const char *text;
	st_qtype type;             /* an item type; the loaders give
	                              ST_ITEM_TYPE_DEFAULT (core/vocab.h)
	                              when none is written */
	st_option *options;        /* own options; NULL: the form's default */
	size_t noptions;
	double min, max;           /* number/scale items */
	int has_min, has_max;
	int reverse;               /* reverse-scored: weight = max+min-weight */
	int required;
	st_expr *show_if;
	st_code code;
	st_span sp;
} st_item;

typedef struct st_band {
	double from, to;           /* inclusive */
	const char *label;
	const char *level;         /* optional: a word of st_band_levels
	                              (core/vocab.h) */
	st_span sp;
} st_band;

typedef struct st_score {
	const char *id;
	const char *title;
	st_expr *value;
	st_band *bands;
	size_t nbands;
	int prorate;               /* missing: {prorate: N}: with 1 to N of the
	                              items of its sum unanswered, the sum of
	                              the others scaled up (core/score.h);
	                              0: no rule */
	st_span prorate_sp;        /* where N was written */
	st_span sp;
} st_score;

typedef struct st_alert {
	const char *id;
	st_expr *when;
	st_alert_level level;
	const char *message;       /* for the clinician */
	st_span sp;
} st_alert;

/* A rating form (skattningsformulär), forms/ID.yaml. */
typedef struct st_form {
	const char *id;
	const char *title;
	const char *name;          /* the instrument's short name, "PHQ-9" */
	const char *reference;
	const char *license;
	const char *instructions;
	const char *file;          /* source file, display path */
	st_option *options;        /* default answer options */
	size_t noptions;
	st_item *items;
	size_t nitems;
	st_score *scores;
	size_t nscores;
	st_alert *alerts;
	size_t nalerts;
	st_code code;
	st_span sp;
} st_form;

/* A field of an exercise. */
typedef struct st_field {
	const char *id;
	st_qtype type;      /* a field type (required: ST_Q_NONE only after
	                       an error) */
	const char *label;
	st_option *options;
	size_t noptions;
	double min, max, step;
	int has_min, has_max, has_step;
	const char *unit;
	int required;
	st_expr *show_if;
	st_span sp;
} st_field;

typedef struct st_computed {
	const char *id;
	const char *label;
	st_expr *value;
	const char *unit;
	st_span sp;
} st_computed;

typedef struct st_exercise {
	const char *id;
	const char *title;
	const char *instructions;
	const char *file;          /* exercises/ID.yaml or the module file */
	int repeat;                /* a diary: many dated entries */
	int is_inline;             /* written inside a module */
	st_field *fields;
	size_t nfields;
	st_computed *computed;
	size_t ncomputed;
	st_span sp;
} st_exercise;

typedef enum { ST_COMP_EXERCISE = 1, ST_COMP_FORM = 2 } st_comp_kind;

/* A component block in a page: ```exercise or ```form. */
typedef struct st_component {
	st_comp_kind kind;
	const char *ref;           /* id of the exercise or form */
	st_span sp;
} st_component;

/* A page's checksums as a bundle's manifest and zip hold them, made while
 * the module loads for `stegc build` (sc_opts.hash_pages), on the loading
 * worker's core (core/bundle_write.c deflates the pages).  set 0: not made
 * (check, preview, a page read from a bundle): the writer makes them. */
typedef struct st_page_sums {
	int set;
	uint32_t crc;               /* CRC-32 of the XHTML */
	char sha256[65];            /* of the XHTML, lower-case hex */
} st_page_sums;

/* One page of a module: the text from one level-1 heading to the next. */
typedef struct st_page {
	const char *title;
	const char *path;          /* entry name in the bundle,
	                              "pages/MODULE-ID/NN.xhtml" */
	char *xhtml;               /* the whole sanitised XHTML document */
	size_t xhtml_len;
	st_component *components;
	size_t ncomponents;
	st_span sp;
	/* What a reader reads on the page, counted by the loader as it feeds
	 * the module's LIX (all 0 for a page read from a bundle): words, words
	 * of more than six letters, sentences; images and players (audio or
	 * video). */
	size_t words, long_words, sentences;
	size_t images, players;
	st_page_sums sums;
} st_page;

/* A reference from a module's text to something else, kept for the
 * cross-reference checks. */
typedef enum { ST_REF_MEDIA = 1, ST_REF_MODULE = 2 } st_ref_kind;
typedef struct st_ref {
	st_ref_kind kind;
	const char *target;        /* media: "media/x.png"; module: file name
	                              as written, "01-intro.md" */
	st_span sp;
} st_ref;

typedef struct st_module {
	const char *id;
	const char *title;
	const char *file;          /* display path, "modules/02-ba.md" */
	const char *file_name;     /* "02-ba.md" */
	int minutes;               /* 0 when not given */
	st_expr *unlock;           /* NULL: the previous module is completed */
	st_page *pages;
	size_t npages;
	st_ref *refs;
	size_t nrefs;
	double lix;                /* readability, computed over the text */
	int reads_others;          /* its links to '02-x.md#heading' read
	                              other module files (compiler only: the
	                              preview reloads it every time) */
	st_span sp;
} st_module;

typedef enum {
	ST_MEDIA_IMAGE = 1, ST_MEDIA_AUDIO, ST_MEDIA_VIDEO, ST_MEDIA_CAPTION,
	ST_MEDIA_OTHER
} st_media_kind;

/* A file under media/. */
typedef struct st_media {
	const char *path;          /* entry name, "media/x.png" */
	const char *disk_path;     /* where to read it when building; NULL in
	                              a bundle */
	st_media_kind kind;
	long long size;
	char sha256[65];
	int used;                  /* referenced by some module */
	st_span sp;                /* the file itself (line 0) */
} st_media;

typedef struct st_assessment {
	const char *form;
	const char **at;           /* "start", "end", "weekly", "module:SLUG" */
	size_t nat;
	st_span sp;
} st_assessment;

typedef struct st_message {
	const char *id;
	const char *when_kw;       /* "start" or "end", or NULL */
	st_expr *when;             /* otherwise an expression */
	const char *text;
	st_span sp;
} st_message;

typedef struct st_program {
	const char *dir;           /* source folder (compiler only) */
	int steg;                  /* source format version, 1 */
	const char *id;
	const char *version;
	st_span version_sp;        /* where the version was written */
	const char *title;
	const char *language;
	st_program_kind kind;
	const char *summary;
	const char *producer_id;   /* HSA-id */
	const char *producer_name;
	st_start_mode start;
	const char **conditions;
	size_t nconditions;
	const char *audience;
	int duration_weeks;        /* 0 when absent */
	int retention_days;        /* 0 when absent */
	const char *compiler;      /* "stegc 0.1.0" (bundle only) */

	st_module *modules;
	size_t nmodules;
	st_form *forms;
	size_t nforms;
	st_exercise *exercises;
	size_t nexercises;
	size_t cexercises;         /* capacity of exercises while compiling,
	                              for ST_PUSH; 0: exactly nexercises */
	st_media *media;
	size_t nmedia;
	st_assessment *assessments;
	size_t nassessments;
	st_message *messages;
	size_t nmessages;
	/* The ids of forms/ and exercises/ files that could not be read (a
	 * YAML error, reported once): names they would have given are not
	 * reported again as unknown.  Compiler only; empty from a bundle. */
	const char **unread_forms;
	size_t nunread_forms;
	const char **unread_exercises;
	size_t nunread_exercises;
	/* program.yaml could not be read (its error reported once): the
	 * header's fields are NULL or 0, language too, and the findings that
	 * need what it would have said (forms used only by its assessments,
	 * captions in its language) are not reported.  Compiler only. */
	int header_unread;
	st_span sp;
} st_program;

/* Lookups by id; NULL when absent. */
st_form *st_program_form(const st_program *p, const char *id);
st_exercise *st_program_exercise(const st_program *p, const char *id);
st_module *st_program_module(const st_program *p, const char *id);
/* Is id that of a form (exercise) whose file could not be read?  Then a
 * reference to it is not reported: the file's own error says enough. */
int st_program_form_unread(const st_program *p, const char *id);
int st_program_exercise_unread(const st_program *p, const char *id);

/* The options item it of form f is answered from: its own, else the
 * form's (*n of them; NULL and 0 when neither has any). */
const st_option *st_item_options(const st_form *f, const st_item *it,
                                 size_t *n);
/* An option's weight: its score when written, else its value. */
double st_option_score(const st_option *o);
/* The option of item it whose value is v; NULL when none. */
const st_option *st_item_option(const st_form *f, const st_item *it,
                                double v);
/* A code's system: an absolute URI ("http://loinc.org",
 * "urn:oid:2.16.840.1.113883.6.96"): a lower-case scheme, a colon, then
 * no space or control character, at most 1024 bytes (FHIR's uri).  A
 * code: 1 to 256 bytes, no space at either end, no control character
 * (FHIR's code). */
int st_code_system_ok(const char *s);
int st_code_ok(const char *s);

#endif
