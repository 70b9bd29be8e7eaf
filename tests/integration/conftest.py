# conftest.py: pytest fixtures for brinch's integration tests, which boot the
# real kernel under QEMU (tools/brinchvm.py) and talk to its shell over serial.
# Used by `make integration` (part of `make test`).

import os
import re
import shutil
import sys
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import Console, Node, scale  # noqa: E402

LOG_DIR = os.path.join(ROOT, "build", "test-logs")
TAIL = 3000                             # characters of serial log added to a failure report

NODES = pytest.StashKey()               # item.stash[NODES]: the consoles a test started
FREE_RE = re.compile(r"frames: \d+ total, (\d+) free.*\nheap: (\d+) bytes", re.S)
# What a shared node's check reads: heap, frames in use outside processes
# (kernel/sys_proc.c's meminfo), and free's own pid (pids only grow).
KERNEL_RE = re.compile(r"\nheap: (\d+) bytes.*\nkernel: (\d+) frames in use outside.*"
                       r"\npid: (\d+)", re.S)
LEAK_GRACE = float(os.environ.get("BRINCH_LEAK_GRACE", "3"))   # s for exits, timers to settle
FREE_TIMEOUT = 10                       # s for each command of a `free` reading


def log_name(item, n):
    """build/test-logs/<test name>.log, then <test name>-2.log, ... for more nodes."""
    base = re.sub(r"[^A-Za-z0-9_.=-]+", "-", item.name).strip("-")   # test_crash[gp] -> test_crash-gp
    return os.path.join(LOG_DIR, base + (".log" if n == 1 else "-%d.log" % n))


def booted_cluster(request, n, tag, ready=None, **kwargs):
    """For a fixture to `yield from`: a booted brinchnet.Cluster of n
    nodes, stopped afterwards, its logs and pcaps kept in
    build/test-logs/<tag> when a test failed, else removed.  ready(c),
    if given, runs once all are booted (wait for daemons, resolve ARP).
    A lossy cluster (loss=N) is skipped where vde2's wirefilter is missing."""
    from brinchnet import Cluster, default_workdir, need
    if kwargs.get("loss") and need("wirefilter"):
        pytest.skip("wirefilter (vde2) not installed")
    failed_before = request.session.testsfailed
    c = Cluster(n, default_workdir(tag), name=tag, **kwargs)
    c.start()
    try:
        c.boot()
        request.node.stash.setdefault(NODES, []).extend(c.nodes.values())
        if ready:
            ready(c)
        # A test's own nodes are checked against their boot; a cluster
        # shared by a module's tests, test by test (shared_leaks below).
        c.leak_shared = request.scope != "function"
        if not c.leak_shared:
            for node in c.nodes.values():
                note_baseline(node)
        yield c
    finally:
        c.stop()
        if request.session.testsfailed != failed_before:
            c.collect(os.path.join(LOG_DIR, tag))
        else:
            shutil.rmtree(c.workdir, ignore_errors=True)


def resolved(c):
    """A ready step for a lossy cluster's fixture: nodes 0 and 1 have each
    other's address, so what a test measures is its subject, not ARP's
    hold-down."""
    from brinchnet import resolve_through_loss
    if not resolve_through_loss(c[0], c[1]):
        pytest.fail("no ping reply in 20 attempts through the lossy link")


