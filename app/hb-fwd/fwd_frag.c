/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The burst loops of --mode frag and --mode reasm, where one packet
 * received is not one packet sent: frag may turn it into many fragments,
 * reasm keeps fragments in the lcore's table and sends one datagram for
 * several. The per-packet code is in fwd_frag.h (HyperBuf) and
 * fwd_frag_raw.h (librte_ip_frag); the rest is as in fwd.c's loop: the
 * engine a compile-time constant, counters added once per burst, no heap
 * allocation. Outputs keep their order: what a packet gives goes after
 * what the packets before it gave.
 *
 * reasm reads the TSC once per burst (the arrival time of its fragments,
 * and the time-outs checked before them), also on an empty poll while the
 * table holds something, so that datagrams time out when traffic stops.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

/* Fragments wait for TX until there are this many (or the burst ends). */
#define FWD_FRAG_TX_FLUSH FWD_MAX_BURST

bool
fwd_frag_mode(enum fwd_mode mode)
{
	return mode == FWD_MODE_FRAG || mode == FWD_MODE_REASM;
}

/* Per-burst counters of frag and reasm, added to the stream at its end. */
struct fwd_fburst {
	uint32_t fstat[FWD_FSTAT_MAX];
	uint16_t nb_drop;
	struct rte_mbuf *drop[FWD_MAX_BURST];
};

/* A packet dropped: counted; what is left of it freed at the burst's end. */
static __rte_always_inline void
fwd_fdrop(struct fwd_stream *fs, struct fwd_fburst *fb, int r,
	  struct rte_mbuf *m)
{
	if (unlikely(r == FWD_DROP_HB_ERROR))
		fwd_hb_error_log(fwd_mode_names[fs->mode]);
	fwd_ctr_add(&fs->drops[r], 1);
	if (m != NULL)
		fb->drop[fb->nb_drop++] = m;
}

/*
 * Packet @i of the burst: the next one's data prefetched, @b attached
 * (the HyperBuf engine; false if HyperBuf refuses the chain: dropped).
 */
static __rte_always_inline bool
fwd_fnext(struct fwd_stream *fs, struct fwd_fburst *fb, struct rte_mbuf **pkts,
	  uint16_t i, uint16_t nb_rx, const enum fwd_engine eng,
	  struct hb_buf *b)
{
	if (i + 1 < nb_rx)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
	if (eng == FWD_ENGINE_HYPERBUF &&
	    unlikely(hb_buf_attach(b, pkts[i]) != 0)) {
		fwd_fdrop(fs, fb, FWD_DROP_BAD_MBUF, pkts[i]);
		return false;
	}
	return true;
}

/* A dropped packet's buffer: detached if it still holds something. */
static __rte_always_inline struct rte_mbuf *
fwd_frest(struct hb_buf *b)
{
	return hb_buf_nb_segs(b) != 0 ? hb_buf_detach(b) : NULL;
}

static __rte_always_inline void
fwd_fburst_end(struct fwd_stream *fs, struct fwd_fburst *fb,
	       uint16_t nb_rx)
{
	unsigned int i;

	if (unlikely(fb->nb_drop != 0))
		rte_pktmbuf_free_bulk(fb->drop, fb->nb_drop);
	for (i = 0; i < FWD_FSTAT_MAX; i++)
		if (fb->fstat[i] != 0)
			fwd_ctr_add(&fs->fstat[i], fb->fstat[i]);
	/* After TX: a reader that sees the count sees the packets sent. */
	fwd_ctr_add(&fs->rx_pkts, nb_rx);
}

/* ---------------------------------------------------------------------
 * frag
 */

