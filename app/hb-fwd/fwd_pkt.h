/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef FWD_PKT_H
#define FWD_PKT_H

/*
 * hb-fwd's per-packet code: what each mode does to one packet held by a
 * struct hb_buf, as static inline functions. fwd.c runs them in its burst
 * loops; the packet fuzzer (tests/fuzz/fuzz_pkt.c) and the encap fault
 * test (tests/test_fwd_fault.c) run the very same code on packets they
 * build. Self-contained: needs HyperBuf and DPDK headers only, none of
 * hb-fwd's globals.
 *
 * One entry point, fwd_packet(): returns FWD_PASS (transmit) or the drop
 * reason (enum fwd_drop); every visitor it takes is released before it
 * returns, so the caller can always hb_buf_detach() (or hb_buf_free()).
 * What each mode checks, in which order, is in docs/hb-fwd.md.
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
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include <hyperbuf.h>

/* Forwarding modes (--mode). */
enum fwd_mode {
	FWD_MODE_IO,	  /* attach and detach only: HyperBuf's floor cost */
	FWD_MODE_MACSWAP, /* swap source and destination MAC */
	FWD_MODE_ROUTE,	  /* IPv4 TTL decrement, RFC 1624 checksum update */
	FWD_MODE_ENCAP,	  /* VXLAN encapsulation (50 bytes in front) */
	FWD_MODE_DECAP,	  /* VXLAN decapsulation */
	FWD_MODE_MAX
};

/*
 * Why a received packet was dropped. Each has a name used in the output,
 * the JSON file and telemetry; docs/hb-fwd.md says which mode checks what,
 * in which order.
 */
enum fwd_drop {
	FWD_DROP_SHORT,		/* too short for its headers */
	FWD_DROP_NOT_IPV4,	/* route: EtherType is not IPv4 */
	FWD_DROP_BAD_VERSION,	/* IPv4 version is not 4 */
	FWD_DROP_BAD_IHL,	/* IPv4 IHL below 5 */
	FWD_DROP_BAD_TOTAL_LEN, /* IPv4 total length below IHL or past the frame */
	FWD_DROP_TTL_EXCEEDED,	/* route: TTL 0 or 1 */
	FWD_DROP_NOT_VXLAN,	/* decap: not IPv4/UDP/4789 with the VXLAN I flag */
	FWD_DROP_FRAGMENT,	/* decap: outer IPv4 is a fragment */
	FWD_DROP_BAD_UDP_LEN,	/* decap: UDP length below 8 or past the datagram */
	FWD_DROP_TOO_BIG,	/* encap: result would pass IPv4 or mbuf limits */
	FWD_DROP_NO_MBUF,	/* encap: no mbuf for a new head segment */
	FWD_DROP_BAD_MBUF,	/* the PMD gave an inconsistent mbuf chain */
	FWD_DROP_HB_ERROR,	/* unexpected HyperBuf error (logged) */
	FWD_DROP_MAX
};

/* Returned by the per-packet functions for a packet to transmit. */
#define FWD_PASS (-1)

/* The 50 bytes VXLAN encapsulation puts in front of a frame. */
struct fwd_encap_hdr {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	struct rte_udp_hdr udp;
	struct rte_vxlan_hdr vxlan;
};
#define FWD_ENCAP_LEN 50
/* Outer IPv4 total length = frame + this. */
#define FWD_ENCAP_IP_EXTRA (FWD_ENCAP_LEN - RTE_ETHER_HDR_LEN)
/* Largest frame that can be encapsulated (IPv4 total length <= 65535). */
#define FWD_ENCAP_MAX_FRAME (UINT16_MAX - FWD_ENCAP_IP_EXTRA)
/* VXLAN flags: the I flag (valid VNI), first byte of the header. */
#define FWD_VXLAN_FLAG_I 0x08

static_assert(sizeof(struct fwd_encap_hdr) == FWD_ENCAP_LEN,
	      "VXLAN encapsulation is 50 bytes");

/* encap: what every packet of a stream gets in front (fwd_encap_init()). */
struct fwd_encap {
	/* outer IPv4 checksum with total length 0, host order */
	uint16_t cksum;
	/* outer headers, per-packet fields 0 */
	struct fwd_encap_hdr hdr;
};

