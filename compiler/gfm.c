/*
 * gfm.c — pipe table rows and callout kinds (gfm.h).
 */
#include "gfm.h"

#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

size_t sc_gfm_cells(const char *line, size_t n, sc_cell *cells, size_t max)
{
	size_t i = 0, count = 0;
	while (n > 0 && (blank(line[n - 1]) || line[n - 1] == '\r'))
		n--;
	while (i < n && blank(line[i]))
		i++;
	if (i < n && line[i] == '|')
		i++;
	/* a closing '|' (not escaped) ends the row */
	if (n > i && line[n - 1] == '|' && !(n >= 2 && line[n - 2] == '\\'))
		n--;
	for (;;) {
		size_t s = i;
		while (i < n && !(line[i] == '|' && !(i > 0 && line[i - 1] == '\\')))
			i++;
		size_t a = s, b = i;
		while (a < b && blank(line[a]))
			a++;
		while (b > a && blank(line[b - 1]))
			b--;
		if (count < max)
			cells[count] = (sc_cell){ a, b };
		count++;
		if (i >= n)
			break;
		i++;   /* the '|' */
	}
	return count;
}

int sc_gfm_delimiter_row(const char *line, size_t n, sc_align *aligns,
                         size_t max, size_t *ncols)
{
	sc_cell c[SC_GFM_MAX_COLS + 1];
	if (!memchr(line, '|', n))
		return 0;
	size_t k = sc_gfm_cells(line, n, c, SC_GFM_MAX_COLS + 1);
	if (k > SC_GFM_MAX_COLS)
		return 0;
	for (size_t j = 0; j < k; j++) {
		const char *s = line + c[j].from;
		size_t len = c[j].to - c[j].from, a = 0, b = len;
		int left = len && s[0] == ':', right = len > 1 && s[len - 1] == ':';
		a += (size_t)left;
		b -= (size_t)right;
		if (a >= b)
			return 0;
		for (size_t i = a; i < b; i++)
			if (s[i] != '-')
				return 0;
		if (j < max)
			aligns[j] = left && right ? SC_ALIGN_CENTER :
			            right ? SC_ALIGN_RIGHT :
			            left ? SC_ALIGN_LEFT : SC_ALIGN_NONE;
	}
	*ncols = k;
	return 1;
}

/* Kinds in GitHub's order; each has its English and Swedish words. */
static const struct {
	const char *cls, *en, *sv, *label_en, *label_sv;
} kinds[] = {
	{ "note", "NOTE", "OBS", "Note", "Obs" },
	{ "tip", "TIP", "TIPS", "Tip", "Tips" },
	{ "important", "IMPORTANT", "VIKTIGT", "Important", "Viktigt" },
	{ "warning", "WARNING", "VARNING", "Warning", "Varning" },
	{ "caution", "CAUTION", "FÖRSIKTIGHET", "Caution", "Försiktighet" },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const sc_gfm_callout_words[] = {
	"NOTE", "OBS", "TIP", "TIPS", "IMPORTANT", "VIKTIGT", "WARNING",
	"VARNING", "CAUTION", "FÖRSIKTIGHET", NULL
};

int sc_gfm_callout_kind(const char *word, size_t n)
{
	char up[32];
	if (n == 0 || n >= sizeof up)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)word[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 0x20);
		/* å ä ö é ... (U+00E0..U+00FE but U+00F7) -> Å Ä Ö É */
		else if (i > 0 && (unsigned char)word[i - 1] == 0xC3 &&
		         c >= 0xA0 && c <= 0xBE && c != 0xB7)
			c = (unsigned char)(c - 0x20);
		up[i] = (char)c;
	}
	up[n] = 0;
	for (size_t k = 0; k < NKINDS; k++)
		if (!strcmp(up, kinds[k].en) || !strcmp(up, kinds[k].sv))
			return (int)k;
	return -1;
}

const char *sc_gfm_callout_class(int kind)
{
	return kind >= 0 && (size_t)kind < NKINDS ? kinds[kind].cls : "note";
}

const char *sc_gfm_callout_label(int kind, const char *lang)
{
	if (kind < 0 || (size_t)kind >= NKINDS)
		kind = 0;
	return lang && !strncmp(lang, "sv", 2) && (!lang[2] || lang[2] == '-')
	       ? kinds[kind].label_sv : kinds[kind].label_en;
}
