/*
 * actions_admin.c — the administrators' changes, once (actions.h): a
 * care unit added, a partner's key trusted or no longer trusted, a user's
 * role changed.  `steg unit add`, `steg trust add|remove` and `steg user
 * role` print what these return; steg serve's admin pages call the same.
 * Each is one transaction with its audit row; each refusal has its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "db.h"
#include "registry.h"
#include "trust.h"
#include "actions.h"

#define WRITE "cannot write the registry"

int rt_act_unit_add(rt_reg *r, const char *as, const char *hsa,
                    const char *name, rt_act_result *res)
{
	rt_actor who;
	char kind[16], now[32], detail[512];
	int rc;

	snprintf(res->object, sizeof res->object, "%s", hsa);
	if ((rc = rt_begin(r)))
		return rc;
	if ((rc = rt_authorize_region_admin(r, &who, as, hsa, "unit add", hsa,
	                                    RT_WHY_REGION_ADMIN_UNITS))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	if ((rc = rt_org_kind(r, hsa, kind)))
		return rt_abort(r, rc, &who, hsa, "unit add", hsa);
	if (kind[0])
		return rt_refuse_why(r, &who, hsa, "unit add", hsa, strcmp(kind,
		                     "region") ? RT_WHY_UNIT_EXISTS :
		                     RT_WHY_IS_THE_REGION, hsa, NULL, NULL, NULL);
	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "INSERT INTO organisations (hsa_id, "
	                     "name, kind, region, created_at, created_by) VALUES "
	                     "(?1, ?2, 'unit', ?3, ?4, ?5)", RT_ARGS(RT_TEXT(hsa),
	                     RT_TEXT(name), RT_TEXT(rt_reg_region(r)),
	                     RT_TEXT(now), RT_TEXT(as)))))
		return rt_abort(r, rc, &who, hsa, "unit add", hsa);
	snprintf(detail, sizeof detail, "name '%s'", name);
	if ((rc = rt_audit(r, &who, hsa, "unit add", hsa, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, hsa, "unit add", hsa);
	res->changed = 1;
	return ST_OK;
}

int rt_act_trust_add(rt_reg *r, const char *as, const char *region,
                     const st_pubkey *pk, const char *comment,
                     rt_act_result *res)
{
	rt_actor who;
	char keyid[17], b64[ST_PUBKEY_B64_LEN], detail[512], *have = NULL;
	int rc;

	st_keyid_hex(keyid, pk->keyid);
	st_pubkey_b64(b64, pk);
	snprintf(res->object, sizeof res->object, "%s", keyid);
	if ((rc = rt_begin(r)))
		return rc;
	if ((rc = rt_authorize_region_admin(r, &who, as, NULL, "trust add", keyid,
	                                    RT_WHY_REGION_ADMIN_KEYS))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	/* one key, one region: say which region has it already */
	rc = rt_trusted_key_find(r, keyid, &have, NULL);
	if (rc == ST_OK)
		rc = rt_refuse_why(r, &who, NULL, "trust add", keyid,
		                   RT_WHY_KEY_TRUSTED, keyid, have, NULL, NULL);
	else if (rc != ST_ENOENT)
		rc = rt_abort(r, rc, &who, NULL, "trust add", keyid);
	free(have);
	if (rc != ST_ENOENT)
		return rc;
	if ((rc = rt_trusted_key_add(r, region, keyid, b64, comment ? comment :
	                             "", as)))
		return rc == ST_ERR ? rt_refuse_again(r, &who, NULL, "trust add",
		                                      keyid)
		                    : rt_abort(r, rc, &who, NULL, "trust add", keyid);
	snprintf(detail, sizeof detail, "region '%s' key %s%s%s", region, keyid,
	         comment && *comment ? ": " : "", comment ? comment : "");
	if ((rc = rt_audit(r, &who, NULL, "trust add", keyid, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, NULL, "trust add", keyid);
	res->changed = 1;
	return ST_OK;
}

int rt_act_trust_remove(rt_reg *r, const char *as, const char *region,
                        const char *keyid, rt_act_result *res)
{
	rt_actor who;
	char detail[256];
	int rc;

	snprintf(res->object, sizeof res->object, "%s", keyid);
	if ((rc = rt_begin(r)))
		return rc;
	if ((rc = rt_authorize_region_admin(r, &who, as, NULL, "trust remove",
	                                    keyid, RT_WHY_REGION_ADMIN_KEYS))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	rc = rt_trusted_key_remove(r, region, keyid, as);
	if (rc == ST_ENOENT) {
		res->refusal = RT_ACT_NOT_FOUND;
		return rt_refuse_why(r, &who, NULL, "trust remove", keyid,
		                     RT_WHY_NO_TRUSTED_KEY, region, keyid, NULL, NULL);
	}
	if (rc)
		return rt_abort(r, rc, &who, NULL, "trust remove", keyid);
	snprintf(detail, sizeof detail, "region '%s' key %s", region, keyid);
	if ((rc = rt_audit(r, &who, NULL, "trust remove", keyid, "ok",
	                   detail)) || (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, NULL, "trust remove", keyid);
	res->changed = 1;
	return ST_OK;
}

/* The rules of a role change once the actor may manage both units: 0 to
 * go on, or the refusal (audited). */
static int role_rules(rt_reg *r, const rt_actor *who, const rt_actor *other,
                      const char *role, const char *unit, rt_act_result *res)
{
	char kind[16];
	int rc;

	if ((rc = rt_org_kind(r, unit, kind)))
		return rt_abort(r, rc, who, unit, "user role", other->hsa);
	if (!kind[0] && (res->refusal = RT_ACT_NOT_FOUND))
		return rt_refuse_why(r, who, unit, "user role", other->hsa,
		                     RT_WHY_UNKNOWN_UNIT_ADD, unit, NULL, NULL, NULL);
	if (!strcmp(role, "clinician") && !strcmp(kind, "region"))
		return rt_refuse_why(r, who, unit, "user role", other->hsa,
		                     RT_WHY_CLINICIAN_AT_REGION, NULL, NULL, NULL,
		                     NULL);
	if (!other->active)
		return rt_refuse_why(r, who, unit, "user role", other->hsa,
		                     RT_WHY_USER_DEACTIVATED, other->hsa, NULL, NULL,
		                     NULL);
	if (!strcmp(other->role, "admin") && other->region_wide &&
	    (strcmp(role, "admin") || strcmp(unit, rt_reg_region(r)))) {
		if ((rc = rt_act_keep_last_admin(r, who, unit, "user role",
		                                 other->hsa)))
			return rc;
	}
	return ST_OK;
}

int rt_act_user_role(rt_reg *r, const char *as, const char *hsa,
                     const char *role, const char *unit, rt_act_result *res)
{
	rt_actor who, other;
	char detail[512];
	int rc;

	snprintf(res->object, sizeof res->object, "%s", hsa);
	if ((rc = rt_begin(r)))
		return rc;
	rt_actor_lookup(r, &other, hsa);
	if (!unit)
		unit = other.known ? other.unit : NULL;
	/* The user's unit and the new one: the actor must manage both;
	 * unknown users are judged after the actor, so a stranger learns
	 * nothing. */
	if ((rt_authorize(r, &who, as, RT_ROLE_ADMIN, other.known ? other.unit :
	                  unit) || (unit && rt_authorize(r, &who, as,
	                  RT_ROLE_ADMIN, unit))) &&
	    (res->refusal = RT_ACT_FORBIDDEN))
		return rt_refuse_again(r, &who, unit, "user role", hsa);
	if (!other.known && (res->refusal = RT_ACT_NOT_FOUND))
		return rt_refuse_why(r, &who, unit, "user role", hsa,
		                     RT_WHY_UNKNOWN_USER, hsa, NULL, NULL, NULL);
	snprintf(res->old_role, sizeof res->old_role, "%s", other.role);
	snprintf(res->old_unit, sizeof res->old_unit, "%s", other.unit);
	if (!(res->units = calloc(1, sizeof *res->units)))
		return rt_abort(r, rt_fail(r, ST_EIO, "out of memory"), &who, unit,
		                "user role", hsa);
	snprintf(res->units[0], sizeof res->units[0], "%s", unit);
	res->nunits = 1;
	if ((rc = role_rules(r, &who, &other, role, unit, res)))
		return rc;
	if (!strcmp(other.role, role) && !strcmp(other.unit, unit)) {
		rt_rollback(r);
		return ST_OK;
	}
	if ((rc = rt_db_exec(r, WRITE, "UPDATE users SET role = ?1, unit = ?2 "
	                     "WHERE hsa_id = ?3", RT_ARGS(RT_TEXT(role),
	                     RT_TEXT(unit), RT_TEXT(hsa)))))
		return rt_abort(r, rc, &who, unit, "user role", hsa);
	/* The detail ends in ", role ROLE", as a 'user add' row's does: the
	 * state check reads the role there (registry.c). */
	snprintf(detail, sizeof detail, "was %s at '%s', role %s", other.role,
	         other.unit, role);
	if ((rc = rt_audit(r, &who, unit, "user role", hsa, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, unit, "user role", hsa);
	res->changed = 1;
	return ST_OK;
}
