# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Reference model of hb-fwd's modes, written from docs/hb-fwd.md and the
RFCs (791, 1624, 7348), independently of HyperBuf and of hb-fwd's C code.

Every function takes a frame (bytes) and returns (output, reason): output is
the frame hb-fwd must transmit, or None with reason naming the drop counter
it must increment.
"""

import struct

DROP_REASONS = (
    "short", "not_ipv4", "bad_version", "bad_ihl", "bad_total_len",
    "ttl_exceeded", "not_vxlan", "fragment", "bad_udp_len", "too_big",
    "no_mbuf", "bad_mbuf", "hb_error", "local", "bad_arp", "no_route",
)

MODES = ("io", "macswap", "route", "encap", "decap")

ETH_LEN = 14
IPV4_MIN = 20
UDP_LEN = 8
VXLAN_LEN = 8
VXLAN_PORT = 4789
ENCAP_LEN = ETH_LEN + IPV4_MIN + UDP_LEN + VXLAN_LEN  # 50


def checksum(data):
    """RFC 1071 Internet checksum of @data (the value to store)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def checksum_ok(header):
    """True if an IPv4 header (checksum field included) verifies."""
    return checksum(header) == 0


def rfc1624_update(hc, m, m_new):
    """RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')."""
    s = (~hc & 0xFFFF) + (~m & 0xFFFF) + m_new
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def _ipv4_checks(frame):
    """The IPv4 checks shared by route and decap, in documented order,
    for a frame holding at least 34 bytes. Returns a reason or None."""
    vihl = frame[14]
    hl = (vihl & 0x0F) * 4
    tl = struct.unpack("!H", frame[16:18])[0]
    if vihl >> 4 != 4:
        return "bad_version"
    if hl < IPV4_MIN:
        return "bad_ihl"
    if ETH_LEN + hl > len(frame):
        return "short"
    if tl < hl or ETH_LEN + tl > len(frame):
        return "bad_total_len"
    return None


def io(frame):
    return frame, None


def macswap(frame):
    if len(frame) < ETH_LEN:
        return None, "short"
    return frame[6:12] + frame[0:6] + frame[12:], None


def route(frame):
    if len(frame) < ETH_LEN:
        return None, "short"
    if frame[12:14] != b"\x08\x00":
        return None, "not_ipv4"
    if len(frame) < ETH_LEN + IPV4_MIN:
        return None, "short"
    why = _ipv4_checks(frame)
    if why:
        return None, why
    ttl = frame[22]
    if ttl <= 1:
        return None, "ttl_exceeded"
    proto = frame[23]
    hc = struct.unpack("!H", frame[24:26])[0]
    m = (ttl << 8) | proto
    new_hc = rfc1624_update(hc, m, m - 0x100)
    out = bytearray(frame)
    out[22] = ttl - 1
    out[24:26] = struct.pack("!H", new_hc)
    return bytes(out), None


class EncapConfig:
    def __init__(self, src_mac, dst_mac=bytes.fromhex("020000000002"),
                 src_ip=bytes([192, 0, 2, 1]), dst_ip=bytes([192, 0, 2, 2]),
                 vni=1):
        self.src_mac = src_mac
        self.dst_mac = dst_mac
        self.src_ip = src_ip
        self.dst_ip = dst_ip
        self.vni = vni


def flow_hash(frame):
    """docs/hb-fwd.md: inner IPv4 addresses + protocol (+ TCP/UDP ports of
    unfragmented packets the frame holds them for), else the Ethernet
    header; FNV-1a 32."""
    if frame[12:14] == b"\x08\x00" and len(frame) >= ETH_LEN + IPV4_MIN:
        vihl = frame[14]
        if vihl >> 4 == 4 and (vihl & 0x0F) >= 5:
            hl = (vihl & 0x0F) * 4
            proto = frame[23]
            key = frame[26:30] + frame[30:34] + bytes([proto])
            frag = struct.unpack("!H", frame[20:22])[0] & 0x3FFF
            if proto in (6, 17) and frag == 0 and \
                    len(frame) >= ETH_LEN + hl + 4:
                key += frame[ETH_LEN + hl:ETH_LEN + hl + 4]
            return fnv1a(key)
    return fnv1a(frame[:ETH_LEN])


def encap_once(frame, cfg):
    n = len(frame)
    if n < ETH_LEN:
        return None, "short"
    if n + ENCAP_LEN - ETH_LEN > 0xFFFF:
        return None, "too_big"
    sport = 49152 + (flow_hash(frame) & 0x3FFF)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, n + 36, 0, 0x4000,
                               64, 17, 0, cfg.src_ip, cfg.dst_ip))
    ip[10:12] = struct.pack("!H", checksum(bytes(ip)))
    udp = struct.pack("!HHHH", sport, VXLAN_PORT, n + 16, 0)
    vxlan = struct.pack("!II", 0x08000000, cfg.vni << 8)
    eth = cfg.dst_mac + cfg.src_mac + b"\x08\x00"
    return eth + bytes(ip) + udp + vxlan + frame, None


def encap(frame, cfg, depth=1):
    for _ in range(depth):
        frame, why = encap_once(frame, cfg)
        if why:
            return None, why
    return frame, None


