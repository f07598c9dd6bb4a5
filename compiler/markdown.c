/*
 * markdown.c — one module file (modules/NN-name.md) to a checked module:
 * front matter, pages of sanitised XHTML, components, references, LIX.
 *
 * The shape follows the cost: a real program has hundreds of modules and
 * a designer checks it many times an hour, so a module is read once,
 * validated once (UTF-8, no NUL, no control characters XML forbids),
 * parsed once by cmark, and its tree walked once with a cmark_iter.  The
 * walk does everything in that one pass: it splits pages at top-level
 * level-1 headings, streams XHTML into a buffer (xhtml.c renders the plain
 * nodes; links, media, components and raw HTML are handled here because
 * they need the program and report findings), feeds the running text to
 * the LIX counter, and checks heading levels, links and media.  A page's
 * document is copied into the arena once, when the page ends.
 *
 * Positions: cmark counts lines from 1 in the text it is given, which is
 * the body after the front matter; every span adds the front matter's
 * line count, so that findings point at the real line of the file.  YAML
 * in the front matter and in component blocks is parsed with a base line
 * for the same reason.
 *
 * Hostile input (cmark 0.30.2, which Debian 12 ships): the size is capped
 * at SC_MAX_MODULE_BYTES before cmark sees the text, which bounds cmark's
 * known quadratic cases to well under a second; nesting deeper than
 * MAX_DEPTH (blocks and inlines together) is reported once and not
 * rendered, since no reader could follow it and XML parsers refuse deep
 * documents.  The walk itself is iterative, so depth costs no stack.
 */
#include <cmark.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmarkmem.h"
#include "compile.h"
#include "i18n.h"
#include "gfm.h"
#include "lix.h"
#include "media.h"
#include "strmap.h"
#include "vocab.h"
#include "xhtml.h"

#define MAX_DEPTH 32
#define MAX_FINDINGS 100

typedef struct md {
	st_arena *a;
	st_diags *d;
	st_program *p;
	st_module *m;
	const sc_opts *o;
	const char *file;        /* display path */
	const char *disk_path;
	const char *lang;
	int line0;               /* lines of the file before the body */
	const char *src;         /* the body, as cmark was given it */
	size_t srclen;
	size_t *lines;           /* offsets of the body's lines (lazily) */
	size_t nlines;
	/* While a piece of a line is parsed on its own (a table cell, the
	 * lines before a table): where each of its lines is in the file. */
	const struct subline *sub;
	size_t nsub;
	int inline_only;         /* a cell: its paragraph writes no <p> */
	int errors0;
	int render;              /* the pages are written (not sc_opts.no_pages) */

	/* the page being written */
	int have_page;
	const char *title;
	st_span psp;
	st_buf body;
	st_component *comps;
	size_t ncomps, ccomps;

	st_page *pages;
	size_t npages, cpages;
	st_ref *refs;
	size_t nrefs, crefs;

	st_buf tmp;              /* plain text of links, headings, alt text */
	st_buf raw;              /* the same before white space is collapsed */
	sc_lix lix;
	sc_lix_mark block0;      /* the counts where the current block began */
	sc_lix_mark page0;       /* ... and where the current page began */
	size_t images, players;  /* on the current page */
	double heavy_weight;     /* the heaviest block so far (lix_block) */
	st_span heavy_sp;
	sc_lix heavy;            /* its own counts */
	int prev_level;          /* the last heading's level */
	int depth;
	int depth_reported;
	size_t nfound, nsuppressed;   /* findings reported, left out */
	size_t nskipped;              /* component blocks not read */
	st_level worst_suppressed;    /* the gravest finding left out */
} md;

/* ---- positions ------------------------------------------------------ */

/* Line i of a piece parsed on its own: its line in the file, and its
 * columns: cols[c - 1] for column c when cols is set (a cell, where '\|'
 * became '|'), else c + shift. */
struct subline {
	int line;
	int shift;
	const int *cols;
	size_t ncols;
};

static int sub_col(const struct subline *l, int c)
{
	if (!l->cols)
		return c + l->shift;
	if (c < 1)
		c = 1;
	if ((size_t)c <= l->ncols)
		return l->cols[c - 1];
	return l->cols[l->ncols - 1] + (c - (int)l->ncols);
}

static st_span sub_span(const md *x, st_span s)
{
	size_t i = s.line > 0 ? (size_t)s.line - 1 : 0, j;
	if (i >= x->nsub)
		i = x->nsub - 1;
	j = s.end_line > 0 ? (size_t)s.end_line - 1 : i;
	if (j >= x->nsub)
		j = x->nsub - 1;
	s.line = x->sub[i].line;
	s.col = sub_col(&x->sub[i], s.col);
	if (s.end_line > 0) {
		s.end_line = x->sub[j].line;
		s.end_col = sub_col(&x->sub[j], s.end_col);
	}
	return s;
}

static st_span node_span(const md *x, cmark_node *n)
{
	st_span s = { x->file, 0, 0, 0, 0 };
	/* Soft breaks and a few other inlines have no position: use the
	 * nearest ancestor that has one. */
	while (n && cmark_node_get_start_line(n) <= 0)
		n = cmark_node_parent(n);
	if (!n)
		return s;
	s.line = cmark_node_get_start_line(n) + x->line0;
	s.col = cmark_node_get_start_column(n);
	if (s.col < 1)
		s.col = 1;
	if (cmark_node_get_end_line(n) > 0) {
		s.end_line = cmark_node_get_end_line(n) + x->line0;
		s.end_col = cmark_node_get_end_column(n);
	}
	if (x->sub) {
		s.line -= x->line0;
		if (s.end_line)
			s.end_line -= x->line0;
		s = sub_span(x, s);
	}
	return s;
}

/* The span of byte offset off in text (1-based line and byte column). */
static st_span offset_span(const char *file, const char *text, size_t off)
{
	int line = 1;
	size_t ls = 0;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n') {
			line++;
			ls = i + 1;
		}
	int col = (int)(off - ls) + 1;
	return (st_span){ file, line, col, line, col };
}

/* Every finding of a module goes through here, so that a hostile or
 * badly broken file (21,000 empty links on one line) gives a readable
 * report: after MAX_FINDINGS the rest are counted, and one note at the
 * end says how many were left out. */
