# tools/gdb/brinch_trace.py: `trace-dump FILE`, the kernel event trace read
# from a stopped kernel's memory (kernel/trace.c's trace_ring) and written in
# the format `trace dump` sends to the trace port, for tools/trace.  Loaded
# by brinch.py; see docs/tracing.md.
"""trace-dump FILE: the trace ring of a stopped kernel, as tools/trace reads it."""

import struct

import gdb

from brinch_core import (BrinchCommand, cstring, header_defines, live_procs, must_variable,
                         read_bytes, u32)

RECORD = struct.Struct("<QBBhII12s")     # struct trace_event (include/brinch/trace.h)
KMSG_RECV = 13
POLICIES = header_defines("include/brinch/types.h", r"SCHED_(?:RR|PRIO|MLFQ)",
                          {0: "SCHED_RR", 1: "SCHED_PRIO", 2: "SCHED_MLFQ"})


class TraceDump(BrinchCommand):
    """trace-dump FILE: write the kernel's event trace ring to FILE on the host
    (the trace port's format; tools/trace turns it into pictures).  Needs no
    trace port and no shell: the kernel may be stopped anywhere."""

    def __init__(self):
        super().__init__("trace-dump")

    def run(self, arg):
        if not arg:
            raise gdb.GdbError("usage: trace-dump FILE")
        ring = must_variable("trace_ring")
        capacity = ring.type.strip_typedefs().range()[1] + 1
        recorded = u32(must_variable("trace_recorded"))
        calib = must_variable("trace_calib")
        tsc0, us0, tsc1, us1 = (int(calib[i]) for i in range(4))
        if tsc1 <= tsc0:                # no second point yet: a guess, 1 GHz
            tsc1, us1 = tsc0 + 1000000000, us0 + 1000000
        held = min(recorded, capacity)
        data = read_bytes(u32(ring.address), RECORD.size * capacity)
        policy = POLICIES.get(int(must_variable("sched_policy")), "?")[6:].lower()
        lines = ["brinch-trace 1 node %d sched %s" % (self.node(), policy),
                 "calib %d %d %d %d" % (tsc0, us0, tsc1, us1)]
        for p in live_procs():
            pid = int(p["pid"])
            lines.append("p %d %d %s" % (pid, int(p["ppid"]), cstring(p["name"]) if pid else "idle"))
        for i in range(recorded - held, recorded):
            time, type_, _, pid, a0, a1, text = RECORD.unpack_from(data, (i % capacity) * RECORD.size)
            if type_ == KMSG_RECV:
                more, word = struct.unpack_from("<I", text)[0], ""
            else:
                more, word = 0, self.word(text)
            lines.append("e %d %d %d %d %d %d %s" % (time, type_, pid, a0, a1, more, word))
        lines.append("end recorded %d held %d lost %d" % (recorded, held, recorded - held))
        with open(arg, "w") as f:
            f.write("\n".join(lines) + "\n")
        print("trace-dump: %d events (%d lost to overflow) -> %s" % (held, recorded - held, arg))

    @staticmethod
    def word(text):
        text = text.split(b"\0")[0].decode("latin-1")
        return "".join("_" if c == " " else c if "!" <= c <= "~" else "?" for c in text)

    @staticmethod
    def node():
        """node= from the kernel command line, as the kernel's dump gives it."""
        line = cstring(must_variable("cmdline"))
        for word in line.split():
            if word.startswith("node=") and word[5:].lstrip("-").isdigit():
                return int(word[5:])
        return -1
