/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Visitors against real EAL pools, no mocks: zero copy and alignment,
 * Ethernet/IPv4/UDP headers split across segments at every byte, growth
 * (and its exact undo), the consistency rule, release errors, bounce
 * memory bounds, non-EAL threads and counters.
 *
 * Expected bytes and layouts are always computed independently of the
 * library: on flat copies, and by walking the mbuf chain by hand.
 * Random tests print their seed; rerun with HB_TEST_SEED=<seed>.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_udp.h>

#include "hb_test.h"

/* Data room of the small pools: segments of 256 bytes. */
#define SMALL_ROOM 256
/* Mbufs in the pool that grow tests run dry. */
#define EXH_MBUFS 160

static struct rte_mempool *pool;       /* default data room */
static struct rte_mempool *small_pool; /* SMALL_ROOM, long chains */
static struct rte_mempool *exh_pool;   /* SMALL_ROOM, exhausted on purpose */
static uint64_t seed;

/* Types of every alignment the typed visits are tried with. */
struct al16 {
	alignas(16) uint8_t x[16];
};
struct al64 {
	alignas(64) uint8_t x[64];
};

/* ---------------------------------------------------------------------
 * Helpers: chains walked by hand
 */

/*
 * An attached buffer of @len bytes of @ref: a hand-built head segment of
 * @first bytes, the rest appended. Returns the head (it stays the head).
 */
static struct rte_mbuf *
buf_make(struct hb_buf *b, struct rte_mempool *mp, const uint8_t *ref,
	 uint32_t len, uint16_t first)
{
	uint16_t l = (uint16_t)RTE_MIN((uint32_t)first, len);
	struct rte_mbuf *h = hb_test_chain(mp, ref, &l, 1, NULL);

	assert_int_equal(hb_buf_attach(b, h), 0);
	if (len > l)
		assert_int_equal(hb_buf_append(b, ref + l, len - l), 0);
	hb_assert_buf_ok(b);
	assert_int_equal(hb_buf_len(b), len);
	return h;
}

/* The segment holding byte @off of the chain at @head, and its start. */
static struct rte_mbuf *
walk_find(struct rte_mbuf *head, uint32_t off, uint32_t *start)
{
	struct rte_mbuf *m;
	uint32_t s = 0;

	for (m = head; m != NULL; m = m->next) {
		if (off - s < m->data_len) {
			*start = s;
			return m;
		}
		s += m->data_len;
	}
	fail_msg("offset %" PRIu32 " not in the chain", off);
	return NULL;
}

/* Number of segments of the chain at @head, walked by hand. */
static unsigned int
walk_count(const struct rte_mbuf *head)
{
	unsigned int n = 0;

	for (; head != NULL; head = head->next)
		n++;
	return n;
}

/* Is @p inside the data buffer of any segment of @head? */
static bool
ptr_in_chain(const struct rte_mbuf *head, const void *p)
{
	const struct rte_mbuf *m;

	for (m = head; m != NULL; m = m->next) {
		const char *a = m->buf_addr;

		if ((const char *)p >= a && (const char *)p < a + m->buf_len)
			return true;
	}
	return false;
}

/*
 * Check a live visitor on [off, off + len) of the chain at @head: direct
 * (v->ptr is the address of byte @off inside the segment that holds it,
 * found by walking the chain) exactly when the range lies in one segment
 * at an @align-aligned address; otherwise bounce memory outside every
 * segment. Always @align-aligned and showing @model.
 */
static void
assert_view(const struct hb_visitor *v, struct rte_mbuf *head, uint32_t off,
	    uint32_t len, uint32_t align, const uint8_t *model)
{
	uint32_t start;
	struct rte_mbuf *m = walk_find(head, off, &start);
	char *base = rte_pktmbuf_mtod(m, char *);
	char *want = base + (off - start);
	bool fits = off - start + len <= m->data_len;
	bool aligned = ((uintptr_t)want & (align - 1)) == 0;

	assert_true(hb_visitor_is_live(v));
	assert_int_equal(v->off, off);
	assert_int_equal(v->len, len);
	if (fits && aligned) {
		assert_true(hb_visitor_is_direct(v));
		assert_ptr_equal(v->ptr, want);
		assert_true((char *)v->ptr >= base &&
			    (char *)v->ptr + len <= base + m->data_len);
	} else {
		assert_false(hb_visitor_is_direct(v));
		assert_false(ptr_in_chain(head, v->ptr));
	}
	assert_int_equal((uintptr_t)v->ptr & (align - 1), 0);
	assert_memory_equal(v->ptr, model + off, len);
}

/*
 * An offset such that [off, off + len) (len >= 2) crosses a segment
 * boundary of the chain at @head (@blen bytes).
 */
static uint32_t
span_pick(const struct rte_mbuf *head, uint32_t blen, uint32_t len,
	  uint64_t *s)
{
	uint32_t bounds[1024], nb = 0, pos = 0;
	const struct rte_mbuf *m;
	unsigned int tries;

	for (m = head; m != NULL && m->next != NULL; m = m->next) {
		pos += m->data_len;
		if (m->data_len != 0 && pos < blen && nb < RTE_DIM(bounds))
			bounds[nb++] = pos;
	}
	assert_true(nb > 0 && len >= 2);
	for (tries = 0; tries < 10000; tries++) {
		uint32_t bd = bounds[hb_test_rand(s) % nb];
		uint32_t lo = bd >= len - 1 ? bd - (len - 1) : 0;
		uint32_t hi = bd - 1;

		if (hi + len > blen)
			hi = blen - len;
		if (lo <= hi)
			return lo + (uint32_t)(hb_test_rand(s) % (hi - lo + 1));
	}
	fail_msg("no spanning range of %" PRIu32 " bytes", len);
	return 0;
}

/* Allocate every free mbuf of @mp, scribble on it, give it back. */
static void
pool_dirty(struct rte_mempool *mp)
{
	static struct rte_mbuf *all[16384];
	unsigned int n = rte_mempool_avail_count(mp), i;

	assert_true(n <= RTE_DIM(all));
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, all, n), 0);
	for (i = 0; i < n; i++)
		memset(all[i]->buf_addr, 0xa5, all[i]->buf_len);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(all[i]);
}

/* Counters of the calling lcore. */
static struct hb_stats
stats_now(void)
{
	struct hb_stats st;

	assert_int_equal(hb_lcore_stats_get(rte_lcore_id(), &st), 0);
	return st;
}

/* A visitor that holds garbage, as a fresh stack variable would. */
static void
vis_garbage(struct hb_visitor *v)
{
	memset(v, 0xa5, sizeof(*v));
}

/* A refused visit leaves @v not live and not releasable. */
static void
assert_not_granted(struct hb_visitor *v)
{
	assert_false(hb_visitor_is_live(v));
	assert_int_equal(hb_visit_release(v), -EINVAL);
}

/*
 * The calling lcore holds no bounced visitor: a visit of the full bounce
 * size fits only in entirely free bounce memory.
 */
