#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""hb-fwd end-to-end tests (standard library only).

Each case runs the real hb-fwd binary on DPDK vdevs: net_pcap ports fed by
pcaps from gen_pcap.py, whose output is checked byte for byte against the
reference model (model.py, independent of HyperBuf), with every drop
counted under the right reason (--stats-json); or net_null ports for runs
that must shut down cleanly (zero mbufs in use, exit status 0), signals and
telemetry; or bad command lines.

Usage: e2e.py --hb-fwd PATH --workdir DIR [--tag TAG] CASE
       e2e.py --list
Exit: 0 pass, 1 fail, 77 skipped (the EAL cannot start here).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import gen_pcap
import model
import pcapio
import struct

EAL_BASE = ["--no-huge", "-m", "256", "--no-pci", "--no-shconf",
            "--log-level=lib.eal:error"]
# Forwarding lcore 1, main lcore 0 keeps time (as dpdk-testpmd).
LCORES_1 = ["-l", "0-1"]
# Two forwarding lcores, also on a 2-CPU machine.
LCORES_2 = ["--lcores=0@0,1@0,2@1"]
# Three forwarding lcores and the main one on two CPUs: busy-polling
# lcores share a CPU.
LCORES_3 = ["--lcores=0@0,1@0,2@1,3@1"]
# Sizes of the mbuf data room for multi-segment runs: after the 128-byte
# headroom the head segment holds 8, 14, 20, 32 or 50 bytes, splitting the
# Ethernet, IPv4, UDP and VXLAN headers in turn; later segments hold the
# whole data room.
MULTISEG_SIZES = (136, 142, 148, 160, 178)
# Safety net only: pcap runs stop at --max-packets long before.
PCAP_DURATION = "60"
RUN_TIMEOUT = 120


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


class Ctx:
    def __init__(self, hbfwd, workdir, tag, case):
        self.hbfwd = hbfwd
        self.workdir = workdir
        self.tag = tag
        self.case = case
        self.runs = 0

    @property
    def prefix(self):
        return "hbfwd-%s-%s" % (self.tag, self.case)

    def path(self, name):
        return os.path.join(self.workdir, name)

    def command(self, eal, app):
        return ([self.hbfwd] + EAL_BASE + ["--file-prefix", self.prefix] +
                eal + ["--"] + app)

    def run(self, eal, app, timeout=RUN_TIMEOUT):
        """Run hb-fwd to completion; keep its output in the work dir."""
        cmd = self.command(eal, app)
        self.runs += 1
        log = self.path("run%d.log" % self.runs)
        print("+ " + " ".join(cmd), flush=True)
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               timeout=timeout, errors="replace")
        except subprocess.TimeoutExpired as e:
            raise Fail("hb-fwd did not finish in %d s: %s" % (timeout, e))
        with open(log, "w") as f:
            f.write("$ %s\n--- exit %d after %.2f s\n--- stdout\n%s\n"
                    "--- stderr\n%s\n" % (" ".join(cmd), p.returncode,
                                          time.monotonic() - t0, p.stdout,
                                          p.stderr))
        if "Cannot init EAL" in p.stderr or "Cannot init EAL" in p.stdout:
            raise Skip("the EAL cannot start here (see %s)" % log)
        check_sanitizers(p.stderr, log)
        p.log = log
        return p


def check_sanitizers(stderr, log):
    """A sanitizer report fails the case even if the exit status is 0."""
    for mark in ("runtime error:", "ERROR: AddressSanitizer",
                 "ERROR: LeakSanitizer"):
        check(mark not in stderr, "sanitizer report (see %s): %s" %
              (log, stderr[stderr.index(mark) - 200:][:600]
               if mark in stderr else ""))


def load_json(path):
    with open(path) as f:
        return json.load(f)


def expect_clean_exit(p, st=None):
    check(p.returncode == 0, "hb-fwd exited %d (see %s):\n%s" %
          (p.returncode, p.log, (p.stderr or "")[-2000:]))
    check("mbufs in use after shutdown: 0 of" in p.stdout,
          "no clean 'mbufs in use after shutdown: 0' line (see %s)" % p.log)
    if st is not None:
        check(st["mbufs_in_use"] == 0, "JSON: mbufs_in_use %d" %
              st["mbufs_in_use"])


def mac_bytes(text):
    return bytes.fromhex(text.replace(":", ""))


def hexdiff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            lo = max(0, i - 8)
            return ("first difference at byte %d: expected %s, got %s" %
                    (i, a[lo:i + 8].hex(" "), b[lo:i + 8].hex(" ")))
    return "lengths differ: expected %d, got %d" % (len(a), len(b))


def compare_output(label, expected, got_records, names=None):
    """@expected: list of (input index, frame); got: pcap records."""
    check(len(got_records) == len(expected),
          "%s: %d packets out, %d expected" % (label, len(got_records),
                                               len(expected)))
    for (idx, exp), rec in zip(expected, got_records):
        name = names[idx] if names else str(idx)
        if rec.truncated:
            # net_pcap captures at most 9728 bytes of a multi-segment
            # packet: the prefix and the length on the wire must match.
            ok = rec.wire_len == len(exp) and exp[:len(rec.data)] == rec.data
        else:
            ok = rec.data == exp
        if not ok:
            raise Fail("%s: packet %d (input %s, %d bytes) differs: %s" %
                       (label, expected.index((idx, exp)), name, len(exp),
                        hexdiff(exp, rec.data)))


def expected_pairs(mode, frames, cfg=None, depth=1):
    outs, drops = [], dict.fromkeys(model.DROP_REASONS, 0)
    for i, f in enumerate(frames):
        out, why = model.apply(mode, f, cfg, depth)
        if why:
            drops[why] += 1
        else:
            outs.append((i, out))
    return outs, drops


def check_drops(label, st_drops, exp_drops):
    bad = ["%s: got %d, expected %d" % (r, st_drops.get(r, -1), n)
           for r, n in exp_drops.items() if st_drops.get(r, -1) != n]
    check(not bad, "%s: drop counters differ: %s" % (label, "; ".join(bad)))


