/*
 * media.h — the one table of media a program and a bundle may carry, and
 * the check that a file's bytes are what its extension says.
 *
 * The kind of a media file follows its extension, in lower case, exactly
 * as written ("x.PNG" is no media file): the compiler's loader
 * (compiler/load.c), the Markdown renderer (compiler/markdown.c), `stegc
 * inspect` and the bundle reader (core/bundle_read.c) all ask
 * st_media_type_of, so that what one accepts the others accept too.
 *
 * Sniffing uses libmagic on the first ST_MEDIA_SNIFF_BYTES bytes: a ".png"
 * must be a PNG, a ".mp3" MPEG audio, and so on (the table in media.c
 * lists the MIME types accepted for each).  Captions (.vtt) must also
 * start with the WebVTT signature.  The type database is loaded once per
 * process, on first use, and kept (reachable, never freed); calls from
 * several threads are serialised.  SVG is not a media type at all
 * (docs/bundle-format.md says why).
 */
#ifndef ST_MEDIA_H
#define ST_MEDIA_H

#include <stddef.h>

#include "model.h"
#include "util.h"

#define ST_MEDIA_SNIFF_BYTES (64u << 10)

typedef struct st_media_type {
	const char *ext;           /* "png": lower case, without the dot */
	st_media_kind kind;
	const char *format;        /* "a PNG image", for messages */
	const char *mime[4];       /* accepted sniffed types, NULL-terminated */
} st_media_type;

/* The type of a file or entry name by its extension, or NULL when the name
 * has none of the table's (then it is no media file). */
const st_media_type *st_media_type_of(const char *name);
/* Its kind, or 0 when st_media_type_of is NULL. */
st_media_kind st_media_kind_of(const char *name);
/* "an image", "audio", "a video", "captions". */
const char *st_media_kind_noun(st_media_kind k);
/* The extensions for messages: ".png, .jpg, .jpeg, .gif or .webp images,
 * .mp3, .m4a or .ogg audio, .mp4 or .webm video, .vtt captions". */
const char *st_media_extensions(void);

/* Whether head (the first len bytes of a file of type t: all of it, or at
 * least ST_MEDIA_SNIFF_BYTES) holds what t says.  ST_OK when it does;
 * ST_ERR when not, with what it holds instead in found ("text/html", "an
 * empty file"); ST_EIO when the type database cannot be loaded (found
 * then says why). */
int st_media_sniff(const st_media_type *t, const void *head, size_t len,
                   char *found, size_t foundlen);

/* The same for a file on disk (read without following a symbolic link).
 * ST_EIO also when it cannot be read. */
int st_media_sniff_file(const st_media_type *t, const char *path,
                        char *found, size_t foundlen);

/* What the sniffing depends on besides the bytes, appended to b: libmagic's
 * version and the path, size and modification time of each file of its
 * database as magic_load would find it, so that a cache of findings
 * (compiler/checkcache.c) can tell when an upgrade changed them. */
void st_media_db_stamp(st_buf *b);

/* The end of a message about a mismatch, after "'media/x.png' ":
 * "is not an image: a .png file must be a PNG image (image/png), but this
 * one holds text/plain". */
void st_media_mismatch(st_buf *b, const st_media_type *t, const char *found);

#endif
