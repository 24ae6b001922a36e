#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 HyperBuf developers
#
# hb-fwd with real peers: the kernel's own network stack in network
# namespaces, on both sides of hb-fwd, checked with the kernel's own tools
# (ping, a TCP transfer through socat with sha256 of both ends).
#
#   peers.sh HB_FWD WORKDIR CASE
#
# Cases (--list prints them):
#   io          two net_tap ports, their interfaces moved into namespaces
#               A and B on one subnet: ping, TCP
#   route       A and B on two subnets, each with hb-fwd as its default
#               gateway (ARP answered by hb-fwd, no static entry): ping,
#               TCP, ping -t 1 gets "Time to live exceeded" from hb-fwd
#   route-raw   the same with --engine raw
#   vxlan       a two-way VXLAN tunnel: A's frames encapsulated on port 0,
#               a kernel vxlan device in B at the far end, its frames
#               decapsulated on port 1 (--mode 0:encap,1:decap): ping, TCP;
#               overlay MTU 1450 (net_tap in 22.11 sends at most 1522 bytes)
#   vxlan-1500  the same with full 1500-byte inner frames: --mtu 1600, on
#               net_pcap over veth pairs
#   jumbo-io    MTU 9000 ping (DF) and TCP through io, and
#   jumbo-route through route: net_pcap on veth pairs (net_tap in DPDK
#               22.11 refuses frames over 1522 bytes), hb-fwd in a third
#               namespace
#   frag-reasm  A on net_tap with MTU 1500, B on a veth pair with MTU 9000
#               (net_pcap: net_tap in 22.11 cannot do 9000), one subnet;
#               port 0 (A's) in reasm, port 1 (B's) in frag with --ip:
#               A's ping -s 8000 goes out of A in fragments, reaches B
#               whole, B's reply is cut to 1500 for A; B's ping -s 8000
#               without DF is cut for A, A's fragmented reply joined for
#               B; B's ping -M do -s 8000 gets ICMP fragmentation needed
#               (MTU 1500) from hb-fwd and B's kernel takes the MTU
#   frag-reasm-raw  the same with --engine raw (librte_ip_frag)
#
# Every run ends with hb-fwd stopped by SIGINT, exit status 0 and zero
# mbufs in use. Namespaces (hbp-<role>-<pid>), interfaces (hbp<pid>...)
# and processes are this script's own, removed and killed by pid on any
# exit (trap). Exit 77 (skip) where namespaces, TAP or the tools are
# missing; 1 on failure, with hb-fwd's log. HB_PEERS_PREFIX (default hbp)
# names the namespaces and interfaces.

set -uo pipefail

CASES="io route route-raw vxlan vxlan-1500 jumbo-io jumbo-route"
CASES="$CASES frag-reasm frag-reasm-raw"

if [ "${1:-}" = --list ]; then
	for c in $CASES; do echo "$c"; done
	exit 0
fi
if [ $# -ne 3 ]; then
	echo "usage: $0 HB_FWD WORKDIR CASE | --list" >&2
	exit 2
fi
HBFWD=$1
CASE=$3
case " $CASES " in
*" $CASE "*) ;;
*) echo "unknown case '$CASE' (one of: $CASES)" >&2; exit 2 ;;
esac

ID=$$
WORK=$2/$CASE
P=${HB_PEERS_PREFIX:-hbp}
NS_A=$P-a-$ID
NS_B=$P-b-$ID
NS_R=$P-r-$ID
# Interface names: at most 15 characters.
IF_A=$P${ID}a
IF_B=$P${ID}b
# The kernel hosts' MACs (never the DPDK ports': a TAP port and its
# interface share one MAC unless changed).
MAC_A=02:68:62:70:00:0a
MAC_B=02:68:62:70:00:0b
PREFIX=hbp-$ID

namespaces=()
pids=()
hb_pid=

log()
{
	echo "peers[$CASE]: $*"
}

