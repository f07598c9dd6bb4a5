/*
 * policy.c — reading and writing the region's policies (policy.h): one row
 * per policy in the policies table (runtime/db_schema.c), with who set it
 * and when; the audit log keeps every change.
 */
#include <string.h>
#include <sqlite3.h>
#include "util.h"
#include "db.h"
#include "db_schema.h"
#include "policy.h"

int rt_policy_known(const char *name)
{
	return !strcmp(name, RT_POLICY_FOUR_EYES);
}

const char *rt_policy_names(void)
{
	return RT_POLICY_FOUR_EYES;
}

int rt_policy_get(rt_reg *r, const char *name, int *on)
{
	sqlite3_stmt *st;
	int rc;

	*on = 0;
	/* A reader of a registry from before policies: none is set. */
	if (rt_reg_version(r) < RT_SCHEMA_POLICIES)
		return ST_OK;
	rc = rt_db_row(r, &st, "cannot read the region's policies", "SELECT "
	               "value FROM policies WHERE name = ?1",
	               RT_ARGS(RT_TEXT(name)));
	if (rc == RT_ROW) {
		const char *v = rt_col_text(st, 0);
		*on = v && !strcmp(v, "on");
	}
	rt_db_done(r, st);
	return rc < 0 ? rc : ST_OK;
}

int rt_policy_set(rt_reg *r, const char *name, int on, const char *by)
{
	char now[32];
	rt_now(now);
	return rt_db_exec(r, "cannot write the registry", "INSERT INTO policies "
	                  "(name, value, set_at, set_by) VALUES (?1, ?2, ?3, ?4) "
	                  "ON CONFLICT (name) DO UPDATE SET value = ?2, set_at = "
	                  "?3, set_by = ?4", RT_ARGS(RT_TEXT(name),
	                  RT_TEXT(on ? "on" : "off"), RT_TEXT(now), RT_TEXT(by)));
}
