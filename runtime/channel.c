/*
 * channel.c — the channel format and fetching it (channel.h).
 *
 * index.json is JSON (jansson) rather than XML: it is a small list that
 * scripts and web servers handle as JSON, and jansson rejects duplicate
 * keys when asked (JSON_REJECT_DUPLICATES), which an index must.  It is
 * parsed strictly — every key known, every value in its pattern — because
 * what it says decides what is imported.  The signature over its exact
 * bytes is checked by the caller before anything here is believed; the
 * publisher, sequence and expiry in the JSON must then equal those in the
 * signature's trusted comment (cmd_channel.c).
 *
 * Fetching reads whole files into memory, bounded, so that the bytes whose
 * hash and signature are checked are the very bytes then imported.  URLs
 * go through libcurl with time limits and a size cap enforced as the data
 * arrives; folders through bounded reads of regular files.
 */
#include "channel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "db.h"
#include "http_get.h"
#include "model.h"
#include "vocab.h"
#include "sign.h"
#include "util.h"

int rt_channel_is_url(const char *location)
{
	return !strncmp(location, "http://", 7) ||
	       !strncmp(location, "https://", 8);
}

void rt_channel_bundle_name(char *out, size_t cap, const char *id,
                            const char *version)
{
	snprintf(out, cap, "%s-%s.steg", id, version);
}

/* ---- fetching ----------------------------------------------------------- */

int rt_channel_fetch(char **data, size_t *len, char *from, size_t fromcap,
                     const char *location, const char *name, size_t max,
                     char *err, size_t errlen)
{
	size_t ll = strlen(location);
	int slash = ll && location[ll - 1] == '/';
	size_t cap = ll + strlen(name) + 2;
	char *path = malloc(cap);
	char why[256] = "";
	int rc;

	*data = NULL;
	*len = 0;
	if (!path) {
		snprintf(err, errlen, "out of memory");
		return ST_EIO;
	}
	snprintf(path, cap, "%s%s%s", location, slash ? "" : "/", name);
	if (from && fromcap)
		from[0] = 0;
	if (rt_channel_is_url(location)) {
		rc = rt_http_get(data, len, from, fromcap, path, max, err, errlen);
	} else {
		if (from)
			snprintf(from, fromcap, "%s", path);
		rc = st_read_file(data, len, path, max, why, sizeof why);
		if (rc == ST_ENOENT)
			snprintf(err, errlen, "'%s' is not there", path);
		else if (rc != ST_OK)
			snprintf(err, errlen, "cannot read '%s': %s", path, why);
	}
	free(path);
	return rc;
}

/* ---- index.json ---------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
	const rt_channel_entry *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->version, y->version);
}

int rt_channel_index_write(char **json, size_t *len, rt_channel_index *ix)
{
	json_t *root = NULL, *arr = NULL;
	char issued[21], expires[21];
	int rc = ST_EIO;

	*json = NULL;
	*len = 0;
	if (ix->n)
		qsort(ix->entries, ix->n, sizeof *ix->entries, cmp_entry);
	st_time_format(issued, ix->issued);
	st_time_format(expires, ix->expires);
	if (!(arr = json_array()))
		goto done;
	for (size_t i = 0; i < ix->n; i++) {
		char file[256];
		const rt_channel_entry *e = &ix->entries[i];
		rt_channel_bundle_name(file, sizeof file, e->id, e->version);
		json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:s}", "id", e->id,
		                      "version", e->version, "file", file,
		                      "size", (json_int_t)e->size,
		                      "sha256", e->sha256);
		if (!o || json_array_append_new(arr, o))
			goto done;
	}
	root = json_pack("{s:s,s:i,s:s,s:I,s:s,s:s,s:O}",
	                 "format", "steg-channel", "format-version", 1,
	                 "publisher", ix->publisher,
	                 "sequence", (json_int_t)ix->sequence,
	                 "issued", issued, "expires", expires,
	                 "bundles", arr);
	if (!root)
		goto done;
	*json = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!*json)
		goto done;
	*len = strlen(*json);
	/* one final newline, as a text file should end */
	char *grown = realloc(*json, *len + 2);
	if (!grown) {
		free(*json);
		*json = NULL;
		goto done;
	}
	*json = grown;
	(*json)[(*len)++] = '\n';
	(*json)[*len] = 0;
	rc = ST_OK;
