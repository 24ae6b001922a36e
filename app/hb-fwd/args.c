/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd command line: the application's own options, after the EAL's and
 * a "--". Every value is checked (whole string, range); a bad one names
 * the option and what was expected, then the caller prints the usage.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hb_fwd.h"

struct fwd_config fwd_cfg;

const char *const fwd_mode_names[FWD_MODE_MAX] = {
	[FWD_MODE_IO] = "io",
	[FWD_MODE_MACSWAP] = "macswap",
	[FWD_MODE_ROUTE] = "route",
	[FWD_MODE_ENCAP] = "encap",
	[FWD_MODE_DECAP] = "decap",
	[FWD_MODE_FRAG] = "frag",
	[FWD_MODE_REASM] = "reasm",
};

const char *const fwd_engine_names[FWD_ENGINE_MAX] = {
	[FWD_ENGINE_HYPERBUF] = "hyperbuf",
	[FWD_ENGINE_RAW] = "raw",
};

static const char short_options[] =
	":"   /* report a missing value as ':' */
	"p:"  /* portmask */
	"q:"  /* RX queues per lcore */
	"b:"  /* burst size */
	"T:"  /* statistics period, as l2fwd */
	"h"   /* help */
	;

/* Long options without a short form. */
enum {
	OPT_MODE_NUM = 256,
	OPT_BURST_NUM,
	OPT_RXQ_NUM,
	OPT_RXD_NUM,
	OPT_TXD_NUM,
	OPT_PORTMAP_NUM,
	OPT_STATS_PERIOD_NUM,
	OPT_DURATION_NUM,
	OPT_MAX_PACKETS_NUM,
	OPT_STATS_JSON_NUM,
	OPT_MBUF_SIZE_NUM,
	OPT_NB_MBUFS_NUM,
	OPT_MBUF_CACHE_NUM,
	OPT_NO_PROMISC_NUM,
	OPT_VNI_NUM,
	OPT_VXLAN_SRC_NUM,
	OPT_VXLAN_DST_NUM,
	OPT_VXLAN_MAC_NUM,
	OPT_TUNNEL_DEPTH_NUM,
	OPT_ENGINE_NUM,
	OPT_MTU_NUM,
	OPT_IP_NUM,
	OPT_ETH_DEST_NUM,
	OPT_ROUTE_NUM,
	OPT_ICMP_RATE_NUM,
	OPT_IDLE_SLEEP_NUM,
	OPT_REASM_DGRAMS_NUM,
	OPT_REASM_MBUFS_NUM,
	OPT_REASM_TIMEOUT_NUM,
	OPT_CAPTURE_NUM,
	OPT_HELP_NUM,
};

static const struct option long_options[] = {
	{ "mode", required_argument, 0, OPT_MODE_NUM },
	{ "burst", required_argument, 0, OPT_BURST_NUM },
	{ "rxq", required_argument, 0, OPT_RXQ_NUM },
	{ "rxd", required_argument, 0, OPT_RXD_NUM },
	{ "txd", required_argument, 0, OPT_TXD_NUM },
	{ "portmap", required_argument, 0, OPT_PORTMAP_NUM },
	{ "stats-period", required_argument, 0, OPT_STATS_PERIOD_NUM },
	{ "duration", required_argument, 0, OPT_DURATION_NUM },
	{ "max-packets", required_argument, 0, OPT_MAX_PACKETS_NUM },
	{ "stats-json", required_argument, 0, OPT_STATS_JSON_NUM },
	{ "mbuf-size", required_argument, 0, OPT_MBUF_SIZE_NUM },
	{ "nb-mbufs", required_argument, 0, OPT_NB_MBUFS_NUM },
	{ "mbuf-cache", required_argument, 0, OPT_MBUF_CACHE_NUM },
	{ "no-promisc", no_argument, 0, OPT_NO_PROMISC_NUM },
	{ "vni", required_argument, 0, OPT_VNI_NUM },
	{ "vxlan-src", required_argument, 0, OPT_VXLAN_SRC_NUM },
	{ "vxlan-dst", required_argument, 0, OPT_VXLAN_DST_NUM },
	{ "vxlan-mac", required_argument, 0, OPT_VXLAN_MAC_NUM },
	{ "tunnel-depth", required_argument, 0, OPT_TUNNEL_DEPTH_NUM },
	{ "engine", required_argument, 0, OPT_ENGINE_NUM },
	{ "mtu", required_argument, 0, OPT_MTU_NUM },
	{ "ip", required_argument, 0, OPT_IP_NUM },
	{ "eth-dest", required_argument, 0, OPT_ETH_DEST_NUM },
	{ "route", required_argument, 0, OPT_ROUTE_NUM },
	{ "icmp-rate", required_argument, 0, OPT_ICMP_RATE_NUM },
	{ "idle-sleep", required_argument, 0, OPT_IDLE_SLEEP_NUM },
	{ "reasm-dgrams", required_argument, 0, OPT_REASM_DGRAMS_NUM },
	{ "reasm-mbufs", required_argument, 0, OPT_REASM_MBUFS_NUM },
	{ "reasm-timeout", required_argument, 0, OPT_REASM_TIMEOUT_NUM },
	{ "capture", required_argument, 0, OPT_CAPTURE_NUM },
	{ "help", no_argument, 0, OPT_HELP_NUM },
	{ NULL, 0, 0, 0 },
};

