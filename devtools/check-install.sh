#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Install a build directory into a scratch DESTDIR, then build and run a
# small program against that install the way a user would:
#   cc -DALLOW_EXPERIMENTAL_API prog.c $(pkg-config --cflags --libs libhyperbuf)
#
#   devtools/check-install.sh BUILD_DIR [SOURCE_DIR]
#
# With SOURCE_DIR, also checks that every SOURCE_DIR/include/*.h is
# installed.
#
# The program needs no EAL: it uses an inline call (from the installed
# headers) and out-of-line calls (from the installed library) that must
# answer without one, and checks that the library it runs with is the
# installed one. Exit 0 if everything worked.

set -euo pipefail

builddir=$(cd "${1:?usage: $0 BUILD_DIR [SOURCE_DIR]}" && pwd)
srcdir=${2:-}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hb-install.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

fail()
{
	echo "check-install: FAILED: $*" >&2
	exit 1
}

# meson test sets LD_LIBRARY_PATH to the build tree: the program must not
# find the library there.
unset LD_LIBRARY_PATH

dest=$tmp/dest
meson install -C "$builddir" --no-rebuild --destdir "$dest" \
	>"$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log" >&2
	fail "meson install"
}

pc=$(find "$dest" -name libhyperbuf.pc -print -quit)
[ -n "$pc" ] || fail "libhyperbuf.pc not installed"
prefix=$(sed -n 's/^prefix=//p' "$pc")
[ -n "$prefix" ] || fail "libhyperbuf.pc has no prefix= line"
root=$dest$prefix

# Point the installed .pc at the DESTDIR. Not with pkg-config
# --define-variable=prefix=...: that also rewrites libdpdk's prefix (it is
# Required, and defines the same variable), so DPDK's headers would be
# looked for in the DESTDIR too. A copy with its own prefix changed is
# what the file would say had HyperBuf been installed there.
mkdir "$tmp/pc"
sed "s|^prefix=.*|prefix=$root|" "$pc" >"$tmp/pc/libhyperbuf.pc"
export PKG_CONFIG_PATH=$tmp/pc
pcfg()
{
	pkg-config "$@" libhyperbuf
}

version=$(pcfg --modversion) || fail "pkg-config libhyperbuf"
cflags=$(pcfg --cflags) || fail "pkg-config --cflags"
# The user opts in to experimental APIs, HyperBuf's, in the program
# (below); the .pc must not do it for them, and for every DPDK API too.
case " $cflags " in
*ALLOW_EXPERIMENTAL_API*) fail "pkg-config --cflags defines ALLOW_EXPERIMENTAL_API" ;;
esac
libs=$(pcfg --libs) || fail "pkg-config --libs"
libdir=$(pcfg --variable=libdir)
incdir=$(pcfg --variable=includedir)/hyperbuf

# Every public header is installed, the library's private one is not.
headers=(hyperbuf.h hb_buf.h)
if [ -n "$srcdir" ]; then
	for h in "$srcdir"/include/*.h; do
		headers+=("$(basename "$h")")
	done
fi
for h in "${headers[@]}"; do
	[ -f "$incdir/$h" ] || fail "$h not installed in $incdir"
done
# No private header of lib/ (hb_lcore.h, hb_guard.h, ...) is installed.
if [ -n "$srcdir" ]; then
	for h in "$srcdir"/lib/*.h; do
		[ ! -e "$incdir/$(basename "$h")" ] ||
			fail "private header $(basename "$h") installed"
	done
fi
ls "$libdir"/libhyperbuf.so.* >/dev/null 2>&1 || fail "no shared library in $libdir"
[ -f "$libdir/libhyperbuf.a" ] || fail "no static library in $libdir"

cat >"$tmp/prog.c" <<'EOF'
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hyperbuf.h>

int
main(void)
{
	struct hb_buf b;
	const char *why = NULL;
	Dl_info info;

	memset(&b, 0, sizeof(b));
	if (hb_buf_len(&b) != 0 || hb_buf_nb_segs(&b) != 0)
		return 2;
	if (hb_buf_init(NULL, NULL) != -EINVAL)
		return 3;
	if (hb_buf_check(&b, &why) != -EINVAL || why == NULL)
		return 4;
	/* Without the EAL, hb_init() must refuse, not crash. */
	if (hb_init() == 0)
		return 5;
	if (dladdr((void *)hb_buf_check, &info) == 0 || info.dli_fname == NULL)
		return 6;
	printf("%s %s\n", HB_VERSION_STR, info.dli_fname);
	return 0;
}
EOF

# Every HyperBuf function is experimental: a user defines
# ALLOW_EXPERIMENTAL_API (docs/guide.md), or each call warns.
# shellcheck disable=SC2086 # pkg-config output is a list of words
"$CC" -std=c11 -Wall -Wextra -Werror -DALLOW_EXPERIMENTAL_API $cflags \
	-o "$tmp/prog" "$tmp/prog.c" \
	$libs -Wl,-rpath,"$libdir" >"$tmp/cc.log" 2>&1 || {
	cat "$tmp/cc.log" >&2
	fail "compiling against the installed headers and library"
}
out=$("$tmp/prog" 2>&1) || fail "program exited with status $? ($out)"
read -r prog_version prog_lib <<<"$out"
[ "$prog_version" = "$version" ] ||
	fail "HB_VERSION_STR $prog_version but pkg-config says $version"
case "$(realpath "$prog_lib")" in
"$(realpath "$libdir")"/*) ;;
*) fail "the program ran with $prog_lib, not the installed library" ;;
esac

echo "check-install: ok: libhyperbuf $version installed under $prefix;"
echo "check-install: a program built with pkg-config links and runs with $prog_lib"
