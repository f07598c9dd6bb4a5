/*
 * yamlload.c — the YAML loader: libyaml events to a tree of st_ynode with
 * real file positions.
 *
 * Why events and not libyaml's document loader: we need to stop early on
 * hostile input (depth, expanded size) and to keep aliases shared instead
 * of copied (libyaml 0.2.5 has no depth limit).  A stack of open
 * collections receives nodes as events arrive.  libyaml counts lines from
 * 0 and columns in characters; spans count lines from 1 and columns in
 * bytes, so every mark is converted here, once, through a table of line
 * starts.
 */
#include "yamlload.h"
#include "yamlhint.h"
#include "yamlmsg.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct anchor {
	const char *name;
	st_ynode *node;
	size_t size;        /* expanded node count */
};

struct frame {
	st_ynode *node;
	st_ynode **items;   /* growing children (values for maps) */
	st_ynode **keys;
	size_t n, cap;
	size_t size;        /* expanded node count so far */
	const char *anchor;
	st_ynode *pending_key;
};

struct loader {
	st_arena *a;
	st_diags *d;
	const char *file;
	const char *text;   /* arena copy */
	size_t len;
	int base_line, base_col;
	size_t *lines;      /* byte offset of each line start */
	size_t nlines;
	struct frame stack[ST_YAML_MAX_DEPTH + 1];
	int depth;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t expanded;
	int failed;
	st_ynode *root;     /* the document's node, once it is complete */
	int docs, done;     /* documents begun; the stream has ended */
};