def check_properties(mode, inputs, outputs, depth=1):
    """Checks that do not use the model's output bytes at all."""
    for idx, out in outputs:
        src = inputs[idx]
        if mode == "route" and model.checksum_ok(src[14:14 + (src[14] & 15) * 4]):
            hl = (out[14] & 15) * 4
            check(model.checksum_ok(out[14:14 + hl]),
                  "route: packet from input %d has a bad IPv4 checksum" % idx)
            check(out[22] == src[22] - 1, "route: TTL not decremented")
        if mode == "encap":
            check(model.checksum_ok(out[14:34]),
                  "encap: outer IPv4 checksum of input %d is bad" % idx)
            check(int.from_bytes(out[16:18], "big") == len(out) - 14,
                  "encap: outer total length of input %d" % idx)
            check(int.from_bytes(out[38:40], "big") == len(out) - 34,
                  "encap: UDP length of input %d" % idx)
            check(out[50 * depth:] == src,
                  "encap: inner frame of input %d" % idx)


def pcap_run(ctx, mode, frames, tag, eal_extra=(), app_extra=(),
             mbuf_size=None, depth=1, names=None, encap_cfg=None,
             engine="hyperbuf"):
    """One hb-fwd run on one net_pcap port (forwarding to itself);
    returns (output records, stats)."""
    tag += "-" + engine
    inp = ctx.path("%s-in.pcap" % tag)
    out = ctx.path("%s-out.pcap" % tag)
    js = ctx.path("%s-stats.json" % tag)
    for f in (out, js):
        if os.path.exists(f):
            os.unlink(f)
    pcapio.write(inp, frames)
    app = ["--mode", mode, "--stats-period", "0", "--max-packets",
           str(len(frames)), "--duration", PCAP_DURATION, "--stats-json",
           js, "--tunnel-depth", str(depth), "--engine", engine] + \
        list(app_extra)
    if mbuf_size:
        app += ["--mbuf-size", str(mbuf_size)]
    eal = LCORES_1 + ["--vdev=net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                      (inp, out)] + list(eal_extra)
    p = ctx.run(eal, app)
    check(os.path.exists(js), "no stats JSON written (see %s)" % p.log)
    st = load_json(js)
    expect_clean_exit(p, st)
    cfg = model.EncapConfig(src_mac=mac_bytes(st["ports"][0]["mac"]),
                            **(encap_cfg or {}))
    exp, drops = expected_pairs(mode, frames, cfg, depth)
    label = "%s (mode %s, engine %s, mbuf size %s, depth %d)" % (
        tag, mode, engine, mbuf_size or "default", depth)
    got = pcapio.read(out)
    compare_output(label, exp, got, names)
    check_drops(label, st["drops"], drops)
    check(st["totals"]["rx"] == len(frames), "%s: rx %d, sent %d" %
          (label, st["totals"]["rx"], len(frames)))
    check(st["totals"]["tx"] == len(exp), "%s: tx %d, expected %d" %
          (label, st["totals"]["tx"], len(exp)))
    check(st["totals"]["tx_dropped"] == 0, "%s: TX drops" % label)
    check(st["engine"] == engine, "%s: engine %s" % (label, st["engine"]))
    # The app counts bounced visits itself (hb_visitor_is_direct); the
    # library counts them too: both must agree.
    check(st["visits"]["bounced"] == st["hyperbuf"]["visits_bounced"],
          "%s: app counted %d bounced visits, library %d" %
          (label, st["visits"]["bounced"], st["hyperbuf"]["visits_bounced"]))
    check_properties(mode, frames, exp, depth)
    return got, st


def mixed():
    pk = gen_pcap.generate("mixed")
    return [f for _, f in pk], [n for n, _ in pk]


# ---------------------------------------------------------------------
# Cases


def case_model_selftest(ctx):
    """The model and the generator: every drop reason each mode can give is
    exercised by the mixed set; encap/decap invert each other."""
    frames, names = mixed()
    cfg = model.EncapConfig(src_mac=bytes.fromhex("027063617000"))
    want = {
        "io": set(),
        "macswap": {"short"},
        "route": {"short", "not_ipv4", "bad_version", "bad_ihl",
                  "bad_total_len", "ttl_exceeded"},
        "encap": {"short"},
        "decap": {"short", "not_vxlan", "bad_version", "bad_ihl",
                  "bad_total_len", "fragment", "bad_udp_len"},
    }
    for mode, reasons in want.items():
        _, drops = model.expect(mode, frames, cfg)
        got = {r for r, n in drops.items() if n}
        check(got == reasons, "mixed set, mode %s: drop reasons %s, want %s"
              % (mode, sorted(got), sorted(reasons)))
    _, drops = model.expect("encap", [f for _, f in gen_pcap.generate("huge")],
                            cfg)
    check(drops["too_big"] == 2, "huge set: %d too-big" % drops["too_big"])
    for depth in (1, 3):
        for f in frames:
            e, why = model.encap(f, cfg, depth)
            if why:
                continue
            d, why = model.decap(e, depth)
            check(why is None and d == f, "decap(encap(x)) != x")
    # RFC 1624 update equals a full recomputation on valid headers.
    for f, n in zip(frames, names):
        out, why = model.route(f)
        if why is None and model.checksum_ok(f[14:14 + (f[14] & 15) * 4]):
            check(model.checksum_ok(out[14:14 + (out[14] & 15) * 4]),
                  "RFC 1624 update broke %s" % n)
    # The pcap writer and reader agree.
    path = ctx.path("selftest.pcap")
    pcapio.write(path, frames)
    check([r.data for r in pcapio.read(path)] == frames, "pcap round trip")
    print("model self-test: %d frames" % len(frames))


ENGINES = ("hyperbuf", "raw")


def both_engines(ctx, mode, frames, tag, **kw):
    """The run with each engine: byte-identical output, same drops (each
    also checked against the model). Returns the HyperBuf run's."""
    res = {e: pcap_run(ctx, mode, frames, tag, engine=e, **kw)
           for e in ENGINES}
    (hb, hst), (raw, rst) = res["hyperbuf"], res["raw"]
    check([(r.data, r.wire_len) for r in hb] ==
          [(r.data, r.wire_len) for r in raw],
          "%s: the engines' outputs differ" % tag)
    check(hst["drops"] == rst["drops"], "%s: the engines' drops differ: "
          "%s / %s" % (tag, hst["drops"], rst["drops"]))
    check(rst["visits"]["total"] == 0, "raw engine counted visits")
    return hb, hst


def make_mode_case(mode):
    def case(ctx):
        frames, names = mixed()
        both_engines(ctx, mode, frames, mode, names=names)
    case.__doc__ = ("mode %s on the mixed set, default pool, both engines "
                    "(byte-identical output)" % mode)
    return case


def make_multiseg_case(mode):
    def case(ctx):
        frames, names = mixed()
        bounced = 0
        for size in MULTISEG_SIZES:
            _, st = both_engines(ctx, mode, frames, "%s-%d" % (mode, size),
                                 mbuf_size=size, names=names)
            bounced += st["visits"]["bounced"]
        # io moves bytes untouched, encap and decap read their headers
        # with hb_buf_peek(): none of them takes a visitor.
        if mode not in ("io", "encap", "decap"):
            check(bounced > 0, "no visit bounced: headers were never split")
        print("%s: %d bounced visits over %d pool sizes" %
              (mode, bounced, len(MULTISEG_SIZES)))
    case.__doc__ = ("mode %s on the mixed set with small mbufs: headers "
                    "split across segments; both engines" % mode)
    return case


def roundtrip(ctx, frames, names, depth, mbuf_size=None):
    enc, st = both_engines(ctx, "encap", frames, "enc%d" % depth,
                           depth=depth, mbuf_size=mbuf_size, names=names)
    cfg = model.EncapConfig(src_mac=mac_bytes(st["ports"][0]["mac"]))
    kept = [(i, f) for i, f in enumerate(frames)
            if model.encap(f, cfg, depth)[1] is None]
    check(all(not r.truncated for r in enc), "encap output truncated")
    enc_frames = [r.data for r in enc]
    dec, _ = both_engines(ctx, "decap", enc_frames, "dec%d" % depth,
                          depth=depth, mbuf_size=mbuf_size)
    compare_output("encap then decap (depth %d)" % depth, kept, dec, names)
    return st


def case_encap_decap(ctx):
    """encap then decap gives back the original packets (default pool and
    small mbufs)."""
    frames, names = mixed()
    roundtrip(ctx, frames, names, 1)
    roundtrip(ctx, frames, names, 1, mbuf_size=148)


def case_no_headroom(ctx):
    """Three nested VXLAN headers need 150 bytes in front: the third finds
    no headroom left (128 - 100 < 50) and HyperBuf chains a new head
    segment; decap of all three gives the originals back."""
    frames, names = mixed()
    st = roundtrip(ctx, frames, names, 3)
    check(st["hyperbuf"]["segs_alloc"] == st["totals"]["tx"],
          "segs_alloc %d, expected one new head segment per packet (%d)" %
          (st["hyperbuf"]["segs_alloc"], st["totals"]["tx"]))
    st = roundtrip(ctx, frames, names, 3, mbuf_size=160)
    check(st["hyperbuf"]["segs_alloc"] == st["totals"]["tx"],
          "small mbufs: segs_alloc %d, tx %d" %
          (st["hyperbuf"]["segs_alloc"], st["totals"]["tx"]))


def case_encap_options(ctx):
    """--vni, --vxlan-src, --vxlan-dst and --vxlan-mac end up in the outer
    headers."""
    frames, names = mixed()
    pcap_run(ctx, "encap", frames, "opts", names=names,
             app_extra=["--vni", "703710", "--vxlan-src", "10.9.8.7",
                        "--vxlan-dst", "172.16.254.3", "--vxlan-mac",
                        "02:aa:bb:cc:dd:ee"],
             encap_cfg={"vni": 703710, "src_ip": bytes([10, 9, 8, 7]),
                        "dst_ip": bytes([172, 16, 254, 3]),
                        "dst_mac": bytes.fromhex("02aabbccddee")})


def case_too_big(ctx):
    """encap drops frames whose outer IPv4 would pass 65535 bytes."""
    pk = gen_pcap.generate("huge")
    _, st = pcap_run(ctx, "encap", [f for _, f in pk], "huge",
                     names=[n for n, _ in pk])
    check(st["drops"]["too_big"] == 2, "too-big %d" % st["drops"]["too_big"])


def case_pairs(ctx):
    """Three pcap ports, default pairing: 0<->1, port 2 alone to itself;
    then --portmap (0,2) with port 1 alone."""
    frames, _ = mixed()
    parts = [frames[i::3] for i in range(3)]
    for label, portmap, peer in (("default", [], {0: 1, 1: 0, 2: 2}),
                                 ("portmap", ["--portmap", "(0,2)"],
                                  {0: 2, 2: 0, 1: 1})):
        eal = list(LCORES_1)
        for p in range(3):
            inp = ctx.path("%s-in%d.pcap" % (label, p))
            pcapio.write(inp, parts[p])
            eal.append("--vdev=net_pcap%d,rx_pcap=%s,tx_pcap=%s" %
                       (p, inp, ctx.path("%s-out%d.pcap" % (label, p))))
        js = ctx.path("%s-stats.json" % label)
        p = ctx.run(eal, ["--mode", "macswap", "--stats-period", "0",
                          "--max-packets", str(len(frames)), "--duration",
                          PCAP_DURATION, "--stats-json", js] + portmap)
        st = load_json(js)
        expect_clean_exit(p, st)
        for port in range(3):
            check(st["ports"][port]["peer"] == peer[port],
                  "%s: port %d peer %d, expected %d" %
                  (label, port, st["ports"][port]["peer"], peer[port]))
            exp, _ = expected_pairs("macswap", parts[port])
            got = pcapio.read(ctx.path("%s-out%d.pcap" % (label,
                                                          peer[port])))
            compare_output("%s: port %d -> %d" % (label, port, peer[port]),
                           exp, got)


def case_multiqueue(ctx):
    """Two forwarding lcores, two RX and two TX queues on one pcap port:
    each lcore polls one RX queue and owns one TX queue."""
    frames, names = mixed()
    parts = [frames[0::2], frames[1::2]]
    ins = [ctx.path("mq-in%d.pcap" % q) for q in range(2)]
    outs = [ctx.path("mq-out%d.pcap" % q) for q in range(2)]
    for q in range(2):
        pcapio.write(ins[q], parts[q])
    js = ctx.path("mq-stats.json")
    vdev = "--vdev=net_pcap0,rx_pcap=%s,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" % (
        ins[0], ins[1], outs[0], outs[1])
    p = ctx.run(LCORES_2 + [vdev],
                ["--mode", "route", "--rxq", "2", "--stats-period", "0",
                 "--max-packets", str(len(frames)), "--duration",
                 PCAP_DURATION, "--stats-json", js])
    st = load_json(js)
    expect_clean_exit(p, st)
    check(len(st["lcores"]) == 2, "%d forwarding lcores" % len(st["lcores"]))
    check(st["ports"][0]["tx_queues"] == 2, "TX queues: %d" %
          st["ports"][0]["tx_queues"])
    total = dict.fromkeys(model.DROP_REASONS, 0)
    for q in range(2):
        exp, drops = expected_pairs("route", parts[q])
        compare_output("queue %d" % q, exp, pcapio.read(outs[q]))
        check(st["lcores"][q]["rx"] == len(parts[q]), "lcore %d rx %d" %
              (st["lcores"][q]["lcore"], st["lcores"][q]["rx"]))
        for r, n in drops.items():
            total[r] += n
    check_drops("multiqueue", st["drops"], total)


def null_run(ctx, mode, eal=None, app=(), seconds=2):
    js = ctx.path("%s-stats.json" % mode)
    eal = (eal if eal is not None else LCORES_1 +
           ["--vdev", "net_null0", "--vdev", "net_null1"])
    p = ctx.run(eal, ["--mode", mode, "--duration", str(seconds),
                      "--stats-period", "1", "--stats-json", js] + list(app))
    st = load_json(js)
    expect_clean_exit(p, st)
    t = st["totals"]
    check(t["rx"] > 0, "nothing received")
    check("--duration elapsed" in p.stdout, "no duration stop message")
    check("all: RX" in p.stdout, "no periodic statistics")
    check(t["rx"] == t["tx"] + t["rx_dropped"] + t["tx_dropped"],
          "rx %d != tx + drops" % t["rx"])
    return p, st


def make_null_case(mode):
    def case(ctx):
        _, st = null_run(ctx, mode)
        t = st["totals"]
        # net_null delivers 64-byte frames of zeros: EtherType 0.
        if mode in ("io", "macswap", "encap"):
            check(t["tx"] + t["tx_dropped"] == t["rx"], "drops in " + mode)
        elif mode == "route":
            check(st["drops"]["not_ipv4"] == t["rx"], "route: not-ipv4")
        elif mode == "decap":
            check(st["drops"]["not_vxlan"] == t["rx"], "decap: not-vxlan")
        print("%s: %.2f Mpps for %.1f s" % (mode, t["rx"] / st["seconds"] / 1e6,
                                            st["seconds"]))
    case.__doc__ = ("mode %s on two net_null ports for 2 s: clean exit, "
                    "zero mbufs in use" % mode)
    return case


def case_null_multiqueue(ctx):
    """net_null with RSS: 2 RX queues per port over 2 forwarding lcores."""
    eal = LCORES_2 + ["--vdev", "net_null0", "--vdev", "net_null1"]
    _, st = null_run(ctx, "macswap", eal, ["--rxq", "2"])
    check(all(p["rss"] for p in st["ports"]), "RSS not enabled")
    check(len(st["lcores"]) == 2 and
          all(l["streams"] == 2 and l["rx"] > 0 for l in st["lcores"]),
          "lcores: %s" % st["lcores"])


def case_single_lcore(ctx):
    """The main lcore alone forwards and keeps time; a lone port forwards
    to itself."""
    _, st = null_run(ctx, "macswap", ["-l", "0", "--vdev", "net_null0"])
    check(st["ports"][0]["peer"] == 0, "lone port not paired to itself")


def telemetry_path(prefix):
    base = "/var/run" if os.getuid() == 0 else \
        os.environ.get("XDG_RUNTIME_DIR", "/tmp")
    return os.path.join(base, "dpdk", prefix, "dpdk_telemetry.v2")


def telemetry_query(path, cmds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    s.connect(path)
    try:
        info = json.loads(s.recv(16384).decode())
        bufsz = int(info.get("max_output_len", 16384))
        out = {}
        for c in cmds:
            s.send(c.encode())
            out[c] = json.loads(s.recv(bufsz).decode())
        return out
    finally:
        s.close()


def fwd_running(answer):
    """True if a telemetry answer shows packets (or has no counter)."""
    for v in answer.values():
        if v is None:
            return False  # not answered yet
        if isinstance(v, dict):
            if "rx" in v and v["rx"] == 0:
                return False
            if "visits_direct" in v and v["visits_direct"] == 0:
                return False
    return True


def signal_case(ctx, signum, cmds):
    eal = LCORES_1 + ["--vdev", "net_null0", "--vdev", "net_null1"]
    js = ctx.path("stats.json")
    cmd = ctx.command(eal, ["--mode", "macswap", "--stats-period", "1",
                            "--stats-json", js])
    print("+ " + " ".join(cmd), flush=True)
    path = telemetry_path(ctx.prefix)
    with open(ctx.path("run.log"), "w") as log:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log,
                             text=True, errors="replace")
        try:
            deadline = time.monotonic() + 60
            res = None
            while time.monotonic() < deadline:
                check(p.poll() is None, "hb-fwd exited early (%s)" %
                      p.returncode)
                try:
                    res = telemetry_query(path, cmds)
                    # Every answer past the first packets (each command
                    # is a separate query: a loaded machine may answer
                    # the first before the lcore counted anything).
                    if all(fwd_running(v) for v in res.values()):
                        break
                except (OSError, ValueError, KeyError, TypeError):
                    pass
                time.sleep(0.2)
            check(res is not None, "telemetry never answered at %s" % path)
            os.kill(p.pid, signum)
            out, _ = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
    log_path = ctx.path("run.log")
    with open(log_path) as log:
        check_sanitizers(log.read(), log_path)
    with open(log_path, "a") as log:
        log.write("--- stdout\n" + out)
    p.log = log_path
    p.stdout = out
    st = load_json(js)
    expect_clean_exit(p, st)
    check("signal %d received" % signum in out, "no signal message")
    return res, st


def case_sigint_telemetry(ctx):
    """SIGINT stops cleanly; meanwhile every /hb_fwd/ telemetry command
    answers with the documented fields."""
    cmds = ["/hb_fwd/stats", "/hb_fwd/port_stats,0", "/hb_fwd/port_stats,1",
            "/hb_fwd/lcore_stats,1", "/hb_fwd/info", "/hyperbuf/stats"]
    res, st = signal_case(ctx, signal.SIGINT, cmds)
    s = res["/hb_fwd/stats"]["/hb_fwd/stats"]
    for k in ("mode", "running", "rx", "tx", "rx_dropped", "tx_dropped",
              "rx_pps", "tx_pps", "visits_direct", "visits_bounced",
              "mbufs_in_use", "mbufs_total", "drops", "hyperbuf"):
        check(k in s, "/hb_fwd/stats has no %s: %s" % (k, s))
    check(s["mode"] == "macswap" and s["running"] == 1, "stats: %s" % s)
    check(set(s["drops"]) == set(model.DROP_REASONS), "drop names")
    check("segs_alloc" in s["hyperbuf"], "hyperbuf counters")
    p0 = res["/hb_fwd/port_stats,0"]["/hb_fwd/port_stats"]
    check(p0["port"] == 0 and p0["peer"] == 1 and p0["rx"] > 0,
          "port_stats,0: %s" % p0)
    l1 = res["/hb_fwd/lcore_stats,1"]["/hb_fwd/lcore_stats"]
    check(l1["lcore"] == 1 and l1["streams"] == 2 and
          l1["visits_direct"] > 0, "lcore_stats,1: %s" % l1)
    info = res["/hb_fwd/info"]["/hb_fwd/info"]
    check(info["ports"] == [0, 1] and info["forwarding_lcores"] == [1],
          "info: %s" % info)
    check(st["totals"]["rx"] >= s["rx"], "final counters below telemetry")


def case_sigterm(ctx):
    """SIGTERM stops cleanly too."""
    signal_case(ctx, signal.SIGTERM, ["/hb_fwd/stats"])


BAD_ARGS = [
    (["--mode", "bogus"], "invalid --mode value 'bogus'"),
    (["--burst", "0"], "invalid --burst value '0'"),
    (["--burst", "513"], "invalid --burst value '513'"),
    (["-b", "12x"], "invalid --burst value '12x'"),
    (["-p", "0"], "invalid -p (port mask) value '0'"),
    (["-p", "zz"], "invalid -p (port mask) value 'zz'"),
    (["-p", "0x4"], "port 2 is in the port mask but does not exist"),
    (["--stats-period", "-1"], "invalid --stats-period value '-1'"),
    (["--duration", "abc"], "invalid --duration value 'abc'"),
    (["--max-packets", "1e3"], "invalid --max-packets value '1e3'"),
    (["--rxq", "0"], "invalid --rxq value '0'"),
    (["--rxq", "65"], "invalid --rxq value '65'"),
    (["-q", "0"], "invalid -q value '0'"),
    (["--portmap", "(0,1"], "invalid --portmap value '(0,1'"),
    (["--portmap", "(0,1)(1,0)"], "port 1 appears twice"),
    (["--portmap", "(0,5)"], "pairs port 0 with port 5"),
    (["--mbuf-size", "100"], "invalid --mbuf-size value '100'"),
    (["--mbuf-cache", "600"], "invalid --mbuf-cache value '600'"),
    (["--nb-mbufs", "100"], "cannot create a pool of 100 mbufs"),
    (["--vni", "16777216"], "invalid --vni value '16777216'"),
    (["--vxlan-src", "1.2.3"], "invalid --vxlan-src value '1.2.3'"),
    (["--vxlan-mac", "xx"], "invalid --vxlan-mac value 'xx'"),
    (["--tunnel-depth", "9"], "invalid --tunnel-depth value '9'"),
    (["--stats-json", ""], "invalid --stats-json value ''"),
    (["-q", "1", "--rxq", "2"], "need 4 forwarding lcores at -q 1"),
    (["--no-such-option"], "unknown option '--no-such-option'"),
    (["-x"], "unknown option '-x'"),
    (["--mode"], "option '--mode' needs a value"),
    (["extra"], "unexpected argument 'extra'"),
    (["--engine", "fast"], "invalid --engine value 'fast'"),
    (["--mode", "0:bogus"], "invalid --mode value '0:bogus'"),
    (["--mode", "io,route"], "invalid --mode value 'io,route'"),
    (["--mode", "0:io,0:route"], "port 0 appears twice"),
    (["--mode", "x:io"], "invalid --mode value 'x:io'"),
    (["--mode", "0:encap,5:decap"], "--mode names port 5"),
    (["--mtu", "67"], "invalid --mtu value '67'"),
    (["--mtu", "65001"], "invalid --mtu value '65001'"),
    (["--ip", "0,192.0.2.1"], "invalid --ip value '0,192.0.2.1'"),
    (["--ip", "0,192.0.2.1/33"], "invalid --ip value '0,192.0.2.1/33'"),
    (["--ip", "0,224.0.0.1/4"], "invalid --ip value '0,224.0.0.1/4'"),
    (["--ip", "99,192.0.2.1/24"], "--ip: port id above"),
    (["--ip", "1,192.0.2.1/24", "--ip", "1,192.0.2.2/24"],
     "port 1 has an address already"),
    (["--ip", "5,192.0.2.1/24"], "--ip names port 5"),
    (["--eth-dest", "0,zz"], "invalid --eth-dest value '0,zz'"),
    (["--eth-dest", "02:00:00:00:00:01"], "invalid --eth-dest value"),
    (["--route", "10.0.0.1/8,1"], "invalid --route value '10.0.0.1/8,1'"),
    (["--route", "10.0.0.0/8"], "invalid --route value '10.0.0.0/8'"),
    (["--route", "10.0.0.0/8,9"], "--route sends to port 9"),
    (["--icmp-rate", "-1"], "invalid --icmp-rate value '-1'"),
    (["--idle-sleep", "0"], "invalid --idle-sleep value '0'"),
    (["--capture", ""], "invalid --capture value ''"),
    (["--capture", ",3"], "invalid --capture value ',3'"),
    (["--capture", "x.pcap,0"], "invalid --capture N value '0'"),
    (["--capture", "x.pcap,2,63"], "invalid --capture KIB value '63'"),
    (["--capture", "x.pcap,2,64,1"], "invalid --capture KIB value '64,1'"),
]


def case_bad_args(ctx):
    """Bad command lines exit non-zero, print the usage and say what is
    wrong; --help exits 0."""
    eal = ["-l", "0-1", "--vdev", "net_null0", "--vdev", "net_null1"]
    for app, msg in BAD_ARGS:
        p = ctx.run(eal, app)
        check(p.returncode != 0, "%s: exit status 0" % app)
        check(msg in p.stderr, "%s: no '%s' in stderr:\n%s" %
              (app, msg, p.stderr[-600:]))
        if "invalid" in msg or "option" in msg or "argument" in msg:
            check("Usage:" in p.stderr, "%s: no usage printed" % app)
    p = ctx.run(eal, ["--help"])
    check(p.returncode == 0, "--help: exit %d" % p.returncode)
    check("Usage:" in p.stdout and "--mode MODE" in p.stdout,
          "--help: no usage")
    print("%d bad command lines rejected" % len(BAD_ARGS))


ROUTER_MAC = "02:aa:bb:cc:dd:01"


def router_run(ctx, frames, tag, engine, app_extra=(), mbuf_size=None):
    """route with --ip 0,192.0.2.254/24 --eth-dest on one pcap port:
    forwarded frames and the ARP replies and ICMP errors hb-fwd built go
    out of the same port (in another order): compared as sorted lists."""
    inp, out = ctx.path(tag + "-in.pcap"), ctx.path(tag + "-out.pcap")
    js = ctx.path(tag + "-stats.json")
    pcapio.write(inp, frames)
    app = ["--mode", "route", "--ip", "0,192.0.2.254/24", "--eth-dest",
           "0," + ROUTER_MAC, "--engine", engine, "--stats-period", "0",
           "--max-packets", str(len(frames)), "--duration", PCAP_DURATION,
           "--stats-json", js] + list(app_extra)
    if mbuf_size:
        app += ["--mbuf-size", str(mbuf_size)]
    p = ctx.run(LCORES_1 + ["--vdev=net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                            (inp, out)], app)
    st = load_json(js)
    expect_clean_exit(p, st)
    cfg = model.RouterConfig(mac=mac_bytes(st["ports"][0]["mac"]),
                             ip=bytes([192, 0, 2, 254]),
                             eth_dest=mac_bytes(ROUTER_MAC))
    return pcapio.read(out), st, cfg


def router_expect(frames, cfg):
    outs, built, drops = [], [], dict.fromkeys(model.DROP_REASONS, 0)
    for f in frames:
        o, why, g = model.route_l3(f, cfg)
        if why:
            drops[why] += 1
        else:
            outs.append(o)
        if g:
            built.append(g)
    return outs, built, drops


def case_router(ctx):
    """route as a router (--ip, --eth-dest; with and without --route):
    ARP answered, MACs rewritten, ICMP time exceeded built by the RFC
    1812 rules, malformed ARP counted; both engines, also with headers
    split across segments; outputs equal to the model's, byte for byte."""
    frames = [f for _, f in gen_pcap.generate("router")] + mixed()[0]
    runs = {}
    for engine in ENGINES:
        for extra, size in (([], None), (["--route", "0.0.0.0/0,0"], None),
                            ([], 148)):
            tag = "router-%s-%s-%s" % (engine, "lpm" if extra else "pair",
                                       size or "def")
            got, st, cfg = router_run(ctx, frames, tag, engine,
                                      ["--icmp-rate", "1000000"] + extra,
                                      size)
            outs, built, drops = router_expect(frames, cfg)
            check_drops(tag, st["drops"], drops)
            check(st["built"]["arp_replies"] == sum(
                1 for b in built if b[12:14] == b"\x08\x06"),
                "%s: ARP replies %s" % (tag, st["built"]))
            check(st["built"]["icmp_sent"] == sum(
                1 for b in built if b[12:14] == b"\x08\x00"),
                "%s: ICMP sent %s" % (tag, st["built"]))
            want = sorted(outs + built)
            have = sorted(r.data for r in got)
            check(len(have) == len(want), "%s: %d frames out, %d expected" %
                  (tag, len(have), len(want)))
            for w, h in zip(want, have):
                check(w == h, "%s: %s" % (tag, hexdiff(w, h)))
            for b in built:
                if b[12:14] == b"\x08\x00":
                    check(model.checksum_ok(b[14:34]) and
                          model.checksum_ok(b[34:]), "ICMP checksums")
            runs[tag] = have
    print("router: %d frames in, %d out per run, %d runs" %
          (len(frames), len(have), len(runs)))


def case_icmp_rate(ctx):
    """--icmp-rate 1: the bucket holds 10 errors; of 30 TTL-expired
    packets in a burst, 10 get an ICMP error (11 if a second passed),
    the rest are counted as limited."""
    pk = gen_pcap.generate("router")
    ttl1 = [f for n, f in pk if n == "ttl1-udp"] * 30
    for engine in ENGINES:
        _, st, _ = router_run(ctx, ttl1, "rate-" + engine, engine,
                              ["--icmp-rate", "1"])
        b = st["built"]
        check(10 <= b["icmp_sent"] <= 11 and
              b["icmp_sent"] + b["icmp_limited"] == 30,
              "%s: %s" % (engine, b))
        _, st, _ = router_run(ctx, ttl1, "rate0-" + engine, engine,
                              ["--icmp-rate", "0"])
        check(st["built"]["icmp_sent"] == 0 and
              st["built"]["icmp_limited"] == 30, "rate 0: %s" % st["built"])


def case_per_port_modes(ctx):
    """--mode 0:encap,1:decap on two pcap ports: port 0's input goes out
    of port 1 encapsulated, port 1's (VXLAN) out of port 0 decapsulated;
    both engines give the same bytes."""
    frames, _ = mixed()
    enc_in = [f for f in frames if model.decap(f)[1] is None]
    outs = {}
    for engine in ENGINES:
        ins = [ctx.path("ppm-%s-in%d.pcap" % (engine, p)) for p in (0, 1)]
        out = [ctx.path("ppm-%s-out%d.pcap" % (engine, p)) for p in (0, 1)]
        pcapio.write(ins[0], frames)
        pcapio.write(ins[1], enc_in)
        js = ctx.path("ppm-%s.json" % engine)
        eal = LCORES_1 + ["--vdev=net_pcap%d,rx_pcap=%s,tx_pcap=%s" %
                          (p, ins[p], out[p]) for p in (0, 1)]
        p = ctx.run(eal, ["--mode", "0:encap,1:decap", "--engine", engine,
                          "--stats-period", "0", "--max-packets",
                          str(len(frames) + len(enc_in)), "--duration",
                          PCAP_DURATION, "--stats-json", js])
        st = load_json(js)
        expect_clean_exit(p, st)
        check(st["mode"] == "0:encap,1:decap", "mode %s" % st["mode"])
        check([x["mode"] for x in st["ports"]] == ["encap", "decap"],
              "port modes %s" % st["ports"])
        cfg = model.EncapConfig(src_mac=mac_bytes(st["ports"][1]["mac"]))
        exp1, d0 = expected_pairs("encap", frames, cfg)
        exp0, d1 = expected_pairs("decap", enc_in)
        compare_output("port 0 -> 1 (encap)", exp1, pcapio.read(out[1]))
        compare_output("port 1 -> 0 (decap)", exp0, pcapio.read(out[0]))
        check_drops("port 0", st["ports"][0]["drops"], d0)
        check_drops("port 1", st["ports"][1]["drops"], d1)
        outs[engine] = [r.data for o in out for r in pcapio.read(o)]
    check(outs["hyperbuf"] == outs["raw"], "the engines' outputs differ")


# ---------------------------------------------------------------------
# --capture


def capture_frame(q, i):
    """A UDP/IPv4 frame that says which queue and index it is (payload
    "HBCAP", queue byte, 32-bit index), 60 to 1514 bytes."""
    size = 60 + (i * 37 + q * 11) % 1455
    eth = bytes.fromhex("020000000001") + bytes([2, 0, 0, 0, 0, 2 + q]) + \
        b"\x08\x00"
    tag = b"HBCAP" + bytes([q]) + struct.pack(">I", i)
    return eth + tag + bytes((i + k) & 0xff
                             for k in range(size - len(eth) - len(tag)))


def capture_id(rec):
    d = rec.data
    check(d[14:19] == b"HBCAP", "capture: a record that is no input frame: %s"
          % d[:24].hex())
    return d[19], struct.unpack(">I", d[20:24])[0]


def tshark_lengths(path):
    """Frame lengths as tshark reads @path, or None without tshark."""
    exe = shutil.which("tshark")
    if exe is None:
        return None
    p = subprocess.run([exe, "-r", path, "-T", "fields", "-e", "frame.len",
                        "-e", "frame.cap_len"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    check(p.returncode == 0, "tshark -r %s: exit %d: %s" %
          (path, p.returncode, p.stderr[-600:]))
    return [tuple(int(x) for x in line.split()) for line in
            p.stdout.splitlines() if line.strip()]


def capture_run(ctx, tag, lcores, nq, npkt, every, kib=None, mode="macswap"):
    """hb-fwd on one pcap port with @nq RX and TX queues (one per
    forwarding lcore), @npkt identifiable frames per queue, --capture
    every @every [of at most @kib KiB]. Checks the forwarding, the
    capture file (independent reader, and tshark when installed) against
    the inputs and the counters; returns (records per queue, stats)."""
    frames = [[capture_frame(q, i) for i in range(npkt)] for q in range(nq)]
    ins = [ctx.path("%s-in%d.pcap" % (tag, q)) for q in range(nq)]
    outs = [ctx.path("%s-out%d.pcap" % (tag, q)) for q in range(nq)]
    cap, js = ctx.path("%s-cap.pcap" % tag), ctx.path("%s-stats.json" % tag)
    for q in range(nq):
        pcapio.write(ins[q], frames[q])
    vdev = "--vdev=net_pcap0," + ",".join(
        ["rx_pcap=%s" % f for f in ins] + ["tx_pcap=%s" % f for f in outs])
    spec = "%s,%d" % (cap, every) + (",%d" % kib if kib else "")
    p = ctx.run(lcores + [vdev],
                ["--mode", mode, "--rxq", str(nq), "--stats-period", "0",
                 "--max-packets", str(nq * npkt), "--duration",
                 PCAP_DURATION, "--stats-json", js, "--capture", spec])
    st = load_json(js)
    expect_clean_exit(p, st)
    # Forwarding went on: every packet out, as the model says.
    for q in range(nq):
        exp, _ = expected_pairs(mode, frames[q])
        compare_output("%s: queue %d" % (tag, q), exp, pcapio.read(outs[q]))
    c = st["capture"]
    want = sum((npkt + every - 1) // every for _ in range(nq))
    check(c["to_capture"] == want, "%s: %d packets to capture, expected %d"
          % (tag, c["to_capture"], want))
    check(c["lost"] == 0, "%s: %d records lost" % (tag, c["lost"]))
    check(c["written"] == c["captured"] and
          c["captured"] + c["dropped"] == c["to_capture"],
          "%s: %d captured, %d written, %d dropped, of %d" %
          (tag, c["captured"], c["written"], c["dropped"], c["to_capture"]))
    recs = pcapio.read(cap)
    check(len(recs) == c["written"], "%s: %d records in the file, %d written"
          % (tag, len(recs), c["written"]))
    # Each record: an input frame as received, whole; per queue (so per
    # lcore), in the order received, every Nth only.
    per_q = [[] for _ in range(nq)]
    for r in recs:
        q, i = capture_id(r)
        check(q < nq and i < npkt and i % every == 0,
              "%s: record of queue %d index %d" % (tag, q, i))
        check(not r.truncated and r.data == frames[q][i],
              "%s: record of queue %d index %d differs: %s" %
              (tag, q, i, hexdiff(frames[q][i], r.data)))
        check(not per_q[q] or per_q[q][-1] < i,
              "%s: queue %d: index %d after %d" % (tag, q, i,
                                                   per_q[q][-1] if per_q[q]
                                                   else -1))
        per_q[q].append(i)
    # The lcores' own counts are the file's, queue by queue.
    check(sorted(x["captured"] for x in c["lcores"]) ==
          sorted(len(x) for x in per_q),
          "%s: lcores captured %s, the file has %s per queue" %
          (tag, [x["captured"] for x in c["lcores"]],
           [len(x) for x in per_q]))
    # Drops only where the bound says so: every staging slot was in use.
    for x in c["lcores"]:
        check(x["dropped"] == 0 or
              x["staged_max"] > x["staging_bytes"] - 32 * 1024,
              "%s: lcore %d dropped %d with at most %d of %d bytes staged" %
              (tag, x["lcore"], x["dropped"], x["staged_max"],
               x["staging_bytes"]))
    lens = tshark_lengths(cap)
    if lens is not None:
        check(lens == [(len(r.data), len(r.data)) for r in recs],
              "%s: tshark reads %d frames, not the %d records written" %
              (tag, len(lens), len(recs)))
    print("%s: %d of %d packets to capture written, %d dropped, %d cuts, "
          "at most %d bytes in the shared buffer%s" %
          (tag, c["written"], c["to_capture"], c["dropped"], c["cuts"],
           c["high_bytes"], "" if lens is None else "; tshark agrees"))
    return per_q, st


def case_capture(ctx):
    """--capture with three forwarding lcores and the main one on two
    CPUs: every third packet of each lcore in the pcap file, whole, in
    the order that lcore received them, none dropped; forwarding output
    unchanged (independent pcap reader, and tshark when installed). Then
    the main lcore alone forwarding and draining."""
    per_q, _ = capture_run(ctx, "cap3", LCORES_3, 3, 3000, 3)
    for q in range(3):
        check(per_q[q] == list(range(0, 3000, 3)),
              "cap3: queue %d: %d of 1000 packets in the file" %
              (q, len(per_q[q])))
    per_q, _ = capture_run(ctx, "cap1", ["-l", "0"], 1, 2000, 2)
    check(per_q[0] == list(range(0, 2000, 2)),
          "cap1: %d of 1000 packets in the file" % len(per_q[0]))


def case_capture_full(ctx):
    """--capture of every packet into a 64 KiB shared buffer, three
    lcores on two CPUs: the buffer and the lcores' staging fill up; every
    packet to capture is in the file or counted as dropped, and the file
    holds whole input frames in per-lcore order."""
    _, st = capture_run(ctx, "capfull", LCORES_3, 3, 3000, 1, kib=64)
    check(st["capture"]["cuts"] > 0, "the shared buffer was never cut")


CASES = {"model-selftest": case_model_selftest}
for _m in model.MODES:
    CASES[_m] = make_mode_case(_m)
    CASES[_m + "-multiseg"] = make_multiseg_case(_m)
CASES.update({
    "encap-decap": case_encap_decap,
    "no-headroom": case_no_headroom,
    "encap-options": case_encap_options,
    "too-big": case_too_big,
    "router": case_router,
    "icmp-rate": case_icmp_rate,
    "per-port-modes": case_per_port_modes,
    "pairs": case_pairs,
    "multiqueue": case_multiqueue,
    "capture": case_capture,
    "capture-full": case_capture_full,
})
for _m in model.MODES:
    CASES["null-" + _m] = make_null_case(_m)
CASES.update({
    "null-multiqueue": case_null_multiqueue,
    "single-lcore": case_single_lcore,
    "sigint-telemetry": case_sigint_telemetry,
    "sigterm": case_sigterm,
    "bad-args": case_bad_args,
})

# frag and reasm: tests/fwd/e2e_frag.py.
import e2e_frag  # noqa: E402
CASES.update(e2e_frag.register(sys.modules[__name__]))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hb-fwd")
    ap.add_argument("--workdir")
    ap.add_argument("--tag", default="t")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="?")
    a = ap.parse_args(argv)
    if a.list:
        for name, fn in CASES.items():
            print("%-18s %s" % (name, " ".join((fn.__doc__ or "").split())))
        return 0
    if a.case not in CASES or not a.hb_fwd or not a.workdir:
        ap.error("need --hb-fwd, --workdir and one of: " + ", ".join(CASES))
    wd = os.path.join(a.workdir, a.case)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    ctx = Ctx(os.path.abspath(a.hb_fwd), wd, a.tag, a.case)
    t0 = time.monotonic()
    try:
        CASES[a.case](ctx)
    except Skip as e:
        print("SKIP %s: %s" % (a.case, e))
        return 77
    except Fail as e:
        print("FAIL %s: %s" % (a.case, e))
        return 1
    print("PASS %s (%.1f s, %d hb-fwd runs)" % (a.case, time.monotonic() - t0,
                                               ctx.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
