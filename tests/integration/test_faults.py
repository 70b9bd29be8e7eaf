# test_faults.py: a user process that faults is killed with the right signal
# and a kernel message, and the system carries on; a fork bomb is contained.
# Part of `make integration`; /bin/crash and /bin/forkbomb are the culprits.

import re

import pytest

SIGILL, SIGFPE, SIGSEGV = 4, 8, 11
CRASHES = {
    "null": SIGSEGV,          # read of address 0
    "write-kernel": SIGSEGV,  # write to a kernel address
    "gp": SIGSEGV,            # general protection fault
    "div": SIGFPE,            # divide by zero
    "ud": SIGILL,             # undefined opcode
    "stack": SIGSEGV,         # runaway recursion past the stack
    "jump-null": SIGSEGV,     # call through a null pointer
}
KILLED_RE = re.compile(r"brinch: pid (\d+) \(crash\) killed: .* at eip 0x([0-9a-f]+)")


@pytest.mark.parametrize("mode", sorted(CRASHES))
def test_crash(node, mode):
    out = node.run("crash " + mode, timeout=30)
    m = KILLED_RE.search(out)
    assert m, "no 'brinch: pid N (crash) killed: ... at eip 0x...' line for crash %s" % mode
    if mode == "jump-null":
        assert int(m.group(2), 16) == 0, "jump-null faulted at eip 0x%s, not 0" % m.group(2)
    else:
        assert int(m.group(2), 16) >= 0x08048000, "fault eip 0x%s is not in the program" % m.group(2)
    assert node.run("echo $?") == str(128 + CRASHES[mode])
    assert node.run("echo ok") == "ok"


def test_forkbomb(node):
    out = node.run("forkbomb", timeout=60)
    m = re.search(r"forkbomb: (\d+) children, fork failed: ", out)
    assert m, "no 'forkbomb: N children, fork failed: ' line"
    assert int(m.group(1)) > 0
    assert "forkbomb: all reaped" in out[m.end():]
    assert node.run("echo alive") == "alive"
    # The process table has room again: more than one program can run.
    assert node.run("true; echo $?") == "0"


def test_kernel_fault_panics_with_symbolic_backtrace(make_node):
    """`kfault` on the command line makes the kernel write through NULL at
    boot (kernel/main.c): a fault in ring 0 is a kernel bug, so the kernel
    prints the registers and a backtrace of named functions, then stops
    QEMU with status 3 (exit code 7)."""
    node = make_node(cmdline="kfault", boot=False)
    node.expect(re.compile(r"brinch: kernel page fault at eip 0x[0-9a-f]{8} "
                           r"\(demo_kernel_fault\) addr 0x00000000"), timeout=60)
    node.expect("brinch: panic: unexpected page fault in the kernel")
    node.expect("backtrace:")
    node.expect(re.compile(r"0x[0-9a-f]{8} demo_kernel_fault\+0x[0-9a-f]+\n"))
    node.expect(re.compile(r"0x[0-9a-f]{8} kmain\+0x[0-9a-f]+\n"))
    assert node.wait_exit(timeout=30) == 7