static void fnd(md *x, st_level lvl, const char *code, st_span sp,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fnd(md *x, st_level lvl, const char *code, st_span sp,
                const char *fmt, ...)
{
	if (x->nfound >= MAX_FINDINGS) {
		x->nsuppressed++;
		if (lvl > x->worst_suppressed)
			x->worst_suppressed = lvl;
		return;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, st_tr_fmt(fmt), ap);
	va_end(ap);
	/* count what was kept: a code silenced with -Wno-CODE must not use
	 * up the room of the errors after it */
	size_t before = st_diags_count(x->d);
	st_diag(x->d, lvl, code, sp, "%s", msg);
	x->nfound += st_diags_count(x->d) - before;
}

/* ---- output ------------------------------------------------------------ */

/* The plain node n rendered into the page, unless the pages are not
 * wanted (sc_opts.no_pages: stegc check).  The markup that markdown.c
 * writes itself around links, media, components, tables and callouts
 * still goes into x->body, which finish_page then drops: it is little,
 * and writing it keeps one code path for the findings it reports. */
static void node_out(md *x, cmark_node *n, cmark_event_type ev)
{
	if (x->render)
		sc_xhtml_node(&x->body, n, ev);
}

/* ---- readability per block ---------------------------------------------- */

/* The end of a paragraph, heading or list item n: the sentence ends, and
 * the block's own counts are weighed.  A block weighs its words times its
 * own LIX (words^2 / sentences + 100 * long words): the block whose
 * rewriting lowers the module's LIX most, roughly, and the one the 'lix'
 * warning points at. */
static void lix_block(md *x, cmark_node *n)
{
	sc_lix_end_block(&x->lix);
	sc_lix b = sc_lix_since(&x->lix, &x->block0);
	x->block0 = sc_lix_mark_of(&x->lix);
	if (!b.words)
		return;
	double w = sc_lix_value(&b) * (double)b.words;
	if (w > x->heavy_weight) {
		x->heavy_weight = w;
		x->heavy_sp = node_span(x, n);
		x->heavy = b;
	}
}

/* ---- encoding -------------------------------------------------------- */

/* Check that text is UTF-8 that an XML page can carry: no NUL, no
 * invalid sequences, no control characters but tab, CR and LF.  Reports
 * the first problem and returns 0, or returns 1. */
static int check_encoding(md *x, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0;
	/* Most of a module is printable ASCII: eight bytes at a time when
	 * none is below 0x20 or above 0x7E (exact word tests: "has a byte
	 * less than n" and "has a byte more than n" from Bit Twiddling Hacks). */
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (i < len) {
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			uint64_t odd = ((w - ones * 0x20) & ~w & highs) |
			               (((w + ones * (127 - 0x7E)) | w) & highs);
			if (!odd) {
				i += 8;
				continue;
			}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* Straight to the first byte that is not printable
			 * ASCII (an å, a newline): a borrow or carry of the
			 * tests only ever runs from such a byte to the bytes
			 * after it, so the lowest flag is exact. */
			i += (size_t)__builtin_ctzll(odd) >> 3;
#endif
		}
		unsigned c = u[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c == '\n' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		/* U+0080-U+07FF (å, ä, ö and the other accented letters):
		 * valid and allowed whenever a continuation byte follows */
		if (c >= 0xC2 && c <= 0xDF && len - i >= 2 &&
		    (u[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		if (c == 0) {
			fnd(x, ST_ERROR, "encoding", offset_span(x->file, text, i),
			        "NUL byte in a module; is this a text file?");
			return 0;
		}
		if (c < 0x20 || c == 0x7F) {
			fnd(x, ST_ERROR, "encoding", offset_span(x->file, text, i),
			        "control character U+%04X is not allowed in a module; "
			        "remove it", c);
			return 0;
		}
		size_t bad;
		size_t k = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
		           (c & 0xF8) == 0xF0 ? 4 : 1;
		if (k > len - i)
			k = len - i;
		if (!st_utf8_valid(text + i, k, &bad) || k == 1) {
			fnd(x, ST_ERROR, "encoding", offset_span(x->file, text, i),
			        "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
			        c);
			return 0;
		}
		if (c == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE) {
			fnd(x, ST_ERROR, "encoding", offset_span(x->file, text, i),
			        "character U+%s is not allowed in a module; remove it",
			        u[i + 2] == 0xBE ? "FFFE" : "FFFF");
			return 0;
		}
		i += k;
	}
	return 1;
}

/* ---- front matter ------------------------------------------------------ */

/* If line at p (up to end) is exactly "---" (or "..." when dots), with
 * optional trailing blanks and CR, return the offset after its newline;
 * else 0. */
static size_t delimiter(const char *p, const char *end, int dots)
{
	const char *q = p;
	if (end - q < 3)
		return 0;
	if (memcmp(q, "---", 3) && !(dots && !memcmp(q, "...", 3)))
		return 0;
	q += 3;
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q < end && *q != '\n')
		return 0;
	return (size_t)(q - p) + (q < end);
}

static const char *const fm_keys[] = {
	"title", "id", "minutes", "unlock", NULL
};

/* Where the front matter of text is: 0 when there is none (*yaml_end 0
 * too) or it is not closed (*yaml_end is len); else 1, with the YAML at
 * [yaml_start, yaml_end), the body from *body on, and *lines the number of
 * lines before the body. */
static int split_front_matter(const char *text, size_t len, size_t *yaml_start,
                              size_t *yaml_end, size_t *body, int *lines)
{
	const char *end = text + len;
	size_t first = delimiter(text, end, 0);
	*yaml_start = *yaml_end = *body = 0;
	*lines = 0;
	if (!first)
		return 0;
	int line = 2;
	for (const char *p = text + first; p < end; line++) {
		size_t close = delimiter(p, end, 1);
		if (close) {
			*yaml_start = first;
			*yaml_end = (size_t)(p - text);
			*body = *yaml_end + close;
			*lines = line;
			return 1;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
	}
	*yaml_end = len;
	return 0;
}

/* Parse the front matter; returns the offset where the body starts and
 * sets x->line0. */
static size_t front_matter(md *x, const char *text, size_t len)
{
	size_t ys, ye, body;
	if (!split_front_matter(text, len, &ys, &ye, &body, &x->line0)) {
		if (ye == 0)
			fnd(x, ST_ERROR, "front-matter",
			    (st_span){ x->file, 1, 1, 1, 1 },
			    "module has no front matter; start the file with a "
			    "line '---', then 'title: ...', then '---'");
		else
			fnd(x, ST_ERROR, "front-matter",
			    (st_span){ x->file, 1, 1, 1, 3 },
			    "front matter is not closed; end it with a line '---'");
		x->line0 = 0;
		return 0;
	}
	st_ynode *root = st_yaml_load(x->a, x->d, x->file, text + ys, ye - ys,
	                              1, 0);
	st_module *m = x->m;
	if (!root)
		return body;
	if (root->kind != ST_Y_MAP) {
		fnd(x, ST_ERROR, "wrong-type", root->sp,
		    "front matter must be a mapping of keys such as "
		    "'title: ...', not %s", st_ykind_name(root));
		return body;
	}
	sc_check_keys(x->d, root, "front matter", fm_keys);
	m->title = sc_ystr(x->a, x->d, root, "title", 1);   /* blank: NULL */
	const char *id = sc_ystr(x->a, x->d, root, "id", 0);
	if (id) {
		if (!st_is_slug(id))
			fnd(x, ST_ERROR, "bad-id", st_ymap_get(root, "id")->sp,
			    "module id '%s' is not a slug: use a-z, 0-9, '-' and "
			    "'.'", id);
		else
			m->id = id;
	}
	int minutes = 0;
	if (sc_yint(x->d, root, "minutes", &minutes, 0) == 1)
		m->minutes = minutes;
	m->unlock = sc_yexpr(x->a, x->d, root, "unlock", 0);
	return body;
}

/* ---- pages ------------------------------------------------------------- */

static void start_page(md *x, const char *title, st_span sp)
{
	x->have_page = 1;
	x->page0 = sc_lix_mark_of(&x->lix);
	x->images = x->players = 0;
	x->title = title;
	x->psp = sp;
	x->body.len = 0;
	x->comps = NULL;
	x->ncomps = x->ccomps = 0;
}

/* The page's XHTML document, copied into the arena once. */
static void page_document(md *x, st_page *pg)
{
	st_buf head;
	st_buf_init(&head);
	sc_xhtml_head(&head, x->lang, x->title, x->m->id);
	size_t tl = sizeof SC_XHTML_TAIL - 1;
	size_t n = head.len + x->body.len + tl;
	char *doc = st_alloc(x->a, n + 1);
	memcpy(doc, head.data, head.len);
	if (x->body.len)
		memcpy(doc + head.len, x->body.data, x->body.len);
	memcpy(doc + head.len + x->body.len, SC_XHTML_TAIL, tl);
	st_buf_release(&head);
	pg->xhtml = doc;
	pg->xhtml_len = n;
}

static void finish_page(md *x)
{
	if (!x->have_page)
		return;
	st_page pg = { 0 };
	if (x->render)
		page_document(x, &pg);
	pg.title = x->title;
	pg.path = st_sprintf(x->a, "pages/%s/%02zu.xhtml", x->m->id,
	                     x->npages + 1);
	pg.components = x->comps;
	pg.ncomponents = x->ncomps;
	pg.sp = x->psp;
	sc_lix counts = sc_lix_since(&x->lix, &x->page0);
	pg.words = counts.words;
	pg.long_words = counts.long_words;
	pg.sentences = counts.sentences;
	pg.images = x->images;
	pg.players = x->players;
	ST_PUSH(x->a, x->pages, x->npages, x->cpages, pg);
	x->have_page = 0;
}

/* Text before the first level-1 heading forms a page titled by the
 * module, with the module's title as its heading so that every page has
 * one (WCAG 2.4.6). */
static void ensure_page(md *x, cmark_node *n)
{
	if (x->have_page)
		return;
	const char *t = x->m->title ? x->m->title : x->m->id;
	start_page(x, t, node_span(x, n));
	st_buf_adds(&x->body, "<h1>");
	sc_xhtml_text(&x->body, t, strlen(t));
	st_buf_adds(&x->body, "</h1>\n");
	x->prev_level = 1;
}

/* ---- plain text -------------------------------------------------------- */

static void report_html(md *x, cmark_node *n);

/* The plain text of n's inlines into x->tmp (reset first), white space
 * collapsed and trimmed.  report: report raw HTML met on the way (for
 * alternative text, whose nodes the main walk skips). */
static void plain_text(md *x, cmark_node *n, int report)
{
	x->raw.len = 0;
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		const char *lit = NULL;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(c);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			lit = " ";
			break;
		case CMARK_NODE_HTML_INLINE:
			if (report)
				report_html(x, c);
			break;
		default:
			break;
		}
		if (lit)
			sc_xhtml_clean(&x->raw, lit, strlen(lit));
	}
	cmark_iter_free(it);
	/* collapse and trim white space */
	x->tmp.len = 0;
	for (size_t i = 0; i < x->raw.len; i++) {
		char ch = x->raw.data[i];
		int sp = ch == ' ' || ch == '\t' || ch == '\n';
		if (sp && (x->tmp.len == 0 || x->tmp.data[x->tmp.len - 1] == ' '))
			continue;
		st_buf_addc(&x->tmp, sp ? ' ' : ch);
	}
	while (x->tmp.len && x->tmp.data[x->tmp.len - 1] == ' ')
		x->tmp.len--;
	st_buf_addc(&x->tmp, 0);
	x->tmp.len--;
}

/* ---- raw HTML ---------------------------------------------------------- */

static void report_html(md *x, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	if (!lit)
		lit = "";
	while (*lit == ' ' || *lit == '\t')
		lit++;
	size_t k = 0;
	while (lit[k] && lit[k] != '\n' && lit[k] != '\r' && k < 40)
		k++;
	int cut = lit[k] && lit[k] != '\n' && lit[k] != '\r';
	while (k && cut && ((unsigned char)lit[k] & 0xC0) == 0x80)
		k--;   /* do not cut a character in two */
	while (k && (lit[k - 1] == ' ' || lit[k - 1] == '\t'))
		k--;
	fnd(x, ST_WARNING, "raw-html", node_span(x, n),
	        "raw HTML '%.*s%s' is not allowed and was dropped; write it "
	        "in Markdown", (int)k, lit, cut ? "..." : "");
}

/* ---- links and media ----------------------------------------------------- */

typedef enum { T_BAD, T_EXTERNAL, T_TEL, T_MODULE, T_MEDIA } target_kind;

typedef struct target {
	target_kind kind;
	const char *path;   /* module: "01-intro.md"; media: "media/x.png" */
} tgt_t;

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Length of a URL scheme ("https" in "https://"), or 0 if none. */
static size_t scheme_len(const char *u)
{
	size_t i = 0;
	if (!((u[0] | 0x20) >= 'a' && (u[0] | 0x20) <= 'z'))
		return 0;
	while (u[i] && (((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') ||
	                (u[i] >= '0' && u[i] <= '9') || u[i] == '+' ||
	                u[i] == '-' || u[i] == '.'))
		i++;
	return u[i] == ':' && i >= 2 ? i : 0;  /* "c:" is a drive, not a scheme */
}

/* url, quoted in messages: made valid UTF-8 (NULL stays NULL). */
static const char *clean_url(md *x, const char *url)
{
	if (!url || !*url)
		return url;
	st_buf c;
	st_buf_init(&c);
	sc_xhtml_clean(&c, url, strlen(url));
	url = st_strndup(x->a, c.data, c.len);
	st_buf_release(&c);
	return url;
}

/* A url with a scheme (sl bytes of it): an https: or tel: link is a
 * target, anything else is reported. */
static tgt_t resolve_scheme(md *x, const char *url, size_t sl, st_span sp,
                            int is_media)
{
	tgt_t t = { T_BAD, NULL };
	char scheme[16];
	size_t n = sl < sizeof scheme - 1 ? sl : sizeof scheme - 1;
	for (size_t i = 0; i < n; i++)
		scheme[i] = (char)(url[i] | 0x20);
	scheme[n] = 0;
	if (is_media) {
		fnd(x, ST_ERROR, "external-media", sp,
		        "media file '%s' is outside the program; put the "
		        "file in media/ and write '../media/NAME'", url);
	} else if (!strcmp(scheme, "https") && sl == 5) {
		if (strncmp(url + 6, "//", 2) || !url[8] || url[8] == '/')
			fnd(x, ST_ERROR, "broken-link", sp,
			        "link '%s' has no host; write "
			        "'https://host/path'", url);
		else
			t.kind = T_EXTERNAL;
	} else if (!strcmp(scheme, "tel") && sl == 3) {
		t.kind = T_TEL;
	} else if (!strcmp(scheme, "http") && sl == 4) {
		fnd(x, ST_ERROR, "insecure-link", sp,
		        "link '%s' is not secure; use 'https:%s'", url,
		        url + 5);
	} else if (!strcmp(scheme, "mailto") && sl == 6) {
		fnd(x, ST_ERROR, "insecure-link", sp,
		        "e-mail link '%s' is not allowed: e-mail is not a "
		        "secure channel for health information; write the "
		        "address as text or point to the platform's messages",
		        url);
	} else {
		fnd(x, ST_ERROR, "insecure-link", sp,
		        "link '%s' uses the scheme '%.*s:'; external links "
		        "must use 'https:'", url, (int)sl, url);
	}
	return t;
}

/* The path part of url (up to '?' or '#') percent-decoded, or NULL after
 * reporting a bad escape, a backslash or invalid UTF-8. */
static char *decode_path(md *x, const char *url, st_span sp, const char *what)
{
	size_t ul = strcspn(url, "?#");
	char *dec = st_alloc(x->a, ul + 1);
	size_t dn = 0;
	for (size_t i = 0; i < ul; i++) {
		if (url[i] == '%') {
			int h = i + 2 < ul ? hexval(url[i + 1]) : -1;
			int l = h >= 0 ? hexval(url[i + 2]) : -1;
			if (h < 0 || l < 0 || (h == 0 && l == 0) ||
			    (h == 2 && l == 15)) {
				fnd(x, ST_ERROR, "broken-link", sp,
				        "%s '%s' has a bad percent escape", what, url);
				return NULL;
			}
			dec[dn++] = (char)(h * 16 + l);
			i += 2;
		} else if (url[i] == '\\') {
			fnd(x, ST_ERROR, "broken-link", sp,
			        "%s '%s' has a backslash; separate folders with '/'",
			        what, url);
			return NULL;
		} else {
			dec[dn++] = url[i];
		}
	}
	dec[dn] = 0;
	size_t bad;
	if (!st_utf8_valid(dec, dn, &bad)) {
		fnd(x, ST_ERROR, "broken-link", sp,
		        "%s '%s' is not valid UTF-8 once decoded", what, url);
		return NULL;
	}
	return dec;
}

#define MAX_SEGS 64

/* A decoded path resolved against modules/, segment by segment: "." and
 * empty segments dropped, ".." climbing.  segs[0] is "modules".  Returns
 * the number of segments, or 0 after reporting a climb out of the
 * program or too many folders. */
static size_t path_segments(md *x, const char *dec, const char *url,
                            st_span sp, const char *what,
                            const char *segs[MAX_SEGS], size_t sn[MAX_SEGS])
{
	size_t ns = 0;
	segs[ns] = "modules";
	sn[ns++] = 7;
	for (const char *s = dec; ; ) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (ns == 0) {
				fnd(x, ST_ERROR, "path-escape", sp,
				        "%s '%s' climbs out of the program folder; "
				        "media is at '../media/NAME'", what, url);
				return 0;
			}
			ns--;
		} else {
			if (ns == MAX_SEGS) {
				fnd(x, ST_ERROR, "broken-link", sp,
				        "%s '%s' has too many folders", what, url);
				return 0;
			}
			segs[ns] = s;
			sn[ns++] = n;
		}
		if (!e)
			break;
		s = e + 1;
	}
	return ns;
}

/* A relative url within the program: a module or a file in media/. */
static tgt_t resolve_path(md *x, const char *url, st_span sp, int is_media)
{
	tgt_t t = { T_BAD, NULL };
	const char *what = is_media ? st_tr("media file") : st_tr("link");
	char *dec = decode_path(x, url, sp, what);
	if (!dec)
		return t;
	const char *segs[MAX_SEGS];
	size_t sn[MAX_SEGS];
	size_t ns = path_segments(x, dec, url, sp, what, segs, sn);
	if (!ns)
		return t;
	st_buf b;
	st_buf_init(&b);
	for (size_t i = 0; i < ns; i++) {
		if (i)
			st_buf_addc(&b, '/');
		st_buf_add(&b, segs[i], sn[i]);
	}
	const char *path = st_strndup(x->a, b.data ? b.data : "", b.len);
	st_buf_release(&b);
	if (!is_media && ns == 2 && sn[0] == 7 && !memcmp(segs[0], "modules", 7) &&
	    sn[1] > 3 && !memcmp(segs[1] + sn[1] - 3, ".md", 3)) {
		t.kind = T_MODULE;
		t.path = path + 8;
		return t;
	}
	if (ns >= 2 && sn[0] == 5 && !memcmp(segs[0], "media", 5)) {
		t.kind = T_MEDIA;
		t.path = path;
		return t;
	}
	if (is_media)
		fnd(x, ST_ERROR, "broken-link", sp,
		        "media file '%s' is not in the media folder; put it in "
		        "media/ and write '../media/NAME'", url);
	else
		fnd(x, ST_ERROR, "broken-link", sp,
		        "link '%s' is neither a module (such as '02-name.md') "
		        "nor a file in media/", url);
	return t;
}

/* Classify url, written in the module, as a target and report what is
 * wrong with it.  is_media: the url of an image, audio or video (which
 * must be a file in media/), else of a link. */
static tgt_t resolve(md *x, const char *url, st_span sp, int is_media)
{
	tgt_t t = { T_BAD, NULL };
	const char *what = is_media ? st_tr("media file") : st_tr("link");
	url = clean_url(x, url);
	if (!url || !*url) {
		fnd(x, ST_ERROR, "broken-link", sp,
		        is_media ? "image has no file; write its path, such as "
		        "'../media/bild.png'" : "link has no target");
		return t;
	}
	size_t sl = scheme_len(url);
	if (sl)
		return resolve_scheme(x, url, sl, sp, is_media);
	if (url[0] == '/' && url[1] == '/') {
		fnd(x, ST_ERROR, "insecure-link", sp,
		        "link '%s' has no scheme; write 'https:%s'", url, url);
		return t;
	}
	if (url[0] == '#' || url[0] == '?') {
		fnd(x, ST_ERROR, "broken-link", sp,
		        "%s '%s' points inside a page, which is not supported; "
		        "link to a module or a file in media/", what, url);
		return t;
	}
	if (url[0] == '/' || url[0] == '\\') {
		fnd(x, ST_ERROR, "path-escape", sp,
		        "%s '%s' is an absolute path; write a path relative to "
		        "the module, such as '../media/NAME'", what, url);
		return t;
	}
	return resolve_path(x, url, sp, is_media);
}

static void add_ref(md *x, st_ref_kind kind, const char *target, st_span sp)
{
	st_ref r = { kind, target, sp };
	ST_PUSH(x->a, x->refs, x->nrefs, x->crefs, r);
}

/* The id that the front matter of modules/<name> sets, read ahead of
 * its turn, or NULL.  Problems in that file are reported when it is
 * loaded itself, so the findings here go to a scratch set.  Only the
 * start of the file is read, and the YAML is parsed only when it can
 * hold an 'id' at all: a program of a thousand modules that link to the
 * next one reads a thousand small chunks, not its text twice. */
/* A module file that is a symlink: load.c accepts it when it resolves
 * inside the program folder, and the module is then loaded through it,
 * so its id is read through it too (else a link to it would name the
 * file-name id while its pages carry the one its front matter sets).
 * Opened only when inside, as load.c checks it; -1 otherwise. */
static int open_inside(md *x, const char *path)
{
	char *real = realpath(path, NULL);
	char *base = realpath(x->p->dir && x->p->dir[0] ? x->p->dir : ".",
	                      NULL);
	int fd = -1;
	if (real && base) {
		size_t bl = strlen(base);
		if (!strncmp(real, base, bl) && real[bl] == '/')
			fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	}
	free(real);
	free(base);
	return fd;
}

static const char *peek_id(md *x, const char *name)
{
	const char *slash = strrchr(x->disk_path, '/');
	const char *path = slash ?
		st_sprintf(x->a, "%.*s/%s", (int)(slash - x->disk_path),
		           x->disk_path, name) : name;
	char head[8192];
	size_t len = 0, ys, ye, body, bad;
	int lines, found = 0;
	const char *id = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 && errno == ELOOP)
		fd = open_inside(x, path);
	if (fd < 0)
		return NULL;
	const char *text = head;
	size_t bom = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		/* a first small read holds most front matters: the rest of
		 * the 8 KiB only when the closing line is not in it (ended by
		 * its newline, or by the end of the file) */
		size_t want = 1024;
		int eof = 0;
		for (;;) {
			while (len < want) {
				ssize_t r = read(fd, head + len, want - len);
				if (r <= 0) {
					eof = 1;
					break;
				}
				len += (size_t)r;
			}
			bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
			found = split_front_matter(text + bom, len - bom, &ys, &ye,
			                           &body, &lines);
			if ((found && (eof || text[bom + body - 1] == '\n')) ||
			    eof || want == sizeof head)
				break;
			want = sizeof head;
		}
	}
	close(fd);
	if (!found)
		return NULL;   /* none, or longer than any real front matter */
	const char *y = text + bom + ys;
	size_t yl = ye - ys;
	size_t k = 0;
	while (k + 1 < yl && !(y[k] == 'i' && y[k + 1] == 'd'))
		k++;
	if (k + 1 >= yl || !st_utf8_valid(y, yl, &bad))
		return NULL;   /* no "id" anywhere: the default id holds */
	st_diags *scratch = st_diags_new();
	st_ynode *root = st_yaml_load(x->a, scratch, path, y, yl, 1, 0);
	st_ynode *n = st_ymap_get(root, "id");
	if (n && n->kind == ST_Y_SCALAR && st_is_slug(n->str))
		id = st_strdup(x->a, n->str);
	st_diags_free(scratch);
	return id;
}

