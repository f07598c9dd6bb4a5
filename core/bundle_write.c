/*
 * bundle_write.c — writing a .steg bundle from a checked program
 * (core/bundle.h, docs/bundle-format.md).
 *
 * Reproducibility is the point of most of this file: the same sources and
 * compiler give the same bytes, so that a region can rebuild a bundle and
 * compare it with what it received.  So the entry order is fixed
 * (manifest.xml, manifest.xml.minisig, program.xml, pages in module and
 * page order, media sorted by name); every entry has the same time
 * (SOURCE_DATE_EPOCH, else 1980-01-01, in UTC) and the same attributes (a
 * Unix regular file, 0644); no extra fields and no comment; text is
 * deflated at a fixed level and media are stored.  The times are made in
 * UTC (st_zip_time_utc), never from the machine's time zone, and nothing
 * here touches the environment.
 *
 * Atomicity: the zip is written into a temporary file beside the
 * destination (core/zipout.h), which is renamed into place only when
 * everything passed and removed otherwise, so a build that fails (a schema
 * error, an unreadable or changing media file) leaves an existing bundle
 * as it was and no stray file.
 *
 * The text entries are deflated on every core (the pool below), with
 * libzip's parameters (core/deflate.h), and written into the zip in
 * order as soon as each one and those before it are ready; the pages'
 * checksums come from the workers that loaded their modules
 * (st_page.sums); core/zipw.c lays the archive out
 * as libzip 1.7.3 did, so the bytes are the ones libzip wrote before
 * (tests/t0304).  libzip still rewrites a bundle for `stegc sign`.
 *
 * Media are read twice: once to hash them for the manifest, which comes
 * first in the zip, and once to write them, hashed again as they go in: a
 * file whose bytes are no longer the manifest's (it changed during the
 * build) fails the write, so the manifest always describes the bytes in
 * the bundle.
 *
 * The self-check (st_bundle_write_opts.self_check): manifest.xml and
 * program.xml validated against the schemas built into the binary, beside
 * their compression, before the bundle is renamed into place; a compiler
 * that writes a bundle its own reader refuses has a bug, reported as an
 * internal error.  It is off unless asked for (`stegc build
 * --self-check`, STEG_SELF_CHECK): every reader (steg import, stegc
 * verify) validates both documents of every bundle anyway, and the test
 * suite builds every bundle with it on, so a release build does not prove
 * the same thing a second time (docs/bundle-format.md, "The self-check").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <limits.h>

#include <libxml/xmlschemas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <zip.h>

#include "bundle.h"
#include "deflate.h"
#include "manifest.h"
#include "progxml.h"
#include "sha256.h"
#include "xmlsafe.h"
#include "vocab.h"
#include "zipout.h"
#include "zipw.h"

#define ZIP_EPOCH 315532800LL   /* 1980-01-01T00:00:00Z */
#define DEFAULT_LEVEL ST_BUNDLE_DEFAULT_LEVEL
#define ENTRY_ATTR ((zip_uint32_t)(S_IFREG | 0644) << 16)

/* Everything a bundle holds, prepared in memory (except media, which are
 * hashed here and streamed from disk when the zip is written). */
struct plan {
	st_arena *a;
	st_manifest man;
	char *manifest_xml;        /* malloc'd */
	size_t manifest_len;
	char *program_xml;         /* malloc'd */
	size_t program_len;
	const st_media **media;    /* sorted by path */
	size_t nmedia;
};

static void plan_release(struct plan *p)
{
	free(p->manifest_xml);
	free(p->program_xml);
	st_arena_free(p->a);
	memset(p, 0, sizeof *p);
}

static int cmp_media(const void *pa, const void *pb)
{
	const st_media *const *a = pa, *const *b = pb;
	return strcmp((*a)->path, (*b)->path);
}

static int cmp_str(const void *pa, const void *pb)
{
	const char *const *a = pa, *const *b = pb;
	return strcmp(*a, *b);
}

/* Size and SHA-256 of a media file, streamed. */
static int hash_media(st_diags *d, const st_media *m, long long *size, char hex[65])
{
	st_span sp = m->sp;
	if (!sp.file)
		sp.file = m->disk_path;
	/* O_NONBLOCK: a named pipe is refused below instead of waited on */
	int fd = open(m->disk_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot read '%s': %s",
		        m->disk_path, strerror(errno));
		return ST_EIO;
	}
	int rc = ST_EIO;
	unsigned char *buf = malloc(1u << 20);
	st_sha256_ctx md;
	struct stat st;
	if (!buf || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot read '%s': %s",
		        m->disk_path, buf ? "not a regular file" : "out of memory");
		goto done;
	}
	st_sha256_begin(&md);
	long long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, 1u << 20);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st_diag(d, ST_ERROR, "bundle-write", sp, "cannot read '%s': %s",
			        m->disk_path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		total += n;
		st_sha256_add(&md, buf, (size_t)n);
	}
	if ((unsigned long long)total > ST_BUNDLE_MAX_ENTRY) {
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "'%s' is %lld bytes, more than a bundle entry may be (%llu)",
		        m->path, total, ST_BUNDLE_MAX_ENTRY);
		rc = ST_ERR;
		goto done;
	}
	st_sha256_end_hex(&md, hex);
	*size = total;
	rc = ST_OK;
done:
	free(buf);
	close(fd);
	return rc;
}

static void add_entry(struct plan *p, size_t *cap, const char *path,
                      long long size, const char *hex)
{
	st_manifest_entry e = { path, size, {0} };
	memcpy(e.sha256, hex, 65);
	ST_PUSH(p->a, p->man.entries, p->man.nentries, *cap, e);
}

