# tools/tracelib/chrome.py: brinch traces as files for standard viewers:
# the Chrome trace-event JSON that Perfetto's UI (ui.perfetto.dev, or
# chrome://tracing) opens, and speedscope's own file format.
"""Viewer files from tracelib.dump traces.

Chrome trace events (the "JSON Object Format"): one process per node, one
thread per process on it; each process's states as complete ("X") slices
named running / ready / waiting: QUEUE, and each context switch as a flow
from the old process's turn to the new one's; system calls, mailbox operations,
migration steps and marks as instant ("i") events on its thread; a thread
"messages" per node with a short slice (up to 1 us) at each kernel
message's send and receive, joined by a flow ("s" at the send, "f" with
"bp": "e" at the receive, one id per message, each end inside its slice).
"""

import json

from . import dump

# Viewers (Perfetto's importer) expect thread ids unique in the whole
# trace, as Linux's are, and may treat 0 specially: node N is process
# 100000 * (N + 1), and its pid P thread 100000 * (N + 1) + P + 1.  The
# names carry brinch's own numbers.
SPAN = 100000
MESSAGES = SPAN - 1             # a node's message track: no pid is that big
SWITCH_IDS = 1 << 30            # flow ids of switches, apart from messages' 1, 2, ...


def chrome_pid(node):
    return SPAN * (max(node, 0) + 1)


def chrome_tid(node, pid):
    return chrome_pid(node) + (pid + 1 if pid < MESSAGES - 1 else MESSAGES)
INSTANT_TYPES = {"syscall", "sysret", "mbox_send", "mbox_recv", "migrate", "mark",
                 "exec", "fork", "exit"}


def _instant_name(t, e):
    if e.type in ("syscall", "sysret"):
        return "%s %d" % (e.type, e.a0)
    if e.type in ("mbox_send", "mbox_recv"):
        return "%s %d (%d bytes)" % (e.type.replace("_", " "), e.a0, e.a1)
    if e.type == "migrate":
        return "migrate: %s (node %d)" % (e.text, e.a0)
    if e.type == "fork":
        return "fork %d" % e.a0
    if e.type == "exit":
        return "exit %d" % e.a0
    return "%s %s" % (e.type, e.text)


def chrome_events(traces):
    """The traceEvents list for several nodes' traces (aligned already)."""
    out = []
    for t in traces:
        pid = chrome_pid(t.node)
        out.append({"ph": "M", "name": "process_name", "pid": pid, "tid": pid,
                    "args": {"name": "%s (%s scheduler)" % (t.label, t.policy)}})
        out.append({"ph": "M", "name": "process_sort_index", "pid": pid, "tid": pid,
                    "args": {"sort_index": max(t.node, 0)}})
        timeline = dump.states(t)
        for p in sorted(set(timeline) | {e.pid for e in t.events if e.type in INSTANT_TYPES}):
            out.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": chrome_tid(t.node, p),
                        "args": {"name": t.title(p)}})
            out.append({"ph": "M", "name": "thread_sort_index", "pid": pid,
                        "tid": chrome_tid(t.node, p),
                        "args": {"sort_index": p}})
        out.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": chrome_tid(t.node, MESSAGES),
                    "args": {"name": "messages"}})
        for p, spans in timeline.items():
            for start, end, state, label in spans:
                name = "waiting: %s" % label if state == "waiting" else state
                out.append({"ph": "X", "name": name, "cat": state, "pid": pid,
                            "tid": chrome_tid(t.node, p),
                            "ts": start, "dur": end - start,
                            "args": {"process": t.name(p), "why": label}})
        for e in t.events:
            if e.type in INSTANT_TYPES:
                out.append({"ph": "i", "s": "t", "name": _instant_name(t, e), "cat": e.type,
                            "pid": pid, "tid": chrome_tid(t.node, e.pid), "ts": e.time})
        out += _switch_flows(t, timeline, len(out))
    out += _message_events(traces)
    meta = [e for e in out if e["ph"] == "M"]
    rest = sorted((e for e in out if e["ph"] != "M"), key=lambda e: e["ts"])
    return meta + rest


