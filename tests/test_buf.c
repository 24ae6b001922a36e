/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Positive behaviour of every hb_buf_*() call but the typed accessors
 * (test_typed.c), on a real EAL and real pools (no mocks), on both pool
 * configurations of hb_pcfg.h, checked against the chain as ground truth.
 *
 * The cursor is in test_cursor.c, negative cases and pool exhaustion in
 * test_buf_neg.c, the randomized differential test in test_buf_random.c.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hb_pcfg.h"

static struct hb_seg_info lay[HB_PCFG_MAX_SEGS], lay2[HB_PCFG_MAX_SEGS];
static uint32_t pts[HB_PCFG_MAX_PTS];

/* ---------------------------------------------------------------------
 * Common checks
 */

/* Every segment holds data and every mbuf taken is in the chain. */
static void
check_no_empty(const struct hb_pcfg *c, const struct hb_buf *b,
	       unsigned int base)
{
	unsigned int n = hb_layout(b, lay), i;

	assert_int_equal(hb_buf_nb_segs(b), n);
	assert_int_equal(hb_pcfg_in_use(c) - base, n);
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
seg_new(const struct hb_pcfg *c, const uint8_t *src, uint16_t len,
	uint16_t data_off)
{
	return hb_test_chain(c->mp, src, &len, 1, &data_off);
}

/* ---------------------------------------------------------------------
 * append
 */

static void
test_append(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i;
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
		assert_int_equal(hb_buf_append(&b, hb_ref, s), 0);
		hb_assert_buf_bytes(&b, hb_ref, s);
		hb_pcfg_check_packed(c, &b, base);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, k;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], done = 0;

		hb_test_ctx("%s: append %u bytes in pieces", c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		for (k = 0; done < s; k++) {
			uint32_t p = RTE_MIN(hb_pcfg_piece(c, k), s - done);

			assert_int_equal(hb_buf_append(&b, hb_ref + done, p),
					 0);
			done += p;
			assert_int_equal(hb_buf_len(&b), done);
			/* the piece just appended reads back */
			hb_assert_read(&b, done - p, hb_ref + done - p, p);
			/* random access while growing (segment index) */
			if (k % 16 == 15)
				hb_pcfg_touch(&b, hb_ref);
			if (hb_pcfg_small_size(c, s) || k % 256 == 255)
				hb_assert_buf_ok(&b);
		}
		/* zero-length appends change nothing */
		assert_int_equal(hb_buf_append(&b, hb_ref, 0), 0);
		hb_assert_buf_bytes(&b, hb_ref, s);
		hb_pcfg_check_packed(c, &b, base);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_test_ctx("%s: prepend %u bytes onto an empty buffer",
			    c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		assert_int_equal(hb_buf_prepend(&b, hb_ref, s), 0);
		hb_assert_buf_bytes(&b, hb_ref, s);
		check_no_empty(c, &b, base);
		/* and a prepend onto that */
		assert_int_equal(hb_buf_prepend(&b, hb_ref2, 3), 0);
		memcpy(hb_exp_a, hb_ref2, 3);
		memcpy(hb_exp_a + 3, hb_ref, s);
		hb_assert_buf_bytes(&b, hb_exp_a, s + 3);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, n;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], h;

		if (s == 0)
			continue;
		hb_pcfg_build(c, &b, hb_ref, s);
		n = hb_layout(&b, lay);
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
			hb_pcfg_build(c, &b, hb_ref, s);
			n = hb_layout(&b, lay);
			head = lay[0].m;
			data = lay[0].data;
			used = hb_pcfg_in_use(c);
			assert_int_equal(hb_buf_prepend(&b, hb_ref2, k), 0);
			hb_assert_buf_ok(&b);
			assert_int_equal(hb_pcfg_in_use(c), used);
			assert_int_equal(hb_buf_nb_segs(&b), n);
			assert_int_equal(hb_layout(&b, lay), n);
			assert_ptr_equal(lay[0].m, head);
			assert_ptr_equal(lay[0].data, data - k);
			assert_ptr_equal(hb_buf_peek(&b, 0, k, NULL), data - k);
			memcpy(hb_exp_a, hb_ref2, k);
			memcpy(hb_exp_a + k, hb_ref, s);
			hb_assert_buf_bytes(&b, hb_exp_a, s + k);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, n, n2, used, oh;
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
			hb_pcfg_build_idx(c, &b, hb_ref, s);
			hb_layout(&b, lay);
			h = rte_pktmbuf_headroom(lay[0].m);
			/* use up the headroom */
			assert_int_equal(hb_buf_prepend(&b, hb_ref3, h), 0);
			n = hb_layout(&b, lay);
			assert_int_equal(rte_pktmbuf_headroom(lay[0].m), 0);
			old_head = lay[0].m;
			old_data = lay[0].data;
			used = hb_pcfg_in_use(c);

			assert_int_equal(hb_buf_prepend(&b, hb_ref2, k), 0);
			hb_assert_buf_ok(&b);
			n2 = hb_layout(&b, lay2);
			assert_int_equal(hb_buf_nb_segs(&b), n2);
			assert_int_equal(hb_pcfg_in_use(c) - used, n2 - n);
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
			memcpy(hb_exp_a, hb_ref2, k);
			memcpy(hb_exp_a + k, hb_ref3, h);
			memcpy(hb_exp_a + k + h, hb_ref, s);
			hb_assert_buf_bytes(&b, hb_exp_a, total);

			/* the new head's headroom serves the next prepend */
			if (k < c->seg) {
				used = hb_pcfg_in_use(c);
				assert_int_equal(hb_buf_prepend(&b, hb_ref3 + 7,
								1),
						 0);
				assert_int_equal(hb_pcfg_in_use(c), used);
				assert_int_equal(hb_buf_nb_segs(&b), n2);
				memmove(hb_exp_a + 1, hb_exp_a, total);
				hb_exp_a[0] = hb_ref3[7];
				total++;
				hb_assert_buf_bytes(&b, hb_exp_a, total);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	/* one segment without headroom, metadata on it */
	hb_test_ctx("%s: prepend onto a segment without headroom", c->name);
	m = seg_new(c, hb_ref, 100, 0);
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, hb_ref2, 10), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_nb_segs(&b), 2);
	h = hb_buf_detach(&b);
	assert_true(h != NULL && h != m);
	assert_ptr_equal(h->next, m);
	assert_int_equal(h->data_len, 10);
	meta_check(h);
	memcpy(hb_exp_a, hb_ref2, 10);
	memcpy(hb_exp_a + 10, hb_ref, 100);
	assert_int_equal(check_detached(h, hb_exp_a, 110), 2);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	/* a two-segment chain, more than a segment prepended */
	hb_test_ctx("%s: prepend a segment and more onto a chain", c->name);
	m = hb_test_chain(c->mp, hb_ref, (const uint16_t[]){ 50, 60 }, 2,
			  (const uint16_t[]){ 0, 0 });
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, hb_ref2, c->seg + 1), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_true(h != NULL && h != m);
	meta_check(h);
	memcpy(hb_exp_a, hb_ref2, c->seg + 1);
	memcpy(hb_exp_a + c->seg + 1, hb_ref, 110);
	assert_true(check_detached(h, hb_exp_a, c->seg + 111) >= 4);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	/* into the headroom: the head and its metadata stay */
	hb_test_ctx("%s: prepend into the headroom keeps the metadata",
		    c->name);
	m = seg_new(c, hb_ref, 100, RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
					 (uint16_t)(c->seg - 100)));
	meta_set(m);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_prepend(&b, hb_ref2, 10), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	meta_check(h);
	memcpy(hb_exp_a, hb_ref2, 10);
	memcpy(hb_exp_a + 10, hb_ref, 100);
	assert_int_equal(check_detached(h, hb_exp_a, 110), 1);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);
}