/* What fwd_parse_args() found wrong, for the exit message. */
char fwd_args_error[256];

void
fwd_usage_to(FILE *f, const char *prgname)
{
	fprintf(f, "Usage: %s [EAL options] -- [options]\n"
	       "\n"
	       "Forward packets between DPDK ports, every packet through HyperBuf.\n"
	       "\n"
	       "  -p PORTMASK         hexadecimal mask of the ports to use (default: all)\n"
	       "  --mode MODES        io | macswap | route | encap | decap | frag | reasm\n"
	       "                      (default io), for every port, or per RX port:\n"
	       "                      \"0:encap,1:decap\" (a MODE alone in the list: the\n"
	       "                      other ports' mode)\n"
	       "  --engine E          hyperbuf (default) | raw: the same modes in plain\n"
	       "                      mbuf code, the baseline without HyperBuf\n"
	       "  -b, --burst N       packets per RX burst, 1..%u (default %u)\n"
	       "  -q NQ               RX queues polled per forwarding lcore, 1..%u\n"
	       "                      (default: all queues spread evenly over the lcores)\n"
	       "  --rxq N             RX queues per port, RSS when the device has it, 1..%u\n"
	       "                      (default 1); TX queues: one per lcore sending to the port\n"
	       "  --rxd N, --txd N    descriptors per RX / TX queue (default %u / %u)\n"
	       "  --portmap MAP       port pairs, e.g. \"(0,1)(2,3)\"; unlisted ports pair in\n"
	       "                      order (0<->1, 2<->3, ...), a lone port forwards to itself\n"
	       "  -T, --stats-period S  print statistics every S seconds, 0 = off (default 1)\n"
	       "  --duration S        stop cleanly after S seconds (default 0: until\n"
	       "                      SIGINT or SIGTERM)\n"
	       "  --max-packets N     stop once N packets have been received and handled\n"
	       "                      (default 0: no limit; for scripts replaying pcaps)\n"
	       "  --stats-json FILE   write the final counters to FILE as JSON\n"
	       "  --mbuf-size N       mbuf data room in bytes, the %u-byte headroom included\n"
	       "                      (default %u); smaller makes multi-segment packets\n"
	       "  --nb-mbufs N        mbufs in the pool (default: enough for the queues,\n"
	       "                      at least %u)\n"
	       "  --mbuf-cache N      per-lcore mempool cache, 0..%u (default %u)\n"
	       "  --no-promisc        leave promiscuous mode off\n"
	       "  --vni N             encap: VXLAN network identifier, 0..16777215 (default 1)\n"
	       "  --vxlan-src IP      encap: outer IPv4 source (default 192.0.2.1)\n"
	       "  --vxlan-dst IP      encap: outer IPv4 destination (default 192.0.2.2)\n"
	       "  --vxlan-mac MAC     encap: outer destination MAC (default 02:00:00:00:00:02);\n"
	       "                      the outer source MAC is the TX port's\n"
	       "  --tunnel-depth N    encap/decap: VXLAN headers added / removed per packet,\n"
	       "                      1..%u (default 1)\n"
	       "  --mtu MTUS          every port's MTU, %u..%u (default: the device's), or\n"
	       "                      per port: \"0:9000,1:1500\" (an MTU alone in the\n"
	       "                      list: the other ports'); RX scatter and multi-segment\n"
	       "                      TX where frames pass one mbuf; frag cuts to the TX\n"
	       "                      port's\n"
	       "  --ip PORT,ADDR/LEN  the port's IPv4 address: route and decap answer ARP\n"
	       "                      for it, route sends ICMP time exceeded from it\n"
	       "  --eth-dest PORT,MAC route: the next hop's MAC for packets leaving PORT\n"
	       "                      (their source MAC becomes PORT's)\n"
	       "  --route ADDR/LEN,PORT  route: packets to ADDR/LEN leave by PORT (longest\n"
	       "                      prefix match; no match: dropped); without --route\n"
	       "                      the port pairs stay\n"
	       "  --icmp-rate N       ICMP errors per second per lcore, 0..1000000, 0 = none\n"
	       "                      (default %u, bursts of %u)\n"
	       "  --idle-sleep US     after %u empty polls, sleep US microseconds between\n"
	       "                      polls, 1..100000 (default: busy poll, never sleep)\n"
	       "  --reasm-dgrams N    reasm: datagrams in progress per lcore, 1..%u\n"
	       "                      (default %u; full: the oldest is dropped)\n"
	       "  --reasm-mbufs N     reasm, hyperbuf engine: mbufs the table of an lcore\n"
	       "                      holds, 1..%u (default %u; beyond: the oldest\n"
	       "                      datagrams are dropped)\n"
	       "  --reasm-timeout MS  reasm: a datagram not complete MS ms after its first\n"
	       "                      fragment is dropped, 1..3600000 (default %u)\n"
	       "  --capture FILE[,N[,KIB]]  write every Nth packet received (the first,\n"
	       "                      then one in N, per lcore; default N %u) to FILE, a\n"
	       "                      pcap file, through one capture buffer all lcores\n"
	       "                      share, of at most KIB KiB (default %u)\n"
	       "  -h, --help          this help\n"
	       "\n"
	       "Example: %s --no-pci --vdev net_null0 --vdev net_null1 -l 0-1 -- --mode macswap\n",
	       prgname, FWD_MAX_BURST, FWD_DEF_BURST, FWD_MAX_STREAMS,
	       FWD_MAX_RXQ, FWD_DEF_RXD, FWD_DEF_TXD, RTE_PKTMBUF_HEADROOM,
	       RTE_MBUF_DEFAULT_BUF_SIZE, FWD_MIN_MBUFS,
	       RTE_MEMPOOL_CACHE_MAX_SIZE, FWD_DEF_MBUF_CACHE,
	       FWD_MAX_TUNNEL_DEPTH, FWD_MIN_MTU, FWD_MAX_MTU,
	       FWD_DEF_ICMP_RATE, FWD_ICMP_BURST, FWD_IDLE_POLLS,
	       FWD_MAX_REASM_DGRAMS, FWD_DEF_REASM_DGRAMS, FWD_MAX_REASM_MBUFS,
	       FWD_DEF_REASM_MBUFS, FWD_DEF_REASM_TIMEOUT_MS,
	       FWD_CAP_DEF_EVERY, FWD_CAP_DEF_KIB, prgname);
}

