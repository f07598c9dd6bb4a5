/*
 * policy.h — the region's policies: rules that a region-wide admin turns
 * on or off for the whole registry (docs/registry.md, "Policies").  One
 * so far, four-eyes approval: the publisher who imported a version may not
 * also approve it.
 *
 * A policy that was never set is off, so that a registry made before
 * policies existed keeps the rules it had until its admin decides.
 */
#ifndef RT_POLICY_H
#define RT_POLICY_H

#include "registry.h"

#define RT_POLICY_FOUR_EYES "four-eyes"

/* 1 if name is a policy this steg knows. */
int rt_policy_known(const char *name);
/* The policies this steg knows, for messages: "four-eyes". */
const char *rt_policy_names(void);

/* Whether policy name is on (*on = 0 when it was never set, and for a
 * reader of a registry from before policies).  0 or ST_EIO. */
int rt_policy_get(rt_reg *r, const char *name, int *on);

/* Set policy name on or off, recording who and when (inside a
 * transaction; the caller authorises and audits).  0 or ST_EIO. */
int rt_policy_set(rt_reg *r, const char *name, int on, const char *by);

#endif
