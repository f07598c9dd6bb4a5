/*
 * why.c — the English sentence of every coded refusal, once (why.h).
 * These are the command line's messages and the audit log's details:
 * change one and the audit rows it writes change with it.
 */
#include <stdio.h>
#include <string.h>
#include "util.h"
#include "vocab.h"
#include "why.h"

static const struct {
	const char *name, *kinds, *en;
} table[RT_WHY_COUNT] = {
	[RT_WHY_NO_ACTOR] = { "no-actor", "",
		"say who is acting with --as HSA-ID" },
	[RT_WHY_NOT_HSA_ID] = { "not-an-hsa-id", "s",
		"'%1$s' is not an HSA-id (" ST_HSA_ID_RULE ")" },
	[RT_WHY_UNKNOWN_ACTOR] = { "unknown-actor", "s",
		"unknown user '%1$s'; an admin adds users with 'steg user add'" },
	[RT_WHY_ACTOR_DEACTIVATED] = { "actor-deactivated", "s",
		"user '%1$s' is deactivated and can do nothing" },
	[RT_WHY_WRONG_ROLE] = { "wrong-role", "srm",
		"user '%1$s' is %2$s; this takes %3$s" },
	[RT_WHY_OTHER_UNIT] = { "other-unit", "sss",
		"user '%1$s' works at unit '%2$s', not at '%3$s'" },
	[RT_WHY_REGION_ADMIN_UNITS] = { "region-wide-admin-only", "ss",
		"user '%1$s' is an admin of unit '%2$s'; only a region-wide admin "
		"adds units" },
	[RT_WHY_REGION_ADMIN_KEYS] = { "region-wide-admin-only", "ss",
		"user '%1$s' is an admin of unit '%2$s'; only a region-wide admin "
		"changes which keys are trusted" },
	[RT_WHY_REGION_ADMIN_POLICY] = { "region-wide-admin-only", "ss",
		"user '%1$s' is an admin of unit '%2$s'; only a region-wide admin "
		"changes the region's policies" },
	[RT_WHY_NO_SUCH_VERSION] = { "no-such-version", "sss",
		"program '%1$s' has no version '%2$s'; it has %3$s" },
	[RT_WHY_UNKNOWN_PROGRAM] = { "unknown-program", "s",
		"unknown program '%1$s'; import it with 'steg import BUNDLE' (see "
		"'steg list')" },
	[RT_WHY_NOT_A_CARE_UNIT] = { "not-a-care-unit", "s",
		"not a care unit: '%1$s'; see 'steg unit list'" },
	[RT_WHY_UNKNOWN_UNIT] = { "unknown-unit", "s",
		"unknown unit '%1$s'; see 'steg unit list'" },
	[RT_WHY_APPROVE_REGION_WIDE] = { "region-wide-only", "ss",
		"user '%1$s' is a publisher of unit '%2$s'; an approval holds for "
		"the whole region, so only a region-wide publisher approves" },
	[RT_WHY_RETIRED_APPROVE] = { "retired", "sss",
		"%1$s is retired (%2$s by '%3$s'); it cannot be approved" },
	[RT_WHY_FOUR_EYES] = { "four-eyes", "ss",
		"'%1$s' imported %2$s and the region requires four-eyes approval; "
		"another region-wide publisher approves it" },
	[RT_WHY_RETIRE_REGION_WIDE] = { "region-wide-only", "ss",
		"user '%1$s' works at unit '%2$s'; only a region-wide admin or "
		"publisher retires a version" },
	[RT_WHY_ALL_UNITS_REGION_WIDE] = { "region-wide-only", "ss",
		"user '%1$s' works at unit '%2$s'; only a region-wide admin or "
		"publisher uses --all-units" },
	[RT_WHY_NO_UNIT_CHOSEN] = { "no-unit-chosen", "",
		"no unit was chosen; name at least one care unit" },
	[RT_WHY_RETIRED_PUBLISH] = { "retired", "sss",
		"%1$s is retired (%2$s by '%3$s'); publish a newer version" },
	[RT_WHY_NOT_APPROVED_PUBLISH] = { "not-approved", "s",
		"%1$s is not approved; a publisher approves it first with 'steg "
		"approve %1$s --as HSA-ID'" },
	[RT_WHY_ACTIVE_AT_UNIT] = { "active-at-unit", "ss",
		"%1$s is active at '%2$s'; the unit deactivates it first with "
		"'steg deactivate %1$s --unit %2$s'" },
	[RT_WHY_RETIRED_ACTIVATE] = { "retired", "sss",
		"%1$s is retired (%2$s by '%3$s'); activate a newer version" },
	[RT_WHY_NOT_APPROVED_ACTIVATE] = { "not-approved", "s",
		"%1$s is not approved; a publisher approves it first" },
	[RT_WHY_NOT_PUBLISHED] = { "not-published", "ss",
		"%1$s is not published to '%2$s'; a publisher publishes it there "
		"first with 'steg publish'" },
	[RT_WHY_UNKNOWN_UNIT_ADD] = { "unknown-unit", "s",
		"unknown unit '%1$s'; add it with 'steg unit add'" },
	[RT_WHY_CLINICIAN_AT_REGION] = { "clinician-at-region", "",
		"a clinician works at a care unit; give --unit" },
	[RT_WHY_USER_EXISTS] = { "user-exists", "sos",
		"user '%1$s' already exists (%2$s at '%3$s')" },
	[RT_WHY_USER_EXISTS_GONE] = { "user-exists", "sos",
		"user '%1$s' already exists (%2$s at '%3$s', deactivated)" },
	[RT_WHY_REGION_NOT_PERSON] = { "region-hsa-id", "s",
		"'%1$s' is the region's HSA-id, not a person's" },
	[RT_WHY_LAST_ADMIN] = { "last-admin", "s",
		"'%1$s' is the last active region-wide admin; add another admin "
		"first" },
	[RT_WHY_UNKNOWN_USER] = { "unknown-user", "s",
		"unknown user '%1$s'; see 'steg user list'" },
	[RT_WHY_USER_DEACTIVATED] = { "user-deactivated", "s",
		"user '%1$s' is deactivated; add them again under another HSA-id, "
		"or leave them be" },
	[RT_WHY_UNIT_EXISTS] = { "unit-exists", "s",
		"'%1$s' is already the unit '%1$s'" },
	[RT_WHY_IS_THE_REGION] = { "unit-exists", "s",
		"'%1$s' is already the region '%1$s'" },
	[RT_WHY_KEY_TRUSTED] = { "key-trusted", "ss",
		"key %1$s is already trusted for region '%2$s'; remove it first to "
		"trust it for another" },
	[RT_WHY_NO_TRUSTED_KEY] = { "no-such-key", "ss",
		"region '%1$s' has no trusted key %2$s (see 'steg trust list')" },
	[RT_WHY_BUNDLE_TOO_LARGE] = { "bundle-too-large", "ss",
		"bundle '%1$s' is larger than %2$s MiB, the registry's limit; make "
		"its media smaller; nothing was imported" },
	[RT_WHY_BUNDLE_DAMAGED] = { "bundle-damaged", "s",
		"bundle '%1$s' is damaged or unsafe (the findings above say how); "
		"get it again from its publisher; nothing was imported" },
	[RT_WHY_BUNDLE_CHANGED] = { "bundle-changed", "s",
		"bundle '%1$s' changed while it was being read; try again" },
	[RT_WHY_BUNDLE_DOES_NOT_CHECK] = { "program-does-not-check", "s",
		"bundle '%1$s' has a program that does not check (the findings "
		"above say where); its publisher fixes the sources and builds a "
		"new version; nothing was imported" },
	[RT_WHY_BUNDLE_BAD_VERSION] = { "bad-version", "ss",
		"bundle '%1$s' has version '%2$s', which is not MAJOR.MINOR.PATCH; "
		"build it with a semantic version; nothing was imported" },
	[RT_WHY_BUNDLE_UNSIGNED] = { "unsigned", "s",
		"bundle '%1$s' is not signed; import signed bundles, or pass "
		"--allow-unsigned to accept this one (it is recorded in the audit "
		"log)" },
	[RT_WHY_PARTNER_UNSIGNED] = { "partner-unsigned", "ss",
		"bundle '%1$s' is unsigned but names as producer '%2$s', a partner "
		"region whose key this registry trusts; a partner's programs are "
		"imported only with the partner's signature: ask '%2$s' for the "
		"signed bundle; nothing was imported" },
	[RT_WHY_SIGNATURE] = { "signature-refused", "s",
		"%1$s; nothing was imported" },
	[RT_WHY_SIGNATURE_CLAIMS] = { "signature-claims", "sss",
		"bundle '%1$s' is not what its signature says: %2$s; a key trusted "
		"for '%3$s' vouches only for '%3$s''s own programs, under the "
		"signed id and version (docs/signatures.md): ask '%3$s' to sign "
		"this bundle again with 'stegc sign'; nothing was imported" },
	[RT_WHY_VERSION_CHANGED] = { "version-exists", "ssss",
		"%1$s was already imported with other content (sha256 %2$s, %3$s; "
		"this bundle %4$s); a version never changes: build the new content "
		"with a new version" },
	[RT_WHY_OTHER_PRODUCER] = { "other-producer", "ssss",
		"program id '%1$s' belongs to another producer: this registry holds "
		"%1$s@%2$s (%3$s), and this bundle's producer is '%4$s'; a program "
		"id belongs to its producer, and a region that adapts a partner's "
		"program gives it its own id (docs/registry.md)" },
	[RT_WHY_CSRF_SITE] = { "cross-site", "s",
		"a request from another site (Sec-Fetch-Site: %1$s) may not change "
		"anything" },
	[RT_WHY_CSRF_ORIGIN] = { "cross-site", "s",
		"a request from another site (Origin: %1$s) may not change "
		"anything" },
	[RT_WHY_CSRF_TOKEN] = { "no-session-token", "",
		"the request does not carry this session's token (the _csrf field "
		"or the X-CSRF-Token header); reload the page and try again" },
};

