/*
 * bench/baseline.c — the unavoidable work of a build, and nothing else.
 *
 *     baseline DIR OUT.zip [LEVEL]
 *
 * `make bench` compares `stegc build` with this program on the same
 * generated input (bench/gen.py).  It does what any compiler of the format
 * must do and skips everything that makes stegc a compiler — no diagnostics,
 * no model, no checks, no XML libraries:
 *
 *   - read program.yaml, forms/ID.yaml and every modules/NN-name.md;
 *   - run libyaml's event parser over program.yaml, each form, each module's
 *     front matter and each fenced component block (the YAML inside
 *     ```exercise and ```form);
 *   - parse each module with cmark (safe mode, UTF-8 validation) and render
 *     each page — the text from one level-1 heading to the next — to HTML;
 *   - SHA-256 (OpenSSL libcrypto) of every entry;
 *   - a manifest listing every entry with size and hash, built with printf;
 *   - a zip written with libzip: text entries deflated at LEVEL (default 1,
 *     stegc's default, ST_BUNDLE_DEFAULT_LEVEL in core/bundle.h), media stored, fixed
 *     timestamps.
 *
 * zlib allocates and zeroes about 270 KB per deflated entry.  With glibc's
 * default trim threshold (128 KB) every entry then grows and shrinks the
 * heap with brk, and page faults and TLB flushes cost more than the
 * compression itself (0.95 s instead of 0.54 s at 1,000 modules).  That
 * cost is avoidable, so the baseline raises the threshold with mallopt; a
 * program doing this work should do the same.
 *
 * It is deliberately one process with no threads, like stegc.  Built by
 * bench/run.sh with cc and pkg-config; it is not part of `make`.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <cmark.h>
#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>
#include <zip.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "baseline: %s: %s\n", what, detail ? detail : "");
	exit(3);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open", path);
	struct stat st;
	if (fstat(fileno(f), &st) != 0)
		die("cannot stat", path);
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		die("out of memory", path);
	size_t n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* Count events so that the parser cannot be optimised away. */
static long yaml_events(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	long n = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			die("yaml error", p.problem);
		int end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		n++;
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	return n;
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

/* Every entry of the zip, in the order they are added. */
struct entry {
	char *name;
	char *data;       /* malloc'd; the zip source frees it */
	size_t len;
	int store;        /* media: stored uncompressed */
	char sha[65];
};
static struct entry *entries;
static size_t nentries, centries;

static void add_entry(const char *name, char *data, size_t len, int store)
{
	if (nentries == centries) {
		centries = centries ? centries * 2 : 256;
		entries = realloc(entries, centries * sizeof *entries);
		if (!entries)
			die("out of memory", NULL);
	}
	struct entry *e = &entries[nentries++];
	e->name = strdup(name);
	e->data = data;
	e->len = len;
	e->store = store;
	sha256_hex(data, len, e->sha);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names in dir (regular entries, no dot files). */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof *v);
		}
		v[cnt++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(v, cnt, sizeof *v, cmp_str);
	*n = cnt;
	return v;
}

/* Walk the document for component blocks and parse their YAML. */
static long component_yaml(cmark_node *doc)
{
	long n = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK)
			continue;
		const char *info = cmark_node_get_fence_info(node);
		if (info && (!strcmp(info, "exercise") || !strcmp(info, "form"))) {
			const char *lit = cmark_node_get_literal(node);
			n += yaml_events(lit, strlen(lit));
		}
	}
	cmark_iter_free(it);
	return n;
}

