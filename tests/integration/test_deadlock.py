# test_deadlock.py: distributed locking across three brinch kernels
# (user/bin/dlock, docs/deadlock.md).  Resource r lives on node r % 3, whose
# `dlock serve` grants it; transactions lock across nodes by remote call.
#  - the textbook's P1, P2, P3 (timestamps 5, 10, 15) with P2 holding
#    resource 1: under wait-die P1 waits and P3 rolls back; under wound-wait
#    P2 is wounded and rolls back, and P3 waits; restarts keep the timestamp
#  - adversarial lock orders (each transaction the reverse of another, across
#    nodes) commit under ordering, wait-die and wound-wait (`make test-dist`)
#  - detection, by node 0's coordinator (global wait-for graph, asked twice
#    against phantoms) and by Chandy-Misra-Haas probes: an injected two-node
#    cycle is found and its youngest aborted; transactions that cannot
#    deadlock (ascending orders) see no abort and no cycle reported; the
#    adversarial orders commit (`make test-dist`)
#  - the banker's algorithm on node 0: the adversarial orders all commit
#    without a single roll back, the banker holding unsafe requests back
# Part of `make integration`.

import os
import re

import pytest

from brinchnet import need
from conftest import booted_cluster

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

LONG = os.environ.get("BRINCH_DME_LONG") == "1"
long_only = pytest.mark.skipif(not LONG, reason="long: run by `make test-dist`")

DONE = re.compile(r"dlock: (\d+) of (\d+) committed, (\d+) restarts\n")


def finish(trio, nodes, timeout=60):
    """Each node's `dlock: N of M committed, R restarts` as (N, M, R),
    once its prompt is back."""
    got = {}
    for k in nodes:
        got[k] = tuple(int(x) for x in trio[k].expect(DONE, timeout).groups())
        trio[k].wait_prompt(30)
    return got


@pytest.fixture(scope="module")
def trio(request):
    def serve(c):
        for k in range(3):
            c[k].sendline("dlock serve -n 3%s &" % (" -c" if k == 0 else ""))
            c[k].expect("dlock: serving")
            c[k].sync()
    yield from booted_cluster(request, 3, "dlock_trio", ready=serve)


def events(text, name):
    """The words after `dlock NAME (ts T):` for each of NAME's lines."""
    return re.findall(r"dlock %s \(ts \d+\): (.*)\n" % name, text)


def test_textbook_wait_die(trio):
    start = {k: len(trio[k].text) for k in range(3)}
    trio[1].sendline("dlock txn wait-die -h 2500 P2:10:1")
    trio[1].expect("P2 (ts 10): 1 granted")
    trio[0].sendline("dlock txn wait-die P1:5:1")
    trio[0].expect("P1 (ts 5): asks for 1")
    trio[2].sendline("dlock txn wait-die P3:15:1")
    trio[2].expect("P3 (ts 15): 1 rolled back (die)")
    for got in finish(trio, range(3)).values():
        assert got[:2] == (1, 1), got
    p1, p3 = events(trio[0].text[start[0]:], "P1"), events(trio[2].text[start[2]:], "P3")
    # P1 waited (no roll back) and got it once P2 committed.
    assert "1 granted" in p1 and not any("rolled back" in e for e in p1), p1
    assert "commit after 0 restarts" in p1[-1], p1
    # P3 rolled back, restarting with its old stamp, until it got it.
    assert "restart 1, same timestamp" in p3 and p3[-1].startswith("commit after"), p3


def test_textbook_wound_wait(trio):
    start = {k: len(trio[k].text) for k in range(3)}
    trio[1].sendline("dlock txn wound-wait -h 1500 P2:10:1")
    trio[1].expect("P2 (ts 10): 1 granted")
    trio[0].sendline("dlock txn wound-wait P1:5:1")
    trio[1].expect("P2 (ts 10): rolled back (wounded)", 30)
    trio[0].expect("P1 (ts 5): 1 granted", 30)
    trio[2].sendline("dlock txn wound-wait P3:15:1")
    for got in finish(trio, range(3)).values():
        assert got[:2] == (1, 1), got
    p2, p3 = events(trio[1].text[start[1]:], "P2"), events(trio[2].text[start[2]:], "P3")
    assert "restart 1, same timestamp" in p2, p2
    assert not any("rolled back" in e for e in p3), p3     # P3 only waits


