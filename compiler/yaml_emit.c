/*
 * yaml_emit.c — double-quoted YAML scalars and keys (yaml_emit.h).
 */
#include "yaml_emit.h"

void sc_yaml_quoted(st_buf *b, const char *s)
{
	st_buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	     *p; p++) {
		switch (*p) {
		case '"': st_buf_adds(b, "\\\""); break;
		case '\\': st_buf_adds(b, "\\\\"); break;
		case '\n': st_buf_adds(b, "\\n"); break;
		case '\t': st_buf_adds(b, "\\t"); break;
		case '\r': st_buf_adds(b, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				st_buf_printf(b, "\\x%02x", *p);
			else
				st_buf_addc(b, (char)*p);
		}
	}
	st_buf_addc(b, '"');
}

void sc_yaml_key(st_buf *b, const char *indent, const char *key,
                 const char *v)
{
	if (!v)
		return;
	st_buf_printf(b, "%s%s: ", indent, key);
	sc_yaml_quoted(b, v);
	st_buf_addc(b, '\n');
}
