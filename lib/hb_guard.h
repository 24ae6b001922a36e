/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_GUARD_H
#define HB_GUARD_H

/*
 * Library-private, layer 2 of 7 (guard; docs/guide.md, "Architecture"):
 * the admission protocol of shared buffers, on its own. Includes only the
 * per-lcore layer (hb_lcore.h); knows nothing of bytes, segments or
 * visitors. A guard admits readers (many) and writers (one, exclusive),
 * never waits, and keeps a FIFO of waiters that it grants in order; a
 * waiter is an opaque pointer of its lcore's choosing, and a grant or a
 * cancellation is posted on that lcore's completion ring, to be taken
 * with hb_guard_poll() on that lcore.
 *
 * State of a guard (struct hb_guard):
 *
 *   gate      one word, read by every admission: GATE_W (a writer holds
 *             it) | GATE_CLOSING | number of queued waiters. A reader may
 *             enter only while gate == 0, a writer only by moving it from
 *             0 to GATE_W: nobody jumps ahead of a queued waiter.
 *   rd[i]     readers held through lcore i, one cache line per lcore
 *             (readers entered on lcore i and readers granted to lcore i).
 *   users     bitmap of the lcores whose rd[] may be non-zero, so that a
 *             writer checks only those.
 *   wait      FIFO of waiter descriptors (MP enqueue, SC dequeue: only the
 *             grant step, under dlock, dequeues).
 *   backlog   the older part of the FIFO, owned by the dlock holder: the
 *             grant step moves the ring into it and grants from its head.
 *             There a withdrawn waiter (hb_guard_withdraw()) is dropped at
 *             once, so withdrawn entries never fill the ring while the
 *             head waits.
 *   dlock     try-lock of the grant step; again: "run it once more".
 *
 * Ordering: every operation on gate, rd[], users, dlock and again is
 * sequentially consistent. The reader protocol is Dekker's: a reader
 * increments rd[me] THEN loads gate; a writer sets gate THEN loads rd[].
 * In the single total order of seq_cst operations one of the two comes
 * first and the other sees it, so a reader and a writer can never both
 * enter; the one that sees the other backs off (and runs the grant step,
 * in case its transient presence made a grant wait). Releases pair the
 * same way: a reader decrements rd[] THEN loads gate, the grant step counts
 * a queued writer in gate THEN loads rd[]: either the grant step sees the
 * reader gone, or the reader sees the waiter and runs the grant step.
 *
 * Costs: a reader entering and leaving does two seq_cst RMWs on its own
 * lcore's line and two loads of the read-mostly gate: no line is written by
 * two readers. A writer pays one CAS on gate plus a load of rd[] for each
 * lcore that ever read through this guard (users). Place one guard per
 * object that lcores share; it is about 25 KB (RTE_MAX_LCORE reader lines
 * and the FIFO), taken from a pool at hb_buf_share().
 *
 * Teardown, in two calls. hb_guard_close() sets GATE_CLOSING (for good):
 * from then on no new waiter is taken, and the grant step completes the
 * queued waiters with -ECANCELED instead of granting them. It changes no
 * holder. hb_guard_retire() ends the use of a guard only if nothing is
 * left in it: it takes GATE_W from "no writer, no waiter" (as a writer
 * does, GATE_CLOSING kept) and looks for readers; with a holder or a
 * waiter left it fails and changes nothing (on an open guard it closes it
 * only in the same success). It never needs dlock: with no waiter counted,
 * the ring and the backlog are empty and a grant step has nothing to do,
 * and a grant decided before the close still counts its waiter in gate
 * until after its holder is counted in rd[] or GATE_W (grants_locked()),
 * so the CAS from "no waiter" sees it or retire sees the holder.
 *
 * A visitor released, or a grant step started, just before may still be
 * running on the guard at that moment, so guards are type-stable: they go
 * back to a pool, never to the heap (until hb_guard_fini()), retired
 * (GATE_W | GATE_CLOSING: nobody enters), and are reused only once their
 * dlock can be taken; a late grant step on a recycled guard is harmless
 * (it only acts on what that guard says).
 *
 * Waiters are never referenced from a ring by the caller's pointer: rings
 * carry 64-bit descriptors naming a slot of the waiting lcore's slot table
 * plus the slot's generation. A slot's tag (generation, state) is moved by
 * compare-and-swap: QUEUED -> GRANTED or CANCELLED (the grant step; it
 * cancels on a closing guard) or QUEUED -> FREE with a new generation
 * (hb_guard_withdraw()), so exactly one of them wins and a stale
 * descriptor is recognised and dropped. The owner reads the slot's
 * pointer only after a successful move, and frees the slot before handing
 * the completion out.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "hb_lcore.h"

#define GATE_W (UINT32_C(1) << 31)	/* a writer holds the buffer */
#define GATE_CLOSING (UINT32_C(1) << 30) /* teardown started */
#define GATE_WAITERS (GATE_CLOSING - 1)	/* queued requests */
#define USER_WORDS ((RTE_MAX_LCORE + 63) / 64)

