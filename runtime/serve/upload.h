/*
 * upload.h — a file (a bundle, or a public key for the trusted keys)
 * uploaded as multipart/form-data (a browser's form)
 * or as the body itself (application/octet-stream), streamed to a
 * private temporary file as it arrives (never held in memory), capped at
 * --max-body bytes; the form's small fields (the CSRF token, options)
 * kept beside it, each at most SV_UPLOAD_FIELD bytes.  libmicrohttpd's
 * post processor reads the multipart framing; a body it cannot read to
 * the closing boundary is refused as malformed.
 *
 * Ownership: the connection owns the sv_upload (main.c), and
 * sv_upload_free removes the temporary file.
 */
#ifndef SV_UPLOAD_H
#define SV_UPLOAD_H

#include <stddef.h>
#include <microhttpd.h>

#define SV_UPLOAD_FIELD 1024

typedef struct sv_upload sv_upload;

/* For a request whose headers have arrived; never NULL but when out of
 * memory (a Content-Type that is not multipart/form-data with a boundary
 * is remembered and refused at the end). */
sv_upload *sv_upload_new(struct MHD_Connection *c, size_t max,
                         const char *part);
/* The next piece of the body. */
void sv_upload_feed(sv_upload *u, const char *data, size_t n);
/* After the whole body: 0 when it held a whole form with one file field
 * named part (sv_upload_new), or a raw body that is not empty; else the status to answer (400, 413, 415, 500) with the
 * reason in why. */
int sv_upload_finish(sv_upload *u, char *why, size_t cap);
/* The file the bundle was written to, and the name the browser gave it
 * ("" when none). */
const char *sv_upload_path(const sv_upload *u);
const char *sv_upload_filename(const sv_upload *u);
/* A small field's value, or NULL when it was not sent. */
const char *sv_upload_field(const sv_upload *u, const char *name);
void sv_upload_free(sv_upload *u);

#endif
