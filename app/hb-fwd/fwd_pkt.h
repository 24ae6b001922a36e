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
 * Two parts:
 *  - what does not depend on how the bytes are reached (drop reasons, the
 *    checks on a header once it is in hand, checksums, the flow hash, the
 *    VXLAN template, the router's decisions and the ARP reply and ICMP
 *    error it builds): shared with the raw engine (fwd_raw.h, the same
 *    modes in plain rte_pktmbuf_mtod() code, hb-fwd --engine raw), so
 *    that both make the same decisions and the same bytes;
 *  - the HyperBuf engine: headers read and changed through visitors.
 *
 * Entry points: fwd_packet() (the modes without router state, as used by
 * the tests) and fwd_packet_ctx() (everything, with a struct fwd_pctx):
 * they return FWD_PASS (transmit) or the drop reason (enum fwd_drop);
 * every visitor taken is released before they return, so the caller can
 * always hb_buf_detach() (or hb_buf_free()). What each mode checks, in
 * which order, is in docs/hb-fwd.md.
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
#include <rte_ether.h>
#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_lpm.h>
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
	FWD_MODE_FRAG,	  /* IPv4 fragmentation to the TX port's MTU */
	FWD_MODE_REASM,	  /* IPv4 reassembly */
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
	FWD_DROP_LOCAL,		/* router: for hb-fwd itself (ARP, its address,
				 * broadcast, multicast): not forwarded */
	FWD_DROP_BAD_ARP,	/* router: malformed ARP */
	FWD_DROP_NO_ROUTE,	/* router: no --route matches the destination */
	FWD_DROP_FRAG_NEEDED,	/* frag: DF set on a packet over the MTU */
	FWD_DROP_BAD_FRAGMENT,	/* frag, reasm: not a valid fragment */
	FWD_DROP_REASM_DUP,	/* reasm: every byte of it held already */
	FWD_DROP_REASM_OVERLAP, /* reasm: its datagram had overlapping pieces */
	FWD_DROP_REASM_TIMEOUT, /* reasm: its datagram was not complete in time */
	FWD_DROP_REASM_TABLE_FULL, /* reasm: oldest datagram, table full */
	FWD_DROP_REASM_MEM,	/* reasm: oldest datagram, too many mbufs held */
	FWD_DROP_REASM_FLUSH,	/* reasm: incomplete at exit */
	FWD_DROP_IP_FRAG,	/* reasm, raw engine: librte_ip_frag dropped it */
	FWD_DROP_MAX
};

/* Returned by the per-packet functions for a packet to transmit. */
#define FWD_PASS (-1)
/* reasm: the fragment went into the reassembly table (nothing to send). */
#define FWD_HELD (-2)

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

/* ---------------------------------------------------------------------
 * Shared by both engines: checks on headers in hand, checksums, hashes
 */

/* True for the EtherType of IPv4 (@type as in the frame). */
#define FWD_IS_IPV4(type) ((type) == RTE_BE16(RTE_ETHER_TYPE_IPV4))

