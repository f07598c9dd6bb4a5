/*
 * cmd_programs.c — the life of a program version in the registry, as
 * commands (the rules and audit rows are runtime/actions.c's, which the
 * web server calls too):
 *
 *   import   verify a bundle (every check of `stegc verify`, the
 *            expressions again, the signature against the trusted keys)
 *            and store its bytes and metadata; an id@version never changes
 *   approve  a publisher signs the version off after review
 *   publish / unpublish    make it available to care units, or withdraw it
 *   activate / deactivate  a unit starts or stops offering it to patients
 *   retire   no new activations; nothing already activated changes
 *   list / show            what there is, and which unit runs which version
 *
 * (docs/registry.md.)  Every change is one transaction with
 * its audit row; every refusal is audited on its own and changes nothing
 * else.  Nothing that was ever activated is deleted: withdrawals and
 * deactivations are marked with who and when, and the rows stay.
 *
 * A unit runs at most one version of a program at a time (a partial unique
 * index enforces it): activating another version replaces the running one
 * in the same transaction, and the audit row says which it replaced.
 * Unpublishing a version that is active at the unit is refused until the
 * unit has deactivated it, so that no unit runs what it was not given.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "model.h"
#include "bundle.h"
#include "check.h"
#include "sign.h"
#include "commands.h"
#include "db.h"
#include "registry.h"
#include "cli.h"
#include "trust.h"
#include "import.h"
#include "policy.h"
#include "actions.h"

/* What a failed write says (the database's reason follows). */
#define WRITE "cannot write the registry"

/* ---- steg import -------------------------------------------------------- */

static const char import_help[] =
	"usage: steg import BUNDLE --as HSA-ID [--allow-unsigned]\n"
	"\n"
	"Verify a bundle (.steg) and store it in the registry: every check of\n"
	"'stegc verify', the expressions checked again, and the signature\n"
	"against the registry's trusted keys ('steg trust').  The same bytes\n"
	"again are a no-op; other bytes under an imported ID@VERSION are\n"
	"refused.  Takes an admin or a publisher.\n"
	"\n"
	"  --as HSA-ID        who is importing\n"
	"  --allow-unsigned   accept a bundle without a signature (recorded in\n"
	"                     the audit log); a signature that is there must\n"
	"                     still verify\n";

int rt_cmd_import(rt_ctx *ctx, int argc, char **argv)
{
	const char *as = NULL, *pos[1];
	int allow_unsigned = 0, npos, rc;
	st_opt opts[] = {
		ST_VALUE("--as", &as),
		ST_FLAG("--allow-unsigned", &allow_unsigned),
		{ NULL },
	};
	rt_reg *r = NULL;
	rt_import im;
	rt_act_result res;

	rc = rt_parse(ctx, argc, argv, "import", opts, pos, 1, &npos, import_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1 || !as)
		return rt_usage_error("import", "'import' needs BUNDLE and --as");
	rt_import_init(&im);
	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
		rc = rt_act_import(r, as, pos[0], NULL, allow_unsigned, &im, &res);
	if (im.findings)
		fputs(im.findings, stderr);
	if (rc == ST_OK && res.changed)
		rt_import_print(&im);
	else if (rc == ST_OK)
		printf("%s is already imported with these bytes; nothing "
		       "changed\n", im.object);
	rt_import_release(&im);
	rt_act_release(&res);
	return rt_finish(r, rc);
}

/* ---- the state changes ---------------------------------------------------- */

/* What approve, publish, unpublish, activate, deactivate and retire read
 * from the command line. */
typedef struct change {
	const char *cmd;            /* "publish" */
	const char *as, *unit;
	int all_units;
	char id[160], version[64];
} change;

