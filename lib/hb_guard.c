/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Guards: admission, the FIFO of waiters and its grant step, the lcores'
 * waiter slots and completion rings, and the type-stable pool of guards.
 * The protocol, and the pairing of every seq_cst operation, is described
 * at the top of hb_guard.h.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "hb_guard.h"

/* Descriptor: bit 63 write, bits 48-62 lcore, 32-47 slot, 0-31 generation
 * (never 0, so a descriptor is never 0).
 */
#define DESC_WRITE (UINT64_C(1) << 63)

static inline uint64_t
desc_make(bool write, unsigned int lcore, uint32_t slot, uint32_t gen)
{
	return (write ? DESC_WRITE : 0) | ((uint64_t)lcore << 48) |
	       ((uint64_t)slot << 32) | gen;
}

static inline unsigned int
desc_lcore(uint64_t d)
{
	return (unsigned int)((d >> 48) & 0x7fff);
}

static inline uint32_t
desc_slot(uint64_t d)
{
	return (uint32_t)((d >> 32) & 0xffff);
}

static inline uint32_t
desc_gen(uint64_t d)
{
	return (uint32_t)d;
}

/* Slot tag: generation in the high half, state in the low half. */
enum slot_state {
	SLOT_FREE,
	SLOT_QUEUED,
	SLOT_GRANTED,
	SLOT_CANCELLED,
};

static inline uint64_t
tag_make(uint32_t gen, enum slot_state st)
{
	return ((uint64_t)gen << 32) | (uint32_t)st;
}

struct hb_guard_lcore *hb_guard_lcores[RTE_MAX_LCORE];

static uint32_t hb_ring_seq;
/* Guards given back by hb_guard_put() (MP/MC ring of pointers). */
static struct rte_ring *hb_guard_pool;
#define HB_GUARD_POOL_SIZE 4096

/* ---------------------------------------------------------------------
 * Admission, out of line
 */

int
hb_guard_enter(struct hb_guard *g, bool write, unsigned int me, bool call)
{
	if (write) {
		/* gate from 0 THEN rd[] (hb_guard.h, pairs as described). */
		if (!hb_guard_write_gate(g))
			return -EBUSY;
		if (!hb_guard_readers_present(g))
			return 0;
		/* Readers in: back off; let queued readers in if any. */
		hb_guard_write_backoff(g);
		return -EBUSY;
	}
	/* Reader: rd[me] THEN gate (hb_guard.h, pairs as described). */
	return hb_guard_read_enter(g, me, call);
}

void
hb_guard_exit(struct hb_guard *g, bool write, unsigned int id)
{
	if (write) {
		/* Waiters counted meanwhile: the grant step (hb_guard.h). */
		hb_guard_write_exit(g);
		return;
	}
	/* rd[id] THEN gate (hb_guard.h): pairs with the grant step. */
	hb_guard_read_exit(g, id);
}

bool
hb_guard_holds(struct hb_guard *g, bool write, unsigned int id)
{
	if (g == NULL || id >= RTE_MAX_LCORE)
		return false;
	if (write)
		return hb_guard_write_holds(g);
	return hb_guard_read_holds(g, id);
}

/* ---------------------------------------------------------------------
 * Per-lcore waiter slots and completion rings
 */