/* The id of the module in file name.  Modules load in order: the ones
 * before this one (and this one) have their final id; a later one may
 * still set its own in its front matter, so that file is read ahead (and
 * every other one's when modules load in parallel).
 * The search runs backwards from this module: "the previous module" is
 * the link designers write most. */
static const char *module_id(md *x, const char *name)
{
	const st_module *mods = x->p->modules;
	size_t n = x->p->nmodules;
	size_t last = n;   /* modules [0, last) have their final id */
	if (n && x->m >= mods && x->m < mods + n)
		last = (size_t)(x->m - mods) + 1;
	if (x->o && x->o->parallel) {
		/* the others load beside this one: read their files */
		if (x->m->file_name && !strcmp(x->m->file_name, name))
			return x->m->id;
		last = 0;
	}
	for (size_t i = last; i-- > 0; ) {
		const st_module *o = &mods[i];
		if (o->file_name && o->id && !strcmp(o->file_name, name))
			return o->id;
	}
	const char *id = NULL;
	sc_idmemo *memo = x->o ? x->o->ids : NULL;
	if (memo && sc_idmemo_get(memo, name, &id))
		return id;
	id = peek_id(x, name);
	if (!id)
		id = st_module_id_of(x->a, name, NULL);
	if (!id)
		id = "module";   /* no module's: refs.c reports the link */
	if (memo)
		sc_idmemo_put(memo, st_strdup(x->a, name), id);
	return id;
}

