# test_trace_tool.py: tools/trace and tools/tracelib on made-up dumps, no QEMU
# (docs/tracing.md): the dump parser's refusals, the state timeline of a
# switch sequence, merging nodes whose clocks disagree (a constant skew,
# and drift no single offset can fix) into happened-before order, the
# Chrome JSON against the format, speedscope's nesting, and one arrow per
# message in the space-time diagram.  Part of `make tools-test`.

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from tracelib import dump, chrome  # noqa: E402
import trace_format  # noqa: E402

T = {name: i for i, name in enumerate(dump.TYPES) if name}
READY, WAITING, ZOMBIE = 2, 4, 5


def make_dump(node, events, procs=((1, 0, "init"),), lost=0):
    """A dump as the kernel writes it; a cycle is a microsecond here."""
    lines = ["brinch-trace 1 node %d sched rr" % node, "calib 0 0 1000000 1000000"]
    lines += ["p %d %d %s" % p for p in procs]
    for us, typ, pid, a0, a1, m0, text in events:
        lines.append("e %d %d %d %d %d %d %s" % (us, T[typ], pid, a0, a1, m0, text))
    lines.append("end recorded %d held %d lost %d" % (len(events) + lost, len(events), lost))
    return "\n".join(lines) + "\n"


def test_refusals():
    good = make_dump(0, [(10, "exec", 1, 0, 0, 0, "init")])
    assert len(dump.parse("noise\n" + good + good).events) == 1
    with pytest.raises(dump.DumpError):
        dump.parse(good.rsplit("end", 1)[0])                 # cut short
    with pytest.raises(dump.DumpError):
        dump.parse(good.replace("brinch-trace 1", "brinch-trace 2"))
    with pytest.raises(dump.DumpError):
        dump.parse(good.replace("held 1", "held 2"))
    with pytest.raises(dump.DumpError):
        dump.parse(good.replace("e 10 5", "e 10 99"))


def test_states_follow_the_switches():
    t = dump.parse(make_dump(0, [
        (100, "fork", 2, 3, 0, 0, "sh"),
        (110, "ready", 3, 0, 0, 0, ""),
        (120, "wait", 2, 0, 0, 0, "child"),
        (130, "switch", 2, 3, WAITING, 0, "child"),
        (140, "exec", 3, 0, 0, 0, "true"),
        (200, "exit", 3, 0, 0, 0, ""),
        (205, "ready", 2, 0, 0, 0, ""),
        (210, "switch", 3, 2, ZOMBIE, 0, "exit"),
        (300, "switch", 2, 0, WAITING, 0, "console"),
    ], procs=((2, 1, "sh"),)))
    s = dump.states(t)
    assert s[3] == [(100, 130, "ready", "new"), (130, 210, "running", "child")]
    assert s[2] == [(100, 130, "running", ""), (130, 205, "waiting", "child"),
                    (205, 210, "ready", "ready"), (210, 300, "running", "exit")]
    assert t.title(3) == "true (pid 3)" and t.title(9) == "pid 9"


def two_nodes(skew):
    """Node 1's clock runs `skew` us behind node 0's: 0 sends to 1 at 100
    (Lamport 5), 1 answers at 150 (its 7), 0 hears it at 400 (its 8)."""
    a = make_dump(0, [(100, "kmsg_send", 1, 1 | 3 << 8, 5, 0, ""),
                      (400, "kmsg_recv", 1, 1 | 3 << 8, 7, 8, "")])
    b = make_dump(1, [(120 - skew, "kmsg_recv", 0, 0 | 3 << 8, 5, 6, ""),
                      (150 - skew, "kmsg_send", 0, 0 | 3 << 8, 7, 0, "")])
    return [dump.parse(a), dump.parse(b)]


@pytest.mark.parametrize("skew", [0, 5000, -5000])
def test_merge_puts_every_receive_after_its_send(skew):
    traces = two_nodes(skew)
    dump.align(traces)
    msgs = dump.messages(traces)
    assert len(msgs) == 2
    for m in msgs:
        assert m["recv"].time > m["send"].time, m
        assert m["recv_lamport"] > m["send_lamport"]
    # An offset alone suffices here, and leaves the round trip as it was.
    assert traces[1].events[1].time - traces[1].events[0].time == 30


