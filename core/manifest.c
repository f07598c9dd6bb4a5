/*
 * manifest.c — writing and reading manifest.xml (core/manifest.h).
 *
 * Writing is plain string building in a fixed order with fixed indentation,
 * because the bytes are signed and must be reproducible; the schema check
 * happens in the bundle writer before anything reaches the disk.
 *
 * Reading goes through core/xmlsafe.h, which closes libxml2's hazards
 * (memory only, no DOCTYPE, the schema built into the binary);
 * only a document that validates is walked.  The schema guarantees the
 * shape, so the walk only converts.
 */
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include "manifest.h"
#include "vocab.h"
#include "xmlsafe.h"

#define ZIP_EPOCH 315532800LL   /* 1980-01-01T00:00:00Z */


void st_manifest_time(char out[32], long long t)
{
	if (t < ZIP_EPOCH)
		t = ZIP_EPOCH;
	st_time_format(out, t);
}

static void attr(st_buf *b, const char *name, const char *val)
{
	/* a thousand entries have three attributes each: no printf */
	st_buf_addc(b, ' ');
	st_buf_adds(b, name);
	st_buf_add(b, "=\"", 2);
	st_xml_add_attr(b, val ? val : "");
	st_buf_addc(b, '"');
}

/* " size=\"N\"", as printf's %lld would write it. */
static void add_size(st_buf *b, long long v)
{
	char t[32];
	size_t i = sizeof t;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	t[--i] = '"';
	do {
		t[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		t[--i] = '-';
	st_buf_adds(b, " size=\"");
	st_buf_add(b, t + i, sizeof t - i);
}

void st_manifest_write(st_buf *b, const st_manifest *m)
{
	char when[32];
	st_manifest_time(when, m->build_time);
	st_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	st_buf_printf(b, "<manifest xmlns=\"%s\" format=\"%d\">\n",
	              ST_MANIFEST_NS, ST_MANIFEST_FORMAT);
	st_buf_adds(b, "  <program");
	attr(b, "id", m->id);
	attr(b, "version", m->version);
	attr(b, "kind", m->kind);
	attr(b, "language", m->language);
	st_buf_adds(b, ">\n    <title>");
	st_xml_add_text(b, m->title ? m->title : "");
	st_buf_adds(b, "</title>\n    <producer");
	attr(b, "id", m->producer_id);
	st_buf_addc(b, '>');
	st_xml_add_text(b, m->producer_name ? m->producer_name : "");
	st_buf_adds(b, "</producer>\n  </program>\n  <build");
	attr(b, "compiler", m->compiler);
	st_buf_printf(b, " source-format=\"%d\"", m->source_format);
	attr(b, "time", when);
	st_buf_adds(b, "/>\n  <entries>\n");
	for (size_t i = 0; i < m->nentries; i++) {
		const st_manifest_entry *e = &m->entries[i];
		st_buf_adds(b, "    <entry");
		attr(b, "path", e->path);
		add_size(b, e->size);
		attr(b, "sha256", e->sha256);
		st_buf_adds(b, "/>\n");
	}
	st_buf_adds(b, "  </entries>\n</manifest>\n");
}

int st_manifest_validate_bytes(const char *schema_name, const char *xml,
                               size_t len, char *err, size_t errlen)
{
	st_diags *d = st_diags_new();
	xmlDocPtr doc = st_xml_parse(d, schema_name, xml, len);
	int rc = doc ? st_xml_validate(d, schema_name, doc, schema_name) : ST_ERR;
	if (rc != 0 && st_diags_count(d) > 0) {
		st_span sp = st_diags_span(d, 0);
		snprintf(err, errlen, "line %d: %s", sp.line, st_diags_message(d, 0));
	} else if (rc != 0) {
		snprintf(err, errlen, "does not validate against '%s'", schema_name);
	}
	if (doc)
		xmlFreeDoc(doc);
	st_diags_free(d);
	return rc;
}

static long long parse_ll(const char *s)
{
	if (!s)
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return LLONG_MAX;   /* beyond any cap: the caller refuses it */
	return v;
}

int st_manifest_read(st_manifest *m, st_arena *a, st_diags *d,
                     const char *file, const char *xml, size_t len)
{
	memset(m, 0, sizeof *m);
	int rc = ST_ERR;
	xmlDocPtr doc = st_xml_load(d, file, xml, len, "manifest.xsd");
	if (!doc)
		goto done;

	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr prog = st_xml_first(root, "program");
	xmlNodePtr build = st_xml_first(root, "build");
	xmlNodePtr ents = st_xml_first(root, "entries");
	m->id = st_xml_attr(a, prog, "id");
	m->version = st_xml_attr(a, prog, "version");
	m->kind = st_xml_attr(a, prog, "kind");
	m->language = st_xml_attr(a, prog, "language");
	m->title = st_xml_text(a, st_xml_first(prog, "title"));
	xmlNodePtr pr = st_xml_first(prog, "producer");
	m->producer_id = st_xml_attr(a, pr, "id");
	m->producer_name = st_xml_text(a, pr);
	m->compiler = st_xml_attr(a, build, "compiler");
	long long sf = parse_ll(st_xml_attr(a, build, "source-format"));
	m->source_format = sf > 1000000 ? 1000000 : (int)sf;
	const char *bt = st_xml_attr(a, build, "time");
	if (!bt || st_time_parse(&m->build_time, bt) != ST_OK) {
		/* the schema's pattern lets 2026-02-30T25:00:00Z through */
		st_span sp = { file, st_xml_line(build), 0, 0, 0 };
		st_diag(d, ST_ERROR, "xml-schema", sp, "element 'build': "
		        "attribute 'time' is not a valid value: '%s' is not a "
		        "time that exists, written YYYY-MM-DDThh:mm:ssZ",
		        bt ? bt : "");
		goto done;
	}

	size_t cap = 0;
	for (xmlNodePtr c = st_xml_first(ents, "entry"); c; c = st_xml_next(c, "entry")) {
		st_manifest_entry e = {0};
		e.path = st_xml_attr(a, c, "path");
		e.size = parse_ll(st_xml_attr(a, c, "size"));
		const char *h = st_xml_attr(a, c, "sha256");
		snprintf(e.sha256, sizeof e.sha256, "%s", h ? h : "");
		ST_PUSH(a, m->entries, m->nentries, cap, e);
	}
	rc = ST_OK;
done:
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}
