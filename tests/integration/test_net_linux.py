# test_net_linux.py: brinch against a real network stack.  The test makes a
# network namespace of its own with a tap device (10.0.0.254/24) and runs QEMU
# inside it on that tap; Linux's ping and Python UDP and TCP clients in the
# namespace then talk to brinch, and brinch pings back and connects to a
# Linux TCP server.  Nothing leaves the namespace.
# Needs root (or CAP_NET_ADMIN) and /dev/net/tun; skipped otherwise.

import contextlib
import os
import re
import shutil
import subprocess

import pytest

from brinchvm import ROOT
from brinchnet import (LinuxNamespace, counters, default_workdir, fnv1a, namespace_problem,
                       need, ping_summary, tshark_problems, udp_summary)
from conftest import NODES

HOST_IP = "10.0.0.254"
NAMESPACE = LinuxNamespace("brinch-test-%d" % os.getpid(), HOST_IP)


NS_PROBLEM = namespace_problem()
pytestmark = pytest.mark.skipif(NS_PROBLEM is not None,
                                reason="Linux interoperability: %s" % NS_PROBLEM)


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
            node.leak_shared = True     # conftest checks it test by test
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


PROTO_PROBE = r"""
import socket, sys, time
# An IP protocol brinch does not speak (253, RFC 3692's experimental):
# ICMP protocol unreachable (type 3, code 2) comes back.
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
icmp.settimeout(3)
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
raw.sendto(b"anyone speak 253?", (sys.argv[1], 0))
while True:
    data, addr = icmp.recvfrom(2048)
    hl = (data[0] & 15) * 4
    if addr[0] == sys.argv[1] and data[hl] == 3:
        print("unreachable code %d" % data[hl + 1])
        break
"""

TCP_REFUSED = r"""
import socket, sys, time
start = time.monotonic()
try:
    socket.create_connection((sys.argv[1], 4444), timeout=20)
    print("connected?!")
except OSError as e:
    print("errno %d after %.1f s" % (e.errno, time.monotonic() - start))
"""

TCP_ECHO_CLIENT = r"""
import os, socket, sys, threading
data = os.urandom(100000)
s = socket.create_connection((sys.argv[1], 7), timeout=20)
got = bytearray()
def reader():
    while True:
        b = s.recv(65536)
        if not b:
            return
        got.extend(b)
t = threading.Thread(target=reader)
t.start()
s.sendall(data)
s.shutdown(socket.SHUT_WR)
t.join(30)
print("echo %s %d" % ("ok" if bytes(got) == data else "MISMATCH", len(got)))
"""


def test_unknown_protocol_gets_protocol_unreachable(linux):
    """RFC 1122 3.2.2.1: a protocol brinch does not speak is answered
    with ICMP protocol unreachable."""
    res = in_ns("python3", "-c", PROTO_PROBE, "10.0.0.1", check=False)
    assert "unreachable code 2" in res.stdout, res.stdout + res.stderr


def test_linux_tcp_to_a_closed_port_is_refused(linux):
    """brinch answers a SYN for no listener with a reset: Linux's
    connect() fails at once with ECONNREFUSED (111)."""
    res = in_ns("python3", "-c", TCP_REFUSED, "10.0.0.1", check=False)
    m = re.search(r"errno (\d+) after ([0-9.]+) s", res.stdout)
    assert m, res.stdout + res.stderr
    assert int(m.group(1)) == 111 and float(m.group(2)) < 5, res.stdout


def test_linux_tcp_client_gets_its_echo(linux):
    """100,000 random bytes from Linux through brinch's `tcp listen`
    echo server and back, compared byte for byte."""
    node, _ = linux
    node.sendline("tcp listen 7 &")
    node.expect("tcp: listening on port 7", timeout=10)
    node.sync()
    res = in_ns("python3", "-c", TCP_ECHO_CLIENT, "10.0.0.1", check=False, timeout=60)
    assert "echo ok 100000" in res.stdout, res.stdout + res.stderr
    node.expect(re.compile(r"10\.0\.0\.254:\d+ received 100000 bytes"), timeout=10)
    node.sync()


TCP_SERVER = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7008))
s.listen()
s.settimeout(30)
print("ready", flush=True)
c, _ = s.accept()                  # 1: echo until the client closes
while True:
    b = c.recv(65536)
    if not b:
        break
    c.sendall(b)
c.close()
c, _ = s.accept()                  # 2: send a payload and close
c.sendall(bytes((i * 7 + i // 251) & 255 for i in range(70000)))
c.close()
"""


@contextlib.contextmanager
def linux_server(program):
    """A Python server in the namespace, once it has printed "ready";
    killed on the way out."""
    server = subprocess.Popen(["ip", "netns", "exec", NAMESPACE.name, "python3", "-c", program],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        yield server
    finally:
        server.kill()
        server.wait()


def test_brinch_tcp_to_a_linux_server(linux):
    node, _ = linux
    with linux_server(TCP_SERVER) as server:
        out = node.run("tcp send -e %s 7008 50000" % HOST_IP, timeout=60)
        assert "echo ok: 50000 bytes" in out, out
        out = node.run("tcp get %s 7008" % HOST_IP, timeout=60)
        payload = bytes((i * 7 + i // 251) & 255 for i in range(70000))
        assert "received 70000 bytes fnv1a %#010x" % fnv1a(payload) in out, out
        server.wait(timeout=30)
    out = node.run("tcp send %s 7009 10" % HOST_IP, timeout=30)
    assert "Connection refused" in out, out


def test_brinch_pings_linux(linux):
    node, _ = linux
    out = node.run("ping -c 3 -i 100 %s" % HOST_IP, timeout=30)
    assert ping_summary(out) == (3, 3, 0), out
    out = node.run("ping -c 3 -i 100 -s 8000 %s" % HOST_IP, timeout=30)
    assert ping_summary(out) == (3, 3, 0) and "8008 bytes from" in out, out


def test_brinch_udp_to_a_linux_server(linux):
    node, _ = linux
    with linux_server(UDP_ECHO_SERVER):
        out = node.run("udpsend -e -c 3 -s 100 %s 7007" % HOST_IP, timeout=30)
        assert udp_summary(out) == (3, 3, 0), out
        out = node.run("udpsend -e -c 3 -s 40000 %s 7007" % HOST_IP, timeout=30)
        assert udp_summary(out) == (3, 3, 0), out


@pytest.mark.skipif(bool(need("tshark")), reason="tshark not installed")
def test_tshark_decodes_the_tap_pcap(linux):
    _, workdir = linux
    bad, frames = tshark_problems(os.path.join(workdir, "node0.pcap"))
    assert frames > 10
    assert not bad, "\n".join(bad[:20])
