/*
 * page.h — checking a page of a bundle (pages/MODULE/NN.xhtml) before
 * anything of it is believed: a page from a partner is served to patients,
 * so it must hold the XHTML that stegc writes and nothing else.
 *
 * The page is parsed with the hardened reader (core/xmlsafe.h: no DOCTYPE,
 * no entities, bounded), then checked in code for what a schema cannot
 * say, each with a finding that names the hazard:
 *   - no element of a script, frame, plug-in, style, form, SVG or MathML,
 *     none outside the XHTML namespace, no processing instruction or
 *     comment ("bundle-page-element");
 *   - no event handler (on...) or style attribute ("bundle-page-attribute");
 *   - no 'javascript:', 'vbscript:' or 'data:' URL in any attribute; an
 *     href is 'https://HOST...', 'tel:...' or a relative path to a page or
 *     media entry the manifest lists ("bundle-page-link");
 *   - a src (img, audio, video, track, source) is a relative path to a
 *     media entry the manifest lists, of the element's kind
 *     ("bundle-page-media");
 * and, when all of that holds, validated against schemas/page.xsd, the
 * allow-list of elements and attributes ("xml-schema").
 * docs/bundle-format.md, "Pages", is the contract.
 */
#ifndef ST_PAGE_H
#define ST_PAGE_H

#include <stddef.h>

#include "diag.h"

#define ST_PAGE_MAX_FINDINGS 20    /* code findings reported per page */

/* Whether entry (a normalised entry name) is listed in the bundle's
 * manifest. */
typedef int (*st_page_listed_fn)(void *ctx, const char *entry);

/* Check the page entry (its name in the bundle, "pages/intro/01.xhtml"),
 * len bytes at data.  file is the display name for findings
 * ("x.steg:pages/intro/01.xhtml") and must outlive d.  Returns ST_OK,
 * ST_ERR after findings, or ST_EIO (an internal error, also reported). */
int st_page_check(st_diags *d, const char *file, const char *entry,
                  const char *data, size_t len, st_page_listed_fn listed,
                  void *ctx);

#endif
