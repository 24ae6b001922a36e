/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <stdlib.h>
#include <string.h>

#include "hb_pcfg.h"

/* Data room of the small pool. */
#define SMALL_ROOM 256

struct hb_pcfg hb_pcfg_big = {
	.name = "big", .room = 0, .n = 4096,
};
struct hb_pcfg hb_pcfg_small = {
	.name = "small", .room = SMALL_ROOM, .n = 16384,
};

uint8_t hb_ref[HB_PCFG_BIG], hb_ref2[HB_PCFG_BIG], hb_ref3[HB_PCFG_BIG];
uint8_t hb_tmp[HB_PCFG_BIG + 1], hb_exp_a[HB_PCFG_BIG];
uint8_t hb_exp_b[HB_PCFG_BIG], hb_scratch[HB_PCFG_BIG];

/* For the checks here. */
static struct hb_seg_info lay[HB_PCFG_MAX_SEGS];

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

int
hb_pcfg_run(const char *prog, const char *group,
	    const struct CMUnitTest *tests, size_t n)
{
	int rc = hb_test_setup(prog, NULL);

	if (rc != 0)
		return rc;
	fill_pattern(hb_ref, HB_PCFG_BIG, 1);
	fill_pattern(hb_ref2, HB_PCFG_BIG, 2);
	fill_pattern(hb_ref3, HB_PCFG_BIG, 3);
	hb_pcfg_big.mp = hb_test_pool("pcfg_big", hb_pcfg_big.n,
				      hb_pcfg_big.room);
	hb_pcfg_small.mp = hb_test_pool("pcfg_small", hb_pcfg_small.n,
					hb_pcfg_small.room);
	rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	rte_mempool_free(hb_pcfg_small.mp);
	rte_mempool_free(hb_pcfg_big.mp);
	hb_test_teardown();
	return rc;
}

unsigned int
hb_pcfg_in_use(const struct hb_pcfg *c)
{
	return rte_mempool_in_use_count(c->mp);
}

int
hb_pcfg_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct hb_pcfg *
hb_pcfg_get(void **state)
{
	struct hb_pcfg *c = *state;
	uint32_t want[10];
	struct hb_buf b;
	unsigned int i, j;

	if (c->seg != 0)
		return c;
	c->seg = rte_pktmbuf_data_room_size(c->mp);
	hb_pcfg_build(c, &b, hb_ref, 1);
	assert_int_equal(hb_layout(&b, lay), 1);
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
	want[9] = HB_PCFG_MIB;
	qsort(want, RTE_DIM(want), sizeof(want[0]), hb_pcfg_cmp_u32);
	for (i = 0, j = 0; i < RTE_DIM(want); i++)
		if (j == 0 || c->sizes[j - 1] != want[i])
			c->sizes[j++] = want[i];
	c->nsizes = j;
	return c;
}

bool
hb_pcfg_small_size(const struct hb_pcfg *c, uint32_t s)
{
	return s <= 10 * c->seg + 7;
}

uint32_t
hb_pcfg_piece(const struct hb_pcfg *c, unsigned int i)
{
	const uint32_t p[] = { 1, 3, 7, 64, c->seg - 1, 2, c->seg + 5, 13,
			       1000 };

	return p[i % RTE_DIM(p)];
}

unsigned int
hb_pcfg_range_lens(const struct hb_pcfg *c, uint32_t rest, uint32_t *l)
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

void
hb_pcfg_build(const struct hb_pcfg *c, struct hb_buf *b, const uint8_t *src,
	      uint32_t len)
{
	hb_test_buf(b, c->mp, src, len, 0);
}

void
hb_pcfg_touch(const struct hb_buf *b, const uint8_t *exp)
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

void
hb_pcfg_build_idx(const struct hb_pcfg *c, struct hb_buf *b,
		  const uint8_t *src, uint32_t len)
{
	hb_pcfg_build(c, b, src, len);
	hb_pcfg_touch(b, src);
}

void
hb_pcfg_check_packed(const struct hb_pcfg *c, const struct hb_buf *b,
		     unsigned int base)
{
	uint32_t len = hb_buf_len(b);
	unsigned int n = hb_layout(b, lay), i;

	assert_int_equal(hb_buf_nb_segs(b), n);
	assert_int_equal(hb_pcfg_in_use(c) - base, n);
	if (len == 0)
		assert_int_equal(n, 0);
	for (i = 0; i + 1 < n; i++) {
		assert_true(lay[i].len > 0);
		assert_int_equal(rte_pktmbuf_tailroom(lay[i].m), 0);
	}
	assert_true(n <= 1 + (len + c->seg - 1) / c->seg);
}

unsigned int
hb_layout(const struct hb_buf *b, struct hb_seg_info *si)
{
	const struct rte_mbuf *m;
	unsigned int n = 0;
	uint32_t off = 0;

	for (m = b->head; m != NULL; m = m->next) {
		assert_true(n < HB_PCFG_MAX_SEGS);
		si[n].m = m;
		si[n].data = rte_pktmbuf_mtod(m, const uint8_t *);
		si[n].start = off;
		si[n].len = m->data_len;
		off += m->data_len;
		n++;
	}
	return n;
}

unsigned int
hb_layout_seg_at(const struct hb_seg_info *si, unsigned int n, uint32_t off)
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

bool
hb_layout_contiguous(const struct hb_seg_info *si, unsigned int n,
		     uint32_t off, uint32_t len)
{
	unsigned int i = hb_layout_seg_at(si, n, off);

	return (uint64_t)off + len <= (uint64_t)si[i].start + si[i].len;
}

static void
pt_add(uint32_t *pt, unsigned int *k, int64_t v, uint32_t len)
{
	if (v >= 0 && v <= (int64_t)len && *k < HB_PCFG_MAX_PTS)
		pt[(*k)++] = (uint32_t)v;
}

unsigned int
hb_layout_points(const struct hb_seg_info *si, unsigned int n, uint32_t len,
		 uint32_t *pt, unsigned int few)
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
	qsort(pt, k, sizeof(*pt), hb_pcfg_cmp_u32);
	for (i = 0, j = 0; i < k; i++)
		if (j == 0 || pt[j - 1] != pt[i])
			pt[j++] = pt[i];
	return j;
}
