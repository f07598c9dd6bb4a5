/*
 * panel.h — the designer's treatment panel as a page: the state of the
 * treatment after the actions so far (render/timeline.h's JSON), with a
 * button for each thing that can happen next.  Every button is a form
 * posting to BASE/panel with an 'action' ("complete" or "review" with a
 * 'module'; "day", "week", "undo", "reset"; "score" with 'score' and
 * 'value'), so the panel works without script.
 *
 * Ownership: appends to the caller's buffer; nothing else outlives a call.
 */
#ifndef SR_PANEL_H
#define SR_PANEL_H

#include "render.h"

/* The page for the timeline JSON json (len bytes).  ST_OK, or ST_ERR when
 * json is not the timeline's (nothing useful was written). */
int sr_panel_page(st_buf *out, const sr_view *v, const char *json, size_t len);

#endif
