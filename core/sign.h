/*
 * sign.h — Ed25519 signatures in minisign's formats (libsodium).
 *
 * Key files, secret keys encrypted with a passphrase (scrypt, as minisign
 * does) and .minisig signatures are byte-compatible with minisign 0.11, so
 * that `minisign -V -p KEY.pub -m manifest.xml` verifies a bundle.  The
 * trusted comment carries what must not be altered
 * (../shared/HAZARDS.md; docs/signatures.md):
 *
 *   trusted comment: steg kind=bundle publisher=SE2321000016-0001
 *                    id=se.x.y version=1.2.0 expires=2027-11-23T00:00:00Z
 */
#ifndef ST_SIGN_H
#define ST_SIGN_H

#include <stddef.h>
#include <stdint.h>

typedef struct st_pubkey {
	uint8_t keyid[8];
	uint8_t pk[32];
} st_pubkey;

typedef struct st_seckey st_seckey;   /* opaque; memory is locked/zeroed */

/* What the trusted comment says. Strings are NUL-terminated copies. */
typedef struct st_sig_claims {
	char kind[32];          /* "bundle" | "index" */
	char publisher[64];     /* HSA-id */
	char id[128];
	char version[64];
	long long expires;      /* unix time; 0 = none */
	long long sequence;     /* channels' index only */
} st_sig_claims;

struct st_diags;

/* Load a public key file (minisign .pub: untrusted comment line, then
 * base64 of "Ed" + key id + key). */
int st_pubkey_load(st_pubkey *out, struct st_diags *d, const char *path);
/* Parse the base64 line of a public key (as stored in the trust table). */
int st_pubkey_parse(st_pubkey *out, const char *b64);

/* Load a secret key.  pass_env: name of an environment variable holding the
 * passphrase, pass_file: a file whose first line is it; both NULL means ask
 * on the terminal.  An unencrypted key loads only with allow_unencrypted. */
int st_seckey_load(st_seckey **out, struct st_diags *d, const char *path,
                   const char *pass_env, const char *pass_file,
                   int allow_unencrypted);
void st_seckey_free(st_seckey *k);
/* The public half of a secret key. */
void st_seckey_public(const st_seckey *k, st_pubkey *out);

/* Sign data (prehashed "ED" signature) with the claims as trusted comment.
 * *sig is the whole .minisig text, malloc'd. */
int st_sign(char **sig, size_t *siglen, struct st_diags *d,
            const st_seckey *k, const void *data, size_t len,
            const st_sig_claims *claims);

/* Verify sig over data with pk (which the caller chose from its trust
 * store) and parse the trusted comment into *claims.  Checks the global
 * signature too.  Returns 0 only when everything holds. */
int st_verify(st_sig_claims *claims, struct st_diags *d, const st_pubkey *pk,
              const void *data, size_t len, const char *sig, size_t siglen);
/* The key id a signature names (a hint for picking the key). */
int st_sig_keyid(uint8_t keyid[8], const char *sig, size_t siglen);

#endif
