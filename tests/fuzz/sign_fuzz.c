/*
 * sign_fuzz.c — a libFuzzer entry point for the signature reader and the
 * trusted-comment grammar (core/sign.c).  The first byte chooses what the
 * rest is:
 *   0  a whole .minisig text, verified with st_verify against a fixed key
 *      and with st_verify_trusted against a small trust store (so mostly
 *      the format: four lines, base64, algorithm, key id);
 *   1  a trusted comment: the harness signs it with the fixed key as
 *      minisign would (prehashed Ed25519 and the global signature), so
 *      that every input reaches the claims parser through st_verify and
 *      st_verify_trusted; a comment that parses must format back to the
 *      same text (the grammar is strict: one spelling per claim set);
 *   2  a public key line, a key id and a timestamp (st_pubkey_parse,
 *      st_keyid_parse, st_time_parse), each of which must print back to
 *      what it parsed.
 * No crash, leak or sanitizer report; a refusal always with an error.
 *
 *   make fuzz FUZZ=sign FUZZ_SECONDS=120      (docs/fuzzing.md)
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "sign.h"

static const uint8_t msg[] = "<manifest/>\n";
static uint8_t pk[32], sk[64];
static st_pubkey key;
static st_trusted_key store[2];

static void init(void)
{
	uint8_t seed[32];
	if (key.keyid[0] || sodium_init() < 0)
		return;
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	crypto_sign_seed_keypair(pk, sk, seed);
	memcpy(key.keyid, "\x47\xc2\x71\x23\xf7\x4e\x06\x5c", 8);
	memcpy(key.pk, pk, 32);
	store[0].region = "SE2321000016-0001";
	store[0].key = key;
	store[1].region = "SE2321000016-0002";
	store[1].key = key;
	store[1].key.pk[0] ^= 1;     /* same id, other key: must not verify */
}

static void b64(char *out, size_t cap, const uint8_t *p, size_t n)
{
	sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
}

/* A minisign signature of msg with the fixed key and this trusted
 * comment (which may hold anything, newlines included). */
static char *make_sig(const char *tc, size_t tclen, size_t *outlen)
{
	uint8_t hash[64], raw[74], global[64];
	char l2[128], l4[128];
	crypto_generichash(hash, 64, msg, sizeof msg - 1, NULL, 0);
	memcpy(raw, "ED", 2);
	memcpy(raw + 2, key.keyid, 8);
	crypto_sign_detached(raw + 10, NULL, hash, 64, sk);
	uint8_t *m = malloc(64 + tclen + 1);
	if (!m)
		abort();
	memcpy(m, raw + 10, 64);
	memcpy(m + 64, tc, tclen);
	crypto_sign_detached(global, NULL, m, 64 + tclen, sk);
	free(m);
	b64(l2, sizeof l2, raw, sizeof raw);
	b64(l4, sizeof l4, global, sizeof global);
	size_t cap = tclen + 400;
	char *s = malloc(cap);
	if (!s)
		abort();
	int n = snprintf(s, cap, "untrusted comment: signature from steg\n"
	                 "%s\ntrusted comment: %.*s\n%s\n", l2, (int)tclen, tc,
	                 l4);
	*outlen = (size_t)n;
	return s;
}

static void verify_both(const char *sig, size_t siglen, const char *tc,
                        size_t tclen)
{
	st_sig_claims c, c2;
	size_t which;
	uint8_t kid[8];
	char back[1024], why[200];
	st_diags *d = st_diags_new();

	int r1 = st_verify(&c, d, &key, msg, sizeof msg - 1, sig, siglen);
	if (r1 != 0 && !st_diags_errors(d))
		abort();
	if (r1 == 0) {
		/* the claims are NUL-terminated and fit their grammar */
		if (!memchr(c.kind, 0, sizeof c.kind) ||
		    !memchr(c.publisher, 0, sizeof c.publisher) ||
		    !memchr(c.id, 0, sizeof c.id) ||
		    !memchr(c.version, 0, sizeof c.version))
			abort();
		if (st_claims_format(back, sizeof back, &c) != 0)
			abort();   /* parsed, but cannot be written */
		if (tc && (strlen(back) != tclen || memcmp(back, tc, tclen)))
			abort();   /* two spellings of one claim set */
		if (st_claims_parse(&c2, back, strlen(back), why, sizeof why) ||
		    memcmp(&c, &c2, sizeof c))
			abort();
	}
	(void)st_sig_keyid(kid, sig, siglen);
	st_diags *d2 = st_diags_new();
	int r2 = st_verify_trusted(&c2, &which, d2, "fuzz.steg", store, 2,
	                           sig[0] & 1 ? "bundle" : NULL, 1700000000LL,
	                           msg, sizeof msg - 1, sig, siglen);
	if (r2 == 0 && (r1 != 0 || which != 0))
		abort();   /* the trust store accepted what the key did not */
	if (r2 != 0 && !st_diags_errors(d2))
		abort();
	st_diags_free(d2);
	st_diags_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	init();
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 3) {
	case 0:
		if (n)
			verify_both(s, n, NULL, 0);
		break;
	case 1: {
		size_t siglen;
		if (n > 4096)
			break;
		char *sig = make_sig(s, n, &siglen);
		/* a comment with a newline breaks the four lines: no tc check */
		verify_both(sig, siglen, memchr(s, '\n', n) || memchr(s, '\r', n)
		            || memchr(s, 0, n) ? NULL : s, n);
		free(sig);
		break;
	}
	default: {
		char *z = malloc(n + 1);
		if (!z)
			abort();
		memcpy(z, s, n);
		z[n] = 0;
		st_pubkey p;
		char b[ST_PUBKEY_B64_LEN], hex[17], t[21];
		uint8_t kid[8];
		long long tm;
		if (st_pubkey_parse(&p, z) == 0) {
			st_pubkey_b64(b, &p);
			st_pubkey q;
			if (st_pubkey_parse(&q, b) || memcmp(&p, &q, sizeof p))
				abort();
			free(st_pubkey_file_text(&p));
		}
		if (st_keyid_parse(kid, z) == 0) {
			st_keyid_hex(hex, kid);
			uint8_t k2[8];
			if (st_keyid_parse(k2, hex) || memcmp(kid, k2, 8))
				abort();
		}
		if (st_time_parse(&tm, z) == 0) {
			st_time_format(t, tm);
			if (strcmp(t, z))
				abort();
		}
		free(z);
	}
	}
	return 0;
}
