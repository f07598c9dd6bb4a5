/*
 * cmd_admin.c — steg init, steg unit add|list, steg user
 * add|deactivate|list, steg policy [list]|set: the region, its care units
 * (vårdenheter), the people who may act in the registry and the region's
 * policies (docs/registry.md).
 *
 * Who may do what here: a region-wide admin (an admin whose unit is the
 * region itself) adds units and users anywhere; an admin of a care unit
 * (behörighetsadministratör) adds and deactivates users of that unit only,
 * and never creates region-wide users.  Nobody deactivates the last active
 * region-wide admin, since then nobody could ever add one again.
 *
 * Each change follows registry.h: BEGIN IMMEDIATE, authorise, change,
 * audit, COMMIT; a refusal is audited on its own and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "sign.h"
#include "commands.h"
#include "db.h"
#include "registry.h"
#include "trust.h"
#include "policy.h"
#include "db_schema.h"
#include "cli.h"
#include "actions.h"

/* What a failed write says (the database's reason follows). */
#define WRITE "cannot write the registry"

/* ---- steg init ---------------------------------------------------------- */

static const char init_help[] =
	"usage: steg init --region HSA-ID --name NAME --admin HSA-ID\n"
	"                 [--admin-name NAME] [--key FILE.pub] [--four-eyes]\n"
	"\n"
	"Create the registry (--db FILE, $STEG_DB or ./steg.db) for a region and\n"
	"its first admin, who then adds care units and users.\n"
	"\n"
	"  --region HSA-ID    the region's HSA-id\n"
	"  --name NAME        the region's name\n"
	"  --admin HSA-ID     the first admin (region-wide)\n"
	"  --admin-name NAME  the admin's name (default: the HSA-id)\n"
	"  --key FILE.pub     trust the region's own signing key (minisign .pub)\n"
	"  --four-eyes        turn four-eyes approval on from the start: the\n"
	"                     publisher who imported a version may not approve it\n"
	"                     (default off; see 'steg policy')\n";

/* The rows of a new region, inside init's transaction: the region, its
 * first admin, the region's own key when keyid is not NULL and the
 * four-eyes policy when asked, each with its audit row. */
static int init_rows(rt_reg *r, const char *region, const char *name,
                     const char *admin, const char *admin_name,
                     const char *keyid, const char *b64, int four_eyes)
{
	char now[32], detail[512];
	rt_actor who;
	int rc;

	rt_now(now);
	if ((rc = rt_db_exec(r, WRITE, "INSERT INTO organisations (hsa_id, "
	                     "name, kind, region, created_at, created_by) VALUES "
	                     "(?1, ?2, 'region', NULL, ?3, ?4)",
	                     RT_ARGS(RT_TEXT(region), RT_TEXT(name), RT_TEXT(now),
	                             RT_TEXT(admin)))) ||
	    (rc = rt_db_exec(r, WRITE, "INSERT INTO users (hsa_id, name, role, unit, "
	                     "created_at, created_by) VALUES (?1, ?2, 'admin', "
	                     "?3, ?4, ?5)", RT_ARGS(RT_TEXT(admin),
	                     RT_TEXT(admin_name), RT_TEXT(region), RT_TEXT(now),
	                     RT_TEXT(admin)))))
		return rc;
	memset(&who, 0, sizeof who);
	snprintf(who.hsa, sizeof who.hsa, "%s", admin);
	snprintf(who.role, sizeof who.role, "admin");
	snprintf(who.unit, sizeof who.unit, "%s", region);
	snprintf(detail, sizeof detail, "region '%s', first admin '%s' (%s)",
	         name, admin, admin_name);
	if ((rc = rt_audit(r, &who, region, "init", region, "ok", detail)))
		return rc;
	if (keyid) {
		if ((rc = rt_trusted_key_add(r, region, keyid, b64,
		                             "the region's own key", admin)))
			return rc;
		snprintf(detail, sizeof detail, "region '%s' key '%s'", region,
		         keyid);
		if ((rc = rt_audit(r, &who, region, "trust add", keyid, "ok",
		                   detail)))
			return rc;
	}
	if (four_eyes &&
	    ((rc = rt_policy_set(r, RT_POLICY_FOUR_EYES, 1, admin)) ||
	     (rc = rt_audit(r, &who, region, "policy set", RT_POLICY_FOUR_EYES,
	                    "ok", "on (was off)"))))
		return rc;
	return ST_OK;
}

