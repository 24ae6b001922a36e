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

static __rte_always_inline void
fwd_burst(struct fwd_lcore *lc, struct fwd_stream *fs,
	  const enum fwd_mode mode, uint16_t burst, unsigned int depth)
{
	struct rte_mbuf *pkts[FWD_MAX_BURST];
	struct rte_mbuf *drop[FWD_MAX_BURST];
	struct fwd_visit_count vc = { 0, 0 };
	uint16_t nb_rx, nb_fwd = 0, nb_drop = 0, nb_tx = 0, i;

	nb_rx = rte_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, burst);
	if (unlikely(nb_rx == 0))
		return;

	/* The modes that read headers: prefetch one packet ahead. */
	if (mode != FWD_MODE_IO)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[0], void *));

	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		struct hb_buf b;
		int r;

		if (mode != FWD_MODE_IO && i + 1 < nb_rx)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		if (unlikely(hb_buf_attach(&b, m) != 0)) {
			fwd_ctr_add(&fs->drops[FWD_DROP_BAD_MBUF], 1);
			drop[nb_drop++] = m;
			continue;
		}
		r = fwd_packet(&b, mode, &fs->encap, depth, &vc);
		m = hb_buf_detach(&b);
		if (unlikely(m == NULL)) {
			fwd_lost(fs);
			continue;
		}
		if (likely(r == FWD_PASS)) {
			pkts[nb_fwd++] = m;
		} else {
			if (unlikely(r == FWD_DROP_HB_ERROR))
				fwd_hb_error(fwd_mode_names[mode]);
			fwd_ctr_add(&fs->drops[r], 1);
			drop[nb_drop++] = m;
		}
	}

	if (likely(nb_fwd != 0)) {
		nb_tx = rte_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts,
					 nb_fwd);
		/* No retry: what the queue refuses is dropped and counted. */
		if (unlikely(nb_tx < nb_fwd)) {
			rte_pktmbuf_free_bulk(&pkts[nb_tx], nb_fwd - nb_tx);
			fwd_ctr_add(&fs->tx_dropped, nb_fwd - nb_tx);
		}
	}
	if (unlikely(nb_drop != 0))
		rte_pktmbuf_free_bulk(drop, nb_drop);

	/* After TX: a reader that sees the count sees the packets sent. */
	fwd_ctr_add(&fs->rx_pkts, nb_rx);
	fwd_ctr_add(&fs->tx_pkts, nb_tx);
	if (mode != FWD_MODE_IO) {
		fwd_ctr_add(&lc->visits, vc.visits);
		fwd_ctr_add(&lc->visits_bounced, vc.bounced);
	}
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

static __rte_always_inline void
fwd_loop(struct fwd_lcore *lc, const enum fwd_mode mode)
{
	const uint16_t burst = fwd_cfg.burst;
	const unsigned int depth = fwd_cfg.tunnel_depth;
	const uint16_t n = lc->nb_streams;
	const bool hk = lc->housekeeper;
	const uint64_t period = rte_get_tsc_hz() / 1000;
	uint64_t next = rte_rdtsc() + period;
	uint16_t s;

	while (likely(!force_quit)) {
		for (s = 0; s < n; s++)
			fwd_burst(lc, &lc->streams[s], mode, burst, depth);
		if (unlikely(hk))
			fwd_tick(&next, period);
	}
}

static void
fwd_loop_io(struct fwd_lcore *lc)
{
	fwd_loop(lc, FWD_MODE_IO);
}

static void
fwd_loop_macswap(struct fwd_lcore *lc)
{
	fwd_loop(lc, FWD_MODE_MACSWAP);
}

static void
fwd_loop_route(struct fwd_lcore *lc)
{
	fwd_loop(lc, FWD_MODE_ROUTE);
}

static void
fwd_loop_encap(struct fwd_lcore *lc)
{
	fwd_loop(lc, FWD_MODE_ENCAP);
}

static void
fwd_loop_decap(struct fwd_lcore *lc)
{
	fwd_loop(lc, FWD_MODE_DECAP);
}

int
fwd_lcore_main(void *arg __rte_unused)
{
	static void (*const loops[FWD_MODE_MAX])(struct fwd_lcore *) = {
		[FWD_MODE_IO] = fwd_loop_io,
		[FWD_MODE_MACSWAP] = fwd_loop_macswap,
		[FWD_MODE_ROUTE] = fwd_loop_route,
		[FWD_MODE_ENCAP] = fwd_loop_encap,
		[FWD_MODE_DECAP] = fwd_loop_decap,
	};
	struct fwd_lcore *lc = &fwd_lcores[rte_lcore_id()];

	if (lc->nb_streams == 0)
		return 0;
	loops[fwd_cfg.mode](lc);
	return 0;
}

/* Outer headers for packets leaving on fs->tx_port. */
void
fwd_stream_init_encap(struct fwd_stream *fs)
{
	fwd_encap_init(&fs->encap, &fwd_cfg.vxlan_mac,
		       &fwd_ports[fs->tx_port].mac, fwd_cfg.vxlan_src,
		       fwd_cfg.vxlan_dst, fwd_cfg.vni);
}
