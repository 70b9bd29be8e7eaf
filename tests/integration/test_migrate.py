# test_migrate.py: processes moving between kernels (docs/migration.md), on
# real nodes joined by a vde_switch:
#  - a counter goes 0 -> 1 -> 2 -> 0 with each strategy; its output, on its
#    home console, has no gap and no repeat; its pid never changes; the
#    shell that started it reaps it
#  - a memory oracle survives long random chains of moves (going back
#    included), and the oracle can fail: with the TLB flush skipped after
#    clearing dirty bits, a stale page is caught
#  - pre-copy stops by its rules and logs why; its final round is small
#  - a process moves itself (migrate(0, ...))
#  - signals reach a process wherever it is, from any node; what cannot
#    move is refused with the reason; a target that dies mid-transfer
#    leaves the process running, unchanged, at the source
#  - every node's free frames come back to where they were
# Traffic stays in unix sockets.  Part of `make integration`.

import os
import random
import re
import time

import pytest

from brinchvm import scale
from brinchnet import NetNode, need
from conftest import NODES, booted_cluster, resolved
from guest import free_frames

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

MOVED_OK = r"oracle: moved to node %d: \d+ pages ok after step \d+ \(move %d\)"


@pytest.fixture
def trio(request):
    yield from booted_cluster(request, 3, "migrate_trio")


def baseline(c):
    return {i: free_frames(c[i])[1] for i in range(len(c.nodes))}


def assert_frames_back(c, before, timeout=20):
    """Every node's free frames as they were (a staging or a deputy that
    outlived its process would show here).  Polled: a node may still be
    finishing with a message layer buffer."""
    deadline = time.monotonic() + timeout * scale()
    for i, want in before.items():
        while True:
            have = free_frames(c[i])[1]
            if have == want or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert have == want, "node %d: %d frames free before, %d after (%+d)" % (
            i, want, have, have - want)


def start(node, cmd, banner):
    """Start cmd in the background on node; return the match of banner
    (whole: a number at its end is not taken before its last digit has
    arrived)."""
    node.sendline(cmd + " &")
    node.wait_prompt()
    m = node.expect(re.compile(banner + r"(?=\D)"), timeout=30)
    node.sync()
    return m


def wait_reaped(node, pid, status, timeout=30):
    """The shell reports a finished background job at its next prompt:
    prompt until it says pid ended with status (128 + N: signal N)."""
    want = re.compile(r"\[%d\] done, status %d" % (pid, status))
    deadline = time.monotonic() + timeout * scale()
    while not want.search(node.text):
        assert time.monotonic() < deadline, "no '[%d] done, status %d'" % (pid, status)
        node.run("echo")


def global_pid(node, pid):
    return ((node + 1) << 23) | pid


def expect_since(node, mark, pattern, timeout=30):
    """expect() from position mark: output a background process printed
    may have landed inside a command's own output already read."""
    here = node.pos
    node.pos = mark
    m = node.expect(re.compile(pattern), timeout=timeout)
    node.pos = max(node.pos, here)
    return m


def migrate(node, pid, to, how="", timeout=60):
    """Run `migrate` on node; return its report line (asserting success)."""
    out = node.run("migrate %s %d %s" % (pid, to, how), timeout=timeout)
    assert re.search(r"-> node %d: " % to, out), out
    return out


def oracle_moved(c, to, how=""):
    """A 16-page oracle started on node 0 and moved to node `to`, once it
    has checked its pages there; its pid."""
    pid = int(start(c[0], "migtest oracle 16", r"oracle: 16 pages, 16 hot, pid (\d+)").group(1))
    mark = c[0].pos
    migrate(c[0], pid, to, how)
    expect_since(c[0], mark, MOVED_OK % (to, 1))
    return pid


def test_counter_goes_round_with_each_strategy(trio):
    """The counter prints on its home console (node 0) wherever it runs, so
    nothing is typed there while it counts: it starts quietly, is sent on
    from node 0 during that quiet start, and from nodes 1 and 2 after."""
    c = trio
    before = baseline(c)
    n0 = c[0]
    n0.sendline("migtest count 60 50 3000 &")
    pid = int(n0.expect(re.compile(r"\[(\d+)\]"), timeout=30).group(1))
    n0.wait_prompt()
    mark = n0.pos
    migrate(n0, pid, 1, "precopy")
    expect_since(n0, mark, r"count \d+ pid %d node 1" % pid)
    assert re.search(r"migtest .*from 0:%d" % pid, c[1].run("ps"))
    migrate(c[1], "0:%d" % pid, 2, "stop")
    expect_since(n0, mark, r"count \d+ pid %d node 2" % pid)
    migrate(c[2], "0:%d" % pid, 0, "precopy")
    expect_since(n0, mark, r"count \d+ pid %d node 0" % pid)
    expect_since(n0, mark, r"count done pid %d" % pid, timeout=60)
    n0.sync()
    wait_reaped(n0, pid, 0)
    counts = re.findall(r"count (\d+) pid (\d+) node (\d)", n0.text)
    assert [int(n) for n, _, _ in counts] == list(range(1, 61)), counts
    assert {int(p) for _, p, _ in counts} == {pid}
    assert [k for k in ("1", "2", "0") if any(node == k for _, _, node in counts)] == ["1", "2", "0"]
    for i in range(3):
        assert "migtest" not in c[i].run("ps")
    assert_frames_back(c, before)