static struct hb_guard_lcore *
guard_lcore(unsigned int id, bool create)
{
	struct hb_guard_lcore *a = hb_guard_lcores[id];
	char name[RTE_RING_NAMESIZE];
	uint32_t i;

	if (a != NULL || !create)
		return a;
	a = rte_zmalloc("hb_guard_lcore", sizeof(*a), RTE_CACHE_LINE_SIZE);
	if (a == NULL)
		return NULL;
	snprintf(name, sizeof(name), "hbcq%u_%" PRIu32, id,
		 __atomic_fetch_add(&hb_ring_seq, 1, __ATOMIC_RELAXED));
	/*
	 * MP: grants are posted from any lcore; SC: only the owner polls.
	 * RTS: a poster preempted mid-enqueue (lcores sharing a CPU, non-EAL
	 * threads) does not make the other posters spin for it.
	 */
	a->cq = rte_ring_create_elem(name, sizeof(uint64_t),
				     HB_ASYNC_LCORE_REQS, SOCKET_ID_ANY,
				     RING_F_MP_RTS_ENQ | RING_F_SC_DEQ |
				     RING_F_EXACT_SZ);
	if (a->cq == NULL) {
		rte_free(a);
		return NULL;
	}
	for (i = 0; i < HB_ASYNC_LCORE_REQS; i++) {
		a->free[i] = (uint16_t)(HB_ASYNC_LCORE_REQS - 1 - i);
		a->slot[i].tag = tag_make(1, SLOT_FREE);
	}
	a->nfree = HB_ASYNC_LCORE_REQS;
	/* Published once, read by the grant step of other lcores through
	 * descriptors that are themselves published by the ring (release).
	 */
	__atomic_store_n(&hb_guard_lcores[id], a, __ATOMIC_RELEASE);
	return a;
}

static inline struct hb_guard_slot *
desc_to_slot(uint64_t d)
{
	struct hb_guard_lcore *a = __atomic_load_n(
		&hb_guard_lcores[desc_lcore(d)], __ATOMIC_ACQUIRE);

	return &a->slot[desc_slot(d)];
}

/* Owner only: give a slot back with a new generation. */
static void
slot_free(struct hb_guard_lcore *a, uint32_t idx)
{
	struct hb_guard_slot *s = &a->slot[idx];
	uint32_t gen = (uint32_t)(s->tag >> 32) + 1;

	if (gen == 0)
		gen = 1;
	__atomic_store_n(&s->tag, tag_make(gen, SLOT_FREE), __ATOMIC_SEQ_CST);
	s->arg = NULL;
	a->free[a->nfree++] = (uint16_t)idx;
}

/* Post a completion to the owner; its ring holds as many as it has slots. */
static void
post(uint64_t d)
{
	struct hb_guard_lcore *a = __atomic_load_n(
		&hb_guard_lcores[desc_lcore(d)], __ATOMIC_ACQUIRE);
	int rc = rte_ring_enqueue_elem(a->cq, &d, sizeof(d)); /* RTS */

	RTE_VERIFY(rc == 0);
}

