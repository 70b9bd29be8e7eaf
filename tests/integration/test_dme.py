# test_dme.py: distributed mutual exclusion across three brinch kernels
# (user/bin/dme, docs/dme.md), checked by tools/dmecheck.py from the consoles:
#  - Ricart-Agrawala reproduces the textbook's worked example step by step
#    (P1 = node 0 requests at 15, P3 = node 2 at 6, P2 = node 1 only answers)
#  - centralized, Ricart-Agrawala and token ring: no overlap (the shared
#    counter), timestamp order (R-A), bypass <= n-1, 3 / 2(n-1) messages per
#    entry, the token at the next entrant within n passes
#  - each algorithm under 10% loss and 10% duplication on node 0's wire
#    (wirefilter): 6 entries per node here, 40 in `make test-dist`
# Only in `make test-dist` (BRINCH_DME_LONG=1): a token ring of 4 whose token
# holder is killed: the ring is rebuilt and the token regenerated once; 16
# nodes: every node pings every other, and each algorithm runs, checked.
# Part of `make integration`.

import os
import re

import pytest

from brinchnet import need
from conftest import booted_cluster, resolved
import dmecheck

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

LONG = os.environ.get("BRINCH_DME_LONG") == "1"
long_only = pytest.mark.skipif(not LONG, reason="long: run by `make test-dist`")

SUMMARY = re.compile(r"dme: \d+ entries, \d+ messages.*\n")


@pytest.fixture(scope="module")
def trio(request):
    yield from booted_cluster(request, 3, "dme_trio")


@pytest.fixture(scope="module")
def lossy(request):
    yield from booted_cluster(request, 3, "dme_lossy", ready=resolved, loss=10, dup=10)


def kmsg_counters(node):
    """`kmsg` as a dict of counter name -> value."""
    words = [ln.split() for ln in node.run("kmsg", timeout=30).splitlines()]
    return {w[0]: int(w[1]) for w in words if len(w) == 2 and w[1].isdigit()}


def run_dme(cluster, commands, timeout=120):
    """Type commands[k] on node k (all started before any is awaited); wait
    for each summary and prompt; return each node's output of this run."""
    starts = {k: len(cluster[k].text) for k in commands}
    for k, cmd in commands.items():
        cluster[k].sendline(cmd)
    outs = {}
    for k in commands:
        cluster[k].expect(SUMMARY, timeout)
        cluster[k].wait_prompt(30)
        outs[k] = cluster[k].text[starts[k]:].replace("\r", "")
    return outs


def checked(alg, outs, n=3, summaries=None):
    report, problems = dmecheck.check(alg, n, list(outs.values()), summaries)
    assert not problems, (problems, dmecheck.summary_line(report, problems))
    print(dmecheck.summary_line(report, problems))     # shown with pytest -s
    return report


def lines(out, node):
    """The node's trace, as the words after `dme NODE PID`."""
    return [ln.split(None, 3)[3] for ln in out.splitlines()
            if re.match(r"dme %d \d+ " % node, ln)]


def test_ricart_agrawala_textbook_example(trio):
    outs = run_dme(trio, {0: "dme ra 1 -t 15 -v", 1: "dme ra 0 -v", 2: "dme ra 1 -t 6 -v"})
    p1, p2, p3 = lines(outs[0], 0), lines(outs[1], 1), lines(outs[2], 2)
    assert p1[0] == "request 15" and p3[0] == "request 6", (p1, p3)
    # P2 replies to both at once; P1 to P3 at once; P3 defers P1.
    assert sorted(p2) == ["reply to 0 (ts 15) at once", "reply to 2 (ts 6) at once"], p2
    assert p1[1] == "reply to 2 (ts 6) at once", p1
    assert p3[1] == "defer 0 (ts 15)", p3
    # P3 enters, leaves and replies to P1; then P1 enters.
    assert [w.split()[0] for w in p3[2:]] == ["enter", "exit", "reply"], p3
    assert p3[4] == "reply to 0 (ts 15) deferred", p3
    assert [w.split()[0] for w in p1[2:]] == ["enter", "exit"], p1
    assert " cs 0" in p3[2] and " cs 1" in p1[2], (p3, p1)
    assert int(p1[2].split()[1]) > int(p3[3].split()[1]), (p1, p3)   # after P3's exit
    report = checked("ra", outs)
    assert report["entries"] == 2 and report["messages"] == 8, report


