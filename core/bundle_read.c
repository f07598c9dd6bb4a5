/*
 * bundle_read.c — opening and verifying a .steg bundle (core/bundle.h).
 *
 * A bundle comes from outside: from another region, a channel, a USB stick.
 * Everything in it is checked before anything of it is believed, in the
 * order that keeps the work bounded against libzip 1.7.3's weaknesses:
 *
 *   1. the file: a regular, non-empty file; its SHA-256 is computed from
 *      the same descriptor that libzip then reads, so that what is hashed
 *      is what is verified;
 *   2. the central directory (ZIP_CHECKCONS, so duplicate names fail):
 *      entry count, raw names against a strict relative-path pattern,
 *      regular files only, STORE or DEFLATE, no encryption, declared sizes
 *      and compression ratio under the caps — no entry data is read until
 *      all of this holds;
 *   3. manifest.xml, read with a bound, parsed without DOCTYPE and
 *      validated against the embedded schema;
 *   4. the set of entries equals the manifest's (plus manifest.xml and the
 *      optional manifest.xml.minisig), and every declared size agrees;
 *   5. every entry streamed in chunks, counting what comes out against the
 *      declared size (libzip does not enforce it), to EOF so that libzip
 *      checks the CRC, hashing as it goes: media never sit in memory;
 *   6. program.xml through st_progxml_read, which validates it too.
 *
 * Each problem is a finding with a "bundle-*" code naming the entry.  The
 * signature is only read here; checking it against a key is the caller's
 * business (core/sign.h), since only the caller knows whom it trusts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <zip.h>

#include "bundle.h"
#include "manifest.h"
#include "media.h"
#include "page.h"
#include "progxml.h"
#include "sha256.h"

#define CHUNK (64u << 10)
#define MAX_SIG 8192u
#define RATIO_FLOOR (1u << 20)   /* the ratio cap applies above 1 MiB */
#define MAX_CONTENT_FINDINGS 100 /* pages and media: then the rest is not
                                    checked (the bundle is refused anyway) */

struct zent {
	const char *name;          /* raw name, validated */
	zip_uint64_t idx;
	long long size;            /* declared */
};

struct st_bundle {
	st_arena *a;
	zip_t *z;
	const char *path;          /* display name, interned */
	char sha256[65];
	long long size;
	st_manifest man;
	st_manifest_entry **sorted;   /* manifest entries by path */
	struct zent *zents;           /* zip entries by name */
	size_t nzents;
	char *manifest_xml;
	size_t manifest_len;
	char *sig;
	size_t siglen;
	st_program *prog;
	int unchecked;             /* content checks stopped after too many */
};

/* Display names for findings must outlive the bundle (a failed open frees
 * it at once), so they are interned for the life of the process: one per
 * bundle path and entry shown, reachable, never growing without bound in a
 * command-line run. */
static char **interned;
static size_t ninterned;
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *intern(const char *s)
{
	const char *r = NULL;
	pthread_mutex_lock(&intern_lock);   /* the server opens bundles in threads */
	for (size_t i = 0; i < ninterned && !r; i++)
		if (!strcmp(interned[i], s))
			r = interned[i];
	if (!r) {
		char **n = realloc(interned, (ninterned + 1) * sizeof *n);
		char *c = strdup(s);
		if (!n || !c)
			abort();
		interned = n;
		interned[ninterned++] = c;
		r = c;
	}
	pthread_mutex_unlock(&intern_lock);
	return r;
}

/* A raw entry name made printable for a message (names are hostile). */
static const char *shown(st_arena *a, const char *s, size_t n)
{
	st_buf b;
	st_buf_init(&b);
	for (size_t i = 0; i < n && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
			st_buf_printf(&b, "\\x%02x", c);
		else
			st_buf_addc(&b, (char)c);
	}
	if (n > 200)
		st_buf_adds(&b, "...");
	char *r = st_strndup(a, b.data ? b.data : "", b.len);
	st_buf_release(&b);
	return r;
}

