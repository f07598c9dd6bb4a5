/*
 * trust.c — signatures against the registry's trust store (trust.h).
 *
 * All active keys are loaded (a region trusts a handful of partners; a
 * query per key id would save nothing) and handed to st_verify_trusted,
 * which never looks outside them.  Only when that refuses because no
 * active key has the signature's key id do we look at removed keys, to
 * say "removed" rather than "unknown": the partner agreement ended, and
 * the message should tell the admin so.
 */
#include "trust.h"

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

int rt_trust_verify(rt_reg *r, st_sig_claims *claims, char *region,
                    const char *display, const char *kind,
                    const void *data, size_t len,
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
	                       "trusted_keys WHERE removed_at IS NULL ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = rt_dbfail(r, "cannot read the trusted keys");
		goto done;
	}
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

	rc = st_verify_trusted(claims, &which, d, display, keys, n, kind,
	                       (long long)time(NULL), data, len, sig, siglen);
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
		char hex[17];
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
				             "trusted keys at %s",
				             display, hex, col(st, 0), col(st, 1));
				goto done;
			}
		}
		rc = rt_fail(r, ST_ERR, "%s", msg);
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
