/*
 * score.h — scoring a patient's answers to a rating form: the one place
 * where answers become scores, bands and alerts, used by `steg score`,
 * the runtime's pages and the tests alike (one evaluator, core/expr.h).
 *
 * Answers come as JSON (an object from item id to value, jansson) and are
 * checked against the form before anything is computed: an unknown item,
 * a value of the wrong type, a value that is not one of the item's
 * options, or a malformed file is an error naming the item (or the line
 * and column), code "answers-*".  null or an absent item means
 * unanswered.  The form must have been through st_check_program (trees
 * parsed and resolved); a form with errors is not scored.
 */
#ifndef ST_SCORE_H
#define ST_SCORE_H

#include "diag.h"
#include "expr.h"
#include "model.h"
#include "util.h"

#define ST_ANSWERS_MAX_BYTES (1u << 20)

/* The answers to one form: one value per item, in form order, as the
 * scores see them (reverse scoring applied). */
typedef struct st_answers {
	const st_form *form;
	st_value *values;      /* nitems; missing when unanswered */
	st_value *raw;         /* as given, before reverse scoring */
} st_answers;

/* Parse and check answers (JSON text of len bytes; file is the display
 * name for diagnostics).  Returns 0, or ST_ERR after adding errors. */
int st_answers_parse(st_answers *out, st_arena *a, st_diags *d,
                     const st_form *f, const char *file, const char *json,
                     size_t len);

/* ---- scoring with missing answers --------------------------------------
 *
 * An unanswered item could have had any of its answers.  Scores and
 * alerts are evaluated for every *completion*: every combination of
 * answers the unanswered items they depend on could have had (only the
 * items whose value matters: an item used only inside count, answered or
 * mean is not tried, since those see it as unanswered anyway).  An alert
 * whose condition holds for every completion fires; one that holds for
 * some is possible; a score gets the values it takes over the
 * completions, exactly, with the bands those values fall in.
 *
 * An unanswered item whose show-if is false for every completion was
 * never shown: it is not missing and is not tried.  An item whose show-if
 * depends on unanswered items is shown in some completions and hidden in
 * others, and is tried (or dropped) in each accordingly.
 *
 * Exactness has a bound: at most ST_SCORE_EXACT_MAX completions for one
 * score or alert (an item with no finite set of answers — number, text,
 * date — cannot be enumerated at all), and at most ST_SCORE_WORK_MAX
 * evaluation steps for a whole form (alerts are done first).  Beyond it
 * the interval analysis of core/interval.h bounds the result from the
 * answers given and the ranges of the items missing: a score gets a range
 * that may be wider than the truth (exact = 0), and an alert that could
 * hold is reported as possible, never as firing.
 */
#define ST_SCORE_EXACT_MAX 65536u
#define ST_SCORE_WORK_MAX (1u << 24)

typedef struct st_score_value {
	const st_score *score;
	st_value value;         /* the value when every completion gives the
	                           same one, or the prorated value; missing
	                           otherwise */
	const st_band *band;    /* the band of value, or the one band every
	                           possible value falls in; NULL when none */
	int has_range;          /* the possible values differ: lo..hi */
	double lo, hi;          /* -INFINITY / INFINITY: unbounded */
	int exact;              /* lo and hi are values it takes (else bounds) */
	const st_band **bands;  /* the bands the possible values fall in, in
	                           form order (has_range only) */
	size_t nbands;
	int prorated;           /* value is by the score's missing rule */
	size_t prorate_answered, prorate_items;
	size_t *missing;        /* unanswered items it depends on (indexes
	                           into form->items, form order) */
	size_t nmissing;
} st_score_value;

typedef enum { ST_ALERT_FIRES = 1, ST_ALERT_POSSIBLE = 2 } st_alert_status;

typedef struct st_alert_value {
	const st_alert *alert;
	int status;             /* st_alert_status */
	size_t *missing;        /* unanswered items it depends on */
	size_t nmissing;
} st_alert_value;

typedef struct st_score_result {
	const st_form *form;
	st_score_value *scores; /* nscores, in form order */
	size_t nscores;
	st_alert_value *alerts; /* the alerts that fire or may fire, in form
	                           order */
	size_t nalerts;
	size_t *missing;        /* unanswered items that were or may have been
	                           shown, form order */
	size_t nmissing;
	size_t *required;       /* of those, the ones marked required */
	size_t nrequired;
	unsigned char *shown;   /* per item: 1 when its show-if holds for the
	                           answers as given (or it has none), as the
	                           patient sees the form */
} st_score_result;

/* Compute every score, its band and the alerts that fire or may fire,
 * over the completions of the missing answers (above).  Items whose
 * show-if is false count as unanswered.  Everything lives in a. */
int st_score_form(st_score_result *out, st_arena *a, const st_answers *ans);

/* Only which items the patient sees (st_score_result.shown, one byte per
 * item into shown), without scoring: for showing a form. */
void st_score_shown(unsigned char *shown, st_arena *a,
                    const st_answers *ans);

/* A date answer "YYYY-MM-DD" (a real day of the proleptic Gregorian
 * calendar) as days since 1970-01-01.  Returns 1, or 0 when s is not
 * one. */
int st_date_parse(const char *s, double *days);

/* The band a value falls in: the band containing it with the highest
 * 'from' (so that a value on a shared boundary belongs to the upper
 * band), or NULL. */
const st_band *st_score_band(const st_score *s, double v);

/* Check the scores' missing rules of a form whose expressions have been
 * checked: prorating needs a value that is sum() of items only, and N
 * below their number ("missing-rule").  Returns the errors added. */
int st_score_check_rules(st_diags *d, const st_form *f);

/* The result as JSON text (keys in a fixed order, two-space indent,
 * final newline; docs/forms.md): {"form", "complete", "missing",
 * "required_missing", "scores": [{"id", "value", "band", "level",
 * "range", "bands", "prorated", "missing"}], "alerts": [{"id", "level",
 * "message", "status", "missing"}]}.  Caller frees; NULL when out of
 * memory. */
char *st_score_json(const st_score_result *r);

/* The result as plain text for a person, one line a finding, the first
 * saying whether the form is complete ("incomplete: q7 not answered;
 * alert 'x' fires for every answer to q7").  Caller frees. */
char *st_score_text(const st_score_result *r);

/* The summary line alone, without a newline: "complete" or "incomplete:
 * ...".  Caller frees. */
char *st_score_summary(const st_score_result *r);

#endif
