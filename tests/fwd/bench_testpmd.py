#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
"""hb-fwd against dpdk-testpmd on the same net_null ports and lcores.

For each mode, runs dpdk-testpmd and hb-fwd alternately (the order flips
every round), each for --seconds, with the same EAL arguments (--no-huge,
2 net_null ports, -l 0-1: one forwarding lcore), the same burst and the
same pool (8192 mbufs, cache 250). After a warm-up, both are measured the
same way: packets received by the two ports (ethdev counters, read through
DPDK telemetry) over wall time, and over the CPU time the forwarding lcore
thread actually got (/proc/PID/task/TID/schedstat), a rate that sharing
the CPU with other processes disturbs much less.

Prints one line per run and a summary: median, min, max and the ratio
hb-fwd / testpmd of the medians. Never asserts anything (not a test).

Usage: bench_testpmd.py --hb-fwd PATH [--testpmd PATH] [--modes io,macswap]
                        [--rounds 5] [--seconds 6] [--burst 32]
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

EAL = ["--no-huge", "-m", "512", "--no-pci", "--no-shconf",
       "--vdev", "net_null0", "--vdev", "net_null1", "-l", "0-1"]


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


def one(kind, cmd, prefix, seconds, warmup=1.5):
    """Start @cmd, wait for telemetry and warm-up, then measure @seconds:
    (Mpps of wall time, Mpps of forwarding-lcore CPU time)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                rx_packets(prefix)
                break
            except (OSError, ValueError, KeyError, TypeError):
                if time.monotonic() > deadline or p.poll() is not None:
                    sys.stderr.write("%s: no telemetry\n" % kind)
                    return None
                time.sleep(0.1)
        time.sleep(warmup)
        c0, w0, n0 = worker_cpu_ns(p.pid), time.monotonic(), rx_packets(prefix)
        time.sleep(seconds)
        c1, w1, n1 = worker_cpu_ns(p.pid), time.monotonic(), rx_packets(prefix)
    finally:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p.returncode != 0:
        sys.stderr.write("%s exited %d\n" % (kind, p.returncode))
    return ((n1 - n0) / (w1 - w0) / 1e6, (n1 - n0) / ((c1 - c0) / 1e9) / 1e6,
            (c1 - c0) / 1e9 / (w1 - w0))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hb-fwd", required=True)
    ap.add_argument("--testpmd", default="dpdk-testpmd")
    ap.add_argument("--modes", default="io,macswap")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--burst", type=int, default=32)
    a = ap.parse_args(argv)

    res = {}
    for mode in a.modes.split(","):
        tp = [a.testpmd] + EAL + ["--file-prefix", "bench-tp", "--",
                                  "--total-num-mbufs=8192",
                                  "--forward-mode=%s" % mode,
                                  "--burst=%d" % a.burst, "--stats-period", "1"]
        hb = [a.hb_fwd] + EAL + ["--file-prefix", "bench-hb", "--",
                                 "--mode", mode, "--nb-mbufs", "8192",
                                 "--mbuf-cache", "250", "--burst",
                                 str(a.burst), "--stats-period", "1"]
        for r in range(a.rounds):
            order = [("testpmd", tp, "bench-tp"), ("hb-fwd", hb, "bench-hb")]
            if r % 2:
                order.reverse()
            for kind, cmd, prefix in order:
                got = one(kind, cmd, prefix, a.seconds)
                if got is None:
                    continue
                res.setdefault((mode, kind), []).append(got)
                print("%-8s %-8s round %d: %6.2f Mpps wall, %6.2f Mpps per "
                      "lcore CPU s (lcore had %3.0f%% of a CPU)" %
                      (mode, kind, r, got[0], got[1], 100 * got[2]),
                      flush=True)
    print("\nmode     impl      wall Mpps: median    min    max   "
          "| per lcore CPU s: median    min    max")
    for mode in a.modes.split(","):
        med = {}
        for kind in ("testpmd", "hb-fwd"):
            v = res.get((mode, kind), [])
            if not v:
                continue
            wall = [x[0] for x in v]
            cpu = [x[1] for x in v]
            med[kind] = (statistics.median(wall), statistics.median(cpu))
            print("%-8s %-8s %17.2f %6.2f %6.2f | %23.2f %6.2f %6.2f" % (
                mode, kind, med[kind][0], min(wall), max(wall), med[kind][1],
                min(cpu), max(cpu)))
        if len(med) == 2:
            print("%-8s ratio hb-fwd/testpmd: %.3f wall, %.3f per lcore CPU s"
                  % (mode, med["hb-fwd"][0] / med["testpmd"][0],
                     med["hb-fwd"][1] / med["testpmd"][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
