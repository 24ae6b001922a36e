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
 * constant), so io mode pays nothing for the others.
 */

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include <hyperbuf.h>

#include "hb_fwd.h"

static_assert(sizeof(struct fwd_encap_hdr) == FWD_ENCAP_LEN,
	      "VXLAN encapsulation is 50 bytes");

/* Visits made during one burst; added to the lcore once per burst. */
struct visit_count {
	uint32_t visits;
	uint32_t bounced;
};

static inline void
visit_count(struct visit_count *vc, const struct hb_visitor *v)
{
	vc->visits++;
	vc->bounced += !hb_visitor_is_direct(v);
}

/* Release @v; a failure (a bug) turns the packet into an hb-error drop. */
static inline int
visit_done(struct hb_visitor *v, int r)
{
	return likely(hb_visit_release(v) == 0) ? r : FWD_DROP_HB_ERROR;
}

/* Drop reason for a visit that failed: short if it ran past the end. */
static inline int
visit_failed(int rc)
{
	return rc == -ERANGE ? FWD_DROP_SHORT : FWD_DROP_HB_ERROR;
}

/* ---------------------------------------------------------------------
 * Header helpers
 */

/* EtherType at offset 0 of @b (which holds at least 14 bytes). */
static inline int
read_ether_type(struct hb_buf *b, struct visit_count *vc, uint16_t *type)
{
	struct hb_visitor v;
	int rc = HB_VISIT_READ(b, 0, struct rte_ether_hdr, &v);

	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	*type = HB_VIEW(&v, const struct rte_ether_hdr)->ether_type;
	return visit_done(&v, FWD_PASS);
}

/*
 * Checks shared by route and decap on the IPv4 header at offset 14 of a
 * frame of @len bytes, in this order: version, IHL, header inside the
 * frame, total length.
 */
static inline int
ipv4_check(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	uint32_t hl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
		      RTE_IPV4_IHL_MULTIPLIER;
	uint32_t tl = rte_be_to_cpu_16(ip->total_length);

	if (unlikely((ip->version_ihl >> 4) != 4))
		return FWD_DROP_BAD_VERSION;
	if (unlikely(hl < sizeof(struct rte_ipv4_hdr)))
		return FWD_DROP_BAD_IHL;
	if (unlikely(RTE_ETHER_HDR_LEN + hl > len))
		return FWD_DROP_SHORT;
	if (unlikely(tl < hl || RTE_ETHER_HDR_LEN + tl > len))
		return FWD_DROP_BAD_TOTAL_LEN;
	return FWD_PASS;
}

/* One's complement sum fold to 16 bits. */
static inline uint16_t
cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), the checksum after the 16-bit
 * word m (host order, like HC) became m'.
 */
static inline uint16_t
cksum_update(uint16_t hc, uint16_t m, uint16_t m_new)
{
	uint32_t sum = (uint16_t)~hc;

	sum += (uint16_t)~m;
	sum += m_new;
	return (uint16_t)~cksum_fold(sum);
}

/* ---------------------------------------------------------------------
 * Modes: each returns FWD_PASS or a drop reason. Every visitor taken is
 * released before return, so the caller can always detach.
 */

/* macswap: swap destination and source MAC through a write visitor. */
static inline int
fwd_macswap(struct hb_buf *b, struct visit_count *vc)
{
	struct rte_ether_addr tmp;
	struct rte_ether_hdr *eth;
	struct hb_visitor v;
	int rc = HB_VISIT_WRITE(b, 0, struct rte_ether_hdr, 0, &v);

	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	eth = HB_VIEW(&v, struct rte_ether_hdr);
	tmp = eth->dst_addr;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
	return visit_done(&v, FWD_PASS);
}

