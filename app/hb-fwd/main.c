/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd: the HyperBuf sample forwarding application.
 *
 * The shape of DPDK's examples/l2fwd: EAL arguments, then "--", then the
 * application's own. Packets received on a port go out of its peer port
 * (default pairs 0<->1, 2<->3, ...; a lone port forwards to itself),
 * every one through HyperBuf: attached to a struct hb_buf, its headers
 * read and changed through visitors (--mode), detached for TX.
 *
 * Run on two null ports for five seconds, printing Mpps every second:
 *   hb-fwd --no-huge -m 512 --no-pci --vdev net_null0 --vdev net_null1 \
 *       -l 0-1 -- --mode macswap --duration 5
 *
 * Lcores: with worker lcores, the workers forward and the main lcore only
 * keeps time (statistics, --duration, --max-packets) like dpdk-testpmd;
 * with the main lcore alone, it forwards and keeps time itself.
 *
 * Shutdown (SIGINT, SIGTERM, --duration, --max-packets): the forwarding
 * lcores finish their burst and return, ports are stopped and closed, and
 * the summary states how many mbufs of the pool are still in use. The exit
 * status is 0 only if that count is 0.
 *
 * See docs/hb-fwd.md.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lpm.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

volatile bool force_quit;
static volatile int quit_signal;

struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];
struct fwd_port fwd_ports[RTE_MAX_ETHPORTS];
struct fwd_l3 *fwd_l3;
static struct fwd_l3 l3_state;

static struct rte_mempool *fwd_pool;
/* frag and reasm: the mbufs fragments take (fwd_frag_pool_create()). */
static struct rte_mempool *fwd_frag_pool;
static uint64_t end_tsc;     /* --duration: stop at this TSC, 0: never */
static uint64_t next_sample; /* next once-a-second statistics sample */
static unsigned int samples;
static const char *stop_reason = "signal";

/* Only set flags: everything else happens on the main lcore. */
static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM) {
		quit_signal = signum;
		force_quit = true;
	}
}

void
fwd_housekeeping(uint64_t now)
{
	/* --capture: the main lcore drains the shared capture buffer. */
	if (fwd_cap_on)
		fwd_cap_drain();
	if (force_quit)
		return;
	if (fwd_cfg.max_packets != 0 &&
	    fwd_stats_rx_total() >= fwd_cfg.max_packets) {
		stop_reason = "--max-packets reached";
		force_quit = true;
		return;
	}
	if (end_tsc != 0 && now >= end_tsc) {
		stop_reason = "--duration elapsed";
		force_quit = true;
		return;
	}
	if (now >= next_sample) {
		next_sample += rte_get_tsc_hz();
		fwd_stats_sample(now);
		samples++;
		if (fwd_cfg.stats_period != 0 &&
		    samples % fwd_cfg.stats_period == 0)
			fwd_stats_print_periodic();
	}
}

/*
 * How long the main lcore may sleep: until the next timer, at most 100 ms
 * (so a signal is acted on within 100 ms), 10 ms while watching
 * --max-packets. Few wake-ups, like dpdk-testpmd's main lcore: they would
 * take CPU time from the forwarding lcores on a shared machine.
 */
static unsigned int
main_sleep_us(uint64_t now)
{
	uint64_t hz = rte_get_tsc_hz(), until = next_sample;
	uint64_t max_us = fwd_cfg.max_packets != 0 ? 10000 : 100000, us;

	/* Draining the capture: often, still asleep most of the time. */
	if (fwd_cap_on)
		max_us = 200;
	if (end_tsc != 0 && end_tsc < until)
		until = end_tsc;
	if (until <= now)
		return 1;
	us = (until - now) * 1000000 / hz + 1;
	return (unsigned int)RTE_MIN(us, max_us);
}

/* ---------------------------------------------------------------------
 * Ports
 */

