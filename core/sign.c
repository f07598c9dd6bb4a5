/*
 * sign.c — keys and signatures in minisign 0.11's formats, with libsodium.
 *
 * Why minisign's formats: a region that receives a bundle should not have
 * to trust Steg to check Steg's own signatures; `minisign -V` verifies a
 * bundle's manifest.xml with the publisher's .pub file, and keys made with
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
 * Only the prehashed "ED" signature is accepted; the legacy "Ed" form signs
 * the whole file and gains nothing here.  The trusted comment is the one
 * authenticated place for claims (kind, publisher, id, version, sequence,
 * expiry) and is parsed strictly by st_claims_parse.  The key id in a
 * signature is a hint: st_verify_trusted only ever tries keys from the
 * caller's trust store, and a key vouches only for the publisher it was
 * trusted for.
 *
 * Secrets (decoded secret keys, scrypt streams, passphrases, file text of
 * unencrypted keys) live in sodium_malloc'd memory — locked, guarded — and
 * are zeroed before release.  This file never prints; the only terminal
 * I/O is the passphrase prompt, on /dev/tty with echo off.
 */
#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define PUB_BYTES      42
#define SEC_BYTES      158
#define SIG_BYTES      74
#define KEYNUM_SK      104           /* key id + sk + checksum */
#define KEYNUM_OFF     54            /* where keynum_sk starts */
#define PASS_MAX       1024
#define KEYFILE_MAX    4096
#define SIGFILE_MAX    (1024 + 8192 + 256)
#define COMMENT_PFX    "untrusted comment: "
#define TRUSTED_PFX    "trusted comment: "

struct st_seckey {
	uint8_t keyid[8];
	uint8_t sk[64];               /* seed | public key */
};

static st_span nowhere(const char *file)
{
	st_span sp = { file, 0, 0, 0, 0 };
	return sp;
}

static int sodium_ready(void)
{
	static int ok;
	if (!ok)
		ok = sodium_init() >= 0;
	return ok;
}

static void le64_store(uint8_t *p, uint64_t x)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> (8 * i));
}

static uint64_t le64_load(const uint8_t *p)
{
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = (x << 8) | p[i];
	return x;
}

void st_keyid_hex(char out[17], const uint8_t keyid[8])
{
	static const char hx[] = "0123456789ABCDEF";
	uint64_t v = le64_load(keyid);
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
	le64_store(keyid, v);
	return ST_OK;
}

/* Strict base64 (original alphabet, padded) of exactly want bytes. */
static int b64_decode(uint8_t *out, size_t want, const char *s, size_t n)
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

static void b64_encode(char *out, size_t cap, const uint8_t *bin, size_t n)
{
	sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
}

void st_pubkey_b64(char out[ST_PUBKEY_B64_LEN], const st_pubkey *pk)
{
	uint8_t raw[PUB_BYTES];
	raw[0] = 'E';
	raw[1] = 'd';
	memcpy(raw + 2, pk->keyid, 8);
	memcpy(raw + 10, pk->pk, 32);
	b64_encode(out, ST_PUBKEY_B64_LEN, raw, sizeof raw);
}

char *st_pubkey_file_text(const st_pubkey *pk)
{
	char id[17], b64[ST_PUBKEY_B64_LEN];
	st_keyid_hex(id, pk->keyid);
	st_pubkey_b64(b64, pk);
	size_t cap = sizeof COMMENT_PFX + 64 + sizeof b64 + 4;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	snprintf(s, cap, COMMENT_PFX "minisign public key %s\n%s\n", id, b64);
	return s;
}

int st_pubkey_parse(st_pubkey *out, const char *b64)
{
	uint8_t raw[PUB_BYTES];
	if (!sodium_ready() || !b64)
		return ST_ERR;
	if (b64_decode(raw, sizeof raw, b64, strlen(b64)) != 0)
		return ST_ERR;
	if (raw[0] != 'E' || raw[1] != 'd')
		return ST_ERR;
	memcpy(out->keyid, raw + 2, 8);
	memcpy(out->pk, raw + 10, 32);
	return ST_OK;
}

/* ---- small files ------------------------------------------------------- */

