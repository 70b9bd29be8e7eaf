# test_rpc_fuzz.py: random and mutated ONC RPC messages at the portmapper
# and rpcd (docs/rpc.md, docs/testing.md "Fuzzing").  Node 0 runs
# `rpcfuzz 1 COUNT SEED`: calls to every program node 1's portmapper
# lists, over UDP and TCP, made wrong (cut short, lengthened, fields at
# edge values, bytes flipped, other programs and versions, lying
# credentials, replies instead of calls, random bytes; over TCP lying
# record marks, missing last fragments, connections closed mid-record).
# A correct GETPORT must be answered every 200 messages and at the end;
# afterwards both servers still serve (vecmul through rpcd, rpcinfo
# through the portmapper), neither server's memory grew, and node 1's
# free frames and kernel heap are back where they were.  RPCFUZZ_COUNT
# (make fuzz: 100,000) and RPCFUZZ_SEED pick other runs.  Part of
# `make integration`.

import os
import re
import time

import pytest

from brinchvm import scale
from brinchnet import need
from conftest import booted_cluster
from test_rpc import all_rpcd
from test_rpc_faults import mem_of, node_memory

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

COUNT = int(os.environ.get("RPCFUZZ_COUNT", "2000"))
SEED = int(os.environ.get("RPCFUZZ_SEED", "5531"))


@pytest.fixture
def pair(request):
    yield from booted_cluster(request, 2, "rpcfuzz", ready=all_rpcd)


def test_rpc_fuzz(pair):
    n0, n1 = pair[0], pair[1]
    assert n0.run("vecmul 1 2 1 2 3", timeout=20) == "vecmul: 2 4 6"   # ARP, caches
    before = node_memory(n1)
    servers = (mem_of(n1, "rpcd"), mem_of(n1, "portmap"))
    out = n0.run("rpcfuzz 1 %d %d" % (COUNT, SEED), timeout=60 + COUNT // 50)
    m = re.search(r"rpcfuzz: (\d+) messages \((\d+) udp, (\d+) tcp\), seed (\d+), "
                  r"correct calls answered (\d+) of (\d+)", out)
    assert m, "seed %d:\n%s" % (SEED, out[-2000:])
    n, udp, tcp, _, answered, checks = (int(g) for g in m.groups())
    assert n == COUNT and udp > 0 and tcp > 0, out[-2000:]
    assert answered == checks > 0 and "FAILED" not in out, "seed %d:\n%s" % (SEED, out[-2000:])
    # Both still serve, and not from memory they grew.
    assert n0.run("vecmul 1 2 1 2 3", timeout=20) == "vecmul: 2 4 6"
    assert re.search(r"100000\s+2\s+tcp\s+111", n0.run("rpcinfo -p 1", timeout=20))
    assert (mem_of(n1, "rpcd"), mem_of(n1, "portmap")) == servers
    # TCP connections in TIME_WAIT (2 s) and queued datagrams are kernel
    # memory for a moment: wait for them, no longer.
    deadline = time.monotonic() + 20 * scale()
    while node_memory(n1) != before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert node_memory(n1) == before, "seed %d: %s before, %s after" % (
        SEED, before, node_memory(n1))
