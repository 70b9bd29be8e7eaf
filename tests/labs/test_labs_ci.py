# test_labs_ci.py: checks the labs themselves (docs/labs/README.md): in this
# tree every lab's reference solution scores 100, and every student tree that
# tools/mklab makes builds (from this tree's objects, rebuilding what the
# stubs change), boots to the shell and scores less than 100.
# Run by `make labs-check` (part of `make test`); logs go to build/labs-check/,
# the student trees to a temporary directory ($BRINCH_KEEP_LABS=1 keeps them).

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from labutil import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
from brinchvm import Node, scale  # noqa: E402

PYTHON = sys.executable or "/usr/bin/python3"
WORK = os.path.join(ROOT, "build", "labs-check")
LABS = sorted(f[len("test_lab_"):-len(".py")] for f in os.listdir(os.path.dirname(__file__))
              if f.startswith("test_lab_") and f.endswith(".py"))
WORKERS = 2                     # student trees built and graded at the same time
TAIL = 3000                     # characters of a log shown when something fails

# A student tree (made by tools/mklab) has no regions left to check: this
# is about the reference tree.
pytestmark = pytest.mark.skipif(os.path.exists(os.path.join(ROOT, ".brinch-lab")),
                                reason="a student tree: labs-check checks the reference tree")


def run(argv, cwd, log, timeout):
    """Run a command with its output (stdout and stderr) in log; return
    (exit status, output)."""
    os.makedirs(os.path.dirname(log), exist_ok=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # A make in a student tree is a make of its own, not part of the
    # `make labs-check` that started us (whose jobserver it cannot reach).
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    try:
        done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout * scale(), env=env)
        status, text = done.returncode, done.stdout
    except subprocess.TimeoutExpired as e:
        partial = e.stdout or b""
        if isinstance(partial, bytes):
            partial = partial.decode("latin-1")
        status, text = -1, partial + "\n(timed out)\n"
    with open(log, "w") as f:
        f.write(text)
    return status, text


def grade(tree, lab, name):
    """Grade `lab` in `tree` as `make grade` would; returns the result of
    tools/grade.py --json, plus the log's path and the grader's status."""
    log = os.path.join(WORK, name + ".log")
    result_file = os.path.join(WORK, name + ".json")
    if os.path.exists(result_file):
        os.remove(result_file)
    status, text = run([PYTHON, "tools/grade.py", lab, "--json", result_file], tree, log, 600)
    result = {"score": None, "tests": []}
    if os.path.exists(result_file):
        with open(result_file) as f:
            result = json.load(f)
    result.update(status=status, log=log, tail=text[-TAIL:])
    return result


def failing(result):
    return ", ".join(t["name"] for t in result["tests"] if t["outcome"] != "passed") or "none"


def test_markers_and_graders():
    """The LAB markers are well formed, and the labs with regions in the
    source are exactly the labs with a grader."""
    status, text = run([PYTHON, "tools/mklab", "--check"], ROOT,
                       os.path.join(WORK, "mklab-check.log"), 60)
    assert status == 0, text
    status, text = run([PYTHON, "tools/mklab", "--list"], ROOT,
                       os.path.join(WORK, "mklab-list.log"), 60)
    assert status == 0, text
    with_regions = sorted(line.split(":")[0] for line in text.splitlines() if line.strip())
    assert with_regions == LABS, "labs with regions %s, with graders %s" % (with_regions, LABS)


@pytest.mark.parametrize("lab", LABS)
def test_reference_scores_100(lab):
    """This tree's reference solution earns every point."""
    result = grade(ROOT, lab, "reference-" + lab)
    assert result["status"] == 0 and result["score"] == 100, \
        "reference %s: %s/100, failing: %s (log: %s)\n%s" % (
            lab, result["score"], failing(result), result["log"], result["tail"])


def boot_check(tree, lab):
    """Boot the tree's kernel to the shell and run a command; None if all
    went well, else what went wrong."""
    node = Node(kernel=os.path.join(tree, "build", "kernel.elf"),
                initrd=os.path.join(tree, "build", "initrd.cpio"),
                log_path=os.path.join(WORK, "student-%s-boot.log" % lab), name="student-" + lab)
    try:
        node.start()
        node.wait_boot(timeout=60)
        out = node.run("echo the student tree boots")
        if out != "the student tree boots":
            return "the shell answered %r" % out
        node.halt(0)
        return None
    except AssertionError as e:
        return str(e)
    finally:
        node.stop()


