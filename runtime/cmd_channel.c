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
#include "db.h"
#include "diag.h"
#include "import.h"
#include "model.h"
#include "registry.h"
#include "sign.h"
#include "trust.h"
#include "util.h"

/* What a failed write says (the database's reason follows). */
#define WRITE "cannot write the registry"

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
	"       steg sync --status\n"
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
	"--status lists every location sync was run with and how its last\n"
	"sync went (ok, partial, refused, error), when it last succeeded and\n"
	"the partner's index sequence and expiry recorded from it.\n"
	"\n"
	"Exit codes: 0 synced, 1 refused, 2 usage, 3 I/O, 4 synced in part:\n"
	"some versions were not taken.\n";

#define DEFAULT_SHARE_DAYS 7

/* What to do when a channel looks half-written or tampered with. */
#define SYNC_AGAIN "the partner may be sharing right now: sync again " \
	"later, and tell the partner if it stays"

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

/* ---- steg share --------------------------------------------------------- */

/* The version's stored bundle: bytes (malloc'd), sha256 and signer ("" when
 * imported unsigned).  ST_ERR when the registry does not hold it. */
static int load_bundle(rt_reg *r, const char *id, const char *version,
                       char **data, size_t *len, char sha[65], char *signer,
                       size_t signer_cap)
{
	rt_version v;
	int rc = rt_version_bundle(r, id, version, data, len, sha);
	if (rc == ST_OK && (rc = rt_version_get(r, id, version, &v)) == ST_OK)
		snprintf(signer, signer_cap, "%s", v.signed_by);
	if (rc == ST_ENOENT)
		rc = rt_fail(r, ST_ERR, "%s@%s is not in the registry (see 'steg "
		             "list')", id, version);
	return rc;
}

/* Entries already shared into channel, plus room for one more, and the
 * region's last sequence. */