int st_bundle_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > ST_BUNDLE_MAX_NAME)
		return 0;
	size_t seg = 0;   /* length of the current segment */
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			const char *start = s + i - seg;
			if (seg == 0)
				return 0;   /* leading '/', '//' or trailing '/' */
			if ((seg == 1 && start[0] == '.') ||
			    (seg == 2 && start[0] == '.' && start[1] == '.'))
				return 0;
			seg = 0;
			continue;
		}
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
		seg++;
	}
	return 1;
}

int st_bundle_entry_kind_ok(const char *name)
{
	size_t n = strlen(name);
	if (!strcmp(name, "manifest.xml") || !strcmp(name, "manifest.xml.minisig") ||
	    !strcmp(name, "program.xml"))
		return 1;
	if (!strncmp(name, "pages/", 6))
		return n > 6 + 6 && !strcmp(name + n - 6, ".xhtml") &&
		       name[n - 7] != '/';
	if (!strncmp(name, "media/", 6))
		return st_media_type_of(name + 6) != NULL;
	return 0;
}

static int cmp_zent(const void *pa, const void *pb)
{
	const struct zent *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

static int cmp_mentp(const void *pa, const void *pb)
{
	const st_manifest_entry *const *a = pa, *const *b = pb;
	return strcmp((*a)->path, (*b)->path);
}

static const struct zent *find_zent(const st_bundle *b, const char *name)
{
	struct zent key = { name, 0, 0 };
	return b->nzents ? bsearch(&key, b->zents, b->nzents, sizeof key, cmp_zent) : NULL;
}

static st_manifest_entry *find_ment(const st_bundle *b, const char *name)
{
	st_manifest_entry ke = { name, 0, {0} }, *kp = &ke;
	st_manifest_entry **r = b->man.nentries
		? bsearch(&kp, b->sorted, b->man.nentries, sizeof kp, cmp_mentp) : NULL;
	return r ? *r : NULL;
}

/* The entry called name, listed in the manifest and present in the zip
 * (*ze); NULL with a finding when it is not both. */
static const st_manifest_entry *entry_named(const st_bundle *b, st_diags *d,
                                            const char *name, const struct zent **ze)
{
	const st_manifest_entry *e = find_ment(b, name);
	*ze = e ? find_zent(b, name) : NULL;
	if (*ze)
		return e;
	st_diag(d, ST_ERROR, "bundle-missing-entry", (st_span){ b->path, 0, 0, 0, 0 },
	        "the bundle has no entry '%s'", shown(b->a, name, strlen(name)));
	return NULL;
}

/* Whether hex, an entry's SHA-256 as read, is the manifest's for it: ST_OK,
 * or ST_ERR with the finding. */
static int hash_agrees(const st_bundle *b, st_diags *d, const st_manifest_entry *e,
                       const char hex[65])
{
	if (!strcmp(hex, e->sha256))
		return ST_OK;
	st_diag(d, ST_ERROR, "bundle-hash-mismatch", (st_span){ b->path, 0, 0, 0, 0 },
	        "entry '%s' has SHA-256 %.12s..., the manifest says %.12s...",
	        e->path, hex, e->sha256);
	return ST_ERR;
}

typedef int (*sink_fn)(void *ctx, const void *data, size_t len);

static int stream_entry_to(st_bundle *b, st_diags *d, const struct zent *ze,
                           char hex[65], long long *got, st_buf *keep,
                           sink_fn sink, void *ctx);

/* Stream entry ze: at most its declared size, to EOF (the CRC check),
 * hashing.  keep: also collect the bytes (only for small XML entries,
 * whose declared size the caller has bounded). */
static int stream_entry(st_bundle *b, st_diags *d, const struct zent *ze,
                        char hex[65], long long *got, st_buf *keep)
{
	return stream_entry_to(b, d, ze, hex, got, keep, NULL, NULL);
}

static int stream_entry_to(st_bundle *b, st_diags *d, const struct zent *ze,
                           char hex[65], long long *got, st_buf *keep,
                           sink_fn sink, void *ctx)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	const char *nm = ze->name;   /* validated: safe to show */
	int rc = ST_ERR;
	unsigned char *buf = malloc(CHUNK);
	st_sha256_ctx md;
	zip_file_t *f = NULL;
	if (!buf) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "out of memory");
		rc = ST_EIO;
		goto done;
	}
	st_sha256_begin(&md);
	f = zip_fopen_index(b->z, ze->idx, 0);
	if (!f) {
		st_diag(d, ST_ERROR, "bundle-corrupt", sp, "entry '%s' cannot be read: %s",
		        nm, zip_strerror(b->z));
		goto done;
	}
	unsigned long long total = 0, limit = (unsigned long long)ze->size;
	for (;;) {
		zip_int64_t n = zip_fread(f, buf, CHUNK);
		if (n < 0) {
			st_diag(d, ST_ERROR, "bundle-corrupt", sp, "entry '%s' is damaged: %s",
			        nm, zip_file_strerror(f));
			goto done;
		}
		if (n == 0)
			break;
		total += (unsigned long long)n;
		if (total > limit) {
			st_diag(d, ST_ERROR, "bundle-size-mismatch", sp,
			        "entry '%s' inflates to more than its declared %lld bytes",
			        nm, ze->size);
			goto done;
		}
		st_sha256_add(&md, buf, (size_t)n);
		if (keep)
			st_buf_add(keep, buf, (size_t)n);
		if (sink && sink(ctx, buf, (size_t)n) != 0) {
			rc = ST_EIO;
			goto done;
		}
	}
	if (total != limit) {
		st_diag(d, ST_ERROR, "bundle-size-mismatch", sp,
		        "entry '%s' has %llu bytes, not its declared %lld", nm, total,
		        ze->size);
		goto done;
	}
	st_sha256_end_hex(&md, hex);
	*got = (long long)total;
	rc = ST_OK;