/* libxml2's first message, for a self-check that fails. */
struct first_msg {
	char text[384];
	int line;
};

static void keep_first(void *ctx, xmlErrorPtr e)
{
	struct first_msg *fm = ctx;
	if (fm->text[0] || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(fm->text, sizeof fm->text, "%s", e->message ? e->message : "invalid");
	size_t n = strlen(fm->text);
	while (n && (fm->text[n - 1] == '\n' || fm->text[n - 1] == ' '))
		fm->text[--n] = 0;
	fm->line = e->line;
}

/* Check that the writer's own output validates against the schema built
 * into the binary (compiled once, core/xmlsafe.c); failure is a bug.  The
 * document is validated as a stream (SAX), without building a tree: it is
 * our own output, so the hostile-input rules of xmlsafe are not needed,
 * and a program.xml of 1,000 modules validates in half the time.  Touches
 * no st_diags, so that it can run beside the compression threads; the
 * first message goes into msg. */
static int validate_own(const char *schema, const char *xml, size_t len,
                        char *msg, size_t msglen)
{
	struct first_msg fm = { "", 0 };
	int rc = ST_EIO;
	xmlSchemaPtr sc = st_xml_schema(schema);
	xmlSchemaValidCtxtPtr vc = sc ? xmlSchemaNewValidCtxt(sc) : NULL;
	/* (xmlParserInputBufferCreateStatic misreads long documents as a
	 * stream in libxml2 2.9.14; Mem copies, which is cheap here) */
	xmlParserInputBufferPtr in = len <= INT_MAX
		? xmlParserInputBufferCreateMem(xml, (int)len, XML_CHAR_ENCODING_UTF8)
		: NULL;
	if (!sc) {
		snprintf(fm.text, sizeof fm.text, "the schema is not built in or does not compile");
	} else if (vc && in) {
		xmlSchemaSetValidStructuredErrors(vc, keep_first, &fm);
		/* xmlSchemaValidateStream frees the input buffer */
		int v = xmlSchemaValidateStream(vc, in, XML_CHAR_ENCODING_UTF8, NULL, NULL);
		in = NULL;
		if (v == 0)
			rc = ST_OK;
	}
	if (in)
		xmlFreeParserInputBuffer(in);
	if (vc)
		xmlSchemaFreeValidCtxt(vc);
	if (rc != ST_OK)
		snprintf(msg, msglen, "line %d: %s", fm.line, fm.text[0] ? fm.text : "invalid");
	return rc;
}

/* The schema check of one document: failure is a bug in stegc. */
struct check_job {
	const char *what, *schema;
	const char *doc;
	size_t len;
	char msg[512];
	int rc;
};

static void check_run(struct check_job *j)
{
	j->rc = validate_own(j->schema, j->doc, j->len, j->msg, sizeof j->msg);
}

/* The manifest's check, then program.xml's: the finding names the first
 * that failed. */
static int check_result(st_diags *d, const struct check_job j[2])
{
	for (int k = 0; k < 2; k++) {
		if (j[k].rc == ST_OK)
			continue;
		st_span sp = { NULL, 0, 0, 0, 0 };
		st_diag(d, ST_ERROR, "internal-error", sp,
		        "the %s that stegc made does not validate against '%s' (a bug in "
		        "stegc): %s", j[k].what, j[k].schema, j[k].msg);
		return ST_EIO;
	}
	return ST_OK;
}

static void check_jobs_init(struct check_job j[2], const struct plan *p)
{
	memset(j, 0, 2 * sizeof *j);
	j[0] = (struct check_job){ "manifest.xml", "manifest.xsd", p->manifest_xml,
	                           p->manifest_len, "", ST_EIO };
	j[1] = (struct check_job){ "program.xml", "program.xsd", p->program_xml,
	                           p->program_len, "", ST_EIO };
}

struct pool;
static void pool_offer_program(struct pool *pl, const char *xml, size_t len);

/* Everything but the zip (nothing validated here: the writer's
 * self-check, when asked for, runs after).  pool: where program.xml is
 * offered for compression as soon as it is written, or NULL. */
static int plan_make(struct plan *p, st_diags *d, const st_program *prog,
                     struct pool *pool)
{
	memset(p, 0, sizeof *p);
	p->a = st_arena_new();
	int errors = st_diags_errors(d);
	int rc = st_progxml_write(d, prog, &p->program_xml, &p->program_len);
	if (rc != ST_OK)
		return rc == ST_ERR ? ST_ERR : ST_EIO;
	if (pool)
		pool_offer_program(pool, p->program_xml, p->program_len);

	size_t cap = 0;
	char hex[65];
	st_sha256_hex(p->program_xml, p->program_len, hex);
	add_entry(p, &cap, "program.xml", (long long)p->program_len, hex);

	size_t npaths = 0, pcap = 0;
	const char **paths = NULL;
	for (size_t i = 0; i < prog->nmodules; i++) {
		const st_module *m = &prog->modules[i];
		for (size_t j = 0; j < m->npages; j++) {
			const st_page *pg = &m->pages[j];
			if (pg->sums.set)   /* hashed where it loaded */
				memcpy(hex, pg->sums.sha256, sizeof hex);
			else
				st_sha256_hex(pg->xhtml ? pg->xhtml : "", pg->xhtml_len, hex);
			add_entry(p, &cap, pg->path, (long long)pg->xhtml_len, hex);
			ST_PUSH(p->a, paths, npaths, pcap, pg->path);
		}
	}
	p->nmedia = prog->nmedia;
	p->media = st_alloc(p->a, (p->nmedia ? p->nmedia : 1) * sizeof *p->media);
	for (size_t i = 0; i < prog->nmedia; i++)
		p->media[i] = &prog->media[i];
	qsort(p->media, p->nmedia, sizeof *p->media, cmp_media);
	for (size_t i = 0; i < p->nmedia; i++) {
		const st_media *m = p->media[i];
		long long size = 0;
		rc = hash_media(d, m, &size, hex);
		if (rc == ST_EIO)
			return rc;
		if (rc != ST_OK)
			continue;
		add_entry(p, &cap, m->path, size, hex);
		ST_PUSH(p->a, paths, npaths, pcap, m->path);
	}

	/* Names: safe, and no two alike (a page and a media file cannot
	 * collide by construction, but the reader would refuse it). */
	st_span sp0 = { NULL, 0, 0, 0, 0 };
	if (p->man.nentries > ST_BUNDLE_MAX_ENTRIES)
		st_diag(d, ST_ERROR, "bundle-limit", sp0,
		        "the bundle would have %zu entries, more than the limit of %d",
		        p->man.nentries, ST_BUNDLE_MAX_ENTRIES);
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i] || !st_bundle_name_ok(paths[i], strlen(paths[i])))
			st_diag(d, ST_ERROR, "bundle-unsafe-name", sp0,
			        "'%s' cannot be a bundle entry name (letters, digits, '.', "
			        "'_', '-' and '/' only)", paths[i] ? paths[i] : "");
	qsort(paths, npaths, sizeof *paths, cmp_str);
	for (size_t i = 1; i < npaths; i++)
		if (paths[i] && paths[i - 1] && !strcmp(paths[i - 1], paths[i]))
			st_diag(d, ST_ERROR, "bundle-duplicate-entry", sp0,
			        "two entries would be named '%s'", paths[i]);
	if (st_diags_errors(d) > errors)
		return ST_ERR;

	st_manifest *m = &p->man;
	m->id = prog->id;
	m->version = prog->version;
	m->title = prog->title;
	m->language = prog->language;
	m->kind = st_program_kind_name(prog->kind);
	m->producer_id = prog->producer_id;
	m->producer_name = prog->producer_name;
	m->compiler = "stegc " STEG_VERSION;
	m->source_format = prog->steg > 0 ? prog->steg : 1;
	m->build_time = st_source_date_epoch();
	if (m->build_time < ZIP_EPOCH)
		m->build_time = ZIP_EPOCH;
	st_buf b;
	st_buf_init(&b);
	st_manifest_write(&b, m);
	p->manifest_xml = st_buf_detach(&b, &p->manifest_len);
	return ST_OK;
}

