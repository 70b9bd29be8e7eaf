# test_net_cluster.py: the launcher behind `make cluster` / `make
# cluster-stop` (tools/cluster.py): daemonized switch and nodes, consoles on
# unix sockets with log files, pcaps, and a clean stop.  Runs it in a private
# directory, without tmux.  Traffic stays in unix sockets.

import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

from brinchvm import ROOT, scale
from brinchnet import default_workdir, need

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

CLUSTER = [sys.executable, os.path.join(ROOT, "tools", "cluster.py")]


def console_run(path, line, want, timeout=30):
    """Type line on a node's console socket; return the output up to want."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(0.5)
    s.sendall(line.encode() + b"\r")
    out = b""
    deadline = time.monotonic() + timeout * scale()
    while time.monotonic() < deadline and not re.search(want, out.decode("latin-1")):
        try:
            data = s.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        out += data
    s.close()
    return out.decode("latin-1")


def test_make_cluster_and_cluster_stop():
    d = default_workdir("cluster")
    cmd = CLUSTER + ["--dir", d]
    try:
        res = subprocess.run(cmd + ["start", "-n", "2", "--no-tmux"], capture_output=True,
                             text=True, timeout=60)
        assert res.returncode == 0, res.stdout + res.stderr
        assert "node 1  10.0.0.2" in res.stdout, res.stdout
        status = subprocess.run(cmd + ["status"], capture_output=True, text=True).stdout
        assert re.search(r"node 0: pid \d+", status) and re.search(r"switch: pid \d+", status), status
        # Starting twice is refused rather than doubling the cluster.
        again = subprocess.run(cmd + ["start", "-n", "2", "--no-tmux"], capture_output=True,
                               text=True, timeout=60)
        assert again.returncode != 0 and "already running" in again.stderr, again.stderr
        # Wait for node 0's shell (its log fills even with no one attached).
        log = os.path.join(d, "node0.log")
        for _ in range(int(300 * scale())):
            if os.path.exists(log) and "$ " in open(log, encoding="latin-1").read():
                break
            time.sleep(0.1)
        out = console_run(os.path.join(d, "node0.console"), "ping -c 2 -i 100 10.0.0.2",
                          r"\d+% packet loss")
        assert "2 packets transmitted, 2 received, 0% packet loss" in out, out
        # The console log has it too (QEMU may still be writing it).
        for _ in range(int(50 * scale())):
            if "packet loss" in open(log, encoding="latin-1").read():
                break
            time.sleep(0.1)
        assert "packet loss" in open(log, encoding="latin-1").read()
    finally:
        res = subprocess.run(cmd + ["stop"], capture_output=True, text=True, timeout=60)
    assert "stopped switch" in res.stdout, res.stdout + res.stderr
    status = subprocess.run(cmd + ["status"], capture_output=True, text=True).stdout
    assert "pid" not in status, status
    assert os.path.getsize(os.path.join(d, "node0.pcap")) > 100
    assert not os.path.exists(os.path.join(d, "node0.console"))
    shutil.rmtree(d, ignore_errors=True)
