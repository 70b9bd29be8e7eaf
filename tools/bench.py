#!/usr/bin/python3
# bench.py: brinch's benchmark driver, run by `make bench` (`make bench
# ICOUNT=1` adds --icount).  Boots the kernel with tools/brinchvm.py, times
# boot to prompt, runs the guest's /bin/bench and relays its results.
"""Print benchmark results as JSON lines on stdout (everything else: stderr).

Lines printed:
  {"bench": "boot_to_prompt", "host_ms": .., "guest_us": .., "unit": "us", ...}
      host_ms:  wall time from starting QEMU to the first prompt (median of 5)
      guest_us: the guest's `uptime` run right after that prompt (median of 5)
  one line per JSON object /bin/bench prints, passed on with "xv6_us" added
  where MIT xv6 has a figure for the same workload (shared/README.md).

With --icount, QEMU runs with -icount shift=0,align=off,sleep=off: guest time
advances 1 ns per instruction, so guest microsecond figures are turned into
instruction counts (x 1000) and labelled "unit": "instructions".  Host wall
times stay in ms.
"""

import argparse
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import Node  # noqa: E402
from brinchnet import emit  # noqa: E402

ICOUNT_ARGS = ["-icount", "shift=0,align=off,sleep=off"]

# MIT xv6 (x86) on the same QEMU, TCG, median of 5 (shared/README.md).
XV6_BOOT_US = 450000
XV6 = [  # (words that must all appear in the bench name, xv6 figure in us, what xv6 ran)
    (("getpid",), 7.4, "getpid()"),
    (("fork", "exec"), 4980, "fork + exec(tiny program) + wait"),
    (("fork",), 1950, "fork + exit + wait"),
    (("mbox", "roundtrip"), 171, "pipe ping-pong round trip"),
    (("yield",), 171, "pipe ping-pong round trip"),
    (("pingpong",), 171, "pipe ping-pong round trip"),
    (("ping", "pong"), 171, "pipe ping-pong round trip"),
]


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def xv6_reference(name):
    """(xv6 figure in us, what xv6 measured) for a bench name, or (None, None)."""
    words = re.sub(r"[^a-z]+", " ", name.lower())
    for needed, us, what in XV6:
        if all(w in words for w in needed):
            return us, what
    return None, None


def to_instructions(obj):
    """Relabel a guest result measured under -icount: us -> instructions."""
    out = {}
    for key, value in obj.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and (key == "us" or key.endswith("_us")) and not key.startswith("xv6"):
            key = "instructions" if key == "us" else key[:-3] + "_instructions"
            value = round(value * 1000)
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


def run_guest_bench(node, args, command="bench"):
    """Run a guest program and relay each JSON line it prints."""
    node.sendline(command)
    out = node.wait_prompt(timeout=args.timeout)
    count = 0
    for line in out.splitlines():
        line = line.strip()
        try:
            obj = json.loads(line) if line.startswith("{") else None
        except ValueError:
            obj = None
        if not isinstance(obj, dict) or "bench" not in obj:
            if line and line != "bench":
                log("guest:", line)
            continue
        obj.setdefault("unit", "us")
        if args.icount:
            obj = to_instructions(obj)
        us, what = xv6_reference(str(obj["bench"]))
        if us is not None:
            obj["xv6_us"] = us
            obj["xv6_workload"] = what
        emit(obj)
        count += 1
    if count == 0:
        raise SystemExit("bench: `%s` printed no JSON results:\n%s" % (command, out[-2000:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--icount", action="store_true",
                    help="deterministic guest time: 1 ns per instruction")
    ap.add_argument("--boots", type=int, default=5, help="boots to time (median)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per step")
    ap.add_argument("--log-dir", default=os.path.join("build", "bench-logs"))
    args = ap.parse_args()

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
    if args.icount:
        boot = to_instructions(boot)
    boot["xv6_us"] = XV6_BOOT_US
    emit(boot)

    try:
        run_guest_bench(node, args)
        # Turnaround and waiting times of the same CPU- and I/O-bound mix
        # under each short-term policy (docs/scheduling.md).
        for policy in ("rr", "prio", "mlfq"):
            node.run("sched " + policy)
            run_guest_bench(node, args, "schedtest -j")
    finally:
        node.stop()


if __name__ == "__main__":
    main()
