/*
 * lix.c — the readability index LIX, counted as text streams past (see
 * lix.h for the formula and why it is a stream).
 *
 * The text is cut into tokens at white space.  A token with at least one
 * letter is a word; its length is the number of letters in it (code
 * points, not bytes; digits, hyphens and apostrophes do not count).  A
 * sentence ends at a token that ends in '.', '!', '?', ':' or '…', and at
 * the end of every block.  A dot does not end a sentence after a common
 * abbreviation: a token with a dot inside it ("t.ex.", "bl.a.", "e.g.")
 * or one of a short list of Swedish abbreviations ("osv.", "dvs.", "ca.").
 * This is the classic definition (Björnsson 1968) as tools such as
 * lix.se count it; any rule here only nudges the value a little.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "lix.h"

void sc_lix_init(sc_lix *l)
{
	memset(l, 0, sizeof *l);
}

/* Abbreviations that end in a dot without ending the sentence (written
 * without their dot, lower case). */
static const char *const abbrevs[] = {
	"osv", "dvs", "ca", "etc", "resp", "jfr", "obs", "kl", "nr", "st",
	"tel", "inkl", "exkl", "bl", "ev", "fr", "sk", "mm", "tex", "mfl",
	"eg", "ie", "vs", NULL
};

/* The abbreviations as words of up to eight bytes, zero-padded (packed
 * once: is_abbrev runs at every dot that ends a token). */
static uint64_t abbrev_words[sizeof abbrevs / sizeof *abbrevs];
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;   /* modules load on several threads */

static void pack_abbrevs(void)
{
	for (size_t i = 0; abbrevs[i]; i++)
		memcpy(&abbrev_words[i], abbrevs[i], strlen(abbrevs[i]));
}

static int is_abbrev(const sc_lix *l)
{
	size_t n = l->tok_ascii_len;
	if (n == 0 || n >= SC_LIX_ASCII)
		return 0;
	pthread_once(&abbrev_once, pack_abbrevs);
	uint64_t w = 0;
	memcpy(&w, l->tok_ascii, n);
	for (size_t i = 0; abbrevs[i]; i++)
		if (abbrev_words[i] == w)
			return 1;
	return 0;
}

static void end_sentence(sc_lix *l)
{
	if (l->open_words) {
		l->sentences++;
		l->open_words = 0;
	}
}

static inline void end_token(sc_lix *l)
{
	if (l->tok_has_letter) {
		l->words++;
		l->open_words++;
		if (l->tok_letters > 6)
			l->long_words++;
	}
	if (l->tok_end == 2 ||
	    (l->tok_end == 1 && !l->tok_inner_dot && !is_abbrev(l)))
		end_sentence(l);
	l->tok_letters = 0;
	l->tok_has_letter = 0;
	l->tok_inner_dot = 0;
	l->tok_end = 0;
	l->tok_ascii_len = 0;
	l->prev_dot = 0;
}

/* A letter: ASCII letters and the letters of the other scripts.  Outside
 * ASCII everything from U+00C0 on counts except the few symbols in
 * Latin-1, the punctuation and symbol blocks and emoji: an approximation
 * that is exact for Swedish, the other Nordic languages, and the languages
 * of the programs' translations (Arabic, Somali, Tigrinya, Persian). */
static int is_letter(unsigned cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF)   /* punctuation, symbols, arrows */
		return 0;
	if (cp >= 0x3000 && cp <= 0x303F)
		return 0;
	if (cp >= 0xFE00 && cp <= 0xFE0F)   /* variation selectors */
		return 0;
	if (cp >= 0x1F000)                  /* emoji and pictographs */
		return 0;
	return 1;
}

static int is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == '\f' || cp == '\v' || cp == 0xA0 || cp == 0x2009 ||
	       cp == 0x202F || cp == 0x200B || cp == 0x2002 || cp == 0x2003;
}

/* Characters that may follow a sentence's end mark in the same token:
 * closing quotes and brackets ("Nej!" ”Ja.” (se nedan.)). */
static int is_closer(unsigned cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
	       cp == 0x201D || cp == 0x2019 || cp == 0xBB || cp == '*' ||
	       cp == '_';
}

static void add_cp(sc_lix *l, unsigned cp)
{
	if (is_space(cp)) {
		end_token(l);
		return;
	}
	if (is_letter(cp)) {
		if (l->prev_dot && l->tok_has_letter)
			l->tok_inner_dot = 1;
		l->tok_has_letter = 1;
		l->tok_letters++;
		l->tok_end = 0;
		if (cp < 0x80 && l->tok_ascii_len < SC_LIX_ASCII)
			l->tok_ascii[l->tok_ascii_len++] = (char)(cp | 0x20);
		else
			l->tok_ascii_len = SC_LIX_ASCII; /* not an abbreviation */
		l->prev_dot = 0;
		return;
	}
	if (cp == '.') {
		if (l->tok_end != 2)
			l->tok_end = 1;
		l->prev_dot = 1;
		return;
	}
	l->prev_dot = 0;
	if (cp == '!' || cp == '?' || cp == ':' || cp == 0x2026) {
		l->tok_end = 2;
		return;
	}
	if (is_closer(cp))
		return;
	l->tok_end = 0;
}

