# test_lab_dlock.py: the grader of the dlock lab (docs/labs/dlock.md): the
# decisions of wait-die and wound-wait (user/bin/dlock/deadlock.c) and the
# timestamp a restarted transaction carries (user/bin/dlock/txn.c), judged
# by the tree's unit test and by the textbook's example (P1, P2, P3 at
# timestamps 5, 10, 15) played by `dlock txn` on three nodes, each serving
# its resources (`dlock serve`).  Points per test: @points.
# Run with `make grade LAB=dlock`.

import os
import re
import time

import pytest

from conftest import NODES
from labutil import ROOT, await_prompts, lab_cluster, unit_test_fails

WAIT = 30               # seconds a run may take: every run here takes a few
HOLD = 1500             # ms P2 holds resource 1 (on node 1) in each run


def serve(c):
    for k in range(3):
        c[k].sendline("dlock serve -n 3%s &" % (" -c" if k == 0 else ""))
        c[k].expect("dlock: serving", 30)
        c[k].sync()


@pytest.fixture(scope="module")
def trio(request):
    yield from lab_cluster(request, 3, "lab-dlock", ready=serve)


@pytest.fixture
def c(request, trio):
    request.node.stash.setdefault(NODES, []).extend(trio.nodes.values())
    return trio


def play(c, policy):
    """The textbook's example under policy: P2 (ts 10, node 1) holds
    resource 1 for HOLD ms; once it has it, P1 (ts 5, node 0) and then P3
    (ts 15, node 2) ask for it too.  Each one's lines, as (ts, words)
    after `dlock NAME (ts T):`, and how many seconds after P2 had the
    resource P3's first answer came (None if it did not come)."""
    who = {0: "P1:5:1", 1: "P2:10:1", 2: "P3:15:1"}
    start = {k: len(c[k].text) for k in who}
    c[1].sendline("dlock txn %s -h %d P2:10:1" % (policy, HOLD))
    c[1].expect("P2 (ts 10): 1 granted", 20)
    granted, p3_after = time.monotonic(), None
    for k in (0, 2):
        c[k].sendline("dlock txn %s %s" % (policy, who[k]))
        c[k].expect("(ts %s): asks for 1" % who[k].split(":")[1], 20)
    try:
        c[2].expect(re.compile(r"P3 \(ts \d+\): 1 (granted|rolled back)"), WAIT)
        p3_after = time.monotonic() - granted
    except AssertionError:
        pass
    stuck = await_prompts(c, sorted(who), WAIT)
    outs = {k: c[k].text[start[k]:].replace("\r", "") for k in who}
    shown = "\n".join("--- node %d: %s\n%s" % (k, who[k], outs[k][-1200:]) for k in sorted(who))
    if stuck:
        pytest.fail("node(s) %s still in `dlock txn` after %d s (everyone waiting for "
                    "someone?)\n%s" % (stuck, WAIT, shown), pytrace=False)
    lines = {}
    for k, spec in who.items():
        name = spec.split(":")[0]
        lines[name] = [(int(t), w) for t, w in
                       re.findall(r"dlock %s \(ts (\d+)\): (.*)\n" % name, outs[k])]
    return lines, shown, p3_after


PLAYED = {}             # policy -> play()'s result or failure: each runs once


def played(c, policy):
    """play(c, policy), run by the first test that asks: the tests of a
    module judge different things in the same runs."""
    if policy not in PLAYED:
        try:
            PLAYED[policy] = play(c, policy)
        except (Exception, pytest.fail.Exception) as e:
            PLAYED[policy] = e
    if isinstance(PLAYED[policy], BaseException):
        raise PLAYED[policy]
    return PLAYED[policy]


def words(lines):
    return [w for _, w in lines]


@pytest.mark.points(15)
def test_unit_test_passes():
    """tests/unit/test_deadlock.c, the tree's own test of every policy's
    decisions (also run by `make unit`), built against this deadlock.c,
    passes."""
    why = unit_test_fails("tests/unit/test_deadlock.c",
                          os.path.join(ROOT, "build", "lab-dlock"))
    if why:
        pytest.fail(why, pytrace=False)


@pytest.mark.points(30)
def test_wait_die_textbook(c):
    """wait-die: P1 (older than the holder P2) waits, and gets resource 1
    when P2 commits, never rolling back; P3 (younger) dies at once and
    starts again."""
    lines, shown, p3_after = played(c, "wait-die")
    p1, p3 = words(lines["P1"]), words(lines["P3"])
    assert "1 granted" in p1 and not any("rolled back" in w for w in p1) \
        and p1[-1:] == ["commit after 0 restarts"], \
        "P1 (ts 5) is older than P2 (ts 10): it waits, then gets the resource\n" + shown
    # P2 gives the resource back HOLD ms after it had it: an answer
    # before then was given at once (the margin: seeing P2's grant late).
    assert p3[1:2] == ["1 rolled back (die)"] and p3_after is not None \
        and p3_after < HOLD * 0.8 / 1000, \
        "P3 (ts 15) is younger than P2 (ts 10): it dies (rolls back) at once, not " \
        "after waiting (it was answered %.1f s after P2 had the resource, which P2 " \
        "holds %.1f s)\n%s" % (p3_after or -1, HOLD / 1000, shown)
    assert p3[-1].startswith("commit after"), shown


@pytest.mark.points(30)
def test_wound_wait_textbook(c):
    """wound-wait: P1 (older than the holder P2) wounds it: P2 rolls back
    and P1 gets resource 1; P3 (younger than the holders) only waits."""
    lines, shown, _ = played(c, "wound-wait")
    p1, p2, p3 = words(lines["P1"]), words(lines["P2"]), words(lines["P3"])
    assert "rolled back (wounded)" in p2, \
        "P1 (ts 5) is older than the holder P2 (ts 10): it wounds P2\n" + shown
    assert "1 granted" in p1 and p1[-1:] == ["commit after 0 restarts"], \
        "P1 waits for the resource P2 gives back, and gets it\n" + shown
    assert not any("rolled back" in w for w in p3) and p3[-1:] == ["commit after 0 restarts"], \
        "P3 (ts 15) is younger than any holder: it only waits\n" + shown
    assert p2[-1].startswith("commit after"), shown


@pytest.mark.points(25)
def test_restart_keeps_its_timestamp(c):
    """A transaction that rolls back starts again with its old timestamp,
    so that it grows older until it wins: P3 (dying under wait-die) and P2
    (wounded under wound-wait) show their first stamp on every line, the
    restart's and the commit's included."""
    for policy, name, ts in (("wait-die", "P3", 15), ("wound-wait", "P2", 10)):
        lines, shown, _ = played(c, policy)
        mine = lines[name]
        restarts = [w for _, w in mine if w.startswith("restart ")]
        assert restarts, "under %s %s rolls back and restarts; it did not\n%s" % (
            policy, name, shown)
        stamps = sorted(set(t for t, _ in mine))
        assert stamps == [ts], (
            "under %s %s began with timestamp %d, and restarted with %s: a restarted "
            "transaction keeps its old timestamp\n%s" % (
                policy, name, ts, ", ".join(map(str, stamps[1:] if stamps[:1] == [ts]
                                                else stamps)), shown))
        assert mine[-1][1].startswith("commit after"), shown
