/*
 * sign.c — signatures in minisign 0.11's .minisig format, with libsodium
 * (sign.h).
 *
 * Only the prehashed "ED" signature is accepted; the legacy "Ed" form signs
 * the whole file and gains nothing here.  The trusted comment is the one
 * authenticated place for claims (kind, publisher, id, version, sequence,
 * expiry) and is parsed strictly by st_claims_parse (trustcomment.h).  The
 * key id in a signature is a hint: st_verify_trusted only ever tries keys
 * from the caller's trust store, and a key vouches only for the publisher
 * it was trusted for.  This file never prints.
 */
#include "sign.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "minisign.h"
#include "util.h"

typedef struct parsed_sig {
	uint8_t alg[2];
	uint8_t keyid[8];
	uint8_t sig[64];
	uint8_t global[64];
	char *comment;            /* into the copy */
	size_t clen;
	char *copy;
} parsed_sig;

static void parsed_release(parsed_sig *p)
{
	free(p->copy);
	p->copy = NULL;
}

/* Parse the four lines of a .minisig.  why says what is wrong. */
static int sig_parse(parsed_sig *p, const char *sig, size_t siglen,
                     char *why, size_t whylen)
{
	char *lines[5];
	uint8_t raw[MS_SIG_BYTES];
	int n;

	memset(p, 0, sizeof *p);
	if (!st_ms_sodium_ready()) {
		snprintf(why, whylen, "cannot initialise libsodium");
		return ST_EIO;
	}
	if (siglen > MS_SIGFILE_MAX) {
		snprintf(why, whylen, "it is larger than %d bytes", MS_SIGFILE_MAX);
		return ST_ERR;
	}
	p->copy = malloc(siglen + 1);
	if (!p->copy)
		return ST_EIO;
	memcpy(p->copy, sig, siglen);
	p->copy[siglen] = 0;
	n = st_ms_split_lines(lines, 4, p->copy, siglen);
	if (n != 4) {
		snprintf(why, whylen, "it does not have the four lines of a "
		         "minisign signature");
		goto bad;
	}
	if (strncmp(lines[0], MS_COMMENT_PFX, strlen(MS_COMMENT_PFX))) {
		snprintf(why, whylen, "line 1 is not an untrusted comment");
		goto bad;
	}
	if (st_ms_b64_decode(raw, sizeof raw, lines[1], strlen(lines[1])) != 0) {
		snprintf(why, whylen, "line 2 is not a signature in base64");
		goto bad;
	}
	if (!memcmp(raw, "Ed", 2)) {
		snprintf(why, whylen, "it is a legacy (not prehashed) signature; "
		         "sign without minisign's -l");
		goto bad;
	}
	if (memcmp(raw, "ED", 2)) {
		snprintf(why, whylen, "it uses an unknown signature algorithm");
		goto bad;
	}
	memcpy(p->alg, raw, 2);
	memcpy(p->keyid, raw + 2, 8);
	memcpy(p->sig, raw + 10, 64);
	if (strncmp(lines[2], MS_TRUSTED_PFX, strlen(MS_TRUSTED_PFX))) {
		snprintf(why, whylen, "line 3 is not a trusted comment");
		goto bad;
	}
	p->comment = lines[2] + strlen(MS_TRUSTED_PFX);
	p->clen = strlen(p->comment);
	if (st_ms_b64_decode(p->global, 64, lines[3], strlen(lines[3])) != 0) {
		snprintf(why, whylen, "line 4 is not a signature in base64");
		goto bad;
	}
	return ST_OK;
bad:
	parsed_release(p);
	return ST_ERR;
}

/* 0: both signatures hold; 1: the data's does not; 2: the comment's. */
static int sig_check(const parsed_sig *p, const uint8_t pk[32],
                     const uint8_t hash[64])
{
	int rc = 0;
	if (crypto_sign_verify_detached(p->sig, hash, 64, pk) != 0)
		return 1;
	uint8_t *m = malloc(64 + p->clen);
	if (!m)
		return 2;
	memcpy(m, p->sig, 64);
	memcpy(m + 64, p->comment, p->clen);
	if (crypto_sign_verify_detached(p->global, m, 64 + p->clen, pk) != 0)
		rc = 2;
	free(m);
	return rc;
}

int st_sig_keyid(uint8_t keyid[8], const char *sig, size_t siglen)
{
	parsed_sig p;
	char why[160];
	int rc = sig_parse(&p, sig, siglen, why, sizeof why);
	if (rc != ST_OK)
		return rc;
	memcpy(keyid, p.keyid, 8);
	parsed_release(&p);
	return ST_OK;
}

