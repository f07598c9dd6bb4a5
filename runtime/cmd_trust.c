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
#include "actions.h"
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
	rt_act_result res;
	st_pubkey pk;
	char keyid[17];

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

	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK &&
	    (rc = rt_act_trust_add(r, as, region, &pk, comment, &res)) == ST_OK)
		printf("trusted key %s for region '%s'\n", keyid, region);
	rt_act_release(&res);
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
	rt_act_result res;
	uint8_t raw[8];
	char keyid[17];

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

	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK &&
	    (rc = rt_act_trust_remove(r, as, region, keyid, &res)) == ST_OK)
		printf("removed key %s of region '%s' from the trusted keys\n",
		       keyid, region);
	rt_act_release(&res);
	return rt_finish(r, rc);
}

static json_t *entry_json(const rt_trust_entry *e, int all)
{
	json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
	        "region", rt_json_str(e->region),
	        "key_id", rt_json_str(e->keyid),
	        "public_key", rt_json_str(e->pubkey),
	        "comment", rt_json_str(e->comment),
	        "added_at", rt_json_str(e->added_at),
	        "added_by", rt_json_str(e->added_by));
	if (o && all) {
		json_object_set_new(o, "removed_at", e->removed_at[0] ?
		                    rt_json_str(e->removed_at) : json_null());
		json_object_set_new(o, "removed_by", e->removed_by[0] ?
		                    rt_json_str(e->removed_by) : json_null());
	}
	return o;
}

static void entry_print(st_arena *a, const rt_trust_entry *e)
{
	printf("%-24s %s  added %s by %s", rt_esc(a, e->region),
	       rt_esc(a, e->keyid), rt_esc(a, e->added_at),
	       rt_esc(a, e->added_by));
	if (e->removed_at[0])
		printf(", removed %s by %s", rt_esc(a, e->removed_at),
		       rt_esc(a, e->removed_by));
	if (e->comment[0])
		printf("  (%s)", rt_esc(a, e->comment));
	putchar('\n');
}

static int trust_list(rt_ctx *ctx, int argc, char **argv)
{
	int all = 0, json = 0, npos, rc;
	st_opt opts[] = {
		ST_FLAG("--all", &all),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;
	rt_trust_entry *v = NULL;
	size_t n = 0;
	json_t *arr = NULL;
	st_arena *a = NULL;

	rc = rt_parse(ctx, argc, argv, "trust list", opts, NULL, 0, &npos,
	              trust_help);
	if (rc != ST_CONTINUE)
		return rc;
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)) ||
	    (rc = rt_trusted_key_list(r, all, &v, &n)))
		goto done;
	a = st_arena_new();
	if (json && !(arr = json_array()))
		rc = rt_fail(r, ST_EIO, "out of memory");
	for (size_t i = 0; rc == ST_OK && i < n; i++) {
		if (!json)
			entry_print(a, &v[i]);
		else if (json_array_append_new(arr, entry_json(&v[i], all)))
			rc = rt_fail(r, ST_EIO, "out of memory");
	}
	if (rc == ST_OK && json) {
		rc = rt_print_json(arr);
		arr = NULL;
		if (rc) {
			free(v);
			st_arena_free(a);
			rt_reg_close(r);
			return rc;
		}
	}
done:
	free(v);
	st_arena_free(a);
	json_decref(arr);
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