static int parse_change(rt_ctx *ctx, change *c, int argc, char **argv,
                        const char *help, int takes_unit)
{
	const char *pos[1];
	int npos, rc;
	st_opt opts[] = {
		ST_VALUE("--as", &c->as),
		ST_VALUE("--unit", &c->unit),
		ST_FLAG("--all-units", &c->all_units),
		{ NULL },
	};

	if (takes_unit < 2)
		opts[2].name = NULL;        /* --all-units: publish, unpublish */
	if (!takes_unit)
		opts[1].name = NULL;
	rc = rt_parse(ctx, argc, argv, c->cmd, opts, pos, 1, &npos, help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1 || !c->as)
		return rt_usage_error(c->cmd, "'%s' needs ID@VERSION and --as",
		                      c->cmd);
	if (takes_unit == 1 && !c->unit)
		return rt_usage_error(c->cmd, "'%s' needs --unit", c->cmd);
	if (takes_unit == 2 && !c->unit == !c->all_units)
		return rt_usage_error(c->cmd, "'%s' needs either --unit UNIT or "
		                      "--all-units", c->cmd);
	if (rt_parse_ref(pos[0], c->id, sizeof c->id, c->version,
	                 sizeof c->version, 1))
		return RT_REFUSED;
	return ST_CONTINUE;
}

/* ---- steg approve ---- */

static const char approve_help[] =
	"usage: steg approve ID@VERSION --as PUBLISHER\n"
	"\n"
	"Sign a version off after review (utgivare): only approved versions can\n"
	"be published.  The approver and the time are recorded.  An approval\n"
	"holds for the whole region, so it takes a region-wide publisher; with\n"
	"the four-eyes policy on ('steg policy'), not the one who imported it.\n";

int rt_cmd_approve(rt_ctx *ctx, int argc, char **argv)
{
	change c = { .cmd = "approve" };
	rt_reg *r = NULL;
	rt_act_result res;
	int rc = parse_change(ctx, &c, argc, argv, approve_help, 0);
	if (rc != ST_CONTINUE)
		return rc;
	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
		rc = rt_act_approve(r, c.as, c.id, c.version, &res);
	if (rc == ST_OK && res.changed) {
		printf("approved %s\n", res.object);
	} else if (rc == ST_OK) {
		st_arena *a = st_arena_new();
		printf("%s is already approved (%s by '%s'); nothing changed\n",
		       res.object, rt_esc(a, res.at), rt_esc(a, res.by));
		st_arena_free(a);
	}
	rt_act_release(&res);
	return rt_finish(r, rc);
}

/* ---- steg retire ---- */

static const char retire_help[] =
	"usage: steg retire ID@VERSION --as ADMIN|PUBLISHER\n"
	"\n"
	"Stop new activations and publications of a version.  Units that run it\n"
	"keep running it; nothing is deleted.\n";

int rt_cmd_retire(rt_ctx *ctx, int argc, char **argv)
{
	change c = { .cmd = "retire" };
	rt_reg *r = NULL;
	rt_act_result res;
	int rc = parse_change(ctx, &c, argc, argv, retire_help, 0);
	if (rc != ST_CONTINUE)
		return rc;
	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
		rc = rt_act_retire(r, c.as, c.id, c.version, &res);
	if (rc == ST_OK && res.changed)
		printf("retired %s\n", res.object);
	else if (rc == ST_OK)
		printf("%s is already retired (%s by '%s'); nothing changed\n",
		       res.object, res.at, res.by);
	rt_act_release(&res);
	return rt_finish(r, rc);
}

/* ---- steg publish / unpublish ---- */

static const char publish_help[] =
	"usage: steg publish ID@VERSION (--unit UNIT | --all-units) --as HSA-ID\n"
	"\n"
	"Publish an approved version to one care unit or to all of the region's\n"
	"units, so that its clinicians can activate it.  Takes an admin or a\n"
	"publisher (region-wide, or of that unit).\n";

static const char unpublish_help[] =
	"usage: steg unpublish ID@VERSION (--unit UNIT | --all-units) --as HSA-ID\n"
	"\n"
	"Withdraw a publication.  Refused while the version is active at the\n"
	"unit: the unit deactivates it first.  The history is kept.\n";