@pytest.mark.parametrize("alg", ["central", "ra", "ring"])
def test_mutual_exclusion(trio, alg):
    outs = run_dme(trio, {k: "dme %s 12 -h 10" % alg for k in range(3)})
    report = checked(alg, outs)
    assert report["entries"] == 36, report
    if alg == "ring":
        assert report["regenerations"] == 0, report
        assert 36 - 1 <= report["messages"] <= 3 * 36, report


@pytest.mark.parametrize("alg", ["central", "ra", "ring"])
def test_mutual_exclusion_under_loss_and_duplication(lossy, alg):
    count = 40 if LONG else 6
    before = kmsg_counters(lossy[0])
    outs = run_dme(lossy, {k: "dme %s %d -h 10" % (alg, count) for k in range(3)},
                   timeout=600)
    report = checked(alg, outs)
    assert report["entries"] == 3 * count, report
    # The wire did lose and duplicate: node 0 resent and saw duplicates.
    after = kmsg_counters(lossy[0])
    assert after["retransmits"] > before["retransmits"], (before, after)
    assert after["dups"] > before["dups"], (before, after)


@long_only
def test_token_ring_survives_its_holder_killed(request):
    c_gen = booted_cluster(request, 4, "dme_kill")
    c = next(c_gen)
    try:
        starts = {k: len(c[k].text) for k in range(4)}
        for k in (0, 1, 3):
            c[k].sendline("dme ring 15 -n 4 -h 10")
        c[2].sendline("dme ring 0 -n 4 -p 60000")    # holds the token a minute
        c[2].expect(re.compile(r"dme 2 \d+ hold token"), 60)
        for k in (0, 1, 3):     # every node past its setup (it opens DME@2)
            c[k].expect(re.compile(r"dme %d \d+ request" % k), 60)
        c[2].stop()
        outs = {}
        for k in (0, 1, 3):
            c[k].expect(SUMMARY, 300)
            c[k].wait_prompt(30)
            outs[k] = c[k].text[starts[k]:].replace("\r", "")
        report = checked("ring", outs, n=4, summaries=3)
        assert report["entries"] == 45 and report["regenerations"] == 1, report
        everything = "".join(outs.values())
        print("".join(re.findall(r"(?m)^dme \d+ \d+ (?:probe|dead|regen|drop).*\n", everything)))
        assert re.search(r"dme 1 \d+ dead 2 .*ring rebuilt", everything), everything[-2000:]
    finally:
        next(c_gen, None)


@long_only
def test_sixteen_nodes_all_pairs_ping_and_every_algorithm(request):
    c_gen = booted_cluster(request, 16, "dme_16")
    c = next(c_gen)
    try:
        for k in range(16):
            pings = "; ".join("ping -q -c 3 -i 100 %s" % c[j].ip for j in range(16) if j != k)
            out = c[k].run(pings, timeout=300)
            # Every pair answers (the first packet may wait for ARP).
            assert len(re.findall(r"3 packets transmitted, [123] received", out)) == 15, out
        for alg in ("central", "ra", "ring"):
            outs = run_dme(c, {k: "dme %s 4 -n 16" % alg for k in range(16)}, timeout=600)
            report = checked(alg, outs, n=16)
            assert report["entries"] == 64, report
    finally:
        next(c_gen, None)


@long_only
def test_dmebench_runs_short():
    import json
    import subprocess
    import sys
    from brinchvm import ROOT
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "dmebench.py"),
                          "--nodes", "3", "--count", "3"], capture_output=True, text=True,
                         timeout=600, check=True).stdout
    lines = [json.loads(ln) for ln in out.splitlines()]
    assert [d["bench"] for d in lines] == ["dme_central_n3", "dme_ra_n3", "dme_ring_n3"], out
    assert lines[0]["msgs_per_entry"] == 3.0 and lines[1]["msgs_per_entry"] == 4.0, out
