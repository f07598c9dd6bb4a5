/*
 * csrf.c — a browser sends the client certificate to this server with
 * every request, whoever's page asked for it; so a state change is taken
 * only from this server's own pages: Sec-Fetch-Site (when the browser
 * sends it) must be same-origin, Origin (when sent) this server, and the
 * request must carry the user's token — an HMAC of their certificate's
 * fingerprint under a key this process drew at start, which another site
 * cannot read or compute.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "serve.h"

void sv_csrf_token(const sv_server *s, const char *fingerprint,
                   char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)fingerprint,
	                       strlen(fingerprint), s->csrf_key);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

int sv_csrf_check(sv_req *rq, const char *token, char arg[100])
{
	const char *site = sv_header(rq, "Sec-Fetch-Site");
	const char *origin = sv_header(rq, "Origin");
	const char *host = sv_header(rq, "Host");
	char self[300];

	arg[0] = '\0';
	if (site && strcmp(site, "same-origin")) {
		snprintf(arg, 100, "%.60s", site);
		return RT_WHY_CSRF_SITE;
	}
	snprintf(self, sizeof self, "https://%s", host ? host : "");
	if (origin && (!host || strcmp(origin, self))) {
		snprintf(arg, 100, "%.80s", origin);
		return RT_WHY_CSRF_ORIGIN;
	}
	if (!token || strlen(token) != 64 ||
	    sodium_memcmp(token, rq->token, 64))
		return RT_WHY_CSRF_TOKEN;
	return 0;
}
