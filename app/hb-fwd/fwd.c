/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The forwarding lcores: receive a burst, run every packet through
 * HyperBuf, transmit the burst.
 *
 * Per packet: the mbuf is attached to a struct hb_buf on the stack
 * (inline, O(1) for a single segment), the mode reads and changes headers
 * through visitors only (zero copy when a header lies in one segment,
 * gathered and scattered back by HyperBuf when it is split across
 * segments), and the chain is detached for rte_eth_tx_burst(). No heap
 * allocation, no lcore lookup, no atomic read-modify-write per packet;
 * counters are added once per burst into cache-aligned per-lcore and
 * per-stream structures.
 *
 * Each mode has its own loop (fwd_burst() is inlined with the mode as a
 * constant), so io mode pays nothing for the others. The per-packet code
 * of each mode is in fwd_pkt.h (fwd_packet()), shared with the tests.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

/* ---------------------------------------------------------------------
 * The burst loop
 */

/* An unexpected HyperBuf error (a bug): say so once per lcore. */
static void __rte_noinline __rte_cold
fwd_hb_error(const char *what)
{
	static RTE_DEFINE_PER_LCORE(bool, logged);

	if (!RTE_PER_LCORE(logged)) {
		RTE_PER_LCORE(logged) = true;
		RTE_LOG(ERR, USER1,
			"hb-fwd: lcore %u: unexpected HyperBuf error in %s (counted as hb_error)\n",
			rte_lcore_id(), what);
	}
}

/*
 * A detach that failed: a visitor was left live (a bug). The buffer cannot
 * be freed either (-EBUSY): count it and leak the chain, which the
 * in-use count at exit then reports.
 */
static void __rte_noinline __rte_cold
fwd_lost(struct fwd_stream *fs)
{
	fwd_ctr_add(&fs->drops[FWD_DROP_HB_ERROR], 1);
	fwd_hb_error("hb_buf_detach");
}

/* Hand @n packets to @port on this lcore's queue; free what it refuses. */
static __rte_always_inline void
fwd_tx(struct fwd_lcore *lc, uint16_t port, uint16_t txq,
       struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb_tx = rte_eth_tx_burst(port, txq, pkts, n);

	/* No retry: what the queue refuses is dropped and counted. */
	if (unlikely(nb_tx < n)) {
		rte_pktmbuf_free_bulk(&pkts[nb_tx], n - nb_tx);
		fwd_ctr_add(&lc->tx_dropped[port], n - nb_tx);
	}
	fwd_ctr_add(&lc->tx[port], nb_tx);
}

/* route with --route: each packet to the port its lookup gave. */
static void
fwd_tx_routed(struct fwd_lcore *lc, struct rte_mbuf **pkts, uint16_t *port,
	      uint16_t n)
{
	struct rte_mbuf *out[FWD_MAX_BURST];
	uint16_t p, i, k, rest;

	while (n != 0) {
		p = port[0];
		for (i = 0, k = 0, rest = 0; i < n; i++) {
			if (port[i] == p) {
				out[k++] = pkts[i];
			} else {
				pkts[rest] = pkts[i];
				port[rest++] = port[i];
			}
		}
		fwd_tx(lc, p, lc->txq[p], out, k);
		n = rest;
	}
}

/* Packets hb-fwd built, out of the port their cause came in on. */
static void __rte_noinline
fwd_tx_gen(struct fwd_lcore *lc, struct fwd_stream *fs,
	   struct rte_mbuf **gen, uint16_t n)
{
	uint16_t nb_tx = rte_eth_tx_burst(fs->rx_port, lc->txq[fs->rx_port],
					  gen, n);

	if (unlikely(nb_tx < n)) {
		rte_pktmbuf_free_bulk(&gen[nb_tx], n - nb_tx);
		fwd_ctr_add(&fs->gen[FWD_GEN_TX_DROPPED], n - nb_tx);
	}
}

/* The per-burst counts of built packets into the stream's counters. */
static void __rte_noinline
fwd_gen_count_add(struct fwd_stream *fs, const struct fwd_gen_count *gc)
{
	fwd_ctr_add(&fs->gen[FWD_GEN_ARP_REPLIES], gc->arp_replies);
	fwd_ctr_add(&fs->gen[FWD_GEN_ICMP_SENT], gc->icmp_sent);
	fwd_ctr_add(&fs->gen[FWD_GEN_ICMP_LIMITED], gc->icmp_limited);
	fwd_ctr_add(&fs->gen[FWD_GEN_ICMP_SUPPRESSED], gc->icmp_suppressed);
	fwd_ctr_add(&fs->gen[FWD_GEN_NO_MBUF], gc->no_mbuf);
}

