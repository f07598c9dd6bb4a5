/*
 * vocab.h — the closed vocabularies of the source format, each in one
 * table that every phase reads: the loaders check against it (with "did
 * you mean"), docs/forms.md and docs/source-format.md list it, and the
 * schemas for editors spell it (a test, t0055, holds them to the table).
 * A word spelled in two places drifts; here it is spelled once.
 *
 * The words: item and field types (with what each type's answer is and
 * which keys apply to it), the `level` of a band (how severe a score is,
 * for machines) and of an alert (how soon the clinician must act), program
 * kinds and start modes.  The model (core/model.h) holds the enums; these
 * tables turn them into words and back.  Then the rules for names
 * (slugs, identifiers, exercise ids, versions, names made slugs, HSA-ids,
 * module ids from file names) and for timestamps, one function each.
 * Media kinds are core/media.h's table.
 *
 * The tables are static data; nothing is allocated but the answers of
 * st_slugify and st_module_id_of, in the caller's arena.
 */
#ifndef ST_VOCAB_H
#define ST_VOCAB_H

#include <stddef.h>
#include "model.h"
#include "util.h"

/* A word of a vocabulary, what it means, in English, and the enum value
 * it stands for in the model (0 for band levels, which stay words). */
typedef struct st_word {
	const char *word;
	const char *meaning;
	int value;
} st_word;

/* A named vocabulary: its words, in order (band levels from the least to
 * the most severe), ending with { NULL, NULL }. */
typedef struct st_vocab {
	const char *what;          /* "band level", for messages */
	const st_word *words;
} st_vocab;

extern const st_vocab st_band_levels;
extern const st_vocab st_alert_levels;    /* st_alert_level */
extern const st_vocab st_item_types;      /* st_qtype: items' seven */
extern const st_vocab st_field_types;     /* st_qtype: all ten */
extern const st_vocab st_program_kinds;   /* st_program_kind */
extern const st_vocab st_start_modes;     /* st_start_mode */

/* The type of an item whose source names none. */
#define ST_ITEM_TYPE_DEFAULT ST_Q_CHOICE

/* The enum value of word w in v; 0 when w is not one of its words. */
int st_vocab_value(const st_vocab *v, const char *w);
/* The word for value in v; NULL for 0 or a value not in v. */
const char *st_vocab_word(const st_vocab *v, int value);

/* Words of the model's enums (NULL for the NONE value). */
const char *st_qtype_name(st_qtype t);
const char *st_alert_level_name(st_alert_level l);
const char *st_program_kind_name(st_program_kind k);
const char *st_start_mode_name(st_start_mode s);

/* What a type's answer is and which keys apply to it: */
#define ST_QF_OPTIONS 1u   /* takes 'options' (choice, multi) */
#define ST_QF_RANGE   2u   /* takes 'min' and 'max' (number, scale,
                              duration; a field also 'step') */
#define ST_QF_REVERSE 4u   /* can be reverse-scored (choice, scale) */
unsigned st_qtype_flags(st_qtype t);
/* The type of its answer in expressions, an st_type of core/expr.h:
 * text and longtext a text, boolean a yes/no value, date a date, the
 * others a number (time counts minutes since midnight, duration minutes,
 * multi the sum of the chosen options' values: docs/expressions.md);
 * ST_Q_NONE a text. */
int st_qtype_value_type(st_qtype t);

/* Is w a word of v? */
int st_vocab_has(const st_vocab *v, const char *w);
/* The word of v closest to w (at most two edits, or w in another case or
 * with spaces for hyphens), for "did you mean"; NULL when none is. */
const char *st_vocab_closest(const st_vocab *v, const char *w);
/* "'a', 'b' or 'c'" into buf (always terminated, cut when too long);
 * without the quotes ("a, b or c") when quoted is 0. */
void st_vocab_list(char *buf, size_t n, const st_vocab *v, int quoted);

/* ---- names ---------------------------------------------------------------
 * docs/source-format.md, "Ids and names" and "Names in ASCII", states
 * these rules once; the words an identifier may not be are core/expr.h's
 * (the expression language's). */

/* A slug: a-z, 0-9, '-' and '.', not starting or ending with '-' or '.',
 * no ".." or ".-", at most 128 bytes.  Program and module ids. */
int st_is_slug(const char *s);
/* An identifier: [a-z][a-z0-9_]*, at most 64 bytes.  Item, field, score
 * and message ids, whatever an expression names. */
