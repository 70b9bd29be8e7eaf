# test_lab_cow.py: the grader of the cow lab (docs/labs/cow.md): fork shares
# the parent's frames copy-on-write (kernel/mm/vm.c), the first write copies
# or takes the frame, and reference counts (kernel/mm/pmm.c) give every frame
# back.  Checked with usertests' cow topic and `free`; points per test:
# @points.  Run with `make grade LAB=cow`.

import re

import pytest

SUMMARY = re.compile(r"usertests: (\d+) passed, (\d+) failed")


def usertests(node, names):
    """Run the named usertests; assert every one passed."""
    out = node.run("usertests " + " ".join(names), timeout=120)
    m = SUMMARY.search(out)
    assert m, "usertests printed no summary:\n" + out
    assert (int(m.group(1)), int(m.group(2))) == (len(names), 0), out
    return out


def free_frames(node):
    out = node.run("free")
    m = re.search(r"^frames: \d+ total, (\d+) free", out, re.M)
    assert m, out
    return int(m.group(1))


@pytest.mark.points(30)
def test_fork_copies_nothing(make_node):
    """Fork of a 200-page process takes page tables and a kernel stack,
    not a copy of its pages: no more than 32 frames."""
    usertests(make_node(), ["fork_copies_nothing"])


@pytest.mark.points(35)
def test_own_writes(make_node):
    """Parent and child each see their own writes and never the other's;
    while both live their pages are shared (meminfo's shared count), each
    first write to a shared page copies it, and a write after the other
    has exited takes the frame without a copy."""
    usertests(make_node(), ["fork_write_both", "shared_until_written",
                            "last_reference_takes"])


@pytest.mark.points(35)
def test_no_frame_leak(make_node):
    """Fork and exec, fork until memory runs out (each child writing a
    large heap) and back: every frame returns, as `free` counts them."""
    node = make_node()
    usertests(node, ["fork_exec"])      # warm up: the kernel heap grows once
    before = free_frames(node)
    usertests(node, ["fork_copies_nothing", "fork_exec", "fork_until_oom"])
    after = free_frames(node)
    assert after == before, "%d frames free before, %d after" % (before, after)
