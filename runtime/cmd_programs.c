/*
 * cmd_programs.c — the life of a program version in the registry:
 *
 *   import   verify a bundle (every check of `stegc verify`, the
 *            expressions again, the signature against the trusted keys)
 *            and store its bytes and metadata; an id@version never changes
 *   approve  a publisher signs the version off after review
 *   publish / unpublish    make it available to care units, or withdraw it
 *   activate / deactivate  a unit starts or stops offering it to patients
 *   retire   no new activations; nothing already activated changes
 *   list / show            what there is, and which unit runs which version
 *
 * (docs/registry.md.)  Every change is one transaction with
 * its audit row; every refusal is audited on its own and changes nothing
 * else.  Nothing that was ever activated is deleted: withdrawals and
 * deactivations are marked with who and when, and the rows stay.
 *
 * A unit runs at most one version of a program at a time (a partial unique
 * index enforces it): activating another version replaces the running one
 * in the same transaction, and the audit row says which it replaced.
 * Unpublishing a version that is active at the unit is refused until the
 * unit has deactivated it, so that no unit runs what it was not given.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "model.h"
#include "bundle.h"
#include "check.h"
#include "sign.h"
#include "commands.h"
#include "registry.h"
#include "cli.h"
#include "trust.h"
#include "import.h"
#include "policy.h"

/* A bundle must fit in one SQLite blob (SQLITE_MAX_LENGTH, 10^9 bytes). */
#define RT_MAX_BUNDLE (900ll << 20)

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : NULL;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* What the registry knows of one version. */
typedef struct vinfo {
	char title[512];
	char sha256[65];
	char approved_by[RT_HSA_MAX + 1], approved_at[32];
	char retired_by[RT_HSA_MAX + 1], retired_at[32];
} vinfo;

/* Load id@version into *v.  0; ST_ERR when there is no such version (the
 * message says whether the program is unknown or only the version);
 * ST_EIO. */
static int load_version(rt_reg *r, vinfo *v, const char *id,
                        const char *version)
{
	sqlite3_stmt *st = NULL;
	int rc, step;
	st_buf have;

	memset(v, 0, sizeof *v);
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT title, bundle_sha256, "
	                       "approved_by, approved_at, retired_by, retired_at "
	                       "FROM versions WHERE program = ?1 AND version = ?2",
	                       -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the versions");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		snprintf(v->title, sizeof v->title, "%s", nz(col(st, 0)));
		snprintf(v->sha256, sizeof v->sha256, "%s", nz(col(st, 1)));
		snprintf(v->approved_by, sizeof v->approved_by, "%s",
		         nz(col(st, 2)));
		snprintf(v->approved_at, sizeof v->approved_at, "%s",
		         nz(col(st, 3)));
		snprintf(v->retired_by, sizeof v->retired_by, "%s", nz(col(st, 4)));
		snprintf(v->retired_at, sizeof v->retired_at, "%s", nz(col(st, 5)));
	}
	sqlite3_finalize(st);
	if (step == SQLITE_ROW)
		return ST_OK;
	if (step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the versions");

	/* Say what there is instead. */
	st_buf_init(&have);
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT version FROM versions "
	                       "WHERE program = ?1 ORDER BY major, minor, patch, "
	                       "version", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the versions");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW)
		st_buf_printf(&have, "%s%s", have.len ? ", " : "", nz(col(st, 0)));
	sqlite3_finalize(st);
	if (have.len)
		rc = rt_fail(r, ST_ERR, "program '%s' has no version '%s'; it has %s",
		             id, version, have.data);
	else
		rc = rt_fail(r, ST_ERR, "unknown program '%s'; import it with "
		             "'steg import BUNDLE' (see 'steg list')", id);
	st_buf_release(&have);
	return rc;
}

/* ---- steg import -------------------------------------------------------- */

static const char import_help[] =
	"usage: steg import BUNDLE --as HSA-ID [--allow-unsigned]\n"
	"\n"
	"Verify a bundle (.steg) and store it in the registry: every check of\n"
	"'stegc verify', the expressions checked again, and the signature\n"
	"against the registry's trusted keys ('steg trust').  The same bytes\n"
	"again are a no-op; other bytes under an imported ID@VERSION are\n"
	"refused.  Takes an admin or a publisher.\n"
	"\n"
	"  --as HSA-ID        who is importing\n"
	"  --allow-unsigned   accept a bundle without a signature (recorded in\n"
	"                     the audit log); a signature that is there must\n"
	"                     still verify\n";

