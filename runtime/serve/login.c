/*
 * login.c — a request's user: the client certificate (tls.h) names an
 * HSA-id, who must be an active user of the registry.  Every refusal is
 * answered 403 and written to the audit log as action "login", outcome
 * "refused", as the command line writes its refusals (docs/serve.md).
 */
#include <stdio.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>
#include "serve.h"
#include "words.h"

int sv_open(sv_req *rq, rt_reg **r, int *ret)
{
	if (rt_reg_open(r, rq->srv->db, 0) == ST_OK)
		return 0;
	*ret = sv_send_problem(rq, 503, sv_w(SV_W_ERROR), rt_reg_errmsg(*r));
	rt_reg_close(*r);
	*r = NULL;
	return -1;
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

/* Audit the refusal (action "login") and answer 403.  A certificate that
 * did not verify names nobody: the row's actor is empty and its object
 * the certificate's subject; a verified one names its HSA-id as both. */
static int refuse(sv_req *rq, rt_reg *r, const char *why)
{
	rt_actor a;
	char addr[64];
	int trusted = rq->peer.status == SV_PEER_OK;
	const char *object = trusted ? rq->peer.hsa : rq->peer.subject;

	peer_addr(rq, addr, sizeof addr);
	if (trusted)
		rt_actor_lookup(r, &a, rq->peer.hsa);
	rt_refuse(r, trusted ? &a : NULL, NULL, "login", object,
	          "%s (from %s%s%s)", why,
	          addr[0] ? addr : "an unknown address",
	          rq->peer.fingerprint[0] ? ", certificate sha256 " : "",
	          rq->peer.fingerprint);
	memset(&rq->who, 0, sizeof rq->who);
	return sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN), why);
}

int sv_login(sv_req *rq, int *ret)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		rq->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	rt_reg *r = NULL;
	char why[300];

	sv_tls_peer(rq->srv->tls, ci ? ci->tls_session : NULL, &rq->peer);
	if (sv_open(rq, &r, ret))
		return 0;
	if (rq->peer.status != SV_PEER_OK) {
		*ret = refuse(rq, r, rq->peer.why);
		rt_reg_close(r);
		return 0;
	}
	rt_actor_lookup(r, &rq->who, rq->peer.hsa);
	if (!rq->who.known || !rq->who.active) {
		snprintf(why, sizeof why, !rq->who.known ?
		         "'%s' is not a user of this registry; an admin adds "
		         "users" : "user '%s' is deactivated and can do nothing",
		         rq->peer.hsa);
		*ret = refuse(rq, r, why);
		rt_reg_close(r);
		return 0;
	}
	rt_reg_close(r);
	sv_csrf_token(rq->srv, rq->peer.fingerprint, rq->token);
	return 1;
}
