#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Soak hb-fwd: every mode for N seconds on a capture replayed in a loop.
#
#   devtools/soak.sh [--seconds N] [--modes "io macswap route encap decap frag reasm"]
#                    [--hb-fwd PATH] [--mbuf-size N] [--workdir DIR]
#
# Input: tests/fwd/gen_pcap.py's 'mixed' set (valid IPv4 of many sizes,
# options, padding, fragments, bad checksums; truncated and malformed
# frames; valid, nested and broken VXLAN), without the frames the mbufs
# cannot hold in one segment (net_pcap's infinite_rx does not take
# multi-segment packets). Port 0 is net_pcap replaying it forever
# (infinite_rx=1), port 1 net_null with no-rx=1: everything port 0
# receives goes to port 1, which drops it. encap runs with --tunnel-depth 3
# (the third layer chains a new head segment: one mbuf taken per packet),
# the other modes with depth 1. frag replays tests/fwd/gen_pcap.py's
# 'frag' set (frames of one mbuf) cut to port 1's MTU of 576 (--mtu
# 1:576); reasm replays the well-formed fragment streams of the 'reasm'
# set (in order, reversed, shuffled, interleaved, with non-fragments),
# every datagram complete within one pass over the capture.
#
# Per mode, N seconds each (--duration), then checks:
#  - exit status 0, no sanitizer report, "mbufs in use after shutdown: 0",
#    and mbufs_in_use 0 in --stats-json;
#  - rx == tx + rx_dropped + tx_dropped, in the totals and per port
#    (port 0 receives all, port 1 sends all), tx counting each fragment
#    frag made and each datagram reasm made (rx == tx - fragments +
#    fragmented - reassembled + joined + drops);
#  - the ethdev counters agree: port 0 ipackets == rx, port 1 opackets ==
#    tx, no ierrors, oerrors, rx_nombuf;
#  - every drop reason counted exactly: the capture replays in order, so
#    after rx packets the model (tests/fwd/model.py) expects
#    (rx // n) x (drops of one pass) + (drops of the first rx % n packets);
#    no_mbuf, bad_mbuf and hb_error are 0; frag's and reasm's counters
#    (packets fragmented, fragments, datagrams reassembled, fragments
#    joined) the same way; reasm's fragments still held at the end
#    counted as reasm_flush;
#  - encap: one mbuf allocated by HyperBuf per packet (segs_alloc == tx).
# Prints a table; exit status 0 only if every check of every mode passed.
# meson test --suite soak runs a 5-second version (devtools/meson.build).

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

secs=60
modes="io macswap route encap decap frag reasm"
hbfwd=$ROOT/build/app/hb-fwd/hb-fwd
mbuf_size=2176
workdir=

usage()
{
	sed -n '5,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) secs=$2; shift ;;
	--seconds=*) secs=${1#*=} ;;
	--modes) modes=$2; shift ;;
	--modes=*) modes=${1#*=} ;;
	--hb-fwd) hbfwd=$2; shift ;;
	--hb-fwd=*) hbfwd=${1#*=} ;;
	--mbuf-size) mbuf_size=$2; shift ;;
	--mbuf-size=*) mbuf_size=${1#*=} ;;
	--workdir) workdir=$2; shift ;;
	--workdir=*) workdir=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	*) echo "soak.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

case "$secs" in
'' | *[!0-9]* | 0) echo "soak.sh: --seconds needs a positive integer" >&2; exit 2 ;;
esac
if [ ! -x "$hbfwd" ]; then
	echo "soak.sh: $hbfwd not found (build first: devtools/setup.sh)" >&2
	exit 2
fi
if [ -z "$workdir" ]; then
	workdir=$(mktemp -d "${TMPDIR:-/tmp}/hb-soak.XXXXXX") || exit 1
	trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir" || exit 1

export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH=$ROOT/tests/fwd${PYTHONPATH:+:$PYTHONPATH}

# The captures: frames that fit in one mbuf.
python3 - "$workdir" "$mbuf_size" <<'EOF' || exit 1
import sys
import gen_pcap, pcapio
wd, room = sys.argv[1], int(sys.argv[2]) - 128
keep = ("plain", "inorder", "reversed", "shuffled", "interleaved", "eight",
        "nine", "tiny", "padded", "options", "not-ipv4", "short")
