/*
 * view.h — the stored versions view.c keeps open (its cache of opened,
 * checked bundles), for the pages that read a version's program besides
 * the patient's view: the difference between two versions (diffpage.c).
 *
 * Ownership: sv_vprog_get hands out a reference the caller gives back
 * with sv_vprog_unref; the program and bundle it points to live as long
 * as the reference and are only read (st_diff_programs reads the
 * bundle's entry list, which is never changed after opening).
 */
#ifndef SV_VIEW_H
#define SV_VIEW_H

#include <stddef.h>
#include "bundle.h"
#include "model.h"
#include "../registry.h"

typedef struct vprog vprog;

/* id@version from the cache, or extracted from the registry, opened and
 * checked as `steg import` checks it.  0, or -1 with the reason in why
 * (no such version, or its stored bundle does not open or check). */
int sv_vprog_get(rt_reg *r, const char *id, const char *version,
                 vprog **out, char *why, size_t cap);
void sv_vprog_unref(vprog *vp);
const st_program *sv_vprog_program(const vprog *vp);
const st_bundle *sv_vprog_bundle(const vprog *vp);

#endif