int rt_cmd_init(rt_ctx *ctx, int argc, char **argv)
{
	const char *region = NULL, *name = NULL, *admin = NULL, *admin_name = NULL,
	           *keyfile = NULL, *pos[1];
	int four_eyes = 0;
	st_opt opts[] = {
		ST_VALUE("--region", &region),
		ST_VALUE("--name", &name),
		ST_VALUE("--admin", &admin),
		ST_VALUE("--admin-name", &admin_name),
		ST_VALUE("--key", &keyfile),
		ST_FLAG("--four-eyes", &four_eyes),
		{ NULL },
	};
	int npos, rc;
	rt_reg *r = NULL;
	rt_actor who;
	st_pubkey pk;
	char keyid[17] = "", b64[ST_PUBKEY_B64_LEN] = "";

	rc = rt_parse(ctx, argc, argv, "init", opts, pos, 0, &npos, init_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (!region || !name || !admin)
		return rt_usage_error("init", "'init' needs --region, --name and "
		                      "--admin");
	if (!rt_hsa_valid(region))
		return rt_usage_error("init", "'%s' is not an HSA-id ("
		                      ST_HSA_ID_RULE ")", region);
	if (!rt_hsa_valid(admin))
		return rt_usage_error("init", "'%s' is not an HSA-id ("
		                      ST_HSA_ID_RULE ")", admin);
	if (!strcmp(region, admin))
		return rt_usage_error("init", "the admin's HSA-id must differ from "
		                      "the region's");
	if ((rc = rt_check_text("init", "--name", name, 0)))
		return rc;
	if (admin_name && (rc = rt_check_text("init", "--admin-name",
	                                      admin_name, 1)))
		return rc;
	if (!admin_name || !*admin_name)
		admin_name = admin;

	if (keyfile) {
		st_diags *d = st_diags_new();
		int krc = st_pubkey_load(&pk, d, keyfile);
		if (krc != 0 || st_diags_errors(d)) {
			st_diags_render(d, stderr, ST_FMT_TEXT, 0, "steg");
			st_diags_free(d);
			rt_error("cannot trust '%s'; nothing was created", keyfile);
			return krc == ST_EIO || krc == ST_ENOENT ? RT_IO : RT_REFUSED;
		}
		st_diags_free(d);
		st_keyid_hex(keyid, pk.keyid);
		st_pubkey_b64(b64, &pk);
	}

	rc = rt_reg_open(&r, ctx->db, RT_OPEN_CREATE | RT_OPEN_RAW);
	if (rc)
		goto done;
	if ((rc = rt_begin(r)))
		goto done;
	/* Checked inside the transaction: two inits at once make one region. */
	{
		char have[RT_HSA_MAX + 1];
		if ((rc = rt_region_read(r, have)))
			goto fail;
		if (have[0]) {
			rt_actor_lookup(r, &who, admin);
			rc = rt_refuse(r, &who, have, "init", region, "the registry "
			               "'%s' already belongs to region '%s'; nothing "
			               "was changed", rt_reg_path(r), have);
			goto done;
		}
	}
	if ((rc = init_rows(r, region, name, admin, admin_name,
	                    keyfile ? keyid : NULL, b64, four_eyes)))
		goto fail;
	if ((rc = rt_commit(r)))
		goto done;
	printf("created the registry '%s' for region '%s' (%s) with admin '%s'\n",
	       rt_reg_path(r), region, name, admin);
	if (keyfile)
		printf("trusted key %s of region '%s'\n", keyid, region);
	printf("four-eyes approval is %s\n", four_eyes ? "on" :
	       "off (turn it on with 'steg policy set four-eyes on')");
	goto done;
fail:
	rt_rollback(r);
done:
	return rt_finish(r, rc);
}

/* ---- steg unit ---------------------------------------------------------- */

static const char unit_help[] =
	"usage: steg unit add HSA-ID --name NAME --as ADMIN\n"
	"       steg unit list [--json]\n"
	"\n"
	"Add a care unit (vårdenhet) of the region, or list them.  Adding takes\n"
	"a region-wide admin.\n";

static int unit_add(rt_reg *r, const char *hsa, const char *name,
                    const char *as)
{
	rt_act_result res;
	int rc;
	rt_act_init(&res);
	rc = rt_act_unit_add(r, as, hsa, name, &res);
	if (rc == ST_OK)
		printf("added unit '%s' (%s)\n", hsa, name);
	rt_act_release(&res);
	return rc;
}

static const rt_json_field unit_fields[] = {
	{ "hsa_id", 0, RT_JSON_TEXT }, { "name", 1, RT_JSON_TEXT },
	{ "created_at", 2, RT_JSON_TEXT }, { "users", 3, RT_JSON_INT },
	{ "published", 4, RT_JSON_INT }, { "active", 5, RT_JSON_INT },
	{ NULL, 0, 0 },
};

static int unit_list(rt_reg *r, int json)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json ? json_array() : NULL;
	st_arena *a = st_arena_new();
	int rc = ST_OK, step;

	if ((rc = rt_db_prepare(r, &st, "cannot read the units",
		"SELECT o.hsa_id, o.name, o.created_at, "
		"  (SELECT count(*) FROM users u WHERE u.unit = o.hsa_id"
		"     AND u.active = 1), "
		"  (SELECT count(*) FROM publications p WHERE p.unit = o.hsa_id"
		"     AND p.withdrawn_at IS NULL), "
		"  (SELECT count(*) FROM activations a WHERE a.unit = o.hsa_id"
		"     AND a.active = 1) "
		"FROM organisations o WHERE o.kind = 'unit' ORDER BY o.hsa_id",
		RT_NOARGS))) {
		json_decref(arr);
		st_arena_free(a);
		return rc;
	}
	while ((step = rt_db_step(r, st, "cannot read the units")) == RT_ROW) {
		if (json) {
			json_array_append_new(arr, rt_json_row(NULL, st, unit_fields));
		} else {
			printf("%s\t%s\tusers %lld\tpublished %lld\tactive %lld\n",
			       rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)), rt_col_int(st, 3),
			       rt_col_int(st, 4), rt_col_int(st, 5));
		}
	}
	st_arena_free(a);
	return rt_list_end(r, st, step, rc, arr);
}

