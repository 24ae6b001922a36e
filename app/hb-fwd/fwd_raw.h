/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef FWD_RAW_H
#define FWD_RAW_H

/*
 * hb-fwd's raw engine (--engine raw): the modes of fwd_pkt.h written as a
 * DPDK user without HyperBuf writes them, to measure what HyperBuf itself
 * costs in hb-fwd. Headers are reached with rte_pktmbuf_mtod_offset() in
 * the segment that holds them; a header that crosses a segment boundary
 * (or sits misaligned for its type) is copied out with rte_pktmbuf_read()
 * and, when changed, written back segment by segment. Encap uses
 * rte_pktmbuf_prepend() when the head segment is exclusive and has the
 * headroom, new head segments otherwise; decap rte_pktmbuf_adj() and a
 * cut of the chain's end.
 *
 * Same checks in the same order, same drop reasons, same counters (but
 * no visits) and the same bytes out as the HyperBuf engine: the decisions
 * and everything built are the shared helpers of fwd_pkt.h, and the
 * packet fuzzer (tests/fuzz/fuzz_pkt.c) and the end-to-end tests compare
 * the two engines' output byte for byte. One thing it does not do: check
 * a PMD's chain (nb_segs, pkt_len against the segments) as HyperBuf does;
 * hb-fwd trusts the PMD there, as DPDK's examples do.
 *
 * Entry point: fwd_raw_packet(), the same contract as fwd_packet_ctx()
 * on an mbuf chain (*m may be a new head after it).
 */

#include <stdalign.h>

#include <rte_mbuf.h>

#include "fwd_pkt.h"

/* ---------------------------------------------------------------------
 * Reaching bytes of a chain
 */

/* Write @len bytes at @off of chain @m (inside the packet). */
static inline void
fwd_raw_write(struct rte_mbuf *m, uint32_t off, const void *src,
	      uint32_t len)
{
	const uint8_t *s = src;

	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len > 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);

		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), s, n);
		s += n;
		len -= n;
		off = 0;
		m = m->next;
	}
}

/* Slow path of fwd_raw_hdr(): a copy in @buf, NULL past the end. */
static inline void *
fwd_raw_copy(const struct rte_mbuf *m, uint32_t off, uint32_t len, void *buf)
{
	const void *p = rte_pktmbuf_read(m, off, len, buf);

	if (p != NULL && p != buf)
		memcpy(buf, p, len);
	return p != NULL ? buf : NULL;
}

/*
 * The @len bytes at @off: a pointer into the first segment when they lie
 * there, aligned to @align; otherwise a copy in @buf (write it back with
 * fwd_raw_put()). NULL if the packet is shorter.
 */
static inline void *
fwd_raw_hdr(struct rte_mbuf *m, uint32_t off, uint32_t len, uint32_t align,
	    void *buf)
{
	if (likely(off + len <= m->data_len)) {
		char *p = rte_pktmbuf_mtod_offset(m, char *, off);

		if (likely(((uintptr_t)p & (align - 1)) == 0))
			return p;
	}
	return fwd_raw_copy(m, off, len, buf);
}

#define FWD_RAW_HDR(m, off, type, buf)                                         \
	((type *)fwd_raw_hdr((m), (off), sizeof(type), alignof(type), (buf)))

/* After changing a header got from fwd_raw_hdr(): a copy goes back. */
static inline void
fwd_raw_put(struct rte_mbuf *m, uint32_t off, const void *p, uint32_t len,
	    const void *buf)
{
	if (unlikely(p == buf))
		fwd_raw_write(m, off, buf, len);
}

/* ---------------------------------------------------------------------
 * Changing a chain's layout
 */

/*
 * Whether bytes may go into @m's headroom: nobody else sees its buffer (a
 * direct mbuf, or one with an external buffer, with no other reference).
 */
static inline bool
fwd_raw_exclusive(const struct rte_mbuf *m)
{
	if (RTE_MBUF_DIRECT(m))
		return rte_mbuf_refcnt_read(m) == 1;
	return RTE_MBUF_HAS_EXTBUF(m) && !RTE_MBUF_CLONED(m) &&
	       rte_mbuf_refcnt_read(m) == 1 &&
	       rte_mbuf_ext_refcnt_read(m->shinfo) == 1;
}

