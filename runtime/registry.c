/*
 * registry.c — opening the registry database, transactions, authorisation
 * and the hash-chained audit log (registry.h; docs/registry.md).
 *
 * Everything here exists so that the commands cannot get the safety rules
 * wrong one by one: the connection settings of docs/registry.md are
 * applied in one place, every statement is prepared with bound parameters,
 * a writer always takes the lock up front (BEGIN IMMEDIATE, so that two
 * commands never both read and then one fails to upgrade), and an audit
 * row is chained to the one before it inside the same transaction as the
 * change it records.
 *
 * The chain: hash = SHA-256 over a tag, prev_hash and the row's fields,
 * each written as its decimal length, ':', its bytes and '\n' (so that no
 * two different rows have one encoding); every byte SQLite holds counts,
 * a NUL included.  Rows written before schema step 3 keep hashing
 * version 1 (no tag, each field up to its first NUL); audit_hashing says
 * from which row version 2 holds.  The first row's prev_hash is 64 zeros.
 * `steg audit --check` recomputes every hash, checks that seq runs 1, 2,
 * 3 ... with no gap and that no field holds a NUL, then the triggers and
 * the registry's state against the log (rt_audit_check_guards,
 * rt_audit_check_state).
 *
 * Opening: an existing file is read read-only first (open_reader) and
 * written only when it is a steg registry (classify); readers keep that
 * read-only connection (docs/registry.md, "Readers").
 */
#define _GNU_SOURCE   /* F_OFD_SETLK */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#include <sqlite3.h>
#include "util.h"
#include "vocab.h"
#include "registry.h"
#include "db_schema.h"
#include "db.h"

struct rt_reg {
	sqlite3 *db;
	char *path;
	int in_tx;
	int readonly;               /* opened with RT_OPEN_READONLY */
	int version;                /* the file's schema version */
	int lockfd;                 /* immutable reader: holds SHARED, or -1 */
	int wal;                    /* WAL: the header said so, or journal_mode=WAL took */
	struct stat st0;            /* ... and the file as it was then */
	char region[RT_HSA_MAX + 1];
	char err[1024];
	rt_why why;                 /* err's code, or RT_WHY_NONE */
	rt_stmt_cache *stmts;       /* db.c's prepared statements on db */
	int shared;                 /* RT_OPEN_SHARED */
	int writing;                /* holds shared_writer (rt_begin) */
};

/* ---- RT_OPEN_SHARED: the process's writers and its group commit -------- */

static struct {
	pthread_mutex_t writer;     /* held from rt_begin to commit/rollback */
	pthread_mutex_t lock;       /* the rest */
	pthread_cond_t synced_cv;
	dev_t dev;                  /* the one file (ino 0: none yet) */
	ino_t ino;
	unsigned long long committed;   /* commits made (tickets handed out) */
	unsigned long long synced;      /* commits known to be on disk */
	int syncing;                /* a sync is under way */
	int failed;                 /* errno of the last failed sync, or 0 */
	int broken;                 /* errno of the first failed sync: no more
	                               changes (shared_broken), or 0 */
} shared_reg = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                 PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, 0, 0 };

/* After a sync of the log failed, the process takes no more changes: the
 * kernel reports a failed write-back once and may drop the pages it could
 * not write, so a later sync succeeds while the log on disk has a hole
 * where they were; a power cut would then lose every later commit with
 * them (SQLite's recovery stops at the hole), though each was answered as
 * durable.  Only a new process, reading the log from disk, knows what is
 * there (t0887). */
static void shared_break(int err)
{
	pthread_mutex_lock(&shared_reg.lock);
	if (!shared_reg.broken)
		shared_reg.broken = err ? err : EIO;
	pthread_mutex_unlock(&shared_reg.lock);
}

/* 0, or ST_EIO with the reason when shared_break has been called. */
static int shared_broken(rt_reg *r)
{
	pthread_mutex_lock(&shared_reg.lock);
	int err = shared_reg.broken;
	pthread_mutex_unlock(&shared_reg.lock);
	return err ? rt_fail(r, ST_EIO, "the registry '%s' takes no changes "
	                     "until steg serve is restarted: a sync of its log to "
	                     "disk failed (%s), so a later change could not be "
	                     "known to be on disk; check the disk, then restart "
	                     "steg serve", r->path, strerror(err)) : ST_OK;
}

/* The file of a shared connection is the process's one shared file. */
static int shared_file_ok(rt_reg *r)
{
	struct stat sb;
	int ok;
	if (stat(r->path, &sb) != 0)
		return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
		               r->path, strerror(errno));
	pthread_mutex_lock(&shared_reg.lock);
	if (!shared_reg.ino) {
		shared_reg.dev = sb.st_dev;
		shared_reg.ino = sb.st_ino;
	}
	ok = shared_reg.dev == sb.st_dev && shared_reg.ino == sb.st_ino;
	pthread_mutex_unlock(&shared_reg.lock);
	return ok ? ST_OK : rt_fail(r, ST_EIO, "internal error: one process "
	                            "shares one registry file, and '%s' is "
	                            "another", r->path);
}

static void writer_release(rt_reg *r)
{
	if (r->writing) {
		r->writing = 0;
		pthread_mutex_unlock(&shared_reg.writer);
	}
}

/* Sync the log of r's file (fdatasync, through SQLite's own handle). */
static int sync_log(rt_reg *r)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(r->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	                         &f) != SQLITE_OK || !f || !f->pMethods)
		return EIO;
	return f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) == SQLITE_OK ? 0 : EIO;
}

/* After a commit: wait until a sync that began after it has ended (doing
 * it when none is under way).  0, or ST_EIO when that sync failed. */
static int group_sync(rt_reg *r)
{
	int err = 0;
	pthread_mutex_lock(&shared_reg.lock);
	unsigned long long mine = ++shared_reg.committed;
	while (shared_reg.synced < mine && !err) {
		if (shared_reg.syncing) {
			pthread_cond_wait(&shared_reg.synced_cv, &shared_reg.lock);
			if (shared_reg.synced < mine && shared_reg.failed &&
			    !shared_reg.syncing)
				err = shared_reg.failed;
			continue;
		}
		unsigned long long upto = shared_reg.committed;
		shared_reg.syncing = 1;
		pthread_mutex_unlock(&shared_reg.lock);
		int e = sync_log(r);
		pthread_mutex_lock(&shared_reg.lock);
		shared_reg.syncing = 0;
		shared_reg.failed = e;
		if (!e)
			shared_reg.synced = upto;
		else
			err = e;
		if (e && !shared_reg.broken)
			shared_reg.broken = e;      /* shared_break, under the lock */
		pthread_cond_broadcast(&shared_reg.synced_cv);
	}
	pthread_mutex_unlock(&shared_reg.lock);
	return err ? rt_fail(r, ST_EIO, "the change was written to the registry "
	                     "'%s' but could not be synced to disk (%s); it may "
	                     "be lost if the machine stops now: check the disk",
	                     r->path, strerror(err)) : ST_OK;
}

/* The message of a commit that may not be on disk (errno err). */
static int not_synced(rt_reg *r, int err)
{
	return rt_fail(r, ST_EIO, "the change was written to the registry '%s' "
	               "but could not be synced to disk (%s); it may be lost if "
	               "the machine stops now: check the disk", r->path,
	               strerror(err));
}