/* Link texts that do not say where a link goes (WCAG 2.4.4). */
static const char *const vague[] = {
	"här", "klicka här", "klicka", "läs mer", "mer", "länk", "länken",
	"denna länk", "den här länken", "klicka på länken", "tryck här",
	"click here", "here", "read more", "more", "link", "this link", NULL
};

static int is_vague_in(const char *s, size_t n, const char *const *words);

static int is_vague(const char *s, size_t n)
{
	return is_vague_in(s, n, vague);
}

/* s (n bytes), in lower case and without a trailing '.', '!' or ':', is
 * one of words. */
static int is_vague_in(const char *s, size_t n, const char *const *words)
{
	char low[64];
	size_t k = 0;
	while (n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == ':'))
		n--;
	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		/* Å Ä Ö É (U+00C0..U+00DE) -> å ä ö é: second byte + 0x20 */
		else if (i > 0 && (unsigned char)s[i - 1] == 0xC3 &&
		         c >= 0x80 && c <= 0x9E && c != 0x97)
			c += 0x20;
		low[k++] = (char)c;
	}
	low[k] = 0;
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(low, words[i]))
			return 1;
	return 0;
}

/* ---- links to a heading of a module ------------------------------------ */

/* A heading of a module as a link's '#anchor' finds it: its text written
 * as a slug by the one rule (core/vocab.h, st_slugify), the characters
 * with no spelling left out, so that '#oroskedjan-hur-oro-växer' (as
 * GitHub writes anchors) and '#oroskedjan-hur-oro-vaxer' both find
 * "Oroskedjan: hur oro växer".  page: the page it is on (1-based). */
typedef struct anchor_t {
	const char *key;
	size_t page;
} anchor_t;

static const char *anchor_key(st_arena *a, const char *s)
{
	const char *sugg;
	const char *k = st_slugify(a, s, NULL, &sugg);
	return k ? k : sugg;
}

/* The headings of modules/<name>, each with its page as finish_page
 * numbers them: one page for what comes before the first level-1 heading
 * at the top, then one per such heading.  The file is read afresh (a
 * later module is not loaded yet); its own problems are reported when it
 * is loaded.  -1 when it cannot be read. */
static long module_anchors(md *x, const char *name, anchor_t **out)
{
	const char *slash = strrchr(x->disk_path, '/');
	const char *path = slash ?
		st_sprintf(x->a, "%.*s/%s", (int)(slash - x->disk_path),
		           x->disk_path, name) : name;
	char *text = NULL, err[256];
	size_t len = 0, ys, ye, body = 0, bad;
	int lines;
	if (st_read_file(&text, &len, path, SC_MAX_MODULE_BYTES, err,
	                 sizeof err) != ST_OK || !st_utf8_valid(text, len, &bad)) {
		free(text);
		return -1;
	}
	size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	if (split_front_matter(text + bom, len - bom, &ys, &ye, &body, &lines))
		body += bom;
	else
		body = bom;
	cmark_node *doc = cmark_parse_document(text + body, len - body,
	                                       CMARK_OPT_VALIDATE_UTF8);
	anchor_t *v = NULL;
	size_t n = 0, cap = 0, page = 0;
	for (cmark_node *c = doc ? cmark_node_first_child(doc) : NULL; c;
	     c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(c) == 1)
			page++;
		else if (!page)
			page = 1;
		cmark_iter *it = cmark_iter_new(c);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *h = cmark_iter_get_node(it);
			if (ev != CMARK_EVENT_ENTER ||
			    cmark_node_get_type(h) != CMARK_NODE_HEADING)
				continue;
			plain_text(x, h, 0);
			const char *k = x->tmp.len ? anchor_key(x->a, x->tmp.data)
			                           : NULL;
			if (k) {
				anchor_t an = { k, page };
				ST_PUSH(x->a, v, n, cap, an);
			}
		}
		cmark_iter_free(it);
	}
	if (doc)
		cmark_node_free(doc);
	free(text);
	*out = v;
	return (long)n;
}

/* The page of module file name that holds the heading '#frag' (as
 * written in url); 1 after reporting one that is not there. */
static size_t anchor_page(md *x, const char *name, const char *frag,
                          st_span sp)
{
	anchor_t *v;
	x->m->reads_others = 1;
	long n = module_anchors(x, name, &v);
	if (n < 0)
		return 1;     /* no such module: refs.c reports the link */
	/* the fragment percent-decoded, as a browser reads it */
	char *dec = st_strdup(x->a, frag);
	size_t k = 0;
	for (size_t i = 0; frag[i]; i++) {
		int h = frag[i] == '%' ? hexval(frag[i + 1]) : -1;
		int l = h >= 0 ? hexval(frag[i + 2]) : -1;
		if (h >= 0 && l >= 0 && (h || l)) {
			dec[k++] = (char)(h * 16 + l);
			i += 2;
		} else {
			dec[k++] = frag[i];
		}
	}
	dec[k] = 0;
	size_t bad;
	const char *key = st_utf8_valid(dec, k, &bad) ? anchor_key(x->a, dec)
	                                              : NULL;
	const char *best = NULL;
	int rank = -1;
	for (long i = 0; key && i < n; i++)
		if (!strcmp(v[i].key, key))
			return v[i].page;
	/* not there: only now the suggestion (edit distances) */
	for (long i = 0; key && i < n; i++)
		best = st_suggest_pick(key, best, &rank, v[i].key);
	if (best)
		fnd(x, ST_ERROR, "broken-link", sp, "no heading '#%s' in %s; "
		    "did you mean '#%s'?", frag, name, best);
	else
		fnd(x, ST_ERROR, "broken-link", sp, "no heading '#%s' in %s; "
		    "link to a heading's text written as a slug, such as "
		    "'#orosdagboken' for \"Orosdagboken\"", frag, name);
	return 1;
}

