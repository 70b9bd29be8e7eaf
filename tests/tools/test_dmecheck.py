# test_dmecheck.py: host-side checks of tools/dmecheck.py, the reader of
# `dme` consoles (docs/dme.md): it passes good runs of each algorithm and
# catches each thing it exists to catch (an overlap, a lost update, a
# Lamport or timestamp-order violation, a bypass, a wrong message count,
# a coordinator out of turn, a slow token).  Run by `make tools-test`.

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import dmecheck  # noqa: E402


def run(entries, messages, host=None, extra=()):
    """Consoles for entries [(node, req, enter, cs, exit, tok)] in that order
    of time; messages per node; host = (grants, messages, counter)."""
    texts = {}
    for node, req, enter, cs, ex, tok in entries:
        t = texts.setdefault(node, [])
        t.append("dme %d 5 request %d" % (node, req))
        t.append("dme %d 5 enter %d req %d cs %d%s" %
                 (node, enter, req, cs, " tok %d.%d" % tok if tok else ""))
        t.append("dme %d 5 exit %d" % (node, ex))
    for node, m in messages.items():
        count = sum(1 for e in entries if e[0] == node)
        texts.setdefault(node, []).append("dme: %d entries, %d messages" % (count, m))
    if host:
        texts[0].insert(0, "dme host: %d grants, %d messages, counter %d" % host)
    for node, line in extra:
        texts[node].insert(0, line)
    return ["\n".join(t) + "\n" for t in texts.values()]


# Ricart-Agrawala, 3 nodes, 2 entries each, in (timestamp, node) order.
RA = [(0, 1, 5, 0, 6, None), (2, 1, 8, 1, 9, None), (1, 2, 11, 2, 12, None),
      (0, 10, 14, 3, 15, None), (2, 10, 17, 4, 18, None), (1, 12, 20, 5, 21, None)]
RA_MSGS = {0: 8, 1: 8, 2: 8}


def test_good_ricart_agrawala_run_passes():
    report, problems = dmecheck.check("ra", 3, run(RA, RA_MSGS))
    assert problems == [], problems
    assert report["entries"] == 6 and report["per_entry"] == 4.0
    assert "ok" in dmecheck.summary_line(report, problems)


def test_overlap_and_lost_update_are_caught():
    bad = [e if e[3] != 2 else e[:3] + (1,) + e[4:] for e in RA]     # cs 1 twice
    _, problems = dmecheck.check("ra", 3, run(bad, RA_MSGS))
    assert any("counter" in p for p in problems), problems
    _, problems = dmecheck.check("ra", 3, run(RA, RA_MSGS, extra=[(1, "dme 1 5 OVERLAP: x")]))
    assert any("overlap" in p for p in problems), problems


def test_lamport_and_timestamp_order_are_checked():
    late = [e if e[3] != 1 else (2, 1, 4, 1, 9, None) for e in RA]    # enters before 0 left
    _, problems = dmecheck.check("ra", 3, run(late, RA_MSGS))
    assert any("Lamport" in p for p in problems), problems
    swapped = [e if e[3] != 3 else (0, 13, 14, 3, 15, None) for e in RA]   # 13 before 10
    _, problems = dmecheck.check("ra", 3, run(swapped, RA_MSGS))
    assert any("timestamp order" in p for p in problems), problems


def test_message_count_is_checked():
    _, problems = dmecheck.check("ra", 3, run(RA, {0: 8, 1: 8, 2: 7}))
    assert any("per entry" in p for p in problems), problems
    _, problems = dmecheck.check("ra", 3, run(RA, {0: 8, 1: 8}))
    assert any("summary" in p for p in problems), problems


def test_bypass_beyond_n_minus_1_is_caught():
    # Node 0 enters at 0 and 4; nodes 1, 2 and 1 again in between: 3 > n-1.
    e = [(0, 1, 2, 0, 3, None), (1, 1, 5, 1, 6, None), (2, 1, 8, 2, 9, None),
         (1, 7, 11, 3, 12, None), (0, 4, 14, 4, 15, None), (2, 10, 17, 5, 18, None)]
    _, problems = dmecheck.check("ring", 3, run(e, {0: 2, 1: 2, 2: 2}))
    assert any("bypassed 3 times" in p for p in problems), problems


def test_coordinator_first_come_first_served():
    e = [(1, 1, 5, 0, 6, None), (2, 1, 9, 1, 10, None)]
    fair = [(0, "dme 0 9 arrive 1\ndme 0 9 grant 1\ndme 0 9 arrive 2\ndme 0 9 grant 2")]
    texts = run(e, {0: 0, 1: 2, 2: 2}, host=(2, 2, 2), extra=fair)
    report, problems = dmecheck.check("central", 3, texts)
    assert problems == [], problems
    unfair = [(0, "dme 0 9 arrive 1\ndme 0 9 arrive 2\ndme 0 9 grant 2\ndme 0 9 grant 1")]
    texts = run(e, {0: 0, 1: 2, 2: 2}, host=(2, 2, 2), extra=unfair)
    _, problems = dmecheck.check("central", 3, texts)
    assert any("first in line" in p for p in problems), problems


def test_token_passes_between_entries():
    e = [(0, 1, 2, 0, 3, (1, 0)), (1, 1, 5, 1, 6, (1, 1)), (2, 1, 8, 2, 9, (1, 2))]
    _, problems = dmecheck.check("ring", 3, run(e, {0: 1, 1: 1, 2: 1}))
    assert problems == [], problems
    e[2] = (2, 1, 8, 2, 9, (1, 9))
    _, problems = dmecheck.check("ring", 3, run(e, {0: 1, 1: 1, 2: 1}))
    assert any("passes" in p for p in problems), problems