/* A prepare refusal: show the findings first, keep the message. */
static int prep_refuse(rt_reg *r, st_diags *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int prep_refuse(rt_reg *r, st_diags *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (d && st_diags_count(d)) {
		st_diags_sort(d);
		st_diags_render(d, stderr, ST_FMT_TEXT, 0, "steg");
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rt_fail(r, ST_ERR, "%s", msg);
}

void rt_import_init(rt_import *im)
{
	memset(im, 0, sizeof *im);
}

void rt_import_release(rt_import *im)
{
	if (!im)
		return;
	free(im->id);
	free(im->version);
	free(im->title);
	free(im->kind);
	free(im->language);
	free(im->producer_id);
	free(im->producer_name);
	free(im->compiler);
	free(im->data);
	memset(im, 0, sizeof *im);
}

/* Keep what the registry stores of p. */
static int keep_program(rt_import *im, const st_program *p)
{
	im->id = strdup(nz(p->id));
	im->version = strdup(nz(p->version));
	im->title = strdup(nz(p->title));
	im->kind = strdup(nz(p->kind));
	im->language = strdup(nz(p->language));
	im->producer_id = strdup(nz(p->producer_id));
	im->producer_name = strdup(nz(p->producer_name));
	im->compiler = strdup(nz(p->compiler));
	im->nmodules = p->nmodules;
	im->nforms = p->nforms;
	return im->id && im->version && im->title && im->kind &&
	       im->language && im->producer_id && im->producer_name &&
	       im->compiler ? ST_OK : ST_EIO;
}

static int prepare(rt_reg *r, rt_import *im, st_diags *d, st_bundle **b,
                   st_arena **a, const char *path, const char *display,
                   int allow_unsigned);

/* The claims of a verified bundle signature against the manifest
 * (st_bundle_claims_check, the rule `stegc verify --pubkey` applies).
 * ST_ERR with every finding in the message when they do not hold. */
static int claims_refused(rt_reg *r, st_diags *d, const char *display,
                          const st_sig_claims *c, const st_manifest *m,
                          const char *signer)
{
	size_t first = st_diags_count(d);
	st_buf why;
	int rc;

	if (!st_bundle_claims_check(d, display, c, m->id, m->version,
	                            m->producer_id, (long long)time(NULL)))
		return ST_OK;
	st_buf_init(&why);
	for (size_t i = first; i < st_diags_count(d); i++)
		st_buf_printf(&why, "%s%s [%s]", why.len ? "; " : "",
		              st_diags_message(d, i), st_diags_code(d, i));
	rc = rt_fail(r, ST_ERR, "bundle '%s' is not what its signature says: "
	             "%s; a key trusted for '%s' vouches only for '%s''s own "
	             "programs, under the signed id and version (docs/"
	             "signatures.md): ask '%s' to sign this bundle again with "
	             "'stegc sign'; nothing was imported", display,
	             why.len ? why.data : "", signer, signer, signer);
	st_buf_release(&why);
	return rc;
}

int rt_import_prepare(rt_reg *r, rt_import *im, const char *path,
                      const char *display, int allow_unsigned)
{
	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	st_arena *a = NULL;
	int rc = prepare(r, im, d, &b, &a, path, display ? display : path,
	                 allow_unsigned);
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}

/* An unsigned bundle cannot speak for a partner: when its producer is
 * another region whose key this registry trusts, that region's programs
 * arrive signed, and an unsigned copy would take the partner's program
 * id and versions (docs/registry.md).  ST_ERR then. */
static int unsigned_partner(rt_reg *r, const char *display,
                            const char *producer)
{
	sqlite3_stmt *st = NULL;
	int step;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT 1 FROM trusted_keys WHERE "
	                       "region = ?1 AND removed_at IS NULL", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the trusted keys");
	sqlite3_bind_text(st, 1, producer, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return ST_OK;
	if (step != SQLITE_ROW)
		return rt_dbfail(r, "cannot read the trusted keys");
	return prep_refuse(r, NULL, "bundle '%s' is unsigned but names as "
	                   "producer '%s', a partner region whose key this "
	                   "registry trusts; a partner's programs are imported "
	                   "only with the partner's signature: ask '%s' for the "
	                   "signed bundle; nothing was imported", display,
	                   producer, producer);
}

static int prepare(rt_reg *r, rt_import *im, st_diags *d, st_bundle **b,
                   st_arena **a, const char *path, const char *display,
                   int allow_unsigned)
{
	char ioerr[256];
	const char *sig;
	size_t siglen = 0;
	const st_program *p;
	int rc;

	snprintf(im->object, sizeof im->object, "%s", display);
	/* The bytes we store are the bytes that were verified: hashed here,
	 * and compared with the hash st_bundle_open took while verifying. */
	rc = st_read_file(&im->data, &im->len, path, (size_t)RT_MAX_BUNDLE,
	                  ioerr, sizeof ioerr);
	if (rc == ST_ETOOBIG)
		return rt_fail(r, ST_ERR, "bundle '%s' is larger than %lld MiB, "
		               "the registry's limit; make its media smaller; "
		               "nothing was imported", display,
		               RT_MAX_BUNDLE >> 20);
	if (rc != ST_OK)
		return rt_fail(r, ST_EIO, "cannot read the bundle '%s': %s",
		               display, ioerr);
	st_sha256_hex(im->data, im->len, im->sha256);

	if (!d)
		return rt_fail(r, ST_EIO, "out of memory");
	rc = st_bundle_open(b, d, path);
	if (rc != ST_OK || st_diags_errors(d))
		return prep_refuse(r, d, "bundle '%s' is damaged or unsafe (the "
		                   "findings above say how); get it again from its "
		                   "publisher; nothing was imported", display);
	if (strcmp(st_bundle_sha256(*b), im->sha256))
		return prep_refuse(r, NULL, "bundle '%s' changed while it was "
		                   "being read; try again", display);
	p = st_bundle_program(*b);
	snprintf(im->object, sizeof im->object, "%s@%s", p->id, p->version);
	/* A bundle is never trusted to have been compiled by us: the
	 * expressions, scores, bands and unlock rules are checked again.  The
	 * checker keeps its parse trees in the program, which is the bundle's
	 * own copy and goes with it. */
	*a = st_arena_new();
	if (st_check_program(*a, d, (st_program *)p) > 0 ||
	    st_diags_errors(d))
		return prep_refuse(r, d, "bundle '%s' has a program that does not "
		                   "check (the findings above say where); its "
		                   "publisher fixes the sources and builds a new "
		                   "version; nothing was imported", display);
	if (st_semver_parse(p->version, &im->major, &im->minor, &im->patch))
		return prep_refuse(r, NULL, "bundle '%s' has version '%s', which "
		                   "is not MAJOR.MINOR.PATCH; build it with a "
		                   "semantic version; nothing was imported", display,
		                   p->version);

	sig = st_bundle_signature(*b, &siglen);
	if (!sig && !allow_unsigned)
		return prep_refuse(r, NULL, "bundle '%s' is not signed; import "
		                   "signed bundles, or pass --allow-unsigned to "
		                   "accept this one (it is recorded in the audit "
		                   "log)", display);
	if (sig) {
		st_sig_claims claims;
		size_t mlen = 0;
		const char *man = st_bundle_manifest_xml(*b, &mlen);
		uint8_t kid[8];

		rc = rt_trust_verify(r, &claims, im->signer, display, "bundle", man,
		                     mlen, sig, siglen);
		if (rc == ST_ERR)
			return prep_refuse(r, NULL, "%s; nothing was imported",
			                   rt_reg_errmsg(r));
		if (rc)
			return rc;
		/* Exactly the claims check of `stegc verify --pubkey`: the
		 * signature names this id, version and, as publisher, this
		 * producer — and the publisher is the region the key is trusted
		 * for (rt_trust_verify), so the producer is the signer. */
		if (claims_refused(r, d, display, &claims,
		                   st_bundle_manifest_info(*b), im->signer))
			return ST_ERR;
		if (st_sig_keyid(kid, sig, siglen) == 0)
			st_keyid_hex(im->keyid, kid);
	}
	if (!sig && strcmp(p->producer_id, rt_reg_region(r)) &&
	    (rc = unsigned_partner(r, display, p->producer_id)))
		return rc;
	if (keep_program(im, p) != ST_OK)
		return rt_fail(r, ST_EIO, "out of memory");
	return ST_OK;
}

int rt_version_origin(rt_reg *r, const char *id, const char *version,
                      char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int step;

	out[0] = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT producer_id, imported_by, "
	                       "imported_at, signed_by, keyid FROM versions "
	                       "WHERE program = ?1 AND version = ?2", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the versions");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && col(st, 3))
		snprintf(out, cap, "producer '%s', imported by %s at %s, signed "
		         "by key %s of '%s'", nz(col(st, 0)), nz(col(st, 1)),
		         nz(col(st, 2)), nz(col(st, 4)), col(st, 3));
	else if (step == SQLITE_ROW)
		snprintf(out, cap, "producer '%s', imported unsigned (with "
		         "--allow-unsigned) by %s at %s", nz(col(st, 0)),
		         nz(col(st, 1)), nz(col(st, 2)));
	sqlite3_finalize(st);
	if (step == SQLITE_ROW)
		return ST_OK;
	if (step == SQLITE_DONE)
		return ST_ENOENT;
	return rt_dbfail(r, "cannot read the versions");
}

/* Program ids belong to their producer (docs/registry.md): once the
 * registry holds a version of the id from one producer, a bundle of that
 * id from another is refused.  ST_ERR with the reason, naming the version
 * that holds the id and where it came from. */
static int check_owner(rt_reg *r, const rt_import *im)
{
	sqlite3_stmt *st = NULL;
	char ver[64] = "", origin[512];
	int step, rc;

	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT version FROM versions "
	                       "WHERE program = ?1 AND producer_id IS NOT ?2 "
	                       "ORDER BY imported_at, major, minor, patch "
	                       "LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the versions");
	sqlite3_bind_text(st, 1, im->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im->producer_id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(ver, sizeof ver, "%s", nz(col(st, 0)));
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return ST_OK;
	if (step != SQLITE_ROW)
		return rt_dbfail(r, "cannot read the versions");
	if ((rc = rt_version_origin(r, im->id, ver, origin, sizeof origin)))
		return rc == ST_ENOENT ? rt_fail(r, ST_EIO, "cannot read the "
		                                 "versions") : rc;
	return rt_fail(r, ST_ERR, "program id '%s' belongs to another producer: "
	               "this registry holds %s@%s (%s), and this bundle's "
	               "producer is '%s'; a program id belongs to its producer, "
	               "and a region that adapts a partner's program gives it "
	               "its own id (docs/registry.md)",
	               im->id, im->id, ver, origin, im->producer_id);
}

int rt_import_locked(rt_reg *r, const rt_actor *who, rt_import *im,
                     const char *via, int *already)
{
	const rt_import *p = im;
	sqlite3_stmt *st = NULL;
	char now[32], detail[1536], origin[512];
	vinfo old;
	int rc;

	*already = 0;
	rc = load_version(r, &old, p->id, p->version);
	if (rc == ST_OK) {
		if (!strcmp(old.sha256, im->sha256)) {
			*already = 1;
			return ST_OK;
		}
		if ((rc = rt_version_origin(r, p->id, p->version, origin,
		                            sizeof origin)) && rc != ST_ENOENT)
			return rc;
		return rt_fail(r, ST_ERR, "%s was already imported with other "
		               "content (sha256 %s, %s; this bundle %s); a version "
		               "never changes: build the new content with a new "
		               "version", im->object, old.sha256, origin,
		               im->sha256);
	}
	if (rc != ST_ERR)
		return rc;
	if ((rc = check_owner(r, im)))
		return rc;
	rt_now(now);

	if (sqlite3_prepare_v2(rt_reg_db(r), "INSERT OR IGNORE INTO blobs "
	                       "(sha256, size, data) VALUES (?1, ?2, ?3)", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot store the bundle");
	sqlite3_bind_text(st, 1, im->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)im->len);
	sqlite3_bind_blob64(st, 3, im->data, im->len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot store the bundle");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	{
		const char *const q[2] = { p->id, now };
		if ((rc = rt_exec(r, "INSERT OR IGNORE INTO programs (id, "
		                  "imported_at) VALUES (?1, ?2)", 2, q)))
			goto done;
	}
	if (sqlite3_prepare_v2(rt_reg_db(r), "INSERT INTO versions (program, "
	                       "version, major, minor, patch, title, kind, "
	                       "language, producer_id, producer_name, compiler, "
	                       "modules, forms, bundle_sha256, size, signed_by, "
	                       "keyid, imported_at, imported_by) VALUES (?1, ?2, "
	                       "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	                       "?14, ?15, ?16, ?17, ?18, ?19)", -1, &st, NULL)
	    != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot store the version");
		goto done;
	}
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, im->major);
	sqlite3_bind_int64(st, 4, im->minor);
	sqlite3_bind_int64(st, 5, im->patch);
	sqlite3_bind_text(st, 6, nz(p->title), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, nz(p->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, nz(p->language), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, nz(p->producer_id), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, nz(p->producer_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, nz(p->compiler), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)p->nmodules);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)p->nforms);
	sqlite3_bind_text(st, 14, im->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)im->len);
	if (im->signer[0]) {
		sqlite3_bind_text(st, 16, im->signer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 17, im->keyid, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 18, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 19, who->hsa, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot store the version");
		goto done;
	}

	if (im->signer[0])
		snprintf(detail, sizeof detail, "sha256 %s, %zu bytes, signed by "
		         "key %s of '%s'%s%s", im->sha256, im->len, im->keyid,
		         im->signer, via ? ", " : "", via ? via : "");
	else
		snprintf(detail, sizeof detail, "sha256 %s, %zu bytes, unsigned, "
		         "accepted with --allow-unsigned%s%s", im->sha256, im->len,
		         via ? ", " : "", via ? via : "");
	rc = rt_audit(r, who, NULL, "import", im->object, "ok", detail);
done:
	sqlite3_finalize(st);
	return rc;
}

void rt_import_print(const rt_import *im)
{
	printf("imported %s (%s), %zu bytes, sha256 %s%s%s\n", im->object,
	       nz(im->title), im->len, im->sha256,
	       im->signer[0] ? ", signed by " : ", unsigned", im->signer);
}

static int import_bundle(rt_reg *r, const char *path, const char *as,
                         int allow_unsigned)
{
	rt_actor who;
	rt_import im;
	int rc, already = 0;

	rt_import_init(&im);
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL))
		return rt_refuse(r, &who, NULL, "import", path, "%s",
		                 rt_reg_errmsg(r));
	rc = rt_import_prepare(r, &im, path, NULL, allow_unsigned);
	if (rc == ST_ERR) {
		rc = rt_refuse(r, &who, NULL, "import", im.object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	if (rc)
		goto fail;

	/* Now the write, under the lock; who may act is asked again, since it
	 * may have changed while we verified. */
	if ((rc = rt_begin(r)))
		goto done;
	if (rt_authorize(r, &who, as, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)) {
		rc = rt_refuse(r, &who, NULL, "import", im.object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	rc = rt_import_locked(r, &who, &im, NULL, &already);
	if (rc == ST_ERR) {
		rc = rt_refuse(r, &who, NULL, "import", im.object, "%s",
		               rt_reg_errmsg(r));
		goto done;
	}
	if (rc)
		goto fail;
	if (already) {
		rt_rollback(r);
		printf("%s is already imported with these bytes; nothing "
		       "changed\n", im.object);
		goto done;
	}
	if ((rc = rt_commit(r)))
		goto fail;
	rt_import_print(&im);
	goto done;

fail:
	rc = rt_abort(r, rc, &who, NULL, "import", im.object);
done:
	rt_import_release(&im);
	return rc;
}

int rt_cmd_import(int argc, char **argv)
{
	const char *as = NULL, *pos[1];
	int allow_unsigned = 0, npos, rc;
	rt_opt opts[] = {
		{ "--as", RT_OPT_VALUE, &as, NULL },
		{ "--allow-unsigned", RT_OPT_FLAG, NULL, &allow_unsigned },
		{ NULL, 0, NULL, NULL },
	};
	rt_reg *r = NULL;

	rc = rt_parse(argc, argv, "import", opts, pos, 1, &npos, import_help);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if (npos != 1 || !as)
		return rt_usage_error("import", "'import' needs BUNDLE and --as");
	if ((rc = rt_reg_open(&r, NULL, 0)) == ST_OK)
		rc = import_bundle(r, pos[0], as, allow_unsigned);
	return rt_finish(r, rc);
}

/* ---- the state changes ---------------------------------------------------- */

/* Everything approve, publish, unpublish, activate, deactivate and retire
 * share: the parsed command line and the version it names. */
typedef struct change {
	const char *cmd;            /* "publish" */
	const char *as, *unit;
	int all_units;
	char id[160], version[64], object[240];
	rt_actor who;
	vinfo v;
} change;

static int parse_change(change *c, int argc, char **argv, const char *help,
                        int takes_unit)
{
	const char *pos[1];
	int npos, rc;
	rt_opt opts[] = {
		{ "--as", RT_OPT_VALUE, &c->as, NULL },
		{ "--unit", RT_OPT_VALUE, &c->unit, NULL },
		{ "--all-units", RT_OPT_FLAG, NULL, &c->all_units },
		{ NULL, 0, NULL, NULL },
	};

	if (takes_unit < 2)
		opts[2].name = NULL;        /* --all-units: publish, unpublish */
	if (!takes_unit)
		opts[1].name = NULL;
	rc = rt_parse(argc, argv, c->cmd, opts, pos, 1, &npos, help);
	if (rc)
		return rc < 0 ? -1 : rc;
	if (npos != 1 || !c->as)
		return rt_usage_error(c->cmd, "'%s' needs ID@VERSION and --as",
		                      c->cmd);
	if (takes_unit == 1 && !c->unit)
		return rt_usage_error(c->cmd, "'%s' needs --unit", c->cmd);
	if (takes_unit == 2 && !c->unit == !c->all_units)
		return rt_usage_error(c->cmd, "'%s' needs either --unit UNIT or "
		                      "--all-units", c->cmd);
	if (rt_parse_ref(pos[0], c->id, sizeof c->id, c->version,
	                 sizeof c->version, 1))
		return RT_REFUSED;
	snprintf(c->object, sizeof c->object, "%s@%s", c->id, c->version);
	return 0;
}

/* Begin, authorise, load the version; refusals audited.  unit: the unit
 * the change concerns (NULL: region-wide). */
static int start_change(rt_reg *r, change *c, unsigned roles,
                        const char *unit)
{
	int rc;
	if ((rc = rt_begin(r)))
		return rc;
	if (rt_authorize(r, &c->who, c->as, roles, unit))
		return rt_refuse(r, &c->who, unit, c->cmd, c->object, "%s",
		                 rt_reg_errmsg(r));
	rc = load_version(r, &c->v, c->id, c->version);
	if (rc == ST_ERR)
		return rt_refuse(r, &c->who, unit, c->cmd, c->object, "%s",
		                 rt_reg_errmsg(r));
	if (rc)
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	return ST_OK;
}

static int finish_change(rt_reg *r, change *c, const char *unit,
                         const char *detail)
{
	int rc;
	if ((rc = rt_audit(r, &c->who, unit, c->cmd, c->object, "ok", detail)) ||
	    (rc = rt_commit(r)))
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	return ST_OK;
}

/* A care unit of the region, or a refusal. */
static int need_unit(rt_reg *r, change *c, const char *unit)
{
	char kind[16];
	int rc = rt_org_kind(r, unit, kind);
	if (rc)
		return rt_abort(r, rc, &c->who, unit, c->cmd, c->object);
	if (strcmp(kind, "unit"))
		return rt_refuse(r, &c->who, unit, c->cmd, c->object, "%s '%s'; "
		                 "see 'steg unit list'", kind[0] ? "not a care unit:" :
		                 "unknown unit", unit);
	return ST_OK;
}

/* ---- steg approve ---- */

/* Who imported id@version, copied into by ("" if nobody is recorded). */
static int imported_by(rt_reg *r, const change *c, char by[RT_HSA_MAX + 1])
{
	sqlite3_stmt *st = NULL;
	int step;
	by[0] = '\0';
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT imported_by FROM versions "
	                       "WHERE program = ?1 AND version = ?2", -1, &st,
	                       NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the versions");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->version, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(by, RT_HSA_MAX + 1, "%s", nz(col(st, 0)));
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the versions");
	return ST_OK;
}

static const char approve_help[] =
	"usage: steg approve ID@VERSION --as PUBLISHER\n"
	"\n"
	"Sign a version off after review (utgivare): only approved versions can\n"
	"be published.  The approver and the time are recorded.  An approval\n"
	"holds for the whole region, so it takes a region-wide publisher; with\n"
	"the four-eyes policy on ('steg policy'), not the one who imported it.\n";

int rt_cmd_approve(int argc, char **argv)
{
	change c = { .cmd = "approve" };
	rt_reg *r = NULL;
	char now[32], importer[RT_HSA_MAX + 1], detail[200];
	int rc = parse_change(&c, argc, argv, approve_help, 0), four_eyes;
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if ((rc = rt_reg_open(&r, NULL, 0)))
		goto done;
	if ((rc = start_change(r, &c, RT_ROLE_PUBLISHER, NULL)))
		goto done;
	/* An approval is the region's: every unit may publish and activate
	 * what is approved, so a publisher of one unit cannot give it. */
	if (!c.who.region_wide) {
		rc = rt_refuse(r, &c.who, NULL, c.cmd, c.object, "user '%s' is a "
		               "publisher of unit '%s'; an approval holds for the "
		               "whole region, so only a region-wide publisher "
		               "approves", c.as, c.who.unit);
		goto done;
	}
	if (c.v.retired_at[0]) {
		rc = rt_refuse(r, &c.who, NULL, c.cmd, c.object, "%s is retired "
		               "(%s by '%s'); it cannot be approved", c.object,
		               c.v.retired_at, c.v.retired_by);
		goto done;
	}
	if (c.v.approved_at[0]) {
		rt_rollback(r);
		st_arena *a = st_arena_new();
		printf("%s is already approved (%s by '%s'); nothing changed\n",
		       c.object, rt_esc(a, c.v.approved_at),
		       rt_esc(a, c.v.approved_by));
		st_arena_free(a);
		goto done;
	}
	if ((rc = rt_policy_get(r, RT_POLICY_FOUR_EYES, &four_eyes)) ||
	    (rc = imported_by(r, &c, importer))) {
		rc = rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
		goto done;
	}
	if (four_eyes && !strcmp(importer, c.as)) {
		rc = rt_refuse(r, &c.who, NULL, c.cmd, c.object, "'%s' imported %s "
		               "and the region requires four-eyes approval; another "
		               "region-wide publisher approves it", c.as, c.object);
		goto done;
	}
	rt_now(now);
	{
		const char *const p[4] = { now, c.as, c.id, c.version };
		if ((rc = rt_exec(r, "UPDATE versions SET approved_at = ?1, "
		                  "approved_by = ?2 WHERE program = ?3 AND version = "
		                  "?4", 4, p))) {
			rc = rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
			goto done;
		}
	}
	/* The approval names the exact bytes that were reviewed, and under
	 * four-eyes whose import it checked. */
	if (four_eyes)
		snprintf(detail, sizeof detail, "bundle sha256 %s, four-eyes: "
		         "imported by '%s'", c.v.sha256, importer);
	else
		snprintf(detail, sizeof detail, "bundle sha256 %s", c.v.sha256);
	if ((rc = finish_change(r, &c, NULL, detail)) == ST_OK)
		printf("approved %s\n", c.object);
done:
	return rt_finish(r, rc);
}

/* ---- steg retire ---- */

static const char retire_help[] =
	"usage: steg retire ID@VERSION --as ADMIN|PUBLISHER\n"
	"\n"
	"Stop new activations and publications of a version.  Units that run it\n"
	"keep running it; nothing is deleted.\n";

int rt_cmd_retire(int argc, char **argv)
{
	change c = { .cmd = "retire" };
	rt_reg *r = NULL;
	char now[32];
	int rc = parse_change(&c, argc, argv, retire_help, 0);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if ((rc = rt_reg_open(&r, NULL, 0)))
		goto done;
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER, NULL)))
		goto done;
	if (!c.who.region_wide) {
		rc = rt_refuse(r, &c.who, NULL, c.cmd, c.object, "user '%s' works "
		               "at unit '%s'; only a region-wide admin or publisher "
		               "retires a version", c.as, c.who.unit);
		goto done;
	}
	if (c.v.retired_at[0]) {
		rt_rollback(r);
		printf("%s is already retired (%s by '%s'); nothing changed\n",
		       c.object, c.v.retired_at, c.v.retired_by);
		goto done;
	}
	rt_now(now);
	{
		const char *const p[4] = { now, c.as, c.id, c.version };
		if ((rc = rt_exec(r, "UPDATE versions SET retired_at = ?1, "
		                  "retired_by = ?2 WHERE program = ?3 AND version = "
		                  "?4", 4, p))) {
			rc = rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
			goto done;
		}
	}
	if ((rc = finish_change(r, &c, NULL, NULL)) == ST_OK)
		printf("retired %s\n", c.object);
done:
	return rt_finish(r, rc);
}

/* ---- steg publish / unpublish ---- */

/* The units a publish or unpublish names, as an array of HSA-ids (malloc'd
 * strings in a malloc'd array). */
typedef struct unitlist {
	char **v;
	size_t n;
} unitlist;

static void unitlist_free(unitlist *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i]);
	free(u->v);
	u->v = NULL;
	u->n = 0;
}