/* Move a slot from QUEUED to @to; false if withdrawn or reused meanwhile. */
static bool
slot_claim(uint64_t d, enum slot_state to)
{
	struct hb_guard_slot *s = desc_to_slot(d);
	uint64_t expected = tag_make(desc_gen(d), SLOT_QUEUED);

	return __atomic_compare_exchange_n(&s->tag, &expected,
					   tag_make(desc_gen(d), to), false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Is the waiter still queued (not withdrawn by hb_guard_withdraw())? */
static bool
slot_queued(uint64_t d)
{
	return __atomic_load_n(&desc_to_slot(d)->tag, __ATOMIC_SEQ_CST) ==
	       tag_make(desc_gen(d), SLOT_QUEUED);
}

/* ---------------------------------------------------------------------
 * The grant step (everything below runs under dlock)
 */

/* One waiter leaves the queue: granted, cancelled or withdrawn. */
static void
waiter_gone(struct hb_guard *g)
{
	__atomic_fetch_sub(&g->gate, 1, __ATOMIC_SEQ_CST);
}

static void
backlog_pop(struct hb_guard *g)
{
	g->bhead = (g->bhead + 1) % HB_ASYNC_WAIT_RING;
	g->bn--;
}

/*
 * Drop the withdrawn waiters from the backlog, keeping the order of the
 * others. Pairs with hb_guard_withdraw(): it moves the slot tag, sets
 * withdrawn, then runs the grant step.
 */
static void
backlog_compact(struct hb_guard *g)
{
	uint32_t i, kept = 0;

	/* The load first: the exchange (an RMW) only when there is a note. */
	if (__atomic_load_n(&g->withdrawn, __ATOMIC_SEQ_CST) == 0 ||
	    __atomic_exchange_n(&g->withdrawn, 0, __ATOMIC_SEQ_CST) == 0)
		return;
	for (i = 0; i < g->bn; i++) {
		uint64_t d = g->backlog[(g->bhead + i) % HB_ASYNC_WAIT_RING];

		if (slot_queued(d))
			g->backlog[(g->bhead + kept++) % HB_ASYNC_WAIT_RING] = d;
		else
			waiter_gone(g);
	}
	g->bn = kept;
}

/* Move what the ring holds into the backlog (withdrawn ones dropped). */
static void
backlog_fill(struct hb_guard *g)
{
	uint64_t burst[32];
	unsigned int n, i;

	while (g->bn < HB_ASYNC_WAIT_RING) {
		n = rte_ring_sc_dequeue_burst_elem(g->wait, burst,
			sizeof(uint64_t),
			RTE_MIN((unsigned int)RTE_DIM(burst),
				HB_ASYNC_WAIT_RING - g->bn), NULL);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (!slot_queued(burst[i])) {
				waiter_gone(g);
				continue;
			}
			g->backlog[(g->bhead + g->bn) % HB_ASYNC_WAIT_RING] =
				burst[i];
			g->bn++;
		}
	}
}

/* One pass: grant the grantable head waiters in FIFO order. */
static void
grants_locked(struct hb_guard *g)
{
	/*
	 * Before reading the ring: pairs with the fence of a queuer that
	 * left the grant step to the writer in (hb_guard_queue()): if that
	 * fence precedes this one in the single total order, this pass sees
	 * the queuer's entry in the ring.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	backlog_compact(g);
	for (;;) {
		uint64_t d;
		uint32_t gate;
		bool write;

		if (g->bn == 0) {
			backlog_fill(g);
			if (g->bn == 0)
				return; /* and the ring was just seen empty */
		}
		d = g->backlog[g->bhead];
		write = (d & DESC_WRITE) != 0;
		/* Pairs with the writers' and readers' seq_cst updates. */
		gate = __atomic_load_n(&g->gate, __ATOMIC_SEQ_CST);
		if (gate & GATE_CLOSING) {
			/* hb_guard_close(): -ECANCELED instead. */
			if (slot_claim(d, SLOT_CANCELLED))
				post(d);
		} else if ((gate & GATE_W) != 0 ||
			   (write && hb_guard_readers_present(g))) {
			if (slot_queued(d))
				break; /* the head waits; so do the others */
			/* Withdrawn: dropped, not waited for. */
		} else if (slot_claim(d, SLOT_GRANTED)) {
			/*
			 * gate still counts this waiter, so no writer can
			 * move it from 0 meanwhile: the grant is safe.
			 */
			if (write) {
				__atomic_fetch_or(&g->gate, GATE_W,
						  __ATOMIC_SEQ_CST);
			} else {
				hb_guard_user_mark(g, desc_lcore(d));
				__atomic_fetch_add(&g->rd[desc_lcore(d)].n, 1,
						   __ATOMIC_SEQ_CST);
			}
			post(d);
		}
		backlog_pop(g);
		waiter_gone(g);
	}
	/* The head waits: leave the ring empty, room for new waiters. */
	backlog_fill(g);
}

/*
 * Run the grant step, or leave a note for the lcore running it. Never
 * waits: the dlock holder re-runs while notes arrive (see the pairing
 * below).
 */
