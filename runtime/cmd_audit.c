/*
 * cmd_audit.c — steg audit: show the audit log, or prove it unbroken.
 *
 * The log itself is written by rt_audit() in the transaction of each change
 * (registry.c); the database refuses UPDATE and DELETE on it by trigger.
 * --check recomputes the hash chain from the first row, so that an edit
 * made around the triggers (with another tool, the triggers dropped) is
 * found and the first row that does not hold is named.
 *
 * Reading the log is not itself logged: whoever can read the file can read
 * the log, and the log records changes and refusals (docs/registry.md).
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <jansson.h>
#include "util.h"
#include "commands.h"
#include "registry.h"
#include "cli.h"

static const char audit_help[] =
	"usage: steg audit [--json] [--check]\n"
	"                  [--object ID[@VERSION]|HSA-ID] [--actor HSA-ID]\n"
	"                  [--unit UNIT] [--since TIME]\n"
	"\n"
	"Print the audit log, oldest first: seq, time (UTC), actor, role, unit,\n"
	"action, object, outcome (ok, refused or error) and detail, separated by\n"
	"tabs.  --check verifies the hash chain instead and says where it breaks\n"
	"(exit 1).\n"
	"\n"
	"  --object X   rows about X (a program id covers all its versions)\n"
	"  --actor U    rows of what U did or tried\n"
	"  --unit U     rows about unit U\n"
	"  --since T    rows at or after T (2026-11-23 or 2026-11-23T09:30:00Z)\n";

typedef struct filter {
	const char *object, *actor, *unit, *since;
} filter;

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static int print_log(rt_reg *r, int json, const filter *f)
{
	static const char *const keys[] = {
		"seq", "time", "actor", "role", "unit", "action", "object",
		"outcome", "detail", "prev_hash", "hash",
	};
	sqlite3_stmt *st = NULL;
	json_t *arr = json ? json_array() : NULL;
	int step, rc = ST_OK;

	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT seq, time, actor, role, "
	                       "unit, action, object, outcome, detail, prev_hash, "
	                       "hash FROM audit WHERE (?1 IS NULL OR object = ?1 "
	                       "OR substr(object, 1, length(?1) + 1) = ?1 || '@') "
	                       "AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR "
	                       "unit = ?3) AND (?4 IS NULL OR time >= ?4) ORDER BY "
	                       "seq", -1, &st, NULL) != SQLITE_OK) {
		json_decref(arr);
		return rt_dbfail(r, "cannot read the audit log");
	}
	if (f->object)
		sqlite3_bind_text(st, 1, f->object, -1, SQLITE_TRANSIENT);
	if (f->actor)
		sqlite3_bind_text(st, 2, f->actor, -1, SQLITE_TRANSIENT);
	if (f->unit)
		sqlite3_bind_text(st, 3, f->unit, -1, SQLITE_TRANSIENT);
	if (f->since)
		sqlite3_bind_text(st, 4, f->since, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, keys[0],
			                    json_integer(sqlite3_column_int64(st, 0)));
			for (int i = 1; i < 11; i++)
				json_object_set_new(o, keys[i], json_string(col(st, i)));
			json_array_append_new(arr, o);
		} else {
			printf("%lld", (long long)sqlite3_column_int64(st, 0));
			for (int i = 1; i < 9; i++) {
				/* One row, one line: control characters in names
				 * that users typed are shown as spaces. */
				putchar('\t');
				for (const char *c = col(st, i); *c; c++)
					putchar((unsigned char)*c < 0x20 || *c == 0x7f ? ' '
					                                               : *c);
			}
			putchar('\n');
		}
	}
	if (step != SQLITE_DONE)
		rc = rt_dbfail(r, "cannot read the audit log");
	sqlite3_finalize(st);
	if (json) {
		if (rc == ST_OK) {
			if (rt_print_json(arr))
				rc = rt_fail(r, ST_EIO, "cannot write the output");
		} else {
			json_decref(arr);
		}
	} else if (fflush(stdout) != 0) {
		rc = rt_fail(r, ST_EIO, "cannot write the output");
	}
	return rc;
}

/* YYYY-MM-DD, optionally followed by THH:MM:SSZ: the times in the log
 * compare as text, so a prefix of that form is a lower bound. */
static int since_ok(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t n = strlen(s);
	if (n != 10 && n != 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

int rt_cmd_audit(int argc, char **argv)
{
	const char *pos[1];
	int json = 0, check = 0, npos, rc;
	filter f = { NULL, NULL, NULL, NULL };
	rt_opt opts[] = {
		{ "--json", RT_OPT_FLAG, NULL, &json },
		{ "--check", RT_OPT_FLAG, NULL, &check },
		{ "--object", RT_OPT_VALUE, &f.object, NULL },
		{ "--actor", RT_OPT_VALUE, &f.actor, NULL },
		{ "--unit", RT_OPT_VALUE, &f.unit, NULL },
		{ "--since", RT_OPT_VALUE, &f.since, NULL },
		{ NULL, 0, NULL, NULL },
	};
	rt_reg *r = NULL;
	long long nrows = 0, bad = 0;

	rc = rt_parse(argc, argv, "audit", opts, pos, 0, &npos, audit_help);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if (check && (f.object || f.actor || f.unit || f.since))
		return rt_usage_error("audit", "'--check' checks the whole log; it "
		                      "takes no filter");
	if (f.since && !since_ok(f.since))
		return rt_usage_error("audit", "'%s' is not a time; write "
		                      "2026-11-23 or 2026-11-23T09:30:00Z", f.since);
	if ((rc = rt_reg_open(&r, NULL, RT_OPEN_RAW)))
		goto done;
	/* One read transaction: the log as of one moment. */
	if (sqlite3_exec(rt_reg_db(r), "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the audit log");
		goto done;
	}
	if (!check) {
		rc = print_log(r, json, &f);
	} else {
		rc = rt_audit_check(r, &nrows, &bad);
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "ok", json_boolean(rc == ST_OK));
			json_object_set_new(o, "rows", json_integer(nrows));
			if (rc == ST_ERR) {
				json_object_set_new(o, "broken_at", json_integer(bad));
				json_object_set_new(o, "reason",
				                    json_string(rt_reg_errmsg(r)));
			}
			if (rt_print_json(o) && rc == ST_OK)
				rc = rt_fail(r, ST_EIO, "cannot write the output");
		} else if (rc == ST_OK) {
			printf("the audit log is unbroken: %lld rows\n", nrows);
		}
	}
	sqlite3_exec(rt_reg_db(r), "COMMIT", NULL, NULL, NULL);
done:
	return rt_finish(r, rc);
}