done:
	if (f)
		zip_fclose(f);
	free(buf);
	return rc;
}

/* Hash the whole file through fd, then rewind it. */
static int hash_file(st_bundle *b, st_diags *d, int fd)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	unsigned char *buf = malloc(1u << 20);
	st_sha256_ctx md;
	int rc = ST_EIO;
	if (!buf)
		goto done;
	st_sha256_begin(&md);
	for (;;) {
		ssize_t n = read(fd, buf, 1u << 20);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st_diag(d, ST_ERROR, "bundle-io", sp, "cannot read: %s", strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		st_sha256_add(&md, buf, (size_t)n);
	}
	st_sha256_end_hex(&md, b->sha256);
	if (lseek(fd, 0, SEEK_SET) != 0) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "cannot seek: %s", strerror(errno));
		goto done;
	}
	rc = ST_OK;
done:
	free(buf);
	return rc;
}

/* ZIP_CHECKCONS refused the archive for a duplicate name: open it again
 * without, only to name the duplicate (names only; no data is read). */
static void name_duplicate(st_bundle *b, st_diags *d, int fd)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	int err = 0;
	int fd2 = dup(fd);
	if (fd2 < 0 || lseek(fd2, 0, SEEK_SET) != 0) {
		if (fd2 >= 0)
			close(fd2);
		st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp,
		        "the bundle has two entries of one name");
		return;
	}
	zip_t *z = zip_fdopen(fd2, 0, &err);
	if (!z) {
		close(fd2);
		st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp,
		        "the bundle has two entries of one name");
		return;
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	if (n > ST_BUNDLE_MAX_ENTRIES)
		n = ST_BUNDLE_MAX_ENTRIES;
	struct zent *v = calloc((size_t)(n > 0 ? n : 1), sizeof *v);
	size_t k = 0;
	for (zip_int64_t i = 0; v && i < n; i++) {
		const char *nm = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (nm)
			v[k++] = (struct zent){ st_strdup(b->a, nm), (zip_uint64_t)i, 0 };
	}
	const char *dup_name = NULL;
	if (v) {
		qsort(v, k, sizeof *v, cmp_zent);
		for (size_t i = 1; i < k && !dup_name; i++)
			if (!strcmp(v[i - 1].name, v[i].name))
				dup_name = v[i].name;
	}
	if (dup_name)
		st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp,
		        "entry '%s' appears more than once",
		        shown(b->a, dup_name, strlen(dup_name)));
	else
		st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp,
		        "the bundle has two entries of one name");
	free(v);
	zip_discard(z);
}

