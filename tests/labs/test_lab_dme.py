# test_lab_dme.py: the grader of the dme lab (docs/labs/dme.md):
# Ricart-Agrawala's reply rule, ra_defers() (user/bin/dme/rules.c), and
# the replies sent on leaving the section (ra_exit in user/bin/dme/ra.c),
# judged by the tree's unit test and by `dme ra` on three nodes, whose
# consoles tools/dmecheck.py reads.  Points per test: @points.
# Run with `make grade LAB=dme`.

import os
import re
import sys

import pytest

from conftest import NODES
from labutil import ROOT, await_prompts, lab_cluster, unit_test_fails

sys.path.insert(0, os.path.join(ROOT, "tools"))
import dmecheck  # noqa: E402

SUMMARY = re.compile(r"dme: \d+ entries, \d+ messages.*\n")
WAIT = 40               # seconds a run may take: every run here takes a few


@pytest.fixture(scope="module")
def trio(request):
    yield from lab_cluster(request, 3, "lab-dme")


@pytest.fixture
def c(request, trio):
    request.node.stash.setdefault(NODES, []).extend(trio.nodes.values())
    return trio


def run_dme(c, commands):
    """Type commands[k] on node k, all before any is awaited; each node's
    output once every prompt is back.  A node still running after WAIT
    seconds (waiting for a REPLY that never comes) is interrupted, and
    the test fails."""
    starts = {k: len(c[k].text) for k in commands}
    for k, cmd in commands.items():
        c[k].sendline(cmd)
    stuck = await_prompts(c, commands, WAIT)
    outs = {k: c[k].text[starts[k]:].replace("\r", "") for k in commands}
    if stuck:
        pytest.fail("node(s) %s still in `dme` after %d s: waiting for a REPLY that never "
                    "came? (a deferred request must be answered on leaving the section)\n%s"
                    % (stuck, WAIT, "\n".join("--- node %d:\n%s" % (k, outs[k][-1500:])
                                              for k in commands)), pytrace=False)
    return outs


def trace(out, node):
    """The node's -v trace, as the words after `dme NODE PID`."""
    return [ln.split(None, 3)[3] for ln in out.splitlines()
            if re.match(r"dme %d \d+ \S" % node, ln)]


@pytest.mark.points(15)
def test_unit_test_passes():
    """tests/unit/test_dme.c, the tree's own test of the rules (also run
    by `make unit`), built against this rules.c, passes: the textbook's
    example and ties broken by node number."""
    why = unit_test_fails("tests/unit/test_dme.c", os.path.join(ROOT, "build", "lab-dme"))
    if why:
        pytest.fail(why, pytrace=False)


@pytest.mark.points(10)
def test_idle_nodes_reply_at_once(c):
    """Only node 0 wants the section (three times): nodes 1 and 2, not
    wanting it, answer each request at once and defer none."""
    outs = run_dme(c, {0: "dme ra 3 -v", 1: "dme ra 0 -v", 2: "dme ra 0 -v"})
    for k in (1, 2):
        t = trace(outs[k], k)
        replies = [w for w in t if w.startswith("reply to 0 ")]
        assert len(replies) == 3 and all(w.endswith(" at once") for w in replies) \
            and not any(w.startswith("defer") for w in t), (
                "node %d does not want the section: it should reply at once to each of "
                "node 0's 3 requests and defer none; its trace:\n%s" % (k, "\n".join(t)))
    assert SUMMARY.search(outs[0]), outs[0]


@pytest.mark.points(35)
def test_textbook_example(c):
    """The textbook's example: P1 (node 0) asks at time 15, P3 (node 2) at
    time 6, P2 (node 1) does not ask.  P2 replies to both at once; P1,
    whose request is later, replies to P3 at once; P3 defers P1, enters,
    and replies to P1 on leaving; then P1 enters."""
    outs = run_dme(c, {0: "dme ra 1 -t 15 -v", 1: "dme ra 0 -v", 2: "dme ra 1 -t 6 -v"})
    p1, p2, p3 = trace(outs[0], 0), trace(outs[1], 1), trace(outs[2], 2)
    shown = "\nP1 (node 0):\n  %s\nP2 (node 1):\n  %s\nP3 (node 2):\n  %s" % (
        "\n  ".join(p1), "\n  ".join(p2), "\n  ".join(p3))
    assert p1[:1] == ["request 15"] and p3[:1] == ["request 6"], shown
    assert sorted(p2) == ["reply to 0 (ts 15) at once", "reply to 2 (ts 6) at once"], \
        "P2 does not want the section: it replies to both at once" + shown
    assert p1[1:2] == ["reply to 2 (ts 6) at once"], \
        "P1 wants it too, but P3's request (6) is older than its own (15): reply at once" + shown
    assert p3[1:2] == ["defer 0 (ts 15)"], \
        "P3's own request (6) is older than P1's (15): P3 defers it" + shown
    assert [w.split()[0] for w in p3[2:]] == ["enter", "exit", "reply"] and \
        p3[4] == "reply to 0 (ts 15) deferred", \
        "P3 enters, leaves, and only then replies to P1" + shown
    assert [w.split()[0] for w in p1[2:]] == ["enter", "exit"] and \
        int(p1[2].split()[1]) > int(p3[3].split()[1]), \
        "P1 enters after P3 has left" + shown
    report, problems = dmecheck.check("ra", 3, list(outs.values()))
    assert not problems, "%s%s" % (dmecheck.summary_line(report, problems), shown)
    assert report["entries"] == 2 and report["messages"] == 8, \
        "2 entries, 2(n-1) = 4 messages each: %s" % dmecheck.summary_line(report, problems)


@pytest.mark.points(40)
def test_mutual_exclusion_under_contention(c):
    """All three nodes enter ten times each, staying 10 ms: never two in
    the section at once (the shared counter counts 0..29, each once),
    entries in (timestamp, node) order, 2(n-1) messages per entry."""
    outs = run_dme(c, {k: "dme ra 10 -h 10" for k in range(3)})
    report, problems = dmecheck.check("ra", 3, list(outs.values()))
    assert not problems and report["entries"] == 30, (
        "dmecheck: %s\n%s" % (dmecheck.summary_line(report, problems),
                              "\n".join(problems[:10])))