/* Packet metadata of @src onto @dst, which becomes the head. */
static inline void
fwd_raw_move_meta(struct rte_mbuf *dst, const struct rte_mbuf *src)
{
	const uint64_t own = RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;

	dst->ol_flags = (dst->ol_flags & own) | (src->ol_flags & ~own);
	dst->port = src->port;
	dst->packet_type = src->packet_type;
	dst->hash = src->hash;
	dst->vlan_tci = src->vlan_tci;
	dst->vlan_tci_outer = src->vlan_tci_outer;
	dst->tx_offload = src->tx_offload;
	rte_mbuf_dynfield_copy(dst, src);
}

/*
 * @len (1..FWD_ENCAP_LEN) bytes in front of *@mp in new head segments
 * from the head's pool, the bytes at their end: the head has no headroom
 * or is shared. 0, -ENOMEM or -E2BIG (too many segments).
 */
static inline int __rte_cold
fwd_raw_prepend_segs(struct rte_mbuf **mp, const void *src, uint32_t len)
{
	struct rte_mbuf *segs[FWD_ENCAP_LEN], *h = *mp;
	uint32_t cap = rte_pktmbuf_data_room_size(h->pool), n, i, chunk;
	const uint8_t *p = src;

	if (cap == 0)
		return -ENOMEM;
	n = (len + cap - 1) / cap;
	if (h->nb_segs + n > RTE_MBUF_MAX_NB_SEGS)
		return -E2BIG;
	if (rte_pktmbuf_alloc_bulk(h->pool, segs, n) != 0)
		return -ENOMEM;
	chunk = len - (n - 1) * cap;
	for (i = 0; i < n; i++) {
		segs[i]->data_off = (uint16_t)(cap - chunk);
		segs[i]->data_len = (uint16_t)chunk;
		memcpy(rte_pktmbuf_mtod(segs[i], uint8_t *), p, chunk);
		segs[i]->next = i + 1 < n ? segs[i + 1] : h;
		p += chunk;
		chunk = cap;
	}
	fwd_raw_move_meta(segs[0], h);
	segs[0]->nb_segs = (uint16_t)(h->nb_segs + n);
	segs[0]->pkt_len = h->pkt_len + len;
	*mp = segs[0];
	return 0;
}

/* @len bytes in front of the packet *@mp (rte_pktmbuf_prepend()). */
static inline int
fwd_raw_prepend(struct rte_mbuf **mp, const void *src, uint32_t len)
{
	struct rte_mbuf *h = *mp;
	char *p;

	if (likely(fwd_raw_exclusive(h) && rte_pktmbuf_headroom(h) >= len)) {
		p = rte_pktmbuf_prepend(h, (uint16_t)len);
		memcpy(p, src, len);
		return 0;
	}
	return fwd_raw_prepend_segs(mp, src, len);
}

/*
 * Keep bytes [@off, @off + @keep) of the packet *@mp (@keep >= 1): the
 * segments before and after them are freed, the metadata moves to the
 * new head.
 */
static inline void __rte_cold
fwd_raw_cut_segs(struct rte_mbuf **mp, uint32_t off, uint32_t keep)
{
	struct rte_mbuf *h = *mp, *s = h, *prev = NULL, *rest;
	uint32_t pos = 0;
	uint16_t n = 1;

	/* The first segment holding byte @off; the ones before it go. */
	while (pos + s->data_len <= off) {
		pos += s->data_len;
		prev = s;
		s = s->next;
	}
	if (prev != NULL) {
		prev->next = NULL;
		fwd_raw_move_meta(s, h);
		rte_pktmbuf_free(h);
		h = s;
	}
	h->data_off = (uint16_t)(h->data_off + (off - pos));
	h->data_len = (uint16_t)(h->data_len - (off - pos));
	/* The segment holding the last byte kept; the ones after it go. */
	pos = 0;
	for (s = h; pos + s->data_len < keep; s = s->next, n++)
		pos += s->data_len;
	s->data_len = (uint16_t)(keep - pos);
	rest = s->next;
	s->next = NULL;
	if (rest != NULL)
		rte_pktmbuf_free(rest);
	h->pkt_len = keep;
	h->nb_segs = n;
	*mp = h;
}

