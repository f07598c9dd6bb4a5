/*
 * util.h — the small pieces every part of Steg uses: an arena allocator,
 * a growable byte buffer, bounded file reading, atomic file writing and
 * SHA-256.
 *
 * Ownership, the house rule for the whole code base: memory returned by a
 * function that takes an st_arena lives in that arena and is freed with it;
 * memory returned by a function named *_new or *_strdup is the caller's and
 * is freed with the matching *_free or free().
 *
 * The arena hands out memory from large blocks.  With STEG_ARENA_DEBUG set
 * in the environment each allocation is its own malloc, so that the
 * sanitizers and valgrind see every overrun.
 */
#ifndef ST_UTIL_H
#define ST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- arena ---------------------------------------------------------- */
typedef struct st_arena st_arena;

st_arena *st_arena_new(void);
void st_arena_free(st_arena *a);
/* Move everything src holds into dst (freed with dst from now on) and
 * free src itself: what a worker thread allocated in its own arena joins
 * the result's.  An arena is used by one thread at a time. */
void st_arena_adopt(st_arena *dst, st_arena *src);
/* Zeroed memory; aborts on out-of-memory (the only abort in the code). */
void *st_alloc(st_arena *a, size_t n);
char *st_strdup(st_arena *a, const char *s);
char *st_strndup(st_arena *a, const char *s, size_t n);
char *st_sprintf(st_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Grow an arena array: returns a copy of old (n elements of size sz) with
 * room for cap elements. */
void *st_grow(st_arena *a, void *old, size_t n, size_t cap, size_t sz);

/* A typed growable array in an arena: ST_PUSH(a, arr, n, cap, value). */
#define ST_PUSH(ar, arr, n, cap, val) do { \
	if ((n) == (cap)) { \
		size_t nc_ = (cap) ? (cap) * 2 : 8; \
		(arr) = st_grow((ar), (arr), (n), nc_, sizeof *(arr)); \
		(cap) = nc_; \
	} \
	(arr)[(n)++] = (val); \
} while (0)

/* ---- byte buffer ----------------------------------------------------- */
typedef struct st_buf {
	char *data;   /* always NUL-terminated when len > 0 or after any add */
	size_t len;
	size_t cap;
} st_buf;

void st_buf_init(st_buf *b);
void st_buf_release(st_buf *b);
void st_buf_add(st_buf *b, const void *p, size_t n);
void st_buf_adds(st_buf *b, const char *s);
void st_buf_addc(st_buf *b, char c);
void st_buf_printf(st_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void st_buf_vprintf(st_buf *b, const char *fmt, va_list ap);
/* JSON string literal with quotes */
void st_buf_add_json(st_buf *b, const char *s, size_t n);
/* A jansson string of any text (new reference): NULL as JSON null, bytes
 * that are not UTF-8 as U+FFFD, so that no field is ever dropped. */
struct json_t;
struct json_t *st_json_str(const char *s);
/* Take the buffer's memory (caller frees); the buffer is reset. */
char *st_buf_detach(st_buf *b, size_t *len);

/* ---- files ----------------------------------------------------------- */
/* Error codes used across the core. 0 is success. */
enum {
	ST_OK = 0,
	ST_ERR = -1,        /* the input is wrong (message says how) */
	ST_EIO = -2,        /* I/O or system failure */
	ST_ENOENT = -3,     /* no such file */
	ST_ETOOBIG = -4,    /* larger than the limit */
	ST_ENOTREG = -5,    /* not a regular file (folder, symlink out, device) */
};

/* Read a whole regular file of at most max bytes into *out (malloc'd,
 * NUL-terminated, caller frees).  Refuses folders and devices.  On failure
 * writes a lower-case reason into err (size errlen). */
/* Run the program `name` installed beside the running one (in the folder
 * of /proc/self/exe: build/, or the installed bin/) with args (args[0]
 * its name, NULL-terminated), replacing this process.  Returns only when
 * it could not be run, with the reason in err.  For the commands that are
 * programs of their own so that the others never load their libraries
 * (stegc preview, steg serve; docs/architecture.md). */
void st_exec_beside(const char *name, char *const *args, char *err,
                    size_t errlen);

int st_read_file(char **out, size_t *len, const char *path, size_t max,
                 char *err, size_t errlen);

/* Write all n bytes to fd, again after a signal interrupts; 0, or -1
 * with errno set (a write of 0 bytes counts as failing). */
int st_write_all(int fd, const void *p, size_t n);

/* Write data to path atomically: a temporary file in the same folder,
 * fsync, rename.  On failure nothing is left behind. */
int st_write_file_atomic(const char *path, const void *data, size_t len,
                         char *err, size_t errlen);

/* Join two path parts with one '/'. Arena-owned. */
char *st_path_join(st_arena *a, const char *dir, const char *name);

/* True if s (n bytes) is valid UTF-8 with no NUL; *bad receives the
 * offset of the first bad byte. */
int st_utf8_valid(const char *s, size_t n, size_t *bad);

/* The length of s (n bytes) without a UTF-8 sequence that is cut off at
 * its end: where to end a text that had to be shortened (a text cut at 512
 * bytes must not end in half an "å").  st_utf8_trim does it to a
 * NUL-terminated buffer in place. */
size_t st_utf8_complete(const char *s, size_t n);
void st_utf8_trim(char *s);

/* ---- names, titles and comments --------------------------------------- */
/* The one rule for every short text a person or a partner gives Steg to
 * store and show again: a name, a title, a comment (docs/registry.md,
 * "Names, titles and comments").  Valid UTF-8 of at most maxlen bytes,
 * holding no character that could forge a line or steer a terminal: no
 * C0 control (TAB and LF included), DEL or C1 control (U+0080-U+009F), no
 * bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069), no line or paragraph separator (U+2028, U+2029), no
 * byte order mark (U+FEFF), no noncharacter U+FFFE/U+FFFF.  Returns 1 when
 * s holds; otherwise 0 with the reason written into why, lower case, to
 * follow the text's name: "holds the control character U+000A". */
#define ST_TEXT_MAX 200         /* the limit for names, titles, comments */
#define ST_TEXT_WHY 96          /* room for a reason */
int st_text_valid(const char *s, size_t maxlen, char why[ST_TEXT_WHY]);

/* The one escaper of every text and TSV writer: s (n bytes, which may be
 * anything a registry holds, including rows written before the rule
 * above) appended so that it is one line of plain text that steers no
 * terminal.  A backslash becomes two; LF, TAB and CR become \n, \t and
 * \r; other control bytes, DEL and bytes that are not UTF-8 become \xHH;
 * the characters the rule above refuses become \u{202E}.  Everything
 * else is copied. */
void st_buf_add_escaped(st_buf *b, const char *s, size_t n);
/* The same into the arena; NULL stays NULL. */
char *st_escape(st_arena *a, const char *s);

/* ---- hashing --------------------------------------------------------- */
/* SHA-256 of data as 64 lower-case hex digits plus NUL (core/sha256.h:
 * OpenSSL's block function, no set-up; streamed hashing is there too). */
void st_sha256_hex(const void *data, size_t len, char hex[65]);
/* The same hash by libsodium alone, whatever the size: for a program that
 * does not link OpenSSL (steg: an audit row, a stored bundle's check). */
void st_sha256_sodium_hex(const void *data, size_t len, char hex[65]);

/* The SOURCE_DATE_EPOCH to stamp into a bundle: the environment's if set
 * and valid, else 0 meaning "1980-01-01", zip's earliest. */
long long st_source_date_epoch(void);

#endif