static int open_zip(st_bundle *b, st_diags *d, const char *path)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "cannot open: %s", strerror(errno));
		return ST_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "cannot stat: %s", strerror(errno));
		close(fd);
		return ST_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "not a regular file");
		close(fd);
		return ST_EIO;
	}
	b->size = (long long)st.st_size;
	if (st.st_size == 0) {
		st_diag(d, ST_ERROR, "bundle-not-zip", sp, "the file is empty, not a bundle");
		close(fd);
		return ST_ERR;
	}
	if ((unsigned long long)st.st_size > ST_BUNDLE_MAX_TOTAL + (64ull << 20)) {
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "the file is %lld bytes, more than a bundle may be",
		        (long long)st.st_size);
		close(fd);
		return ST_ERR;
	}
	int rc = hash_file(b, d, fd);
	if (rc != ST_OK) {
		close(fd);
		return rc;
	}
	int err = 0;
	b->z = zip_fdopen(fd, ZIP_CHECKCONS, &err);
	if (b->z)
		return ST_OK;
	zip_error_t ze;
	zip_error_init_with_code(&ze, err);
	switch (err) {
	case ZIP_ER_NOZIP:
		st_diag(d, ST_ERROR, "bundle-not-zip", sp,
		        "not a zip file, or a truncated one (no end of central directory)");
		rc = ST_ERR;
		break;
	case ZIP_ER_EXISTS:
		name_duplicate(b, d, fd);
		rc = ST_ERR;
		break;
	case ZIP_ER_MEMORY:
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
	case ZIP_ER_OPEN:
		st_diag(d, ST_ERROR, "bundle-io", sp, "cannot read the zip file: %s",
		        zip_error_strerror(&ze));
		rc = ST_EIO;
		break;
	default:
		st_diag(d, ST_ERROR, "bundle-not-zip", sp, "damaged zip file: %s",
		        zip_error_strerror(&ze));
		rc = ST_ERR;
	}
	zip_error_fini(&ze);
	close(fd);
	return rc;
}

