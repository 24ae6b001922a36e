# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""hb-fwd end-to-end cases of --mode frag and --mode reasm (e2e.py runs
them; e2e.py --list says what each asserts).

Inputs from gen_pcap.py (sets "frag" and "reasm", whose fragments are cut
there), expected outputs from model.py: model.frag() for both engines;
model.HbReasm for the HyperBuf engine's reassembly and model.LibReasm
for the raw engine's (librte_ip_frag), which differ where
docs/hb-fwd.md says they do. Where both are specified to agree, the two
engines' outputs must be byte-identical. tshark, when installed, decodes
every output and must find every checksum valid.
"""

import os
import shutil
import subprocess

import gen_pcap
import model
import pcapio

E = None  # e2e.py, set by register()

ENGINES = ("hyperbuf", "raw")
# Small mbufs: headers split over segments, every fragment multi-segment.
FRAG_MBUF_SIZES = (148, 1200)


def check(cond, msg):
    E.check(cond, msg)


def run(ctx, mode, frames, tag, engine, app_extra=(), mbuf_size=None):
    """One hb-fwd run on one net_pcap port forwarding to itself: (output
    records, stats)."""
    tag = "%s-%s" % (tag, engine)
    inp, out = ctx.path(tag + "-in.pcap"), ctx.path(tag + "-out.pcap")
    js = ctx.path(tag + "-stats.json")
    for f in (out, js):
        if os.path.exists(f):
            os.unlink(f)
    pcapio.write(inp, frames)
    app = ["--mode", mode, "--engine", engine, "--stats-period", "0",
           "--max-packets", str(len(frames)), "--duration",
           E.PCAP_DURATION, "--stats-json", js] + list(app_extra)
    if mbuf_size:
        app += ["--mbuf-size", str(mbuf_size)]
    p = ctx.run(E.LCORES_1 + ["--vdev=net_pcap0,rx_pcap=%s,tx_pcap=%s" %
                              (inp, out)], app)
    check(os.path.exists(js), "no stats JSON written (see %s)" % p.log)
    st = E.load_json(js)
    E.expect_clean_exit(p, st)
    check(st["engine"] == engine, "engine %s" % st["engine"])
    check(st["totals"]["rx"] == len(frames), "%s: rx %d of %d" %
          (tag, st["totals"]["rx"], len(frames)))
    check(st["totals"]["tx_dropped"] == 0, "%s: TX drops" % tag)
    check(st["visits"]["bounced"] == st["hyperbuf"]["visits_bounced"],
          "%s: app counted %d bounced visits, library %d" %
          (tag, st["visits"]["bounced"], st["hyperbuf"]["visits_bounced"]))
    return pcapio.read(out), st


def same(label, want, got):
    """@want: frames; @got: pcap records (net_pcap keeps at most 9728
    bytes of a multi-segment packet: then prefix and length)."""
    check(len(got) == len(want), "%s: %d packets out, %d expected" %
          (label, len(got), len(want)))
    for i, (w, r) in enumerate(zip(want, got)):
        ok = (r.wire_len == len(w) and w[:len(r.data)] == r.data
              if r.truncated else r.data == w)
        check(ok, "%s: packet %d (%d bytes): %s" %
              (label, i, len(w), E.hexdiff(w, r.data)))


def identity(label, st):
    """Every packet received is accounted for (docs/hb-fwd.md): rx =
    tx - fragments + fragmented - reassembled + joined + rx_dropped."""
    t, f = st["totals"], st["frag"]
    check(t["rx"] == t["tx"] - f["fragments"] + f["fragmented"] -
          f["reassembled"] + f["joined"] + t["rx_dropped"] + t["tx_dropped"],
          "%s: counters do not add up: %s %s" % (label, t, f))
    check(sum(st["drops"].values()) == t["rx_dropped"],
          "%s: drop reasons sum to %d, rx_dropped %d" %
          (label, sum(st["drops"].values()), t["rx_dropped"]))


def check_counts(label, st, drops, fst):
    E.check_drops(label, st["drops"], drops)
    bad = ["%s %d (expected %d)" % (k, st["frag"][k], v)
           for k, v in fst.items() if st["frag"][k] != v]
    check(not bad, "%s: %s" % (label, ", ".join(bad)))
    identity(label, st)


def fragments_ok(label, outs, mtu):
    """Properties that do not use the model's bytes: every fragment fits
    the MTU, its IPv4 checksum verifies, its offset is a multiple of 8
    bytes except after the last."""
    for i, f in enumerate(outs):
        if f[12:14] != b"\x08\x00" or len(f) <= 14 + mtu:
            continue
        check(False, "%s: packet %d is %d bytes, over MTU %d" %
              (label, i, len(f), mtu))
    for i, f in enumerate(outs):
        if f[12:14] == b"\x08\x00" and f[14] >> 4 == 4:
            hl = (f[14] & 15) * 4
            fo = int.from_bytes(f[20:22], "big")
            if fo & 0x3FFF and len(f) >= 14 + hl:
                check(model.checksum_ok(f[14:14 + hl]),
                      "%s: fragment %d: IPv4 checksum" % (label, i))
                tl = int.from_bytes(f[16:18], "big")
                check(not fo & 0x2000 or (tl - hl) % 8 == 0,
                      "%s: fragment %d: payload %d not a multiple of 8" %
                      (label, i, tl - hl))


def frag_set():
    pk = gen_pcap.generate("frag")
    return [f for _, f in pk], [n for n, _ in pk]


def reasm_set():
    pk = gen_pcap.generate("reasm")
    return [f for _, f in pk], [n for n, _ in pk]


# ---------------------------------------------------------------------
# tshark


def tshark_check(ctx, label, path, reassembled):
    """tshark decodes @path with checksum validation on: no malformed
    packet, no bad IPv4/UDP/ICMP checksum; with @reassembled, every UDP
    and ICMP datagram decoded whole (tshark reassembles fragments
    itself). Returns the number of frames, or None without tshark."""
    tshark = shutil.which("tshark")
    if tshark is None:
        return None
    cmd = [tshark, "-n", "-r", path,
           "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
           "-o", "ip.defragment:TRUE",
           "-T", "fields", "-E", "separator=|",
           "-e", "frame.number", "-e", "ip.checksum.status",
           "-e", "udp.checksum.status", "-e", "icmp.checksum_bad",
           "-e", "_ws.malformed", "-e", "_ws.expert.message"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=120)
    with open(ctx.path(label + "-tshark.txt"), "w") as f:
        f.write(p.stdout + p.stderr)
    check(p.returncode == 0, "tshark on %s: exit %d: %s" %
          (path, p.returncode, p.stderr[-500:]))
    lines = [x for x in p.stdout.splitlines() if x.strip()]
    for line in lines:
        num, ips, udps, icmpbad, malformed, expert = (line.split("|") +
                                                      [""] * 6)[:6]
        check("0" not in ips.split(","),
              "%s: tshark: frame %s: bad IPv4 checksum (%s)" %
              (label, num, line))
        check(udps.split(",")[-1:] != ["0"],
              "%s: tshark: frame %s: bad UDP checksum (%s)" %
              (label, num, line))
        check(icmpbad in ("", "0"), "%s: tshark: frame %s: bad ICMP "
              "checksum (%s)" % (label, num, line))
        check(malformed == "", "%s: tshark: frame %s malformed: %s" %
              (label, num, expert))
    return len(lines)


# ---------------------------------------------------------------------
# Cases


def case_frag(ctx):
    """frag at MTU 576 and 1500: the 'frag' set (fits, UDP/ICMP up to
    20 kB, DF, options copied or not, fragments cut again, padding,
    malformed and non-IPv4 frames over the MTU) through both engines;
    each output equal to the model's, fragments within the MTU with
    valid checksums, the two engines byte-identical, counters exact;
    tshark decodes every output with valid checksums."""
    frames, _ = frag_set()
    for mtu in (576, 1500):
        want, drops, _, fst = model.expect_frag(frames, mtu)
        got = {}
        for engine in ENGINES:
            tag = "frag%d" % mtu
            recs, st = run(ctx, "frag", frames, tag, engine,
                           ["--mtu", str(mtu)])
            label = "%s %s" % (tag, engine)
            same(label, want, recs)
            check_counts(label, st, drops, fst)
            check(st["ports"][0]["mtu"] == mtu, "port MTU %s" %
                  st["ports"][0]["mtu"])
            fragments_ok(label, want, mtu)
            got[engine] = [(r.data, r.wire_len) for r in recs]
            n = tshark_check(ctx, label.replace(" ", "-"),
                             ctx.path("%s-%s-out.pcap" % (tag, engine)),
                             True)
        check(got["hyperbuf"] == got["raw"], "MTU %d: the engines' "
              "outputs differ" % mtu)
    print("frag: %d frames, MTU 576 and 1500, both engines%s" %
          (len(frames), "" if n is None else ", tshark: %d frames ok" % n))


def case_frag_multiseg(ctx):
    """frag on small mbufs (headers split over segments, every packet a
    chain): the same bytes as the model's, both engines."""
    frames, _ = frag_set()
    want, drops, _, fst = model.expect_frag(frames, 576)
    for size in FRAG_MBUF_SIZES:
        got = {}
        for engine in ENGINES:
            tag = "fragms%d" % size
            recs, st = run(ctx, "frag", frames, tag, engine,
                           ["--mtu", "576"], mbuf_size=size)
            same("%s %s" % (tag, engine), want, recs)
            check_counts("%s %s" % (tag, engine), st, drops, fst)
            got[engine] = [r.data for r in recs]
        check(got["hyperbuf"] == got["raw"], "mbuf size %d: engines "
              "differ" % size)


