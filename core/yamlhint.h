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
 * at a tab, to indent with spaces.  Pure: it reads bytes, reports nothing.
 */
#ifndef ST_YAMLHINT_H
#define ST_YAMLHINT_H

#include <stddef.h>

typedef struct st_yaml_hint {
	size_t from, to;    /* bytes [from, to) of the line the hint is about */
	char *msg;          /* the note's text; owned by the caller (free) */
} st_yaml_hint;

/* line: the n bytes of one line (no newline); col: the 0-based byte offset
 * where the parser stopped on it.  Returns 1 and fills *h when there is a
 * hint, 0 (h untouched) when there is none. */
int st_yaml_hint_line(const char *line, size_t n, size_t col, st_yaml_hint *h);

#endif
