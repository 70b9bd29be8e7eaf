# test_rpc.py: ONC RPC between two brinch nodes on a vde switch (docs/rpc.md):
# the portmapper and rpcd that init starts, rps, rcat, vecmul, the counter,
# every accept/reject status, the three server models, and calls crafted
# on the host (tools/rpc/onc.py) that a server must deny, drop or answer
# from its duplicate cache.  Traffic stays in unix sockets.

import os
import re
import sys
import time

import pytest

from brinchvm import ROOT
from brinchnet import counters, need
from conftest import NODES, booted_cluster
from guest import find_rows, ps_rows

sys.path.insert(0, os.path.join(ROOT, "tools", "rpc"))
import onc  # noqa: E402

pytestmark = pytest.mark.skipif(bool(need("vde_switch")),
                                reason="vde_switch (Debian package vde2) not installed")

PROGRAMS = ("rps", "rfile", "vec", "counter", "echo")


def wait_rpcd(node, timeout=30):
    """Wait until the node's rpcd has registered everything; its port."""
    deadline = time.monotonic() + timeout
    while True:
        out = node.run("rpcinfo -p", timeout=20)
        ports = {l.split()[4]: int(l.split()[3]) for l in out.splitlines()
                 if len(l.split()) == 5 and l.split()[0].isdigit()}
        if all(p in ports for p in PROGRAMS):
            return ports["echo"]
        if time.monotonic() > deadline:
            raise AssertionError("rpcd did not register in time:\n" + out)
        time.sleep(0.5)


def all_rpcd(cluster):
    """Until every node's rpcd has registered with its portmapper."""
    for node in cluster.nodes.values():
        wait_rpcd(node)


@pytest.fixture(scope="module")
def cluster(request):
    yield from booted_cluster(request, 2, "test_rpc", ready=all_rpcd)


@pytest.fixture(autouse=True)
def report_nodes(request, cluster):
    request.node.stash.setdefault(NODES, []).extend(cluster.nodes.values())


@pytest.fixture(scope="module")
def wire(cluster):
    return onc.Wire(cluster.plug(), cluster[1].ip, cluster[1].mac)


def pid_of(node, name):
    """The pid of the named server: of the first such process whose parent
    is not one too (the client and call models fork workers)."""
    header, rows = ps_rows(node)
    mine = find_rows(rows, name)
    pids = {r["pid"] for r in mine}
    ppid_col = [c.upper() for c in header.split()].index("PPID")
    for r in mine:
        if int(r["words"][ppid_col]) not in pids:
            return r["pid"]
    raise AssertionError("no %s process on %s" % (name, node.name))


def stop_rpcd(node, verbose=False, timeout=20):
    """Kill rpcd (and its workers) and wait until none is left alive, so
    that a new one can bind its ports.  A verbose rpcd prints its counters
    as it goes: wait for them too, or they land in the next command's
    output."""
    if verbose:
        node.sendline("kill %d" % pid_of(node, "rpcd"))
        node.expect(re.compile(r"rpcd: port \d+: received .*\n"), timeout=timeout)
        node.sync()             # past kill's prompt, whichever came first
    else:
        node.run("kill %d" % pid_of(node, "rpcd"))
    deadline = time.monotonic() + timeout
    while any(r["state"] != "ZOMBIE" for r in find_rows(ps_rows(node)[1], "rpcd")):
        if time.monotonic() > deadline:
            raise AssertionError("rpcd still alive on %s after kill" % node.name)
        time.sleep(0.2)


def server_stats(node, name="rpcd"):
    """SIGUSR1 makes a server print its counters: as a dict."""
    node.sendline("kill -USR1 %d" % pid_of(node, name))
    m = node.expect(re.compile(r"rpc: port \d+: (received .*)\n"), timeout=10)
    node.sync()                 # past kill's prompt, whichever came first
    words = m.group(1).split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


