/*
 * keyfile.c — minisign 0.11's key files, with libsodium (keyfile.h), and
 * the pieces of the format that passphrase.c and sign.c share
 * (minisign.h).
 *
 * Why minisign's formats: a region that receives a bundle should not have
 * to trust Steg to check Steg's own signatures; `minisign -V` verifies a
 * bundle's manifest.xml with the publisher's .pub file, and keys made with
 * `minisign -G` work here.  The layouts (see minisign's src/minisign.h):
 *
 * `minisign -G` work here.  The layouts (see minisign's src/minisign.h):
 *
 *   public key   "Ed" | key id[8] | Ed25519 public key[32]        (42 bytes)
 *   secret key   "Ed" | kdf "Sc" or "\0\0" | "B2" | salt[32] | opslimit[8]
 *                | memlimit[8] | key id[8] | secret key[64] | checksum[32]
 *                the last 104 bytes XORed with scrypt(passphrase) when
 *                encrypted; checksum = BLAKE2b-256("Ed" | key id | sk)
 *   signature    "untrusted comment: ..." / base64("ED" | key id | sig[64])
 *                / "trusted comment: ..." / base64(global sig[64])
 *                sig = Ed25519(BLAKE2b-512(data)); global sig =
 *                Ed25519(sig | trusted comment text)
 *
 * Secrets (decoded secret keys, scrypt streams, passphrases, file text of
 * unencrypted keys) live in sodium_malloc'd memory — locked, guarded — and
 * are zeroed before release.  This file never prints.
 */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minisign.h"
#include "util.h"

/* ---- the shared pieces (minisign.h) ------------------------------------ */

int st_ms_sodium_ready(void)
{
	static int ok;
	if (!ok)
		ok = sodium_init() >= 0;
	return ok;
}

void st_ms_le64_store(uint8_t *p, uint64_t x)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> (8 * i));
}

uint64_t st_ms_le64_load(const uint8_t *p)
{
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = (x << 8) | p[i];
	return x;
}

int st_ms_b64_decode(uint8_t *out, size_t want, const char *s, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, s, n, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return ST_ERR;
	if (got != want || end != s + n)
		return ST_ERR;
	return ST_OK;
}

void st_ms_b64_encode(char *out, size_t cap, const uint8_t *bin, size_t n)
{
	sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
}

int st_ms_read_locked(char **out, size_t *len, const char *path, size_t max,
                      char *why, size_t whylen, unsigned *mode)
{
	int fd = -1, rc = ST_EIO;
	char *buf = NULL;
	size_t n = 0;
	struct stat st;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		rc = errno == ENOENT ? ST_ENOENT : ST_EIO;
		goto done;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		rc = ST_ENOTREG;
		goto done;
	}
	if (mode)
		*mode = (unsigned)st.st_mode & 07777u;
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, whylen, "larger than %zu bytes", max);
		rc = ST_ETOOBIG;
		goto done;
	}
	buf = sodium_malloc(max + 1);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, max + 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whylen, "%s", strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			snprintf(why, whylen, "larger than %zu bytes", max);
			rc = ST_ETOOBIG;
			goto done;
		}
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	buf = NULL;
	rc = ST_OK;
done:
	if (buf)
		sodium_free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

int st_ms_split_lines(char **lines, int max, char *text, size_t len)
{
	int n = 0;
	size_t i = 0;
	if (memchr(text, 0, len))
		return -1;
	while (i < len) {
		char *s = text + i;
		char *nl = memchr(s, '\n', len - i);
		size_t l = nl ? (size_t)(nl - s) : len - i;
		if (n == max)
			return -1;
		i += l + (nl ? 1 : 0);
		if (l && s[l - 1] == '\r')
			l--;
		s[l] = 0;
		lines[n++] = s;
	}
	return n;
}

/* ---- public keys --------------------------------------------------------- */

void st_keyid_hex(char out[17], const uint8_t keyid[8])
{
	static const char hx[] = "0123456789ABCDEF";
	uint64_t v = st_ms_le64_load(keyid);
	for (int i = 15; i >= 0; i--) {
		out[i] = hx[v & 15];
		v >>= 4;
	}
	out[16] = 0;
}