def test_merge_with_drift_no_offset_can_fix():
    # Node 1's clock runs slow.  0 -> 1 leaves at 0 and lands at node 1's
    # 50; 1 -> 0 leaves at node 1's 5000 and lands at node 0's 8100, so
    # node 1 may be moved by at most 3100; 0 -> 1 leaves at 9000 and lands
    # at node 1's 5500, which needs it moved by more than 3500: no one
    # offset serves all three.
    a = make_dump(0, [(0, "kmsg_send", 1, 1, 1, 0, ""), (8100, "kmsg_recv", 1, 1, 3, 4, ""),
                      (9000, "kmsg_send", 1, 1, 5, 0, "")])
    b = make_dump(1, [(50, "kmsg_recv", 0, 0, 1, 2, ""), (5000, "kmsg_send", 0, 0, 3, 0, ""),
                      (5500, "kmsg_recv", 0, 0, 5, 6, "")])
    traces = [dump.parse(a), dump.parse(b)]
    dump.align(traces)
    assert len(dump.messages(traces)) == 3
    for m in dump.messages(traces):
        assert m["recv"].time > m["send"].time, m
    for t in traces:
        times = [e.time for e in t.events]
        assert times == sorted(times)


def test_chrome_json_and_speedscope(tmp_path):
    paths = []
    for i, text in enumerate(make_dump(n, ev) for n, ev in (
            (0, [(10, "switch", 0, 1, READY, 0, "idle"), (100, "kmsg_send", 1, 1 | 3 << 8, 5, 0, ""),
                 (150, "syscall", 1, 9, 0, 0, ""), (400, "kmsg_recv", 0, 1 | 3 << 8, 7, 8, ""),
                 (500, "switch", 1, 0, WAITING, 0, "reply")]),
            (1, [(120, "kmsg_recv", 0, 3 << 8, 5, 6, ""), (130, "switch", 0, 2, READY, 0, "idle"),
                 (150, "kmsg_send", 2, 3 << 8, 7, 0, ""), (160, "switch", 2, 0, WAITING, 0, "x")]))):
        p = tmp_path / ("node%d.trace" % i)
        p.write_text(text)
        paths.append(str(p))
    out = tmp_path / "t.json"
    tool = [sys.executable, os.path.join(ROOT, "tools", "trace")]
    subprocess.run(tool + ["chrome", str(out)] + paths, check=True)
    obj = json.loads(out.read_text())
    assert trace_format.check(obj) == []
    assert sum(1 for e in obj["traceEvents"] if e["ph"] == "s" and e["cat"] == "kmsg") == 2
    assert [e["name"] for e in obj["traceEvents"] if e["ph"] == "s" and e["cat"] == "switch"] \
        == ["switch: idle"]         # node 1: 0 -> 2; the others lack a turn before or after
    # Thread ids unique across nodes and never 0 (viewers expect Linux's).
    tids = {(e["pid"], e["tid"]) for e in obj["traceEvents"]}
    assert len({tid for _, tid in tids}) == len(tids) and 0 not in {t for _, t in tids}
    # The checker itself finds a flow with one end missing and a slice that
    # overlaps another without nesting.
    broken = [e for e in obj["traceEvents"] if e["ph"] != "f"]
    assert any("wants one s and one f" in p for p in trace_format.check({"traceEvents": broken}))
    xs = [dict(e) for e in obj["traceEvents"] if e["ph"] == "X" and e["cat"] != "kmsg"]
    xs[1].update(pid=xs[0]["pid"], tid=xs[0]["tid"], ts=xs[0]["ts"] + 1e-3,
                 dur=xs[0]["dur"] + 5)
    assert any("overlap" in p for p in trace_format.check({"traceEvents": sorted(
        xs[:2], key=lambda e: e["ts"])}))

    ss = tmp_path / "t.speedscope.json"
    subprocess.run(tool + ["speedscope", str(ss)] + paths, check=True)
    doc = json.loads(ss.read_text())
    assert doc["profiles"][0]["name"] == "node 0: CPU"
    for prof in doc["profiles"]:
        open_, at = [], prof["startValue"]
        for ev in prof["events"]:
            assert ev["at"] >= at
            at = ev["at"]
            if ev["type"] == "O":
                open_.append(ev["frame"])
            else:
                assert open_.pop() == ev["frame"]
        assert not open_


def test_spacetime_has_one_arrow_per_message(tmp_path):
    pytest.importorskip("matplotlib", reason="python3-matplotlib not installed (make test installs it)")
    from tracelib import draw
    traces = two_nodes(2000)
    dump.align(traces)
    assert draw.spacetime(traces, str(tmp_path / "s.png")) == 2
    assert draw.spacetime(traces, str(tmp_path / "s.svg"), services=["echo"]) == 0
    assert (tmp_path / "s.png").stat().st_size > 1000
