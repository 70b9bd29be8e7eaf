#!/usr/bin/python3
# dmecheck.py: reads the consoles of a `dme` run (user/bin/dme, docs/dme.md)
# and checks what distributed mutual exclusion promises: no two critical
# sections overlapped (the shared counter's values are 0..E-1, each once;
# each entrant's Lamport time is past the previous one's exit), R-A
# entered in (timestamp, node) order, no node was bypassed more than n-1
# times, and the messages per entry are the algorithm's (3 central,
# 2(n-1) R-A; the token reached the next entrant within n passes).
#   dmecheck.py ALG NODES LOG... -> one summary line; exit 1 on a problem
# Tested by tests/tools/test_dmecheck.py; used by tests/integration/test_dme.py.

import re
import sys

EVENT = re.compile(r"^dme (\d+) (\d+) (request|enter|exit) (\d+)(.*)$", re.M)
ENTER_REST = re.compile(r" req (\d+) cs (\d+)(?: tok (\d+)\.(\d+))?")
SUMMARY = re.compile(r"^dme: (\d+) entries, (\d+) messages(.*)$", re.M)
HOST = re.compile(r"^dme host: (\d+) grants, (\d+) messages, counter (\d+)", re.M)
OVERLAP = re.compile(r"^dme \d+ \d+ OVERLAP.*$", re.M)
COORD = re.compile(r"^dme \d+ \d+ (arrive|grant) (\d+)$", re.M)
REGEN = re.compile(r"^dme (\d+) \d+ regenerate token", re.M)


class Entry:
    def __init__(self, node, pid, req, enter, cs, tok):
        self.node, self.pid, self.req, self.enter, self.cs, self.tok = \
            node, pid, req, enter, cs, tok
        self.exit = None


def parse(texts):
    """Entries (in each node's order), summaries, host line, overlaps,
    regenerations and problems of form, from the consoles' texts."""
    entries, summaries, problems = [], [], []
    host, overlaps, regens, coord = None, [], 0, []
    for text in texts:
        open_entry = {}         # node -> its Entry in progress
        requested = {}          # node -> latest request timestamp
        for m in EVENT.finditer(text):
            node, pid, what, t, rest = int(m.group(1)), int(m.group(2)), m.group(3), \
                int(m.group(4)), m.group(5)
            if what == "request":
                if node in open_entry:
                    problems.append("node %d requested inside its section" % node)
                requested[node] = t
            elif what == "enter":
                r = ENTER_REST.match(rest)
                if not r or node in open_entry or node not in requested:
                    problems.append("node %d: enter out of place: %r" % (node, m.group(0)))
                    continue
                tok = (int(r.group(3)), int(r.group(4))) if r.group(3) else None
                e = Entry(node, pid, int(r.group(1)), t, int(r.group(2)), tok)
                if e.req != requested.pop(node):
                    problems.append("node %d: entered on request %d, made %d" %
                                    (node, e.req, requested.get(node, -1)))
                open_entry[node] = e
                entries.append(e)
            else:
                e = open_entry.pop(node, None)
                if e is None:
                    problems.append("node %d: exit without enter" % node)
                    continue
                e.exit = t
        for node in open_entry:
            problems.append("node %d: never left its last section" % node)
        summaries += [(int(a), int(b)) for a, b, _ in SUMMARY.findall(text)]
        h = HOST.search(text)
        if h:
            host = tuple(int(x) for x in h.groups())
        overlaps += OVERLAP.findall(text)
        coord += [(what, int(node)) for what, node in COORD.findall(text)]
        regens += len(REGEN.findall(text))
    return entries, summaries, host, overlaps, regens, coord, problems


def coordinator_bypass(coord, problems):
    """The coordinator's log: grants in the order requests arrived (first
    come, first served); the most grants to others while one request
    waited."""
    waiting, worst = [], 0
    for what, node in coord:
        if what == "arrive":
            waiting.append([node, 0])
            continue
        if not waiting or waiting[0][0] != node:
            problems.append("coordinator granted %d, first in line was %s" %
                            (node, waiting[0][0] if waiting else None))
            continue
        waiting.pop(0)
        for w in waiting:
            w[1] += 1
            worst = max(worst, w[1])
    return worst