/*
 * One burst of stream @fs: receive, run every packet through @mode with
 * engine @eng (both compile-time constants: one function per pair),
 * transmit. Returns the number of packets received.
 */
static __rte_always_inline uint16_t
fwd_burst(struct fwd_lcore *lc, struct fwd_stream *fs,
	  const enum fwd_mode mode, const enum fwd_engine eng)
{
	struct rte_mbuf *pkts[FWD_MAX_BURST];
	struct rte_mbuf *drop[FWD_MAX_BURST];
	struct rte_mbuf *gen[FWD_MAX_BURST];
	uint16_t port[FWD_MAX_BURST];
	struct fwd_visit_count vc = { 0, 0 };
	struct fwd_pctx *c = &fs->ctx;
	/* Modes that may build packets in answer (--ip given). */
	const bool gens = (mode == FWD_MODE_ROUTE || mode == FWD_MODE_DECAP) &&
			  c->l3 != NULL;
	const bool routed = mode == FWD_MODE_ROUTE && c->l3 != NULL &&
			    c->l3->lpm != NULL;
	uint16_t nb_rx, nb_fwd = 0, nb_drop = 0, nb_gen = 0, i;

	nb_rx = rte_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, fs->burst);
	if (unlikely(nb_rx == 0))
		return 0;
	/* --capture: every Nth packet as received (capture.c). */
	if (unlikely(fwd_cap_on))
		fwd_cap_rx(pkts, nb_rx);
	if (gens)
		memset(&c->gc, 0, sizeof(c->gc));

	/* The modes that read headers: prefetch one packet ahead. */
	if (mode != FWD_MODE_IO)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[0], void *));

	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		int r;

		if (mode != FWD_MODE_IO && i + 1 < nb_rx)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		if (eng == FWD_ENGINE_HYPERBUF) {
			struct hb_buf b;

			if (unlikely(hb_buf_attach(&b, m) != 0)) {
				fwd_ctr_add(&fs->drops[FWD_DROP_BAD_MBUF], 1);
				drop[nb_drop++] = m;
				continue;
			}
			r = fwd_packet_ctx(&b, mode, c, &vc);
			m = hb_buf_detach(&b);
			if (unlikely(m == NULL)) {
				fwd_lost(fs);
				continue;
			}
		} else {
			r = fwd_raw_packet(&m, mode, c);
		}
		if (gens && unlikely(c->gen != NULL)) {
			gen[nb_gen++] = c->gen;
			c->gen = NULL;
		}
		if (likely(r == FWD_PASS)) {
			if (routed)
				port[nb_fwd] = c->out_port;
			pkts[nb_fwd++] = m;
		} else {
			if (unlikely(r == FWD_DROP_HB_ERROR))
				fwd_hb_error(fwd_mode_names[mode]);
			fwd_ctr_add(&fs->drops[r], 1);
			drop[nb_drop++] = m;
		}
	}

	if (routed)
		fwd_tx_routed(lc, pkts, port, nb_fwd);
	else if (likely(nb_fwd != 0))
		fwd_tx(lc, fs->tx_port, fs->tx_queue, pkts, nb_fwd);
	if (unlikely(nb_drop != 0))
		rte_pktmbuf_free_bulk(drop, nb_drop);
	if (gens) {
		if (unlikely(nb_gen != 0))
			fwd_tx_gen(lc, fs, gen, nb_gen);
		fwd_gen_count_add(fs, &c->gc);
	}

	/* After TX: a reader that sees the count sees the packets sent. */
	fwd_ctr_add(&fs->rx_pkts, nb_rx);
	if (eng == FWD_ENGINE_HYPERBUF && mode != FWD_MODE_IO) {
		fwd_ctr_add(&lc->visits, vc.visits);
		fwd_ctr_add(&lc->visits_bounced, vc.bounced);
	}
	return nb_rx;
}

