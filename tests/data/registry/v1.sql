-- A registry made by steg with schema version 1 (before the channel tables
-- moved into the numbered migrations): steg init, user add, unit add.
-- t0600 opens it with the current steg and checks that it migrates.
-- sqlite3 .dump does not keep user_version; it is set at the end.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE organisations (  hsa_id     TEXT PRIMARY KEY,  name       TEXT NOT NULL,  kind       TEXT NOT NULL CHECK (kind IN ('region', 'unit')),  region     TEXT REFERENCES organisations(hsa_id),  created_at TEXT NOT NULL,  created_by TEXT NOT NULL,  CHECK ((kind = 'region') = (region IS NULL))) STRICT;
INSERT INTO organisations VALUES('SE2321000016-0001','Region Testland','region',NULL,'2026-11-23T10:45:59Z','SE2321000016-A001');
INSERT INTO organisations VALUES('SE2321000016-U001','Enhet 1','unit','SE2321000016-0001','2026-11-23T10:45:59Z','SE2321000016-A001');
CREATE TABLE users (  hsa_id         TEXT PRIMARY KEY,  name           TEXT NOT NULL,  role           TEXT NOT NULL                 CHECK (role IN ('admin', 'publisher', 'clinician')),  unit           TEXT NOT NULL REFERENCES organisations(hsa_id),  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),  created_at     TEXT NOT NULL,  created_by     TEXT NOT NULL,  deactivated_at TEXT,  deactivated_by TEXT) STRICT;
INSERT INTO users VALUES('SE2321000016-A001','SE2321000016-A001','admin','SE2321000016-0001',1,'2026-11-23T10:45:59Z','SE2321000016-A001',NULL,NULL);
INSERT INTO users VALUES('SE2321000016-P001','Pia Publicist','publisher','SE2321000016-0001',1,'2026-11-23T10:45:59Z','SE2321000016-A001',NULL,NULL);
CREATE TABLE blobs (  sha256 TEXT PRIMARY KEY,  size   INTEGER NOT NULL,  data   BLOB NOT NULL) STRICT;
CREATE TABLE programs (  id          TEXT PRIMARY KEY,  imported_at TEXT NOT NULL) STRICT;
CREATE TABLE versions (  program       TEXT NOT NULL REFERENCES programs(id),  version       TEXT NOT NULL,  major         INTEGER NOT NULL,  minor         INTEGER NOT NULL,  patch         INTEGER NOT NULL,  title         TEXT NOT NULL,  kind          TEXT NOT NULL,  language      TEXT NOT NULL,  producer_id   TEXT NOT NULL,  producer_name TEXT NOT NULL,  compiler      TEXT NOT NULL,  modules       INTEGER NOT NULL,  forms         INTEGER NOT NULL,  bundle_sha256 TEXT NOT NULL REFERENCES blobs(sha256),  size          INTEGER NOT NULL,  signed_by     TEXT,  keyid         TEXT,  imported_at   TEXT NOT NULL,  imported_by   TEXT NOT NULL REFERENCES users(hsa_id),  approved_at   TEXT,  approved_by   TEXT REFERENCES users(hsa_id),  retired_at    TEXT,  retired_by    TEXT REFERENCES users(hsa_id),  PRIMARY KEY (program, version)) STRICT;
CREATE TABLE publications (  id           INTEGER PRIMARY KEY,  program      TEXT NOT NULL,  version      TEXT NOT NULL,  unit         TEXT NOT NULL REFERENCES organisations(hsa_id),  published_at TEXT NOT NULL,  published_by TEXT NOT NULL REFERENCES users(hsa_id),  withdrawn_at TEXT,  withdrawn_by TEXT REFERENCES users(hsa_id),  FOREIGN KEY (program, version) REFERENCES versions(program, version)) STRICT;
CREATE TABLE activations (  id             INTEGER PRIMARY KEY,  program        TEXT NOT NULL,  version        TEXT NOT NULL,  unit           TEXT NOT NULL REFERENCES organisations(hsa_id),  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),  activated_at   TEXT NOT NULL,  activated_by   TEXT NOT NULL REFERENCES users(hsa_id),  deactivated_at TEXT,  deactivated_by TEXT REFERENCES users(hsa_id),  FOREIGN KEY (program, version) REFERENCES versions(program, version)) STRICT;
CREATE TABLE trusted_keys (  id         INTEGER PRIMARY KEY,  region     TEXT NOT NULL,  keyid      TEXT NOT NULL,  pubkey     TEXT NOT NULL,  comment    TEXT NOT NULL DEFAULT '',  added_at   TEXT NOT NULL,  added_by   TEXT NOT NULL,  removed_at TEXT,  removed_by TEXT) STRICT;
CREATE TABLE audit (  seq       INTEGER PRIMARY KEY,  time      TEXT NOT NULL,  actor     TEXT NOT NULL,  role      TEXT NOT NULL,  unit      TEXT NOT NULL,  action    TEXT NOT NULL,  object    TEXT NOT NULL,  outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),  detail    TEXT NOT NULL,  prev_hash TEXT NOT NULL,  hash      TEXT NOT NULL) STRICT;
INSERT INTO audit VALUES(1,'2026-11-23T10:45:59Z','SE2321000016-A001','admin','SE2321000016-0001','init','SE2321000016-0001','ok','region ''Region Testland'', first admin ''SE2321000016-A001'' (SE2321000016-A001)','0000000000000000000000000000000000000000000000000000000000000000','c80b725ebf0254fc7b1c9e661f585fef2e7b36dfa89c7a26fd4e60390f30ee81');
INSERT INTO audit VALUES(2,'2026-11-23T10:45:59Z','SE2321000016-A001','admin','SE2321000016-0001','user add','SE2321000016-P001','ok','name ''Pia Publicist'', role publisher','c80b725ebf0254fc7b1c9e661f585fef2e7b36dfa89c7a26fd4e60390f30ee81','3be1cf12f22ac59a0ce7fd80ddbc1a9efb762ed9170ab5b3480afc958eaeeabd');
INSERT INTO audit VALUES(3,'2026-11-23T10:45:59Z','SE2321000016-A001','admin','SE2321000016-U001','unit add','SE2321000016-U001','ok','name ''Enhet 1''','3be1cf12f22ac59a0ce7fd80ddbc1a9efb762ed9170ab5b3480afc958eaeeabd','51ced2e520986704376f457e61af23c681c5787f5ee145f72b0abc8daddb0668');
CREATE UNIQUE INDEX one_region ON organisations(kind)  WHERE kind = 'region';
CREATE INDEX user_unit ON users(unit);
CREATE UNIQUE INDEX publication_current  ON publications(program, version, unit) WHERE withdrawn_at IS NULL;
CREATE INDEX publication_unit ON publications(unit);
CREATE UNIQUE INDEX activation_current  ON activations(program, unit) WHERE active = 1;
CREATE INDEX activation_unit ON activations(unit);
CREATE INDEX activation_version ON activations(program, version);
CREATE UNIQUE INDEX trusted_key_current  ON trusted_keys(keyid) WHERE removed_at IS NULL;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
PRAGMA user_version = 1;
COMMIT;
