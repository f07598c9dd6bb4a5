/*
 * commands.h — steg's subcommands.  Each takes the arguments after its name
 * (argv[0] is the subcommand name) and returns the exit code:
 * 0 success, 1 refused or bad input (message says why), 2 usage,
 * 3 I/O or internal, 4 done in part (`steg sync`: some versions were
 * refused, each named, the rest taken).
 */
#ifndef RT_COMMANDS_H
#define RT_COMMANDS_H

enum { RT_OK = 0, RT_REFUSED = 1, RT_USAGE = 2, RT_IO = 3,
       RT_PARTIAL = 4   /* sync: synced in part; score: required answers missing */ };

/* the registry */
int rt_cmd_init(int argc, char **argv);
int rt_cmd_unit(int argc, char **argv);
int rt_cmd_user(int argc, char **argv);
int rt_cmd_policy(int argc, char **argv);
int rt_cmd_import(int argc, char **argv);
int rt_cmd_list(int argc, char **argv);
int rt_cmd_show(int argc, char **argv);
int rt_cmd_approve(int argc, char **argv);
int rt_cmd_publish(int argc, char **argv);
int rt_cmd_unpublish(int argc, char **argv);
int rt_cmd_activate(int argc, char **argv);
int rt_cmd_deactivate(int argc, char **argv);
int rt_cmd_retire(int argc, char **argv);
int rt_cmd_audit(int argc, char **argv);
/* forms */
int rt_cmd_score(int argc, char **argv);
/* trust between regions */
int rt_cmd_trust(int argc, char **argv);
int rt_cmd_share(int argc, char **argv);
int rt_cmd_sync(int argc, char **argv);

#endif