static void link_enter(md *x, cmark_node *n)
{
	st_span sp = node_span(x, n);
	const char *url = cmark_node_get_url(n);
	tgt_t t = resolve(x, url, sp, 0);
	plain_text(x, n, 0);
	if (x->tmp.len == 0)
		fnd(x, ST_WARNING, "vague-link", sp,
		        "link has no text; write where it leads between the "
		        "brackets");
	else if (is_vague(x->tmp.data, x->tmp.len))
		fnd(x, ST_WARNING, "vague-link", sp,
		        "link text '%s' does not say where the link leads; "
		        "describe the target, such as 'läs om sömnråd'",
		        x->tmp.data);
	cmark_node_set_user_data(n, NULL);
	if (t.kind == T_BAD)
		return;     /* its text is rendered, without the link */
	st_buf *b = &x->body;
	st_buf_adds(b, "<a href=\"");
	switch (t.kind) {
	case T_EXTERNAL:
	case T_TEL:
		sc_xhtml_url(b, url);
		st_buf_adds(b, t.kind == T_EXTERNAL ? "\" rel=\"external\"" : "\"");
		break;
	case T_MODULE: {
		const char *frag = strchr(url, '#');
		size_t page = frag && frag[1] ? anchor_page(x, t.path, frag + 1,
		                                            sp) : 1;
		add_ref(x, ST_REF_MODULE, t.path, sp);
		if (!x->render)
			break;   /* the id is for the href alone: not read ahead */
		const char *id = module_id(x, t.path);
		st_buf_adds(b, "../");
		sc_xhtml_path(b, id);
		st_buf_printf(b, "/%02zu.xhtml\" data-module=\"", page);
		sc_xhtml_text(b, id, strlen(id));
		st_buf_addc(b, '"');
		break;
	}
	case T_MEDIA:
		add_ref(x, ST_REF_MEDIA, t.path, sp);
		st_buf_adds(b, "../../");
		sc_xhtml_path(b, t.path);
		st_buf_addc(b, '"');
		break;
	default:
		break;
	}
	const char *title = cmark_node_get_title(n);
	if (title && *title) {
		st_buf_adds(b, " title=\"");
		sc_xhtml_text(b, title, strlen(title));
		st_buf_addc(b, '"');
	}
	st_buf_addc(b, '>');
	cmark_node_set_user_data(n, (void *)b);   /* mark: </a> on exit */
}

/* The extension of path as written, for messages. */
static const char *extension(const char *path, char *buf, size_t bn)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	size_t k = 0;
	if (dot)
		for (dot++; *dot && k + 1 < bn; dot++)
			buf[k++] = *dot;
	buf[k] = 0;
	return buf;
}

/* What a page can show: images, audio, video (core/media.h's table);
 * captions and anything else are ST_MEDIA_OTHER here. */
static st_media_kind media_kind(const char *path)
{
	st_media_kind k = st_media_kind_of(path);
	return k == ST_MEDIA_IMAGE || k == ST_MEDIA_AUDIO || k == ST_MEDIA_VIDEO
	       ? k : ST_MEDIA_OTHER;
}

static const st_media *find_media(const md *x, const char *path)
{
	for (size_t i = 0; i < x->p->nmedia; i++)
		if (x->p->media[i].path && !strcmp(x->p->media[i].path, path))
			return &x->p->media[i];
	return NULL;
}

static void attr(st_buf *b, const char *name, const char *v)
{
	st_buf_addc(b, ' ');
	st_buf_adds(b, name);
	st_buf_adds(b, "=\"");
	sc_xhtml_text(b, v, strlen(v));
	st_buf_addc(b, '"');
}

static void src_attr(st_buf *b, const char *name, const char *path)
{
	st_buf_addc(b, ' ');
	st_buf_adds(b, name);
	st_buf_adds(b, "=\"../../");
	sc_xhtml_path(b, path);
	st_buf_addc(b, '"');
}

/* A paragraph whose only content is one image with a title is rendered
 * as a <figure> with the title as its caption, not as a <p>. */
static int is_figure_paragraph(cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para);
	if (!c || c != cmark_node_last_child(para) ||
	    cmark_node_get_type(c) != CMARK_NODE_IMAGE)
		return 0;
	const char *t = cmark_node_get_title(c);
	return t && *t;
}

/* Alternative texts that say nothing: a placeholder word (any case,
 * with a trailing '.' or ':'), or no letter at all ('-', '...', '123'). */
static const char *const placeholder_alt[] = {
	"bild", "bilden", "en bild", "foto", "fotot", "ett foto", "figur",
	"illustration", "grafik", "ikon", "image", "img", "picture", "photo",
	"figure", "icon", "alt", "alt-text", "alttext", "todo", "xxx", NULL
};

/* 1 when alt is a file name (it ends in a media extension: 'te.png'),
 * a placeholder word or has no letters. */
static int is_placeholder_alt(const char *alt)
{
	size_t n = strlen(alt);
	const char *dot = strrchr(alt, '.');
	if (dot && !strchr(alt, ' ') && dot > alt) {
		size_t k = strlen(dot + 1);
		size_t an = 0;
		while (an < k && (((dot[1 + an] | 0x20) >= 'a' &&
		                   (dot[1 + an] | 0x20) <= 'z') ||
		                  (dot[1 + an] >= '0' && dot[1 + an] <= '9')))
			an++;
		if (an == k && k >= 2 && k <= 5)
			return 1;   /* 'orostid.png', 'IMG_0042.JPG' */
	}
	int letter = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)alt[i];
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			letter = 1;
		else if (c >= 0xC3)
			letter = 1;    /* å ä ö é and other letters */
	}
	if (!letter)
		return 1;
	return is_vague_in(alt, n, placeholder_alt);
}

static void image(md *x, cmark_node *n)
{
	st_span sp = node_span(x, n);
	const char *url = cmark_node_get_url(n);
	const char *title = cmark_node_get_title(n);
	plain_text(x, n, 1);
	const char *alt = st_strndup(x->a, x->tmp.data ? x->tmp.data : "",
	                             x->tmp.len);
	tgt_t t = resolve(x, url, sp, 1);
	/* The alternative text is checked whatever is wrong with the path:
	 * the designer should hear of both at once. */
	st_media_kind k = media_kind(t.kind == T_MEDIA ? t.path :
	                             st_strndup(x->a, url ? url : "",
	                                        url ? strcspn(url, "?#") : 0));
	if (!*alt) {
		if (k == ST_MEDIA_AUDIO || k == ST_MEDIA_VIDEO)
			fnd(x, ST_ERROR, "alt-text", sp,
			    "%s has no description; write what it is about "
			    "between the brackets",
			    k == ST_MEDIA_AUDIO ? "audio" : "video");
		else
			fnd(x, ST_ERROR, "alt-text", sp,
			    "image has no alternative text");
	} else if (is_placeholder_alt(alt)) {
		fnd(x, ST_WARNING, "alt-placeholder", sp,
		    "'%s' does not say what the %s shows; describe it, such "
		    "as 'En kopp te på ett bord'", alt,
		    k == ST_MEDIA_AUDIO ? "recording" : k == ST_MEDIA_VIDEO ?
		    "film" : "image");
	}
	if (t.kind != T_MEDIA)
		return;
	if (k == ST_MEDIA_OTHER) {
		char ext[8];
		fnd(x, ST_ERROR, "media-type", sp,
		    "'%s' is not a kind of media a page can show ('.%s'); use "
		    ".png, .jpg, .gif or .webp for images, .mp3, .m4a or "
		    ".ogg for audio, .mp4 or .webm for video", t.path,
		    extension(t.path, ext, sizeof ext));
		return;
	}
	add_ref(x, ST_REF_MEDIA, t.path, sp);
	const char *caption = NULL;
	if (k == ST_MEDIA_VIDEO && x->p->language && find_media(x, t.path)) {
		const char *dot = strrchr(t.path, '.');
		caption = st_sprintf(x->a, "%.*s.%s.vtt", (int)(dot - t.path),
		                     t.path, x->p->language);
		if (find_media(x, caption)) {
			add_ref(x, ST_REF_MEDIA, caption, sp);
		} else {
			fnd(x, ST_ERROR, "caption-missing", sp,
			        "video '%s' has no captions; add the WebVTT file '%s'",
			        t.path, caption);
			caption = NULL;
		}
	}

	st_buf *b = &x->body;
	cmark_node *par = cmark_node_parent(n);
	int figure = par && cmark_node_get_user_data(par) == (void *)n;
	if (figure)
		st_buf_adds(b, "<figure class=\"steg-media\">");
	if (k == ST_MEDIA_IMAGE)
		x->images++;
	else
		x->players++;
	if (k == ST_MEDIA_IMAGE) {
		st_buf_adds(b, "<img");
		src_attr(b, "src", t.path);
		attr(b, "alt", alt);
		if (title && *title && !figure)
			attr(b, "title", title);
		st_buf_adds(b, "/>");
	} else {
		const char *el = k == ST_MEDIA_AUDIO ? "audio" : "video";
		st_buf_printf(b, "<%s controls=\"controls\"", el);
		src_attr(b, "src", t.path);
		attr(b, "aria-label", alt);
		if (title && *title && !figure)
			attr(b, "title", title);
		st_buf_addc(b, '>');
		if (caption) {
			st_buf_adds(b, "<track kind=\"captions\"");
			src_attr(b, "src", caption);
			attr(b, "srclang", x->p->language);
			st_buf_adds(b, " default=\"default\"/>");
		}
		st_buf_adds(b, "<a");
		src_attr(b, "href", t.path);
		st_buf_addc(b, '>');
		sc_xhtml_text(b, alt, strlen(alt));
		st_buf_printf(b, "</a></%s>", el);
	}
	if (figure) {
		st_buf_adds(b, "<figcaption>");
		sc_xhtml_text(b, title, strlen(title));
		st_buf_adds(b, "</figcaption></figure>\n");
	}
}

