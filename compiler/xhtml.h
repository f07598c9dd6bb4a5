/*
 * xhtml.h — cmark's syntax tree to sanitised, well-formed XHTML.
 *
 * The Markdown loader (markdown.c) walks the tree once; for the plain
 * nodes — paragraphs, lists, emphasis, code — it calls sc_xhtml_node,
 * and it renders links, images, components and raw HTML itself, since
 * those need the program's context and report findings.  Nothing here
 * passes markup through: every text and attribute is escaped, characters
 * that XML 1.0 forbids become U+FFFD, and URLs are percent-encoded.
 * cmark_render_html is never used: it writes HTML, not XML (<br>, <hr>,
 * unescaped attributes), and would pass raw HTML when asked.
 */
#ifndef SC_XHTML_H
#define SC_XHTML_H

#include <cmark.h>
#include "util.h"

/* Escape n bytes for XML text or a "-quoted attribute, made safe as by
 * sc_xhtml_clean. */
void sc_xhtml_text(st_buf *b, const char *s, size_t n);
/* Append n bytes unescaped but made safe for XML: every byte that is not
 * part of a valid UTF-8 character XML allows becomes U+FFFD.  For text
 * that leaves the page, such as page titles in program.xml. */
void sc_xhtml_clean(st_buf *b, const char *s, size_t n);
/* An external URL for an href: characters outside RFC 3986 percent-
 * encoded, then XML-escaped. */
void sc_xhtml_url(st_buf *b, const char *url);
/* A path inside the bundle for an href or src: every byte other than
 * unreserved characters and '/' percent-encoded. */
void sc_xhtml_path(st_buf *b, const char *path);

/* Render the plain node n on event ev (CMARK_EVENT_ENTER / EXIT).
 * Returns 1 when it did, 0 for a node the caller must handle (document,
 * raw HTML, links, images, custom nodes). */
int sc_xhtml_node(st_buf *b, cmark_node *n, cmark_event_type ev);

/* The start of a page document, up to and including the <section>
 * element's start tag; SC_XHTML_TAIL closes it. */
void sc_xhtml_head(st_buf *b, const char *lang, const char *title,
                   const char *module_id);
#define SC_XHTML_TAIL "</section></body></html>\n"

#endif
