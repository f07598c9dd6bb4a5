/*
 * model.c — small functions over the program model: lookups by id, the id
 * syntaxes (docs/source-format.md, "Ids and names"), and semantic versions.
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

st_form *st_program_form(const st_program *p, const char *id)
{
	for (size_t i = 0; id && i < p->nforms; i++)
		if (p->forms[i].id && !strcmp(p->forms[i].id, id))
			return &p->forms[i];
	return NULL;
}

st_exercise *st_program_exercise(const st_program *p, const char *id)
{
	for (size_t i = 0; id && i < p->nexercises; i++)
		if (p->exercises[i].id && !strcmp(p->exercises[i].id, id))
			return &p->exercises[i];
	return NULL;
}

st_module *st_program_module(const st_program *p, const char *id)
{
	for (size_t i = 0; id && i < p->nmodules; i++)
		if (p->modules[i].id && !strcmp(p->modules[i].id, id))
			return &p->modules[i];
	return NULL;
}

const st_option *st_item_options(const st_form *f, const st_item *it,
                                 size_t *n)
{
	if (it->noptions) {
		*n = it->noptions;
		return it->options;
	}
	*n = f ? f->noptions : 0;
	return f ? f->options : NULL;
}

double st_option_score(const st_option *o)
{
	return o->has_score ? o->score : o->value;
}

const st_option *st_item_option(const st_form *f, const st_item *it,
                                double v)
{
	size_t n;
	const st_option *o = st_item_options(f, it, &n);
	for (size_t i = 0; i < n; i++)
		if (o[i].value == v)
			return &o[i];
	return NULL;
}

int st_code_system_ok(const char *s)
{
	if (!s || strlen(s) > 1024)
		return 0;
	const char *c = strchr(s, ':');
	if (!c || c == s || !c[1])
		return 0;
	for (const char *p = s; p < c; p++)
		if (!((*p >= 'a' && *p <= 'z') || (p > s && ((*p >= '0' &&
		    *p <= '9') || *p == '+' || *p == '-' || *p == '.'))))
			return 0;
	for (const char *p = c + 1; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

int st_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n > 256 || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return 0;
	return 1;
}

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
