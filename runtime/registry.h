/*
 * registry.h — the region's registry: one SQLite database (docs/registry.md,
 * docs/registry.md) and the rules every command that changes it follows.
 *
 * A command that changes state does, in this order:
 *
 *     rt_reg_open(&r, ctx->db, 0)          open + migrate; NULL: $STEG_DB
 *     rt_begin(r)                          BEGIN IMMEDIATE: one writer
 *     rt_authorize(r, &who, hsa, roles, unit)
 *         refused -> return rt_refuse(r, &who, ...)   (rolls back, audits
 *                                                      the refusal alone)
 *     ... the change, through the statements of runtime/db.h ...
 *     rt_audit(r, &who, unit, action, object, "ok", detail)
 *     rt_commit(r)
 *
 * so that the change and its audit row are one transaction: a crash at any
 * point leaves the registry as it was before or after the command.  A
 * refusal changes nothing but appends its own "refused" audit row.
 *
 * The connection is opened with the settings SQLite 3.40 needs to be safe:
 * WAL, synchronous=NORMAL with each commit synced before rt_commit()
 * returns (durable before done), foreign keys, SQLITE_DBCONFIG_DEFENSIVE, no
 * double-quoted string literals, trusted_schema off, a busy timeout.
 * The schema is versioned with PRAGMA user_version and migrated forward
 * on open (runtime/db_schema.c); a registry made by a newer steg is refused.
 *
 * Functions return 0, or a negative code from core/util.h: ST_ERR when the
 * request is refused or the input is wrong, ST_EIO when the database or a
 * file failed.  The reason is then in rt_reg_errmsg() (lower case, no full
 * stop, saying what to do), for the command to print as "steg: error: ...".
 * rt_exit_code() maps a return to the process exit code.
 */
#ifndef RT_REGISTRY_H
#define RT_REGISTRY_H

#include <stddef.h>
#include <sqlite3.h>
#include "why.h"

typedef struct rt_reg rt_reg;

#define RT_HSA_MAX 64          /* room for an HSA-id as given (the rule,
                                  core/vocab.h, allows ST_HSA_ID_MAX) */

/* ---- opening --------------------------------------------------------- */
enum {
	RT_OPEN_CREATE = 1,    /* create the file if missing (steg init only) */
	RT_OPEN_RAW = 2,       /* do not require an initialised region */
	RT_OPEN_READONLY = 4,  /* a reader: never writes, never migrates */
	RT_OPEN_SHARED = 8,    /* one of many threads' connections (below) */
};

/* The registry path when no --db is given: $STEG_DB, else "steg.db".
 * main.c puts the one to use in the commands' context (rt_ctx.db). */
const char *rt_db_path(void);

/* Open (and migrate) the registry at path (NULL: rt_db_path()).  Without
 * RT_OPEN_RAW the registry must have been initialised (steg init).
 * On failure *out is still set when the error message is worth reading
 * through it, so always rt_reg_close() it (NULL is fine).
 *
 * An existing file is first read, never written, to learn what it is:
 * a file that is not a steg registry (another application's SQLite file:
 * PRAGMA application_id, docs/registry.md) is refused (ST_ERR) and left
 * byte for byte as it was; only steg init takes an empty one.
 *
 * RT_OPEN_READONLY (list, show, audit, the list commands, score): the
 * file is opened read-only and never migrated (an older schema is read
 * as it is, rt_reg_version()), works on read-only media, and leaves no
 * -wal or -shm file behind; rt_begin() refuses.
 *
 * RT_OPEN_SHARED (steg serve: a connection for each of many threads of
 * one process, all to the same file; another file is refused): the
 * process's writers wait for each other in rt_begin() on a mutex, in
 * turn, instead of polling SQLite's lock with sleeps (the busy handler
 * sleeps up to 100 ms at a time, which starved writers under load), and
 * commits are grouped: COMMIT writes the log without syncing it
 * (synchronous=NORMAL), releases the write lock, and rt_commit() then
 * returns only once a sync of the log that began after this commit has
 * ended, one fdatasync covering every commit made before it began.  So,
 * as for a command's connection (which checkpoints at once under SQLite's
 * EXCLUSIVE lock when nobody else has the file open, else syncs the log),
 * rt_commit() returning 0 means the change and its audit row are on disk
 * (docs/serve.md, "Durability").  Other
 * processes (the command line) still meet SQLite's own lock and busy
 * timeout. */
int rt_reg_open(rt_reg **out, const char *path, int flags);
void rt_reg_close(rt_reg *r);
/* The schema version of the open file (older than rt_schema_version()
 * only for a reader). */
int rt_reg_version(const rt_reg *r);
int rt_reg_readonly(const rt_reg *r);
/* For a reader: 0 when the file did not change while it was read, else
 * ST_EIO (a writer's automatic checkpoint wrote to it; read again). */
int rt_reg_read_stable(rt_reg *r);

