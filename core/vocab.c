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
 *
 * Item and field types: the six of items are a subset of the ten of
 * fields, and one enum (st_qtype) names both; what a type's answer is in
 * expressions and which keys apply to it is the qtypes table below, which
 * the loaders, the checker, the scorer and the interval analysis read.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "expr.h"
#include "strmap.h"
#include "vocab.h"

static const st_word band_words[] = {
	{ "none", "no symptoms, or none of clinical significance", 0 },
	{ "minimal", "minimal symptoms", 0 },
	{ "low", "low (risk, stress, dependence)", 0 },
	{ "mild", "mild symptoms", 0 },
	{ "subthreshold", "below the clinical threshold", 0 },
	{ "moderate", "moderate symptoms", 0 },
	{ "moderately-severe", "moderately severe symptoms", 0 },
	{ "high", "high (risk, stress, dependence)", 0 },
	{ "severe", "severe symptoms", 0 },
	{ "very-high", "very high (risk, dependence)", 0 },
	{ "extremely-severe", "extremely severe symptoms", 0 },
	{ NULL, NULL, 0 }
};

static const st_word alert_words[] = {
	{ "info", "for the clinician's information, at the next review",
	  ST_ALERT_INFO },
	{ "warning", "the clinician should look soon", ST_ALERT_WARNING },
	{ "urgent", "the clinician must act today", ST_ALERT_URGENT },
	{ NULL, NULL, 0 }
};

/* In the order messages list them ("'type' must be 'choice', ..."). */
static const st_word item_type_words[] = {
	{ "choice", "one of the options (the default)", ST_Q_CHOICE },
	{ "number", "a number, within 'min' and 'max' when given", ST_Q_NUMBER },
	{ "text", "free text", ST_Q_TEXT },
	{ "boolean", "yes or no", ST_Q_BOOLEAN },
	{ "date", "a date", ST_Q_DATE },
	{ "scale", "a whole number from 'min' to 'max'", ST_Q_SCALE },
	{ "longtext", "a free comment of several lines, never scored",
	  ST_Q_LONGTEXT },
	{ NULL, NULL, 0 }
};

static const st_word field_type_words[] = {
	{ "text", "a line of text", ST_Q_TEXT },
	{ "longtext", "several lines of text", ST_Q_LONGTEXT },
	{ "number", "a number", ST_Q_NUMBER },
	{ "scale", "a number from 'min' to 'max' in steps", ST_Q_SCALE },
	{ "choice", "one of the options", ST_Q_CHOICE },
	{ "multi", "any of the options", ST_Q_MULTI },
	{ "boolean", "yes or no", ST_Q_BOOLEAN },
	{ "date", "a date", ST_Q_DATE },
	{ "time", "a time of day", ST_Q_TIME },
	{ "duration", "a length of time, in minutes", ST_Q_DURATION },
	{ NULL, NULL, 0 }
};

static const st_word kind_words[] = {
	{ "treatment", "treatment of a condition", ST_KIND_TREATMENT },
	{ "support", "support alongside care", ST_KIND_SUPPORT },
	{ "education", "education of the patient", ST_KIND_EDUCATION },
	{ "screening", "finding who needs care", ST_KIND_SCREENING },
	{ NULL, NULL, 0 }
};

static const st_word start_words[] = {
	{ "clinician", "a clinician starts it for the patient", ST_START_CLINICIAN },
	{ "self", "the patient starts it", ST_START_SELF },
	{ NULL, NULL, 0 }
};

const st_vocab st_band_levels = { "band level", band_words };
const st_vocab st_alert_levels = { "alert level", alert_words };
const st_vocab st_item_types = { "item type", item_type_words };
const st_vocab st_field_types = { "field type", field_type_words };
const st_vocab st_program_kinds = { "program kind", kind_words };
const st_vocab st_start_modes = { "start mode", start_words };

/* What each type's answer is and which keys apply to it (vocab.h). */
static const struct {
	int value_type;
	unsigned flags;
} qtypes[] = {
	[ST_Q_NONE]     = { ST_TYPE_TEXT, 0 },
	[ST_Q_TEXT]     = { ST_TYPE_TEXT, 0 },
	[ST_Q_LONGTEXT] = { ST_TYPE_TEXT, 0 },
	[ST_Q_NUMBER]   = { ST_TYPE_NUMBER, ST_QF_RANGE },
	[ST_Q_SCALE]    = { ST_TYPE_NUMBER, ST_QF_RANGE | ST_QF_REVERSE },
	[ST_Q_CHOICE]   = { ST_TYPE_NUMBER, ST_QF_OPTIONS | ST_QF_REVERSE },
	[ST_Q_MULTI]    = { ST_TYPE_NUMBER, ST_QF_OPTIONS },
	[ST_Q_BOOLEAN]  = { ST_TYPE_BOOL, 0 },
	[ST_Q_DATE]     = { ST_TYPE_DATE, 0 },
	[ST_Q_TIME]     = { ST_TYPE_NUMBER, 0 },
	[ST_Q_DURATION] = { ST_TYPE_NUMBER, ST_QF_RANGE },
};

