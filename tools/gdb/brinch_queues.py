# tools/gdb/brinch_queues.py: gdb commands about queues: `runq` (the ready
# queue(s)), `waitq` (every wait queue and the timer list) and `mbox`
# (mailboxes, messages, waiters).  Registered by tools/gdb/brinch.py.
"""Queue commands for gdb (see brinch.py)."""

import gdb

from brinch_core import *  # noqa: F401,F403  (the shared helpers)


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


class Mbox(BrinchCommand):
    """Print the mailboxes in use (mailboxes[] in kernel/ipc/mbox.c, ports
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
