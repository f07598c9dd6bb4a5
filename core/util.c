/*
 * util.c — arena, byte buffer, bounded file reading, atomic writes, UTF-8
 * validation, the text rule and its escaper, and SHA-256: the pieces
 * every phase needs, kept here so that each has one implementation.
 *
 * The arena is a list of blocks; big requests get a block of their own.
 * STEG_ARENA_DEBUG=1 makes every allocation a separate malloc so that
 * AddressSanitizer and valgrind see overruns of arena memory.
 */
#include "util.h"
#include "i18n.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_SIZE (64u << 10)

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char data[];
};

struct st_arena {
	struct block *head;
	int debug;
};

static void oom(void)
{
	fputs("steg: fatal: out of memory\n", stderr);
	abort();
}

st_arena *st_arena_new(void)
{
	st_arena *a = calloc(1, sizeof *a);
	if (!a)
		oom();
	const char *dbg = getenv("STEG_ARENA_DEBUG");
	a->debug = dbg && *dbg && strcmp(dbg, "0");
	return a;
}

void st_arena_free(st_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void st_arena_adopt(st_arena *dst, st_arena *src)
{
	if (!src)
		return;
	if (src->head) {
		struct block *tail = src->head;
		while (tail->next)
			tail = tail->next;
		/* behind dst's head, which keeps its free space */
		if (dst->head) {
			tail->next = dst->head->next;
			dst->head->next = src->head;
		} else {
			dst->head = src->head;
		}
	}
	free(src);
}

static struct block *new_block(size_t cap)
{
	struct block *b = malloc(sizeof *b + cap);
	if (!b)
		oom();
	b->used = 0;
	b->cap = cap;
	b->next = NULL;
	return b;
}

void *st_alloc(st_arena *a, size_t n)
{
	size_t al = _Alignof(max_align_t);
	n = (n + al - 1) & ~(al - 1);
	if (n == 0)
		n = al;
	if (a->debug || n > BLOCK_SIZE / 4) {
		struct block *b = new_block(n);
		b->used = n;
		/* own blocks go behind the head so the head keeps its space */
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->head = b;
		}
		memset(b->data, 0, n);
		return b->data;
	}
	if (!a->head || a->head->cap - a->head->used < n) {
		struct block *b = new_block(BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	void *p = a->head->data + a->head->used;
	a->head->used += n;
	memset(p, 0, n);
	return p;
}

char *st_strndup(st_arena *a, const char *s, size_t n)
{
	char *p = st_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *st_strdup(st_arena *a, const char *s)
{
	return s ? st_strndup(a, s, strlen(s)) : NULL;
}

char *st_sprintf(st_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = st_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *st_grow(st_arena *a, void *old, size_t n, size_t cap, size_t sz)
{
	void *p = st_alloc(a, cap * sz);
	if (n)
		memcpy(p, old, n * sz);
	return p;
}

/* ---- buffer ---------------------------------------------------------- */

void st_buf_init(st_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void st_buf_release(st_buf *b)
{
	free(b->data);
	st_buf_init(b);
}

static void buf_reserve(st_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t nc = b->cap ? b->cap : 256;
	while (nc < b->len + extra + 1)
		nc *= 2;
	char *p = realloc(b->data, nc);
	if (!p)
		oom();
	b->data = p;
	b->cap = nc;
}

void st_buf_add(st_buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void st_buf_adds(st_buf *b, const char *s)
{
	st_buf_add(b, s, strlen(s));
}

void st_buf_addc(st_buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}

void st_buf_vprintf(st_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		buf_reserve(b, 0);
		b->data[b->len] = 0;
		return;
	}
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void st_buf_printf(st_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	st_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void st_buf_add_json(st_buf *b, const char *s, size_t n)
{
	st_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': st_buf_adds(b, "\\\""); break;
		case '\\': st_buf_adds(b, "\\\\"); break;
		case '\n': st_buf_adds(b, "\\n"); break;
		case '\t': st_buf_adds(b, "\\t"); break;
		case '\r': st_buf_adds(b, "\\r"); break;
		default:
			if (c < 0x20)
				st_buf_printf(b, "\\u%04x", c);
			else
				st_buf_addc(b, (char)c);
		}
	}
	st_buf_addc(b, '"');
}

json_t *st_json_str(const char *s)
{
	size_t n, i = 0, bad;
	st_buf b;
	json_t *v;

	if (!s)
		return json_null();
	n = strlen(s);
	if (st_utf8_valid(s, n, &bad))
		return json_stringn(s, n);
	/* JSON strings are Unicode: a byte that is not UTF-8 becomes U+FFFD,
	 * as a browser would decode it, rather than the field being dropped. */
	st_buf_init(&b);
	while (i < n) {
		if (st_utf8_valid(s + i, n - i, &bad))
			bad = n - i;
		st_buf_add(&b, s + i, bad);
		i += bad;
		if (i < n) {
			st_buf_adds(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	v = json_stringn(b.data ? b.data : "", b.len);
	st_buf_release(&b);
	return v;
}

char *st_buf_detach(st_buf *b, size_t *len)
{
	if (!b->data)
		buf_reserve(b, 0), b->data[0] = 0;
	char *p = b->data;
	if (len)
		*len = b->len;
	st_buf_init(b);
	return p;
}

/* ---- files ----------------------------------------------------------- */

int st_write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int st_read_file(char **out, size_t *len, const char *path, size_t max,
                 char *err, size_t errlen)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open: %s", strerror(e));
		return e == ENOENT ? ST_ENOENT : ST_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return ST_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s, not a regular file",
		         S_ISDIR(st.st_mode) ? "is a folder" : "is a device or special file");
		close(fd);
		return ST_ENOTREG;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(err, errlen, "file is %lld bytes, more than the limit of %zu",
		         (long long)st.st_size, max);
		close(fd);
		return ST_ETOOBIG;
	}
	size_t cap = (size_t)st.st_size + 1;
	char *buf = malloc(cap + 1);
	if (!buf)
		oom();
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			free(buf);
			close(fd);
			return ST_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {   /* the file grew while we read it */
			if (n > max) {
				snprintf(err, errlen, "file is larger than the limit of %zu bytes", max);
				free(buf);
				close(fd);
				return ST_ETOOBIG;
			}
			cap *= 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				oom();
			buf = nb;
		}
	}
	close(fd);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return ST_OK;
}

int st_write_file_atomic(const char *path, const void *data, size_t len,
                         char *err, size_t errlen)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	if (!tmp)
		oom();
	snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file beside '%s': %s", path, strerror(errno));
		free(tmp);
		return ST_EIO;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return ST_OK;
fail:
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return ST_EIO;
}

char *st_path_join(st_arena *a, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (dl == 1 && dir[0] == '.')
		return st_strdup(a, name);
	return st_sprintf(a, "%.*s/%s", (int)dl, dir, name);
}

/* One UTF-8 sequence at u (n > 0 bytes left): its length (1 to 4) with
 * the code point in *cp, or 0 when the bytes there are not UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_next(const unsigned char *u, size_t n, unsigned *cp)
{
	unsigned c = u[0], min;
	size_t k;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		k = 1; min = 0x80; c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		k = 2; min = 0x800; c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		k = 3; min = 0x10000; c &= 0x07;
	} else {
		return 0;
	}
	for (size_t j = 1; j <= k; j++) {
		if (j >= n || (u[j] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[j] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k + 1;
}

int st_utf8_valid(const char *s, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned cp;
	while (i < n) {
		if (u[i] == 0 || !(k = utf8_next(u + i, n - i, &cp))) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += k;
	}
	return 1;
}

size_t st_utf8_complete(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t j = n, need;
	/* The start of the last sequence: back over at most three
	 * continuation bytes. */
	while (j > 0 && n - j < 3 && (u[j - 1] & 0xc0) == 0x80)
		j--;
	if (j == 0 || u[j - 1] < 0xc0)
		return n;           /* ASCII last, or no lead byte in reach */
	j--;
	need = (u[j] & 0xe0) == 0xc0 ? 2 : (u[j] & 0xf0) == 0xe0 ? 3 :
	       (u[j] & 0xf8) == 0xf0 ? 4 : 1;
	return n - j < need ? j : n;
}

void st_utf8_trim(char *s)
{
	s[st_utf8_complete(s, strlen(s))] = '\0';
}

/* ---- names, titles and comments --------------------------------------- */

/* What the text rule refuses beyond invalid UTF-8: a short name of the
 * kind of character, or NULL when cp is allowed.  One table for the rule
 * and for the escaper, so that what is refused is exactly what is
 * escaped. */
static const char *refused_kind(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return ST_N("control character");
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return ST_N("bidirectional control");
	if (cp == 0x2028 || cp == 0x2029)
		return ST_N("line separator");
	if (cp == 0xfeff)
		return ST_N("byte order mark");
	if (cp == 0xfffe || cp == 0xffff)
		return ST_N("noncharacter");
	return NULL;
}

int st_text_valid(const char *s, size_t maxlen, char why[ST_TEXT_WHY])
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	unsigned cp;
	const char *kind;

	while (i < n) {
		if (!(k = utf8_next(u + i, n - i, &cp))) {
			snprintf(why, ST_TEXT_WHY,
			         st_tr_fmt("is not valid UTF-8 (byte %zu)"), i + 1);
			return 0;
		}
		if ((kind = refused_kind(cp))) {
			snprintf(why, ST_TEXT_WHY, st_tr_fmt("holds the %s U+%04X"),
			         st_tr(kind), cp);
			return 0;
		}
		i += k;
	}
	if (n > maxlen) {
		snprintf(why, ST_TEXT_WHY, st_tr_fmt("is %zu bytes long, more than "
		         "the limit of %zu"), n, maxlen);
		return 0;
	}
	why[0] = '\0';
	return 1;
}

void st_buf_add_escaped(st_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, k;
	unsigned cp;

	while (i < n) {
		k = utf8_next(u + i, n - i, &cp);
		if (k && cp != '\\' && !refused_kind(cp)) {
			i += k;
			continue;
		}
		st_buf_add(b, s + start, i - start);
		if (!k) {
			st_buf_printf(b, "\\x%02X", u[i]);
			k = 1;
		} else if (cp == '\\') {
			st_buf_adds(b, "\\\\");
		} else if (cp == '\n') {
			st_buf_adds(b, "\\n");
		} else if (cp == '\t') {
			st_buf_adds(b, "\\t");
		} else if (cp == '\r') {
			st_buf_adds(b, "\\r");
		} else if (cp < 0x80) {
			st_buf_printf(b, "\\x%02X", cp);
		} else {
			st_buf_printf(b, "\\u{%04X}", cp);
		}
		i += k;
		start = i;
	}
	st_buf_add(b, s + start, n - start);
}

char *st_escape(st_arena *a, const char *s)
{
	st_buf b;
	char *r;
	if (!s)
		return NULL;
	st_buf_init(&b);
	st_buf_add_escaped(&b, s, strlen(s));
	r = st_strndup(a, b.data ? b.data : "", b.len);
	st_buf_release(&b);
	return r;
}

/* libsodium's SHA-256, for steg, which does not link OpenSSL. */
void st_sha256_sodium_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];
	/* SHA-256 needs nothing that sodium_init() sets up (it picks faster
	 * code for other primitives), so its result decides nothing here. */
	int ready = sodium_init();
	(void)ready;
	crypto_hash_sha256(md, data, len);
	st_sha256_to_hex(md, hex);
}

/* core/sha256.c: OpenSSL's block function, with no set-up to pay for, so
 * small inputs no longer go to libsodium (that was to avoid OpenSSL 3's
 * EVP set-up, which sha256.c does not use). */
void st_sha256_hex(const void *data, size_t len, char hex[65])
{
	st_sha256_ctx h;
	st_sha256_begin(&h);
	st_sha256_add(&h, data, len);
	st_sha256_end_hex(&h, hex);
}

long long st_source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 315532800LL || v > 4102444800LL)
		return 0;   /* before 1980 or after 2100: zip cannot say it */
	return v;
}

void st_exec_beside(const char *name, char *const *args, char *err,
                    size_t errlen)
{
	char self[PATH_MAX], prog[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0) {
		snprintf(err, errlen, "cannot find the folder of the running "
		         "program: %s", strerror(errno));
		return;
	}
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	if ((size_t)snprintf(prog, sizeof prog, "%s/%s", self, name) >= sizeof prog) {
		snprintf(err, errlen, "the path of '%s' is too long", name);
		return;
	}
	execv(prog, args);
	snprintf(err, errlen, "cannot run '%s': %s (it is installed beside "
	         "this program)", prog, strerror(errno));
}
