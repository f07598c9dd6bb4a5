/*
 * upload.c — a bundle upload, streamed to a temporary file (upload.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "util.h"
#include "upload.h"

#define SV_UPLOAD_BUFFER 8192   /* a part's headers must fit */
#define SV_UPLOAD_FIELDS 8

struct sv_upload {
	struct MHD_PostProcessor *pp;
	size_t max, size;
	int fd;
	char path[4096];
	char filename[256];
	char part[32];              /* the file field's name: "bundle", "key" */
	int files;                  /* parts of that field seen */
	int too_big, malformed, io;
	int raw;                    /* the body is the bundle itself */
	struct {
		char name[32];
		char value[SV_UPLOAD_FIELD + 1];
		size_t len;
	} field[SV_UPLOAD_FIELDS];
	size_t nfields;
};

/* The temporary file the bundle goes to.  0 or -1. */
static int open_file(sv_upload *u)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(u->path, sizeof u->path, "%s/steg-upload.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if ((u->fd = mkstemp(u->path)) < 0) {
		u->path[0] = '\0';
		u->io = 1;
		return -1;
	}
	u->files++;
	return 0;
}

/* The next bytes of the bundle, within the cap.  0 or -1. */
static int write_bundle(sv_upload *u, const char *data, size_t size)
{
	if (u->size + size > u->max) {
		u->too_big = 1;
		return -1;
	}
	for (size_t done = 0; done < size; ) {
		ssize_t w = write(u->fd, data + done, size - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			u->io = 1;
			return -1;
		}
		done += (size_t)w;
	}
	u->size += size;
	return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *filename,
                               const char *ctype, const char *enc,
                               const char *data, uint64_t off, size_t size)
{
	sv_upload *u = cls;
	(void)kind; (void)ctype; (void)enc;
	if (!key)
		return MHD_YES;
	if (!strcmp(key, u->part)) {
		if (off == 0 && u->fd >= 0) {
			u->files++;          /* a second bundle: refused at the end */
			return MHD_YES;
		}
		if (off == 0) {
			snprintf(u->filename, sizeof u->filename, "%s",
			         filename ? filename : "");
			if (open_file(u))
				return MHD_NO;
		}
		return write_bundle(u, data, size) ? MHD_NO : MHD_YES;
	}
	/* A small field: kept, up to its limit. */
	size_t i;
	for (i = 0; i < u->nfields && strcmp(u->field[i].name, key); i++)
		;
	if (i == u->nfields) {
		if (u->nfields == SV_UPLOAD_FIELDS || strlen(key) >= 32) {
			u->malformed = 1;
			return MHD_NO;
		}
		snprintf(u->field[i].name, sizeof u->field[i].name, "%s", key);
		u->nfields++;
	}
	if (u->field[i].len + size > SV_UPLOAD_FIELD) {
		u->too_big = 1;
		return MHD_NO;
	}
	memcpy(u->field[i].value + u->field[i].len, data, size);
	u->field[i].len += size;
	u->field[i].value[u->field[i].len] = '\0';
	return MHD_YES;
}

sv_upload *sv_upload_new(struct MHD_Connection *c, size_t max,
                         const char *part)
{
	sv_upload *u = calloc(1, sizeof *u);
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                             "Content-Type");
	if (!u)
		return NULL;
	u->fd = -1;
	u->max = max;
	snprintf(u->part, sizeof u->part, "%s", part);
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		u->pp = MHD_create_post_processor(c, SV_UPLOAD_BUFFER, on_part, u);
	} else if (ct && !strncasecmp(ct, "application/octet-stream", 24)) {
		u->raw = 1;
		open_file(u);
	}
	return u;
}

void sv_upload_feed(sv_upload *u, const char *data, size_t n)
{
	if (u->raw && u->fd >= 0 && !u->too_big && !u->io) {
		write_bundle(u, data, n);
		return;
	}
	if (!u->pp || u->too_big || u->malformed || u->io || !n)
		return;
	if (MHD_post_process(u->pp, data, n) != MHD_YES && !u->too_big &&
	    !u->io)
		u->malformed = 1;
}

int sv_upload_finish(sv_upload *u, char *why, size_t cap)
{
	int complete = 1;
	if (u->pp) {
		complete = MHD_destroy_post_processor(u->pp) == MHD_YES;
		u->pp = NULL;
	} else if (!u->raw) {
		snprintf(why, cap, "send the %s as application/octet-stream, "
		         "or as multipart/form-data with a boundary in a field "
		         "named '%s'", u->part, u->part);
		return 415;
	}
	if (u->fd >= 0 && close(u->fd) && !u->io)
		u->io = 1;
	u->fd = -1;
	if (u->io) {
		snprintf(why, cap, "cannot store the upload: %s", strerror(errno));
		return 500;
	}
	if (u->too_big) {
		snprintf(why, cap, "the upload is larger than this server takes "
		         "(%s%zu bytes)", strcmp(u->part, "bundle") ? "" :
		         "--max-body ", u->max);
		return 413;
	}
	if (u->malformed || !complete) {
		snprintf(why, cap, "the multipart body is malformed (a part's "
		         "headers too long or missing, or no closing boundary); "
		         "send the form again");
		return 400;
	}
	if (u->raw && u->size == 0 && !u->io) {
		snprintf(why, cap, "the body is empty; send the %s's bytes",
		         u->part);
		return 400;
	}
	if (u->files != 1) {
		if (u->files)
			snprintf(why, cap, "send one %s at a time", u->part);
		else
			snprintf(why, cap, "the form has no file in a field named "
			         "'%s'", u->part);
		return 400;
	}
	return 0;
}

const char *sv_upload_path(const sv_upload *u)
{
	return u->path;
}

const char *sv_upload_filename(const sv_upload *u)
{
	return u->filename;
}

const char *sv_upload_field(const sv_upload *u, const char *name)
{
	for (size_t i = 0; i < u->nfields; i++)
		if (!strcmp(u->field[i].name, name))
			return u->field[i].value;
	return NULL;
}

void sv_upload_free(sv_upload *u)
{
	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	if (u->fd >= 0)
		close(u->fd);
	if (u->path[0])
		unlink(u->path);
	free(u);
}
