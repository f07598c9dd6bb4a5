/*
 * xmlsafe.c — parsing and validating untrusted XML with libxml2 2.9.14,
 * and the escaping and number formatting that the XML writers share
 * (core/xmlsafe.h).
 *
 * Why it is shaped so.  libxml2's dangerous features are all opt-in
 * parser options, but its error reporting is opt-out: by default every
 * message goes to stderr through process-wide (in this build, thread-local)
 * handlers.  So each parse gets its own parser context whose SAX block
 * carries our structured error handler (libxml2 prefers it to the global
 * one for every parser error), our internalSubset hook (which stops the
 * parser at the DOCTYPE, before an internal subset could declare a single
 * entity), and wrappers of the element callbacks that count nesting.  For
 * the few messages raised without a context (out of memory, encoding
 * handlers) the thread-local handlers are pointed at a sink for the
 * duration of the call and put back afterwards, which leaves other threads
 * and callers alone.  Schemas are compiled once per process from the bytes
 * embedded in the binary and kept: a compiled xmlSchema is read-only while
 * validating, so threads share it, each with its own validation context.
 *
 * Of the cascade of messages a broken document produces only the first is
 * reported; it names the real problem, the rest are echoes.  Schema
 * findings are all reported (up to ST_XML_MAX_ERRORS), each on its line.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "xmlsafe.h"
#include "schemas.h"

/* ---- process-wide set-up, once ----------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void init(void)
{
	xmlInitParser();
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* ---- catching messages ------------------------------------------------- */

/* libxml2's messages end in a newline and a full stop and start with a
 * capital; schema messages name elements as '{namespace}local'.  House
 * style is lower case, no full stop, local names. */
