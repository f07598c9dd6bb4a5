/*
 * trust.h — the registry's trust store (the trusted_keys table; `steg
 * trust`): its queries, and checking a signature against it for import
 * and sync.
 *
 * The key is picked from the active trusted keys only (the key id in the
 * signature is a hint), the trusted comment must say the expected kind,
 * name as publisher the region the key was trusted for, and not be
 * expired.  A signature by a key that was trusted once and then removed
 * is refused with a message that says so and when.
 */
#ifndef RT_TRUST_H
#define RT_TRUST_H

#include <stddef.h>
#include "sign.h"

struct rt_reg;

/* Verify sig over data (display names the object in messages; kind is
 * "bundle" or "index").  On success *claims holds the trusted comment and
 * region (RT_HSA_MAX + 1 bytes) the region whose key verified.  Returns 0,
 * ST_ERR (refused; the reason in rt_reg_errmsg()) or ST_EIO. */
int rt_trust_verify(struct rt_reg *r, st_sig_claims *claims, char *region,
                    const char *display, const char *kind,
                    const void *data, size_t len,
                    const char *sig, size_t siglen);

/* Verify sig over data against the keys trusted for the registry's own
 * region only (a key of a partner never counts), whatever its expiry: for
 * what the region itself signed earlier, such as the index of its own
 * channel (`steg share`).  Returns 0 with *claims, ST_ERR (the reason in
 * rt_reg_errmsg()) or ST_EIO. */
int rt_trust_verify_own(struct rt_reg *r, st_sig_claims *claims,
                        const char *display, const char *kind,
                        const void *data, size_t len,
                        const char *sig, size_t siglen);

/* ---- the trust store ----------------------------------------------------
 * Every query of the trusted_keys table is one of these (written by
 * `steg init --key` and `steg trust`, read by import, share, sync and the
 * audit checkpoints).  Key ids are 16 upper-case hex digits as minisign
 * prints them (st_keyid_hex()); public keys the base64 line of a minisign
 * .pub.  At most one active key has a given id (an index says so). */

/* The active key with id keyid_hex: *region and *pubkey_b64 are malloc'd
 * (caller frees; either pointer may be NULL when not wanted).  Returns 0,
 * ST_ENOENT when no active key has that id, ST_EIO. */
int rt_trusted_key_find(struct rt_reg *r, const char *keyid_hex,
                        char **region, char **pubkey_b64);

/* Is pk an active key of region (its id and its public key both)?  0 with
 * *yes, or ST_EIO. */
int rt_trusted_key_of(struct rt_reg *r, const st_pubkey *pk,
                      const char *region, int *yes);

/* One key of the store (strings malloc'd, freed by rt_trusted_keys_free). */
typedef struct rt_trusted_row {
	char *region, *keyid, *pubkey;
} rt_trusted_row;

/* The active keys, of region only when it is not NULL, oldest first, into
 * a malloc'd array *rows of *n.  0 or ST_EIO. */
int rt_trusted_keys(struct rt_reg *r, const char *region,
                    rt_trusted_row **rows, size_t *n);
void rt_trusted_keys_free(rt_trusted_row *rows, size_t n);

/* One row of the trust store as `steg trust list` and steg serve's
 * trusted keys page show it ("" for what is not set). */
typedef struct rt_trust_entry {
	char region[65], keyid[17], pubkey[64], comment[512];
	char added_at[32], added_by[65];
	char removed_at[32], removed_by[65];     /* "" while trusted */
} rt_trust_entry;

/* The keys (all 0: the active ones; 1: removed ones too) by region, then
 * as added, into a malloc'd *out of *n (caller frees).  0 or ST_EIO. */
int rt_trusted_key_list(struct rt_reg *r, int all, rt_trust_entry **out,
                        size_t *n);

/* The last removed key with id keyid_hex: its region and when it was
 * removed (copied into the buffers).  0, ST_ENOENT, ST_EIO. */
int rt_trusted_key_removed(struct rt_reg *r, const char *keyid_hex,
                           char *region, size_t region_cap,
                           char removed_at[32]);

/* End the trust in region's active key keyid_hex (inside a transaction;
 * the caller audits): the row stays, with removed_at and removed_by.
 * 0, ST_ENOENT when region has no such active key, ST_EIO. */
int rt_trusted_key_remove(struct rt_reg *r, const char *region,
                          const char *keyid_hex, const char *removed_by);

/* Trust a key (inside a transaction; the caller audits).  ST_ERR when an
 * active key with that id is already trusted. */
int rt_trusted_key_add(struct rt_reg *r, const char *region,
                       const char *keyid_hex, const char *pubkey_b64,
                       const char *comment, const char *added_by);

#endif
