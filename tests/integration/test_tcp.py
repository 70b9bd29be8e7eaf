# test_tcp.py: brinch's TCP between brinch nodes on a vde switch
# (docs/network.md "TCP").  Echo both ways and over loopback, refused
# connections, 64 KiB through a lossy wirefilter arriving intact, the
# connection table emptying once TIME_WAIT is over, and malformed or
# flooding segments injected from the host's plug: each dropped and
# counted under its reason, with no crash and no memory kept.  Traffic
# stays in unix sockets.  Part of `make integration`.

import re
import struct
import time

import pytest

from brinchvm import scale
from brinchnet import counters, fnv1a, need, resolve_through_loss, wait_counters
from netinject import SRC_IP, SRC_MAC, checksum, ipv4
from conftest import NODES, booted_cluster

pytestmark = pytest.mark.skipif(bool(need("vde_switch", "vde_plug")),
                                reason="vde_switch/vde_plug (Debian package vde2) not installed")

TRANSFER_RE = re.compile(r"(sent|received) (\d+) bytes fnv1a (0x[0-9a-f]{8})")


def pattern(n):
    """The bytes `tcp send` sends (user/bin/tcp.c)."""
    state, out = 1, bytearray()
    for _ in range(n):
        state = (state * 1103515245 + 12345) & 0xFFFFFFFF
        out.append((state >> 16) & 0xFF)
    return bytes(out)


def transfer(text, what):
    """(bytes, checksum) from a `tcp` report line."""
    for m in TRANSFER_RE.finditer(text):
        if m.group(1) == what:
            return int(m.group(2)), int(m.group(3), 16)
    raise AssertionError("no '%s N bytes' line in:\n%s" % (what, text))


@pytest.fixture(scope="module")
def pair(request):
    yield from booted_cluster(request, 2, "tcp_pair")


@pytest.fixture(scope="module")
def lossy(request):
    yield from booted_cluster(request, 2, "tcp_loss", loss=20)


def heap(node):
    return int(re.search(r"heap: (\d+) bytes", node.run("free")).group(1))


def wait_conns(node, want, timeout=40):
    """Until tcp_conns (connection blocks in use) is `want`: TIME_WAIT and
    half-open connections expire on their own."""
    return wait_counters(node, lambda c: c["tcp_conns"] == want, timeout)


def test_echo_between_two_nodes(request, pair):
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    a, b = pair[0], pair[1]
    b.sendline("tcp listen -v 7 &")
    b.expect("tcp: listening on port 7", timeout=10)
    b.sync()
    out = a.run("tcp send -e 10.0.0.2 7 20000", timeout=60)
    assert "echo ok: 20000 bytes" in out, out
    assert transfer(out, "sent") == (20000, fnv1a(pattern(20000))), out
    b.expect(re.compile(r"10\.0\.0\.1:\d+ received 20000 bytes"), timeout=10)
    b.sync()
    # Both sides listed while the listener lives: state and addresses.
    out = b.run("net tcp")
    assert re.search(r"10\.0\.0\.2:7\s+0\.0\.0\.0:\*\s+LISTEN", out), out
    # And over loopback, to ourselves, both ends in one kernel.
    out = b.run("tcp send -e 127.0.0.1 7 30000", timeout=60)
    assert "echo ok: 30000 bytes" in out, out
    b.sync()


def test_connect_to_a_closed_port_is_refused(request, pair):
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    a, b = pair[0], pair[1]
    before = counters(b)
    out = a.run("tcp send 10.0.0.2 4444 10", timeout=30)
    assert "tcp: connect 10.0.0.2:4444: Connection refused" in out, out
    after = counters(b)
    assert after["tcp_no_listener"] == before["tcp_no_listener"] + 1, after
    assert after["tcp_rst_out"] >= before["tcp_rst_out"] + 1, after
    out = a.run("tcp send 127.0.0.1 4444 10", timeout=30)
    assert "Connection refused" in out, out


