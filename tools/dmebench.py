#!/usr/bin/python3
# dmebench.py: distributed mutual exclusion at scale (user/bin/dme,
# docs/dme.md), run by `make bench`: clusters of 3, 8 and 16 nodes on one
# vde switch, each algorithm entering the critical section COUNT times per
# node, every run checked by tools/dmecheck.py before it is reported.
"""Print DME benchmark results as JSON lines on stdout.

  dme_ALG_nN    entries_s: critical sections entered per second by the whole
                cluster (all entries / the slowest node's time from its
                first request to its last exit, guest clocks);
                msgs_per_entry beside the textbook's figure (3 central,
                2(n-1) Ricart-Agrawala, 1..n token passes)

Everything runs under TCG on one host: compare runs on the same machine.
With --icount every line says why there is no instruction count (nodes
wait for one another: tools/benchlib.py).
"""

import argparse
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import Cluster, default_workdir, need  # noqa: E402
from benchlib import ICOUNT_NOT_APPLIED, emit  # noqa: E402
import dmecheck  # noqa: E402

SUMMARY = re.compile(r"dme: (\d+) entries, (\d+) messages, (\d+) ms.*\n")
TEXTBOOK = {"central": "3", "ra": "2(n-1)", "ring": "1 to n passes"}


def run(cluster, n, alg, count, timeout):
    starts = {k: len(cluster[k].text) for k in range(n)}
    for k in range(n):
        cluster[k].sendline("dme %s %d -n %d" % (alg, count, n))
    slowest, outs = 0, []
    for k in range(n):
        m = cluster[k].expect(SUMMARY, timeout)
        cluster[k].wait_prompt(60)
        slowest = max(slowest, int(m.group(3)))
        outs.append(cluster[k].text[starts[k]:].replace("\r", ""))
    report, problems = dmecheck.check(alg, n, outs)
    if problems:
        raise SystemExit("dmebench: %s on %d nodes failed its check: %s" %
                         (alg, n, problems[:5]))
    return report, max(slowest, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", default="3,8,16")
    ap.add_argument("--count", type=int, default=20, help="entries per node")
    ap.add_argument("--icount", action="store_true")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    if need("vde_switch"):
        print("dmebench: skipped: vde_switch not installed "
              "(sh tools/ensure-deps.sh vde_switch:vde2)", file=sys.stderr)
        return
    for n in [int(x) for x in args.nodes.split(",")]:
        cluster = Cluster(n, default_workdir("dmebench%d" % n), name="dmebench%d" % n)
        try:
            cluster.start()
            cluster.boot(args.timeout)
            for alg in ("central", "ra", "ring"):
                report, ms = run(cluster, n, alg, args.count, args.timeout)
                obj = {"bench": "dme_%s_n%d" % (alg, n), "nodes": n,
                       "count": report["entries"],
                       "entries_s": round(report["entries"] * 1000.0 / ms, 1),
                       "msgs_per_entry": round(report["per_entry"], 2),
                       "textbook": TEXTBOOK[alg], "max_bypass": report["max_bypass"]}
                if args.icount:
                    obj["icount"] = ICOUNT_NOT_APPLIED
                emit(obj)
        finally:
            cluster.stop()
        shutil.rmtree(cluster.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
