/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Multi-lcore stress of shared buffers: four EAL lcores (mapped on at most
 * two CPUs) and one registered non-EAL thread run a seeded random mix of
 * synchronous and asynchronous read and write visits, reading calls, trims,
 * growth and cancellations on one, then three shared buffers, each calling
 * hb_poll() in its loop. Then they drain (every request must complete: a
 * lost grant shows up as a drain that never ends), and the main lcore tears
 * the buffers down (hb_buf_free(), hb_buf_unshare(), hb_buf_detach()) with
 * waiters queued: the call fails and changes nothing (no request cancelled)
 * until hb_buf_close(), then succeeds once the others, polling, have
 * released their visitors.
 *
 * The buffer is an array of REG-byte records. A write visit stamps each
 * record of its run with a per-buffer sequence number, the run, a pattern
 * and a checksum (and the first record with a checksum over the whole run);
 * the checksums are left wrong while the writer holds the visitor and put
 * right just before the release, so a reader let in beside a writer sees
 * them wrong. Readers check every record, that the records of one write
 * seen together agree, that sequence numbers never go back (per lcore and
 * record), and that the bytes under a held reader do not change.
 *
 * FIFO bound: when a writer request X is queued, the test reads the number
 * of operations in flight on the buffer (N, X included), then the number of
 * grants the test has counted on it (G0). In X's callback (granted) the
 * count must be at most G0 + N - 1: only requests queued before X, and
 * visits admitted before X was queued, may be granted before it.
 *
 * Accounting: issued = immediate + queued + refused at once, and queued =
 * granted + -ECANCELED + withdrawn + failed at delivery (-ERANGE, -ENOMEM);
 * every request completes once; the counters agree with hb_stats; the pool
 * is back at its baseline.
 *
 * Seeded: the seed is printed, HB_TEST_SEED=<seed> replays the choices (not
 * the interleavings). HB_STRESS_SECONDS sets the random phase per test.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "hb_test.h"

/* Records. */
#define REG 100u
#define O_SEQ 0
#define O_FIRST 8
#define O_COUNT 10
#define O_IDX 12
#define O_WRITER 14
#define O_RUNSUM 16
#define O_SUM 20
#define O_PAY 24
#define TORN UINT32_C(0x5eadbeef)

#define MAX_BUFS 3
#define INIT_REGS 80u
#define MIN_REGS 40u
#define MAX_REGS 200u
#define MAX_RUN 6u
#define HARD_REGS (MAX_REGS + 2 * MAX_RUN)

#define NPART 5		/* 4 EAL lcores and 1 registered thread */
#define NREQ 24		/* requests per participant */
#define NSYNC 8		/* synchronous visitors per participant */
#define MAX_HOLD 3	/* iterations a visitor may be held */

/* Segments of 384 bytes (after the headroom): many records span. */
#define ROOM (RTE_PKTMBUF_HEADROOM + 384)

enum phase {
	PH_RUN,
	PH_DRAIN,
	PH_TD_READ,	/* everyone takes a reader on each buffer */
	PH_TD_QUEUE,	/* everyone queues a writer and readers behind it */
	PH_TD_CLOSE,	/* main tears down; the others release and poll */
	PH_DONE,
	PH_COUNT
};

enum rq_state { RQ_FREE, RQ_QUEUED, RQ_HELD };

struct part;

struct preq {
	struct hb_req req;
	struct part *p;
	enum rq_state st;
	bool pending;	/* queued, not completed: completes exactly once */
	bool final;	/* queued in the teardown: must end -ECANCELED */
	bool write;
	unsigned int buf;
	uint32_t first, count;
	uint64_t q_inflight; /* operations in flight on the buffer at queue */
	uint64_t q_grants;   /* grants counted on the buffer at queue */
	uint64_t q_iter;     /* iteration it was queued at */
};

/* A held visitor. */
struct hold {
	bool used;
	bool write;
	bool td;	      /* teardown reader */
	struct preq *rq;      /* async, or NULL */
	struct hb_visitor sv; /* sync visitor */
	struct hb_visitor *v;
	unsigned int buf;
	uint32_t first, count;
	uint32_t hash;	      /* of the view, readers */
	uint64_t until;	      /* iteration of the release */
};

struct counts {
	uint64_t issued, immediate, queued, refused_range, refused_nomem,
		refused_nobufs;
	uint64_t granted, cb_canceled, cb_range, cb_nomem, withdrawn,
		cancel_late;
	uint64_t sync_rd, sync_wr, sync_busy, sync_fail, grows, trims,
		calls_ok, calls_busy;
	uint64_t writer_waits, writer_wait_max, writer_wait_sum;
	uint64_t held_calls;
};

struct part {
	unsigned int id;
	unsigned int lcore;
	uint64_t rng;
	uint64_t iter;
	uint64_t run_iter;	  /* iterations of the random phase */
	unsigned int outstanding; /* queued requests not completed */
	uint64_t nobufs_until;	  /* no async requests before */
	bool acked[PH_COUNT];
	struct preq rq[NREQ];
	struct hold hold[NREQ + NSYNC + MAX_BUFS];
	struct counts c;
	uint64_t last_seen[MAX_BUFS][HARD_REGS];
	uint8_t scratch[MAX_RUN * REG];
	uint8_t scratch2[MAX_RUN * REG];
} __rte_cache_aligned;

/* Per-buffer counters shared by the participants. */
struct bufctl {
	struct hb_buf b;
	uint64_t wseq __rte_cache_aligned; /* last write sequence number */
	uint64_t grants __rte_cache_aligned; /* grants counted by the test */
	uint64_t inflight __rte_cache_aligned; /* operations in flight */
	uint32_t closing;	/* set just before hb_buf_close() */
};

static struct rte_mempool *pool;
static struct part parts[NPART];
static struct bufctl bufs[MAX_BUFS];
static unsigned int nbufs;
static uint64_t seed;
static double run_seconds = 4.0;

static int phase;
static unsigned int acks[PH_COUNT];
static int abort_flag;
static int fail_once;
static char fail_text[512];

