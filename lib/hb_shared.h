/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_SHARED_H
#define HB_SHARED_H

/*
 * Library-private: the state of a shared buffer and both sides (readers,
 * writers) of its admission protocol, inline so that a visit on a shared
 * buffer does not call across translation units for it. The protocol, and
 * the pairing of every seq_cst operation below, is described at the top of
 * hb_async.c; everything else about shared buffers (the grant step,
 * requests, teardown) is there.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "hb_async.h"

#define GATE_W (UINT32_C(1) << 31)	/* a writer holds the buffer */
#define GATE_CLOSING (UINT32_C(1) << 30) /* teardown started */
#define GATE_WAITERS (GATE_CLOSING - 1)	/* queued requests */
#define USER_WORDS ((RTE_MAX_LCORE + 63) / 64)

struct hb_rd {
	uint32_t n;
} __rte_cache_aligned;

struct hb_shared {
	/* Read by every visit; written by writers and queuers. */
	uint32_t gate;
	uint64_t users[USER_WORDS];
	struct hb_buf *buf;
	struct rte_ring *wait;
	/* Grant step. */
	uint32_t dlock __rte_cache_aligned;
	uint32_t again;
	uint32_t withdrawn;	/* a request was withdrawn: compact */
	uint32_t bhead;		/* oldest backlog entry */
	uint32_t bn;		/* backlog entries */
	uint64_t backlog[HB_ASYNC_WAIT_RING];
	struct hb_rd rd[RTE_MAX_LCORE];
} __rte_cache_aligned;

/* Run the grant step, or leave a note for its runner (hb_async.c). */
void hb_grant_step(struct hb_shared *sh);

/*
 * Is lcore @id marked in @sh->users? A seq_cst load: seeing the bit (set
 * by a seq_cst RMW earlier in the single total order, and never cleared in
 * the life of the shared state) is as good as setting it, for ordering
 * the mark before the caller's later rd[] increment.
 */
static inline bool
hb_user_marked(struct hb_shared *sh, unsigned int id)
{
	return ((__atomic_load_n(&sh->users[id / 64], __ATOMIC_SEQ_CST) >>
		 (id % 64)) & 1) != 0;
}

/* Mark lcore @id as a possible reader holder (writers check only those). */
static inline void
hb_user_mark(struct hb_shared *sh, unsigned int id)
{
	/*
	 * Ordered before the caller's rd[] increment (see the top comment of
	 * hb_async.c); pairs with the seq_cst load of users in the writers'
	 * readers_present(). Once set, a bit stays for the life of the
	 * shared state, so the load alone suffices on later visits.
	 */
	if (unlikely(!hb_user_marked(sh, id)))
		__atomic_fetch_or(&sh->users[id / 64], UINT64_C(1) << (id % 64),
				  __ATOMIC_SEQ_CST);
}

/*
 * Reader, first step, for lcore @me already marked (hb_user_mark(), or
 * hb_user_marked() seen true): count a reader on lcore @me of the shared
 * state @sh (a visit, or with @call a buffer call that ends before
 * returning) and look at the gate. true: entered. false: a writer holds
 * the buffer or requests are queued; the caller must back off with
 * hb_shared_read_backoff() (never waits).
 */
static inline bool
hb_shared_read_count(struct hb_shared *sh, unsigned int me, bool call)
{
	/*
	 * Dekker, reader side: increment rd[me] THEN load gate, both
	 * seq_cst; pairs with a writer's gate update THEN load of rd[]
	 * (hb_shared_enter() and the grant step in hb_async.c).
	 * A reading call (not a visit: it ends before returning) made while
	 * this lcore already holds a reader needs no gate: no writer can be
	 * in, and it delays nobody. Visits always respect the queue.
	 */
	if (__atomic_fetch_add(&sh->rd[me].n, 1, __ATOMIC_SEQ_CST) != 0 &&
	    call)
		return true;
	return likely(__atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST) == 0);
}

/* Reader, first step: hb_user_mark() then hb_shared_read_count(). */
static inline bool
hb_shared_read_try(struct hb_shared *sh, unsigned int me, bool call)
{
	hb_user_mark(sh, me);
	return hb_shared_read_count(sh, me, call);
}

/*
 * Reader, refused by hb_shared_read_count(): take the count back, and run
 * the grant step in case this transient reader made a grant wait (the seq_cst
 * decrement pairs like a release, see hb_shared_read_exit()).
 */