# `make test` moves 200 times; `make test-long` 1000 (BRINCH_MIGRATE_MOVES).
MOVES = int(os.environ.get("BRINCH_MIGRATE_MOVES", "200"))


def test_oracle_survives_random_chains(trio):
    """MOVES moves at random, by every strategy, going back and on; the
    oracle checks every word of every page after each."""
    c = trio
    before = baseline(c)
    rng = random.Random(20261204)
    m = start(c[0], "migtest oracle 24 6", r"oracle: 24 pages, 6 hot, pid (\d+) on node 0")
    pid = int(m.group(1))
    here = 0
    for move in range(1, MOVES + 1):
        to = rng.choice([n for n in range(3) if n != here])
        how = rng.choice(["stop", "precopy", "lazy"])
        name = str(pid) if here == 0 else "0:%d" % pid
        mark = c[0].pos
        migrate(c[here], name, to, how)
        expect_since(c[0], mark, MOVED_OK % (to, move))
        here = to
    c[0].sync()
    assert "FAILED" not in c[0].text
    c[here].run("kill %d" % global_pid(0, pid))
    wait_reaped(c[0], pid, 128 + 15)
    assert_frames_back(c, before)


def test_oracle_fails_without_the_tlb_flush(trio):
    """The deliberate bug: dirty bits cleared but the TLB's copies kept, so
    later writes go unrecorded and pre-copy leaves stale pages behind."""
    c = trio
    c[0].run("migtest noflush 1")
    try:
        failed = False
        for attempt in range(3):
            # More pages than MIG_INFLIGHT batches hold (90), so the round
            # waits for acknowledgements and the oracle writes meanwhile
            # (with 64, the first round went out in one go once the
            # stack stopped taking 16 pages up front).
            m = start(c[0], "migtest oracle 128", r"oracle: 128 pages, 128 hot, pid (\d+)")
            pid = int(m.group(1))
            mark = c[0].pos
            migrate(c[0], pid, 1, "precopy")
            m = expect_since(c[0], mark, r"oracle: (moved to node 1: .* ok|FAILED.*)")
            c[0].run("kill %d" % pid)
            c[0].sync()
            if m.group(1).startswith("FAILED"):
                failed = True
                break
        assert failed, "three pre-copies without the TLB flush, and the oracle never noticed"
    finally:
        c[0].run("migtest noflush 0")


def test_precopy_rounds_stop_by_the_rules(trio):
    c = trio
    # A writer dirtying 5% of its pages: one round, then a small final round.
    m = start(c[0], "migtest oracle 256 12", r"oracle: 256 pages, 12 hot, pid (\d+)")
    pid = int(m.group(1))
    out = c[0].run("migrate %d 1 precopy -v" % pid, timeout=60)
    m = re.search(r"precopy, (\d+) rounds?, (\d+) pages.*\((.*)\)", out)
    assert m and m.group(3) == "dirty set small", out
    rounds = [int(x) for x in re.findall(r"round \d+: (\d+) pages sent", out)]
    final = int(m.group(2)) - sum(rounds)
    # stop-and-copy would send the whole image (rounds[0]) while frozen
    assert final <= rounds[0] // 10, out
    c[1].run("kill %d" % (global_pid(0, pid)))
    # A writer dirtying everything: round after round, each logged, until a
    # rule stops it (which one depends on how much CPU the writer got:
    # tests/unit/test_mig_policy.c checks each rule exactly), still right.
    m = start(c[0], "migtest oracle 256", r"oracle: 256 pages, 256 hot, pid (\d+)")
    pid = int(m.group(1))
    mark = c[0].pos
    out = c[0].run("migrate %d 1 precopy -v" % pid, timeout=120)
    m = re.search(r"precopy, (\d+) rounds?, \d+ pages, (\d+) bytes.*\((.*)\)", out)
    rounds = re.findall(r"round \d+: (\d+) pages sent, (\d+) dirtied", out)
    assert m and int(m.group(1)) == len(rounds) >= 2, out
    reason, last_dirtied = m.group(3), int(rounds[-1][1])
    if reason == "dirty set small":
        assert last_dirtied < 50, out
    elif reason == "bytes cap":
        assert int(m.group(2)) > 3 * 256 * 4096, out
    else:
        assert reason in ("round cap", "dirty set not shrinking"), out
    expect_since(c[0], mark, MOVED_OK % (1, 1))
    c[1].run("kill %d" % (global_pid(0, pid)))
    c[0].sync()


