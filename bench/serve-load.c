/*
 * serve-load.c — the load client of bench/serve.sh: N concurrent clients
 * over loopback against steg serve for S seconds, each on its own
 * keep-alive TLS connection with its own client certificate, each request
 * drawn from its own mix.  Not part of `make`: bench/serve.sh builds it
 * with cc and pkg-config (OpenSSL, which steg serve does not use: the
 * client is not the server's own TLS library talking to itself).
 *
 *   serve-load [--rate R] PORT SECONDS CA.pem CLIENT-FILE...
 *
 * Every client connects (TLS handshake with its certificate) before the
 * clock starts; handshakes are not counted.  Then, for SECONDS:
 *
 *  - without --rate (closed loop): each client sends its next request as
 *    soon as the answer to the last one is read, so the clients together
 *    ask as fast as the server answers: the saturation throughput.  With
 *    N clients and no pause, the mean latency is N / throughput (Little's
 *    law) whatever the server does, so these latencies say little alone.
 *  - with --rate R (open loop, as wrk2 does it): R requests per second in
 *    all, each client 1/N of them on a fixed schedule (client i's k-th
 *    request is due at start + (i / N + k) * N / R seconds).  A client
 *    sends a request when it is due, or at once when it is late (its
 *    connection was still busy with the one before), and its latency is
 *    counted from when it was due, not from when it was sent: a server
 *    that stalls shows up as latency instead of as fewer requests
 *    ("coordinated omission").  The time from sending to the answer is
 *    reported beside it (svc_p50_ms, svc_p99_ms).
 *
 * A client file says who the client is and what it asks:
 *
 *   cert FILE.pem
 *   key FILE.key
 *   op WEIGHT LABEL            a request, raw HTTP up to a line "%%"
 *   GET /api/v1/me HTTP/1.1
 *   Host: localhost
 *   %%
 *   toggle WEIGHT LABEL-A LABEL-B   two requests taken in turn (activate,
 *   ...                        then deactivate, then activate ...)
 *   %%
 *   ...
 *   %%
 *
 * Lines end in "\n" in the file and are sent with "\r\n".  A request with a
 * body gives its Content-Length itself.  Every response is read whole
 * (Content-Length); its status is counted under the label: 2xx and 3xx
 * are successes, anything else an error (the first few are printed).
 * Prints one JSON object: per label the count, errors, p50 and p99 in ms;
 * the totals; requests per second.  Exit 0 when every request succeeded.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_OPS 16
#define MAX_LABELS 32
#define MAX_SAMPLES (1u << 20)

typedef struct op {
	int weight, toggle, turn;
	char *req[2];
	size_t len[2];
	int label[2];
} op;

typedef struct client {
	char cert[1024], key[1024];
	op ops[MAX_OPS];
	int nops, total_weight;
	unsigned seed;
	int fd;
	SSL *ssl;
	pthread_t th;
} client;

static client *clients_base;

typedef struct label {
	char name[64];
	long count, errors;
	double *ms;
	size_t n, cap;
} label;

static label labels[MAX_LABELS];
static label svc[MAX_LABELS];        /* --rate: from sending, not from due */
static int nlabels;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int port, seconds, nclients;
static double rate;                   /* requests per second; 0: closed loop */
static const char *ca_file;
static double t_start, t_end;         /* now_ms() */
static pthread_barrier_t ready, go;
static int printed_errors;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "serve-load: %s: %s\n", what, strerror(errno));
	exit(3);
}

static int label_of(const char *name)
{
	for (int i = 0; i < nlabels; i++)
		if (!strcmp(labels[i].name, name))
			return i;
	if (nlabels == MAX_LABELS) {
		fprintf(stderr, "serve-load: too many labels\n");
		exit(3);
	}
	snprintf(labels[nlabels].name, sizeof labels[nlabels].name, "%s", name);
	return nlabels++;
}

/* Read raw request lines up to "%%", joined with CRLF. */
static char *read_req(FILE *f, size_t *len)
{
	char line[8192];
	size_t cap = 1024, n = 0;
	char *out = malloc(cap);
	if (!out)
		die("malloc");
	while (fgets(line, sizeof line, f)) {
		size_t l = strcspn(line, "\n");
		line[l] = '\0';
		if (!strcmp(line, "%%")) {
			*len = n;
			return out;
		}
		while (n + l + 3 > cap && (out = realloc(out, cap *= 2)) == NULL)
			die("realloc");
		memcpy(out + n, line, l);
		n += l;
		out[n++] = '\r';
		out[n++] = '\n';
	}
	fprintf(stderr, "serve-load: a request without its closing %%%%\n");
	exit(3);
}

