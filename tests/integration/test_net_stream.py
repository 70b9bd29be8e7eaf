# test_net_stream.py: brinch on other QEMU network backends than vde, as
# `make run NET=...` would attach it: two nodes joined back to back by one
# unix stream socket (-netdev stream), and two by unix datagram sockets
# (-netdev dgram).  No switch; traffic stays in the sockets.

import os
import shutil
import time

from brinchnet import NetNode, default_workdir, ping_summary, udp_summary
from conftest import NODES


def pair(request, tag, netdev_a, netdev_b, cmdline_a, cmdline_b):
    workdir = default_workdir(tag)
    os.makedirs(workdir, exist_ok=True)
    a = NetNode(0, netdev_a(workdir), mem="64M", name=tag + "-0", cmdline=cmdline_a,
                log_path=os.path.join(workdir, "node0.log"))
    b = NetNode(1, netdev_b(workdir), mem="64M", name=tag + "-1", cmdline=cmdline_b,
                log_path=os.path.join(workdir, "node1.log"))
    request.node.stash.setdefault(NODES, []).extend([a, b])
    return workdir, a, b


def run_pair(request, tag, netdev_a, netdev_b, cmdline_a="", cmdline_b="", target="10.0.0.2",
             net_a="inet 10.0.0.1  netmask 255.255.255.0"):
    workdir, a, b = pair(request, tag, netdev_a, netdev_b, cmdline_a, cmdline_b)
    try:
        a.start()
        if "server=on" in netdev_a(workdir):
            # The client connects only once the server's socket exists.
            for _ in range(100):
                if os.path.exists(os.path.join(workdir, "link")):
                    break
                time.sleep(0.05)
        b.start()
        a.wait_boot(60)
        b.wait_boot(60)
        out = a.run("net")
        assert net_a in out, out
        out = a.run("ping -c 3 -i 100 %s" % target, timeout=30)
        assert ping_summary(out) == (3, 3, 0), out
        b.sendline("udpecho &")
        b.expect("listening on port 7", timeout=10)
        out = a.run("udpsend -e -c 3 %s 7" % target, timeout=30)
        assert udp_summary(out) == (3, 3, 0), out
    finally:
        a.stop()
        b.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def test_stream_socket_pair(request):
    run_pair(request, "net_stream",
             lambda d: "stream,server=on,addr.type=unix,addr.path=%s/link" % d,
             lambda d: "stream,server=off,addr.type=unix,addr.path=%s/link" % d)


def test_dgram_socket_pair_with_addresses_from_the_command_line(request):
    """Also: ip=/netmask= override the default 10.0.0.(N+1)/24."""
    run_pair(request, "net_dgram",
             lambda d: "dgram,local.type=unix,local.path=%s/a,remote.type=unix,remote.path=%s/b"
             % (d, d),
             lambda d: "dgram,local.type=unix,local.path=%s/b,remote.type=unix,remote.path=%s/a"
             % (d, d),
             cmdline_a="ip=10.9.1.1/16", cmdline_b="ip=10.9.2.2 netmask=255.255.0.0",
             target="10.9.2.2", net_a="inet 10.9.1.1  netmask 255.255.0.0")