static void
fail_note(struct part *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (__atomic_exchange_n(&fail_once, 1, __ATOMIC_SEQ_CST) == 0) {
		n = snprintf(fail_text, sizeof(fail_text),
			     "participant %u (lcore %u) iter %" PRIu64 ": ",
			     p != NULL ? p->id : 0, p != NULL ? p->lcore : 0,
			     p != NULL ? p->iter : 0);
		va_start(ap, fmt);
		vsnprintf(fail_text + n, sizeof(fail_text) - (size_t)n, fmt,
			  ap);
		va_end(ap);
	}
	__atomic_store_n(&abort_flag, 1, __ATOMIC_SEQ_CST);
}

#define CHECK(p, cond, ...)                                                    \
	do {                                                                   \
		if (unlikely(!(cond)))                                         \
			fail_note((p), __VA_ARGS__);                           \
	} while (0)

static bool
aborted(void)
{
	return __atomic_load_n(&abort_flag, __ATOMIC_RELAXED) != 0;
}

static int
phase_now(void)
{
	return __atomic_load_n(&phase, __ATOMIC_SEQ_CST);
}

static void
ack(struct part *p, int ph)
{
	if (!p->acked[ph]) {
		p->acked[ph] = true;
		__atomic_fetch_add(&acks[ph], 1, __ATOMIC_SEQ_CST);
	}
}

static unsigned int
rnd(struct part *p, unsigned int n)
{
	return (unsigned int)(hb_test_rand(&p->rng) % n);
}

/* ---------------------------------------------------------------------
 * Records
 */

static uint32_t
fnv(const uint8_t *d, size_t n, uint32_t h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= d[i];
		h *= UINT32_C(16777619);
	}
	return h;
}

static uint32_t
rec_sum(const uint8_t *r)
{
	uint32_t h = fnv(r, O_SUM, UINT32_C(2166136261));

	return fnv(r + O_PAY, REG - O_PAY, h);
}

