/*
 * checkcache.c — `stegc check`'s cache of findings (checkcache.h).
 *
 * An entry file:
 *
 *   "STEGCHK1"   8 bytes
 *   key          32 bytes, the SHA-256 of every input (below)
 *   payload      the summary, the findings with their notes, and the
 *                source texts the findings point into
 *   checksum     32 bytes, SHA-256 of everything before it
 *
 * Numbers in the payload are 4 or 8 bytes, little-endian; a string is its
 * length (4 bytes) and its bytes.  The whole payload is read and checked
 * before any of it is added to the caller's findings, so a damaged entry
 * is a miss, never half a result.
 */
#define _GNU_SOURCE   /* dl_iterate_phdr */
#include "checkcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "media.h"
#include "sha256.h"

#define MAGIC        "STEGCHK1"
#define MAGIC_LEN    8
#define HASH_LEN     ST_SHA256_LEN
#define MAX_ENTRY    (64u << 20)
#define MAX_DEPTH    32

struct sc_checkcache {
	char *dir;                 /* the program folder as given */
	char *path;                /* the entry file */
	char *cache_dir;           /* the folder it is in */
	sc_check_key_opts ko;
	unsigned char key[HASH_LEN];
};

/* ---- the key ----------------------------------------------------------- */

static void feed(st_sha256_ctx *md, const void *p, size_t n)
{
	st_sha256_add(md, p, n);
}

static void feed_str(st_sha256_ctx *md, const char *s)
{
	feed(md, s, strlen(s) + 1);
}

/* The GNU build id of each loaded object (stegc and its libraries): a
 * rebuilt or upgraded one changes the key.  An object without one is
 * named by its size, modification time and inode. */
static int feed_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	st_sha256_ctx *md = arg;
	const char *name = info->dlpi_name && *info->dlpi_name ?
		info->dlpi_name : "/proc/self/exe";
	int found = 0;
	feed_str(md, name);
	for (int i = 0; i < info->dlpi_phnum && !found; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			size_t nsz = (nh->n_namesz + 3) & ~(size_t)3;
			size_t dsz = (nh->n_descsz + 3) & ~(size_t)3;
			const char *desc = p + sizeof *nh + nsz;
			if (desc + dsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(p + sizeof *nh, "GNU", 4)) {
				feed(md, desc, nh->n_descsz);
				found = 1;
				break;
			}
			p = desc + dsz;
		}
	}
	struct stat st;
	if (!found && stat(name, &st) == 0) {
		long long v[4] = { st.st_size, st.st_mtim.tv_sec,
		                   st.st_mtim.tv_nsec, (long long)st.st_ino };
		feed(md, v, sizeof v);
	}
	(void)size;
	return 0;
}

/* A file's bytes (under media/, only what check reads of them). */
static int feed_file(st_sha256_ctx *md, const char *path, int media)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	              O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	long long size = st.st_size;
	feed(md, &size, sizeof size);
	char buf[65536];
	size_t left = media ? ST_MEDIA_SNIFF_BYTES : SIZE_MAX;
	while (left) {
		ssize_t n = read(fd, buf, left < sizeof buf ? left : sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		feed(md, buf, (size_t)n);
		left -= (size_t)n;
	}
	close(fd);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in folder path, without "." and ".."; -1 when it
 * cannot be read. */
static int list_names(const char *path, char ***out, size_t *n)
{
	DIR *dh = opendir(path);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!dh)
		return -1;
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			char **v = realloc(*out, cap * sizeof *v);
			if (!v)
				abort();
			*out = v;
		}
		(*out)[(*n)++] = strdup(de->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_name);
	return 0;
}

/* Every entry below disk (rel is its path in the program): name, type and
 * content, sorted.  A folder whose name starts with a dot is hashed by
 * name only: the loader reads nothing in one.  -1 when the folder holds
 * something the cache cannot vouch for. */