/* Enable the ports of the mask and pair them. */
static unsigned int
ports_select(void)
{
	uint16_t list[RTE_MAX_ETHPORTS];
	unsigned int n = 0, i, avail = rte_eth_dev_count_avail();
	int pending = -1;
	uint16_t port;

	if (avail == 0)
		rte_exit(EXIT_FAILURE,
			 "no Ethernet port: give one, e.g. --vdev net_null0, or bind a NIC to a DPDK driver\n");
	for (i = 0; i < RTE_MAX_ETHPORTS; i++) {
		if (fwd_cfg.portmask & (UINT64_C(1) << i) &&
		    !rte_eth_dev_is_valid_port((uint16_t)i))
			rte_exit(EXIT_FAILURE,
				 "port %u is in the port mask but does not exist (%u port(s) available)\n",
				 i, avail);
	}
	RTE_ETH_FOREACH_DEV(port) {
		if (fwd_cfg.portmask != 0 &&
		    !(fwd_cfg.portmask & (UINT64_C(1) << port)))
			continue;
		fwd_ports[port].enabled = true;
		list[n++] = port;
	}
	if (n == 0)
		rte_exit(EXIT_FAILURE, "the port mask selects no port\n");
	for (i = 0; i < RTE_MAX_ETHPORTS; i++) {
		if (fwd_cfg.port_mode[i] >= 0 && !fwd_ports[i].enabled)
			rte_exit(EXIT_FAILURE,
				 "--mode names port %u, which is not in use (check -p and the devices)\n",
				 i);
		fwd_ports[i].mode = fwd_cfg.port_mode[i] >= 0 ?
			(enum fwd_mode)fwd_cfg.port_mode[i] : fwd_cfg.mode;
		if (fwd_cfg.port_mtu[i] != 0 && !fwd_ports[i].enabled)
			rte_exit(EXIT_FAILURE,
				 "--mtu names port %u, which is not in use (check -p and the devices)\n",
				 i);
	}

	/* --portmap pairs first, both ends must be in use. */
	for (i = 0; i < RTE_MAX_ETHPORTS; i++) {
		int peer = fwd_cfg.portmap[i];

		if (peer < 0)
			continue;
		if (!fwd_ports[i].enabled || !fwd_ports[peer].enabled)
			rte_exit(EXIT_FAILURE,
				 "--portmap pairs port %u with port %d, but %s not in use (check -p and the devices)\n",
				 i, peer, fwd_ports[i].enabled ? "the latter is" :
				 "the former is");
		fwd_ports[i].peer = (uint16_t)peer;
	}
	/* The rest in order: 0<->1, 2<->3, ...; a lone one to itself. */
	for (i = 0; i < n; i++) {
		port = list[i];
		if (fwd_cfg.portmap[port] >= 0)
			continue;
		if (pending < 0) {
			pending = port;
			continue;
		}
		fwd_ports[pending].peer = port;
		fwd_ports[port].peer = (uint16_t)pending;
		pending = -1;
	}
	if (pending >= 0)
		fwd_ports[pending].peer = (uint16_t)pending;
	return n;
}

/* @lc's TX queue on @port, given it now if it has none. */
static uint16_t
lcore_txq(struct fwd_lcore *lc, uint16_t port)
{
	if (lc->txq[port] == UINT16_MAX)
		lc->txq[port] = fwd_ports[port].nb_txq++;
	return lc->txq[port];
}

/*
 * Give every (port, RX queue) to a forwarding lcore, and every lcore one
 * TX queue of each port it sends to (no TX queue is shared: no lock): the
 * peer of each port it polls, the port itself when it may answer there
 * (ARP, ICMP: --ip in route or decap mode), and with --route every port
 * for a port in route mode.
 */
