# test_net_hosts.py: one cluster over two hosts (docs/network.md, "Nodes on
# several hosts").  Two network namespaces the test makes stand for two
# machines, joined only by a veth pair with 10.211.0.1 (host A) and
# 10.211.0.2 (host B).  Each runs its own `tools/cluster.py start` with a
# work directory of its own: A nodes 0-1 with --listen, B nodes 2-3 with
# --join 10.211.0.1:PORT, and the two switches meet over that one TCP
# connection (socat and vde_plug).  Nodes in A then reach nodes in B, and
# back, by ping, `kmsg echo` and remote mailboxes; in `make test-dist` also
# Ricart-Agrawala across all four (docs/dme.md).  Nothing leaves the two
# namespaces; needs root (skipped otherwise, saying why).

import os
import re
import shutil
import subprocess
import sys

import pytest

from brinchvm import ROOT
from brinchnet import default_workdir, namespace_problem, need
from cluster import open_console
import dmecheck

NS_PROBLEM = namespace_problem("veth")
pytestmark = [
    pytest.mark.skipif(NS_PROBLEM is not None, reason="two hosts: %s" % NS_PROBLEM),
    pytest.mark.skipif(bool(need("vde_switch", "vde_plug", "socat")),
                       reason="two hosts: needs vde2 and socat (sh tools/ensure-deps.sh socat)"),
]

CLUSTER = os.path.join(ROOT, "tools", "cluster.py")
PORT = "7777"
HOSTS = {"A": ("10.211.0.1", 0), "B": ("10.211.0.2", 2)}   # address, first node


def in_ns(ns, *argv, timeout=120):
    return subprocess.run(["ip", "netns", "exec", ns] + list(argv), capture_output=True,
                          text=True, timeout=timeout)


def launcher(ns, d, *argv):
    """tools/cluster.py, run inside namespace ns with work directory d."""
    return in_ns(ns, sys.executable, CLUSTER, "--dir", d, *argv)


@pytest.fixture
def two_hosts():
    tag = "hosts-%d" % os.getpid()
    ns = {h: "brinch-%s-%s" % (h, tag) for h in HOSTS}
    dirs = {h: default_workdir("host%s" % h) for h in HOSTS}
    ok = False
    try:
        for h in HOSTS:
            subprocess.run(["ip", "netns", "add", ns[h]], check=True)
            in_ns(ns[h], "ip", "link", "set", "lo", "up")
        subprocess.run(["ip", "netns", "exec", ns["A"], "ip", "link", "add", "veth-a", "type",
                        "veth", "peer", "name", "veth-b", "netns", ns["B"]], check=True)
        for h, dev in (("A", "veth-a"), ("B", "veth-b")):
            in_ns(ns[h], "ip", "addr", "add", HOSTS[h][0] + "/24", "dev", dev)
            in_ns(ns[h], "ip", "link", "set", dev, "up")
        for d in dirs.values():
            shutil.rmtree(d, ignore_errors=True)
        res = launcher(ns["A"], dirs["A"], "start", "-n", "2", "--no-tmux",
                       "--listen", HOSTS["A"][0] + ":" + PORT)
        assert res.returncode == 0, res.stdout + res.stderr
        res = launcher(ns["B"], dirs["B"], "start", "-n", "2", "--first", "2", "--no-tmux",
                       "--join", HOSTS["A"][0] + ":" + PORT)
        assert res.returncode == 0, res.stdout + res.stderr
        assert "joined 10.211.0.1:" + PORT in res.stdout, res.stdout
        yield ns, dirs
        ok = True
    finally:
        for h in HOSTS:
            launcher(ns[h], dirs[h], "stop")
            subprocess.run(["ip", "netns", "del", ns[h]], capture_output=True)
        if ok:
            for d in dirs.values():
                shutil.rmtree(d, ignore_errors=True)


def test_nodes_on_two_hosts_reach_each_other(two_hosts):
    ns, dirs = two_hosts
    # B's switch came to A over the veth, from B's address.
    with open(os.path.join(dirs["A"], "listen.log")) as f:
        assert "accepting connection from AF=2 10.211.0.2:" in f.read()
    # Each host's launcher probes from its own nodes to all four.
    for h in HOSTS:
        res = launcher(ns[h], dirs[h], "pingall", "--nodes", "0-3", "--probe", "ping,kmsg", "-v")
        assert res.returncode == 0, res.stdout + res.stderr
        assert "ping: 6 of 6 pairs answered" in res.stdout, res.stdout
        assert "kmsg: 6 of 6 pairs answered" in res.stdout, res.stdout
    # Remote mailboxes across the hosts, both ways.
    a, b = open_console(dirs["A"], 0), open_console(dirs["B"], 3)
    try:
        b.sendline("rmbox serve S u &")
        b.expect("serving S")
        out = a.run("rmbox send S@3 hello -c 3", timeout=60)
        assert re.findall(r"send \d+: (\S+) \(", out) == ["ok"] * 3, out
        for _ in range(3):
            b.expect("got 5 from 0:")
        b.sync()
        a.sendline("rmbox serve C u &")
        a.expect("serving C")
        a.sync()
        out = b.run("rmbox call C@0 ping -c 2", timeout=60)
        assert re.findall(r"call \d+: ('[^']*'|\S+) \(", out) == ["'re: ping'"] * 2, out
    finally:
        a.stop()
        b.stop()
    # B joins again (as after A's restart): its old connection ends, a new
    # one carries the traffic.
    res = launcher(ns["B"], dirs["B"], "join", HOSTS["A"][0] + ":" + PORT)
    assert "stopped join" in res.stdout and "joined 10.211.0.1:" in res.stdout, \
        res.stdout + res.stderr
    res = launcher(ns["B"], dirs["B"], "pingall", "--nodes", "0-3", "-v")
    assert "ping: 6 of 6 pairs answered" in res.stdout, res.stdout + res.stderr
    with open(os.path.join(dirs["A"], "listen.log")) as f:
        assert f.read().count("accepting connection from AF=2 10.211.0.2:") == 2


@pytest.mark.skipif(os.environ.get("BRINCH_DME_LONG") != "1",
                    reason="long: run by `make test-dist`")
def test_ricart_agrawala_across_two_hosts(two_hosts):
    """The four nodes on the two hosts take turns in one critical section
    (docs/dme.md), checked by tools/dmecheck.py."""
    ns, dirs = two_hosts
    res = launcher(ns["A"], dirs["A"], "pingall", "--nodes", "0-3")   # ARP resolved
    assert res.returncode == 0, res.stdout + res.stderr
    cons = {k: open_console(dirs["A" if k < 2 else "B"], k) for k in range(4)}
    try:
        starts = {k: len(c.text) for k, c in cons.items()}
        for c in cons.values():
            c.sendline("dme ra 5 -n 4")
        outs = []
        for k, c in cons.items():
            c.expect(re.compile(r"dme: \d+ entries, \d+ messages.*\n"), 300)
            c.wait_prompt(30)
            outs.append(c.text[starts[k]:].replace("\r", ""))
        report, problems = dmecheck.check("ra", 4, outs)
        assert not problems, problems
        assert report["entries"] == 20 and report["per_entry"] == 6.0, report
    finally:
        for c in cons.values():
            c.stop()
