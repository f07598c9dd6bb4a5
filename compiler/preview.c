/*
 * preview.c — `stegc preview DIR|BUNDLE.steg`: a local web server showing
 * the program as its patient meets it (docs/preview.md).  The pages come
 * from the renderer (render/render.h); this file is the server: loading
 * the program, the listening socket, the route table, bounded requests,
 * the security headers, media, and a clean stop on SIGINT or SIGTERM.
 *
 * Nothing outside the program is ever served: a media file is served only
 * when its name is one of the program's media entries, from the bundle
 * (read and verified against the manifest) or, for sources, from the
 * file whose resolved path is inside the program folder, opened without
 * following a symbolic link.  A path with a '.' or '..' segment (decoded:
 * "%2e%2e" is "..") is not found before any route sees it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "commands.h"
#include "compile.h"
#include "incr.h"
#include "live.h"
#include "media.h"
#include "preview.h"
#include "range.h"
#include "words.h"

#define PV_MAX_HEADERS (32u << 10)   /* the request line and headers */
#define PV_MAX_CONNECTIONS 64
#define PV_TIMEOUT_S 120

static void usage(FILE *f)
{
	fputs("usage: stegc preview [OPTIONS] DIR|BUNDLE.steg\n\n"
	      "Serve the program on a local web server and print its address:\n"
	      "the start page, every page of every module, working exercises,\n"
	      "diaries and rating forms with the score, band and alerts as the\n"
	      "clinician sees them.  DIR is a program folder (compiled as by\n"
	      "stegc build), BUNDLE.steg a built bundle (verified as by stegc\n"
	      "verify).\n\n"
	      "Options:\n"
	      "  --port N      the port to listen on (default 8000; 0: any free\n"
	      "                port, printed)\n"
	      "  --host H      the address to listen on (default 127.0.0.1; only\n"
	      "                this machine can connect unless H says otherwise).\n"
	      "                Requests must name the server by an IP address,\n"
	      "                localhost or H (no other names: DNS rebinding)\n"
	      "  -Werror, -Wno-CODE, --lix-max N, --color WHEN  as for stegc check\n\n"
	      "Pages: / the start page; /m/MODULE/N page N of a module; /forms/FORM\n"
	      "a rating form; /ex/EXERCISE an exercise; /panel the treatment over\n"
	      "time (complete modules, give feedback, move the clock).  A program\n"
	      "folder is watched: the pages reload when it is saved, and show its\n"
	      "errors over the last good version (a folder with errors at the\n"
	      "start is served too: its pages list the errors until they are\n"
	      "fixed).  Stop with Ctrl-C.\n\n"
	      "Exit codes: 0 stopped, 1 errors in the bundle, 2 usage, 3 I/O (the\n"
	      "port is taken, the address cannot be used).\n", f);
}

/* ---- programs ----------------------------------------------------------- */

void pv_prog_free(pv_prog *p)
{
	if (!p)
		return;
	st_bundle_free(p->bundle);
	pthread_mutex_destroy(&p->bundle_lock);
	st_arena_free(p->a);
	sc_gen_free(p->gen);
	free(p->real_dir);
	free(p);
}

pv_prog *pv_acquire(pv_server *s)
{
	pthread_mutex_lock(&s->lock);
	pv_prog *p = s->cur;
	if (p)
		p->refs++;
	pthread_mutex_unlock(&s->lock);
	return p;
}

void pv_release(pv_server *s, pv_prog *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&s->lock);
	int last = --p->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (last)
		pv_prog_free(p);
}

/* The state's arrays for the modules of next, keeping what was known of
 * modules of the same id.  Called with the lock held. */
