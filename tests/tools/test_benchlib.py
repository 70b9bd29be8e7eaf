# test_benchlib.py: host-side checks of tools/benchlib.py, the sanity checks
# every `make bench` driver applies to its results.  Run by `make tools-test`
# (part of `make test`); no QEMU, made-up figures.

import os
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from benchlib import BenchFailure, check_figures, check_floor, emit, is_figure  # noqa: E402

UDP = {"bench": "dist_udp_rtt", "us": 300, "min_us": 250, "count": 200, "lost": 0,
       "unit": "us"}


def test_figures_and_counts():
    assert is_figure("us", 3) and is_figure("min_us", 0) and is_figure("host_ms", 1.5)
    assert is_figure("msgs_per_s", 10) and is_figure("us_per_send", 4)
    assert is_figure("per_op_instructions", 229) and is_figure("ratio_to_udp_echo", 1.1)
    for key in ("count", "lost", "retransmits", "bytes", "node", "failed", "loss_pct",
                "xv6_instructions", "goal_ratio"):
        assert not is_figure(key, 0), key
    assert not is_figure("us", True) and not is_figure("unit", "us")


def test_sane_results_pass(capsys):
    check_figures(UDP)
    check_floor([UDP, dict(UDP, bench="kmsg_rtt", us=400, min_us=230)], UDP)
    check_figures({"bench": "sched_rr_io", "turnaround_ms": 200, "waiting_ms": 0})
    emit(UDP)
    assert capsys.readouterr().out.strip().startswith('{"bench": "dist_udp_rtt"')


@pytest.mark.parametrize("bad", [
    dict(UDP, min_us=0),                                # the clock froze across a tick
    dict(UDP, us=-3),
    {"bench": "getpid", "total_us": 0, "per_op_us": 0.0},
    {"bench": "rmbox_send", "msgs_s": 0, "unit": "us"},
])
def test_zero_or_negative_fails(bad, capsys):
    with pytest.raises(BenchFailure):
        emit(bad)
    assert capsys.readouterr().out == ""                # nothing half-printed


def test_round_trip_faster_than_raw_fails():
    # make bench printed this beside a UDP round trip of about 300 us.
    rpc = {"bench": "rpc_null_rtt", "us": 420, "min_us": 5, "unit": "us"}
    with pytest.raises(BenchFailure, match="rpc_null_rtt"):
        check_floor([rpc], UDP)
    slow = {"bench": "kmsg_rtt", "us": 900, "min_us": 130, "unit": "us"}
    check_floor([slow], UDP)                            # 130 us: over half of 250
    with pytest.raises(BenchFailure, match="kmsg_rtt"):
        check_floor([dict(slow, min_us=120)], UDP)
    ref = dict(UDP, min_us=5)                           # the reference itself
    with pytest.raises(BenchFailure, match="tenth of its median"):
        check_floor([ref], ref)


def test_floor_skips_other_units():
    check_floor([{"bench": "getpid", "us": 0.2, "unit": "instructions"}], UDP)