unsigned st_qtype_flags(st_qtype t)
{
	return (unsigned)t < sizeof qtypes / sizeof *qtypes ? qtypes[t].flags : 0;
}

int st_qtype_value_type(st_qtype t)
{
	return (unsigned)t < sizeof qtypes / sizeof *qtypes
	       ? qtypes[t].value_type : ST_TYPE_TEXT;
}

int st_vocab_value(const st_vocab *v, const char *w)
{
	if (!w)
		return 0;
	for (const st_word *x = v->words; x->word; x++)
		if (!strcmp(x->word, w))
			return x->value;
	return 0;
}

const char *st_vocab_word(const st_vocab *v, int value)
{
	if (!value)
		return NULL;
	for (const st_word *x = v->words; x->word; x++)
		if (x->value == value)
			return x->word;
	return NULL;
}

const char *st_qtype_name(st_qtype t)
{
	return st_vocab_word(&st_field_types, (int)t);
}

const char *st_alert_level_name(st_alert_level l)
{
	return st_vocab_word(&st_alert_levels, (int)l);
}

const char *st_program_kind_name(st_program_kind k)
{
	return st_vocab_word(&st_program_kinds, (int)k);
}

const char *st_start_mode_name(st_start_mode s)
{
	return st_vocab_word(&st_start_modes, (int)s);
}

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
	int rank = -1;
	if (!w)
		return NULL;
	if (fold(f, sizeof f, w))
		for (const st_word *x = v->words; x->word; x++)
			if (!strcmp(x->word, f))
				return x->word;
	for (const st_word *x = v->words; x->word; x++)
		best = st_suggest_pick(w, best, &rank, x->word);
	return best;
}

