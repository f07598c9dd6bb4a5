/*
 * assets.c — the stylesheet and script built into the binary
 * (render/steg.css, render/preview.js; scripts/embed.sh).
 */
#include <string.h>
#include "render.h"
#include "render_assets.h"

const unsigned char *sr_asset(const char *name, size_t *len,
                              const char **type)
{
	static const struct { const char *name, *type; } known[] = {
		{ "steg.css", "text/css; charset=utf-8" },
		{ "preview.js", "text/javascript; charset=utf-8" },
		{ "live.js", "text/javascript; charset=utf-8" },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (!strcmp(name, known[i].name)) {
			*type = known[i].type;
			return sr_embedded(name, len);
		}
	*len = 0;
	*type = NULL;
	return NULL;
}