void
fwd_usage(const char *prgname)
{
	fwd_usage_to(stdout, prgname);
}

#define args_error(...)                                                        \
	snprintf(fwd_args_error, sizeof(fwd_args_error), __VA_ARGS__)

static void
bad_value(const char *opt, const char *arg, const char *expected)
{
	args_error("invalid %s value '%s': expected %s", opt, arg, expected);
}

/*
 * Parse an unsigned integer in [min, max] (decimal, or any base strtoull
 * accepts with @base 0). The whole string must be the number: no sign, no
 * trailing characters.
 */
static int
parse_u64(const char *opt, const char *arg, int base, uint64_t min,
	  uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char expected[96];
	char *end;

	snprintf(expected, sizeof(expected),
		 "an integer in %" PRIu64 "..%" PRIu64, min, max);
	if (arg == NULL || *arg == '\0' || isspace((unsigned char)*arg) ||
	    *arg == '-' || *arg == '+') {
		bad_value(opt, arg != NULL ? arg : "", expected);
		return -1;
	}
	errno = 0;
	v = strtoull(arg, &end, base);
	if (errno != 0 || *end != '\0' || v < min || v > max) {
		bad_value(opt, arg, expected);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_uint(const char *opt, const char *arg, unsigned int min,
	   unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(opt, arg, 10, min, max, &v) != 0)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int
parse_u16(const char *opt, const char *arg, uint16_t min, uint16_t max,
	  uint16_t *out)
{
	uint64_t v;

	if (parse_u64(opt, arg, 10, min, max, &v) != 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int
parse_portmask(const char *arg)
{
	uint64_t max = RTE_MAX_ETHPORTS >= 64 ? UINT64_MAX :
		       (UINT64_C(1) << RTE_MAX_ETHPORTS) - 1;
	uint64_t v;

	if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X'))
		arg += 2;
	if (parse_u64("-p (port mask)", arg, 16, 1, max, &v) != 0)
		return -1;
	fwd_cfg.portmask = v;
	return 0;
}

static int
mode_by_name(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < FWD_MODE_MAX; i++)
		if (strlen(fwd_mode_names[i]) == len &&
		    strncmp(name, fwd_mode_names[i], len) == 0)
			return (int)i;
	return -1;
}

/* "MODE" or "PORT:MODE,...", with at most one MODE alone (the default). */
static int
parse_mode(const char *arg)
{
	const char *expected = "io, macswap, route, encap, decap, frag or "
			       "reasm, or a list like \"0:encap,1:decap\"";
	const char *p = arg;
	bool any_default = false;

	do {
		const char *item = p, *colon, *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		unsigned long port;
		char *e;
		int mode;

		colon = memchr(item, ':', n);
		if (colon == NULL) {
			mode = mode_by_name(item, n);
			if (mode < 0 || any_default)
				goto bad;
			fwd_cfg.mode = (enum fwd_mode)mode;
			any_default = true;
		} else {
			if (!isdigit((unsigned char)*item))
				goto bad;
			port = strtoul(item, &e, 10);
			if (e != colon)
				goto bad;
			mode = mode_by_name(colon + 1, n - (size_t)(colon + 1 - item));
			if (mode < 0)
				goto bad;
			if (port >= RTE_MAX_ETHPORTS) {
				args_error("--mode: port id above %u in '%s'",
					   RTE_MAX_ETHPORTS - 1, arg);
				return -1;
			}
			if (fwd_cfg.port_mode[port] >= 0) {
				args_error("--mode: port %lu appears twice in '%s'",
					   port, arg);
				return -1;
			}
			fwd_cfg.port_mode[port] = mode;
		}
		p = end != NULL ? end + 1 : NULL;
	} while (p != NULL);
	return 0;
bad:
	bad_value("--mode", arg, expected);
	return -1;
}

/* "N" or "PORT:N,...", with at most one N alone (the other ports'). */
static int
parse_mtu(const char *arg)
{
	char expected[96];
	const char *p = arg;
	bool any_default = false;

	snprintf(expected, sizeof(expected),
		 "an MTU in %u..%u, or a list like \"0:9000,1:1500\"",
		 FWD_MIN_MTU, FWD_MAX_MTU);
	do {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', n);
		unsigned long port = RTE_MAX_ETHPORTS, v;
		char *e;

		if (colon != NULL) {
			if (!isdigit((unsigned char)*p))
				goto bad;
			port = strtoul(p, &e, 10);
			if (e != colon)
				goto bad;
			if (port >= RTE_MAX_ETHPORTS) {
				args_error("--mtu: port id above %u in '%s'",
					   RTE_MAX_ETHPORTS - 1, arg);
				return -1;
			}
			p = colon + 1;
		}
		if (!isdigit((unsigned char)*p))
			goto bad;
		v = strtoul(p, &e, 10);
		if (e != (end != NULL ? end : p + strlen(p)) ||
		    v < FWD_MIN_MTU || v > FWD_MAX_MTU)
			goto bad;
		if (colon == NULL) {
			if (any_default)
				goto bad;
			any_default = true;
			fwd_cfg.mtu = (unsigned int)v;
		} else if (fwd_cfg.port_mtu[port] != 0) {
			args_error("--mtu: port %lu appears twice in '%s'", port,
				   arg);
			return -1;
		} else {
			fwd_cfg.port_mtu[port] = (unsigned int)v;
		}
		p = end != NULL ? end + 1 : NULL;
	} while (p != NULL);
	return 0;
bad:
	bad_value("--mtu", arg, expected);
	return -1;
}

/* "PORT,REST": the port id (below RTE_MAX_ETHPORTS), *rest after it. */
static int
parse_port_prefix(const char *opt, const char *arg, const char *expected,
		  uint16_t *port, const char **rest)
{
	unsigned long v;
	char *e;

	if (!isdigit((unsigned char)*arg))
		goto bad;
	v = strtoul(arg, &e, 10);
	if (*e != ',')
		goto bad;
	if (v >= RTE_MAX_ETHPORTS) {
		args_error("%s: port id above %u in '%s'", opt,
			   RTE_MAX_ETHPORTS - 1, arg);
		return -1;
	}
	*port = (uint16_t)v;
	*rest = e + 1;
	return 0;
bad:
	bad_value(opt, arg, expected);
	return -1;
}

/* "ADDR/LEN" (LEN 0..32; host bits of @exact prefixes must be 0). */
static int
parse_prefix(const char *s, size_t n, bool exact, uint32_t *addr,
	     uint8_t *len)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash;
	struct in_addr a;
	unsigned long l;
	char *e;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');
	if (slash == NULL || !isdigit((unsigned char)slash[1]))
		return -1;
	l = strtoul(slash + 1, &e, 10);
	if (*e != '\0' || l > 32)
		return -1;
	buf[slash - buf] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*addr = rte_be_to_cpu_32(a.s_addr);
	*len = (uint8_t)l;
	if (exact && l < 32 && (*addr & (UINT32_MAX >> l)) != 0)
		return -1;
	return 0;
}

static int
parse_ip(const char *arg)
{
	const char *expected = "PORT,ADDR/LEN like 0,192.0.2.254/24";
	const char *rest;
	uint16_t port;
	uint32_t addr;
	uint8_t len;

	if (parse_port_prefix("--ip", arg, expected, &port, &rest) != 0)
		return -1;
	if (parse_prefix(rest, strlen(rest), false, &addr, &len) != 0 ||
	    len == 0 || addr == 0 || (addr >> 28) >= 0xe) {
		bad_value("--ip", arg, expected);
		return -1;
	}
	if (fwd_cfg.ip[port] != 0) {
		args_error("--ip: port %u has an address already", port);
		return -1;
	}
	fwd_cfg.ip[port] = rte_cpu_to_be_32(addr);
	fwd_cfg.ip_prefix[port] = len;
	return 0;
}

static int
parse_eth_dest(const char *arg)
{
	const char *expected = "PORT,MAC like 1,02:00:00:00:00:01";
	const char *rest;
	uint16_t port;

	if (parse_port_prefix("--eth-dest", arg, expected, &port, &rest) != 0)
		return -1;
	if (rte_ether_unformat_addr(rest, &fwd_cfg.eth_dest[port]) != 0) {
		bad_value("--eth-dest", arg, expected);
		return -1;
	}
	fwd_cfg.has_eth_dest[port] = true;
	return 0;
}

static int
parse_route(const char *arg)
{
	const char *expected = "ADDR/LEN,PORT like 198.51.100.0/24,1 (host "
			       "bits 0)";
	const char *comma = strrchr(arg, ',');
	struct fwd_route_cfg *r;
	unsigned long port;
	char *e;

	if (fwd_cfg.nb_routes == FWD_MAX_ROUTES) {
		args_error("--route: more than %u routes", FWD_MAX_ROUTES);
		return -1;
	}
	r = &fwd_cfg.routes[fwd_cfg.nb_routes];
	if (comma == NULL || !isdigit((unsigned char)comma[1]) ||
	    parse_prefix(arg, (size_t)(comma - arg), true, &r->addr,
			 &r->depth) != 0)
		goto bad;
	port = strtoul(comma + 1, &e, 10);
	if (*e != '\0')
		goto bad;
	if (port >= RTE_MAX_ETHPORTS) {
		args_error("--route: port id above %u in '%s'",
			   RTE_MAX_ETHPORTS - 1, arg);
		return -1;
	}
	r->port = (uint16_t)port;
	fwd_cfg.nb_routes++;
	return 0;
bad:
	bad_value("--route", arg, expected);
	return -1;
}

/* "(0,1)(2,3)": each port in at most one pair; "(2,2)" loops port 2. */
static int
parse_portmap(const char *arg)
{
	const char *expected = "pairs of port ids like \"(0,1)(2,3)\", "
			       "each port at most once";
	const char *p = arg;
	bool any = false;

	while (*p != '\0') {
		unsigned long a, b;
		char *end;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p++ != '(' || !isdigit((unsigned char)*p))
			goto bad;
		a = strtoul(p, &end, 10);
		if (*end != ',' || !isdigit((unsigned char)end[1]))
			goto bad;
		b = strtoul(end + 1, &end, 10);
		if (*end != ')')
			goto bad;
		p = end + 1;
		if (a >= RTE_MAX_ETHPORTS || b >= RTE_MAX_ETHPORTS) {
			args_error("--portmap: port id above %u in '%s'",
				   RTE_MAX_ETHPORTS - 1, arg);
			return -1;
		}
		if (fwd_cfg.portmap[a] >= 0 || fwd_cfg.portmap[b] >= 0) {
			args_error("--portmap: port %lu appears twice in '%s'",
				   fwd_cfg.portmap[a] >= 0 ? a : b, arg);
			return -1;
		}
		fwd_cfg.portmap[a] = (int)b;
		fwd_cfg.portmap[b] = (int)a;
		any = true;
	}
	if (any)
		return 0;
bad:
	bad_value("--portmap", arg, expected);
	return -1;
}

/* --capture FILE[,N[,KIB]]: the file name may not hold a comma. */
static int
parse_capture(const char *arg)
{
	static char file[4096];
	char *n, *kib;

	if (*arg == '\0' || *arg == ',' || strlen(arg) >= sizeof(file)) {
		bad_value("--capture", arg, "FILE[,N[,KIB]]");
		return -1;
	}
	strcpy(file, arg);
	n = strchr(file, ',');
	if (n != NULL) {
		*n++ = '\0';
		kib = strchr(n, ',');
		if (kib != NULL) {
			*kib++ = '\0';
			if (parse_uint("--capture KIB", kib, 64,
				       FWD_CAP_MAX_KIB,
				       &fwd_cfg.capture_kib) != 0)
				return -1;
		}
		if (parse_uint("--capture N", n, 1, UINT32_MAX,
			       &fwd_cfg.capture_every) != 0)
			return -1;
	}
	fwd_cfg.capture_file = file;
	return 0;
}

static int
parse_ipv4(const char *opt, const char *arg, rte_be32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1) {
		bad_value(opt, arg, "an IPv4 address like 192.0.2.1");
		return -1;
	}
	*out = a.s_addr;
	return 0;
}

