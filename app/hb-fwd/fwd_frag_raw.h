/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef FWD_FRAG_RAW_H
#define FWD_FRAG_RAW_H

/*
 * hb-fwd --engine raw for --mode frag and --mode reasm: what a DPDK user
 * writes without HyperBuf, with DPDK's own librte_ip_frag:
 *  - frag: the Ethernet header and any padding cut off, the IPv4 header
 *    pulled into the first segment if it is split (librte_ip_frag reads
 *    it there), rte_ipv4_fragment_packet() (a direct mbuf for each
 *    fragment's header, indirect mbufs on the payload), then each
 *    fragment's checksum (the library leaves it 0) and its Ethernet
 *    header (rte_pktmbuf_prepend());
 *  - reasm: padding cut off, headers pulled up, l2_len and l3_len set,
 *    rte_ipv4_frag_reassemble_packet() into a table of the lcore
 *    (rte_ip_frag_table_create()), its death row freed every burst and
 *    whenever it could overflow, rte_ip_frag_table_del_expired_entries()
 *    every burst; the reassembled datagram's checksum.
 *
 * The decisions before the library (which packets, the checks, ICMP) are
 * the shared ones of fwd_frag.h: the same verdicts. The library's own
 * choices are kept, where they differ from the HyperBuf engine's (see
 * docs/hb-fwd.md, "frag and reasm: the two engines"): its key has no
 * protocol, it holds 8 fragments per datagram at most
 * (RTE_LIBRTE_IP_FRAG_MAX_FRAG), any duplicate fragment drops its
 * datagram, a full table drops the new fragment, it bounds no memory but
 * the table's, and it says no reason for a drop: what it puts on its
 * death row is counted as ip_frag_drop.
 *
 * Counting fragments: librte_ip_frag links fragments together (a failed
 * reassembly may put several on the death row as one chain). So that
 * joined and dropped fragments are counted exactly, each fragment's head
 * carries its l3_len (which the library needs) and its other segments an
 * l3_len of 0: a chain holds as many fragments as segments with an
 * l3_len.
 */

#include <rte_ip_frag.h>

#include "fwd_frag.h"
#include "fwd_raw.h"

/*
 * Make the first @n bytes of the packet *@mp contiguous in its first
 * segment: if they are not, a new head segment from @pool receives them
 * (librte_ip_frag reads the headers through the head only). 0, -ENOMEM,
 * or -E2BIG when @pool's segments cannot hold @n bytes.
 */
static inline int
fwd_raw_pullup(struct rte_mbuf **mp, uint32_t n, struct rte_mempool *pool)
{
	struct rte_mbuf *h = *mp, *nh, *rest;
	uint32_t len = h->pkt_len;

	if (likely(h->data_len >= n))
		return 0;
	nh = rte_pktmbuf_alloc(pool);
	if (nh == NULL)
		return -ENOMEM;
	if (rte_pktmbuf_tailroom(nh) < n) {
		rte_pktmbuf_free(nh);
		return -E2BIG;
	}
	fwd_raw_copy(h, 0, n, rte_pktmbuf_mtod(nh, void *));
	nh->data_len = (uint16_t)n;
	fwd_raw_cut(mp, n, len - n);
	rest = *mp;
	fwd_raw_move_meta(nh, rest);
	nh->next = rest;
	nh->nb_segs = (uint16_t)(rest->nb_segs + 1);
	nh->pkt_len = len;
	*mp = nh;
	return 0;
}

/* ---------------------------------------------------------------------
 * frag
 */

/*
 * frag on the packet *@mp: the contract of fwd_frag() (fwd_frag.h) on an
 * mbuf chain; with *@nout fragments in @out, *@mp is NULL (freed). The
 * header and indirect mbufs of the fragments come from c->mp_frag (or
 * c->mp): librte_ip_frag's "direct" and "indirect" pools.
 */
