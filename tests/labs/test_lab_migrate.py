# test_lab_migrate.py: the grader of the migrate lab (docs/labs/migrate.md):
# pre-copy's stop rules (kernel/migrate/mig_policy.c), played round by round
# on the host, and its dirty-page rounds (kernel/migrate/mig_out.c), judged
# on two nodes by the memory oracle of `migtest`.  Points per test: @points.
# Run with `make grade LAB=migrate`.

import os
import random
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import NODES
from labutil import ROOT, header_define

sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import scale  # noqa: E402
from brinchnet import Cluster, default_workdir, need  # noqa: E402

HOSTCC = os.environ.get("HOSTCC", "gcc")
HOSTCFLAGS = ["-std=gnu11", "-O1", "-g", "-Wall", "-Iinclude", "-I.", "-Ikernel", "-DHOST_TEST"]
BUILD = os.path.join(ROOT, "build", "lab-migrate")
LOG_DIR = os.path.join(ROOT, "build", "test-logs", "labs")
POLICY = "kernel/migrate/mig_policy.c"

SMALL = header_define("kernel/migrate/mig_policy.h", "MIG_DIRTY_SMALL")
MAX_ROUNDS = header_define("include/brinch/migrate.h", "MIG_MAX_ROUNDS")
FACTOR = header_define("include/brinch/migrate.h", "MIG_MAX_SENT_FACTOR")


# ---- the host part: mig_precopy_stop() round by round ---------------------

def host_build(name, sources):
    """Build a host program from sources (paths in the tree) into
    build/lab-migrate/NAME; (path, None), or (None, what the compiler said)."""
    os.makedirs(BUILD, exist_ok=True)
    out = os.path.join(BUILD, name)
    argv = [HOSTCC] + HOSTCFLAGS + ["-o", out] + list(sources)
    run = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=120)
    if run.returncode != 0:
        return None, "%s\n%s" % (" ".join(argv), run.stdout)
    return out, None


@pytest.fixture(scope="module")
def rules_tool():
    """tests/labs/mig_rules.c built against this tree's mig_policy.c."""
    return host_build("mig_rules", ["tests/labs/mig_rules.c", POLICY])


def play(tool, rounds, image=256, before=0, sent_before=0):
    """Play `rounds`, each (dirty, pages sent in it), through
    mig_precopy_stop() on an image of `image` pages, `before` rounds and
    `sent_before` pages having gone already.  Returns the answer after
    each round, up to the first that is not "none" (the kernel asks no
    more then), and the program's output."""
    path, error = tool
    assert path, "%s does not build on the host:\n%s" % (POLICY, error)
    argv = [path, str(image), str(before), str(sent_before)]
    argv += ["%d:%d" % (d, s) for d, s in rounds]
    try:
        run = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError("mig_precopy_stop() did not return within 10 s (a loop?)")
    assert run.returncode == 0, "mig_rules %s: exit status %d:\n%s" % (
        " ".join(argv[1:]), run.returncode, run.stdout)
    return re.findall(r"^round \d+: .*: (\S+)$", run.stdout, re.M), run.stdout


def brief(items):
    """A list for a message: whole if short, else its ends."""
    if len(items) <= 8:
        return ", ".join(map(str, items))
    return "%s, ... (%d in all), %s" % (", ".join(map(str, items[:3])), len(items),
                                         ", ".join(map(str, items[-2:])))


def expect_stops(tool, rounds, want, why, **kw):
    """Play rounds; the answers must be "none" until the last, which is want."""
    got, out = play(tool, rounds, **kw)
    expected = ["none"] * (len(rounds) - 1) + [want]
    if got != expected:
        pytest.fail("%s\nrounds played (dirty pages, pages sent): %s\n"
                    "answers expected: %s\nanswers given:    %s\n"
                    "(none: another round; small, rounds, bytes, not-shrinking: "
                    "MIG_STOP_SMALL ... MIG_STOP_NOT_SHRINKING)\nmig_rules said:\n%s"
                    % (why, brief(rounds), brief(expected), brief(got), out), pytrace=False)


@pytest.mark.points(10)
def test_stop_when_dirty_set_small(rules_tool):
    """Fewer than MIG_DIRTY_SMALL dirty pages: freeze now, even after the
    first round; MIG_DIRTY_SMALL or more: go round again."""
    expect_stops(rules_tool, [(12, 256)], "small",
                 "12 pages dirty after round 1: few enough to send while frozen")
    expect_stops(rules_tool, [(SMALL - 1, 256)], "small",
                 "%d pages dirty is fewer than MIG_DIRTY_SMALL (%d)" % (SMALL - 1, SMALL))
    expect_stops(rules_tool, [(0, 256)], "small", "nothing dirty at all")
    expect_stops(rules_tool, [(SMALL, 256)], "none",
                 "%d pages dirty is not fewer than MIG_DIRTY_SMALL: another round" % SMALL)
    expect_stops(rules_tool, [(SMALL + 30, 256), (SMALL, 80), (SMALL - 1, 50)], "small",
                 "the dirty set shrinks to %d, then to %d: the third round is the last"
                 % (SMALL, SMALL - 1))


