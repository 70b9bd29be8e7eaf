# brinch: build, run and test a teaching microkernel for 32-bit x86.
# `make` builds build/kernel.elf, the user programs, build/initrd.cpio and
# build/brinch.iso.  `make run` boots it; `make test` runs every test.

# ---- toolchain -----------------------------------------------------------
# Prefer a bare-metal i686-elf cross compiler, else Debian's i686-linux-gnu.
# These are read when make starts, so a target that installs them first
# (`make deps`, see "running" below) builds in a second make.  Never the
# host's gcc: $(BUILD)/toolchain stops the build if no cross compiler is found.
TOOLPREFIX ?= $(shell if i686-elf-gcc --version >/dev/null 2>&1; then echo i686-elf-; \
	elif i686-linux-gnu-gcc --version >/dev/null 2>&1; then echo i686-linux-gnu-; fi)
CC      := $(TOOLPREFIX)gcc
LD      := $(TOOLPREFIX)ld
AR      := $(TOOLPREFIX)ar
NM      := $(TOOLPREFIX)nm
NASM    ?= nasm
HOSTCC  ?= gcc
PYTHON  ?= /usr/bin/python3
QEMU    ?= qemu-system-i386

OPT     ?= -O2
# Freestanding: no libc, no PIE, no stack protector, no SSE/x87 code
# generation; frame pointers kept so a panic can print a backtrace.
CFLAGS  := -m32 -march=i686 -std=gnu11 $(OPT) -g -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-fno-pie -fno-pic -fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 -fno-builtin -fno-strict-aliasing \
	-fno-delete-null-pointer-checks \
	-Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
	-Iinclude -I.
NASMFLAGS := -f elf32 -g -F dwarf
LDFLAGS := -m elf_i386 -nostdlib -z noexecstack
# libgcc supplies 64-bit division (__udivdi3) and nothing that needs an OS.
LIBGCC  := $(shell $(CC) -m32 -print-libgcc-file-name 2>/dev/null)

BUILD   := build

# $(BUILD)/toolchain names the compiler, binutils and assembler, where they
# are and their versions.  Every object depends on it, and it is rewritten
# only when that changes: a new compiler rebuilds what the old one built
# (a fresh machine's first make may have used another one).
TOOLS = $(CC) $(LD) $(AR) $(NM) $(NASM)
$(BUILD)/toolchain: FORCE
	@if [ -z "$(TOOLPREFIX)" ] || ! command -v $(CC) >/dev/null || ! command -v $(LD) >/dev/null; then \
	  echo "make: no i686 cross compiler found (i686-elf-gcc or i686-linux-gnu-gcc and its ld);" \
	       "'make deps' installs one (the host's gcc cannot build brinch)" >&2; exit 1; fi
	@mkdir -p $(dir $@)
	@for t in $(TOOLS); do \
	  p=$$(command -v $$t) || { echo "make: $$t not found; 'make deps' installs it" >&2; exit 1; }; \
	  echo "$$t $$(readlink -f $$p) $$($$t --version 2>&1 | head -n 1)"; \
	 done > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
FORCE:

