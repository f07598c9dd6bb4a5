/*
 * bundle.h — writing and reading .steg bundles (docs/bundle-format.md).
 *
 * Writing: st_bundle_write() turns a checked st_program into a zip at a
 * path, atomically (temporary file + rename), reproducibly (fixed entry
 * order, timestamps from SOURCE_DATE_EPOCH, fixed attributes) and, with
 * self_check, manifest.xml and program.xml validated against the
 * embedded schemas before the bundle goes into place.  Media are stored
 * uncompressed and streamed from disk, hashed again as they are written:
 * a file that changed since the manifest was made fails the write
 * ("bundle-source-changed").
 *
 * Reading: st_bundle_open() applies every check of `stegc verify` —
 * zip safety against libzip 1.7.3 (raw names against a strict pattern,
 * regular files only, STORE/DEFLATE only, caps on entries, sizes and ratio,
 * bounded streamed reads, ZIP_CHECKCONS), only kinds of entry the format
 * knows, manifest and program schemas, the set of entries equal to the
 * manifest's, every size and SHA-256, every page checked (core/page.h) and
 * every media entry's bytes sniffed (core/media.h) — and reports each
 * problem into the st_diags with the code "bundle-*".
 * The signature (manifest.xml.minisig) is read but checked by the caller
 * against its trust store (core/sign.h).
 */
#ifndef ST_BUNDLE_H
#define ST_BUNDLE_H

#include "diag.h"
#include "manifest.h"
#include "model.h"
#include "util.h"

#define ST_BUNDLE_MAX_ENTRIES   20000
#define ST_BUNDLE_MAX_ENTRY     (256ull << 20)   /* one entry */
#define ST_BUNDLE_MAX_TOTAL     (2ull << 30)     /* all entries */
#define ST_BUNDLE_MAX_RATIO     200              /* uncompressed/compressed */
#define ST_BUNDLE_MAX_XML       (64u << 20)      /* manifest/program.xml */
#define ST_BUNDLE_MAX_NAME      255              /* bytes in an entry name */
#define ST_BUNDLE_DEFAULT_LEVEL 1                /* deflate level of text entries */

typedef struct st_bundle st_bundle;

typedef struct st_bundle_write_opts {
	int compression_level;     /* deflate level for text entries, 1..9;
	                              0 means the default,
	                              ST_BUNDLE_DEFAULT_LEVEL */
	const char *signature;     /* manifest.xml.minisig text to include,
	                              or NULL */
	const char *signed_manifest;   /* the manifest.xml the signature covers
	                                  (from st_bundle_manifest), or NULL:
	                                  the write fails when its own differs */
	size_t signed_manifest_len;
	int self_check;            /* nonzero: validate manifest.xml and
	                              program.xml against the schemas built in
	                              before the bundle goes into place (a
	                              failure is an internal error: a bug in
	                              stegc).  Off, the writer trusts itself:
	                              every reader validates both, and the
	                              test suite builds with it on
	                              (docs/bundle-format.md) */
	int jobs;                  /* threads that deflate the pages, this
	                              one included (at most 8); 0 or 1: this
	                              thread alone */
} st_bundle_write_opts;

/* Write prog (already checked, pages rendered) to out_path.  Returns 0, or
 * an ST_E* code after adding a diagnostic (ST_ERR when a media file changed
 * during the write); on failure out_path is as it was before. */
int st_bundle_write(st_diags *d, const st_program *prog, const char *out_path,
                    const st_bundle_write_opts *opts);

/* The manifest.xml bytes that st_bundle_write would write, for signing
 * before the bundle is written (not validated here: a write with
 * self_check validates the same bytes).  Caller frees *xml. */
int st_bundle_manifest(st_diags *d, const st_program *prog, char **xml,
                       size_t *len);

/* Open and verify the bundle at path (also the name its diagnostics give).
 * On success (return 0) *out is an open bundle whose program
 * (st_bundle_program) is parsed from program.xml. */
int st_bundle_open(st_bundle **out, st_diags *d, const char *path);
void st_bundle_free(st_bundle *b);

const st_program *st_bundle_program(const st_bundle *b);
/* manifest.xml exactly as stored (the bytes the signature covers). */
const char *st_bundle_manifest_xml(const st_bundle *b, size_t *len);
/* manifest.xml.minisig as stored, or NULL if the bundle is unsigned. */
const char *st_bundle_signature(const st_bundle *b, size_t *len);
/* The parsed manifest (identity, compiler, build time, entries). */
const st_manifest *st_bundle_manifest_info(const st_bundle *b);
/* SHA-256 of the whole bundle file, hex. */
const char *st_bundle_sha256(const st_bundle *b);
/* The bundle file's bytes are not kept; this is its size. */
long long st_bundle_size(const st_bundle *b);

/* Entries, in manifest order. */
size_t st_bundle_nentries(const st_bundle *b);
const char *st_bundle_entry_name(const st_bundle *b, size_t i);
long long st_bundle_entry_size(const st_bundle *b, size_t i);
const char *st_bundle_entry_sha256(const st_bundle *b, size_t i);
/* Read one entry (bounded, verified against the manifest) into *data
 * (malloc'd, caller frees). */
int st_bundle_read_entry(st_bundle *b, st_diags *d, const char *name,
                         char **data, size_t *len);

/* Stream one entry through sink in chunks (at most 64 KiB each), without
 * holding it in memory: for serving media.  The bytes are bounded by the
 * declared size and their SHA-256 is compared with the manifest's at the
 * end: a mismatch (ST_ERR, "bundle-hash-mismatch") comes after the sink
 * has seen the data, so a caller that must not pass on bad bytes buffers
 * or uses st_bundle_read_entry.  sink returns non-zero to stop (ST_EIO). */
int st_bundle_stream_entry(st_bundle *b, st_diags *d, const char *name,
                           int (*sink)(void *ctx, const void *data, size_t len),
                           void *ctx);

/* Replace or add manifest.xml.minisig in an existing bundle, atomically,
 * keeping every other entry byte-identical.  (stegc sign) */
int st_bundle_set_signature(st_diags *d, const char *path, const char *sig,
                            size_t siglen);

/* True if name (a safe entry name) is a kind of entry the format knows:
 * manifest.xml, manifest.xml.minisig, program.xml, pages/....xhtml, or
 * media/... with an extension of core/media.h's table. */
int st_bundle_entry_kind_ok(const char *name);

/* True if name (n bytes) is a safe entry name: a relative path of
 * segments of [A-Za-z0-9._-], no empty, '.' or '..' segment, at most
 * ST_BUNDLE_MAX_NAME bytes.  Used by both the writer and the reader. */
int st_bundle_name_ok(const char *name, size_t n);

#endif
