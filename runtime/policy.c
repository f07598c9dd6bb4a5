/*
 * policy.c — reading and writing the region's policies (policy.h): one row
 * per policy in the policies table (runtime/db_schema.c), with who set it
 * and when; the audit log keeps every change.
 */
#include <string.h>
#include <sqlite3.h>
#include "util.h"
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
	sqlite3_stmt *st = NULL;
	int step;

	*on = 0;
	/* A reader of a registry from before policies: none is set. */
	if (rt_reg_version(r) < RT_SCHEMA_POLICIES)
		return ST_OK;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT value FROM policies WHERE "
	                       "name = ?1", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the region's policies");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		*on = v && !strcmp((const char *)v, "on");
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the region's policies");
	return ST_OK;
}

int rt_policy_set(rt_reg *r, const char *name, int on, const char *by)
{
	char now[32];
	rt_now(now);
	const char *const p[4] = { name, on ? "on" : "off", now, by };
	return rt_exec(r, "INSERT INTO policies (name, value, set_at, set_by) "
	               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE "
	               "SET value = ?2, set_at = ?3, set_by = ?4", 4, p);
}
