/*
 * yamlmsg.c — libyaml's messages (yamlmsg.h).  The list is libyaml 0.2's
 * problems and contexts, as its scanner, parser and reader write them; a
 * message not in it (another libyaml) is shown as libyaml wrote it.
 */
#include "yamlmsg.h"
#include "i18n.h"

#include <string.h>

static const char *const known[] = {
	ST_N("block sequence entries are not allowed in this context"),
	ST_N("control characters are not allowed"),
	ST_N("could not find expected ':'"),
	ST_N("could not find expected directive name"),
	ST_N("did not find URI escaped octet"),
	ST_N("did not find expected '!'"),
	ST_N("did not find expected ',' or ']'"),
	ST_N("did not find expected ',' or '}'"),
	ST_N("did not find expected '-' indicator"),
	ST_N("did not find expected <document start>"),
	ST_N("did not find expected <stream-start>"),
	ST_N("did not find expected alphabetic or numeric character"),
	ST_N("did not find expected comment or line break"),
	ST_N("did not find expected digit or '.' character"),
	ST_N("did not find expected hexdecimal number"),
	ST_N("did not find expected key"),
	ST_N("did not find expected node content"),
	ST_N("did not find expected tag URI"),
	ST_N("did not find expected version number"),
	ST_N("did not find expected whitespace"),
	ST_N("did not find expected whitespace or line break"),
	ST_N("did not find the expected '>'"),
	ST_N("expected DOCUMENT-END"),
	ST_N("expected DOCUMENT-START or STREAM-END"),
	ST_N("expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS"),
	ST_N("expected STREAM-START"),
	ST_N("expected nothing after STREAM-END"),
	ST_N("found a tab character that violates indentation"),
	ST_N("found a tab character where an indentation space is expected"),
	ST_N("found an incorrect leading UTF-8 octet"),
	ST_N("found an incorrect trailing UTF-8 octet"),
	ST_N("found an indentation indicator equal to 0"),
	ST_N("found character that cannot start any token"),
	ST_N("found duplicate %TAG directive"),
	ST_N("found duplicate %YAML directive"),
	ST_N("found duplicate anchor; first occurrence"),
	ST_N("found extremely long version number"),
	ST_N("found incompatible YAML document"),
	ST_N("found invalid Unicode character escape code"),
	ST_N("found undefined alias"),
	ST_N("found undefined tag handle"),
	ST_N("found unexpected ':'"),
	ST_N("found unexpected document indicator"),
	ST_N("found unexpected end of stream"),
	ST_N("found unexpected non-alphabetical character"),
	ST_N("found unknown directive name"),
	ST_N("found unknown escape character"),
	ST_N("incomplete UTF-16 character"),
	ST_N("incomplete UTF-16 surrogate pair"),
	ST_N("incomplete UTF-8 octet sequence"),
	ST_N("input error"),
	ST_N("input is too long"),
	ST_N("invalid Unicode character"),
	ST_N("invalid leading UTF-8 octet"),
	ST_N("invalid length of a UTF-8 sequence"),
	ST_N("invalid trailing UTF-8 octet"),
	ST_N("mapping values are not allowed in this context"),
	ST_N("unexpected low surrogate area"),
	ST_N("while parsing a %TAG directive"),
	ST_N("while parsing a block collection"),
	ST_N("while parsing a block mapping"),
	ST_N("while parsing a block node"),
	ST_N("while parsing a flow mapping"),
	ST_N("while parsing a flow node"),
	ST_N("while parsing a flow sequence"),
	ST_N("while parsing a node"),
	ST_N("while parsing a quoted scalar"),
	ST_N("while parsing a tag"),
	ST_N("while parsing a tag directive"),
	ST_N("while scanning a %TAG directive"),
	ST_N("while scanning a %YAML directive"),
	ST_N("while scanning a block scalar"),
	ST_N("while scanning a directive"),
	ST_N("while scanning a plain scalar"),
	ST_N("while scanning a quoted scalar"),
	ST_N("while scanning a simple key"),
	ST_N("while scanning a tag"),
	ST_N("while scanning a tag directive"),
	ST_N("while scanning an alias"),
	ST_N("while scanning an anchor"),
	ST_N("while scanning for the next token"),
};

const char *st_yaml_msg(const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (!strcmp(known[i], s))
			return st_tr(known[i]);
	return s;
}
