/*
 * auditcheck.c — the audit log's whole check and its checkpoints
 * (auditcheck.h): what `steg audit --check` and steg serve's audit page
 * both report.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "sign.h"
#include "db.h"
#include "registry.h"
#include "trust.h"
#include "auditcheck.h"

/* Where the region keeps its checkpoints by default: a folder beside the
 * registry, REGISTRY.checkpoints (malloc'd). */
char *rt_checkpoint_dir(rt_reg *r)
{
	const char *p = rt_reg_path(r);
	char *d = malloc(strlen(p) + 16);
	if (d)
		sprintf(d, "%s.checkpoints", p);
	return d;
}

/* The keys checkpoints are checked with: the --pubkey, else the active
 * keys the registry trusts for its own region.  *keys is malloc'd. */
static int checkpoint_keys(rt_reg *r, const char *pubkey, st_trusted_key **keys,
                           size_t *n)
{
	rt_trusted_row *rows = NULL;
	size_t nrows = 0;
	int rc;

	*keys = NULL;
	*n = 0;
	if (pubkey) {
		st_diags *d = st_diags_new();
		*keys = calloc(1, sizeof **keys);
		if (!*keys || !d) {
			st_diags_free(d);
			return rt_fail(r, ST_EIO, "out of memory");
		}
		rc = st_pubkey_load(&(*keys)[0].key, d, pubkey);
		if (rc != ST_OK) {
			rc = rt_fail(r, rc == ST_ERR ? ST_ERR : ST_EIO, "%s",
			             st_diags_count(d) ? st_diags_message(d, 0) :
			             "cannot read the public key");
			st_diags_free(d);
			return rc;
		}
		st_diags_free(d);
		(*keys)[0].region = rt_reg_region(r);
		*n = 1;
		return ST_OK;
	}
	if ((rc = rt_trusted_keys(r, rt_reg_region(r), &rows, &nrows)))
		return rc;
	if (nrows && !(*keys = calloc(nrows, sizeof **keys)))
		rc = rt_fail(r, ST_EIO, "out of memory");
	for (size_t i = 0; rc == ST_OK && i < nrows; i++) {
		st_pubkey pk;
		if (st_pubkey_parse(&pk, rows[i].pubkey) != 0)
			continue;
		(*keys)[*n].region = rt_reg_region(r);
		(*keys)[(*n)++].key = pk;
	}
	rt_trusted_keys_free(rows, nrows);
	return rc;
}