static int publish(rt_ctx *ctx, int argc, char **argv, int on)
{
	change c = { .cmd = on ? "publish" : "unpublish" };
	rt_reg *r = NULL;
	rt_act_result res;
	int rc = parse_change(ctx, &c, argc, argv, on ? publish_help : unpublish_help,
	                      2);
	if (rc != ST_CONTINUE)
		return rc;
	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
		rc = rt_act_publish(r, c.as, c.id, c.version,
		                    c.unit ? &c.unit : NULL, c.unit ? 1 : 0, on,
		                    &res);
	if (rc == ST_OK && res.changed) {
		for (size_t i = 0; i < res.nunits; i++)
			printf("%s %s %s '%s'\n", on ? "published" : "withdrew",
			       res.object, on ? "to" : "from", res.units[i]);
	} else if (rc == ST_OK && c.unit) {
		printf("%s is %s published to '%s'; nothing changed\n",
		       res.object, on ? "already" : "not", c.unit);
	} else if (rc == ST_OK) {
		printf("%s is %s every unit; nothing changed\n", res.object,
		       on ? "already published to" : "not published to");
	}
	rt_act_release(&res);
	return rt_finish(r, rc);
}

int rt_cmd_publish(rt_ctx *ctx, int argc, char **argv)
{
	return publish(ctx, argc, argv, 1);
}

int rt_cmd_unpublish(rt_ctx *ctx, int argc, char **argv)
{
	return publish(ctx, argc, argv, 0);
}

/* ---- steg activate / deactivate ---- */

static const char activate_help[] =
	"usage: steg activate ID@VERSION --unit UNIT --as HSA-ID\n"
	"\n"
	"Start offering a version to the unit's patients.  Takes an active\n"
	"clinician or admin of that unit (or a region-wide admin); the version\n"
	"must be approved, published to the unit and not retired.  A unit runs\n"
	"one version of a program: another version running there is replaced.\n";

static const char deactivate_help[] =
	"usage: steg deactivate ID@VERSION --unit UNIT --as HSA-ID\n"
	"\n"
	"Stop offering a version at a unit (who may: as for 'activate').  The\n"
	"version and the history of its activation are kept.\n";

static int activate(rt_ctx *ctx, int argc, char **argv, int on)
{
	change c = { .cmd = on ? "activate" : "deactivate" };
	rt_reg *r = NULL;
	rt_act_result res;
	int rc = parse_change(ctx, &c, argc, argv,
	                      on ? activate_help : deactivate_help, 1);
	if (rc != ST_CONTINUE)
		return rc;
	rt_act_init(&res);
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK)
		rc = rt_act_activate(r, c.as, c.id, c.version, c.unit, on, &res);
	if (rc == ST_OK && !res.changed)
		printf("%s is %s active at '%s'; nothing changed\n", res.object,
		       on ? "already" : "not", c.unit);
	else if (rc == ST_OK && !on)
		printf("deactivated %s at '%s'\n", res.object, c.unit);
	else if (rc == ST_OK && res.replaced[0])
		printf("activated %s at '%s', replacing %s@%s\n", res.object,
		       c.unit, c.id, res.replaced);
	else if (rc == ST_OK)
		printf("activated %s at '%s'\n", res.object, c.unit);
	rt_act_release(&res);
	return rt_finish(r, rc);
}

int rt_cmd_activate(rt_ctx *ctx, int argc, char **argv)
{
	return activate(ctx, argc, argv, 1);
}

int rt_cmd_deactivate(rt_ctx *ctx, int argc, char **argv)
{
	return activate(ctx, argc, argv, 0);
}

/* ---- steg list ---------------------------------------------------------- */

static const char list_help[] =
	"usage: steg list [--unit UNIT] [--json]\n"
	"\n"
	"List every imported version with its state (imported, approved or\n"
	"retired) and how many units it is published to and active at; with\n"
	"--unit, what is published to that unit and whether it runs there.\n";