/* Units where id@version is (published=1) or is not (0) currently
 * published; all of the region's units when which < 0. */
static int select_units(rt_reg *r, change *c, int which, unitlist *out)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int step;
	const char *sql =
		"SELECT o.hsa_id FROM organisations o WHERE o.kind = 'unit' AND "
		"(?3 < 0 OR ?3 = EXISTS (SELECT 1 FROM publications p WHERE "
		"  p.program = ?1 AND p.version = ?2 AND p.unit = o.hsa_id AND "
		"  p.withdrawn_at IS NULL)) ORDER BY o.hsa_id";

	out->v = NULL;
	out->n = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), sql, -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the units");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, which);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(out->v, nc * sizeof *nv);
			if (!nv)
				break;
			out->v = nv;
			cap = nc;
		}
		if (!(out->v[out->n] = strdup(nz(col(st, 0)))))
			break;
		out->n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		unitlist_free(out);
		return step == SQLITE_ROW ? rt_fail(r, ST_EIO, "out of memory")
		                          : rt_dbfail(r, "cannot read the units");
	}
	return ST_OK;
}

static int is_published(rt_reg *r, change *c, const char *unit, int *yes)
{
	sqlite3_stmt *st = NULL;
	int step;
	*yes = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT 1 FROM publications WHERE "
	                       "program = ?1 AND version = ?2 AND unit = ?3 AND "
	                       "withdrawn_at IS NULL", -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the publications");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, unit, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	*yes = step == SQLITE_ROW;
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the publications");
	return ST_OK;
}

