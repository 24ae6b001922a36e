/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Shared buffers and asynchronous visitor acquisition.
 *
 * State of a shared buffer (struct hb_shared):
 *
 *   gate      one word, read by every visit: GATE_W (a writer holds the
 *             buffer) | number of queued requests. A reader may enter only
 *             while gate == 0, a writer only by moving it from 0 to GATE_W:
 *             nobody jumps ahead of a queued request.
 *   rd[i]     readers held through lcore i, one cache line per lcore
 *             (sync visits of lcore i and async grants to lcore i).
 *   users     bitmap of the lcores whose rd[] may be non-zero, so that a
 *             writer checks only those.
 *   wait      FIFO of request descriptors (MP enqueue, SC dequeue: only the
 *             grant step, under dlock, dequeues).
 *   backlog   the older part of the FIFO, owned by the dlock holder: the
 *             grant step moves the ring into it and grants from its head.
 *             There a withdrawn request (hb_req_cancel()) is dropped at
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
 * Teardown (hb_buf_unshare(), and hb_buf_free()/hb_buf_detach() of a shared
 * buffer) sets GATE_CLOSING: from then on the grant step completes queued
 * requests with -ECANCELED instead of granting them, and no new request is
 * taken. It finishes once no visitor is live. A visitor released just
 * before may still be running the grant step on the shared state at that
 * moment, so the shared state is type-stable: it goes back to a pool, never
 * to the heap (until hb_fini()), and a late grant step on it is harmless
 * (it only acts on what that state says).
 *
 * Requests are never referenced from a ring by the caller's pointer: rings
 * carry 64-bit descriptors naming a slot of the queuing lcore's slot table
 * plus the slot's generation. A slot's tag (generation, state) is moved
 * by compare-and-swap: QUEUED -> GRANTED (grant step), QUEUED -> CANCELLED
 * (teardown) or QUEUED -> FREE with a new generation (hb_req_cancel()), so
 * exactly one of them wins and a stale descriptor is recognised and
 * dropped. The owner reads the caller's struct hb_req only after a
 * successful move, and frees the slot before running the callback.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "hb_async.h"
#include "hb_private.h"
#include "hb_shared.h"

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

struct hb_slot {
	uint64_t tag;
	struct hb_req *req;
};

/* An lcore's request slots and completion ring (created on first use). */
struct hb_async_lcore {
	struct rte_ring *cq;	/* descriptors of completed requests */
	uint32_t nfree;		/* free slots on the stack */
	uint16_t free[HB_ASYNC_LCORE_REQS];
	struct hb_slot slot[HB_ASYNC_LCORE_REQS];
};

static uint32_t hb_ring_seq;
/* Shared states given back by teardowns (MP/MC ring of pointers). */
static struct rte_ring *hb_sh_pool;
#define HB_SH_POOL_SIZE 4096

/* ---------------------------------------------------------------------
 * Reader and writer admission
 */

/*
 * Take @b (shared) for a reader counted on lcore @me, or exclusively; @call:
 * for the length of a buffer call only, not a visit.
 * Never waits: -EBUSY when a writer holds it or requests are queued.
 */
int
hb_shared_enter(struct hb_buf *b, bool write, unsigned int me, bool call)
{
	struct hb_shared *sh = b->sh;

	if (write) {
		/* gate from 0 THEN rd[] (hb_shared.h, pairs as above). */
		if (!hb_shared_write_gate(sh))
			return -EBUSY;
		if (!hb_readers_present(sh))
			return 0;
		/* Readers in: back off; let queued readers in if any. */
		hb_shared_write_backoff(sh);
		return -EBUSY;
	}
	/* Reader: rd[me] THEN gate (hb_shared.h, pairs as described above). */
	return hb_shared_read_enter(sh, me, call);
}

/* Give back what hb_shared_enter() (or a grant to lcore @id) took. */
void
hb_shared_exit(struct hb_buf *b, bool write, unsigned int id)
{
	struct hb_shared *sh = b->sh;

	if (write) {
		/* Waiters counted meanwhile: the grant step (hb_shared.h). */
		hb_shared_write_exit(sh);
		return;
	}
	/* rd[id] THEN gate (hb_shared.h): pairs with the grant step. */
	hb_shared_read_exit(sh, id);
}

