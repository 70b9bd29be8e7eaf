# test_lab_gdb.py: the grader of the gdb lab (docs/labs/gdb.md): the
# `next-to-run` command of tools/gdb/lab_gdb.py, stopped at context_switch,
# against the truth read with plain gdb expressions and against what the
# kernel then does.  Points per test: @points.  Run with `make grade LAB=gdb`.

import os
import re
import shutil
import subprocess
import sys

import pytest

from labutil import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import Node, free_port, scale  # noqa: E402

GDB = os.environ.get("GDB", "gdb")
LOG_DIR = os.path.join(ROOT, "build", "test-logs", "labs")
SPINNERS = 3                    # CPU-bound processes: the ready queue is never empty
ROUNDS = 2                      # context switches checked
COMMAND_RE = re.compile(r"^next-to-run: pid (\d+) \((.*?)\) resumes at 0x([0-9a-fA-F]+) <([^>]*)>$",
                        re.M)

# The head of the ready queue, in gdb's own expression language: the
# container_of() of kernel/list.h, written out.
HEAD = ("((struct proc *)((char *)ready_queue.waiters.head.next"
        " - (unsigned long)&((struct proc *)0)->queue_node))")
# At a breakpoint on context_switch's first instruction its arguments are
# still on the stack: [esp+4] = save, [esp+8] = load (the next context).
LOAD = "((struct context *)*(unsigned int *)($esp + 8))"

pytestmark = pytest.mark.skipif(shutil.which(GDB) is None,
                                reason="gdb is not installed (sh tools/ensure-deps.sh gdb)")


def gdb_batch(port, commands, log):
    """Run gdb in batch mode against the stub on `port` with the lab's
    command loaded (and nothing else: no gdbinit), running `commands` in
    order.  Returns [(command, output)]; the whole session goes to log."""
    argv = [GDB, "-batch", "-nx", "-ex", "set confirm off", "-ex", "set pagination off",
            "-ex", "target remote 127.0.0.1:%d" % port,
            "-ex", "source %s" % os.path.join(ROOT, "tools", "gdb", "lab_gdb.py")]
    for c in commands:
        argv += ["-ex", "echo \\n@@@ %s\\n" % c, "-ex", c]
    argv.append(os.path.join(ROOT, "build", "kernel.elf"))
    run = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60 * scale())
    with open(log, "a") as f:
        f.write(run.stdout)
    out = []
    for part in run.stdout.split("\n@@@ ")[1:]:
        command, _, body = part.partition("\n")
        out.append((command, body.strip()))
    assert [c for c, _ in out] == list(commands), "gdb did not run every command:\n" + run.stdout
    return out


def value(text):
    """What `print` printed: '$3 = 42' -> '42'."""
    m = re.search(r"^\$\d+ = (.*)$", text, re.M)
    assert m, "nothing printed:\n" + text
    return m.group(1).strip()


def symbol(text):
    """`info symbol` output 'schedule + 152 in section .text' -> 'schedule+152'."""
    return text.split(" in section")[0].replace(" + ", "+").strip()


def claim(text):
    """(pid, name, eip, symbol) from next-to-run's output, or None."""
    m = COMMAND_RE.search(text)
    if not m:
        return None
    return int(m.group(1)), m.group(2), int(m.group(3), 16), m.group(4).replace(" ", "")