static __rte_always_inline uint16_t
fwd_burst_frag(struct fwd_lcore *lc, struct fwd_stream *fs,
	       const enum fwd_engine eng)
{
	struct rte_mbuf *pkts[FWD_MAX_BURST];
	struct rte_mbuf *gen[FWD_MAX_BURST];
	struct rte_mbuf **out = lc->frag->out;
	struct fwd_visit_count vc = { 0, 0 };
	struct fwd_pctx *c = &fs->ctx;
	struct fwd_fburst fb;
	const bool gens = c->l3 != NULL;
	uint32_t nout = 0, k;
	uint16_t nb_rx, nb_gen = 0, i;

	nb_rx = rte_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, fs->burst);
	if (unlikely(nb_rx == 0))
		return 0;
	memset(&fb.fstat, 0, sizeof(fb.fstat));
	fb.nb_drop = 0;
	if (gens)
		memset(&c->gc, 0, sizeof(c->gc));

	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		struct hb_buf b;
		int r;

		if (!fwd_fnext(fs, &fb, pkts, i, nb_rx, eng, &b))
			continue;
		if (eng == FWD_ENGINE_HYPERBUF) {
			r = fwd_frag(&b, c, &vc, out + nout, &k);
			m = fwd_frest(&b);
		} else {
			r = fwd_raw_frag(&m, c, out + nout, &k);
		}
		if (gens && unlikely(c->gen != NULL)) {
			gen[nb_gen++] = c->gen;
			c->gen = NULL;
		}
		if (unlikely(r != FWD_PASS)) {
			fwd_fdrop(fs, &fb, r, m);
			continue;
		}
		if (k == 0) {
			out[nout++] = m;
		} else {
			nout += k;
			fb.fstat[FWD_FSTAT_FRAGMENTED]++;
			fb.fstat[FWD_FSTAT_FRAGMENTS] += k;
		}
		if (unlikely(nout >= FWD_FRAG_TX_FLUSH)) {
			fwd_tx_pkts(lc, fs->tx_port, fs->tx_queue, out,
				    (uint16_t)nout);
			nout = 0;
		}
	}
	if (likely(nout != 0))
		fwd_tx_pkts(lc, fs->tx_port, fs->tx_queue, out, (uint16_t)nout);
	if (gens)
		fwd_tx_built(lc, fs, gen, nb_gen, &c->gc);
	fwd_fburst_end(fs, &fb, nb_rx);
	if (eng == FWD_ENGINE_HYPERBUF) {
		fwd_ctr_add(&lc->visits, vc.visits);
		fwd_ctr_add(&lc->visits_bounced, vc.bounced);
	}
	return nb_rx;
}

/* ---------------------------------------------------------------------
 * reasm
 */

/* The table's accounting of held fragments, into the streams' counters. */
static void __rte_noinline
fwd_reasm_collect(struct fwd_lcore *lc, struct fwd_reasm_acct *acct,
		  uint32_t *dirty)
{
	uint32_t d = *dirty;
	unsigned int r;

	*dirty = 0;
	while (d != 0) {
		unsigned int s = (unsigned int)__builtin_ctz(d);
		struct fwd_reasm_acct *a = &acct[s];
		struct fwd_stream *fs = &lc->streams[s];

		d &= d - 1;
		for (r = 0; r < FWD_DROP_MAX; r++) {
			if (a->drops[r] != 0) {
				fwd_ctr_add(&fs->drops[r], a->drops[r]);
				a->drops[r] = 0;
			}
		}
		fwd_ctr_add(&fs->fstat[FWD_FSTAT_JOINED], a->joined);
		fwd_ctr_add(&fs->fstat[FWD_FSTAT_REASSEMBLED], a->reassembled);
		a->joined = 0;
		a->reassembled = 0;
	}
}

static __rte_always_inline uint16_t
fwd_burst_reasm(struct fwd_lcore *lc, struct fwd_stream *fs,
		const enum fwd_engine eng)
{
	struct rte_mbuf *pkts[FWD_MAX_BURST];
	struct fwd_visit_count vc = { 0, 0 };
	struct fwd_reasm *t = lc->frag->reasm;
	struct fwd_raw_reasm *rt = lc->frag->raw_reasm;
	const uint32_t owner = (uint32_t)(fs - lc->streams);
	struct fwd_fburst fb;
	uint16_t nb_rx, nb_fwd = 0, i;
	uint64_t now;

	nb_rx = rte_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, fs->burst);
	if (unlikely(nb_rx == 0)) {
		/* Time-outs also when nothing comes. */
		if (eng == FWD_ENGINE_HYPERBUF && t->used != 0) {
			fwd_reasm_expire(t, rte_rdtsc());
			if (t->dirty != 0)
				fwd_reasm_collect(lc, t->acct, &t->dirty);
		} else if (eng == FWD_ENGINE_RAW) {
			fwd_raw_reasm_expire(rt, rte_rdtsc(), owner);
			fwd_raw_dr_free(rt);
			if (rt->dirty != 0)
				fwd_reasm_collect(lc, rt->acct, &rt->dirty);
		}
		return 0;
	}
	now = rte_rdtsc();
	memset(&fb.fstat, 0, sizeof(fb.fstat));
	fb.nb_drop = 0;
	if (eng == FWD_ENGINE_HYPERBUF)
		fwd_reasm_expire(t, now);
	else
		fwd_raw_reasm_expire(rt, now, owner);

	rte_prefetch0(rte_pktmbuf_mtod(pkts[0], void *));
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		struct hb_buf b;
		int r;

		if (!fwd_fnext(fs, &fb, pkts, i, nb_rx, eng, &b))
			continue;
		if (eng == FWD_ENGINE_HYPERBUF) {
			r = fwd_reasm(t, &b, now, owner, &vc, &m);
			if (r != FWD_PASS)
				m = fwd_frest(&b);
		} else {
			r = fwd_raw_reasm(rt, &m, now, owner);
		}
		if (likely(r == FWD_HELD))
			continue;
		if (likely(r == FWD_PASS))
			pkts[nb_fwd++] = m;
		else
			fwd_fdrop(fs, &fb, r, m);
	}
	if (likely(nb_fwd != 0))
		fwd_tx_pkts(lc, fs->tx_port, fs->tx_queue, pkts, nb_fwd);
	if (eng == FWD_ENGINE_RAW)
		fwd_raw_dr_free(rt);
	fwd_fburst_end(fs, &fb, nb_rx);
	if (eng == FWD_ENGINE_HYPERBUF) {
		if (t->dirty != 0)
			fwd_reasm_collect(lc, t->acct, &t->dirty);
		fwd_ctr_add(&lc->visits, vc.visits);
		fwd_ctr_add(&lc->visits_bounced, vc.bounced);
	} else if (rt->dirty != 0) {
		fwd_reasm_collect(lc, rt->acct, &rt->dirty);
	}
	return nb_rx;
}

