# test_lab_rpc.py: the grader of the rpc lab (docs/labs/rpc.md): the server
# procedures of kv.x's key-value store, in rpcd (user/bin/rpcd/kv.c), called
# from another node with `kv`: answers, application errors (not found,
# full) and bad arguments (GARBAGE_ARGS).  Points per test: @points.
# Run with `make grade LAB=rpc`.
#
# Two nodes serve the whole module: node 1's rpcd holds the store, node 0
# calls it.  Each test uses keys of its own; the last restarts rpcd for an
# empty store.

import os
import re
import sys
import time

import pytest

from conftest import NODES
from labutil import ROOT, header_define, lab_cluster

sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import scale  # noqa: E402


def kv_define(name):
    """A constant of rpc/kv.x, from the header rpcgen made of it."""
    return header_define("build/rpc/kv.h", name)


GARBAGE = "RPC: server cannot decode arguments"


def registered(node, prog="kv"):
    """True once the node's portmapper maps prog."""
    out = node.run("rpcinfo -p", timeout=20)
    return any(line.split()[-1:] == [prog] for line in out.splitlines())


def wait_registered(node, timeout=30):
    deadline = time.monotonic() + timeout * scale()
    while not registered(node):
        assert time.monotonic() < deadline, "rpcd did not register kv within %d s" % timeout
        time.sleep(0.3)


@pytest.fixture(scope="module")
def pair(request):
    """Nodes 0 and 1 on one switch, booted once, with node 1's rpcd
    registered.  Serial logs are copied to build/test-logs/labs/."""
    yield from lab_cluster(request, 2, "lab-rpc", ready=lambda c: wait_registered(c[1]))


@pytest.fixture
def c(request, pair):
    request.node.stash.setdefault(NODES, []).extend(pair.nodes.values())
    return pair


def kv(node, *words, server=1, timeout=30):
    """Run `kv SERVER words...` on node; its answers, one per operation,
    as a list of the text after "kv: OP KEY: "."""
    quoted = " ".join('"%s"' % w if (not w or " " in w) else w for w in words)
    out = node.run("kv %s %s" % (server, quoted), timeout=timeout)
    answers = re.findall(r"^kv: (?:put|get|del) [^:\n]*: (.*)$", out, re.M)
    ops = sum(1 for w in words if w in ("put", "get", "del"))
    assert len(answers) >= ops, "kv printed %d answers for %d operations:\n%s" % (
        len(answers), ops, out)
    return answers


def expect(node, words, want, why):
    got = kv(node, *words)
    assert got == want, "%s\n  kv %s\n  expected: %s\n  got:      %s" % (
        why, " ".join(repr(w) if (not w or " " in w) else w for w in words), want, got)


@pytest.mark.points(25)
def test_put_then_get(c):
    """What is put comes back, each key its own value (copied, not kept by
    pointer into the arguments); a put replaces; an empty value and the
    longest value are values like any other."""
    expect(c[0], ["put", "apple", "red", "put", "pear", "green", "get", "apple", "get", "pear"],
           ["ok", "ok", '"red"', '"green"'], "two keys put, then read back")
    expect(c[0], ["put", "apple", "yellow", "get", "apple", "get", "pear"],
           ["ok", '"yellow"', '"green"'], "a put of a key that exists replaces its value")
    longest = "".join(chr(ord("a") + i % 26) for i in range(kv_define("KV_VALUE_MAX")))
    expect(c[0], ["put", "plum", "", "put", "fig", longest, "get", "plum", "get", "fig"],
           ["ok", "ok", '""', '"%s"' % longest],
           "an empty value, and one of KV_VALUE_MAX bytes")


