# tools/gdb/brinch.py: gdb commands that print brinch's processes, queues,
# mailboxes and context switches.  Loaded by tools/gdb/gdbinit for `make gdb`,
# `make gdb-attach` and tests/integration/test_gdb.py; see docs/gdb.md.
"""brinch commands for gdb.

    ps                 the process table
    runq               the ready queue(s), head first
    waitq              every wait queue with its waiters, the timer list
    pcb PID            one PCB, every field decoded
    bt-proc PID        kernel backtrace of a process that is not running
    mbox               mailboxes, their messages and waiters
    switch-info        from/to/reason, when stopped inside context_switch
    finish-switch      step to the end of context_switch (`finish` cannot)
    trace-switch [N|off]  print every context switch (stop after N)
    user-symbols [NAME|off]  symbols of user program build/bin/NAME

Everything is read from the kernel's memory through gdb's view of the
debug information: field offsets come from gdb.Type, so the commands keep
working when fields are added to struct proc.  Nothing here writes to the
machine.
"""

import os
import re

import gdb

# The repository root: this file is ROOT/tools/gdb/brinch.py.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
USER_BIN = os.path.join(ROOT, "build", "bin")
USER_BASE = 0x08048000                  # user/user.ld links every program here
MAX_LIST = 4096                         # longer than any real queue: a loop

# ---------------------------------------------------------------------------
# Names from the C headers.  Macros are not in the debug information, so
# the numbers are read from the headers themselves (with a fallback, in
# case the extension is used away from the source tree).


def header_defines(relpath, pattern, fallback):
    """{number: name} for every `#define NAME NUMBER` in ROOT/relpath whose
    name matches the regular expression `pattern`."""
    names = {}
    try:
        with open(os.path.join(ROOT, relpath)) as f:
            for line in f:
                m = re.match(r"#define\s+(%s)\s+(0x[0-9a-fA-F]+|\d+)\b" % pattern, line)
                if m:
                    names.setdefault(int(m.group(2), 0), m.group(1))
    except OSError:
        pass
    return names or dict(fallback)


# include/brinch/signal.h: SIGINT 2, ... (SIG_DFL and friends have an underscore).
SIGNALS = header_defines("include/brinch/signal.h", r"SIG[A-Z][A-Z0-9]*",
                         {2: "SIGINT", 9: "SIGKILL", 11: "SIGSEGV", 14: "SIGALRM",
                          15: "SIGTERM", 17: "SIGCHLD"})
# include/brinch/types.h: what a struct file is (FT_FILE 1, FT_DIR 2, FT_CONSOLE 3).
FILE_TYPES = header_defines("include/brinch/types.h", r"FT_[A-Z]+",
                            {1: "FT_FILE", 2: "FT_DIR", 3: "FT_CONSOLE"})
# include/brinch/ipc.h: struct message flags.
MSG_FLAGS = {1: "CALL", 2: "NOTICE"}


def kstack_size():
    """KSTACK_SIZE from kernel/proc.h (a plain arithmetic expression), else 8 KiB."""
    try:
        with open(os.path.join(ROOT, "kernel", "proc.h")) as f:
            m = re.search(r"#define\s+KSTACK_SIZE\s+(.*)", f.read())
        expr = m.group(1).split("/*")[0].strip()
        if re.fullmatch(r"[0-9x()*+ \t]+", expr):
            return int(eval(expr, {"__builtins__": {}}))
    except (OSError, AttributeError, SyntaxError, ValueError):
        pass
    return 8192


KSTACK_SIZE = kstack_size()

# ---------------------------------------------------------------------------
# Reading values


def u32(value):
    """A gdb.Value (integer or pointer) as a Python int, unsigned 32-bit."""
    return int(value) & 0xFFFFFFFF


def read_u32(addr):
    """The 32-bit word at kernel address addr."""
    data = gdb.selected_inferior().read_memory(addr, 4)
    return int.from_bytes(bytes(data), "little")


