# brinchnet.py: several brinch machines on one virtual Ethernet, for the
# network tests (tests/integration/test_net*.py), tools/netbench.py and
# tools/cluster.py.  Everything stays inside unix sockets: a vde_switch (the
# Debian package vde2) in a private directory, QEMU attached with
# `-netdev vde`, optionally a wirefilter (loss) between two switches, and
# vde_plug for the host to put raw frames on the wire.
"""Start and drive a cluster of brinch nodes.

    with Cluster(2, workdir="build/test-net/x") as c:   # switch + 2 QEMUs
        c.boot()                                         # all to the prompt
        print(c[0].run("ping -c 3 10.0.0.2"))           # nodes count from 0
        c.collect("build/test-logs")                     # logs and pcaps

Node n has kernel command line node=n, and so the address 10.0.0.(n+1)/24
(kernel/net/netif.c: host part 0 would name the subnet), and MAC
52:54:00:12:34:hh with the same host part hh = n + 1.  The NIC is QEMU's virtio-net-pci
with disable-modern=on: brinch drives the legacy virtio interface
(docs/network.md), and each node writes a pcap of its traffic with QEMU's
filter-dump.
"""

import contextlib
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinchvm import ROOT, Node, scale  # noqa: E402

# The one place that says how a brinch NIC is attached (docs/network.md).
NIC_MODEL = "virtio-net-pci"
NIC_OPTIONS = "disable-modern=on"       # legacy virtio interface in I/O BAR 0


def mac_for(node):
    return "52:54:00:12:34:%02x" % (node + 1)


def ip_for(node):
    return "10.0.0.%d" % (node + 1)


def nic_args(node, netdev, pcap=None):
    """QEMU arguments for node's NIC on backend `netdev` (a -netdev spec
    without id=, e.g. "vde,sock=DIR"), with a pcap of its traffic."""
    args = ["-netdev", "%s,id=n0" % netdev,
            "-device", "%s,netdev=n0,mac=%s,%s" % (NIC_MODEL, mac_for(node), NIC_OPTIONS)]
    if pcap:
        args += ["-object", "filter-dump,id=f0,netdev=n0,file=%s" % pcap]
    return args


def need(*commands):
    """The commands missing from PATH (for skipping tests cleanly)."""
    return [c for c in commands if shutil.which(c) is None]


def _wait_for(path, timeout=10):
    deadline = time.monotonic() + timeout * scale()
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise RuntimeError("%s did not appear" % path)
        time.sleep(0.02)


class Switch:
    """A vde_switch whose control socket directory is `path`.  It runs in
    the foreground with its console on a pipe: closing the pipe ends it."""

    def __init__(self, path, log_path=None):
        self.path = path
        self.log_path = log_path or path + ".log"
        self.proc = None

    def start(self):
        if os.path.exists(self.path):
            shutil.rmtree(self.path)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(["vde_switch", "-s", self.path],
                                     stdin=subprocess.PIPE, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for(os.path.join(self.path, "ctl"))
        return self

    def stop(self):
        _stop(self.proc, close_stdin=True)
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.path, ignore_errors=True)


class Wirefilter:
    """A lossy cable between two switches (vde2's wirefilter): loss is the
    percentage of frames dropped in each direction, dup (if given) the
    percentage duplicated."""

    def __init__(self, a, b, loss, log_path, dup=None):
        self.argv = ["wirefilter", "-v", "%s:%s" % (a.path, b.path), "-l", str(loss)]
        if dup:
            self.argv += ["-D", str(dup)]
        self.log_path = log_path
        self.proc = None

    def start(self):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        time.sleep(0.3)
        if self.proc.poll() is not None:
            raise RuntimeError("wirefilter exited: see %s" % self.log_path)
        return self

    def stop(self):
        _stop(self.proc, close_stdin=True)
        if getattr(self, "_log", None):
            self._log.close()


