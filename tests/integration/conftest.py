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
LEAK_GRACE = float(os.environ.get("BRINCH_LEAK_GRACE", "3"))   # s for exits, timers to settle


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
        # A cluster shared by a module's tests hands servers from one
        # test to the next: only a test's own nodes are leak-checked.
        if request.scope == "function":
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


def memory(node):
    """(free frames, kernel heap bytes) from `free`, or None if the shell
    did not answer with them."""
    for attempt in range(2):
        try:
            if attempt:
                node.sync(timeout=10)       # a prompt left over from the test
            m = FREE_RE.search(node.run("free", timeout=10))
        except AssertionError:
            m = None
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def note_baseline(node):
    """Memory of a node just booted (and readied): what it must have
    again when its test ends (the leak check below)."""
    node.leak_baseline = memory(node)


def leaks(item):
    """Nodes whose free frames or kernel heap are not back at their
    baseline, after LEAK_GRACE seconds for exits, reaping and timers."""
    found = []
    for node in item.stash.get(NODES, []):
        base = getattr(node, "leak_baseline", None)
        if base is None or not node.alive:
            continue                        # not booted by a fixture, or halted
        deadline = time.monotonic() + LEAK_GRACE * scale()
        now = memory(node)
        while now != base and time.monotonic() < deadline:
            time.sleep(0.2)
            now = memory(node)
        if now != base:
            found.append("%s: free frames, heap bytes %s after boot, %s after the test"
                         % (node.name, base, now))
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """After every test that passed: each node it booted must have its
    boot-time free frames and kernel heap again, exactly (docs/testing.md,
    "Leak check").  A test that means to leave something running says so
    with @pytest.mark.leaves_state("why")."""
    outcome = yield
    if outcome.excinfo is not None or item.get_closest_marker("leaves_state"):
        return
    found = leaks(item)
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
