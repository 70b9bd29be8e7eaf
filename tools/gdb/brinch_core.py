# tools/gdb/brinch_core.py: what every brinch gdb command needs: constants
# read from the headers, memory and type helpers, the process table, and the
# command base class.  Imported by the other tools/gdb/brinch_*.py modules.
"""Shared helpers for brinch's gdb commands (see brinch.py)."""


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
