/*
 * reg-locks.c — a second connection to a registry leaves the first one's
 * locks on the file in place.  Closing any descriptor of a file drops
 * every POSIX lock the process holds on it, SQLite's included; a registry
 * opened while another connection of the same process (steg serve's
 * pool) holds its file must not open() and close() the file itself.  The
 * locks are read from /proc/locks.  TAP on stdout.
 *
 *   reg-locks DB      (DB: a path for a new registry file)
 *
 * Linked with build/runtime/{registry,db,db_schema}.o and libstegcore.a
 * by tests/t0604-registry-locks.sh.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"
#include "registry.h"
#include "db.h"

/* This process's locks on path's file, by /proc/locks; -1 when unread. */
static int locks(const char *path)
{
	struct stat sb;
	char ino[64], pid[32], line[512];
	int n = 0;
	FILE *f = fopen("/proc/locks", "r");
	if (!f || stat(path, &sb) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	snprintf(ino, sizeof ino, ":%lu ", (unsigned long)sb.st_ino);
	snprintf(pid, sizeof pid, " %d ", (int)getpid());
	while (fgets(line, sizeof line, f))
		n += strstr(line, ino) && strstr(line, pid);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	rt_reg *r = NULL, *w = NULL, *x = NULL;
	long long v = 0;
	if (argc != 2 || rt_reg_open(&r, argv[1], RT_OPEN_CREATE | RT_OPEN_RAW)) {
		printf("Bail out! cannot create '%s': %s\n", argc == 2 ? argv[1] : "",
		       rt_reg_errmsg(r));
		return 1;
	}
	rt_reg_close(r);
	r = NULL;
	/* a connection in the middle of a read holds the file */
	if (rt_reg_open(&r, argv[1], RT_OPEN_RAW) || rt_read_begin(r, "t") ||
	    rt_db_int(r, &v, "t", "SELECT count(*) FROM sqlite_master", 0,
	              NULL) != RT_ROW) {
		printf("Bail out! cannot read '%s': %s\n", argv[1], rt_reg_errmsg(r));
		return 1;
	}
	int before = locks(argv[1]);
	printf("%sok 1 - a connection reading the registry holds a lock on its file (%d)\n",
	       before > 0 ? "" : "not ", before);
	int opened = rt_reg_open(&w, argv[1], RT_OPEN_RAW) == ST_OK;
	int after = locks(argv[1]);
	printf("%sok 2 - opening a second connection leaves them (%d before, %d after)\n",
	       opened && after == before ? "" : "not ", before, after);
	opened = rt_reg_open(&x, argv[1], RT_OPEN_RAW | RT_OPEN_SHARED) == ST_OK;
	rt_reg_close(x);
	after = locks(argv[1]);
	printf("%sok 3 - so do opening and closing one of steg serve's (%d)\n",
	       opened && after == before ? "" : "not ", after);
	rt_reg_close(w);
	rt_reg_close(r);
	printf("1..3\n");
	return before > 0 && after == before ? 0 : 1;
}