static void
assert_arena_idle(void)
{
	static uint8_t ref[HB_VISIT_BOUNCE_SIZE + 4096];
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_visitor v;
	struct hb_buf b;

	hb_test_pattern(ref, sizeof(ref), 99);
	assert_int_equal(hb_buf_init(&b, pool), 0);
	assert_int_equal(hb_buf_append(&b, ref, sizeof(ref)), 0);
	assert_int_equal(hb_visit_read(&b, 1, HB_VISIT_BOUNCE_SIZE, &v), 0);
	assert_false(hb_visitor_is_direct(&v));
	assert_memory_equal(v.ptr, ref + 1, HB_VISIT_BOUNCE_SIZE);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* Run after every test: nothing left in any pool, no bounced visitor. */
static int
test_clean(void **state)
{
	(void)state;
	hb_assert_pool_at(pool, 0);
	hb_assert_pool_at(small_pool, 0);
	hb_assert_pool_at(exh_pool, 0);
	assert_arena_idle();
	return 0;
}

/* ---------------------------------------------------------------------
 * 1. Zero copy and alignment
 */

/* Read [off, off + len) and check the view against the chain. */
static void
check_read(struct hb_buf *b, struct rte_mbuf *head, const uint8_t *model,
	   uint32_t off, uint32_t len)
{
	struct hb_visitor v;

	vis_garbage(&v);
	assert_int_equal(hb_visit_read(b, off, len, &v), 0);
	assert_view(&v, head, off, len, 1, model);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_false(hb_visitor_is_live(&v));
}

static void
test_direct_in_segment(void **state)
{
	static uint8_t model[20000], out[20000];
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_stats st0, st1;
	uint64_t s = seed ^ 0x101;
	struct rte_mbuf *head, *m;
	uint32_t len = sizeof(model), segs = 0, spans = 0, i, off, start;
	struct hb_visitor w;
	struct hb_buf b;

	(void)state;
	hb_test_pattern(model, len, 1);
	head = buf_make(&b, pool, model, len, 1000);
	assert_true(hb_buf_nb_segs(&b) >= 8);

	st0 = stats_now();
	/* Every segment: whole, first and last byte; across each boundary. */
	for (m = head, start = 0; m != NULL;
	     start += m->data_len, m = m->next) {
		uint32_t end = start + m->data_len;

		check_read(&b, head, model, start, m->data_len);
		check_read(&b, head, model, start, 1);
		check_read(&b, head, model, end - 1, 1);
		check_read(&b, head, model, start + 3, m->data_len - 3);
		segs++;
		if (end < len) {
			check_read(&b, head, model, end - 1, 2);
			check_read(&b, head, model, start + 5, m->data_len);
			spans += 2;
		}
	}
	assert_int_equal(segs, hb_buf_nb_segs(&b));
	/* The direct views were not counted, the spanning ones were. */
	st1 = stats_now();
	assert_int_equal(st1.visits_bounced - st0.visits_bounced, spans);
	/* Anywhere, any length: direct exactly when in one segment. */
	for (i = 0; i < 3000; i++) {
		uint32_t l;

		off = (uint32_t)(hb_test_rand(&s) % len);
		l = 1 + (uint32_t)(hb_test_rand(&s) %
				   RTE_MIN(3000u, len - off));
		check_read(&b, head, model, off, l);
	}

	/* A direct write visitor writes straight into the segment. */
	for (m = head, start = 0; m != NULL;
	     start += m->data_len, m = m->next) {
		uint32_t l = RTE_MIN(40u, (uint32_t)m->data_len - 7);
		uint8_t *p;

		off = start + 7;
		assert_int_equal(hb_visit_write(&b, off, l, 0, &w), 0);
		assert_view(&w, head, off, l, 1, model);
		p = w.ptr;
		for (i = 0; i < l; i++)
			p[i] ^= 0x5a;
		for (i = 0; i < l; i++)
			assert_int_equal(rte_pktmbuf_mtod_offset(m, uint8_t *,
								 7 + i)[0],
					 model[off + i] ^ 0x5a);
		assert_int_equal(hb_visit_release(&w), 0);
		for (i = 0; i < l; i++)
			model[off + i] ^= 0x5a;
	}
	hb_assert_chain_bytes(head, model, len);

	/* A spanning write visitor changes the chain only on release. */
	for (i = 0; i < 200; i++) {
		uint32_t l = 2 + (uint32_t)(hb_test_rand(&s) % 3000);
		uint8_t *p;
		uint32_t j;

		off = span_pick(head, len, l, &s);
		assert_int_equal(hb_visit_write(&b, off, l, 0, &w), 0);
		assert_view(&w, head, off, l, 1, model);
		p = w.ptr;
		for (j = 0; j < l; j++)
			p[j] = (uint8_t)(p[j] + 1 + i);
		hb_assert_chain_bytes(head, model, len);
		assert_int_equal(hb_visit_release(&w), 0);
		for (j = 0; j < l; j++)
			model[off + j] = (uint8_t)(model[off + j] + 1 + i);
		hb_assert_chain_bytes(head, model, len);
	}
	assert_int_equal(hb_buf_read(&b, 0, out, len), 0);
	assert_memory_equal(out, model, len);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* Read and write one @T at @off through the typed macros. */
#define CHECK_TYPED(T)                                                         \
	do {                                                                   \
		if (off + sizeof(T) <= len) {                                  \
			T x, y;                                                \
			memcpy(&x, model + off, sizeof(T));                    \
			assert_int_equal(HB_VISIT_READ(&b, off, T, &v), 0);    \
			assert_view(&v, head, off, sizeof(T), alignof(T),      \
				    model);                                    \
			y = *HB_VIEW(&v, const T); /* typed, aligned load */   \
			assert_memory_equal(&y, &x, sizeof(T));                \
			assert_int_equal(hb_visit_release(&v), 0);             \
			assert_int_equal(HB_VISIT_WRITE(&b, off, T, 0, &v),    \
					 0);                                   \
			assert_view(&v, head, off, sizeof(T), alignof(T),      \
				    model);                                    \
			hb_test_pattern(&y, sizeof(T), tag++);                 \
			*HB_VIEW(&v, T) = y; /* typed, aligned store */        \
			assert_int_equal(hb_visit_release(&v), 0);             \
			memcpy(model + off, &y, sizeof(T));                    \
			hb_assert_chain_bytes(head, model, len);               \
			typed++;                                               \
		}                                                              \
	} while (0)

static void
test_aligned_views(void **state)
{
	static const uint32_t bad_align[] = {
		0, 3, 5, 6, 12, 48, 96, 128, 256, 0x80000000u, UINT32_MAX,
	};
	static const uint32_t odd_off[] = {1, 3, 5, 33, 39, 41, 89, 127};
	unsigned int base = rte_mempool_in_use_count(pool);
	uint16_t lens[3] = {37, 50, 41};
	uint8_t model[128];
	uint32_t len = sizeof(model), off, tag = 100, d, typed = 0, i, a;
	struct hb_visitor v;
	struct rte_mbuf *head;
	struct hb_buf b;

	(void)state;
	for (d = 0; d < 8; d++) {
		/* Segment starts at every alignment mod 8. */
		uint16_t offs[3] = {
			(uint16_t)(RTE_PKTMBUF_HEADROOM + d),
			(uint16_t)((d * 3) % 8), (uint16_t)((d * 5 + 1) % 8),
		};

		hb_test_pattern(model, len, 10 + d);
		head = hb_test_chain(pool, model, lens, 3, offs);
		assert_int_equal(hb_buf_attach(&b, head), 0);
		for (off = 0; off < len; off++) {
			CHECK_TYPED(uint8_t);
			CHECK_TYPED(uint16_t);
			CHECK_TYPED(uint32_t);
			CHECK_TYPED(uint64_t);
			CHECK_TYPED(struct rte_ether_hdr);
			CHECK_TYPED(struct al16);
			CHECK_TYPED(struct al64);
		}
		/* Odd offsets with every alignment, read and write. */
		for (i = 0; i < RTE_DIM(odd_off); i++) {
			for (a = 1; a <= HB_VISIT_ALIGN_MAX; a *= 2) {
				uint32_t l = RTE_MIN(1 + (odd_off[i] + a) % 9,
						     len - odd_off[i]);

				off = odd_off[i];
				assert_int_equal(hb_visit_read_aligned(&b, off,
								       l, a,
								       &v),
						 0);
				assert_view(&v, head, off, l, a, model);
				/* Segment 0 is 64-aligned: odd is misaligned. */
				if (d == 0 && a > 1 && off + l <= lens[0])
					assert_false(hb_visitor_is_direct(&v));
				assert_int_equal(hb_visit_release(&v), 0);
				assert_int_equal(hb_visit_write_aligned(&b, off,
									l, 0,
									a, &v),
						 0);
				assert_view(&v, head, off, l, a, model);
				memset(v.ptr, (int)(a + i), l);
				assert_int_equal(hb_visit_release(&v), 0);
				memset(model + off, (int)(a + i), l);
				hb_assert_chain_bytes(head, model, len);
			}
		}
		/* Invalid alignments, in one segment or spanning. */
		for (i = 0; i < RTE_DIM(bad_align); i++) {
			struct hb_snap sn;

			hb_test_snap(&sn, &b, true);
			vis_garbage(&v);
			assert_int_equal(hb_visit_read_aligned(&b, 0, 4,
							       bad_align[i],
							       &v),
					 -EINVAL);
			assert_not_granted(&v);
			vis_garbage(&v);
			assert_int_equal(hb_visit_read_aligned(&b, 30, 20,
							       bad_align[i],
							       &v),
					 -EINVAL);
			assert_not_granted(&v);
			vis_garbage(&v);
			assert_int_equal(hb_visit_write_aligned(&b, 0, 4, 0,
								bad_align[i],
								&v),
					 -EINVAL);
			assert_not_granted(&v);
			vis_garbage(&v);
			assert_int_equal(hb_visit_write_aligned(&b, 120, 20, 20,
								bad_align[i],
								&v),
					 -EINVAL);
			assert_not_granted(&v);
			hb_assert_snap(&sn, &b);
			hb_snap_free(&sn);
		}
		/* Nothing is held: an exclusive visitor is granted. */
		assert_int_equal(hb_visit_write(&b, 0, len, 0, &v), 0);
		assert_int_equal(hb_visit_release(&v), 0);
		hb_assert_chain_bytes(head, model, len);
		assert_ptr_equal(hb_buf_detach(&b), head);
		rte_pktmbuf_free(head);
	}
	assert_true(typed > 8 * 500);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * 2. Ethernet + IPv4 + UDP split across segments at every byte
 */

#define OFF_IP ((uint32_t)sizeof(struct rte_ether_hdr))
#define OFF_UDP (OFF_IP + (uint32_t)sizeof(struct rte_ipv4_hdr))
#define OFF_PAYLOAD (OFF_UDP + (uint32_t)sizeof(struct rte_udp_hdr))
#define PKT_PAYLOAD 18u
#define PKT_LEN (OFF_PAYLOAD + PKT_PAYLOAD)

/* Internet checksum of @len bytes, written out independently of DPDK. */
static uint16_t
ref_cksum(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
pkt_build(uint8_t *p)
{
	const struct rte_ether_hdr eth = {
		.dst_addr.addr_bytes = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55},
		.src_addr.addr_bytes = {0x02, 0x66, 0x77, 0x88, 0x99, 0xaa},
		.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4),
	};
	struct rte_ipv4_hdr ip = {
		.version_ihl = RTE_IPV4_VHL_DEF,
		.total_length = RTE_BE16(PKT_LEN - OFF_IP),
		.packet_id = RTE_BE16(0x1234),
		.time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		/* 192.168.0.1 -> 10.0.0.2 (RTE_IPV4() overflows int here) */
		.src_addr = RTE_BE32(UINT32_C(0xc0a80001)),
		.dst_addr = RTE_BE32(UINT32_C(0x0a000002)),
	};
	const struct rte_udp_hdr udp = {
		.src_port = RTE_BE16(1234),
		.dst_port = RTE_BE16(5678),
		.dgram_len = RTE_BE16(PKT_LEN - OFF_UDP),
	};
	uint16_t ck;

	memcpy(p, &eth, sizeof(eth));
	memcpy(p + OFF_IP, &ip, sizeof(ip));
	ck = ref_cksum(p + OFF_IP, sizeof(ip));
	p[OFF_IP + 10] = (uint8_t)(ck >> 8);
	p[OFF_IP + 11] = (uint8_t)ck;
	memcpy(p + OFF_UDP, &udp, sizeof(udp));
	hb_test_pattern(p + OFF_PAYLOAD, PKT_PAYLOAD, 77);
}

/* The rewrite of pkt_rewrite(), done byte by byte on a flat copy. */
static void
pkt_expect(uint8_t *p)
{
	uint8_t mac[RTE_ETHER_ADDR_LEN];
	uint16_t ck;

	memcpy(mac, p, sizeof(mac));
	memcpy(p, p + RTE_ETHER_ADDR_LEN, sizeof(mac));
	memcpy(p + RTE_ETHER_ADDR_LEN, mac, sizeof(mac));
	p[OFF_IP + 8]--; /* TTL */
	p[OFF_IP + 10] = 0;
	p[OFF_IP + 11] = 0;
	ck = ref_cksum(p + OFF_IP, sizeof(struct rte_ipv4_hdr));
	p[OFF_IP + 10] = (uint8_t)(ck >> 8);
	p[OFF_IP + 11] = (uint8_t)ck;
	p[OFF_UDP + 0] = 4321 >> 8;
	p[OFF_UDP + 1] = 4321 & 0xff;
	p[OFF_UDP + 2] = 8765 >> 8;
	p[OFF_UDP + 3] = 8765 & 0xff;
}

/*
 * The packet in the chain @lens/@offs: read each header, rewrite each
 * header through write visitors, compare with the flat expectation.
 */
static void
run_layout(const uint8_t *pkt, const uint8_t *exp, const uint16_t *lens,
	   unsigned int n, const uint16_t *offs)
{
	struct hb_visitor ve, vi, vu, w;
	uint8_t cur[PKT_LEN], out[PKT_LEN];
	struct rte_mbuf *head, *m;
	const uint8_t *p;
	struct hb_buf b;
	unsigned int i;

	head = hb_test_chain(pool, pkt, lens, n, offs);
	assert_int_equal(hb_buf_attach(&b, head), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), PKT_LEN);
	assert_int_equal(hb_buf_nb_segs(&b), n);

	/* Three readers at once, each direct or bounced. */
	assert_int_equal(HB_VISIT_READ(&b, 0, struct rte_ether_hdr, &ve), 0);
	assert_int_equal(HB_VISIT_READ(&b, OFF_IP, struct rte_ipv4_hdr, &vi),
			 0);
	assert_int_equal(HB_VISIT_READ(&b, OFF_UDP, struct rte_udp_hdr, &vu),
			 0);
	assert_view(&ve, head, 0, sizeof(struct rte_ether_hdr),
		    alignof(struct rte_ether_hdr), pkt);
	assert_view(&vi, head, OFF_IP, sizeof(struct rte_ipv4_hdr),
		    alignof(struct rte_ipv4_hdr), pkt);
	assert_view(&vu, head, OFF_UDP, sizeof(struct rte_udp_hdr),
		    alignof(struct rte_udp_hdr), pkt);
	{
		const struct rte_ether_hdr *e =
			HB_VIEW(&ve, const struct rte_ether_hdr);
		const struct rte_ipv4_hdr *ip =
			HB_VIEW(&vi, const struct rte_ipv4_hdr);
		const struct rte_udp_hdr *u =
			HB_VIEW(&vu, const struct rte_udp_hdr);

		assert_int_equal(rte_be_to_cpu_16(e->ether_type),
				 RTE_ETHER_TYPE_IPV4);
		assert_int_equal(e->dst_addr.addr_bytes[5], 0x55);
		assert_int_equal(ip->version_ihl, RTE_IPV4_VHL_DEF);
		assert_int_equal(ip->time_to_live, 64);
		assert_int_equal(ip->next_proto_id, IPPROTO_UDP);
		assert_int_equal(rte_ipv4_cksum(ip), 0); /* valid */
		assert_int_equal(rte_be_to_cpu_16(u->src_port), 1234);
		assert_int_equal(rte_be_to_cpu_16(u->dst_port), 5678);
	}
	assert_int_equal(hb_visit_release(&vu), 0);
	assert_int_equal(hb_visit_release(&ve), 0);
	assert_int_equal(hb_visit_release(&vi), 0);

	/* Writers, one at a time (exclusive). */
	memcpy(cur, pkt, PKT_LEN);
	assert_int_equal(HB_VISIT_WRITE(&b, 0, struct rte_ether_hdr, 0, &w),
			 0);
	assert_view(&w, head, 0, sizeof(struct rte_ether_hdr),
		    alignof(struct rte_ether_hdr), cur);
	{
		struct rte_ether_hdr *e = HB_VIEW(&w, struct rte_ether_hdr);
		struct rte_ether_addr t = e->dst_addr;

		e->dst_addr = e->src_addr;
		e->src_addr = t;
	}
	assert_int_equal(hb_visit_release(&w), 0);
	assert_int_equal(hb_buf_read(&b, 0, cur, PKT_LEN), 0);

	assert_int_equal(HB_VISIT_WRITE(&b, OFF_IP, struct rte_ipv4_hdr, 0,
					&w),
			 0);
	assert_view(&w, head, OFF_IP, sizeof(struct rte_ipv4_hdr),
		    alignof(struct rte_ipv4_hdr), cur);
	{
		struct rte_ipv4_hdr *ip = HB_VIEW(&w, struct rte_ipv4_hdr);

		ip->time_to_live--;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	assert_int_equal(hb_visit_release(&w), 0);
	assert_int_equal(hb_buf_read(&b, 0, cur, PKT_LEN), 0);

	assert_int_equal(HB_VISIT_WRITE(&b, OFF_UDP, struct rte_udp_hdr, 0,
					&w),
			 0);
	assert_view(&w, head, OFF_UDP, sizeof(struct rte_udp_hdr),
		    alignof(struct rte_udp_hdr), cur);
	{
		struct rte_udp_hdr *u = HB_VIEW(&w, struct rte_udp_hdr);

		u->src_port = rte_cpu_to_be_16(4321);
		u->dst_port = rte_cpu_to_be_16(8765);
	}
	assert_int_equal(hb_visit_release(&w), 0);

	/* The bytes, through the buffer and through the mbufs. */
	assert_int_equal(hb_buf_read(&b, 0, out, PKT_LEN), 0);
	assert_memory_equal(out, exp, PKT_LEN);
	hb_assert_chain_bytes(head, exp, PKT_LEN);
	/* The layout did not move. */
	for (m = head, i = 0; m != NULL; m = m->next, i++) {
		assert_true(i < n);
		assert_int_equal(m->data_len, lens[i]);
		if (offs != NULL)
			assert_int_equal(m->data_off, offs[i]);
	}
	assert_int_equal(i, n);
	/* The rewritten IPv4 header checks out. */
	p = hb_buf_peek(&b, OFF_IP, sizeof(struct rte_ipv4_hdr), cur);
	assert_non_null(p);
	assert_int_equal(ref_cksum(p, sizeof(struct rte_ipv4_hdr)), 0);
	hb_assert_buf_ok(&b);
	assert_ptr_equal(hb_buf_detach(&b), head);
	rte_pktmbuf_free(head);
}

/* data_off of each segment for variant @v: several alignments. */
static void
layout_offs(uint16_t *offs, unsigned int n, unsigned int v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		offs[i] = (uint16_t)((i == 0 ? RTE_PKTMBUF_HEADROOM : 0) +
				     (v + i) % 4);
}

static void
test_headers_two_segs(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	uint8_t pkt[PKT_LEN], exp[PKT_LEN];
	uint16_t lens[3], offs[3];
	unsigned int s, v, layouts = 0;

	(void)state;
	pkt_build(pkt);
	memcpy(exp, pkt, PKT_LEN);
	pkt_expect(exp);
	for (s = 1; s < PKT_LEN; s++) {
		for (v = 0; v < 4; v++) {
			lens[0] = (uint16_t)s;
			lens[1] = (uint16_t)(PKT_LEN - s);
			layout_offs(offs, 2, v);
			run_layout(pkt, exp, lens, 2, offs);
			layouts++;
		}
		/* An empty segment between the two halves. */
		lens[0] = (uint16_t)s;
		lens[1] = 0;
		lens[2] = (uint16_t)(PKT_LEN - s);
		layout_offs(offs, 3, s);
		run_layout(pkt, exp, lens, 3, offs);
		layouts++;
	}
	assert_int_equal(layouts, (PKT_LEN - 1) * 5);
	hb_assert_pool_at(pool, base);
}

static void
test_headers_three_segs(void **state)
{
	unsigned int base = rte_mempool_in_use_count(pool);
	uint8_t pkt[PKT_LEN], exp[PKT_LEN];
	uint16_t lens[3], offs[3];
	unsigned int s1, s2, layouts = 0;

	(void)state;
	pkt_build(pkt);
	memcpy(exp, pkt, PKT_LEN);
	pkt_expect(exp);
	for (s1 = 1; s1 < PKT_LEN - 1; s1++) {
		for (s2 = s1 + 1; s2 < PKT_LEN; s2++) {
			lens[0] = (uint16_t)s1;
			lens[1] = (uint16_t)(s2 - s1);
			lens[2] = (uint16_t)(PKT_LEN - s2);
			layout_offs(offs, 3, s1 + s2);
			run_layout(pkt, exp, lens, 3, offs);
			layouts++;
		}
	}
	assert_int_equal(layouts, (PKT_LEN - 1) * (PKT_LEN - 2) / 2);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * 3. Growth
 */

/* Bytes [from, to) of @p are all zero. */
static void
assert_zero(const uint8_t *p, uint32_t from, uint32_t to)
{
	uint32_t i;

	for (i = from; i < to; i++)
		if (p[i] != 0)
			fail_msg("byte %" PRIu32 " is %#x, not zero", i, p[i]);
}

static void
test_grow_segment_boundary(void **state)
{
	static const uint8_t zeros[8192];
	static uint8_t model[8192];
	unsigned int base = rte_mempool_in_use_count(small_pool);
	uint16_t lens[2] = {SMALL_ROOM, SMALL_ROOM}, offs[2] = {0, 0};
	struct hb_stats st0, st1;
	struct rte_mbuf *head, *m;
	struct hb_visitor w;
	uint32_t len = 2 * SMALL_ROOM;
	struct hb_buf b;

	(void)state;
	pool_dirty(small_pool);
	hb_test_pattern(model, sizeof(model), 3);
	head = hb_test_chain(small_pool, model, lens, 2, offs);
	assert_int_equal(hb_buf_attach(&b, head), 0);

	/* Tail exactly full: the range lies in a new segment, direct. */
	st0 = stats_now();
	assert_int_equal(hb_visit_write(&b, len, 100, 100, &w), 0);
	st1 = stats_now();
	assert_int_equal(st1.visits_grown - st0.visits_grown, 1);
	assert_int_equal(st1.visits_bounced - st0.visits_bounced, 0);
	assert_int_equal(hb_buf_len(&b), len + 100);
	assert_int_equal(hb_buf_nb_segs(&b), 3);
	m = head->next->next;
	assert_non_null(m);
	assert_int_equal(m->data_len, 100);
	assert_true(hb_visitor_is_direct(&w));
	assert_ptr_equal(w.ptr, rte_pktmbuf_mtod(m, void *));
	assert_zero(w.ptr, 0, 100);
	memcpy(w.ptr, model + len, 100);
	assert_int_equal(hb_visit_release(&w), 0);
	len += 100;
	hb_assert_chain_bytes(head, model, len);

	/* Fill the new tail exactly, in place. */
	assert_int_equal(hb_visit_write(&b, len, SMALL_ROOM - 100,
					SMALL_ROOM - 100, &w),
			 0);
	assert_view(&w, head, len, SMALL_ROOM - 100, 1, zeros);
	assert_true(hb_visitor_is_direct(&w));
	memcpy(w.ptr, model + len, SMALL_ROOM - 100);
	assert_int_equal(hb_visit_release(&w), 0);
	len += SMALL_ROOM - 100;
	assert_int_equal(hb_buf_nb_segs(&b), 3);
	assert_int_equal(m->data_len, SMALL_ROOM);

	/* Across the full tail's end: old bytes then zeros, bounced. */
	st0 = stats_now();
	assert_int_equal(hb_visit_write(&b, len - 8, 40, 32, &w), 0);
	st1 = stats_now();
	assert_int_equal(st1.visits_grown - st0.visits_grown, 1);
	assert_int_equal(st1.visits_bounced - st0.visits_bounced, 1);
	assert_int_equal(st1.bounce_bytes - st0.bounce_bytes, 40);
	assert_false(hb_visitor_is_direct(&w));
	assert_memory_equal(w.ptr, model + len - 8, 8);
	assert_zero(w.ptr, 8, 40);
	assert_int_equal(hb_buf_len(&b), len + 32);
	assert_int_equal(hb_buf_nb_segs(&b), 4);
	memcpy(w.ptr, model + len - 8, 40);
	assert_int_equal(hb_visit_release(&w), 0);
	len += 32;
	hb_assert_chain_bytes(head, model, len);

	/* A declared growth larger than needed adds only what is needed. */
	assert_int_equal(hb_visit_write(&b, len - 4, 8, 5000, &w), 0);
	assert_int_equal(hb_buf_len(&b), len + 4);
	memcpy(w.ptr, model + len - 4, 8);
	assert_int_equal(hb_visit_release(&w), 0);
	len += 4;
	hb_assert_chain_bytes(head, model, len);
	hb_assert_buf_bytes(&b, model, len);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(small_pool, base);
}

/* Random read visitors over the whole of @b, checked against @model. */
static void
random_reads(struct hb_buf *b, struct rte_mbuf *head, const uint8_t *model,
	     uint32_t len, unsigned int count, uint64_t *s)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		uint32_t off = (uint32_t)(hb_test_rand(s) % len);
		uint32_t l = 1 + (uint32_t)(hb_test_rand(s) %
					    RTE_MIN(2000u, len - off));

		check_read(b, head, model, off, l);
	}
}

static void
test_grow_many_segments(void **state)
{
	static uint8_t model[2 * HB_VISIT_BOUNCE_SIZE + 8192];
	unsigned int base = rte_mempool_in_use_count(small_pool);
	uint16_t lens[1] = {200}, offs[1] = {0};
	uint64_t s = seed ^ 0x303;
	struct hb_stats st0, st1;
	struct rte_mbuf *head;
	struct hb_visitor w;
	uint32_t len = 200, want_segs, need;
	struct hb_buf b;
	struct hb_snap sn;

	(void)state;
	pool_dirty(small_pool);
	memset(model, 0, sizeof(model));
	hb_test_pattern(model, len, 4);
	head = hb_test_chain(small_pool, model, lens, 1, offs);
	assert_int_equal(hb_buf_attach(&b, head), 0);

	/* The largest spanning visit, nearly all of it new bytes. */
	st0 = stats_now();
	assert_int_equal(hb_visit_write(&b, 100, HB_VISIT_BOUNCE_SIZE,
					HB_VISIT_BOUNCE_SIZE, &w),
			 0);
	st1 = stats_now();
	assert_int_equal(st1.visits_grown - st0.visits_grown, 1);
	assert_int_equal(st1.visits_bounced - st0.visits_bounced, 1);
	assert_int_equal(st1.bounce_bytes - st0.bounce_bytes,
			 HB_VISIT_BOUNCE_SIZE);
	assert_false(hb_visitor_is_direct(&w));
	assert_int_equal(hb_buf_len(&b), 100 + HB_VISIT_BOUNCE_SIZE);
	/* The head's room (56 bytes left), then full 256-byte segments. */
	need = 100 + HB_VISIT_BOUNCE_SIZE - SMALL_ROOM;
	want_segs = 1 + (need + SMALL_ROOM - 1) / SMALL_ROOM;
	assert_int_equal(hb_buf_nb_segs(&b), want_segs);
	assert_int_equal(walk_count(head), want_segs);
	assert_memory_equal(w.ptr, model + 100, 100);
	assert_zero(w.ptr, 100, HB_VISIT_BOUNCE_SIZE);
	hb_test_pattern(model + 100, HB_VISIT_BOUNCE_SIZE, 5);
	memcpy(w.ptr, model + 100, HB_VISIT_BOUNCE_SIZE);
	assert_int_equal(hb_visit_release(&w), 0);
	len = 100 + HB_VISIT_BOUNCE_SIZE;
	hb_assert_chain_bytes(head, model, len);
	hb_assert_buf_bytes(&b, model, len);

	/* Random access on the long chain (segment index). */
	random_reads(&b, head, model, len, 2000, &s);
	hb_assert_buf_ok(&b);

	/* A growth that cannot be served (-E2BIG) is taken back. */
	hb_test_snap(&sn, &b, true);
	vis_garbage(&w);
	assert_int_equal(hb_visit_write(&b, len - 10, HB_VISIT_BOUNCE_SIZE + 1,
					HB_VISIT_BOUNCE_SIZE, &w),
			 -E2BIG);
	assert_not_granted(&w);
	hb_assert_snap(&sn, &b);
	hb_snap_free(&sn);
	random_reads(&b, head, model, len, 2000, &s);

	/* Several segments at once, not bounce-sized. */
	assert_int_equal(hb_visit_write(&b, len, 5 * SMALL_ROOM + 7,
					5 * SMALL_ROOM + 7, &w),
			 0);
	assert_zero(w.ptr, 0, 5 * SMALL_ROOM + 7);
	hb_test_pattern(model + len, 5 * SMALL_ROOM + 7, 6);
	memcpy(w.ptr, model + len, 5 * SMALL_ROOM + 7);
	assert_int_equal(hb_visit_release(&w), 0);
	len += 5 * SMALL_ROOM + 7;
	hb_assert_chain_bytes(head, model, len);
	random_reads(&b, head, model, len, 500, &s);

	/* A read of the full bounce size works, one byte more does not. */
	check_read(&b, head, model, 7, HB_VISIT_BOUNCE_SIZE);
	vis_garbage(&w);
	assert_int_equal(hb_visit_read(&b, 7, HB_VISIT_BOUNCE_SIZE + 1, &w),
			 -E2BIG);
	assert_not_granted(&w);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(small_pool, base);
}

static void
test_grow_gap_and_limits(void **state)
{
	static uint8_t model[16384];
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mbuf *head, *m;
	struct hb_visitor w;
	uint32_t len = 100, start;
	struct hb_buf b;
	struct hb_snap sn;

	(void)state;
	pool_dirty(pool);
	memset(model, 0, sizeof(model));
	hb_test_pattern(model, len, 8);
	head = buf_make(&b, pool, model, len, 100);

	/* Out of range, or more than declared: -ERANGE, nothing changes. */
	hb_test_snap(&sn, &b, true);
	vis_garbage(&w);
	assert_int_equal(hb_visit_read(&b, 100, 1, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_read(&b, 50, 51, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_read(&b, UINT32_MAX, 2, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 100, 1, 0, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 90, 11, 0, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 300, 50, 249, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 99, 2, 0, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, UINT32_MAX, UINT32_MAX, 0, &w),
			 -ERANGE);
	assert_not_granted(&w);
	/* Past what a buffer can hold: a DPDK limit, -E2BIG. */
	assert_int_equal(hb_visit_write(&b, UINT32_MAX, 1, UINT32_MAX, &w),
			 -E2BIG);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, UINT32_MAX - 200, 1, UINT32_MAX,
					&w),
			 -E2BIG);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, UINT32_MAX, 2, UINT32_MAX, &w),
			 -E2BIG);
	assert_not_granted(&w);
	hb_assert_snap(&sn, &b);
	hb_snap_free(&sn);

	/* A gap inside the head's room: zero, never the stale 0xa5. */
	assert_int_equal(hb_visit_write(&b, 300, 50, 250, &w), 0);
	assert_view(&w, head, 300, 50, 1, model);
	assert_true(hb_visitor_is_direct(&w));
	hb_test_pattern(model + 300, 50, 9);
	memcpy(w.ptr, model + 300, 50);
	assert_int_equal(hb_visit_release(&w), 0);
	len = 350;
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	hb_assert_chain_bytes(head, model, len);

	/* A gap over several new segments. */
	assert_int_equal(hb_visit_write(&b, len + 5000, 10, 5010, &w), 0);
	m = walk_find(head, len + 5000, &start);
	assert_true(m != head);
	assert_view(&w, head, len + 5000, 10, 1, model);
	hb_test_pattern(model + len + 5000, 10, 10);
	memcpy(w.ptr, model + len + 5000, 10);
	assert_int_equal(hb_visit_release(&w), 0);
	len += 5010;
	assert_true(hb_buf_nb_segs(&b) >= 3);
	hb_assert_chain_bytes(head, model, len);
	hb_assert_buf_bytes(&b, model, len);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

