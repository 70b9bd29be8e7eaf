# test_rpc_linux.py: brinch's RPC against Linux's (docs/rpc.md).  In a network
# namespace of its own with brinch on a tap device (as test_net_linux.py):
# Linux's rpcinfo queries brinch's portmapper (over UDP, and over TCP with
# record marking: `rpcinfo -p`); Linux programs built from
# rpc/vec.x and rpc/rps.x with Debian's rpcgen and libtirpc call brinch; a
# brinch client calls a Linux server (rpcbind and vec_server, run in the
# namespace with a private /run) built from the same vec.x.  Nothing leaves
# the namespace.  Needs root, /dev/net/tun, rpcgen, rpcbind, libtirpc-dev.

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

import pytest

from brinchvm import ROOT
from brinchnet import LinuxNamespace, default_workdir, namespace_problem, need
from conftest import NODES
from test_rpc import wait_rpcd

sys.path.insert(0, os.path.join(ROOT, "tools", "rpc"))
import onc  # noqa: E402

HOST_IP = "10.0.0.254"
NAMESPACE = LinuxNamespace("brinch-rpc-%d" % os.getpid(), HOST_IP)
LINUX_SRC = os.path.join(ROOT, "tools", "rpc", "linux")
TIRPC = "/usr/include/tirpc/rpc/rpc.h"


def _problem():
    """None, or why this host cannot run these tests."""
    if need("ip", "rpcgen", "rpcinfo", "rpcbind", "gcc", "unshare") or not os.path.exists(TIRPC):
        return ("needs `sh tools/ensure-deps.sh rpcgen:rpcsvc-proto rpcinfo:rpcbind` "
                "plus libtirpc-dev")
    return namespace_problem()


PROBLEM = _problem()
pytestmark = pytest.mark.skipif(PROBLEM is not None,
                                reason="Linux RPC interoperability: %s" % PROBLEM)


in_ns = NAMESPACE.run