static uint8_t
pay_byte(uint64_t seq, uint32_t idx, uint32_t i)
{
	return (uint8_t)(seq * 0x9e37u + idx * 31u + i * 7u + (seq >> 8));
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static uint16_t
get16(const uint8_t *p)
{
	uint16_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/*
 * Stamp records [first, first + count) at @d with @seq; the checksums are
 * left wrong (torn) until rec_seal().
 */
static void
rec_stamp(uint8_t *d, uint32_t first, uint32_t count, uint64_t seq,
	  uint16_t writer)
{
	uint32_t k, i, run = UINT32_C(2166136261);
	uint16_t f = (uint16_t)first, c = (uint16_t)count;

	for (k = 0; k < count; k++) {
		uint8_t *r = d + k * REG;
		uint16_t idx = (uint16_t)(first + k);
		uint32_t zero = 0, sum;

		memcpy(r + O_SEQ, &seq, 8);
		memcpy(r + O_FIRST, &f, 2);
		memcpy(r + O_COUNT, &c, 2);
		memcpy(r + O_IDX, &idx, 2);
		memcpy(r + O_WRITER, &writer, 2);
		memcpy(r + O_RUNSUM, &zero, 4);
		for (i = 0; i < REG - O_PAY; i++)
			r[O_PAY + i] = pay_byte(seq, idx, i);
		run = fnv(r + O_PAY, REG - O_PAY, run);
		sum = rec_sum(r) ^ TORN;
		memcpy(r + O_SUM, &sum, 4);
	}
	/* The run checksum lives in the first record (covered by its sum). */
	{
		uint32_t sum;

		memcpy(d + O_RUNSUM, &run, 4);
		sum = rec_sum(d) ^ TORN;
		memcpy(d + O_SUM, &sum, 4);
	}
}

/* Put the checksums right: the write is complete. */
static void
rec_seal(uint8_t *d, uint32_t count)
{
	uint32_t k;

	for (k = 0; k < count; k++) {
		uint8_t *r = d + k * REG;
		uint32_t sum = get32(r + O_SUM) ^ TORN;

		memcpy(r + O_SUM, &sum, 4);
	}
}

/*
 * Check records [first, first + count) seen at @d by @p on buffer @bi.
 * Returns NULL or what is wrong.
 */
static const char *
rec_check(struct part *p, unsigned int bi, const uint8_t *d, uint32_t first,
	  uint32_t count, char *why, size_t whylen)
{
	uint32_t k, j, i;

	for (k = 0; k < count; k++) {
		const uint8_t *r = d + k * REG;
		uint64_t seq = get64(r + O_SEQ);
		uint32_t wf = get16(r + O_FIRST), wc = get16(r + O_COUNT);
		uint32_t idx = get16(r + O_IDX);

		if (get32(r + O_SUM) != rec_sum(r)) {
			snprintf(why, whylen,
				 "record %u: checksum %#x, expected %#x (torn "
				 "or half-written, seq %" PRIu64 ", writer %u)",
				 first + k, get32(r + O_SUM), rec_sum(r), seq,
				 get16(r + O_WRITER));
			return why;
		}
		if (idx != first + k || idx >= HARD_REGS || seq == 0 ||
		    wc == 0 || idx < wf || idx >= wf + wc) {
			snprintf(why, whylen,
				 "record %u: header idx %u seq %" PRIu64
				 " run [%u, +%u)", first + k, idx, seq, wf, wc);
			return why;
		}
		for (i = 0; i < REG - O_PAY; i++)
			if (r[O_PAY + i] != pay_byte(seq, idx, i)) {
				snprintf(why, whylen,
					 "record %u: payload byte %u", idx, i);
				return why;
			}
		if (seq < p->last_seen[bi][idx]) {
			snprintf(why, whylen,
				 "record %u: sequence went back from %" PRIu64
				 " to %" PRIu64, idx, p->last_seen[bi][idx],
				 seq);
			return why;
		}
		p->last_seen[bi][idx] = seq;
	}
	/* Records of one write seen together agree; newer ones may cover. */
	for (k = 0; k < count; k++) {
		const uint8_t *r = d + k * REG;
		uint64_t seq = get64(r + O_SEQ);
		uint32_t wf = get16(r + O_FIRST), wc = get16(r + O_COUNT);
		uint32_t lo = RTE_MAX(wf, first), hi = RTE_MIN(wf + wc,
							      first + count);
		bool whole = wf >= first && wf + wc <= first + count;

		for (j = lo; j < hi; j++) {
			const uint8_t *o = d + (j - first) * REG;
			uint64_t s2 = get64(o + O_SEQ);

			if (s2 < seq) {
				snprintf(why, whylen,
					 "write %" PRIu64 " [%u, +%u) seen at "
					 "record %u but record %u has older %"
					 PRIu64, seq, wf, wc, first + k, j, s2);
				return why;
			}
			if (s2 == seq && (get16(o + O_FIRST) != wf ||
					  get16(o + O_COUNT) != wc)) {
				snprintf(why, whylen,
					 "write %" PRIu64 ": runs disagree",
					 seq);
				return why;
			}
			if (s2 != seq)
				whole = false;
		}
		if (whole && wf == first + k) {
			uint32_t run = UINT32_C(2166136261);

			for (j = 0; j < wc; j++)
				run = fnv(d + (wf - first + j) * REG + O_PAY,
					  REG - O_PAY, run);
			if (run != get32(r + O_RUNSUM)) {
				snprintf(why, whylen,
					 "write %" PRIu64 " [%u, +%u): run "
					 "checksum", seq, wf, wc);
				return why;
			}
		}
	}
	return NULL;
}

static void
check_view(struct part *p, unsigned int bi, const uint8_t *d, uint32_t first,
	   uint32_t count, const char *what)
{
	char why[256];
	const char *w = rec_check(p, bi, d, first, count, why, sizeof(why));

	CHECK(p, w == NULL, "%s on buffer %u [%u, +%u): %s", what, bi, first,
	      count, w);
}

/* ---------------------------------------------------------------------
 * Counted operations (FIFO bound bookkeeping)
 */

static void
op_begin(unsigned int bi)
{
	__atomic_fetch_add(&bufs[bi].inflight, 1, __ATOMIC_SEQ_CST);
}

/* A grant: counted before the operation leaves the in-flight set. */
static void
op_granted(unsigned int bi)
{
	__atomic_fetch_add(&bufs[bi].grants, 1, __ATOMIC_SEQ_CST);
}

static void
op_end(unsigned int bi)
{
	__atomic_fetch_sub(&bufs[bi].inflight, 1, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------------
 * Holding and releasing visitors
 */

static struct hold *
hold_get(struct part *p)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(p->hold); i++)
		if (!p->hold[i].used) {
			memset(&p->hold[i], 0, sizeof(p->hold[i]));
			p->hold[i].used = true;
			return &p->hold[i];
		}
	return NULL;
}

static void
hold_release(struct part *p, struct hold *h)
{
	struct hb_visitor *v = h->v;
	int rc;

	if (h->write) {
		rec_seal(v->ptr, h->count);
	} else {
		/* Nobody wrote meanwhile: the view and the buffer agree. */
		CHECK(p, fnv(v->ptr, v->len, 1) == h->hash,
		      "buffer %u [%u, +%u): bytes changed under a reader",
		      h->buf, h->first, h->count);
		/* No calls on a buffer being torn down (hb_async.h). */
		rc = h->td ? -1 : hb_buf_read(&bufs[h->buf].b, v->off,
					      p->scratch2, v->len);
		CHECK(p, rc == 0 || h->td,
		      "reading call while holding a reader: %d", rc);
		if (rc == 0) {
			CHECK(p, memcmp(p->scratch2, v->ptr, v->len) == 0,
			      "buffer %u [%u, +%u): buffer differs from a held "
			      "view", h->buf, h->first, h->count);
			p->c.held_calls++;
		}
	}
	rc = hb_visit_release(v);
	CHECK(p, rc == 0, "release: %d", rc);
	if (h->rq != NULL)
		h->rq->st = RQ_FREE;
	h->used = false;
}

enum hold_mode { HOLD_NO, HOLD_MAYBE, HOLD_TD };

/* A visitor was granted (sync, at once, or in a callback): use it. */
static void
on_visitor(struct part *p, struct hb_visitor *v, struct preq *rq,
	   struct hold *h, unsigned int bi, bool write, uint32_t first,
	   uint32_t count, enum hold_mode mode)
{
	CHECK(p, hb_visitor_is_live(v), "granted visitor not live");
	CHECK(p, v->off == first * REG && v->len == count * REG,
	      "visitor range [%u, +%u), asked [%u, +%u)", v->off, v->len,
	      first * REG, count * REG);
	h->rq = rq;
	h->v = v;
	h->buf = bi;
	h->write = write;
	h->first = first;
	h->count = count;
	if (write) {
		uint64_t seq = __atomic_add_fetch(&bufs[bi].wseq, 1,
						  __ATOMIC_SEQ_CST);

		rec_stamp(v->ptr, first, count, seq, (uint16_t)p->id);
	} else {
		check_view(p, bi, v->ptr, first, count, "reader");
		h->hash = fnv(v->ptr, v->len, 1);
	}
	if (rq != NULL)
		rq->st = RQ_HELD;
	if (mode == HOLD_TD) {
		/* Released in the teardown (td_release_later()). */
		h->td = true;
		h->until = UINT64_MAX;
		return;
	}
	if (mode == HOLD_MAYBE && rnd(p, 2) == 0) {
		h->until = p->iter + 1 + rnd(p, MAX_HOLD);
		return;
	}
	hold_release(p, h);
}

/* Release what is due (everything if @all); teardown readers too if @td. */
static void
release_due(struct part *p, bool all, bool td)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(p->hold); i++) {
		struct hold *h = &p->hold[i];

		if (!h->used || (h->td && !td))
			continue;
		if (all || h->until <= p->iter)
			hold_release(p, h);
	}
}

static unsigned int
held_count(const struct part *p)
{
	unsigned int i, n = 0;

	for (i = 0; i < RTE_DIM(p->hold); i++)
		n += p->hold[i].used;
	return n;
}

