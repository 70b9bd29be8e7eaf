# tools/gdb/brinch_switch.py: gdb commands about context switches
# (`switch-info`, `finish-switch`, `trace-switch`) and user program symbols
# (`user-symbols`).  Registered by tools/gdb/brinch.py.
"""Context-switch commands for gdb (see brinch.py)."""

import os

import gdb

from brinch_core import *  # noqa: F401,F403  (the shared helpers)


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
