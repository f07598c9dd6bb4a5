/*
 * sign.h — Ed25519 signatures in minisign's formats (libsodium).
 *
 * Key files, secret keys encrypted with a passphrase (scrypt, as minisign
 * does) and .minisig signatures are byte-compatible with minisign 0.11, so
 * that `minisign -V -p KEY.pub -m manifest.xml` verifies a bundle.  The
 * trusted comment carries what must not be altered
 * (docs/signatures.md):
 *
 *   trusted comment: steg kind=bundle publisher=SE2321000016-0001
 *                    id=se.x.y version=1.2.0 expires=2027-11-23T00:00:00Z
 *   trusted comment: steg kind=index publisher=SE2321000016-0001
 *                    sequence=7 expires=2026-11-30T09:00:00Z
 *   trusted comment: steg kind=checkpoint publisher=SE2321000016-0001
 *                    sequence=42 head=<64 hex> time=2026-12-02T13:00:00Z
 *
 * A checkpoint (`steg audit checkpoint`, docs/registry.md) signs the head
 * of a registry's audit log: the signed data is the 64 hex digits of
 * head, and it never expires.
 *
 * Diagnostic codes: key-* for key files and passphrases, sig-* for
 * signatures (docs/diagnostics.md).  Secrets live in sodium_malloc'd
 * (locked, guarded) memory and are zeroed when freed; no function here
 * prints or logs a secret.
 */
#ifndef ST_SIGN_H
#define ST_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include "vocab.h"   /* st_time_format, st_time_parse, st_is_hsa_id */

typedef struct st_pubkey {
	uint8_t keyid[8];
	uint8_t pk[32];
} st_pubkey;

typedef struct st_seckey st_seckey;   /* opaque; memory is locked/zeroed */

/* What the trusted comment says. Strings are NUL-terminated copies. */
typedef struct st_sig_claims {
	char kind[32];          /* "bundle" | "index" */
	char publisher[72];     /* HSA-id (core/vocab.h) */
	char id[128];
	char version[64];
	long long expires;      /* unix time; 0 = none (checkpoints) */
	long long sequence;     /* channels' index; checkpoint: the row */
	char head[65];          /* checkpoint: the row's hash, lower hex */
	long long time;         /* checkpoint: when it was signed */
} st_sig_claims;

struct st_diags;

/* Load a public key file (minisign .pub: untrusted comment line, then
 * base64 of "Ed" + key id + key). */
int st_pubkey_load(st_pubkey *out, struct st_diags *d, const char *path);
/* Parse the base64 line of a public key (as stored in the trust table). */
int st_pubkey_parse(st_pubkey *out, const char *b64);

/* Load a secret key.  pass_env: name of an environment variable holding the
 * passphrase, pass_file: a file whose first line is it; both NULL means ask
 * on the terminal.  An unencrypted key loads only with allow_unencrypted.
 * A key file or passphrase file that its group or others may read or
 * write adds a warning "key-permissions" to d (as ssh warns) and is used
 * all the same: the command prints it. */
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

/* ---- keys as text, key pairs, trusted comments ---------------------- */

/* Base64 of "Ed" + key id + key: 56 characters and a NUL. */
#define ST_PUBKEY_B64_LEN 57
void st_pubkey_b64(char out[ST_PUBKEY_B64_LEN], const st_pubkey *pk);
/* A key id as minisign prints it: 16 upper-case hex digits of the id read
 * as a little-endian number ("5C064EF72371C247"). */
void st_keyid_hex(char out[17], const uint8_t keyid[8]);
/* Parse that form back; 0 on success. */
int st_keyid_parse(uint8_t keyid[8], const char *hex);
/* The .pub file text for pk (malloc'd, caller frees). */
char *st_pubkey_file_text(const st_pubkey *pk);

/* KDF cost of a new encrypted secret key: minisign's (scrypt "sensitive",
 * 1 GiB, several seconds) or a light one (scrypt "interactive", 16 MiB)
 * for tests and short-lived CI keys. */
enum { ST_KDF_SENSITIVE = 0, ST_KDF_INTERACTIVE = 1 };

/* Make a key pair and write BASENAME.key (0600, created atomically, never
 * over an existing file unless force) and BASENAME.pub.  The passphrase
 * comes from pass_env, pass_file or the terminal (asked twice), unless
 * unencrypted.  *pub receives the public key. */
int st_keygen(st_pubkey *pub, struct st_diags *d, const char *basename,
              const char *pass_env, const char *pass_file, int unencrypted,
              int kdf_cost, int force);

/* The trusted comment text (without "trusted comment: ") for claims, in
 * Steg's grammar (docs/signatures.md).  Returns 0, or ST_ERR when a field
 * does not fit the grammar; out is NUL-terminated. */
int st_claims_format(char *out, size_t cap, const st_sig_claims *claims);
/* Parse a trusted comment strictly: unknown, repeated or missing fields and
 * values outside their pattern are refused.  0 on success. */
int st_claims_parse(st_sig_claims *out, const char *text, size_t len,
                    char *why, size_t whylen);

/* Timestamps (st_time_format, st_time_parse) and the HSA-id rule of the
 * publisher are core/vocab.h's, the same for every time and id Steg
 * reads and writes. */

/* The one expiry rule for signatures, used by stegc sign, stegc verify
 * and the registry alike: a signature that expires at E (unix time) holds
 * up to E - 1 and is expired from E on.  Returns 1 when expired at now. */
int st_sig_expired(long long expires, long long now);

/* A key of the caller's trust store and the publisher (region HSA-id) it
 * was trusted for. */
typedef struct st_trusted_key {
	const char *region;
	st_pubkey key;
} st_trusted_key;

/* Verify sig over data against a trust store: the key is chosen from keys
 * by the signature's key id (a hint only: nothing outside keys is ever
 * used), and the claims must say kind (when not NULL), name the region the
 * key was trusted for as publisher, and not be expired at now (a
 * checkpoint does not expire).  *which is the index of the key that
 * verified.  Every refusal is a diagnostic whose file is display (the
 * signed object's name).  data NULL: sig is a checkpoint, whose signed
 * data is the head its own trusted comment names. */
int st_verify_trusted(st_sig_claims *claims, size_t *which,
                      struct st_diags *d, const char *display,
                      const st_trusted_key *keys, size_t nkeys,
                      const char *kind, long long now,
                      const void *data, size_t len,
                      const char *sig, size_t siglen);

/* The claims of a bundle signature must be about this bundle: kind
 * "bundle", the manifest's id and version, the manifest's producer as
 * publisher (`bundle-signature-claims`), and not expired at now
 * (st_sig_expired; `bundle-signature-expired`).  The one rule that
 * `stegc verify --pubkey`, `steg import` and `steg sync` apply; together
 * with st_verify_trusted (publisher = the region the key is trusted for)
 * it binds the producer to the signer.  One finding per mismatch, its file
 * display.  Returns the number of findings. */
int st_bundle_claims_check(struct st_diags *d, const char *display,
                           const st_sig_claims *c, const char *id,
                           const char *version, const char *producer,
                           long long now);

#endif
