/*
 * main.c — steg, a region's registry of programs: dispatch to the
 * subcommands (runtime/commands.h, the list in runtime/commands.def).
 * The commands that open a bundle run steg-bundle beside steg, so that
 * steg itself links no XML, zip or OpenSSL library (docs/architecture.md).
 */
#include "commands.h"

static const rt_command commands[] = {
#define STEG_CMD(name, fn, help) { name, fn, help },
#define BUNDLE_CMD(name, fn, help) { name, rt_cmd_in_bundle, help },
#include "commands.def"
};

int main(int argc, char **argv)
{
	return rt_main(argc, argv, commands, sizeof commands / sizeof *commands);
}
