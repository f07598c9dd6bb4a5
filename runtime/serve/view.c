/*
 * view.c — a stored version as its patient meets it, read-only:
 * /view/ID@VERSION/... served by the preview's renderer (render/render.h)
 * from the bundle the registry holds, checked as `steg import` checks it
 * (the stored bytes against their SHA-256, the bundle reader, the program
 * checker).  Forms can be tried: their answers are scored and shown, and
 * nothing is stored.  A clinician sees the versions published to or
 * active at their unit; publishers and admins every version.
 *
 * Opened bundles are kept (SV_VIEW_CACHE of them, the least recently used
 * goes), shared by the threads: the program is only read, and the bundle
 * is read (media) under its own lock.  A version never changes, so a kept
 * one is never stale.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "check.h"
#include "diag.h"
#include "media.h"
#include "render.h"
#include "../db.h"
#include "../actions.h"
#include "serve.h"
#include "pages.h"
#include "words.h"
#include "view.h"

#define SV_VIEW_CACHE 16

struct vprog {
	char key[240];              /* ID@VERSION */
	st_bundle *bundle;
	st_arena *a;
	st_program *p;
	pthread_mutex_t lock;       /* the bundle's reader */
	int refs;                   /* the cache's and the requests' */
	unsigned long used;
};

static struct {
	pthread_mutex_t lock;
	vprog *v[SV_VIEW_CACHE];
	unsigned long tick;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

void sv_vprog_unref(vprog *vp)
{
	int last;
	if (!vp)
		return;
	pthread_mutex_lock(&cache.lock);
	last = --vp->refs == 0;
	pthread_mutex_unlock(&cache.lock);
	if (!last)
		return;
	st_bundle_free(vp->bundle);
	st_arena_free(vp->a);
	pthread_mutex_destroy(&vp->lock);
	free(vp);
}

/* Open id@version from the registry.  0, or -1 with why. */
static int vprog_load(rt_reg *r, const char *id, const char *version,
                      vprog **out, char *why, size_t cap)
{
	char *path = NULL;
	st_diags *d = st_diags_new();
	vprog *vp = calloc(1, sizeof *vp);
	int rc = -1;

	*out = NULL;
	if (!vp || !d) {
		snprintf(why, cap, "out of memory");
		goto done;
	}
	pthread_mutex_init(&vp->lock, NULL);
	vp->refs = 1;
	snprintf(vp->key, sizeof vp->key, "%s@%s", id, version);
	if (rt_bundle_extract(r, id, version, &path)) {
		snprintf(why, cap, "%s", rt_reg_errmsg(r));
		goto done;
	}
	vp->a = st_arena_new();
	if (st_bundle_open(&vp->bundle, d, path) != ST_OK ||
	    !(vp->p = (st_program *)st_bundle_program(vp->bundle)) ||
	    st_check_program(vp->a, d, vp->p) > 0 || st_diags_errors(d)) {
		snprintf(why, cap, "the stored bundle of %s does not open or "
		         "check; see 'steg show %s'", vp->key, vp->key);
		goto done;
	}
	rc = 0;
done:
	if (path) {
		unlink(path);
		free(path);
	}
	st_diags_free(d);
	if (rc)
		sv_vprog_unref(vp);
	else
		*out = vp;
	return rc;
}

/* id@version from the cache, or loaded into it; a reference the caller
 * gives back with vprog_unref. */
int sv_vprog_get(rt_reg *r, const char *id, const char *version,
                     vprog **out, char *why, size_t cap)
{
	char key[240];
	vprog *vp = NULL;
	size_t i, old = 0;

	snprintf(key, sizeof key, "%s@%s", id, version);
	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < SV_VIEW_CACHE; i++)
		if (cache.v[i] && !strcmp(cache.v[i]->key, key)) {
			vp = cache.v[i];
			vp->refs++;
			vp->used = ++cache.tick;
			break;
		}
	pthread_mutex_unlock(&cache.lock);
	if (vp) {
		*out = vp;
		return 0;
	}
	if (vprog_load(r, id, version, &vp, why, cap))
		return -1;
	pthread_mutex_lock(&cache.lock);
	for (i = 0; i < SV_VIEW_CACHE; i++) {
		if (!cache.v[i]) {
			old = i;
			break;
		}
		if (cache.v[i]->used < cache.v[old]->used)
			old = i;
	}
	vprog *gone = cache.v[old];
	cache.v[old] = vp;
	vp->refs++;                  /* the cache's */
	vp->used = ++cache.tick;
	pthread_mutex_unlock(&cache.lock);
	sv_vprog_unref(gone);
	*out = vp;
	return 0;
}

const st_program *sv_vprog_program(const vprog *vp)
{
	return vp->p;
}

const st_bundle *sv_vprog_bundle(const vprog *vp)
{
	return vp->bundle;
}

/* May the user see id@version: publishers and admins any; a clinician
 * one published to or active at their unit. */
static int may_view(sv_req *rq, rt_reg *r, const char *id,
                    const char *version)
{
	long long n = 0;
	if (strcmp(rq->who.role, "clinician"))
		return 1;
	return rt_db_int(r, &n, "cannot read the publications", "SELECT "
	                 "EXISTS (SELECT 1 FROM publications WHERE program = ?1 "
	                 "AND version = ?2 AND unit = ?3 AND withdrawn_at IS NULL) "
	                 "OR EXISTS (SELECT 1 FROM activations WHERE program = ?1 "
	                 "AND version = ?2 AND unit = ?3 AND active = 1)",
	                 RT_ARGS(RT_TEXT(id), RT_TEXT(version),
	                         RT_TEXT(rq->who.unit))) == RT_ROW && n;
}