int rt_cmd_unit(rt_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *as = NULL, *pos[2];
	int json = 0, npos, rc;
	st_opt opts[] = {
		ST_VALUE("--name", &name),
		ST_VALUE("--as", &as),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;

	rc = rt_parse(ctx, argc, argv, "unit", opts, pos, 2, &npos, unit_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos == 0)
		return rt_usage_error("unit", "say 'unit add' or 'unit list'");
	if (!strcmp(pos[0], "add")) {
		if (npos != 2 || !name || !as)
			return rt_usage_error("unit", "'unit add' needs HSA-ID, --name "
			                      "and --as");
		if (!rt_hsa_valid(pos[1]))
			return rt_usage_error("unit", "'%s' is not an HSA-id ("
			                      ST_HSA_ID_RULE ")", pos[1]);
		if ((rc = rt_check_text("unit", "--name", name, 0)))
			return rc;
		if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
			rc = unit_add(r, pos[1], name, as);
	} else if (!strcmp(pos[0], "list")) {
		if (npos != 1)
			return rt_usage_error("unit", "'unit list' takes no arguments");
		if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)) == ST_OK)
			rc = unit_list(r, json);
	} else {
		return rt_usage_error("unit", "unknown 'unit' command '%s'; say "
		                      "'add' or 'list'", pos[0]);
	}
	return rt_finish(r, rc);
}