static void
streams_assign(unsigned int nb_ports)
{
	unsigned int lcores[RTE_MAX_LCORE], nb_lcores = 0;
	unsigned int nb_queues = nb_ports * fwd_cfg.rxq;
	unsigned int per_lcore, l = 0, i, lcore_id;
	uint16_t port, q;

	for (l = 0; l < RTE_MAX_LCORE; l++)
		for (i = 0; i < RTE_MAX_ETHPORTS; i++)
			fwd_lcores[l].txq[i] = UINT16_MAX;
	l = 0;
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		lcores[nb_lcores++] = lcore_id;
	if (nb_lcores == 0) {
		/* The main lcore alone: it forwards and keeps time. */
		lcores[nb_lcores++] = rte_get_main_lcore();
		fwd_lcores[rte_get_main_lcore()].housekeeper = true;
	}

	per_lcore = fwd_cfg.queues_per_lcore;
	if (per_lcore == 0)
		per_lcore = (nb_queues + nb_lcores - 1) / nb_lcores;
	if (per_lcore > FWD_MAX_STREAMS)
		rte_exit(EXIT_FAILURE,
			 "%u RX queues on %u forwarding lcore(s) is more than %u per lcore: add lcores (-l) or use fewer queues (--rxq)\n",
			 nb_queues, nb_lcores, FWD_MAX_STREAMS);
	if ((uint64_t)per_lcore * nb_lcores < nb_queues)
		rte_exit(EXIT_FAILURE,
			 "%u RX queues need %u forwarding lcores at -q %u, only %u available: add lcores (-l) or raise -q\n",
			 nb_queues, (nb_queues + per_lcore - 1) / per_lcore,
			 per_lcore, nb_lcores);

	/*
	 * Queue-major order, filled lcore by lcore: with RSS, lcore i polls
	 * queue i of every port (each port's load spreads over the lcores).
	 */
	for (q = 0; q < fwd_cfg.rxq; q++) {
		RTE_ETH_FOREACH_DEV(port) {
			struct fwd_lcore *lc = &fwd_lcores[lcores[l]];
			uint16_t peer = fwd_ports[port].peer, p2;
			enum fwd_mode mode = fwd_ports[port].mode;
			struct fwd_stream *fs;

			if (!fwd_ports[port].enabled)
				continue;
			if (lc->nb_streams == per_lcore)
				lc = &fwd_lcores[lcores[++l]];
			fs = &lc->streams[lc->nb_streams++];
			fs->rx_port = port;
			fs->rx_queue = q;
			fs->tx_port = peer;
			fs->tx_queue = lcore_txq(lc, peer);
			if ((mode == FWD_MODE_ROUTE || mode == FWD_MODE_DECAP ||
			     mode == FWD_MODE_FRAG) && fwd_cfg.ip[port] != 0)
				lcore_txq(lc, port);
			if (mode == FWD_MODE_ROUTE && fwd_cfg.nb_routes != 0)
				FWD_FOREACH_PORT(p2)
					lcore_txq(lc, p2);
			fwd_ports[port].nb_rxq = fwd_cfg.rxq;
		}
	}
}

