/*
 * act.c — the state changes on the web: for each action of
 * runtime/actions.h a confirmation page (GET /confirm/NAME?...) that says
 * exactly what will change, the form's POST (/actions/NAME) and its JSON
 * twin under /api/v1/ (docs/openapi.yaml).  The rules, the refusals and
 * the audit rows are the actions' own; what is here is reading the
 * request, the same-origin and token checks (csrf.c; a refusal there is
 * audited as the action refused, as the command line audits its own),
 * and saying the outcome.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "diag.h"
#include "keyfile.h"
#include "vocab.h"
#include "../actions.h"
#include "../db.h"
#include "serve.h"
#include "pages.h"
#include "words.h"
#include "upload.h"

#define MAX_UNITS 64

static const struct {
	const char *name;           /* in /confirm/NAME and /actions/NAME */
	const char *audit;          /* the audit log's action */
	sv_word label;              /* the confirmation's heading */
} acts[SV_ACT_COUNT] = {
	[SV_ACT_ACTIVATE] = { "activate", "activate", SV_W_ACTIVATE },
	[SV_ACT_DEACTIVATE] = { "deactivate", "deactivate", SV_W_DEACTIVATE },
	[SV_ACT_APPROVE] = { "approve", "approve", SV_W_APPROVE },
	[SV_ACT_PUBLISH] = { "publish", "publish", SV_W_PUBLISH },
	[SV_ACT_UNPUBLISH] = { "unpublish", "unpublish", SV_W_UNPUBLISH },
	[SV_ACT_RETIRE] = { "retire", "retire", SV_W_RETIRE },
	[SV_ACT_USER_ADD] = { "user-add", "user add", SV_W_USER_ADD },
	[SV_ACT_USER_DEACTIVATE] = { "user-deactivate", "user deactivate",
	                             SV_W_USER_DEACTIVATE },
	[SV_ACT_IMPORT] = { "import", "import", SV_W_IMPORT },
	[SV_ACT_UNIT_ADD] = { "unit-add", "unit add", SV_W_UNIT_ADD },
	[SV_ACT_TRUST_ADD] = { "trust-add", "trust add", SV_W_TRUST_ADD },
	[SV_ACT_TRUST_REMOVE] = { "trust-remove", "trust remove",
	                          SV_W_TRUST_REMOVE },
	[SV_ACT_USER_ROLE] = { "user-role", "user role", SV_W_USER_ROLE },
};

int sv_act_by_name(const char *name)
{
	for (int i = 0; i < SV_ACT_COUNT; i++)
		if (!strcmp(acts[i].name, name))
			return i;
	return -1;
}

/* What one action is asked to do. */
typedef struct act_args {
	int kind;
	char id[160], version[64], object[240];
	char unit[80];                  /* activate, deactivate; user add */
	char units[MAX_UNITS][80];      /* publish, unpublish */
	size_t nunits;
	int all_units;
	char hsa[80], name[256], role[16];   /* users; a unit's hsa, name */
	char region[80], comment[256];       /* trusted keys */
	char pubkey[ST_PUBKEY_B64_LEN + 8], keyid[20];
	st_pubkey pk;
} act_args;

static int is_user_act(int kind)
{
	return kind == SV_ACT_USER_ADD || kind == SV_ACT_USER_DEACTIVATE ||
	       kind == SV_ACT_USER_ROLE;
}

static int is_unit_act(int kind)
{
	return kind == SV_ACT_ACTIVATE || kind == SV_ACT_DEACTIVATE;
}

static int is_trust_act(int kind)
{
	return kind == SV_ACT_TRUST_ADD || kind == SV_ACT_TRUST_REMOVE;
}

/* An action on the region's set-up rather than a program version. */
static int is_admin_act(int kind)
{
	return kind == SV_ACT_UNIT_ADD || is_trust_act(kind);
}

/* ---- reading the request ------------------------------------------------ */

/* The program reference into a->id, a->version, a->object. */
static int set_ref(act_args *a, const char *ref, char *why, size_t cap)
{
	if (rt_ref_split(ref, a->id, sizeof a->id, a->version,
	                 sizeof a->version, 1, why, cap))
		return -1;
	snprintf(a->object, sizeof a->object, "%s@%s", a->id, a->version);
	return 0;
}

static int add_unit(act_args *a, const char *u, char *why, size_t cap)
{
	if (a->nunits == MAX_UNITS) {
		snprintf(why, cap, "at most %d units at a time", MAX_UNITS);
		return -1;
	}
	if (!rt_hsa_valid(u)) {
		snprintf(why, cap, "'%s' is not a unit's HSA-id", u);
		return -1;
	}
	snprintf(a->units[a->nunits++], sizeof a->units[0], "%s", u);
	return 0;
}

/* A name or comment: one line of printable text (core's rule). */
static int text_check(const char *what, const char *s, int empty_ok,
                      char *why, size_t cap)
{
	char twhy[ST_TEXT_WHY];
	if ((!s[0] && !empty_ok) || (s[0] && !st_text_valid(s, ST_TEXT_MAX,
	                                                     twhy))) {
		snprintf(why, cap, "the %s %s; write one line of printable text of "
		         "at most %d bytes", what, s[0] ? twhy : "is empty",
		         ST_TEXT_MAX);
		return -1;
	}
	return 0;
}

