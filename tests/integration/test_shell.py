# test_shell.py: the shell's language and job control as seen on the serial
# console: arguments, quoting, $?, background jobs, unknown commands, Ctrl-C.
# Part of `make integration`; fixtures in conftest.py.

import re
import time

from brinchvm import PROMPT
from guest import find_rows, ps_rows

CTRL_C = "\x03"


def test_echo_arguments(node):
    assert node.run("echo a b c") == "a b c"
    assert node.run("echo   spaced    out  ") == "spaced out"


def test_exit_status_of_false_and_true(node):
    assert node.run("false; echo $?") == "1"
    assert node.run("true ; echo $?") == "0"
    # $? must follow the last command, not stick at one value.
    node.run("false")
    assert node.run("echo $?") == "1"
    node.run("true")
    assert node.run("echo $?") == "0"


def test_double_quotes_keep_spaces(node):
    assert node.run('echo "a  b"') == "a  b"
    assert node.run('echo "x y" z') == "x y z"


def test_unknown_command(node):
    out = node.run("no-such-command-xyz")
    assert "not found" in out or "No such file" in out, out
    assert node.run("echo $?") == "127"


def test_background_job(node):
    """`sleep 1 &` prints [N] and the prompt returns at once; [N] done comes later."""
    t0 = time.monotonic()
    out = node.run("sleep 1 &")
    took = time.monotonic() - t0
    m = re.search(r"\[(\d+)\]", out)
    assert m, "no [N] job line after `sleep 1 &`: %r" % out
    job = m.group(1)
    # Guest time follows host time (no -icount), so waiting for the job
    # would have taken at least a second.
    assert took < 1.0, "the prompt took %.2fs to come back after `sleep 1 &`" % took
    mark = len(node.text)
    assert node.run("echo still here").endswith("still here")
    # A foreground sleep outlasts the background one; by the prompt after the
    # next command, the shell must have reported the job as done.
    node.run("sleep 2", timeout=30)
    node.run("true")
    assert re.search(r"\[%s\] done" % job, node.text[mark:]), node.text[mark:]


def interrupt(node, tries=5):
    """Press Ctrl-C until a prompt comes back (the first press may come before
    the foreground child exists); fail if none does."""
    for _ in range(tries):
        node.send_raw(CTRL_C)
        try:
            node.expect(PROMPT, timeout=3)
            return
        except AssertionError:
            continue
    raise AssertionError("Ctrl-C did not bring the prompt back:\n" + node.log_tail())


def test_ctrl_c_kills_foreground_job(node):
    node.sendline("sleep 100")
    interrupt(node)
    assert node.run("echo $?") == "130"            # 128 + SIGINT
    assert node.run("echo alive") == "alive"
    header, rows = ps_rows(node)
    assert not find_rows(rows, "sleep"), "sleep still in ps after Ctrl-C:\n" + header


def test_ctrl_c_at_prompt(node):
    node.send_raw(CTRL_C)
    node.expect(PROMPT, timeout=10)
    assert node.run("echo alive") == "alive"
    # The interrupted line is thrown away, not run.
    node.send("echo gone")
    node.send_raw(CTRL_C)
    node.expect(PROMPT, timeout=10)
    assert node.run("echo fresh") == "fresh"
