/*
 * html_plain.c — the plain text of an XHTML fragment (html_plain.h).
 * One pass over the bytes: tags are skipped (their attribute values may
 * hold '>' inside quotes), character references decoded, white space
 * collapsed.  Forms are small; the fragment is bounded by the importer's
 * file size limit.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_plain.h"

typedef struct plain {
	st_buf out;
	int space;               /* a separator is pending */
	int formatted;
} plain;

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void emit(plain *p, const char *s, size_t n)
{
	if (p->space && p->out.len)
		st_buf_addc(&p->out, ' ');
	p->space = 0;
	st_buf_add(&p->out, s, n);
}

static void emit_cp(plain *p, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return;
	if (cp == 0xa0) {            /* &nbsp; separates like a space */
		p->space = 1;
		return;
	}
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	emit(p, u, n);
}

/* A character reference at s ('&'); returns the bytes it takes, 0 when
 * it is none (the '&' is then text). */
static size_t entity(plain *p, const char *s)
{
	static const struct { const char *name; unsigned long cp; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' }, { "nbsp;", 0xa0 },
	};
	if (s[1] == '#') {
		int hex = s[2] == 'x' || s[2] == 'X';
		const char *d = s + 2 + hex;
		char *end;
		if (!(hex ? strchr("0123456789abcdefABCDEF", *d) :
		      strchr("0123456789", *d)) || !*d)
			return 0;
		unsigned long cp = strtoul(d, &end, hex ? 16 : 10);
		if (*end != ';')
			return 0;    /* beyond U+10FFFF (strtoul saturates): dropped */
		emit_cp(p, cp);
		return (size_t)(end - s) + 1;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t n = strlen(named[i].name);
		if (!strncmp(s + 1, named[i].name, n)) {
			emit_cp(p, named[i].cp);
			return n + 1;
		}
	}
	return 0;
}

/* The tag's name at s (after '<' and an optional '/'), lower-cased into
 * name[size]. */
static void tag_name(const char *s, char *name, size_t size)
{
	size_t k = 0;
	if (*s == '/')
		s++;
	while (k + 1 < size && ((*s >= 'a' && *s <= 'z') ||
	       (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))) {
		char c = *s++;
		name[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	name[k] = 0;
}

/* The end of the tag that starts at s ('<'): past its '>', or the end of
 * the text. */
static const char *tag_end(const char *s)
{
	char q = 0;
	for (s++; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
		} else if (*s == '"' || *s == '\'') {
			q = *s;
		} else if (*s == '>') {
			return s + 1;
		}
	}
	return s;
}

/* Past the element whose start tag ended at s: up to and including
 * </name>, or the end of the text. */
static const char *skip_content(const char *s, const char *name)
{
	size_t n = strlen(name);
	for (; *s; s++)
		if (s[0] == '<' && s[1] == '/' && !strncasecmp(s + 2, name, n))
			return tag_end(s);
	return s;
}

static const char *tag(plain *p, const char *s)
{
	static const char *const quiet[] = { "div", "p", "span", "br", NULL };
	static const char *const blocks[] = {
		"div", "p", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr",
		"td", "th", "table", "blockquote", "pre", "hr", "h1", "h2",
		"h3", "h4", "h5", "h6", NULL
	};
	char name[16];
	if (!strncmp(s, "<!--", 4)) {
		const char *e = strstr(s + 4, "-->");
		return e ? e + 3 : s + strlen(s);
	}
	tag_name(s + 1, name, sizeof name);
	const char *e = tag_end(s);
	if (!name[0])
		return e;            /* <!DOCTYPE>, <?xml?> */
	int known = 0;
	for (size_t i = 0; quiet[i]; i++)
		known |= !strcmp(name, quiet[i]);
	if (!known)
		p->formatted = 1;
	for (size_t i = 0; blocks[i]; i++)
		if (!strcmp(name, blocks[i]))
			p->space = 1;
	if (s[1] != '/' && e[-2] != '/' &&
	    (!strcmp(name, "script") || !strcmp(name, "style")))
		return skip_content(e, name);
	return e;
}

char *sc_html_plain(st_arena *a, const char *html, int *formatted)
{
	plain p = { .space = 0 };
	st_buf_init(&p.out);
	const char *s = html;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n;
		if (c == '<') {
			s = tag(&p, s);
		} else if (c == '&' && (n = entity(&p, s)) > 0) {
			s += n;
		} else if (is_ws(c)) {
			p.space = 1;
			s++;
		} else if (c < 0x20 || c == 0x7f) {
			s++;
		} else {
			emit(&p, s, 1);
			s++;
		}
	}
	if (formatted)
		*formatted = p.formatted;
	char *r = st_strndup(a, p.out.data ? p.out.data : "", p.out.len);
	st_buf_release(&p.out);
	return r;
}
