# brinchvm.py: drives brinch under QEMU through its serial console, for the
# integration tests (tests/integration), tools/bench.py and, later, cluster
# tests that run several nodes at once (one Node object per QEMU).
"""Talk to a brinch machine over its serial console.

    with Node(cmdline="node=0") as node:     # boots QEMU
        node.wait_boot()                     # first shell prompt
        print(node.run("echo hi"))           # -> "hi"
        code = node.halt(0)                  # QEMU's exit status: (0 << 1) | 1

Console is the general part (any program behind a pipe: QEMU, `make run`);
Node adds the QEMU command line.  Everything read is kept in a buffer
(decoded as latin-1, with \\r removed) and copied, byte for byte, to a log
file.  expect() searches the buffer from a read position and moves that
position past each match, so each call looks only at output that is new.

Timeouts are in seconds and multiplied by $BRINCH_TIMEOUT_SCALE (default 1),
for slow machines.
"""

import os
import re
import signal
import socket
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = re.compile(r"(?m)^\$ ")        # the shell prompt, at the start of a line
CHUNK = 16                              # bytes per write: the UART's receive FIFO
TAIL = 2048                             # bytes of log shown in error messages


def scale():
    """The timeout multiplier from $BRINCH_TIMEOUT_SCALE."""
    try:
        return max(float(os.environ.get("BRINCH_TIMEOUT_SCALE", "1")), 0.01)
    except ValueError:
        return 1.0


class ConsoleError(AssertionError):
    """Expected output did not come (an AssertionError so pytest shows it plainly)."""


class Console:
    """A program whose stdin/stdout we drive, with pattern matching on its output."""

    def __init__(self, argv, log_path=None, name="console", cwd=ROOT, env=None):
        self.argv = list(argv)
        self.name = name
        self.cwd = cwd
        self.env = env
        self.log_path = log_path
        self.proc = None
        self.pos = 0                    # read position in self._buf for expect()
        self._buf = ""
        self._eof = False
        self._cond = threading.Condition()
        self._reader = None
        self._log = None
        self._started = None

    # ---- process ----------------------------------------------------------

    def start(self):
        """Start the program with its stdin and stdout on pipes."""
        if self.log_path:
            os.makedirs(os.path.dirname(os.path.abspath(self.log_path)), exist_ok=True)
            self._log = open(self.log_path, "wb")
        self._started = time.monotonic()
        # A session of its own: a Ctrl-C at the test's terminal does not reach
        # QEMU, and stop() can end the whole group (make and its QEMU).
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=self.cwd, env=self.env,
                                     start_new_session=True)
        self._reader = threading.Thread(target=self._read_loop, name=self.name + "-reader",
                                        daemon=True)
        self._reader.start()
        return self

    def _read_loop(self):
        """Copy everything the program prints into the buffer and the log."""
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if self._log and data:
                self._log.write(data)
                self._log.flush()
            with self._cond:
                if data:
                    self._buf += data.decode("latin-1").replace("\r", "")
                else:
                    self._eof = True
                self._cond.notify_all()
            if not data:
                return

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def elapsed(self):
        """Seconds since start()."""
        return time.monotonic() - self._started

    def wait_exit(self, timeout=30):
        """Wait for the program to end and all its output to be read; return its exit code."""
        deadline = time.monotonic() + timeout * scale()
        try:
            code = self.proc.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            raise ConsoleError(self._failure("timed out after %.0fs waiting for exit"
                                             % (timeout * scale())))
        self._reader.join(timeout=max(deadline - time.monotonic(), 1))
        return code

    def stop(self):
        """End the program (and its children) if it is still running; close the log."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._reader:
            self._reader.join(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- output -----------------------------------------------------------

    @property
    def text(self):
        """Everything read so far."""
        with self._cond:
            return self._buf

    def log_tail(self, size=TAIL):
        """The last `size` characters of output, for error messages."""
        return self.text[-size:]

    def _failure(self, what):
        if self._eof:                   # output closed: the exit status is near
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        status = "running" if self.alive else "exited with status %s" % self.proc.poll()
        return ("%s: %s (%s, %.1fs after start)\n--- last %d bytes of output (log: %s) ---\n%s"
                "\n--- end of output ---" % (self.name, what, status, self.elapsed, TAIL,
                                             self.log_path, self.log_tail()))

    def expect(self, pattern, timeout=10):
        """Wait for pattern (a str is matched literally, a compiled regex as
        is) in the output after the read position; move the position past the
        match and return the match object."""
        regex = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout * scale()
        with self._cond:
            while True:
                m = regex.search(self._buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                if self._eof:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        why = "exited" if self._eof else "timed out after %.0fs" % (timeout * scale())
        raise ConsoleError(self._failure("%s waiting for %r" % (why, regex.pattern)))

    # ---- input ------------------------------------------------------------

    def send_raw(self, text):
        """Write text (e.g. "\\x03" for Ctrl-C) as is: no chunking, no echo check."""
        try:
            self.proc.stdin.write(text.encode("latin-1"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ConsoleError(self._failure("cannot write %r: input closed" % text))

    def send(self, text, timeout=10):
        """Type text in chunks of at most CHUNK bytes, waiting for each chunk's
        echo before the next, so the guest's small input FIFO never overflows.
        The echo is consumed (the read position moves past it)."""
        for i in range(0, len(text), CHUNK):
            chunk = text[i:i + CHUNK]
            self.send_raw(chunk)
            self.expect(echo_of(chunk), timeout)

    def sendline(self, text, timeout=10):
        """Type text and press Enter ("\\r")."""
        self.send(text, timeout)
        self.send_raw("\r")

    def wait_prompt(self, timeout=10):
        """Wait for the next shell prompt; return the output before it."""
        start = self.pos
        m = self.expect(PROMPT, timeout)
        return self.text[start:m.start()]

    def sync(self, timeout=10):
        """Wait until the shell has caught up with everything typed so far.

        A command that makes another process print (a background server's
        banner, a report on a signal) may see its prompt come after that
        output, or before it; a test that waited for the output alone could
        then type its next command ahead of a prompt still to come, and
        run() would take that stale prompt for the command's own.  sync()
        runs `echo` with a unique marker and waits for the marker's own
        output line and the prompt after it: the shell prints that prompt
        only once everything before has run."""
        self._syncs = getattr(self, "_syncs", 0) + 1
        # "echo " and the marker must fit one CHUNK however long the test:
        # a short prefix, the pid's last three digits, the count in hex.
        marker = "s%d.%x" % (os.getpid() % 1000, self._syncs)
        # Typed raw, not waiting for its echo: the late prompt may land in
        # the middle of that echo.  It fits the UART's 16-byte FIFO.
        line = "echo " + marker
        assert len(line) < CHUNK, line
        self.send_raw(line + "\r")
        # The output line, alone or after the late prompt ("$ sync..."),
        # never the typed line ("echo sync..."); then echo's own prompt.
        self.expect(re.compile(r"(?m)^(?:\$ )?%s\n" % re.escape(marker)), timeout)
        self.expect(PROMPT, timeout)

    def run(self, cmd, timeout=10):
        """Run one shell command and return its output: what came between the
        echo of the command line and the next prompt, without the newline that
        ends the echo nor the one before the prompt."""
        self.sendline(cmd, timeout)
        out = self.wait_prompt(timeout)
        if out.startswith("\n"):
            out = out[1:]
        if out.endswith("\n"):
            out = out[:-1]
        return out


def echo_of(typed):
    """A pattern for the echo of typed text.  Another process's output (a
    background server's report, a late prompt) can land between any two
    echoed characters, and does, however rarely: "p", then a server's
    whole line, then "s" for `ps`.  Such output comes whole (one write()),
    so whole lines and "$ " are let in between the characters, and nothing
    else, lest a stray letter of earlier output pass for the echo."""
    gap = r"(?:[^\n]*\n|\$ )*?"
    return re.compile(gap.join(re.escape(c) for c in typed))


def free_port():
    """A TCP port on the loopback interface that nobody listens on right
    now: for QEMU's gdb stub (-gdb tcp:127.0.0.1:PORT) in the gdb tests."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accel_default():
    """TCG unless $ACCEL says otherwise (this host's KVM cannot run 32-bit paging)."""
    return os.environ.get("ACCEL") or "tcg"