static inline void
hb_shared_read_backoff(struct hb_shared *sh, unsigned int me)
{
	__atomic_fetch_sub(&sh->rd[me].n, 1, __ATOMIC_SEQ_CST);
	hb_grant_step(sh);
}

/* Both steps: 0 when entered, -EBUSY when refused (never waits). */
static inline int
hb_shared_read_enter(struct hb_shared *sh, unsigned int me, bool call)
{
	if (hb_shared_read_try(sh, me, call))
		return 0;
	hb_shared_read_backoff(sh, me);
	return -EBUSY;
}

/*
 * Give back a reader counted on lcore @id. Decrement rd[id] THEN load gate,
 * both seq_cst; pairs with the grant step counting a queued writer in gate
 * THEN loading rd[]: either it sees this reader gone, or this sees the
 * waiter and runs the grant step. @sh must have been loaded before the
 * decrement: from then on the buffer may be unshared (the state itself is
 * type-stable, see hb_async.c).
 */
static inline void
hb_shared_read_exit(struct hb_shared *sh, unsigned int id)
{
	__atomic_fetch_sub(&sh->rd[id].n, 1, __ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST) != 0))
		hb_grant_step(sh);
}

/*
 * Does lcore @id hold a reader of @sh? (A release check: a visitor that
 * was granted on @id keeps rd[id] non-zero until released.) seq_cst like
 * every access to rd[]; on x86 a plain load.
 */
static inline bool
hb_shared_read_holds(struct hb_shared *sh, unsigned int id)
{
	return __atomic_load_n(&sh->rd[id].n, __ATOMIC_SEQ_CST) != 0;
}

/*
 * Writer side. Does any lcore hold a reader? Dekker, writer side: called
 * after a seq_cst update that made gate non-zero (GATE_W taken by
 * hb_shared_write_gate() or the teardown, or a queued writer counted as a
 * waiter for the grant step); these seq_cst loads of users and rd[] pair
 * with a reader's mark and rd[me] increment THEN gate load
 * (hb_user_mark(), hb_shared_read_count()): either this sees the reader,
 * or the reader sees gate non-zero and backs off.
 */
static inline bool
hb_readers_present(struct hb_shared *sh)
{
	unsigned int i;

	for (i = 0; i < USER_WORDS; i++) {
		uint64_t bits = __atomic_load_n(&sh->users[i], __ATOMIC_SEQ_CST);

		while (bits != 0) {
			unsigned int id = i * 64 + (unsigned int)__builtin_ctzll(bits);

			if (__atomic_load_n(&sh->rd[id].n, __ATOMIC_SEQ_CST) != 0)
				return true;
			bits &= bits - 1;
		}
	}
	return false;
}

/*
 * Writer, first step: move gate from 0 (no writer, no waiter to overtake)
 * to GATE_W, seq_cst; pairs with the readers' rd[me] increment THEN gate
 * load. true: GATE_W is ours; the caller must then check
 * hb_readers_present() and, if any, back off with
 * hb_shared_write_backoff(). false: refused, nothing taken.
 */
static inline bool
hb_shared_write_gate(struct hb_shared *sh)
{
	uint32_t expected = 0;

	return __atomic_compare_exchange_n(&sh->gate, &expected, GATE_W, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * Give back GATE_W, taken by hb_shared_write_gate() or granted: a seq_cst
 * RMW that also reads the waiters; pairs with a queuer's seq_cst count in
 * gate THEN grant step: either the queuer's grant step sees GATE_W gone,
 * or this sees the waiter and runs the grant step.
 */
static inline void
hb_shared_write_exit(struct hb_shared *sh)
{
	uint32_t g = __atomic_fetch_and(&sh->gate, ~GATE_W, __ATOMIC_SEQ_CST);

	if (unlikely((g & ~GATE_W) != 0))
		hb_grant_step(sh);
}

/*
 * Writer that found readers in (hb_readers_present() after taking GATE_W):
 * give GATE_W back and let queued readers in if any.
 */
static inline void
hb_shared_write_backoff(struct hb_shared *sh)
{
	__atomic_fetch_and(&sh->gate, ~GATE_W, __ATOMIC_SEQ_CST);
	hb_grant_step(sh);
}

/* Does a writer hold @sh? (A write visitor's release check.) */
static inline bool
hb_shared_write_holds(struct hb_shared *sh)
{
	return (__atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST) & GATE_W) != 0;
}

#endif /* HB_SHARED_H */
