# test_rpc_faults.py: RPC when the network and the nodes misbehave
# (docs/rpc.md): 1,000 counter increments through a wirefilter that loses,
# duplicates and reorders; a node killed in the middle of a call; and a
# flood of malformed datagrams at the portmapper and rpcd.  Traffic stays
# in unix sockets.

import os
import random
import re
import sys
import time

import pytest

from brinchvm import ROOT, scale
from brinchnet import Wirefilter, counters, need
from conftest import NODES, booted_cluster, memory
from guest import find_rows, ps_rows
from test_rpc import all_rpcd, server_stats, wait_rpcd

sys.path.insert(0, os.path.join(ROOT, "tools", "rpc"))
import onc  # noqa: E402

pytestmark = pytest.mark.skipif(bool(need("vde_switch", "wirefilter")),
                                reason="vde_switch/wirefilter (Debian package vde2) not installed")

SUMMARY = re.compile(r"rpccount: (\d+) calls, (\d+) ok, (\d+) failed, counter (\d+), "
                     r"retransmits (\d+)")


def started(request, cluster):
    request.node.stash.setdefault(NODES, []).extend(cluster.nodes.values())
    return cluster


def check_counts(out, calls):
    """Every failure is a plain timeout; each call added at most once."""
    m = SUMMARY.search(out)
    assert m, out
    n, ok, failed, counter, _ = (int(x) for x in m.groups())
    assert n == calls and ok + failed == calls, out
    errors = [l for l in out.splitlines() if re.match(r"rpccount: call \d+: RPC", l)]
    assert len(errors) == failed, out
    assert all(l.endswith("RPC: timed out (no reply)") for l in errors), errors
    # A call that timed out may or may not have run (its reply may be the
    # datagram that was lost), but never twice: ok <= counter <= ok + failed.
    assert ok <= counter <= ok + failed, out
    return ok, failed, counter


@pytest.fixture
def rewired(request):
    """Two nodes joined by a wirefilter (loss 0 for now), rpcd up on both."""
    yield from booted_cluster(request, 2, "test_rpc_loss", ready=all_rpcd, loss=0)


def test_lossy_duplicating_reordering_wire(rewired):
    """10% loss each way, 10% duplicated, delays that reorder: 1,000 INCRs
    end with the counter equal to the successes."""
    c = rewired
    # Swap the clean cable for a bad one between the same switches.
    c.wire.stop()
    w = Wirefilter(c.switches[1], c.switches[0], 10,
                   os.path.join(c.workdir, "wirefilter.log"))
    w.argv += ["-D", "10", "-d", "3+3", "-N"]
    c.wire = w.start()
    t0 = time.monotonic()
    out = c[0].run("rpccount -q -n 1000 -t 10000 -r 40 1", timeout=600)
    took = time.monotonic() - t0
    ok, failed, counter = check_counts(out, 1000)
    assert failed == 0 and counter == ok == 1000, out
    retransmits = int(SUMMARY.search(out).group(5))
    assert retransmits > 50, "the wire lost nothing? " + out
    stats = server_stats(c[1])
    # Retransmitted and duplicated calls were answered from the cache.
    assert stats["dup_replayed"] + stats["dup_dropped"] > 20, stats
    print("1000 calls in %.1f s: %s; server %r" % (took, out.splitlines()[-1], stats))
    # With a timeout too short to outlast the loss, calls fail, each
    # with a clear error, and still none runs twice.
    out = c[0].run("rpccount -n 300 -t 30 -r 30 1", timeout=300)
    ok, failed, counter = check_counts(out, 300)
    assert failed > 0, "no call failed with a 30 ms timeout on a lossy wire?\n" + out


@pytest.fixture(scope="module")
def trio(request):
    yield from booted_cluster(request, 3, "test_rpc_faults", ready=all_rpcd)


def mem_of(node, name):
    header, rows = ps_rows(node)
    col = [h.upper() for h in header.split()].index("MEM")
    return sorted(r["words"][col] for r in find_rows(rows, name))


def garbage(rng, good):
    """One malformed datagram: cut short, grown with junk, a length field
    forged, an unknown message type, or random bytes."""
    kind = rng.randrange(5)
    if kind == 0:
        return good[:rng.randrange(len(good))]
    if kind == 1:
        return good[:28] + bytes(rng.randrange(256) for _ in range(rng.randrange(1200, 1440)))
    if kind == 2:
        at = rng.choice((28, 36, 40))
        return good[:at] + onc.u32(rng.choice((0x7FFFFFFF, 0xFFFFFFFF, 0x1000, 401))) + good[at + 4:]
    if kind == 3:
        return onc.u32(rng.randrange(1 << 32), rng.choice((2, 3, 0x80000000))) + good[8:]
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))


def accounted(st):
    """Every datagram a server read is counted once, by what became of it."""
    return (st["garbled"] + st["denied"] + st["prog_unavail"] + st["prog_mismatch"] +
            st["dup_replayed"] + st["dup_dropped"] + st["calls"])