struct hb_guard_rd {
	uint32_t n;
} __rte_cache_aligned;

struct hb_guard {
	/* Read by every visit; written by writers and queuers. */
	uint32_t gate;
	uint64_t users[USER_WORDS];
	struct rte_ring *wait;
	/* Grant step. */
	uint32_t dlock __rte_cache_aligned;
	uint32_t again;
	uint32_t withdrawn;	/* a request was withdrawn: compact */
	uint32_t bhead;		/* oldest backlog entry */
	uint32_t bn;		/* backlog entries */
	uint64_t backlog[HB_ASYNC_WAIT_RING];
	struct hb_guard_rd rd[RTE_MAX_LCORE];
} __rte_cache_aligned;

/* Run the grant step, or leave a note for its runner (hb_guard.c). */
void hb_guard_grant_step(struct hb_guard *g);

/*
 * Is lcore @id marked in @g->users? A seq_cst load: seeing the bit (set
 * by a seq_cst RMW earlier in the single total order, and never cleared in
 * the life of the shared state) is as good as setting it, for ordering
 * the mark before the caller's later rd[] increment.
 */
static inline bool
hb_guard_user_marked(struct hb_guard *g, unsigned int id)
{
	return ((__atomic_load_n(&g->users[id / 64], __ATOMIC_SEQ_CST) >>
		 (id % 64)) & 1) != 0;
}

/* Mark lcore @id as a possible reader holder (writers check only those). */
static inline void
hb_guard_user_mark(struct hb_guard *g, unsigned int id)
{
	/*
	 * Ordered before the caller's rd[] increment (see the top comment of
	 * hb_guard.c); pairs with the seq_cst load of users in the writers'
	 * readers_present(). Once set, a bit stays for the life of the
	 * shared state, so the load alone suffices on later visits.
	 */
	if (unlikely(!hb_guard_user_marked(g, id)))
		__atomic_fetch_or(&g->users[id / 64], UINT64_C(1) << (id % 64),
				  __ATOMIC_SEQ_CST);
}

/*
 * Reader, first step, for lcore @me already marked (hb_guard_user_mark(), or
 * hb_guard_user_marked() seen true): count a reader on lcore @me of the shared
 * state @g (a visit, or with @call a buffer call that ends before
 * returning) and look at the gate. true: entered. false: a writer holds
 * the buffer or requests are queued; the caller must back off with
 * hb_guard_read_backoff() (never waits).
 */
static inline bool
hb_guard_read_count(struct hb_guard *g, unsigned int me, bool call)
{
	/*
	 * Dekker, reader side: increment rd[me] THEN load gate, both
	 * seq_cst; pairs with a writer's gate update THEN load of rd[]
	 * (hb_guard_enter() and the grant step in hb_guard.c).
	 * A reading call (not a visit: it ends before returning) made while
	 * this lcore already holds a reader needs no gate: no writer can be
	 * in, and it delays nobody. Visits always respect the queue.
	 */
	if (__atomic_fetch_add(&g->rd[me].n, 1, __ATOMIC_SEQ_CST) != 0 &&
	    call)
		return true;
	return likely(__atomic_load_n(&g->gate, __ATOMIC_SEQ_CST) == 0);
}

/* Reader, first step: hb_guard_user_mark() then hb_guard_read_count(). */
static inline bool
hb_guard_read_try(struct hb_guard *g, unsigned int me, bool call)
{
	hb_guard_user_mark(g, me);
	return hb_guard_read_count(g, me, call);
}

/*
 * Give back a reader counted on lcore @id. Decrement rd[id] THEN load gate,
 * both seq_cst; pairs with the grant step counting a queued writer in gate
 * THEN loading rd[]: either it sees this reader gone, or this sees the
 * waiter and runs the grant step. Only waiters need it: a writer that took
 * GATE_W meanwhile (GATE_W alone) checks rd[] itself, and a closing bit
 * alone has nothing to cancel. @g must have been loaded before the
 * decrement: from then on the buffer may be unshared (the state itself is
 * type-stable, see hb_guard.c).
 */
static inline void
hb_guard_read_exit(struct hb_guard *g, unsigned int id)
{
	__atomic_fetch_sub(&g->rd[id].n, 1, __ATOMIC_SEQ_CST);
	if (unlikely((__atomic_load_n(&g->gate, __ATOMIC_SEQ_CST) &
		      GATE_WAITERS) != 0))
		hb_guard_grant_step(g);
}