/* One function per engine and mode, the engine a constant in each. */
#define FWD_FBURST_FN(eng, ENG, mode)                                          \
	uint16_t fwd_burst_##eng##_##mode(struct fwd_lcore *lc,                \
					  struct fwd_stream *fs)               \
	{                                                                      \
		return fwd_burst_##mode(lc, fs, FWD_ENGINE_##ENG);             \
	}
FWD_FBURST_FN(hb, HYPERBUF, frag)
FWD_FBURST_FN(raw, RAW, frag)
FWD_FBURST_FN(hb, HYPERBUF, reasm)
FWD_FBURST_FN(raw, RAW, reasm)

/* ---------------------------------------------------------------------
 * Set-up and shutdown
 */

/*
 * @lc's frag and reasm state, if one of its streams needs it; @mp_frag:
 * the mbufs that fragments (and the raw engine's pullups) take. 0 or a
 * negative errno.
 */
int
fwd_frag_lcore_init(struct fwd_lcore *lc, struct rte_mempool *mp_frag)
{
	bool frag = false, reasm = false;
	int socket = (int)rte_socket_id();
	uint64_t timeout;
	uint16_t s;

	for (s = 0; s < lc->nb_streams; s++) {
		frag |= lc->streams[s].mode == FWD_MODE_FRAG;
		reasm |= lc->streams[s].mode == FWD_MODE_REASM;
		lc->streams[s].ctx.mp_frag = mp_frag;
	}
	if (!frag && !reasm)
		return 0;
	lc->frag = rte_zmalloc_socket("hb_fwd_frag", sizeof(*lc->frag),
				      RTE_CACHE_LINE_SIZE, socket);
	if (lc->frag == NULL)
		return -ENOMEM;
	if (!reasm)
		return 0;
	timeout = (uint64_t)fwd_cfg.reasm_timeout_ms * rte_get_tsc_hz() / 1000;
	if (fwd_cfg.engine == FWD_ENGINE_HYPERBUF)
		lc->frag->reasm = fwd_reasm_create(fwd_cfg.reasm_dgrams,
						   fwd_cfg.reasm_mbufs,
						   timeout, socket);
	else
		lc->frag->raw_reasm = fwd_raw_reasm_create(fwd_cfg.reasm_dgrams,
							   timeout, mp_frag,
							   socket);
	if (lc->frag->reasm == NULL && lc->frag->raw_reasm == NULL) {
		rte_free(lc->frag);
		lc->frag = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * After forwarding stopped (the lcore is idle): the datagrams still
 * incomplete are dropped and counted (reasm_flush), the tables freed
 * (their high-water marks kept for the summary).
 */
void
fwd_frag_lcore_fini(struct fwd_lcore *lc)
{
	struct fwd_frag_lcore *f = lc->frag;

	if (f == NULL)
		return;
	if (f->reasm != NULL) {
		struct fwd_reasm *t = f->reasm;

		fwd_reasm_flush(t);
		fwd_reasm_collect(lc, t->acct, &t->dirty);
		f->had_reasm = true;
		f->dgrams_max = t->used_max;
		f->dgrams_limit = t->max_dgrams;
		f->mbufs_max = t->segs_max;
		f->mbufs_limit = t->max_segs;
		f->reasm = NULL;
		fwd_reasm_free(t);
	}
	if (f->raw_reasm != NULL) {
		fwd_raw_reasm_flush(f->raw_reasm);
		fwd_reasm_collect(lc, f->raw_reasm->acct,
				  &f->raw_reasm->dirty);
		fwd_raw_reasm_free(f->raw_reasm);
		f->raw_reasm = NULL;
	}
}

/* At exit, after the summary. */
void
fwd_frag_lcore_free(struct fwd_lcore *lc)
{
	rte_free(lc->frag);
	lc->frag = NULL;
}
