/*
 * xmlsafe.h — the one place where Steg parses XML it did not write itself
 * (manifest.xml, program.xml and whatever else comes out of a bundle or a
 * channel), plus the small helpers that the readers and writers of those
 * files share.
 *
 * Parsing closes libxml2 2.9.14's hazards (docs/program-xml.md): bytes in
 * memory only (xmlReadFile would gunzip), XML_PARSE_NONET and never NOENT,
 * DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE; a document with a DOCTYPE
 * is refused the moment the parser sees it (so no entity is ever declared,
 * let alone expanded); the input must be UTF-8, whatever its declaration
 * says; size and nesting are capped.  Validation uses a schema compiled from the bytes
 * built into the binary (build/gen/schemas.h), once per process, and only
 * xmlSchemaValidateDoc() == 0 counts as valid.
 *
 * Errors never reach stderr: they are caught by per-context structured
 * handlers (and, for the few messages libxml2 raises without a context, by
 * thread-local handlers installed for the duration of the call) and added
 * to an st_diags with the file and line (and column, where libxml2 knows
 * it).  Codes: "encoding", "xml-limit", "xml-syntax", "xml-doctype",
 * "xml-schema" (docs/diagnostics.md).
 *
 * Safe to call from several threads at once (the runtime's HTTP server):
 * no process-wide libxml2 state is changed.
 *
 * Ownership: a returned xmlDocPtr is the caller's (xmlFreeDoc).  Strings
 * returned by the helpers that take an st_arena live in that arena.
 */
#ifndef ST_XMLSAFE_H
#define ST_XMLSAFE_H

#include <stddef.h>
#include <libxml/tree.h>

#include "diag.h"
#include "util.h"

#define ST_XML_MAX_BYTES  (64u << 20)   /* = ST_BUNDLE_MAX_XML */
#define ST_XML_MAX_DEPTH  64            /* element nesting */
#define ST_XML_MAX_ERRORS 20            /* schema findings per document */

/* ---- reading ---------------------------------------------------------- */

/* Parse len bytes of untrusted XML.  file is the display name for
 * diagnostics ("x.steg:program.xml"); it must outlive d.  Returns the
 * document, or NULL after adding one finding to d. */
xmlDocPtr st_xml_parse(st_diags *d, const char *file, const char *data,
                       size_t len);

/* Validate doc against the embedded schema schema_name ("program.xsd").
 * Returns 0 when valid; ST_ERR after adding "xml-schema" findings (at most
 * ST_XML_MAX_ERRORS); ST_EIO when the schema is not built in or does not
 * compile (an internal error, also reported). */
int st_xml_validate(st_diags *d, const char *file, xmlDocPtr doc,
                    const char *schema_name);

/* Both: parse, then validate.  NULL after findings. */
xmlDocPtr st_xml_load(st_diags *d, const char *file, const char *data,
                      size_t len, const char *schema_name);

/* The compiled schema, for callers that validate by other means; NULL if
 * unknown or broken.  Owned by the cache; lives as long as the process. */
struct _xmlSchema *st_xml_schema(const char *schema_name);

/* Walking a parsed tree.  name NULL matches any element.  Only element
 * nodes are seen; text, comments and processing instructions are skipped.
 * Names are compared by local name (the schema has fixed the namespace). */
int st_xml_is(const xmlNode *n, const char *name);
xmlNodePtr st_xml_first(const xmlNode *parent, const char *name);
xmlNodePtr st_xml_next(const xmlNode *n, const char *name);
size_t st_xml_count(const xmlNode *parent, const char *name);
/* Line of a node (1-based, 0 when unknown). */
int st_xml_line(const xmlNode *n);

/* An attribute without namespace, copied into a; NULL when absent. */
const char *st_xml_attr(st_arena *a, const xmlNode *n, const char *name);
/* The text content of an element (text and CDATA children joined), copied
 * into a; "" when empty. */
const char *st_xml_text(st_arena *a, const xmlNode *n);
/* Typed attributes: return 1 and set *out when present and well-formed,
 * 0 when absent, ST_ERR when present but malformed (after schema
 * validation that means a bug, yet the readers still do not trust it).
 * Numbers: finite decimal (st_xml_add_num's syntax); integers: base 10;
 * booleans: "true", "false", "1", "0". */
int st_xml_attr_num(const xmlNode *n, const char *name, double *out);
int st_xml_attr_ll(const xmlNode *n, const char *name, long long *out);
int st_xml_attr_bool(const xmlNode *n, const char *name, int *out);

/* ---- writing ---------------------------------------------------------- */

/* Escape text for element content (& < > and CR as &#13;, so that it comes
 * back exactly) or for an attribute value in double quotes (also " and
 * TAB, LF, CR as character references, which attribute normalisation would
 * otherwise turn into spaces).  Returns the first code point that XML 1.0
 * cannot carry (C0 controls other than TAB, LF, CR; U+FFFE, U+FFFF), which
 * is then written as U+FFFD, or 0 when all is well. */
unsigned st_xml_add_text(st_buf *b, const char *s);
unsigned st_xml_add_attr(st_buf *b, const char *s);

/* A number in the shortest form that reads back to the same double
 * ("3", "0.5", "1e+20", "-0.25"), independent of the locale.  Returns
 * ST_ERR for infinities and NaN (nothing is written). */
int st_xml_add_num(st_buf *b, double v);

#endif
