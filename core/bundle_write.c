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
 * Unix regular file, 0644); libzip adds no extra fields and no comment;
 * text is deflated at a fixed level and media are stored.  The times are
 * stamped in UTC by core/zipout.c, never from the machine's time zone, and
 * nothing here touches the environment.
 *
 * Atomicity: libzip writes into a temporary file beside the destination
 * (core/zipout.h), which is renamed into place only when everything passed
 * and removed otherwise; until zip_close() nothing touches the disk, so a
 * build that fails (a schema error, an unreadable or changing media file)
 * leaves an existing bundle as it was and no stray file.
 *
 * Media are read twice: once to hash them for the manifest, which comes
 * first in the zip, and once by libzip to write them.  The second read goes
 * through media_cb, which hashes exactly the bytes libzip writes and fails
 * zip_close() when they are not the manifest's (a file changed during the
 * build), so the manifest always describes the bytes in the bundle.
 *
 * manifest.xml and program.xml are validated against the schemas built
 * into the binary before anything is written: a compiler that writes a
 * bundle its own reader refuses has a bug, reported as an internal error.
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
#include <openssl/evp.h>
#include <pthread.h>
#include <zip.h>

#include "bundle.h"
#include "manifest.h"
#include "progxml.h"
#include "xmlsafe.h"
#include "vocab.h"
#include "zipout.h"

#define ZIP_EPOCH 315532800LL   /* 1980-01-01T00:00:00Z */
#define DEFAULT_LEVEL 6
#define ENTRY_ATTR ((zip_uint32_t)(S_IFREG | 0644) << 16)

/* Everything a bundle holds, prepared in memory (except media, which are
 * hashed here and streamed from disk when the zip is closed). */
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
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct stat st;
	if (!buf || !md || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot read '%s': %s",
		        m->disk_path, buf && md ? "not a regular file" : "out of memory");
		goto done;
	}
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
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
		EVP_DigestUpdate(md, buf, (size_t)n);
	}
	if ((unsigned long long)total > ST_BUNDLE_MAX_ENTRY) {
		st_diag(d, ST_ERROR, "bundle-limit", sp,
		        "'%s' is %lld bytes, more than a bundle entry may be (%llu)",
		        m->path, total, ST_BUNDLE_MAX_ENTRY);
		rc = ST_ERR;
		goto done;
	}
	st_sha256_final_hex(md, hex);
	*size = total;
	rc = ST_OK;
done:
	EVP_MD_CTX_free(md);
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

/* Both documents of a plan; the finding names the first that fails. */
struct check_job {
	const char *manifest, *program;
	size_t manifest_len, program_len;
	const char *what, *schema;   /* of the failure */
	char msg[512];
	int rc;
};

static void *check_own(void *arg)
{
	struct check_job *j = arg;
	j->what = "manifest.xml";
	j->schema = "manifest.xsd";
	j->rc = validate_own(j->schema, j->manifest, j->manifest_len, j->msg, sizeof j->msg);
	if (j->rc == ST_OK) {
		j->what = "program.xml";
		j->schema = "program.xsd";
		j->rc = validate_own(j->schema, j->program, j->program_len, j->msg,
		                     sizeof j->msg);
	}
	return NULL;
}

static int check_result(st_diags *d, const struct check_job *j)
{
	if (j->rc == ST_OK)
		return ST_OK;
	st_span sp = { NULL, 0, 0, 0, 0 };
	st_diag(d, ST_ERROR, "internal-error", sp,
	        "the %s that stegc made does not validate against '%s' (a bug in "
	        "stegc): %s", j->what, j->schema, j->msg);
	return ST_EIO;
}

static void check_job_init(struct check_job *j, const struct plan *p)
{
	memset(j, 0, sizeof *j);
	j->manifest = p->manifest_xml;
	j->manifest_len = p->manifest_len;
	j->program = p->program_xml;
	j->program_len = p->program_len;
}

/* Everything but the zip.  check: validate the two documents here (the
 * writer instead validates them beside the compression). */
static int plan_make(struct plan *p, st_diags *d, const st_program *prog,
                     int check)
{
	memset(p, 0, sizeof *p);
	p->a = st_arena_new();
	int errors = st_diags_errors(d);
	int rc = st_progxml_write(d, prog, &p->program_xml, &p->program_len);
	if (rc != ST_OK)
		return rc == ST_ERR ? ST_ERR : ST_EIO;

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

	if (!check)
		return ST_OK;
	struct check_job j;
	check_job_init(&j, p);
	check_own(&j);
	return check_result(d, &j);
}

