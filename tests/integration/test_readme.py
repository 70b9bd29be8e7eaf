# test_readme.py: the commands README.md shows for running brinch, run
# exactly as written there (through sh, from the repository root), with
# piped input where a person would type.  Part of `make integration`.
# `make test`, `make bench`, `make gdb` and the others have tests of their own
# or are what runs these tests; see docs/testing.md.

import os
import re

import pytest

from brinchvm import PROMPT

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
with open(os.path.join(ROOT, "README.md")) as _f:
    README = _f.read()

# Make's own environment must not leak into the nested make.
MAKE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}

BOOT = 120                              # seconds for make and a boot under TCG


def readme(cmd):
    """cmd, after checking that README.md shows it as written."""
    assert "`%s`" % cmd in README or "\n%s" % cmd in README, "README.md no longer shows " + cmd
    return cmd


def shell(make_node, cmd):
    """Start `sh -c cmd` in the repository root, as a user would type it."""
    return make_node(console=["sh", "-c", cmd], env=MAKE_ENV)


def test_readme_pipe(make_node):
    """The README's one-line pipe: the shell reads both lines, then QEMU ends."""
    con = shell(make_node, readme(r"printf 'echo hi\nhalt\n' | make -s run"))
    assert con.wait_exit(timeout=BOOT) == 0
    assert re.search(r"(?m)^(\$ )?hi$", con.text), "no output of `echo hi`"
    assert "brinch: halted (status 0)" in con.text
    assert not re.search(r"(?m)^qemu exited with status", con.text)


# The console tells the serial driver when its line buffer is full, and the
# driver leaves the rest in the UART (QEMU stops reading the pipe) until a
# reader makes room: without that, lines past the first 512 bytes are lost.
def test_long_piped_script(make_node, tmp_path):
    """A script far longer than the console's 512-byte line buffer and the
    UART's FIFO, piped into `make -s run`: every line runs, in order.  The
    output of line N, LnX, is made by the shell from L''N''X, so the
    typed text (echoed as it arrives) can never be taken for it."""
    n = 200
    script = tmp_path / "script"
    script.write_text("".join("echo L''%d''X\n" % i for i in range(n)) + "halt\n")
    con = shell(make_node, "make -s run < %s" % script)
    for i in range(n):                  # each in turn; a lost line shows at once
        m = con.expect(re.compile(r"L(\d+)X"), timeout=BOOT if i == 0 else 30)
        assert int(m.group(1)) == i, "line %d gave no output; line %s did" % (i, m.group(1))
    assert con.wait_exit(timeout=30) == 0
    assert "brinch: halted (status 0)" in con.text


def test_make_run_typed(make_node):
    """`make run` with its console on pipes: type at the prompt, then halt."""
    con = shell(make_node, readme("make run"))
    con.expect(PROMPT, timeout=BOOT)
    assert con.run("echo typed") == "typed"
    con.sendline("halt")
    assert con.wait_exit(timeout=30) == 0
    assert not re.search(r"(?m)^qemu exited with status", con.text)


def test_make_run_cmdline(make_node):
    cmd = readme("make run CMDLINE='node=3 foo=bar'")
    con = shell(make_node, r"printf 'echo up\nhalt\n' | " + cmd)
    assert con.wait_exit(timeout=BOOT) == 0
    m = re.search(r"brinch: cmdline: ([^\n]*)\n", con.text)
    assert m and m.group(1).split() == ["node=3", "foo=bar"], con.text[-2000:]
    assert re.search(r"(?m)^(\$ )?up$", con.text)


def test_make_run_iso(make_node):
    """GRUB's menu reads the serial line too: type only once brinch's
    prompt is up."""
    con = shell(make_node, readme("make run-iso"))
    con.expect("init: starting /bin/sh", timeout=BOOT)
    con.expect(PROMPT)
    assert con.run("echo from-iso") == "from-iso"
    con.sendline("halt")
    assert con.wait_exit(timeout=30) == 0


def test_make_run_kvm(make_node):
    """`make run ACCEL=kvm` boots where KVM can run 32-bit paging; elsewhere
    it is skipped, saying why."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        pytest.skip("make run ACCEL=kvm: no usable /dev/kvm on this host")
    con = shell(make_node, r"printf 'echo kvm-up\nhalt\n' | " + readme("make run ACCEL=kvm"))
    # Where KVM cannot run brinch, QEMU stops (a triple fault, with
    # -no-reboot) or reports an error; either way the shell never answers.
    try:
        con.expect(re.compile(r"(?m)^(?:\$ )?kvm-up$"), timeout=BOOT)
    except AssertionError:
        tail = " | ".join(con.text.strip().splitlines()[-2:])
        con.stop()
        pytest.skip("make run ACCEL=kvm does not boot on this host (as where KVM rejects "
                    "brinch's 32-bit paging); the output ends: " + tail)
    assert con.wait_exit(timeout=30) == 0
    assert "brinch: halted (status 0)" in con.text