/* route: validate IPv4, decrement TTL, update the checksum (RFC 1624). */
static inline int
fwd_route(struct hb_buf *b, struct visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	struct rte_ipv4_hdr *ip;
	struct hb_visitor v;
	uint16_t type, m;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = read_ether_type(b, vc, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (unlikely(type != RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return FWD_DROP_NOT_IPV4;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_WRITE(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, 0, &v);
	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	ip = HB_VIEW(&v, struct rte_ipv4_hdr);
	r = ipv4_check(ip, len);
	if (likely(r == FWD_PASS)) {
		if (unlikely(ip->time_to_live <= 1)) {
			r = FWD_DROP_TTL_EXCEEDED;
		} else {
			/* TTL is the high byte of the word it shares with
			 * the protocol.
			 */
			m = (uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);
			ip->time_to_live--;
			ip->hdr_checksum = rte_cpu_to_be_16(cksum_update(
				rte_be_to_cpu_16(ip->hdr_checksum), m,
				(uint16_t)(m - 0x100)));
		}
	}
	return visit_done(&v, r);
}

/* FNV-1a, 32 bits: the flow hash behind the outer UDP source port. */
#define FNV_BASIS UINT32_C(2166136261)
#define FNV_PRIME UINT32_C(16777619)

static inline uint32_t
fnv1a(uint32_t h, const void *p, uint32_t len)
{
	const uint8_t *s = p;
	uint32_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

/*
 * Flow hash of the frame to encapsulate (RFC 7348: source port from a
 * hash of the inner headers, so one flow keeps one path): for IPv4 with
 * version 4 and IHL >= 5, source and destination address and protocol,
 * plus the 4 port bytes for TCP or UDP when the packet is not a fragment
 * and the frame holds them; otherwise the 14-byte Ethernet header.
 */
static inline int
encap_hash(struct hb_buf *b, uint32_t len, struct visit_count *vc,
	   uint32_t *hash)
{
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	struct hb_visitor ve, vi, vp;
	uint8_t key[13];
	uint32_t hl = 0;
	bool ports = false;
	int r, rc;

	rc = HB_VISIT_READ(b, 0, struct rte_ether_hdr, &ve);
	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &ve);
	eth = HB_VIEW(&ve, const struct rte_ether_hdr);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    len < RTE_ETHER_HDR_LEN + sizeof(*ip)) {
		*hash = fnv1a(FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
		return visit_done(&ve, FWD_PASS);
	}

	/* Read visitors share: the Ethernet view stays live meanwhile. */
	rc = HB_VISIT_READ(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &vi);
	if (unlikely(rc != 0))
		return visit_done(&ve, visit_failed(rc));
	visit_count(vc, &vi);
	ip = HB_VIEW(&vi, const struct rte_ipv4_hdr);
	if ((ip->version_ihl >> 4) == 4 &&
	    (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) >= 5) {
		hl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
		     RTE_IPV4_IHL_MULTIPLIER;
		memcpy(key, &ip->src_addr, 4);
		memcpy(key + 4, &ip->dst_addr, 4);
		key[8] = ip->next_proto_id;
		ports = (ip->next_proto_id == IPPROTO_TCP ||
			 ip->next_proto_id == IPPROTO_UDP) &&
			(ip->fragment_offset &
			 RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
				  RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
			len >= RTE_ETHER_HDR_LEN + hl + 4;
	} else {
		/* Not a usable IPv4 header: hash the Ethernet header. */
		*hash = fnv1a(FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
	}
	r = visit_done(&vi, FWD_PASS);
	r = visit_done(&ve, r);
	if (unlikely(r != FWD_PASS) || hl == 0)
		return r;

	if (ports) {
		rc = hb_visit_read(b, RTE_ETHER_HDR_LEN + hl, 4, &vp);
		if (unlikely(rc != 0))
			return visit_failed(rc);
		visit_count(vc, &vp);
		memcpy(key + 9, vp.ptr, 4);
		r = visit_done(&vp, FWD_PASS);
		if (unlikely(r != FWD_PASS))
			return r;
	}
	*hash = fnv1a(FNV_BASIS, key, ports ? 13 : 9);
	return FWD_PASS;
}

/* Put one VXLAN header in front of the frame held by @b. */
static inline int
encap_one(struct hb_buf *b, const struct fwd_stream *fs,
	  struct visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	struct fwd_encap_hdr *h;
	struct hb_visitor v;
	uint32_t hash = 0;
	uint16_t tl;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	if (unlikely(len > FWD_ENCAP_MAX_FRAME))
		return FWD_DROP_TOO_BIG;
	r = encap_hash(b, len, vc, &hash);
	if (unlikely(r != FWD_PASS))
		return r;

	/*
	 * The constant part of the header, from the stream's template. In
	 * the headroom when there is room; otherwise HyperBuf chains a new
	 * head segment (the 50 bytes are never split).
	 */
	rc = hb_buf_prepend(b, &fs->encap_hdr, FWD_ENCAP_LEN);
	if (unlikely(rc != 0))
		return rc == -ENOMEM ? FWD_DROP_NO_MBUF :
		       rc == -E2BIG ? FWD_DROP_TOO_BIG : FWD_DROP_HB_ERROR;

	/* The per-packet fields, through a write visitor. */
	rc = HB_VISIT_WRITE(b, 0, struct fwd_encap_hdr, 0, &v);
	if (unlikely(rc != 0))
		return FWD_DROP_HB_ERROR;
	visit_count(vc, &v);
	h = HB_VIEW(&v, struct fwd_encap_hdr);
	tl = (uint16_t)(len + FWD_ENCAP_IP_EXTRA);
	h->ip.total_length = rte_cpu_to_be_16(tl);
	/* The template's checksum was computed with total length 0. */
	h->ip.hdr_checksum = rte_cpu_to_be_16(
		(uint16_t)~cksum_fold((uint32_t)(uint16_t)~fs->encap_cksum + tl));
	h->udp.src_port = rte_cpu_to_be_16(
		(uint16_t)(49152 + (hash & 0x3fff)));
	h->udp.dgram_len = rte_cpu_to_be_16((uint16_t)(len + FWD_ENCAP_LEN -
		RTE_ETHER_HDR_LEN - sizeof(struct rte_ipv4_hdr)));
	return visit_done(&v, FWD_PASS);
}

static inline int
fwd_encap(struct hb_buf *b, const struct fwd_stream *fs,
	  struct visit_count *vc, unsigned int depth)
{
	unsigned int d;
	int r = FWD_PASS;

	for (d = 0; d < depth && r == FWD_PASS; d++)
		r = encap_one(b, fs, vc);
	return r;
}

/* Remove one VXLAN encapsulation (see docs/hb-fwd.md for the checks). */
static inline int
decap_one(struct hb_buf *b, struct visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint32_t hl, l4, end, ulen;
	struct hb_visitor v;
	uint16_t type, frag;
	uint8_t proto, flags;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = read_ether_type(b, vc, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_READ(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &v);
	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	ip = HB_VIEW(&v, const struct rte_ipv4_hdr);
	r = ipv4_check(ip, len);
	hl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
	     RTE_IPV4_IHL_MULTIPLIER;
	end = RTE_ETHER_HDR_LEN + rte_be_to_cpu_16(ip->total_length);
	proto = ip->next_proto_id;
	frag = ip->fragment_offset;
	r = visit_done(&v, r);
	if (unlikely(r != FWD_PASS))
		return r;
	if (proto != IPPROTO_UDP)
		return FWD_DROP_NOT_VXLAN;
	if (frag & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return FWD_DROP_FRAGMENT;
	l4 = RTE_ETHER_HDR_LEN + hl;
	if (unlikely(l4 + sizeof(*udp) > end))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_READ(b, l4, struct rte_udp_hdr, &v);
	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	udp = HB_VIEW(&v, const struct rte_udp_hdr);
	r = udp->dst_port == RTE_BE16(RTE_VXLAN_DEFAULT_PORT) ?
		FWD_PASS : FWD_DROP_NOT_VXLAN;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	r = visit_done(&v, r);
	if (r != FWD_PASS)
		return r;
	if (unlikely(ulen < sizeof(*udp) || l4 + ulen > end))
		return FWD_DROP_BAD_UDP_LEN;
	if (unlikely(ulen < sizeof(*udp) + sizeof(struct rte_vxlan_hdr)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_READ(b, l4 + sizeof(*udp), struct rte_vxlan_hdr, &v);
	if (unlikely(rc != 0))
		return visit_failed(rc);
	visit_count(vc, &v);
	flags = *(const uint8_t *)v.ptr;
	r = visit_done(&v, FWD_PASS);
	if (unlikely(r != FWD_PASS))
		return r;
	if (!(flags & FWD_VXLAN_FLAG_I))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(ulen < sizeof(*udp) + sizeof(struct rte_vxlan_hdr) +
			    RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;

	/* Keep [l4 + 16, l4 + ulen): drop the padding, then the headers. */
	rc = hb_buf_trim(b, len - (l4 + ulen));
	if (likely(rc == 0))
		rc = hb_buf_adj(b, l4 + sizeof(*udp) +
				   sizeof(struct rte_vxlan_hdr));
	return likely(rc == 0) ? FWD_PASS : FWD_DROP_HB_ERROR;
}

static inline int
fwd_decap(struct hb_buf *b, struct visit_count *vc, unsigned int depth)
{
	unsigned int d;
	int r = FWD_PASS;

	for (d = 0; d < depth && r == FWD_PASS; d++)
		r = decap_one(b, vc);
	return r;
}

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
	struct visit_count vc = { 0, 0 };
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
		switch (mode) {
		case FWD_MODE_MACSWAP:
			r = fwd_macswap(&b, &vc);
			break;
		case FWD_MODE_ROUTE:
			r = fwd_route(&b, &vc);
			break;
		case FWD_MODE_ENCAP:
			r = fwd_encap(&b, fs, &vc, depth);
			break;
		case FWD_MODE_DECAP:
			r = fwd_decap(&b, &vc, depth);
			break;
		default:
			r = FWD_PASS;
			break;
		}
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
	struct fwd_encap_hdr *h = &fs->encap_hdr;

	memset(h, 0, sizeof(*h));
	h->eth.dst_addr = fwd_cfg.vxlan_mac;
	h->eth.src_addr = fwd_ports[fs->tx_port].mac;
	h->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = RTE_IPV4_VHL_DEF;
	h->ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	h->ip.time_to_live = 64;
	h->ip.next_proto_id = IPPROTO_UDP;
	h->ip.src_addr = fwd_cfg.vxlan_src;
	h->ip.dst_addr = fwd_cfg.vxlan_dst;
	h->ip.total_length = 0;
	h->ip.hdr_checksum = 0;
	fs->encap_cksum = rte_be_to_cpu_16(rte_ipv4_cksum(&h->ip));
	h->ip.hdr_checksum = 0; /* set per packet */
	h->udp.dst_port = RTE_BE16(RTE_VXLAN_DEFAULT_PORT);
	h->vxlan.vx_flags = RTE_BE32((uint32_t)FWD_VXLAN_FLAG_I << 24);
	h->vxlan.vx_vni = rte_cpu_to_be_32(fwd_cfg.vni << 8);
}