int st_bundle_manifest(st_diags *d, const st_program *prog, char **xml,
                       size_t *len)
{
	struct plan p;
	*xml = NULL;
	*len = 0;
	int rc = plan_make(&p, d, prog, 1);
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

/* ---- media: hashed again as libzip writes them ----------------------------
 *
 * plan_make hashed each media file for the manifest; libzip reads it again
 * inside zip_close().  media_cb hands libzip the file and hashes exactly
 * the bytes it hands over: a read past the manifest's size, an end before
 * it, or another SHA-256 at the end fails the read, and so zip_close(); a
 * file that matched is marked ok.  The writer renames the bundle into
 * place only when every media file is ok. */

struct media_src {
	const char *disk_path;
	const st_manifest_entry *e;      /* the size and SHA-256 promised */
	int fd;
	unsigned long long done;         /* bytes handed over */
	EVP_MD_CTX *md;
	int ok;                          /* read to the end, and all matched */
	int changed;                     /* the bytes were not the manifest's */
	zip_error_t err;
};

static zip_int64_t media_changed(struct media_src *s)
{
	s->changed = 1;
	zip_error_set(&s->err, ZIP_ER_INCONS, 0);
	return -1;
}

static zip_int64_t media_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct media_src *s = ud;
	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->err);
		if (!st)
			return -1;
		zip_stat_init(st);
		st->size = (zip_uint64_t)s->e->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	}
	case ZIP_SOURCE_OPEN: {
		struct stat st;
		if (s->fd >= 0)
			close(s->fd);
		s->ok = 0;
		s->done = 0;
		s->fd = open(s->disk_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (s->fd < 0) {
			zip_error_set(&s->err, ZIP_ER_OPEN, errno);
			return -1;
		}
		if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode))
			return media_changed(s);
		if (!s->md && !(s->md = EVP_MD_CTX_new())) {
			zip_error_set(&s->err, ZIP_ER_MEMORY, 0);
			return -1;
		}
		EVP_DigestInit_ex(s->md, EVP_sha256(), NULL);
		return 0;
	}
	case ZIP_SOURCE_READ: {
		ssize_t n;
		if (s->fd < 0) {
			zip_error_set(&s->err, ZIP_ER_INTERNAL, 0);
			return -1;
		}
		do
			n = read(s->fd, data, len < (1u << 30) ? (size_t)len : (1u << 30));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			zip_error_set(&s->err, ZIP_ER_READ, errno);
			return -1;
		}
		unsigned long long size = (unsigned long long)s->e->size;
		if ((unsigned long long)n > size - s->done)
			return media_changed(s);      /* longer than hashed */
		if (n > 0) {
			EVP_DigestUpdate(s->md, data, (size_t)n);
			s->done += (unsigned long long)n;
			return n;
		}
		char hex[65];
		st_sha256_final_hex(s->md, hex);
		if (s->done != size || strcmp(hex, s->e->sha256) != 0)
			return media_changed(s);
		s->ok = 1;
		return 0;
	}
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->err, data, len);
	default:
		zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static void media_release(struct media_src *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		if (s[i].fd >= 0)
			close(s[i].fd);
		EVP_MD_CTX_free(s[i].md);
		zip_error_fini(&s[i].err);
	}
	free(s);
}

static long long entry_time(void)
{
	long long t = st_source_date_epoch();
	return t < ZIP_EPOCH ? ZIP_EPOCH : t;
}

/* ---- compressing on two cores -------------------------------------------
 *
 * Deflate is most of a build's time, and entries compress independently
 * (docs/benchmarks.md).  libzip 1.7.3 compresses one entry after another
 * inside zip_close(), so the text entries are compressed beforehand into
 * two in-memory archives, one per thread (libzip objects are safe to use
 * from one thread each), and the bundle then takes their compressed bytes
 * as they are (zip_source_zip with ZIP_FL_COMPRESSED): the same bytes as
 * compressing in place, in about half the time. */

struct text_entry {
	const char *name;
	const void *data;
	size_t len;
	int part;                  /* which in-memory archive */
	zip_uint64_t idx;          /* its index there */
};

struct part {
	struct text_entry **ents;
	size_t n;
	int level;
	zip_source_t *buf;         /* the archive's bytes */
	zip_t *z;                  /* the archive, open for reading */
	char err[256];
};

