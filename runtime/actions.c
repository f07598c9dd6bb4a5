/*
 * actions.c — the registry's state changes, once for the command line
 * and the web (actions.h): import, approve, retire, publish and
 * unpublish, activate and deactivate, user add and deactivate.
 *
 * Every change is one transaction with its audit row; every refusal is
 * audited on its own and changes nothing else.  Nothing that was ever
 * activated is deleted: withdrawals and deactivations are marked with who
 * and when, and the rows stay (docs/registry.md).
 *
 * A unit runs at most one version of a program at a time (a partial
 * unique index enforces it): activating another version replaces the
 * running one in the same transaction, and the audit row says which it
 * replaced.  Unpublishing a version that is active at the unit is refused
 * until the unit has deactivated it, so that no unit runs what it was not
 * given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "util.h"
#include "vocab.h"
#include "model.h"
#include "db.h"
#include "registry.h"
#include "policy.h"
#include "import.h"
#include "actions.h"

/* What a failed write says (the database's reason follows). */
#define WRITE "cannot write the registry"

static const char *nz(const char *s)
{
	return s ? s : "";
}

void rt_act_init(rt_act_result *res)
{
	memset(res, 0, sizeof *res);
}

void rt_act_release(rt_act_result *res)
{
	if (!res)
		return;
	free(res->units);
	memset(res, 0, sizeof *res);
}

/* Add unit to res->units.  0 or -1 (out of memory). */
static int add_unit(rt_act_result *res, const char *unit)
{
	void *nv = realloc(res->units, (res->nunits + 1) * sizeof *res->units);
	if (!nv)
		return -1;
	res->units = nv;
	snprintf(res->units[res->nunits++], sizeof *res->units, "%s", unit);
	return 0;
}

int rt_ref_split(const char *ref, char *id, size_t idn, char *version,
                 size_t vn, int want_version, char *why, size_t whycap)
{
	const char *at = strchr(ref, '@');
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	long ma, mi, pa;

	if (n == 0 || n >= idn) {
		snprintf(why, whycap, "'%s' is not a program reference; write "
		         "ID@VERSION, e.g. se.rjl.depression@1.0.0", ref);
		return ST_ERR;
	}
	memcpy(id, ref, n);
	id[n] = '\0';
	version[0] = '\0';
	if (!st_is_slug(id)) {
		snprintf(why, whycap, "'%s' is not a program id (a-z, 0-9, '-' "
		         "and '.')", id);
		return ST_ERR;
	}
	if (!at) {
		if (want_version) {
			snprintf(why, whycap, "'%s' names no version; write "
			         "%s@VERSION (see 'steg show %s')", ref, id, id);
			return ST_ERR;
		}
		return ST_OK;
	}
	if (strlen(at + 1) >= vn ||
	    st_semver_parse(at + 1, &ma, &mi, &pa) != 0) {
		snprintf(why, whycap, "'%s' is not a version; write "
		         "MAJOR.MINOR.PATCH, e.g. 1.0.0", at + 1);
		return ST_ERR;
	}
	snprintf(version, vn, "%s", at + 1);
	return ST_OK;
}

int rt_version_load(rt_reg *r, rt_version *v, const char *id,
                    const char *version)
{
	sqlite3_stmt *st;
	int rc, step;
	st_buf have;

	if ((rc = rt_version_get(r, id, version, v)) != ST_ENOENT)
		return rc;
	/* Say what there is instead. */
	if ((rc = rt_db_prepare(r, &st, "cannot read the versions", "SELECT "
	                        "version FROM versions WHERE program = ?1 ORDER "
	                        "BY major, minor, patch, version",
	                        RT_ARGS(RT_TEXT(id)))))
		return rc;
	st_buf_init(&have);
	while ((step = rt_db_step(r, st, "cannot read the versions")) == RT_ROW)
		st_buf_printf(&have, "%s%s", have.len ? ", " : "",
		              nz(rt_col_text(st, 0)));
	rt_db_done(r, st);
	if (step < 0)
		rc = step;
	else if (have.len)
		rc = rt_fail_why(r, ST_ERR, RT_WHY_NO_SUCH_VERSION, id, version,
		                 have.data, NULL);
	else
		rc = rt_fail_why(r, ST_ERR, RT_WHY_UNKNOWN_PROGRAM, id, NULL, NULL,
		                 NULL);
	st_buf_release(&have);
	return rc;
}