/* Keep bytes [@off, @off + @keep) of *@mp: rte_pktmbuf_adj() in one. */
static inline void
fwd_raw_cut(struct rte_mbuf **mp, uint32_t off, uint32_t keep)
{
	struct rte_mbuf *h = *mp;

	if (likely(h->nb_segs == 1)) {
		rte_pktmbuf_adj(h, (uint16_t)off);
		h->data_len = (uint16_t)keep;
		h->pkt_len = keep;
		return;
	}
	fwd_raw_cut_segs(mp, off, keep);
}

/*
 * A packet built by hb-fwd (ARP reply, ICMP error): @hdr then @body in a
 * fresh mbuf of @mp (rte_pktmbuf_append()), or in a chain of them when
 * the data room is smaller. NULL if the pool is empty.
 */
static inline struct rte_mbuf *
fwd_raw_build(struct rte_mempool *mp, const void *hdr, uint32_t hlen,
	      const void *body, uint32_t blen)
{
	uint8_t flat[FWD_ICMP_HDRS_LEN + FWD_ICMP_QUOTE_MAX];
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp), *s, *prev;
	uint32_t room, off, n;
	char *p;

	if (m == NULL)
		return NULL;
	if (likely(hlen + blen <= rte_pktmbuf_tailroom(m))) {
		p = rte_pktmbuf_append(m, (uint16_t)(hlen + blen));
		memcpy(p, hdr, hlen);
		if (blen != 0)
			memcpy(p + hlen, body, blen);
		return m;
	}
	/* Tiny mbufs: a chain, no headroom. */
	room = rte_pktmbuf_data_room_size(mp);
	RTE_VERIFY(hlen + blen <= sizeof(flat));
	memcpy(flat, hdr, hlen);
	if (blen != 0)
		memcpy(flat + hlen, body, blen);
	for (off = 0, s = m, prev = NULL; off < hlen + blen; off += n) {
		if (s == NULL) {
			s = rte_pktmbuf_alloc(mp);
			if (s == NULL) {
				rte_pktmbuf_free(m);
				return NULL;
			}
			prev->next = s;
			m->nb_segs++;
		}
		n = RTE_MIN(room, hlen + blen - off);
		s->data_off = 0;
		s->data_len = (uint16_t)n;
		memcpy(rte_pktmbuf_mtod(s, uint8_t *), flat + off, n);
		prev = s;
		s = NULL;
	}
	m->pkt_len = hlen + blen;
	return m;
}

/* ---------------------------------------------------------------------
 * The modes
 */

static inline int
fwd_raw_macswap(struct rte_mbuf *m)
{
	struct rte_ether_hdr buf, *eth;

	if (unlikely(m->pkt_len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	eth = FWD_RAW_HDR(m, 0, struct rte_ether_hdr, &buf);
	fwd_swap_macs(eth);
	fwd_raw_put(m, 0, eth, sizeof(*eth), &buf);
	return FWD_PASS;
}

/* The EtherType of a packet of at least 14 bytes. */
static inline uint16_t
fwd_raw_ether_type(struct rte_mbuf *m)
{
	rte_be16_t buf;

	return *FWD_RAW_HDR(m, offsetof(struct rte_ether_hdr, ether_type),
			    rte_be16_t, &buf);
}

static inline int
fwd_raw_route(struct rte_mbuf *m)
{
	uint32_t len = m->pkt_len;
	struct rte_ipv4_hdr buf, *ip;
	int r;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	if (unlikely(!FWD_IS_IPV4(fwd_raw_ether_type(m))))
		return FWD_DROP_NOT_IPV4;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;
	ip = FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &buf);
	r = fwd_route_hdr(ip, len);
	if (r == FWD_PASS)
		fwd_raw_put(m, RTE_ETHER_HDR_LEN, ip, sizeof(*ip), &buf);
	return r;
}

static inline int
fwd_raw_arp(struct rte_mbuf *m, struct fwd_pctx *c)
{
	const struct fwd_l3_port *rp = &c->l3->port[c->rx_port];
	struct rte_arp_hdr buf;
	const struct rte_arp_hdr *a;
	struct fwd_arp_pkt o;
	bool reply;
	int r;

	if (m->pkt_len < RTE_ETHER_HDR_LEN + sizeof(*a))
		return FWD_DROP_BAD_ARP;
	a = FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN, const struct rte_arp_hdr, &buf);
	r = fwd_arp_check(a, rp->ip, &reply);
	if (reply) {
		fwd_arp_reply(&o, a, &rp->mac, rp->ip);
		fwd_gen_done(c, fwd_raw_build(c->mp, &o, sizeof(o), NULL, 0),
				 &c->gc.arp_replies);
	}
	return r;
}

