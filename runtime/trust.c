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

#include "db.h"
#include "diag.h"
#include "registry.h"
#include "util.h"

/* ---- the trust store ------------------------------------------------------ */

int rt_trusted_key_find(rt_reg *r, const char *keyid_hex, char **region,
                        char **pubkey_b64)
{
	sqlite3_stmt *st;
	char *reg = NULL, *pub = NULL;
	int rc;

	if (region)
		*region = NULL;
	if (pubkey_b64)
		*pubkey_b64 = NULL;
	rc = rt_db_row(r, &st, "cannot read the trusted keys", "SELECT region, "
	               "pubkey FROM trusted_keys WHERE keyid = ?1 AND removed_at "
	               "IS NULL", RT_ARGS(RT_TEXT(keyid_hex)));
	if (rc == RT_DONE)
		return ST_ENOENT;
	if (rc < 0)
		return rc;
	reg = strdup(rt_col_text(st, 0) ? rt_col_text(st, 0) : "");
	pub = strdup(rt_col_text(st, 1) ? rt_col_text(st, 1) : "");
	rt_db_done(r, st);
	if (!reg || !pub) {
		free(reg);
		free(pub);
		return rt_fail(r, ST_EIO, "out of memory");
	}
	if (region)
		*region = reg;
	else
		free(reg);
	if (pubkey_b64)
		*pubkey_b64 = pub;
	else
		free(pub);
	return ST_OK;
}

int rt_trusted_key_of(rt_reg *r, const st_pubkey *pk, const char *region,
                      int *yes)
{
	char hex[17], b64[ST_PUBKEY_B64_LEN], *have_region = NULL, *have = NULL;
	int rc;

	*yes = 0;
	st_keyid_hex(hex, pk->keyid);
	st_pubkey_b64(b64, pk);
	rc = rt_trusted_key_find(r, hex, &have_region, &have);
	if (rc == ST_OK)
		*yes = !strcmp(have_region, region) && !strcmp(have, b64);
	free(have_region);
	free(have);
	return rc == ST_ENOENT ? ST_OK : rc;
}

void rt_trusted_keys_free(rt_trusted_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].region);
		free(rows[i].keyid);
		free(rows[i].pubkey);
	}
	free(rows);
}

int rt_trusted_keys(rt_reg *r, const char *region, rt_trusted_row **rows,
                    size_t *n)
{
	static const char what[] = "cannot read the trusted keys";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, step;

	*rows = NULL;
	*n = 0;
	if ((rc = rt_db_prepare(r, &st, what, "SELECT region, keyid, pubkey "
	                        "FROM trusted_keys WHERE removed_at IS NULL AND "
	                        "(?1 IS NULL OR region = ?1) ORDER BY id",
	                        RT_ARGS(RT_TEXT(region)))))
		return rc;
	while ((step = rt_db_step(r, st, what)) == RT_ROW) {
		rt_trusted_row *k;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			rt_trusted_row *nr = realloc(*rows, nc * sizeof *nr);
			if (!nr)
				break;
			*rows = nr;
			cap = nc;
		}
		k = &(*rows)[*n];
		k->region = strdup(rt_col_text(st, 0) ? rt_col_text(st, 0) : "");
		k->keyid = strdup(rt_col_text(st, 1) ? rt_col_text(st, 1) : "");
		k->pubkey = strdup(rt_col_text(st, 2) ? rt_col_text(st, 2) : "");
		(*n)++;
		if (!k->region || !k->keyid || !k->pubkey)
			break;
	}
	rt_db_done(r, st);
	if (step == RT_DONE)
		return ST_OK;
	rt_trusted_keys_free(*rows, *n);
	*rows = NULL;
	*n = 0;
	return step < 0 ? step : rt_fail(r, ST_EIO, "out of memory");
}

int rt_trusted_key_removed(rt_reg *r, const char *keyid_hex, char *region,
                           size_t region_cap, char removed_at[32])
{
	sqlite3_stmt *st;
	int rc = rt_db_row(r, &st, "cannot read the trusted keys", "SELECT "
	                   "region, removed_at FROM trusted_keys WHERE keyid = "
	                   "?1 AND removed_at IS NOT NULL ORDER BY id DESC LIMIT "
	                   "1", RT_ARGS(RT_TEXT(keyid_hex)));
	region[0] = removed_at[0] = 0;
	if (rc != RT_ROW)
		return rc == RT_DONE ? ST_ENOENT : rc;
	rt_col_copy(st, 0, region, region_cap);
	rt_col_copy(st, 1, removed_at, 32);
	rt_db_done(r, st);
	return ST_OK;
}

