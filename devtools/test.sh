#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Run every test: set up (packages, build/, build-asan/ and build-fuzz/),
# then every meson test suite in build/ and build-asan/, the 'fuzz' suite
# (short libFuzzer runs) in build-fuzz/, then print a summary.
# Exit status 0 only if everything passed.
#
#   devtools/test.sh                  everything
#   devtools/test.sh --no-asan        skip the sanitizer build
#   devtools/test.sh --no-fuzz        skip the libFuzzer build and runs
#   devtools/test.sh --valgrind       also the unit tests under valgrind
#                                     (opt-in: ~10 minutes, docs/hardening.md)
#   devtools/test.sh --suite unit     only that meson suite (repeatable)
#
# Adding tests:
#  - a new test program or script: register it with test() in a meson.build
#    under a suite name ('unit', 'example', 'build', later 'e2e', 'fuzz');
#    it then runs here in both builds with no change to this file;
#  - another pass over the suites (e.g. valgrind through a meson test
#    setup): add a "meson_tests NAME BUILD_DIR [MESON TEST ARGS]" line
#    below;
#  - a command that is not a meson test: add a "step NAME COMMAND..." line
#    below; it passes when the command exits 0.
# Tests must not assert timings. Keep the whole run well under 15 minutes.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

want_asan=1
want_fuzz=1
want_valgrind=0
suites=()

usage()
{
	cat <<EOF
Usage: $0 [--no-asan] [--no-fuzz] [--valgrind] [--suite NAME]... [-h]
  --no-asan     do not build or test build-asan/
  --no-fuzz     do not build build-fuzz/ or run the 'fuzz' suite
  --valgrind    also run the 'unit' suite of build/ under valgrind
  --suite NAME  run only this meson test suite (may be repeated)
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--no-asan) want_asan=0 ;;
	--no-fuzz) want_fuzz=0 ;;
	--valgrind) want_valgrind=1 ;;
	--suite) [ $# -ge 2 ] || { usage >&2; exit 2; }
		suites+=(--suite "$2"); shift ;;
	--suite=*) suites+=(--suite "${1#--suite=}") ;;
	-h | --help) usage; exit 0 ;;
	*) echo "test.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

# Any sanitizer report fails the run: stop at the first one, abort (so the
# exit status cannot be mistaken for a test's own), print the stack.
# Leaks of DPDK's own EAL internals, if any, are listed in lsan.supp
# (DPDK symbols only, never hb_ code).
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
if [ -f "$ROOT/devtools/lsan.supp" ]; then
	export LSAN_OPTIONS=suppressions=$ROOT/devtools/lsan.supp:print_suppressions=0
fi

# Results: one line per step.
summary=()
total_pass=0
total_fail=0
total_skip=0
status=0

# record NAME "PASS FAIL SKIP" SECONDS [NOTE]: add a line to the summary.
record()
{
	local name=$1 pass fail skip secs=$3 note=${4:-} verdict

	read -r pass fail skip <<<"$2"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	if [ "$fail" -eq 0 ]; then
		verdict=ok
	else
		verdict=FAILED
		status=1
	fi
	[ -n "$note" ] || note="$pass passed, $fail failed, $skip skipped"
	summary+=("$(printf '  %-10s %-6s %4ds  %s' \
		"$name" "$verdict" "$secs" "$note")")
}

banner()
{
	echo
	echo "==== $* ===="
}

# step NAME COMMAND...: a step that is not a test run (e.g. the build);
# it counts in the totals only if it fails.
step()
{
	local name=$1 start=$SECONDS
	shift

	banner "$name: $*"
	if "$@"; then
		record "$name" "0 0 0" $((SECONDS - start)) "$*"
	else
		record "$name" "0 1 0" $((SECONDS - start)) "$*: exit status $?"
	fi
}

# Count the results in a meson testlog.json: "pass fail skip".
count_results()
{
	python3 - "$1" <<'EOF'
import json, sys
p = f = s = 0
try:
    for line in open(sys.argv[1]):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
except OSError:
    f = 1
print(p, f, s)
EOF
}

# Was suite $1 selected (no --suite given selects every suite)?
suite_selected()
{
	[ ${#suites[@]} -eq 0 ] && return 0
	[[ " ${suites[*]} " == *" --suite $1 "* ]]
}

# Is 'fuzz' the only suite selected? (build/ and build-asan/ have none.)
only_fuzz_selected()
{
	local a

	[ ${#suites[@]} -gt 0 ] || return 1
	for a in "${suites[@]}"; do
		[ "$a" = --suite ] || [ "$a" = fuzz ] || return 1
	done
}

# meson_tests NAME BUILD_DIR [MESON TEST ARGS...]: the selected suites
# of one build directory.
meson_tests()
{
	local name=$1 dir=$2 start=$SECONDS log=$2/meson-logs/testlog.json
	local pass fail skip rc=0
	shift 2

	banner "$name: meson test -C $dir $* ${suites[*]}"
	rm -f "$log"
	meson test -C "$dir" --print-errorlogs "$@" "${suites[@]}" || rc=$?
	read -r pass fail skip <<<"$(count_results "$log")"
	# A failure meson did not log as a test (e.g. a build error).
	[ $rc -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
	record "$name" "$pass $fail $skip" $((SECONDS - start))
}

t0=$SECONDS
setup_args=()
[ $want_asan -eq 1 ] && setup_args+=(--asan)
suite_selected fuzz || want_fuzz=0
[ $want_fuzz -eq 1 ] && setup_args+=(--fuzz)
step setup devtools/setup.sh "${setup_args[@]}"
if [ "$status" -eq 0 ]; then
	if ! only_fuzz_selected; then
		meson_tests release build
		[ $want_asan -eq 1 ] && meson_tests asan build-asan
	fi
	# build-fuzz/: only the libFuzzer runs (its unit tests are build-asan's).
	if [ $want_fuzz -eq 1 ]; then
		saved=("${suites[@]}")
		suites=()
		meson_tests fuzz build-fuzz --suite fuzz
		suites=("${saved[@]}")
	fi
	if [ $want_valgrind -eq 1 ] && suite_selected unit; then
		# Every unit test but async_stress: its 15 s wall-clock
		# deadlines do not hold with valgrind's serialised threads.
		mapfile -t vg_tests < <(meson test -C build --list 2>/dev/null |
			sed -n 's|^hyperbuf:unit / ||p' | grep -vx async_stress)
		saved=("${suites[@]}")
		suites=()
		meson_tests valgrind build --setup valgrind "${vg_tests[@]}"
		suites=("${saved[@]}")
	fi
fi

banner "summary ($((SECONDS - t0))s)"
printf '%s\n' "${summary[@]}"
[ "$status" -eq 0 ] && echo "ALL TESTS PASSED" || echo "SOME TESTS FAILED"
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
exit $status