/* One module: front matter, cmark parse, one HTML entry per page. */
static long do_module(const char *path, const char *id)
{
	size_t len;
	char *text = read_all(path, &len);
	char *body = text;
	long ev = 0;
	if (!strncmp(text, "---\n", 4)) {
		char *end = strstr(text + 4, "\n---\n");
		if (!end)
			die("front matter not closed", path);
		ev += yaml_events(text + 4, (size_t)(end + 1 - (text + 4)));
		body = end + 5;
	}
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
	cmark_node *doc = cmark_parse_document(body, strlen(body), opts);
	ev += component_yaml(doc);

	/* Split at level-1 headings: move each page's blocks into a document
	 * of its own and render it. */
	int page = 0;
	cmark_node *child = cmark_node_first_child(doc);
	while (child) {
		cmark_node *pdoc = cmark_node_new(CMARK_NODE_DOCUMENT);
		do {
			cmark_node *next = cmark_node_next(child);
			cmark_node_append_child(pdoc, child);
			child = next;
		} while (child && !(cmark_node_get_type(child) ==
		                    CMARK_NODE_HEADING &&
		                    cmark_node_get_heading_level(child) == 1));
		char *html = cmark_render_html(pdoc, opts);
		char name[512];
		snprintf(name, sizeof name, "pages/%s/%02d.xhtml", id, ++page);
		add_entry(name, html, strlen(html), 0);
		cmark_node_free(pdoc);
	}
	cmark_node_free(doc);
	free(text);
	return ev;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: baseline DIR OUT.zip [LEVEL]\n");
		return 2;
	}
	const char *dir = argv[1], *out = argv[2];
	int level = argc > 3 ? atoi(argv[3]) : 1;
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	char path[4096];
	long ev = 0;
	size_t len, n;

	snprintf(path, sizeof path, "%s/program.yaml", dir);
	char *prog = read_all(path, &len);
	ev += yaml_events(prog, len);
	free(prog);

	snprintf(path, sizeof path, "%s/forms", dir);
	char **forms = list_dir(path, &n);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/forms/%s", dir, forms[i]);
		char *f = read_all(path, &len);
		ev += yaml_events(f, len);
		free(f);
		free(forms[i]);
	}
	free(forms);

	snprintf(path, sizeof path, "%s/modules", dir);
	char **mods = list_dir(path, &n);
	for (size_t i = 0; i < n; i++) {
		char id[256];
		const char *s = strchr(mods[i], '-');
		snprintf(id, sizeof id, "%s", s ? s + 1 : mods[i]);
		char *dot = strrchr(id, '.');
		if (dot)
			*dot = 0;
		snprintf(path, sizeof path, "%s/modules/%s", dir, mods[i]);
		ev += do_module(path, id);
		free(mods[i]);
	}
	free(mods);

	snprintf(path, sizeof path, "%s/media", dir);
	char **media = list_dir(path, &n);
	for (size_t i = 0; i < n; i++) {
		char name[512];
		snprintf(path, sizeof path, "%s/media/%s", dir, media[i]);
		snprintf(name, sizeof name, "media/%s", media[i]);
		char *m = read_all(path, &len);
		add_entry(name, m, len, 1);
		free(media[i]);
	}
	free(media);

	/* The manifest: every entry with its size and hash. */
	size_t mcap = 256 + nentries * 200, mlen = 0;
	char *man = malloc(mcap);
	mlen += (size_t)snprintf(man + mlen, mcap - mlen,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest>\n");
	for (size_t i = 0; i < nentries; i++)
		mlen += (size_t)snprintf(man + mlen, mcap - mlen,
		        "  <entry name=\"%s\" size=\"%zu\" sha256=\"%s\"/>\n",
		        entries[i].name, entries[i].len, entries[i].sha);
	mlen += (size_t)snprintf(man + mlen, mcap - mlen, "</manifest>\n");

	int zerr = 0;
	zip_t *za = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!za)
		die("cannot create", out);
	time_t mtime = 315532800;   /* 1980-01-01, as without SOURCE_DATE_EPOCH */
	for (size_t i = 0; i <= nentries; i++) {
		const char *name = i ? entries[i - 1].name : "manifest.xml";
		char *data = i ? entries[i - 1].data : man;
		size_t dlen = i ? entries[i - 1].len : mlen;
		int store = i ? entries[i - 1].store : 0;
		zip_source_t *src = zip_source_buffer(za, data, dlen, 1);
		zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0)
			die("zip add", zip_strerror(za));
		zip_set_file_compression(za, (zip_uint64_t)idx,
		        store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
		        store ? 0 : (zip_uint32_t)level);
		zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
	}
	if (zip_close(za) != 0)
		die("zip close", zip_strerror(za));
	for (size_t i = 0; i < nentries; i++)
		free(entries[i].name);
	free(entries);
	printf("%zu entries, %ld yaml events\n", nentries + 1, ev);
	return 0;
}
