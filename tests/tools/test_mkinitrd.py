# test_mkinitrd.py: host-side checks of tools/mkinitrd.py (the initrd packer).
# Run by `make tools-test` (part of `make test`) with /usr/bin/python3 -m pytest.
# Reads archives back with an independent newc parser and with GNU cpio.

import os
import shutil
import subprocess
import sys

import pytest

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
MKINITRD = os.path.join(TOOLS, "mkinitrd.py")


def read_newc(data):
    """Parse a newc archive: [(name, mode, ino, nlink, mtime, data)], checking layout."""
    entries, off = [], 0
    while True:
        assert off % 4 == 0, "entry not 4-byte aligned"
        head = data[off:off + 110]
        assert head[:6] == b"070701", "bad magic at %d" % off
        f = [int(head[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        ino, mode, uid, gid, nlink, mtime, size, namesize = f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[11]
        assert (uid, gid) == (0, 0)
        name_end = off + 110 + namesize
        assert data[name_end - 1] == 0, "name not NUL-terminated"
        name = data[off + 110:name_end - 1].decode()
        data_start = name_end + (-name_end % 4)
        assert data[name_end:data_start] == b"\0" * (data_start - name_end)
        body = data[data_start:data_start + size]
        off = data_start + size + (-size % 4)
        if name == "TRAILER!!!":
            assert off == len(data), "bytes after the trailer"
            return entries
        entries.append((name, mode, ino, nlink, mtime, body))


@pytest.fixture
def inputs(tmp_path):
    """A few host files: two executables, one plain file, one empty, odd sizes."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "sh").write_bytes(b"\x7fELF" + bytes(range(256)) * 3 + b"x")
    (src / "cat").write_bytes(b"\x7fELFcat")
    (src / "motd").write_text("Welcome to brinch.\n")
    (src / "empty").write_bytes(b"")
    for exe in ("sh", "cat"):
        os.chmod(src / exe, 0o755)
    for plain in ("motd", "empty"):
        os.chmod(src / plain, 0o644)
    return src


def mkinitrd(out, *args):
    subprocess.run([sys.executable, MKINITRD, str(out)] + [str(a) for a in args], check=True)
    return out.read_bytes()


def test_layout_modes_and_contents(tmp_path, inputs):
    data = mkinitrd(tmp_path / "initrd.cpio",
                    "--dir", "bin", inputs / "sh", inputs / "cat",
                    "--dir", "etc", inputs / "motd", inputs / "empty")
    entries = read_newc(data)
    names = [e[0] for e in entries]
    assert names == ["bin", "bin/cat", "bin/sh", "etc", "etc/empty", "etc/motd"]
    modes = {e[0]: e[1] for e in entries}
    assert modes == {"bin": 0o040755, "bin/cat": 0o100755, "bin/sh": 0o100755,
                     "etc": 0o040755, "etc/empty": 0o100644, "etc/motd": 0o100644}
    assert [e[2] for e in entries] == [1, 2, 3, 4, 5, 6]       # inode numbering
    assert all(e[4] == 0 for e in entries)                     # mtime 0
    bodies = {e[0]: e[5] for e in entries}
    for name in ("sh", "cat", "motd", "empty"):
        dirname = "bin" if name in ("sh", "cat") else "etc"
        assert bodies[dirname + "/" + name] == (inputs / name).read_bytes()


def test_deterministic(tmp_path, inputs):
    args = ["--dir", "bin", inputs / "sh", inputs / "cat", "--dir", "etc", inputs / "motd"]
    first = mkinitrd(tmp_path / "a.cpio", *args)
    os.utime(inputs / "sh", (12345, 12345))                   # host mtime must not matter
    second = mkinitrd(tmp_path / "b.cpio", *args)
    assert first == second
    # Argument order must not matter either: entries are sorted.
    third = mkinitrd(tmp_path / "c.cpio", "--dir", "etc", inputs / "motd",
                     "--dir", "bin", inputs / "cat", inputs / "sh")
    assert first == third


def test_empty_directory_and_nested(tmp_path, inputs):
    entries = read_newc(mkinitrd(tmp_path / "x.cpio", "--dir", "etc", "--dir", "usr/bin", inputs / "sh"))
    assert [(e[0], e[1]) for e in entries] == [
        ("etc", 0o040755), ("usr", 0o040755), ("usr/bin", 0o040755), ("usr/bin/sh", 0o100755)]


@pytest.mark.parametrize("args", [
    [],                                   # no output file
    ["OUT", "FILE"],                      # file before --dir
    ["OUT", "--dir"],                     # --dir without a name
    ["OUT", "--dir", "bin", "/nonexistent/file"],
])
def test_bad_arguments(tmp_path, args):
    args = [str(tmp_path / "o.cpio") if a == "OUT" else a for a in args]
    args = [str(tmp_path) if a == "FILE" else a for a in args]
    r = subprocess.run([sys.executable, MKINITRD] + args, capture_output=True, text=True)
    assert r.returncode != 0
    assert "mkinitrd:" in r.stderr


def test_duplicate_name_rejected(tmp_path, inputs):
    r = subprocess.run([sys.executable, MKINITRD, str(tmp_path / "o.cpio"), "--dir", "bin",
                        str(inputs / "sh"), "--dir", "bin", str(inputs / "sh")],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "given twice" in r.stderr


@pytest.mark.skipif(shutil.which("cpio") is None,
                    reason="GNU cpio not installed, so the initrd is not checked against "
                           "cpio's own reader (make test installs it; or: apt-get install cpio)")
def test_gnu_cpio_reads_it(tmp_path, inputs):
    out = tmp_path / "initrd.cpio"
    mkinitrd(out, "--dir", "bin", inputs / "sh", inputs / "cat", "--dir", "etc", inputs / "motd")
    listing = subprocess.run(["cpio", "-t", "-v", "--quiet", "-F", str(out)],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert [line.split()[-1] for line in listing] == ["bin", "bin/cat", "bin/sh", "etc", "etc/motd"]
    assert listing[0].startswith("drwxr-xr-x") and listing[2].startswith("-rwxr-xr-x")
    assert listing[4].startswith("-rw-r--r--")
    # Extract and compare the bytes.
    dest = tmp_path / "x"
    dest.mkdir()
    subprocess.run(["cpio", "-i", "-d", "--quiet", "-F", str(out)], cwd=dest, check=True)
    assert (dest / "bin" / "sh").read_bytes() == (inputs / "sh").read_bytes()
    assert (dest / "etc" / "motd").read_text() == "Welcome to brinch.\n"
