/*
 * live.c — stegc preview's live reload and treatment panel (live.h).
 *
 * One thread waits for edits and recompiles; the web server's threads
 * (one per connection) serve the event streams, each blocked in its
 * reader until a new event, a ping or the stop.  lv->lock guards the
 * event, the findings, the streams' count and the panel's script; the
 * server's own lock guards the program and the pages' treatment state.
 */
#include <errno.h>
#include <microhttpd.h>
#include <poll.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "findings.h"
#include "vocab.h"
#include "live.h"
#include "panel.h"
#include "timeline.h"
#include "watch.h"

#define LIVE_QUIET_MS 8          /* a burst is over after this quiet */
#define LIVE_MAX_MS 500          /* ... or this long, a write still open */
#define LIVE_MAX_SCRIPT (64u << 10)

struct pv_live {
	pv_server *srv;
	sc_cli cli;
	sc_opts opts;
	sc_incr *incr;            /* NULL for a bundle */
	sc_watch *watch;
	pthread_t thread;
	int running;
	pthread_mutex_t lock;
	pthread_cond_t cond;      /* a new event, or the stop */
	unsigned long version;    /* of the last event */
	char *event;              /* its text, as sent */
	int nerrors;              /* in the last compile */
	char *findings;           /* its findings, a JSON object */
	int nclients;
	int stopping;
	st_buf script;            /* the panel's actions, one a line */
};

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* ---- the program ---------------------------------------------------------- */

static pv_prog *prog_of(pv_live *lv, sc_gen *g)
{
	pv_prog *pp = calloc(1, sizeof *pp);
	if (!pp)
		abort();
	pp->a = st_arena_new();
	pthread_mutex_init(&pp->bundle_lock, NULL);
	pp->p = g->program;
	pp->gen = g;
	pp->real_dir = realpath(lv->srv->source, NULL);
	return pp;
}

/* The findings as the overlay shows them:
 * {"version": N, "errors": E, "findings": [{"file", "line", "column",
 *  "level", "code", "message"}...]}. */
static char *findings_json(const st_diags *d, unsigned long version)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "{\"version\":%lu,\"errors\":%d,\"findings\":[",
	              version, st_diags_errors(d));
	for (size_t i = 0; i < st_diags_count(d); i++) {
		st_span sp = st_diags_span(d, i);
		st_level l = st_diags_level(d, i);
		const char *code = st_diags_code(d, i), *msg = st_diags_message(d, i);
		st_buf_adds(&b, i ? ",{\"file\":" : "{\"file\":");
		if (sp.file)
			st_buf_add_json(&b, sp.file, strlen(sp.file));
		else
			st_buf_adds(&b, "null");
		st_buf_printf(&b, ",\"line\":%d,\"column\":%d,\"level\":\"%s\","
		              "\"code\":", sp.line, sp.col, l == ST_ERROR ? "error" :
		              l == ST_WARNING ? "warning" : "note");
		st_buf_add_json(&b, code, strlen(code));
		st_buf_adds(&b, ",\"message\":");
		st_buf_add_json(&b, msg, strlen(msg));
		st_buf_addc(&b, '}');
	}
	st_buf_adds(&b, "]}");
	return st_buf_detach(&b, NULL);
}

/* Send kind ("reload" or "errors") to every stream. */
static void publish(pv_live *lv, const char *kind, const st_diags *d)
{
	pthread_mutex_lock(&lv->lock);
	lv->version++;
	free(lv->findings);
	lv->findings = findings_json(d, lv->version);
	lv->nerrors = st_diags_errors(d);
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "event: %s\ndata: %s\n\n", kind, lv->findings);
	free(lv->event);
	lv->event = st_buf_detach(&b, NULL);
	pthread_cond_broadcast(&lv->cond);
	pthread_mutex_unlock(&lv->lock);
}

/* ---- the panel's treatment -------------------------------------------------- */

/* Play the script over pp's program into json (NULL: none; and *st in
 * a). */
