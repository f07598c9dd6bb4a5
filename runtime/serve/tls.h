/*
 * tls.h — who is at the other end of a TLS connection: the client
 * certificate, checked against the staff CA (--client-ca) and its CRL
 * (--crl) by GnuTLS's own verifier, and the HSA-id it carries.
 *
 * The HSA-id is the value of the certificate subject's serialNumber
 * attribute (OID 2.5.4.5), as SITHS certificates carry it, and must pass
 * the project's one HSA-id rule (core/vocab.h, st_is_hsa_id).  Whether
 * that person is an active user of the registry is the caller's question
 * (login.h).
 *
 * Ownership: sv_tls owns the trust list and the PEM bytes it read; free it
 * with sv_tls_free after the web server has stopped.  Thread-safe once
 * loaded: sv_tls_peer only reads it.
 */
#ifndef SV_TLS_H
#define SV_TLS_H

#include <stddef.h>

typedef struct sv_tls sv_tls;

/* Read the server's certificate and key, the client CA and (crl may be
 * NULL) its revocation list.  0, or -1 with why[] saying which file and
 * what is wrong (the CRL must be signed by the CA). */
int sv_tls_load(sv_tls **out, const char *cert, const char *key,
                const char *client_ca, const char *crl, char why[512]);
void sv_tls_free(sv_tls *t);

/* The PEM texts the web server is started with (NUL-terminated). */
const char *sv_tls_cert_pem(const sv_tls *t);
const char *sv_tls_key_pem(const sv_tls *t);
const char *sv_tls_ca_pem(const sv_tls *t);

/* What a connection's client certificate says. */
enum {
	SV_PEER_OK = 0,
	SV_PEER_NONE,         /* no certificate was sent */
	SV_PEER_UNTRUSTED,    /* not issued by the client CA, or damaged */
	SV_PEER_EXPIRED,
	SV_PEER_NOT_YET,      /* not yet valid */
	SV_PEER_REVOKED,
	SV_PEER_NO_HSA,       /* no (or more than one) serialNumber, or one
	                         that is not an HSA-id */
};

typedef struct sv_peer {
	int status;                  /* SV_PEER_* */
	char hsa[64];                /* the serialNumber ("" when none) */
	char subject[256];           /* the subject DN, for the audit row */
	char fingerprint[65];        /* SHA-256 of the certificate (DER) */
	char why[200];               /* the refusal in words ("" when OK) */
} sv_peer;

/* Identify the peer of session (a gnutls_session_t; NULL: not TLS).
 * Fills *p; returns p->status.  Each thread keeps the verdicts of the
 * last few certificates it saw for 30 seconds (tls.c): a certificate
 * that expires is refused at most that much late. */
int sv_tls_peer(const sv_tls *t, void *session, sv_peer *p);

#endif
