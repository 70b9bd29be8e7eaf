# test_trace_viewer.py: a real viewer opens what tools/trace makes.  A traced
# `schedtest` becomes a speedscope file, which the speedscope npm package
# (offline, its own index.html) shows in headless Chromium; the page must
# list a profile per process and the CPU's, and its screenshot must show
# the CPU track's blocks in several colours (one per process).  speedscope
# also imports Chrome trace-event JSON: it must find tools/trace's threads.
# About 6 s.
# Part of `make integration`; `make test` installs chromium and speedscope
# (tools/ensure-deps.sh), and `make test-trace` runs the trace tests alone.

import base64
import os
import re
import shutil
import subprocess
import sys

import pytest

from brinchvm import Node, ROOT
from conftest import LOG_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SPEEDSCOPE = shutil.which("speedscope")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and SPEEDSCOPE),
    reason="needs chromium (Debian package) and speedscope (npm install -g speedscope); "
           "make test installs both")


def speedscope_page():
    """speedscope's own page, beside its command (npm's global install)."""
    real = os.path.realpath(SPEEDSCOPE)
    page = os.path.join(os.path.dirname(os.path.dirname(real)), "dist", "release", "index.html")
    assert os.path.exists(page), page
    return page


def chromium(url, tmp_path, *args):
    argv = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--user-data-dir=%s" % (tmp_path / "profile"),
            "--window-size=1200,700", "--virtual-time-budget=5000"] + list(args) + [url]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def page_for(tmp_path, kind, port):
    """tools/trace's `kind` file of the dump, and the speedscope URL that
    opens it, as `speedscope FILE` does: a script that hands it to the page."""
    # speedscope picks an importer by name first: NAME.chrome.json would be
    # taken for Chrome's own timeline format, so the Chrome file is trace.json.
    profile = tmp_path / ("trace.json" if kind == "chrome" else "trace.%s.json" % kind)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace"), kind,
                    str(profile), port], check=True)
    loader = tmp_path / ("load-%s.js" % kind)
    loader.write_text("speedscope.loadFileFromBase64(%r, %r)" % (
        profile.name, base64.b64encode(profile.read_bytes()).decode()))
    return "file://%s#localProfilePath=%s" % (speedscope_page(), loader)


@pytest.fixture(scope="module")
def traced_schedtest(tmp_path_factory):
    """One boot for the file: a traced schedtest's dump."""
    port = str(tmp_path_factory.mktemp("viewer") / "node.trace")
    node = Node(extra_args=["-serial", "file:" + port], name="test_trace_viewer",
                log_path=os.path.join(LOG_DIR, "test_trace_viewer.log"))
    node.start()
    try:
        node.wait_boot()
        node.run("trace on sched proc")
        node.run("schedtest -j 2000000", timeout=60)
        node.run("trace off")
        assert "events dumped" in node.run("trace dump", timeout=60)
    finally:
        node.stop()
    return port


def test_speedscope_reads_the_chrome_json(traced_schedtest, tmp_path):
    """speedscope imports the Trace Event Format too: a real parser of it
    takes tools/trace's Chrome JSON and finds a thread per process."""
    run = chromium(page_for(tmp_path, "chrome", traced_schedtest), tmp_path, "--dump-dom",
                   "--enable-logging=stderr", "--v=0")
    dom = run.stdout
    # Its importer complains on the console about slices that overlap
    # without nesting (a state ending a hair after the next began).
    complaints = [line for line in run.stderr.splitlines() if "CONSOLE" in line and
                  ("Tried to end" in line or "still open" in line or "Failed" in line)]
    assert "Importing as Trace Event Format" in run.stderr and not complaints, complaints[:3]
    threads = set(re.findall(r"node 0 \(rr scheduler\) \(pid \d+\), schedtest \(pid (\d+)\) "
                             r"\(tid \d+\)", dom))
    assert len(threads) == 6, dom[-2000:]


def test_speedscope_shows_the_tracks(traced_schedtest, tmp_path):
    url = page_for(tmp_path, "speedscope", traced_schedtest)
    dom = chromium(url, tmp_path, "--dump-dom").stdout
    assert "node 0: CPU" in dom, dom[-2000:]
    schedtest = set(re.findall(r"node 0: schedtest \(pid \d+\)", dom))
    assert len(schedtest) == 6, schedtest            # the parent and its 5 children

    shot = tmp_path / "shot.png"
    r = chromium(url, tmp_path, "--screenshot=%s" % shot)
    assert shot.exists(), r.stderr[-2000:]
    os.makedirs(LOG_DIR, exist_ok=True)
    shutil.copy(shot, os.path.join(LOG_DIR, "test_trace_viewer.png"))
    import matplotlib.image
    img = matplotlib.image.imread(str(shot))[:, :, :3]
    # speedscope colours each frame (here: each process on the CPU) by its
    # name; the grey, white and black of the page's chrome are left out.
    sat = img.max(axis=2) - img.min(axis=2) > 0.12
    colours = {tuple((px * 8).astype(int)) for px in img[sat]}
    assert sat.sum() > 20000 and len(colours) >= 4, (sat.sum(), len(colours))