done:
	json_decref(arr);
	json_decref(root);
	return rc;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static int only(const char *s, const char *set, int alnum_lower,
                int alnum_upper)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= '0' && c <= '9') ||
		    (alnum_lower && c >= 'a' && c <= 'z') ||
		    (alnum_upper && c >= 'A' && c <= 'Z') || strchr(set, c))
			continue;
		return 0;
	}
	return 1;
}

/* Copy string member key of o into out (cap); 0 or -1 with err set. */
static int get_str(char *out, size_t cap, json_t *o, const char *key,
                   const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!v || !json_is_string(v)) {
		snprintf(err, errlen, "%s: '%s' is missing or not a string", where,
		         key);
		return -1;
	}
	const char *s = json_string_value(v);
	if (strlen(s) >= cap || strlen(s) != json_string_length(v)) {
		snprintf(err, errlen, "%s: '%s' is too long or holds a NUL",
		         where, key);
		return -1;
	}
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int only_keys(json_t *o, const char *const *keys, const char *where,
                     char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int known = 0;
		for (size_t i = 0; keys[i]; i++)
			known |= !strcmp(k, keys[i]);
		if (!known) {
			snprintf(err, errlen, "%s: unknown key '%.60s'", where, k);
			return -1;
		}
	}
	return 0;
}

/* Bundle i (from 0) of an index: its keys, a program id, a version, the
 * file name they give, a SHA-256 and a size in range.  0, or -1 with
 * err. */
static int parse_entry(rt_channel_entry *e, json_t *o, size_t i, char *err,
                       size_t errlen)
{
	static const char *const entry_keys[] = { "id", "version", "file",
		"size", "sha256", NULL };
	char where[64], file[256], want[256];
	long ma, mi, pa;
	json_t *v;

	snprintf(where, sizeof where, "index.json: bundle %zu", i + 1);
	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s is not an object", where);
		return -1;
	}
	if (only_keys(o, entry_keys, where, err, errlen) ||
	    get_str(e->id, sizeof e->id, o, "id", where, err, errlen) ||
	    get_str(e->version, sizeof e->version, o, "version", where,
	            err, errlen) ||
	    get_str(file, sizeof file, o, "file", where, err, errlen) ||
	    get_str(e->sha256, sizeof e->sha256, o, "sha256", where, err,
	            errlen))
		return -1;
	if (!st_is_slug(e->id)) {
		snprintf(err, errlen, "%s: '%s' is not a program id", where,
		         e->id);
		return -1;
	}
	if (st_semver_parse(e->version, &ma, &mi, &pa) != 0 ||
	    !only(e->version, ".-+", 1, 1)) {
		snprintf(err, errlen, "%s: '%s' is not a version", where,
		         e->version);
		return -1;
	}
	rt_channel_bundle_name(want, sizeof want, e->id, e->version);
	if (strcmp(file, want)) {
		snprintf(err, errlen, "%s: file '%s' should be '%s'", where,
		         file, want);
		return -1;
	}
	if (!is_hex64(e->sha256)) {
		snprintf(err, errlen, "%s: 'sha256' is not 64 lower-case hex "
		         "digits", where);
		return -1;
	}
	v = json_object_get(o, "size");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    (unsigned long long)json_integer_value(v) >
	    RT_CHANNEL_MAX_BUNDLE) {
		snprintf(err, errlen, "%s: 'size' is missing or out of range",
		         where);
		return -1;
	}
	e->size = (long long)json_integer_value(v);
	return 0;
}