int st_bundle_manifest(st_diags *d, const st_program *prog, char **xml,
                       size_t *len)
{
	struct plan p;
	*xml = NULL;
	*len = 0;
	int rc = plan_make(&p, d, prog, NULL);
	if (rc == ST_OK) {
		*xml = p.manifest_xml;
		*len = p.manifest_len;
		p.manifest_xml = NULL;
	}
	plan_release(&p);
	return rc;
}

/* Add one entry with the fixed attributes (its time is stamped later). */
static int put(zip_t *z, const char *name, zip_source_t *src, int store,
               int level)
{
	if (!src)
		return -1;
	zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(src);
		return -1;
	}
	zip_uint64_t ix = (zip_uint64_t)i;
	if (zip_set_file_compression(z, ix, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
	                             store ? 0 : (zip_uint32_t)level) != 0 ||
	    zip_file_set_external_attributes(z, ix, 0, ZIP_OPSYS_UNIX, ENTRY_ATTR) != 0)
		return -1;
	return 0;
}

static long long entry_time(void)
{
	long long t = st_source_date_epoch();
	return t < ZIP_EPOCH ? ZIP_EPOCH : t;
}

/* ---- the compression, on every core -------------------------------------
 *
 * What follows the loading of the modules is a chain that cannot be split: program.xml
 * is written from the whole program, the manifest lists program.xml's
 * SHA-256 first, and the manifest is one deflate stream (its hex digests
 * deflate slowly: about 60 ms at 1,000 modules, the largest single task
 * of a build).  So this thread runs that chain (plan_make, then the
 * manifest's compression) while the other threads deflate the pages and,
 * as soon as it is written, program.xml.  The pages'
 * CRC-32 and SHA-256 are made where their modules loaded (st_page.sums,
 * compiler/modules.c), as the manifest needs them first.
 *
 * The manifest is the zip's first entry, and every entry's offset follows
 * from its deflated size, so nothing goes into the file before it.  Once
 * it is deflated (and self-checked, when asked for), this thread creates
 * the temporary file beside the destination, writes the manifest and its
 * signature and opens the gate; from then on program.xml and the pages go
 * in as soon as each one and every one before it are deflated, written by
 * whichever thread deflated the last of them (struct pool), while the
 * others go on deflating.  This thread joins the others after its share
 * of the pages, and what is left is short: the last pages, the media and
 * the central directory (made entry by entry, core/zipw.h).
 *
 * core/zipw.c lays the entries out as libzip 1.7.3 did (the bytes are the
 * same: tests/t0304), into the temporary file, renamed into place only
 * when everything passed (core/zipout.h): a write that fails on any
 * thread stops the pool and is reported with its own error after the
 * join, and the file is removed (tests/t0300). */

struct text_entry {
	const char *name;
	const void *data;          /* deflated */
	size_t len;                /* deflated */
	size_t size;               /* uncompressed */
	uint32_t crc;
};

struct pack_job {
	const char *data;
	size_t len;
	unsigned char *out;        /* malloc'd */
	size_t outlen;
	uint32_t crc;
	int rc;
};