@pytest.mark.points(6)
def test_stop_at_the_round_cap(rules_tool):
    """MIG_MAX_ROUNDS rounds done: freeze, even though the dirty set is
    large and still shrinking and the bytes are far from their cap."""
    rounds = [(1000 - i, 100) for i in range(1, MAX_ROUNDS + 1)]
    expect_stops(rules_tool, rounds, "rounds",
                 "a slowly shrinking set of ~1000 dirty pages of a 4000-page image: "
                 "round %d (MIG_MAX_ROUNDS) is the last" % MAX_ROUNDS, image=4000)
    expect_stops(rules_tool, [(400, 50)], "rounds",
                 "the round that brings r->rounds to MIG_MAX_ROUNDS is the last",
                 image=100000, before=MAX_ROUNDS - 1, sent_before=1000)


@pytest.mark.points(6)
def test_stop_at_the_bytes_cap(rules_tool):
    """More than MIG_MAX_SENT_FACTOR times the image sent: freeze.  Exactly
    that much is not more."""
    expect_stops(rules_tool, [(250, 256), (240, 256), (230, 256), (220, 256)], "bytes",
                 "a 256-page image and 256 pages a round: after round 3 exactly %dx "
                 "the image has gone (not more), after round 4 more" % FACTOR)
    image = 1000
    expect_stops(rules_tool, [(900, 1000), (800, 500), (700, 1500), (600, 1)], "bytes",
                 "a 1000-page image: after 3000 pages, one more page is too many",
                 image=image)


@pytest.mark.points(8)
def test_stop_when_not_shrinking(rules_tool):
    """The second round (never the first) whose dirty set is no smaller
    than the round before's: the writer keeps up with us, freeze.  The two
    need not be one after the other."""
    big = 100000                    # no bytes cap in sight
    expect_stops(rules_tool, [(200, 256), (200, 200), (180, 200), (190, 180)], "not-shrinking",
                 "200, 200 (not smaller: once), 180 (smaller), 190 (not smaller: "
                 "twice): stop", image=big)
    expect_stops(rules_tool, [(300, 256), (300, 300), (300, 300)], "not-shrinking",
                 "a dirty set that never shrinks: round 1 has no round before it, "
                 "so rounds 2 and 3 are the two", image=big)
    expect_stops(rules_tool, [(300, 256), (400, 300), (350, 400), (340, 350), (330, 340),
                              (320, 330), (320, 320)], "not-shrinking",
                 "grew in round 2 (once), then shrank four times, then stayed: "
                 "twice", image=big)
    expect_stops(rules_tool, [(900 - 10 * i, 100) for i in range(8)] + [(40, 100)], "small",
                 "a dirty set that shrinks every round never stops by this rule "
                 "(here it ends small)", image=big)


@pytest.mark.points(4)
def test_rules_in_order(rules_tool):
    """When several rules hold, the first in the order small, rounds,
    bytes, not shrinking names the reason."""
    expect_stops(rules_tool, [(3, 1)], "small",
                 "a small dirty set wins over the round and bytes caps: nothing left "
                 "to chase", before=MAX_ROUNDS, sent_before=10 * 256)
    expect_stops(rules_tool, [(300, 1)], "rounds",
                 "the round cap comes before the bytes cap",
                 before=MAX_ROUNDS - 1, sent_before=10 * 256)
    expect_stops(rules_tool, [(300, 150), (300, 150), (300, 150)], "bytes",
                 "a 100-page image: round 3 is both past the bytes cap and the "
                 "second not to shrink: the bytes cap comes first", image=100)


@pytest.mark.points(6)
def test_unit_test_passes():
    """tests/unit/test_mig_policy.c, the tree's own test of the rules (also
    run by `make unit`), built against this mig_policy.c, passes."""
    unit = "tests/unit/test_mig_policy.c"
    with open(os.path.join(ROOT, unit)) as f:
        uses = re.findall(r"^// *uses: *(.*)$", f.read(), re.M)
    path, error = host_build("test_mig_policy", [unit] + " ".join(uses).split())
    assert path, "%s does not build:\n%s" % (unit, error)
    run = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=30)
    if run.returncode != 0:
        lines = run.stdout.splitlines()
        shown = lines[:15] + (["... (%d more lines)" % (len(lines) - 16), lines[-1]]
                              if len(lines) > 16 else lines[15:])
        pytest.fail("%s fails (the line numbers are in that file):\n%s"
                    % (unit, "\n".join(shown)), pytrace=False)