def case_frag_icmp(ctx):
    """frag with --ip (router options): a DF packet over the MTU is
    dropped as frag_needed and answered with an ICMP destination
    unreachable, fragmentation needed, carrying the next-hop MTU (RFC
    1191), by the RFC 1812 rules of route; both engines, equal to the
    model; tshark validates the ICMP."""
    frames, _ = frag_set()
    for engine in ENGINES:
        recs, st = run(ctx, "frag", frames, "fragicmp", engine,
                       ["--mtu", "1500", "--ip", "0,192.0.2.254/24",
                        "--icmp-rate", "1000000"])
        cfg = model.RouterConfig(mac=E.mac_bytes(st["ports"][0]["mac"]),
                                 ip=bytes([192, 0, 2, 254]))
        want, drops, built, fst = model.expect_frag(frames, 1500, cfg)
        check(len(built) >= 1, "no ICMP expected: the set has no DF packet")
        check(st["built"]["icmp_sent"] == len(built), "%s: ICMP sent %s, "
              "expected %d" % (engine, st["built"], len(built)))
        check_counts("fragicmp " + engine, st, drops, fst)
        have = sorted(r.data for r in recs)
        check(have == sorted(want + built), "%s: outputs and ICMP errors "
              "differ from the model's" % engine)
        for b in built:
            check(b[34] == 3 and b[35] == 4 and
                  int.from_bytes(b[40:42], "big") == 1500,
                  "ICMP: type/code/next-hop MTU")
        tshark_check(ctx, "fragicmp-" + engine,
                     ctx.path("fragicmp-%s-out.pcap" % engine), False)


