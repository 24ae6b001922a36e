/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Allocation failure at every allocation point of every growing operation.
 *
 * Each scenario builds a buffer state, then runs one growing operation
 * (append, typed append, prepend, reserve, write-visitor growth, pullup,
 * split, and the same on shared buffers, including an async write visit whose
 * growth happens in hb_poll()). The operation is run once on the hb_fault
 * pool driver (tests/hb_fault.h, cache size 0) to count its allocation
 * points (dequeue calls) and the mbufs it takes; then, on a fresh copy of
 * the state each time, the k-th dequeue (k = 0..count-1) is made to fail,
 * and the operation must return -ENOMEM with the buffer exactly as before
 * (segments, bytes, length, hb_buf_check(), a cursor still valid) and
 * every mbuf back in the pool; the same for the dequeue that would hand
 * out each object; and with the failure armed at k = count the operation
 * succeeds with the same result as the counting run. Every test ends with
 * the pool at its baseline.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>

#include "hb_test.h"
#include "hb_fault.h"

#define ROOM 256		/* data room: 128 B headroom, small segments */
#define NMBUF 1024
#define BIG 20000		/* 79 segments from an empty buffer */

static struct rte_mempool *mp;
static struct rte_mempool *hog_mp;	/* plain pool for the bounce hog */
static uint8_t src[BIG * 2];

/* The buffer before the operation, and after a run that succeeded. */
static struct hb_snap before, after_ok;

/* ---------------------------------------------------------------------
 * Scenarios
 */

struct ctx {
	struct hb_buf b;
	struct hb_buf tail;	/* split target */
	struct hb_visitor v;	/* a visitor the operation takes */
	struct hb_visitor rv;	/* a reader live before the operation */
	struct hb_req req;
	int cb_status;
	int cb_runs;
	struct hb_buf hog;	/* a read visitor on it takes all bounce memory */
	struct hb_visitor hv;
};

struct scen {
	const char *name;
	void (*setup)(struct ctx *c);
	int (*run)(struct ctx *c);
	void (*done)(struct ctx *c);	/* after a successful run */
	unsigned int min_points;	/* at least this many dequeue calls */
	bool shared;			/* buffer shared during the operation */
	bool bounce;			/* grows, then needs bounce memory */
};

static void
fill(struct hb_buf *b, uint32_t len)
{
	if (len > 0)
		assert_int_equal(hb_buf_append(b, src, len), 0);
}

static void
setup_empty(struct ctx *c)
{
	assert_int_equal(hb_buf_init(&c->b, mp), 0);
}

/* Tail partly filled: 1000 bytes over 5 segments. */
static void
setup_partial(struct ctx *c)
{
	setup_empty(c);
	fill(&c->b, 1000);
}

/* The tail segment full: 128 + 3 * 256 bytes. */
static void
setup_full(struct ctx *c)
{
	setup_empty(c);
	fill(&c->b, 128 + 3 * ROOM);
	assert_int_equal(rte_pktmbuf_tailroom(c->b.tail), 0);
}

/* 300 bytes plus 1000 bytes reserved. */
static void
setup_reserved(struct ctx *c)
{
	setup_empty(c);
	fill(&c->b, 300);
	assert_int_equal(hb_buf_reserve(&c->b, 1000), 0);
}

/* A head with no headroom left (a 128-byte prepend used it). */
static void
setup_no_headroom(struct ctx *c)
{
	setup_partial(c);
	assert_int_equal(hb_buf_prepend(&c->b, src, 128), 0);
	assert_int_equal(rte_pktmbuf_headroom(c->b.head), 0);
}

/* A head shared with another buffer (indirect, after a split). */
static void
setup_indirect_head(struct ctx *c)
{
	struct hb_buf front;

	setup_partial(c);
	assert_int_equal(hb_buf_split(&c->b, 100, &front), 0);
	/* c->b now holds [0,100); keep the indirect half [100, 1000). */
	assert_int_equal(hb_buf_free(&c->b), 0);
	c->b = front;
	assert_true(RTE_MBUF_CLONED(c->b.head));
}

static void
setup_shared(struct ctx *c)
{
	setup_partial(c);
	assert_int_equal(hb_buf_share(&c->b), 0);
}

