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
	                                    "adds units"))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	if ((rc = rt_org_kind(r, hsa, kind)))
		return rt_abort(r, rc, &who, hsa, "unit add", hsa);
	if (kind[0])
		return rt_refuse(r, &who, hsa, "unit add", hsa, "'%s' is already "
		                 "the %s '%s'", hsa, kind, hsa);
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
	                                    "changes which keys are trusted"))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	/* one key, one region: say which region has it already */
	rc = rt_trusted_key_find(r, keyid, &have, NULL);
	if (rc == ST_OK)
		rc = rt_refuse(r, &who, NULL, "trust add", keyid, "key %s is "
		               "already trusted for region '%s'; remove it first to "
		               "trust it for another", keyid, have);
	else if (rc != ST_ENOENT)
		rc = rt_abort(r, rc, &who, NULL, "trust add", keyid);
	free(have);
	if (rc != ST_ENOENT)
		return rc;
	if ((rc = rt_trusted_key_add(r, region, keyid, b64, comment ? comment :
	                             "", as)))
		return rc == ST_ERR ? rt_refuse(r, &who, NULL, "trust add", keyid,
		                                "%s", rt_reg_errmsg(r))
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
	                                    keyid, "changes which keys are "
	                                    "trusted"))) {
		res->refusal = RT_ACT_FORBIDDEN;
		return rc;
	}
	rc = rt_trusted_key_remove(r, region, keyid, as);
	if (rc == ST_ENOENT) {
		res->refusal = RT_ACT_NOT_FOUND;
		return rt_refuse(r, &who, NULL, "trust remove", keyid, "region '%s' "
		                 "has no trusted key %s (see 'steg trust list')",
		                 region, keyid);
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