static int feed_tree(st_sha256_ctx *md, const char *disk, const char *rel,
                     int depth)
{
	char **names = NULL;
	size_t n = 0;
	int bad = depth > MAX_DEPTH || list_names(disk, &names, &n) != 0;
	for (size_t i = 0; !bad && i < n; i++) {
		st_buf p, r;
		st_buf_init(&p);
		st_buf_init(&r);
		st_buf_printf(&p, "%s/%s", disk, names[i]);
		st_buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;
		if (lstat(p.data, &st) != 0) {
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			feed(md, "D", 1);
			feed_str(md, r.data);
			if (names[i][0] != '.')
				bad = feed_tree(md, p.data, r.data, depth + 1) != 0;
		} else if (S_ISREG(st.st_mode)) {
			feed(md, "F", 1);
			feed_str(md, r.data);
			bad = feed_file(md, p.data, !strncmp(r.data, "media/", 6)) != 0;
		} else {
			bad = 1;   /* a symlink, a device, a pipe, a socket */
		}
		st_buf_release(&p);
		st_buf_release(&r);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return bad ? -1 : 0;
}

static void feed_opts(st_sha256_ctx *md, const sc_check_key_opts *ko)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "stegc %s\nlix %.17g\nwerror %d\n", STEG_VERSION,
	              ko->lix_max, ko->werror);
	for (int i = 0; i < ko->nno_codes; i++)
		st_buf_printf(&b, "no %s\n", ko->no_codes[i]);
	st_media_db_stamp(&b);
	st_i18n_stamp(&b);      /* findings are kept in the user's language */
	feed(md, b.data, b.len);
	st_buf_release(&b);
}

/* The key of dir's inputs into key; -1 when they cannot be hashed. */
static int compute_key(const sc_checkcache *c, unsigned char key[HASH_LEN])
{
	st_sha256_ctx md;
	int rc = -1;
	char *real = realpath(c->dir, NULL);
	if (real) {
		st_sha256_begin(&md);
		feed_str(&md, "steg check cache 1");
		dl_iterate_phdr(feed_object, &md);
		feed_opts(&md, &c->ko);
		feed_str(&md, c->dir);
		feed_str(&md, real);
		if (feed_tree(&md, c->dir, "", 0) == 0) {
			st_sha256_end(&md, key);
			rc = 0;
		}
	}
	free(real);
	return rc;
}

/* ---- where entries live -------------------------------------------------- */

/* A folder of ours that no one else may write, made when missing. */
static int private_dir(const char *path)
{
	struct stat st;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022))
		return -1;
	return 0;
}

/* $XDG_CACHE_HOME/steg/check (an absolute XDG_CACHE_HOME only, as the
 * XDG Base Directory specification says), else $HOME/.cache/steg/check;
 * NULL when neither can be made private. */
static char *cache_folder(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	st_buf b;
	st_buf_init(&b);
	if (xdg && xdg[0] == '/')
		st_buf_adds(&b, xdg);
	else if (home && home[0] == '/')
		st_buf_printf(&b, "%s/.cache", home);
	else
		return NULL;
	int ok = (mkdir(b.data, 0700) == 0 || errno == EEXIST);
	st_buf_adds(&b, "/steg");
	ok = ok && private_dir(b.data) == 0;
	st_buf_adds(&b, "/check");
	ok = ok && private_dir(b.data) == 0;
	if (!ok) {
		st_buf_release(&b);
		return NULL;
	}
	return st_buf_detach(&b, NULL);
}

static void hex(char *out, const unsigned char *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

/* The entry's file: one per real folder, spelling and options, so that
 * the cache holds one entry per program a user checks. */
static char *entry_path(const char *cache_dir, const char *dir,
                        const sc_check_key_opts *ko)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return NULL;
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "%s%c%s%clix %.17g werror %d", real, 0, dir, 0,
	              ko->lix_max, ko->werror);
	for (int i = 0; i < ko->nno_codes; i++)
		st_buf_printf(&b, "%c%s", 0, ko->no_codes[i]);
	unsigned char h[HASH_LEN];
	char name[2 * HASH_LEN + 1];
	st_sha256(b.data, b.len, h);
	hex(name, h, HASH_LEN);
	st_buf_release(&b);
	free(real);
	st_buf_init(&b);
	st_buf_printf(&b, "%s/%s", cache_dir, name);
	return st_buf_detach(&b, NULL);
}

