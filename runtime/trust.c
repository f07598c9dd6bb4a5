/*
 * trust.c — signatures against the registry's trust store (trust.h).
 *
 * All active keys are loaded (a region trusts a handful of partners; a
 * query per key id would save nothing) and handed to st_verify_trusted,
 * which never looks outside them.  Only when that refuses because no
 * active key has the signature's key id do we look at removed keys, to
 * say "removed" rather than "unknown": the partner agreement ended, and
 * the message should tell the admin so.
 *
 * Every refusal ends with what to do about it (advice()): trust the
 * partner's key, ask for a new signature, fetch again — so that the admin
 * reading "steg: error: ..." knows the next command.
 */
#include "trust.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "diag.h"
#include "registry.h"
#include "util.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* The publisher a signature's trusted comment claims, "" when it cannot
 * be read.  Only for advice after the signature held with some key. */
static void claimed_publisher(char *out, size_t cap, const char *sig,
                              size_t siglen)
{
	static const char tag[] = "\ntrusted comment: ";
	const char *end = sig + siglen, *p, *q;
	st_sig_claims c;
	char why[128];

	out[0] = 0;
	for (p = sig; p + sizeof tag - 1 <= end; p++)
		if (!memcmp(p, tag, sizeof tag - 1))
			break;
	if (p + sizeof tag - 1 > end)
		return;
	p += sizeof tag - 1;
	for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
		;
	if (st_claims_parse(&c, p, (size_t)(q - p), why, sizeof why) == 0 &&
	    strlen(c.publisher) < cap)
		memcpy(out, c.publisher, strlen(c.publisher) + 1);
}

/* What to do about a refusal with code (a sig-* code of core/sign.c) for
 * a signature of kind. */
static void advice(char *out, size_t cap, const char *code, const char *kind,
                   const char *sig, size_t siglen)
{
	int index = kind && !strcmp(kind, "index");
	char who[RT_HSA_MAX + 1];

	if (!strcmp(code, "sig-untrusted")) {
		snprintf(out, cap, "if it comes from a partner region, trust that "
		         "region's public key with 'steg trust add --region HSA-ID "
		         "--key FILE' (see 'steg trust list')");
	} else if (!strcmp(code, "sig-wrong-publisher")) {
		claimed_publisher(who, sizeof who, sig, siglen);
		if (!who[0])
			snprintf(who, sizeof who, "%s", "HSA-ID");
		snprintf(out, cap, "trust the partner's own key for '%s' with "
		         "'steg trust add --region %s --key FILE', or have it "
		         "signed with a key trusted for '%s'", who, who, who);
	} else if (!strcmp(code, "sig-expired")) {
		snprintf(out, cap, index ? "the partner renews the index by "
		         "sharing again ('steg share'); until then the channel is "
		         "frozen" : "ask the publisher to sign it again with a "
		         "later expiry ('stegc sign --expires DAYS')");
	} else if (!strcmp(code, "sig-invalid")) {
		snprintf(out, cap, index ? "the partner may be sharing right now: "
		         "sync again later, and tell the partner if it stays" :
		         "these are not the bytes that were signed: get the bundle "
		         "again from its publisher");
	} else if (!strcmp(code, "sig-wrong-kind")) {
		snprintf(out, cap, "a signature counts only for what it was made "
		         "for: bundles are signed with 'stegc sign', indexes by "
		         "'steg share'");
	} else {
		snprintf(out, cap, "sign with %s (docs/signatures.md gives the "
		         "format)", index ? "'steg share'" : "'stegc sign'");
	}
}

static int verify(rt_reg *r, st_sig_claims *claims, char *region,
                  const char *display, const char *kind, const char *only,
                  long long now, const void *data, size_t len,
                  const char *sig, size_t siglen);

int rt_trust_verify(rt_reg *r, st_sig_claims *claims, char *region,
                    const char *display, const char *kind,
                    const void *data, size_t len,
                    const char *sig, size_t siglen)
{
	return verify(r, claims, region, display, kind, NULL,
	              (long long)time(NULL), data, len, sig, siglen);
}

