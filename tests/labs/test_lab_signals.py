# test_lab_signals.py: the grader of the signals lab (docs/labs/signals.md):
# handlers run on a frame the kernel pushes on the user stack, and sigreturn
# puts everything back.  Checked with `siglab`; points per test: @points.
# Run with `make grade LAB=signals`.

import pytest

from labutil import line_with, number


@pytest.mark.points(25)
def test_handler_runs_once_per_signal(make_node):
    """Ten SIGUSR1s to itself: ten handler runs with the right argument, the
    signal blocked while its handler runs and unblocked after, and kill()
    still returning 0 (eax survives the handler)."""
    node = make_node()
    out = node.run("siglab count 10")
    result = line_with(out, "siglab count:")
    assert result == ("10 sent, 10 handled, 0 kill failures, 0 bad signo, "
                      "blocked inside 10, blocked after no"), out


@pytest.mark.points(20)
def test_alarm_and_pause(make_node):
    """alarm(1) and pause(): the SIGALRM handler runs once, and pause then
    fails with EINTR (its -EINTR survives the handler) about a second later."""
    node = make_node()
    out = node.run("siglab alarm", timeout=20)
    result = line_with(out, "siglab alarm:")
    assert result.startswith("handled 1, pause returned -1 (Interrupted system call)"), out
    ms = number(r"after (\d+) ms", result)
    assert 900 <= ms <= 1500, out


@pytest.mark.points(25)
def test_sigreturn_restores_registers(make_node):
    """A handler that overwrites every register and clears the carry flag:
    after sigreturn the interrupted code has all its values back."""
    node = make_node()
    out = node.run("siglab regs")
    assert line_with(out, "siglab regs:") != "FAILED", out
    assert "siglab regs: all restored" in out, out
    assert "handler ran 1 times" in out, out


@pytest.mark.points(15)
def test_handler_mask(make_node):
    """sa_mask holds SIGUSR2 back while the SIGUSR1 handler runs; sigreturn
    restores the old mask, and SIGUSR2 is delivered right after."""
    node = make_node()
    out = node.run("siglab mask")
    assert line_with(out, "siglab mask:") == \
        "order USR1-begin USR1-end USR2; blocked after: none", out


@pytest.mark.points(15)
def test_forged_frame_gains_no_privilege(make_node):
    """A handler that sets IOPL 3 in its saved eflags: sigreturn must not
    give user code I/O privilege."""
    node = make_node()
    out = node.run("siglab eflags")
    assert line_with(out, "siglab eflags:") == "handler ran 1 times, iopl now 0", out
    assert node.run("echo still here") == "still here"