static void play(pv_live *lv, const pv_prog *pp, st_buf *json, st_arena *a,
                 sr_tl_state *st)
{
	pthread_mutex_lock(&lv->lock);
	char *script = lv->script.len ? st_strndup(a, lv->script.data,
	                                           lv->script.len) : NULL;
	size_t len = lv->script.len;
	pthread_mutex_unlock(&lv->lock);
	sr_timeline_run(pp->p, script, len, json, a, st);
}

/* The pages' treatment state from the script. */
static void sync_state(pv_live *lv)
{
	pv_server *s = lv->srv;
	pv_prog *pp = pv_acquire(s);
	if (!pp)
		return;
	st_arena *a = st_arena_new();
	sr_tl_state st;
	play(lv, pp, NULL, a, &st);
	pthread_mutex_lock(&s->lock);
	if (s->cur == pp && s->state.nmodules == st.nmodules) {
		for (size_t i = 0; i < st.nmodules; i++) {
			s->state.completed[i] = st.completed[i];
			s->state.reviewed[i] = st.reviewed[i];
		}
		s->state.day = st.day;
	}
	pthread_mutex_unlock(&s->lock);
	st_arena_free(a);
	pv_release(s, pp);
}

/* ---- recompiling ------------------------------------------------------------ */

static void recompile(pv_live *lv)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sc_gen *g = sc_incr_compile(lv->incr);
	st_diags *d = sc_cli_diags(&lv->cli);
	int errors = sc_gen_report(g, d);
	st_diags_sort(d);
	/* findings point into g: shown before it may go */
	if (st_diags_count(d) && !lv->cli.quiet)
		st_diags_render(d, stderr, ST_FMT_TEXT, lv->cli.color, "stegc");
	if (errors || !g->program) {
		publish(lv, "errors", d);
		fprintf(stderr, "stegc: preview: %d error%s; the pages show the "
		        "last good version\n", errors, errors == 1 ? "" : "s");
		st_diags_free(d);
		sc_gen_free(g);
		return;
	}
	size_t loaded = g->loaded;
	pv_swap(lv->srv, prog_of(lv, g));
	sync_state(lv);
	publish(lv, "reload", d);
	st_diags_free(d);
	if (!lv->cli.quiet)
		fprintf(stderr, "stegc: preview: reloaded in %ld ms (%zu module%s "
		        "read again)\n", ms_since(&t0), loaded, loaded == 1 ? "" : "s");
}

static void on_change(void *ctx, const char *rel)
{
	pv_live *lv = ctx;
	sc_incr_changed(lv->incr, rel);
}

static void *run(void *arg)
{
	pv_live *lv = arg;
	for (;;) {
		int n = sc_watch_wait(lv->watch, -1, LIVE_QUIET_MS, LIVE_MAX_MS,
		                      on_change, lv);
		if (n < 0)
			break;
		if (n > 0)
			recompile(lv);
	}
	return NULL;
}

/* ---- the object ------------------------------------------------------------- */

pv_live *pv_live_new(pv_server *s, const sc_cli *cli, const sc_opts *o)
{
	pv_live *lv = calloc(1, sizeof *lv);
	if (!lv)
		abort();
	lv->srv = s;
	lv->cli = *cli;
	lv->opts = *o;
	if (!s->is_bundle)
		lv->incr = sc_incr_new(s->source, o);
	pthread_mutex_init(&lv->lock, NULL);
	pthread_cond_init(&lv->cond, NULL);
	st_buf_init(&lv->script);
	lv->findings = strdup("{\"version\":0,\"errors\":0,\"findings\":[]}");
	if (!lv->findings)
		abort();
	s->live = lv;
	return lv;
}

void pv_live_free(pv_live *lv)
{
	if (!lv)
		return;
	pv_live_stop(lv);
	sc_watch_free(lv->watch);
	sc_incr_free(lv->incr);
	free(lv->event);
	free(lv->findings);
	st_buf_release(&lv->script);
	pthread_cond_destroy(&lv->cond);
	pthread_mutex_destroy(&lv->lock);
	free(lv);
}

