# benchlib.py: what every benchmark driver of `make bench` shares (bench.py,
# netbench.py, distbench.py, rpc/rpcbench.py): the -icount flags and the
# sanity checks that make a run with impossible figures fail loudly.
"""Shared parts of the benchmark drivers.

A figure is a number in a result line that measures something: a time
("us", "min_us", "host_ms", ...), an instruction count or a rate
("msgs_per_s", "kbit_s", "pps").  Counts of what was done ("count",
"lost", "retransmits", ...) are not figures.  Every figure must be
positive: a zero or negative time is a broken clock or broken
bookkeeping, never a fast machine.

Round trips between two nodes must also be possible.  Each crosses the
same two NICs and the same switch at least once each way, so no round
trip's fastest sample can lie far below the fastest raw round trip (UDP
echo, or raw Ethernet) measured between the same nodes in the same run:
under half of it fails the run.  The raw reference itself fails if its
fastest sample is under a tenth of its median: a clock that stands still
for a moment shows as one impossibly fast sample.  (The margins keep host
noise, which only ever slows samples, from failing an honest run; the clock
fault these checks were written for gave 0 and 5 us beside a median near
300 us.)
"""

import json

# Guest time advances 1 ns per instruction; an idle guest's clock jumps
# straight to its next timer deadline (sleep=off).
ICOUNT_ARGS = ["-icount", "shift=0,align=off,sleep=off"]

# Why figures between two nodes are never taken under -icount (make bench
# ICOUNT=1 says so on each of their lines; docs/testing.md has the runs
# this was learned from).  A node waiting for its peer is idle.  With
# sleep=off an idle node's clock jumps to its next 10 ms timer tick: round
# trips come out as whole ticks, and the guests' own timeouts expire in a
# few host milliseconds (spurious retransmissions, failed calls).  With
# sleep=on idle time is host time again, and a figure mixes instructions
# with host waiting.  Neither counts instructions.
ICOUNT_NOT_APPLIED = (
    "not applied: guest wall-clock us; under -icount a node idle while it "
    "waits for its peer has no instruction count to give (docs/testing.md)")

# Keys that measure a time but may honestly be zero (a process that never
# had to wait for the CPU).
MAY_BE_ZERO = ("waiting_ms",)

# See above: a round trip's fastest sample against the reference's
# fastest, and the reference's fastest against its own median.
FLOOR_FRACTION = 0.5
REFERENCE_FRACTION = 0.1


class BenchFailure(SystemExit):
    """A result no machine can produce: the run stops with this message."""

    def __init__(self, message):
        super().__init__("bench: FAILED: " + message)


def is_figure(key, value):
    """True if result field key=value is a measurement (see above)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if key.startswith("xv6_") or key.startswith("goal_"):
        return False                # references and goals, not measured here
    return (key in ("us", "ms", "instructions", "pps")
            or key.endswith(("_us", "_ms", "_instructions", "_s"))
            or key.startswith(("us_", "ratio_")))


def check_figures(obj):
    """Fail unless every figure of one result line is positive."""
    for key, value in obj.items():
        if not is_figure(key, value):
            continue
        if value < 0 or (value == 0 and key not in MAY_BE_ZERO):
            raise BenchFailure("%s: %s is %r, an impossible figure: %s"
                               % (obj.get("bench"), key, value, json.dumps(obj)))


def check_floor(results, reference):
    """Fail if a round trip in results (the reference among them, or not)
    is faster than the raw round trip `reference` makes possible.  Each
    result has "us" (its median, or mean) and perhaps "min_us" (its
    fastest); results in another unit than "us" are not checked."""
    def fail(obj, fastest, why):
        raise BenchFailure("%s: fastest round trip %s us is %s: the guest clock "
                           "or the bookkeeping is wrong: %s"
                           % (obj.get("bench"), fastest, why, json.dumps(obj)))

    ref_fastest = reference.get("min_us", reference["us"])
    if ref_fastest < reference["us"] * REFERENCE_FRACTION:
        fail(reference, ref_fastest, "under a tenth of its median (%s us)" % reference["us"])
    for obj in results:
        if obj.get("unit") != "us" or obj is reference:
            continue
        fastest = obj.get("min_us", obj.get("us"))
        if fastest < ref_fastest * FLOOR_FRACTION:
            fail(obj, fastest, "under half the fastest raw round trip between the "
                 "same nodes in this run (%s: %s us)" % (reference.get("bench"), ref_fastest))


def emit(obj):
    """Check one result line, then print it as JSON on stdout (where nothing
    else goes)."""
    check_figures(obj)
    print(json.dumps(obj), flush=True)
