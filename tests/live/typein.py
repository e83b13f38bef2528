"""Answer an interactive command's prompts the way a reader at a terminal does.

``python typein.py ANSWERS COMMAND [ARG...]`` runs COMMAND on a pseudo-terminal and types the
lines of ANSWERS (a string, one answer per line) one at a time, each when the command waits at
a prompt: its output has stopped, for PAUSE seconds, in the middle of a line. The terminal
echoes what is typed, so the output reads as the reader's screen does (``Select a workflow
[0]: 0``). When the answers run out and the command still waits, it gets end-of-file (Ctrl-D).
The exit status is the command's.

The live runner uses it for a ``:run:`` block with ``:stdin: "ANSWERS"``; the block runs in a
child ``bash`` (so the variables it sets do not reach later blocks).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios

#: how long the output must stand still at an unfinished line before the next answer is typed
PAUSE = 0.5
EOF_KEY = b"\x04"


def type_in(answers: str, argv: list[str], pause: float = PAUSE) -> int:
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    columns = int(os.environ.get("COLUMNS") or 160)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    pending = answers.splitlines()
    tail = b""  # the end of the output since the last answer
    eof_sent = False
    while True:
        ready, _, _ = select.select([fd], [], [], pause)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the command has ended and closed the terminal
                data = b""
            if not data:
                break
            os.write(sys.stdout.fileno(), data)
            tail = (tail + data)[-200:]
        elif tail and not tail.endswith(b"\n"):  # waiting at a prompt
            if pending:
                os.write(fd, pending.pop(0).encode() + b"\n")
            elif not eof_sent:
                os.write(fd, EOF_KEY)
                eof_sent = True
            tail = b""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: typein.py ANSWERS COMMAND [ARG...]")
    sys.exit(type_in(sys.argv[1], sys.argv[2:]))