/* ICMP error @e about @m, if due (fwd_icmp() in fwd_pkt.h). */
static inline int
fwd_raw_icmp(struct rte_mbuf *m, struct fwd_pctx *c,
	     const struct rte_ether_hdr *eth, uint32_t qlen,
	     const struct fwd_icmp_err *e)
{
	const struct fwd_l3_port *rp = &c->l3->port[c->rx_port];
	uint8_t q[FWD_ICMP_QUOTE_MAX];
	struct fwd_icmp_hdrs h;

	if (rp->ip == 0) {
		c->gc.icmp_suppressed++;
		return e->verdict;
	}
	fwd_raw_copy(m, RTE_ETHER_HDR_LEN, qlen, q);
	if (!fwd_icmp_wanted(eth, q, qlen)) {
		c->gc.icmp_suppressed++;
	} else if (!fwd_tb_take(c->tb, rte_rdtsc())) {
		c->gc.icmp_limited++;
	} else {
		fwd_icmp_build(&h, e, eth, q, qlen, &rp->mac, rp->ip);
		fwd_gen_done(c, fwd_raw_build(c->mp, &h, sizeof(h), q, qlen),
				 &c->gc.icmp_sent);
	}
	return e->verdict;
}

static inline int
fwd_raw_route_l3(struct rte_mbuf *m, struct fwd_pctx *c)
{
	const struct fwd_l3 *l3 = c->l3;
	uint32_t len = m->pkt_len, qlen;
	struct rte_ether_hdr ebuf, eth, *e;
	struct rte_ipv4_hdr buf, *ip;
	int r;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	eth = *FWD_RAW_HDR(m, 0, struct rte_ether_hdr, &ebuf);
	if (unlikely(!FWD_IS_IPV4(eth.ether_type))) {
		if (eth.ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP) &&
		    l3->port[c->rx_port].ip != 0)
			return fwd_raw_arp(m, c);
		return FWD_DROP_NOT_IPV4;
	}
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;
	ip = FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &buf);
	r = fwd_l3_decide(l3, ip, len, c->tx_port, &c->out_port);
	if (unlikely(r == FWD_DROP_TTL_EXCEEDED)) {
		qlen = fwd_icmp_quote_len(ip);
		return fwd_raw_icmp(m, c, &eth, qlen, &fwd_icmp_ttl);
	}
	if (r != FWD_PASS)
		return r;
	fwd_ttl_dec(ip);
	fwd_raw_put(m, RTE_ETHER_HDR_LEN, ip, sizeof(*ip), &buf);
	if (l3->port[c->out_port].has_eth_dest) {
		e = FWD_RAW_HDR(m, 0, struct rte_ether_hdr, &ebuf);
		fwd_l2_set(e, &l3->port[c->out_port]);
		fwd_raw_put(m, 0, e, sizeof(*e), &ebuf);
	}
	return FWD_PASS;
}

/* The flow hash of encap step 4 (fwd_encap_hash() in fwd_pkt.h). */
static inline uint32_t
fwd_raw_encap_hash(struct rte_mbuf *m, uint32_t len)
{
	struct rte_ether_hdr ebuf;
	struct rte_ipv4_hdr ibuf;
	const struct rte_ether_hdr *eth;
	uint8_t key[13];
	uint32_t hl;
	bool ports;

	eth = FWD_RAW_HDR(m, 0, const struct rte_ether_hdr, &ebuf);
	if (!FWD_IS_IPV4(eth->ether_type) ||
	    len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr))
		return fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
	hl = fwd_flow_key(FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN,
				      const struct rte_ipv4_hdr, &ibuf),
			  len, key, &ports);
	if (hl == 0)
		return fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
	if (ports)
		fwd_raw_copy(m, RTE_ETHER_HDR_LEN + hl, 4, key + 9);
	return fwd_fnv1a(FWD_FNV_BASIS, key, ports ? 13 : 9);
}