def check(alg, n, texts, expect_summaries=None):
    """(report dict, [problems]).  expect_summaries: how many nodes must
    have printed `dme: C entries, M messages` (default n)."""
    entries, summaries, host, overlaps, regens, coord, problems = parse(texts)
    problems += ["overlap reported: " + o for o in overlaps]
    by_cs = sorted(entries, key=lambda e: e.cs)
    total = len(entries)
    if [e.cs for e in by_cs] != list(range(total)):
        problems.append("the shared counter's values are not 0..%d each once: %s" %
                        (total - 1, [e.cs for e in by_cs][:40]))
    if host is not None and host[2] != total:
        problems.append("the counter ended at %d after %d entries" % (host[2], total))
    # Each entrant heard (through the algorithm's messages) of the exit before it.
    for a, b in zip(by_cs, by_cs[1:]):
        if a.exit is None or not a.exit < b.enter:
            problems.append("section %d (node %d, exit %s) not before section %d "
                            "(node %d, enter %d) in Lamport time" %
                            (a.cs, a.node, a.exit, b.cs, b.node, b.enter))
    if alg == "ra":
        for a, b in zip(by_cs, by_cs[1:]):
            if not (a.req, a.node) < (b.req, b.node):
                problems.append("R-A entered (%d,%d) before (%d,%d): not timestamp order" %
                                (a.req, a.node, b.req, b.node))
    # Bypass: others' entries between two consecutive entries of one node
    # (central: grants to others while a request waited at the coordinator).
    last = {}
    max_bypass = 0
    if alg == "central":
        max_bypass = coordinator_bypass(coord, problems)
        if max_bypass > n - 1:
            problems.append("a request waited through %d grants to others" % max_bypass)
    for e in by_cs if alg != "central" else ():
        if e.node in last:
            bypass = e.cs - last[e.node] - 1
            max_bypass = max(max_bypass, bypass)
            if bypass > n - 1:
                problems.append("node %d bypassed %d times before section %d" %
                                (e.node, bypass, e.cs))
        last[e.node] = e.cs
    want = n if expect_summaries is None else expect_summaries
    if len(summaries) != want:
        problems.append("%d nodes printed their summary, expected %d" % (len(summaries), want))
    if sum(c for c, _ in summaries) != total:
        problems.append("summaries count %d entries, the logs show %d" %
                        (sum(c for c, _ in summaries), total))
    messages = sum(m for _, m in summaries) + (host[1] if host else 0)
    expected = {"central": 3, "ra": 2 * (n - 1)}.get(alg)
    max_passes = 0
    if expected is not None and messages != expected * total:
        problems.append("%d messages for %d entries: expected %d per entry" %
                        (messages, total, expected))
    if alg == "ring":
        for a, b in zip(by_cs, by_cs[1:]):
            if a.tok is None or b.tok is None:
                problems.append("ring entry without its token")
                break
            if a.tok[0] == b.tok[0]:
                passes = b.tok[1] - a.tok[1]
                max_passes = max(max_passes, passes)
                if not 1 <= passes <= n:
                    problems.append("token took %d passes from section %d to %d" %
                                    (passes, a.cs, b.cs))
    report = {"alg": alg, "nodes": n, "entries": total, "messages": messages,
              "per_entry": messages / total if total else 0.0, "expected": expected,
              "max_bypass": max_bypass, "max_passes": max_passes,
              "regenerations": regens}
    return report, problems


def summary_line(report, problems):
    r = report
    return ("dmecheck: %s n=%d: %d entries, %d messages, %.2f per entry (expected %s), "
            "max bypass %d, regenerations %d: %s" %
            (r["alg"], r["nodes"], r["entries"], r["messages"], r["per_entry"],
             r["expected"] if r["expected"] is not None else "1..n passes",
             r["max_bypass"], r["regenerations"],
             "ok" if not problems else "%d problems" % len(problems)))


def main(argv):
    if len(argv) < 4:
        print("usage: dmecheck.py central|ra|ring NODES LOG...", file=sys.stderr)
        return 2
    texts = []
    for path in argv[3:]:
        with open(path, errors="replace") as f:
            texts.append(f.read().replace("\r", ""))
    report, problems = check(argv[1], int(argv[2]), texts)
    for p in problems:
        print("dmecheck: " + p)
    print(summary_line(report, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
