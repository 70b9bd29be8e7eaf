# tools/tracelib/dump.py: parses the text dump that `trace dump` writes to
# the trace port (kernel/trace.c's trace_dump), follows each process's state
# through the events, and merges several nodes' traces into one timeline
# in which every message is received after it was sent.
"""Reading kernel trace dumps.

    t = load("build/trace.txt")          # the last complete dump in the file
    t.events, t.lost, t.node, t.names     # Event objects, oldest first
    states(t)                            # per pid: [(start, end, state, label)]
    messages([t0, t1, t2])               # matched kernel messages
    align([t0, t1, t2])                  # node clock offsets, in place
"""

# The event types of include/brinch/trace.h (enum trace_type), in order.
TYPES = [None, "switch", "ready", "wait", "fork", "exec", "exit", "syscall",
         "sysret", "irq", "mbox_send", "mbox_recv", "kmsg_send", "kmsg_recv",
         "migrate", "mark", "suspend"]
PSTATES = {0: "unused", 1: "new", 2: "ready", 3: "running", 4: "waiting",
           5: "zombie", 6: "suspended", 7: "moved"}
SERVICES = {0: "nop", 1: "echo", 2: "echo reply", 3: "mbox", 4: "migrate"}


class DumpError(ValueError):
    pass


class Event:
    __slots__ = ("time", "tsc", "type", "pid", "a0", "a1", "m0", "text", "node")

    def __init__(self, tsc, type_, pid, a0, a1, m0, text, node):
        self.tsc, self.type, self.pid = tsc, type_, pid
        self.a0, self.a1, self.m0, self.text, self.node = a0, a1, m0, text, node
        self.time = 0.0         # microseconds since the node booted

    def __repr__(self):
        return "Event(%s %.1fus pid %d %d %d %d %r)" % (
            self.type, self.time, self.pid, self.a0, self.a1, self.m0, self.text)


class Trace:
    """One node's dump."""

    def __init__(self):
        self.node = -1
        self.policy = "?"
        self.calib = None
        self.procs = {}         # pid -> name, the process table at the dump
        self.events = []
        self.recorded = self.held = self.lost = 0
        self.offset = 0.0       # added to every time by align()
        self.names = {}         # pid -> name, from exec, fork and the table

    def name(self, pid):
        return self.names.get(pid) or ("idle" if pid == 0 else "pid %d" % pid)

    def title(self, pid):
        """NAME (pid N), or just pid N when the name is not known."""
        name = self.names.get(pid) or ("idle" if pid == 0 else None)
        return "%s (pid %d)" % (name, pid) if name else "pid %d" % pid

    @property
    def label(self):
        return "node %d" % self.node if self.node >= 0 else "brinch"


def _blocks(lines):
    """Each complete dump (header ... end) in the file, in order."""
    block = None
    for line in lines:
        line = line.rstrip("\r\n")
        if line.startswith("brinch-trace "):
            block = [line]
        elif block is not None:
            block.append(line)
            if line.startswith("end "):
                yield block
                block = None


def parse(text, node=None, index=-1):
    """A complete dump in text (the last by default; a file collects one
    per `trace dump`), as a Trace."""
    blocks = list(_blocks(text.splitlines()))
    if not blocks:
        raise DumpError("no complete trace dump (brinch-trace ... end) found")
    try:
        return _parse_block(blocks[index], node)
    except IndexError:
        raise DumpError("dump %d asked for, %d in the file" % (index, len(blocks))) from None


def load(path, node=None, index=-1):
    try:
        with open(path, errors="replace") as f:
            return parse(f.read(), node, index)
    except (OSError, DumpError) as e:
        raise DumpError("%s: %s (in brinch, `trace dump` writes one to the trace port; "
                        "docs/tracing.md)" % (path, e.strerror if isinstance(e, OSError) else e)) from None


def _parse_block(block, node):
    t = Trace()
    head = block[0].split()
    if head[1] != "1":
        raise DumpError("trace dump version %s: this tool reads version 1" % head[1])
    t.node = int(head[3]) if node is None else node
    t.policy = head[5]
    for line in block[1:]:
        w = line.split(" ")
        if w[0] == "calib":
            t.calib = tuple(int(x) for x in w[1:5])
        elif w[0] == "p":
            t.procs[int(w[1])] = " ".join(w[3:])
        elif w[0] == "e":
            if len(w) < 8:
                raise DumpError("short event line: %r" % line)
            typ = int(w[2])
            if not 0 < typ < len(TYPES):
                raise DumpError("unknown event type %d: %r" % (typ, line))
            t.events.append(Event(int(w[1]), TYPES[typ], int(w[3]), int(w[4]),
                                  int(w[5]), int(w[6]), " ".join(w[7:]).replace("_", " "),
                                  t.node))
        elif w[0] == "end":
            kv = dict(zip(w[1::2], w[2::2]))
            t.recorded, t.held, t.lost = (int(kv[k]) for k in ("recorded", "held", "lost"))
    if t.calib is None:
        raise DumpError("dump without its calib line")
    if len(t.events) != t.held:
        raise DumpError("dump says %d events, holds %d" % (t.held, len(t.events)))
    _convert_times(t)
    _name_processes(t)
    return t


def exact(us):
    """A time rounded to 1/1024 us (about a nanosecond): such numbers add and
    subtract exactly in floating point, so a viewer that turns a slice's
    start and duration back into an end gets exactly the next slice's
    start, never a hair after it (which would make the two overlap)."""
    return round(us * 1024) / 1024