/* IHL in bytes of an IPv4 header. */
static inline uint32_t
fwd_ipv4_hl(const struct rte_ipv4_hdr *ip)
{
	return (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
	       RTE_IPV4_IHL_MULTIPLIER;
}

/*
 * Checks shared by route and decap on the IPv4 header at offset 14 of a
 * frame of @len bytes, in this order: version, IHL, header inside the
 * frame, total length.
 */
static inline int
fwd_ipv4_check(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	uint32_t hl = fwd_ipv4_hl(ip);
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

/* route: TTL - 1 and the checksum updated (RFC 1624), in place. */
static inline void
fwd_ttl_dec(struct rte_ipv4_hdr *ip)
{
	/* TTL is the high byte of the word it shares with the protocol. */
	uint16_t m = (uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);

	ip->time_to_live--;
	ip->hdr_checksum = rte_cpu_to_be_16(fwd_cksum_update(
		rte_be_to_cpu_16(ip->hdr_checksum), m, (uint16_t)(m - 0x100)));
}

/* route (plain): the checks, then TTL - 1. */
static inline int
fwd_route_hdr(struct rte_ipv4_hdr *ip, uint32_t len)
{
	int r = fwd_ipv4_check(ip, len);

	if (likely(r == FWD_PASS)) {
		if (unlikely(ip->time_to_live <= 1))
			return FWD_DROP_TTL_EXCEEDED;
		fwd_ttl_dec(ip);
	}
	return r;
}

/* macswap on an Ethernet header in hand. */
static inline void
fwd_swap_macs(struct rte_ether_hdr *eth)
{
	struct rte_ether_addr tmp = eth->dst_addr;

	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
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
 * The flow key of the inner IPv4 header @ip of a frame of @len bytes
 * (RFC 7348: the outer source port comes from a hash of the inner
 * headers, so that one flow keeps one path): source and destination
 * address and protocol in key[0..8]. Returns the IHL in bytes, or 0 when
 * the header is not usable (version not 4 or IHL under 5: the caller then
 * hashes the Ethernet header). *ports: the 4 port bytes at 14 + IHL are to
 * be appended (TCP or UDP, not a fragment, inside the frame).
 */
static inline uint32_t
fwd_flow_key(const struct rte_ipv4_hdr *ip, uint32_t len, uint8_t key[13],
	     bool *ports)
{
	uint32_t hl = fwd_ipv4_hl(ip);

	*ports = false;
	if ((ip->version_ihl >> 4) != 4 || hl < sizeof(*ip))
		return 0;
	memcpy(key, &ip->src_addr, 4);
	memcpy(key + 4, &ip->dst_addr, 4);
	key[8] = ip->next_proto_id;
	*ports = (ip->next_proto_id == IPPROTO_TCP ||
		  ip->next_proto_id == IPPROTO_UDP) &&
		 (ip->fragment_offset &
		  RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
		 len >= RTE_ETHER_HDR_LEN + hl + 4;
	return hl;
}

/* The per-packet fields of one encapsulation layer around @len bytes. */
static inline void
fwd_encap_fill(struct fwd_encap_hdr *h, const struct fwd_encap *e,
	       uint32_t len, uint32_t hash)
{
	uint16_t tl = (uint16_t)(len + FWD_ENCAP_IP_EXTRA);

	h->ip.total_length = rte_cpu_to_be_16(tl);
	/* The template's checksum was computed with total length 0. */
	h->ip.hdr_checksum = rte_cpu_to_be_16(
		(uint16_t)~fwd_cksum_fold((uint32_t)(uint16_t)~e->cksum + tl));
	h->udp.src_port = rte_cpu_to_be_16(
		(uint16_t)(49152 + (hash & 0x3fff)));
	h->udp.dgram_len = rte_cpu_to_be_16((uint16_t)(len + FWD_ENCAP_LEN -
		RTE_ETHER_HDR_LEN - sizeof(struct rte_ipv4_hdr)));
}

/*
 * decap steps 4 to 10 on the outer IPv4 header of a frame of @len bytes:
 * FWD_PASS with the offset of the UDP header (*l4) and the end of the
 * datagram (*end), or the drop reason.
 */
static inline int
fwd_decap_ip(const struct rte_ipv4_hdr *ip, uint32_t len, uint32_t *l4,
	     uint32_t *end)
{
	int r = fwd_ipv4_check(ip, len);

	if (unlikely(r != FWD_PASS))
		return r;
	if (ip->next_proto_id != IPPROTO_UDP)
		return FWD_DROP_NOT_VXLAN;
	if (ip->fragment_offset &
	    RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return FWD_DROP_FRAGMENT;
	*l4 = RTE_ETHER_HDR_LEN + fwd_ipv4_hl(ip);
	*end = RTE_ETHER_HDR_LEN + rte_be_to_cpu_16(ip->total_length);
	if (unlikely(*l4 + sizeof(struct rte_udp_hdr) > *end))
		return FWD_DROP_SHORT;
	return FWD_PASS;
}

/* decap steps 11 to 13 on the UDP header at @l4: *ulen its length. */
static inline int
fwd_decap_udp(const struct rte_udp_hdr *udp, uint32_t l4, uint32_t end,
	      uint32_t *ulen)
{
	if (udp->dst_port != RTE_BE16(RTE_VXLAN_DEFAULT_PORT))
		return FWD_DROP_NOT_VXLAN;
	*ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(*ulen < sizeof(*udp) || l4 + *ulen > end))
		return FWD_DROP_BAD_UDP_LEN;
	if (unlikely(*ulen < sizeof(*udp) + sizeof(struct rte_vxlan_hdr)))
		return FWD_DROP_SHORT;
	return FWD_PASS;
}

/* decap steps 14 and 15 on the first byte of the VXLAN header. */
static inline int
fwd_decap_vxlan(uint8_t flags, uint32_t ulen)
{
	if (!(flags & FWD_VXLAN_FLAG_I))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(ulen < sizeof(struct rte_udp_hdr) +
			    sizeof(struct rte_vxlan_hdr) + RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	return FWD_PASS;
}

/* ---------------------------------------------------------------------
 * Shared by both engines: the router (--ip, --eth-dest, --route)
 */

/* Per-port layer 3 identity and next hop. */
struct fwd_l3_port {
	rte_be32_t ip;			/* --ip address; 0: none */
	bool has_eth_dest;		/* --eth-dest given */
	struct rte_ether_addr mac;	/* the port's own */
	struct rte_ether_addr eth_dest; /* --eth-dest: the next hop's */
};

/* Router state, read only while forwarding. */
struct fwd_l3 {
	struct rte_lpm *lpm;	/* --route table; NULL: the stream's peer */
	int32_t default_port;	/* --route 0.0.0.0/0 (no LPM depth 0), or -1 */
	uint32_t nb_addrs;
	rte_be32_t addrs[RTE_MAX_ETHPORTS]; /* every --ip address */
	struct fwd_l3_port port[RTE_MAX_ETHPORTS];
};

/*
 * Rate limit of the ICMP errors: a token bucket per lcore, in TSC cycles
 * of credit. Each error costs @cost cycles (hz / rate); the credit grows
 * with time up to @cap (cost x burst). cost 0: never send.
 */
struct fwd_tbucket {
	uint64_t credit;
	uint64_t last;
	uint64_t cost;
	uint64_t cap;
};

static inline void
fwd_tb_init(struct fwd_tbucket *tb, uint64_t hz, uint32_t rate,
	    uint32_t burst, uint64_t now)
{
	tb->cost = rate != 0 ? RTE_MAX(hz / rate, UINT64_C(1)) : 0;
	tb->cap = tb->cost * RTE_MAX(burst, 1u);
	tb->credit = tb->cap;
	tb->last = now;
}

/* Take one token at TSC @now: true if an error may be sent. */
static inline bool
fwd_tb_take(struct fwd_tbucket *tb, uint64_t now)
{
	uint64_t credit;

	if (tb->cost == 0)
		return false;
	credit = tb->credit + (now - tb->last);
	tb->last = now;
	if (credit > tb->cap)
		credit = tb->cap;
	if (credit < tb->cost) {
		tb->credit = credit;
		return false;
	}
	tb->credit = credit - tb->cost;
	return true;
}

/* Packets hb-fwd builds itself, counted per burst. */
struct fwd_gen_count {
	uint32_t arp_replies;	  /* ARP replies sent */
	uint32_t icmp_sent;	  /* ICMP errors sent (time exceeded, fragmentation needed) */
	uint32_t icmp_limited;	  /* ... not sent: rate limit */
	uint32_t icmp_suppressed; /* ... not sent: RFC 1812 rules, no --ip */
	uint32_t no_mbuf;	  /* not built: the pool was empty */
};

/*
 * What the per-packet code of one stream needs beyond the packet, and
 * what it gives back besides its verdict.
 */
struct fwd_pctx {
	const struct fwd_encap *encap;	/* encap: outer headers */
	unsigned int depth;		/* encap, decap: VXLAN layers */
	const struct fwd_l3 *l3;	/* router state; NULL: plain route */
	struct rte_mempool *mp;		/* built packets come from it */
	struct rte_mempool *mp_frag;	/* frag: fragments' new mbufs (NULL: mp) */
	struct fwd_tbucket *tb;		/* this lcore's ICMP bucket */
	uint16_t rx_port;		/* where the packet came in */
	uint16_t tx_port;		/* the peer, where it goes by default */
	uint16_t mtu;			/* frag: the TX port's MTU */
	/* Out, per packet. */
	uint16_t out_port;		/* route: where a FWD_PASS packet goes */
	struct rte_mbuf *gen;		/* a packet built, for rx_port, or NULL */
	/* Out, per burst. */
	struct fwd_gen_count gc;
};

/* Whole Ethernet frames hb-fwd builds (fixed part). */
struct fwd_arp_pkt {
	struct rte_ether_hdr eth;
	struct rte_arp_hdr arp;
} __rte_packed __rte_aligned(2);
#define FWD_ARP_LEN 42

struct fwd_icmp_hdrs {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	struct rte_icmp_hdr icmp;
} __rte_packed __rte_aligned(2);
#define FWD_ICMP_HDRS_LEN 42
/* The quote of an ICMP error: the IPv4 header and 8 bytes (RFC 792). */
#define FWD_ICMP_QUOTE_DATA 8
#define FWD_ICMP_QUOTE_MAX (60 + FWD_ICMP_QUOTE_DATA)
#define FWD_ICMP_TIME_EXCEEDED 11
/* Destination unreachable, fragmentation needed and DF set (RFC 792). */
#define FWD_ICMP_DEST_UNREACH 3
#define FWD_ICMP_FRAG_NEEDED 4

/*
 * An ICMP error: type, code, the second 32-bit word of its header (0, or
 * the next-hop MTU of RFC 1191 in its low 16 bits), and the drop reason
 * of the packet it answers.
 */
struct fwd_icmp_err {
	uint8_t type;
	uint8_t code;
	uint32_t rest;
	int verdict;
};

/* route: TTL 0 or 1. */
static const struct fwd_icmp_err fwd_icmp_ttl = {
	FWD_ICMP_TIME_EXCEEDED, 0, 0, FWD_DROP_TTL_EXCEEDED
};
/* IP precedence "internetwork control" (RFC 1812 4.3.2.5), as Linux. */
#define FWD_ICMP_TOS 0xc0

static_assert(sizeof(struct fwd_arp_pkt) == FWD_ARP_LEN, "ARP frame");
static_assert(sizeof(struct fwd_icmp_hdrs) == FWD_ICMP_HDRS_LEN,
	      "ICMP headers");

/* Count a built packet (or its failure) and keep it for the caller. */
static inline void
fwd_gen_done(struct fwd_pctx *c, struct rte_mbuf *m, uint32_t *sent)
{
	c->gen = m;
	if (m != NULL)
		(*sent)++;
	else
		c->gc.no_mbuf++;
}

/* Destinations no router forwards: limited broadcast and multicast. */
static inline bool
fwd_ipv4_link_only(rte_be32_t dst)
{
	uint32_t a = rte_be_to_cpu_32(dst);

	return a == UINT32_MAX || (a >> 28) == 0xe;
}

/*
 * The router's decision on a valid-looking IPv4 header (after the
 * EtherType check): the checks of fwd_ipv4_check(); then local (one of
 * hb-fwd's --ip addresses, limited broadcast, multicast); TTL 0 or 1;
 * the output port (--route: longest prefix match, no match: no_route;
 * without --route: @peer).
 */
static inline int
fwd_l3_decide(const struct fwd_l3 *l3, const struct rte_ipv4_hdr *ip,
	      uint32_t len, uint16_t peer, uint16_t *out)
{
	int r = fwd_ipv4_check(ip, len);
	uint32_t i, hop;

	if (unlikely(r != FWD_PASS))
		return r;
	if (unlikely(fwd_ipv4_link_only(ip->dst_addr)))
		return FWD_DROP_LOCAL;
	for (i = 0; i < l3->nb_addrs; i++)
		if (unlikely(ip->dst_addr == l3->addrs[i]))
			return FWD_DROP_LOCAL;
	if (unlikely(ip->time_to_live <= 1))
		return FWD_DROP_TTL_EXCEEDED;
	if (l3->lpm == NULL) {
		*out = peer;
		return FWD_PASS;
	}
	if (rte_lpm_lookup(l3->lpm, rte_be_to_cpu_32(ip->dst_addr), &hop) != 0) {
		if (l3->default_port < 0)
			return FWD_DROP_NO_ROUTE;
		hop = (uint32_t)l3->default_port;
	}
	*out = (uint16_t)hop;
	return FWD_PASS;
}

/* route with --eth-dest for @out: the next hop's MAC <- the port's. */
static inline void
fwd_l2_set(struct rte_ether_hdr *eth, const struct fwd_l3_port *op)
{
	eth->dst_addr = op->eth_dest;
	eth->src_addr = op->mac;
}

/*
 * An ARP packet received on a port whose address is @ip: FWD_DROP_BAD_ARP
 * if malformed (not Ethernet/IPv4 with 6- and 4-byte addresses, an
 * operation other than request or reply, a sender MAC that is zero,
 * multicast or broadcast); FWD_DROP_LOCAL otherwise (ARP is never
 * forwarded), with *reply set for a request for @ip.
 */
static inline int
fwd_arp_check(const struct rte_arp_hdr *a, rte_be32_t ip, bool *reply)
{
	*reply = false;
	if (a->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    a->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    a->arp_hlen != RTE_ETHER_ADDR_LEN || a->arp_plen != 4)
		return FWD_DROP_BAD_ARP;
	if (a->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) &&
	    a->arp_opcode != RTE_BE16(RTE_ARP_OP_REPLY))
		return FWD_DROP_BAD_ARP;
	if (!rte_is_valid_assigned_ether_addr(&a->arp_data.arp_sha))
		return FWD_DROP_BAD_ARP;
	*reply = a->arp_opcode == RTE_BE16(RTE_ARP_OP_REQUEST) &&
		 a->arp_data.arp_tip == ip;
	return FWD_DROP_LOCAL;
}

/* The reply to ARP request @req for @ip, from @mac (RFC 826). */
static inline void
fwd_arp_reply(struct fwd_arp_pkt *o, const struct rte_arp_hdr *req,
	      const struct rte_ether_addr *mac, rte_be32_t ip)
{
	o->eth.dst_addr = req->arp_data.arp_sha;
	o->eth.src_addr = *mac;
	o->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	o->arp.arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	o->arp.arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	o->arp.arp_hlen = RTE_ETHER_ADDR_LEN;
	o->arp.arp_plen = 4;
	o->arp.arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	o->arp.arp_data.arp_sha = *mac;
	o->arp.arp_data.arp_sip = ip;
	o->arp.arp_data.arp_tha = req->arp_data.arp_sha;
	o->arp.arp_data.arp_tip = req->arp_data.arp_sip;
}

/* Length of the quote of an ICMP error about the datagram of @ip. */
static inline uint32_t
fwd_icmp_quote_len(const struct rte_ipv4_hdr *ip)
{
	return RTE_MIN(fwd_ipv4_hl(ip) + FWD_ICMP_QUOTE_DATA,
		       (uint32_t)rte_be_to_cpu_16(ip->total_length));
}

/* ICMP types that are queries (RFC 792, 950): errors may answer them. */
static inline bool
fwd_icmp_is_query(uint8_t type)
{
	return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

/*
 * Whether a datagram dropped for its TTL gets an ICMP time exceeded
 * (RFC 1812 4.3.2.7): not for a frame sent to a group MAC, a header whose
 * checksum does not verify, a fragment other than the first, a source that
 * is not a host (0/8, 127/8, multicast, 240/4 and broadcast), an ICMP
 * error or an ICMP datagram too short to say. @q: the @qlen bytes of the
 * quote (IPv4 header first).
 */
static inline bool
fwd_icmp_wanted(const struct rte_ether_hdr *eth, const uint8_t *q,
		uint32_t qlen)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)q;
	uint32_t hl = fwd_ipv4_hl(ip);
	uint32_t src = rte_be_to_cpu_32(ip->src_addr);

	if (!rte_is_unicast_ether_addr(&eth->dst_addr))
		return false;
	if (rte_raw_cksum(q, hl) != 0xffff)
		return false;
	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
		return false;
	if ((src >> 24) == 0 || (src >> 24) == 127 || (src >> 28) >= 0xe)
		return false;
	if (ip->next_proto_id == IPPROTO_ICMP &&
	    (qlen <= hl || !fwd_icmp_is_query(q[hl])))
		return false;
	return true;
}

/*
 * The headers of ICMP error @e (RFC 792) about the frame whose Ethernet
 * header is @eth and whose quote is @q (@qlen bytes), sent back to the
 * previous hop from @mac and @ip_src.
 */
static inline void
fwd_icmp_build(struct fwd_icmp_hdrs *h, const struct fwd_icmp_err *e,
	       const struct rte_ether_hdr *eth, const uint8_t *q,
	       uint32_t qlen, const struct rte_ether_addr *mac,
	       rte_be32_t ip_src)
{
	const struct rte_ipv4_hdr *in = (const struct rte_ipv4_hdr *)q;
	uint32_t sum;

	memset(h, 0, sizeof(*h));
	h->eth.dst_addr = eth->src_addr;
	h->eth.src_addr = *mac;
	h->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = RTE_IPV4_VHL_DEF;
	h->ip.type_of_service = FWD_ICMP_TOS;
	h->ip.total_length = rte_cpu_to_be_16((uint16_t)(sizeof(h->ip) +
		sizeof(h->icmp) + qlen));
	h->ip.time_to_live = 64;
	h->ip.next_proto_id = IPPROTO_ICMP;
	h->ip.src_addr = ip_src;
	h->ip.dst_addr = in->src_addr;
	h->ip.hdr_checksum = rte_ipv4_cksum(&h->ip);
	h->icmp.icmp_type = e->type;
	h->icmp.icmp_code = e->code;
	h->icmp.icmp_ident = rte_cpu_to_be_16((uint16_t)(e->rest >> 16));
	h->icmp.icmp_seq_nb = rte_cpu_to_be_16((uint16_t)e->rest);
	/* The ICMP header is 8 bytes: the quote's words start even. */
	sum = rte_raw_cksum(&h->icmp, sizeof(h->icmp));
	sum += rte_raw_cksum(q, qlen);
	h->icmp.icmp_cksum = (uint16_t)~fwd_cksum_fold(sum);
}

/* ---------------------------------------------------------------------
 * The HyperBuf engine: the modes on a struct hb_buf, through visitors.
 * Each returns FWD_PASS or a drop reason. Every visitor taken is
 * released before return, so the caller can always detach.
 */

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

/* A copy of the Ethernet header at offset 0 of @b (at least 14 bytes). */
static inline int
fwd_read_eth(struct hb_buf *b, struct fwd_visit_count *vc,
	     struct rte_ether_hdr *eth)
{
	struct hb_visitor v;
	int rc = HB_VISIT_READ(b, 0, struct rte_ether_hdr, &v);

	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	*eth = *HB_VIEW(&v, const struct rte_ether_hdr);
	return fwd_visit_done(&v, FWD_PASS);
}

/*
 * EtherType of the frame in @b (which holds at least 14 bytes), network
 * order: two bytes copied out (hb_buf_read()), no visitor.
 */
static inline int
fwd_read_ether_type(const struct hb_buf *b, uint16_t *type)
{
	int rc = hb_buf_read(b, offsetof(struct rte_ether_hdr, ether_type),
			     type, sizeof(*type));

	return likely(rc == 0) ? FWD_PASS : fwd_visit_failed(rc);
}

/* macswap: swap destination and source MAC through a write visitor. */
static inline int
fwd_macswap(struct hb_buf *b, struct fwd_visit_count *vc)
{
	struct hb_visitor v;
	int rc = HB_VISIT_WRITE(b, 0, struct rte_ether_hdr, 0, &v);

	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	fwd_swap_macs(HB_VIEW(&v, struct rte_ether_hdr));
	return fwd_visit_done(&v, FWD_PASS);
}

/* route: validate IPv4, decrement TTL, update the checksum (RFC 1624). */
static inline int
fwd_route(struct hb_buf *b, struct fwd_visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	struct hb_visitor v;
	uint16_t type;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = fwd_read_ether_type(b, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (unlikely(!FWD_IS_IPV4(type)))
		return FWD_DROP_NOT_IPV4;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_WRITE(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, 0, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	r = fwd_route_hdr(HB_VIEW(&v, struct rte_ipv4_hdr), len);
	return fwd_visit_done(&v, r);
}

/*
 * A packet built by hb-fwd (ARP reply, ICMP error) on a fresh buffer of
 * @mp: @body appended, then @hdr prepended in front of it (into the new
 * segment's headroom). NULL if the pool is empty.
 */
static inline struct rte_mbuf *
fwd_build(struct rte_mempool *mp, const void *hdr, uint32_t hlen,
	  const void *body, uint32_t blen)
{
	struct hb_buf nb;

	if (hb_buf_init(&nb, mp) != 0)
		return NULL;
	if ((blen == 0 || hb_buf_append(&nb, body, blen) == 0) &&
	    hb_buf_prepend(&nb, hdr, hlen) == 0)
		return hb_buf_detach(&nb);
	hb_buf_free(&nb);
	return NULL;
}

/* ARP on a port with an address: answer a request for it. */
static inline int
fwd_arp(struct hb_buf *b, struct fwd_pctx *c, uint32_t len,
	struct fwd_visit_count *vc)
{
	const struct fwd_l3_port *rp = &c->l3->port[c->rx_port];
	struct fwd_arp_pkt o;
	struct hb_visitor v;
	bool reply;
	int r, rc;

	if (len < RTE_ETHER_HDR_LEN + sizeof(struct rte_arp_hdr))
		return FWD_DROP_BAD_ARP;
	rc = HB_VISIT_READ(b, RTE_ETHER_HDR_LEN, struct rte_arp_hdr, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	r = fwd_arp_check(HB_VIEW(&v, const struct rte_arp_hdr), rp->ip,
			  &reply);
	if (reply)
		fwd_arp_reply(&o, HB_VIEW(&v, const struct rte_arp_hdr),
			      &rp->mac, rp->ip);
	r = fwd_visit_done(&v, r);
	if (reply && r != FWD_DROP_HB_ERROR)
		fwd_gen_done(c, fwd_build(c->mp, &o, sizeof(o), NULL, 0),
			     &c->gc.arp_replies);
	return r;
}

/*
 * A packet dropped for @e->verdict (TTL exceeded, fragmentation needed):
 * ICMP error @e back to the sender, if due. Returns @e->verdict.
 */
static inline int
fwd_icmp(struct hb_buf *b, struct fwd_pctx *c,
	 const struct rte_ether_hdr *eth, uint32_t qlen,
	 struct fwd_visit_count *vc, const struct fwd_icmp_err *e)
{
	const struct fwd_l3_port *rp = &c->l3->port[c->rx_port];
	struct fwd_icmp_hdrs h;
	struct hb_visitor v;
	int rc;

	if (rp->ip == 0) {
		c->gc.icmp_suppressed++;
		return e->verdict;
	}
	rc = hb_visit_read(b, RTE_ETHER_HDR_LEN, qlen, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	if (!fwd_icmp_wanted(eth, v.ptr, qlen)) {
		c->gc.icmp_suppressed++;
	} else if (!fwd_tb_take(c->tb, rte_rdtsc())) {
		c->gc.icmp_limited++;
	} else {
		fwd_icmp_build(&h, e, eth, v.ptr, qlen, &rp->mac, rp->ip);
		fwd_gen_done(c, fwd_build(c->mp, &h, sizeof(h), v.ptr, qlen),
			     &c->gc.icmp_sent);
	}
	return fwd_visit_done(&v, e->verdict);
}

/* route with router state (--ip, --eth-dest or --route given). */
static inline int
fwd_route_l3(struct hb_buf *b, struct fwd_pctx *c, struct fwd_visit_count *vc)
{
	const struct fwd_l3 *l3 = c->l3;
	uint32_t len = hb_buf_len(b), qlen = 0;
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr *ip;
	struct hb_visitor v;
	int r, rc;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = fwd_read_eth(b, vc, &eth);
	if (unlikely(r != FWD_PASS))
		return r;
	if (unlikely(!FWD_IS_IPV4(eth.ether_type))) {
		if (eth.ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP) &&
		    l3->port[c->rx_port].ip != 0)
			return fwd_arp(b, c, len, vc);
		return FWD_DROP_NOT_IPV4;
	}
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)))
		return FWD_DROP_SHORT;

	rc = HB_VISIT_WRITE(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, 0, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	ip = HB_VIEW(&v, struct rte_ipv4_hdr);
	r = fwd_l3_decide(l3, ip, len, c->tx_port, &c->out_port);
	if (likely(r == FWD_PASS))
		fwd_ttl_dec(ip);
	else if (r == FWD_DROP_TTL_EXCEEDED)
		qlen = fwd_icmp_quote_len(ip);
	r = fwd_visit_done(&v, r);
	if (unlikely(r == FWD_DROP_TTL_EXCEEDED))
		return fwd_icmp(b, c, &eth, qlen, vc, &fwd_icmp_ttl);
	if (r != FWD_PASS || !l3->port[c->out_port].has_eth_dest)
		return r;

	rc = HB_VISIT_WRITE(b, 0, struct rte_ether_hdr, 0, &v);
	if (unlikely(rc != 0))
		return fwd_visit_failed(rc);
	fwd_visit_count(vc, &v);
	fwd_l2_set(HB_VIEW(&v, struct rte_ether_hdr), &l3->port[c->out_port]);
	return fwd_visit_done(&v, FWD_PASS);
}

/*
 * Flow hash of the frame to encapsulate: the key of fwd_flow_key() for
 * usable IPv4, otherwise the 14-byte Ethernet header. Read-only, so read
 * with HB_BUF_PEEK(): a pointer into the segment, or a copy on the stack
 * when a header spans segments or is not aligned; no visitor to take and
 * give back.
 */
static inline int
fwd_encap_hash(const struct hb_buf *b, uint32_t len, uint32_t *hash)
{
	struct rte_ether_hdr ebuf;
	struct rte_ipv4_hdr ibuf;
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const void *ports_p;
	uint8_t key[13], pbuf[4];
	uint32_t hl;
	bool ports = false;

	eth = HB_BUF_PEEK(b, 0, struct rte_ether_hdr, &ebuf);
	if (unlikely(eth == NULL))
		return fwd_visit_failed(-rte_errno);
	if (!FWD_IS_IPV4(eth->ether_type) ||
	    len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)) {
		*hash = fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
		return FWD_PASS;
	}
	ip = HB_BUF_PEEK(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &ibuf);
	if (unlikely(ip == NULL))
		return fwd_visit_failed(-rte_errno);
	hl = fwd_flow_key(ip, len, key, &ports);
	if (hl == 0) {
		*hash = fwd_fnv1a(FWD_FNV_BASIS, eth, RTE_ETHER_HDR_LEN);
		return FWD_PASS;
	}
	if (ports) {
		ports_p = hb_buf_peek(b, RTE_ETHER_HDR_LEN + hl, 4, pbuf);
		if (unlikely(ports_p == NULL))
			return fwd_visit_failed(-rte_errno);
		memcpy(key + 9, ports_p, 4);
	}
	*hash = fwd_fnv1a(FWD_FNV_BASIS, key, ports ? 13 : 9);
	return FWD_PASS;
}

/*
 * Put one VXLAN header in front of the frame held by @b: the stream's
 * template with the per-packet fields, filled on the stack and prepended
 * in one call (into the headroom when there is room; otherwise HyperBuf
 * chains a new head segment, the 50 bytes never split).
 */
static inline int
fwd_encap_one(struct hb_buf *b, const struct fwd_encap *e,
	      struct fwd_visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	struct fwd_encap_hdr h;
	uint32_t hash = 0;
	int r, rc;

	RTE_SET_USED(vc);
	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	if (unlikely(len > FWD_ENCAP_MAX_FRAME))
		return FWD_DROP_TOO_BIG;
	r = fwd_encap_hash(b, len, &hash);
	if (unlikely(r != FWD_PASS))
		return r;
	h = e->hdr;
	fwd_encap_fill(&h, e, len, hash);
	rc = hb_buf_prepend(b, &h, FWD_ENCAP_LEN);
	if (unlikely(rc != 0))
		return rc == -ENOMEM ? FWD_DROP_NO_MBUF :
		       rc == -E2BIG ? FWD_DROP_TOO_BIG : FWD_DROP_HB_ERROR;
	return FWD_PASS;
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

/*
 * Remove one VXLAN encapsulation (see docs/hb-fwd.md for the checks). The
 * outer headers are only read: HB_BUF_PEEK(), as encap's flow key (a
 * pointer into the segment, or a copy on the stack when a header spans
 * segments); then a trim and an adj, without copying the inner frame.
 */
static inline int
fwd_decap_one(struct hb_buf *b, struct fwd_visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	uint32_t l4 = 0, end = 0, ulen = 0;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const uint8_t *flags;
	struct rte_ipv4_hdr ibuf;
	struct rte_udp_hdr ubuf;
	uint8_t fbuf;
	uint16_t type;
	int r, rc;

	RTE_SET_USED(vc);
	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return FWD_DROP_SHORT;
	r = fwd_read_ether_type(b, &type);
	if (unlikely(r != FWD_PASS))
		return r;
	if (!FWD_IS_IPV4(type))
		return FWD_DROP_NOT_VXLAN;
	if (unlikely(len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)))
		return FWD_DROP_SHORT;

	ip = HB_BUF_PEEK(b, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &ibuf);
	if (unlikely(ip == NULL))
		return fwd_visit_failed(-rte_errno);
	r = fwd_decap_ip(ip, len, &l4, &end);
	if (r != FWD_PASS)
		return r;

	udp = HB_BUF_PEEK(b, l4, struct rte_udp_hdr, &ubuf);
	if (unlikely(udp == NULL))
		return fwd_visit_failed(-rte_errno);
	r = fwd_decap_udp(udp, l4, end, &ulen);
	if (r != FWD_PASS)
		return r;

	/* The VXLAN flags (fwd_decap_udp() checked the 8 bytes are there). */
	flags = hb_buf_peek(b, l4 + sizeof(struct rte_udp_hdr), 1, &fbuf);
	if (unlikely(flags == NULL))
		return fwd_visit_failed(-rte_errno);
	r = fwd_decap_vxlan(*flags, ulen);
	if (r != FWD_PASS)
		return r;

	/* Keep [l4 + 16, l4 + ulen): drop the padding, then the headers. */
	rc = hb_buf_trim(b, len - (l4 + ulen));
	if (likely(rc == 0))
		rc = hb_buf_adj(b, l4 + sizeof(struct rte_udp_hdr) +
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
 * decap on a port with an address (a tunnel endpoint's underlay side):
 * its ARP is answered, so that the far end resolves it; everything else
 * is decapsulated.
 */
static inline int
fwd_decap_l3(struct hb_buf *b, struct fwd_pctx *c, struct fwd_visit_count *vc)
{
	uint32_t len = hb_buf_len(b);
	uint16_t type;
	int r;

	if (len >= RTE_ETHER_HDR_LEN) {
		r = fwd_read_ether_type(b, &type);
		if (unlikely(r != FWD_PASS))
			return r;
		if (type == RTE_BE16(RTE_ETHER_TYPE_ARP))
			return fwd_arp(b, c, len, vc);
	}
	return fwd_decap(b, vc, c->depth);
}

/* Whether decap on the stream's RX port answers ARP. */
static inline bool
fwd_pctx_arp(const struct fwd_pctx *c)
{
	return c->l3 != NULL && c->l3->port[c->rx_port].ip != 0;
}

/*
 * Run @mode on the packet held by @b (attached, no visitor live):
 * FWD_PASS if it is to be transmitted (to c->out_port in route mode, to
 * c->tx_port otherwise), else the drop reason; c->gen is a packet hb-fwd
 * built in answer (ARP reply, ICMP error) for c->rx_port, or NULL. @vc:
 * visits counted. The packet stays in @b either way: the caller detaches
 * it (to transmit or free it). With @mode a compile-time constant the
 * switch folds away (hb-fwd's loops, one per mode).
 */
static __rte_always_inline int
fwd_packet_ctx(struct hb_buf *b, const enum fwd_mode mode,
	       struct fwd_pctx *c, struct fwd_visit_count *vc)
{
	switch (mode) {
	case FWD_MODE_MACSWAP:
		return fwd_macswap(b, vc);
	case FWD_MODE_ROUTE:
		if (c->l3 != NULL)
			return fwd_route_l3(b, c, vc);
		c->out_port = c->tx_port;
		return fwd_route(b, vc);
	case FWD_MODE_ENCAP:
		return fwd_encap(b, c->encap, vc, c->depth);
	case FWD_MODE_DECAP:
		if (unlikely(fwd_pctx_arp(c)))
			return fwd_decap_l3(b, c, vc);
		return fwd_decap(b, vc, c->depth);
	default:
		return FWD_PASS;
	}
}

/*
 * The modes without router state (as before --ip, --eth-dest and
 * --route): @e the encapsulation (encap only, may be NULL otherwise),
 * @depth the VXLAN layers added or removed.
 */
static __rte_always_inline int
fwd_packet(struct hb_buf *b, const enum fwd_mode mode,
	   const struct fwd_encap *e, unsigned int depth,
	   struct fwd_visit_count *vc)
{
	struct fwd_pctx c;

	memset(&c, 0, sizeof(c));
	c.encap = e;
	c.depth = depth;
	return fwd_packet_ctx(b, mode, &c, vc);
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