void sc_checkcache_free(sc_checkcache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c->path);
	free(c->cache_dir);
	free(c);
}

sc_checkcache *sc_checkcache_open(const char *dir, const sc_check_key_opts *ko)
{
	sc_checkcache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->dir = strdup(dir);
	c->ko = *ko;
	c->cache_dir = cache_folder();
	if (c->cache_dir)
		c->path = entry_path(c->cache_dir, dir, ko);
	if (!c->path || compute_key(c, c->key) != 0) {
		sc_checkcache_free(c);
		return NULL;
	}
	return c;
}

/* ---- writing an entry ---------------------------------------------------- */

static void put_u32(st_buf *b, uint32_t v)
{
	unsigned char x[4] = { v & 255, (v >> 8) & 255, (v >> 16) & 255, v >> 24 };
	st_buf_add(b, (const char *)x, 4);
}

static void put_u64(st_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(st_buf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	st_buf_add(b, s, n);
}

/* A possibly NULL string: a flag, then the string. */
static void put_opt(st_buf *b, const char *s)
{
	put_u32(b, s != NULL);
	if (s)
		put_str(b, s, strlen(s));
}

static void put_span(st_buf *b, st_span sp)
{
	put_opt(b, sp.file);
	put_u32(b, (uint32_t)sp.line);
	put_u32(b, (uint32_t)sp.col);
	put_u32(b, (uint32_t)sp.end_line);
	put_u32(b, (uint32_t)sp.end_col);
}

/* Whether name is already among the first n span files of d's findings
 * and notes, in the order put_sources walks them. */
static int source_listed(const char **seen, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(seen[i], name))
			return 1;
	return 0;
}

/* The texts of the files the findings point into, each once. */
static void put_sources(st_buf *b, const st_diags *d)
{
	size_t nf = st_diags_count(d), n = 0, cap = 0;
	const char **seen = NULL;
	for (size_t i = 0; i < nf; i++)
		for (size_t j = 0; j <= st_diags_nnotes(d, i); j++) {
			st_span sp = j == 0 ? st_diags_span(d, i)
			                    : st_diags_note_span(d, i, j - 1);
			size_t len;
			if (!sp.file || source_listed(seen, n, sp.file) ||
			    !st_diags_source(d, sp.file, &len))
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				seen = realloc(seen, cap * sizeof *seen);
				if (!seen)
					abort();
			}
			seen[n++] = sp.file;
		}
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		const char *text = st_diags_source(d, seen[i], &len);
		put_str(b, seen[i], strlen(seen[i]));
		put_str(b, text, len);
	}
	free(seen);
}

static void put_payload(st_buf *b, const st_diags *d,
                        const sc_check_summary *s)
{
	put_u32(b, (uint32_t)s->have);
	put_opt(b, s->id);
	put_opt(b, s->version);
	put_u64(b, s->nmodules);
	put_u64(b, s->nforms);
	put_u64(b, s->nexercises);
	put_u64(b, s->nmedia);
	size_t nf = st_diags_count(d);
	put_u32(b, (uint32_t)nf);
	for (size_t i = 0; i < nf; i++) {
		const char *code = st_diags_code(d, i), *msg = st_diags_message(d, i);
		put_u32(b, (uint32_t)st_diags_reported_level(d, i));
		put_str(b, code, strlen(code));
		put_span(b, st_diags_span(d, i));
		put_str(b, msg, strlen(msg));
		size_t nn = st_diags_nnotes(d, i);
		put_u32(b, (uint32_t)nn);
		for (size_t j = 0; j < nn; j++) {
			const char *nm = st_diags_note_message(d, i, j);
			put_span(b, st_diags_note_span(d, i, j));
			put_str(b, nm, strlen(nm));
		}
	}
	put_sources(b, d);
}

/* Temporary files a check that was killed while writing left behind:
 * removed once they are ten minutes old (a younger one may be another
 * check's, still being written). */
