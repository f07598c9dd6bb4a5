/*
 * db_schema.c — the registry's schema and its migrations.
 *
 * The schema is versioned with PRAGMA user_version.  migrations[i] takes a
 * registry from version i to i + 1; on open, every step the file lacks runs
 * inside one BEGIN IMMEDIATE transaction together with the new
 * user_version, so that an interrupted migration leaves the old version
 * whole.  A registry whose user_version is above the last step was made by
 * a newer steg and is refused rather than guessed at.
 *
 * Never edit a step that has shipped: add a new one.  Tables are STRICT so
 * that a wrong type is an error, not a silent conversion; every reference
 * is a foreign key (PRAGMA foreign_keys is on for every connection).
 *
 * The audit log is append-only by the database's own triggers; the hash
 * chain over its rows (registry.c) shows whether anyone went around them,
 * and rt_schema_check_triggers() whether they are still there: every
 * write (registry.c, rt_begin) and every migration checks it first.
 * Bundle bytes live in the database (blobs), content-addressed by SHA-256,
 * so that the registry is one file and one transaction covers both the
 * bytes and the rows that name them (docs/registry.md).
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "util.h"
#include "db_schema.h"

/* The triggers of step 3, as the migration writes them and as SQLite keeps
 * them in sqlite_schema (without the final ';'). */
#define NUL_IN(col) "instr(CAST(NEW." col " AS BLOB), x'00') > 0"
#define TRIGGER_HASHING_NO_UPDATE \
	"CREATE TRIGGER audit_hashing_no_update BEFORE UPDATE ON audit_hashing" \
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
#define TRIGGER_HASHING_NO_DELETE \
	"CREATE TRIGGER audit_hashing_no_delete BEFORE DELETE ON audit_hashing" \
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
#define TRIGGER_AUDIT_NO_NUL \
	"CREATE TRIGGER audit_no_nul BEFORE INSERT ON audit WHEN " \
	NUL_IN("time") " OR " NUL_IN("actor") " OR " NUL_IN("role") " OR " \
	NUL_IN("unit") " OR " NUL_IN("action") " OR " NUL_IN("object") \
	" OR " NUL_IN("outcome") " OR " NUL_IN("detail") " OR " \
	NUL_IN("prev_hash") " OR " NUL_IN("hash") \
	" BEGIN SELECT RAISE(ABORT, 'the audit log takes no NUL byte'); END"