static void state_remap(pv_server *s, const pv_prog *old, const pv_prog *next)
{
	size_t n = next->p->nmodules;
	long *days = calloc(n + 1, sizeof *days);
	long *rev = calloc(n + 1, sizeof *rev);
	if (!days || !rev) {
		free(days);
		free(rev);
		return;    /* keep the old arrays: nmodules bounds every use */
	}
	for (size_t i = 0; i < n; i++) {
		days[i] = rev[i] = -1;
		const char *id = next->p->modules[i].id;
		/* the same module in the same place, as after most edits */
		if (old && id && i < s->state.nmodules && i < old->p->nmodules &&
		    old->p->modules[i].id && !strcmp(old->p->modules[i].id, id)) {
			days[i] = s->state.completed[i];
			rev[i] = s->state.reviewed[i];
			continue;
		}
		for (size_t k = 0; old && id && k < s->state.nmodules &&
		     k < old->p->nmodules; k++)
			if (old->p->modules[k].id &&
			    !strcmp(old->p->modules[k].id, id)) {
				days[i] = s->state.completed[k];
				rev[i] = s->state.reviewed[k];
			}
	}
	free(s->state.completed);
	free(s->state.reviewed);
	s->state.completed = days;
	s->state.reviewed = rev;
	s->state.nmodules = n;
}

void pv_swap(pv_server *s, pv_prog *next)
{
	pthread_mutex_lock(&s->lock);
	pv_prog *old = s->cur;
	state_remap(s, old, next);
	next->refs++;
	s->cur = next;
	int last = old && --old->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (last)
		pv_prog_free(old);
}

int pv_load(pv_prog **out, const pv_server *s, st_diags *d,
            const sc_opts *o)
{
	pv_prog *pp = calloc(1, sizeof *pp);
	*out = pp;
	if (!pp)
		return ST_EIO;
	pp->a = st_arena_new();
	pthread_mutex_init(&pp->bundle_lock, NULL);
	if (s->is_bundle) {
		if (st_bundle_open(&pp->bundle, d, s->source) != ST_OK)
			return ST_ERR;
		pp->p = (st_program *)st_bundle_program(pp->bundle);
		st_check_program(pp->a, d, pp->p);
	} else {
		sc_compile(&pp->p, pp->a, d, s->source, o);
		pp->real_dir = realpath(s->source, NULL);
		if (!pp->real_dir)
			return ST_EIO;
	}
	return !pp->p || st_diags_errors(d) ? ST_ERR : ST_OK;
}

/* ---- answering ---------------------------------------------------------- */

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self'; media-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

