# onc.py: ONC RPC messages (RFC 5531) built and parsed by hand on the host,
# independently of brinch's C code, for the RPC tests: well-formed calls,
# and the malformed ones a server must drop, deny or answer with an error.
# Datagrams reach a node through the test switch (brinchnet.Plug).
"""Host-side ONC RPC for tests.

    wire = Wire(cluster.plug(), cluster[2].ip, cluster[2].mac)
    reply = wire.call(111, call(7, 100000, 2, 0))       # NULL to the portmapper
    parse_reply(reply)["accept"] == SUCCESS
"""

import os
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import brinchnet  # noqa: E402
from netinject import SRC_IP, SRC_MAC, arp, ether, ipv4, udp  # noqa: E402

CALL, REPLY = 0, 1
MSG_ACCEPTED, MSG_DENIED = 0, 1
SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR = range(6)
RPC_MISMATCH, AUTH_ERROR = 0, 1
AUTH_NONE, AUTH_SYS = 0, 1

PMAP_PROG, PMAP_PORT = 100000, 111
VEC_PROG, COUNTER_PROG, RPS_PROG, RFILE_PROG, ECHO_PROG = range(0x20000b01, 0x20000b06)


def u32(*values):
    return b"".join(struct.pack("!I", v & 0xFFFFFFFF) for v in values)


def opaque(data):
    """Variable-length opaque (RFC 4506 4.10): length, bytes, zero padding."""
    return u32(len(data)) + data + b"\0" * (-len(data) % 4)


def auth_sys(stamp=1, machine=b"host", uid=0, gid=0, gids=()):
    """An AUTH_SYS credential body (RFC 5531 appendix A)."""
    return (u32(stamp) + opaque(machine) + u32(uid, gid, len(gids)) + u32(*gids))


def call(xid, prog, vers, proc, args=b"", rpcvers=2, mtype=CALL,
         cred=(AUTH_NONE, b""), verf=(AUTH_NONE, b"")):
    """A call message (RFC 5531 section 9), any field forgeable."""
    return (u32(xid, mtype, rpcvers, prog, vers, proc) + u32(cred[0]) + opaque(cred[1])
            + u32(verf[0]) + opaque(verf[1]) + args)


def parse_reply(data):
    """A reply's header as a dict, with "body" the bytes after it; None if
    it is not a well-formed reply."""
    def take(n):
        nonlocal pos
        if pos + n > len(data):
            raise ValueError("short")
        pos += n
        return data[pos - n:pos]

    def word():
        return struct.unpack("!I", take(4))[0]

    pos = 0
    try:
        r = {"xid": word(), "mtype": word()}
        if r["mtype"] != REPLY:
            return None
        r["stat"] = word()
        if r["stat"] == MSG_DENIED:
            r["reject"] = word()
            if r["reject"] == RPC_MISMATCH:
                r["low"], r["high"] = word(), word()
            else:
                r["auth"] = word()
        else:
            word()                                  # verifier flavor
            take((word() + 3) & ~3)                 # verifier body
            r["accept"] = word()
            if r["accept"] == PROG_MISMATCH:
                r["low"], r["high"] = word(), word()
        r["body"] = data[pos:]
        return r
    except ValueError:
        return None


def hyper(body):
    return struct.unpack("!Q", body[:8])[0]


class Wire:
    """Calls from a made-up station (netinject's 10.0.0.66) on the switch
    to one node, as raw Ethernet frames through a vde_plug."""

    def __init__(self, plug, ip, mac, sport=40000):
        self.plug = plug
        self.ip = bytes(int(x) for x in ip.split("."))
        self.mac = bytes.fromhex(mac.replace(":", ""))
        self.sport = sport
        # Ask for the node's address: it answers, and (RFC 826's merge)
        # learns ours, so its replies come straight back.
        self.plug.send(ether(b"\xff" * 6, 0x0806, arp(1, self.ip)))
        self.plug.flush()
        time.sleep(0.2)

    def send(self, dport, payload, sport=None):
        frame = ether(self.mac, 0x0800,
                      ipv4(self.ip, 17, udp(self.ip, sport or self.sport, dport, payload)))
        self.plug.send(frame)
        self.plug.flush()

    def replies(self, dport, timeout=1.0, sport=None, first=False):
        """Every UDP payload from the node's port dport to ours within
        timeout seconds (or just the first)."""
        out, deadline = [], time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            frame = self.plug.recv(left)
            if frame is None:
                return out
            if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
                continue
            ihl = (frame[14] & 15) * 4
            ip, u = frame[14:14 + ihl], frame[14 + ihl:]
            src_port, dst_port = struct.unpack("!HH", u[:4])
            if ip[12:16] == self.ip and ip[16:20] == SRC_IP and src_port == dport and \
                    dst_port == (sport or self.sport):
                out.append(u[8:struct.unpack("!H", u[4:6])[0]])
                if first:
                    return out

    def call(self, dport, payload, timeout=2.0, sport=None):
        """Send one datagram; the first reply, or None."""
        self.send(dport, payload, sport)
        got = self.replies(dport, timeout, sport, first=True)
        return got[0] if got else None


# tshark guesses UDP protocols by port first, and a Linux client's reserved
# port (bindresvport picks one below 1024) can belong to something else
# (port 910 is KINK's): try the RPC heuristics first, and decode programs
# Wireshark has no dissector for as plain RPC.
# The made-up station's traffic: malformed on purpose in the tests.
NOT_CRAFTED = "!(ip.addr == 10.0.0.66)"
# With heuristics first, RTCP's guesser (two version bits and a packet
# type) also claims about one random XID in a few hundred, and then calls
# the RPC message malformed RTCP: leave it out.
TSHARK_RPC = ["-o", "udp.try_heuristic_first:TRUE", "-o", "rpc.dissect_unknown_programs:TRUE",
              "--disable-heuristic", "rtcp_udp"]


def tshark_problems(pcap, display_filter=None):
    """brinchnet.tshark_problems, decoding RPC on brinch's ports too."""
    return brinchnet.tshark_problems(pcap, TSHARK_RPC, display_filter)


def tshark_calls(pcap):
    """The set of (program, version, procedure) of every RPC call seen."""
    argv = ["tshark", "-r", pcap] + TSHARK_RPC + [
        "-Y", "rpc.msgtyp == 0", "-T", "fields", "-E", "occurrence=f",
        "-e", "rpc.program", "-e", "rpc.programversion", "-e", "rpc.procedure"]
    res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    return {tuple(int(v) for v in l.split("\t")) for l in res.stdout.splitlines()
            if l.strip()}


__all__ = ["call", "parse_reply", "Wire", "u32", "opaque", "auth_sys", "hyper", "SRC_MAC",
           "tshark_problems", "tshark_calls"]
