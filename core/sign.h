/*
 * sign.h — Ed25519 signatures in minisign's .minisig format (libsodium),
 * with Steg's claims in the trusted comment, and the rules for trusting
 * them (docs/signatures.md).
 *
 * A signature is byte-compatible with minisign 0.11, so that
 * `minisign -V -p KEY.pub -m manifest.xml` verifies a bundle.  The keys
 * are keyfile.h's; the claims and their grammar trustcomment.h's (both
 * included here).  Diagnostic codes: sig-* for signatures, bundle-
 * signature-* for a bundle's claims (docs/diagnostics.md).
 */
#ifndef ST_SIGN_H
#define ST_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "trustcomment.h"

struct st_diags;

/* ---- signing and verifying with one key -------------------------------- */

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

/* ---- trusting a signature ---------------------------------------------- */

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
