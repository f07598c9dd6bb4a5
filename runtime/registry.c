/*
 * registry.c — opening the registry database, transactions, authorisation
 * and the hash-chained audit log (registry.h; docs/registry.md).
 *
 * Everything here exists so that the commands cannot get the safety rules
 * wrong one by one: the connection settings of ../shared/HAZARDS.md are
 * applied in one place, every statement is prepared with bound parameters,
 * a writer always takes the lock up front (BEGIN IMMEDIATE, so that two
 * commands never both read and then one fails to upgrade), and an audit
 * row is chained to the one before it inside the same transaction as the
 * change it records.
 *
 * The chain: hash = SHA-256 over prev_hash and the row's fields, each
 * written as its decimal length, ':', its bytes and '\n' (so that no two
 * different rows have one encoding).  The first row's prev_hash is 64
 * zeros.  `steg audit --check` recomputes every hash and checks that seq
 * runs 1, 2, 3 ... with no gap.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <sqlite3.h>
#include "util.h"
#include "registry.h"
#include "db_schema.h"

struct rt_reg {
	sqlite3 *db;
	char *path;
	int in_tx;
	char region[RT_HSA_MAX + 1];
	char region_name[256];
	char err[1024];
};

#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

const char *rt_db_path(void)
{
	const char *p = getenv("STEG_DB");
	return p && *p ? p : "steg.db";
}

sqlite3 *rt_reg_db(rt_reg *r) { return r->db; }
const char *rt_reg_path(const rt_reg *r) { return r->path; }
const char *rt_reg_region(const rt_reg *r) { return r->region; }
const char *rt_reg_region_name(const rt_reg *r) { return r->region_name; }
const char *rt_reg_errmsg(const rt_reg *r)
{
	return r && r->err[0] ? r->err : "unknown error";
}

static int vfail(rt_reg *r, int code, const char *fmt, va_list ap)
{
	vsnprintf(r->err, sizeof r->err, fmt, ap);
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
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int rt_hsa_valid(const char *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return n >= 1 && n <= RT_HSA_MAX;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* ---- opening ----------------------------------------------------------- */

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
	/* journal_mode=WAL is persistent in the file; asking again is cheap. */
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) ||
	    sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) ||
	    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) ||
	    sqlite3_exec(db, "PRAGMA trusted_schema = OFF", NULL, NULL, NULL))
		return rt_dbfail(r, "cannot configure the registry");
	return ST_OK;
}

static int load_region(rt_reg *r)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db,
		"SELECT hsa_id, name FROM organisations WHERE kind = 'region'",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rt_dbfail(r, "cannot read the registry");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy(r->region, sizeof r->region, col_text(st, 0));
		copy(r->region_name, sizeof r->region_name, col_text(st, 1));
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the registry");
	return ST_OK;
}

int rt_reg_open(rt_reg **out, const char *path, int flags)
{
	rt_reg *r;
	struct stat sb;
	int rc, from = 0, oflags;

	*out = NULL;
	if (!path)
		path = rt_db_path();
	r = calloc(1, sizeof *r);
	if (!r)
		return ST_EIO;
	*out = r;
	r->path = strdup(path);
	if (!r->path)
		return rt_fail(r, ST_EIO, "out of memory");

	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return rt_fail(r, ST_EIO, "the registry '%s' is a symbolic link; "
		               "name the file itself with --db", path);
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & RT_OPEN_CREATE))
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s%s",
			               path, strerror(errno), errno == ENOENT ?
			               "; create one with 'steg init' or name it "
			               "with --db" : "");
	} else if (!S_ISREG(sb.st_mode)) {
		return rt_fail(r, ST_EIO, "the registry '%s' is not a regular file",
		               path);
	}

	oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	         SQLITE_OPEN_FULLMUTEX |
	         ((flags & RT_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &r->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (!r->db)
			return rt_fail(r, ST_EIO, "cannot open the registry '%s': "
			               "out of memory", path);
		return rt_fail(r, ST_EIO, "cannot open the registry '%s': %s",
		               path, sqlite3_errmsg(r->db));
	}
	if ((rc = configure(r)) != ST_OK) {
		if ((sqlite3_extended_errcode(r->db) & 0xff) == SQLITE_NOTADB)
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
		if ((sqlite3_extended_errcode(r->db) & 0xff) == SQLITE_NOTADB)
			return rt_fail(r, ST_ERR, "'%s' is not a steg registry (not "
			               "an SQLite database)", path);
		return rc;
	}
	if ((rc = load_region(r)) != ST_OK)
		return rc;
	if (!(flags & RT_OPEN_RAW) && !r->region[0])
		return rt_fail(r, ST_ERR, "the registry '%s' has no region yet; "
		               "run 'steg init --region HSA-ID --name NAME --admin "
		               "HSA-ID' first", path);
	return ST_OK;
}

