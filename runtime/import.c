/*
 * import.c — importing one bundle into the registry in two halves
 * (import.h): every check outside the lock (rt_import_prepare), then the
 * rows and the "import" audit row inside the caller's transaction
 * (rt_import_locked).  `steg import` (cmd_programs.c) and `steg sync`
 * (cmd_channel.c) are both built on it.
 *
 * The bytes stored are the bytes verified: prepare reads the file once,
 * hashes it, and requires the bundle reader's hash to agree.  A bundle is
 * never trusted to have been compiled by us: the program is checked again.
 * A version never changes, and a program id belongs to its producer
 * (docs/registry.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util.h"
#include "diag.h"
#include "model.h"
#include "vocab.h"
#include "bundle.h"
#include "check.h"
#include "sign.h"
#include "db.h"
#include "registry.h"
#include "trust.h"
#include "import.h"

/* A bundle must fit in one SQLite blob (SQLITE_MAX_LENGTH, 10^9 bytes). */
#define RT_MAX_BUNDLE (900ll << 20)

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A prepare refusal: keep the findings that say why (d, when not NULL,
 * for the caller to show: im->findings) and the reason (why.h's code
 * why with its arguments). */
static int prep_refuse(rt_reg *r, rt_import *im, st_diags *d, int why,
                       const char *a1, const char *a2)
{
	if (d && st_diags_count(d)) {
		st_diags_sort(d);
		im->keep_findings = 1;
	}
	return rt_fail_why(r, ST_ERR, why, a1, a2, NULL, NULL);
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
	free(im->findings);
	memset(im, 0, sizeof *im);
}

/* Keep what the registry stores of p. */
static int keep_program(rt_import *im, const st_program *p)
{
	im->id = strdup(nz(p->id));
	im->version = strdup(nz(p->version));
	im->title = strdup(nz(p->title));
	im->kind = strdup(nz(st_program_kind_name(p->kind)));
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
	rc = rt_fail_why(r, ST_ERR, RT_WHY_SIGNATURE_CLAIMS, display,
	                 why.len ? why.data : "", signer, NULL);
	st_buf_release(&why);
	return rc;
}

/* The findings as steg shows them (malloc'd; NULL when out of memory). */
static char *findings_text(const st_diags *d)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	if (!f)
		return NULL;
	st_diags_render(d, f, ST_FMT_TEXT, 0, "steg");
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

int rt_import_prepare(rt_reg *r, rt_import *im, const char *path,
                      const char *display, int allow_unsigned)
{
	st_diags *d = st_diags_new();
	st_bundle *b = NULL;
	st_arena *a = NULL;
	int rc = prepare(r, im, d, &b, &a, path, display ? display : path,
	                 allow_unsigned);
	/* The findings name places in the bundle, which goes now: kept as
	 * their text. */
	if (rc == ST_ERR && im->keep_findings)
		im->findings = findings_text(d);
	st_bundle_free(b);
	st_arena_free(a);
	st_diags_free(d);
	return rc;
}

/* An unsigned bundle cannot speak for a partner: when its producer is
 * another region whose key this registry trusts, that region's programs
 * arrive signed, and an unsigned copy would take the partner's program
 * id and versions (docs/registry.md).  ST_ERR then. */
static int unsigned_partner(rt_reg *r, rt_import *im, const char *display,
                            const char *producer)
{
	rt_trusted_row *keys;
	size_t n;
	int rc = rt_trusted_keys(r, producer, &keys, &n);
	rt_trusted_keys_free(keys, n);
	if (rc || n == 0)
		return rc;
	return prep_refuse(r, im, NULL, RT_WHY_PARTNER_UNSIGNED, display,
	                   producer);
}

