/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef FWD_FRAG_H
#define FWD_FRAG_H

/*
 * hb-fwd's IPv4 fragmentation (--mode frag) and reassembly (--mode reasm),
 * per packet, as static inline functions: hb-fwd's burst loops
 * (fwd_frag.c), the packet fuzzer and the fault test run the same code.
 * Self-contained: HyperBuf and DPDK headers only, none of hb-fwd's
 * globals.
 *
 * Two parts, as in fwd_pkt.h:
 *  - what both engines share: which packets are cut or joined, the
 *    checks, the IPv4 header of each fragment (RFC 791), the header of a
 *    reassembled datagram; the raw engine (fwd_frag_raw.h, librte_ip_frag)
 *    uses them too;
 *  - the HyperBuf engine: fragments cut with hb_buf_split() and given
 *    their headers with hb_buf_prepend(), no payload byte copied;
 *    fragments joined with hb_buf_concat() in a per-lcore table.
 *
 * Entry points: fwd_frag() and fwd_reasm() (with a table from
 * fwd_reasm_create()); docs/hb-fwd.md says what each checks, in which
 * order, and what the table does with duplicates, overlaps, time and
 * memory.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include <hyperbuf.h>

#include "fwd_pkt.h"

/* Fragments one packet can be cut into: 65515 payload bytes in 8. */
#define FWD_FRAG_MAX_OUT 8192
/* The end of any fragment's payload (RFC 791: a datagram of at most 65535
 * bytes with a header of at least 20). */
#define FWD_FRAG_MAX_END 65515u
/* The least MTU IPv4 allows (RFC 791): a 60-byte header and 8 bytes. */
#define FWD_FRAG_MIN_MTU 68u
/* fwd_frag_decide(): the packet is to be cut. */
#define FWD_FRAG_CUT (-3)
/* fwd_reasm_classify(): the packet is a fragment to reassemble. */
#define FWD_REASM_FRAG (-3)

static_assert(FWD_FRAG_MAX_OUT * 8 >= FWD_FRAG_MAX_END,
	      "every fragment of the largest datagram fits the output");

/* ---------------------------------------------------------------------
 * Shared by both engines
 */

/* frag: how a datagram too long for the MTU is cut. */
struct fwd_frag_plan {
	uint32_t hl;	/* IHL in bytes */
	uint32_t tl;	/* total length */
	uint32_t off;	/* its own fragment offset in bytes (a fragment cut again) */
	uint32_t fs;	/* payload bytes of every fragment but the last */
};

/*
 * frag steps 3 to 6 (docs/hb-fwd.md) on the IPv4 header at offset 14 of a
 * frame of @len bytes, longer than 14 + @mtu: the checks of
 * fwd_ipv4_check(), then FWD_PASS if the datagram fits the MTU (the frame
 * is long only by its Ethernet padding), FWD_DROP_FRAG_NEEDED if DF is
 * set, FWD_DROP_BAD_FRAGMENT if its payload would end past 65515, else
 * FWD_FRAG_CUT with @p filled.
 */
static inline int
fwd_frag_decide(const struct rte_ipv4_hdr *ip, uint32_t len, uint32_t mtu,
		struct fwd_frag_plan *p)
{
	int r = fwd_ipv4_check(ip, len);
	uint16_t fo;

	if (unlikely(r != FWD_PASS))
		return r;
	mtu = RTE_MAX(mtu, FWD_FRAG_MIN_MTU);
	p->hl = fwd_ipv4_hl(ip);
	p->tl = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(p->tl <= mtu))
		return FWD_PASS;
	fo = rte_be_to_cpu_16(ip->fragment_offset);
	if (fo & RTE_IPV4_HDR_DF_FLAG)
		return FWD_DROP_FRAG_NEEDED;
	p->off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) *
		 RTE_IPV4_HDR_OFFSET_UNITS;
	if (unlikely(p->off + p->tl - p->hl > FWD_FRAG_MAX_END))
		return FWD_DROP_BAD_FRAGMENT;
	/* RFC 791: every fragment but the last carries a multiple of 8. */
	p->fs = (mtu - p->hl) & ~(uint32_t)(RTE_IPV4_HDR_OFFSET_UNITS - 1);
	return FWD_FRAG_CUT;
}

/*
 * The IPv4 header of the fragments after the first (RFC 791 3.1, 3.2):
 * the 20 fixed bytes of @hdr (@hl bytes), then only the options whose
 * copied flag is set, padded with End of Option List to a multiple of 4
 * bytes; the IHL set accordingly. No-operation is not copied; the options
 * end at End of Option List, or at an option whose length byte is missing,
 * below 2 or past the header. The same header as librte_ip_frag's.
 * Returns its length.
 */