def test_a_process_moves_itself(trio):
    c = trio
    before = baseline(c)
    c[0].sendline("migtest self 2")
    m = c[0].expect(re.compile(r"self: pid (\d+) node 0"), timeout=30)
    pid = m.group(1)
    c[0].expect("self: pid %s node 2" % pid, timeout=30)
    c[0].wait_prompt()
    assert c[0].run("echo $?") == "0"
    assert_frames_back(c, before)


def test_signals_reach_it_anywhere(trio):
    """kill at home goes through the deputy; a global pid from a third node
    finds it too; the parent at home sees how it died."""
    c = trio
    pid = oracle_moved(c, 1)
    assert re.search(r"migtest .*moved to node 1", c[0].run("ps"))
    c[2].run("kill -STOP %d" % global_pid(0, pid))       # from node 2, global pid
    deadline = time.monotonic() + 20 * scale()
    while not re.search(r"migtest +stopped from 0:%d" % pid, c[1].run("ps")):
        assert time.monotonic() < deadline, c[1].run("ps")
        time.sleep(0.5)
    c[0].run("kill -CONT %d" % pid)                      # at home, via the deputy
    mark = c[0].pos
    c[0].run("kill -USR1 %d" % pid)
    expect_since(c[0], mark, r"oracle: SIGUSR1 1 on node 1")
    c[0].sync()
    c[0].run("kill -KILL %d" % pid)
    wait_reaped(c[0], pid, 128 + 9)
    assert "migtest" not in c[1].run("ps")


def test_what_cannot_move_says_why(trio):
    n0 = trio[0]
    assert "a system process" in n0.run("migrate 1 1")
    out = n0.run("ps")
    sh = re.search(r"^\s*(\d+)\s+\d+\s+\S+.*\bsh\b", out, re.M).group(1)
    assert "it reads the console" in n0.run("migrate %s 1" % sh)
    rpcd = re.search(r"^\s*(\d+)\s+\d+\s+\S+.*\brpcd\b", out, re.M).group(1)
    assert "a semaphore it created" in n0.run("migrate %s 1" % rpcd)
    portmap = re.search(r"^\s*(\d+)\s+\d+\s+\S+.*\bportmap\b", out, re.M).group(1)
    assert "a socket" in n0.run("migrate %s 1" % portmap)
    assert "Invalid argument" in n0.run("migrate %s 0" % sh)     # to itself
    out = n0.run("migrate -a 1")
    assert re.search(r"\d+ moved to node 1, \d+ stay", out), out
    assert "a system process" in out and "a socket" in out


def test_target_dies_mid_transfer(trio):
    """Kill the target while an 8 MiB image is on its way: the migration
    fails, and the process carries on at its source, unchanged."""
    c = trio
    m = start(c[0], "migtest oracle 2048", r"oracle: 2048 pages, 2048 hot, pid (\d+)")
    pid = int(m.group(1))
    # Every page hot: pre-copy goes round after round, seconds of sending.
    c[0].sendline("migrate %d 1 precopy" % pid)
    deadline = time.monotonic() + 30 * scale()
    while not re.search(r"accepted [1-9]", c[1].run("migstat -c")):
        assert time.monotonic() < deadline, "node 1 never accepted the offer"
    c[1].stop()
    out = c[0].wait_prompt(timeout=90)
    assert "-> node 1" not in out and re.search(r"migrate: %d .*: " % pid, out), out
    # Still here and still right: a move to node 2 checks every page.
    mark = c[0].pos
    migrate(c[0], pid, 2, "stop", timeout=120)
    expect_since(c[0], mark, MOVED_OK % (2, 1), timeout=60)
    c[2].run("kill %d" % (global_pid(0, pid)))


