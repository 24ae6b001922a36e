#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# Install what HyperBuf needs (Debian 12 packages) and build it.
#
#   devtools/setup.sh            packages, then build/ (release)
#   devtools/setup.sh --asan     also build-asan/ (ASan + UBSan, debug checks)
#   devtools/setup.sh --fuzz     also build-fuzz/ (clang, libFuzzer targets)
#   devtools/setup.sh --no-build packages only
#
# Idempotent: a package is installed only if missing (apt-get update only
# then), a build directory is configured only if missing, broken, set up
# from another source tree or with other options, and is then rebuilt
# incrementally. Works as root or as a user with sudo.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Everything the build, the tests and the scripts use, from Debian.
PACKAGES=(
	dpdk dpdk-dev libdpdk-dev
	meson ninja-build pkg-config
	gcc libc6-dev binutils
	libcmocka-dev libpcap-dev
	python3 python3-pyelftools
	clang libclang-rt-14-dev valgrind
	iproute2 iputils-ping socat ethtool procps
	tshark
)

# Build directories: name, then the options that define it.
RELEASE_DIR=build
RELEASE_OPTS=(-Dbuildtype=release -Db_sanitize=none
	-Ddebug_checks=false -Dtests=true)
ASAN_DIR=build-asan
# shellcheck disable=SC2054 # the comma is part of the option value
ASAN_OPTS=(-Dbuildtype=debug -Db_sanitize=address,undefined
	-Ddebug_checks=true -Db_lundef=false -Dtests=true)
# libFuzzer targets (tests/fuzz, docs/hardening.md): clang, sanitizers.
FUZZ_DIR=build-fuzz
# shellcheck disable=SC2054 # the comma is part of the option value
FUZZ_OPTS=(-Dbuildtype=debug -Db_sanitize=address,undefined
	-Ddebug_checks=true -Db_lundef=false -Dtests=true -Dfuzz=true)

want_asan=0
want_fuzz=0
want_build=1

usage()
{
	cat <<EOF
Usage: $0 [--asan] [--fuzz] [--no-build] [-h]
  --asan      also configure and build $ASAN_DIR/ (sanitizers, debug checks)
  --fuzz      also configure and build $FUZZ_DIR/ (clang, libFuzzer targets)
  --no-build  only install the missing packages
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--asan) want_asan=1 ;;
	--fuzz) want_fuzz=1 ;;
	--no-build) want_build=0 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "setup.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

log()
{
	echo "setup: $*"
}

die()
{
	echo "setup: error: $*" >&2
	exit 1
}

# ---------------------------------------------------------------------
# Packages

installed()
{
	case "$(dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null)" in
	*"install ok installed"*) return 0 ;;
	*) return 1 ;;
	esac
}

install_packages()
{
	local missing=() p sudo=()

	command -v dpkg-query >/dev/null ||
		die "dpkg-query not found: this script needs Debian 12 (or a derivative)"
	for p in "${PACKAGES[@]}"; do
		installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "packages: all ${#PACKAGES[@]} present"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null ||
			die "not root and no sudo; install as root: apt-get install ${missing[*]}"
		sudo=(sudo)
	fi
	log "packages: installing ${missing[*]}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		die "apt-get update failed"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" ||
		die "apt-get install failed"
	for p in "${missing[@]}"; do
		installed "$p" || die "package $p still not installed"
	done
}

# ---------------------------------------------------------------------
# Build directories

# Print "name=value" for each option of configured build dir $1.
current_options()
{
	meson introspect "$1" --buildoptions 2>/dev/null | python3 -c '
import json, sys
for o in json.load(sys.stdin):
    v = o["value"]
    if isinstance(v, bool):
        v = "true" if v else "false"
    elif isinstance(v, list):
        v = ",".join(v)
    print("%s=%s" % (o["name"], v))
'
}

# Source tree build dir $1 was configured for (empty if unknown).
configured_source()
{
	meson introspect "$1" --projectinfo >/dev/null 2>&1 || return 0
	python3 - "$1" <<'EOF' 2>/dev/null || true
import json, os, sys
with open(os.path.join(sys.argv[1], "meson-info", "meson-info.json")) as f:
    print(json.load(f)["directories"]["source"])
EOF
}

# Is build dir $1 usable as it is for options $2...? Prints why not.
dir_stale_reason()
{
	local dir=$1 opt cur src
	shift

	if [ ! -f "$dir/build.ninja" ] ||
	   [ ! -f "$dir/meson-private/coredata.dat" ]; then
		echo "not configured"
		return 0
	fi
	src=$(configured_source "$dir")
	if [ -z "$src" ]; then
		echo "unreadable (other Meson version or broken)"
		return 0
	fi
	if [ "$(cd "$src" 2>/dev/null && pwd -P)" != "$(cd "$ROOT" && pwd -P)" ]; then
		echo "configured for another source tree ($src)"
		return 0
	fi
	cur=$(current_options "$dir")
	for opt in "$@"; do
		opt=${opt#-D}
		if ! grep -qxF -- "$opt" <<<"$cur"; then
			echo "option $opt differs"
			return 0
		fi
	done
}

# Configure (if needed) and build directory $1 with options $2...
build_dir()
{
	local name=$1 dir=$ROOT/$1 why out start=$SECONDS
	shift

	why=$(dir_stale_reason "$dir" "$@")
	if [ -n "$why" ]; then
		if [ -e "$dir" ]; then
			log "$name/: $why: configuring from scratch"
			rm -rf -- "$dir"
		else
			log "$name/: configuring"
		fi
		out=$(cd "$ROOT" && meson setup "$name" "$@" 2>&1) || {
			echo "$out" >&2
			die "meson setup $name failed"
		}
	fi
	# ninja re-runs meson by itself when a meson.build changed. If that
	# fails because the directory is from another Meson version, start
	# over once.
	out=$(ninja -C "$dir" 2>&1) || {
		if grep -qiE -- '--wipe|incompatible|coredata' <<<"$out" &&
		   [ -z "$why" ]; then
			log "$name/: stale (other Meson version?): configuring from scratch"
			rm -rf -- "$dir"
			out=$(cd "$ROOT" && meson setup "$name" "$@" 2>&1 &&
			      ninja -C "$dir" 2>&1)
		else
			false
		fi
	} || {
		echo "$out" >&2
		die "build of $name/ failed"
	}
	log "$name/: built ($((SECONDS - start))s)"
}

install_packages
if [ $want_build -eq 1 ]; then
	build_dir "$RELEASE_DIR" "${RELEASE_OPTS[@]}"
	if [ $want_asan -eq 1 ]; then
		build_dir "$ASAN_DIR" "${ASAN_OPTS[@]}"
	fi
	if [ $want_fuzz -eq 1 ]; then
		# libFuzzer is clang's: this directory is configured with it.
		CC=clang build_dir "$FUZZ_DIR" "${FUZZ_OPTS[@]}"
	fi
fi