static inline uint32_t
fwd_frag_later_hdr(const uint8_t *hdr, uint32_t hl, uint8_t *out)
{
	uint32_t i = sizeof(struct rte_ipv4_hdr), n = i, ol;

	memcpy(out, hdr, n);
	while (i < hl) {
		uint8_t type = hdr[i];

		if (type == RTE_IPV4_HDR_OPT_EOL)
			break;
		if (type == RTE_IPV4_HDR_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hl)
			break;
		ol = hdr[i + 1];
		if (ol < 2 || ol > hl - i)
			break;
		if (RTE_IPV4_HDR_OPT_COPIED(type)) {
			memcpy(out + n, hdr + i, ol);
			n += ol;
		}
		i += ol;
	}
	while (n % RTE_IPV4_IHL_MULTIPLIER != 0)
		out[n++] = RTE_IPV4_HDR_OPT_EOL;
	out[0] = (uint8_t)((hdr[0] & 0xf0) | (n / RTE_IPV4_IHL_MULTIPLIER));
	return n;
}

/*
 * The per-fragment fields of @ip (its own IHL): total length for @plen
 * payload bytes, the fragment offset of the original (@fo, host order,
 * flags included) plus @dofs bytes, MF when @more (the last fragment keeps
 * the original's MF: a fragment cut again), and the checksum.
 */
static inline void
fwd_frag_hdr_fill(struct rte_ipv4_hdr *ip, uint16_t fo, uint32_t dofs,
		  uint32_t plen, bool more)
{
	fo = (uint16_t)(fo + (dofs / RTE_IPV4_HDR_OFFSET_UNITS));
	if (more)
		fo |= RTE_IPV4_HDR_MF_FLAG;
	ip->fragment_offset = rte_cpu_to_be_16(fo);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(fwd_ipv4_hl(ip) + plen));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* reasm: what a fragment holds. */
struct fwd_frag_info {
	uint32_t hl;	/* IHL in bytes */
	uint32_t tl;	/* total length */
	uint32_t off;	/* payload offset in the datagram, bytes */
	uint32_t end;	/* ... and its end */
	bool mf;	/* more fragments */
};

/*
 * reasm steps 1 to 4 (docs/hb-fwd.md) on the IPv4 header at offset 14 of
 * a frame of @len >= 34 bytes whose EtherType is IPv4: FWD_PASS if it is
 * not a fragment (version not 4, or neither MF nor an offset: it passes
 * unchanged), a drop reason for a fragment that cannot be part of a valid
 * datagram (bad IHL or total length; no payload, a payload that is not a
 * multiple of 8 bytes before the last fragment, or that ends past 65515),
 * else FWD_REASM_FRAG with @fi filled.
 */
static inline int
fwd_reasm_classify(const struct rte_ipv4_hdr *ip, uint32_t len,
		   struct fwd_frag_info *fi)
{
	uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t plen;
	int r;

