#!/usr/bin/python3
# bench.py: brinch's benchmark driver, run by `make bench` (`make bench
# ICOUNT=1` adds --icount).  Boots the kernel with tools/brinchvm.py, times
# boot to prompt, runs the guest's /bin/bench and relays its results.
"""Print benchmark results as JSON lines on stdout (everything else: stderr).

Lines printed:
  {"bench": "boot_to_prompt", "host_ms": .., "guest_us": .., "unit": "us", ...}
      host_ms:  wall time from starting QEMU to the first prompt (median of 5)
      guest_us: the guest's `uptime` run right after that prompt (median of 5)
  one line per JSON object /bin/bench and `schedtest -j` print.

With --icount, QEMU runs with -icount shift=0,align=off,sleep=off: guest time
advances 1 ns per instruction, so guest microsecond figures are turned into
instruction counts (x 1000) and labelled "unit": "instructions"; rates
become per 1e9 instructions.  Where MIT xv6-public was measured the same
way (shared/README.md), its instruction count is printed beside brinch's,
and where issue 13 set a goal for a fast path, goal_instructions.
schedtest's lines include sleeps, during which an idle guest's clock jumps
to the next timer deadline: they stay in guest ms ("unit": "virtual_ms").
Host wall times stay in ms.

Without --icount nothing is printed beside brinch's figures: xv6's wall
times were taken on another machine, in another session, and a wall time
is only comparable with one taken side by side in the same run.

Every figure must be positive (tools/benchlib.py), or the run fails.
--quick boots once and runs every benchmark a hundredth as long: a smoke
run for the tests, its figures too short to mean anything.
"""

import argparse
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import Node  # noqa: E402
from benchlib import ICOUNT_ARGS, BenchFailure, emit  # noqa: E402

# MIT xv6-public (x86) under the same QEMU 7.2 (TCG) and the same
# -icount shift=0,align=off,sleep=off, instructions per operation
# (shared/README.md).  Instruction counts carry from machine to machine;
# bench name -> (xv6 instructions, what xv6 ran).
XV6_INSTRUCTIONS = {
    "getpid": (1400, "getpid()"),
    "fork_wait": (1980000, "fork + exit + wait"),
    "fork_exec_wait": (4100000, "fork + exec(tiny program) + wait"),
    "mbox_roundtrip": (27000, "pipe round trip between two processes"),
}
XV6_SOURCE = ("xv6-public on QEMU 7.2 TCG with the same -icount flags, "
              "measured side by side with brinch (shared/README.md)")
# Issue 13's goals for the fast paths, in instructions per operation
# (docs/profiling.md, "Fast paths"), printed beside the figure.
GOAL_INSTRUCTIONS = {
    "getpid": 150,
    "fork_wait": 60000,
    "fork_exec_wait": 200000,
    "mbox_roundtrip": 2000,
}


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def to_instructions(obj):
    """Relabel a guest result measured under -icount: us -> instructions,
    per second -> per 1e9 instructions."""
    out = {}
    for key, value in obj.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if key == "us" or key.endswith("_us"):
                key = "instructions" if key == "us" else key[:-3] + "_instructions"
                value = round(value * 1000)
            elif key.endswith("_per_s"):
                key = key[:-len("_per_s")] + "_per_1e9_instructions"
        out[key] = value
    out["unit"] = "instructions"
    return out


def boot_once(args, n):
    """Boot one node; return (host ms to prompt, guest us from uptime, node)."""
    extra = ICOUNT_ARGS if args.icount else []
    node = Node(extra_args=extra, name="bench%d" % n,
                log_path=os.path.join(args.log_dir, "bench-boot%d.log" % n))
    node.start()
    node.wait_boot(timeout=args.timeout)
    host_ms = node.elapsed * 1000
    m = re.search(r"up ([0-9.]+) s", node.run("uptime"))
    if not m:
        node.stop()
        raise SystemExit("bench: `uptime` printed no 'up N s':\n" + node.log_tail())
    return host_ms, float(m.group(1)) * 1e6, node