/* data[0..len) deflated at level with the thread's *z, made at its first
 * use; *out is *z's until its next use. */
static int deflate_with(st_deflater **z, int level, const void *data,
                        size_t len, const unsigned char **out, size_t *n)
{
	if (!*z && !(*z = st_deflater_new(level)))
		return ST_EIO;
	return st_deflate(*z, data, len, out, n);
}

static void pack_run(struct pack_job *k, st_deflater **z, int level)
{
	const unsigned char *out;
	size_t n;
	k->rc = ST_EIO;
	if (!k->data)
		return;
	if (deflate_with(z, level, k->data, k->len, &out, &n) != ST_OK ||
	    !(k->out = malloc(n ? n : 1)))
		return;
	memcpy(k->out, out, n);
	k->outlen = n;
	k->crc = st_crc32(0, k->data, k->len);
	k->rc = ST_OK;
}

enum { MAX_THREADS = 8 };

/* The pages to deflate, taken in turn by every thread, and program.xml,
 * taken by the first thread that finds it written; and the zip, written
 * while they deflate.
 *
 * The zip's entries after the manifest and its signature (program.xml,
 * then the pages in order: "entry k" below, 0 for program.xml, 1 + i for
 * page i) are written as soon as each one and every one before it is
 * deflated, by whichever thread finds them so: a thread that deflated one
 * marks it done, and unless another thread is writing, becomes the writer
 * and writes the entries from the frontier on for as long as they are
 * done.  Only the gate, opened by this thread once the temporary file
 * holds the manifest and its signature (zipfile_open), lets writing begin; the
 * media, the central directory and what no thread got to are written by
 * this thread after it joined the others (zipfile_tail).
 *
 * Shared state, and what keeps each access ordered:
 * - next, stop: atomics; stop is only ever set (a failed plan, a failed
 *   write), a thread that sees it late deflates a page no one writes.
 * - pages, npages, level: written before the threads start, then read.
 * - te[i]: written only by the thread that took page i (next hands each
 *   index out once), before it marks entry 1 + i done under wmu; read by
 *   the writer only after it saw done[1 + i] under wmu (so the mutex
 *   orders the write before the read), or by this thread after the join.
 * - program: data and len under mu (pool_offer_program); out, outlen,
 *   crc and rc written by the one thread that took it (program_taken,
 *   under mu) before it marks entry 0 done under wmu; read like te[].
 * - done[], frontier, writing, w, werr: under wmu.  w is set once, when
 *   the gate opens (w non-NULL is the gate).  The archive behind w is used
 *   by one thread at a time: the one that set writing (under wmu) and
 *   writes without holding wmu, as no other thread touches the archive
 *   while writing is set; this thread before the gate opens and after the
 *   join.  A marking thread that finds writing set leaves its entry to the
 *   writer, which looks at done[frontier] again under wmu before it
 *   clears writing, so no entry that is done is left behind. */
struct pool {
	const st_page **pages;     /* in bundle order */
	size_t npages;
	struct text_entry *te;     /* te[i]: pages[i] deflated */
	int level;
	atomic_size_t next;        /* the next page to take */
	atomic_int stop;           /* the plan or a write failed: take no more */
	pthread_mutex_t mu;        /* over program and program_taken */
	struct pack_job program;   /* data set when program_ready */
	atomic_int program_ready;  /* a hint, to take mu only then */
	int program_taken;
	pthread_mutex_t wmu;       /* over the writer's fields below */
	unsigned char *done;       /* done[k]: entry k is deflated */
	size_t frontier;           /* the first entry not yet written */
	int writing;               /* a thread writes (without wmu) */
	st_zipw *w;                /* the archive, once the gate is open */
	int werr;                  /* errno of a write that failed, or 0 */
};

struct pool_thread {
	struct pool *pool;
	st_arena *a;               /* the deflated pages it made */
	st_deflater *z;
	int rc;                    /* ST_EIO: out of memory */
	pthread_t t;
};

/* program.xml is written: any thread may deflate it now. */
static void pool_offer_program(struct pool *pl, const char *xml, size_t len)
{
	pthread_mutex_lock(&pl->mu);
	pl->program.data = xml;
	pl->program.len = len;
	atomic_store(&pl->program_ready, 1);
	pthread_mutex_unlock(&pl->mu);
}

/* A text entry, deflated at level, into the archive. */
static int text_put(st_zipw *w, const struct text_entry *t, int level)
{
	st_zipw_entry e = { t->name, 8, st_deflate_zip_flags(level), t->crc,
	                    t->len, t->size };
	return st_zipw_add(w, &e, t->data);
}

static struct text_entry pack_entry(const char *name, const struct pack_job *k)
{
	return (struct text_entry){ name, k->out, k->outlen, k->len, k->crc };
}

/* Entry k (0: program.xml, 1 + i: page i) into the archive; the caller
 * is the writer. */
static int entry_put(struct pool *pl, size_t k)
{
	struct text_entry t = k ? pl->te[k - 1] : pack_entry("program.xml", &pl->program);
	return text_put(pl->w, &t, pl->level);
}

/* Entry k (SIZE_MAX: none) is done; then, unless another thread writes
 * or the gate is closed, the entries from the frontier on into the
 * archive for as long as they are done (the pool's comment).  A write
 * that fails keeps its errno in werr and stops the pool. */
