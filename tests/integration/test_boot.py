# test_boot.py: brinch boots to the shell prompt: over -kernel with a command
# line, through `make run` as a user would, and from the GRUB ISO.
# Part of `make integration`; fixtures in conftest.py.

import os
import re
import secrets

from brinchvm import PROMPT

# Make's own environment must not leak into the nested `make run`.
MAKE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "MFLAGS"}


def test_boot_order_and_cmdline(make_node):
    tag = secrets.token_hex(4)              # proves the line is not hard-coded
    node = make_node(cmdline="node=3 foo=bar tag=%s" % tag, boot=False)
    node.expect("brinch: ", timeout=60)
    m = node.expect(re.compile(r"brinch: cmdline: ([^\n]*)\n"))
    assert m.group(1).split() == ["node=3", "foo=bar", "tag=" + tag], m.group(0)
    node.expect("init: starting /bin/sh")
    node.expect(PROMPT)
    assert node.run("echo booted") == "booted"


def test_halt_exit_status(node):
    assert node.halt(5) == (5 << 1) | 1


def test_make_run(make_node):
    """`make -s run` on pipes: prompt, a command, `halt`, and make ends cleanly."""
    tag = secrets.token_hex(4)
    con = make_node(console=["make", "-s", "run", "CMDLINE=node=3 foo=bar tag=%s" % tag],
                    env=MAKE_ENV)
    m = con.expect(re.compile(r"brinch: cmdline: ([^\n]*)\n"), timeout=120)
    assert m.group(1).split() == ["node=3", "foo=bar", "tag=" + tag], m.group(0)
    con.wait_prompt(timeout=60)
    assert con.run("echo hi") == "hi"
    con.sendline("halt")
    assert con.wait_exit(timeout=30) == 0
    assert "qemu exited with status" not in con.text


def test_boot_iso_through_grub(make_node):
    node = make_node(iso="build/brinch.iso", boot=False)
    node.expect("init: starting /bin/sh", timeout=120)
    node.expect(PROMPT)
    assert node.run("echo from-iso") == "from-iso"
    assert node.halt(0) == 1