/* ---------------------------------------------------------------------
 * Asynchronous requests
 */

static void
on_done(struct hb_req *req, int status, void *arg)
{
	struct preq *rq = arg;
	struct part *p = rq->p;
	struct bufctl *bc = &bufs[rq->buf];
	struct hb_visitor *v = hb_req_visitor(req);
	struct hold *h;

	CHECK(p, req == &rq->req, "callback for another request");
	CHECK(p, rte_lcore_id() == p->lcore,
	      "callback on lcore %u, queued on %u", rte_lcore_id(), p->lcore);
	CHECK(p, rq->pending && rq->st == RQ_QUEUED,
	      "request completed twice (status %d, state %d)", status, rq->st);
	rq->pending = false;
	p->outstanding--;
	if (rq->final)
		CHECK(p, status == -ECANCELED,
		      "teardown request ended with %d", status);
	switch (status) {
	case 0:
		if (rq->write && phase_now() == PH_RUN) {
			uint64_t g1 = __atomic_load_n(&bc->grants,
						      __ATOMIC_SEQ_CST);
			uint64_t w = g1 - rq->q_grants;

			CHECK(p, w + 1 <= rq->q_inflight,
			      "FIFO: writer on buffer %u waited %" PRIu64
			      " grants, at most %" PRIu64 " were ahead of it",
			      rq->buf, w, rq->q_inflight - 1);
			p->c.writer_waits++;
			p->c.writer_wait_sum += w;
			if (w > p->c.writer_wait_max)
				p->c.writer_wait_max = w;
		}
		op_granted(rq->buf);
		op_end(rq->buf);
		p->c.granted++;
		h = hold_get(p);
		CHECK(p, h != NULL, "no hold slot");
		if (h == NULL)
			break;
		on_visitor(p, v, rq, h, rq->buf, rq->write, rq->first,
			   rq->count, phase_now() == PH_RUN ? HOLD_MAYBE :
							      HOLD_NO);
		return;
	case -ECANCELED:
		/* Only hb_buf_close() cancels (the failed teardowns never). */
		CHECK(p, __atomic_load_n(&bc->closing, __ATOMIC_SEQ_CST),
		      "-ECANCELED before hb_buf_close()");
		p->c.cb_canceled++;
		break;
	case -ERANGE:
		p->c.cb_range++;
		break;
	case -ENOMEM:
		p->c.cb_nomem++;
		break;
	default:
		CHECK(p, false, "callback status %d", status);
		break;
	}
	CHECK(p, !hb_visitor_is_live(v), "status %d with a live visitor",
	      status);
	op_end(rq->buf);
	rq->st = RQ_FREE;
}

static struct preq *
req_free(struct part *p)
{
	unsigned int i, s = rnd(p, NREQ);

	for (i = 0; i < NREQ; i++) {
		struct preq *rq = &p->rq[(s + i) % NREQ];

		if (rq->st == RQ_FREE)
			return rq;
	}
	return NULL;
}

/* Issue one request; true if it was queued. */
static bool
req_issue(struct part *p, struct preq *rq, unsigned int bi, bool write,
	  uint32_t first, uint32_t count, uint32_t grow)
{
	struct bufctl *bc = &bufs[bi];
	struct hold *h;
	int rc;

	rq->p = p;
	rq->buf = bi;
	rq->write = write;
	rq->first = first;
	rq->count = count;
	rq->final = false;
	p->c.issued++;
	op_begin(bi);
	rc = hb_visit_async(&rq->req, &bc->b,
			    write ? HB_ACCESS_WRITE : HB_ACCESS_READ,
			    first * REG, count * REG, grow, on_done, rq);
	switch (rc) {
	case 0:
		op_granted(bi);
		op_end(bi);
		p->c.immediate++;
		h = hold_get(p);
		CHECK(p, h != NULL, "no hold slot");
		if (h == NULL)
			return false;
		rq->st = RQ_HELD;
		on_visitor(p, hb_req_visitor(&rq->req), rq, h, bi, write,
			   first, count, phase_now() == PH_RUN ? HOLD_MAYBE :
								 HOLD_NO);
		return false;
	case -EINPROGRESS:
		/* In flight first, then grants: see the top comment. */
		rq->q_inflight = __atomic_load_n(&bc->inflight,
						 __ATOMIC_SEQ_CST);
		rq->q_grants = __atomic_load_n(&bc->grants, __ATOMIC_SEQ_CST);
		rq->st = RQ_QUEUED;
		rq->q_iter = p->iter;
		rq->pending = true;
		p->outstanding++;
		p->c.queued++;
		CHECK(p, !hb_visitor_is_live(hb_req_visitor(&rq->req)),
		      "queued request with a live visitor");
		return true;
	case -ERANGE:
		p->c.refused_range++;
		break;
	case -ENOMEM:
		p->c.refused_nomem++;
		break;
	case -ENOBUFS:
		/*
		 * Withdrawn requests keep their ring entry until drained: the
		 * ring fills while its head waits. Back off for a while.
		 */
		p->c.refused_nobufs++;
		p->nobufs_until = p->iter + 256;
		break;
	default:
		CHECK(p, false, "hb_visit_async: %d", rc);
		break;
	}
	op_end(bi);
	return false;
}

/* Withdraw a request queued at least @age iterations ago (a time-out). */
static void
req_cancel_one(struct part *p, uint64_t age)
{
	unsigned int i, s = rnd(p, NREQ);
	int rc;

	for (i = 0; i < NREQ; i++) {
		struct preq *rq = &p->rq[(s + i) % NREQ];

		if (rq->st != RQ_QUEUED || p->iter - rq->q_iter < age)
			continue;
		rc = hb_req_cancel(&rq->req);
		if (rc == 0) {
			CHECK(p, rq->pending, "withdrew a completed request");
			rq->pending = false;
			rq->st = RQ_FREE;
			p->outstanding--;
			p->c.withdrawn++;
			op_end(rq->buf);
		} else {
			CHECK(p, rc == -EALREADY, "hb_req_cancel: %d", rc);
			p->c.cancel_late++;
		}
		return;
	}
}

