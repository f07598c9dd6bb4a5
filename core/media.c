/*
 * media.c — the media table and sniffing with libmagic (core/media.h).
 *
 * libmagic is asked for a MIME type only, from soft magic, without
 * looking into compressed data, archives or executables (those tests only
 * cost time and open more parser surface, and no media file needs them).
 * A magic_t is not safe to share between threads, so calls are
 * serialised; one sniff of 64 KiB takes microseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <magic.h>

#include "media.h"
#include "i18n.h"

static const st_media_type types[] = {
	{ "png",  ST_MEDIA_IMAGE,   ST_N("a PNG image"),  { "image/png", NULL } },
	{ "jpg",  ST_MEDIA_IMAGE,   ST_N("a JPEG image"), { "image/jpeg", NULL } },
	{ "jpeg", ST_MEDIA_IMAGE,   ST_N("a JPEG image"), { "image/jpeg", NULL } },
	{ "gif",  ST_MEDIA_IMAGE,   ST_N("a GIF image"),  { "image/gif", NULL } },
	{ "webp", ST_MEDIA_IMAGE,   ST_N("a WebP image"), { "image/webp", NULL } },
	{ "mp3",  ST_MEDIA_AUDIO,   ST_N("MP3 audio"),    { "audio/mpeg", NULL } },
	/* an MPEG-4 file of sound only; encoders label some "isom", which
	 * libmagic calls video */
	{ "m4a",  ST_MEDIA_AUDIO,   ST_N("MPEG-4 audio"),
	  { "audio/x-m4a", "audio/mp4", "video/mp4", NULL } },
	{ "ogg",  ST_MEDIA_AUDIO,   ST_N("Ogg audio"),    { "audio/ogg", "application/ogg", NULL } },
	{ "mp4",  ST_MEDIA_VIDEO,   ST_N("an MPEG-4 video"), { "video/mp4", "video/x-m4v", NULL } },
	{ "webm", ST_MEDIA_VIDEO,   ST_N("a WebM video"), { "video/webm", NULL } },
	/* libmagic calls a WebVTT file without cues text/plain: the
	 * signature is checked here */
	{ "vtt",  ST_MEDIA_CAPTION, ST_N("WebVTT captions"), { "text/vtt", "text/plain", NULL } },
};

const st_media_type *st_media_type_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash + 1 : name, '.');
	if (!dot || dot == (slash ? slash + 1 : name))
		return NULL;   /* no extension, or a name that is only one */
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (!strcmp(dot + 1, types[i].ext))
			return &types[i];
	return NULL;
}

st_media_kind st_media_kind_of(const char *name)
{
	const st_media_type *t = st_media_type_of(name);
	return t ? t->kind : 0;
}

const char *st_media_kind_noun(st_media_kind k)
{
	switch (k) {
	case ST_MEDIA_IMAGE: return st_tr("an image");
	case ST_MEDIA_AUDIO: return st_tr("audio");
	case ST_MEDIA_VIDEO: return st_tr("a video");
	case ST_MEDIA_CAPTION: return st_tr("a caption file");
	default: return st_tr("media");
	}
}

const char *st_media_extensions(void)
{
	return ".png, .jpg, .jpeg, .gif or .webp images, .mp3, .m4a or .ogg "
	       "audio, .mp4 or .webm video, .vtt captions";
}

/* ---- libmagic, once ------------------------------------------------------ */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;          /* NULL when it could not be loaded */
static char load_error[256];

static void load(void)
{
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
	                       MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_CDF |
	                       MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_JSON |
	                       MAGIC_NO_CHECK_CSV);
	if (!m) {
		snprintf(load_error, sizeof load_error, "%s", strerror(errno));
		return;
	}
	if (magic_load(m, NULL) != 0) {
		const char *e = magic_error(m);
		snprintf(load_error, sizeof load_error, "%s",
		         e ? e : "the database cannot be read");
		magic_close(m);
		return;
	}
	cookie = m;
}

/* "WEBVTT" after an optional byte order mark, then the end, a space, a tab
 * or a line break (the WebVTT file signature). */