def test_rexec_runs_there_and_reports_here(trio):
    """Computation migration: the program runs on the other node (its ps
    lists itself as arrived from here), prints on this console, and its
    exit status comes back to this shell."""
    c = trio
    before = baseline(c)
    assert c[0].run("rexec 1 echo hi from afar") == "hi from afar"
    out = c[0].run("rexec 2 ps")
    assert re.search(r"\bps\b.*from 0:\d+", out) and "migtest" not in out, out
    assert c[0].run("rexec 1 false; echo status $?") == "status 1"
    assert "cannot move to node 7" in c[0].run("rexec 7 echo nobody; echo status $?")
    assert c[0].run("echo $?") == "0"
    assert_frames_back(c, before)


def test_signal_posted_during_the_move_arrives_once(trio):
    """A signal that reaches the source while the process is on its way
    is held and delivered there exactly once, then the next goes through
    the deputy."""
    c = trio
    m = start(c[0], "migtest oracle 1024", r"oracle: 1024 pages, 1024 hot, pid (\d+)")
    pid = int(m.group(1))
    mark = c[0].pos
    c[0].sendline("migrate %d 1 precopy" % pid)      # many rounds: every page hot
    deadline = time.monotonic() + 30 * scale()
    while not re.search(r"accepted [1-9]", c[1].run("migstat -c")):
        assert time.monotonic() < deadline, "node 1 never accepted the offer"
    c[2].run("kill -USR1 %d" % global_pid(0, pid))   # reaches node 0 mid-move
    c[0].wait_prompt(timeout=120)
    expect_since(c[0], mark, r"oracle: moved to node 1: .* ok")
    expect_since(c[0], mark, r"oracle: SIGUSR1 1 on node \d")
    c[0].sync()
    mark = c[0].pos
    c[0].run("kill -USR1 %d" % pid)
    expect_since(c[0], mark, r"oracle: SIGUSR1 2 on node 1")
    c[0].sync()
    assert len(re.findall(r"oracle: SIGUSR1 1 ", c[0].text)) == 1
    c[1].run("kill -KILL %d" % global_pid(0, pid))
    wait_reaped(c[0], pid, 128 + 9)


def test_a_full_target_refuses_and_the_process_stays(trio):
    c = trio
    c[1].sendline("migtest fill 56 &")
    c[1].wait_prompt()
    filler = c[1].expect(re.compile(r"fill: 56 children, pid (\d+)"), timeout=60).group(1)
    c[1].sync()
    m = start(c[0], "migtest oracle 16", r"oracle: 16 pages, 16 hot, pid (\d+)")
    pid = int(m.group(1))
    out = c[0].run("migrate %d 1" % pid)
    assert "Resource temporarily unavailable" in out, out
    assert re.search(r"migtest\s*$", c[0].run("ps"), re.M)  # still here, running
    c[1].run("kill %s" % filler)
    c[1].expect("fill: done", timeout=60)
    c[1].sync()
    mark = c[0].pos
    migrate(c[0], pid, 1)                              # room again
    expect_since(c[0], mark, MOVED_OK % (1, 1))        # and every page right
    c[0].run("kill %d" % pid)
    wait_reaped(c[0], pid, 128 + 15)


def test_drain_a_node(trio):
    """migrate -a: availability.  What can move goes; what cannot is named."""
    c = trio
    a = int(start(c[0], "migtest oracle 8", r"oracle: 8 pages, 8 hot, pid (\d+)").group(1))
    b = int(start(c[0], "migtest oracle 16", r"oracle: 16 pages, 16 hot, pid (\d+)").group(1))
    mark = c[0].pos
    out = c[0].run("migrate -a 2", timeout=60)
    expect_since(c[0], mark, r"oracle: moved to node 2: 8 pages ok")
    expect_since(c[0], mark, r"oracle: moved to node 2: 16 pages ok")
    assert "2 moved to node 2" in out, out
    assert re.search(r"init\): cannot move: a system process", out), out
    ps = c[2].run("ps")
    assert re.search(r"from 0:%d" % a, ps) and re.search(r"from 0:%d" % b, ps), ps
    c[0].run("kill %d; kill %d" % (a, b))
    wait_reaped(c[0], a, 128 + 15)
    wait_reaped(c[0], b, 128 + 15)


@pytest.fixture
def lossy(request):
    yield from booted_cluster(request, 2, "migrate_loss", ready=resolved, loss=10)