int pv_send_mhd(pv_request *rq, int status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	int ret = MHD_queue_response(rq->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

int pv_send(pv_request *rq, int status, const char *type, st_buf *body)
{
	size_t len = 0;
	char *data = st_buf_detach(body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
		len, data ? data : NULL, free);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	return pv_send_mhd(rq, status, r);
}

int pv_send_error(pv_request *rq, int status, const char *detail)
{
	st_buf b;
	st_buf_init(&b);
	sr_view none;
	memset(&none, 0, sizeof none);
	sr_error_page(&b, rq->prog ? &rq->view : &none, status, detail);
	return pv_send(rq, status, "text/html; charset=utf-8", &b);
}

static int send_html(pv_request *rq, int rc, st_buf *b, const char *what)
{
	if (rc == ST_OK)
		return pv_send(rq, 200, "text/html; charset=utf-8", b);
	st_buf_release(b);
	return pv_send_error(rq, rc == ST_ENOENT ? 404 : 500, what);
}

/* ---- routes ------------------------------------------------------------- */

static int h_start(pv_request *rq)
{
	st_buf b;
	st_buf_init(&b);
	return send_html(rq, sr_start_page(&b, &rq->view), &b, NULL);
}

/* "/m/ID/", "/m/ID" or "/m/ID/N" */
static int h_module(pv_request *rq)
{
	const char *id = rq->path + 3;
	size_t n = strcspn(id, "/");
	char mod[256];
	if (n == 0 || n >= sizeof mod)
		return pv_send_error(rq, 404, NULL);
	memcpy(mod, id, n);
	mod[n] = 0;
	const char *rest = id[n] ? id + n + 1 : "";
	size_t page = 1;
	if (*rest) {
		char *end;
		if (*rest < '1' || *rest > '9')
			return pv_send_error(rq, 404, NULL);
		unsigned long v = strtoul(rest, &end, 10);
		if (*end || v > 100000)
			return pv_send_error(rq, 404, NULL);
		page = v;
	}
	st_buf b;
	st_buf_init(&b);
	int rc = sr_module_page(&b, &rq->view, mod, page);
	if (rc == ST_ENOENT) {
		st_buf_release(&b);
		char msg[320];
		const st_module *m = st_program_module(rq->prog->p, mod);
		if (m)
			snprintf(msg, sizeof msg, "module '%s' has %zu page%s",
			         mod, m->npages, m->npages == 1 ? "" : "s");
		else
			snprintf(msg, sizeof msg, "the program has no module '%s'",
			         mod);
		return pv_send_error(rq, 404, msg);
	}
	return send_html(rq, rc, &b, NULL);
}

/* The one segment after a prefix: "/forms/phq9" -> "phq9". */
static const char *one_segment(const pv_request *rq, size_t skip)
{
	const char *s = rq->path + skip;
	return *s && !strchr(s, '/') ? s : NULL;
}

static int h_form(pv_request *rq)
{
	const char *id = one_segment(rq, 7);
	sr_input in = { rq->body, rq->len };
	st_buf b;
	st_buf_init(&b);
	int rc = id ? sr_form_page(&b, &rq->view, id,
	                           strcmp(rq->method, "POST") ? NULL : &in)
	            : ST_ENOENT;
	return send_html(rq, rc, &b, "the program has no such rating form");
}

static int h_exercise(pv_request *rq)
{
	const char *id = one_segment(rq, 4);
	sr_input in = { rq->body, rq->len };
	st_buf b;
	st_buf_init(&b);
	int rc = id ? sr_exercise_page(&b, &rq->view, id,
	                               strcmp(rq->method, "POST") ? NULL : &in)
	            : ST_ENOENT;
	return send_html(rq, rc, &b, "the program has no such exercise");
}

static int h_eval(pv_request *rq)
{
	st_buf b;
	st_buf_init(&b);
	const char *ct = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
	                                             "Content-Type");
	int form = ct && !strncasecmp(ct, "application/x-www-form-urlencoded",
	                              33);
	int status = form ? sr_eval_post(&b, &rq->view, rq->body, rq->len)
	                  : sr_eval_json(&b, &rq->view, rq->body ? rq->body : "",
	                                 rq->len);
	return pv_send(rq, status, "application/json", &b);
}

static int h_asset(pv_request *rq)
{
	const char *name = one_segment(rq, 8);
	size_t len;
	const char *type;
	const unsigned char *data = name ? sr_asset(name, &len, &type) : NULL;
	if (!data)
		return pv_send_error(rq, 404, NULL);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)data, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	return pv_send_mhd(rq, 200, r);
}

static const char *media_type(const char *name)
{
	const st_media_type *t = st_media_type_of(name);
	if (!t)
		return "application/octet-stream";
	if (t->kind == ST_MEDIA_CAPTION)
		return "text/vtt; charset=utf-8";
	return t->mime[0] ? t->mime[0] : "application/octet-stream";
}

/* A media file of a program folder: only inside the folder, only a regular
 * file, never through a symbolic link that leads out. */
static int open_inside(const pv_prog *pp, const char *disk, struct stat *st)
{
	char *real = realpath(disk, NULL);
	if (!real)
		return -1;
	size_t rl = strlen(pp->real_dir);
	int inside = !strncmp(real, pp->real_dir, rl) && real[rl] == '/';
	int fd = inside ? open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	free(real);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    (unsigned long long)st->st_size > ST_BUNDLE_MAX_ENTRY) {
		close(fd);
		return -1;
	}
	return fd;
}