/* The version of program id active at unit, copied into version ("" when
 * none). */
static int active_version(rt_reg *r, const char *id, const char *unit,
                          char version[64])
{
	sqlite3_stmt *st = NULL;
	int step;
	version[0] = '\0';
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT version FROM activations "
	                       "WHERE program = ?1 AND unit = ?2 AND active = 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return rt_dbfail(r, "cannot read the activations");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(version, 64, "%s", nz(col(st, 0)));
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return rt_dbfail(r, "cannot read the activations");
	return ST_OK;
}

static const char publish_help[] =
	"usage: steg publish ID@VERSION (--unit UNIT | --all-units) --as HSA-ID\n"
	"\n"
	"Publish an approved version to one care unit or to all of the region's\n"
	"units, so that its clinicians can activate it.  Takes an admin or a\n"
	"publisher (region-wide, or of that unit).\n";

static const char unpublish_help[] =
	"usage: steg unpublish ID@VERSION (--unit UNIT | --all-units) --as HSA-ID\n"
	"\n"
	"Withdraw a publication.  Refused while the version is active at the\n"
	"unit: the unit deactivates it first.  The history is kept.\n";

static int publish(int argc, char **argv, int on)
{
	change c = { .cmd = on ? "publish" : "unpublish" };
	rt_reg *r = NULL;
	unitlist units = { NULL, 0 };
	char now[32], running[64];
	int rc = parse_change(&c, argc, argv, on ? publish_help : unpublish_help,
	                      2);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if ((rc = rt_reg_open(&r, NULL, 0)))
		goto done;
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_PUBLISHER,
	                       c.unit)))
		goto done;
	if (c.all_units && !c.who.region_wide) {
		rc = rt_refuse(r, &c.who, NULL, c.cmd, c.object, "user '%s' works "
		               "at unit '%s'; only a region-wide admin or publisher "
		               "uses --all-units", c.as, c.who.unit);
		goto done;
	}
	if (c.unit && (rc = need_unit(r, &c, c.unit)))
		goto done;
	if (on && c.v.retired_at[0]) {
		rc = rt_refuse(r, &c.who, c.unit, c.cmd, c.object, "%s is retired "
		               "(%s by '%s'); publish a newer version", c.object,
		               c.v.retired_at, c.v.retired_by);
		goto done;
	}
	if (on && !c.v.approved_at[0]) {
		rc = rt_refuse(r, &c.who, c.unit, c.cmd, c.object, "%s is not "
		               "approved; a publisher approves it first with 'steg "
		               "approve %s --as HSA-ID'", c.object, c.object);
		goto done;
	}
	if (c.unit) {
		int yes;
		if ((rc = is_published(r, &c, c.unit, &yes))) {
			rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
			goto done;
		}
		if (yes == on) {
			rt_rollback(r);
			printf("%s is %s published to '%s'; nothing changed\n",
			       c.object, on ? "already" : "not", c.unit);
			goto done;
		}
		units.v = malloc(sizeof *units.v);
		if (!units.v || !(units.v[0] = strdup(c.unit))) {
			rc = rt_abort(r, rt_fail(r, ST_EIO, "out of memory"), &c.who,
			              c.unit, c.cmd, c.object);
			goto done;
		}
		units.n = 1;
	} else {
		if ((rc = select_units(r, &c, on ? 0 : 1, &units))) {
			rc = rt_abort(r, rc, &c.who, NULL, c.cmd, c.object);
			goto done;
		}
		if (units.n == 0) {
			rt_rollback(r);
			printf("%s is %s every unit; nothing changed\n", c.object,
			       on ? "already published to" : "not published to");
			goto done;
		}
	}
	rt_now(now);
	for (size_t i = 0; i < units.n; i++) {
		const char *u = units.v[i];
		if (!on) {
			if ((rc = active_version(r, c.id, u, running))) {
				rc = rt_abort(r, rc, &c.who, u, c.cmd, c.object);
				goto done;
			}
			if (!strcmp(running, c.version)) {
				rc = rt_refuse(r, &c.who, u, c.cmd, c.object, "%s is active "
				               "at '%s'; the unit deactivates it first with "
				               "'steg deactivate %s --unit %s'", c.object, u,
				               c.object, u);
				goto done;
			}
		}
		const char *const p[5] = { c.id, c.version, u, now, c.as };
		rc = on ? rt_exec(r, "INSERT INTO publications (program, version, "
		                  "unit, published_at, published_by) VALUES (?1, ?2, "
		                  "?3, ?4, ?5)", 5, p)
		        : rt_exec(r, "UPDATE publications SET withdrawn_at = ?4, "
		                  "withdrawn_by = ?5 WHERE program = ?1 AND version = "
		                  "?2 AND unit = ?3 AND withdrawn_at IS NULL", 5, p);
		if (rc == ST_OK)
			rc = rt_audit(r, &c.who, u, c.cmd, c.object, "ok", NULL);
		if (rc) {
			rc = rt_abort(r, rc, &c.who, u, c.cmd, c.object);
			goto done;
		}
	}
	if ((rc = rt_commit(r))) {
		rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
		goto done;
	}
	for (size_t i = 0; i < units.n; i++)
		printf("%s %s %s '%s'\n", on ? "published" : "withdrew", c.object,
		       on ? "to" : "from", units.v[i]);
