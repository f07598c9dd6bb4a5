/*
 * db_schema.h — the registry's versioned schema (db_schema.c); used by
 * registry.c when it opens a registry.
 */
#ifndef RT_DB_SCHEMA_H
#define RT_DB_SCHEMA_H

#include <stddef.h>
#include <sqlite3.h>

/* The schema version this steg writes (PRAGMA user_version). */
int rt_schema_version(void);

/* PRAGMA application_id of a steg registry ("STEG"), set by migration
 * step RT_SCHEMA_MARKED; a registry of an older version has 0. */
#define RT_APPLICATION_ID 0x53544547
#define RT_APPLICATION_ID_TEXT "1398031687"
#define RT_SCHEMA_MARKED 3
/* The step that adds the region's policies (runtime/policy.c). */
#define RT_SCHEMA_POLICIES 4

/* Check that the append-only triggers of a registry of schema version
 * `version` are all there, word for word, and that the registry has no
 * other trigger, on any table.  0, ST_ERR with what is wrong in err, or ST_EIO. */
int rt_schema_check_triggers(sqlite3 *db, int version, char *err,
                             size_t errlen);

/* Bring db up to rt_schema_version() in one transaction.  A database
 * without our schema (user_version 0) is set up only when create is set.
 * *from receives the version found.  0, or ST_ERR (newer than we know, not a database)
 * / ST_EIO with the reason in err. */
int rt_schema_migrate(sqlite3 *db, int create, int *from, char *err,
                      size_t errlen);

#endif