static inline int
fwd_raw_encap_one(struct rte_mbuf **mp, const struct fwd_encap *e)
{
	uint32_t len = (*mp)->pkt_len;
	struct fwd_encap_hdr h;
	int rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	if (unlikely(len > FWD_ENCAP_MAX_FRAME))
		return FWD_DROP_TOO_BIG;
	h = e->hdr;
	fwd_encap_fill(&h, e, len, fwd_raw_encap_hash(*mp, len));
	rc = fwd_raw_prepend(mp, &h, FWD_ENCAP_LEN);
	if (unlikely(rc != 0))
		return rc == -ENOMEM ? FWD_DROP_NO_MBUF : FWD_DROP_TOO_BIG;
	return FWD_PASS;
}

static inline int
fwd_raw_decap_one(struct rte_mbuf **mp)
{
	struct rte_mbuf *m = *mp;
	uint32_t len = m->pkt_len, l4 = 0, end = 0, ulen = 0;
	struct rte_ipv4_hdr ibuf;
	struct rte_udp_hdr ubuf;
	uint8_t flags, fbuf;
	int r;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	if (!FWD_IS_IPV4(fwd_raw_ether_type(m)))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)))
		return FWD_DROP_SHORT;
	r = fwd_decap_ip(FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN,
				     const struct rte_ipv4_hdr, &ibuf),
			 len, &l4, &end);
	if (r != FWD_PASS)
		return r;
	r = fwd_decap_udp(FWD_RAW_HDR(m, l4, const struct rte_udp_hdr, &ubuf),
			  l4, end, &ulen);
	if (r != FWD_PASS)
		return r;
	flags = *FWD_RAW_HDR(m, l4 + sizeof(struct rte_udp_hdr),
			     const uint8_t, &fbuf);
	r = fwd_decap_vxlan(flags, ulen);
	if (r != FWD_PASS)
		return r;
	/* Keep the inner frame, [l4 + 16, l4 + ulen). */
	fwd_raw_cut(mp, l4 + sizeof(struct rte_udp_hdr) +
			sizeof(struct rte_vxlan_hdr),
		    ulen - sizeof(struct rte_udp_hdr) -
			sizeof(struct rte_vxlan_hdr));
	return FWD_PASS;
}

/*
 * Run @mode on the packet *@m: the contract of fwd_packet_ctx() (fwd_pkt.h)
 * on an mbuf chain; *@m is the packet after it (a new head after encap
 * without headroom or decap), to transmit or free either way.
 */
static __rte_always_inline int
fwd_raw_packet(struct rte_mbuf **m, const enum fwd_mode mode,
	       struct fwd_pctx *c)
{
	unsigned int d;
	int r = FWD_PASS;

	switch (mode) {
	case FWD_MODE_MACSWAP:
		return fwd_raw_macswap(*m);
	case FWD_MODE_ROUTE:
		if (c->l3 != NULL)
			return fwd_raw_route_l3(*m, c);
		c->out_port = c->tx_port;
		return fwd_raw_route(*m);
	case FWD_MODE_ENCAP:
		for (d = 0; d < c->depth && r == FWD_PASS; d++)
			r = fwd_raw_encap_one(m, c->encap);
		return r;
	case FWD_MODE_DECAP:
		if (unlikely(fwd_pctx_arp(c)) &&
		    (*m)->pkt_len >= RTE_ETHER_HDR_LEN &&
		    fwd_raw_ether_type(*m) == RTE_BE16(RTE_ETHER_TYPE_ARP))
			return fwd_raw_arp(*m, c);
		for (d = 0; d < c->depth && r == FWD_PASS; d++)
			r = fwd_raw_decap_one(m);
		return r;
	default:
		return FWD_PASS;
	}
}

#endif /* FWD_RAW_H */