static int prepare(rt_reg *r, rt_import *im, st_diags *d, st_bundle **b,
                   st_arena **a, const char *path, const char *display,
                   int allow_unsigned)
{
	char ioerr[256], mib[32];
	const char *sig;
	size_t siglen = 0;
	const st_program *p;
	int rc;

	snprintf(im->object, sizeof im->object, "%s", display);
	/* The bytes we store are the bytes that were verified: hashed here,
	 * and compared with the hash st_bundle_open took while verifying. */
	rc = st_read_file(&im->data, &im->len, path, (size_t)RT_MAX_BUNDLE,
	                  ioerr, sizeof ioerr);
	snprintf(mib, sizeof mib, "%lld", RT_MAX_BUNDLE >> 20);
	if (rc == ST_ETOOBIG)
		return rt_fail_why(r, ST_ERR, RT_WHY_BUNDLE_TOO_LARGE, display,
		                   mib, NULL, NULL);
	if (rc != ST_OK)
		return rt_fail(r, ST_EIO, "cannot read the bundle '%s': %s",
		               display, ioerr);
	st_sha256_hex(im->data, im->len, im->sha256);

	if (!d)
		return rt_fail(r, ST_EIO, "out of memory");
	rc = st_bundle_open(b, d, path);
	if (rc != ST_OK || st_diags_errors(d))
		return prep_refuse(r, im, d, RT_WHY_BUNDLE_DAMAGED, display, NULL);
	if (strcmp(st_bundle_sha256(*b), im->sha256))
		return prep_refuse(r, im, NULL, RT_WHY_BUNDLE_CHANGED, display,
		                   NULL);
	p = st_bundle_program(*b);
	snprintf(im->object, sizeof im->object, "%s@%s", p->id, p->version);
	/* A bundle is never trusted to have been compiled by us: the
	 * expressions, scores, bands and unlock rules are checked again.  The
	 * checker keeps its parse trees in the program, which is the bundle's
	 * own copy and goes with it. */
	*a = st_arena_new();
	if (st_check_program(*a, d, (st_program *)p) > 0 ||
	    st_diags_errors(d))
		return prep_refuse(r, im, d, RT_WHY_BUNDLE_DOES_NOT_CHECK, display,
		                   NULL);
	if (st_semver_parse(p->version, &im->major, &im->minor, &im->patch))
		return prep_refuse(r, im, NULL, RT_WHY_BUNDLE_BAD_VERSION, display,
		                   p->version);

	sig = st_bundle_signature(*b, &siglen);
	if (!sig && !allow_unsigned)
		return prep_refuse(r, im, NULL, RT_WHY_BUNDLE_UNSIGNED, display,
		                   NULL);
	if (sig) {
		st_sig_claims claims;
		size_t mlen = 0;
		const char *man = st_bundle_manifest_xml(*b, &mlen);
		uint8_t kid[8];

		rc = rt_trust_verify(r, &claims, im->signer, display, "bundle", man,
		                     mlen, sig, siglen);
		if (rc == ST_ERR)
			return prep_refuse(r, im, NULL, RT_WHY_SIGNATURE,
			                   rt_reg_errmsg(r), NULL);
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
	    (rc = unsigned_partner(r, im, display, p->producer_id)))
		return rc;
	if (keep_program(im, p) != ST_OK)
		return rt_fail(r, ST_EIO, "out of memory");
	return ST_OK;
}

int rt_version_origin(rt_reg *r, const char *id, const char *version,
                      char *out, size_t cap)
{
	rt_version v;
	int rc = rt_version_get(r, id, version, &v);

	out[0] = 0;
	if (rc)
		return rc;
	if (v.signed_by[0])
		snprintf(out, cap, "producer '%s', imported by %s at %s, signed "
		         "by key %s of '%s'", v.producer_id, v.imported_by,
		         v.imported_at, v.keyid, v.signed_by);
	else
		snprintf(out, cap, "producer '%s', imported unsigned (with "
		         "--allow-unsigned) by %s at %s", v.producer_id,
		         v.imported_by, v.imported_at);
	return ST_OK;
}

/* Program ids belong to their producer (docs/registry.md): once the
 * registry holds a version of the id from one producer, a bundle of that
 * id from another is refused.  ST_ERR with the reason, naming the version
 * that holds the id and where it came from. */