def test_table_empties_after_many_connections(request, pair):
    """20 connections, each closed first by the client: 20 TIME_WAITs on
    node 1 that expire after 2 s, leaving nothing but node 2's listener
    (and portmap's, on both)."""
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    a, b = pair[0], pair[1]
    # Both at rest first: the loopback echo of an earlier test leaves
    # connections (and their queues) on node 2 until their TIME_WAIT ends.
    base_a = wait_conns(a, 1)["tcp_conns"]
    assert base_a == 1, "node 1 should hold only portmap's listener"
    assert wait_conns(b, 2)["tcp_conns"] == 2, b.run("net tcp")
    heap_a, heap_b = heap(a), heap(b)
    out = a.run("tcp send -e -n 20 10.0.0.2 7 3000", timeout=120)
    assert "tcp: 20 connections, 0 failed" in out, out
    b.sync()
    out = a.run("net tcp")
    assert out.count("TIME_WAIT") >= 10, out
    assert wait_conns(a, base_a)["tcp_conns"] == base_a, a.run("net tcp")
    assert wait_conns(b, 2)["tcp_conns"] == 2, b.run("net tcp")
    assert "TIME_WAIT" not in a.run("net tcp")
    assert heap(a) == heap_a and heap(b) == heap_b


def segment(dst_ip, sport, dport, seq, ack, flags, data=b"", window=8192, offset=5,
            options=b"", good_sum=True):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset << 4, flags, window, 0, 0)
    seg = hdr + options + data
    pseudo = SRC_IP + dst_ip + struct.pack("!BBH", 0, 6, len(seg))
    s = checksum(pseudo + seg)
    if not good_sum:
        s ^= 0x1111
    return seg[:16] + struct.pack("!H", s) + seg[18:]


def frame(node, seg):
    dst_ip = bytes(int(x) for x in node.ip.split("."))
    mac = bytes.fromhex(node.mac.replace(":", ""))
    return mac + SRC_MAC + struct.pack("!H", 0x0800) + ipv4(dst_ip, 6, seg)


SYN, RST, ACK, FIN, PSH, URG = 0x02, 0x04, 0x10, 0x01, 0x08, 0x20
N = 40


