# test_dist.py: cross-kernel IPC on a cluster of brinch nodes (docs/protocol.md).
#  - the kernel message layer: 64 KiB messages intact, with and without 20% loss
#    each way (wirefilter), exactly once (delivered counts match sent counts)
#  - remote mailboxes block as local ones do: rendezvous, bounded, full,
#    IPC_NOWAIT, timeouts, destroyed while blocked; remote receive; send(pid),
#    call(pid), mbox_call; a call taken by a receiver on a third node
#  - Lamport clocks: happened-before implies a smaller timestamp over random
#    exchanges among three nodes; the textbook's totally ordered multicast
#  - Hansen's dining philosophers with TABLE on node 0, philosophers on 1 and 2
#  - tshark decodes a run's pcap with tools/wireshark/brinch.lua
# Traffic stays in unix sockets (vde_switch).  Part of `make integration`.

import os
import re
import subprocess

import pytest

from brinchvm import ROOT
from brinchnet import need
from conftest import booted_cluster, resolved

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

DISSECTOR = os.path.join(ROOT, "tools", "wireshark", "brinch.lua")


@pytest.fixture
def pair(request):
    yield from booted_cluster(request, 2, "dist_pair")


@pytest.fixture
def trio(request):
    yield from booted_cluster(request, 3, "dist_trio")


@pytest.fixture
def lossy(request):
    yield from booted_cluster(request, 2, "dist_loss", ready=resolved, loss=20)


def kmsg_counters(node):
    """`kmsg` as a dict of counter name -> value."""
    out = {}
    for line in node.run("kmsg", timeout=30).splitlines():
        words = line.split()
        if len(words) == 2 and words[1].isdigit():
            out[words[0]] = int(words[1])
    assert out, "`kmsg` printed no counters"
    return out


def results(text, what):
    """[(index, result, ms)] from rmbox's `send 1: ok (12 ms)` lines."""
    return [(int(i), r, int(ms)) for i, r, ms in
            re.findall(r"%s (\d+): (\S+|'[^']*') \((\d+) ms\)" % what, text)]


BAD = ("bad_short", "bad_magic", "bad_version", "bad_type", "bad_length", "bad_frag",
       "bad_addr", "bad_stream", "bad_sequence", "bad_service")


def test_64k_messages_arrive_intact(pair):
    a, b = pair[0], pair[1]
    for cmd in ("kmsg echo 1 65536 3", "kmsg echo 1 1 5", "kmsg echo 1 0 5",
                "kmsg echo 1 1401 2"):
        out = a.run(cmd, timeout=60)
        assert ": ok" in out, out
    ca, cb = kmsg_counters(a), kmsg_counters(b)
    # Each message delivered exactly once, each way.
    assert ca["msgs_out"] == cb["msgs_in"] and cb["msgs_out"] == ca["msgs_in"], (ca, cb)
    assert ca["bytes_out"] == cb["bytes_in"] >= 3 * 65536, (ca, cb)
    for k in BAD:
        assert ca[k] == 0 and cb[k] == 0, (k, ca, cb)
    assert "queued 0 bytes" in a.run("kmsg", timeout=30)


def test_loss_retransmits_without_duplicates(lossy):
    a, b = lossy[0], lossy[1]
    out = a.run("kmsg echo 1 65536 5", timeout=240)
    assert "5 x 65536 bytes to node 1 and back: ok" in out, out
    out = a.run("kmsg echo 1 1000 40", timeout=240)
    assert "40 x 1000 bytes to node 1 and back: ok" in out, out
    ca, cb = kmsg_counters(a), kmsg_counters(b)
    assert ca["retransmits"] + cb["retransmits"] > 0, (ca, cb)
    # Lost acks make duplicates arrive; none is delivered twice.
    assert ca["msgs_out"] == cb["msgs_in"] and cb["msgs_out"] == ca["msgs_in"], (ca, cb)
    assert ca["peer_failures"] == 0 and cb["peer_failures"] == 0, (ca, cb)


