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

typedef struct st_score_value {
	const st_score *score;
	st_value value;         /* missing when any needed answer is */
	const st_band *band;    /* NULL when missing or in no band */
} st_score_value;

typedef struct st_score_result {
	const st_form *form;
	st_score_value *scores; /* nscores, in form order */
	size_t nscores;
	const st_alert **alerts;/* the alerts that fire, in form order */
	size_t nalerts;
} st_score_result;

/* Compute every score (each once, in dependency order), its band and the
 * alerts that fire.  Items whose show-if is false count as unanswered. */
int st_score_form(st_score_result *out, st_arena *a, const st_answers *ans);

/* The band a value falls in: the band containing it with the highest
 * 'from' (so that a value on a shared boundary belongs to the upper
 * band), or NULL. */
const st_band *st_score_band(const st_score *s, double v);

/* The result as JSON text (keys in a fixed order, two-space indent,
 * final newline): {"form", "scores": [{"id", "value", "band", "level"}],
 * "alerts": [{"id", "level", "message"}]}.  Caller frees. */
char *st_score_json(const st_score_result *r);

#endif