/* ---- components ---------------------------------------------------------- */

static const char *const ref_keys[] = { "ref", NULL };

/* Inline exercises join the program's list.  The loader of exercises/
 * sizes that list exactly (cexercises 0), so the first push here grows
 * it; from then on it doubles, and a thousand modules cost no more than
 * a thousand pushes. */
static void push_exercise(st_program *p, st_arena *a, const st_exercise *e)
{
	if (p->cexercises < p->nexercises)
		p->cexercises = p->nexercises;
	ST_PUSH(a, p->exercises, p->nexercises, p->cexercises, *e);
}

static void component_load(md *x, cmark_node *n, st_comp_kind kind,
                           const char *lit, st_span sp);

/* A component block: its YAML is parsed with the block's position, so
 * that findings inside it point at their real line. */
static void component(md *x, cmark_node *n, st_comp_kind kind)
{
	const char *lit = cmark_node_get_literal(n);
	st_span sp = node_span(x, n);
	if (x->nfound >= MAX_FINDINGS) {
		x->nskipped++;   /* a flood of broken blocks: stop reading them */
		return;
	}
	size_t before = st_diags_count(x->d);
	component_load(x, n, kind, lit, sp);
	x->nfound += st_diags_count(x->d) - before;
}

static void component_load(md *x, cmark_node *n, st_comp_kind kind,
                           const char *lit, st_span sp)
{
	const char *name = kind == ST_COMP_FORM ? "form" : "exercise";
	int base_line = sp.line;     /* the content starts on the next line */
	int base_col = sp.col - 1;
	st_ynode *root = st_yaml_load(x->a, x->d, x->file, lit ? lit : "",
	                              lit ? strlen(lit) : 0, base_line, base_col);
	if (!root)
		return;
	if (root->kind != ST_Y_MAP) {
		fnd(x, ST_ERROR, "wrong-type", root->sp,
		        "%s '%s' block holds a mapping such as 'ref: ID', not %s",
		        kind == ST_COMP_FORM ? "a" : "an", name,
		        st_ykind_name(root));
		return;
	}
	const char *ref = NULL;
	if (kind == ST_COMP_FORM || st_ymap_get(root, "ref")) {
		sc_check_keys(x->d, root, kind == ST_COMP_FORM ? "form block" :
		              "exercise block with 'ref'", ref_keys);
		ref = sc_ystr(x->a, x->d, root, "ref", 1);
		const st_ynode *rn = st_ymap_get(root, "ref");
		if (rn)
			sp = rn->sp;   /* findings about the ref point at it */
	} else if (!st_ymap_get(root, "id")) {
		fnd(x, ST_ERROR, "missing-key", root->sp,
		        "missing key 'id': an inline exercise needs an id, "
		        "such as 'id: %s-1'", x->m->id);
	} else {
		st_exercise e;
		sc_load_exercise(&e, x->a, x->d, root, x->file, 1);
		e.is_inline = 1;
		if (!e.file)
			e.file = x->file;
		if (e.id) {
			push_exercise(x->p, x->a, &e);
			ref = e.id;
		}
	}
	if (!ref)
		return;
	st_component c = { kind, ref, sp };
	ST_PUSH(x->a, x->comps, x->ncomps, x->ccomps, c);
	st_buf *b = &x->body;
	st_buf_printf(b, "<div class=\"steg-component steg-%s\"", name);
	attr(b, "data-ref", ref);
	st_buf_adds(b, "></div>\n");
}

/* The component an info string names, or 0. */
static st_comp_kind component_kind(cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	if (!info)
		return 0;
	size_t k = strcspn(info, " \t");
	if (k == 8 && !memcmp(info, "exercise", 8))
		return ST_COMP_EXERCISE;
	if (k == 4 && !memcmp(info, "form", 4))
		return ST_COMP_FORM;
	return 0;
}

/* ---- tables and callouts (gfm.h) ----------------------------------------- */

static void walk(md *x, cmark_node *doc);

/* Line i (0-based) of the body: its offset and length (no newline). */
static const char *body_line(md *x, size_t i, size_t *len)
{
	if (!x->lines) {
		size_t n = 1;
		for (size_t k = 0; k < x->srclen; k++)
			n += x->src[k] == '\n';
		x->lines = st_alloc(x->a, (n + 1) * sizeof *x->lines);
		x->lines[0] = 0;
		x->nlines = 1;
		for (size_t k = 0; k < x->srclen; k++)
			if (x->src[k] == '\n')
				x->lines[x->nlines++] = k + 1;
		x->lines[x->nlines] = x->srclen + 1;
	}
	if (i >= x->nlines) {
		*len = 0;
		return "";
	}
	size_t e = x->lines[i + 1] - 1;
	if (e > x->lines[i] && x->src[e - 1] == '\r')
		e--;
	*len = e - x->lines[i];
	return x->src + x->lines[i];
}

/* Parse text on its own and walk it where the page is being written,
 * with positions mapped back through sub. */
static void sub_walk(md *x, const char *text, size_t n,
                     const struct subline *sub, size_t nsub, int inline_only)
{
	const struct subline *os = x->sub;
	size_t on = x->nsub;
	int oi = x->inline_only;
	/* in the module's arena (sc_load_module): freed with its tree; text
	 * is lines or cells of the module's, checked as it was (no need
	 * for CMARK_OPT_VALIDATE_UTF8: see sc_load_module) */
	cmark_node *doc = sc_cmark_parse(text, n, CMARK_OPT_DEFAULT);
	x->sub = sub;
	x->nsub = nsub;
	x->inline_only = inline_only;
	walk(x, doc);
	x->sub = os;
	x->nsub = on;
	x->inline_only = oi;
}

/* How many block quotes hold n, or -1 when anything else but the document
 * does (a list item: tables are not read there). */
static int quote_depth(cmark_node *n)
{
	int q = 0;
	for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p)) {
		cmark_node_type t = cmark_node_get_type(p);
		if (t == CMARK_NODE_BLOCK_QUOTE)
			q++;
		else if (t != CMARK_NODE_DOCUMENT)
			return -1;
	}
	return q;
}

/* The bytes a line of a paragraph in q block quotes starts with ("> "). */
static size_t quote_prefix(const char *l, size_t n, int q)
{
	size_t i = 0;
	for (int k = 0; k < q; k++) {
		size_t j = i;
		while (j < n && j - i < 3 && l[j] == ' ')
			j++;
		if (j < n && l[j] == '>') {
			i = j + 1;
			if (i < n && (l[i] == ' ' || l[i] == '\t'))
				i++;
		}
	}
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	return i;
}

/* Would the text of a cell start a block if parsed on its own?  Then the
 * offset of the byte to escape with a backslash, else -1. */
static long block_start(const char *c, size_t n)
{
	if (!n)
		return -1;
	size_t k = 0;
	switch (c[0]) {
	case '>':
		return 0;
	case '#':
		while (k < n && c[k] == '#')
			k++;
		return k <= 6 && (k == n || c[k] == ' ' || c[k] == '\t') ? 0 : -1;
	case '-': case '+': case '*': case '_': {
		if (c[0] != '_' && (n == 1 || c[1] == ' ' || c[1] == '\t'))
			return 0;
		size_t m = 0;
		for (k = 0; k < n; k++)
			if (c[k] == c[0])
				m++;
			else if (c[k] != ' ' && c[k] != '\t')
				return -1;
		return m >= 3 ? 0 : -1;
	}
	case '`': case '~':
		return n >= 3 && c[1] == c[0] && c[2] == c[0] ? 0 : -1;
	default:
		while (k < n && k < 10 && c[k] >= '0' && c[k] <= '9')
			k++;
		if (k && k < 10 && k < n && (c[k] == '.' || c[k] == ')') &&
		    (k + 1 == n || c[k + 1] == ' ' || c[k + 1] == '\t'))
			return (long)k;
		return -1;
	}
}

/* One cell, parsed as inline Markdown: '\|' becomes '|' (as GitHub does),
 * a would-be block start is escaped, and positions map back to the
 * cell's place on line (1-based file line, the line's first byte at
 * column col0 + 1). */
static void cell(md *x, const char *line, sc_cell c, int fline, int col0)
{
	size_t n = c.to - c.from;
	char *t = st_alloc(x->a, n + 2);
	int *cols = st_alloc(x->a, (n + 2) * sizeof *cols);
	size_t k = 0;
	long esc = block_start(line + c.from, n);
	for (size_t i = c.from; i < c.to; i++) {
		if ((long)(i - c.from) == esc) {
			cols[k] = col0 + (int)i + 1;
			t[k++] = '\\';
		}
		if (line[i] == '\\' && i + 1 < c.to && line[i + 1] == '|')
			i++;
		cols[k] = col0 + (int)i + 1;
		t[k++] = line[i];
	}
	cols[k] = col0 + (int)c.to + 1;
	t[k] = 0;
	struct subline sl = { fline, 0, cols, k + 1 };
	sub_walk(x, t, k, &sl, 1, 1);
}

