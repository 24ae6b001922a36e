#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""hb-fwd (both engines) against dpdk-testpmd, on the same net_null ports.

For each mode and packet size (net_null's size= devarg: 64 and 1500
bytes), runs dpdk-testpmd (io and macswap, the modes it has), hb-fwd
--engine raw (the same modes in plain mbuf code: what a DPDK user writes
without HyperBuf) and hb-fwd --engine hyperbuf back to back, --rounds
times, the order rotating from round to round, with the same EAL
arguments (--no-huge, two net_null ports, -l 0-1: lcore 0 keeps time and
prints, lcore 1 forwards), the same burst (32) and the same pool (8192
mbufs, cache 250).

net_null's packets are zeros (EtherType 0): io and macswap forward them
as any frame; encap encapsulates them (the full encap: flow hash of the
Ethernet header, 50 bytes prepended into the headroom, the outer headers'
fields written); route drops them as not IPv4 and decap as not VXLAN,
so for those two the comparison is of the per-packet path up to the
EtherType check and the drop (free in bulk), not of the forwarding.

frag and reasm need real IPv4 packets: port 0 is net_pcap replaying a
capture in a loop (infinite_rx=1: it copies each packet into a fresh
mbuf, the same cost for both engines), port 1 net_null (no-rx=1); port
0's mode is frag or reasm, port 1's io. For each split of --splits
(SIZE:MTU, default 1500:576 and 9000:1500): frag replays 32 UDP packets
of SIZE bytes and cuts them to port 1's MTU; reasm replays the fragments
of 32 such packets, cut to MTU, in order. The rate is of packets
received: packets fragmented per second, fragments reassembled per
second. Only hb-fwd's two engines run (testpmd has neither); the target
is hyperbuf >= 1.2x raw (the raw engine is librte_ip_frag).

