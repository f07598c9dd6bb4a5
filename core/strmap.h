/*
 * strmap.h — a string map in an arena for linear-time name resolution,
 * and the edit distance for "did you mean" suggestions.  Keys are not
 * copied: they must live as long as the map (arena strings do).
 */
#ifndef ST_STRMAP_H
#define ST_STRMAP_H

#include <stddef.h>
#include "util.h"

typedef struct st_strmap st_strmap;
st_strmap *st_strmap_new(st_arena *a);
/* Insert key -> val.  Returns 0 when inserted, 1 when the key was there
 * (the old value is kept and stored into *old if old is not NULL). */
int st_strmap_put(st_strmap *m, const char *key, size_t val, size_t *old);
int st_strmap_get(const st_strmap *m, const char *key, size_t *val);
/* The key closest to key by st_suggest_rank, for "did you mean"; NULL
 * when none is close.  Linear: for error paths only. */
const char *st_strmap_closest(const st_strmap *m, const char *key);

/* Edit distance of two short strings (insert, delete, replace, or swap
 * two neighbours: 'titel' is one edit from 'title'); 99 when either is
 * longer than 40 bytes (suggestions are for names, not texts). */
size_t st_edit_distance(const char *a, const char *b);

/* The one rule for "did you mean" (docs/diagnostics.md): how close cand
 * is to the unknown name key, lower is closer, or -1 when cand is not a
 * suggestion.  0: the same name but for case and separators ('gad-7' and
 * 'gad7', 'for_och_emot' and 'for-och-emot').  Otherwise the edit
 * distance, when it is at most a third of key's length and the two are
 * not numbered siblings (the same but for their digits: 'q8' is never
 * 'q1', 'phq8' never 'phq9'). */
int st_suggest_rank(const char *key, const char *cand);

/* Keep the closer of best (of rank *rank, -1 for none yet) and cand:
 * returns the one kept and updates *rank.  For loops over candidates. */
const char *st_suggest_pick(const char *key, const char *best, int *rank,
                            const char *cand);

#endif
