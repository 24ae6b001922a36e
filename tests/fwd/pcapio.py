# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Classic pcap files (libpcap format), standard library only.

Reads both byte orders and both timestamp resolutions (DPDK's net_pcap
writes nanosecond files); writes little-endian microsecond files with
LINKTYPE_ETHERNET.
"""

import struct

MAGIC_US = 0xA1B2C3D4
MAGIC_NS = 0xA1B23C4D
LINKTYPE_ETHERNET = 1
SNAPLEN = 65535


class Record:
    """One packet: the captured bytes and the length on the wire."""

    __slots__ = ("data", "wire_len")

    def __init__(self, data, wire_len=None):
        self.data = bytes(data)
        self.wire_len = len(data) if wire_len is None else wire_len

    @property
    def truncated(self):
        return len(self.data) < self.wire_len


def write(path, frames):
    """Write @frames (bytes each) as a pcap file, one record each."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", MAGIC_US, 2, 4, 0, 0, SNAPLEN,
                            LINKTYPE_ETHERNET))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000 + i // 1000,
                                (i % 1000) * 1000, len(frame), len(frame)))
            f.write(frame)


def read(path):
    """Return the list of Record in @path."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 24:
        raise ValueError("%s: %d bytes, not a pcap file" % (path, len(blob)))
    for endian in ("<", ">"):
        (magic,) = struct.unpack(endian + "I", blob[:4])
        if magic in (MAGIC_US, MAGIC_NS):
            break
    else:
        raise ValueError("%s: bad pcap magic %r" % (path, blob[:4]))
    linktype = struct.unpack(endian + "I", blob[20:24])[0]
    if linktype != LINKTYPE_ETHERNET:
        raise ValueError("%s: link type %d, not Ethernet" % (path, linktype))
    out = []
    off = 24
    while off < len(blob):
        if off + 16 > len(blob):
            raise ValueError("%s: truncated record header at %d" % (path, off))
        _, _, caplen, wire_len = struct.unpack(endian + "IIII",
                                               blob[off:off + 16])
        off += 16
        if off + caplen > len(blob):
            raise ValueError("%s: truncated record at %d" % (path, off))
        out.append(Record(blob[off:off + caplen], wire_len))
        off += caplen
    return out
