/*
 * cmd_trust.c — steg trust add|list|remove: the public keys of the regions
 * whose programs this registry accepts (partner agreements), and which
 * region each key may sign for.
 *
 *   steg trust add --region HSA-ID --key FILE.pub --as ADMIN [--comment T]
 *   steg trust list [--all] [--json]
 *   steg trust remove --region HSA-ID --key-id ID --as ADMIN
 *
 * Only a region-wide admin changes trust: a key vouches for every program
 * that region publishes, for every unit.  Removing a key keeps its row
 * (removed_at, removed_by), so that the registry can later say that a
 * signature is by a key whose agreement ended, and the audit log has the
 * whole history.  Bundles already imported stay; only new imports and
 * syncs are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "db.h"
#include "diag.h"
#include "registry.h"
#include "sign.h"
#include "trust.h"
#include "util.h"

static const char trust_help[] =
	"usage: steg trust add --region HSA-ID --key FILE.pub --as ADMIN\n"
	"                      [--comment TEXT]\n"
	"       steg trust list [--all] [--json]\n"
	"       steg trust remove --region HSA-ID --key-id ID --as ADMIN\n"
	"\n"
	"Trust a partner region's public key (minisign .pub), so that its\n"
	"signed bundles and channel indexes are accepted; a key vouches only\n"
	"for the region it is added for.  'list' shows the trusted keys\n"
	"(--all: removed ones too); 'remove' ends the trust in a key (the key\n"
	"id as 'trust list' shows it).  Changes take a region-wide admin.\n";

static int trust_add(rt_ctx *ctx, int argc, char **argv)
{
	const char *region = NULL, *keyfile = NULL, *as = NULL, *comment = NULL;
	st_opt opts[] = {
		ST_VALUE("--region", &region),
		ST_VALUE("--key", &keyfile),
		ST_VALUE("--as", &as),
		ST_VALUE("--comment", &comment),
		{ NULL },
	};
	int npos, rc;
	rt_reg *r = NULL;
	rt_actor who;
	st_pubkey pk;
	char keyid[17], b64[ST_PUBKEY_B64_LEN], detail[512];

	rc = rt_parse(ctx, argc, argv, "trust add", opts, NULL, 0, &npos, trust_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (!region || !keyfile || !as)
		return rt_usage_error("trust add", "'trust add' needs --region, "
		                      "--key and --as");
	if (!rt_hsa_valid(region))
		return rt_usage_error("trust add", "'%s' is not an HSA-id ("
		                      ST_HSA_ID_RULE ")", region);
	if (comment && (rc = rt_check_text("trust add", "--comment", comment,
	                                   1)))
		return rc;
	if ((rc = rt_load_pubkey(&pk, keyfile)) != RT_OK)
		return rc;
	st_keyid_hex(keyid, pk.keyid);
	st_pubkey_b64(b64, &pk);

	if ((rc = rt_reg_open(&r, ctx->db, 0)) || (rc = rt_begin(r)))
		goto done;
	if ((rc = rt_authorize_region_admin(r, &who, as, NULL, "trust add", keyid,
	                                    "changes which keys are trusted")))
		goto done;
	{
		/* one key, one region: say which region has it already */
		char *have = NULL;
		rc = rt_trusted_key_find(r, keyid, &have, NULL);
		if (rc == ST_OK)
			rc = rt_refuse(r, &who, NULL, "trust add", keyid, "key %s is "
			               "already trusted for region '%s'; remove it "
			               "first to trust it for another", keyid, have);
		else if (rc != ST_ENOENT)
			rc = rt_abort(r, rc, &who, NULL, "trust add", keyid);
		free(have);
		if (rc != ST_ENOENT)
			goto done;
	}
	if ((rc = rt_trusted_key_add(r, region, keyid, b64,
	                             comment ? comment : "", as))) {
		rc = rc == ST_ERR ? rt_refuse(r, &who, NULL, "trust add", keyid,
		                              "%s", rt_reg_errmsg(r))
		                  : rt_abort(r, rc, &who, NULL, "trust add", keyid);
		goto done;
	}
	snprintf(detail, sizeof detail, "region '%s' key %s%s%s", region, keyid,
	         comment ? ": " : "", comment ? comment : "");
	if ((rc = rt_audit(r, &who, NULL, "trust add", keyid, "ok", detail)) ||
	    (rc = rt_commit(r))) {
		rc = rt_abort(r, rc, &who, NULL, "trust add", keyid);
		goto done;
	}
	printf("trusted key %s for region '%s'\n", keyid, region);
done:
	return rt_finish(r, rc);
}