/* ---------------------------------------------------------------------
 * The random mix
 */

/* A run of records of buffer @bi (false if the buffer is too short). */
static bool
pick_run(struct part *p, unsigned int bi, uint32_t *first, uint32_t *count,
	 uint32_t *nreg)
{
	uint32_t n = hb_buf_len(&bufs[bi].b) / REG;

	*nreg = n;
	if (n == 0)
		return false;
	*count = 1 + rnd(p, MAX_RUN);
	if (*count > n)
		*count = n;
	*first = rnd(p, n - *count + 1);
	return true;
}

/* A write run reaching past the end (growth), from the length now. */
static bool
pick_grow(struct part *p, unsigned int bi, uint32_t *first, uint32_t *count,
	  uint32_t *grow)
{
	uint32_t n = hb_buf_len(&bufs[bi].b) / REG;

	if (n >= MAX_REGS || n < 2)
		return false;
	*count = 1 + rnd(p, MAX_RUN);
	*first = n - 1 - rnd(p, 2);
	if (*first + *count <= n)
		*count = n - *first + 1;
	*grow = (*first + *count - n) * REG;
	return true;
}

static void
sync_visit(struct part *p, unsigned int bi, bool write, bool grow)
{
	uint32_t first, count, nreg, g = 0;
	struct hold *h;
	int rc;

	if (grow) {
		if (!pick_grow(p, bi, &first, &count, &g))
			return;
	} else if (!pick_run(p, bi, &first, &count, &nreg)) {
		return;
	}
	h = hold_get(p);
	if (h == NULL)
		return;
	op_begin(bi);
	if (write)
		rc = hb_visit_write(&bufs[bi].b, first * REG, count * REG, g,
				    &h->sv);
	else
		rc = hb_visit_read(&bufs[bi].b, first * REG, count * REG,
				   &h->sv);
	if (rc == 0) {
		op_granted(bi);
		op_end(bi);
		if (write)
			p->c.sync_wr++;
		else
			p->c.sync_rd++;
		if (g != 0)
			p->c.grows++;
		on_visitor(p, &h->sv, NULL, h, bi, write, first, count,
			   HOLD_MAYBE);
		return;
	}
	op_end(bi);
	h->used = false;
	CHECK(p, !hb_visitor_is_live(&h->sv), "refused visitor is live");
	if (rc == -EBUSY)
		p->c.sync_busy++;
	else if (rc == -ERANGE || rc == -ENOMEM)
		p->c.sync_fail++;
	else
		CHECK(p, false, "sync %s visit: %d", write ? "write" : "read",
		      rc);
}

static void
random_op(struct part *p)
{
	unsigned int bi = rnd(p, nbufs), r = rnd(p, 100);
	uint32_t first, count, nreg, grow = 0;
	struct preq *rq;
	int rc;

	if (r < 40 && p->iter < p->nobufs_until)
		r += 40; /* backing off after -ENOBUFS: sync visits instead */
	if (r < 25) { /* async read */
		rq = req_free(p);
		if (rq != NULL && pick_run(p, bi, &first, &count, &nreg))
			req_issue(p, rq, bi, false, first, count, 0);
	} else if (r < 40) { /* async write, sometimes growing */
		rq = req_free(p);
		if (rq == NULL)
			return;
		if (rnd(p, 5) == 0 && pick_grow(p, bi, &first, &count,
						 &grow)) {
			p->c.grows++;
			req_issue(p, rq, bi, true, first, count, grow);
		} else if (pick_run(p, bi, &first, &count, &nreg)) {
			req_issue(p, rq, bi, true, first, count, 0);
		}
	} else if (r < 60) {
		sync_visit(p, bi, false, false);
	} else if (r < 70) {
		sync_visit(p, bi, true, rnd(p, 6) == 0);
	} else if (r < 78) { /* a reading call */
		if (!pick_run(p, bi, &first, &count, &nreg))
			return;
		rc = hb_buf_read(&bufs[bi].b, first * REG, p->scratch,
				 count * REG);
		if (rc == 0) {
			p->c.calls_ok++;
			check_view(p, bi, p->scratch, first, count,
				   "hb_buf_read");
		} else {
			CHECK(p, rc == -EBUSY || rc == -ERANGE,
			      "hb_buf_read: %d", rc);
			p->c.calls_busy++;
		}
	} else if (r < 88) {
		req_cancel_one(p, 16);
	} else if (r < 90 && p->id == 1) {
		/* The only trimmer: the length only grows meanwhile. */
		nreg = hb_buf_len(&bufs[bi].b) / REG;
		if (nreg < MIN_REGS + 2 * MAX_RUN ||
		    (nreg < (MIN_REGS + MAX_REGS) / 2 && rnd(p, 2) == 0))
			return;
		op_begin(bi);
		rc = hb_buf_trim(&bufs[bi].b, (1 + rnd(p, MAX_RUN)) * REG);
		if (rc == 0) {
			op_granted(bi);
			p->c.trims++;
		} else {
			CHECK(p, rc == -EBUSY, "hb_buf_trim: %d", rc);
		}
		op_end(bi);
	}
}

/* ---------------------------------------------------------------------
 * The participants' loop
 */

/* Teardown steps of the non-main participants. */
static void
td_take_readers(struct part *p)
{
	unsigned int bi;

	for (bi = 0; bi < nbufs; bi++) {
		struct hold *h = hold_get(p);
		int rc;

		if (h == NULL)
			return;
		op_begin(bi);
		rc = hb_visit_read(&bufs[bi].b, REG * bi, REG, &h->sv);
		CHECK(p, rc == 0, "teardown reader on buffer %u: %d", bi, rc);
		if (rc != 0) {
			op_end(bi);
			h->used = false;
			continue;
		}
		op_granted(bi);
		op_end(bi);
		on_visitor(p, &h->sv, NULL, h, bi, false, bi, 1, HOLD_TD);
	}
}