/* A unit added, a key trusted or no longer: the command line's rules of
 * its arguments (steg unit add, steg trust add|remove). */
static int admin_args_check(act_args *a, char *why, size_t cap)
{
	uint8_t raw[8];
	if (a->kind == SV_ACT_UNIT_ADD) {
		snprintf(a->object, sizeof a->object, "%s", a->hsa);
		snprintf(a->unit, sizeof a->unit, "%s", a->hsa);
		if (!rt_hsa_valid(a->hsa)) {
			snprintf(why, cap, "'%s' is not an HSA-id (" ST_HSA_ID_RULE
			         ")", a->hsa);
			return -1;
		}
		return text_check("name", a->name, 0, why, cap);
	}
	if (!rt_hsa_valid(a->region)) {
		snprintf(why, cap, "'%s' is not a region's HSA-id (" ST_HSA_ID_RULE
		         ")", a->region);
		return -1;
	}
	if (a->kind == SV_ACT_TRUST_REMOVE) {
		if (st_keyid_parse(raw, a->keyid) != 0) {
			snprintf(why, cap, "'%s' is not a key id (16 hex digits, as "
			         "the trusted keys list it)", a->keyid);
			return -1;
		}
		st_keyid_hex(a->keyid, raw);
		snprintf(a->object, sizeof a->object, "%s", a->keyid);
		return 0;
	}
	if (st_pubkey_parse(&a->pk, a->pubkey) != 0) {
		snprintf(why, cap, "the public key is not a minisign public key "
		         "(the second line of a .pub file)");
		return -1;
	}
	st_keyid_hex(a->keyid, a->pk.keyid);
	snprintf(a->object, sizeof a->object, "%s", a->keyid);
	return text_check("comment", a->comment, 1, why, cap);
}

/* What every action needs, checked: 0 or -1 with why. */
static int args_check(act_args *a, char *why, size_t cap)
{
	if (is_admin_act(a->kind))
		return admin_args_check(a, why, cap);
	if (is_user_act(a->kind)) {
		snprintf(a->object, sizeof a->object, "%s", a->hsa);
		if (a->kind == SV_ACT_USER_DEACTIVATE)
			return a->hsa[0] ? 0 : (snprintf(why, cap, "name the user "
			       "(hsa_id)"), -1);
		if (rt_user_args_check(a->hsa, a->role, why, cap))
			return -1;
		if (a->kind == SV_ACT_USER_ROLE) {
			if (a->unit[0] && !rt_hsa_valid(a->unit)) {
				snprintf(why, cap, "'%s' is not a unit's HSA-id", a->unit);
				return -1;
			}
			return 0;
		}
		char twhy[ST_TEXT_WHY];
		if (!a->name[0] || !st_text_valid(a->name, ST_TEXT_MAX, twhy)) {
			snprintf(why, cap, "the name %s; write one line of printable "
			         "text of at most %d bytes", a->name[0] ? twhy :
			         "is empty", ST_TEXT_MAX);
			return -1;
		}
		if (a->unit[0] && !rt_hsa_valid(a->unit)) {
			snprintf(why, cap, "'%s' is not a unit's HSA-id", a->unit);
			return -1;
		}
		return 0;
	}
	if (!a->object[0]) {
		snprintf(why, cap, "name the program version (program, ID@VERSION)");
		return -1;
	}
	if (is_unit_act(a->kind) && !rt_hsa_valid(a->unit)) {
		snprintf(why, cap, "name the care unit (unit, an HSA-id)");
		return -1;
	}
	if ((a->kind == SV_ACT_PUBLISH || a->kind == SV_ACT_UNPUBLISH) &&
	    !a->all_units && a->nunits == 0) {
		snprintf(why, cap, "choose at least one unit");
		return -1;
	}
	return 0;
}

/* The n-th value of an urlencoded field (0-based); 1 when there is one. */
static int form_nth(const char *body, size_t len, const char *name, int n,
                    char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body ? body + len : NULL;
	int seen = 0;
	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - p) > nl && !memcmp(p, name, nl) && p[nl] == '=' &&
		    seen++ == n)
			return sv_form_field(p, (size_t)(stop - p), name, out, cap);
		p = stop + 1;
	}
	return 0;
}

static int args_from_form(sv_req *rq, act_args *a, char *why, size_t cap)
{
	char v[300];
	if (form_nth(rq->body, rq->len, "program", 0, v, sizeof v) &&
	    set_ref(a, v, why, cap))
		return -1;
	if (a->kind == SV_ACT_PUBLISH || a->kind == SV_ACT_UNPUBLISH) {
		for (int i = 0; form_nth(rq->body, rq->len, "unit", i, v, sizeof v);
		     i++)
			if (add_unit(a, v, why, cap))
				return -1;
	} else {
		form_nth(rq->body, rq->len, "unit", 0, a->unit, sizeof a->unit);
	}
	form_nth(rq->body, rq->len, "hsa_id", 0, a->hsa, sizeof a->hsa);
	form_nth(rq->body, rq->len, "name", 0, a->name, sizeof a->name);
	form_nth(rq->body, rq->len, "role", 0, a->role, sizeof a->role);
	form_nth(rq->body, rq->len, "region", 0, a->region, sizeof a->region);
	form_nth(rq->body, rq->len, "comment", 0, a->comment, sizeof a->comment);
	form_nth(rq->body, rq->len, "public_key", 0, a->pubkey,
	         sizeof a->pubkey);
	form_nth(rq->body, rq->len, "key_id", 0, a->keyid, sizeof a->keyid);
	return args_check(a, why, cap);
}