/* Verify one checkpoint file and that the log extends it. */
static int check_checkpoint(rt_reg *r, const char *file,
                            const st_trusted_key *keys, size_t nkeys,
                            rt_checkpoint_seen *out)
{
	char *text = NULL, err[256], hash[65];
	size_t len = 0, which;
	st_sig_claims c;
	st_diags *d;
	long long last = 0;
	int rc;

	rc = st_read_file(&text, &len, file, RT_CHECKPOINT_MAX, err, sizeof err);
	if (rc != ST_OK)
		return rt_fail(r, rc == ST_ETOOBIG ? ST_ERR : ST_EIO, "cannot read "
		               "checkpoint '%s': %s", file, err);
	if (!nkeys) {
		free(text);
		return rt_fail(r, ST_ERR, "no key to check checkpoint '%s' with: "
		               "the registry trusts no key of its own region '%s'; "
		               "give the region's public key with --pubkey FILE",
		               file, rt_reg_region(r));
	}
	d = st_diags_new();
	if (!d) {
		free(text);
		return rt_fail(r, ST_EIO, "out of memory");
	}
	rc = st_verify_trusted(&c, &which, d, file, keys, nkeys, "checkpoint",
	                       (long long)time(NULL), NULL, 0, text, len);
	free(text);
	if (rc != ST_OK) {
		rc = rt_fail(r, rc == ST_ERR ? ST_ERR : ST_EIO, "checkpoint does "
		             "not hold: %s", st_diags_count(d) ?
		             st_diags_message(d, 0) : "it does not verify");
		st_diags_free(d);
		return rc;
	}
	st_diags_free(d);
	st_keyid_hex(out->key, keys[which].key.keyid);
	out->row = c.sequence;
	out->time = c.time;
	rc = rt_audit_row(r, c.sequence, hash, &last);
	if (rc == ST_ENOENT)
		return rt_fail(r, ST_ERR, "the audit log ends at row %lld, but "
		               "checkpoint '%s' was signed at row %lld: rows were cut "
		               "off the end of the log", last, file, c.sequence);
	if (rc != ST_OK)
		return rc;
	if (strcmp(hash, c.head))
		return rt_fail(r, ST_ERR, "the audit log does not extend checkpoint "
		               "'%s': the hash of row %lld is not the one the "
		               "checkpoint signed (the log was rewritten at or "
		               "before row %lld)", file, c.sequence, c.sequence);
	return ST_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.minisig files of the registry's checkpoint folder, sorted, into
 * files[*n..] (malloc'd names; the caller frees them). */
static int folder_checkpoints(rt_reg *r, char **files, int *n, int max)
{
	char *dir = rt_checkpoint_dir(r);
	DIR *dh;
	struct dirent *e;
	int first = *n, rc = ST_OK;

	if (!dir)
		return rt_fail(r, ST_EIO, "out of memory");
	if (!(dh = opendir(dir))) {
		rc = errno == ENOENT ? ST_OK : rt_fail(r, ST_EIO, "cannot read "
		     "the checkpoint folder '%s': %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	while ((e = readdir(dh))) {
		size_t l = strlen(e->d_name);
		if (l < 9 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + l - 8, ".minisig"))
			continue;
		if (*n == max) {
			rc = rt_fail(r, ST_ERR, "the checkpoint folder '%s' holds "
			             "more than %d checkpoints; keep the latest there "
			             "and check older ones with --checkpoint", dir,
			             max);
			break;
		}
		if (!(files[*n] = malloc(strlen(dir) + l + 2))) {
			rc = rt_fail(r, ST_EIO, "out of memory");
			break;
		}
		sprintf(files[(*n)++], "%s/%s", dir, e->d_name);
	}
	closedir(dh);
	free(dir);
	qsort(files + first, (size_t)(*n - first), sizeof *files, cmp_str);
	return rc;
}


void rt_audit_verdict_release(rt_audit_verdict *v)
{
	for (int i = 0; i < v->ncps; i++)
		free(v->cps[i].file);
	free(v->cps);
	memset(v, 0, sizeof *v);
	v->failed = -1;
}

/* The files to check: the given ones, then the folder's. */
static int gather(rt_reg *r, const char *const *given, int ngiven,
                  rt_audit_verdict *v)
{
	char *files[RT_MAX_CHECKPOINTS * 2];
	int n = 0, rc = ST_OK;

	for (int i = 0; i < ngiven && i < RT_MAX_CHECKPOINTS; i++)
		if (!(files[n++] = strdup(given[i])))
			rc = rt_fail(r, ST_EIO, "out of memory");
	if (rc == ST_OK)
		rc = folder_checkpoints(r, files, &n, RT_MAX_CHECKPOINTS * 2);
	if (n && !(v->cps = calloc((size_t)n, sizeof *v->cps)))
		rc = rt_fail(r, ST_EIO, "out of memory");
	for (int i = 0; i < n; i++) {
		if (v->cps)
			v->cps[v->ncps++].file = files[i];
		else
			free(files[i]);
	}
	return rc;
}

int rt_audit_verify(rt_reg *r, const char *const *files, int n,
                    const char *pubkey, rt_audit_verdict *v)
{
	st_trusted_key *keys = NULL;
	size_t nkeys = 0;
	int rc, i;

	memset(v, 0, sizeof *v);
	v->failed = -1;
	rc = rt_audit_check(r, &v->rows, &v->broken_at);
	if (rc == ST_OK)
		rc = rt_audit_check_guards(r);
	if (rc == ST_OK)
		rc = rt_audit_check_state(r);
	if (rc == ST_OK)
		rc = gather(r, files, n, v);
	if (rc == ST_OK && v->ncps)
		rc = checkpoint_keys(r, pubkey, &keys, &nkeys);
	for (i = 0; rc == ST_OK && i < v->ncps; i++)
		if ((rc = check_checkpoint(r, v->cps[i].file, keys, nkeys,
		                           &v->cps[i])) != ST_OK)
			v->failed = i;
	free(keys);
	if (rc == ST_OK)
		rc = rt_reg_read_stable(r);
	return rc;
}

json_t *rt_audit_verdict_json(rt_reg *r, int rc, const rt_audit_verdict *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "ok", json_boolean(rc == ST_OK));
	json_object_set_new(o, "rows", json_integer(v->rows));
	if (rc == ST_ERR) {
		if (v->broken_at)
			json_object_set_new(o, "broken_at", json_integer(v->broken_at));
		if (v->failed >= 0)
			json_object_set_new(o, "checkpoint",
			                    st_json_str(v->cps[v->failed].file));
		json_object_set_new(o, "reason", st_json_str(rt_reg_errmsg(r)));
	}
	if (rc == ST_OK && v->ncps) {
		json_t *a = json_array();
		for (int i = 0; i < v->ncps; i++) {
			char t[21];
			st_time_format(t, v->cps[i].time);
			/* A file name is any bytes: st_json_str keeps it. */
			json_array_append_new(a, json_pack("{s:o, s:I, s:s, s:s}",
			        "file", st_json_str(v->cps[i].file), "row",
			        (json_int_t)v->cps[i].row, "time", t, "key",
			        v->cps[i].key));
		}
		json_object_set_new(o, "checkpoints", a);
	}
	return o;
}
