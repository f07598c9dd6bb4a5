/*
 * yamlhint.c — hints for YAML syntax errors in unquoted text (yamlhint.h).
 *
 * The line is read as indentation, any "- " list dashes, a plain key, ':'
 * and the value up to the line's end.  A hint is given only when the parser
 * stopped inside that value (not at the key's own colon: a line more
 * indented than the key above it is read as part of the text above, which
 * quotes would not fix).  Values that start a flow list or mapping ('[',
 * '{') are left alone: they are meant as YAML.
 */
#include "yamlhint.h"

#include <string.h>

#include "util.h"

/* A key or value longer than this is not repeated in the hint, so that a
 * megabyte line does not make a megabyte message. */
#define HINT_MAX_KEY 64
#define HINT_MAX_VALUE 200

/* Short enough and free of control bytes (a tab aside) to quote in a
 * message. */
static int printable(const char *s, size_t n, size_t max)
{
	if (n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return 0;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Why the parser stopped, in the designer's terms, from the value's first
 * byte and the byte where it stopped (at_end: the last of the line). */
static const char *reason(const char *v, size_t vn, char at, int at_end)
{
	switch (v[0]) {
	case '*': return "a text that starts with '*' is read as an alias";
	case '&': return "a text that starts with '&' is read as an anchor";
	case '!': return "a text that starts with '!' is read as a tag";
	case '|':
	case '>': return "a text that starts with '|' or '>' is read as a block "
	                 "text marker";
	case '@':
	case '`':
	case '%': return "a text without quotes cannot start with '@', '`' or '%'";
	case '"':
	case '\'': return "a text in quotes ends at its closing quote";
	case '-':
		if (vn == 1 || is_blank(v[1]))
			return "a text that starts with '- ' is read as a list entry";
		break;
	default:
		break;
	}
	if (at == ':')
		return at_end ? "a ':' at the end of a line is read as a key"
		              : "': ' inside it is read as a new key";
	return "part of it is read as YAML syntax";
}

/* The value quoted as YAML: double quotes, or single quotes (with ' doubled)
 * when it holds '"' or '\', which double quotes would need escaped. */
static void add_quoted(st_buf *b, const char *v, size_t vn)
{
	if (!memchr(v, '"', vn) && !memchr(v, '\\', vn)) {
		st_buf_addc(b, '"');
		st_buf_add(b, v, vn);
		st_buf_addc(b, '"');
		return;
	}
	st_buf_addc(b, '\'');
	for (size_t i = 0; i < vn; i++) {
		if (v[i] == '\'')
			st_buf_addc(b, '\'');
		st_buf_addc(b, v[i]);
	}
	st_buf_addc(b, '\'');
}

int st_yaml_hint_line(const char *line, size_t n, size_t col, st_yaml_hint *h)
{
	while (n > 0 && (line[n - 1] == '\r' || is_blank(line[n - 1])))
		n--;
	if (col < n && line[col] == '\t') {
		st_buf b;
		st_buf_init(&b);
		st_buf_adds(&b, "indent with spaces instead of this tab; YAML does "
		            "not allow tabs in indentation");
		h->from = col;
		h->to = col + 1;
		h->msg = st_buf_detach(&b, NULL);
		return 1;
	}
	size_t i = 0;
	for (;;) {
		while (i < n && line[i] == ' ')
			i++;
		if (i < n && line[i] == '-' && (i + 1 == n || line[i + 1] == ' '))
			i++;
		else
			break;
	}
	if (i >= n || strchr("-?:,[]{}#&*!|>'\"%@`", line[i]))
		return 0;
	size_t k0 = i, colon = 0;
	for (; i < n; i++) {
		if (line[i] == '#' && is_blank(line[i - 1]))
			return 0;
		if (line[i] == ':' && (i + 1 == n || is_blank(line[i + 1]))) {
			colon = i;
			break;
		}
	}
	if (!colon)
		return 0;
	size_t k1 = colon;
	while (k1 > k0 && is_blank(line[k1 - 1]))
		k1--;
	size_t v0 = colon + 1;
	while (v0 < n && is_blank(line[v0]))
		v0++;
	if (k1 == k0 || v0 >= n || col < v0 || line[v0] == '[' || line[v0] == '{')
		return 0;
	if (!printable(line + k0, k1 - k0, HINT_MAX_KEY))
		return 0;
	const char *v = line + v0;
	size_t vn = n - v0;
	st_buf b;
	st_buf_init(&b);
	st_buf_printf(&b, "put the text of '%.*s' in quotes, since %s",
	              (int)(k1 - k0), line + k0,
	              reason(v, vn, col < n ? line[col] : 0, col + 1 >= n));
	if (printable(v, vn, HINT_MAX_VALUE)) {
		st_buf_adds(&b, "; write it as ");
		st_buf_add(&b, line + k0, k1 - k0);
		st_buf_adds(&b, ": ");
		add_quoted(&b, v, vn);
	}
	h->from = v0;
	h->to = n;
	h->msg = st_buf_detach(&b, NULL);
	return 1;
}