/* Read a small regular file into sodium_malloc'd memory (so that the text of
 * an unencrypted secret key is locked and zeroed like the key).  *len bytes,
 * NUL-terminated.  Returns 0, ST_ENOENT, ST_ETOOBIG, ST_ENOTREG or ST_EIO
 * with errno-ish text in why. */
static int read_small(char **out, size_t *len, const char *path, size_t max,
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

/* Split text into at most max lines (a final line may lack its '\n'; a
 * '\r' before '\n' is dropped).  Lines are pointers into text, which is
 * modified.  Returns the number of lines, or -1 when there are more, or a
 * NUL byte inside. */
static int split_lines(char **lines, int max, char *text, size_t len)
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

/* A secret that its group or others may read or write is used, with a
 * warning, as ssh warns (the command prints it). */
static void warn_open(st_diags *d, const char *what, const char *path,
                      unsigned mode)
{
	if (mode & 077u)
		st_diag(d, ST_WARNING, "key-permissions", nowhere(NULL),
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
	if (!sodium_ready()) {
		st_diag(d, ST_ERROR, "key-unreadable", nowhere(NULL),
		        "cannot initialise libsodium");
		return ST_EIO;
	}
	int rc = read_small(text, len, path, KEYFILE_MAX, why, sizeof why,
	                    mode);
	if (rc != ST_OK)
		st_diag(d, ST_ERROR, "key-unreadable", nowhere(NULL),
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
	n = split_lines(lines, 3, text, len);
	if (n < 2 || (n == 3 && lines[2][0]) ||
	    strncmp(lines[0], COMMENT_PFX, strlen(COMMENT_PFX))) {
		st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
		        "'%s' is not a minisign public key file (an untrusted "
		        "comment line, then the key in base64)", path);
		rc = ST_ERR;
		goto done;
	}
	if (st_pubkey_parse(out, lines[1]) != 0) {
		uint8_t *sec = sodium_malloc(SEC_BYTES);
		int is_secret = sec && b64_decode(sec, SEC_BYTES, lines[1],
		                                  strlen(lines[1])) == 0;
		if (sec)
			sodium_free(sec);
		if (is_secret)
			st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
			        "'%s' is a secret key; give the public key (.pub) "
			        "instead, and keep the secret one secret", path);
		else
			st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
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

/* ---- passphrases ------------------------------------------------------- */

/* Read one line from the terminal with echo off into buf (PASS_MAX + 1). */
static int tty_read(char *buf, int fd, const char *prompt)
{
	struct termios old, quiet;
	int have_termios = tcgetattr(fd, &old) == 0;
	size_t n = 0;
	int rc = ST_OK;

	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fd, TCSANOW, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		rc = ST_EIO;
	while (rc == ST_OK) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (n == 0)
				rc = ST_EIO;
			break;
		}
		if (c == '\n')
			break;
		if (n == PASS_MAX) {
			rc = ST_ETOOBIG;
			continue;     /* drain the line */
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = 0;
	if (have_termios)
		tcsetattr(fd, TCSANOW, &old);
	return rc;
}

/* Get a passphrase into buf (sodium memory, PASS_MAX + 1 bytes) from the
 * environment, a file's first line or the terminal.  what names the key
 * in messages.  confirm: ask twice on the terminal (a new key). */
static int get_passphrase(char *buf, st_diags *d, const char *what,
                          const char *env, const char *file, int confirm,
                          unsigned *file_mode)
{
	int rc = ST_ERR;
	char *text = NULL, *again = NULL;
	size_t len = 0;
	char why[128] = "";
	int fd = -1;

	buf[0] = 0;
	if (env && file) {
		st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
		        "give the passphrase either from the environment or "
		        "from a file, not both");
		return ST_ERR;
	}
	if (env) {
		const char *v = getenv(env);
		if (!v) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "environment variable '%s' is not set", env);
			return ST_ERR;
		}
		if (strlen(v) > PASS_MAX) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "the passphrase in '%s' is longer than %d bytes",
			        env, PASS_MAX);
			return ST_ERR;
		}
		memcpy(buf, v, strlen(v) + 1);
	} else if (file) {
		rc = read_small(&text, &len, file, KEYFILE_MAX, why, sizeof why,
		                file_mode);
		if (rc != ST_OK) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "cannot read passphrase file '%s': %s", file, why);
			return rc;
		}
		size_t l = strcspn(text, "\n");
		if (l && text[l - 1] == '\r')
			l--;
		if (l > PASS_MAX) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "the passphrase in '%s' is longer than %d bytes",
			        file, PASS_MAX);
			rc = ST_ERR;
			goto done;
		}
		memcpy(buf, text, l);
		buf[l] = 0;
	} else {
		char prompt[512];
		fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "no terminal to ask for the passphrase of %s; use "
			        "--passphrase-env VAR or --passphrase-file FILE",
			        what);
			return ST_ERR;
		}
		snprintf(prompt, sizeof prompt, "passphrase for %s: ", what);
		rc = tty_read(buf, fd, prompt);
		if (rc == ST_OK && confirm) {
			again = sodium_malloc(PASS_MAX + 1);
			if (!again) {
				rc = ST_EIO;
			} else {
				rc = tty_read(again, fd, "the same passphrase again: ");
				if (rc == ST_OK && strcmp(buf, again)) {
					st_diag(d, ST_ERROR, "key-passphrase",
					        nowhere(NULL),
					        "the two passphrases differ");
					rc = ST_ERR;
					goto done;
				}
			}
		}
		if (rc == ST_ETOOBIG) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "the passphrase is longer than %d bytes", PASS_MAX);
			goto done;
		}
		if (rc != ST_OK) {
			st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
			        "no passphrase was read from the terminal");
			goto done;
		}
	}
	if (!buf[0]) {
		st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
		        "the passphrase for %s is empty", what);
		rc = ST_ERR;
		goto done;
	}
	rc = ST_OK;