def read_bytes(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def cstring(value, limit=256):
    """A char array or char pointer as a Python string (stops at the NUL).
    Unreadable memory gives "<bad pointer 0x...>" rather than an error."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
        addr, limit = u32(value.address), value.type.sizeof
    else:
        addr = u32(value)
        if addr == 0:
            return "<NULL>"
    data = b""
    try:
        # Page by page: a short string may end just before an unmapped page.
        while len(data) < limit and b"\0" not in data:
            here = addr + len(data)
            data += read_bytes(here, min(limit - len(data), 4096 - here % 4096))
    except gdb.MemoryError:
        if not data:
            return "<bad pointer 0x%08x>" % addr
    return data.split(b"\0")[0].decode("latin-1")


def variable(name):
    """The kernel variable `name` (global, or static in some file), or None."""
    sym = gdb.lookup_global_symbol(name)
    if sym is None:
        sym = gdb.lookup_static_symbol(name)
    return sym.value() if sym is not None else None


def must_variable(name):
    value = variable(name)
    if value is None:
        raise gdb.GdbError("no kernel variable %r: is build/kernel.elf loaded "
                           "(gdb build/kernel.elf, or `file build/kernel.elf`)?" % name)
    return value


def struct_type(name):
    return gdb.lookup_type("struct " + name)


def fields(value):
    """The field names of a struct value, in declaration order."""
    return [f.name for f in value.type.strip_typedefs().fields()]


def has_field(value, name):
    return name in fields(value)


def field_offset(type_, member):
    """offsetof(type_, member), from the debug information."""
    for f in type_.strip_typedefs().fields():
        if f.name == member:
            return f.bitpos // 8
    raise gdb.GdbError("%s has no field %r" % (type_, member))


def container_of(ptr, struct, member):
    """kernel/list.h's container_of: the struct `struct` whose field
    `member` is at address ptr, as a gdb.Value pointer."""
    t = struct_type(struct)
    return gdb.Value(u32(ptr) - field_offset(t, member)).cast(t.pointer())


def list_entries(lst, struct, member, problems=None):
    """The structs on a struct list (kernel/list.h), first to last, as
    pointers.  Broken links are reported in `problems` (a list) rather
    than followed forever."""
    head = u32(lst["head"].address)
    node, prev = lst["head"]["next"], head
    out = []
    while u32(node) != head:
        if u32(node) == 0:
            if problems is not None:
                problems.append("list at 0x%08x: NULL next pointer after 0x%08x" % (head, prev))
            break
        if u32(node["prev"]) != prev and problems is not None:
            problems.append("list at 0x%08x: node 0x%08x has prev 0x%08x, expected 0x%08x"
                            % (head, u32(node), u32(node["prev"]), prev))
        out.append(container_of(node, struct, member))
        if len(out) > MAX_LIST:
            if problems is not None:
                problems.append("list at 0x%08x: no way back to the head after %d nodes"
                                % (head, MAX_LIST))
            break
        prev, node = u32(node), node["next"]
    return out


def symbol_at(addr):
    """('name', offset) of the ELF symbol covering addr, or (None, 0)."""
    try:
        text = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    except gdb.error:
        return None, 0
    m = re.match(r"(\S+)(?: \+ (\d+))? in section", text)
    if not m:
        return None, 0
    return m.group(1), int(m.group(2) or 0)


def describe_code(pc, is_return=False):
    """'function (file:line)' for a code address.  For a return address the
    call instruction before it is looked up (pc - 1), as gdb's own bt does.
    Inlined functions (this is -O2 code) are shown inside their caller."""
    look = pc - 1 if is_return else pc
    names = []
    try:
        block = gdb.block_for_pc(look)
    except RuntimeError:
        block = None
    while block is not None and not (block.is_global or block.is_static):
        if block.function is not None:
            names.append(block.function.print_name)
        block = block.superblock
    if not names:
        name, off = symbol_at(look)
        if name is None:
            return "??"
        off += 1 if is_return else 0
        names = [name if off == 0 else "%s+%d" % (name, off)]
    text = names[0]
    if len(names) > 1:
        text += " [inlined in %s]" % " in ".join(names[1:])
    sal = gdb.find_pc_line(look)
    if sal.symtab is not None and sal.line:
        text += " at %s:%d" % (sal.symtab.filename, sal.line)
    return text


# ---------------------------------------------------------------------------
# Processes


def proc_table():
    """Every slot of proc_table[NPROC], as gdb.Values of struct proc."""
    table = must_variable("proc_table")
    low, high = table.type.strip_typedefs().range()
    return [table[i] for i in range(low, high + 1)]


def live_procs():
    """The slots in use (state != UNUSED)."""
    return [p for p in proc_table() if int(p["state"]) != 0]


def current_proc():
    """The struct proc that `current` points to, or None before there is one."""
    cur = variable("current")
    if cur is None or u32(cur) == 0:
        return None
    return cur.dereference()


def on_cpu(p):
    """True if the CPU's registers, not p->context, describe p: the CPU's
    stack pointer is inside p's kernel stack (which also covers a process
    stopped half-way through context_switch), or p is `current` and the
    CPU is in user mode."""
    esp = u32(gdb.newest_frame().read_register("esp"))
    lo = u32(p["kstack"])
    if lo and lo <= esp < lo + KSTACK_SIZE:
        return True
    cur = current_proc()
    in_some_kstack = any(u32(q["kstack"]) <= esp < u32(q["kstack"]) + KSTACK_SIZE
                         for q in live_procs() if u32(q["kstack"]))
    return cur is not None and u32(cur.address) == u32(p.address) and not in_some_kstack


def find_proc(pid):
    for p in live_procs():
        if int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("no process with pid %d (try `ps`)" % pid)


def pid_arg(arg, command):
    try:
        return int(arg, 0)
    except ValueError:
        raise gdb.GdbError("usage: %s PID" % command)


def proc_at(addr):
    """The struct proc at address addr, if addr is a slot of proc_table."""
    table = must_variable("proc_table")
    base, size = u32(table.address), struct_type("proc").sizeof
    count = table.type.sizeof // size
    if addr < base or addr >= base + count * size or (addr - base) % size:
        return None
    return table[(addr - base) // size]


def label(p):
    """'5 (sleep)': how every command names a process."""
    return "%d (%s)" % (int(p["pid"]), cstring(p["name"]))


def state_name(p):
    """The state as the enum in kernel/proc.h names it (gdb knows the enum)."""
    return str(p["state"])


def priority(p):
    """The scheduling priority, whichever field the kernel has for it."""
    for name in ("nice", "priority"):
        if has_field(p, name):
            return int(p[name])
    return 0


def signal_names(mask, short=False):
    """'SIGINT,SIGCHLD' for a signal bit mask (bit n = signal n), '-' if empty."""
    out = []
    for n in range(1, 32):
        if mask & (1 << n):
            name = SIGNALS.get(n, "SIG%d" % n)
            out.append(name[3:] if short else name)
    return ",".join(out) if out else "-"


def queue_name(q_ptr):
    """The name of the wait queue q_ptr points to, '?' if unreadable."""
    if u32(q_ptr) == 0:
        return "<none>"
    return cstring(q_ptr["name"])


def where_is(addr):
    """Which kernel object holds address addr: 'sleep_queue',
    'proc_table[1].child_exit (pid 1)', 'mailboxes[3].senders'."""
    for table_name, struct in (("proc_table", "proc"), ("mailboxes", "mailbox")):
        table = variable(table_name)
        if table is None:
            continue
        base, size = u32(table.address), struct_type(struct).sizeof
        if base <= addr < base + table.type.sizeof:
            index, off = divmod(addr - base, size)
            member = "+%d" % off
            for f in struct_type(struct).fields():
                if f.bitpos // 8 == off:
                    member = "." + f.name
                    break
            text = "%s[%d]%s" % (table_name, index, member)
            if struct == "proc":
                text += " (pid %d)" % int(table[index]["pid"])
            else:
                text += " (mbox %d)" % int(table[index]["id"])
            return text
    name, off = symbol_at(addr)
    if name is None:
        return "0x%08x" % addr
    return name if off == 0 else "%s+%d" % (name, off)


# ---------------------------------------------------------------------------
# Commands


class BrinchCommand(gdb.Command):
    """Base class: turns "cannot read memory" into advice instead of a traceback."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_USER)
        self.name = name

    def invoke(self, arg, from_tty):
        try:
            self.run(arg.strip())
        except gdb.MemoryError as e:
            raise gdb.GdbError(
                "%s: %s.  Early in boot, before the kernel turns paging on, its "
                "addresses (0xc0000000 and up) mean nothing yet: `break kmain`, "
                "`continue`, then try again.  Later, a kernel pointer on the way "
                "is bad." % (self.name, e))

    def run(self, arg):
        raise NotImplementedError


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