# ---- kernel --------------------------------------------------------------
KERNEL_C   := $(wildcard kernel/*.c kernel/*/*.c drivers/*.c lib/*.c)
KERNEL_ASM := $(wildcard boot/*.asm kernel/*.asm)
KERNEL_OBJ := $(patsubst %.asm,$(BUILD)/%.o,$(filter boot/%,$(KERNEL_ASM))) \
	$(patsubst %.asm,$(BUILD)/%.o,$(filter-out boot/%,$(KERNEL_ASM))) \
	$(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C))
KCFLAGS := $(CFLAGS) -DKERNEL -Ikernel -Idrivers

$(BUILD)/%.o: %.c $(BUILD)/toolchain
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter user/%,$<),$(UCFLAGS),$(KCFLAGS)) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm $(BUILD)/toolchain
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -Iinclude/ $< -o $@

# Two-pass link for symbolic backtraces: link once with an empty symbol
# table, extract the symbols with nm, then link again with the table in
# the last section, so no earlier address moves.
$(BUILD)/kernel.elf: $(KERNEL_OBJ) kernel/kernel.ld tools/mksyms.py
	$(CC) $(KCFLAGS) -c tools/ksyms_empty.c -o $(BUILD)/ksyms0.o
	$(LD) $(LDFLAGS) -T kernel/kernel.ld -o $(BUILD)/kernel0.elf $(KERNEL_OBJ) $(BUILD)/ksyms0.o $(LIBGCC)
	$(NM) -n $(BUILD)/kernel0.elf | $(PYTHON) tools/mksyms.py > $(BUILD)/ksyms.c
	$(CC) $(KCFLAGS) -c $(BUILD)/ksyms.c -o $(BUILD)/ksyms.o
	$(LD) $(LDFLAGS) -T kernel/kernel.ld -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms.o $(LIBGCC)
	@$(NM) $(BUILD)/kernel0.elf | grep -v -e ' ksym' -e ' kernel_end$$' > $(BUILD)/syms0.txt; \
	 $(NM) $@ | grep -v -e ' ksym' -e ' kernel_end$$' > $(BUILD)/syms1.txt; \
	 cmp -s $(BUILD)/syms0.txt $(BUILD)/syms1.txt || { echo "kernel symbols moved between link passes"; exit 1; }

# ---- user space ----------------------------------------------------------
UCFLAGS := $(CFLAGS) -Iuser/include
ULIB_C   := $(wildcard user/lib/*.c) lib/string.c lib/format.c
ULIB_ASM := $(wildcard user/lib/*.asm)
ULIB_OBJ := $(patsubst %.asm,$(BUILD)/%.o,$(ULIB_ASM)) \
	$(patsubst lib/%.c,$(BUILD)/user/shared/%.o,$(filter lib/%,$(ULIB_C))) \
	$(patsubst %.c,$(BUILD)/%.o,$(filter user/%,$(ULIB_C)))
# A program is user/bin/NAME.c, or a directory user/bin/NAME/ of .c files.
UPROG_DIRS := $(patsubst user/bin/%/,%,$(sort $(dir $(wildcard user/bin/*/*.c))))
# Linked programs go to build/bin/ (objects stay under build/user/).
UPROGS   := $(patsubst user/bin/%.c,$(BUILD)/bin/%,$(wildcard user/bin/*.c)) \
	$(patsubst %,$(BUILD)/bin/%,$(UPROG_DIRS))
# A one-file program's object is an intermediate of two pattern rules: kept,
# or make would delete every one after each build (a long `rm` line) and
# compile them all again when one program changes.
.SECONDARY: $(patsubst user/bin/%.c,$(BUILD)/user/bin/%.o,$(wildcard user/bin/*.c))

# Shared lib/ sources are compiled a second time, with user flags.
$(BUILD)/user/shared/%.o: lib/%.c $(BUILD)/toolchain
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/libc.a: $(ULIB_OBJ)
	rm -f $@; $(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/user/bin/%.o $(BUILD)/user/libc.a user/user.ld
	@mkdir -p $(dir $@)
	$(LD) $(LDFLAGS) -T user/user.ld -o $@ $(BUILD)/user/lib/crt0.o $< $(BUILD)/user/libc.a $(LIBGCC)

define multi_file_program
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard user/bin/$(1)/*.c)) $(BUILD)/user/libc.a user/user.ld
	@mkdir -p $$(dir $$@)
	$$(LD) $$(LDFLAGS) -T user/user.ld -o $$@ $(BUILD)/user/lib/crt0.o $$(filter %.o,$$^) $(BUILD)/user/libc.a $$(LIBGCC)
endef
$(foreach p,$(UPROG_DIRS),$(eval $(call multi_file_program,$(p))))

# RPC stubs (docs/rpc.md): tools/rpcgen compiles rpc/NAME.x into
# build/rpc/NAME.h, NAME_xdr.c, NAME_clnt.c and NAME_svc.c.  A directory
# program takes what it needs by naming the objects in a comment line of
# one of its sources, e.g. `// rpc: vec_xdr vec_clnt`: they are linked into
# it, and its sources find NAME.h (generated first) on their include path.
RPCGEN_DIR := $(BUILD)/rpc
$(RPCGEN_DIR)/%.h $(RPCGEN_DIR)/%_xdr.c $(RPCGEN_DIR)/%_clnt.c $(RPCGEN_DIR)/%_svc.c: rpc/%.x tools/rpcgen
	$(PYTHON) tools/rpcgen -o $(RPCGEN_DIR) $<
$(RPCGEN_DIR)/%.o: $(RPCGEN_DIR)/%.c $(BUILD)/toolchain
	$(CC) $(UCFLAGS) -I$(RPCGEN_DIR) -MMD -MP -c $< -o $@
.PRECIOUS: $(RPCGEN_DIR)/%.h $(RPCGEN_DIR)/%_xdr.c $(RPCGEN_DIR)/%_clnt.c $(RPCGEN_DIR)/%_svc.c

define rpc_program
$(1)_RPC := $$(shell sed -n 's,^// *rpc: *,,p' user/bin/$(1)/*.c)
ifneq ($$($(1)_RPC),)
$(BUILD)/bin/$(1): $$(patsubst %,$(RPCGEN_DIR)/%.o,$$($(1)_RPC))
$(patsubst %.c,$(BUILD)/%.o,$(wildcard user/bin/$(1)/*.c)): UCFLAGS += -I$(RPCGEN_DIR)
$(patsubst %.c,$(BUILD)/%.o,$(wildcard user/bin/$(1)/*.c)): $$(sort $$(patsubst %,$(RPCGEN_DIR)/%.h,$$(patsubst %_xdr,%,$$(patsubst %_clnt,%,$$(patsubst %_svc,%,$$($(1)_RPC))))))
endif
endef
$(foreach p,$(UPROG_DIRS),$(eval $(call rpc_program,$(p))))

# /badelf: corrupt copies of /bin/true for usertests' exec_corrupt_elf.
$(BUILD)/badelf/.stamp: $(BUILD)/bin/true tools/mkbadelf.py
	rm -rf $(dir $@) && $(PYTHON) tools/mkbadelf.py $< $(dir $@) && touch $@

$(BUILD)/initrd.cpio: $(UPROGS) tools/mkinitrd.py $(wildcard user/files/*) $(BUILD)/badelf/.stamp
	$(PYTHON) tools/mkinitrd.py $@ --dir bin $(UPROGS) --dir etc $(wildcard user/files/*) \
	    --dir badelf $$(ls -d $(BUILD)/badelf/*)

# ---- ISO -----------------------------------------------------------------
$(BUILD)/brinch.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio iso/grub.cfg
	rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/initrd.cpio $(BUILD)/iso/boot/
	cp iso/grub.cfg $(BUILD)/iso/boot/grub/
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

.DEFAULT_GOAL := all
all: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio $(BUILD)/brinch.iso

# ---- running -------------------------------------------------------------
ACCEL   ?= tcg
MEM     ?= 128M
CMDLINE ?=
QEMUFLAGS := -machine pc -accel $(ACCEL) -m $(MEM) -no-reboot -nic none \
	-device isa-debug-exit,iobase=0x501,iosize=1 $(if $(ICOUNT),-icount shift=0$(,)align=off$(,)sleep=off)
, := ,

# gdb is needed by `make test` (tests/integration/test_gdb.py) and the gdb
# targets, not by `make run`.  DEPS_CMD may stand in for the installer (the
# tests do: tests/tools/test_first_run.py).
#
# The targets below that depend on deps build in a second make (`@$(MAKE)
# all` in their recipes), never through a prerequisite: this make read
# which compiler to use when it started, and on a fresh machine that was
# before deps installed the cross compiler.
DEPS_CMD ?= sh tools/ensure-deps.sh
deps:
	@$(DEPS_CMD) $(DEPS_EXTRA)

# A network card for `make run` (docs/network.md): NET is a QEMU -netdev
# backend without id=, e.g. NET=tap,ifname=tap0,script=no,downscript=no or
# NET=vde,sock=build/cluster/switch.  NODE gives node= (address
# 10.0.0.(NODE+1)) and the MAC's last byte, NODE+1 like the address's.
# brinch drives virtio-net's legacy interface: disable-modern=on.
NET     ?=
NODE    ?= 0
NETFLAGS = $(if $(NET),-netdev $(NET)$(,)id=n0 -device virtio-net-pci$(,)netdev=n0$(,)mac=52:54:00:12:34:$(shell printf %02x $$(($(NODE) + 1)))$(,)disable-modern=on)
NETCMDLINE = $(if $(NET),$(if $(findstring node=,$(CMDLINE)),,node=$(NODE)))

# The serial console on this terminal, with QEMU's monitor behind Ctrl-A C
# and Ctrl-A X to quit: what -nographic gives, without its telling the
# firmware there is no screen.  SeaBIOS would then run a serial console of
# its own, which reads (and keeps) whatever was typed or piped before boot.
CONSOLE := -display none -serial mon:stdio
# The second serial port is the kernel's trace port: `trace dump` writes
# there, and QEMU to this file (docs/tracing.md; `make trace-view` reads it).
TRACEPORT := -serial file:$(BUILD)/trace.txt

run: deps
	@$(MAKE) --no-print-directory all
	@echo "brinch: serial console on this terminal. Type 'halt' or press Ctrl-A then X to quit."
	$(QEMU) $(QEMUFLAGS) $(NETFLAGS) $(CONSOLE) $(TRACEPORT) -kernel $(BUILD)/kernel.elf -initrd $(BUILD)/initrd.cpio -append "$(strip $(CMDLINE) $(NETCMDLINE))"; \
	 s=$$?; [ $$s -eq 0 ] || [ $$s -eq 1 ] || echo "qemu exited with status $$s"

run-iso: deps
	@$(MAKE) --no-print-directory all
	@echo "brinch: booting the ISO through GRUB. Type 'halt' or press Ctrl-A then X to quit."
	$(QEMU) $(QEMUFLAGS) $(CONSOLE) -cdrom $(BUILD)/brinch.iso; true

# ---- debugging (docs/gdb.md) ---------------------------------------------
# `make gdb` (or `make qemu-gdb`, the name xv6 users know): QEMU paused in
# the background, gdb in the foreground.  `make gdb-server` here and `make
# gdb-attach` in a second terminal: the same with brinch's console on the
# first terminal.  The port is per user.
GDB     ?= gdb
GDBPORT ?= $(shell expr 26000 + `id -u` % 5000)
GDBENV   = QEMU='$(QEMU)' QEMUFLAGS='$(QEMUFLAGS)' CMDLINE='$(CMDLINE)' GDB='$(GDB)' \
	GDBPORT='$(GDBPORT)' BUILD='$(BUILD)'
gdb qemu-gdb gdb-server gdb-attach: DEPS_EXTRA := gdb
# The Linux RPC interoperability test (docs/rpc.md) builds Linux programs
# with Debian's rpcgen and libtirpc and runs rpcbind; tools-test reads the
# initrd back with GNU cpio.
test: DEPS_EXTRA := gdb rpcgen:rpcsvc-proto rpcinfo:rpcbind /usr/include/tirpc/rpc/rpc.h:libtirpc-dev cpio

gdb qemu-gdb: deps
	@$(MAKE) --no-print-directory all
	@$(GDBENV) sh tools/gdb/session.sh gdb
gdb-server: deps
	@$(MAKE) --no-print-directory all
	@$(GDBENV) sh tools/gdb/session.sh qemu
gdb-attach: deps
	@$(GDBENV) sh tools/gdb/session.sh attach

# ---- tests ---------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/host/%,$(wildcard tests/unit/test_*.c))
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -Iinclude -I. -Ikernel -DHOST_TEST \
	-fsanitize=address,undefined -fno-omit-frame-pointer

$(BUILD)/host/%: tests/unit/%.c tests/unit/unit.h $(wildcard lib/*.c lib/*.h kernel/*.[ch] kernel/*/*.[ch] user/lib/*.c user/bin/*/*.[ch] user/include/rpc/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $< $(shell sed -n 's,^// *uses: *,,p' $<)

unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do $$t; done

# Host-side checks of tools/ (initrd packer, symbol table generator, mklab).
# No .pytest_cache or __pycache__ is left in the source tree.  -rs: a test
# skipped for want of a host tool says so, with its reason, in the summary.
PYTEST := PYTHONDONTWRITEBYTECODE=1 $(PYTHON) -m pytest -p no:cacheprovider -rs

tools-test:
	$(PYTEST) -q tests/tools $(PYTEST_ARGS)

# Boots the kernel under QEMU; serial logs go to build/test-logs/.
integration: deps
	@$(MAKE) --no-print-directory all
	$(PYTEST) -q tests/integration $(PYTEST_ARGS)

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory tools-test
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory labs-check

# The long versions of tests that `make test` runs short (it must stay under
# 10 minutes on 2 cores): 1,000 random migrations under the memory oracle
# instead of 200, and 200,000 hostile migration messages instead of 10,000.
test-long: DEPS_EXTRA := gdb
test-long: deps
	@$(MAKE) --no-print-directory all
	BRINCH_MIGRATE_MOVES=1000 MIGFUZZ_COUNT=200000 $(PYTEST) -q \
	    tests/integration/test_migrate.py tests/integration/test_migrate_fuzz.py $(PYTEST_ARGS)

# The fuzzers at full length (docs/testing.md, "Fuzzing"): `make fuzz
# N=CALLS SEED=S` (default 1,000,000 system calls, seed from the clock),
# then 100,000 hostile RPC messages (RPCFUZZ_SEED=S for others) and
# 100,000 forged remote-mailbox messages (RMFUZZ_SEED=S);
# test_fuzz.py and test_rpc_faults.py run short versions in `make test`.
# N here is the fuzzer's count, not the cluster's node count.
FUZZ_CALLS = $(if $(filter command line environment,$(origin N)),$(N),1000000)
fuzz: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) tools/fuzz.py --calls $(FUZZ_CALLS) $(if $(SEED),--seed $(SEED))
	$(PYTEST) -q -s tests/integration/rpcfuzz_long.py $(PYTEST_ARGS)
	RMFUZZ_COUNT=100000 $(PYTEST) -q tests/integration/test_rmbox_fuzz.py $(PYTEST_ARGS)

# The long versions of the distributed algorithms' tests (docs/dme.md): 40
# entries per node under loss and duplication instead of 6, a token ring
# whose token holder is killed, 1,002 totally ordered multicasts instead of 60,
# adversarial lock orders across nodes under every deadlock policy, 16 nodes,
# and Ricart-Agrawala across two "hosts" (network namespaces).
test-dist: DEPS_EXTRA := socat
test-dist: deps
	@$(MAKE) --no-print-directory all
	BRINCH_DME_LONG=1 $(PYTEST) -q tests/integration/test_dme.py \
	    tests/integration/test_dist_order.py tests/integration/test_deadlock.py \
	    tests/integration/test_net_hosts.py $(PYTEST_ARGS)

# ---- labs (docs/labs/README.md) ------------------------------------------
# `make grade LAB=name` runs a lab's grader (tests/labs/test_lab_NAME.py) on
# this tree and prints `grade NAME: S/100`; in a student tree made by
# tools/mklab, LAB defaults to that tree's lab (.brinch-lab).  `make
# labs-check`: every lab's reference solution scores 100, and every student
# tree builds, boots and scores less.
LAB ?= $(shell cat .brinch-lab 2>/dev/null)
grade labs-check: DEPS_EXTRA := gdb

grade: deps
	@$(MAKE) --no-print-directory all
	@if [ -z "$(LAB)" ]; then echo "make grade: which lab? make grade LAB=syscall|sched|signals|mbox|gdb|migrate|cow|virtio|rpc|dme|dlock"; exit 2; fi
	@$(PYTHON) tools/grade.py $(LAB) $(GRADE_ARGS)

labs-check: deps
	@$(MAKE) --no-print-directory all
	$(PYTEST) -q tests/labs/test_labs_ci.py $(PYTEST_ARGS)

.PHONY: grade labs-check

# ICOUNT=1: instruction counts where one node measures alone (bench.py);
# the two-node drivers cannot count instructions and say so on each line
# (docs/testing.md).  tests/integration/test_bench.py runs the first five, short;
# test_dme.py runs dmebench.py short in `make test-dist`.
bench: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) tools/bench.py $(if $(ICOUNT),--icount)
	$(PYTHON) tools/netbench.py $(if $(ICOUNT),--icount)
	$(PYTHON) tools/distbench.py $(if $(ICOUNT),--icount)
	$(PYTHON) tools/migbench.py $(if $(ICOUNT),--icount)
	$(PYTHON) tools/rpc/rpcbench.py $(if $(ICOUNT),--icount)
	$(PYTHON) tools/dmebench.py $(if $(ICOUNT),--icount)

