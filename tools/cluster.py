#!/usr/bin/python3
# cluster.py: `make cluster N=3` and `make cluster-stop`.  Starts a vde_switch
# and N brinch nodes on it, in the background, without root; each node's
# serial console is a unix socket (attach with `cluster.py console K`, or in
# the tmux session it opens) and is logged, and its traffic is captured.
"""Run a cluster of brinch nodes on one host.

  cluster.py start [-n N] [--dir DIR] [--no-tmux]   switch + nodes 0..N-1, daemonized
      [--first F] [--link LPORT:HOST:RPORT]          nodes F..F+N-1, and a cable from
                                                     this switch to HOST's (vde_plug,
                                                     UDP port LPORT here, RPORT there)
  cluster.py console K                               attach to node K (Ctrl-] leaves)
  cluster.py status                                  what is running
  cluster.py stop                                    end everything cleanly

In DIR (build/cluster): switch/ (the vde_switch socket directory; plug in
more with `vde_plug vde://DIR/switch` or QEMU `-netdev vde,sock=DIR/switch`),
switch.mgmt (its management console: `unixterm DIR/switch.mgmt`),
nodeK.log (console log), nodeK.pcap (traffic), nodeK.console (console
socket), nodeK.monitor (QEMU monitor socket), nodeK.trace (the trace port:
`trace dump` writes there), *.pid.
"""

import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import termios
import time
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchnet import ip_for, nic_args, need  # noqa: E402
from brinchvm import ROOT, accel_default  # noqa: E402

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


def start(args):
    d = os.path.abspath(args.dir)
    missing = need("vde_switch", os.environ.get("QEMU", "qemu-system-i386"))
    if missing:
        sys.exit("cluster: missing %s (run: sh tools/ensure-deps.sh vde_switch:vde2)"
                 % " ".join(missing))
    if os.path.isdir(d) and (pid_of(os.path.join(d, "switch.pid")) or
                             any(pid_of(os.path.join(d, "node%d.pid" % k))
                                 for k in node_numbers(d))):
        sys.exit("cluster: already running in %s; `make cluster-stop` first" % d)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith((".pid", ".console", ".monitor", ".log", ".pcap", ".mgmt", ".trace")):
            os.remove(os.path.join(d, f))
    sw = os.path.join(d, "switch")
    subprocess.run(["vde_switch", "-s", sw, "-M", os.path.join(d, "switch.mgmt"),
                    "-d", "-p", os.path.join(d, "switch.pid")], check=True)
    if args.link:
        # Another host's switch, over vdeplug4's UDP point-to-point link;
        # that host runs the mirror image (its port, our address, our port).
        lport, host, rport = args.link.split(":")
        subprocess.run(["vde_plug", "-d", "-p", os.path.join(d, "link.pid"), "vde://" + sw,
                        "udp://%s->%s:%s" % (lport, host, rport)], check=True)
    nodes = range(args.first, args.first + args.n)
    for k in nodes:
        argv = [os.environ.get("QEMU", "qemu-system-i386"), "-machine", "pc",
                "-accel", accel_default(), "-m", args.mem, "-no-reboot", "-nic", "none",
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
        me = [sys.executable, os.path.abspath(__file__), "console", "--dir", d]
        subprocess.run(["tmux", "kill-session", "-t", TMUX_SESSION], capture_output=True)
        for k in nodes:
            cmd = " ".join(me + [str(k)])
            if k == args.first:
                subprocess.run(["tmux", "new-session", "-d", "-s", TMUX_SESSION,
                                "-n", "node0", cmd], check=True)
            else:
                subprocess.run(["tmux", "new-window", "-t", TMUX_SESSION, "-n",
                                "node%d" % k, cmd], check=True)
        print("consoles: tmux attach -t %s   (one window per node; Ctrl-B N for the next)"
              % TMUX_SESSION)
    print("console:  python3 tools/cluster.py console K   (Ctrl-] to leave)")
    print("stop:     make cluster-stop")


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
    for k in node_numbers(d):
        pid = pid_of(os.path.join(d, "node%d.pid" % k))
        print("node %d: %s" % (k, "pid %d, %s" % (pid, ip_for(k)) if pid else "not running"))


def stop_pid(path, what):
    pid = pid_of(path)
    if not pid:
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        if not pid_of(path):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    print("cluster: stopped %s (pid %d)" % (what, pid))


def stop(args):
    d = os.path.abspath(args.dir)
    if not need("tmux"):
        subprocess.run(["tmux", "kill-session", "-t", TMUX_SESSION], capture_output=True)
    if not os.path.isdir(d):
        return
    for k in node_numbers(d):
        stop_pid(os.path.join(d, "node%d.pid" % k), "node %d" % k)
    stop_pid(os.path.join(d, "link.pid"), "link to the other host")
    stop_pid(os.path.join(d, "switch.pid"), "switch")
    for f in os.listdir(d):
        if f.endswith((".pid", ".console", ".monitor", ".mgmt")):
            os.remove(os.path.join(d, f))
    print("cluster: logs and pcaps kept in %s" % d)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=DEFAULT_DIR)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("start")
    p.add_argument("-n", type=int, default=3)
    p.add_argument("--mem", default="64M")
    p.add_argument("--cmdline", default="", help="more kernel command line words")
    p.add_argument("--no-tmux", action="store_true")
    p.add_argument("--first", type=int, default=0, help="the first node's number")
    p.add_argument("--link", help="LPORT:HOST:RPORT: join HOST's cluster (vde_plug over UDP)")
    p.add_argument("--dir", default=argparse.SUPPRESS)
    p = sub.add_parser("console")
    p.add_argument("node", type=int)
    p.add_argument("--dir", default=argparse.SUPPRESS)
    for name in ("status", "stop"):
        sub.add_parser(name).add_argument("--dir", default=argparse.SUPPRESS)
    args = ap.parse_args()
    if not 1 <= getattr(args, "n", 1) <= 254 or \
            not 0 <= getattr(args, "first", 0) <= 254 - getattr(args, "n", 1):
        sys.exit("cluster: N must be 1..254 and FIRST+N at most 254 (nodes FIRST..FIRST+N-1)")
    {"start": start, "console": console, "status": status, "stop": stop}[args.cmd](args)


if __name__ == "__main__":
    main()
