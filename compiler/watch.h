/*
 * watch.h — noticing edits to a program folder (Linux inotify), for
 * stegc preview's live reload.
 *
 * Watched: the folder itself (program.yaml, and the four folders coming
 * and going), modules/, forms/, exercises/ and media/ with its subfolders
 * (four deep, as the loader reads them).  A folder is watched only when it
 * is one (lstat: never a symlink) and inotify is told not to follow one,
 * so nothing outside the program folder is ever watched.  Editors that
 * save by writing a new file and renaming it over the old one are seen
 * as the rename (IN_MOVED_TO); names starting with '.' (swap and backup
 * files; the loader skips them too) are ignored.
 *
 * A burst of events (a save is several; a checkout many) is gathered
 * into one report: after the first event, events are read until none
 * has come for quiet_ms — longer while a file is open for writing
 * (IN_MODIFY seen, IN_CLOSE_WRITE not yet), up to max_ms in all.
 *
 * Ownership: an sc_watch is the caller's (sc_watch_free).  sc_watch_stop
 * may be called from another thread or a signal handler.
 */
#ifndef SC_WATCH_H
#define SC_WATCH_H

#include <stddef.h>

typedef struct sc_watch sc_watch;

/* Start watching dir (copied).  NULL on failure, with a reason in err. */
sc_watch *sc_watch_new(const char *dir, char *err, size_t errlen);
void sc_watch_free(sc_watch *w);

/* Called once per changed path: rel is inside the folder
 * ("modules/02-x.md", "program.yaml", "media/bilder"); NULL when events
 * were lost and anything may have changed. */
typedef void (*sc_watch_fn)(void *ctx, const char *rel);

/* Wait for a change for up to timeout_ms (-1: for ever), gather the burst
 * and report each path once.  Returns the number of paths reported, 0 on
 * timeout, -1 after sc_watch_stop or on an error. */
int sc_watch_wait(sc_watch *w, int timeout_ms, int quiet_ms, int max_ms,
                  sc_watch_fn fn, void *ctx);

/* Make sc_watch_wait return -1, now or at its next call. */
void sc_watch_stop(sc_watch *w);

#endif