# ---- a cluster on one host (docs/network.md) -----------------------------
# `make cluster N=3`: a vde_switch and N nodes in the background, consoles in
# tmux (or `python3 tools/cluster.py console K`); `make cluster-stop` ends it.
N ?= 3
cluster: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) tools/cluster.py start -n $(N) $(if $(FIRST),--first $(FIRST)) \
	    $(if $(filter command line,$(origin MEM)),--mem $(MEM)) $(if $(LISTEN),--listen $(LISTEN)) $(if $(JOIN),--join $(JOIN))
cluster-stop:
	$(PYTHON) tools/cluster.py stop
# Several hosts (docs/network.md): one host `make cluster N=8 LISTEN=7777`,
# the next `make cluster N=8 FIRST=8 JOIN=host1:7777`; socat joins the switches.
# `make cluster-ping [NODES=0-15] [PROBE=ping,kmsg]`: the all-pairs matrix.
PROBE ?= ping
cluster-ping:
	$(PYTHON) tools/cluster.py pingall --probe $(PROBE) $(if $(NODES),--nodes $(NODES))
cluster test test-scale: DEPS_EXTRA += socat
.PHONY: cluster-ping test-scale
# All pairs at 16 nodes (make test runs the same at 5).
test-scale: deps
	@$(MAKE) --no-print-directory all
	BRINCH_SCALE_NODES=16 $(PYTEST) -q tests/integration/test_net_scale.py $(PYTEST_ARGS)