static const rt_json_field list_fields[] = {
	{ "id", 0, RT_JSON_TEXT }, { "version", 1, RT_JSON_TEXT },
	{ "title", 2, RT_JSON_TEXT }, { NULL, 0, 0 },
};

int rt_cmd_list(rt_ctx *ctx, int argc, char **argv)
{
	const char *unit = NULL, *pos[1];
	int json = 0, npos, rc, step;
	st_opt opts[] = {
		ST_VALUE("--unit", &unit),
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	st_arena *a = st_arena_new();
	char kind[16];

	rc = rt_parse(ctx, argc, argv, "list", opts, pos, 0, &npos, list_help);
	if (rc != ST_CONTINUE) {
		st_arena_free(a);
		return rc;
	}
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)))
		goto done;
	if (unit) {
		if ((rc = rt_org_kind(r, unit, kind)))
			goto done;
		if (strcmp(kind, "unit")) {
			rc = rt_fail(r, ST_ERR, "unknown unit '%s'; see 'steg unit "
			             "list'", unit);
			goto done;
		}
	}
	if ((rc = rt_db_prepare(r, &st, "cannot read the versions",
		"SELECT v.program, v.version, v.title, v.approved_at, v.retired_at, "
		"  (SELECT count(*) FROM publications p WHERE p.program = v.program"
		"     AND p.version = v.version AND p.withdrawn_at IS NULL), "
		"  (SELECT count(*) FROM activations a WHERE a.program = v.program"
		"     AND a.version = v.version AND a.active = 1), "
		"  EXISTS (SELECT 1 FROM activations a WHERE a.program = v.program"
		"     AND a.version = v.version AND a.active = 1 AND a.unit = ?1) "
		"FROM versions v WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM "
		"  publications p WHERE p.program = v.program AND p.version = "
		"  v.version AND p.unit = ?1 AND p.withdrawn_at IS NULL) "
		"ORDER BY v.program, v.major, v.minor, v.patch, v.version",
		RT_ARGS(RT_TEXT(unit)))))
		goto done;
	if (json)
		arr = json_array();
	while ((step = rt_db_step(r, st, "cannot read the versions")) ==
	       RT_ROW) {
		const char *state = rt_col_text(st, 4) ? "retired" :
		                    rt_col_text(st, 3) ? "approved" : "imported";
		long long npub = rt_col_int(st, 5);
		long long nact = rt_col_int(st, 6);
		int here = rt_col_int(st, 7) != 0;
		if (json) {
			json_t *o = rt_json_row(NULL, st, list_fields);
			json_object_set_new(o, "state", json_string(state));
			if (unit)
				json_object_set_new(o, "active", json_boolean(here));
			else {
				json_object_set_new(o, "published_units", json_integer(npub));
				json_object_set_new(o, "active_units", json_integer(nact));
			}
			json_array_append_new(arr, o);
		} else if (unit) {
			printf("%s@%s\t%s\t%s\t%s\n", rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)), state,
			       here ? "active" : "published",
			       rt_esc(a, rt_col_text(st, 2)));
		} else {
			printf("%s@%s\t%s\tpublished %lld\tactive %lld\t%s\n",
			       rt_esc(a, rt_col_text(st, 0)),
			       rt_esc(a, rt_col_text(st, 1)), state, npub, nact,
			       rt_esc(a, rt_col_text(st, 2)));
		}
	}
	rc = rt_list_end(r, st, step, rc, arr);
	st = NULL;
	arr = NULL;
done:
	rt_db_done(r, st);
	json_decref(arr);
	st_arena_free(a);
	return rt_finish(r, rc);
}

/* ---- steg show ---------------------------------------------------------- */

static const char show_help[] =
	"usage: steg show ID[@VERSION] [--json]\n"
	"\n"
	"Show a program's versions (or one version): where it came from, who\n"
	"approved it, which units it is published to and which run it, with the\n"
	"history of activations; for a whole program, which version each unit\n"
	"runs.\n";

