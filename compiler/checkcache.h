/*
 * checkcache.h — the findings of `stegc check`, kept between runs and
 * reused when nothing they depend on has changed (docs/cli.md, "The check
 * cache").
 *
 * The key is a SHA-256 of every input: the bytes of every file in the
 * program folder with its path and size (of a file under media/, its size
 * and the first ST_MEDIA_SNIFF_BYTES bytes, all that check reads of it),
 * the name and type of every folder, the folder as given and its real
 * path, the options that change findings (-Werror, -Wno-CODE, --lix-max),
 * the build ids of stegc and of every library it has loaded, and
 * libmagic's database.  A folder that holds a symbolic link, a device, a
 * pipe or a file that cannot be read is not cached at all.
 *
 * One file per program folder (and options) in $XDG_CACHE_HOME/steg/check
 * (else ~/.cache/steg/check), a private folder: a file that is not the
 * user's, is writable by others, is cut short, fails its checksum or was
 * made for other inputs is ignored, and a new one replaces it.  Deleting
 * the folder is always safe.  Nothing here prints.
 */
#ifndef SC_CHECKCACHE_H
#define SC_CHECKCACHE_H

#include <stddef.h>

#include "diag.h"
#include "util.h"

/* What `stegc check` prints of a clean program besides its findings. */
typedef struct sc_check_summary {
	int have;                   /* 0: program.yaml could not be read */
	const char *id, *version;   /* NULL when the program has none */
	size_t nmodules, nforms, nexercises, nmedia;
} sc_check_summary;

/* The options of a check that change its findings. */
typedef struct sc_check_key_opts {
	double lix_max;
	int werror;
	const char *const *no_codes;
	int nno_codes;
} sc_check_key_opts;

typedef struct sc_checkcache sc_checkcache;

/* The cache entry of folder dir with these options, its key computed now;
 * NULL when this folder or this machine cannot be cached (no cache folder,
 * a file that cannot be read or is no plain file, ...).  Free with
 * sc_checkcache_free. */
sc_checkcache *sc_checkcache_open(const char *dir,
                                  const sc_check_key_opts *ko);
void sc_checkcache_free(sc_checkcache *c);

/* When the entry holds the findings of exactly these inputs: adds them
 * (with their notes and the source texts they point into) to d in their
 * original order, fills *s (its strings in a), and returns 1.  Else 0,
 * and d is untouched. */
int sc_checkcache_get(sc_checkcache *c, st_diags *d, st_arena *a,
                      sc_check_summary *s);

/* Keep the findings of d and *s for the key of sc_checkcache_open, when
 * the inputs still hash to it (a file edited while check ran is not
 * cached) and no finding is an I/O error.  Failing to write is silent. */
void sc_checkcache_put(sc_checkcache *c, const st_diags *d,
                       const sc_check_summary *s);

#endif
