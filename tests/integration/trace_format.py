# trace_format.py: checks a Chrome trace-event file against the format
# (the "JSON Object Format" of the Trace Event Format document) without
# tools/tracelib's help, for tests/integration/test_trace.py and
# tests/tools/test_trace_tool.py.  check(obj) returns a list of problems.

PHASES = set("BEXiIMCbenstfPOND") | {"(", ")"}


def check(obj):
    problems = []
    if not isinstance(obj, dict) or not isinstance(obj.get("traceEvents"), list):
        return ["not a JSON object with a traceEvents list"]
    last_ts, slices, flows = {}, {}, {}
    for i, e in enumerate(obj["traceEvents"]):
        where = "event %d %r" % (i, e)[:160]
        if not isinstance(e, dict) or e.get("ph") not in PHASES:
            problems.append("%s: no known ph" % where)
            continue
        if not isinstance(e.get("pid"), int) or not isinstance(e.get("tid", 0), int):
            problems.append("%s: pid/tid not integers" % where)
            continue
        if e["ph"] == "M":
            if e.get("name") not in ("process_name", "thread_name", "process_sort_index",
                                     "thread_sort_index", "process_labels"):
                problems.append("%s: unknown metadata" % where)
            continue
        ts = e.get("ts")
        if not isinstance(ts, (int, float)) or ts < 0 or not isinstance(e.get("name"), str):
            problems.append("%s: needs a name and a ts >= 0" % where)
            continue
        track = (e["pid"], e["tid"])
        if ts < last_ts.get(track, 0):
            problems.append("%s: ts goes back on track %r" % (where, track))
        last_ts[track] = ts
        if e["ph"] == "X":
            if not isinstance(e.get("dur"), (int, float)) or e["dur"] < 0:
                problems.append("%s: X without dur >= 0" % where)
            else:
                slices.setdefault(track, []).append((ts, ts + e["dur"]))
        elif e["ph"] == "i" and e.get("s", "t") not in ("g", "p", "t"):
            problems.append("%s: instant scope not g, p or t" % where)
        elif e["ph"] in "stf":
            if "id" not in e:
                problems.append("%s: flow without id" % where)
                continue
            if e["ph"] == "f" and e.get("bp", "e") != "e":
                problems.append("%s: bp other than e" % where)
            flows.setdefault((e.get("cat"), e["name"], e["id"]), []).append((e["ph"], ts, track))
    for track, spans in slices.items():
        stack = []
        for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
            while stack and start >= stack[-1][1]:
                stack.pop()
            if stack and end > stack[-1][1]:           # exactly: as a viewer adds
                problems.append("slices overlap without nesting on %r: %r and %r"
                                % (track, stack[-1], (start, end)))
            stack.append((start, end))
    for key, ends in flows.items():
        phases = sorted(p for p, _, _ in ends)
        if phases.count("s") != 1 or phases.count("f") != 1:
            problems.append("flow %r: ends %r, wants one s and one f" % (key, phases))
            continue
        (_, ts_f, tr_f), (_, ts_s, tr_s) = sorted(ends)
        if ts_f < ts_s:
            problems.append("flow %r ends before it starts" % (key,))
        for ts, tr in ((ts_s, tr_s), (ts_f, tr_f)):
            if not any(a <= ts <= b for a, b in slices.get(tr, [])):
                problems.append("flow %r: no slice on %r encloses %r to bind to" % (key, tr, ts))
    return problems