static void *compress_part(void *arg)
{
	struct part *pt = arg;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_t *w = NULL;
	pt->buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!pt->buf)
		goto fail;
	zip_source_keep(pt->buf);
	w = zip_open_from_source(pt->buf, ZIP_TRUNCATE, &ze);
	if (!w)
		goto fail;
	for (size_t i = 0; i < pt->n; i++) {
		struct text_entry *e = pt->ents[i];
		zip_source_t *src = zip_source_buffer(w, e->data, e->len, 0);
		zip_int64_t ix = src ? zip_file_add(w, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
		if (ix < 0) {
			zip_source_free(src);
			zip_error_set(&ze, zip_error_code_zip(zip_get_error(w)), 0);
			goto fail;
		}
		if (zip_set_file_compression(w, (zip_uint64_t)ix, ZIP_CM_DEFLATE,
		                             (zip_uint32_t)pt->level) != 0) {
			zip_error_set(&ze, zip_error_code_zip(zip_get_error(w)), 0);
			goto fail;
		}
		e->idx = (zip_uint64_t)ix;
	}
	if (zip_close(w) != 0) {
		zip_error_set(&ze, zip_error_code_zip(zip_get_error(w)), 0);
		goto fail;
	}
	w = NULL;
	/* One reference for the reading archive, one stays ours. */
	zip_source_keep(pt->buf);
	pt->z = zip_open_from_source(pt->buf, ZIP_RDONLY, &ze);
	if (!pt->z) {
		zip_source_free(pt->buf);   /* the reference meant for it */
		goto fail;
	}
	zip_error_fini(&ze);
	return NULL;
fail:
	snprintf(pt->err, sizeof pt->err, "%s", zip_error_strerror(&ze));
	if (!pt->err[0])
		snprintf(pt->err, sizeof pt->err, "cannot compress");
	if (w)
		zip_discard(w);
	zip_error_fini(&ze);
	return NULL;
}

static void part_release(struct part *pt)
{
	if (pt->z)
		zip_discard(pt->z);
	if (pt->buf)
		zip_source_free(pt->buf);
	free(pt->ents);
	memset(pt, 0, sizeof *pt);
}

/* The pages are compressed in two parts.  Part 1 starts on its own
 * thread as soon as the pages exist, while this thread writes program.xml
 * and manifest.xml and hashes every entry (plan_make, about a seventh of
 * the writer's work); part 0 then gets the rest of the pages and the two
 * documents, whose schema check runs beside it on a third thread.  So part
 * 1 takes the larger share of the pages: PART1_SHARE percent of their
 * bytes, which levels the two cores for programs of any size (each step
 * costs about the same per byte of page). */
#define PART1_SHARE 70

static int parts_init(struct part parts[2], size_t n, int level)
{
	for (int k = 0; k < 2; k++) {
		parts[k].ents = calloc(n ? n : 1, sizeof *parts[k].ents);
		parts[k].level = level;
		if (!parts[k].ents)
			return ST_EIO;
	}
	return ST_OK;
}

static void parts_add(struct part parts[2], struct text_entry *e, int k)
{
	e->part = k;
	parts[k].ents[parts[k].n++] = e;
}

/* Part 1, on a thread of its own when one can be started (*threaded). */
static void part1_start(struct part parts[2], pthread_t *th, int *threaded)
{
	*threaded = parts[1].n > 0 &&
		pthread_create(th, NULL, compress_part, &parts[1]) == 0;
	if (!*threaded && parts[1].n > 0)
		compress_part(&parts[1]);
}

static int parts_result(struct part parts[2], char *err, size_t errlen)
{
	for (int k = 0; k < 2; k++)
		if (parts[k].err[0] || (parts[k].n > 0 && !parts[k].z)) {
			snprintf(err, errlen, "%s", parts[k].err[0] ? parts[k].err : "cannot compress");
			return ST_EIO;
		}
	return ST_OK;
}

/* Add a text entry from its compressed copy, with the fixed attributes;
 * the compression method is left as it is, so libzip copies the deflated
 * bytes without touching them. */
static int put_compressed(zip_t *z, struct part parts[2], const struct text_entry *e)
{
	zip_source_t *src = zip_source_zip(z, parts[e->part].z, e->idx,
	                                   ZIP_FL_COMPRESSED, 0, -1);
	zip_int64_t i = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
	if (i < 0) {
		zip_source_free(src);
		return -1;
	}
	if (zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX,
	                                     ENTRY_ATTR) != 0)
		return -1;
	return 0;
}

/* After zip_close() failed: the first media file whose bytes were not the
 * manifest's, if that was why. */
