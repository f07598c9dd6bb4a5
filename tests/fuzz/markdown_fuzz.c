/*
 * markdown_fuzz.c — a libFuzzer entry point for the Markdown loader: the
 * bytes are one module file (compiler/markdown.c, xhtml.c, lix.c).  Every
 * input must be accepted or refused without a crash, a leak or a
 * sanitizer report, and every page it yields must be a well-formed XML
 * document (checked with libxml2, network and entities off).
 *
 *   make SANITIZE=address,undefined      # build-san/libstegcore.a
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSTEG_VERSION='"fuzz"' \
 *     -Icore -Icompiler -Ibuild-san/gen $(pkg-config --cflags libxml-2.0) \
 *     tests/fuzz/markdown_fuzz.c compiler/markdown.c compiler/xhtml.c \
 *     compiler/lix.c compiler/load.c compiler/forms_load.c \
 *     build-san/libstegcore.a $(pkg-config --libs libcmark yaml-0.1 \
 *     libxml-2.0 libcrypto) -lm -o markdown_fuzz
 *   ./markdown_fuzz -max_len=8192 -timeout=5 corpus/   (seed: the examples' modules)
 *
 * The loader reads a file, so each input is written to one temporary file
 * first.  The program around the module is small and fixed: one image and
 * one video with captions in media/, language "sv".
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"

static char path[] = "/tmp/markdown_fuzz.XXXXXX";
static int fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0 && (fd = mkstemp(path)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();

	st_arena *a = st_arena_new();
	st_diags *d = st_diags_new();
	st_media media[3] = {
		{ .path = "media/te.png", .kind = ST_MEDIA_IMAGE },
		{ .path = "media/film.mp4", .kind = ST_MEDIA_VIDEO },
		{ .path = "media/film.sv.vtt", .kind = ST_MEDIA_CAPTION },
	};
	st_module mods[2];
	memset(mods, 0, sizeof mods);
	mods[0].file = "modules/01-intro.md";
	mods[0].file_name = "01-intro.md";
	mods[0].id = "intro";
	mods[1].file = "modules/02-fuzz.md";
	mods[1].file_name = "02-fuzz.md";
	mods[1].id = "fuzz";
	st_program p;
	memset(&p, 0, sizeof p);
	p.language = "sv";
	p.media = media;
	p.nmedia = 3;
	p.modules = mods;
	p.nmodules = 2;
	sc_opts o;
	sc_opts_init(&o);

	sc_load_module(&mods[1], &p, a, d, path, &o);
	for (size_t i = 0; i < mods[1].npages; i++) {
		const st_page *pg = &mods[1].pages[i];
		xmlDocPtr doc = xmlReadMemory(pg->xhtml, (int)pg->xhtml_len,
		                              pg->path, NULL,
		                              XML_PARSE_NONET | XML_PARSE_NOERROR |
		                              XML_PARSE_NOWARNING);
		if (!doc)
			abort();   /* a page that is not XML */
		xmlFreeDoc(doc);
	}
	st_diags_free(d);
	st_arena_free(a);
	return 0;
}