def decap_once(frame):
    n = len(frame)
    if n < ETH_LEN:
        return None, "short"
    if frame[12:14] != b"\x08\x00":
        return None, "not_vxlan"
    if n < ETH_LEN + IPV4_MIN:
        return None, "short"
    why = _ipv4_checks(frame)
    if why:
        return None, why
    hl = (frame[14] & 0x0F) * 4
    end = ETH_LEN + struct.unpack("!H", frame[16:18])[0]
    if frame[23] != 17:
        return None, "not_vxlan"
    if struct.unpack("!H", frame[20:22])[0] & 0x3FFF:
        return None, "fragment"
    l4 = ETH_LEN + hl
    if l4 + UDP_LEN > end:
        return None, "short"
    dport, ulen = struct.unpack("!HH", frame[l4 + 2:l4 + 6])
    if dport != VXLAN_PORT:
        return None, "not_vxlan"
    if ulen < UDP_LEN or l4 + ulen > end:
        return None, "bad_udp_len"
    if ulen < UDP_LEN + VXLAN_LEN:
        return None, "short"
    if not frame[l4 + UDP_LEN] & 0x08:
        return None, "not_vxlan"
    if ulen < UDP_LEN + VXLAN_LEN + ETH_LEN:
        return None, "short"
    return frame[l4 + UDP_LEN + VXLAN_LEN:l4 + ulen], None


def decap(frame, depth=1):
    for _ in range(depth):
        frame, why = decap_once(frame)
        if why:
            return None, why
    return frame, None


def apply(mode, frame, encap_cfg=None, depth=1):
    if mode == "io":
        return io(frame)
    if mode == "macswap":
        return macswap(frame)
    if mode == "route":
        return route(frame)
    if mode == "encap":
        return encap(frame, encap_cfg, depth)
    if mode == "decap":
        return decap(frame, depth)
    raise ValueError("unknown mode " + mode)


def expect(mode, frames, encap_cfg=None, depth=1):
    """Expected outputs (in order) and drop counts for @frames."""
    outs = []
    drops = dict.fromkeys(DROP_REASONS, 0)
    for frame in frames:
        out, why = apply(mode, frame, encap_cfg, depth)
        if why:
            drops[why] += 1
        else:
            outs.append(out)
    return outs, drops


# ---------------------------------------------------------------------
# The router (route mode with --ip, --eth-dest, --route): one port that
# forwards to itself, as in the pcap tests (no LPM).

ICMP_QUERIES = (0, 8, 13, 14, 15, 16, 17, 18)


class RouterConfig:
    def __init__(self, mac, ip=None, eth_dest=None):
        self.mac = mac            # the port's MAC
        self.ip = ip              # --ip address (4 bytes) or None
        self.eth_dest = eth_dest  # --eth-dest MAC or None


def arp(frame, cfg):
    """ARP on a port with an address: (reason, reply or None)."""
    if len(frame) < ETH_LEN + 28:
        return "bad_arp", None
    a = frame[ETH_LEN:ETH_LEN + 28]
    htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", a[:8])
    sha, spa, tpa = a[8:14], a[14:18], a[24:28]
    if htype != 1 or ptype != 0x0800 or hlen != 6 or plen != 4:
        return "bad_arp", None
    if op not in (1, 2):
        return "bad_arp", None
    if sha[0] & 1 or sha == bytes(6):
        return "bad_arp", None
    if op == 1 and tpa == cfg.ip:
        reply = (sha + cfg.mac + b"\x08\x06" +
                 struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) +
                 cfg.mac + cfg.ip + sha + spa)
        return "local", reply
    return "local", None


def icmp_time_exceeded(frame, cfg):
    """The ICMP error for a frame dropped for its TTL, or None (RFC 1812
    4.3.2.7 rules as in docs/hb-fwd.md)."""
    if cfg.ip is None:
        return None
    hl = (frame[14] & 15) * 4
    tl = struct.unpack("!H", frame[16:18])[0]
    q = frame[ETH_LEN:ETH_LEN + min(hl + 8, tl)]
    src = frame[26:30]
    if frame[0] & 1:
        return None
    if not checksum_ok(q[:hl]):
        return None
    if struct.unpack("!H", frame[20:22])[0] & 0x1FFF:
        return None
    if src[0] == 0 or src[0] == 127 or src[0] >= 224:
        return None
    if frame[23] == 1 and (len(q) <= hl or q[hl] not in ICMP_QUERIES):
        return None
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 28 + len(q), 0,
                               0, 64, 1, 0, cfg.ip, src))
    ip[10:12] = struct.pack("!H", checksum(bytes(ip)))
    icmp = bytearray(struct.pack("!BBHI", 11, 0, 0, 0)) + q
    icmp[2:4] = struct.pack("!H", checksum(bytes(icmp)))
    return frame[6:12] + cfg.mac + b"\x08\x00" + bytes(ip) + bytes(icmp)


def route_l3(frame, cfg):
    """(output or None, reason or None, built packet or None)."""
    if len(frame) < ETH_LEN:
        return None, "short", None
    if frame[12:14] != b"\x08\x00":
        if frame[12:14] == b"\x08\x06" and cfg.ip is not None:
            why, reply = arp(frame, cfg)
            return None, why, reply
        return None, "not_ipv4", None
    if len(frame) < ETH_LEN + IPV4_MIN:
        return None, "short", None
    why = _ipv4_checks(frame)
    if why:
        return None, why, None
    dst = frame[30:34]
    if dst == b"\xff\xff\xff\xff" or dst[0] >> 4 == 0xE or dst == cfg.ip:
        return None, "local", None
    if frame[22] <= 1:
        return None, "ttl_exceeded", icmp_time_exceeded(frame, cfg)
    out, _ = route(frame)
    if cfg.eth_dest is not None:
        out = cfg.eth_dest + cfg.mac + out[12:]
    return out, None, None
