/*
 * stmt-cache.c — the registry's cache of prepared statements
 * (runtime/db.c) against what rt_db_prepare promised before it had one:
 * every statement is as if prepared afresh.  TAP on stdout.
 *
 *   stmt-cache DB      (DB: a path for a new registry file)
 *
 * Linked with build/runtime/{registry,db,db_schema}.o and libstegcore.a
 * by tests/t0603-stmt-cache.sh.
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "util.h"
#include "registry.h"
#include "db.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	failed += !cond;
}

static long long one(rt_reg *r, const char *sql, int nargs, const rt_arg *a)
{
	long long v = -1;
	if (rt_db_int(r, &v, "test", sql, nargs, a) != RT_ROW)
		return -1;
	return v;
}

int main(int argc, char **argv)
{
	rt_reg *r = NULL, *w = NULL;
	sqlite3_stmt *a, *b;
	char sql[100];
	int good = 1;

	if (argc != 2 || rt_reg_open(&r, argv[1], RT_OPEN_CREATE | RT_OPEN_RAW) ||
	    rt_reg_open(&w, argv[1], RT_OPEN_RAW)) {
		printf("Bail out! cannot open '%s': %s\n", argc == 2 ? argv[1] : "",
		       rt_reg_errmsg(r));
		return 1;
	}

	/* the same SQL while its statement is still being stepped */
	good = rt_db_prepare(r, &a, "t", "SELECT ?1 * 10", RT_ARGS(RT_INT(1))) == 0 &&
	       rt_db_step(r, a, "t") == RT_ROW &&
	       rt_db_prepare(r, &b, "t", "SELECT ?1 * 10", RT_ARGS(RT_INT(2))) == 0 &&
	       a != b && rt_db_step(r, b, "t") == RT_ROW &&
	       rt_col_int(a, 0) == 10 && rt_col_int(b, 0) == 20;
	rt_db_done(r, b);
	rt_db_done(r, a);
	ok(good, "the same SQL asked for again while in use is a second statement");

	/* again, from the cache, with new values */
	ok(one(r, "SELECT ?1 * 10", RT_ARGS(RT_INT(7))) == 70,
	   "a statement taken from the cache again is bound afresh");

	/* fewer values the second time: the old ones are not kept */
	good = one(r, "SELECT coalesce(?2, -5) + ?1", RT_ARGS(RT_INT(1), RT_INT(100))) == 101 &&
	       one(r, "SELECT coalesce(?2, -5) + ?1", RT_ARGS(RT_INT(1))) == -4;
	ok(good, "a value bound before is not left bound when it is not given again");

	/* more statements than the cache holds, each twice */
	good = 1;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 200; i++) {
			snprintf(sql, sizeof sql, "SELECT %d + ?1", i);
			good &= one(r, sql, RT_ARGS(RT_INT(round))) == i + round;
		}
	ok(good, "200 different statements, twice each, every answer right");

	/* a write by another connection is seen by the next read: a statement
	 * handed back holds no snapshot */
	good = rt_db_exec(w, "t", "CREATE TABLE t (x INTEGER)", RT_NOARGS) == 0 &&
	       rt_db_exec(w, "t", "INSERT INTO t VALUES (1)", RT_NOARGS) == 0 &&
	       one(r, "SELECT sum(x) FROM t", RT_NOARGS) == 1 &&
	       rt_db_prepare(r, &a, "t", "SELECT x FROM t", RT_NOARGS) == 0 &&
	       rt_db_step(r, a, "t") == RT_ROW;
	rt_db_done(r, a);
	good = good && rt_db_exec(w, "t", "INSERT INTO t VALUES (2)", RT_NOARGS) == 0 &&
	       one(r, "SELECT sum(x) FROM t", RT_NOARGS) == 3;
	ok(good, "a row written by another connection is read by a cached statement");

	/* the schema changed by another connection under a cached statement */
	good = rt_db_exec(w, "t", "ALTER TABLE t ADD COLUMN y INTEGER DEFAULT 5",
	                  RT_NOARGS) == 0 &&
	       one(r, "SELECT sum(x) FROM t", RT_NOARGS) == 3 &&
	       one(r, "SELECT sum(y) FROM t", RT_NOARGS) == 10;
	ok(good, "a cached statement still answers after another connection changed the schema");

	/* an error is still an error, and the statement is usable after it */
	good = rt_db_exec(r, "cannot write t", "INSERT INTO nothere VALUES (1)",
	                  RT_NOARGS) == ST_EIO &&
	       strstr(rt_reg_errmsg(r), "cannot write t") != NULL &&
	       one(r, "SELECT sum(x) FROM t", RT_NOARGS) == 3;
	ok(good, "a statement that fails to prepare fails as before");

	rt_reg_close(w);
	rt_reg_close(r);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