def read_free(node, pattern):
    """pattern's match in `free`'s output, or None if the shell did not
    answer with it; then node.memory_trouble holds what the console
    showed, for the failure report.  Each try first syncs to a fresh
    prompt (brinchvm's sync()): output or a prompt a test left behind
    would otherwise be taken for free's own."""
    tries = []
    for attempt in range(2):
        why = "its output lacked the figures"
        try:
            node.sync(timeout=FREE_TIMEOUT)
            m = pattern.search(node.run("free", timeout=FREE_TIMEOUT))
        except AssertionError as e:
            m, why = None, str(e).split("\n", 1)[0]
        if m:
            return m
        tries.append("try %d: %s" % (attempt + 1, why))
    node.memory_trouble = "%s\n--- the console's last %d characters ---\n%s" % (
        "\n".join(tries), TAIL // 2, node.text[-TAIL // 2:])
    return None


def memory(node):
    """(free frames, kernel heap bytes) from `free`, or None."""
    m = read_free(node, FREE_RE)
    return (int(m.group(1)), int(m.group(2))) if m else None


def kernel_memory(node):
    """((frames in use outside processes, kernel heap bytes), free's pid)
    from `free`, or None: a measure that processes growing, shrinking,
    starting and ending do not move, only the kernel's own state."""
    m = read_free(node, KERNEL_RE)
    return ((int(m.group(2)), int(m.group(1))), int(m.group(3))) if m else None


def note_baseline(node):
    """Memory of a node just booted (and readied): what it must have
    again when its test ends (the leak check below)."""
    node.leak_baseline = memory(node)


def poll(read, good, grace):
    """read() until good() says yes of what it gave, or until grace
    seconds (scaled) have passed for exits, reaping and timers; the last
    reading either way."""
    deadline = time.monotonic() + grace * scale()
    now = read()
    while not good(now) and time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
    return now


def leaks(item):
    """Nodes whose free frames or kernel heap are not back at their
    baseline, after LEAK_GRACE seconds for exits, reaping and timers."""
    found = []
    for node in item.stash.get(NODES, []):
        base = getattr(node, "leak_baseline", None)
        if base is None or not node.alive:
            continue                        # not booted by a fixture, or halted
        now = poll(lambda: memory(node), lambda m: m == base, LEAK_GRACE)
        if now != base:
            found.append("%s: free frames, heap bytes %s after boot, %s after the test"
                         % (node.name, base, now))
            if now is None:
                found.append(unreadable(node))
    return found


def unreadable(node):
    return ("%s: `free` could not be read; the console said:\n%s"
            % (node.name, getattr(node, "memory_trouble", "")))


def shared_nodes(item):
    """The running nodes of the module-scoped fixtures (a cluster from
    booted_cluster, module_node, a node marked leak_shared, alone or in
    a tuple) that this test uses."""
    found = []
    for name in item.fixturenames:
        v = item.funcargs.get(name)
        for part in (v if isinstance(v, tuple) else (v,)):
            if not getattr(part, "leak_shared", False):
                continue
            for node in (part.nodes.values() if hasattr(part, "nodes") else [part]):
                if node.alive and node not in found:
                    found.append(node)
    return found


def note_marks(nodes, fresh=False):
    """Each shared node's kernel_memory() at the start of a test: the
    reading that ended the check of the test before, if that passed
    (nothing has run since but this test's fixtures), else a new one."""
    for node in nodes:
        if fresh or getattr(node, "leak_mark", None) is None:
            node.leak_mark = kernel_memory(node)


def settled(node, base, grace):
    """kernel_memory() once it is no higher than base's measure, or
    after grace seconds for exits, reaping and timers."""
    return poll(lambda: kernel_memory(node),
                lambda m: m is not None and not above(m[0], base[0]), grace)


def above(now, base):
    return now[0] > base[0] or now[1] > base[1]


def started_since(node, pid):
    """Pids of the processes started after pid that still run (not ps:
    its rows are PID PPID STATE PRI TICKS MEM PEND BLOCK NAME [WAIT])."""
    rows = [line.split() for line in node.run("ps").splitlines()]
    return [int(r[0]) for r in rows
            if len(r) >= 9 and r[0].isdigit() and int(r[0]) > pid and r[8] != "ps"]


def shared_leaks(nodes):
    """Shared nodes whose kernel holds more than at the test's start:
    frames in use outside processes or kernel heap bytes (a process's
    own memory, however it grew, is not counted).  If it still does
    after a third of LEAK_GRACE, the processes the test started and left
    running (servers, which may hold connections, queued messages) are
    killed, on every node first (a connection on one node may wait for
    a server on another), and then each node must be back within
    LEAK_GRACE seconds."""
    marks = {}
    for node in nodes:
        base = getattr(node, "leak_mark", None)
        node.leak_mark = None
        if base is not None and node.alive:
            marks[node] = base
    # A server the test talked to may still be closing: a third of the
    # grace first.
    now = {node: settled(node, base, LEAK_GRACE / 3) for node, base in marks.items()}
    high = [node for node, base in marks.items()
            if now[node] is not None and above(now[node][0], base[0])]
    for node in high:
        left = started_since(node, marks[node][1])
        if left:
            node.run("kill -9 %s" % " ".join(map(str, left)))
    for node in high:
        now[node] = settled(node, marks[node], LEAK_GRACE)
    found = []
    for node, base in marks.items():
        if now[node] is None:
            found.append(unreadable(node))
        elif above(now[node][0], base[0]):
            found.append("%s: frames in use outside processes, kernel heap bytes %s at "
                         "the start, %s after the test" % (node.name, base[0], now[node][0]))
        else:
            node.leak_mark = now[node]      # the next test's start
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """After every test that passed: each node it booted must have its
    boot-time free frames and kernel heap again, exactly, and each node
    of a module's shared cluster or module_node it uses must hold no
    more kernel memory than when the test began (docs/testing.md, "Leak
    check").  A test that means to leave something running says so
    with @pytest.mark.leaves_state("why")."""
    shared = shared_nodes(item)
    note_marks(shared)
    outcome = yield
    if outcome.excinfo is not None or item.get_closest_marker("leaves_state"):
        for node in shared:
            node.leak_mark = None           # the next test measures afresh
        return
    found = leaks(item) + shared_leaks(shared)
    if found:
        pytest.fail("memory not back at its baseline (a leak, or state the test "
                    "left: mark it leaves_state with the reason):\n  " + "\n  ".join(found))


def pytest_configure(config):
    config.addinivalue_line("markers", "leaves_state(reason): the test leaves processes or "
                            "kernel state behind on purpose; no leak check after it")


@pytest.fixture
def make_node(request):
    """A factory: make_node(cmdline=..., boot=True, **Node arguments) starts a
    node, boots it to the first prompt unless boot=False, and stops it when
    the test ends.  make_node(console=[argv...], env=...) starts any program
    instead (e.g. `make -s run`) as a brinchvm.Console."""
    started = request.node.stash.setdefault(NODES, [])

    def factory(boot=True, console=None, env=None, **kwargs):
        log = log_name(request.node, len(started) + 1)
        if console is not None:
            c = Console(console, log_path=log, name=request.node.name, env=env)
        else:
            c = Node(log_path=log, name=request.node.name, **kwargs)
        started.append(c)
        c.start()
        if boot and console is None:
            c.wait_boot()
            note_baseline(c)
        return c

    yield factory
    for c in started:
        c.stop()


@pytest.fixture
def node(make_node):
    """A freshly booted node, at its first shell prompt."""
    return make_node()


@pytest.fixture(scope="module")
def module_node(request):
    """One node booted once for a whole test file, for tests that leave
    nothing behind; its log is build/test-logs/<file>.log.  A module's
    MODULE_NODE_ARGS (a dict) are more arguments for its Node."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    node = Node(log_path=os.path.join(LOG_DIR, name + ".log"), name=name,
                **getattr(request.module, "MODULE_NODE_ARGS", {}))
    node.leak_shared = True                 # checked test by test: shared_leaks
    node.start()
    try:
        node.wait_boot()
        yield node
    finally:
        node.stop()


@pytest.fixture
def guest(module_node, request):
    """The file's shared node, registered so that a failure shows its log."""
    request.node.stash.setdefault(NODES, []).append(module_node)
    return module_node


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add the tail of each node's serial log to the report."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for c in item.stash.get(NODES, []):
        report.sections.append(("serial log tail: %s" % c.log_path, c.log_tail(TAIL)))


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    """Say loudly, last, how many tests did not run and why: a skip (no
    root for network namespaces, a host tool missing) is easy to miss in
    a long run, and a skipped test proves nothing."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = {}
    for rep in skipped:
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        reasons.setdefault(reason.replace("Skipped: ", ""), []).append(rep.nodeid)
    terminalreporter.section("%d TESTS SKIPPED: they did not run" % len(skipped), sep="!",
                             bold=True, yellow=True)
    for reason, ids in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
        terminalreporter.write_line("%4d skipped: %s" % (len(ids), reason), yellow=True)
        for nodeid in ids[:3]:
            terminalreporter.write_line("        %s" % nodeid)
        if len(ids) > 3:
            terminalreporter.write_line("        ... and %d more" % (len(ids) - 3))
