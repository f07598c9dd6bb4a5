/*
 * page.c — checking a page of a bundle (core/page.h).
 *
 * The code checks run before the schema so that the finding names the
 * hazard ("element 'script' is not allowed") rather than the schema's
 * "this element is not expected"; the schema then allows exactly the
 * structure stegc writes.  Values from the page are hostile: they are
 * shown escaped and cut (shown()), never as they are.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "bundle.h"
#include "i18n.h"
#include "media.h"
#include "page.h"
#include "util.h"
#include "xmlsafe.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SHOWN_MAX 80

typedef struct pc {
	st_diags *d;
	const char *file;
	const char *entry;
	st_page_listed_fn listed;
	void *ctx;
	int findings;          /* code findings so far */
	int more;              /* left out after ST_PAGE_MAX_FINDINGS */
} pc;

/* Elements that never belong in a page, named in the finding.  Anything
 * else that stegc does not write is refused by the schema. */
static const char *const banned_elements[] = {
	"script", "noscript", "iframe", "frame", "frameset", "object", "embed",
	"applet", "svg", "math", "style", "link", "base", "form", "input",
	"button", "textarea", "select", "template", NULL
};

static void finding(pc *c, const char *code, const xmlNode *n,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void finding(pc *c, const char *code, const xmlNode *n,
                    const char *fmt, ...)
{
	if (c->findings >= ST_PAGE_MAX_FINDINGS) {
		c->more++;
		return;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, st_tr_fmt(fmt), ap);
	va_end(ap);
	st_span sp = { c->file, st_xml_line(n), 0, 0, 0 };
	st_diag(c->d, ST_ERROR, code, sp, "%s", msg);
	c->findings++;
}

/* A hostile value for a message: printable ASCII as it is, anything else
 * as \xNN, quotes and backslashes escaped, at most SHOWN_MAX bytes. */
static const char *shown(char *buf, size_t bn, const char *s)
{
	size_t o = 0, i = 0;
	for (; s[i] && o + 5 < bn && i < SHOWN_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '\'' || ch == '\\')
			o += (size_t)snprintf(buf + o, bn - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	if (s[i] && o + 4 < bn) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = 0;
	return buf;
}

static int ieq_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch | 0x20);
		if (ch != *prefix)
			return 0;
	}
	return 1;
}

/* The scheme a browser would see in value: leading spaces and controls
 * skipped, tabs and line breaks inside dropped (as URL parsers do), lower
 * case.  Returns "javascript", "vbscript" or "data" when it is one of
 * those, else NULL. */
static const char *active_scheme(const char *v)
{
	char s[16];
	size_t k = 0;
	while (*v && (unsigned char)*v <= 0x20)
		v++;
	for (; *v && k + 1 < sizeof s; v++) {
		if (*v == '\t' || *v == '\n' || *v == '\r')
			continue;
		s[k++] = *v;
	}
	s[k] = 0;
	static const char *const bad[] = { "javascript:", "vbscript:", "data:",
	                                   NULL };
	for (size_t i = 0; bad[i]; i++)
		if (ieq_prefix(s, bad[i]))
			return bad[i];
	return NULL;
}

