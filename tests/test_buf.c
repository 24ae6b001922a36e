/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Positive behaviour of every hb_buf_*() call and of the read cursor, on a
 * real EAL and real pools (no mocks).
 *
 * Every test runs twice: on a pool with the default data room and on one
 * with a small data room (256 bytes), so that multi-segment logic is hit
 * hard. Most tests are tables over buffer sizes around the segment size:
 * 0, 1, the first segment's capacity -1/0/+1, the data room -1/0/+1,
 * 10 data rooms + 7 and 1 MiB.
 *
 * The mbuf chain is the ground truth: a few helpers walk it (read only)
 * to learn where each byte lives, and the answers of the API (read, peek,
 * iov, split...) are checked against it.
 *
 * Negative cases and pool exhaustion are in test_buf_neg.c, the randomized
 * differential test in test_buf_random.c.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hb_model.h"
#include "hb_test.h"

#define MIB (UINT32_C(1) << 20)
/* Data room of the small pool. */
#define SMALL_ROOM 256
/* Room for the biggest model: two 1 MiB halves plus growth. */
#define BIG (2 * MIB + 65536)
/* Segments a chain of the tests may hold. */
#define MAX_SEGS 16384
/* Interesting offsets collected for one buffer. */
#define MAX_PTS 1024

/* One pool configuration: each test runs once per configuration. */
struct pcfg {
	const char *name;
	uint16_t room;		/* data room asked for (0: default) */
	unsigned int n;		/* mbufs in the pool */
	struct rte_mempool *mp;
	uint32_t seg;		/* bytes one segment holds (its data room) */
	uint32_t hc;		/* bytes the first segment of a new buffer holds */
	uint32_t sizes[16];	/* the size table */
	unsigned int nsizes;
};

static struct pcfg cfg_big = {
	.name = "big", .room = 0, .n = 4096,
};
static struct pcfg cfg_small = {
	.name = "small", .room = SMALL_ROOM, .n = 16384,
};

/* Reference patterns (distinct, no short period) and work areas. */
static uint8_t ref[BIG], ref2[BIG], ref3[BIG];
static uint8_t tmp[BIG + 1], exp_a[BIG], exp_b[BIG], scratch[BIG];

static unsigned int
in_use(const struct pcfg *c)
{
	return rte_mempool_in_use_count(c->mp);
}

/* Fill @p with pseudo-random bytes from a generator seeded by @tag. */
static void
fill_pattern(uint8_t *p, size_t len, uint64_t tag)
{
	uint64_t s = tag * UINT64_C(0x9e3779b97f4a7c15) | 1;
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t x = hb_test_rand(&s);

		memcpy(p + i, &x, RTE_MIN((size_t)8, len - i));
	}
}

/* ---------------------------------------------------------------------
 * The chain as ground truth
 */

struct seg_info {
	const struct rte_mbuf *m;
	const uint8_t *data;	/* first data byte */
	uint32_t start;		/* logical offset of that byte */
	uint32_t len;		/* data_len */
};

static struct seg_info lay[MAX_SEGS], lay2[MAX_SEGS];
static uint32_t pts[MAX_PTS];

/* Walk the chain of @b (white box, read only). */
static unsigned int
layout(const struct hb_buf *b, struct seg_info *si)
{
	const struct rte_mbuf *m;
	unsigned int n = 0;
	uint32_t off = 0;

	for (m = b->head; m != NULL; m = m->next) {
		assert_true(n < MAX_SEGS);
		si[n].m = m;
		si[n].data = rte_pktmbuf_mtod(m, const uint8_t *);
		si[n].start = off;
		si[n].len = m->data_len;
		off += m->data_len;
		n++;
	}
	return n;
}