done:
	if (rc != ST_OK)
		sodium_memzero(buf, PASS_MAX + 1);
	if (text)
		sodium_free(text);
	if (again)
		sodium_free(again);
	if (fd >= 0)
		close(fd);
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
	uint8_t *stream = sodium_malloc(KEYNUM_SK);
	int rc = ST_OK;
	if (!stream)
		return ST_EIO;
	if (crypto_pwhash_scryptsalsa208sha256(stream, KEYNUM_SK, pass,
	                                       strlen(pass), rec + 6,
	                                       (unsigned long long)ops,
	                                       (size_t)mem) != 0)
		rc = ST_EIO;
	else
		for (size_t i = 0; i < KEYNUM_SK; i++)
			rec[KEYNUM_OFF + i] ^= stream[i];
	sodium_free(stream);
	return rc;
}

int st_seckey_load(st_seckey **out, st_diags *d, const char *path,
                   const char *pass_env, const char *pass_file,
                   int allow_unencrypted)
{
	char *text = NULL, *lines[3], *pass = NULL;
	uint8_t *rec = NULL;
	st_seckey *k = NULL;
	char what[600];
	size_t len;
	int rc = ST_ERR, n;
	unsigned key_mode = 0, pass_mode = 0;

	*out = NULL;
	rc = read_key_file(&text, &len, d, path, "secret", &key_mode);
	if (rc != ST_OK)
		return rc;
	rc = ST_ERR;
	n = split_lines(lines, 3, text, len);
	rec = sodium_malloc(SEC_BYTES);
	if (!rec) {
		rc = ST_EIO;
		goto done;
	}
	if (n < 2 || (n == 3 && lines[2][0]) ||
	    strncmp(lines[0], COMMENT_PFX, strlen(COMMENT_PFX)) ||
	    b64_decode(rec, SEC_BYTES, lines[1], strlen(lines[1])) != 0 ||
	    memcmp(rec, "Ed", 2) || memcmp(rec + 4, "B2", 2)) {
		st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
		        "'%s' is not a minisign secret key file", path);
		goto done;
	}
	snprintf(what, sizeof what, "'%s'", path);
	if (!memcmp(rec + 2, "\0\0", 2)) {
		if (!allow_unencrypted) {
			st_diag(d, ST_ERROR, "key-unencrypted", nowhere(NULL),
			        "secret key '%s' is not encrypted; pass "
			        "--unencrypted to use it anyway", path);
			goto done;
		}
	} else if (!memcmp(rec + 2, "Sc", 2)) {
		uint64_t ops = le64_load(rec + 38), mem = le64_load(rec + 46);
		if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
		    ops > crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE ||
		    mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN ||
		    mem > crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE) {
			st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
			        "secret key '%s' asks for scrypt limits outside "
			        "minisign's (opslimit %llu, memlimit %llu)", path,
			        (unsigned long long)ops, (unsigned long long)mem);
			goto done;
		}
		pass = sodium_malloc(PASS_MAX + 1);
		if (!pass) {
			rc = ST_EIO;
			goto done;
		}
		rc = get_passphrase(pass, d, what, pass_env, pass_file, 0,
		                    &pass_mode);
		if (rc != ST_OK)
			goto done;
		rc = kdf_xor(rec, pass, ops, mem);
		if (rc != ST_OK) {
			st_diag(d, ST_ERROR, "key-unreadable", nowhere(NULL),
			        "cannot derive the key of '%s' (out of memory?)",
			        path);
			goto done;
		}
		rc = ST_ERR;
	} else {
		st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
		        "secret key '%s' uses an unknown key derivation", path);
		goto done;
	}
	{
		uint8_t chk[32], zero[32] = { 0 };
		const uint8_t *keyid = rec + KEYNUM_OFF, *sk = keyid + 8;
		const uint8_t *stored = sk + 64;
		int enc = !memcmp(rec + 2, "Sc", 2);
		seckey_chk(chk, keyid, sk);
		/* minisign leaves the checksum of an unencrypted key zero */
		if (sodium_memcmp(chk, stored, 32) != 0 &&
		    (enc || sodium_memcmp(zero, stored, 32) != 0)) {
			if (enc)
				st_diag(d, ST_ERROR, "key-passphrase", nowhere(NULL),
				        "wrong passphrase for secret key '%s'", path);
			else
				st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
				        "secret key '%s' is damaged (checksum "
				        "mismatch)", path);
			sodium_memzero(chk, sizeof chk);
			goto done;
		}
		sodium_memzero(chk, sizeof chk);
		k = sodium_malloc(sizeof *k);
		if (!k) {
			rc = ST_EIO;
			goto done;
		}
		memcpy(k->keyid, keyid, 8);
		memcpy(k->sk, sk, 64);
		/* the public half stored in sk must belong to its seed */
		uint8_t pk[32], *sk2 = sodium_malloc(64);
		if (!sk2) {
			rc = ST_EIO;
			goto done;
		}
		crypto_sign_seed_keypair(pk, sk2, k->sk);
		int same = sodium_memcmp(sk2, k->sk, 64) == 0;
		sodium_free(sk2);
		if (!same) {
			st_diag(d, ST_ERROR, "key-malformed", nowhere(NULL),
			        "secret key '%s' is damaged (its public half does "
			        "not match)", path);
			goto done;
		}
	}
	*out = k;
	k = NULL;
	rc = ST_OK;
	/* Used, so said: a secret others may read. */
	warn_open(d, "secret key", path, key_mode);
	if (pass && pass_file)
		warn_open(d, "passphrase file", pass_file, pass_mode);
