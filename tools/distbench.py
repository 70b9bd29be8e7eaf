#!/usr/bin/python3
# distbench.py: benchmarks of cross-kernel IPC between two brinch nodes on a
# vde switch, run by `make bench` after tools/netbench.py.  The guest side is
# /bin/kmsg, /bin/rmbox and /bin/netbench; the cluster is tools/brinchnet.py's.
"""Print cross-node IPC benchmark results as JSON lines on stdout.

  dist_udp_rtt        raw UDP echo round trip (netbench udp -> udpecho), the
                      reference: the same two nodes, the same run
  kmsg_rtt            null message round trip through the kernel message layer
                      (kernel to kernel: kmsg echo of 0 bytes)
  kmsg_rtt_64k        the same with a 64 KiB message each way (47 fragments)
  rmbox_call_rtt      null mbox_call to a mailbox on the other node, answered
                      by a process there (user to user, through both kernels)
  rmbox_send          mbox_send throughput into an unbounded remote mailbox
                      that a process drains (each send waits for acceptance)

Round trips are guest microseconds (median for netbench/kmsg, mean for rmbox);
everything runs under TCG, so compare runs on the same machine only.  The
run fails if a figure is not positive or a round trip is faster than
dist_udp_rtt makes possible (under half its fastest: tools/benchlib.py).

With --icount (make bench ICOUNT=1) the nodes still run without -icount and
every line says so ("icount": "not applied: ..."): a node waiting for its
peer is idle, and an idle node under -icount has no instruction count to
give (tools/benchlib.py, docs/testing.md).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import bench_cluster, guest_json  # noqa: E402
from benchlib import ICOUNT_NOT_APPLIED, check_floor, emit  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200, help="round trips per figure")
    ap.add_argument("--sends", type=int, default=2000, help="messages for throughput")
    ap.add_argument("--size", type=int, default=1024, help="throughput message size")
    ap.add_argument("--icount", action="store_true",
                    help="asked for instruction counts: say on each line why there are none")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()

    with bench_cluster("distbench", args.timeout) as cluster:
        if cluster is None:
            return
        a, b = cluster[0], cluster[1]
        for cmd, ready in (("udpecho &", "listening"), ("rmbox serve U u -q &", "serving U"),
                           ("rmbox serve C u -q &", "serving C")):
            b.sendline(cmd)
            b.expect(ready, timeout=30)
        a.run("ping -q -c 2 -i 100 %s" % b.ip, timeout=30)     # ARP, warm caches
        a.run("kmsg echo %d 0 5" % b.number, timeout=30)
        runs = (("netbench udp %s 7 %d 64" % (b.ip, args.count), "dist_udp_rtt"),
                ("kmsg bench %d %d 0" % (b.number, args.count), "kmsg_rtt"),
                ("kmsg bench %d %d 65536" % (b.number, max(args.count // 10, 5)), "kmsg_rtt_64k"),
                ("rmbox benchcall C@%d %d" % (b.number, args.count), "rmbox_call_rtt"),
                ("rmbox bench U@%d %d %d" % (b.number, args.sends, args.size), "rmbox_send"))
        reference = None
        for cmd, name in runs:
            t0 = time.monotonic()
            obj = guest_json(a, cmd, args.timeout)
            obj["bench"] = name
            obj["host_ms"] = round((time.monotonic() - t0) * 1000)
            obj["unit"] = "us"
            if args.icount:
                obj["icount"] = ICOUNT_NOT_APPLIED
            if name == "dist_udp_rtt":
                obj["where"] = "raw UDP echo between the same two nodes: the reference"
                reference = obj
            if name != "rmbox_send":            # a throughput, not a round trip
                check_floor([obj], reference)
            emit(obj)


if __name__ == "__main__":
    main()