static const char *const align_class[] = {
	"", " class=\"steg-left\"", " class=\"steg-center\"",
	" class=\"steg-right\""
};

/* One row of cells (th in the head, td in the body). */
static void table_row(md *x, const char *l, size_t n, int fline, int col0,
                      const sc_align *al, size_t ncols, int head)
{
	sc_cell c[SC_GFM_MAX_COLS];
	size_t k = sc_gfm_cells(l, n, c, SC_GFM_MAX_COLS);
	if (k > ncols)
		fnd(x, ST_WARNING, "table-row",
		    (st_span){ x->file, fline, col0 + (int)c[ncols < SC_GFM_MAX_COLS ?
		               ncols : 0].from + 1, fline, col0 + (int)n },
		    "this row has %zu cells and the header %zu; the cells after "
		    "the %zu%s are not shown: remove them or add a column to the "
		    "header", k, ncols, ncols, ncols == 1 ? "st" : ncols == 2 ?
		    "nd" : ncols == 3 ? "rd" : "th");
	st_buf_adds(&x->body, "<tr>");
	for (size_t j = 0; j < ncols; j++) {
		st_buf_printf(&x->body, "<%s%s%s>", head ? "th" : "td",
		              head ? " scope=\"col\"" : "", align_class[al[j]]);
		if (j < k && j < SC_GFM_MAX_COLS)
			cell(x, l, c[j], fline, col0);
		sc_lix_end_block(&x->lix);
		x->block0 = sc_lix_mark_of(&x->lix);
		st_buf_adds(&x->body, head ? "</th>" : "</td>");
	}
	st_buf_adds(&x->body, "</tr>\n");
}

/* A paragraph whose second line (or a later one) is a delimiter row under
 * a header row of as many cells is a table; the lines before the header
 * stay a paragraph.  Renders it and returns 1, or returns 0. */
static int table(md *x, cmark_node *para)
{
	int q = quote_depth(para);
	int l0 = cmark_node_get_start_line(para), l1 = cmark_node_get_end_line(para);
	if (q < 0 || x->sub || l0 < 1 || l1 <= l0)
		return 0;
	sc_align al[SC_GFM_MAX_COLS];
	size_t ncols = 0, hdr = 0;
	for (int i = l0 + 1; i <= l1 && !hdr; i++) {
		size_t n, hn, p;
		const char *l = body_line(x, (size_t)i - 1, &n);
		p = quote_prefix(l, n, q);
		if (!sc_gfm_delimiter_row(l + p, n - p, al, SC_GFM_MAX_COLS, &ncols))
			continue;
		const char *h = body_line(x, (size_t)i - 2, &hn);
		size_t hp = quote_prefix(h, hn, q);
		sc_cell c[1];
		if (sc_gfm_cells(h + hp, hn - hp, c, 1) == ncols)
			hdr = (size_t)i - 1;   /* the header's line */
	}
	if (!hdr)
		return 0;
	if ((int)hdr > l0) {   /* the paragraph before the header */
		size_t nl = hdr - (size_t)l0;
		struct subline *sl = st_alloc(x->a, nl * sizeof *sl);
		st_buf t;
		st_buf_init(&t);
		for (size_t i = 0; i < nl; i++) {
			size_t n;
			const char *l = body_line(x, (size_t)l0 - 1 + i, &n);
			size_t p = quote_prefix(l, n, q);
			st_buf_add(&t, l + p, n - p);
			st_buf_addc(&t, '\n');
			sl[i] = (struct subline){ l0 + (int)i + x->line0, (int)p, NULL, 0 };
		}
		sub_walk(x, t.data, t.len, sl, nl, 0);
		st_buf_release(&t);
	}
	st_buf_adds(&x->body, "<table>\n<thead>\n");
	for (size_t i = hdr; i <= (size_t)l1; i++) {
		size_t n;
		const char *l = body_line(x, i - 1, &n);
		size_t p = quote_prefix(l, n, q);
		if (i == hdr + 1) {
			st_buf_adds(&x->body, "</thead>\n");
			if (i < (size_t)l1)
				st_buf_adds(&x->body, "<tbody>\n");
			continue;
		}
		table_row(x, l + p, n - p, (int)i + x->line0, (int)p, al, ncols,
		          i == hdr);
	}
	st_buf_adds(&x->body, hdr + 1 < (size_t)l1 ? "</tbody>\n</table>\n" :
	            "</table>\n");
	return 1;
}

/* The text of a paragraph's first line, when it is made of text nodes
 * only, into x->tmp; *last the last node of that line (NULL: the
 * paragraph has only that line). */
static int first_line_text(md *x, cmark_node *para, cmark_node **brk)
{
	x->tmp.len = 0;
	*brk = NULL;
	for (cmark_node *c = cmark_node_first_child(para); c;
	     c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			*brk = c;
			break;
		}
		if (t != CMARK_NODE_TEXT)
			return 0;
		const char *lit = cmark_node_get_literal(c);
		st_buf_adds(&x->tmp, lit ? lit : "");
	}
	st_buf_addc(&x->tmp, 0);
	x->tmp.len--;
	return 1;
}

static int callout_mark;   /* user data of a block quote that is a callout */

/* A block quote whose first line is "[!KIND]" alone is a callout: the
 * marker is taken out of the tree and the quote written as an <aside>.
 * Returns 1 when n is one. */
static int callout(md *x, cmark_node *n)
{
	cmark_node *para = cmark_node_first_child(n), *brk;
	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
	    !first_line_text(x, para, &brk))
		return 0;
	const char *t = x->tmp.data ? x->tmp.data : "";
	size_t len = x->tmp.len;
	if (len < 4 || t[0] != '[' || t[1] != '!')
		return 0;
	const char *close = memchr(t, ']', len);
	if (!close || close == t + 2)
		return 0;
	size_t wn = (size_t)(close - t - 2);
	int kind = sc_gfm_callout_kind(t + 2, wn);
	st_span sp = node_span(x, para);
	sp.end_line = sp.line;
	sp.end_col = sp.col + (int)(close - t);
	if (kind < 0) {
		char w[40];
		snprintf(w, sizeof w, "%.*s", (int)(wn < 32 ? wn : 32), t + 2);
		const char *best = NULL;
		int rank = -1;
		for (size_t i = 0; sc_gfm_callout_words[i]; i++)
			best = st_suggest_pick(w, best, &rank, sc_gfm_callout_words[i]);
		if (best)
			fnd(x, ST_ERROR, "callout-kind", sp, "'[!%s]' is not a "
			    "kind of callout; did you mean '[!%s]'?", w, best);
		else
			fnd(x, ST_ERROR, "callout-kind", sp, "'[!%s]' is not a "
			    "kind of callout; write [!OBS], [!TIPS], [!VIKTIGT], "
			    "[!VARNING] or [!FÖRSIKTIGHET] (or NOTE, TIP, IMPORTANT, "
			    "WARNING, CAUTION)", w);
		return 0;
	}
	if (close + 1 != t + len) {
		fnd(x, ST_ERROR, "callout-kind", sp, "write '%.*s' alone on its "
		    "line and the text of the callout on the lines after it",
		    (int)(close - t + 1), t);
		return 0;
	}
	/* take the marker (and the line break after it) out */
	cmark_node *stop = brk ? cmark_node_next(brk) : NULL;
	for (cmark_node *c = cmark_node_first_child(para); c != stop; ) {
		cmark_node *next = cmark_node_next(c);
		cmark_node_free(c);
		c = next;
	}
	if (!cmark_node_first_child(para))
		cmark_node_free(para);
	const char *label = sc_gfm_callout_label(kind, x->lang);
	st_buf_printf(&x->body, "<aside class=\"steg-callout steg-%s\"",
	              sc_gfm_callout_class(kind));
	attr(&x->body, "aria-label", label);
	st_buf_adds(&x->body, ">\n<p><strong>");
	sc_xhtml_text(&x->body, label, strlen(label));
	st_buf_adds(&x->body, "</strong></p>\n");
	cmark_node_set_user_data(n, &callout_mark);
	return 1;
}

static int table_mark;   /* user data of a paragraph written as a table */

/* A paragraph: a table, a figure (one image with a title), or <p>; in a
 * cell, its inlines only.  Returns 1 when its children are done. */
static int paragraph(md *x, cmark_node *n, cmark_event_type ev)
{
	int enter = ev == CMARK_EVENT_ENTER;
	if (x->inline_only) {
		if (!enter)
			lix_block(x, n);
		return 0;
	}
	if (enter) {
		ensure_page(x, n);
		if (table(x, n)) {
			cmark_node_set_user_data(n, &table_mark);
			return 1;
		}
		if (is_figure_paragraph(n)) {
			cmark_node_set_user_data(n, cmark_node_first_child(n));
			return 0;
		}
		cmark_node_set_user_data(n, NULL);
	} else {
		lix_block(x, n);
		if (cmark_node_get_user_data(n))
			return 0;
	}
	node_out(x, n, ev);
	return 0;
}

/* ---- the walk ------------------------------------------------------------ */

