/*
 * trustcomment.c — Steg's claims in a trusted comment (trustcomment.h).
 * The grammar, which st_claims_format writes and st_claims_parse reads:
 *
 *   comment   = "steg" SP "kind=bundle" SP publisher SP id SP version
 *               SP expires
 *             / "steg" SP "kind=index" SP publisher SP sequence SP expires
 *             / "steg" SP "kind=checkpoint" SP publisher SP sequence
 *               SP head SP time
 *   head      = "head=" 64(DIGIT / %x61-66)       ; lower-case hex
 *   time      = "time=" YYYY "-" MM "-" DD "T" hh ":" mm ":" ss "Z"
 *   publisher = "publisher=" "SE" 10DIGIT "-" 1*19(ALPHA / DIGIT)
 *               ; an HSA-id (core/vocab.h)
 *   id        = "id=" 1*127(lower / DIGIT / "." / "-")
 *               ; a program id: a slug (st_is_slug)
 *   version   = "version=" DIGIT *62(ALPHA / DIGIT / "." / "-" / "+")
 *               ; a semantic version (st_semver_parse)
 *   sequence  = "sequence=" %x31-39 *17DIGIT
 *   expires   = "expires=" YYYY "-" MM "-" DD "T" hh ":" mm ":" ss "Z"
 */
#include "trustcomment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vocab.h"

static int all_of(const char *s, size_t n, const char *set, int lower,
                  int upper, int digit)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((lower && c >= 'a' && c <= 'z') ||
		    (upper && c >= 'A' && c <= 'Z') ||
		    (digit && c >= '0' && c <= '9') || (c && strchr(set, c)))
			continue;
		return 0;
	}
	return 1;
}

/* s is NUL-terminated at n. */
static int ok_publisher(const char *s, size_t n)
{
	return n <= ST_HSA_ID_MAX && st_is_hsa_id(s);
}

/* s is NUL-terminated at n: a program id (a slug, core/model.h). */
static int ok_id(const char *s, size_t n)
{
	return n <= 127 && st_is_slug(s);
}

static int ok_head(const char *s, size_t n)
{
	return n == 64 && all_of(s, n, "abcdef", 0, 0, 1);
}

/* s is NUL-terminated at n: a semantic version (core/model.h). */
static int ok_version(const char *s, size_t n)
{
	return n <= 63 && st_semver_parse(s, NULL, NULL, NULL) == 0;
}

int st_claims_format(char *out, size_t cap, const st_sig_claims *c)
{
	char exp[21];
	int n;
	if (!ok_publisher(c->publisher, strlen(c->publisher)))
		return ST_ERR;
	if (!strcmp(c->kind, "checkpoint")) {
		if (c->sequence < 1 || c->sequence > 999999999999999999LL ||
		    !ok_head(c->head, strlen(c->head)) || c->time <= 0)
			return ST_ERR;
		st_time_format(exp, c->time);
		n = snprintf(out, cap, "steg kind=checkpoint publisher=%s "
		             "sequence=%lld head=%s time=%s", c->publisher,
		             c->sequence, c->head, exp);
		return n < 0 || (size_t)n >= cap ? ST_ERR : ST_OK;
	}
	if (!c->expires)
		return ST_ERR;
	st_time_format(exp, c->expires);
	if (!strcmp(c->kind, "bundle")) {
		if (!ok_id(c->id, strlen(c->id)) ||
		    !ok_version(c->version, strlen(c->version)))
			return ST_ERR;
		n = snprintf(out, cap, "steg kind=bundle publisher=%s id=%s "
		             "version=%s expires=%s", c->publisher, c->id,
		             c->version, exp);
	} else if (!strcmp(c->kind, "index")) {
		if (c->sequence < 1 || c->sequence > 999999999999999999LL)
			return ST_ERR;
		n = snprintf(out, cap, "steg kind=index publisher=%s "
		             "sequence=%lld expires=%s", c->publisher,
		             c->sequence, exp);
	} else {
		return ST_ERR;
	}
	if (n < 0 || (size_t)n >= cap)
		return ST_ERR;
	return ST_OK;
}

/* The fields of a kind of comment in their order, "kind" first. */
static const char *const bundle_f[] =
	{ "kind", "publisher", "id", "version", "expires", NULL };
static const char *const index_f[] =
	{ "kind", "publisher", "sequence", "expires", NULL };
static const char *const checkpoint_f[] =
	{ "kind", "publisher", "sequence", "head", "time", NULL };

/* Store field name's value val (vl bytes) in out; -1 when the value does
 * not fit the field's pattern. */