/* Index of the non-empty segment holding byte @off (< length). */
static unsigned int
seg_at(const struct seg_info *si, unsigned int n, uint32_t off)
{
	unsigned int lo = 0, hi = n;

	/* Last segment starting at or before off (empties share starts). */
	while (lo + 1 < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (si[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	assert_true(off - si[lo].start < si[lo].len);
	return lo;
}

/* Is [off, off + len) (len > 0) inside one segment? */
static bool
contiguous(const struct seg_info *si, unsigned int n, uint32_t off,
	   uint32_t len)
{
	unsigned int i = seg_at(si, n, off);

	return (uint64_t)off + len <= (uint64_t)si[i].start + si[i].len;
}

static void
pt_add(uint32_t *pt, unsigned int *k, int64_t v, uint32_t len)
{
	if (v >= 0 && v <= (int64_t)len && *k < MAX_PTS)
		pt[(*k)++] = (uint32_t)v;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Interesting offsets of a buffer of @len bytes laid out as @si: its ends,
 * its middle and, around segment boundaries, the byte before, at and after
 * each boundary and the middle of each segment. On long chains only the
 * first, middle and last segments (at most @few of each) are used.
 * Sorted, without duplicates.
 */
static unsigned int
points(const struct seg_info *si, unsigned int n, uint32_t len, uint32_t *pt,
       unsigned int few)
{
	unsigned int k = 0, nd = 0, d = 0, i, j;

	pt_add(pt, &k, 0, len);
	pt_add(pt, &k, 1, len);
	pt_add(pt, &k, 2, len);
	pt_add(pt, &k, len / 2, len);
	pt_add(pt, &k, (int64_t)len - 2, len);
	pt_add(pt, &k, (int64_t)len - 1, len);
	pt_add(pt, &k, len, len);
	for (i = 0; i < n; i++)
		nd += si[i].len != 0;
	for (i = 0; i < n; i++) {
		int64_t s = si[i].start, l = si[i].len;

		if (l == 0)
			continue;
		if (nd <= 3 * few || d < few || d + few >= nd ||
		    (d + few / 2 >= nd / 2 && d <= nd / 2 + few / 2)) {
			pt_add(pt, &k, s - 1, len);
			pt_add(pt, &k, s, len);
			pt_add(pt, &k, s + 1, len);
			pt_add(pt, &k, s + l / 2, len);
			pt_add(pt, &k, s + l - 1, len);
		}
		d++;
	}
	qsort(pt, k, sizeof(*pt), cmp_u32);
	for (i = 0, j = 0; i < k; i++)
		if (j == 0 || pt[j - 1] != pt[i])
			pt[j++] = pt[i];
	return j;
}

/* Range lengths tried at each interesting offset (the last: to the end). */
static unsigned int
range_lens(const struct pcfg *c, uint32_t rest, uint32_t *l)
{
	const uint32_t want[] = {
		0, 1, 2, 7, 8, c->hc, c->seg - 1, c->seg, c->seg + 1,
		3 * c->seg + 5, rest,
	};
	unsigned int i, k = 0;

	for (i = 0; i < RTE_DIM(want); i++)
		if (want[i] <= rest)
			l[k++] = want[i];
	return k;
}

/* ---------------------------------------------------------------------
 * Common checks
 */

/*
 * A buffer built by appends: every mbuf taken from the pool is in the
 * chain, every segment but the last is full, and there are no more
 * segments than the bytes need plus one (the head keeps headroom).
 */
static void
check_packed(const struct pcfg *c, const struct hb_buf *b, unsigned int base)
{
	uint32_t len = hb_buf_len(b);
	unsigned int n = layout(b, lay), i;

	assert_int_equal(hb_buf_nb_segs(b), n);
	assert_int_equal(in_use(c) - base, n);
	if (len == 0)
		assert_int_equal(n, 0);
	for (i = 0; i + 1 < n; i++) {
		assert_true(lay[i].len > 0);
		assert_int_equal(rte_pktmbuf_tailroom(lay[i].m), 0);
	}
	assert_true(n <= 1 + (len + c->seg - 1) / c->seg);
}

/* Every segment holds data and every mbuf taken is in the chain. */
static void
check_no_empty(const struct pcfg *c, const struct hb_buf *b, unsigned int base)
{
	unsigned int n = layout(b, lay), i;

	assert_int_equal(hb_buf_nb_segs(b), n);
	assert_int_equal(in_use(c) - base, n);
	for (i = 0; i < n; i++)
		assert_true(lay[i].len > 0);
}

/*
 * A chain handed out by hb_buf_detach(): accepted by rte_mbuf_check(),
 * nb_segs, pkt_len and next consistent, no empty trailing segment, holding
 * @exp[0..len). Returns its number of segments.
 */
static unsigned int
check_detached(const struct rte_mbuf *h, const uint8_t *exp, uint32_t len)
{
	const struct rte_mbuf *m;

	hb_assert_mbuf_ok(h, 1);
	hb_assert_chain_bytes(h, exp, len);
	for (m = h->next; m != NULL; m = m->next)
		hb_assert_mbuf_ok(m, 0);
	if (h->nb_segs > 1)
		assert_true(rte_pktmbuf_lastseg((struct rte_mbuf *)(uintptr_t)h)
				    ->data_len > 0);
	return h->nb_segs;
}

/* A buffer of @c's pool holding @src[0..len), appended in one call. */
static void
build(const struct pcfg *c, struct hb_buf *b, const uint8_t *src,
      uint32_t len)
{
	hb_test_buf(b, c->mp, src, len, 0);
}

/*
 * Read a few bytes out of order, as random access does: on a long chain
 * this makes the buffer build its segment index, which every later change
 * must keep right (hb_buf_check() verifies it).
 */
static void
touch(const struct hb_buf *b, const uint8_t *exp)
{
	uint32_t s = hb_buf_len(b);

	if (s == 0)
		return;
	hb_assert_read(b, s - 1, exp + s - 1, 1);
	hb_assert_read(b, s / 2, exp + s / 2, 1);
	hb_assert_read(b, 0, exp, 1);
	hb_assert_read(b, s / 3, exp + s / 3, 1);
	hb_assert_read(b, s / 5, exp + s / 5, 1);
}

/* build() a buffer that has been accessed at random. */
static void
build_idx(const struct pcfg *c, struct hb_buf *b, const uint8_t *src,
	  uint32_t len)
{
	build(c, b, src, len);
	touch(b, src);
}

/* Length of the i-th piece when data is added piece by piece. */
static uint32_t
piece(const struct pcfg *c, unsigned int i)
{
	const uint32_t p[] = { 1, 3, 7, 64, c->seg - 1, 2, c->seg + 5, 13,
			       1000 };

	return p[i % RTE_DIM(p)];
}

/* Packet metadata set on a head and expected on the head after a change. */
#define META_FLAGS                                                             \
	(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED |                    \
	 RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_IP_CKSUM_GOOD |                \
	 RTE_MBUF_F_RX_L4_CKSUM_GOOD)
#define META_OWN (RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL)

static void
meta_set(struct rte_mbuf *m)
{
	m->ol_flags = (m->ol_flags & META_OWN) | META_FLAGS;
	m->port = 7;
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 |
			 RTE_PTYPE_L4_UDP;
	m->hash.rss = 0x9e3779b9;
	m->vlan_tci = 0x0abc;
	m->vlan_tci_outer = 0x0def;
	m->tx_offload = 0;
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 8;
}

static void
meta_check(const struct rte_mbuf *m)
{
	struct rte_mbuf want;

	memset(&want, 0, sizeof(want));
	meta_set(&want);
	assert_int_equal(m->ol_flags & ~(uint64_t)META_OWN, META_FLAGS);
	assert_int_equal(m->port, 7);
	assert_int_equal(m->packet_type, want.packet_type);
	assert_int_equal(m->hash.rss, 0x9e3779b9);
	assert_int_equal(m->vlan_tci, 0x0abc);
	assert_int_equal(m->vlan_tci_outer, 0x0def);
	assert_int_equal(m->tx_offload, want.tx_offload);
}

/* A fresh segment of @c's pool holding @src[0..len) at @data_off. */
static struct rte_mbuf *
seg_new(const struct pcfg *c, const uint8_t *src, uint16_t len,
	uint16_t data_off)
{
	return hb_test_chain(c->mp, src, &len, 1, &data_off);
}

/*
 * Learn the segment geometry of the configuration and its size table on
 * first use.
 */
static struct pcfg *
cfg_get(void **state)
{
	struct pcfg *c = *state;
	uint32_t want[10];
	struct hb_buf b;
	unsigned int i, j;

	if (c->seg != 0)
		return c;
	c->seg = rte_pktmbuf_data_room_size(c->mp);
	build(c, &b, ref, 1);
	assert_int_equal(layout(&b, lay), 1);
	c->hc = lay[0].m->buf_len - lay[0].m->data_off;
	assert_int_equal(hb_buf_free(&b), 0);
	assert_true(c->hc >= 2 && c->hc <= c->seg);

	want[0] = 0;
	want[1] = 1;
	want[2] = c->hc - 1;
	want[3] = c->hc;
	want[4] = c->hc + 1;
	want[5] = c->seg - 1;
	want[6] = c->seg;
	want[7] = c->seg + 1;
	want[8] = 10 * c->seg + 7;
	want[9] = MIB;
	qsort(want, RTE_DIM(want), sizeof(want[0]), cmp_u32);
	for (i = 0, j = 0; i < RTE_DIM(want); i++)
		if (j == 0 || c->sizes[j - 1] != want[i])
			c->sizes[j++] = want[i];
	c->nsizes = j;
	return c;
}

/* Sizes for which every step is checked (not 1 MiB). */
static bool
small_size(const struct pcfg *c, uint32_t s)
{
	return s <= 10 * c->seg + 7;
}

/* ---------------------------------------------------------------------
 * append
 */

static void
test_append(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_test_ctx("%s: append %u bytes in one call", c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		assert_int_equal(hb_buf_len(&b), 0);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		hb_assert_buf_ok(&b);
		hb_assert_pool_at(c->mp, base);
		assert_int_equal(hb_buf_append(&b, ref, s), 0);
		hb_assert_buf_bytes(&b, ref, s);
		check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
		assert_int_equal(hb_buf_len(&b), 0);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		hb_assert_buf_ok(&b);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_append_pieces(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, k;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], done = 0;

		hb_test_ctx("%s: append %u bytes in pieces", c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		for (k = 0; done < s; k++) {
			uint32_t p = RTE_MIN(piece(c, k), s - done);

			assert_int_equal(hb_buf_append(&b, ref + done, p), 0);
			done += p;
			assert_int_equal(hb_buf_len(&b), done);
			/* the piece just appended reads back */
			hb_assert_read(&b, done - p, ref + done - p, p);
			/* random access while growing (segment index) */
			if (k % 16 == 15)
				touch(&b, ref);
			if (small_size(c, s) || k % 256 == 255)
				hb_assert_buf_ok(&b);
		}
		/* zero-length appends change nothing */
		assert_int_equal(hb_buf_append(&b, ref, 0), 0);
		hb_assert_buf_bytes(&b, ref, s);
		check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * prepend
 */

static void
test_prepend_empty(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_test_ctx("%s: prepend %u bytes onto an empty buffer",
			    c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		assert_int_equal(hb_buf_prepend(&b, ref, s), 0);
		hb_assert_buf_bytes(&b, ref, s);
		check_no_empty(c, &b, base);
		/* and a prepend onto that */
		assert_int_equal(hb_buf_prepend(&b, ref2, 3), 0);
		memcpy(exp_a, ref2, 3);
		memcpy(exp_a + 3, ref, s);
		hb_assert_buf_bytes(&b, exp_a, s + 3);
		check_no_empty(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Prepend that fits the head's headroom: no new segment, bytes in place. */
static void
test_prepend_headroom(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, n;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], h;

		if (s == 0)
			continue;
		build(c, &b, ref, s);
		n = layout(&b, lay);
		h = rte_pktmbuf_headroom(lay[0].m);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_test_ctx("%s: headroom of a %u-byte buffer", c->name, s);
		assert_true(h > 0);
		for (j = 0; j < 3; j++) {
			const uint32_t k = j == 0 ? 1 : j == 1 ? h / 2 : h;
			const struct rte_mbuf *head;
			const uint8_t *data;
			unsigned int used;

			hb_test_ctx(
				"%s: prepend %u bytes onto %u (headroom %u)",
				c->name, k, s, h);
			build(c, &b, ref, s);
			n = layout(&b, lay);
			head = lay[0].m;
			data = lay[0].data;
			used = in_use(c);
			assert_int_equal(hb_buf_prepend(&b, ref2, k), 0);
			hb_assert_buf_ok(&b);
			assert_int_equal(in_use(c), used);
			assert_int_equal(hb_buf_nb_segs(&b), n);
			assert_int_equal(layout(&b, lay), n);
			assert_ptr_equal(lay[0].m, head);
			assert_ptr_equal(lay[0].data, data - k);
			assert_ptr_equal(hb_buf_peek(&b, 0, k, NULL), data - k);
			memcpy(exp_a, ref2, k);
			memcpy(exp_a + k, ref, s);
			hb_assert_buf_bytes(&b, exp_a, s + k);
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

/*
 * Prepend onto a head without headroom: new head segment(s) chained in
 * front, the prepended bytes at their end and never in the old head.
 */
static void
test_prepend_new_head(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, n, n2, used, oh;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		for (j = 0; j < c->nsizes; j++) {
			uint32_t s = c->sizes[i], k = c->sizes[j], h, total;
			const struct rte_mbuf *old_head;
			const uint8_t *old_data;

			if (s == 0 || k == 0)
				continue;
			hb_test_ctx(
				"%s: prepend %u bytes onto %u without headroom",
				c->name, k, s);
			build_idx(c, &b, ref, s);
			layout(&b, lay);
			h = rte_pktmbuf_headroom(lay[0].m);
			/* use up the headroom */
			assert_int_equal(hb_buf_prepend(&b, ref3, h), 0);
			n = layout(&b, lay);
			assert_int_equal(rte_pktmbuf_headroom(lay[0].m), 0);
			old_head = lay[0].m;
			old_data = lay[0].data;
			used = in_use(c);

			assert_int_equal(hb_buf_prepend(&b, ref2, k), 0);
			hb_assert_buf_ok(&b);
			n2 = layout(&b, lay2);
			assert_int_equal(hb_buf_nb_segs(&b), n2);
			assert_int_equal(in_use(c) - used, n2 - n);
			assert_true(n2 - n >= (k + c->seg - 1) / c->seg);
			/* the old head is intact, right after the new bytes */
			oh = n2 - n;
			assert_ptr_equal(lay2[oh].m, old_head);
			assert_ptr_equal(lay2[oh].data, old_data);
			assert_int_equal(lay2[oh].start, k);
			if (k <= c->seg) {
				/* one new head, holding all the bytes at its end */
				assert_int_equal(n2 - n, 1);
				assert_int_equal(lay2[0].len, k);
				assert_int_equal(rte_pktmbuf_tailroom(
							 lay2[0].m),
						 0);
				assert_ptr_equal(hb_buf_peek(&b, 0, k, NULL),
						 lay2[0].data);
			}
			total = k + h + s;
			memcpy(exp_a, ref2, k);
			memcpy(exp_a + k, ref3, h);
			memcpy(exp_a + k + h, ref, s);
			hb_assert_buf_bytes(&b, exp_a, total);

			/* the new head's headroom serves the next prepend */
			if (k < c->seg) {
				used = in_use(c);
				assert_int_equal(hb_buf_prepend(&b, ref3 + 7,
								1),
						 0);
				assert_int_equal(in_use(c), used);
				assert_int_equal(hb_buf_nb_segs(&b), n2);
				memmove(exp_a + 1, exp_a, total);
				exp_a[0] = ref3[7];
				total++;
				hb_assert_buf_bytes(&b, exp_a, total);
			}
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

/* Prepend moves the packet metadata to the new head. */
static void
test_prepend_meta(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	/* one segment without headroom, metadata on it */
	hb_test_ctx("%s: prepend onto a segment without headroom", c->name);
	m = seg_new(c, ref, 100, 0);
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, ref2, 10), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_nb_segs(&b), 2);
	h = hb_buf_detach(&b);
	assert_true(h != NULL && h != m);
	assert_ptr_equal(h->next, m);
	assert_int_equal(h->data_len, 10);
	meta_check(h);
	memcpy(exp_a, ref2, 10);
	memcpy(exp_a + 10, ref, 100);
	assert_int_equal(check_detached(h, exp_a, 110), 2);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	/* a two-segment chain, more than a segment prepended */
	hb_test_ctx("%s: prepend a segment and more onto a chain", c->name);
	m = hb_test_chain(c->mp, ref, (const uint16_t[]){ 50, 60 }, 2,
			  (const uint16_t[]){ 0, 0 });
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, ref2, c->seg + 1), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_true(h != NULL && h != m);
	meta_check(h);
	memcpy(exp_a, ref2, c->seg + 1);
	memcpy(exp_a + c->seg + 1, ref, 110);
	assert_true(check_detached(h, exp_a, c->seg + 111) >= 4);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	/* into the headroom: the head and its metadata stay */
	hb_test_ctx("%s: prepend into the headroom keeps the metadata",
		    c->name);
	m = seg_new(c, ref, 100, RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
					 (uint16_t)(c->seg - 100)));
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, ref2, 10), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	meta_check(h);
	memcpy(exp_a, ref2, 10);
	memcpy(exp_a + 10, ref, 100);
	assert_int_equal(check_detached(h, exp_a, 110), 1);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);
}

/* Many prepends build the buffer from its end. */
static void
test_prepend_pieces(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, k;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], left = s;

		hb_test_ctx("%s: prepend %u bytes in pieces", c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		for (k = 0; left > 0; k++) {
			uint32_t p = piece(c, k);

			/* fewer pieces for 1 MiB (see big_piece()) */
			if (!small_size(c, s))
				p = 7 * p + 1;
			p = RTE_MIN(p, left);
			left -= p;
			assert_int_equal(hb_buf_prepend(&b, ref + left, p), 0);
			assert_int_equal(hb_buf_len(&b), s - left);
			/* the piece just prepended reads back at 0 */
			hb_assert_read(&b, 0, ref + left, p);
			if (small_size(c, s))
				hb_assert_buf_ok(&b);
		}
		assert_int_equal(hb_buf_prepend(&b, ref, 0), 0);
		hb_assert_buf_bytes(&b, ref, s);
		check_no_empty(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * read, write, peek, iov
 */

typedef void (*range_fn)(const struct hb_buf *b, const struct seg_info *si,
			 unsigned int n, const uint8_t *exp, uint32_t off,
			 uint32_t len);

/* Run @fn over every interesting range of @b, which holds @exp. */
static void
for_ranges(const struct pcfg *c, const struct hb_buf *b, const uint8_t *exp,
	   const char *what, range_fn fn)
{
	uint32_t s = hb_buf_len(b), l[16];
	unsigned int n = layout(b, lay), npt, i, j, nl;

	uint64_t seed = 0x5eed + s;

	npt = points(lay, n, s, pts, 4);
	for (i = 0; i < npt; i++) {
		nl = range_lens(c, s - pts[i], l);
		for (j = 0; j < nl; j++) {
			hb_test_ctx("%s: %s [%u, +%u) of %u", c->name, what,
				    pts[i], l[j], s);
			fn(b, lay, n, exp, pts[i], l[j]);
		}
	}
	/* again in random order: jumps back and forth along the chain */
	for (i = npt; i > 1; i--) {
		unsigned int r = (unsigned int)(hb_test_rand(&seed) % i);
		uint32_t x = pts[i - 1];

		pts[i - 1] = pts[r];
		pts[r] = x;
	}
	for (i = 0; i < npt; i++) {
		nl = range_lens(c, s - pts[i], l);
		j = (unsigned int)(hb_test_rand(&seed) % nl);
		hb_test_ctx("%s: %s [%u, +%u) of %u, random order", c->name,
			    what, pts[i], l[j], s);
		fn(b, lay, n, exp, pts[i], l[j]);
	}
}

static void
range_read(const struct hb_buf *b, const struct seg_info *si, unsigned int n,
	   const uint8_t *exp, uint32_t off, uint32_t len)
{
	RTE_SET_USED(si);
	RTE_SET_USED(n);
	hb_assert_read(b, off, exp + off, len);
}

static void
test_read(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], off, step;

		build(c, &b, ref, s);
		for_ranges(c, &b, ref, "read", range_read);
		/* front to back and back to front, small steps */
		step = small_size(c, s) ? 1 : 997;
		hb_test_ctx("%s: read %u bytes forward by %u", c->name, s,
			    step);
		for (off = 0; off < s; off += step)
			hb_assert_read(&b, off, ref + off,
				       RTE_MIN(step, s - off));
		hb_test_ctx("%s: read %u bytes backward by %u", c->name, s,
			    step);
		for (off = s; off > 0; off -= RTE_MIN(step, off))
			hb_assert_read(&b, off - RTE_MIN(step, off),
				       ref + off - RTE_MIN(step, off),
				       RTE_MIN(step, off));
		/* reading changes nothing */
		hb_assert_buf_bytes(&b, ref, s);
		check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_write(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, p, n, npt, nl, used, k = 0;
	struct hb_buf b;
	uint32_t l[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		build_idx(c, &b, ref, s);
		memcpy(exp_a, ref, s);
		n = layout(&b, lay);
		used = in_use(c);
		npt = points(lay, n, s, pts, 4);
		for (p = 0; p < npt; p++) {
			nl = range_lens(c, s - pts[p], l);
			for (j = 0; j < nl; j++, k++) {
				const uint8_t *src = ref3 + (k * 131) % 65536;
				uint32_t off = pts[p];

				hb_test_ctx("%s: write [%u, +%u) of %u",
					    c->name, off, l[j], s);
				assert_int_equal(hb_buf_write(&b, off, src,
							      l[j]),
						 0);
				memcpy(exp_a + off, src, l[j]);
				hb_assert_read(&b, off, exp_a + off, l[j]);
				/* neighbours untouched */
				if (off > 0)
					hb_assert_read(&b, off - 1,
						       exp_a + off - 1, 1);
				if (off + l[j] < s)
					hb_assert_read(&b, off + l[j],
						       exp_a + off + l[j], 1);
				if (small_size(c, s) && k % 8 == 0)
					hb_assert_buf_bytes(&b, exp_a, s);
			}
		}
		hb_test_ctx("%s: after writes into %u bytes", c->name, s);
		hb_assert_buf_bytes(&b, exp_a, s);
		/* in place: same segments, same addresses, nothing taken */
		assert_int_equal(in_use(c), used);
		assert_int_equal(layout(&b, lay2), n);
		for (p = 0; p < n; p++) {
			assert_ptr_equal(lay2[p].m, lay[p].m);
			assert_ptr_equal(lay2[p].data, lay[p].data);
			assert_int_equal(lay2[p].len, lay[p].len);
		}
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
range_peek(const struct hb_buf *b, const struct seg_info *si, unsigned int n,
	   const uint8_t *exp, uint32_t off, uint32_t len)
{
	const uint8_t *p;
	unsigned int i;

	if (len == 0) {
		assert_true(hb_buf_peek(b, off, 0, scratch) != NULL);
		assert_true(hb_buf_peek(b, off, 0, NULL) != NULL);
		return;
	}
	/* sentinels: a contiguous peek must not touch the scratch */
	scratch[0] = (uint8_t)~exp[off];
	scratch[len - 1] = (uint8_t)~exp[off + len - 1];
	p = hb_buf_peek(b, off, len, scratch);
	assert_true(p != NULL);
	if (contiguous(si, n, off, len)) {
		i = seg_at(si, n, off);
		assert_ptr_equal(p, si[i].data + (off - si[i].start));
		assert_int_equal(scratch[0], (uint8_t)~exp[off]);
		assert_int_equal(scratch[len - 1],
				 (uint8_t)~exp[off + len - 1]);
		/* no scratch needed */
		assert_ptr_equal(hb_buf_peek(b, off, len, NULL), p);
	} else {
		assert_ptr_equal(p, scratch);
	}
	assert_memory_equal(p, exp + off, len);
}

static void
test_peek(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		build(c, &b, ref, s);
		for_ranges(c, &b, ref, "peek", range_peek);
		hb_assert_buf_bytes(&b, ref, s);
		check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
range_iov(const struct hb_buf *b, const struct seg_info *si, unsigned int n,
	  const uint8_t *exp, uint32_t off, uint32_t len)
{
	static struct iovec iov[MAX_SEGS + 8];
	uint32_t pos = off, left = len;
	unsigned int i;
	int want = 0, cnt, k;

	/* the entries expected: one per non-empty segment piece */
	if (len > 0)
		for (i = seg_at(si, n, off); left > 0; i++) {
			uint32_t rel = pos - si[i].start;
			uint32_t piece_len = RTE_MIN(si[i].len - rel, left);

			if (piece_len > 0)
				want++;
			pos += piece_len;
			left -= piece_len;
		}
	/* counting mode */
	cnt = hb_buf_iov(b, off, len, NULL, 0);
	assert_int_equal(cnt, want);
	/* exactly enough entries, then more than enough */
	memset(iov, 0, sizeof(iov[0]) * (want + 1));
	assert_int_equal(hb_buf_iov(b, off, len, iov, want), want);
	assert_int_equal(hb_buf_iov(b, off, len, iov, want + 5), want);
	pos = off;
	for (k = 0; k < cnt; k++) {
		i = seg_at(si, n, pos);
		assert_ptr_equal(iov[k].iov_base,
				 si[i].data + (pos - si[i].start));
		assert_int_equal(iov[k].iov_len,
				 RTE_MIN(si[i].start + si[i].len - pos,
					 off + len - pos));
		assert_memory_equal(iov[k].iov_base, exp + pos, iov[k].iov_len);
		pos += (uint32_t)iov[k].iov_len;
	}
	assert_int_equal(pos, off + len);
}

static void
test_iov(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		build(c, &b, ref, s);
		for_ranges(c, &b, ref, "iov", range_iov);
		hb_test_ctx("%s: iov of all %u bytes", c->name, s);
		assert_int_equal(hb_buf_iov(&b, 0, s, NULL, 0),
				 hb_buf_nb_segs(&b));
		hb_assert_buf_bytes(&b, ref, s);
		check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * trim, adj
 */

/* Amounts cut off a buffer of @s bytes (sorted, unique, <= s). */
static unsigned int
cut_amounts(const struct pcfg *c, uint32_t s, uint32_t *a)
{
	uint32_t want[] = { 0, 1, 2, c->hc - 1, c->hc, c->hc + 1, c->seg - 1,
			    c->seg, c->seg + 1, s / 2, s - 1, s };
	unsigned int i, k = 0;

	qsort(want, RTE_DIM(want), sizeof(want[0]), cmp_u32);
	for (i = 0; i < RTE_DIM(want); i++)
		if (want[i] <= s && (k == 0 || a[k - 1] != want[i]))
			a[k++] = want[i];
	return k;
}

static void
test_trim(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, na, k;
	struct hb_buf b;
	uint32_t a[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		na = cut_amounts(c, s, a);
		for (j = 0; j < na; j++) {
			const void *p0 = NULL;

			hb_test_ctx("%s: trim %u of %u", c->name, a[j], s);
			(j & 1 ? build_idx : build)(c, &b, ref, s);
			if (a[j] < s)
				p0 = hb_buf_peek(&b, 0, 1, NULL);
			assert_int_equal(hb_buf_trim(&b, a[j]), 0);
			hb_assert_buf_bytes(&b, ref, s - a[j]);
			check_no_empty(c, &b, base);
			if (a[j] < s)
				assert_ptr_equal(hb_buf_peek(&b, 0, 1, NULL),
						 p0);
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
		if (s == 0)
			continue;

		/* reserved segments go back too */
		hb_test_ctx("%s: trim 1 of %u with reserved segments", c->name,
			    s);
		build_idx(c, &b, ref, s);
		k = hb_buf_nb_segs(&b);
		assert_int_equal(hb_buf_reserve(&b, 3 * c->seg + 1), 0);
		assert_true(hb_buf_nb_segs(&b) >= k + 3);
		assert_int_equal(hb_buf_nb_segs(&b), in_use(c) - base);
		assert_int_equal(hb_buf_trim(&b, 1), 0);
		hb_assert_buf_bytes(&b, ref, s - 1);
		check_no_empty(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);

		/* down to nothing, piece by piece */
		if (!small_size(c, s))
			continue;
		hb_test_ctx("%s: trim %u in pieces", c->name, s);
		build_idx(c, &b, ref, s);
		for (k = 0; hb_buf_len(&b) > 0; k++) {
			uint32_t p = RTE_MIN(piece(c, k), hb_buf_len(&b));

			assert_int_equal(hb_buf_trim(&b, p), 0);
			hb_assert_buf_bytes(&b, ref, hb_buf_len(&b));
			check_no_empty(c, &b, base);
		}
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		hb_assert_pool_at(c->mp, base);
		/* and usable again */
		assert_int_equal(hb_buf_append(&b, ref, 5), 0);
		hb_assert_buf_bytes(&b, ref, 5);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_adj(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, na, k;
	struct hb_buf b;
	uint32_t a[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], gone;

		na = cut_amounts(c, s, a);
		for (j = 0; j < na; j++) {
			const void *p0 = NULL, *pl = NULL;

			hb_test_ctx("%s: adj %u of %u", c->name, a[j], s);
			(j & 1 ? build_idx : build)(c, &b, ref, s);
			if (a[j] < s) {
				p0 = hb_buf_peek(&b, a[j], 1, NULL);
				pl = hb_buf_peek(&b, s - 1, 1, NULL);
			}
			assert_int_equal(hb_buf_adj(&b, a[j]), 0);
			hb_assert_buf_bytes(&b, ref + a[j], s - a[j]);
			check_no_empty(c, &b, base);
			/* zero copy: the bytes left did not move */
			if (a[j] < s) {
				assert_ptr_equal(hb_buf_peek(&b, 0, 1, NULL),
						 p0);
				assert_ptr_equal(hb_buf_peek(&b, s - a[j] - 1,
							     1, NULL),
						 pl);
			}
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
		if (!small_size(c, s) || s == 0)
			continue;
		hb_test_ctx("%s: adj %u in pieces", c->name, s);
		build_idx(c, &b, ref, s);
		for (k = 0, gone = 0; gone < s; k++) {
			uint32_t p = RTE_MIN(piece(c, k), s - gone);

			assert_int_equal(hb_buf_adj(&b, p), 0);
			gone += p;
			hb_assert_buf_bytes(&b, ref + gone, s - gone);
			check_no_empty(c, &b, base);
		}
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		hb_assert_pool_at(c->mp, base);
		assert_int_equal(hb_buf_append(&b, ref, 5), 0);
		hb_assert_buf_bytes(&b, ref, 5);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* A chain A (50 bytes, metadata), B (60), C (70), attached to @b. */
static void
meta_chain(const struct pcfg *c, struct hb_buf *b, struct rte_mbuf **seg)
{
	seg[0] = hb_test_chain(c->mp, ref, (const uint16_t[]){ 50, 60, 70 }, 3,
			       (const uint16_t[]){ 0, 0, 0 });
	seg[1] = seg[0]->next;
	seg[2] = seg[1]->next;
	meta_set(seg[0]);
	assert_int_equal(hb_buf_attach(b, seg[0]), 0);
}

/* adj moves the metadata when head segments are dropped. */
static void
test_adj_meta(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	struct rte_mbuf *seg[3], *h;
	struct hb_buf b;

	hb_test_ctx("%s: adj inside the head", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 10), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[0]);
	meta_check(h);
	assert_int_equal(check_detached(h, ref + 10, 170), 3);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: adj dropping the head", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 55), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(in_use(c), base + 2);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[1]);
	meta_check(h);
	assert_int_equal(check_detached(h, ref + 55, 125), 2);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: adj dropping two whole segments", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 110), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(in_use(c), base + 1);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[2]);
	meta_check(h);
	assert_int_equal(check_detached(h, ref + 110, 70), 1);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * split
 */

/*
 * Change @b (which holds @exp[0..*len)) at both ends and in the middle,
 * checking it after each step: append (taking mbufs), prepend (headroom
 * and new head), overwrite everything, trim and adj.
 */
static void
mutate(const struct pcfg *c, struct hb_buf *b, uint8_t *exp, uint32_t *len,
       unsigned int tag)
{
	const uint8_t *src = ref2 + tag * 4096;
	uint32_t l = *len, k;

	k = c->seg + 3;
	assert_int_equal(hb_buf_append(b, src, k), 0);
	memcpy(exp + l, src, k);
	l += k;
	hb_assert_buf_bytes(b, exp, l);

	assert_int_equal(hb_buf_prepend(b, src + 100, 5), 0);
	memmove(exp + 5, exp, l);
	memcpy(exp, src + 100, 5);
	l += 5;
	k = c->seg + 1;
	assert_int_equal(hb_buf_prepend(b, src + 200, k), 0);
	memmove(exp + k, exp, l);
	memcpy(exp, src + 200, k);
	l += k;
	hb_assert_buf_bytes(b, exp, l);

	assert_int_equal(hb_buf_write(b, 0, ref3 + tag, l), 0);
	memcpy(exp, ref3 + tag, l);
	assert_int_equal(hb_buf_trim(b, 1), 0);
	assert_int_equal(hb_buf_adj(b, 1), 0);
	l -= 2;
	memmove(exp, exp + 1, l);
	hb_assert_buf_bytes(b, exp, l);
	*len = l;
}

enum split_mode {
	SPLIT_BOTH_LIVE,	/* change each half while the other lives */
	SPLIT_FREE_HEAD,	/* free the first half, then use the second */
	SPLIT_FREE_TAIL,	/* free the second half, then use the first */
};

static void
split_case(const struct pcfg *c, uint32_t s, uint32_t at, enum split_mode mode)
{
	static const void *addr[MAX_PTS];
	static uint32_t spts[MAX_PTS];
	unsigned int base = in_use(c), n, npt, i, used;
	struct hb_buf b, t;
	uint32_t lb, lt;
	bool mid;

	hb_test_ctx("%s: split %u at %u, mode %d", c->name, s, at, mode);
	build(c, &b, ref, s);
	n = layout(&b, lay);
	mid = at > 0 && at < s && lay[seg_at(lay, n, at)].start != at;
	/* where each interesting byte lives before the split */
	npt = points(lay, n, s, spts, 3);
	for (i = 0; i < npt; i++) {
		addr[i] = NULL;
		if (spts[i] < s) {
			addr[i] = hb_buf_peek(&b, spts[i], 1, NULL);
			assert_true(addr[i] != NULL);
		}
	}
	used = in_use(c);
	memset(&t, 0xff, sizeof(t));

	assert_int_equal(hb_buf_split(&b, at, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(in_use(c) - used, mid ? 1 : 0);
	assert_ptr_equal(hb_buf_pool(&t), c->mp);
	assert_int_equal(hb_buf_nb_segs(&b) + hb_buf_nb_segs(&t), n + mid);
	hb_assert_buf_bytes(&b, ref, at);
	hb_assert_buf_bytes(&t, ref + at, s - at);
	/* zero copy: every byte is where it was */
	for (i = 0; i < npt; i++) {
		if (spts[i] >= s)
			continue;
		if (spts[i] < at)
			assert_ptr_equal(hb_buf_peek(&b, spts[i], 1, NULL),
					 addr[i]);
		else
			assert_ptr_equal(hb_buf_peek(&t, spts[i] - at, 1, NULL),
					 addr[i]);
	}
	memcpy(exp_a, ref, at);
	lb = at;
	memcpy(exp_b, ref + at, s - at);
	lt = s - at;

	switch (mode) {
	case SPLIT_BOTH_LIVE:
		/* growing either half never writes into the other */
		mutate(c, &b, exp_a, &lb, 1);
		hb_assert_buf_bytes(&t, exp_b, lt);
		mutate(c, &t, exp_b, &lt, 2);
		hb_assert_buf_bytes(&b, exp_a, lb);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_buf_bytes(&t, exp_b, lt);
		assert_int_equal(hb_buf_free(&t), 0);
		break;
	case SPLIT_FREE_HEAD:
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_buf_bytes(&t, exp_b, lt);
		mutate(c, &t, exp_b, &lt, 3);
		assert_int_equal(hb_buf_free(&t), 0);
		break;
	case SPLIT_FREE_TAIL:
		assert_int_equal(hb_buf_free(&t), 0);
		hb_assert_buf_bytes(&b, exp_a, lb);
		mutate(c, &b, exp_a, &lb, 4);
		assert_int_equal(hb_buf_free(&b), 0);
		break;
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_split(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, n, npt;
	struct hb_buf b;
	int mode;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		/* 0, len, len - 1, around boundaries, mid-segment */
		build(c, &b, ref, s);
		n = layout(&b, lay);
		npt = points(lay, n, s, pts, small_size(c, s) ? 4 : 2);
		assert_int_equal(hb_buf_free(&b), 0);
		for (j = 0; j < npt; j++)
			for (mode = SPLIT_BOTH_LIVE; mode <= SPLIT_FREE_TAIL;
			     mode++)
				split_case(c, s, pts[j], mode);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Split with reserved segments, and metadata on both halves. */
static void
test_split_meta_reserved(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	struct rte_mbuf *seg[3], *h1, *h2;
	struct hb_buf b, t;
	uint32_t s = 3 * c->seg + 11, lt;
	unsigned int nb;

	hb_test_ctx("%s: split in the middle of a segment, metadata", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_split(&b, 80, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	h1 = hb_buf_detach(&b);
	h2 = hb_buf_detach(&t);
	assert_ptr_equal(h1, seg[0]);
	meta_check(h1);
	meta_check(h2);
	assert_int_equal(check_detached(h1, ref, 80), 2);
	assert_int_equal(check_detached(h2, ref + 80, 100), 2);
	rte_pktmbuf_free(h1);
	rte_pktmbuf_free(h2);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: split at a segment boundary, metadata", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_split(&b, 50, &t), 0);
	h2 = hb_buf_detach(&t);
	assert_ptr_equal(h2, seg[1]);
	meta_check(h2);
	assert_int_equal(check_detached(h2, ref + 50, 130), 2);
	h1 = hb_buf_detach(&b);
	meta_check(h1);
	assert_int_equal(check_detached(h1, ref, 50), 1);
	rte_pktmbuf_free(h2);
	rte_pktmbuf_free(h1);
	hb_assert_pool_at(c->mp, base);

	/* reserved segments follow the tail half */
	hb_test_ctx("%s: split a buffer with reserved segments", c->name);
	build(c, &b, ref, s);
	assert_int_equal(hb_buf_reserve(&b, 2 * c->seg), 0);
	assert_int_equal(hb_buf_split(&b, s / 2 + 1, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	hb_assert_buf_bytes(&b, ref, s / 2 + 1);
	hb_assert_buf_bytes(&t, ref + s / 2 + 1, s - s / 2 - 1);
	lt = s - s / 2 - 1;
	memcpy(exp_b, ref + s / 2 + 1, lt);
	assert_int_equal(hb_buf_append(&t, ref2, 2 * c->seg), 0);
	memcpy(exp_b + lt, ref2, 2 * c->seg);
	lt += 2 * c->seg;
	hb_assert_buf_bytes(&t, exp_b, lt);
	hb_assert_buf_bytes(&b, ref, s / 2 + 1);
	/* every mbuf taken is in one of the two chains */
	nb = hb_buf_nb_segs(&b);
	h1 = hb_buf_detach(&t);
	assert_int_equal(check_detached(h1, exp_b, lt) + nb, in_use(c) - base);
	rte_pktmbuf_free(h1);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * reserve, free, len, nb_segs
 */

/*
 * Piece @k of @total bytes added piece by piece. 1 MiB goes in about 60
 * pieces: in the debug build each slow path checks the whole chain, and
 * thousands of small pieces on thousands of segments cost seconds.
 */
static uint32_t
big_piece(const struct pcfg *c, uint32_t total, unsigned int k)
{
	return small_size(c, total) ? piece(c, k) : total / 61 + k;
}

static void
test_reserve(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, j, k, u;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		for (j = 0; j < c->nsizes; j++) {
			uint32_t s = c->sizes[i], r = c->sizes[j], done = 0;

			hb_test_ctx("%s: reserve %u after %u", c->name, r, s);
			((i + j) & 1 ? build_idx : build)(c, &b, ref, s);
			assert_int_equal(hb_buf_reserve(&b, r), 0);
			hb_assert_buf_ok(&b);
			assert_int_equal(hb_buf_len(&b), s);
			hb_assert_buf_bytes(&b, ref, s);
			u = in_use(c);
			assert_int_equal(u - base, hb_buf_nb_segs(&b));
			/* the capacity is there: reserving again takes nothing */
			assert_int_equal(hb_buf_reserve(&b, r), 0);
			assert_int_equal(in_use(c), u);
			/* appends of the reserved amount take no mbuf */
			if ((i + j) % 3 == 0) {
				assert_int_equal(hb_buf_append(&b, ref + s, r),
						 0);
				assert_int_equal(in_use(c), u);
			} else {
				for (k = 0; done < r; k++) {
					uint32_t p = RTE_MIN(big_piece(c, r, k),
							     r - done);

					assert_int_equal(
						hb_buf_append(&b,
							      ref + s + done,
							      p),
						0);
					done += p;
					assert_int_equal(in_use(c), u);
				}
			}
			hb_assert_buf_bytes(&b, ref, s + r);
			assert_int_equal(hb_buf_nb_segs(&b), u - base);
			assert_int_equal(layout(&b, lay), u - base);
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_free_len_nb_segs(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	uint32_t s = 10 * c->seg + 7;
	struct hb_buf b;

	hb_test_ctx("%s: free", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	/* freeing an empty buffer is fine, and repeatable */
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	assert_int_equal(hb_buf_append(&b, ref, s), 0);
	assert_int_equal(hb_buf_len(&b), s);
	assert_int_equal(hb_buf_nb_segs(&b), in_use(c) - base);
	assert_true(hb_buf_nb_segs(&b) >= s / c->seg);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	hb_assert_pool_at(c->mp, base);
	/* still initialised and usable, same pool */
	assert_ptr_equal(hb_buf_pool(&b), c->mp);
	assert_int_equal(hb_buf_append(&b, ref2, 3), 0);
	assert_int_equal(hb_buf_prepend(&b, ref, 2), 0);
	assert_int_equal(hb_buf_len(&b), 5);
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	memcpy(exp_a, ref, 2);
	memcpy(exp_a + 2, ref2, 3);
	hb_assert_buf_bytes(&b, exp_a, 5);
	/* a buffer holding only reserved capacity */
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_reserve(&b, 3 * c->seg), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	assert_int_equal(hb_buf_nb_segs(&b), in_use(c) - base);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * attach, detach
 */

static void
test_attach_single(void **state)
{
	struct pcfg *c = cfg_get(state);
	const uint16_t lens[] = { 0, 1, 100, (uint16_t)(c->hc - 10),
				  (uint16_t)c->hc };
	unsigned int base = in_use(c), i;
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(lens); i++) {
		uint16_t dl = lens[i];
		uint32_t room;

		hb_test_ctx("%s: attach one segment of %u bytes", c->name, dl);
		m = seg_new(c, ref, dl, RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
					       (uint16_t)(c->seg - c->hc)));
		room = rte_pktmbuf_tailroom(m);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		hb_assert_buf_ok(&b);
		assert_int_equal(in_use(c), base + 1);
		assert_int_equal(hb_buf_len(&b), dl);
		assert_int_equal(hb_buf_nb_segs(&b), 1);
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		hb_assert_buf_bytes(&b, ref, dl);
		/* appends fill the tailroom first */
		memcpy(exp_a, ref, dl);
		assert_int_equal(hb_buf_append(&b, ref2, 10), 0);
		memcpy(exp_a + dl, ref2, 10);
		hb_assert_buf_bytes(&b, exp_a, dl + 10);
		if (room >= 10) {
			assert_int_equal(in_use(c), base + 1);
			assert_int_equal(hb_buf_nb_segs(&b), 1);
		}
		h = hb_buf_detach(&b);
		assert_ptr_equal(h, m);
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_buf_len(&b), 0);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		assert_int_equal(check_detached(h, exp_a, dl + 10),
				 in_use(c) - base);
		rte_pktmbuf_free(h);
		hb_assert_pool_at(c->mp, base);

		hb_test_ctx("%s: attach, detach at once, reuse: %u bytes",
			    c->name, dl);
		m = seg_new(c, ref, dl, 0);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		h = hb_buf_detach(&b);
		assert_ptr_equal(h, m);
		assert_int_equal(h->pkt_len, dl);
		rte_pktmbuf_free(h);
		/* The buffer keeps the pool: it can grow again. */
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		assert_int_equal(hb_buf_append(&b, ref2, c->seg + 1), 0);
		hb_assert_buf_bytes(&b, ref2, c->seg + 1);
		assert_int_equal(hb_buf_free(&b), 0);
		/* The same after free of an adopted, unused chain. */
		assert_int_equal(hb_buf_attach(&b, seg_new(c, ref, dl, 0)), 0);
		assert_int_equal(hb_buf_free(&b), 0);
		assert_int_equal(hb_buf_prepend(&b, ref2, 7), 0);
		hb_assert_buf_bytes(&b, ref2, 7);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/*
 * A chain of @nseg segments with mixed lengths (one empty in the middle)
 * and offsets, holding @ref[0..return value). Full segments alternate with
 * short ones: no equal-segment shortcut finds an offset in it.
 */
static uint32_t
make_chain(const struct pcfg *c, unsigned int nseg, struct rte_mbuf **head)
{
	static uint16_t lens[MAX_SEGS], offs[MAX_SEGS];
	unsigned int i;

	assert_true(nseg <= MAX_SEGS);
	for (i = 0; i < nseg && i < MAX_SEGS; i++) {
		offs[i] = (uint16_t)((i * 29) % 64);
		if (i == nseg / 2 && nseg > 2)
			lens[i] = 0;
		else if (i % 3 == 1)
			lens[i] = (uint16_t)(c->seg - offs[i]);
		else
			lens[i] = (uint16_t)((i * 37) % (c->seg - offs[i]) + 1);
	}
	*head = hb_test_chain(c->mp, ref, lens, nseg, offs);
	return (*head)->pkt_len;
}

static void
test_attach_chain(void **state)
{
	struct pcfg *c = cfg_get(state);
	const unsigned int nsegs[] = { 2, 3, 5, 40, 300 };
	unsigned int base = in_use(c), i;
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(nsegs); i++) {
		uint32_t total, l;

		hb_test_ctx("%s: attach a chain of %u segments", c->name,
			    nsegs[i]);
		total = make_chain(c, nsegs[i], &m);
		assert_int_equal(in_use(c), base + nsegs[i]);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		assert_int_equal(in_use(c), base + nsegs[i]);
		assert_int_equal(hb_buf_len(&b), total);
		assert_int_equal(hb_buf_nb_segs(&b), nsegs[i]);
		hb_assert_buf_bytes(&b, ref, total);
		for_ranges(c, &b, ref, "read attached", range_read);
		for_ranges(c, &b, ref, "peek attached", range_peek);
		for_ranges(c, &b, ref, "iov attached", range_iov);
		/* grows at both ends */
		hb_test_ctx("%s: grow an attached chain of %u segments",
			    c->name, nsegs[i]);
		memcpy(exp_a, ref, total);
		l = total;
		assert_int_equal(hb_buf_append(&b, ref2, c->seg + 5), 0);
		memcpy(exp_a + l, ref2, c->seg + 5);
		l += c->seg + 5;
		assert_int_equal(hb_buf_prepend(&b, ref3, 7), 0);
		memmove(exp_a + 7, exp_a, l);
		memcpy(exp_a, ref3, 7);
		l += 7;
		hb_assert_buf_bytes(&b, exp_a, l);
		assert_int_equal(hb_buf_write(&b, 1, ref2 + 9, l - 2), 0);
		memcpy(exp_a + 1, ref2 + 9, l - 2);
		hb_assert_buf_bytes(&b, exp_a, l);
		h = hb_buf_detach(&b);
		assert_int_equal(check_detached(h, exp_a, l), in_use(c) - base);
		/* attach again, give back through free */
		assert_int_equal(hb_buf_attach(&b, h), 0);
		hb_assert_buf_bytes(&b, exp_a, l);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Split an attached irregular chain (empty segment inside) everywhere. */
static void
test_attach_chain_split(void **state)
{
	struct pcfg *c = cfg_get(state);
	const unsigned int nsegs[] = { 3, 5, 40 };
	unsigned int base = in_use(c), i, j, n, npt;
	static uint32_t spts[MAX_PTS];
	struct rte_mbuf *m;
	struct hb_buf b, t;

	for (i = 0; i < RTE_DIM(nsegs); i++) {
		uint32_t total = make_chain(c, nsegs[i], &m);

		assert_int_equal(hb_buf_attach(&b, m), 0);
		n = layout(&b, lay);
		npt = points(lay, n, total, spts, 3);
		assert_int_equal(hb_buf_free(&b), 0);
		for (j = 0; j < npt; j++) {
			uint32_t at = spts[j];
			unsigned int used;

			hb_test_ctx("%s: split a %u-segment chain of %u at %u",
				    c->name, nsegs[i], total, at);
			assert_int_equal(make_chain(c, nsegs[i], &m), total);
			assert_int_equal(hb_buf_attach(&b, m), 0);
			touch(&b, ref);
			used = in_use(c);
			assert_int_equal(hb_buf_split(&b, at, &t), 0);
			assert_true(in_use(c) - used <= 1);
			hb_assert_buf_bytes(&b, ref, at);
			hb_assert_buf_bytes(&t, ref + at, total - at);
			touch(&b, ref);
			touch(&t, ref + at);
			if (j & 1) {
				assert_int_equal(hb_buf_free(&b), 0);
				hb_assert_buf_bytes(&t, ref + at, total - at);
				assert_int_equal(hb_buf_append(&t, ref2,
							       c->seg),
						 0);
				assert_int_equal(hb_buf_prepend(&t, ref2, 1),
						 0);
				hb_assert_buf_ok(&t);
				assert_int_equal(hb_buf_free(&t), 0);
			} else {
				assert_int_equal(hb_buf_free(&t), 0);
				hb_assert_buf_bytes(&b, ref, at);
				assert_int_equal(hb_buf_append(&b, ref + at,
							       total - at),
						 0);
				hb_assert_buf_bytes(&b, ref, total);
				assert_int_equal(hb_buf_free(&b), 0);
			}
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

/*
 * Trailing empty segments of an attached chain: attach reads nothing (the
 * chain is handed back as adopted if unused); once used they are reserved
 * capacity, and detach frees those left empty.
 */
static void
test_attach_trailing_empty(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	hb_test_ctx("%s: attach and detach, unused: as adopted", c->name);
	m = hb_test_chain(c->mp, ref, (const uint16_t[]){ 100, 50, 0, 0, 0 }, 5,
			  (const uint16_t[]){ 0, 10, 0, 0, 0 });
	assert_int_equal(in_use(c), base + 5);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	assert_int_equal(h->nb_segs, 5);
	assert_int_equal(in_use(c), base + 5);

	hb_test_ctx("%s: attach a chain with 3 empty trailing segments, use it",
		    c->name);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_len(&b), 150);
	hb_assert_buf_bytes(&b, ref, 150);
	hb_assert_buf_ok(&b);
	assert_int_equal(in_use(c), base + 5);
	assert_int_equal(hb_buf_append(&b, ref + 150, 10), 0);
	hb_assert_buf_bytes(&b, ref, 160);
	assert_int_equal(in_use(c), base + 5);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	assert_int_equal(check_detached(h, ref, 160), in_use(c) - base);
	assert_true(in_use(c) < base + 5);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: attach a chain of 3 empty segments", c->name);
	m = hb_test_chain(c->mp, ref, (const uint16_t[]){ 0, 0, 0 }, 3,
			  (const uint16_t[]){ 0, 0, 0 });
	assert_int_equal(hb_buf_attach(&b, m), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(in_use(c), base + 3);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_append(&b, ref, 3 * c->seg), 0);
	hb_assert_buf_bytes(&b, ref, 3 * c->seg);
	check_no_empty(c, &b, base);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* Detach frees reserved segments left empty. */
static void
test_detach_reserved(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), i, nb;
	struct rte_mbuf *h;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], r = 2 * c->seg + 3;

		hb_test_ctx("%s: detach %u bytes with %u reserved", c->name, s,
			    r);
		build_idx(c, &b, ref, s);
		nb = hb_buf_nb_segs(&b);
		assert_int_equal(hb_buf_reserve(&b, r), 0);
		assert_true(hb_buf_nb_segs(&b) >= nb + 2);
		h = hb_buf_detach(&b);
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		assert_int_equal(check_detached(h, ref, s), in_use(c) - base);
		if (s > 0)
			assert_int_equal(h->nb_segs, nb);
		rte_pktmbuf_free(h);
		hb_assert_pool_at(c->mp, base);

		/* part of the reservation used */
		hb_test_ctx("%s: detach %u + %u bytes with %u reserved",
			    c->name, s, r / 2, r);
		build(c, &b, ref, s);
		assert_int_equal(hb_buf_reserve(&b, r), 0);
		assert_int_equal(hb_buf_append(&b, ref + s, r / 2), 0);
		h = hb_buf_detach(&b);
		assert_int_equal(check_detached(h, ref, s + r / 2),
				 in_use(c) - base);
		rte_pktmbuf_free(h);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/*
 * A cloned packet is attached: growing it never writes into the buffers it
 * shares with the original (neither their data nor their tailroom).
 */
static void
test_attach_clone(void **state)
{
	static uint8_t snap[3][8192];
	static const void *snap_addr[3];
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), nseg, i, pass;
	struct rte_mbuf *orig, *clone, *other, *m, *h;
	struct hb_buf b;

	for (nseg = 1; nseg <= 3; nseg += 2) {
		for (pass = 0; pass < 2; pass++) {
			uint32_t total = 0, l;

			hb_test_ctx("%s: %u-segment %s attached", c->name, nseg,
				    pass == 0 ? "clone"
					      : "original of a clone");
			/* every byte of the original's buffers is known */
			orig = NULL;
			for (i = 0; i < nseg; i++) {
				m = rte_pktmbuf_alloc(c->mp);
				assert_true(m != NULL);
				assert_true(m->buf_len <= sizeof(snap[0]));
				memset(m->buf_addr, 0xc0 + i, m->buf_len);
				memcpy(rte_pktmbuf_append(m, 40), ref + total,
				       40);
				total += 40;
				if (orig == NULL)
					orig = m;
				else
					assert_int_equal(rte_pktmbuf_chain(orig,
									   m),
							 0);
			}
			for (m = orig, i = 0; m != NULL; m = m->next, i++) {
				memcpy(snap[i], m->buf_addr, m->buf_len);
				snap_addr[i] = m->buf_addr;
			}
			clone = rte_pktmbuf_clone(orig, c->mp);
			assert_true(clone != NULL);
			assert_int_equal(in_use(c), base + 2 * nseg);

			assert_int_equal(hb_buf_attach(&b, pass == 0 ? clone
								     : orig),
					 0);
			hb_assert_buf_bytes(&b, ref, total);
			/* append a little, then more; prepend; reserve */
			memcpy(exp_a, ref, total);
			l = total;
			assert_int_equal(hb_buf_append(&b, ref2, 5), 0);
			memcpy(exp_a + l, ref2, 5);
			l += 5;
			assert_int_equal(hb_buf_append(&b, ref2 + 5,
						       c->seg + 10),
					 0);
			memcpy(exp_a + l, ref2 + 5, c->seg + 10);
			l += c->seg + 10;
			assert_int_equal(hb_buf_prepend(&b, ref3, 20), 0);
			memmove(exp_a + 20, exp_a, l);
			memcpy(exp_a, ref3, 20);
			l += 20;
			assert_int_equal(hb_buf_reserve(&b, 100), 0);
			assert_int_equal(hb_buf_append(&b, ref3 + 50, 100), 0);
			memcpy(exp_a + l, ref3 + 50, 100);
			l += 100;
			hb_assert_buf_bytes(&b, exp_a, l);

			/*
			 * The shared buffers are byte for byte as before, and
			 * the packet not attached is untouched. (The chain
			 * attached goes on into new segments.)
			 */
			other = pass == 0 ? orig : clone;
			for (m = orig, i = 0; i < nseg; m = m->next, i++) {
				assert_int_equal(m->data_len, 40);
				assert_memory_equal(m->buf_addr, snap[i],
						    m->buf_len);
			}
			for (m = clone, i = 0; i < nseg; m = m->next, i++) {
				assert_int_equal(m->data_len, 40);
				assert_ptr_equal(m->buf_addr, snap_addr[i]);
			}
			assert_int_equal(other->pkt_len, total);
			assert_int_equal(other->nb_segs, nseg);
			assert_int_equal(rte_pktmbuf_lastseg(other)->data_len,
					 40);
			for (m = other, i = 0; m != NULL; m = m->next, i++)
				assert_memory_equal(rte_pktmbuf_mtod(m,
								     uint8_t *),
						    ref + 40 * i, 40);

			h = hb_buf_detach(&b);
			assert_int_equal(check_detached(h, exp_a, l) > nseg, 1);
			/* give it back through hb_buf_free */
			assert_int_equal(hb_buf_attach(&b, h), 0);
			assert_int_equal(hb_buf_free(&b), 0);
			/* the original's mbufs live while the clone does */
			assert_int_equal(in_use(c),
					 base + (pass == 0 ? 1 : 2) * nseg);
			rte_pktmbuf_free(other);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * Typed integers
 */

/* get/put at every offset straddling the first segment boundaries. */
static void
test_typed_get_put(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), n, i, k, used;
	uint32_t s = 3 * c->seg + c->hc, bnd;
	uint64_t seed = 0x1234567, v;
	int64_t o;
	struct hb_buf b;

	build(c, &b, ref, s);
	memcpy(exp_a, ref, s);
	n = layout(&b, lay);
	used = in_use(c);
	assert_true(n >= 4);
	for (i = 1; i < n; i++) {
		bnd = lay[i].start;
		/* the boundary really splits the bytes around it */
		assert_int_equal(hb_buf_iov(&b, bnd - 1, 2, NULL, 0), 2);
		for (o = (int64_t)bnd - 9; o <= (int64_t)bnd + 1; o++) {
			for (k = 0; k < HB_INT_NUM; k++) {
				const struct hb_int_desc *op = &hb_ints[k];
				uint32_t off = (uint32_t)o;
				uint64_t val;

				if (o < 0 || off + op->size > s)
					continue;
				hb_test_ctx("%s: %s at %u (boundary %u)",
					    c->name, op->name, off, bnd);
				v = ~(uint64_t)0;
				assert_int_equal(hb_int_get(&b, k, off, &v), 0);
				assert_int_equal(v,
						 hb_int_decode(exp_a + off, k));
				val = hb_int_mask(hb_test_rand(&seed), k);
				assert_int_equal(hb_int_put(&b, k, off, val),
						 0);
				hb_int_encode(exp_a + off, val, k);
				hb_assert_read(&b, off, exp_a + off, op->size);
				if (off > 0)
					hb_assert_read(&b, off - 1,
						       exp_a + off - 1, 1);
				if (off + op->size < s)
					hb_assert_read(&b, off + op->size,
						       exp_a + off + op->size,
						       1);
				assert_int_equal(hb_int_get(&b, k, off, &v), 0);
				assert_int_equal(v, val);
			}
		}
	}
	hb_test_ctx("%s: after typed puts", c->name);
	hb_assert_buf_bytes(&b, exp_a, s);
	assert_int_equal(in_use(c), used);
	assert_int_equal(hb_buf_nb_segs(&b), n);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* append_* of a value landing on every position across a boundary. */
static void
test_typed_append(void **state)
{
	struct pcfg *c = cfg_get(state);
	const uint32_t bnds[] = { c->hc, c->hc + c->seg };
	unsigned int base = in_use(c), i, k;
	uint64_t seed = 0x7654321, v;
	uint32_t f, l;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(bnds); i++) {
		for (f = bnds[i] - 9; f <= bnds[i] + 1; f++) {
			for (k = 0; k < HB_INT_NUM; k++) {
				const struct hb_int_desc *op = &hb_ints[k];
				uint64_t val = hb_int_mask(hb_test_rand(&seed),
							   k);

				hb_test_ctx("%s: append_%s after %u bytes",
					    c->name, op->name, f);
				build(c, &b, ref, f);
				assert_int_equal(hb_int_append(&b, k, val), 0);
				hb_assert_buf_ok(&b);
				memcpy(exp_a, ref, f);
				hb_int_encode(exp_a + f, val, k);
				hb_assert_buf_bytes(&b, exp_a, f + op->size);
				assert_int_equal(hb_int_get(&b, k, f, &v), 0);
				assert_int_equal(v, val);
				/* straddling when it should */
				if (f < bnds[i] && f + op->size > bnds[i])
					assert_int_equal(hb_buf_iov(&b, f,
								    op->size,
								    NULL, 0),
							 2);
				check_packed(c, &b, base);
				assert_int_equal(hb_buf_free(&b), 0);
			}
		}
	}

	/* all of them in a row, across the first boundary */
	hb_test_ctx("%s: typed appends in a row", c->name);
	build(c, &b, ref, c->hc - 3);
	memcpy(exp_a, ref, c->hc - 3);
	l = c->hc - 3;
	for (i = 0; i < 3; i++) {
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];
			uint64_t val = hb_int_mask(hb_test_rand(&seed), k);

			assert_int_equal(hb_int_append(&b, k, val), 0);
			hb_int_encode(exp_a + l, val, k);
			l += op->size;
		}
	}
	hb_assert_buf_bytes(&b, exp_a, l);
	for (i = 0, l = c->hc - 3; i < 3; i++) {
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];

			assert_int_equal(hb_int_get(&b, k, l, &v), 0);
			assert_int_equal(v, hb_int_decode(exp_a + l, k));
			l += op->size;
		}
	}
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * Cursor
 */

/* Consume a buffer front to back in mixed steps, checking every byte. */
static void
test_cursor_read(void **state)
{
	struct pcfg *c = cfg_get(state);
	const uint32_t sizes[] = { 0, 1, 10 * c->seg + 7, MIB };
	unsigned int base = in_use(c), i, k;
	struct hb_cursor cur;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		uint32_t s = sizes[i], off = 0;

		hb_test_ctx("%s: cursor through %u bytes", c->name, s);
		build(c, &b, ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		assert_int_equal(hb_cursor_offset(&cur), 0);
		assert_int_equal(hb_cursor_remaining(&cur), s);
		for (k = 0; off < s; k++) {
			uint32_t p = RTE_MIN(piece(c, k), s - off);

			memset(tmp, 0x5a, p);
			assert_int_equal(hb_cursor_read(&cur, tmp, p), 0);
			assert_memory_equal(tmp, ref + off, p);
			off += p;
			assert_int_equal(hb_cursor_offset(&cur), off);
			assert_int_equal(hb_cursor_remaining(&cur), s - off);
		}
		/* at the end: nothing more, and the cursor does not move */
		assert_int_equal(hb_cursor_read(&cur, tmp, 0), 0);
		assert_int_equal(hb_cursor_read(&cur, tmp, 1), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), s);
		assert_int_equal(hb_cursor_remaining(&cur), 0);

		/* again with skip and peek */
		hb_test_ctx("%s: cursor skip/peek through %u bytes", c->name,
			    s);
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		for (k = 0, off = 0; off < s; k++) {
			uint32_t p = RTE_MIN(piece(c, k), s - off);

			assert_int_equal(hb_cursor_peek(&cur, tmp, p), 0);
			assert_memory_equal(tmp, ref + off, p);
			assert_int_equal(hb_cursor_offset(&cur), off);
			assert_int_equal(hb_cursor_skip(&cur, p), 0);
			off += p;
			assert_int_equal(hb_cursor_offset(&cur), off);
		}
		assert_int_equal(hb_cursor_skip(&cur, 0), 0);
		assert_int_equal(hb_cursor_skip(&cur, 1), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), s);
		hb_assert_buf_bytes(&b, ref, s);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Cursor set up at interesting offsets: peek, pull, skip, typed calls. */
static void
test_cursor_mid(void **state)
{
	struct pcfg *c = cfg_get(state);
	const uint32_t pulls[] = { 1, 2, 8, c->seg };
	unsigned int base = in_use(c), n, npt, i, k;
	uint32_t s = 4 * c->seg + c->hc;
	struct hb_cursor cur;
	struct hb_buf b;
	const uint8_t *p;
	uint64_t v;

	build(c, &b, ref, s);
	n = layout(&b, lay);
	npt = points(lay, n, s, pts, 8);
	for (i = 0; i < npt; i++) {
		uint32_t o = pts[i], rem = s - o;

		hb_test_ctx("%s: cursor at %u of %u", c->name, o, s);
		assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
		assert_int_equal(hb_cursor_offset(&cur), o);
		assert_int_equal(hb_cursor_remaining(&cur), rem);
		if (rem >= 9) {
			assert_int_equal(hb_cursor_peek(&cur, tmp, 9), 0);
			assert_memory_equal(tmp, ref + o, 9);
			assert_int_equal(hb_cursor_offset(&cur), o);
		}
		/* pull: a pointer into the segment, or the scratch copy */
		for (k = 0; k < RTE_DIM(pulls); k++) {
			uint32_t len = pulls[k];

			if (len > rem)
				continue;
			hb_test_ctx("%s: cursor pull %u at %u of %u", c->name,
				    len, o, s);
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			scratch[0] = (uint8_t)~ref[o];
			p = hb_cursor_pull(&cur, len, scratch);
			assert_true(p != NULL);
			assert_memory_equal(p, ref + o, len);
			if (contiguous(lay, n, o, len)) {
				unsigned int j = seg_at(lay, n, o);

				assert_ptr_equal(p, lay[j].data +
							    (o - lay[j].start));
				assert_int_equal(scratch[0], (uint8_t)~ref[o]);
			} else {
				assert_ptr_equal(p, scratch);
			}
			assert_int_equal(hb_cursor_offset(&cur), o + len);
			/* the cursor goes on after a pull */
			if (rem > len) {
				assert_int_equal(hb_cursor_read(&cur, tmp, 1),
						 0);
				assert_int_equal(tmp[0], ref[o + len]);
			}
			/* skip, then read */
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			assert_int_equal(hb_cursor_skip(&cur, len), 0);
			assert_int_equal(hb_cursor_offset(&cur), o + len);
			if (rem > len) {
				assert_int_equal(hb_cursor_read(&cur, tmp, 1),
						 0);
				assert_int_equal(tmp[0], ref[o + len]);
			}
		}
		/* typed peek (no move) and get (move) */
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];

			if (op->size > rem)
				continue;
			hb_test_ctx("%s: cursor %s at %u of %u", c->name,
				    op->name, o, s);
			assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
			v = 0;
			assert_int_equal(hb_int_cursor(&cur, k, false, &v), 0);
			assert_int_equal(v, hb_int_decode(ref + o, k));
			assert_int_equal(hb_cursor_offset(&cur), o);
			v = 0;
			assert_int_equal(hb_int_cursor(&cur, k, true, &v), 0);
			assert_int_equal(v, hb_int_decode(ref + o, k));
			assert_int_equal(hb_cursor_offset(&cur), o + op->size);
			assert_int_equal(hb_cursor_remaining(&cur),
					 rem - op->size);
		}
	}
	hb_assert_buf_bytes(&b, ref, s);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* -ENODATA at the end, and the cursor does not move. */
static void
test_cursor_end(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), k;
	uint32_t s = c->seg + 3;
	struct hb_cursor cur;
	struct hb_buf b;
	uint16_t v16;
	uint8_t v8;
	uint64_t v;

	build(c, &b, ref, s);
	for (k = 0; k < HB_INT_NUM; k++) {
		const struct hb_int_desc *op = &hb_ints[k];
		uint32_t o = s - (op->size - 1);

		hb_test_ctx("%s: cursor %s with %u bytes left", c->name,
			    op->name, op->size - 1);
		assert_int_equal(hb_cursor_init(&cur, &b, o), 0);
		v = 0x77;
		assert_int_equal(hb_int_cursor(&cur, k, true, &v), -ENODATA);
		assert_int_equal(hb_int_cursor(&cur, k, false, &v), -ENODATA);
		assert_int_equal(hb_cursor_offset(&cur), o);
		assert_int_equal(hb_cursor_remaining(&cur), op->size - 1);
	}
	hb_test_ctx("%s: cursor 3 bytes before the end", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, s - 3), 0);
	assert_int_equal(hb_cursor_read(&cur, tmp, 4), -ENODATA);
	assert_int_equal(hb_cursor_peek(&cur, tmp, 4), -ENODATA);
	assert_int_equal(hb_cursor_skip(&cur, 4), -ENODATA);
	rte_errno = 0;
	assert_true(hb_cursor_pull(&cur, 4, scratch) == NULL);
	assert_int_equal(rte_errno, ENODATA);
	assert_int_equal(hb_cursor_skip(&cur, UINT32_MAX), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), s - 3);
	assert_int_equal(hb_cursor_remaining(&cur), 3);
	/* the three bytes are still there */
	assert_int_equal(hb_cursor_read(&cur, tmp, 3), 0);
	assert_memory_equal(tmp, ref + s - 3, 3);
	assert_int_equal(hb_cursor_get_u8(&cur, &v8), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), s);

	/* set up at the very end */
	hb_test_ctx("%s: cursor at the end", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, s), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 0);
	assert_int_equal(hb_cursor_read(&cur, tmp, 1), -ENODATA);
	assert_true(hb_cursor_pull(&cur, 0, scratch) != NULL);
	assert_int_equal(hb_cursor_offset(&cur), s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* an empty buffer */
	hb_test_ctx("%s: cursor on an empty buffer", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 0);
	assert_int_equal(hb_cursor_read(&cur, tmp, 1), -ENODATA);
	assert_int_equal(hb_cursor_get_be16(&cur, &v16), -ENODATA);
	assert_int_equal(hb_cursor_offset(&cur), 0);
	hb_assert_pool_at(c->mp, base);
}

/* A cursor sees bytes appended after it was set up. */
static void
test_cursor_append(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c), k;
	uint32_t s, off, end;
	struct hb_cursor cur;
	struct hb_buf b;

	/* on an empty buffer */
	hb_test_ctx("%s: cursor on an empty buffer, then appends", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	s = 10 * c->seg + 7;
	assert_int_equal(hb_buf_append(&b, ref, s), 0);
	assert_int_equal(hb_cursor_remaining(&cur), s);
	assert_int_equal(hb_cursor_read(&cur, tmp, s), 0);
	assert_memory_equal(tmp, ref, s);
	assert_int_equal(hb_buf_free(&b), 0);

	/* at the end of a full tail, at the end of a half-full tail */
	for (s = c->hc; s <= c->hc + c->seg / 2; s += c->seg / 2) {
		hb_test_ctx("%s: cursor at the end of %u bytes, then appends",
			    c->name, s);
		build(c, &b, ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, s), 0);
		assert_int_equal(hb_cursor_read(&cur, tmp, 1), -ENODATA);
		assert_int_equal(hb_buf_append(&b, ref + s, 3 * c->seg + 2), 0);
		assert_int_equal(hb_cursor_remaining(&cur), 3 * c->seg + 2);
		assert_int_equal(hb_cursor_read(&cur, tmp, 3 * c->seg + 2), 0);
		assert_memory_equal(tmp, ref + s, 3 * c->seg + 2);
		assert_int_equal(hb_cursor_offset(&cur), s + 3 * c->seg + 2);
		assert_int_equal(hb_buf_free(&b), 0);
	}

	/* producer and consumer interleaved, the cursor always near the end */
	hb_test_ctx("%s: cursor consuming while appending", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
	for (k = 0, off = 0, end = 0; end < 20 * c->seg; k++) {
		uint32_t p = piece(c, k), q;

		assert_int_equal(hb_buf_append(&b, ref + end, p), 0);
		end += p;
		q = RTE_MIN(piece(c, k + 3), end - off);
		assert_int_equal(hb_cursor_read(&cur, tmp, q), 0);
		assert_memory_equal(tmp, ref + off, q);
		off += q;
		assert_int_equal(hb_cursor_remaining(&cur), end - off);
	}
	assert_int_equal(hb_cursor_read(&cur, tmp, end - off), 0);
	assert_memory_equal(tmp, ref + off, end - off);

	/* reserve leaves the cursor valid too */
	hb_test_ctx("%s: cursor across reserve", c->name);
	assert_int_equal(hb_cursor_init(&cur, &b, end - 5), 0);
	assert_int_equal(hb_buf_reserve(&b, 5 * c->seg), 0);
	assert_int_equal(hb_cursor_remaining(&cur), 5);
	assert_int_equal(hb_buf_append(&b, ref + end, 5 * c->seg), 0);
	assert_int_equal(hb_cursor_read(&cur, tmp, 5 + 5 * c->seg), 0);
	assert_memory_equal(tmp, ref + end - 5, 5 + 5 * c->seg);
	hb_assert_buf_bytes(&b, ref, end + 5 * c->seg);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

enum stale_op {
	STALE_PREPEND_HEADROOM,
	STALE_PREPEND_NEW_HEAD,
	STALE_ADJ,
	STALE_ADJ_SEGMENT,
	STALE_TRIM,
	STALE_TRIM_SEGMENT,
	STALE_SPLIT,
	STALE_SPLIT_ZERO,
	STALE_FREE,
	STALE_DETACH,
	STALE_NB,
};

/* -ESTALE after any change of layout, until the cursor is set up again. */
static void
test_cursor_stale(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	uint32_t s = 3 * c->seg + 5;
	struct rte_mbuf *m = NULL;
	struct hb_cursor cur;
	struct hb_buf b, t;
	int op;
	uint64_t v;

	for (op = 0; op < STALE_NB; op++) {
		bool has_t = false;

		hb_test_ctx("%s: cursor stale after op %d", c->name, op);
		build_idx(c, &b, ref, s);
		assert_int_equal(hb_cursor_init(&cur, &b, 10), 0);
		assert_int_equal(hb_cursor_read(&cur, tmp, 2), 0);
		switch (op) {
		case STALE_PREPEND_HEADROOM:
			assert_int_equal(hb_buf_prepend(&b, ref, 1), 0);
			break;
		case STALE_PREPEND_NEW_HEAD:
			assert_int_equal(hb_buf_prepend(&b, ref, c->seg + 1),
					 0);
			break;
		case STALE_ADJ:
			assert_int_equal(hb_buf_adj(&b, 1), 0);
			break;
		case STALE_ADJ_SEGMENT:
			assert_int_equal(hb_buf_adj(&b, c->hc + 1), 0);
			break;
		case STALE_TRIM:
			assert_int_equal(hb_buf_trim(&b, 1), 0);
			break;
		case STALE_TRIM_SEGMENT:
			assert_int_equal(hb_buf_trim(&b, c->seg + 1), 0);
			break;
		case STALE_SPLIT:
			assert_int_equal(hb_buf_split(&b, s / 2, &t), 0);
			has_t = true;
			break;
		case STALE_SPLIT_ZERO:
			assert_int_equal(hb_buf_split(&b, 0, &t), 0);
			has_t = true;
			break;
		case STALE_FREE:
			assert_int_equal(hb_buf_free(&b), 0);
			break;
		case STALE_DETACH:
			m = hb_buf_detach(&b);
			assert_true(m != NULL);
			break;
		}
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_cursor_read(&cur, tmp, 1), -ESTALE);
		assert_int_equal(hb_cursor_read(&cur, tmp, 0), -ESTALE);
		assert_int_equal(hb_cursor_peek(&cur, tmp, 1), -ESTALE);
		assert_int_equal(hb_cursor_skip(&cur, 1), -ESTALE);
		rte_errno = 0;
		assert_true(hb_cursor_pull(&cur, 1, scratch) == NULL);
		assert_int_equal(rte_errno, ESTALE);
		assert_int_equal(hb_int_cursor(&cur, HB_INT_BE16, true, &v),
				 -ESTALE);
		assert_int_equal(hb_int_cursor(&cur, HB_INT_LE32, false, &v),
				 -ESTALE);
		assert_int_equal(hb_cursor_remaining(&cur), 0);
		assert_int_equal(hb_cursor_offset(&cur), 12);
		/* set up again, it works */
		assert_int_equal(hb_cursor_init(&cur, &b, 0), 0);
		assert_int_equal(hb_cursor_remaining(&cur), hb_buf_len(&b));
		if (hb_buf_len(&b) > 0) {
			assert_int_equal(hb_cursor_read(&cur, tmp, 1), 0);
			assert_int_equal(hb_buf_read(&b, 0, tmp + 1, 1), 0);
			assert_int_equal(tmp[0], tmp[1]);
		} else {
			assert_int_equal(hb_cursor_read(&cur, tmp, 1),
					 -ENODATA);
		}
		assert_int_equal(hb_buf_free(&b), 0);
		if (has_t)
			assert_int_equal(hb_buf_free(&t), 0);
		if (m != NULL) {
			rte_pktmbuf_free(m);
			m = NULL;
		}
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * Zero sizes and the empty buffer
 */

static void
test_empty(void **state)
{
	struct pcfg *c = cfg_get(state);
	unsigned int base = in_use(c);
	struct hb_buf b, t;
	struct iovec iov[1];

	hb_test_ctx("%s: empty buffer", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_buf_append(&b, ref, 0), 0);
	assert_int_equal(hb_buf_prepend(&b, ref, 0), 0);
	assert_int_equal(hb_buf_reserve(&b, 0), 0);
	assert_int_equal(hb_buf_read(&b, 0, tmp, 0), 0);
	assert_int_equal(hb_buf_write(&b, 0, ref, 0), 0);
	assert_true(hb_buf_peek(&b, 0, 0, scratch) != NULL);
	assert_true(hb_buf_peek(&b, 0, 0, NULL) != NULL);
	assert_int_equal(hb_buf_iov(&b, 0, 0, NULL, 0), 0);
	assert_int_equal(hb_buf_iov(&b, 0, 0, iov, 1), 0);
	assert_int_equal(hb_buf_trim(&b, 0), 0);
	assert_int_equal(hb_buf_adj(&b, 0), 0);
	assert_int_equal(hb_buf_split(&b, 0, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_buf_len(&t), 0);
	assert_int_equal(hb_buf_nb_segs(&t), 0);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	hb_assert_pool_at(c->mp, base);
	/* both still usable */
	assert_int_equal(hb_buf_append(&t, ref, 1), 0);
	assert_int_equal(hb_buf_append(&b, ref, 1), 0);
	hb_assert_buf_bytes(&b, ref, 1);
	hb_assert_buf_bytes(&t, ref, 1);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_free(&t), 0);
	hb_assert_pool_at(c->mp, base);
}

/* Each test runs on both pools. */
#define T(f)                                                                   \
	{ .name = #f "[2176]",                                                 \
	  .test_func = f,                                                      \
	  .teardown_func = hb_test_ctx_teardown,                               \
	  .initial_state = &cfg_big },                                         \
	{                                                                      \
		.name = #f "[256]", .test_func = f,                            \
		.teardown_func = hb_test_ctx_teardown,                         \
		.initial_state = &cfg_small                                    \
	}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_append),
		T(test_append_pieces),
		T(test_prepend_empty),
		T(test_prepend_headroom),
		T(test_prepend_new_head),
		T(test_prepend_meta),
		T(test_prepend_pieces),
		T(test_read),
		T(test_write),
		T(test_peek),
		T(test_iov),
		T(test_trim),
		T(test_adj),
		T(test_adj_meta),
		T(test_split),
		T(test_split_meta_reserved),
		T(test_reserve),
		T(test_free_len_nb_segs),
		T(test_attach_single),
		T(test_attach_chain),
		T(test_attach_chain_split),
		T(test_attach_trailing_empty),
		T(test_detach_reserved),
		T(test_attach_clone),
		T(test_typed_get_put),
		T(test_typed_append),
		T(test_cursor_read),
		T(test_cursor_mid),
		T(test_cursor_end),
		T(test_cursor_append),
		T(test_cursor_stale),
	};
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	fill_pattern(ref, sizeof(ref), 1);
	fill_pattern(ref2, sizeof(ref2), 2);
	fill_pattern(ref3, sizeof(ref3), 3);
	cfg_big.mp = hb_test_pool("test_buf_big", cfg_big.n, cfg_big.room);
	cfg_small.mp = hb_test_pool("test_buf_small", cfg_small.n,
				    cfg_small.room);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(cfg_small.mp);
	rte_mempool_free(cfg_big.mp);
	hb_test_teardown();
	return rc;
}
