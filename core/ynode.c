/*
 * ynode.c — what can be asked of a loaded YAML tree: mapping lookups, kind
 * names, and positions inside scalars (core/ynode.h).  No libyaml here, so
 * that code which only reads a tree (the expression language's positions)
 * does not pull the parser in.
 */
#include "ynode.h"
#include "i18n.h"

#include <string.h>

st_ynode *st_ymap_get(const st_ynode *map, const char *key)
{
	if (!map || map->kind != ST_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i]->str, key))
			return map->items[i];
	return NULL;
}

const char *st_ykind_name(const st_ynode *n)
{
	if (!n)
		return st_tr("nothing");
	switch (n->kind) {
	case ST_Y_MAP: return st_tr("a mapping");
	case ST_Y_SEQ: return st_tr("a list");
	default: return st_tr("a text");
	}
}

/*
 * Map a byte offset in a scalar's value back to the file.  The value's bytes
 * appear in the source in order, separated by what YAML removes (quotes,
 * indentation, line folding, escapes), so a greedy walk that matches each
 * value byte with the next equal source byte finds them.  Escapes make the
 * column approximate; everything else is exact.
 */
st_span st_yaml_pos(const st_ynode *n, size_t off, size_t len)
{
	if (!n || n->kind != ST_Y_SCALAR || !n->src || n->end_off <= n->start_off)
		return n ? n->sp : (st_span){ 0 };
	const char *s = n->src;
	size_t p = n->start_off, end = n->end_off;
	if (n->style == ST_YS_SINGLE || n->style == ST_YS_DOUBLE) {
		p++;
	} else if (n->style == ST_YS_LITERAL || n->style == ST_YS_FOLDED) {
		while (p < end && s[p] != '\n')    /* skip the "|" header line */
			p++;
	}
	size_t target_start = p, target_end = p;
	for (size_t i = 0; i <= off + len && i <= n->len; i++) {
		if (i == off)
			target_start = p;
		if (i == off + len || i == n->len) {
			target_end = p;
			break;
		}
		char v = n->str[i];
		size_t q = p;
		while (q < end && s[q] != v && !(v == ' ' && s[q] == '\n'))
			q++;
		if (q >= end)
			break;
		p = q + 1;
		if (i == off)
			target_start = q;
	}
	if (off == 0 && len == 0)
		target_end = target_start;
	/* line and column of those offsets, counted from the node's start */
	st_span sp = n->sp;
	int line = n->sp.line, col = n->sp.col;
	size_t ls = n->start_off;
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	int base_col = n->sp.col - 1 - (int)(n->start_off - ls);
	size_t k = n->start_off;
	int sline = line, scol = col;
	int found_start = 0;
	for (; k <= target_end && k < end + 1; k++) {
		if (k == target_start) {
			sline = line;
			scol = col;
			found_start = 1;
		}
		if (k == target_end)
			break;
		if (s[k] == '\n') {
			line++;
			/* every line of embedded YAML shares the base column */
			col = 1 + base_col;
		} else {
			col++;
		}
	}
	if (!found_start)
		return n->sp;
	sp.line = sline;
	sp.col = scol;
	sp.end_line = line;
	sp.end_col = len ? col - 1 : scol;
	if (sp.end_line == sp.line && sp.end_col < sp.col)
		sp.end_col = sp.col;
	return sp;
}