static void pool_mark(struct pool *pl, size_t k)
{
	pthread_mutex_lock(&pl->wmu);
	if (k != SIZE_MAX)
		pl->done[k] = 1;
	if (pl->writing || !pl->w) {
		pthread_mutex_unlock(&pl->wmu);
		return;
	}
	pl->writing = 1;
	while (!pl->werr && pl->frontier <= pl->npages && pl->done[pl->frontier]) {
		size_t at = pl->frontier;
		pthread_mutex_unlock(&pl->wmu);
		int bad = entry_put(pl, at) != 0;
		int err = errno;
		pthread_mutex_lock(&pl->wmu);
		if (!bad) {
			pl->frontier++;
		} else {
			pl->werr = err ? err : EIO;
			atomic_store(&pl->stop, 1);
		}
	}
	pl->writing = 0;
	pthread_mutex_unlock(&pl->wmu);
}

static void pool_take_program(struct pool_thread *t)
{
	struct pool *pl = t->pool;
	if (!atomic_load(&pl->program_ready))
		return;
	pthread_mutex_lock(&pl->mu);
	int mine = pl->program.data && !pl->program_taken;
	pl->program_taken = 1;
	pthread_mutex_unlock(&pl->mu);
	if (!mine)
		return;
	pack_run(&pl->program, &t->z, pl->level);
	if (pl->program.rc == ST_OK)
		pool_mark(pl, 0);
}

static int pool_page(struct pool_thread *t, size_t i)
{
	struct pool *pl = t->pool;
	const st_page *pg = pl->pages[i];
	const char *x = pg->xhtml ? pg->xhtml : "";
	const unsigned char *out;
	size_t n;
	if (deflate_with(&t->z, pl->level, x, pg->xhtml_len, &out, &n) != ST_OK)
		return ST_EIO;
	unsigned char *keep = st_alloc(t->a, n ? n : 1);
	memcpy(keep, out, n);
	pl->te[i] = (struct text_entry){ pg->path, keep, n, pg->xhtml_len,
		pg->sums.set ? pg->sums.crc : st_crc32(0, x, pg->xhtml_len) };
	pool_mark(pl, 1 + i);
	return ST_OK;
}

static void *pool_work(void *arg)
{
	struct pool_thread *t = arg;
	struct pool *pl = t->pool;
	while (!atomic_load(&pl->stop)) {
		pool_take_program(t);
		size_t i = atomic_fetch_add(&pl->next, 1);
		if (i >= pl->npages)
			break;
		if (pool_page(t, i) != ST_OK)
			t->rc = ST_EIO;
	}
	if (!atomic_load(&pl->stop))
		pool_take_program(t);
	return NULL;
}

/* The pool of prog's pages at level, and up to jobs - 1 threads beside
 * this one (th[0]) already at work on it; *nth threads in all.  ST_EIO
 * when memory runs out. */
static int pool_start(struct pool *pl, struct pool_thread th[MAX_THREADS],
                      size_t *nth, const st_program *prog, int level, int jobs)
{
	memset(pl, 0, sizeof *pl);
	memset(th, 0, MAX_THREADS * sizeof *th);
	*nth = 0;
	pl->level = level;
	pl->program.rc = ST_EIO;
	atomic_init(&pl->next, 0);
	atomic_init(&pl->stop, 0);
	atomic_init(&pl->program_ready, 0);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_mutex_init(&pl->wmu, NULL);
	for (size_t i = 0; i < prog->nmodules; i++)
		pl->npages += prog->modules[i].npages;
	pl->pages = malloc((pl->npages ? pl->npages : 1) * sizeof *pl->pages);
	pl->te = calloc(pl->npages ? pl->npages : 1, sizeof *pl->te);
	pl->done = calloc(pl->npages + 1, 1);
	th[0] = (struct pool_thread){ pl, st_arena_new(), NULL, ST_OK, pthread_self() };
	if (!pl->pages || !pl->te || !pl->done || !th[0].a)
		return ST_EIO;
	*nth = 1;
	size_t k = 0;
	for (size_t i = 0; i < prog->nmodules; i++)
		for (size_t j = 0; j < prog->modules[i].npages; j++)
			pl->pages[k++] = &prog->modules[i].pages[j];
	size_t want = jobs < 1 ? 1 : jobs > MAX_THREADS ? MAX_THREADS : (size_t)jobs;
	while (*nth < want) {
		struct pool_thread *t = &th[*nth];
		*t = (struct pool_thread){ pl, st_arena_new(), NULL, ST_OK, pthread_self() };
		/* a thread that cannot start leaves its share to the others */
		if (!t->a || pthread_create(&t->t, NULL, pool_work, t) != 0) {
			st_arena_free(t->a);
			t->a = NULL;
			break;
		}
		(*nth)++;
	}
	return ST_OK;
}

/* This thread's share of the pool (stop: none, the plan failed), then
 * the others joined; ST_OK when every page and program.xml were
 * deflated (whether written or not: zipfile_tail). */
static int pool_finish(struct pool *pl, struct pool_thread th[MAX_THREADS],
                       size_t nth, int stop)
{
	if (stop)
		atomic_store(&pl->stop, 1);
	else if (nth)
		pool_work(&th[0]);
	int rc = nth && !stop ? ST_OK : ST_EIO;
	for (size_t k = 0; k < nth; k++) {
		if (k > 0)
			pthread_join(th[k].t, NULL);
		if (th[k].rc != ST_OK)
			rc = ST_EIO;
	}
	if (rc == ST_OK)
		pool_take_program(&th[0]);   /* when every other thread left early */
	return rc == ST_OK ? pl->program.rc : rc;
}

static void pool_release(struct pool *pl, struct pool_thread th[MAX_THREADS])
{
	for (size_t k = 0; k < MAX_THREADS; k++) {
		st_deflater_free(th[k].z);
		st_arena_free(th[k].a);
	}
	st_zipw_free(pl->w);
	free(pl->program.out);
	free(pl->pages);
	free(pl->te);
	free(pl->done);
	pthread_mutex_destroy(&pl->mu);
	pthread_mutex_destroy(&pl->wmu);
}

