#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Seed corpus of the packet fuzzer (fuzz_pkt.c), standard library only.

Rewrites the seed-* files of tests/fuzz/corpus/pkt/ (regress-* inputs are
left alone): every packet of tests/fwd/gen_pcap.py's 'mixed' set (valid
IPv4 UDP/TCP/ICMP, options, padding, fragments, malformed frames, VXLAN and
broken VXLAN) and 'huge' set, each in a layout of its own (pools from 40 to
65535-byte data rooms, 1..8 segments split inside the Ethernet, IPv4, UDP
and VXLAN headers, direct, shared, indirect and external-buffer segments,
headroom with and without room for 50 bytes, VXLAN depth 1..8, injected
allocation failures), plus layouts chosen for encap's allocation points
and the 65499-byte encap limit; and for frag and reasm the packets of the
'frag' and 'reasm' sets (large IPv4 packets, DF, options, fragments of
every kind), with MTUs and reassembly orders from the seed (the MTU is 68
+ the VXLAN seed's VNI % 1500, the order the metadata seed's top bits).

Input format (see decode() in fuzz_pkt.c): [0] pool | extend << 3 |
fault << 4 | (depth - 1) << 5; [1] (segments - 1) | fault_k << 3; [2]
metadata seed; [3..6] VXLAN parameters seed; per segment kind, headroom
(LE16), length (LE16); if extend: target (LE16) + 32 x (u8); the packet.

