/*
 * main.c — steg-serve, the program `steg serve` runs: the registry on the
 * web over HTTPS, with client-certificate login (docs/serve.md).  A
 * program of its own so that steg's other commands never load
 * libmicrohttpd and GnuTLS (docs/architecture.md).
 *
 * Threads: every connection has its own thread (libmicrohttpd's thread
 * per connection), so that a request that waits (for the registry's
 * write lock, for the disk to sync an activation) holds up nobody else's
 * connection: with a pool of 4 workers each serving 16 kept-alive
 * connections, one activation's sync stalled 15 other clients' reads
 * (docs/benchmarks.md, "steg serve").  A request borrows a registry
 * connection from the pool of login.c and hands it back when answered;
 * SQLite's WAL lets readers run beside the one writer, and the writers
 * of the process take turns and share their syncs (RT_OPEN_SHARED).  SIGTERM and SIGINT are taken by
 * sigwait in the main thread: the server stops accepting, lets the
 * requests in flight finish (at most SV_DRAIN_S seconds), then stops.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netdb.h>
#include <pthread.h>
#include <sys/socket.h>
#include <gnutls/gnutls.h>
#include <sodium.h>
#include <sqlite3.h>
#include "../commands.h"
#include "../cli.h"
#include "serve.h"
#include "words.h"
#include "upload.h"

#define SV_MAX_HEADERS (32u << 10)  /* request line and headers */
#define SV_MAX_CONNECTIONS 512
#define SV_PER_IP 128
#define SV_TIMEOUT_S 30             /* an idle connection is closed */
#define SV_DRAIN_S 10

static const char help[] =
	"usage: steg serve --cert FILE --key FILE --client-ca FILE [--crl FILE]\n"
	"                  [--host H] [--port N] [--threads N] [--max-body BYTES]\n"
	"\n"
	"Serve the registry on the web over HTTPS: clinicians, publishers and\n"
	"admins log in with their client certificate (the HSA-id in the\n"
	"subject's serialNumber) and may do what the command line lets them.\n"
	"Prints 'serving https://HOST:PORT/' when it is ready; stops cleanly on\n"
	"SIGTERM.  One access-log line per request on stderr; refused logins\n"
	"are audited once a minute per certificate or address.\n"
	"\n"
	"  --cert FILE        the server's certificate (PEM, with its chain)\n"
	"  --key FILE         the server's private key (PEM, unencrypted)\n"
	"  --client-ca FILE   the CA (PEM) that issues staff certificates\n"
	"  --crl FILE         its certificate revocation list (PEM)\n"
	"  --host H           the address to listen on (default 127.0.0.1)\n"
	"  --port N           the port (default 8443; 0: any free port)\n"
	"  --threads N        accepted and ignored (older units pass it): each\n"
	"                     connection has its own thread\n"
	"  --max-body BYTES   the largest bundle upload (default 64 MiB)\n"
	"\n"
	"GET /healthz answers 'ok' without a certificate; every other path\n"
	"needs one.  See docs/serve.md.\n";

typedef struct conn_ctx {
	st_buf body;
	int too_big;
	const char *part;           /* an upload's kind (sv_is_upload), or NULL */
	size_t max;                 /* ... and its largest file */
	sv_upload *up;              /* a bundle upload's body (upload.h) */
	struct timespec t0;
} conn_ctx;

static atomic_int in_flight;

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 413, in Swedish: for an upload with the largest file of its kind
 * (a bundle: --max-body; a key file), else in general. */