/* The documents deflated on this thread, the manifest first: it is the
 * longest task and the last to be ready. */
struct docs {
	struct pack_job manifest, sig;
	st_deflater *z;
};

static int docs_pack(struct docs *dc, const struct plan *p, const char *sig,
                     int level)
{
	memset(dc, 0, sizeof *dc);
	dc->manifest = (struct pack_job){ p->manifest_xml, p->manifest_len, NULL, 0, 0, ST_EIO };
	dc->sig = (struct pack_job){ sig, sig ? strlen(sig) : 0, NULL, 0, 0, ST_OK };
	pack_run(&dc->manifest, &dc->z, level);
	if (sig)
		pack_run(&dc->sig, &dc->z, level);
	return dc->manifest.rc == ST_OK && dc->sig.rc == ST_OK ? ST_OK : ST_EIO;
}

static void docs_release(struct docs *dc)
{
	free(dc->manifest.out);
	free(dc->sig.out);
	st_deflater_free(dc->z);
}

/* The self-check, on this thread while the others still deflate pages:
 * manifest.xml, then program.xml. */
static int self_check(st_diags *d, const struct plan *p)
{
	struct check_job j[2];
	check_jobs_init(j, p);
	check_run(&j[0]);
	check_run(&j[1]);
	return check_result(d, j);
}

/* Why a media file did not go in. */
enum media_fail { MEDIA_WRITE, MEDIA_READ, MEDIA_CHANGED };

/* A media file into the zip, stored, read again from disk and hashed as
 * it goes in: a read past the manifest's size, an end before it or
 * another SHA-256 is MEDIA_CHANGED (the manifest must describe the bytes
 * in the bundle).  -1 with errno and *why on failure. */
static int media_put(st_zipw *w, const st_media *m, const st_manifest_entry *e,
                     unsigned char *buf, st_sha256_ctx *md, enum media_fail *why)
{
	*why = MEDIA_READ;
	int fd = open(m->disk_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	unsigned long long size = (unsigned long long)e->size, done = 0;
	uint32_t crc = 0;
	int rc = -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = MEDIA_CHANGED;
		goto out;
	}
	st_sha256_begin(md);
	*why = MEDIA_WRITE;
	if (st_zipw_begin(w, e->path) != 0)
		goto out;
	for (;;) {
		ssize_t n = read(fd, buf, 1u << 20);
		if (n < 0 && errno == EINTR)
			continue;
		*why = n < 0 ? MEDIA_READ : (unsigned long long)n > size - done
			? MEDIA_CHANGED : MEDIA_WRITE;   /* longer than hashed */
		if (n <= 0 || *why != MEDIA_WRITE)
			break;
		st_sha256_add(md, buf, (size_t)n);
		crc = st_crc32(crc, buf, (size_t)n);
		done += (unsigned long long)n;
		if (st_zipw_write(w, buf, (size_t)n) != 0)
			goto out;
	}
	if (*why != MEDIA_WRITE)
		goto out;
	char hex[65];
	st_sha256_end_hex(md, hex);
	if (done != size || strcmp(hex, e->sha256) != 0) {
		*why = MEDIA_CHANGED;
		goto out;
	}
	rc = st_zipw_end(w, crc, done);
out:;
	int keep = errno;
	close(fd);
	errno = keep;
	return rc;
}

/* The media into the zip in manifest order (right after the pages);
 * *bad names the one that failed and *why says why. */
static int media_put_all(st_zipw *w, const struct plan *p, enum media_fail *why,
                         const st_media **bad)
{
	unsigned char *buf = malloc(1u << 20);
	st_sha256_ctx md;
	int rc = buf ? 0 : -1;
	if (rc)
		errno = ENOMEM;
	size_t first = p->man.nentries - p->nmedia;
	for (size_t i = 0; rc == 0 && i < p->nmedia; i++) {
		rc = media_put(w, p->media[i], &p->man.entries[first + i], buf, &md, why);
		if (rc)
			*bad = p->media[i];
	}
	free(buf);
	return rc;
}

/* A finding for a media file that did not go in (not a write error). */
static int media_report(st_diags *d, const st_media *m, enum media_fail why, int err)
{
	st_span ms = m->sp;
	if (!ms.file)
		ms.file = m->disk_path;
	if (why == MEDIA_READ) {
		st_diag(d, ST_ERROR, "bundle-write", ms, "cannot read '%s': %s",
		        m->disk_path, strerror(err));
		return ST_EIO;
	}
	st_diag(d, ST_ERROR, "bundle-source-changed", ms,
	        "the file changed while the bundle was being written (its bytes "
	        "are no longer those the manifest lists for '%s'); nothing was "
	        "written: build again once it stays the same", m->path);
	return ST_ERR;
}

/* The temporary file created, the manifest and its signature written
 * into it, and the gate opened: from here on the pool writes program.xml
 * and the pages as they are deflated (struct pool). */
