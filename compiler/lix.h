/*
 * lix.h — the readability index LIX (läsbarhetsindex) of running text,
 * counted as the text streams past.
 *
 *   LIX = words / sentences + 100 * long words / words
 *
 * where a long word has more than six letters.  The Markdown loader feeds
 * the text of paragraphs, headings, list items and links while it renders
 * them (one pass), and never code, alternative text or components.  The
 * counter works on UTF-8 and counts letters as code points, so that
 * "självkänsla" has eleven letters, not fourteen bytes.
 *
 * A word may arrive in pieces ("själv" in one node, "känsla" in the next,
 * as emphasis splits text), so the state carries the token in progress.
 */
#ifndef SC_LIX_H
#define SC_LIX_H

#include <stddef.h>

#define SC_LIX_ASCII 8

typedef struct sc_lix {
	size_t words;
	size_t long_words;
	size_t sentences;
	/* the token (run of non-space characters) in progress */
	size_t tok_letters;
	int tok_has_letter;
	int tok_inner_dot;        /* "t.ex.", "bl.a.": a dot inside the token */
	int tok_end;              /* 0 none, 1 '.', 2 '!' '?' ':' '…' */
	char tok_ascii[2 * SC_LIX_ASCII]; /* its first SC_LIX_ASCII letters in
	                          lower case, for abbreviations (twice the room:
	                          lix.c stores eight bytes at a time) */
	size_t tok_ascii_len;     /* SC_LIX_ASCII: too long or not ASCII */
	size_t open_words;        /* words since the last sentence end */
	int prev_dot;             /* the previous character was a '.' */
} sc_lix;

/* Below this many words LIX says nothing (no warning, no figure): one
 * long word in a two-word caption would score 52. */
#define SC_LIX_MIN_WORDS 20

void sc_lix_init(sc_lix *l);
/* Feed n bytes of valid UTF-8 running text. */
void sc_lix_feed(sc_lix *l, const char *s, size_t n);
/* A word boundary that is not in the text (inline code, a line break). */
void sc_lix_space(sc_lix *l);
/* The end of a block (paragraph, heading): ends the sentence. */
void sc_lix_end_block(sc_lix *l);
/* The index; 0 when there are no words. */
double sc_lix_value(const sc_lix *l);

/* The counts at one point of the text, to weigh a part of it. */
typedef struct sc_lix_mark {
	size_t words, long_words, sentences;
} sc_lix_mark;

sc_lix_mark sc_lix_mark_of(const sc_lix *l);
/* The counts of the text fed since m (an sc_lix with only words,
 * long_words and sentences set, for sc_lix_value). */
sc_lix sc_lix_since(const sc_lix *l, const sc_lix_mark *m);

#endif