static void
test_grow_empty_buffer(void **state)
{
	static uint8_t model[4096];
	unsigned int base = rte_mempool_in_use_count(small_pool);
	struct hb_stats st0, st1;
	struct rte_mbuf *head;
	struct hb_visitor w;
	struct hb_buf b;
	uint16_t *p16;

	(void)state;
	pool_dirty(small_pool);
	assert_int_equal(hb_buf_init(&b, small_pool), 0);

	/* Nothing to read; a write needs a declared growth. */
	vis_garbage(&w);
	assert_int_equal(hb_visit_read(&b, 0, 1, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 0, 1, 0, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_visit_write(&b, 0, 10, 9, &w), -ERANGE);
	assert_not_granted(&w);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	hb_assert_pool_at(small_pool, base);

	/* In the first segment: direct, zero. */
	st0 = stats_now();
	assert_int_equal(hb_visit_write(&b, 0, 100, 100, &w), 0);
	st1 = stats_now();
	assert_int_equal(st1.visits_grown - st0.visits_grown, 1);
	assert_true(hb_visitor_is_direct(&w));
	assert_zero(w.ptr, 0, 100);
	hb_test_pattern(model, 100, 11);
	memcpy(w.ptr, model, 100);
	assert_int_equal(hb_visit_release(&w), 0);
	assert_int_equal(hb_buf_len(&b), 100);
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	hb_assert_buf_bytes(&b, model, 100);
	head = hb_buf_detach(&b);
	assert_non_null(head);
	hb_assert_chain_bytes(head, model, 100);
	rte_pktmbuf_free(head);
	hb_assert_pool_at(small_pool, base);

	/* With a gap, over several segments: bounced, zero. */
	memset(model, 0, sizeof(model));
	assert_int_equal(hb_visit_write(&b, 50, 700, 750, &w), 0);
	assert_false(hb_visitor_is_direct(&w));
	assert_zero(w.ptr, 0, 700);
	hb_test_pattern(model + 50, 700, 12);
	memcpy(w.ptr, model + 50, 700);
	assert_int_equal(hb_visit_release(&w), 0);
	assert_int_equal(hb_buf_len(&b), 750);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	hb_assert_buf_bytes(&b, model, 750);
	head = hb_buf_detach(&b);
	hb_assert_chain_bytes(head, model, 750);
	rte_pktmbuf_free(head);

	/* A typed, misaligned visit on an empty buffer: bounced, aligned. */
	assert_int_equal(HB_VISIT_WRITE(&b, 1, uint16_t, 3, &w), 0);
	assert_int_equal((uintptr_t)w.ptr % alignof(uint16_t), 0);
	p16 = HB_VIEW(&w, uint16_t);
	assert_int_equal(*p16, 0);
	*p16 = 0xbeef;
	assert_int_equal(hb_visit_release(&w), 0);
	memset(model, 0, sizeof(model));
	memcpy(model + 1, &(uint16_t){0xbeef}, 2);
	hb_assert_buf_bytes(&b, model, 3);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(small_pool, base);
}

/* A buffer shape for the growth failure tests. */
enum shape {
	SH_EMPTY,	/* no segment */
	SH_EMPTY_GAP,	/* no segment, range past a gap */
	SH_ROOM,	/* one segment with room */
	SH_FULL,	/* two segments, tail exactly full */
	SH_RESERVED,	/* tail with room, then reserved empty segments */
	SH_BURSTS,	/* growth of more segments than one bulk get */
	SH_CLONE_TAIL,	/* tail is a clone: its room is not ours */
	SH_LONG,	/* 20 segments with a segment index */
	SH_COUNT
};

struct shape_buf {
	struct hb_buf b;
	struct rte_mbuf *head;	 /* NULL for the empty shapes */
	struct rte_mbuf *orig;	 /* SH_CLONE_TAIL: the cloned segment */
	uint32_t len;
	uint32_t off, vlen;	 /* the growing visit */
	unsigned int need_segs;	 /* mbufs the growth takes */
	uint8_t model[16384];
};

/*
 * Build shape @sh from @mp (data room SMALL_ROOM) and the visit that grows
 * it; need_segs is worked out from the segment geometry by hand.
 */
static void
shape_build(struct shape_buf *t, enum shape sh, struct rte_mempool *mp,
	    uint64_t *s)
{
	uint16_t lens[20], offs[20];
	unsigned int i;

	hb_test_pattern(t->model, 20 * SMALL_ROOM, 20 + sh);
	memset(t->model + 20 * SMALL_ROOM, 0,
	       sizeof(t->model) - 20 * SMALL_ROOM);
	t->head = NULL;
	t->orig = NULL;
	switch (sh) {
	case SH_EMPTY:
		/* A first segment keeps the headroom: 128 + 3 x 256 + 104. */
		assert_int_equal(hb_buf_init(&t->b, mp), 0);
		memset(t->model, 0, sizeof(t->model));
		t->len = 0;
		t->off = 0;
		t->vlen = 1000;
		t->need_segs = 5;
		return;
	case SH_EMPTY_GAP:
		assert_int_equal(hb_buf_init(&t->b, mp), 0);
		memset(t->model, 0, sizeof(t->model));
		t->len = 0;
		t->off = 300;
		t->vlen = 10;
		t->need_segs = 2;
		return;
	case SH_ROOM:
		/* 156 bytes of room, then 844: 4 segments. */
		lens[0] = 100;
		offs[0] = 0;
		t->head = hb_test_chain(mp, t->model, lens, 1, offs);
		t->len = 100;
		t->off = 100;
		t->vlen = 1000;
		t->need_segs = 4;
		break;
	case SH_FULL:
		lens[0] = SMALL_ROOM;
		lens[1] = SMALL_ROOM;
		offs[0] = 0;
		offs[1] = 0;
		t->head = hb_test_chain(mp, t->model, lens, 2, offs);
		t->len = 2 * SMALL_ROOM;
		t->off = t->len - 6;
		t->vlen = 606;
		t->need_segs = 3;
		break;
	case SH_RESERVED:
		lens[0] = 100;
		offs[0] = 0;
		t->head = hb_test_chain(mp, t->model, lens, 1, offs);
		t->len = 100;
		t->off = 90;
		t->vlen = 2010;
		/* Sized below, once the reserved room is known. */
		t->need_segs = 0;
		break;
	case SH_BURSTS:
		lens[0] = SMALL_ROOM;
		lens[1] = SMALL_ROOM;
		offs[0] = 0;
		offs[1] = 0;
		t->head = hb_test_chain(mp, t->model, lens, 2, offs);
		t->len = 2 * SMALL_ROOM;
		t->off = t->len;
		t->vlen = 40 * SMALL_ROOM;
		t->need_segs = 40;
		break;
	case SH_CLONE_TAIL:
		lens[0] = 50;
		t->head = hb_test_chain(mp, t->model, lens, 1, NULL);
		lens[0] = 100;
		offs[0] = 0;
		t->orig = hb_test_chain(mp, t->model + 50, lens, 1, offs);
		/* The clone's room is the original's: never written. */
		memset(rte_pktmbuf_mtod_offset(t->orig, char *, 100), 0xee,
		       SMALL_ROOM - 100);
		{
			struct rte_mbuf *c = rte_pktmbuf_clone(t->orig, mp);

			assert_non_null(c);
			assert_int_equal(rte_pktmbuf_chain(t->head, c), 0);
		}
		t->len = 150;
		t->off = 140;
		t->vlen = 310;
		t->need_segs = 2;
		break;
	case SH_LONG:
		for (i = 0; i < 20; i++) {
			lens[i] = (uint16_t)(SMALL_ROOM - (i == 19 ? 56 : 0));
			offs[i] = 0;
		}
		t->head = hb_test_chain(mp, t->model, lens, 20, offs);
		t->len = 20 * SMALL_ROOM - 56;
		t->off = t->len - 100;
		t->vlen = 100 + 56 + 2 * SMALL_ROOM + 1;
		t->need_segs = 3;
		break;
	default:
		fail();
	}
	assert_int_equal(hb_buf_attach(&t->b, t->head), 0);
	if (sh == SH_RESERVED) {
		struct rte_mbuf *m;
		uint32_t have = SMALL_ROOM - 100, growth;

		assert_int_equal(hb_buf_reserve(&t->b, 500), 0);
		assert_int_equal(hb_buf_len(&t->b), 100);
		assert_true(hb_buf_nb_segs(&t->b) > 1);
		for (m = t->head->next; m != NULL; m = m->next) {
			assert_int_equal(m->data_len, 0);
			have += rte_pktmbuf_tailroom(m);
		}
		growth = t->off + t->vlen - t->len;
		assert_true(growth > have);
		t->need_segs = (growth - have + SMALL_ROOM - 1) / SMALL_ROOM;
	}
	memset(t->model + t->len, 0, sizeof(t->model) - t->len);
	if (sh == SH_LONG)
		random_reads(&t->b, t->head, t->model, t->len, 50, s);
	hb_assert_buf_ok(&t->b);
	assert_int_equal(hb_buf_len(&t->b), t->len);
}

static void
shape_free(struct shape_buf *t)
{
	assert_int_equal(hb_buf_free(&t->b), 0);
	if (t->orig != NULL) {
		/* The shared room was never written. */
		const uint8_t *r = rte_pktmbuf_mtod_offset(t->orig, uint8_t *,
							   100);
		uint32_t i;

		for (i = 0; i < SMALL_ROOM - 100u; i++)
			assert_int_equal(r[i], 0xee);
		rte_pktmbuf_free(t->orig);
	}
}

/* The grown visit succeeded: check it, write through it, verify. */
static void
shape_grown_ok(struct shape_buf *t, struct hb_visitor *w)
{
	uint32_t end = t->off + t->vlen;

	assert_int_equal(hb_buf_len(&t->b), end);
	if (t->len > t->off)
		assert_memory_equal(w->ptr, t->model + t->off,
				    t->len - t->off);
	assert_zero(t->model, RTE_MAX(t->len, t->off), end);
	assert_zero(w->ptr, t->len > t->off ? t->len - t->off : 0, t->vlen);
	hb_test_pattern(t->model + t->off, t->vlen, 55);
	memcpy(w->ptr, t->model + t->off, t->vlen);
	assert_int_equal(hb_visit_release(w), 0);
	t->len = end;
	hb_assert_buf_bytes(&t->b, t->model, end);
	hb_assert_buf_ok(&t->b);
}

static void
test_grow_pool_exhaustion(void **state)
{
	static struct shape_buf t;
	static struct rte_mbuf *hog[EXH_MBUFS];
	unsigned int base = rte_mempool_in_use_count(exh_pool);
	uint64_t s = seed ^ 0x404;
	struct hb_stats st0, st1;
	struct hb_visitor w;
	unsigned int k, sh;

	(void)state;
	pool_dirty(exh_pool);
	for (sh = 0; sh < SH_COUNT; sh++) {
		for (k = 0;; k++) {
			unsigned int avail, nhog;
			struct hb_snap sn;
			int rc;

			shape_build(&t, sh, exh_pool, &s);
			assert_true(t.need_segs > 0);
			assert_true(k <= t.need_segs);
			/* Leave exactly k mbufs in the pool. */
			avail = rte_mempool_avail_count(exh_pool);
			assert_true(avail >= t.need_segs);
			nhog = avail - k;
			assert_int_equal(rte_pktmbuf_alloc_bulk(exh_pool, hog,
								nhog),
					 0);
			hb_test_snap(&sn, &t.b, true);
			st0 = stats_now();
			vis_garbage(&w);
			rc = hb_visit_write(&t.b, t.off, t.vlen,
					    t.off + t.vlen - t.len, &w);
			st1 = stats_now();
			if (k < t.need_segs) {
				if (rc != -ENOMEM)
					fail_msg("shape %u, %u mbufs: rc %d",
						 sh, k, rc);
				assert_not_granted(&w);
				hb_assert_snap(&sn, &t.b);
				hb_snap_free(&sn);
				assert_int_equal(st1.visits_grown,
						 st0.visits_grown);
				assert_int_equal(st1.visits_failed -
							 st0.visits_failed,
						 1);
			} else {
				hb_snap_free(&sn);
				if (rc != 0)
					fail_msg("shape %u, %u mbufs: rc %d",
						 sh, k, rc);
				/* It took exactly what it needed. */
				assert_int_equal(
					rte_mempool_avail_count(exh_pool), 0);
				shape_grown_ok(&t, &w);
			}
			rte_pktmbuf_free_bulk(hog, nhog);
			shape_free(&t);
			hb_assert_pool_at(exh_pool, base);
			if (rc == 0)
				break;
		}
	}
	hb_assert_pool_at(exh_pool, base);
}

/* Readers on other buffers hold the calling lcore's whole bounce memory. */
struct arena_fill {
	struct hb_buf o[2];
	uint8_t model[2][40000];
	struct hb_visitor r[4];
};

static void
arena_fill(struct arena_fill *f)
{
	unsigned int i;
	struct hb_visitor v;

	for (i = 0; i < 2; i++) {
		hb_test_pattern(f->model[i], sizeof(f->model[i]), 60 + i);
		assert_int_equal(hb_buf_init(&f->o[i], pool), 0);
		assert_int_equal(hb_buf_append(&f->o[i], f->model[i],
					       sizeof(f->model[i])),
				 0);
	}
	for (i = 0; i < 4; i++) {
		struct hb_buf *o = &f->o[i / 2];
		uint32_t off = 100 + (i % 2) * 20000;

		assert_int_equal(hb_visit_read(o, off,
					       HB_VISIT_BOUNCE_SIZE / 4,
					       &f->r[i]),
				 0);
		assert_false(hb_visitor_is_direct(&f->r[i]));
	}
	/* Full: even a two-byte bounce is refused. */
	vis_garbage(&v);
	assert_int_equal(hb_visit_read_aligned(&f->o[0], 1, 2, 2, &v),
			 -ENOMEM);
	assert_not_granted(&v);
}

static void
arena_unfill(struct arena_fill *f)
{
	static const unsigned int order[4] = {2, 0, 3, 1};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		struct hb_visitor *r = &f->r[order[i]];

		assert_memory_equal(r->ptr, f->model[order[i] / 2] + r->off,
				    r->len);
		assert_int_equal(hb_visit_release(r), 0);
	}
	assert_int_equal(hb_buf_free(&f->o[0]), 0);
	assert_int_equal(hb_buf_free(&f->o[1]), 0);
}