Usage: gen_corpus_pkt.py [OUT_DIR]
"""

import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fwd"))

import gen_pcap  # noqa: E402

ROOMS = (40, 99, 100, 192, 2176, 65535)
P40, P99, P100, P192, P2176, P65535 = range(6)
DIRECT, DIRECT_SHARED, INDIRECT, INDIRECT_HELD, EXT, EXT_SHARED = range(6)
# The fuzzer's short runs use -max_len=4096: longer frames are extended.
MAX_DATA = 4000


def case(frame, pool=P2176, segs=((DIRECT, 128, 0),), depth=1, fault=None,
         meta=0, seed=0x01020304, target=None):
    """@segs: (kind, headroom, length) per segment, the last length being
    whatever remains. @target: extend the packet (the frame repeated)."""
    b0 = pool | (8 if target is not None else 0) | \
        (16 if fault is not None else 0) | ((depth - 1) << 5)
    b1 = (len(segs) - 1) | ((fault or 0) << 3)
    h = bytes([b0, b1, meta]) + struct.pack("<I", seed)
    for kind, hr, ln in segs:
        h += bytes([kind]) + struct.pack("<HH", hr, ln)
    if target is not None:
        hi = max(0, (target - 0xFFFF + 31) // 32)
        h += struct.pack("<HB", target - 32 * hi, hi)
    return h + frame


def split_layout(rng, frame_len, room):
    """1..8 segments with cuts inside the headers, random kinds."""
    cuts = sorted(set(c for c in (rng.choice((6, 8, 12, 13, 14, 15, 20, 24,
                                              26, 33, 34, 38, 42, 48, 49,
                                              50, 58, 64, 92))
                                  for _ in range(rng.randrange(0, 7)))
                      if c < frame_len))
    segs, prev = [], 0
    for c in cuts + [frame_len]:
        ln = c - prev
        while ln > room:   # a segment holds at most the data room
            segs.append(room)
            ln -= room
        segs.append(ln)
        prev = c
    if len(segs) > 8:
        return None
    if rng.random() < 0.15:  # an empty segment somewhere
        segs.insert(rng.randrange(len(segs) + 1), 0)
        segs = segs[:8]
    out = []
    for i, ln in enumerate(segs):
        kind = rng.choice((DIRECT, DIRECT, DIRECT, DIRECT_SHARED, INDIRECT,
                           INDIRECT_HELD, EXT, EXT_SHARED))
        hr = rng.choice((0, 49, 50, 128, room)) if room >= ln else 0
        out.append((kind, max(0, min(hr, room - ln)), ln))
    return tuple(out)


def seeds():
    rng = random.Random("fuzz-pkt-corpus")
    out = []
    frames = gen_pcap.generate("mixed") + gen_pcap.generate("huge")
    for i, (name, fr) in enumerate(frames):
        target = None
        if len(fr) > MAX_DATA:
            target, fr = len(fr), fr[:MAX_DATA]
        pool = (P2176, P192, P65535, P100, P99, P40)[i % 6]
        if target is not None and target > 8 * ROOMS[pool]:
            pool = P65535
        depth = 2 if "nested" in name else 1 + (i % 3 == 2)
        segs = ((DIRECT, 128, 0),)
        if i % 4:
            segs = split_layout(rng, target or len(fr), ROOMS[pool])
            if segs is None:
                pool, segs = P65535, ((DIRECT, 128, 0),)
        fault = (i // 6) % 3 if i % 5 == 0 else None
        out.append(("seed-%03d-%s" % (i, name),
                    case(fr, pool, segs, depth, fault, meta=i & 0xFF,
                         seed=rng.randrange(1 << 32), target=target)))

    udp = gen_pcap.udp_frame(rng, 100)
    vx = gen_pcap.vxlan_frame(rng, udp)
    # Encap allocation points: headroom 50 / 49, non-exclusive heads,
    # data rooms that leave 49 or 50 bytes in a new head, 50 bytes over
    # two new segments, 8 layers; failures at each point.
    for kind in range(6):
        for hr in (0, 49, 50, 100):
            out.append(("seed-head-%d-hr%d" % (kind, hr),
                        case(udp, P192, ((kind, hr, 0),), depth=3)))
    for pool in (P40, P99, P100, P192):
        for k in range(4):
            out.append(("seed-depth8-room%d-fail%d" % (ROOMS[pool], k),
                        case(udp[:60], pool, ((DIRECT, 0, 20),
                                              (INDIRECT, 0, 20),
                                              (EXT, 10, 0)),
                             depth=8, fault=k)))
    # The encap limit: 65499 bytes pass, 65500 do not; at depth 2 the
    # second layer finds 65449 + 50 = 65499 (passes) or 65450 + 50.
    for t, d in ((65499, 1), (65500, 1), (65449, 2), (65450, 2),
                 (65535, 1), (70000, 1)):
        out.append(("seed-limit-%d-depth%d" % (t, d),
                    case(udp, P65535, ((DIRECT, 60, 0),), depth=d,
                         target=t)))
        out.append(("seed-limit-%d-depth%d-split" % (t, d),
                    case(udp, P65535, ((EXT, 0, 20), (INDIRECT, 0, 30000),
                                       (DIRECT, 0, 0)), depth=d,
                         target=t)))
    # frag and reasm: big packets, DF, options, fragments; MTUs from 68
    # up, the four reassembly orders, failures in the fragment pool.
    fr = gen_pcap.generate("frag") + gen_pcap.generate("reasm")
    for i, (name, f) in enumerate(fr):
        target = None
        if len(f) > MAX_DATA:
            target, f = len(f), f[:MAX_DATA]
        pool = (P2176, P65535, P192)[i % 3]
        if target is not None or len(f) > 8 * ROOMS[pool]:
            pool = P65535
        segs = ((DIRECT, 128, 0),)
        if i % 3 == 2:
            segs = split_layout(rng, target or len(f), ROOMS[pool]) or segs
        out.append(("seed-frag-%03d-%s" % (i, name),
                    case(f, pool, segs, fault=(i % 7) if i % 4 == 0 else
                         None, meta=(i % 4) << 6,
                         seed=rng.randrange(1 << 32), target=target)))
    # VXLAN headers cut at every byte across two segments, depth 1 and 2.
    for cut in range(1, 50, 3):
        out.append(("seed-vxlan-cut%02d" % cut,
                    case(vx, P2176, ((DIRECT, 128, cut), (DIRECT, 0, 0)),
                         depth=1 + cut % 2)))
    return out


def main(argv):
    out_dir = argv[0] if argv else os.path.join(HERE, "corpus", "pkt")
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.startswith("seed-"):
            os.unlink(os.path.join(out_dir, f))
    items = seeds()
    for name, data in items:
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (out_dir, len(items)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
