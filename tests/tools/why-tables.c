/*
 * why-tables.c — the tables of refusal reasons (runtime/why.c, English;
 * runtime/serve/words.c, Swedish), checked whole, as TAP: every code has
 * a stable name, an English and a Swedish template; each template names
 * only the arguments its code has (%1$s ... up to its kinds) and no
 * other %; no Swedish template tells the user to type a command; and
 * the expander substitutes, repeats, reorders and cuts as documented.
 */
#include <stdio.h>
#include <string.h>
#include "util.h"
#include "registry.h"
#include "why.h"
#include "serve/words.h"

static int n, failed;

static void check(int ok, const char *what, int code, const char *more)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d - %s", ok ? "" : "not ", n, what);
	if (code)
		printf(" (code %d, %s)", code, rt_why_name(code) ?
		       rt_why_name(code) : "no name");
	printf("\n");
	if (!ok && more)
		printf("# %s\n", more);
}

static int tables_ok(void)
{
	int bad = 0;
	for (int c = 1; c < RT_WHY_COUNT; c++) {
		const char *en = rt_why_template(c), *sv = sv_why_template(c);
		const char *kinds = rt_why_kinds(c);
		int ne = en ? rt_why_template_args(en) : -1;
		int ns = sv ? rt_why_template_args(sv) : -1;
		int nk = kinds ? (int)strlen(kinds) : -1;
		if (!rt_why_name(c) || !en || !kinds || nk > RT_WHY_NARGS ||
		    strspn(kinds, "sorm") != (size_t)nk) {
			check(0, "a code has a name, kinds and an English template", c,
			      en);
			bad++;
		} else if (ne < 0 || ne > nk) {
			check(0, "the English template names only the code's "
			      "arguments", c, en);
			bad++;
		} else if (!sv || ns < 0 || ns > nk) {
			check(0, "the Swedish template is there and names only the "
			      "code's arguments", c, sv);
			bad++;
		} else if (strstr(sv, "steg ") || strstr(sv, "stegc ") ||
		           strstr(sv, "--")) {
			check(0, "the Swedish template names no command", c, sv);
			bad++;
		}
	}
	return bad == 0;
}

/* The code rides with its message on the registry handle, and any other
 * message clears it: a stale code never words another failure. */
static void handle(const char *path)
{
	rt_reg *r = NULL;
	if (rt_reg_open(&r, path, RT_OPEN_CREATE | RT_OPEN_RAW)) {
		check(0, "a scratch registry opens", 0, rt_reg_errmsg(r));
		rt_reg_close(r);
		return;
	}
	check(rt_fail_why(r, ST_ERR, RT_WHY_NOT_PUBLISHED, "p@1.0.0", "U1", NULL,
	                  NULL) == ST_ERR && rt_reg_why(r)->code ==
	      RT_WHY_NOT_PUBLISHED && !strcmp(rt_reg_errmsg(r), "p@1.0.0 is not "
	      "published to 'U1'; a publisher publishes it there first with "
	      "'steg publish'"), "rt_fail_why keeps the code beside the English "
	      "message", 0, rt_reg_errmsg(r));
	rt_fail(r, ST_ERR, "something else");
	check(rt_reg_why(r)->code == RT_WHY_NONE, "a plain rt_fail clears the "
	      "code", 0, NULL);
	rt_fail_why(r, ST_ERR, RT_WHY_LAST_ADMIN, "A", NULL, NULL, NULL);
	rt_refuse(r, NULL, NULL, "test", "x", "plain %s", "refusal");
	check(rt_reg_why(r)->code == RT_WHY_NONE && !strcmp(rt_reg_errmsg(r),
	      "plain refusal"), "a plain rt_refuse clears the code", 0,
	      rt_reg_errmsg(r));
	rt_fail_why(r, ST_ERR, RT_WHY_LAST_ADMIN, "A", NULL, NULL, NULL);
	rt_refuse_again(r, NULL, NULL, "test", "x");
	check(rt_reg_why(r)->code == RT_WHY_LAST_ADMIN && !strcmp(rt_reg_errmsg(r),
	      "'A' is the last active region-wide admin; add another admin "
	      "first"), "rt_refuse_again keeps the last failure's code and "
	      "message", 0, rt_reg_errmsg(r));
	rt_reg_close(r);
}

int main(int argc, char **argv)
{
	char out[64];
	const char *args[] = { "ett", "två" };
	rt_why w;

	check(tables_ok(), "every code: a stable name, an English and a "
	      "Swedish template, each naming only the code's arguments, the "
	      "Swedish one no command", 0, NULL);
	check(rt_why_name(RT_WHY_NONE) == NULL && rt_why_name(RT_WHY_COUNT) ==
	      NULL && sv_why_template(RT_WHY_COUNT) == NULL,
	      "no code and an unknown code have no words", 0, NULL);

	rt_why_expand(out, sizeof out, "%2$s, %1$s, %2$s: 100%%", args, 2);
	check(!strcmp(out, "två, ett, två: 100%"), "arguments in any order, "
	      "repeated, and %% for a per cent sign", 0, out);
	rt_why_expand(out, sizeof out, "[%3$s] %x %", args, 2);
	check(!strcmp(out, "[] %x %"), "a missing argument is empty; any other "
	      "% is kept as it is", 0, out);
	check(rt_why_expand(out, 6, "%1$s och %2$s", args, 2) == 12 &&
	      !strcmp(out, "ett o"), "cut at the buffer, the whole length "
	      "returned", 0, out);
	check(rt_why_template_args("%1$s %3$s %%") == 3 &&
	      rt_why_template_args("%d") == -1 && rt_why_template_args("") == 0,
	      "a template's arguments are counted; a printf conversion is not "
	      "a template's", 0, NULL);

	rt_why_set(&w, RT_WHY_WRONG_ROLE, "SE2321000016-C001", "clinician",
	           "admin,publisher", NULL);
	{
		char en[300], sv[600];
		rt_why_english(en, sizeof en, &w);
		check(!strcmp(en, "user 'SE2321000016-C001' is a clinician; this "
		              "takes an admin or a publisher"), "a role and a "
		      "list of roles in English, as rt_authorize always said them",
		      0, en);
		sv_why_words(sv, sizeof sv, &w);
		check(!strcmp(sv, "Du (SE2321000016-C001) är behandlare, och det "
		              "här kräver rollen administratör eller utgivare. Be "
		              "en administratör om hjälp om du behöver göra det."),
		      "... and in Swedish", 0, sv);
		rt_why_set(&w, RT_WHY_NONE, NULL, NULL, NULL, NULL);
		check(sv_why_words(sv, sizeof sv, &w) == -1 && !sv[0],
		      "a reason without a code has no Swedish words", 0, NULL);
	}
	if (argc > 1)
		handle(argv[1]);
	printf("1..%d\n", n);
	return failed != 0;
}
