/*
 * html_plain.h — the plain text of an XHTML fragment, for FHIR's
 * rendering-xhtml extension (docs/fhir.md, "Import"): what a reader sees
 * when the markup is taken away.  Tags are removed (the content of
 * <script> and <style> with them, comments too), block elements and <br>
 * separate words, character references are decoded, runs of white space
 * become one space and the ends are trimmed.  No markup survives: the
 * result is text, to be escaped wherever it goes.  A character reference
 * to a control character, a surrogate or beyond U+10FFFF is dropped, as
 * is every control character of the input.
 */
#ifndef SC_HTML_PLAIN_H
#define SC_HTML_PLAIN_H

#include "util.h"

/* The plain text of html (NUL-terminated UTF-8), in a.  *formatted (when
 * not NULL) is set to 1 when the fragment had markup that changes how the
 * text looks (anything but div, p, span and br: emphasis, links, lists,
 * images, headings...), which the plain text loses; else 0. */
char *sc_html_plain(st_arena *a, const char *html, int *formatted);

#endif
