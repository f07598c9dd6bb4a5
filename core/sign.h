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

#endif