def node_memory(node):
    """(free frames, kernel heap bytes): conftest's leak check's reading."""
    got = memory(node)
    assert got, "`free` printed no frames and heap lines"
    return got


def test_malformed_flood_is_dropped_counted_and_leaks_nothing(request, trio):
    started(request, trio)
    node = trio[1]
    port = wait_rpcd(node)
    wire = onc.Wire(trio.plug(), node.ip, node.mac)
    # The forged station is known to node (an ARP entry) before the
    # baseline, so that only the flood is measured.
    assert onc.parse_reply(wire.call(port, onc.call(3, onc.VEC_PROG, 1, 1,
                                                    onc.u32(3, 1, 2, 3, 4)), sport=29998))
    mem_node_before = node_memory(node)
    mem_before = (mem_of(node, "rpcd"), mem_of(node, "portmap"))
    drops_before = counters(node)["udp_queue_drops"]
    rpcd_before, pmap_before = server_stats(node), server_stats(node, "portmap")
    rng = random.Random(5531)
    calls = [onc.call(1, onc.VEC_PROG, 1, 1, onc.u32(3, 1, 2, 3, 4)),
             onc.call(2, onc.PMAP_PROG, 2, 3, onc.u32(onc.ECHO_PROG, 1, 17, 0))]
    sent = 2000
    for i in range(sent):
        dport = port if i % 2 == 0 else 111
        wire.send(dport, garbage(rng, calls[i % 2]), sport=30000 + i % 500)
        if i % 50 == 49:
            wire.replies(0, timeout=0.03)   # read (and drop) what came back
    wire.replies(0, timeout=1.0)
    # Still serving, from brinch and from the host.
    out = trio[0].run("vecmul 1 2 1 2 3", timeout=20)
    assert out == "vecmul: 2 4 6", out
    r = onc.parse_reply(wire.call(port, calls[0], sport=29999))
    assert r and r["accept"] == onc.SUCCESS, r
    rpcd_after, pmap_after = server_stats(node), server_stats(node, "portmap")
    received = 0
    for before, after in ((rpcd_before, rpcd_after), (pmap_before, pmap_after)):
        assert after["garbled"] - before["garbled"] > 100, (before, after)
        assert accounted(after) - accounted(before) == \
            after["received"] - before["received"], (before, after)
        received += after["received"] - before["received"]
    # Those the servers did not read were dropped, and counted, by the
    # kernel because their socket's queue was full.
    queue_drops = counters(node)["udp_queue_drops"] - drops_before
    assert received + queue_drops >= sent + 3, (received, queue_drops)
    assert (mem_of(node, "rpcd"), mem_of(node, "portmap")) == mem_before
    # Exactly: datagrams still queued for the servers (and their reply
    # buffers) are kernel memory until read, so wait for that, no more.
    deadline = time.monotonic() + 15 * scale()
    while node_memory(node) != mem_node_before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert node_memory(node) == mem_node_before, (mem_node_before, node_memory(node))


def test_rpc_fuzz_short(request, trio):
    """1,000 mutated calls over UDP and TCP from node 0 at node 1's
    portmapper and rpcd (rpcfuzz_long.py, which `make fuzz` runs with
    100,000): both keep answering, node 1's memory comes back exactly."""
    from rpcfuzz_long import run_rpcfuzz
    started(request, trio)
    run_rpcfuzz(trio[0], trio[1], 1, 1000, int(os.environ.get("RPCFUZZ_SEED", "5531")))


def test_killing_a_node_mid_call(request, trio):
    started(request, trio)
    a = trio[0]
    a.sendline("rpcbench sleep 1 3000 6000")
    # The call is in flight once the server sleeps in it (ps: on "sleep").
    deadline = time.monotonic() + 30 * scale()
    while not any(r["line"].rstrip().endswith("sleep")
                  for r in find_rows(ps_rows(trio[1])[1], "rpcd")):
        assert time.monotonic() < deadline, "rpcd never took the SLEEP call"
    t0 = time.monotonic()
    trio[1].stop()                      # the server's machine is gone
    m = a.expect(re.compile(r"rpcbench: sleep 3000: (.*) after (\d+) ms"), timeout=30)
    assert m.group(1) == "RPC: timed out (no reply)", m.group(0)
    assert 5900 <= int(m.group(2)) <= 7500, m.group(0)
    assert time.monotonic() - t0 < 15
    a.wait_prompt(10)
    # The others keep serving each other.
    out = a.run("rps 2", timeout=20)
    assert out.startswith("node 2 (10.0.0.3)"), out
    out = trio[2].run("vecmul 0 5 1 2", timeout=20)
    assert out == "vecmul: 5 10", out
    out = a.run("rps -t 2000 1", timeout=30)
    assert out == "rps: 1: RPC: portmapper failure (no answer)", out
