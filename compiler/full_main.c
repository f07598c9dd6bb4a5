/*
 * full_main.c — libstegc.so's one entry point: the commands of
 * compiler/commands.def marked FULL_CMD, which need libxml2, libzip,
 * OpenSSL, libmagic, cmark or libyaml.  stegc (compiler/main.c) has
 * already set up the language of messages and chosen the command; it
 * loads this object (compiler/load_full.c) and calls sc_full_main with
 * the command's arguments (argv[0] is the command's name).
 */
#include <string.h>
#include <openssl/crypto.h>
#include "commands.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
#define SC_CMD(name, fn, help)
#define FULL_CMD(name, fn, help) { name, fn },
#include "commands.def"
#undef SC_CMD
#undef FULL_CMD
};

__attribute__((visibility("default")))
const char sc_full_version[] = STEG_VERSION;

__attribute__((visibility("default")))
int sc_full_main(int argc, char **argv)
{
	/* OpenSSL is used for SHA-256 alone (the bundle's entries, the check
	 * cache's keys): set it up without reading the system's openssl.cnf,
	 * which took a tenth of a small build (docs/benchmarks.md).  The
	 * default provider's SHA-256 is the same function either way. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(argc, argv);
	fprintf(stderr, "stegc: error: unknown command '%s'\n", argv[0]);
	return EXIT_USAGE;
}
