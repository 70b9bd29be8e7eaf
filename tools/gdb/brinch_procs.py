# tools/gdb/brinch_procs.py: gdb commands about processes: `ps` (the table),
# `pcb PID` (one PCB decoded) and `bt-proc PID` (the kernel backtrace of a
# process that is not running).  Registered by tools/gdb/brinch.py.
"""Process commands for gdb (see brinch.py)."""

import gdb

from brinch_core import *  # noqa: F401,F403  (the shared helpers)


class Ps(BrinchCommand):
    """Print the process table (proc_table[NPROC]): pid, parent, state,
    priority, CPU ticks (user + system), name, the wait queue of a waiting
    process, and its pending and blocked signals.  `*` marks `current`.
    Usage: ps"""

    def __init__(self):
        super().__init__("ps")

    def run(self, arg):
        cur = current_proc()
        cur_addr = u32(cur.address) if cur is not None else None
        print("  %5s %5s %-9s %4s %6s %-15s %-15s %-10s %s"
              % ("PID", "PPID", "STATE", "PRI", "TICKS", "NAME", "WAIT", "PENDING", "BLOCKED"))
        procs = live_procs()
        for p in procs:
            waiting = u32(p["waiting_on"]) != 0
            wait = queue_name(p["waiting_on"]) if waiting else "-"
            ticks = int(p["user_ticks"]) + int(p["sys_ticks"])
            print("%s %5d %5d %-9s %4d %6d %-15s %-15s %-10s %s"
                  % ("*" if u32(p.address) == cur_addr else " ",
                     int(p["pid"]), int(p["ppid"]), state_name(p), priority(p), ticks,
                     cstring(p["name"]), wait,
                     signal_names(u32(p["sig_pending"]), short=True),
                     signal_names(u32(p["sig_blocked"]), short=True)))
        ticks = variable("ticks")
        print("current: %s; %d processes; tick %s"
              % (label(cur) if cur is not None else "none", len(procs),
                 int(ticks) if ticks is not None else "?"))


PCB_GROUPS = {
    "pid": "identity", "state": "state",
    "nice": "scheduling information", "priority": "scheduling information",
    "pgdir": "memory-management information", "user_ticks": "accounting",
    "files": "I/O status", "sig_pending": "signals", "port": "interprocess communication",
    "parent": "node-local state",
}


def format_context(ctx_ptr, stale):
    """Lines for a struct context (kernel/proc.h) at ctx_ptr."""
    if u32(ctx_ptr) == 0:
        return ["    (no context)"]
    ctx = ctx_ptr.dereference()
    regs = "  ".join("%s %08x" % (n, u32(ctx[n])) for n in ("edi", "esi", "ebx", "ebp"))
    eip = u32(ctx["eip"])
    lines = ["    " + regs,
             "    eip %08x  %s" % (eip, describe_code(eip, symbol_at(eip)[1] != 0))]
    if stale:
        lines.append("    (out of date: this process is on the CPU, its registers are the CPU's)")
    return lines


def trap_name(trapno):
    """What vector trapno is, using the kernel's own exception_names[]."""
    names = variable("exception_names")
    if names is not None:
        low, high = names.type.strip_typedefs().range()
        if low <= trapno <= high and u32(names[trapno]) != 0:
            return cstring(names[trapno])
    if 32 <= trapno < 48:
        return "IRQ %d" % (trapno - 32)
    if trapno == 0x80:
        return "system call"
    return "vector %d" % trapno


def format_trapframe(tf_ptr):
    """Lines for a struct trapframe (kernel/trap.h) at tf_ptr."""
    if u32(tf_ptr) == 0:
        return ["    (no trap frame)"]
    tf = tf_ptr.dereference()
    r = {name: u32(tf[name]) for name in fields(tf)}
    user = (r["cs"] & 3) == 3
    lines = ["    trapno %d (%s), err %#x, from %s mode"
             % (r["trapno"], trap_name(r["trapno"]), r["err"], "user" if user else "kernel"),
             "    eax %08x  ebx %08x  ecx %08x  edx %08x"
             % (r["eax"], r["ebx"], r["ecx"], r["edx"]),
             "    esi %08x  edi %08x  ebp %08x  kernel_esp %08x"
             % (r["esi"], r["edi"], r["ebp"], r["kernel_esp"]),
             "    eip %08x  cs %04x  eflags %08x  esp %08x  ss %04x"
             % (r["eip"], r["cs"], r["eflags"], r["esp"], r["ss"]),
             "    ds %04x  es %04x  fs %04x  gs %04x" % (r["ds"], r["es"], r["fs"], r["gs"])]
    where = describe_code(r["eip"])
    if not user or where != "??":
        lines.append("    eip is %s" % where)
    return lines