# What of this tree's build a student tree starts from (seed_build).
SEED = ("toolchain", "boot", "drivers", "kernel", "lib", "rpc", "user", "bin")


def seed_build(tree):
    """Start the student tree's build from this tree's objects.  mklab
    keeps the time of every file it copies unchanged and writes the files
    it changes anew, so make rebuilds exactly what the stubs changed and
    what depends on it (the .d files name sources relative to the tree),
    as in a student's own tree after an edit: seven trees then cost a
    fraction of seven whole builds."""
    for name in SEED:
        src, dst = os.path.join(ROOT, "build", name), os.path.join(tree, "build", name)
        if os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=True)
        elif os.path.isfile(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)


def make_student_tree(lab, tree):
    """mklab, build, boot, grade: everything a student does first."""
    out = {"tree": tree}
    status, text = run([PYTHON, "tools/mklab", lab, tree], ROOT,
                       os.path.join(WORK, "student-%s-mklab.log" % lab), 120)
    if status != 0:
        out["error"] = "mklab failed:\n" + text[-TAIL:]
        return out
    seed_build(tree)
    log = os.path.join(WORK, "student-%s-build.log" % lab)
    status, text = run(["make", "-j2", "all"], tree, log, 600)
    if status != 0:
        out["error"] = "make all failed (log: %s):\n%s" % (log, text[-TAIL:])
        return out
    # The compiler's warnings (a stub must compile cleanly), not make's.
    out["warnings"] = [line for line in text.splitlines()
                       if "warning:" in line and not line.startswith("make")]
    out["boot_error"] = boot_check(tree, lab)
    out["grade"] = grade(tree, lab, "student-%s-grade" % lab)
    return out


@pytest.fixture(scope="module")
def student_trees():
    """Every lab's student tree, made, built, booted and graded, WORKERS at
    a time (after the reference grades: those measure time, and should
    have the machine to themselves).  The trees are not under build/: the
    Makefile reads every .d file there."""
    top = tempfile.mkdtemp(prefix="brinch-labs-check-")
    trees = [os.path.join(top, "student-" + lab) for lab in LABS]
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            yield dict(zip(LABS, pool.map(make_student_tree, LABS, trees)))
    finally:
        if os.environ.get("BRINCH_KEEP_LABS") == "1":
            print("\nlabs-check: student trees kept in %s" % top)
        else:
            shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize("lab", LABS)
def test_student_tree(student_trees, lab):
    """The student tree builds without warnings, boots to the shell, keeps
    no LAB markers, and its grader runs every test and scores below 100."""
    tree = student_trees[lab]
    assert "error" not in tree, tree.get("error")
    assert not tree["warnings"], "warnings building %s:\n%s" % (lab, "\n".join(tree["warnings"]))
    assert tree["boot_error"] is None, "the %s student tree does not boot: %s" % (
        lab, tree["boot_error"])
    result = tree["grade"]
    assert result["status"] == 0 and result["score"] is not None, \
        "the grader did not run in the %s student tree (log: %s)\n%s" % (
            lab, result["log"], result["tail"])
    assert all(t["outcome"] in ("passed", "failed") for t in result["tests"]), \
        "tests that did not run properly: %s" % result["tests"]
    assert result["score"] < 100, "the %s student tree scores %d without any work" % (
        lab, result["score"])
    # What the student sees: their stubs' TODOs, and no markers at all.
    status, text = run(["grep", "-rln", "--include=*.c", "--include=*.py", "--include=*.h",
                        "TODO(lab %s)" % lab, "."], tree["tree"],
                       os.path.join(WORK, "student-%s-grep.log" % lab), 60)
    assert status == 0 and text.strip(), "no TODO(lab %s) in the student tree" % lab
    status, text = run([PYTHON, "tools/mklab", "--list"], tree["tree"],
                       os.path.join(WORK, "student-%s-list.log" % lab), 60)
    assert status == 0 and not text.strip(), "LAB regions left in the student tree:\n" + text