static void
td_queue(struct part *p)
{
	unsigned int bi, k, n;

	for (bi = 0; bi < nbufs; bi++) {
		n = 1 + rnd(p, 3);
		for (k = 0; k <= n; k++) {
			struct preq *rq = req_free(p);
			bool q;

			CHECK(p, rq != NULL, "no request for the teardown");
			if (rq == NULL)
				return;
			/* A writer first: the readers queue behind it. */
			q = req_issue(p, rq, bi, k == 0, k, 1 + k, 0);
			CHECK(p, q, "teardown request %u on buffer %u not "
			      "queued", k, bi);
			if (!q)
				return;
			rq->final = true;
			/* Withdraw the last reader, sometimes. */
			if (k == n && rnd(p, 2) == 0) {
				CHECK(p, hb_req_cancel(&rq->req) == 0,
				      "teardown reader not withdrawn");
				rq->pending = false;
				rq->st = RQ_FREE;
				p->outstanding--;
				p->c.withdrawn++;
				op_end(bi);
			}
		}
	}
}

/* When the readers of the teardown are let go (per participant). */
static void
td_release_later(struct part *p)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(p->hold); i++)
		if (p->hold[i].used && p->hold[i].td)
			p->hold[i].until = p->iter + 50 + rnd(p, 2000);
}

static void
participant_step(struct part *p, int ph)
{
	p->iter++;
	hb_poll(0);
	switch (ph) {
	case PH_RUN:
		p->run_iter++;
		/* Now and then let everything go: bounce memory resets. */
		release_due(p, p->iter % 64 == 0, false);
		random_op(p);
		break;
	case PH_DRAIN:
		release_due(p, true, false);
		if (p->outstanding == 0 && held_count(p) == 0)
			ack(p, PH_DRAIN);
		break;
	case PH_TD_READ:
		if (!p->acked[PH_TD_READ]) {
			td_take_readers(p);
			ack(p, PH_TD_READ);
		}
		break;
	case PH_TD_QUEUE:
		if (!p->acked[PH_TD_QUEUE]) {
			td_queue(p);
			/* The main lcore lets its own go in the teardown. */
			if (p->id != 0)
				td_release_later(p);
			ack(p, PH_TD_QUEUE);
		}
		break;
	case PH_TD_CLOSE:
	case PH_DONE:
		release_due(p, false, true);
		break;
	}
}

static int
participant(void *arg)
{
	struct part *p = arg;
	int ph;

	p->lcore = rte_lcore_id();
	for (;;) {
		ph = phase_now();
		if (aborted())
			break;
		participant_step(p, ph);
		if (ph == PH_DONE && p->outstanding == 0 && held_count(p) == 0)
			break;
	}
	return 0;
}

static void *
thread_participant(void *arg)
{
	struct part *p = arg;

	if (rte_thread_register() != 0) {
		fail_note(p, "rte_thread_register: %s",
			  rte_strerror(rte_errno));
		return NULL;
	}
	participant(p);
	rte_thread_unregister();
	return NULL;
}

/* ---------------------------------------------------------------------
 * The main lcore: participant 0 and conductor
 */

static uint64_t
secs(double s)
{
	return (uint64_t)(s * (double)rte_get_timer_hz());
}

/* Run participant 0 until every participant acked @ph (or @limit s). */
static bool
wait_acks(struct part *p, int ph, double limit)
{
	uint64_t end = rte_get_timer_cycles() + secs(limit);

	while (__atomic_load_n(&acks[ph], __ATOMIC_SEQ_CST) < NPART) {
		if (aborted())
			return false;
		if (rte_get_timer_cycles() > end)
			return false;
		participant_step(p, ph);
	}
	return true;
}

static void
dump_parts(void)
{
	unsigned int i;

	for (i = 0; i < NPART; i++)
		fprintf(stderr,
			"  participant %u lcore %u: iter %" PRIu64
			" outstanding %u held %u acks %d%d%d%d%d\n", i,
			parts[i].lcore, parts[i].iter, parts[i].outstanding,
			held_count(&parts[i]), parts[i].acked[PH_DRAIN],
			parts[i].acked[PH_TD_READ], parts[i].acked[PH_TD_QUEUE],
			parts[i].acked[PH_TD_CLOSE], parts[i].acked[PH_DONE]);
}

static void
set_phase(int ph)
{
	__atomic_store_n(&phase, ph, __ATOMIC_SEQ_CST);
}

/* The buffer is quiet: a writer gets in at once; every record checks. */
static void
check_quiet(struct part *p, unsigned int bi)
{
	struct hb_buf *b = &bufs[bi].b;
	uint32_t len = hb_buf_len(b), n = len / REG, off;
	struct hb_visitor v;
	int rc;

	CHECK(p, len % REG == 0 && n >= MIN_REGS && n <= HARD_REGS,
	      "buffer %u: length %u", bi, len);
	rc = hb_visit_write(b, 0, REG, 0, &v);
	CHECK(p, rc == 0, "buffer %u: writer not admitted after the drain "
	      "(%d): a waiter or reader was left counted", bi, rc);
	if (rc == 0)
		CHECK(p, hb_visit_release(&v) == 0, "release");
	for (off = 0; off < n && !aborted(); off += MAX_RUN) {
		uint32_t c = RTE_MIN(MAX_RUN, n - off);

		rc = hb_buf_read(b, off * REG, p->scratch, c * REG);
		CHECK(p, rc == 0, "buffer %u: read after the drain: %d", bi,
		      rc);
		if (rc == 0)
			check_view(p, bi, p->scratch, off, c, "drain check");
	}
}

/*
 * Teardown of buffer @bi: free, unshare or detach. With readers live and
 * requests queued (ours and the others') it fails and changes nothing;
 * then hb_buf_close() cancels the requests, and the call is repeated
 * until the readers are released.
 */