# ---- the kernel event trace (docs/tracing.md) ----------------------------
# matplotlib draws the pictures; speedscope (npm) and chromium show a trace
# in a real viewer, which tests/integration/test_trace_viewer.py checks.
TRACE_DEPS := /usr/lib/python3/dist-packages/matplotlib:python3-matplotlib \
	chromium speedscope:npm:speedscope
test: DEPS_EXTRA += $(TRACE_DEPS)
# `make trace-view [TRACE='dump...']`: one node's dump (make run's by
# default) or several nodes' into build/trace.json (Perfetto's UI, or
# chrome://tracing) and build/trace.speedscope.json, opened in speedscope.
TRACE ?= $(BUILD)/trace.txt
trace-view: DEPS_EXTRA := speedscope:npm:speedscope
trace-view: deps
	$(PYTHON) tools/trace chrome $(BUILD)/trace.json $(TRACE)
	$(PYTHON) tools/trace speedscope $(BUILD)/trace.speedscope.json $(TRACE)
	@echo "trace-view: $(BUILD)/trace.json opens in Perfetto's UI (ui.perfetto.dev: Open trace file; it stays on this machine)"
	speedscope $(BUILD)/trace.speedscope.json || echo "trace-view: open $(BUILD)/trace.speedscope.json in speedscope yourself"
# schedtest under each policy, the philosophers and lamport across three
# nodes: dumps, viewer files and pictures in build/trace-demo/.
trace-demo: DEPS_EXTRA := /usr/lib/python3/dist-packages/matplotlib:python3-matplotlib
trace-demo: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) tools/tracedemo.py
# The trace's tests alone (all of them are also in make test).
test-trace: DEPS_EXTRA := $(TRACE_DEPS)
test-trace: deps
	@$(MAKE) --no-print-directory all
	$(PYTEST) -q tests/tools/test_trace_tool.py tests/integration/test_trace.py \
	    tests/integration/test_trace_viewer.py $(PYTEST_ARGS)

clean:
	rm -rf $(BUILD)

.PHONY: all deps FORCE run run-iso unit tools-test integration test test-long test-dist fuzz bench clean cluster cluster-stop gdb qemu-gdb gdb-server gdb-attach
.PHONY: trace-view trace-demo test-trace
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