static const rt_json_field place_fields[2][8] = {
	{ { "unit", 0, RT_JSON_TEXT }, { "unit_name", 1, RT_JSON_TEXT },
	  { "published_at", 2, RT_JSON_TEXT }, { "published_by", 3, RT_JSON_TEXT },
	  { "current", 4, RT_JSON_BOOL }, { "withdrawn_at", 5, RT_JSON_TEXT },
	  { "withdrawn_by", 6, RT_JSON_TEXT }, { NULL, 0, 0 } },
	{ { "unit", 0, RT_JSON_TEXT }, { "unit_name", 1, RT_JSON_TEXT },
	  { "activated_at", 2, RT_JSON_TEXT }, { "activated_by", 3, RT_JSON_TEXT },
	  { "active", 4, RT_JSON_BOOL }, { "deactivated_at", 5, RT_JSON_TEXT },
	  { "deactivated_by", 6, RT_JSON_TEXT }, { NULL, 0, 0 } },
};

/* Publications or activations of one version as JSON, and as text. */
static int show_places(rt_reg *r, json_t *o, const char *id,
                       const char *version, int acts)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = o ? json_array() : NULL;
	int step, any = 0;
	st_arena *a;
	const char *sql = acts ?
		"SELECT a.unit, u.name, a.activated_at, a.activated_by, a.active, "
		"  a.deactivated_at, a.deactivated_by FROM activations a "
		"  JOIN organisations u ON u.hsa_id = a.unit "
		"  WHERE a.program = ?1 AND a.version = ?2 ORDER BY a.id" :
		"SELECT p.unit, u.name, p.published_at, p.published_by, "
		"  p.withdrawn_at IS NULL, p.withdrawn_at, p.withdrawn_by "
		"  FROM publications p JOIN organisations u ON u.hsa_id = p.unit "
		"  WHERE p.program = ?1 AND p.version = ?2 ORDER BY p.id";

	if ((step = rt_db_prepare(r, &st, "cannot read the registry", sql,
	                          RT_ARGS(RT_TEXT(id), RT_TEXT(version))))) {
		json_decref(arr);
		return step;
	}
	a = st_arena_new();
	while ((step = rt_db_step(r, st, "cannot read the registry")) ==
	       RT_ROW) {
		int current = rt_col_int(st, 4) != 0;
		if (o) {
			json_array_append_new(arr, rt_json_row(NULL, st,
			                                       place_fields[acts]));
			continue;
		}
		if (!any++)
			printf("  %s\n", acts ? "activations:" : "publications:");
		printf("    %s (%s)\t%s %s by %s", rt_esc(a, rt_col_text(st, 0)),
		       rt_esc(a, rt_col_text(st, 1)),
		       acts ? "activated" : "published",
		       rt_esc(a, rt_col_text(st, 2)),
		       rt_esc(a, rt_col_text(st, 3)));
		if (!current)
			printf("\t%s %s by %s", acts ? "deactivated" : "withdrawn",
			       rt_esc(a, rt_col_text(st, 5)),
			       rt_esc(a, rt_col_text(st, 6)));
		else
			printf("\t%s", acts ? "active" : "current");
		putchar('\n');
	}
	rt_db_done(r, st);
	st_arena_free(a);
	if (step < 0) {
		json_decref(arr);
		return step;
	}
	if (o)
		json_object_set_new(o, acts ? "activations" : "publications", arr);
	else if (!any)
		printf("  %s\n", acts ? "activations: none" : "publications: none");
	return ST_OK;
}

static const rt_json_field running_fields[] = {
	{ "unit", 0, RT_JSON_TEXT }, { "unit_name", 1, RT_JSON_TEXT },
	{ "version", 2, RT_JSON_TEXT }, { "activated_at", 3, RT_JSON_TEXT },
	{ "activated_by", 4, RT_JSON_TEXT }, { NULL, 0, 0 },
};