done:
	if (k)
		sodium_free(k);
	if (pass)
		sodium_free(pass);
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
		st_diag(d, ST_ERROR, "key-write", nowhere(NULL),
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
				st_diag(d, ST_ERROR, "key-exists", nowhere(NULL),
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
	st_diag(d, ST_ERROR, "key-write", nowhere(NULL),
	        "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
done:
	free(tmp);
	return rc;
}

int st_keygen(st_pubkey *pub, st_diags *d, const char *basename,
              const char *pass_env, const char *pass_file, int unencrypted,
              int kdf_cost, int force)
{
	size_t blen = strlen(basename);
	char *keypath = malloc(blen + 5), *pubpath = malloc(blen + 5);
	uint8_t *rec = NULL;
	char *pass = NULL, *text = NULL, *pubtext = NULL;
	int rc = ST_EIO, wrote_key = 0;
	unsigned pass_mode = 0;
	struct stat st;

	if (!keypath || !pubpath || !sodium_ready())
		goto done;
	memcpy(keypath, basename, blen);
	memcpy(keypath + blen, ".key", 5);
	memcpy(pubpath, basename, blen);
	memcpy(pubpath + blen, ".pub", 5);
	if (!force) {
		const char *exists = lstat(keypath, &st) == 0 ? keypath :
		                     lstat(pubpath, &st) == 0 ? pubpath : NULL;
		if (exists) {
			st_diag(d, ST_ERROR, "key-exists", nowhere(NULL),
			        "'%s' already exists; pass --force to replace it",
			        exists);
			rc = ST_ERR;
			goto done;
		}
	}
	rec = sodium_malloc(SEC_BYTES);
	if (!rec)
		goto done;
	memset(rec, 0, SEC_BYTES);
	memcpy(rec, "Ed", 2);
	memcpy(rec + 4, "B2", 2);
	uint8_t *keyid = rec + KEYNUM_OFF, *sk = keyid + 8, *chk = sk + 64;
	randombytes_buf(keyid, 8);
	crypto_sign_keypair(pub->pk, sk);
	memcpy(pub->keyid, keyid, 8);
	seckey_chk(chk, keyid, sk);
	if (unencrypted) {
		memcpy(rec + 2, "\0\0", 2);
	} else {
		uint64_t ops, mem;
		pass = sodium_malloc(PASS_MAX + 1);
		if (!pass)
			goto done;
		rc = get_passphrase(pass, d, "the new key", pass_env, pass_file, 1,
		                    &pass_mode);
		if (rc == ST_OK && pass_file)
			warn_open(d, "passphrase file", pass_file, pass_mode);
		if (rc != ST_OK)
			goto done;
		if (kdf_cost == ST_KDF_INTERACTIVE) {
			ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE;
			mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE;
		} else {
			ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
			mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
		}
		memcpy(rec + 2, "Sc", 2);
		randombytes_buf(rec + 6, 32);
		le64_store(rec + 38, ops);
		le64_store(rec + 46, mem);
		rc = kdf_xor(rec, pass, ops, mem);
		if (rc != ST_OK) {
			st_diag(d, ST_ERROR, "key-write", nowhere(NULL),
			        "cannot derive a key from the passphrase (out of "
			        "memory?)");
			goto done;
		}
	}
	{
		char id[17];
		size_t b64cap = sodium_base64_ENCODED_LEN(SEC_BYTES,
		                        sodium_base64_VARIANT_ORIGINAL);
		size_t cap = 128 + b64cap;
		int hl;
		st_keyid_hex(id, pub->keyid);     /* keyid in rec is encrypted now */
		text = sodium_malloc(cap);
		if (!text) {
			rc = ST_EIO;
			goto done;
		}
		hl = snprintf(text, cap, COMMENT_PFX "steg secret key %s%s\n", id,
		              unencrypted ? " (not encrypted)" :
		              " (encrypted with a passphrase)");
		b64_encode(text + hl, cap - (size_t)hl, rec, SEC_BYTES);
		hl += (int)strlen(text + hl);
		text[hl++] = '\n';
		rc = put_file(d, keypath, text, (size_t)hl, 0600, force);
		if (rc != ST_OK)
			goto done;
		wrote_key = 1;
	}
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
	if (pass)
		sodium_free(pass);
	if (text)
		sodium_free(text);
	free(pubtext);
	free(keypath);
	free(pubpath);
	return rc;
}

/* ---- the trusted comment --------------------------------------------------
 *
 *   comment  = "steg" SP "kind=bundle" SP publisher SP id SP version SP expires
 *            / "steg" SP "kind=index" SP publisher SP sequence SP expires
 *            / "steg" SP "kind=checkpoint" SP publisher SP sequence SP head
 *              SP time
 *   head      = "head=" 64(DIGIT / %x61-66)       ; lower-case hex
 *   time      = "time=" YYYY "-" MM "-" DD "T" hh ":" mm ":" ss "Z"
 *   publisher = "publisher=" "SE" 10DIGIT "-" 1*19(ALPHA / DIGIT)
 *               ; an HSA-id (core/vocab.h)
 *   id        = "id=" 1*127(lower / DIGIT / "." / "-")
 *               ; a program id: a slug (st_is_slug)
 *   version   = "version=" DIGIT *62(ALPHA / DIGIT / "." / "-" / "+")
 *               ; a semantic version (st_semver_parse)
 *   sequence  = "sequence=" %x31-39 *17DIGIT
 *   expires   = "expires=" YYYY "-" MM "-" DD "T" hh ":" mm ":" ss "Z"
 */

static int all_of(const char *s, size_t n, const char *set, int lower,
                  int upper, int digit)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((lower && c >= 'a' && c <= 'z') ||
		    (upper && c >= 'A' && c <= 'Z') ||
		    (digit && c >= '0' && c <= '9') || (c && strchr(set, c)))
			continue;
		return 0;
	}
	return 1;
}

