/*
 * auditcheck.h — the audit log's whole check, once: `steg audit --check`
 * prints its verdict, steg serve's /audit page shows it.  The hash chain
 * (rt_audit_check), the append-only guards, the registry's state against
 * the log, and every signed checkpoint given or kept in the registry's
 * checkpoint folder (the .minisig files of REGISTRY.checkpoints/): its
 * signature by a key of the region, and that the log still extends it
 * (docs/registry.md).
 *
 * Ownership: the verdict's arrays are malloc'd by rt_audit_verify and
 * freed by rt_audit_verdict_release.
 */
#ifndef RT_AUDITCHECK_H
#define RT_AUDITCHECK_H

#include "registry.h"

#define RT_MAX_CHECKPOINTS 64   /* given (--checkpoint); and in the folder */
#define RT_CHECKPOINT_MAX 4096  /* bytes of one checkpoint file */

typedef struct rt_checkpoint_seen {
	char *file;                 /* its path */
	long long row, time;        /* the row it signed, when (unix time) */
	char key[17];               /* the key that signed it */
} rt_checkpoint_seen;

typedef struct rt_audit_verdict {
	long long rows;             /* rows in the log */
	long long broken_at;        /* the first row that does not hold, 0 */
	/* Every checkpoint checked, the given ones first, then the folder's
	 * by name; when the check failed at one, failed is its index, else
	 * -1 (only those before it were checked). */
	rt_checkpoint_seen *cps;
	int ncps, failed;
} rt_audit_verdict;

/* The folder beside the registry where checkpoints are kept
 * (REGISTRY.checkpoints; malloc'd, NULL when out of memory). */
char *rt_checkpoint_dir(rt_reg *r);

/* Check the whole log inside the caller's read transaction, against
 * files[0..n) and the folder's checkpoints, with pubkey (a .pub file) or,
 * when NULL, the keys the registry trusts for its own region.  ST_OK when
 * everything holds; ST_ERR when something does not (the reason in
 * rt_reg_errmsg, *v says where); ST_EIO.  *v is filled in every case. */
int rt_audit_verify(rt_reg *r, const char *const *files, int n,
                    const char *pubkey, rt_audit_verdict *v);
void rt_audit_verdict_release(rt_audit_verdict *v);

/* The verdict as `steg audit --check --json` prints it: {"ok", "rows",
 * and when it failed "broken_at", "checkpoint", "reason"; when it held
 * and checkpoints were checked, "checkpoints": [{"file", "row", "time",
 * "key"}]}.  rc is rt_audit_verify's.  A new reference. */
struct json_t *rt_audit_verdict_json(rt_reg *r, int rc,
                                     const rt_audit_verdict *v);

#endif
