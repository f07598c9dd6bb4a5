/*
 * channel.h — channels: how a region hands signed bundles to its partners
 * (`steg share`, `steg sync`; docs/channels.md).
 *
 * A channel is a folder, or the same folder served over http or https:
 *
 *   index.json            who publishes here, a sequence number that only
 *                         grows, when it was issued and when it expires,
 *                         and each bundle's id, version, size and SHA-256
 *   index.json.minisig    the publisher's signature of index.json, trusted
 *                         comment "steg kind=index publisher=P sequence=N
 *                         expires=T"
 *   ID-VERSION.steg       the signed bundles, byte for byte as imported
 *
 * The signatures carry the trust, not the transport: sync verifies the
 * index against the registry's trusted keys, refuses a sequence lower than
 * the last one seen from that publisher (rollback), an expired index
 * (freeze) and a bundle whose SHA-256 is not the index's (mix-and-match),
 * and then imports each new bundle, whose own signature import checks.
 */
#ifndef RT_CHANNEL_H
#define RT_CHANNEL_H

#include <stddef.h>

#define RT_CHANNEL_INDEX      "index.json"
#define RT_CHANNEL_INDEX_SIG  "index.json.minisig"
#define RT_CHANNEL_MAX_INDEX  (4u << 20)       /* bytes of index.json */
#define RT_CHANNEL_MAX_SIG    16384u           /* bytes of the .minisig */
#define RT_CHANNEL_MAX_BUNDLE (512ull << 20)   /* one bundle */
#define RT_CHANNEL_MAX_ENTRIES 10000
/* The largest sequence a signed index carries (the trusted comment's 18
 * digits, docs/signatures.md). */
#define RT_CHANNEL_MAX_SEQUENCE 999999999999999999LL
/* How far the folder's own index (signed by the region's key) may be ahead
 * of the registry's record when `steg share` continues its sequence: a
 * registry restored from a backup; more is refused (docs/channels.md). */
#define RT_CHANNEL_MAX_STEP 100000

typedef struct rt_channel_entry {
	char id[128];
	char version[64];
	char sha256[65];
	long long size;
} rt_channel_entry;

typedef struct rt_channel_index {
	char publisher[65];
	long long sequence;
	long long issued;         /* unix time */
	long long expires;        /* unix time */
	rt_channel_entry *entries;  /* malloc'd; sorted by id, then version */
	size_t n;
} rt_channel_index;

/* True for http:// and https:// locations (fetched with libcurl). */
int rt_channel_is_url(const char *location);

/* Read the file name inside the channel at location (a folder or a URL)
 * into *data (malloc'd, NUL-terminated), refusing more than max bytes.
 * Network fetches have connect and transfer time limits, follow at most
 * three redirects, and only to http or https.  When from is not NULL it
 * receives where the bytes came from: the URL after the redirects (or the
 * file's path), cut at fromcap.  Returns 0, ST_ENOENT (no such file, HTTP
 * 404), ST_ETOOBIG, or ST_EIO, with the reason in err. */
int rt_channel_fetch(char **data, size_t *len, char *from, size_t fromcap,
                     const char *location, const char *name, size_t max,
                     char *err, size_t errlen);

/* The bundle's file name in a channel: "ID-VERSION.steg". */
void rt_channel_bundle_name(char *out, size_t cap, const char *id,
                            const char *version);

/* index.json for ix (entries sorted here).  *json is malloc'd.  0 or
 * ST_EIO. */
int rt_channel_index_write(char **json, size_t *len, rt_channel_index *ix);
/* Parse index.json strictly: unknown or missing keys, duplicate keys or
 * entries, bad ids, versions, hashes and times are refused.  0 or ST_ERR
 * with the reason in err. */
int rt_channel_index_parse(rt_channel_index *ix, const char *json,
                           size_t len, char *err, size_t errlen);
void rt_channel_index_release(rt_channel_index *ix);

/* ---- the channels this registry syncs from, and how each last went ---- */

/* What a "sync" audit row's detail says when versions were not taken
 * (cmd_channel.c writes it; rt_channel_syncs reads it as "partial"). */
#define RT_CHANNEL_NOT_TAKEN "; not taken: "

struct rt_reg;

typedef struct rt_channel_sync {
	char location[1024];          /* as sync was given it (DIR or URL) */
	/* The last sync from it that reached the registry (its audit row):
	 * when, by whom, "ok", "partial" (synced, some versions not taken),
	 * "refused" or "error", and the row's detail (what was imported, or
	 * why not). */
	char at[32], by[65], outcome[8];
	char detail[2048];
	char ok_at[32];               /* the last "ok" or "partial"; "" never */
	/* The partner last synced from here (channel_seen): its region, the
	 * index's sequence and expiry; region "" when none. */
	char region[65], expires[32];
	long long sequence;
} rt_channel_sync;

/* Every location sync was run with, by location, each with its last
 * sync: read from the audit log's "sync" rows (every sync that reached
 * the registry wrote one, in the transaction of its change) and
 * channel_seen; the caller holds a read transaction or none.  *out is
 * malloc'd (caller frees), *n its length.  0 or ST_EIO. */
int rt_channel_syncs(struct rt_reg *r, rt_channel_sync **out, size_t *n);

#endif