@pytest.mark.leaves_state("its rmbox servers run for 600 s (-d 600000) and end with the cluster")
def test_remote_mailboxes_block_like_local_ones(pair):
    a, b = pair[0], pair[1]
    # Unbounded: a send returns as soon as the message is in.
    b.sendline("rmbox serve U u &")
    b.expect("serving U")
    r = results(a.run("rmbox send U@1 hello -c 3", timeout=60), "send")
    assert [x[1] for x in r] == ["ok"] * 3, r
    for _ in range(3):                  # the server prints each as it takes it:
        b.expect("got 5 from 0:")       # type nothing at b until all three are out
    b.sync()
    # Rendezvous: the sender waits until the receiver takes the message.
    b.sync()                            # its last server may still be printing
    b.sendline("rmbox serve R 0 -d 1500 -c 1 &")
    b.expect("serving R")
    r = results(a.run("rmbox send R@1 rv", timeout=60), "send")
    assert r[0][1] == "ok" and r[0][2] >= 1000, r
    # Bounded (2): two go in at once, the third waits for room.
    b.sync()                            # its last server may still be printing
    b.sendline("rmbox serve B 2 -d 1500 -r 300 -c 3 &")
    b.expect("serving B")
    r = results(a.run("rmbox send B@1 bd -c 3", timeout=60), "send")
    assert [x[1] for x in r] == ["ok"] * 3, r
    assert r[0][2] < 1000 and r[1][2] < 1000 and r[2][2] >= 800, r
    # Full: IPC_NOWAIT says EAGAIN at once; a timeout says ETIMEDOUT.
    b.sync()                            # its last server may still be printing
    b.sendline("rmbox serve F 1 -d 600000 &")
    b.expect("serving F")
    r = results(a.run("rmbox send F@1 x -n -c 2", timeout=60), "send")
    assert [x[1] for x in r] == ["ok", "EAGAIN"], r
    r = results(a.run("rmbox send F@1 x -t 700", timeout=60), "send")
    assert r[0][1] == "ETIMEDOUT" and 600 <= r[0][2] < 3000, r
    # Rendezvous with IPC_NOWAIT and nobody receiving: EAGAIN.
    b.sync()                            # its last server may still be printing
    b.sendline("rmbox serve Z 0 -d 600000 &")
    b.expect("serving Z")
    assert results(a.run("rmbox send Z@1 x -n", timeout=60), "send")[0][1] == "EAGAIN"
    # Destroyed while a remote sender waits: EPIPE.
    b.sync()                            # its last server may still be printing
    b.sendline("rmbox serve D 0 -d 1000 -x &")
    b.expect("serving D")
    r = results(a.run("rmbox send D@1 lost", timeout=60), "send")
    assert r[0][1] == "EPIPE" and r[0][2] >= 500, r
    # Names that do not exist, and nodes that do not exist.
    assert "open NOPE@1: ENOENT" in a.run("rmbox send NOPE@1 x", timeout=60)
    assert "EINVAL" in a.run("rmbox send U@999 x", timeout=60)


@pytest.mark.leaves_state("its rmbox servers run for 600 s (-d 600000) and end with the cluster")
def test_remote_receive_and_call(pair):
    a, b = pair[0], pair[1]
    b.sendline("rmbox serve Q 4 -d 600000 &")
    b.expect("serving Q")
    assert [x[1] for x in results(a.run("rmbox send Q@1 one -c 2", timeout=60), "send")] == \
        ["ok", "ok"]
    out = a.run("rmbox recv Q@1 -c 3 -t 800", timeout=60)
    assert re.search(r"recv 1: 3 from 0:\d+: one", out) and "recv 3: ETIMEDOUT" in out, out
    assert "recv 1: EAGAIN" in a.run("rmbox recv Q@1 -n", timeout=60)
    b.sendline("rmbox serve C u &")
    b.expect("serving C")
    r = results(a.run("rmbox call C@1 ping -c 3", timeout=60), "call")
    assert [x[1] for x in r] == ["'re: ping'"] * 3, r
    # Direct naming: send(pid) and call(pid) to a process on node 1.
    b.sendline("rmbox port &")
    pid = b.expect(re.compile(r"port pid (\d+:\d+)")).group(1)
    assert results(a.run("rmbox sendpid %s direct" % pid, timeout=60), "send")[0][1] == "ok"
    b.expect("got 6 from 0:")
    r = results(a.run("rmbox callpid %s hi" % pid, timeout=60), "call")
    assert r[0][1] == "'re: hi'", r
    assert results(a.run("rmbox sendpid 1:30000 x", timeout=60), "send")[0][1] == "ESRCH"


@pytest.mark.leaves_state("its rmbox servers run for 600 s (-d 600000) and end with the cluster")
def test_call_taken_by_a_receiver_on_a_third_node(trio):
    n0, n1, n2 = trio[0], trio[1], trio[2]
    n1.sendline("rmbox serve S u -d 600000 &")
    n1.expect("serving S")
    n2.sendline("rmbox recv S@1 -c 2 &")
    r = results(n0.run("rmbox call S@1 hello -t 10000", timeout=60), "call")
    assert r[0][1] == "'re: hello'", r
    r = results(n1.run("rmbox call S hi2 -t 10000", timeout=60), "call")
    assert r[0][1] == "'re: hi2'", r
    n2.expect(re.compile(r"recv 2: 3 from 1:\d+ call: hi2"))


def test_happened_before_means_smaller_timestamp(trio):
    count = 80
    for i in (0, 1, 2):
        trio[i].sendline("lamport hb 3 %d 11" % count)
    events = {}
    sends = {}
    for i in (0, 1, 2):
        trio[i].expect(re.compile(r"hb %d done (\d+) events" % i), timeout=180)
        trio[i].wait_prompt(30)    # the next test types there
        for line in re.findall(r"(?m)^hb %d .*$" % i, trio[i].text):
            w = line.split()
            if w[2] == "done":
                continue
            events[(i, int(w[2]))] = (int(w[3]), w[4:])
    checked = 0
    for (node, k), (ts, rest) in events.items():
        prev = events.get((node, k - 1))
        if prev:
            assert prev[0] < ts, ("program order", node, k, prev, ts)
        if rest[0] == "S":
            sends[(node, k)] = ts
    for (node, k), (ts, rest) in events.items():
        if rest[0] == "R":
            src = (int(rest[1]), int(rest[2]))
            assert src in sends, ("receive of an unknown send", node, k, src)
            assert sends[src] < ts, ("send -> receive", src, sends[src], node, k, ts)
            checked += 1
    assert checked == len(sends) and checked >= count // 2, (checked, len(sends))


