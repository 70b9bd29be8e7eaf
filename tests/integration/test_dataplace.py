# test_dataplace.py: where the data and the work meet, on real nodes joined
# by a vde_switch (docs/migration.md, "Using it"):
#  - ps -c lists every node's processes, each table made on its node, a
#    migrated process in its new node's table as "from HOME:PID"
# Traffic stays in unix sockets.  Part of `make integration`.

import re

import pytest

from brinchnet import need
from conftest import booted_cluster

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")


@pytest.fixture
def trio(request):
    yield from booted_cluster(request, 3, "dataplace_trio")


def test_ps_cluster_shows_a_migrated_process(trio):
    """Nothing is typed on node 0 while the oracle may print there: its
    banner and its "moved" line are waited for first."""
    n0 = trio[0]
    n0.sendline("migtest oracle 16 &")
    n0.wait_prompt()
    pid = int(n0.expect(re.compile(r"oracle: 16 pages, 16 hot, pid (\d+) on node 0"),
                        timeout=30).group(1))
    n0.sync()
    n0.sendline("migrate %d 2" % pid)
    n0.expect(re.compile(r"oracle: moved to node 2: \d+ pages ok"), timeout=60)
    n0.sync()
    out = n0.run("ps -c", timeout=60)
    heads = re.findall(r"^node (\d+):", out, re.M)
    assert heads == ["0", "1", "2", "3"], out
    tables = re.split(r"^node \d+:.*$", out, flags=re.M)[1:]
    assert re.search(r"migtest\s+moved to node 2$", tables[0], re.M), out
    assert re.search(r"\binit\b", tables[1]) and "migtest" not in tables[1], out
    assert re.search(r"migtest .*from 0:%d$" % pid, tables[2], re.M), out
    assert re.search(r"\bps\b.*from 0:\d+$", tables[2], re.M), out
    assert re.search(r"^node 3: no answer \(.*\): taken as the end of the cluster$",
                     out, re.M), out
    n0.run("kill %d" % pid)
