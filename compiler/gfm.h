/*
 * gfm.h — the two GitHub-flavoured blocks Steg reads on top of CommonMark:
 * pipe tables and callouts (docs/markdown.md, "Tables" and "Callouts").
 *
 * cmark 0.30 reads a pipe table as a paragraph and a callout as a block
 * quote; the Markdown loader (markdown.c) finds them in its tree and asks
 * here what the source lines mean.  Everything here is pure: it reads
 * bytes of one line, allocates nothing and reports nothing.
 */
#ifndef SC_GFM_H
#define SC_GFM_H

#include <stddef.h>

#define SC_GFM_MAX_COLS 32

typedef enum { SC_ALIGN_NONE, SC_ALIGN_LEFT, SC_ALIGN_CENTER,
               SC_ALIGN_RIGHT } sc_align;

/* One cell of a table row: bytes [from, to) of the line, blanks trimmed,
 * '\|' still escaped. */
typedef struct sc_cell {
	size_t from, to;
} sc_cell;

/* Split a table row into cells at every '|' not escaped by a backslash;
 * a leading and a trailing '|' open and close the row.  Fills at most max
 * cells and returns how many the row has (possibly more than max). */
size_t sc_gfm_cells(const char *line, size_t n, sc_cell *cells, size_t max);

/* 1 when line is a delimiter row ("| --- | :-: | --: |", "---|---"): every
 * cell is dashes with an optional ':' at either end, and there is a '|'.
 * Fills aligns (at most max) and *ncols. */
int sc_gfm_delimiter_row(const char *line, size_t n, sc_align *aligns,
                         size_t max, size_t *ncols);

/* A callout's kind, by the word between "[!" and "]" (any case, UTF-8):
 * an index into the kinds below, or -1 when word is no kind. */
int sc_gfm_callout_kind(const char *word, size_t n);
/* Its class name ("note", "tip", "important", "warning", "caution"). */
const char *sc_gfm_callout_class(int kind);
/* Its label in the program's language (Swedish for "sv", else English). */
const char *sc_gfm_callout_label(int kind, const char *lang);
/* Every word a callout may be written with, NULL-terminated (for "did you
 * mean" and docs). */
extern const char *const sc_gfm_callout_words[];

#endif