def test_total_order_by_timestamp_and_node(trio):
    for i in (0, 1, 2):
        trio[i].sendline("lamport order 3 5")
    finals, orders = set(), []
    for i in (0, 1, 2):
        m = trio[i].expect(re.compile(r"order %d: final balance (\d+), order (\w+);.*\n" % i),
                           timeout=180)
        trio[i].wait_prompt(30)
        finals.add(m.groups())
        delivered = re.findall(r"order %d: deliver \((\d+),(\d+)\)" % i, trio[i].text)
        orders.append([(int(t), int(n)) for t, n in delivered])
    assert len(finals) == 1, finals
    assert orders[0] == orders[1] == orders[2] and len(orders[0]) == 15, orders
    assert orders[0] == sorted(orders[0]), orders[0]


def test_philosophers_with_a_remote_table(trio):
    trio[0].sendline("dp_phil table &")
    trio[0].expect("TABLE serving")
    trio[0].sync()                 # its prompt may trail the banner
    trio[1].sendline("dp_phil phil 0-1 8 TABLE@0")
    trio[2].sendline("dp_phil phil 2-4 8 TABLE@0")
    for i in (1, 2):
        m = trio[i].expect(re.compile(r"dp_phil: (philosophers \d-\d ate|FAILED).*\n"),
                           timeout=180)
        assert "ate 8 meals" in m.group(0), m.group(0)
        trio[i].wait_prompt(30)    # before typing the next command there
    out = trio[1].run("dp_phil done 8 TABLE@0", timeout=60)
    assert "meals 8 8 8 8 8" in out and "no two neighbours ate at once, no deadlock: ok" in out, \
        out


@pytest.mark.skipif(bool(need("tshark")), reason="tshark not installed")
@pytest.mark.leaves_state("its rmbox server runs until the cluster stops")
def test_dissector_decodes_a_run(pair):
    a, b = pair[0], pair[1]
    b.sendline("rmbox serve C u &")
    b.expect("serving C")
    assert "ok" in a.run("kmsg echo 1 65536 1", timeout=60)
    assert "'re: x'" in a.run("rmbox call C@1 x", timeout=60)
    assert "send 1: ok" in a.run("rmbox send C@1 y", timeout=60)
    a.run("kmsg", timeout=30)                      # let the last acks out
    fields = ["brinch.type", "brinch.src_node", "brinch.dst_node", "brinch.seq",
              "brinch.service", "brinch.msg_len", "brinch.frag", "brinch.nfrags",
              "brinch.rm.op", "brinch.ts"]
    argv = ["tshark", "-X", "lua_script:" + DISSECTOR, "-r", a.pcap, "-Y", "brinch",
            "-T", "fields", "-E", "separator=,"] + sum((["-e", x] for x in fields), [])
    res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    rows = [dict(zip(fields, line.split(","))) for line in res.stdout.splitlines() if line]
    assert rows, res.stdout
    echo = [r for r in rows if r["brinch.type"] == "1" and r["brinch.service"] == "1"]
    assert sorted({int(r["brinch.frag"]) for r in echo}) == list(range(47)), echo[:3]
    assert {r["brinch.nfrags"] for r in echo} == {"47"} and \
        {r["brinch.msg_len"] for r in echo} == {"65540"}, echo[:3]
    ops = {r["brinch.rm.op"] for r in rows if r["brinch.rm.op"]}
    assert {"1", "2", "4", "16", "17"} <= ops, ops     # LOOKUP SEND CALL RESULT REPLY
    assert any(r["brinch.type"] == "2" for r in rows)  # ACKs
    assert any(r["brinch.type"] == "4" and r["brinch.dst_node"] == "255" for r in rows)
    # Node 0's stream: every seq from 1 on, Lamport time never going back.
    stamp = {int(r["brinch.seq"]): int(r["brinch.ts"]) for r in rows
             if r["brinch.type"] == "1" and r["brinch.src_node"] == "0"}
    assert sorted(stamp) == list(range(1, len(stamp) + 1)), sorted(stamp)
    ts = [stamp[k] for k in sorted(stamp)]
    assert ts == sorted(ts), ts
    # The full decode has no malformed packets.
    full = subprocess.run(["tshark", "-X", "lua_script:" + DISSECTOR, "-r", a.pcap, "-V",
                           "-Y", "brinch"], capture_output=True, text=True, timeout=120)
    assert "Malformed" not in full.stdout and "Expert Info (Error" not in full.stdout
    assert "brinch remote mailbox" in full.stdout and "Operation: CALL (4)" in full.stdout