/* After the COMMIT of a command's connection (synchronous=NORMAL, so the
 * COMMIT wrote its frames to the log without syncing it): make the commit
 * durable before rt_commit() says so, with one sync fewer than
 * synchronous=FULL took (docs/benchmarks.md, "steg publish's start-up").
 *
 * FULL synced the log at COMMIT; the connection's close then took
 * SQLite's EXCLUSIVE lock on the file (only when no other connection or
 * reader had it open) and checkpointed: synced the log again, copied it
 * into the file, synced the file, removed -wal and -shm.  Here that
 * checkpoint runs at once, under the same EXCLUSIVE lock, taken as the
 * close takes it (the file's own xLock; SQLITE_BUSY at once, no wait,
 * when anyone else has the file open), and its sync of the log is the
 * commit's.  The proof, from SQLite's wal.c (3.40):
 *  - a checkpoint syncs the log before it copies any frame into the file,
 *    and syncs the file when it has copied every frame of the log
 *    (synchronous NORMAL or FULL alike; only OFF, which no steg
 *    connection uses, skips them);
 *  - under the EXCLUSIVE lock no reader holds a snapshot, so the
 *    checkpoint copies every frame: *ckpt == *log, which is checked all
 *    the same, and means our frames are in the file and the file synced.
 * When the lock is not to be had — steg serve or another command has the
 * file open, or a reader (docs/registry.md, "Readers") holds its shared
 * lock, which also keeps its file from being written under it — or the
 * checkpoint copied less, the log is synced here: exactly what FULL did
 * inside COMMIT, and the close leaves the rest to the last connection,
 * as before.  A file not in WAL mode (r->wal 0: the header said so and
 * journal_mode=WAL did not take) was synced by NORMAL's COMMIT itself.
 * The close's own checkpoint then finds nothing to copy, syncs nothing
 * and removes -wal and -shm.
 *
 * A checkpoint or sync that fails fails the command (exit 3, "could not
 * be synced"), whatever a later sync says: Linux reports a failed
 * write-back once and may drop the pages, so a second sync can succeed
 * over a hole (t0887, t0621).  The close is then told not to checkpoint,
 * so that it does not remove the log on the word of such a sync. */
static int durable_commit(rt_reg *r)
{
	sqlite3_file *f = NULL;
	int log = -1, ckpt = -1, rc = SQLITE_BUSY;
	if (!r->wal)
		return ST_OK;
	if (sqlite3_file_control(r->db, "main", SQLITE_FCNTL_FILE_POINTER,
	                         &f) != SQLITE_OK || !f || !f->pMethods)
		f = NULL;
	if (f && f->pMethods->xLock(f, SQLITE_LOCK_EXCLUSIVE) == SQLITE_OK)
		rc = sqlite3_wal_checkpoint_v2(r->db, "main",
		                               SQLITE_CHECKPOINT_PASSIVE, &log,
		                               &ckpt);
	if (f)      /* back to the SHARED lock a WAL connection holds; also
	             * from PENDING, where a refused EXCLUSIVE leaves it */
		f->pMethods->xUnlock(f, SQLITE_LOCK_SHARED);
	if (rc == SQLITE_OK && log >= 0 && ckpt == log)
		return ST_OK;
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
		sqlite3_db_config(r->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		return not_synced(r, EIO);
	}
	if ((rc = sync_log(r)) != 0) {
		sqlite3_db_config(r->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		return not_synced(r, rc);
	}
	return ST_OK;
}

#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

const char *rt_db_path(void)
{
	const char *p = getenv("STEG_DB");
	return p && *p ? p : "steg.db";
}

sqlite3 *rt_reg_db(rt_reg *r) { return r->db; }
rt_stmt_cache **rt_reg_stmts(rt_reg *r) { return &r->stmts; }
const char *rt_reg_path(const rt_reg *r) { return r->path; }
const char *rt_reg_region(const rt_reg *r) { return r->region; }
const char *rt_reg_errmsg(const rt_reg *r)
{
	return r && r->err[0] ? r->err : "unknown error";
}

const rt_why *rt_reg_why(const rt_reg *r)
{
	static const rt_why none;
	return r ? &r->why : &none;
}

static int vfail(rt_reg *r, int code, const char *fmt, va_list ap)
{
	r->why.code = RT_WHY_NONE;
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	/* a message cut at the buffer never ends in half a character */
	st_utf8_trim(r->err);
	return code;
}

int rt_fail(rt_reg *r, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(r, code, fmt, ap);
	va_end(ap);
	return code;
}

int rt_fail_why(rt_reg *r, int code, int why, const char *a1,
                const char *a2, const char *a3, const char *a4)
{
	rt_why_set(&r->why, why, a1, a2, a3, a4);
	rt_why_english(r->err, sizeof r->err, &r->why);
	return code;
}

int rt_dbfail(rt_reg *r, const char *what)
{
	int ext = sqlite3_extended_errcode(r->db);
	if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
		return rt_fail(r, ST_EIO, "%s: the registry '%s' is busy (another "
		               "steg holds it); try again", what, r->path);
	if ((ext & 0xff) == SQLITE_FULL)
		return rt_fail(r, ST_EIO, "%s: the disk is full", what);
	return rt_fail(r, ST_EIO, "%s: %s", what, sqlite3_errmsg(r->db));
}

int rt_exit_code(int rc)
{
	if (rc == 0)
		return 0;
	if (rc == ST_ERR)
		return 1;
	return 3;
}

void rt_now(char buf[32])
{
	st_time_now(buf);
}

int rt_hsa_valid(const char *s)
{
	return st_is_hsa_id(s);
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* ---- opening ----------------------------------------------------------- */

/* sqlite3_exec's row of "PRAGMA journal_mode = WAL": *wal, whether the
 * file is in WAL mode now. */
static int wal_mode(void *wal, int n, char **v, char **names)
{
	(void)names;
	*(int *)wal = n == 1 && v[0] && strcmp(v[0], "wal") == 0;
	return 0;
}

static int configure(rt_reg *r)
{
	int on = 1, off = 0;
	sqlite3 *db = r->db;
	sqlite3_extended_result_codes(db, 1);
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, off, NULL) ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, off, NULL) ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL) ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL) ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off,
	                      NULL))
		return rt_dbfail(r, "cannot configure the registry connection");
	sqlite3_busy_timeout(db, 10000);
	if (r->readonly)
		return ST_OK;       /* nothing below may touch the file */
	/* journal_mode=WAL is persistent in the file: set once, when the
	 * header (read_header) does not say so yet.  Switching a file that
	 * is not in WAL mode yet (a new one, or a registry from the first
	 * steg) takes an exclusive lock, which SQLite does not wait for when
	 * another connection is switching it at the same moment: try again
	 * for as long as the busy timeout.  (foreign_keys and trusted_schema
	 * are the db_config calls above; synchronous is per connection.) */
	for (int tries = 0; !r->wal; tries++) {
		int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL,
		                      NULL);
		if ((rc & 0xff) != SQLITE_BUSY || tries == 500)
			break;
		sqlite3_sleep(20);
	}
	/* NORMAL for every writer: COMMIT appends to the log without
	 * syncing it, and rt_commit() makes the commit durable before it
	 * returns (durable_commit; the server's connections by group_sync). */
	if ((!r->wal && sqlite3_exec(db, "PRAGMA journal_mode = WAL", wal_mode,
	                             &r->wal, NULL)) ||
	    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL))
		return rt_dbfail(r, "cannot configure the registry");
	return ST_OK;
}

/* SQLite connections this process has open to registries.  While there
 * is one, no code here may open() and close() a registry file itself:
 * closing any descriptor of a file drops every POSIX lock the process
 * holds on it, SQLite's included (https://www.sqlite.org/howtocorrupt.html,
 * 2.2), and another process could then take the file as unused, run its
 * checkpoint and remove the -wal file that steg serve's other
 * connections were still writing to (t0604). */
static int open_conns;          /* under conns_mu, below */

