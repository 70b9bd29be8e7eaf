# test_console_echo.py: host-side checks of tools/brinchvm.py's echo_of(),
# the pattern send() waits for after typing: the echo of the typed text,
# which whole lines of another process's output (or a late "$ " prompt)
# may interrupt between characters, but nothing else.  Run by `make
# tools-test` (part of `make test`); no QEMU.

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import echo_of  # noqa: E402


def test_plain_echo():
    assert echo_of("ps").search("$ ps").group(0) == "ps"
    assert echo_of("echo a.b").search("echo a.b").group(0) == "echo a.b"
    assert not echo_of("echo a.b").search("echo axb")      # typed text, not a regex


def test_a_background_line_between_characters():
    # What test_leak_check once met: a server's report inside `ps`'s echo.
    seen = "ptcp: 10.0.0.1:49152 received 0 bytes fnv1a 0x811c9dc5\ns"
    assert echo_of("ps").search(seen).group(0) == seen
    assert echo_of("kill -9 25").search("kill -$ 9 25").group(0) == "kill -$ 9 25"


def test_nothing_but_whole_lines_between():
    assert not echo_of("ps").search("pxs")
    assert not echo_of("ps").search("p: no newline s")
    # The first complete echo after the read position, not a stray letter
    # of earlier output: the "s" of "bytes" does not finish a "p".
    m = echo_of("ps").search("up 3 bytes\n$ ps")
    assert m.group(0) == "ps"
