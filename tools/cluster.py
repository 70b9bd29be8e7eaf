#!/usr/bin/python3
# cluster.py: `make cluster N=3`, `make cluster-ping` and `make cluster-stop`.
# Starts a vde_switch and N brinch nodes on it, in the background, without
# root; each node's serial console is a unix socket (attach with `cluster.py
# console K`, or in the tmux session it opens) and is logged, and its traffic
# is captured.  Hosts join their switches over TCP (socat, vde_plug).
"""Run a cluster of brinch nodes on one host, or this host's share of one.

  cluster.py start [-n N] [--first F] [--mem M] [--listen [ADDR:]PORT]
                   [--join HOST:PORT] [--dir DIR] [--no-tmux]
                                  switch + nodes F..F+N-1, daemonized
  cluster.py console K            attach to node K (Ctrl-] leaves)
  cluster.py pingall [--nodes A-B] [--kmsg]
                                  every node here pings (or `kmsg echo`es)
                                  every node A..B: a matrix
  cluster.py join HOST:PORT       join again (after the other host restarted)
  cluster.py status               what is running
  cluster.py stop                 end everything cleanly

Several hosts make one cluster by joining their switches over TCP with
socat and vde_plug (docs/network.md, "Nodes on several hosts"): one host
starts with --listen PORT, the others with --join HOST:PORT and their own
--first, so that node numbers (and so addresses) differ.

In DIR (build/cluster): switch/ (the vde_switch socket directory; plug in
more with `vde_plug vde://DIR/switch` or QEMU `-netdev vde,sock=DIR/switch`),
switch.mgmt (its management console: `unixterm DIR/switch.mgmt`),
nodeK.log (console log), nodeK.pcap (traffic), nodeK.console (console
socket), nodeK.monitor (QEMU monitor socket), nodeK.trace (the trace port:
`trace dump` writes there), listen.log / join.log (socat's), *.pid.
"""

import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import termios
import threading
import time
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import ip_for, nic_args, need, ping_summary  # noqa: E402
from brinchvm import PROMPT, ROOT, Console, ConsoleError, accel_default, scale  # noqa: E402

DEFAULT_DIR = os.path.join(ROOT, "build", "cluster")
TMUX_SESSION = "brinch-cluster"
DETACH = b"\x1d"                        # Ctrl-]


def pid_of(path):
    """The live process whose pid is in file path, else None.  A zombie
    (exited, not yet reaped by whoever adopted the daemon) counts as gone."""
    try:
        with open(path) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                return None
        return pid
    except (OSError, ValueError, IndexError):
        return None


def node_numbers(d):
    return sorted(int(f[4:-4]) for f in os.listdir(d)
                  if f.startswith("node") and f.endswith(".pid") and f[4:-4].isdigit())


def default_mem(n):
    """Guest memory per node: 64 MiB up to 8 nodes; beyond, 32 MiB (a booted
    node uses under 1 MiB of it, and 16 nodes then take 512 MiB)."""
    return "64M" if n <= 8 else "32M"


def open_tmux(d, nodes):
    """The tmux session with a window on each node's console."""
    me = [sys.executable, os.path.abspath(__file__), "console", "--dir", d]
    close_tmux(d)
    for i, k in enumerate(nodes):
        cmd = " ".join(me + [str(k)])
        if i == 0:
            subprocess.run(["tmux", "new-session", "-d", "-s", TMUX_SESSION,
                            "-n", "node%d" % k, cmd], check=True)
        else:
            subprocess.run(["tmux", "new-window", "-t", TMUX_SESSION, "-n",
                            "node%d" % k, cmd], check=True)
    with open(os.path.join(d, "tmux.session"), "w") as f:    # for stop
        f.write(TMUX_SESSION + "\n")


def close_tmux(d):
    """Close the tmux session this directory's start opened, if any: a
    test's private cluster (--no-tmux) must not close the one a person is
    looking at.  True if there was one."""
    mark = os.path.join(d, "tmux.session")
    if not os.path.exists(mark):
        return False
    if not need("tmux"):
        subprocess.run(["tmux", "kill-session", "-t", TMUX_SESSION], capture_output=True)
    os.remove(mark)
    return True


