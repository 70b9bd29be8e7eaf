# test_migrate_mbox.py: messages to a process that moves (docs/migration.md,
# "Messages during a move").  A receiver owns a small mailbox (or uses its
# port); senders on its home node and on a third node send numbered
# messages while it moves 0 -> 1 -> 2 -> 0 (every strategy once); it checks
# that each sender's messages arrive exactly once and in order.  Its own
# mailbox id keeps working wherever it runs, a name opened before the move
# still reaches it, and senders learn where it went (the home's stub sees
# only their first message after each move).  Frames come back on every
# node.  Traffic stays in unix sockets.  Part of `make integration`.

import re

import pytest

from brinchnet import need
from conftest import booted_cluster
from test_migrate import assert_frames_back, baseline, expect_since, start

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

VERDICT = r"mqtest: (\d+) messages from (\d+) senders, each in order, none lost or repeated"
FAIL = r"mqtest: FAIL[^\n]*"


@pytest.fixture
def trio(request):
    yield from booted_cluster(request, 3, "migrate_mbox")


@pytest.fixture
def lossy_trio(request):
    yield from booted_cluster(request, 3, "migrate_mbox_loss", loss=10)


def move(node, pid, to, how, tries=40):
    """migrate, again while it is refused for serving a call (a receiver
    that answers calls is, between taking one and replying)."""
    for _ in range(tries):
        out = node.run("migrate %s %d %s" % (pid, to, how), timeout=120)
        if not re.search(r"(?i)call", out):
            break
    assert re.search(r"-> node %d: " % to, out), out


def run_round(c, recv, senders, count, pace=40):
    """Start the receiver `recv` on node 0, then each (node, verb,
    target) sender, all sending count numbered messages; move the
    receiver 0 -> 1 -> 2 -> 0 meanwhile (every strategy once).  Each
    sender's messages must arrive once each and in order.  One more
    sender, Z, starts on node 0 only after the last move (by the first
    node-0 sender's target), so the receiver cannot be done before the
    moves are, however slowly they go (a loaded host, a lossy link)."""
    before = baseline(c)
    n0 = c[0]
    gate = next(target for k, _, target in senders if k == 0)
    pid = int(start(n0, recv % (count, len(senders) + 1),
                    r"mqtest: ready pid (\d+) mbox -?\d+").group(1))
    # Each sender's last line may come while a move is typed on its node,
    # and be read past: look for it from here.
    marks = {k: c[k].pos for k in c.nodes}
    mark = marks[0]
    tags = "ABCDEFGH"
    for i, (k, verb, target) in sorted(enumerate(senders), key=lambda s: -s[1][0]):
        c[k].sendline("mqtest %s %s %s %d %d &" % (verb, target(pid), tags[i], count, pace))
        c[k].wait_prompt()
    move(n0, pid, 1, "precopy")
    move(c[1], "0:%d" % pid, 2, "stop")
    move(c[2], "0:%d" % pid, 0, "lazy")
    n0.sendline("mqtest send %s Z %d 0 &" % (gate(pid), count))
    n0.wait_prompt()
    m = expect_since(n0, mark, "(%s|%s)" % (VERDICT, FAIL), timeout=180)
    assert "FAIL" not in m.group(0), m.group(0)
    assert int(m.group(2)) == (len(senders) + 1) * count, m.group(0)
    tags = tags[:len(senders)] + "Z"
    for i, (k, verb, _) in enumerate(senders + [(0, "send", gate)]):
        done = r"mqtest: %s (sent|called) %d" % (tags[i], count)
        expect_since(c[k], marks[k], done, timeout=60)
    for node in c.nodes.values():
        node.sync()
    assert_frames_back(c, before)


def test_mailbox_messages_follow_the_owner(trio):
    """A named mailbox of capacity 4 (its senders block while it is
    full): local senders by name, remote ones by NAME@0."""
    run_round(trio, "mqtest recv mq %d %d 4",
              [(0, "send", lambda pid: "mq"), (2, "send", lambda pid: "mq@0")], 60)
    # Each node it left keeps its old id as a stub (`mbox` lists them):
    # home's leads home again (WHERE), node 1's to node 2, node 2's home.
    for k, to in ((0, 0), (1, 2), (2, 0)):
        out = trio[k].run("mbox")
        assert re.search(r"^\s*\d+ mq\s+- moved to %d:\d+$" % to, out, re.M), out


def test_port_messages_follow_the_process(trio):
    """send(pid): at home by the local pid (its deputy's port passes them
    on), from node 2 by its global pid; and call(pid) from node 1."""
    run_round(trio, "mqtest recv - %d %d",
              [(0, "send", lambda pid: "pid:%d" % pid),
               (2, "send", lambda pid: "pid:0:%d" % pid),
               (1, "call", lambda pid: "pid:0:%d" % pid)], 40)


def test_calls_follow_the_server(trio):
    """Calls to its mailbox from home and from node 2, beside plain
    sends: a request not yet taken when the server moves is made again
    where it went, and every caller gets each answer once."""
    run_round(trio, "mqtest recv mq %d %d 4",
              [(0, "call", lambda pid: "mq"), (2, "call", lambda pid: "mq@0"),
               (1, "send", lambda pid: "mq@0")], 30)


def test_messages_follow_under_loss(lossy_trio):
    """10% of frames lost on every link: retransmission reorders nothing
    a sender sees."""
    run_round(lossy_trio, "mqtest recv mq %d %d 4",
              [(0, "send", lambda pid: "mq"), (2, "send", lambda pid: "mq@0")], 30)


def test_mailbox_name_clash_refuses_and_the_process_stays(trio):
    """A target with a mailbox of the same name of its own refuses
    (EEXIST): the process goes on at home with its mailbox."""
    c = trio
    start(c[1], "mqtest recv mq 1 1", r"mqtest: ready pid \d+ mbox \d+")
    pid = int(start(c[0], "mqtest recv mq 3 1", r"mqtest: ready pid (\d+) mbox \d+").group(1))
    mark = c[0].pos
    out = c[0].run("migrate %d 1" % pid, timeout=60)
    assert re.search(r"(?i)exists", out), out
    c[0].run("mqtest send mq A 3")
    m = expect_since(c[0], mark, "(%s|%s)" % (VERDICT, FAIL), timeout=30)
    assert "FAIL" not in m.group(0) and int(m.group(2)) == 3, m.group(0)
    c[1].run("mqtest send mq Z 1")
