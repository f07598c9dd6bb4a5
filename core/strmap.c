/*
 * strmap.c — a string-to-index hash map in an arena (open addressing,
 * FNV-1a), for linear-time name resolution in the checks and loaders, and
 * the edit distance behind every "did you mean" suggestion.
 */
#include <string.h>
#include "strmap.h"

struct st_strmap {
	st_arena *a;
	const char **keys;      /* insertion order */
	size_t *vals;
	size_t n, cap;          /* entries; capacity of keys/vals */
	size_t *slots;          /* open addressing: entry index + 1, 0 empty */
	size_t nslots;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

st_strmap *st_strmap_new(st_arena *a)
{
	st_strmap *m = st_alloc(a, sizeof *m);
	m->a = a;
	m->nslots = 16;
	m->slots = st_alloc(a, m->nslots * sizeof *m->slots);
	return m;
}

static size_t *find_slot(const st_strmap *m, const char *key)
{
	size_t i = hash(key) & (m->nslots - 1);
	for (;;) {
		size_t *s = &m->slots[i];
		if (!*s || !strcmp(m->keys[*s - 1], key))
			return s;
		i = (i + 1) & (m->nslots - 1);
	}
}

int st_strmap_put(st_strmap *m, const char *key, size_t val, size_t *old)
{
	size_t *s = find_slot(m, key);
	if (*s) {
		if (old)
			*old = m->vals[*s - 1];
		return 1;
	}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 8;
		m->keys = st_grow(m->a, m->keys, m->n, nc, sizeof *m->keys);
		m->vals = st_grow(m->a, m->vals, m->n, nc, sizeof *m->vals);
		m->cap = nc;
	}
	m->keys[m->n] = key;
	m->vals[m->n] = val;
	m->n++;
	*s = m->n;
	if (m->n * 2 > m->nslots) {
		m->nslots *= 2;
		m->slots = st_alloc(m->a, m->nslots * sizeof *m->slots);
		for (size_t i = 0; i < m->n; i++)
			*find_slot(m, m->keys[i]) = i + 1;
	}
	return 0;
}

int st_strmap_get(const st_strmap *m, const char *key, size_t *val)
{
	if (!m || !key)
		return 0;
	size_t *s = find_slot(m, key);
	if (!*s)
		return 0;
	if (val)
		*val = m->vals[*s - 1];
	return 1;
}

size_t st_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t row[41];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *st_strmap_closest(const st_strmap *m, const char *key)
{
	const char *best = NULL;
	size_t bd = strlen(key) < 4 ? 2 : 3;
	/* Suggestions are for people; a hostile file with thousands of
	 * unknown names against thousands of known ones must stay linear. */
	if (!m || m->n > 2000)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		size_t d = st_edit_distance(key, m->keys[i]);
		if (d < bd) {
			bd = d;
			best = m->keys[i];
		}
	}
	return best;
}