int st_keyid_parse(uint8_t keyid[8], const char *hex)
{
	uint64_t v = 0;
	size_t i;
	for (i = 0; hex[i]; i++) {
		int c = hex[i], n;
		if (c >= '0' && c <= '9') n = c - '0';
		else if (c >= 'A' && c <= 'F') n = c - 'A' + 10;
		else if (c >= 'a' && c <= 'f') n = c - 'a' + 10;
		else return ST_ERR;
		if (i >= 16)
			return ST_ERR;
		v = (v << 4) | (uint64_t)n;
	}
	if (i != 16)
		return ST_ERR;
	st_ms_le64_store(keyid, v);
	return ST_OK;
}

void st_pubkey_b64(char out[ST_PUBKEY_B64_LEN], const st_pubkey *pk)
{
	uint8_t raw[MS_PUB_BYTES];
	raw[0] = 'E';
	raw[1] = 'd';
	memcpy(raw + 2, pk->keyid, 8);
	memcpy(raw + 10, pk->pk, 32);
	st_ms_b64_encode(out, ST_PUBKEY_B64_LEN, raw, sizeof raw);
}

char *st_pubkey_file_text(const st_pubkey *pk)
{
	char id[17], b64[ST_PUBKEY_B64_LEN];
	st_keyid_hex(id, pk->keyid);
	st_pubkey_b64(b64, pk);
	size_t cap = sizeof MS_COMMENT_PFX + 64 + sizeof b64 + 4;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	snprintf(s, cap, MS_COMMENT_PFX "minisign public key %s\n%s\n", id, b64);
	return s;
}

int st_pubkey_parse(st_pubkey *out, const char *b64)
{
	uint8_t raw[MS_PUB_BYTES];
	if (!st_ms_sodium_ready() || !b64)
		return ST_ERR;
	if (st_ms_b64_decode(raw, sizeof raw, b64, strlen(b64)) != 0)
		return ST_ERR;
	if (raw[0] != 'E' || raw[1] != 'd')
		return ST_ERR;
	memcpy(out->keyid, raw + 2, 8);
	memcpy(out->pk, raw + 10, 32);
	return ST_OK;
}

/* A secret that its group or others may read or write is used, with a
 * warning, as ssh warns (the command prints it). */
static void warn_open(st_diags *d, const char *what, const char *path,
                      unsigned mode)
{
	if (mode & 077u)
		st_diag(d, ST_WARNING, "key-permissions", st_nowhere(),
		        "%s '%s' can be read or written by others (mode %04o); "
		        "make it private with 'chmod 600 %s'", what, path, mode,
		        path);
}

/* A key file's text (sodium memory, for read_small's caller to free),
 * with the one message for a key that cannot be read.  what: "public" or
 * "secret"; *mode (may be NULL): the file's permission bits. */
static int read_key_file(char **text, size_t *len, st_diags *d,
                         const char *path, const char *what, unsigned *mode)
{
	char why[128] = "";
	if (!st_ms_sodium_ready()) {
		st_diag(d, ST_ERROR, "key-unreadable", st_nowhere(),
		        "cannot initialise libsodium");
		return ST_EIO;
	}
	int rc = st_ms_read_locked(text, len, path, MS_FILE_MAX, why, sizeof why,
	                    mode);
	if (rc != ST_OK)
		st_diag(d, ST_ERROR, "key-unreadable", st_nowhere(),
		        "cannot read %s key '%s': %s", what, path, why);
	return rc;
}

int st_pubkey_load(st_pubkey *out, st_diags *d, const char *path)
{
	char *text = NULL, *lines[3];
	size_t len;
	int rc, n;

	rc = read_key_file(&text, &len, d, path, "public", NULL);
	if (rc != ST_OK)
		return rc;
	n = st_ms_split_lines(lines, 3, text, len);
	if (n < 2 || (n == 3 && lines[2][0]) ||
	    strncmp(lines[0], MS_COMMENT_PFX, strlen(MS_COMMENT_PFX))) {
		st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
		        "'%s' is not a minisign public key file (an untrusted "
		        "comment line, then the key in base64)", path);
		rc = ST_ERR;
		goto done;
	}
	if (st_pubkey_parse(out, lines[1]) != 0) {
		uint8_t *sec = sodium_malloc(MS_SEC_BYTES);
		int is_secret = sec && st_ms_b64_decode(sec, MS_SEC_BYTES, lines[1],
		                                  strlen(lines[1])) == 0;
		if (sec)
			sodium_free(sec);
		if (is_secret)
			st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
			        "'%s' is a secret key; give the public key (.pub) "
			        "instead, and keep the secret one secret", path);
		else
			st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
			        "'%s' does not hold an Ed25519 public key in "
			        "base64", path);
		rc = ST_ERR;
		goto done;
	}
	rc = ST_OK;
