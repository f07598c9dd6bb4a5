/*
 * cmd_channel.c — steg share and steg sync: signed bundles from one region
 * to its partners through a channel (channel.h; docs/channels.md).
 *
 *   steg share ID@VERSION --channel DIR --key KEY --as USER [--expires DAYS]
 *   steg sync DIR|URL --as USER
 *
 * share copies the signed bundle as stored in the registry into DIR and
 * rewrites DIR/index.json with the region's next sequence number (one
 * counter for the region, since partners remember the last sequence per
 * publisher) and a fresh expiry,
 * signed with the region's own key (which the registry must trust for the
 * region, so that a partner can too).  What was shared into which channel
 * and the last sequence are kept in the registry, so that the index never
 * loses a bundle and its sequence never goes back, even if the folder is
 * damaged.  That record is the base of the next sequence; the folder's own
 * index moves it on only when the region's own key signed it, and by at
 * most RT_CHANNEL_MAX_STEP (next_sequence): whoever can write to the
 * folder must not choose the sequence the region signs.
 *
 * sync checks everything before it changes anything: the index's signature
 * against the trusted keys (kind=index, the key's own region as publisher,
 * not expired), the JSON against the trusted comment, the sequence against
 * the last one seen from that publisher, every new bundle's size and
 * SHA-256 against the index and its signature against the trusted keys.
 * Every new bundle also passes every check of `steg import`
 * (rt_import_prepare, import.h) before the lock is taken.  Only then, in
 * one transaction, are the new bundles stored (rt_import_locked: the same
 * rows and "import" audit rows as a hand import), the sequence recorded
 * and the "sync" row written: a crash leaves all of it or none of it
 * (t0725), and running sync again completes the work.
 *
 * A version the registry already holds with other bytes, or whose program
 * id it holds from another producer, is not taken: that one version gets a
 * "refused" import row naming the real cause (where the stored one came
 * from), the rest of the channel is stored in the same transaction, and
 * the exit code is RT_PARTIAL — one squatted version must not freeze a
 * partner's channel.
 *
 * The state lives in three tables (channel_seen, channel_out,
 * channel_out_items) made by the registry's numbered migrations
 * (db_schema.c, step 2; docs/channels.md gives the SQL).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "bundle.h"
#include "channel.h"
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "import.h"
#include "model.h"
#include "registry.h"
#include "sign.h"
#include "trust.h"
#include "util.h"

static const char share_help[] =
	"usage: steg share ID@VERSION --channel DIR --key KEY --as USER\n"
	"                  [--expires DAYS] [--unencrypted]\n"
	"                  [--passphrase-env VAR | --passphrase-file FILE]\n"
	"\n"
	"Put a signed version into the channel folder DIR (created with its\n"
	"parents if missing) as ID-VERSION.steg and rewrite DIR/index.json,\n"
	"signed with KEY (the region's own key, trusted at 'steg init --key'\n"
	"or 'steg trust add'), with the next sequence number and an expiry\n"
	"DAYS from now (default 7).  The sequence is the registry's own; an\n"
	"index found in DIR counts only when the region's key signed it.\n"
	"Serve DIR over http or https, or hand it over as a folder; partners\n"
	"run 'steg sync'.  Share again before the index expires: partners\n"
	"refuse an expired index.\n";

static const char sync_help[] =
	"usage: steg sync DIR|URL --as USER\n"
	"\n"
	"Import what a trusted partner publishes in a channel: the signed\n"
	"index is checked against the trusted keys, refused when expired or\n"
	"older than the last index seen from that partner, and every new\n"
	"bundle must have the size and SHA-256 the index gives and a valid\n"
	"signature.  Nothing is imported unless the index and every bundle\n"
	"hold; then the new bundles and the index's sequence are stored in\n"
	"one transaction.  A version the registry already holds with other\n"
	"bytes, or a program id it holds from another producer, is not taken\n"
	"(named, and written to the audit log); the rest is.\n"
	"\n"
	"Exit codes: 0 synced, 1 refused, 2 usage, 3 I/O, 4 synced in part:\n"
	"some versions were not taken.\n";

#define DEFAULT_SHARE_DAYS 7

/* What to do when a channel looks half-written or tampered with. */
#define SYNC_AGAIN "the partner may be sharing right now: sync again " \
	"later, and tell the partner if it stays"

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : NULL;
}

static int parse_days(long *days, const char *s, long max)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 1 || v > max)
		return -1;
	*days = v;
	return 0;
}

static void print_findings(st_diags *d)
{
	for (size_t i = 0; i < st_diags_count(d); i++)
		rt_error("%s [%s]", st_diags_message(d, i), st_diags_code(d, i));
}

/* ---- steg share --------------------------------------------------------- */

