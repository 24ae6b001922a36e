#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Draw the ratios of hb-bench (and fwd-bench) CSVs as a PNG bar chart.
#
#   bench/plot.sh [results.csv [chart.png [more.csv ...]]]
#
# One bar per workload and baseline, in the order of the CSVs: baseline
# time / HyperBuf time (above 1: HyperBuf is faster), on a log scale, with
# the line at 1.0 and the target of each bar (bench/README.md) as a
# mark; red: the target is missed, grey: no target (reported only).
# more.csv: further results with the same columns, e.g.
# bench/results/fwd-latest.csv from bench/fwd-bench.py (forwarding:
# hb-fwd Mpps / dpdk-testpmd Mpps, over wall time and per
# forwarding-lcore CPU second, "/cpu"). Needs gnuplot
# (Debian package gnuplot-nox); without it, says so and exits 0.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
csv=${1:-$ROOT/bench/results/latest.csv}
png=${2:-${csv%.csv}.png}
shift $(($# < 2 ? $# : 2))
csvs=("$csv" "$@")

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "plot.sh: gnuplot not found (apt-get install gnuplot-nox): no chart"
	exit 0
fi
for f in "${csvs[@]}"; do
	if [ ! -r "$f" ]; then
		echo "plot.sh: cannot read $f" >&2
		exit 1
	fi
done

data=$(mktemp)
trap 'rm -f "$data"' EXIT
# label ratio target(or NaN) colour(0 pass, 1 miss, 2 report)
awk -F, 'FNR > 1 && $3 == "baseline" {
	t = $12 + 0
	printf "\"%s/%s\" %s %s %d\n", $1, $2, $11, (t > 0 ? t : "NaN"),
		($13 == "MISS" ? 1 : $13 == "PASS" ? 0 : 2)
}' "${csvs[@]}" >"$data"
if [ ! -s "$data" ]; then
	echo "plot.sh: no baseline rows in $csv" >&2
	exit 1
fi
n=$(wc -l <"$data")
# Room above the tallest bar or target mark for its label.
top=$(awk '{ m = $2 > m ? $2 : m; if ($3 != "NaN" && $3 > m) m = $3 } END { print m * 4 }' "$data")

gnuplot <<EOF
set terminal pngcairo size $((300 + 55 * n)),640 font "sans,10"
set output "$png"
set title "HyperBuf vs baselines: baseline time / HyperBuf time (above 1: HyperBuf faster)\n$(for f in "${csvs[@]}"; do printf '%s ' "$(basename "$f")"; done)"
set style fill solid 0.8 border -1
set boxwidth 0.7
set rmargin 30
set bmargin 9
set logscale y 10
set yrange [0.01:$top]
set ylabel "ratio (log scale)"
set xtics rotate by -40 left noenhanced
set grid ytics
set key outside top center horizontal
set cbrange [0:2]
set palette maxcolors 3
set palette defined (0 "#3a7bd5", 1 "#d5543a", 2 "#a0a0a0")
unset colorbox
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black"
plot "$data" using 0:2:4:xtic(1) with boxes lc palette title "ratio (blue: target met, red: missed, grey: no target)", \
     "" using 0:3 with points pt 7 ps 1.2 lc rgb "black" title "target", \
     "" using 0:2:(sprintf("%.2f", \$2)) with labels offset 0,0.8 font ",8" notitle
EOF
echo "plot.sh: wrote $png"
