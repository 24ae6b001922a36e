/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * The guard layer alone (lib/hb_guard.h, white box), as ck_brlock is
 * tested: no buffer, no bytes, no visitor. Readers share, a writer is
 * alone, nobody waits, waiters are granted in FIFO order on their own
 * lcore, a withdrawn waiter never comes out, retiring a guard fails with
 * nothing changed while a holder or a waiter is left, closing it cancels
 * the waiters and lets retire succeed once no holder is left; then the
 * same rules under four lcores that enter, queue and leave at random.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>

#include "hb_test.h"
#include "hb_guard.h"

static unsigned int nwk;		/* worker lcores */

/* Take every completion of this lcore into @d (at most @n). */
static unsigned int
poll_all(struct hb_guard_done *d, unsigned int n)
{
	return hb_guard_poll(rte_lcore_id(), d, n);
}

static void
test_readers_share_writer_alone(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);

	(void)state;
	assert_non_null(g);
	assert_int_equal(hb_guard_enter(g, false, me, false), 0);
	assert_int_equal(hb_guard_enter(g, false, me, false), 0);
	assert_true(hb_guard_holds(g, false, me));
	assert_false(hb_guard_holds(g, true, me));
	assert_int_equal(hb_guard_enter(g, true, me, false), -EBUSY);
	hb_guard_exit(g, false, me);
	assert_int_equal(hb_guard_enter(g, true, me, false), -EBUSY);
	hb_guard_exit(g, false, me);
	assert_false(hb_guard_holds(g, false, me));
	assert_int_equal(hb_guard_enter(g, true, me, false), 0);
	assert_true(hb_guard_holds(g, true, me));
	assert_int_equal(hb_guard_enter(g, true, me, false), -EBUSY);
	assert_int_equal(hb_guard_enter(g, false, me, false), -EBUSY);
	assert_int_equal(hb_guard_enter(g, false, me, true), -EBUSY);
	hb_guard_exit(g, true, me);
	assert_int_equal(hb_guard_retire(g), 0);
	hb_guard_put(g);
}

static void
test_fifo_grants(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);
	struct hb_guard_done d[8];
	uint32_t slot[3], gen[3];
	int tag[3] = { 0, 1, 2 };

	(void)state;
	assert_non_null(g);
	assert_true(hb_guard_idle(me));
	assert_int_equal(hb_guard_enter(g, false, me, false), 0);
	/* W waits for the reader; R behind W waits for W. */
	assert_int_equal(hb_guard_queue(g, true, me, &tag[0], &slot[0],
					&gen[0]), -EINPROGRESS);
	assert_int_equal(hb_guard_queue(g, false, me, &tag[1], &slot[1],
					&gen[1]), -EINPROGRESS);
	assert_false(hb_guard_idle(me));
	/* Nobody overtakes a waiter: not a new reader, not a writer ... */
	assert_int_equal(hb_guard_enter(g, false, me, false), -EBUSY);
	assert_int_equal(hb_guard_enter(g, true, me, false), -EBUSY);
	/* ... but a call made beside this lcore's own reader may go on. */
	assert_int_equal(hb_guard_enter(g, false, me, true), 0);
	hb_guard_exit(g, false, me);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 0);
	/* The last reader leaves: its release grants W, and W only. */
	hb_guard_exit(g, false, me);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_ptr_equal(d[0].arg, &tag[0]);
	assert_true(d[0].granted);
	assert_true(hb_guard_holds(g, true, me));
	/* Taken by the poll: no such waiter any more. */
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0], &tag[0]),
			 -EINVAL);
	/* W leaves: R is granted. */
	hb_guard_exit(g, true, me);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_ptr_equal(d[0].arg, &tag[1]);
	assert_true(d[0].granted);
	assert_true(hb_guard_holds(g, false, me));
	hb_guard_exit(g, false, me);
	assert_true(hb_guard_idle(me));
	assert_int_equal(hb_guard_retire(g), 0);
	hb_guard_put(g);
}