class Node(Console):
    """One brinch machine: a QEMU process with its serial port on our pipes."""

    _count = 0

    def __init__(self, kernel="build/kernel.elf", initrd="build/initrd.cpio", cmdline="",
                 iso=None, accel=None, mem="128M", extra_args=(), log_path=None,
                 name=None, qemu=None):
        Node._count += 1
        name = name or "node%d" % Node._count
        if log_path is None:
            log_path = os.path.join(ROOT, "build", "test-logs", "%s-%d.log" % (name, os.getpid()))
        self.kernel, self.initrd, self.iso = kernel, initrd, iso
        self.cmdline = cmdline
        self.accel = accel or accel_default()
        self.mem = mem
        self.extra_args = list(extra_args)
        qemu = qemu or os.environ.get("QEMU") or "qemu-system-i386"
        super().__init__(self.qemu_argv(qemu), log_path=log_path, name=name)

    def qemu_argv(self, qemu):
        """The QEMU command line; the same machine `make run` uses."""
        argv = [qemu, "-machine", "pc", "-accel", self.accel, "-m", self.mem,
                "-no-reboot", "-nic", "none",
                "-device", "isa-debug-exit,iobase=0x501,iosize=1",
                "-display", "none", "-monitor", "none", "-serial", "stdio"]
        if self.iso:
            argv += ["-cdrom", self._path(self.iso)]
        else:
            argv += ["-kernel", self._path(self.kernel), "-initrd", self._path(self.initrd),
                     "-append", self.cmdline]
        return argv + self.extra_args

    @staticmethod
    def _path(p):
        """Paths are relative to the repository root unless absolute."""
        path = os.path.join(ROOT, p)
        if not os.path.exists(path):
            raise FileNotFoundError("%s not found: run `make all` first" % path)
        return path

    def wait_boot(self, timeout=60):
        """Wait for the first shell prompt; return the boot output."""
        return self.wait_prompt(timeout)

    def halt(self, status=0, timeout=30):
        """Run `halt status`; return QEMU's exit code ((status << 1) | 1 when
        the kernel powers off through isa-debug-exit)."""
        self.sendline("halt %d" % status, timeout)
        return self.wait_exit(timeout)
