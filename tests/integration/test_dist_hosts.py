# test_dist_hosts.py: brinch nodes on two "hosts" (docs/network.md, "Nodes on
# several hosts"): two network namespaces joined only by IP (a veth pair,
# 10.99.0.1 and 10.99.0.2), each with its own switch and nodes started by
# its own brinchnet.Cluster in its own directory (no files shared), the two
# switches joined by vde_plug's UDP link.  Every node pings every other, and
# Ricart-Agrawala runs across all four, checked by tools/dmecheck.py.
# Only in `make test-dist` (BRINCH_DME_LONG=1); part of `make integration`.

import os
import re
import subprocess

import pytest

from brinchnet import Cluster, default_workdir, namespace_problem, need
import dmecheck

LONG = os.environ.get("BRINCH_DME_LONG") == "1"
pytestmark = [
    pytest.mark.skipif(not LONG, reason="long: run by `make test-dist`"),
    pytest.mark.skipif(bool(need("vde_switch", "vde_plug")),
                       reason="vde_switch and vde_plug (vde2, vdeplug) not installed"),
]

PORT_A, PORT_B = 4750, 4751


def sh(*argv):
    subprocess.run(list(argv), check=True, capture_output=True, timeout=30)


@pytest.fixture
def two_hosts(request):
    problem = namespace_problem()
    if problem:
        pytest.skip(problem)
    tag = "h%d" % os.getpid()
    ns = ("brinch-%sa" % tag, "brinch-%sb" % tag)
    ips = ("10.99.0.1", "10.99.0.2")
    clusters = []
    try:
        for name in ns:
            sh("ip", "netns", "add", name)
            sh("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        sh("ip", "link", "add", "v" + tag + "a", "type", "veth", "peer", "name", "v" + tag + "b")
        for end, name, ip in zip("ab", ns, ips):
            sh("ip", "link", "set", "v" + tag + end, "netns", name)
            sh("ip", "netns", "exec", name, "ip", "addr", "add", ip + "/24", "dev", "v" + tag + end)
            sh("ip", "netns", "exec", name, "ip", "link", "set", "v" + tag + end, "up")
        # Host a: nodes 0, 1; host b: nodes 2, 3.  Each knows only the
        # other's address and port.
        for i, (name, link) in enumerate(((ns[0], (PORT_A, ips[1], PORT_B)),
                                          (ns[1], (PORT_B, ips[0], PORT_A)))):
            c = Cluster(2, default_workdir("hosts%d" % i), name="host%d" % i, first=2 * i,
                        link=link, prefix=["ip", "netns", "exec", name])
            clusters.append(c)
            c.start()
        for c in clusters:
            c.boot()
        nodes = {}
        for c in clusters:
            nodes.update(c.nodes)
        yield nodes
    finally:
        for c in clusters:
            c.stop()
        for name in ns:
            subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_four_nodes_on_two_hosts(two_hosts):
    nodes = two_hosts
    for k, node in nodes.items():
        pings = "; ".join("ping -q -c 3 -i 100 %s" % nodes[j].ip for j in nodes if j != k)
        out = node.run(pings, timeout=120)
        # Every pair answers (the first packet may wait for ARP).
        assert len(re.findall(r"3 packets transmitted, [123] received", out)) == 3, out
    starts = {k: len(n.text) for k, n in nodes.items()}
    for node in nodes.values():
        node.sendline("dme ra 5 -n 4")
    outs = []
    for k, node in nodes.items():
        node.expect(re.compile(r"dme: \d+ entries, \d+ messages.*\n"), 300)
        node.wait_prompt(30)
        outs.append(node.text[starts[k]:].replace("\r", ""))
    report, problems = dmecheck.check("ra", 4, outs)
    assert not problems, problems
    assert report["entries"] == 20 and report["per_entry"] == 6.0, report
