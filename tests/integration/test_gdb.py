# test_gdb.py: the gdb extension (tools/gdb/brinch.py) against a real brinch
# under QEMU's gdb stub: what gdb says about switches, the ready queue and
# the process table must agree with itself and with the kernel's own `ps`;
# and, on two nodes, what `migrations` says about a process that moved.
# Part of `make integration`; skipped only when gdb (or, for the two
# nodes, vde_switch) is not installed.

import os
import re
import shutil
import subprocess

import pytest

from brinchnet import Switch, default_workdir, need, nic_args
from brinchvm import free_port, scale
from guest import ps_rows

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GDB = os.environ.get("GDB", "gdb")
SWITCH_RE = re.compile(r"^switch: (\d+) \((.*?)\) -> (\d+) \((.*?)\) reason: (.*)$", re.M)
RUNQ_RE = re.compile(r"^\s*\d+\. pid (\d+) \(", re.M)
SPINNERS = 3                            # CPU-bound processes: the ready queue is never empty

pytestmark = pytest.mark.skipif(shutil.which(GDB) is None,
                                reason="gdb is not installed (sh tools/ensure-deps.sh gdb)")


def gdb_batch(port, commands):
    """Run gdb in batch mode against the stub on `port`, with the brinch
    extension, running `commands` in order.  Returns [(command, output)]."""
    argv = [GDB, "-batch", "-nx", "-x", os.path.join(ROOT, "tools", "gdb", "gdbinit"),
            "-ex", "target remote 127.0.0.1:%d" % port]
    for c in commands:
        argv += ["-ex", "echo \\n@@@ %s\\n" % c, "-ex", c]
    argv.append(os.path.join(ROOT, "build", "kernel.elf"))
    run = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60 * scale(), env=dict(os.environ, BRINCH_ROOT=ROOT))
    text = run.stdout
    for bad in ("Traceback", "Python Exception", "Error occurred in Python", "!!",
                "Remote connection closed", "Connection refused"):
        assert bad not in text, "gdb printed %r:\n%s" % (bad, text)
    parts = text.split("\n@@@ ")
    out = []
    for part in parts[1:]:
        command, _, body = part.partition("\n")
        out.append((command, body))
    assert [c for c, _ in out] == list(commands), "gdb did not run every command:\n" + text
    return out


class Session:
    """The output of one gdb_batch run, looked up by command (the n-th
    time it was run) so that checks read like the session itself."""

    def __init__(self, results):
        self.results = results

    def __call__(self, command, n=1):
        hits = [body for c, body in self.results if c == command]
        assert len(hits) >= n, "no %d. output of %r" % (n, command)
        return hits[n - 1]

    def text(self):
        return "".join("(gdb) %s\n%s" % (c, b) for c, b in self.results)