/* The same from the query string of a confirmation page. */
static int args_from_query(sv_req *rq, act_args *a, char *why, size_t cap)
{
	const char *v;
	if ((v = sv_query(rq, "program")) && set_ref(a, v, why, cap))
		return -1;
	if ((v = sv_query(rq, "unit")))
		snprintf(a->unit, sizeof a->unit, "%s", v);
	if ((v = sv_query(rq, "hsa_id")))
		snprintf(a->hsa, sizeof a->hsa, "%s", v);
	if ((v = sv_query(rq, "name")))
		snprintf(a->name, sizeof a->name, "%s", v);
	if ((v = sv_query(rq, "role")))
		snprintf(a->role, sizeof a->role, "%s", v);
	if ((v = sv_query(rq, "region")))
		snprintf(a->region, sizeof a->region, "%s", v);
	if ((v = sv_query(rq, "key_id")))
		snprintf(a->keyid, sizeof a->keyid, "%s", v);
	if (a->kind == SV_ACT_PUBLISH || a->kind == SV_ACT_UNPUBLISH)
		a->all_units = 1;        /* the page lists the units to choose */
	return args_check(a, why, cap);
}

static void copy_str(json_t *o, const char *key, char *out, size_t cap)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (s)
		snprintf(out, cap, "%s", s);
}

/* A JSON body; path arguments (id, version, unit, user) already in a. */
static int args_from_json(sv_req *rq, act_args *a, char *why, size_t cap)
{
	json_error_t err;
	json_t *o = rq->len ? json_loadb(rq->body, rq->len, 0, &err) : NULL;
	int rc = 0;

	if (rq->len && !json_is_object(o)) {
		snprintf(why, cap, "the body is not a JSON object%s%s",
		         o ? "" : ": ", o ? "" : err.text);
		json_decref(o);
		return -1;
	}
	if (o) {
		const char *p = json_string_value(json_object_get(o, "program"));
		const char *v = json_string_value(json_object_get(o, "version"));
		if (p && v) {
			char ref[300];
			snprintf(ref, sizeof ref, "%s@%s", p, v);
			rc = set_ref(a, ref, why, cap);
		}
		json_t *us = json_object_get(o, "units"), *u;
		size_t i;
		if (us && !json_is_array(us)) {
			snprintf(why, cap, "'units' is a list of unit HSA-ids");
			rc = -1;
		}
		json_array_foreach(us, i, u)
			if (!rc && (!json_is_string(u) ||
			            add_unit(a, json_string_value(u), why, cap))) {
				if (!json_is_string(u))
					snprintf(why, cap, "'units' is a list of unit HSA-ids");
				rc = -1;
			}
		a->all_units = json_is_true(json_object_get(o, "all_units"));
		if (!rc && a->all_units && a->nunits) {
			snprintf(why, cap, "give 'units' or 'all_units', not both");
			rc = -1;
		}
		copy_str(o, "hsa_id", a->hsa, sizeof a->hsa);
		copy_str(o, "name", a->name, sizeof a->name);
		copy_str(o, "role", a->role, sizeof a->role);
		copy_str(o, "region", a->region, sizeof a->region);
		copy_str(o, "comment", a->comment, sizeof a->comment);
		copy_str(o, "public_key", a->pubkey, sizeof a->pubkey);
		if (a->kind == SV_ACT_USER_ADD || a->kind == SV_ACT_USER_ROLE)
			copy_str(o, "unit", a->unit, sizeof a->unit);
	}
	json_decref(o);
	return rc ? rc : args_check(a, why, cap);
}

/* ---- what the registry says about the arguments -------------------------- */

/* A unit's name ("" when unknown). */
static void unit_name(rt_reg *r, const char *unit, char *out, size_t cap)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	if (rt_db_row(r, &st, "cannot read the units", "SELECT name FROM "
	              "organisations WHERE hsa_id = ?1", RT_ARGS(RT_TEXT(unit)))
	    == RT_ROW)
		rt_col_copy(st, 0, out, cap);
	rt_db_done(r, st);
}

/* The version of program id active at unit ("" when none). */
static void running_at(rt_reg *r, const char *id, const char *unit,
                       char out[64])
{
	sqlite3_stmt *st;
	out[0] = '\0';
	if (rt_db_row(r, &st, "cannot read the activations", "SELECT version "
	              "FROM activations WHERE program = ?1 AND unit = ?2 AND "
	              "active = 1", RT_ARGS(RT_TEXT(id), RT_TEXT(unit))) ==
	    RT_ROW)
		rt_col_copy(st, 0, out, 64);
	rt_db_done(r, st);
}