static int report_changed(st_diags *d, const struct plan *p, const struct media_src *ms)
{
	for (size_t i = 0; i < p->nmedia; i++) {
		if (!ms[i].changed)
			continue;
		const st_media *m = p->media[i];
		st_span sp = m->sp;
		if (!sp.file)
			sp.file = m->disk_path;
		st_diag(d, ST_ERROR, "bundle-source-changed", sp,
		        "the file changed while the bundle was being written (its bytes "
		        "are no longer those the manifest lists for '%s'); nothing was "
		        "written: build again once it stays the same", m->path);
		return 1;
	}
	return 0;
}

/* The text entries in bundle order: manifest, signature, program (ndocs
 * slots, filled by docs_add once the plan exists), then the pages, which
 * are shared out between the two parts here.  Out of memory: ST_EIO. */
static int pages_lay_out(const st_program *prog, size_t ndocs, struct part parts[2],
                         int level, struct text_entry **tep, size_t *ntep)
{
	size_t npages = 0, page_bytes = 0;
	for (size_t i = 0; i < prog->nmodules; i++)
		for (size_t j = 0; j < prog->modules[i].npages; j++) {
			npages++;
			page_bytes += prog->modules[i].pages[j].xhtml_len;
		}
	struct text_entry *te = *tep = calloc(npages + ndocs, sizeof *te);
	if (!te || parts_init(parts, npages + ndocs, level) != ST_OK)
		return ST_EIO;
	size_t nte = ndocs;
	size_t share = page_bytes / 100 * PART1_SHARE + page_bytes % 100 * PART1_SHARE / 100;
	size_t load1 = 0;
	for (size_t i = 0; i < prog->nmodules; i++) {
		const st_module *m = &prog->modules[i];
		for (size_t j = 0; j < m->npages; j++) {
			struct text_entry *e = &te[nte++];
			*e = (struct text_entry){ m->pages[j].path,
				m->pages[j].xhtml ? m->pages[j].xhtml : "", m->pages[j].xhtml_len, 0, 0 };
			int k = load1 < share;
			if (k)
				load1 += e->len;
			parts_add(parts, e, k);
		}
	}
	*ntep = nte;
	return ST_OK;
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

/* The documents into their slots at the head of te, and into part 0. */
static void docs_add(struct text_entry *te, size_t ndocs, const struct plan *p,
                     const char *sig, struct part parts[2])
{
	te[0] = (struct text_entry){ "manifest.xml", p->manifest_xml, p->manifest_len, 0, 0 };
	if (sig)
		te[1] = (struct text_entry){ "manifest.xml.minisig", sig, strlen(sig), 0, 0 };
	te[ndocs - 1] = (struct text_entry){ "program.xml", p->program_xml, p->program_len, 0, 0 };
	for (size_t i = 0; i < ndocs; i++)
		parts_add(parts, &te[i], 0);
}

/* The schema check of the two documents runs beside the compression of
 * part 0 (both only read the plan), and part 1's thread is joined: the
 * zip file is created only when all of it has passed.  The schemas are
 * compiled here first, in one thread. */
static int check_and_compress(st_diags *d, st_span sp, const struct plan *p,
                              struct part parts[2], pthread_t part1, int *part1_threaded)
{
	char err[256];
	struct check_job job;
	check_job_init(&job, p);
	st_xml_schema("manifest.xsd");
	st_xml_schema("program.xsd");
	pthread_t checker;
	int checking = pthread_create(&checker, NULL, check_own, &job) == 0;
	if (!checking)
		check_own(&job);
	compress_part(&parts[0]);
	if (*part1_threaded) {
		pthread_join(part1, NULL);
		*part1_threaded = 0;
	}
	if (checking)
		pthread_join(checker, NULL);
	if (check_result(d, &job) != ST_OK)
		return ST_EIO;
	if (parts_result(parts, err, sizeof err) != ST_OK) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot compress the bundle: %s", err);
		return ST_EIO;
	}
	return ST_OK;
}

/* Every entry into the open zip: the text entries from their compressed
 * copies, then the media, which the manifest lists right after the pages,
 * in the same order; each is checked against its entry as libzip reads it
 * (media_cb).  Nonzero when libzip refused one. */
