# tools/gdb/brinch.py: gdb commands that print brinch's processes, queues,
# mailboxes, migrations and context switches.  Loaded by tools/gdb/gdbinit
# for `make gdb`, `make gdb-attach` and tests/integration/test_gdb.py; see
# docs/gdb.md.
"""brinch commands for gdb.

    ps                 the process table
    runq               the ready queue(s), head first
    waitq              every wait queue with its waiters, the timer list
    pcb PID            one PCB, every field decoded
    bt-proc PID        kernel backtrace of a process that is not running
    mbox               mailboxes, their messages and waiters
    migrations (mig)   migrations leaving and arriving, forwarding records, deputies
    switch-info        from/to/reason, when stopped inside context_switch
    finish-switch      step to the end of context_switch (`finish` cannot)
    trace-switch [N|off]  print every context switch (stop after N)
    user-symbols [NAME|off]  symbols of user program build/bin/NAME
    trace-dump FILE    the kernel event trace ring to FILE (docs/tracing.md)

Everything is read from the kernel's memory through gdb's view of the
debug information: field offsets come from gdb.Type, so the commands keep
working when fields are added to struct proc.  Nothing here writes to the
machine.
"""

import os
import sys

import gdb

# The commands live in modules beside this file (one topic each).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brinch_procs import Ps, Pcb, BtProc  # noqa: E402
from brinch_queues import Runq, Waitq, Mbox  # noqa: E402
from brinch_switch import SwitchInfo, FinishSwitch, TraceSwitch, UserSymbols  # noqa: E402
from brinch_migrate import Migrations  # noqa: E402
from brinch_trace import TraceDump  # noqa: E402


class Brinch(gdb.Command):
    """List brinch's gdb commands (tools/gdb/brinch.py); `help COMMAND` for more."""

    def __init__(self):
        super().__init__("brinch", gdb.COMMAND_USER)

    # This file's docstring, read while the file loads: gdb runs every
    # sourced script in one namespace, so when the command runs, __doc__ is
    # the last script's (lab_gdb.py's); here in the class body a plain
    # __doc__ would be the class's own.
    commands = globals()["__doc__"].split("\n\n")[1]

    def invoke(self, arg, from_tty):
        print(self.commands)


for command in (Ps, Runq, Waitq, Pcb, BtProc, Mbox, Migrations, SwitchInfo, FinishSwitch,
                TraceSwitch, UserSymbols, TraceDump, Brinch):
    command()
Migrations("mig")                       # the short name