def ready_queues():
    """[(description, struct wait_queue)]: the ready queue, and the lower
    levels of the multi-level feedback queue when the kernel has them."""
    queues = [("ready_queue", must_variable("ready_queue"))]
    lower = variable("lower_queue")
    if lower is not None and lower.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
        low, high = lower.type.strip_typedefs().range()
        queues += [("lower_queue[%d]" % i, lower[i]) for i in range(low, high + 1)]
    return queues


class Runq(BrinchCommand):
    """Print the ready queue in order, head first: with round robin the
    head is the next process schedule() runs.  Every process on it should
    be READY.  Usage: runq"""

    def __init__(self):
        super().__init__("runq")

    def run(self, arg):
        problems = []
        for level, (desc, q) in enumerate(ready_queues()):
            procs = list_entries(q["waiters"], "proc", "queue_node", problems)
            if level > 0 and not procs:
                print("%s \"%s\": empty" % (desc, cstring(q["name"])))
                continue
            print("%s \"%s\" at 0x%08x: %d process%s, head first"
                  % (desc, cstring(q["name"]), u32(q.address), len(procs),
                     "" if len(procs) == 1 else "es"))
            for i, ptr in enumerate(procs, 1):
                p = ptr.dereference()
                extra = ""
                if has_field(p, "slice_used"):
                    extra += "  slice_used %d" % int(p["slice_used"])
                if state_name(p) != "READY":
                    extra += "  !! state %s: only READY processes belong here" % state_name(p)
                if proc_at(u32(ptr)) is None:
                    extra += "  !! 0x%08x is not a slot of proc_table" % u32(ptr)
                print("  %2d. pid %s  %s%s" % (i, label(p), state_name(p), extra))
        cur = current_proc()
        if cur is not None:
            print("running: %s" % label(cur))
        for text in problems:
            print("!! " + text)