/* A sentence of words.h (its %s filled in order) into out; every
 * argument is a string, and the words take at most as many as given. */
static void say(char *out, size_t cap, sv_word w, ...)
{
	va_list ap;
	va_start(ap, w);
	vsnprintf(out, cap, sv_w(w), ap);
	va_end(ap);
}

/* The sentence of a unit or trust change: what it will do (res NULL) or
 * did. */
static void admin_sentence(rt_reg *r, const act_args *a,
                           const rt_act_result *res, char *out, size_t cap)
{
	char rname[256] = "";
	switch (a->kind) {
	case SV_ACT_UNIT_ADD:
		say(out, cap, res ? SV_W_S_UNIT_ADDED : SV_W_S_UNIT_ADD, a->name,
		    a->hsa);
		break;
	case SV_ACT_TRUST_ADD:
	case SV_ACT_TRUST_REMOVE:
		unit_name(r, a->region, rname, sizeof rname);
		snprintf(rname + strlen(rname), sizeof rname - strlen(rname),
		         "%s%s%s", rname[0] ? " (" : "", a->region,
		         rname[0] ? ")" : "");
		say(out, cap, a->kind == SV_ACT_TRUST_ADD ? (res ?
		    SV_W_S_TRUSTED : SV_W_S_TRUST) : (res ? SV_W_S_UNTRUSTED :
		    SV_W_S_UNTRUST), a->keyid, rname);
		break;
	default:
		out[0] = '\0';
	}
}

/* A user's new role: what will change (res NULL) or what did. */
static void role_sentence(rt_reg *r, const act_args *a,
                          const rt_act_result *res, char *out, size_t cap)
{
	rt_actor u;
	char was[256], now[256];
	const char *unit;

	rt_actor_lookup(r, &u, a->hsa);
	unit = res && res->nunits ? res->units[0] : a->unit[0] ? a->unit :
	       u.unit;
	unit_name(r, res ? res->old_unit : u.unit, was, sizeof was);
	unit_name(r, unit, now, sizeof now);
	if (!res)
		say(out, cap, SV_W_S_USER_ROLE, u.name[0] ? u.name : a->hsa, a->hsa,
		    sv_role_word(a->role), now[0] ? now : unit,
		    sv_role_word(u.role), was[0] ? was : u.unit);
	else
		say(out, cap, res->changed ? SV_W_S_USER_ROLED :
		    SV_W_S_USER_SAME_ROLE, u.name[0] ? u.name : a->hsa, a->hsa,
		    sv_role_word(a->role), now[0] ? now : unit);
}

/* The sentence that says what the action will change (when) or changed. */
static void sentence(rt_reg *r, const act_args *a, const rt_act_result *res,
                     char *out, size_t cap)
{
	char uname[256] = "", running[64] = "", title[600];
	rt_version v;

	memset(&v, 0, sizeof v);
	if (is_admin_act(a->kind)) {
		admin_sentence(r, a, res, out, cap);
		return;
	}
	if (!is_user_act(a->kind) && a->id[0] &&
	    rt_version_get(r, a->id, a->version, &v) == ST_OK)
		snprintf(title, sizeof title, "”%s”", v.title);
	else
		snprintf(title, sizeof title, "%s", a->id);
	if (a->unit[0])
		unit_name(r, a->unit, uname, sizeof uname);
	if (!uname[0])
		snprintf(uname, sizeof uname, "%s", a->unit);
	switch (a->kind) {
	case SV_ACT_ACTIVATE:
		if (res && !res->changed)
			say(out, cap, SV_W_S_ALREADY_ACTIVE, title, a->version, uname);
		else if (res)
			say(out, cap, res->replaced[0] ? SV_W_S_SWITCHED :
			    SV_W_S_ACTIVATED, uname, title, res->replaced[0] ?
			    res->replaced : a->version, a->version);
		else {
			running_at(r, a->id, a->unit, running);
			if (running[0] && strcmp(running, a->version))
				say(out, cap, SV_W_S_SWITCH, uname, title, running,
				    a->version);
			else
				say(out, cap, SV_W_S_ACTIVATE, uname, title, a->version);
		}
		break;
	case SV_ACT_DEACTIVATE:
		say(out, cap, !res ? SV_W_S_DEACTIVATE : res->changed ?
		    SV_W_S_DEACTIVATED : SV_W_S_NOT_ACTIVE, uname, title,
		    a->version);
		break;
	case SV_ACT_APPROVE:
		say(out, cap, !res ? SV_W_S_APPROVE : res->changed ?
		    SV_W_S_APPROVED : SV_W_S_ALREADY_APPROVED, a->version, title);
		break;
	case SV_ACT_RETIRE:
		say(out, cap, !res ? SV_W_S_RETIRE : res->changed ?
		    SV_W_S_RETIRED : SV_W_S_ALREADY_RETIRED, a->version, title);
		break;
	case SV_ACT_PUBLISH:
	case SV_ACT_UNPUBLISH: {
		int on = a->kind == SV_ACT_PUBLISH;
		st_buf names;
		st_buf_init(&names);
		for (size_t i = 0; res && i < res->nunits; i++) {
			char n[256];
			unit_name(r, res->units[i], n, sizeof n);
			st_buf_printf(&names, "%s%s", i ? ", " : "", n[0] ? n :
			              res->units[i]);
		}
		if (!res)
			say(out, cap, on ? SV_W_S_PUBLISH : SV_W_S_UNPUBLISH, a->version,
			    title);
		else if (res->changed)
			say(out, cap, on ? SV_W_S_PUBLISHED : SV_W_S_UNPUBLISHED,
			    a->version, title, names.data ? names.data : "");
		else
			say(out, cap, on ? SV_W_S_ALREADY_PUBLISHED :
			    SV_W_S_NOT_PUBLISHED, a->version, title);
		st_buf_release(&names);
		break;
	}
	case SV_ACT_USER_ADD: {
		const char *unit = a->unit[0] ? a->unit : rt_reg_region(r);
		unit_name(r, unit, uname, sizeof uname);
		say(out, cap, res ? SV_W_S_USER_ADDED : SV_W_S_USER_ADD, a->name,
		    a->hsa, sv_role_word(a->role), uname[0] ? uname : unit);
		break;
	}
	case SV_ACT_USER_ROLE:
		role_sentence(r, a, res, out, cap);
		break;
	case SV_ACT_USER_DEACTIVATE: {
		rt_actor u;
		rt_actor_lookup(r, &u, a->hsa);
		say(out, cap, !res ? SV_W_S_USER_DEACTIVATE : res->changed ?
		    SV_W_S_USER_DEACTIVATED : SV_W_S_USER_ALREADY_GONE,
		    u.name[0] ? u.name : a->hsa, a->hsa);
		break;
	}
	default:
		out[0] = '\0';
	}
}