done:
	unitlist_free(&units);
	return rt_finish(r, rc);
}

int rt_cmd_publish(int argc, char **argv)
{
	return publish(argc, argv, 1);
}

int rt_cmd_unpublish(int argc, char **argv)
{
	return publish(argc, argv, 0);
}

/* ---- steg activate / deactivate ---- */

static const char activate_help[] =
	"usage: steg activate ID@VERSION --unit UNIT --as HSA-ID\n"
	"\n"
	"Start offering a version to the unit's patients.  Takes an active\n"
	"clinician or admin of that unit (or a region-wide admin); the version\n"
	"must be approved, published to the unit and not retired.  A unit runs\n"
	"one version of a program: another version running there is replaced.\n";

static const char deactivate_help[] =
	"usage: steg deactivate ID@VERSION --unit UNIT --as HSA-ID\n"
	"\n"
	"Stop offering a version at a unit (who may: as for 'activate').  The\n"
	"version and the history of its activation are kept.\n";

static int activate(int argc, char **argv, int on)
{
	change c = { .cmd = on ? "activate" : "deactivate" };
	rt_reg *r = NULL;
	char now[32], running[64], detail[300] = "";
	int rc = parse_change(&c, argc, argv,
	                      on ? activate_help : deactivate_help, 1);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if ((rc = rt_reg_open(&r, NULL, 0)))
		goto done;
	if ((rc = start_change(r, &c, RT_ROLE_ADMIN | RT_ROLE_CLINICIAN,
	                       c.unit)))
		goto done;
	if ((rc = need_unit(r, &c, c.unit)))
		goto done;
	if ((rc = active_version(r, c.id, c.unit, running))) {
		rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
		goto done;
	}
	if ((strcmp(running, c.version) == 0) == on) {
		rt_rollback(r);
		printf("%s is %s active at '%s'; nothing changed\n", c.object,
		       on ? "already" : "not", c.unit);
		goto done;
	}
	rt_now(now);
	if (!on) {
		const char *const p[4] = { now, c.as, c.id, c.unit };
		if ((rc = rt_exec(r, "UPDATE activations SET active = 0, "
		                  "deactivated_at = ?1, deactivated_by = ?2 WHERE "
		                  "program = ?3 AND unit = ?4 AND active = 1", 4, p))) {
			rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
			goto done;
		}
		if ((rc = finish_change(r, &c, c.unit, NULL)) == ST_OK)
			printf("deactivated %s at '%s'\n", c.object, c.unit);
		goto done;
	}
	if (c.v.retired_at[0]) {
		rc = rt_refuse(r, &c.who, c.unit, c.cmd, c.object, "%s is retired "
		               "(%s by '%s'); activate a newer version", c.object,
		               c.v.retired_at, c.v.retired_by);
		goto done;
	}
	if (!c.v.approved_at[0]) {
		rc = rt_refuse(r, &c.who, c.unit, c.cmd, c.object, "%s is not "
		               "approved; a publisher approves it first", c.object);
		goto done;
	}
	{
		int yes;
		if ((rc = is_published(r, &c, c.unit, &yes))) {
			rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
			goto done;
		}
		if (!yes) {
			rc = rt_refuse(r, &c.who, c.unit, c.cmd, c.object, "%s is not "
			               "published to '%s'; a publisher publishes it "
			               "there first with 'steg publish'", c.object,
			               c.unit);
			goto done;
		}
	}
	if (running[0]) {
		const char *const p[4] = { now, c.as, c.id, c.unit };
		if ((rc = rt_exec(r, "UPDATE activations SET active = 0, "
		                  "deactivated_at = ?1, deactivated_by = ?2 WHERE "
		                  "program = ?3 AND unit = ?4 AND active = 1", 4, p))) {
			rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
			goto done;
		}
		snprintf(detail, sizeof detail, "replaces %s@%s", c.id, running);
	}
	{
		const char *const p[5] = { c.id, c.version, c.unit, now, c.as };
		if ((rc = rt_exec(r, "INSERT INTO activations (program, version, "
		                  "unit, activated_at, activated_by) VALUES (?1, ?2, "
		                  "?3, ?4, ?5)", 5, p))) {
			rc = rt_abort(r, rc, &c.who, c.unit, c.cmd, c.object);
			goto done;
		}
	}
	if ((rc = finish_change(r, &c, c.unit, detail[0] ? detail : NULL))
	    != ST_OK)
		goto done;
	if (running[0])
		printf("activated %s at '%s', replacing %s@%s\n", c.object, c.unit,
		       c.id, running);
	else
		printf("activated %s at '%s'\n", c.object, c.unit);
done:
	return rt_finish(r, rc);
}