def reasm_expect(frames, engine, **kw):
    if engine == "hyperbuf":
        return model.expect_reasm(frames, model.HbReasm(**kw))
    kw.pop("max_segs", None)
    kw.pop("room0", None)
    kw.pop("room", None)
    return model.expect_reasm(frames, model.LibReasm(**kw))


def case_reasm(ctx):
    """reasm on the 'reasm' streams (in order, reversed, shuffled,
    duplicated, overlapping, missing a piece, oversize, tiny, multi-
    segment, interleaved, more than 8 fragments, same id and another
    protocol, padded, options, malformed, not fragments): the HyperBuf
    engine as model.HbReasm (RFC 791/5722 practice), the raw engine as
    model.LibReasm (librte_ip_frag's rules); every datagram both
    reassemble is byte-identical; counters exact; tshark validates every
    output."""
    frames, _ = reasm_set()
    outs = {}
    for engine in ENGINES:
        want, drops, fst = reasm_expect(frames, engine)
        recs, st = run(ctx, "reasm", frames, "reasm", engine)
        label = "reasm " + engine
        same(label, want, recs)
        check_counts(label, st, drops, fst)
        outs[engine] = want
        n = tshark_check(ctx, label.replace(" ", "-"),
                         ctx.path("reasm-%s-out.pcap" % engine), False)
    both = set(outs["hyperbuf"]) & set(outs["raw"])
    check(len(both) >= 15, "only %d datagrams both engines reassemble" %
          len(both))
    # Where they differ, it is where docs/hb-fwd.md says.
    only_hb = len(set(outs["hyperbuf"]) - both)
    check(only_hb > 0 and not set(outs["raw"]) - both,
          "the raw engine reassembled what HyperBuf did not")
    print("reasm: %d frames; %d datagrams out of both engines, %d of "
          "HyperBuf only (more than 8 fragments, duplicates, same id "
          "with another protocol)%s" % (len(frames), len(both), only_hb,
                                        "" if n is None else
                                        "; tshark ok"))


