/*
 * minisign.h — what key files (keyfile.c), passphrases (passphrase.c) and
 * signatures (sign.c) share of minisign 0.11's formats (the layouts are
 * drawn in keyfile.c): record sizes, the comment prefixes, the secret key
 * in memory, strict base64, line splitting, and reading a small file into
 * locked memory.  Core-internal: the binaries use keyfile.h,
 * passphrase.h, trustcomment.h and sign.h.  Implemented in keyfile.c.
 */
#ifndef ST_MINISIGN_H
#define ST_MINISIGN_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define MS_PUB_BYTES      42
#define MS_SEC_BYTES      158
#define MS_SIG_BYTES      74
#define MS_KEYNUM_SK      104           /* key id + sk + checksum */
#define MS_KEYNUM_OFF     54            /* where keynum_sk starts */
#define MS_FILE_MAX       4096          /* a key or passphrase file */
#define MS_SIGFILE_MAX    (1024 + 8192 + 256)
#define MS_COMMENT_PFX    "untrusted comment: "
#define MS_TRUSTED_PFX    "trusted comment: "

/* A decoded secret key, in sodium_malloc'd memory (keyfile.h's opaque
 * st_seckey). */
struct st_seckey {
	uint8_t keyid[8];
	uint8_t sk[64];               /* seed | public key */
};

/* Key and signature findings name no file (or the signed object). */
static inline st_span st_nowhere_in(const char *file)
{
	st_span sp = { file, 0, 0, 0, 0 };
	return sp;
}
static inline st_span st_nowhere(void)
{
	return st_nowhere_in(NULL);
}

/* sodium_init() once; 1 when libsodium is ready. */
int st_ms_sodium_ready(void);

uint64_t st_ms_le64_load(const uint8_t *p);
void st_ms_le64_store(uint8_t *p, uint64_t x);

/* Strict base64 (original alphabet, padded) of exactly want bytes: 0 or
 * ST_ERR.  Encoding writes a NUL-terminated string into out[cap]. */
int st_ms_b64_decode(uint8_t *out, size_t want, const char *s, size_t n);
void st_ms_b64_encode(char *out, size_t cap, const uint8_t *bin, size_t n);

/* Split text into at most max lines (a final line may lack its '\n'; a
 * '\r' before '\n' is dropped).  Lines are pointers into text, which is
 * modified.  Returns the number of lines, or -1 when there are more, or a
 * NUL byte inside. */
int st_ms_split_lines(char **lines, int max, char *text, size_t len);

/* Read a small regular file into sodium_malloc'd memory (so that the text
 * of an unencrypted secret key or a passphrase file is locked and zeroed
 * like a key), which the caller frees with sodium_free.  *len bytes,
 * NUL-terminated; *mode (when not NULL) gets the permission bits.
 * Returns 0, ST_ENOENT, ST_ETOOBIG, ST_ENOTREG or ST_EIO with errno-ish
 * text in why. */
int st_ms_read_locked(char **out, size_t *len, const char *path, size_t max,
                      char *why, size_t whylen, unsigned *mode);

#endif