/* ---- what the version changes share ------------------------------------- */

typedef struct change {
	const char *cmd;            /* the audit action: "publish" */
	const char *as, *id, *version;
	char object[240];
	rt_actor who;
	rt_version v;
	rt_act_result *res;
} change;

static void change_init(change *c, const char *cmd, const char *as,
                        const char *id, const char *version,
                        rt_act_result *res)
{
	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->as = as;
	c->id = id;
	c->version = version;
	c->res = res;
	snprintf(c->object, sizeof c->object, "%s@%s", id, version);
	snprintf(res->object, sizeof res->object, "%s", c->object);
}

/* Begin, authorise, load the version; refusals audited.  unit: the unit
 * the change concerns (NULL: region-wide). */
static int start_change(rt_reg *r, change *c, unsigned roles,
                        const char *unit)
{
	int rc;
	if ((rc = rt_begin(r)))
		return rc;
	if (rt_authorize(r, &c->who, c->as, roles, unit)) {
		c->res->refusal = RT_ACT_FORBIDDEN;
		return rt_refuse_again(r, &c->who, unit, c->cmd, c->object);
	}
	rc = rt_version_load(r, &c->v, c->id, c->version);
	if (rc == ST_ERR)
		c->res->refusal = RT_ACT_NOT_FOUND;
	if (rc == ST_ERR)
		return rt_refuse_again(r, &c->who, unit, c->cmd, c->object);
	if (rc)
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	return ST_OK;
}

static int finish_change(rt_reg *r, change *c, const char *unit,
                         const char *detail, rt_act_result *res)
{
	int rc;
	if ((rc = rt_audit(r, &c->who, unit, c->cmd, c->object, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	res->changed = 1;
	return ST_OK;
}

/* A care unit of the region, or a refusal. */
static int need_unit(rt_reg *r, change *c, const char *unit)
{
	char kind[16];
	int rc = rt_org_kind(r, unit, kind);
	if (rc)
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	if (strcmp(kind, "unit"))
		c->res->refusal = RT_ACT_NOT_FOUND;
	if (strcmp(kind, "unit"))
		return rt_refuse_why(r, &c->who, unit, c->cmd, c->object, kind[0] ?
		                     RT_WHY_NOT_A_CARE_UNIT : RT_WHY_UNKNOWN_UNIT,
		                     unit, NULL, NULL, NULL);
	return ST_OK;
}

/* ---- approve ------------------------------------------------------------ */

int rt_act_approve(rt_reg *r, const char *as, const char *id,
                   const char *version, rt_act_result *res)
{
	change c;
	char now[32], detail[200];
	int rc, four_eyes;

	change_init(&c, "approve", as, id, version, res);
	if ((rc = start_change(r, &c, RT_ROLE_PUBLISHER, NULL)))
		return rc;
	/* An approval is the region's: every unit may publish and activate
	 * what is approved, so a publisher of one unit cannot give it. */
	if (!c.who.region_wide)
		res->refusal = RT_ACT_FORBIDDEN;
	if (!c.who.region_wide)
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_APPROVE_REGION_WIDE, as, c.who.unit, NULL,
		                     NULL);
	if (c.v.retired_at[0])
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_RETIRED_APPROVE, c.object, c.v.retired_at,
		                     c.v.retired_by, NULL);
	if (c.v.approved_at[0]) {
		rt_rollback(r);
		snprintf(res->at, sizeof res->at, "%s", c.v.approved_at);
		snprintf(res->by, sizeof res->by, "%s", c.v.approved_by);
		return ST_OK;
	}
	if ((rc = rt_policy_get(r, RT_POLICY_FOUR_EYES, &four_eyes)))
		return rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
	if (four_eyes && !strcmp(c.v.imported_by, as))
		res->refusal = RT_ACT_FORBIDDEN;
	if (four_eyes && !strcmp(c.v.imported_by, as))
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_FOUR_EYES, as, c.object, NULL, NULL);
	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "UPDATE versions SET approved_at = ?1, "
	                     "approved_by = ?2 WHERE program = ?3 AND version = "
	                     "?4", RT_ARGS(RT_TEXT(now), RT_TEXT(as),
	                     RT_TEXT(id), RT_TEXT(version)))))
		return rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
	/* The approval names the exact bytes that were reviewed, and under
	 * four-eyes whose import it checked. */
	if (four_eyes)
		snprintf(detail, sizeof detail, "bundle sha256 %s, four-eyes: "
		         "imported by '%s'", c.v.sha256, c.v.imported_by);
	else
		snprintf(detail, sizeof detail, "bundle sha256 %s", c.v.sha256);
	return finish_change(r, &c, NULL, detail, res);
}