static int set_field(st_sig_claims *out, const char *name, const char *val,
                     size_t vl)
{
	if (!strcmp(name, "publisher")) {
		if (!ok_publisher(val, vl))
			return -1;
		memcpy(out->publisher, val, vl + 1);
	} else if (!strcmp(name, "id")) {
		if (!ok_id(val, vl))
			return -1;
		memcpy(out->id, val, vl + 1);
	} else if (!strcmp(name, "version")) {
		if (!ok_version(val, vl))
			return -1;
		memcpy(out->version, val, vl + 1);
	} else if (!strcmp(name, "sequence")) {
		if (vl < 1 || vl > 18 || val[0] == '0' ||
		    !all_of(val, vl, "", 0, 0, 1))
			return -1;
		out->sequence = strtoll(val, NULL, 10);
	} else if (!strcmp(name, "expires")) {
		if (st_time_parse(&out->expires, val) != 0)
			return -1;
	} else if (!strcmp(name, "head")) {
		if (!ok_head(val, vl))
			return -1;
		memcpy(out->head, val, vl + 1);
	} else if (!strcmp(name, "time")) {
		if (st_time_parse(&out->time, val) != 0)
			return -1;
	}
	return 0;
}

/* The first field, kind=VALUE: its field list, with out->kind set; NULL
 * after a reason in why. */
static const char *const *kind_fields(st_sig_claims *out, const char *name,
                                      const char *val, char *why,
                                      size_t whylen)
{
	const char *const *order;
	if (strcmp(name, "kind")) {
		snprintf(why, whylen, "the first field must be 'kind', not '%s'",
		         name);
		return NULL;
	}
	if (!strcmp(val, "bundle"))
		order = bundle_f;
	else if (!strcmp(val, "index"))
		order = index_f;
	else if (!strcmp(val, "checkpoint"))
		order = checkpoint_f;
	else {
		snprintf(why, whylen, "unknown kind '%s'", val);
		return NULL;
	}
	strcpy(out->kind, order == bundle_f ? "bundle" :
	       order == index_f ? "index" : "checkpoint");
	return order;
}

/* Field nf (after kind) must be order[nf]: the reason when it is not. */
static int field_in_place(const char *const *order, int nf, const char *name,
                          char *why, size_t whylen)
{
	if (!order[nf]) {
		snprintf(why, whylen, "unexpected field '%s' after '%s'", name,
		         order[nf - 1]);
		return 0;
	}
	if (strcmp(name, order[nf])) {
		int known = 0;
		for (int i = 0; order[i]; i++)
			known |= !strcmp(order[i], name);
		if (known)
			snprintf(why, whylen, "field '%s' is out of place or "
			         "repeated; expected '%s'", name, order[nf]);
		else
			snprintf(why, whylen, "unknown field '%s' (expected "
			         "'%s')", name, order[nf]);
		return 0;
	}
	return 1;
}

int st_claims_parse(st_sig_claims *out, const char *text, size_t len,
                    char *why, size_t whylen)
{
	const char *const *order = NULL;
	const char *p = text, *end = text + len;
	int nf = 0;

	memset(out, 0, sizeof *out);
	if (memchr(text, 0, len)) {
		snprintf(why, whylen, "it contains a NUL byte");
		return ST_ERR;
	}
	if (len < 5 || memcmp(text, "steg ", 5)) {
		snprintf(why, whylen, "it does not start with 'steg '");
		return ST_ERR;
	}
	p += 5;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *fe = sp ? sp : end;
		const char *eq = memchr(p, '=', (size_t)(fe - p));
		size_t nl, vl;
		char name[16], val[128];
		if (fe == p) {
			snprintf(why, whylen, "fields are separated by one space");
			return ST_ERR;
		}
		if (!eq || eq == p) {
			snprintf(why, whylen, "'%.*s' is not NAME=VALUE",
			         (int)(fe - p > 40 ? 40 : fe - p), p);
			return ST_ERR;
		}
		nl = (size_t)(eq - p);
		vl = (size_t)(fe - eq - 1);
		if (nl >= sizeof name || vl >= sizeof val) {
			snprintf(why, whylen, "field '%.*s' is too long",
			         (int)(nl > 20 ? 20 : nl), p);
			return ST_ERR;
		}
		memcpy(name, p, nl);
		name[nl] = 0;
		memcpy(val, eq + 1, vl);
		val[vl] = 0;
		if (nf == 0) {
			order = kind_fields(out, name, val, why, whylen);
			if (!order)
				return ST_ERR;
		} else {
			if (!field_in_place(order, nf, name, why, whylen))
				return ST_ERR;
			if (set_field(out, name, val, vl) != 0) {
				snprintf(why, whylen, "bad value '%.40s' for '%s'",
				         val, name);
				return ST_ERR;
			}
		}
		nf++;
		if (sp) {
			p = sp + 1;
			if (p == end) {
				snprintf(why, whylen, "it ends with a space");
				return ST_ERR;
			}
		} else {
			p = end;
		}
	}
	if (!order || order[nf]) {
		snprintf(why, whylen, "field '%s' is missing",
		         order ? order[nf] : "kind");
		return ST_ERR;
	}
	return ST_OK;
}
