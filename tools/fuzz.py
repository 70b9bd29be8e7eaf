#!/usr/bin/python3
# fuzz.py: the host side of brinch's system-call fuzzer (docs/testing.md).
# Boots a node under QEMU, notes its free frames and kernel heap, runs the
# guest's `fuzz -n CALLS -s SEED -p PROCS`, and then wants memory back at
# that baseline once the fuzzer's processes are gone.  When the kernel
# panics, or the guest says nothing for --silence seconds (a hang the
# guest cannot report itself), or the fuzzer reports a call that hangs, it
# prints the seed, the last calls and how to replay them.  `make fuzz`
# runs it full length; tests/integration/test_fuzz.py imports run().
"""usage: tools/fuzz.py [--calls N] [--seed S] [--procs P] [--every K]"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import ConsoleError, Node, ROOT, scale  # noqa: E402

FREE_RE = re.compile(r"frames: \d+ total, (\d+) free.*\nheap: (\d+) bytes", re.S)
END_RE = re.compile(r"fuzz: (\d+) calls, seed (\d+), .*\nfuzz: errors:.*\n")
EVENT_RE = re.compile(r"fuzz: progress \d+ calls\n|fuzz: HANG|brinch: panic|brinch: kernel ")
TAIL_LINES = 40


def memory(node):
    """(free frames, kernel heap bytes) from `free`."""
    out = node.run("free", timeout=30)
    m = FREE_RE.search(out)
    assert m, "`free` printed no frames/heap lines:\n" + out
    return int(m.group(1)), int(m.group(2))


def settle(node, baseline, timeout=30):
    """Memory once it stops changing or reaches baseline: init reaps the
    orphans of killed fuzzing processes in its own time."""
    deadline = time.monotonic() + timeout * scale()
    now = memory(node)
    while now != baseline and time.monotonic() < deadline:
        time.sleep(0.5)
        now = memory(node)
    return now


class FuzzFailure(AssertionError):
    pass


def report(node, seed, cmd, what):
    """Seed, last calls and the replay line, for a failure."""
    lines = node.text.splitlines()
    tail = "\n".join(lines[-TAIL_LINES:])
    return ("%s\nseed %d; replay: boot brinch (make run) and type\n    %s -k 1\n"
            "(each process's calls follow from the seed; -k 1 prints every call before "
            "it is made)\n--- last %d lines of the console (log %s) ---\n%s"
            % (what, seed, cmd, TAIL_LINES, node.log_path, tail))


def run(node, calls, seed, procs=4, every=0, silence=60, extra=""):
    """Run the fuzzer on a booted node (extra: more options, such as -H);
    return a dict of what it printed.
    Raises FuzzFailure (with the seed and the last calls) on a panic, a
    hang, or memory not back at its baseline."""
    node.run("free", timeout=30)                # settle the shell first
    baseline = memory(node)
    cmd = "fuzz -n %d -s %d -p %d" % (calls, seed, procs)
    node.sendline(cmd + (" -k %d" % every if every else "") + (" " + extra if extra else ""),
                  timeout=30)
    while True:
        try:
            m = node.expect(re.compile(EVENT_RE.pattern + "|" + END_RE.pattern), silence)
        except ConsoleError:
            raise FuzzFailure(report(node, seed, cmd, "the guest said nothing for %ds, "
                                     "or QEMU ended" % silence))
        text = m.group(0)
        if text.startswith("brinch: "):
            time.sleep(1)                       # the rest of the panic and backtrace
            raise FuzzFailure(report(node, seed, cmd, "the kernel panicked"))
        if text.startswith("fuzz: HANG"):
            try:
                node.expect(END_RE, 120)
            except ConsoleError:
                pass
            raise FuzzFailure(report(node, seed, cmd, "a system call hung"))
        if text.startswith("fuzz: progress"):
            continue
        done = int(m.group(1))
        break
    out = node.wait_prompt(60)
    status = node.run("echo $?", timeout=30)
    after = settle(node, baseline)
    result = {"calls": done, "seed": seed, "procs": procs, "status": status,
              "baseline": baseline, "after": after, "summary": m.group(0) + out}
    if done != calls or status != "0":
        raise FuzzFailure(report(node, seed, cmd, "fuzz ended with status %s after %d "
                                 "of %d calls" % (status, done, calls)))
    if after != baseline:
        raise FuzzFailure(report(node, seed, cmd, "memory not back: free frames, heap "
                                 "bytes %s before, %s after" % (baseline, after)))
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=int(time.time()) % 1000000)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--every", type=int, default=0, help="print every K-th call")
    ap.add_argument("--silence", type=int, default=60)
    args = ap.parse_args()
    log = os.path.join(ROOT, "build", "test-logs", "fuzz-%d.log" % args.seed)
    start = time.monotonic()
    with Node(log_path=log, name="fuzz") as node:
        node.wait_boot()
        try:
            r = run(node, args.calls, args.seed, args.procs, args.every, args.silence)
        except FuzzFailure as e:
            print("fuzz: FAILED: %s" % e)
            return 1
    print(r["summary"].strip())
    print("fuzz: %d calls, seed %d, in %.0f s; free frames and heap %s before, %s after"
          % (r["calls"], r["seed"], time.monotonic() - start, r["baseline"], r["after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
