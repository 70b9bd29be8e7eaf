#!/usr/bin/python3
# tools/tracedemo.py: `make trace-demo` (docs/tracing.md).  Runs schedtest
# under each scheduling policy on one node, then the dining philosophers
# and the Lamport demo across three nodes, all traced, and leaves the
# dumps, viewer files and pictures in build/trace-demo/.
"""Usage: tools/tracedemo.py [--out DIR] [--work N] [--meals N] [--skip-cluster]"""

import argparse
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import Node, ROOT  # noqa: E402
from brinchnet import Cluster, default_workdir, need  # noqa: E402
from tracelib import dump, chrome, draw  # noqa: E402

POLICIES = ("rr", "prio", "mlfq")


def say(*args):
    print("trace-demo:", *args, flush=True)


def schedtest(out, work):
    """schedtest under each policy: one dump each, one Gantt chart each."""
    port = os.path.join(out, "schedtest.trace")
    if os.path.exists(port):
        os.remove(port)
    node = Node(extra_args=["-serial", "file:" + port], name="tracedemo",
                log_path=os.path.join(out, "schedtest.log"))
    node.start()
    try:
        node.wait_boot(60)
        for policy in POLICIES:
            node.run("sched " + policy)
            node.run("trace clear")
            node.run("trace on sched proc")
            node.run("schedtest -j %d" % work, timeout=120)
            node.run("trace off")
            if "dumped" not in node.run("trace dump", timeout=60):
                raise SystemExit("trace-demo: trace dump failed:\n" + node.log_tail())
    finally:
        node.stop()
    pictures = []
    for i, policy in enumerate(POLICIES):
        t = dump.load(port, index=i)
        pids = sorted(p for p, name in t.names.items() if name == "schedtest")
        path = os.path.join(out, "gantt-%s.png" % policy)
        draw.gantt(t, path, pids=pids, title="schedtest under %s: 3 CPU-bound, 2 I/O-bound children"
                   % policy)
        chrome.write(os.path.join(out, "schedtest-%s.json" % policy), chrome.chrome_json([t]))
        pictures.append(path)
    return pictures


def cluster(out, meals):
    """The philosophers (TABLE on node 0) and then `lamport hb` on three nodes."""
    if need("vde_switch"):
        say("skipping the three-node part: vde_switch (vde2) not installed")
        return []
    c = Cluster(3, default_workdir("tracedemo"), name="tracedemo", trace=True,
                cmdline="trace=sched,proc,ipc,kmsg")
    c.start()
    try:
        c.boot()
        c[0].sendline("dp_phil table &")
        c[0].expect("TABLE serving")
        c[0].sync()
        c[1].sendline("dp_phil phil 0-1 %d TABLE@0" % meals)
        c[2].sendline("dp_phil phil 2-4 %d TABLE@0" % meals)
        for i in (1, 2):
            c[i].expect(re.compile(r"dp_phil: (philosophers \d-\d ate|FAILED).*\n"), timeout=180)
            c[i].wait_prompt(30)
        say(c[1].run("dp_phil done %d TABLE@0" % meals, timeout=60).strip().splitlines()[-1])
        for i in range(3):
            c[i].run("trace dump", timeout=60)
            c[i].run("trace clear")
        for i in range(3):
            c[i].sendline("lamport hb 3 4 11")
        for i in range(3):
            c[i].expect(re.compile(r"hb %d done \d+ events" % i), timeout=120)
            c[i].wait_prompt(30)
        for i in range(3):
            c[i].run("trace dump", timeout=60)
        for i in range(3):
            shutil.copy(c.trace_path(i), os.path.join(out, "node%d.trace" % i))
    finally:
        c.stop()
    paths = [os.path.join(out, "node%d.trace" % i) for i in range(3)]
    phil = [dump.load(p, index=0) for p in paths]
    lamport = [dump.load(p, index=1) for p in paths]
    dump.align(phil)
    dump.align(lamport)
    chrome.write(os.path.join(out, "philosophers.json"), chrome.chrome_json(phil))
    chrome.write(os.path.join(out, "philosophers.speedscope.json"), chrome.speedscope(phil))
    chrome.write(os.path.join(out, "lamport.json"), chrome.chrome_json(lamport))
    pictures = [os.path.join(out, "spacetime-philosophers.png"),
                os.path.join(out, "spacetime-lamport.png")]
    n = draw.spacetime(phil, pictures[0], services=["mbox"], labels=False,
                       title="dining philosophers, TABLE on node 0: kernel messages")
    say("philosophers: %d kernel messages" % n)
    n = draw.spacetime(lamport, pictures[1], title="lamport hb 3 4: every kernel message with the "
                       "sender's time (tail) and the receiver's after receiving (head)")
    say("lamport: %d kernel messages" % n)
    return pictures


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "trace-demo"))
    ap.add_argument("--work", type=int, default=50000000)
    ap.add_argument("--meals", type=int, default=3)
    ap.add_argument("--skip-cluster", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    pictures = schedtest(a.out, a.work)
    if not a.skip_cluster:
        pictures += cluster(a.out, a.meals)
    for p in pictures:
        say(os.path.relpath(p, ROOT))


if __name__ == "__main__":
    main()