/* Does the shared buffer hold what a visitor of this kind took? */
bool
hb_shared_holds(const struct hb_buf *b, bool write, unsigned int id)
{
	struct hb_shared *sh = b->sh;

	if (sh == NULL || id >= RTE_MAX_LCORE)
		return false;
	if (write)
		return hb_shared_write_holds(sh);
	return hb_shared_read_holds(sh, id);
}

/*
 * Does the caller, inside a visit or call on @b (shared), hold it
 * exclusively (so that it may update the buffer's caches)? GATE_W alone
 * does not say so: a writer trying to get in (hb_shared_enter()) or a
 * teardown sets it for a moment while readers are in, and those readers
 * must not take it for theirs. A holding writer never has a reader beside
 * it, and a reader always sees its own count (false, also spuriously for a
 * writer beside a reader backing off: the caches are then just not
 * updated).
 */
bool
hb_shared_writing(const struct hb_buf *b)
{
	struct hb_shared *sh = b->sh;

	return sh != NULL &&
	       (__atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST) & GATE_W) != 0 &&
	       !hb_readers_present(sh);
}

/* ---------------------------------------------------------------------
 * Per-lcore request slots and completion rings
 */

static struct hb_async_lcore *
async_lcore(unsigned int id, bool create)
{
	struct hb_lcore *lc = &hb_lcores[id];
	struct hb_async_lcore *a = lc->async;
	char name[RTE_RING_NAMESIZE];
	uint32_t i;

	if (a != NULL || !create)
		return a;
	a = rte_zmalloc("hb_async_lcore", sizeof(*a), RTE_CACHE_LINE_SIZE);
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
	__atomic_store_n(&lc->async, a, __ATOMIC_RELEASE);
	return a;
}

static inline struct hb_slot *
desc_to_slot(uint64_t d)
{
	struct hb_async_lcore *a = __atomic_load_n(
		&hb_lcores[desc_lcore(d)].async, __ATOMIC_ACQUIRE);

	return &a->slot[desc_slot(d)];
}

/* Owner only: give a slot back with a new generation. */
static void
slot_free(struct hb_async_lcore *a, uint32_t idx)
{
	struct hb_slot *s = &a->slot[idx];
	uint32_t gen = (uint32_t)(s->tag >> 32) + 1;

	if (gen == 0)
		gen = 1;
	__atomic_store_n(&s->tag, tag_make(gen, SLOT_FREE), __ATOMIC_SEQ_CST);
	s->req = NULL;
	a->free[a->nfree++] = (uint16_t)idx;
}

/* Post a completion to the owner; its ring holds as many as it has slots. */
static void
post(uint64_t d)
{
	struct hb_async_lcore *a = __atomic_load_n(
		&hb_lcores[desc_lcore(d)].async, __ATOMIC_ACQUIRE);
	int rc = rte_ring_enqueue_elem(a->cq, &d, sizeof(d)); /* RTS */

	RTE_VERIFY(rc == 0);
}