/* ---- retire ------------------------------------------------------------- */

int rt_act_retire(rt_reg *r, const char *as, const char *id,
                  const char *version, rt_act_result *res)
{
	change c;
	char now[32];
	int rc;

	change_init(&c, "retire", as, id, version, res);
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)))
		return rc;
	if (!c.who.region_wide)
		res->refusal = RT_ACT_FORBIDDEN;
	if (!c.who.region_wide)
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_RETIRE_REGION_WIDE, as, c.who.unit, NULL,
		                     NULL);
	if (c.v.retired_at[0]) {
		rt_rollback(r);
		snprintf(res->at, sizeof res->at, "%s", c.v.retired_at);
		snprintf(res->by, sizeof res->by, "%s", c.v.retired_by);
		return ST_OK;
	}
	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "UPDATE versions SET retired_at = ?1, "
	                     "retired_by = ?2 WHERE program = ?3 AND version = "
	                     "?4", RT_ARGS(RT_TEXT(now), RT_TEXT(as),
	                     RT_TEXT(id), RT_TEXT(version)))))
		return rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
	return finish_change(r, &c, NULL, NULL, res);
}

/* ---- publish / unpublish ------------------------------------------------ */

/* Units where id@version is (published=1) or is not (0) currently
 * published, into res->units. */
static int select_units(rt_reg *r, change *c, int which, rt_act_result *res)
{
	sqlite3_stmt *st;
	int step;
	const char *sql =
		"SELECT o.hsa_id FROM organisations o WHERE o.kind = 'unit' AND "
		"?3 = EXISTS (SELECT 1 FROM publications p WHERE "
		"  p.program = ?1 AND p.version = ?2 AND p.unit = o.hsa_id AND "
		"  p.withdrawn_at IS NULL) ORDER BY o.hsa_id";

	if ((step = rt_db_prepare(r, &st, "cannot read the units", sql,
	                          RT_ARGS(RT_TEXT(c->id), RT_TEXT(c->version),
	                                  RT_INT(which)))))
		return step;
	while ((step = rt_db_step(r, st, "cannot read the units")) == RT_ROW)
		if (add_unit(res, nz(rt_col_text(st, 0))))
			break;
	rt_db_done(r, st);
	if (step != RT_DONE)
		return step == RT_ROW ? rt_fail(r, ST_EIO, "out of memory") : step;
	return ST_OK;
}

static int is_published(rt_reg *r, change *c, const char *unit, int *yes)
{
	long long one;
	int rc = rt_db_int(r, &one, "cannot read the publications", "SELECT 1 "
	                   "FROM publications WHERE program = ?1 AND version = ?2 "
	                   "AND unit = ?3 AND withdrawn_at IS NULL",
	                   RT_ARGS(RT_TEXT(c->id), RT_TEXT(c->version),
	                           RT_TEXT(unit)));
	*yes = rc == RT_ROW;
	return rc < 0 ? rc : ST_OK;
}

