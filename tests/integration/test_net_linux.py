# test_net_linux.py: brinch against a real network stack.  The test makes a
# network namespace of its own with a tap device (10.0.0.254/24) and runs QEMU
# inside it on that tap; Linux's ping and a Python UDP client in the namespace
# then talk to brinch, and brinch pings back.  Nothing leaves the namespace.
# Needs root (or CAP_NET_ADMIN) and /dev/net/tun; skipped otherwise.

import os
import re
import shutil
import subprocess
import time

import pytest

from brinchvm import ROOT
from brinchnet import (LinuxNamespace, counters, default_workdir, need, ping_summary,
                       tshark_problems, udp_summary)
from conftest import NODES

HOST_IP = "10.0.0.254"
NAMESPACE = LinuxNamespace("brinch-test-%d" % os.getpid(), HOST_IP)


def _can_make_namespaces():
    if need("ip") or not os.path.exists("/dev/net/tun"):
        return False
    if os.geteuid() != 0:
        return False
    return True


pytestmark = pytest.mark.skipif(not _can_make_namespaces(),
                                reason="needs root, iproute2 and /dev/net/tun for a netns + tap")


in_ns = NAMESPACE.run


UDP_CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
for i in range(5):
    msg = b"linux says %d" % i
    s.sendto(msg, (sys.argv[1], 7))
    data, addr = s.recvfrom(2048)
    assert data == msg and addr == (sys.argv[1], 7), (data, addr)
# A connected socket hears ICMP port unreachable as ECONNREFUSED.
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(3)
c.connect((sys.argv[1], 4444))
c.send(b"anyone?")
try:
    c.recv(100)
    print("no error")
except ConnectionRefusedError:
    print("refused")
print("udp ok")
"""

UDP_ECHO_SERVER = r"""
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 7007))
s.settimeout(30)
print("ready", flush=True)
for _ in range(6):
    data, addr = s.recvfrom(65535)
    s.sendto(data, addr)
"""


@pytest.fixture(scope="module")
def linux(request):
    """(brinch node, workdir) with the namespace set up; torn down after."""
    failed_before = request.session.testsfailed
    workdir = default_workdir("test_net_linux")
    os.makedirs(workdir, exist_ok=True)
    try:
        with NAMESPACE:
            node = NAMESPACE.node(workdir, "linux-node0")
            try:
                node.start()
                node.wait_boot(90)
                yield node, workdir
            finally:
                node.stop()
    finally:
        if request.session.testsfailed != failed_before:
            dest = os.path.join(ROOT, "build", "test-logs", "test_net_linux")
            shutil.copytree(workdir, dest, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(autouse=True)
def report_node(request, linux):
    request.node.stash.setdefault(NODES, []).append(linux[0])


@pytest.mark.skipif(bool(need("ping")), reason="iputils-ping not installed")
def test_linux_ping_reaches_brinch(linux):
    res = in_ns("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.0.0.1", check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"5 packets transmitted, 5 received, 0% packet loss", res.stdout), res.stdout
    assert "ttl=64" in res.stdout


def test_linux_udp_client_gets_echoes(linux):
    node, _ = linux
    node.sendline("udpecho &")
    node.expect("udpecho: listening on port 7", timeout=10)
    res = in_ns("python3", "-c", UDP_CLIENT, "10.0.0.1", check=False)
    assert "udp ok" in res.stdout, res.stdout + res.stderr
    assert "refused" in res.stdout, "no ICMP port unreachable seen by Linux:\n" + res.stdout


LARGE_UDP_CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
for size in (1473, 8000, 30000, 65507):
    msg = bytes(i * 7 % 251 for i in range(size))
    s.sendto(msg, (sys.argv[1], 7))
    data, addr = s.recvfrom(65535)
    assert data == msg, (size, len(data))
    print("echoed", size)
"""


def test_linux_udp_client_gets_large_echoes(linux):
    """Datagrams Linux fragments (up to the largest, 65507 bytes) come
    back whole: brinch reassembles, and fragments its answer."""
    node, _ = linux
    if "udpecho" not in node.run("ps", timeout=20):
        node.sendline("udpecho &")
        node.expect("udpecho: listening on port 7", timeout=10)
        node.sync()
    res = in_ns("python3", "-c", LARGE_UDP_CLIENT, "10.0.0.1", check=False)
    assert "echoed 65507" in res.stdout, res.stdout + res.stderr


@pytest.mark.skipif(bool(need("ping")), reason="iputils-ping not installed")
def test_linux_ping_with_8000_bytes(linux):
    """An 8008-byte echo request arrives in 6 fragments; brinch answers
    with as many."""
    node, _ = linux
    before = counters(node)
    res = in_ns("ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "8000", "10.0.0.1", check=False)
    assert re.search(r"3 packets transmitted, 3 received, 0% packet loss", res.stdout), \
        res.stdout + res.stderr
    assert "8008 bytes from 10.0.0.1" in res.stdout, res.stdout
    after = counters(node)
    assert after["ip_reassembled"] - before["ip_reassembled"] >= 3, (before, after)
    assert after["ip_frags_out"] - before["ip_frags_out"] >= 18, (before, after)


TCP_CLIENT = r"""
import socket, sys, time
start = time.monotonic()
try:
    socket.create_connection((sys.argv[1], 111), timeout=20)
    print("connected?!")
except socket.timeout:
    print("timed out after %.1f s" % (time.monotonic() - start))
except OSError as e:
    print("errno %d after %.1f s" % (e.errno, time.monotonic() - start))
"""


def test_tcp_gets_protocol_unreachable(linux):
    """brinch speaks no TCP; it answers a SYN with ICMP protocol
    unreachable, a hard error that makes Linux fail connect() at once with
    ENOPROTOOPT (92) instead of retrying the SYN for minutes."""
    res = in_ns("python3", "-c", TCP_CLIENT, "10.0.0.1", check=False)
    m = re.search(r"errno (\d+) after ([0-9.]+) s", res.stdout)
    assert m, res.stdout + res.stderr
    assert int(m.group(1)) == 92 and float(m.group(2)) < 5, res.stdout


def test_brinch_pings_linux(linux):
    node, _ = linux
    out = node.run("ping -c 3 -i 100 %s" % HOST_IP, timeout=30)
    assert ping_summary(out) == (3, 3, 0), out
    out = node.run("ping -c 3 -i 100 -s 8000 %s" % HOST_IP, timeout=30)
    assert ping_summary(out) == (3, 3, 0) and "8008 bytes from" in out, out


def test_brinch_udp_to_a_linux_server(linux):
    node, _ = linux
    server = subprocess.Popen(["ip", "netns", "exec", NAMESPACE.name, "python3", "-c", UDP_ECHO_SERVER],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        out = node.run("udpsend -e -c 3 -s 100 %s 7007" % HOST_IP, timeout=30)
        assert udp_summary(out) == (3, 3, 0), out
        out = node.run("udpsend -e -c 3 -s 40000 %s 7007" % HOST_IP, timeout=30)
        assert udp_summary(out) == (3, 3, 0), out
    finally:
        server.kill()
        server.wait()


@pytest.mark.skipif(bool(need("tshark")), reason="tshark not installed")
def test_tshark_decodes_the_tap_pcap(linux):
    _, workdir = linux
    time.sleep(0.5)
    bad, frames = tshark_problems(os.path.join(workdir, "node0.pcap"))
    assert frames > 10
    assert not bad, "\n".join(bad[:20])