int rt_cmd_activate(int argc, char **argv)
{
	return activate(argc, argv, 1);
}

int rt_cmd_deactivate(int argc, char **argv)
{
	return activate(argc, argv, 0);
}

/* ---- steg list ---------------------------------------------------------- */

static const char list_help[] =
	"usage: steg list [--unit UNIT] [--json]\n"
	"\n"
	"List every imported version with its state (imported, approved or\n"
	"retired) and how many units it is published to and active at; with\n"
	"--unit, what is published to that unit and whether it runs there.\n";

int rt_cmd_list(int argc, char **argv)
{
	const char *unit = NULL, *pos[1];
	int json = 0, npos, rc, step;
	rt_opt opts[] = {
		{ "--unit", RT_OPT_VALUE, &unit, NULL },
		{ "--json", RT_OPT_FLAG, NULL, &json },
		{ NULL, 0, NULL, NULL },
	};
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	st_arena *a = st_arena_new();
	char kind[16];

	rc = rt_parse(argc, argv, "list", opts, pos, 0, &npos, list_help);
	if (rc) {
		st_arena_free(a);
		return rc < 0 ? RT_OK : rc;
	}
	if ((rc = rt_reg_open(&r, NULL, RT_OPEN_READONLY)))
		goto done;
	if (unit) {
		if ((rc = rt_org_kind(r, unit, kind)))
			goto done;
		if (strcmp(kind, "unit")) {
			rc = rt_fail(r, ST_ERR, "unknown unit '%s'; see 'steg unit "
			             "list'", unit);
			goto done;
		}
	}
	if (sqlite3_prepare_v2(rt_reg_db(r),
		"SELECT v.program, v.version, v.title, v.approved_at, v.retired_at, "
		"  (SELECT count(*) FROM publications p WHERE p.program = v.program"
		"     AND p.version = v.version AND p.withdrawn_at IS NULL), "
		"  (SELECT count(*) FROM activations a WHERE a.program = v.program"
		"     AND a.version = v.version AND a.active = 1), "
		"  EXISTS (SELECT 1 FROM activations a WHERE a.program = v.program"
		"     AND a.version = v.version AND a.active = 1 AND a.unit = ?1) "
		"FROM versions v WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM "
		"  publications p WHERE p.program = v.program AND p.version = "
		"  v.version AND p.unit = ?1 AND p.withdrawn_at IS NULL) "
		"ORDER BY v.program, v.major, v.minor, v.patch, v.version",
		-1, &st, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the versions");
		goto done;
	}
	if (unit)
		sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
	if (json)
		arr = json_array();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = col(st, 4) ? "retired" :
		                    col(st, 3) ? "approved" : "imported";
		long long npub = sqlite3_column_int64(st, 5);
		long long nact = sqlite3_column_int64(st, 6);
		int here = sqlite3_column_int(st, 7);
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "id", rt_json_str(col(st, 0)));
			json_object_set_new(o, "version", rt_json_str(col(st, 1)));
			json_object_set_new(o, "title", rt_json_str(col(st, 2)));
			json_object_set_new(o, "state", json_string(state));
			if (unit)
				json_object_set_new(o, "active", json_boolean(here));
			else {
				json_object_set_new(o, "published_units", json_integer(npub));
				json_object_set_new(o, "active_units", json_integer(nact));
			}
			json_array_append_new(arr, o);
		} else if (unit) {
			printf("%s@%s\t%s\t%s\t%s\n", rt_esc(a, col(st, 0)),
			       rt_esc(a, col(st, 1)), state,
			       here ? "active" : "published", rt_esc(a, col(st, 2)));
		} else {
			printf("%s@%s\t%s\tpublished %lld\tactive %lld\t%s\n",
			       rt_esc(a, col(st, 0)), rt_esc(a, col(st, 1)), state,
			       npub, nact, rt_esc(a, col(st, 2)));
		}
	}
	if (step != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot read the versions");
		goto done;
	}
	if (json) {
		rc = rt_print_json(arr) ? ST_EIO : ST_OK;
		arr = NULL;
		if (rc)
			rt_fail(r, ST_EIO, "cannot write the output");
	}
