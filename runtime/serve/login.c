/*
 * login.c — a request's user: the client certificate (tls.h) names an
 * HSA-id, who must be an active user of the registry.  Every refusal is
 * answered 403 and written to the audit log as action "login", outcome
 * "refused", as the command line writes its refusals (docs/serve.md).
 *
 * So that nobody can grow the audit log without bound by knocking: the
 * refusals of one certificate or peer are written once a minute, and
 * those in between are counted and named in the next row written for it
 * (or, when the table forgets it, the next refusal written at all); and
 * at most SV_LOGIN_ROWS refusal rows are written a minute in all, the
 * rest counted likewise (a stranger can make new certificates at will;
 * the overall cap bounds what they write).  A certificate is known by its
 * fingerprint; a request without one by the peer's address.  Every
 * refusal is still answered 403 and in the access log.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <netdb.h>
#include <sys/socket.h>
#include "serve.h"
#include "words.h"

/* The server's connections to the registry (RT_OPEN_SHARED: writers in
 * turn, commits grouped; registry.h).  A request takes one at its first
 * sv_open, an idle one when there is one, and the server hands it back
 * when the request is answered (sv_release): opening (and the checks of
 * rt_reg_open) would be most of what a read costs, and each connection
 * keeps its prepared statements.  At most SV_POOL connections are open;
 * a request beyond them waits for one to come back (each holds its
 * pages in memory, and more than the cores can run gain nothing). */
#define SV_POOL 64

static struct {
	pthread_mutex_t lock;
	pthread_cond_t back;
	rt_reg *idle[SV_POOL];
	int nidle, open;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0 };

int sv_open(sv_req *rq, rt_reg **r, int *ret)
{
	if ((*r = rq->reg))
		return 0;
	pthread_mutex_lock(&pool.lock);
	while (!pool.nidle && pool.open == SV_POOL)
		pthread_cond_wait(&pool.back, &pool.lock);
	if (pool.nidle)
		*r = pool.idle[--pool.nidle];
	else
		pool.open++;                /* a place for the one opened below */
	pthread_mutex_unlock(&pool.lock);
	if (!*r && rt_reg_open(r, rq->srv->db, RT_OPEN_SHARED) != ST_OK) {
		*ret = sv_send_problem(rq, 503, sv_w(SV_W_ERROR), rt_reg_errmsg(*r));
		rt_reg_close(*r);
		*r = NULL;
		pthread_mutex_lock(&pool.lock);
		pool.open--;
		pthread_cond_signal(&pool.back);
		pthread_mutex_unlock(&pool.lock);
		return -1;
	}
	rq->reg = *r;
	return 0;
}

void sv_close(rt_reg *r)
{
	if (r)
		rt_rollback(r);  /* nothing is left open for the next request */
}

void sv_release(sv_req *rq)
{
	rt_reg *r = rq->reg;
	if (!r)
		return;
	rq->reg = NULL;
	rt_rollback(r);
	/* Nothing of this request may hold a snapshot for the next one (it
	 * would read users and roles as they were): a statement a handler
	 * forgot to hand back is reset, a read transaction left open ended. */
	sqlite3 *db = rt_reg_db(r);
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st;
	     st = sqlite3_next_stmt(db, st))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&pool.lock);
	pool.idle[pool.nidle++] = r;
	pthread_cond_signal(&pool.back);
	pthread_mutex_unlock(&pool.lock);
}

void sv_pool_free(void)
{
	pthread_mutex_lock(&pool.lock);
	while (pool.nidle) {
		rt_reg_close(pool.idle[--pool.nidle]);
		pool.open--;
	}
	pthread_mutex_unlock(&pool.lock);
}

/* The client's address, numeric ("" when unknown). */
static void peer_addr(sv_req *rq, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	socklen_t len = sa->sa_family == AF_INET6 ?
	                sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (getnameinfo(sa, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST))
		out[0] = '\0';
}

#define SV_LOGIN_KEYS 512       /* certificates and peers remembered */
#define SV_LOGIN_ROWS 120       /* refusal rows a minute, in all */
#define SV_LOGIN_WINDOW 60      /* seconds */

static struct {
	pthread_mutex_t lock;
	struct {
		char key[80];
		time_t written;         /* when its last row was written */
		long long held;         /* refusals since, not written */
	} k[SV_LOGIN_KEYS];
	time_t minute;              /* the window of the overall cap */
	int rows;                   /* rows written in it */
	long long orphans;          /* held refusals of forgotten keys, and
	                               those over the cap */
} lim = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Whether to write this refusal's row: 1, with *held the refusals of the
 * same key (and forgotten ones) not written since, to be named in it;
 * 0 when it is counted instead. */