static int trust_remove(rt_ctx *ctx, int argc, char **argv)
{
	const char *region = NULL, *keyid_in = NULL, *as = NULL;
	st_opt opts[] = {
		ST_VALUE("--region", &region),
		ST_VALUE("--key-id", &keyid_in),
		ST_VALUE("--as", &as),
		{ NULL },
	};
	int npos, rc;
	rt_reg *r = NULL;
	rt_actor who;
	uint8_t raw[8];
	char keyid[17], detail[256];

	rc = rt_parse(ctx, argc, argv, "trust remove", opts, NULL, 0, &npos,
	              trust_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (!region || !keyid_in || !as)
		return rt_usage_error("trust remove", "'trust remove' needs "
		                      "--region, --key-id and --as");
	if (st_keyid_parse(raw, keyid_in) != 0)
		return rt_usage_error("trust remove", "'%s' is not a key id (16 "
		                      "hex digits, as 'steg trust list' shows)",
		                      keyid_in);
	st_keyid_hex(keyid, raw);

	if ((rc = rt_reg_open(&r, ctx->db, 0)) || (rc = rt_begin(r)))
		goto done;
	if ((rc = rt_authorize_region_admin(r, &who, as, NULL, "trust remove", keyid,
	                                    "changes which keys are trusted")))
		goto done;
	rc = rt_trusted_key_remove(r, region, keyid, as);
	if (rc && rc != ST_ENOENT) {
		rc = rt_abort(r, rc, &who, NULL, "trust remove", keyid);
		goto done;
	}
	if (rc == ST_ENOENT) {
		rc = rt_refuse(r, &who, NULL, "trust remove", keyid, "region '%s' "
		               "has no trusted key %s (see 'steg trust list')",
		               region, keyid);
		goto done;
	}
	snprintf(detail, sizeof detail, "region '%s' key %s", region, keyid);
	if ((rc = rt_audit(r, &who, NULL, "trust remove", keyid, "ok",
	                   detail)) || (rc = rt_commit(r))) {
		rc = rt_abort(r, rc, &who, NULL, "trust remove", keyid);
		goto done;
	}
	printf("removed key %s of region '%s' from the trusted keys\n", keyid,
	       region);
done:
	return rt_finish(r, rc);
}

/* A trusted key as JSON: the first six fields, all eight with --all. */
static const rt_json_field key_fields[] = {
	{ "region", 0, RT_JSON_TEXT }, { "key_id", 1, RT_JSON_TEXT },
	{ "public_key", 2, RT_JSON_TEXT }, { "comment", 3, RT_JSON_TEXT },
	{ "added_at", 4, RT_JSON_TEXT }, { "added_by", 5, RT_JSON_TEXT },
	{ NULL, 0, 0 },
};
static const rt_json_field removed_fields[] = {
	{ "removed_at", 6, RT_JSON_TEXT }, { "removed_by", 7, RT_JSON_TEXT },
	{ NULL, 0, 0 },
};

static int trust_list(rt_ctx *ctx, int argc, char **argv)
{
	int all = 0, json = 0, npos, rc, step;
	st_opt opts[] = {
		ST_FLAG("--all", &all),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	st_arena *a = NULL;

	rc = rt_parse(ctx, argc, argv, "trust list", opts, NULL, 0, &npos,
	              trust_help);
	if (rc != ST_CONTINUE)
		return rc;
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)))
		goto done;
	a = st_arena_new();
	if ((rc = rt_db_prepare(r, &st, "cannot read the trusted keys", "SELECT "
	                        "region, keyid, pubkey, comment, added_at, "
	                        "added_by, removed_at, removed_by FROM "
	                        "trusted_keys WHERE ?1 OR removed_at IS NULL ORDER "
	                        "BY region, id", RT_ARGS(RT_INT(all)))))
		goto done;
	if (json && !(arr = json_array())) {
		rc = rt_fail(r, ST_EIO, "out of memory");
		goto done;
	}
	while ((step = rt_db_step(r, st, "cannot read the trusted keys")) ==
	       RT_ROW) {
		if (json) {
			json_t *o = rt_json_row(NULL, st, key_fields);
			if (o && all)
				o = rt_json_row(o, st, removed_fields);
			if (!o || json_array_append_new(arr, o)) {
				rc = rt_fail(r, ST_EIO, "out of memory");
				goto done;
			}
		} else {
			printf("%-24s %s  added %s by %s",
			       rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)),
			       rt_esc(a, rt_col_text(st, 4)),
			       rt_esc(a, rt_col_text(st, 5)));
			if (rt_col_text(st, 6))
				printf(", removed %s by %s",
				       rt_esc(a, rt_col_text(st, 6)),
				       rt_esc(a, rt_col_text(st, 7)));
			if (rt_col_text(st, 3) && *rt_col_text(st, 3))
				printf("  (%s)", rt_esc(a, rt_col_text(st, 3)));
			putchar('\n');
		}
	}
	rc = rt_list_end(r, st, step, rc, arr);
	st = NULL;
	arr = NULL;
done:
	st_arena_free(a);
	json_decref(arr);
	rt_db_done(st);
	return rt_finish(r, rc);
}

int rt_cmd_trust(rt_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) {
		fputs(trust_help, stderr);
		return RT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(trust_help, stdout);
		return RT_OK;
	}
	if (!strcmp(argv[1], "add"))
		return trust_add(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return trust_list(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return trust_remove(ctx, argc - 1, argv + 1);
	return rt_usage_error("trust", "unknown subcommand 'trust %s' (add, "
	                      "list or remove)", argv[1]);
}