static int h_media(pv_request *rq)
{
	const char *name = rq->path + 7;
	const st_program *p = rq->prog->p;
	char entry[ST_BUNDLE_MAX_NAME + 8];
	if (!*name || !st_bundle_name_ok(name, strlen(name)) ||
	    snprintf(entry, sizeof entry, "media/%s", name) >= (int)sizeof entry)
		return pv_send_error(rq, 404, NULL);
	const st_media *m = NULL;
	for (size_t i = 0; i < p->nmedia && !m; i++)
		if (p->media[i].path && !strcmp(p->media[i].path, entry))
			m = &p->media[i];
	if (!m)
		return pv_send_error(rq, 404, "the program has no such media file");
	/* the file's length first, for the range */
	struct MHD_Response *r = NULL;
	char *data = NULL;
	int fd = -1;
	uint64_t size = 0;
	if (rq->prog->bundle) {
		st_diags *d = st_diags_new();
		size_t len = 0;
		/* the bundle is shared: one reader at a time */
		pthread_mutex_lock(&rq->prog->bundle_lock);
		int rc = st_bundle_read_entry(rq->prog->bundle, d, entry, &data,
		                              &len);
		pthread_mutex_unlock(&rq->prog->bundle_lock);
		st_diags_free(d);
		if (rc != ST_OK) {
			free(data);
			return pv_send_error(rq, 404, "the media file cannot be read");
		}
		size = len;
	} else {
		struct stat st;
		fd = m->disk_path ? open_inside(rq->prog, m->disk_path, &st) : -1;
		if (fd < 0)
			return pv_send_error(rq, 404, "the media file cannot be read");
		size = (uint64_t)st.st_size;
	}
	uint64_t first = 0, last = size ? size - 1 : 0;
	sr_range rg = sr_range_parse(
		MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Range"),
		size, &first, &last);
	char cr[64];
	if (rg == SR_RANGE_UNSATISFIABLE) {
		free(data);
		if (fd >= 0)
			close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"",
		                                    MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)size);
		MHD_add_response_header(r, "Content-Range", cr);
		return pv_send_mhd(rq, 416, r);
	}
	uint64_t n = rg == SR_RANGE_PART ? last - first + 1 : size;
	if (rq->prog->bundle) {
		if (first)
			memmove(data, data + first, (size_t)n);
		r = MHD_create_response_from_buffer_with_free_callback((size_t)n,
		                                                       data, free);
		if (!r)
			free(data);
	} else {
		r = MHD_create_response_from_fd_at_offset64(n, fd, first);
		if (!r)
			close(fd);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", media_type(name));
	MHD_add_response_header(r, "Accept-Ranges", "bytes");
	if (rg != SR_RANGE_PART)
		return pv_send_mhd(rq, 200, r);
	snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu",
	         (unsigned long long)first, (unsigned long long)last,
	         (unsigned long long)size);
	MHD_add_response_header(r, "Content-Range", cr);
	return pv_send_mhd(rq, 206, r);
}

/* The route table.  /events (reload events), /panel (the treatment
 * panel) and /api/state are reserved for the server's other parts: a
 * row with no function answers 404 until one is added. */
static const pv_route routes[] = {
	{ "GET", "/", 0, h_start },
	{ "GET", "/m/", 1, h_module },
	{ "GET", "/forms/", 1, h_form },
	{ "POST", "/forms/", 1, h_form },
	{ "GET", "/ex/", 1, h_exercise },
	{ "POST", "/ex/", 1, h_exercise },
	{ "POST", "/api/eval", 0, h_eval },
	{ "GET", "/media/", 1, h_media },
	{ "GET", "/assets/", 1, h_asset },
	{ "GET", "/events", 0, pv_live_events },
	{ "GET", "/api/errors", 0, pv_live_errors },
	{ "GET", "/panel", 0, pv_live_panel },
	{ "POST", "/panel", 0, pv_live_panel },
	{ "GET", "/api/state", 0, pv_live_state },
	{ "POST", "/api/state", 0, pv_live_state },
};

/* A path any route may see: absolute, no empty inner, '.' or '..'
 * segment, no backslash or control byte. */
static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (const char *s = p + 1; *s;) {
		size_t n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (n == 0 && s[n] == '/')
			return 0;
		s += n + (s[n] == '/');
	}
	for (const unsigned char *s = (const unsigned char *)p; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	return 1;
}

