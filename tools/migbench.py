#!/usr/bin/python3
# migbench.py: what moving a process between two brinch nodes costs
# (docs/migration.md), run by `make bench` after distbench.py.  The guest
# side is /bin/migtest (the workload), /bin/migrate, /bin/migstat -j (the
# record the source keeps) and /bin/kmsg bench (the reference); the cluster
# is tools/brinchnet.py's.
"""Print process migration benchmark results as JSON lines on stdout.

For each image size (a `migtest oracle` of 16, 256 and 2048 pages, 64 KiB,
1 MiB and 8 MiB, plus the program's own pages; 5% of them rewritten all
the time), in this order:

  mig_raw_SIZE        the reference: the time the kernel message layer takes
                      to carry the image's bytes between the same two nodes,
                      from `kmsg bench` of 64 KiB echoes (64 KiB there and
                      back per round trip: median x image bytes / 128 KiB)
  mig_stop_SIZE       stop-and-copy: total and freeze time, bytes on the wire
                      against the image's, beside mig_raw_SIZE
  mig_precopy_SIZE    pre-copy: the same, with rounds and why they stopped,
                      beside the stop-and-copy freeze of the same size
  mig_lazy_SIZE       lazy: the same (wire_bytes is what travelled while the
                      process was stopped; its pages follow on demand),
                      beside the stop-and-copy freeze of the same size

Times are guest microseconds from the source's record (the median of
--reps migrations, each of a fresh process); everything runs under TCG, so
compare runs on the same machine only.  Each line names a goal and says
whether the figures meet it ("meets_goal"); a goal missed is a finding, not
a failure.  The run fails only on impossible figures: a time or ratio not
positive (tools/benchlib.py), a freeze longer than the whole migration, or
a stop-and-copy that sent less than its image.

With --icount the nodes still run without -icount and every line says why
(tools/benchlib.py, docs/testing.md), as for distbench.py.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import bench_cluster  # noqa: E402
from benchlib import ICOUNT_NOT_APPLIED, BenchFailure, emit  # noqa: E402

PAGE = 4096
ECHO = 65536                # bytes each way in one reference round trip
HOT = 0.05                  # share of the oracle's pages it keeps rewriting
# Room for an 8 MiB image on the source and again on the target, beside
# the target's reserve (kernel/migrate/mig_in.c) and everything else.
MEM = "128M"

STOP_GOAL = 2.0             # stop-and-copy within this many raw transfers
PRECOPY_GOAL = 0.1          # issue 10: pre-copy's freeze within 10% of stop's
LAZY_GOAL_US = 5000         # issue 10: lazy freeze under 5 ms whatever the size


def label(pages):
    kib = pages * PAGE // 1024
    return "%dm" % (kib // 1024) if kib % 1024 == 0 else "%dk" % kib


def start_oracle(node, pages, timeout):
    """Start `migtest oracle PAGES HOT` in the background; its pid once it
    has filled its pages and the shell is back at its prompt."""
    hot = max(1, round(pages * HOT))
    node.sendline("migtest oracle %d %d &" % (pages, hot))
    pid = int(node.expect(re.compile(r"\[(\d+)\]\n"), timeout).group(1))
    mark = node.pos
    node.expect(re.compile(r"oracle: %d pages, \d+ hot, pid %d on node" % (pages, pid)),
                timeout)
    # The shell's prompt comes before the banner or after it.
    deadline = time.monotonic() + timeout
    while "$ " not in node.text[mark:]:
        if time.monotonic() > deadline:
            raise SystemExit("migbench: no prompt after starting the oracle")
        time.sleep(0.05)
    return pid


def stop_oracle(node, pid, timeout):
    """Kill it (wherever it runs: the signal goes through its deputy) and
    wait until its shell has reaped it."""
    mark = len(node.text)
    node.run("kill %d" % pid, timeout=timeout)
    deadline = time.monotonic() + timeout
    while "[%d] done" % pid not in node.text[mark:]:
        if time.monotonic() > deadline:
            raise SystemExit("migbench: oracle %d did not end" % pid)
        time.sleep(0.1)
        node.run("true", timeout=timeout)


def guest_record(node, timeout):
    out = node.run("migstat -j", timeout=timeout)
    for line in out.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("migbench: `migstat -j` printed no record:\n" + out)


def migrate_once(a, b, pages, how, timeout):
    """One migration of a fresh oracle from a to b: the source's record."""
    moved = re.compile(r"oracle: moved to node %d: \d+ pages ok" % b.number)
    pid = start_oracle(a, pages, timeout)
    out = a.run("migrate %d %d %s" % (pid, b.number, how), timeout=timeout)
    if "-> node %d:" % b.number not in out:
        raise SystemExit("migbench: migrate %s failed:\n%s" % (how, out))
    # Its check on arrival, printed at home: not in the middle of the
    # record's line.
    if not moved.search(out):
        a.expect(moved, timeout)
    rec = guest_record(a, timeout)
    stop_oracle(a, pid, timeout)
    if rec["result"] != 0 or rec["pid"] != pid:
        raise SystemExit("migbench: unexpected record: %s" % json.dumps(rec))
    return rec


