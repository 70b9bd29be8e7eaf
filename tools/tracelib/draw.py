# tools/tracelib/draw.py: the two pictures a course uses most, drawn with
# matplotlib from tracelib.dump traces: a scheduling Gantt chart of one
# node and a space-time diagram of several (Lamport 1978, figure 1).
"""Pictures from traces (PNG, SVG or PDF by the file name).

    gantt(trace, "build/gantt.png")          who ran when; waits shaded by queue
    spacetime(traces, "build/spacetime.png")  nodes, messages, Lamport times
"""

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import dump  # noqa: E402

RUN_COLORS = plt.get_cmap("tab10").colors
QUEUE_COLORS = plt.get_cmap("Pastel2").colors
READY_COLOR = "#d9d9d9"
SUSPENDED_COLOR = "#555555"


def _window(spans, start, end):
    for s, e, state, label in spans:
        if e <= start or s >= end:
            continue
        yield max(s, start), min(e, end), state, label


def gantt(t, path, pids=None, start=None, end=None, title=None):
    """One row per process, time in ms across: running in the process's
    colour, ready in grey, waiting shaded by the queue it waits on.
    Returns the rows drawn (pid, name)."""
    timeline = dump.states(t)
    if pids is None:
        pids = sorted(p for p in timeline if p != 0) + ([0] if 0 in timeline else [])
    pids = [p for p in pids if p in timeline]
    if not pids:
        raise ValueError("nothing to draw: no process changed state in the trace")
    t0 = min(timeline[p][0][0] for p in pids) if start is None else start
    t1 = max(timeline[p][-1][1] for p in pids) if end is None else end
    queues = {}
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * len(pids)))
    for row, p in enumerate(pids):
        y = len(pids) - 1 - row
        for s, e, state, label in _window(timeline[p], t0, t1):
            x, w = (s - t0) / 1000, (e - s) / 1000
            if state == "running":
                ax.broken_barh([(x, w)], (y - 0.4, 0.8), color=RUN_COLORS[row % 10])
            elif state == "ready":
                ax.broken_barh([(x, w)], (y - 0.25, 0.5), color=READY_COLOR)
            elif state == "suspended":       # swapped out: no queue of its own
                ax.broken_barh([(x, w)], (y - 0.1, 0.2), color=SUSPENDED_COLOR)
            else:
                c = queues.setdefault(label, QUEUE_COLORS[len(queues) % len(QUEUE_COLORS)])
                ax.broken_barh([(x, w)], (y - 0.25, 0.5), color=c, hatch="//",
                               edgecolor="#888888", linewidth=0)
    ax.set_yticks(range(len(pids)))
    ax.set_yticklabels([t.title(p) for p in reversed(pids)])
    ax.set_xlim(0, (t1 - t0) / 1000)
    ax.set_xlabel("guest time (ms)")
    ax.set_title(title or "%s: %s scheduler" % (t.label, t.policy))
    legend = [Patch(color=RUN_COLORS[0], label="running (a colour each)"), Patch(color=READY_COLOR, label="ready queue")]
    if any(s[2] == "suspended" for p in pids for s in timeline[p]):
        legend.append(Patch(color=SUSPENDED_COLOR, label="suspended (swapped out)"))
    legend += [Patch(facecolor=c, hatch="//", edgecolor="#888888", label="waiting: %s" % q)
               for q, c in queues.items()]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(pids) < 4 else -0.12),
              ncol=min(len(legend), 5), fontsize="small", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return [(p, t.name(p)) for p in pids]


def spacetime(traces, path, services=None, title=None, labels=True):
    """A horizontal line per node, time across; an arrow per kernel message
    from its send to its receive, each end labelled with its Lamport time
    (the sender's at the tail, the receiver's after the receive rule at the
    head).  services: names to keep (dump.SERVICES), None for all.
    Returns the number of arrows drawn."""
    msgs = [m for m in dump.messages(traces) if services is None or m["service"] in services]
    nodes = sorted(t.node for t in traces)
    ys = {n: len(nodes) - 1 - i for i, n in enumerate(nodes)}
    times = [e.time for t in traces for e in t.events if e.type.startswith("kmsg")]
    if msgs:
        times = [m["send"].time for m in msgs] + [m["recv"].time for m in msgs]
    t0 = min(times) if times else 0
    t1 = max(times) if times else 1
    span = max(t1 - t0, 1)
    fig, ax = plt.subplots(figsize=(14, 1.5 + 1.3 * len(nodes)))
    for n, y in ys.items():
        ax.plot([0, span / 1000], [y, y], color="black", linewidth=1.2)
    for m in msgs:
        xs, xr = (m["send"].time - t0) / 1000, (m["recv"].time - t0) / 1000
        ysrc, ydst = ys[m["src"]], ys[m["dst"]]
        ax.annotate("", xy=(xr, ydst), xytext=(xs, ysrc),
                    arrowprops=dict(arrowstyle="->", color=RUN_COLORS[m["src"] % 10], lw=1))
        ax.plot([xs], [ysrc], "o", color=RUN_COLORS[m["src"] % 10], markersize=3)
        if labels:
            up = 1 if ydst > ysrc else -1
            ax.text(xs, ysrc - 0.12 * up, str(m["send_lamport"]), fontsize=7, ha="center",
                    va="top" if up > 0 else "bottom")
            ax.text(xr, ydst + 0.08 * up, str(m["recv_lamport"]), fontsize=7, ha="center",
                    va="bottom" if up > 0 else "top", color="#444444")
    # What the figure holds, counted from the figure itself.
    arrows = sum(1 for a in ax.texts if getattr(a, "arrow_patch", None) is not None)
    ax.set_yticks(list(ys.values()))
    ax.set_yticklabels(["node %d" % n for n in ys])
    ax.set_ylim(-0.6, len(nodes) - 0.4)
    ax.set_xlim(-span / 1000 * 0.02, span / 1000 * 1.02)
    ax.set_xlabel("guest time (ms, clocks aligned so that every message arrives after it left)")
    ax.set_title(title or "space-time diagram: %d messages, labelled with Lamport times" % arrows)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return arrows