def run_guest_bench(node, args, command, tag=None, traced=None):
    """Run a guest program and relay each JSON line it prints (each name
    suffixed with tag, if given; traced: the trace classes on, and each
    name gets traced_ before it); return the objects relayed."""
    node.sendline(command)
    out = node.wait_prompt(timeout=args.timeout)
    count, relayed = 0, []
    for line in out.splitlines():
        line = line.strip()
        try:
            obj = json.loads(line) if line.startswith("{") else None
        except ValueError:
            obj = None
        if not isinstance(obj, dict) or "bench" not in obj:
            if line and line != command:
                log("guest:", line)
            continue
        obj.setdefault("unit", "us")
        if args.icount and obj["unit"] == "us":
            obj = to_instructions(obj)
            xv6 = XV6_INSTRUCTIONS.get(obj["bench"])
            if xv6:
                obj["xv6_instructions"], obj["xv6_workload"] = xv6
                obj["xv6_source"] = XV6_SOURCE
            if obj["bench"] in GOAL_INSTRUCTIONS and not tag:
                obj["goal_instructions"] = GOAL_INSTRUCTIONS[obj["bench"]]
        elif args.icount:
            obj["unit"] = "virtual_" + obj["unit"]
        if tag:
            obj["bench"] += "_" + tag
        if traced:
            obj = {k: v for k, v in obj.items()
                   if not k.startswith("xv6_") and not k.startswith("goal_")}
            obj["reference"], obj["tracing"] = obj["bench"], traced
            obj["bench"] = "traced_" + obj["bench"]
        emit(obj)
        relayed.append(obj)
        count += 1
    if count == 0:
        raise BenchFailure("`%s` printed no JSON results:\n%s" % (command, out[-2000:]))
    return relayed


FORKS = ("fork_wait", "fork_exec_wait")


def per_op(obj):
    """A fork benchmark's cost per operation, in its own unit."""
    key = "per_op_instructions" if "per_op_instructions" in obj else "per_op_us"
    return obj[key], key[len("per_op_"):]


def cow_side_by_side(args, with_cow):
    """Boot a second node with cow=0 (fork copies every page, as before
    copy-on-write), run the fork benchmarks there, and print each beside
    the copy-on-write figure of the same run (docs/processes.md)."""
    extra = ICOUNT_ARGS if args.icount else []
    node = Node(extra_args=extra, name="bench-cow0", cmdline="cow=0",
                log_path=os.path.join(args.log_dir, "bench-cow0.log"))
    node.start()
    try:
        node.wait_boot(timeout=args.timeout)
        for name in FORKS:
            cmd = "bench %s %d" % (name, 10 if args.quick else 500)
            copy = run_guest_bench(node, args, cmd, tag="cow0")[0]
            cow = next((o for o in with_cow if o["bench"] == name), None)
            if cow is None:
                raise BenchFailure("no %s figure from the copy-on-write node" % name)
            (c, unit), (e, _) = per_op(cow), per_op(copy)
            emit({"bench": name + "_cow_vs_copy", "cow_" + unit: c, "copy_" + unit: e,
                  "speedup": round(e / c, 2), "unit": unit,
                  "note": "same run: cow on, then a node booted with cow=0"})
    finally:
        node.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--icount", action="store_true",
                    help="deterministic guest time: 1 ns per instruction")
    ap.add_argument("--boots", type=int, default=5, help="boots to time (median)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: one boot, every benchmark a hundredth as long")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per step")
    ap.add_argument("--log-dir", default=os.path.join("build", "bench-logs"))
    args = ap.parse_args()
    if args.quick:
        args.boots = 1
    if not args.icount:
        log("no xv6 figures beside these: xv6's wall times come from another "
            "machine; `make bench ICOUNT=1` prints xv6-public's instruction counts")

    host, guest, node = [], [], None
    for n in range(1, args.boots + 1):
        host_ms, guest_us, node_n = boot_once(args, n)
        log("boot %d: %.0f ms to prompt, guest uptime %.0f us" % (n, host_ms, guest_us))
        host.append(host_ms)
        guest.append(guest_us)
        if node:
            node.stop()
        node = node_n              # keep the last one for the guest benchmarks
    boot = {"bench": "boot_to_prompt", "host_ms": round(statistics.median(host), 1),
            "guest_us": round(statistics.median(guest)), "unit": "us", "runs": len(host)}
    try:
        emit(to_instructions(boot) if args.icount else boot)
        with_cow = run_guest_bench(node, args, "bench -q" if args.quick else "bench")
        # Turnaround and waiting times of the same CPU- and I/O-bound mix
        # under each short-term policy (docs/scheduling.md).
        for policy in ("rr", "prio", "mlfq"):
            node.run("sched " + policy)
            run_guest_bench(node, args, "schedtest -j 2000000" if args.quick
                            else "schedtest -j")
        # The event trace's cost (docs/tracing.md): the lines above ran with
        # its hooks in place and off; the same calls again with every class
        # on, system calls included, beside them as "reference".
        node.run("trace on all")
        run_guest_bench(node, args, "bench -q" if args.quick else "bench",
                        traced="on: all classes, system calls included")
        node.run("trace off")
    finally:
        node.stop()
    cow_side_by_side(args, with_cow)


if __name__ == "__main__":
    main()