static void
test_withdraw(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);
	struct hb_guard_done d[8];
	uint32_t slot[2], gen[2];
	int tag[2];

	(void)state;
	assert_non_null(g);
	assert_int_equal(hb_guard_enter(g, true, me, false), 0);
	assert_int_equal(hb_guard_queue(g, false, me, &tag[0], &slot[0],
					&gen[0]), -EINPROGRESS);
	assert_int_equal(hb_guard_queue(g, false, me, &tag[1], &slot[1],
					&gen[1]), -EINPROGRESS);
	/* Not the waiter's pointer, or another generation: no such waiter. */
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0], &tag[1]),
			 -EINVAL);
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0] + 1, &tag[0]),
			 -EINVAL);
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0], &tag[0]), 0);
	hb_guard_withdrawn(g);
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0], &tag[0]),
			 -EINVAL);
	/* The writer leaves: only the waiter left is granted. */
	hb_guard_exit(g, true, me);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_ptr_equal(d[0].arg, &tag[1]);
	assert_true(hb_guard_holds(g, false, me));
	hb_guard_exit(g, false, me);
	/* Queued on a free guard: granted at once, not yet polled: too late. */
	assert_int_equal(hb_guard_queue(g, true, me, &tag[0], &slot[0],
					&gen[0]), -EINPROGRESS);
	assert_int_equal(hb_guard_withdraw(me, slot[0], gen[0], &tag[0]),
			 -EALREADY);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_true(d[0].granted);
	hb_guard_exit(g, true, me);
	assert_true(hb_guard_idle(me));
	assert_int_equal(hb_guard_retire(g), 0);
	hb_guard_put(g);
}

/*
 * Retire on an open guard: with a holder or a waiter left it fails and
 * changes nothing (the waiter is still queued, and granted in its turn).
 */
static void
test_retire_open(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);
	struct hb_guard_done d[8];
	uint32_t slot, gen;
	int tag;

	(void)state;
	assert_non_null(g);
	/* A reader. */
	assert_int_equal(hb_guard_enter(g, false, me, false), 0);
	assert_int_equal(hb_guard_retire(g), -EBUSY);
	assert_false(hb_guard_closing(g));
	assert_true(hb_guard_holds(g, false, me));
	/* A reader and a writer queued behind it. */
	assert_int_equal(hb_guard_queue(g, true, me, &tag, &slot, &gen),
			 -EINPROGRESS);
	assert_int_equal(hb_guard_retire(g), -EBUSY);
	assert_false(hb_guard_closing(g));
	assert_int_equal(poll_all(d, RTE_DIM(d)), 0);
	/* The reader leaves: the waiter is granted, not cancelled. */
	hb_guard_exit(g, false, me);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_ptr_equal(d[0].arg, &tag);
	assert_true(d[0].granted);
	/* A writer (the granted one). */
	assert_int_equal(hb_guard_retire(g), -EBUSY);
	assert_false(hb_guard_closing(g));
	assert_true(hb_guard_holds(g, true, me));
	hb_guard_exit(g, true, me);
	/* Still open and usable. */
	assert_int_equal(hb_guard_enter(g, true, me, false), 0);
	hb_guard_exit(g, true, me);
	assert_true(hb_guard_idle(me));
	assert_int_equal(hb_guard_retire(g), 0);
	assert_true(hb_guard_closing(g));
	hb_guard_put(g);
}

/* Close: waiters cancelled, holders kept; retire once they are gone. */
static void
test_close(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);
	struct hb_guard_done d[8];
	uint32_t slot, gen;
	int tag;

	(void)state;
	assert_non_null(g);
	assert_int_equal(hb_guard_enter(g, false, me, false), 0);
	assert_int_equal(hb_guard_queue(g, true, me, &tag, &slot, &gen),
			 -EINPROGRESS);
	hb_guard_close(g);
	assert_true(hb_guard_closing(g));
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_ptr_equal(d[0].arg, &tag);
	assert_false(d[0].granted);
	/* Idempotent; the reader is still in. */
	hb_guard_close(g);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 0);
	assert_true(hb_guard_holds(g, false, me));
	/* Closing: no new waiter, nobody enters. */
	assert_int_equal(hb_guard_queue(g, true, me, &tag, &slot, &gen),
			 -ECANCELED);
	assert_int_equal(hb_guard_enter(g, false, me, false), -EBUSY);
	assert_int_equal(hb_guard_enter(g, true, me, false), -EBUSY);
	/* A reader live: busy, nothing changed. */
	assert_int_equal(hb_guard_retire(g), -EBUSY);
	assert_true(hb_guard_holds(g, false, me));
	assert_true(hb_guard_closing(g));
	hb_guard_exit(g, false, me);
	assert_int_equal(hb_guard_retire(g), 0);
	assert_true(hb_guard_idle(me));
	hb_guard_put(g);
}

/*
 * A grant step running on another lcore (dlock held: simulated) does not
 * make retire fail: with nothing left it succeeds without the lock. With
 * a waiter left after a close, the waiter exists until that step, seeing
 * the note close left, cancels it; retire says so (-EBUSY, nothing
 * changed) and succeeds after.
 */