/*
 * Reader, refused by hb_guard_read_count(): take the count back, as a
 * release (hb_guard_read_exit(): the grant step runs if a waiter is
 * counted, in case this transient reader made its grant wait; a waiter
 * counted later is seen by its queuer's grant step, which loads rd[] after
 * the count, so after this decrement).
 */
static inline void
hb_guard_read_backoff(struct hb_guard *g, unsigned int me)
{
	hb_guard_read_exit(g, me);
}

/* Both steps: 0 when entered, -EBUSY when refused (never waits). */
static inline int
hb_guard_read_enter(struct hb_guard *g, unsigned int me, bool call)
{
	if (hb_guard_read_try(g, me, call))
		return 0;
	hb_guard_read_backoff(g, me);
	return -EBUSY;
}

/*
 * Does lcore @id hold a reader of @g? (A release check: a visitor that
 * was granted on @id keeps rd[id] non-zero until released.) seq_cst like
 * every access to rd[]; on x86 a plain load.
 */
static inline bool
hb_guard_read_holds(struct hb_guard *g, unsigned int id)
{
	return __atomic_load_n(&g->rd[id].n, __ATOMIC_SEQ_CST) != 0;
}

/*
 * Writer side. Does any lcore hold a reader? Dekker, writer side: called
 * after a seq_cst update that made gate non-zero (GATE_W taken by
 * hb_guard_write_gate() or hb_guard_retire(), or a queued writer counted
 * as a waiter for the grant step); these seq_cst loads of users and rd[]
 * pair with a reader's mark and rd[me] increment THEN gate load
 * (hb_guard_user_mark(), hb_guard_read_count()): either this sees the
 * reader, or the reader sees gate non-zero and backs off.
 */