static int too_large(sv_req *rq, const conn_ctx *cc)
{
	char lim[64], msg[300];
	if (!cc->part)
		return sv_send_problem(rq, 413, sv_w(SV_W_BAD_REQUEST),
		                       sv_w(SV_W_TOO_LARGE));
	if (cc->max % (1u << 20) == 0)
		snprintf(lim, sizeof lim, "%zu MiB", cc->max >> 20);
	else
		snprintf(lim, sizeof lim, "%zu byte", cc->max);
	snprintf(msg, sizeof msg, sv_w(strcmp(cc->part, "key") ?
	         SV_W_TOO_LARGE_BUNDLE : SV_W_TOO_LARGE_KEY), lim);
	return sv_send_problem(rq, 413, sv_w(SV_W_BAD_REQUEST), msg);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	sv_server *s = cls;
	conn_ctx *cc = *con_cls;
	(void)version;
	if (!cc) {
		if (!(cc = calloc(1, sizeof *cc)))
			return MHD_NO;
		atomic_fetch_add(&in_flight, 1);
		clock_gettime(CLOCK_MONOTONIC, &cc->t0);
		st_buf_init(&cc->body);
		*con_cls = cc;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             "Content-Length");
		size_t cap = SV_MAX_FORM, max = 0;
		const char *part = sv_is_upload(s, method, url, &max);
		cc->part = part;
		cc->max = max;
		if (part) {
			/* the file, and room for the form around it */
			cap = max + SV_MAX_FORM;
			if (!(cc->up = sv_upload_new(c, max, part)))
				return MHD_NO;
		}
		if (cl && strtoull(cl, NULL, 10) > cap)
			cc->too_big = 1;
		if (!cc->too_big)
			return MHD_YES;
	}
	if (*upload_size && cc->up) {
		sv_upload_feed(cc->up, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (cc->body.len + *upload_size > SV_MAX_FORM)
			cc->too_big = 1;
		if (!cc->too_big)
			st_buf_add(&cc->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	sv_req rq;
	memset(&rq, 0, sizeof rq);
	rq.srv = s;
	rq.conn = c;
	rq.method = method;
	rq.path = url;
	st_buf_addc(&cc->body, '\0');
	rq.body = cc->body.data;
	rq.len = cc->body.len - 1;
	rq.upload = cc->up;
	int ret = cc->too_big ? too_large(&rq, cc) : sv_route(&rq);
	sv_release(&rq);
	sv_access_log(&rq, ms_since(&cc->t0));
	return ret == MHD_YES ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)c; (void)toe;
	conn_ctx *cc = *con_cls;
	if (cc) {
		st_buf_release(&cc->body);
		sv_upload_free(cc->up);
		free(cc);
		*con_cls = NULL;
		atomic_fetch_sub(&in_flight, 1);
	}
}

/* The path's and the query's %XX escapes decoded in place, as
 * libmicrohttpd's own unescaping does, except %00: a NUL would end the
 * path early ("/assets/serve.css%00.html" served the stylesheet), so it
 * stays as the three characters and matches no route.  The new length. */
static int hexval(char h)
{
	return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ?
	       h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	(void)cls; (void)c;
	for (const char *r = s; *r; ) {
		int hi = r[0] == '%' ? hexval(r[1]) : -1;
		int lo = hi >= 0 ? hexval(r[2]) : -1;
		if (lo >= 0 && (hi | lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void quiet_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls; (void)fmt; (void)ap;
}

/* Listen on host:port; the port bound in *bound.  -1 after a message. */
static int listen_on(const char *host, const char *port, int *bound,
                     int *ipv6)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = -1, one = 1, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		rt_error("cannot listen on '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	*ipv6 = res->ai_family == AF_INET6;
	fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) ||
	    listen(fd, 128) || getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		rt_error("cannot listen on %s port %s: %s", host, port,
		         errno == EADDRINUSE ? "the port is in use" :
		         strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	*bound = ss.ss_family == AF_INET6 ?
	         ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
	         ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

typedef struct opts {
	const char *cert, *key, *ca, *crl, *host, *port, *threads, *max_body;
} opts;

/* A whole number from lo to hi, or a usage error. */
static int number(const char *opt, const char *s, long long lo,
                  long long hi, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return rt_usage_error("serve", "'%s' takes a number from %lld to "
		                      "%lld, not '%s'", opt, lo, hi, s);
	*out = v;
	return ST_OK;
}

static int parse(rt_ctx *ctx, int argc, char **argv, opts *o,
                 sv_server *s)
{
	const char *pos[1];
	int npos, rc;
	long long v;
	st_opt table[] = {
		ST_VALUE("--cert", &o->cert), ST_VALUE("--key", &o->key),
		ST_VALUE("--client-ca", &o->ca), ST_VALUE("--crl", &o->crl),
		ST_VALUE("--host", &o->host), ST_VALUE("--port", &o->port),
		ST_VALUE("--threads", &o->threads),
		ST_VALUE("--max-body", &o->max_body),
		{ NULL },
	};
	rc = rt_parse(ctx, argc, argv, "serve", table, pos, 0, &npos, help);
	if (rc != ST_CONTINUE)
		return rc;
	if (!o->cert || !o->key || !o->ca)
		return rt_usage_error("serve", "'serve' needs --cert and --key (the "
		                      "server's) and --client-ca (the CA of the "
		                      "staff's certificates); it never serves "
		                      "without them");
	if (o->port && (rc = number("--port", o->port, 0, 65535, &v)))
		return rc;
	/* --threads: still checked, no longer used (a thread a connection) */
	if (o->threads && (rc = number("--threads", o->threads, 1, 64, &v)))
		return rc;
	s->max_body = 64u << 20;
	if (o->max_body && (rc = number("--max-body", o->max_body, 1024,
	                                900LL << 20, &v)))
		return rc;
	if (o->max_body)
		s->max_body = (size_t)v;
	if (o->host && !*o->host)
		return rt_usage_error("serve", "'--host' needs an address");
	return ST_CONTINUE;
}

static struct MHD_Daemon *start(sv_server *s, const opts *o, int fd,
                                int ipv6)
{
	unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
	                 MHD_USE_AUTO | (ipv6 ? MHD_USE_IPv6 : 0);
	(void)o;
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_HTTPS_MEM_CERT, sv_tls_cert_pem(s->tls),
		MHD_OPTION_HTTPS_MEM_KEY, sv_tls_key_pem(s->tls),
		MHD_OPTION_HTTPS_MEM_TRUST, sv_tls_ca_pem(s->tls),
		MHD_OPTION_HTTPS_PRIORITIES,
		"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SV_MAX_HEADERS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SV_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SV_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SV_TIMEOUT_S,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_EXTERNAL_LOGGER, quiet_log, s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, s,
		MHD_OPTION_END);
}

/* Stop accepting, let the requests in flight finish, stop. */
static void drain(struct MHD_Daemon *d)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	MHD_socket lfd = MHD_quiesce_daemon(d);
	for (int i = 0; i < SV_DRAIN_S * 50 && atomic_load(&in_flight) > 0; i++)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	sv_pool_free();
}

/* Checked before listening: the registry opens (and is migrated). */
static int registry_ok(const char *db)
{
	rt_reg *r = NULL;
	int rc = rt_reg_open(&r, db, 0);
	if (rc)
		rt_error("%s", rt_reg_errmsg(r));
	rt_reg_close(r);
	return rc ? rt_exit_code(rc) : 0;
}

int main(int argc, char **argv)
{
	rt_ctx ctx = { rt_db_path() };
	opts o = { 0 };
	sv_server s = { 0 };
	char why[512];
	int rc, bound = 0, ipv6 = 0, fd;

	/* argv[0] is steg-serve; the command's name for the parser is serve */
	if ((rc = parse(&ctx, argc, argv, &o, &s)) != ST_CONTINUE)
		return rc;
	s.db = ctx.db;
	/* SQLite's memory statistics take one process-wide mutex on every
	 * allocation of every connection: with a connection per worker they
	 * serialise the workers (docs/benchmarks.md, "steg serve").  Nothing
	 * here reads them.  Before SQLite's first use. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sodium_init() < 0 || gnutls_global_init() < 0) {
		rt_error("cannot initialise the cryptography libraries");
		return RT_IO;
	}
	randombytes_buf(s.csrf_key, sizeof s.csrf_key);
	if (sv_tls_load(&s.tls, o.cert, o.key, o.ca, o.crl, why)) {
		rt_error("%s", why);
		return RT_REFUSED;
	}
	if ((rc = registry_ok(s.db))) {
		sv_tls_free(s.tls);
		return rc;
	}
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	const char *host = o.host ? o.host : "127.0.0.1";
	struct MHD_Daemon *d = NULL;
	if ((fd = listen_on(host, o.port ? o.port : "8443", &bound, &ipv6)) >= 0 &&
	    !(d = start(&s, &o, fd, ipv6))) {
		rt_error("cannot start the web server on %s port %d (is the "
		         "server's key the one of its certificate?)", host, bound);
		close(fd);
	}
	if (d) {
		printf(ipv6 ? "serving https://[%s]:%d/\n" :
		       "serving https://%s:%d/\n", host, bound);
		fflush(stdout);
		int sig = 0;
		sigwait(&stop, &sig);
		drain(d);
	}
	sodium_memzero(s.csrf_key, sizeof s.csrf_key);
	sv_tls_free(s.tls);
	gnutls_global_deinit();
	return d ? RT_OK : RT_IO;
}
