# conftest.py: pytest fixtures for brinch's integration tests, which boot the
# real kernel under QEMU (tools/brinchvm.py) and talk to its shell over serial.
# Used by `make integration` (part of `make test`).

import os
import re
import shutil
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import Console, Node  # noqa: E402

LOG_DIR = os.path.join(ROOT, "build", "test-logs")
TAIL = 3000                             # characters of serial log added to a failure report

NODES = pytest.StashKey()               # item.stash[NODES]: the consoles a test started


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