def case_reasm_multiseg(ctx):
    """reasm with small mbufs (148 and 1200 bytes: headers split, long
    chains joined): the same outputs as the models', both engines."""
    frames, _ = reasm_set()
    for size in FRAG_MBUF_SIZES:
        for engine in ENGINES:
            want, drops, fst = reasm_expect(frames, engine,
                                            room0=size - 128, room=size)
            recs, st = run(ctx, "reasm", frames, "reasmms%d" % size,
                           engine, mbuf_size=size)
            label = "reasm mbuf size %d %s" % (size, engine)
            same(label, want, recs)
            check_counts(label, st, drops, fst)


def agree_streams():
    """Streams both engines are specified to reassemble alike: well
    formed, at most 8 fragments, unique keys, in any order."""
    pk = gen_pcap.generate("reasm")
    keep = ("plain", "inorder", "reversed", "shuffled", "multiseg",
            "eight", "interleaved", "padded", "options", "not-ipv4",
            "short", "bad-")
    return [f for n, f in pk if n.startswith(keep)]


def case_reasm_agree(ctx):
    """The streams both engines are specified to treat alike: byte-
    identical outputs and the same counters, equal to the model."""
    frames = agree_streams()
    res = {}
    for engine in ENGINES:
        recs, st = run(ctx, "reasm", frames, "agree", engine)
        res[engine] = ([(r.data, r.wire_len) for r in recs], st)
    want, drops, fst = reasm_expect(frames, "hyperbuf")
    same("agree", want, recs)
    check(res["hyperbuf"][0] == res["raw"][0], "the engines differ")
    for engine in ENGINES:
        check_counts("agree " + engine, res[engine][1], drops, fst)


def case_reasm_limits(ctx):
    """The table's limits: --reasm-dgrams 2 on interleaved datagrams
    (HyperBuf drops the oldest, reasm_table_full; librte_ip_frag drops
    the new fragment, ip_frag_drop) and --reasm-mbufs 6 (HyperBuf drops
    the oldest datagrams beyond 6 mbufs held, reasm_mem); each as its
    model."""
    pk = gen_pcap.generate("reasm")
    frames = [f for n, f in pk if n.startswith(("interleaved", "shuffled",
                                                "multiseg", "inorder"))]
    for engine in ENGINES:
        want, drops, fst = reasm_expect(frames, engine, max_dgrams=2)
        recs, st = run(ctx, "reasm", frames, "limit-dg", engine,
                       ["--reasm-dgrams", "2"])
        label = "--reasm-dgrams 2 " + engine
        same(label, want, recs)
        check_counts(label, st, drops, fst)
        full = "reasm_table_full" if engine == "hyperbuf" else \
            "ip_frag_drop"
        check(drops[full] > 0, "%s: the limit was never reached" % label)
    want, drops, fst = reasm_expect(frames, "hyperbuf", max_segs=6)
    recs, st = run(ctx, "reasm", frames, "limit-mem", "hyperbuf",
                   ["--reasm-mbufs", "6"])
    same("--reasm-mbufs 6", want, recs)
    check_counts("--reasm-mbufs 6", st, drops, fst)
    check(drops["reasm_mem"] > 0, "the memory bound was never reached")
    check(st["lcores"][0]["reasm"]["mbufs_max"] <= 6,
          "table held %d mbufs" % st["lcores"][0]["reasm"]["mbufs_max"])