static void
test_retire_grant_running(void **state)
{
	unsigned int me = rte_lcore_id();
	struct hb_guard *g = hb_guard_get(SOCKET_ID_ANY);
	struct hb_guard_done d[4];
	uint32_t slot, gen;
	int tag;

	(void)state;
	assert_non_null(g);
	/* Nothing left: retire needs no lock. */
	__atomic_store_n(&g->dlock, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(hb_guard_retire(g), 0);
	assert_true(hb_guard_closing(g));
	__atomic_store_n(&g->dlock, 0, __ATOMIC_SEQ_CST);
	hb_guard_put(g);

	g = hb_guard_get(SOCKET_ID_ANY);
	assert_non_null(g);
	assert_int_equal(hb_guard_enter(g, true, me, false), 0);
	assert_int_equal(hb_guard_queue(g, false, me, &tag, &slot, &gen),
			 -EINPROGRESS);
	/* The step starts (dlock taken), the writer leaves, close comes. */
	__atomic_store_n(&g->dlock, 1, __ATOMIC_SEQ_CST);
	hb_guard_exit(g, true, me);
	hb_guard_close(g);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 0);
	/* The waiter is still there, its cancellation not posted yet. */
	assert_int_equal(hb_guard_retire(g), -EBUSY);
	assert_true(hb_guard_closing(g));
	assert_int_equal(poll_all(d, RTE_DIM(d)), 0);
	/* The step's runner sees the note and runs again: cancelled. */
	__atomic_store_n(&g->dlock, 0, __ATOMIC_SEQ_CST);
	hb_guard_grant_step(g);
	assert_int_equal(poll_all(d, RTE_DIM(d)), 1);
	assert_false(d[0].granted);
	assert_int_equal(hb_guard_retire(g), 0);
	assert_true(hb_guard_idle(me));
	hb_guard_put(g);
}

/*
 * Stress: every lcore enters, queues and leaves at random, never waiting
 * for the guard (a queued waiter's lcore polls until it is granted). The
 * holders check the rule with counters of their own: never a writer beside
 * anyone.
 */
#define STRESS_OPS 20000

static struct hb_guard *sg;
static uint32_t s_readers, s_writers;
static uint64_t s_granted[RTE_MAX_LCORE], s_refused[RTE_MAX_LCORE];
static uint64_t s_cancelled[RTE_MAX_LCORE];
static volatile int s_broken;
static uint32_t s_retired;	/* hb_guard_retire() succeeded */

static void
hold(bool write)
{
	if (write) {
		if (__atomic_fetch_add(&s_writers, 1, __ATOMIC_SEQ_CST) != 0 ||
		    __atomic_load_n(&s_readers, __ATOMIC_SEQ_CST) != 0)
			s_broken = 1;
		rte_pause();
		__atomic_fetch_sub(&s_writers, 1, __ATOMIC_SEQ_CST);
	} else {
		__atomic_fetch_add(&s_readers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&s_writers, __ATOMIC_SEQ_CST) != 0)
			s_broken = 1;
		rte_pause();
		__atomic_fetch_sub(&s_readers, 1, __ATOMIC_SEQ_CST);
	}
	/* Retired while something was held: never. */
	if (__atomic_load_n(&s_retired, __ATOMIC_SEQ_CST) != 0)
		s_broken = 4;
}

static int
stress_lcore(void *arg)
{
	unsigned int me = rte_lcore_id(), i;
	uint64_t rng = (uintptr_t)arg * 7919 + me;
	struct hb_guard_done d[4];

	/* Closed (test_retire_under_load()): nothing gets in any more. */
	for (i = 0; i < STRESS_OPS && !hb_guard_closing(sg); i++) {
		uint64_t r = hb_test_rand(&rng);
		bool write = r % 5 == 0;
		uint32_t slot, gen;
		int rc = hb_guard_enter(sg, write, me, false);

		if (rc == 0) {
			hold(write);
			hb_guard_exit(sg, write, me);
			continue;
		}
		s_refused[me]++;
		if ((r >> 8) % 2 == 0)
			continue;
		rc = hb_guard_queue(sg, write, me, &d[0], &slot, &gen);
		if (rc == -ECANCELED && hb_guard_closing(sg))
			break;
		if (rc != -EINPROGRESS) {
			s_broken = 2;
			break;
		}
		/* Test code may spin on its own lcore's completions. */
		while (hb_guard_poll(me, d, RTE_DIM(d)) == 0)
			rte_pause();
		if (!d[0].granted) {
			/* Only a close cancels. */
			if (!hb_guard_closing(sg))
				s_broken = 5;
			s_cancelled[me]++;
			break;
		}
		if (!hb_guard_holds(sg, write, me)) {
			s_broken = 3;
			break;
		}
		s_granted[me]++;
		hold(write);
		hb_guard_exit(sg, write, me);
	}
	return 0;
}