class Plug:
    """The host's own port on a switch, through vde_plug, which frames each
    Ethernet frame on its stdin/stdout with a 2-byte big-endian length."""

    def __init__(self, switch):
        self.proc = subprocess.Popen(["vde_plug", "vde://" + switch.path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self._buf = b""

    def send(self, frame):
        self.proc.stdin.write(struct.pack("!H", len(frame)) + frame)

    def flush(self):
        self.proc.stdin.flush()

    def recv(self, timeout=1.0):
        """The next frame, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            if len(self._buf) >= 2:
                n = struct.unpack("!H", self._buf[:2])[0]
                if len(self._buf) >= 2 + n:
                    frame, self._buf = self._buf[2:2 + n], self._buf[2 + n:]
                    return frame
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            data = os.read(fd, 65536)
            if not data:
                return None
            self._buf += data

    def close(self):
        _stop(self.proc, close_stdin=True)


def _stop(proc, close_stdin=False):
    """End a helper process: close its input, then TERM, then KILL."""
    if proc is None:
        return
    if close_stdin and proc.stdin:
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            pass
    for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


class NetNode(Node):
    """A brinch node with a NIC; `prefix` runs QEMU under another command
    (e.g. ["ip", "netns", "exec", NS] to put it in a network namespace)."""

    def __init__(self, number, netdev, pcap=None, prefix=(), cmdline="", **kwargs):
        self.number = number
        self.pcap = pcap
        self.prefix = list(prefix)
        extra = nic_args(number, netdev, pcap) + list(kwargs.pop("extra_args", []))
        super().__init__(cmdline=("node=%d %s" % (number, cmdline)).strip(),
                         extra_args=extra, **kwargs)

    def qemu_argv(self, qemu):
        return self.prefix + super().qemu_argv(qemu)

    @property
    def ip(self):
        return ip_for(self.number)

    @property
    def mac(self):
        return mac_for(self.number)


class Cluster:
    """A switch and nodes 0..n-1 on it.  With loss, node 0 sits on a switch of
    its own, joined to the others' switch by a wirefilter dropping `loss`
    percent of the frames each way (and duplicating `dup` percent).  first:
    the number of the first node (across hosts, tools/cluster.py's --join
    joins the switches); prefix runs the switch and nodes inside a network
    namespace (["ip", "netns", "exec", NS])."""

    def __init__(self, n, workdir, loss=None, name="net", cmdline="", mem="64M", dup=None,
                 first=0, prefix=(), trace=False):
        self.n = n
        self.trace = trace      # each node's trace port to workdir/nodeN.trace
        self.workdir = os.path.abspath(workdir)
        self.loss = loss
        self.dup = dup
        self.first = first              # the number of our first node
        self.prefix = list(prefix)      # e.g. ["ip", "netns", "exec", NS]
        self.name = name
        self.cmdline = cmdline
        self.mem = mem
        self.switches = []
        self.wire = None
        self.nodes = {}
        self.plugs = []

    def __getitem__(self, number):
        return self.nodes[number]

    def start(self):
        if os.path.exists(self.workdir):
            shutil.rmtree(self.workdir)
        os.makedirs(self.workdir)
        try:
            main = Switch(os.path.join(self.workdir, "switch")).start()
            self.switches.append(main)
            first = main
            if self.loss is not None:
                first = Switch(os.path.join(self.workdir, "switch1")).start()
                self.switches.append(first)
                self.wire = Wirefilter(first, main, self.loss,
                                       os.path.join(self.workdir, "wirefilter.log"),
                                       dup=self.dup).start()
            for i in range(self.first, self.first + self.n):
                sw = first if i == 0 else main
                node = NetNode(i, "vde,sock=%s" % sw.path,
                               pcap=os.path.join(self.workdir, "node%d.pcap" % i),
                               cmdline=self.cmdline, mem=self.mem, prefix=self.prefix,
                               log_path=os.path.join(self.workdir, "node%d.log" % i),
                               name="%s-node%d" % (self.name, i), extra_args=self.trace_args(i))
                self.nodes[i] = node
                node.start()
        except BaseException:
            self.stop()
            raise
        return self

    def trace_args(self, i):
        """A second serial port, the trace port (docs/tracing.md), to a file."""
        return ["-serial", "file:" + self.trace_path(i)] if self.trace else []

    def trace_path(self, i):
        return os.path.join(self.workdir, "node%d.trace" % i)

    def boot(self, timeout=90):
        for node in self.nodes.values():
            node.wait_boot(timeout)
        return self

    def plug(self, number=None):
        """A host port on the switch of node `number` (the main one by default)."""
        sw = self.switches[-1] if number == 0 and self.loss is not None else self.switches[0]
        p = Plug(sw)
        self.plugs.append(p)
        return p

    @property
    def switch(self):
        return self.switches[0]

    def pcaps(self):
        return [n.pcap for n in self.nodes.values() if n.pcap and os.path.exists(n.pcap)]

    def collect(self, dest):
        """Copy every node's serial log and pcap into dest (for failures)."""
        os.makedirs(dest, exist_ok=True)
        for n in self.nodes.values():
            for path in (n.log_path, n.pcap):
                if path and os.path.exists(path):
                    shutil.copy(path, dest)
        return dest

    def stop(self):
        for p in self.plugs:
            p.close()
        for node in self.nodes.values():
            node.stop()
        if self.wire:
            self.wire.stop()
        for sw in self.switches:
            sw.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def namespace_problem(device="tun"):
    """None if this host lets a test make and enter a network namespace
    with a tap device (device "tun") or a veth pair ("veth"); else why
    not, for a skip that says so.  Tried for real (a chroot, or a
    container without the rights, can have root, iproute2 and
    /dev/net/tun and still not enter one)."""
    if os.geteuid() != 0:
        return "needs root"
    if need("ip") or (device == "tun" and not os.path.exists("/dev/net/tun")):
        return "needs iproute2" + (" and /dev/net/tun" if device == "tun" else "")
    name = "brinch-probe-%d" % os.getpid()
    try:
        subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True, timeout=10)
        r = subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"],
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            return "cannot enter a network namespace here: " + (r.stderr.strip() or "failed")
        if device == "veth":
            r = subprocess.run(["ip", "netns", "exec", name, "ip", "link", "add", "v0",
                                "type", "veth", "peer", "name", "v1"],
                               capture_output=True, text=True, timeout=10)
            if r.returncode != 0:
                return "cannot make a veth pair here: " + (r.stderr.strip() or "failed")
    except (OSError, subprocess.SubprocessError) as e:
        return "cannot make a network namespace here: %s" % e
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)
    return None