/* s is NUL-terminated at n. */
static int ok_publisher(const char *s, size_t n)
{
	return n <= ST_HSA_ID_MAX && st_is_hsa_id(s);
}

/* s is NUL-terminated at n: a program id (a slug, core/model.h). */
static int ok_id(const char *s, size_t n)
{
	return n <= 127 && st_is_slug(s);
}

static int ok_head(const char *s, size_t n)
{
	return n == 64 && all_of(s, n, "abcdef", 0, 0, 1);
}

/* s is NUL-terminated at n: a semantic version (core/model.h). */
static int ok_version(const char *s, size_t n)
{
	return n <= 63 && st_semver_parse(s, NULL, NULL, NULL) == 0;
}

int st_claims_format(char *out, size_t cap, const st_sig_claims *c)
{
	char exp[21];
	int n;
	if (!ok_publisher(c->publisher, strlen(c->publisher)))
		return ST_ERR;
	if (!strcmp(c->kind, "checkpoint")) {
		if (c->sequence < 1 || c->sequence > 999999999999999999LL ||
		    !ok_head(c->head, strlen(c->head)) || c->time <= 0)
			return ST_ERR;
		st_time_format(exp, c->time);
		n = snprintf(out, cap, "steg kind=checkpoint publisher=%s "
		             "sequence=%lld head=%s time=%s", c->publisher,
		             c->sequence, c->head, exp);
		return n < 0 || (size_t)n >= cap ? ST_ERR : ST_OK;
	}
	if (!c->expires)
		return ST_ERR;
	st_time_format(exp, c->expires);
	if (!strcmp(c->kind, "bundle")) {
		if (!ok_id(c->id, strlen(c->id)) ||
		    !ok_version(c->version, strlen(c->version)))
			return ST_ERR;
		n = snprintf(out, cap, "steg kind=bundle publisher=%s id=%s "
		             "version=%s expires=%s", c->publisher, c->id,
		             c->version, exp);
	} else if (!strcmp(c->kind, "index")) {
		if (c->sequence < 1 || c->sequence > 999999999999999999LL)
			return ST_ERR;
		n = snprintf(out, cap, "steg kind=index publisher=%s "
		             "sequence=%lld expires=%s", c->publisher,
		             c->sequence, exp);
	} else {
		return ST_ERR;
	}
	if (n < 0 || (size_t)n >= cap)
		return ST_ERR;
	return ST_OK;
}