static const char *const migrations[] = {
	/* 0 -> 1: the first schema */
	"CREATE TABLE organisations ("
	"  hsa_id     TEXT PRIMARY KEY,"
	"  name       TEXT NOT NULL,"
	"  kind       TEXT NOT NULL CHECK (kind IN ('region', 'unit')),"
	"  region     TEXT REFERENCES organisations(hsa_id),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  CHECK ((kind = 'region') = (region IS NULL))"
	") STRICT;"
	"CREATE UNIQUE INDEX one_region ON organisations(kind)"
	"  WHERE kind = 'region';"

	"CREATE TABLE users ("
	"  hsa_id         TEXT PRIMARY KEY,"
	"  name           TEXT NOT NULL,"
	"  role           TEXT NOT NULL"
	"                 CHECK (role IN ('admin', 'publisher', 'clinician')),"
	"  unit           TEXT NOT NULL REFERENCES organisations(hsa_id),"
	"  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  created_at     TEXT NOT NULL,"
	"  created_by     TEXT NOT NULL,"
	"  deactivated_at TEXT,"
	"  deactivated_by TEXT"
	") STRICT;"
	"CREATE INDEX user_unit ON users(unit);"

	"CREATE TABLE blobs ("
	"  sha256 TEXT PRIMARY KEY,"
	"  size   INTEGER NOT NULL,"
	"  data   BLOB NOT NULL"
	") STRICT;"

	"CREATE TABLE programs ("
	"  id          TEXT PRIMARY KEY,"
	"  imported_at TEXT NOT NULL"
	") STRICT;"

	"CREATE TABLE versions ("
	"  program       TEXT NOT NULL REFERENCES programs(id),"
	"  version       TEXT NOT NULL,"
	"  major         INTEGER NOT NULL,"
	"  minor         INTEGER NOT NULL,"
	"  patch         INTEGER NOT NULL,"
	"  title         TEXT NOT NULL,"
	"  kind          TEXT NOT NULL,"
	"  language      TEXT NOT NULL,"
	"  producer_id   TEXT NOT NULL,"
	"  producer_name TEXT NOT NULL,"
	"  compiler      TEXT NOT NULL,"
	"  modules       INTEGER NOT NULL,"
	"  forms         INTEGER NOT NULL,"
	"  bundle_sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  size          INTEGER NOT NULL,"
	"  signed_by     TEXT,"
	"  keyid         TEXT,"
	"  imported_at   TEXT NOT NULL,"
	"  imported_by   TEXT NOT NULL REFERENCES users(hsa_id),"
	"  approved_at   TEXT,"
	"  approved_by   TEXT REFERENCES users(hsa_id),"
	"  retired_at    TEXT,"
	"  retired_by    TEXT REFERENCES users(hsa_id),"
	"  PRIMARY KEY (program, version)"
	") STRICT;"

	"CREATE TABLE publications ("
	"  id           INTEGER PRIMARY KEY,"
	"  program      TEXT NOT NULL,"
	"  version      TEXT NOT NULL,"
	"  unit         TEXT NOT NULL REFERENCES organisations(hsa_id),"
	"  published_at TEXT NOT NULL,"
	"  published_by TEXT NOT NULL REFERENCES users(hsa_id),"
	"  withdrawn_at TEXT,"
	"  withdrawn_by TEXT REFERENCES users(hsa_id),"
	"  FOREIGN KEY (program, version) REFERENCES versions(program, version)"
	") STRICT;"
	"CREATE UNIQUE INDEX publication_current"
	"  ON publications(program, version, unit) WHERE withdrawn_at IS NULL;"
	"CREATE INDEX publication_unit ON publications(unit);"

	"CREATE TABLE activations ("
	"  id             INTEGER PRIMARY KEY,"
	"  program        TEXT NOT NULL,"
	"  version        TEXT NOT NULL,"
	"  unit           TEXT NOT NULL REFERENCES organisations(hsa_id),"
	"  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  activated_at   TEXT NOT NULL,"
	"  activated_by   TEXT NOT NULL REFERENCES users(hsa_id),"
	"  deactivated_at TEXT,"
	"  deactivated_by TEXT REFERENCES users(hsa_id),"
	"  FOREIGN KEY (program, version) REFERENCES versions(program, version)"
	") STRICT;"
	"CREATE UNIQUE INDEX activation_current"
	"  ON activations(program, unit) WHERE active = 1;"
	"CREATE INDEX activation_unit ON activations(unit);"
	"CREATE INDEX activation_version ON activations(program, version);"

	"CREATE TABLE trusted_keys ("
	"  id         INTEGER PRIMARY KEY,"
	"  region     TEXT NOT NULL,"
	"  keyid      TEXT NOT NULL,"
	"  pubkey     TEXT NOT NULL,"
	"  comment    TEXT NOT NULL DEFAULT '',"
	"  added_at   TEXT NOT NULL,"
	"  added_by   TEXT NOT NULL,"
	"  removed_at TEXT,"
	"  removed_by TEXT"
	") STRICT;"
	"CREATE UNIQUE INDEX trusted_key_current"
	"  ON trusted_keys(keyid) WHERE removed_at IS NULL;"

	"CREATE TABLE audit ("
	"  seq       INTEGER PRIMARY KEY,"
	"  time      TEXT NOT NULL,"
	"  actor     TEXT NOT NULL,"
	"  role      TEXT NOT NULL,"
	"  unit      TEXT NOT NULL,"
	"  action    TEXT NOT NULL,"
	"  object    TEXT NOT NULL,"
	"  outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),"
	"  detail    TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash      TEXT NOT NULL"
	") STRICT;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

	/* 1 -> 2: the channel state of `steg share` and `steg sync`
	 * (runtime/cmd_channel.c, docs/channels.md).  Before this step
	 * cmd_channel.c created these very tables itself when first needed,
	 * so a version-1 registry may already hold them, with rows: IF NOT
	 * EXISTS keeps those, and the definitions are the same text. */
	"CREATE TABLE IF NOT EXISTS channel_seen ("
	"  region     TEXT PRIMARY KEY,"
	"  sequence   INTEGER NOT NULL,"
	"  expires    TEXT NOT NULL,"
	"  location   TEXT NOT NULL,"
	"  synced_at  TEXT NOT NULL,"
	"  synced_by  TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE IF NOT EXISTS channel_out ("
	"  channel    TEXT PRIMARY KEY,"
	"  sequence   INTEGER NOT NULL,"
	"  updated_at TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE IF NOT EXISTS channel_out_items ("
	"  channel    TEXT NOT NULL REFERENCES channel_out(channel),"
	"  program    TEXT NOT NULL,"
	"  version    TEXT NOT NULL,"
	"  sha256     TEXT NOT NULL,"
	"  size       INTEGER NOT NULL,"
	"  PRIMARY KEY (channel, program, version)"
	") STRICT;",

	/* 2 -> 3: the audit log's second row hash, and the registry's mark.
	 * Rows from audit_hashing.from_seq on are hashed with version 2
	 * (registry.c: every byte of every field, with a tag), the rows before
	 * with version 1 (as written then); from_seq is the row after the last
	 * one at the time of this step (1 in a new registry).  The log takes
	 * no NUL byte in any field, and PRAGMA application_id marks the file as
	 * a steg registry so that steg never writes to another application's
	 * SQLite file (docs/registry.md). */
	"CREATE TABLE audit_hashing ("
	"  from_seq INTEGER PRIMARY KEY,"
	"  version  INTEGER NOT NULL"
	") STRICT;"
	"INSERT INTO audit_hashing (from_seq, version)"
	"  SELECT COALESCE(MAX(seq), 0) + 1, 2 FROM audit;"
	TRIGGER_HASHING_NO_UPDATE ";"
	TRIGGER_HASHING_NO_DELETE ";"
	TRIGGER_AUDIT_NO_NUL ";"
	"PRAGMA application_id = " RT_APPLICATION_ID_TEXT ";",

	/* 3 -> 4: the region's policies (runtime/policy.c, docs/registry.md
	 * "Policies").  No row is a policy that is off: a registry from
	 * before this step keeps the rules it had until its admin decides. */
	"CREATE TABLE policies ("
	"  name   TEXT PRIMARY KEY,"
	"  value  TEXT NOT NULL CHECK (value IN ('on', 'off')),"
	"  set_at TEXT NOT NULL,"
	"  set_by TEXT NOT NULL REFERENCES users(hsa_id)"
	") STRICT;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

/* The triggers that keep the log append-only, from the step that made
 * each.  Step 1's text is copied from that step (which never changes). */
static const struct {
	int since;
	const char *name, *table, *sql;
} triggers[] = {
	{ 1, "audit_no_update", "audit",
	  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END" },
	{ 1, "audit_no_delete", "audit",
	  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	  "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END" },
	{ RT_SCHEMA_MARKED, "audit_hashing_no_update", "audit_hashing",
	  TRIGGER_HASHING_NO_UPDATE },
	{ RT_SCHEMA_MARKED, "audit_hashing_no_delete", "audit_hashing",
	  TRIGGER_HASHING_NO_DELETE },
	{ RT_SCHEMA_MARKED, "audit_no_nul", "audit", TRIGGER_AUDIT_NO_NUL },
};

int rt_schema_version(void)
{
	return NMIGRATIONS;
}

int rt_schema_check_triggers(sqlite3 *db, int version, char *err,
                             size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = ST_OK, step;

	/* Every trigger of the registry, on any table: one on "Audit" is on
	 * the log too (SQLite keeps the table name as it was written), and one
	 * on a state table runs inside every command's transaction. */
	if (sqlite3_prepare_v2(db, "SELECT name, tbl_name, sql FROM "
	                       "sqlite_schema WHERE type = 'trigger' ORDER BY "
	                       "name", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot read the registry's triggers: %s",
		         sqlite3_errmsg(db));
		return ST_EIO;
	}
	/* Every trigger must be one of ours, word for word ... */
	unsigned seen = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *table = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);
		size_t i, n = sizeof triggers / sizeof *triggers;
		for (i = 0; i < n; i++)
			if (triggers[i].since <= version && name &&
			    !strcmp(name, triggers[i].name))
				break;
		if (i == n || !table || strcmp(table, triggers[i].table) || !sql ||
		    strcmp(sql, triggers[i].sql)) {
			snprintf(err, errlen, "the registry's trigger '%.64s' is not "
			         "one steg made", name ? name : "");
			rc = ST_ERR;
			break;
		}
		seen |= 1u << i;
	}
	if (rc == ST_OK && step != SQLITE_DONE) {
		snprintf(err, errlen, "cannot read the registry's triggers: %s",
		         sqlite3_errmsg(db));
		rc = ST_EIO;
	}
	sqlite3_finalize(st);
	/* ... and each of ours there. */
	for (size_t i = 0; rc == ST_OK && i < sizeof triggers / sizeof *triggers;
	     i++)
		if (triggers[i].since <= version && !(seen & (1u << i))) {
			snprintf(err, errlen, "the audit log's trigger '%s' is "
			         "missing, so the log is no longer append-only",
			         triggers[i].name);
			rc = ST_ERR;
		}
	return rc;
}

