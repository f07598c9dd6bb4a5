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
/* The key closest to key by edit distance (at most 2 edits), for "did you
 * mean"; NULL when none is close.  Linear: for error paths only. */
const char *st_strmap_closest(const st_strmap *m, const char *key);

/* Levenshtein distance of two short strings; 99 when either is longer
 * than 40 bytes (suggestions are for names, not texts). */
size_t st_edit_distance(const char *a, const char *b);

#endif
