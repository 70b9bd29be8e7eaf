#!/usr/bin/python3
# netbench.py: network benchmarks between two brinch nodes on a vde switch,
# run by `make bench` after tools/bench.py.  The guest side is /bin/netbench
# (user/bin/netbench.c); the cluster comes from tools/brinchnet.py.
"""Print network benchmark results as JSON lines on stdout.

  net_raw_rtt         raw Ethernet frame (EtherType 0x88b5) ping-pong
  net_udp_rtt         UDP datagram to udpecho and back
  net_icmp_rtt        ICMP echo request/reply
  net_udp_throughput  one-way UDP, node 0 -> node 1: what arrived (pps, kbit/s)
  net_udp_send        ...and the sender's own rate
  host_udp_rtt        the host's loopback UDP round trip, measured in the same
                      run: the physical reference every guest figure sits on

Round trips are guest microseconds, median of --count ("min_us": the
fastest); "host_ms" fields are host wall time.  Everything runs under TCG,
so guest times include the emulation; compare runs on the same machine only.
The run fails if a figure is not positive or a round trip's fastest sample
is under half net_raw_rtt's fastest (tools/benchlib.py).

With --icount (make bench ICOUNT=1) the nodes still run without -icount and
every line says so ("icount": "not applied: ..."): a node waiting for its
peer is idle, and an idle node under -icount has no instruction count to
give (tools/benchlib.py, docs/testing.md).
"""

import argparse
import json
import os
import re
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import bench_cluster, guest_json  # noqa: E402
from benchlib import ICOUNT_NOT_APPLIED, check_floor, emit  # noqa: E402


def host_udp_rtt(count):
    """Median round trip of a UDP echo over the host's loopback, in us."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    stop = threading.Event()

    def echo():
        while not stop.is_set():
            try:
                data, addr = server.recvfrom(2048)
            except socket.timeout:
                continue
            server.sendto(data, addr)

    t = threading.Thread(target=echo, daemon=True)
    t.start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(2)
    samples = []
    for i in range(count):
        msg = b"%08d" % i + b"x" * 56
        t0 = time.perf_counter()
        client.sendto(msg, server.getsockname())
        client.recvfrom(2048)
        samples.append((time.perf_counter() - t0) * 1e6)
    stop.set()
    client.close()
    t.join(timeout=6)
    server.close()
    return statistics.median(samples), min(samples)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200, help="round trips per figure")
    ap.add_argument("--flood", type=int, default=5000, help="datagrams for throughput")
    ap.add_argument("--size", type=int, default=1024, help="throughput datagram size")
    ap.add_argument("--icount", action="store_true",
                    help="asked for instruction counts: say on each line why there are none")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()

    def label(obj):
        obj["unit"] = "us"
        if args.icount:
            obj["icount"] = ICOUNT_NOT_APPLIED
        return obj

    with bench_cluster("netbench", args.timeout) as cluster:
        if cluster is None:
            return
        a, b = cluster[0], cluster[1]
        b.sendline("netbench rawecho &")
        b.expect("echoing", timeout=30)
        b.sendline("udpecho &")
        b.expect("listening", timeout=30)
        a.run("ping -q -c 2 -i 100 %s" % b.ip, timeout=30)     # ARP, warm caches
        reference = None
        for cmd in ("netbench raw %s %d" % (b.mac, args.count),
                    "netbench udp %s 7 %d 64" % (b.ip, args.count),
                    "netbench icmp %s %d" % (b.ip, args.count)):
            t0 = time.monotonic()
            obj = guest_json(a, cmd, args.timeout)
            obj["host_ms"] = round((time.monotonic() - t0) * 1000)
            label(obj)
            reference = reference or obj        # raw Ethernet: the floor
            check_floor([obj], reference)
            emit(obj)
        b.sendline("netbench sink 9000")
        b.expect("sink on port", timeout=30)
        sender = guest_json(a, "netbench flood %s 9000 %d %d" % (b.ip, args.flood, args.size),
                            args.timeout)
        m = b.expect(re.compile(r"\{.*\}"), timeout=args.timeout)
        received = json.loads(m.group(0))
        received["sent"] = sender["packets"]
        received["loss_pct"] = round(100.0 * (sender["packets"] - received["packets"] - 1)
                                     / max(sender["packets"], 1), 1)
        received["mbit_s"] = round(received["kbit_s"] / 1000.0, 2)
        received["datagram_bytes"] = args.size
        sender["mbit_s"] = round(sender["kbit_s"] / 1000.0, 2)
        emit(label(sender))
        emit(label(received))
    median, best = host_udp_rtt(args.count)
    host = {"bench": "host_udp_rtt", "us": round(median, 1), "min_us": round(best, 1),
            "count": args.count, "unit": "us", "where": "host loopback, same run"}
    if args.icount:
        host["icount"] = "not applied: host wall clock"
    emit(host)


if __name__ == "__main__":
    main()
