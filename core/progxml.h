/*
 * progxml.h — program.xml, the compiled program inside a bundle
 * (schemas/program.xsd; docs/program-xml.md).  Writing is deterministic:
 * the same st_program gives the same bytes, and reading what was written
 * and writing it again gives the same bytes too.  Reading takes bytes that
 * came out of a bundle and trusts nothing: it parses safely
 * (core/xmlsafe.h), validates against the embedded schema, and builds an
 * st_program whose expressions are re-checked by the caller
 * (core/check.h).
 *
 * Not carried by program.xml: pages' XHTML (entries of their own, filled
 * in by the bundle reader), modules' links and LIX, media's disk paths and
 * use.  Source paths are written relative to p->dir.  Objects read back
 * have spans at the line of their element in program.xml (file is an arena
 * copy of the display name); expressions have src and sp, node NULL, ast
 * NULL, type 0.
 */
#ifndef ST_PROGXML_H
#define ST_PROGXML_H

#include "diag.h"
#include "model.h"
#include "util.h"

/* Serialise p.  *xml is malloc'd (caller frees) and set even on error.
 * Returns ST_ERR after "xml-char" or "xml-number" findings (a text XML
 * cannot carry, a number that is not finite). */
int st_progxml_write(st_diags *d, const st_program *p, char **xml,
                     size_t *len);

/* st_progxml_write in its two parts, which may run on two threads (the
 * program is only read): the document with its "xml-char", "xml-number"
 * and empty-text findings, then the uniqueness of the ids and paths it
 * holds ("duplicate-id", "unknown-form"), whose findings
 * st_progxml_write adds after the document's.  Each returns ST_ERR after
 * a finding of its own. */
int st_progxml_write_doc(st_diags *d, const st_program *p, char **xml,
                         size_t *len);
int st_progxml_check_unique(st_diags *d, const st_program *p);

/* Parse and validate program.xml; the program lives in a.  file is the
 * display name for diagnostics ("BUNDLE:program.xml").  Returns ST_ERR
 * (and *out NULL) after "encoding", "xml-limit", "xml-syntax",
 * "xml-doctype" or "xml-schema" findings; ST_EIO never escapes as such:
 * an embedded schema that does not compile is reported as "xml-schema"
 * too and returns ST_ERR. */
int st_progxml_read(st_program **out, st_arena *a, st_diags *d,
                    const char *file, const char *xml, size_t len);

#endif
