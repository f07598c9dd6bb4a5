/*
 * import.h — importing one bundle in two halves (import.c), so that
 * a caller can put the write inside a transaction of its own:
 *
 *     rt_import im; rt_import_init(&im);
 *     rt_import_prepare(r, &im, path, display, allow_unsigned)
 *                                        every check, no lock held
 *     rt_begin(r); rt_authorize(...)
 *     rt_import_locked(r, &who, &im, via, &already)
 *                                        rows + "import" audit row
 *     ... the caller's own rows and audit row ...
 *     rt_commit(r)
 *     rt_import_release(&im)
 *
 * `steg import` is exactly this with nothing of its own in between;
 * `steg sync` (cmd_channel.c) imports every new bundle of a channel and
 * records the channel's sequence in one transaction, so that a crash
 * leaves the bundles imported and the sequence recorded, or neither.
 *
 * The bytes stored are the bytes verified: prepare reads the file once,
 * hashes it, and requires the bundle reader's hash to agree.
 */
#ifndef RT_IMPORT_H
#define RT_IMPORT_H

#include <stddef.h>
#include "registry.h"
#include "util.h"

typedef struct rt_import {
	char object[300];          /* "ID@VERSION" once known, else the path */
	char sha256[65];           /* of the whole file */
	size_t len;
	char signer[RT_HSA_MAX + 1];   /* the region whose key verified; ""
	                                  when unsigned */
	char keyid[17];
	/* What the registry stores of the program (malloc'd copies: the
	 * bundle and its parse trees are freed when prepare returns, so that
	 * a sync holding many prepared bundles holds only their bytes). */
	char *id, *version, *title, *kind, *language, *producer_id,
	     *producer_name, *compiler;
	size_t nmodules, nforms;
	long major, minor, patch;
	/* After a refusal: the findings that say why (the bundle reader's
	 * or the checker's) as steg's text form ("FILE:LINE: error: ...",
	 * st_diags_render), for the caller to show; NULL when the message
	 * says it all.  Owned by im. */
	char *findings;
	/* private: the verified bytes */
	char *data;
	int keep_findings;
} rt_import;

void rt_import_init(rt_import *im);
void rt_import_release(rt_import *im);

/* Every check of `steg import` on the bundle at path, outside any
 * transaction: size limit, the bundle reader's checks, the program
 * checked again, MAJOR.MINOR.PATCH, and the signature against the trusted
 * keys (required unless allow_unsigned; a signature that is there must
 * hold and its claims must be the bundle's own: st_bundle_claims_check,
 * the check of `stegc verify --pubkey`, so the producer is the region
 * whose key signed).  display names the
 * bundle in messages (NULL: path).  Prints nothing: the findings behind
 * a refusal are kept in im->findings (the message refers to them).
 * Returns 0; ST_ERR when refused (the reason in rt_reg_errmsg(),
 * im->object then names what to audit); ST_EIO. */
int rt_import_prepare(rt_reg *r, rt_import *im, const char *path,
                      const char *display, int allow_unsigned);

/* Inside the caller's transaction, with who authorised: store the
 * prepared bundle (blob, program, version) and append its "import" audit
 * row (via, when not NULL, is added to the row's detail, e.g. "from
 * channel 'X'").  Does not commit.  When the same bytes are already
 * imported, nothing is written and *already is set.  ST_ERR (nothing
 * written) when the version was imported with other content (the message
 * says by whom and when), or when the registry holds the program id from
 * another producer (program ids belong to their producer); ST_EIO. */
int rt_import_locked(rt_reg *r, const rt_actor *who, rt_import *im,
                     const char *via, int *already);

/* Where the stored id@version came from, for messages: "producer 'R',
 * imported by U at T, signed by key K of 'S'" or "producer 'R', imported
 * unsigned (with --allow-unsigned) by U at T".  Returns 0, ST_ENOENT (no
 * such version; out is ""), ST_EIO. */
int rt_version_origin(rt_reg *r, const char *id, const char *version,
                      char *out, size_t cap);

/* The line `steg import` prints for an import that was committed. */
void rt_import_print(const rt_import *im);

#endif
