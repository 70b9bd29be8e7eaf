# test_trace.py: the kernel event trace (docs/tracing.md), recorded by a real
# kernel and read back through the trace port (COM2, a host file here):
#  - trace= on the command line records boot itself
#  - under -icount the same workload leaves the same events at the same times
#  - a scripted workload (`trace pingpong N`: two processes yielding to each
#    other) leaves exactly the switch sequence it must, with its reasons
#  - a full ring keeps the newest events and counts the overflow, in the
#    dump, in `trace status` and in tools/trace's summary
#  - tools/trace's Chrome trace-event JSON passes trace_format.check
#  - gdb's trace-dump reads the same ring from a stopped kernel
#  - a migration's steps, at its source and its target
#  - three nodes running `lamport hb` merge with every message received
#    after it was sent and after it by Lamport time; the space-time diagram
#    has one arrow per kernel message sent
# Part of `make integration`.

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from brinchvm import ROOT, free_port
from brinchnet import need
from conftest import LOG_DIR, booted_cluster
from tracelib import dump, chrome, draw
import trace_format

PORT = os.path.join(LOG_DIR, "test_trace.trace")        # QEMU empties it at start
MODULE_NODE_ARGS = dict(cmdline="trace=sched,proc", extra_args=["-serial", "file:" + PORT])


@pytest.fixture(scope="module")
def tnode(module_node):
    return module_node


def dumped(node, path=PORT):
    out = node.run("trace dump", timeout=60)
    m = re.search(r"trace: (\d+) events dumped", out)
    assert m, out
    t = dump.load(path)
    assert len(t.events) == int(m.group(1))
    return t


def test_boot_is_traced(tnode):
    assert "tracing: sched proc" in tnode.run("trace")
    t = dumped(tnode)
    assert t.lost == 0 and t.recorded == len(t.events)
    first = [(e.type, e.pid, e.text) for e in t.events[:2]]
    assert first[0] == ("exec", 1, "init"), first
    assert ("fork", 1) in [(e.type, e.pid) for e in t.events]        # init starts sh
    times = [e.tsc for e in t.events]
    assert times == sorted(times)


def pingpong(node, rounds):
    out = node.run("trace pingpong %d" % rounds, timeout=60)
    m = re.search(r"pingpong: parent (\d+) child (\d+) rounds", out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_pingpong_switch_sequence(tnode):
    tnode.run("trace clear")
    tnode.run("trace on sched proc user")
    parent, child = pingpong(tnode, 20)
    tnode.run("trace off user")
    t = dumped(tnode)
    marks = [i for i, e in enumerate(t.events) if e.type == "mark"]
    assert [t.events[i].text for i in marks] == ["pingpong", "pingpong end"], marks
    between = t.events[marks[0]:marks[1]]
    switches = [(e.pid, e.a0, dump.PSTATES[e.a1], e.text) for e in between
                if e.type == "switch" and {e.pid, e.a0} & {parent, child}]
    want = [(parent, child, "ready", "yield"), (child, parent, "ready", "yield")] * 20
    want += [(parent, child, "waiting", "child"), (child, parent, "zombie", "exit")]
    assert switches == want
    forks = [(e.pid, e.a0) for e in between if e.type == "fork"]
    assert forks == [(parent, child)]
    assert [e.a0 for e in between if e.type == "exit" and e.pid == child] == [0]


def test_suspend_and_resume_are_states(tnode):
    """Medium-term scheduling shows: a process suspended (swapped out) is
    in state suspended from then until its resume makes it ready."""
    tnode.run("trace clear")
    tnode.run("trace on sched proc")
    pid = int(re.search(r"\[(\d+)\]", tnode.run("spin 100000000 &")).group(1))
    tnode.run("suspend %d" % pid)
    tnode.run("echo while it is out")
    tnode.run("resume %d" % pid)
    tnode.run("kill %d" % pid)
    tnode.run("trace off")
    t = dumped(tnode)
    assert [e.pid for e in t.events if e.type == "suspend"] == [pid]
    spans = [state for _, _, state, _ in dump.states(t)[pid]]
    i = spans.index("suspended")
    assert "ready" in spans[i + 1:], spans


def test_full_ring_counts_its_overflow(tnode):
    tnode.run("trace clear")
    tnode.run("trace on sched")
    pingpong(tnode, 3000)              # 4 events a round: about 12,000
    tnode.run("trace off")
    status = tnode.run("trace")
    m = re.search(r"events: (\d+) recorded, (\d+) held of (\d+), (\d+) lost", status)
    assert m, status
    recorded, held, capacity, lost = map(int, m.groups())
    assert capacity == 8192 and held == capacity and recorded > 12000
    assert lost == recorded - capacity
    t = dumped(tnode)
    assert (t.recorded, t.held, t.lost) == (recorded, held, lost)
    assert [e.tsc for e in t.events] == sorted(e.tsc for e in t.events)   # newest kept, in order
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace"), "summary", PORT],
                         capture_output=True, text=True, check=True).stdout
    assert "%d lost (ring overflow)" % lost in out, out