def _switch_flows(t, timeline, first_id):
    """Each context switch as a flow from the end of the old process's turn
    to the start of the new one's, named by the reason, so a viewer draws
    who handed the CPU to whom.  The start sits just inside the old turn."""
    ended = {(p, e): s for p, spans in timeline.items() for s, e, st, _ in spans
             if st == "running"}
    began = {(p, s) for p, spans in timeline.items() for s, e, st, _ in spans
             if st == "running"}
    out, pid = [], chrome_pid(t.node)
    for e in t.events:
        start = ended.get((e.pid, e.time)) if e.type == "switch" else None
        if start is None or start >= e.time or (e.a0, e.time) not in began:
            continue
        fid = SWITCH_IDS + first_id + len(out)
        name = "switch: %s" % (e.text or "?")
        out.append({"ph": "s", "name": name, "cat": "switch", "id": fid, "pid": pid,
                    "tid": chrome_tid(t.node, e.pid),
                    "ts": dump.exact(e.time - min(0.5, (e.time - start) / 2))})
        out.append({"ph": "f", "bp": "e", "name": name, "cat": "switch", "id": fid, "pid": pid,
                    "tid": chrome_tid(t.node, e.a0), "ts": e.time})
    return out


def _message_events(traces):
    """Each kernel message as a short slice on its sender's and its
    receiver's "messages" track, joined by a flow; the flow's ends sit
    inside their slices, which viewers bind them to."""
    msgs = dump.messages(traces)
    ends = sorted((e.node, e.time) for m in msgs for e in (m["send"], m["recv"]))
    room = {}                   # (node, time) -> the slice's length
    for (n, t), nxt in zip(ends, ends[1:] + [(None, None)]):
        room[(n, t)] = dump.exact(min(1.0, (nxt[1] - t) * 0.9) if nxt[0] == n else 1.0)
    out = []
    for n, m in enumerate(msgs):
        label = "%s L=%d" % (m["service"], m["send_lamport"])
        for e, ph, lam in ((m["send"], "s", m["send_lamport"]), (m["recv"], "f", m["recv_lamport"])):
            pid, tid, dur = chrome_pid(e.node), chrome_tid(e.node, MESSAGES), room[(e.node, e.time)]
            out.append({"ph": "X", "name": "%s %s" % ("send" if ph == "s" else "receive", label),
                        "cat": "kmsg", "pid": pid, "tid": tid, "ts": e.time, "dur": dur,
                        "args": {"from": m["src"], "to": m["dst"], "lamport": lam,
                                 "process": e.pid}})
            flow = {"ph": ph, "name": label, "cat": "kmsg", "id": n + 1, "pid": pid,
                    "tid": tid, "ts": dump.exact(e.time + dur / 2)}
            if ph == "f":
                flow["bp"] = "e"
            out.append(flow)
    return out


def chrome_json(traces):
    return {"traceEvents": chrome_events(traces), "displayTimeUnit": "ms",
            "otherData": {"source": "brinch kernel trace (docs/tracing.md)",
                          "lost_events": {str(t.node): t.lost for t in traces}}}


def speedscope(traces):
    """speedscope's file format: one evented profile per process per node,
    its frames the process's states (running, ready, waiting: QUEUE)."""
    frames, index, profiles = [], {}, []

    def frame(name):
        if name not in index:
            index[name] = len(frames)
            frames.append({"name": name})
        return index[name]

    def profile(name, spans, framing):
        events = []
        for start, end, state, label in spans:
            f = frame(framing(state, label))
            events.append({"type": "O", "frame": f, "at": start})
            events.append({"type": "C", "frame": f, "at": end})
        profiles.append({"type": "evented", "name": name, "unit": "microseconds",
                         "startValue": spans[0][0], "endValue": spans[-1][1], "events": events})

    def state_frame(state, label):
        return "waiting: %s" % label if state == "waiting" else state

    for t in traces:
        timeline = dump.states(t)
        # The CPU first: who ran when, one block per turn on it.
        turns = sorted((s, e, t.title(p), "")
                       for p, spans in timeline.items() for s, e, state, _ in spans
                       if state == "running")
        if turns:
            profile("%s: CPU" % t.label, turns, lambda name, _: name)
        for p in sorted(timeline, key=lambda p: (p == 0, p)):
            if timeline[p]:
                profile("%s: %s" % (t.label, t.title(p)), timeline[p], state_frame)
    return {"$schema": "https://www.speedscope.app/file-format-schema.json",
            "shared": {"frames": frames}, "profiles": profiles,
            "name": "brinch trace", "activeProfileIndex": 0, "exporter": "brinch tools/trace"}


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
