/*
 * timeline.h — the treatment over time, played forward for a designer:
 * which modules open and on which day, which rating forms fall due
 * (start, weekly, module:SLUG, end) and which automatic messages are
 * sent.  stegc preview's panel shows it; steg serve can reuse it.  It
 * depends on core only.
 *
 * The treatment is a script of actions, one a line:
 *
 *   complete MODULE      the patient completes an open module
 *   review MODULE        the clinician gives feedback on a completed one
 *   wait N               N days pass (1 to 3650)
 *   score FORM.SCORE V   a rating form's score is V from now on
 *
 * sr_timeline_run plays the script from day 0 over a checked program and
 * writes what happened as JSON.  The rules are evaluated by core's one
 * evaluator (st_expr_eval) on the trees st_check_program made: a module
 * without 'unlock' opens when the one before it is completed (the first
 * at the start), one with a rule opens on the first day the rule holds
 * and stays open; a message is sent once, on the first day its condition
 * holds ('start' on day 0, 'end' on the last day).  A form falls due at
 * 'start' on day 0, 'weekly' on days 7, 14, ... before the end,
 * 'module:SLUG' on the day SLUG is completed and 'end' on the last day.
 * The last day is day 7 x duration-weeks; a program without a duration
 * ends on the day its last module is completed.  Everything is evaluated
 * after each action and at the start of each day, so a rule such as
 * days_since("intro") >= 7 opens its module on the seventh day.
 *
 * Besides the script's outcome ("history") the JSON holds a forecast
 * ("planned"): what time alone would bring if the patient did nothing more,
 * up to the last day or eight weeks ahead, whichever is later (at most a
 * year).  Because the script refers to modules by id, it can be played
 * again over a recompiled program.
 *
 * JSON (one object):
 *   {"day": D, "week": W, "end_day": E or null, "ended": bool,
 *    "modules": [{"id", "title", "state": "locked"|"open"|"completed",
 *                 "reviewed": bool, "opened": D|null, "completed": D|null}],
 *    "history": [EVENT...], "planned": [EVENT...],
 *    "problems": ["line 2: module 'x' is not open", ...]}
 *   EVENT: {"day": D, "kind": "open"|"due"|"message"|"complete"|"review"|
 *           "end", "id": ..., "title": ..., "at": "weekly" (due),
 *           "text": ... (message)}
 *
 * Ownership: the caller's buffer receives the JSON; nothing else outlives
 * a call.  The program is only read, so many threads may play at once.
 */
#ifndef SR_TIMELINE_H
#define SR_TIMELINE_H

#include <stddef.h>
#include "expr.h"
#include "model.h"
#include "util.h"

#define SR_TL_MAX_LINES 10000     /* actions in one script */
#define SR_TL_MAX_DAYS 3650       /* the clock stops after ten years */

/* The state after the script, for the pages' unlock rules (see
 * sr_timeline_module).  Arrays are indexed by the program's modules. */
typedef struct sr_tl_state {
	long day;                 /* today, 0 the first day */
	long *completed;          /* day completed, or -1 */
	long *reviewed;           /* day reviewed, or -1 */
	long *opened;             /* day opened, or -1 */
	size_t nmodules;
} sr_tl_state;

/* Play script (len bytes; NULL is empty) over p and append the JSON to
 * out (NULL: only the state is wanted, and no forecast is made).  st, when not NULL, receives the final state in arrays of a (the
 * caller's arena).  Returns the number of problems (lines that could not
 * be played: an unknown or locked module, a bad number); they are in the
 * JSON and the rest of the script is played. */
int sr_timeline_run(const st_program *p, const char *script, size_t len,
                    st_buf *out, st_arena *a, sr_tl_state *st);

/* completed(), reviewed() and days_since() over a state, as core/expr.h's
 * st_eval_env.module (ctx: the sr_tl_state). */
st_value sr_timeline_module(void *ctx, int fn, size_t module_index);

#endif