def test_portmapper_and_rpcd_start_at_boot(cluster):
    out = cluster[0].run("rpcinfo -p")
    for vers in (2, 3, 4):
        assert re.search(r"100000\s+%d\s+udp\s+111\s+portmapper" % vers, out), out
    for name in PROGRAMS:
        assert re.search(r"\d+\s+1\s+udp\s+\d+\s+%s\b" % name, out), out


def test_rpcinfo_asks_another_node(cluster):
    out = cluster[0].run("rpcinfo -p 1", timeout=20)
    assert re.search(r"536873731\s+1\s+udp\s+\d+\s+rps", out), out
    out = cluster[0].run("rpcinfo -u 1 100000 2", timeout=20)
    assert out == "program 100000 version 2 ready and waiting", out


def test_rps_lists_the_other_nodes_processes(cluster):
    out = cluster[0].run("rps 1", timeout=20)
    assert out.startswith("node 1 (10.0.0.2), up "), out
    names = [l.split()[-1] for l in out.splitlines()[2:]]
    for name in ("init", "sh", "portmap", "rpcd"):
        assert name in names, out


def test_rcat_reads_the_other_nodes_initrd(cluster):
    local = cluster[0].run("cat /etc/motd")
    assert cluster[0].run("rcat 1 /etc/motd", timeout=20) == local
    names = cluster[0].run("rcat -l 1 /bin", timeout=20).split()
    assert "rpcd" in names and "vecmul" in names and len(names) > 16, names


def test_rcat_a_long_file_arrives_whole(cluster):
    """/bin/rpcd is a couple of hundred 1 KiB chunks: same bytes as built."""
    with open(os.path.join(ROOT, "build", "bin", "rpcd"), "rb") as f:
        data = f.read()
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    out = cluster[0].run("rcat -c 1 /bin/rpcd", timeout=60)
    assert out == "rcat: %d bytes, fnv1a %08x" % (len(data), h), out


def test_rcat_reports_the_servers_errors(cluster):
    out = cluster[0].run("rcat 1 /no/such/file", timeout=20)
    assert out == "rcat: 1:/no/such/file: No such file or directory", out
    out = cluster[0].run("rcat 1 /bin", timeout=20)
    assert out == "rcat: 1:/bin: Is a directory", out


def test_vecmul_the_textbook_example(cluster):
    out = cluster[0].run("vecmul 1 3 1 2 3 -4", timeout=20)
    assert out == "vecmul: 3 6 9 -12", out
    out = cluster[0].run("vecmul -s 1 1 2 3 4 100", timeout=20)
    assert out == "vecmul: sum 110", out


def test_vecmul_on_two_nodes_at_once(cluster):
    """The asynchronous form: both pieces in flight, then both waited for."""
    out = cluster[1].run("vecmul 0,1 10 1 2 3 4 5 6 7", timeout=20)
    assert out == "vecmul: 10 20 30 40 50 60 70", out


def test_rpc_call_by_node_with_calls_in_flight(cluster):
    """rpc_call and rpc_call_start/rpc_wait: eight ECHOs in flight at a
    time, waited for in reverse order, each answer matched to its call."""
    out = cluster[0].run("rpcbench async 1 200", timeout=60)
    assert out == "rpcbench: async: 200 calls, 8 in flight at a time, all answered", out


def test_counter_counts_each_call_once(cluster):
    out = cluster[0].run("rpccount -n 200 1", timeout=60)
    assert "rpccount: 200 calls, 200 ok, 0 failed, counter 200" in out, out


def test_every_accept_status(cluster):
    node, port = cluster[0], wait_rpcd(cluster[1])
    cases = (
        ("-u 1 0x20000b99 1", "RPC: program not registered"),             # portmapper
        ("-n %d -u 1 0x20000b99 1" % port, "RPC: program unavailable"),   # PROG_UNAVAIL
        ("-n %d -u 1 0x20000b05 7" % port, "versions 1 to 1 are"),        # PROG_MISMATCH
        ("-n %d -x 99 -u 1 0x20000b05 1" % port, "RPC: procedure unavailable"),
        ("-n %d -x 1 -u 1 0x20000b05 1" % port, "RPC: server cannot decode arguments"),
        ("-n %d -x 2 -u 1 0x20000b05 1" % port, "RPC: server cannot decode arguments"),
    )
    for args, want in cases:
        out = node.run("rpcinfo " + args, timeout=20)
        assert want in out, "rpcinfo %s: %s" % (args, out)


