/*
 * assets.h — the server pages' one stylesheet (no script: every page
 * works without it).
 */
#ifndef SV_ASSETS_H
#define SV_ASSETS_H

#include <stddef.h>

extern const char sv_css[];
extern const size_t sv_css_len;

#endif