def gdb_ps(text):
    """Rows of the extension's `ps`: {pid: dict(current, ppid, state, name, wait, ticks)}."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^([* ])\s+(\d+)\s+(\d+)\s+(\w+)\s+(-?\d+)\s+(\d+)\s+(.*)$", line)
        if not m:
            continue
        words = m.group(7).split()
        rows[int(m.group(2))] = {
            "current": m.group(1) == "*", "ppid": int(m.group(3)), "state": m.group(4),
            "ticks": int(m.group(6)), "name": words[0], "wait": " ".join(words[1:-2])}
    assert rows, "no process rows in gdb's ps:\n" + text
    return rows


def switch(text):
    """(from pid, to pid, reason) of the one `switch:` line in text."""
    found = SWITCH_RE.findall(text)
    assert len(found) == 1, "expected one switch line:\n" + text
    f, _, t, _, reason = found[0]
    return int(f), int(t), reason


def print_value(text):
    m = re.search(r"^\$\d+ = (-?\d+)", text, re.M)
    assert m, "no value printed:\n" + text
    return int(m.group(1))


def assert_no_migrations(text):
    """`migrations` on a node with nothing leaving, arriving or away."""
    for pattern in (r"^leaving \(outs in mig_out\.c\): 0 of \d+ slots in use$",
                    r"^arriving \(ins in mig_in\.c\): 0 of \d+ slots in use$",
                    r"^forwarding records .*: 0 written, 0 kept",
                    r"^lazy, kept for a target \(pagers in mig_lazy\.c\): 0 of \d+ slots",
                    r"^lazy, still fetching \(lazies in mig_lazy\.c\): 0 of \d+ slots",
                    r"^deputies \(proc_table, state MOVED\): 0$",
                    r"^arrived from elsewhere \(proc_table, home >= 0\): 0$"):
        assert re.search(pattern, text, re.M), "%r not in:\n%s" % (pattern, text)


def check_after_switch(s, n, ps_n, to_pid, from_pid):
    """After the n-th finish-switch (and the ps_n-th ps): the 'to' process
    runs and is current; the 'from' process does not."""
    rows = gdb_ps(s("ps", ps_n))
    assert rows[to_pid]["state"] == "RUNNING" and rows[to_pid]["current"], \
        "switched to pid %d, but gdb's ps says:\n%s" % (to_pid, s("ps", ps_n))
    assert [pid for pid, r in rows.items() if r["current"]] == [to_pid]
    assert [pid for pid, r in rows.items() if r["state"] == "RUNNING"] == [to_pid]
    assert print_value(s("p current->pid", n)) == to_pid
    assert rows[from_pid]["state"] in ("READY", "WAITING", "ZOMBIE"), rows[from_pid]
    assert "resumes at" in s("finish-switch", n) and "pid %d " % to_pid in s("finish-switch", n)


def test_gdb_sees_what_the_kernel_does(make_node):
    port = free_port()
    node = make_node(boot=False, extra_args=["-S", "-gdb", "tcp:127.0.0.1:%d" % port])

    # ---- 1. Boot under gdb: QEMU starts paused (-S); the first context
    # switch is the idle process (pid 0, the boot thread) handing the CPU
    # to the first process (init).
    boot = Session(gdb_batch(port, [
        "break context_switch", "continue", "switch-info", "runq", "finish-switch",
        "ps", "p current->pid", "delete", "detach"]))
    from_pid, to_pid, _ = switch(boot("switch-info"))
    assert from_pid == 0 and to_pid > 0, boot.text()
    assert "running: %d (" % to_pid in boot("runq")
    check_after_switch(boot, 1, 1, to_pid, 0)
    node.wait_boot(timeout=60)

    # ---- 2. A busy machine: CPU-bound spinners keep the ready queue
    # non-empty; a sleeper waits on the sleep queue.
    for _ in range(SPINNERS):
        node.run("spin 600000 &")
    node.run("sleep 600 &")
    header, kernel_rows = ps_rows(node)
    columns = [c.upper() for c in header.split()]
    kernel = {r["pid"]: r for r in kernel_rows}
    names = {pid: r["words"][columns.index("NAME")] for pid, r in kernel.items()}
    spinners = sorted(pid for pid, name in names.items() if name == "spin")
    sleeper = [pid for pid, name in names.items() if name == "sleep"]
    assert len(spinners) == SPINNERS and len(sleeper) == 1, "\n".join(r["line"] for r in kernel_rows)

    s = Session(gdb_batch(port, [
        "ps", "runq", "waitq", "mbox", "migrations",
        "break context_switch",
        "continue", "switch-info", "runq", "finish-switch", "ps", "p current->pid",
        "continue", "switch-info", "runq", "finish-switch", "ps", "p current->pid",
        "pcb 1", "bt-proc 1", "delete",
        "p context_switches", "trace-switch 4", "continue", "p context_switches",
        "trace-switch off", "ps", "detach"]))

    # gdb's process table is the kernel's: the same processes and names;
    # the `ps` process the kernel listed has exited since.
    first = gdb_ps(s("ps"))
    listed_by_kernel = {pid for pid in kernel if names[pid] != "ps"}
    assert set(first) - {0} == listed_by_kernel, s("ps") + "\n" + "\n".join(
        r["line"] for r in kernel_rows)
    for pid in listed_by_kernel:
        assert first[pid]["name"] == names[pid], (first[pid], kernel[pid]["line"])
    assert first[1]["state"] == kernel[1]["state"] == "WAITING" and first[1]["wait"] == "child"
    assert first[sleeper[0]]["state"] == "WAITING" and first[sleeper[0]]["wait"] == "sleep"
    assert sum(r["current"] for r in first.values()) == 1

    # The ready queue holds exactly the READY processes (idle never queues).
    queued = [int(p) for p in RUNQ_RE.findall(s("runq"))]
    ready = {pid for pid, r in first.items() if r["state"] == "READY" and pid != 0}
    assert sorted(queued) == sorted(ready), s("runq") + s("ps")
    assert set(queued) <= set(spinners)
    waitq = s("waitq")
    assert re.search(r'"sleep".*pid %d \(sleep\)' % sleeper[0], waitq), waitq
    assert re.search(r'"child".*pid 1 \(init\)', waitq), waitq
    assert "mailboxes in use:" in s("mbox")
    # No node number, no migration: every table of `migrations` is empty.
    assert_no_migrations(s("migrations"))

    # Two switches, stopped at context_switch each time.  Round robin: the
    # next process is the head of the queue shown at the previous switch,
    # and whoever got the CPU is the next one to give it up.
    f1, t1, r1 = switch(s("switch-info", 1))
    f2, t2, r2 = switch(s("switch-info", 2))
    runq1 = [int(p) for p in RUNQ_RE.findall(s("runq", 2))]
    runq2 = [int(p) for p in RUNQ_RE.findall(s("runq", 3))]
    assert {f1, t1, f2, t2} <= set(spinners) and r1 == r2 == "preempted", s.text()
    assert f2 == t1, "switch 2 should start from pid %d:\n%s" % (t1, s.text())
    assert runq1 and t2 == runq1[0], "switch 2 should go to the head of %s:\n%s" % (runq1, s.text())
    assert len(runq1) == len(runq2) == SPINNERS - 1
    assert runq2 == runq1[1:] + [f2], "round robin order:\n" + s.text()
    check_after_switch(s, 1, 2, t1, f1)
    check_after_switch(s, 2, 3, t2, f2)

    # pcb and bt-proc of init, which waits for its children in the kernel.
    pcb = s("pcb 1")
    assert re.search(r'^  name\s+"init"$', pcb, re.M) and re.search(r"^  state\s+WAITING$", pcb, re.M)
    assert re.search(r"^  waiting_on\s+0x[0-9a-f]+\s+proc_table\[1\]\.child_exit", pcb, re.M), pcb
    assert "trapno 128 (system call), err 0x0, from user mode" in pcb
    # init has forked (copy-on-write pages) and its stack is reserved.
    m = re.search(r"^    (\d+) pages mapped: (\d+) copy-on-write, (\d+) frames shared "
                  r"with another address space, (\d+) reserved", pcb, re.M)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0 and int(m.group(4)) > 0, pcb
    bt = s("bt-proc 1")
    assert re.search(r"^#0 .* in schedule ", bt, re.M) and "trap frame at" in bt, bt

    # trace-switch: four switches, one line each, continuing the chain, in
    # the same round-robin cycle, and the kernel counted exactly four.
    traced = [(int(f), int(t), r) for f, _, t, _, r in SWITCH_RE.findall(s("continue", 3))]
    assert len(traced) == 4, s("continue", 3)
    chain = [(f1, t1), (f2, t2)] + [(f, t) for f, t, _ in traced]
    for (_, to_before), (from_next, _) in zip(chain, chain[1:]):
        assert from_next == to_before, chain
    tos = [t for _, t in chain]
    assert all(tos[i] == tos[i + SPINNERS] for i in range(len(tos) - SPINNERS)), chain
    assert all(r == "preempted" for _, _, r in traced)
    assert print_value(s("p context_switches", 2)) - print_value(s("p context_switches", 1)) == 4

    # ---- 3. Detached, the machine runs on, and the kernel's own ps agrees
    # with what gdb saw last: same processes, CPU time only grew.
    last = gdb_ps(s("ps", 4))
    assert node.run("echo still-alive") == "still-alive"
    _, after = ps_rows(node)
    after = {r["pid"]: r for r in after}
    ticks_col = columns.index("TICKS")
    for pid in spinners:
        assert after[pid]["state"] in ("READY", "RUNNING")
        assert int(after[pid]["words"][ticks_col]) >= last[pid]["ticks"], (after[pid], last[pid])
    assert after[sleeper[0]]["state"] == "WAITING" and after[1]["state"] == "WAITING"


@pytest.mark.skipif(bool(need("vde_switch")), reason="vde_switch (vde2) not installed")
def test_gdb_migrations(make_node):
    """Two nodes, each with a gdb stub.  A counter moves from node 0 to
    node 1 and back; at each stop `migrations` must show its deputy at
    home, its arrival on node 1, and node 1's forwarding record once it
    has gone home again."""
    workdir = default_workdir("gdbmig")
    os.makedirs(workdir, exist_ok=True)
    switch = Switch(os.path.join(workdir, "switch")).start()
    nodes = []
    try:
        ports = [free_port(), free_port()]
        for i in range(2):
            # What brinchnet.NetNode adds, plus a gdb stub (not paused).
            nodes.append(make_node(boot=False, cmdline="node=%d" % i, mem="64M",
                                   extra_args=nic_args(i, "vde,sock=%s" % switch.path) +
                                   ["-gdb", "tcp:127.0.0.1:%d" % ports[i]]))
        for n in nodes:
            n.wait_boot(timeout=90)
        home, away = nodes
        assert "ok" in home.run("kmsg echo 1 100 1", timeout=30)

        home.sendline("migtest count 1000 1000 &")
        home.wait_prompt()
        pid = int(home.expect(re.compile(r"count 1 pid (\d+) node 0"), timeout=30).group(1))
        home.sync()
        assert "-> node 1: stop" in home.run("migrate %d 1 stop" % pid, timeout=60)

        # Home: the PCB stays as the deputy, MOVED, with its parent, the shell.
        s = Session(gdb_batch(ports[0], ["migrations", "ps", "detach"]))
        assert re.search(r"^deputies \(proc_table, state MOVED\): 1$", s("migrations"), re.M)
        assert re.search(r"^  pid %d \(migtest\)\s+runs on node 1\s+parent \d+ \(sh\)$" % pid,
                         s("migrations"), re.M), s("migrations")
        assert gdb_ps(s("ps"))[pid]["state"] == "MOVED", s("ps")
        # Its port went with it; the deputy's port id is a stub pointing there.
        assert re.search(r"^  mbox \d+\s+-\s+created as 0:\d+\s+now 1:\d+\s+forwarding ",
                         s("migrations"), re.M), s("migrations")
        assert re.search(r"^leaving .*: 0 of \d+ slots in use$", s("migrations"), re.M)

        # Node 1: a process of its own table, named 0:pid.
        s = Session(gdb_batch(ports[1], ["migrations", "detach"]))
        assert re.search(r"^arrived from elsewhere .*: 1$", s("migrations"), re.M), s("migrations")
        assert re.search(r"^  pid \d+ \(migtest\)\s+is 0:%d " % pid, s("migrations"), re.M)

        # Back home: node 1 keeps a forwarding record, home has no deputy.
        assert "-> node 0: stop" in away.run("migrate 0:%d 0 stop" % pid, timeout=60)
        s = Session(gdb_batch(ports[1], ["migrations", "detach"]))
        assert re.search(r"^  0:%d went to node 0$" % pid, s("migrations"), re.M), s("migrations")
        assert re.search(r"^arrived from elsewhere .*: 0$", s("migrations"), re.M)
        s = Session(gdb_batch(ports[0], ["migrations", "detach"]))
        assert_no_migrations(s("migrations"))
        home.run("kill %d" % pid)
    finally:
        for n in nodes:         # before their switch goes
            n.stop()
        switch.stop()
        shutil.rmtree(workdir, ignore_errors=True)
