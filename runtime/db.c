/*
 * db.c — typed statements on the registry's connection (db.h).
 *
 * The only place in steg that prepares an SQL statement on an open
 * registry: parameters are bound by type, errors become ST_EIO with the
 * connection's reason (rt_dbfail), and a constraint violation of a write
 * is told apart as ST_ERR so that a command can refuse instead of fail.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the statement cache ------------------------------------------------
 * Preparing is most of what a short read costs (the parser and the
 * planner; docs/benchmarks.md, "steg serve"), and a command or a server
 * thread runs the same few statements again and again.  So each open
 * registry keeps up to RT_STMT_CACHE prepared statements by their SQL
 * text: rt_db_prepare takes an idle one of the same text (reset, its
 * bindings cleared, bound anew), rt_db_done hands it back (reset, which
 * also ends its read of the file, and cleared, so that no bound blob is
 * kept).  A statement in use is never handed out twice: the same SQL
 * asked for again while its statement is being stepped (a nested read)
 * is prepared afresh and finalized by rt_db_done.  When every slot is
 * taken the least recently used idle one is finalized.  SQLite itself
 * prepares a cached statement again when the schema changed under it
 * (sqlite3_prepare_v2), so a migration by another process is seen.  The
 * registry finalizes them all before it closes its connection
 * (rt_db_cache_free). */

#define RT_STMT_CACHE 64

struct rt_stmt_cache {
	struct {
		sqlite3_stmt *st;       /* NULL: a free slot */
		char *sql;
		unsigned long hash, used;
		int busy;
	} e[RT_STMT_CACHE];
	unsigned long clock;
};

static unsigned long sql_hash(const char *s)
{
	unsigned long h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* An idle cached statement of sql (busy now), else NULL. */
static sqlite3_stmt *cache_take(rt_stmt_cache *c, const char *sql,
                                unsigned long h)
{
	for (int i = 0; c && i < RT_STMT_CACHE; i++)
		if (c->e[i].st && !c->e[i].busy && c->e[i].hash == h &&
		    !strcmp(c->e[i].sql, sql)) {
			c->e[i].busy = 1;
			c->e[i].used = ++c->clock;
			return c->e[i].st;
		}
	return NULL;
}

/* Keep st (just prepared from sql, in use) in the cache when there is
 * room or an idle slot to give up; otherwise it stays uncached. */
static void cache_keep(rt_stmt_cache **cp, sqlite3_stmt *st, const char *sql,
                       unsigned long h)
{
	rt_stmt_cache *c = *cp;
	int k = -1;
	if (!c && !(c = *cp = calloc(1, sizeof *c)))
		return;
	for (int i = 0; i < RT_STMT_CACHE; i++) {
		if (!c->e[i].st) {
			k = i;
			break;
		}
		if (!c->e[i].busy && (k < 0 || c->e[i].used < c->e[k].used))
			k = i;
	}
	char *copy = k >= 0 ? strdup(sql) : NULL;
	if (!copy)
		return;
	sqlite3_finalize(c->e[k].st);
	free(c->e[k].sql);
	c->e[k].st = st;
	c->e[k].sql = copy;
	c->e[k].hash = h;
	c->e[k].busy = 1;
	c->e[k].used = ++c->clock;
}

void rt_db_cache_free(rt_stmt_cache **cp)
{
	rt_stmt_cache *c = *cp;
	for (int i = 0; c && i < RT_STMT_CACHE; i++) {
		sqlite3_finalize(c->e[i].st);
		free(c->e[i].sql);
	}
	free(c);
	*cp = NULL;
}

int rt_db_prepare(rt_reg *r, sqlite3_stmt **st, const char *what,
                  const char *sql, int n, const rt_arg *args)
{
	rt_stmt_cache **c = rt_reg_stmts(r);
	unsigned long h = sql_hash(sql);
	if (!(*st = cache_take(*c, sql, h))) {
		if (sqlite3_prepare_v2(rt_reg_db(r), sql, -1, st, NULL) != SQLITE_OK)
			goto fail;
		cache_keep(c, *st, sql, h);
	}
	if (bind(*st, n, args) == SQLITE_OK)
		return ST_OK;
fail:;
	int rc = rt_dbfail(r, what);
	rt_db_done(r, *st);
	*st = NULL;
	return rc;
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

void rt_db_done(rt_reg *r, sqlite3_stmt *st)
{
	rt_stmt_cache *c = st ? *rt_reg_stmts(r) : NULL;
	for (int i = 0; c && i < RT_STMT_CACHE; i++)
		if (c->e[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->e[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

int rt_db_row(rt_reg *r, sqlite3_stmt **st, const char *what,
              const char *sql, int n, const rt_arg *args)
{
	int rc = rt_db_prepare(r, st, what, sql, n, args);
	if (rc == ST_OK)
		rc = rt_db_step(r, *st, what);
	if (rc != RT_ROW) {
		rt_db_done(r, *st);
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
	rt_db_done(r, st);
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
	rt_db_done(r, st);
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
