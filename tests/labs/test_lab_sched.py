# test_lab_sched.py: the grader of the sched lab (docs/labs/sched.md): the
# prio and mlfq policies must behave as docs/scheduling.md says, measured
# from user space with `schedlab` and `schedtest`.  Points per test: @points.
# Run with `make grade LAB=sched`.

import re

import pytest

from labutil import line_with, number


@pytest.mark.points(30)
def test_prio_high_priority_runs_first(make_node):
    """Under prio a nice -10 process that arrives while a nice 10 one runs
    takes the CPU at once and keeps it: it finishes first although the
    other had a head start, and it hardly waits at all."""
    node = make_node(cmdline="sched=prio")
    out = node.run("schedlab prio", timeout=30)
    assert line_with(out, "schedlab prio: first to finish:") == "high", out
    waited = number(r"high waited (-?\d+) ms", out)
    assert 0 <= waited < 60, "the high-priority process waited %d ms:\n%s" % (waited, out)


@pytest.mark.points(20)
def test_mlfq_favours_io_bound(make_node):
    """schedtest under mlfq: I/O-bound processes stay on the top level and
    finish long before the CPU-bound ones (under rr they finish together)."""
    node = make_node(cmdline="sched=mlfq")
    out = node.run("schedtest", timeout=60)
    assert "policy mlfq" in out, out
    cpu = number(r"cpu-bound: average turnaround (\d+) ms", out)
    io = number(r"io-bound: average turnaround (\d+) ms", out)
    assert io * 2 < cpu, "io-bound %d ms is not far below cpu-bound %d ms:\n%s" % (io, cpu, out)


@pytest.mark.points(15)
def test_mlfq_demotes_cpu_bound(make_node):
    """A process that keeps using whole slices sinks to the bottom level."""
    node = make_node(cmdline="sched=mlfq")
    out = node.run("schedlab demote", timeout=30)
    assert number(r"max level (-?\d+)", out) == 2, out


@pytest.mark.points(15)
def test_mlfq_slices_double(make_node):
    """On level 2 a process runs four quanta (200 ms) at a stretch."""
    node = make_node(cmdline="sched=mlfq")
    out = node.run("schedlab slices", timeout=30)
    runs = [int(n) for n in re.findall(r"longest run (\d+) ms", out)]
    assert len(runs) == 2, out
    assert max(runs) >= 150, "longest runs %s ms, expected about 200:\n%s" % (runs, out)


@pytest.mark.points(20)
def test_mlfq_aging(make_node):
    """Aging: a bottom-level process still gets the CPU while interactive
    processes keep the top level busy; without aging it would starve."""
    node = make_node(cmdline="sched=mlfq")
    out = node.run("schedlab aging", timeout=30)
    ticks = number(r"child got (-?\d+) ticks", out)
    assert ticks >= 5, "the level-2 process got %d ticks in 2.5 s:\n%s" % (ticks, out)
