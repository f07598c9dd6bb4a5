/*
 * i18n.c — looking messages up in the "steg" catalogue, and choosing it.
 *
 * The lookup is glibc's dgettext.  st_tr_fmt adds one guard: a translated
 * format is used only when it reads the same arguments as the English one
 * (same types at the same positions, %n$ reordering allowed), so that a
 * catalogue that msgfmt --check-format was not run on cannot make printf
 * read a number as a string.
 */
#include "i18n.h"
#include "util.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef STEG_LOCALEDIR
#define STEG_LOCALEDIR "/usr/local/share/locale"
#endif

enum { MAX_ARGS = 24 };

/* The argument types a format reads, by position: types[i] is the i-th
 * argument's length modifier and conversion ("s", "d", "ld", "*" for a
 * width or precision given as an argument).  Returns the number of
 * arguments, or -1 for a format this parser does not understand. */
static int fmt_args(const char *f, char types[MAX_ARGS][4])
{
	int next = 0, n = 0;
	for (int i = 0; i < MAX_ARGS; i++)
		types[i][0] = '\0';
	for (const char *p = f; (p = strchr(p, '%')); ) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		int pos = -1;
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p && *q == '$') {
			pos = atoi(p) - 1;
			p = q + 1;
		}
		while (*p && strchr("-+ #0'", *p))
			p++;
		for (int part = 0; part < 2; part++) {
			if (part == 1) {
				if (*p != '.')
					break;
				p++;
			}
			if (*p == '*') {
				int at = next++;
				if (at >= MAX_ARGS)
					return -1;
				strcpy(types[at], "*");
				p++;
				if (at + 1 > n)
					n = at + 1;
			} else {
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		char t[4] = "";
		size_t k = 0;
		while (*p && strchr("hlLqjzt", *p) && k < 2)
			t[k++] = *p++;
		if (!*p || !strchr("diouxXeEfFgGaAcspn", *p))
			return -1;
		t[k++] = (*p == 'i') ? 'd' : *p;
		t[k] = '\0';
		p++;
		int at = pos >= 0 ? pos : next++;
		if (at < 0 || at >= MAX_ARGS)
			return -1;
		strcpy(types[at], t);
		if (at + 1 > n)
			n = at + 1;
	}
	return n;
}

static int same_args(const char *a, const char *b)
{
	char ta[MAX_ARGS][4], tb[MAX_ARGS][4];
	int na = fmt_args(a, ta), nb = fmt_args(b, tb);
	if (na < 0 || na != nb)
		return 0;
	for (int i = 0; i < na; i++)
		if (strcmp(ta[i], tb[i]) || !ta[i][0])
			return 0;
	return 1;
}

const char *st_tr(const char *s)
{
	return dgettext(ST_TEXTDOMAIN, s);
}

const char *st_tr_fmt(const char *fmt)
{
	const char *t = dgettext(ST_TEXTDOMAIN, fmt);
	if (t == fmt || same_args(fmt, t))
		return t;
	return fmt;
}

const char *st_trn_fmt(const char *one, const char *many, unsigned long n)
{
	const char *t = dngettext(ST_TEXTDOMAIN, one, many, n);
	const char *english = n == 1 ? one : many;
	if (t == one || t == many || same_args(english, t))
		return t;
	return english;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* The catalogue of language name (a LANGUAGE entry or a locale name) and
 * of its shorter forms, as glibc tries them (sv_SE.UTF-8@x, sv_SE.UTF-8,
 * sv_SE, sv): path and bytes of each that exists. */
static void stamp_language(st_buf *b, const char *dir, const char *name,
                           size_t n)
{
	char lang[128];
	if (n == 0 || n >= sizeof lang)
		return;
	memcpy(lang, name, n);
	lang[n] = '\0';
	for (const char *cut = "@._"; ; cut++) {
		st_buf path;
		st_buf_init(&path);
		st_buf_printf(&path, "%s/%s/LC_MESSAGES/" ST_TEXTDOMAIN ".mo", dir,
		              lang);
		char *text = NULL, err[64];
		size_t len = 0;
		if (st_read_file(&text, &len, path.data, 16u << 20, err,
		                 sizeof err) == 0) {
			st_buf_printf(b, "%s %zu\n", path.data, len);
			st_buf_add(b, text, len);
			free(text);
		}
		st_buf_release(&path);
		if (!*cut)
			break;
		char *c = strchr(lang, *cut);
		if (c)
			*c = '\0';
	}
}

void st_i18n_stamp(st_buf *b)
{
	const char *loc = setlocale(LC_MESSAGES, NULL);
	const char *list = env("LANGUAGE");
	st_buf_printf(b, "messages %s %s\n%s\n", loc ? loc : "",
	              list ? list : "", dgettext(ST_TEXTDOMAIN, ""));
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		return;
	const char *dir = bindtextdomain(ST_TEXTDOMAIN, NULL);
	if (!dir)
		return;
	if (!list)
		list = loc;
	for (const char *p = list; *p; ) {
		size_t n = strcspn(p, ":");
		stamp_language(b, dir, p, n);
		p += n + (p[n] == ':');
	}
}

/* The folder of the catalogues: see i18n.h. */
static void bind_catalogue(void)
{
	const char *dir = env("STEG_LOCALEDIR");
	static char beside[PATH_MAX];
	if (!dir) {
		ssize_t n = readlink("/proc/self/exe", beside, sizeof beside - 16);
		if (n > 0)
			beside[n] = '\0';
		char *slash = n > 0 ? strrchr(beside, '/') : NULL;
		struct stat st;
		if (slash) {
			strcpy(slash + 1, "locale");
			if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
				dir = beside;
		}
	}
	bindtextdomain(ST_TEXTDOMAIN, dir ? dir : STEG_LOCALEDIR);
	bind_textdomain_codeset(ST_TEXTDOMAIN, "UTF-8");
}

void st_i18n_init(void)
{
	bind_catalogue();
	const char *loc = env("LC_ALL");
	if (!loc)
		loc = env("LC_MESSAGES");
	if (!loc)
		loc = env("LANG");
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		return;                 /* English; LANGUAGE is ignored */
	/* C.UTF-8 (many systems' and containers' default) without LANGUAGE
	 * says English as "C" does, but setting it up reads locale.alias,
	 * the locale's LC_MESSAGES and gconv's cache, and each first lookup
	 * probes three steg.mo files that cannot exist: leave LC_MESSAGES at
	 * "C" (docs/benchmarks.md, "The fixed cost of a small build").
	 * With LANGUAGE set it is honoured, below, as glibc does. */
	if ((!strcmp(loc, "C.UTF-8") || !strcmp(loc, "C.utf8")) &&
	    !env("LANGUAGE"))
		return;
	if (setlocale(LC_MESSAGES, ""))
		return;                 /* the locale is generated here */
	/* Not generated: glibc would fall back to "C" and ignore LANGUAGE.
	 * C.UTF-8 is built into glibc; under it, LANGUAGE is honoured. */
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		return;
	if (!env("LANGUAGE"))
		setenv("LANGUAGE", loc, 1);
}