/* One function per engine and mode, each with both as constants. */
#define FWD_BURST_FN(eng, ENG, mode, MODE)                                     \
	static uint16_t fwd_burst_##eng##_##mode(struct fwd_lcore *lc,         \
						 struct fwd_stream *fs)        \
	{                                                                      \
		return fwd_burst(lc, fs, FWD_MODE_##MODE, FWD_ENGINE_##ENG);   \
	}
#define FWD_BURST_FNS(eng, ENG)                                                \
	FWD_BURST_FN(eng, ENG, io, IO)                                         \
	FWD_BURST_FN(eng, ENG, macswap, MACSWAP)                               \
	FWD_BURST_FN(eng, ENG, route, ROUTE)                                   \
	FWD_BURST_FN(eng, ENG, encap, ENCAP)                                   \
	FWD_BURST_FN(eng, ENG, decap, DECAP)
FWD_BURST_FNS(hb, HYPERBUF)
FWD_BURST_FNS(raw, RAW)

/* frag and reasm: their own loops (fwd_frag.c), one packet is not one. */
static const fwd_burst_t fwd_burst_fns[FWD_ENGINE_MAX][FWD_MODE_MAX] = {
	[FWD_ENGINE_HYPERBUF] = {
		fwd_burst_hb_io, fwd_burst_hb_macswap, fwd_burst_hb_route,
		fwd_burst_hb_encap, fwd_burst_hb_decap,
		fwd_burst_hb_frag, fwd_burst_hb_reasm,
	},
	[FWD_ENGINE_RAW] = {
		fwd_burst_raw_io, fwd_burst_raw_macswap, fwd_burst_raw_route,
		fwd_burst_raw_encap, fwd_burst_raw_decap,
		fwd_burst_raw_frag, fwd_burst_raw_reasm,
	},
};

void
fwd_tx_pkts(struct fwd_lcore *lc, uint16_t port, uint16_t txq,
	    struct rte_mbuf **pkts, uint16_t n)
{
	fwd_tx(lc, port, txq, pkts, n);
}

void
fwd_tx_built(struct fwd_lcore *lc, struct fwd_stream *fs,
	     struct rte_mbuf **gen, uint16_t n, const struct fwd_gen_count *gc)
{
	if (n != 0)
		fwd_tx_gen(lc, fs, gen, n);
	fwd_gen_count_add(fs, gc);
}

void
fwd_hb_error_log(const char *what)
{
	fwd_hb_error(what);
}

/* Timer check of a main lcore that forwards alone: every ~1 ms. */
static inline void
fwd_tick(uint64_t *next, uint64_t period)
{
	uint64_t now = rte_rdtsc();

	if (unlikely(now >= *next)) {
		*next = now + period;
		fwd_housekeeping(now);
	}
}

int
fwd_lcore_main(void *arg __rte_unused)
{
	struct fwd_lcore *lc = &fwd_lcores[rte_lcore_id()];
	const uint16_t n = lc->nb_streams;
	const bool hk = lc->housekeeper;
	const unsigned int idle_us = fwd_cfg.idle_sleep;
	const uint64_t period = rte_get_tsc_hz() / 1000;
	uint64_t next = rte_rdtsc() + period;
	unsigned int empty = 0;
	uint16_t s, got;

	if (n == 0)
		return 0;
	fwd_tb_init(&lc->icmp_tb, rte_get_tsc_hz(), fwd_cfg.icmp_rate,
		    FWD_ICMP_BURST, rte_rdtsc());
	while (likely(!force_quit)) {
		got = 0;
		for (s = 0; s < n; s++)
			got |= lc->streams[s].fn(lc, &lc->streams[s]);
		if (unlikely(fwd_cap_on))
			fwd_cap_poll();
		if (unlikely(hk))
			fwd_tick(&next, period);
		/*
		 * --idle-sleep: after FWD_IDLE_POLLS empty rounds, sleep
		 * between polls, so that an idle lcore leaves the CPU to
		 * others (the kernel peers of a TAP port on a small
		 * machine). Off by default: a busy poll never sleeps.
		 */
		if (unlikely(idle_us != 0)) {
			if (got != 0)
				empty = 0;
			else if (++empty >= FWD_IDLE_POLLS)
				rte_delay_us_sleep(idle_us);
		}
	}
	if (fwd_cap_on)
		fwd_cap_lcore_done();
	return 0;
}

/* What the stream's per-packet code needs; its burst function. */
void
fwd_stream_init(struct fwd_stream *fs, struct fwd_lcore *lc,
		struct rte_mempool *mp)
{
	fwd_encap_init(&fs->encap, &fwd_cfg.vxlan_mac,
		       &fwd_ports[fs->tx_port].mac, fwd_cfg.vxlan_src,
		       fwd_cfg.vxlan_dst, fwd_cfg.vni);
	memset(&fs->ctx, 0, sizeof(fs->ctx));
	fs->ctx.encap = &fs->encap;
	fs->ctx.depth = fwd_cfg.tunnel_depth;
	fs->ctx.l3 = fwd_l3;
	fs->ctx.mp = mp;
	fs->ctx.tb = &lc->icmp_tb;
	fs->ctx.rx_port = fs->rx_port;
	fs->ctx.tx_port = fs->tx_port;
	fs->ctx.out_port = fs->tx_port;
	fs->ctx.mtu = fwd_ports[fs->tx_port].mtu;
	fs->burst = fwd_cfg.burst;
	fs->mode = fwd_ports[fs->rx_port].mode;
	fs->fn = fwd_burst_fns[fwd_cfg.engine][fs->mode];
}
