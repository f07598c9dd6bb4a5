/*
 * term.h — asking the person at the terminal, for the binaries only.
 *
 * stegc and steg both ask for a secret key's passphrase on the terminal,
 * and neither may use the other's code, so the one reader lives here; but
 * the library itself never calls it (the library does not read a
 * terminal): each binary passes st_term_ask as the passphrase source's
 * ask function (passphrase.h).  tests/t0020-layers.sh checks that no
 * other core file names it or /dev/tty (docs/architecture.md).
 */
#ifndef ST_TERM_H
#define ST_TERM_H

#include <stddef.h>

/* An st_ask_fn on /dev/tty: writes prompt there and reads one line with
 * echo off (the terminal's settings are restored after).  ctx is unused.
 * ST_ENOENT when the process has no terminal. */
int st_term_ask(void *ctx, const char *prompt, char *buf, size_t cap);

#endif