While a program runs, its own periodic statistics (testpmd's "NIC
statistics for port N" blocks, hb-fwd's per-port table), printed every
second, are passed through, each line tagged with the program, mode, size
and round. Both are measured the same way, outside the programs: after a
warm-up, the packets received by the two ports (ethdev ipackets, read
through DPDK telemetry, the same counter for both) over
 - wall time: Mpps, what the programs print too;
 - the CPU time the forwarding lcore's thread (rte-worker-1) actually got
   (/proc/PID/task/TID/schedstat): Mpps per forwarding-lcore CPU second, a
   rate that sharing the CPU with other processes disturbs much less.

The end: per mode and size, the median, min and max of each measure for
each program, the ratio hb-fwd hyperbuf / testpmd of the medians against
the targets (io >= 1.0x and never below 0.98x, macswap >= 1.0x and never
below 0.95x) and hyperbuf / raw (>= 0.98x in every mode: what HyperBuf
itself costs). "Never below" is checked on the
lowest of the per-round ratios (each round runs both programs back to back:
the closest pair in time). Never asserts anything (not a test); a program
that fails to run is reported and the exit status is 1.

Results go to bench/results/fwd-<stamp>.{csv,json}, copied to
fwd-latest.{csv,json} (or to --csv/--json). The CSV has hb-bench's
columns, so that bench/plot.sh draws the ratios with hb-bench's; a "time"
there is ns per packet, 1000 / Mpps.

Usage: fwd-bench.py [--build DIR | --hb-fwd PATH] [--testpmd PATH]
                    [--modes io,macswap,route,encap,decap,frag,reasm]
                    [--impls testpmd,raw,hyperbuf] [--sizes 64,1500]
                    [--splits 1500:576,9000:1500] [--rounds 5]
                    [--seconds 5] [--warmup 1.5] [--burst 32] [--quiet]
                    [--results DIR] [--csv FILE] [--json FILE]
"""

import argparse
import json
import os
import pty
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Targets (bench/README.md, "Targets"): hb-fwd / testpmd Mpps at least TARGET, and no round
# below FLOOR.
TARGET = {"io": 1.0, "macswap": 1.0}
FLOOR = {"io": 0.98, "macswap": 0.95}
# hyperbuf / raw, every mode (no floor: the lowest round is reported).
TARGET_RAW = 0.98
# frag and reasm: hyperbuf / raw (librte_ip_frag).
TARGET_FRAG = 1.2
MODES = ("io", "macswap", "route", "encap", "decap", "frag", "reasm")
FRAG_MODES = ("frag", "reasm")
TESTPMD_MODES = ("io", "macswap")
IMPLS = ("testpmd", "raw", "hyperbuf")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def eal_args(size, prefix, pcap=None):
    if pcap is not None:
        ports = ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                 "--vdev", "net_null0,no-rx=1"]
    else:
        ports = ["--vdev", "net_null0,size=%d" % size,
                 "--vdev", "net_null1,size=%d" % size]
    return ["--no-huge", "-m", "512", "--no-pci", "--no-shconf"] + ports + [
        "-l", "0-1", "--file-prefix", prefix]


def label(size):
    """64 -> "64B"; (1500, 576) -> "1500to576"."""
    return "%dB" % size if isinstance(size, int) else "%dto%d" % size


def frag_pcap(mode, split, workdir):
    """The capture frag or reasm replays (tests/fwd/gen_pcap.py): 32 UDP
    packets of SIZE bytes, or their fragments cut to MTU, in order."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "fwd"))
    import random
    import gen_pcap
    import pcapio
    size, mtu = split
    rng = random.Random("fwd-bench-%d-%d" % split)
    frames = [gen_pcap.dgram(rng, size - 34, ident=1000 + i)
              for i in range(32)]
    if mode == "reasm":
        frames = [f for x in frames for f in gen_pcap.cut(
            x, gen_pcap.even(size - 34, (mtu - 20) & ~7))]
    path = os.path.join(workdir, "fwd-bench-%s-%d-%d.pcap" % ((mode,) +
                                                              split))
    pcapio.write(path, frames)
    return path


def frag_app(mode, split):
    """hb-fwd options of frag and reasm: port 0's mode, port 1's MTU,
    mbufs that hold a whole packet (net_pcap's infinite_rx takes no
    chains)."""
    size, mtu = split
    return ["--mode", "0:%s,1:io" % mode, "--mtu", "1:%d" % mtu,
            "--mbuf-size", str(max(2176, size + 128 + 64))]


def telemetry(prefix, cmds):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    if os.getuid() != 0:
        path = os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
                            "dpdk", prefix, "dpdk_telemetry.v2")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    try:
        n = int(json.loads(s.recv(16384).decode())["max_output_len"])
        out = []
        for c in cmds:
            s.send(c.encode())
            out.append(json.loads(s.recv(n).decode()))
        return out
    finally:
        s.close()


def rx_packets(prefix):
    """Packets the two net_null ports delivered (ethdev counters: the same
    source for both applications)."""
    r = telemetry(prefix, ["/ethdev/stats,0", "/ethdev/stats,1"])
    return sum(x["/ethdev/stats"]["ipackets"] for x in r)


def worker_cpu_ns(pid):
    """CPU time of the forwarding lcore thread (rte-worker-1), in ns."""
    for tid in os.listdir("/proc/%d/task" % pid):
        base = "/proc/%d/task/%s/" % (pid, tid)
        with open(base + "comm") as f:
            if f.read().strip() != "rte-worker-1":
                continue
        with open(base + "schedstat") as f:
            return int(f.read().split()[0])
    raise RuntimeError("no rte-worker-1 thread")


class Relay(threading.Thread):
    """Pass the program's output through (on a pty, so that it is line
    buffered as on a terminal), each line tagged; keep the last lines."""

    def __init__(self, fd, tag, quiet):
        super().__init__(daemon=True)
        self.fd, self.tag, self.quiet = fd, tag, quiet
        self.tail = []

    def run(self):
        buf = b""
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            buf += data
            *lines, buf = buf.split(b"\n")
            for raw in lines:
                self.line(raw)
        if buf:
            self.line(buf)

    def line(self, raw):
        text = ANSI.sub("", raw.decode(errors="replace")).rstrip("\r\n ")
        self.tail = (self.tail + [text])[-30:]
        if self.quiet or not text.strip() or text.startswith(
                ("EAL: ", "TELEMETRY: ")):
            return
        print("%s %s" % (self.tag, text), flush=True)


