/*
 * cmd_audit.c — steg audit: show the audit log, prove it unbroken, and
 * sign checkpoints of it.
 *
 * The log itself is written by rt_audit() in the transaction of each change
 * (registry.c); the database refuses UPDATE and DELETE on it by trigger.
 * --check recomputes the hash chain from the first row, so that an edit
 * made around the triggers (with another tool, the triggers dropped) is
 * found and the first row that does not hold is named; then it checks
 * that the triggers are all there, that the registry's state has the rows
 * that made it, and that the log still extends every signed checkpoint it
 * is given (and those in the registry's checkpoint folder).
 *
 * A hash chain alone proves nothing against someone who can write the
 * file: they can rewrite history and recompute every hash.  A checkpoint
 * (`steg audit checkpoint --key KEY`) is the region's signature over the
 * head of the log (minisign format, core/sign.h, trusted comment "steg
 * kind=checkpoint publisher=REGION sequence=ROW head=HASH time=..."); kept
 * where the writer of the registry cannot change it, it pins every row up
 * to that one (docs/registry.md).
 *
 * Everything here reads the registry read-only (RT_OPEN_READONLY).
 * Reading the log is not itself logged: whoever can read the file can read
 * the log, and the log records changes and refusals (docs/registry.md).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sqlite3.h>
#include <jansson.h>
#include "util.h"
#include "diag.h"
#include "sign.h"
#include "commands.h"
#include "db.h"
#include "registry.h"
#include "trust.h"
#include "cli.h"
#include "auditcheck.h"


static const char audit_help[] =
	"usage: steg audit [--json] [--object ID[@VERSION]|HSA-ID]\n"
	"                  [--actor HSA-ID] [--unit UNIT] [--since TIME]\n"
	"       steg audit --check [--checkpoint FILE]... [--pubkey FILE] [--json]\n"
	"       steg audit checkpoint --key KEY [-o FILE]\n"
	"                  [--passphrase-env VAR | --passphrase-file FILE]\n"
	"                  [--unencrypted]\n"
	"\n"
	"Print the audit log, oldest first: seq, time (UTC), actor, role, unit,\n"
	"action, object, outcome (ok, refused or error) and detail, separated by\n"
	"tabs.\n"
	"\n"
	"  --object X   rows about X (a program id covers all its versions)\n"
	"  --actor U    rows of what U did or tried\n"
	"  --unit U     rows about unit U\n"
	"  --since T    rows at or after T (2026-11-23 or 2026-11-23T09:30:00Z)\n"
	"\n"
	"--check verifies the log instead and says what does not hold (exit 1):\n"
	"the hash chain, the append-only triggers, that every stored version,\n"
	"approval, retirement, current publication and activation has its row,\n"
	"and that the log extends every checkpoint: each --checkpoint FILE and\n"
	"each in the registry's checkpoint folder (REGISTRY.checkpoints/).\n"
	"\n"
	"  --checkpoint FILE  a signed checkpoint to check against (repeatable)\n"
	"  --pubkey FILE      check checkpoints with this public key instead of\n"
	"                     the keys the registry trusts for its own region\n"
	"\n"
	"'audit checkpoint' signs the head of the log (its last row and hash)\n"
	"with KEY, a key the registry trusts for its own region, and writes the\n"
	"checkpoint to REGISTRY.checkpoints/checkpoint-ROW.minisig, or to\n"
	"-o FILE ('-o -': standard output).  Keep copies where whoever can\n"
	"write the registry cannot change them.\n";

typedef struct filter {
	const char *object, *actor, *unit, *since;
} filter;

static int print_log(rt_reg *r, int json, const filter *f)
{
	static const rt_json_field fields[] = {
		{ "seq", 0, RT_JSON_INT }, { "time", 1, RT_JSON_TEXT },
		{ "actor", 2, RT_JSON_TEXT }, { "role", 3, RT_JSON_TEXT },
		{ "unit", 4, RT_JSON_TEXT }, { "action", 5, RT_JSON_TEXT },
		{ "object", 6, RT_JSON_TEXT }, { "outcome", 7, RT_JSON_TEXT },
		{ "detail", 8, RT_JSON_TEXT }, { "prev_hash", 9, RT_JSON_TEXT },
		{ "hash", 10, RT_JSON_TEXT }, { NULL, 0, 0 },
	};
	sqlite3_stmt *st;
	json_t *arr = json ? json_array() : NULL;
	int step, rc;

	if ((rc = rt_db_prepare(r, &st, "cannot read the audit log", "SELECT "
	                        "seq, time, actor, role, unit, action, object, "
	                        "outcome, detail, prev_hash, hash FROM audit WHERE "
	                        "(?1 IS NULL OR object = ?1 OR substr(object, 1, "
	                        "length(?1) + 1) = ?1 || '@') AND (?2 IS NULL OR "
	                        "actor = ?2) AND (?3 IS NULL OR unit = ?3) AND (?4 "
	                        "IS NULL OR time >= ?4) ORDER BY seq",
	                        RT_ARGS(RT_TEXT(f->object), RT_TEXT(f->actor),
	                                RT_TEXT(f->unit), RT_TEXT(f->since))))) {
		json_decref(arr);
		return rc;
	}
	while ((step = rt_db_step(r, st, "cannot read the audit log")) ==
	       RT_ROW) {
		if (json) {
			json_array_append_new(arr, rt_json_row(NULL, st, fields));
		} else {
			/* One row, one line: every field through the escaper. */
			st_buf line;
			st_buf_init(&line);
			st_buf_printf(&line, "%lld", rt_col_int(st, 0));
			for (int i = 1; i < 9; i++) {
				const char *t = rt_col_text(st, i);
				st_buf_addc(&line, '\t');
				if (t)
					st_buf_add_escaped(&line, t, strlen(t));
			}
			st_buf_addc(&line, '\n');
			fputs(line.data, stdout);
			st_buf_release(&line);
		}
	}
	rc = rt_list_end(r, st, step, rc, arr);
	if (rc == ST_OK && !json && fflush(stdout) != 0)
		rc = rt_fail(r, ST_EIO, "cannot write the output");
	return rc;
}