static void
port_setup(uint16_t port, struct rte_mempool *mp)
{
	struct fwd_port *fp = &fwd_ports[port];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxconf;
	struct rte_eth_txconf txconf;
	uint16_t rxd = fwd_cfg.rxd, txd = fwd_cfg.txd, q;
	int socket = rte_eth_dev_socket_id(port);
	/* --mtu PORT:N, else --mtu N, else the device's. */
	unsigned int want_mtu = fwd_cfg.port_mtu[port] != 0 ?
				fwd_cfg.port_mtu[port] : fwd_cfg.mtu;
	/* The longest frame: MTU, Ethernet header, CRC. */
	uint32_t frame = (want_mtu != 0 ? want_mtu : RTE_ETHER_MTU) +
			 RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	uint32_t room = fwd_cfg.mbuf_size - RTE_PKTMBUF_HEADROOM;
	int ret;

	memset(&conf, 0, sizeof(conf));
	if (fp->nb_txq == 0)
		fp->nb_txq = 1; /* nobody sends to it, but ethdev wants one */
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "port %u: cannot get device info: %s\n",
			 port, strerror(-ret));
	if (fp->nb_rxq > info.max_rx_queues)
		rte_exit(EXIT_FAILURE,
			 "port %u (%s) has at most %u RX queue(s), --rxq %u asked\n",
			 port, info.driver_name, info.max_rx_queues, fp->nb_rxq);
	if (fp->nb_txq > info.max_tx_queues)
		rte_exit(EXIT_FAILURE,
			 "port %u (%s): %u forwarding lcores send to it, it has at most %u TX queue(s): use fewer lcores or give the device more queues\n",
			 port, info.driver_name, fp->nb_txq, info.max_tx_queues);

	if (fp->nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
			       RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;

		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			hf != 0 ? hf : info.flow_type_rss_offloads;
		fp->rss = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (want_mtu != 0) {
		/* ethdev's own check, said in the option's terms. */
		uint32_t over = info.max_mtu != UINT16_MAX &&
				info.max_rx_pktlen > info.max_mtu ?
				info.max_rx_pktlen - info.max_mtu :
				RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
		uint32_t max = RTE_MIN((uint32_t)info.max_mtu,
				       info.max_rx_pktlen > over ?
				       info.max_rx_pktlen - over : 0);

		if (want_mtu < info.min_mtu || want_mtu > max)
			rte_exit(EXIT_FAILURE,
				 "port %u (%s): --mtu %u is outside the device's range %u..%u (largest frame %u bytes)%s\n",
				 port, info.driver_name, want_mtu,
				 info.min_mtu, max, info.max_rx_pktlen,
				 strcmp(info.driver_name, "net_tap") == 0 ?
				 "; net_tap takes jumbo frames from DPDK 23.03 on" : "");
		conf.rxmode.mtu = want_mtu;
	}
	/* Frames longer than one mbuf: scatter them over several at RX. */
	if (frame > room) {
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
		else if (want_mtu != 0)
			/* Some chain anyway (net_pcap); others drop them. */
			printf("hb-fwd: port %u (%s) does not offer RX scatter: it may drop frames over %u bytes (--mtu %u makes %u); --mbuf-size %u avoids it\n",
			       port, info.driver_name, room, want_mtu, frame,
			       frame + RTE_PKTMBUF_HEADROOM);
	}

	ret = rte_eth_dev_configure(port, fp->nb_rxq, fp->nb_txq, &conf);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "port %u: cannot configure: %s\n", port,
			 strerror(-ret));
	/*
	 * The MTU again through the call meant for it: a device with an MTU
	 * of its own (net_tap: the kernel interface's) applies it only there;
	 * one without (net_null, net_pcap, net_ring) has none to set, and
	 * what configure recorded stands.
	 */
	if (want_mtu != 0) {
		ret = rte_eth_dev_set_mtu(port, (uint16_t)want_mtu);
		if (ret != 0 && ret != -ENOTSUP)
			rte_exit(EXIT_FAILURE, "port %u (%s): cannot set MTU %u: %s\n",
				 port, info.driver_name, want_mtu,
				 strerror(-ret));
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
	if (ret < 0)
		rte_exit(EXIT_FAILURE,
			 "port %u: cannot adjust descriptor counts: %s\n", port,
			 strerror(-ret));
	ret = rte_eth_macaddr_get(port, &fp->mac);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "port %u: cannot get MAC address: %s\n",
			 port, strerror(-ret));

	rxconf = info.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	for (q = 0; q < fp->nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(port, q, rxd, socket, &rxconf, mp);
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
				 "port %u: cannot set up RX queue %u: %s\n",
				 port, q, strerror(-ret));
	}
	txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (q = 0; q < fp->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, txd, socket, &txconf);
		if (ret < 0)
			rte_exit(EXIT_FAILURE,
				 "port %u: cannot set up TX queue %u: %s\n",
				 port, q, strerror(-ret));
	}
	if (fwd_cfg.promisc) {
		ret = rte_eth_promiscuous_enable(port);
		if (ret != 0 && ret != -ENOTSUP)
			printf("hb-fwd: port %u: promiscuous mode not enabled: %s\n",
			       port, strerror(-ret));
	}
	ret = rte_eth_dev_start(port);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "port %u: cannot start: %s\n", port,
			 strerror(-ret));
	printf("hb-fwd: port %u (%s) " RTE_ETHER_ADDR_PRT_FMT
	       ": %u RX queue(s)%s, %u TX queue(s), %u/%u descriptors, peer port %u, mode %s%s%s\n",
	       port, info.driver_name, RTE_ETHER_ADDR_BYTES(&fp->mac),
	       fp->nb_rxq, fp->rss ? " with RSS" : "", fp->nb_txq, rxd, txd,
	       fp->peer, fwd_mode_names[fp->mode],
	       conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER ?
	       ", RX scatter" : "",
	       conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS ?
	       ", multi-segment TX" : "");
	if (rte_eth_dev_get_mtu(port, &fp->mtu) != 0)
		fp->mtu = RTE_ETHER_MTU;
	if (want_mtu != 0 || fwd_frag_mode(fp->mode) ||
	    fwd_frag_mode(fwd_ports[fp->peer].mode))
		printf("hb-fwd: port %u: MTU %u\n", port, fp->mtu);
}