static int known(int code)
{
	return code > RT_WHY_NONE && code < RT_WHY_COUNT && table[code].name;
}

const char *rt_why_name(int code)
{
	return known(code) ? table[code].name : NULL;
}

const char *rt_why_kinds(int code)
{
	return known(code) ? table[code].kinds : NULL;
}

const char *rt_why_template(int code)
{
	return known(code) ? table[code].en : NULL;
}

void rt_why_set(rt_why *w, int code, const char *a1, const char *a2,
                const char *a3, const char *a4)
{
	const char *a[RT_WHY_NARGS] = { a1, a2, a3, a4 };
	w->code = code;
	for (int i = 0; i < RT_WHY_NARGS; i++)
		snprintf(w->arg[i], sizeof w->arg[i], "%s", a[i] ? a[i] : "");
}

/* Append s to out[*k..cap), cut at the buffer; *need counts it all. */
static void put(char *out, size_t cap, size_t *k, size_t *need,
                const char *s, size_t n)
{
	*need += n;
	if (*k + 1 >= cap)
		return;
	if (n > cap - 1 - *k)
		n = cap - 1 - *k;
	memcpy(out + *k, s, n);
	*k += n;
}

size_t rt_why_expand(char *out, size_t cap, const char *tmpl,
                     const char *const *args, size_t n)
{
	size_t k = 0, need = 0;
	const char *p = tmpl ? tmpl : "";

	while (*p) {
		const char *pc = strchr(p, '%');
		if (!pc) {
			put(out, cap, &k, &need, p, strlen(p));
			break;
		}
		put(out, cap, &k, &need, p, (size_t)(pc - p));
		if (pc[1] == '%') {
			put(out, cap, &k, &need, "%", 1);
			p = pc + 2;
		} else if (pc[1] >= '1' && pc[1] <= '9' && pc[2] == '$' &&
		           pc[3] == 's') {
			size_t i = (size_t)(pc[1] - '1');
			const char *a = i < n && args[i] ? args[i] : "";
			put(out, cap, &k, &need, a, strlen(a));
			p = pc + 4;
		} else {               /* not ours: as it is */
			put(out, cap, &k, &need, "%", 1);
			p = pc + 1;
		}
	}
	if (cap)
		out[k] = '\0';
	return need;
}