def static_wait_queues():
    """[(variable name, struct wait_queue)] for every file-level wait queue
    in the kernel (console_queue, sleep_queue, ...), found with
    `info variables -t wait_queue`; arrays are expanded."""
    try:
        text = gdb.execute("info variables -q -t wait_queue", to_string=True)
    except gdb.error:
        return []
    found, filename = [], None
    for line in text.splitlines():
        m = re.match(r"File (.*):$", line)
        if m:
            filename = m.group(1)
            continue
        m = re.match(r"\d+:\s+(?:static\s+)?struct wait_queue (\w+)(\[\d+\])?;", line)
        if not m or filename is None:
            continue
        try:
            value = gdb.parse_and_eval("'%s'::%s" % (filename, m.group(1)))
        except gdb.error:
            continue
        if m.group(2):
            low, high = value.type.strip_typedefs().range()
            found += [("%s[%d]" % (m.group(1), i), value[i]) for i in range(low, high + 1)]
        else:
            found.append((m.group(1), value))
    return found


class Waitq(BrinchCommand):
    """Print every wait queue that has waiters, in queue order (found from
    each process's waiting_on), the kernel's named queues even when empty,
    and the timer list of timed waits.  Flags processes whose state and
    queue disagree.  Usage: waitq"""

    def __init__(self):
        super().__init__("waitq")

    def run(self, arg):
        problems = []
        queues = {}                     # address -> struct wait_queue value
        for p in live_procs():
            q = p["waiting_on"]
            if u32(q) != 0:
                queues.setdefault(u32(q), q.dereference())
            elif state_name(p) == "WAITING":
                problems.append("pid %s is WAITING but waiting_on is NULL" % label(p))
        ready = {u32(q.address) for _, q in ready_queues()}
        named = [(n, q) for n, q in static_wait_queues() if u32(q.address) not in ready]
        for _, q in named:
            queues.setdefault(u32(q.address), q)

        print("wait queues (name, where, waiters first to last):")
        unused = [where_is(a) for a, q in queues.items() if u32(q["waiters"]["head"]["next"]) == 0]
        queues = {a: q for a, q in queues.items() if u32(q["waiters"]["head"]["next"]) != 0}
        for addr in sorted(queues, key=lambda a: (cstring(queues[a]["name"]), a)):
            q = queues[addr]
            procs = list_entries(q["waiters"], "proc", "queue_node", problems)
            who = []
            for ptr in procs:
                p = ptr.dereference()
                note = ""
                if u32(p["waiting_on"]) != addr:
                    note = " !!waiting_on=0x%08x" % u32(p["waiting_on"])
                if state_name(p) not in ("WAITING", "NEW"):
                    note += " !!%s" % state_name(p)
                who.append("pid %s%s" % (label(p), note))
            print("  %-16s %-34s %s" % ('"%s"' % cstring(q["name"]), where_is(addr),
                                        ", ".join(who) if who else "(empty)"))
            on_list = {u32(ptr) for ptr in procs}
            for p in live_procs():
                if u32(p["waiting_on"]) == addr and u32(p.address) not in on_list:
                    problems.append("pid %s says it waits on \"%s\" but is not on its list"
                                    % (label(p), cstring(q["name"])))

        if unused:
            print("  not initialised yet (set up on first use): %s" % ", ".join(sorted(unused)))
        timers = variable("timer_list")
        if timers is not None:
            now = variable("ticks")
            now = int(now) if now is not None else 0
            entries = list_entries(timers, "proc", "timer_node", problems)
            print("timer list (timed waits, in arming order):%s"
                  % (" (empty)" if not entries else ""))
            for ptr in entries:
                p = ptr.dereference()
                due = u32(p["timeout_tick"])
                left = (due - now) & 0xFFFFFFFF
                left = left - (1 << 32) if left & 0x80000000 else left
                print("  pid %-14s due at tick %d (%+d ticks), waiting on %s"
                      % (label(p), due, left,
                         '"%s"' % queue_name(p["waiting_on"]) if u32(p["waiting_on"]) else "-"))
        for text in problems:
            print("!! " + text)


