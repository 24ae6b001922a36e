/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the per-packet visitor workloads, visit-hdr and visit-split:
 * their bursts of packets, HyperBuf implementations and baselines. Their
 * rows are in workloads.c.
 */

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <hyperbuf.h>

#include "hb_bench.h"
#include "baselines.h"

/* ------------------------------------------------------------------------
 * Workloads: visit-hdr, visit-split
 *
 * A burst of 64-byte Ethernet/IPv4/UDP packets (real mbufs from the pool,
 * one in eight with another ether_type), processed in place as a forwarding
 * loop would, again and again. Per packet: read the Ethernet and IPv4
 * headers (ether_type; IPv4 destination and TTL go into the checksum), then
 * swap the MAC addresses.
 *  - hyperbuf: hb_buf_attach(), HB_VISIT_READ() on Ethernet+IPv4,
 *    HB_VISIT_WRITE() on Ethernet, hb_buf_detach() (back into the burst);
 *  - hyperbuf-1visit (variant): one HB_VISIT_WRITE() on Ethernet+IPv4 does
 *    both (one gather and one scatter when the headers are split);
 *  - hyperbuf-pullup (variant, visit-split only): hb_buf_pullup() of the
 *    34 header bytes right after hb_buf_attach() (what a user does with
 *    split headers), then the same two visitors, now direct. The pullup
 *    moves the missing bytes into the first segment; so that every
 *    repetition pulls up a split packet again, the packet is split back
 *    after hb_buf_detach() by hand (vis_resplit(): one 24-byte copy and
 *    four stores, timed alone and printed as a note);
 *  - mtod (visit-hdr): rte_pktmbuf_mtod() pointers, the l2fwd way (no
 *    length check, like DPDK's examples: the strongest form);
 *  - read+writeback (visit-split): a contiguous-header fast path with
 *    mtod, else rte_pktmbuf_read() of both headers into a stack copy, MAC
 *    swap in the copy and a hand-written write-back of the 12 address
 *    bytes across segments.
 * visit-split packets have their first --split-at bytes (default 10:
 * inside the source MAC) in one segment and the rest in a second one.
 */

struct hdr_eth_ip {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
};

static_assert(sizeof(struct hdr_eth_ip) == 34, "Ethernet + IPv4 is 34 bytes");

/* [0] hyperbuf, [1] the baseline, [2] hyperbuf-1visit, [3] -pullup */
static struct rte_mbuf *vis_burst[4][MAX_BURST];
static unsigned int vis_split;			  /* 0: one segment */