# Each node: two transactions locking three resources on three nodes in
# opposite orders, a step apart, so that without a policy they deadlock.
ADVERSARIAL = {0: "A:1:0,1,2 B:2:2,1,0", 1: "C:3:1,2,0 D:4:0,2,1",
               2: "E:5:2,0,1 F:6:1,0,2"}


@long_only
@pytest.mark.parametrize("policy", ["order", "wait-die", "wound-wait"])
def test_adversarial_orders_commit(trio, policy):
    for k in range(3):
        trio[k].sendline("dlock txn %s -h 30 -d 30 %s" % (policy, ADVERSARIAL[k]))
    got = finish(trio, range(3), 120)
    assert all(g[:2] == (2, 2) for g in got.values()), got
    restarts = sum(g[2] for g in got.values())
    print("dlock %s: 6 transactions committed, %d restarts" % (policy, restarts))


STAT = re.compile(r"dlock: central (\d+) cycles, (\d+) phantoms; edge chasing (\d+) cycles, "
                  r"\d+ probes; banker held back (\d+)")


def stats(trio):
    """Cycles found by the coordinator (node 0) and by edge chasing (all)."""
    central = int(STAT.search(trio[0].run("dlock stat", 30)).group(1))
    cmh = sum(int(STAT.search(trio[k].run("dlock stat", 30)).group(3)) for k in range(3))
    return central, cmh


@pytest.mark.parametrize("policy", ["detect", "cmh"])
def test_detection_aborts_the_youngest_of_a_cycle(trio, policy):
    before = stats(trio)
    start = {k: len(trio[k].text) for k in range(3)}
    # X (ts 3) locks 0 then 1, Y (ts 4) locks 1 then 0, a step apart.
    trio[1].sendline("dlock txn %s -h 50 -d 400 X:3:0,1" % policy)
    trio[2].sendline("dlock txn %s -h 50 -d 400 Y:4:1,0" % policy)
    for got in finish(trio, (1, 2)).values():
        assert got[:2] == (1, 1), got
    x, y = events(trio[1].text[start[1]:], "X"), events(trio[2].text[start[2]:], "Y")
    assert "0 aborted (youngest in a deadlock)" in y, y
    assert not any("aborted" in e for e in x) and x[-1] == "commit after 0 restarts", x
    assert y[-1] == "commit after 1 restarts", y               # aborted once
    after = stats(trio)
    if policy == "detect":
        assert after[0] - before[0] == 1, (before, after)
    else:       # X and Y may each have started a probe: both name Y
        assert 1 <= after[1] - before[1] <= 2, (before, after)


@long_only
@pytest.mark.parametrize("policy", ["detect", "cmh"])
def test_detection_adversarial_orders_commit(trio, policy):
    for k in range(3):
        trio[k].sendline("dlock txn %s -h 30 -d 30 %s" % (policy, ADVERSARIAL[k]))
    for got in finish(trio, range(3), 120).values():
        assert got[:2] == (2, 2), got


@pytest.mark.parametrize("policy", ["detect", "cmh"])
def test_detection_reports_no_false_deadlock(trio, policy):
    before = stats(trio)
    ordered = {0: "A:1:0,1,2 B:2:0,1,2", 1: "C:3:0,2 D:4:1,2", 2: "E:5:0,1 F:6:1,2"}
    for k in range(3):
        trio[k].sendline("dlock txn %s -h 30 -d 30 %s" % (policy, ordered[k]))
    for got in finish(trio, range(3), 120).values():
        assert got == (2, 2, 0), got                      # no restart
    assert stats(trio) == before, (before, stats(trio))


def test_banker_adversarial_orders_never_roll_back(trio):
    held_back = int(STAT.search(trio[0].run("dlock stat", 30)).group(4))
    for k in range(3):
        trio[k].sendline("dlock txn banker -h 30 -d 30 %s" % ADVERSARIAL[k])
    for got in finish(trio, range(3), 120).values():
        assert got == (2, 2, 0), got              # all commit, none restarts
    # The banker did have to hold requests back: the orders were adversarial.
    assert int(STAT.search(trio[0].run("dlock stat", 30)).group(4)) > held_back