def test_chrome_json_is_valid(tnode, tmp_path):
    tnode.run("trace clear")
    tnode.run("trace on")
    tnode.run("schedtest -j 500000", timeout=60)
    tnode.run("trace off")
    dumped(tnode)
    out = tmp_path / "t.json"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace"), "chrome", str(out),
                    PORT], check=True)
    obj = json.loads(out.read_text())
    assert trace_format.check(obj) == []
    # A flow per context switch, old process to new, named by the reason
    # (the first may lack the old turn's start, cut off by `trace on`).
    switches = sum(1 for e in dump.load(PORT).events if e.type == "switch")
    flows = [e["name"] for e in obj["traceEvents"] if e["ph"] == "s" and e["cat"] == "switch"]
    assert switches - 1 <= len(flows) <= switches, (switches, flows)
    assert {"switch: exit", "switch: child", "switch: sleep"} <= set(flows), flows
    names = {e["args"]["name"] for e in obj["traceEvents"] if e.get("name") == "thread_name"}
    assert sum(1 for n in names if n.startswith("schedtest (pid")) == 6, names
    assert {"running", "ready", "waiting: sleep"} <= {e["name"] for e in obj["traceEvents"]}


@pytest.fixture
def trio(request):
    if need("vde_switch"):
        pytest.skip("vde_switch (Debian package vde2) not installed")
    yield from booted_cluster(request, 3, "trace_trio", trace=True, cmdline="trace=sched,proc,kmsg")


def test_three_nodes_merge_in_happened_before_order(trio, tmp_path):
    for i in range(3):
        trio[i].run("trace clear")
    for i in range(3):
        trio[i].sendline("lamport hb 3 6 5")
    user_sends = 0
    for i in range(3):
        trio[i].expect(re.compile(r"hb %d done \d+ events" % i), timeout=120)
        trio[i].wait_prompt(30)
        user_sends += len(re.findall(r"(?m)^hb %d \d+ \d+ S " % i, trio[i].text))
    paths = [trio.trace_path(i) for i in range(3)]
    for i in range(3):
        dumped(trio[i], paths[i])
    # Counted from the dump files' own lines: type 12 sends, 13 receives.
    lines = [open(p).read().split("brinch-trace")[-1].splitlines() for p in paths]
    sends = sum(1 for ls in lines for ln in ls if ln.startswith("e ") and ln.split()[2] == "12")
    recvs = sum(1 for ls in lines for ln in ls if ln.startswith("e ") and ln.split()[2] == "13")
    assert sends == recvs >= user_sends > 0, (sends, recvs, user_sends)

    traces = [dump.load(p) for p in paths]
    assert [t.node for t in traces] == [0, 1, 2] and all(t.lost == 0 for t in traces)
    dump.align(traces)
    msgs = dump.messages(traces)
    assert len(msgs) == sends
    for m in msgs:
        assert m["recv"].time > m["send"].time, m
        assert m["recv_lamport"] > m["send_lamport"], m
    for t in traces:                    # each node's own order stays
        assert [e.tsc for e in t.events] == sorted(e.tsc for e in t.events)

    out = tmp_path / "merged.json"
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace"), "chrome", str(out)]
                   + paths, check=True)
    obj = json.loads(out.read_text())
    assert trace_format.check(obj) == []
    flows = [e for e in obj["traceEvents"] if e["ph"] == "s" and e["cat"] == "kmsg"]
    assert len(flows) == sends
    assert {e["pid"] for e in obj["traceEvents"]} == {100000, 200000, 300000}
    assert draw.spacetime(traces, str(tmp_path / "spacetime.png")) == sends
    mbox_only = draw.spacetime(traces, str(tmp_path / "s2.png"), services=["mbox"])
    assert user_sends <= mbox_only <= sends