static int user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int rt_schema_migrate(sqlite3 *db, int create, int *from, char *err,
                      size_t errlen)
{
	int v = 0, rc, in_tx = 0;
	char sql[64];

	*from = 0;
	/* Cheap check first: almost every open finds the schema current and
	 * should not take the write lock. */
	if ((rc = user_version(db, &v)) != SQLITE_OK)
		goto dberr;
	*from = v;
	if (v == NMIGRATIONS)
		return ST_OK;
	if (v == 0 && !create) {
		/* Some other database: never give it our tables uninvited. */
		snprintf(err, errlen, "'%s' is not a steg registry; create one "
		         "with 'steg init'", sqlite3_db_filename(db, "main"));
		return ST_ERR;
	}
	if (v > NMIGRATIONS) {
		snprintf(err, errlen, "the registry has schema version %d but this "
		         "steg knows only up to %d; use a newer steg", v,
		         NMIGRATIONS);
		return ST_ERR;
	}
	if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL))
	    != SQLITE_OK)
		goto dberr;
	in_tx = 1;
	/* Another process may have migrated while we waited for the lock. */
	if ((rc = user_version(db, &v)) != SQLITE_OK)
		goto dberr;
	*from = v;
	if (v > NMIGRATIONS) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		snprintf(err, errlen, "the registry has schema version %d but this "
		         "steg knows only up to %d; use a newer steg", v,
		         NMIGRATIONS);
		return ST_ERR;
	}
	/* A migration is a write: not to a log whose triggers are gone. */
	if (v >= 1) {
		char why[256];
		int trc = rt_schema_check_triggers(db, v, why, sizeof why);
		if (trc != ST_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			snprintf(err, errlen, "refusing to change the registry '%s': "
			         "%s; check it with 'steg audit --check' and restore "
			         "it from a backup", sqlite3_db_filename(db, "main"),
			         why);
			return trc;
		}
	}
	for (; v < NMIGRATIONS; v++)
		if ((rc = sqlite3_exec(db, migrations[v], NULL, NULL, NULL))
		    != SQLITE_OK)
			goto dberr;
	/* PRAGMA takes no bound parameters; the number is ours. */
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", NMIGRATIONS);
	if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		goto dberr;
	if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		goto dberr;
	return ST_OK;

dberr:
	snprintf(err, errlen, "cannot set up the registry schema (version %d): "
	         "%s", v, sqlite3_errmsg(db));
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc == SQLITE_NOTADB ? ST_ERR : ST_EIO;
}
