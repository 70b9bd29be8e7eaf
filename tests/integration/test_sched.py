# test_sched.py: the three schedulers of docs/scheduling.md, through the
# shell: policies chosen at boot and at run time (rr, prio, mlfq), the
# admission limit and its job queue, and suspend/resume.

import re

import pytest

from guest import ps_rows

SPIN_DONE = re.compile(r"spin: pid (\d+) done: (\d+) ms of CPU in (\d+) ms, (\d+) ms waiting")
AVG = re.compile(r"schedtest: (cpu|io)-bound: average turnaround (\d+) ms, average waiting (\d+) ms")


def test_policy_from_command_line(make_node):
    node = make_node(cmdline="sched=mlfq quantum=3")
    out = node.run("sched")
    assert "policy: mlfq" in out and "quantum: 3 ticks" in out, out


def test_unknown_policy_falls_back_to_rr(make_node):
    node = make_node(cmdline="sched=lottery", boot=False)
    node.expect("brinch: unknown sched=lottery, using rr")
    node.wait_boot()
    assert "policy: rr" in node.run("sched")


def test_policy_at_run_time(node):
    assert "policy: prio" in node.run("sched prio")
    assert "quantum: 2 ticks" in node.run("sched rr 2")
    out = node.run("sched lottery")
    assert "usage" in out
    assert node.run("echo $?") == "2"


def test_priority_runs_the_better_process_first(node):
    """Under prio, a nice -10 spin started after a nice 10 one finishes first
    and hardly waits; the nice 10 one waits for all of it."""
    node.run("sched prio")
    low = int(re.search(r"\[(\d+)\]", node.run("nice 10 spin 300 &")).group(1))
    high = int(re.search(r"\[(\d+)\]", node.run("nice -10 spin 300 &")).group(1))
    first = node.expect(SPIN_DONE, timeout=60)
    second = node.expect(SPIN_DONE, timeout=60)
    assert (int(first.group(1)), int(second.group(1))) == (high, low), \
        first.group(0) + " / " + second.group(0)
    # The favoured one hardly waited; the other waited at least its CPU time.
    assert int(first.group(4)) < 100, first.group(0)
    assert int(second.group(4)) >= 250, second.group(0)


def test_mlfq_favours_interactive_processes(node):
    node.run("sched mlfq")
    out = node.run("schedtest", timeout=120)
    avg = {m.group(1): int(m.group(2)) for m in AVG.finditer(out)}
    assert set(avg) == {"cpu", "io"}, out
    # I/O-bound children stay on the top level and finish long before the
    # CPU-bound ones, which sink to the bottom.
    assert avg["io"] * 2 < avg["cpu"], out


def test_round_robin_shares_evenly(node):
    out = node.run("schedtest", timeout=120)
    rows = re.findall(r"^\s*\d+ cpu\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M)
    assert len(rows) == 3, out
    turnarounds = [int(r[0]) for r in rows]
    # Three equal CPU-bound children interleaved by round robin finish
    # close together (within 25% of each other).
    assert max(turnarounds) <= min(turnarounds) * 1.25 + 50, out


def test_admission_limit_queues_new_processes(node):
    out = node.run("schedtest -a", timeout=120)
    assert "schedtest: admitted 2, job queue 2" in out, out
    assert "schedtest: admission ok" in out, out
    assert "maxrun: none" in node.run("sched")


def test_suspend_and_resume(node):
    pid = int(re.search(r"\[(\d+)\]", node.run("spin 5000 &")).group(1))
    assert node.run("suspend %d" % pid) == ""
    rows = {r["pid"]: r for r in ps_rows(node)[1]}
    assert "SUSPENDED" in rows[pid]["line"], rows[pid]["line"]
    ticks = rows[pid]["words"][4]
    node.run("sleep 1")
    rows = {r["pid"]: r for r in ps_rows(node)[1]}
    assert rows[pid]["words"][4] == ticks, "a suspended process ran"
    assert node.run("resume %d" % pid) == ""
    node.run("sleep 1")
    rows = {r["pid"]: r for r in ps_rows(node)[1]}
    assert "SUSPENDED" not in rows[pid]["line"]
    assert int(rows[pid]["words"][4]) > int(ticks), "a resumed process did not run"
    # A suspended process still dies of SIGKILL.
    node.run("suspend %d" % pid)
    node.run("kill -9 %d" % pid)
    for _ in range(10):
        if pid not in {r["pid"] for r in ps_rows(node)[1]}:
            break
    else:
        pytest.fail("killed suspended process %d is still in ps" % pid)


def test_suspend_blocked_and_errors(node):
    pid = int(re.search(r"\[(\d+)\]", node.run("sleep 30 &")).group(1))
    node.run("suspend %d" % pid)
    line = {r["pid"]: r for r in ps_rows(node)[1]}[pid]["line"]
    assert "SUSPENDED" in line and "sleep" in line.split()[-1], line
    node.run("resume %d" % pid)
    line = {r["pid"]: r for r in ps_rows(node)[1]}[pid]["line"]
    assert "WAITING" in line, line
    assert "not permitted" in node.run("suspend 1")
    assert "No such process" in node.run("resume 999")
    node.run("kill %d" % pid)
