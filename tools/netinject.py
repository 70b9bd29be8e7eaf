#!/usr/bin/python3
# netinject.py: puts malformed Ethernet frames on a vde switch, addressed to
# one brinch node, to show that nothing the network sends can crash the
# kernel.  Used by tests/integration/test_net_robust.py; runnable by hand:
#   python3 tools/netinject.py --switch build/cluster/switch --count 100000
"""Inject truncated, oversized, bad-checksum and random frames.

Every frame goes to the target's MAC (or broadcast) from a made-up station
(02:00:00:00:00:66, 10.0.0.66), through vde_plug (brinchnet.Plug).  The mix,
chosen by a seeded random generator so that a run can be repeated:

  truncated   a well-formed ARP/IPv4/ICMP/UDP frame cut short anywhere
  oversized   frames longer than 1514 bytes, and IPv4/UDP headers whose
              length fields claim more than the frame holds
  checksum    IPv4, ICMP and UDP packets with one checksum wrong
  header      IPv4 fragments, bad versions/IHL, options, group sources,
              ARP with wrong sizes or opcodes, 802.3 length frames
  random      random bytes after a random EtherType (IPv4 and ARP half the
              time), some of random length

and, with --fragments, IPv4 fragments meant to hurt reassembly (see
fragment_attacks): overlapping, past 65535, middle fragments not a
multiple of 8, and floods of datagrams that never complete.
"""

import argparse
import json
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SRC_MAC = bytes.fromhex("020000000066")
SRC_IP = bytes([10, 0, 0, 66])
BROADCAST = b"\xff" * 6


def checksum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ether(dst, ethertype, payload):
    return dst + SRC_MAC + struct.pack("!H", ethertype) + payload


def ipv4(dst_ip, proto, payload, ttl=64, flags_frag=0x4000, total=None, ihl=5,
         version=4, options=b"", src=SRC_IP, good_sum=True, ident=0x1234):
    total = total if total is not None else ihl * 4 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total & 0xFFFF, ident,
                      flags_frag, ttl, proto, 0, src, dst_ip) + options
    s = checksum(hdr)
    if not good_sum:
        s ^= 0x5A5A or 1
    return hdr[:10] + struct.pack("!H", s) + hdr[12:] + payload


def udp(dst_ip, sport, dport, data, good_sum=True, length=None):
    length = length if length is not None else 8 + len(data)
    pseudo = SRC_IP + dst_ip + struct.pack("!BBH", 0, 17, 8 + len(data))
    hdr = struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0)
    s = checksum(pseudo + hdr + data) or 0xFFFF
    if not good_sum:
        s = (s + 1) & 0xFFFF or 1
    return hdr[:6] + struct.pack("!H", s) + data


def icmp_echo(ident, seq, data, good_sum=True):
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    s = checksum(hdr + data)
    if not good_sum:
        s ^= 0x0F0F
    return hdr[:2] + struct.pack("!H", s) + hdr[4:] + data


def arp(op, target_ip, sha=SRC_MAC, spa=SRC_IP, hlen=6, plen=4, htype=1, ptype=0x0800):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + spa + b"\0" * 6 + target_ip


