/*
 * showif.h — show-if conditions that wait on answers that cannot come
 * first.
 *
 * An item's (an exercise field's) show-if waits on the answers it names:
 * directly (q2 > 0, sum(q1..q3)) and through the scores (computed fields)
 * whose values use them, however deep (total > 0, total = sum(q1..q2)).
 * When the answers waited on lead back to the item itself, none of them
 * can be shown first: an expr-cycle error, once per ring, at the show-if
 * of its first item, naming the ring with the scores or computed fields
 * it goes through (q1 -> total -> q1, a -> b -> a).  An item that waits on
 * its own answer by name is reported by check.c; through a score it is
 * reported here.
 *
 * Only expressions that checked without error (their tree typed yes/no,
 * names resolved) are read.  Everything is allocated in a; nothing is
 * kept.  Linear in the size of the form times its derived values.
 */
#ifndef ST_SHOWIF_H
#define ST_SHOWIF_H

#include "diag.h"
#include "model.h"
#include "util.h"

void st_show_if_rings_form(st_arena *a, st_diags *d, const st_form *f);
void st_show_if_rings_exercise(st_arena *a, st_diags *d, const st_exercise *e);

#endif