/* Where a page of the action goes back to. */
static void back_to(const act_args *a, char *out, size_t cap)
{
	if (is_unit_act(a->kind) && !a->unit[0])
		snprintf(out, cap, "/");
	else if (is_unit_act(a->kind))
		snprintf(out, cap, "/units/%s", a->unit);
	else if (is_user_act(a->kind))
		snprintf(out, cap, "/users");
	else if (a->kind == SV_ACT_UNIT_ADD)
		snprintf(out, cap, "/");
	else if (is_trust_act(a->kind))
		snprintf(out, cap, "/trust");
	else
		snprintf(out, cap, "/versions");
}

/* ---- the confirmation page ---------------------------------------------- */

static void hidden(st_buf *b, const char *name, const char *value)
{
	st_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	sv_esc_attr(b, value);
	st_buf_adds(b, "\">");
}

/* The units to choose from for publish (where not yet published) or
 * unpublish (where published), as checkboxes; the number listed. */
static int unit_choices(st_buf *b, rt_reg *r, const act_args *a,
                        const sv_req *rq)
{
	sqlite3_stmt *st;
	int n = 0, on = a->kind == SV_ACT_PUBLISH;
	if (rt_db_prepare(r, &st, "cannot read the units", "SELECT o.hsa_id, "
	                  "o.name FROM organisations o WHERE o.kind = 'unit' AND "
	                  "?3 = EXISTS (SELECT 1 FROM publications p WHERE "
	                  "p.program = ?1 AND p.version = ?2 AND p.unit = "
	                  "o.hsa_id AND p.withdrawn_at IS NULL) ORDER BY o.name",
	                  RT_ARGS(RT_TEXT(a->id), RT_TEXT(a->version),
	                          RT_INT(!on))))
		return 0;
	sv_escf(b, "<fieldset><legend>%s</legend>", sv_w(SV_W_CHOOSE_UNITS));
	while (rt_db_step(r, st, "cannot read the units") == RT_ROW) {
		const char *id = rt_col_text(st, 0);
		if (!sv_may_see_unit(rq, id ? id : ""))
			continue;
		st_buf_printf(b, "<label><input type=\"checkbox\" name=\"unit\" "
		              "value=\"");
		sv_esc_attr(b, id);
		sv_escf(b, "\"> %s (%s)</label>", rt_col_text(st, 1), id);
		n++;
	}
	rt_db_done(r, st);
	if (!n)
		sv_escf(b, "<p>%s</p>", sv_w(on ? SV_W_NO_UNITS_LEFT :
		                              SV_W_NOT_PUBLISHED_ANYWHERE));
	st_buf_adds(b, "</fieldset>");
	return n;
}

/* The hidden fields of a unit or trust change's form. */
static void admin_hidden(st_buf *b, const act_args *a)
{
	if (a->kind == SV_ACT_UNIT_ADD) {
		hidden(b, "hsa_id", a->hsa);
		hidden(b, "name", a->name);
		return;
	}
	hidden(b, "region", a->region);
	if (a->kind == SV_ACT_TRUST_REMOVE) {
		hidden(b, "key_id", a->keyid);
		return;
	}
	hidden(b, "public_key", a->pubkey);
	hidden(b, "comment", a->comment);
}