def start(args):
    d = os.path.abspath(args.dir)
    missing = need("vde_switch", os.environ.get("QEMU", "qemu-system-i386"))
    if args.listen or args.join:
        missing += need("socat", "vde_plug")
    if missing:
        sys.exit("cluster: missing %s (run: sh tools/ensure-deps.sh vde_switch:vde2 "
                 "vde_plug:vdeplug socat)" % " ".join(missing))
    if os.path.isdir(d) and (pid_of(os.path.join(d, "switch.pid")) or
                             any(pid_of(os.path.join(d, "node%d.pid" % k))
                                 for k in node_numbers(d))):
        sys.exit("cluster: already running in %s; `make cluster-stop` first" % d)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith((".pid", ".console", ".monitor", ".log", ".pcap", ".mgmt", ".trace",
                       ".session")):
            os.remove(os.path.join(d, f))
    sw = os.path.join(d, "switch")
    subprocess.run(["vde_switch", "-s", sw, "-M", os.path.join(d, "switch.mgmt"),
                    "-d", "-p", os.path.join(d, "switch.pid")], check=True)
    if args.listen:
        listen(d, sw, args.listen)
    if args.join:
        join(d, sw, args.join)
    nodes = range(args.first, args.first + args.n)
    for k in nodes:
        argv = [os.environ.get("QEMU", "qemu-system-i386"), "-machine", "pc",
                "-accel", accel_default(), "-m", args.mem or default_mem(args.n),
                "-no-reboot", "-nic", "none",
                "-device", "isa-debug-exit,iobase=0x501,iosize=1",
                "-display", "none", "-daemonize", "-pidfile", os.path.join(d, "node%d.pid" % k),
                "-monitor", "unix:%s,server=on,wait=off" % os.path.join(d, "node%d.monitor" % k),
                "-chardev", "socket,id=con,path=%s,server=on,wait=off,logfile=%s"
                % (os.path.join(d, "node%d.console" % k), os.path.join(d, "node%d.log" % k)),
                "-serial", "chardev:con",
                "-serial", "file:" + os.path.join(d, "node%d.trace" % k),   # docs/tracing.md
                "-kernel", os.path.join(ROOT, "build", "kernel.elf"),
                "-initrd", os.path.join(ROOT, "build", "initrd.cpio"),
                "-append", ("node=%d %s" % (k, args.cmdline)).strip()]
        argv += nic_args(k, "vde,sock=%s" % sw, os.path.join(d, "node%d.pcap" % k))
        subprocess.run(argv, check=True)
    print("cluster: switch %s, %d nodes:" % (sw, args.n))
    for k in nodes:
        print("  node %d  %-10s log %s" % (k, ip_for(k), os.path.join(d, "node%d.log" % k)))
    if not args.no_tmux and not need("tmux"):
        open_tmux(d, nodes)
        print("consoles: tmux attach -t %s   (one window per node; Ctrl-B N for the next)"
              % TMUX_SESSION)
    print("console:  python3 tools/cluster.py console K   (Ctrl-] to leave)")
    print("stop:     make cluster-stop")


# ---- several hosts: switches joined over TCP ------------------------------
# No relay of our own: socat carries the stream and vde_plug puts it on the
# switch, one vde_plug per joined host (vde_plug's stream format, a 2-byte
# length before each frame, is what both ends speak).

def socat_daemon(d, name, argv):
    """Start socat (argv after "socat") in a session of its own, logging to
    DIR/name.log; its pid goes to DIR/name.pid, and stop ends its group."""
    log = open(os.path.join(d, name + ".log"), "wb")
    proc = subprocess.Popen(["socat", "-d", "-d"] + argv, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log, start_new_session=True)
    log.close()
    with open(os.path.join(d, name + ".pid"), "w") as f:
        f.write("%d\n" % proc.pid)
    return proc


def wait_log(proc, path, pattern, timeout):
    """Wait until socat's log matches pattern; False if it does not in time.
    Exits with the log if socat itself has ended."""
    deadline = time.monotonic() + timeout * scale()
    while time.monotonic() < deadline:
        with open(path, errors="replace") as f:
            text = f.read()
        if re.search(pattern, text):
            return True
        if proc.poll() is not None:
            sys.exit("cluster: socat exited:\n" + text)
        time.sleep(0.05)
    return False


def listen(d, sw, spec):
    """Let other hosts' switches join ours at [ADDR:]PORT (all addresses by
    default): socat accepts each connection and runs a vde_plug for it."""
    addr, _, port = spec.rpartition(":")
    where = "TCP-LISTEN:%s,reuseaddr,fork" % port + (",bind=" + addr if addr else "")
    proc = socat_daemon(d, "listen", [where, "EXEC:vde_plug " + sw])
    if not wait_log(proc, os.path.join(d, "listen.log"), r"listening on", 10):
        sys.exit("cluster: socat is not listening on %s: see %s/listen.log" % (spec, d))
    print("cluster: other hosts join with --join THIS_HOST:%s" % port)


def join(d, sw, spec):
    """Join our switch to the one another host serves at HOST:PORT; socat
    keeps trying for a minute, so the hosts may start in any order."""
    proc = socat_daemon(d, "join", ["TCP:%s,retry=60,interval=1" % spec, "EXEC:vde_plug " + sw])
    if wait_log(proc, os.path.join(d, "join.log"), r"starting data transfer", 5):
        print("cluster: joined %s" % spec)
    else:
        print("cluster: still connecting to %s (see %s/join.log)" % (spec, d))