/* Shared, with a reader live: an async writer queues behind it. */
static void
setup_shared_reader(struct ctx *c)
{
	setup_shared(c);
	assert_int_equal(hb_visit_read(&c->b, 0, 10, &c->rv), 0);
}

static int
run_append_small(struct ctx *c)
{
	return hb_buf_append(&c->b, src, 100);
}

static int
run_append_big(struct ctx *c)
{
	return hb_buf_append(&c->b, src, BIG);
}

static int
run_append_u64(struct ctx *c)
{
	return hb_buf_append_be64(&c->b, UINT64_C(0x0102030405060708));
}

static int
run_prepend_small(struct ctx *c)
{
	return hb_buf_prepend(&c->b, src, 200);
}

static int
run_prepend_big(struct ctx *c)
{
	return hb_buf_prepend(&c->b, src, BIG);
}

static int
run_reserve_big(struct ctx *c)
{
	return hb_buf_reserve(&c->b, BIG);
}

static int
run_visit_grow(struct ctx *c)
{
	uint32_t len = hb_buf_len(&c->b), off = len > 10 ? len - 10 : 0;

	return hb_visit_write(&c->b, off, BIG, BIG, &c->v);
}

static int
run_visit_grow_small(struct ctx *c)
{
	return hb_visit_write(&c->b, hb_buf_len(&c->b), 64, 64, &c->v);
}

/* Across the first two segments; the first has no tailroom: a new one. */
static int
run_pullup(struct ctx *c)
{
	assert_int_equal(rte_pktmbuf_tailroom(c->b.head), 0);
	return hb_buf_pullup(&c->b, 100, 60);
}

static void
done_release(struct ctx *c)
{
	assert_int_equal(hb_visit_release(&c->v), 0);
}

static int
run_split_mid(struct ctx *c)
{
	return hb_buf_split(&c->b, 333, &c->tail);
}

/* At a segment boundary: nothing to allocate. */
static int
run_split_boundary(struct ctx *c)
{
	return hb_buf_split(&c->b, c->b.head->data_len, &c->tail);
}

static void
done_split(struct ctx *c)
{
	assert_int_equal(hb_buf_free(&c->tail), 0);
}

static void
async_cb(struct hb_req *req, int status, void *arg)
{
	struct ctx *c = arg;

	assert_ptr_equal(req, &c->req);
	c->cb_status = status;
	c->cb_runs++;
	if (status == 0)
		assert_int_equal(hb_visit_release(hb_req_visitor(req)), 0);
}

/* An async write visit queued behind a reader grows in hb_poll(). */
static int
run_async_grow(struct ctx *c)
{
	uint32_t len = hb_buf_len(&c->b);

	c->cb_runs = 0;
	assert_int_equal(hb_visit_async(&c->req, &c->b, HB_ACCESS_WRITE,
					len - 10, 3000, 3000, async_cb, c),
			 -EINPROGRESS);
	assert_int_equal(hb_visit_release(&c->rv), 0);
	assert_int_equal(hb_poll(0), 1);
	assert_int_equal(c->cb_runs, 1);
	return c->cb_status;
}

/* hb_visit_async() granted at once: the growth happens in the call. */
static int
run_async_now(struct ctx *c)
{
	int rc = hb_visit_async(&c->req, &c->b, HB_ACCESS_WRITE,
				hb_buf_len(&c->b), 3000, 3000, async_cb, c);

	assert_true(rc != -EINPROGRESS);
	return rc;
}

static void
done_async_now(struct ctx *c)
{
	assert_int_equal(hb_visit_release(hb_req_visitor(&c->req)), 0);
}

