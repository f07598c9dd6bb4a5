/*
 * xhtml.c — the plain part of rendering cmark's tree as XHTML (see
 * xhtml.h for the split with markdown.c).
 *
 * Pages are XML documents that the runtime and any e-reader-like viewer
 * parse strictly, so the rules are those of XML, not HTML: empty elements
 * close themselves (<br/>), every attribute is quoted and escaped, and
 * text never holds a character that XML 1.0 forbids (C0 controls other
 * than tab and newline, U+FFFE, U+FFFF: cmark lets "&#1;" through as
 * U+0001).  Such characters become U+FFFD, as cmark itself does for NUL.
 * Escaping copies runs of ordinary bytes at once: a page is mostly text.
 */
#include <pthread.h>
#include <string.h>
#include "xhtml.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* Length of the valid UTF-8 sequence at u (n bytes left) that XML 1.0
 * allows, or 0.  cmark writes U+FFFE and U+FFFF as the single bytes 0xFE
 * and 0xFF (its utf8proc encoder's legacy), so the text it hands back is
 * not always UTF-8: everything is checked here, on the way out. */
static size_t xml_char(const unsigned char *u, size_t n)
{
	unsigned c = u[0];
	size_t k;
	unsigned cp, min;
	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' ? 1 : 0;
	if ((c & 0xE0) == 0xC0) {
		k = 2; min = 0x80; cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		k = 3; min = 0x800; cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		k = 4; min = 0x10000; cp = c & 0x07;
	} else {
		return 0;
	}
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return k;
}

/* plain[escape][byte]: 1, the byte is copied as it is (printable ASCII,
 * less the characters that escaping replaces); 2, it starts a two-byte
 * UTF-8 sequence (0xC2-0xDF: U+0080-U+07FF, all allowed in XML, so only
 * the continuation byte needs a look: å, ä, ö and most accented letters
 * of the Latin alphabets take this way); 0, anything else. */
static unsigned char plain[2][256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;   /* modules load on several threads */

static void init_plain(void)
{
	for (unsigned c = 0x20; c < 0x80; c++)
		plain[0][c] = plain[1][c] = 1;
	for (unsigned c = 0xC2; c < 0xE0; c++)
		plain[0][c] = plain[1][c] = 2;
	plain[1]['&'] = plain[1]['<'] = plain[1]['>'] = plain[1]['"'] = 0;
}

static void put(st_buf *b, const char *s, size_t n, int escape)
{
	pthread_once(&plain_once, init_plain);
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		unsigned c = u[i];
		const char *rep;
		size_t skip = 1;
		unsigned k = plain[escape][c];
		if (k == 1 || (k == 2 && i + 1 < n && (u[i + 1] & 0xC0) == 0x80)) {
			i += k;
			continue;
		}
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\r')
			rep = "";              /* CR LF -> LF, as XML does */
		else if ((skip = xml_char(u + i, n - i)) != 0) {
			i += skip;             /* tab, newline, good UTF-8 */
			continue;
		} else {
			rep = REPLACEMENT;
			skip = 1;
		}
		st_buf_add(b, s + run, i - run);
		st_buf_adds(b, rep);
		i += skip;
		run = i;
	}
	st_buf_add(b, s + run, n - run);
}

void sc_xhtml_text(st_buf *b, const char *s, size_t n)
{
	put(b, s, n, 1);
}

void sc_xhtml_clean(st_buf *b, const char *s, size_t n)
{
	put(b, s, n, 0);
}

static const char HEX[] = "0123456789ABCDEF";

static void pct(st_buf *b, unsigned char c)
{
	char t[3] = { '%', HEX[c >> 4], HEX[c & 15] };
	st_buf_add(b, t, 3);
}

void sc_xhtml_url(st_buf *b, const char *url)
{
	/* Keep what RFC 3986 allows in a URI (reserved, unreserved, and '%'
	 * of escapes already there); encode the rest, byte by byte. */
	static const char keep[] = "-._~:/?#[]@!$&'()*+,;=%";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			st_buf_addc(b, (char)c);
		else if (c == '&')
			st_buf_adds(b, "&amp;");
		else if (c == '\'')
			st_buf_adds(b, "&#39;");
		else if (c < 0x80 && c > 0x20 && strchr(keep, (int)c))
			st_buf_addc(b, (char)c);
		else
			pct(b, (unsigned char)c);
	}
}

