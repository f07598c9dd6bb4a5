/*
 * tls.c — the client certificate: verified by GnuTLS against the client
 * CA and the CRL (a trust list of our own, so that the verdict does not
 * depend on what the web server's TLS layer was told), then its HSA-id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "util.h"
#include "vocab.h"
#include "tls.h"

#define PEM_MAX (1u << 20)      /* a certificate, key or CRL file */

struct sv_tls {
	char *cert, *key, *ca;
	gnutls_x509_trust_list_t trust;
};

static int read_pem(char **out, const char *path, const char *what,
                    char why[512])
{
	char err[256];
	size_t len;
	if (st_read_file(out, &len, path, PEM_MAX, err, sizeof err)) {
		snprintf(why, 512, "cannot read the %s '%s': %s", what, path, err);
		return -1;
	}
	if (!strstr(*out, "-----BEGIN ")) {
		snprintf(why, 512, "the %s '%s' is not in PEM form (no "
		         "'-----BEGIN' line)", what, path);
		return -1;
	}
	return 0;
}

static int load_trust(sv_tls *t, const char *client_ca, const char *crl,
                      char why[512])
{
	int n;
	if (gnutls_x509_trust_list_init(&t->trust, 0) < 0) {
		snprintf(why, 512, "out of memory");
		return -1;
	}
	n = gnutls_x509_trust_list_add_trust_file(t->trust, client_ca, NULL,
	                                          GNUTLS_X509_FMT_PEM, 0, 0);
	if (n <= 0) {
		snprintf(why, 512, "the client CA '%s' holds no certificate%s%s",
		         client_ca, n < 0 ? ": " : "",
		         n < 0 ? gnutls_strerror(n) : "");
		return -1;
	}
	if (!crl)
		return 0;
	n = gnutls_x509_trust_list_add_trust_file(t->trust, NULL, crl,
	                                          GNUTLS_X509_FMT_PEM,
	                                          GNUTLS_TL_VERIFY_CRL |
	                                          GNUTLS_TL_FAIL_ON_INVALID_CRL,
	                                          0);
	if (n <= 0) {
		snprintf(why, 512, "the CRL '%s' is %s", crl, n < 0 ?
		         "damaged or not signed by the client CA" :
		         "empty or not signed by the client CA");
		return -1;
	}
	return 0;
}

