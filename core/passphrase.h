/*
 * passphrase.h — where the passphrase of a secret key comes from: an
 * environment variable, the first line of a file, or, when neither is
 * given, whoever the binary asks.  The library never reads a terminal
 * itself: the binary passes the function that asks (stegc and steg pass
 * st_term_ask, core/term.h), or NULL where there is no one to ask.
 *
 * Passphrases are read into sodium_malloc'd (locked, guarded) memory and
 * zeroed when they are not used; nothing here prints or logs one.
 */
#ifndef ST_PASSPHRASE_H
#define ST_PASSPHRASE_H

#include <stddef.h>

#include "diag.h"

/* The longest passphrase, in bytes. */
#define ST_PASSPHRASE_MAX 1024

/* Ask for a passphrase: show prompt and read one line into buf (cap
 * bytes, NUL-terminated, without its line end).  Returns ST_OK,
 * ST_ENOENT when there is no one to ask, ST_ETOOBIG when the line is
 * longer than cap - 1 bytes, or ST_EIO when nothing could be read. */
typedef int (*st_ask_fn)(void *ctx, const char *prompt, char *buf,
                         size_t cap);

/* At most one of env and file; neither: ask. */
typedef struct st_passphrase {
	const char *env;         /* an environment variable's name */
	const char *file;        /* a file whose first line it is */
	st_ask_fn ask;           /* NULL: nobody to ask */
	void *ask_ctx;           /* passed to ask */
} st_passphrase;

/* For core's key files (keyfile.c): the passphrase of what (a key, named
 * in messages and in the prompt) into buf, which is sodium memory of
 * ST_PASSPHRASE_MAX + 1 bytes.  confirm: ask twice and compare (a new
 * key).  *file_mode (may be NULL) receives the passphrase file's
 * permission bits, for a warning once the passphrase has been used.
 * Returns 0, or an ST_E* code after a "key-passphrase" error in d (buf
 * zeroed). */
int st_passphrase_get(char *buf, st_diags *d, const char *what,
                      const st_passphrase *src, int confirm,
                      unsigned *file_mode);

#endif