/* ---- steg user ---------------------------------------------------------- */

static const char user_help[] =
	"usage: steg user add HSA-ID --name NAME --role ROLE [--unit UNIT] --as ADMIN\n"
	"       steg user role HSA-ID --role ROLE [--unit UNIT] --as ADMIN\n"
	"       steg user deactivate HSA-ID --as ADMIN\n"
	"       steg user list [--unit UNIT] [--json]\n"
	"\n"
	"Add a user with a role (admin, publisher or clinician) at a care unit,\n"
	"or region-wide when --unit is left out (not for clinicians); deactivate\n"
	"a user (who then can do nothing, while their history stays); list them.\n"
	"'role' gives a user another role, and with --unit another unit (a care\n"
	"unit, or the region's own HSA-id for region-wide); without --unit the\n"
	"user stays where they are.  An admin of a care unit manages only that\n"
	"unit's users; nobody demotes the last active region-wide admin.\n";

static int user_add(rt_reg *r, const char *hsa, const char *name,
                    const char *role, const char *unit, const char *as)
{
	rt_act_result res;
	int rc;
	rt_act_init(&res);
	rc = rt_act_user_add(r, as, hsa, name, role, unit, &res);
	if (rc == ST_OK)
		printf("added %s '%s' (%s) at '%s'\n", role, hsa, name,
		       res.units[0]);
	rt_act_release(&res);
	return rc;
}

static int user_role(rt_reg *r, const char *hsa, const char *role,
                     const char *unit, const char *as)
{
	rt_act_result res;
	int rc;
	rt_act_init(&res);
	rc = rt_act_user_role(r, as, hsa, role, unit, &res);
	if (rc == ST_OK && res.changed)
		printf("user '%s' is now %s at '%s' (was %s at '%s')\n", hsa, role,
		       res.units[0], res.old_role, res.old_unit);
	else if (rc == ST_OK)
		printf("user '%s' is already %s at '%s'; nothing changed\n", hsa,
		       role, res.units[0]);
	rt_act_release(&res);
	return rc;
}

static int user_deactivate(rt_reg *r, const char *hsa, const char *as)
{
	rt_act_result res;
	int rc;
	rt_act_init(&res);
	rc = rt_act_user_deactivate(r, as, hsa, &res);
	if (rc == ST_OK && res.changed)
		printf("deactivated user '%s'\n", hsa);
	else if (rc == ST_OK)
		printf("user '%s' is already deactivated; nothing changed\n", hsa);
	rt_act_release(&res);
	return rc;
}

static const rt_json_field user_fields[] = {
	{ "hsa_id", 0, RT_JSON_TEXT }, { "name", 1, RT_JSON_TEXT },
	{ "role", 2, RT_JSON_TEXT }, { "unit", 3, RT_JSON_TEXT },
	{ "active", 4, RT_JSON_BOOL }, { "created_at", 5, RT_JSON_TEXT },
	{ "deactivated_at", 6, RT_JSON_TEXT }, { NULL, 0, 0 },
};

static int user_list(rt_reg *r, const char *unit, int json)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json ? json_array() : NULL;
	st_arena *a = st_arena_new();
	int rc = ST_OK, step;

	if ((rc = rt_db_prepare(r, &st, "cannot read the users", "SELECT "
	                        "hsa_id, name, role, unit, active, created_at, "
	                        "deactivated_at FROM users WHERE ?1 IS NULL OR "
	                        "unit = ?1 ORDER BY hsa_id",
	                        RT_ARGS(RT_TEXT(unit))))) {
		json_decref(arr);
		st_arena_free(a);
		return rc;
	}
	while ((step = rt_db_step(r, st, "cannot read the users")) == RT_ROW) {
		int active = rt_col_int(st, 4) != 0;
		if (json) {
			json_array_append_new(arr, rt_json_row(NULL, st, user_fields));
		} else {
			printf("%s\t%s\t%s\t%s%s\n",
			       rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)),
			       rt_esc(a, rt_col_text(st, 2)),
			       rt_esc(a, rt_col_text(st, 3)),
			       active ? "" : "\tdeactivated");
		}
	}
	st_arena_free(a);
	return rt_list_end(r, st, step, rc, arr);
}

