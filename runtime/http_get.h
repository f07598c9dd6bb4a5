/*
 * http_get.h — fetching one http or https URL into memory (for channels,
 * runtime/channel.c), through libcurl loaded at the first fetch.
 *
 * steg is not linked with libcurl: libcurl and the libraries it needs (TLS,
 * HTTP/2, Kerberos, LDAP, SSH, IDN: about 30) took most of the start-up
 * time of every steg command, while only `steg sync` from a URL uses them.
 * The first rt_http_get loads libcurl.so.4 (dlopen) and looks up the few
 * functions it calls; a steg without libcurl installed still runs every
 * command, and a fetch from a URL then fails with a message saying so.
 * Not thread-safe (steg fetches from one thread).
 */
#ifndef RT_HTTP_GET_H
#define RT_HTTP_GET_H

#include <stddef.h>

/* Fetch url (http or https, also after at most three redirects, time
 * limits as in docs/channels.md) into *data, malloc'd and NUL-terminated
 * (the caller frees it), its length in *len.  When from is not NULL, the
 * URL the bytes came from after redirects goes there (truncated at
 * fromcap).  Returns ST_OK; ST_ETOOBIG when the body is larger than max
 * bytes; ST_ENOENT for HTTP 404 or 410; ST_EIO for any other failure,
 * libcurl missing included.  On failure err says why and *data is NULL. */
int rt_http_get(char **data, size_t *len, char *from, size_t fromcap,
                const char *url, size_t max, char *err, size_t errlen);

#endif