	if ((ip->version_ihl >> 4) != 4 ||
	    !(fo & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return FWD_PASS;
	r = fwd_ipv4_check(ip, len);
	if (unlikely(r != FWD_PASS))
		return r;
	fi->hl = fwd_ipv4_hl(ip);
	fi->tl = rte_be_to_cpu_16(ip->total_length);
	fi->off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) *
		  RTE_IPV4_HDR_OFFSET_UNITS;
	fi->mf = (fo & RTE_IPV4_HDR_MF_FLAG) != 0;
	plen = fi->tl - fi->hl;
	fi->end = fi->off + plen;
	if (unlikely(plen == 0 ||
		     (fi->mf && plen % RTE_IPV4_HDR_OFFSET_UNITS != 0) ||
		     fi->end > FWD_FRAG_MAX_END))
		return FWD_DROP_BAD_FRAGMENT;
	return FWD_REASM_FRAG;
}

/*
 * The IPv4 header of a reassembled datagram, from its first fragment's
 * (@ip, its own IHL) and @total payload bytes: total length, fragment
 * field cleared but DF (as librte_ip_frag does), checksum. Returns
 * FWD_DROP_TOO_BIG, header unchanged, if the datagram would pass 65535
 * bytes (a first fragment with options).
 */
static inline int
fwd_reasm_hdr_fill(struct rte_ipv4_hdr *ip, uint32_t total)
{
	uint32_t tl = fwd_ipv4_hl(ip) + total;

	if (unlikely(tl > UINT16_MAX))
		return FWD_DROP_TOO_BIG;
	ip->total_length = rte_cpu_to_be_16((uint16_t)tl);
	ip->fragment_offset &= RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return FWD_PASS;
}

/* frag, on a DF packet over the MTU: fragmentation needed (RFC 1191). */
static inline struct fwd_icmp_err
fwd_icmp_frag_needed(uint32_t mtu)
{
	struct fwd_icmp_err e = {
		FWD_ICMP_DEST_UNREACH, FWD_ICMP_FRAG_NEEDED,
		RTE_MAX(mtu, FWD_FRAG_MIN_MTU) & 0xffff, FWD_DROP_FRAG_NEEDED
	};

	return e;
}

/* ---------------------------------------------------------------------
 * The HyperBuf engine: fragmentation
 */

/*
 * A copy of the @len header bytes at @off into @dst (hb_buf_peek(): a
 * pointer into the segment, copied once; bytes split across segments are
 * gathered into @dst directly). Headers only read are reached so, without
 * a visitor's acquire and release: both modes read them once per packet
 * and change them through write visitors.
 */
static inline int
fwd_peek(const struct hb_buf *b, uint32_t off, uint32_t len, void *dst)
{
	const void *p = hb_buf_peek(b, off, len, dst);

	if (unlikely(p == NULL))
		return rte_errno == ERANGE ? FWD_DROP_SHORT : FWD_DROP_HB_ERROR;
	if (p != dst)
		memcpy(dst, p, len);
	return FWD_PASS;
}

/* The headers in front of one fragment. */
struct fwd_frag_hdrs {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	uint8_t opts[40];
} __rte_packed __rte_aligned(2);

/* A fragment failed: everything made so far is freed; the drop reason. */
static inline int __rte_cold
fwd_frag_fail(struct rte_mbuf **out, uint32_t n, struct hb_buf *cur,
	      struct hb_buf *b, int rc)
{
	if (n != 0)
		rte_pktmbuf_free_bulk(out, n);
	if (cur != b)
		hb_buf_free(cur);
	return rc == -ENOMEM ? FWD_DROP_NO_MBUF :
	       rc == -E2BIG ? FWD_DROP_TOO_BIG : FWD_DROP_HB_ERROR;
}

/*
 * Cut the datagram of @b (Ethernet and IPv4 headers read into @h, @p the
 * plan) into fragments of at most 14 + MTU bytes, into @out.
 *
 * The first fragment keeps the packet's own headers, their fields
 * rewritten in place through a write visitor, and is split off. For each
 * later one, its headers are prepended to what is left (in front of the
 * indirect segment the previous split left, so HyperBuf chains a new head
 * segment) and it is split off. No payload byte is copied. The segments
 * HyperBuf takes (indirect ones for the splits, heads for the prepends)
 * come from @b's pool.
 */
static inline int
fwd_frag_cut(struct hb_buf *b, struct fwd_frag_hdrs *h,
	     const struct fwd_frag_plan *p, uint32_t len,
	     struct fwd_visit_count *vc, struct rte_mbuf **out,
	     uint32_t *nout)
{
	struct fwd_frag_hdrs later;
	struct hb_buf rest, *cur = b, *nxt = &rest, *t;
	uint32_t plen = p->tl - p->hl, done = 0, n = 0, hl = p->hl, k;
	uint16_t fo = rte_be_to_cpu_16(h->ip.fragment_offset);
	struct fwd_frag_hdrs *hk = h;
	struct hb_visitor v;
	int rc;

	rc = len > RTE_ETHER_HDR_LEN + p->tl ?
	     hb_buf_trim(b, len - RTE_ETHER_HDR_LEN - p->tl) : 0;
	if (likely(rc == 0))
		rc = hb_visit_write(b, RTE_ETHER_HDR_LEN, hl, 0, &v);
	if (unlikely(rc != 0))
		return FWD_DROP_HB_ERROR;
	fwd_visit_count(vc, &v);
	/* More than the MTU: more than one fragment. */
	k = p->fs;
	fwd_frag_hdr_fill(v.ptr, fo, 0, k, true);
	if (unlikely(hb_visit_release(&v) != 0))
		return FWD_DROP_HB_ERROR;
	if (p->off == 0 && p->hl > sizeof(struct rte_ipv4_hdr)) {
		/* Options: only the copied ones after the first. */
		later.eth = h->eth;
		hl = fwd_frag_later_hdr((const uint8_t *)&h->ip, p->hl,
					(uint8_t *)&later.ip);
		hk = &later;
	}
	for (;;) {
		rc = hb_buf_split(cur, hb_buf_len(cur) - (plen - done - k), nxt);
		if (unlikely(rc != 0))
			return fwd_frag_fail(out, n, cur, b, rc);
		out[n] = hb_buf_detach(cur);
		if (unlikely(out[n] == NULL))
			return fwd_frag_fail(out, n, nxt, b, -EINVAL);
		n++;
		t = cur;
		cur = nxt;
		nxt = t;
		done += k;
		k = RTE_MIN(p->fs, plen - done);
		fwd_frag_hdr_fill(&hk->ip, fo, done, k, done + k < plen);
		rc = hb_buf_prepend(cur, hk, RTE_ETHER_HDR_LEN + hl);
		if (unlikely(rc != 0))
			return fwd_frag_fail(out, n, cur, b, rc);
		if (done + k == plen)
			break;
	}
	out[n] = hb_buf_detach(cur);
	if (unlikely(out[n] == NULL))
		return fwd_frag_fail(out, n, cur, b, -EINVAL);
	*nout = n + 1;
	return FWD_PASS;
}

/*
 * frag (docs/hb-fwd.md) on the packet held by @b, the TX port's MTU in
 * c->mtu: FWD_PASS with *@nout 0 when @b holds the packet to transmit
 * (unchanged, or without its Ethernet padding), FWD_PASS with *@nout
 * fragments in @out (at most FWD_FRAG_MAX_OUT; @b is then empty), or the
 * drop reason (@b holds what is to be freed, possibly nothing). With
 * router state (c->l3), a DF packet gets an ICMP fragmentation needed.
 * The mbufs the fragments take come from c->mp_frag (or @b's own pool).
 */
static inline int
fwd_frag(struct hb_buf *b, struct fwd_pctx *c, struct fwd_visit_count *vc,
	 struct rte_mbuf **out, uint32_t *nout)
{
	uint32_t len = hb_buf_len(b), mtu = c->mtu;
	const struct rte_ipv4_hdr *ip;
	struct fwd_frag_plan p;
	struct fwd_frag_hdrs h;
	uint32_t qlen;
	int r;