static int dispatch(pv_request *rq)
{
	const char *method = !strcmp(rq->method, "HEAD") ? "GET" : rq->method;
	if (!path_ok(rq->path))
		return pv_send_error(rq, 404, NULL);
	int path_known = 0;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		const pv_route *r = &routes[i];
		size_t n = strlen(r->path);
		int hit = r->prefix ? !strncmp(rq->path, r->path, n)
		                    : !strcmp(rq->path, r->path);
		if (!hit)
			continue;
		path_known = 1;
		if (strcmp(method, r->method))
			continue;
		if (!r->fn)
			return pv_send_error(rq, 404, NULL);
		return r->fn(rq);
	}
	return pv_send_error(rq, path_known ? 405 : 404, NULL);
}

/* ---- who may ask ---------------------------------------------------------- */

/* DNS rebinding: a web page the designer visits can point a name of its
 * own at 127.0.0.1 and then read this server as its own origin.  So a
 * request is answered only when its Host names this machine the way a
 * person would: an IP address, "localhost" or a name under ".localhost",
 * or the --host name the preview was started with.  The port is not
 * compared: the name is what an attacker controls. */
static int host_allowed(const pv_server *s, const char *host)
{
	if (!host || !*host)
		return 1;       /* HTTP/1.0 without Host: no browser */
	if (host[0] == '[')
		return strchr(host, ']') != NULL;       /* an IPv6 literal */
	char name[256];
	size_t n = strcspn(host, ":");
	if (n == 0 || n >= sizeof name)
		return 0;
	memcpy(name, host, n);
	name[n] = 0;
	struct in_addr a;
	if (inet_pton(AF_INET, name, &a) == 1 || !strcasecmp(name, "localhost"))
		return 1;
	if (n > 10 && !strcasecmp(name + n - 10, ".localhost"))
		return 1;
	return s->host && !strcasecmp(name, s->host);
}

/* A request that changes the preview's state (the panel's clock, a
 * form's post) must come from the preview's own pages: a browser sends
 * Sec-Fetch-Site (and Origin) with a POST, and a page elsewhere cannot
 * forge them; curl sends neither.  NULL when the request may go on, else
 * why not. */
static const char *refusal(const pv_server *s, struct MHD_Connection *c,
                           const char *method)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                               "Host");
	if (!host_allowed(s, host))
		return "stegc preview answers only requests addressed to this "
		       "machine (an IP address, localhost, or the name given "
		       "with --host): open the address it printed";
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return NULL;
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                               "Sec-Fetch-Site");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                                 "Origin");
	/* Sec-Fetch-Site is the browser's own word; a form of the preview's
	 * pages (Referrer-Policy: no-referrer) says "Origin: null" beside
	 * it.  Without it, an Origin must be the preview's own address. */
	if (site ? strcmp(site, "same-origin") && strcmp(site, "none")
	         : origin && (strncasecmp(origin, "http://", 7) || !host ||
	                      strcasecmp(origin + 7, host)))
		return "a page of another site cannot post to the preview";
	return NULL;
}

/* ---- requests ----------------------------------------------------------- */

typedef struct conn_ctx {
	st_buf body;
	int too_big;
} conn_ctx;