int rt_trusted_key_add(rt_reg *r, const char *region, const char *keyid_hex,
                       const char *pubkey_b64, const char *comment,
                       const char *added_by)
{
	char now[32];
	int rc;

	rt_now(now);
	rc = rt_db_exec(r, "cannot write the trusted keys", "INSERT INTO "
	                "trusted_keys (region, keyid, pubkey, comment, added_at, "
	                "added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                RT_ARGS(RT_TEXT(region), RT_TEXT(keyid_hex),
	                        RT_TEXT(pubkey_b64),
	                        RT_TEXT(comment ? comment : ""), RT_TEXT(now),
	                        RT_TEXT(added_by)));
	if (rc == ST_ERR && sqlite3_extended_errcode(rt_reg_db(r)) ==
	    SQLITE_CONSTRAINT_UNIQUE)
		return rt_fail(r, ST_ERR, "key '%s' is already trusted", keyid_hex);
	return rc == ST_ERR ? ST_EIO : rc;
}

int rt_trusted_key_remove(rt_reg *r, const char *region,
                          const char *keyid_hex, const char *removed_by)
{
	char now[32];
	int rc;

	rt_now(now);
	rc = rt_db_exec(r, "cannot write the registry", "UPDATE trusted_keys SET "
	                "removed_at = ?1, removed_by = ?2 WHERE region = ?3 AND "
	                "keyid = ?4 AND removed_at IS NULL", RT_ARGS(RT_TEXT(now),
	                RT_TEXT(removed_by), RT_TEXT(region),
	                RT_TEXT(keyid_hex)));
	if (rc)
		return rc;
	return sqlite3_changes(rt_reg_db(r)) == 1 ? ST_OK : ST_ENOENT;
}

/* ---- signatures against it ------------------------------------------------ */

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
	rt_trusted_row *rows = NULL;
	st_trusted_key *keys = NULL;
	size_t nrows = 0, n = 0, which;
	st_diags *d = st_diags_new();
	int rc;

	region[0] = 0;
	if ((rc = rt_trusted_keys(r, only, &rows, &nrows)))
		goto done;
	if (nrows && !(keys = calloc(nrows, sizeof *keys))) {
		rc = rt_fail(r, ST_EIO, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nrows; i++) {
		if (st_pubkey_parse(&keys[n].key, rows[i].pubkey) != 0)
			continue;      /* written by trust add: cannot happen */
		keys[n++].region = rows[i].region;
	}

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
			char was[RT_HSA_MAX + 1], at[32];
			st_keyid_hex(hex, kid);
			rc = rt_trusted_key_removed(r, hex, was, sizeof was, at);
			if (rc == ST_OK)
				rc = rt_fail(r, ST_ERR, "'%s' is signed by key %s of "
				             "region '%s', which was removed from the "
				             "trusted keys at %s; if the agreement with "
				             "'%s' goes on, trust its current key with "
				             "'steg trust add --region %s --key FILE'",
				             display, hex, was, at, was, was);
			if (rc != ST_ENOENT)
				goto done;
		}
		advice(todo, sizeof todo, code, kind, sig, siglen);
		rc = rt_fail(r, ST_ERR, "%s; %s", msg, todo);
	}
done:
	rt_trusted_keys_free(rows, nrows);
	free(keys);
	st_diags_free(d);
	return rc;
}

int rt_trusted_key_list(rt_reg *r, int all, rt_trust_entry **out, size_t *n)
{
	static const char what[] = "cannot read the trusted keys";
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = rt_db_prepare(r, &st, what, "SELECT region, keyid, pubkey, comment, "
	                   "added_at, added_by, removed_at, removed_by FROM "
	                   "trusted_keys WHERE ?1 OR removed_at IS NULL ORDER BY "
	                   "region, id", RT_ARGS(RT_INT(all)));
	while (rc == ST_OK && (rc = rt_db_step(r, st, what)) == RT_ROW) {
		rt_trust_entry *e;
		rc = ST_OK;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			rt_trust_entry *ne = realloc(*out, nc * sizeof *ne);
			if (!ne) {
				rc = rt_fail(r, ST_EIO, "out of memory");
				break;
			}
			*out = ne;
			cap = nc;
		}
		e = &(*out)[(*n)++];
		rt_col_copy(st, 0, e->region, sizeof e->region);
		rt_col_copy(st, 1, e->keyid, sizeof e->keyid);
		rt_col_copy(st, 2, e->pubkey, sizeof e->pubkey);
		rt_col_copy(st, 3, e->comment, sizeof e->comment);
		rt_col_copy(st, 4, e->added_at, sizeof e->added_at);
		rt_col_copy(st, 5, e->added_by, sizeof e->added_by);
		rt_col_copy(st, 6, e->removed_at, sizeof e->removed_at);
		rt_col_copy(st, 7, e->removed_by, sizeof e->removed_by);
	}
	rt_db_done(r, st);
	if (rc != RT_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return ST_OK;
}