for name, set_, pick in (("in", "mixed", lambda n: True),
                         ("in-frag", "frag", lambda n: True),
                         ("in-reasm", "reasm", lambda n: n.startswith(keep))):
    frames = [f for n, f in gen_pcap.generate(set_)
              if len(f) <= room and pick(n)]
    pcapio.write("%s/%s.pcap" % (wd, name), frames)
    print("soak: %s/%s.pcap: %d packets (%s set, frames of at most %d bytes)"
          % (wd, name, len(frames), set_, room))
EOF

status=0
rows=()
for mode in $modes; do
	depth=1
	[ "$mode" = encap ] && depth=3
	pcap=$workdir/in.pcap
	extra=()
	case $mode in
	frag) pcap=$workdir/in-frag.pcap; extra=(--mode 0:frag,1:io --mtu 1:576) ;;
	reasm) pcap=$workdir/in-reasm.pcap; extra=(--mode 0:reasm,1:io) ;;
	esac
	json=$workdir/$mode.json
	log=$workdir/$mode.log
	rm -f "$json"
	cmd=("$hbfwd" --no-huge -m 512 --no-pci --no-shconf
		--file-prefix "hbsoak-$$-$mode" --log-level=lib.eal:error -l 0-1
		"--vdev=net_pcap0,rx_pcap=$pcap,infinite_rx=1"
		--vdev=net_null0,no-rx=1 --
		--mode "$mode" --tunnel-depth "$depth" --mbuf-size "$mbuf_size"
		--duration "$secs" --stats-period 10 --stats-json "$json"
		"${extra[@]}")
	echo "soak: $mode: ${cmd[*]}"
	timeout --signal=INT --kill-after=30 $((secs + 60)) "${cmd[@]}" \
		>"$log" 2>&1
	rc=$?
	row=$(python3 - "$mode" "$depth" "$rc" "$json" "$log" \
		"$pcap" <<'EOF'
import json, re, sys
import model, pcapio

mode, depth, rc, jpath, lpath, pcap = sys.argv[1:]
depth, rc = int(depth), int(rc)
fails = []

def check(cond, msg):
    if not cond:
        fails.append(msg)

log = open(lpath, errors="replace").read()
check(rc == 0, "exit status %d" % rc)
for mark in ("runtime error:", "ERROR: AddressSanitizer",
             "ERROR: LeakSanitizer"):
    check(mark not in log, "sanitizer report: " + mark)
check("mbufs in use after shutdown: 0 of" in log,
      "no 'mbufs in use after shutdown: 0' line")
try:
    st = json.load(open(jpath))
except (OSError, ValueError) as e:
    st = None
    fails.append("no stats JSON: %s" % e)

rx = tx = drop = 0
secs = 0.0
if st is not None:
    t = st["totals"]
    fs = st.get("frag", dict.fromkeys(model.FSTATS, 0))
    # Packets out that were not packets in (frag), or in that were not
    # out (reasm).
    made = fs["fragments"] - fs["fragmented"] + fs["reassembled"] - \
        fs["joined"]
    rx, tx, drop = t["rx"], t["tx"], t["rx_dropped"] + t["tx_dropped"]
    secs = st["seconds"]
    check(st["mbufs_in_use"] == 0, "JSON mbufs_in_use %d" % st["mbufs_in_use"])
    check(rx > 0, "nothing received")
    check(rx == tx - made + t["rx_dropped"] + t["tx_dropped"],
          "rx %d != tx %d - %d + rx_dropped %d + tx_dropped %d"
          % (rx, tx, made, t["rx_dropped"], t["tx_dropped"]))
    # Port 0 receives everything and sends it to port 1 (its peer).
    ports = dict((p["port"], p) for p in st["ports"])
    check(sorted(ports) == [0, 1] and ports[0]["peer"] == 1,
          "ports %s" % sorted(ports))
    if sorted(ports) == [0, 1]:
        p0, p1 = ports[0], ports[1]
        check(p0["rx"] == rx and p1["rx"] == 0 and p0["tx"] == 0 and
              p1["tx"] == tx and
              p0["rx"] == p1["tx"] - made + p0["rx_dropped"] +
              p1["tx_dropped"],
              "port counters disagree: port 0 rx %d rx_dropped %d, "
              "port 1 rx %d tx %d tx_dropped %d" % (
                  p0["rx"], p0["rx_dropped"], p1["rx"], p1["tx"],
                  p1["tx_dropped"]))
    check(sum(st["drops"].values()) == t["rx_dropped"],
          "drop reasons sum to %d, rx_dropped %d"
          % (sum(st["drops"].values()), t["rx_dropped"]))
    # ethdev counters, from the summary.
    eth = {int(m.group(1)): dict((k, int(v)) for k, v in
                                 re.findall(r"(\w+) (\d+)", m.group(2)))
           for m in re.finditer(r"ethdev port (\d+): (.*)", log)}
    check(0 in eth and 1 in eth, "no ethdev counters in the summary")
    if 0 in eth and 1 in eth:
        check(eth[0]["ipackets"] == rx, "port 0 ipackets %d, rx %d"
              % (eth[0]["ipackets"], rx))
        check(eth[1]["opackets"] == tx, "port 1 opackets %d, tx %d"
              % (eth[1]["opackets"], tx))
        for p in (0, 1):
            for k in ("ierrors", "oerrors", "rx_nombuf"):
                check(eth[p].get(k, 0) == 0, "port %d %s %d"
                      % (p, k, eth[p].get(k, 0)))
    # Exact drops: whole passes over the capture, then a prefix of it.
    frames = [r.data for r in pcapio.read(pcap)]
    cfg = model.EncapConfig(src_mac=bytes(6))
    n = len(frames)
    exp = dict.fromkeys(model.DROP_REASONS, 0)
    if mode in model.FRAG_MODES:
        # Each pass leaves the reassembly table empty: a pass's counts
        # times the passes, then those of the prefix (flushed at exit).
        def counts(fr):
            if mode == "frag":
                _, d, _, f = model.expect_frag(fr, 576)
            else:
                _, d, f = model.expect_reasm(fr, model.HbReasm())
            return d, f
        d1, f1 = counts(frames)
        d2, f2 = counts(frames[:rx % n])
        for r_ in exp:
            exp[r_] = d1[r_] * (rx // n) + d2[r_]
        check(d1["reasm_flush"] == 0, "the capture leaves datagrams held")
        for k in model.FSTATS:
            want = f1[k] * (rx // n) + f2[k]
            check(fs[k] == want, "%s %d (expected %d)" % (k, fs[k], want))
    else:
        why = [model.apply(mode, f, cfg, depth)[1] for f in frames]
        for i, w in enumerate(why):
            if w:
                exp[w] += rx // n + (1 if i < rx % n else 0)
    bad = ["%s %d (expected %d)" % (r, st["drops"].get(r, -1), exp[r])
           for r in model.DROP_REASONS if st["drops"].get(r, -1) != exp[r]]
    check(not bad, "drops: " + ", ".join(bad))
    if mode == "encap":
        check(st["hyperbuf"]["segs_alloc"] == tx,
              "segs_alloc %d, %d packets encapsulated"
              % (st["hyperbuf"]["segs_alloc"], tx))

verdict = "ok" if not fails else "FAILED: " + "; ".join(fails)
print("%-8s %6.1f %12d %12d %10d %7.2f %6s  %s" % (
    mode, secs, rx, tx, drop, rx / secs / 1e6 if secs else 0,
    str(st["mbufs_in_use"]) if st else "?", verdict))
sys.exit(0 if not fails else 1)
EOF
	) || { status=1; echo "soak: $mode FAILED, log: $log"; tail -20 "$log"; }
	rows+=("$row")
done

echo
echo "soak: $secs s per mode, the captures of $workdir replayed in a loop"
printf '%-8s %6s %12s %12s %10s %7s %6s  %s\n' mode secs rx tx dropped Mpps \
	mbufs check
printf '%s\n' "${rows[@]}"
[ $status -eq 0 ] && echo "soak: PASSED" || echo "soak: FAILED (logs in $workdir)"
if [ $status -ne 0 ]; then
	trap - EXIT
fi
exit $status