/* YYYY-MM-DD, optionally followed by THH:MM:SSZ: the times in the log
 * compare as text, so a prefix of that form is a lower bound. */
static int since_ok(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t n = strlen(s);
	if (n != 10 && n != 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

/* ---- checkpoints ------------------------------------------------------ */

/* --check: the chain, the guards, state against log, the checkpoints
 * (rt_audit_verify), printed. */
static int check_log(rt_reg *r, int json, const char *const *cps, int ncps,
                     const char *pubkey)
{
	rt_audit_verdict v;
	int rc = rt_audit_verify(r, cps, ncps, pubkey, &v);

	if (json) {
		json_t *o = rt_audit_verdict_json(r, rc, &v);
		if (rt_print_json(o) && rc == ST_OK)
			rc = rt_fail(r, ST_EIO, "cannot write the output");
	} else if (rc == ST_OK) {
		printf("the audit log is unbroken: %lld rows\n", v.rows);
		for (int i = 0; i < v.ncps; i++) {
			char t[21];
			st_buf name;
			st_buf_init(&name);
			st_buf_add_escaped(&name, v.cps[i].file,
			                   strlen(v.cps[i].file));
			st_time_format(t, v.cps[i].time);
			printf("it extends checkpoint '%s': row %lld, signed %s by "
			       "key %s\n", name.data ? name.data : "", v.cps[i].row, t,
			       v.cps[i].key);
			st_buf_release(&name);
		}
	}
	rt_audit_verdict_release(&v);
	return rc;
}

static int write_checkpoint(rt_reg *r, const char *out, long long seq,
                            const char *head, const char *sig, size_t siglen,
                            char **written)
{
	char err[256], *path = NULL, *dir = NULL, *old = NULL, want[80];
	size_t oldlen = 0;
	int rc;

	*written = NULL;
	if (out && !strcmp(out, "-")) {
		if (fwrite(sig, 1, siglen, stdout) != siglen || fflush(stdout))
			return rt_fail(r, ST_EIO, "cannot write the output");
		return ST_OK;
	}
	if (out) {
		path = strdup(out);
	} else {
		if (!(dir = rt_checkpoint_dir(r)))
			return rt_fail(r, ST_EIO, "out of memory");
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			rc = rt_fail(r, ST_EIO, "cannot create the checkpoint folder "
			             "'%s': %s; name a file with -o", dir,
			             strerror(errno));
			free(dir);
			return rc;
		}
		if ((path = malloc(strlen(dir) + 48)))
			sprintf(path, "%s/checkpoint-%012lld.minisig", dir, seq);
		free(dir);
	}
	if (!path)
		return rt_fail(r, ST_EIO, "out of memory");
	/* A checkpoint of the same row with another head is evidence:
	 * never overwrite it. */
	snprintf(want, sizeof want, " head=%s ", head);
	if (st_read_file(&old, &oldlen, path, RT_CHECKPOINT_MAX, err,
	                 sizeof err) == ST_OK &&
	    strstr(old, "kind=checkpoint") && !strstr(old, want)) {
		snprintf(want, sizeof want, " sequence=%lld ", seq);
		if (strstr(old, want)) {
			free(old);
			rc = rt_fail(r, ST_ERR, "'%s' already holds a checkpoint of row "
			             "%lld with another hash: the log was rewritten "
			             "since; see 'steg audit --check --checkpoint %s'",
			             path, seq, path);
			free(path);
			return rc;
		}
	}
	free(old);
	if (st_write_file_atomic(path, sig, siglen, err, sizeof err) != ST_OK) {
		rc = rt_fail(r, ST_EIO, "cannot write the checkpoint '%s': %s",
		             path, err);
		free(path);
		return rc;
	}
	*written = path;
	return ST_OK;
}

static int cmd_checkpoint(rt_ctx *ctx, int argc, char **argv)
{
	const char *key = NULL, *out = NULL, *pass_env = NULL, *pass_file = NULL;
	const char *pos[1];
	int unencrypted = 0, npos, rc, trusted = 0;
	st_opt opts[] = {
		ST_VALUE("--key", &key),
		ST_VALUE("-o", &out),
		ST_VALUE("--passphrase-env", &pass_env),
		ST_VALUE("--passphrase-file", &pass_file),
		ST_FLAG("--unencrypted", &unencrypted),
		{ NULL },
	};
	st_seckey *k = NULL;
	st_pubkey pk;
	rt_reg *r = NULL;
	long long nrows = 0, bad = 0, last = 0;
	char head[65], keyid[17], *sig = NULL, *written = NULL;
	size_t siglen = 0;

	rc = rt_parse(ctx, argc, argv, "audit checkpoint", opts, pos, 0, &npos,
	              audit_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (!key)
		return rt_usage_error("audit", "'audit checkpoint' needs --key KEY");
	if (pass_env && pass_file)
		return rt_usage_error("audit", "give --passphrase-env or "
		                      "--passphrase-file, not both");
	/* The key first: a passphrase prompt must not hold the registry. */
	if ((rc = rt_load_seckey(&k, key, pass_env, pass_file, unencrypted)))
		return rc;
	st_seckey_public(k, &pk);
	st_keyid_hex(keyid, pk.keyid);
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_READONLY)))
		goto done;
	if ((rc = rt_read_begin(r, "cannot read the audit log")))
		goto done;
	/* A checkpoint vouches for the log up to its head: only for a log
	 * that holds. */
	if ((rc = rt_audit_check(r, &nrows, &bad)) == ST_OK &&
	    (rc = rt_audit_check_guards(r)) == ST_OK)
		rc = rt_audit_check_state(r);
	if (rc == ST_ERR) {
		char why[1024];
		snprintf(why, sizeof why, "%s", rt_reg_errmsg(r));
		rc = rt_fail(r, ST_ERR, "refusing to sign a checkpoint of a log "
		             "that does not check (%s); see 'steg audit --check'",
		             why);
	}
	if (rc)
		goto done;
	if ((rc = rt_trusted_key_of(r, &pk, rt_reg_region(r), &trusted)))
		goto done;
	if (!trusted) {
		rc = rt_fail(r, ST_ERR, "key %s is not a trusted key of this region "
		             "'%s', so nobody could check the checkpoint; trust it "
		             "with 'steg trust add --region %s --key FILE.pub'",
		             keyid, rt_reg_region(r), rt_reg_region(r));
		goto done;
	}
	rc = rt_audit_row(r, nrows, head, &last);
	if (rc == ST_ENOENT)
		rc = rt_fail(r, ST_ERR, "the audit log is empty; there is nothing "
		             "to sign");
	if (rc)
		goto done;
	{
		st_sig_claims c;
		st_diags *d = st_diags_new();
		memset(&c, 0, sizeof c);
		strcpy(c.kind, "checkpoint");
		snprintf(c.publisher, sizeof c.publisher, "%s", rt_reg_region(r));
		c.sequence = nrows;
		memcpy(c.head, head, 65);
		c.time = (long long)time(NULL);
		rc = d ? st_sign(&sig, &siglen, d, k, head, 64, &c) : ST_EIO;
		if (rc != ST_OK)
			rc = rt_fail_finding(r, rc, d, "cannot sign the checkpoint: ",
			                     "out of memory");
		st_diags_free(d);
		if (rc)
			goto done;
	}
	if ((rc = rt_reg_read_stable(r)))
		goto done;
	rt_read_end(r);
	if ((rc = write_checkpoint(r, out, nrows, head, sig, siglen, &written)))
		goto done;
	if (written)
		printf("signed a checkpoint of the audit log at row %lld (hash %s) "
		       "with key %s: %s\n", nrows, head, keyid, written);
