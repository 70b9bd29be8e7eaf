# test_rmbox_fuzz.py: the remote mailboxes' service (kernel/dist/rmbox.c)
# against a forged peer (docs/testing.md, "Fuzzing what listens on the
# network").  `rmfuzz 9 COUNT SEED` on node 0 hands its service COUNT random
# and mutated requests, answers and forwarded replies as if node 9 (which
# does not exist) had sent them, through the kmsg_inject() test door.  Then
# node 0 must still serve a real peer's remote mailbox calls, every forged
# request must have been counted (as a request or as bad), and once the
# message layer has given up on node 9 (the answers to it have nowhere to
# go), node 0's free frames and kernel heap must be back where they were.
# RMFUZZ_COUNT (default 10,000; `make fuzz` runs 100,000).  Part of `make
# integration`.

import os
import re
import time

import pytest

from brinchnet import need
from brinchvm import scale
from conftest import booted_cluster

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

COUNT = int(os.environ.get("RMFUZZ_COUNT", "10000"))
SEED = int(os.environ.get("RMFUZZ_SEED", "4242"))
MEM_RE = re.compile(r"frames: \d+ total, (\d+) free.*\nheap: (\d+) bytes in use", re.S)


@pytest.fixture
def pair(request):
    yield from booted_cluster(request, 2, "rmbox_fuzz")


def memory(node):
    out = node.run("free")
    m = MEM_RE.search(out)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_forged_peer_is_refused_counted_and_leaves_nothing(pair):
    a, b = pair[0], pair[1]
    assert ": ok" in b.run("kmsg echo 0 100 1", timeout=60)
    before = memory(a)
    out = a.run("rmfuzz 9 %d %d" % (COUNT, SEED), timeout=600)
    m = re.search(r"rmfuzz: (\d+) messages as node 9, seed \d+: (\d+) requests, (\d+) bad, "
                  r"(\d+) refused, (\d+) stale answers, (\d+) not taken", out)
    assert m, out
    sent, requests, bad, refused, stale, not_taken = map(int, m.groups())
    assert sent == COUNT and not_taken == 0, out
    # Every message was looked at: a request, a malformed one, or an
    # answer nobody asked for.
    assert requests > COUNT // 2 and bad > 0 and stale > 0, out
    # Still serving a real peer, both ways.
    servers = {}
    for node, name, peer, text in ((b, "C", a, "x"), (a, "D", b, "y")):
        node.sendline("rmbox serve %s u -q &" % name)
        servers[node] = int(node.expect(re.compile(r"\[(\d+)\]")).group(1))
        node.expect("serving " + name)
        node.sync()
        out = peer.run("rmbox call %s@%d %s" % (name, node.number, text), timeout=60)
        assert "'re: %s'" % text in out, out
    # Node 9 never answers: the message layer gives up on it and what
    # waited for it goes.  The servers are stopped first.
    for node, pid in servers.items():
        node.run("kill %d" % pid)
    deadline = time.monotonic() + 60 * scale()
    while (now := memory(a)) != before and time.monotonic() < deadline:
        time.sleep(1)
    assert now == before, "node 0: frames free and heap %s before, %s after" % (before, now)
