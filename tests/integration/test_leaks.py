# test_leaks.py: physical frames come back.  The free-frame count from `free`
# must be the same before and after a workload that forks, execs, faults and
# exits a lot.  (usertests, the largest, is test_usertests.py's, whose node
# the leak check after every test holds to its frames and heap exactly.)
# Part of `make integration`.

import pytest

from guest import free_frames

WORKLOADS = {
    "forkbomb": (["forkbomb"], 60),
    "crash": (["crash null", "crash write-kernel", "crash gp", "crash div", "crash ud",
               "crash stack", "crash jump-null"], 30),
}


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_no_frame_leak(node, workload):
    commands, timeout = WORKLOADS[workload]
    _, before = free_frames(node)
    for cmd in commands:
        node.run(cmd, timeout=timeout)
    _, after = free_frames(node)
    assert after == before, "%s: %d frames free before, %d after (%+d)" % (
        workload, before, after, after - before)
