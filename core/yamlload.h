/*
 * yamlload.h — loading YAML documents, with libyaml, into trees of nodes
 * that know where they came from (the tree itself: core/ynode.h).
 *
 * libyaml's event parser feeds a tree whose every node carries its span
 * (1-based).  The loader closes the hazards of libyaml 0.2.5: nesting
 * deeper than ST_YAML_MAX_DEPTH is refused before libyaml's quadratic path
 * is reached, aliases are shared nodes and
 * the expanded size of the document is bounded, duplicate keys in one
 * mapping are an error, input must be valid UTF-8 without NUL bytes, and
 * there is a size cap.  Errors go into the st_diags with code "yaml-syntax",
 * "yaml-limit", "duplicate-key" or "encoding".
 *
 * All nodes live in the arena passed to st_yaml_load.
 */
#ifndef ST_YAMLLOAD_H
#define ST_YAMLLOAD_H

#include "diag.h"
#include "util.h"
#include "ynode.h"

#define ST_YAML_MAX_DEPTH 64
#define ST_YAML_MAX_NODES 200000    /* after alias expansion */
#define ST_YAML_MAX_BYTES (4u << 20)

/* Parse text (len bytes) of the file named file.  base_line and base_col
 * shift every position, for YAML embedded in another file (front matter,
 * component blocks): pass 0, 0 for a file of its own.  Returns the root
 * node, or NULL after adding errors to d.  An empty document gives an empty
 * mapping. */
st_ynode *st_yaml_load(st_arena *a, st_diags *d, const char *file,
                       const char *text, size_t len,
                       int base_line, int base_col);

#endif
