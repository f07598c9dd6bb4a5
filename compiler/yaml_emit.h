/*
 * yaml_emit.h — the pieces of YAML the compiler writes for people to read
 * and edit (import-fhir's forms files, the title in stegc new's
 * program.yaml): the callers lay out block mappings and flow sequences
 * themselves and write every string as a double-quoted scalar, so that no
 * text can be read back as another type (yes, 1.0, null), a comment or a
 * key.  What these write, the compiler's
 * own loader (core/yamlload.h) reads back to the same string.
 */
#ifndef SC_YAML_EMIT_H
#define SC_YAML_EMIT_H

#include "util.h"

/* s (NULL: "") as a double-quoted scalar: '"' and the backslash
 * escaped, newline, tab and carriage return as \n \t \r, other control
 * characters as \xHH; other bytes (UTF-8 included) as they are. */
void sc_yaml_quoted(st_buf *b, const char *s);

/* "INDENTkey: "value""  and a newline; nothing when v is NULL. */
void sc_yaml_key(st_buf *b, const char *indent, const char *key,
                 const char *v);

#endif
