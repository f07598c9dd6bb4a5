/*
 * watch.c — inotify over a program folder (watch.h).
 *
 * Each watch descriptor maps to the folder's path relative to the
 * program ("", "modules", "media/bilder").  The paths changed in a burst
 * are kept in a small set so each is reported once.  sc_watch_stop writes
 * to a pipe that sc_watch_wait polls beside the inotify descriptor.
 */
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "util.h"

#define MAX_WATCHES 512       /* folders; media nests at most four deep */
#define MAX_CHANGES 4096      /* paths in one burst; more is "anything" */
#define MEDIA_DEPTH 4

struct wdir {
	int wd;                   /* -1: free */
	char *rel;                /* malloc'd */
	int depth;                /* media: 1 for media/, 2 below, ... */
};

struct sc_watch {
	char *dir;
	int fd;                   /* inotify */
	int stop[2];              /* pipe */
	struct wdir dirs[MAX_WATCHES];
	size_t ndirs;
	char **changed;           /* this burst's paths, malloc'd */
	size_t nchanged;
	int overflow;             /* lost events or too many paths */
	int writing;              /* files open for writing, roughly */
};

static const char *const subdirs[] = { "modules", "forms", "exercises", "media" };

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static struct wdir *find_wd(sc_watch *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);
	if (!s)
		abort();
	if (la) {
		memcpy(s, a, la);
		s[la] = '/';
		memcpy(s + la + 1, b, lb + 1);
	} else {
		memcpy(s, b, lb + 1);
	}
	return s;
}

/* Watch the folder rel (relative to the program) if it is a real folder
 * inside, and under media/ its subfolders to the loader's depth. */
static void add_dir(sc_watch *w, const char *rel, int depth)
{
	char *path = rel[0] ? join(w->dir, rel) : strdup(w->dir);
	struct stat st;
	if (!path)
		abort();
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(path);
		return;
	}
	uint32_t mask = IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM |
	                IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF |
	                IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR | IN_EXCL_UNLINK;
	int wd = inotify_add_watch(w->fd, path, mask);
	if (wd < 0) {
		free(path);
		return;
	}
	struct wdir *d = find_wd(w, wd);
	if (!d && w->ndirs < MAX_WATCHES)
		d = &w->dirs[w->ndirs++];
	else if (!d) {
		for (size_t i = 0; i < w->ndirs && !d; i++)
			if (w->dirs[i].wd < 0)
				d = &w->dirs[i];
		if (!d) {
			inotify_rm_watch(w->fd, wd);
			free(path);
			return;
		}
	}
	free(d->rel);
	d->wd = wd;
	d->rel = strdup(rel);
	d->depth = depth;
	if (!d->rel)
		abort();
	if (depth > 0 && depth < MEDIA_DEPTH) {
		DIR *dh = opendir(path);
		struct dirent *de;
		while (dh && (de = readdir(dh))) {
			if (de->d_name[0] == '.')
				continue;
			char *sub = join(rel, de->d_name);
			add_dir(w, sub, depth + 1);   /* lstat there: not a symlink */
			free(sub);
		}
		if (dh)
			closedir(dh);
	}
	free(path);
}