/* Step 2: the central directory alone. */
static int check_directory(st_bundle *b, st_diags *d)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	int errors = st_diags_errors(d);
	zip_int64_t n = zip_get_num_entries(b->z, 0);
	if (n < 0)
		n = 0;
	if (n > ST_BUNDLE_MAX_ENTRIES) {
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "the bundle has %lld entries, more than the limit of %d",
		        (long long)n, ST_BUNDLE_MAX_ENTRIES);
		return ST_ERR;
	}
	b->zents = st_alloc(b->a, (size_t)(n ? n : 1) * sizeof *b->zents);
	unsigned long long total = 0;
	for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
		const char *raw = zip_get_name(b->z, i, ZIP_FL_ENC_RAW);
		zip_stat_t zs;
		zip_stat_init(&zs);
		if (!raw || zip_stat_index(b->z, i, ZIP_FL_ENC_RAW, &zs) != 0) {
			st_diag(d, ST_ERROR, "bundle-not-zip", sp,
			        "entry %llu cannot be read from the directory: %s",
			        (unsigned long long)i, zip_strerror(b->z));
			continue;
		}
		size_t rl = strlen(raw);
		const char *nm = shown(b->a, raw, rl);
		if (!st_bundle_name_ok(raw, rl)) {
			st_diag(d, ST_ERROR, "bundle-unsafe-name", sp,
			        "entry '%s' has a name that is not a safe relative path "
			        "(letters, digits, '.', '_', '-' and '/' only; no '..', "
			        "no leading '/')", nm);
			continue;
		}
		if (!st_bundle_entry_kind_ok(raw)) {
			st_diag(d, ST_ERROR, "bundle-entry-kind", sp,
			        "entry '%s' is not a kind of entry a bundle holds: only "
			        "manifest.xml, manifest.xml.minisig, program.xml, "
			        "pages/*.xhtml and media/ files of the kinds %s are",
			        nm,
			        st_media_extensions());
			continue;
		}
		zip_uint8_t opsys = 0;
		zip_uint32_t attr = 0;
		if (zip_file_get_external_attributes(b->z, i, 0, &opsys, &attr) == 0) {
			unsigned mode = attr >> 16;
			int bad = (attr & 0x10) != 0;   /* MS-DOS directory bit */
			if (opsys == ZIP_OPSYS_UNIX && (mode & S_IFMT) != 0 &&
			    (mode & S_IFMT) != S_IFREG)
				bad = 1;
			if (bad) {
				st_diag(d, ST_ERROR, "bundle-not-regular", sp,
				        "entry '%s' is a %s, not a regular file", nm,
				        opsys == ZIP_OPSYS_UNIX && (mode & S_IFMT) == S_IFLNK
				        ? "symbolic link" : "folder or special file");
				continue;
			}
		}
		if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    zs.encryption_method != ZIP_EM_NONE) {
			st_diag(d, ST_ERROR, "bundle-encrypted", sp,
			        "entry '%s' is encrypted", nm);
			continue;
		}
		if (zs.comp_method != ZIP_CM_STORE && zs.comp_method != ZIP_CM_DEFLATE) {
			st_diag(d, ST_ERROR, "bundle-compression", sp,
			        "entry '%s' uses compression method %u; only stored (0) "
			        "and deflated (8) entries are allowed", nm,
			        (unsigned)zs.comp_method);
			continue;
		}
		if (zs.size > ST_BUNDLE_MAX_ENTRY) {
			st_diag(d, ST_ERROR, "bundle-limit", sp,
			        "entry '%s' declares %llu bytes, more than the limit of %llu",
			        nm, (unsigned long long)zs.size, ST_BUNDLE_MAX_ENTRY);
			continue;
		}
		if (zs.size > RATIO_FLOOR &&
		    zs.size / (zs.comp_size ? zs.comp_size : 1) > ST_BUNDLE_MAX_RATIO) {
			st_diag(d, ST_ERROR, "bundle-limit", sp,
			        "entry '%s' would inflate %llu times, more than the limit "
			        "of %d", nm,
			        (unsigned long long)(zs.size / (zs.comp_size ? zs.comp_size : 1)),
			        ST_BUNDLE_MAX_RATIO);
			continue;
		}
		total += zs.size;
		b->zents[b->nzents++] = (struct zent){ st_strdup(b->a, raw), i,
		                                       (long long)zs.size };
	}
	if (total > ST_BUNDLE_MAX_TOTAL)
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "the entries declare %llu bytes in all, more than the limit of %llu",
		        total, ST_BUNDLE_MAX_TOTAL);
	qsort(b->zents, b->nzents, sizeof *b->zents, cmp_zent);
	for (size_t i = 1; i < b->nzents; i++)
		if (!strcmp(b->zents[i - 1].name, b->zents[i].name))
			st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp,
			        "entry '%s' appears more than once", b->zents[i].name);
	return st_diags_errors(d) > errors ? ST_ERR : ST_OK;
}

/* Read a small entry (XML, signature) whole, bounded by max. */
static int read_small(st_bundle *b, st_diags *d, const struct zent *ze,
                      size_t max, char **out, size_t *len, char hex[65])
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	*out = NULL;
	*len = 0;
	if ((unsigned long long)ze->size > max) {
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "entry '%s' declares %lld bytes, more than the limit of %zu",
		        ze->name, ze->size, max);
		return ST_ERR;
	}
	st_buf buf;
	st_buf_init(&buf);
	long long got = 0;
	char h[65];
	int rc = stream_entry(b, d, ze, hex ? hex : h, &got, &buf);
	if (rc != ST_OK) {
		st_buf_release(&buf);
		return rc;
	}
	st_buf_addc(&buf, 0);   /* NUL-terminate, not counted */
	*out = st_buf_detach(&buf, len);
	(*len)--;
	return ST_OK;
}

/* The first bytes of a media entry, kept while it streams, for sniffing. */
struct head {
	unsigned char *buf;        /* ST_MEDIA_SNIFF_BYTES */
	size_t len;
};

static int keep_head(void *ctx, const void *data, size_t len)
{
	struct head *h = ctx;
	size_t room = ST_MEDIA_SNIFF_BYTES - h->len;
	if (len > room)
		len = room;
	memcpy(h->buf + h->len, data, len);
	h->len += len;
	return 0;
}

static int listed(void *ctx, const char *entry)
{
	return find_ment(ctx, entry) != NULL;
}

/* A page: the page checks (core/page.h).  A good page is checked once,
 * with a display name of this bundle's arena; a bad one is checked again
 * into d under an interned name, since findings outlive the bundle. */