void st_vocab_list(char *buf, size_t n, const st_vocab *v, int quoted)
{
	const char *q = quoted ? "'" : "";
	size_t used = 0;
	if (!n)
		return;
	buf[0] = 0;
	for (size_t i = 0; v->words[i].word && used < n; i++) {
		const char *sep = !i ? "" : v->words[i + 1].word ? ", " : " or ";
		int k = snprintf(buf + used, n - used, "%s%s%s%s", sep, q,
		                 v->words[i].word, q);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* ---- names ------------------------------------------------------------- */

int st_is_slug(const char *s)
{
	if (!s || !*s || *s == '.' || *s == '-')
		return 0;
	size_t n = strlen(s);
	if (s[n - 1] == '.' || s[n - 1] == '-' || n > 128)
		return 0;
	for (const char *p = s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			continue;
		if ((*p == '-' || *p == '.') && p[1] != '.' && !(p[1] == '-' && *p == '.'))
			continue;
		return 0;
	}
	return 1;
}

int st_is_ident(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z') || strlen(s) > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static int num(const char **p, long *out)
{
	const char *s = *p;
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (errno || v < 0 || v > 1000000000L)
		return -1;
	*out = v;
	*p = end;
	return 0;
}

int st_semver_parse(const char *s, long *maj, long *min, long *pat)
{
	long a, b, c;
	if (!s || num(&s, &a) || *s++ != '.' || num(&s, &b) || *s++ != '.' ||
	    num(&s, &c))
		return -1;
	if (*s == '-' || *s == '+') {
		const char *q = s + 1;
		if (!*q)
			return -1;
		for (; *q; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			      (*q >= '0' && *q <= '9') || *q == '.' || *q == '-' || *q == '+'))
				return -1;
	} else if (*s) {
		return -1;
	}
	if (maj) *maj = a;
	if (min) *min = b;
	if (pat) *pat = c;
	return 0;
}

/* Compare precedence; a pre-release sorts before its release.  Pre-release
 * parts compare as text (enough for -rc.1 < -rc.2 with one digit). */
int st_semver_cmp(const char *x, const char *y)
{
	long a[3] = { 0 }, b[3] = { 0 };
	st_semver_parse(x, &a[0], &a[1], &a[2]);
	st_semver_parse(y, &b[0], &b[1], &b[2]);
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	const char *px = strchr(x, '-'), *py = strchr(y, '-');
	if (!px && !py)
		return 0;
	if (!px)
		return 1;
	if (!py)
		return -1;
	int c = strcmp(px, py);
	return c < 0 ? -1 : c > 0;
}

int st_is_hsa_id(const char *s)
{
	size_t i = 0;
	if (!s || s[0] != 'S' || s[1] != 'E')
		return 0;
	for (i = 2; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[i++] != '-' || !s[i])
		return 0;
	for (; s[i]; i++)
		if (i >= ST_HSA_ID_MAX ||
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

int st_is_exercise_id(const char *s)
{
	return st_is_slug(s) || st_is_ident(s);
}

/* Latin-1's letters U+00C0 to U+00FF written in ASCII, lower case; NULL
 * for × and ÷, which are not letters. */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",       /* À Á Â Ã Ä Å Æ Ç */
	"e", "e", "e", "e", "i", "i", "i", "i",        /* È É Ê Ë Ì Í Î Ï */
	"d", "n", "o", "o", "o", "o", "o", NULL,       /* Ð Ñ Ò Ó Ô Õ Ö × */
	"o", "u", "u", "u", "u", "y", "th", "ss",      /* Ø Ù Ú Û Ü Ý Þ ß */
	"a", "a", "a", "a", "a", "a", "ae", "c",       /* à á â ã ä å æ ç */
	"e", "e", "e", "e", "i", "i", "i", "i",        /* è é ê ë ì í î ï */
	"d", "n", "o", "o", "o", "o", "o", NULL,       /* ð ñ ò ó ô õ ö ÷ */
	"o", "u", "u", "u", "u", "y", "th", "y",       /* ø ù ú û ü ý þ ÿ */
};

/* Latin Extended-A, U+0100 to U+017F, in ASCII: each pair is a capital
 * and its small letter (Ā ā Ă ă Ą ą Ć ć ...), but for ĸ (U+0138) and ŉ
 * (U+0149), which shift the pairs after them; ĳ → ij, œ → oe. */
static const char *const latin_ext_a[128] = {
	"a", "a", "a", "a", "a", "a", "c", "c",        /* 0100 */
	"c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e",        /* 0110 */
	"e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h",        /* 0120 */
	"i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k",      /* 0130 */
	"k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n",        /* 0140 */
	"n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r",      /* 0150 */
	"r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "t", "t",        /* 0160 */
	"u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y",        /* 0170 */
	"y", "z", "z", "z", "z", "z", "z", "s",
};

/* One character of s at *i: its ASCII letters or digit (a static
 * string), "-" for a separator, "" for a combining mark, or NULL when it
 * has none; *len its length in bytes (1 for a byte that is not UTF-8),
 * *cpp the character (that byte when it is not UTF-8). */
static const char *translit(const char *s, size_t *len, unsigned *cpp)
{
	static const char ascii[128][2] = {
		['0'] = "0", ['1'] = "1", ['2'] = "2", ['3'] = "3", ['4'] = "4",
		['5'] = "5", ['6'] = "6", ['7'] = "7", ['8'] = "8", ['9'] = "9",
		['a'] = "a", ['b'] = "b", ['c'] = "c", ['d'] = "d", ['e'] = "e",
		['f'] = "f", ['g'] = "g", ['h'] = "h", ['i'] = "i", ['j'] = "j",
		['k'] = "k", ['l'] = "l", ['m'] = "m", ['n'] = "n", ['o'] = "o",
		['p'] = "p", ['q'] = "q", ['r'] = "r", ['s'] = "s", ['t'] = "t",
		['u'] = "u", ['v'] = "v", ['w'] = "w", ['x'] = "x", ['y'] = "y",
		['z'] = "z",
	};
	unsigned char c = (unsigned char)s[0];
	*len = 1;
	*cpp = c;
	if (c < 0x80) {
		if (c == ' ' || c == '_' || c == '.' || c == '-')
			return "-";
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		return ascii[c][0] ? ascii[c] : NULL;
	}
	unsigned cp = 0;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	size_t bad;
	if (!n || !st_utf8_valid(s, strnlen(s, n), &bad) || strnlen(s, n) < n)
		return NULL;
	cp = c & (0x7Fu >> n);
	for (size_t k = 1; k < n; k++)
		cp = cp << 6 | ((unsigned char)s[k] & 0x3Fu);
	*len = n;
	*cpp = cp;
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F)
		return latin_ext_a[cp - 0x100];
	if (cp >= 0x300 && cp <= 0x36F)
		return "";
	if (cp == 0x2013 || cp == 0x2014)
		return "-";
	return NULL;
}

const char *st_slugify(st_arena *a, const char *name, const char **bad,
                       const char **suggest)
{
	st_buf b;
	const char *first_bad = NULL;
	int sep = 0;
	if (bad)
		*bad = NULL;
	if (suggest)
		*suggest = NULL;
	if (!name)
		return NULL;
	st_buf_init(&b);
	for (size_t i = 0; name[i]; ) {
		size_t len;
		unsigned cp;
		const char *t = translit(name + i, &len, &cp);
		if (!t) {
			/* as written when it shows; a control character or a
			 * space of Unicode's by its number, a stray byte as \xNN */
			if (first_bad)
				;
			else if ((cp >= 0x21 && cp < 0x7f) || (len > 1 && cp > 0xA0 &&
			         !(cp >= 0x2000 && cp <= 0x200F) &&
			         !(cp >= 0x2028 && cp <= 0x202F) && cp != 0xFEFF))
				first_bad = st_strndup(a, name + i, len);
			else if (len > 1)
				first_bad = st_sprintf(a, "U+%04X", cp);
			else
				first_bad = st_sprintf(a, "\\x%02X", cp);
		} else if (!strcmp(t, "-")) {
			sep = 1;
		} else if (*t) {
			if (sep && b.len)
				st_buf_add(&b, "-", 1);
			sep = 0;
			st_buf_add(&b, t, strlen(t));
		}
		i += len;
	}
	const char *slug = b.len && b.len <= 128
	                   ? st_strndup(a, b.data, b.len) : NULL;
	st_buf_release(&b);
	if (first_bad) {
		if (bad)
			*bad = first_bad;
		if (suggest)
			*suggest = slug;
		return NULL;
	}
	return slug;
}

const char *st_module_id_of(st_arena *a, const char *name,
                            const char **suggest)
{
	size_t n = strlen(name);
	if (suggest)
		*suggest = NULL;
	if (n < 4 || strcmp(name + n - 3, ".md"))
		return NULL;
	size_t i = 0;
	while (name[i] >= '0' && name[i] <= '9')
		i++;
	if (i == 0 || name[i] != '-')
		return NULL;
	const char *sugg = NULL;
	const char *id = st_slugify(a, st_strndup(a, name + i + 1, n - 3 - i - 1),
	                            NULL, &sugg);
	if (!id && sugg && suggest)
		*suggest = st_sprintf(a, "%.*s-%s.md", (int)i, name, sugg);
	return id;
}

/* ---- timestamps -------------------------------------------------------- */

/* Times are UTC, so they are computed here rather than by gmtime_r and
 * timegm, which read /etc/localtime at their first call in a process
 * (glibc's tzset: a file and seven system calls for every steg command
 * that stamps a time, docs/benchmarks.md "steg publish's start-up").
 * The two conversions between a day number (days since 1970-01-01) and
 * a date of the proleptic Gregorian calendar are H. Hinnant's
 * days_from_civil and civil_from_days. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m,
                            unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

int st_time_civil(long long t, st_civil *c)
{
	long long days = t / 86400, secs = t % 86400, y = -1;
	unsigned m = 0, d = 0;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* 0000-01-01 .. 9999-12-31, and no overflow on the way */
	if (days >= -719528 && days <= 2932896)
		civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return ST_ERR;
	*c = (st_civil){ (int)y, (int)m, (int)d, (int)(secs / 3600),
	                 (int)(secs / 60 % 60), (int)(secs % 60) };
	return ST_OK;
}

void st_time_format(char out[ST_TIME_LEN + 1], long long t)
{
	st_civil c;
	if (st_time_civil(t, &c) != ST_OK) {
		memcpy(out, "0000-00-00T00:00:00Z", 21);
		return;
	}
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	         (unsigned)c.year % 10000u, (unsigned)c.month % 100u,
	         (unsigned)c.day % 100u, (unsigned)c.hour % 100u,
	         (unsigned)c.min % 100u, (unsigned)c.sec % 100u);
}

int st_time_parse(long long *t, const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	char back[21];
	int v[6], k = 0;
	if (strlen(s) != 20)
		return ST_ERR;
	for (int i = 0; i < 20; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return ST_ERR;
	}
	for (int i = 0; i < 20; ) {
		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		int x = 0;
		while (i < 20 && s[i] >= '0' && s[i] <= '9')
			x = x * 10 + (s[i++] - '0');
		v[k++] = x;
	}
	if (k != 6 || v[0] < 1970 || v[1] < 1 || v[1] > 12)
		return ST_ERR;
	long long r = days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) *
	              86400 + v[3] * 3600LL + v[4] * 60LL + v[5];
	st_time_format(back, r);
	if (strcmp(back, s))
		return ST_ERR;        /* 2026-02-30, 24:00:00 and the like */
	*t = r;
	return ST_OK;
}

void st_time_now(char out[ST_TIME_LEN + 1])
{
	st_time_format(out, (long long)time(NULL));
}
