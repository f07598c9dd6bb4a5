/*
 * bundle_write.c — writing a .steg bundle from a checked program
 * (core/bundle.h, docs/bundle-format.md).
 *
 * Reproducibility is the point of most of this file: the same sources and
 * compiler give the same bytes, so that a region can rebuild a bundle and
 * compare it with what it received.  So the entry order is fixed
 * (manifest.xml, manifest.xml.minisig, program.xml, pages in module and
 * page order, media sorted by name); every entry has the same time
 * (SOURCE_DATE_EPOCH, else 1980-01-01) and the same attributes (a Unix
 * regular file, 0644); libzip adds no extra fields and no comment; text is
 * deflated at a fixed level and media are stored.  libzip turns times into
 * MS-DOS date and time with localtime(), so the zip is closed with TZ set
 * to UTC for the moment, or the bytes would depend on the machine.
 *
 * Atomicity comes from libzip itself: zip_close() writes a temporary file
 * beside the destination and renames it into place, and removes it on
 * failure; until zip_close() nothing touches the disk, so a build that
 * fails before (a schema error, an unreadable media file) leaves an
 * existing bundle as it was.
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
	int fd = open(m->disk_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
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
	unsigned char out[32];
	unsigned int outlen = 0;
	EVP_DigestFinal_ex(md, out, &outlen);
	st_sha256_digest_hex(hex, out);
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
	m->kind = prog->kind;
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

/* Add one entry with the fixed time and attributes. */
static int put(zip_t *z, const char *name, zip_source_t *src, int store,
               int level, time_t mtime)
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
	    zip_file_set_mtime(z, ix, mtime, 0) != 0 ||
	    zip_file_set_external_attributes(z, ix, 0, ZIP_OPSYS_UNIX, ENTRY_ATTR) != 0)
		return -1;
	return 0;
}

/* libzip converts between time_t and MS-DOS times with localtime() and
 * mktime(): run those calls with TZ=UTC, whatever the user's TZ is.
 * (stegc is single-threaded; the runtime never writes bundles.) */
static char *tz_utc(int *had)
{
	const char *old = getenv("TZ");
	*had = old != NULL;
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", "UTC0", 1);
	tzset();
	return saved;
}

static void tz_restore(char *saved, int had)
{
	if (had && saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static int close_utc(zip_t *z)
{
	int had;
	char *saved = tz_utc(&had);
	int rc = zip_close(z);
	tz_restore(saved, had);
	return rc;
}

static time_t entry_time(void)
{
	long long t = st_source_date_epoch();
	return (time_t)(t < ZIP_EPOCH ? ZIP_EPOCH : t);
}

/* ---- compressing on two cores -------------------------------------------
 *
 * Deflate is most of a build's time, and entries compress independently
 * (../shared/HAZARDS.md).  libzip 1.7.3 compresses one entry after another
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

/* Add a text entry from its compressed copy, with the fixed time and
 * attributes; the compression method is left as it is, so libzip copies
 * the deflated bytes without touching them. */
static int put_compressed(zip_t *z, struct part parts[2], const struct text_entry *e,
                          time_t mtime)
{
	zip_source_t *src = zip_source_zip(z, parts[e->part].z, e->idx,
	                                   ZIP_FL_COMPRESSED, 0, -1);
	zip_int64_t i = src ? zip_file_add(z, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
	if (i < 0) {
		zip_source_free(src);
		return -1;
	}
	if (zip_file_set_mtime(z, (zip_uint64_t)i, mtime, 0) != 0 ||
	    zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX,
	                                     ENTRY_ATTR) != 0)
		return -1;
	return 0;
}

int st_bundle_write(st_diags *d, const st_program *prog, const char *out_path,
                    const st_bundle_write_opts *opts)
{
	st_span sp = { out_path, 0, 0, 0, 0 };
	struct plan p;
	struct part parts[2];
	struct text_entry *te = NULL;
	zip_t *z = NULL;
	pthread_t part1;
	int part1_threaded = 0;
	char err[256];
	memset(parts, 0, sizeof parts);
	memset(&p, 0, sizeof p);
	int rc;
	int level = opts && opts->compression_level >= 1 && opts->compression_level <= 9
		? opts->compression_level : DEFAULT_LEVEL;
	const char *sig = opts ? opts->signature : NULL;
	time_t mtime = entry_time();

	/* The text entries in bundle order: manifest, signature, program,
	 * pages.  The pages' part 1 starts compressing at once. */
	size_t nte = 0, npages = 0, ndocs = sig ? 3 : 2, page_bytes = 0;
	for (size_t i = 0; i < prog->nmodules; i++)
		for (size_t j = 0; j < prog->modules[i].npages; j++) {
			npages++;
			page_bytes += prog->modules[i].pages[j].xhtml_len;
		}
	te = calloc(npages + ndocs, sizeof *te);
	if (!te || parts_init(parts, npages + ndocs, level) != ST_OK) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot compress the bundle: out of memory");
		rc = ST_EIO;
		goto done;
	}
	nte = ndocs;
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
	part1_start(parts, &part1, &part1_threaded);

	rc = plan_make(&p, d, prog, 0);
	if (rc != ST_OK)
		goto done;
	te[0] = (struct text_entry){ "manifest.xml", p.manifest_xml, p.manifest_len, 0, 0 };
	if (sig)
		te[1] = (struct text_entry){ "manifest.xml.minisig", sig, strlen(sig), 0, 0 };
	te[ndocs - 1] = (struct text_entry){ "program.xml", p.program_xml, p.program_len, 0, 0 };
	for (size_t i = 0; i < ndocs; i++)
		parts_add(parts, &te[i], 0);

	/* The schema check of the two documents runs beside the compression
	 * (both only read the plan); the zip file is created only when it has
	 * passed.  The schemas are compiled here first, in one thread. */
	struct check_job job;
	check_job_init(&job, &p);
	st_xml_schema("manifest.xsd");
	st_xml_schema("program.xsd");
	pthread_t checker;
	int checking = pthread_create(&checker, NULL, check_own, &job) == 0;
	if (!checking)
		check_own(&job);
	compress_part(&parts[0]);
	if (part1_threaded) {
		pthread_join(part1, NULL);
		part1_threaded = 0;
	}
	if (checking)
		pthread_join(checker, NULL);
	if (check_result(d, &job) != ST_OK) {
		rc = ST_EIO;
		goto done;
	}
	rc = parts_result(parts, err, sizeof err);
	if (rc != ST_OK) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot compress the bundle: %s", err);
		goto done;
	}

	int zerr = 0;
	z = zip_open(out_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot create the bundle: %s",
		        zip_error_strerror(&ze));
		zip_error_fini(&ze);
		rc = ST_EIO;
		goto done;
	}
	int bad = 0;
	for (size_t i = 0; !bad && i < nte; i++)
		bad = put_compressed(z, parts, &te[i], mtime);
	/* Media: the manifest lists them right after the pages, in the same
	 * order; stream exactly the size that was hashed. */
	size_t first_media = p.man.nentries - p.nmedia;
	for (size_t i = 0; !bad && i < p.nmedia; i++) {
		const st_manifest_entry *e = &p.man.entries[first_media + i];
		bad = put(z, e->path,
		          zip_source_file(z, p.media[i]->disk_path, 0, e->size), 1,
		          level, mtime);
	}
	if (bad) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot add to the bundle: %s",
		        zip_strerror(z));
		rc = ST_EIO;
		goto done;
	}
	if (close_utc(z) != 0) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot write the bundle: %s",
		        zip_strerror(z));
		rc = ST_EIO;
		goto done;
	}
	z = NULL;
	rc = ST_OK;
