# test_net_robust.py: brinch under hostile and lossy networks.
#  - 100,000 truncated, oversized, bad-checksum, bad-header and random frames
#    (tools/netinject.py) go into the switch addressed to node 0: it must stay
#    up, count the drops, keep its heap and buffers, and still answer.
#  - Through vde's wirefilter dropping 20% of frames each way, ping and UDP
#    must report their loss honestly and finish on time.
# Traffic stays in unix sockets.  Part of `make integration`.

import os
import re
import shutil

import pytest

from brinchvm import ROOT
from brinchnet import (Cluster, counters, default_workdir, interface, need, ping_summary,
                       resolve_through_loss, udp_summary)
from netinject import inject
from conftest import NODES

pytestmark = pytest.mark.skipif(bool(need("vde_switch", "vde_plug")),
                                reason="vde_switch/vde_plug (Debian package vde2) not installed")

FRAMES = 100000


def cluster_fixture(request, tag, **kwargs):
    failed_before = request.session.testsfailed
    c = Cluster(2, default_workdir(tag), name=tag, **kwargs)
    c.start()
    try:
        c.boot()
        yield c
    finally:
        c.stop()
        if request.session.testsfailed != failed_before:
            c.collect(os.path.join(ROOT, "build", "test-logs", tag))
        else:
            shutil.rmtree(c.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def hostile(request):
    yield from cluster_fixture(request, "net_inject")


@pytest.fixture(scope="module")
def lossy(request):
    if need("wirefilter"):
        pytest.skip("wirefilter (vde2) not installed")
    yield from cluster_fixture(request, "net_loss", loss=20)


BAD = ("eth_runt", "eth_unknown_type", "arp_bad", "ip_bad_header", "ip_bad_checksum",
       "ip_bad_length", "ip_fragments", "icmp_bad", "udp_bad_length", "udp_bad_checksum")


def test_injected_garbage_is_dropped_and_counted(request, hostile):
    request.node.stash.setdefault(NODES, []).extend(hostile.nodes.values())
    target, peer = hostile[0], hostile[1]
    target.sendline("udpecho &")
    target.expect("listening on port 7", timeout=10)
    heap_before = re.search(r"heap: (\d+) bytes", target.run("free")).group(1)
    rx_before = interface(target)["rx_packets"]

    sent = inject(hostile.plug(), target.mac, target.ip, FRAMES, seed=7)
    assert sum(sent.values()) == FRAMES

    # Still alive and answering, from a real peer...
    out = peer.run("ping -c 3 -i 100 %s" % target.ip, timeout=60)
    assert ping_summary(out) == (3, 3, 0), out
    out = peer.run("udpsend -e -c 3 %s 7" % target.ip, timeout=60)
    assert udp_summary(out) == (3, 3, 0), out
    # ...having seen most of the flood and counted what it threw away.
    iface = interface(target)
    arrived = iface["rx_packets"] - rx_before
    assert arrived >= FRAMES // 2, "only %d of %d frames reached the guest" % (arrived, FRAMES)
    c = counters(target)
    dropped = sum(c[k] for k in BAD)
    assert dropped >= arrived // 2, "only %d drops counted of %d frames: %r" % (dropped, arrived, c)
    for k in ("ip_bad_checksum", "ip_bad_length", "ip_fragments", "udp_bad_checksum",
              "icmp_bad", "arp_bad", "eth_unknown_type"):
        assert c[k] > 0, "no %s counted: %r" % (k, c)
    # Nothing leaked: the heap is as it was, every packet buffer came back.
    assert re.search(r"heap: (\d+) bytes", target.run("free")).group(1) == heap_before
    assert c["pkbuf_exhausted"] == 0, c
    assert "brinch: kernel" not in target.text and "panic" not in target.text


def test_loss_is_reported_honestly(request, lossy):
    request.node.stash.setdefault(NODES, []).extend(lossy.nodes.values())
    a, b = lossy[0], lossy[1]
    b.sendline("udpecho &")
    b.expect("listening on port 7", timeout=10)
    if not resolve_through_loss(a, b):
        pytest.fail("no ping reply in 20 attempts through a 20%-loss link")
    out = a.run("ping -c 30 -i 50 -W 500 %s" % b.ip, timeout=120)
    tx, rx, loss = ping_summary(out)
    assert tx == 30 and loss == (tx - rx) * 100 // tx, out
    replies = len(re.findall(r"bytes from %s: icmp_seq=" % re.escape(b.ip), out))
    assert replies == rx, out
    # 20% each way loses about 36% of round trips; allow wide margins.
    assert 5 <= loss <= 80, out

    out = a.run("udpsend -e -q -c 30 -W 300 %s 7" % b.ip, timeout=120)
    sent, received, loss = udp_summary(out)
    assert sent == 30 and loss == (sent - received) * 100 // sent, out
    assert 5 <= loss <= 80, out
