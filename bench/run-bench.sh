#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Run hb-bench on a release build and keep its results.
#
#   bench/run-bench.sh                      3 runs, all workloads
#   bench/run-bench.sh --runs 5 -- --workloads random,visit-hdr --reps 21
#   bench/run-bench.sh --quick              one short smoke run
#
# Each run is a separate process (new pool, new EAL) writing
# bench/results/<stamp>-<n>.csv and .json; the last one is copied to
# bench/results/latest.{csv,json}. With several runs, a summary across
# runs is printed and written to bench/results/latest-summary.csv (same
# columns): per implementation, the median of the runs' medians and ratios
# and the lowest min and highest max of all of them. bench/plot.sh draws
# the summary (or the single run) with the forwarding ratios of
# bench/results/fwd-latest.csv if there are any, if gnuplot is there.
#
# The machine is shared and noisy: use several runs and read the spread.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
# Two lcores (the multi-lcore workloads, shared-read and contend, need the
# second one; the others run on the main lcore alone). Both float over all
# CPUs by default: on a shared machine the kernel then runs them on
# whichever CPU is idle. LCORE=N pins the main lcore to CPU N.
LCORE=${LCORE:-}
RESULTS=${RESULTS:-$ROOT/bench/results}
runs=3
quick=0
plot=1

usage()
{
	cat <<EOF
Usage: $0 [--build DIR] [--lcore N] [--runs K] [--quick] [--no-plot]
          [-- hb-bench options]
  --build DIR  release build directory (default $BUILD; configured with
               -Dbuildtype=release if missing)
  --lcore N    pin the main lcore to CPU N (default: float over all CPUs;
               the second lcore always floats)
  --runs K     separate bench processes (default $runs)
  --quick      one short run (hb-bench --quick)
  --no-plot    do not draw the PNG
Results go to $RESULTS.
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift ;;
	--lcore) LCORE=$2; shift ;;
	--runs) runs=$2; shift ;;
	--quick) quick=1; runs=1 ;;
	--no-plot) plot=0 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) echo "run-bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
case "$runs" in
'' | *[!0-9]* | 0) echo "run-bench.sh: --runs wants a positive number" >&2; exit 2 ;;
esac

# A release build with the bench in it.
if [ ! -f "$BUILD/build.ninja" ]; then
	echo "== configuring $BUILD (release)"
	meson setup "$BUILD" "$ROOT" -Dbuildtype=release -Dtests=false
fi
buildtype=$(meson introspect --buildoptions "$BUILD" |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"][0])' 2>/dev/null || echo unknown)
case "$buildtype" in
release | debugoptimized) ;;
*) echo "run-bench.sh: warning: $BUILD is a '$buildtype' build: numbers are not release numbers" >&2 ;;
esac
ninja -C "$BUILD" bench/hb-bench >/dev/null
BIN=$BUILD/bench/hb-bench

mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
extra=("$@")
[ $quick -eq 1 ] && extra=(--quick "${extra[@]}")
csvs=()

ncpu=$(nproc)
if [ -n "$LCORE" ]; then
	cores=(--lcores "0@$LCORE,1@(0-$((ncpu - 1)))")
	where="lcore 0 on CPU $LCORE, lcore 1 on CPUs 0-$((ncpu - 1))"
else
	cores=(--lcores "0@(0-$((ncpu - 1))),1@(0-$((ncpu - 1)))")
	where="lcores 0 and 1 on CPUs 0-$((ncpu - 1)) (floating)"
fi
echo "== hb-bench on $where, $runs run(s), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
	out=$RESULTS/$stamp-$i
	eal=(--no-huge -m 512 --no-pci --no-shconf --no-telemetry
		--file-prefix "hbb$$-$i" "${cores[@]}" --log-level=lib.eal:error)
	echo "== run $i/$runs -> $out.{csv,json,meta}"
	{
		echo "date: $(date -u +%FT%TZ)"
		echo "git: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "${HB_GIT_REV:-none}")"
		echo "lib+include diff sha1: $(git -C "$ROOT" diff HEAD -- lib include 2>/dev/null | sha1sum | cut -c1-12)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $ncpu CPU(s)"
		echo "build: $BUILD ($buildtype)"
		echo "cpus: $where"
		echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "args: ${extra[*]}"
	} >"$out.meta"
	"$BIN" "${eal[@]}" -- --csv "$out.csv" --json "$out.json" "${extra[@]}"
	csvs+=("$out.csv")
done
cp "${csvs[-1]}" "$RESULTS/latest.csv"
cp "${RESULTS}/$stamp-$runs.json" "$RESULTS/latest.json"

