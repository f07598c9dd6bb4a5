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

#include <stddef.h>
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

/* One row of a program's command table (runtime/commands.def). */
typedef struct rt_command {
	const char *name;
	int (*fn)(rt_ctx *, int, char **);
	const char *help;
} rt_command;

/* What steg and steg-bundle do with their command line (dispatch.c): the
 * global --db FILE before the command, --help (the table's names and
 * help), --version, then the command of that name, given the arguments
 * from its name on.  Returns the exit code. */
int rt_main(int argc, char **argv, const rt_command *cmds, size_t n);

/* A command that runs in steg-bundle (import, sync, score): executes
 * steg-bundle from steg's own folder with --db and the same arguments,
 * so that its exit code and output are that command's.  Returns RT_IO,
 * after saying why, only when steg-bundle cannot be run. */
int rt_cmd_in_bundle(rt_ctx *ctx, int argc, char **argv);

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