static int check_page(st_bundle *b, st_diags *d, const char *entry,
                      const char *data, size_t len)
{
	st_diags *scratch = st_diags_new();
	if (!scratch) {
		st_diag(d, ST_ERROR, "bundle-io", (st_span){ b->path, 0, 0, 0, 0 },
		        "out of memory");
		return ST_EIO;
	}
	const char *disp = st_sprintf(b->a, "%s:%s", b->path, entry);
	int rc = st_page_check(scratch, disp, entry, data, len, listed, b);
	if (st_diags_count(scratch))
		rc = st_page_check(d, intern(disp), entry, data, len, listed, b);
	st_diags_free(scratch);
	return rc;
}

/* A media entry: its first bytes are what its extension says. */
static int check_media(st_bundle *b, st_diags *d, const char *entry,
                       const struct head *h)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	const st_media_type *t = st_media_type_of(entry + 6);
	char found[256];
	if (!t)
		return ST_ERR;   /* refused with the directory */
	int rc = st_media_sniff(t, h->buf, h->len, found, sizeof found);
	if (rc == ST_EIO) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "cannot check entry '%s': %s",
		        entry, found);
		return ST_EIO;
	}
	if (rc != ST_OK) {
		st_buf m;
		st_buf_init(&m);
		st_media_mismatch(&m, t, found);
		st_diag(d, ST_ERROR, "bundle-media-content", sp, "entry '%s' %.*s",
		        entry, (int)m.len, m.data ? m.data : "");
		st_buf_release(&m);
	}
	return rc;
}

/* manifest.xml, read and parsed, and the signature's bytes if there is
 * one. */
static int read_manifest(st_bundle *b, st_diags *d)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	const struct zent *mz = find_zent(b, "manifest.xml");
	if (!mz) {
		st_diag(d, ST_ERROR, "bundle-no-manifest", sp,
		        "the bundle has no entry 'manifest.xml'");
		return ST_ERR;
	}
	int rc = read_small(b, d, mz, ST_BUNDLE_MAX_XML, &b->manifest_xml,
	                    &b->manifest_len, NULL);
	if (rc != ST_OK)
		return rc;
	char disp[4096];
	snprintf(disp, sizeof disp, "%s:manifest.xml", b->path);
	rc = st_manifest_read(&b->man, b->a, d, intern(disp), b->manifest_xml,
	                      b->manifest_len);
	if (rc != ST_OK)
		return rc;
	const struct zent *sz = find_zent(b, "manifest.xml.minisig");
	if (sz)
		return read_small(b, d, sz, MAX_SIG, &b->sig, &b->siglen, NULL);
	return ST_OK;
}

/* The manifest's entries: sorted for lookup, checked against the zip's
 * (each listed once, by a safe name, present, of the size listed; every
 * entry of the zip listed; program.xml among them).  Findings into d. */
static void check_listing(st_bundle *b, st_diags *d)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	size_t n = b->man.nentries;
	b->sorted = st_alloc(b->a, (n ? n : 1) * sizeof *b->sorted);
	for (size_t i = 0; i < n; i++)
		b->sorted[i] = &b->man.entries[i];
	qsort(b->sorted, n, sizeof *b->sorted, cmp_mentp);
	for (size_t i = 0; i < n; i++) {
		const st_manifest_entry *e = b->sorted[i];
		if (i && !strcmp(b->sorted[i - 1]->path, e->path))
			st_diag(d, ST_ERROR, "bundle-manifest", sp,
			        "manifest lists entry '%s' twice", e->path);
		if (!strcmp(e->path, "manifest.xml") ||
		    !strcmp(e->path, "manifest.xml.minisig")) {
			st_diag(d, ST_ERROR, "bundle-manifest", sp,
			        "manifest lists '%s', which it cannot describe", e->path);
			continue;
		}
		if (!st_bundle_name_ok(e->path, strlen(e->path))) {
			st_diag(d, ST_ERROR, "bundle-manifest", sp,
			        "manifest lists entry '%s', which is not a safe name",
			        shown(b->a, e->path, strlen(e->path)));
			continue;
		}
		const struct zent *ze = find_zent(b, e->path);
		if (!ze) {
			st_diag(d, ST_ERROR, "bundle-missing-entry", sp,
			        "entry '%s' is in the manifest but not in the bundle", e->path);
			continue;
		}
		if (ze->size != e->size)
			st_diag(d, ST_ERROR, "bundle-size-mismatch", sp,
			        "entry '%s' has %lld bytes, the manifest says %lld",
			        e->path, ze->size, e->size);
	}
	for (size_t i = 0; i < b->nzents; i++) {
		const char *nm = b->zents[i].name;
		if (!strcmp(nm, "manifest.xml") || !strcmp(nm, "manifest.xml.minisig"))
			continue;
		if (!find_ment(b, nm))
			st_diag(d, ST_ERROR, "bundle-unlisted-entry", sp,
			        "entry '%s' is in the bundle but not in the manifest", nm);
	}
	if (!find_ment(b, "program.xml"))
		st_diag(d, ST_ERROR, "bundle-missing-entry", sp,
		        "the bundle has no entry 'program.xml'");
}