static int zipfile_open(st_diags *d, st_span sp, st_zipout *out,
                        const char *out_path,
                        const struct docs *dc, struct pool *pl, int level)
{
	if (st_zipout_create(out, out_path) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot create the bundle: %s",
		        strerror(errno));
		return ST_EIO;
	}
	st_zipw *w = st_zipw_new(out->fd, st_zip_time_utc(entry_time()));
	struct text_entry man = pack_entry("manifest.xml", &dc->manifest);
	struct text_entry sig = pack_entry("manifest.xml.minisig", &dc->sig);
	if (!w || text_put(w, &man, level) != 0 ||
	    (dc->sig.data && text_put(w, &sig, level) != 0)) {
		int err = w ? errno : ENOMEM;
		st_zipw_free(w);
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        strerror(err));
		return ST_EIO;
	}
	/* the gate: this thread alone touched w until now (struct pool) */
	pthread_mutex_lock(&pl->wmu);
	pl->w = w;
	pthread_mutex_unlock(&pl->wmu);
	pool_mark(pl, SIZE_MAX);
	return ST_OK;
}

/* After the pool's threads were joined: what of program.xml and the
 * pages is not written yet, the media, the central directory.  A write
 * that failed on any thread is reported here, with its errno. */
static int zipfile_tail(st_diags *d, st_span sp, const struct plan *p,
                        struct pool *pl)
{
	pool_mark(pl, SIZE_MAX);
	int bad = pl->werr != 0 || pl->frontier != pl->npages + 1;
	int err = pl->werr ? pl->werr : EIO;
	enum media_fail why = MEDIA_WRITE;
	const st_media *which = NULL;
	if (!bad)
		bad = media_put_all(pl->w, p, &why, &which) != 0;
	if (!bad)
		bad = st_zipw_finish(pl->w) != 0;
	if (!bad)
		return ST_OK;
	if (!pl->werr)
		err = errno;
	if (which && why != MEDIA_WRITE)
		return media_report(d, which, why, err);
	st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
	        strerror(err));
	return ST_EIO;
}

/* A signature covers the manifest made before it; a media file that
 * changed since then would make this one another. */
static int manifest_as_signed(st_diags *d, st_span sp, const struct plan *p,
                              const st_bundle_write_opts *opts)
{
	if (!opts || !opts->signature || !opts->signed_manifest)
		return ST_OK;
	if (opts->signed_manifest_len == p->manifest_len &&
	    memcmp(opts->signed_manifest, p->manifest_xml, p->manifest_len) == 0)
		return ST_OK;
	st_diag(d, ST_ERROR, "bundle-source-changed", sp,
	        "a media file changed while the bundle was being signed: the "
	        "manifest is no longer the one the signature covers; nothing was "
	        "written, build again when the files stay the same");
	return ST_ERR;
}

/* The bundle into out's temporary file (the caller renames it into
 * place or removes it): the plan (this thread) beside the pages'
 * compression (the pool), the documents' compression, the self-check
 * when asked for; then the file created, the manifest written and the
 * gate opened, this thread's share of the pages (written as they are
 * deflated, by whichever thread: struct pool), the join, and the rest of
 * the zip.  The deflated bytes stay in dc and the pool until docs_release
 * and pool_release. */
static int bundle_run(st_diags *d, st_span sp, struct plan *p, st_zipout *out,
                      const char *out_path, const st_program *prog,
                      const st_bundle_write_opts *opts, int level,
                      struct docs *dc, struct pool *pl,
                      struct pool_thread th[MAX_THREADS])
{
	size_t nth = 0;
	int oom = pool_start(pl, th, &nth, prog, level, opts ? opts->jobs : 1) != ST_OK;
	int rc = oom ? ST_OK : plan_make(p, d, prog, pl);
	if (!oom && rc == ST_OK)
		rc = manifest_as_signed(d, sp, p, opts);
	if (!oom && rc == ST_OK)
		oom = docs_pack(dc, p, opts ? opts->signature : NULL, level) != ST_OK;
	if (!oom && rc == ST_OK && opts && opts->self_check)
		rc = self_check(d, p);
	if (!oom && rc == ST_OK)
		rc = zipfile_open(d, sp, out, out_path, dc, pl, level);
	int stop = oom || rc != ST_OK;
	/* a write that failed stops the pool too: zipfile_tail reports it */
	if (pool_finish(pl, th, nth, stop) != ST_OK && !stop && !pl->werr)
		oom = 1;
	if (oom && rc == ST_OK) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot compress the "
		        "bundle: out of memory");
		rc = ST_EIO;
	}
	return rc == ST_OK ? zipfile_tail(d, sp, p, pl) : rc;
}

int st_bundle_write(st_diags *d, const st_program *prog, const char *out_path,
                    const st_bundle_write_opts *opts)
{
	st_span sp = { out_path, 0, 0, 0, 0 };
	struct plan p;
	struct docs dc;
	st_zipout out;
	memset(&out, 0, sizeof out);
	memset(&dc, 0, sizeof dc);
	memset(&p, 0, sizeof p);
	out.fd = -1;
	int level = opts && opts->compression_level >= 1 && opts->compression_level <= 9
		? opts->compression_level : DEFAULT_LEVEL;

	struct pool pl;
	struct pool_thread th[MAX_THREADS];
	int rc = bundle_run(d, sp, &p, &out, out_path, prog, opts, level, &dc, &pl, th);
	if (rc == ST_OK && st_zipout_commit(&out, out_path, NULL, 0) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        strerror(errno));
		rc = ST_EIO;
	}
	pool_release(&pl, th);
	docs_release(&dc);
	st_zipout_abandon(&out);
	plan_release(&p);
	return rc;
}

/* ---- stegc sign ------------------------------------------------------- */

/* The bundle at path opened for reading by libzip, on a descriptor of its
 * own: *tfd is a second one of the same file, for the entries' times.
 * NULL after a finding; *rc then says which kind. */
