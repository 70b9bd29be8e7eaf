# test_lab_syscall.py: the grader of the syscall lab (docs/labs/syscall.md):
# callcount(num) must count every system call exactly, across processes, and
# refuse numbers that are not system calls.  Points per test: @points.
# Run with `make grade LAB=syscall`; uses the `callcount` program.

import re

import pytest

from labutil import header_define, line_with, number

NSYSCALL = header_define("include/brinch/syscall.h", "NSYSCALL")
RISE = r"count rose by (-?\d+)"


def count(node, call):
    """callcount's reading for one call, e.g. count(node, "fork")."""
    out = node.run("callcount %s" % call)
    return number(r"^\S+ \(\d+\): (\d+)$", out)


@pytest.mark.points(30)
def test_counts_exactly(make_node):
    """k calls raise the count by exactly k."""
    node = make_node()
    for k, call in ((25, "getpid"), (7, "getppid"), (1, "uptime"), (0, "yield")):
        out = node.run("callcount -d %d %s" % (k, call))
        assert number(RISE, out) == k, "%d calls of %s:\n%s" % (k, call, out)


@pytest.mark.points(10)
def test_one_counter_per_call(make_node):
    """Making calls of one kind leaves the others' counts alone."""
    node = make_node()
    before = count(node, "getppid")
    node.run("callcount -d 20 getpid")
    assert count(node, "getppid") == before, "getpid calls changed getppid's count"


@pytest.mark.points(10)
def test_counts_itself(make_node):
    """callcount is a system call like any other: its own readings count."""
    node = make_node()
    out = node.run("callcount -d 10 callcount")
    assert number(RISE, out) == 11, "10 calls between two readings:\n" + out


@pytest.mark.points(15)
def test_counts_every_process(make_node):
    """The counts are for the whole system, not per process: the shell's
    forks for the next two commands are counted."""
    node = make_node()
    out = node.run("callcount fork; true; callcount fork")
    first, second = [int(n) for n in re.findall(r"^fork \(\d+\): (\d+)$", out, re.M)]
    assert second - first == 2, "two forks between the readings:\n" + out


@pytest.mark.points(15)
def test_counts_calls_that_never_return(make_node):
    """exit and a successful exec never return to the caller: they must be
    counted all the same."""
    node = make_node()
    out = node.run("callcount exit; true; callcount exit")
    first, second = [int(n) for n in re.findall(r"^exit \(\d+\): (\d+)$", out, re.M)]
    assert second - first == 2, "two exits between the readings:\n" + out
    out = node.run("callcount exec; true; callcount exec")
    first, second = [int(n) for n in re.findall(r"^exec \(\d+\): (\d+)$", out, re.M)]
    assert second - first == 2, "two execs between the readings:\n" + out


@pytest.mark.points(20)
def test_bad_numbers(make_node):
    """Numbers outside the system-call table are EINVAL; the last number
    of the table is fine."""
    node = make_node()
    for bad in (-1, -57, NSYSCALL, NSYSCALL + 1, 1000000):
        out = node.run("callcount %d" % bad)
        assert line_with(out, "callcount: %d:" % bad) == "Invalid argument", out
    out = node.run("callcount %d" % (NSYSCALL - 1))
    assert re.match(r"^\S+ \(%d\): \d+$" % (NSYSCALL - 1), out), out