/* The count changes under conns_mu, and so does the one open() and
 * close() of a registry file by steg itself (read_header_alone): a count
 * of 0 read under it stays 0 until that close is done.  (A reader of a
 * whole file, open_reader with SQLite's immutable=1, holds its lock with
 * an open file description lock, which no close() of another descriptor
 * drops; SQLite itself closes an immutable connection's descriptor at
 * once, dropping the process's other locks on the file, so no process of
 * steg mixes such a reader with another connection to the same file.) */
static pthread_mutex_t conns_mu = PTHREAD_MUTEX_INITIALIZER;

static void count_conn(rt_reg *r, int by)
{
	if (r->db) {
		pthread_mutex_lock(&conns_mu);
		open_conns += by;
		pthread_mutex_unlock(&conns_mu);
	}
}

/* Whether the file at path is, by its first 100 bytes, an SQLite database
 * marked with steg's application_id (the header's bytes 68-71, big-endian;
 * https://www.sqlite.org/fileformat.html), and so whether a writer may
 * skip the read-only look of open_reader: the connection that writes
 * classifies the file again before its first write, as it always did.
 * *wal: the header's read and write versions say WAL (2, 2). */
static int read_header(const char *path, int *wal)
{
	unsigned char h[100];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	ssize_t n = fd < 0 ? -1 : pread(fd, h, sizeof h, 0);
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return 0;
	unsigned long app = (unsigned long)h[68] << 24 | (unsigned long)h[69] << 16 |
	                    (unsigned long)h[70] << 8 | h[71];
	*wal = h[18] == 2 && h[19] == 2;
	return app == RT_APPLICATION_ID;
}

/* read_header, when no other connection of this process is open (its
 * close() would drop their locks); 0 otherwise. */
static int read_header_alone(const char *path, int *wal)
{
	pthread_mutex_lock(&conns_mu);
	int marked = open_conns == 0 && read_header(path, wal);
	pthread_mutex_unlock(&conns_mu);
	return marked;
}

int rt_region_read(rt_reg *r, char region[RT_HSA_MAX + 1])
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the registry", "SELECT hsa_id "
	                   "FROM organisations WHERE kind = 'region'", RT_NOARGS);
	region[0] = '\0';
	if (rc == RT_ROW)
		rt_col_copy(st, 0, region, RT_HSA_MAX + 1);
	rt_db_done(r, st);
	return rc < 0 ? rc : ST_OK;
}

static int load_region(rt_reg *r)
{
	return rt_region_read(r, r->region);
}

static int not_sqlite(rt_reg *r)
{
	return (sqlite3_extended_errcode(r->db) & 0xff) == SQLITE_NOTADB;
}

/* The registry's application_id: 0 or ST_EIO with the reason. */
static int application_id(rt_reg *r, long long *app)
{
	int rc = rt_db_int(r, app, "cannot read the registry",
	                   "PRAGMA application_id", RT_NOARGS);
	return rc == RT_ROW ? ST_OK : rc < 0 ? rc :
	       rt_fail(r, ST_EIO, "cannot read the registry");
}

enum { FILE_EMPTY, FILE_STEG, FILE_FOREIGN };

/* What the open file is, found by reading only: a steg registry (marked
 * with our application_id, or of a schema version before the mark with
 * the tables of step 1), an empty database, or something else. */
static int classify(rt_reg *r, int *kind)
{
	/* One statement, so one snapshot: read one by one, a migration that
	 * commits in between (another steg marking a version-1 registry)
	 * would show an unmarked file of the marked version, i.e. foreign. */
	static const char sql[] =
		"SELECT (SELECT application_id FROM pragma_application_id), "
		"(SELECT user_version FROM pragma_user_version), "
		"(SELECT count(*) FROM sqlite_schema), "
		"(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
		"name IN ('organisations', 'users', 'blobs', 'programs', "
		"'versions', 'publications', 'activations', 'trusted_keys', "
		"'audit'))";
	long long app = 0, uv = 0, objects = 0, ours = 0;
	sqlite3_stmt *st;
	int ok = rt_db_row(r, &st, "cannot read the registry", sql,
	                   RT_NOARGS) == RT_ROW;
	if (ok) {
		app = rt_col_int(st, 0);
		uv = rt_col_int(st, 1);
		objects = rt_col_int(st, 2);
		ours = rt_col_int(st, 3);
	}
	rt_db_done(r, st);
	if (!ok) {
		if (not_sqlite(r))
			return rt_fail(r, ST_ERR, "'%s' is not a steg registry (not "
			               "an SQLite database)", r->path);
		return rt_dbfail(r, "cannot read the registry");
	}
	r->version = uv > 1000000 || uv < 0 ? 1000000 : (int)uv;
	if (app == RT_APPLICATION_ID)
		*kind = FILE_STEG;
	else if (app == 0 && uv == 0 && objects == 0)
		*kind = FILE_EMPTY;
	else if (app == 0 && uv >= 1 && uv < RT_SCHEMA_MARKED && ours == 9)
		*kind = FILE_STEG;
	else
		*kind = FILE_FOREIGN;
	if (*kind == FILE_FOREIGN)
		return rt_fail(r, ST_ERR, "'%s' is an SQLite database but not a "
		               "steg registry; steg leaves it as it is (name the "
		               "registry with --db, or create one with 'steg init')",
		               r->path);
	return ST_OK;
}

static int exists(const char *base, const char *suffix)
{
	char p[PATH_MAX + 8];
	struct stat sb;
	snprintf(p, sizeof p, "%s%s", base, suffix);
	return lstat(p, &sb) == 0;
}

/* "file:" URI of an absolute path, every byte but [A-Za-z0-9/._~-]
 * percent-encoded, then "?" and the parameters. */
static char *file_uri(const char *abs, const char *params)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_adds(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._~-", *p))
			st_buf_addc(&b, (char)*p);
		else
			st_buf_printf(&b, "%%%02X", *p);
	}
	st_buf_printf(&b, "?%s", params);
	return st_buf_detach(&b, NULL);
}

/* Open the existing file at r->path for reading only, so that a reader
 * never changes it and never leaves a file behind that the owner cannot
 * write (docs/registry.md, "Readers"):
 *  - FILE-wal and FILE-shm both there: a writer is at work (or was
 *    killed); read through them read-only ("mode=ro"), under SQLite's
 *    own locking;
 *  - neither there: nothing is open, FILE is whole; read it as
 *    "immutable" (no -wal, no -shm, works on read-only media) while
 *    holding SQLite's SHARED lock on FILE ourselves, so that a writer that
 *    starts meanwhile cannot fold its log into FILE when it closes; and
 *    remember FILE's stat, so that rt_reg_read_stable() can tell whether
 *    an automatic checkpoint wrote to it after all;
 *  - only one of them: left by a killed steg.  The file's owner reads it
 *    as a writer would (SQLite recovers it); anyone else is asked to let
 *    the owner run steg first. */