int pv_live_load(pv_live *lv, pv_prog **out, st_diags *d)
{
	sc_gen *g = sc_incr_compile(lv->incr);
	int errors = sc_gen_report(g, d);
	*out = prog_of(lv, g);
	if (!(*out)->real_dir)
		return ST_EIO;
	return errors || !g->program ? ST_ERR : ST_OK;
}

void pv_live_failed(pv_live *lv, const st_diags *d)
{
	publish(lv, "errors", d);
}

int pv_live_findings(pv_request *rq)
{
	pv_live *lv = rq->srv->live;
	if (!lv)
		return pv_send_error(rq, 503, NULL);
	pthread_mutex_lock(&lv->lock);
	char *json = strdup(lv->findings);
	pthread_mutex_unlock(&lv->lock);
	if (!json)
		abort();
	st_buf b;
	st_buf_init(&b);
	sr_view none;
	memset(&none, 0, sizeof none);
	none.banner = rq->view.banner;
	none.script = pv_live_script(lv);
	int rc = sr_findings_page(&b, &none, json, strlen(json));
	free(json);
	if (rc != ST_OK) {
		st_buf_release(&b);
		return pv_send_error(rq, 503, NULL);
	}
	return pv_send(rq, 503, "text/html; charset=utf-8", &b);
}

int pv_live_start(pv_live *lv, char *err, size_t errlen)
{
	if (!lv->incr)
		return 0;
	lv->watch = sc_watch_new(lv->srv->source, err, errlen);
	if (!lv->watch)
		return -1;
	if (pthread_create(&lv->thread, NULL, run, lv) != 0) {
		snprintf(err, errlen, "cannot start the watcher: %s", strerror(errno));
		return -1;
	}
	lv->running = 1;
	return 0;
}

void pv_live_stop(pv_live *lv)
{
	pthread_mutex_lock(&lv->lock);
	lv->stopping = 1;
	pthread_cond_broadcast(&lv->cond);
	pthread_mutex_unlock(&lv->lock);
	if (lv->running) {
		sc_watch_stop(lv->watch);
		pthread_join(lv->thread, NULL);
		lv->running = 0;
	}
}

const char *pv_live_script(const pv_live *lv)
{
	return lv && lv->incr ? "/assets/live.js" : NULL;
}

/* ---- /events -------------------------------------------------------------- */

typedef struct stream {
	pv_live *lv;
	int fd;                   /* the connection's socket, or -1 */
	unsigned long seen;       /* the version last sent */
	int hello;                /* the first status was sent */
	char *text;               /* being sent */
	size_t off, len;
} stream;

/* Has the browser closed the connection?  Peeked at, never read: the
 * socket is the web server's. */
static int gone(int fd)
{
	if (fd < 0)
		return 0;
	struct pollfd pf = { fd, POLLIN, 0 };
	if (poll(&pf, 1, 0) <= 0)
		return 0;
	if (pf.revents & (POLLHUP | POLLERR | POLLNVAL))
		return 1;
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	                  errno != EINTR);
}

/* What the stream sends next: the status at once, then each new event, a
 * ping after PV_LIVE_PING_S seconds of nothing; NULL at the stop or when
 * the browser has gone (looked for every second, so that a closed page
 * frees its place at once).  Called with the lock held. */
