/*
 * findings.h — the page a preview shows while a program folder has errors
 * and there is no version without errors to show yet (the first compile
 * failed): the compiler's findings, each with file, line, column, message
 * and code, as `stegc check` gives them.  The findings are the JSON of
 * compiler/live.h's /api/errors: {"version", "errors", "findings":
 * [{"file", "line", "column", "level", "code", "message"}...]}.
 *
 * Ownership: appends to the caller's buffer; nothing else outlives a call.
 */
#ifndef SR_FINDINGS_H
#define SR_FINDINGS_H

#include "render.h"

/* The page for json (len bytes); v->p may be NULL.  ST_OK, or ST_ERR when
 * json is not such an object (nothing useful was written). */
int sr_findings_page(st_buf *out, const sr_view *v, const char *json,
                     size_t len);

#endif