static int open_reader(rt_reg *r)
{
	char abs[PATH_MAX], *uri;
	int wal, shm, live, rc;
	struct stat sb;

	if (!realpath(r->path, abs))
		return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
		               r->path, strerror(errno));
	wal = exists(abs, "-wal");
	shm = exists(abs, "-shm");
	/* (A -journal: a file in rollback mode that a writer is changing or
	 * left half-changed; SQLite's own reading handles that.) */
	live = (wal && shm) || exists(abs, "-journal");
	if (wal != shm) {
		if (stat(abs, &sb) != 0 || sb.st_uid != geteuid())
			return rt_fail(r, ST_EIO, "the registry '%s' has a %s file "
			               "but no %s file, left by a steg that was "
			               "killed; its owner runs any steg command on it "
			               "first (that recovers it), then try again",
			               r->path, wal ? "-wal" : "-shm",
			               wal ? "-shm" : "-wal");
		live = 1;
	}
	if (!live) {
		struct flock fl;
		r->lockfd = open(abs, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (r->lockfd < 0)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
			               r->path, strerror(errno));
		/* SQLite's SHARED lock: a read lock on its 510 "shared" bytes
		 * after the pending byte (sqlite3.c, os_unix.c), waited for as
		 * long as the busy timeout while a writer holds the file
		 * exclusively.  Best effort: read-only media may not lock.
		 * The lock belongs to this descriptor (an open file
		 * description lock, F_OFD_SETLK), not to the process as
		 * SQLite's own are: SQLite closes its descriptor of the file
		 * when a connection ends, which would drop a process lock of
		 * every other reader in the process (t0604). */
		int cmd = F_OFD_SETLK;
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_RDLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0x40000000 + 2;
		fl.l_len = 510;
		for (int tries = 0; fcntl(r->lockfd, cmd, &fl) != 0; tries++) {
			if (errno == EINVAL && cmd == F_OFD_SETLK) {
				cmd = F_SETLK;      /* a kernel before Linux 3.15 */
				continue;
			}
			if (errno != EAGAIN && errno != EACCES && errno != EINTR)
				break;      /* e.g. no locks on this file system */
			if (tries == 500)
				return rt_fail(r, ST_EIO, "the registry '%s' is busy "
				               "(another program holds it); try again",
				               r->path);
			sqlite3_sleep(20);
		}
		if (fstat(r->lockfd, &r->st0) != 0)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
			               r->path, strerror(errno));
	}
	uri = file_uri(abs, live ? "mode=ro" : "immutable=1");
	if (!uri)
		return rt_fail(r, ST_EIO, "out of memory");
	rc = sqlite3_open_v2(uri, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	                     SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX, NULL);
	free(uri);
	count_conn(r, 1);
	if (r->db)
		sqlite3_busy_timeout(r->db, 10000);
	if (rc != SQLITE_OK) {
		if (!r->db)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': "
			               "out of memory", r->path);
		return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
		               r->path, sqlite3_errmsg(r->db));
	}
	return ST_OK;
}

static void close_db(rt_reg *r)
{
	if (r->db) {
		if (r->in_tx)
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		rt_db_cache_free(&r->stmts);
		sqlite3_close_v2(r->db);
		count_conn(r, -1);
		writer_release(r);
		r->db = NULL;
	}
	r->in_tx = 0;
	if (r->lockfd >= 0) {
		close(r->lockfd);
		r->lockfd = -1;
	}
}

/* Whether the registry file is there (*found), and a regular file: one
 * lstat, since a symbolic link is refused whatever it points at. */
static int look_at(rt_reg *r, const char *path, int flags, int *found)
{
	struct stat sb;
	*found = 1;
	if (lstat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & RT_OPEN_CREATE) || r->readonly)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s%s",
			               path, strerror(errno), errno == ENOENT ?
			               "; create one with 'steg init' or name it "
			               "with --db" : "");
		*found = 0;
	} else if (S_ISLNK(sb.st_mode)) {
		return rt_fail(r, ST_EIO, "the registry '%s' is a symbolic link; "
		               "name the file itself with --db", path);
	} else if (!S_ISREG(sb.st_mode)) {
		return rt_fail(r, ST_EIO, "the registry '%s' is not a regular file",
		               path);
	}
	return ST_OK;
}

int rt_reg_open(rt_reg **out, const char *path, int flags)
{
	rt_reg *r;
	int rc, from = 0, kind = FILE_EMPTY, found = 1, marked;

	*out = NULL;
	if (!path)
		path = rt_db_path();
	r = calloc(1, sizeof *r);
	if (!r)
		return ST_EIO;
	*out = r;
	r->lockfd = -1;
	r->readonly = (flags & RT_OPEN_READONLY) != 0;
	r->shared = (flags & RT_OPEN_SHARED) && !r->readonly;
	r->path = strdup(path);
	if (!r->path)
		return rt_fail(r, ST_EIO, "out of memory");

	if ((rc = look_at(r, path, flags, &found)) != ST_OK)
		return rc;
	if (found && r->shared && (rc = shared_file_ok(r)) != ST_OK)
		return rc;

	/* An existing file is read first, without writing, to learn what it
	 * is: steg writes to nothing but a steg registry (or an empty file
	 * given to steg init).  A writer that finds steg's mark in the file's
	 * header opens it for writing at once, one connection instead of two
	 * (docs/benchmarks.md): the writing connection classifies it again. */
	marked = found && !r->readonly && read_header_alone(path, &r->wal);
	if (found && !marked) {
		r->wal = 0;
		if ((rc = open_reader(r)) != ST_OK)
			return rc;
		if ((rc = configure(r)) != ST_OK ||
		    (rc = classify(r, &kind)) != ST_OK)
			return rc;
		if (kind == FILE_EMPTY && !(flags & RT_OPEN_CREATE))
			return rt_fail(r, ST_ERR, "'%s' is not a steg registry; "
			               "create one with 'steg init'", path);
		if (r->readonly) {
			if (kind == FILE_EMPTY)
				return rt_fail(r, ST_ERR, "'%s' is not a steg registry; "
				               "create one with 'steg init'", path);
			if (r->version > rt_schema_version())
				return rt_fail(r, ST_ERR, "the registry has schema "
				               "version %d but this steg knows only up "
				               "to %d; use a newer steg", r->version,
				               rt_schema_version());
			/* An older schema is read as it is: readers never
			 * migrate (the next writer does). */
			goto loaded;
		}
		close_db(r);
	}

	rc = sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE |
	                     SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX |
	                     (found ? 0 : SQLITE_OPEN_CREATE), NULL);
	count_conn(r, 1);
	if (r->db)
		sqlite3_busy_timeout(r->db, 10000);
	if (rc != SQLITE_OK) {
		if (!r->db)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': "
			               "out of memory", path);
		return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
		               path, sqlite3_errmsg(r->db));
	}
	/* SQLite quietly opens a file it may not write read-only; reading it
	 * then would leave -wal and -shm files that lock its owner out. */
	if (sqlite3_db_readonly(r->db, "main") == 1)
		return rt_fail(r, ST_EIO, "cannot change the registry '%s': you may "
		               "not write to it (%s); only its owner changes it",
		               path, strerror(EACCES));
	/* The file may have been replaced since it was looked at: look
	 * again, on this connection, before the first write (journal_mode). */
	if (found && ((rc = classify(r, &kind)) != ST_OK ||
	              (kind == FILE_EMPTY && !(flags & RT_OPEN_CREATE))))
		return rc ? rc : rt_fail(r, ST_ERR, "'%s' is not a steg registry; "
		                         "create one with 'steg init'", path);
	if ((rc = configure(r)) != ST_OK) {
		if (not_sqlite(r))
			return rt_fail(r, ST_ERR, "'%s' is not a steg registry (not "
			               "an SQLite database)", path);
		return rc;
	}
	rc = rt_schema_migrate(r->db, (flags & RT_OPEN_CREATE) != 0, &from,
	                       r->err, sizeof r->err);
	if (rc == ST_ERR && from == 0)
		return rt_fail(r, ST_ERR, "'%s' is not a steg registry; create "
		               "one with 'steg init'", path);
	if (rc != ST_OK) {
		if (not_sqlite(r))
			return rt_fail(r, ST_ERR, "'%s' is not a steg registry (not "
			               "an SQLite database)", path);
		return rc;
	}
	/* A migration committed on its own (db_schema.c): synced as every
	 * commit is, as synchronous=FULL did. */
	if (!r->shared && from > 0 && from < rt_schema_version() &&
	    (rc = durable_commit(r)) != ST_OK)
		return rc;
	r->version = rt_schema_version();