/* The page that says what a->kind will change, with its form. */
static int confirm_page(sv_req *rq, rt_reg *r, act_args *a)
{
	char text[1200], back[200];
	int kind = a->kind, can = 1;
	st_buf b;

	st_buf_init(&b);
	rt_read_begin(r, "cannot read the registry");
	sentence(r, a, NULL, text, sizeof text);
	back_to(a, back, sizeof back);
	sv_page_begin(&b, rq, sv_w(acts[kind].label));
	sv_escf(&b, "<h1>%s</h1><form method=\"post\" action=\"/actions/%s\">"
	        "<p class=\"change\">%s</p>", sv_w(acts[kind].label),
	        acts[kind].name, text);
	hidden(&b, "_csrf", rq->token);
	if (is_admin_act(kind))
		admin_hidden(&b, a);
	else if (a->object[0] && !is_user_act(kind))
		hidden(&b, "program", a->object);
	if (is_unit_act(kind) || kind == SV_ACT_USER_ADD)
		hidden(&b, "unit", a->unit);
	if (is_user_act(kind))
		hidden(&b, "hsa_id", a->hsa);
	if (kind == SV_ACT_USER_ADD) {
		hidden(&b, "name", a->name);
		hidden(&b, "role", a->role);
	}
	if (kind == SV_ACT_USER_ROLE) {
		hidden(&b, "role", a->role);
		hidden(&b, "unit", a->unit);
	}
	if (kind == SV_ACT_PUBLISH || kind == SV_ACT_UNPUBLISH)
		can = unit_choices(&b, r, a, rq) > 0;
	rt_read_end(r);
	if (can)
		sv_escf(&b, "<p><button type=\"submit\">%s</button> ",
		        sv_w(SV_W_CONFIRM));
	else
		st_buf_adds(&b, "<p>");
	st_buf_adds(&b, "<a class=\"button secondary\" href=\"");
	sv_esc_attr(&b, back);
	sv_escf(&b, "\">%s</a></p></form>", sv_w(SV_W_CANCEL));
	sv_page_end(&b);
	return sv_send_html(rq, 200, &b);
}

int sv_act_confirm(sv_req *rq, int kind)
{
	act_args a;
	rt_reg *r = NULL;
	char why[600];
	int ret;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	if (kind == SV_ACT_IMPORT || kind == SV_ACT_TRUST_ADD)
		return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), kind ==
		                       SV_ACT_TRUST_ADD ? sv_w(SV_W_WHY_KEY_FORM) :
		                       NULL);
	if (args_from_query(rq, &a, why, sizeof why))
		return sv_send_problem(rq, 400, sv_w(SV_W_BAD_REQUEST), why);
	if (is_unit_act(kind) && !sv_may_see_unit(rq, a.unit))
		return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                       sv_w(SV_W_WHY_OTHER_UNIT));
	if (sv_open(rq, &r, &ret))
		return ret;
	ret = confirm_page(rq, r, &a);
	sv_close(r);
	return ret;
}

/* ---- doing it ---------------------------------------------------------- */

/* The HTTP status of a refusal. */
static int refusal_status(const rt_act_result *res, int kind)
{
	if (res->refusal == RT_ACT_FORBIDDEN)
		return 403;
	if (res->refusal == RT_ACT_NOT_FOUND)
		return 404;
	return kind == SV_ACT_IMPORT ? 422 : 409;
}

/* The answer to a done action: a page, or JSON. */
static int answer(sv_req *rq, rt_reg *r, const act_args *a,
                  const rt_act_result *res, int json)
{
	char text[1200], back[200];
	sentence(r, a, res, text, sizeof text);
	if (json) {
		json_t *o = json_object(), *us = json_array();
		json_object_set_new(o, "action", json_string(acts[a->kind].audit));
		json_object_set_new(o, "object", st_json_str(res->object));
		json_object_set_new(o, "changed", json_boolean(res->changed));
		json_object_set_new(o, "message", st_json_str(text));
		if (a->kind == SV_ACT_PUBLISH || a->kind == SV_ACT_UNPUBLISH) {
			for (size_t i = 0; res->changed && i < res->nunits; i++)
				json_array_append_new(us, st_json_str(res->units[i]));
			json_object_set_new(o, "units", us);
		} else {
			json_decref(us);
		}
		if (a->kind == SV_ACT_ACTIVATE)
			json_object_set_new(o, "replaced", res->replaced[0] ?
			                    st_json_str(res->replaced) : json_null());
		return sv_send_json(rq, 200, o);
	}
	st_buf b;
	st_buf_init(&b);
	back_to(a, back, sizeof back);
	sv_page_begin(&b, rq, sv_w(SV_W_DONE));
	sv_escf(&b, "<h1>%s</h1><p role=\"status\" class=\"done\">%s</p><p>"
	        "<a href=\"", sv_w(SV_W_DONE), text);
	sv_esc_attr(&b, back);
	sv_escf(&b, "\">%s</a></p>", sv_w(SV_W_BACK));
	sv_page_end(&b);
	return sv_send_html(rq, 200, &b);
}

/* The token the request carries: the header, or the form's field. */
static const char *request_token(sv_req *rq, char *buf, size_t cap)
{
	const char *h = sv_header(rq, "X-CSRF-Token");
	if (h)
		return h;
	if (rq->upload)
		return sv_upload_field(rq->upload, "_csrf");
	return sv_form_field(rq->body, rq->len, "_csrf", buf, cap) ? buf : NULL;
}

