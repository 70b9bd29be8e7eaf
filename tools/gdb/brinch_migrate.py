# tools/gdb/brinch_migrate.py: the gdb command about process migration,
# `migrations` (alias `mig`): the migrations leaving and arriving, the
# forwarding records and the deputies (docs/migration.md).  Registered by
# tools/gdb/brinch.py.
"""The migration command for gdb (see brinch.py)."""

import gdb

from brinch_core import *  # noqa: F401,F403  (the shared helpers)

DIST_NODE_SHIFT = 23                    # include/brinch/dist.h
HOW = {0: "stop", 1: "precopy", 2: "lazy"}     # MIG_STOP ... in include/brinch/migrate.h


def file_static(filename, name):
    """The static variable `name` of kernel/migrate/FILENAME, or None when
    this kernel has no such file (built before migration, or without it).
    gdb's 'file'::name picks the right one if several files use the name."""
    try:
        return gdb.parse_and_eval("'%s'::%s" % (filename, name))
    except gdb.error:
        return None


def enum_names(names):
    """{value: name} for enumerators gdb knows by name (mig_in.c's phases
    are an anonymous enum, so there is no type to ask)."""
    out = {}
    for name in names:
        try:
            out[int(gdb.parse_and_eval(name))] = name
        except gdb.error:
            pass
    return out


def global_pid(gpid):
    """'H:P' for a global pid (DIST_PID(H, P) = (H + 1) << 23 | P)."""
    gpid = u32(gpid)
    return "%d:%d" % (((gpid >> DIST_NODE_SHIFT) & 0xFF) - 1, gpid & ((1 << DIST_NODE_SHIFT) - 1))


def proc_label(ptr):
    """'7 (migtest)' for a struct proc pointer, '-' for NULL."""
    if u32(ptr) == 0:
        return "-"
    return label(ptr.dereference())


def slots_in_use(table, used_field):
    """[(index, slot)] of a static array of structs whose `used_field` is
    non-zero."""
    low, high = table.type.strip_typedefs().range()
    return [(i, table[i]) for i in range(low, high + 1) if int(table[i][used_field]) != 0]


def table_size(table):
    low, high = table.type.strip_typedefs().range()
    return high - low + 1


