/*
 * yaml_fuzz.c — a libFuzzer entry point for the YAML loader (core/yamlload.c)
 * and the rendering of findings with source lines (core/diag.c).  The
 * first two bytes are base_line and base_col (YAML embedded in another
 * file: front matter, component blocks), the rest is the document.  Every
 * input must end in a tree or in findings, without a crash, a hang, a
 * leak or a sanitizer report, and:
 *   - a tree comes with no error, findings without a tree have one;
 *   - st_yaml_pos over every scalar, at every offset of short values and
 *     at a spread of offsets of long ones, gives a position inside the
 *     file (line and column at least 1, shifted by the bases, end not
 *     before start), and the byte there is the scalar's byte (or the line
 *     break a folded space stands for) — except in double quotes, whose
 *     escapes make the column approximate (ynode.h), and in files with
 *     CR line breaks;
 *   - a finding at each such position renders in text, JSON and SARIF.
 *
 *   make fuzz FUZZ=yaml FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlload.h"

static FILE *sink;
static const char *text;       /* the document of the current input */
static size_t text_len;
static size_t *line_off;       /* byte offset of each line of text */
static size_t nlines;

static void index_lines(void)
{
	free(line_off);
	line_off = malloc((text_len + 1) * sizeof *line_off);
	if (!line_off)
		abort();
	nlines = 0;
	line_off[nlines++] = 0;
	for (size_t i = 0; i < text_len; i++)
		if (text[i] == '\n')
			line_off[nlines++] = i + 1;
}

/* The byte that st_yaml_pos puts at byte off of scalar n is that byte. */
static void check_byte(const st_ynode *n, size_t off, int bl, int bc)
{
	st_span sp = st_yaml_pos(n, off, 1);
	if (n->style == ST_YS_DOUBLE || memchr(text, '\r', text_len) ||
	    (sp.line == n->sp.line && sp.col == n->sp.col &&
	     sp.end_line == n->sp.end_line && sp.end_col == n->sp.end_col))
		return;                   /* approximate, or the whole node */
	long li = (long)sp.line - 1 - bl, co = (long)sp.col - 1 - bc;
	if (li < 0 || (size_t)li >= nlines || co < 0 ||
	    line_off[li] + (size_t)co >= text_len)
		abort();                  /* outside the file */
	char v = n->str[off], t = text[line_off[li] + (size_t)co];
	if (v != t && !(v == ' ' && t == '\n'))
		abort();                  /* points at another character */
}

static void check_span(st_span sp, int base_line, int base_col)
{
	if (sp.line == 0)
		return;                   /* unknown is allowed */
	if (sp.line < 1 + base_line || sp.col < 1)
		abort();
	if (sp.end_line && (sp.end_line < sp.line ||
	                    (sp.end_line == sp.line && sp.end_col < sp.col)))
		abort();
}

static void walk(const st_ynode *n, st_diags *d, int bl, int bc, int depth,
                 size_t *budget)
{
	if (!n || depth > ST_YAML_MAX_DEPTH + 2)
		abort();                  /* the loader bounds depth */
	check_span(n->sp, bl, bc);
	if (n->kind == ST_Y_SCALAR) {
		if (!n->str || strlen(n->str) > n->len)
			abort();
		size_t step = n->len <= 64 ? 1 : n->len / 32;
		for (size_t off = 0; off <= n->len && *budget; off += step) {
			(*budget)--;
			size_t len = (off * 7 + 3) % 9;
			if (off + len > n->len)
				len = n->len - off;
			st_span sp = st_yaml_pos(n, off, len);
			check_span(sp, bl, bc);
			if (off < n->len)
				check_byte(n, off, bl, bc);
			if (off == 0 || off == n->len)
				st_diag(d, ST_WARNING, "fuzz", sp, "offset %zu", off);
		}
		(void)st_ykind_name(n);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == ST_Y_MAP) {
			walk(n->keys[i], d, bl, bc, depth + 1, budget);
			if (n->keys[i]->kind == ST_Y_SCALAR &&
			    st_ymap_get(n, n->keys[i]->str) == NULL)
				abort();  /* a key that lookup cannot find */
		}
		walk(n->items[i], d, bl, bc, depth + 1, budget);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	int bl = data[0] % 200, bc = data[1] % 80;
	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	size_t len = size - 2;
	text = (const char *)data + 2;
	text_len = len;
	index_lines();

	st_ynode *root = st_yaml_load(a, d, "fuzz.yaml", text, len, bl, bc);
	if (root && st_diags_errors(d))
		abort();
	if (!root && !st_diags_errors(d))
		abort();
	if (root) {
		size_t budget = 20000;
		walk(root, d, bl, bc, 0, &budget);
	}
	st_diags_add_source(d, "fuzz.yaml", text, len);
	st_diags_sort(d);
	st_diags_render(d, sink, ST_FMT_TEXT, data[1] & 1, "fuzz");
	st_diags_render(d, sink, ST_FMT_JSON, 0, "fuzz");
	st_diags_render(d, sink, ST_FMT_SARIF, 0, "fuzz");
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
