/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The growth policy (struct hb_growth, docs/guide.md "Growth policy"):
 * segment sizes as documented for pools of several data rooms, a fallback
 * to smaller classes when a class runs dry, all or nothing at every
 * allocation point, valid TX chains that any PMD frees back to the right
 * pools, and the settings API. The classes are pools the test gives
 * (hb_growth_pool_add()), on the fault-injecting mempool driver, so that
 * every segment is counted and every allocation can be made to fail.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hb_test.h"
#include "hb_fault.h"

#define NCLASS 5
#define MAXLEN (1u << 20)

static const uint16_t class_room[NCLASS] = { 4096, 8192, 16384, 32768,
					     65535 };
static const unsigned int class_n[NCLASS] = { 24, 24, 24, 24, 48 };

static struct rte_mempool *own;	  /* 2176-byte data rooms */
static struct rte_mempool *cls[NCLASS];
static uint8_t pat[MAXLEN + 4096];

/* Segments in use in the buffers' pool and every class. */
static unsigned int
in_use(void)
{
	return hb_test_in_use(own);
}

/* The data rooms of @b's segments, head first, into @rooms (up to @max). */
static unsigned int
seg_rooms(const struct hb_buf *b, uint32_t *rooms, unsigned int max)
{
	const struct rte_mbuf *m;
	unsigned int n = 0;

	for (m = b->head; m != NULL; m = m->next) {
		if (n < max)
			rooms[n] = m->buf_len;
		n++;
	}
	return n;
}

/* Every segment of the chain is direct, refcnt 1, and the chain valid. */
static void
assert_tx_chain(const struct rte_mbuf *h)
{
	const struct rte_mbuf *m;
	const char *why = NULL;

	assert_int_equal(rte_mbuf_check(h, 1, &why), 0);
	for (m = h; m != NULL; m = m->next) {
		assert_true(RTE_MBUF_DIRECT(m));
		assert_int_equal(rte_mbuf_refcnt_read(m), 1);
	}
}

