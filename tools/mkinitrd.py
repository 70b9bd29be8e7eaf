#!/usr/bin/python3
# mkinitrd.py: packs the user programs and files into build/initrd.cpio, a
# cpio "newc" archive the kernel unpacks at boot.  Called by the Makefile:
#   mkinitrd.py OUT [--dir DIRNAME FILE...]...
"""Write a deterministic cpio "newc" archive.

Each `--dir DIRNAME` adds a directory entry (mode 040755) and the FILEs that
follow it are stored as DIRNAME/basename: mode 0100755 if the host file is
executable, else 0100644.  Names have no leading slash.  Every entry has
mtime 0, uid/gid 0, and inode numbers 1, 2, 3... in sorted name order, so the
same inputs always give the same bytes.

newc layout, per entry: the magic "070701", then 13 fields of 8 hex digits
(ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
rdevminor namesize check) = 110 bytes; the name with its NUL, padded so
header + name is a multiple of 4; the data, padded to a multiple of 4.  The
archive ends with an entry named "TRAILER!!!".
"""

import os
import stat
import sys

MODE_DIR = 0o040755
MODE_EXEC = 0o100755
MODE_FILE = 0o100644
TRAILER = "TRAILER!!!"


def usage(msg):
    sys.exit("mkinitrd: %s\nusage: mkinitrd.py OUT [--dir DIRNAME FILE...]..." % msg)


def parse_args(argv):
    """Return (out_path, {archive name: host path or None for a directory})."""
    if not argv or argv[0].startswith("--"):
        usage("missing output file")
    out, entries, current = argv[0], {}, None
    args = iter(argv[1:])
    for arg in args:
        if arg == "--dir":
            current = next(args, None)
            if not current or current.startswith("--"):
                usage("--dir needs a directory name")
            current = current.strip("/")
            if not current or ".." in current.split("/"):
                usage("bad directory name %r" % current)
            # A nested name like usr/bin also needs its parent directories.
            parts = current.split("/")
            for i in range(1, len(parts) + 1):
                entries.setdefault("/".join(parts[:i]), None)
        elif current is None:
            usage("file %r comes before any --dir" % arg)
        else:
            if not os.path.isfile(arg):
                usage("%s: not a regular file" % arg)
            name = current + "/" + os.path.basename(arg)
            if name in entries:
                usage("%s given twice" % name)
            entries[name] = arg
    return out, entries


def header(ino, mode, nlink, size, namesize):
    """The 110-byte ASCII newc header."""
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, namesize, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    """Bytes of padding that bring n up to a multiple of 4."""
    return b"\0" * (-n % 4)


def entry(ino, name, mode, nlink, data):
    """One complete archive entry: header, padded name, padded data."""
    bname = name.encode() + b"\0"
    head = header(ino, mode, nlink, len(data), len(bname)) + bname
    return head + pad4(len(head)) + data + pad4(len(data))


def build(entries):
    """The whole archive as bytes, entries in sorted name order."""
    out = []
    for ino, name in enumerate(sorted(entries), start=1):
        path = entries[name]
        if path is None:
            out.append(entry(ino, name, MODE_DIR, 2, b""))
            continue
        with open(path, "rb") as f:
            data = f.read()
        executable = os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        out.append(entry(ino, name, MODE_EXEC if executable else MODE_FILE, 1, data))
    out.append(entry(0, TRAILER, 0, 1, b""))
    return b"".join(out)


def main(argv):
    out, entries = parse_args(argv)
    data = build(entries)
    # Write to a temporary name first so a failed run never leaves half an archive.
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv[1:])