/* A letter that a run takes whole: an ASCII letter (1), or a two-byte
 * U+00C0-U+00FF letter (2: å, ä, ö, é, ü and the rest of Latin-1's
 * letters, less × and ÷); 0 for anything else.  s is valid UTF-8. */
static inline int run_letter(const unsigned char *p, const unsigned char *e)
{
	unsigned c = *p;
	if ((c | 0x20) - 'a' < 26u)
		return 1;
	if (c == 0xC3 && e - p >= 2 && p[1] != 0x97 && p[1] != 0xB7)
		return 2;
	return 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101u
#define HIGH 0x8080808080808080u
/* How many of the eight bytes at p are ASCII letters, from the first on
 * (a word-wide test; no byte's sum carries into the next). */
static inline size_t ascii_letters8(const unsigned char *p, uint64_t *w)
{
	memcpy(w, p, 8);
	uint64_t x = (*w | 0x20 * ONES) & 0x7F * ONES;   /* folded to lower case */
	uint64_t ge_a = (x + 0x1F * ONES) & HIGH;       /* x >= 'a' */
	uint64_t le_z = ~(x + 0x05 * ONES) & HIGH;      /* x <= 'z' */
	uint64_t other = ~(ge_a & le_z & ~*w) & HIGH;
	return other ? (size_t)__builtin_ctzll(other) >> 3 : 8;
}
#endif

/* The run of letters at p (run_letter(p) is k, not 0) into the token in
 * progress; returns where the run ends. */
static const unsigned char *letter_run(sc_lix *l, const unsigned char *p,
                                       const unsigned char *e, int k)
{
	size_t letters = l->tok_letters, len = l->tok_ascii_len;
	do {
#ifdef ONES
		/* ASCII letters eight at a time; the first SC_LIX_ASCII of
		 * the token kept in lower case (eight bytes stored, len says
		 * how many count) */
		while (k == 1 && e - p >= 8) {
			uint64_t w;
			size_t n = ascii_letters8(p, &w);
			if (len < SC_LIX_ASCII) {
				uint64_t low = w | 0x20 * ONES;
				memcpy(l->tok_ascii + len, &low, 8);
				len = len + n < SC_LIX_ASCII ? len + n : SC_LIX_ASCII;
			}
			letters += n;
			p += n;
			if (n < 8) {
				k = p < e ? run_letter(p, e) : 0;
				break;
			}
			k = p < e ? run_letter(p, e) : 0;
		}
		if (!k)
			break;
#endif
		letters++;
		if (k == 2)
			len = SC_LIX_ASCII;  /* not an abbreviation */
		else if (len < SC_LIX_ASCII)
			l->tok_ascii[len++] = (char)(*p | 0x20);
		p += k;
	} while (p < e && (k = run_letter(p, e)) != 0);
	l->tok_letters = letters;
	l->tok_ascii_len = len;
	return p;
}

void sc_lix_feed(sc_lix *l, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p, cp;
		int k = run_letter(p, e);
		if (k) {
			/* Runs of letters are most of the text: the whole run at
			 * once, with the state updated once (the same effect as
			 * add_cp letter by letter). */
			if (l->prev_dot && l->tok_has_letter)
				l->tok_inner_dot = 1;
			l->tok_has_letter = 1;
			l->tok_end = 0;
			l->prev_dot = 0;
			p = letter_run(l, p, e, k);
			continue;
		}
		if (c < 0x80) {
			p++;
			if (c == ' ') {
				end_token(l);
				continue;
			}
			cp = c;
		} else if (c < 0xE0 && e - p >= 2) {
			cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
			p += 2;
		} else if (c >= 0xE0 && c < 0xF0 && e - p >= 3) {
			cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			p += 3;
		} else if (c >= 0xF0 && e - p >= 4) {
			cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
			     ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
			p += 4;
		} else {
			break;  /* truncated: the input is validated before */
		}
		add_cp(l, cp);
	}
}

void sc_lix_space(sc_lix *l)
{
	end_token(l);
}

void sc_lix_end_block(sc_lix *l)
{
	end_token(l);
	end_sentence(l);
}

double sc_lix_value(const sc_lix *l)
{
	if (!l->words)
		return 0;
	size_t s = l->sentences ? l->sentences : 1;
	return (double)l->words / (double)s +
	       100.0 * (double)l->long_words / (double)l->words;
}

sc_lix_mark sc_lix_mark_of(const sc_lix *l)
{
	return (sc_lix_mark){ l->words, l->long_words, l->sentences };
}

sc_lix sc_lix_since(const sc_lix *l, const sc_lix_mark *m)
{
	sc_lix r;
	sc_lix_init(&r);
	r.words = l->words - m->words;
	r.long_words = l->long_words - m->long_words;
	r.sentences = l->sentences - m->sentences;
	return r;
}