loaded:
	if ((rc = load_region(r)) != ST_OK)
		return rc;
	if (!(flags & RT_OPEN_RAW) && !r->region[0])
		return rt_fail(r, ST_ERR, "the registry '%s' has no region yet; "
		               "run 'steg init --region HSA-ID --name NAME --admin "
		               "HSA-ID' first", path);
	return ST_OK;
}

int rt_reg_read_stable(rt_reg *r)
{
	struct stat now;
	if (!r || r->lockfd < 0)
		return ST_OK;
	if (stat(r->path, &now) != 0 || now.st_ino != r->st0.st_ino ||
	    now.st_dev != r->st0.st_dev || now.st_size != r->st0.st_size ||
	    now.st_mtim.tv_sec != r->st0.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != r->st0.st_mtim.tv_nsec)
		return rt_fail(r, ST_EIO, "the registry '%s' changed while it was "
		               "read (a writer folded its log into it); run the "
		               "command again", r->path);
	return ST_OK;
}

int rt_reg_version(const rt_reg *r) { return r->version; }
int rt_reg_readonly(const rt_reg *r) { return r->readonly; }

void rt_reg_close(rt_reg *r)
{
	if (!r)
		return;
	close_db(r);
	free(r->path);
	free(r);
}

/* ---- transactions ------------------------------------------------------ */

int rt_begin(rt_reg *r)
{
	long long app = 0;
	char why[256];
	int rc;

	if (r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: nested transaction");
	if (r->readonly)
		return rt_fail(r, ST_EIO, "internal error: the registry was opened "
		               "read-only");
	if (r->shared) {
		if ((rc = shared_broken(r)) != ST_OK)
			return rc;
		pthread_mutex_lock(&shared_reg.writer);
		r->writing = 1;
	}
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot start a transaction");
		writer_release(r);
		return rc;
	}
	r->in_tx = 1;
	/* Under the write lock, before the first write: still our file, and
	 * its log still append-only. */
	if ((rc = application_id(r, &app)) != ST_OK) {
		rt_rollback(r);
		return rc;
	}
	if (app != RT_APPLICATION_ID) {
		rt_rollback(r);
		return rt_fail(r, ST_ERR, "refusing to change '%s': it is no longer "
		               "marked as a steg registry (application_id %lld)",
		               r->path, app);
	}
	rc = rt_schema_check_triggers(r->db, r->version, why, sizeof why);
	if (rc != ST_OK) {
		rt_rollback(r);
		return rt_fail(r, rc, "refusing to change the registry '%s': %s; "
		               "check it with 'steg audit --check' and restore it "
		               "from a backup", r->path, why);
	}
	return ST_OK;
}

int rt_commit(rt_reg *r)
{
	if (!r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: commit outside a "
		               "transaction");
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		/* SQLite's own syncs (a new log's header) fail inside COMMIT */
		if (r->shared && (sqlite3_extended_errcode(r->db) & 0xff) ==
		    SQLITE_IOERR)
			shared_break(EIO);
		int rc = rt_dbfail(r, "cannot commit");
		rt_rollback(r);
		return rc;
	}
	r->in_tx = 0;
	if (!r->shared)
		return durable_commit(r);
	writer_release(r);
	return group_sync(r);
}

void rt_rollback(rt_reg *r)
{
	if (!r || !r->in_tx)
		return;
	if (sqlite3_get_autocommit(r->db) == 0)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	r->in_tx = 0;
	writer_release(r);
}

int rt_read_begin(rt_reg *r, const char *what)
{
	if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return rt_dbfail(r, what);
	return ST_OK;
}

void rt_read_end(rt_reg *r)
{
	if (r && r->db && !r->in_tx && sqlite3_get_autocommit(r->db) == 0)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- who is acting ----------------------------------------------------- */

static int role_bit(const char *role)
{
	if (!strcmp(role, "admin"))
		return RT_ROLE_ADMIN;
	if (!strcmp(role, "publisher"))
		return RT_ROLE_PUBLISHER;
	if (!strcmp(role, "clinician"))
		return RT_ROLE_CLINICIAN;
	return 0;
}

/* The roles of a mask as a why.h 'm' argument: "admin,publisher". */
static void roles_list(char *buf, size_t n, unsigned roles)
{
	snprintf(buf, n, "%s%s%s%s%s", roles & RT_ROLE_ADMIN ? "admin" : "",
	         roles & RT_ROLE_ADMIN && roles & ~RT_ROLE_ADMIN ? "," : "",
	         roles & RT_ROLE_PUBLISHER ? "publisher" : "",
	         roles & RT_ROLE_PUBLISHER && roles & RT_ROLE_CLINICIAN ? "," :
	         "", roles & RT_ROLE_CLINICIAN ? "clinician" : "");
}

void rt_actor_lookup(rt_reg *r, rt_actor *a, const char *hsa)
{
	sqlite3_stmt *st;

	memset(a, 0, sizeof *a);
	copy(a->hsa, sizeof a->hsa, hsa);
	if (!hsa || !*hsa)
		return;
	if (rt_db_row(r, &st, "cannot read the users", "SELECT name, role, "
	              "unit, active FROM users WHERE hsa_id = ?1",
	              RT_ARGS(RT_TEXT(hsa))) == RT_ROW) {
		a->known = 1;
		rt_col_copy(st, 0, a->name, sizeof a->name);
		rt_col_copy(st, 1, a->role, sizeof a->role);
		rt_col_copy(st, 2, a->unit, sizeof a->unit);
		a->active = rt_col_int(st, 3) != 0;
		a->region_wide = !strcmp(a->unit, r->region);
	}
	rt_db_done(r, st);
}

int rt_authorize(rt_reg *r, rt_actor *a, const char *hsa, unsigned roles,
                 const char *unit)
{
	char want[64], shown[RT_HSA_MAX + 1];

	rt_actor_lookup(r, a, hsa);
	if (!hsa || !*hsa)
		return rt_fail_why(r, ST_ERR, RT_WHY_NO_ACTOR, NULL, NULL, NULL,
		                   NULL);
	if (!rt_hsa_valid(hsa)) {
		snprintf(shown, sizeof shown, "%.*s", RT_HSA_MAX, hsa);
		return rt_fail_why(r, ST_ERR, RT_WHY_NOT_HSA_ID, shown, NULL, NULL,
		                   NULL);
	}
	if (!a->known)
		return rt_fail_why(r, ST_ERR, RT_WHY_UNKNOWN_ACTOR, hsa, NULL, NULL,
		                   NULL);
	if (!a->active)
		return rt_fail_why(r, ST_ERR, RT_WHY_ACTOR_DEACTIVATED, hsa, NULL,
		                   NULL, NULL);
	if (!(role_bit(a->role) & roles)) {
		roles_list(want, sizeof want, roles);
		return rt_fail_why(r, ST_ERR, RT_WHY_WRONG_ROLE, hsa, a->role, want,
		                   NULL);
	}
	if (unit && !a->region_wide && strcmp(unit, a->unit))
		return rt_fail_why(r, ST_ERR, RT_WHY_OTHER_UNIT, hsa, a->unit, unit,
		                   NULL);
	return ST_OK;
}

/* ---- the audit log ----------------------------------------------------- */

/* One field of a row: its bytes and their number (a field read from the
 * database may hold a NUL; its length is what SQLite says, not strlen). */
typedef struct field {
	const char *p;
	size_t n;
} field;

static void canon_field(st_buf *b, field f)
{
	st_buf_printf(b, "%zu:", f.n);
	if (f.n)
		st_buf_add(b, f.p, f.n);
	st_buf_addc(b, '\n');
}

/* The hash of one row, from the row before's hash and this row's fields
 * (time, actor, role, unit, action, object, outcome, detail).
 * Version 1 (rows written before schema step 3) hashed each field up to
 * its first NUL byte; version 2 hashes every byte, after a tag that keeps
 * the two apart.  A row with a NUL byte is refused by rt_audit_check in
 * either version, so a version-1 row holds as much as a version-2 one. */
static void row_hash(char out[65], int version, const char *prev,
                     long long seq, const field f[8])
{
	st_buf b;
	char num[32];
	st_buf_init(&b);
	if (version >= 2)
		st_buf_adds(&b, "steg audit row 2\n");
	canon_field(&b, (field){ prev, strlen(prev) });
	snprintf(num, sizeof num, "%lld", seq);
	canon_field(&b, (field){ num, strlen(num) });
	for (int i = 0; i < 8; i++) {
		field x = f[i];
		if (version < 2 && x.p)
			x.n = strnlen(x.p, x.n);
		canon_field(&b, x);
	}
	st_sha256_sodium_hex(b.data, b.len, out);
	st_buf_release(&b);
}

#define HASH_VERSION 2          /* of every row steg writes now */

int rt_audit(rt_reg *r, const rt_actor *a, const char *unit,
             const char *action, const char *object, const char *outcome,
             const char *detail)
{
	sqlite3_stmt *st;
	char now[32], prev[65], hash[65];
	long long seq = 1;
	int rc;
	const char *f[8];
	field ff[8];

	if (!r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: audit outside a "
		               "transaction");
	copy(prev, sizeof prev, ZERO_HASH);
	rc = rt_db_row(r, &st, "cannot read the audit log", "SELECT seq, hash "
	               "FROM audit ORDER BY seq DESC LIMIT 1", RT_NOARGS);
	if (rc < 0)
		return rc;
	if (rc == RT_ROW) {
		seq = rt_col_int(st, 0) + 1;
		rt_col_copy(st, 1, prev, sizeof prev);
	}
	rt_db_done(r, st);

	rt_now(now);
	f[0] = now;
	f[1] = a ? a->hsa : "";
	f[2] = a ? a->role : "";
	f[3] = unit ? unit : a ? a->unit : "";
	f[4] = action ? action : "";
	f[5] = object ? object : "";
	f[6] = outcome ? outcome : "error";
	f[7] = detail ? detail : "";
	for (int i = 0; i < 8; i++)
		ff[i] = (field){ f[i], strlen(f[i]) };
	row_hash(hash, HASH_VERSION, prev, seq, ff);

	/* A constraint here (a NUL byte, a CHECK) is a failure too. */
	rc = rt_db_exec(r, "cannot write the audit log", "INSERT INTO audit "
	                "(seq, time, actor, role, unit, action, object, outcome, "
	                "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                "?7, ?8, ?9, ?10, ?11)", RT_ARGS(RT_INT(seq),
	                RT_TEXT(f[0]), RT_TEXT(f[1]), RT_TEXT(f[2]),
	                RT_TEXT(f[3]), RT_TEXT(f[4]), RT_TEXT(f[5]),
	                RT_TEXT(f[6]), RT_TEXT(f[7]), RT_TEXT(prev),
	                RT_TEXT(hash)));
	return rc == ST_ERR ? ST_EIO : rc;
}