@pytest.mark.skipif(not shutil.which(os.environ.get("GDB", "gdb")), reason="gdb not installed")
def test_gdb_reads_the_ring_of_a_stopped_kernel(make_node, tmp_path):
    port, com2 = free_port(), str(tmp_path / "com2.trace")
    node = make_node(cmdline="trace=sched,proc", extra_args=["-gdb", "tcp:127.0.0.1:%d" % port,
                                                             "-serial", "file:" + com2])
    node.run("trace pingpong 5")
    out = str(tmp_path / "gdb.trace")
    gdb = subprocess.run([os.environ.get("GDB", "gdb"), "-batch", "-nx", "-x",
                          os.path.join(ROOT, "tools", "gdb", "gdbinit"),
                          "-ex", "target remote 127.0.0.1:%d" % port, "-ex", "trace-dump " + out,
                          "-ex", "detach", os.path.join(ROOT, "build", "kernel.elf")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, BRINCH_ROOT=ROOT))
    assert "trace-dump: " in gdb.stdout and "Traceback" not in gdb.stdout + gdb.stderr, gdb
    by_gdb = dump.load(out)
    by_port = dumped(node, com2)        # later: the same events, and then some
    key = [(e.tsc, e.type, e.pid, e.a0, e.a1, e.text) for e in by_gdb.events]
    assert key == [(e.tsc, e.type, e.pid, e.a0, e.a1, e.text) for e in by_port.events][:len(key)]
    assert len(key) > 20 and by_gdb.policy == "rr" and by_gdb.names[2] == "sh"


def test_bad_requests_are_refused(tnode):
    before = tnode.run("trace").splitlines()[0]            # tracing: CLASSES
    assert "Invalid argument" in tnode.run("trace on sched bogus")
    assert "too long" in tnode.run("trace on " + " ".join(["sched"] * 20)).lower()
    assert "usage" in tnode.run("trace frobnicate")
    assert tnode.run("trace").splitlines()[0] == before     # nothing changed


@pytest.fixture
def pair(request):
    if need("vde_switch"):
        pytest.skip("vde_switch (Debian package vde2) not installed")
    yield from booted_cluster(request, 2, "trace_pair", trace=True, cmdline="trace=migrate")


def test_migration_steps(pair):
    pair[0].run("burn 100000 &")
    pid = [w.split()[0] for w in pair[0].run("ps").splitlines() if w.split()[-1:] == ["burn"]]
    assert len(pid) == 1, pid
    out = pair[0].run("migrate %s 1" % pid[0], timeout=60)
    assert "-> node 1:" in out, out
    out = pair[1].run("migrate 0:%s 0" % pid[0], timeout=60)      # and home again
    assert "-> node 0:" in out, out
    pair[0].run("kill %s" % pid[0])
    steps = []
    for i in (0, 1):
        dumped(pair[i], pair.trace_path(i))
        steps.append([(e.pid, e.a0, e.text) for e in dump.load(pair.trace_path(i)).events])
    p = int(pid[0])
    out_steps, in_steps = ["offer", "freeze", "commit"], ["accept", "built"]
    assert [t for _, _, t in steps[0]] == out_steps + in_steps, steps
    assert [t for _, _, t in steps[1]] == in_steps + out_steps, steps
    # Each step names the other node, and the process by this node's pid;
    # at home that is p (coming home, it gets its old PCB back), and at
    # accept, before node 1 has made it a PCB, its home pid too.
    assert {(pid, node) for pid, node, _ in steps[0]} == {(p, 1)}, steps
    assert {node for _, node, _ in steps[1]} == {0} and steps[1][0][0] == p, steps


def test_icount_runs_repeat_exactly(make_node, tmp_path):
    """Under -icount the cycle counter counts instructions: the same
    workload leaves the same events at the same distances, run after run
    (where it starts depends on when the command was typed)."""
    runs = []
    for k in range(2):
        port = str(tmp_path / ("run%d.trace" % k))
        node = make_node(extra_args=["-icount", "shift=0,align=off,sleep=off",
                                     "-serial", "file:" + port])
        node.run("trace on sched proc user")
        pingpong(node, 30)
        events = dumped(node, port).events
        node.halt()
        marks = [i for i, e in enumerate(events) if e.type == "mark"]
        seg = events[marks[0]:marks[1] + 1]
        runs.append([(e.type, e.pid, e.a0, e.a1, e.text, e.tsc - seg[0].tsc) for e in seg])
    assert len(runs[0]) > 120 and runs[0] == runs[1]