def ip_fragments(dst_ip, proto, payload, ident, size, src=SRC_IP):
    """payload (a transport header and data) cut into IPv4 fragments of
    size bytes each (a multiple of 8), as a sender would: [(offset, more,
    bytes of the IP packet)]."""
    out = []
    for off in range(0, len(payload), size):
        more = off + size < len(payload)
        out.append(ipv4(dst_ip, proto, payload[off:off + size], src=src, ident=ident,
                        flags_frag=(0x2000 if more else 0) | off // 8))
    return out


def fragment_attacks(mac, ip, flood=400, seed=1):
    """Frames that attack reassembly, for node (mac, ip): {kind: [frame]}.
    Each kind uses identifications of its own, so what one does cannot
    complete or spoil another's datagram."""
    rnd = random.Random(seed)
    mac = bytes.fromhex(mac.replace(":", ""))
    ip = bytes(int(x) for x in ip.split("."))
    frame = lambda packet: ether(mac, 0x0800, packet)
    data = bytes(rnd.randrange(256) for _ in range(4000))
    kinds = {}
    # Two fragments whose bytes overlap (RFC 5722: drop the datagram),
    # then the rest, which must not complete it.
    kinds["overlap"] = [frame(ipv4(ip, 17, data[:16], ident=0x5001, flags_frag=0x2000)),
                        frame(ipv4(ip, 17, data[:24], ident=0x5001, flags_frag=0x2001)),
                        frame(ipv4(ip, 17, data[:8], ident=0x5001, flags_frag=0x0004))]
    # Offsets reach 65528: a fragment ending past 65535 (ping of death).
    kinds["too_long"] = [frame(ipv4(ip, 1, data[:16], ident=0x5002, flags_frag=0x2000)),
                         frame(ipv4(ip, 1, data[:40], ident=0x5002, flags_frag=8189))]
    # A middle fragment (MF set) that is not a multiple of 8 bytes.
    kinds["bad_size"] = [frame(ipv4(ip, 17, data[:13], ident=0x5003 + i, flags_frag=0x2000 | i))
                         for i in range(5)]
    # Many datagrams, each one first fragment only: more than there are
    # slots for datagrams in progress.
    kinds["flood_ids"] = [frame(ipv4(ip, 17, data[:1480], ident=0x6000 + i, flags_frag=0x2000))
                          for i in range(flood)]
    # A few datagrams of many fragments, never the last: more than the
    # buffer budget.
    kinds["flood_bufs"] = [frame(ipv4(ip, 17, data[:1480], ident=0x7000 + d,
                                      flags_frag=0x2000 | k * 185))
                           for d in range(12) for k in range(30)]
    # And one well-formed datagram in fragments, out of order: a UDP
    # datagram to the discard port (closed here) that must be reassembled.
    payload = udp(ip, 4000, 9, data[:3000])
    frags = ip_fragments(ip, 17, payload, 0x5100, 1480)
    kinds["good"] = [frame(f) for f in reversed(frags)]
    # Last, one small unfragmented datagram to the same closed port: once
    # the node has counted it, it has seen (or lost) everything before it.
    kinds["end"] = [frame(ipv4(ip, 17, udp(ip, 4000, 9, b"end")))]
    return kinds


class Generator:
    def __init__(self, mac, ip, seed):
        self.mac = mac
        self.ip = ip
        self.rnd = random.Random(seed)

    def good(self):
        """A well-formed frame of some kind (to be damaged by the caller)."""
        r, ip = self.rnd, self.ip
        kind = r.randrange(4)
        if kind == 0:
            return ether(BROADCAST, 0x0806, arp(1, ip))
        if kind == 1:
            return ether(self.mac, 0x0800, ipv4(ip, 1, icmp_echo(r.randrange(65536), 1,
                                                                 os.urandom(r.randrange(64)))))
        data = os.urandom(r.randrange(200))
        return ether(self.mac, 0x0800, ipv4(ip, 17, udp(ip, 4000, r.choice((7, 9, 53, 4444)), data)))

    def truncated(self):
        f = self.good()
        return f[:self.rnd.randrange(len(f))]

    def oversized(self):
        r, ip = self.rnd, self.ip
        kind = r.randrange(4)
        if kind == 0:                    # longer than any Ethernet frame
            return ether(self.mac, 0x0800, os.urandom(r.randrange(1501, 2100)))
        if kind == 1:                    # IPv4 total length beyond the frame
            return ether(self.mac, 0x0800, ipv4(ip, 17, udp(ip, 1, 7, b"x" * 20),
                                                total=r.randrange(49, 65536)))
        if kind == 2:                    # UDP length beyond the packet
            return ether(self.mac, 0x0800, ipv4(ip, 17, udp(ip, 1, 7, b"y" * 20,
                                                            length=r.randrange(29, 65536))))
        # IHL beyond the packet
        return ether(self.mac, 0x0800, ipv4(ip, 17, b"z" * 4, ihl=15))

    def bad_checksum(self):
        r, ip = self.rnd, self.ip
        kind = r.randrange(3)
        if kind == 0:
            return ether(self.mac, 0x0800, ipv4(ip, 17, udp(ip, 5, 7, b"ip"), good_sum=False))
        if kind == 1:
            return ether(self.mac, 0x0800, ipv4(ip, 1, icmp_echo(7, 7, b"icmp", good_sum=False)))
        return ether(self.mac, 0x0800, ipv4(ip, 17, udp(ip, 5, 7, b"udp" * r.randrange(1, 9),
                                                        good_sum=False)))

    def bad_header(self):
        r, ip = self.rnd, self.ip
        payload = udp(ip, 5, 7, b"frag")
        kind = r.randrange(8)
        if kind == 0:                    # a fragment (MF, or an offset)
            return ether(self.mac, 0x0800, ipv4(ip, 17, payload,
                                                flags_frag=r.choice((0x2000, 0x0001, 0x20FF))))
        if kind == 1:
            return ether(self.mac, 0x0800, ipv4(ip, 17, payload, version=r.choice((0, 5, 6, 15))))
        if kind == 2:
            return ether(self.mac, 0x0800, ipv4(ip, 17, payload, ihl=r.randrange(0, 5)))
        if kind == 3:                    # options (legal: must be skipped correctly)
            return ether(self.mac, 0x0800, ipv4(ip, 17, payload, ihl=6, options=b"\x01\x01\x01\x00"))
        if kind == 4:                    # a multicast or broadcast source
            return ether(self.mac, 0x0800, ipv4(ip, 17, payload,
                                                src=r.choice((bytes([224, 0, 0, 1]), b"\xff" * 4))))
        if kind == 5:                    # ARP with wrong sizes, types or opcode
            return ether(BROADCAST, 0x0806, arp(r.choice((0, 3, 9)), ip, hlen=r.choice((6, 8)),
                                                plen=r.choice((4, 16)), htype=r.choice((1, 6))))
        if kind == 6:                    # ARP claiming a group MAC
            return ether(BROADCAST, 0x0806, arp(1, ip, sha=b"\x01\x00\x5e\x00\x00\x01"))
        return ether(self.mac, r.randrange(46, 1501), os.urandom(46))   # 802.3 length

    def random(self):
        r = self.rnd
        etype = r.choice((0x0800, 0x0806, r.randrange(65536)))
        n = r.randrange(0, 1600) if r.randrange(4) == 0 else r.randrange(20, 120)
        dst = self.mac if r.randrange(8) else BROADCAST
        return ether(dst, etype, os.urandom(n))

    def frames(self, count):
        kinds = (("truncated", self.truncated), ("oversized", self.oversized),
                 ("checksum", self.bad_checksum), ("header", self.bad_header),
                 ("random", self.random))
        for i in range(count):
            name, make = kinds[i % len(kinds)]
            yield name, make()


def send_paced(plug, frames, batch=100, pause=0.004):
    """Send frames in batches, pausing between them as inject() does."""
    for i, f in enumerate(frames):
        plug.send(f)
        if (i + 1) % batch == 0:
            plug.flush()
            time.sleep(pause)
    plug.flush()


def inject(plug, mac, ip, count, seed=1, batch=200, pause=0.004):
    """Send count frames through plug in batches; return {kind: count}."""
    gen = Generator(bytes.fromhex(mac.replace(":", "")), bytes(int(x) for x in ip.split(".")),
                    seed)
    sent = {}
    for i, (kind, frame) in enumerate(gen.frames(count)):
        plug.send(frame)
        sent[kind] = sent.get(kind, 0) + 1
        if (i + 1) % batch == 0:
            plug.flush()
            time.sleep(pause)       # let the guest keep up: we test handling, not loss
    plug.flush()
    return sent


def main():
    from brinchnet import Plug, Switch
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switch", required=True, help="vde_switch socket directory")
    ap.add_argument("--mac", default="52:54:00:12:34:01")
    ap.add_argument("--ip", default="10.0.0.1")
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fragments", action="store_true",
                    help="send the reassembly attacks instead")
    args = ap.parse_args()
    sw = Switch(args.switch)
    plug = Plug(sw)
    try:
        start = time.monotonic()
        if args.fragments:
            sent = {}
            for kind, frames in fragment_attacks(args.mac, args.ip, seed=args.seed).items():
                send_paced(plug, frames)
                sent[kind] = len(frames)
        else:
            sent = inject(plug, args.mac, args.ip, args.count, args.seed)
        sent["seconds"] = round(time.monotonic() - start, 2)
        print(json.dumps(sent))
    finally:
        plug.close()


if __name__ == "__main__":
    main()
