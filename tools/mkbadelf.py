#!/usr/bin/python3
# mkbadelf.py: corrupt copies of a good ELF32 program (build/bin/true), for
# the initrd's /badelf/ directory, which usertests' exec_corrupt_elf execs
# in the running kernel (docs/testing.md).  Each name says what is wrong;
# tests/unit/test_elf.c checks the same rules on the host.
#   mkbadelf.py GOOD OUTDIR
"""Write OUTDIR/<name> for each corruption of the ELF file GOOD."""

import os
import struct
import sys

EH = struct.Struct("<16sHHIIIIIHHHHHH")       # the ELF32 file header
PH = struct.Struct("<IIIIIIII")               # one program header
PT_LOAD = 1


def headers(data):
    eh = list(EH.unpack_from(data, 0))
    phoff, phnum = eh[5], eh[10]
    return eh, [list(PH.unpack_from(data, phoff + i * PH.size)) for i in range(phnum)]


def rebuild(data, eh, phs):
    """data with header eh and program headers phs, the latter where
    data's own header puts them."""
    out = bytearray(data)
    at = EH.unpack_from(data, 0)[5]
    EH.pack_into(out, 0, *eh)
    for i, ph in enumerate(phs):
        PH.pack_into(out, at + i * PH.size, *ph)
    return bytes(out)


def variants(data):
    """name -> corrupted bytes.  Field indexes: eh[4] entry, eh[5] phoff,
    eh[10] phnum; ph[0] type, [1] offset, [2] vaddr, [4] filesz, [5] memsz."""
    eh, phs = headers(data)
    loads = [i for i, ph in enumerate(phs) if ph[0] == PT_LOAD]
    first = loads[0]

    def with_ph(index, **fields):
        new = [list(ph) for ph in phs]
        for name, value in fields.items():
            new[index]["type offset vaddr paddr filesz memsz flags align".split().index(name)] = value
        return rebuild(data, eh, new)

    def with_eh(**fields):
        new = list(eh)
        for name, value in fields.items():
            new[{"entry": 4, "phoff": 5, "phnum": 10}[name]] = value
        return rebuild(data, new, phs)

    v = {
        "truncated-header": data[:20],
        "truncated-phdrs": data[:eh[5] + PH.size // 2],
        "phoff-past-end": with_eh(phoff=len(data) + 64),
        "phnum-huge": with_eh(phnum=0xFFFF),
        "segment-past-end": with_ph(first, offset=len(data) - 16),
        "filesz-over-memsz": with_ph(first, filesz=phs[first][5] + 4096),
        "vaddr-kernel-half": with_ph(first, vaddr=0xC0000000),
        "memsz-into-kernel": with_ph(first, memsz=0xC0000000 - phs[first][2] + 4096),
        "entry-outside": with_eh(entry=0x70000000),
        "all-segments-empty": rebuild(data, eh, [ph[:5] + [0] + ph[6:] if ph[0] == PT_LOAD else ph
                                                 for ph in phs]),
        "segment-1gib": with_ph(loads[-1], vaddr=0x20000000, memsz=0x40000000, filesz=0),
    }
    if len(loads) > 1:
        # The second segment on top of the first: loads, but the program
        # has no .bss where it expects one (it may run or be killed).
        v["segments-overlap"] = with_ph(loads[1], vaddr=phs[first][2])
        # An empty segment beside good ones is skipped: the program runs.
        v["extra-empty-segment"] = rebuild(data, eh, phs[:loads[1]] + [
            phs[loads[1]][:5] + [0] + phs[loads[1]][6:]] + phs[loads[1] + 1:])
    return v


def main():
    good, outdir = sys.argv[1], sys.argv[2]
    with open(good, "rb") as f:
        data = f.read()
    os.makedirs(outdir, exist_ok=True)
    for name, blob in variants(data).items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    main()