/* The units where some version of program id is active, with the version:
 * as JSON into *out, or as text when out is NULL. */
static int show_running(rt_reg *r, json_t **out, const char *id)
{
	sqlite3_stmt *st;
	json_t *arr = out ? json_array() : NULL;
	int step, any = 0;
	st_arena *a;

	if ((step = rt_db_prepare(r, &st, "cannot read the activations",
		"SELECT a.unit, u.name, a.version, a.activated_at, a.activated_by "
		"FROM activations a JOIN organisations u ON u.hsa_id = a.unit "
		"WHERE a.program = ?1 AND a.active = 1 ORDER BY a.unit",
		RT_ARGS(RT_TEXT(id))))) {
		json_decref(arr);
		return step;
	}
	a = st_arena_new();
	while ((step = rt_db_step(r, st, "cannot read the activations")) ==
	       RT_ROW) {
		if (out) {
			json_array_append_new(arr, rt_json_row(NULL, st,
			                                       running_fields));
			continue;
		}
		if (!any++)
			printf("\nrunning at:\n");
		printf("  %s (%s)\t%s\tsince %s\n", rt_esc(a, rt_col_text(st, 0)),
		       rt_esc(a, rt_col_text(st, 1)),
		       rt_esc(a, rt_col_text(st, 2)),
		       rt_esc(a, rt_col_text(st, 3)));
	}
	rt_db_done(r, st);
	st_arena_free(a);
	if (step < 0) {
		json_decref(arr);
		return step;
	}
	if (out)
		*out = arr;
	else if (!any)
		printf("\nrunning at: no unit\n");
	return ST_OK;
}

/* The row of `steg show`'s versions query as JSON. */
static const rt_json_field version_fields[] = {
	{ "id", 0, RT_JSON_TEXT }, { "version", 1, RT_JSON_TEXT },
	{ "title", 2, RT_JSON_TEXT }, { "kind", 3, RT_JSON_TEXT },
	{ "language", 4, RT_JSON_TEXT }, { "producer_id", 5, RT_JSON_TEXT },
	{ "producer_name", 6, RT_JSON_TEXT }, { "compiler", 7, RT_JSON_TEXT },
	{ "modules", 8, RT_JSON_INT }, { "forms", 9, RT_JSON_INT },
	{ "bundle_sha256", 10, RT_JSON_TEXT }, { "size", 11, RT_JSON_INT },
	{ "signed_by", 12, RT_JSON_TEXT }, { "keyid", 13, RT_JSON_TEXT },
	{ "imported_at", 14, RT_JSON_TEXT }, { "imported_by", 15, RT_JSON_TEXT },
	{ "approved_at", 16, RT_JSON_TEXT }, { "approved_by", 17, RT_JSON_TEXT },
	{ "retired_at", 18, RT_JSON_TEXT }, { "retired_by", 19, RT_JSON_TEXT },
	{ NULL, 0, 0 },
};

/* ... and as text, after an empty line when gap. */
static void version_text(sqlite3_stmt *st, st_arena *a, int gap)
{
	if (gap)
		putchar('\n');
	printf("%s@%s\t%s\n", rt_esc(a, rt_col_text(st, 0)),
	       rt_esc(a, rt_col_text(st, 1)), rt_esc(a, rt_col_text(st, 2)));
	printf("  kind         %s, language %s\n",
	       rt_esc(a, rt_col_text(st, 3)), rt_esc(a, rt_col_text(st, 4)));
	printf("  producer     %s (%s)\n", rt_esc(a, rt_col_text(st, 5)),
	       rt_esc(a, rt_col_text(st, 6)));
	printf("  content      %lld modules, %lld forms, %s\n",
	       rt_col_int(st, 8), rt_col_int(st, 9),
	       rt_esc(a, rt_col_text(st, 7)));
	printf("  bundle       sha256 %s, %lld bytes\n",
	       rt_esc(a, rt_col_text(st, 10)),
	       rt_col_int(st, 11));
	if (rt_col_text(st, 12))
		printf("  signed       key %s of '%s'\n",
		       rt_esc(a, rt_col_text(st, 13)),
		       rt_esc(a, rt_col_text(st, 12)));
	else
		printf("  signed       no (imported with --allow-unsigned)\n");
	printf("  imported     %s by %s\n", rt_esc(a, rt_col_text(st, 14)),
	       rt_esc(a, rt_col_text(st, 15)));
	if (rt_col_text(st, 16))
		printf("  approved     %s by %s\n", rt_esc(a, rt_col_text(st, 16)),
		       rt_esc(a, rt_col_text(st, 17)));
	else
		printf("  approved     no\n");
	if (rt_col_text(st, 18))
		printf("  retired      %s by %s\n", rt_esc(a, rt_col_text(st, 18)),
		       rt_esc(a, rt_col_text(st, 19)));
}