done:
	if (part1_threaded)
		pthread_join(part1, NULL);
	if (z)
		zip_discard(z);
	part_release(&parts[0]);
	part_release(&parts[1]);
	free(te);
	plan_release(&p);
	return rc;
}

/* ---- stegc sign ------------------------------------------------------- */

int st_bundle_set_signature(st_diags *d, const char *path, const char *sig,
                            size_t siglen)
{
	st_span sp = { path, 0, 0, 0, 0 };
	int err = 0, rc = ST_EIO, had;
	char *tz = tz_utc(&had);   /* zip_stat's mtime too */
	zip_t *src = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	zip_t *dst = NULL;
	char *sigcopy = NULL;
	if (!src) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot open the bundle: %s",
		        zip_error_strerror(&ze));
		zip_error_fini(&ze);
		tz_restore(tz, had);
		return err == ZIP_ER_OPEN || err == ZIP_ER_READ ? ST_EIO : ST_ERR;
	}
	zip_int64_t mi = zip_name_locate(src, "manifest.xml", ZIP_FL_ENC_RAW);
	if (mi < 0) {
		st_diag(d, ST_ERROR, "bundle-no-manifest", sp,
		        "the bundle has no entry 'manifest.xml'");
		rc = ST_ERR;
		goto done;
	}
	/* The new archive goes to the same path: libzip writes a temporary
	 * file and renames it, while src still reads the old one. */
	dst = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!dst) {
		st_diag(d, ST_ERROR, "bundle-write", sp, "cannot rewrite the bundle");
		goto done;
	}
	sigcopy = malloc(siglen ? siglen : 1);
	if (!sigcopy)
		goto done;
	memcpy(sigcopy, sig, siglen);
	time_t mtime = entry_time();
	zip_int64_t n = zip_get_num_entries(src, 0);
	int bad = 0;
	/* manifest.xml first, then the signature, then the rest in order;
	 * entries are copied compressed, byte for byte. */
	for (int pass = 0; pass < 2 && !bad; pass++) {
		for (zip_int64_t i = 0; i < n && !bad; i++) {
			const char *nm = zip_get_name(src, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
			if (!nm || !strcmp(nm, "manifest.xml.minisig"))
				continue;
			if ((pass == 0) != (i == mi))
				continue;
			zip_stat_t zs;
			if (zip_stat_index(src, (zip_uint64_t)i, 0, &zs) != 0) {
				bad = 1;
				break;
			}
			time_t t = (zs.valid & ZIP_STAT_MTIME) ? zs.mtime : mtime;
			zip_source_t *s = zip_source_zip(dst, src, (zip_uint64_t)i,
			                                 ZIP_FL_COMPRESSED, 0, -1);
			zip_int64_t ix = s ? zip_file_add(dst, nm, s, ZIP_FL_ENC_RAW) : -1;
			if (ix < 0) {
				zip_source_free(s);
				bad = 1;
				break;
			}
			if ((zs.comp_method == ZIP_CM_STORE &&
			     zip_set_file_compression(dst, (zip_uint64_t)ix, ZIP_CM_STORE, 0) != 0) ||
			    zip_file_set_mtime(dst, (zip_uint64_t)ix, t, 0) != 0 ||
			    zip_file_set_external_attributes(dst, (zip_uint64_t)ix, 0,
			                                     ZIP_OPSYS_UNIX, ENTRY_ATTR) != 0)
				bad = 1;
			if (pass == 0 && !bad)
				bad = put(dst, "manifest.xml.minisig",
				          zip_source_buffer(dst, sigcopy, siglen, 0), 0,
				          DEFAULT_LEVEL, t);
		}
	}
	if (bad) {
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
	rc = ST_OK;
done:
	if (dst)
		zip_discard(dst);
	zip_discard(src);
	free(sigcopy);
	tz_restore(tz, had);
	return rc;
}