/* Move a slot from QUEUED to @to; false if cancelled or reused meanwhile. */
static bool
slot_claim(uint64_t d, enum slot_state to)
{
	struct hb_slot *s = desc_to_slot(d);
	uint64_t expected = tag_make(desc_gen(d), SLOT_QUEUED);

	return __atomic_compare_exchange_n(&s->tag, &expected,
					   tag_make(desc_gen(d), to), false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Is the request still queued (not withdrawn by hb_req_cancel())? */
static bool
slot_queued(uint64_t d)
{
	return __atomic_load_n(&desc_to_slot(d)->tag, __ATOMIC_SEQ_CST) ==
	       tag_make(desc_gen(d), SLOT_QUEUED);
}

/* ---------------------------------------------------------------------
 * The grant step (everything below runs under dlock)
 */

/* One request leaves the queue: granted, cancelled or withdrawn. */
static void
waiter_gone(struct hb_shared *sh)
{
	__atomic_fetch_sub(&sh->gate, 1, __ATOMIC_SEQ_CST);
}

static void
backlog_pop(struct hb_shared *sh)
{
	sh->bhead = (sh->bhead + 1) % HB_ASYNC_WAIT_RING;
	sh->bn--;
}

/*
 * Drop the withdrawn requests from the backlog, keeping the order of the
 * others. Pairs with hb_req_cancel(): it moves the slot tag, sets
 * withdrawn, then runs the grant step.
 */
static void
backlog_compact(struct hb_shared *sh)
{
	uint32_t i, kept = 0;

	if (__atomic_exchange_n(&sh->withdrawn, 0, __ATOMIC_SEQ_CST) == 0)
		return;
	for (i = 0; i < sh->bn; i++) {
		uint64_t d = sh->backlog[(sh->bhead + i) % HB_ASYNC_WAIT_RING];

		if (slot_queued(d))
			sh->backlog[(sh->bhead + kept++) % HB_ASYNC_WAIT_RING] = d;
		else
			waiter_gone(sh);
	}
	sh->bn = kept;
}

/* Move what the ring holds into the backlog (withdrawn ones dropped). */
static void
backlog_fill(struct hb_shared *sh)
{
	uint64_t burst[32];
	unsigned int n, i;

	while (sh->bn < HB_ASYNC_WAIT_RING) {
		n = rte_ring_sc_dequeue_burst_elem(sh->wait, burst,
			sizeof(uint64_t),
			RTE_MIN((unsigned int)RTE_DIM(burst),
				HB_ASYNC_WAIT_RING - sh->bn), NULL);
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (!slot_queued(burst[i])) {
				waiter_gone(sh);
				continue;
			}
			sh->backlog[(sh->bhead + sh->bn) % HB_ASYNC_WAIT_RING] =
				burst[i];
			sh->bn++;
		}
	}
}

/* One pass: grant the grantable head requests in FIFO order. */
static void
grants_locked(struct hb_shared *sh)
{
	backlog_compact(sh);
	for (;;) {
		uint64_t d;
		uint32_t g;
		bool write;

		if (sh->bn == 0) {
			backlog_fill(sh);
			if (sh->bn == 0)
				break;
		}
		d = sh->backlog[sh->bhead];
		write = (d & DESC_WRITE) != 0;
		/* Pairs with the writers' and readers' seq_cst updates. */
		g = __atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST);
		if (g & GATE_CLOSING) {
			/* Teardown: complete with -ECANCELED instead. */
			if (slot_claim(d, SLOT_CANCELLED))
				post(d);
		} else if ((g & GATE_W) != 0 || (write && hb_readers_present(sh))) {
			if (slot_queued(d))
				break; /* the head waits; so do the others */
			/* Withdrawn: dropped, not waited for. */
		} else if (slot_claim(d, SLOT_GRANTED)) {
			/*
			 * gate still counts this waiter, so no writer can
			 * move it from 0 meanwhile: the grant is safe.
			 */
			if (write) {
				__atomic_fetch_or(&sh->gate, GATE_W,
						  __ATOMIC_SEQ_CST);
			} else {
				hb_user_mark(sh, desc_lcore(d));
				__atomic_fetch_add(&sh->rd[desc_lcore(d)].n, 1,
						   __ATOMIC_SEQ_CST);
			}
			post(d);
		}
		backlog_pop(sh);
		waiter_gone(sh);
	}
	/* Leave the ring empty, so that it has room for new requests. */
	backlog_fill(sh);
}

/*
 * Run the grant step, or leave a note for the lcore running it. Never
 * waits: the dlock holder re-runs while notes arrive (see the top comment
 * of this file and the pairing below).
 */
