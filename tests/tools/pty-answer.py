#!/usr/bin/env python3
"""pty-answer.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND [ARG...]

Run COMMAND on a new pseudo-terminal (its controlling terminal, so that
/dev/tty is that terminal) and answer each PROMPT, in order, with ANSWER
and a newline, written only once the prompt has appeared on the terminal:
synchronised on the program's own output, never on time.  Everything the
terminal shows is copied to stdout.  Exits with COMMAND's exit code; 124
when the program stops printing for 60 seconds while a prompt is awaited
or before it ends (a guard against a hung test, not a synchronisation).
"""
import os
import pty
import select
import sys


def main(argv):
    if "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    sep = argv.index("--")
    pairs, cmd = argv[1:sep], argv[sep + 1:]
    if len(pairs) % 2 or not cmd:
        sys.stderr.write(__doc__)
        return 2
    prompts = [(pairs[i].encode(), pairs[i + 1].encode() + b"\n")
               for i in range(0, len(pairs), 2)]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    seen = b""
    out = sys.stdout.buffer
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            out.write(b"\npty-answer: no output for 60 seconds\n")
            return 124
        try:
            chunk = os.read(fd, 4096)
        except OSError:         # EIO: the program closed the terminal
            chunk = b""
        if not chunk:
            break
        out.write(chunk)
        out.flush()
        seen += chunk
        while prompts and prompts[0][0] in seen:
            seen = seen[seen.index(prompts[0][0]) + len(prompts[0][0]):]
            os.write(fd, prompts[0][1])
            prompts.pop(0)
    _, status = os.waitpid(pid, 0)
    if prompts:
        out.write(b"\npty-answer: never asked: %s\n" % prompts[0][0])
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status) if not prompts else 125
    return 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