int rt_trust_verify_own(rt_reg *r, st_sig_claims *claims,
                        const char *display, const char *kind,
                        const void *data, size_t len,
                        const char *sig, size_t siglen)
{
	char region[RT_HSA_MAX + 1];
	/* Expiry is no reason to doubt what the region itself signed: an
	 * index shared long ago still says which sequence partners saw. */
	return verify(r, claims, region, display, kind, rt_reg_region(r),
	              LLONG_MIN, data, len, sig, siglen);
}

/* only: use the keys of that region alone (NULL: every active key);
 * now: signatures that expired before it are refused. */
static int verify(rt_reg *r, st_sig_claims *claims, char *region,
                  const char *display, const char *kind, const char *only,
                  long long now, const void *data, size_t len,
                  const char *sig, size_t siglen)
{
	sqlite3_stmt *st = NULL;
	st_trusted_key *keys = NULL;
	char **regions = NULL;
	size_t n = 0, cap = 0, which;
	st_diags *d = st_diags_new();
	int rc = ST_EIO, step;

	region[0] = 0;
	if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT region, pubkey FROM "
	                       "trusted_keys WHERE removed_at IS NULL AND "
	                       "(?1 IS NULL OR region = ?1) ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the trusted keys");
		goto done;
	}
	if (only)
		sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		st_pubkey pk;
		if (st_pubkey_parse(&pk, col(st, 1)) != 0)
			continue;      /* written by trust add: cannot happen */
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			st_trusted_key *nk = realloc(keys, cap * sizeof *keys);
			char **nr = realloc(regions, cap * sizeof *regions);
			if (nk)
				keys = nk;
			if (nr)
				regions = nr;
			if (!nk || !nr) {
				rc = rt_fail(r, ST_EIO, "out of memory");
				goto done;
			}
		}
		regions[n] = strdup(col(st, 0));
		if (!regions[n]) {
			rc = rt_fail(r, ST_EIO, "out of memory");
			goto done;
		}
		keys[n].region = regions[n];
		keys[n].key = pk;
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = rt_dbfail(r, "cannot read the trusted keys");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;

	rc = st_verify_trusted(claims, &which, d, display, keys, n, kind, now,
	                       data, len, sig, siglen);
	if (rc == ST_OK) {
		snprintf(region, RT_HSA_MAX + 1, "%s", keys[which].region);
		goto done;
	}
	if (rc != ST_ERR) {
		rc = rt_fail(r, ST_EIO, "cannot check the signature of '%s'",
		             display);
		goto done;
	}
	/* The first finding is the reason; say "removed" when it was. */
	{
		const char *code = st_diags_count(d) ? st_diags_code(d, 0) : "";
		const char *msg = st_diags_count(d) ? st_diags_message(d, 0) :
		                  "the signature does not hold";
		uint8_t kid[8];
		char hex[17], todo[400];
		if (only) {            /* the region's own: no partner advice */
			rc = rt_fail(r, ST_ERR, "%s", msg);
			goto done;
		}
		if (!strcmp(code, "sig-untrusted") &&
		    st_sig_keyid(kid, sig, siglen) == ST_OK) {
			st_keyid_hex(hex, kid);
			if (sqlite3_prepare_v2(rt_reg_db(r), "SELECT region, "
			                       "removed_at FROM trusted_keys WHERE "
			                       "keyid = ?1 AND removed_at IS NOT NULL "
			                       "ORDER BY id DESC LIMIT 1", -1, &st,
			                       NULL) != SQLITE_OK) {
				rc = rt_dbfail(r, "cannot read the trusted keys");
				goto done;
			}
			sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				rc = rt_fail(r, ST_ERR, "'%s' is signed by key %s of "
				             "region '%s', which was removed from the "
				             "trusted keys at %s; if the agreement with "
				             "'%s' goes on, trust its current key with "
				             "'steg trust add --region %s --key FILE'",
				             display, hex, col(st, 0), col(st, 1),
				             col(st, 0), col(st, 0));
				goto done;
			}
		}
		advice(todo, sizeof todo, code, kind, sig, siglen);
		rc = rt_fail(r, ST_ERR, "%s; %s", msg, todo);
	}
done:
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		free(regions[i]);
	free(regions);
	free(keys);
	st_diags_free(d);
	return rc;
}
