# test_leak_check.py: the leak check of conftest.py (docs/testing.md,
# "Leak check") tested on a real cluster, so that a check that cannot fail
# is not taken for one that passes.  The shared-node check ignores what
# processes hold, kills the servers a test left and then wants the kernel
# back; it fails on kernel memory that no process holds; and a `free` that
# cannot be read says what the console showed.  Part of `make integration`.

import re

import pytest

import conftest
from brinchnet import need
from conftest import booted_cluster, kernel_memory, memory, note_marks, shared_leaks

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")


@pytest.fixture(scope="module")
def pair(request):
    yield from booted_cluster(request, 2, "leak_check")


def tcp_rows(node):
    return [l for l in node.run("net tcp").splitlines() if "ESTABLISHED" in l]


def test_shared_check_kills_the_servers_a_test_left(pair, monkeypatch):
    """A listener and a connection to it: processes whose own memory the
    measure leaves out, but whose connection holds 16 KiB of kernel heap
    on each node.  The check kills what still holds some (they started
    after its mark) and then finds both kernels back: no finding."""
    a, b = pair[0], pair[1]
    note_marks([a, b], fresh=True)
    mark_a, mark_b = a.leak_mark, b.leak_mark
    free_before = memory(b)[0]
    b.sendline("tcp listen 9 &")
    b.expect("tcp: listening on port 9", timeout=10)
    b.sync()
    # The listener's pages, stack and kernel stack are its own: fewer
    # frames free, the kernel's measure unmoved.
    assert memory(b)[0] < free_before
    assert kernel_memory(b)[0] == mark_b[0]
    a.sendline("tcp get %s 9 &" % b.ip)
    a.wait_prompt()
    for node in (a, b):
        for _ in range(50):
            if tcp_rows(node):
                break
        assert tcp_rows(node), node.run("net tcp")
    for node, mark in ((a, mark_a), (b, mark_b)):
        held = kernel_memory(node)[0]
        assert held[1] > mark[0][1], (node.name, mark, held)
    monkeypatch.setattr(conftest, "LEAK_GRACE", 1.5)  # kill after 0.5 s, not 1
    assert shared_leaks([a, b]) == []
    # `tcp get` reads until the echo server closes, which it never does:
    # it is gone because the check killed it.  (Its end closed the
    # connection, so node 1 may be back without a kill: the listener
    # holds no heap.)
    assert not re.search(r"\btcp\b", a.run("ps")), a.run("ps")
    assert kernel_memory(a)[0] == mark_a[0] and kernel_memory(b)[0] == mark_b[0]
    left = conftest.started_since(b, mark_b[1])
    if left:
        b.run("kill %s" % " ".join(map(str, left)))
    a.sync()                            # tcp get's last words, if any


@pytest.mark.leaves_state("the message layer holds its query to node 2 for some 6.5 s: "
                          "the state this test shows the check catching")
def test_shared_check_fails_on_kernel_memory_no_process_holds(pair, monkeypatch):
    """`ps -c` asks every node in turn, node 2 too, which does not exist:
    node 0's message layer retransmits to it until it gives up, holding a
    frame and a little heap that no process accounts for.  The check
    fails, naming the node and both figures, and killing nothing helps."""
    a = pair[0]
    note_marks([a], fresh=True)
    mark = a.leak_mark
    out = a.run("ps -c", timeout=60)
    assert re.search(r"^node 2: no answer", out, re.M), out
    monkeypatch.setattr(conftest, "LEAK_GRACE", 0)
    found = shared_leaks([a])
    assert len(found) == 1, found
    assert found[0].startswith("%s: frames in use outside processes, kernel heap bytes %s at "
                               "the start, (" % (a.name, mark[0])), found


def test_unreadable_free_is_reported_with_the_console(pair, monkeypatch):
    """`cat` in the foreground holds the console (it copies what is typed
    back, so the shell never sees the syncs): no figures, and
    node.memory_trouble shows both tries and what the console said, for
    the report."""
    b = pair[1]
    monkeypatch.setattr(conftest, "FREE_TIMEOUT", 0.3)
    b.sendline("cat")
    assert memory(b) is None
    trouble = b.memory_trouble
    assert "try 1: " in trouble and "try 2: " in trouble, trouble
    assert "timed out" in trouble and "$ cat\n" in trouble, trouble
    assert "could not be read; the console said:" in conftest.unreadable(b)
    b.send_raw("\x04")                  # Ctrl-D: cat reads its end of file
    b.wait_prompt()
    monkeypatch.setattr(conftest, "FREE_TIMEOUT", 10)
    assert memory(b) is not None