static void
test_grow_bounce_exhausted_undo(void **state)
{
	static struct arena_fill f;
	static struct shape_buf t;
	unsigned int base_s = rte_mempool_in_use_count(small_pool);
	unsigned int base = rte_mempool_in_use_count(pool);
	uint64_t s = seed ^ 0x505;
	struct hb_stats st0, st1;
	struct hb_visitor w;
	unsigned int sh, k;

	(void)state;
	pool_dirty(small_pool);
	for (sh = 0; sh < SH_COUNT; sh++) {
		struct hb_snap sn;

		if (sh == SH_EMPTY_GAP)
			continue; /* its range lies in one segment: direct */
		shape_build(&t, sh, small_pool, &s);
		arena_fill(&f);
		/* The growth succeeds, the bounce does not: all undone. */
		hb_test_snap(&sn, &t.b, true);
		st0 = stats_now();
		vis_garbage(&w);
		assert_int_equal(hb_visit_write(&t.b, t.off, t.vlen,
						t.off + t.vlen - t.len, &w),
				 -ENOMEM);
		st1 = stats_now();
		assert_not_granted(&w);
		hb_assert_snap(&sn, &t.b);
		hb_snap_free(&sn);
		assert_int_equal(st1.visits_grown, st0.visits_grown);
		assert_int_equal(st1.visits_bounced, st0.visits_bounced);
		assert_int_equal(st1.visits_failed - st0.visits_failed, 1);
		/* Lookups (segment index on SH_LONG) still find every byte. */
		for (k = 0; t.len > 0 && k < 200; k++) {
			uint8_t out[64];
			uint32_t off = (uint32_t)(hb_test_rand(&s) % t.len);
			uint32_t l = RTE_MIN(64u, t.len - off);

			assert_int_equal(hb_buf_read(&t.b, off, out, l), 0);
			assert_memory_equal(out, t.model + off, l);
		}
		/* A growth that needs no bounce still works. */
		if (t.head != NULL) {
			assert_int_equal(hb_visit_write(&t.b, t.len, 1, 1, &w),
					 0);
			assert_true(hb_visitor_is_direct(&w));
			assert_int_equal(*(uint8_t *)w.ptr, 0);
			assert_int_equal(hb_visit_release(&w), 0);
			assert_int_equal(hb_buf_trim(&t.b, 1), 0);
		}
		arena_unfill(&f);
		/* With bounce memory back, the same visit is granted. */
		assert_int_equal(hb_visit_write(&t.b, t.off, t.vlen,
						t.off + t.vlen - t.len, &w),
				 0);
		shape_grown_ok(&t, &w);
		shape_free(&t);
		hb_assert_pool_at(small_pool, base_s);
		hb_assert_pool_at(pool, base);
	}
	/* An empty buffer, a first segment that is misaligned: undone. */
	assert_int_equal(hb_buf_init(&t.b, small_pool), 0);
	arena_fill(&f);
	assert_int_equal(HB_VISIT_WRITE(&t.b, 1, uint32_t, 5, &w), -ENOMEM);
	assert_not_granted(&w);
	assert_int_equal(hb_buf_nb_segs(&t.b), 0);
	assert_int_equal(hb_buf_len(&t.b), 0);
	hb_assert_buf_ok(&t.b);
	hb_assert_pool_at(small_pool, base_s);
	arena_unfill(&f);
	hb_assert_pool_at(small_pool, base_s);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * 4. Consistency rule
 */

/* Every mutating call on @b fails with -EBUSY and changes nothing. */
static void
assert_mutators_busy(struct hb_buf *b)
{
	static const uint8_t src[4096];
	struct hb_buf t, t0;
	uint32_t len = hb_buf_len(b);
	struct hb_snap sn;

	hb_test_snap(&sn, b, true);
	assert_int_equal(hb_buf_append(b, src, 1), -EBUSY);
	assert_int_equal(hb_buf_append(b, src, 0), -EBUSY);
	assert_int_equal(hb_buf_append(b, src, sizeof(src)), -EBUSY);
	assert_int_equal(hb_buf_append_u8(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_be16(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_be32(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_be64(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_le16(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_le32(b, 1), -EBUSY);
	assert_int_equal(hb_buf_append_le64(b, 1), -EBUSY);
	assert_int_equal(hb_buf_prepend(b, src, 1), -EBUSY);
	assert_int_equal(hb_buf_prepend(b, src, sizeof(src)), -EBUSY);
	assert_int_equal(hb_buf_write(b, 0, src, 1), -EBUSY);
	assert_int_equal(hb_buf_write(b, 0, src, RTE_MIN(len, 4096u)), -EBUSY);
	assert_int_equal(hb_buf_write(b, len - 1, src, 1), -EBUSY);
	assert_int_equal(hb_buf_put_u8(b, 0, 1), -EBUSY);
	assert_int_equal(hb_buf_put_be16(b, 0, 1), -EBUSY);
	assert_int_equal(hb_buf_put_be32(b, 2040, 1), -EBUSY);
	assert_int_equal(hb_buf_put_be64(b, len - 8, 1), -EBUSY);
	assert_int_equal(hb_buf_put_le16(b, 1, 1), -EBUSY);
	assert_int_equal(hb_buf_put_le32(b, 2046, 1), -EBUSY);
	assert_int_equal(hb_buf_put_le64(b, 3, 1), -EBUSY);
	assert_int_equal(hb_buf_trim(b, 0), -EBUSY);
	assert_int_equal(hb_buf_trim(b, 1), -EBUSY);
	assert_int_equal(hb_buf_trim(b, len), -EBUSY);
	assert_int_equal(hb_buf_adj(b, 0), -EBUSY);
	assert_int_equal(hb_buf_adj(b, 1), -EBUSY);
	assert_int_equal(hb_buf_adj(b, len), -EBUSY);
	assert_int_equal(hb_buf_init(&t, pool), 0);
	t0 = t;
	assert_int_equal(hb_buf_split(b, 1, &t), -EBUSY);
	assert_int_equal(hb_buf_split(b, len / 2, &t), -EBUSY);
	assert_int_equal(hb_buf_split(b, 0, &t), -EBUSY);
	assert_memory_equal(&t, &t0, sizeof(t));
	assert_int_equal(hb_buf_free(b), -EBUSY);
	assert_int_equal(hb_buf_reserve(b, 1), -EBUSY);
	assert_int_equal(hb_buf_reserve(b, 100000), -EBUSY);
	rte_errno = 0;
	assert_null(hb_buf_detach(b));
	assert_int_equal(rte_errno, EBUSY);
	hb_assert_snap(&sn, b);
	hb_snap_free(&sn);
}

/* Every reading call works on @b and shows @model. */
static void
assert_reads_ok(struct hb_buf *b, const uint8_t *model)
{
	static uint8_t out[16384], scratch[16384];
	uint32_t len = hb_buf_len(b), got = 0, v32;
	struct iovec iov[64];
	struct hb_cursor c = { 0 };
	const void *p;
	uint64_t v64;
	uint16_t v16;
	uint8_t v8;
	int n, i;

	assert_true(len <= sizeof(out));
	assert_int_equal(hb_buf_read(b, 0, out, len), 0);
	assert_memory_equal(out, model, len);
	assert_int_equal(hb_buf_read(b, len - 3, out, 3), 0);
	assert_memory_equal(out, model + len - 3, 3);
	p = hb_buf_peek(b, 5, 10, NULL);
	assert_non_null(p);
	assert_memory_equal(p, model + 5, 10);
	p = hb_buf_peek(b, 0, len, scratch);
	assert_non_null(p);
	assert_memory_equal(p, model, len);
	n = hb_buf_iov(b, 0, len, NULL, 0);
	assert_true(n >= 1 && n <= (int)RTE_DIM(iov));
	assert_int_equal(hb_buf_iov(b, 0, len, iov, n), n);
	for (i = 0; i < n; i++) {
		assert_memory_equal(iov[i].iov_base, model + got,
				    iov[i].iov_len);
		got += (uint32_t)iov[i].iov_len;
	}
	assert_int_equal(got, len);
	assert_int_equal(hb_cursor_init(&c, b, 0), 0);
	assert_int_equal(hb_cursor_read(&c, out, 7), 0);
	assert_memory_equal(out, model, 7);
	assert_int_equal(hb_cursor_get_be16(&c, &v16), 0);
	assert_int_equal(v16, model[7] << 8 | model[8]);
	assert_int_equal(hb_cursor_skip(&c, 2000), 0);
	assert_int_equal(hb_cursor_read(&c, out, len - 2009), 0);
	assert_memory_equal(out, model + 2009, len - 2009);
	assert_int_equal(hb_buf_get_u8(b, 1, &v8), 0);
	assert_int_equal(v8, model[1]);
	assert_int_equal(hb_buf_get_be32(b, 2046, &v32), 0);
	assert_int_equal(v32, (uint32_t)model[2046] << 24 |
				      (uint32_t)model[2047] << 16 |
				      (uint32_t)model[2048] << 8 | model[2049]);
	assert_int_equal(hb_buf_get_le64(b, len - 8, &v64), 0);
	assert_memory_equal(&v64, model + len - 8, 8);
}

/* Every reading call fails with -EBUSY; @c was set up before. */
static void
assert_reads_busy(struct hb_buf *b, struct hb_cursor *c)
{
	uint8_t out[4096], scratch[4096];
	struct hb_cursor c2, c2_0, c0;
	struct iovec iov[8];
	uint32_t len = hb_buf_len(b), v32;
	uint16_t v16;
	uint8_t v8;

	assert_int_equal(hb_buf_read(b, 0, out, 1), -EBUSY);
	assert_int_equal(hb_buf_read(b, 0, out, RTE_MIN(len, 4096u)), -EBUSY);
	assert_int_equal(hb_buf_read(b, 0, out, 0), -EBUSY);
	rte_errno = 0;
	assert_null(hb_buf_peek(b, 0, 1, scratch));
	assert_int_equal(rte_errno, EBUSY);
	rte_errno = 0;
	assert_null(hb_buf_peek(b, 0, RTE_MIN(len, 4096u), scratch));
	assert_int_equal(rte_errno, EBUSY);
	rte_errno = 0;
	assert_null(hb_buf_peek(b, 0, 0, scratch));
	assert_int_equal(rte_errno, EBUSY);
	assert_int_equal(hb_buf_iov(b, 0, 1, NULL, 0), -EBUSY);
	assert_int_equal(hb_buf_iov(b, 0, len, iov, 8), -EBUSY);
	assert_int_equal(hb_buf_get_u8(b, 0, &v8), -EBUSY);
	assert_int_equal(hb_buf_get_be16(b, 0, &v16), -EBUSY);
	assert_int_equal(hb_buf_get_le32(b, 2046, &v32), -EBUSY);
	memset(&c2, 0x5a, sizeof(c2));
	c2_0 = c2;
	assert_int_equal(hb_cursor_init(&c2, b, 0), -EBUSY);
	assert_memory_equal(&c2, &c2_0, sizeof(c2));
	c0 = *c;
	assert_int_equal(hb_cursor_read(c, out, 1), -EBUSY);
	assert_int_equal(hb_cursor_read(c, out, 3000), -EBUSY);
	assert_int_equal(hb_cursor_peek(c, out, 1), -EBUSY);
	assert_int_equal(hb_cursor_skip(c, 1), -EBUSY);
	assert_int_equal(hb_cursor_get_u8(c, &v8), -EBUSY);
	assert_int_equal(hb_cursor_peek_be16(c, &v16), -EBUSY);
	rte_errno = 0;
	assert_null(hb_cursor_pull(c, 1, scratch));
	assert_int_equal(rte_errno, EBUSY);
	assert_memory_equal(c, &c0, sizeof(c0));
}

/* Try a refused visit, check it took nothing. */
#define REFUSED(call)                                                          \
	do {                                                                   \
		vis_garbage(&v);                                               \
		assert_int_equal((call), -EBUSY);                              \
		assert_not_granted(&v);                                        \
		refused++;                                                     \
	} while (0)

/*
 * Write visits are refused on @b (and read visits too if @readers);
 * returns the number of refused visits.
 */
static unsigned int
assert_visits_busy(struct hb_buf *b, bool readers)
{
	uint32_t len = hb_buf_len(b);
	unsigned int refused = 0, in_use = rte_mempool_in_use_count(pool);
	struct hb_visitor v;

	REFUSED(hb_visit_write(b, 0, 4, 0, &v));
	REFUSED(hb_visit_write(b, 2040, 100, 0, &v));
	REFUSED(hb_visit_write(b, len - 2, 5000, 5000, &v));
	REFUSED(hb_visit_write(b, len + 100, 1, 200, &v));
	REFUSED(HB_VISIT_WRITE(b, 8, uint64_t, 0, &v));
	REFUSED(HB_VISIT_WRITE(b, 1, uint32_t, 0, &v));
	REFUSED(hb_visit_write_aligned(b, 3, 4, 0, 4, &v));
	if (readers) {
		REFUSED(hb_visit_read(b, 0, 4, &v));
		REFUSED(hb_visit_read(b, 10, 20, &v));
		REFUSED(hb_visit_read(b, 2040, 100, &v));
		REFUSED(HB_VISIT_READ(b, 8, uint64_t, &v));
		REFUSED(HB_VISIT_READ(b, 1, uint32_t, &v));
		REFUSED(hb_visit_read_aligned(b, 3, 4, 4, &v));
	}
	assert_int_equal(hb_buf_len(b), len);
	hb_assert_pool_at(pool, in_use);
	return refused;
}

/*
 * After the visitors are gone every call works again (checked against the
 * flat @model, updated; *@len is the length).
 */
static void
assert_mutators_work(struct hb_buf *b, uint8_t *model, uint32_t *len)
{
	static uint8_t out[16384];
	struct hb_visitor v;
	struct rte_mbuf *m;
	uint32_t n = *len, h;
	uint8_t add[64];
	struct hb_buf t;

	hb_test_pattern(add, sizeof(add), 31);
	assert_int_equal(hb_buf_append(b, add, 10), 0);
	memcpy(model + n, add, 10);
	n += 10;
	assert_int_equal(hb_buf_prepend(b, add + 10, 5), 0);
	memmove(model + 5, model, n);
	memcpy(model, add + 10, 5);
	n += 5;
	assert_int_equal(hb_buf_write(b, 2045, add + 20, 7), 0);
	memcpy(model + 2045, add + 20, 7);
	assert_int_equal(hb_buf_put_be32(b, n - 6, 0x01020304), 0);
	memcpy(model + n - 6, "\x01\x02\x03\x04", 4);
	assert_int_equal(hb_buf_put_le16(b, 1, 0x0a0b), 0);
	memcpy(model + 1, "\x0b\x0a", 2);
	assert_int_equal(hb_buf_trim(b, 4), 0);
	n -= 4;
	assert_int_equal(hb_buf_adj(b, 2), 0);
	memmove(model, model + 2, n - 2);
	n -= 2;
	assert_int_equal(hb_buf_reserve(b, 1000), 0);
	hb_assert_buf_bytes(b, model, n);
	/* Split in two, then glue back. */
	h = n / 2 + 3;
	assert_int_equal(hb_buf_split(b, h, &t), 0);
	hb_assert_buf_bytes(b, model, h);
	assert_int_equal(hb_buf_read(&t, 0, out, n - h), 0);
	assert_memory_equal(out, model + h, n - h);
	assert_int_equal(hb_buf_free(&t), 0);
	assert_int_equal(hb_buf_append(b, out, n - h), 0);
	/* Visitors again. */
	assert_int_equal(hb_visit_write(b, 0, 4, 0, &v), 0);
	memcpy(v.ptr, "wxyz", 4);
	assert_int_equal(hb_visit_release(&v), 0);
	memcpy(model, "wxyz", 4);
	assert_int_equal(hb_visit_read(b, 2040, 100, &v), 0);
	assert_memory_equal(v.ptr, model + 2040, 100);
	assert_int_equal(hb_visit_release(&v), 0);
	/* Out and back in. */
	m = hb_buf_detach(b);
	assert_non_null(m);
	hb_assert_chain_bytes(m, model, n);
	assert_int_equal(hb_buf_attach(b, m), 0);
	hb_assert_buf_bytes(b, model, n);
	hb_assert_buf_ok(b);
	*len = n;
}

enum vkind { VK_DIRECT, VK_BOUNCED, VK_GROWN, VK_COUNT };

static void
test_busy_read_visitor(void **state)
{
	static uint8_t model[16384];
	unsigned int base = rte_mempool_in_use_count(pool), k, refused;
	struct hb_visitor r, r2;
	struct hb_stats st0, st1;
	uint32_t len = 5000;
	struct hb_buf b;

	(void)state;
	for (k = VK_DIRECT; k <= VK_BOUNCED; k++) {
		hb_test_pattern(model, len, 40 + k);
		buf_make(&b, pool, model, len, 1000);
		assert_true(hb_buf_nb_segs(&b) >= 3);
		if (k == VK_DIRECT)
			assert_int_equal(hb_visit_read(&b, 10, 20, &r), 0);
		else
			assert_int_equal(hb_visit_read(&b, 2040, 100, &r), 0);
		assert_int_equal(hb_visitor_is_direct(&r), k == VK_DIRECT);

		assert_mutators_busy(&b);
		assert_reads_ok(&b, model);
		/* More readers share the buffer. */
		assert_int_equal(hb_visit_read(&b, 0, 8, &r2), 0);
		assert_true(hb_visitor_is_direct(&r2));
		assert_int_equal(hb_visit_release(&r2), 0);
		assert_int_equal(hb_visit_read(&b, 4000, 1000, &r2), 0);
		assert_false(hb_visitor_is_direct(&r2));
		assert_memory_equal(r2.ptr, model + 4000, 1000);
		assert_int_equal(hb_visit_release(&r2), 0);
		/* Writers do not. */
		st0 = stats_now();
		refused = assert_visits_busy(&b, false);
		st1 = stats_now();
		assert_int_equal(st1.visits_busy - st0.visits_busy, refused);
		assert_int_equal(st1.visits_grown, st0.visits_grown);
		/* Still live and holding. */
		assert_true(hb_visitor_is_live(&r));
		assert_memory_equal(r.ptr, model + r.off, r.len);
		assert_mutators_busy(&b);
		assert_int_equal(hb_visit_release(&r), 0);
		assert_false(hb_visitor_is_live(&r));

		assert_mutators_work(&b, model, &len);
		assert_int_equal(hb_buf_free(&b), 0);
		len = 5000;
		hb_assert_pool_at(pool, base);
	}
}

static void
test_busy_write_visitor(void **state)
{
	static uint8_t model[16384];
	unsigned int base = rte_mempool_in_use_count(pool), k, refused;
	struct hb_stats st0, st1;
	struct rte_mbuf *head;
	struct hb_visitor w;
	struct hb_cursor c;
	uint32_t len;
	struct hb_buf b;

	(void)state;
	for (k = 0; k < VK_COUNT; k++) {
		len = 5000;
		memset(model, 0, sizeof(model));
		hb_test_pattern(model, len, 50 + k);
		head = buf_make(&b, pool, model, len, 1000);
		assert_int_equal(hb_cursor_init(&c, &b, 10), 0);
		if (k == VK_DIRECT) {
			assert_int_equal(hb_visit_write(&b, 10, 20, 0, &w), 0);
		} else if (k == VK_BOUNCED) {
			assert_int_equal(hb_visit_write(&b, 2040, 100, 0, &w),
					 0);
		} else {
			assert_int_equal(hb_visit_write(&b, len - 50, 5000,
							4950, &w),
					 0);
			len += 4950;
		}
		assert_int_equal(hb_visitor_is_direct(&w), k == VK_DIRECT);

		assert_mutators_busy(&b);
		assert_reads_busy(&b, &c);
		st0 = stats_now();
		refused = assert_visits_busy(&b, true);
		st1 = stats_now();
		assert_int_equal(st1.visits_busy - st0.visits_busy, refused);
		assert_int_equal(st1.visits_bounced, st0.visits_bounced);
		assert_true(hb_visitor_is_live(&w));
		assert_mutators_busy(&b);
		assert_reads_busy(&b, &c);
		/* Write through it, then release: everything works again. */
		memset(w.ptr, 0x3c, w.len);
		memset(model + w.off, 0x3c, w.len);
		assert_int_equal(hb_visit_release(&w), 0);
		assert_false(hb_visitor_is_live(&w));
		hb_assert_chain_bytes(head, model, len);
		{
			uint8_t out[16];

			/* The cursor set up before is still good. */
			assert_int_equal(hb_cursor_read(&c, out, 16), 0);
			assert_memory_equal(out, model + 10, 16);
		}
		assert_reads_ok(&b, model);
		assert_mutators_work(&b, model, &len);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(pool, base);
	}
}

static void
test_release_errors(void **state)
{
	static uint8_t model[5001];
	static struct arena_fill f;
	unsigned int base = rte_mempool_in_use_count(pool);
	unsigned int base_e = rte_mempool_in_use_count(exh_pool);
	struct hb_visitor v, r1, r2, w, z;
	struct rte_mbuf *head;
	struct hb_buf b, u;
	unsigned int k;

	(void)state;
	hb_test_pattern(model, 5000, 70);
	head = buf_make(&b, pool, model, 5000, 1000);

	assert_int_equal(hb_visit_release(NULL), -EINVAL);
	memset(&z, 0, sizeof(z));
	assert_false(hb_visitor_is_live(&z));
	assert_int_equal(hb_visit_release(&z), -EINVAL);
	vis_garbage(&z);
	assert_int_equal(hb_visit_release(&z), -EINVAL);
	memset(&z, 0xff, sizeof(z));
	assert_int_equal(hb_visit_release(&z), -EINVAL);

	/* Double release, of each kind; the second changes nothing. */
	for (k = 0; k < 4; k++) {
		bool write = k >= 2, bounced = k % 2;
		uint32_t off = bounced ? 2040 : 10;

		assert_int_equal(hb_visit_read(&b, 3000, 10, &r2), 0);
		assert_int_equal(hb_visit_release(&r2), 0);
		if (write)
			assert_int_equal(hb_visit_write(&b, off, 100, 0, &v),
					 0);
		else
			assert_int_equal(hb_visit_read(&b, off, 100, &v), 0);
		assert_int_equal(hb_visitor_is_direct(&v), !bounced);
		assert_int_equal(hb_visit_release(&v), 0);
		assert_int_equal(hb_visit_release(&v), -EALREADY);
		assert_int_equal(hb_visit_release(&r2), -EALREADY);
		/* Nothing is held: a writer is granted. */
		assert_int_equal(hb_visit_write(&b, 0, 1, 0, &w), 0);
		assert_int_equal(hb_visit_release(&w), 0);
	}
	/* A reader released twice does not drop another reader's hold. */
	assert_int_equal(hb_visit_read(&b, 0, 10, &r1), 0);
	assert_int_equal(hb_visit_read(&b, 2040, 10, &r2), 0);
	assert_int_equal(hb_visit_release(&r1), 0);
	assert_int_equal(hb_visit_release(&r1), -EALREADY);
	vis_garbage(&w);
	assert_int_equal(hb_visit_write(&b, 0, 1, 0, &w), -EBUSY);
	assert_not_granted(&w);
	assert_int_equal(hb_buf_append(&b, "x", 1), -EBUSY);
	assert_int_equal(hb_visit_release(&r2), 0);

	/*
	 * A failed acquire leaves the visitor not releasable, whether it
	 * held garbage or a released visitor before.
	 */
	for (k = 0; k < 2; k++) {
		if (k == 0) {
			vis_garbage(&v);
		} else {
			assert_int_equal(hb_visit_read(&b, 0, 1, &v), 0);
			assert_int_equal(hb_visit_release(&v), 0);
		}
		assert_int_equal(hb_visit_read(&b, 0, 0, &v), -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_write(&b, 0, 0, 10, &v), -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_read_aligned(&b, 0, 4, 3, &v),
				 -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_read(NULL, 0, 1, &v), -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_write(NULL, 0, 1, 1, &v), -EINVAL);
		assert_not_granted(&v);
		memset(&u, 0, sizeof(u));
		assert_int_equal(hb_visit_read(&u, 0, 1, &v), -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_write(&u, 0, 1, 1, &v), -EINVAL);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_read(&b, 4999, 2, &v), -ERANGE);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_read(&b, 0, HB_VISIT_BOUNCE_SIZE + 1,
					       &v),
				 -ERANGE);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_write(&b, 0, 1, 0, &w), 0);
		assert_int_equal(hb_visit_read(&b, 0, 1, &v), -EBUSY);
		assert_not_granted(&v);
		assert_int_equal(hb_visit_release(&w), 0);
		arena_fill(&f);
		assert_int_equal(hb_visit_read(&b, 2040, 10, &v), -ENOMEM);
		assert_not_granted(&v);
		arena_unfill(&f);
	}
	/* -ENOMEM from the pool, then -E2BIG from the bounce size. */
	assert_int_equal(hb_buf_init(&u, exh_pool), 0);
	{
		static struct rte_mbuf *hog[EXH_MBUFS];
		unsigned int n = rte_mempool_avail_count(exh_pool);

		assert_int_equal(rte_pktmbuf_alloc_bulk(exh_pool, hog, n), 0);
		vis_garbage(&v);
		assert_int_equal(hb_visit_write(&u, 0, 10, 10, &v), -ENOMEM);
		assert_not_granted(&v);
		/* Never mappable: -E2BIG before any mbuf is asked for. */
		assert_int_equal(hb_visit_write(&u, 0, HB_VISIT_BOUNCE_SIZE + 1,
						UINT32_MAX, &v),
				 -E2BIG);
		assert_not_granted(&v);
		rte_pktmbuf_free_bulk(hog, n);
	}
	hb_assert_pool_at(exh_pool, base_e);
	assert_int_equal(hb_visit_write(&u, 0, HB_VISIT_BOUNCE_SIZE + 1,
					HB_VISIT_BOUNCE_SIZE + 1, &v),
			 -E2BIG);
	assert_not_granted(&v);
	assert_int_equal(hb_buf_nb_segs(&u), 0);
	hb_assert_pool_at(exh_pool, base_e);
	/* A NULL visitor: refused, the buffer is not held. */
	assert_int_equal(hb_visit_read(&b, 0, 1, NULL), -EINVAL);
	assert_int_equal(hb_visit_write(&b, 0, 1, 0, NULL), -EINVAL);
	assert_int_equal(HB_VISIT_READ(&b, 0, uint32_t, NULL), -EINVAL);
	assert_int_equal(hb_buf_append(&b, "x", 1), 0);
	model[5000] = 'x';
	hb_assert_chain_bytes(head, model, 5001);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

static void
test_release_after_reinit(void **state)
{
	static uint8_t model[5000];
	unsigned int base = rte_mempool_in_use_count(pool);
	struct rte_mbuf *head;
	struct hb_visitor v, w;
	struct hb_buf b;
	unsigned int k;

	(void)state;
	hb_test_pattern(model, sizeof(model), 80);
	for (k = 0; k < 2; k++) {
		bool write = k == 1;

		head = buf_make(&b, pool, model, sizeof(model), 1000);
		if (write) {
			assert_int_equal(hb_visit_write(&b, 10, 20, 0, &v), 0);
			memset(v.ptr, 0x11, 20); /* direct: lands at once */
			memset(model + 10, 0x11, 20);
		} else {
			assert_int_equal(hb_visit_read(&b, 10, 20, &v), 0);
		}
		assert_true(hb_visitor_is_direct(&v));
		/* The buffer is re-initialised under the visitor. */
		assert_int_equal(hb_buf_init(&b, pool), 0);
		assert_int_equal(hb_visit_release(&v), -EINVAL);
		assert_true(hb_visitor_is_live(&v)); /* nothing changed */
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_buf_len(&b), 0);
		/* The new buffer is idle and usable... */
		assert_int_equal(hb_visit_write(&b, 0, 10, 10, &w), 0);
		assert_int_equal(hb_visit_release(&w), 0);
		assert_int_equal(hb_visit_release(&v), -EINVAL);
		assert_int_equal(hb_buf_len(&b), 10);
		assert_int_equal(hb_buf_free(&b), 0);
		/* ... and the old chain was not touched. */
		hb_assert_chain_bytes(head, model, sizeof(model));
		assert_int_equal(rte_mbuf_check(head, 1, NULL), 0);
		rte_pktmbuf_free(head);
	}
	hb_assert_pool_at(pool, base);
}

static void
test_free_while_live(void **state)
{
	static uint8_t model[5000];
	unsigned int base = rte_mempool_in_use_count(pool), k;
	struct rte_mbuf *head;
	struct hb_visitor v;
	struct hb_buf b;
	struct hb_snap sn;

	(void)state;
	for (k = 0; k < 4; k++) {
		bool write = k >= 2, bounced = k % 2;
		uint32_t off = bounced ? 2040 : 10;

		hb_test_pattern(model, sizeof(model), 90 + k);
		head = buf_make(&b, pool, model, sizeof(model), 1000);
		if (write)
			assert_int_equal(hb_visit_write(&b, off, 100, 0, &v),
					 0);
		else
			assert_int_equal(hb_visit_read(&b, off, 100, &v), 0);
		hb_test_snap(&sn, &b, true);
		assert_int_equal(hb_buf_free(&b), -EBUSY);
		hb_assert_snap(&sn, &b);
		hb_snap_free(&sn);
		/* The visitor survived the attempt and is released. */
		assert_true(hb_visitor_is_live(&v));
		assert_memory_equal(v.ptr, model + off, 100);
		if (write) {
			memset(v.ptr, 0x42, 100);
			memset(model + off, 0x42, 100);
		}
		assert_int_equal(hb_visit_release(&v), 0);
		hb_assert_chain_bytes(head, model, sizeof(model));
		assert_int_equal(hb_buf_free(&b), 0);
		assert_int_equal(hb_buf_len(&b), 0);
		hb_assert_pool_at(pool, base);
	}
}

/* ---------------------------------------------------------------------
 * 5. Bounce memory bounds
 */

static void
test_bounce_too_big(void **state)
{
	static uint8_t model[HB_VISIT_BOUNCE_SIZE + 8192];
	unsigned int base = rte_mempool_in_use_count(pool);
	uint32_t len = sizeof(model) - 4096;
	struct rte_mbuf *head;
	struct hb_visitor v;
	struct hb_buf b;
	struct hb_snap sn;

	(void)state;
	memset(model, 0, sizeof(model));
	hb_test_pattern(model, len, 95);
	head = buf_make(&b, pool, model, len, 1000);
	hb_test_snap(&sn, &b, true);
	vis_garbage(&v);
	assert_int_equal(hb_visit_read(&b, 1, HB_VISIT_BOUNCE_SIZE + 1, &v),
			 -E2BIG);
	assert_not_granted(&v);
	assert_int_equal(hb_visit_write(&b, 1, HB_VISIT_BOUNCE_SIZE + 1, 0,
					&v),
			 -E2BIG);
	assert_not_granted(&v);
	/* Growing first does not help: the growth is taken back. */
	assert_int_equal(hb_visit_write(&b, len - 100, HB_VISIT_BOUNCE_SIZE + 1,
					HB_VISIT_BOUNCE_SIZE, &v),
			 -E2BIG);
	assert_not_granted(&v);
	assert_int_equal(hb_visit_write(&b, len + 7, HB_VISIT_BOUNCE_SIZE + 1,
					HB_VISIT_BOUNCE_SIZE + 8, &v),
			 -E2BIG);
	assert_not_granted(&v);
	hb_assert_snap(&sn, &b);
	hb_snap_free(&sn);
	/* Exactly the bounce size is served. */
	check_read(&b, head, model, 1, HB_VISIT_BOUNCE_SIZE);
	assert_int_equal(hb_visit_write(&b, len - 100, HB_VISIT_BOUNCE_SIZE,
					HB_VISIT_BOUNCE_SIZE, &v),
			 0);
	assert_memory_equal(v.ptr, model + len - 100, 100);
	assert_zero(v.ptr, 100, HB_VISIT_BOUNCE_SIZE);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_buf_len(&b), len - 100 + HB_VISIT_BOUNCE_SIZE);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* Are the bounce ranges of two live visitors disjoint? */
static bool
disjoint(const struct hb_visitor *a, const struct hb_visitor *b)
{
	uintptr_t pa = (uintptr_t)a->ptr, pb = (uintptr_t)b->ptr;

	return pa + a->len <= pb || pb + b->len <= pa;
}

enum order { ORD_FIFO, ORD_LIFO, ORD_RANDOM, ORD_COUNT };

#define MAX_LIVE 1100

/*
 * Fill the bounce memory with spanning readers on @b until -ENOMEM;
 * returns how many were granted. Checks no two overlap and all lie in one
 * HB_VISIT_BOUNCE_SIZE window.
 */
static unsigned int
arena_fill_readers(struct hb_buf *b, struct rte_mbuf *head,
		   const uint8_t *model, uint32_t len, uint32_t fixed,
		   struct hb_visitor *v, uint64_t *s)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	unsigned int n = 0, i;
	uint64_t sum = 0;

	for (;;) {
		uint32_t l = fixed != 0 ? fixed :
			2 + (uint32_t)(hb_test_rand(s) % 2999);
		uint32_t off = span_pick(head, len, l, s);
		int rc;

		assert_true(n < MAX_LIVE);
		vis_garbage(&v[n]);
		rc = hb_visit_read(b, off, l, &v[n]);
		if (rc == -ENOMEM) {
			assert_not_granted(&v[n]);
			break;
		}
		assert_int_equal(rc, 0);
		assert_false(hb_visitor_is_direct(&v[n]));
		assert_memory_equal(v[n].ptr, model + off, l);
		lo = RTE_MIN(lo, (uintptr_t)v[n].ptr);
		hi = RTE_MAX(hi, (uintptr_t)v[n].ptr + l);
		assert_true(hi - lo <= HB_VISIT_BOUNCE_SIZE);
		for (i = 0; i < n; i++)
			assert_true(disjoint(&v[i], &v[n]));
		sum += l;
		n++;
	}
	assert_true(sum <= HB_VISIT_BOUNCE_SIZE);
	/* Nobody wrote over anybody. */
	for (i = 0; i < n; i++)
		assert_memory_equal(v[i].ptr, model + v[i].off, v[i].len);
	return n;
}

/* Release the @n visitors of @v in order @ord, checking the others. */
static void
release_all(struct hb_visitor *v, unsigned int n, enum order ord,
	    const uint8_t *model, uint64_t *s)
{
	static unsigned int perm[MAX_LIVE];
	unsigned int i, j;

	for (i = 0; i < n; i++)
		perm[i] = ord == ORD_LIFO ? n - 1 - i : i;
	if (ord == ORD_RANDOM) {
		for (i = n; i > 1; i--) {
			unsigned int t;

			j = (unsigned int)(hb_test_rand(s) % i);
			t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(hb_visit_release(&v[perm[i]]), 0);
		if (i % 8 == 0) {
			for (j = i + 1; j < n; j++) {
				const struct hb_visitor *o = &v[perm[j]];

				assert_memory_equal(o->ptr, model + o->off,
						    o->len);
			}
		}
	}
}

static void
test_bounce_arena_exhaustion(void **state)
{
	static uint8_t model[200000];
	static struct hb_visitor v[MAX_LIVE];
	unsigned int base = rte_mempool_in_use_count(pool), ord, n, n2;
	uint32_t len = sizeof(model);
	uint64_t s = seed ^ 0x606;
	struct rte_mbuf *head;
	struct hb_visitor d;
	struct hb_buf b;

	(void)state;
	hb_test_pattern(model, len, 96);
	head = buf_make(&b, pool, model, len, 2000);
	for (ord = 0; ord < ORD_COUNT; ord++) {
		/* Blocks of 1 KiB: exactly 64 fit, then -ENOMEM. */
		n = arena_fill_readers(&b, head, model, len, 1024, v, &s);
		assert_int_equal(n, HB_VISIT_BOUNCE_SIZE / 1024);
		/* A direct view needs no bounce memory. */
		assert_int_equal(hb_visit_read(&b, 10, 100, &d), 0);
		assert_true(hb_visitor_is_direct(&d));
		assert_int_equal(hb_visit_release(&d), 0);
		/* Neither does a read of the buffer. */
		{
			static uint8_t out[200000];

			assert_int_equal(hb_buf_read(&b, 0, out, len), 0);
			assert_memory_equal(out, model, len);
		}
		release_all(v, n, ord, model, &s);
		/* Room again: the same again. */
		n2 = arena_fill_readers(&b, head, model, len, 1024, v, &s);
		assert_int_equal(n2, n);
		release_all(v, n2, (ord + 1) % ORD_COUNT, model, &s);
		/* Random sizes. */
		n = arena_fill_readers(&b, head, model, len, 0, v, &s);
		assert_true(n >= 10);
		release_all(v, n, ord, model, &s);
		assert_arena_idle();
	}
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

/* Bounce memory a visit of @len bytes takes at least (whole blocks). */
static uint32_t
bounce_cost(uint32_t len)
{
	return RTE_ALIGN_CEIL(len, HB_VISIT_ALIGN_MAX);
}

/*
 * Released bounce memory is reusable at once, in any order: with a few
 * visitors live at a time, each released oldest first, no visit is ever
 * refused for memory.
 */
static void
test_bounce_sliding_window(void **state)
{
	static uint8_t model[200000];
	unsigned int base = rte_mempool_in_use_count(pool), i, win;
	struct hb_visitor v[4];
	uint32_t len = sizeof(model);
	uint64_t s = seed ^ 0x707;
	struct rte_mbuf *head;
	struct hb_buf b;

	(void)state;
	hb_test_pattern(model, len, 97);
	head = buf_make(&b, pool, model, len, 2000);
	for (win = 1; win <= 4; win++) {
		for (i = 0; i < 2000; i++) {
			struct hb_visitor *x = &v[i % win];
			uint32_t l = 2 + (uint32_t)(hb_test_rand(&s) %
						    (win == 4 ? 2000 : 8000));
			uint32_t off = span_pick(head, len, l, &s);
			int rc;

			if (i >= win) {
				assert_memory_equal(x->ptr, model + x->off,
						    x->len);
				assert_int_equal(hb_visit_release(x), 0);
			}
			rc = hb_visit_read(&b, off, l, x);
			if (rc != 0)
				fail_msg("window %u, visit %u (%u bytes): %d",
					 win, i, l, rc);
			assert_memory_equal(x->ptr, model + off, l);
		}
		for (i = 0; i < win; i++)
			assert_int_equal(hb_visit_release(&v[i]), 0);
	}
	/* A long-lived visitor, and short ones released out of order. */
	assert_int_equal(hb_visit_read(&b, span_pick(head, len, 3000, &s),
				       3000, &v[3]),
			 0);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(hb_visit_read(&b,
					       span_pick(head, len, 5000, &s),
					       5000, &v[0]),
				 0);
		assert_int_equal(hb_visit_read(&b,
					       span_pick(head, len, 700, &s),
					       700, &v[1]),
				 0);
		assert_int_equal(hb_visit_release(&v[0]), 0);
		assert_int_equal(hb_visit_release(&v[1]), 0);
	}
	assert_memory_equal(v[3].ptr, model + v[3].off, v[3].len);
	assert_int_equal(hb_visit_release(&v[3]), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

#define NBUF 8
#define SBUF 20000u

static void
test_bounce_write_out_of_order(void **state)
{
	static uint8_t model[NBUF][SBUF], view[NBUF][SBUF];
	static struct hb_buf b[NBUF];
	static struct rte_mbuf *head[NBUF];
	unsigned int base = rte_mempool_in_use_count(pool), i, round, op;
	struct hb_visitor w[NBUF], r[NBUF];
	bool wlive[NBUF], rlive[NBUF];
	uint64_t s = seed ^ 0x808;
	unsigned int nomem = 0;

	(void)state;
	for (i = 0; i < NBUF; i++) {
		hb_test_pattern(model[i], SBUF, 200 + i);
		head[i] = buf_make(&b[i], pool, model[i], SBUF,
				   (uint16_t)(500 + 97 * i));
	}
	/* Bounced writers on every buffer, released in random orders. */
	for (round = 0; round < 50; round++) {
		unsigned int perm[NBUF];

		for (i = 0; i < NBUF; i++) {
			uint32_t l = 2 + (uint32_t)(hb_test_rand(&s) % 4000);
			uint32_t off = span_pick(head[i], SBUF, l, &s);

			assert_int_equal(hb_visit_write(&b[i], off, l, 0,
							&w[i]),
					 0);
			assert_false(hb_visitor_is_direct(&w[i]));
			assert_memory_equal(w[i].ptr, model[i] + off, l);
			hb_test_pattern(view[i], l, round * NBUF + i);
			memcpy(w[i].ptr, view[i], l);
			perm[i] = i;
		}
		for (i = NBUF; i > 1; i--) {
			unsigned int j = (unsigned int)(hb_test_rand(&s) % i);
			unsigned int t = perm[i - 1];

			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (i = 0; i < NBUF; i++) {
			unsigned int x = perm[i];

			/* Its bytes were not touched by the others. */
			assert_memory_equal(w[x].ptr, view[x], w[x].len);
			assert_int_equal(hb_visit_release(&w[x]), 0);
			memcpy(model[x] + w[x].off, view[x], w[x].len);
			hb_assert_chain_bytes(head[x], model[x], SBUF);
		}
	}
	/*
	 * Random acquire/release of bounced readers and writers. A refusal
	 * for memory is only allowed when no free stretch of the bounce
	 * memory can be that large.
	 */
	memset(wlive, 0, sizeof(wlive));
	memset(rlive, 0, sizeof(rlive));
	for (op = 0; op < 20000; op++) {
		unsigned int x = (unsigned int)(hb_test_rand(&s) % NBUF);
		bool rd = hb_test_rand(&s) & 1;
		uint32_t l, off, used = 0, nlive = 0;
		int rc;

		if (wlive[x]) {
			assert_memory_equal(w[x].ptr, view[x], w[x].len);
			assert_int_equal(hb_visit_release(&w[x]), 0);
			memcpy(model[x] + w[x].off, view[x], w[x].len);
			hb_assert_chain_bytes(head[x], model[x], SBUF);
			wlive[x] = false;
			continue;
		}
		if (rlive[x]) {
			assert_memory_equal(r[x].ptr, model[x] + r[x].off,
					    r[x].len);
			assert_int_equal(hb_visit_release(&r[x]), 0);
			rlive[x] = false;
			continue;
		}
		for (i = 0; i < NBUF; i++) {
			if (wlive[i]) {
				used += bounce_cost(w[i].len);
				nlive++;
			}
			if (rlive[i]) {
				used += bounce_cost(r[i].len);
				nlive++;
			}
		}
		l = 2 + (uint32_t)(hb_test_rand(&s) % 15000);
		off = span_pick(head[x], SBUF, l, &s);
		if (rd) {
			rc = hb_visit_read(&b[x], off, l, &r[x]);
		} else {
			rc = hb_visit_write(&b[x], off, l, 0, &w[x]);
		}
		if (rc == -ENOMEM) {
			/* nlive blocks leave at most nlive + 1 holes. */
			if ((HB_VISIT_BOUNCE_SIZE - used) / (nlive + 1) >=
			    bounce_cost(l))
				fail_msg("op %u: %u bytes refused, %u live "
					 "visitors hold %u bytes",
					 op, l, nlive, used);
			nomem++;
			continue;
		}
		assert_int_equal(rc, 0);
		if (rd) {
			assert_memory_equal(r[x].ptr, model[x] + off, l);
			rlive[x] = true;
		} else {
			assert_memory_equal(w[x].ptr, model[x] + off, l);
			hb_test_pattern(view[x], l, op);
			memcpy(w[x].ptr, view[x], l);
			wlive[x] = true;
		}
	}
	for (i = 0; i < NBUF; i++) {
		if (wlive[i]) {
			assert_memory_equal(w[i].ptr, view[i], w[i].len);
			assert_int_equal(hb_visit_release(&w[i]), 0);
			memcpy(model[i] + w[i].off, view[i], w[i].len);
		}
		if (rlive[i])
			assert_int_equal(hb_visit_release(&r[i]), 0);
		hb_assert_chain_bytes(head[i], model[i], SBUF);
		hb_assert_buf_bytes(&b[i], model[i], SBUF);
		hb_assert_buf_ok(&b[i]);
		assert_int_equal(hb_buf_free(&b[i]), 0);
	}
	/* The pressure was high enough to be refused sometimes. */
	assert_true(nomem > 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * 6. Non-EAL threads
 */

struct thr_ctx {
	struct hb_buf *b;	/* the thread's buffer, handed over */
	const uint8_t *model;
	struct hb_visitor *foreign; /* bounced on another lcore */
	bool reg;
	unsigned int lcore;
	struct hb_stats st;	/* the thread's lcore counters, at the end */
	sem_t held, go;		/* handshake: a visitor the thread holds */
	struct hb_visitor *held_v;
	struct hb_thr_check chk;
};

static void *
thr_unregistered(void *arg)
{
	struct thr_ctx *c = arg;
	struct hb_buf *b = c->b;
	uint32_t len = hb_buf_len(b);
	unsigned int in_use = rte_mempool_in_use_count(pool);
	struct hb_visitor v;

	HB_THR_CHECK(&c->chk, rte_lcore_id() == LCORE_ID_ANY);
	/* Anything that needs bounce memory: -ENOTSUP. */
	vis_garbage(&v);
	HB_THR_CHECK(&c->chk, hb_visit_read(b, 2040, 100, &v) == -ENOTSUP);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_live(&v));
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == -EINVAL);
	HB_THR_CHECK(&c->chk, hb_visit_write(b, 2040, 100, 0, &v) == -ENOTSUP);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_live(&v));
	HB_THR_CHECK(&c->chk, HB_VISIT_READ(b, 1, uint32_t, &v) == -ENOTSUP);
	HB_THR_CHECK(&c->chk,
		     hb_visit_read_aligned(b, 3, 2, 2, &v) == -ENOTSUP);
	HB_THR_CHECK(&c->chk,
		     hb_visit_write(b, len - 10, 5000, 4990, &v) == -ENOTSUP);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_live(&v));
	/* The growth was taken back. */
	HB_THR_CHECK(&c->chk, hb_buf_len(b) == len);
	HB_THR_CHECK(&c->chk, rte_mempool_in_use_count(pool) == in_use);
	HB_THR_CHECK(&c->chk, hb_buf_check(b, NULL) == 0);
	/* Direct views work. */
	HB_THR_CHECK(&c->chk, hb_visit_read(b, 10, 20, &v) == 0);
	HB_THR_CHECK(&c->chk, hb_visitor_is_direct(&v));
	HB_THR_CHECK(&c->chk, memcmp(v.ptr, c->model + 10, 20) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, HB_VISIT_READ(b, 0, uint64_t, &v) == 0);
	HB_THR_CHECK(&c->chk, hb_visitor_is_direct(&v));
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_write(b, 100, 4, 0, &v) == 0);
	HB_THR_CHECK(&c->chk, hb_visitor_is_direct(&v));
	memcpy(v.ptr, "ABCD", 4);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	/* A growth inside the tail's room is direct too. */
	HB_THR_CHECK(&c->chk, hb_visit_write(b, len, 10, 10, &v) == 0);
	HB_THR_CHECK(&c->chk, hb_visitor_is_direct(&v));
	memcpy(v.ptr, "0123456789", 10);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, hb_buf_len(b) == len + 10);
	/* A visitor bounced on another lcore is not ours to release. */
	HB_THR_CHECK(&c->chk, hb_visit_release(c->foreign) == -EPERM);
	HB_THR_CHECK(&c->chk, hb_visitor_is_live(c->foreign));
	return NULL;
}

static void
test_unregistered_thread(void **state)
{
	static uint8_t model[5000 + 10], other[5000];
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_stats all0, all1;
	struct hb_buf b, o;
	struct hb_visitor f;
	struct thr_ctx c;
	pthread_t th;

	(void)state;
	hb_test_pattern(model, 5000, 110);
	hb_test_pattern(other, sizeof(other), 111);
	buf_make(&b, pool, model, 5000, 1000);
	buf_make(&o, pool, other, sizeof(other), 1000);
	assert_int_equal(hb_visit_read(&o, 2040, 100, &f), 0);
	assert_false(hb_visitor_is_direct(&f));
	memset(&c, 0, sizeof(c));
	c.b = &b;
	c.model = model;
	c.foreign = &f;
	assert_int_equal(hb_stats_get(&all0), 0);
	assert_int_equal(pthread_create(&th, NULL, thr_unregistered, &c), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	hb_assert_thr_ok(&c.chk);
	/* Nothing was counted for the unregistered thread. */
	assert_int_equal(hb_stats_get(&all1), 0);
	assert_memory_equal(&all0, &all1, sizeof(all0));
	memcpy(model + 100, "ABCD", 4);
	memcpy(model + 5000, "0123456789", 10);
	hb_assert_buf_bytes(&b, model, 5010);
	hb_assert_buf_ok(&b);
	assert_memory_equal(f.ptr, other + 2040, 100);
	assert_int_equal(hb_visit_release(&f), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_free(&o), 0);
	hb_assert_pool_at(pool, base);
}

static void *
thr_registered(void *arg)
{
	struct thr_ctx *c = arg;
	struct hb_buf *b = c->b;
	uint32_t len = hb_buf_len(b);
	struct hb_visitor v;
	uint8_t *p;
	unsigned int i;

	HB_THR_CHECK(&c->chk, rte_thread_register() == 0);
	c->lcore = rte_lcore_id();
	HB_THR_CHECK(&c->chk, c->lcore < RTE_MAX_LCORE);
	HB_THR_CHECK(&c->chk, c->lcore != rte_get_main_lcore());
	/* Spanning visits bounce in this lcore's memory. */
	HB_THR_CHECK(&c->chk, hb_visit_read(b, 2040, 100, &v) == 0);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_direct(&v));
	HB_THR_CHECK(&c->chk, memcmp(v.ptr, c->model + 2040, 100) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_write(b, 2040, 100, 0, &v) == 0);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_direct(&v));
	p = v.ptr;
	for (i = 0; i < 100; i++)
		p[i] = (uint8_t)~p[i];
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_read_aligned(b, 3, 8, 8, &v) == 0);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_direct(&v));
	HB_THR_CHECK(&c->chk, ((uintptr_t)v.ptr & 7) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	HB_THR_CHECK(&c->chk, hb_visit_write(b, len - 10, 5000, 4990, &v) == 0);
	HB_THR_CHECK(&c->chk, !hb_visitor_is_direct(&v));
	HB_THR_CHECK(&c->chk, hb_buf_len(b) == len + 4990);
	memset(v.ptr, 0x66, 5000);
	HB_THR_CHECK(&c->chk, hb_visit_release(&v) == 0);
	/* Another lcore's bounced visitor: -EPERM, still live. */
	HB_THR_CHECK(&c->chk, hb_visit_release(c->foreign) == -EPERM);
	HB_THR_CHECK(&c->chk, hb_visitor_is_live(c->foreign));
	/* Hold a bounced visitor while the main lcore tries to release it. */
	HB_THR_CHECK(&c->chk, hb_visit_read(b, 4000, 300, c->held_v) == 0);
	sem_post(&c->held);
	sem_wait(&c->go);
	HB_THR_CHECK(&c->chk, hb_visitor_is_live(c->held_v));
	HB_THR_CHECK(&c->chk, hb_visit_release(c->held_v) == 0);
	HB_THR_CHECK(&c->chk, hb_lcore_stats_get(c->lcore, &c->st) == 0);
	rte_thread_unregister();
	return NULL;
}