def format_files(files):
    lines = []
    for fd in range(files.type.strip_typedefs().range()[1] + 1):
        f_ptr = files[fd]
        if u32(f_ptr) == 0:
            continue
        f = f_ptr.dereference()
        kind = FILE_TYPES.get(int(f["type"]), "type %d" % int(f["type"]))
        mode = ("r" if int(f["readable"]) else "-") + ("w" if int(f["writable"]) else "-")
        text = "    fd %2d: %-10s %s refs %d offset %d" % (fd, kind, mode, int(f["refs"]),
                                                         u32(f["offset"]))
        if has_field(f, "entry") and u32(f["entry"]) != 0:
            text += ' "/%s"' % cstring(f["entry"]["path"])
        lines.append(text)
    return lines or ["    (none open)"]


def format_sigactions(actions):
    lines = []
    for n in range(1, actions.type.strip_typedefs().range()[1] + 1):
        a = actions[n]
        handler = u32(a["sa_handler"])
        if handler == 0 and u32(a["sa_mask"]) == 0 and u32(a["sa_flags"]) == 0:
            continue                    # SIG_DFL, nothing else: not worth a line
        what = {0: "SIG_DFL", 1: "SIG_IGN"}.get(handler, "handler 0x%08x" % handler)
        lines.append("    %-8s %s mask %s flags %#x restorer 0x%08x"
                     % (SIGNALS.get(n, "SIG%d" % n), what, signal_names(u32(a["sa_mask"])),
                        u32(a["sa_flags"]), u32(a["sa_restorer"])))
    return lines or ["    (all SIG_DFL)"]


def format_wait_queue(q):
    problems = []
    procs = list_entries(q["waiters"], "proc", "queue_node", problems)
    if u32(q["waiters"]["head"]["next"]) == 0:
        return '(never initialised)'
    who = ", ".join("pid " + label(p.dereference()) for p in procs) or "no waiters"
    return '"%s": %s%s' % (cstring(q["name"]), who, "".join(" !!" + t for t in problems))


# Page-table bits (kernel/mm/mmu.h); PTE_COW with P set, PTE_ZERO with P clear.
PTE_P, PTE_W, PTE_SHARED, PTE_COW_OR_ZERO = 0x001, 0x002, 0x200, 0x800
KERNBASE = 0xC0000000


def address_space_summary(pgdir):
    """The user half of a page directory counted as vm_usage() counts it
    (kernel/mm/vm.c): pages with a frame, copy-on-write pages, pages whose
    frame another address space maps too (frame_sharers in pmm.c), and
    pages reserved with no frame yet."""
    import struct
    sharers = variable("frame_sharers")
    pdes = struct.unpack("<768I", read_bytes(pgdir, 768 * 4))
    mapped = cow = shared = reserved = 0
    for pde in pdes:
        if not pde & PTE_P:
            continue
        for e in struct.unpack("<1024I", read_bytes((pde & ~0xFFF) + KERNBASE, 4096)):
            if not e & PTE_P:
                reserved += (e & PTE_COW_OR_ZERO) != 0
                continue
            mapped += 1
            cow += (e & PTE_COW_OR_ZERO) != 0
            if sharers is not None and not e & PTE_SHARED and int(sharers[e >> 12]) > 0:
                shared += 1
    return ("%d pages mapped: %d copy-on-write, %d frames shared with another address "
            "space, %d reserved (no frame until touched)" % (mapped, cow, shared, reserved))


def format_field(p, name):
    """One PCB field as text (maybe several lines), decoded by what it is."""
    v = p[name]
    t = v.type.strip_typedefs()
    if name in ("sig_pending", "sig_blocked"):
        return "%#x  %s" % (u32(v), signal_names(u32(v)))
    if name == "state":
        return state_name(p)
    if name == "name":
        return '"%s"' % cstring(v)
    if name == "files":
        return "\n" + "\n".join(format_files(v))
    if name == "sig_actions":
        return "\n" + "\n".join(format_sigactions(v))
    if name == "context":
        stale = on_cpu(p)
        return "0x%08x\n%s" % (u32(v), "\n".join(format_context(v, stale)))
    if name == "tf":
        return "0x%08x\n%s" % (u32(v), "\n".join(format_trapframe(v)))
    if name == "kstack":
        base = u32(v)
        if base == 0:
            return "0x00000000"
        ctx = u32(p["context"])
        used = ""
        if base < ctx <= base + KSTACK_SIZE and not on_cpu(p):
            used = ", %d bytes in use above the saved context" % (base + KSTACK_SIZE - ctx)
        return "0x%08x .. 0x%08x (%d bytes%s)" % (base, base + KSTACK_SIZE, KSTACK_SIZE, used)
    if name == "pgdir":
        text = "0x%08x (physical 0x%08x)" % (u32(v), (u32(v) - 0xC0000000) & 0xFFFFFFFF)
        return text if u32(v) == 0 else text + "\n    " + address_space_summary(u32(v))
    if t.code == gdb.TYPE_CODE_PTR:
        target = t.target().strip_typedefs()
        if u32(v) == 0:
            return "NULL"
        if target.tag == "proc":
            return "0x%08x  pid %s" % (u32(v), label(v.dereference()))
        if target.tag == "wait_queue":
            return "0x%08x  %s" % (u32(v), where_is(u32(v)))
        return "0x%08x" % u32(v)
    if t.code == gdb.TYPE_CODE_STRUCT and t.tag == "wait_queue":
        return format_wait_queue(v)
    if t.code == gdb.TYPE_CODE_STRUCT and t.tag == "list_node":
        linked = u32(v["next"]) != u32(v.address)
        if not linked:
            return "not on any list"
        return "linked (next 0x%08x, prev 0x%08x)" % (u32(v["next"]), u32(v["prev"]))
    if t.code == gdb.TYPE_CODE_ARRAY:
        return "{%s}" % ", ".join(str(v[i]) for i in range(t.range()[0], t.range()[1] + 1))
    if t.code == gdb.TYPE_CODE_INT and t.sizeof == 4 and not t.is_signed and u32(v) > 0xFFFF:
        return "%d (%#x)" % (u32(v), u32(v))
    return str(v)