/* 64 B appends up to 64 KiB, then 1 MiB: the documented sizes. */
static void
test_policy_appends(void **state)
{
	static const uint32_t want64k[] = { 2176, 2176, 4096, 8192, 16384,
					    32768 };
	unsigned int base = in_use(), i, n;
	uint32_t rooms[32], off;
	struct rte_mbuf *h;
	struct hb_buf b;
	char tail;

	(void)state;
	assert_int_equal(hb_buf_init(&b, own), 0);
	for (off = 0; off < 64 * 1024; off += 64)
		assert_int_equal(hb_buf_append(&b, pat + off, 64), 0);
	n = seg_rooms(&b, rooms, RTE_DIM(rooms));
	assert_int_equal(n, RTE_DIM(want64k));
	for (i = 0; i < n; i++)
		assert_int_equal(rooms[i], want64k[i]);
	/* Capacity is the length and the head's headroom (128 bytes). */
	assert_int_equal(rte_pktmbuf_tailroom(b.tail), RTE_PKTMBUF_HEADROOM);
	assert_int_equal(b.head->data_off, RTE_PKTMBUF_HEADROOM);
	for (; off < MAXLEN; off += 64)
		assert_int_equal(hb_buf_append(&b, pat + off, 64), 0);
	n = seg_rooms(&b, rooms, RTE_DIM(rooms));
	/* Past 64 KiB every new segment adds 65535 bytes: 21 in all. */
	assert_int_equal(n, 6 + (MAXLEN - 65664 + 65534) / 65535);
	assert_int_equal(n, 21);
	for (i = 6; i < n; i++)
		assert_int_equal(rooms[i], 65535);
	hb_assert_buf_ok(&b);
	hb_assert_read(&b, 0, pat, MAXLEN);
	/* A TX-ready chain of direct mbufs, freed as a PMD frees it. */
	h = hb_buf_detach(&b);
	assert_non_null(h);
	assert_tx_chain(h);
	assert_int_equal(h->pkt_len, MAXLEN);
	rte_pktmbuf_free(h);
	assert_int_equal(in_use(), base);
	/* The buffer is empty and usable again. */
	tail = 'z';
	assert_int_equal(hb_buf_append(&b, &tail, 1), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_pool_at(own, 0);
	assert_int_equal(in_use(), base);
}

/* One big append, and a reserve: the fewest segments. */
static void
test_policy_one_call(void **state)
{
	unsigned int base = in_use(), n;
	uint32_t rooms[8];
	struct hb_buf b;

	(void)state;
	assert_int_equal(hb_buf_init(&b, own), 0);
	assert_int_equal(hb_buf_append(&b, pat, 100000), 0);
	n = seg_rooms(&b, rooms, RTE_DIM(rooms));
	/* head (1920 bytes), then 65535 for 98080, then 65535 again. */
	assert_int_equal(n, 3);
	assert_int_equal(rooms[0], 2176);
	assert_int_equal(rooms[1], 65535);
	assert_int_equal(rooms[2], 65535);
	hb_assert_read(&b, 0, pat, 100000);
	assert_int_equal(hb_buf_free(&b), 0);

	/* Reserve 64 KiB: the head and one segment; appends take nothing. */
	assert_int_equal(hb_buf_reserve(&b, 64 * 1024), 0);
	assert_int_equal(hb_buf_nb_segs(&b), 2);
	assert_int_equal(in_use(), base + 2);
	assert_int_equal(hb_buf_append(&b, pat, 64 * 1024), 0);
	assert_int_equal(in_use(), base + 2);
	hb_assert_read(&b, 0, pat, 64 * 1024);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(in_use(), base);
	hb_assert_pool_at(own, 0);
}

/* Pools of other data rooms: classes only when larger than the pool's. */
static void
test_pool_rooms(void **state)
{
	static const struct {
		uint16_t room;
		uint32_t len;
		uint32_t rooms[8];
		unsigned int n;
	} t[] = {
		/* 8872 + 9000 = 17872, then 16 KiB, then 32 KiB. */
		{ 9000, 40000, { 9000, 9000, 16384, 32768 }, 4 },
		/* 72 + 200 = 272, then 4 KiB (8 KiB is not needed). */
		{ 200, 4000, { 200, 200, 4096 }, 3 },
	};
	unsigned int i, k, n;
	uint32_t rooms[8];

	(void)state;
	for (i = 0; i < RTE_DIM(t); i++) {
		char name[32];
		struct rte_mempool *mp;
		struct hb_buf b;
		uint32_t off;

		snprintf(name, sizeof(name), "g_room%u", t[i].room);
		mp = hb_test_pool(name, 64, t[i].room);
		assert_int_equal(hb_buf_init(&b, mp), 0);
		for (off = 0; off < t[i].len; off += 8)
			assert_int_equal(hb_buf_append(&b, pat + off, 8), 0);
		n = seg_rooms(&b, rooms, RTE_DIM(rooms));
		assert_int_equal(n, t[i].n);
		for (k = 0; k < n; k++)
			assert_int_equal(rooms[k], t[i].rooms[k]);
		hb_assert_read(&b, 0, pat, t[i].len);
		assert_int_equal(hb_buf_free(&b), 0);
		hb_assert_pool_at(mp, 0);
		rte_mempool_free(mp);
	}
}

/* Take every mbuf of @mp into @hog (the caller gives them back). */
static unsigned int
drain(struct rte_mempool *mp, struct rte_mbuf **hog, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && (hog[n] = rte_pktmbuf_alloc(mp)) != NULL)
		n++;
	return n;
}

/* A class run dry: smaller classes serve, then the buffer's own pool. */
static void
test_fallback(void **state)
{
	static struct rte_mbuf *hog[NCLASS][64], *hog_own[512];
	unsigned int base = in_use(), nh[NCLASS] = { 0 }, c, nown;
	uint32_t rooms[64];
	struct hb_snap s;
	struct hb_buf b;
	unsigned int n, i;

	(void)state;
	/* No 65535 class: the 32 KiB one serves instead. */
	nh[4] = drain(cls[4], hog[4], RTE_DIM(hog[4]));
	assert_int_equal(hb_buf_init(&b, own), 0);
	assert_int_equal(hb_buf_append(&b, pat, 100000), 0);
	n = seg_rooms(&b, rooms, RTE_DIM(rooms));
	for (i = 1; i < n; i++)
		assert_int_equal(rooms[i], 32768);
	hb_assert_read(&b, 0, pat, 100000);
	assert_int_equal(hb_buf_free(&b), 0);

	/* No class at all: the buffer's own pool, in bulk. */
	for (c = 0; c < NCLASS - 1; c++)
		nh[c] = drain(cls[c], hog[c], RTE_DIM(hog[c]));
	assert_int_equal(hb_buf_append(&b, pat, 100000), 0);
	n = seg_rooms(&b, rooms, RTE_DIM(rooms));
	for (i = 0; i < n; i++)
		assert_int_equal(rooms[i], 2176);
	hb_assert_read(&b, 0, pat, 100000);

	/* And when that is short too: -ENOMEM, nothing changed or kept. */
	nown = drain(own, hog_own, RTE_DIM(hog_own) - 10);
	hb_test_snap(&s, &b, true);
	hb_assert_rc_snap(&s, &b, hb_buf_append(&b, pat, 100000), -ENOMEM);
	hb_assert_rc_snap(&s, &b, hb_buf_reserve(&b, 100000), -ENOMEM);
	hb_snap_free(&s);
	rte_pktmbuf_free_bulk(hog_own, nown);
	assert_int_equal(hb_buf_free(&b), 0);
	for (c = 0; c < NCLASS; c++)
		rte_pktmbuf_free_bulk(hog[c], nh[c]);
	assert_int_equal(in_use(), base);
	hb_assert_pool_at(own, 0);
}

