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
from test_migrate import assert_frames_back, baseline, expect_since, migrate, start

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

VERDICT = r"mqtest: (\d+) messages from (\d+) senders, each in order, none lost or repeated"
FAIL = r"mqtest: FAIL[^\n]*"


@pytest.fixture
def trio(request):
    yield from booted_cluster(request, 3, "migrate_mbox")


def run_round(c, recv_cmd, target_home, target_remote, count):
    """Start the receiver on node 0 and one sender on node 0 and one on
    node 2; move the receiver round the three nodes while they send."""
    before = baseline(c)
    n0, n1, n2 = c[0], c[1], c[2]
    pid = int(start(n0, recv_cmd, r"mqtest: ready pid (\d+) mbox -?\d+").group(1))
    mark = n0.pos
    n2.sendline("mqtest send %s B %d 40 &" % (target_remote(pid), count))
    n2.wait_prompt()
    n0.sendline("mqtest send %s A %d 40 &" % (target_home(pid), count))
    n0.wait_prompt()
    migrate(n0, pid, 1, "precopy")
    migrate(n1, "0:%d" % pid, 2, "stop")
    migrate(n2, "0:%d" % pid, 0, "lazy")
    m = expect_since(n0, mark, "(%s|%s)" % (VERDICT, FAIL), timeout=120)
    assert "FAIL" not in m.group(0), m.group(0)
    assert int(m.group(2)) == 2 * count and int(m.group(3)) == 2, m.group(0)
    expect_since(n0, mark, r"mqtest: A sent %d" % count, timeout=60)
    n2.expect(re.compile(r"mqtest: B sent %d" % count), timeout=60)
    n0.sync()
    n2.sync()
    assert_frames_back(c, before)


def test_mailbox_messages_follow_the_owner(trio):
    """A named mailbox of capacity 4 (its senders block while it is
    full): local senders by name, remote ones by NAME@0."""
    run_round(trio, "mqtest recv mq 60 2 4", lambda pid: "mq", lambda pid: "mq@0", 60)


def test_port_messages_follow_the_process(trio):
    """send(pid): at home by the local pid (its deputy's port passes them
    on), from node 2 by its global pid."""
    run_round(trio, "mqtest recv - 60 2", lambda pid: "pid:%d" % pid,
              lambda pid: "pid:0:%d" % pid, 60)


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
