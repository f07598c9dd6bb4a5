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
 * by tests/t0604-registry-locks.sh.  Tests 4-5: two readers of a whole
 * file (SQLite's immutable=1, each with steg's own shared lock: an open
 * file description lock, one each) in one process.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <unistd.h>
#include "util.h"
#include "registry.h"
#include "db.h"

/* The locks on path's file, by /proc/locks: this process's, and the
 * open file description locks (shown with pid -1), which no other process
 * takes on this test's own file; -1 when unread. */
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
		n += strstr(line, ino) && (strstr(line, pid) ||
		                           strstr(line, "OFDLCK"));
	fclose(f);
	return n;
}

/* A child process writes to the registry at path through SQLite and
 * closes it (SQLite then folds its log into the file when it can): 1 when
 * the file's bytes are as they were, 0 when they changed, -1 when the
 * child could not run.  The reader's lock must keep them. */
static int writer_leaves_file(const char *path)
{
	struct stat s0, s1;
	if (stat(path, &s0) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db = NULL;
		int rc = sqlite3_open(path, &db);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS w(a); "
			                  "INSERT INTO w VALUES (1)", NULL, NULL, NULL);
		sqlite3_close(db);
		_exit(rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : 1);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || stat(path, &s1) != 0)
		return -1;
	return s0.st_size == s1.st_size &&
	       s0.st_mtim.tv_sec == s1.st_mtim.tv_sec &&
	       s0.st_mtim.tv_nsec == s1.st_mtim.tv_nsec;
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
	int ok = before > 0 && after == before;

	/* Two readers of the whole file (no -wal: SQLite's immutable=1, the
	 * shared lock held by steg itself): closing one keeps the other's. */
	rt_reg *a = NULL, *b = NULL;
	if (rt_reg_open(&a, argv[1], RT_OPEN_RAW | RT_OPEN_READONLY) ||
	    rt_reg_open(&b, argv[1], RT_OPEN_RAW | RT_OPEN_READONLY)) {
		printf("Bail out! cannot open two readers of '%s': %s\n", argv[1],
		       rt_reg_errmsg(a ? (b ? b : a) : NULL));
		return 1;
	}
	before = locks(argv[1]);
	rt_reg_close(b);
	after = locks(argv[1]);
	printf("%sok 4 - closing one of two readers leaves the other's lock (%d before, %d after)\n",
	       before == 2 && after == 1 ? "" : "not ", before, after);
	ok = ok && before == 2 && after == 1;
	int same = writer_leaves_file(argv[1]);
	printf("%sok 5 - another process that writes meanwhile leaves the file as the reader reads it\n",
	       same == 1 ? "" : "not ");
	ok = ok && same == 1;
	rt_reg_close(a);
	after = locks(argv[1]);
	printf("%sok 6 - closing the last one leaves none (%d)\n",
	       after == 0 ? "" : "not ", after);
	ok = ok && after == 0;
	printf("1..6\n");
	return ok ? 0 : 1;
}
