#!/bin/sh
# tools/gdb/session.sh: starts QEMU with a gdb stub and/or gdb for brinch.
# Run by the Makefile's `gdb` (alias `qemu-gdb`), `gdb-server` and `gdb-attach` targets, which
# pass the settings below in the environment; docs/gdb.md explains the use.
#
# Usage: sh tools/gdb/session.sh gdb|qemu|attach
#   gdb     QEMU in the background (paused, console to $CONSOLE_LOG) and
#           gdb in the foreground; QEMU stops when gdb quits
#   qemu    QEMU in the foreground (paused, console on this terminal),
#           waiting for `make gdb-attach` from another terminal
#   attach  gdb only, connected to a QEMU started by one of the above

set -u

: "${QEMU:=qemu-system-i386}"
: "${QEMUFLAGS:=-machine pc -accel tcg -m 128M -no-reboot -nic none}"
: "${GDB:=gdb}"
: "${GDBPORT:=$((26000 + $(id -u) % 5000))}"
: "${BUILD:=build}"
: "${CMDLINE:=}"
: "${CONSOLE_LOG:=$BUILD/gdb-console.log}"

KERNEL=$BUILD/kernel.elf
INITRD=$BUILD/initrd.cpio
PIDFILE=$BUILD/gdb-qemu.pid

# The stub listens on the loopback interface only: anyone who can reach
# it can read and write the machine's memory.
GDBSTUB="tcp:127.0.0.1:$GDBPORT"

run_gdb() {
	command -v "$GDB" >/dev/null 2>&1 || {
		echo "session.sh: $GDB not found: apt-get install gdb (or sh tools/ensure-deps.sh gdb)" >&2
		return 1
	}
	# With job control on (set -m) gdb gets a process group of its own
	# and the terminal: Ctrl-C then interrupts brinch in gdb instead of
	# also killing make and this script.
	if [ -t 0 ]; then
		set -m
	fi
	"$GDB" -q -nx -x tools/gdb/gdbinit -ex "target remote 127.0.0.1:$GDBPORT" "$KERNEL"
	status=$?
	set +m
	return $status
}

case "${1:-}" in
gdb)
	rm -f "$PIDFILE"
	# -daemonize returns once the stub is listening (or with an error if
	# it cannot, e.g. the port is taken), so gdb never races QEMU and
	# never talks to somebody else's QEMU.
	# shellcheck disable=SC2086  # QEMUFLAGS is a word list on purpose
	$QEMU $QEMUFLAGS -display none -monitor none -serial "file:$CONSOLE_LOG" \
		-kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE" \
		-S -gdb "$GDBSTUB" -daemonize -pidfile "$PIDFILE" || {
		echo "session.sh: QEMU did not start; is port $GDBPORT in use? (make gdb GDBPORT=N)" >&2
		exit 1
	}
	qemu_pid=$(cat "$PIDFILE")
	trap 'kill "$qemu_pid" 2>/dev/null' EXIT
	trap 'exit 130' HUP TERM
	echo "brinch: QEMU (pid $qemu_pid) paused, gdb stub on port $GDBPORT."
	echo "brinch: console output goes to $CONSOLE_LOG (watch it: tail -f $CONSOLE_LOG)."
	echo "brinch: to type into brinch's shell, use 'make gdb-server' + 'make gdb-attach' instead."
	echo "brinch: QEMU stops when gdb quits."
	run_gdb
	;;
qemu)
	echo "brinch: paused, waiting for gdb on port $GDBPORT: run 'make gdb-attach' in another terminal."
	echo "brinch: console on this terminal. Type 'halt' or press Ctrl-A then X to quit."
	# The console as `make run` has it (not -nographic, whose firmware
	# console would read what is typed before boot).
	# shellcheck disable=SC2086
	$QEMU $QEMUFLAGS -display none -serial mon:stdio -kernel "$KERNEL" -initrd "$INITRD" \
		-append "$CMDLINE" -S -gdb "$GDBSTUB"
	# `halt` exits through isa-debug-exit with status 1: that is success.
	s=$?
	[ $s -eq 0 ] || [ $s -eq 1 ] || { echo "qemu exited with status $s"; exit $s; }
	;;
attach)
	run_gdb
	;;
*)
	echo "usage: sh tools/gdb/session.sh gdb|qemu|attach" >&2
	exit 2
	;;
esac