done:
	sqlite3_finalize(st);
	json_decref(arr);
	st_arena_free(a);
	return rt_finish(r, rc);
}

/* ---- steg show ---------------------------------------------------------- */

static const char show_help[] =
	"usage: steg show ID[@VERSION] [--json]\n"
	"\n"
	"Show a program's versions (or one version): where it came from, who\n"
	"approved it, which units it is published to and which run it, with the\n"
	"history of activations; for a whole program, which version each unit\n"
	"runs.\n";

/* Publications or activations of one version as JSON, and as text. */
static int show_places(rt_reg *r, json_t *o, const char *id,
                       const char *version, int acts)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = o ? json_array() : NULL;
	int step, any = 0;
	st_arena *a;
	const char *sql = acts ?
		"SELECT a.unit, u.name, a.activated_at, a.activated_by, a.active, "
		"  a.deactivated_at, a.deactivated_by FROM activations a "
		"  JOIN organisations u ON u.hsa_id = a.unit "
		"  WHERE a.program = ?1 AND a.version = ?2 ORDER BY a.id" :
		"SELECT p.unit, u.name, p.published_at, p.published_by, "
		"  p.withdrawn_at IS NULL, p.withdrawn_at, p.withdrawn_by "
		"  FROM publications p JOIN organisations u ON u.hsa_id = p.unit "
		"  WHERE p.program = ?1 AND p.version = ?2 ORDER BY p.id";

	if (sqlite3_prepare_v2(rt_reg_db(r), sql, -1, &st, NULL) != SQLITE_OK) {
		json_decref(arr);
		return rt_dbfail(r, "cannot read the registry");
	}
	a = st_arena_new();
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int current = sqlite3_column_int(st, 4);
		if (o) {
			json_t *e = json_object();
			json_object_set_new(e, "unit", rt_json_str(col(st, 0)));
			json_object_set_new(e, "unit_name", rt_json_str(col(st, 1)));
			json_object_set_new(e, acts ? "activated_at" : "published_at",
			                    rt_json_str(col(st, 2)));
			json_object_set_new(e, acts ? "activated_by" : "published_by",
			                    rt_json_str(col(st, 3)));
			json_object_set_new(e, acts ? "active" : "current",
			                    json_boolean(current));
			json_object_set_new(e, acts ? "deactivated_at" : "withdrawn_at",
			                    rt_json_str(col(st, 5)));
			json_object_set_new(e, acts ? "deactivated_by" : "withdrawn_by",
			                    rt_json_str(col(st, 6)));
			json_array_append_new(arr, e);
			continue;
		}
		if (!any++)
			printf("  %s\n", acts ? "activations:" : "publications:");
		printf("    %s (%s)\t%s %s by %s", rt_esc(a, col(st, 0)),
		       rt_esc(a, col(st, 1)), acts ? "activated" : "published",
		       rt_esc(a, col(st, 2)), rt_esc(a, col(st, 3)));
		if (!current)
			printf("\t%s %s by %s", acts ? "deactivated" : "withdrawn",
			       rt_esc(a, col(st, 5)), rt_esc(a, col(st, 6)));
		else
			printf("\t%s", acts ? "active" : "current");
		putchar('\n');
	}
	sqlite3_finalize(st);
	st_arena_free(a);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return rt_dbfail(r, "cannot read the registry");
	}
	if (o)
		json_object_set_new(o, acts ? "activations" : "publications", arr);
	else if (!any)
		printf("  %s\n", acts ? "activations: none" : "publications: none");
	return ST_OK;
}

/* The units where some version of program id is active, with the version:
 * as JSON into *out, or as text when out is NULL. */