static inline bool
hb_guard_readers_present(struct hb_guard *g)
{
	unsigned int i;

	for (i = 0; i < USER_WORDS; i++) {
		uint64_t bits = __atomic_load_n(&g->users[i], __ATOMIC_SEQ_CST);

		while (bits != 0) {
			unsigned int id = i * 64 + (unsigned int)__builtin_ctzll(bits);

			if (__atomic_load_n(&g->rd[id].n, __ATOMIC_SEQ_CST) != 0)
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
 * hb_guard_readers_present() and, if any, back off with
 * hb_guard_write_backoff(). false: refused, nothing taken.
 */
static inline bool
hb_guard_write_gate(struct hb_guard *g)
{
	uint32_t expected = 0;

	return __atomic_compare_exchange_n(&g->gate, &expected, GATE_W, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * Give back GATE_W, taken by hb_guard_write_gate() or granted: a seq_cst
 * RMW that also reads the waiters; pairs with a queuer's seq_cst count in
 * gate THEN grant step: either the queuer's grant step sees GATE_W gone,
 * or this sees the waiter and runs the grant step (none counted: nothing
 * to grant, nor to cancel on a closing guard).
 */
static inline void
hb_guard_write_exit(struct hb_guard *g)
{
	uint32_t gate = __atomic_fetch_and(&g->gate, ~GATE_W, __ATOMIC_SEQ_CST);

	if (unlikely((gate & GATE_WAITERS) != 0))
		hb_guard_grant_step(g);
}

/*
 * Writer that found readers in (hb_guard_readers_present() after taking
 * GATE_W): give GATE_W back, as a writer leaving (hb_guard_write_exit():
 * the waiters that GATE_W held up are granted).
 */
static inline void
hb_guard_write_backoff(struct hb_guard *g)
{
	hb_guard_write_exit(g);
}

/* Does a writer hold @g? (A write visitor's release check.) */
static inline bool
hb_guard_write_holds(struct hb_guard *g)
{
	return (__atomic_load_n(&g->gate, __ATOMIC_SEQ_CST) & GATE_W) != 0;
}


/* ---------------------------------------------------------------------
 * Guards: a type-stable pool (hb_guard.c)
 */

/* Create the pool of guards (hb_init()); 0 or -ENOMEM. */
int hb_guard_init(void);
/* Free the pool and the lcores' slot tables (hb_fini(): no lcore runs). */
void hb_guard_fini(void);
/* Has hb_guard_init() made the pool? */
bool hb_guard_ready(void);
/* A guard from the pool, or a new one on @socket: open, no holder, no
 * waiter; NULL if memory is short. */
struct hb_guard *hb_guard_get(int socket);
/*
 * Start the teardown of @g: set GATE_CLOSING (idempotent); queued waiters
 * complete with -ECANCELED (now, or by the lcore running the grant step
 * before it leaves it), new ones are refused (-ECANCELED from
 * hb_guard_queue()), and nobody enters any more (gate is not 0). Holders
 * are untouched. Any thread.
 */
void hb_guard_close(struct hb_guard *g);

/* Has hb_guard_close() been called on @g? (seq_cst load, any thread) */
static inline bool
hb_guard_closing(const struct hb_guard *g)
{
	return (__atomic_load_n(&g->gate, __ATOMIC_SEQ_CST) &
		GATE_CLOSING) != 0;
}

/*
 * End the use of @g if nothing is left in it: no holder (reader, writer,
 * granted waiter not yet released) and no waiter (on a closing guard, a
 * waiter whose cancellation is still being posted). 0: @g is closed (if it
 * was not) and held exclusively; nobody can enter or queue; give it back
 * with hb_guard_put() once nothing can reach it. -EBUSY: something is
 * left; nothing changed (not closed, no waiter cancelled). Never waits,
 * never needs the grant step's lock.
 */
int hb_guard_retire(struct hb_guard *g);
/* Give back a guard retired by hb_guard_retire(). */
void hb_guard_put(struct hb_guard *g);

/* ---------------------------------------------------------------------
 * Admission, out of line (the slow paths of the layers above)
 */

/*
 * Take @g for a reader counted on lcore @me, or exclusively (@write);
 * @call: for the length of a call only (a reader then enters beside its
 * own lcore's readers even while waiters are queued). Never waits:
 * -EBUSY when a writer holds it or waiters are queued.
 */
int hb_guard_enter(struct hb_guard *g, bool write, unsigned int me,
		   bool call);
/* Give back what hb_guard_enter() (or a grant to lcore @id) took. */
void hb_guard_exit(struct hb_guard *g, bool write, unsigned int id);
/* Does @g hold what a holder of this kind (on lcore @id) took? */
bool hb_guard_holds(struct hb_guard *g, bool write, unsigned int id);

/* ---------------------------------------------------------------------
 * Waiters: queue, withdraw, completions (hb_guard.c)
 */

/*
 * Queue a waiter for @g on lcore @me (the caller's), reader or @write,
 * standing for @arg (opaque). Returns -EINPROGRESS: queued, *@slot and
 * *@gen name it (for hb_guard_withdraw()); its grant or cancellation will
 * come out of hb_guard_poll() on @me. Else nothing is queued: -ECANCELED
 * (@g is closing), -ENOBUFS (@me has HB_ASYNC_LCORE_REQS waiters, or the
 * FIFO is full), -ENOMEM (no slot table for @me).
 */
int hb_guard_queue(struct hb_guard *g, bool write, unsigned int me,
		   void *arg, uint32_t *slot, uint32_t *gen);
/*
 * Withdraw the waiter @slot/@gen of lcore @me (the caller's) standing for
 * @arg. 0: withdrawn, nothing will come out of hb_guard_poll() for it; the
 * caller then tells its guard (if it still has one) with
 * hb_guard_withdrawn(). -EALREADY: granted or cancelled, its completion is
 * on its way. -EINVAL: no such waiter.
 */
int hb_guard_withdraw(unsigned int me, uint32_t slot, uint32_t gen,
		      const void *arg);
/* A waiter of @g was withdrawn: drop its entry from the FIFO now. */
void hb_guard_withdrawn(struct hb_guard *g);

/* A completion taken by hb_guard_poll(). */
struct hb_guard_done {
	void *arg;	/* what the waiter stood for */
	bool granted;	/* true: granted (held); false: cancelled */
};

/*
 * Take up to @max completions of lcore @me (the caller's) into @done; their
 * slots are free again. Returns how many.
 */
unsigned int hb_guard_poll(unsigned int me, struct hb_guard_done *done,
			   unsigned int max);

/* An lcore's waiter slots and completion ring (created on first use). */
struct hb_guard_slot {
	uint64_t tag;	/* generation, state */
	void *arg;
};

struct hb_guard_lcore {
	struct rte_ring *cq;	/* descriptors of completed waiters */
	uint32_t nfree;		/* free slots on the stack */
	uint16_t free[HB_ASYNC_LCORE_REQS];
	struct hb_guard_slot slot[HB_ASYNC_LCORE_REQS];
};

extern struct hb_guard_lcore *hb_guard_lcores[RTE_MAX_LCORE];

/*
 * Has lcore @me (the caller's) nothing queued and nothing to complete? A
 * completion is posted only for a slot in use (moved from QUEUED by the
 * grant step, which a withdrawal or a failed queueing preclude), and the
 * owner frees the slot only after taking the completion off its ring.
 * nfree is the owner's: a plain load.
 */
static inline bool
hb_guard_idle(unsigned int me)
{
	const struct hb_guard_lcore *a = hb_guard_lcores[me];

	return a == NULL || a->nfree == HB_ASYNC_LCORE_REQS;
}

#endif /* HB_GUARD_H */