/* Byte offset of a libyaml mark (line 0-based, column in characters). */
static size_t mark_offset(const struct loader *L, yaml_mark_t m)
{
	if (m.line >= L->nlines)
		return L->len;
	size_t off = L->lines[m.line];
	for (size_t c = 0; c < m.column && off < L->len && L->text[off] != '\n'; c++) {
		off++;
		while (off < L->len && ((unsigned char)L->text[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* 1-based line and byte column of a byte offset on a known 0-based line. */
static void pos_of(const struct loader *L, size_t line0, size_t off, int *line, int *col)
{
	*line = (int)line0 + 1 + L->base_line;
	size_t start = line0 < L->nlines ? L->lines[line0] : 0;
	*col = (int)(off - start) + 1 + L->base_col;
}

static st_span span_of(const struct loader *L, yaml_mark_t s, yaml_mark_t e)
{
	st_span sp = { L->file, 0, 0, 0, 0 };
	pos_of(L, s.line, mark_offset(L, s), &sp.line, &sp.col);
	size_t eoff = mark_offset(L, e);
	/* the end mark is one past the node: step back onto its last byte */
	size_t eline = e.line;
	if (eoff > 0 && eline < L->nlines && eoff == L->lines[eline] && eline > 0) {
		eline--;
		eoff = eoff > 0 ? eoff - 1 : 0;
		if (eoff > 0 && L->text[eoff] == '\n')
			eoff--;
	} else if (eoff > 0) {
		eoff--;
	}
	pos_of(L, eline, eoff, &sp.end_line, &sp.end_col);
	if (sp.end_line < sp.line || (sp.end_line == sp.line && sp.end_col < sp.col)) {
		sp.end_line = sp.line;
		sp.end_col = sp.col;
	}
	return sp;
}

static void fail_at(struct loader *L, const char *code, yaml_mark_t m,
                    const char *fmt, const char *arg)
{
	st_span sp = { L->file, 0, 0, 0, 0 };
	pos_of(L, m.line, mark_offset(L, m), &sp.line, &sp.col);
	st_diag(L->d, ST_ERROR, code, sp, fmt, arg);
	L->failed = 1;
}

/* The note of a hint, on its line (h->msg freed). */
static void note_hint(struct loader *L, st_yaml_hint *h)
{
	size_t start = L->lines[h->line];
	st_span sp = { L->file, 0, 0, 0, 0 };
	pos_of(L, h->line, start + h->from, &sp.line, &sp.col);
	pos_of(L, h->line, start + h->to - 1, &sp.end_line, &sp.end_col);
	st_diag_note(L->d, sp, "%s", h->msg);
	free(h->msg);
}

/* After a syntax error at m: a note saying what to write instead, when the
 * line reads as unquoted text that YAML took for syntax (yamlhint.h);
 * 1 when there was one. */
static int hint_at(struct loader *L, yaml_mark_t m)
{
	if (m.line >= L->nlines)
		return 0;
	size_t start = L->lines[m.line], off = mark_offset(L, m);
	const char *nl = memchr(L->text + start, '\n', L->len - start);
	size_t end = nl ? (size_t)(nl - L->text) : L->len;
	st_yaml_hint h;
	if (off > end || !st_yaml_hint_line(L->text + start, end - start, off - start, &h))
		return 0;
	h.line = m.line;
	note_hint(L, &h);
	return 1;
}

/* After a syntax error that quotes would not fix: a note on the layout
 * (indentation, a missing '-' or ': '), from the lines above (yamlhint.h). */
static void layout_hint(struct loader *L, const yaml_parser_t *parser)
{
	yaml_mark_t m = parser->problem_mark, cm = parser->context_mark;
	if (m.line >= L->nlines)
		return;
	st_yaml_text t = { L->text, L->len, L->lines, L->nlines, L->base_line,
	                   L->base_col };
	st_yaml_stop s = { parser->problem, m.line,
	                   mark_offset(L, m) - L->lines[m.line], 0, 0, 0 };
	if (parser->context && cm.line < L->nlines) {
		s.has_ctx = 1;
		s.ctx_line = cm.line;
		s.ctx_col = mark_offset(L, cm) - L->lines[cm.line];
	}
	st_yaml_hint h;
	if (st_yaml_hint_layout(&t, &s, &h))
		note_hint(L, &h);
}

static st_ynode *new_node(struct loader *L, st_ykind k, const yaml_event_t *ev)
{
	st_ynode *n = st_alloc(L->a, sizeof *n);
	n->kind = k;
	n->sp = span_of(L, ev->start_mark, ev->end_mark);
	n->src = L->text;
	n->start_off = mark_offset(L, ev->start_mark);
	n->end_off = mark_offset(L, ev->end_mark);
	return n;
}

static int count(struct loader *L, size_t k, yaml_mark_t m)
{
	L->expanded += k;
	if (L->expanded > ST_YAML_MAX_NODES) {
		fail_at(L, "yaml-limit", m, "document has more than %s nodes once "
		        "aliases are expanded; split it or use fewer aliases", "200000");
		return -1;
	}
	return 0;
}

static void remember_anchor(struct loader *L, const char *name, st_ynode *n, size_t size)
{
	if (!name)
		return;
	ST_PUSH(L->a, L->anchors, L->nanchors, L->capanchors,
	        ((struct anchor){ st_strdup(L->a, name), n, size }));
}

/* Add a finished node (with its expanded size) to the open collection. */
static int add_child(struct loader *L, st_ynode *n, size_t size, yaml_mark_t m)
{
	if (L->depth == 0)
		return 0;
	struct frame *f = &L->stack[L->depth - 1];
	f->size += size;
	if (f->node->kind == ST_Y_MAP && !f->pending_key) {
		if (n->kind != ST_Y_SCALAR) {
			fail_at(L, "yaml-syntax", m, "%s", st_tr("a mapping key must be a "
			        "plain text, not a list or mapping"));
			return -1;
		}
		f->pending_key = n;
		return 0;
	}
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 8;
		f->items = st_grow(L->a, f->items, f->n, nc, sizeof *f->items);
		if (f->node->kind == ST_Y_MAP)
			f->keys = st_grow(L->a, f->keys, f->n, nc, sizeof *f->keys);
		f->cap = nc;
	}
	if (f->node->kind == ST_Y_MAP) {
		f->keys[f->n] = f->pending_key;
		f->pending_key = NULL;
	}
	f->items[f->n++] = n;
	return 0;
}

struct keyref {
	const st_ynode *key;
	size_t index;
};

static int cmp_keyref(const void *pa, const void *pb)
{
	const struct keyref *a = pa, *b = pb;
	int c = strcmp(a->key->str, b->key->str);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Duplicate keys in one mapping: sort the keys, report each later twin
 * with a note at the first.  O(n log n) so that a huge mapping costs
 * little. */
static void check_duplicates(struct loader *L, st_ynode *map)
{
	if (map->n < 2)
		return;
	struct keyref *k = malloc(map->n * sizeof *k);
	if (!k)
		abort();
	for (size_t i = 0; i < map->n; i++)
		k[i] = (struct keyref){ map->keys[i], i };
	qsort(k, map->n, sizeof *k, cmp_keyref);
	for (size_t i = 1; i < map->n; i++) {
		size_t first = i - 1;
		while (i < map->n && !strcmp(k[i].key->str, k[first].key->str)) {
			st_diag(L->d, ST_ERROR, "duplicate-key", k[i].key->sp,
			        "duplicate key '%s'", k[i].key->str);
			st_diag_note(L->d, k[first].key->sp, "first given here");
			L->failed = 1;
			i++;
		}
	}
	free(k);
}

static void build_lines(struct loader *L)
{
	size_t n = 1;
	for (size_t i = 0; i < L->len; i++)
		n += L->text[i] == '\n';
	L->lines = st_alloc(L->a, n * sizeof *L->lines);
	L->nlines = 0;
	L->lines[L->nlines++] = 0;
	for (size_t i = 0; i < L->len; i++)
		if (L->text[i] == '\n')
			L->lines[L->nlines++] = i + 1;
}

static st_ystyle style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return ST_YS_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return ST_YS_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return ST_YS_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return ST_YS_FOLDED;
	default: return ST_YS_PLAIN;
	}
}

/* The parser stopped: its message at its position, and a hint when the
 * line reads as unquoted text (hint_at). */
static void report_parse_error(struct loader *L, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? st_yaml_msg(parser->problem)
	                                      : st_tr("syntax error");
	yaml_mark_t m = parser->problem_mark;
	if (parser->context) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s %s", problem,
		         st_yaml_msg(parser->context));
		fail_at(L, "yaml-syntax", m, "%s", msg);
	} else {
		fail_at(L, "yaml-syntax", m, "%s", problem);
	}
	if (!hint_at(L, m))
		layout_hint(L, parser);
}

/* One event of the parser into the tree: scalars and aliases join the open
 * collection, collections open and close frames. */
static void on_event(struct loader *L, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		L->done = 1;
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (++L->docs > 1)
			fail_at(L, "yaml-syntax", ev->start_mark, "%s",
			        st_tr("more than one YAML document; a file holds one"));
		break;
	case YAML_SCALAR_EVENT: {
		if (count(L, 1, ev->start_mark))
			break;
		st_ynode *n = new_node(L, ST_Y_SCALAR, ev);
		n->str = st_strndup(L->a, (const char *)ev->data.scalar.value,
		                    ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->style = style_of(ev->data.scalar.style);
		if (ev->data.scalar.tag)
			n->tag = st_strdup(L->a, (const char *)ev->data.scalar.tag);
		remember_anchor(L, (const char *)ev->data.scalar.anchor, n, 1);
		if (L->depth == 0)
			L->root = n;
		else
			add_child(L, n, 1, ev->start_mark);
		break;
	}
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		struct anchor *an = NULL;
		for (size_t i = L->nanchors; i-- > 0;)
			if (!strcmp(L->anchors[i].name, name)) {
				an = &L->anchors[i];
				break;
			}
		if (!an) {
			fail_at(L, "yaml-syntax", ev->start_mark,
			        "unknown alias '*%s'; define the anchor '&name' before it", name);
			hint_at(L, ev->start_mark);
			break;
		}
		if (count(L, an->size, ev->start_mark))
			break;
		if (L->depth == 0)
			L->root = an->node;
		else
			add_child(L, an->node, an->size, ev->start_mark);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (L->depth >= ST_YAML_MAX_DEPTH) {
			fail_at(L, "yaml-limit", ev->start_mark,
			        "nesting deeper than %s levels", "64");
			break;
		}
		if (count(L, 1, ev->start_mark))
			break;
		int is_map = ev->type == YAML_MAPPING_START_EVENT;
		st_ynode *n = new_node(L, is_map ? ST_Y_MAP : ST_Y_SEQ, ev);
		const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor
		                                   : ev->data.sequence_start.anchor;
		struct frame *f = &L->stack[L->depth++];
		memset(f, 0, sizeof *f);
		f->node = n;
		f->size = 1;
		f->anchor = anchor ? st_strdup(L->a, (const char *)anchor) : NULL;
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: {
		struct frame *f = &L->stack[--L->depth];
		st_ynode *n = f->node;
		n->items = f->items;
		n->keys = f->keys;
		n->n = f->n;
		/* the end event marks the collection's real end */
		st_span end = span_of(L, ev->start_mark, ev->end_mark);
		if (end.end_line > n->sp.end_line ||
		    (end.end_line == n->sp.end_line && end.end_col > n->sp.end_col)) {
			n->sp.end_line = end.end_line;
			n->sp.end_col = end.end_col;
		}
		n->end_off = mark_offset(L, ev->end_mark);
		if (n->kind == ST_Y_MAP)
			check_duplicates(L, n);
		remember_anchor(L, f->anchor, n, f->size);
		if (L->depth == 0)
			L->root = n;
		else
			add_child(L, n, f->size, ev->start_mark);
		break;
	}
	default:
		break;
	}
}

st_ynode *st_yaml_load(st_arena *a, st_diags *d, const char *file,
                       const char *text, size_t len, int base_line, int base_col)
{
	struct loader L;
	memset(&L, 0, sizeof L);
	L.a = a;
	L.d = d;
	L.file = st_strdup(a, file);
	L.base_line = base_line;
	L.base_col = base_col;

	if (len > ST_YAML_MAX_BYTES) {
		st_diag(d, ST_ERROR, "yaml-limit", (st_span){ L.file, 0, 0, 0, 0 },
		        "YAML text is %zu bytes, more than the limit of %u", len,
		        ST_YAML_MAX_BYTES);
		return NULL;
	}
	size_t bad;
	if (!st_utf8_valid(text, len, &bad)) {
		int line = 1 + base_line, col = 1 + base_col;
		for (size_t i = 0; i < bad; i++) {
			if (text[i] == '\n')
				line++, col = 1 + base_col;
			else
				col++;
		}
		st_diag(d, ST_ERROR, "encoding", (st_span){ L.file, line, col, line, col },
		        text[bad] == 0 ? "NUL byte in the text; save the file as UTF-8 text"
		                       : "invalid UTF-8; save the file as UTF-8");
		return NULL;
	}
	L.text = st_strndup(a, text, len);
	L.len = len;
	build_lines(&L);

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		st_diag(d, ST_ERROR, "yaml-limit", (st_span){ L.file, 0, 0, 0, 0 },
		        "cannot start the YAML parser (out of memory)");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)L.text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (!L.done && !L.failed) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			report_parse_error(&L, &parser);
			break;
		}
		on_event(&L, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (L.failed)
		return NULL;
	st_ynode *root = L.root;
	if (!root || (root->kind == ST_Y_SCALAR && root->style == ST_YS_PLAIN &&
	              (root->len == 0 || !strcmp(root->str, "~") ||
	               !strcmp(root->str, "null")))) {
		/* an empty document is an empty mapping */
		st_ynode *n = st_alloc(a, sizeof *n);
		n->kind = ST_Y_MAP;
		n->sp = (st_span){ L.file, 1 + base_line, 1 + base_col, 1 + base_line, 1 + base_col };
		n->src = L.text;
		root = n;
	}
	return root;
}