static int check_owner(rt_reg *r, const rt_import *im)
{
	sqlite3_stmt *st;
	char ver[64], origin[512];
	int rc = rt_db_row(r, &st, "cannot read the versions", "SELECT version "
	                   "FROM versions WHERE program = ?1 AND producer_id IS "
	                   "NOT ?2 ORDER BY imported_at, major, minor, patch "
	                   "LIMIT 1", RT_ARGS(RT_TEXT(im->id),
	                   RT_TEXT(im->producer_id)));
	if (rc != RT_ROW)
		return rc;              /* RT_DONE (ST_OK): nobody else's */
	rt_col_copy(st, 0, ver, sizeof ver);
	rt_db_done(r, st);
	if ((rc = rt_version_origin(r, im->id, ver, origin, sizeof origin)))
		return rc == ST_ENOENT ? rt_fail(r, ST_EIO, "cannot read the "
		                                 "versions") : rc;
	return rt_fail_why(r, ST_ERR, RT_WHY_OTHER_PRODUCER, im->id, ver, origin,
	                   im->producer_id);
}

int rt_import_locked(rt_reg *r, const rt_actor *who, rt_import *im,
                     const char *via, int *already)
{
	const rt_import *p = im;
	char now[32], detail[1536], origin[512];
	rt_version old;
	int rc;

	*already = 0;
	rc = rt_version_get(r, p->id, p->version, &old);
	if (rc == ST_OK) {
		if (!strcmp(old.sha256, im->sha256)) {
			*already = 1;
			return ST_OK;
		}
		if ((rc = rt_version_origin(r, p->id, p->version, origin,
		                            sizeof origin)) && rc != ST_ENOENT)
			return rc;
		return rt_fail_why(r, ST_ERR, RT_WHY_VERSION_CHANGED, im->object,
		                   old.sha256, origin, im->sha256);
	}
	if (rc != ST_ENOENT)
		return rc;
	if ((rc = check_owner(r, im)))
		return rc;
	rt_now(now);

	if ((rc = rt_db_exec(r, "cannot store the bundle", "INSERT OR IGNORE "
	                     "INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
	                     RT_ARGS(RT_TEXT(im->sha256), RT_INT((long long)im->len),
	                             RT_BLOB(im->data, im->len)))) ||
	    (rc = rt_db_exec(r, "cannot write the registry", "INSERT OR IGNORE "
	                     "INTO programs (id, imported_at) VALUES (?1, ?2)",
	                     RT_ARGS(RT_TEXT(p->id), RT_TEXT(now)))) ||
	    (rc = rt_db_exec(r, "cannot store the version", "INSERT INTO versions "
	                     "(program, version, major, minor, patch, title, kind, "
	                     "language, producer_id, producer_name, compiler, "
	                     "modules, forms, bundle_sha256, size, signed_by, "
	                     "keyid, imported_at, imported_by) VALUES (?1, ?2, ?3, "
	                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	                     "?15, ?16, ?17, ?18, ?19)",
	                     RT_ARGS(RT_TEXT(p->id), RT_TEXT(p->version),
	                             RT_INT(im->major), RT_INT(im->minor),
	                             RT_INT(im->patch), RT_TEXT(nz(p->title)),
	                             RT_TEXT(nz(p->kind)), RT_TEXT(nz(p->language)),
	                             RT_TEXT(nz(p->producer_id)),
	                             RT_TEXT(nz(p->producer_name)),
	                             RT_TEXT(nz(p->compiler)),
	                             RT_INT((long long)p->nmodules),
	                             RT_INT((long long)p->nforms),
	                             RT_TEXT(im->sha256), RT_INT((long long)im->len),
	                             RT_TEXT(im->signer[0] ? im->signer : NULL),
	                             RT_TEXT(im->signer[0] ? im->keyid : NULL),
	                             RT_TEXT(now), RT_TEXT(who->hsa)))))
		return rc == ST_ERR ? ST_EIO : rc;

	if (im->signer[0])
		snprintf(detail, sizeof detail, "sha256 %s, %zu bytes, signed by "
		         "key %s of '%s'%s%s", im->sha256, im->len, im->keyid,
		         im->signer, via ? ", " : "", via ? via : "");
	else
		snprintf(detail, sizeof detail, "sha256 %s, %zu bytes, unsigned, "
		         "accepted with --allow-unsigned%s%s", im->sha256, im->len,
		         via ? ", " : "", via ? via : "");
	return rt_audit(r, who, NULL, "import", im->object, "ok", detail);
}

void rt_import_print(const rt_import *im)
{
	printf("imported %s (%s), %zu bytes, sha256 %s%s%s\n", im->object,
	       nz(im->title), im->len, im->sha256,
	       im->signer[0] ? ", signed by " : ", unsigned", im->signer);
}