/* Wait up to 3 s for the links to come up (real NICs take a moment). */
static void
ports_wait_link(void)
{
	unsigned int tries;
	uint16_t port;

	for (tries = 0; tries < 30 && !force_quit; tries++) {
		bool all_up = true;

		RTE_ETH_FOREACH_DEV(port) {
			struct rte_eth_link link;

			if (!fwd_ports[port].enabled)
				continue;
			memset(&link, 0, sizeof(link));
			if (rte_eth_link_get_nowait(port, &link) == 0 &&
			    link.link_status == RTE_ETH_LINK_DOWN)
				all_up = false;
		}
		if (all_up)
			return;
		rte_delay_ms(100);
	}
	RTE_ETH_FOREACH_DEV(port) {
		struct rte_eth_link link;

		if (!fwd_ports[port].enabled)
			continue;
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) == 0)
			printf("hb-fwd: port %u: link %s, %u Mbps\n", port,
			       link.link_status ? "up" : "down",
			       link.link_speed);
	}
}

/*
 * Router state from --ip, --eth-dest and --route, once the ports are set
 * up (it holds their MACs). With --route, the subnets of the --ip
 * addresses are routes to their ports too (connected routes).
 */
static void
l3_setup(void)
{
	struct fwd_l3 *l3 = &l3_state;
	struct rte_lpm_config lc;
	bool any = fwd_cfg.nb_routes != 0;
	unsigned int i;
	uint16_t port;
	int ret;

	for (i = 0; i < RTE_MAX_ETHPORTS; i++) {
		if (fwd_cfg.ip[i] == 0 && !fwd_cfg.has_eth_dest[i])
			continue;
		if (!fwd_ports[i].enabled)
			rte_exit(EXIT_FAILURE,
				 "--%s names port %u, which is not in use (check -p and the devices)\n",
				 fwd_cfg.ip[i] != 0 ? "ip" : "eth-dest", i);
		any = true;
	}
	for (i = 0; i < fwd_cfg.nb_routes; i++)
		if (!fwd_ports[fwd_cfg.routes[i].port].enabled)
			rte_exit(EXIT_FAILURE,
				 "--route sends to port %u, which is not in use (check -p and the devices)\n",
				 fwd_cfg.routes[i].port);
	if (!any)
		return;

	memset(l3, 0, sizeof(*l3));
	l3->default_port = -1;
	FWD_FOREACH_PORT(port) {
		struct fwd_l3_port *lp = &l3->port[port];

		lp->mac = fwd_ports[port].mac;
		lp->ip = fwd_cfg.ip[port];
		lp->has_eth_dest = fwd_cfg.has_eth_dest[port];
		lp->eth_dest = fwd_cfg.eth_dest[port];
		if (lp->ip != 0)
			l3->addrs[l3->nb_addrs++] = lp->ip;
	}
	if (fwd_cfg.nb_routes != 0) {
		memset(&lc, 0, sizeof(lc));
		lc.max_rules = fwd_cfg.nb_routes + l3->nb_addrs;
		lc.number_tbl8s = 256;
		l3->lpm = rte_lpm_create("hb_fwd_lpm", (int)rte_socket_id(), &lc);
		if (l3->lpm == NULL)
			rte_exit(EXIT_FAILURE,
				 "cannot create the route table: %s (give the EAL more memory, -m: it takes 64 MB)\n",
				 rte_strerror(rte_errno));
		for (i = 0; i < fwd_cfg.nb_routes; i++) {
			const struct fwd_route_cfg *r = &fwd_cfg.routes[i];

			if (r->depth == 0) {
				l3->default_port = r->port;
				continue;
			}
			ret = rte_lpm_add(l3->lpm, r->addr, r->depth, r->port);
			if (ret != 0)
				rte_exit(EXIT_FAILURE, "--route %u: %s\n", i + 1,
					 strerror(-ret));
		}
		FWD_FOREACH_PORT(port) {
			uint8_t len = fwd_cfg.ip_prefix[port];
			uint32_t net, hop;

			if (fwd_cfg.ip[port] == 0)
				continue;
			net = rte_be_to_cpu_32(fwd_cfg.ip[port]) &
			      (len == 32 ? UINT32_MAX : ~(UINT32_MAX >> len));
			if (rte_lpm_is_rule_present(l3->lpm, net, len, &hop) == 1)
				continue;
			ret = rte_lpm_add(l3->lpm, net, len, port);
			if (ret != 0)
				rte_exit(EXIT_FAILURE,
					 "connected route of port %u: %s\n",
					 port, strerror(-ret));
		}
	}
	fwd_l3 = l3;
	FWD_FOREACH_PORT(port) {
		const struct fwd_l3_port *lp = &l3->port[port];
		char ip[INET_ADDRSTRLEN] = "none";

		if (lp->ip != 0)
			inet_ntop(AF_INET, &lp->ip, ip, sizeof(ip));
		printf("hb-fwd: port %u: address %s", port, ip);
		if (lp->ip != 0)
			printf("/%u", fwd_cfg.ip_prefix[port]);
		if (lp->has_eth_dest)
			printf(", next hop " RTE_ETHER_ADDR_PRT_FMT,
			       RTE_ETHER_ADDR_BYTES(&lp->eth_dest));
		printf("\n");
	}
	if (l3->lpm != NULL)
		printf("hb-fwd: route table: %u route(s) given, connected ones added\n",
		       fwd_cfg.nb_routes);
}

