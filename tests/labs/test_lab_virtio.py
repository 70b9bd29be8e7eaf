# test_lab_virtio.py: the grader of the virtio lab (docs/labs/virtio.md):
# virtio-net's receive path (drivers/virtio_net.c) takes filled buffers from
# the used ring, hands each frame up, and gives the buffer back.  The host
# plays a station on the node's switch (brinchnet.Plug) and pings it with
# hand-made frames.  Points per test: @points.  Run with `make grade LAB=virtio`.
#
# One node serves the whole module; the tests run in file order, and those
# that can leave a broken receive path stuck (more frames than buffers, a
# burst) come last, so that they cannot cost the earlier tests' points.

import os
import re
import shutil
import struct
import sys
import time

import pytest

from conftest import LOG_DIR, NODES
from labutil import ROOT, number

sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import scale  # noqa: E402
from brinchnet import Cluster, default_workdir, interface, need  # noqa: E402
from netinject import SRC_IP, arp, ether, icmp_echo, ipv4  # noqa: E402

ETH_MIN = 60                    # frames are padded to this, as a NIC pads
IDENT = 0x7AB5                  # our ICMP echo identifier


class Station:
    """netinject's made-up station (10.0.0.66) on the node's switch: sends
    ICMP echo requests and ARP, and answers the node's ARP requests for
    it, so that nothing but the receive path decides what comes back."""

    def __init__(self, plug, node):
        self.plug, self.node = plug, node
        self.ip = bytes(int(x) for x in node.ip.split("."))
        self.mac = bytes.fromhex(node.mac.replace(":", ""))
        self.frames = self.bytes = 0        # what we sent the node

    def send(self, frame, flush=True):
        frame = frame + b"\0" * max(0, ETH_MIN - len(frame))
        self.plug.send(frame)
        self.frames += 1
        self.bytes += len(frame)
        if flush:
            self.plug.flush()

    def echo_request(self, seq, size, flush=True):
        data = bytes((seq + i) & 0xFF for i in range(size))
        self.send(ether(self.mac, 0x0800, ipv4(self.ip, 1, icmp_echo(IDENT, seq, data))), flush)
        return data

    def receive(self, timeout):
        """The node's frames for up to timeout seconds, as ("arp", sender
        MAC) or ("echo", seq, data); the node's ARP requests for us are
        answered on the way."""
        deadline = time.monotonic() + timeout * scale()
        while True:
            frame = self.plug.recv(max(0.0, deadline - time.monotonic()))
            if frame is None:
                return
            kind = frame[12:14]
            if kind == b"\x08\x06" and len(frame) >= 42:
                op, spa, tpa = struct.unpack("!H", frame[20:22])[0], frame[28:32], frame[38:42]
                if op == 1 and tpa == SRC_IP:
                    self.send(ether(frame[6:12], 0x0806, arp(2, spa)[:18] + frame[22:32]))
                elif op == 2 and spa == self.ip:
                    yield ("arp", frame[22:28])
            elif kind == b"\x08\x00" and len(frame) >= 42 and frame[23] == 1:
                ihl = (frame[14] & 15) * 4
                total = struct.unpack("!H", frame[16:18])[0]
                icmp = frame[14 + ihl:14 + total]
                if icmp[0] == 0 and struct.unpack("!H", icmp[4:6])[0] == IDENT:
                    yield ("echo", struct.unpack("!H", icmp[6:8])[0], icmp[8:])
            if time.monotonic() >= deadline:
                return

    def resolve(self):
        """Ask for the node's MAC (it learns ours from the question)."""
        self.send(ether(b"\xff" * 6, 0x0806, arp(1, self.ip)))
        for got in self.receive(2):
            if got[0] == "arp":
                return got[1]
        return None

    def ping(self, seqs, size=56, timeout=3):
        """Echo requests numbered seqs, all sent at once; the numbers whose
        reply came back with the data intact."""
        sent = {seq: self.echo_request(seq, size, flush=False) for seq in seqs}
        self.plug.flush()
        answered = set()
        for got in self.receive(timeout):
            if got[0] == "echo" and sent.get(got[1]) == got[2]:
                answered.add(got[1])
                if len(answered) == len(sent):
                    break
        return answered