#define STALE_SECONDS 600

static void remove_stale(const char *cache_dir)
{
	DIR *dh = opendir(cache_dir);
	struct dirent *de;
	time_t now = time(NULL);
	if (!dh)
		return;
	while ((de = readdir(dh))) {
		struct stat st;
		if (strncmp(de->d_name, ".tmp-", 5) ||
		    fstatat(dirfd(dh), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    st.st_mtime < now - STALE_SECONDS)
			unlinkat(dirfd(dh), de->d_name, 0);
	}
	closedir(dh);
}

/* data into the entry's file, whole or not at all: a temporary file in
 * the same folder, renamed over it. */
static void write_entry(const sc_checkcache *c, const char *data, size_t n)
{
	st_buf tmp;
	remove_stale(c->cache_dir);
	st_buf_init(&tmp);
	st_buf_printf(&tmp, "%s/.tmp-XXXXXX", c->cache_dir);
	int fd = mkstemp(tmp.data);
	if (fd < 0) {
		st_buf_release(&tmp);
		return;
	}
	int ok = st_write_all(fd, data, n) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp.data, c->path) != 0)
		unlink(tmp.data);
	st_buf_release(&tmp);
}

void sc_checkcache_put(sc_checkcache *c, const st_diags *d,
                       const sc_check_summary *s)
{
	unsigned char now[HASH_LEN], sum[HASH_LEN];
	for (size_t i = 0; i < st_diags_count(d); i++)
		if (!strcmp(st_diags_code(d, i), "io"))
			return;   /* may not happen again: never kept */
	if (compute_key(c, now) != 0 || memcmp(now, c->key, HASH_LEN))
		return;       /* changed while check ran */
	st_buf b;
	st_buf_init(&b);
	st_buf_add(&b, MAGIC, MAGIC_LEN);
	st_buf_add(&b, (const char *)c->key, HASH_LEN);
	put_payload(&b, d, s);
	st_sha256(b.data, b.len, sum);
	st_buf_add(&b, (const char *)sum, HASH_LEN);
	if (b.len <= MAX_ENTRY)
		write_entry(c, b.data, b.len);
	st_buf_release(&b);
}

/* ---- reading an entry ---------------------------------------------------- */

typedef struct rd {
	const unsigned char *p, *end;
	int bad;
} rd;