/* The refusal with message msg, and why its code (NULL: none): both are
 * what rt_reg_errmsg and rt_reg_why give afterwards. */
static int refuse(rt_reg *r, const rt_actor *a, const char *unit,
                  const char *action, const char *object, const char *msg,
                  const rt_why *why)
{
	int rc;

	rt_rollback(r);
	/* The refusal's own row; if even that fails, the refusal stands and
	 * the user hears about both. */
	if ((rc = rt_begin(r)) == ST_OK &&
	    (rc = rt_audit(r, a, unit, action, object, "refused", msg)) == ST_OK)
		rc = rt_commit(r);
	if (rc != ST_OK) {
		char failed[sizeof r->err];
		copy(failed, sizeof failed, r->err);
		rt_rollback(r);
		/* no code: the English says both, the refusal and the failure */
		rt_fail(r, ST_ERR, "%s (and the refusal could not be audited: %s)",
		        msg, failed);
		return ST_ERR;
	}
	copy(r->err, sizeof r->err, msg);
	if (why)
		r->why = *why;
	else
		r->why.code = RT_WHY_NONE;
	return ST_ERR;
}

int rt_refuse(rt_reg *r, const rt_actor *a, const char *unit,
              const char *action, const char *object, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof r->err];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	st_utf8_trim(msg);
	return refuse(r, a, unit, action, object, msg, NULL);
}

/* Both keep the reason in a copy of their own: the transaction of the
 * refusal's row may fail and overwrite r->err and r->why. */
int rt_refuse_why(rt_reg *r, const rt_actor *a, const char *unit,
                  const char *action, const char *object, int why,
                  const char *a1, const char *a2, const char *a3,
                  const char *a4)
{
	char msg[sizeof r->err];
	rt_why *w = malloc(sizeof *w);
	int rc;

	if (!w)
		return refuse(r, a, unit, action, object, "out of memory", NULL);
	rt_why_set(w, why, a1, a2, a3, a4);
	rt_why_english(msg, sizeof msg, w);
	rc = refuse(r, a, unit, action, object, msg, w);
	free(w);
	return rc;
}

int rt_refuse_again(rt_reg *r, const rt_actor *a, const char *unit,
                    const char *action, const char *object)
{
	char msg[sizeof r->err];
	rt_why *w;
	int rc;

	copy(msg, sizeof msg, r->err);
	if (r->why.code == RT_WHY_NONE)
		return refuse(r, a, unit, action, object, msg, NULL);
	if (!(w = malloc(sizeof *w)))
		return refuse(r, a, unit, action, object, msg, NULL);
	*w = r->why;
	rc = refuse(r, a, unit, action, object, msg, w);
	free(w);
	return rc;
}

int rt_authorize_region_admin(rt_reg *r, rt_actor *a, const char *hsa,
                              const char *unit, const char *action,
                              const char *object, int why)
{
	if (rt_authorize(r, a, hsa, RT_ROLE_ADMIN, NULL))
		return rt_refuse_again(r, a, unit, action, object);
	if (!a->region_wide)
		return rt_refuse_why(r, a, unit, action, object, why, hsa, a->unit,
		                     NULL, NULL);
	return 0;
}

int rt_abort(rt_reg *r, int code, const rt_actor *a, const char *unit,
             const char *action, const char *object)
{
	char msg[sizeof r->err];

	copy(msg, sizeof msg, r->err);
	rt_rollback(r);
	if (rt_begin(r) == ST_OK &&
	    rt_audit(r, a, unit, action, object, "error", msg) == ST_OK)
		rt_commit(r);
	rt_rollback(r);
	copy(r->err, sizeof r->err, msg);
	r->why.code = RT_WHY_NONE;
	return code;
}

/* 1 when the table is there, 0 when not, ST_EIO. */
static int table_exists(rt_reg *r, const char *name)
{
	long long one;
	return rt_db_int(r, &one, "cannot read the audit log", "SELECT 1 FROM "
	                 "sqlite_schema WHERE type = 'table' AND name = ?1",
	                 RT_ARGS(RT_TEXT(name)));
}

/* From which row on which hashing version holds (audit_hashing, schema
 * step 3; before it every row is version 1). */
typedef struct hashing {
	long long from[8];
	int version[8];
	int n;
} hashing;

