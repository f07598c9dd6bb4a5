/*
 * bundle_main.c — steg-bundle, the program steg runs (beside itself) for
 * the commands that open a bundle: import, sync and score
 * (runtime/commands.def).  It takes the same command line as steg and
 * answers as steg does; it links libxml2, libzip, libmagic and OpenSSL so
 * that steg's other commands need not load them (docs/architecture.md).
 */
#include "commands.h"

static const rt_command commands[] = {
#define STEG_CMD(name, fn, help)
#define BUNDLE_CMD(name, fn, help) { name, fn, help },
#include "commands.def"
};

int main(int argc, char **argv)
{
	return rt_main(argc, argv, commands, sizeof commands / sizeof *commands);
}
