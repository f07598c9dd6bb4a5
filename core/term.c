/*
 * term.c — asking the person at the terminal (term.h), for the binaries.
 */
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

/* Read one line from fd into buf[cap] with echo off. */
static int read_quietly(int fd, const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	int have_termios = tcgetattr(fd, &old) == 0;
	size_t n = 0;
	int rc = ST_OK;

	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fd, TCSANOW, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		rc = ST_EIO;
	while (rc == ST_OK) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (n == 0)
				rc = ST_EIO;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 == cap) {
			rc = ST_ETOOBIG;
			break;
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = 0;
	if (have_termios)
		tcsetattr(fd, TCSANOW, &old);
	return rc;
}

int st_term_ask(void *ctx, const char *prompt, char *buf, size_t cap)
{
	(void)ctx;
	if (!cap)
		return ST_ETOOBIG;
	buf[0] = 0;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return ST_ENOENT;
	int rc = read_quietly(fd, prompt, buf, cap);
	close(fd);
	return rc;
}
