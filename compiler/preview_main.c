/*
 * preview_main.c — stegc-preview, the web server that `stegc preview`
 * runs (compiler/cmd_preview.c): the preview itself is compiler/preview.c.
 */
#include "commands.h"
#include "i18n.h"

int main(int argc, char **argv)
{
	st_i18n_init();   /* the language of messages only (i18n.h) */
	return cmd_preview(argc, argv);
}