def build_linux_programs(workdir):
    """Debian's rpcgen on the same .x files brinch's tools/rpcgen compiles."""
    out = os.path.join(workdir, "linux")
    os.makedirs(out, exist_ok=True)
    cc = ["gcc", "-O1", "-I", "/usr/include/tirpc", "-I", out]
    for name in ("vec", "rps", "rfile", "echo"):
        shutil.copy(os.path.join(ROOT, "rpc", name + ".x"), out)
        subprocess.run(["rpcgen", name + ".x"], cwd=out, check=True, capture_output=True)
    progs = {"vec_server": ["vec_svc.c", "vec_xdr.c"], "vec_client": ["vec_clnt.c", "vec_xdr.c"],
             "rps_client": ["rps_clnt.c", "rps_xdr.c"],
             "rfile_client": ["rfile_clnt.c", "rfile_xdr.c"],
             "echo_client": ["echo_clnt.c", "echo_xdr.c"]}
    for prog, gen in progs.items():
        subprocess.run(cc + ["-o", os.path.join(out, prog)] + [os.path.join(out, g) for g in gen]
                       + [os.path.join(LINUX_SRC, prog + ".c"), "-ltirpc"],
                       check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def linux(request):
    """(brinch node, workdir, directory of Linux programs)."""
    failed_before = request.session.testsfailed
    workdir = default_workdir("test_rpc_linux")
    os.makedirs(workdir, exist_ok=True)
    progs = build_linux_programs(workdir)
    try:
        with NAMESPACE:
            node = NAMESPACE.node(workdir, "rpc-linux-node0")
            node.leak_shared = True     # conftest checks it test by test
            try:
                node.start()
                node.wait_boot(90)
                wait_rpcd(node)
                yield node, workdir, progs
            finally:
                node.stop()
    finally:
        if request.session.testsfailed != failed_before:
            shutil.copytree(workdir, os.path.join(ROOT, "build", "test-logs", "test_rpc_linux"),
                            dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(autouse=True)
def report_node(request, linux):
    request.node.stash.setdefault(NODES, []).append(linux[0])


def test_linux_rpcinfo_reaches_brinchs_portmapper(linux):
    """Linux's rpcinfo over UDP: version 2 GETPORT (-u) and rpcbind
    version 4 GETADDR (-T udp) against brinch's portmapper, then a NULL
    call to each program there."""
    res = in_ns("rpcinfo", "-u", "10.0.0.1", "100000", "2", check=False, timeout=30)
    assert res.stdout.strip() == "program 100000 version 2 ready and waiting", \
        res.stdout + res.stderr
    for prog in range(0x20000b01, 0x20000b06):
        res = in_ns("rpcinfo", "-T", "udp", "10.0.0.1", str(prog), "1", check=False, timeout=30)
        assert res.stdout.strip() == "program %d version 1 ready and waiting" % prog, \
            res.stdout + res.stderr


def test_linux_gets_brinchs_program_list_over_udp(linux):
    """What `rpcinfo -p` prints (PMAPPROC_DUMP), asked from Linux over UDP
    by a client written on the host, independently of brinch's C."""
    msg = onc.call(77, onc.PMAP_PROG, 2, 4)
    script = ("import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); "
              "s.settimeout(3); s.sendto(bytes.fromhex(sys.argv[1]),('10.0.0.1',111)); "
              "print(s.recvfrom(2048)[0].hex())")
    res = in_ns(sys.executable, "-c", script, msg.hex(), check=False)
    r = onc.parse_reply(bytes.fromhex(res.stdout.strip()))
    assert r and r["accept"] == onc.SUCCESS, res.stdout + res.stderr
    body, maps = r["body"], set()
    while struct.unpack("!I", body[:4])[0] == 1:
        maps.add(struct.unpack("!IIII", body[4:20]))
        body = body[20:]
    assert (100000, 2, 17, 111) in maps, maps
    assert {m[0] for m in maps} >= {100000} | set(range(0x20000b01, 0x20000b06)), maps


def test_linux_rpcinfo_p_lists_brinchs_programs_over_tcp(linux):
    """`rpcinfo -p` asks for DUMP over TCP only: brinch's portmapper
    answers on TCP 111 with RFC 5531 record marking.  Every program rpcd
    registered is listed, and the portmapper on both transports."""
    res = in_ns("rpcinfo", "-p", "10.0.0.1", check=False, timeout=30)
    assert res.returncode == 0, res.stdout + res.stderr
    for proto in ("tcp", "udp"):
        assert re.search(r"^\s*100000\s+2\s+%s\s+111\s+portmapper\s*$" % proto, res.stdout,
                         re.M), res.stdout
    for prog in range(0x20000b01, 0x20000b06):
        assert re.search(r"^\s*%d\s+1\s+udp\s+\d+" % prog, res.stdout, re.M), res.stdout
    # NULL over TCP (GETPORT of 100000/tcp, then the call, record-marked),
    # and rpcbind version 4's DUMP, which Linux asks over TCP first.
    res = in_ns("rpcinfo", "-T", "tcp", "10.0.0.1", "100000", "2", check=False, timeout=30)
    assert res.stdout.strip() == "program 100000 version 2 ready and waiting", \
        res.stdout + res.stderr
    res = in_ns("rpcinfo", "10.0.0.1", check=False, timeout=30)
    assert re.search(r"^\s*536873731\s+1\s+udp\s+10\.0\.0\.1\.\d+\.\d+", res.stdout, re.M), \
        res.stdout + res.stderr


RECORD_CLIENT = """
import socket, struct, sys
calls = [bytes.fromhex(h) for h in sys.argv[1:]]
s = socket.create_connection(('10.0.0.1', 111), timeout=5)
# The first call in two fragments, the second whole, in one write.
a = calls[0]
s.sendall(struct.pack('!I', 12) + a[:12] + struct.pack('!I', 0x80000000 | (len(a) - 12)) + a[12:]
          + struct.pack('!I', 0x80000000 | len(calls[1])) + calls[1])
def record():
    data = b''
    while True:
        mark = b''
        while len(mark) < 4:
            mark += s.recv(4 - len(mark))
        (m,) = struct.unpack('!I', mark)
        body = b''
        while len(body) < m & 0x7fffffff:
            body += s.recv((m & 0x7fffffff) - len(body))
        data += body
        if m & 0x80000000:
            return data
print(record().hex())
print(record().hex())
# A mark longer than any call: the server drops the connection.
s.sendall(struct.pack('!I', 0x80000000 | 100000) + b'x' * 64)
print('closed' if s.recv(100) == b'' else 'open')
"""


def test_record_marking_fragments_pipelining_and_garbage(linux):
    """RFC 5531 section 11 from a client written on the host: a call in
    two fragments and a second call behind it in the same segment are
    both answered, in order; a record too long to be a call closes the
    connection, and the portmapper keeps serving."""
    null = onc.call(41, onc.PMAP_PROG, 2, 0)
    getport = onc.call(42, onc.PMAP_PROG, 2, 3, args=struct.pack("!IIII", onc.PMAP_PROG, 2, 6, 0))
    res = in_ns(sys.executable, "-c", RECORD_CLIENT, null.hex(), getport.hex(), check=False)
    lines = res.stdout.split()
    assert len(lines) == 3, res.stdout + res.stderr
    first, second = onc.parse_reply(bytes.fromhex(lines[0])), onc.parse_reply(bytes.fromhex(lines[1]))
    assert first["xid"] == 41 and first["accept"] == onc.SUCCESS, first
    assert second["xid"] == 42 and struct.unpack("!I", second["body"][:4])[0] == 111, second
    assert lines[2] == "closed", res.stdout
    res = in_ns("rpcinfo", "-T", "tcp", "10.0.0.1", "100000", "2", check=False, timeout=30)
    assert "ready and waiting" in res.stdout, res.stdout + res.stderr


def test_a_linux_client_calls_brinch(linux):
    _, _, progs = linux
    res = in_ns(os.path.join(progs, "vec_client"), "10.0.0.1", "3", "1", "2", "3", "-40",
                check=False, timeout=30)
    assert "vec_client: VECMUL: 3 6 9 -120" in res.stdout, res.stdout + res.stderr
    assert "vec_client: VECSUM: -34" in res.stdout, res.stdout + res.stderr
    res = in_ns(os.path.join(progs, "rps_client"), "10.0.0.1", check=False, timeout=30)
    assert res.stdout.startswith("node 0, up "), res.stdout + res.stderr
    assert re.search(r"\d+ +\d+ \d rpcd\n", res.stdout), res.stdout
    # A file of several 1 KiB chunks, byte for byte as built.
    res = subprocess.run(["ip", "netns", "exec", NAMESPACE.name, os.path.join(progs, "rfile_client"),
                          "10.0.0.1", "/bin/echo"], capture_output=True, timeout=60)
    with open(os.path.join(ROOT, "build", "bin", "echo"), "rb") as f:
        assert res.stdout == f.read(), res.stderr


def test_a_linux_client_sends_16k_to_brinch(linux):
    """SINK and ECHO of 16 KiB from libtirpc: IP fragments both ways."""
    _, _, progs = linux
    res = in_ns(os.path.join(progs, "echo_client"), "10.0.0.1", "16384", "5",
                check=False, timeout=60)
    assert "echo_client: 5 x SINK and ECHO of 16384 bytes: ok" in res.stdout, \
        res.stdout + res.stderr


def test_brinch_calls_a_linux_server(linux):
    node, workdir, progs = linux
    # rpcbind and the server share a private /run: no clash with a host's.
    # The server registers with rpcbind as it starts: wait for its socket.
    cmd = ("mount -t tmpfs tmpfs /run || exit 1; rpcbind -f & "
           "for i in $(seq 100); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done; "
           "exec %s" % os.path.join(progs, "vec_server"))
    log = open(os.path.join(workdir, "vec_server.log"), "w")
    server = subprocess.Popen(["ip", "netns", "exec", NAMESPACE.name, "unshare", "-m", "sh", "-c", cmd],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(50):
            if "536873729" in node.run("rpcinfo -p %s" % HOST_IP, timeout=20):
                break
            time.sleep(0.2)
        out = node.run("rpcinfo -p %s" % HOST_IP, timeout=20)
        assert re.search(r"100000\s+2\s+udp\s+111\s+portmapper", out), out
        assert re.search(r"536873729\s+1\s+udp\s+\d+\s+vec", out), out
        out = node.run("vecmul %s 7 1 2 3" % HOST_IP, timeout=20)
        assert out == "vecmul: 7 14 21", out
        out = node.run("vecmul -s %s 1 2 3 4" % HOST_IP, timeout=20)
        assert out == "vecmul: sum 10", out
        out = node.run("rpcinfo -u %s 0x20000b01 1" % HOST_IP, timeout=20)
        assert out == "program 536873729 version 1 ready and waiting", out
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()
    with open(os.path.join(workdir, "vec_server.log")) as f:
        assert "vec_server: VECMUL of 3 elements by 7" in f.read()


@pytest.mark.skipif(bool(need("tshark")), reason="tshark not installed")
def test_tshark_decodes_every_call(linux):
    _, workdir, _ = linux
    pcap = os.path.join(workdir, "node0.pcap")
    bad, _ = onc.tshark_problems(pcap)
    assert not bad, "\n".join(bad[:20])
    calls = onc.tshark_calls(pcap)
    for want in ((100000, 2, 3), (100000, 4, 3), (0x20000b01, 1, 1), (0x20000b01, 1, 2),
                 (0x20000b03, 1, 1)):
        assert want in calls, (want, sorted(calls))