static uint32_t get_u32(rd *r)
{
	if (r->bad || r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v = r->p[0] | r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	             (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static uint64_t get_u64(rd *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

/* A string copied into a; text may hold NUL bytes (a source), a name or
 * message may not. */
static const char *get_str(rd *r, st_arena *a, size_t *len, int text)
{
	uint32_t n = get_u32(r);
	if (r->bad || (size_t)(r->end - r->p) < n ||
	    (!text && memchr(r->p, 0, n))) {
		r->bad = 1;
		return NULL;
	}
	char *s = st_alloc(a, (size_t)n + 1);
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	if (len)
		*len = n;
	return s;
}

static const char *get_opt(rd *r, st_arena *a)
{
	uint32_t f = get_u32(r);
	if (f > 1)
		r->bad = 1;
	return f == 1 ? get_str(r, a, NULL, 0) : NULL;
}

static int get_int(rd *r)
{
	uint32_t v = get_u32(r);
	if (v > INT32_MAX)
		r->bad = 1;
	return (int)v;
}

static st_span get_span(rd *r, st_arena *a)
{
	st_span sp;
	sp.file = get_opt(r, a);
	sp.line = get_int(r);
	sp.col = get_int(r);
	sp.end_line = get_int(r);
	sp.end_col = get_int(r);
	return sp;
}

struct rnote { st_span sp; const char *msg; };
struct rfind {
	st_level lvl;
	const char *code, *msg;
	st_span sp;
	struct rnote *notes;
	size_t nnotes;
};
struct rsrc { const char *name, *text; size_t len; };

/* No more of a count than the bytes left could hold at min bytes each:
 * a damaged count never makes a huge allocation. */
static size_t get_count(rd *r, size_t min)
{
	uint32_t n = get_u32(r);
	if (!r->bad && (size_t)(r->end - r->p) / min < n)
		r->bad = 1;
	return r->bad ? 0 : n;
}

static void get_finding(rd *r, st_arena *a, struct rfind *f)
{
	uint32_t lvl = get_u32(r);
	size_t len = 0;
	f->lvl = lvl == ST_NOTE ? ST_NOTE : lvl == ST_WARNING ? ST_WARNING
	                                                       : ST_ERROR;
	if (lvl > ST_ERROR)
		r->bad = 1;
	f->code = get_str(r, a, &len, 0);
	if (f->code && (len == 0 || len >= 48))
		r->bad = 1;
	f->sp = get_span(r, a);
	f->msg = get_str(r, a, NULL, 0);
	f->nnotes = get_count(r, 24);
	f->notes = st_alloc(a, (f->nnotes + 1) * sizeof *f->notes);
	for (size_t j = 0; j < f->nnotes && !r->bad; j++) {
		f->notes[j].sp = get_span(r, a);
		f->notes[j].msg = get_str(r, a, NULL, 0);
	}
}

/* The whole entry file, if it is ours and may be trusted to be. */
static char *read_entry(const char *path, size_t *n)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *data = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && !(st.st_mode & 022) &&
	    st.st_size >= MAGIC_LEN + 2 * HASH_LEN && st.st_size <= MAX_ENTRY) {
		data = malloc((size_t)st.st_size);
		size_t got = 0;
		while (data && got < (size_t)st.st_size) {
			ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != (size_t)st.st_size) {
			free(data);
			data = NULL;
		}
		*n = got;
	}
	close(fd);
	return data;
}

int sc_checkcache_get(sc_checkcache *c, st_diags *d, st_arena *a,
                      sc_check_summary *s)
{
	size_t n = 0;
	unsigned char sum[HASH_LEN];
	char *data = read_entry(c->path, &n);
	if (!data)
		return 0;
	st_sha256(data, n - HASH_LEN, sum);
	if (memcmp(data, MAGIC, MAGIC_LEN) ||
	    memcmp(data + MAGIC_LEN, c->key, HASH_LEN) ||
	    memcmp(data + n - HASH_LEN, sum, HASH_LEN)) {
		free(data);
		return 0;
	}
	rd r = { (const unsigned char *)data + MAGIC_LEN + HASH_LEN,
	         (const unsigned char *)data + n - HASH_LEN, 0 };
	sc_check_summary sm = { 0 };
	uint32_t have = get_u32(&r);
	sm.have = have == 1;
	r.bad |= have > 1;
	sm.id = get_opt(&r, a);
	sm.version = get_opt(&r, a);
	sm.nmodules = get_u64(&r);
	sm.nforms = get_u64(&r);
	sm.nexercises = get_u64(&r);
	sm.nmedia = get_u64(&r);
	size_t nf = get_count(&r, 40);
	struct rfind *f = st_alloc(a, (nf + 1) * sizeof *f);
	for (size_t i = 0; i < nf && !r.bad; i++)
		get_finding(&r, a, &f[i]);
	size_t ns = get_count(&r, 8);
	struct rsrc *src = st_alloc(a, (ns + 1) * sizeof *src);
	for (size_t i = 0; i < ns && !r.bad; i++) {
		src[i].name = get_str(&r, a, NULL, 0);
		src[i].text = get_str(&r, a, &src[i].len, 1);
	}
	free(data);
	if (r.bad || r.p != r.end)
		return 0;
	for (size_t i = 0; i < ns; i++)
		st_diags_add_source(d, src[i].name, src[i].text, src[i].len);
	for (size_t i = 0; i < nf; i++) {
		st_diag(d, f[i].lvl, f[i].code, f[i].sp, "%s", f[i].msg);
		for (size_t j = 0; j < f[i].nnotes; j++)
			st_diag_note(d, f[i].notes[j].sp, "%s", f[i].notes[j].msg);
	}
	*s = sm;
	return 1;
}
