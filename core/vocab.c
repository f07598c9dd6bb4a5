/*
 * vocab.c — the closed vocabularies of the source format (vocab.h).
 *
 * Band levels name how severe a score is in words that the published
 * instruments use (PHQ-9: none–minimal, mild, moderate, moderately severe,
 * severe; GAD-7: minimal to severe; ISI: subthreshold; PSS-10 and
 * Fagerström: low to very high; DASS: extremely severe), so that a
 * registry, a journal or a dashboard can sort and colour results without
 * reading the Swedish label.  The order is from the least to the most
 * severe.  Alert levels say how soon the clinician must act.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "strmap.h"
#include "vocab.h"

static const st_word band_words[] = {
	{ "none", "no symptoms, or none of clinical significance" },
	{ "minimal", "minimal symptoms" },
	{ "low", "low (risk, stress, dependence)" },
	{ "mild", "mild symptoms" },
	{ "subthreshold", "below the clinical threshold" },
	{ "moderate", "moderate symptoms" },
	{ "moderately-severe", "moderately severe symptoms" },
	{ "high", "high (risk, stress, dependence)" },
	{ "severe", "severe symptoms" },
	{ "very-high", "very high (risk, dependence)" },
	{ "extremely-severe", "extremely severe symptoms" },
	{ NULL, NULL }
};

static const st_word alert_words[] = {
	{ "info", "for the clinician's information, at the next review" },
	{ "warning", "the clinician should look soon" },
	{ "urgent", "the clinician must act today" },
	{ NULL, NULL }
};

const st_vocab st_band_levels = { "band level", band_words };
const st_vocab st_alert_levels = { "alert level", alert_words };

int st_vocab_has(const st_vocab *v, const char *w)
{
	if (!w)
		return 0;
	for (const st_word *x = v->words; x->word; x++)
		if (!strcmp(x->word, w))
			return 1;
	return 0;
}

/* w in lower case with spaces and underscores as hyphens ("Moderately
 * severe" -> "moderately-severe"); 0 when too long to be a word. */
static int fold(char *out, size_t n, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++) {
		if (i + 1 >= n)
			return 0;
		unsigned char ch = (unsigned char)w[i];
		out[i] = ch == ' ' || ch == '_' ? '-' : (char)tolower(ch);
	}
	out[i] = 0;
	return 1;
}

const char *st_vocab_closest(const st_vocab *v, const char *w)
{
	char f[64];
	const char *best = NULL;
	size_t bd = 3;
	if (!w)
		return NULL;
	if (fold(f, sizeof f, w))
		for (const st_word *x = v->words; x->word; x++)
			if (!strcmp(x->word, f))
				return x->word;
	for (const st_word *x = v->words; x->word; x++) {
		size_t d = st_edit_distance(w, x->word);
		if (d < bd) {
			bd = d;
			best = x->word;
		}
	}
	return best;
}

void st_vocab_list(char *buf, size_t n, const st_vocab *v)
{
	size_t used = 0;
	if (!n)
		return;
	buf[0] = 0;
	for (size_t i = 0; v->words[i].word && used < n; i++) {
		const char *sep = !i ? "" : v->words[i + 1].word ? ", " : " or ";
		int k = snprintf(buf + used, n - used, "%s'%s'", sep,
		                 v->words[i].word);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}