def raw_rtt(a, b, count, timeout):
    out = a.run("kmsg bench %d %d %d" % (b.number, count, ECHO), timeout=timeout)
    for line in out.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("migbench: `kmsg bench` printed no JSON:\n" + out)


def check_possible(obj):
    """Figures no migration can produce (emit() checks the signs)."""
    if obj["freeze_us"] > obj["total_us"]:
        raise BenchFailure("%s: frozen %d us of a %d us migration: %s"
                           % (obj["bench"], obj["freeze_us"], obj["total_us"], json.dumps(obj)))
    if obj["how"] == "stop" and (obj["wire_bytes"] < obj["image_bytes"] or
                                 obj["pages_sent"] < obj["image_pages"]):
        raise BenchFailure("%s: stop-and-copy sent less than its image: %s"
                           % (obj["bench"], json.dumps(obj)))


def result(name, how, pages, recs, host_ms):
    """One line from reps records: the median migration's figures."""
    recs = sorted(recs, key=lambda r: r["total_us"])
    mid = recs[len(recs) // 2]
    image = mid["image_pages"] * PAGE
    return {
        "bench": name, "how": how, "oracle_pages": pages,
        "hot_pages": max(1, round(pages * HOT)),
        "image_pages": mid["image_pages"], "image_bytes": image,
        "total_us": int(statistics.median(r["total_us"] for r in recs)),
        "freeze_us": int(statistics.median(r["freeze_us"] for r in recs)),
        "wire_bytes": mid["bytes_sent"], "pages_sent": mid["pages_sent"],
        "ratio_wire_to_image": round(mid["bytes_sent"] / image, 3),
        "rounds": mid["rounds"], "stop_reason": mid["stop_reason"],
        "round_pages": mid["round_pages"], "count": len(recs),
        "samples_total_us": [r["total_us"] for r in recs],
        "samples_freeze_us": [r["freeze_us"] for r in recs],
        "host_ms": host_ms, "unit": "us",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="16,256,2048",
                    help="oracle sizes in pages, comma-separated")
    ap.add_argument("--reps", type=int, default=3, help="migrations per figure (median)")
    ap.add_argument("--count", type=int, default=15, help="reference round trips")
    ap.add_argument("--icount", action="store_true",
                    help="asked for instruction counts: say on each line why there are none")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    sizes = [int(p) for p in args.pages.split(",")]

    with bench_cluster("migbench", args.timeout, mem=MEM) as c:
        if c is None:
            return
        a, b = c[0], c[1]
        a.run("kmsg echo %d 0 5" % b.number, timeout=30)       # both ends know the other
        for pages in sizes:
            size = label(pages)
            t0 = time.monotonic()
            ref = raw_rtt(a, b, args.count, args.timeout)
            ref_ms = round((time.monotonic() - t0) * 1000)
            lines = {}
            for how in ("stop", "precopy", "lazy"):
                t0 = time.monotonic()
                recs = [migrate_once(a, b, pages, how, args.timeout) for _ in range(args.reps)]
                lines[how] = result("mig_%s_%s" % (how, size), how, pages, recs,
                                    round((time.monotonic() - t0) * 1000))
            stop, pre, lazy = lines["stop"], lines["precopy"], lines["lazy"]
            image = stop["image_bytes"]
            raw = {
                "bench": "mig_raw_%s" % size, "us": round(ref["us"] * image / (2 * ECHO)),
                "bytes": image, "rtt_us": ref["us"], "min_rtt_us": ref["min_us"],
                "echo_bytes": ECHO, "count": ref["count"], "host_ms": ref_ms, "unit": "us",
                "where": "kmsg echo of 64 KiB between the same two nodes, scaled to the "
                         "image's bytes one way: the reference",
            }
            stop.update({
                "raw_us": raw["us"], "ratio_total_to_raw": round(stop["total_us"] / raw["us"], 2),
                "goal": "stop-and-copy of %s within %gx the raw transfer of its bytes"
                        % (size, STOP_GOAL),
                "meets_goal": stop["total_us"] <= STOP_GOAL * raw["us"],
            })
            pre.update({
                "raw_us": raw["us"], "ratio_total_to_raw": round(pre["total_us"] / raw["us"], 2),
                "stop_freeze_us": stop["freeze_us"],
                "ratio_freeze_to_stop": round(pre["freeze_us"] / stop["freeze_us"], 3),
                "goal": "pre-copy of %s (5%% hot) frozen under %g of stop-and-copy's freeze"
                        % (size, PRECOPY_GOAL),
                "meets_goal": pre["freeze_us"] < PRECOPY_GOAL * stop["freeze_us"],
            })
            lazy.update({
                "raw_us": raw["us"], "stop_freeze_us": stop["freeze_us"],
                "ratio_freeze_to_stop": round(lazy["freeze_us"] / stop["freeze_us"], 3),
                "note": "wire_bytes: sent while stopped; the pages are fetched after",
                "goal": "lazy freeze under %d us whatever the size" % LAZY_GOAL_US,
                "meets_goal": lazy["freeze_us"] < LAZY_GOAL_US,
            })
            for obj in (raw, stop, pre, lazy):
                if args.icount:
                    obj["icount"] = ICOUNT_NOT_APPLIED
                if obj is not raw:
                    check_possible(obj)
                emit(obj)


if __name__ == "__main__":
    main()