static void snapshot(pv_server *s, sr_tl_state *st)
{
	pthread_mutex_lock(&s->lock);
	size_t n = s->state.nmodules;
	st->day = s->state.day;
	st->nmodules = 0;
	st->opened = NULL;
	st->completed = malloc((n + 1) * sizeof *st->completed);
	st->reviewed = malloc((n + 1) * sizeof *st->reviewed);
	if (st->completed && st->reviewed && n) {
		memcpy(st->completed, s->state.completed, n * sizeof *st->completed);
		memcpy(st->reviewed, s->state.reviewed, n * sizeof *st->reviewed);
		st->nmodules = n;
	}
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	pv_server *s = cls;
	conn_ctx *cc = *con_cls;
	(void)version;
	if (!cc) {
		cc = calloc(1, sizeof *cc);
		if (!cc)
			return MHD_NO;
		st_buf_init(&cc->body);
		*con_cls = cc;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > SR_MAX_BODY)
			cc->too_big = 1;
		if (!cc->too_big)
			return MHD_YES;
	}
	if (*upload_size) {
		if (cc->body.len + *upload_size > SR_MAX_BODY)
			cc->too_big = 1;
		if (!cc->too_big)
			st_buf_add(&cc->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	pv_request rq;
	memset(&rq, 0, sizeof rq);
	rq.srv = s;
	rq.conn = c;
	rq.method = method;
	rq.path = url;
	const char *why = refusal(s, c, method);
	if (why)        /* a page that names nothing of the program */
		return pv_send_error(&rq, 403, why) == MHD_YES ? MHD_YES : MHD_NO;
	rq.body = cc->body.data;
	rq.len = cc->body.len;
	rq.prog = pv_acquire(s);
	sr_tl_state st;
	memset(&st, 0, sizeof st);
	snapshot(s, &st);
	int ret;
	if (!rq.prog) {
		/* the first compile had errors: the live parts and the assets
		 * work, every page shows the errors */
		rq.view.banner = sr_w(sr_words_for(NULL), SR_W_PREVIEW);
		if (cc->too_big)
			ret = pv_send_error(&rq, 413, "the request is too large");
		else if (!strcmp(url, "/events") || !strcmp(url, "/api/errors") ||
		         (!strncmp(url, "/assets/", 8) && path_ok(url)))
			ret = dispatch(&rq);
		else
			ret = pv_live_findings(&rq);
	} else {
		rq.view.p = rq.prog->p;
		rq.view.base = "";
		rq.view.ctx = &st;
		rq.view.module = sr_timeline_module;
		rq.view.banner = sr_w(sr_words_for(rq.prog->p->language),
		                      SR_W_PREVIEW);
		rq.view.script = pv_live_script(s->live);
		rq.view.panel = strcmp(url, "/panel") ? "/panel" : NULL;
		if (cc->too_big)
			ret = pv_send_error(&rq, 413, "the request is too large");
		else
			ret = dispatch(&rq);
	}
	free(st.completed);
	free(st.reviewed);
	pv_release(s, rq.prog);
	return ret == MHD_YES ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)c; (void)toe;
	conn_ctx *cc = *con_cls;
	if (cc) {
		st_buf_release(&cc->body);
		free(cc);
		*con_cls = NULL;
	}
}

static void quiet_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls; (void)fmt; (void)ap;
}

/* ---- the command --------------------------------------------------------- */

/* Listen on host:port; the port actually bound in *bound.  -1 after a
 * message. */