static int load_items(rt_reg *r, const char *channel, rt_channel_index *ix,
                      long long *seq)
{
	static const char what[] = "cannot read the channel";
	sqlite3_stmt *st;
	size_t cap = 0;
	int step;

	/* One sequence for the whole region, across its channel folders:
	 * partners remember the last sequence per publisher. */
	if ((step = rt_db_int(r, seq, what, "SELECT coalesce(max(sequence), 0) "
	                      "FROM channel_out", RT_NOARGS)) < 0)
		return step;
	if ((step = rt_db_prepare(r, &st, what, "SELECT program, version, "
	                          "sha256, size FROM channel_out_items WHERE "
	                          "channel = ?1", RT_ARGS(RT_TEXT(channel)))))
		return step;
	while ((step = rt_db_step(r, st, what)) == RT_ROW) {
		if (ix->n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			rt_channel_entry *ne = realloc(ix->entries,
			                               cap * sizeof *ne);
			if (!ne) {
				rt_db_done(r, st);
				return rt_fail(r, ST_EIO, "out of memory");
			}
			ix->entries = ne;
		}
		rt_channel_entry *e = &ix->entries[ix->n++];
		memset(e, 0, sizeof *e);
		rt_col_copy(st, 0, e->id, sizeof e->id);
		rt_col_copy(st, 1, e->version, sizeof e->version);
		rt_col_copy(st, 2, e->sha256, sizeof e->sha256);
		e->size = rt_col_int(st, 3);
	}
	rt_db_done(r, st);
	if (step < 0)
		return step;
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

/* Everything one share works with. */
typedef struct share {
	const char *as;
	char id[128], version[64], object[200], channel[PATH_MAX];
	long days;
	st_seckey *k;
	st_pubkey pk;
	rt_actor who;
	char *data, *json, *sig;   /* the bundle, the new index, its signature */
	size_t len, jlen, siglen;
	char sha[65], signer[256];
	rt_channel_index ix;
	long long seq;
	char ignored[2048];        /* why the folder's own index was not used */
} share;

static int share_abort(rt_reg *r, share *s, int rc)
{
	return rt_abort(r, rc, &s->who, NULL, "share", s->object);
}

/* The key first: a passphrase prompt must not hold the write lock; then
 * the channel folder.  RT_OK, or the exit code after saying why. */
static int share_key_and_folder(share *s, const char *keypath,
                                const char *pass_env, const char *pass_file,
                                int unencrypted, const char *dir)
{
	char err[512];
	int krc = rt_load_seckey(&s->k, keypath, pass_env, pass_file,
	                         unencrypted);
	if (krc != RT_OK)
		return krc;
	st_seckey_public(s->k, &s->pk);
	if (make_dirs(dir, err, sizeof err) != 0) {
		rt_error("cannot create the channel folder '%s': %s", dir, err);
		return RT_IO;
	}
	if (!realpath(dir, s->channel)) {
		rt_error("cannot use the channel folder '%s': %s", dir,
		         strerror(errno));
		return RT_IO;
	}
	return RT_OK;
}

/* Under the lock: who shares, with a key trusted for this region, a
 * signed version the registry holds (into s->data). */
static int share_check(rt_reg *r, share *s)
{
	int rc, trusted;

	if (rt_authorize(r, &s->who, s->as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER,
	                 NULL))
		return rt_refuse(r, &s->who, NULL, "share", s->object, "%s",
		                 rt_reg_errmsg(r));
	if ((rc = rt_trusted_key_of(r, &s->pk, rt_reg_region(r), &trusted)))
		return share_abort(r, s, rc);
	if (!trusted) {
		char hex[17];
		st_keyid_hex(hex, s->pk.keyid);
		return rt_refuse(r, &s->who, NULL, "share", s->object, "key %s is "
		                 "not a trusted key of this region '%s', so "
		                 "partners could not check the index either; trust "
		                 "it with 'steg trust add --region %s'", hex,
		                 rt_reg_region(r), rt_reg_region(r));
	}
	rc = load_bundle(r, s->id, s->version, &s->data, &s->len, s->sha,
	                 s->signer, sizeof s->signer);
	if (rc == ST_ERR)
		return rt_refuse(r, &s->who, NULL, "share", s->object, "%s",
		                 rt_reg_errmsg(r));
	if (rc)
		return share_abort(r, s, rc);
	if (!s->signer[0])
		return rt_refuse(r, &s->who, NULL, "share", s->object, "%s was "
		                 "imported unsigned; partners accept only signed "
		                 "bundles: sign it with 'stegc sign' and import "
		                 "that", s->object);
	return ST_OK;
}

/* The channel's next index: what was shared into it before, this version
 * (added or replaced), the next sequence and a fresh expiry; written and
 * signed into s->json and s->sig. */
static int share_index(rt_reg *r, share *s)
{
	rt_channel_index *ix = &s->ix;
	st_sig_claims c;
	st_diags *d;
	size_t i;
	int rc;

	if ((rc = load_items(r, s->channel, ix, &s->seq)))
		return share_abort(r, s, rc);
	/* The folder's own index may be ahead of us (a restored registry):
	 * the sequence must still grow — but only an index this region
	 * signed counts, and only by so much. */
	rc = next_sequence(r, s->channel, &s->seq, s->ignored,
	                   sizeof s->ignored);
	if (rc == ST_ERR)
		return rt_refuse(r, &s->who, NULL, "share", s->object, "%s",
		                 rt_reg_errmsg(r));
	if (rc)
		return share_abort(r, s, rc);
	for (i = 0; i < ix->n; i++)
		if (!strcmp(ix->entries[i].id, s->id) &&
		    !strcmp(ix->entries[i].version, s->version))
			break;
	rt_channel_entry *e = &ix->entries[i];
	if (i == ix->n)
		ix->n++;
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", s->id);
	snprintf(e->version, sizeof e->version, "%s", s->version);
	snprintf(e->sha256, sizeof e->sha256, "%s", s->sha);
	e->size = (long long)s->len;
	snprintf(ix->publisher, sizeof ix->publisher, "%s", rt_reg_region(r));
	ix->sequence = s->seq;
	ix->issued = (long long)time(NULL);
	ix->expires = ix->issued + (long long)s->days * 86400;
	if (rt_channel_index_write(&s->json, &s->jlen, ix))
		return share_abort(r, s, rt_fail(r, ST_EIO, "out of memory"));

	memset(&c, 0, sizeof c);
	strcpy(c.kind, "index");
	snprintf(c.publisher, sizeof c.publisher, "%s", ix->publisher);
	c.sequence = s->seq;
	c.expires = ix->expires;
	d = st_diags_new();
	rc = st_sign(&s->sig, &s->siglen, d, s->k, s->json, s->jlen, &c);
	if (rc != ST_OK)
		rc = rt_fail_finding(r, rc, d, "cannot sign the index: ",
		                     "out of memory");
	st_diags_free(d);
	return rc ? share_abort(r, s, rc) : ST_OK;
}

/* The files into the folder, then the registry's record of the channel
 * and the "share" row, committed. */
static int share_write(rt_reg *r, share *s)
{
	char fname[256], now[32], exp[21], detail[PATH_MAX + 3072];
	int rc;

	rt_channel_bundle_name(fname, sizeof fname, s->id, s->version);
	/* bundle first, then the index, then its signature: a reader that
	 * comes in between sees a signature that does not match and tries
	 * again later, never an index naming a missing bundle */
	if ((rc = put(r, s->channel, fname, s->data, s->len)) ||
	    (rc = put(r, s->channel, RT_CHANNEL_INDEX, s->json, s->jlen)) ||
	    (rc = put(r, s->channel, RT_CHANNEL_INDEX_SIG, s->sig, s->siglen)))
		return share_abort(r, s, rc);
	rt_now(now);
	if ((rc = rt_db_exec(r, "cannot write the registry", "INSERT INTO "
	                     "channel_out (channel, sequence, updated_at) VALUES "
	                     "(?1, ?2, ?3) ON CONFLICT (channel) DO UPDATE SET "
	                     "sequence = excluded.sequence, updated_at = "
	                     "excluded.updated_at", RT_ARGS(RT_TEXT(s->channel),
	                     RT_INT(s->seq), RT_TEXT(now)))) ||
	    (rc = rt_db_exec(r, "cannot write the registry", "INSERT OR REPLACE "
	                     "INTO channel_out_items (channel, program, version, "
	                     "sha256, size) VALUES (?1, ?2, ?3, ?4, ?5)",
	                     RT_ARGS(RT_TEXT(s->channel), RT_TEXT(s->id),
	                             RT_TEXT(s->version), RT_TEXT(s->sha),
	                             RT_INT((long long)s->len)))))
		return share_abort(r, s, rc);
	st_time_format(exp, s->ix.expires);
	snprintf(detail, sizeof detail, "channel '%s', index sequence %lld, "
	         "expires %s, %zu bundle%s, sha256 %s%s%s", s->channel, s->seq,
	         exp, s->ix.n, s->ix.n == 1 ? "" : "s", s->sha,
	         s->ignored[0] ? "; " : "", s->ignored);
	if ((rc = rt_audit(r, &s->who, NULL, "share", s->object, "ok",
	                   detail)) || (rc = rt_commit(r)))
		return share_abort(r, s, rc);
	if (s->ignored[0])
		fprintf(stderr, "steg: warning: %s\n", s->ignored);
	printf("shared %s to '%s': index sequence %lld, %zu bundle%s, "
	       "expires %s\n", s->object, s->channel, s->seq, s->ix.n,
	       s->ix.n == 1 ? "" : "s", exp);
	return ST_OK;
}

int rt_cmd_share(rt_ctx *ctx, int argc, char **argv)
{
	const char *pos[1], *dir = NULL, *keypath = NULL, *as = NULL,
	           *expires_s = NULL, *pass_env = NULL, *pass_file = NULL;
	int unencrypted = 0, npos, rc;
	st_opt opts[] = {
		ST_VALUE("--channel", &dir),
		ST_VALUE("--key", &keypath),
		ST_VALUE("--as", &as),
		ST_VALUE("--expires", &expires_s),
		ST_VALUE("--passphrase-env", &pass_env),
		ST_VALUE("--passphrase-file", &pass_file),
		ST_FLAG("--unencrypted", &unencrypted),
		{ NULL },
	};
	rt_reg *r = NULL;
	share s;

	memset(&s, 0, sizeof s);
	s.days = DEFAULT_SHARE_DAYS;
	rc = rt_parse(ctx, argc, argv, "share", opts, pos, 1, &npos, share_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (npos != 1 || !dir || !keypath || !as)
		return rt_usage_error("share", "'share' needs ID@VERSION, "
		                      "--channel, --key and --as");
	if (pass_env && pass_file)
		return rt_usage_error("share", "give --passphrase-env or "
		                      "--passphrase-file, not both");
	if (expires_s && parse_days(&s.days, expires_s, 3660) != 0)
		return rt_usage_error("share", "'--expires' takes a number of days "
		                      "from 1 to 3660, not '%s'", expires_s);
	if (rt_channel_is_url(dir))
		return rt_usage_error("share", "'--channel' is a folder; serve the "
		                      "folder over http(s) for partners to sync");
	if (rt_parse_ref(pos[0], s.id, sizeof s.id, s.version, sizeof s.version,
	                 1))
		return RT_USAGE;
	snprintf(s.object, sizeof s.object, "%s@%s", s.id, s.version);
	s.as = as;

	if ((rc = share_key_and_folder(&s, keypath, pass_env, pass_file,
	                               unencrypted, dir)) != RT_OK) {
		st_seckey_free(s.k);
		return rc;
	}
	if ((rc = rt_reg_open(&r, ctx->db, 0)) == ST_OK &&
	    (rc = rt_begin(r)) == ST_OK &&
	    (rc = share_check(r, &s)) == ST_OK &&
	    (rc = share_index(r, &s)) == ST_OK)
		rc = share_write(r, &s);
	st_seckey_free(s.k);
	rt_channel_index_release(&s.ix);
	free(s.data);
	free(s.json);
	free(s.sig);
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
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the channel state", "SELECT "
	                   "sequence, synced_at FROM channel_seen WHERE region = "
	                   "?1", RT_ARGS(RT_TEXT(region)));
	*seq = 0;
	when[0] = 0;
	if (rc == RT_ROW) {
		*seq = rt_col_int(st, 0);
		rt_col_copy(st, 1, when, whencap);
	}
	rt_db_done(r, st);
	return rc < 0 ? rc : ST_OK;
}

/* The stored sha256 of id@version, "" when not imported. */
static int stored_sha(rt_reg *r, const char *id, const char *version,
                      char sha[65])
{
	rt_version v;
	int rc = rt_version_get(r, id, version, &v);
	memcpy(sha, v.sha256, 65);
	return rc == ST_ENOENT ? ST_OK : rc;
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

/* Everything one sync works with. */
typedef struct sync_job {
	const char *as, *location;
	char display[PATH_MAX + 64];   /* the index, for messages */
	char region[RT_HSA_MAX + 1];   /* the partner whose key signed it */
	char ifrom[RT_FROM_MAX], sfrom[RT_FROM_MAX];  /* after redirects */
	char *index, *sig;
	size_t ilen, siglen;
	rt_channel_index ix;
	st_sig_claims c;
	rt_actor who;
	char tmpdir[PATH_MAX];         /* our temporary folder, or "" */
	int tmpfd;                     /* ... held locked, or -1 */
	pending *pend;                 /* the versions not here yet */
	size_t npend, have, nnew, nref;
} sync_job;

static int sync_refuse(rt_reg *r, sync_job *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int sync_refuse(rt_reg *r, sync_job *j, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rt_refuse(r, &j->who, NULL, "sync", j->location, "%s", msg);
}

static int sync_abort(rt_reg *r, sync_job *j, int rc)
{
	return rt_abort(r, rc, &j->who, NULL, "sync", j->location);
}

/* The index and its signature: fetched, verified against the trusted
 * keys (kind=index, not expired), and its JSON what the signature says. */
static int sync_index(rt_reg *r, sync_job *j)
{
	char err[512];
	int rc = rt_channel_fetch(&j->index, &j->ilen, j->ifrom, sizeof j->ifrom,
	                          j->location, RT_CHANNEL_INDEX,
	                          RT_CHANNEL_MAX_INDEX, err, sizeof err);
	if (rc == ST_OK)
		rc = rt_channel_fetch(&j->sig, &j->siglen, j->sfrom,
		                      sizeof j->sfrom, j->location,
		                      RT_CHANNEL_INDEX_SIG, RT_CHANNEL_MAX_SIG, err,
		                      sizeof err);
	if (rc == ST_ENOENT || rc == ST_ETOOBIG || rc == ST_ENOTREG)
		return sync_refuse(r, j, "%s; '%s' is not a signed channel "
		                   "(index.json and index.json.minisig); check the "
		                   "location, or ask the partner to share into it "
		                   "with 'steg share'", err, j->location);
	if (rc)
		return sync_abort(r, j, rt_fail(r, ST_EIO, "%s", err));
	rc = rt_trust_verify(r, &j->c, j->region, j->display, "index", j->index,
	                     j->ilen, j->sig, j->siglen);
	if (rc == ST_ERR)
		return sync_refuse(r, j, "refusing the channel index: %s",
		                   rt_reg_errmsg(r));
	if (rc)
		return sync_abort(r, j, rc);
	if (rt_channel_index_parse(&j->ix, j->index, j->ilen, err, sizeof err))
		return sync_refuse(r, j, "refusing the channel index: %s; it is "
		                   "not an index 'steg share' writes: tell the "
		                   "partner", err);
	if (strcmp(j->ix.publisher, j->c.publisher) ||
	    j->ix.sequence != j->c.sequence || j->ix.expires != j->c.expires)
		return sync_refuse(r, j, "refusing the channel index: its "
		                   "publisher, sequence or expiry differs from what "
		                   "its signature says; it was altered after "
		                   "signing: tell the partner, and do not use the "
		                   "channel until it is shared again");
	return ST_OK;
}

/* Rollback: the index must not be older than the last one seen from its
 * publisher.  again: what to do when it is (the end of the message). */
static int sync_not_older(rt_reg *r, sync_job *j, const char *again)
{
	char when[32];
	long long last;
	int rc;

	if ((rc = last_seen(r, j->region, &last, when, sizeof when)))
		return sync_abort(r, j, rc);
	if (j->ix.sequence < last)
		return sync_refuse(r, j, "refusing the channel index: its "
		                   "sequence %lld is older than %lld, the last seen "
		                   "from '%s' (at %s); %s", j->ix.sequence, last,
		                   j->region, when, again);
	return ST_OK;
}

/* A version the registry already holds with other bytes: only it is
 * refused; the cause is what holds it here, which may be no fault of the
 * partner's. */
static int sync_held_otherwise(rt_reg *r, sync_job *j,
                               const rt_channel_entry *e, const char *sha)
{
	char origin[512];
	pending *pd = &j->pend[j->npend++];
	int rc;

	pd->e = e;
	if ((rc = rt_version_origin(r, e->id, e->version, origin,
	                            sizeof origin)) && rc != ST_ENOENT)
		return sync_abort(r, j, rc);
	if ((rc = refuse_one(r, pd, "%s@%s is not taken: the index lists it "
	                     "with sha256 %s, but this registry holds other "
	                     "content under it (sha256 %s, %s); a version never "
	                     "changes: compare the two ('steg show %s@%s'), and "
	                     "tell whoever made the other one to publish new "
	                     "content under a new version", e->id, e->version,
	                     e->sha256, sha, origin, e->id, e->version)))
		return sync_abort(r, j, rc);
	return ST_OK;
}

/* Fetch one new bundle into our temporary folder and check it as `steg
 * import` would (check_bundle).  A bundle that is not what the index
 * says refuses the whole sync. */
static int sync_fetch_one(rt_reg *r, sync_job *j, const rt_channel_entry *e)
{
	char fname[256], bdisp[PATH_MAX + 300], bfrom[RT_FROM_MAX], err[512];
	const char *loc = j->location;
	char *data = NULL;
	size_t len = 0;
	pending *pd;
	int rc;

	rt_channel_bundle_name(fname, sizeof fname, e->id, e->version);
	snprintf(bdisp, sizeof bdisp, "%s%s%s", loc,
	         loc[strlen(loc) - 1] == '/' ? "" : "/", fname);
	rc = rt_channel_fetch(&data, &len, bfrom, sizeof bfrom, loc, fname,
	                      (size_t)e->size, err, sizeof err);
	if (rc == ST_ETOOBIG || rc == ST_ENOENT || rc == ST_ENOTREG) {
		free(data);
		if (rc == ST_ETOOBIG)
			return sync_refuse(r, j, "'%s' is larger than the %lld bytes "
			                   "the signed index gives; " SYNC_AGAIN "; "
			                   "nothing was imported", bdisp, e->size);
		return sync_refuse(r, j, "%s, but the index lists it; "
		                   SYNC_AGAIN "; nothing was imported", err);
	}
	if (rc) {
		free(data);
		return sync_abort(r, j, rt_fail(r, ST_EIO, "%s", err));
	}
	if (!j->tmpdir[0] &&
	    make_tmp(j->tmpdir, sizeof j->tmpdir, &j->tmpfd) != 0) {
		j->tmpdir[0] = 0;
		free(data);
		return sync_abort(r, j, rt_fail(r, ST_EIO, "cannot make a "
		                                "temporary folder: %s",
		                                strerror(errno)));
	}
	pd = &j->pend[j->npend];
	pd->e = e;
	snprintf(pd->from, sizeof pd->from, "%s", bfrom);
	snprintf(pd->path, sizeof pd->path, "%s/%s", j->tmpdir, fname);
	if (write_private(pd->path, data, len) != 0) {
		free(data);
		return sync_abort(r, j, rt_fail(r, ST_EIO, "cannot write '%s': %s",
		                                pd->path, strerror(errno)));
	}
	j->npend++;
	rc = check_bundle(r, &pd->im, e, bdisp, pd->path, data, len);
	free(data);
	if (pd->im.findings)
		fputs(pd->im.findings, stderr);
	if (rc == ST_ERR)
		return sync_refuse(r, j, "%s", rt_reg_errmsg(r));
	return rc ? sync_abort(r, j, rc) : ST_OK;
}

/* Every new bundle, fetched and checked before any is imported. */
static int sync_fetch(rt_reg *r, sync_job *j)
{
	int rc;

	if (!(j->pend = calloc(j->ix.n + 1, sizeof *j->pend)))
		return sync_abort(r, j, rt_fail(r, ST_EIO, "out of memory"));
	for (size_t i = 0; i < j->ix.n; i++) {
		const rt_channel_entry *e = &j->ix.entries[i];
		char sha[65];

		if ((rc = stored_sha(r, e->id, e->version, sha)))
			return sync_abort(r, j, rc);
		if (sha[0] && strcmp(sha, e->sha256))
			rc = sync_held_otherwise(r, j, e, sha);
		else if (sha[0])
			j->have++;
		else
			rc = sync_fetch_one(r, j, e);
		if (rc)
			return rc;
	}
	return ST_OK;
}

/* Inside the transaction: each checked bundle stored with its own
 * "import" row, as a hand import writes it.  A version refused here
 * (imported with other bytes meanwhile, a program id of another producer)
 * writes nothing (a savepoint makes sure of it) and is named in
 * imported's stead in refused. */
static int sync_store(rt_reg *r, sync_job *j, const char *via,
                      st_buf *imported)
{
	st_buf bvia;
	int rc = ST_OK;

	st_buf_init(&bvia);
	for (size_t i = 0; i < j->npend && rc == ST_OK; i++) {
		pending *pd = &j->pend[i];
		char fname[256];
		int already = 0;
		if (pd->refused)
			continue;
		rt_channel_bundle_name(fname, sizeof fname, pd->e->id,
		                       pd->e->version);
		st_buf_release(&bvia);
		st_buf_printf(&bvia, "%s", via);
		note_from(&bvia, j->location, fname, pd->from);
		if (!bvia.data) {
			rc = rt_fail(r, ST_EIO, "out of memory");
			break;
		}
		if ((rc = rt_db_exec(r, WRITE, "SAVEPOINT sync_one", RT_NOARGS)))
			break;
		rc = rt_import_locked(r, &j->who, &pd->im, bvia.data, &already);
		if (rc == ST_ERR) {
			if (!(rc = refuse_one(r, pd, "%s is not taken: %s",
			                      pd->im.object, rt_reg_errmsg(r))) &&
			    !(rc = rt_db_exec(r, WRITE, "ROLLBACK TO sync_one",
			                      RT_NOARGS)))
				rc = rt_db_exec(r, WRITE, "RELEASE sync_one",
				                RT_NOARGS);
			continue;
		}
		if (rc || (rc = rt_db_exec(r, WRITE, "RELEASE sync_one",
		                           RT_NOARGS)))
			break;
		if (already) {       /* imported by hand meanwhile */
			j->have++;
			continue;
		}
		pd->stored = 1;
		j->nnew++;
		st_buf_printf(imported, "%s%s", imported->len ? ", " : "",
		              pd->im.object);
	}
	st_buf_release(&bvia);
	return rc;
}

/* Each version not taken gets its own "refused" import row, in the same
 * transaction as the rest; their names go into refused. */
static int sync_audit_refused(rt_reg *r, sync_job *j, const char *via,
                              st_buf *refused)
{
	for (size_t i = 0; i < j->npend; i++) {
		pending *pd = &j->pend[i];
		char object[200];
		st_buf detail;
		int rc;
		if (!pd->refused)
			continue;
		j->nref++;
		snprintf(object, sizeof object, "%s@%s", pd->e->id,
		         pd->e->version);
		st_buf_printf(refused, "%s%s", refused->len ? ", " : "", object);
		st_buf_init(&detail);
		st_buf_printf(&detail, "%s; %s", pd->refused, via);
		rc = detail.data ? rt_audit(r, &j->who, NULL, "import", object,
		                            "refused", detail.data) :
		     rt_fail(r, ST_EIO, "out of memory");
		st_buf_release(&detail);
		if (rc)
			return rc;
	}
	return ST_OK;
}

/* The index's sequence recorded and the "sync" row written. */
static int sync_record(rt_reg *r, sync_job *j, const st_buf *imported,
                       const st_buf *refused)
{
	char now[32], exp[21];
	st_buf detail;
	int rc;

	rt_now(now);
	st_time_format(exp, j->ix.expires);
	if ((rc = rt_db_exec(r, WRITE, "INSERT INTO channel_seen (region, "
	                     "sequence, expires, location, synced_at, synced_by) "
	                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
	                     "(region) DO UPDATE SET sequence = "
	                     "excluded.sequence, expires = excluded.expires, "
	                     "location = excluded.location, synced_at = "
	                     "excluded.synced_at, synced_by = excluded.synced_by",
	                     RT_ARGS(RT_TEXT(j->region), RT_INT(j->ix.sequence),
	                             RT_TEXT(exp), RT_TEXT(j->location),
	                             RT_TEXT(now), RT_TEXT(j->as)))))
		return rc;
	st_buf_init(&detail);
	st_buf_printf(&detail, "index of '%s', sequence %lld, expires %s",
	              j->region, j->ix.sequence, exp);
	note_from(&detail, j->location, RT_CHANNEL_INDEX, j->ifrom);
	note_from(&detail, j->location, RT_CHANNEL_INDEX_SIG, j->sfrom);
	st_buf_printf(&detail, "; imported %zu: %s; already here %zu%s%s%s",
	              j->nnew, j->nnew ? imported->data : "none", j->have,
	              j->nref ? RT_CHANNEL_NOT_TAKEN : "",
	              j->nref ? refused->data : "",
	              j->nref ? " (see their 'import' rows)" : "");
	rc = detail.data ? rt_audit(r, &j->who, NULL, "sync", j->location, "ok",
	                            detail.data) :
	     rt_fail(r, ST_EIO, "out of memory");
	st_buf_release(&detail);
	return rc;
}

/* One transaction: every new bundle stored, the index's sequence recorded
 * and the "sync" row, then what was done printed.  A crash leaves all of
 * it or none. */
static int sync_commit(rt_reg *r, sync_job *j)
{
	char via[PATH_MAX + 64], exp[21];
	st_buf imported, refused;
	int rc;

	if ((rc = rt_begin(r)))
		return rc;
	if (rt_authorize(r, &j->who, j->as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER,
	                 NULL))
		return sync_refuse(r, j, "%s", rt_reg_errmsg(r));
	/* Another sync may have moved on while we checked. */
	if ((rc = sync_not_older(r, j, "another sync got there first: "
	                         "nothing to do")))
		return rc;
	snprintf(via, sizeof via, "from channel '%s'", j->location);
	st_buf_init(&imported);
	st_buf_init(&refused);
	if ((rc = sync_store(r, j, via, &imported)) ||
	    (rc = sync_audit_refused(r, j, via, &refused)) ||
	    (rc = sync_record(r, j, &imported, &refused)) ||
	    (rc = rt_commit(r))) {
		st_buf_release(&imported);
		st_buf_release(&refused);
		return sync_abort(r, j, rc);
	}
	st_buf_release(&imported);
	st_buf_release(&refused);
	for (size_t i = 0; i < j->npend; i++)
		if (j->pend[i].stored)
			rt_import_print(&j->pend[i].im);
	for (size_t i = 0; i < j->npend; i++)
		if (j->pend[i].refused)
			rt_error("%s", j->pend[i].refused);
	st_time_format(exp, j->ix.expires);
	printf("synced '%s': index sequence %lld of '%s', expires %s; "
	       "%zu new bundle%s imported, %zu already here", j->location,
	       j->ix.sequence, j->region, exp, j->nnew, j->nnew == 1 ? "" : "s",
	       j->have);
	if (j->nref)
		printf("; %zu not taken (exit %d)", j->nref, RT_PARTIAL);
	printf("\n");
	return ST_OK;
}

static void sync_release(sync_job *j)
{
	for (size_t i = 0; i < j->npend; i++) {
		if (j->pend[i].path[0])
			unlink(j->pend[i].path);
		rt_import_release(&j->pend[i].im);
		free(j->pend[i].refused);
	}
	if (j->tmpdir[0])
		rmdir(j->tmpdir);
	if (j->tmpfd >= 0)
		close(j->tmpfd);
	free(j->pend);
	rt_channel_index_release(&j->ix);
	free(j->index);
	free(j->sig);
}

/* steg sync --status: every channel's last sync (rt_channel_syncs). */
static int sync_status(rt_ctx *ctx)
{
	rt_reg *r = NULL;
	rt_channel_sync *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)) == ST_OK)
		rc = rt_channel_syncs(r, &v, &n);
	if (rc == ST_OK && !n)
		printf("no sync has been run; sync a partner's channel with "
		       "'steg sync DIR|URL --as USER'\n");
	for (size_t i = 0; rc == ST_OK && i < n; i++) {
		printf("%s\n  last sync: %s by %s: %s: %s\n  last ok: %s\n",
		       v[i].location, v[i].at, v[i].by, v[i].outcome, v[i].detail,
		       v[i].ok_at[0] ? v[i].ok_at : "never");
		if (v[i].region[0])
			printf("  partner: %s, index sequence %lld, expires %s\n",
			       v[i].region, v[i].sequence, v[i].expires);
	}
	free(v);
	return rt_finish(r, rc);
}