static int is_container(cmark_node_type t)
{
	switch (t) {
	case CMARK_NODE_BLOCK_QUOTE: case CMARK_NODE_LIST: case CMARK_NODE_ITEM:
	case CMARK_NODE_PARAGRAPH: case CMARK_NODE_HEADING:
	case CMARK_NODE_EMPH: case CMARK_NODE_STRONG: case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_CUSTOM_INLINE:
		return 1;
	default:
		return 0;
	}
}

static void heading(md *x, cmark_node *n)
{
	int level = cmark_node_get_heading_level(n);
	st_span sp = node_span(x, n);
	if (level == 1 && cmark_node_get_type(cmark_node_parent(n)) ==
	    CMARK_NODE_DOCUMENT) {
		finish_page(x);
		plain_text(x, n, 0);
		const char *t = x->tmp.len ?
			st_strndup(x->a, x->tmp.data, x->tmp.len) :
			(x->m->title ? x->m->title : x->m->id);
		start_page(x, t, sp);
	} else {
		ensure_page(x, n);
		if (level > x->prev_level + 1)
			fnd(x, ST_WARNING, "heading-level", sp,
			        "heading level %d follows level %d; use level %d "
			        "('%.*s') so that the outline has no gap",
			        level, x->prev_level, x->prev_level + 1,
			        x->prev_level + 1, "######");
	}
	x->prev_level = level;
	node_out(x, n, CMARK_EVENT_ENTER);
}

static void walk(md *x, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		int enter = ev == CMARK_EVENT_ENTER;
		if (t == CMARK_NODE_DOCUMENT)
			continue;
		if (is_container(t)) {
			if (enter && ++x->depth > MAX_DEPTH) {
				if (!x->depth_reported)
					fnd(x, ST_ERROR, "nesting-depth",
					        node_span(x, n), "text is nested more "
					        "than %d levels deep (quotes, lists, "
					        "emphasis); flatten it", MAX_DEPTH);
				x->depth_reported = 1;
				x->depth--;
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
				continue;
			}
			if (!enter)
				x->depth--;
		}
		switch (t) {
		case CMARK_NODE_HEADING:
			if (enter) {
				heading(x, n);
			} else {
				lix_block(x, n);
				node_out(x, n, ev);
			}
			break;
		case CMARK_NODE_PARAGRAPH:
			if (paragraph(x, n, ev))
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			report_html(x, n);
			break;
		case CMARK_NODE_CODE_BLOCK: {
			ensure_page(x, n);
			st_comp_kind k = component_kind(n);
			if (k)
				component(x, n, k);
			else
				node_out(x, n, ev);
			break;
		}
		case CMARK_NODE_LINK:
			if (enter)
				link_enter(x, n);
			else if (cmark_node_get_user_data(n))
				st_buf_adds(&x->body, "</a>");
			break;
		case CMARK_NODE_IMAGE:
			image(x, n);
			x->depth--;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_TEXT: {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				sc_lix_feed(&x->lix, lit, strlen(lit));
			node_out(x, n, ev);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_CODE:
			sc_lix_space(&x->lix);
			node_out(x, n, ev);
			break;
		case CMARK_NODE_ITEM:
			if (!enter)
				lix_block(x, n);
			node_out(x, n, ev);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter && cmark_node_get_user_data(n) == &callout_mark)
				break;   /* its <aside> is written */
			if (enter)
				ensure_page(x, n);
			if (enter && callout(x, n)) {
				/* the marker is gone from the tree: walk the
				 * quote again from its start */
				x->depth--;
				cmark_iter_reset(it, n, CMARK_EVENT_ENTER);
				break;
			}
			if (!enter && cmark_node_get_user_data(n) == &callout_mark)
				st_buf_adds(&x->body, "</aside>\n");
			else
				node_out(x, n, ev);
			break;
		case CMARK_NODE_LIST:
		case CMARK_NODE_THEMATIC_BREAK:
			if (enter)
				ensure_page(x, n);
			node_out(x, n, ev);
			break;
		default:
			node_out(x, n, ev);
			break;
		}
	}
	cmark_iter_free(it);
}

/* ---- the module ---------------------------------------------------------- */

/* The module's LIX is above lim: the warning points at the block that
 * weighs most (lix_block), with its own figures. */
static void lix_warning(md *x, double lim)
{
	const sc_lix *h = &x->heavy;
	st_span sp = x->heavy_weight > 0 ? x->heavy_sp : x->m->sp;
	if (sp.end_line > sp.line) {   /* the block's first line */
		sp.end_line = sp.line;
		sp.end_col = sp.col;
	}
	st_diag(x->d, ST_WARNING, "lix", sp,
	        "readability index LIX %.0f is above the limit %g; use "
	        "shorter sentences and words, first here (this block: LIX "
	        "%.0f, %zu words, %zu long, in %zu sentence%s)",
	        round(x->m->lix), lim, round(sc_lix_value(h)), h->words,
	        h->long_words, h->sentences ? h->sentences : 1,
	        h->sentences > 1 ? "s" : "");
}

int sc_load_module(st_module *m, st_program *p, st_arena *a, st_diags *d,
                   const char *disk_path, const sc_opts *o)
{
	md x;
	memset(&x, 0, sizeof x);
	x.a = a;
	x.d = d;
	x.p = p;
	x.m = m;
	x.o = o;
	x.file = m->file ? m->file : disk_path;
	x.disk_path = disk_path;
	x.lang = p->language ? p->language : "sv";
	x.errors0 = st_diags_errors(d);
	x.render = !(o && o->no_pages);
	st_buf_init(&x.body);
	st_buf_init(&x.tmp);
	st_buf_init(&x.raw);
	sc_lix_init(&x.lix);
	char *text = NULL;
	size_t len = 0;
	int kept = 0;             /* text is d's */
	cmark_node *doc = NULL;
	sc_cmark_arena trees;
	sc_cmark_arena_begin(&trees);

	m->sp = (st_span){ x.file, 1, 1, 1, 1 };
	if (!m->id && m->file_name)
		m->id = st_module_id_of(a, m->file_name, NULL);
	if (!m->id)
		m->id = "module";

	char err[256];
	int rc = st_read_file(&text, &len, disk_path, SC_MAX_MODULE_BYTES, err,
	                      sizeof err);
	if (rc == ST_ETOOBIG) {
		struct stat st;
		long long size = stat(disk_path, &st) == 0 ? (long long)st.st_size : 0;
		st_diag(d, ST_ERROR, "module-too-large",
		        (st_span){ x.file, 0, 0, 0, 0 },
		        "module is %lld KiB, more than the limit of %u KiB; split "
		        "it into smaller modules", (size + 1023) / 1024,
		        SC_MAX_MODULE_BYTES >> 10);
		goto done;
	}
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "io", (st_span){ x.file, 0, 0, 0, 0 },
		        "cannot read module: %s", err);
		goto done;
	}
	/* d keeps the text (for the lines its findings show) and frees it:
	 * no copy of a program's every module */
	kept = st_diags_take_source(d, x.file, text, len);
	if (!check_encoding(&x, text, len))
		goto done;

	/* A byte order mark is harmless: some editors write one. */
	size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	/* Without front matter the whole file is the body. */
	size_t body = bom + front_matter(&x, text + bom, len - bom);
	x.src = text + body;
	x.srclen = len - body;

	/* cmark returns a tree for any input (it aborts only when memory
	 * runs out), so there is no failure to report here. */
	/* check_encoding passed: valid UTF-8 without NUL, which cmark's own
	 * CMARK_OPT_VALIDATE_UTF8 would pass unchanged (it replaces invalid
	 * sequences and NUL only) at a seventh of the parse's instructions */
	doc = sc_cmark_parse(text + body, len - body, CMARK_OPT_DEFAULT);
	x.prev_level = 1;
	walk(&x, doc);
	if (!x.have_page && x.npages == 0) {
		st_diag(d, ST_ERROR, "empty-module", m->sp,
		        "module has no text; write at least one paragraph "
		        "after the front matter");
		ensure_page(&x, doc);
	}
	finish_page(&x);
	/* The summary carries the gravest level of what it stands for, so
	 * that an error left out still fails the build; a component block
	 * left unread is an error of its own, since its page is incomplete. */
	if (x.nskipped)
		st_diag(d, ST_ERROR, "too-many-findings", m->sp,
		        "this module has more findings that are not shown (%zu "
		        "component blocks were not read); fix the first %d and "
		        "check again", x.nskipped, MAX_FINDINGS);
	else if (x.nsuppressed)
		st_diag(d, x.worst_suppressed, "too-many-findings", m->sp,
		        "this module has %zu more findings that are not shown; "
		        "fix the first %d and check again", x.nsuppressed,
		        MAX_FINDINGS);
	m->pages = x.pages;
	m->npages = x.npages;
	m->refs = x.refs;
	m->nrefs = x.nrefs;
	m->lix = sc_lix_value(&x.lix);
	double lim = o ? o->lix_max : SC_LIX_MAX_DEFAULT;
	if (lim > 0 && x.lix.words >= SC_LIX_MIN_WORDS && round(m->lix) > lim)
		lix_warning(&x, lim);
done:
	sc_cmark_arena_end(&trees);   /* doc and every tree sub_walk parsed */
	if (!kept)
		free(text);
	st_buf_release(&x.body);
	st_buf_release(&x.tmp);
	st_buf_release(&x.raw);
	return st_diags_errors(d) - x.errors0;
}