done:
	sodium_free(text);
	return rc;
}

/* ---- secret keys --------------------------------------------------------- */

static void seckey_chk(uint8_t chk[32], const uint8_t *keyid, const uint8_t *sk)
{
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, 32);
	crypto_generichash_update(&hs, (const uint8_t *)"Ed", 2);
	crypto_generichash_update(&hs, keyid, 8);
	crypto_generichash_update(&hs, sk, 64);
	crypto_generichash_final(&hs, chk, 32);
}

/* XOR the keynum part of a secret key record with scrypt(pass). */
static int kdf_xor(uint8_t *rec, const char *pass, uint64_t ops, uint64_t mem)
{
	uint8_t *stream = sodium_malloc(MS_KEYNUM_SK);
	int rc = ST_OK;
	if (!stream)
		return ST_EIO;
	if (crypto_pwhash_scryptsalsa208sha256(stream, MS_KEYNUM_SK, pass,
	                                       strlen(pass), rec + 6,
	                                       (unsigned long long)ops,
	                                       (size_t)mem) != 0)
		rc = ST_EIO;
	else
		for (size_t i = 0; i < MS_KEYNUM_SK; i++)
			rec[MS_KEYNUM_OFF + i] ^= stream[i];
	sodium_free(stream);
	return rc;
}

/* Decrypt the keynum part of an "Sc" record in place with the passphrase
 * from pass, within minisign's scrypt limits. */
static int decrypt_record(uint8_t *rec, st_diags *d, const char *path,
                          const st_passphrase *pass, unsigned *pass_mode)
{
	uint64_t ops = st_ms_le64_load(rec + 38);
	uint64_t mem = st_ms_le64_load(rec + 46);
	if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
	    ops > crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE ||
	    mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN ||
	    mem > crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE) {
		st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
		        "secret key '%s' asks for scrypt limits outside "
		        "minisign's (opslimit %llu, memlimit %llu)", path,
		        (unsigned long long)ops, (unsigned long long)mem);
		return ST_ERR;
	}
	char *buf = sodium_malloc(ST_PASSPHRASE_MAX + 1), what[600];
	if (!buf)
		return ST_EIO;
	snprintf(what, sizeof what, "'%s'", path);
	int rc = st_passphrase_get(buf, d, what, pass, 0, pass_mode);
	if (rc == ST_OK) {
		rc = kdf_xor(rec, buf, ops, mem);
		if (rc != ST_OK)
			st_diag(d, ST_ERROR, "key-unreadable", st_nowhere(),
			        "cannot derive the key of '%s' (out of memory?)",
			        path);
	}
	sodium_free(buf);
	return rc;
}

/* The key of a decoded (decrypted) record into *out, once its checksum
 * holds (minisign leaves an unencrypted key's zero) and its public half
 * belongs to its seed. */
static int record_key(st_seckey **out, st_diags *d, const char *path,
                      const uint8_t *rec)
{
	uint8_t chk[32], zero[32] = { 0 };
	const uint8_t *keyid = rec + MS_KEYNUM_OFF, *sk = keyid + 8;
	const uint8_t *stored = sk + 64;
	int enc = !memcmp(rec + 2, "Sc", 2);
	seckey_chk(chk, keyid, sk);
	int bad = sodium_memcmp(chk, stored, 32) != 0 &&
	          (enc || sodium_memcmp(zero, stored, 32) != 0);
	sodium_memzero(chk, sizeof chk);
	if (bad) {
		if (enc)
			st_diag(d, ST_ERROR, "key-passphrase", st_nowhere(),
			        "wrong passphrase for secret key '%s'", path);
		else
			st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
			        "secret key '%s' is damaged (checksum "
			        "mismatch)", path);
		return ST_ERR;
	}
	st_seckey *k = sodium_malloc(sizeof *k);
	uint8_t pk[32], *sk2 = sodium_malloc(64);
	if (!k || !sk2) {
		if (k)
			sodium_free(k);
		if (sk2)
			sodium_free(sk2);
		return ST_EIO;
	}
	memcpy(k->keyid, keyid, 8);
	memcpy(k->sk, sk, 64);
	crypto_sign_seed_keypair(pk, sk2, k->sk);
	int same = sodium_memcmp(sk2, k->sk, 64) == 0;
	sodium_free(sk2);
	if (!same) {
		st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
		        "secret key '%s' is damaged (its public half does "
		        "not match)", path);
		sodium_free(k);
		return ST_ERR;
	}
	*out = k;
	return ST_OK;
}

