/*
 * ynode.h — a YAML document as a tree of nodes, each with the span it was
 * written at (made by st_yaml_load, core/yamlload.h; all nodes live in the
 * loader's arena), and what can be asked of it without libyaml.
 */
#ifndef ST_YNODE_H
#define ST_YNODE_H

#include <stddef.h>

#include "diag.h"

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