static struct rte_mempool *
pool_create(unsigned int nb_fwd_lcores)
{
	struct rte_mempool *mp;
	uint64_t n = 0;
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		if (!fwd_ports[port].enabled)
			continue;
		n += (uint64_t)fwd_ports[port].nb_rxq * fwd_cfg.rxd +
		     (uint64_t)RTE_MAX(fwd_ports[port].nb_txq, 1) * fwd_cfg.txd;
	}
	/* Per lcore: its cache, and a burst in flight (plus new heads). */
	n += (uint64_t)nb_fwd_lcores *
	     (fwd_cfg.mbuf_cache + 2u * fwd_cfg.burst * (1 + fwd_cfg.tunnel_depth));
	/* reasm: the fragments each lcore's table may hold. */
	RTE_ETH_FOREACH_DEV(port) {
		if (fwd_ports[port].enabled &&
		    fwd_ports[port].mode == FWD_MODE_REASM) {
			n += (uint64_t)nb_fwd_lcores * fwd_cfg.reasm_mbufs;
			break;
		}
	}
	n = RTE_MAX(n, (uint64_t)FWD_MIN_MBUFS);
	if (fwd_cfg.nb_mbufs != 0)
		n = fwd_cfg.nb_mbufs;
	if (n > UINT32_MAX)
		rte_exit(EXIT_FAILURE, "too many mbufs needed (%" PRIu64 ")\n",
			 n);

	mp = rte_pktmbuf_pool_create("hb_fwd_pool", (unsigned int)n,
				     fwd_cfg.mbuf_cache, 0,
				     (uint16_t)fwd_cfg.mbuf_size,
				     (int)rte_socket_id());
	if (mp == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create a pool of %" PRIu64 " mbufs of %u bytes (cache %u): %s%s\n",
			 n, fwd_cfg.mbuf_size, fwd_cfg.mbuf_cache,
			 rte_strerror(rte_errno),
			 rte_errno == EINVAL ?
			 " (the cache must be at most 2/3 of the pool)" :
			 rte_errno == ENOMEM ? " (give the EAL more memory, -m)" : "");
	printf("hb-fwd: pool of %u mbufs, data room %u bytes (headroom %u), cache %u\n",
	       mp->size, fwd_cfg.mbuf_size, RTE_PKTMBUF_HEADROOM,
	       fwd_cfg.mbuf_cache);
	return mp;
}

