# labutil.py: small helpers shared by the labs' graders (tests/labs/):
# finding result lines in a program's output and reading numbers from the
# kernel's headers, so the tests follow the source instead of copying it.

import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def line_with(text, prefix):
    """The first line of text that starts with prefix, without the prefix.
    Fails (AssertionError, showing the whole output) if there is none:
    a program that died early prints no result line."""
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    raise AssertionError("no line starting %r in the output:\n%s" % (prefix, text))


def number(pattern, text):
    """The integer group 1 of regular expression pattern in text."""
    m = re.search(pattern, text)
    assert m, "%r not found in:\n%s" % (pattern, text)
    return int(m.group(1))


def header_define(relpath, name):
    """The value of `#define NAME NUMBER` in a header of the tree."""
    with open(os.path.join(ROOT, relpath)) as f:
        m = re.search(r"^#define\s+%s\s+(\d+)" % re.escape(name), f.read(), re.M)
    assert m, "%s not defined in %s" % (name, relpath)
    return int(m.group(1))


def unit_test_fails(unit, build_dir):
    """Build tests/unit's `unit` (a path in the tree) on the host with the
    sources its `// uses:` line names, as `make unit` does, and run it.
    None if it passes, else what went wrong (the compiler's words, or the
    test's failing checks, shortened)."""
    import subprocess
    with open(os.path.join(ROOT, unit)) as f:
        uses = re.findall(r"^// *uses: *(.*)$", f.read(), re.M)
    os.makedirs(build_dir, exist_ok=True)
    out = os.path.join(build_dir, os.path.basename(unit)[:-2])
    argv = [os.environ.get("HOSTCC", "gcc"), "-std=gnu11", "-O1", "-g", "-Wall",
            "-Iinclude", "-I.", "-Ikernel", "-DHOST_TEST", "-o", out, unit]
    argv += " ".join(uses).split()
    run = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=120)
    if run.returncode != 0:
        return "%s does not build:\n%s\n%s" % (unit, " ".join(argv), run.stdout)
    run = subprocess.run([out], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=30)
    if run.returncode == 0:
        return None
    lines = run.stdout.splitlines()
    shown = lines[:15] + (["... (%d more lines)" % (len(lines) - 16), lines[-1]]
                          if len(lines) > 16 else lines[15:])
    return "%s fails (the line numbers are in that file):\n%s" % (unit, "\n".join(shown))


def lab_cluster(request, n, tag, ready=None):
    """For a module fixture to `yield from`: n nodes on one vde_switch
    (tools/brinchnet.py), booted, ready(c) run once if given; stopped
    afterwards, their serial logs copied to build/test-logs/labs/TAG-nodeN.log."""
    import shutil
    import sys
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from brinchnet import Cluster, default_workdir, need
    from conftest import LOG_DIR
    missing = need("vde_switch")
    assert not missing, "vde_switch is not installed (Debian package vde2; `make deps`)"
    c = Cluster(n, default_workdir(tag), name=tag)
    c.start()
    try:
        c.boot(timeout=60)
        if ready:
            ready(c)
        yield c
    finally:
        c.stop()
        os.makedirs(LOG_DIR, exist_ok=True)
        for i, node in c.nodes.items():
            if os.path.exists(node.log_path):
                shutil.copy(node.log_path, os.path.join(LOG_DIR, "%s-node%d.log" % (tag, i)))
        shutil.rmtree(c.workdir, ignore_errors=True)


def await_prompts(c, nodes, seconds):
    """Wait, all within `seconds`, for the prompt on each of c's `nodes`
    (after programs typed there); interrupt (Ctrl-C) those still running
    then, so the next test finds a shell.  The nodes that were stuck."""
    import time
    from brinchvm import scale
    deadline = time.monotonic() + seconds * scale()
    stuck = []
    for k in nodes:
        try:
            c[k].wait_prompt(max(1.0, deadline - time.monotonic()) / scale())
        except AssertionError:
            stuck.append(k)
    for k in stuck:
        c[k].send_raw("\x03")
    for k in nodes:
        c[k].sync(30)
    return stuck
