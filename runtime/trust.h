/*
 * trust.h — checking a signature against the registry's trust store
 * (the trusted_keys table; `steg trust`), for import and sync.
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

#endif