static void tidy_message(char *out, size_t outlen, const char *msg)
{
	size_t o = 0;
	if (!msg)
		msg = "malformed XML";
	for (const char *p = msg; *p && o + 1 < outlen; p++) {
		if (*p == '{') {
			/* "{urn:steg:program:1}module" -> "module", but keep
			 * "{'a', 'b'}", the set of an enumeration */
			size_t k = strcspn(p + 1, "}' ");
			if (p[1 + k] == '}' && memchr(p + 1, ':', k)) {
				p += k + 1;
				continue;
			}
		}
		out[o++] = *p == '\n' ? ' ' : *p;
	}
	while (o && (out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	out[o] = 0;
	/* A capital that starts a sentence or a clause ("Element ...",
	 * "...: The attribute ..."), not one of an acronym ("XML"). */
	for (size_t i = 0; i < o; i++) {
		int starts = i == 0 || (i >= 2 && out[i - 1] == ' ' &&
		                        (out[i - 2] == ':' || out[i - 2] == ']'));
		if (starts && out[i] >= 'A' && out[i] <= 'Z' &&
		    out[i + 1] >= 'a' && out[i + 1] <= 'z')
			out[i] = (char)(out[i] - 'A' + 'a');
	}
}

struct parse_state {
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	int depth;
	int too_deep, deep_line;
	int doctype, doctype_line;
	int have_err, err_line, err_col;
	char err[512];
};

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	struct parse_state *st = ctx;
	if (!e || e->level < XML_ERR_ERROR || st->have_err)
		return;
	st->have_err = 1;
	st->err_line = e->line > 0 ? e->line : 0;
	st->err_col = e->int2 > 0 ? e->int2 : 0;
	tidy_message(st->err, sizeof st->err, e->message);
}

/* The SAX block passes the parser context (its userData); ours hangs off
 * _private. */
static void on_parse_error_ctxt(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;
	on_parse_error(c->_private, e);
}

static void sink(void *ctx, const char *fmt, ...)
{
}

static void refuse_doctype(void *ctx, const xmlChar *name,
                           const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr c = ctx;
	struct parse_state *st = c->_private;
	st->doctype = 1;
	st->doctype_line = c->input ? c->input->line : 0;
	xmlStopParser(c);
}

static void start_element(void *ctx, const xmlChar *localname,
                          const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes)
{
	xmlParserCtxtPtr c = ctx;
	struct parse_state *st = c->_private;
	if (++st->depth > ST_XML_MAX_DEPTH) {
		st->too_deep = 1;
		st->deep_line = c->input ? c->input->line : 0;
		xmlStopParser(c);
		return;
	}
	st->start(ctx, localname, prefix, uri, nb_namespaces, namespaces,
	          nb_attributes, nb_defaulted, attributes);
}

static void end_element(void *ctx, const xmlChar *localname,
                        const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr c = ctx;
	struct parse_state *st = c->_private;
	st->depth--;
	st->end(ctx, localname, prefix, uri);
}

/* Thread-local handlers, pointed at our state for one call. */
struct saved_handlers {
	xmlGenericErrorFunc gfn;
	void *gctx;
	xmlStructuredErrorFunc sfn;
	void *sctx;
};

static void handlers_push(struct saved_handlers *s, xmlStructuredErrorFunc fn,
                          void *ctx)
{
	s->gfn = xmlGenericError;
	s->gctx = xmlGenericErrorContext;
	s->sfn = xmlStructuredError;
	s->sctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(ctx, sink);
	xmlSetStructuredErrorFunc(ctx, fn);
}

static void handlers_pop(const struct saved_handlers *s)
{
	xmlSetGenericErrorFunc(s->gctx, s->gfn);
	xmlSetStructuredErrorFunc(s->sctx, s->sfn);
}

/* Line and column of byte off in data. */
static void position(const char *data, size_t off, int *line, int *col)
{
	int l = 1;
	size_t bol = 0;
	for (size_t i = 0; i < off; i++)
		if (data[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*col = (int)(off - bol) + 1;
}

/* A document from a bundle is not a file the user can open, so give the
 * renderer its text for the excerpt under a finding with a column.  Only
 * on failure: the copy costs nothing on the good path. */
static void show_source(st_diags *d, const char *file, const char *data,
                        size_t len)
{
	if (file)
		st_diags_add_source(d, file, data, len);
}

/* Finding columns for libxml2 messages that only know the line (DOCTYPE,
 * schema findings), so that the excerpt under them can point.  Findings
 * come in document order, so the cursor moves forward and the whole walk
 * is linear; a step back starts again from the top. */
struct locator {
	const char *data;
	size_t len;
	int line;          /* line at off; 0: not started */
	size_t off;
};

static const char *line_start(struct locator *lc, int line, size_t *n)
{
	if (!lc->data || line < 1)
		return NULL;
	if (!lc->line || line < lc->line) {
		lc->line = 1;
		lc->off = 0;
	}
	while (lc->line < line) {
		const char *nl = memchr(lc->data + lc->off, '\n', lc->len - lc->off);
		if (!nl)
			return NULL;
		lc->off = (size_t)(nl - lc->data) + 1;
		lc->line++;
	}
	const char *s = lc->data + lc->off;
	const char *e = memchr(s, '\n', lc->len - lc->off);
	*n = e ? (size_t)(e - s) : lc->len - lc->off;
	return s;
}

static int is_name_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' ||
	       c == '>' || c == '=' || c == 0;
}

/* Column of tag (e.g. "<!DOCTYPE", or "<" plus an element's local name,
 * with any prefix) on line, and then of attribute attr after it; 0 when
 * not on that line. */
static int column_of(struct locator *lc, int line, const char *elem,
                     const char *attr)
{
	size_t n = 0;
	const char *s = line_start(lc, line, &n);
	if (!s || !elem)
		return 0;
	size_t el = strlen(elem);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		size_t j = i + 1;
		size_t k = j;                 /* skip a prefix */
		while (k < n && !is_name_end(s[k]) && s[k] != ':')
			k++;
		if (k < n && s[k] == ':')
			j = k + 1;
		if (j + el > n || memcmp(s + j, elem, el) ||
		    (j + el < n && !is_name_end(s[j + el])))
			continue;
		if (!attr)
			return (int)i + 1;
		size_t al = strlen(attr);
		for (size_t a = j + el; a + al < n && s[a] != '>'; a++)
			if ((s[a - 1] == ' ' || s[a - 1] == '\t') &&
			    !memcmp(s + a, attr, al) && is_name_end(s[a + al]))
				return (int)a + 1;
		return (int)i + 1;
	}
	return 0;
}

/* ---- parsing ----------------------------------------------------------- */

xmlDocPtr st_xml_parse(st_diags *d, const char *file, const char *data,
                       size_t len)
{
	st_span sp = { file, 0, 0, 0, 0 };
	pthread_once(&init_once, init);

	if (len > ST_XML_MAX_BYTES || len > INT_MAX) {
		st_diag(d, ST_ERROR, "xml-limit", sp,
		        "document is %zu bytes; the limit is %u MiB", len,
		        ST_XML_MAX_BYTES >> 20);
		return NULL;
	}
	size_t bad = 0;
	if (!st_utf8_valid(data, len, &bad)) {
		position(data, bad, &sp.line, &sp.col);
		show_source(d, file, data, len);
		st_diag(d, ST_ERROR, "encoding", sp,
		        "document is not valid UTF-8 (byte 0x%02x)",
		        (unsigned)(unsigned char)data[bad]);
		return NULL;
	}

	struct parse_state st;
	memset(&st, 0, sizeof st);
	struct saved_handlers saved;
	handlers_push(&saved, on_parse_error, &st);

	xmlDocPtr doc = NULL;
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	if (!c) {
		st_diag(d, ST_ERROR, "xml-syntax", sp, "out of memory");
		goto done;
	}
	c->_private = &st;
	st.start = c->sax->startElementNs ? c->sax->startElementNs
	                                  : xmlSAX2StartElementNs;
	st.end = c->sax->endElementNs ? c->sax->endElementNs
	                              : xmlSAX2EndElementNs;
	c->sax->serror = on_parse_error_ctxt;
	c->sax->internalSubset = refuse_doctype;
	c->sax->externalSubset = NULL;
	c->sax->startElementNs = start_element;
	c->sax->endElementNs = end_element;

	/* Deliberately absent: NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE,
	 * HUGE.  NOBLANKS is absent too: its heuristics can drop
	 * whitespace-only text that is content; readers skip non-element
	 * nodes themselves.  The encoding is forced to UTF-8 (checked above),
	 * whatever the declaration claims. */
	doc = xmlCtxtReadMemory(c, data, (int)len, NULL, "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_NOCDATA |
	                        XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
	                        XML_PARSE_NOWARNING);

	if (st.doctype || (doc && (doc->intSubset || doc->extSubset))) {
		struct locator lc = { data, len, 0, 0 };
		sp.line = st.doctype_line;
		sp.col = column_of(&lc, sp.line, "!DOCTYPE", NULL);
		if (sp.col)
			show_source(d, file, data, len);
		st_diag(d, ST_ERROR, "xml-doctype", sp,
		        "document has a DOCTYPE; a bundle never needs one, and "
		        "DTDs and entities are refused");
		goto fail;
	}
	if (st.too_deep) {
		sp.line = st.deep_line;
		st_diag(d, ST_ERROR, "xml-limit", sp,
		        "elements nested deeper than %d levels", ST_XML_MAX_DEPTH);
		goto fail;
	}
	if (!doc || !c->wellFormed || !c->nsWellFormed || st.have_err ||
	    !xmlDocGetRootElement(doc)) {
		sp.line = st.err_line;
		sp.col = st.err_col;
		if (sp.line && sp.col)
			show_source(d, file, data, len);
		st_diag(d, ST_ERROR, "xml-syntax", sp, "%s",
		        st.have_err ? st.err : "malformed XML");
		goto fail;
	}
	goto done;
fail:
	if (doc)
		xmlFreeDoc(doc);
	doc = NULL;
done:
	if (c)
		xmlFreeParserCtxt(c);
	handlers_pop(&saved);
	return doc;
}

/* ---- schemas ----------------------------------------------------------- */

#define MAX_SCHEMAS 16

static pthread_mutex_t schema_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached_schema {
	char name[64];
	xmlSchemaPtr schema;     /* NULL: broken (err says why) */
	char err[256];
} schemas[MAX_SCHEMAS];
static size_t nschemas;

struct first_msg {
	int seen;
	char msg[256];
};

static void keep_first(void *ctx, xmlErrorPtr e)
{
	struct first_msg *f = ctx;
	if (!e || e->level < XML_ERR_ERROR || f->seen++)
		return;
	tidy_message(f->msg, sizeof f->msg, e->message);
}

/* The cache entry for name, compiled on first use; NULL when there is no
 * such embedded schema. */
static struct cached_schema *schema_get(const char *name)
{
	pthread_once(&init_once, init);
	struct cached_schema *cs = NULL;
	pthread_mutex_lock(&schema_mu);
	for (size_t i = 0; i < nschemas; i++)
		if (!strcmp(schemas[i].name, name)) {
			cs = &schemas[i];
			goto done;
		}
	size_t len = 0;
	const unsigned char *bytes = st_embedded(name, &len);
	if (!bytes || nschemas == MAX_SCHEMAS ||
	    strlen(name) >= sizeof schemas[0].name)
		goto done;
	cs = &schemas[nschemas++];
	snprintf(cs->name, sizeof cs->name, "%s", name);

	struct first_msg fm;
	memset(&fm, 0, sizeof fm);
	struct saved_handlers saved;
	handlers_push(&saved, keep_first, &fm);
	xmlSchemaParserCtxtPtr pc =
		xmlSchemaNewMemParserCtxt((const char *)bytes, (int)len);
	if (pc) {
		xmlSchemaSetParserStructuredErrors(pc, keep_first, &fm);
		cs->schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	handlers_pop(&saved);
	if (!cs->schema)
		snprintf(cs->err, sizeof cs->err, "%s",
		         fm.seen ? fm.msg : "out of memory");
done:
	pthread_mutex_unlock(&schema_mu);
	return cs;
}

struct _xmlSchema *st_xml_schema(const char *schema_name)
{
	struct cached_schema *cs = schema_get(schema_name);
	return cs ? cs->schema : NULL;
}

struct valid_state {
	st_diags *d;
	const char *file;
	int reported, more;
	struct locator lc;       /* data NULL: columns unknown */
};

static void on_schema_error(void *ctx, xmlErrorPtr e)
{
	struct valid_state *vs = ctx;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	/* libxml2 follows a facet error with this echo of it */
	if (e->message && strstr(e->message, "No precomputed value available"))
		return;
	if (vs->reported >= ST_XML_MAX_ERRORS) {
		vs->more++;
		return;
	}
	st_span sp = { vs->file, e->line > 0 ? e->line : 0, 0, 0, 0 };
	const xmlNode *n = e->node;
	if (!sp.line && n)
		sp.line = st_xml_line(n);
	char msg[512];
	tidy_message(msg, sizeof msg, e->message);
	/* The message names what it is about: "element 'item', attribute
	 * 'type': ..." */
	char elem[128] = "", attr[128] = "";
	sscanf(msg, "element '%127[^']', attribute '%127[^']'", elem, attr);
	if (elem[0])
		sp.col = column_of(&vs->lc, sp.line, elem, attr[0] ? attr : NULL);
	st_diag(vs->d, ST_ERROR, "xml-schema", sp, "%s", msg);
	vs->reported++;
}

static int validate(st_diags *d, const char *file, xmlDocPtr doc,
                    const char *schema_name, const char *data, size_t len)
{
	st_span sp = { file, 0, 0, 0, 0 };
	struct cached_schema *cs = schema_get(schema_name);
	if (!cs) {
		st_diag(d, ST_ERROR, "xml-schema", sp,
		        "internal error: schema '%s' is not built into this "
		        "program", schema_name);
		return ST_EIO;
	}
	if (!cs->schema) {
		st_diag(d, ST_ERROR, "xml-schema", sp,
		        "internal error: schema '%s' does not compile: %s",
		        schema_name, cs->err);
		return ST_EIO;
	}
	if (!doc)
		return ST_ERR;

	struct valid_state vs = { d, file, 0, 0, { data, len, 0, 0 } };
	struct saved_handlers saved;
	handlers_push(&saved, on_schema_error, &vs);
	int rc = ST_EIO;
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(cs->schema);
	if (!vc) {
		st_diag(d, ST_ERROR, "xml-schema", sp, "out of memory");
		goto done;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &vs);
	int v = xmlSchemaValidateDoc(vc, doc);
	if (v == 0) {
		rc = ST_OK;
		goto done;
	}
	rc = ST_ERR;
	if (!vs.reported)
		st_diag(d, ST_ERROR, "xml-schema", sp,
		        "does not validate against '%s'%s", schema_name,
		        v < 0 ? " (internal error of the validator)" : "");
	else if (vs.more)
		st_diag_note(d, sp, "%d more schema findings not shown",
		             vs.more);
done:
	if (vc)
		xmlSchemaFreeValidCtxt(vc);
	handlers_pop(&saved);
	return rc;
}

int st_xml_validate(st_diags *d, const char *file, xmlDocPtr doc,
                    const char *schema_name)
{
	return validate(d, file, doc, schema_name, NULL, 0);
}

xmlDocPtr st_xml_load(st_diags *d, const char *file, const char *data,
                      size_t len, const char *schema_name)
{
	xmlDocPtr doc = st_xml_parse(d, file, data, len);
	if (doc && validate(d, file, doc, schema_name, data, len) != 0) {
		show_source(d, file, data, len);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* ---- walking ----------------------------------------------------------- */

int st_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       (!name || !strcmp((const char *)n->name, name));
}

xmlNodePtr st_xml_first(const xmlNode *parent, const char *name)
{
	if (!parent)
		return NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (st_xml_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr st_xml_next(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNodePtr c = n->next; c; c = c->next)
		if (st_xml_is(c, name))
			return c;
	return NULL;
}

size_t st_xml_count(const xmlNode *parent, const char *name)
{
	size_t k = 0;
	for (xmlNodePtr c = st_xml_first(parent, name); c;
	     c = st_xml_next(c, name))
		k++;
	return k;
}

int st_xml_line(const xmlNode *n)
{
	if (!n)
		return 0;
	long l = xmlGetLineNo(n);
	return l > 0 && l < INT_MAX ? (int)l : 0;
}

static const xmlAttr *find_attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!a->ns && !strcmp((const char *)a->name, name))
			return a;
	return NULL;
}

/* The value of an attribute or the text of an element: the one text child
 * is the common case and needs no copy; otherwise libxml2 joins them. */
static const char *node_text(st_arena *a, const xmlNode *children)
{
	if (!children)
		return st_strdup(a, "");
	if (!children->next && (children->type == XML_TEXT_NODE ||
	                        children->type == XML_CDATA_SECTION_NODE))
		return st_strdup(a, (const char *)children->content);
	st_buf b;
	st_buf_init(&b);
	for (const xmlNode *c = children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		     c->type == XML_CDATA_SECTION_NODE) && c->content)
			st_buf_adds(&b, (const char *)c->content);
	const char *s = st_strndup(a, b.data ? b.data : "", b.len);
	st_buf_release(&b);
	return s;
}

const char *st_xml_attr(st_arena *a, const xmlNode *n, const char *name)
{
	const xmlAttr *at = find_attr(n, name);
	return at ? node_text(a, at->children) : NULL;
}

const char *st_xml_text(st_arena *a, const xmlNode *n)
{
	return n ? node_text(a, n->children) : st_strdup(a, "");
}

/* The attribute's value with XML whitespace trimmed (the schema's numeric
 * types collapse it) into buf; 0 absent, 1 present, ST_ERR too long. */
static int attr_token(const xmlNode *n, const char *name, char *buf,
                      size_t buflen)
{
	const xmlAttr *at = find_attr(n, name);
	if (!at)
		return 0;
	size_t o = 0;
	for (const xmlNode *c = at->children; c; c = c->next) {
		if (c->type != XML_TEXT_NODE || !c->content)
			continue;
		size_t k = strlen((const char *)c->content);
		if (o + k >= buflen)
			return ST_ERR;
		memcpy(buf + o, c->content, k);
		o += k;
	}
	buf[o] = 0;
	size_t s = 0;
	while (buf[s] == ' ' || buf[s] == '\t' || buf[s] == '\n' ||
	       buf[s] == '\r')
		s++;
	while (o > s && (buf[o - 1] == ' ' || buf[o - 1] == '\t' ||
	                 buf[o - 1] == '\n' || buf[o - 1] == '\r'))
		o--;
	memmove(buf, buf + s, o - s);
	buf[o - s] = 0;
	return 1;
}

/* -?D+(.D+)?(e[+-]D+)?  — what st_xml_add_num writes (also E). */
static int is_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

int st_xml_attr_num(const xmlNode *n, const char *name, double *out)
{
	char buf[64];
	int r = attr_token(n, name, buf, sizeof buf);
	if (r <= 0)
		return r;
	if (!is_decimal(buf))
		return ST_ERR;
	pthread_once(&init_once, init);
	locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
	errno = 0;
	double v = strtod(buf, NULL);
	int e = errno;
	if (c_locale)
		uselocale(old);
	/* ERANGE also flags underflow, where strtod still gives the nearest
	 * subnormal or zero: only overflow is an error. */
	if ((e == ERANGE && fabs(v) > 1) || !isfinite(v))
		return ST_ERR;
	*out = v;
	return 1;
}

int st_xml_attr_ll(const xmlNode *n, const char *name, long long *out)
{
	char buf[64];
	int r = attr_token(n, name, buf, sizeof buf);
	if (r <= 0)
		return r;
	const char *p = buf;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return ST_ERR;
	errno = 0;
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (errno || *end)
		return ST_ERR;
	*out = v;
	return 1;
}

int st_xml_attr_bool(const xmlNode *n, const char *name, int *out)
{
	char buf[16];
	int r = attr_token(n, name, buf, sizeof buf);
	if (r <= 0)
		return r;
	if (!strcmp(buf, "true") || !strcmp(buf, "1"))
		*out = 1;
	else if (!strcmp(buf, "false") || !strcmp(buf, "0"))
		*out = 0;
	else
		return ST_ERR;
	return 1;
}

/* ---- writing ----------------------------------------------------------- */

/* Bytes that add_escaped copies as they are in text and attributes
 * alike: not NUL, not a control character, none of & < > ", and not 0xEF
 * (which may begin U+FFFE or U+FFFF).  Most of a program's texts are
 * runs of them, skipped by one table look-up a byte. */
#define PLAIN_ROW(b) \
	(b) >= 0x20 && (b) != '&' && (b) != '<' && (b) != '>' && (b) != '"' && \
	(b) != 0xEF
#define P4(b) PLAIN_ROW(b), PLAIN_ROW((b) + 1), PLAIN_ROW((b) + 2), PLAIN_ROW((b) + 3)
#define P16(b) P4(b), P4((b) + 4), P4((b) + 8), P4((b) + 12)
#define P64(b) P16(b), P16((b) + 16), P16((b) + 32), P16((b) + 48)
static const unsigned char plain_byte[256] = {
	P64(0), P64(64), P64(128), P64(192)
};

static unsigned add_escaped(st_buf *b, const char *s, int attr)
{
	unsigned bad = 0;
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	if (!s)
		return 0;
	for (;; i++) {
		while (plain_byte[u[i]])
			i++;
		if (!u[i])
			break;
		const char *rep = NULL;
		unsigned c = u[i];
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '\r': rep = "&#13;"; break;
		case '"': if (attr) rep = "&quot;"; break;
		case '\n': if (attr) rep = "&#10;"; break;
		case '\t': if (attr) rep = "&#9;"; break;
		default:
			if (c < 0x20) {
				if (!bad)
					bad = c;
				rep = "\xef\xbf\xbd";
			} else if (c == 0xef && u[i + 1] == 0xbf &&
			           (u[i + 2] == 0xbe || u[i + 2] == 0xbf)) {
				if (!bad)
					bad = u[i + 2] == 0xbe ? 0xfffe : 0xffff;
				st_buf_add(b, s + start, i - start);
				st_buf_adds(b, "\xef\xbf\xbd");
				i += 2;
				start = i + 1;
				continue;
			}
			break;
		}
		if (!rep)
			continue;
		st_buf_add(b, s + start, i - start);
		st_buf_adds(b, rep);
		start = i + 1;
	}
	st_buf_add(b, s + start, i - start);
	return bad;
}

unsigned st_xml_add_text(st_buf *b, const char *s)
{
	return add_escaped(b, s, 0);
}

unsigned st_xml_add_attr(st_buf *b, const char *s)
{
	return add_escaped(b, s, 1);
}

int st_xml_add_num(st_buf *b, double v)
{
	if (!isfinite(v))
		return ST_ERR;
	pthread_once(&init_once, init);
	locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
	char s[48];
	/* A normal double is recovered from any decimal of up to 15
	 * significant digits that rounds to it, and %g drops trailing zeros,
	 * so starting at 15 finds the shortest form; subnormals carry fewer
	 * digits and are searched from 1. */
	int from = v != 0 && fabs(v) < DBL_MIN ? 1 : 15;
	for (int prec = from; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	if (c_locale)
		uselocale(old);
	st_buf_adds(b, s);
	return ST_OK;
}