def one(tag, cmd, prefix, seconds, warmup, quiet):
    """Run @cmd; after the warm-up, measure @seconds. Returns (Mpps wall,
    Mpps per forwarding-lcore CPU second, share of a CPU that lcore had),
    or None."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=slave, close_fds=True)
    os.close(slave)
    relay = Relay(master, tag, quiet)
    relay.start()
    got = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                rx_packets(prefix)
                break
            except (OSError, ValueError, KeyError, TypeError):
                if time.monotonic() > deadline or p.poll() is not None:
                    raise RuntimeError("no telemetry")
                time.sleep(0.1)
        time.sleep(warmup)
        c0, w0, n0 = worker_cpu_ns(p.pid), time.monotonic(), rx_packets(prefix)
        time.sleep(seconds)
        c1, w1, n1 = worker_cpu_ns(p.pid), time.monotonic(), rx_packets(prefix)
        got = ((n1 - n0) / (w1 - w0) / 1e6,
               (n1 - n0) / ((c1 - c0) / 1e9) / 1e6,
               (c1 - c0) / 1e9 / (w1 - w0))
    except (RuntimeError, OSError) as e:
        sys.stderr.write("%s failed: %s\n" % (tag, e))
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        relay.join(timeout=5)
        os.close(master)
    if p.returncode != 0:
        sys.stderr.write("%s exited %d; its last lines:\n  %s\n" % (
            tag, p.returncode, "\n  ".join(relay.tail)))
        got = None
    return got


def stats(v):
    return statistics.median(v), min(v), max(v)


def main(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="build directory holding app/hb-fwd/hb-fwd")
    ap.add_argument("--hb-fwd", help="hb-fwd binary (default: in --build)")
    ap.add_argument("--testpmd", default="dpdk-testpmd")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--impls", default=",".join(IMPLS),
                    help="testpmd (io, macswap only), raw, hyperbuf")
    ap.add_argument("--sizes", default="64,1500",
                    help="packet sizes (net_null size=), bytes")
    ap.add_argument("--splits", default="1500:576,9000:1500",
                    help="frag and reasm: packet size and MTU pairs")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--warmup", type=float, default=1.5)
    ap.add_argument("--burst", type=int, default=32)
    ap.add_argument("--quiet", action="store_true",
                    help="do not pass the programs' statistics through")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench",
                                                       "results"),
                    help="where fwd-<stamp>.{csv,json} and their copies "
                    "fwd-latest.{csv,json} go (default %(default)s)")
    ap.add_argument("--csv", help="write the CSV here instead")
    ap.add_argument("--json", help="write the JSON here instead")
    a = ap.parse_args(argv)
    hb_fwd = a.hb_fwd or os.path.join(a.build, "app", "hb-fwd", "hb-fwd")
    modes = a.modes.split(",")
    sizes = [int(s) for s in a.sizes.split(",")]
    splits = [tuple(int(x) for x in s.split(":"))
              for s in a.splits.split(",")]

    def sizes_of(mode):
        return splits if mode in FRAG_MODES else sizes
    impls = a.impls.split(",")
    for m in modes:
        if m not in MODES:
            ap.error("mode %s: only %s" % (m, ",".join(MODES)))
    for i in impls:
        if i not in IMPLS:
            ap.error("impl %s: only %s" % (i, ",".join(IMPLS)))
    if not os.access(hb_fwd, os.X_OK):
        ap.error("no hb-fwd at %s (--build or --hb-fwd)" % hb_fwd)

    tag_id = os.getpid()
    res = {}
    failed = 0
    t_start = time.time()
    for mode in modes:
        for size in sizes_of(mode):
            tpp, hbp = "fwdb-tp-%d" % tag_id, "fwdb-hb-%d" % tag_id
            cmds = {}
            pcap, mode_args = None, ["--mode", mode]
            if mode in FRAG_MODES:
                os.makedirs(a.results, exist_ok=True)
                pcap = frag_pcap(mode, size, a.results)
                mode_args = frag_app(mode, size)
            if mode in TESTPMD_MODES and "testpmd" in impls:
                cmds["testpmd"] = ([a.testpmd] + eal_args(size, tpp) + [
                    "--", "--total-num-mbufs=8192", "--mbcache=250",
                    "--forward-mode=%s" % mode, "--burst=%d" % a.burst,
                    "--stats-period", "1"], tpp)
            for eng in ("raw", "hyperbuf"):
                if eng in impls:
                    cmds[eng] = ([hb_fwd] + eal_args(size, hbp, pcap) + [
                        "--"] + mode_args + ["--engine", eng,
                        "--nb-mbufs", "8192", "--mbuf-cache", "250",
                        "--burst", str(a.burst), "--stats-period", "1"],
                        hbp)
            kinds = list(cmds)
            for r in range(a.rounds):
                # Rotate the order: each program goes first in turn.
                order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
                for kind in order:
                    cmd, prefix = cmds[kind]
                    tag = "[%s %s %s r%d/%d]" % (kind, mode, label(size),
                                                r + 1, a.rounds)
                    got = one(tag, cmd, prefix, a.seconds, a.warmup,
                              a.quiet)
                    if got is None:
                        failed = 1
                        continue
                    res.setdefault((mode, size, kind), {})[r] = got
                    print("== %-8s %-7s %9s round %d: %6.2f Mpps wall, "
                          "%6.2f Mpps per lcore CPU s (lcore had %3.0f%% "
                          "of a CPU)" % (kind, mode, label(size), r + 1,
                                         got[0], got[1], 100 * got[2]),
                          flush=True)
            if pcap is not None:
                os.unlink(pcap)

    rows = []
    print("\n== hb-fwd (engines raw and hyperbuf) vs dpdk-testpmd, net_null, "
          "1 forwarding lcore, burst %d, %d rounds of %g s (after %g s "
          "warm-up)" % (a.burst, a.rounds, a.seconds, a.warmup))
    print("%-8s %9s %-8s | %-22s | %-28s | %s" % (
        "mode", "size", "impl", "wall Mpps: med   min   max",
        "per lcore CPU s: med   min   max", "lcore CPU"))
    for mode in modes:
        for size in sizes_of(mode):
            cur = {}
            for kind in IMPLS:
                v = res.get((mode, size, kind), {})
                if not v:
                    continue
                cur[kind] = v
                w = stats([x[0] for x in v.values()])
                c = stats([x[1] for x in v.values()])
                share = statistics.median([x[2] for x in v.values()])
                print("%-8s %9s %-8s | %10.2f %5.2f %5.2f | %16.2f %5.2f "
                      "%5.2f | %3.0f%%" % ((mode, label(size), kind) + w +
                                           c + (100 * share,)))
            if "hyperbuf" not in cur:
                continue
            hbv = cur["hyperbuf"]
            for base in ("testpmd", "raw"):
                if base not in cur:
                    continue
                bv = cur[base]
                target = TARGET[mode] if base == "testpmd" else \
                    TARGET_FRAG if mode in FRAG_MODES else TARGET_RAW
                floor = FLOOR[mode] if base == "testpmd" else None
                pair = sorted(set(bv) & set(hbv))
                for i, meas in ((0, "wall"), (1, "cpu")):
                    bm = statistics.median([x[i] for x in bv.values()])
                    hbm = statistics.median([x[i] for x in hbv.values()])
                    ratio = hbm / bm
                    paired = [hbv[r][i] / bv[r][i] for r in pair]
                    pmin = min(paired) if paired else float("nan")
                    ok = ratio >= target
                    ok_floor = floor is None or pmin >= floor
                    print("%-8s %9s ratio hyperbuf/%s (%s): %.3f (target "
                          ">=%.2fx: %s); lowest round %.3f%s" % (
                              mode, label(size), base, meas, ratio, target,
                              "PASS" if ok else "MISS", pmin,
                              "" if floor is None else
                              " (floor %.2fx: %s)" % (
                                  floor, "PASS" if ok_floor else "MISS")))
                    rows.append({
                        "mode": mode, "size": label(size), "measure": meas,
                        "baseline": base,
                        "testpmd" if base == "testpmd" else "raw":
                        [x[i] for x in bv.values()],
                        "base": [x[i] for x in bv.values()],
                        "hb_fwd": [x[i] for x in hbv.values()],
                        "ratio": ratio, "paired": paired,
                        "paired_min": pmin, "target": target,
                        "floor": floor if floor is not None else 0,
                        "result": "PASS" if ok else "MISS",
                        "floor_result": "PASS" if ok_floor else "MISS"})
    print("(wall: packets per second of wall time; cpu: per CPU second the "
          "forwarding lcore got. %.0f s in all.)" % (time.time() - t_start))

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t_start))
    latest = []
    if not a.csv or not a.json:
        os.makedirs(a.results, exist_ok=True)
    csv_path = a.csv or os.path.join(a.results, "fwd-%s.csv" % stamp)
    json_path = a.json or os.path.join(a.results, "fwd-%s.json" % stamp)
    if not a.csv:
        latest.append((csv_path, "fwd-latest.csv"))
    if not a.json:
        latest.append((json_path, "fwd-latest.json"))
    write_csv(csv_path, rows)
    with open(json_path, "w") as f:
        json.dump({"tool": "fwd-bench", "date": time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(t_start)),
            "cpu": cpu_model(), "cpus": os.cpu_count(),
            "testpmd": a.testpmd, "hb_fwd": hb_fwd, "burst": a.burst,
            "rounds": a.rounds, "seconds": a.seconds, "warmup": a.warmup,
            "results": rows}, f, indent=1)
        f.write("\n")
    if rows:
        for src, name in latest:
            with open(src) as fi, open(os.path.join(a.results, name),
                                       "w") as fo:
                fo.write(fi.read())
    print("results: %s, %s%s" % (csv_path, json_path,
                                  " (copied to fwd-latest.*)" if latest and
                                  rows else ""))
    return failed


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def write_csv(path, rows):
    """hb-bench's columns: a time is ns per packet (1000 / Mpps); the
    testpmd row's ratio is testpmd time / hb-fwd time = hb-fwd / testpmd
    Mpps, as for every hb-bench baseline."""
    with open(path, "w") as f:
        f.write("workload,implementation,role,op,ops_per_iter,iters,reps,"
                "median_ns,min_ns,max_ns,ratio,target,result,samples_ns\n")
        for x in rows:
            wl = "fwd-%s-%s%s" % (x["mode"], x["size"],
                                   "" if x["measure"] == "wall" else "/cpu")
            op = "packet forwarded (%s)" % (
                "Mpps of wall time" if x["measure"] == "wall" else
                "Mpps per forwarding-lcore CPU second")
            base = "testpmd" if x["baseline"] == "testpmd" else "hb-fwd-raw"
            for kind, role, ratio, target, result in (
                    ("hb-fwd", "hyperbuf", 1.0, 0, ""),
                    (base, "baseline", x["ratio"], x["target"],
                     x["result"])):
                if kind == "hb-fwd" and x["baseline"] != "testpmd" and \
                        x["mode"] in TESTPMD_MODES:
                    continue  # written with the testpmd row already
                v = x["hb_fwd" if kind == "hb-fwd" else "base"]
                ns = [1e3 / m for m in v]
                f.write('%s,%s,%s,"%s",1,0,%d,%.4f,%.4f,%.4f,%.4f,%g,%s,%s\n'
                        % (wl, kind, role, op, len(v),
                           statistics.median(ns), min(ns), max(ns), ratio,
                           target, result, " ".join("%.4f" % n for n in ns)))
            if x["baseline"] == "testpmd":
                f.write('%s,lowest round,derived,"lowest per-round ratio",'
                        '0,0,0,0,0,0,%.4f,>=%gx,%s,\n' % (
                            wl, x["paired_min"], x["floor"],
                            x["floor_result"]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
