# tools/gdb/lab_gdb.py: the gdb lab (docs/labs/gdb.md), a gdb command that
# reads the kernel's ready queue: `next-to-run` names the process that will
# get the CPU next under round robin, and where in the kernel it resumes.
# Load it with `source tools/gdb/lab_gdb.py`.  In the reference tree the code
# between the LAB markers is the solution; labs/gdb.stubs, a student's start.
"""The gdb lab's command.

    next-to-run     the process at the head of the ready queue: its pid,
                    its name, and the eip saved in its struct context (the
                    instruction context_switch's `ret` will jump to)

Output, one line:

    next-to-run: pid 5 (spin) resumes at 0xc0102a3f <schedule+175>
    next-to-run: the ready queue is empty (idle runs next)
"""

import gdb


# LAB gdb: BEGIN helpers
def symbolize(addr):
    """'function+offset' for a code address, as gdb's `x/i` shows it
    (just 'function' at offset 0), from gdb's `info symbol`."""
    try:
        text = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    except gdb.error:
        return "??"
    # "schedule + 175 in section .text", or "fork_return in section .text".
    words = text.split(" in section")[0].split()
    if len(words) == 3 and words[1] == "+":
        return "%s+%s" % (words[0], words[2])
    return words[0] if words and words[0] != "No" else "??"


def head_of_ready_queue():
    """The struct proc at the head of `ready_queue` (a gdb.Value), or None.

    The queue is a struct list: a sentinel node `head` whose `next` is the
    first struct list_node, which lives inside a struct proc as its
    `queue_node` field.  container_of() in kernel/list.h goes back from
    the node to the proc by subtracting the field's offset; we do the
    same with the offset gdb knows from the debug information."""
    queue = gdb.parse_and_eval("ready_queue")
    head = queue["waiters"]["head"]
    first = head["next"]
    if int(first) == int(head.address):          # the sentinel: empty
        return None
    proc_type = gdb.lookup_type("struct proc")
    offset = next(f.bitpos // 8 for f in proc_type.fields() if f.name == "queue_node")
    return gdb.Value(int(first) - offset).cast(proc_type.pointer()).dereference()
# LAB gdb: END helpers


class NextToRun(gdb.Command):
    """Print the process at the head of the ready queue (with round robin,
    the next one schedule() switches to), and the kernel address it will
    resume at: the eip saved in its struct context.
    Usage: next-to-run"""

    def __init__(self):
        super().__init__("next-to-run", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        # LAB gdb: BEGIN command
        p = head_of_ready_queue()
        if p is None:
            print("next-to-run: the ready queue is empty (idle runs next)")
            return
        # A process on the ready queue is not running, so its saved
        # context is up to date: context_switch pushed it last time.
        eip = int(p["context"]["eip"]) & 0xFFFFFFFF
        print("next-to-run: pid %d (%s) resumes at 0x%08x <%s>"
              % (int(p["pid"]), p["name"].string(), eip, symbolize(eip)))
        # LAB gdb: END command


NextToRun()
