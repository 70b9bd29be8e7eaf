#!/usr/bin/python3
# rpcbench.py: the RPC figures of `make bench` (docs/rpc.md).  Two brinch
# nodes on a vde switch (tools/brinchnet.py); node 0 calls node 1's rpcd
# with /bin/rpcbench and, in the same run, bounces UDP off node 1's udpecho
# with /bin/netbench, so the RPC layer's cost is a ratio to raw UDP.
"""Print RPC benchmark results as JSON lines on stdout.

  rpc_udp_echo_rtt   raw UDP echo round trip, 64 bytes (the reference)
  rpc_null_rtt       the null RPC (procedure 0), with its ratio to UDP echo
  rpc_sink_rtt       1 KiB and 16 KiB of arguments, no results (16 KiB is
                     one UDP datagram in 12 IP fragments)
  rpc_echo_rtt       1 KiB and 16 KiB each way
  rpc_model          per server model (service, client, call): null RPC
                     round trip, and 4 clients each making 5 calls that
                     take the server 20 ms (SLEEP), start to last answer

Round trips are medians in guest microseconds, "min_us" the fastest (TCG:
compare runs on the same machine only).  The run fails if a figure is not
positive or a round trip is faster than the UDP echo of the same run makes
possible (under half its fastest: tools/benchlib.py).

With --icount (make bench ICOUNT=1) the nodes still run without -icount and
every line says so ("icount": "not applied: ..."): a node waiting for its
peer is idle, and an idle node under -icount has no instruction count to
give (tools/benchlib.py, docs/testing.md).
--count sets the round trips per figure (a handful for the smoke test).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from brinchnet import bench_cluster, guest_json  # noqa: E402
from benchlib import ICOUNT_NOT_APPLIED, check_floor, emit  # noqa: E402

MODELS = ("service", "client", "call")


def wait_rpcd(node, timeout=30):
    deadline = time.monotonic() + timeout
    while "echo" not in node.run("rpcinfo -p", timeout=20):
        if time.monotonic() > deadline:
            raise SystemExit("rpcbench: rpcd did not register on %s" % node.name)
        time.sleep(0.3)


def rpcd_pids(node):
    pids = []
    for line in node.run("ps", timeout=20).splitlines():
        words = line.split()
        if words and words[-1] == "rpcd" and words[0].isdigit():
            pids.append(words[0])
    return pids


def restart_rpcd(node, model):
    """Replace node's rpcd by one running the given server model."""
    for pid in rpcd_pids(node):
        node.run("kill %s" % pid, timeout=20)
    deadline = time.monotonic() + 30
    while rpcd_pids(node):          # gone, and its port free, before the next
        if time.monotonic() > deadline:
            raise SystemExit("rpcbench: rpcd did not exit on %s" % node.name)
    node.sendline("rpcd -m %s &" % model)
    node.wait_prompt(20)
    wait_rpcd(node)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500, help="round trips per figure")
    ap.add_argument("--icount", action="store_true",
                    help="asked for instruction counts: say on each line why there are none")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    def result(obj):
        obj["unit"] = "us"
        if args.icount:
            obj["icount"] = ICOUNT_NOT_APPLIED
        return obj

    with bench_cluster("rpcbench", args.timeout) as cluster:
        if cluster is None:
            return
        a, b = cluster[0], cluster[1]
        b.sendline("udpecho &")
        b.expect("listening", timeout=30)
        wait_rpcd(b)
        a.run("rpcbench null %d 20" % b.number, timeout=args.timeout)       # ARP, port, warm caches
        n = args.count
        udp = guest_json(a, "netbench udp %s 7 %d 64" % (b.ip, n), args.timeout)
        null = guest_json(a, "rpcbench null %d %d" % (b.number, n), args.timeout)
        udp2 = guest_json(a, "netbench udp %s 7 %d 64" % (b.ip, n), args.timeout)
        ref = result({"bench": "rpc_udp_echo_rtt", "us": round((udp["us"] + udp2["us"]) / 2.0, 1),
                      "min_us": min(udp["min_us"], udp2["min_us"]), "bytes": 64,
                      "count": 2 * n, "where": "same nodes, same run"})
        check_floor([ref], ref)
        emit(ref)
        null.update(result({"udp_echo_us": ref["us"],
                            "ratio_to_udp_echo": round(null["us"] / ref["us"], 2),
                            "goal_ratio": 1.5}))
        check_floor([null], ref)
        emit(null)
        for cmd in ("sink %d 1024", "sink %d 16384", "echo %d 1024", "echo %d 16384"):
            obj = guest_json(a, "rpcbench %s %d" % (cmd % b.number, n), args.timeout)
            if "us" not in obj:
                raise SystemExit("rpcbench: %s failed: %r" % (cmd % b.number, obj))
            check_floor([result(obj)], ref)
            emit(obj)
        for model in MODELS:
            restart_rpcd(b, model)
            null = guest_json(a, "rpcbench null %d %d" % (b.number, max(n // 5, 20)), args.timeout)
            par = guest_json(a, "rpcbench par %d 4 5 20" % b.number, args.timeout)
            check_floor([result(null)], ref)
            emit(result({"bench": "rpc_model", "model": model, "null_us": null["us"],
                         "min_us": null["min_us"], "parallel_ms": par["ms"],
                         "parallel": "4 clients x 5 calls x 20 ms",
                         "failed": par["failed"]}))


if __name__ == "__main__":
    main()