/* The version's stored bundle: bytes (malloc'd), sha256 and signer. */
static int load_bundle(rt_reg *r, const char *id, const char *version,
                       char **data, size_t *len, char sha[65], char *signer,
                       size_t signer_cap)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	*data = NULL;
	*len = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT v.bundle_sha256, b.data, "
	                       "v.signed_by FROM versions v JOIN blobs b ON "
	                       "b.sha256 = v.bundle_sha256 WHERE v.program = ?1 "
	                       "AND v.version = ?2", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the bundle");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = rt_fail(r, ST_ERR, "%s@%s is not in the registry (see 'steg "
		             "list')", id, version);
	} else if (step != SQLITE_ROW) {
		rc = rt_dbfail(r, "cannot read the bundle");
	} else {
		int n = sqlite3_column_bytes(st, 1);
		const void *p = sqlite3_column_blob(st, 1);
		snprintf(sha, 65, "%s", col(st, 0) ? col(st, 0) : "");
		snprintf(signer, signer_cap, "%s", col(st, 2) ? col(st, 2) : "");
		*data = malloc((size_t)n + 1);
		if (!*data) {
			rc = rt_fail(r, ST_EIO, "out of memory");
		} else {
			if (n)
				memcpy(*data, p, (size_t)n);
			*len = (size_t)n;
			rc = ST_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Is pk an active trusted key of region? */
static int key_trusted_for(rt_reg *r, const st_pubkey *pk, const char *region)
{
	sqlite3_stmt *st = NULL;
	char hex[17], b64[ST_PUBKEY_B64_LEN];
	int yes = 0;
	st_keyid_hex(hex, pk->keyid);
	st_pubkey_b64(b64, pk);
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT 1 FROM trusted_keys WHERE "
	                       "keyid = ?1 AND pubkey = ?2 AND region = ?3 AND "
	                       "removed_at IS NULL", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b64, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
		yes = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return yes;
}

/* Entries already shared into channel, plus room for one more, and the
 * region's last sequence. */
static int load_items(rt_reg *r, const char *channel, rt_channel_index *ix,
                      long long *seq)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int step;

	/* One sequence for the whole region, across its channel folders:
	 * partners remember the last sequence per publisher. */
	*seq = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT coalesce(max(sequence), 0) "
	                       "FROM channel_out", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the channel");
	if (sqlite3_step(st) == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT program, version, sha256, "
	                       "size FROM channel_out_items WHERE channel = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the channel");
	sqlite3_bind_text(st, 1, channel, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (ix->n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			rt_channel_entry *ne = realloc(ix->entries,
			                               cap * sizeof *ne);
			if (!ne) {
				sqlite3_finalize(st);
				return rt_fail(r, ST_EIO, "out of memory");
			}
			ix->entries = ne;
		}
		rt_channel_entry *e = &ix->entries[ix->n++];
		memset(e, 0, sizeof *e);
		snprintf(e->id, sizeof e->id, "%s", col(st, 0));
		snprintf(e->version, sizeof e->version, "%s", col(st, 1));
		snprintf(e->sha256, sizeof e->sha256, "%s", col(st, 2));
		e->size = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the channel");
	if (!cap) {
		ix->entries = calloc(1, sizeof *ix->entries);
		if (!ix->entries)
			return rt_fail(r, ST_EIO, "out of memory");
	}
	return ST_OK;
}

/* mkdir -p: the folder and any missing parents (0755). */
static int make_dirs(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	struct stat sb;

	if (!n || n >= sizeof path) {
		snprintf(err, errlen, "%s", n ? "the path is too long" :
		         "the path is empty");
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != 0)
			continue;
		if (path[i - 1] == '/')
			continue;              /* "a//b", or a trailing slash */
		char c = path[i];
		path[i] = 0;
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			if (i == n || !strcmp(path, dir))
				snprintf(err, errlen, "%s", strerror(errno));
			else
				snprintf(err, errlen, "cannot create '%.300s': %s",
				         path, strerror(errno));
			return -1;
		}
		path[i] = c;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "it is not a folder");
		return -1;
	}
	return 0;
}

/* The next sequence of the region's index, from the registry's own record
 * (*seq on entry) and the folder's index.json — which counts only when its
 * signature holds against a key trusted for this very region (anybody who
 * can write to the folder can put an index there) and then may be ahead of
 * the record by at most RT_CHANNEL_MAX_STEP (a registry restored from a
 * backup).  What was ignored, and why, goes into note (for the audit row
 * and a warning).  ST_ERR when no next sequence can be given. */