static const struct scen scens[] = {
	{ "append 100 B to an empty buffer", setup_empty, run_append_small,
	  NULL, 1, false, false },
	{ "append 20000 B to an empty buffer", setup_empty, run_append_big,
	  NULL, 3, false, false },
	{ "append 20000 B after a partial tail", setup_partial,
	  run_append_big, NULL, 3, false, false },
	{ "append 20000 B past reserved room", setup_reserved,
	  run_append_big, NULL, 3, false, false },
	{ "append_be64 to a full tail", setup_full, run_append_u64,
	  NULL, 1, false, false },
	{ "prepend 200 B without headroom", setup_no_headroom,
	  run_prepend_small, NULL, 1, false, false },
	{ "prepend 20000 B", setup_partial, run_prepend_big, NULL, 3, false,
	  false },
	{ "prepend onto an indirect head", setup_indirect_head,
	  run_prepend_small, NULL, 1, false, false },
	{ "prepend to an empty buffer", setup_empty, run_prepend_big, NULL, 3,
	  false, false },
	{ "reserve 20000 B", setup_partial, run_reserve_big, NULL, 3, false,
	  false },
	{ "write visitor growing 64 B", setup_full, run_visit_grow_small,
	  done_release, 1, false, false },
	{ "write visitor growing ~20000 B", setup_partial, run_visit_grow,
	  done_release, 3, false, true },
	{ "write visitor growing an empty buffer", setup_empty,
	  run_visit_grow, done_release, 3, false, true },
	{ "pullup across two segments", setup_partial, run_pullup, NULL, 1,
	  false, false },
	{ "split inside a segment", setup_partial, run_split_mid, done_split,
	  1, false, false },
	{ "split at a segment boundary", setup_partial, run_split_boundary,
	  done_split, 0, false, false },
	{ "shared: append", setup_shared, run_append_big, NULL, 3, true, false },
	{ "shared: prepend", setup_shared, run_prepend_small, NULL, 1, true, false },
	{ "shared: reserve", setup_shared, run_reserve_big, NULL, 3, true, false },
	{ "shared: pullup", setup_shared, run_pullup, NULL, 1, true, false },
	{ "shared: split", setup_shared, run_split_mid, done_split, 1, true,
	  false },
	{ "shared: write visitor growing", setup_shared, run_visit_grow,
	  done_release, 3, true, true },
	{ "shared: async write visit granted at once", setup_shared,
	  run_async_now, done_async_now, 1, true, true },
	{ "shared: async write visit growing in hb_poll", setup_shared_reader,
	  run_async_grow, NULL, 1, true, true },
};

/* ---------------------------------------------------------------------
 * The driver
 */

static void
teardown_ctx(struct ctx *c, const struct scen *sc)
{
	if (hb_visitor_is_live(&c->rv))
		assert_int_equal(hb_visit_release(&c->rv), 0);
	if (sc->shared)
		assert_int_equal(hb_buf_unshare(&c->b), 0);
	assert_int_equal(hb_buf_free(&c->b), 0);
	hb_assert_pool_at(mp, 0);
}

static void
stats(struct hb_fault_stats *st)
{
	assert_int_equal(hb_fault_stats(mp, st), 0);
}

/* Set up, arm (@arm_fn, @k), run: returns the result, checks the rest. */
typedef int (*arm_fn_t)(struct rte_mempool *mp, uint64_t nth);

static int
attempt(const struct scen *sc, struct ctx *c, arm_fn_t arm_fn, uint64_t k,
	struct hb_snap *out)
{
	struct hb_fault_stats st0, st1;
	struct hb_cursor cur = { 0 };
	struct hb_buf tail0;
	uint8_t b0;
	int rc;

	memset(c, 0, sizeof(*c));
	sc->setup(c);
	assert_int_equal(hb_buf_init(&c->tail, mp), 0);
	tail0 = c->tail;
	hb_test_snap(&before, &c->b, true);
	if (!sc->shared)
		assert_int_equal(hb_cursor_init(&cur, &c->b, 0), 0);
	stats(&st0);
	if (arm_fn != NULL)
		assert_int_equal(arm_fn(mp, k), 0);
	rc = sc->run(c);
	hb_fault_disarm(mp);
	stats(&st1);
	if (rc != 0) {
		assert_int_equal(rc, -ENOMEM);
		/* It failed because of the injected failure, and only then. */
		assert_int_equal(st1.failed - st0.failed, 1);
		assert_false(hb_visitor_is_live(&c->v));
		hb_test_ctx("%s: failure at point %u", sc->name,
			    (unsigned int)k);
		hb_assert_snap(&before, &c->b);
		assert_memory_equal(&tail0, &c->tail, sizeof(tail0));
		if (!sc->shared && before.len > 0) {
			/* A failed call is no layout change: the cursor works. */
			assert_int_equal(hb_cursor_read(&cur, &b0, 1), 0);
			assert_int_equal(b0, before.bytes[0]);
		}
	} else {
		assert_int_equal(st1.failed, st0.failed);
		if (sc->done != NULL)
			sc->done(c);
		hb_snap_free(out);
		hb_test_snap(out, &c->b, true);
	}
	hb_snap_free(&before);
	teardown_ctx(c, sc);
	return rc;
}

