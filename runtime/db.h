/*
 * db.h — the runtime's data layer: every SQL statement steg runs on an
 * open registry is prepared, bound, stepped and read through these
 * helpers (runtime/db.c), so that a command states what it asks and the
 * mechanics are written once.
 *
 * Parameters are typed and bound as what they are: an integer as an
 * integer, text as text, NULL as SQL NULL, bytes as a blob, with
 * RT_ARGS(...) giving ?1, ?2 ... in order:
 *
 *     sqlite3_stmt *st;
 *     int rc = rt_db_prepare(r, &st, "cannot read the versions",
 *                            "SELECT title FROM versions WHERE program = ?1"
 *                            " AND major = ?2", RT_ARGS(RT_TEXT(id),
 *                            RT_INT(major)));
 *     while (rc == ST_OK && (rc = rt_db_step(r, st, "cannot read the "
 *                                            "versions")) == RT_ROW)
 *             ... rt_col_text(st, 0) ...
 *     rt_db_done(st);
 *
 * A statement without parameters passes RT_NOARGS.
 *
 * Errors are returned, never printed: ST_EIO with the message "WHAT: the
 * connection's reason" kept in the registry (rt_dbfail, rt_reg_errmsg),
 * WHAT being the caller's "cannot read the X" / "cannot write the X".
 * Only the bytes a caller owns are bound without a copy (blobs, which
 * must stay until the statement is finalized); text is copied.
 *
 * The schema and its migrations (db_schema.c) work on the raw connection
 * before a registry is open and do not use this layer.
 */
#ifndef RT_DB_H
#define RT_DB_H

#include <stddef.h>
#include <sqlite3.h>
#include "registry.h"

enum { RT_ARG_NULL, RT_ARG_INT, RT_ARG_TEXT, RT_ARG_BLOB };

/* One parameter; build it with the macros below. */
typedef struct rt_arg {
	int type;
	long long i;            /* RT_ARG_INT */
	const char *s;          /* RT_ARG_TEXT; NULL binds SQL NULL */
	const void *p;          /* RT_ARG_BLOB ... */
	size_t n;               /* ... and its length */
} rt_arg;

#define RT_INT(v)      ((rt_arg){ .type = RT_ARG_INT, .i = (v) })
#define RT_TEXT(v)     ((rt_arg){ .type = RT_ARG_TEXT, .s = (v) })
#define RT_BLOB(v, len) ((rt_arg){ .type = RT_ARG_BLOB, .p = (v), .n = (len) })
#define RT_NULL        ((rt_arg){ .type = RT_ARG_NULL })
/* The parameters of one statement: a count and an array, in that order. */
#define RT_ARGS(...) \
	(int)(sizeof (rt_arg[]){ __VA_ARGS__ } / sizeof (rt_arg)), \
	(const rt_arg[]){ __VA_ARGS__ }
#define RT_NOARGS 0, NULL

/* What rt_db_step and rt_db_row return besides errors (negative). */
enum { RT_DONE = 0, RT_ROW = 1 };

/* Prepare sql on r's connection (or take its idle cached statement of the
 * same text) and bind args to ?1..?n.  0 with *st ready to step, or ST_EIO (*st NULL) with "what: reason". */
int rt_db_prepare(rt_reg *r, sqlite3_stmt **st, const char *what,
                  const char *sql, int n, const rt_arg *args);
/* The next row: RT_ROW, RT_DONE after the last one, or ST_EIO with
 * "what: reason" (busy, disk full, a damaged file). */
int rt_db_step(rt_reg *r, sqlite3_stmt *st, const char *what);
/* Done with st (NULL is fine): a cached statement goes back to r's cache
 * (reset, bindings cleared), any other is finalized.  Errors were
 * returned by rt_db_step. */
void rt_db_done(rt_reg *r, sqlite3_stmt *st);

/* Prepared statements are kept per open registry and taken again for the
 * same SQL text (db.c, "the statement cache"); the registry owns the
 * cache (rt_reg_stmts) and frees it, finalizing every statement, before
 * it closes its connection. */
typedef struct rt_stmt_cache rt_stmt_cache;
void rt_db_cache_free(rt_stmt_cache **c);

/* Prepare and step once: RT_ROW with *st on the first row (the caller
 * reads it and calls rt_db_done), RT_DONE when there is no row (*st
 * NULL), or ST_EIO (*st NULL). */
int rt_db_row(rt_reg *r, sqlite3_stmt **st, const char *what,
              const char *sql, int n, const rt_arg *args);
/* The first column of the first row as an integer: RT_ROW with *v set,
 * RT_DONE (*v 0) when there is no row, or ST_EIO. */
int rt_db_int(rt_reg *r, long long *v, const char *what, const char *sql,
              int n, const rt_arg *args);
/* A statement that returns no rows (INSERT, UPDATE, SAVEPOINT ...).
 * 0; ST_ERR when a constraint refused it (UNIQUE, CHECK, a foreign key);
 * ST_EIO otherwise, with "what: reason". */
int rt_db_exec(rt_reg *r, const char *what, const char *sql, int n,
               const rt_arg *args);

/* ---- reading a row ------------------------------------------------------
 * One contract for text: rt_col_text() is the column's text, NULL exactly
 * when the value is SQL NULL (or SQLite ran out of memory converting it),
 * valid until the next step or rt_db_done.  Every other value, an empty
 * string included, is a NUL-terminated string; its length in bytes (it
 * may hold a NUL of its own) is rt_col_bytes(). */
const char *rt_col_text(sqlite3_stmt *st, int i);
size_t rt_col_bytes(sqlite3_stmt *st, int i);
long long rt_col_int(sqlite3_stmt *st, int i);     /* NULL reads as 0 */
int rt_col_is_null(sqlite3_stmt *st, int i);
/* A blob column: its bytes (NULL when empty or NULL) and *n. */
const void *rt_col_blob(sqlite3_stmt *st, int i, size_t *n);
/* rt_col_text copied into buf (cap bytes, cut at a whole character when
 * longer); SQL NULL copies as "". */
void rt_col_copy(sqlite3_stmt *st, int i, char *buf, size_t cap);

#endif