static int next_sequence(rt_reg *r, const char *channel, long long *seq,
                         char *note, size_t notecap)
{
	char *json = NULL, *sig = NULL, err[512], display[PATH_MAX + 32];
	size_t jlen = 0, siglen = 0;
	rt_channel_index prev;
	st_sig_claims c;
	long long base = *seq;
	int rc = ST_OK, frc;

	note[0] = 0;
	memset(&prev, 0, sizeof prev);
	if (base < 0 || base > RT_CHANNEL_MAX_SEQUENCE)
		return rt_fail(r, ST_ERR, "the region's last index sequence in "
		               "this registry is %lld, which leaves no next one "
		               "(a signed index carries 1 to %lld); the registry "
		               "was altered: restore it from a backup", base,
		               RT_CHANNEL_MAX_SEQUENCE);
	snprintf(display, sizeof display, "%s/" RT_CHANNEL_INDEX, channel);
	frc = rt_channel_fetch(&json, &jlen, NULL, 0, channel, RT_CHANNEL_INDEX,
	                       RT_CHANNEL_MAX_INDEX, err, sizeof err);
	if (frc == ST_ENOENT)
		goto next;                /* a new channel */
	if (frc == ST_OK)
		frc = rt_channel_fetch(&sig, &siglen, NULL, 0, channel,
		                       RT_CHANNEL_INDEX_SIG, RT_CHANNEL_MAX_SIG,
		                       err, sizeof err);
	if (frc != ST_OK) {
		snprintf(note, notecap, "the folder's index was not used: %s",
		         err);
		goto next;
	}
	frc = rt_trust_verify_own(r, &c, display, "index", json, jlen, sig,
	                          siglen);
	if (frc == ST_EIO) {
		rc = frc;
		goto done;
	}
	if (frc != ST_OK) {
		snprintf(note, notecap, "the folder's index was not used: its "
		         "signature does not hold against this region's own "
		         "keys: %s", rt_reg_errmsg(r));
		goto next;
	}
	if (rt_channel_index_parse(&prev, json, jlen, err, sizeof err) ||
	    strcmp(prev.publisher, c.publisher) ||
	    prev.sequence != c.sequence) {
		snprintf(note, notecap, "the folder's index was not used: it "
		         "does not agree with its own signature");
		goto next;
	}
	if (c.sequence > base && c.sequence - base > RT_CHANNEL_MAX_STEP) {
		rc = rt_fail(r, ST_ERR, "'%s' is signed with this region's key "
		             "and has sequence %lld, more than %d beyond %lld, "
		             "the last sequence this registry shared; this "
		             "registry did not share it: find out who else signs "
		             "with the region's key (it may have leaked), and "
		             "share into this folder only when that is clear",
		             display, c.sequence, RT_CHANNEL_MAX_STEP, base);
		goto done;
	}
	if (c.sequence > base)
		base = c.sequence;
next:
	if (base >= RT_CHANNEL_MAX_SEQUENCE) {
		rc = rt_fail(r, ST_ERR, "the region's index sequence has reached "
		             "%lld, the largest a signed index carries; no "
		             "further index can be shared", base);
		goto done;
	}
	*seq = base + 1;
done:
	rt_channel_index_release(&prev);
	free(json);
	free(sig);
	return rc;
}

/* Write a file into the channel atomically. */
static int put(rt_reg *r, const char *dir, const char *name, const void *data,
               size_t len)
{
	char path[PATH_MAX], err[256];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path)
		return rt_fail(r, ST_EIO, "the channel path is too long");
	if (st_write_file_atomic(path, data, len, err, sizeof err) != ST_OK)
		return rt_fail(r, ST_EIO, "cannot write '%s': %s", path, err);
	return ST_OK;
}