/* The version of program id active at unit, copied into version ("" when
 * none). */
static int active_version(rt_reg *r, const char *id, const char *unit,
                          char version[64])
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the activations", "SELECT "
	                   "version FROM activations WHERE program = ?1 AND unit "
	                   "= ?2 AND active = 1", RT_ARGS(RT_TEXT(id),
	                   RT_TEXT(unit)));
	version[0] = '\0';
	if (rc == RT_ROW)
		rt_col_copy(st, 0, version, 64);
	rt_db_done(r, st);
	return rc < 0 ? rc : ST_OK;
}

/* End the activation of program id at unit, by as at now. */
static int deactivate_running(rt_reg *r, const char *id, const char *unit,
                              const char *as, const char *now)
{
	return rt_db_exec(r, WRITE, "UPDATE activations SET active = 0, "
	                  "deactivated_at = ?1, deactivated_by = ?2 WHERE "
	                  "program = ?3 AND unit = ?4 AND active = 1",
	                  RT_ARGS(RT_TEXT(now), RT_TEXT(as), RT_TEXT(id),
	                          RT_TEXT(unit)));
}

int rt_act_publish(rt_reg *r, const char *as, const char *id,
                   const char *version, const char *const *units, size_t n,
                   int on, rt_act_result *res)
{
	change c;
	char now[32], running[64];
	const char *unit = units && n == 1 ? units[0] : NULL;
	int rc;

	change_init(&c, on ? "publish" : "unpublish", as, id, version, res);
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, unit)))
		return rc;
	if (!units && !c.who.region_wide)
		res->refusal = RT_ACT_FORBIDDEN;
	if (!units && !c.who.region_wide)
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_ALL_UNITS_REGION_WIDE, as, c.who.unit,
		                     NULL, NULL);
	/* Several units: the user must be allowed at each (one was checked
	 * by start_change). */
	for (size_t i = 0; units && n > 1 && i < n; i++)
		if (rt_authorize(r, &c.who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER,
		                 units[i]) && (res->refusal = RT_ACT_FORBIDDEN))
			return rt_refuse_again(r, &c.who, units[i], c.cmd,
			                       c.object);
	for (size_t i = 0; units && i < n; i++)
		if ((rc = need_unit(r, &c, units[i])))
			return rc;
	if (units && n == 0)
		return rt_refuse_why(r, &c.who, NULL, c.cmd, c.object,
		                     RT_WHY_NO_UNIT_CHOSEN, NULL, NULL, NULL, NULL);
	if (on && c.v.retired_at[0])
		return rt_refuse_why(r, &c.who, unit, c.cmd, c.object,
		                     RT_WHY_RETIRED_PUBLISH, c.object, c.v.retired_at,
		                     c.v.retired_by, NULL);
	if (on && !c.v.approved_at[0])
		return rt_refuse_why(r, &c.who, unit, c.cmd, c.object,
		                     RT_WHY_NOT_APPROVED_PUBLISH, c.object, NULL, NULL,
		                     NULL);
	if (units) {
		for (size_t i = 0; i < n; i++) {
			int yes;
			if ((rc = is_published(r, &c, units[i], &yes)))
				return rt_abort(r, rc, &c.who, units[i], c.cmd, c.object);
			if (yes != on && add_unit(res, units[i]))
				return rt_abort(r, rt_fail(r, ST_EIO, "out of memory"),
				                &c.who, units[i], c.cmd, c.object);
		}
		if (res->nunits == 0) {
			rt_rollback(r);
			/* Already so: the one unit named, or none for several. */
			if (n == 1 && add_unit(res, units[0]))
				return rt_fail(r, ST_EIO, "out of memory");
			return ST_OK;
		}
	} else {
		if ((rc = select_units(r, &c, on ? 0 : 1, res)))
			return rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
		if (res->nunits == 0) {
			rt_rollback(r);
			return ST_OK;
		}
	}
	rt_now(now);
	for (size_t i = 0; i < res->nunits; i++) {
		const char *u = res->units[i];
		if (!on) {
			if ((rc = active_version(r, id, u, running)))
				return rt_abort(r, rc, &c.who, u, c.cmd, c.object);
			if (!strcmp(running, version))
				return rt_refuse_why(r, &c.who, u, c.cmd, c.object,
				                     RT_WHY_ACTIVE_AT_UNIT, c.object, u,
				                     NULL, NULL);
		}
		rc = rt_db_exec(r, WRITE, on ? "INSERT INTO publications (program, "
		                "version, unit, published_at, published_by) VALUES "
		                "(?1, ?2, ?3, ?4, ?5)" : "UPDATE publications SET "
		                "withdrawn_at = ?4, withdrawn_by = ?5 WHERE program = "
		                "?1 AND version = ?2 AND unit = ?3 AND withdrawn_at IS "
		                "NULL", RT_ARGS(RT_TEXT(id), RT_TEXT(version),
		                RT_TEXT(u), RT_TEXT(now), RT_TEXT(as)));
		if (rc == ST_OK)
			rc = rt_audit(r, &c.who, u, c.cmd, c.object, "ok", NULL);
		if (rc)
			return rt_abort(r, rc, &c.who, u, c.cmd, c.object);
	}
	if ((rc = rt_commit(r)))
		return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
	res->changed = 1;
	return ST_OK;
}

