/*
 * why.h — why the registry refused something, as a code and its
 * arguments, beside the English sentence (docs/serve.md, "Reasons").
 *
 * Every refusal the web can reach is worded from a code: the command
 * line, the audit log and the API's `detail_en` get the English sentence
 * of this file's one table (why.c), byte for byte the text the rule has
 * always written; steg serve words the same code from its own table
 * (runtime/serve/words.c), in Swedish, saying what to do in the web
 * interface or whom to ask.  The condition stays where the rule is
 * (actions.c, registry.c, import.c ...); only the wording is here.
 *
 * A template holds the arguments as %1$s ... %4$s (any order, any number
 * of times) and %% for a per cent sign; nothing else is special.  Each
 * argument has a kind, which a wording may render its own way:
 *
 *   's'  text, shown as it is (an id, a version, a time, a file name)
 *   'o'  a role ("admin"): English as it is
 *   'r'  a role ("admin"): English "an admin"
 *   'm'  roles, comma-separated ("admin,publisher"): English "an admin
 *        or a publisher"
 *
 * A code's name (rt_why_name) is stable: the API gives it as `reason`
 * for programs to branch on.  Several codes may share a name when they
 * are one rule seen from two commands (RT_WHY_RETIRED_PUBLISH and
 * RT_WHY_RETIRED_ACTIVATE are both "retired").
 */
#ifndef RT_WHY_H
#define RT_WHY_H

#include <stddef.h>

typedef enum {
	RT_WHY_NONE = 0,
	/* who is acting (registry.c: rt_authorize, rt_authorize_region_admin) */
	RT_WHY_NO_ACTOR,
	RT_WHY_NOT_HSA_ID,          /* s(as given) */
	RT_WHY_UNKNOWN_ACTOR,       /* s(hsa) */
	RT_WHY_ACTOR_DEACTIVATED,   /* s(hsa) */
	RT_WHY_WRONG_ROLE,          /* s(hsa) r(role) m(roles it takes) */
	RT_WHY_OTHER_UNIT,          /* s(hsa) s(their unit) s(the unit) */
	RT_WHY_REGION_ADMIN_UNITS,  /* s(hsa) s(their unit) */
	RT_WHY_REGION_ADMIN_KEYS,   /* s(hsa) s(their unit) */
	RT_WHY_REGION_ADMIN_POLICY, /* s(hsa) s(their unit) */
	/* versions and units (actions.c) */
	RT_WHY_NO_SUCH_VERSION,     /* s(id) s(version) s(the versions it has) */
	RT_WHY_UNKNOWN_PROGRAM,     /* s(id) */
	RT_WHY_NOT_A_CARE_UNIT,     /* s(unit) */
	RT_WHY_UNKNOWN_UNIT,        /* s(unit) */
	RT_WHY_APPROVE_REGION_WIDE, /* s(hsa) s(their unit) */
	RT_WHY_RETIRED_APPROVE,     /* s(id@version) s(when) s(by) */
	RT_WHY_FOUR_EYES,           /* s(hsa) s(id@version) */
	RT_WHY_RETIRE_REGION_WIDE,  /* s(hsa) s(their unit) */
	RT_WHY_ALL_UNITS_REGION_WIDE, /* s(hsa) s(their unit) */
	RT_WHY_NO_UNIT_CHOSEN,
	RT_WHY_RETIRED_PUBLISH,     /* s(id@version) s(when) s(by) */
	RT_WHY_NOT_APPROVED_PUBLISH,  /* s(id@version) */
	RT_WHY_ACTIVE_AT_UNIT,      /* s(id@version) s(unit) */
	RT_WHY_RETIRED_ACTIVATE,    /* s(id@version) s(when) s(by) */
	RT_WHY_NOT_APPROVED_ACTIVATE, /* s(id@version) */
	RT_WHY_NOT_PUBLISHED,       /* s(id@version) s(unit) */
	/* users and units (actions.c, actions_admin.c) */
	RT_WHY_UNKNOWN_UNIT_ADD,    /* s(unit) */
	RT_WHY_CLINICIAN_AT_REGION,
	RT_WHY_USER_EXISTS,         /* s(hsa) o(role) s(unit) */
	RT_WHY_USER_EXISTS_GONE,    /* s(hsa) o(role) s(unit) */
	RT_WHY_REGION_NOT_PERSON,   /* s(hsa) */
	RT_WHY_LAST_ADMIN,          /* s(hsa) */
	RT_WHY_UNKNOWN_USER,        /* s(hsa) */
	RT_WHY_USER_DEACTIVATED,    /* s(hsa) */
	RT_WHY_UNIT_EXISTS,         /* s(hsa) */
	RT_WHY_IS_THE_REGION,       /* s(hsa) */
	RT_WHY_KEY_TRUSTED,         /* s(key id) s(region) */
	RT_WHY_NO_TRUSTED_KEY,      /* s(region) s(key id) */
	/* importing a bundle (import.c) */
	RT_WHY_BUNDLE_TOO_LARGE,    /* s(file) s(MiB) */
	RT_WHY_BUNDLE_DAMAGED,      /* s(file) */
	RT_WHY_BUNDLE_CHANGED,      /* s(file) */
	RT_WHY_BUNDLE_DOES_NOT_CHECK, /* s(file) */
	RT_WHY_BUNDLE_BAD_VERSION,  /* s(file) s(version) */
	RT_WHY_BUNDLE_UNSIGNED,     /* s(file) */
	RT_WHY_PARTNER_UNSIGNED,    /* s(file) s(producer) */
	RT_WHY_SIGNATURE,           /* s(the verifier's reason) */
	RT_WHY_SIGNATURE_CLAIMS,    /* s(file) s(findings) s(signer) */
	RT_WHY_VERSION_CHANGED,     /* s(id@version) s(sha256) s(origin)
	                               s(this bundle's sha256) */
	RT_WHY_OTHER_PRODUCER,      /* s(id) s(version) s(origin) s(producer) */
	/* the web's same-origin and token checks (runtime/serve/csrf.c) */
	RT_WHY_CSRF_SITE,           /* s(Sec-Fetch-Site) */
	RT_WHY_CSRF_ORIGIN,         /* s(Origin) */
	RT_WHY_CSRF_TOKEN,
	RT_WHY_COUNT
} rt_why_code;