void rt_reg_close(rt_reg *r)
{
	if (!r)
		return;
	if (r->db) {
		if (r->in_tx)
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(r->db);
	}
	free(r->path);
	free(r);
}

/* ---- transactions ------------------------------------------------------ */

int rt_begin(rt_reg *r)
{
	if (r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: nested transaction");
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot start a transaction");
	r->in_tx = 1;
	return ST_OK;
}

int rt_commit(rt_reg *r)
{
	if (!r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: commit outside a "
		               "transaction");
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = rt_dbfail(r, "cannot commit");
		rt_rollback(r);
		return rc;
	}
	r->in_tx = 0;
	return ST_OK;
}

void rt_rollback(rt_reg *r)
{
	if (!r || !r->in_tx)
		return;
	if (sqlite3_get_autocommit(r->db) == 0)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	r->in_tx = 0;
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

static void roles_text(char *buf, size_t n, unsigned roles)
{
	const char *names[3] = { NULL, NULL, NULL };
	int k = 0;
	if (roles & RT_ROLE_ADMIN)
		names[k++] = "an admin";
	if (roles & RT_ROLE_PUBLISHER)
		names[k++] = "a publisher";
	if (roles & RT_ROLE_CLINICIAN)
		names[k++] = "a clinician";
	if (k == 1)
		snprintf(buf, n, "%s", names[0]);
	else if (k == 2)
		snprintf(buf, n, "%s or %s", names[0], names[1]);
	else
		snprintf(buf, n, "%s, %s or %s", names[0], names[1], names[2]);
}

void rt_actor_lookup(rt_reg *r, rt_actor *a, const char *hsa)
{
	sqlite3_stmt *st = NULL;

	memset(a, 0, sizeof *a);
	copy(a->hsa, sizeof a->hsa, hsa);
	if (!hsa || !*hsa)
		return;
	if (sqlite3_prepare_v2(r->db, "SELECT name, role, unit, active FROM "
	                       "users WHERE hsa_id = ?1", -1, &st, NULL)
	    != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, hsa, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		a->known = 1;
		copy(a->name, sizeof a->name, col_text(st, 0));
		copy(a->role, sizeof a->role, col_text(st, 1));
		copy(a->unit, sizeof a->unit, col_text(st, 2));
		a->active = sqlite3_column_int(st, 3);
		a->region_wide = !strcmp(a->unit, r->region);
	}
	sqlite3_finalize(st);
}

int rt_authorize(rt_reg *r, rt_actor *a, const char *hsa, unsigned roles,
                 const char *unit)
{
	char want[64];

	rt_actor_lookup(r, a, hsa);
	if (!hsa || !*hsa)
		return rt_fail(r, ST_ERR, "say who is acting with --as HSA-ID");
	if (!rt_hsa_valid(hsa))
		return rt_fail(r, ST_ERR, "'%.*s' is not an HSA-id (1 to 64 of A-Z, "
		               "a-z, 0-9 and '-')", RT_HSA_MAX, hsa);
	if (!a->known)
		return rt_fail(r, ST_ERR, "unknown user '%s'; an admin adds users "
		               "with 'steg user add'", hsa);
	if (!a->active)
		return rt_fail(r, ST_ERR, "user '%s' is deactivated and can do "
		               "nothing", hsa);
	if (!(role_bit(a->role) & roles)) {
		roles_text(want, sizeof want, roles);
		return rt_fail(r, ST_ERR, "user '%s' is %s %s; this takes %s", hsa,
		               a->role[0] == 'a' ? "an" : "a", a->role, want);
	}
	if (unit && !a->region_wide && strcmp(unit, a->unit))
		return rt_fail(r, ST_ERR, "user '%s' works at unit '%s', not at "
		               "'%s'", hsa, a->unit, unit);
	return ST_OK;
}

/* ---- the audit log ----------------------------------------------------- */

static void canon_field(st_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	st_buf_printf(b, "%zu:", n);
	if (n)
		st_buf_add(b, s, n);
	st_buf_addc(b, '\n');
}

/* The hash of one row, from the row before's hash and this row's fields. */
static void row_hash(char out[65], const char *prev, long long seq,
                     const char *const f[8])
{
	st_buf b;
	char num[32];
	st_buf_init(&b);
	canon_field(&b, prev);
	snprintf(num, sizeof num, "%lld", seq);
	canon_field(&b, num);
	for (int i = 0; i < 8; i++)
		canon_field(&b, f[i]);
	st_sha256_hex(b.data, b.len, out);
	st_buf_release(&b);
}

int rt_audit(rt_reg *r, const rt_actor *a, const char *unit,
             const char *action, const char *object, const char *outcome,
             const char *detail)
{
	sqlite3_stmt *st = NULL;
	char now[32], prev[65], hash[65];
	long long seq = 1;
	int rc = ST_OK;
	const char *f[8];

	if (!r->in_tx)
		return rt_fail(r, ST_EIO, "internal error: audit outside a "
		               "transaction");
	copy(prev, sizeof prev, ZERO_HASH);
	if (sqlite3_prepare_v2(r->db, "SELECT seq, hash FROM audit ORDER BY seq "
	                       "DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the audit log");
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		seq = sqlite3_column_int64(st, 0) + 1;
		copy(prev, sizeof prev, col_text(st, 1));
		break;
	case SQLITE_DONE:
		break;
	default:
		rc = rt_dbfail(r, "cannot read the audit log");
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc)
		return rc;

	rt_now(now);
	f[0] = now;
	f[1] = a ? a->hsa : "";
	f[2] = a ? a->role : "";
	f[3] = unit ? unit : a ? a->unit : "";
	f[4] = action ? action : "";
	f[5] = object ? object : "";
	f[6] = outcome ? outcome : "error";
	f[7] = detail ? detail : "";
	row_hash(hash, prev, seq, f);

	if (sqlite3_prepare_v2(r->db, "INSERT INTO audit (seq, time, actor, "
	                       "role, unit, action, object, outcome, detail, "
	                       "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                       "?7, ?8, ?9, ?10, ?11)", -1, &st, NULL)
	    != SQLITE_OK)
		return rt_dbfail(r, "cannot write the audit log");
	sqlite3_bind_int64(st, 1, seq);
	for (int i = 0; i < 8; i++)
		sqlite3_bind_text(st, 2 + i, f[i], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 11, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = rt_dbfail(r, "cannot write the audit log");
	sqlite3_finalize(st);
	return rc;
}

int rt_refuse(rt_reg *r, const rt_actor *a, const char *unit,
              const char *action, const char *object, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof r->err];
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rt_rollback(r);
	/* The refusal's own row; if even that fails, the refusal stands and
	 * the user hears about both. */
	if ((rc = rt_begin(r)) == ST_OK &&
	    (rc = rt_audit(r, a, unit, action, object, "refused", msg)) == ST_OK)
		rc = rt_commit(r);
	if (rc != ST_OK) {
		char why[sizeof r->err];
		copy(why, sizeof why, r->err);
		rt_rollback(r);
		rt_fail(r, ST_ERR, "%s (and the refusal could not be audited: %s)",
		        msg, why);
		return ST_ERR;
	}
	copy(r->err, sizeof r->err, msg);
	return ST_ERR;
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
	return code;
}

int rt_audit_check(rt_reg *r, long long *nrows, long long *bad_seq)
{
	sqlite3_stmt *st = NULL;
	char prev[65], hash[65];
	long long want = 1;
	int rc = ST_OK, step;

	*nrows = 0;
	*bad_seq = 0;
	copy(prev, sizeof prev, ZERO_HASH);
	if (sqlite3_prepare_v2(r->db, "SELECT seq, time, actor, role, unit, "
	                       "action, object, outcome, detail, prev_hash, hash "
	                       "FROM audit ORDER BY seq", -1, &st, NULL)
	    != SQLITE_OK)
		return rt_dbfail(r, "cannot read the audit log");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		const char *f[8];
		for (int i = 0; i < 8; i++)
			f[i] = col_text(st, 1 + i);
		if (seq != want) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: row "
			             "%lld is missing", seq, want);
			break;
		}
		if (strcmp(col_text(st, 9), prev)) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: its "
			             "prev_hash is not the hash of row %lld", seq,
			             seq - 1);
			break;
		}
		row_hash(hash, prev, seq, f);
		if (strcmp(col_text(st, 10), hash)) {
			*bad_seq = seq;
			rc = rt_fail(r, ST_ERR, "audit log broken at row %lld: the row "
			             "does not match its hash (changed after it was "
			             "written)", seq);
			break;
		}
		copy(prev, sizeof prev, hash);
		want++;
		(*nrows)++;
	}
	if (rc == ST_OK && step != SQLITE_DONE)
		rc = rt_dbfail(r, "cannot read the audit log");
	sqlite3_finalize(st);
	return rc;
}