void
hb_grant_step(struct hb_shared *sh)
{
	uint32_t unlocked;

	for (;;) {
		/* The note: seen by the holder's load of again below. */
		__atomic_store_n(&sh->again, 1, __ATOMIC_SEQ_CST);
		unlocked = 0;
		if (!__atomic_compare_exchange_n(&sh->dlock, &unlocked, 1,
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			return; /* the holder will see the note */
		do {
			__atomic_store_n(&sh->again, 0, __ATOMIC_SEQ_CST);
			grants_locked(sh);
		} while (__atomic_load_n(&sh->again, __ATOMIC_SEQ_CST));
		/* seq_cst store: not reordered with the load of again after. */
		__atomic_store_n(&sh->dlock, 0, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&sh->again, __ATOMIC_SEQ_CST))
			return;
	}
}

/* ---------------------------------------------------------------------
 * Share and unshare
 */

/* Reset a shared state for a new buffer (dlock held by the caller). */
static void
sh_reset(struct hb_shared *sh, struct hb_buf *b)
{
	unsigned int i;

	__atomic_store_n(&sh->gate, 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < USER_WORDS; i++)
		__atomic_store_n(&sh->users[i], 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < RTE_MAX_LCORE; i++)
		__atomic_store_n(&sh->rd[i].n, 0, __ATOMIC_SEQ_CST);
	sh->bhead = 0;
	sh->bn = 0;
	__atomic_store_n(&sh->withdrawn, 0, __ATOMIC_SEQ_CST);
	sh->buf = b;
}

/* A shared state from the pool, or a new one; returned with dlock held. */
static struct hb_shared *
sh_get(int socket)
{
	struct hb_shared *sh = NULL;
	char name[RTE_RING_NAMESIZE];
	uint32_t unlocked = 0;

	if (rte_ring_mc_dequeue(hb_sh_pool, (void **)&sh) == 0) {
		/* A late grant step holds it: leave it for later. */
		if (__atomic_compare_exchange_n(&sh->dlock, &unlocked, 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return sh;
		if (rte_ring_mp_enqueue(hb_sh_pool, sh) != 0)
			HB_LOG(WARNING, "shared state pool full: %p kept", sh);
	}
	sh = rte_zmalloc_socket("hb_shared", sizeof(*sh), RTE_CACHE_LINE_SIZE,
				socket);
	if (sh == NULL)
		return NULL;
	snprintf(name, sizeof(name), "hbw%" PRIu32,
		 __atomic_fetch_add(&hb_ring_seq, 1, __ATOMIC_RELAXED));
	/*
	 * MP: any lcore queues; SC: only the grant step dequeues. RTS: no
	 * queuer spins for one preempted mid-enqueue (see the cq above);
	 * that one runs the grant step once its entry is in.
	 */
	sh->wait = rte_ring_create_elem(name, sizeof(uint64_t),
					HB_ASYNC_WAIT_RING, socket,
					RING_F_MP_RTS_ENQ | RING_F_SC_DEQ |
					RING_F_EXACT_SZ);
	if (sh->wait == NULL) {
		rte_free(sh);
		return NULL;
	}
	sh->dlock = 1;
	return sh;
}

/* Back to the pool (dlock held by the caller, released here). */
static void
sh_put(struct hb_shared *sh)
{
	sh->buf = NULL;
	sh->bn = 0;
	__atomic_store_n(&sh->gate, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sh->dlock, 0, __ATOMIC_SEQ_CST);
	/* Never freed while lcores run: a full pool keeps it (logged). */
	if (rte_ring_mp_enqueue(hb_sh_pool, sh) != 0)
		HB_LOG(WARNING, "shared state pool full: %p kept", sh);
}

int
hb_async_init(void)
{
	if (hb_sh_pool != NULL)
		return 0;
	hb_sh_pool = rte_ring_create("hb_sh_pool", HB_SH_POOL_SIZE,
				     SOCKET_ID_ANY, RING_F_EXACT_SZ);
	return hb_sh_pool != NULL ? 0 : -ENOMEM;
}

void
hb_async_fini(void)
{
	struct hb_shared *sh;

	if (hb_sh_pool == NULL)
		return;
	while (rte_ring_dequeue(hb_sh_pool, (void **)&sh) == 0) {
		rte_ring_free(sh->wait);
		rte_free(sh);
	}
	rte_ring_free(hb_sh_pool);
	hb_sh_pool = NULL;
}

int
hb_buf_share(struct hb_buf *b)
{
	struct hb_shared *sh;

	if (!hb_buf_magic_ok(b))
		return -EINVAL;
	if (b->state & __HB_GUARD_SHARED)
		return -EALREADY;
	if ((uint32_t)b->state != 0)
		return -EBUSY;
	if (hb_sh_pool == NULL)
		return -EPERM;
	/* Check an adopted chain now: readers never modify the buffer. */
	if (hb_buf_resolve(b) != 0)
		return -EINVAL;
	sh = sh_get(b->mp != NULL ? b->mp->socket_id : SOCKET_ID_ANY);
	if (sh == NULL)
		return -ENOMEM;
	sh_reset(sh, b);
	__atomic_store_n(&sh->dlock, 0, __ATOMIC_SEQ_CST);
	/* Readers cannot build the segment index: do it now (best effort). */
	hb_buf_index(b);
	b->sh = sh;
	/*
	 * Other lcores learn of the buffer through the application (a ring,
	 * a message), which orders these stores before their first access.
	 */
	b->state |= __HB_GUARD_SHARED;
	return 0;
}

/* Complete every queued request with -ECANCELED (dlock held). */
static void
cancel_waiters(struct hb_shared *sh)
{
	do {
		backlog_fill(sh);
		while (sh->bn > 0) {
			uint64_t d = sh->backlog[sh->bhead];

			if (slot_claim(d, SLOT_CANCELLED))
				post(d);
			backlog_pop(sh);
			waiter_gone(sh);
		}
	} while (rte_ring_count(sh->wait) != 0);
}

int
hb_buf_unshare(struct hb_buf *b)
{
	struct hb_shared *sh;
	uint32_t unlocked = 0, g;

	if (!hb_buf_magic_ok(b) || (b->state & __HB_GUARD_SHARED) == 0)
		return -EINVAL;
	sh = b->sh;
	/* Close: no new request; queued ones are cancelled by the grant step. */
	__atomic_fetch_or(&sh->gate, GATE_CLOSING, __ATOMIC_SEQ_CST);
	hb_grant_step(sh);
	if (!__atomic_compare_exchange_n(&sh->dlock, &unlocked, 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return -EBUSY; /* a grant step is running: retry */
	g = __atomic_fetch_or(&sh->gate, GATE_W, __ATOMIC_SEQ_CST);
	if ((g & GATE_W) != 0) {
		__atomic_store_n(&sh->dlock, 0, __ATOMIC_SEQ_CST);
		return -EBUSY; /* a writer is live */
	}
	cancel_waiters(sh);
	if (hb_readers_present(sh) ||
	    (__atomic_load_n(&sh->gate, __ATOMIC_SEQ_CST) & GATE_WAITERS) != 0) {
		/* Live readers, or a request being queued right now. */
		__atomic_fetch_and(&sh->gate, ~GATE_W, __ATOMIC_SEQ_CST);
		__atomic_store_n(&sh->dlock, 0, __ATOMIC_SEQ_CST);
		return -EBUSY;
	}
	b->sh = NULL;
	b->state &= ~(uint64_t)__HB_GUARD_SHARED;
	sh_put(sh);
	return 0;
}

/* ---------------------------------------------------------------------
 * Requests
 */

static void
req_fill(struct hb_req *req, struct hb_buf *b, enum hb_access acc,
	 uint32_t off, uint32_t len, uint32_t grow, hb_visit_cb cb, void *arg,
	 unsigned int lcore)
{
	req->buf = b;
	req->cb = cb;
	req->arg = arg;
	req->off = off;
	req->len = len;
	req->grow = grow;
	req->acc = (uint16_t)acc;
	req->lcore = (uint16_t)lcore;
	req->slot = UINT32_MAX;
	req->gen = 0;
}

/*
 * hb_visit_async() found @b (shared) busy: queue @req (filled in by
 * req_fill() on lcore req->lcore, the caller's).
 */
static int
async_queue(struct hb_req *req)
{
	const bool write = req->acc == HB_ACCESS_WRITE;
	struct hb_buf *b = req->buf;
	unsigned int me = req->lcore;
	struct hb_async_lcore *a;
	struct hb_shared *sh;
	uint64_t d;
	uint32_t idx;

	a = async_lcore(me, true);
	if (a == NULL)
		return -ENOMEM;
	if (a->nfree == 0)
		return -ENOBUFS;
	idx = a->free[--a->nfree];
	req->slot = idx;
	req->gen = (uint32_t)(a->slot[idx].tag >> 32);
	a->slot[idx].req = req;
	/* The request and slot are published by this seq_cst store. */
	__atomic_store_n(&a->slot[idx].tag, tag_make(req->gen, SLOT_QUEUED),
			 __ATOMIC_SEQ_CST);
	sh = b->sh;
	/* Count the waiter first: from now on nobody overtakes it. */
	if (__atomic_fetch_add(&sh->gate, 1, __ATOMIC_SEQ_CST) & GATE_CLOSING) {
		__atomic_fetch_sub(&sh->gate, 1, __ATOMIC_SEQ_CST);
		slot_free(a, idx);
		req->slot = UINT32_MAX;
		return -ECANCELED;
	}
	d = desc_make(write, me, idx, req->gen);
	if (rte_ring_enqueue_elem(sh->wait, &d, sizeof(d)) != 0) { /* RTS */
		__atomic_fetch_sub(&sh->gate, 1, __ATOMIC_SEQ_CST);
		slot_free(a, idx);
		req->slot = UINT32_MAX;
		hb_grant_step(sh); /* we may have held up a grant */
		return -ENOBUFS;
	}
	HB_STAT_ADD(async_queued, 1);
	hb_grant_step(sh);
	return -EINPROGRESS;
}

int
hb_visit_async(struct hb_req *req, struct hb_buf *b, enum hb_access acc,
	       uint32_t off, uint32_t len, uint32_t grow, hb_visit_cb cb,
	       void *arg)
{
	const bool write = acc == HB_ACCESS_WRITE;
	unsigned int me;

	/* Not queued until it is: hb_req_cancel() on a refused one: -EINVAL. */
	if (req != NULL)
		req->slot = UINT32_MAX;
	if (req == NULL || cb == NULL || !hb_buf_magic_ok(b) ||
	    (acc != HB_ACCESS_READ && acc != HB_ACCESS_WRITE) || len == 0 ||
	    (!write && grow != 0))
		return -EINVAL;
	req->v.state = 0;
	if ((uint64_t)off + len > (uint64_t)hb_buf_len(b) + (write ? grow : 0))
		return -ERANGE;
	me = rte_lcore_id();
	if (me >= RTE_MAX_LCORE)
		return -ENOTSUP;
	req_fill(req, b, acc, off, len, grow, cb, arg, me);

	/*
	 * Granted at once if nothing conflicts and nobody waits (the visit
	 * calls' paths, hb_visit.c), else hb_async_refused().
	 */
	return hb_visit_async_now(req, b, off, len, grow, write);
}

int
hb_async_refused(struct hb_req *req, int rc)
{
	if (rc != -EBUSY || (req->buf->state & __HB_GUARD_SHARED) == 0)
		return rc;
	return async_queue(req);
}

struct hb_visitor *
hb_req_visitor(struct hb_req *req)
{
	return req != NULL ? &req->v : NULL;
}

int
hb_req_cancel(struct hb_req *req)
{
	struct hb_async_lcore *a;
	struct hb_shared *sh;
	struct hb_slot *s;
	uint64_t expected;
	unsigned int me = rte_lcore_id();

	if (req == NULL || req->slot >= HB_ASYNC_LCORE_REQS ||
	    req->lcore >= RTE_MAX_LCORE)
		return -EINVAL;
	if (me != req->lcore)
		return -EPERM;
	a = async_lcore(me, false);
	if (a == NULL)
		return -EINVAL;
	s = &a->slot[req->slot];
	if (s->req != req)
		return -EINVAL;
	expected = tag_make(req->gen, SLOT_QUEUED);
	/* Pairs with slot_claim() in the grant step and the teardown. */
	if (!__atomic_compare_exchange_n(&s->tag, &expected,
					 tag_make(req->gen, SLOT_FREE), false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return (uint32_t)expected == SLOT_FREE ? -EINVAL : -EALREADY;
	/* The descriptor left in the ring is stale now; drop it soon. */
	slot_free(a, req->slot);
	req->slot = UINT32_MAX;
	HB_STAT_ADD(async_cancelled, 1);
	sh = __atomic_load_n(&req->buf->sh, __ATOMIC_RELAXED);
	if (sh != NULL) {
		/* Drop its entry now (backlog_compact()): no clogging. */
		__atomic_store_n(&sh->withdrawn, 1, __ATOMIC_SEQ_CST);
		hb_grant_step(sh);
	}
	return 0;
}

/* Deliver a granted request on its lcore: make the view, run the callback. */
static void
deliver(struct hb_req *req)
{
	const bool write = req->acc == HB_ACCESS_WRITE;
	struct hb_buf *b = req->buf;
	int rc;

	rc = hb_visit_map_granted(b, req->off, req->len, req->grow, write,
				  req->lcore, &req->v);
	if (rc != 0)
		hb_shared_exit(b, write, req->lcore);
	HB_STAT_ADD(async_granted, 1);
	req->cb(req, rc, req->arg);
}

/* Complete what the ring of @a (the caller's) holds, at most @max (0: all). */
static __rte_noinline unsigned int
poll_ring(struct hb_async_lcore *a, unsigned int max)
{
	uint64_t burst[32];
	unsigned int done = 0, n, i;

	do {
		unsigned int want = RTE_DIM(burst);

		if (max != 0 && max - done < want)
			want = max - done;
		n = rte_ring_sc_dequeue_burst_elem(a->cq, burst, sizeof(uint64_t),
						   want, NULL);
		for (i = 0; i < n; i++) {
			uint32_t idx = desc_slot(burst[i]);
			struct hb_slot *s = &a->slot[idx];
			uint64_t tag = __atomic_load_n(&s->tag, __ATOMIC_SEQ_CST);
			struct hb_req *req = s->req;

			slot_free(a, idx);
			req->slot = UINT32_MAX;
			if ((uint32_t)tag == SLOT_GRANTED) {
				deliver(req);
			} else {
				HB_STAT_ADD(async_teardown, 1);
				req->cb(req, -ECANCELED, req->arg);
			}
			done++;
		}
	} while (n == RTE_DIM(burst) && (max == 0 || done < max));
	return done;
}

unsigned int
hb_poll(unsigned int max)
{
	struct hb_async_lcore *a;
	unsigned int me = rte_lcore_id();

	if (unlikely(me >= RTE_MAX_LCORE))
		return 0;
	a = hb_lcores[me].async; /* async_lcore(me, false) */
	/*
	 * Nothing queued, nothing to complete: a completion is posted only
	 * for a slot in use (moved from QUEUED by the grant step or the
	 * teardown, which a withdrawal or a failed queueing preclude), and
	 * the owner frees the slot only after taking the completion off its
	 * ring. nfree is the owner's: a plain load.
	 */
	if (likely(a == NULL || a->nfree == HB_ASYNC_LCORE_REQS))
		return 0;
	return poll_ring(a, max);
}

void
hb_async_lcore_free(unsigned int id)
{
	struct hb_async_lcore *a = hb_lcores[id].async;

	if (a == NULL)
		return;
	if (a->nfree != HB_ASYNC_LCORE_REQS) {
		HB_LOG(ERR, "lcore %u still has %u queued requests", id,
		       HB_ASYNC_LCORE_REQS - a->nfree);
		return;
	}
	rte_ring_free(a->cq);
	rte_free(a);
	hb_lcores[id].async = NULL;
}
