# test_ipc.py: message passing, semaphores and shared memory seen from the
# shell: the IPC part of usertests, the `mbox` listing and ps wait reasons of
# blocked receivers, the two bounded-buffer programs and their frames, and
# the IPC benchmarks' output.  One boot for the whole file.
# Part of `make integration`; the node fixture comes from conftest.py.

import json
import re

import pytest

from guest import free_frames, ps_rows

USERTESTS_TIMEOUT = 60
IPC_TESTS = ("mbox_errors", "mbox_rendezvous", "mbox_bounded", "mbox_unbounded", "mbox_sizes",
             "mbox_owner_exit", "mbox_destroy_notice", "mbox_destroy_rendezvous", "mbox_eintr",
             "mbox_list", "direct", "call_reply", "reply_forged", "call_server_dies",
             "call_timeout", "direct_call", "direct_fallbacks", "direct_cow", "direct_big",
             "direct_rendezvous", "reply_receive", "sem", "shm", "ipc_no_frame_leak")
MBOX_ROW = re.compile(r"^\s*(\d+) (\S+)\s+(\d+) (0 \(rendezvous\)|unbounded|\d+)\s+"
                      r"(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")


def mbox_rows(node):
    """Run `mbox`; return {name: row dict} (ports and anonymous ones by id)."""
    out = node.run("mbox")
    assert any(l.split()[:3] == ["ID", "NAME", "OWNER"] for l in out.splitlines()), out
    rows = {}
    for line in out.splitlines():
        m = MBOX_ROW.match(line)
        if not m:
            continue
        row = dict(zip(("id", "name", "owner", "capacity", "queued", "senders", "receivers",
                        "sent", "received", "direct"), m.groups()))
        for key in ("id", "owner", "queued", "senders", "receivers", "sent", "received",
                    "direct"):
            row[key] = int(row[key])
        rows[row["name"] if row["name"] not in ("port", "-") else row["id"]] = row
    return rows


def test_usertests_ipc(guest):
    out = guest.run("usertests ipc", timeout=USERTESTS_TIMEOUT)
    m = re.search(r"usertests: (\d+) passed, (\d+) failed", out)
    assert m, "no usertests summary line:\n" + out
    assert int(m.group(2)) == 0, out
    for name in IPC_TESTS:
        assert "usertests: %s ok" % name in out, "%s did not pass:\n%s" % (name, out)
    assert int(m.group(1)) == len(IPC_TESTS)


def test_mbox_listing_and_wait_reason(guest):
    out = guest.run("ipcdemo hold demo 2 &")
    m = re.search(r"\[(\d+)\]", out)
    assert m, "no [pid] after starting ipcdemo in the background: %r" % out
    owner = int(m.group(1))
    # Its one line of output comes in the background: take it out of the
    # way of the next commands' output.
    if "2 receivers waiting" not in out:
        guest.expect("2 receivers waiting")
    for _ in range(50):                     # until both receivers block
        row = mbox_rows(guest).get("demo")
        if row and row["receivers"] == 2:
            break
    else:
        raise AssertionError("mailbox demo never had 2 receivers: %r" % (row,))
    assert row["owner"] == owner, row
    assert row["capacity"] == "0 (rendezvous)", row
    assert (row["queued"], row["senders"], row["sent"]) == (0, 0, 0), row

    _, procs = ps_rows(guest)
    mine = [r for r in procs if r["pid"] == owner]
    assert mine, "ipcdemo %d not in ps" % owner
    assert mine[0]["state"] == "WAITING", mine[0]["line"]
    assert mine[0]["line"].rstrip().endswith("mbox %d" % row["id"]), mine[0]["line"]
    helpers = [r for r in procs if "ipcdemo" in r["words"] and r["pid"] != owner]
    assert len(helpers) == 1 and helpers[0]["line"].rstrip().endswith("mbox %d" % row["id"])

    # The owner's death ends the mailbox; its other receiver gets EPIPE.
    guest.run("kill %d" % owner)
    for _ in range(20):
        _, procs = ps_rows(guest)
        if not any("ipcdemo" in r["words"] for r in procs):
            break
    else:
        raise AssertionError("ipcdemo processes left after killing the owner")
    assert "demo" not in mbox_rows(guest)


@pytest.mark.parametrize("program", ["pc_shm", "pc_mbox"])
def test_bounded_buffer(guest, program):
    _, before = free_frames(guest)
    for args, items in (("", 1000), (" 3000 1", 3000), (" 2000 64", 2000)):
        out = guest.run(program + args, timeout=60)
        assert "%s: %d items, in order, ok" % (program, items) in out, out
        assert "FAILED" not in out, out
        assert guest.run("echo $?") == "0"
    _, after = free_frames(guest)
    assert after == before, "%s: %d frames free before, %d after" % (program, before, after)


def test_bounded_buffer_usage(guest):
    guest.run("pc_mbox 10 0")
    assert guest.run("echo $?") == "2"
    guest.run("pc_shm 10 999999")
    assert guest.run("echo $?") == "2"


def test_bench_ipc_entries(guest):
    for name, iterations in (("mbox_roundtrip", 500), ("mbox_throughput_64", 2000),
                             ("mbox_throughput_4096", 500), ("signal_roundtrip", 2000)):
        out = guest.run("bench %s %d" % (name, iterations), timeout=60)
        line = next((l for l in out.splitlines() if l.startswith("{")), None)
        assert line, "bench %s printed no JSON:\n%s" % (name, out)
        obj = json.loads(line)
        assert obj["bench"] == name and obj["iterations"] == iterations, obj
        assert obj["total_us"] > 0 and float(obj["per_op_us"]) > 0, obj
        if "throughput" in name:
            assert obj["msgs_per_s"] > 0, obj


def test_kernel_regressions(guest):
    """Bugs found while writing these tests stay fixed (usertests/kbugs.c)."""
    out = guest.run("usertests regress", timeout=USERTESTS_TIMEOUT)
    assert re.search(r"usertests: \d+ passed, 0 failed", out), out