static void
test_scenario(void **state)
{
	const struct scen *sc = *state;
	struct hb_fault_stats st0, st1;
	static struct hb_snap got;
	struct ctx c;
	uint64_t calls, objs, k;

	hb_assert_pool_at(mp, 0);

	/* Count the allocation points of the operation. */
	memset(&c, 0, sizeof(c));
	sc->setup(&c);
	assert_int_equal(hb_buf_init(&c.tail, mp), 0);
	stats(&st0);
	assert_int_equal(sc->run(&c), 0);
	stats(&st1);
	if (sc->done != NULL)
		sc->done(&c);
	hb_test_snap(&after_ok, &c.b, true);
	teardown_ctx(&c, sc);
	calls = st1.calls - st0.calls;
	objs = st1.objs - st0.objs;
	print_message("    %-46s %2u allocation points, %3u mbufs\n",
		      sc->name, (unsigned int)calls, (unsigned int)objs);
	assert_true(calls >= sc->min_points);
	if (sc->min_points == 0)
		assert_int_equal(calls, 0);

	/* Fail each dequeue call in turn. */
	for (k = 0; k < calls; k++)
		assert_int_equal(attempt(sc, &c, hb_fault_fail_call, k, &got),
				 -ENOMEM);
	/* Fail the dequeue that would hand out each object in turn. */
	for (k = 0; k < objs; k++)
		assert_int_equal(attempt(sc, &c, hb_fault_fail_obj, k, &got),
				 -ENOMEM);
	/* Armed one past the last point: nothing fails, same result. */
	assert_int_equal(attempt(sc, &c, hb_fault_fail_call, calls, &got), 0);
	hb_assert_snap_same(&after_ok, &got, HB_SNAP_BYTES | HB_SNAP_LAYOUT);
	hb_snap_free(&got);
	hb_snap_free(&after_ok);
	hb_assert_pool_at(mp, 0);
}

/* Take all the bounce memory of this lcore with one read visitor. */
static void
hog_take(struct ctx *c)
{
	static uint8_t big[HB_VISIT_BOUNCE_SIZE + 4096];

	assert_int_equal(hb_buf_init(&c->hog, hog_mp), 0);
	assert_int_equal(hb_buf_append(&c->hog, big, sizeof(big)), 0);
	assert_int_equal(hb_visit_read(&c->hog, 1, HB_VISIT_BOUNCE_SIZE, &c->hv),
			 0);
	assert_false(hb_visitor_is_direct(&c->hv));
}

static void
hog_release(struct ctx *c)
{
	assert_int_equal(hb_visit_release(&c->hv), 0);
	assert_int_equal(hb_buf_free(&c->hog), 0);
	hb_assert_pool_at(hog_mp, 0);
}

/*
 * The other allocation of a growing visit: bounce memory, taken after the
 * growth. When it is not there the growth must be taken back exactly.
 */