static void
config_defaults(void)
{
	unsigned int i;

	memset(&fwd_cfg, 0, sizeof(fwd_cfg));
	fwd_cfg.mode = FWD_MODE_IO;
	for (i = 0; i < RTE_MAX_ETHPORTS; i++)
		fwd_cfg.port_mode[i] = -1;
	fwd_cfg.engine = FWD_ENGINE_HYPERBUF;
	fwd_cfg.icmp_rate = FWD_DEF_ICMP_RATE;
	fwd_cfg.burst = FWD_DEF_BURST;
	fwd_cfg.rxq = 1;
	fwd_cfg.rxd = FWD_DEF_RXD;
	fwd_cfg.txd = FWD_DEF_TXD;
	for (i = 0; i < RTE_MAX_ETHPORTS; i++)
		fwd_cfg.portmap[i] = -1;
	fwd_cfg.stats_period = 1;
	fwd_cfg.mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE;
	fwd_cfg.mbuf_cache = FWD_DEF_MBUF_CACHE;
	fwd_cfg.promisc = true;
	fwd_cfg.vni = 1;
	/* 192.0.2.1 and 192.0.2.2 (RFC 5737 documentation addresses) */
	fwd_cfg.vxlan_src = RTE_BE32(UINT32_C(0xc0000201));
	fwd_cfg.vxlan_dst = RTE_BE32(UINT32_C(0xc0000202));
	fwd_cfg.vxlan_mac = (struct rte_ether_addr){
		.addr_bytes = { 0x02, 0, 0, 0, 0, 0x02 } };
	fwd_cfg.tunnel_depth = 1;
	fwd_cfg.reasm_dgrams = FWD_DEF_REASM_DGRAMS;
	fwd_cfg.reasm_mbufs = FWD_DEF_REASM_MBUFS;
	fwd_cfg.reasm_timeout_ms = FWD_DEF_REASM_TIMEOUT_MS;
	fwd_cfg.capture_every = FWD_CAP_DEF_EVERY;
	fwd_cfg.capture_kib = FWD_CAP_DEF_KIB;
}