static int show_running(rt_reg *r, json_t **out, const char *id)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = out ? json_array() : NULL;
	int step, any = 0;
	st_arena *a;

	if (sqlite3_prepare_v2(rt_reg_db(r),
		"SELECT a.unit, u.name, a.version, a.activated_at, a.activated_by "
		"FROM activations a JOIN organisations u ON u.hsa_id = a.unit "
		"WHERE a.program = ?1 AND a.active = 1 ORDER BY a.unit", -1, &st,
		NULL) != SQLITE_OK) {
		json_decref(arr);
		return rt_dbfail(r, "cannot read the activations");
	}
	a = st_arena_new();
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out) {
			json_t *e = json_object();
			json_object_set_new(e, "unit", rt_json_str(col(st, 0)));
			json_object_set_new(e, "unit_name", rt_json_str(col(st, 1)));
			json_object_set_new(e, "version", rt_json_str(col(st, 2)));
			json_object_set_new(e, "activated_at", rt_json_str(col(st, 3)));
			json_object_set_new(e, "activated_by", rt_json_str(col(st, 4)));
			json_array_append_new(arr, e);
			continue;
		}
		if (!any++)
			printf("\nrunning at:\n");
		printf("  %s (%s)\t%s\tsince %s\n", rt_esc(a, col(st, 0)),
		       rt_esc(a, col(st, 1)), rt_esc(a, col(st, 2)),
		       rt_esc(a, col(st, 3)));
	}
	sqlite3_finalize(st);
	st_arena_free(a);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return rt_dbfail(r, "cannot read the activations");
	}
	if (out)
		*out = arr;
	else if (!any)
		printf("\nrunning at: no unit\n");
	return ST_OK;
}

int rt_cmd_show(int argc, char **argv)
{
	const char *pos[1];
	int json = 0, npos, rc, step, n = 0;
	rt_opt opts[] = {
		{ "--json", RT_OPT_FLAG, NULL, &json },
		{ NULL, 0, NULL, NULL },
	};
	rt_reg *r = NULL;
	sqlite3_stmt *st = NULL;
	json_t *arr = NULL;
	char id[160], version[64];
	vinfo v;
	st_arena *a = NULL;

	rc = rt_parse(argc, argv, "show", opts, pos, 1, &npos, show_help);
	if (rc)
		return rc < 0 ? RT_OK : rc;
	if (npos != 1)
		return rt_usage_error("show", "'show' needs ID or ID@VERSION");
	if (rt_parse_ref(pos[0], id, sizeof id, version, sizeof version, 0))
		return RT_REFUSED;
	if ((rc = rt_reg_open(&r, NULL, RT_OPEN_READONLY)))
		goto done;
	a = st_arena_new();
	/* Inside one read transaction, so that the listing is one state. */
	if (sqlite3_exec(rt_reg_db(r), "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the registry");
		goto done;
	}
	if (version[0] && (rc = load_version(r, &v, id, version)))
		goto done;
	if (sqlite3_prepare_v2(rt_reg_db(r),
		"SELECT program, version, title, kind, language, producer_id, "
		"  producer_name, compiler, modules, forms, bundle_sha256, size, "
		"  signed_by, keyid, imported_at, imported_by, approved_at, "
		"  approved_by, retired_at, retired_by FROM versions "
		"WHERE program = ?1 AND (?2 = '' OR version = ?2) "
		"ORDER BY major, minor, patch, version", -1, &st, NULL)
	    != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the versions");
		goto done;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	if (json)
		arr = json_array();
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *vid = col(st, 0), *ver = col(st, 1);
		json_t *o = NULL;
		n++;
		if (json) {
			static const char *const keys[] = {
				"id", "version", "title", "kind", "language", "producer_id",
				"producer_name", "compiler", "modules", "forms",
				"bundle_sha256", "size", "signed_by", "keyid", "imported_at",
				"imported_by", "approved_at", "approved_by", "retired_at",
				"retired_by",
			};
			o = json_object();
			for (int i = 0; i < 20; i++) {
				if (i == 8 || i == 9 || i == 11)
					json_object_set_new(o, keys[i],
					        json_integer(sqlite3_column_int64(st, i)));
				else
					json_object_set_new(o, keys[i], rt_json_str(col(st, i)));
			}
		} else {
			if (n > 1)
				putchar('\n');
			printf("%s@%s\t%s\n", rt_esc(a, vid), rt_esc(a, ver),
			       rt_esc(a, col(st, 2)));
			printf("  kind         %s, language %s\n",
			       rt_esc(a, col(st, 3)), rt_esc(a, col(st, 4)));
			printf("  producer     %s (%s)\n", rt_esc(a, col(st, 5)),
			       rt_esc(a, col(st, 6)));
			printf("  content      %lld modules, %lld forms, %s\n",
			       (long long)sqlite3_column_int64(st, 8),
			       (long long)sqlite3_column_int64(st, 9),
			       rt_esc(a, col(st, 7)));
			printf("  bundle       sha256 %s, %lld bytes\n",
			       rt_esc(a, col(st, 10)),
			       (long long)sqlite3_column_int64(st, 11));
			if (col(st, 12))
				printf("  signed       key %s of '%s'\n",
				       rt_esc(a, col(st, 13)), rt_esc(a, col(st, 12)));
			else
				printf("  signed       no (imported with --allow-unsigned)\n");
			printf("  imported     %s by %s\n", rt_esc(a, col(st, 14)),
			       rt_esc(a, col(st, 15)));
			if (col(st, 16))
				printf("  approved     %s by %s\n", rt_esc(a, col(st, 16)),
				       rt_esc(a, col(st, 17)));
			else
				printf("  approved     no\n");
			if (col(st, 18))
				printf("  retired      %s by %s\n", rt_esc(a, col(st, 18)),
				       rt_esc(a, col(st, 19)));
		}
		if ((rc = show_places(r, o, vid, ver, 0)) ||
		    (rc = show_places(r, o, vid, ver, 1))) {
			json_decref(o);
			goto done;
		}
		if (o)
			json_array_append_new(arr, o);
	}
	if (step != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot read the versions");
		goto done;
	}
	if (n == 0) {
		rc = rt_fail(r, ST_ERR, "unknown program '%s'; see 'steg list'",
		             id);
		goto done;
	}
	/* For a whole program: which unit runs which version, unit by unit. */
	json_t *running = NULL;
	if (!version[0] && (rc = show_running(r, json ? &running : NULL, id)))
		goto done;
	if (json) {
		/* One version: its object; a program: its versions and units. */
		json_t *root;
		if (version[0]) {
			root = json_incref(json_array_get(arr, 0));
		} else {
			root = json_object();
			json_object_set_new(root, "id", json_string(id));
			json_object_set(root, "versions", arr);
			json_object_set_new(root, "running", running);
		}
		rc = rt_print_json(root) ? ST_EIO : ST_OK;
		if (rc)
			rt_fail(r, ST_EIO, "cannot write the output");
	}
done:
	sqlite3_finalize(st);
	json_decref(arr);
	st_arena_free(a);
	if (r && rt_reg_db(r))
		sqlite3_exec(rt_reg_db(r), "ROLLBACK", NULL, NULL, NULL);
	return rt_finish(r, rc);
}