static void
test_bounce(void **state)
{
	const struct scen *sc = *state;
	struct hb_fault_stats st0, st1;
	struct hb_cursor cur = { 0 };
	struct ctx c;
	uint8_t b0;

	memset(&c, 0, sizeof(c));
	sc->setup(&c);
	assert_int_equal(hb_buf_init(&c.tail, mp), 0);
	hog_take(&c);
	hb_test_snap(&before, &c.b, true);
	if (!sc->shared)
		assert_int_equal(hb_cursor_init(&cur, &c.b, 0), 0);
	stats(&st0);
	assert_int_equal(sc->run(&c), -ENOMEM);
	stats(&st1);
	assert_int_equal(st1.failed, st0.failed);
	assert_true(st1.objs > st0.objs); /* it did grow first */
	assert_false(hb_visitor_is_live(&c.v));
	assert_false(hb_visitor_is_live(hb_req_visitor(&c.req)));
	hb_assert_snap(&before, &c.b);
	if (!sc->shared && before.len > 0) {
		assert_int_equal(hb_cursor_read(&cur, &b0, 1), 0);
		assert_int_equal(b0, before.bytes[0]);
	}
	hb_snap_free(&before);
	hog_release(&c);
	teardown_ctx(&c, sc);

	/* With the bounce memory back, the same operation succeeds. */
	memset(&c, 0, sizeof(c));
	sc->setup(&c);
	assert_int_equal(hb_buf_init(&c.tail, mp), 0);
	assert_int_equal(sc->run(&c), 0);
	if (sc->done != NULL)
		sc->done(&c);
	teardown_ctx(&c, sc);
	hb_assert_pool_at(mp, 0);
}

/* The driver itself: counts, one-shot failures, both arming modes. */
static void
test_driver(void **state)
{
	struct hb_fault_stats st0, st;
	struct rte_mbuf *m[8];

	(void)state;
	stats(&st0);
	assert_false(st0.armed);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	stats(&st);
	assert_int_equal(st.calls - st0.calls, 1);
	assert_int_equal(st.objs - st0.objs, 3);
	/* The second call from now fails, once. */
	assert_int_equal(hb_fault_fail_call(mp, 1), 0);
	m[3] = rte_pktmbuf_alloc(mp);
	assert_non_null(m[3]);
	assert_null(rte_pktmbuf_alloc(mp));
	m[4] = rte_pktmbuf_alloc(mp);
	assert_non_null(m[4]);
	/* The dequeue that would hand out the 3rd object from now fails. */
	assert_int_equal(hb_fault_fail_obj(mp, 2), 0);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m + 5, 2), 0);
	assert_int_not_equal(rte_pktmbuf_alloc_bulk(mp, m + 5, 2), 0);
	stats(&st);
	assert_int_equal(st.failed - st0.failed, 2);
	assert_false(st.armed);
	/* Disarmed: nothing fails. */
	assert_int_equal(hb_fault_fail_call(mp, 0), 0);
	hb_fault_disarm(mp);
	stats(&st);
	assert_false(st.armed);
	rte_pktmbuf_free_bulk(m, 7);
	stats(&st);
	assert_int_equal(st.returned - st0.returned, 7);
	hb_assert_pool_at(mp, 0);
	/* Pools on other ops are refused. */
	assert_int_equal(hb_fault_fail_call(NULL, 0), -EINVAL);
}

int
main(int argc, char **argv)
{
	static char names[RTE_DIM(scens)][96];
	struct CMUnitTest tests[2 * RTE_DIM(scens) + 1];
	unsigned int i, n = 0;
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + (i >> 8));
	mp = hb_fault_pool_create("fault", NMBUF, ROOM, SOCKET_ID_ANY);
	hog_mp = rte_pktmbuf_pool_create("hog", 64, 0, 0,
					 RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL || hog_mp == NULL) {
		fprintf(stderr, "hb_fault pool: %s\n", rte_strerror(rte_errno));
		hb_test_teardown();
		return 1;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_driver);
	for (i = 0; i < RTE_DIM(scens); i++)
		tests[n++] = (struct CMUnitTest){
			.name = scens[i].name,
			.test_func = test_scenario,
			.teardown_func = hb_test_ctx_teardown,
			.initial_state = (void *)(uintptr_t)&scens[i],
		};
	for (i = 0; i < RTE_DIM(scens); i++) {
		if (!scens[i].bounce)
			continue;
		snprintf(names[i], sizeof(names[i]), "%s, no bounce memory",
			 scens[i].name);
		tests[n++] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_bounce,
			.teardown_func = hb_test_ctx_teardown,
			.initial_state = (void *)(uintptr_t)&scens[i],
		};
	}
	rc = _cmocka_run_group_tests("fault", tests, n, NULL, NULL);
	rte_mempool_free(mp);
	rte_mempool_free(hog_mp);
	hb_test_teardown();
	return rc;
}