static int login_row_due(const char *key, long long *held)
{
	time_t now = time(NULL);
	size_t i, old = 0;
	int due;

	pthread_mutex_lock(&lim.lock);
	if (now - lim.minute >= SV_LOGIN_WINDOW) {
		lim.minute = now;
		lim.rows = 0;
	}
	for (i = 0; i < SV_LOGIN_KEYS && strcmp(lim.k[i].key, key); i++)
		if (lim.k[i].written < lim.k[old].written)
			old = i;
	if (i == SV_LOGIN_KEYS) {           /* new: take the stalest slot */
		i = old;
		lim.orphans += lim.k[i].held;
		snprintf(lim.k[i].key, sizeof lim.k[i].key, "%s", key);
		lim.k[i].written = 0;
		lim.k[i].held = 0;
	}
	due = now - lim.k[i].written >= SV_LOGIN_WINDOW &&
	      lim.rows < SV_LOGIN_ROWS;
	if (due) {
		*held = lim.k[i].held + lim.orphans;
		lim.k[i].held = 0;
		lim.orphans = 0;
		lim.k[i].written = now;
		lim.rows++;
	} else if (now - lim.k[i].written >= SV_LOGIN_WINDOW) {
		lim.orphans++;                  /* over the overall cap */
	} else {
		lim.k[i].held++;
	}
	pthread_mutex_unlock(&lim.lock);
	return due;
}

/* Audit the refusal (action "login", the English why) and answer 403
 * with the Swedish sv (and, to the API, reason and why as detail_en).  A
 * certificate that did not verify names nobody: the row's actor is empty
 * and its object the certificate's subject; a verified one names its
 * HSA-id as both. */
static int refuse(sv_req *rq, rt_reg *r, const char *why, const char *sv,
                  const char *reason)
{
	rt_actor a;
	char addr[64];
	int trusted = rq->peer.status == SV_PEER_OK;
	const char *object = trusted ? rq->peer.hsa : rq->peer.subject;

	char key[80], more[160] = "";
	long long held = 0;

	peer_addr(rq, addr, sizeof addr);
	snprintf(key, sizeof key, "%s:%s", rq->peer.fingerprint[0] ? "cert" :
	         "peer", rq->peer.fingerprint[0] ? rq->peer.fingerprint : addr);
	if (login_row_due(key, &held)) {
		if (held)
			snprintf(more, sizeof more, "; %lld more refused logins since "
			         "the last row for this certificate or address (or "
			         "over the limit) were counted, not written", held);
		if (trusted)
			rt_actor_lookup(r, &a, rq->peer.hsa);
		rt_refuse(r, trusted ? &a : NULL, NULL, "login", object,
		          "%s (from %s%s%s)%s", why,
		          addr[0] ? addr : "an unknown address",
		          rq->peer.fingerprint[0] ? ", certificate sha256 " : "",
		          rq->peer.fingerprint, more);
	}
	memset(&rq->who, 0, sizeof rq->who);
	return sv_send_problem_why(rq, 403, sv_w(SV_W_FORBIDDEN), sv, reason,
	                           why);
}

/* A certificate's verdict: its Swedish words and the API's reason. */
static const struct {
	int status;
	sv_word word;
	const char *reason;
} verdicts[] = {
	{ SV_PEER_NONE, SV_W_LOGIN_NONE, "no-certificate" },
	{ SV_PEER_EXPIRED, SV_W_LOGIN_EXPIRED, "certificate-expired" },
	{ SV_PEER_NOT_YET, SV_W_LOGIN_NOT_YET, "certificate-not-yet-valid" },
	{ SV_PEER_REVOKED, SV_W_LOGIN_REVOKED, "certificate-revoked" },
	{ SV_PEER_NO_HSA, SV_W_LOGIN_NO_HSA, "certificate-without-hsa-id" },
	{ SV_PEER_UNTRUSTED, SV_W_LOGIN_UNTRUSTED, "certificate-untrusted" },
};

static size_t verdict(int status)
{
	size_t i;
	for (i = 0; i + 1 < sizeof verdicts / sizeof *verdicts; i++)
		if (verdicts[i].status == status)
			break;
	return i;                   /* the last: untrusted */
}

int sv_login(sv_req *rq, int *ret)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		rq->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	rt_reg *r = NULL;
	char why[300], sv[400];

	sv_tls_peer(rq->srv->tls, ci ? ci->tls_session : NULL, &rq->peer);
	if (sv_open(rq, &r, ret))
		return 0;
	if (rq->peer.status != SV_PEER_OK) {
		size_t v = verdict(rq->peer.status);
		*ret = refuse(rq, r, rq->peer.why, sv_w(verdicts[v].word),
		              verdicts[v].reason);
		sv_close(r);
		return 0;
	}
	rt_actor_lookup(r, &rq->who, rq->peer.hsa);
	if (!rq->who.known || !rq->who.active) {
		snprintf(why, sizeof why, !rq->who.known ?
		         "'%s' is not a user of this registry; an admin adds "
		         "users" : "user '%s' is deactivated and can do nothing",
		         rq->peer.hsa);
		snprintf(sv, sizeof sv, sv_w(!rq->who.known ? SV_W_LOGIN_UNKNOWN :
		         SV_W_LOGIN_DEACTIVATED), rq->peer.hsa);
		*ret = refuse(rq, r, why, sv, !rq->who.known ? "unknown-actor" :
		              "actor-deactivated");
		sv_close(r);
		return 0;
	}
	sv_close(r);
	sv_csrf_token(rq->srv, rq->peer.fingerprint, rq->token);
	return 1;
}
