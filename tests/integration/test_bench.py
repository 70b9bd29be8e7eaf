# test_bench.py: a smoke run of every `make bench` driver (tools/bench.py,
# netbench.py, distbench.py, migbench.py, rpc/rpcbench.py) with small
# counts.  Checks what they print, never how fast anything was: each stdout
# line is one JSON object naming its benchmark and unit, and every figure in
# it is positive.

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from benchlib import is_figure  # noqa: E402
from brinchnet import need  # noqa: E402
from brinchvm import scale  # noqa: E402

# driver and smoke-run arguments -> benchmarks it must report
DRIVERS = {
    "bench": (["tools/bench.py", "--quick"],
              {"boot_to_prompt", "getpid", "fork_wait", "fork_exec_wait", "mbox_roundtrip",
               "sched_rr_cpu", "sched_mlfq_io", "fork_wait_cow0", "fork_wait_cow_vs_copy",
               "fork_exec_wait_cow_vs_copy"}),
    "bench-icount": (["tools/bench.py", "--quick", "--icount"],
                     {"boot_to_prompt", "getpid", "fork_wait", "mbox_roundtrip",
                      "mbox_roundtrip_split", "fork_wait_cow_vs_copy"}),
    "netbench": (["tools/netbench.py", "--count", "10", "--flood", "100"],
                 {"net_raw_rtt", "net_udp_rtt", "net_icmp_rtt", "net_udp_send",
                  "net_udp_throughput", "host_udp_rtt"}),
    "distbench": (["tools/distbench.py", "--count", "10", "--sends", "20"],
                  {"dist_udp_rtt", "kmsg_rtt", "kmsg_rtt_64k", "rmbox_call_rtt", "rmbox_send"}),
    "distbench-icount": (["tools/distbench.py", "--count", "10", "--sends", "20", "--icount"],
                         {"dist_udp_rtt", "kmsg_rtt"}),
    "migbench": (["tools/migbench.py", "--pages", "16", "--reps", "1", "--count", "5"],
                 {"mig_raw_64k", "mig_stop_64k", "mig_precopy_64k", "mig_lazy_64k"}),
    "rpcbench": (["tools/rpc/rpcbench.py", "--count", "10"],
                 {"rpc_udp_echo_rtt", "rpc_null_rtt", "rpc_sink_rtt", "rpc_echo_rtt",
                  "rpc_model"}),
}


def run_driver(argv):
    """Run a driver; return its result lines as dicts (stderr shown on failure)."""
    proc = subprocess.run([sys.executable] + argv, cwd=ROOT, capture_output=True,
                          text=True, timeout=300 * scale())
    assert proc.returncode == 0, "%s failed (%d):\n%s\n%s" % (
        " ".join(argv), proc.returncode, proc.stdout, proc.stderr[-3000:])
    results = []
    for line in proc.stdout.splitlines():
        obj = json.loads(line)          # nothing but JSON goes to stdout
        assert isinstance(obj, dict) and obj.get("bench") and obj.get("unit"), line
        results.append(obj)
    return results


@pytest.mark.parametrize("driver", sorted(DRIVERS))
def test_driver_smoke(driver):
    argv, expected = DRIVERS[driver]
    if driver not in ("bench", "bench-icount") and need("vde_switch"):
        pytest.skip("vde_switch (vde2) not installed")
    results = run_driver(argv)
    assert expected <= {r["bench"] for r in results}
    for r in results:
        figures = {k: v for k, v in r.items() if is_figure(k, v)}
        assert figures, "no figures in %r" % r
        for key, value in figures.items():
            assert value > 0 or key == "waiting_ms", "%s: %s = %r" % (r["bench"], key, value)
    if driver == "bench-icount":
        # Instruction counts, with xv6-public's beside where it has one.
        by_name = {r["bench"]: r for r in results}
        assert all(r["unit"] in ("instructions", "virtual_ms") for r in results)
        assert by_name["getpid"]["xv6_instructions"] == 1400
        assert "per_op_instructions" in by_name["fork_wait"]
        # Issue 13's goals beside the fast paths, and only there.
        assert by_name["mbox_roundtrip"]["goal_instructions"] == 2000
        assert by_name["getpid"]["goal_instructions"] == 150
        assert "goal_instructions" not in by_name["mbox_roundtrip_split"]
    elif driver == "distbench-icount":
        assert all(r["icount"].startswith("not applied") for r in results)
    elif driver == "bench":
        assert not any(k.startswith(("xv6", "goal")) for r in results for k in r)
    elif driver == "migbench":
        # Each migration beside its reference and its goal.
        by_name = {r["bench"]: r for r in results}
        for name in ("mig_stop_64k", "mig_precopy_64k", "mig_lazy_64k"):
            assert by_name[name]["raw_us"] == by_name["mig_raw_64k"]["us"]
            assert isinstance(by_name[name]["meets_goal"], bool) and by_name[name]["goal"]
        assert by_name["mig_precopy_64k"]["stop_freeze_us"] == by_name["mig_stop_64k"]["freeze_us"]
        assert by_name["mig_lazy_64k"]["stop_freeze_us"] == by_name["mig_stop_64k"]["freeze_us"]
        assert by_name["mig_lazy_64k"]["pages_sent"] == 0      # none while stopped