static int webvtt_signature(const unsigned char *s, size_t n)
{
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		n -= 3;
	}
	if (n < 6 || memcmp(s, "WEBVTT", 6))
		return 0;
	return n == 6 || s[6] == ' ' || s[6] == '\t' || s[6] == '\n' ||
	       s[6] == '\r';
}

int st_media_sniff(const st_media_type *t, const void *head, size_t len,
                   char *found, size_t foundlen)
{
	if (len == 0) {
		snprintf(found, foundlen, "%s", st_tr("nothing (the file is empty)"));
		return ST_ERR;
	}
	pthread_once(&once, load);
	if (!cookie) {
		snprintf(found, foundlen, st_tr_fmt("cannot load libmagic's file "
		         "type database: %s"), load_error);
		return ST_EIO;
	}
	if (len > ST_MEDIA_SNIFF_BYTES)
		len = ST_MEDIA_SNIFF_BYTES;
	pthread_mutex_lock(&mu);
	const char *r = magic_buffer(cookie, head, len);
	snprintf(found, foundlen, "%s", r ? r : st_tr("data of no known type"));
	pthread_mutex_unlock(&mu);
	int ok = 0;
	for (size_t i = 0; t->mime[i] && !ok; i++)
		ok = !strcmp(found, t->mime[i]);
	if (ok && t->kind == ST_MEDIA_CAPTION && !webvtt_signature(head, len)) {
		snprintf(found, foundlen, st_tr_fmt("%s without the signature "
		         "'WEBVTT' on its first line"), r ? r : st_tr("text"));
		ok = 0;
	}
	return ok ? ST_OK : ST_ERR;
}

int st_media_sniff_file(const st_media_type *t, const char *path,
                        char *found, size_t foundlen)
{
	unsigned char *head = malloc(ST_MEDIA_SNIFF_BYTES);
	if (!head) {
		snprintf(found, foundlen, "%s", st_tr("out of memory"));
		return ST_EIO;
	}
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	                    O_NONBLOCK);
	if (fd < 0) {
		snprintf(found, foundlen, st_tr_fmt("cannot open: %s"), strerror(errno));
		free(head);
		return ST_EIO;
	}
	size_t len = 0;
	while (len < ST_MEDIA_SNIFF_BYTES) {
		ssize_t n = read(fd, head + len, ST_MEDIA_SNIFF_BYTES - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(found, foundlen, st_tr_fmt("cannot read: %s"),
			         strerror(errno));
			close(fd);
			free(head);
			return ST_EIO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	int rc = st_media_sniff(t, head, len, found, foundlen);
	free(head);
	return rc;
}

void st_media_mismatch(st_buf *b, const st_media_type *t, const char *found)
{
	st_buf_printf(b, st_tr_fmt("is not %s: a .%s file must be %s (%s), but "
	              "this one holds %s"), st_media_kind_noun(t->kind), t->ext,
	              st_tr(t->format),
	              t->mime[0], found);
}

void st_media_db_stamp(st_buf *b)
{
	st_buf_printf(b, "magic %d\n", magic_version());
	const char *paths = magic_getpath(NULL, 0);
	if (!paths)
		return;
	for (const char *s = paths; *s; ) {
		size_t n = strcspn(s, ":");
		char path[4096], mgc[4100];
		struct stat st;
		if (n < sizeof path) {
			memcpy(path, s, n);
			path[n] = '\0';
			/* magic_load prefers the compiled PATH.mgc beside PATH */
			snprintf(mgc, sizeof mgc, "%s.mgc", path);
			const char *both[2] = { path, mgc };
			for (int i = 0; i < 2; i++)
				if (stat(both[i], &st) == 0)
					st_buf_printf(b, "%s %lld %lld.%09ld\n", both[i],
					              (long long)st.st_size,
					              (long long)st.st_mtim.tv_sec,
					              st.st_mtim.tv_nsec);
				else
					st_buf_printf(b, "%s -\n", both[i]);
		}
		s += n;
		if (*s == ':')
			s++;
	}
}