class LinuxNamespace:
    """A network namespace a test creates for itself (`with` it), holding
    a tap device tap0 at host_ip/24: Linux's own stack on one side, one
    brinch node (QEMU started inside the namespace) on the other.  No
    traffic leaves the namespace."""

    def __init__(self, name, host_ip):
        self.name = name
        self.host_ip = host_ip

    def run(self, *argv, check=True, timeout=60, **kwargs):
        """Run a program inside the namespace; output captured as text."""
        return subprocess.run(["ip", "netns", "exec", self.name] + list(argv),
                              capture_output=True, text=True, check=check,
                              timeout=timeout, **kwargs)

    def __enter__(self):
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            self.run("ip", "link", "set", "lo", "up")
            self.run("ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
            self.run("ip", "addr", "add", self.host_ip + "/24", "dev", "tap0")
            self.run("ip", "link", "set", "tap0", "up")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    def node(self, workdir, name):
        """Node 0 (10.0.0.1) on tap0.  vnet_hdr=off: frames pass as plain
        Ethernet, so filter-dump's pcap holds what was on the wire
        (docs/network.md)."""
        return NetNode(0, "tap,ifname=tap0,script=no,downscript=no,vnet_hdr=off",
                       pcap=os.path.join(workdir, "node0.pcap"),
                       prefix=["ip", "netns", "exec", self.name], mem="64M",
                       log_path=os.path.join(workdir, "node0.log"), name=name)


def default_workdir(tag):
    return os.path.join(ROOT, "build", "net", "%s-%d" % (tag, os.getpid()))


# ---- for the benchmark drivers (tools/bench.py, netbench.py, ...) --------

def guest_json(node, cmd, timeout):
    """Run cmd on node; return the first JSON object it printed."""
    out = node.run(cmd, timeout=timeout)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("bench: `%s` on %s printed no JSON:\n%s" % (cmd, node.name, out[-2000:]))


@contextlib.contextmanager
def bench_cluster(tag, timeout, mem="64M"):
    """Two booted nodes (of mem each) on a switch for a benchmark driver,
    or None (with a note on stderr) where vde2 is missing.  The work
    directory, logs and pcaps, is kept only when the benchmark fails."""
    missing = need("vde_switch")
    if missing:
        print("%s: skipped: %s not installed (sh tools/ensure-deps.sh vde_switch:vde2)"
              % (tag, " ".join(missing)), file=sys.stderr)
        yield None
        return
    cluster = Cluster(2, default_workdir(tag), name=tag, mem=mem)
    try:
        cluster.start()
        cluster.boot(timeout)
        yield cluster
    finally:
        cluster.stop()
    shutil.rmtree(cluster.workdir, ignore_errors=True)


# ---- reading what brinch's network programs print (for tests) ------------

PING_RE = re.compile(r"(\d+) packets transmitted, (\d+) received, "
                     r"(?:\+\d+ duplicates, )?(\d+)% packet loss")
UDP_RE = re.compile(r"udp: (\d+) sent, (\d+) received, (\d+)% loss")


def fnv1a(data):
    """FNV-1a, 32 bits: the hash brinch's tools print for what they
    moved (`tcp`, `rcat -c`), so a test compares it with the bytes."""
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def ping_summary(text):
    """(transmitted, received, loss %) from ping's summary line."""
    m = PING_RE.search(text)
    if not m:
        raise AssertionError("no ping summary in:\n" + text)
    return tuple(int(x) for x in m.groups())


def resolve_through_loss(a, b, attempts=20):
    """Before a test measures something else through a lossy wire, get
    node a's ARP answer for node b (a ping reply means each side reached
    the other).  Three lost requests in a row, about 1 run in 20 at 20%
    loss each way, make the peer "unreachable" for 5 s (docs/network.md),
    so keep trying for longer than that: each attempt takes about a
    second.  True once a ping is answered."""
    for _ in range(attempts):
        if ping_summary(a.run("ping -q -c 2 -i 500 -W 500 %s" % b.ip, timeout=60))[1]:
            return True
    return False


def udp_summary(text):
    """(sent, received, loss %) from `udpsend -e`'s summary line."""
    m = UDP_RE.search(text)
    if not m:
        raise AssertionError("no udpsend summary in:\n" + text)
    return tuple(int(x) for x in m.groups())


def counters(node, timeout=30):
    """`net counters` as a dict of name -> value."""
    out = {}
    for line in node.run("net counters", timeout=timeout).splitlines():
        words = line.split()
        if len(words) == 2 and words[1].isdigit():
            out[words[0]] = int(words[1])
    if not out:
        raise AssertionError("`net counters` printed nothing")
    return out


def wait_counters(node, pred, timeout):
    """Poll `net counters` until pred(counters) holds or timeout seconds
    pass; return the last counters (the caller asserts on them)."""
    deadline = time.monotonic() + timeout
    while True:
        c = counters(node)
        if pred(c) or time.monotonic() > deadline:
            return c
        time.sleep(0.2)


def interface(node, timeout=30):
    """The RX/TX lines of `net` as {"rx_packets": .., "rx_dropped": .., ...}."""
    text = node.run("net", timeout=timeout)
    out = {}
    for way in ("RX", "TX"):
        m = re.search(r"%s packets (\d+)  bytes (\d+)  dropped (\d+)  errors (\d+)" % way, text)
        if not m:
            raise AssertionError("no %s line in `net`:\n%s" % (way, text))
        for key, value in zip(("packets", "bytes", "dropped", "errors"), m.groups()):
            out["%s_%s" % (way.lower(), key)] = int(value)
    return out


def tshark_problems(pcap, options=(), display_filter=None, settle=10):
    """Lines in which tshark, with IPv4/ICMP/UDP checksum checks on, reports
    a malformed packet or an error-level expert note; and the number of
    frames.  options: more tshark arguments (how to decode); display_filter
    leaves out, say, what a test made malformed on purpose.  QEMU may be
    writing the last record while tshark reads: that clipped frame is gone
    on the next look, so problems are looked at again for up to settle
    seconds before they are believed."""
    argv = ["tshark", "-r", pcap, "-V", "-o", "ip.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE"] + list(options)
    if display_filter:
        argv += ["-Y", display_filter]
    deadline = time.monotonic() + settle
    while True:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        bad = [l.strip() for l in res.stdout.splitlines()
               if "Malformed" in l or "Expert Info (Error" in l or
               "[Checksum Status: Bad]" in l]
        if res.returncode != 0:
            bad.append("tshark failed: " + res.stderr.strip())
        if not bad or time.monotonic() > deadline:
            return bad, res.stdout.count("\nFrame ")
        time.sleep(0.2)
