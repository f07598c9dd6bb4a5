/*
 * http_get.c — one URL into memory through libcurl, loaded with dlopen at
 * the first fetch (http_get.h says why).
 *
 * <curl/curl.h> is used for its types and constants only; every call goes
 * through the table `api`, filled once from libcurl.so.4 (libcurl's
 * soname since 7.16, curl 8 included).  Each option that keeps a fetch
 * safe (http and https only, also after a redirect) is checked to have
 * been accepted, so that an older libcurl found at run time cannot drop
 * it silently.
 */
#include "http_get.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <curl/curl.h>

#include "util.h"

#define CURL_SONAME "libcurl.so.4"

static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	void (*easy_cleanup)(CURL *);
} api;

/* Load libcurl and initialise it, once; 0, or -1 with err set. */
static int load_curl(char *err, size_t errlen)
{
	static int state;              /* 0 not tried, 1 loaded, -1 failed */
	static char why[256];
	void *h;

	if (state == 0) {
		state = -1;
		if (!(h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL))) {
			const char *e = dlerror();
			snprintf(why, sizeof why, "cannot load %s (%s)",
			         CURL_SONAME, e ? e : "not found");
			goto out;
		}
		api.global_init = (CURLcode (*)(long))dlsym(h, "curl_global_init");
		api.easy_init = (CURL *(*)(void))dlsym(h, "curl_easy_init");
		api.easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))
			dlsym(h, "curl_easy_setopt");
		api.easy_perform = (CURLcode (*)(CURL *))dlsym(h, "curl_easy_perform");
		api.easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))
			dlsym(h, "curl_easy_getinfo");
		api.easy_strerror = (const char *(*)(CURLcode))
			dlsym(h, "curl_easy_strerror");
		api.easy_cleanup = (void (*)(CURL *))dlsym(h, "curl_easy_cleanup");
		if (!api.global_init || !api.easy_init || !api.easy_setopt ||
		    !api.easy_perform || !api.easy_getinfo || !api.easy_strerror ||
		    !api.easy_cleanup) {
			snprintf(why, sizeof why, "%s lacks a function steg needs",
			         CURL_SONAME);
			goto out;
		}
		if (api.global_init(CURL_GLOBAL_DEFAULT) != 0) {
			snprintf(why, sizeof why, "cannot initialise libcurl");
			goto out;
		}
		state = 1;
	}
out:
	if (state < 0)
		snprintf(err, errlen, "%s", why);
	return state > 0 ? 0 : -1;
}

typedef struct sink {
	st_buf b;
	size_t max;
	int too_big;
} sink;

static size_t sink_write(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	size_t k = size * n;
	if (s->b.len + k > s->max) {
		s->too_big = 1;
		return 0;             /* makes libcurl stop with an error */
	}
	st_buf_add(&s->b, p, k);
	return k;
}

int rt_http_get(char **data, size_t *len, char *from, size_t fromcap,
                const char *url, size_t max, char *err, size_t errlen)
{
	CURL *c = NULL;
	sink s;
	char cerr[CURL_ERROR_SIZE] = "";
	char why[256];
	long status = 0;
	int rc = ST_EIO;
	CURLcode cc;

	*data = NULL;
	*len = 0;
	st_buf_init(&s.b);
	s.max = max;
	s.too_big = 0;
	if (load_curl(why, sizeof why) != 0) {
		snprintf(err, errlen, "cannot fetch '%s': %s", url, why);
		goto done;
	}
	if (!(c = api.easy_init())) {
		snprintf(err, errlen, "cannot initialise libcurl");
		goto done;
	}
	if (api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
	    != CURLE_OK) {
		snprintf(err, errlen, "cannot fetch '%s': the libcurl installed "
		         "cannot restrict protocols (7.85 or later needed)", url);
		goto done;
	}
	api.easy_setopt(c, CURLOPT_URL, url);
	api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	api.easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	api.easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	api.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	api.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	api.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	api.easy_setopt(c, CURLOPT_USERAGENT, "steg/" STEG_VERSION);
	api.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	api.easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	api.easy_setopt(c, CURLOPT_WRITEDATA, &s);
	cc = api.easy_perform(c);
	api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (s.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "'%s' is larger than %zu bytes", url, max);
		rc = ST_ETOOBIG;
		goto done;
	}
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "cannot fetch '%s': %s", url,
		         cerr[0] ? cerr : api.easy_strerror(cc));
		goto done;
	}
	if (status == 404 || status == 410) {
		snprintf(err, errlen, "'%s' is not there (HTTP %ld)", url, status);
		rc = ST_ENOENT;
		goto done;
	}
	if (status != 200) {
		snprintf(err, errlen, "cannot fetch '%s': HTTP status %ld", url,
		         status);
		goto done;
	}
	if (from) {
		/* Where the bytes came from after the redirects. */
		char *eff = NULL;
		if (api.easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) != CURLE_OK
		    || !eff)
			eff = (char *)url;
		snprintf(from, fromcap, "%s", eff);
	}
	st_buf_add(&s.b, "", 0);       /* NUL-terminate even when empty */
	*data = st_buf_detach(&s.b, len);
	rc = *data ? ST_OK : ST_EIO;
done:
	if (c)
		api.easy_cleanup(c);
	st_buf_release(&s.b);
	return rc;
}