def _convert_times(t):
    """Cycle counter to microseconds through the two calibration points."""
    tsc0, us0, tsc1, us1 = t.calib
    rate = (us1 - us0) / (tsc1 - tsc0) if tsc1 > tsc0 else 1.0
    for e in t.events:
        e.time = exact(us0 + (e.tsc - tsc0) * rate)


def _name_processes(t):
    """A pid's name: what it exec'd last, else its parent's at fork, else
    the table's at the dump."""
    names = dict(t.procs)
    for e in t.events:
        if e.type == "fork":
            names.setdefault(e.a0, e.text)
            names[e.a0] = e.text
        elif e.type == "exec":
            names[e.pid] = e.text
    names[0] = "idle"
    t.names = names


def states(t):
    """Each process's timeline from the switches and wakeups: pid -> list of
    (start, end, state, label), not overlapping, state one of running,
    ready, waiting (label: the queue), in time order."""
    if not t.events:
        return {}
    begin, end = t.events[0].time, t.events[-1].time
    now = {}                    # pid -> (state, since, label)
    out = {}

    def move(pid, state, time, label=""):
        if pid == 0 and state not in ("running", None):
            state = None            # idle is never anything but running or not
        old = now.get(pid)
        if old and time > old[1]:
            out.setdefault(pid, []).append((old[1], time, old[0], old[2]))
        if state is None:
            now.pop(pid, None)
        else:
            now[pid] = (state, max(time, old[1]) if old else time, label)

    running = None
    for e in t.events:
        if e.type == "switch":
            if running is None and e.pid not in now:
                move(e.pid, "running", begin)
            state = PSTATES.get(e.a1, "?")
            if state == "waiting":
                move(e.pid, "waiting", e.time, e.text)
            elif state == "suspended":
                move(e.pid, "suspended", e.time, "suspended")
            elif state == "ready":
                move(e.pid, "ready", e.time, e.text)
            else:
                move(e.pid, None, e.time)
            move(e.a0, "running", e.time, e.text)
            running = e.a0
        elif e.type == "ready" and running != e.pid and now.get(e.pid, ("",))[0] != "ready":
            move(e.pid, "ready", e.time, "ready")
        elif e.type == "fork":
            move(e.a0, "ready", e.time, "new")
        elif e.type == "suspend":
            move(e.pid, "suspended", e.time, "suspended")
    for pid in list(now):
        move(pid, None, end)
    for pid in out:
        out[pid].sort()
    return out


def messages(traces):
    """Kernel messages matched end to end: a list of dicts with the send
    and receive events, keyed by (sender node, receiver node, the sender's
    Lamport time), which each send makes unique.  Unmatched ends (a ring
    that lost them, a node not traced) are left out."""
    sends = {}
    for t in traces:
        for e in t.events:
            if e.type == "kmsg_send":
                sends[(t.node, e.a0 & 0xFF, e.a1)] = e
    out = []
    for t in traces:
        for e in t.events:
            if e.type == "kmsg_recv":
                s = sends.get((e.a0 & 0xFF, t.node, e.a1))
                if s is not None:
                    out.append({"send": s, "recv": e, "src": s.node, "dst": t.node,
                                "service": SERVICES.get(e.a0 >> 8, str(e.a0 >> 8)),
                                "send_lamport": e.a1, "recv_lamport": e.m0})
    out.sort(key=lambda m: (m["send"].time, m["src"]))
    return out


def align(traces, gap=1.0):
    """Put several nodes' events on one timeline in which every message is
    received at least `gap` microseconds after it was sent.  Each node's
    clock starts at its own boot, and the clocks of different guests drift
    apart a little, so: first one offset per node, the smallest that
    satisfies as many messages as it can (relaxed as in Bellman-Ford, from
    0 up); then, in happened-before order, a receive still too early moves
    forward, and with it the rest of its node (a controlled logical clock:
    a node's events keep their order and spacing, only ever shifted later).
    Times change in place; returns each node's final shift."""
    by_node = {t.node: t for t in traces}
    off = {n: 0.0 for n in by_node}
    msgs = messages(traces)
    for _ in range(len(traces) + 1):
        changed = False
        for m in msgs:
            need = m["send"].time + off[m["src"]] - m["recv"].time + gap
            if need > off[m["dst"]] + 1e-9:
                off[m["dst"]] = need
                changed = True
        if not changed:
            break
    low = min(off.values()) if off else 0.0
    shift = {n: off[n] - low for n in off}
    send_of = {id(m["recv"]): m["send"] for m in msgs}
    done = {}                   # id(send event) -> its final time
    pos = {n: 0 for n in by_node}

    def blocked(n):
        e = by_node[n].events[pos[n]]
        s = send_of.get(id(e))
        return s is not None and id(s) not in done

    while True:
        live = [n for n in by_node if pos[n] < len(by_node[n].events)]
        if not live:
            break
        ready = [n for n in live if not blocked(n)] or live
        n = min(ready, key=lambda n: by_node[n].events[pos[n]].time + shift[n])
        e = by_node[n].events[pos[n]]
        when = e.time + shift[n]
        s = send_of.get(id(e))
        if s is not None and id(s) in done and when < done[id(s)] + gap:
            shift[n] += done[id(s)] + gap - when
            when = done[id(s)] + gap
        done[id(e)] = when
        pos[n] += 1
    for n, t in by_node.items():
        for e in t.events:
            e.time = exact(done[id(e)])
        t.offset = shift[n]
    return shift