done:
	free(written);
	free(sig);
	st_seckey_free(k);
	return rt_finish(r, rc);
}

int rt_cmd_audit(rt_ctx *ctx, int argc, char **argv)
{
	const char *pos[1], *cps[RT_MAX_CHECKPOINTS], *pubkey = NULL;
	int json = 0, check = 0, ncps = 0, npos, rc;
	filter f = { NULL, NULL, NULL, NULL };
	st_opt opts[] = {
		ST_FLAG("--json", &json),
		ST_FLAG("--check", &check),
		ST_VALUE("--object", &f.object),
		ST_VALUE("--actor", &f.actor),
		ST_VALUE("--unit", &f.unit),
		ST_VALUE("--since", &f.since),
		ST_MULTI("--checkpoint", cps, &ncps),
		ST_VALUE("--pubkey", &pubkey),
		{ NULL },
	};
	rt_reg *r = NULL;

	if (argc >= 2 && !strcmp(argv[1], "checkpoint"))
		return cmd_checkpoint(ctx, argc - 1, argv + 1);
	rc = rt_parse(ctx, argc, argv, "audit", opts, pos, 0, &npos, audit_help);
	if (rc != ST_CONTINUE)
		return rc;
	if (check && (f.object || f.actor || f.unit || f.since))
		return rt_usage_error("audit", "'--check' checks the whole log; it "
		                      "takes no filter");
	if (!check && (ncps || pubkey))
		return rt_usage_error("audit", "'--checkpoint' and '--pubkey' go "
		                      "with '--check'");
	if (f.since && !since_ok(f.since))
		return rt_usage_error("audit", "'%s' is not a time; write "
		                      "2026-11-23 or 2026-11-23T09:30:00Z", f.since);
	if ((rc = rt_reg_open(&r, ctx->db, RT_OPEN_RAW | RT_OPEN_READONLY)))
		goto done;
	/* One read transaction: the log as of one moment. */
	if ((rc = rt_read_begin(r, "cannot read the audit log")))
		goto done;
	if (!check)
		rc = print_log(r, json, &f);
	else
		rc = check_log(r, json, cps, ncps, pubkey);
	rt_read_end(r);
done:
	return rt_finish(r, rc);
}