int rt_cmd_user(rt_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *role = NULL, *unit = NULL, *as = NULL, *pos[2];
	int json = 0, npos, rc;
	st_opt opts[] = {
		ST_VALUE("--name", &name),
		ST_VALUE("--role", &role),
		ST_VALUE("--unit", &unit),
		ST_VALUE("--as", &as),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;

	rc = rt_parse(ctx, argc, argv, "user", opts, pos, 2, &npos, user_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos == 0)
		return rt_usage_error("user", "say 'user add', 'user role', 'user "
		                      "deactivate' or 'user list'");
	if (!strcmp(pos[0], "add")) {
		if (npos != 2 || !name || !role || !as)
			return rt_usage_error("user", "'user add' needs HSA-ID, --name, "
			                      "--role and --as");
		char why[300];
		if (rt_user_args_check(pos[1], role, why, sizeof why))
			return rt_usage_error("user", "%s", why);
		if ((rc = rt_check_text("user", "--name", name, 0)))
			return rc;
		if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
			rc = user_add(r, pos[1], name, role, unit, as);
	} else if (!strcmp(pos[0], "role")) {
		char why[300];
		if (npos != 2 || !role || !as)
			return rt_usage_error("user", "'user role' needs HSA-ID, --role "
			                      "and --as");
		if (rt_user_args_check(pos[1], role, why, sizeof why))
			return rt_usage_error("user", "%s", why);
		if (unit && !rt_hsa_valid(unit))
			return rt_usage_error("user", "'%s' is not an HSA-id ("
			                      ST_HSA_ID_RULE ")", unit);
		if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
			rc = user_role(r, pos[1], role, unit, as);
	} else if (!strcmp(pos[0], "deactivate")) {
		if (npos != 2 || !as)
			return rt_usage_error("user", "'user deactivate' needs HSA-ID "
			                      "and --as");
		if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
			rc = user_deactivate(r, pos[1], as);
	} else if (!strcmp(pos[0], "list")) {
		if (npos != 1)
			return rt_usage_error("user", "'user list' takes no arguments");
		if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)) == ST_OK)
			rc = user_list(r, unit, json);
	} else {
		return rt_usage_error("user", "unknown 'user' command '%s'; say "
		                      "'add', 'role', 'deactivate' or 'list'", pos[0]);
	}
	return rt_finish(r, rc);
}

/* ---- steg policy -------------------------------------------------------- */

static const char policy_help[] =
	"usage: steg policy [list] [--json]\n"
	"       steg policy set NAME on|off --as ADMIN\n"
	"\n"
	"Show the region's policies, or turn one on or off (a region-wide admin;\n"
	"the change is audited).\n"
	"\n"
	"  four-eyes   on: the publisher who imported a version may not approve\n"
	"              it; another region-wide publisher does (default off)\n";