def test_moves_under_loss(lossy):
    """10% of frames lost each way: the message layer retransmits, the
    oracle still finds every page right, there and back."""
    c = lossy
    m = start(c[0], "migtest oracle 64 8", r"oracle: 64 pages, 8 hot, pid (\d+)")
    pid = int(m.group(1))
    mark = c[0].pos
    migrate(c[0], pid, 1, "precopy", timeout=120)
    expect_since(c[0], mark, MOVED_OK % (1, 1), timeout=60)
    c[0].sync()
    mark = c[0].pos
    migrate(c[1], "0:%d" % pid, 0, "stop", timeout=120)
    expect_since(c[0], mark, MOVED_OK % (0, 2), timeout=60)
    c[0].run("kill %d" % pid)
    wait_reaped(c[0], pid, 128 + 15)


def test_lazy_sends_no_page_then_fetches_each(trio):
    """Lazy: only registers, PCB and the page list travel while it is
    stopped; text comes from node 1's own binary, the rest is fetched
    when touched or pulled in the background, after which the source
    lets go.  The oracle checks every word; it can then move on."""
    c = trio
    before = baseline(c)
    m = start(c[0], "migtest oracle 256 12", r"oracle: 256 pages, 12 hot, pid (\d+)")
    pid = int(m.group(1))
    mark = c[0].pos
    out = migrate(c[0], pid, 1, "lazy")
    assert re.search(r"lazy, 0 rounds, 0 pages, \d+ bytes.*\(lazy: no page sent\)", out), out
    expect_since(c[0], mark, MOVED_OK % (1, 1))
    counters = dict(l.split() for l in c[1].run("migstat -c").splitlines())
    assert int(counters["pages_fetched"]) >= 256 and int(counters["faults"]) >= 1, counters
    mark = c[0].pos
    migrate(c[1], "0:%d" % pid, 2, "precopy")        # waits until all are here
    expect_since(c[0], mark, MOVED_OK % (2, 2))
    c[2].run("kill %d" % global_pid(0, pid))
    wait_reaped(c[0], pid, 128 + 15)
    assert_frames_back(c, before)                      # node 0's pager let go


def test_lazy_process_dies_with_its_source(trio):
    """The residual dependency: node 2 fetches only on demand (nopull),
    so pages stay on node 1; node 1 dies; the process is killed with a
    one-line report within a bound, and its parent at home hears of it."""
    c = trio
    c[2].run("migtest nopull 1")
    c[0].sendline("migtest count 1000 200 3000 &")
    pid = int(c[0].expect(re.compile(r"\[(\d+)\]"), timeout=30).group(1))
    c[0].wait_prompt()
    mark = c[0].pos
    migrate(c[0], pid, 1, "stop")                      # in its quiet start
    expect_since(c[0], mark, r"count \d+ pid %d node 1" % pid)
    migrate(c[1], "0:%d" % pid, 2, "lazy")
    expect_since(c[0], mark, r"count \d+ pid %d node 2" % pid)
    c[1].stop()
    c[2].expect(re.compile(r"migrate: pid %d \(migtest\) killed: (its pages were on node 1|"
                           r"page 0x[0-9a-f]+ not fetched from node 1)" % pid), timeout=60)
    wait_reaped(c[0], pid, 128 + 9, timeout=60)


def test_a_node_that_reboots_takes_its_processes(request, trio):
    """A process that moved to node 1 is gone when node 1 reboots: node 0
    hears the new boot id (kmsg's REBOOT), says so in one line, and the
    parent's wait() reports SIGKILL instead of waiting forever."""
    c = trio
    pid = oracle_moved(c, 1)
    old = c.nodes[1]
    old.stop()
    new = NetNode(1, "vde,sock=%s" % c.switch.path, mem=c.mem,
                  pcap=os.path.join(c.workdir, "node1b.pcap"),
                  log_path=os.path.join(c.workdir, "node1b.log"), name="migrate-node1b")
    c.nodes[1] = new
    request.node.stash[NODES].append(new)
    new.start()
    new.wait_boot()
    c[0].expect("migrate: pid %d (migtest) lost with node 1" % pid, timeout=30)
    c[0].sync()
    wait_reaped(c[0], pid, 128 + 9)


def test_a_moved_parent_reaps_its_child(trio):
    """A parent moves away from the child it forked at home; the child
    exits at home, a child of the deputy; the parent's wait() on node 2
    asks home, which reaps it and answers; then there are no children."""
    c = trio
    before = baseline(c)
    c[0].sendline("migtest parent 2")
    c[0].expect("parent: child", timeout=30)
    m = c[0].expect(re.compile(r" (\d+) exited 7, reaped on node 2"), timeout=30)
    c[0].expect("parent: then no more children", timeout=30)
    c[0].wait_prompt()
    assert c[0].run("echo $?") == "0"
    assert "migtest" not in c[0].run("ps") and "migtest" not in c[2].run("ps")
    assert_frames_back(c, before)