def test_a_timeout_is_a_clear_error(cluster):
    t0 = time.monotonic()
    out = cluster[0].run("rpcinfo -n 9 -u 1 0x20000b05 1", timeout=20)
    assert out == "rpcinfo: 1: RPC: timed out (no reply)", out
    assert time.monotonic() - t0 < 10
    out = cluster[0].run("rps -t 1000 10.0.0.99", timeout=30)
    assert out == "rps: 10.0.0.99: RPC: portmapper failure (no answer)", out


def test_16k_arguments_travel_in_ip_fragments(cluster):
    """ECHO and SINK of 16 KiB: one UDP datagram of 12 IP fragments each
    way, reassembled by the other node; also to ourselves (loopback)."""
    before = counters(cluster[1])["ip_reassembled"]
    out = cluster[0].run("rpcbench sink 1 16384 20", timeout=60)
    assert re.search(r'"bench": "rpc_sink_rtt", "bytes": 16384, "us": \d+', out), out
    out = cluster[0].run("rpcbench echo 1 16384 20", timeout=60)     # compares each reply
    assert re.search(r'"bench": "rpc_echo_rtt", "bytes": 16384, "us": \d+', out), out
    assert counters(cluster[1])["ip_reassembled"] - before >= 40
    for host in ("0", "127.0.0.1"):
        out = cluster[0].run("rpcbench echo %s 16384 5" % host, timeout=60)
        assert re.search(r'"bytes": 16384, "us": \d+', out), out


def test_results_larger_than_the_interface_are_refused_plainly(cluster):
    out = cluster[0].run("rpcbench echo 1 32001 1", timeout=20)   # ECHO_MAX is 32000
    assert '"supported": false' in out and "cannot encode arguments" in out, out
    out = cluster[0].run("rpcbench echo 1 32000 2", timeout=20)
    assert '"bench": "rpc_echo_rtt", "bytes": 32000' in out, out


def test_host_calls_with_auth_sys_like_linux(cluster, wire):
    cred = (onc.AUTH_SYS, onc.auth_sys(machine=b"linux-host", uid=1000, gid=1000, gids=(4, 27)))
    r = onc.parse_reply(wire.call(111, onc.call(11, onc.PMAP_PROG, 2, 0, cred=cred)))
    assert r and r["xid"] == 11 and r["accept"] == onc.SUCCESS, r
    # GETPORT for rpcd's echo program.
    args = onc.u32(onc.ECHO_PROG, 1, 17, 0)
    r = onc.parse_reply(wire.call(111, onc.call(12, onc.PMAP_PROG, 2, 3, args, cred=cred)))
    assert r["accept"] == onc.SUCCESS and r["body"] == onc.u32(wait_rpcd(cluster[1])), r


def test_wrong_rpc_version_and_bad_credentials_are_denied(cluster, wire):
    r = onc.parse_reply(wire.call(111, onc.call(21, onc.PMAP_PROG, 2, 0, rpcvers=3)))
    assert r and r["stat"] == onc.MSG_DENIED and r["reject"] == onc.RPC_MISMATCH, r
    assert (r["low"], r["high"]) == (2, 2), r
    r = onc.parse_reply(wire.call(111, onc.call(22, onc.PMAP_PROG, 2, 0,
                                                cred=(onc.AUTH_SYS, b"x" * 404))))
    assert r and r["stat"] == onc.MSG_DENIED and r["reject"] == onc.AUTH_ERROR, r


