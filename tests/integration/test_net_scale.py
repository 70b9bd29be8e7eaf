# test_net_scale.py: a cluster the size of a class's (docs/network.md, "A
# cluster of 16"): `tools/cluster.py start -n N` (what `make cluster N=16`
# runs), then `cluster.py pingall`, every node probing every other at once,
# by ICMP ping and by the message layer's `kmsg echo`.  N is
# $BRINCH_SCALE_NODES: 5 in `make test`, 16 in `make test-scale`.
# Traffic stays in the switch's unix sockets.

import os
import re
import shutil
import subprocess
import sys

import pytest

from brinchvm import ROOT
from brinchnet import default_workdir, need

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

CLUSTER = [sys.executable, os.path.join(ROOT, "tools", "cluster.py")]
N = int(os.environ.get("BRINCH_SCALE_NODES", "5"))


def read_matrix(text, probe):
    """{(row, column): mark} from pingall's table for probe, and the summary."""
    block = text[text.index(probe + ": a row per sender"):]
    lines = block.splitlines()
    columns = [int(x) for x in lines[1].split()]
    cells = {}
    for line in lines[2:]:
        words = line.split()
        if not words or not words[0].isdigit():
            break
        cells.update(((int(words[0]), c), mark) for c, mark in zip(columns, words[1:]))
    summary = re.search(r"%s: (\d+) of (\d+) pairs answered" % probe, block)
    return cells, (int(summary.group(1)), int(summary.group(2)))


def pingall(cmd, *args):
    return subprocess.run(cmd + ["pingall"] + list(args), capture_output=True, text=True,
                          timeout=600)


def test_all_pairs_answer():
    d = default_workdir("scale")
    cmd = CLUSTER + ["--dir", d]
    try:
        res = subprocess.run(cmd + ["start", "-n", str(N), "--no-tmux"], capture_output=True,
                             text=True, timeout=120)
        assert res.returncode == 0, res.stdout + res.stderr
        # The message layer: every pair of the N nodes, both ways.
        res = pingall(cmd, "--probe", "kmsg", "-v")
        assert res.returncode == 0, res.stdout + res.stderr
        cells, summary = read_matrix(res.stdout, "kmsg")
        assert summary == (N * (N - 1), N * (N - 1)), res.stdout
        assert all(cells[(a, b)] == ("." if a == b else "+")
                   for a in range(N) for b in range(N)), res.stdout
        # ICMP, with one node more than there are: its column must be all
        # "-" (the matrix shows a failure) and pingall must say so.
        res = pingall(cmd, "--probe", "ping", "--nodes", "0-%d" % N)
        assert res.returncode == 1, res.stdout + res.stderr
        cells, summary = read_matrix(res.stdout, "ping")
        assert summary == (N * (N - 1), N * N), res.stdout
        for a in range(N):
            assert cells[(a, N)] == "-", res.stdout
            assert all(cells[(a, b)] == ("." if a == b else "+") for b in range(N)), res.stdout
    finally:
        subprocess.run(cmd + ["stop"], capture_output=True, text=True, timeout=120)
    shutil.rmtree(d, ignore_errors=True)