static void
test_stress_lcores(void **state)
{
	unsigned int i, lc;
	uint64_t granted = 0;

	(void)state;
	if (nwk == 0)
		skip();
	sg = hb_guard_get(SOCKET_ID_ANY);
	assert_non_null(sg);
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_eal_remote_launch(stress_lcore, (void *)(uintptr_t)lc, lc);
	stress_lcore(NULL);
	rte_eal_mp_wait_lcore();
	for (i = 0; i < RTE_MAX_LCORE; i++)
		granted += s_granted[i];
	printf("stress: %u lcores x %u ops, %" PRIu64 " queued and granted\n",
	       nwk + 1, STRESS_OPS, granted);
	assert_int_equal(s_broken, 0);
	assert_int_equal(s_readers + s_writers, 0);
	assert_true(hb_guard_idle(rte_lcore_id()));
	assert_int_equal(hb_guard_retire(sg), 0);
	hb_guard_put(sg);
}

/*
 * Retire while three lcores enter, queue and leave: every attempt fails
 * with nothing changed (still open) or succeeds with nothing held (hold()
 * checks). First with a reader of the main lcore's in (so every attempt
 * must fail), then without; then close: the waiters are cancelled, the
 * lcores stop, and retire succeeds once the last holder is gone (the main
 * lcore tries again after short sleeps, as an application's loop would).
 */
static uint64_t
retire_attempts(uint64_t ticks, bool must_fail, int *rc)
{
	const uint64_t end = rte_get_timer_cycles() + ticks;
	uint64_t n = 0;
	unsigned int i;

	while (rte_get_timer_cycles() < end) {
		*rc = hb_guard_retire(sg);
		n++;
		if (*rc == 0 && !must_fail)
			break;
		assert_int_equal(*rc, -EBUSY);
		assert_false(hb_guard_closing(sg));
		for (i = 0; i < 64; i++)
			rte_pause();
	}
	return n;
}

static void
test_retire_under_load(void **state)
{
	const uint64_t hz = rte_get_timer_hz();
	uint64_t end, tries, granted = 0, cancelled = 0;
	unsigned int me = rte_lcore_id(), i, lc;
	int rc = -EBUSY;

	(void)state;
	if (nwk == 0)
		skip();
	sg = hb_guard_get(SOCKET_ID_ANY);
	assert_non_null(sg);
	__atomic_store_n(&s_retired, 0, __ATOMIC_SEQ_CST);
	memset(s_granted, 0, sizeof(s_granted));
	memset(s_cancelled, 0, sizeof(s_cancelled));
	RTE_LCORE_FOREACH_WORKER(lc)
		rte_eal_remote_launch(stress_lcore, (void *)(uintptr_t)lc, lc);
	/* A reader of ours: entered, or queued and granted. */
	if (hb_guard_enter(sg, false, me, false) != 0) {
		struct hb_guard_done d;
		uint32_t slot, gen;

		assert_int_equal(hb_guard_queue(sg, false, me, &d, &slot, &gen),
				 -EINPROGRESS);
		while (hb_guard_poll(me, &d, 1) == 0)
			rte_pause();
		assert_true(d.granted);
	}
	tries = retire_attempts(hz / 20, true, &rc);
	assert_true(hb_guard_holds(sg, false, me));
	hb_guard_exit(sg, false, me);
	tries += retire_attempts(hz / 20, false, &rc);
	if (rc != 0) {
		hb_guard_close(sg);
		end = rte_get_timer_cycles() + 10 * hz;
		while ((rc = hb_guard_retire(sg)) != 0 &&
		       rte_get_timer_cycles() < end) {
			assert_int_equal(rc, -EBUSY);
			tries++;
			rte_delay_us_sleep(10);
		}
		assert_int_equal(rc, 0);
	}
	__atomic_store_n(&s_retired, 1, __ATOMIC_SEQ_CST);
	rte_eal_mp_wait_lcore();
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		granted += s_granted[i];
		cancelled += s_cancelled[i];
	}
	printf("retire under load: %" PRIu64 " attempts; %" PRIu64
	       " waiters granted, %" PRIu64 " cancelled by the close\n",
	       tries, granted, cancelled);
	assert_int_equal(s_broken, 0);
	assert_int_equal(s_readers + s_writers, 0);
	RTE_LCORE_FOREACH_WORKER(lc)
		assert_true(hb_guard_idle(lc));
	hb_guard_put(sg);
}

int
main(int argc, char **argv)
{
	const char *extra[] = { hb_test_lcores_arg(), NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_share_writer_alone),
		cmocka_unit_test(test_fifo_grants),
		cmocka_unit_test(test_withdraw),
		cmocka_unit_test(test_retire_open),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_retire_grant_running),
		cmocka_unit_test(test_stress_lcores),
		cmocka_unit_test(test_retire_under_load),
	};
	unsigned int lc;
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], extra);
	if (rc != 0)
		return rc;
	RTE_LCORE_FOREACH_WORKER(lc)
		nwk++;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	hb_test_teardown();
	return rc;
}
