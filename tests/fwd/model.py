# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Reference model of hb-fwd's modes, written from docs/hb-fwd.md and the
RFCs (791, 1191, 1624, 5722, 7348), independently of HyperBuf and of
hb-fwd's C code; and, for reasm with --engine raw, of DPDK's
librte_ip_frag (as docs/hb-fwd.md describes its behaviour).

Every function takes a frame (bytes) and returns (output, reason): output is
the frame hb-fwd must transmit, or None with reason naming the drop counter
it must increment.
"""

import struct

DROP_REASONS = (
    "short", "not_ipv4", "bad_version", "bad_ihl", "bad_total_len",
    "ttl_exceeded", "not_vxlan", "fragment", "bad_udp_len", "too_big",
    "no_mbuf", "bad_mbuf", "hb_error", "local", "bad_arp", "no_route",
    "frag_needed", "bad_fragment", "reasm_duplicate", "reasm_overlap",
    "reasm_timeout", "reasm_table_full", "reasm_mem", "reasm_flush",
    "ip_frag_drop",
)

MODES = ("io", "macswap", "route", "encap", "decap")
FRAG_MODES = ("frag", "reasm")
FSTATS = ("fragmented", "fragments", "reassembled", "joined")

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
    return icmp_error(frame, cfg, 11, 0, 0)


def icmp_error(frame, cfg, itype, code, rest):
    """ICMP error @itype/@code (@rest: the header's second word) about
    @frame, or None when not due."""
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
    icmp = bytearray(struct.pack("!BBHI", itype, code, 0, rest)) + q
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


# ---------------------------------------------------------------------
# frag: IPv4 fragmentation to the TX port's MTU (RFC 791)

MF = 0x2000
DF = 0x4000
OFF_MASK = 0x1FFF
MAX_END = 65515   # offset + payload of any fragment, at most
MIN_MTU = 68


def later_header(hdr):
    """RFC 791 3.1: the header of the fragments after the first keeps the
    options with the copied flag only (NOP dropped, parsing stops at End
    of Option List or a malformed length), padded with EOL to 4 bytes."""
    out = bytearray(hdr[:20])
    i, hl = 20, len(hdr)
    while i < hl:
        t = hdr[i]
        if t == 0:
            break
        if t == 1:
            i += 1
            continue
        if i + 1 >= hl:
            break
        ol = hdr[i + 1]
        if ol < 2 or ol > hl - i:
            break
        if t & 0x80:
            out += hdr[i:i + ol]
        i += ol
    while len(out) % 4:
        out.append(0)
    out[0] = (hdr[0] & 0xF0) | (len(out) // 4)
    return bytes(out)


def _set_cksum(h):
    h = bytearray(h)
    h[10:12] = b"\0\0"
    h[10:12] = struct.pack("!H", checksum(bytes(h)))
    return bytes(h)


def frag(frame, mtu, router=None):
    """(list of output frames, reason, built packet or None)."""
    mtu = max(mtu, MIN_MTU)
    if len(frame) <= ETH_LEN + mtu:
        return [frame], None, None
    if frame[12:14] != b"\x08\x00":
        return None, "not_ipv4", None
    why = _ipv4_checks(frame)
    if why:
        return None, why, None
    hl = (frame[14] & 15) * 4
    tl = struct.unpack("!H", frame[16:18])[0]
    if tl <= mtu:
        return [frame[:ETH_LEN + tl]], None, None
    fo = struct.unpack("!H", frame[20:22])[0]
    if fo & DF:
        built = None
        if router is not None:
            built = icmp_error(frame, router, 3, 4, mtu & 0xFFFF)
        return None, "frag_needed", built
    off = (fo & OFF_MASK) * 8
    plen = tl - hl
    if off + plen > MAX_END:
        return None, "bad_fragment", None
    fs = (mtu - hl) & ~7
    eth, hdr = frame[:ETH_LEN], frame[ETH_LEN:ETH_LEN + hl]
    payload = frame[ETH_LEN + hl:ETH_LEN + tl]
    later = later_header(hdr) if off == 0 and hl > 20 else hdr
    out, done = [], 0
    while done < plen:
        n = min(fs, plen - done)
        h = bytearray(hdr if not out else later)
        f = fo + done // 8
        if done + n < plen:
            f |= MF
        h[6:8] = struct.pack("!H", f)
        h[2:4] = struct.pack("!H", len(h) + n)
        out.append(eth + _set_cksum(h) + payload[done:done + n])
        done += n
    return out, None, None


def expect_frag(frames, mtu, router=None):
    """Outputs in order, drops, built packets, fstat counters."""
    outs, built = [], []
    drops = dict.fromkeys(DROP_REASONS, 0)
    fst = dict.fromkeys(FSTATS, 0)
    for f in frames:
        o, why, b = frag(f, mtu, router)
        if why:
            drops[why] += 1
        else:
            outs += o
            if len(o) > 1:
                fst["fragmented"] += 1
                fst["fragments"] += len(o)
        if b:
            built.append(b)
    return outs, drops, built, fst


# ---------------------------------------------------------------------
# reasm: IPv4 reassembly


def frag_info(frame):
    """reasm steps 1-4: ("pass", None), ("drop", reason) or ("frag",
    (hl, tl, off, end, mf, key, keylib))."""
    if len(frame) < ETH_LEN + IPV4_MIN or frame[12:14] != b"\x08\x00":
        return "pass", None
    if frame[14] >> 4 != 4:
        return "pass", None
    fo = struct.unpack("!H", frame[20:22])[0]
    if not fo & (MF | OFF_MASK):
        return "pass", None
    why = _ipv4_checks(frame)
    if why:
        return "drop", why
    hl = (frame[14] & 15) * 4
    tl = struct.unpack("!H", frame[16:18])[0]
    off = (fo & OFF_MASK) * 8
    mf = bool(fo & MF)
    plen = tl - hl
    end = off + plen
    if plen == 0 or (mf and plen % 8) or end > MAX_END:
        return "drop", "bad_fragment"
    key = (frame[26:30], frame[30:34], frame[18:20], frame[23])
    return "frag", (hl, tl, off, end, mf, key, key[:3])


def reasm_header(first, total):
    """The first fragment's frame head (Ethernet + IPv4 header) completed
    for @total payload bytes, or None past 65535."""
    hl = (first[14] & 15) * 4
    if hl + total > 0xFFFF:
        return None
    h = bytearray(first[ETH_LEN:ETH_LEN + hl])
    h[2:4] = struct.pack("!H", hl + total)
    h[6:8] = struct.pack("!H", struct.unpack("!H", h[6:8])[0] & DF)
    return first[:ETH_LEN] + _set_cksum(h)


def seg_count(start, end, room0, room):
    """mbufs holding bytes [start, end) of a frame received by net_pcap:
    the first segment holds room0 bytes (after the headroom), the
    others room each."""
    def seg(i):
        return 0 if i < room0 else 1 + (i - room0) // room
    return seg(end - 1) - seg(start) + 1


class Reasm:
    """What both engines do before their tables (reasm steps 1-4)."""

    def __init__(self):
        self.tbl = {}
        self.drops = dict.fromkeys(DROP_REASONS, 0)
        self.fst = dict.fromkeys(FSTATS, 0)

    def packet(self, frame):
        """Output frame or None; the fragment's own drop counted."""
        kind, x = frag_info(frame)
        if kind == "pass":
            return frame
        if kind == "drop":
            self.drops[x] += 1
            return None
        out, why = self._insert(frame, *x)
        if why:
            self.drops[why] += 1
        return out


class HbReasm(Reasm):
    """docs/hb-fwd.md, reasm, HyperBuf engine: key (src, dst, id,
    protocol); duplicates dropped alone, overlaps drop the datagram; the
    oldest datagram dropped when the table is full or holds too many
    mbufs. (No time-outs: the tests never wait.)"""

    def __init__(self, max_dgrams=1024, max_segs=4096, room0=2048,
                 room=2176):
        super().__init__()  # tbl: key -> datagram, oldest first
        self.max_dgrams, self.max_segs = max_dgrams, max_segs
        self.room0, self.room = room0, room
        self.segs = 0

    def _drop(self, key, why, mine=0):
        """Remove datagram @key; its fragments but @mine counted @why."""
        d = self.tbl.pop(key)
        if why:
            self.drops[why] += d["n"] - mine
        self.segs -= d["segs"]

    def flush(self):
        for key in list(self.tbl):
            self._drop(key, "reasm_flush")

    def _insert(self, frame, hl, tl, off, end, mf, key, _):
        start = 0 if off == 0 else ETH_LEN + hl
        nsegs = seg_count(start, ETH_LEN + tl, self.room0, self.room)
        if nsegs > self.max_segs:
            return None, "reasm_mem"
        while self.segs + nsegs > self.max_segs:
            self._drop(next(iter(self.tbl)), "reasm_mem")
        if key not in self.tbl:
            if len(self.tbl) == self.max_dgrams:
                self._drop(next(iter(self.tbl)), "reasm_table_full")
            self.tbl[key] = {"runs": [], "total": None, "n": 0,
                             "segs": 0, "first": None,
                             "data": bytearray(MAX_END)}
        d = self.tbl[key]
        runs = d["runs"]
        if not mf:
            bad = (d["total"] is not None and end != d["total"]) or \
                (runs and runs[-1][1] > end)
        else:
            bad = d["total"] is not None and end > d["total"]
        if not bad:
            for rs, re_ in runs:
                if re_ > off:
                    if end > rs:
                        if off >= rs and end <= re_:
                            return None, "reasm_duplicate"
                        bad = True
                    break
        if bad:
            self._drop(key, "reasm_overlap")
            return None, "reasm_overlap"
        runs.append([off, end])
        runs.sort()
        merged = []
        for r in runs:
            if merged and merged[-1][1] == r[0]:
                merged[-1][1] = r[1]
            else:
                merged.append(r)
        d["runs"] = merged
        d["data"][off:end] = frame[ETH_LEN + hl:ETH_LEN + tl]
        d["n"] += 1
        d["segs"] += nsegs
        self.segs += nsegs
        if not mf:
            d["total"] = end
        if off == 0:
            d["first"] = frame[:ETH_LEN + hl]
        if d["total"] is None or merged != [[0, d["total"]]]:
            return None, None
        head = reasm_header(d["first"], d["total"])
        if head is None:
            self._drop(key, "too_big", mine=1)
            return None, "too_big"
        self.fst["reassembled"] += 1
        self.fst["joined"] += d["n"]
        self._drop(key, None, mine=d["n"])
        return head + bytes(d["data"][:d["total"]]), None


class LibReasm(Reasm):
    """docs/hb-fwd.md, reasm, raw engine (librte_ip_frag of DPDK 22.11):
    key (src, dst, id) without the protocol; at most 8 fragments per
    datagram (a first, a last and 6 more): one more, or a second first or
    last fragment, drops the datagram; a datagram is reassembled when the
    payload bytes received add up to its length and its fragments follow
    each other exactly, otherwise it is dropped; a full table drops the
    new fragment. Every drop of the library is ip_frag_drop."""

    MAX_FRAG = 8

    def __init__(self, max_dgrams=1024):
        super().__init__()
        self.max_dgrams = max_dgrams

    def flush(self):
        for d in self.tbl.values():
            self.drops["reasm_flush"] += sum(1 for f in d["f"] if f)
        self.tbl = {}

    def _insert(self, frame, hl, tl, off, end, mf, _, key):
        if key not in self.tbl:
            if len(self.tbl) >= self.max_dgrams:
                return None, "ip_frag_drop"
            # [last, first, intermediates...]
            self.tbl[key] = {"f": [None, None], "total": None, "size": 0}
        d = self.tbl[key]
        f = (off, end - off, frame[:ETH_LEN + tl], hl)
        d["size"] += end - off
        if off == 0:
            idx = 1 if d["f"][1] is None else None
        elif not mf:
            d["total"] = end
            idx = 0 if d["f"][0] is None else None
        elif len(d["f"]) < self.MAX_FRAG:
            idx = len(d["f"])
            d["f"].append(None)
        else:
            idx = None
        if idx is None:
            self._fail(key)
            return None, "ip_frag_drop"
        d["f"][idx] = f
        if d["total"] is None or d["size"] < d["total"]:
            return None, None
        out = None
        if d["size"] == d["total"] and d["f"][1] is not None:
            out = self._join(d)
        if out is None:
            self._fail(key, mine=1)
            return None, "ip_frag_drop"
        del self.tbl[key]
        n = sum(1 for x in d["f"] if x)
        if out is False:
            self.drops["too_big"] += n - 1
            return None, "too_big"
        self.fst["reassembled"] += 1
        self.fst["joined"] += n
        return out, None

    def _fail(self, key, mine=0):
        """Drop datagram @key; its fragments but @mine: ip_frag_drop."""
        d = self.tbl.pop(key)
        self.drops["ip_frag_drop"] += sum(1 for f in d["f"] if f) - mine

    @staticmethod
    def _join(d):
        first, last = d["f"][1], d["f"][0]
        mids = sorted(x for x in d["f"][2:] if x)
        pos = first[1]
        for m in mids:
            if m[0] != pos:
                return None
            pos += m[1]
        if pos != last[0]:
            return None
        payload = b"".join(x[2][ETH_LEN + x[3]:] for x in
                           [first] + mids + [last])
        head = reasm_header(first[2][:ETH_LEN + first[3]], d["total"])
        if head is None:
            return False
        return head + payload


def expect_reasm(frames, table):
    """Run @frames through @table (HbReasm or LibReasm), then the flush at
    exit: (outputs in order, drops, fstat)."""
    outs = []
    for f in frames:
        o = table.packet(f)
        if o is not None:
            outs.append(o)
    table.flush()
    return outs, table.drops, table.fst
