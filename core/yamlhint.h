/*
 * yamlhint.h — what a YAML syntax error on one line most likely means,
 * said as a designer can act on it.
 *
 * libyaml's messages ("mapping values are not allowed in this context")
 * name the parser's state, not the fix.  Most errors a content designer
 * meets come from a text written without quotes that holds or starts with
 * something YAML reads as syntax: "title: Steg 1: börja", "text: *obs*",
 * "text: - punkt", "text: @hem".  Given the line where the parser stopped,
 * st_yaml_hint_line recognises a line "key: value" (also after list dashes)
 * whose value holds the stopping point, and says to put the text in quotes,
 * with the corrected "key: value" written out; or, when the parser stopped
 * at a tab, to indent with spaces.  Errors of layout (indentation, a
 * missing '-' or ': ') need the lines above: st_yaml_hint_layout.  Pure:
 * it reads bytes, reports nothing.
 */
#ifndef ST_YAMLHINT_H
#define ST_YAMLHINT_H

#include <stddef.h>

typedef struct st_yaml_hint {
	size_t line;        /* st_yaml_hint_layout: the 0-based line the hint
	                       is about (st_yaml_hint_line: not set) */
	size_t from, to;    /* bytes [from, to) of the line the hint is about */
	char *msg;          /* the note's text; owned by the caller (free) */
} st_yaml_hint;

/* line: the n bytes of one line (no newline); col: the 0-based byte offset
 * where the parser stopped on it.  Returns 1 and fills *h when there is a
 * hint, 0 (h untouched) when there is none. */
int st_yaml_hint_line(const char *line, size_t n, size_t col, st_yaml_hint *h);

/* A whole YAML text, as st_yaml_hint_layout reads the lines around the
 * stopping point. */
typedef struct st_yaml_text {
	const char *text;
	size_t len;
	const size_t *lines;    /* byte offset of each line's start */
	size_t nlines;
	int line_base, col_base;    /* added to the 1-based line and column
	                               numbers a message names (a module's
	                               front matter starts on line 2) */
} st_yaml_text;

/* Where libyaml stopped and why, as st_yaml_hint_layout takes it. */
typedef struct st_yaml_stop {
	const char *problem;    /* libyaml's problem text */
	size_t line, col;       /* 0-based line, byte offset on it */
	int has_ctx;            /* libyaml gave a context mark: */
	size_t ctx_line, ctx_col;   /* where the collection or key it was
	                               reading began */
} st_yaml_stop;

/* A syntax error of layout: a list '-' out of line with the list's other
 * entries, an entry without its '-', a key indented under a key whose
 * value is a text, a key lined up with nothing above it, a line in a
 * mapping that is not "key: value".  Says what to do, naming the columns
 * and lines of the keys and dashes above.  Returns 1 and fills *h (the
 * hint may be about a line before the stop, h->line), 0 when the layout
 * explains nothing.  Pure, like st_yaml_hint_line. */
int st_yaml_hint_layout(const st_yaml_text *t, const st_yaml_stop *stop,
                        st_yaml_hint *h);

#endif
