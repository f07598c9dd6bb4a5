/*
 * http.c — answers to a request: the security headers every response
 * carries, HTML, JSON and problem+json, the access log, form fields.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "xmlsafe.h"
#include "http.h"
#include "words.h"

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

const char *sv_query(sv_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

const char *sv_header(sv_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

void sv_esc(st_buf *b, const char *s)
{
	st_xml_add_text(b, s ? s : "");
}

void sv_esc_attr(st_buf *b, const char *s)
{
	st_xml_add_attr(b, s ? s : "");
}

void sv_escf(st_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			sv_esc(b, va_arg(ap, const char *));
			p++;
		} else if (p[0] == '%' && p[1] == 'd') {
			st_buf_printf(b, "%d", va_arg(ap, int));
			p++;
		} else {
			st_buf_addc(b, *p);
		}
	}
	va_end(ap);
}

void sv_page_begin(st_buf *b, sv_req *rq, const char *title)
{
	st_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"sv\"><head>"
	            "<meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, "
	            "initial-scale=1\"><link rel=\"icon\" href=\"data:,\">"
	            "<title>");
	sv_escf(b, "%s – Steg", title);
	st_buf_adds(b, "</title><link rel=\"stylesheet\" href=\"/assets/serve.css"
	            "\"></head>\n<body><header class=\"top\"><a href=\"/\" "
	            "class=\"brand\">Steg</a>");
	if (rq->who.known) {
		st_buf_adds(b, "<nav aria-label=\"");
		sv_esc_attr(b, sv_w(SV_W_MENU));
		st_buf_adds(b, "\"><ul>");
		sv_escf(b, "<li><a href=\"/\">%s</a></li>", sv_w(SV_W_PROGRAMS));
		if (!strcmp(rq->who.role, "publisher") ||
		    !strcmp(rq->who.role, "admin"))
			sv_escf(b, "<li><a href=\"/versions\">%s</a></li>"
			        "<li><a href=\"/channels\">%s</a></li>",
			        sv_w(SV_W_VERSIONS), sv_w(SV_W_CHANNELS));
		if (!strcmp(rq->who.role, "admin"))
			sv_escf(b, "<li><a href=\"/users\">%s</a></li>"
			        "<li><a href=\"/trust\">%s</a></li>"
			        "<li><a href=\"/audit\">%s</a></li>",
			        sv_w(SV_W_USERS), sv_w(SV_W_TRUSTED_KEYS),
			        sv_w(SV_W_AUDIT));
		st_buf_adds(b, "</ul></nav><p class=\"who\">");
		sv_escf(b, "%s (%s, %s)", rq->who.name, rq->who.hsa,
		        sv_role_word(rq->who.role));
		st_buf_adds(b, "</p>");
	}
	st_buf_adds(b, "</header>\n<main>");
}

void sv_page_end(st_buf *b)
{
	st_buf_adds(b, "</main></body></html>\n");
}

static void free_buf(void *p)
{
	free(p);
}

int sv_send(sv_req *rq, int status, const char *type, st_buf *body)
{
	size_t len = 0;
	char *data = st_buf_detach(body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
		len, data, free_buf);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "Strict-Transport-Security",
	                        "max-age=31536000");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* same-origin, not no-referrer: under no-referrer a browser sends
	 * "Origin: null" with the pages' own form posts, which csrf.c must
	 * then refuse; same-origin still tells no other site anything. */
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	rq->status = status;
	rq->bytes = len;
	int ret = MHD_queue_response(rq->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

int sv_send_html(sv_req *rq, int status, st_buf *body)
{
	return sv_send(rq, status, "text/html; charset=utf-8", body);
}

int sv_send_json(sv_req *rq, int status, json_t *v)
{
	st_buf b;
	char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
	json_decref(v);
	st_buf_init(&b);
	if (!s)
		return MHD_NO;
	st_buf_adds(&b, s);
	st_buf_addc(&b, '\n');
	free(s);
	return sv_send(rq, status, "application/json", &b);
}

/* A problem's stable type (RFC 9457 "type", docs/openapi.yaml) and the
 * sentence a person reads above the reason, by status. */
static const struct {
	int status;
	const char *type;
	sv_word lead;
} problems[] = {
	{ 400, "urn:steg:problem:bad-request", SV_W_LEAD_400 },
	{ 403, "urn:steg:problem:forbidden", SV_W_LEAD_403 },
	{ 404, "urn:steg:problem:not-found", SV_W_LEAD_404 },
	{ 405, "urn:steg:problem:method-not-allowed", SV_W_LEAD_400 },
	{ 409, "urn:steg:problem:conflict", SV_W_LEAD_409 },
	{ 413, "urn:steg:problem:too-large", SV_W_LEAD_413 },
	{ 415, "urn:steg:problem:unsupported-media-type", SV_W_LEAD_400 },
	{ 422, "urn:steg:problem:bundle-refused", SV_W_LEAD_422 },
	{ 503, "urn:steg:problem:unavailable", SV_W_LEAD_500 },
};

static size_t problem_of(int status)
{
	size_t i;
	for (i = 0; i < sizeof problems / sizeof *problems; i++)
		if (problems[i].status == status)
			return i;
	return i;                    /* none: 500 and the rest */
}

/* sv_send_problem_why, and on a page a link back (NULL: none). */
static int problem(sv_req *rq, int status, const char *title,
                   const char *detail, const char *reason,
                   const char *detail_en, const char *back)
{
	size_t k = problem_of(status);
	int known = k < sizeof problems / sizeof *problems;
	st_buf b;
	st_buf_init(&b);
	/* the server's own failures go to its log too, for whoever runs it:
	 * in English when there is an English cause (as the CLI says it) */
	if (status >= 500 && (detail_en || detail))
		snprintf(rq->error, sizeof rq->error, "%s",
		         detail_en ? detail_en : detail);
	if (!strncmp(rq->path, "/api/", 5)) {
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string(known ?
		                    problems[k].type : "urn:steg:problem:internal"));
		json_object_set_new(o, "title", st_json_str(title));
		json_object_set_new(o, "status", json_integer(status));
		if (detail)
			json_object_set_new(o, "detail", st_json_str(detail));
		if (reason)
			json_object_set_new(o, "reason", st_json_str(reason));
		if (detail_en)
			json_object_set_new(o, "detail_en", st_json_str(detail_en));
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		json_decref(o);
		if (!s)
			return MHD_NO;
		st_buf_adds(&b, s);
		st_buf_addc(&b, '\n');
		free(s);
		return sv_send(rq, status, "application/problem+json", &b);
	}
	sv_page_begin(&b, rq, title);
	sv_escf(&b, "<h1>%s</h1><p class=\"lead\">%s</p>", title,
	        sv_w(known ? problems[k].lead : SV_W_LEAD_500));
	if (detail)
		sv_escf(&b, "<p class=\"detail\"><strong>%s</strong> %s</p>",
		        sv_w(SV_W_REASON), detail);
	if (back) {
		st_buf_adds(&b, "<p><a href=\"");
		sv_esc_attr(&b, back);
		sv_escf(&b, "\">%s</a></p>", sv_w(SV_W_BACK));
	}
	sv_page_end(&b);
	return sv_send_html(rq, status, &b);
}