static int listen_on(const char *host, const char *port, int *bound,
                     int *ipv6)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0 || !res) {
		sc_fail("cannot listen on '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
	                res->ai_protocol);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 64) != 0) {
		int e = errno;
		if (e == EADDRINUSE)
			sc_fail("cannot listen on %s port %s: the port is in use; "
			        "choose another with --port (0: any free port)",
			        host, port);
		else
			sc_fail("cannot listen on %s port %s: %s", host, port,
			        strerror(e));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	*ipv6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	*bound = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		*bound = ntohs(ss.ss_family == AF_INET6
		               ? ((struct sockaddr_in6 *)&ss)->sin6_port
		               : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static void server_free(pv_server *s)
{
	pthread_mutex_lock(&s->lock);
	pv_prog *cur = s->cur;
	s->cur = NULL;
	pthread_mutex_unlock(&s->lock);
	pv_release(s, cur);
	free(s->state.completed);
	free(s->state.reviewed);
	pthread_mutex_destroy(&s->lock);
}

/* The command line: ST_CONTINUE or the exit code to return. */
static int parse_args(int argc, char **argv, sc_cli *cli, const char **src,
                      const char **host, const char **port)
{
	const char *h = NULL, *p = NULL;
	int npos, rc;
	st_opt opts[] = {
		ST_VALUE("--port", &p),
		ST_VALUE("--host", &h),
		{ NULL },
	};

	rc = sc_parse(argc, argv, "preview", opts, cli, src, 1, &npos, usage);
	if (rc != ST_CONTINUE)
		return rc;
	if (p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (!*p || *end || v < 0 || v > 65535)
			return sc_usage_error("preview", "'--port' takes a number from "
			                      "0 to 65535, not '%s'", p);
		*port = p;
	}
	if (h && !*h)
		return sc_usage_error("preview", "'--host' needs an address");
	if (h)
		*host = h;
	if (!npos) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return ST_CONTINUE;
}

int cmd_preview(int argc, char **argv)
{
	sc_cli cli;
	const char *src = NULL, *host = "127.0.0.1", *port = "8000";
	int rc = parse_args(argc, argv, &cli, &src, &host, &port);
	if (rc != ST_CONTINUE)
		return rc;

	pv_server s;
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.lock, NULL);
	s.source = src;
	s.host = host;
	struct stat st;
	if (stat(src, &st) != 0) {
		sc_fail("cannot open '%s': %s", src, strerror(errno));
		return EXIT_IO;
	}
	s.is_bundle = S_ISREG(st.st_mode);

	sc_cli_opts(&cli, &s.opts);
	st_diags *d = sc_cli_diags(&cli);
	pv_prog *pp = NULL;
	pv_live *lv = pv_live_new(&s, &cli, &s.opts);
	int lrc = s.is_bundle ? pv_load(&pp, &s, d, &s.opts)
	                      : pv_live_load(lv, &pp, d);
	int exit_code = sc_cli_finish(&cli, d);
	/* A folder with errors is served all the same: its pages show the
	 * errors until an edit fixes them.  A bundle cannot be edited. */
	int broken = lrc == ST_ERR && !s.is_bundle && pp && pp->real_dir;
	if (broken)
		pv_live_failed(lv, d);
	st_diags_free(d);     /* before pp: findings point into its arena */
	if (broken) {
		pv_prog_free(pp);
		pp = NULL;
	} else if (lrc != ST_OK) {
		pv_prog_free(pp);
		pv_live_free(lv);
		server_free(&s);
		if (lrc == ST_EIO)
			sc_fail("cannot load '%s'", src);
		return lrc == ST_EIO ? EXIT_IO : exit_code ? exit_code
		                                           : EXIT_ERRORS;
	}
	if (pp)
		pv_swap(&s, pp);

	/* SIGINT and SIGTERM are taken by sigwait below, in this thread
	 * only: the server's threads inherit the mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	int bound = 0, ipv6 = 0;
	int fd = listen_on(host, port, &bound, &ipv6);
	struct MHD_Daemon *daemon = NULL;
	if (fd >= 0) {
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
		                 MHD_USE_THREAD_PER_CONNECTION |
		                 (ipv6 ? MHD_USE_IPv6 : 0);
		daemon = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, &s,
			MHD_OPTION_LISTEN_SOCKET, fd,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)PV_MAX_HEADERS,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned)PV_MAX_CONNECTIONS,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PV_TIMEOUT_S,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
			MHD_OPTION_EXTERNAL_LOGGER, quiet_log, &s,
			MHD_OPTION_END);
		if (!daemon) {
			sc_fail("cannot start the web server on %s port %d", host,
			        bound);
			close(fd);
		}
	}
	char werr[256] = "";
	if (daemon && pv_live_start(lv, werr, sizeof werr) != 0) {
		sc_fail("cannot watch '%s': %s", src, werr);
		MHD_stop_daemon(daemon);
		close(fd);
		daemon = NULL;
	}
	if (daemon) {
		snprintf(s.url, sizeof s.url,
		         ipv6 ? "http://[%s]:%d/" : "http://%s:%d/", host, bound);
		/* the title is the program's: one line that steers no terminal */
		st_buf title;
		st_buf_init(&title);
		const char *t = pp && pp->p->title ? pp->p->title : src;
		st_buf_add_escaped(&title, t, strlen(t));
		printf("Preview of '%s' at %s\n", title.data ? title.data : "",
		       s.url);
		fflush(stdout);
		st_buf_release(&title);
		if (broken)
			fprintf(stderr, "stegc: preview: the pages show the errors "
			        "until they are fixed\n");
		int sig = 0;
		sigwait(&stop, &sig);
		pv_live_stop(lv);
		MHD_stop_daemon(daemon);
		close(fd);
	}
	pv_live_free(lv);
	server_free(&s);
	return daemon ? EXIT_CLEAN : EXIT_IO;
}
