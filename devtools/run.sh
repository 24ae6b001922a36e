#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# The main job: set up (packages, build/), then run the main program with
# EAL arguments that work on any machine (no hugepages, no PCI, a file
# prefix of its own).
#
#   devtools/run.sh [APP OPTIONS]
#
# The main program is app/hb-fwd: macswap forwarding through HyperBuf
# visitors between two net_null vdev ports, 5 seconds, printing per-port
# statistics and the Mpps. APP OPTIONS replace the default hb-fwd options
# (see devtools/run.sh --help). HB_EAL_ARGS, if set, replaces the default
# EAL arguments.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP=$ROOT/build/app/hb-fwd/hb-fwd

"$ROOT/devtools/setup.sh"

prefix=hb-run-$$
if [ -n "${HB_EAL_ARGS:-}" ]; then
	read -r -a eal <<<"$HB_EAL_ARGS"
else
	eal=(--no-huge -m 512 --no-pci --no-shconf
		--file-prefix "$prefix" --log-level=lib.eal:notice
		--vdev net_null0 --vdev net_null1 -l 0-1)
fi
if [ $# -eq 0 ]; then
	set -- --mode macswap --duration 5 --stats-period 1
fi

# The EAL leaves an empty runtime directory named after the file prefix.
cleanup()
{
	local d

	for d in /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk" \
		 /tmp/dpdk; do
		rmdir "$d/$prefix" 2>/dev/null || true
	done
}
trap cleanup EXIT

echo "run: ${APP#"$ROOT"/} ${eal[*]} -- $*"
"$APP" "${eal[@]}" -- "$@"