	*nout = 0;
	if (likely(len <= RTE_ETHER_HDR_LEN + RTE_MAX(mtu, FWD_FRAG_MIN_MTU)))
		return FWD_PASS;
	/* Longer than 82 bytes: the Ethernet and fixed IPv4 headers are in. */
	r = fwd_peek(b, 0, RTE_ETHER_HDR_LEN + sizeof(h.ip), &h);
	if (unlikely(r != FWD_PASS))
		return r;
	ip = &h.ip;
	if (unlikely(!FWD_IS_IPV4(h.eth.ether_type)))
		return FWD_DROP_NOT_IPV4;
	r = fwd_frag_decide(ip, len, mtu, &p);
	if (r == FWD_PASS) {
		if (len > RTE_ETHER_HDR_LEN + p.tl &&
		    hb_buf_trim(b, len - RTE_ETHER_HDR_LEN - p.tl) != 0)
			return FWD_DROP_HB_ERROR;
		return FWD_PASS;
	}
	if (r == FWD_DROP_FRAG_NEEDED && c->l3 != NULL) {
		struct fwd_icmp_err e = fwd_icmp_frag_needed(mtu);

		qlen = fwd_icmp_quote_len(ip);
		return fwd_icmp(b, c, &h.eth, qlen, vc, &e);
	}
	if (r != FWD_FRAG_CUT)
		return r;
	if (p.hl > sizeof(h.ip)) {
		r = fwd_peek(b, RTE_ETHER_HDR_LEN + sizeof(h.ip),
			     p.hl - sizeof(h.ip), h.opts);
		if (unlikely(r != FWD_PASS))
			return r;
	}
	if (c->mp_frag != NULL) {
		/* The packet in a buffer whose new segments come from there. */
		struct hb_buf fb;

		if (unlikely(hb_buf_init(&fb, c->mp_frag) != 0 ||
			     hb_buf_concat(&fb, b) != 0))
			return FWD_DROP_HB_ERROR;
		r = fwd_frag_cut(&fb, &h, &p, len, vc, out, nout);
		if (unlikely(r != FWD_PASS) && hb_buf_concat(b, &fb) != 0) {
			hb_buf_free(&fb);
			return FWD_DROP_HB_ERROR;
		}
		return r;
	}
	return fwd_frag_cut(b, &h, &p, len, vc, out, nout);
}

/* ---------------------------------------------------------------------
 * The HyperBuf engine: the reassembly table
 */

#define FWD_REASM_NIL UINT32_MAX
/* Owners (streams of an lcore) whose drops the table counts apart. */
#define FWD_REASM_OWNERS 16

/* One contiguous piece of a datagram: fragments joined so far. */
struct fwd_reasm_run {
	struct hb_buf b;	/* the bytes; at offset 0, the first fragment's
				 * Ethernet and IPv4 headers come first */
	uint32_t start, end;	/* payload offsets [start, end) */
	uint32_t next;		/* next run by offset; the free list */
} __rte_cache_aligned;

/* A datagram being reassembled. */
struct fwd_reasm_dgram {
	rte_be32_t src, dst;	/* the key (RFC 791): addresses, ... */
	rte_be16_t id;		/* ... identification ... */
	uint8_t proto;		/* ... and protocol */
	uint8_t owner;		/* stream of its first fragment */
	uint32_t hnext;		/* hash chain; the free list */
	uint32_t older, newer;	/* age list (creation order) */
	uint32_t runs, last;	/* first and last run by offset */
	uint32_t total;		/* payload length, once the last fragment
				 * came; UINT32_MAX before */
	uint32_t nfrags;	/* fragments held */
	uint32_t first_hl;	/* IHL of the first fragment (offset 0) */
	uint32_t nsegs;		/* mbufs held */
	uint32_t bytes;		/* bytes held */
	uint64_t start;		/* TSC when its first fragment came */
};

/* What the table did to the fragments of one owner (added per burst). */
struct fwd_reasm_acct {
	uint64_t drops[FWD_DROP_MAX];	/* held fragments dropped, by reason */
	uint64_t joined;	/* fragments in reassembled datagrams */
	uint64_t reassembled;	/* datagrams */
};

/*
 * The reassembly table of one lcore (no lock: its lcore only). At most
 * max_dgrams datagrams in progress and max_segs mbufs held; datagrams in
 * an age list (the oldest is dropped first, on time-out and for room).
 */
struct fwd_reasm {
	uint32_t max_dgrams, max_segs;
	uint64_t timeout;	/* TSC cycles */
	uint32_t hmask;		/* buckets - 1 */
	uint32_t seed;		/* of the hash */
	uint32_t *bucket;
	struct fwd_reasm_dgram *dg;
	struct fwd_reasm_run *run;
	uint32_t free_dg, free_run;
	uint32_t oldest, newest;
	uint32_t cache;		/* the datagram found last */
	/* Now, and the most ever (read by others: relaxed loads). */
	uint32_t used, segs;
	uint64_t bytes;
	uint32_t used_max, segs_max;
	uint32_t dirty;		/* owners with accounting not collected */
	struct fwd_reasm_acct acct[FWD_REASM_OWNERS];
};

static inline void
fwd_reasm_free(struct fwd_reasm *t);

/*
 * A table for @max_dgrams datagrams in progress and @max_segs mbufs held
 * (both >= 1), datagrams timing out @timeout TSC cycles after their first
 * fragment, in memory of @socket. NULL with rte_errno set on failure.
 */
static inline struct fwd_reasm *
fwd_reasm_create(uint32_t max_dgrams, uint32_t max_segs, uint64_t timeout,
		 int socket)
{
	struct fwd_reasm *t;
	uint32_t i, nb;

	if (max_dgrams == 0 || max_segs == 0 || max_dgrams > (1u << 24) ||
	    max_segs > (1u << 26)) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("hb_fwd_reasm", sizeof(*t), RTE_CACHE_LINE_SIZE,
			       socket);
	if (t == NULL)
		goto nomem;
	nb = rte_align32pow2(max_dgrams * 2);
	t->bucket = rte_malloc_socket("hb_fwd_reasm_hash",
				      nb * sizeof(t->bucket[0]), 0, socket);
	t->dg = rte_zmalloc_socket("hb_fwd_reasm_dg",
				   max_dgrams * sizeof(t->dg[0]), 0, socket);
	/* Every run holds an mbuf at least: as many runs as mbufs held. */
	t->run = rte_zmalloc_socket("hb_fwd_reasm_run",
				    (size_t)max_segs * sizeof(t->run[0]),
				    RTE_CACHE_LINE_SIZE, socket);
	if (t->bucket == NULL || t->dg == NULL || t->run == NULL)
		goto nomem;
	t->max_dgrams = max_dgrams;
	t->max_segs = max_segs;
	t->timeout = timeout;
	t->hmask = nb - 1;
	t->seed = (uint32_t)rte_rand();
	for (i = 0; i < nb; i++)
		t->bucket[i] = FWD_REASM_NIL;
	for (i = 0; i < max_dgrams; i++)
		t->dg[i].hnext = i + 1 < max_dgrams ? i + 1 : FWD_REASM_NIL;
	for (i = 0; i < max_segs; i++)
		t->run[i].next = i + 1 < max_segs ? i + 1 : FWD_REASM_NIL;
	t->free_dg = 0;
	t->free_run = 0;
	t->oldest = t->newest = t->cache = FWD_REASM_NIL;
	return t;
nomem:
	fwd_reasm_free(t);
	rte_errno = ENOMEM;
	return NULL;
}

static inline uint32_t
fwd_reasm_hash(const struct fwd_reasm *t, rte_be32_t src, rte_be32_t dst,
	       uint32_t idp)
{
	uint32_t h = rte_hash_crc_4byte(src, t->seed);

	h = rte_hash_crc_4byte(dst, h);
	return rte_hash_crc_4byte(idp, h) & t->hmask;
}

/* The 32 bits of identification and protocol compared as one. */
#define FWD_REASM_IDP(id, proto) ((uint32_t)(id) << 8 | (proto))

/* Take @i out of its bucket and the age list; its runs are gone. */
static inline void
fwd_reasm_unlink(struct fwd_reasm *t, uint32_t i)
{
	struct fwd_reasm_dgram *d = &t->dg[i];
	uint32_t *pp = &t->bucket[fwd_reasm_hash(t, d->src, d->dst,
				 FWD_REASM_IDP(d->id, d->proto))];

	while (*pp != i)
		pp = &t->dg[*pp].hnext;
	*pp = d->hnext;
	if (d->older != FWD_REASM_NIL)
		t->dg[d->older].newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer != FWD_REASM_NIL)
		t->dg[d->newer].older = d->older;
	else
		t->newest = d->older;
	if (t->cache == i)
		t->cache = FWD_REASM_NIL;
	t->segs -= d->nsegs;
	t->bytes -= d->bytes;
	t->used--;
	d->hnext = t->free_dg;
	t->free_dg = i;
}