static inline int
fwd_raw_frag(struct rte_mbuf **mp, struct fwd_pctx *c, struct rte_mbuf **out,
	     uint32_t *nout)
{
	struct rte_mempool *hp = c->mp_frag != NULL ? c->mp_frag : c->mp;
	struct rte_mbuf *m = *mp;
	uint32_t len = m->pkt_len, mtu = RTE_MAX(c->mtu, FWD_FRAG_MIN_MTU);
	struct rte_ether_hdr ebuf, eth;
	struct rte_ipv4_hdr ibuf, *ip;
	struct fwd_frag_plan p;
	int32_t n, i;
	int r;

	*nout = 0;
	if (likely(len <= RTE_ETHER_HDR_LEN + mtu))
		return FWD_PASS;
	eth = *FWD_RAW_HDR(m, 0, struct rte_ether_hdr, &ebuf);
	if (unlikely(!FWD_IS_IPV4(eth.ether_type)))
		return FWD_DROP_NOT_IPV4;
	ip = FWD_RAW_HDR(m, RTE_ETHER_HDR_LEN, struct rte_ipv4_hdr, &ibuf);
	r = fwd_frag_decide(ip, len, mtu, &p);
	if (r == FWD_PASS) {
		if (len > RTE_ETHER_HDR_LEN + p.tl)
			fwd_raw_cut(mp, 0, RTE_ETHER_HDR_LEN + p.tl);
		return FWD_PASS;
	}
	if (r == FWD_DROP_FRAG_NEEDED && c->l3 != NULL) {
		struct fwd_icmp_err e = fwd_icmp_frag_needed(mtu);

		return fwd_raw_icmp(m, c, &eth, fwd_icmp_quote_len(ip), &e);
	}
	if (r != FWD_FRAG_CUT)
		return r;

	/* The datagram alone, its IPv4 header in the first segment. */
	fwd_raw_cut(mp, RTE_ETHER_HDR_LEN, p.tl);
	r = fwd_raw_pullup(mp, p.hl, hp);
	if (unlikely(r != 0))
		return r == -ENOMEM ? FWD_DROP_NO_MBUF : FWD_DROP_HB_ERROR;
	n = rte_ipv4_fragment_packet(*mp, out, FWD_FRAG_MAX_OUT, (uint16_t)mtu,
				     hp, hp);
	if (unlikely(n < 0))
		return n == -ENOMEM ? FWD_DROP_NO_MBUF : FWD_DROP_HB_ERROR;
	/* The fragments hold references to the payload's segments. */
	rte_pktmbuf_free(*mp);
	*mp = NULL;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *f = out[i];
		struct rte_ether_hdr *e;

		ip = rte_pktmbuf_mtod(f, struct rte_ipv4_hdr *);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		e = (struct rte_ether_hdr *)rte_pktmbuf_prepend(f,
							RTE_ETHER_HDR_LEN);
		*e = eth;
	}
	*nout = (uint32_t)n;
	return FWD_PASS;
}

/* ---------------------------------------------------------------------
 * reasm
 */

/* librte_ip_frag's hash associativity (as DPDK's ip_reassembly example). */
#define FWD_RAW_REASM_BUCKET_ENTRIES 16
/* Death row entries one call of the library may add, at most: a stale
 * entry's fragments, then a whole datagram and the new fragment. */
#define FWD_RAW_DR_PER_CALL (2 * (RTE_LIBRTE_IP_FRAG_MAX_FRAG + 1))

/* The raw engine's reassembly state of one lcore. */
struct fwd_raw_reasm {
	struct rte_ip_frag_tbl *tbl;
	struct rte_ip_frag_death_row dr;
	struct rte_mempool *mp_hdr;	/* pullups; NULL: the packet's pool */
	uint32_t dirty;
	struct fwd_reasm_acct acct[FWD_REASM_OWNERS];
};

/*
 * Fragments in the chain @m (see the top of this file); *@mine set when
 * @p is one of its segments.
 */
static inline uint32_t
fwd_raw_frags_in(const struct rte_mbuf *m, const struct rte_mbuf *p,
		 bool *mine)
{
	uint32_t n = 0;

	for (; m != NULL; m = m->next) {
		n += m->l3_len != 0;
		*mine |= m == p;
	}
	return n;
}

/*
 * Count the fragments on the death row from entry @from on under @reason
 * for @owner, but @p's (the caller's packet); returns whether @p is there.
 */
static inline bool
fwd_raw_dr_count(struct fwd_raw_reasm *t, uint32_t from, int reason,
		 uint32_t owner, const struct rte_mbuf *p)
{
	struct rte_ip_frag_death_row *dr = &t->dr;
	bool mine = false;
	uint32_t i, n = 0;

	for (i = from; i < dr->cnt; i++)
		n += fwd_raw_frags_in(dr->row[i], p, &mine);
	if (n - mine != 0) {
		t->acct[owner].drops[reason] += n - mine;
		t->dirty |= 1u << owner;
	}
	return mine;
}

/* Free the death row (its fragments counted already): once per burst. */
static inline void
fwd_raw_dr_free(struct fwd_raw_reasm *t)
{
	if (t->dr.cnt != 0)
		rte_ip_frag_free_death_row(&t->dr, 3);
}

static inline void fwd_raw_reasm_free(struct fwd_raw_reasm *t);

/*
 * A table of librte_ip_frag for @max_dgrams datagrams, timing out after
 * @timeout TSC cycles; header pullups from @mp_hdr (NULL: each packet's
 * own pool). NULL with rte_errno set on failure.
 */
static inline struct fwd_raw_reasm *
fwd_raw_reasm_create(uint32_t max_dgrams, uint64_t timeout,
		     struct rte_mempool *mp_hdr, int socket)
{
	struct fwd_raw_reasm *t;

	t = rte_zmalloc_socket("hb_fwd_raw_reasm", sizeof(*t),
			       RTE_CACHE_LINE_SIZE, socket);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->tbl = rte_ip_frag_table_create(max_dgrams,
					  FWD_RAW_REASM_BUCKET_ENTRIES,
					  max_dgrams, timeout, socket);
	if (t->tbl == NULL) {
		rte_free(t);
		rte_errno = ENOMEM;
		return NULL;
	}
	t->mp_hdr = mp_hdr;
	return t;
}

