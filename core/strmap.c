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
	/* three rows: two back for a swap of neighbours */
	size_t r0[41], r1[41], r2[41];
	size_t *pp = r0, *prev = r1, *row = r2;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			row[j] = best;
		}
		size_t *t = pp;
		pp = prev;
		prev = row;
		row = t;
	}
	return prev[lb];
}

static int is_sep(char c)
{
	return c == '-' || c == '_' || c == '.' || c == ' ';
}

/* s without separators, ASCII letters in lower case (digits: only the
 * digits; else: only the rest) into buf; 0 when it does not fit. */
static int shape(char *buf, size_t n, const char *s, int digits)
{
	size_t k = 0;
	for (; *s; s++) {
		char c = *s;
		if (is_sep(c) || (digits != (c >= '0' && c <= '9')))
			continue;
		if (k + 1 >= n)
			return 0;
		buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	buf[k] = 0;
	return 1;
}

int st_suggest_rank(const char *key, const char *cand)
{
	char a[64], b[64], ad[64], bd[64];
	if (!key || !cand || !strcmp(key, cand))
		return -1;
	if (shape(a, sizeof a, key, 0) && shape(b, sizeof b, cand, 0) &&
	    shape(ad, sizeof ad, key, 1) && shape(bd, sizeof bd, cand, 1)) {
		if (!strcmp(a, b) && !strcmp(ad, bd))
			return 0;        /* case and separators: 'gad-7', 'gad7' */
		if (!strcmp(a, b))
			return -1;       /* numbered siblings: 'q8', 'q1' */
	}
	size_t d = st_edit_distance(key, cand);
	if (d == 99 || d * 3 > strlen(key))
		return -1;
	return (int)d;
}

const char *st_suggest_pick(const char *key, const char *best, int *rank,
                            const char *cand)
{
	int r = st_suggest_rank(key, cand);
	if (r >= 0 && (*rank < 0 || r < *rank)) {
		*rank = r;
		return cand;
	}
	return best;
}

const char *st_strmap_closest(const st_strmap *m, const char *key)
{
	const char *best = NULL;
	int rank = -1;
	/* Suggestions are for people; a hostile file with thousands of
	 * unknown names against thousands of known ones must stay linear. */
	if (!m || m->n > 2000)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		best = st_suggest_pick(key, best, &rank, m->keys[i]);
	return best;
}