int st_seckey_load(st_seckey **out, st_diags *d, const char *path,
                   const st_passphrase *pass, int allow_unencrypted)
{
	char *text = NULL, *lines[3];
	uint8_t *rec = NULL;
	size_t len;
	int rc, n, enc = 0;
	unsigned key_mode = 0, pass_mode = 0;

	*out = NULL;
	rc = read_key_file(&text, &len, d, path, "secret", &key_mode);
	if (rc != ST_OK)
		return rc;
	rc = ST_ERR;
	n = st_ms_split_lines(lines, 3, text, len);
	rec = sodium_malloc(MS_SEC_BYTES);
	if (!rec) {
		rc = ST_EIO;
		goto done;
	}
	if (n < 2 || (n == 3 && lines[2][0]) ||
	    strncmp(lines[0], MS_COMMENT_PFX, strlen(MS_COMMENT_PFX)) ||
	    st_ms_b64_decode(rec, MS_SEC_BYTES, lines[1],
	                     strlen(lines[1])) != 0 ||
	    memcmp(rec, "Ed", 2) || memcmp(rec + 4, "B2", 2)) {
		st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
		        "'%s' is not a minisign secret key file", path);
		goto done;
	}
	if (!memcmp(rec + 2, "\0\0", 2)) {
		if (!allow_unencrypted) {
			st_diag(d, ST_ERROR, "key-unencrypted", st_nowhere(),
			        "secret key '%s' is not encrypted; pass "
			        "--unencrypted to use it anyway", path);
			goto done;
		}
	} else if (!memcmp(rec + 2, "Sc", 2)) {
		enc = 1;
		rc = decrypt_record(rec, d, path, pass, &pass_mode);
		if (rc != ST_OK)
			goto done;
	} else {
		st_diag(d, ST_ERROR, "key-malformed", st_nowhere(),
		        "secret key '%s' uses an unknown key derivation", path);
		goto done;
	}
	rc = record_key(out, d, path, rec);
	if (rc == ST_OK) {
		/* Used, so said: a secret others may read. */
		warn_open(d, "secret key", path, key_mode);
		if (enc && pass->file)
			warn_open(d, "passphrase file", pass->file, pass_mode);
	}
done:
	if (rec)
		sodium_free(rec);
	if (text)
		sodium_free(text);
	return rc;
}

void st_seckey_free(st_seckey *k)
{
	if (k)
		sodium_free(k);
}

void st_seckey_public(const st_seckey *k, st_pubkey *out)
{
	memcpy(out->keyid, k->keyid, 8);
	memcpy(out->pk, k->sk + 32, 32);
}

/* ---- key generation ------------------------------------------------------ */

/* Write data into a new file beside path, then put it at path: with link()
 * so that an existing file is never replaced unless replace.  mode is set
 * before any byte is written. */