/*
 * frag and reasm: the mbufs a fragment takes (a header segment, indirect
 * segments on the payload; the raw engine's pullups) come from a pool of
 * small mbufs of their own, as many as the main pool's, for both engines:
 * librte_ip_frag's "direct" and "indirect" pools of DPDK's
 * ip_fragmentation example (the headers need room for an IPv4 header
 * behind the headroom; librte_ip_frag writes it there without a check),
 * and HyperBuf's pool for the segments it takes. Taken from the main
 * pool, with large mbufs (jumbo frames) every fragment would touch cold
 * memory.
 */
static struct rte_mempool *
frag_pool_create(const struct rte_mempool *mp)
{
	struct rte_mempool *fp;
	uint16_t port;
	bool need = false;

	RTE_ETH_FOREACH_DEV(port)
		need |= fwd_ports[port].enabled &&
			fwd_frag_mode(fwd_ports[port].mode);
	if (!need)
		return NULL;
	fp = rte_pktmbuf_pool_create("hb_fwd_frag_pool", mp->size,
				     fwd_cfg.mbuf_cache, 0,
				     RTE_PKTMBUF_HEADROOM + 128,
				     (int)rte_socket_id());
	if (fp == NULL)
		rte_exit(EXIT_FAILURE,
			 "cannot create the pool of %u fragment mbufs: %s\n",
			 mp->size, rte_strerror(rte_errno));
	printf("hb-fwd: fragment pool of %u mbufs, data room %u bytes\n",
	       fp->size, RTE_PKTMBUF_HEADROOM + 128);
	return fp;
}

static void
print_layout(void)
{
	unsigned int lcore_id;
	uint16_t s;

	printf("hb-fwd: mode %s, engine %s, burst %u", fwd_modes_str(),
	       fwd_engine_names[fwd_cfg.engine], fwd_cfg.burst);
	if (strstr(fwd_modes_str(), "cap") != NULL)
		printf(", tunnel depth %u", fwd_cfg.tunnel_depth);
	if (fwd_cfg.idle_sleep != 0)
		printf(", idle sleep %u us", fwd_cfg.idle_sleep);
	printf("\n");
	RTE_LCORE_FOREACH(lcore_id) {
		const struct fwd_lcore *lc = &fwd_lcores[lcore_id];

		for (s = 0; s < lc->nb_streams; s++) {
			const struct fwd_stream *fs = &lc->streams[s];

			printf("hb-fwd: lcore %u: RX port %u queue %u -> TX port %u queue %u\n",
			       lcore_id, fs->rx_port, fs->rx_queue,
			       fs->tx_port, fs->tx_queue);
		}
	}
}