static void load_client(client *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], b[64], d[64];
	int w;
	if (!f)
		die(path);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "cert ", 5))
			snprintf(c->cert, sizeof c->cert, "%s", line + 5);
		else if (!strncmp(line, "key ", 4))
			snprintf(c->key, sizeof c->key, "%s", line + 4);
		else if (sscanf(line, "op %d %63s", &w, b) == 2 && c->nops < MAX_OPS) {
			op *o = &c->ops[c->nops++];
			o->weight = w;
			o->label[0] = label_of(b);
			o->req[0] = read_req(f, &o->len[0]);
			c->total_weight += w;
		} else if (sscanf(line, "toggle %d %63s %63s", &w, b, d) == 3 &&
		           c->nops < MAX_OPS) {
			op *o = &c->ops[c->nops++];
			o->weight = w;
			o->toggle = 1;
			o->label[0] = label_of(b);
			o->label[1] = label_of(d);
			o->req[0] = read_req(f, &o->len[0]);
			o->req[1] = read_req(f, &o->len[1]);
			c->total_weight += w;
		} else if (line[0] && line[0] != '#') {
			fprintf(stderr, "serve-load: %s: cannot read '%s'\n", path, line);
			exit(3);
		}
	}
	fclose(f);
	if (!c->cert[0] || !c->key[0] || !c->total_weight) {
		fprintf(stderr, "serve-load: %s: needs cert, key and an op\n", path);
		exit(3);
	}
}

static SSL_CTX *make_ctx(const client *c)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx || SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1) {
		ERR_print_errors_fp(stderr);
		exit(3);
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

static int connect_tls(client *c, SSL_CTX *ctx)
{
	struct sockaddr_in sa;
	int one = 1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa)) {
		close(c->fd);
		return -1;
	}
	c->ssl = SSL_new(ctx);
	SSL_set_fd(c->ssl, c->fd);
	SSL_set_tlsext_host_name(c->ssl, "localhost");
	SSL_set1_host(c->ssl, "localhost");
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		SSL_free(c->ssl);
		close(c->fd);
		c->ssl = NULL;
		return -1;
	}
	return 0;
}

static void disconnect(client *c)
{
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		close(c->fd);
		c->ssl = NULL;
	}
}

/* Send one request, read its response; the status, or -1 when the
 * connection failed (the client reconnects).  *closed is set when the
 * server said Connection: close. */
static int exchange(client *c, const char *req, size_t len, int *closed)
{
	static __thread char buf[1 << 16];
	size_t have = 0;
	long clen = 0, body;
	int status, n;
	char *e, *h;
	*closed = 0;
	if (SSL_write(c->ssl, req, (int)len) != (int)len)
		return -1;
	for (;;) {                      /* the status line and the headers */
		if (have == sizeof buf - 1)
			return -1;
		n = SSL_read(c->ssl, buf + have, (int)(sizeof buf - 1 - have));
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((e = strstr(buf, "\r\n\r\n")))
			break;
	}
	*e = '\0';
	status = atoi(buf + 9);
	if ((h = strcasestr(buf, "\r\ncontent-length:")))
		clen = strtol(h + 17, NULL, 10);
	if (strcasestr(buf, "\r\nconnection: close"))
		*closed = 1;
	body = (long)(have - (size_t)(e + 4 - buf));
	while (body < clen) {           /* the body, counted, not kept */
		n = SSL_read(c->ssl, buf, (int)sizeof buf);
		if (n <= 0)
			return -1;
		body += n;
	}
	return status;
}

static void add_sample(label *l, double ms)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		if (l->cap > MAX_SAMPLES || !(l->ms = realloc(l->ms, l->cap * sizeof *l->ms)))
			die("realloc");
	}
	l->ms[l->n++] = ms;
}

/* One answer: ms from when it was due (closed loop: sent), svc_ms from
 * when it was sent. */
static void record(int li, double ms, double svc_ms, int ok, int status,
                   const char *req)
{
	label *l = &labels[li];
	pthread_mutex_lock(&mu);
	l->count++;
	if (!ok) {
		l->errors++;
		if (printed_errors++ < 10)
			fprintf(stderr, "serve-load: %s answered %d: %.*s\n", l->name,
			        status, (int)strcspn(req, "\r"), req);
	}
	add_sample(l, ms);
	add_sample(&svc[li], svc_ms);
	pthread_mutex_unlock(&mu);
}