/* The same-origin and token checks; a refusal is audited as the action
 * refused.  0 to go on, else -1 with *ret the answer. */
static int guard(sv_req *rq, rt_reg *r, const act_args *a, int *ret)
{
	char buf[128], arg[100], back[200];
	int why = sv_csrf_check(rq, request_token(rq, buf, sizeof buf), arg);
	if (!why)
		return 0;
	rt_refuse_why(r, &rq->who, a->unit[0] && !is_user_act(a->kind) ?
	              a->unit : NULL, acts[a->kind].audit, a->object[0] ?
	              a->object : "-", why, arg, NULL, NULL, NULL);
	back_to(a, back, sizeof back);
	*ret = sv_send_refusal(rq, 403, sv_w(SV_W_FORBIDDEN), r, NULL, back);
	return -1;
}

static int run(sv_req *rq, rt_reg *r, act_args *a, int json)
{
	rt_act_result res;
	const char *as = rq->who.hsa;
	const char *us[MAX_UNITS];
	char back[200];
	int rc, ret;

	for (size_t i = 0; i < a->nunits; i++)
		us[i] = a->units[i];
	rt_act_init(&res);
	switch (a->kind) {
	case SV_ACT_ACTIVATE:
	case SV_ACT_DEACTIVATE:
		rc = rt_act_activate(r, as, a->id, a->version, a->unit,
		                     a->kind == SV_ACT_ACTIVATE, &res);
		break;
	case SV_ACT_APPROVE:
		rc = rt_act_approve(r, as, a->id, a->version, &res);
		break;
	case SV_ACT_RETIRE:
		rc = rt_act_retire(r, as, a->id, a->version, &res);
		break;
	case SV_ACT_PUBLISH:
	case SV_ACT_UNPUBLISH:
		rc = rt_act_publish(r, as, a->id, a->version, a->all_units ? NULL :
		                    us, a->nunits, a->kind == SV_ACT_PUBLISH, &res);
		break;
	case SV_ACT_USER_ADD:
		rc = rt_act_user_add(r, as, a->hsa, a->name, a->role,
		                     a->unit[0] ? a->unit : NULL, &res);
		break;
	case SV_ACT_USER_DEACTIVATE:
		rc = rt_act_user_deactivate(r, as, a->hsa, &res);
		break;
	case SV_ACT_USER_ROLE:
		rc = rt_act_user_role(r, as, a->hsa, a->role, a->unit[0] ?
		                      a->unit : NULL, &res);
		break;
	case SV_ACT_UNIT_ADD:
		rc = rt_act_unit_add(r, as, a->hsa, a->name, &res);
		break;
	case SV_ACT_TRUST_ADD:
		rc = rt_act_trust_add(r, as, a->region, &a->pk, a->comment, &res);
		break;
	case SV_ACT_TRUST_REMOVE:
		rc = rt_act_trust_remove(r, as, a->region, a->keyid, &res);
		break;
	default:
		rc = rt_fail(r, ST_EIO, "no such action");
	}
	back_to(a, back, sizeof back);
	if (rc == ST_ERR)
		ret = sv_send_refusal(rq, refusal_status(&res, a->kind),
		                      sv_w(SV_W_REFUSED), r, NULL, back);
	else if (rc)
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
	else
		ret = answer(rq, r, a, &res, json);
	rt_act_release(&res);
	return ret;
}

int sv_act_post(sv_req *rq, int kind, const char *id, const char *version,
                const char *unit, const char *user, int json)
{
	act_args a;
	rt_reg *r = NULL;
	char why[600];
	int ret, bad;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	if (id && version) {
		char ref[300];
		snprintf(ref, sizeof ref, "%s@%s", id, version);
		if (set_ref(&a, ref, why, sizeof why))
			return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), why);
	}
	if (unit)
		snprintf(a.unit, sizeof a.unit, "%s", unit);
	if (user && kind == SV_ACT_TRUST_REMOVE)
		snprintf(a.keyid, sizeof a.keyid, "%s", user);
	else if (user)
		snprintf(a.hsa, sizeof a.hsa, "%s", user);
	bad = json ? args_from_json(rq, &a, why, sizeof why) :
	             args_from_form(rq, &a, why, sizeof why);
	if (sv_open(rq, &r, &ret))
		return ret;
	/* The origin and the token first: another site learns nothing, not
	 * even whether its request was well-formed. */
	if (guard(rq, r, &a, &ret) == 0)
		ret = bad ? sv_send_problem(rq, 400, sv_w(SV_W_BAD_REQUEST), why) :
		      run(rq, r, &a, json);
	sv_close(r);
	return ret;
}

/* ---- import ------------------------------------------------------------- */

static int truthy(const char *s)
{
	return s && (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true")
	             || !strcmp(s, "yes"));
}