/* Visits made during one burst; added to the lcore once per burst. */
struct fwd_visit_count {
	uint32_t visits;
	uint32_t bounced;
};

static inline void
fwd_visit_count(struct fwd_visit_count *vc, const struct hb_visitor *v)
{
	vc->visits++;
	vc->bounced += !hb_visitor_is_direct(v);
}

/* Release @v; a failure (a bug) turns the packet into an hb-error drop. */
static inline int
fwd_visit_done(struct hb_visitor *v, int r)
{
	return likely(hb_visit_release(v) == 0) ? r : FWD_DROP_HB_ERROR;
}

/* Drop reason for a visit that failed: short if it ran past the end. */
static inline int
fwd_visit_failed(int rc)
{
	return rc == -ERANGE ? FWD_DROP_SHORT : FWD_DROP_HB_ERROR;
}

/* ---------------------------------------------------------------------
 * Header helpers
 */

/* EtherType at offset 0 of @b (which holds at least 14 bytes). */
static inline int
fwd_read_ether_type(struct hb_buf *b, struct fwd_visit_count *vc,
		    uint16_t *type)
{
	struct hb_visitor v;
	int rc = HB_VISIT_READ(b, 0, struct rte_ether_hdr, &v);

	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	*type = HB_VIEW(&v, const struct rte_ether_hdr)->ether_type;
	return fwd_visit_done(&v, FWD_PASS);
}

/*
 * Checks shared by route and decap on the IPv4 header at offset 14 of a
 * frame of @len bytes, in this order: version, IHL, header inside the
 * frame, total length.
 */
static inline int
fwd_ipv4_check(const struct rte_ipv4_hdr *ip, uint32_t len)
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
fwd_cksum_fold(uint32_t sum)
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
fwd_cksum_update(uint16_t hc, uint16_t m, uint16_t m_new)
{
	uint32_t sum = (uint16_t)~hc;

	sum += (uint16_t)~m;
	sum += m_new;
	return (uint16_t)~fwd_cksum_fold(sum);
}

/* ---------------------------------------------------------------------
 * Modes: each returns FWD_PASS or a drop reason. Every visitor taken is
 * released before return, so the caller can always detach.
 */

/* macswap: swap destination and source MAC through a write visitor. */
static inline int
fwd_macswap(struct hb_buf *b, struct fwd_visit_count *vc)
{
	struct rte_ether_addr tmp;
	struct rte_ether_hdr *eth;
	struct hb_visitor v;
	int rc = HB_VISIT_WRITE(b, 0, struct rte_ether_hdr, 0, &v);

	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	eth = HB_VIEW(&v, struct rte_ether_hdr);
	tmp = eth->dst_addr;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
	return fwd_visit_done(&v, FWD_PASS);
}