/* Every entry's bytes, in manifest order, against the manifest's hash;
 * pages and media checked for what they hold once their hash agrees.
 * program.xml's bytes go to *progxml (malloc'd, the caller's, also on
 * failure).  ST_EIO stops at once; other findings go into d. */
static int check_entries(st_bundle *b, st_diags *d, char **progxml, size_t *proglen)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	struct head head = { malloc(ST_MEDIA_SNIFF_BYTES), 0 };
	int content_errors0 = st_diags_errors(d);
	if (!head.buf) {
		st_diag(d, ST_ERROR, "bundle-io", sp, "out of memory");
		return ST_EIO;
	}
	for (size_t i = 0; i < b->man.nentries; i++) {
		const st_manifest_entry *e = &b->man.entries[i];
		const struct zent *ze = find_zent(b, e->path);
		char hex[65];
		long long got = 0;
		char *page = NULL;
		size_t pagelen = 0;
		int rc;
		int is_page = !strncmp(e->path, "pages/", 6);
		int is_media = !strncmp(e->path, "media/", 6);
		head.len = 0;
		if (!strcmp(e->path, "program.xml"))
			rc = read_small(b, d, ze, ST_BUNDLE_MAX_XML, progxml, proglen, hex);
		else if (is_page)
			rc = read_small(b, d, ze, ST_BUNDLE_MAX_XML, &page, &pagelen, hex);
		else
			rc = stream_entry_to(b, d, ze, hex, &got, NULL,
			                     is_media ? keep_head : NULL, &head);
		if (rc == ST_OK)
			rc = hash_agrees(b, d, e, hex);
		if (rc == ST_OK &&
		    st_diags_errors(d) - content_errors0 >= MAX_CONTENT_FINDINGS) {
			if (!b->unchecked++)
				st_diag_note(d, sp, "the pages and media after these "
				             "findings were not checked");
		} else if (rc == ST_OK && is_page) {
			rc = check_page(b, d, e->path, page, pagelen);
		} else if (rc == ST_OK && is_media) {
			rc = check_media(b, d, e->path, &head);
		}
		free(page);
		if (rc == ST_EIO) {
			free(head.buf);
			return rc;
		}
	}
	free(head.buf);
	return ST_OK;
}

/* program.xml and the manifest name the same program, version and
 * producer. */
static void check_identity(const st_bundle *b, st_diags *d)
{
	st_span sp = { b->path, 0, 0, 0, 0 };
	const st_program *p = b->prog;
	const st_manifest *m = &b->man;
	if (!p->id || !p->version || strcmp(p->id, m->id) || strcmp(p->version, m->version) ||
	    (p->producer_id && strcmp(p->producer_id, m->producer_id)))
		st_diag(d, ST_ERROR, "bundle-identity-mismatch", sp,
		        "program.xml is '%s' %s by '%s', but the manifest says '%s' %s by '%s'",
		        p->id ? p->id : "", p->version ? p->version : "",
		        p->producer_id ? p->producer_id : "", m->id, m->version,
		        m->producer_id);
}

/* The bundle's contents against its manifest, then program.xml read
 * into b->prog: ST_OK, ST_ERR with findings, or ST_EIO. */
