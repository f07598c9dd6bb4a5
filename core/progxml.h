/*
 * progxml.h — program.xml, the compiled program inside a bundle
 * (schemas/program.xsd; docs/bundle-format.md).  Writing is deterministic:
 * the same st_program gives the same bytes.  Reading takes bytes that came
 * out of a bundle and trusts nothing: it parses safely (core/xmlsafe.h),
 * validates against the embedded schema, and builds an st_program whose
 * expressions are re-checked by the caller (core/check.h).
 */
#ifndef ST_PROGXML_H
#define ST_PROGXML_H

#include "diag.h"
#include "model.h"
#include "util.h"

/* Serialise p.  *xml is malloc'd (caller frees). */
int st_progxml_write(st_diags *d, const st_program *p, char **xml,
                     size_t *len);

/* Parse and validate program.xml; the program lives in a.  file is the
 * display name for diagnostics ("BUNDLE:program.xml"). */
int st_progxml_read(st_program **out, st_arena *a, st_diags *d,
                    const char *file, const char *xml, size_t len);

#endif
