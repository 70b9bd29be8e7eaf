#!/usr/bin/python3
# insncount.py: counts the instructions of one guest operation by function,
# kernel and user alike, from outside the kernel (docs/profiling.md, "Fast
# paths").  Where the profiler (prof) says which system call a tick fell
# in, this says which functions every instruction of an operation ran in.
"""Instructions per operation, by function.

    tools/insncount.py 'bench getpid {n}' 1000

boots one node under QEMU with -icount (one instruction, one nanosecond)
and -singlestep (one instruction per translated block), and has QEMU log
the address of every block it executes ("log exec,nochain" from its
monitor) while the guest runs the command with {n} = N, then again with
{n} = 2N.  Each address is put in its function (nm -n of build/kernel.elf
and of build/bin/PROGRAM, PROGRAM being the command's first word), and the
second run's counts less the first's, divided by N, are the instructions
of one operation: the command's fixed costs (the shell, a fork) cancel.
A `rep` instruction counts once per repetition, as -icount counts it.
"""

import argparse
import bisect
import collections
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import ROOT, Node, scale  # noqa: E402
from benchlib import ICOUNT_ARGS  # noqa: E402

TRACE_RE = re.compile(rb"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
USER_TOP = 0xC0000000                   # kernel addresses from here on


class Monitor:
    """QEMU's human monitor on a unix socket: one command at a time, each
    answered when the next "(qemu) " prompt comes."""

    PROMPT = b"(qemu) "

    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self._until_prompt()            # the banner

    def _until_prompt(self):
        data = b""
        while not data.endswith(self.PROMPT):
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("insncount: the QEMU monitor closed")
            data += chunk
        return data

    def command(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self._until_prompt()

    def close(self):
        self.sock.close()


def symbols(path):
    """[(address, name)] of the text symbols of an ELF file, by address."""
    out = subprocess.run(["nm", "-n", path], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            syms.append((int(fields[0], 16), fields[2]))
    return syms


class Namer:
    """Address -> "function" (kernel) or "PROGRAM: function" (user)."""

    def __init__(self, kernel, program, program_path):
        self.tables = {}
        for key, syms, prefix in ((True, symbols(kernel), ""),
                                  (False, symbols(program_path), program + ": ")):
            self.tables[key] = ([a for a, _ in syms], [prefix + n for _, n in syms])

    def __call__(self, pc):
        addrs, names = self.tables[pc >= USER_TOP]
        i = bisect.bisect_right(addrs, pc) - 1
        return names[i] if i >= 0 else "0x%08x" % pc


def count_blocks(log_path):
    """Executions of each guest address in a QEMU exec log."""
    counts = collections.Counter()
    with open(log_path, "rb") as f:
        for line in f:
            m = TRACE_RE.match(line)
            if m:
                counts[int(m.group(1), 16)] += 1
    return counts


def measure(command, n, timeout, kernel="build/kernel.elf", log=sys.stderr):
    """Run command with {n} = n and 2n; return {function: instructions per
    operation} (floats) and the total per operation."""
    program = command.split()[0]
    namer = Namer(os.path.join(ROOT, kernel), program,
                  os.path.join(ROOT, "build", "bin", program))
    tmp = tempfile.mkdtemp(prefix="insncount")
    mon_path, log_path = os.path.join(tmp, "monitor"), os.path.join(tmp, "exec.log")
    node = Node(kernel=kernel, name="insncount",
                extra_args=ICOUNT_ARGS + ["-singlestep", "-D", log_path, "-monitor",
                                          "unix:%s,server,nowait" % mon_path],
                log_path=os.path.join(tmp, "serial.log"))
    runs = []
    try:
        node.start()
        node.wait_boot(timeout=timeout)
        mon = Monitor(mon_path, timeout * scale())
        for k in (n, 2 * n):
            run_log = "%s.%d" % (log_path, k)     # a file of its own each
            node.sync()
            mon.command("logfile " + run_log)
            mon.command("log exec,nochain")
            node.run(command.format(n=k), timeout=timeout)
            mon.command("log none")     # closes, so flushes, the log file
            runs.append(count_blocks(run_log))
            print("insncount: %s: %d instructions" % (command.format(n=k),
                  sum(runs[-1].values())), file=log)
        mon.close()
    finally:
        node.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    by_function = collections.Counter()
    for pc, c in runs[1].items():
        by_function[namer(pc)] += c
    for pc, c in runs[0].items():
        by_function[namer(pc)] -= c
    total = sum(by_function.values()) / n
    return {f: c / n for f, c in by_function.items()}, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", help="guest command; {n} is replaced by the count")
    ap.add_argument("n", type=int, help="operations in the first run (the second: 2n)")
    ap.add_argument("--top", type=int, default=40, help="functions shown (40)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per step")
    args = ap.parse_args()
    if "{n}" not in args.command or args.n <= 0:
        ap.error("the command needs {n}, and n must be positive")
    per_op, total = measure(args.command, args.n, args.timeout)
    print("%.1f instructions per operation" % total)
    rows = sorted(per_op.items(), key=lambda kv: -abs(kv[1]))
    for name, count in rows[:args.top]:
        if abs(count) >= 0.05:
            print("%10.1f  %s" % (count, name))


if __name__ == "__main__":
    main()
