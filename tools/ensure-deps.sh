#!/bin/sh
# ensure-deps.sh: checks that the host has every tool brinch's build and tests
# need, and installs the missing Debian packages.  Run by `make deps` (before
# run/test/bench) and by .ci/run.  Silent and apt-free when nothing is missing.
#
# Usage: sh tools/ensure-deps.sh [COMMAND[:PACKAGE]]...
#   Each extra argument is one more command to require (its package defaults
#   to the command's name), e.g. `sh tools/ensure-deps.sh make cpio`.
#   `make test` and the gdb targets (make gdb, qemu-gdb, gdb-attach) add
#   `gdb`: tests/integration/test_gdb.py needs it; `make run` does not.

set -u

missing=""      # Debian packages to install, space separated
npm_missing=""  # npm packages to install globally (COMMAND:npm:PACKAGE)
what=""         # human-readable list of what was missing

need() {        # need PACKAGE WHAT: remember a package to install
	case " $missing " in
	*" $1 "*) ;;
	*) missing="$missing $1" ;;
	esac
	what="$what $2"
}

have() {        # have COMMAND: is it on PATH?  (a /path: does that file exist?)
	case "$1" in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

check_all() {
	missing=""
	npm_missing=""
	what=""
	# A bare-metal i686-elf cross compiler is preferred by the Makefile,
	# but Debian's i686-linux-gnu one works just as well.
	if ! have i686-elf-gcc; then
		have i686-linux-gnu-gcc || need gcc-i686-linux-gnu i686-linux-gnu-gcc
		have i686-linux-gnu-ld || need binutils-i686-linux-gnu i686-linux-gnu-ld
	fi
	have gcc || need gcc gcc           # host compiler for tests/unit
	have make || need make make
	have nasm || need nasm nasm
	have qemu-system-i386 || need qemu-system-x86 qemu-system-i386
	have grub-mkrescue || need grub-common grub-mkrescue
	# grub-mkrescue needs the BIOS (i386-pc) modules to make a bootable ISO.
	[ -d /usr/lib/grub/i386-pc ] || need grub-pc-bin /usr/lib/grub/i386-pc
	have xorriso || need xorriso xorriso
	have mformat || need mtools mformat
	[ -x /usr/bin/python3 ] || need python3 /usr/bin/python3
	if ! /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1; then
		need python3-pytest python3-pytest
	fi
	# The network (docs/network.md): a virtual switch and lossy cable,
	# namespaces and a ping for the Linux interoperability test, and
	# tshark to decode the captures.
	have vde_switch || need vde2 vde_switch
	have wirefilter || need vde2 wirefilter
	have ip || need iproute2 ip
	have ping || need iputils-ping ping
	have tshark || need tshark tshark
	for extra in "$@"; do
		cmd=${extra%%:*}
		pkg=${extra#*:}
		case "$pkg" in
		npm:*)	# from the npm registry, by Debian's npm
			have "$cmd" && continue
			have npm || need npm npm
			npm_missing="$npm_missing ${pkg#npm:}"
			what="$what $cmd" ;;
		*)	have "$cmd" || need "$pkg" "$cmd" ;;
		esac
	done
}

check_all "$@"
[ -z "$missing$npm_missing" ] && exit 0

echo "ensure-deps: missing:$what" >&2
cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y$missing"
[ -z "$npm_missing" ] || cmd="$cmd && npm install -g$npm_missing"
if [ "$(id -u)" -eq 0 ]; then
	run=""
elif have sudo && sudo -n true >/dev/null 2>&1; then
	run="sudo -n"
else
	echo "ensure-deps: not root and no password-less sudo; please run:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi

echo "ensure-deps: installing:$missing$npm_missing" >&2
[ -z "$missing" ] || $run apt-get update -q >&2 || exit 1
# tshark asks whether to let non-root users capture; say no, unattended.
case " $missing " in
*" tshark "*)
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
	    $run debconf-set-selections ;;
esac
# shellcheck disable=SC2086  # $missing is a word list on purpose
[ -z "$missing" ] || $run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 || exit 1
# shellcheck disable=SC2086
[ -z "$npm_missing" ] || $run npm install -g --no-fund --no-audit $npm_missing >&2 || exit 1

# Unless asked for (see Usage), gdb is optional: mention it, do not install it.
have gdb || echo "ensure-deps: note: gdb is not installed (needed by make test and make gdb)" >&2

check_all "$@"
if [ -n "$missing$npm_missing" ]; then
	echo "ensure-deps: still missing after install:$what" >&2
	exit 1
fi
echo "ensure-deps: all dependencies installed" >&2
exit 0