#define RT_WHY_NARGS 4
#define RT_WHY_ARGMAX 1024      /* an argument is cut at 1023 bytes: the
                                   message it goes into is cut at 1023
                                   anyway (registry.c's buffer) */

typedef struct rt_why {
	int code;                   /* RT_WHY_NONE: no structured reason */
	char arg[RT_WHY_NARGS][RT_WHY_ARGMAX];
} rt_why;

/* Fill *w with code and up to RT_WHY_NARGS arguments (NULL: none, ""). */
void rt_why_set(rt_why *w, int code, const char *a1, const char *a2,
                const char *a3, const char *a4);
/* The code's stable name ("not-published"), its arguments' kinds ("ss"),
 * its English template; NULL for RT_WHY_NONE and unknown codes. */
const char *rt_why_name(int code);
const char *rt_why_kinds(int code);
const char *rt_why_template(int code);
/* The English sentence of *w into out[0..cap) (cut at the buffer, never
 * in half a character).  "" for RT_WHY_NONE. */
void rt_why_english(char *out, size_t cap, const rt_why *w);
/* A kind 'm' argument, roles as "admin,publisher", as one phrase in any
 * language: each role worded by word(), joined "A", "A<or>B", "A, B<or>C"
 * (or: " or ", " eller "); at most three roles. */
void rt_why_roles(char *out, size_t cap, const char *list,
                  void (*word)(char *out, size_t cap, const char *role),
                  const char *or);
/* tmpl with %N$s replaced by args[N-1] (N in 1..n; a NULL or missing
 * argument is "") and %% by %, into out[0..cap), cut at the buffer.
 * Returns the length the whole text would have. */
size_t rt_why_expand(char *out, size_t cap, const char *tmpl,
                     const char *const *args, size_t n);
/* The largest N of a %N$s in tmpl (0 for none), or -1 when tmpl holds a
 * % that is neither %N$s (N in 1..9) nor %%: for tests of the tables. */
int rt_why_template_args(const char *tmpl);

#endif