@pytest.fixture(scope="module")
def session():
    """Boot a machine paused under gdb and run the lab's command at context
    switches: first the very first one (idle hands the CPU to init, so the
    ready queue is empty), then, with SPINNERS CPU-bound processes, ROUNDS
    more.  Returns {"empty": (truth, output), "rounds": [dict...]}."""
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, "gdb-session.log")
    open(log, "w").close()
    port = free_port()
    node = Node(extra_args=["-S", "-gdb", "tcp:127.0.0.1:%d" % port],
                log_path=os.path.join(LOG_DIR, "gdb-serial.log"), name="labgdb")
    node.start()
    try:
        first = dict(gdb_batch(port, [
            "break context_switch", "continue",
            "print ready_queue.waiters.head.next == &ready_queue.waiters.head",
            "next-to-run", "delete", "detach"], log))
        node.wait_boot(timeout=60)
        for _ in range(SPINNERS):
            node.run("spin 600000 &")
        commands = []
        for _ in range(ROUNDS):
            commands += [
                "break context_switch", "continue",
                "print ready_queue.waiters.head.next != &ready_queue.waiters.head",
                "print %s->pid" % HEAD, "print %s->name" % HEAD,
                "print/x %s->context->eip" % HEAD, "info symbol %s->context->eip" % HEAD,
                "next-to-run",
                # Round robin: the next switch goes to that process...
                "continue", "print current->pid", "print/x %s->eip" % LOAD,
                # ...and its `ret` lands on the saved eip.
                "delete", "tbreak *%s->eip" % LOAD, "continue", "print/x $pc"]
        commands += ["delete", "detach"]
        results = gdb_batch(port, commands, log)
    finally:
        node.stop()
    rounds, per = [], len(commands[:-2]) // ROUNDS
    for r in range(ROUNDS):
        part = results[r * per:(r + 1) * per]
        out = [body for _, body in part]
        rounds.append({
            "nonempty": value(out[2]), "pid": int(value(out[3])),
            "name": re.match(r'"([^"]*)"', value(out[4])).group(1),
            "eip": int(value(out[5]), 16), "symbol": symbol(out[6]),
            "output": out[7], "claim": claim(out[7]),
            "next_pid": int(value(out[9])), "next_eip": int(value(out[10]), 16),
            "landed": int(value(out[14]), 16)})
    return {"empty": (value(first["print ready_queue.waiters.head.next == "
                                  "&ready_queue.waiters.head"]), first["next-to-run"]),
            "rounds": rounds, "log": log}


def show(s):
    return "gdb session log: %s" % s["log"]


@pytest.mark.points(10)
def test_empty_ready_queue(session):
    """At the first switch (idle to init) nothing else is ready."""
    truth, output = session["empty"]
    assert truth == "1", "the ready queue was not empty at the first switch; " + show(session)
    assert output == "next-to-run: the ready queue is empty (idle runs next)", \
        "next-to-run said:\n%s\n%s" % (output, show(session))


@pytest.mark.points(35)
def test_names_the_head(session):
    """pid and name are those of the process at the head of ready_queue."""
    for r in session["rounds"]:
        assert r["nonempty"] == "1", show(session)
        assert r["claim"], "next-to-run said:\n%s\n%s" % (r["output"], show(session))
        pid, name, _, _ = r["claim"]
        assert (pid, name) == (r["pid"], r["name"]), \
            "next-to-run said %r; the head is pid %d (%s). %s" % (
                r["output"], r["pid"], r["name"], show(session))


@pytest.mark.points(30)
def test_saved_eip(session):
    """The eip is the one saved in that process's struct context, with
    the symbol gdb gives it."""
    for r in session["rounds"]:
        assert r["claim"], "next-to-run said:\n%s\n%s" % (r["output"], show(session))
        _, _, eip, sym = r["claim"]
        assert eip == r["eip"], "eip 0x%08x, saved 0x%08x. %s" % (eip, r["eip"], show(session))
        assert sym == r["symbol"], "symbol %r, gdb says %r. %s" % (sym, r["symbol"], show(session))


@pytest.mark.points(25)
def test_next_switch_goes_there(session):
    """The kernel agrees: the next switch goes to that process, and the
    switch's `ret` lands on that eip."""
    for r in session["rounds"]:
        assert r["claim"], "next-to-run said:\n%s\n%s" % (r["output"], show(session))
        pid, _, eip, _ = r["claim"]
        assert r["next_pid"] == pid, "the next switch went to pid %d, not %d. %s" % (
            r["next_pid"], pid, show(session))
        assert r["next_eip"] == eip and r["landed"] == eip, \
            "resumed at 0x%08x (context says 0x%08x), not 0x%08x. %s" % (
                r["landed"], r["next_eip"], eip, show(session))
