# guest.py: small parsers for the output of brinch's user programs (free, ps),
# shared by the integration tests in this directory.

import re

FREE_RE = re.compile(r"frames: (\d+) total, (\d+) free")
STATES = ("NEW", "READY", "RUNNING", "WAITING", "ZOMBIE", "SUSPENDED", "MOVED")   # include/brinch/types.h


def free_frames(node):
    """Run `free`; return (total frames, free frames)."""
    out = node.run("free")
    m = FREE_RE.search(out)
    assert m, "`free` printed no 'frames: N total, M free' line:\n" + out
    return int(m.group(1)), int(m.group(2))


def ps_rows(node):
    """Run `ps`; return (header line, [rows: dicts of 'pid', 'words', 'state', 'line'])."""
    lines = [l for l in node.run("ps").splitlines() if l.strip()]
    assert lines, "`ps` printed nothing"
    header = lines[0]
    cols = header.split()
    upper = [c.upper() for c in cols]
    assert "PID" in upper, "no PID column in the ps header: %r" % header
    pid_col = upper.index("PID")
    rows = []
    for line in lines[1:]:
        words = line.split()
        if len(words) <= pid_col or not words[pid_col].isdigit():
            continue
        state = next((w for w in words if w.upper() in STATES), None)
        rows.append({"pid": int(words[pid_col]), "words": words, "state": state, "line": line})
    return header, rows


def find_rows(rows, name):
    """The ps rows whose words include the process name."""
    return [r for r in rows if name in r["words"]]