/* Length of a URL scheme before its ':', or 0. */
static size_t scheme_len(const char *u)
{
	size_t i = 0;
	if (!((u[0] | 0x20) >= 'a' && (u[0] | 0x20) <= 'z'))
		return 0;
	while (((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') ||
	       (u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '-' ||
	       u[i] == '.')
		i++;
	return u[i] == ':' ? i : 0;
}

/* Resolve the relative path ref against the page's folder into out.
 * Returns 0 and the entry name, or -1 with why in *why. */
static int resolve(const pc *c, const char *ref, char *out, size_t outlen,
                   const char **why)
{
	for (const char *p = ref; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-' || ch == '/')) {
			*why = "is not a path of the bundle (letters, digits, '.', "
			       "'_', '-' and '/' only)";
			return -1;
		}
	}
	if (!*ref || ref[0] == '/') {
		*why = "is not a relative path";
		return -1;
	}
	/* the page's folder: the entry up to its last '/' */
	const char *slash = strrchr(c->entry, '/');
	size_t o = slash ? (size_t)(slash - c->entry) : 0;
	if (o >= outlen)
		goto too_long;
	memcpy(out, c->entry, o);
	out[o] = 0;
	for (const char *s = ref; ; ) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0) {
			*why = "has an empty folder name ('//' or a trailing '/')";
			return -1;
		}
		if (n == 1 && s[0] == '.') {
			/* this folder */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (o == 0) {
				*why = "climbs out of the bundle";
				return -1;
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;   /* the '/' itself */
			out[o] = 0;
		} else {
			if (o + 1 + n >= outlen)
				goto too_long;
			if (o)
				out[o++] = '/';
			memcpy(out + o, s, n);
			o += n;
			out[o] = 0;
		}
		if (!e)
			break;
		s = e + 1;
	}
	if (!st_bundle_name_ok(out, o)) {
		*why = "is not an entry of the bundle";
		return -1;
	}
	return 0;
too_long:
	*why = "is longer than an entry name may be";
	return -1;
}

static int under(const char *entry, const char *folder)
{
	size_t n = strlen(folder);
	return !strncmp(entry, folder, n) && entry[n] == '/';
}

static void check_href(pc *c, const xmlNode *n, const char *v)
{
	char b1[SHOWN_MAX * 4 + 8], b2[512];
	size_t sl = scheme_len(v);
	if (sl) {
		if (sl == 5 && ieq_prefix(v, "https:")) {
			if (strncmp(v + 6, "//", 2) || !v[8] || v[8] == '/' ||
			    strpbrk(v, " \t\r\n\\"))
				finding(c, "bundle-page-link", n,
				        "link '%s' is not an https: URL with a host",
				        shown(b1, sizeof b1, v));
			return;
		}
		if (sl == 3 && ieq_prefix(v, "tel:"))
			return;
		finding(c, "bundle-page-link", n,
		        "link '%s' uses the scheme '%.*s:'; a page links only with "
		        "'https:', 'tel:' or to pages and media of its bundle",
		        shown(b1, sizeof b1, v), (int)(sl < 20 ? sl : 20),
		        shown(b2, sizeof b2, v));
		return;
	}
	const char *why = NULL;
	char path[ST_BUNDLE_MAX_NAME + 2];
	if (resolve(c, v, path, sizeof path, &why) != 0) {
		finding(c, "bundle-page-link", n, "link '%s' %s; a page links only "
		        "with 'https:', 'tel:' or to pages and media of its bundle",
		        shown(b1, sizeof b1, v), why);
		return;
	}
	if (!(under(path, "pages") || under(path, "media")) ||
	    !c->listed(c->ctx, path))
		finding(c, "bundle-page-link", n, "link '%s' points at '%s', which "
		        "is not a page or media entry the manifest lists",
		        shown(b1, sizeof b1, v), shown(b2, sizeof b2, path));
}

static void check_src(pc *c, const xmlNode *n, const char *v)
{
	char b1[SHOWN_MAX * 4 + 8], b2[512];
	const char *el = (const char *)n->name;
	const char *why = NULL;
	char path[ST_BUNDLE_MAX_NAME + 2];
	if (scheme_len(v) || (v[0] == '/' && v[1] == '/')) {
		finding(c, "bundle-page-media", n, "element '%s' refers to '%s', "
		        "outside the bundle; a page shows only media its bundle "
		        "carries", el, shown(b1, sizeof b1, v));
		return;
	}
	if (resolve(c, v, path, sizeof path, &why) != 0) {
		finding(c, "bundle-page-media", n, "element '%s' refers to '%s', "
		        "which %s", el, shown(b1, sizeof b1, v), why);
		return;
	}
	if (!under(path, "media") || !c->listed(c->ctx, path)) {
		finding(c, "bundle-page-media", n, "element '%s' refers to '%s', "
		        "which is not a media entry the manifest lists", el,
		        shown(b2, sizeof b2, path));
		return;
	}
	st_media_kind want = 0, alt = 0;
	if (!strcmp(el, "img"))
		want = ST_MEDIA_IMAGE;
	else if (!strcmp(el, "audio"))
		want = ST_MEDIA_AUDIO;
	else if (!strcmp(el, "video"))
		want = ST_MEDIA_VIDEO;
	else if (!strcmp(el, "track"))
		want = ST_MEDIA_CAPTION;
	else if (!strcmp(el, "source")) {
		want = ST_MEDIA_AUDIO;
		alt = ST_MEDIA_VIDEO;
	}
	st_media_kind k = st_media_kind_of(path);
	if (want && k != want && k != alt)
		finding(c, "bundle-page-media", n, "element '%s' refers to '%s', "
		        "which is not %s", el, shown(b2, sizeof b2, path),
		        st_media_kind_noun(want));
}

static int banned(const char *name)
{
	for (size_t i = 0; banned_elements[i]; i++)
		if (!strcmp(name, banned_elements[i]))
			return 1;
	return 0;
}

static void check_element(pc *c, const xmlNode *n)
{
	char b1[SHOWN_MAX * 4 + 8], b2[SHOWN_MAX * 4 + 8];
	const char *el = (const char *)n->name;
	if (banned(el)) {
		finding(c, "bundle-page-element", n, "element '%s' is not allowed "
		        "in a page: pages hold only the XHTML that stegc writes, "
		        "never scripts, frames, plug-ins, styles, forms, SVG or "
		        "MathML", shown(b1, sizeof b1, el));
		return;   /* nothing inside it matters */
	}
	if (!n->ns || !n->ns->href || strcmp((const char *)n->ns->href, XHTML_NS)) {
		finding(c, "bundle-page-element", n, "element '%s' is %s; pages "
		        "hold only XHTML", shown(b1, sizeof b1, el),
		        n->ns && n->ns->href ? "in another namespace than XHTML's"
		                             : "in no namespace");
		return;
	}
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		const char *val = v ? (const char *)v : "";
		const char *bad;
		if (ieq_prefix(an, "on"))
			finding(c, "bundle-page-attribute", n, "attribute '%s' of "
			        "element '%s' is not allowed: pages carry no event "
			        "handlers (scripts)", shown(b1, sizeof b1, an), el);
		else if (ieq_prefix(an, "style") && !an[5])
			finding(c, "bundle-page-attribute", n, "attribute 'style' of "
			        "element '%s' is not allowed: pages carry no styles",
			        el);
		else if ((bad = active_scheme(val)) != NULL)
			finding(c, "bundle-page-link", n, "attribute '%s' of element "
			        "'%s' holds a '%s' URL ('%s'); a page never runs "
			        "scripts or carries inline data",
			        shown(b1, sizeof b1, an), el, bad,
			        shown(b2, sizeof b2, val));
		else if (!a->ns && !strcmp(an, "href"))
			check_href(c, n, val);
		else if (!a->ns && !strcmp(an, "src"))
			check_src(c, n, val);
		xmlFree(v);
	}
	for (const xmlNode *k = n->children; k; k = k->next) {
		switch (k->type) {
		case XML_ELEMENT_NODE:
			check_element(c, k);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			break;
		case XML_PI_NODE:
			finding(c, "bundle-page-element", k, "processing instruction "
			        "'%s' is not allowed in a page",
			        shown(b1, sizeof b1, (const char *)k->name));
			break;
		case XML_COMMENT_NODE:
			finding(c, "bundle-page-element", k, "a comment is not "
			        "allowed in a page: pages hold only what stegc writes");
			break;
		default:
			finding(c, "bundle-page-element", k, "a node of XML type %d "
			        "is not allowed in a page", (int)k->type);
			break;
		}
	}
}