/* ---- helpers ---------------------------------------------------------- */

int rt_exec(rt_reg *r, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st = NULL;
	int rc = ST_OK;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot prepare a statement");
	for (int i = 0; i < n; i++) {
		if (p[i])
			sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, i + 1);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot write the registry");
		if ((sqlite3_extended_errcode(r->db) & 0xff) == SQLITE_CONSTRAINT)
			rc = ST_ERR;
	}
	sqlite3_finalize(st);
	return rc;
}

int rt_org_kind(rt_reg *r, const char *hsa, char kind[16])
{
	sqlite3_stmt *st = NULL;
	int rc;
	kind[0] = '\0';
	if (sqlite3_prepare_v2(r->db, "SELECT kind FROM organisations WHERE "
	                       "hsa_id = ?1", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the organisations");
	sqlite3_bind_text(st, 1, hsa, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy(kind, 16, col_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the organisations");
	return ST_OK;
}

/* ---- trusted keys ------------------------------------------------------ */

int rt_trusted_key_find(rt_reg *r, const char *keyid_hex, char **region,
                        char **pubkey_b64)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*region = *pubkey_b64 = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT region, pubkey FROM trusted_keys "
	                       "WHERE keyid = ?1 AND removed_at IS NULL", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the trusted keys");
	sqlite3_bind_text(st, 1, keyid_hex, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*region = strdup(col_text(st, 0));
		*pubkey_b64 = strdup(col_text(st, 1));
		rc = (*region && *pubkey_b64) ? ST_OK : ST_EIO;
		if (rc) {
			free(*region);
			free(*pubkey_b64);
			*region = *pubkey_b64 = NULL;
			rt_fail(r, ST_EIO, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		rc = ST_ENOENT;
	} else {
		rc = rt_dbfail(r, "cannot read the trusted keys");
	}
	sqlite3_finalize(st);
	return rc;
}

int rt_trusted_key_add(rt_reg *r, const char *region, const char *keyid_hex,
                       const char *pubkey_b64, const char *comment,
                       const char *added_by)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc = ST_OK;

	rt_now(now);
	if (sqlite3_prepare_v2(r->db, "INSERT INTO trusted_keys (region, keyid, "
	                       "pubkey, comment, added_at, added_by) VALUES (?1, "
	                       "?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot write the trusted keys");
	sqlite3_bind_text(st, 1, region, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, keyid_hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, pubkey_b64, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, comment ? comment : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, added_by, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(r->db) == SQLITE_CONSTRAINT_UNIQUE)
			rc = rt_fail(r, ST_ERR, "key '%s' is already trusted",
			             keyid_hex);
		else
			rc = rt_dbfail(r, "cannot write the trusted keys");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- bundles out of the registry ----------------------------------------- */

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int rt_bundle_extract(rt_reg *r, const char *id, const char *version,
                      char **path)
{
	sqlite3_stmt *st = NULL;
	const char *tmp = getenv("TMPDIR");
	char *p = NULL, hex[65];
	int rc = ST_OK, fd = -1, step;

	*path = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT v.bundle_sha256, b.data FROM "
	                       "versions v JOIN blobs b ON b.sha256 = "
	                       "v.bundle_sha256 WHERE v.program = ?1 AND "
	                       "v.version = ?2", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the bundle");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = rt_fail(r, ST_ERR, "%s@%s is not in the registry; see 'steg "
		             "list'", id, version);
		goto done;
	}
	if (step != SQLITE_ROW) {
		rc = rt_dbfail(r, "cannot read the bundle");
		goto done;
	}
	const void *data = sqlite3_column_blob(st, 1);
	size_t len = (size_t)sqlite3_column_bytes(st, 1);
	st_sha256_hex(data ? data : "", len, hex);
	if (strcmp(hex, col_text(st, 0))) {
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
		p = NULL;
		goto done;
	}
	if (write_all(fd, data, len) != 0 || close(fd) != 0) {
		fd = -1;
		rc = rt_fail(r, ST_EIO, "cannot write '%s': %s", p, strerror(errno));
		unlink(p);
		free(p);
		p = NULL;
		goto done;
	}
	fd = -1;
	*path = p;
done:
	if (fd >= 0)
		close(fd);
	sqlite3_finalize(st);
	return rc;
}