/* route: validate IPv4, decrement TTL, update the checksum (RFC 1624). */
static inline int
fwd_route(struct hb_buf *b, struct fwd_visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	struct rte_ipv4_hdr *ip;
	struct hb_visitor v;
	uint16_t type, m;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = fwd_read_ether_type(b, vc, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (unlikely(type != RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return FWD_DROP_NOT_IPV4;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_WRITE(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, 0, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	ip = HB_VIEW(&v, struct rte_ipv4_hdr);
	r = fwd_ipv4_check(ip, len);
	if (likely(r == FWD_PASS)) {
		if (unlikely(ip->time_to_live <= 1)) {
			r = FWD_DROP_TTL_EXCEEDED;
		} else {
			/* TTL is the high byte of the word it shares with
			 * the protocol.
			 */
			m = (uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);
			ip->time_to_live--;
			ip->hdr_checksum = rte_cpu_to_be_16(fwd_cksum_update(
				rte_be_to_cpu_16(ip->hdr_checksum), m,
				(uint16_t)(m - 0x100)));
		}
	}
	return fwd_visit_done(&v, r);
}

/* FNV-1a, 32 bits: the flow hash behind the outer UDP source port. */
#define FWD_FNV_BASIS UINT32_C(2166136261)
#define FWD_FNV_PRIME UINT32_C(16777619)

static inline uint32_t
fwd_fnv1a(uint32_t h, const void *p, uint32_t len)
{
	const uint8_t *s = p;
	uint32_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * FWD_FNV_PRIME;
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
fwd_encap_hash(struct hb_buf *b, uint32_t len, struct fwd_visit_count *vc,
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
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &ve);
	eth = HB_VIEW(&ve, const struct rte_ether_hdr);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    len < RTE_ETHER_HDR_LEN + sizeof(*ip)) {
		*hash = fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
		return fwd_visit_done(&ve, FWD_PASS);
	}

	/* Read visitors share: the Ethernet view stays live meanwhile. */
	rc = HB_VISIT_READ(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &vi);
	if (unlikely(rc != 0))
		return fwd_visit_done(&ve, fwd_visit_failed(rc));
	fwd_visit_count(vc, &vi);
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
		*hash = fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
	}
	r = fwd_visit_done(&vi, FWD_PASS);
	r = fwd_visit_done(&ve, r);
	if (unlikely(r != FWD_PASS) || hl == 0)
		return r;

	if (ports) {
		rc = hb_visit_read(b, RTE_ETHER_HDR_LEN + hl, 4, &vp);
		if (unlikely(rc != 0))
			return fwd_visit_failed(rc);
		fwd_visit_count(vc, &vp);
		memcpy(key + 9, vp.ptr, 4);
		r = fwd_visit_done(&vp, FWD_PASS);
		if (unlikely(r != FWD_PASS))
			return r;
	}
	*hash = fwd_fnv1a(FWD_FNV_BASIS, key, ports ? 13 : 9);
	return FWD_PASS;
}

/* Put one VXLAN header in front of the frame held by @b. */
static inline int
fwd_encap_one(struct hb_buf *b, const struct fwd_encap *e,
	      struct fwd_visit_count *vc)
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
	r = fwd_encap_hash(b, len, vc, &hash);
	if (unlikely(r != FWD_PASS))
		return r;

	/*
	 * The constant part of the header, from the stream's template. In
	 * the headroom when there is room; otherwise HyperBuf chains a new
	 * head segment (the 50 bytes are never split).
	 */
	rc = hb_buf_prepend(b, &e->hdr, FWD_ENCAP_LEN);
	if (unlikely(rc != 0))
		return rc == -ENOMEM ? FWD_DROP_NO_MBUF :
		       rc == -E2BIG ? FWD_DROP_TOO_BIG : FWD_DROP_HB_ERROR;

	/* The per-packet fields, through a write visitor. */
	rc = HB_VISIT_WRITE(b, 0, struct fwd_encap_hdr, 0, &v);
	if (unlikely(rc != 0))
		return FWD_DROP_HB_ERROR;
	fwd_visit_count(vc, &v);
	h = HB_VIEW(&v, struct fwd_encap_hdr);
	tl = (uint16_t)(len + FWD_ENCAP_IP_EXTRA);
	h->ip.total_length = rte_cpu_to_be_16(tl);
	/* The template's checksum was computed with total length 0. */
	h->ip.hdr_checksum = rte_cpu_to_be_16(
		(uint16_t)~fwd_cksum_fold((uint32_t)(uint16_t)~e->cksum + tl));
	h->udp.src_port = rte_cpu_to_be_16(
		(uint16_t)(49152 + (hash & 0x3fff)));
	h->udp.dgram_len = rte_cpu_to_be_16((uint16_t)(len + FWD_ENCAP_LEN -
		RTE_ETHER_HDR_LEN - sizeof(struct rte_ipv4_hdr)));
	return fwd_visit_done(&v, FWD_PASS);
}

static inline int
fwd_encap(struct hb_buf *b, const struct fwd_encap *e,
	  struct fwd_visit_count *vc, unsigned int depth)
{
	unsigned int d;
	int r = FWD_PASS;

	for (d = 0; d < depth && r == FWD_PASS; d++)
		r = fwd_encap_one(b, e, vc);
	return r;
}

/* Remove one VXLAN encapsulation (see docs/hb-fwd.md for the checks). */
static inline int
fwd_decap_one(struct hb_buf *b, struct fwd_visit_count *vc)
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
	r = fwd_read_ether_type(b, vc, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_READ(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	ip = HB_VIEW(&v, const struct rte_ipv4_hdr);
	r = fwd_ipv4_check(ip, len);
	hl = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
	     RTE_IPV4_IHL_MULTIPLIER;
	end = RTE_ETHER_HDR_LEN + rte_be_to_cpu_16(ip->total_length);
	proto = ip->next_proto_id;
	frag = ip->fragment_offset;
	r = fwd_visit_done(&v, r);
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
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	udp = HB_VIEW(&v, const struct rte_udp_hdr);
	r = udp->dst_port == RTE_BE16(RTE_VXLAN_DEFAULT_PORT) ?
		FWD_PASS : FWD_DROP_NOT_VXLAN;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	r = fwd_visit_done(&v, r);
	if (r != FWD_PASS)
		return r;
	if (unlikely(ulen < sizeof(*udp) || l4 + ulen > end))
		return FWD_DROP_BAD_UDP_LEN;
	if (unlikely(ulen < sizeof(*udp) + sizeof(struct rte_vxlan_hdr)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_READ(b, l4 + sizeof(*udp), struct rte_vxlan_hdr, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	flags = *(const uint8_t *)v.ptr;
	r = fwd_visit_done(&v, FWD_PASS);
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
fwd_decap(struct hb_buf *b, struct fwd_visit_count *vc, unsigned int depth)
{
	unsigned int d;
	int r = FWD_PASS;

	for (d = 0; d < depth && r == FWD_PASS; d++)
		r = fwd_decap_one(b, vc);
	return r;
}

/*
 * Run @mode on the packet held by @b (attached, no visitor live):
 * FWD_PASS if it is to be transmitted, else the drop reason. @e: the
 * encapsulation (encap only, may be NULL otherwise); @depth: VXLAN layers
 * added or removed (encap, decap; 1..FWD_MAX_TUNNEL_DEPTH in hb-fwd);
 * @vc: visits counted. The packet stays in @b either way: the caller
 * detaches it (to transmit or free it). With @mode a compile-time constant
 * the switch folds away (hb-fwd's loops, one per mode).
 */
static __rte_always_inline int
fwd_packet(struct hb_buf *b, const enum fwd_mode mode,
	   const struct fwd_encap *e, unsigned int depth,
	   struct fwd_visit_count *vc)
{
	switch (mode) {
	case FWD_MODE_MACSWAP:
		return fwd_macswap(b, vc);
	case FWD_MODE_ROUTE:
		return fwd_route(b, vc);
	case FWD_MODE_ENCAP:
		return fwd_encap(b, e, vc, depth);
	case FWD_MODE_DECAP:
		return fwd_decap(b, vc, depth);
	default:
		return FWD_PASS;
	}
}

/*
 * The encapsulation template: outer Ethernet @dst_mac <- @src_mac (the TX
 * port's), IPv4 @ip_src -> @ip_dst (DF, TTL 64, UDP), UDP to 4789, VXLAN
 * with the I flag and @vni. Per-packet fields (IPv4 total length and
 * checksum, UDP source port and length) are left 0; e->cksum is the IPv4
 * checksum with total length 0, which fwd_encap_one() completes.
 */
static inline void
fwd_encap_init(struct fwd_encap *e, const struct rte_ether_addr *dst_mac,
	       const struct rte_ether_addr *src_mac, rte_be32_t ip_src,
	       rte_be32_t ip_dst, uint32_t vni)
{
	struct fwd_encap_hdr *h = &e->hdr;

	memset(h, 0, sizeof(*h));
	h->eth.dst_addr = *dst_mac;
	h->eth.src_addr = *src_mac;
	h->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = RTE_IPV4_VHL_DEF;
	h->ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	h->ip.time_to_live = 64;
	h->ip.next_proto_id = IPPROTO_UDP;
	h->ip.src_addr = ip_src;
	h->ip.dst_addr = ip_dst;
	h->ip.total_length = 0;
	h->ip.hdr_checksum = 0;
	e->cksum = rte_be_to_cpu_16(rte_ipv4_cksum(&h->ip));
	h->ip.hdr_checksum = 0; /* set per packet */
	h->udp.dst_port = RTE_BE16(RTE_VXLAN_DEFAULT_PORT);
	h->vxlan.vx_flags = RTE_BE32((uint32_t)FWD_VXLAN_FLAG_I << 24);
	h->vxlan.vx_vni = rte_cpu_to_be_32(vni << 8);
}

#endif /* FWD_PKT_H */