int st_sign(char **sig, size_t *siglen, st_diags *d, const st_seckey *k,
            const void *data, size_t len, const st_sig_claims *claims)
{
	char comment[1024], id[17];
	uint8_t hash[64], raw[MS_SIG_BYTES], global[64];
	uint8_t *m = NULL;
	st_buf b;
	char b64[128];
	size_t clen;

	*sig = NULL;
	*siglen = 0;
	if (!st_ms_sodium_ready())
		return ST_EIO;
	if (st_claims_format(comment, sizeof comment, claims) != 0) {
		st_diag(d, ST_ERROR, "sig-comment", st_nowhere(),
		        "cannot sign: kind '%s', publisher '%s', id '%s' or "
		        "version '%s' does not fit the trusted comment's grammar",
		        claims->kind, claims->publisher, claims->id,
		        claims->version);
		return ST_ERR;
	}
	clen = strlen(comment);
	crypto_generichash(hash, 64, data, len, NULL, 0);
	memcpy(raw, "ED", 2);
	memcpy(raw + 2, k->keyid, 8);
	crypto_sign_detached(raw + 10, NULL, hash, 64, k->sk);
	m = malloc(64 + clen);
	if (!m)
		return ST_EIO;
	memcpy(m, raw + 10, 64);
	memcpy(m + 64, comment, clen);
	crypto_sign_detached(global, NULL, m, 64 + clen, k->sk);
	free(m);

	st_keyid_hex(id, k->keyid);
	st_buf_init(&b);
	st_buf_printf(&b, MS_COMMENT_PFX "signature from steg secret key %s\n", id);
	st_ms_b64_encode(b64, sizeof b64, raw, sizeof raw);
	st_buf_printf(&b, "%s\n" MS_TRUSTED_PFX "%s\n", b64, comment);
	st_ms_b64_encode(b64, sizeof b64, global, sizeof global);
	st_buf_printf(&b, "%s\n", b64);
	*sig = st_buf_detach(&b, siglen);
	return *sig ? ST_OK : ST_EIO;
}

int st_verify(st_sig_claims *claims, st_diags *d, const st_pubkey *pk,
              const void *data, size_t len, const char *sig, size_t siglen)
{
	parsed_sig p;
	uint8_t hash[64];
	char why[200], a[17], b[17];
	int rc;

	memset(claims, 0, sizeof *claims);
	rc = sig_parse(&p, sig, siglen, why, sizeof why);
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "sig-malformed", st_nowhere(),
		        "the signature is not in minisign's format: %s", why);
		return rc;
	}
	rc = ST_ERR;
	if (memcmp(p.keyid, pk->keyid, 8)) {
		st_keyid_hex(a, p.keyid);
		st_keyid_hex(b, pk->keyid);
		st_diag(d, ST_ERROR, "sig-wrong-key", st_nowhere(),
		        "the signature was made by key %s, not by key %s", a, b);
		goto done;
	}
	crypto_generichash(hash, 64, data, len, NULL, 0);
	switch (sig_check(&p, pk->pk, hash)) {
	case 0:
		break;
	case 1:
		st_diag(d, ST_ERROR, "sig-invalid", st_nowhere(),
		        "the signature does not match the signed data");
		goto done;
	default:
		st_diag(d, ST_ERROR, "sig-invalid", st_nowhere(),
		        "the trusted comment's signature does not hold");
		goto done;
	}
	if (st_claims_parse(claims, p.comment, p.clen, why, sizeof why) != 0) {
		st_diag(d, ST_ERROR, "sig-comment", st_nowhere(),
		        "the trusted comment is not in Steg's grammar: %s", why);
		goto done;
	}
	rc = ST_OK;
done:
	parsed_release(&p);
	return rc;
}

int st_sig_expired(long long expires, long long now)
{
	return expires <= now;
}

