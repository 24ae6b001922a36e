#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Input packets for the hb-fwd end-to-end tests, standard library only.

Sets (deterministic for a given seed):
  mixed  valid IPv4 UDP/TCP/ICMP of many sizes (jumbo included), IPv4
         options, Ethernet padding, fragments, bad checksums; malformed
         frames (truncated Ethernet/IPv4/UDP, bad version, bad IHL, bad
         total length, TTL 0/1, non-IPv4); VXLAN and non-VXLAN for decap.
  huge   frames around the largest size VXLAN can encapsulate.
  router route with --ip: ARP, TTL expiry, ICMP rules.
  frag   for frag mode at MTU 576 and 1500: packets that fit, UDP and
         ICMP (valid checksums) of 1 to 20 kB, DF, IPv4 options copied or
         not, packets that are fragments already, Ethernet padding,
         malformed and non-IPv4 frames over the MTU.
  reasm  fragment streams (cut here, not by hb-fwd or the model): in
         order, reversed, shuffled, duplicated, overlapping, missing a
         piece, oversize, tiny, multi-segment, interleaved, more than 8,
         same id with another protocol, padded, with options, malformed;
         and packets that are not fragments.

Usage: gen_pcap.py SET OUT.pcap [--seed N] [--names OUT.txt]
"""

import argparse
import random
import struct
import sys

import model
import pcapio


def mac(rng):
    # Locally administered unicast.
    return bytes([0x02 | (rng.randrange(256) & 0xFC)]) + \
        bytes(rng.randrange(256) for _ in range(5))


def payload(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def eth(rng, ethertype, dst=None, src=None):
    return (dst or mac(rng)) + (src or mac(rng)) + struct.pack("!H", ethertype)


def ipv4(rng, proto, body_len, ttl=64, ihl=5, version=4, total_length=None,
         frag=0, checksum=None, src=None, dst=None, tos=0):
    """An IPv4 header (options of IHL > 5 are NOPs then END)."""
    hl = ihl * 4
    opts = b""
    if ihl > 5:
        opts = b"\x01" * (hl - 20 - 1) + b"\x00"
    tl = hl + body_len if total_length is None else total_length
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 0xF),
                                tos, tl & 0xFFFF, rng.randrange(65536), frag,
                                ttl, proto, 0,
                                src or bytes([10, 0, rng.randrange(256), 1]),
                                dst or bytes([10, 1, rng.randrange(256), 2])))
    hdr += opts
    if ihl >= 5:
        c = model.checksum(bytes(hdr)) if checksum is None else checksum
        hdr[10:12] = struct.pack("!H", c)
    return bytes(hdr)


def udp(rng, body, sport=None, dport=None, length=None):
    return struct.pack("!HHHH", sport if sport is not None else
                       rng.randrange(1024, 65536),
                       dport if dport is not None else rng.randrange(1, 65536),
                       len(body) + 8 if length is None else length,
                       rng.randrange(65536)) + body


def tcp(rng, body):
    return struct.pack("!HHIIBBHHH", rng.randrange(1024, 65536), 80,
                       rng.randrange(1 << 32), rng.randrange(1 << 32), 0x50,
                       0x18, 65535, rng.randrange(65536), 0) + body


def ipv4_frame(rng, proto, l4, pad_to=0, **kw):
    f = eth(rng, 0x0800) + ipv4(rng, proto, len(l4), **kw) + l4
    if len(f) < pad_to:
        f += bytes(pad_to - len(f))  # Ethernet padding after the datagram
    return f


def udp_frame(rng, frame_len, **kw):
    body = payload(rng, max(0, frame_len - 14 - 20 - 8))
    return ipv4_frame(rng, 17, udp(rng, body), **kw)


def vxlan_frame(rng, inner, vni=None, flags=0x08, dport=4789, ihl=5,
                udp_length=None, total_length=None, frag=0x4000, proto=17,
                pad=0, version=4, ttl=64):
    """An outer Ethernet/IPv4/UDP/VXLAN around @inner, built here (not by
    the model) so that decap is checked against an independent encoder."""
    vx = struct.pack("!II", flags << 24,
                     (rng.randrange(1 << 24) if vni is None else vni) << 8)
    u = udp(rng, vx + inner, sport=rng.randrange(49152, 65536), dport=dport,
            length=udp_length)
    f = eth(rng, 0x0800) + ipv4(rng, proto, len(u), ihl=ihl, frag=frag,
                                total_length=total_length, version=version,
                                ttl=ttl) + u
    return f + bytes(pad)


def set_mixed(rng):
    pk = []

    def add(name, frame):
        pk.append((name, frame))

    # Valid IPv4 of many sizes, UDP/TCP/ICMP; several are multi-segment
    # even in the default pool (data room 2048 after the headroom).
    for n in (42, 60, 64, 65, 100, 127, 128, 129, 255, 256, 511, 512, 1000,
              1023, 1024, 1500, 1514, 2000, 2047, 2048, 2049, 4000, 9000):
        add("udp-%d" % n, udp_frame(rng, n, ttl=rng.choice((2, 3, 64, 255))))
    for i in range(60):
        n = rng.choice((rng.randrange(42, 1515), rng.randrange(42, 128),
                        rng.randrange(1515, 9001)))
        add("udp-random-%d" % n, udp_frame(rng, n,
                                           ttl=rng.randrange(2, 256)))
    for n in (54, 60, 200, 1514, 3000):
        add("tcp-%d" % n, ipv4_frame(rng, 6, tcp(rng, payload(rng, n - 54)),
                                     ttl=rng.randrange(2, 256)))
    for n in (42, 98, 1000):
        add("icmp-%d" % n, ipv4_frame(rng, 1, b"\x08\x00\0\0" +
                                      payload(rng, n - 38)))
    for ihl in (6, 7, 10, 15):
        add("options-ihl%d" % ihl, ipv4_frame(
            rng, 17, udp(rng, payload(rng, 30)), ihl=ihl))
    add("padded-udp-hdr-only", ipv4_frame(rng, 17, udp(rng, b""), pad_to=60))
    add("padded-small", ipv4_frame(rng, 17, udp(rng, b"xy"), pad_to=64))
    add("bad-checksum", ipv4_frame(rng, 17, udp(rng, payload(rng, 40)),
                                   checksum=0x1234))
    add("checksum-ffff", ipv4_frame(rng, 17, udp(rng, payload(rng, 40)),
                                    checksum=0xFFFF))
    add("fragment-mf", ipv4_frame(rng, 17, udp(rng, payload(rng, 100)),
                                  frag=0x2000))
    add("fragment-offset", ipv4_frame(rng, 17, payload(rng, 100),
                                      frag=0x0010))
    add("ttl-2", udp_frame(rng, 80, ttl=2))
    add("ipv4-no-l4", ipv4_frame(rng, 17, b""))
    add("udp-truncated-l4", ipv4_frame(rng, 17, b"\x12\x34\x12"))

    # Malformed.
    for n in (0, 1, 6, 12, 13):
        add("eth-truncated-%d" % n, payload(rng, n))
    add("eth-only-ipv4-type", eth(rng, 0x0800))
    for n in (15, 20, 33):
        add("ipv4-truncated-%d" % n, (eth(rng, 0x0800) +
                                      ipv4(rng, 17, 100))[:n])
    add("ipv4-options-truncated", (eth(rng, 0x0800) +
                                   ipv4(rng, 17, 8, ihl=15))[:14 + 40])
    for v in (0, 5, 6, 15):
        add("bad-version-%d" % v, ipv4_frame(rng, 17, udp(rng, payload(rng, 20)),
                                             version=v))
    for ihl in (0, 1, 4):
        add("bad-ihl-%d" % ihl, ipv4_frame(rng, 17, udp(rng, payload(rng, 20)),
                                           ihl=ihl))
    add("bad-total-len-below-ihl", ipv4_frame(
        rng, 17, udp(rng, payload(rng, 20)), total_length=12))
    add("bad-total-len-past-frame", ipv4_frame(
        rng, 17, udp(rng, payload(rng, 20)), total_length=500))
    add("bad-total-len-by-one", ipv4_frame(
        rng, 17, udp(rng, payload(rng, 20)), total_length=20 + 8 + 20 + 1))
    for ttl in (0, 1):
        add("ttl-%d" % ttl, udp_frame(rng, 100, ttl=ttl))
    add("arp", eth(rng, 0x0806) + payload(rng, 28))
    add("ipv6", eth(rng, 0x86DD) + payload(rng, 60))
    add("vlan-ipv4", eth(rng, 0x8100) + b"\x00\x05\x08\x00" +
        ipv4(rng, 17, 28) + udp(rng, payload(rng, 20)))
    add("lldp", eth(rng, 0x88CC) + payload(rng, 40))
    add("ethertype-0", eth(rng, 0x0000) + payload(rng, 50))

    # VXLAN: valid, of many inner sizes.
    for n in (14, 42, 60, 64, 128, 1514, 2048, 8900):
        inner = udp_frame(rng, n) if n >= 42 else payload(rng, n)
        add("vxlan-inner-%d" % n, vxlan_frame(rng, inner))
    add("vxlan-outer-options", vxlan_frame(rng, udp_frame(rng, 100), ihl=6))
    add("vxlan-outer-padding", vxlan_frame(rng, payload(rng, 14), pad=8))
    add("vxlan-udp-shorter-than-ip", vxlan_frame(
        rng, udp_frame(rng, 70), udp_length=8 + 8 + 60))
    add("vxlan-reserved-flags", vxlan_frame(rng, udp_frame(rng, 90),
                                            flags=0x0C))
    add("vxlan-vni-0", vxlan_frame(rng, udp_frame(rng, 90), vni=0))
    add("vxlan-ttl-1", vxlan_frame(rng, udp_frame(rng, 90), ttl=1))
    add("vxlan-nested", vxlan_frame(rng, vxlan_frame(rng, udp_frame(rng, 64))))
    # ... and not VXLAN, or malformed VXLAN.
    add("vxlan-flag-i-clear", vxlan_frame(rng, udp_frame(rng, 90), flags=0x00))
    add("udp-port-4790", vxlan_frame(rng, udp_frame(rng, 90), dport=4790))
    add("tcp-port-4789", vxlan_frame(rng, udp_frame(rng, 90), proto=6))
    add("vxlan-fragment-mf", vxlan_frame(rng, udp_frame(rng, 90),
                                         frag=0x2000))
    add("vxlan-fragment-offset", vxlan_frame(rng, udp_frame(rng, 90),
                                             frag=0x0001))
    add("vxlan-udp-len-past-ip", vxlan_frame(rng, udp_frame(rng, 90),
                                             udp_length=8 + 8 + 90 + 1))
    add("vxlan-udp-len-7", vxlan_frame(rng, udp_frame(rng, 90), udp_length=7))
    add("vxlan-udp-len-12", vxlan_frame(rng, udp_frame(rng, 90),
                                        udp_length=12))
    add("vxlan-inner-13", vxlan_frame(rng, payload(rng, 13)))
    add("vxlan-header-truncated",
        vxlan_frame(rng, udp_frame(rng, 90))[:14 + 20 + 8 + 4])
    add("vxlan-udp-truncated",
        vxlan_frame(rng, udp_frame(rng, 90))[:14 + 20 + 5])
    add("vxlan-udp-past-total-len", vxlan_frame(
        rng, udp_frame(rng, 90), total_length=20 + 4))
    add("vxlan-outer-bad-version", vxlan_frame(rng, udp_frame(rng, 90),
                                               version=6))
    add("vxlan-outer-non-ipv4", eth(rng, 0x86DD) +
        vxlan_frame(rng, udp_frame(rng, 90))[14:])
    return pk


def set_huge(rng):
    limit = 0xFFFF - 36  # largest frame VXLAN can carry in IPv4
    return [
        ("udp-100", udp_frame(rng, 100)),
        ("frame-at-limit", eth(rng, 0x0800) + payload(rng, limit - 14)),
        ("frame-over-limit", eth(rng, 0x0800) + payload(rng, limit + 1 - 14)),
        ("frame-65535", eth(rng, 0x0806) + payload(rng, 65535 - 14)),
        ("udp-200", udp_frame(rng, 200)),
    ]


ROUTER_IP = bytes([192, 0, 2, 254])


def arp_frame(rng, op=1, tpa=ROUTER_IP, sha=None, htype=1, hlen=6, cut=0):
    sha = sha or mac(rng)
    body = struct.pack("!HHBBH", htype, 0x0800, hlen, 4, op) + sha + \
        bytes([192, 0, 2, rng.randrange(1, 200)]) + bytes(6) + tpa
    f = (b"\xff" * 6) + sha + b"\x08\x06" + body
    return f[:len(f) - cut] if cut else f + bytes(18)


def set_router(rng):
    """For route mode with --ip 0,192.0.2.254/24: ARP, packets for the
    router itself, TTL expiry with and without an ICMP error."""
    pk = []

    def add(name, frame):
        pk.append((name, frame))

    def ttl1(name, **kw):
        add(name, udp_frame(rng, kw.pop("n", 100), ttl=1, **kw))

    add("arp-request", arp_frame(rng))
    add("arp-request-other", arp_frame(rng, tpa=bytes([192, 0, 2, 7])))
    add("arp-reply", arp_frame(rng, op=2))
    add("arp-op-3", arp_frame(rng, op=3))
    add("arp-htype-6", arp_frame(rng, htype=6))
    add("arp-hlen-8", arp_frame(rng, hlen=8))
    add("arp-sha-multicast", arp_frame(rng, sha=b"\x01\x00\x5e\x00\x00\x01"))
    add("arp-sha-zero", arp_frame(rng, sha=bytes(6)))
    add("arp-truncated", arp_frame(rng, cut=1))
    add("to-router", udp_frame(rng, 80, dst=ROUTER_IP))
    add("to-broadcast", udp_frame(rng, 80, dst=b"\xff" * 4))
    add("to-multicast", udp_frame(rng, 80, dst=bytes([224, 0, 0, 5])))
    ttl1("ttl1-udp")
    ttl1("ttl1-udp-1500", n=1500)
    ttl1("ttl1-udp-9000", n=9000)
    add("ttl1-options", ipv4_frame(rng, 17, udp(rng, payload(rng, 30)),
                                   ihl=7, ttl=1))
    add("ttl1-datagram-21", ipv4_frame(rng, 17, b"\x01", ttl=1))
    add("ttl1-padded", ipv4_frame(rng, 17, b"\x01\x02\x03", ttl=1,
                                  pad_to=60))
    add("ttl0", udp_frame(rng, 100, ttl=0))
    add("ttl1-icmp-echo", ipv4_frame(rng, 1, b"\x08\x00\0\0" +
                                     payload(rng, 56), ttl=1))
    add("ttl1-icmp-unreachable", ipv4_frame(rng, 1, b"\x03\x01\0\0" +
                                            payload(rng, 56), ttl=1))
    add("ttl1-icmp-no-type", ipv4_frame(rng, 1, b"", ttl=1))
    add("ttl1-bad-checksum", ipv4_frame(rng, 17, udp(rng, payload(rng, 20)),
                                        ttl=1, checksum=0x1234))
    add("ttl1-fragment-first", ipv4_frame(rng, 17, udp(rng, payload(rng, 20)),
                                          ttl=1, frag=0x2000))
    add("ttl1-fragment-later", ipv4_frame(rng, 17, payload(rng, 40), ttl=1,
                                          frag=0x0003))
    for src in ((0, 1, 2, 3), (127, 0, 0, 1), (224, 0, 0, 1),
                (255, 255, 255, 255)):
        ttl1("ttl1-src-%d" % src[0], src=bytes(src))
    add("ttl1-to-group-mac", b"\x01\x00\x5e\x00\x00\x09" +
        udp_frame(rng, 100, ttl=1)[6:])
    for i in range(10):
        add("forward-%d" % i, udp_frame(rng, rng.randrange(42, 1515),
                                        ttl=rng.randrange(2, 256)))
    add("forward-ttl-2", udp_frame(rng, 64, ttl=2))
    add("ipv6", eth(rng, 0x86DD) + payload(rng, 60))
    return pk


def l4_checksum(src, dst, proto, seg):
    """TCP/UDP checksum (RFC 768) over the pseudo header and @seg."""
    c = model.checksum(src + dst + struct.pack("!BBH", 0, proto, len(seg)) +
                       seg)
    return c or 0xFFFF


def ip_addr(rng, net):
    return bytes([net, rng.randrange(256), rng.randrange(256),
                  rng.randrange(1, 255)])


def dgram(rng, size, proto=17, ident=None, df=False, opts=b"", src=None,
          dst=None, frag=0):
    """A valid IPv4 datagram in Ethernet (@size bytes of IP payload, UDP
    or ICMP echo with correct checksums, @opts as IPv4 options)."""
    src = src or ip_addr(rng, 10)
    dst = dst or ip_addr(rng, 10)
    body = payload(rng, size - 8)
    if proto == 17:
        hdr = struct.pack("!HHHH", rng.randrange(1024, 65536),
                          rng.randrange(1, 65536), size, 0)
        c = l4_checksum(src, dst, 17, hdr + body)
        l4 = hdr[:6] + struct.pack("!H", c) + body
    else:
        hdr = struct.pack("!BBHHH", 8, 0, 0, rng.randrange(65536), 1)
        c = model.checksum(hdr + body)
        l4 = hdr[:2] + struct.pack("!H", c) + hdr[4:] + body
    hl = 20 + len(opts)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x40 | (hl // 4), 0,
                               hl + size, rng.randrange(65536)
                               if ident is None else ident,
                               (0x4000 if df else 0) | frag, 64, proto, 0,
                               src, dst)) + opts
    ip[10:12] = struct.pack("!H", model.checksum(bytes(ip)))
    return eth(rng, 0x0800) + bytes(ip) + l4


def cut(frame, sizes, pad=0, plain_later=False):
    """Fragments of the datagram in @frame: payload pieces of @sizes
    bytes (the rest in a last piece), each with the header (options
    too, unless @plain_later) of the datagram, offset, MF and checksum;
    @pad bytes of Ethernet padding after each."""
    hl = (frame[14] & 15) * 4
    tl = struct.unpack("!H", frame[16:18])[0]
    fo0 = struct.unpack("!H", frame[20:22])[0]
    data = frame[14 + hl:14 + tl]
    out, pos, i = [], 0, 0
    while pos < len(data):
        n = sizes[i] if i < len(sizes) else len(data) - pos
        n = min(n, len(data) - pos)
        h = bytearray(frame[14:14 + hl])
        if plain_later and pos:
            h = bytearray(h[:20])
            h[0] = 0x45
        more = pos + n < len(data) or bool(fo0 & 0x2000)
        h[6:8] = struct.pack("!H", (fo0 & 0x4000) | ((fo0 & 0x1FFF) +
                                                      pos // 8) |
                             (0x2000 if more else 0))
        h[2:4] = struct.pack("!H", len(h) + n)
        h[10:12] = b"\0\0"
        h[10:12] = struct.pack("!H", model.checksum(bytes(h)))
        out.append(frame[:14] + bytes(h) + data[pos:pos + n] + bytes(pad))
        pos += n
        i += 1
    return out


def even(total, each):
    """Piece sizes of @each bytes for a payload of @total."""
    return [each] * (total // each)


# A router alert (copied flag set) and a timestamp option (not copied),
# with a NOP between: 4 + 1 + 3 + 12 bytes... padded to 20.
OPTS_MIXED = bytes([0x94, 4, 0, 0, 1, 0x44, 12, 5]) + bytes(8) + b"\0" * 4
OPTS_COPIED = bytes([0x94, 4, 0, 0])


def set_frag(rng):
    """For frag mode (MTU 576 or 1500, the tests run both)."""
    pk = []

    def add(name, frame):
        pk.append((name, frame))

    for n in (60, 500, 562, 576, 577):
        add("udp-ip-%d" % n, dgram(rng, n - 20))
    for n in (1500, 1501, 2000, 4000, 8972, 9000, 20000):
        add("udp-%d" % n, dgram(rng, n - 20))
    add("icmp-echo-8028", dgram(rng, 8008, proto=1))
    add("icmp-echo-1500", dgram(rng, 1480, proto=1))
    add("df-3000", dgram(rng, 2980, df=True))
    add("df-1500", dgram(rng, 1480, df=True))
    add("options-copied-3000", dgram(rng, 2976, opts=OPTS_COPIED))
    add("options-mixed-3000", dgram(rng, 2960, opts=OPTS_MIXED))
    add("options-40-5000", dgram(rng, 4940, opts=OPTS_MIXED * 2))
    add("fragment-first-3000", dgram(rng, 2976, frag=0x2000))
    add("fragment-middle-3000", dgram(rng, 2976, frag=0x2000 | 100))
    add("fragment-last-3000", dgram(rng, 2976, frag=200,
                                    opts=OPTS_MIXED))
    add("fragment-end-past-65515", dgram(rng, 2000, frag=8000))
    f = dgram(rng, 540)
    add("padded-to-700", f + bytes(700 - len(f)))
    f = dgram(rng, 1480)
    add("padded-1500-to-1600", f + bytes(100))
    add("not-ipv4-2000", eth(rng, 0x86DD) + payload(rng, 1986))
    f = bytearray(dgram(rng, 2000))
    f[14] = 0x65
    add("bad-version-2020", bytes(f))
    f = bytearray(dgram(rng, 2000))
    f[16:18] = struct.pack("!H", 2500)
    add("bad-total-len-2020", bytes(f))
    f = bytearray(dgram(rng, 2000))
    f[14] = 0x44
    add("bad-ihl-2020", bytes(f))
    return pk


def set_reasm(rng):
    """Fragment streams for reasm; every datagram its own id."""
    pk = []
    ids = iter(range(1000, 60000, 7))

    def d(size, **kw):
        return dgram(rng, size, ident=next(ids), **kw)

    def add(name, frames):
        pk.extend(("%s-%d" % (name, i), f) for i, f in enumerate(frames))

    add("plain-100", [d(80)])
    add("inorder-1500-576", cut(d(1480), even(1480, 552)))
    add("inorder-9000-1500", cut(d(8980), even(8980, 1480)))
    add("reversed-9000-1500", cut(d(8980), even(8980, 1480))[::-1])
    fr = cut(d(8980), even(8980, 1480))
    rng.shuffle(fr)
    add("shuffled-9000-1500", fr)
    fr = cut(d(4000, proto=1), even(4000, 1480))
    add("duplicate-middle", [fr[0], fr[1], fr[1], fr[2]])
    fr = cut(d(4000), even(4000, 1480))
    add("duplicate-after", fr + [fr[1]])
    f = d(1800)
    fr = cut(f, [552, 552])
    over = cut(f, [544, 560])[1]
    add("overlap", [fr[0], over, fr[1], fr[2]])
    fr = cut(d(4000), even(4000, 1480))
    add("missing-middle", [fr[0], fr[2]])
    fr = cut(d(3000), even(3000, 1480))
    add("missing-first", fr[1:])
    fr = cut(d(3000), [1480, 1480])
    add("missing-last", fr[:2])
    # Ping of death: a last fragment that would end past 65535.
    f = d(2000)
    fr = cut(f, [1000])
    h = bytearray(fr[1])
    h[20:22] = struct.pack("!H", 8100)
    h[24:26] = b"\0\0"
    h[24:26] = struct.pack("!H", model.checksum(bytes(h[14:34])))
    add("oversize-end", [fr[0], bytes(h)])
    # 65512 payload bytes behind a 60-byte first header: 65572 bytes.
    fr = cut(d(65475, opts=OPTS_MIXED * 2), even(65475, 8880))
    h = bytearray(fr[-1]) + payload(rng, 37)
    h[16:18] = struct.pack("!H", len(h) - 14)
    h[24:26] = b"\0\0"
    h[24:26] = struct.pack("!H", model.checksum(bytes(h[14:74])))
    add("oversize-options", fr[:-1] + [bytes(h)])
    add("tiny-8", cut(d(200), even(200, 8)))
    fr = cut(d(200), even(200, 8))
    add("tiny-8-reversed", fr[::-1])
    fr = cut(d(19980), even(19980, 8976))
    rng.shuffle(fr)
    add("multiseg-20000", fr)
    add("nine-fragments", cut(d(1200), even(1200, 128)))
    add("eight-fragments", cut(d(1000), even(1000, 128)))
    streams = [cut(d(3000 + 500 * i), even(3000 + 500 * i, 1016))
               for i in range(3)]
    inter = []
    for i in range(max(len(x) for x in streams)):
        inter += [x[i] for x in streams if i < len(x)]
    add("interleaved", inter)
    src, dst, ident = ip_addr(rng, 10), ip_addr(rng, 10), next(ids)
    a = cut(dgram(rng, 2000, proto=17, ident=ident, src=src, dst=dst),
            [1480])
    b = cut(dgram(rng, 2000, proto=1, ident=ident, src=src, dst=dst),
            [1480])
    add("same-id-other-proto", [a[0], b[0], a[1], b[1]])
    fr = cut(d(3000), even(3000, 1480))
    alt = cut(d(3200), even(3200, 1480))[2]
    h = bytearray(alt)
    h[18:20] = fr[0][18:20]
    h[26:34] = fr[0][26:34]
    h[24:26] = b"\0\0"
    h[24:26] = struct.pack("!H", model.checksum(bytes(h[14:34])))
    add("two-last", [fr[0], fr[2], bytes(h), fr[1]])
    add("padded-last", cut(d(1500), [1480], pad=30))
    add("options-first", cut(d(2960, opts=OPTS_MIXED), even(2960, 1464),
                             plain_later=True))
    f = d(1000)
    fr = cut(f, [496])
    z = bytearray(fr[0][:34])
    z[16:18] = struct.pack("!H", 20)
    z[24:26] = b"\0\0"
    z[24:26] = struct.pack("!H", model.checksum(bytes(z[14:34])))
    add("bad-empty-payload", [bytes(z)])
    add("bad-middle-not-8", cut(d(1000), [500, 12])[:2])
    z = bytearray(cut(d(1000), [496])[0])
    z[14] = 0x44
    add("bad-ihl", [bytes(z)])
    z = bytearray(cut(d(1000), [496])[1])
    z[16:18] = struct.pack("!H", 1200)
    add("bad-total-len", [bytes(z)])
    add("not-ipv4", [eth(rng, 0x88B5) + payload(rng, 100)])
    add("short", [payload(rng, 20)])
    add("plain-df-1400", [d(1380, df=True)])
    return pk


SETS = {"mixed": set_mixed, "huge": set_huge, "router": set_router,
        "frag": set_frag, "reasm": set_reasm}


def generate(name, seed=1):
    return SETS[name](random.Random("%s-%d" % (name, seed)))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", choices=sorted(SETS))
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--names", help="also write the packet names, one a line")
    a = ap.parse_args(argv)
    pk = generate(a.set, a.seed)
    pcapio.write(a.out, [f for _, f in pk])
    if a.names:
        with open(a.names, "w") as f:
            for i, (n, fr) in enumerate(pk):
                f.write("%d %s %d\n" % (i, n, len(fr)))
    print("%s: %d packets" % (a.out, len(pk)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