void
hb_guard_grant_step(struct hb_guard *g)
{
	uint32_t unlocked;

	for (;;) {
		/* The note: seen by the holder's load of again below. */
		__atomic_store_n(&g->again, 1, __ATOMIC_SEQ_CST);
		unlocked = 0;
		if (!__atomic_compare_exchange_n(&g->dlock, &unlocked, 1,
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			return; /* the holder will see the note */
		do {
			__atomic_store_n(&g->again, 0, __ATOMIC_SEQ_CST);
			grants_locked(g);
		} while (__atomic_load_n(&g->again, __ATOMIC_SEQ_CST));
		/* seq_cst store: not reordered with the load of again after. */
		__atomic_store_n(&g->dlock, 0, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&g->again, __ATOMIC_SEQ_CST))
			return;
	}
}

/* ---------------------------------------------------------------------
 * The pool of guards, close and retire
 *
 * Not an rte_mempool: a guard taken from the pool must be reused only once
 * its dlock can be taken (a late grant step may still run on it), which a
 * mempool get cannot skip over; and a mempool is sized up front, where
 * guards (each with its per-lcore reader counters, ~25 KB) are made as
 * buffers are shared, and kept only up to HB_GUARD_POOL_SIZE when free.
 */

/* Reset a guard for a new use (dlock held by the caller). */
static void
guard_reset(struct hb_guard *g)
{
	unsigned int i;

	__atomic_store_n(&g->gate, 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < USER_WORDS; i++)
		__atomic_store_n(&g->users[i], 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < RTE_MAX_LCORE; i++)
		__atomic_store_n(&g->rd[i].n, 0, __ATOMIC_SEQ_CST);
	g->bhead = 0;
	g->bn = 0;
	__atomic_store_n(&g->withdrawn, 0, __ATOMIC_SEQ_CST);
}

/* A guard from the pool, or a new one; returned with dlock held. */
static struct hb_guard *
guard_alloc(int socket)
{
	struct hb_guard *g = NULL;
	char name[RTE_RING_NAMESIZE];
	uint32_t unlocked = 0;

	if (rte_ring_mc_dequeue(hb_guard_pool, (void **)&g) == 0) {
		/* A late grant step holds it: leave it for later. */
		if (__atomic_compare_exchange_n(&g->dlock, &unlocked, 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return g;
		if (rte_ring_mp_enqueue(hb_guard_pool, g) != 0)
			HB_LOG(WARNING, "guard pool full: %p kept", g);
	}
	g = rte_zmalloc_socket("hb_guard", sizeof(*g), RTE_CACHE_LINE_SIZE,
			       socket);
	if (g == NULL)
		return NULL;
	snprintf(name, sizeof(name), "hbw%" PRIu32,
		 __atomic_fetch_add(&hb_ring_seq, 1, __ATOMIC_RELAXED));
	/*
	 * MP: any lcore queues; SC: only the grant step dequeues. RTS: no
	 * queuer spins for one preempted mid-enqueue (see the cq above);
	 * that one runs the grant step once its entry is in.
	 */
	g->wait = rte_ring_create_elem(name, sizeof(uint64_t),
				       HB_ASYNC_WAIT_RING, socket,
				       RING_F_MP_RTS_ENQ | RING_F_SC_DEQ |
				       RING_F_EXACT_SZ);
	if (g->wait == NULL) {
		rte_free(g);
		return NULL;
	}
	g->dlock = 1;
	return g;
}

bool
hb_guard_ready(void)
{
	return hb_guard_pool != NULL;
}

struct hb_guard *
hb_guard_get(int socket)
{
	struct hb_guard *g;

	if (hb_guard_pool == NULL)
		return NULL;
	g = guard_alloc(socket);
	if (g == NULL)
		return NULL;
	guard_reset(g);
	__atomic_store_n(&g->dlock, 0, __ATOMIC_SEQ_CST);
	return g;
}

void
hb_guard_put(struct hb_guard *g)
{
	/*
	 * Retired (hb_guard_retire()): gate is GATE_W | GATE_CLOSING, so
	 * nobody enters or queues; no waiter is left, so the backlog and the
	 * ring are empty. dlock is not ours: a late grant step may hold it,
	 * and guard_alloc() reuses a guard only once it can take dlock.
	 * Never freed while lcores run: a full pool keeps it (logged).
	 */
	if (rte_ring_mp_enqueue(hb_guard_pool, g) != 0)
		HB_LOG(WARNING, "guard pool full: %p kept", g);
}

void
hb_guard_close(struct hb_guard *g)
{
	/*
	 * A seq_cst RMW. Pairs with hb_guard_queue()'s count THEN test of
	 * GATE_CLOSING (one RMW): a queuer that comes after this in the
	 * single total order is refused; one before it is counted, enqueues,
	 * then runs the grant step, which cancels it. Pairs with the grant
	 * step's load of gate before each grant (grants_locked()): a grant
	 * step that loads gate after this cancels instead of granting.
	 */
	__atomic_fetch_or(&g->gate, GATE_CLOSING, __ATOMIC_SEQ_CST);
	/*
	 * Complete the queued waiters with -ECANCELED: now, or, if another
	 * lcore holds dlock, by that lcore, which sees the note and runs the
	 * step again before it lets dlock go (hb_guard_grant_step()).
	 */
	hb_guard_grant_step(g);
}

int
hb_guard_retire(struct hb_guard *g)
{
	uint32_t gate = __atomic_load_n(&g->gate, __ATOMIC_SEQ_CST);
	uint32_t expected;

	/*
	 * Waiters counted: on a closing guard their cancellation, and a
	 * withdrawn waiter's removal, are the grant step's to finish. Run it
	 * (or leave a note to its runner) so that what can end now has ended;
	 * what is still counted after it is a waiter that exists.
	 */
	if ((gate & GATE_WAITERS) != 0) {
		hb_guard_grant_step(g);
		gate = __atomic_load_n(&g->gate, __ATOMIC_SEQ_CST);
	}
	/*
	 * Exclusively, from "no writer, no waiter" (GATE_CLOSING kept as it
	 * is) to GATE_W: the writer's admission of hb_guard_write_gate(),
	 * seq_cst, pairing the same way with the readers' rd[me] increment
	 * THEN gate load (Dekker). A failed CAS reloads gate; it can only be
	 * retried while gate moves between 0 and GATE_CLOSING, which happens
	 * once (a concurrent hb_guard_close()).
	 */
	for (;;) {
		if ((gate & ~GATE_CLOSING) != 0)
			return -EBUSY; /* a writer, or waiters queued */
		expected = gate;
		if (__atomic_compare_exchange_n(&g->gate, &expected,
						gate | GATE_W, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
		gate = expected;
	}
	if (hb_guard_readers_present(g)) {
		/* Readers in: give GATE_W back (and grant, as any writer). */
		hb_guard_write_backoff(g);
		return -EBUSY;
	}
	if ((gate & GATE_CLOSING) != 0)
		return 0;
	/*
	 * Open: close it, but only if still no waiter is counted. A CAS, not
	 * an OR: a waiter counted since GATE_W was taken (it queued behind
	 * us) must not be cancelled by a call that then fails. seq_cst,
	 * pairing as hb_guard_close()'s OR with the queuers.
	 */
	expected = GATE_W;
	if (__atomic_compare_exchange_n(&g->gate, &expected,
					GATE_W | GATE_CLOSING, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ||
	    expected == (GATE_W | GATE_CLOSING)) /* closed meanwhile */
		return 0;
	/* Let the waiter in, as any writer leaving (hb_guard_write_exit()). */
	hb_guard_write_exit(g);
	return -EBUSY;
}

int
hb_guard_init(void)
{
	if (hb_guard_pool != NULL)
		return 0;
	hb_guard_pool = rte_ring_create("hb_guard_pool", HB_GUARD_POOL_SIZE,
					SOCKET_ID_ANY, RING_F_EXACT_SZ);
	return hb_guard_pool != NULL ? 0 : -ENOMEM;
}

void
hb_guard_fini(void)
{
	struct hb_guard *g;
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		struct hb_guard_lcore *a = hb_guard_lcores[i];

		if (a == NULL)
			continue;
		if (a->nfree != HB_ASYNC_LCORE_REQS) {
			HB_LOG(ERR, "lcore %u still has %u queued requests", i,
			       HB_ASYNC_LCORE_REQS - a->nfree);
			continue;
		}
		rte_ring_free(a->cq);
		rte_free(a);
		hb_guard_lcores[i] = NULL;
	}
	if (hb_guard_pool == NULL)
		return;
	while (rte_ring_dequeue(hb_guard_pool, (void **)&g) == 0) {
		rte_ring_free(g->wait);
		rte_free(g);
	}
	rte_ring_free(hb_guard_pool);
	hb_guard_pool = NULL;
}

/* ---------------------------------------------------------------------
 * Waiters
 */

int
hb_guard_queue(struct hb_guard *g, bool write, unsigned int me, void *arg,
	       uint32_t *slot, uint32_t *gen)
{
	struct hb_guard_lcore *a;
	uint64_t d;
	uint32_t idx, sgen;

	a = guard_lcore(me, true);
	if (a == NULL)
		return -ENOMEM;
	if (a->nfree == 0)
		return -ENOBUFS;
	idx = a->free[--a->nfree];
	sgen = (uint32_t)(a->slot[idx].tag >> 32);
	a->slot[idx].arg = arg;
	/* The slot's pointer is published by this seq_cst store. */
	__atomic_store_n(&a->slot[idx].tag, tag_make(sgen, SLOT_QUEUED),
			 __ATOMIC_SEQ_CST);
	/* Count the waiter first: from now on nobody overtakes it. */
	if (__atomic_fetch_add(&g->gate, 1, __ATOMIC_SEQ_CST) & GATE_CLOSING) {
		__atomic_fetch_sub(&g->gate, 1, __ATOMIC_SEQ_CST);
		slot_free(a, idx);
		return -ECANCELED;
	}
	d = desc_make(write, me, idx, sgen);
	if (rte_ring_enqueue_elem(g->wait, &d, sizeof(d)) != 0) { /* RTS */
		__atomic_fetch_sub(&g->gate, 1, __ATOMIC_SEQ_CST);
		slot_free(a, idx);
		hb_guard_grant_step(g); /* we may have held up a grant */
		return -ENOBUFS;
	}
	*slot = idx;
	*gen = sgen;
	/*
	 * The grant step after the entry is in: the holder may have left
	 * between the count and the enqueue, its grant step not finding the
	 * entry yet. Not needed while a writer is still in: its exit
	 * (hb_guard_write_exit(): a seq_cst RMW on gate, after this look in
	 * the total order since the look did not see it) sees this waiter
	 * counted and runs the grant step, whose fence follows this one in
	 * the total order, so it sees the entry (grants_locked()). The fence
	 * orders the enqueue before the look at gate.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if ((__atomic_load_n(&g->gate, __ATOMIC_RELAXED) & GATE_W) == 0)
		hb_guard_grant_step(g);
	return -EINPROGRESS;
}

int
hb_guard_withdraw(unsigned int me, uint32_t slot, uint32_t gen,
		  const void *arg)
{
	struct hb_guard_lcore *a = guard_lcore(me, false);
	struct hb_guard_slot *s;
	uint64_t expected;

	if (a == NULL || slot >= HB_ASYNC_LCORE_REQS)
		return -EINVAL;
	s = &a->slot[slot];
	if (s->arg != arg)
		return -EINVAL;
	expected = tag_make(gen, SLOT_QUEUED);
	/* Pairs with slot_claim() in the grant step. */
	if (!__atomic_compare_exchange_n(&s->tag, &expected,
					 tag_make(gen, SLOT_FREE), false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		/* Granted or cancelled: the completion of this waiter comes. */
		return (uint32_t)(expected >> 32) == gen &&
		       (uint32_t)expected != SLOT_FREE ? -EALREADY : -EINVAL;
	/* The descriptor left in the ring is stale now; drop it soon. */
	slot_free(a, slot);
	return 0;
}

void
hb_guard_withdrawn(struct hb_guard *g)
{
	/* Drop its entry now (backlog_compact()): no clogging. */
	__atomic_store_n(&g->withdrawn, 1, __ATOMIC_SEQ_CST);
	hb_guard_grant_step(g);
}

unsigned int
hb_guard_poll(unsigned int me, struct hb_guard_done *done, unsigned int max)
{
	struct hb_guard_lcore *a = hb_guard_lcores[me];
	uint64_t burst[32];
	unsigned int n, i;

	if (a == NULL)
		return 0;
	n = rte_ring_sc_dequeue_burst_elem(a->cq, burst, sizeof(uint64_t),
					   RTE_MIN(max, (unsigned int)RTE_DIM(burst)),
					   NULL);
	for (i = 0; i < n; i++) {
		uint32_t idx = desc_slot(burst[i]);
		struct hb_guard_slot *s = &a->slot[idx];
		uint64_t tag = __atomic_load_n(&s->tag, __ATOMIC_SEQ_CST);

		done[i].arg = s->arg;
		done[i].granted = (uint32_t)tag == SLOT_GRANTED;
		slot_free(a, idx);
	}
	return n;
}
