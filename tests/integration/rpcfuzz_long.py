# rpcfuzz_long.py: random and mutated ONC RPC messages at the portmapper
# and rpcd (docs/rpc.md, docs/testing.md "Fuzzing"), at full length:
# `make fuzz` runs this file by name (it is not test_*.py, so `make test`
# does not collect it); test_rpc_faults.py runs run_rpcfuzz() short on its
# own cluster.  The node runs `rpcfuzz TARGET COUNT SEED`: calls to every
# program the target's portmapper lists, over UDP and TCP, made wrong
# (cut short, lengthened, fields at edge values, bytes flipped, other
# programs and versions, lying credentials, replies instead of calls,
# random bytes; over TCP lying record marks, missing last fragments,
# connections closed mid-record).  A correct GETPORT must be answered
# every 200 messages and at the end; afterwards both servers still serve
# (vecmul through rpcd, rpcinfo through the portmapper), neither server's
# memory grew, and the target's free frames and kernel heap are back.
# RPCFUZZ_COUNT (100,000) and RPCFUZZ_SEED pick other runs.

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

COUNT = int(os.environ.get("RPCFUZZ_COUNT", "100000"))
SEED = int(os.environ.get("RPCFUZZ_SEED", "5531"))


def run_rpcfuzz(client, target, target_node, count, seed):
    """rpcfuzz from client at target (node number target_node); asserts
    all of the above.  Returns rpcfuzz's summary line."""
    assert client.run("vecmul %d 2 1 2 3" % target_node, timeout=20) == "vecmul: 2 4 6"
    before = node_memory(target)
    servers = (mem_of(target, "rpcd"), mem_of(target, "portmap"))
    out = client.run("rpcfuzz %d %d %d" % (target_node, count, seed), timeout=60 + count // 50)
    m = re.search(r"rpcfuzz: (\d+) messages \((\d+) udp, (\d+) tcp\), seed (\d+), "
                  r"correct calls answered (\d+) of (\d+)", out)
    assert m, "seed %d:\n%s" % (seed, out[-2000:])
    n, udp, tcp, _, answered, checks = (int(g) for g in m.groups())
    assert n == count and udp > 0 and tcp > 0, out[-2000:]
    assert answered == checks > 0 and "FAILED" not in out, "seed %d:\n%s" % (seed, out[-2000:])
    # Both still serve, and not from memory they grew.
    assert client.run("vecmul %d 2 1 2 3" % target_node, timeout=20) == "vecmul: 2 4 6"
    assert re.search(r"100000\s+2\s+tcp\s+111",
                     client.run("rpcinfo -p %d" % target_node, timeout=20))
    assert (mem_of(target, "rpcd"), mem_of(target, "portmap")) == servers
    # TCP connections in TIME_WAIT (2 s) and queued datagrams are kernel
    # memory for a moment: wait for them, no longer.
    deadline = time.monotonic() + 20 * scale()
    while node_memory(target) != before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert node_memory(target) == before, "seed %d: %s before, %s after" % (
        seed, before, node_memory(target))
    return m.group(0)


@pytest.fixture
def pair(request):
    yield from booted_cluster(request, 2, "rpcfuzz", ready=all_rpcd)


def test_rpc_fuzz_long(pair):
    print(run_rpcfuzz(pair[0], pair[1], 1, COUNT, SEED))