class Migrations(BrinchCommand):
    """Print what process migration is doing on this node: the migrations
    leaving (`outs` in kernel/migrate/mig_out.c: id, process, target,
    strategy, phase, the next page address the pump looks at, PAGES
    messages not yet acknowledged, ticks since the target was last heard),
    the migrations arriving (`ins` in mig_in.c: source, id, the process's
    home name, phase, pages staged, the PCB reserved for it), the
    forwarding records this node keeps for processes that passed through
    (`forwards` in mig_home.c, newest first), the stubs of mailboxes that
    left with their owner (`stubs` in kernel/ipc/mbox_move.c: old id,
    name, where it was created, where it is now), the deputies (PCBs in state
    MOVED whose process runs elsewhere) and the processes here that
    arrived from another node.  Usage: migrations (or mig)"""

    def __init__(self, name="migrations"):
        super().__init__(name)

    def run(self, arg):
        outs = file_static("mig_out.c", "outs")
        if outs is None:
            raise gdb.GdbError("no 'mig_out.c'::outs: this kernel has no process migration "
                               "(kernel/migrate/), or its symbols are not loaded")
        now = variable("ticks")
        now = u32(now) if now is not None else None
        self.leaving(outs, now)
        self.arriving(file_static("mig_in.c", "ins"), now)
        self.forwarding(file_static("mig_home.c", "forwards"),
                        file_static("mig_home.c", "next_forward"))
        self.stubs(file_static("mbox_move.c", "stubs"))
        self.lazy(file_static("mig_lazy.c", "pagers"), file_static("mig_lazy.c", "lazies"))
        self.deputies()
        self.migrants()

    def leaving(self, outs, now):
        used = slots_in_use(outs, "used")
        print("leaving (outs in mig_out.c): %d of %d slots in use" % (len(used), table_size(outs)))
        if not used:
            return
        print("  %-4s %-16s %-7s %2s  %-8s %-15s %-10s %-8s %-6s %s"
              % ("id", "process", "global", "to", "how", "phase", "cursor", "inflight",
                 "pages", "silent"))
        for i, m in used:
            how = HOW.get(int(m["how"]), str(int(m["how"])))
            if int(m["self"]):
                how += ",self"      # migrate(0, ...): parked inside the call
            rec = m["rec"]
            gpid = global_pid(rec["pid"]) if u32(rec) else "?"
            pages = str(u32(rec["pages_sent"])) if u32(rec) else "?"
            # The requester gives up after 15 s without a word (mig_start).
            silent = "%d ticks" % ((now - u32(m["heard"])) & 0xFFFFFFFF) if now is not None else "?"
            extra = ""
            if u32(m["p"]) and u32(m["p"]["mig"]) != u32(m.address):
                extra = "  !! the process's mig does not point back at outs[%d]" % i
            print("  %-4d %-16s %-7s %2d  %-8s %-15s 0x%08x %-8d %-6s %s%s"
                  % (u32(m["id"]), proc_label(m["p"]), gpid, int(m["node"]), how,
                     str(m["phase"]), u32(m["cursor"]), int(m["inflight"]), pages, silent,
                     extra))

    def arriving(self, ins, now):
        if ins is None:
            print("arriving: no 'mig_in.c'::ins in this kernel")
            return
        used = slots_in_use(ins, "phase")
        print("arriving (ins in mig_in.c): %d of %d slots in use" % (len(used), table_size(ins)))
        if not used:
            return
        phases = enum_names(("IN_RECEIVING", "IN_BUILT"))
        print("  %-4s %-4s %-7s %-13s %-6s %-22s %s"
              % ("from", "id", "who", "phase", "pages", "PCB", "idle"))
        for _, n in used:
            phase = phases.get(int(n["phase"]), "phase %d" % int(n["phase"]))
            # The PCB is reserved at STATE: a fresh one, or (coming home)
            # the deputy it will take back at GO.
            if u32(n["deputy"]):
                pcb = "deputy " + proc_label(n["deputy"])
            elif u32(n["p"]):
                pcb = "NEW " + proc_label(n["p"])
            else:
                pcb = "- (not yet: no STATE)"
            idle = "%d ticks" % ((now - u32(n["last_tick"])) & 0xFFFFFFFF) if now is not None else "?"
            print("  %-4d %-4d %-7s %-13s %-6d %-22s %s"
                  % (int(n["node"]), u32(n["id"]),
                     "%d:%d" % (int(n["who"]["home"]), int(n["who"]["pid"])),
                     phase, u32(n["pages"]), pcb, idle))

    def forwarding(self, forwards, written):
        if forwards is None or written is None:
            print("forwarding records: no 'mig_home.c'::forwards in this kernel")
            return
        size, written = table_size(forwards), u32(written)
        kept = min(size, written)
        print("forwarding records (forwards in mig_home.c, a ring of %d): %d written, "
              "%d kept, newest first" % (size, written, kept))
        # The same walk as forwarded_to(): the newest record for a process wins.
        for i in range(1, kept + 1):
            f = forwards[(written - i) % size]
            print("  %d:%d went to node %d"
                  % (int(f["who"]["home"]), int(f["who"]["pid"]), int(f["node"])))

    def stubs(self, stubs):
        """Mailboxes that left with their owner: each old id here, where
        it was created and where it is now (kernel/ipc/mbox_move.c)."""
        if stubs is None:
            print("mailboxes moved: no 'mbox_move.c'::stubs in this kernel")
            return
        used = slots_in_use(stubs, "id")
        print("mailboxes moved (stubs in mbox_move.c): %d of %d slots in use"
              % (len(used), table_size(stubs)))
        for _, s in used:
            name = s["name"].string() or "-"
            state = "settling" if int(s["settling"]) else "forwarding"
            print("  mbox %-6d %-12s created as %-10s now %-10s %s (migration %d)"
                  % (int(s["id"]), name, global_pid(s["origin"]), global_pid(s["now"]),
                     state, u32(s["tag"])))

    def lazy(self, pagers, lazies):
        """Lazy migration's residual dependency, both ends: address spaces
        this node keeps for a target (pagers), processes here still
        fetching pages from their source (lazies)."""
        if pagers is None or lazies is None:
            print("lazy: no 'mig_lazy.c'::pagers in this kernel")
            return
        used = slots_in_use(pagers, "used")
        print("lazy, kept for a target (pagers in mig_lazy.c): %d of %d slots in use"
              % (len(used), table_size(pagers)))
        for pg in used:
            print("  migration %-4d for node %-3d address space at 0x%08x"
                  % (int(pg["id"]), int(pg["node"]), u32(pg["pgdir"])))
        used = slots_in_use(lazies, "used")
        print("lazy, still fetching (lazies in mig_lazy.c): %d of %d slots in use"
              % (len(used), table_size(lazies)))
        for lz in used:
            print("  pid %-16s from node %-3d migration %-4d pages left %-5d asks out %d"
                  % (proc_label(lz["p"]), int(lz["source"]), int(lz["id"]),
                     int(lz["left"]), int(lz["inflight"])))

    def deputies(self):
        moved = [p for p in live_procs() if state_name(p) == "MOVED"]
        print("deputies (proc_table, state MOVED): %d" % len(moved))
        for p in moved:
            parent = proc_label(p["parent"])
            print("  pid %-16s runs on node %-3d parent %s"
                  % (label(p), int(p["moved_to"]), parent))

    def migrants(self):
        here = [p for p in live_procs() if has_field(p, "home") and int(p["home"]) >= 0]
        print("arrived from elsewhere (proc_table, home >= 0): %d" % len(here))
        for p in here:
            print("  pid %-16s is %d:%d  %s"
                  % (label(p), int(p["home"]), int(p["home_pid"]), state_name(p)))
