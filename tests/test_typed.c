/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The typed accessors (hb_buf_get_<t>(), hb_buf_put_<t>(),
 * hb_buf_append_<t>() for u8, be16 ... le64) at every position across
 * segment boundaries, on both pool configurations of hb_pcfg.h, against a
 * byte-by-byte reference encoding (hb_model.h). Their typed cursor calls
 * are in test_cursor.c, their errors in test_buf_neg.c.
 */

#include <string.h>

#include "hb_model.h"
#include "hb_pcfg.h"

static struct hb_seg_info lay[HB_PCFG_MAX_SEGS];

/* get/put at every offset straddling the first segment boundaries. */
static void
test_typed_get_put(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	unsigned int base = hb_pcfg_in_use(c), n, i, k, used;
	uint32_t s = 3 * c->seg + c->hc, bnd;
	uint64_t seed = 0x1234567, v;
	int64_t o;
	struct hb_buf b;

	hb_pcfg_build(c, &b, hb_ref, s);
	memcpy(hb_exp_a, hb_ref, s);
	n = hb_layout(&b, lay);
	used = hb_pcfg_in_use(c);
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
						 hb_int_decode(hb_exp_a + off,
							       k));
				val = hb_int_mask(hb_test_rand(&seed), k);
				assert_int_equal(hb_int_put(&b, k, off, val),
						 0);
				hb_int_encode(hb_exp_a + off, val, k);
				hb_assert_read(&b, off, hb_exp_a + off,
					       op->size);
				if (off > 0)
					hb_assert_read(&b, off - 1,
						       hb_exp_a + off - 1, 1);
				if (off + op->size < s)
					hb_assert_read(&b, off + op->size,
						       hb_exp_a + off +
							       op->size,
						       1);
				assert_int_equal(hb_int_get(&b, k, off, &v), 0);
				assert_int_equal(v, val);
			}
		}
	}
	hb_test_ctx("%s: after typed puts", c->name);
	hb_assert_buf_bytes(&b, hb_exp_a, s);
	assert_int_equal(hb_pcfg_in_use(c), used);
	assert_int_equal(hb_buf_nb_segs(&b), n);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

/* append_* of a value landing on every position across a boundary. */
static void
test_typed_append(void **state)
{
	struct hb_pcfg *c = hb_pcfg_get(state);
	const uint32_t bnds[] = { c->hc, c->hc + c->seg };
	unsigned int base = hb_pcfg_in_use(c), i, k;
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
				hb_pcfg_build(c, &b, hb_ref, f);
				assert_int_equal(hb_int_append(&b, k, val), 0);
				hb_assert_buf_ok(&b);
				memcpy(hb_exp_a, hb_ref, f);
				hb_int_encode(hb_exp_a + f, val, k);
				hb_assert_buf_bytes(&b, hb_exp_a, f + op->size);
				assert_int_equal(hb_int_get(&b, k, f, &v), 0);
				assert_int_equal(v, val);
				/* straddling when it should */
				if (f < bnds[i] && f + op->size > bnds[i])
					assert_int_equal(hb_buf_iov(&b, f,
								    op->size,
								    NULL, 0),
							 2);
				hb_pcfg_check_packed(c, &b, base);
				assert_int_equal(hb_buf_free(&b), 0);
			}
		}
	}

	/* all of them in a row, across the first boundary */
	hb_test_ctx("%s: typed appends in a row", c->name);
	hb_pcfg_build(c, &b, hb_ref, c->hc - 3);
	memcpy(hb_exp_a, hb_ref, c->hc - 3);
	l = c->hc - 3;
	for (i = 0; i < 3; i++) {
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];
			uint64_t val = hb_int_mask(hb_test_rand(&seed), k);

			assert_int_equal(hb_int_append(&b, k, val), 0);
			hb_int_encode(hb_exp_a + l, val, k);
			l += op->size;
		}
	}
	hb_assert_buf_bytes(&b, hb_exp_a, l);
	for (i = 0, l = c->hc - 3; i < 3; i++) {
		for (k = 0; k < HB_INT_NUM; k++) {
			const struct hb_int_desc *op = &hb_ints[k];

			assert_int_equal(hb_int_get(&b, k, l, &v), 0);
			assert_int_equal(v, hb_int_decode(hb_exp_a + l, k));
			l += op->size;
		}
	}
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(c->mp, base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		HB_PCFG_TEST(test_typed_get_put),
		HB_PCFG_TEST(test_typed_append),
	};

	(void)argc;
	return hb_pcfg_main(argv[0], tests);
}
