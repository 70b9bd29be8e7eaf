# test_first_run.py: the Makefile on a machine where the cross compiler
# appears only when `make deps` installs it (issue 12), and what a change of
# compiler rebuilds.  Run by `make tools-test`; builds a copy of the tree.
#
# The copy runs with a PATH made of two directories of symlinks: every host
# tool but the i686 ones, and a cross directory that the stand-in for
# tools/ensure-deps.sh (DEPS_CMD) fills, as apt-get would.

import os
import shutil
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CROSS = "i686-linux-gnu-"
TOOLS = ("gcc", "ld", "ar", "nm")

pytestmark = pytest.mark.skipif(not shutil.which(CROSS + "gcc"),
                                reason=CROSS + "gcc not installed (make deps)")


def source_files():
    """The tree's files: git's list in a checkout; in a tarball, or on a
    fresh machine without git, every file but build/, .git/ and caches."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, check=True,
                             capture_output=True).stdout
        return [f for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(ROOT):
            dirs[:] = [x for x in dirs if x not in ("build", ".git", "__pycache__", ".pytest_cache")]
            files += [os.path.relpath(os.path.join(d, n), ROOT) for n in names]
        return files


class Tree:
    """A copy of the source tree (no build/) and the PATH it builds with."""

    def __init__(self, top):
        self.dir = os.path.join(top, "tree")
        self.cross = os.path.join(top, "cross")
        self.host = os.path.join(top, "host")
        for f in source_files():
            src = os.path.join(ROOT, f)
            if f and os.path.isfile(src) and not f.startswith("build/"):
                os.makedirs(os.path.dirname(os.path.join(self.dir, f)), exist_ok=True)
                shutil.copy2(src, os.path.join(self.dir, f))
        os.makedirs(self.cross)
        os.makedirs(self.host)
        for d in ("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"):
            if not os.path.isdir(d):
                continue
            for name in os.listdir(d):
                link = os.path.join(self.host, name)
                if not name.startswith("i686-") and not os.path.lexists(link):
                    os.symlink(os.path.join(d, name), link)
        # The deps step: "install" the cross tools into the empty directory.
        self.deps = os.path.join(top, "deps.sh")
        with open(self.deps, "w") as f:
            f.write("".join("ln -sf %s %s/\n" % (shutil.which(CROSS + t), self.cross)
                            for t in TOOLS))
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("MAKE") and k != "MFLAGS"}
        self.env["PATH"] = self.cross + ":" + self.host

    def make(self, *args):
        """Run make in the copy; return (exit status, output)."""
        p = subprocess.run(["make", "--no-print-directory", "DEPS_CMD=sh " + self.deps]
                           + list(args), cwd=self.dir, env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        return p.returncode, p.stdout.decode(errors="replace")

    def install(self, prefix):
        """Put the cross tools on PATH under another prefix (i686-elf-...)."""
        for t in TOOLS:
            os.symlink(shutil.which(CROSS + t), os.path.join(self.cross, prefix + t))

    def path(self, p):
        return os.path.join(self.dir, p)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """A fresh copy, its first `make run` (QEMU replaced by a script that only
    checks that the kernel is there), and that make's output."""
    tree = Tree(str(tmp_path_factory.mktemp("first-run")))
    qemu = os.path.join(tree.dir, "..", "fake-qemu")
    with open(qemu, "w") as f:
        f.write('#!/bin/sh\nfor a; do [ "$a" != build/kernel.elf ] || '
                '{ [ -s "$a" ] && echo fake-qemu: booted "$a"; exit 0; }; done\nexit 9\n')
    os.chmod(qemu, 0o755)
    status, out = tree.make("-j2", "run", "QEMU=" + os.path.abspath(qemu))
    return tree, status, out


def test_first_make_run_installs_then_builds(first_run):
    tree, status, out = first_run
    assert status == 0, out[-3000:]
    assert "fake-qemu: booted build/kernel.elf" in out, out[-3000:]
    assert "__udivdi3" not in out
    with open(tree.path("build/toolchain")) as f:
        assert f.read().startswith(CROSS + "gcc "), "built with the wrong compiler"


def test_no_rm_and_second_make_does_nothing(first_run):
    """Intermediate objects are kept (.SECONDARY): no `rm` line after the
    build, and a second `make all` has nothing to do and says nothing."""
    tree, status, out = first_run
    assert status == 0, out[-3000:]
    assert not [line for line in out.splitlines() if line.startswith("rm build/")], out[-3000:]
    status, again = tree.make("all")
    assert status == 0 and again == "", again


def test_no_host_gcc_fallback(tmp_path):
    """Without a cross compiler the build stops, naming `make deps`, before
    it compiles anything with the host's gcc."""
    tree = Tree(str(tmp_path))
    status, out = tree.make("build/kernel.elf")
    assert status != 0
    assert "make deps" in out, out
    assert not os.path.exists(tree.path("build/lib/string.o"))


def test_new_toolchain_rebuilds(tmp_path):
    """build/toolchain changes, and what it built is rebuilt, when another
    compiler is found; when none changed, nothing is."""
    tree = Tree(str(tmp_path))
    obj = "build/lib/string.o"
    status, out = tree.make("deps")
    assert status == 0, out
    status, out = tree.make(obj)
    assert status == 0 and CROSS + "gcc" in out, out
    stamp = os.stat(tree.path("build/toolchain")).st_mtime_ns
    built = os.stat(tree.path(obj)).st_mtime_ns

    status, out = tree.make(obj)                # same compiler: nothing to do
    assert status == 0 and "gcc" not in out, out
    assert os.stat(tree.path("build/toolchain")).st_mtime_ns == stamp
    assert os.stat(tree.path(obj)).st_mtime_ns == built

    tree.install("i686-elf-")                   # preferred by the Makefile
    status, out = tree.make(obj)
    assert status == 0 and "i686-elf-gcc" in out, out
    with open(tree.path("build/toolchain")) as f:
        assert f.read().startswith("i686-elf-gcc ")
    assert os.stat(tree.path(obj)).st_mtime_ns != built