static inline void
fwd_reasm_run_put(struct fwd_reasm *t, uint32_t r)
{
	t->run[r].next = t->free_run;
	t->free_run = r;
}

/* Count @n fragments of @d's owner under @reason. */
static inline void
fwd_reasm_count(struct fwd_reasm *t, const struct fwd_reasm_dgram *d,
		int reason, uint32_t n)
{
	t->acct[d->owner].drops[reason] += n;
	t->dirty |= 1u << d->owner;
}

/*
 * Drop datagram @i: its fragments freed and counted under @reason, but
 * @mine of them (the caller's packet, which it counts itself).
 */
static inline void
fwd_reasm_drop(struct fwd_reasm *t, uint32_t i, int reason, uint32_t mine)
{
	struct fwd_reasm_dgram *d = &t->dg[i];
	uint32_t r = d->runs, nx;

	while (r != FWD_REASM_NIL) {
		nx = t->run[r].next;
		hb_buf_free(&t->run[r].b);
		fwd_reasm_run_put(t, r);
		r = nx;
	}
	fwd_reasm_count(t, d, reason, d->nfrags - mine);
	fwd_reasm_unlink(t, i);
}

/* Per burst, with the burst's TSC: drop the datagrams timed out. */
static inline void
fwd_reasm_expire(struct fwd_reasm *t, uint64_t now)
{
	while (t->oldest != FWD_REASM_NIL &&
	       now - t->dg[t->oldest].start > t->timeout)
		fwd_reasm_drop(t, t->oldest, FWD_DROP_REASM_TIMEOUT, 0);
}

