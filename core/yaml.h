/*
 * yaml.h — YAML documents as a tree of nodes that know where they came
 * from.
 *
 * libyaml's event parser feeds a tree whose every node carries its span
 * (1-based).  The loader closes the hazards of libyaml 0.2.5
 * (../shared/HAZARDS.md): nesting deeper than ST_YAML_MAX_DEPTH is refused
 * before libyaml's quadratic path is reached, aliases are shared nodes and
 * the expanded size of the document is bounded, duplicate keys in one
 * mapping are an error, input must be valid UTF-8 without NUL bytes, and
 * there is a size cap.  Errors go into the st_diags with code "yaml-syntax",
 * "yaml-limit", "duplicate-key" or "encoding".
 *
 * All nodes live in the arena passed to st_yaml_load.
 */
#ifndef ST_YAML_H
#define ST_YAML_H

#include "diag.h"
#include "util.h"

#define ST_YAML_MAX_DEPTH 64
#define ST_YAML_MAX_NODES 200000    /* after alias expansion */
#define ST_YAML_MAX_BYTES (4u << 20)

typedef enum { ST_Y_SCALAR, ST_Y_SEQ, ST_Y_MAP } st_ykind;
typedef enum {
	ST_YS_PLAIN, ST_YS_SINGLE, ST_YS_DOUBLE, ST_YS_LITERAL, ST_YS_FOLDED
} st_ystyle;

typedef struct st_ynode st_ynode;
struct st_ynode {
	st_ykind kind;
	st_span sp;              /* start and end of the node in its file */
	/* scalars */
	const char *str;         /* value, NUL-terminated */
	size_t len;
	st_ystyle style;
	const char *tag;         /* explicit tag or NULL */
	/* sequences: items[0..n); mappings: keys[i] -> items[i] */
	size_t n;
	st_ynode **items;
	st_ynode **keys;
	/* For mapping scalar positions back into the source (st_yaml_pos). */
	const char *src;         /* start of the file text */
	size_t start_off, end_off;
};

/* Parse text (len bytes) of the file named file.  base_line and base_col
 * shift every position, for YAML embedded in another file (front matter,
 * component blocks): pass 0, 0 for a file of its own.  Returns the root
 * node, or NULL after adding errors to d.  An empty document gives an empty
 * mapping. */
st_ynode *st_yaml_load(st_arena *a, st_diags *d, const char *file,
                       const char *text, size_t len,
                       int base_line, int base_col);

/* Mapping lookup; NULL if absent or node not a mapping. */
st_ynode *st_ymap_get(const st_ynode *map, const char *key);

/* The span of the byte at offset off inside a scalar's value, mapped back
 * to the file (block scalars, quoted and plain scalars; escapes in double
 * quotes make the column approximate).  Used so that a diagnostic inside
 * an expression points at its real line and column. */
st_span st_yaml_pos(const st_ynode *scalar, size_t off, size_t len);

/* Human name of a node's kind: "a mapping", "a list", "a text". */
const char *st_ykind_name(const st_ynode *n);

#endif