static char *next_text(stream *c)
{
	pv_live *lv = c->lv;
	st_buf b;
	st_buf_init(&b);
	if (!c->hello) {
		c->hello = 1;
		c->seen = lv->version;
		st_buf_printf(&b, "retry: 1000\n\nevent: %s\ndata: %s\n\n",
		              lv->nerrors ? "errors" : "ok", lv->findings);
		return st_buf_detach(&b, NULL);
	}
	for (int waited = 0; !lv->stopping && c->seen == lv->version &&
	     waited < PV_LIVE_PING_S; waited++) {
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 1;
		if (pthread_cond_timedwait(&lv->cond, &lv->lock, &dl) == ETIMEDOUT &&
		    gone(c->fd))
			return NULL;
	}
	if (lv->stopping)
		return NULL;
	if (c->seen != lv->version) {
		c->seen = lv->version;
		st_buf_adds(&b, lv->event);
	} else {
		st_buf_adds(&b, ": ping\n\n");
	}
	return st_buf_detach(&b, NULL);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream *c = cls;
	(void)pos;
	if (c->off >= c->len) {
		free(c->text);
		pthread_mutex_lock(&c->lv->lock);
		c->text = next_text(c);
		pthread_mutex_unlock(&c->lv->lock);
		if (!c->text)
			return MHD_CONTENT_READER_END_OF_STREAM;
		c->off = 0;
		c->len = strlen(c->text);
	}
	size_t n = c->len - c->off < max ? c->len - c->off : max;
	memcpy(buf, c->text + c->off, n);
	c->off += n;
	return (ssize_t)n;
}

/* The stream is over: finished, or the browser went away. */
static void stream_free(void *cls)
{
	stream *c = cls;
	pthread_mutex_lock(&c->lv->lock);
	c->lv->nclients--;
	pthread_mutex_unlock(&c->lv->lock);
	free(c->text);
	free(c);
}

int pv_live_events(pv_request *rq)
{
	pv_live *lv = rq->srv->live;
	if (!lv || !lv->incr)
		return pv_send_error(rq, 404, "reload events are for program folders");
	pthread_mutex_lock(&lv->lock);
	int full = lv->nclients >= PV_LIVE_MAX_CLIENTS || lv->stopping;
	if (!full)
		lv->nclients++;
	pthread_mutex_unlock(&lv->lock);
	if (full)
		return pv_send_error(rq, 503, "too many pages are listening");
	stream *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->lv = lv;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		rq->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	c->fd = ci ? ci->connect_fd : -1;
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 4096, stream_read, c, stream_free);
	if (!r) {
		stream_free(c);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
	return pv_send_mhd(rq, 200, r);
}

int pv_live_errors(pv_request *rq)
{
	pv_live *lv = rq->srv->live;
	st_buf b;
	st_buf_init(&b);
	if (lv) {
		pthread_mutex_lock(&lv->lock);
		st_buf_adds(&b, lv->findings);
		pthread_mutex_unlock(&lv->lock);
	} else {
		st_buf_adds(&b, "{\"version\":0,\"errors\":0,\"findings\":[]}");
	}
	st_buf_addc(&b, '\n');
	return pv_send(rq, 200, "application/json", &b);
}

/* ---- the panel ------------------------------------------------------------- */

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The value of key in an x-www-form-urlencoded body, decoded into out
 * (size n).  1 found, 0 absent, -1 too long or bad. */
static int form_value(const char *body, size_t len, const char *key,
                      char *out, size_t n)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < len; ) {
		size_t e = i;
		while (e < len && body[e] != '&')
			e++;
		if (e - i > kl && !memcmp(body + i, key, kl) && body[i + kl] == '=') {
			size_t o = 0;
			for (size_t k = i + kl + 1; k < e; k++) {
				int c = (unsigned char)body[k];
				if (c == '+')
					c = ' ';
				else if (c == '%') {
					int h = k + 2 < e ? hexval(body[k + 1]) : -1;
					int l = k + 2 < e ? hexval(body[k + 2]) : -1;
					if (h < 0 || l < 0)
						return -1;
					c = h * 16 + l;
					k += 2;
				}
				if (o + 1 >= n)
					return -1;
				out[o++] = (char)c;
			}
			out[o] = 0;
			return 1;
		}
		i = e + 1;
	}
	return 0;
}

