# conftest.py: pytest fixtures for the labs' graders (tests/labs/test_lab_*.py),
# which boot the kernel of the tree they sit in under QEMU (tools/brinchvm.py).
# Run by `make grade LAB=name` through tools/grade.py, and by test_labs_ci.py.

import os
import re
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import Node  # noqa: E402

LOG_DIR = os.path.join(ROOT, "build", "test-logs", "labs")
TAIL = 3000                             # characters of serial log added to a failure report

NODES = pytest.StashKey()               # item.stash[NODES]: the nodes a test started


def pytest_configure(config):
    # A lab test's worth in the grade: @pytest.mark.points(25).
    config.addinivalue_line("markers", "points(n): points this test is worth in its lab's grade")


def log_name(item, n):
    """build/test-logs/labs/<test name>.log, then -2.log ... for more nodes."""
    base = re.sub(r"[^A-Za-z0-9_.=-]+", "-", item.name).strip("-")
    return os.path.join(LOG_DIR, base + (".log" if n == 1 else "-%d.log" % n))


def start_node(item, boot=True, **kwargs):
    """Start (and unless boot=False, boot to the first prompt) a Node whose
    log is named after `item`; the caller stops it."""
    started = item.stash.setdefault(NODES, [])
    node = Node(log_path=log_name(item, len(started) + 1), name=item.name, **kwargs)
    started.append(node)
    node.start()
    if boot:
        node.wait_boot()
    return node


@pytest.fixture
def make_node(request):
    """make_node(cmdline=..., boot=True, **Node arguments): a booted node,
    stopped when the test ends."""
    started = []

    def factory(**kwargs):
        node = start_node(request.node, **kwargs)
        started.append(node)
        return node

    yield factory
    for node in started:
        node.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add the tail of each node's serial log to the report."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for c in item.stash.get(NODES, []):
        report.sections.append(("serial log tail: %s" % c.log_path, c.log_tail(TAIL)))