def rejoin(args):
    d = os.path.abspath(args.dir)
    if not pid_of(os.path.join(d, "switch.pid")):
        sys.exit("cluster: no switch running in %s" % d)
    stop_pid(os.path.join(d, "join.pid"), "join", group=True)
    join(d, os.path.join(d, "switch"), args.address)


def console(args):
    path = os.path.join(os.path.abspath(args.dir), "node%d.console" % args.node)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        sys.exit("cluster: node %d: %s (is the cluster running?)" % (args.node, e))
    print("[connected to node %d, %s: press Enter for a prompt, Ctrl-] to leave]\r"
          % (args.node, ip_for(args.node)))
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    try:
        if saved:
            tty.setraw(fd)
        while True:
            ready = select.select([fd, s], [], [])[0]
            if s in ready:
                data = s.recv(4096)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
            if fd in ready:
                data = os.read(fd, 1024)
                if not data or DETACH in data:
                    break
                s.sendall(data)
    finally:
        if saved:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        s.close()
    print("\n[left node %d]" % args.node)


def status(args):
    d = os.path.abspath(args.dir)
    if not os.path.isdir(d):
        print("cluster: not started")
        return
    print("switch: %s" % ("pid %d" % pid_of(os.path.join(d, "switch.pid"))
                          if pid_of(os.path.join(d, "switch.pid")) else "not running"))
    for name in ("listen", "join"):
        if pid_of(os.path.join(d, name + ".pid")):
            print("%s: pid %d (log %s.log)" % (name, pid_of(os.path.join(d, name + ".pid")), name))
    for k in node_numbers(d):
        pid = pid_of(os.path.join(d, "node%d.pid" % k))
        print("node %d: %s" % (k, "pid %d, %s" % (pid, ip_for(k)) if pid else "not running"))


def stop_pid(path, what, group=False):
    """End the process whose pid is in path (with group: its whole process
    group, as socat's children and their vde_plugs)."""
    pid = pid_of(path)
    if not pid:
        return
    kill = os.killpg if group else os.kill
    kill(pid, signal.SIGTERM)
    for _ in range(50):
        if not pid_of(path):
            break
        time.sleep(0.1)
    else:
        kill(pid, signal.SIGKILL)
    print("cluster: stopped %s (pid %d)" % (what, pid))


def stop(args):
    d = os.path.abspath(args.dir)
    if not os.path.isdir(d):
        return
    close_tmux(d)
    for k in node_numbers(d):
        stop_pid(os.path.join(d, "node%d.pid" % k), "node %d" % k)
    for name in ("join", "listen"):
        stop_pid(os.path.join(d, name + ".pid"), name, group=True)
    stop_pid(os.path.join(d, "switch.pid"), "switch")
    for f in os.listdir(d):
        if f.endswith((".pid", ".console", ".monitor", ".mgmt", ".session")):
            os.remove(os.path.join(d, f))
    print("cluster: logs and pcaps kept in %s" % d)


# ---- all pairs: does every node reach every other? -----------------------

def node_range(spec):
    """Node numbers from "A-B" (or one number)."""
    a, _, b = spec.partition("-")
    return list(range(int(a), int(b or a) + 1))


def running_nodes(d):
    return [k for k in node_numbers(d) if pid_of(os.path.join(d, "node%d.pid" % k))]


def wait_booted(d, k, timeout=120):
    """Wait for node k's first shell prompt in its console log."""
    path = os.path.join(d, "node%d.log" % k)
    deadline = time.monotonic() + timeout * scale()
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="latin-1") as f:
                if PROMPT.search(f.read().replace("\r", "")):
                    return
        time.sleep(0.1)
    raise ConsoleError("node %d: no shell prompt in %s after %.0fs" % (k, path, timeout * scale()))


def open_console(d, k, timeout=120):
    """Node k's console as a brinchvm.Console (type, expect, run, sync),
    through `cluster.py console K`, once the node has booted."""
    wait_booted(d, k, timeout)
    con = Console([sys.executable, os.path.abspath(__file__), "--dir", d, "console", str(k)],
                  log_path=os.path.join(d, "node%d.session.log" % k), name="node%d" % k)
    con.start()
    try:
        con.sync(30)
    except BaseException:
        con.stop()
        raise
    return con


def ping_answered(out):
    try:
        return ping_summary(out)[1] > 0
    except AssertionError:
        return False


# What a node types to reach node `node` at `ip`, and how to read the answer.
PROBES = {
    "ping": ("ping -q -c 1 -W 3000 %(ip)s", ping_answered),
    "kmsg": ("kmsg echo %(node)d 64 1 3000", lambda out: ": ok (" in out),
}