@pytest.mark.points(20)
def test_missing_and_delete(c):
    """A key never put, or deleted, is not found by get or del; a deleted
    key can be put again."""
    expect(c[0], ["get", "nothing", "del", "nothing"], ["not found", "not found"],
           "a key that was never put")
    expect(c[0], ["put", "kiwi", "brown", "del", "kiwi", "get", "kiwi", "del", "kiwi"],
           ["ok", "ok", "not found", "not found"], "put, delete, then look for it")
    expect(c[0], ["put", "kiwi", "green", "get", "kiwi"], ["ok", '"green"'],
           "a deleted key put again")


@pytest.mark.points(20)
def test_bad_arguments(c):
    """An empty key, or one with a space, is a bad argument: the call fails
    with GARBAGE_ARGS and the store does not change; a key of KV_KEY_MAX
    printable characters is fine."""
    expect(c[0], ["put", "lime", "sour"], ["ok"], "a plain put")
    for op in (["put", "", "x"], ["get", ""], ["del", ""]):
        expect(c[0], op, [GARBAGE], "an empty key is a bad argument")
    for op in (["put", "lime juice", "x"], ["get", "lime juice"], ["del", "lime juice"]):
        expect(c[0], op, [GARBAGE], "a key with a space is a bad argument")
    expect(c[0], ["get", "lime"], ['"sour"'], "the store after the bad calls")
    longest = "K" * kv_define("KV_KEY_MAX")
    expect(c[0], ["put", longest, "long", "get", longest, "del", longest],
           ["ok", '"long"', "ok"], "a key of KV_KEY_MAX characters")


def rpcd_pids(node):
    """The pids of node's live rpcd processes, from `ps`."""
    lines = node.run("ps").splitlines()
    header = next(line.split() for line in lines if line.split()[:1] == ["PID"])
    name, state = header.index("NAME"), header.index("STATE")
    return [int(w[0]) for w in (line.split() for line in lines)
            if len(w) > name and w[0].isdigit() and w[name] == "rpcd" and w[state] != "ZOMBIE"]


def restart_rpcd(node):
    """Stop node's rpcd and start another (an empty store)."""
    pids = rpcd_pids(node)
    assert pids, "no rpcd running on node 1"
    node.run("kill %d" % pids[0])
    deadline = time.monotonic() + 20 * scale()
    while rpcd_pids(node):
        assert time.monotonic() < deadline, "rpcd still alive after kill"
        time.sleep(0.2)
    node.run("rpcd &")
    wait_registered(node)


@pytest.mark.points(35)
def test_full_store_and_two_clients(c):
    """A fresh store takes KV_SLOTS keys; one more new key is refused
    (full) while replacing one still works; after a delete there is room
    again.  Node 1's own calls see what node 0 stored."""
    restart_rpcd(c[1])
    slots = kv_define("KV_SLOTS")
    keys = ["k%02d" % i for i in range(slots)]
    for first in range(0, slots, 8):
        words = []
        for k in keys[first:first + 8]:
            words += ["put", k, "v" + k]
        expect(c[0], words, ["ok"] * len(keys[first:first + 8]),
               "keys %d to %d of an empty store of %d" % (first, first + 7, slots))
    expect(c[0], ["put", "extra", "x", "get", "extra"], ["full", "not found"],
           "a new key when %d are stored" % slots)
    expect(c[0], ["put", "k03", "again", "get", "k03"], ["ok", '"again"'],
           "replacing a key of a full store")
    expect(c[1], ["get", "k07", "del", "k05"], ['"vk07"', "ok"],
           "node 1 calls its own rpcd: the same store")
    expect(c[0], ["get", "k05", "put", "extra", "x", "get", "extra", "put", "more", "y"],
           ["not found", "ok", '"x"', "full"], "after node 1 deleted a key: room for one")
    words = []
    for k in keys:
        words += ["get", k]
    want = ['"again"' if k == "k03" else "not found" if k == "k05" else '"v%s"' % k
            for k in keys]
    expect(c[0], words[:24], want[:12], "every key's value")
    expect(c[0], words[24:], want[12:], "every key's value")