static int load_hashing(rt_reg *r, hashing *h)
{
	sqlite3_stmt *st;
	int step, rc;

	h->n = 0;
	if ((rc = table_exists(r, "audit_hashing")) != RT_ROW)
		return rc;              /* RT_DONE: none, every row version 1 */
	if ((rc = rt_db_prepare(r, &st, "cannot read the audit log", "SELECT "
	                        "from_seq, version FROM audit_hashing ORDER BY "
	                        "from_seq", RT_NOARGS)))
		return rc;
	while ((step = rt_db_step(r, st, "cannot read the audit log")) ==
	       RT_ROW) {
		long long from = rt_col_int(st, 0);
		long long v = rt_col_int(st, 1);
		if (h->n == (int)(sizeof h->from / sizeof *h->from) ||
		    (v != 1 && v != 2) ||
		    (h->n && v < h->version[h->n - 1])) {
			rc = rt_fail(r, ST_ERR, "audit log broken: its table of "
			             "hashing versions (audit_hashing) was changed");
			break;
		}
		h->from[h->n] = from;
		h->version[h->n++] = (int)v;
	}
	if (rc == ST_OK && step < 0)
		rc = step;
	rt_db_done(r, st);
	return rc;
}

static int hashing_of(const hashing *h, long long seq)
{
	int v = 1;
	for (int i = 0; i < h->n; i++)
		if (h->from[i] <= seq)
			v = h->version[i];
	return v;
}

/* Column i as a field: every byte SQLite holds (SQL NULL, which the
 * schema does not allow, as no bytes). */
static field col_field(sqlite3_stmt *st, int i)
{
	const char *p = rt_col_text(st, i);
	return (field){ p ? p : "", p ? rt_col_bytes(st, i) : 0 };
}

static const char *const field_names[8] = {
	"time", "actor", "role", "unit", "action", "object", "outcome", "detail",
};

int rt_audit_check(rt_reg *r, long long *nrows, long long *bad_seq)
{
	sqlite3_stmt *st;
	char prev[65], hash[65];
	long long want = 1;
	int rc = ST_OK, step;
	hashing h;

	*nrows = 0;
	*bad_seq = 0;
	copy(prev, sizeof prev, ZERO_HASH);
	if ((rc = load_hashing(r, &h)) != ST_OK)
		return rc;
	if ((rc = rt_db_prepare(r, &st, "cannot read the audit log", "SELECT "
	                        "seq, time, actor, role, unit, action, object, "
	                        "outcome, detail, prev_hash, hash FROM audit ORDER "
	                        "BY seq", RT_NOARGS)))
		return rc;
	while ((step = rt_db_step(r, st, "cannot read the audit log")) ==
	       RT_ROW) {
		long long seq = rt_col_int(st, 0);
		field f[8], ph, hh;
		const char *nul = NULL;
		for (int i = 0; i < 8; i++) {
			f[i] = col_field(st, 1 + i);
			if (!nul && f[i].n && memchr(f[i].p, 0, f[i].n))
				nul = field_names[i];
		}
		ph = col_field(st, 9);
		hh = col_field(st, 10);
		if (seq != want) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: row "
			             "%lld is missing", seq, want);
			break;
		}
		if (ph.n != 64 || memcmp(ph.p, prev, 64)) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: its "
			             "prev_hash is not the hash of row %lld", seq,
			             seq - 1);
			break;
		}
		row_hash(hash, hashing_of(&h, seq), prev, seq, f);
		if (hh.n != 64 || memcmp(hh.p, hash, 64)) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: the row "
			             "does not match its hash (changed after it was "
			             "written)", seq);
			break;
		}
		if (nul) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: its "
			             "'%s' holds a NUL byte, which steg never writes",
			             seq, nul);
			break;
		}
		copy(prev, sizeof prev, hash);
		want++;
		(*nrows)++;
	}
	if (rc == ST_OK && step < 0)
		rc = step;
	rt_db_done(r, st);
	return rc;
}

int rt_audit_check_guards(rt_reg *r)
{
	long long app = 0;
	char why[256];
	int rc;

	if ((rc = application_id(r, &app)) != ST_OK)
		return rc;
	if (r->version >= RT_SCHEMA_MARKED && app != RT_APPLICATION_ID)
		return rt_fail(r, ST_ERR, "the registry is no longer marked as a "
		               "steg registry (application_id %lld)", app);
	rc = rt_schema_check_triggers(r->db, r->version, why, sizeof why);
	if (rc != ST_OK)
		return rt_fail(r, rc, "%s", why);
	return ST_OK;
}

/* What the registry holds that the log must have recorded: each query
 * gives the first thing without its "ok" row. */
static const struct {
	const char *sql, *what;
} state_rows[] = {
	{ "SELECT hsa_id FROM organisations WHERE kind = 'region' EXCEPT "
	  "SELECT object FROM audit WHERE action = 'init' AND outcome = 'ok'",
	  "the region '%s' has no 'init' row" },
	{ "SELECT program || '@' || version FROM versions EXCEPT SELECT object "
	  "FROM audit WHERE action = 'import' AND outcome = 'ok'",
	  "version %s has no 'import' row" },
	{ "SELECT program || '@' || version FROM versions WHERE approved_at IS "
	  "NOT NULL EXCEPT SELECT object FROM audit WHERE action = 'approve' "
	  "AND outcome = 'ok'",
	  "version %s is approved but has no 'approve' row" },
	{ "SELECT program || '@' || version FROM versions WHERE retired_at IS "
	  "NOT NULL EXCEPT SELECT object FROM audit WHERE action = 'retire' AND "
	  "outcome = 'ok'",
	  "version %s is retired but has no 'retire' row" },
	{ "SELECT program || '@' || version || ' at unit ' || unit FROM (SELECT "
	  "program, version, unit FROM publications WHERE withdrawn_at IS NULL "
	  "EXCEPT SELECT substr(object, 1, instr(object, '@') - 1), "
	  "substr(object, instr(object, '@') + 1), unit FROM audit WHERE action "
	  "= 'publish' AND outcome = 'ok')",
	  "the publication of %s has no 'publish' row" },
	{ "SELECT program || '@' || version || ' at unit ' || unit FROM (SELECT "
	  "program, version, unit FROM activations WHERE active = 1 EXCEPT "
	  "SELECT substr(object, 1, instr(object, '@') - 1), substr(object, "
	  "instr(object, '@') + 1), unit FROM audit WHERE action = 'activate' "
	  "AND outcome = 'ok')",
	  "the activation of %s has no 'activate' row" },
	/* Who may act, and with which keys: a unit, user or trusted key put
	 * in (or a role or a key's region changed) around steg has no row;
	 * a user or version brought back has the row that ended it. */
	{ "SELECT hsa_id FROM organisations WHERE kind = 'unit' EXCEPT SELECT "
	  "object FROM audit WHERE action = 'unit add' AND outcome = 'ok'",
	  "the unit '%s' has no 'unit add' row" },
	/* A user's role and unit are those of their last 'user add', 'user
	 * role' or (the first admin) 'init' row: each 'user add' and 'user
	 * role' detail ends in ", role ROLE", its unit column the unit. */
	{ "SELECT hsa_id || ' (' || role || ')' FROM users u WHERE NOT EXISTS "
	  "(SELECT 1 FROM audit a WHERE a.seq = (SELECT max(b.seq) FROM audit b "
	  "WHERE b.outcome = 'ok' AND ((b.action IN ('user add', 'user role') "
	  "AND b.object = u.hsa_id) OR (b.action = 'init' AND b.actor = "
	  "u.hsa_id))) AND ((a.action IN ('user add', 'user role') AND a.unit = "
	  "u.unit AND substr(a.detail, -length(u.role) - 7) = ', role ' || "
	  "u.role) OR (a.action = 'init' AND u.role = 'admin')))",
	  "the user %s has no 'user add' or 'user role' row for that role and "
	  "unit" },
	{ "SELECT hsa_id FROM users WHERE active = 1 INTERSECT SELECT object "
	  "FROM audit WHERE action = 'user deactivate' AND outcome = 'ok'",
	  "the user '%s' is active, though deactivated" },
	{ "SELECT program || '@' || version FROM versions WHERE retired_at IS "
	  "NULL INTERSECT SELECT object FROM audit WHERE action = 'retire' AND "
	  "outcome = 'ok'",
	  "version %s is not retired, though retired" },
	{ "SELECT keyid || ' of region ' || region FROM trusted_keys k WHERE "
	  "removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM audit a WHERE "
	  "a.action = 'trust add' AND a.outcome = 'ok' AND a.object = k.keyid "
	  "AND substr(a.detail, 1, length(k.region) + 14) = 'region ''' || "
	  "k.region || ''' key ')",
	  "the trusted key %s has no 'trust add' row" },
};