int st_is_ident(const char *s);
/* An exercise id: a slug or an identifier ("for-och-emot" and
 * "for_och_emot"); an exercise is named by expressions as
 * exercise('id'), a string, so both forms are safe. */
int st_is_exercise_id(const char *s);

/* A semantic version MAJOR.MINOR.PATCH[-pre][+build]: 0 and the three
 * numbers (each pointer may be NULL), or -1. */
int st_semver_parse(const char *s, long *maj, long *min, long *pat);
/* Precedence: -1, 0 or 1; a pre-release sorts before its release. */
int st_semver_cmp(const char *a, const char *b);

/* The slug of a name written in Latin letters (UTF-8), in the caller's
 * arena: "Oro och ångest" -> "oro-och-angest".  The one rule for names in
 * ASCII: A-Z lower-cased; Latin-1's and Latin Extended-A's letters
 * written without their marks (å ä à á â ã ā ą → a, ö ø ó ô õ ő → o,
 * é è ê ë ę ě → e, ü ú ù û ű ů → u, ç č ć → c, ñ ń ň → n, š ś ş → s,
 * ž ź ż → z, ý ÿ → y, ł → l, ð đ → d, and so on), æ → ae, œ → oe,
 * ß → ss, þ → th; combining marks (U+0300 to U+036F: a name written
 * decomposed, as macOS writes file names) dropped; a space, '_', '.',
 * '-' or a dash (U+2013, U+2014) a separator, each run of separators
 * one '-', none at either end.  Anything else (a symbol, a letter of
 * another script, bytes that are not UTF-8) has no transliteration:
 * then NULL, with *bad (when bad is not NULL) the first such character
 * as written, or "U+NNNN" for one that does not show (a control
 * character or a space of Unicode's), "\xNN" for a control character
 * of ASCII or a byte that is not UTF-8, and *suggest
 * (when not NULL) the slug of the name without such characters, NULL
 * when nothing is left.  NULL with *bad NULL: nothing of the name is
 * left (empty, or only separators), or the slug would be longer than
 * a slug may be. */
const char *st_slugify(st_arena *a, const char *name, const char **bad,
                       const char **suggest);

/* An HSA-id, as Sweden's catalogue of care organisations gives them: "SE",
 * the ten digits of the organisation number, "-", then 1 to 19 letters
 * and digits (SE2321000016-0001, SE2321000016-7P3Q): at most
 * ST_HSA_ID_MAX characters.  The one rule for a program's producer, the
 * registry's regions, units and users, a channel's publisher and a
 * signature's publisher. */
#define ST_HSA_ID_MAX 32
#define ST_HSA_ID_RULE "SE, ten digits, '-', then 1 to 19 of A-Z, a-z and 0-9"
int st_is_hsa_id(const char *s);

/* The id a module file name gives its module: digits, '-', a name, ".md",
 * the name made a slug by st_slugify ("02-beteendeaktivering.md" ->
 * "beteendeaktivering", "06-återfall.md" -> "aterfall"), in a, the
 * caller's arena.  NULL when the file name is not of that shape or its
 * name has no slug; then *suggest (when suggest is not NULL) is a file
 * name to rename it to ("06-oro&ångest.md" -> "06-oroangest.md"), or
 * NULL when none can be given (no number in front, nothing left). */
const char *st_module_id_of(st_arena *a, const char *file_name,
                            const char **suggest);

/* ---- timestamps ------------------------------------------------------------
 * Every time Steg writes or reads — a manifest's build time, a signature's
 * expiry, a channel index, the registry's rows and audit log — is UTC
 * written "YYYY-MM-DDThh:mm:ssZ", exactly 20 characters. */
#define ST_TIME_LEN 20
/* t (seconds since 1970, UTC) as a date and time of the Gregorian
 * calendar, by arithmetic (no time zone files read): ST_OK, or ST_ERR
 * for a time outside the years 0 to 9999. */
typedef struct st_civil {
	int year, month, day, hour, min, sec;   /* month 1-12, day 1-31 */
} st_civil;
int st_time_civil(long long t, st_civil *c);
/* t (seconds since 1970) into out; "0000-00-00T00:00:00Z" for a time
 * outside the years 0 to 9999. */
void st_time_format(char out[ST_TIME_LEN + 1], long long t);
/* The time s says, strictly: exactly that form, a date that exists
 * (no 2026-02-30), hours to 23, minutes and seconds to 59, year 1970 on.
 * ST_OK, or ST_ERR with *t untouched. */
int st_time_parse(long long *t, const char *s);
/* The time now, formatted. */
void st_time_now(char out[ST_TIME_LEN + 1]);

#endif