# -- pcb ---------------------------------------------------------------------

# Headings printed before the first field of each group of struct proc
# (kernel/proc.h); a field that does not exist simply gets no heading.
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
        return "0x%08x (physical 0x%08x)" % (u32(v), (u32(v) - 0xC0000000) & 0xFFFFFFFF)
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


class Mbox(BrinchCommand):
    """Print the mailboxes in use (mailboxes[] in kernel/mbox.c, ports
    included): owner, capacity, the queued messages (sender, length, first
    bytes) and the processes blocked receiving and sending.  Usage: mbox"""

    def __init__(self):
        super().__init__("mbox")

    def run(self, arg):
        table = must_variable("mailboxes")
        low, high = table.type.strip_typedefs().range()
        used = [table[i] for i in range(low, high + 1) if int(table[i]["id"]) != 0]
        print("mailboxes in use: %d of %d" % (len(used), high - low + 1))
        problems = []
        for mb in used:
            cap = int(mb["capacity"])
            cap = {0: "0 (rendezvous)", -1: "unbounded"}.get(cap, str(cap))
            owner = int(mb["owner"])
            try:
                owner = "pid " + label(find_proc(owner))
            except gdb.GdbError:
                owner = "pid %d (gone)" % owner
            name = cstring(mb["name"])
            print("mbox %d%s%s: owner %s, capacity %s, %d queued, sent %d, received %d"
                  % (int(mb["id"]), ' "%s"' % name if name else "",
                     " (port)" if int(mb["is_port"]) else "", owner, cap,
                     u32(mb["queued"]), u32(mb["sent"]), u32(mb["received"])))
            messages = list_entries(mb["messages"], "message", "node", problems)
            for i, ptr in enumerate(messages, 1):
                msg = ptr.dereference()
                length = u32(msg["length"])
                shown = read_bytes(u32(msg["data"].address), min(length, 16)) if length else b""
                hexes = " ".join("%02x" % b for b in shown)
                text = "".join(chr(b) if 32 <= b < 127 else "." for b in shown)
                flags = u32(msg["flags"])
                flag_names = ",".join(n for bit, n in MSG_FLAGS.items() if flags & bit) or "-"
                sender = int(msg["sender"])
                sender = "kernel" if sender == 0 else "pid %d" % sender
                blocked = ""
                if u32(msg["blocked_sender"]) != 0:
                    blocked = ", pid %s blocked until it is taken" % label(
                        msg["blocked_sender"].dereference())
                print("    msg %d: from %s, %d bytes, flags %s%s: %s%s |%s|"
                      % (i, sender, length, flag_names, blocked, hexes,
                         " ..." if length > 16 else "", text))
            for role in ("receivers", "senders"):
                waiters = list_entries(mb[role]["waiters"], "proc", "queue_node", problems)
                if waiters:
                    print("    %s waiting: %s" % (role, ", ".join(
                        "pid " + label(w.dereference()) for w in waiters)))
        for text in problems:
            print("!! " + text)


