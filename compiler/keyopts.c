/*
 * keyopts.c — plain printing of key and signature
 * findings, and the one way stegc signs a manifest (keyopts.h), shared by
 * `stegc sign` and `stegc build --sign`.
 *
 * Both go through sc_sign_manifest, and so through one expiry rule
 * (sc_sign_expiry): DAYS counted from SOURCE_DATE_EPOCH when it is set,
 * else from now.  Ed25519 is deterministic, so the signature — and with it
 * the whole bundle — is reproducible exactly when the expiry is: a build
 * signed on the way and a build signed afterwards give the same bytes
 * (docs/signatures.md).
 */
#include "keyopts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sign.h"
#include "term.h"
#include "util.h"

st_passphrase sc_keyopts_passphrase(const sc_keyopts *o)
{
	st_passphrase p = { o->pass_env, o->pass_file, st_term_ask, NULL };
	return p;
}

int sc_print_findings(const st_diags *d)
{
	st_diags_render(d, stderr, ST_FMT_BRIEF, 0, "stegc");
	return st_diags_errors(d);
}

int sc_parse_days(long *days, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 36600)
		return -1;
	*days = v;
	return 0;
}

int sc_sign_expiry(long long *expires, st_diags *d, long days)
{
	long long sde = st_source_date_epoch();
	long long from = sde ? sde : (long long)time(NULL);

	*expires = from + (long long)days * 86400;
	if (st_sig_expired(*expires, (long long)time(NULL))) {
		char when[21];
		st_time_format(when, *expires);
		st_diag(d, ST_ERROR, "bundle-signature-expired", (st_span){ 0 },
		        "the signature would expire at %s, which has passed "
		        "(SOURCE_DATE_EPOCH plus %ld days); give a larger "
		        "'--expires', or a later SOURCE_DATE_EPOCH", when, days);
		return ST_ERR;
	}
	return ST_OK;
}

int sc_sign_manifest(char **sig, size_t *siglen, st_diags *d,
                     const char *keypath, const sc_keyopts *o,
                     const char *publisher, const char *id,
                     const char *version, long days,
                     const char *manifest, size_t len)
{
	st_seckey *k = NULL;
	st_sig_claims c, back;
	st_pubkey pk;
	int rc;

	*sig = NULL;
	*siglen = 0;
	memset(&c, 0, sizeof c);
	strcpy(c.kind, "bundle");
	if (!publisher || !id || !version ||
	    strlen(publisher) >= sizeof c.publisher ||
	    strlen(id) >= sizeof c.id || strlen(version) >= sizeof c.version) {
		st_diag(d, ST_ERROR, "sig-comment", (st_span){ 0 },
		        "the publisher, id or version is missing or too long "
		        "to sign");
		return ST_ERR;
	}
	strcpy(c.publisher, publisher);
	strcpy(c.id, id);
	strcpy(c.version, version);
	if ((rc = sc_sign_expiry(&c.expires, d, days)) != ST_OK)
		return rc;
	st_passphrase pass = sc_keyopts_passphrase(o);
	rc = st_seckey_load(&k, d, keypath, &pass, o->unencrypted);
	if (rc != ST_OK)
		return rc;
	rc = st_sign(sig, siglen, d, k, manifest, len, &c);
	if (rc == ST_OK) {
		st_seckey_public(k, &pk);
		rc = st_verify(&back, d, &pk, manifest, len, *sig, *siglen);
	}
	st_seckey_free(k);
	if (rc != ST_OK) {
		free(*sig);
		*sig = NULL;
		*siglen = 0;
	}
	return rc;
}
