#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# run_fuzz.sh FUZZER CORPUS_DIR SECONDS [LIBFUZZER ARGS...]
#
# Replay every input of CORPUS_DIR (regression inputs included), then fuzz
# for SECONDS on a copy of it, so that the committed corpus is never
# modified. A crash fails the run; its input is kept in
# ./fuzz-artifacts/ (the build directory under meson test) and printed.

set -u

if [ $# -lt 3 ]; then
	echo "usage: $0 FUZZER CORPUS_DIR SECONDS [LIBFUZZER ARGS...]" >&2
	exit 2
fi
fuzzer=$1
corpus=$2
secs=$3
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/hb-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
cp "$corpus"/* "$work/corpus/" || exit 1

# -detect_leaks=0: libFuzzer's per-input leak check is about malloc(), and
# the fuzzer checks its own leaks (pools, DPDK heap) after every input.
"$fuzzer" -max_total_time="$secs" -rss_limit_mb=4096 -max_len=4096 \
	-timeout=30 -print_final_stats=1 -detect_leaks=0 \
	-artifact_prefix="$work/" "$@" "$work/corpus"
rc=$?
if [ $rc -ne 0 ]; then
	mkdir -p fuzz-artifacts
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* \
		 "$work"/oom-*; do
		[ -e "$f" ] || continue
		cp "$f" fuzz-artifacts/
		echo "run_fuzz: failing input kept as $(pwd)/fuzz-artifacts/$(basename "$f")"
		echo "run_fuzz: replay with: $fuzzer $(pwd)/fuzz-artifacts/$(basename "$f")"
		od -An -tx1 -v "$f" | head -64
	done
	echo "run_fuzz: $fuzzer failed (exit status $rc)" >&2
	exit 1
fi
exit 0