/* Drop every datagram (counted as reasm_flush). */
static inline void
fwd_reasm_flush(struct fwd_reasm *t)
{
	while (t->oldest != FWD_REASM_NIL)
		fwd_reasm_drop(t, t->oldest, FWD_DROP_REASM_FLUSH, 0);
}

/* Flush and free @t (NULL: nothing). */
static inline void
fwd_reasm_free(struct fwd_reasm *t)
{
	if (t == NULL)
		return;
	if (t->dg != NULL && t->run != NULL && t->bucket != NULL)
		fwd_reasm_flush(t);
	rte_free(t->bucket);
	rte_free(t->dg);
	rte_free(t->run);
	rte_free(t);
}

/*
 * Merge run @r with the run after it (adjacent): its segments linked
 * after @r's with hb_buf_concat(), no byte copied.
 */
static inline int
fwd_reasm_merge(struct fwd_reasm *t, struct fwd_reasm_dgram *d, uint32_t r)
{
	struct fwd_reasm_run *a = &t->run[r];
	uint32_t nx = a->next;
	int rc = hb_buf_concat(&a->b, &t->run[nx].b);

	if (unlikely(rc != 0))
		return rc;
	a->end = t->run[nx].end;
	a->next = t->run[nx].next;
	if (d->last == nx)
		d->last = r;
	fwd_reasm_run_put(t, nx);
	return 0;
}

/*
 * Where [s, e) goes among @d's runs: 0 with *prev the run it follows
 * (FWD_REASM_NIL: first), FWD_DROP_REASM_DUP if a run holds all of it,
 * FWD_DROP_REASM_OVERLAP if it overlaps one only partly.
 */
static inline int
fwd_reasm_place(const struct fwd_reasm *t, const struct fwd_reasm_dgram *d,
		uint32_t s, uint32_t e, uint32_t *prev)
{
	uint32_t p = FWD_REASM_NIL, r = d->runs;

	/* In order, the usual case: after the last run. */
	if (d->last != FWD_REASM_NIL && s >= t->run[d->last].end) {
		*prev = d->last;
		return 0;
	}
	while (r != FWD_REASM_NIL && t->run[r].end <= s) {
		p = r;
		r = t->run[r].next;
	}
	if (r != FWD_REASM_NIL && e > t->run[r].start)
		return s >= t->run[r].start && e <= t->run[r].end ?
		       FWD_DROP_REASM_DUP : FWD_DROP_REASM_OVERLAP;
	*prev = p;
	return 0;
}

