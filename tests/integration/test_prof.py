# test_prof.py: the kernel profiler (docs/profiling.md).  `prof start`, a
# CPU-bound program, `prof`: the report must name the function its busy
# loop sits in, from the program's own symbol table, and the samples must
# add up.  Part of `make integration`.

import re

from guest import free_frames

SUMMARY = re.compile(r"^prof: (\d+) samples, (\d+) dropped: (\d+) user, (\d+) kernel, (\d+) idle$", re.M)
ROW = re.compile(r"^\s+(\d+)\s+(\d+)\.(\d)%  (.+)$", re.M)


def test_prof_names_the_busy_function(node):
    _, before = free_frames(node)
    assert node.run("prof start") == ""
    node.run("burn 600", timeout=60)    # burn's loop is in its function job()
    out = node.run("prof", timeout=60)
    m = SUMMARY.search(out)
    assert m, out
    total, dropped, user, kernel, idle = map(int, m.groups())
    assert total == user + kernel + idle and dropped == 0, out
    assert total >= 30, "600 ms of CPU at 100 Hz, yet %d samples:\n%s" % (total, out)
    rows = ROW.findall(out)
    assert rows and rows[0][3] == "burn: job", "top function is not burn's job():\n" + out
    assert int(rows[0][0]) * 2 > total, out
    assert sum(int(r[0]) for r in rows) <= total, out
    # Kernel time is named by the kernel's symbol table (a sys_ handler,
    # vm_fault, or the idle loop), never left as a bare address.
    for count, _, _, where in rows:
        if where.startswith("kernel") or where.startswith("idle"):
            assert not re.search(r": 0x[0-9a-f]{8}$", where), out
    # `prof` forgot the samples and gave its buffer back.
    assert SUMMARY.search(node.run("prof")).group(1) == "0"
    _, after = free_frames(node)
    assert after == before, "%d frames free before, %d after" % (before, after)
    assert node.run("prof -n x; echo $?").endswith("2")
