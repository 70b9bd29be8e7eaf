# test_usertests.py: runs the guest's own test suite (/bin/usertests) and
# checks its summary line.  Part of `make integration`.

import re

USERTESTS_TIMEOUT = 120


def test_usertests(node):
    out = node.run("usertests", timeout=USERTESTS_TIMEOUT)
    m = re.search(r"usertests: (\d+) passed, (\d+) failed", out)
    assert m, "no usertests summary line"
    passed, failed = int(m.group(1)), int(m.group(2))
    assert failed == 0, "usertests: %d failed:\n%s" % (failed, out[-3000:])
    assert passed > 20, "only %d usertests ran" % passed
    assert node.run("echo $?") == "0"


def test_usertests_cow_off(make_node):
    """cow=0 on the command line: fork copies every page up front (as
    before copy-on-write, docs/processes.md "Memory"), and fork still
    behaves: the copy-on-write tests that hold either way pass, and
    fork_copies_nothing checks the other way round (at least a frame
    per page)."""
    node = make_node(cmdline="cow=0")
    assert "cow: off (cow=0)" in node.run("free")
    names = ["fork_write_both", "fork_copies_nothing", "fork_exec", "fork_until_oom",
             "stack_grows", "stack_limit", "sbrk_then_touch"]
    out = node.run("usertests " + " ".join(names), timeout=USERTESTS_TIMEOUT)
    m = re.search(r"usertests: (\d+) passed, (\d+) failed", out)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(names), 0), out