/* The datagram of this key, or a new one (the oldest dropped for room). */
static inline uint32_t
fwd_reasm_find(struct fwd_reasm *t, const struct rte_ipv4_hdr *ip,
	       uint64_t now, uint32_t owner)
{
	uint32_t idp = FWD_REASM_IDP(ip->packet_id, ip->next_proto_id);
	uint32_t h, i = t->cache;
	struct fwd_reasm_dgram *d;

	if (i != FWD_REASM_NIL) {
		d = &t->dg[i];
		if (d->src == ip->src_addr && d->dst == ip->dst_addr &&
		    FWD_REASM_IDP(d->id, d->proto) == idp)
			return i;
	}
	h = fwd_reasm_hash(t, ip->src_addr, ip->dst_addr, idp);
	for (i = t->bucket[h]; i != FWD_REASM_NIL; i = d->hnext) {
		d = &t->dg[i];
		if (d->src == ip->src_addr && d->dst == ip->dst_addr &&
		    FWD_REASM_IDP(d->id, d->proto) == idp) {
			t->cache = i;
			return i;
		}
	}
	if (t->used == t->max_dgrams)
		fwd_reasm_drop(t, t->oldest, FWD_DROP_REASM_TABLE_FULL, 0);
	i = t->free_dg;
	d = &t->dg[i];
	t->free_dg = d->hnext;
	d->src = ip->src_addr;
	d->dst = ip->dst_addr;
	d->id = ip->packet_id;
	d->proto = ip->next_proto_id;
	d->owner = (uint8_t)owner;
	d->hnext = t->bucket[h];
	t->bucket[h] = i;
	d->older = t->newest;
	d->newer = FWD_REASM_NIL;
	if (t->newest != FWD_REASM_NIL)
		t->dg[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
	d->runs = d->last = FWD_REASM_NIL;
	d->total = UINT32_MAX;
	d->nfrags = d->nsegs = d->bytes = d->first_hl = 0;
	d->start = now;
	t->used++;
	t->used_max = RTE_MAX(t->used_max, t->used);
	t->cache = i;
	return i;
}

/* Move the chain of @src into @dst (an empty buffer, not initialised). */
static inline int
fwd_reasm_move(struct hb_buf *dst, struct hb_buf *src)
{
	struct rte_mbuf *m = hb_buf_detach(src);

	return m != NULL ? hb_buf_attach(dst, m) : -EINVAL;
}

/*
 * The datagram @i, which the caller's fragment completed, is whole (one
 * run): its header completed through a write visitor (length, flags,
 * checksum), its chain detached into *@out.
 */
static inline int
fwd_reasm_done(struct fwd_reasm *t, uint32_t i, struct fwd_visit_count *vc,
	       struct rte_mbuf **out)
{
	struct fwd_reasm_dgram *d = &t->dg[i];
	struct fwd_reasm_acct *a = &t->acct[d->owner];
	uint32_t r = d->runs;
	struct hb_buf *b = &t->run[r].b;
	struct hb_visitor v;
	int rc, verdict;

	rc = hb_visit_write(b, RTE_ETHER_HDR_LEN, d->first_hl, 0, &v);
	if (unlikely(rc != 0)) {
		verdict = FWD_DROP_HB_ERROR;
	} else {
		fwd_visit_count(vc, &v);
		verdict = fwd_visit_done(&v, fwd_reasm_hdr_fill(v.ptr, d->total));
	}
	if (likely(verdict == FWD_PASS)) {
		*out = hb_buf_detach(b);
		if (unlikely(*out == NULL))
			verdict = FWD_DROP_HB_ERROR;
	}
	if (likely(verdict == FWD_PASS)) {
		a->joined += d->nfrags;
		a->reassembled++;
		t->dirty |= 1u << d->owner;
		fwd_reasm_run_put(t, r);
		d->runs = FWD_REASM_NIL;
		fwd_reasm_unlink(t, i);
		return FWD_PASS;
	}
	/* The one that completed it is the caller's to count. */
	fwd_reasm_drop(t, i, verdict, 1);
	return verdict;
}

/*
 * Put fragment @fi (IPv4 header @ip; the frame of @len bytes held by @b)
 * into its datagram; see fwd_reasm() for the result.
 */
static inline int
fwd_reasm_insert(struct fwd_reasm *t, struct hb_buf *b,
		 const struct rte_ipv4_hdr *ip, const struct fwd_frag_info *fi,
		 uint32_t len, uint64_t now, uint32_t owner,
		 struct fwd_visit_count *vc, struct rte_mbuf **out)
{
	struct fwd_reasm_dgram *d;
	struct fwd_reasm_run *n;
	uint32_t i, prev, r, nsegs, blen;
	int rc;

	/* Only the datagram stays; the first fragment keeps its headers. */
	rc = len > RTE_ETHER_HDR_LEN + fi->tl ?
	     hb_buf_trim(b, len - RTE_ETHER_HDR_LEN - fi->tl) : 0;
	if (likely(rc == 0) && fi->off != 0)
		rc = hb_buf_adj(b, RTE_ETHER_HDR_LEN + fi->hl);
	if (unlikely(rc != 0))
		return FWD_DROP_HB_ERROR;
	nsegs = hb_buf_nb_segs(b);
	blen = hb_buf_len(b);
	if (unlikely(nsegs > t->max_segs))
		return FWD_DROP_REASM_MEM;
	/* Room for its mbufs: the oldest datagrams go (maybe its own). */
	while (t->segs + nsegs > t->max_segs)
		fwd_reasm_drop(t, t->oldest, FWD_DROP_REASM_MEM, 0);

	i = fwd_reasm_find(t, ip, now, owner);
	d = &t->dg[i];
	/* The last fragment sets the end; nothing may pass it. */
	if (!fi->mf ? (d->total != UINT32_MAX && fi->end != d->total) ||
		      (d->last != FWD_REASM_NIL &&
		       t->run[d->last].end > fi->end) :
		      d->total != UINT32_MAX && fi->end > d->total)
		goto overlap;
	rc = fwd_reasm_place(t, d, fi->off, fi->end, &prev);
	if (rc == FWD_DROP_REASM_OVERLAP)
		goto overlap;
	if (rc != 0)
		return rc; /* a duplicate: this fragment alone */

	if (prev == d->last && prev != FWD_REASM_NIL &&
	    t->run[prev].end == fi->off) {
		/* In order: its segments linked after the last run's. */
		rc = hb_buf_concat(&t->run[prev].b, b);
		if (unlikely(rc != 0))
			return FWD_DROP_HB_ERROR;
		t->run[prev].end = fi->end;
	} else {
		/* A run of its own, linked in order, merged with neighbours. */
		r = t->free_run;
		n = &t->run[r];
		if (unlikely(fwd_reasm_move(&n->b, b) != 0))
			return FWD_DROP_HB_ERROR;
		t->free_run = n->next;
		n->start = fi->off;
		n->end = fi->end;
		if (prev == FWD_REASM_NIL) {
			n->next = d->runs;
			d->runs = r;
		} else {
			n->next = t->run[prev].next;
			t->run[prev].next = r;
		}
		if (n->next == FWD_REASM_NIL)
			d->last = r;
		if (n->next != FWD_REASM_NIL &&
		    t->run[n->next].start == n->end &&
		    fwd_reasm_merge(t, d, r) != 0)
			goto error;
		if (prev != FWD_REASM_NIL && t->run[prev].end == n->start &&
		    fwd_reasm_merge(t, d, prev) != 0)
			goto error;
	}
	d->nfrags++;
	d->nsegs += nsegs;
	d->bytes += blen;
	t->segs += nsegs;
	t->bytes += blen;
	t->segs_max = RTE_MAX(t->segs_max, t->segs);
	if (!fi->mf)
		d->total = fi->end;
	if (fi->off == 0)
		d->first_hl = fi->hl;

	/* Complete: one run, from the first fragment to the last. */
	r = d->runs;
	if (d->total == UINT32_MAX || t->run[r].start != 0 ||
	    t->run[r].end != d->total)
		return FWD_HELD;
	return fwd_reasm_done(t, i, vc, out);

overlap:
	/* RFC 5722 practice: the whole datagram goes, this one too. */
	fwd_reasm_drop(t, i, FWD_DROP_REASM_OVERLAP, 0);
	return FWD_DROP_REASM_OVERLAP;
error:
	/* This fragment is in the table now: it goes with its datagram. */
	d->nfrags++;
	d->nsegs += nsegs;
	d->bytes += blen;
	t->segs += nsegs;
	t->bytes += blen;
	fwd_reasm_drop(t, i, FWD_DROP_HB_ERROR, 1);
	return FWD_DROP_HB_ERROR;
}

/* The Ethernet and fixed IPv4 headers, as reasm reads them. */
struct fwd_eth_ip {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
} __rte_packed __rte_aligned(2);

/*
 * reasm (docs/hb-fwd.md) on the packet held by @b, received by stream
 * @owner (< FWD_REASM_OWNERS) at TSC @now (read once per burst):
 *  - FWD_PASS: *@out is a packet to transmit (detached): not a fragment
 *    (unchanged), or the datagram this fragment completed; @b is empty;
 *  - FWD_HELD: the fragment went into the table; @b is empty;
 *  - a drop reason for this fragment: @b holds what is to be freed
 *    (possibly nothing).
 * Fragments the table drops later (time-out, room, an overlap found by
 * another fragment) and those joined into datagrams are counted in
 * t->acct[their datagram's owner].
 */
static inline int
fwd_reasm(struct fwd_reasm *t, struct hb_buf *b, uint64_t now,
	  uint32_t owner, struct fwd_visit_count *vc, struct rte_mbuf **out)
{
	uint32_t len = hb_buf_len(b);
	struct fwd_frag_info fi = { 0, 0, 0, 0, false };
	struct fwd_eth_ip h;
	int r;

	if (unlikely(len < sizeof(h)))
		goto pass;
	r = fwd_peek(b, 0, sizeof(h), &h);
	if (unlikely(r != FWD_PASS))
		return r;
	if (!FWD_IS_IPV4(h.eth.ether_type))
		goto pass;
	r = fwd_reasm_classify(&h.ip, len, &fi);
	if (r == FWD_REASM_FRAG)
		return fwd_reasm_insert(t, b, &h.ip, &fi, len, now, owner, vc,
					out);
	if (r != FWD_PASS)
		return r;
pass:
	*out = hb_buf_detach(b);
	return likely(*out != NULL) ? FWD_PASS : FWD_DROP_HB_ERROR;
}

#endif /* FWD_FRAG_H */