int rt_cmd_sync(rt_ctx *ctx, int argc, char **argv)
{
	const char *pos[1], *as = NULL, *location;
	int status = 0;
	st_opt opts[] = {
		ST_VALUE("--as", &as),
		ST_FLAG("--status", &status),
		{ NULL },
	};
	rt_reg *r = NULL;
	sync_job j;
	int npos, rc;

	memset(&j, 0, sizeof j);
	j.tmpfd = -1;
	rc = rt_parse(ctx, argc, argv, "sync", opts, pos, 1, &npos, sync_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (status && (npos || as))
		return rt_usage_error("sync", "'sync --status' takes neither a "
		                      "location nor --as: it lists every channel");
	if (status)
		return sync_status(ctx);
	if (npos != 1 || !as)
		return rt_usage_error("sync", "'sync' needs DIR or URL, and --as");
	location = pos[0];
	j.as = as;
	j.location = location;
	sweep_tmp();               /* what a killed sync left behind */
	snprintf(j.display, sizeof j.display, "%s%s" RT_CHANNEL_INDEX, location,
	         location[0] && location[strlen(location) - 1] == '/' ? "" : "/");

	if ((rc = rt_reg_open(&r, ctx->db, 0)))
		goto done;
	if (rt_authorize(r, &j.who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER,
	                 NULL)) {
		rc = sync_refuse(r, &j, "%s", rt_reg_errmsg(r));
		goto done;
	}
	/* Everything is checked before anything changes. */
	if ((rc = sync_index(r, &j)) == ST_OK &&
	    (rc = sync_not_older(r, &j, "an old index is being replayed: sync "
	                         "from the partner's own channel, or ask the "
	                         "partner to share again")) == ST_OK &&
	    (rc = sync_fetch(r, &j)) == ST_OK)
		rc = sync_commit(r, &j);
done:
	sync_release(&j);
	rc = rt_finish(r, rc);
	return rc == RT_OK && j.nref ? RT_PARTIAL : rc;
}
