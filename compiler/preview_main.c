/*
 * preview_main.c — stegc-preview, the web server that `stegc preview`
 * runs (compiler/cmd_preview.c): the preview itself is compiler/preview.c.
 */
#include "commands.h"

int main(int argc, char **argv)
{
	return cmd_preview(argc, argv);
}