def test_malformed_segments_are_dropped_and_counted(request, pair):
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    a, b = pair[0], pair[1]
    b_ip = bytes(int(x) for x in b.ip.split("."))
    heap_before = heap(b)
    before = counters(b)
    plug = pair.plug()
    kinds = {
        # A bad checksum, to an open port.
        "tcp_bad_checksum": lambda i: segment(b_ip, 5000 + i, 7, i, 0, SYN, good_sum=False),
        # Shorter than a header: the IP payload cut at 0..19 bytes.
        "tcp_bad_header": lambda i: (segment(b_ip, 5000 + i, 7, i, 0, SYN)[:i % 20] if i % 2
                                     # ...or a data offset under 5 or past the end,
                                     else segment(b_ip, 5000 + i, 7, i, 0, SYN,
                                                  offset=(i // 2) % 4 if i % 4 else 15)),
        # SYN+FIN, SYN+RST, no SYN/ACK/RST at all (FIN, PSH|URG, nothing).
        "tcp_bad_flags": lambda i: segment(b_ip, 5000 + i, 7, i, 0,
                                           (SYN | FIN, SYN | RST, FIN, PSH | URG, 0)[i % 5]),
    }
    for name, make in kinds.items():
        for i in range(N):
            plug.send(frame(b, make(i)))
        plug.flush()
    # Options whose lengths are impossible: also a bad header.
    for opts in (b"\x02\x00\x05\xb4", b"\x02\x09\x05\xb4", b"\x08\x01\x00\x00",
                 b"\x01\x01\x02\x04"):
        plug.send(frame(b, segment(b_ip, 6000, 7, 1, 0, SYN, offset=6, options=opts)))
    plug.flush()
    # A sync point: node 1's own connection goes through after all that.
    out = a.run("tcp send -e 10.0.0.2 7 1000", timeout=60)
    assert "echo ok: 1000 bytes" in out, out
    # Node 2's echo server reports the connection as it closes: let it
    # finish before typing there, or its line and the typed echo mix.
    b.expect(re.compile(r"10\.0\.0\.1:\d+ received 1000 bytes"), timeout=30)
    b.sync()
    after = counters(b)
    assert after["tcp_bad_checksum"] - before["tcp_bad_checksum"] == N, after
    assert after["tcp_bad_flags"] - before["tcp_bad_flags"] == N, after
    assert after["tcp_bad_header"] - before["tcp_bad_header"] == N + 4, after
    assert after["tcp_passive_opens"] - before["tcp_passive_opens"] == 1, after
    b.sync()
    assert heap(b) == heap_before
    assert after["pkbuf_exhausted"] == 0
    assert "panic" not in b.text


def test_syn_flood_stops_at_the_backlog(request, pair):
    """60 SYNs from a station that never answers: 8 half-open connections
    (the backlog), the rest dropped and counted; they give up after the
    SYN-ACK's retries, the table and the heap come back, and the
    listener serves a real client again."""
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    a, b = pair[0], pair[1]
    b_ip = bytes(int(x) for x in b.ip.split("."))
    b.sendline("tcp listen 9 &")
    b.expect("tcp: listening on port 9", timeout=10)
    b.sync()
    base = wait_conns(b, 3)["tcp_conns"]		# portmap, 7, 9
    assert base == 3, b.run("net tcp")
    heap_before = heap(b)
    before = counters(b)
    plug = pair.plug()
    for i in range(60):
        plug.send(frame(b, segment(b_ip, 20000 + i, 9, 1000 * i, 0, SYN)))
    plug.flush()
    out = a.run("net", timeout=30)		# a round trip on the wire behind them
    after = counters(b)
    assert after["tcp_passive_opens"] - before["tcp_passive_opens"] == 8, after
    assert after["tcp_backlog_drops"] - before["tcp_backlog_drops"] == 52, after
    out = b.run("net tcp")
    assert out.count("SYN_RCVD") == 8, out
    # SYN-ACK retries: 1 + 2 + 4 + 8 s, then each child gives up.
    c = wait_conns(b, base, timeout=60)
    assert c["tcp_conns"] == base, b.run("net tcp")
    assert c["tcp_timeouts"] - before["tcp_timeouts"] == 8, c
    assert heap(b) == heap_before
    out = a.run("tcp send -e 10.0.0.2 9 500", timeout=60)
    assert "echo ok: 500 bytes" in out, out
    b.sync()


def test_64k_through_a_lossy_link_arrives_intact(request, lossy):
    """20% of frames lost each way (wirefilter): go-back-N retransmission
    from snd_una delivers every byte in order."""
    request.node.stash.setdefault(NODES, []).extend(lossy.nodes.values())
    a, b = lossy[0], lossy[1]
    if not resolve_through_loss(a, b):
        pytest.fail("no ping reply in 20 attempts through a 20%-loss link")
    size = 65536
    heaps = [heap(n) for n in (a, b)]
    b.sendline("tcp listen -1 -s 9 &")
    b.expect("tcp: listening on port 9", timeout=10)
    b.sync()
    out = a.run("tcp send 10.0.0.2 9 %d" % size, timeout=240)
    expect = (size, fnv1a(pattern(size)))
    assert transfer(out, "sent") == expect, out
    m = b.expect(re.compile(r"received (\d+) bytes fnv1a (0x[0-9a-f]{8})"), timeout=60)
    assert transfer(m.group(0), "received") == expect, m.group(0)
    b.sync()
    c = counters(a)
    assert c["tcp_retransmits"] > 0, c
    # The close through the loss may take some retransmissions: until it
    # is done, the connections' queues are the kernel's to hold, which
    # the leak check after the test would take for a leak.
    for node, want in zip((a, b), heaps):
        deadline = time.monotonic() + 40 * scale()
        while heap(node) != want and time.monotonic() < deadline:
            time.sleep(0.2)
        assert heap(node) == want, node.run("net tcp")
