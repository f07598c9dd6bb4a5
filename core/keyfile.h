/*
 * keyfile.h — Ed25519 keys in minisign's files (libsodium): public keys
 * as text and .pub files, secret keys encrypted with a passphrase
 * (scrypt, as minisign does), and new key pairs.
 *
 * The files are byte-compatible with minisign 0.11: keys made with
 * `minisign -G` work here, and `minisign -V -p KEY.pub` verifies what
 * Steg signs with a key made here (docs/signatures.md).
 *
 * Problems are key-* findings in d (docs/diagnostics.md) that name no
 * file location.  Secrets (decoded secret keys, scrypt streams,
 * passphrases, the text of unencrypted keys) live in sodium_malloc'd
 * (locked, guarded) memory and are zeroed when freed; nothing here prints
 * or logs a secret.
 */
#ifndef ST_KEYFILE_H
#define ST_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "passphrase.h"

struct st_diags;

typedef struct st_pubkey {
	uint8_t keyid[8];
	uint8_t pk[32];
} st_pubkey;

typedef struct st_seckey st_seckey;   /* opaque; memory is locked/zeroed */

/* ---- public keys and key ids ------------------------------------------ */

/* Base64 of "Ed" + key id + key: 56 characters and a NUL. */
#define ST_PUBKEY_B64_LEN 57
void st_pubkey_b64(char out[ST_PUBKEY_B64_LEN], const st_pubkey *pk);
/* Parse the base64 line of a public key (as stored in the trust table). */
int st_pubkey_parse(st_pubkey *out, const char *b64);
/* The .pub file text for pk (malloc'd, caller frees). */
char *st_pubkey_file_text(const st_pubkey *pk);
/* Load a public key file (minisign .pub: untrusted comment line, then
 * base64 of "Ed" + key id + key). */
int st_pubkey_load(st_pubkey *out, struct st_diags *d, const char *path);

/* A key id as minisign prints it: 16 upper-case hex digits of the id read
 * as a little-endian number ("5C064EF72371C247"). */
void st_keyid_hex(char out[17], const uint8_t keyid[8]);
/* Parse that form back; 0 on success. */
int st_keyid_parse(uint8_t keyid[8], const char *hex);

/* ---- secret keys ------------------------------------------------------- */

/* Load a secret key; an encrypted one takes its passphrase from pass.  An
 * unencrypted key loads only with allow_unencrypted.  A key file or
 * passphrase file that its group or others may read or write adds a
 * warning "key-permissions" to d (as ssh warns) and is used all the same:
 * the command prints it.  *out is the caller's (st_seckey_free). */
int st_seckey_load(st_seckey **out, struct st_diags *d, const char *path,
                   const st_passphrase *pass, int allow_unencrypted);
void st_seckey_free(st_seckey *k);
/* The public half of a secret key. */
void st_seckey_public(const st_seckey *k, st_pubkey *out);

/* ---- new key pairs ----------------------------------------------------- */

/* KDF cost of a new encrypted secret key: minisign's (scrypt "sensitive",
 * 1 GiB, several seconds) or a light one (scrypt "interactive", 16 MiB)
 * for tests and short-lived CI keys. */
enum { ST_KDF_SENSITIVE = 0, ST_KDF_INTERACTIVE = 1 };

/* Make a key pair and write BASENAME.key (0600, created atomically, never
 * over an existing file unless force) and BASENAME.pub.  The passphrase
 * comes from pass (asked twice when it is asked for), unless unencrypted.
 * *pub receives the public key. */
int st_keygen(st_pubkey *pub, struct st_diags *d, const char *basename,
              const st_passphrase *pass, int unencrypted, int kdf_cost,
              int force);

#endif