static inline uint64_t
hdr_digest(const struct hdr_eth_ip *h)
{
	if (h->eth.ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return rte_be_to_cpu_32(h->ip.dst_addr) + h->ip.time_to_live;
	return 1;
}

static inline void
mac_swap(struct rte_ether_hdr *e)
{
	struct rte_ether_addr t = e->dst_addr;

	e->dst_addr = e->src_addr;
	e->src_addr = t;
}

/* Packet @i's 64 bytes. */
static void
vis_packet_bytes(unsigned int i, uint8_t *p)
{
	struct hdr_eth_ip *h = (struct hdr_eth_ip *)p;
	uint64_t s = opt_seed ^ (0x9000 + i);
	unsigned int k;

	for (k = 0; k < PKT_LEN; k++)
		p[k] = (uint8_t)rng_next(&s);
	h->eth.ether_type = RTE_BE16(i % 8 == 7 ? RTE_ETHER_TYPE_ARP :
						   RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = RTE_IPV4_VHL_DEF;
	h->ip.total_length = RTE_BE16(PKT_LEN - RTE_ETHER_HDR_LEN);
	h->ip.next_proto_id = IPPROTO_UDP;
	h->ip.time_to_live = (uint8_t)(64 - i % 32);
}

static struct rte_mbuf *
vis_packet(unsigned int i)
{
	uint8_t bytes[PKT_LEN];
	struct rte_mbuf *m, *m2;
	char *p;

	vis_packet_bytes(i, bytes);
	m = rte_pktmbuf_alloc(pool);
	CHECK_PTR(m);
	if (vis_split == 0) {
		p = rte_pktmbuf_append(m, PKT_LEN);
		CHECK_PTR(p);
		memcpy(p, bytes, PKT_LEN);
		return m;
	}
	p = rte_pktmbuf_append(m, (uint16_t)vis_split);
	CHECK_PTR(p);
	memcpy(p, bytes, vis_split);
	m2 = rte_pktmbuf_alloc(pool);
	CHECK_PTR(m2);
	p = rte_pktmbuf_append(m2, (uint16_t)(PKT_LEN - vis_split));
	CHECK_PTR(p);
	memcpy(p, bytes + vis_split, PKT_LEN - vis_split);
	CHECK_RC(rte_pktmbuf_chain(m, m2));
	return m;
}

static int
vis_setup(void)
{
	unsigned int i, j;

	for (j = 0; j < RTE_DIM(vis_burst); j++)
		for (i = 0; i < opt_burst; i++)
			vis_burst[j][i] = vis_packet(i);
	/* After one pass: the same packets, MACs swapped. */
	for (i = 0; i < opt_burst; i++) {
		uint8_t *p = vexpect + (size_t)i * PKT_LEN;

		vis_packet_bytes(i, p);
		mac_swap((struct rte_ether_hdr *)p);
	}
	return 0;
}

int
vis_hdr_setup(void)
{
	vis_split = 0;
	return vis_setup();
}

int
vis_split_setup(void)
{
	vis_split = opt_split_at;
	return vis_setup();
}

void
vis_teardown(void)
{
	unsigned int j;

	for (j = 0; j < RTE_DIM(vis_burst); j++)
		rte_pktmbuf_free_bulk(vis_burst[j], opt_burst);
}

static void
vis_out(struct rte_mbuf **burst)
{
	unsigned int i;

	if (likely(!g_verify))
		return;
	g_out_len = 0;
	for (i = 0; i < opt_burst; i++) {
		if (burst[i]->pkt_len != PKT_LEN ||
		    rte_mbuf_check(burst[i], 1, NULL) != 0)
			rte_exit(EXIT_FAILURE, "visit: packet %u broken\n", i);
		g_out_len += pkt_gather(burst[i], g_out + g_out_len);
	}
}

uint64_t
vis_hb(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[0];
	const unsigned int n = opt_burst;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(HB_VISIT_READ(&b, 0, struct hdr_eth_ip, &v));
			sum += hdr_digest(HB_VIEW(&v, const struct hdr_eth_ip));
			CHECK_RC(hb_visit_release(&v));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct rte_ether_hdr, 0,
						&v));
			mac_swap(HB_VIEW(&v, struct rte_ether_hdr));
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/* The same work with one write visitor over both headers. */
uint64_t
vis_hb_1visit(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[2];
	const unsigned int n = opt_burst;
	struct hdr_eth_ip *h;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct hdr_eth_ip, 0, &v));
			h = HB_VIEW(&v, struct hdr_eth_ip);
			sum += hdr_digest(h);
			mac_swap(&h->eth);
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/*
 * Undo hb_buf_pullup() of a visit-split packet: the bytes it moved into
 * the first segment go back to the front of the second one. Hand-written
 * setup for the next repetition, not a HyperBuf call.
 */
static inline void
vis_resplit(struct rte_mbuf *m)
{
	struct rte_mbuf *n = m->next;
	uint16_t k = (uint16_t)(m->data_len - vis_split);

	if (unlikely(n == NULL || m->data_len < vis_split || n->data_off < k))
		rte_exit(EXIT_FAILURE, "visit-split: unexpected layout after "
			 "hb_buf_pullup()\n");
	n->data_off = (uint16_t)(n->data_off - k);
	n->data_len = (uint16_t)(n->data_len + k);
	memcpy(rte_pktmbuf_mtod(n, char *),
	       rte_pktmbuf_mtod_offset(m, char *, vis_split), k);
	m->data_len = (uint16_t)vis_split;
}

