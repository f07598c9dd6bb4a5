/*
 * manifest.h — manifest.xml, the table of contents of a bundle
 * (schemas/manifest.xsd, docs/bundle-format.md).
 *
 * The manifest names the program (id, version, title, language, kind,
 * producer), the compiler and the build time, and lists every other entry
 * of the bundle with its size and SHA-256.  It is the file a publisher
 * signs, so it is written deterministically (the same st_manifest gives the
 * same bytes) and read with suspicion: parsed from memory with no DOCTYPE,
 * validated against the schema embedded in the binary, then walked.
 */
#ifndef ST_MANIFEST_H
#define ST_MANIFEST_H

#include "diag.h"
#include "util.h"

#define ST_MANIFEST_NS "urn:steg:manifest:1"
#define ST_MANIFEST_FORMAT 1

typedef struct st_manifest_entry {
	const char *path;          /* "program.xml", "pages/intro/01.xhtml" */
	long long size;
	char sha256[65];
} st_manifest_entry;

typedef struct st_manifest {
	const char *id;
	const char *version;
	const char *title;
	const char *language;
	const char *kind;
	const char *producer_id;
	const char *producer_name;
	const char *compiler;      /* "stegc 0.1.0" */
	int source_format;         /* program.yaml's `steg:` */
	long long build_time;      /* unix time (SOURCE_DATE_EPOCH) */
	st_manifest_entry *entries;
	size_t nentries;
} st_manifest;

/* Serialise m as manifest.xml into out (appended).  Deterministic. */
void st_manifest_write(st_buf *out, const st_manifest *m);

/* Parse and validate manifest.xml; strings live in a.  file is the
 * display name for diagnostics ("x.steg:manifest.xml").  Returns 0, or
 * ST_ERR after adding the "xml-*" findings of core/xmlsafe.h. */
int st_manifest_read(st_manifest *out, st_arena *a, st_diags *d,
                     const char *file, const char *xml, size_t len);

/* Validate an XML document (bytes) against the embedded schema
 * schema_name ("manifest.xsd", "program.xsd").  Returns 0 when valid;
 * otherwise writes libxml2's first message into err and returns ST_ERR
 * (or ST_EIO when the schema itself is missing or broken). */
int st_manifest_validate_bytes(const char *schema_name, const char *xml,
                               size_t len, char *err, size_t errlen);

/* "2023-11-14T22:13:20Z" for a unix time (UTC; 0 means 1980-01-01). */
void st_manifest_time(char out[32], long long t);

#endif