/* Dequeue calls so far, summed over the buffers' pool and the classes. */
static uint64_t
calls(void)
{
	struct hb_fault_stats st;
	uint64_t n = 0;
	unsigned int c;

	assert_int_equal(hb_fault_stats(own, &st), 0);
	n += st.calls;
	for (c = 0; c < NCLASS; c++) {
		assert_int_equal(hb_fault_stats(cls[c], &st), 0);
		n += st.calls;
	}
	return n;
}

/* Arm @pools[i] to fail its @k[i]-th dequeue from now (UINT64_MAX: not). */
static void
arm(struct rte_mempool **pools, unsigned int n, const uint64_t *k)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (k[i] != UINT64_MAX)
			assert_int_equal(hb_fault_fail_call(pools[i], k[i]), 0);
}

static void
disarm(struct rte_mempool **pools, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		hb_fault_disarm(pools[i]);
}

/*
 * Every allocation point of a growth through the classes. Failed in one
 * pool, a smaller class serves (the bytes are right); failed with every
 * smaller class and the buffers' pool dry as well, the call fails with
 * -ENOMEM and changes nothing, after giving back the segments it took
 * before. No mbuf is kept either way.
 */
static void
test_fault_every_point(void **state)
{
	struct rte_mempool *pools[NCLASS + 1];
	unsigned int base = in_use(), p, i, failed = 0, passed = 0;
	uint64_t k, total, at[NCLASS + 1];
	struct hb_snap s;
	struct hb_buf b;

	(void)state;
	pools[0] = own;
	for (p = 0; p < NCLASS; p++)
		pools[p + 1] = cls[p];
	/* How many dequeues the operation makes. */
	hb_test_buf(&b, own, pat, 1000, 0);
	total = calls();
	assert_int_equal(hb_buf_append(&b, pat + 1000, 150000), 0);
	total = calls() - total;
	assert_true(total >= 3);
	assert_int_equal(hb_buf_free(&b), 0);

	for (p = 0; p < RTE_DIM(pools); p++) {
		for (k = 0; k < total; k++) {
			bool all = p == RTE_DIM(pools) - 1;
			int rc;

			hb_test_ctx("pool %s, dequeue %" PRIu64 "%s",
				    pools[p]->name, k,
				    all ? ", every fallback too" : "");
			hb_test_buf(&b, own, pat, 1000, 0);
			hb_test_snap(&s, &b, true);
			/* One pool; for the largest class, every other too. */
			for (i = 0; i < RTE_DIM(pools); i++)
				at[i] = i == p ? k : all ? 0 : UINT64_MAX;
			arm(pools, RTE_DIM(pools), at);
			rc = hb_buf_append(&b, pat + 1000, 150000);
			disarm(pools, RTE_DIM(pools));
			if (rc == 0) {
				hb_assert_read(&b, 0, pat, 151000);
				hb_assert_buf_ok(&b);
				passed++;
			} else {
				assert_int_equal(rc, -ENOMEM);
				hb_assert_snap(&s, &b);
				failed++;
			}
			hb_snap_free(&s);
			assert_int_equal(hb_buf_free(&b), 0);
			assert_int_equal(in_use(), base);
		}
	}
	printf("growth faults: %u calls failed cleanly, %u served by a "
	       "smaller class\n", failed, passed);
	assert_true(failed >= total);
	assert_true(passed > 0);
	hb_assert_pool_at(own, 0);
}

/* Split inside a class segment, free the halves in both orders. */
static void
test_split_classes(void **state)
{
	unsigned int base = in_use(), order;

	(void)state;
	for (order = 0; order < 2; order++) {
		struct hb_buf b, t;

		hb_test_buf(&b, own, pat, 100000, 0);
		/* Inside the second (65535-byte) segment. */
		assert_int_equal(hb_buf_split(&b, 30000, &t), 0);
		assert_true(RTE_MBUF_CLONED(t.head));
		hb_assert_read(&b, 0, pat, 30000);
		hb_assert_read(&t, 0, pat + 30000, 70000);
		if (order == 0) {
			assert_int_equal(hb_buf_free(&b), 0);
			hb_assert_read(&t, 0, pat + 30000, 70000);
			assert_int_equal(hb_buf_free(&t), 0);
		} else {
			assert_int_equal(hb_buf_free(&t), 0);
			hb_assert_read(&b, 0, pat, 30000);
			assert_int_equal(hb_buf_free(&b), 0);
		}
		assert_int_equal(in_use(), base);
	}
	hb_assert_pool_at(own, 0);
}