/* ---- activate / deactivate ---------------------------------------------- */

int rt_act_activate(rt_reg *r, const char *as, const char *id,
                    const char *version, const char *unit, int on,
                    rt_act_result *res)
{
	change c;
	char now[32], running[64], detail[300] = "";
	int rc, yes;

	change_init(&c, on ? "activate" : "deactivate", as, id, version, res);
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_CLINICIAN, unit)))
		return rc;
	if ((rc = need_unit(r, &c, unit)))
		return rc;
	if ((rc = active_version(r, id, unit, running)))
		return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
	if ((strcmp(running, version) == 0) == on) {
		rt_rollback(r);
		return ST_OK;
	}
	rt_now(now);
	if (!on) {
		if ((rc = deactivate_running(r, id, unit, as, now)))
			return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
		return finish_change(r, &c, unit, NULL, res);
	}
	if (c.v.retired_at[0])
		return rt_refuse_why(r, &c.who, unit, c.cmd, c.object,
		                     RT_WHY_RETIRED_ACTIVATE, c.object,
		                     c.v.retired_at, c.v.retired_by, NULL);
	if (!c.v.approved_at[0])
		return rt_refuse_why(r, &c.who, unit, c.cmd, c.object,
		                     RT_WHY_NOT_APPROVED_ACTIVATE, c.object, NULL,
		                     NULL, NULL);
	if ((rc = is_published(r, &c, unit, &yes)))
		return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
	if (!yes)
		return rt_refuse_why(r, &c.who, unit, c.cmd, c.object,
		                     RT_WHY_NOT_PUBLISHED, c.object, unit, NULL, NULL);
	if (running[0]) {
		if ((rc = deactivate_running(r, id, unit, as, now)))
			return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
		snprintf(detail, sizeof detail, "replaces %s@%s", id, running);
		snprintf(res->replaced, sizeof res->replaced, "%s", running);
	}
	if ((rc = rt_db_exec(r, WRITE, "INSERT INTO activations (program, "
	                     "version, unit, activated_at, activated_by) VALUES "
	                     "(?1, ?2, ?3, ?4, ?5)", RT_ARGS(RT_TEXT(id),
	                     RT_TEXT(version), RT_TEXT(unit), RT_TEXT(now),
	                     RT_TEXT(as)))))
		return rt_abort(r, rc, &c.who, unit, c.cmd, c.object);
	return finish_change(r, &c, unit, detail[0] ? detail : NULL, res);
}