/* The connection, for the data layer (runtime/db.h, which every command
 * uses for its statements: bound parameters, never text pasted into SQL). */
sqlite3 *rt_reg_db(rt_reg *r);
/* ... and its cache of prepared statements (db.c owns what is in it; the
 * registry frees it before closing the connection). */
struct rt_stmt_cache;
struct rt_stmt_cache **rt_reg_stmts(rt_reg *r);
const char *rt_reg_path(const rt_reg *r);
/* The region's HSA-id; "" before steg init. */
const char *rt_reg_region(const rt_reg *r);
/* Why the last failing call failed. */
const char *rt_reg_errmsg(const rt_reg *r);
/* Set the error message (for command code that finds a problem itself);
 * returns code, so that "return rt_fail(r, ST_ERR, ...)" reads well. */
int rt_fail(rt_reg *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, from a code of why.h and its arguments (NULL: none): the
 * message is the code's English sentence, and the code is kept beside it
 * (rt_reg_why) for a caller that words it in another language.  rt_fail,
 * rt_dbfail and every other failure clear the code, so that a code
 * never stays attached to another message. */
int rt_fail_why(rt_reg *r, int code, int why, const char *a1,
                const char *a2, const char *a3, const char *a4);
/* The code and arguments of the last message (code RT_WHY_NONE when it
 * has none: then only the English message says why). */
const rt_why *rt_reg_why(const rt_reg *r);
/* ST_EIO with the connection's own error text appended. */
int rt_dbfail(rt_reg *r, const char *what);

/* ---- transactions ---------------------------------------------------- */
/* BEGIN IMMEDIATE (waits busy_timeout), then, under the lock, check that
 * the file is still marked as a steg registry and that the audit log's
 * append-only triggers are all there: ST_ERR (and nothing written) when
 * not. */
int rt_begin(rt_reg *r);
/* COMMIT, and the change synced to disk before it returns 0 (ST_EIO, "the
 * change was written ... but could not be synced", when a sync failed:
 * the change may or may not survive a power cut). */
int rt_commit(rt_reg *r);
void rt_rollback(rt_reg *r);    /* harmless when no transaction is open */
/* For a reader: one read transaction (BEGIN), so that what several
 * statements list is one state of the registry; rt_read_end ends it
 * (harmless when none is open, and r may be NULL).  0 or ST_EIO with
 * "what: reason". */
int rt_read_begin(rt_reg *r, const char *what);
void rt_read_end(rt_reg *r);

/* ---- who is acting ---------------------------------------------------- */
enum {
	RT_ROLE_ADMIN = 1,
	RT_ROLE_PUBLISHER = 2,
	RT_ROLE_CLINICIAN = 4,
};

typedef struct rt_actor {
	char hsa[RT_HSA_MAX + 1];   /* as given with --as, even if unknown */
	char name[256];
	char role[16];              /* "admin" | "publisher" | "clinician" |
	                               "" when the user is unknown */
	char unit[RT_HSA_MAX + 1];  /* the user's organisation: a care unit,
	                               or the region itself (region-wide) */
	int known, active;
	int region_wide;            /* unit is the region */
} rt_actor;

/* Look the user up and check that they may act: known, active, holding
 * one of roles (a mask of RT_ROLE_*), and, when unit is not NULL, working
 * at that unit or region-wide.  *a is filled as far as known even when
 * the answer is no, so that the refusal can be audited.  Returns 0 or
 * ST_ERR with the reason. */
int rt_authorize(rt_reg *r, rt_actor *a, const char *hsa, unsigned roles,
                 const char *unit);
/* rt_authorize for a region-wide admin: a unit's admin is refused too,
 * with why (RT_WHY_REGION_ADMIN_UNITS, _KEYS or _POLICY: "only a
 * region-wide admin adds units").  0 when allowed; otherwise the refusal
 * has been audited and its code (rt_refuse's) is returned. */
int rt_authorize_region_admin(rt_reg *r, rt_actor *a, const char *hsa,
                              const char *unit, const char *action,
                              const char *object, int why);
/* Fill *a for hsa without judging (e.g. to audit a bad request). */
void rt_actor_lookup(rt_reg *r, rt_actor *a, const char *hsa);

/* ---- the audit log ---------------------------------------------------- */
/* Append one row: time (UTC), the actor's HSA-id and role, unit (the care
 * unit the action concerns; NULL: the actor's own unit), action ("publish"),
 * object ("se.x.y@1.2.0"), outcome ("ok" | "refused" | "error") and a
 * free-text detail (may be NULL), chained to the row before by SHA-256.
 * Must be called inside a transaction (rt_begin). */
int rt_audit(rt_reg *r, const rt_actor *a, const char *unit,
             const char *action, const char *object, const char *outcome,
             const char *detail);

/* A refusal: roll back whatever the command did, append a "refused" row
 * in a transaction of its own with the message as detail, keep the
 * message for rt_reg_errmsg(), and return ST_ERR.  a may be NULL.
 * rt_refuse's message has no code (rt_reg_why: RT_WHY_NONE); every
 * refusal the web can reach uses one of the two below instead. */
int rt_refuse(rt_reg *r, const rt_actor *a, const char *unit,
              const char *action, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* rt_refuse with the English sentence of code why and its arguments
 * (why.h); the code is kept for rt_reg_why(). */
int rt_refuse_why(rt_reg *r, const rt_actor *a, const char *unit,
                  const char *action, const char *object, int why,
                  const char *a1, const char *a2, const char *a3,
                  const char *a4);
/* rt_refuse with the reason the last failing call gave (rt_authorize,
 * rt_version_load, an import's check), its code kept. */
int rt_refuse_again(rt_reg *r, const rt_actor *a, const char *unit,
                    const char *action, const char *object);

/* A failure that is not a refusal (the disk, the database): roll back,
 * try to append an "error" row with rt_reg_errmsg() as detail in a
 * transaction of its own (best effort: the database may be what failed),
 * and return code unchanged with the message kept (and no reason code). */
int rt_abort(rt_reg *r, int code, const rt_actor *a, const char *unit,
             const char *action, const char *object);

/* Verify the whole chain: seq 1, 2, 3 ..., each prev_hash, each row's
 * hash (in the hashing version of its row, audit_hashing), and no NUL
 * byte in any field.  Returns 0 when unbroken (*nrows rows), ST_ERR
 * with *bad_seq the first row that does not hold and the reason in
 * rt_reg_errmsg(). */
int rt_audit_check(rt_reg *r, long long *nrows, long long *bad_seq);
/* The log's guards: the append-only triggers all there and unchanged,
 * and the registry's application_id.  0 or ST_ERR with the reason. */
int rt_audit_check_guards(rt_reg *r);
/* State and log agree: the region has its init row, every stored version
 * its import row, every approval and retirement its row, every current
 * publication and activation its row.  0 or ST_ERR naming the first
 * thing without its row. */
int rt_audit_check_state(rt_reg *r);
/* Row seq's hash (hash[65]) and the last seq (*last, 0 for an empty log).
 * ST_ENOENT when there is no row seq. */
int rt_audit_row(rt_reg *r, long long seq, char hash[65], long long *last);

/* ---- helpers ----------------------------------------------------------- */
/* (Statements: runtime/db.h.) */
/* The region's HSA-id as the database holds it now (region: "" when
 * there is none yet), for a check inside a transaction.  0 or ST_EIO. */
int rt_region_read(rt_reg *r, char region[RT_HSA_MAX + 1]);
/* The kind of organisation hsa is: "region", "unit", or "" when there is
 * none (copied into kind).  0 or ST_EIO. */
int rt_org_kind(rt_reg *r, const char *hsa, char kind[16]);
/* Now, UTC, ISO 8601 to the second: "2026-11-23T09:30:00Z". */
void rt_now(char buf[32]);
/* An HSA-id: core/vocab.h's st_is_hsa_id, the one rule. */
int rt_hsa_valid(const char *s);
/* Map a return of these functions to steg's exit code
 * (0 -> 0, ST_ERR -> 1, ST_EIO and anything else -> 3). */
int rt_exit_code(int rc);

/* ---- stored versions ---------------------------------------------------- */
/* What the registry holds of one version (the versions table); text cut
 * at the buffer, "" for what is not recorded. */
typedef struct rt_version {
	char title[512];
	char sha256[65];            /* of the stored bundle */
	char producer_id[256];
	char imported_by[RT_HSA_MAX + 1], imported_at[32];
	char signed_by[256], keyid[17];   /* "" when imported unsigned */
	char approved_by[RT_HSA_MAX + 1], approved_at[32];   /* "": not */
	char retired_by[RT_HSA_MAX + 1], retired_at[32];     /* "": not */
} rt_version;

/* Load id@version into *v: 0, ST_ENOENT (no such version; *v all ""),
 * ST_EIO. */
int rt_version_get(rt_reg *r, const char *id, const char *version,
                   rt_version *v);
/* The stored bundle of id@version as it is in the database, not checked:
 * *data (malloc'd, caller frees), *len and its recorded sha256.  0,
 * ST_ENOENT, ST_EIO. */
int rt_version_bundle(rt_reg *r, const char *id, const char *version,
                      char **data, size_t *len, char sha256[65]);

/* The stored bundle of id@version, written to a new private temporary
 * file (mode 0600, in $TMPDIR or /tmp) for code that opens bundles by path
 * (st_bundle_open): `steg score ID@VERSION`, previews.  The bytes are
 * checked against their SHA-256 before they are written.  *path is
 * malloc'd; the caller unlinks and frees it.  Returns 0, ST_ERR when the
 * registry has no such version (message says so), ST_EIO. */
int rt_bundle_extract(rt_reg *r, const char *id, const char *version,
                      char **path);

#endif