/* A growing write visit and the writer take class segments too. */
static void
test_visit_writer(void **state)
{
	unsigned int base = in_use();
	struct hb_visitor v;
	struct hb_writer w;
	struct hb_buf b;
	uint32_t off;

	(void)state;
	hb_test_buf(&b, own, pat, 4000, 0);
	/* Grows by 40000 zeros; the view spans segments: bounced. */
	assert_int_equal(hb_visit_write(&b, 3000, 41000, 40000, &v), 0);
	memcpy(v.ptr, pat + 3000, 41000);
	assert_int_equal(hb_visit_release(&v), 0);
	hb_assert_read(&b, 0, pat, 44000);
	assert_true(hb_buf_nb_segs(&b) <= 4);
	assert_int_equal(hb_writer_begin(&w, &b), 0);
	for (off = 44000; off < 300000; off += 100)
		assert_int_equal(hb_writer_append(&w, pat + off, 100), 0);
	assert_int_equal(hb_writer_end(&w), 0);
	hb_assert_read(&b, 0, pat, 300000);
	assert_true(hb_buf_nb_segs(&b) <= 10);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(in_use(), base);
	hb_assert_pool_at(own, 0);
}

/* The settings API: errors, and no change once pools are in use. */
static void
test_api(void **state)
{
	struct hb_growth g, g0;
	struct rte_mempool *extra[4], *clones;
	unsigned int i;

	(void)state;
	assert_int_equal(hb_growth_get(NULL), -EINVAL);
	assert_int_equal(hb_growth_get(&g0), 0);
	assert_int_equal(g0.max_seg, UINT16_MAX);
	assert_int_equal(hb_growth_set(NULL), -EINVAL);
	g = (struct hb_growth){ .max_seg = 65536 };
	assert_int_equal(hb_growth_set(&g), -EINVAL);
	g = (struct hb_growth){ .max_seg = 4096, .mem_per_socket = 1000 };
	assert_int_equal(hb_growth_set(&g), -EINVAL);
	/* Classes were given and used: settings are fixed now. */
	g = (struct hb_growth){ .max_seg = 4096 };
	assert_int_equal(hb_growth_set(&g), -EBUSY);
	assert_int_equal(hb_growth_get(&g), 0);
	assert_int_equal(g.max_seg, g0.max_seg);
	assert_int_equal(g.mem_per_socket, g0.mem_per_socket);

	assert_int_equal(hb_growth_pool_add(NULL), -EINVAL);
	assert_int_equal(hb_growth_pool_add(cls[2]), -EEXIST);
	clones = rte_pktmbuf_pool_create("g_clones", 16, 0, 0, 0,
					 SOCKET_ID_ANY);
	assert_non_null(clones);
	assert_int_equal(hb_growth_pool_add(clones), -EINVAL);
	rte_mempool_free(clones);
	/* Up to 8 classes on a socket. */
	for (i = 0; i < RTE_DIM(extra); i++) {
		char name[32];

		snprintf(name, sizeof(name), "g_extra%u", i);
		extra[i] = hb_test_pool(name, 8, (uint16_t)(2500 + i));
		assert_int_equal(hb_growth_pool_add(extra[i]),
				 NCLASS + i < 8 ? 0 : -ENOSPC);
	}
	/* The last test: the extra classes are forgotten by hb_fini(). */
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_appends),
		cmocka_unit_test(test_policy_one_call),
		cmocka_unit_test(test_pool_rooms),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_fault_every_point),
		cmocka_unit_test(test_split_classes),
		cmocka_unit_test(test_visit_writer),
		cmocka_unit_test(test_api),
	};
	unsigned int c;
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	hb_test_growth_on(0);
	if (hb_fault_register() != 0)
		return HB_TEST_SKIP;
	hb_test_pattern(pat, sizeof(pat), 21);
	own = hb_fault_pool_create("g_own", 512, 0, SOCKET_ID_ANY);
	if (own == NULL)
		return 1;
	for (c = 0; c < NCLASS; c++) {
		char name[32];

		snprintf(name, sizeof(name), "g_cls%u", class_room[c]);
		cls[c] = hb_fault_pool_create(name, class_n[c], class_room[c],
					      SOCKET_ID_ANY);
		if (cls[c] == NULL || hb_growth_pool_add(cls[c]) != 0)
			return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	hb_test_teardown();
	return rc;
}
