/*
 * model.c — small functions over the program model: lookups by id, options
 * and codes.  The rules for names and versions are core/vocab.c's.
 */
#include "model.h"

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

static int listed(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

int st_program_form_unread(const st_program *p, const char *id)
{
	return p && listed(p->unread_forms, p->nunread_forms, id);
}

int st_program_exercise_unread(const st_program *p, const char *id)
{
	return p && listed(p->unread_exercises, p->nunread_exercises, id);
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