/*
 * Parse the application's arguments (argv[0] is the program name).
 * Returns 0, 1 if --help was given (usage printed), or -1 with what is
 * wrong in fwd_args_error.
 */
int
fwd_parse_args(int argc, char **argv)
{
	int opt, option_index;
	unsigned int v;
	uint64_t v64;

	config_defaults();
	opterr = 0;
	while ((opt = getopt_long(argc, argv, short_options, long_options,
				  &option_index)) != EOF) {
		switch (opt) {
		case 'p':
			if (parse_portmask(optarg) != 0)
				return -1;
			break;
		case 'q':
			if (parse_uint("-q", optarg, 1, FWD_MAX_STREAMS,
				       &fwd_cfg.queues_per_lcore) != 0)
				return -1;
			break;
		case 'b':
		case OPT_BURST_NUM:
			if (parse_u16("--burst", optarg, 1, FWD_MAX_BURST,
				      &fwd_cfg.burst) != 0)
				return -1;
			break;
		case 'T':
		case OPT_STATS_PERIOD_NUM:
			if (parse_uint("--stats-period", optarg, 0, 86400,
				       &fwd_cfg.stats_period) != 0)
				return -1;
			break;
		case OPT_MODE_NUM:
			if (parse_mode(optarg) != 0)
				return -1;
			break;
		case OPT_RXQ_NUM:
			if (parse_u16("--rxq", optarg, 1, FWD_MAX_RXQ,
				      &fwd_cfg.rxq) != 0)
				return -1;
			break;
		case OPT_RXD_NUM:
			if (parse_u16("--rxd", optarg, 1, 32768,
				      &fwd_cfg.rxd) != 0)
				return -1;
			break;
		case OPT_TXD_NUM:
			if (parse_u16("--txd", optarg, 1, 32768,
				      &fwd_cfg.txd) != 0)
				return -1;
			break;
		case OPT_PORTMAP_NUM:
			if (parse_portmap(optarg) != 0)
				return -1;
			break;
		case OPT_DURATION_NUM:
			if (parse_uint("--duration", optarg, 0, 1000000000,
				       &fwd_cfg.duration) != 0)
				return -1;
			break;
		case OPT_MAX_PACKETS_NUM:
			if (parse_u64("--max-packets", optarg, 10, 0,
				      UINT64_MAX, &fwd_cfg.max_packets) != 0)
				return -1;
			break;
		case OPT_STATS_JSON_NUM:
			if (*optarg == '\0') {
				bad_value("--stats-json", optarg, "a file name");
				return -1;
			}
			fwd_cfg.stats_json = optarg;
			break;
		case OPT_MBUF_SIZE_NUM:
			if (parse_uint("--mbuf-size", optarg,
				       RTE_PKTMBUF_HEADROOM + 1, UINT16_MAX,
				       &fwd_cfg.mbuf_size) != 0)
				return -1;
			break;
		case OPT_NB_MBUFS_NUM:
			if (parse_uint("--nb-mbufs", optarg, 64, 1u << 30,
				       &fwd_cfg.nb_mbufs) != 0)
				return -1;
			break;
		case OPT_MBUF_CACHE_NUM:
			if (parse_uint("--mbuf-cache", optarg, 0,
				       RTE_MEMPOOL_CACHE_MAX_SIZE,
				       &fwd_cfg.mbuf_cache) != 0)
				return -1;
			break;
		case OPT_NO_PROMISC_NUM:
			fwd_cfg.promisc = false;
			break;
		case OPT_VNI_NUM:
			if (parse_u64("--vni", optarg, 0, 0, 0xffffff, &v64) != 0)
				return -1;
			fwd_cfg.vni = (uint32_t)v64;
			break;
		case OPT_VXLAN_SRC_NUM:
			if (parse_ipv4("--vxlan-src", optarg,
				       &fwd_cfg.vxlan_src) != 0)
				return -1;
			break;
		case OPT_VXLAN_DST_NUM:
			if (parse_ipv4("--vxlan-dst", optarg,
				       &fwd_cfg.vxlan_dst) != 0)
				return -1;
			break;
		case OPT_VXLAN_MAC_NUM:
			if (rte_ether_unformat_addr(optarg,
						    &fwd_cfg.vxlan_mac) != 0) {
				bad_value("--vxlan-mac", optarg,
					  "a MAC address like 02:00:00:00:00:02");
				return -1;
			}
			break;
		case OPT_TUNNEL_DEPTH_NUM:
			if (parse_uint("--tunnel-depth", optarg, 1,
				       FWD_MAX_TUNNEL_DEPTH, &v) != 0)
				return -1;
			fwd_cfg.tunnel_depth = v;
			break;
		case OPT_ENGINE_NUM:
			if (strcmp(optarg, "hyperbuf") == 0) {
				fwd_cfg.engine = FWD_ENGINE_HYPERBUF;
			} else if (strcmp(optarg, "raw") == 0) {
				fwd_cfg.engine = FWD_ENGINE_RAW;
			} else {
				bad_value("--engine", optarg, "hyperbuf or raw");
				return -1;
			}
			break;
		case OPT_MTU_NUM:
			if (parse_mtu(optarg) != 0)
				return -1;
			break;
		case OPT_IP_NUM:
			if (parse_ip(optarg) != 0)
				return -1;
			break;
		case OPT_ETH_DEST_NUM:
			if (parse_eth_dest(optarg) != 0)
				return -1;
			break;
		case OPT_ROUTE_NUM:
			if (parse_route(optarg) != 0)
				return -1;
			break;
		case OPT_ICMP_RATE_NUM:
			if (parse_uint("--icmp-rate", optarg, 0, 1000000,
				       &fwd_cfg.icmp_rate) != 0)
				return -1;
			break;
		case OPT_IDLE_SLEEP_NUM:
			if (parse_uint("--idle-sleep", optarg, 1, 100000,
				       &fwd_cfg.idle_sleep) != 0)
				return -1;
			break;
		case OPT_REASM_DGRAMS_NUM:
			if (parse_uint("--reasm-dgrams", optarg, 1,
				       FWD_MAX_REASM_DGRAMS,
				       &fwd_cfg.reasm_dgrams) != 0)
				return -1;
			break;
		case OPT_REASM_MBUFS_NUM:
			if (parse_uint("--reasm-mbufs", optarg, 1,
				       FWD_MAX_REASM_MBUFS,
				       &fwd_cfg.reasm_mbufs) != 0)
				return -1;
			break;
		case OPT_REASM_TIMEOUT_NUM:
			if (parse_uint("--reasm-timeout", optarg, 1, 3600000,
				       &fwd_cfg.reasm_timeout_ms) != 0)
				return -1;
			break;
		case OPT_CAPTURE_NUM:
			if (parse_capture(optarg) != 0)
				return -1;
			break;
		case 'h':
		case OPT_HELP_NUM:
			fwd_usage(argv[0]);
			return 1;
		case ':':
			args_error("option '%s' needs a value",
				   argv[optind - 1]);
			return -1;
		default:
			if (optopt > 0 && optopt < 256)
				args_error("unknown option '-%c'", optopt);
			else
				args_error("unknown option '%s'",
					   argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		args_error("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}
