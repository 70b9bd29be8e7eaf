# test_fuzz.py: the system-call fuzzer, short (docs/testing.md, "The
# system-call fuzzer").  One node runs `fuzz -n 10000 -s SEED` through
# tools/fuzz.py's run(): four processes and their children make random
# calls with good and hostile arguments, forking, exiting and signalling
# each other.  The kernel must not panic, no call that has to come back
# may hang, the fuzzer must end with all its calls made, and free frames
# and kernel heap must be back at their baseline once its processes are
# gone.  A failure prints the seed, the last calls and the replay line.
# Then `fuzz -H` fakes a hang, which must be reported.
# FUZZ_CALLS and FUZZ_SEED pick another run; `make fuzz` is the long one.
# Part of `make integration`.

import os
import re

import pytest

from fuzz import FuzzFailure, run

CALLS = int(os.environ.get("FUZZ_CALLS", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261205"))


def test_fuzz_short(node):
    r = run(node, CALLS, SEED, procs=4, silence=60)
    assert r["calls"] == CALLS
    m = re.search(r"ok (\d+), failed (\d+), forks (\d+)", r["summary"])
    assert m, r["summary"]
    ok, failed, forks = (int(g) for g in m.groups())
    # Both kinds of answer, and the processes multiplied: the run did
    # what it says, not a few calls that all failed the same way.
    assert ok > CALLS // 20 and failed > CALLS // 4 and forks > 0, r["summary"]
    for errno_name in ("EFAULT", "EBADF", "EINVAL", "ENOENT"):
        assert errno_name in r["summary"], r["summary"]
    # The hang detector works: -H makes one process claim that its
    # pause() must return; after -T 1500 ms that is reported, with the
    # call, the ring and the replay line, and the harness fails.
    with pytest.raises(FuzzFailure, match="a system call hung") as e:
        run(node, 100, SEED, extra="-T 1500 -H")
    assert re.search(r"fuzz:   #0 pid \d+ pause\(0, 0, 0, 0, 0, 0\) \.\.\.", str(e.value))
    assert "fuzz -n 100 -s %d -p 4 -k 1" % SEED in str(e.value)