static void
test_registered_thread(void **state)
{
	static uint8_t model[5000 + 4990], other[5000];
	unsigned int base = rte_mempool_in_use_count(pool), i;
	struct hb_stats main0, main1;
	struct hb_visitor f, held;
	struct hb_buf b, o;
	struct thr_ctx c;
	pthread_t th;

	(void)state;
	hb_test_pattern(model, 5000, 120);
	hb_test_pattern(other, sizeof(other), 121);
	buf_make(&b, pool, model, 5000, 1000);
	buf_make(&o, pool, other, sizeof(other), 1000);
	assert_int_equal(hb_visit_read(&o, 2040, 100, &f), 0);
	assert_false(hb_visitor_is_direct(&f));
	memset(&c, 0, sizeof(c));
	c.b = &b;
	c.model = model;
	c.foreign = &f;
	c.held_v = &held;
	assert_int_equal(sem_init(&c.held, 0, 0), 0);
	assert_int_equal(sem_init(&c.go, 0, 0), 0);
	main0 = stats_now();
	assert_int_equal(pthread_create(&th, NULL, thr_registered, &c), 0);
	assert_int_equal(sem_wait(&c.held), 0);
	/* The thread's bounced visitor is not ours. */
	assert_int_equal(hb_visit_release(&held), -EPERM);
	assert_true(hb_visitor_is_live(&held));
	assert_int_equal(sem_post(&c.go), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	sem_destroy(&c.held);
	sem_destroy(&c.go);
	hb_assert_thr_ok(&c.chk);
	assert_false(hb_visitor_is_live(&held));
	/* Counted on the thread's lcore, not on ours. */
	main1 = stats_now();
	assert_int_equal(main1.visits_bounced, main0.visits_bounced);
	assert_true(c.st.visits_bounced >= 5);
	assert_true(c.st.visits_grown >= 1);
	for (i = 0; i < 100; i++)
		model[2040 + i] = (uint8_t)~model[2040 + i];
	memset(model + 4990, 0x66, 5000);
	hb_assert_buf_bytes(&b, model, 5000 + 4990);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_visit_release(&f), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_free(&o), 0);
	hb_assert_pool_at(pool, base);
}