int st_page_check(st_diags *d, const char *file, const char *entry,
                  const char *data, size_t len, st_page_listed_fn listed,
                  void *ctx)
{
	int errors = st_diags_errors(d);
	xmlDocPtr doc = st_xml_parse(d, file, data, len);
	if (!doc)
		return ST_ERR;
	pc c = { d, file, entry, listed, ctx, 0, 0 };
	char b1[SHOWN_MAX * 4 + 8];
	for (const xmlNode *k = doc->children; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE)
			check_element(&c, k);
		else if (k->type == XML_PI_NODE)
			finding(&c, "bundle-page-element", k, "processing instruction "
			        "'%s' is not allowed in a page",
			        shown(b1, sizeof b1, (const char *)k->name));
		else if (k->type == XML_COMMENT_NODE)
			finding(&c, "bundle-page-element", k, "a comment is not "
			        "allowed in a page: pages hold only what stegc writes");
	}
	if (c.more)
		st_diag_note(d, (st_span){ file, 0, 0, 0, 0 },
		             "%d more findings in this page not shown", c.more);
	int rc = ST_OK;
	if (st_diags_errors(d) > errors)
		rc = ST_ERR;
	else
		rc = st_xml_validate(d, file, doc, "page.xsd");
	xmlFreeDoc(doc);
	if (rc == ST_OK && st_diags_errors(d) > errors)
		rc = ST_ERR;
	return rc;
}