static int put_file(st_diags *d, const char *path, const void *data,
                    size_t len, mode_t mode, int replace)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	int fd = -1, rc = ST_EIO;
	const char *p = data;

	if (!tmp)
		goto done;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", 12);
	fd = mkstemp(tmp);
	if (fd < 0) {
		st_diag(d, ST_ERROR, "key-write", st_nowhere(),
		        "cannot create '%s': %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (replace) {
		if (rename(tmp, path) != 0)
			goto fail;
	} else {
		if (link(tmp, path) != 0) {
			if (errno == EEXIST) {
				st_diag(d, ST_ERROR, "key-exists", st_nowhere(),
				        "'%s' already exists; pass --force to "
				        "replace it", path);
				rc = ST_ERR;
				unlink(tmp);
				goto done;
			}
			goto fail;
		}
		unlink(tmp);
	}
	rc = ST_OK;
	goto done;
fail:
	st_diag(d, ST_ERROR, "key-write", st_nowhere(),
	        "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
done:
	free(tmp);
	return rc;
}

/* Encrypt the keynum part of a new record in place with a passphrase from
 * pass (asked twice), at the scrypt cost kdf_cost. */
static int encrypt_record(uint8_t *rec, st_diags *d, const st_passphrase *pass,
                          int kdf_cost)
{
	uint64_t ops, mem;
	unsigned pass_mode = 0;
	char *buf = sodium_malloc(ST_PASSPHRASE_MAX + 1);
	if (!buf)
		return ST_EIO;
	int rc = st_passphrase_get(buf, d, "the new key", pass, 1, &pass_mode);
	if (rc == ST_OK && pass->file)
		warn_open(d, "passphrase file", pass->file, pass_mode);
	if (rc == ST_OK) {
		if (kdf_cost == ST_KDF_INTERACTIVE) {
			ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE;
			mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE;
		} else {
			ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
			mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
		}
		memcpy(rec + 2, "Sc", 2);
		randombytes_buf(rec + 6, 32);
		st_ms_le64_store(rec + 38, ops);
		st_ms_le64_store(rec + 46, mem);
		rc = kdf_xor(rec, buf, ops, mem);
		if (rc != ST_OK)
			st_diag(d, ST_ERROR, "key-write", st_nowhere(),
			        "cannot derive a key from the passphrase (out of "
			        "memory?)");
	}
	sodium_free(buf);
	return rc;
}

/* The text of a secret key file for rec (sodium memory, for the caller to
 * free), *len bytes. */
static char *seckey_file_text(const uint8_t *rec, const st_pubkey *pub,
                              int unencrypted, size_t *len)
{
	char id[17];
	size_t cap = 128 + sodium_base64_ENCODED_LEN(MS_SEC_BYTES,
	                        sodium_base64_VARIANT_ORIGINAL);
	char *text = sodium_malloc(cap);
	if (!text)
		return NULL;
	st_keyid_hex(id, pub->keyid);     /* keyid in rec is encrypted */
	int hl = snprintf(text, cap, MS_COMMENT_PFX "steg secret key %s%s\n",
	                  id, unencrypted ? " (not encrypted)" :
	                  " (encrypted with a passphrase)");
	st_ms_b64_encode(text + hl, cap - (size_t)hl, rec, MS_SEC_BYTES);
	hl += (int)strlen(text + hl);
	text[hl++] = '\n';
	*len = (size_t)hl;
	return text;
}

int st_keygen(st_pubkey *pub, st_diags *d, const char *basename,
              const st_passphrase *pass, int unencrypted, int kdf_cost,
              int force)
{
	size_t blen = strlen(basename), len;
	char *keypath = malloc(blen + 5), *pubpath = malloc(blen + 5);
	uint8_t *rec = NULL;
	char *text = NULL, *pubtext = NULL;
	int rc = ST_EIO, wrote_key = 0;
	struct stat st;

	if (!keypath || !pubpath || !st_ms_sodium_ready())
		goto done;
	memcpy(keypath, basename, blen);
	memcpy(keypath + blen, ".key", 5);
	memcpy(pubpath, basename, blen);
	memcpy(pubpath + blen, ".pub", 5);
	if (!force) {
		const char *exists = lstat(keypath, &st) == 0 ? keypath :
		                     lstat(pubpath, &st) == 0 ? pubpath : NULL;
		if (exists) {
			st_diag(d, ST_ERROR, "key-exists", st_nowhere(),
			        "'%s' already exists; pass --force to replace it",
			        exists);
			rc = ST_ERR;
			goto done;
		}
	}
	rec = sodium_malloc(MS_SEC_BYTES);
	if (!rec)
		goto done;
	memset(rec, 0, MS_SEC_BYTES);
	memcpy(rec, "Ed", 2);
	memcpy(rec + 4, "B2", 2);
	uint8_t *keyid = rec + MS_KEYNUM_OFF, *sk = keyid + 8, *chk = sk + 64;
	randombytes_buf(keyid, 8);
	crypto_sign_keypair(pub->pk, sk);
	memcpy(pub->keyid, keyid, 8);
	seckey_chk(chk, keyid, sk);
	if (unencrypted)
		memcpy(rec + 2, "\0\0", 2);
	else if ((rc = encrypt_record(rec, d, pass, kdf_cost)) != ST_OK)
		goto done;
	text = seckey_file_text(rec, pub, unencrypted, &len);
	if (!text) {
		rc = ST_EIO;
		goto done;
	}
	rc = put_file(d, keypath, text, len, 0600, force);
	if (rc != ST_OK)
		goto done;
	wrote_key = 1;
	pubtext = st_pubkey_file_text(pub);
	if (!pubtext) {
		rc = ST_EIO;
		goto done;
	}
	rc = put_file(d, pubpath, pubtext, strlen(pubtext), 0644, force);
done:
	if (rc != ST_OK && wrote_key && !force)
		unlink(keypath);
	if (rec)
		sodium_free(rec);
	if (text)
		sodium_free(text);
	free(pubtext);
	free(keypath);
	free(pubpath);
	return rc;
}