static int policy_set(rt_reg *r, const char *name, int on, const char *as)
{
	rt_actor who;
	char detail[64];
	int was, rc;

	if ((rc = rt_begin(r)))
		return rc;
	if ((rc = rt_authorize_region_admin(r, &who, as, NULL, "policy set",
	                                    name, RT_WHY_REGION_ADMIN_POLICY)))
		return rc;
	if ((rc = rt_policy_get(r, name, &was)))
		return rt_abort(r, rc, &who, NULL, "policy set", name);
	if (was == on) {
		rt_rollback(r);
		printf("policy '%s' is already %s; nothing changed\n", name,
		       on ? "on" : "off");
		return ST_OK;
	}
	snprintf(detail, sizeof detail, "%s (was %s)", on ? "on" : "off",
	         was ? "on" : "off");
	if ((rc = rt_policy_set(r, name, on, as)) ||
	    (rc = rt_audit(r, &who, NULL, "policy set", name, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &who, NULL, "policy set", name);
	printf("policy '%s' is now %s\n", name, on ? "on" : "off");
	return ST_OK;
}

/* Every policy this steg knows, with its value ("off" when never set)
 * and who set it last. */
static int policy_list(rt_reg *r, int json)
{
	static const char *const names[] = { RT_POLICY_FOUR_EYES };
	json_t *arr = json ? json_array() : NULL;
	st_arena *a = st_arena_new();
	int rc = ST_OK;

	/* A reader of a registry from before policies finds no table: no
	 * policy was set there, and the query says so by returning no row. */
	const char *sql = rt_reg_version(r) >= RT_SCHEMA_POLICIES ?
		"SELECT value, set_at, set_by FROM policies WHERE name = ?1" :
		"SELECT NULL, NULL, NULL WHERE ?1 IS NULL AND 0";

	for (size_t i = 0; i < sizeof names / sizeof *names && !rc; i++) {
		sqlite3_stmt *st;
		int step = rt_db_row(r, &st, "cannot read the region's policies",
		                     sql, RT_ARGS(RT_TEXT(names[i])));
		if (step < 0) {
			rc = step;
		} else if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(names[i]));
			json_object_set_new(o, "value", step == RT_ROW ?
			                    rt_json_str(rt_col_text(st, 0)) :
			                    json_string("off"));
			json_object_set_new(o, "set_at", rt_json_str(step == RT_ROW ?
			                    rt_col_text(st, 1) : NULL));
			json_object_set_new(o, "set_by", rt_json_str(step == RT_ROW ?
			                    rt_col_text(st, 2) : NULL));
			json_array_append_new(arr, o);
		} else if (step == RT_ROW) {
			printf("%s\t%s\tset %s by %s\n", names[i],
			       rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)),
			       rt_esc(a, rt_col_text(st, 2)));
		} else {
			printf("%s\toff\tnever set\n", names[i]);
		}
		rt_db_done(r, st);
	}
	st_arena_free(a);
	return rt_list_end(r, NULL, RT_DONE, rc, arr);
}

int rt_cmd_policy(rt_ctx *ctx, int argc, char **argv)
{
	const char *as = NULL, *pos[3];
	int json = 0, npos, rc, on;
	st_opt opts[] = {
		ST_VALUE("--as", &as),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;

	rc = rt_parse(ctx, argc, argv, "policy", opts, pos, 3, &npos, policy_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos == 0 || !strcmp(pos[0], "list")) {
		if (npos > 1)
			return rt_usage_error("policy", "'policy list' takes no "
			                      "arguments");
		if (as)
			return rt_usage_error("policy", "'policy list' reads only and "
			                      "takes no --as");
		if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)) == ST_OK)
			rc = policy_list(r, json);
	} else if (!strcmp(pos[0], "set")) {
		if (npos != 3 || !as)
			return rt_usage_error("policy", "'policy set' needs NAME, on or "
			                      "off, and --as");
		if (json)
			return rt_usage_error("policy", "'policy set' takes no --json");
		if (!rt_policy_known(pos[1]))
			return rt_usage_error("policy", "unknown policy '%s'; the "
			                      "policies are: %s", pos[1],
			                      rt_policy_names());
		if (strcmp(pos[2], "on") && strcmp(pos[2], "off"))
			return rt_usage_error("policy", "'%s' is neither on nor off",
			                      pos[2]);
		on = !strcmp(pos[2], "on");
		if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
			rc = policy_set(r, pos[1], on, as);
	} else {
		return rt_usage_error("policy", "unknown 'policy' command '%s'; say "
		                      "'list' or 'set'", pos[0]);
	}
	return rt_finish(r, rc);
}