static int send_media(sv_req *rq, vprog *vp, const char *name)
{
	char entry[ST_BUNDLE_MAX_NAME + 8];
	char *data = NULL;
	size_t len = 0;
	const st_media *m = NULL;
	const st_media_type *t;
	st_buf b;
	int rc;

	if (!*name || !st_bundle_name_ok(name, strlen(name)) ||
	    snprintf(entry, sizeof entry, "media/%s", name) >= (int)sizeof entry)
		return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
	for (size_t i = 0; i < vp->p->nmedia && !m; i++)
		if (vp->p->media[i].path && !strcmp(vp->p->media[i].path, entry))
			m = &vp->p->media[i];
	if (!m)
		return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND),
		                       sv_w(SV_W_MEDIA_NONE));
	st_diags *d = st_diags_new();
	pthread_mutex_lock(&vp->lock);
	rc = st_bundle_read_entry(vp->bundle, d, entry, &data, &len);
	pthread_mutex_unlock(&vp->lock);
	st_diags_free(d);
	if (rc != ST_OK) {
		free(data);
		return sv_send_problem(rq, 500, sv_w(SV_W_ERROR),
		                       sv_w(SV_W_MEDIA_UNREADABLE));
	}
	st_buf_init(&b);
	st_buf_add(&b, data, len);
	free(data);
	t = st_media_type_of(name);
	return sv_send(rq, 200, t && t->mime[0] ? t->mime[0] :
	               "application/octet-stream", &b);
}

/* The rest of the path after /view/ID@VERSION/. */
static int render(sv_req *rq, vprog *vp, const char *rest, const char *base)
{
	sr_view v;
	sr_input in = { rq->body, rq->len };
	st_buf b;
	int rc = ST_ENOENT, post = !strcmp(rq->method, "POST");
	char module[200];
	char banner[300];

	memset(&v, 0, sizeof v);
	v.p = vp->p;
	v.base = base;
	snprintf(banner, sizeof banner, sv_w(SV_W_VIEW_BANNER), vp->key);
	v.banner = banner;
	st_buf_init(&b);
	if (!strncmp(rest, "assets/", 7)) {
		size_t len;
		const char *type;
		const unsigned char *data = sr_asset(rest + 7, &len, &type);
		st_buf_release(&b);
		if (!data)
			return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
		return sv_send_static(rq, data, len, type);
	}
	if (!strncmp(rest, "media/", 6))
		return send_media(rq, vp, rest + 6);
	if (post && !strcmp(rest, "api/eval")) {
		const char *ct = sv_header(rq, "Content-Type");
		int status = ct && !strncmp(ct, "application/json", 16) ?
			sr_eval_json(&b, &v, rq->body, rq->len) :
			sr_eval_post(&b, &v, rq->body, rq->len);
		return sv_send(rq, status, "application/json", &b);
	}
	if (!post && !*rest)
		rc = sr_start_page(&b, &v);
	else if (!post && !strncmp(rest, "m/", 2)) {
		const char *slash = strchr(rest + 2, '/');
		size_t n = slash ? (size_t)(slash - rest - 2) : strlen(rest + 2);
		long page = slash && slash[1] ? strtol(slash + 1, NULL, 10) : 1;
		if (n && n < sizeof module && page > 0) {
			memcpy(module, rest + 2, n);
			module[n] = '\0';
			rc = sr_module_page(&b, &v, module, (size_t)page);
		}
	} else if (!strncmp(rest, "forms/", 6))
		rc = sr_form_page(&b, &v, rest + 6, post ? &in : NULL);
	else if (!strncmp(rest, "ex/", 3))
		rc = sr_exercise_page(&b, &v, rest + 3, post ? &in : NULL);
	if (rc == ST_ENOENT) {
		st_buf_release(&b);
		sr_error_page(&b, &v, 404, NULL);
		return sv_send_html(rq, 404, &b);
	}
	return sv_send_html(rq, 200, &b);
}

int sv_page_view(sv_req *rq)
{
	const char *ref = rq->path + 6, *slash = strchr(ref, '/');
	char refbuf[240], id[160], version[64], why[600], base[260];
	rt_reg *r = NULL;
	vprog *vp = NULL;
	int ret;

	if (!slash || (size_t)(slash - ref) >= sizeof refbuf) {
		if (!slash && strlen(ref) < sizeof refbuf) {
			snprintf(base, sizeof base, "/view/%s/", ref);
			return sv_redirect(rq, base);
		}
		return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), NULL);
	}
	memcpy(refbuf, ref, (size_t)(slash - ref));
	refbuf[slash - ref] = '\0';
	if (rt_ref_split(refbuf, id, sizeof id, version, sizeof version, 1, why,
	                 sizeof why))
		return sv_send_problem(rq, 404, sv_w(SV_W_NOT_FOUND), why);
	if (sv_open(rq, &r, &ret))
		return ret;
	if (!may_view(rq, r, id, version))
		ret = sv_send_problem(rq, 403, sv_w(SV_W_FORBIDDEN),
		                      sv_w(SV_W_WHY_VIEW_UNIT));
	else if (sv_vprog_get(r, id, version, &vp, why, sizeof why))
		/* a version the user may see, whose stored bundle does not
		 * open: the server's problem, told in Swedish; the English
		 * cause goes to the server's log (error=) */
		ret = sv_send_problem_why(rq, 500, sv_w(SV_W_ERROR),
		                          sv_w(SV_W_VIEW_BROKEN), NULL, why);
	else {
		snprintf(base, sizeof base, "/view/%s", refbuf);
		ret = render(rq, vp, slash + 1, base);
	}
	sv_vprog_unref(vp);
	sv_close(r);
	return ret;
}