static zip_t *sign_open(st_diags *d, st_span sp, const char *path, int *tfd, int *rc)
{
	int err = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	*tfd = fd >= 0 ? dup(fd) : -1;
	zip_t *src = *tfd >= 0 ? zip_fdopen(fd, ZIP_CHECKCONS, &err) : NULL;
	if (src)
		return src;
	zip_error_t ze;
	if (*tfd < 0)
		zip_error_init_with_code(&ze, ZIP_ER_OPEN);
	else
		zip_error_init_with_code(&ze, err);
	st_diag(d, ST_ERROR, "bundle-write", sp, "cannot open the bundle: %s",
	        *tfd < 0 ? strerror(errno) : zip_error_strerror(&ze));
	zip_error_fini(&ze);
	if (fd >= 0)
		close(fd);
	*rc = *tfd < 0 || err == ZIP_ER_OPEN || err == ZIP_ER_READ ? ST_EIO : ST_ERR;
	if (*tfd >= 0)
		close(*tfd);
	*tfd = -1;
	return NULL;
}

/* Entry i of src copied into dst compressed, byte for byte, with the
 * fixed attributes (a stored entry stays stored).  Nonzero on failure. */
static int copy_entry(zip_t *dst, zip_t *src, zip_int64_t i, const char *nm)
{
	zip_stat_t zs;
	if (zip_stat_index(src, (zip_uint64_t)i, 0, &zs) != 0)
		return 1;
	zip_source_t *s = zip_source_zip(dst, src, (zip_uint64_t)i,
	                                 ZIP_FL_COMPRESSED, 0, -1);
	zip_int64_t ix = s ? zip_file_add(dst, nm, s, ZIP_FL_ENC_RAW) : -1;
	if (ix < 0) {
		zip_source_free(s);
		return 1;
	}
	return (zs.comp_method == ZIP_CM_STORE &&
	        zip_set_file_compression(dst, (zip_uint64_t)ix, ZIP_CM_STORE, 0) != 0) ||
	       zip_file_set_external_attributes(dst, (zip_uint64_t)ix, 0,
	                                        ZIP_OPSYS_UNIX, ENTRY_ATTR) != 0;
}

/* manifest.xml (index mi) first, then the signature (with the manifest's
 * time), then the rest in order, an old signature left out; entries keep
 * their times (old, by index; the new order's go into times, *nt of
 * them).  Nonzero when libzip refused one (times then mean nothing). */
static int copy_with_signature(zip_t *dst, zip_t *src, zip_int64_t n, zip_int64_t mi,
                               const char *sig, size_t siglen,
                               const st_zip_time *old, st_zip_time *times, size_t *nt)
{
	int bad = 0;
	for (int pass = 0; pass < 2 && !bad; pass++) {
		for (zip_int64_t i = 0; i < n && !bad; i++) {
			const char *nm = zip_get_name(src, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
			if (!nm || !strcmp(nm, "manifest.xml.minisig"))
				continue;
			if ((pass == 0) != (i == mi))
				continue;
			bad = copy_entry(dst, src, i, nm);
			times[(*nt)++] = old[i];
			if (pass == 0 && !bad) {
				bad = put(dst, "manifest.xml.minisig",
				          zip_source_buffer(dst, sig, siglen, 0), 0,
				          DEFAULT_LEVEL);
				times[(*nt)++] = old[i];
			}
		}
	}
	return bad;
}

int st_bundle_set_signature(st_diags *d, const char *path, const char *sig,
                            size_t siglen)
{
	st_span sp = { path, 0, 0, 0, 0 };
	int rc = ST_EIO, tfd = -1;
	st_zipout out;
	st_zip_time *old = NULL, *times = NULL;
	zip_t *dst = NULL;
	char *sigcopy = NULL;
	memset(&out, 0, sizeof out);
	out.fd = -1;
	zip_t *src = sign_open(d, sp, path, &tfd, &rc);
	if (!src)
		return rc;
	zip_int64_t mi = zip_name_locate(src, "manifest.xml", ZIP_FL_ENC_RAW);
	if (mi < 0) {
		st_diag(d, ST_ERROR, "bundle-no-manifest", sp,
		        "the bundle has no entry 'manifest.xml'");
		rc = ST_ERR;
		goto done;
	}
	zip_int64_t n = zip_get_num_entries(src, 0);
	old = calloc(n > 0 ? (size_t)n : 1, sizeof *old);
	times = calloc((size_t)n + 1, sizeof *times);
	sigcopy = malloc(siglen ? siglen : 1);
	if (!old || !times || !sigcopy)
		goto done;
	if (st_zip_times_read(tfd, old, (size_t)n) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot read the bundle's entry "
		        "times: %s", errno == EINVAL ? "not a bundle stegc can rewrite"
		        : strerror(errno));
		goto done;
	}
	/* The new archive goes to a temporary file renamed over path, while
	 * src still reads the old one. */
	if (st_zipout_create(&out, path) != 0 || !(dst = st_zipout_open(&out))) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot rewrite the bundle: %s",
		        out.fd < 0 ? strerror(errno) : st_zipout_strerror(&out));
		goto done;
	}
	memcpy(sigcopy, sig, siglen);
	size_t nt = 0;
	if (copy_with_signature(dst, src, n, mi, sigcopy, siglen, old, times, &nt)) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot rewrite the bundle: %s",
		        zip_strerror(dst));
		goto done;
	}
	if (zip_close(dst) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        zip_strerror(dst));
		goto done;
	}
	dst = NULL;
	if (st_zipout_commit(&out, path, times, nt) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        strerror(errno));
		goto done;
	}
	rc = ST_OK;
done:
	if (dst)
		zip_discard(dst);
	st_zipout_abandon(&out);
	zip_discard(src);
	close(tfd);
	free(old);
	free(times);
	free(sigcopy);
	return rc;
}