void sc_xhtml_path(st_buf *b, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '/')
			st_buf_addc(b, (char)c);
		else
			pct(b, (unsigned char)c);
	}
}

/* In a tight list the paragraphs of its items are not wrapped in <p>. */
static int in_tight_list(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;
	return list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
	       cmark_node_get_list_tight(list);
}

static void code_block(st_buf *b, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	const char *lit = cmark_node_get_literal(n);
	size_t il = 0;
	if (info)
		while (info[il] && info[il] != ' ' && info[il] != '\t')
			il++;
	st_buf_adds(b, "<pre><code");
	if (il) {
		st_buf_adds(b, " class=\"language-");
		sc_xhtml_text(b, info, il);
		st_buf_addc(b, '"');
	}
	st_buf_addc(b, '>');
	if (lit)
		sc_xhtml_text(b, lit, strlen(lit));
	st_buf_adds(b, "</code></pre>\n");
}

int sc_xhtml_node(st_buf *b, cmark_node *n, cmark_event_type ev)
{
	int enter = ev == CMARK_EVENT_ENTER;
	const char *lit;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
		st_buf_adds(b, enter ? "<blockquote>\n" : "</blockquote>\n");
		return 1;
	case CMARK_NODE_LIST:
		if (cmark_node_get_list_type(n) == CMARK_BULLET_LIST) {
			st_buf_adds(b, enter ? "<ul>\n" : "</ul>\n");
		} else if (!enter) {
			st_buf_adds(b, "</ol>\n");
		} else if (cmark_node_get_list_start(n) != 1) {
			st_buf_printf(b, "<ol start=\"%d\">\n",
			              cmark_node_get_list_start(n));
		} else {
			st_buf_adds(b, "<ol>\n");
		}
		return 1;
	case CMARK_NODE_ITEM:
		st_buf_adds(b, enter ? "<li>" : "</li>\n");
		return 1;
	case CMARK_NODE_PARAGRAPH:
		if (!in_tight_list(n))
			st_buf_adds(b, enter ? "<p>" : "</p>\n");
		else if (!enter && cmark_node_next(n))
			st_buf_addc(b, '\n');
		return 1;
	case CMARK_NODE_HEADING:
	{
		/* cmark's levels are 1 to 6: "<hN>" without printf's cost */
		int lv = cmark_node_get_heading_level(n);
		if (lv < 1 || lv > 6) {
			st_buf_printf(b, enter ? "<h%d>" : "</h%d>\n", lv);
		} else {
			char t[] = "</h0>\n";
			t[3] = (char)('0' + lv);
			if (enter) {
				t[1] = '<';
				st_buf_add(b, t + 1, 4);   /* "<hN>" */
			} else {
				st_buf_add(b, t, 6);       /* "</hN>\n" */
			}
		}
		return 1;
	}
	case CMARK_NODE_THEMATIC_BREAK:
		st_buf_adds(b, "<hr/>\n");
		return 1;
	case CMARK_NODE_CODE_BLOCK:
		code_block(b, n);
		return 1;
	case CMARK_NODE_TEXT:
		lit = cmark_node_get_literal(n);
		if (lit)
			sc_xhtml_text(b, lit, strlen(lit));
		return 1;
	case CMARK_NODE_SOFTBREAK:
		st_buf_addc(b, '\n');
		return 1;
	case CMARK_NODE_LINEBREAK:
		st_buf_adds(b, "<br/>\n");
		return 1;
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(n);
		st_buf_adds(b, "<code>");
		if (lit)
			sc_xhtml_text(b, lit, strlen(lit));
		st_buf_adds(b, "</code>");
		return 1;
	case CMARK_NODE_EMPH:
		st_buf_adds(b, enter ? "<em>" : "</em>");
		return 1;
	case CMARK_NODE_STRONG:
		st_buf_adds(b, enter ? "<strong>" : "</strong>");
		return 1;
	default:
		return 0;
	}
}

void sc_xhtml_head(st_buf *b, const char *lang, const char *title,
                   const char *module_id)
{
	st_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"");
	sc_xhtml_text(b, lang, strlen(lang));
	st_buf_adds(b, "\"><head><meta charset=\"UTF-8\"/><title>");
	sc_xhtml_text(b, title, strlen(title));
	st_buf_adds(b, "</title></head><body><section class=\"steg-page\" "
	            "data-module=\"");
	sc_xhtml_text(b, module_id, strlen(module_id));
	st_buf_adds(b, "\">");
}