int rt_why_template_args(const char *tmpl)
{
	int most = 0;
	for (const char *p = tmpl; p && (p = strchr(p, '%')); ) {
		if (p[1] == '%') {
			p += 2;
		} else if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' &&
		           p[3] == 's') {
			if (p[1] - '0' > most)
				most = p[1] - '0';
			p += 4;
		} else {
			return -1;
		}
	}
	return most;
}

/* "an admin", "a publisher" ... as rt_authorize has always said it. */
static const char *role_en(const char *role)
{
	if (!strcmp(role, "admin"))
		return "an admin";
	if (!strcmp(role, "publisher"))
		return "a publisher";
	if (!strcmp(role, "clinician"))
		return "a clinician";
	return NULL;
}

/* 'r': "an admin"; any other role with its article, as before. */
static void role_phrase(char *out, size_t cap, const char *role)
{
	const char *en = role_en(role);
	if (en)
		snprintf(out, cap, "%s", en);
	else
		snprintf(out, cap, "%s %s", role[0] == 'a' ? "an" : "a", role);
}

void rt_why_roles(char *out, size_t cap, const char *list,
                  void (*word)(char *out, size_t cap, const char *role),
                  const char *or)
{
	char names[3][32];
	int k = 0;
	const char *p = list;
	while (*p && k < 3) {
		size_t n = strcspn(p, ",");
		char one[32];
		snprintf(one, sizeof one, "%.*s", (int)(n < 31 ? n : 31), p);
		word(names[k++], sizeof names[0], one);
		p += n + (p[n] == ',');
	}
	if (k <= 1)
		snprintf(out, cap, "%s", k ? names[0] : "");
	else if (k == 2)
		snprintf(out, cap, "%s%s%s", names[0], or, names[1]);
	else
		snprintf(out, cap, "%s, %s%s%s", names[0], names[1], or, names[2]);
}

void rt_why_english(char *out, size_t cap, const rt_why *w)
{
	char conv[RT_WHY_NARGS][128];
	const char *args[RT_WHY_NARGS];
	const char *kinds = rt_why_kinds(w->code);

	if (!kinds) {
		if (cap)
			out[0] = '\0';
		return;
	}
	for (int i = 0; i < RT_WHY_NARGS; i++) {
		char kind = (size_t)i < strlen(kinds) ? kinds[i] : 's';
		args[i] = w->arg[i];
		if (kind == 'r') {
			role_phrase(conv[i], sizeof conv[i], w->arg[i]);
			args[i] = conv[i];
		} else if (kind == 'm') {
			rt_why_roles(conv[i], sizeof conv[i], w->arg[i],
			             role_phrase, " or ");
			args[i] = conv[i];
		}
	}
	rt_why_expand(out, cap, table[w->code].en, args, RT_WHY_NARGS);
	st_utf8_trim(out);
}