static void
teardown_buffer(struct part *p, unsigned int bi)
{
	struct hb_buf *b = &bufs[bi].b;
	uint64_t end = rte_get_timer_cycles() + secs(20);
	unsigned int tries = 0, kind = bi % 3, i;
	struct rte_mbuf *m = NULL;
	uint32_t len = hb_buf_len(b);
	int rc;

	for (;;) {
		if (kind == 0) {
			rc = hb_buf_free(b);
		} else if (kind == 1) {
			rc = hb_buf_unshare(b);
		} else {
			m = hb_buf_detach(b);
			rc = m != NULL ? 0 : -rte_errno;
		}
		tries++;
		if (rc == 0)
			break;
		CHECK(p, rc == -EBUSY, "teardown of buffer %u: %d", bi, rc);
		/* Failed: nothing changed (the readers keep the bytes). */
		CHECK(p, hb_buf_is_shared(b) && hb_buf_len(b) == len,
		      "failed teardown of buffer %u changed it", bi);
		if (tries == 1) {
			CHECK(p, !hb_buf_is_closing(b),
			      "failed teardown of buffer %u closed it", bi);
			__atomic_store_n(&bufs[bi].closing, 1,
					 __ATOMIC_SEQ_CST);
			CHECK(p, hb_buf_close(b) == 0, "close %u", bi);
		}
		CHECK(p, hb_buf_is_closing(b), "buffer %u not closing", bi);
		/* Our own reader keeps it busy the first time at least. */
		if (tries == 3)
			for (i = 0; i < RTE_DIM(p->hold); i++)
				if (p->hold[i].used && p->hold[i].td &&
				    p->hold[i].buf == bi)
					hold_release(p, &p->hold[i]);
		if (aborted() || rte_get_timer_cycles() > end) {
			CHECK(p, false, "teardown of buffer %u never done",
			      bi);
			return;
		}
		participant_step(p, PH_TD_CLOSE);
	}
	CHECK(p, tries >= 2, "teardown of buffer %u done with a reader live",
	      bi);
	CHECK(p, !hb_buf_is_shared(b), "buffer %u still shared", bi);
	if (kind == 1) {
		uint32_t off, n = len / REG;

		/* Local again, bytes intact: every record checks. */
		CHECK(p, hb_buf_len(b) == len, "unshare changed the length");
		for (off = 0; off < n; off += MAX_RUN) {
			uint32_t c = RTE_MIN(MAX_RUN, n - off);

			CHECK(p, hb_buf_read(b, off * REG, p->scratch,
					     c * REG) == 0, "read");
			check_view(p, bi, p->scratch, off, c, "after unshare");
		}
		CHECK(p, hb_buf_free(b) == 0, "free after unshare");
	} else if (kind == 2) {
		CHECK(p, m->pkt_len == len, "detached %u bytes of %u",
		      m->pkt_len, len);
		rte_pktmbuf_free(m);
	}
}

struct cfg {
	const char *name;
	unsigned int nbufs;
};

