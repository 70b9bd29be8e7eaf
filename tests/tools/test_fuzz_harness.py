# test_fuzz_harness.py: host-side checks of tools/fuzz.py, the harness of
# the system-call fuzzer: fed a made-up console, it must pass a clean run
# and fail, with the seed and a replay line, on a panic, a reported hang,
# silence, a short count and memory not back at its baseline.  Run by
# `make tools-test` (part of `make test`); no QEMU.

import os
import re
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import ConsoleError  # noqa: E402
from fuzz import FuzzFailure, run  # noqa: E402

FREE = ("frames: 100 total, %d free (4096 bytes each)\nheap: %d bytes in use\n"
        "procs: 3 of 63 in use")
END = ("fuzz: %d calls, seed 9, 4 procs: ok 1, failed 2, forks 3 (refused 0), exits 0, "
       "deaths 0, stuck killed 0, signals caught 0, sigreturns 0\nfuzz: errors: EFAULT 2\n")


class FakeNode:
    """A console whose `fuzz` prints `script` and whose `free` answers
    from `memory` (one entry per call, the last repeated)."""

    log_path = "fake.log"

    def __init__(self, script, memory, status="0"):
        self.script, self.memory, self.status = script, list(memory), status
        self.buf, self.pos = "", 0

    @property
    def text(self):
        return self.buf

    def run(self, cmd, timeout=10):
        if cmd == "free":
            frames, heap = self.memory.pop(0) if len(self.memory) > 1 else self.memory[0]
            return FREE % (frames, heap)
        if cmd == "echo $?":
            return self.status
        raise AssertionError(cmd)

    def sendline(self, cmd, timeout=10):
        self.buf += cmd + "\n" + self.script

    def expect(self, regex, timeout=10):
        m = regex.search(self.buf, self.pos)
        if not m:
            raise ConsoleError("timed out")
        self.pos = m.end()
        return m

    def wait_prompt(self, timeout=10):
        return ""


def test_a_clean_run_passes():
    node = FakeNode("fuzz: progress 5 calls\n" + END % 10, [(50, 0)])
    r = run(node, 10, 9)
    assert r["calls"] == 10 and r["after"] == r["baseline"] == (50, 0)


@pytest.mark.parametrize("script,what", [
    ("fuzz: progress 5 calls\nbrinch: panic: oops\n", "the kernel panicked"),
    ("fuzz: HANG: pid 5 waiting\n" + END % 10, "a system call hung"),
    ("fuzz: progress 5 calls\n", "said nothing"),
    (END % 7, "after 7 of 10 calls"),
])
def test_failures_name_the_seed_and_the_replay(script, what, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    with pytest.raises(FuzzFailure) as e:
        run(FakeNode(script, [(50, 0)]), 10, 9, silence=0)
    assert what in str(e.value)
    assert "seed 9" in str(e.value) and "fuzz -n 10 -s 9 -p 4 -k 1" in str(e.value)


def test_memory_not_back_fails(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    monkeypatch.setenv("BRINCH_TIMEOUT_SCALE", "0.01")
    node = FakeNode(END % 10, [(50, 0), (50, 0), (49, 64)])
    with pytest.raises(FuzzFailure, match=re.escape("(50, 0) before, (49, 64) after")):
        run(node, 10, 9)
