/*
 * commands.h — steg's subcommands.  Each takes the arguments after its name
 * (argv[0] is the subcommand name) and the context (the registry file),
 * and returns the exit code:
 * 0 success, 1 refused or bad input (message says why), 2 usage,
 * 3 I/O or internal, 4 done in part (`steg sync`: some versions were
 * refused, each named, the rest taken).
 */
#ifndef RT_COMMANDS_H
#define RT_COMMANDS_H

#include "opts.h"

/* The exit codes are core's (core/opts.h), in steg's words. */
enum { RT_OK = ST_EXIT_OK, RT_REFUSED = ST_EXIT_ERRORS,
       RT_USAGE = ST_EXIT_USAGE, RT_IO = ST_EXIT_IO,
       RT_PARTIAL = ST_EXIT_PARTIAL /* sync: synced in part; score:
                                       required answers missing */ };

/* What every command is given besides its arguments. */
typedef struct rt_ctx {
	const char *db;   /* the registry file: the --db before the command,
	                     else $STEG_DB, else ./steg.db (rt_db_path());
	                     a --db after the command's name replaces it */
} rt_ctx;

/* the registry */
int rt_cmd_init(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_unit(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_user(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_policy(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_import(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_list(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_show(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_approve(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_publish(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_unpublish(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_activate(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_deactivate(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_retire(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_audit(rt_ctx *ctx, int argc, char **argv);
/* the web server (runs steg-serve beside steg) */
int rt_cmd_serve(rt_ctx *ctx, int argc, char **argv);
/* forms */
int rt_cmd_score(rt_ctx *ctx, int argc, char **argv);
/* trust between regions */
int rt_cmd_trust(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_share(rt_ctx *ctx, int argc, char **argv);
int rt_cmd_sync(rt_ctx *ctx, int argc, char **argv);

#endif