/* ---- import ------------------------------------------------------------- */

int rt_act_import(rt_reg *r, const char *as, const char *path,
                  const char *display, int allow_unsigned, rt_import *im,
                  rt_act_result *res)
{
	rt_actor who;
	int rc, already = 0;
	const char *shown = display ? display : path;

	snprintf(res->object, sizeof res->object, "%s", shown);
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL) &&
	    (res->refusal = RT_ACT_FORBIDDEN))
		return rt_refuse_again(r, &who, NULL, "import", shown);
	rc = rt_import_prepare(r, im, path, display, allow_unsigned);
	snprintf(res->object, sizeof res->object, "%s", im->object);
	if (rc == ST_ERR)
		return rt_refuse_again(r, &who, NULL, "import", im->object);
	if (rc)
		return rt_abort(r, rc, &who, NULL, "import", im->object);

	/* Now the write, under the lock; who may act is asked again, since it
	 * may have changed while we verified. */
	if ((rc = rt_begin(r)))
		return rc;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL) &&
	    (res->refusal = RT_ACT_FORBIDDEN))
		return rt_refuse_again(r, &who, NULL, "import", im->object);
	rc = rt_import_locked(r, &who, im, NULL, &already);
	if (rc == ST_ERR)
		return rt_refuse_again(r, &who, NULL, "import", im->object);
	if (rc)
		return rt_abort(r, rc, &who, NULL, "import", im->object);
	if (already) {
		rt_rollback(r);
		return ST_OK;
	}
	if ((rc = rt_commit(r)))
		return rt_abort(r, rc, &who, NULL, "import", im->object);
	res->changed = 1;
	return ST_OK;
}

/* ---- users -------------------------------------------------------------- */

int rt_user_args_check(const char *hsa, const char *role, char *why,
                       size_t whycap)
{
	if (!rt_hsa_valid(hsa)) {
		snprintf(why, whycap, "'%s' is not an HSA-id (" ST_HSA_ID_RULE ")",
		         hsa);
		return ST_ERR;
	}
	if (strcmp(role, "admin") && strcmp(role, "publisher") &&
	    strcmp(role, "clinician")) {
		snprintf(why, whycap, "unknown role '%s'; say admin, publisher or "
		         "clinician", role);
		return ST_ERR;
	}
	return ST_OK;
}