int
main(int argc, char **argv)
{
	unsigned int nb_ports, nb_fwd_lcores = 0, lcore_id, in_use, size;
	bool main_forwards;
	uint16_t port, s;
	int ret, status, cap_rc;

	/* Also print our options when the EAL prints its usage (-h). */
	rte_set_application_usage_hook(fwd_usage);

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot init EAL: %s\n",
			 rte_strerror(rte_errno));
	argc -= ret;
	argv += ret;

	force_quit = false;
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);

	ret = fwd_parse_args(argc, argv);
	if (ret == 1) {
		rte_eal_cleanup();
		return 0;
	}
	if (ret < 0) {
		fwd_usage_to(stderr, "hb-fwd");
		rte_exit(EXIT_FAILURE, "hb-fwd: %s\n", fwd_args_error);
	}

	ret = hb_init();
	if (ret != 0)
		rte_exit(EXIT_FAILURE, "hb_init: %s\n", strerror(-ret));

	nb_ports = ports_select();
	streams_assign(nb_ports);
	RTE_LCORE_FOREACH(lcore_id)
		nb_fwd_lcores += fwd_lcores[lcore_id].nb_streams != 0;
	main_forwards = fwd_lcores[rte_get_main_lcore()].housekeeper;

	fwd_pool = pool_create(nb_fwd_lcores);
	fwd_frag_pool = frag_pool_create(fwd_pool);
	fwd_stats_set_pool(fwd_pool);
	RTE_ETH_FOREACH_DEV(port) {
		if (fwd_ports[port].enabled)
			port_setup(port, fwd_pool);
	}
	l3_setup();
	RTE_LCORE_FOREACH(lcore_id) {
		struct fwd_lcore *lc = &fwd_lcores[lcore_id];

		for (s = 0; s < lc->nb_streams; s++)
			fwd_stream_init(&lc->streams[s], lc, fwd_pool);
		if (fwd_frag_lcore_init(lc, fwd_frag_pool) != 0)
			rte_exit(EXIT_FAILURE,
				 "lcore %u: no memory for the reassembly table (-m)\n",
				 lcore_id);
	}
	ports_wait_link();
	if (fwd_cap_setup() != 0)
		rte_exit(EXIT_FAILURE, "hb-fwd: --capture: setup failed\n");
	print_layout();
	fwd_telemetry_register();

	next_sample = rte_rdtsc() + rte_get_tsc_hz();
	if (fwd_cfg.duration != 0)
		end_tsc = rte_rdtsc() + (uint64_t)fwd_cfg.duration *
			  rte_get_tsc_hz();
	fwd_stats_start(rte_rdtsc());
	printf("hb-fwd: forwarding on %u lcore(s)%s; stop with Ctrl-C\n",
	       nb_fwd_lcores, main_forwards ? " (the main lcore)" : "");
	fflush(stdout);

	if (main_forwards) {
		rte_eal_mp_remote_launch(fwd_lcore_main, NULL, CALL_MAIN);
	} else {
		rte_eal_mp_remote_launch(fwd_lcore_main, NULL, SKIP_MAIN);
		while (!force_quit) {
			rte_delay_us_sleep(main_sleep_us(rte_rdtsc()));
			fwd_housekeeping(rte_rdtsc());
		}
	}
	force_quit = true;
	/* The lcores write out what they captured: keep draining. */
	fwd_cap_wait_workers();
	rte_eal_mp_wait_lcore();
	/* Incomplete datagrams: dropped and counted before the summary. */
	RTE_LCORE_FOREACH(lcore_id)
		fwd_frag_lcore_fini(&fwd_lcores[lcore_id]);
	if (quit_signal != 0)
		printf("\nhb-fwd: signal %d received, stopping\n", quit_signal);
	else
		printf("hb-fwd: %s, stopping\n", stop_reason);
	fwd_stats_sample(rte_rdtsc());
	fwd_stats_print_final();
	cap_rc = fwd_cap_finish();
	fwd_cap_print();

	RTE_ETH_FOREACH_DEV(port) {
		if (!fwd_ports[port].enabled)
			continue;
		ret = rte_eth_dev_stop(port);
		if (ret != 0)
			printf("hb-fwd: port %u: stop failed: %s\n", port,
			       strerror(-ret));
		ret = rte_eth_dev_close(port);
		if (ret != 0)
			printf("hb-fwd: port %u: close failed: %s\n", port,
			       strerror(-ret));
	}

	/* Every lcore is idle: the count includes the per-lcore caches. */
	in_use = rte_mempool_in_use_count(fwd_pool);
	size = fwd_pool->size;
	if (fwd_frag_pool != NULL) {
		in_use += rte_mempool_in_use_count(fwd_frag_pool);
		size += fwd_frag_pool->size;
	}
	fwd_stats_set_exit(in_use, size);
	printf("mbufs in use after shutdown: %u of %u%s\n", in_use, size,
	       in_use == 0 ? "" : " (LEAK)");
	status = in_use == 0 && cap_rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	if (fwd_cfg.stats_json != NULL &&
	    fwd_stats_write_json(fwd_cfg.stats_json) != 0)
		status = EXIT_FAILURE;
	fwd_cap_free();

	fwd_stats_set_pool(NULL);
	RTE_LCORE_FOREACH(lcore_id)
		fwd_frag_lcore_free(&fwd_lcores[lcore_id]);
	rte_mempool_free(fwd_pool);
	rte_mempool_free(fwd_frag_pool);
	if (fwd_l3 != NULL)
		rte_lpm_free(fwd_l3->lpm);
	hb_fini();
	rte_eal_cleanup();
	printf("Bye...\n");
	return status;
}