def case_frag_reasm(ctx):
    """frag then reasm gives the original packets back: the 'frag' set
    cut at MTU 576 and 1500 by each engine, then joined by each engine;
    every datagram that was cut comes back byte for byte (the raw engine:
    those of at most 8 fragments), the rest as the models say."""
    frames, names = frag_set()
    for mtu in (576, 1500):
        for fe in ENGINES:
            recs, _ = run(ctx, "frag", frames, "fr%d" % mtu, fe,
                          ["--mtu", str(mtu)])
            check(all(not r.truncated for r in recs), "frag output cut")
            cut = [r.data for r in recs]
            for re_ in ENGINES:
                want, drops, fst = reasm_expect(cut, re_)
                back, st = run(ctx, "reasm", cut, "fr%d-%s" % (mtu, fe),
                               re_)
                label = "MTU %d, frag %s, reasm %s" % (mtu, fe, re_)
                same(label, want, back)
                check_counts(label, st, drops, fst)
                # The originals that were cut (not fragments already).
                n = 0
                for f, name in zip(frames, names):
                    o, why, _ = model.frag(f, mtu)
                    if why or len(o) < 2 or name.startswith("fragment"):
                        continue
                    if re_ == "raw" and len(o) > model.LibReasm.MAX_FRAG:
                        continue
                    tl = int.from_bytes(f[16:18], "big")
                    check(f[:14 + tl] in want, "%s: %s not given back" %
                          (label, name))
                    n += 1
                check(n >= 5, "%s: only %d originals checked" % (label, n))


BAD_ARGS = [
    (["--mtu", "0:9000,0:1500"], "--mtu: port 0 appears twice"),
    (["--mtu", "1500,9000"], "invalid --mtu value '1500,9000'"),
    (["--mtu", "x:1500"], "invalid --mtu value 'x:1500'"),
    (["--mtu", "0:67"], "invalid --mtu value '0:67'"),
    (["--mtu", "5:1500"], "--mtu names port 5"),
    (["--reasm-dgrams", "0"], "invalid --reasm-dgrams value '0'"),
    (["--reasm-mbufs", "0"], "invalid --reasm-mbufs value '0'"),
    (["--reasm-timeout", "0"], "invalid --reasm-timeout value '0'"),
    (["--mode", "0:frag,1:bogus"], "invalid --mode value '0:frag,1:bogus'"),
]


def case_frag_args(ctx):
    """The options of frag and reasm: bad values rejected with the
    option named; --mtu per port applied (0:9000,1:1500) and shown in
    the JSON; --help lists the modes."""
    eal = ["-l", "0-1", "--vdev", "net_null0", "--vdev", "net_null1"]
    for app, msg in BAD_ARGS:
        p = ctx.run(eal, app)
        check(p.returncode != 0 and msg in p.stderr,
              "%s: exit %d, no '%s' in stderr:\n%s" %
              (app, p.returncode, msg, p.stderr[-600:]))
    p = ctx.run(eal, ["--help"])
    check(p.returncode == 0 and "frag | reasm" in p.stdout and
          "--reasm-timeout" in p.stdout, "--help: no frag/reasm")
    _, st = E.null_run(ctx, "0:reasm,1:frag", eal,
                       ["--mtu", "0:9000,1:1500"])
    check([x["mtu"] for x in st["ports"]] == [9000, 1500],
          "MTUs %s" % [x["mtu"] for x in st["ports"]])
    check(st["lcores"][0]["reasm"]["dgrams_limit"] == 1024,
          "reasm table: %s" % st["lcores"][0].get("reasm"))


def register(e2e):
    """The cases, for e2e.py's table."""
    global E
    E = e2e
    return {
        "frag": case_frag,
        "frag-multiseg": case_frag_multiseg,
        "frag-icmp": case_frag_icmp,
        "reasm": case_reasm,
        "reasm-multiseg": case_reasm_multiseg,
        "reasm-agree": case_reasm_agree,
        "reasm-limits": case_reasm_limits,
        "frag-reasm": case_frag_reasm,
        "frag-args": case_frag_args,
    }