def test_retransmissions_are_answered_from_the_cache(cluster, wire):
    """The same INCR datagram three times: three identical replies, one
    increment (RFC 5531's xid, brinch's duplicate request cache)."""
    port = wait_rpcd(cluster[1])
    before = server_stats(cluster[1])
    r = onc.parse_reply(wire.call(port, onc.call(31, onc.COUNTER_PROG, 1, 3)))   # RESET
    assert r["accept"] == onc.SUCCESS
    incr = onc.call(32, onc.COUNTER_PROG, 1, 1, onc.u32(1))
    for _ in range(3):
        wire.send(port, incr)
    replies = wire.replies(port, timeout=2)
    assert len(replies) == 3 and len(set(replies)) == 1, replies
    assert onc.hyper(onc.parse_reply(replies[0])["body"]) == 1
    r = onc.parse_reply(wire.call(port, onc.call(33, onc.COUNTER_PROG, 1, 2)))   # GET
    assert onc.hyper(r["body"]) == 1, r
    after = server_stats(cluster[1])
    assert after["dup_replayed"] - before["dup_replayed"] == 2, (before, after)


def test_malformed_calls_are_dropped_and_counted(cluster, wire):
    port = wait_rpcd(cluster[1])
    good = onc.call(41, onc.VEC_PROG, 1, 1, onc.u32(2, 5, 6, 3))
    garbled = [good[:n] for n in (0, 3, 7, 11, 20, 27, 35)]               # truncated
    garbled.append(onc.call(42, onc.VEC_PROG, 1, 1, mtype=1))              # a "reply"
    garbled.append(onc.call(43, onc.VEC_PROG, 1, 1, mtype=7))              # unknown type
    garbled.append(onc.u32(44, 0, 2, onc.VEC_PROG, 1, 1, 0, 0x100))        # cred past the end
    before = server_stats(cluster[1])
    for i, msg in enumerate(garbled):
        wire.send(port, msg, sport=41000 + i)
    for i in range(len(garbled)):
        assert wire.replies(port, timeout=0.3, sport=41000 + i) == []
    after = server_stats(cluster[1])
    assert after["garbled"] - before["garbled"] == len(garbled), (before, after)
    # Arguments that lie about their length get GARBAGE_ARGS, not a crash.
    forged = onc.call(45, onc.VEC_PROG, 1, 1, onc.u32(0x7FFFFFFF, 1, 2))
    r = onc.parse_reply(wire.call(port, forged))
    assert r["accept"] == onc.GARBAGE_ARGS, r
    r = onc.parse_reply(wire.call(port, good))
    assert r["accept"] == onc.SUCCESS and r["body"] == onc.u32(2, 15, 18), r


@pytest.mark.parametrize("model", ["client", "call"])
def test_server_models(cluster, model):
    node = cluster[1]
    stop_rpcd(node)
    node.sendline("rpcd -m %s -v &" % model)
    node.expect("(%s model)" % model, timeout=20)
    node.sync()                 # its banner and the shell's prompt, in either order
    wait_rpcd(node)
    try:
        out = cluster[0].run("rpccount -n 40 1", timeout=60)
        assert "rpccount: 40 calls, 40 ok, 0 failed, counter 40" in out, out
        out = cluster[0].run("vecmul 1 2 1 2 3", timeout=20)
        assert out == "vecmul: 2 4 6", out
        # Over a brinch message (client model): served by the dispatcher.
        out = cluster[0].run("rpcbench echo 1 16384 3", timeout=60)
        assert '"bytes": 16384, "us"' in out, out
        stats = server_stats(node)
        assert stats["workers"] >= (1 if model == "client" else 42), stats
    finally:
        stop_rpcd(node, verbose=True)
        node.sendline("rpcd &")
        node.sync()             # the job's number comes after the line: wait for it
        wait_rpcd(node)


@pytest.mark.skipif(bool(need("tshark")), reason="tshark not installed")
def test_tshark_decodes_the_rpc_traffic(cluster):
    for pcap in cluster.pcaps():
        bad, frames = onc.tshark_problems(pcap, onc.NOT_CRAFTED)
        assert frames > 10 and not bad, "%s:\n%s" % (pcap, "\n".join(bad[:20]))
    calls = onc.tshark_calls(cluster[0].pcap)
    progs = {c[0] for c in calls}
    assert {100000} | set(range(0x20000b01, 0x20000b06)) <= progs, sorted(calls)