/* Many prepends build the buffer from its end. */
static void
test_prepend_pieces(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, k;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], left = s;

		hb_test_ctx("%s: prepend %u bytes in pieces", c->name, s);
		assert_int_equal(hb_buf_init(&b, c->mp), 0);
		for (k = 0; left > 0; k++) {
			uint32_t p = hb_pcfg_piece(c, k);

			/* fewer pieces for 1 MiB (see big_piece()) */
			if (!hb_pcfg_small_size(c, s))
				p = 7 * p + 1;
			p = RTE_MIN(p, left);
			left -= p;
			assert_int_equal(hb_buf_prepend(&b, hb_ref + left, p),
					 0);
			assert_int_equal(hb_buf_len(&b), s - left);
			/* the piece just prepended reads back at 0 */
			hb_assert_read(&b, 0, hb_ref + left, p);
			if (hb_pcfg_small_size(c, s))
				hb_assert_buf_ok(&b);
		}
		assert_int_equal(hb_buf_prepend(&b, hb_ref, 0), 0);
		hb_assert_buf_bytes(&b, hb_ref, s);
		check_no_empty(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * read, write, peek, iov
 */

typedef void (*range_fn)(const struct hb_buf *b, const struct hb_seg_info *si,
			 unsigned int n, const uint8_t *exp, uint32_t off,
			 uint32_t len);

/* Run @fn over every interesting range of @b, which holds @exp. */
static void
for_ranges(const struct hb_pcfg *c, const struct hb_buf *b, const uint8_t *exp,
	   const char *what, range_fn fn)
{
	uint32_t s = hb_buf_len(b), l[16];
	unsigned int n = hb_layout(b, lay), npt, i, j, nl;

	uint64_t seed = 0x5eed + s;

	npt = hb_layout_points(lay, n, s, pts, 4);
	for (i = 0; i < npt; i++) {
		nl = hb_pcfg_range_lens(c, s - pts[i], l);
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
		nl = hb_pcfg_range_lens(c, s - pts[i], l);
		j = (unsigned int)(hb_test_rand(&seed) % nl);
		hb_test_ctx("%s: %s [%u, +%u) of %u, random order", c->name,
			    what, pts[i], l[j], s);
		fn(b, lay, n, exp, pts[i], l[j]);
	}
}

static void
range_read(const struct hb_buf *b, const struct hb_seg_info *si, unsigned int n,
	   const uint8_t *exp, uint32_t off, uint32_t len)
{
	RTE_SET_USED(si);
	RTE_SET_USED(n);
	hb_assert_read(b, off, exp + off, len);
}

static void
test_read(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], off, step;

		hb_pcfg_build(c, &b, hb_ref, s);
		for_ranges(c, &b, hb_ref, "read", range_read);
		/* front to back and back to front, small steps */
		step = hb_pcfg_small_size(c, s) ? 1 : 997;
		hb_test_ctx("%s: read %u bytes forward by %u", c->name, s,
			    step);
		for (off = 0; off < s; off += step)
			hb_assert_read(&b, off, hb_ref + off,
				       RTE_MIN(step, s - off));
		hb_test_ctx("%s: read %u bytes backward by %u", c->name, s,
			    step);
		for (off = s; off > 0; off -= RTE_MIN(step, off))
			hb_assert_read(&b, off - RTE_MIN(step, off),
				       hb_ref + off - RTE_MIN(step, off),
				       RTE_MIN(step, off));
		/* reading changes nothing */
		hb_assert_buf_bytes(&b, hb_ref, s);
		hb_pcfg_check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_write(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, p, n, npt, nl, used, k = 0;
	struct hb_buf b;
	uint32_t l[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_pcfg_build_idx(c, &b, hb_ref, s);
		memcpy(hb_exp_a, hb_ref, s);
		n = hb_layout(&b, lay);
		used = hb_pcfg_in_use(c);
		npt = hb_layout_points(lay, n, s, pts, 4);
		for (p = 0; p < npt; p++) {
			nl = hb_pcfg_range_lens(c, s - pts[p], l);
			for (j = 0; j < nl; j++, k++) {
				const uint8_t *src =
					hb_ref3 + (k * 131) % 65536;
				uint32_t off = pts[p];

				hb_test_ctx("%s: write [%u, +%u) of %u",
					    c->name, off, l[j], s);
				assert_int_equal(hb_buf_write(&b, off, src,
							      l[j]),
						 0);
				memcpy(hb_exp_a + off, src, l[j]);
				hb_assert_read(&b, off, hb_exp_a + off, l[j]);
				/* neighbours untouched */
				if (off > 0)
					hb_assert_read(&b, off - 1,
						       hb_exp_a + off - 1, 1);
				if (off + l[j] < s)
					hb_assert_read(&b, off + l[j],
						       hb_exp_a + off + l[j],
						       1);
				if (hb_pcfg_small_size(c, s) && k % 8 == 0)
					hb_assert_buf_bytes(&b, hb_exp_a, s);
			}
		}
		hb_test_ctx("%s: after writes into %u bytes", c->name, s);
		hb_assert_buf_bytes(&b, hb_exp_a, s);
		/* in place: same segments, same addresses, nothing taken */
		assert_int_equal(hb_pcfg_in_use(c), used);
		assert_int_equal(hb_layout(&b, lay2), n);
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
range_peek(const struct hb_buf *b, const struct hb_seg_info *si, unsigned int n,
	   const uint8_t *exp, uint32_t off, uint32_t len)
{
	const uint8_t *p;
	unsigned int i;

	if (len == 0) {
		assert_true(hb_buf_peek(b, off, 0, hb_scratch) != NULL);
		assert_true(hb_buf_peek(b, off, 0, NULL) != NULL);
		return;
	}
	/* sentinels: a contiguous peek must not touch the scratch */
	hb_scratch[0] = (uint8_t)~exp[off];
	hb_scratch[len - 1] = (uint8_t)~exp[off + len - 1];
	p = hb_buf_peek(b, off, len, hb_scratch);
	assert_true(p != NULL);
	if (hb_layout_contiguous(si, n, off, len)) {
		i = hb_layout_seg_at(si, n, off);
		assert_ptr_equal(p, si[i].data + (off - si[i].start));
		assert_int_equal(hb_scratch[0], (uint8_t)~exp[off]);
		assert_int_equal(hb_scratch[len - 1],
				 (uint8_t)~exp[off + len - 1]);
		/* no scratch needed */
		assert_ptr_equal(hb_buf_peek(b, off, len, NULL), p);
	} else {
		assert_ptr_equal(p, hb_scratch);
	}
	assert_memory_equal(p, exp + off, len);
}

static void
test_peek(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_pcfg_build(c, &b, hb_ref, s);
		for_ranges(c, &b, hb_ref, "peek", range_peek);
		hb_assert_buf_bytes(&b, hb_ref, s);
		hb_pcfg_check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
range_iov(const struct hb_buf *b, const struct hb_seg_info *si, unsigned int n,
	  const uint8_t *exp, uint32_t off, uint32_t len)
{
	static struct iovec iov[HB_PCFG_MAX_SEGS + 8];
	uint32_t pos = off, left = len;
	unsigned int i;
	int want = 0, cnt, k;

	/* the entries expected: one per non-empty segment piece */
	if (len > 0)
		for (i = hb_layout_seg_at(si, n, off); left > 0; i++) {
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
		i = hb_layout_seg_at(si, n, pos);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		hb_pcfg_build(c, &b, hb_ref, s);
		for_ranges(c, &b, hb_ref, "iov", range_iov);
		hb_test_ctx("%s: iov of all %u bytes", c->name, s);
		assert_int_equal(hb_buf_iov(&b, 0, s, NULL, 0),
				 hb_buf_nb_segs(&b));
		hb_assert_buf_bytes(&b, hb_ref, s);
		hb_pcfg_check_packed(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * trim, adj
 */

/* Amounts cut off a buffer of @s bytes (sorted, unique, <= s). */
static unsigned int
cut_amounts(const struct hb_pcfg *c, uint32_t s, uint32_t *a)
{
	uint32_t want[] = { 0, 1, 2, c->hc - 1, c->hc, c->hc + 1, c->seg - 1,
			    c->seg, c->seg + 1, s / 2, s - 1, s };
	unsigned int i, k = 0;

	qsort(want, RTE_DIM(want), sizeof(want[0]), hb_pcfg_cmp_u32);
	for (i = 0; i < RTE_DIM(want); i++)
		if (want[i] <= s && (k == 0 || a[k - 1] != want[i]))
			a[k++] = want[i];
	return k;
}

static void
test_trim(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, na, k;
	struct hb_buf b;
	uint32_t a[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		na = cut_amounts(c, s, a);
		for (j = 0; j < na; j++) {
			const void *p0 = NULL;

			hb_test_ctx("%s: trim %u of %u", c->name, a[j], s);
			(j & 1 ? hb_pcfg_build_idx : hb_pcfg_build)(c, &b,
								    hb_ref, s);
			if (a[j] < s)
				p0 = hb_buf_peek(&b, 0, 1, NULL);
			assert_int_equal(hb_buf_trim(&b, a[j]), 0);
			hb_assert_buf_bytes(&b, hb_ref, s - a[j]);
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
		hb_pcfg_build_idx(c, &b, hb_ref, s);
		k = hb_buf_nb_segs(&b);
		assert_int_equal(hb_buf_reserve(&b, 3 * c->seg + 1), 0);
		assert_true(hb_buf_nb_segs(&b) >= k + 3);
		assert_int_equal(hb_buf_nb_segs(&b), hb_pcfg_in_use(c) - base);
		assert_int_equal(hb_buf_trim(&b, 1), 0);
		hb_assert_buf_bytes(&b, hb_ref, s - 1);
		check_no_empty(c, &b, base);
		assert_int_equal(hb_buf_free(&b), 0);

		/* down to nothing, piece by piece */
		if (!hb_pcfg_small_size(c, s))
			continue;
		hb_test_ctx("%s: trim %u in pieces", c->name, s);
		hb_pcfg_build_idx(c, &b, hb_ref, s);
		for (k = 0; hb_buf_len(&b) > 0; k++) {
			uint32_t p =
				RTE_MIN(hb_pcfg_piece(c, k), hb_buf_len(&b));

			assert_int_equal(hb_buf_trim(&b, p), 0);
			hb_assert_buf_bytes(&b, hb_ref, hb_buf_len(&b));
			check_no_empty(c, &b, base);
		}
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		hb_assert_pool_at(c->mp, base);
		/* and usable again */
		assert_int_equal(hb_buf_append(&b, hb_ref, 5), 0);
		hb_assert_buf_bytes(&b, hb_ref, 5);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_adj(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, na, k;
	struct hb_buf b;
	uint32_t a[16];

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], gone;

		na = cut_amounts(c, s, a);
		for (j = 0; j < na; j++) {
			const void *p0 = NULL, *pl = NULL;

			hb_test_ctx("%s: adj %u of %u", c->name, a[j], s);
			(j & 1 ? hb_pcfg_build_idx : hb_pcfg_build)(c, &b,
								    hb_ref, s);
			if (a[j] < s) {
				p0 = hb_buf_peek(&b, a[j], 1, NULL);
				pl = hb_buf_peek(&b, s - 1, 1, NULL);
			}
			assert_int_equal(hb_buf_adj(&b, a[j]), 0);
			hb_assert_buf_bytes(&b, hb_ref + a[j], s - a[j]);
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
		if (!hb_pcfg_small_size(c, s) || s == 0)
			continue;
		hb_test_ctx("%s: adj %u in pieces", c->name, s);
		hb_pcfg_build_idx(c, &b, hb_ref, s);
		for (k = 0, gone = 0; gone < s; k++) {
			uint32_t p = RTE_MIN(hb_pcfg_piece(c, k), s - gone);

			assert_int_equal(hb_buf_adj(&b, p), 0);
			gone += p;
			hb_assert_buf_bytes(&b, hb_ref + gone, s - gone);
			check_no_empty(c, &b, base);
		}
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		hb_assert_pool_at(c->mp, base);
		assert_int_equal(hb_buf_append(&b, hb_ref, 5), 0);
		hb_assert_buf_bytes(&b, hb_ref, 5);
		assert_int_equal(hb_buf_free(&b), 0);
	}
	hb_assert_pool_at(c->mp, base);
}

/* A chain A (50 bytes, metadata), B (60), C (70), attached to @b. */
static void
meta_chain(const struct hb_pcfg *c, struct hb_buf *b, struct rte_mbuf **seg)
{
	seg[0] = hb_test_chain(c->mp, hb_ref, (const uint16_t[]){ 50, 60, 70 },
			       3, (const uint16_t[]){ 0, 0, 0 });
	seg[1] = seg[0]->next;
	seg[2] = seg[1]->next;
	meta_set(seg[0]);
	assert_int_equal(hb_buf_attach(b, seg[0]), 0);
}

/* adj moves the metadata when head segments are dropped. */
static void
test_adj_meta(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
	struct rte_mbuf *seg[3], *h;
	struct hb_buf b;

	hb_test_ctx("%s: adj inside the head", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 10), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[0]);
	meta_check(h);
	assert_int_equal(check_detached(h, hb_ref + 10, 170), 3);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: adj dropping the head", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 55), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_pcfg_in_use(c), base + 2);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[1]);
	meta_check(h);
	assert_int_equal(check_detached(h, hb_ref + 55, 125), 2);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: adj dropping two whole segments", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_adj(&b, 110), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_pcfg_in_use(c), base + 1);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, seg[2]);
	meta_check(h);
	assert_int_equal(check_detached(h, hb_ref + 110, 70), 1);
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
mutate(const struct hb_pcfg *c, struct hb_buf *b, uint8_t *exp, uint32_t *len,
       unsigned int tag)
{
	const uint8_t *src = hb_ref2 + tag * 4096;
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

	assert_int_equal(hb_buf_write(b, 0, hb_ref3 + tag, l), 0);
	memcpy(exp, hb_ref3 + tag, l);
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
split_case(const struct hb_pcfg *c, uint32_t s, uint32_t at,
	   enum split_mode mode)
{
	static const void *addr[HB_PCFG_MAX_PTS];
	static uint32_t spts[HB_PCFG_MAX_PTS];
	unsigned int base = hb_pcfg_in_use(c), n, npt, i, used;
	struct hb_buf b, t;
	uint32_t lb, lt;
	bool mid;

	hb_test_ctx("%s: split %u at %u, mode %d", c->name, s, at, mode);
	hb_pcfg_build(c, &b, hb_ref, s);
	n = hb_layout(&b, lay);
	mid = at > 0 && at < s && lay[hb_layout_seg_at(lay, n, at)].start != at;
	/* where each interesting byte lives before the split */
	npt = hb_layout_points(lay, n, s, spts, 3);
	for (i = 0; i < npt; i++) {
		addr[i] = NULL;
		if (spts[i] < s) {
			addr[i] = hb_buf_peek(&b, spts[i], 1, NULL);
			assert_true(addr[i] != NULL);
		}
	}
	used = hb_pcfg_in_use(c);
	memset(&t, 0xff, sizeof(t));

	assert_int_equal(hb_buf_split(&b, at, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	assert_int_equal(hb_pcfg_in_use(c) - used, mid ? 1 : 0);
	assert_ptr_equal(hb_buf_pool(&t), c->mp);
	assert_int_equal(hb_buf_nb_segs(&b) + hb_buf_nb_segs(&t), n + mid);
	hb_assert_buf_bytes(&b, hb_ref, at);
	hb_assert_buf_bytes(&t, hb_ref + at, s - at);
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
	memcpy(hb_exp_a, hb_ref, at);
	lb = at;
	memcpy(hb_exp_b, hb_ref + at, s - at);
	lt = s - at;

	switch (mode) {
	case SPLIT_BOTH_LIVE:
		/* growing either half never writes into the other */
		mutate(c, &b, hb_exp_a, &lb, 1);
		hb_assert_buf_bytes(&t, hb_exp_b, lt);
		mutate(c, &t, hb_exp_b, &lt, 2);
		hb_assert_buf_bytes(&b, hb_exp_a, lb);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_buf_bytes(&t, hb_exp_b, lt);
		assert_int_equal(hb_buf_free(&t), 0);
		break;
	case SPLIT_FREE_HEAD:
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_buf_bytes(&t, hb_exp_b, lt);
		mutate(c, &t, hb_exp_b, &lt, 3);
		assert_int_equal(hb_buf_free(&t), 0);
		break;
	case SPLIT_FREE_TAIL:
		assert_int_equal(hb_buf_free(&t), 0);
		hb_assert_buf_bytes(&b, hb_exp_a, lb);
		mutate(c, &b, hb_exp_a, &lb, 4);
		assert_int_equal(hb_buf_free(&b), 0);
		break;
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_split(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, n, npt;
	struct hb_buf b;
	int mode;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i];

		/* 0, len, len - 1, around boundaries, mid-segment */
		hb_pcfg_build(c, &b, hb_ref, s);
		n = hb_layout(&b, lay);
		npt = hb_layout_points(lay, n, s, pts,
				       hb_pcfg_small_size(c, s) ? 4 : 2);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
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
	assert_int_equal(check_detached(h1, hb_ref, 80), 2);
	assert_int_equal(check_detached(h2, hb_ref + 80, 100), 2);
	rte_pktmbuf_free(h1);
	rte_pktmbuf_free(h2);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: split at a segment boundary, metadata", c->name);
	meta_chain(c, &b, seg);
	assert_int_equal(hb_buf_split(&b, 50, &t), 0);
	h2 = hb_buf_detach(&t);
	assert_ptr_equal(h2, seg[1]);
	meta_check(h2);
	assert_int_equal(check_detached(h2, hb_ref + 50, 130), 2);
	h1 = hb_buf_detach(&b);
	meta_check(h1);
	assert_int_equal(check_detached(h1, hb_ref, 50), 1);
	rte_pktmbuf_free(h2);
	rte_pktmbuf_free(h1);
	hb_assert_pool_at(c->mp, base);

	/* reserved segments follow the tail half */
	hb_test_ctx("%s: split a buffer with reserved segments", c->name);
	hb_pcfg_build(c, &b, hb_ref, s);
	assert_int_equal(hb_buf_reserve(&b, 2 * c->seg), 0);
	assert_int_equal(hb_buf_split(&b, s / 2 + 1, &t), 0);
	hb_assert_buf_ok(&b);
	hb_assert_buf_ok(&t);
	hb_assert_buf_bytes(&b, hb_ref, s / 2 + 1);
	hb_assert_buf_bytes(&t, hb_ref + s / 2 + 1, s - s / 2 - 1);
	lt = s - s / 2 - 1;
	memcpy(hb_exp_b, hb_ref + s / 2 + 1, lt);
	assert_int_equal(hb_buf_append(&t, hb_ref2, 2 * c->seg), 0);
	memcpy(hb_exp_b + lt, hb_ref2, 2 * c->seg);
	lt += 2 * c->seg;
	hb_assert_buf_bytes(&t, hb_exp_b, lt);
	hb_assert_buf_bytes(&b, hb_ref, s / 2 + 1);
	/* every mbuf taken is in one of the two chains */
	nb = hb_buf_nb_segs(&b);
	h1 = hb_buf_detach(&t);
	assert_int_equal(check_detached(h1, hb_exp_b, lt) + nb,
			 hb_pcfg_in_use(c) - base);
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
big_piece(const struct hb_pcfg *c, uint32_t total, unsigned int k)
{
	return hb_pcfg_small_size(c, total) ? hb_pcfg_piece(c, k)
					    : total / 61 + k;
}

static void
test_reserve(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, j, k, u;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		for (j = 0; j < c->nsizes; j++) {
			uint32_t s = c->sizes[i], r = c->sizes[j], done = 0;

			hb_test_ctx("%s: reserve %u after %u", c->name, r, s);
			((i + j) & 1 ? hb_pcfg_build_idx
				     : hb_pcfg_build)(c, &b, hb_ref, s);
			assert_int_equal(hb_buf_reserve(&b, r), 0);
			hb_assert_buf_ok(&b);
			assert_int_equal(hb_buf_len(&b), s);
			hb_assert_buf_bytes(&b, hb_ref, s);
			u = hb_pcfg_in_use(c);
			assert_int_equal(u - base, hb_buf_nb_segs(&b));
			/* the capacity is there: reserving again takes nothing */
			assert_int_equal(hb_buf_reserve(&b, r), 0);
			assert_int_equal(hb_pcfg_in_use(c), u);
			/* appends of the reserved amount take no mbuf */
			if ((i + j) % 3 == 0) {
				assert_int_equal(hb_buf_append(&b, hb_ref + s,
							       r),
						 0);
				assert_int_equal(hb_pcfg_in_use(c), u);
			} else {
				for (k = 0; done < r; k++) {
					uint32_t p = RTE_MIN(big_piece(c, r, k),
							     r - done);

					assert_int_equal(
						hb_buf_append(&b,
							      hb_ref + s + done,
							      p),
						0);
					done += p;
					assert_int_equal(hb_pcfg_in_use(c), u);
				}
			}
			hb_assert_buf_bytes(&b, hb_ref, s + r);
			assert_int_equal(hb_buf_nb_segs(&b), u - base);
			assert_int_equal(hb_layout(&b, lay), u - base);
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

static void
test_free_len_nb_segs(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
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
	assert_int_equal(hb_buf_append(&b, hb_ref, s), 0);
	assert_int_equal(hb_buf_len(&b), s);
	assert_int_equal(hb_buf_nb_segs(&b), hb_pcfg_in_use(c) - base);
	assert_true(hb_buf_nb_segs(&b) >= s / c->seg);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	hb_assert_pool_at(c->mp, base);
	/* still initialised and usable, same pool */
	assert_ptr_equal(hb_buf_pool(&b), c->mp);
	assert_int_equal(hb_buf_append(&b, hb_ref2, 3), 0);
	assert_int_equal(hb_buf_prepend(&b, hb_ref, 2), 0);
	assert_int_equal(hb_buf_len(&b), 5);
	assert_int_equal(hb_buf_nb_segs(&b), 1);
	memcpy(hb_exp_a, hb_ref, 2);
	memcpy(hb_exp_a + 2, hb_ref2, 3);
	hb_assert_buf_bytes(&b, hb_exp_a, 5);
	/* a buffer holding only reserved capacity */
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_reserve(&b, 3 * c->seg), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_true(hb_buf_nb_segs(&b) >= 3);
	assert_int_equal(hb_buf_nb_segs(&b), hb_pcfg_in_use(c) - base);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	const uint16_t lens[] = { 0, 1, 100, (uint16_t)(c->hc - 10),
				  (uint16_t)c->hc };
	unsigned int base = hb_pcfg_in_use(c), i;
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(lens); i++) {
		uint16_t dl = lens[i];
		uint32_t room;

		hb_test_ctx("%s: attach one segment of %u bytes", c->name, dl);
		m = seg_new(c, hb_ref, dl,
			    RTE_MIN((uint16_t)RTE_PKTMBUF_HEADROOM,
				    (uint16_t)(c->seg - c->hc)));
		room = rte_pktmbuf_tailroom(m);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_pcfg_in_use(c), base + 1);
		assert_int_equal(hb_buf_len(&b), dl);
		assert_int_equal(hb_buf_nb_segs(&b), 1);
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		hb_assert_buf_bytes(&b, hb_ref, dl);
		/* appends fill the tailroom first */
		memcpy(hb_exp_a, hb_ref, dl);
		assert_int_equal(hb_buf_append(&b, hb_ref2, 10), 0);
		memcpy(hb_exp_a + dl, hb_ref2, 10);
		hb_assert_buf_bytes(&b, hb_exp_a, dl + 10);
		if (room >= 10) {
			assert_int_equal(hb_pcfg_in_use(c), base + 1);
			assert_int_equal(hb_buf_nb_segs(&b), 1);
		}
		h = hb_buf_detach(&b);
		assert_ptr_equal(h, m);
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_buf_len(&b), 0);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		assert_int_equal(check_detached(h, hb_exp_a, dl + 10),
				 hb_pcfg_in_use(c) - base);
		rte_pktmbuf_free(h);
		hb_assert_pool_at(c->mp, base);

		hb_test_ctx("%s: attach, detach at once, reuse: %u bytes",
			    c->name, dl);
		m = seg_new(c, hb_ref, dl, 0);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		h = hb_buf_detach(&b);
		assert_ptr_equal(h, m);
		assert_int_equal(h->pkt_len, dl);
		rte_pktmbuf_free(h);
		/* The buffer keeps the pool: it can grow again. */
		assert_ptr_equal(hb_buf_pool(&b), c->mp);
		assert_int_equal(hb_buf_append(&b, hb_ref2, c->seg + 1), 0);
		hb_assert_buf_bytes(&b, hb_ref2, c->seg + 1);
		assert_int_equal(hb_buf_free(&b), 0);
		/* The same after free of an adopted, unused chain. */
		assert_int_equal(hb_buf_attach(&b, seg_new(c, hb_ref, dl, 0)),
				 0);
		assert_int_equal(hb_buf_free(&b), 0);
		assert_int_equal(hb_buf_prepend(&b, hb_ref2, 7), 0);
		hb_assert_buf_bytes(&b, hb_ref2, 7);
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
make_chain(const struct hb_pcfg *c, unsigned int nseg, struct rte_mbuf **head)
{
	static uint16_t lens[HB_PCFG_MAX_SEGS], offs[HB_PCFG_MAX_SEGS];
	unsigned int i;

	assert_true(nseg <= HB_PCFG_MAX_SEGS);
	for (i = 0; i < nseg && i < HB_PCFG_MAX_SEGS; i++) {
		offs[i] = (uint16_t)((i * 29) % 64);
		if (i == nseg / 2 && nseg > 2)
			lens[i] = 0;
		else if (i % 3 == 1)
			lens[i] = (uint16_t)(c->seg - offs[i]);
		else
			lens[i] = (uint16_t)((i * 37) % (c->seg - offs[i]) + 1);
	}
	*head = hb_test_chain(c->mp, hb_ref, lens, nseg, offs);
	return (*head)->pkt_len;
}

static void
test_attach_chain(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	const unsigned int nsegs[] = { 2, 3, 5, 40, 300 };
	unsigned int base = hb_pcfg_in_use(c), i;
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	for (i = 0; i < RTE_DIM(nsegs); i++) {
		uint32_t total, l;

		hb_test_ctx("%s: attach a chain of %u segments", c->name,
			    nsegs[i]);
		total = make_chain(c, nsegs[i], &m);
		assert_int_equal(hb_pcfg_in_use(c), base + nsegs[i]);
		assert_int_equal(hb_buf_attach(&b, m), 0);
		assert_int_equal(hb_pcfg_in_use(c), base + nsegs[i]);
		assert_int_equal(hb_buf_len(&b), total);
		assert_int_equal(hb_buf_nb_segs(&b), nsegs[i]);
		hb_assert_buf_bytes(&b, hb_ref, total);
		for_ranges(c, &b, hb_ref, "read attached", range_read);
		for_ranges(c, &b, hb_ref, "peek attached", range_peek);
		for_ranges(c, &b, hb_ref, "iov attached", range_iov);
		/* grows at both ends */
		hb_test_ctx("%s: grow an attached chain of %u segments",
			    c->name, nsegs[i]);
		memcpy(hb_exp_a, hb_ref, total);
		l = total;
		assert_int_equal(hb_buf_append(&b, hb_ref2, c->seg + 5), 0);
		memcpy(hb_exp_a + l, hb_ref2, c->seg + 5);
		l += c->seg + 5;
		assert_int_equal(hb_buf_prepend(&b, hb_ref3, 7), 0);
		memmove(hb_exp_a + 7, hb_exp_a, l);
		memcpy(hb_exp_a, hb_ref3, 7);
		l += 7;
		hb_assert_buf_bytes(&b, hb_exp_a, l);
		assert_int_equal(hb_buf_write(&b, 1, hb_ref2 + 9, l - 2), 0);
		memcpy(hb_exp_a + 1, hb_ref2 + 9, l - 2);
		hb_assert_buf_bytes(&b, hb_exp_a, l);
		h = hb_buf_detach(&b);
		assert_int_equal(check_detached(h, hb_exp_a, l),
				 hb_pcfg_in_use(c) - base);
		/* attach again, give back through free */
		assert_int_equal(hb_buf_attach(&b, h), 0);
		hb_assert_buf_bytes(&b, hb_exp_a, l);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(c->mp, base);
	}
	hb_assert_pool_at(c->mp, base);
}

/* Split an attached irregular chain (empty segment inside) everywhere. */
static void
test_attach_chain_split(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	const unsigned int nsegs[] = { 3, 5, 40 };
	unsigned int base = hb_pcfg_in_use(c), i, j, n, npt;
	static uint32_t spts[HB_PCFG_MAX_PTS];
	struct rte_mbuf *m;
	struct hb_buf b, t;

	for (i = 0; i < RTE_DIM(nsegs); i++) {
		uint32_t total = make_chain(c, nsegs[i], &m);

		assert_int_equal(hb_buf_attach(&b, m), 0);
		n = hb_layout(&b, lay);
		npt = hb_layout_points(lay, n, total, spts, 3);
		assert_int_equal(hb_buf_free(&b), 0);
		for (j = 0; j < npt; j++) {
			uint32_t at = spts[j];
			unsigned int used;

			hb_test_ctx("%s: split a %u-segment chain of %u at %u",
				    c->name, nsegs[i], total, at);
			assert_int_equal(make_chain(c, nsegs[i], &m), total);
			assert_int_equal(hb_buf_attach(&b, m), 0);
			hb_pcfg_touch(&b, hb_ref);
			used = hb_pcfg_in_use(c);
			assert_int_equal(hb_buf_split(&b, at, &t), 0);
			assert_true(hb_pcfg_in_use(c) - used <= 1);
			hb_assert_buf_bytes(&b, hb_ref, at);
			hb_assert_buf_bytes(&t, hb_ref + at, total - at);
			hb_pcfg_touch(&b, hb_ref);
			hb_pcfg_touch(&t, hb_ref + at);
			if (j & 1) {
				assert_int_equal(hb_buf_free(&b), 0);
				hb_assert_buf_bytes(&t, hb_ref + at,
						    total - at);
				assert_int_equal(hb_buf_append(&t, hb_ref2,
							       c->seg),
						 0);
				assert_int_equal(hb_buf_prepend(&t, hb_ref2, 1),
						 0);
				hb_assert_buf_ok(&t);
				assert_int_equal(hb_buf_free(&t), 0);
			} else {
				assert_int_equal(hb_buf_free(&t), 0);
				hb_assert_buf_bytes(&b, hb_ref, at);
				assert_int_equal(hb_buf_append(&b, hb_ref + at,
							       total - at),
						 0);
				hb_assert_buf_bytes(&b, hb_ref, total);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
	struct rte_mbuf *m, *h;
	struct hb_buf b;

	hb_test_ctx("%s: attach and detach, unused: as adopted", c->name);
	m = hb_test_chain(c->mp, hb_ref, (const uint16_t[]){ 100, 50, 0, 0, 0 },
			  5, (const uint16_t[]){ 0, 10, 0, 0, 0 });
	assert_int_equal(hb_pcfg_in_use(c), base + 5);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	hb_assert_buf_ok(&b);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	assert_int_equal(h->nb_segs, 5);
	assert_int_equal(hb_pcfg_in_use(c), base + 5);

	hb_test_ctx("%s: attach a chain with 3 empty trailing segments, use it",
		    c->name);
	assert_int_equal(hb_buf_attach(&b, m), 0);
	assert_int_equal(hb_buf_len(&b), 150);
	hb_assert_buf_bytes(&b, hb_ref, 150);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_pcfg_in_use(c), base + 5);
	assert_int_equal(hb_buf_append(&b, hb_ref + 150, 10), 0);
	hb_assert_buf_bytes(&b, hb_ref, 160);
	assert_int_equal(hb_pcfg_in_use(c), base + 5);
	h = hb_buf_detach(&b);
	assert_ptr_equal(h, m);
	assert_int_equal(check_detached(h, hb_ref, 160),
			 hb_pcfg_in_use(c) - base);
	assert_true(hb_pcfg_in_use(c) < base + 5);
	rte_pktmbuf_free(h);
	hb_assert_pool_at(c->mp, base);

	hb_test_ctx("%s: attach a chain of 3 empty segments", c->name);
	m = hb_test_chain(c->mp, hb_ref, (const uint16_t[]){ 0, 0, 0 }, 3,
			  (const uint16_t[]){ 0, 0, 0 });
	assert_int_equal(hb_buf_attach(&b, m), 0);
	hb_assert_buf_ok(&b);
	assert_int_equal(hb_pcfg_in_use(c), base + 3);
	assert_int_equal(hb_buf_len(&b), 0);
	assert_int_equal(hb_buf_append(&b, hb_ref, 3 * c->seg), 0);
	hb_assert_buf_bytes(&b, hb_ref, 3 * c->seg);
	check_no_empty(c, &b, base);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* Detach frees reserved segments left empty. */
static void
test_detach_reserved(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), i, nb;
	struct rte_mbuf *h;
	struct hb_buf b;

	for (i = 0; i < c->nsizes; i++) {
		uint32_t s = c->sizes[i], r = 2 * c->seg + 3;

		hb_test_ctx("%s: detach %u bytes with %u reserved", c->name, s,
			    r);
		hb_pcfg_build_idx(c, &b, hb_ref, s);
		nb = hb_buf_nb_segs(&b);
		assert_int_equal(hb_buf_reserve(&b, r), 0);
		assert_true(hb_buf_nb_segs(&b) >= nb + 2);
		h = hb_buf_detach(&b);
		hb_assert_buf_ok(&b);
		assert_int_equal(hb_buf_nb_segs(&b), 0);
		assert_int_equal(check_detached(h, hb_ref, s),
				 hb_pcfg_in_use(c) - base);
		if (s > 0)
			assert_int_equal(h->nb_segs, nb);
		rte_pktmbuf_free(h);
		hb_assert_pool_at(c->mp, base);

		/* part of the reservation used */
		hb_test_ctx("%s: detach %u + %u bytes with %u reserved",
			    c->name, s, r / 2, r);
		hb_pcfg_build(c, &b, hb_ref, s);
		assert_int_equal(hb_buf_reserve(&b, r), 0);
		assert_int_equal(hb_buf_append(&b, hb_ref + s, r / 2), 0);
		h = hb_buf_detach(&b);
		assert_int_equal(check_detached(h, hb_ref, s + r / 2),
				 hb_pcfg_in_use(c) - base);
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
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), nseg, i, pass;
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
				memcpy(rte_pktmbuf_append(m, 40),
				       hb_ref + total, 40);
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
			assert_int_equal(hb_pcfg_in_use(c), base + 2 * nseg);

			assert_int_equal(hb_buf_attach(&b, pass == 0 ? clone
								     : orig),
					 0);
			hb_assert_buf_bytes(&b, hb_ref, total);
			/* append a little, then more; prepend; reserve */
			memcpy(hb_exp_a, hb_ref, total);
			l = total;
			assert_int_equal(hb_buf_append(&b, hb_ref2, 5), 0);
			memcpy(hb_exp_a + l, hb_ref2, 5);
			l += 5;
			assert_int_equal(hb_buf_append(&b, hb_ref2 + 5,
						       c->seg + 10),
					 0);
			memcpy(hb_exp_a + l, hb_ref2 + 5, c->seg + 10);
			l += c->seg + 10;
			assert_int_equal(hb_buf_prepend(&b, hb_ref3, 20), 0);
			memmove(hb_exp_a + 20, hb_exp_a, l);
			memcpy(hb_exp_a, hb_ref3, 20);
			l += 20;
			assert_int_equal(hb_buf_reserve(&b, 100), 0);
			assert_int_equal(hb_buf_append(&b, hb_ref3 + 50, 100),
					 0);
			memcpy(hb_exp_a + l, hb_ref3 + 50, 100);
			l += 100;
			hb_assert_buf_bytes(&b, hb_exp_a, l);

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
						    hb_ref + 40 * i, 40);

			h = hb_buf_detach(&b);
			assert_int_equal(check_detached(h, hb_exp_a, l) > nseg,
					 1);
			/* give it back through hb_buf_free */
			assert_int_equal(hb_buf_attach(&b, h), 0);
			assert_int_equal(hb_buf_free(&b), 0);
			/* the original's mbufs live while the clone does */
			assert_int_equal(hb_pcfg_in_use(c),
					 base + (pass == 0 ? 1 : 2) * nseg);
			rte_pktmbuf_free(other);
			hb_assert_pool_at(c->mp, base);
		}
	}
	hb_assert_pool_at(c->mp, base);
}

/* ---------------------------------------------------------------------
 * Zero sizes and the empty buffer
 */

static void
test_empty(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c);
	struct hb_buf b, t;
	struct iovec iov[1];

	hb_test_ctx("%s: empty buffer", c->name);
	assert_int_equal(hb_buf_init(&b, c->mp), 0);
	assert_int_equal(hb_buf_append(&b, hb_ref, 0), 0);
	assert_int_equal(hb_buf_prepend(&b, hb_ref, 0), 0);
	assert_int_equal(hb_buf_reserve(&b, 0), 0);
	assert_int_equal(hb_buf_read(&b, 0, hb_tmp, 0), 0);
	assert_int_equal(hb_buf_write(&b, 0, hb_ref, 0), 0);
	assert_true(hb_buf_peek(&b, 0, 0, hb_scratch) != NULL);
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
	assert_int_equal(hb_buf_append(&t, hb_ref, 1), 0);
	assert_int_equal(hb_buf_append(&b, hb_ref, 1), 0);
	hb_assert_buf_bytes(&b, hb_ref, 1);
	hb_assert_buf_bytes(&t, hb_ref, 1);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_buf_free(&t), 0);
	hb_assert_pool_at(c->mp, base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		HB_PCFG_TEST(test_empty),
		HB_PCFG_TEST(test_append),
		HB_PCFG_TEST(test_append_pieces),
		HB_PCFG_TEST(test_prepend_empty),
		HB_PCFG_TEST(test_prepend_headroom),
		HB_PCFG_TEST(test_prepend_new_head),
		HB_PCFG_TEST(test_prepend_meta),
		HB_PCFG_TEST(test_prepend_pieces),
		HB_PCFG_TEST(test_read),
		HB_PCFG_TEST(test_write),
		HB_PCFG_TEST(test_peek),
		HB_PCFG_TEST(test_iov),
		HB_PCFG_TEST(test_trim),
		HB_PCFG_TEST(test_adj),
		HB_PCFG_TEST(test_adj_meta),
		HB_PCFG_TEST(test_split),
		HB_PCFG_TEST(test_split_meta_reserved),
		HB_PCFG_TEST(test_reserve),
		HB_PCFG_TEST(test_free_len_nb_segs),
		HB_PCFG_TEST(test_attach_single),
		HB_PCFG_TEST(test_attach_chain),
		HB_PCFG_TEST(test_attach_chain_split),
		HB_PCFG_TEST(test_attach_trailing_empty),
		HB_PCFG_TEST(test_detach_reserved),
		HB_PCFG_TEST(test_attach_clone),
	};

	(void)argc;
	return hb_pcfg_main(argv[0], tests);
}