static int check_contents(st_bundle *b, st_diags *d)
{
	int errors = st_diags_errors(d);
	int rc = read_manifest(b, d);
	if (rc != ST_OK)
		return rc;
	check_listing(b, d);
	if (st_diags_errors(d) > errors)
		return ST_ERR;
	char *progxml = NULL;
	size_t proglen = 0;
	rc = check_entries(b, d, &progxml, &proglen);
	if (rc != ST_OK || st_diags_errors(d) > errors) {
		free(progxml);
		return rc == ST_EIO ? ST_EIO : ST_ERR;
	}
	char disp[4096];
	snprintf(disp, sizeof disp, "%s:program.xml", b->path);
	rc = st_progxml_read(&b->prog, b->a, d, intern(disp), progxml, proglen);
	free(progxml);
	if (rc != ST_OK)
		return rc == ST_EIO ? ST_EIO : ST_ERR;
	check_identity(b, d);
	return st_diags_errors(d) > errors ? ST_ERR : ST_OK;
}

int st_bundle_open(st_bundle **out, st_diags *d, const char *path)
{
	*out = NULL;
	st_bundle *b = calloc(1, sizeof *b);
	if (!b)
		return ST_EIO;
	b->a = st_arena_new();
	b->path = intern(path);
	int rc = open_zip(b, d, path);
	if (rc == ST_OK)
		rc = check_directory(b, d);
	if (rc == ST_OK)
		rc = check_contents(b, d);
	if (rc != ST_OK) {
		st_bundle_free(b);
		return rc;
	}
	*out = b;
	return ST_OK;
}

void st_bundle_free(st_bundle *b)
{
	if (!b)
		return;
	if (b->z)
		zip_discard(b->z);
	free(b->manifest_xml);
	free(b->sig);
	st_arena_free(b->a);
	free(b);
}

const st_program *st_bundle_program(const st_bundle *b) { return b->prog; }
const st_manifest *st_bundle_manifest_info(const st_bundle *b) { return &b->man; }
const char *st_bundle_sha256(const st_bundle *b) { return b->sha256; }
long long st_bundle_size(const st_bundle *b) { return b->size; }
size_t st_bundle_nentries(const st_bundle *b) { return b->man.nentries; }

const char *st_bundle_manifest_xml(const st_bundle *b, size_t *len)
{
	*len = b->manifest_len;
	return b->manifest_xml;
}

const char *st_bundle_signature(const st_bundle *b, size_t *len)
{
	*len = b->siglen;
	return b->sig;
}

const char *st_bundle_entry_name(const st_bundle *b, size_t i)
{
	return i < b->man.nentries ? b->man.entries[i].path : NULL;
}

long long st_bundle_entry_size(const st_bundle *b, size_t i)
{
	return i < b->man.nentries ? b->man.entries[i].size : -1;
}

const char *st_bundle_entry_sha256(const st_bundle *b, size_t i)
{
	return i < b->man.nentries ? b->man.entries[i].sha256 : NULL;
}

int st_bundle_read_entry(st_bundle *b, st_diags *d, const char *name,
                         char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	const struct zent *ze;
	const st_manifest_entry *e = entry_named(b, d, name, &ze);
	if (!e)
		return ST_ENOENT;
	st_buf buf;
	st_buf_init(&buf);
	char hex[65];
	long long got = 0;
	int rc = stream_entry(b, d, ze, hex, &got, &buf);
	if (rc == ST_OK)
		rc = hash_agrees(b, d, e, hex);
	if (rc != ST_OK) {
		st_buf_release(&buf);
		return rc;
	}
	st_buf_addc(&buf, 0);
	*data = st_buf_detach(&buf, len);
	(*len)--;
	return ST_OK;
}

int st_bundle_stream_entry(st_bundle *b, st_diags *d, const char *name,
                           int (*sink)(void *ctx, const void *data, size_t len),
                           void *ctx)
{
	const struct zent *ze;
	const st_manifest_entry *e = entry_named(b, d, name, &ze);
	if (!e)
		return ST_ENOENT;
	char hex[65];
	long long got = 0;
	int rc = stream_entry_to(b, d, ze, hex, &got, NULL, sink, ctx);
	if (rc == ST_OK)
		rc = hash_agrees(b, d, e, hex);
	return rc;
}