/* ---------------------------------------------------------------------
 * 7. Counters
 */

#define ASSERT_DELTA(a, b, field, want)                                        \
	assert_int_equal((b).field - (a).field, (want))

static void
test_stats(void **state)
{
	static uint8_t model[5000];
	static struct arena_fill f;
	unsigned int base = rte_mempool_in_use_count(pool);
	struct hb_stats a, b2, all;
	struct hb_visitor v, r;
	struct hb_buf b;

	(void)state;
	assert_int_equal(hb_lcore_stats_get(0, NULL), -EINVAL);
	assert_int_equal(hb_lcore_stats_get(RTE_MAX_LCORE, &a), -EINVAL);
	assert_int_equal(hb_stats_get(NULL), -EINVAL);
	hb_test_pattern(model, sizeof(model), 130);
	buf_make(&b, pool, model, sizeof(model), 1000);

	/* Direct visits are not counted. */
	a = stats_now();
	assert_int_equal(hb_visit_read(&b, 10, 20, &v), 0);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_visit_write(&b, 10, 20, 0, &v), 0);
	assert_int_equal(hb_visit_release(&v), 0);
	b2 = stats_now();
	assert_memory_equal(&a, &b2, sizeof(a));

	/* Bounced read and write: one each, their bytes. */
	a = stats_now();
	assert_int_equal(hb_visit_read(&b, 2040, 100, &v), 0);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_visit_write(&b, 2000, 333, 0, &v), 0);
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(HB_VISIT_READ(&b, 1, uint64_t, &v), 0);
	assert_int_equal(hb_visit_release(&v), 0);
	b2 = stats_now();
	ASSERT_DELTA(a, b2, visits_bounced, 3);
	ASSERT_DELTA(a, b2, bounce_bytes, 100 + 333 + 8);
	ASSERT_DELTA(a, b2, visits_grown, 0);
	ASSERT_DELTA(a, b2, visits_busy, 0);

	/* Grown: direct, then spanning. */
	a = stats_now();
	assert_int_equal(hb_visit_write(&b, 5000, 10, 10, &v), 0);
	assert_true(hb_visitor_is_direct(&v));
	assert_int_equal(hb_visit_release(&v), 0);
	assert_int_equal(hb_visit_write(&b, 5000, 5000, 4990, &v), 0);
	assert_false(hb_visitor_is_direct(&v));
	assert_int_equal(hb_visit_release(&v), 0);
	b2 = stats_now();
	ASSERT_DELTA(a, b2, visits_grown, 2);
	ASSERT_DELTA(a, b2, visits_bounced, 1);
	ASSERT_DELTA(a, b2, bounce_bytes, 5000);
	assert_true(b2.segs_alloc > a.segs_alloc);

	/* Busy, both ways. */
	a = stats_now();
	assert_int_equal(hb_visit_read(&b, 0, 10, &r), 0);
	assert_int_equal(hb_visit_write(&b, 0, 10, 0, &v), -EBUSY);
	assert_int_equal(hb_visit_write(&b, 2040, 100, 0, &v), -EBUSY);
	assert_int_equal(hb_visit_release(&r), 0);
	assert_int_equal(hb_visit_write(&b, 0, 10, 0, &r), 0);
	assert_int_equal(hb_visit_read(&b, 0, 10, &v), -EBUSY);
	assert_int_equal(hb_visit_read(&b, 2040, 100, &v), -EBUSY);
	assert_int_equal(hb_visit_write(&b, 0, 10, 0, &v), -EBUSY);
	assert_int_equal(hb_visit_release(&r), 0);
	b2 = stats_now();
	ASSERT_DELTA(a, b2, visits_busy, 5);
	ASSERT_DELTA(a, b2, visits_bounced, 0);

	/* Refused for other reasons: no busy, no bounce, no growth. */
	a = stats_now();
	assert_int_equal(hb_visit_read(&b, 0, 0, &v), -EINVAL);
	assert_int_equal(hb_visit_read(&b, 0, 1000000, &v), -ERANGE);
	assert_int_equal(hb_visit_write(&b, 20000, 1, 2, &v), -ERANGE);
	b2 = stats_now();
	assert_memory_equal(&a, &b2, sizeof(a));

	/* Refused for memory. */
	arena_fill(&f);
	a = stats_now();
	assert_int_equal(hb_visit_read(&b, 2040, 100, &v), -ENOMEM);
	assert_int_equal(hb_visit_write(&b, 9995, 3000, 2995, &v), -ENOMEM);
	assert_int_equal(hb_buf_len(&b), 10000);
	b2 = stats_now();
	ASSERT_DELTA(a, b2, visits_failed, 2);
	ASSERT_DELTA(a, b2, visits_bounced, 0);
	ASSERT_DELTA(a, b2, visits_grown, 0);
	arena_unfill(&f);

	/* The sum over lcores covers ours. */
	b2 = stats_now();
	assert_int_equal(hb_stats_get(&all), 0);
	assert_true(all.visits_bounced >= b2.visits_bounced);
	assert_true(all.visits_busy >= b2.visits_busy);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(pool, base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_direct_in_segment, test_clean),
		cmocka_unit_test_teardown(test_aligned_views, test_clean),
		cmocka_unit_test_teardown(test_headers_two_segs, test_clean),
		cmocka_unit_test_teardown(test_headers_three_segs, test_clean),
		cmocka_unit_test_teardown(test_grow_segment_boundary,
					  test_clean),
		cmocka_unit_test_teardown(test_grow_many_segments, test_clean),
		cmocka_unit_test_teardown(test_grow_gap_and_limits,
					  test_clean),
		cmocka_unit_test_teardown(test_grow_empty_buffer, test_clean),
		cmocka_unit_test_teardown(test_grow_pool_exhaustion,
					  test_clean),
		cmocka_unit_test_teardown(test_grow_bounce_exhausted_undo,
					  test_clean),
		cmocka_unit_test_teardown(test_busy_read_visitor, test_clean),
		cmocka_unit_test_teardown(test_busy_write_visitor, test_clean),
		cmocka_unit_test_teardown(test_release_errors, test_clean),
		cmocka_unit_test_teardown(test_release_after_reinit,
					  test_clean),
		cmocka_unit_test_teardown(test_free_while_live, test_clean),
		cmocka_unit_test_teardown(test_bounce_too_big, test_clean),
		cmocka_unit_test_teardown(test_bounce_arena_exhaustion,
					  test_clean),
		cmocka_unit_test_teardown(test_bounce_sliding_window,
					  test_clean),
		cmocka_unit_test_teardown(test_bounce_write_out_of_order,
					  test_clean),
		cmocka_unit_test_teardown(test_unregistered_thread,
					  test_clean),
		cmocka_unit_test_teardown(test_registered_thread, test_clean),
		cmocka_unit_test_teardown(test_stats, test_clean),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	seed = hb_test_seed();
	printf("test_visit: seed %#" PRIx64 " (HB_TEST_SEED to replay)\n",
	       seed);
	pool = hb_test_pool("visit", 8192, 0);
	small_pool = hb_test_pool("visit_small", 2048, SMALL_ROOM);
	exh_pool = hb_test_pool("visit_exh", EXH_MBUFS, SMALL_ROOM);
	if (getenv("HB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("HB_TEST_FILTER"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(exh_pool);
	rte_mempool_free(small_pool);
	rte_mempool_free(pool);
	hb_test_teardown();
	return rc;
}