# -- context switches -------------------------------------------------------


def context_switch_code():
    """[(address, instruction text)] of context_switch, up to its `ret`."""
    try:
        start = u32(gdb.parse_and_eval("(unsigned int) &context_switch"))
    except gdb.error:
        raise gdb.GdbError("no context_switch in the kernel's symbols")
    arch = gdb.newest_frame().architecture()
    insns = []
    for insn in arch.disassemble(start, count=64):
        insns.append((insn["addr"], insn["asm"]))
        if insn["asm"].split()[0].startswith("ret"):
            return insns
    raise gdb.GdbError("no ret in the first 64 instructions of context_switch")


def register(name):
    return u32(gdb.newest_frame().read_register(name))


def switch_args():
    """(save, load): context_switch's arguments, wherever they are at the
    current instruction.  kernel/switch.asm loads them from the stack into
    eax (save) and edx (load) in its first two instructions and keeps them
    there.  None if the CPU is not inside context_switch."""
    insns = context_switch_code()
    pc = register("pc")
    addrs = [a for a, _ in insns]
    if pc not in addrs:
        return None
    esp = register("esp")
    index = addrs.index(pc)
    if index == 0:
        return read_u32(esp + 4), read_u32(esp + 8)
    if index == 1:
        return register("eax"), read_u32(esp + 8)
    return register("eax"), register("edx")


def describe_switch(save, load):
    """'switch: 3 (sh) -> 5 (sleep) reason: console', from the arguments.
    save is &prev->context, so prev is container_of(save, struct proc,
    context); next is the process whose saved context is load."""
    prev = proc_at(u32(container_of(gdb.Value(save), "proc", "context")))
    nxt = None
    for p in live_procs():
        if u32(p["context"]) == load and (prev is None or u32(p.address) != u32(prev.address)):
            nxt = p
    reason = variable("last_switch_reason")
    reason = cstring(reason) if reason is not None else "?"
    return "switch: %s -> %s reason: %s" % (
        label(prev) if prev is not None else "? (save=0x%08x)" % save,
        label(nxt) if nxt is not None else "? (load=0x%08x)" % load, reason)


class SwitchInfo(BrinchCommand):
    """When stopped inside context_switch (say at `break context_switch`),
    print which process is giving up the CPU, which gets it, and why
    (last_switch_reason, set by schedule()).  Usage: switch-info"""

    def __init__(self):
        super().__init__("switch-info")

    def run(self, arg):
        args = switch_args()
        if args is None:
            raise gdb.GdbError("not stopped inside context_switch (try `break context_switch`)")
        print(describe_switch(*args))


class FinishSwitch(BrinchCommand):
    """Step through the rest of context_switch, one instruction at a time,
    until its `ret` has run, and show where the new process resumes.
    (gdb's `finish` cannot do this: the function returns on a different
    stack, to a different process.)  Usage: finish-switch"""

    def __init__(self):
        super().__init__("finish-switch")

    def run(self, arg):
        args = switch_args()
        if args is None:
            raise gdb.GdbError("not stopped inside context_switch (try `break context_switch`)")
        # The new process resumes at the eip saved at the top of its
        # struct context (`load`); interrupts are off, so nothing else runs
        # on the way.  A silent temporary breakpoint there, rather than
        # stepi, keeps gdb from printing every instruction.
        _, load = args
        resume = read_u32(load + field_offset(struct_type("context"), "eip"))
        stop = gdb.Breakpoint("*0x%x" % resume, internal=True, temporary=True)
        stop.silent = True
        gdb.execute("continue", to_string=True)
        if stop.is_valid():
            stop.delete()
        pc = register("pc")
        cur = current_proc()
        print("pid %s resumes at 0x%08x in %s"
              % (label(cur) if cur is not None else "?", pc, describe_code(pc)))
        if pc != resume:
            print("!! expected to stop at 0x%08x, the eip saved in its context" % resume)