int st_claims_parse(st_sig_claims *out, const char *text, size_t len,
                    char *why, size_t whylen)
{
	static const char *const bundle_f[] =
		{ "kind", "publisher", "id", "version", "expires", NULL };
	static const char *const index_f[] =
		{ "kind", "publisher", "sequence", "expires", NULL };
	static const char *const checkpoint_f[] =
		{ "kind", "publisher", "sequence", "head", "time", NULL };
	const char *const *order = NULL;
	const char *p = text, *end = text + len;
	int nf = 0;

	memset(out, 0, sizeof *out);
	if (memchr(text, 0, len)) {
		snprintf(why, whylen, "it contains a NUL byte");
		return ST_ERR;
	}
	if (len < 5 || memcmp(text, "steg ", 5)) {
		snprintf(why, whylen, "it does not start with 'steg '");
		return ST_ERR;
	}
	p += 5;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *fe = sp ? sp : end;
		const char *eq = memchr(p, '=', (size_t)(fe - p));
		size_t nl, vl;
		char name[16], val[128];
		if (fe == p) {
			snprintf(why, whylen, "fields are separated by one space");
			return ST_ERR;
		}
		if (!eq || eq == p) {
			snprintf(why, whylen, "'%.*s' is not NAME=VALUE",
			         (int)(fe - p > 40 ? 40 : fe - p), p);
			return ST_ERR;
		}
		nl = (size_t)(eq - p);
		vl = (size_t)(fe - eq - 1);
		if (nl >= sizeof name || vl >= sizeof val) {
			snprintf(why, whylen, "field '%.*s' is too long",
			         (int)(nl > 20 ? 20 : nl), p);
			return ST_ERR;
		}
		memcpy(name, p, nl);
		name[nl] = 0;
		memcpy(val, eq + 1, vl);
		val[vl] = 0;
		if (nf == 0) {
			if (strcmp(name, "kind")) {
				snprintf(why, whylen, "the first field must be "
				         "'kind', not '%s'", name);
				return ST_ERR;
			}
			if (!strcmp(val, "bundle"))
				order = bundle_f;
			else if (!strcmp(val, "index"))
				order = index_f;
			else if (!strcmp(val, "checkpoint"))
				order = checkpoint_f;
			else {
				snprintf(why, whylen, "unknown kind '%s'", val);
				return ST_ERR;
			}
			strcpy(out->kind, order == bundle_f ? "bundle" :
			       order == index_f ? "index" : "checkpoint");
		} else {
			if (!order[nf]) {
				snprintf(why, whylen, "unexpected field '%s' after "
				         "'%s'", name, order[nf - 1]);
				return ST_ERR;
			}
			if (strcmp(name, order[nf])) {
				int known = 0;
				for (int i = 0; order[i]; i++)
					known |= !strcmp(order[i], name);
				if (known)
					snprintf(why, whylen, "field '%s' is out of "
					         "place or repeated; expected '%s'",
					         name, order[nf]);
				else
					snprintf(why, whylen, "unknown field '%s' "
					         "(expected '%s')", name, order[nf]);
				return ST_ERR;
			}
			if (!strcmp(name, "publisher")) {
				if (!ok_publisher(val, vl))
					goto bad_value;
				memcpy(out->publisher, val, vl + 1);
			} else if (!strcmp(name, "id")) {
				if (!ok_id(val, vl))
					goto bad_value;
				memcpy(out->id, val, vl + 1);
			} else if (!strcmp(name, "version")) {
				if (!ok_version(val, vl))
					goto bad_value;
				memcpy(out->version, val, vl + 1);
			} else if (!strcmp(name, "sequence")) {
				if (vl < 1 || vl > 18 || val[0] == '0' ||
				    !all_of(val, vl, "", 0, 0, 1))
					goto bad_value;
				out->sequence = strtoll(val, NULL, 10);
			} else if (!strcmp(name, "expires")) {
				if (st_time_parse(&out->expires, val) != 0)
					goto bad_value;
			} else if (!strcmp(name, "head")) {
				if (!ok_head(val, vl))
					goto bad_value;
				memcpy(out->head, val, vl + 1);
			} else if (!strcmp(name, "time")) {
				if (st_time_parse(&out->time, val) != 0)
					goto bad_value;
			}
		}
		nf++;
		if (sp) {
			p = sp + 1;
			if (p == end) {
				snprintf(why, whylen, "it ends with a space");
				return ST_ERR;
			}
		} else {
			p = end;
		}
		continue;
bad_value:
		snprintf(why, whylen, "bad value '%.40s' for '%s'", val, name);
		return ST_ERR;
	}
	if (!order || order[nf]) {
		snprintf(why, whylen, "field '%s' is missing",
		         order ? order[nf] : "kind");
		return ST_ERR;
	}
	return ST_OK;
}

