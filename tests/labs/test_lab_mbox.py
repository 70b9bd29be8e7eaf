# test_lab_mbox.py: the grader of the mbox lab (docs/labs/mbox.md): a bounded
# mailbox blocks its senders while full and wakes them when a message is
# taken; IPC_NOWAIT, timeouts and destruction end the wait.  Checked with
# `mboxlab`; points per test: @points.  Run with `make grade LAB=mbox`.

import pytest

from labutil import line_with, number


@pytest.mark.points(25)
def test_sender_blocks_while_full(make_node):
    """The third send into a capacity-2 mailbox waits, shown by ps as a
    WAITING sender on "mbox N send", until the receiver takes a message
    300 ms later; then all three arrive in order."""
    node = make_node()
    out = node.run("mboxlab block", timeout=20)
    state = line_with(out, "mboxlab block: while full:")
    assert state.startswith('sender WAITING on "mbox ') and ' send", 2 queued, 1 blocked' in state, out
    third = line_with(out, "mboxlab block: third send:")
    ms = number(r"after (\d+) ms", third)
    assert third.startswith("ok") and 250 <= ms <= 1000, out
    assert line_with(out, "mboxlab block: receiver got") == "3 of 3 in order", out


@pytest.mark.points(10)
def test_nowait_on_full(make_node):
    """IPC_NOWAIT on a full mailbox fails with EAGAIN at once and queues nothing."""
    node = make_node()
    out = node.run("mboxlab nowait")
    result = line_with(out, "mboxlab nowait: send:")
    assert result.startswith("Resource temporarily unavailable"), out
    assert number(r"after (\d+) ms", result) < 50 and result.endswith(", 2 queued"), out


@pytest.mark.points(20)
def test_timeout_on_full(make_node):
    """A 200 ms timeout on a full mailbox fails with ETIMEDOUT after about
    200 ms; the message is not queued and nobody is left waiting."""
    node = make_node()
    out = node.run("mboxlab timeout", timeout=20)
    result = line_with(out, "mboxlab timeout: send:")
    assert result.startswith("Connection timed out"), out
    assert 150 <= number(r"after (\d+) ms", result) <= 600, out
    assert result.endswith(", 2 queued, 0 blocked"), out


@pytest.mark.points(15)
def test_destroy_wakes_blocked_sender(make_node):
    """A sender blocked on a full mailbox that is destroyed fails with
    EPIPE when it happens, not at its time limit."""
    node = make_node()
    out = node.run("mboxlab destroy", timeout=20)
    result = line_with(out, "mboxlab destroy: blocked send:")
    assert result.startswith("Broken pipe"), out
    assert 150 <= number(r"after (\d+) ms", result) <= 1000, out


@pytest.mark.points(30)
def test_producers_consumer(make_node):
    """Two producers, one slow consumer, capacity 2: all 400 messages
    arrive once each, in order per producer, no send fails, the mailbox
    never holds more than 2, and the producers really had to wait."""
    node = make_node()
    out = node.run("mboxlab pc", timeout=60)
    result = line_with(out, "mboxlab pc:")
    assert result.startswith("400 sent, 400 received, 0 lost, 0 out of order, "
                             "0 send errors, max queued 2"), out
    assert number(r"full with senders waiting (\d+) times", result) >= 5, out