class SwitchTracer(gdb.Breakpoint):
    """A breakpoint on context_switch that prints one line per switch and
    lets the machine run on (stop() returns False), or stops after `limit`
    switches."""

    def __init__(self, limit):
        super().__init__("*context_switch", gdb.BP_BREAKPOINT, internal=False)
        self.limit = limit
        self.count = 0

    def stop(self):
        self.count += 1
        try:
            args = switch_args()
            line = describe_switch(*args) if args else "switch: (not at context_switch?)"
        except (gdb.error, gdb.MemoryError) as e:
            line = "switch: (cannot decode: %s)" % e
        print(line)
        return bool(self.limit) and self.count >= self.limit


class TraceSwitch(BrinchCommand):
    """Print `switch: PID (name) -> PID (name) reason: ...` on every context
    switch while the machine runs.
    Usage: trace-switch       trace until `trace-switch off`
           trace-switch N     stop the machine after N switches
           trace-switch off   remove the tracing breakpoint"""

    tracer = None

    def __init__(self):
        super().__init__("trace-switch")

    def run(self, arg):
        old = TraceSwitch.tracer
        if old is not None and old.is_valid():
            old.delete()
        TraceSwitch.tracer = None
        if arg == "off":
            print("trace-switch: off")
            return
        limit = 0
        if arg:
            try:
                limit = int(arg, 0)
            except ValueError:
                raise gdb.GdbError("usage: trace-switch [N|off]")
        TraceSwitch.tracer = SwitchTracer(limit)
        print("trace-switch: on (breakpoint %d on context_switch)%s; now `continue`"
              % (TraceSwitch.tracer.number,
                 ", stopping after %d switches" % limit if limit else ""))


def short_path(path):
    """path relative to the repository root, when it is inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


class UserSymbols(BrinchCommand):
    """Load the symbols of user program build/bin/NAME (linked at 0x08048000)
    so that user addresses show as functions and lines.  Every program is
    linked at the same address, so loading one replaces the previous one.
    Usage: user-symbols NAME   that program
           user-symbols        the current process's program
           user-symbols off    unload"""

    loaded = None

    def __init__(self):
        super().__init__("user-symbols")

    def run(self, arg):
        if UserSymbols.loaded is not None:
            gdb.execute("remove-symbol-file %s" % UserSymbols.loaded, to_string=True)
            print("user-symbols: unloaded %s" % short_path(UserSymbols.loaded))
            UserSymbols.loaded = None
        if arg == "off":
            return
        if not arg:
            cur = current_proc()
            if cur is None or int(cur["pid"]) == 0:
                raise gdb.GdbError("usage: user-symbols NAME (no user process is current)")
            arg = cstring(cur["name"])
        path = arg if os.sep in arg else os.path.join(USER_BIN, arg)
        if not os.path.isfile(path):
            raise gdb.GdbError("user-symbols: no %s (programs are in %s)" % (path, USER_BIN))
        gdb.execute("add-symbol-file %s" % path, to_string=True)
        UserSymbols.loaded = path
        print("user-symbols: loaded %s (linked at 0x%08x).  A user address means this "
              "program only while one of its processes is current: add "
              "`if current->pid == N` to user breakpoints." % (short_path(path), USER_BASE))


class Brinch(gdb.Command):
    """List brinch's gdb commands (tools/gdb/brinch.py); `help COMMAND` for more."""

    def __init__(self):
        super().__init__("brinch", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        print(__doc__.split("\n\n")[1])


for command in (Ps, Runq, Waitq, Pcb, BtProc, Mbox, SwitchInfo, FinishSwitch, TraceSwitch,
                UserSymbols, Brinch):
    command()
