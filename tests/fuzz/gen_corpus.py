#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""Write the seed corpus of fuzz_ops into corpus/ops/ (seed-* files).

An input is a configuration byte (the pool of each buffer slot) followed by
operations: an opcode byte (index in OPS, the order of fuzz_ops.c's op enum)
and its argument bytes, read in the order fuzz_ops.c reads them (missing
bytes read as 0). For every operation the seeds run it after a few set-ups
(plain buffers, a live visitor, a shared buffer with a queued request,
an armed allocation failure) with a few deterministic argument strings, so
each operation and its main branches are reached from the start. The
regression inputs (regress-*) are not touched.

    tests/fuzz/gen_corpus.py [OUTDIR]
"""

import os
import random
import sys

OPS = ["append", "append_int", "prepend", "read", "write", "trim", "adj",
       "split", "peek", "iov", "reserve", "free", "detach", "reinit",
       "cursor_init", "cursor", "vis_read", "vis_write", "scribble",
       "release", "share", "unshare", "async", "poll", "cancel", "fault",
       "invalid", "hog", "pullup", "concat", "close"]
OP = {name: i for i, name in enumerate(OPS)}


def op(name, *args):
    return bytes([OP[name]]) + bytes(args)


def append(buf, n):
    # size selector 3: g16 % 600; not NULL; source offset
    return op("append", buf, 3, n & 0xff, n >> 8, 1, 7, 0)


def big_append(buf, n):
    # size selector 4: g16 % (4 * cap + 1)
    return op("append", buf, 4, n & 0xff, n >> 8, 1, 9, 0)


SETUPS = {
    "plain": append(0, 300) + append(1, 40) + big_append(2, 500),
    "visitor": append(0, 300) + append(1, 40) +
    op("vis_read", 0, 0x01, 0x06, 0x10, 0x00, 0x00, 40),
    "writer": append(0, 300) +
    op("vis_write", 0, 0x02, 5, 0, 1, 100, 0, 3),
    "shared": append(0, 300) + append(1, 40) + op("share", 0) +
    op("vis_read", 0, 0x01, 0x06, 0x10, 0x00, 0x00, 40) +
    op("async", 0, 0x01, 0x05, 0, 0x10, 0, 1, 0),
    "fault": append(0, 300) + op("fault", 0, 0) + op("fault", 1, 1) +
    op("fault", 2, 0x82),
}

ARGS = [
    bytes([0, 3, 0x20, 0x00, 1, 5, 0, 0, 0]),
    bytes([1, 4, 0xff, 0x03, 2, 0x10, 0x01, 3, 3]),
    bytes([2, 1, 5, 9, 0x21, 0x40, 0, 7, 1]),
    bytes([0, 7, 0x7f, 0xff, 0xff, 0x1, 2, 0x80, 0x81]),
    bytes([1, 0xf2, 0x13, 0x37, 0x42, 0x99, 0x0c, 0xee, 0x71]),
]

SCENARIOS = {
    # A writer queued behind a reader, a reader behind the writer, poll.
    "fifo": bytes([0]) + append(0, 300) + op("share", 0) +
    op("vis_read", 0, 0x01, 0x06, 0x10, 0x00, 0x00, 40) +
    op("async", 0, 0x01, 0x05, 0, 0x10, 0, 1, 0) +
    op("async", 0, 0x00, 0x06, 0x10, 0x00, 0x00, 0x10, 0x00, 0) +
    op("release", 0) + op("poll", 0) + op("release", 6) +
    op("poll", 0) + op("release", 7),
    # Teardown with queued requests and a live visitor: the calls fail
    # and change nothing; close cancels the requests; free once released.
    # vis_write(buf 0, visitor 0, [0, 16)); async write (request 0) and
    # read (request 1) of [0, 16), queued behind it.
    "teardown": bytes([0]) + append(0, 300) + op("share", 0) +
    op("vis_write", 0, 0x00, 0, 0x07, 0x10, 0, 0) +
    op("async", 0, 0x01, 0, 0x07, 0x10, 0, 0, 0xff, 0x0f, 0) +
    op("async", 0, 0x00, 1, 0x07, 0x10, 0, 0, 0xff, 0x0f, 0) +
    op("unshare", 0) + op("free", 0) + op("detach", 0, 0) +
    op("poll", 0) + op("close", 0) + op("unshare", 0) + op("poll", 0) +
    op("close", 0) + op("release", 0) + op("free", 0),
    # Cancel a queued request.
    "cancel": bytes([0]) + append(0, 300) + op("share", 0) +
    op("vis_write", 0, 0x00, 6, 0x10, 0, 0, 0x10, 0) +
    op("async", 0, 0x00, 0x06, 0x10, 0x00, 0x00, 0x10, 0x00, 0) +
    op("cancel", 0) + op("cancel", 1) + op("cancel", 0xff) +
    op("release", 0),
    # Growing write visitors on each pool, then the pool runs dry.
    "grow": bytes([0x24]) + op("vis_write", 0, 0x02, 5, 0, 1, 200, 0, 3) +
    op("scribble", 0, 3, 0, 40, 0, 0xab) + op("release", 0) +
    op("vis_write", 1, 0x02, 5, 0, 0, 0xff, 0x7f, 3) +
    op("vis_write", 2, 0x02, 5, 0, 0, 0xff, 0xff, 0xff, 1, 2, 3) +
    op("release", 1) + op("release", 2),
    # Split inside a segment, then cursors on both halves.
    "split": bytes([0]) + big_append(0, 500) +
    op("cursor_init", 0, 0, 2, 0, 0) + op("split", 0, 4, 0x33, 0x01) +
    op("cursor", 0, 0, 2, 5) + op("cursor_init", 1, 1, 2, 0, 0) +
    op("cursor", 1, 0, 2, 7) + op("cursor", 1, 6, 0),
    # Bounce memory runs out after a write visit grew: growth undone.
    "bounce": bytes([0]) + big_append(0, 500) + op("hog", 0xff) +
    op("vis_write", 0, 0x02, 5, 0, 1, 100, 0, 3) +
    op("vis_read", 0, 0x01, 0x06, 0x10, 0x00, 0x00, 40) + op("hog", 0) +
    op("vis_write", 0, 0x02, 5, 0, 1, 100, 0, 3),
    # Reserve, then appends that take no mbuf; detach and attach back.
    "reserve": bytes([0x15]) + op("reserve", 0, 4, 0xff, 0x01) +
    append(0, 100) + op("detach", 0, 0) + op("detach", 0, 1) +
    op("detach", 0, 0),
    # Joins: with reserved segments, under a cursor, into an empty
    # buffer, refused (the same buffer, a shared one), after a split
    # (joined back), of an adopted chain. (reserve: a last byte, even:
    # no append of what it reserved.)
    "concat": bytes([0x24]) + append(0, 300) + append(1, 500) +
    op("reserve", 0, 4, 0xff, 0x01, 0) + op("cursor_init", 0, 0, 2, 0x10, 0) +
    op("concat", 0, 1, 7) + op("cursor", 0, 0, 0) +
    op("concat", 2, 0, 5) + op("concat", 2, 2, 5) + op("share", 1) +
    op("concat", 2, 1, 6) + op("unshare", 1) +
    op("split", 2, 2, 3, 0x40, 0x01) + op("concat", 2, 0, 7) +
    op("detach", 2, 0) + op("concat", 1, 2, 7),
    # Growth through the classes, one of them failing, one dry: smaller
    # classes serve; the grown buffers joined.
    "classes": bytes([0x24]) + op("append", 0, 6, 0xff, 0xff, 1, 0, 0) +
    op("fault", 7, 0) + op("append", 1, 6, 0xff, 0x7f, 1, 0, 0) +
    op("append", 2, 6, 0xff, 0xff, 1, 0, 0) +
    op("append", 2, 6, 0xff, 0xff, 1, 0, 0) +
    op("reserve", 1, 5, 0xff, 0x3f, 0) + op("concat", 0, 1, 7) +
    op("concat", 0, 2, 7) + op("free", 0),
    # Exhaust a pool, then every growing call fails.
    "exhaust": bytes([0x2a]) + op("append", 0, 6, 0xff, 0xff, 1, 0, 0) +
    op("append", 0, 5, 0xff, 0x3f, 1, 0, 0) + op("prepend", 0, 3, 100, 0, 1) +
    op("split", 0, 3, 0x10, 0, 2) + op("reserve", 0, 5, 0xff, 0x3f),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "ops")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.startswith("seed-"):
            os.remove(os.path.join(out, f))
    rng = random.Random(20260101)
    n = 0
    for name in OPS:
        for i, (sname, setup) in enumerate(SETUPS.items()):
            args = ARGS[(i + OP[name]) % len(ARGS)]
            cfg = bytes([rng.randrange(256)])
            data = cfg + setup + op(name) + args + op(name) + \
                bytes(rng.randrange(256) for _ in range(12))
            with open(os.path.join(out, "seed-%s-%s" % (name, sname)),
                      "wb") as f:
                f.write(data)
            n += 1
    for name, data in SCENARIOS.items():
        with open(os.path.join(out, "seed-scenario-" + name), "wb") as f:
            f.write(data)
        n += 1
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main()