static int only(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* Apply one posted action to the script; NULL, or why it was refused. */
static const char *add_action(pv_live *lv, const char *body, size_t len)
{
	char action[16], module[208], score[208], value[40], days[16];
	if (!body || form_value(body, len, "action", action, sizeof action) != 1)
		return "no action";
	st_buf line;
	st_buf_init(&line);
	const char *why = NULL;
	if (!strcmp(action, "complete") || !strcmp(action, "review")) {
		if (form_value(body, len, "module", module, sizeof module) != 1 ||
		    !st_is_slug(module))
			why = "no module";
		else
			st_buf_printf(&line, "%s %s\n", action, module);
	} else if (!strcmp(action, "day") || !strcmp(action, "week")) {
		st_buf_printf(&line, "wait %d\n", action[0] == 'd' ? 1 : 7);
	} else if (!strcmp(action, "wait")) {
		if (form_value(body, len, "days", days, sizeof days) != 1 ||
		    !only(days, "0123456789") || strlen(days) > 4)
			why = "no number of days";
		else
			st_buf_printf(&line, "wait %s\n", days);
	} else if (!strcmp(action, "score")) {
		if (form_value(body, len, "score", score, sizeof score) != 1 ||
		    !only(score, "abcdefghijklmnopqrstuvwxyz0123456789_.") ||
		    form_value(body, len, "value", value, sizeof value) != 1 ||
		    !only(value, "-0123456789.,"))
			why = "no score or value";
		else {
			for (char *p = value; *p; p++)
				if (*p == ',')
					*p = '.';
			st_buf_printf(&line, "score %s %s\n", score, value);
		}
	} else if (strcmp(action, "undo") && strcmp(action, "reset")) {
		why = "unknown action";
	}
	if (!why) {
		pthread_mutex_lock(&lv->lock);
		st_buf *s = &lv->script;
		if (!strcmp(action, "reset")) {
			s->len = 0;
		} else if (!strcmp(action, "undo")) {
			while (s->len && s->data[s->len - 1] == '\n')
				s->len--;
			while (s->len && s->data[s->len - 1] != '\n')
				s->len--;
		} else if (s->len + line.len > LIVE_MAX_SCRIPT) {
			why = "too many actions; start again";
		} else {
			st_buf_add(s, line.data, line.len);
		}
		if (s->data)
			s->data[s->len] = 0;
		pthread_mutex_unlock(&lv->lock);
	}
	st_buf_release(&line);
	if (!why)
		sync_state(lv);
	return why;
}

int pv_live_panel(pv_request *rq)
{
	pv_live *lv = rq->srv->live;
	if (!lv)
		return pv_send_error(rq, 404, NULL);
	if (!strcmp(rq->method, "POST")) {
		const char *why = add_action(lv, rq->body, rq->len);
		if (why)
			return pv_send_error(rq, 400, why);
		struct MHD_Response *r = MHD_create_response_from_buffer(
			0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Location", "/panel");
		return pv_send_mhd(rq, 303, r);
	}
	st_arena *a = st_arena_new();
	st_buf json, b;
	st_buf_init(&json);
	st_buf_init(&b);
	sr_tl_state st;
	play(lv, rq->prog, &json, a, &st);
	int rc = sr_panel_page(&b, &rq->view, json.data, json.len);
	st_buf_release(&json);
	st_arena_free(a);
	if (rc != ST_OK) {
		st_buf_release(&b);
		return pv_send_error(rq, 500, NULL);
	}
	return pv_send(rq, 200, "text/html; charset=utf-8", &b);
}

int pv_live_state(pv_request *rq)
{
	pv_live *lv = rq->srv->live;
	if (!lv)
		return pv_send_error(rq, 404, NULL);
	st_buf b;
	st_buf_init(&b);
	if (!strcmp(rq->method, "POST")) {
		const char *why = add_action(lv, rq->body, rq->len);
		if (why) {
			st_buf_adds(&b, "{\"error\":");
			st_buf_add_json(&b, why, strlen(why));
			st_buf_adds(&b, "}\n");
			return pv_send(rq, 400, "application/json", &b);
		}
	}
	st_arena *a = st_arena_new();
	sr_tl_state st;
	play(lv, rq->prog, &b, a, &st);
	st_arena_free(a);
	return pv_send(rq, 200, "application/json", &b);
}
