# test_programs.py: the user programs in /bin behave as documented (ls, cat,
# ps, kill, uptime, free), checked against the files and numbers they report.
# Part of `make integration`; fixtures in conftest.py.

import os
import re

from brinchvm import ROOT
from guest import STATES, find_rows, free_frames, ps_rows


def test_ls_bin(node):
    names = {w.rstrip("*/@") for w in node.run("ls /bin").split()}
    assert {"sh", "cat", "ls"} <= names, names
    # Every program built into the initrd is listed.
    built = set(os.listdir(os.path.join(ROOT, "build", "bin")))
    progs = {n for n in built if "." not in n}
    assert progs <= names, "missing from ls /bin: %s" % sorted(progs - names)


def test_cat_motd(node):
    path = os.path.join(ROOT, "user", "files", "motd")
    assert os.path.isfile(path), "user/files/motd is missing"
    with open(path, encoding="latin-1") as f:
        want = f.read()
    assert want.strip(), "user/files/motd is empty"
    assert node.run("cat /etc/motd").rstrip("\n") == want.rstrip("\n")


def test_cat_missing_file(node):
    out = node.run("cat /etc/no-such-file")
    assert out, "cat of a missing file printed no error"
    assert node.run("echo $?") != "0"


def test_ps(node):
    header, rows = ps_rows(node)
    init = [r for r in rows if r["pid"] == 1]
    assert init and "init" in init[0]["words"], "no row for init with pid 1:\n%s" % header
    shells = find_rows(rows, "sh")
    assert shells, "no row for sh"
    for r in init + shells:
        assert r["state"], "no state (%s) in row %r" % ("/".join(STATES), r["line"])
    # init is blocked waiting for the shell, and the shell waiting for ps.
    assert init[0]["state"].upper() == "WAITING", init[0]["line"]
    assert shells[0]["state"].upper() == "WAITING", shells[0]["line"]


def test_kill_background_sleep(node):
    out = node.run("sleep 100 &")
    assert re.search(r"\[\d+\]", out), out
    _, rows = ps_rows(node)
    sleeps = find_rows(rows, "sleep")
    assert len(sleeps) == 1, "expected one sleep in ps, got %r" % [r["line"] for r in sleeps]
    pid = sleeps[0]["pid"]
    node.run("kill %d" % pid)
    # The shell reaps the dead job at its next prompt or so; allow a few.
    for _ in range(10):
        _, rows = ps_rows(node)
        if not any(r["pid"] == pid for r in rows):
            break
    else:
        raise AssertionError("pid %d still in ps after kill" % pid)
    assert node.run("echo alive") == "alive"


def test_uptime_advances(node):
    first = re.search(r"up ([0-9.]+) s", node.run("uptime"))
    assert first, "uptime printed no 'up N s'"
    node.run("sleep 1", timeout=30)
    second = re.search(r"up ([0-9.]+) s", node.run("uptime"))
    assert second
    # At least the second slept must show (guest time follows host time).
    assert float(second.group(1)) - float(first.group(1)) >= 1.0, (first.group(0), second.group(0))


def test_free(node):
    total, free = free_frames(node)
    # 128 MB of RAM in 4 KiB frames is 32768; the kernel keeps some.
    assert 16384 < total <= 32768, total
    assert 0 < free < total


def test_free_follows_ram_size(make_node):
    small = make_node(mem="64M")
    total, _ = free_frames(small)
    assert 8192 < total <= 16384, total
