/*
 * vocab.h — the closed vocabularies of the source format, each in one
 * table that every phase reads: the loaders check against it (with "did
 * you mean"), docs/forms.md and docs/source-format.md list it, and the
 * schemas for editors spell it (a test, t0055, holds them to the table).
 * A word spelled in two places drifts; here it is spelled once.
 *
 * Today: the `level` of a band (how severe a score is, for machines) and
 * the `level` of an alert (how soon the clinician must act).  Item and
 * field types, media kinds and the id rules are to move here too.
 *
 * The tables are static data; nothing is allocated.
 */
#ifndef ST_VOCAB_H
#define ST_VOCAB_H

#include <stddef.h>

/* A word of a vocabulary and what it means, in English. */
typedef struct st_word {
	const char *word;
	const char *meaning;
} st_word;

/* A named vocabulary: its words, in order (band levels from the least to
 * the most severe), ending with { NULL, NULL }. */
typedef struct st_vocab {
	const char *what;          /* "band level", for messages */
	const st_word *words;
} st_vocab;

extern const st_vocab st_band_levels;
extern const st_vocab st_alert_levels;

/* Is w a word of v? */
int st_vocab_has(const st_vocab *v, const char *w);
/* The word of v closest to w (at most two edits, or w in another case or
 * with spaces for hyphens), for "did you mean"; NULL when none is. */
const char *st_vocab_closest(const st_vocab *v, const char *w);
/* "'a', 'b' or 'c'" into buf (always terminated, cut when too long). */
void st_vocab_list(char *buf, size_t n, const st_vocab *v);

#endif