class Pcb(BrinchCommand):
    """Print every field of one process control block (struct proc in
    kernel/proc.h), decoded: the state by name, signal masks as signal
    names, open files, the saved kernel context (for a process that is not
    running) and the trap frame with the user registers.
    Usage: pcb PID"""

    def __init__(self):
        super().__init__("pcb")

    def run(self, arg):
        p = find_proc(pid_arg(arg, "pcb"))
        cur = current_proc()
        cur_addr = u32(cur.address) if cur is not None else None
        slot = (u32(p.address) - u32(must_variable("proc_table").address)) // p.type.sizeof
        print("pcb of pid %s: proc_table[%d] at 0x%08x%s"
              % (label(p), slot, u32(p.address), "  (current)" if u32(p.address) == cur_addr else ""))
        width = max(len(name) for name in fields(p))
        for name in fields(p):
            if name in PCB_GROUPS:
                print("  -- %s" % PCB_GROUPS[name])
            text = "  %-*s %s" % (width, name, format_field(p, name))
            print("\n".join(line.rstrip() for line in text.split("\n")))
        if state_name(p) == "WAITING" and u32(p["waiting_on"]) == 0:
            print("!! WAITING but waiting_on is NULL")


class BtProc(BrinchCommand):
    """Print the kernel backtrace of a process that is not running, from
    its saved context: the first frame is context->eip (where it will
    resume), then the chain of saved frame pointers starting at
    context->ebp, then the trap frame that brought it into the kernel.
    For the running process use gdb's own `bt`.  Usage: bt-proc PID"""

    def __init__(self):
        super().__init__("bt-proc")

    def run(self, arg):
        p = find_proc(pid_arg(arg, "bt-proc"))
        if on_cpu(p):
            print("pid %s is on the CPU: its saved context is out of date and its "
                  "registers are the CPU's, so here is gdb's `bt`:" % label(p))
            gdb.execute("bt")
            return
        if u32(p["context"]) == 0:
            raise gdb.GdbError("pid %s has no saved context" % label(p))
        lo = u32(p["kstack"])
        hi = lo + KSTACK_SIZE
        ctx = p["context"].dereference()
        pc, ebp = u32(ctx["eip"]), u32(ctx["ebp"])
        print("pid %s, %s, kernel stack 0x%08x..0x%08x, context at 0x%08x:"
              % (label(p), state_name(p), lo, hi, u32(p["context"])))
        def in_stack(addr):
            return lo <= addr < hi - 8

        # A process that never ran resumes at the start of a routine
        # (fork_return); every other resume address follows a call.
        is_return = symbol_at(pc)[1] != 0
        print("#0  0x%08x in %s" % (pc, describe_code(pc, is_return)))
        for depth in range(1, 64):
            if not in_stack(ebp):
                print("    (ebp 0x%08x: no frame on the kernel stack%s)" % (ebp, (
                    "; a process that never ran has only its trap frame" if ebp == 0 else "")))
                break
            # A frame: [ebp] = the caller's ebp, [ebp + 4] = the return address.
            next_ebp, pc = read_u32(ebp), read_u32(ebp + 4)
            print("#%-2d 0x%08x in %s" % (depth, pc, describe_code(pc, True)))
            if not in_stack(next_ebp) or next_ebp <= ebp:
                print("    (saved ebp 0x%08x is not a kernel frame: the code above "
                      "entered the kernel through the trap frame)" % next_ebp)
                break
            ebp = next_ebp
        tf = u32(p["tf"])
        if lo <= tf < hi:
            print("trap frame at 0x%08x (p->tf):" % tf)
            print("\n".join(format_trapframe(p["tf"])))