static void
stress(const struct cfg *cfg)
{
	unsigned int base = rte_mempool_in_use_count(pool), i, id, np = 1;
	struct part *me = &parts[0];
	struct counts tot;
	struct hb_stats st;
	uint64_t t0, t_run;
	pthread_t th;
	int rc;

	memset(parts, 0, sizeof(parts));
	memset(bufs, 0, sizeof(bufs));
	memset(acks, 0, sizeof(acks));
	abort_flag = 0;
	fail_once = 0;
	fail_text[0] = '\0';
	set_phase(PH_RUN);
	nbufs = cfg->nbufs;
	printf("%s: seed %#" PRIx64 " (HB_TEST_SEED), %.1f s random phase\n",
	       cfg->name, seed, run_seconds);
	for (i = 0; i < NPART; i++) {
		parts[i].id = i;
		parts[i].rng = seed ^ (UINT64_C(0x9e3779b97f4a7c15) * (i + 1));
		if (parts[i].rng == 0)
			parts[i].rng = 1;
	}
	/* The buffers: INIT_REGS records written by "write 1". */
	for (i = 0; i < nbufs; i++) {
		static uint8_t init[INIT_REGS * REG];

		assert_int_equal(hb_buf_init(&bufs[i].b, pool), 0);
		rec_stamp(init, 0, INIT_REGS, 1, 0xffff);
		rec_seal(init, INIT_REGS);
		assert_int_equal(hb_buf_append(&bufs[i].b, init, sizeof(init)),
				 0);
		bufs[i].wseq = 1;
		assert_int_equal(hb_buf_share(&bufs[i].b), 0);
	}
	hb_stats_reset();
	me->lcore = rte_lcore_id();
	RTE_LCORE_FOREACH_WORKER(id) {
		if (np == NPART - 1)
			break;
		parts[np].lcore = id;
		assert_int_equal(rte_eal_remote_launch(participant,
						       &parts[np], id), 0);
		np++;
	}
	assert_int_equal(np, NPART - 1);
	assert_int_equal(pthread_create(&th, NULL, thread_participant,
					&parts[NPART - 1]), 0);

	/* Random phase. */
	t0 = rte_get_timer_cycles();
	while (rte_get_timer_cycles() - t0 < secs(run_seconds) && !aborted())
		participant_step(me, PH_RUN);
	t_run = rte_get_timer_cycles() - t0;

	/* Drain: every request completes, nothing held. */
	set_phase(PH_DRAIN);
	if (!wait_acks(me, PH_DRAIN, 15) && !aborted()) {
		dump_parts();
		fail_note(me, "drain not done in 15 s: a grant was lost");
	}
	for (i = 0; i < nbufs && !aborted(); i++)
		check_quiet(me, i);

	/* Teardown with waiters. */
	if (!aborted()) {
		set_phase(PH_TD_READ);
		if (!wait_acks(me, PH_TD_READ, 15) && !aborted())
			fail_note(me, "teardown readers not taken");
	}
	if (!aborted()) {
		set_phase(PH_TD_QUEUE);
		if (!wait_acks(me, PH_TD_QUEUE, 15) && !aborted())
			fail_note(me, "teardown requests not queued");
	}
	if (!aborted()) {
		set_phase(PH_TD_CLOSE);
		for (i = 0; i < nbufs && !aborted(); i++)
			teardown_buffer(me, i);
	}
	set_phase(PH_DONE);
	{
		uint64_t end = rte_get_timer_cycles() + secs(15);

		while (!aborted() && (me->outstanding != 0 ||
				      held_count(me) != 0)) {
			participant_step(me, PH_DONE);
			if (rte_get_timer_cycles() > end) {
				fail_note(me, "main requests not completed");
				break;
			}
		}
	}
	rte_eal_mp_wait_lcore();
	rc = pthread_join(th, NULL);
	assert_int_equal(rc, 0);
	if (fail_once) {
		dump_parts();
		fail_msg("%s (seed %#" PRIx64 "): %s", cfg->name, seed,
			 fail_text);
	}

	/* Every request accounted for, exactly once. */
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < NPART; i++) {
		struct part *p = &parts[i];
		const struct counts *c = &p->c;
		unsigned int k;
		uint64_t *dst = (uint64_t *)&tot;
		const uint64_t *src = (const uint64_t *)c;

		for (k = 0; k < sizeof(tot) / sizeof(uint64_t); k++)
			dst[k] += src[k];
		tot.writer_wait_max = RTE_MAX(tot.writer_wait_max,
					      c->writer_wait_max);
		assert_int_equal(p->outstanding, 0);
		assert_int_equal(held_count(p), 0);
		for (k = 0; k < NREQ; k++) {
			assert_false(p->rq[k].pending);
			assert_int_equal(p->rq[k].st, RQ_FREE);
		}
		assert_int_equal(c->issued, c->immediate + c->queued +
				 c->refused_range + c->refused_nomem +
				 c->refused_nobufs);
		assert_int_equal(c->queued, c->granted + c->cb_canceled +
				 c->withdrawn + c->cb_range + c->cb_nomem);
	}
	for (i = 0; i < nbufs; i++)
		assert_int_equal(bufs[i].inflight, 0);
	assert_int_equal(hb_stats_get(&st), 0);
	assert_int_equal(st.async_now, tot.immediate);
	assert_int_equal(st.async_queued, tot.queued);
	assert_int_equal(st.async_granted,
			 tot.granted + tot.cb_range + tot.cb_nomem);
	assert_int_equal(st.async_cancelled, tot.withdrawn);
	assert_int_equal(st.async_teardown, tot.cb_canceled);
	/* The teardown cancelled requests: at least a writer per buffer. */
	assert_true(tot.cb_canceled >= (uint64_t)NPART * nbufs);
	printf("%s: %.2f s, %" PRIu64 " iterations; async: %" PRIu64
	       " issued, %" PRIu64 " at once, %" PRIu64 " queued, %" PRIu64
	       " granted, %" PRIu64 " withdrawn (%" PRIu64 " too late), %"
	       PRIu64 " -ECANCELED, %" PRIu64 " -ERANGE and %" PRIu64
	       " -ENOMEM at delivery, refused at once %" PRIu64 " -ERANGE %"
	       PRIu64 " -ENOMEM %" PRIu64 " -ENOBUFS\n",
	       cfg->name, (double)t_run / (double)rte_get_timer_hz(),
	       parts[0].iter + parts[1].iter + parts[2].iter + parts[3].iter +
	       parts[4].iter, tot.issued, tot.immediate, tot.queued,
	       tot.granted, tot.withdrawn, tot.cancel_late, tot.cb_canceled,
	       tot.cb_range, tot.cb_nomem, tot.refused_range,
	       tot.refused_nomem, tot.refused_nobufs);
	printf("%s: sync: %" PRIu64 " reads, %" PRIu64 " writes, %" PRIu64
	       " busy, %" PRIu64 " failed; %" PRIu64 " grows, %" PRIu64
	       " trims, calls %" PRIu64 " ok %" PRIu64 " busy, %" PRIu64
	       " calls under a held reader; writers granted after waiting: %"
	       PRIu64 ", mean %.1f grants, max %" PRIu64 "\n",
	       cfg->name, tot.sync_rd, tot.sync_wr, tot.sync_busy,
	       tot.sync_fail, tot.grows, tot.trims, tot.calls_ok,
	       tot.calls_busy, tot.held_calls, tot.writer_waits,
	       tot.writer_waits != 0 ? (double)tot.writer_wait_sum /
		       (double)tot.writer_waits : 0.0,
	       tot.writer_wait_max);
	for (i = 0; i < NPART; i++)
		printf("%s: participant %u (lcore %u): %" PRIu64
		       " iterations (%" PRIu64 " random), %" PRIu64
		       " async, %" PRIu64 " sync\n",
		       cfg->name, i, parts[i].lcore, parts[i].iter,
		       parts[i].run_iter,
		       parts[i].c.issued, parts[i].c.sync_rd +
		       parts[i].c.sync_wr + parts[i].c.sync_busy);
	for (i = 0; i < nbufs; i++)
		assert_false(hb_buf_is_shared(&bufs[i].b));
	assert_true(tot.granted > 0 && tot.withdrawn > 0 && tot.queued > 0);
	hb_assert_pool_at(pool, base);
}

static void
test_stress_one_buffer(void **state)
{
	static const struct cfg c = { "one buffer", 1 };

	(void)state;
	stress(&c);
}

static void
test_stress_three_buffers(void **state)
{
	static const struct cfg c = { "three buffers", 3 };

	(void)state;
	stress(&c);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress_one_buffer),
		cmocka_unit_test(test_stress_three_buffers),
	};
	const char *extra[] = { hb_test_lcores_arg(), NULL };
	const char *env = getenv("HB_STRESS_SECONDS");
	int rc;

	(void)argc;
	if (env != NULL && *env != '\0')
		run_seconds = strtod(env, NULL);
	rc = hb_test_setup(argv[0], extra);
	if (rc != 0)
		return rc;
	if (rte_lcore_count() < NPART - 1) {
		fprintf(stderr, "needs %u lcores: skipped\n", NPART - 1);
		hb_test_teardown();
		return HB_TEST_SKIP;
	}
	seed = hb_test_seed();
	pool = hb_test_pool("async_stress", 4096, ROOM);
	/* HB_TEST_FILTER=<glob>: run only the matching tests. */
	if (getenv("HB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("HB_TEST_FILTER"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	hb_test_teardown();
	return rc;
}
