/*
 * diag.h — diagnostics: every finding of the compiler and the runtime's
 * checks, with a stable code and the source span it is about.
 *
 * Library code never prints: it adds findings to an st_diags and returns a
 * count or an error code; the command-line front ends render the set as
 * text (file:line:col: level: message [code], the source line and a caret),
 * a brief form (one line each), JSON or SARIF 2.1.0.
 *
 * Lines and columns count from 1 (libyaml's 0-based marks are converted in
 * the YAML loader, once).  Columns count bytes.  line 0 means "the whole
 * file"; file NULL means "no file" (for example a command-line problem).
 */
#ifndef ST_DIAG_H
#define ST_DIAG_H

#include <stdio.h>
#include <stddef.h>

typedef struct st_span {
	const char *file;   /* display path; must outlive the st_diags */
	int line, col;      /* start, 1-based; 0 when unknown */
	int end_line, end_col; /* inclusive end; 0 when unknown */
} st_span;

typedef enum { ST_NOTE, ST_WARNING, ST_ERROR } st_level;
/* The forms of st_diags_render (docs/cli.md):
 *   text   file:line:col: level: message [code], the source line and a
 *          caret, notes, and a summary line; for people
 *   brief  one line per finding and per note, no excerpt and no summary
 *          ("TOOL: level: ..." for a finding about no file); for findings
 *          among a command's other messages, and for grep
 *   json   {"tool","version","diagnostics":[...],"errors","warnings"},
 *          one finding a line
 *   sarif  SARIF 2.1.0, one result a line */
typedef enum { ST_FMT_TEXT, ST_FMT_JSON, ST_FMT_SARIF, ST_FMT_BRIEF } st_format;

/* The format named s ("text", "brief", "json" or "sarif"): 0, or -1 when
 * s names none.  st_format_name is the inverse. */
int st_format_parse(const char *s, st_format *f);
const char *st_format_name(st_format f);

typedef struct st_diags st_diags;

st_diags *st_diags_new(void);
void st_diags_free(st_diags *d);

/* Keep a copy of a file's text so that rendering can show its lines.
 * name is copied. */
void st_diags_add_source(st_diags *d, const char *name, const char *text,
                         size_t len);

/* As st_diags_add_source, without the copy: text, malloc'd, len bytes
 * and a NUL after them, becomes d's, freed with it; returns 1.  Returns 0
 * when d keeps a text for name already: text stays the caller's. */
int st_diags_take_source(st_diags *d, const char *name, char *text,
                         size_t len);

/* Promote warnings to errors (-Werror). Applies to findings added later
 * and to the counts. */
void st_diags_set_werror(st_diags *d, int on);
/* Code-specific settings: disable a code (-Wno-CODE). */
void st_diags_disable(st_diags *d, const char *code);

/* Add a finding. code is a stable kebab-case code such as "alt-text"; it
 * must be listed in docs/diagnostics.md.  Messages are lower case without
 * a full stop, subjects in single quotes: "unknown key 'titel'". */
void st_diag(st_diags *d, st_level lvl, const char *code, st_span sp,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Attach a note to the most recent finding (e.g. "first defined here"). */
void st_diag_note(st_diags *d, st_span sp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int st_diags_errors(const st_diags *d);
int st_diags_warnings(const st_diags *d);
size_t st_diags_count(const st_diags *d);

/* Accessors for tests and tools. */
st_level st_diags_level(const st_diags *d, size_t i);
/* The level as reported, before -Werror promoted a warning. */
st_level st_diags_reported_level(const st_diags *d, size_t i);
const char *st_diags_code(const st_diags *d, size_t i);
const char *st_diags_message(const st_diags *d, size_t i);
st_span st_diags_span(const st_diags *d, size_t i);
size_t st_diags_nnotes(const st_diags *d, size_t i);
st_span st_diags_note_span(const st_diags *d, size_t i, size_t j);
const char *st_diags_note_message(const st_diags *d, size_t i, size_t j);
/* The text kept for file name by st_diags_add_source (owned by d, valid
 * until it is freed), its length in *len; NULL when none is kept. */
const char *st_diags_source(const st_diags *d, const char *name, size_t *len);

/* Add every finding of src (with its notes) to dst, in src's order, as if
 * they were reported to dst (dst's disabled codes apply).  Spans are copied
 * as they are: their files must outlive dst.  Source texts are not copied;
 * st_diags_copy_source copies src's text of file, if src has one. */
void st_diags_append(st_diags *dst, const st_diags *src);
void st_diags_copy_source(st_diags *dst, const st_diags *src,
                          const char *file);
/* As st_diags_copy_source, but the text moves: dst keeps it and src no
 * longer has it (for a list of findings about to be freed). */
void st_diags_move_source(st_diags *dst, st_diags *src, const char *file);

/* Sort findings by file, line, column (stable), so output does not depend
 * on the order of the phases. */
void st_diags_sort(st_diags *d);

/* Render every finding in form fmt.  color: ANSI colours for a terminal
 * (text only).  tool_name: "stegc" or "steg", for JSON and SARIF and for
 * brief lines about no file.  For text, a summary line "N errors, M
 * warnings generated" follows when any. */
void st_diags_render(const st_diags *d, FILE *out, st_format fmt, int color,
                     const char *tool_name);

#endif
