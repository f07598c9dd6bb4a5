/*
 * http.h — one request to `steg serve` and the ways to answer it: HTML
 * pages in the server's one frame, JSON, problem+json (RFC 9457), every
 * answer with the same security headers, and one access-log line per
 * request on stderr.
 *
 * Every text a page shows goes through sv_esc (element content) or
 * sv_esc_attr (a double-quoted attribute): the one HTML escaper, which is
 * core's XML escaper (core/xmlsafe.h).
 *
 * Ownership: an sv_req lives on the stack of the request handler; the
 * body it points to belongs to the connection.  The sv_send* functions
 * queue the response and free what they were given.
 */
#ifndef SV_HTTP_H
#define SV_HTTP_H

#include <stddef.h>
#include <microhttpd.h>
#include "util.h"
#include "../registry.h"
#include "tls.h"

typedef struct sv_server sv_server;

typedef struct sv_req {
	sv_server *srv;
	struct MHD_Connection *conn;
	const char *method, *path;   /* path without the query */
	const char *body;            /* the request body (NUL-terminated) */
	size_t len;
	struct sv_upload *upload;    /* a bundle upload (upload.h), or NULL */
	sv_peer peer;                /* the client certificate */
	rt_actor who;                /* the user, once logged in */
	char token[65];              /* this user's CSRF token */
	int status;                  /* for the access log */
	size_t bytes;
	struct rt_reg *reg;          /* the registry, once opened (sv_open) */
	char error[300];             /* a 5xx answer's detail, for the log */
} sv_req;

/* A query-string or header value (NULL when absent). */
const char *sv_query(sv_req *rq, const char *name);
const char *sv_header(sv_req *rq, const char *name);

/* The one HTML escaper: text, and a double-quoted attribute value. */
void sv_esc(st_buf *b, const char *s);
void sv_esc_attr(st_buf *b, const char *s);
/* printf whose %s arguments are all escaped as text. */
void sv_escf(st_buf *b, const char *fmt, ...);

/* The page frame: doctype, head with the stylesheet, the header naming
 * the user and the navigation for their role, <main>.  sv_page_end
 * closes it. */
void sv_page_begin(st_buf *b, sv_req *rq, const char *title);
void sv_page_end(st_buf *b);

/* Answers.  body is taken over (released).  Return MHD_YES/MHD_NO. */
int sv_send(sv_req *rq, int status, const char *type, st_buf *body);
int sv_send_html(sv_req *rq, int status, st_buf *body);
int sv_send_json(sv_req *rq, int status, struct json_t *v); /* steals v */
/* An error: problem+json for /api/ paths, else a plain HTML page. */
int sv_send_problem(sv_req *rq, int status, const char *title,
                    const char *detail);
/* The same with, for the API alone, reason (a stable name of the rule
 * that refused) and detail_en (the English an audit row holds; for a
 * 5xx also what the access log's error= says); NULL: none. */
int sv_send_problem_why(sv_req *rq, int status, const char *title,
                        const char *detail, const char *reason,
                        const char *detail_en);
/* A refusal of the registry (an action's ST_ERR, a version that is not
 * there): the reason in Swedish when it has a code (sv_why_words), else
 * the English message, after findings (NULL: none; an import's); a page
 * ends with a link back (NULL: none) to where the user came from.  The
 * API's problem also carries `reason`, the code's stable name (when
 * coded), and `detail_en`, the English message as the command line says
 * it and the audit log holds it. */
int sv_send_refusal(sv_req *rq, int status, const char *title,
                    struct rt_reg *r, const char *findings, const char *back);
/* The reason of r's last failure for a page: Swedish when coded, else
 * the English message. */
void sv_reason(struct rt_reg *r, char *out, size_t cap);
/* 303 See Other to location (a path on this server). */
int sv_redirect(sv_req *rq, const char *location);
/* Static bytes (the stylesheet). */
int sv_send_static(sv_req *rq, const void *data, size_t len,
                   const char *type);

/* The access-log line of a finished request, on stderr:
 * time=... hsa=... method=... path=... status=... bytes=... ms=... */
void sv_access_log(const sv_req *rq, double ms);

/* One field of an application/x-www-form-urlencoded body, decoded into
 * out (cap bytes, NUL-terminated).  1 when found, 0 when absent or too
 * long or not UTF-8 text. */
int sv_form_field(const char *body, size_t len, const char *name,
                  char *out, size_t cap);

#endif