static int entries_add(zip_t *z, struct part parts[2], const struct text_entry *te,
                       size_t nte, const struct plan *p, struct media_src *ms, int level)
{
	int bad = 0;
	for (size_t i = 0; !bad && i < nte; i++)
		bad = put_compressed(z, parts, &te[i]);
	size_t first_media = p->man.nentries - p->nmedia;
	for (size_t i = 0; !bad && i < p->nmedia; i++) {
		ms[i].disk_path = p->media[i]->disk_path;
		ms[i].e = &p->man.entries[first_media + i];
		zip_error_init(&ms[i].err);
		bad = put(z, ms[i].e->path, zip_source_function(z, media_cb, &ms[i]), 1, level);
	}
	return bad;
}

/* The zip itself, from the compressed parts and the media, into a
 * temporary file renamed to out_path when everything passed. */
static int zip_write(st_diags *d, st_span sp, const char *out_path, const struct plan *p,
                     struct part parts[2], const struct text_entry *te, size_t nte,
                     int level)
{
	int rc;
	st_zipout out;
	zip_t *z = NULL;
	memset(&out, 0, sizeof out);
	out.fd = -1;
	size_t nall = nte + p->nmedia;
	struct media_src *ms = calloc(p->nmedia ? p->nmedia : 1, sizeof *ms);
	st_zip_time *times = calloc(nall ? nall : 1, sizeof *times);
	if (!ms || !times) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: out of memory");
		rc = ST_EIO;
		goto done;
	}
	st_zip_time when = st_zip_time_utc(entry_time());
	for (size_t i = 0; i < nall; i++)
		times[i] = when;
	for (size_t i = 0; i < p->nmedia; i++)
		ms[i].fd = -1;
	if (st_zipout_create(&out, out_path) != 0 || !(z = st_zipout_open(&out))) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot create the bundle: %s",
		        out.fd < 0 ? strerror(errno) : st_zipout_strerror(&out));
		rc = ST_EIO;
		goto done;
	}
	if (entries_add(z, parts, te, nte, p, ms, level)) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot add to the bundle: %s",
		        zip_strerror(z));
		rc = ST_EIO;
		goto done;
	}
	if (zip_close(z) != 0) {
		if (report_changed(d, p, ms))
			rc = ST_ERR;
		else {
			st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
			        zip_strerror(z));
			rc = ST_EIO;
		}
		goto done;
	}
	z = NULL;
	/* Every media entry must have been read to its end and matched. */
	for (size_t i = 0; i < p->nmedia; i++)
		if (!ms[i].ok) {
			st_diag(d, ST_ERROR, "internal-error", sp, "'%s' was not read to "
			        "its end while the bundle was written (a bug in stegc)",
			        ms[i].disk_path);
			rc = ST_EIO;
			goto done;
		}
	if (st_zipout_commit(&out, out_path, times, nall) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        strerror(errno));
		rc = ST_EIO;
		goto done;
	}
	rc = ST_OK;
done:
	if (z)
		zip_discard(z);
	st_zipout_abandon(&out);
	media_release(ms, p->nmedia);
	free(times);
	return rc;
}

int st_bundle_write(st_diags *d, const st_program *prog, const char *out_path,
                    const st_bundle_write_opts *opts)
{
	st_span sp = { out_path, 0, 0, 0, 0 };
	struct plan p;
	struct part parts[2];
	struct text_entry *te = NULL;
	size_t nte = 0;
	pthread_t part1;
	int part1_threaded = 0;
	memset(parts, 0, sizeof parts);
	memset(&p, 0, sizeof p);
	int level = opts && opts->compression_level >= 1 && opts->compression_level <= 9
		? opts->compression_level : DEFAULT_LEVEL;
	const char *sig = opts ? opts->signature : NULL;
	size_t ndocs = sig ? 3 : 2;

	/* The pages' part 1 starts compressing at once, while this thread
	 * makes the plan. */
	int rc = pages_lay_out(prog, ndocs, parts, level, &te, &nte);
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot compress the bundle: out of memory");
		goto done;
	}
	part1_start(parts, &part1, &part1_threaded);
	rc = plan_make(&p, d, prog, 0);
	if (rc == ST_OK)
		rc = manifest_as_signed(d, sp, &p, opts);
	if (rc != ST_OK)
		goto done;
	docs_add(te, ndocs, &p, sig, parts);
	rc = check_and_compress(d, sp, &p, parts, part1, &part1_threaded);
	if (rc == ST_OK)
		rc = zip_write(d, sp, out_path, &p, parts, te, nte, level);
done:
	if (part1_threaded)
		pthread_join(part1, NULL);
	part_release(&parts[0]);
	part_release(&parts[1]);
	free(te);
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
