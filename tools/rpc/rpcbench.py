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

Round trips are medians in guest microseconds (TCG: compare runs on the
same machine only).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from brinchnet import bench_cluster, emit, guest_json  # noqa: E402

MODELS = ("service", "client", "call")


def wait_rpcd(node, timeout=30):
    deadline = time.monotonic() + timeout
    while "echo" not in node.run("rpcinfo -p", timeout=20):
        if time.monotonic() > deadline:
            raise SystemExit("rpcbench: rpcd did not register on %s" % node.name)
        time.sleep(0.3)


def restart_rpcd(node, model):
    """Replace node's rpcd by one running the given server model."""
    out = node.run("ps", timeout=20)
    for line in out.splitlines():
        words = line.split()
        if words and words[-1] == "rpcd" and words[0].isdigit():
            node.run("kill %s" % words[0], timeout=20)
    time.sleep(0.5)
    node.sendline("rpcd -m %s &" % model)
    node.wait_prompt(20)
    wait_rpcd(node)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500, help="round trips per figure")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
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
        ref = (udp["us"] + udp2["us"]) / 2.0
        emit({"bench": "rpc_udp_echo_rtt", "us": round(ref, 1), "bytes": 64,
              "count": 2 * n, "unit": "us", "where": "same nodes, same run"})
        null.update({"unit": "us", "udp_echo_us": round(ref, 1),
                     "ratio_to_udp_echo": round(null["us"] / ref, 2), "goal_ratio": 1.5})
        emit(null)
        for cmd in ("sink %d 1024", "sink %d 16384", "echo %d 1024", "echo %d 16384"):
            obj = guest_json(a, "rpcbench %s %d" % (cmd % b.number, n), args.timeout)
            if "us" not in obj:
                raise SystemExit("rpcbench: %s failed: %r" % (cmd % b.number, obj))
            obj["unit"] = "us"
            emit(obj)
        for model in MODELS:
            restart_rpcd(b, model)
            null = guest_json(a, "rpcbench null %d %d" % (b.number, max(n // 5, 20)), args.timeout)
            par = guest_json(a, "rpcbench par %d 4 5 20" % b.number, args.timeout)
            emit({"bench": "rpc_model", "model": model, "null_us": null["us"],
                  "parallel_ms": par["ms"], "parallel": "4 clients x 5 calls x 20 ms",
                  "failed": par["failed"], "unit": "us"})

if __name__ == "__main__":
    main()