# ---- the QEMU part: pre-copy between two nodes ----------------------------

@pytest.fixture
def pair(request):
    """Nodes 0 and 1 on one vde_switch, booted.  Their serial logs are
    copied to build/test-logs/labs/TEST-nodeN.log; the cluster's own
    directory (build/net/lab-migrate-PID: logs, pcaps) stays if the test
    failed."""
    missing = need("vde_switch")
    assert not missing, "vde_switch is not installed (Debian package vde2; `make deps`)"
    failed_before = request.session.testsfailed
    c = Cluster(2, default_workdir("lab-migrate"), name=request.node.name)
    c.start()
    try:
        request.node.stash.setdefault(NODES, []).extend(c.nodes.values())
        c.boot(timeout=60)
        yield c
    finally:
        c.stop()
        os.makedirs(LOG_DIR, exist_ok=True)
        base = re.sub(r"[^A-Za-z0-9_.=-]+", "-", request.node.name).strip("-")
        for i, node in c.nodes.items():
            if os.path.exists(node.log_path):
                shutil.copy(node.log_path, os.path.join(LOG_DIR, "%s-node%d.log" % (base, i)))
        if request.session.testsfailed == failed_before:
            shutil.rmtree(c.workdir, ignore_errors=True)


def start_oracle(node, pages, hot=None):
    """Start `migtest oracle PAGES [HOT]` in the background; its pid."""
    cmd = "migtest oracle %d%s" % (pages, "" if hot is None else " %d" % hot)
    node.sendline(cmd + " &")
    node.wait_prompt()
    m = node.expect(re.compile(r"oracle: %d pages, \d+ hot, pid (\d+) on node 0" % pages),
                    timeout=30)
    node.sync()
    return int(m.group(1))


def migrate(c, here, name, to, how):
    """Run `migrate NAME TO HOW -v` on node `here`; its report: the summary
    line's numbers and each round's (pages sent, pages dirtied)."""
    out = c[here].run("migrate %s %d %s -v" % (name, to, how), timeout=90)
    m = re.search(r"-> node %d: (\w+), (\d+) rounds?, (\d+) pages, (\d+) bytes, .*\((.*)\)"
                  % to, out)
    assert m, "the migration from node %d to node %d (%s) failed:\n%s" % (here, to, how, out)
    rounds = [(int(p), int(d)) for p, d in
              re.findall(r"round \d+: (\d+) pages sent, (\d+) dirtied", out)]
    return {"rounds": int(m.group(2)), "pages": int(m.group(3)), "bytes": int(m.group(4)),
            "reason": m.group(5), "log": rounds, "out": out}


def oracle_after_move(c, marks, to, move, what="", hint=""):
    """What the oracle said after its move number `move` (to node `to`):
    its line on the home console (node 0) after marks[0], or the kernel
    killing it on either node after marks[i].  Fails the test on anything
    but "pages ok", the message starting with `what` and ending with
    `hint`."""
    ok = re.compile(r"oracle: moved to node %d: \d+ pages ok after step \d+ \(move %d\)"
                    % (to, move))
    failed = re.compile(r"oracle: FAILED.*")
    killed = re.compile(r"brinch: pid \d+ \(migtest\) killed: .*")
    deadline = time.monotonic() + 30 * scale()
    while True:
        home = c[0].text[marks[0]:]
        m = failed.search(home)
        assert not m, ("%safter move %d the oracle found a page that is not what the "
                       "process last wrote there:\n%s\n%s" % (what, move, m.group(0), hint))
        if ok.search(home):
            return
        for i in (0, 1):
            m = killed.search(c[i].text[marks[i]:])
            assert not m, (
                "%safter move %d the process died on node %d:\n%s\nIt ran with pages the "
                "move did not carry: zeros where its code or data should be, or stale "
                "copies.\n%s" % (what, move, i, m.group(0), hint))
        assert time.monotonic() < deadline, (
            "%sthe oracle did not report after move %d (to node %d) within 30 s\n%s"
            % (what, move, to, hint))
        time.sleep(0.2)