/* ---- signatures ------------------------------------------------------------ */

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
	uint8_t raw[SIG_BYTES];
	int n;

	memset(p, 0, sizeof *p);
	if (!sodium_ready()) {
		snprintf(why, whylen, "cannot initialise libsodium");
		return ST_EIO;
	}
	if (siglen > SIGFILE_MAX) {
		snprintf(why, whylen, "it is larger than %d bytes", SIGFILE_MAX);
		return ST_ERR;
	}
	p->copy = malloc(siglen + 1);
	if (!p->copy)
		return ST_EIO;
	memcpy(p->copy, sig, siglen);
	p->copy[siglen] = 0;
	n = split_lines(lines, 4, p->copy, siglen);
	if (n != 4) {
		snprintf(why, whylen, "it does not have the four lines of a "
		         "minisign signature");
		goto bad;
	}
	if (strncmp(lines[0], COMMENT_PFX, strlen(COMMENT_PFX))) {
		snprintf(why, whylen, "line 1 is not an untrusted comment");
		goto bad;
	}
	if (b64_decode(raw, sizeof raw, lines[1], strlen(lines[1])) != 0) {
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
	if (strncmp(lines[2], TRUSTED_PFX, strlen(TRUSTED_PFX))) {
		snprintf(why, whylen, "line 3 is not a trusted comment");
		goto bad;
	}
	p->comment = lines[2] + strlen(TRUSTED_PFX);
	p->clen = strlen(p->comment);
	if (b64_decode(p->global, 64, lines[3], strlen(lines[3])) != 0) {
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
	uint8_t hash[64], raw[SIG_BYTES], global[64];
	uint8_t *m = NULL;
	st_buf b;
	char b64[128];
	size_t clen;

	*sig = NULL;
	*siglen = 0;
	if (!sodium_ready())
		return ST_EIO;
	if (st_claims_format(comment, sizeof comment, claims) != 0) {
		st_diag(d, ST_ERROR, "sig-comment", nowhere(NULL),
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
	st_buf_printf(&b, COMMENT_PFX "signature from steg secret key %s\n", id);
	b64_encode(b64, sizeof b64, raw, sizeof raw);
	st_buf_printf(&b, "%s\n" TRUSTED_PFX "%s\n", b64, comment);
	b64_encode(b64, sizeof b64, global, sizeof global);
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
		st_diag(d, ST_ERROR, "sig-malformed", nowhere(NULL),
		        "the signature is not in minisign's format: %s", why);
		return rc;
	}
	rc = ST_ERR;
	if (memcmp(p.keyid, pk->keyid, 8)) {
		st_keyid_hex(a, p.keyid);
		st_keyid_hex(b, pk->keyid);
		st_diag(d, ST_ERROR, "sig-wrong-key", nowhere(NULL),
		        "the signature was made by key %s, not by key %s", a, b);
		goto done;
	}
	crypto_generichash(hash, 64, data, len, NULL, 0);
	switch (sig_check(&p, pk->pk, hash)) {
	case 0:
		break;
	case 1:
		st_diag(d, ST_ERROR, "sig-invalid", nowhere(NULL),
		        "the signature does not match the signed data");
		goto done;
	default:
		st_diag(d, ST_ERROR, "sig-invalid", nowhere(NULL),
		        "the trusted comment's signature does not hold");
		goto done;
	}
	if (st_claims_parse(claims, p.comment, p.clen, why, sizeof why) != 0) {
		st_diag(d, ST_ERROR, "sig-comment", nowhere(NULL),
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
		st_diag(d, ST_ERROR, "sig-malformed", nowhere(NULL),
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
			st_diag(d, ST_ERROR, "sig-comment", nowhere(NULL),
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
				st_diag(d, ST_ERROR, "sig-comment", nowhere(NULL),
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
		st_diag(d, ST_ERROR, "sig-untrusted", nowhere(NULL),
		        "'%s' is signed by key %s, which is not trusted here",
		        display, id);
		goto done;
	}
	if (!verified) {
		st_diag(d, ST_ERROR, "sig-invalid", nowhere(NULL),
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
		st_diag(d, ST_ERROR, "sig-wrong-publisher", nowhere(NULL),
		        "'%s' claims publisher '%s', but key %s is trusted only "
		        "for '%s'", display, c.publisher, id, region);
		goto done;
	}
	if (kind && strcmp(c.kind, kind)) {
		st_diag(d, ST_ERROR, "sig-wrong-kind", nowhere(NULL),
		        "the signature of '%s' is for %s %s, not for %s %s",
		        display, c.kind[0] && strchr("aeiou", c.kind[0]) ? "an" : "a", c.kind,
		        kind[0] && strchr("aeiou", kind[0]) ? "an" : "a", kind);
		goto done;
	}
	/* A checkpoint does not expire: it stays evidence of the log. */
	if (strcmp(c.kind, "checkpoint") && st_sig_expired(c.expires, now)) {
		char t[21];
		st_time_format(t, c.expires);
		st_diag(d, ST_ERROR, "sig-expired", nowhere(NULL),
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
	st_span sp = nowhere(display);
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
