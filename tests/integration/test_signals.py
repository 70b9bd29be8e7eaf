# test_signals.py: signals seen from the shell: kill -l, stopping and
# continuing a background job (ps shows it waiting on "stopped", and its
# pending signals), kill -9 of a stopped job, Ctrl-C caught by a handler,
# and the signal topics of usertests.  One boot for the whole file.
# Part of `make integration`; see docs/signals.md.

import re

from guest import ps_rows

CTRL_C = "\x03"
SIGTERM_BIT = 1 << 15


def ps_row(node, pid):
    """(header, row dict) for pid in `ps`, or (header, None)."""
    header, rows = ps_rows(node)
    return header, next((r for r in rows if r["pid"] == pid), None)


def column(header, row, name):
    """The word of row under the header column `name` (PEND, BLOCK...)."""
    return row["words"][header.split().index(name)]


def start_sleep(node):
    out = node.run("sleep 30 &")
    m = re.search(r"\[(\d+)\]", out)
    assert m, "no [pid] after `sleep 30 &`: %r" % out
    return int(m.group(1))


def wait_for(node, pid, state, wait_on, tries=20):
    """Poll ps until pid is in state (waiting on wait_on); return the row."""
    for _ in range(tries):
        header, row = ps_row(node, pid)
        if row and row["state"] == state and (wait_on is None or row["words"][-1] == wait_on):
            return header, row
    raise AssertionError("pid %d never %s %s; last: %r" % (pid, state, wait_on or "",
                                                          row and row["line"]))


def test_kill_list(guest):
    out = guest.run("kill -l")
    for number, name in ((1, "HUP"), (2, "INT"), (9, "KILL"), (10, "USR1"), (12, "USR2"),
                         (14, "ALRM"), (15, "TERM"), (17, "CHLD"), (18, "CONT"), (19, "STOP")):
        assert re.search(r"\b%d\) SIG%s\b" % (number, name), out), "%d) SIG%s missing:\n%s" % (
            number, name, out)
    assert guest.run("kill -l 19") == "STOP"
    guest.run("kill -NOSUCH 1")
    assert guest.run("echo $?") == "2"


def test_stop_and_continue_background_sleep(guest):
    pid = start_sleep(guest)
    header, row = wait_for(guest, pid, "WAITING", "sleep")
    assert "PEND" in header.split() and "BLOCK" in header.split(), header
    assert int(column(header, row, "PEND"), 16) == 0, row["line"]

    guest.run("kill -STOP %d" % pid)
    wait_for(guest, pid, "WAITING", "stopped")
    # A signal sent to a stopped process waits, pending, for the continue.
    guest.run("kill -USR1 %d" % pid)
    header, row = wait_for(guest, pid, "WAITING", "stopped")
    assert int(column(header, row, "PEND"), 16) & (1 << 10), row["line"]
    guest.run("kill -CONT %d" % pid)
    # USR1's default action ends it once it runs again.
    for _ in range(20):
        _, row = ps_row(guest, pid)
        if row is None:
            break
    assert row is None, "pid %d still there after CONT with USR1 pending: %s" % (pid, row["line"])
    assert re.search(r"\[%d\] done, status 138" % pid, guest.run("true") + guest.text), \
        "no '[%d] done, status 138' (128 + SIGUSR1)" % pid


def test_continued_sleep_sleeps_on(guest):
    pid = start_sleep(guest)
    wait_for(guest, pid, "WAITING", "sleep")
    guest.run("kill -STOP %d" % pid)
    wait_for(guest, pid, "WAITING", "stopped")
    guest.run("kill -CONT %d" % pid)
    # Not stopped any more: back to its sleep, which is not over.
    wait_for(guest, pid, "WAITING", "sleep")
    guest.run("kill %d" % pid)
    for _ in range(20):
        if ps_row(guest, pid)[1] is None:
            break
    else:
        raise AssertionError("pid %d survived SIGTERM" % pid)


def test_kill_9_stopped(guest):
    pid = start_sleep(guest)
    guest.run("kill -STOP %d" % pid)
    header, row = wait_for(guest, pid, "WAITING", "stopped")
    guest.run("kill -TERM %d" % pid)        # pending, like USR1 above
    header, row = wait_for(guest, pid, "WAITING", "stopped")
    assert int(column(header, row, "PEND"), 16) & SIGTERM_BIT, row["line"]
    guest.run("kill -9 %d" % pid)
    for _ in range(20):
        if ps_row(guest, pid)[1] is None:
            break
    else:
        raise AssertionError("stopped pid %d survived kill -9" % pid)
    assert re.search(r"\[%d\] done, status 137" % pid, guest.run("true") + guest.text), \
        "no '[%d] done, status 137' (128 + SIGKILL)" % pid


def test_ctrl_c_runs_handler(guest):
    guest.sendline("sigdemo 2")
    guest.expect("sigdemo: waiting for Ctrl-C (2 to quit)")
    guest.send_raw(CTRL_C)
    guest.expect("sigdemo: caught SIGINT 1")
    guest.send_raw(CTRL_C)
    guest.expect("sigdemo: caught SIGINT 2")
    guest.expect("sigdemo: done")
    guest.wait_prompt()
    assert guest.run("echo $?") == "0"      # handled: not killed (130)


def test_usertests_signals(guest):
    out = guest.run("usertests signals faults", timeout=60)
    m = re.search(r"usertests: (\d+) passed, (\d+) failed", out)
    assert m and m.group(2) == "0", out
    for name in ("stop_cont", "kill_stopped", "sigchld_handler", "kill_zero", "handler_errors",
                 "fault_handlers"):
        assert "usertests: %s ok" % name in out, "%s did not pass:\n%s" % (name, out)