int rt_act_user_add(rt_reg *r, const char *as, const char *hsa,
                    const char *name, const char *role, const char *unit,
                    rt_act_result *res)
{
	rt_actor who, other;
	char kind[16], now[32], detail[512];
	int rc;

	snprintf(res->object, sizeof res->object, "%s", hsa);
	if (!unit)
		unit = rt_reg_region(r);
	if (add_unit(res, unit))
		return rt_fail(r, ST_EIO, "out of memory");
	if ((rc = rt_begin(r)))
		return rc;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN, unit) &&
	    (res->refusal = RT_ACT_FORBIDDEN))
		return rt_refuse_again(r, &who, unit, "user add", hsa);
	if ((rc = rt_org_kind(r, unit, kind)))
		return rt_abort(r, rc, &who, unit, "user add", hsa);
	if (!kind[0] && (res->refusal = RT_ACT_NOT_FOUND))
		return rt_refuse_why(r, &who, unit, "user add", hsa,
		                     RT_WHY_UNKNOWN_UNIT_ADD, unit, NULL, NULL, NULL);
	if (!strcmp(role, "clinician") && !strcmp(kind, "region"))
		return rt_refuse_why(r, &who, unit, "user add", hsa,
		                     RT_WHY_CLINICIAN_AT_REGION, NULL, NULL, NULL,
		                     NULL);
	rt_actor_lookup(r, &other, hsa);
	if (other.known)
		return rt_refuse_why(r, &who, unit, "user add", hsa, other.active ?
		                     RT_WHY_USER_EXISTS : RT_WHY_USER_EXISTS_GONE,
		                     hsa, other.role, other.unit, NULL);
	if (!strcmp(hsa, rt_reg_region(r)))
		return rt_refuse_why(r, &who, unit, "user add", hsa,
		                     RT_WHY_REGION_NOT_PERSON, hsa, NULL, NULL, NULL);
	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "INSERT INTO users (hsa_id, name, "
	                     "role, unit, created_at, created_by) VALUES (?1, ?2, "
	                     "?3, ?4, ?5, ?6)", RT_ARGS(RT_TEXT(hsa),
	                     RT_TEXT(name), RT_TEXT(role), RT_TEXT(unit),
	                     RT_TEXT(now), RT_TEXT(as)))))
		return rt_abort(r, rc, &who, unit, "user add", hsa);
	snprintf(detail, sizeof detail, "name '%s', role %s", name, role);
	if ((rc = rt_audit(r, &who, unit, "user add", hsa, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, unit, "user add", hsa);
	res->changed = 1;
	return ST_OK;
}

int rt_act_keep_last_admin(rt_reg *r, const rt_actor *who,
                           const char *unit, const char *action,
                           const char *hsa)
{
	long long admins = 0;
	int rc = rt_db_int(r, &admins, "cannot read the users", "SELECT "
	                   "count(*) FROM users WHERE role = 'admin' AND "
	                   "active = 1 AND unit = ?1",
	                   RT_ARGS(RT_TEXT(rt_reg_region(r))));
	if (rc != RT_ROW)
		return rt_abort(r, rc < 0 ? rc : rt_fail(r, ST_EIO, "cannot read "
		                "the users"), who, unit, action, hsa);
	if (admins <= 1)
		return rt_refuse_why(r, who, unit, action, hsa, RT_WHY_LAST_ADMIN,
		                     hsa, NULL, NULL, NULL);
	return ST_OK;
}

int rt_act_user_deactivate(rt_reg *r, const char *as, const char *hsa,
                           rt_act_result *res)
{
	rt_actor who, other;
	char now[32];
	int rc;

	snprintf(res->object, sizeof res->object, "%s", hsa);
	if ((rc = rt_begin(r)))
		return rc;
	rt_actor_lookup(r, &other, hsa);
	/* The unit the change concerns is the user's; unknown users are
	 * checked after the actor so that a stranger learns nothing. */
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN,
	                 other.known ? other.unit : NULL) &&
	    (res->refusal = RT_ACT_FORBIDDEN))
		return rt_refuse_again(r, &who, other.known ? other.unit : NULL,
		                       "user deactivate", hsa);
	if (!other.known && (res->refusal = RT_ACT_NOT_FOUND))
		return rt_refuse_why(r, &who, NULL, "user deactivate", hsa,
		                     RT_WHY_UNKNOWN_USER, hsa, NULL, NULL, NULL);
	if (!other.active) {
		rt_rollback(r);
		return ST_OK;
	}
	if (!strcmp(other.role, "admin") && other.region_wide) {
		if ((rc = rt_act_keep_last_admin(r, &who, other.unit,
		                                 "user deactivate", hsa)))
			return rc;
	}
	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "UPDATE users SET active = 0, "
	                     "deactivated_at = ?1, deactivated_by = ?2 WHERE "
	                     "hsa_id = ?3", RT_ARGS(RT_TEXT(now), RT_TEXT(as),
	                     RT_TEXT(hsa)))))
		return rt_abort(r, rc, &who, other.unit, "user deactivate", hsa);
	if ((rc = rt_audit(r, &who, other.unit, "user deactivate", hsa, "ok",
	                   other.role)) || (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, other.unit, "user deactivate", hsa);
	res->changed = 1;
	return ST_OK;
}
