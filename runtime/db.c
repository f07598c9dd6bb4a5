/*
 * db.c — typed statements on the registry's connection (db.h).
 *
 * The only place in steg that prepares an SQL statement on an open
 * registry: parameters are bound by type, errors become ST_EIO with the
 * connection's reason (rt_dbfail), and a constraint violation of a write
 * is told apart as ST_ERR so that a command can refuse instead of fail.
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "util.h"
#include "db.h"

static int bind(sqlite3_stmt *st, int n, const rt_arg *args)
{
	for (int i = 0; i < n; i++) {
		const rt_arg *a = &args[i];
		int rc;
		switch (a->type) {
		case RT_ARG_INT:
			rc = sqlite3_bind_int64(st, i + 1, (sqlite3_int64)a->i);
			break;
		case RT_ARG_TEXT:
			rc = a->s ? sqlite3_bind_text(st, i + 1, a->s, -1,
			                              SQLITE_TRANSIENT)
			          : sqlite3_bind_null(st, i + 1);
			break;
		case RT_ARG_BLOB:
			rc = sqlite3_bind_blob64(st, i + 1, a->p ? a->p : "",
			                         (sqlite3_uint64)a->n, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
		}
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int rt_db_prepare(rt_reg *r, sqlite3_stmt **st, const char *what,
                  const char *sql, int n, const rt_arg *args)
{
	*st = NULL;
	if (sqlite3_prepare_v2(rt_reg_db(r), sql, -1, st, NULL) != SQLITE_OK ||
	    bind(*st, n, args) != SQLITE_OK) {
		int rc = rt_dbfail(r, what);
		sqlite3_finalize(*st);
		*st = NULL;
		return rc;
	}
	return ST_OK;
}

int rt_db_step(rt_reg *r, sqlite3_stmt *st, const char *what)
{
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		return RT_ROW;
	case SQLITE_DONE:
		return RT_DONE;
	default:
		return rt_dbfail(r, what);
	}
}

void rt_db_done(sqlite3_stmt *st)
{
	sqlite3_finalize(st);
}

int rt_db_row(rt_reg *r, sqlite3_stmt **st, const char *what,
              const char *sql, int n, const rt_arg *args)
{
	int rc = rt_db_prepare(r, st, what, sql, n, args);
	if (rc == ST_OK)
		rc = rt_db_step(r, *st, what);
	if (rc != RT_ROW) {
		sqlite3_finalize(*st);
		*st = NULL;
	}
	return rc;
}

int rt_db_int(rt_reg *r, long long *v, const char *what, const char *sql,
              int n, const rt_arg *args)
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, what, sql, n, args);
	*v = rc == RT_ROW ? rt_col_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc;
}

int rt_db_exec(rt_reg *r, const char *what, const char *sql, int n,
               const rt_arg *args)
{
	sqlite3_stmt *st;
	int rc = rt_db_prepare(r, &st, what, sql, n, args);
	if (rc != ST_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = rt_dbfail(r, what);
		if ((sqlite3_extended_errcode(rt_reg_db(r)) & 0xff) ==
		    SQLITE_CONSTRAINT)
			rc = ST_ERR;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- reading a row ------------------------------------------------------ */

const char *rt_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

size_t rt_col_bytes(sqlite3_stmt *st, int i)
{
	/* after rt_col_text: the length of the text form */
	return (size_t)sqlite3_column_bytes(st, i);
}

long long rt_col_int(sqlite3_stmt *st, int i)
{
	return (long long)sqlite3_column_int64(st, i);
}

int rt_col_is_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

const void *rt_col_blob(sqlite3_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(st, i);
	*n = (size_t)sqlite3_column_bytes(st, i);
	return p;
}

void rt_col_copy(sqlite3_stmt *st, int i, char *buf, size_t cap)
{
	const char *t = rt_col_text(st, i);
	if (!cap)
		return;
	if ((size_t)snprintf(buf, cap, "%s", t ? t : "") >= cap)
		st_utf8_trim(buf);
}