cleanup()
{
	local p ns

	trap - EXIT INT TERM
	if [ -n "$hb_pid" ] && kill -0 "$hb_pid" 2>/dev/null; then
		kill -INT "$hb_pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$hb_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$hb_pid" 2>/dev/null
	fi
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for ns in "${namespaces[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip()
{
	echo "SKIP $CASE: $*"
	exit 77
}

fail()
{
	echo "FAIL $CASE: $*"
	if [ -f "$WORK/hb-fwd.log" ]; then
		echo "--- hb-fwd log (last 60 lines):"
		tail -n 60 "$WORK/hb-fwd.log"
	fi
	exit 1
}

need_tools()
{
	local t

	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	for t in ip ping socat sha256sum timeout "$@"; do
		command -v "$t" >/dev/null ||
			skip "'$t' not found (devtools/setup.sh installs it)"
	done
}

ns_add()
{
	ip netns add "$1" 2>/dev/null ||
		skip "cannot create network namespace $1 (no privilege or no netns support)"
	namespaces+=("$1")
	ip -n "$1" link set lo up
}

# No IPv6 on the interfaces of namespace $1 (created or moved there
# later): where the TX drop count is checked, a host's first IPv6
# packets, sent while the far side's TAP interface is still down, would
# count (a TAP port whose interface is down refuses what hb-fwd sends).
no_ipv6()
{
	in_ns "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1
}

in_ns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# start_hbfwd [ip netns exec NS] -- EAL... -- APP...: in the background.
start_hbfwd()
{
	local pre=() a

	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pre+=("$1")
		shift
	done
	shift
	a=("$@")
	echo "+ ${pre[*]} $HBFWD ${a[*]}" >"$WORK/hb-fwd.log"
	"${pre[@]}" "$HBFWD" --no-huge -m 512 --no-pci --no-shconf \
		--file-prefix "$PREFIX" --log-level=lib.eal:error "${a[@]}" \
		>>"$WORK/hb-fwd.log" 2>&1 &
	hb_pid=$!
	for _ in $(seq 300); do
		grep -q "^hb-fwd: forwarding on" "$WORK/hb-fwd.log" && return 0
		kill -0 "$hb_pid" 2>/dev/null ||
			fail "hb-fwd exited at start"
		sleep 0.1
	done
	fail "hb-fwd did not start in 30 s"
}

stop_hbfwd()
{
	local rc

	kill -INT "$hb_pid"
	wait "$hb_pid"
	rc=$?
	hb_pid=
	[ $rc -eq 0 ] || fail "hb-fwd exited $rc"
	grep -q "mbufs in use after shutdown: 0 of" "$WORK/hb-fwd.log" ||
		fail "mbufs left in use after shutdown"
	log "hb-fwd stopped cleanly, 0 mbufs in use"
}

# The MAC hb-fwd printed for port $1.
port_mac()
{
	sed -n "s/^hb-fwd: port $1 ([a-z_]*) \([0-9A-F:]*\):.*/\1/p" \
		"$WORK/hb-fwd.log" | head -n1 | tr 'A-F' 'a-f'
}

# JSON value: json_get EXPR (Python, d the stats file).
json_get()
{
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" \
		"$WORK/stats.json"
}

# host NS IF MAC ADDR/LEN [GATEWAY]: a kernel host on interface IF.
host()
{
	local ns=$1 ifc=$2 mac=$3 addr=$4 gw=${5:-}

	ip -n "$ns" link set "$ifc" address "$mac"
	ip -n "$ns" addr add "$addr" dev "$ifc"
	ip -n "$ns" link set "$ifc" up
	if [ -n "$gw" ]; then
		ip -n "$ns" route add default via "$gw"
	fi
}

# Move a TAP interface of hb-fwd into a namespace.
tap_to()
{
	ip link set "$1" netns "$2" || fail "cannot move $1 into $2"
}

# ping_ok NS DEST [PING ARGS]: no loss.
ping_ok()
{
	local ns=$1 dst=$2 out

	shift 2
	# One ping first, not counted: the ARP exchanges (the host's for its
	# gateway, hb-fwd's answers) take their time on a loaded 2-CPU machine
	# where hb-fwd and the kernel share the CPUs; then none may be lost.
	in_ns "$ns" ping -n -c 1 -W 5 "$@" "$dst" >/dev/null 2>&1 || true
	out=$(in_ns "$ns" ping -n -c 5 -i 0.2 -W 5 "$@" "$dst" 2>&1)
	echo "$out" | tail -n 2
	echo "$out" | grep -q " 0% packet loss" ||
		fail "ping $* $dst from $ns lost packets:
$out"
}

# tcp_ok FROM TO DEST MB: a TCP transfer, sha256 of both ends equal.
tcp_ok()
{
	local from=$1 to=$2 dst=$3 mb=$4 sp sr srv

	head -c "$((mb * 1024 * 1024))" /dev/urandom >"$WORK/send"
	rm -f "$WORK/recv"
	in_ns "$to" socat -u TCP-LISTEN:5001,reuseaddr \
		"OPEN:$WORK/recv,creat,trunc" &
	srv=$!
	pids+=("$srv")
	for _ in $(seq 50); do
		in_ns "$to" ss -ltn 2>/dev/null | grep -q ":5001 " && break
		sleep 0.1
	done
	timeout 60 ip netns exec "$from" socat -u "OPEN:$WORK/send" \
		"TCP:$dst:5001,connect-timeout=10" ||
		fail "TCP transfer of $mb MB to $dst failed"
	timeout 30 tail --pid="$srv" -f /dev/null
	sp=$(sha256sum <"$WORK/send" | cut -d' ' -f1)
	sr=$(sha256sum <"$WORK/recv" | cut -d' ' -f1)
	[ "$sp" = "$sr" ] ||
		fail "TCP: sha256 of what was sent $sp, received $sr"
	log "TCP: $mb MB to $dst, sha256 $sp on both ends"
}

# Two net_tap ports (0: IF_A, 1: IF_B), hb-fwd in this namespace.
tap_eal()
{
	echo -l 0-1 --vdev "net_tap0,iface=$IF_A" --vdev "net_tap1,iface=$IF_B"
}

# Common options: one forwarding lcore that sleeps when idle, so that the
# kernel peers get CPU on a small machine.
APP_COMMON=(--stats-period 0 --idle-sleep 100)

case_io()
{
	ns_add "$NS_A"
	ns_add "$NS_B"
	# shellcheck disable=SC2046
	start_hbfwd -- $(tap_eal) -- --mode io "${APP_COMMON[@]}" \
		--stats-json "$WORK/stats.json"
	tap_to "$IF_A" "$NS_A"
	tap_to "$IF_B" "$NS_B"
	host "$NS_A" "$IF_A" "$MAC_A" 192.0.2.1/24
	host "$NS_B" "$IF_B" "$MAC_B" 192.0.2.2/24
	ping_ok "$NS_A" 192.0.2.2
	tcp_ok "$NS_A" "$NS_B" 192.0.2.2 8
	stop_hbfwd
}

# The router between 192.0.2.0/24 (A, port 0) and 198.51.100.0/24 (B,
# port 1); $1: MTU (0: default); then EAL and extra app options.
router_checks()
{
	local mac0 ll mtu=$1 big=()

	host "$NS_A" "$IF_A" "$MAC_A" 192.0.2.1/24 192.0.2.254
	host "$NS_B" "$IF_B" "$MAC_B" 198.51.100.1/24 198.51.100.254
	ping_ok "$NS_A" 198.51.100.1
	if [ "$mtu" -ne 0 ]; then
		big=(-M do -s $((mtu - 28)))
		ping_ok "$NS_A" 198.51.100.1 "${big[@]}"
	fi
	ping_ok "$NS_B" 192.0.2.1 "${big[@]}"
	# The hosts resolved their gateway through hb-fwd's ARP replies.
	mac0=$(port_mac 0)
	ll=$(ip -n "$NS_A" neigh show 192.0.2.254 | grep -o 'lladdr [0-9a-f:]*')
	[ "$ll" = "lladdr $mac0" ] ||
		fail "A's gateway entry is '$ll', not port 0's MAC $mac0"
	log "A resolved 192.0.2.254 to port 0 ($mac0) by ARP"
	tcp_ok "$NS_A" "$NS_B" 198.51.100.1 8
	# TTL 1: ICMP time exceeded from the gateway.
	out=$(in_ns "$NS_A" ping -n -c 2 -i 0.3 -W 2 -t 1 198.51.100.1 2>&1)
	echo "$out" | grep "exceeded" | head -n 1
	echo "$out" | grep -q "From 192.0.2.254 .*Time to live exceeded" ||
		fail "ping -t 1: no time exceeded from 192.0.2.254:
$out"
	stop_hbfwd
	[ "$(json_get 'd["built"]["arp_replies"] > 0')" = True ] ||
		fail "no ARP reply counted"
	[ "$(json_get 'd["built"]["icmp_sent"]')" -ge 1 ] ||
		fail "no ICMP time exceeded counted"
	[ "$(json_get 'd["totals"]["tx_dropped"]')" -eq 0 ] ||
		fail "TX drops"
	log "counters: $(json_get 'd["built"]')"
}

router_app()
{
	echo --mode route --ip 0,192.0.2.254/24 --ip 1,198.51.100.254/24 \
		--eth-dest "0,$MAC_A" --eth-dest "1,$MAC_B" \
		--route 192.0.2.0/24,0 --route 198.51.100.0/24,1 \
		"${APP_COMMON[@]}" --stats-json "$WORK/stats.json"
}

case_route()
{
	ns_add "$NS_A"
	ns_add "$NS_B"
	# shellcheck disable=SC2046
	start_hbfwd -- $(tap_eal) -- $(router_app) "$@"
	tap_to "$IF_A" "$NS_A"
	tap_to "$IF_B" "$NS_B"
	router_checks 0
}

case_route_raw()
{
	case_route --engine raw
}

# The tunnel: A on the overlay behind port 0 (encap), B the far VTEP
# behind port 1 (decap); $1: the overlay MTU. hb-fwd is started by the
# caller, the interfaces A and B are IF_A and IF_B in NS_A and NS_B.
vxlan_checks()
{
	local mac1 omtu=$1

	# B: the underlay address on its interface, the overlay one on a
	# kernel VXLAN device whose remote endpoint is hb-fwd's port 1.
	host "$NS_B" "$IF_B" "$MAC_B" 203.0.113.2/24
	ip -n "$NS_B" link add vx0 type vxlan id 42 remote 203.0.113.1 \
		local 203.0.113.2 dstport 4789 dev "$IF_B" ||
		fail "cannot create the vxlan device"
	ip -n "$NS_B" link set vx0 mtu "$omtu" up
	ip -n "$NS_B" addr add 192.0.2.2/24 dev vx0
	ip -n "$NS_A" link set "$IF_A" mtu "$omtu"
	host "$NS_A" "$IF_A" "$MAC_A" 192.0.2.1/24
	ping_ok "$NS_A" 192.0.2.2
	ping_ok "$NS_A" 192.0.2.2 -M do -s $((omtu - 28))
	ping_ok "$NS_B" 192.0.2.1 -M do -s $((omtu - 28))
	mac1=$(port_mac 1)
	ip -n "$NS_B" neigh show 203.0.113.1 | grep -q "lladdr $mac1" ||
		fail "B did not resolve 203.0.113.1 to port 1 ($mac1)"
	log "B resolved its remote VTEP 203.0.113.1 to port 1 ($mac1) by ARP"
	tcp_ok "$NS_A" "$NS_B" 192.0.2.2 8
	tcp_ok "$NS_B" "$NS_A" 192.0.2.1 4
	stop_hbfwd
	log "drops: $(json_get '{k: v for k, v in d["drops"].items() if v}')"
	[ "$(json_get 'd["ports"][0]["rx_dropped"]')" -eq 0 ] ||
		fail "encap side dropped packets"
	[ "$(json_get 'd["totals"]["tx_dropped"]')" -eq 0 ] ||
		fail "TX drops (MTU?)"
}

vxlan_app()
{
	echo --mode 0:encap,1:decap --ip 1,203.0.113.1/24 \
		--vxlan-src 203.0.113.1 --vxlan-dst 203.0.113.2 \
		--vxlan-mac "$MAC_B" --vni 42 "${APP_COMMON[@]}" \
		--stats-json "$WORK/stats.json"
}

case_vxlan()
{
	in_ns_vxlan_ok || skip "no kernel vxlan support"
	ns_add "$NS_A"
	ns_add "$NS_B"
	no_ipv6 "$NS_A"
	no_ipv6 "$NS_B"
	# shellcheck disable=SC2046
	start_hbfwd -- $(tap_eal) -- $(vxlan_app)
	tap_to "$IF_A" "$NS_A"
	tap_to "$IF_B" "$NS_B"
	vxlan_checks 1450
}

case_vxlan_1500()
{
	need_tools ethtool
	in_ns_vxlan_ok || skip "no kernel vxlan support"
	veth_setup 1600
	# shellcheck disable=SC2046
	start_hbfwd ip netns exec "$NS_R" -- $(pcap_eal) -- $(vxlan_app) \
		--mtu 1600
	IF_A=${IF_A}h IF_B=${IF_B}h
	vxlan_checks 1500
}

in_ns_vxlan_ok()
{
	local ns=hbp-v-$ID ok=1

	ns_add "$ns"
	ip -n "$ns" link add hbpvx$ID type vxlan id 1 dstport 4789 \
		2>/dev/null && ok=0
	return $ok
}

# veth pairs: IF_A (namespace R) - IF_A.h (A), IF_B - IF_B.h; hb-fwd
# in R on net_pcap ports bound to the R ends. Offloads off on the host
# ends: AF_PACKET would see unfinished checksums and GSO super-frames.
veth_setup()
{
	local mtu=$1 x

	ns_add "$NS_R"
	ns_add "$NS_A"
	ns_add "$NS_B"
	for x in A B; do
		local ifc ns

		[ $x = A ] && ifc=$IF_A ns=$NS_A || ifc=$IF_B ns=$NS_B
		ip -n "$NS_R" link add "$ifc" mtu "$mtu" type veth peer \
			name "${ifc}h" netns "$ns" mtu "$mtu" ||
			fail "cannot create veth $ifc"
		in_ns "$ns" ethtool -K "${ifc}h" tx off tso off gso off \
			gro off >/dev/null 2>&1
		in_ns "$NS_R" ethtool -K "$ifc" tx off tso off gso off \
			gro off >/dev/null 2>&1
		in_ns "$NS_R" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1"
		ip -n "$NS_R" link set "$ifc" up
	done
}

pcap_eal()
{
	echo -l 0-1 \
		--vdev "net_pcap0,rx_iface_in=$IF_A,tx_iface=$IF_A" \
		--vdev "net_pcap1,rx_iface_in=$IF_B,tx_iface=$IF_B"
}

case_jumbo_io()
{
	need_tools ethtool
	veth_setup 9000
	# shellcheck disable=SC2046
	start_hbfwd ip netns exec "$NS_R" -- $(pcap_eal) -- --mode io \
		--mtu 9000 "${APP_COMMON[@]}" --stats-json "$WORK/stats.json"
	host "$NS_A" "${IF_A}h" "$MAC_A" 192.0.2.1/24
	host "$NS_B" "${IF_B}h" "$MAC_B" 192.0.2.2/24
	ping_ok "$NS_A" 192.0.2.2
	ping_ok "$NS_A" 192.0.2.2 -M do -s 8972
	tcp_ok "$NS_A" "$NS_B" 192.0.2.2 8
	stop_hbfwd
}

# frag-reasm: A (tap, MTU 1500) and B (veth, MTU 9000) on 192.0.2.0/24.
case_frag_reasm()
{
	local out mtu

	need_tools ethtool
	ns_add "$NS_R"
	ns_add "$NS_A"
	ns_add "$NS_B"
	no_ipv6 "$NS_A"
	no_ipv6 "$NS_B"
	ip -n "$NS_R" link add "$IF_B" mtu 9000 type veth peer \
		name "${IF_B}h" netns "$NS_B" mtu 9000 ||
		fail "cannot create veth $IF_B"
	in_ns "$NS_B" ethtool -K "${IF_B}h" tx off tso off gso off gro off \
		>/dev/null 2>&1
	in_ns "$NS_R" ethtool -K "$IF_B" tx off tso off gso off gro off \
		>/dev/null 2>&1
	in_ns "$NS_R" sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	ip -n "$NS_R" link set "$IF_B" up
	start_hbfwd ip netns exec "$NS_R" -- -l 0-1 \
		--vdev "net_tap0,iface=$IF_A" \
		--vdev "net_pcap1,rx_iface_in=$IF_B,tx_iface=$IF_B" -- \
		--mode 0:reasm,1:frag --mtu 0:1500,1:9000 \
		--ip 1,192.0.2.254/24 "${APP_COMMON[@]}" \
		--stats-json "$WORK/stats.json" "$@"
	ip -n "$NS_R" link set "$IF_A" netns "$NS_A" ||
		fail "cannot move $IF_A into $NS_A"
	ip -n "$NS_A" link set "$IF_A" mtu 1500
	host "$NS_A" "$IF_A" "$MAC_A" 192.0.2.1/24
	host "$NS_B" "${IF_B}h" "$MAC_B" 192.0.2.2/24
	ping_ok "$NS_A" 192.0.2.2
	# A's 8028-byte datagrams leave A in fragments (MTU 1500), are
	# joined by port 0's reasm for B's 9000-byte link; B's whole
	# replies are cut by port 1's frag for A.
	ping_ok "$NS_A" 192.0.2.2 -s 8000
	# B's, without DF: cut for A, A's fragmented replies joined.
	ping_ok "$NS_B" 192.0.2.1 -s 8000 -M dont
	# With DF: hb-fwd drops it and says fragmentation needed, MTU 1500.
	out=$(in_ns "$NS_B" ping -n -c 2 -i 0.3 -W 2 -M do -s 8000 \
		192.0.2.1 2>&1)
	echo "$out" | grep -i -m 1 "frag\|mtu"
	mtu=$(ip -n "$NS_B" route get 192.0.2.1 | grep -o 'mtu [0-9]*')
	[ "$mtu" = "mtu 1500" ] ||
		fail "B did not take the MTU of hb-fwd's ICMP ('$mtu'):
$out"
	log "B's route to A: $mtu (ICMP fragmentation needed from hb-fwd)"
	stop_hbfwd
	[ "$(json_get 'd["ports"][0]["frag"]["reassembled"] >= 10')" = True ] ||
		fail "port 0 reassembled $(json_get 'd["ports"][0]["frag"]')"
	[ "$(json_get 'd["ports"][1]["frag"]["fragmented"] >= 10')" = True ] ||
		fail "port 1 fragmented $(json_get 'd["ports"][1]["frag"]')"
	[ "$(json_get 'd["drops"]["frag_needed"] >= 1')" = True ] ||
		fail "no frag_needed drop"
	[ "$(json_get 'd["built"]["icmp_sent"] >= 1')" = True ] ||
		fail "no ICMP sent"
	[ "$(json_get 'd["totals"]["tx_dropped"]')" -eq 0 ] ||
		fail "TX drops"
	log "port 0 (reasm): $(json_get 'd["ports"][0]["frag"]'); port 1" \
		"(frag): $(json_get 'd["ports"][1]["frag"]'); drops:" \
		"$(json_get '{k: v for k, v in d["drops"].items() if v}')"
}

case_frag_reasm_raw()
{
	case_frag_reasm --engine raw
}

case_jumbo_route()
{
	need_tools ethtool
	veth_setup 9000
	# shellcheck disable=SC2046
	start_hbfwd ip netns exec "$NS_R" -- $(pcap_eal) -- $(router_app) \
		--mtu 9000
	IF_A=${IF_A}h IF_B=${IF_B}h
	router_checks 9000
}

need_tools
mkdir -p "$WORK" || fail "cannot create $WORK"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
log "hb-fwd $HBFWD, namespaces $NS_A $NS_B${CASE#jumbo} ..."
start=$SECONDS
"case_${CASE//-/_}"
echo "PASS $CASE ($((SECONDS - start)) s)"