int rt_audit_check_state(rt_reg *r)
{
	for (size_t i = 0; i < sizeof state_rows / sizeof *state_rows; i++) {
		sqlite3_stmt *st;
		char *sql = sqlite3_mprintf("%s LIMIT 1", state_rows[i].sql);
		int rc;
		if (!sql)
			return rt_fail(r, ST_EIO, "out of memory");
		rc = rt_db_row(r, &st, "cannot read the registry", sql, RT_NOARGS);
		sqlite3_free(sql);
		if (rc == RT_ROW) {
			char what[512];
			const char *t = rt_col_text(st, 0);
			snprintf(what, sizeof what, state_rows[i].what, t ? t : "");
			rc = rt_fail(r, ST_ERR, "the registry and its audit log "
			             "disagree: %s in the log (rows were removed, or "
			             "the registry was changed around steg)", what);
		}
		rt_db_done(r, st);
		if (rc)
			return rc;
	}
	return ST_OK;
}

int rt_audit_row(rt_reg *r, long long seq, char hash[65], long long *last)
{
	sqlite3_stmt *st;
	int rc;

	hash[0] = '\0';
	*last = 0;
	rc = rt_db_row(r, &st, "cannot read the audit log", "SELECT (SELECT "
	               "hash FROM audit WHERE seq = ?1), (SELECT MAX(seq) FROM "
	               "audit)", RT_ARGS(RT_INT(seq)));
	if (rc == RT_DONE)
		rc = rt_fail(r, ST_EIO, "cannot read the audit log");
	if (rc != RT_ROW)
		return rc;
	*last = rt_col_int(st, 1);
	rc = ST_ENOENT;
	if (!rt_col_is_null(st, 0)) {
		rt_col_copy(st, 0, hash, 65);
		rc = ST_OK;
	}
	rt_db_done(r, st);
	return rc;
}

/* ---- helpers ---------------------------------------------------------- */

int rt_org_kind(rt_reg *r, const char *hsa, char kind[16])
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the organisations", "SELECT "
	                   "kind FROM organisations WHERE hsa_id = ?1",
	                   RT_ARGS(RT_TEXT(hsa)));
	kind[0] = '\0';
	if (rc == RT_ROW)
		rt_col_copy(st, 0, kind, 16);
	rt_db_done(r, st);
	return rc < 0 ? rc : ST_OK;
}

/* ---- bundles out of the registry ----------------------------------------- */

int rt_version_get(rt_reg *r, const char *id, const char *version,
                   rt_version *v)
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the versions", "SELECT title, "
	                   "bundle_sha256, producer_id, imported_by, imported_at, "
	                   "signed_by, keyid, approved_by, approved_at, "
	                   "retired_by, retired_at FROM versions WHERE program = "
	                   "?1 AND version = ?2", RT_ARGS(RT_TEXT(id),
	                   RT_TEXT(version)));
	memset(v, 0, sizeof *v);
	if (rc != RT_ROW)
		return rc == RT_DONE ? ST_ENOENT : rc;
	rt_col_copy(st, 0, v->title, sizeof v->title);
	rt_col_copy(st, 1, v->sha256, sizeof v->sha256);
	rt_col_copy(st, 2, v->producer_id, sizeof v->producer_id);
	rt_col_copy(st, 3, v->imported_by, sizeof v->imported_by);
	rt_col_copy(st, 4, v->imported_at, sizeof v->imported_at);
	rt_col_copy(st, 5, v->signed_by, sizeof v->signed_by);
	rt_col_copy(st, 6, v->keyid, sizeof v->keyid);
	rt_col_copy(st, 7, v->approved_by, sizeof v->approved_by);
	rt_col_copy(st, 8, v->approved_at, sizeof v->approved_at);
	rt_col_copy(st, 9, v->retired_by, sizeof v->retired_by);
	rt_col_copy(st, 10, v->retired_at, sizeof v->retired_at);
	rt_db_done(r, st);
	return ST_OK;
}

int rt_version_bundle(rt_reg *r, const char *id, const char *version,
                      char **data, size_t *len, char sha256[65])
{
	sqlite3_stmt *st;
	const void *p;
	int rc = rt_db_row(r, &st, "cannot read the bundle", "SELECT "
	                   "v.bundle_sha256, b.data FROM versions v JOIN blobs b "
	                   "ON b.sha256 = v.bundle_sha256 WHERE v.program = ?1 "
	                   "AND v.version = ?2", RT_ARGS(RT_TEXT(id),
	                   RT_TEXT(version)));
	*data = NULL;
	*len = 0;
	sha256[0] = '\0';
	if (rc != RT_ROW)
		return rc == RT_DONE ? ST_ENOENT : rc;
	rt_col_copy(st, 0, sha256, 65);
	p = rt_col_blob(st, 1, len);
	if (!(*data = malloc(*len + 1))) {
		rt_db_done(r, st);
		*len = 0;
		return rt_fail(r, ST_EIO, "out of memory");
	}
	if (*len)
		memcpy(*data, p, *len);
	rt_db_done(r, st);
	return ST_OK;
}

int rt_bundle_extract(rt_reg *r, const char *id, const char *version,
                      char **path)
{
	const char *tmp = getenv("TMPDIR");
	char *p = NULL, *data = NULL, hex[65], sha[65];
	size_t len = 0;
	int rc, fd;

	*path = NULL;
	rc = rt_version_bundle(r, id, version, &data, &len, sha);
	if (rc == ST_ENOENT)
		return rt_fail(r, ST_ERR, "%s@%s is not in the registry; see 'steg "
		               "list'", id, version);
	if (rc)
		return rc;
	st_sha256_sodium_hex(data ? data : "", len, hex);
	if (strcmp(hex, sha)) {
		rc = rt_fail(r, ST_EIO, "the stored bundle of %s@%s does not match "
		             "its SHA-256; the registry is damaged (see 'steg audit "
		             "--check' and your backups)", id, version);
		goto done;
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (!(p = malloc(strlen(tmp) + 32))) {
		rc = rt_fail(r, ST_EIO, "out of memory");
		goto done;
	}
	sprintf(p, "%s/steg-bundle.XXXXXX", tmp);
	if ((fd = mkstemp(p)) < 0) {
		rc = rt_fail(r, ST_EIO, "cannot create a temporary file in '%s': "
		             "%s", tmp, strerror(errno));
		free(p);
		goto done;
	}
	int werr = st_write_all(fd, data, len);
	if (close(fd) != 0 || werr != 0) {
		rc = rt_fail(r, ST_EIO, "cannot write '%s': %s", p, strerror(errno));
		unlink(p);
		free(p);
		goto done;
	}
	*path = p;
done:
	free(data);
	return rc;
}