int sv_tls_load(sv_tls **out, const char *cert, const char *key,
                const char *client_ca, const char *crl, char why[512])
{
	sv_tls *t = calloc(1, sizeof *t);
	*out = NULL;
	if (!t) {
		snprintf(why, 512, "out of memory");
		return -1;
	}
	if (read_pem(&t->cert, cert, "server certificate", why) ||
	    read_pem(&t->key, key, "server key", why) ||
	    read_pem(&t->ca, client_ca, "client CA", why) ||
	    load_trust(t, client_ca, crl, why)) {
		sv_tls_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void sv_tls_free(sv_tls *t)
{
	if (!t)
		return;
	if (t->trust)
		gnutls_x509_trust_list_deinit(t->trust, 1);
	free(t->cert);
	if (t->key) {
		memset(t->key, 0, strlen(t->key));
		free(t->key);
	}
	free(t->ca);
	free(t);
}

const char *sv_tls_cert_pem(const sv_tls *t) { return t->cert; }
const char *sv_tls_key_pem(const sv_tls *t) { return t->key; }
const char *sv_tls_ca_pem(const sv_tls *t) { return t->ca; }

static int refuse(sv_peer *p, int status, const char *why)
{
	p->status = status;
	snprintf(p->why, sizeof p->why, "%s", why);
	return status;
}

/* The verifier's verdict in words, worst first: a certificate that is not
 * the CA's is that, whatever else is wrong with it. */
static int judge(sv_peer *p, unsigned v)
{
	if (v & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
	         GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_INSECURE_ALGORITHM))
		return refuse(p, SV_PEER_UNTRUSTED, "the client certificate is not "
		              "issued by the staff CA this server trusts");
	if (v & GNUTLS_CERT_REVOKED)
		return refuse(p, SV_PEER_REVOKED, "the client certificate is "
		              "revoked");
	if (v & GNUTLS_CERT_EXPIRED)
		return refuse(p, SV_PEER_EXPIRED, "the client certificate has "
		              "expired");
	if (v & GNUTLS_CERT_NOT_ACTIVATED)
		return refuse(p, SV_PEER_NOT_YET, "the client certificate is not "
		              "valid yet");
	if (v)
		return refuse(p, SV_PEER_UNTRUSTED, "the client certificate does "
		              "not verify");
	return SV_PEER_OK;
}

/* The subject's one serialNumber (2.5.4.5), which must be an HSA-id. */
static int read_hsa(sv_peer *p, gnutls_x509_crt_t crt)
{
	char buf[128];
	size_t n = sizeof buf - 1;
	int rc = gnutls_x509_crt_get_dn_by_oid(crt, "2.5.4.5", 0, 0, buf, &n);
	if (rc < 0)
		return refuse(p, SV_PEER_NO_HSA, "the client certificate's subject "
		              "has no serialNumber (the HSA-id)");
	if (n >= sizeof p->hsa || memchr(buf, 0, n))
		return refuse(p, SV_PEER_NO_HSA, "the client certificate's "
		              "serialNumber is not an HSA-id (" ST_HSA_ID_RULE ")");
	memcpy(p->hsa, buf, n);
	p->hsa[n] = '\0';
	n = sizeof buf - 1;
	if (gnutls_x509_crt_get_dn_by_oid(crt, "2.5.4.5", 1, 0, buf, &n) !=
	    GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		rc = refuse(p, SV_PEER_NO_HSA, "the client certificate's subject "
		            "has more than one serialNumber");
	else if (!st_is_hsa_id(p->hsa))
		rc = refuse(p, SV_PEER_NO_HSA, "the client certificate's "
		            "serialNumber is not an HSA-id (" ST_HSA_ID_RULE ")");
	else
		return SV_PEER_OK;
	p->hsa[0] = '\0';
	return rc;
}

#define CHAIN_MAX 8

/* The verdicts of the certificates a thread saw last, by fingerprint,
 * each kept SV_PEER_KEEP seconds: a browser's keep-alive connection sends
 * the same certificate with every request, and verifying its chain was
 * a good part of each request's cost.  The CRL is read once at start, so
 * a kept verdict is what verifying again would say, but for the clock:
 * hence the short keep. */
#define SV_PEER_KEEP 30
#define SV_PEER_SEEN 8

static _Thread_local struct {
	sv_peer p;
	time_t at;
} seen[SV_PEER_SEEN];
static _Thread_local unsigned seen_next;

static int verify(const sv_tls *t, const gnutls_datum_t *der, unsigned n,
                  sv_peer *p);

int sv_tls_peer(const sv_tls *t, void *session, sv_peer *p)
{
	const gnutls_datum_t *der;
	unsigned n = 0;
	time_t now = time(NULL);
	char fp[65];

	memset(p, 0, sizeof *p);
	der = session ? gnutls_certificate_get_peers(session, &n) : NULL;
	if (!der || n == 0)
		return refuse(p, SV_PEER_NONE, "no client certificate was sent; "
		              "this server lets in staff with their certificate "
		              "only");
	st_sha256_hex(der[0].data, der[0].size, fp);
	for (unsigned i = 0; i < SV_PEER_SEEN; i++)
		if (seen[i].at && now - seen[i].at < SV_PEER_KEEP &&
		    now >= seen[i].at && !strcmp(seen[i].p.fingerprint, fp)) {
			*p = seen[i].p;
			return p->status;
		}
	verify(t, der, n, p);
	seen[seen_next].p = *p;
	seen[seen_next].at = now;
	seen_next = (seen_next + 1) % SV_PEER_SEEN;
	return p->status;
}

static int verify(const sv_tls *t, const gnutls_datum_t *der, unsigned n,
                  sv_peer *p)
{
	unsigned verdict = 0;
	gnutls_x509_crt_t crts[CHAIN_MAX];
	unsigned ncrt = 0;
	gnutls_datum_t dn = { NULL, 0 };
	gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID,
	                                  (void *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };

	st_sha256_hex(der[0].data, der[0].size, p->fingerprint);
	if (n > CHAIN_MAX)
		n = CHAIN_MAX;
	for (; ncrt < n; ncrt++) {
		if (gnutls_x509_crt_init(&crts[ncrt]) < 0)
			break;
		if (gnutls_x509_crt_import(crts[ncrt], &der[ncrt],
		                           GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[ncrt]);
			break;
		}
	}
	if (ncrt == 0)
		return refuse(p, SV_PEER_UNTRUSTED, "the client certificate is "
		              "damaged");
	if (gnutls_x509_crt_get_dn3(crts[0], &dn, 0) >= 0) {
		snprintf(p->subject, sizeof p->subject, "%.*s", (int)dn.size,
		         (const char *)dn.data);
		st_utf8_trim(p->subject);
		gnutls_free(dn.data);
	}
	if (gnutls_x509_trust_list_verify_crt2(t->trust, crts, ncrt, &purpose,
	                                       1, 0, &verdict, NULL) < 0)
		verdict = GNUTLS_CERT_INVALID;
	if (judge(p, verdict) == SV_PEER_OK)
		read_hsa(p, crts[0]);
	for (unsigned i = 0; i < ncrt; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return p->status;
}
