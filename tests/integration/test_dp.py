# test_dp.py: the four distributed-processes examples (user/lib/dp.c,
# docs/distributed-processes.md) run in the guest and checked on what they
# print: their own verdict line, and the numbers behind each property.
# One boot for the whole file.  Part of `make integration`.

import re

import pytest

from guest import free_frames

TIMEOUT = 60


def run_ok(node, command, verdict):
    """Run command; it must print its verdict line ending in ": ok", no
    FAILED line, and exit 0.  Returns the output."""
    out = node.run(command, timeout=TIMEOUT)
    assert "FAILED" not in out, out
    assert re.search(r"(?m)^%s.*: ok$" % re.escape(verdict), out), \
        "no '%s...: ok' line from `%s`:\n%s" % (verdict, command, out)
    assert node.run("echo $?") == "0", "`%s` exited non-zero" % command
    return out


@pytest.mark.parametrize("args,letters", [("", 60), ("8 8 30 1", 240), ("1 3 200 64", 200)])
def test_buffer(guest, args, letters):
    out = run_ok(guest, ("dp_buffer " + args).strip(),
                 "dp_buffer: %d letters, each received once, in order per producer" % letters)
    m = re.search(r"BUFFER ran (\d+) calls; (\d+) waited at a WHEN .* held at most (\d+) letter",
                  out)
    assert m, out
    capacity = int(args.split()[3]) if args else 4
    assert int(m.group(3)) <= capacity, out


def test_buffer_guards_make_calls_wait(guest):
    # Eight producers and one slot: most SENDs must wait at their WHEN.
    out = run_ok(guest, "dp_buffer 8 1 20 1", "dp_buffer: 160 letters")
    waited = int(re.search(r"(\d+) waited at a WHEN", out).group(1))
    assert waited > 0, out


def test_stream_builtin_text(guest):
    out = run_ok(guest, "dp_stream", "dp_stream: 4 lines")
    assert "A CONCURRENT PROGRAM CONSISTS OF A FIXED NUMBER\n" in out, out
    assert "  -- PER BRINCH HANSEN, DISTRIBUTED PROCESSES, 1978\n" in out, out
    assert not re.search(r"[a-z]", out.split("dp_stream:")[0]), out


def test_stream_arguments(guest):
    out = run_ok(guest, "dp_stream hello 'two words' x9y",
                 "dp_stream: 3 lines, 20 characters through BUFFER")
    assert "HELLO\nTWO WORDS\nX9Y\n" in out, out


def test_stream_console(guest):
    guest.sendline("dp_stream -")
    guest.sendline("Typed at the console")
    guest.expect("TYPED AT THE CONSOLE")
    guest.sendline(".")
    out = guest.wait_prompt(TIMEOUT)
    assert "dp_stream: 1 lines, 21 characters through BUFFER: ok" in out, out


@pytest.mark.parametrize("mode", ["", "fair"])
def test_readers_writers(guest, mode):
    out = run_ok(guest, ("dp_rw " + mode).strip(), "dp_rw: never a writer with anyone else")
    m = re.search(r"up to (\d+) readers at once; a waiting writer saw (\d+) reads begin", out)
    assert m, out
    assert 1 <= int(m.group(1)) <= 3, out
    if mode == "fair":
        m = re.search(r"reads begin \(bound (\d+)\), a waiting reader (\d+) writes \(bound 1\)",
                      out)
        assert m, out
        assert int(m.group(2)) <= 1
    else:
        assert "no bounds" in out, out


def test_readers_writers_fair_many(guest):
    out = run_ok(guest, "dp_rw fair 6 3", "dp_rw: never a writer with anyone else; waits within")
    m = re.search(r"saw (\d+) reads begin \(bound (\d+)\)", out)
    assert m and int(m.group(1)) <= int(m.group(2)) == 18, out


@pytest.mark.parametrize("mode", ["", "fair"])
def test_philosophers(guest, mode):
    verdict = "dp_phil: no two neighbours ate at once, no deadlock"
    out = run_ok(guest, ("dp_phil %s 12" % mode).strip(), verdict)
    assert re.search(r"meals 12 12 12 12 12;", out), out
    m = re.search(r"a hungry philosopher saw at most (\d+) neighbour meals", out)
    assert m, out
    if mode == "fair":
        assert "(bound 2)" in out and int(m.group(1)) <= 2, out
        assert "nobody starved: ok" in out, out


def test_no_leftovers(guest):
    """After all that: no mailbox left behind, every frame back."""
    _, before = free_frames(guest)
    run_ok(guest, "dp_buffer", "dp_buffer: 60 letters")
    run_ok(guest, "dp_phil fair 3", "dp_phil: no two neighbours")
    _, after = free_frames(guest)
    assert after == before, "%d frames free before, %d after" % (before, after)
    listing = guest.run("mbox")
    assert not re.search(r"\b(BUFFER|TABLE|RESOURCE)\b", listing), listing