int rt_cmd_show(rt_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	int json = 0, npos, rc, step, n = 0;
	st_opt opts[] = {
		ST_FLAG("--json", &json),
		{ NULL },
	};
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	char id[160], version[64];
	rt_version v;
	st_arena *a = NULL;

	rc = rt_parse(ctx, argc, argv, "show", opts, pos, 1, &npos, show_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1)
		return rt_usage_error("show", "'show' needs ID or ID@VERSION");
	if (rt_parse_ref(pos[0], id, sizeof id, version, sizeof version, 0))
		return RT_REFUSED;
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)))
		goto done;
	a = st_arena_new();
	/* Inside one read transaction, so that the listing is one state. */
	if ((rc = rt_read_begin(r, "cannot read the registry")))
		goto done;
	if (version[0] && (rc = rt_version_load(r, &v, id, version)))
		goto done;
	if ((rc = rt_db_prepare(r, &st, "cannot read the versions",
		"SELECT program, version, title, kind, language, producer_id, "
		"  producer_name, compiler, modules, forms, bundle_sha256, size, "
		"  signed_by, keyid, imported_at, imported_by, approved_at, "
		"  approved_by, retired_at, retired_by FROM versions "
		"WHERE program = ?1 AND (?2 = '' OR version = ?2) "
		"ORDER BY major, minor, patch, version", RT_ARGS(RT_TEXT(id),
		RT_TEXT(version)))))
		goto done;
	if (json)
		arr = json_array();
	while ((step = rt_db_step(r, st, "cannot read the versions")) ==
	       RT_ROW) {
		const char *vid = rt_col_text(st, 0), *ver = rt_col_text(st, 1);
		json_t *o = NULL;
		n++;
		if (json)
			o = rt_json_row(NULL, st, version_fields);
		else
			version_text(st, a, n > 1);
		if ((rc = show_places(r, o, vid, ver, 0)) ||
		    (rc = show_places(r, o, vid, ver, 1))) {
			json_decref(o);
			goto done;
		}
		if (o)
			json_array_append_new(arr, o);
	}
	if (step < 0) {
		rc = step;
		goto done;
	}
	if (n == 0) {
		rc = rt_fail(r, ST_ERR, "unknown program '%s'; see 'steg list'",
		             id);
		goto done;
	}
	/* For a whole program: which unit runs which version, unit by unit. */
	json_t *running = NULL;
	if (!version[0] && (rc = show_running(r, json ? &running : NULL, id)))
		goto done;
	if (json) {
		/* One version: its object; a program: its versions and units. */
		json_t *root;
		if (version[0]) {
			root = json_incref(json_array_get(arr, 0));
		} else {
			root = json_object();
			json_object_set_new(root, "id", json_string(id));
			json_object_set(root, "versions", arr);
			json_object_set_new(root, "running", running);
		}
		rc = rt_list_end(r, NULL, RT_DONE, ST_OK, root);
	}
done:
	rt_db_done(r, st);
	json_decref(arr);
	st_arena_free(a);
	rt_read_end(r);
	return rt_finish(r, rc);
}
