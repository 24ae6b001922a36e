#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Every HyperBuf function is experimental (__rte_experimental). Check, with
# each compiler, against the headers of INCLUDE_DIR, that:
#   a. a file that only includes <hyperbuf.h> compiles without a warning
#      under -Wall -Wextra -Werror (the headers' own calls between their
#      inline functions do not warn: the pragmas in include/*.h);
#   b. a program's calls of HyperBuf functions without ALLOW_EXPERIMENTAL_API
#      each get a deprecation warning naming the function, at the call
#      (an inline, an out-of-line and a macro-generated function), and
#      nothing else warns;
#   c. the same program with -DALLOW_EXPERIMENTAL_API compiles without a
#      warning under -Wall -Wextra -Werror.
#
#   devtools/check-experimental.sh INCLUDE_DIR [CC...]
#
# CC defaults to gcc and clang; one that is not installed is skipped (exit
# 77 if none is). Exit 0 if every check passed.

set -euo pipefail

incdir=$(cd "${1:?usage: $0 INCLUDE_DIR [CC...]}" && pwd)
shift
[ $# -gt 0 ] || set -- gcc clang
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hb-experimental.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

# Plain quotes in the compilers' messages.
export LC_ALL=C

failed=0
# The first lines of compiler log $1 (a broken header can warn hundreds).
show()
{
	head -n 30 "$1" >&2
}
fail()
{
	echo "check-experimental: FAILED: $*" >&2
	failed=1
}

dpdk_cflags=$(pkg-config --cflags libdpdk) || {
	echo "check-experimental: FAILED: pkg-config --cflags libdpdk" >&2
	exit 1
}

cat >"$tmp/include_only.c" <<'EOF'
#include <hyperbuf.h>

int
main(void)
{
	return 0;
}
EOF

# The functions the program calls, one per line of the call site.
calls=(hb_buf_len hb_buf_init hb_buf_get_be16)
cat >"$tmp/calls.c" <<'EOF'
#include <hyperbuf.h>

int
main(void)
{
	struct hb_buf b;
	uint16_t v = 0;

	memset(&b, 0, sizeof(b));
	return (int)hb_buf_len(&b) +
		hb_buf_init(&b, NULL) +
		hb_buf_get_be16(&b, 0, &v);
}
EOF

# cc CC OUT_LOG FILE FLAGS...: compile FILE, stderr into OUT_LOG.
cc_one()
{
	local cc=$1 log=$2 file=$3
	shift 3
	# shellcheck disable=SC2086 # pkg-config output is a list of words
	"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra "$@" $dpdk_cflags \
		-I"$incdir" -c "$tmp/$file" -o "$tmp/out.o" 2>"$log"
}

# clean CC NAME FILE FLAGS...: FILE compiles under -Werror, stderr empty.
clean()
{
	local cc=$1 name=$2 file=$3 log
	log=$tmp/$cc-clean-$file.log
	shift 3
	if ! cc_one "$cc" "$log" "$file" -Werror "$@" || [ -s "$log" ]; then
		show "$log"
		fail "$cc: $name: expected no diagnostic"
		return
	fi
	echo "check-experimental: $cc: $name: no warning"
}

ran=0
for cc in "$@"; do
	if ! command -v "$cc" >/dev/null; then
		echo "check-experimental: $cc not installed: skipped"
		continue
	fi
	ran=$((ran + 1))

	clean "$cc" "include only" include_only.c

	# Without -Werror: each call warns, at its line in calls.c, and only
	# the calls warn.
	log=$tmp/$cc-calls.log
	if ! cc_one "$cc" "$log" calls.c; then
		show "$log"
		fail "$cc: calls without ALLOW_EXPERIMENTAL_API: does not compile"
		continue
	fi
	nwarn=$(grep -c 'warning:' "$log" || true)
	ok=1
	for f in "${calls[@]}"; do
		grep -Eq "^[^:]*calls\.c:[0-9]+:[0-9]+: warning: '$f' is deprecated.*\[-Wdeprecated-declarations\]" \
			"$log" || {
			fail "$cc: no deprecation warning at the call of $f"
			ok=0
		}
	done
	if [ "$nwarn" -ne "${#calls[@]}" ]; then
		fail "$cc: $nwarn warnings, expected ${#calls[@]} (one per call)"
		ok=0
	fi
	if [ $ok -eq 1 ]; then
		echo "check-experimental: $cc: calls without ALLOW_EXPERIMENTAL_API: one deprecation warning each (${calls[*]})"
	else
		show "$log"
	fi

	clean "$cc" "calls with -DALLOW_EXPERIMENTAL_API" calls.c \
		-DALLOW_EXPERIMENTAL_API
done

if [ $ran -eq 0 ]; then
	echo "check-experimental: no compiler among: $*"
	exit 77
fi
[ $failed -eq 0 ] || exit 1
echo "check-experimental: ok ($ran compilers)"