int st_verify_trusted(st_sig_claims *claims, size_t *which, st_diags *d,
                      const char *display, const st_trusted_key *keys,
                      size_t nkeys, const char *kind, long long now,
                      const void *data, size_t len, const char *sig,
                      size_t siglen)
{
	parsed_sig p;
	st_sig_claims c;
	uint8_t hash[64];
	char why[200] = "", id[17], head[64];
	int rc = ST_ERR, candidates = 0, verified = 0, parsed_ok = 0;
	size_t hit = (size_t)-1;

	memset(claims, 0, sizeof *claims);
	*which = (size_t)-1;
	rc = sig_parse(&p, sig, siglen, why, sizeof why);
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "sig-malformed", st_nowhere(),
		        "the signature of '%s' is not in minisign's format: %s",
		        display, why);
		return rc;
	}
	rc = ST_ERR;
	st_keyid_hex(id, p.keyid);
	if (!data) {
		/* A checkpoint: the signed data is the head hash that its
		 * trusted comment names (both are checked below). */
		int bad = st_claims_parse(&c, p.comment, p.clen, why,
		                          sizeof why) != 0;
		if (bad || strcmp(c.kind, "checkpoint")) {
			st_diag(d, ST_ERROR, "sig-comment", st_nowhere(),
			        "the trusted comment of '%s' is not that of a "
			        "checkpoint: %s", display, bad ? why :
			        "it is of another kind");
			goto done;
		}
		memcpy(head, c.head, 64);
		data = head;
		len = 64;
	}
	crypto_generichash(hash, 64, data, len, NULL, 0);
	for (size_t i = 0; i < nkeys && hit == (size_t)-1; i++) {
		if (memcmp(keys[i].key.keyid, p.keyid, 8))
			continue;
		candidates++;
		if (sig_check(&p, keys[i].key.pk, hash) != 0)
			continue;
		verified++;
		if (!parsed_ok) {
			if (st_claims_parse(&c, p.comment, p.clen, why,
			                    sizeof why) != 0) {
				st_diag(d, ST_ERROR, "sig-comment", st_nowhere(),
				        "the trusted comment of '%s' is not in "
				        "Steg's grammar: %s", display, why);
				goto done;
			}
			parsed_ok = 1;
		}
		if (!strcmp(c.publisher, keys[i].region))
			hit = i;
	}
	if (!candidates) {
		st_diag(d, ST_ERROR, "sig-untrusted", st_nowhere(),
		        "'%s' is signed by key %s, which is not trusted here",
		        display, id);
		goto done;
	}
	if (!verified) {
		st_diag(d, ST_ERROR, "sig-invalid", st_nowhere(),
		        "the signature of '%s' by key %s does not hold: the "
		        "data or its trusted comment was altered", display, id);
		goto done;
	}
	if (hit == (size_t)-1) {
		const char *region = NULL;
		for (size_t i = 0; i < nkeys; i++)
			if (!memcmp(keys[i].key.keyid, p.keyid, 8)) {
				region = keys[i].region;
				break;
			}
		st_diag(d, ST_ERROR, "sig-wrong-publisher", st_nowhere(),
		        "'%s' claims publisher '%s', but key %s is trusted only "
		        "for '%s'", display, c.publisher, id, region);
		goto done;
	}
	if (kind && strcmp(c.kind, kind)) {
		st_diag(d, ST_ERROR, "sig-wrong-kind", st_nowhere(),
		        "the signature of '%s' is for %s %s, not for %s %s",
		        display, c.kind[0] && strchr("aeiou", c.kind[0]) ? "an" : "a", c.kind,
		        kind[0] && strchr("aeiou", kind[0]) ? "an" : "a", kind);
		goto done;
	}
	/* A checkpoint does not expire: it stays evidence of the log. */
	if (strcmp(c.kind, "checkpoint") && st_sig_expired(c.expires, now)) {
		char t[21];
		st_time_format(t, c.expires);
		st_diag(d, ST_ERROR, "sig-expired", st_nowhere(),
		        "the signature of '%s' expired at %s", display, t);
		goto done;
	}
	*claims = c;
	*which = hit;
	rc = ST_OK;
done:
	parsed_release(&p);
	return rc;
}

int st_bundle_claims_check(st_diags *d, const char *display,
                           const st_sig_claims *c, const char *id,
                           const char *version, const char *producer,
                           long long now)
{
	st_span sp = st_nowhere_in(display);
	int n = 0;
	if (strcmp(c->kind, "bundle")) {
		st_diag(d, ST_ERROR, "bundle-signature-claims", sp,
		        "the signature is for a '%s', not a bundle", c->kind);
		n++;
	}
	if (strcmp(c->id, id) || strcmp(c->version, version)) {
		st_diag(d, ST_ERROR, "bundle-signature-claims", sp,
		        "the signature is for '%s' %s, but the manifest is '%s' %s",
		        c->id, c->version, id, version);
		n++;
	}
	if (strcmp(c->publisher, producer)) {
		st_diag(d, ST_ERROR, "bundle-signature-claims", sp,
		        "the signature names publisher '%s', but the producer is "
		        "'%s'", c->publisher, producer);
		n++;
	}
	if (st_sig_expired(c->expires, now)) {
		char when[21];
		st_time_format(when, c->expires);
		st_diag(d, ST_ERROR, "bundle-signature-expired", sp,
		        "the signature expired at %s", when);
		n++;
	}
	return n;
}