def all_pairs(consoles, targets, probe="ping", timeout=60):
    """Each node in consoles ({number: Console}) probes every target but
    itself, all nodes at once; a pair that does not answer gets a second
    try (a node starved of the CPU for a moment on a loaded host is not
    a lost one).  {(source, target): (answered, output)}."""
    cmd, answered = PROBES[probe]
    results = {}
    lost = set()

    def probes(src, con, dsts):
        for dst in dsts:
            try:
                out = con.run(cmd % {"ip": ip_for(dst), "node": dst}, timeout)
            except ConsoleError as e:     # the console is lost: so is the rest
                lost.add(src)
                for rest in dsts:
                    results[(src, rest)] = (False, str(e))
                return
            results[(src, dst)] = (answered(out), out)

    def in_parallel(work):
        threads = [threading.Thread(target=probes, args=(k, consoles[k], dsts))
                   for k, dsts in work.items() if dsts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    in_parallel({k: [t for t in targets if t != k] for k in consoles})
    in_parallel({k: [t for t in targets if t != k and not results[(k, t)][0]]
                 for k in consoles if k not in lost})
    return results


def matrix(results, sources, targets, probe):
    """The results as a table: a row per sender, a column per target."""
    lines = ["%s: a row per sender, a column per target: + answered, - no answer" % probe,
             "    " + "".join("%3d" % t for t in targets)]
    for s in sources:
        lines.append("%3d " % s + "".join("  ." if s == t else "  +" if results[(s, t)][0]
                                          else "  -" for t in targets))
    good = sum(1 for r in results.values() if r[0])
    lines.append("%s: %d of %d pairs answered" % (probe, good, len(results)))
    return "\n".join(lines)


def pingall(args):
    d = os.path.abspath(args.dir)
    sources = running_nodes(d) if os.path.isdir(d) else []
    if not sources:
        sys.exit("cluster: no node running in %s" % d)
    targets = node_range(args.nodes) if args.nodes else sources
    consoles = {}
    failed = False
    # A console takes one client: the tmux windows give theirs up meanwhile.
    reopen = close_tmux(d)
    try:
        for k in sources:
            try:
                consoles[k] = open_console(d, k)
            except ConsoleError as e:
                sys.exit("cluster: node %d's console does not answer (is a `cluster.py console"
                         " %d` attached elsewhere?):\n%s" % (k, k, str(e)[-600:]))
        for probe in args.probe.split(","):
            results = all_pairs(consoles, targets, probe)
            print(matrix(results, sources, targets, probe), flush=True)
            for (s, t), (ok, out) in sorted(results.items()):
                if not ok:
                    failed = True
                    if args.verbose:
                        print("--- node %d -> %d:\n%s" % (s, t, out))
    finally:
        for con in consoles.values():
            con.stop()
        if reopen:
            open_tmux(d, sources)
    sys.exit(1 if failed else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=DEFAULT_DIR)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("start")
    p.add_argument("-n", type=int, default=3)
    p.add_argument("--first", type=int, default=0, help="the first node's number")
    p.add_argument("--mem", help="guest memory per node (64M, or 32M above 8 nodes)")
    p.add_argument("--listen", metavar="[ADDR:]PORT", help="let other hosts join here")
    p.add_argument("--join", metavar="HOST:PORT", help="join the cluster another host serves")
    p.add_argument("--cmdline", default="", help="more kernel command line words")
    p.add_argument("--no-tmux", action="store_true")
    p.add_argument("--dir", default=argparse.SUPPRESS)
    p = sub.add_parser("console")
    p.add_argument("node", type=int)
    p.add_argument("--dir", default=argparse.SUPPRESS)
    p = sub.add_parser("join")
    p.add_argument("address", metavar="HOST:PORT")
    p.add_argument("--dir", default=argparse.SUPPRESS)
    p = sub.add_parser("pingall")
    p.add_argument("--nodes", metavar="A-B", help="targets (default: the nodes here)")
    p.add_argument("--probe", default="ping", help="ping, kmsg or ping,kmsg")
    p.add_argument("-v", "--verbose", action="store_true", help="print failed probes' output")
    p.add_argument("--dir", default=argparse.SUPPRESS)
    for name in ("status", "stop"):
        sub.add_parser(name).add_argument("--dir", default=argparse.SUPPRESS)
    args = ap.parse_args()
    first, n = getattr(args, "first", 0), getattr(args, "n", 1)
    if n < 1 or first < 0 or first + n > 254:
        sys.exit("cluster: nodes FIRST..FIRST+N-1 must lie in 0..253 (addresses 10.0.0.1-254)")
    {"start": start, "console": console, "join": rejoin, "pingall": pingall,
     "status": status, "stop": stop}[args.cmd](args)


if __name__ == "__main__":
    main()