@pytest.fixture(scope="module")
def lab_net(request):
    """Node 0 on a switch with the host's station; booted once for the
    module.  Its serial log is copied to build/test-logs/labs/."""
    missing = need("vde_switch", "vde_plug")
    assert not missing, "%s not installed (Debian package vde2; `make deps`)" % missing
    c = Cluster(1, default_workdir("lab-virtio"), name="lab-virtio")
    c.start()
    try:
        c.boot(timeout=60)
        yield c, Station(c.plug(), c[0])
    finally:
        c.stop()
        os.makedirs(LOG_DIR, exist_ok=True)
        if os.path.exists(c[0].log_path):
            shutil.copy(c[0].log_path, os.path.join(LOG_DIR, "lab-virtio-node0.log"))
        shutil.rmtree(c.workdir, ignore_errors=True)


NO_ARP = ("no ARP reply from the node within 2 s: the frames the device put in "
          "the used ring never reached the network stack")


@pytest.fixture
def station(request, lab_net):
    c, st = lab_net
    request.node.stash.setdefault(NODES, []).append(c[0])
    return st


def resolved(station):
    """Each test starts by resolving the node's MAC, which fails it at once
    (rather than at each of its time limits) if nothing is received."""
    assert station.resolve() == station.mac, NO_ARP
    return station.node


def ring_size(node):
    return number(r"rx ring (\d+)", node.run("net"))


@pytest.mark.points(25)
def test_arp_and_ping(station):
    """The node answers an ARP request and echo requests, the smallest
    frame and the largest (1514 bytes) alike: every byte arrives."""
    resolved(station)
    for size in (0, 56, 1472):
        got = station.ping([size], size=size)
        assert got == {size}, (
            "no (or a wrong) echo reply to an echo request with %d bytes of data "
            "(a %d-byte frame)" % (size, max(ETH_MIN, 42 + size)))


@pytest.mark.points(15)
def test_counts_frames_and_bytes(station):
    """`net` counts every frame received once, and its bytes: the frame's,
    without the virtio header."""
    node = resolved(station)
    before, frames, nbytes = interface(node), station.frames, station.bytes
    got = set()
    for seq, size in enumerate((10, 100, 500, 1000, 1472), start=100):
        got |= station.ping([seq], size=size)
    after = interface(node)
    sent, sent_bytes = station.frames - frames, station.bytes - nbytes
    assert len(got) == 5, "only %d of 5 echo requests answered" % len(got)
    assert after["rx_packets"] - before["rx_packets"] == sent, (
        "RX packets went from %d to %d: %d frames were sent to the node"
        % (before["rx_packets"], after["rx_packets"], sent))
    assert after["rx_bytes"] - before["rx_bytes"] == sent_bytes, (
        "RX bytes went up by %d for %d frames of %d bytes in all (a frame's bytes "
        "do not include the %d-byte virtio header)"
        % (after["rx_bytes"] - before["rx_bytes"], sent, sent_bytes, 10))
    assert after["rx_errors"] == before["rx_errors"], "RX errors counted for good frames"


@pytest.mark.points(30)
def test_more_frames_than_buffers(station):
    """Three times as many frames as the receive ring has buffers, 16 at a
    time: every one is answered, so every buffer went back to the device."""
    node = resolved(station)
    slots = ring_size(node)
    total, seq = 3 * slots + 16, 1000
    answered = 0
    while answered < total:
        batch = list(range(seq, seq + 16))
        got = station.ping(batch)
        assert got == set(batch), (
            "after %d answered echo requests (the ring has %d buffers), %d of the "
            "next 16 went unanswered" % (answered, slots, 16 - len(got)))
        answered += 16
        seq += 16


@pytest.mark.points(30)
def test_burst_then_recovers(station):
    """A burst of four times the ring's size at once empties the ring of
    buffers (the device waits for new ones); afterwards the node still
    receives: echo requests sent one batch at a time are all answered."""
    node = resolved(station)
    slots = ring_size(node)
    before = interface(node)
    # Small frames: the burst and its replies fit the pipes to and from
    # vde_plug, which we neither read nor write while the other is full.
    station.ping(range(5000, 5000 + 4 * slots), size=18, timeout=3)
    for attempt in range(3):
        batch = list(range(6000 + 16 * attempt, 6016 + 16 * attempt))
        got = station.ping(batch)
        assert got == set(batch), (
            "after a burst of %d frames, %d of 16 echo requests went unanswered "
            "(batch %d): did the device hear that buffers came back?"
            % (4 * slots, 16 - len(got), attempt + 1))
    after = interface(node)
    assert after["rx_packets"] - before["rx_packets"] >= slots + 48, after
    out = node.run("echo still here")
    assert re.search(r"^still here$", out, re.M), out