/* The same work after hb_buf_pullup() of both headers: direct visitors. */
uint64_t
vis_hb_pullup(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[3];
	const unsigned int n = opt_burst;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(hb_buf_pullup(&b, 0,
					       sizeof(struct hdr_eth_ip)));
			CHECK_RC(HB_VISIT_READ(&b, 0, struct hdr_eth_ip, &v));
			sum += hdr_digest(HB_VIEW(&v, const struct hdr_eth_ip));
			CHECK_RC(hb_visit_release(&v));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct rte_ether_hdr, 0,
						&v));
			mac_swap(HB_VIEW(&v, struct rte_ether_hdr));
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
			if (vis_split != 0)
				vis_resplit(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/*
 * What vis_resplit() costs alone, per packet: the same copy one way (a
 * hand pullup) and back, halved. Printed next to hyperbuf-pullup.
 */
static double
vis_resplit_ns(void)
{
	struct rte_mbuf **burst = vis_burst[3];
	const unsigned int rounds = 2000;
	const uint16_t k = (uint16_t)(sizeof(struct hdr_eth_ip) - vis_split);
	double best = 0;
	unsigned int r, j, i;

	for (r = 0; r < 5; r++) {
		uint64_t t0 = rte_rdtsc_precise(), t;

		for (j = 0; j < rounds; j++) {
			for (i = 0; i < opt_burst; i++) {
				struct rte_mbuf *m = burst[i], *x = m->next;

				memcpy(rte_pktmbuf_mtod_offset(m, char *,
							       m->data_len),
				       rte_pktmbuf_mtod(x, char *), k);
				m->data_len = (uint16_t)(m->data_len + k);
				x->data_off = (uint16_t)(x->data_off + k);
				x->data_len = (uint16_t)(x->data_len - k);
				vis_resplit(m);
			}
			BENCH_ESCAPE(burst);
		}
		t = rte_rdtsc_precise() - t0;
		if (r == 0 || t < best)
			best = (double)t;
	}
	return best / tsc_per_ns / ((double)rounds * opt_burst) / 2;
}

void
vis_split_teardown(void)
{
	printf("  note: hyperbuf-pullup includes splitting each packet back "
	       "after use (vis_resplit, by hand): %.2f ns per packet alone\n",
	       vis_resplit_ns());
	vis_teardown();
}

uint64_t
vis_mtod(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[1];
	const unsigned int n = opt_burst;
	uint64_t sum = 0;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			struct hdr_eth_ip *h =
				rte_pktmbuf_mtod(burst[i], struct hdr_eth_ip *);

			sum += hdr_digest(h);
			mac_swap(&h->eth);
		}
	}
	vis_out(burst);
	return sum;
}

uint64_t
vis_read_writeback(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[1];
	const unsigned int n = opt_burst;
	uint64_t sum = 0;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = burst[i];
			struct hdr_eth_ip tmp;
			const struct hdr_eth_ip *h;

			if (likely(m->data_len >= sizeof(tmp))) {
				struct hdr_eth_ip *w =
					rte_pktmbuf_mtod(m, struct hdr_eth_ip *);

				sum += hdr_digest(w);
				mac_swap(&w->eth);
				continue;
			}
			h = rte_pktmbuf_read(m, 0, sizeof(tmp), &tmp);
			CHECK_PTR(h);
			sum += hdr_digest(h);
			mac_swap(&tmp.eth);
			mbuf_write_back(m, 0, &tmp.eth,
					2 * RTE_ETHER_ADDR_LEN);
		}
	}
	vis_out(burst);
	return sum;
}