int sv_send_problem_why(sv_req *rq, int status, const char *title,
                        const char *detail, const char *reason,
                        const char *detail_en)
{
	return problem(rq, status, title, detail, reason, detail_en, NULL);
}

int sv_send_problem(sv_req *rq, int status, const char *title,
                    const char *detail)
{
	return sv_send_problem_why(rq, status, title, detail, NULL, NULL);
}

void sv_reason(struct rt_reg *r, char *out, size_t cap)
{
	if (sv_why_words(out, cap, rt_reg_why(r)))
		snprintf(out, cap, "%s", rt_reg_errmsg(r));
}

int sv_send_refusal(sv_req *rq, int status, const char *title,
                    struct rt_reg *r, const char *findings, const char *back)
{
	const rt_why *w = rt_reg_why(r);
	char why[2048];
	st_buf d;
	int ret;

	sv_reason(r, why, sizeof why);
	st_buf_init(&d);
	st_buf_adds(&d, findings ? findings : "");
	st_buf_adds(&d, why);
	ret = problem(rq, status, title, d.data, rt_why_name(w->code),
	              rt_reg_errmsg(r), back);
	st_buf_release(&d);
	return ret;
}

int sv_redirect(sv_req *rq, const char *location)
{
	st_buf b;
	st_buf_init(&b);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Location", location);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Strict-Transport-Security",
	                        "max-age=31536000");
	rq->status = 303;
	int ret = MHD_queue_response(rq->conn, 303, r);
	MHD_destroy_response(r);
	st_buf_release(&b);
	return ret;
}

int sv_send_static(sv_req *rq, const void *data, size_t len,
                   const char *type)
{
	st_buf b;
	st_buf_init(&b);
	st_buf_add(&b, data, len);
	return sv_send(rq, 200, type, &b);
}

/* A value for a key=value log line: bare when it is plain, else quoted
 * with the escaper's rules (one line, nothing that steers a terminal). */
static void log_value(st_buf *b, const char *s)
{
	size_t n = strlen(s ? s : "");
	int plain = n > 0;
	for (size_t i = 0; i < n && plain; i++)
		plain = s[i] > ' ' && s[i] < 0x7f && s[i] != '"' && s[i] != '\\';
	if (plain) {
		st_buf_adds(b, s);
		return;
	}
	st_buf e;
	st_buf_init(&e);
	st_buf_add_escaped(&e, s ? s : "", n);
	st_buf_addc(b, '"');
	for (size_t i = 0; i < e.len; i++)
		if (e.data[i] == '"')
			st_buf_adds(b, "\\\"");
		else
			st_buf_addc(b, e.data[i]);
	st_buf_addc(b, '"');
	st_buf_release(&e);
}

void sv_access_log(const sv_req *rq, double ms)
{
	char now[32];
	st_buf b;
	rt_now(now);
	st_buf_init(&b);
	st_buf_printf(&b, "time=%s hsa=", now);
	log_value(&b, rq->peer.hsa[0] ? rq->peer.hsa : "-");
	st_buf_adds(&b, " method=");
	log_value(&b, rq->method);
	st_buf_adds(&b, " path=");
	log_value(&b, rq->path);
	st_buf_printf(&b, " status=%d bytes=%zu ms=%.1f", rq->status,
	              rq->bytes, ms);
	if (rq->error[0]) {
		st_buf_adds(&b, " error=");
		log_value(&b, rq->error);
	}
	st_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, stderr);
	st_buf_release(&b);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) (%XX and +) into out; 0, or -1 when it does not fit or
 * is not valid UTF-8 without NUL. */
static int url_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		         hexval(s[i + 2]) >= 0) {
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (c == 0 || k + 1 >= cap)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return st_utf8_valid(out, k, NULL) ? 0 : -1;
}

int sv_form_field(const char *body, size_t len, const char *name,
                  char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body ? body + len : NULL;
	if (!body)
		return 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		if (eq && (size_t)(eq - p) == nl && !memcmp(p, name, nl))
			return url_decode(eq + 1, (size_t)(stop - eq - 1), out,
			                  cap) == 0;
		p = stop + 1;
	}
	return 0;
}