static void sleep_until(double ms)
{
	struct timespec t;
	t.tv_sec = (time_t)(ms / 1e3);
	t.tv_nsec = (long)((ms - (double)t.tv_sec * 1e3) * 1e6);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

static void *run(void *arg)
{
	client *c = arg;
	SSL_CTX *ctx = make_ctx(c);
	int i = (int)(c - clients_base);
	if (connect_tls(c, ctx))
		record(0, 0, 0, 0, -1, "connect");
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&go);
	double gap = rate > 0 ? 1e3 * nclients / rate : 0;
	double due = t_start + gap * i / nclients;
	for (;; due += gap) {
		double t0 = now_ms();
		if (rate > 0) {
			if (due >= t_end)
				break;
			if (due > t0)
				sleep_until(due);
			t0 = now_ms();
		} else if (t0 >= t_end) {
			break;
		}
		if (!c->ssl && connect_tls(c, ctx)) {
			record(0, 0, 0, 0, -1, "connect");
			continue;
		}
		int r = (int)(rand_r(&c->seed) % (unsigned)c->total_weight), k = 0;
		while (r >= c->ops[k].weight)
			r -= c->ops[k++].weight;
		op *o = &c->ops[k];
		int turn = o->toggle ? o->turn : 0, closed;
		int status = exchange(c, o->req[turn], o->len[turn], &closed);
		double t1 = now_ms();
		int ok = status >= 200 && status < 400;
		record(o->label[turn], t1 - (rate > 0 ? due : t0), t1 - t0, ok,
		       status, o->req[turn]);
		if (o->toggle && ok)
			o->turn ^= 1;
		if (status < 0 || closed)
			disconnect(c);
	}
	disconnect(c);
	SSL_CTX_free(ctx);
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(const label *l, double p)
{
	if (!l->n)
		return 0;
	size_t i = (size_t)(p * (double)(l->n - 1) + 0.5);
	return l->ms[i];
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--rate")) {
		rate = atof(argv[2]);
		if (rate <= 0) {
			fprintf(stderr, "serve-load: --rate takes requests per second\n");
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: serve-load [--rate R] PORT SECONDS CA.pem "
		        "CLIENT-FILE...\n");
		return 2;
	}
	port = atoi(argv[1]);
	seconds = atoi(argv[2]);
	ca_file = argv[3];
	int n = nclients = argc - 4;
	client *cs = clients_base = calloc((size_t)n, sizeof *cs);
	if (!cs)
		die("calloc");
	label_of("connect");
	for (int i = 0; i < n; i++) {
		load_client(&cs[i], argv[4 + i]);
		cs[i].seed = 12345u + (unsigned)i;
	}
	if (pthread_barrier_init(&ready, NULL, (unsigned)n + 1) ||
	    pthread_barrier_init(&go, NULL, (unsigned)n + 1))
		die("pthread_barrier_init");
	for (int i = 0; i < n; i++)
		if (pthread_create(&cs[i].th, NULL, run, &cs[i]))
			die("pthread_create");
	pthread_barrier_wait(&ready);     /* every client connected */
	t_start = now_ms();
	t_end = t_start + 1e3 * seconds;
	pthread_barrier_wait(&go);
	for (int i = 0; i < n; i++)
		pthread_join(cs[i].th, NULL);
	double wall = (now_ms() - t_start) / 1e3;
	long total = 0, errors = 0;
	printf("{\"clients\": %d, \"seconds\": %.2f, \"rate\": %.1f, \"labels\": {",
	       n, wall, rate);
	for (int i = 0, first = 1; i < nlabels; i++) {
		label *l = &labels[i];
		if (!l->count)
			continue;
		qsort(l->ms, l->n, sizeof *l->ms, cmp_d);
		qsort(svc[i].ms, svc[i].n, sizeof *svc[i].ms, cmp_d);
		printf("%s\n  \"%s\": {\"count\": %ld, \"errors\": %ld, \"per_s\": %.1f, "
		       "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, "
		       "\"svc_p50_ms\": %.2f, \"svc_p99_ms\": %.2f}", first ? "" : ",",
		       l->name, l->count, l->errors, (double)l->count / wall, pct(l, 0.5),
		       pct(l, 0.99), pct(l, 1.0), pct(&svc[i], 0.5), pct(&svc[i], 0.99));
		first = 0;
		total += l->count;
		errors += l->errors;
	}
	printf("},\n \"requests\": %ld, \"errors\": %ld, \"per_s\": %.1f}\n", total, errors,
	       (double)total / wall);
	return errors ? 1 : 0;
}