@pytest.mark.points(25)
def test_small_writer_converges(pair):
    """A process that keeps rewriting 12 of its 256 pages (5%): pre-copy
    sends the image once while it runs, then freezes it because little is
    dirty, and the final round sends only that little; the moved process's
    memory is intact."""
    c = pair
    pid = start_oracle(c[0], 256, 12)
    marks = [len(c[i].text) for i in (0, 1)]
    r = migrate(c, 0, pid, 1, "precopy")
    oracle_after_move(c, marks, 1, 1)
    out, log = r["out"], r["log"]
    assert len(log) == r["rounds"] >= 1, "rounds reported and logged differ:\n" + out
    image = max(log[0][0], 256)     # round 1 sends every page
    final = r["pages"] - sum(p for p, _ in log)
    assert r["reason"] == "dirty set small", (
        "pre-copy stopped by %r, not because the dirty set was small: with 12 pages "
        "written over and over, what is dirty after each round must be about 12 pages "
        "(are dirty bits cleared as the pages go, so that the next round sees only new "
        "writes?)\n%s" % (r["reason"], out))
    assert r["rounds"] <= 3, "%d rounds for a 5%% writer (expected 1, at most 3):\n%s" % (
        r["rounds"], out)
    assert final <= image // 10, (
        "the final round (the process frozen) sent %d pages of a %d-page image; only "
        "the pages written since the last round should go then (at most %d here)\n%s"
        % (final, image, image // 10, out))
    assert r["pages"] <= image * 3 // 2, (
        "%d pages sent in all for a %d-page image: round 1 sends every page once, and "
        "after that only pages written since they last went%s\n%s"
        % (r["pages"], image, " (round 1 found every page dirtied during it: did the "
           "round that sent everything leave the dirty bits as they were?)"
           if log[0][1] >= log[0][0] * 9 // 10 else "", out))
    c[0].run("kill %d" % pid)


@pytest.mark.points(15)
def test_everything_writer_stays_correct(pair):
    """A process that rewrites all of its 64 pages: pre-copy cannot catch
    up and stops by some rule (the one the log shows), and the final round
    still carries every page the process wrote last."""
    c = pair
    pid = start_oracle(c[0], 64)
    marks = [len(c[i].text) for i in (0, 1)]
    r = migrate(c, 0, pid, 1, "precopy")
    oracle_after_move(c, marks, 1, 1)
    out, log = r["out"], r["log"]
    assert log and len(log) == r["rounds"], "rounds reported and logged differ:\n" + out
    last_dirtied = log[-1][1]
    if r["reason"] == "dirty set small":
        assert last_dirtied < SMALL, (
            "pre-copy stopped for a small dirty set, but %d pages (not fewer than "
            "MIG_DIRTY_SMALL, %d) were dirty after the last round\n%s"
            % (last_dirtied, SMALL, out))
    elif r["reason"] == "bytes cap":
        image = log[0][0]
        assert r["bytes"] > FACTOR * image * 4096, (
            "pre-copy stopped at the bytes cap after only %d bytes\n%s" % (r["bytes"], out))
    elif r["reason"] == "round cap":
        assert r["rounds"] >= MAX_ROUNDS, "the round cap after %d rounds\n%s" % (
            r["rounds"], out)
    else:
        assert r["reason"] == "dirty set not shrinking", (
            "pre-copy stopped by %r\n%s" % (r["reason"], out))
        assert r["rounds"] >= 3, (
            "'not shrinking' needs two rounds after the first: stopped after %d\n%s"
            % (r["rounds"], out))
    c[0].run("kill %d" % pid)


AFTER_ARRIVAL = ("The process had arrived on node 1 from node 0: the pages it has not "
                 "written since are clean there, yet the target of this move has none "
                 "of them.")


@pytest.mark.points(20)
def test_moves_back_and_forth(pair):
    """Eight moves between the nodes, pre-copy and stop-and-copy, each from
    node 0 and from node 1; the oracle checks every word of every page after
    each.  A process that arrived from elsewhere has pages that were never
    written here (its code, its cold pages): a move must send them too."""
    c = pair
    rng = random.Random(20260605)
    hows = {}
    for node in (0, 1):
        hows[node] = ["precopy", "precopy", "stop", "stop"]
        rng.shuffle(hows[node])
    pid = start_oracle(c[0], 40, 6)
    here = 0
    for move in range(1, 9):
        to = 1 - here
        how = hows[here].pop()
        name = str(pid) if here == 0 else "0:%d" % pid
        marks = [len(c[i].text) for i in (0, 1)]
        migrate(c, here, name, to, how)
        oracle_after_move(c, marks, to, move, "move %d, node %d -> node %d by %s: "
                          % (move, here, to, how), AFTER_ARRIVAL if here == 1 else "")
        here = to
    c[0].run("kill %d" % pid)