int sv_act_import(sv_req *rq, int json)
{
	act_args a;
	rt_reg *r = NULL;
	rt_import im;
	rt_act_result res;
	char why[600], display[200];
	int ret, status, rc;

	memset(&a, 0, sizeof a);
	a.kind = SV_ACT_IMPORT;
	if (!rq->upload)
		return sv_send_problem(rq, 415, sv_w(SV_W_BAD_REQUEST), "send the "
		                       "bundle as multipart/form-data");
	status = sv_upload_finish(rq->upload, why, sizeof why);
	if (sv_open(rq, &r, &ret))
		return ret;
	/* the upload's name, as the browser gave it: for messages only */
	snprintf(display, sizeof display, "%s", sv_upload_filename(rq->upload));
	if (!display[0] || !st_text_valid(display, 200, why + 300))
		snprintf(display, sizeof display, "upload");
	snprintf(a.object, sizeof a.object, "%s", display);
	if (guard(rq, r, &a, &ret)) {
		sv_close(r);
		return ret;
	}
	if (status) {
		sv_close(r);
		return sv_send_problem(rq, status, sv_w(SV_W_BAD_REQUEST), why);
	}
	rt_import_init(&im);
	rt_act_init(&res);
	rc = rt_act_import(r, rq->who.hsa, sv_upload_path(rq->upload), display,
	                   truthy(sv_upload_field(rq->upload, "allow_unsigned")) ||
	                   truthy(sv_query(rq, "allow_unsigned")), &im, &res);
	if (rc == ST_ERR) {
		ret = sv_send_refusal(rq, refusal_status(&res, a.kind),
		                      sv_w(SV_W_REFUSED), r, im.findings, "/versions");
	} else if (rc) {
		ret = sv_send_problem(rq, 500, sv_w(SV_W_ERROR), rt_reg_errmsg(r));
	} else {
		char text[600];
		snprintf(text, sizeof text, sv_w(res.changed ? SV_W_S_IMPORTED :
		         SV_W_S_ALREADY_IMPORTED), im.object);
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "action", json_string("import"));
			json_object_set_new(o, "object", st_json_str(im.object));
			json_object_set_new(o, "changed", json_boolean(res.changed));
			json_object_set_new(o, "message", st_json_str(text));
			json_object_set_new(o, "sha256", st_json_str(im.sha256));
			json_object_set_new(o, "signed_by", im.signer[0] ?
			                    st_json_str(im.signer) : json_null());
			ret = sv_send_json(rq, res.changed ? 201 : 200, o);
		} else {
			st_buf b;
			st_buf_init(&b);
			sv_page_begin(&b, rq, sv_w(SV_W_DONE));
			sv_escf(&b, "<h1>%s</h1><p role=\"status\" class=\"done\">%s</p>"
			        "<p><a href=\"/versions\">%s</a></p>", sv_w(SV_W_DONE),
			        text, sv_w(SV_W_BACK));
			sv_page_end(&b);
			ret = sv_send_html(rq, 200, &b);
		}
	}
	rt_import_release(&im);
	rt_act_release(&res);
	sv_close(r);
	return ret;
}

/* ---- a public key uploaded for the trusted keys ------------------------- */

/* The .pub file read by the command line's reader (st_pubkey_load) into
 * a->pubkey; 0, or the status with why. */
static int read_key(sv_upload *up, act_args *a, char *why, size_t cap)
{
	st_diags *d = st_diags_new();
	int rc;

	if (!d) {
		snprintf(why, cap, "out of memory");
		return 500;
	}
	rc = st_pubkey_load(&a->pk, d, sv_upload_path(up));
	if (rc != ST_OK)
		snprintf(why, cap, "%s: %s", sv_upload_filename(up)[0] ?
		         sv_upload_filename(up) : "the key file",
		         st_diags_count(d) ? st_diags_message(d, 0) :
		         "not a minisign public key");
	st_diags_free(d);
	if (rc != ST_OK)
		return rc == ST_EIO ? 500 : 400;
	st_pubkey_b64(a->pubkey, &a->pk);
	return 0;
}

int sv_act_confirm_key(sv_req *rq)
{
	act_args a;
	rt_reg *r = NULL;
	char why[600];
	const char *v;
	int ret, status;

	memset(&a, 0, sizeof a);
	a.kind = SV_ACT_TRUST_ADD;
	if (!rq->upload)
		return sv_send_problem(rq, 415, sv_w(SV_W_BAD_REQUEST), "send the "
		                       "key as multipart/form-data");
	status = sv_upload_finish(rq->upload, why, sizeof why);
	if (sv_open(rq, &r, &ret))
		return ret;
	snprintf(a.object, sizeof a.object, "-");
	if (guard(rq, r, &a, &ret) == 0) {
		if ((v = sv_upload_field(rq->upload, "region")))
			snprintf(a.region, sizeof a.region, "%s", v);
		if ((v = sv_upload_field(rq->upload, "comment")))
			snprintf(a.comment, sizeof a.comment, "%s", v);
		if (!status)
			status = read_key(rq->upload, &a, why, sizeof why);
		if (!status && args_check(&a, why, sizeof why))
			status = 400;
		ret = status ? sv_send_problem(rq, status, sv_w(SV_W_BAD_REQUEST),
		                               why) : confirm_page(rq, r, &a);
	}
	sv_close(r);
	return ret;
}