/*
 * Per burst, before its packets, with the burst's TSC: the datagrams
 * timed out go to the death row (counted for @owner).
 */
static inline void
fwd_raw_reasm_expire(struct fwd_raw_reasm *t, uint64_t now, uint32_t owner)
{
	uint32_t from = t->dr.cnt;

	rte_ip_frag_table_del_expired_entries(t->tbl, &t->dr, now);
	if (t->dr.cnt != from)
		fwd_raw_dr_count(t, from, FWD_DROP_REASM_TIMEOUT, owner, NULL);
}

/* Drop every datagram (reasm_flush), counted for owner 0. */
static inline void
fwd_raw_reasm_flush(struct fwd_raw_reasm *t)
{
	fwd_raw_dr_free(t);
	do {
		rte_ip_frag_table_del_expired_entries(t->tbl, &t->dr,
						      UINT64_MAX);
		if (t->dr.cnt == 0)
			break;
		fwd_raw_dr_count(t, 0, FWD_DROP_REASM_FLUSH, 0, NULL);
		fwd_raw_dr_free(t);
	} while (1);
}

static inline void
fwd_raw_reasm_free(struct fwd_raw_reasm *t)
{
	if (t == NULL)
		return;
	fwd_raw_reasm_flush(t);
	rte_ip_frag_table_destroy(t->tbl);
	rte_free(t);
}

/*
 * reasm on the packet *@mp: the contract of fwd_reasm() (fwd_frag.h) on
 * an mbuf chain. *@mp is what is to be transmitted or freed after it, or
 * NULL (held by the library, or on its death row: counted already). The
 * library's drops other than this packet's are counted for @owner, as
 * ip_frag_drop. The caller frees the death row once per burst
 * (fwd_raw_dr_free()).
 */
static inline int
fwd_raw_reasm(struct fwd_raw_reasm *t, struct rte_mbuf **mp, uint64_t now,
	      uint32_t owner)
{
	struct rte_mbuf *m = *mp, *s, *mo;
	uint32_t len = m->pkt_len, from, n;
	struct fwd_eth_ip hbuf, *h;
	struct rte_ipv4_hdr *ip;
	struct fwd_frag_info fi;
	bool mine = false;
	int r;

	if (unlikely(len < sizeof(hbuf)))
		return FWD_PASS;
	h = FWD_RAW_HDR(m, 0, struct fwd_eth_ip, &hbuf);
	if (unlikely(h == NULL) || !FWD_IS_IPV4(h->eth.ether_type))
		return FWD_PASS;
	r = fwd_reasm_classify(&h->ip, len, &fi);
	if (r != FWD_REASM_FRAG)
		return r;

	if (len > RTE_ETHER_HDR_LEN + fi.tl)
		fwd_raw_cut(mp, 0, RTE_ETHER_HDR_LEN + fi.tl);
	r = fwd_raw_pullup(mp, RTE_ETHER_HDR_LEN + fi.hl,
			   t->mp_hdr != NULL ? t->mp_hdr : (*mp)->pool);
	if (unlikely(r != 0))
		return r == -ENOMEM ? FWD_DROP_NO_MBUF : FWD_DROP_HB_ERROR;
	m = *mp;
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = fi.hl;
	for (s = m->next; s != NULL; s = s->next)
		s->l3_len = 0;
	/* Room on the death row for what this call may put there. */
	if (t->dr.cnt > RTE_IP_FRAG_DEATH_ROW_MBUF_LEN - FWD_RAW_DR_PER_CALL)
		fwd_raw_dr_free(t);
	from = t->dr.cnt;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				     RTE_ETHER_HDR_LEN);
	mo = rte_ipv4_frag_reassemble_packet(t->tbl, &t->dr, m, now, ip);
	if (unlikely(t->dr.cnt != from))
		mine = fwd_raw_dr_count(t, from, FWD_DROP_IP_FRAG, owner, m);
	if (mo == NULL) {
		*mp = NULL;
		return mine ? FWD_DROP_IP_FRAG : FWD_HELD;
	}
	*mp = mo;
	n = fwd_raw_frags_in(mo, NULL, &mine);
	ip = rte_pktmbuf_mtod_offset(mo, struct rte_ipv4_hdr *,
				     RTE_ETHER_HDR_LEN);
	if (unlikely(mo->pkt_len - RTE_ETHER_HDR_LEN > UINT16_MAX)) {
		/* Past 65535: the library wrote a 16-bit total length. */
		t->acct[owner].drops[FWD_DROP_TOO_BIG] += n - 1;
		t->dirty |= 1u << owner;
		return FWD_DROP_TOO_BIG;
	}
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	t->acct[owner].joined += n;
	t->acct[owner].reassembled++;
	t->dirty |= 1u << owner;
	return FWD_PASS;
}

#endif /* FWD_FRAG_RAW_H */