sc_watch *sc_watch_new(const char *dir, char *err, size_t errlen)
{
	sc_watch *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->stop[0] = w->stop[1] = -1;
	w->dir = strdup(dir);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!w->dir || w->fd < 0 || pipe(w->stop) != 0 ||
	    fcntl(w->stop[0], F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(w->stop[1], F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(w->stop[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(w->stop[1], F_SETFD, FD_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot watch '%s': %s", dir, strerror(errno));
		sc_watch_free(w);
		return NULL;
	}
	add_dir(w, "", 0);
	if (!w->ndirs) {
		snprintf(err, errlen, "cannot watch '%s': not a folder", dir);
		sc_watch_free(w);
		return NULL;
	}
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++)
		add_dir(w, subdirs[i], !strcmp(subdirs[i], "media"));
	return w;
}

void sc_watch_free(sc_watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (int i = 0; i < 2; i++)
		if (w->stop[i] >= 0)
			close(w->stop[i]);
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].rel);
	for (size_t i = 0; i < w->nchanged; i++)
		free(w->changed[i]);
	free(w->changed);
	free(w->dir);
	free(w);
}

void sc_watch_stop(sc_watch *w)
{
	char c = 1;
	if (write(w->stop[1], &c, 1) < 0) {
		/* full: a stop is pending already */
	}
}

static void note(sc_watch *w, char *rel)
{
	for (size_t i = 0; i < w->nchanged; i++)
		if (!strcmp(w->changed[i], rel)) {
			free(rel);
			return;
		}
	if (w->nchanged >= MAX_CHANGES) {
		w->overflow = 1;
		free(rel);
		return;
	}
	char **n = realloc(w->changed, (w->nchanged + 1) * sizeof *n);
	if (!n)
		abort();
	w->changed = n;
	w->changed[w->nchanged++] = rel;
}

static int is_subdir(const char *name)
{
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++)
		if (!strcmp(name, subdirs[i]))
			return 1;
	return 0;
}

/* Read what is there; 1 if any event counted. */
static int drain(sc_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int any = 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0)
			return any;
		for (char *p = buf; p < buf + n; ) {
			const struct inotify_event *ev = (const void *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				w->overflow = any = 1;
				continue;
			}
			struct wdir *d = find_wd(w, ev->wd);
			if (!d)
				continue;
			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
				if (ev->mask & IN_IGNORED) {
					free(d->rel);
					d->rel = NULL;
					d->wd = -1;
				}
				continue;
			}
			if (!ev->len || ev->name[0] == '.')
				continue;
			/* only program.yaml and the four folders in the top one */
			if (!d->rel[0] && strcmp(ev->name, "program.yaml") &&
			    !is_subdir(ev->name))
				continue;
			char *rel = join(d->rel, ev->name);
			if ((ev->mask & IN_ISDIR) &&
			    (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    (d->rel[0] ? d->depth > 0 && d->depth < MEDIA_DEPTH : 1))
				add_dir(w, rel, d->rel[0] ? d->depth + 1
				                          : !strcmp(ev->name, "media"));
			if (ev->mask & IN_MODIFY)
				w->writing = 1;
			if (ev->mask & IN_CLOSE_WRITE)
				w->writing = 0;
			note(w, rel);
			any = 1;
		}
	}
}

int sc_watch_wait(sc_watch *w, int timeout_ms, int quiet_ms, int max_ms,
                  sc_watch_fn fn, void *ctx)
{
	struct pollfd pf[2] = { { w->fd, POLLIN, 0 }, { w->stop[0], POLLIN, 0 } };
	long start = 0;
	int waited = timeout_ms;
	for (;;) {
		pf[0].revents = pf[1].revents = 0;
		int r = poll(pf, 2, waited);
		if (r < 0 && errno != EINTR)
			return -1;
		if (pf[1].revents)
			return -1;
		if (r > 0 && drain(w) && !start)
			start = now_ms();
		if (!start) {
			if (r == 0)
				return 0;    /* nothing at all */
			continue;
		}
		long t = now_ms();
		if (r == 0 || t - start >= max_ms) {
			/* quiet (or long enough) — unless a file is still being
			 * written, for which the whole of max_ms is granted */
			if (r == 0 && w->writing && t - start < max_ms) {
				waited = quiet_ms;
				continue;
			}
			break;
		}
		waited = quiet_ms;
	}
	int n = 0;
	if (w->overflow)
		fn(ctx, NULL), n++;
	for (size_t i = 0; i < w->nchanged; i++) {
		if (!w->overflow)
			fn(ctx, w->changed[i]), n++;
		free(w->changed[i]);
	}
	w->nchanged = 0;
	w->overflow = 0;
	w->writing = 0;
	return n;
}