int rt_channel_index_parse(rt_channel_index *ix, const char *json,
                           size_t len, char *err, size_t errlen)
{
	static const char *const top_keys[] = { "format", "format-version",
		"publisher", "sequence", "issued", "expires", "bundles", NULL };
	json_error_t je;
	json_t *root = NULL, *v, *arr;
	char s[256];
	int rc = ST_ERR;

	memset(ix, 0, sizeof *ix);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "index.json:%d:%d: %s", je.line, je.column,
		         je.text);
		goto done;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "index.json is not a JSON object");
		goto done;
	}
	if (only_keys(root, top_keys, "index.json", err, errlen))
		goto done;
	if (get_str(s, sizeof s, root, "format", "index.json", err, errlen))
		goto done;
	v = json_object_get(root, "format-version");
	if (strcmp(s, "steg-channel") || !json_is_integer(v) ||
	    json_integer_value(v) != 1) {
		snprintf(err, errlen, "index.json is not a steg channel index of "
		         "format version 1");
		goto done;
	}
	if (get_str(ix->publisher, sizeof ix->publisher, root, "publisher",
	            "index.json", err, errlen))
		goto done;
	if (!st_is_hsa_id(ix->publisher)) {
		snprintf(err, errlen, "index.json: 'publisher' is not an HSA-id");
		goto done;
	}
	v = json_object_get(root, "sequence");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		snprintf(err, errlen, "index.json: 'sequence' is not a positive "
		         "integer");
		goto done;
	}
	ix->sequence = (long long)json_integer_value(v);
	if (get_str(s, sizeof s, root, "issued", "index.json", err, errlen))
		goto done;
	if (st_time_parse(&ix->issued, s)) {
		snprintf(err, errlen, "index.json: 'issued' is not a time "
		         "YYYY-MM-DDTHH:MM:SSZ");
		goto done;
	}
	if (get_str(s, sizeof s, root, "expires", "index.json", err, errlen))
		goto done;
	if (st_time_parse(&ix->expires, s)) {
		snprintf(err, errlen, "index.json: 'expires' is not a time "
		         "YYYY-MM-DDTHH:MM:SSZ");
		goto done;
	}
	arr = json_object_get(root, "bundles");
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "index.json: 'bundles' is missing or not a "
		         "list");
		goto done;
	}
	if (json_array_size(arr) > RT_CHANNEL_MAX_ENTRIES) {
		snprintf(err, errlen, "index.json lists more than %d bundles",
		         RT_CHANNEL_MAX_ENTRIES);
		goto done;
	}
	ix->entries = calloc(json_array_size(arr) + 1, sizeof *ix->entries);
	if (!ix->entries) {
		snprintf(err, errlen, "out of memory");
		rc = ST_EIO;
		goto done;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		if (parse_entry(&ix->entries[i], json_array_get(arr, i), i, err,
		                errlen))
			goto done;
		ix->n++;
	}
	qsort(ix->entries, ix->n, sizeof *ix->entries, cmp_entry);
	for (size_t i = 1; i < ix->n; i++)
		if (!cmp_entry(&ix->entries[i - 1], &ix->entries[i])) {
			snprintf(err, errlen, "index.json lists %s@%s twice",
			         ix->entries[i].id, ix->entries[i].version);
			goto done;
		}
	rc = ST_OK;
done:
	json_decref(root);
	if (rc != ST_OK)
		rt_channel_index_release(ix);
	return rc;
}

void rt_channel_index_release(rt_channel_index *ix)
{
	free(ix->entries);
	ix->entries = NULL;
	ix->n = 0;
}

/* ---- the channels this registry syncs from ------------------------------ */

static void sync_row(sqlite3_stmt *st, rt_channel_sync *c)
{
	memset(c, 0, sizeof *c);
	rt_col_copy(st, 0, c->location, sizeof c->location);
	rt_col_copy(st, 1, c->at, sizeof c->at);
	rt_col_copy(st, 2, c->by, sizeof c->by);
	rt_col_copy(st, 3, c->outcome, sizeof c->outcome);
	rt_col_copy(st, 4, c->detail, sizeof c->detail);
	rt_col_copy(st, 5, c->ok_at, sizeof c->ok_at);
	rt_col_copy(st, 6, c->region, sizeof c->region);
	c->sequence = rt_col_int(st, 7);
	rt_col_copy(st, 8, c->expires, sizeof c->expires);
	if (!strcmp(c->outcome, "ok") && strstr(c->detail, RT_CHANNEL_NOT_TAKEN))
		snprintf(c->outcome, sizeof c->outcome, "partial");
}

int rt_channel_syncs(rt_reg *r, rt_channel_sync **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	rt_channel_sync *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = rt_db_prepare(r, &st, "cannot read the channels", "SELECT a.object, "
		"a.time, a.actor, a.outcome, a.detail, "
		"  (SELECT max(o.time) FROM audit o WHERE o.action = 'sync' AND "
		"   o.object = a.object AND o.outcome = 'ok'), "
		"  s.region, s.sequence, s.expires "
		"FROM audit a LEFT JOIN channel_seen s ON s.location = a.object "
		"WHERE a.seq IN (SELECT max(seq) FROM audit WHERE action = 'sync' "
		"  GROUP BY object) "
		"ORDER BY a.object, s.region", RT_NOARGS);
	while (rc == ST_OK &&
	       (rc = rt_db_step(r, st, "cannot read the channels")) == RT_ROW) {
		rc = ST_OK;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			rt_channel_sync *nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				rc = rt_fail(r, ST_EIO, "out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		sync_row(st, &v[(*n)++]);
	}
	rt_db_done(r, st);
	if (rc != RT_DONE && rc != ST_OK) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return ST_OK;
}