int rt_cmd_share(int argc, char **argv)
{
	const char *pos[1], *dir = NULL, *keypath = NULL, *as = NULL,
	           *expires_s = NULL, *pass_env = NULL, *pass_file = NULL;
	int unencrypted = 0, npos, rc;
	rt_opt opts[] = {
		{ "--channel", RT_OPT_VALUE, &dir, NULL },
		{ "--key", RT_OPT_VALUE, &keypath, NULL },
		{ "--as", RT_OPT_VALUE, &as, NULL },
		{ "--expires", RT_OPT_VALUE, &expires_s, NULL },
		{ "--passphrase-env", RT_OPT_VALUE, &pass_env, NULL },
		{ "--passphrase-file", RT_OPT_VALUE, &pass_file, NULL },
		{ "--unencrypted", RT_OPT_FLAG, NULL, &unencrypted },
		{ NULL, 0, NULL, NULL },
	};
	char id[128], version[64], object[200], channel[PATH_MAX];
	char sha[65], signer[RT_HSA_MAX + 1], now[32], detail[PATH_MAX + 3072];
	char ignored[2048];
	char *data = NULL, *json = NULL, *sig = NULL;
	size_t len = 0, jlen = 0, siglen = 0;
	long days = DEFAULT_SHARE_DAYS;
	rt_reg *r = NULL;
	rt_actor who;
	st_seckey *k = NULL;
	st_pubkey pk;
	rt_channel_index ix;
	long long seq = 0;
	char fname[256], err[512];

	memset(&ix, 0, sizeof ix);
	ignored[0] = 0;
	rc = rt_parse(argc, argv, "share", opts, pos, 1, &npos, share_help);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if (npos != 1 || !dir || !keypath || !as)
		return rt_usage_error("share", "'share' needs ID@VERSION, "
		                      "--channel, --key and --as");
	if (pass_env && pass_file)
		return rt_usage_error("share", "give --passphrase-env or "
		                      "--passphrase-file, not both");
	if (expires_s && parse_days(&days, expires_s, 3660) != 0)
		return rt_usage_error("share", "'--expires' takes a number of days "
		                      "from 1 to 3660, not '%s'", expires_s);
	if (rt_channel_is_url(dir))
		return rt_usage_error("share", "'--channel' is a folder; serve the "
		                      "folder over http(s) for partners to sync");
	if (rt_parse_ref(pos[0], id, sizeof id, version, sizeof version, 1))
		return RT_USAGE;
	snprintf(object, sizeof object, "%s@%s", id, version);

	/* The key first: a passphrase prompt must not hold the write lock. */
	{
		st_diags *d = st_diags_new();
		int krc = st_seckey_load(&k, d, keypath, pass_env, pass_file,
		                         unencrypted);
		if (krc != ST_OK) {
			print_findings(d);
			st_diags_free(d);
			return krc == ST_ERR ? RT_REFUSED : RT_IO;
		}
		rt_print_findings(d);   /* warnings: a key open to all */
		st_diags_free(d);
		st_seckey_public(k, &pk);
	}
	if (make_dirs(dir, err, sizeof err) != 0) {
		rt_error("cannot create the channel folder '%s': %s", dir, err);
		st_seckey_free(k);
		return RT_IO;
	}
	if (!realpath(dir, channel)) {
		rt_error("cannot use the channel folder '%s': %s", dir,
		         strerror(errno));
		st_seckey_free(k);
		return RT_IO;
	}

	if ((rc = rt_reg_open(&r, NULL, 0)) || (rc = rt_begin(r)))
		goto done;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)) {
		rc = rt_refuse(r, &who, NULL, "share", object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	if (!key_trusted_for(r, &pk, rt_reg_region(r))) {
		char hex[17];
		st_keyid_hex(hex, pk.keyid);
		rc = rt_refuse(r, &who, NULL, "share", object, "key %s is not a "
		               "trusted key of this region '%s', so partners could "
		               "not check the index either; trust it with 'steg "
		               "trust add --region %s'", hex, rt_reg_region(r),
		               rt_reg_region(r));
		goto done;
	}
	rc = load_bundle(r, id, version, &data, &len, sha, signer, sizeof signer);
	if (rc == ST_ERR) {
		rc = rt_refuse(r, &who, NULL, "share", object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	if (rc)
		goto fail;
	if (!signer[0]) {
		rc = rt_refuse(r, &who, NULL, "share", object, "%s was imported "
		               "unsigned; partners accept only signed bundles: sign "
		               "it with 'stegc sign' and import that", object);
		goto done;
	}
	if ((rc = load_items(r, channel, &ix, &seq)))
		goto fail;
	/* The folder's own index may be ahead of us (a restored registry):
	 * the sequence must still grow — but only an index this region
	 * signed counts, and only by so much. */
	rc = next_sequence(r, channel, &seq, ignored, sizeof ignored);
	if (rc == ST_ERR) {
		rc = rt_refuse(r, &who, NULL, "share", object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	if (rc)
		goto fail;
	{
		size_t i;
		for (i = 0; i < ix.n; i++)
			if (!strcmp(ix.entries[i].id, id) &&
			    !strcmp(ix.entries[i].version, version))
				break;
		rt_channel_entry *e = &ix.entries[i];
		if (i == ix.n)
			ix.n++;
		memset(e, 0, sizeof *e);
		snprintf(e->id, sizeof e->id, "%s", id);
		snprintf(e->version, sizeof e->version, "%s", version);
		snprintf(e->sha256, sizeof e->sha256, "%s", sha);
		e->size = (long long)len;
	}
	snprintf(ix.publisher, sizeof ix.publisher, "%s", rt_reg_region(r));
	ix.sequence = seq;
	ix.issued = (long long)time(NULL);
	ix.expires = ix.issued + (long long)days * 86400;
	if (rt_channel_index_write(&json, &jlen, &ix)) {
		rc = rt_fail(r, ST_EIO, "out of memory");
		goto fail;
	}
	{
		st_sig_claims c;
		st_diags *d = st_diags_new();
		memset(&c, 0, sizeof c);
		strcpy(c.kind, "index");
		snprintf(c.publisher, sizeof c.publisher, "%s", ix.publisher);
		c.sequence = seq;
		c.expires = ix.expires;
		int src = st_sign(&sig, &siglen, d, k, json, jlen, &c);
		if (src != ST_OK) {
			rc = rt_fail(r, src, "cannot sign the index: %s",
			             st_diags_count(d) ? st_diags_message(d, 0) :
			             "out of memory");
			st_diags_free(d);
			goto fail;
		}
		st_diags_free(d);
	}
	rt_channel_bundle_name(fname, sizeof fname, id, version);
	/* bundle first, then the index, then its signature: a reader that
	 * comes in between sees a signature that does not match and tries
	 * again later, never an index naming a missing bundle */
	if ((rc = put(r, channel, fname, data, len)) ||
	    (rc = put(r, channel, RT_CHANNEL_INDEX, json, jlen)) ||
	    (rc = put(r, channel, RT_CHANNEL_INDEX_SIG, sig, siglen)))
		goto fail;
	rt_now(now);
	{
		char seqs[32], sizes[32];
		snprintf(seqs, sizeof seqs, "%lld", seq);
		snprintf(sizes, sizeof sizes, "%zu", len);
		const char *const p1[3] = { channel, seqs, now };
		const char *const p2[5] = { channel, id, version, sha, sizes };
		if ((rc = rt_exec(r, "INSERT INTO channel_out (channel, sequence, "
		                  "updated_at) VALUES (?1, ?2, ?3) ON CONFLICT "
		                  "(channel) DO UPDATE SET sequence = excluded."
		                  "sequence, updated_at = excluded.updated_at", 3,
		                  p1)) ||
		    (rc = rt_exec(r, "INSERT OR REPLACE INTO channel_out_items "
		                  "(channel, program, version, sha256, size) VALUES "
		                  "(?1, ?2, ?3, ?4, CAST(?5 AS INTEGER))", 5, p2)))
			goto fail;
	}
	{
		char exp[21];
		st_time_format(exp, ix.expires);
		snprintf(detail, sizeof detail, "channel '%s', index sequence %lld, "
		         "expires %s, %zu bundle%s, sha256 %s%s%s", channel, seq,
		         exp, ix.n, ix.n == 1 ? "" : "s", sha,
		         ignored[0] ? "; " : "", ignored);
		if ((rc = rt_audit(r, &who, NULL, "share", object, "ok", detail)) ||
		    (rc = rt_commit(r)))
			goto fail;
		if (ignored[0])
			fprintf(stderr, "steg: warning: %s\n", ignored);
		printf("shared %s to '%s': index sequence %lld, %zu bundle%s, "
		       "expires %s\n", object, channel, seq, ix.n,
		       ix.n == 1 ? "" : "s", exp);
	}
	goto done;
fail:
	rc = rt_abort(r, rc, &who, NULL, "share", object);
done:
	st_seckey_free(k);
	rt_channel_index_release(&ix);
	free(data);
	free(json);
	free(sig);
	return rt_finish(r, rc);
}

/* ---- steg sync ------------------------------------------------------------ */

/* How much of an address after redirects is recorded. */
#define RT_FROM_MAX 1024

/* ", NAME fetched from 'FROM'" when FROM is not where NAME was asked for
 * in the channel at location (a redirect): the audit log records where
 * the bytes really came from. */
static void note_from(st_buf *b, const char *location, const char *name,
                      const char *from)
{
	size_t ll = strlen(location);
	int slash = ll && location[ll - 1] == '/';
	if (!from[0] || (!strncmp(from, location, ll) &&
	                 (slash || from[ll] == '/') &&
	                 !strcmp(from + ll + !slash, name)))
		return;
	st_buf_printf(b, ", %s fetched from '%s'", name, from);
}

typedef struct pending {
	const rt_channel_entry *e;
	char path[PATH_MAX];       /* the verified bytes, in our temp folder;
	                              "" when not fetched */
	rt_import im;              /* checked, ready to store */
	char from[RT_FROM_MAX];    /* where it was fetched (after redirects) */
	char *refused;             /* why this version is not taken (malloc'd),
	                              or NULL */
	int stored;                /* stored by this sync */
} pending;

/* A version of the channel that is not taken: the rest of the channel is
 * (docs/channels.md).  ST_OK, or ST_EIO when out of memory. */
static int refuse_one(rt_reg *r, pending *pd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse_one(rt_reg *r, pending *pd, const char *fmt, ...)
{
	va_list ap;
	st_buf b;
	st_buf_init(&b);
	va_start(ap, fmt);
	st_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	st_buf_add(&b, "", 0);
	free(pd->refused);
	pd->refused = st_buf_detach(&b, NULL);
	st_buf_release(&b);
	return pd->refused ? ST_OK : rt_fail(r, ST_EIO, "out of memory");
}

/* The bundles a sync downloads wait in "$TMPDIR/steg-sync.PID.XXXXXX"
 * (0700), which the sync holds locked (flock) while it runs and removes
 * when it ends.  A sync that was killed leaves its folder behind; the next
 * sync removes every such folder of this user whose process is gone and
 * whose lock is free (sweep_tmp). */
#define SYNC_TMP "steg-sync."

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* Best effort: what cannot be removed stays.  Never follows a link, and
 * removes only files directly inside a folder of ours. */
static void sweep_tmp(void)
{
	DIR *d = opendir(tmp_base());
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		const char *p = n + sizeof SYNC_TMP - 1;
		struct stat sb;
		char *end;
		long pid;
		DIR *sd;
		int fd;

		if (strncmp(n, SYNC_TMP, sizeof SYNC_TMP - 1))
			continue;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || end == p || *end != '.' || pid <= 0 ||
		    pid == (long)getpid())
			continue;
		if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(sb.st_mode) || sb.st_uid != getuid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;          /* its sync may still be running */
		fd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		            O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !(sd = fdopendir(fd))) {
			close(fd);
			continue;
		}
		while ((de = readdir(sd))) {
			struct stat fb;
			if (fstatat(dirfd(sd), de->d_name, &fb,
			            AT_SYMLINK_NOFOLLOW) == 0 &&
			    (S_ISREG(fb.st_mode) || S_ISLNK(fb.st_mode)))
				unlinkat(dirfd(sd), de->d_name, 0);
		}
		closedir(sd);
		unlinkat(dirfd(d), n, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Make our temporary folder and lock it.  0, or -1 with errno. */
static int make_tmp(char *dir, size_t cap, int *fd)
{
	if ((size_t)snprintf(dir, cap, "%s/" SYNC_TMP "%ld.XXXXXX", tmp_base(),
	                     (long)getpid()) >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(dir))
		return -1;
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0 || flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		rmdir(dir);
		errno = e;
		return -1;
	}
	return 0;
}

/* Last sequence seen from region, 0 when none. */
static int last_seen(rt_reg *r, const char *region, long long *seq,
                     char *when, size_t whencap)
{
	sqlite3_stmt *st = NULL;
	*seq = 0;
	when[0] = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT sequence, synced_at FROM "
	                       "channel_seen WHERE region = ?1", -1, &st, NULL)
	    != SQLITE_OK)
		return rt_dbfail(r, "cannot read the channel state");
	sqlite3_bind_text(st, 1, region, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		snprintf(when, whencap, "%s", col(st, 1) ? col(st, 1) : "");
	}
	sqlite3_finalize(st);
	return ST_OK;
}

/* The stored sha256 of id@version, "" when not imported. */
static int stored_sha(rt_reg *r, const char *id, const char *version,
                      char sha[65])
{
	sqlite3_stmt *st = NULL;
	sha[0] = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT bundle_sha256 FROM versions "
	                       "WHERE program = ?1 AND version = ?2", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the registry");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(sha, 65, "%s", col(st, 0) ? col(st, 0) : "");
	sqlite3_finalize(st);
	return ST_OK;
}

static int write_private(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wbx");
	int ok;
	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : -1;
}

/* Check one new bundle's bytes: size and hash per the index, then every
 * check of `steg import` (rt_import_prepare into *im: a bundle that opens
 * and checks, a signature that holds against the trusted keys), signed,
 * and naming the id and version the index gives.  Refusals return ST_ERR
 * with the message set. */
static int check_bundle(rt_reg *r, rt_import *im, const rt_channel_entry *e,
                        const char *display, const char *path,
                        const char *data, size_t len)
{
	char sha[65];
	int rc;

	st_sha256_hex(data, len, sha);
	if ((long long)len != e->size || strcmp(sha, e->sha256))
		return rt_fail(r, ST_ERR, "'%s' is not the bundle the signed index "
		               "names: sha256 %s and %zu bytes, the index says %s "
		               "and %lld bytes; " SYNC_AGAIN "; nothing was "
		               "imported", display, sha,
		               len, e->sha256, e->size);
	/* Unsigned is let through here only to be refused below with the
	 * channel's own reason. */
	if ((rc = rt_import_prepare(r, im, path, display, 1)))
		return rc;
	if (strcmp(im->sha256, sha))
		return rt_fail(r, ST_EIO, "'%s' changed while it was checked",
		               display);
	if (!im->signer[0])
		return rt_fail(r, ST_ERR, "'%s' is not signed; a channel carries "
		               "only signed bundles: the partner signs it with "
		               "'stegc sign' and shares it again; nothing was "
		               "imported", display);
	if (strcmp(im->id, e->id) || strcmp(im->version, e->version))
		return rt_fail(r, ST_ERR, "'%s' holds %s@%s signed as %s@%s, but "
		               "the index lists it as %s@%s; tell the partner: "
		               "the channel contradicts itself; nothing was "
		               "imported",
		               display, im->id, im->version, im->id, im->version,
		               e->id, e->version);
	return ST_OK;
}

int rt_cmd_sync(int argc, char **argv)
{
	const char *pos[1], *as = NULL, *location;
	rt_opt opts[] = {
		{ "--as", RT_OPT_VALUE, &as, NULL },
		{ NULL, 0, NULL, NULL },
	};
	char display[PATH_MAX + 64], err[512], region[RT_HSA_MAX + 1];
	char ifrom[RT_FROM_MAX] = "", sfrom[RT_FROM_MAX] = "", bfrom[RT_FROM_MAX];
	char tmpdir[PATH_MAX] = "", when[32], now[32];
	char *index = NULL, *sig = NULL;
	size_t ilen = 0, siglen = 0, npend = 0, have = 0, nnew = 0, nref = 0;
	pending *pend = NULL;
	rt_channel_index ix;
	st_sig_claims c;
	rt_reg *r = NULL;
	rt_actor who;
	long long last;
	int npos, rc, tmpfd = -1;
	st_buf imported, refused, bvia;

	memset(&ix, 0, sizeof ix);
	st_buf_init(&imported);
	st_buf_init(&refused);
	st_buf_init(&bvia);
	rc = rt_parse(argc, argv, "sync", opts, pos, 1, &npos, sync_help);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if (npos != 1 || !as)
		return rt_usage_error("sync", "'sync' needs DIR or URL, and --as");
	location = pos[0];
	sweep_tmp();               /* what a killed sync left behind */
	snprintf(display, sizeof display, "%s%s" RT_CHANNEL_INDEX, location,
	         location[0] && location[strlen(location) - 1] == '/' ? "" : "/");

	if ((rc = rt_reg_open(&r, NULL, 0)))
		goto done;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}

	/* 1. The index and its signature. */
	rc = rt_channel_fetch(&index, &ilen, ifrom, sizeof ifrom, location,
	                      RT_CHANNEL_INDEX, RT_CHANNEL_MAX_INDEX, err,
	                      sizeof err);
	if (rc == ST_OK)
		rc = rt_channel_fetch(&sig, &siglen, sfrom, sizeof sfrom, location,
		                      RT_CHANNEL_INDEX_SIG, RT_CHANNEL_MAX_SIG,
		                      err, sizeof err);
	if (rc == ST_ENOENT || rc == ST_ETOOBIG || rc == ST_ENOTREG) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "%s; '%s' is not a "
		               "signed channel (index.json and index.json.minisig); "
		               "check the location, or ask the partner to share "
		               "into it with 'steg share'", err, location);
		goto done;
	}
	if (rc) {
		rt_fail(r, ST_EIO, "%s", err);
		rc = rt_abort(r, ST_EIO, &who, NULL, "sync", location);
		goto done;
	}
	rc = rt_trust_verify(r, &c, region, display, "index", index, ilen, sig,
	                     siglen);
	if (rc == ST_ERR) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "refusing the "
		               "channel index: %s", rt_reg_errmsg(r));
		goto done;
	}
	if (rc) {
		rc = rt_abort(r, rc, &who, NULL, "sync", location);
		goto done;
	}
	if (rt_channel_index_parse(&ix, index, ilen, err, sizeof err)) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "refusing the "
		               "channel index: %s; it is not an index 'steg share' "
		               "writes: tell the partner", err);
		goto done;
	}
	if (strcmp(ix.publisher, c.publisher) || ix.sequence != c.sequence ||
	    ix.expires != c.expires) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "refusing the "
		               "channel index: its publisher, sequence or expiry "
		               "differs from what its signature says; it was "
		               "altered after signing: tell the partner, and do not "
		               "use the channel until it is shared again");
		goto done;
	}

	/* 2. Rollback. */
	if ((rc = last_seen(r, region, &last, when, sizeof when)))
		goto fail_nowrite;
	if (ix.sequence < last) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "refusing the "
		               "channel index: its sequence %lld is older than %lld, "
		               "the last seen from '%s' (at %s); an old index is "
		               "being replayed: sync from the partner's own "
		               "channel, or ask the partner to share again",
		               ix.sequence, last, region, when);
		goto done;
	}

	/* 3. Every new bundle, fetched and checked before any is imported. */
	pend = calloc(ix.n + 1, sizeof *pend);
	if (!pend) {
		rc = rt_fail(r, ST_EIO, "out of memory");
		goto fail_nowrite;
	}
	for (size_t i = 0; i < ix.n; i++) {
		const rt_channel_entry *e = &ix.entries[i];
		char sha[65], fname[256], bdisp[PATH_MAX + 300];
		char *data = NULL;
		size_t len = 0;

		if ((rc = stored_sha(r, e->id, e->version, sha)))
			goto fail_nowrite;
		if (sha[0]) {
			if (strcmp(sha, e->sha256)) {
				/* Only this version is refused; the cause is what
				 * holds it here, which may be no fault of the
				 * partner's. */
				char origin[512];
				pending *pd = &pend[npend++];
				pd->e = e;
				if ((rc = rt_version_origin(r, e->id, e->version,
				                            origin, sizeof origin)) &&
				    rc != ST_ENOENT)
					goto fail_nowrite;
				if ((rc = refuse_one(r, pd, "%s@%s is not taken: the "
				                     "index lists it with sha256 %s, but "
				                     "this registry holds other content "
				                     "under it (sha256 %s, %s); a version "
				                     "never changes: compare the two "
				                     "('steg show %s@%s'), and tell whoever "
				                     "made the other one to publish new "
				                     "content under a new version",
				                     e->id, e->version, e->sha256, sha,
				                     origin, e->id, e->version)))
					goto fail_nowrite;
				continue;
			}
			have++;
			continue;
		}
		rt_channel_bundle_name(fname, sizeof fname, e->id, e->version);
		snprintf(bdisp, sizeof bdisp, "%s%s%s", location,
		         location[strlen(location) - 1] == '/' ? "" : "/", fname);
		rc = rt_channel_fetch(&data, &len, bfrom, sizeof bfrom, location,
		                      fname, (size_t)e->size, err, sizeof err);
		if (rc == ST_ETOOBIG) {
			free(data);
			rc = rt_refuse(r, &who, NULL, "sync", location, "'%s' is larger "
			               "than the %lld bytes the signed index gives; "
			               SYNC_AGAIN "; nothing was imported", bdisp,
			               e->size);
			goto done;
		}
		if (rc == ST_ENOENT || rc == ST_ENOTREG) {
			free(data);
			rc = rt_refuse(r, &who, NULL, "sync", location, "%s, but the "
			               "index lists it; " SYNC_AGAIN "; nothing was "
			               "imported", err);
			goto done;
		}
		if (rc) {
			free(data);
			rt_fail(r, ST_EIO, "%s", err);
			goto fail_nowrite;
		}
		if (!tmpdir[0]) {
			if (make_tmp(tmpdir, sizeof tmpdir, &tmpfd) != 0) {
				tmpdir[0] = 0;
				free(data);
				rc = rt_fail(r, ST_EIO, "cannot make a temporary folder: "
				             "%s", strerror(errno));
				goto fail_nowrite;
			}
		}
		pending *pd = &pend[npend];
		pd->e = e;
		snprintf(pd->from, sizeof pd->from, "%s", bfrom);
		snprintf(pd->path, sizeof pd->path, "%s/%s", tmpdir, fname);
		if (write_private(pd->path, data, len) != 0) {
			free(data);
			rc = rt_fail(r, ST_EIO, "cannot write '%s': %s", pd->path,
			             strerror(errno));
			goto fail_nowrite;
		}
		npend++;
		rc = check_bundle(r, &pd->im, e, bdisp, pd->path, data, len);
		free(data);
		if (rc == ST_ERR) {
			rc = rt_refuse(r, &who, NULL, "sync", location, "%s",
			               rt_reg_errmsg(r));
			goto done;
		}
		if (rc)
			goto fail_nowrite;
	}

	/* 4. One transaction: every new bundle stored (with its own "import"
	 * audit row, as a hand import writes), the index's sequence recorded
	 * and the "sync" row.  A crash leaves all of it or none. */
	if ((rc = rt_begin(r)))
		goto done;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	/* Another sync may have moved on while we checked. */
	if ((rc = last_seen(r, region, &last, when, sizeof when)))
		goto fail;
	if (ix.sequence < last) {
		rc = rt_refuse(r, &who, NULL, "sync", location, "refusing the "
		               "channel index: its sequence %lld is older than %lld, "
		               "the last seen from '%s' (at %s); another sync got "
		               "there first: nothing to do", ix.sequence, last,
		               region, when);
		goto done;
	}
	{
		char via[PATH_MAX + 64];
		snprintf(via, sizeof via, "from channel '%s'", location);
		for (size_t i = 0; i < npend; i++) {
			pending *pd = &pend[i];
			char fname[256];
			int already = 0;
			if (pd->refused)
				continue;
			rt_channel_bundle_name(fname, sizeof fname, pd->e->id,
			                       pd->e->version);
			st_buf_release(&bvia);
			st_buf_printf(&bvia, "%s", via);
			note_from(&bvia, location, fname, pd->from);
			if (!bvia.data) {
				rc = rt_fail(r, ST_EIO, "out of memory");
				goto fail;
			}
			/* A version refused here (imported with other bytes
			 * meanwhile, a program id of another producer) writes
			 * nothing; the savepoint makes sure of it. */
			if ((rc = rt_exec(r, "SAVEPOINT sync_one", 0, NULL)))
				goto fail;
			rc = rt_import_locked(r, &who, &pd->im, bvia.data,
			                      &already);
			if (rc == ST_ERR) {
				if ((rc = refuse_one(r, pd, "%s is not taken: %s",
				                     pd->im.object,
				                     rt_reg_errmsg(r))) ||
				    (rc = rt_exec(r, "ROLLBACK TO sync_one", 0,
				                  NULL)) ||
				    (rc = rt_exec(r, "RELEASE sync_one", 0, NULL)))
					goto fail;
				continue;
			}
			if (rc)
				goto fail;
			if ((rc = rt_exec(r, "RELEASE sync_one", 0, NULL)))
				goto fail;
			if (already) {       /* imported by hand meanwhile */
				have++;
				continue;
			}
			pd->stored = 1;
			nnew++;
			st_buf_printf(&imported, "%s%s", imported.len ? ", " : "",
			              pd->im.object);
		}
		/* Each version not taken has its own "refused" row, in the
		 * same transaction as the rest. */
		for (size_t i = 0; i < npend; i++) {
			pending *pd = &pend[i];
			char object[200];
			st_buf detail;
			if (!pd->refused)
				continue;
			nref++;
			snprintf(object, sizeof object, "%s@%s", pd->e->id,
			         pd->e->version);
			st_buf_printf(&refused, "%s%s", refused.len ? ", " : "",
			              object);
			st_buf_init(&detail);
			st_buf_printf(&detail, "%s; %s", pd->refused, via);
			rc = detail.data ? rt_audit(r, &who, NULL, "import", object,
			                            "refused", detail.data) :
			     rt_fail(r, ST_EIO, "out of memory");
			st_buf_release(&detail);
			if (rc)
				goto fail;
		}
	}
	rt_now(now);
	{
		char seqs[32], exp[21];
		st_buf detail;
		st_time_format(exp, ix.expires);
		snprintf(seqs, sizeof seqs, "%lld", ix.sequence);
		const char *const p[6] = { region, seqs, exp, location, now, as };
		if ((rc = rt_exec(r, "INSERT INTO channel_seen (region, sequence, "
		                  "expires, location, synced_at, synced_by) VALUES "
		                  "(?1, CAST(?2 AS INTEGER), ?3, ?4, ?5, ?6) ON "
		                  "CONFLICT (region) DO UPDATE SET sequence = "
		                  "excluded.sequence, expires = excluded.expires, "
		                  "location = excluded.location, synced_at = "
		                  "excluded.synced_at, synced_by = "
		                  "excluded.synced_by", 6, p)))
			goto fail;
		st_buf_init(&detail);
		st_buf_printf(&detail, "index of '%s', sequence %lld, expires %s",
		              region, ix.sequence, exp);
		note_from(&detail, location, RT_CHANNEL_INDEX, ifrom);
		note_from(&detail, location, RT_CHANNEL_INDEX_SIG, sfrom);
		st_buf_printf(&detail, "; imported %zu: %s; already here %zu%s%s%s",
		              nnew, nnew ? imported.data : "none", have,
		              nref ? "; not taken: " : "", nref ? refused.data : "",
		              nref ? " (see their 'import' rows)" : "");
		rc = detail.data ? rt_audit(r, &who, NULL, "sync", location, "ok",
		                            detail.data) :
		     rt_fail(r, ST_EIO, "out of memory");
		st_buf_release(&detail);
		if (rc || (rc = rt_commit(r)))
			goto fail;
		for (size_t i = 0; i < npend; i++)
			if (pend[i].stored)
				rt_import_print(&pend[i].im);
		for (size_t i = 0; i < npend; i++)
			if (pend[i].refused)
				rt_error("%s", pend[i].refused);
		printf("synced '%s': index sequence %lld of '%s', expires %s; "
		       "%zu new bundle%s imported, %zu already here", location,
		       ix.sequence, region, exp, nnew, nnew == 1 ? "" : "s",
		       have);
		if (nref)
			printf("; %zu not taken (exit %d)", nref, RT_PARTIAL);
		printf("\n");
	}
	goto done;
fail_nowrite:
fail:
	rc = rt_abort(r, rc, &who, NULL, "sync", location);
done:
	for (size_t i = 0; i < npend; i++) {
		if (pend[i].path[0])
			unlink(pend[i].path);
		rt_import_release(&pend[i].im);
		free(pend[i].refused);
	}
	if (tmpdir[0])
		rmdir(tmpdir);
	if (tmpfd >= 0)
		close(tmpfd);
	free(pend);
	rt_channel_index_release(&ix);
	st_buf_release(&imported);
	st_buf_release(&refused);
	st_buf_release(&bvia);
	free(index);
	free(sig);
	rc = rt_finish(r, rc);
	return rc == RT_OK && nref ? RT_PARTIAL : rc;
}