if [ "$runs" -gt 1 ]; then
	echo
	echo "== summary of $runs runs: median of the runs' medians, lowest min and"
	echo "   highest max over all runs, median of the runs' ratios (each ratio"
	echo "   taken within one run, where baseline and HyperBuf share the noise),"
	echo "   and min-ratio = lowest min / HyperBuf's lowest min (noise only adds"
	echo "   time: the least disturbed estimate)"
	awk -F, '
	FNR == 1 { next }
	$3 == "derived" {
		k = $1 "," $2
		if (!(k in dseen)) { dseen[k] = 1; dorder[nd++] = k; dtgt[k] = $12 }
		d[k] = d[k] " " $11
		if (!(k in dmn) || $11 + 0 < dmn[k]) dmn[k] = $11 + 0
		if (!(k in dmx) || $11 + 0 > dmx[k]) dmx[k] = $11 + 0
		next
	}
	{
		k = $1 "," $2
		if (!(k in seen)) { seen[k] = 1; order[n++] = k; role[k] = $3; tgt[k] = $12 }
		med[k] = med[k] " " $8
		rat[k] = rat[k] " " $11
		if (!(k in mn) || $9 + 0 < mn[k]) mn[k] = $9 + 0
		if (!(k in mx) || $10 + 0 > mx[k]) mx[k] = $10 + 0
	}
	function median(s,   a, m, i, j, t) {
		m = split(s, a, " ")
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function fmt(ns) {
		if (ns >= 1e6) return sprintf("%.3f ms", ns / 1e6)
		if (ns >= 1e3) return sprintf("%.3f us", ns / 1e3)
		return sprintf("%.2f ns", ns)
	}
	# A derived target: "<=3x", ">=0.98x", "<=0%" or empty (report).
	function dres(v, t,   c, x) {
		if (t == "") return "report"
		c = substr(t, 1, 2); x = substr(t, 3) + 0
		return (c == "<=" ? v <= x : v >= x) ? "PASS" : "MISS"
	}
	END {
		print "workload,implementation,role,op,ops_per_iter,iters,reps," \
			"median_ns,min_ns,max_ns,ratio,target,result,samples_ns" > sum
		printf "%-12s %-17s %12s %12s %12s %9s %9s %8s %s\n", "workload",
			"implementation", "median", "min", "max", "ratio",
			"min-ratio", "target", "result"
		for (i = 0; i < n; i++) {
			k = order[i]; split(k, f, ",")
			m = median(med[k]); r = median(rat[k])
			hk = f[1] ",hyperbuf"; rm = mn[hk] > 0 ? mn[k] / mn[hk] : 0
			res = ""
			if (role[k] == "baseline")
				res = tgt[k] > 0 ? (r >= tgt[k] ? "PASS" : "MISS") : "report"
			else if (role[k] == "hyperbuf-variant")
				res = "(variant)"
			printf "%-12s %-17s %12s %12s %12s %8.2fx %8.2fx %8s %s\n",
				f[1], f[2], fmt(m), fmt(mn[k]), fmt(mx[k]), r, rm,
				(tgt[k] > 0 ? ">=" tgt[k] "x" : "-"), res
			printf "%s,%s,%s,\"median of %d runs\",0,0,%d,%.4f,%.4f,%.4f," \
				"%.4f,%g,%s,\n", f[1], f[2], role[k], runs, runs, m,
				mn[k], mx[k], r, tgt[k], res > sum
		}
		print ""
		print "derived values: median, lowest and highest over the runs"
		for (i = 0; i < nd; i++) {
			k = dorder[i]; split(k, f, ","); m = median(d[k])
			printf "%-12s %-20s %9.2f %9.2f %9.2f %8s %s\n",
				f[1], f[2], m, dmn[k], dmx[k],
				(dtgt[k] == "" ? "-" : dtgt[k]), dres(m, dtgt[k])
			printf "%s,%s,derived,\"median of %d runs\",0,0,0,0,0,0," \
				"%.4f,%s,%s,\n", f[1], f[2], runs, m, dtgt[k],
				dres(m, dtgt[k]) > sum
		}
	}' runs="$runs" sum="$RESULTS/latest-summary.csv" "${csvs[@]}"
	echo "(also in ${RESULTS#"$ROOT"/}/latest-summary.csv)"
fi

if [ $plot -eq 1 ]; then
	# With the forwarding ratios of the last bench/fwd-bench.py, if any.
	fwd=()
	[ -r "$RESULTS/fwd-latest.csv" ] && fwd=("$RESULTS/fwd-latest.csv")
	src=$RESULTS/latest.csv
	[ "$runs" -gt 1 ] && src=$RESULTS/latest-summary.csv
	"$ROOT/bench/plot.sh" "$src" "$RESULTS/latest.png" "${fwd[@]}" || true
fi
