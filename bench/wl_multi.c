/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the multi-lcore workloads, shared-read, contend and
 * contend-long, and what they share: the windows, the shared object and
 * its record. Their rows are in workloads.c; runner.c turns the windows
 * into samples.
 *
 * Two lcores (the main lcore and the first worker: run with -l 0-1 or
 * --lcores) run the same loop on one shared object for a window of
 * --mc-ms milliseconds, both starting at the same TSC instant; each counts
 * what it did and when it started and stopped. A sample is the lcore time
 * (the sum of the lcores' own windows) per operation: with perfect scaling
 * the 2-lcore cost equals the 1-lcore cost.
 *
 * The machine is shared: a window in which an lcore was preempted
 * (getrusage(RUSAGE_THREAD) involuntary switches) or started or stopped
 * late does not measure the workload. Windows are run round robin until
 * each implementation has --reps undisturbed ones (at most 8 times as many
 * attempts); only undisturbed windows are kept if there are at least 3,
 * otherwise all are (the details below the table say which).
 *
 * The shared object: 64 bytes in one mbuf whose first 34 (the size of an
 * Ethernet + IPv4 header) hold a record: a sequence number and 26 bytes
 * derived from it, so that a torn or stale read is detected.
 *  - HyperBuf: a struct hb_buf made shared with hb_buf_share();
 *  - baseline: the same 64 bytes in an mbuf, guarded by one rte_rwlock
 *    on a cache line of its own.
 * Every failed check is counted on the lcore and fails the run once the
 * window is over (no lcore exits in the middle of a window).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_rwlock.h>
#include <rte_spinlock.h>

#include <hyperbuf.h>

#include "hb_bench.h"

#define MC_BUF_LEN 64u		/* the shared buffer */
#define MC_REC_LEN 34u		/* bytes visited */
#define MC_BATCH 16u		/* shared-read: visits per clock read */
#define MC_SEQ0 1000u		/* contend: first sequence number */
#define CT_K 64u		/* contend: request slots per lcore */

struct mc_ctl mc;			/* the current window */
unsigned int mc_worker = RTE_MAX_LCORE; /* the second lcore */

/* The shared buffer and the baseline's lock, each on its own line(s). */
static struct {
	struct hb_buf b;
} __rte_cache_aligned mc_hb;
static struct {
	rte_rwlock_t lock;
} __rte_cache_aligned mc_rw;
static struct {
	rte_spinlock_t lock;
} __rte_cache_aligned mc_sl;
static struct rte_mbuf *mc_m; /* the baseline's bytes */

static inline void
st64(void *p, uint64_t x)
{
	memcpy(p, &x, sizeof(x));
}

static inline uint64_t
rec_word(uint64_t seq, unsigned int k)
{
	return (seq ^ (UINT64_C(0x9e3779b97f4a7c15) * k)) *
	       UINT64_C(0xbf58476d1ce4e5b9);
}

static inline uint16_t
rec_tail(uint64_t seq)
{
	return (uint16_t)(seq * 0x2545u + 1u);
}

static inline void
rec_fill(uint8_t *p, uint64_t seq)
{
	uint16_t t = rec_tail(seq);

	st64(p, seq);
	st64(p + 8, rec_word(seq, 1));
	st64(p + 16, rec_word(seq, 2));
	st64(p + 24, rec_word(seq, 3));
	memcpy(p + 32, &t, sizeof(t));
}

/* The record's sequence number; UINT64_MAX if its bytes disagree. */
static inline uint64_t
rec_check(const uint8_t *p)
{
	uint64_t seq = ld64(p);
	uint16_t t;

	memcpy(&t, p + 32, sizeof(t));
	if (ld64(p + 8) != rec_word(seq, 1) ||
	    ld64(p + 16) != rec_word(seq, 2) ||
	    ld64(p + 24) != rec_word(seq, 3) || t != rec_tail(seq))
		return UINT64_MAX;
	return seq;
}

/* shared-read's use of the bytes: a digest of all 34. */
static inline uint64_t
rec_digest(const uint8_t *p)
{
	uint16_t t;

	memcpy(&t, p + 32, sizeof(t));
	return ld64(p) + ld64(p + 8) + ld64(p + 16) + ld64(p + 24) + t;
}

static int
mc_lcore_main(void *arg)
{
	unsigned int idx = (unsigned int)(uintptr_t)arg;
	struct mc_res *r = &mc.res[idx];
	struct rusage u0, u1;

	uint64_t start;

	memset(r, 0, sizeof(*r));
	/* The main lcore sets the window once this lcore is launched. */
	while ((start = __atomic_load_n(&mc.start, __ATOMIC_ACQUIRE)) == 0)
		rte_pause();
	getrusage(RUSAGE_THREAD, &u0);
	while (rte_rdtsc() < start)
		rte_pause();
	r->t0 = rte_rdtsc();
	mc.fn(idx, r); /* sets r->t1 when the window is over */
	getrusage(RUSAGE_THREAD, &u1);
	r->nivcsw = u1.ru_nivcsw - u0.ru_nivcsw;
	return 0;
}

/* One window of @fn on @nl lcores; true if no lcore was disturbed. */
bool
mc_window(mc_fn fn, unsigned int nl)
{
	const double ms = mc.ms > 0 ? mc.ms : opt_mc_ms;
	const uint64_t win = (uint64_t)(ms * 1e6 * tsc_per_ns);
	bool clean = true;
	unsigned int i;

	uint64_t start;

	mc.fn = fn;
	__atomic_store_n(&mc.start, 0, __ATOMIC_RELEASE);
	if (nl > 1 && rte_eal_remote_launch(mc_lcore_main,
					    (void *)(uintptr_t)1,
					    mc_worker) != 0)
		rte_exit(EXIT_FAILURE, "cannot launch lcore %u\n", mc_worker);
	/* The worker is awake (the launch waits for its ack): start soon. */
	start = rte_rdtsc() + rte_get_tsc_hz() / 10000; /* in 0.1 ms */
	mc.end = start + win;
	__atomic_store_n(&mc.start, start, __ATOMIC_RELEASE);
	mc_lcore_main((void *)(uintptr_t)0);
	if (nl > 1)
		rte_eal_wait_lcore(mc_worker);
	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		if (r->nivcsw != 0 || r->t0 - mc.start > win / 20 ||
		    r->t1 - mc.end > win / 20)
			clean = false;
	}
	return clean;
}

static int
mc_setup(void)
{
	uint8_t rec[MC_BUF_LEN];
	char *p;

	memcpy(rec, pattern, sizeof(rec));
	rec_fill(rec, MC_SEQ0);
	CHECK_RC(hb_buf_init(&mc_hb.b, pool));
	CHECK_RC(hb_buf_append(&mc_hb.b, rec, sizeof(rec)));
	CHECK_RC(hb_buf_share(&mc_hb.b));
	mc_m = rte_pktmbuf_alloc(pool);
	CHECK_PTR(mc_m);
	p = rte_pktmbuf_append(mc_m, sizeof(rec));
	CHECK_PTR(p);
	memcpy(p, rec, sizeof(rec));
	rte_rwlock_init(&mc_rw.lock);
	rte_spinlock_init(&mc_sl.lock);
	return 0;
}

void
mc_teardown(void)
{
	/* 0 only if no visitor is live and nothing is queued any more. */
	CHECK_RC(hb_buf_unshare(&mc_hb.b));
	CHECK_RC(hb_buf_free(&mc_hb.b));
	rte_pktmbuf_free(mc_m);
	mc_m = NULL;
}

/*
 * Workload: shared-read
 *
 * Read visits of the record, in a loop, by 1 and by 2 lcores at once.
 *  - hyperbuf: hb_visit_read() of the 34 bytes of the shared buffer,
 *    their digest, hb_visit_release();
 *  - rwlock: rte_rwlock_read_lock() of the one lock, the same digest of
 *    the mbuf's 34 bytes, rte_rwlock_read_unlock().
 * Check: each lcore's sum of digests is its number of visits times the
 * record's digest, and no visit failed.
 */

static uint64_t sr_ref; /* the record's digest */

int
sr_setup(void)
{
	int rc = mc_setup();

	if (rc == 0)
		sr_ref = rec_digest(rte_pktmbuf_mtod(mc_m, const uint8_t *));
	return rc;
}

void
sr_hb(unsigned int idx __rte_unused, struct mc_res *r)
{
	struct hb_buf *b = &mc_hb.b;
	const uint64_t end = mc.end;
	uint64_t sum = 0, n = 0, now;
	struct hb_visitor v;
	unsigned int k;
	int rc;

	do {
		for (k = 0; k < MC_BATCH; k++) {
			rc = hb_visit_read(b, 0, MC_REC_LEN, &v);
			if (unlikely(rc != 0))
				goto fail;
			sum += rec_digest(v.ptr);
			rc = hb_visit_release(&v);
			if (unlikely(rc != 0))
				goto fail;
		}
		n += MC_BATCH;
		now = rte_rdtsc();
	} while (now < end);
	r->t1 = now;
	r->ops = n;
	r->sum = sum;
	return;
fail:
	r->t1 = rte_rdtsc();
	r->ops = n;
	r->sum = sum;
	r->bad++;
	r->err = rc;
}

void
sr_rwlock(unsigned int idx __rte_unused, struct mc_res *r)
{
	const uint8_t *p = rte_pktmbuf_mtod(mc_m, const uint8_t *);
	rte_rwlock_t *l = &mc_rw.lock;
	const uint64_t end = mc.end;
	uint64_t sum = 0, n = 0, now;
	unsigned int k;

	do {
		for (k = 0; k < MC_BATCH; k++) {
			rte_rwlock_read_lock(l);
			sum += rec_digest(p);
			rte_rwlock_read_unlock(l);
		}
		n += MC_BATCH;
		now = rte_rdtsc();
	} while (now < end);
	r->t1 = now;
	r->ops = n;
	r->sum = sum;
}

int
sr_check(mc_fn fn __rte_unused, unsigned int nl, char *why, size_t sz)
{
	unsigned int i;

	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		if (r->bad != 0) {
			snprintf(why, sz, "lcore %u: %" PRIu64 " failed visits "
				 "(%s)", i, r->bad, strerror(-r->err));
			return -1;
		}
		if (r->sum != r->ops * sr_ref) {
			snprintf(why, sz, "lcore %u: digest sum %#" PRIx64
				 " after %" PRIu64 " reads, expected %#" PRIx64,
				 i, r->sum, r->ops, r->ops * sr_ref);
			return -1;
		}
	}
	return 0;
}

/*
 * Workload: contend
 *
 * Each lcore loops: one unit of useful work (a checksum over a private
 * array of --work 64-bit words: a fixed cost, its result checked), then a
 * visit of the record: a write for --write-pct % of the visits (the same
 * pseudo-random sequence on each lcore for every implementation), a read
 * otherwise. A write checks the record and writes the next sequence
 * number; a read checks it and that the sequence never goes back on that
 * lcore.
 *  - rwlock: rte_rwlock_{read,write}_trylock(); when it fails, the
 *    spinning rte_rwlock_{read,write}_lock(), timed: spin cycles. One
 *    visit after every unit of work;
 *  - hyperbuf: hb_visit_async() after a unit of work, unless this lcore's
 *    previous request is still queued. Granted at once: the visit is done
 *    at once. Queued: the lcore goes on with more units of work, calling
 *    hb_poll() after each, and the callback does the visit once granted.
 *    It never waits: while a request is queued it works. So it may do
 *    fewer visits than units of work: visits per second are reported
 *    beside work per second;
 *  - hyperbuf-queue (variant): a visit for every unit of work, as rwlock:
 *    a new request after each unit even while earlier ones are queued (up
 *    to 64 per lcore; with all 64 queued it would have to wait: it polls
 *    until one completes and those cycles are counted as waiting).
 * A sample is the lcore time per unit of work (1 / work units per second
 * per lcore). Requests still queued when the window closes are completed
 * after it (the drain: neither work nor visits in the window; reported).
 * Checks: every record read and written was whole, every request got its
 * visit, the work sums, and the record's last sequence number is its first
 * plus the number of writes (no write lost).
 */

struct ct_lcore;

struct ct_item {
	struct hb_req req;
	struct ct_lcore *lc;
	uint16_t slot;
	bool write;
};

/* What a granted visit does with the record (contend, contend-long). */
typedef void (*ct_body_fn)(struct ct_lcore *lc, uint8_t *p, bool write);

struct ct_lcore {
	struct mc_res *r;
	ct_body_fn body;
	unsigned int idx;	/* the lcore's index in the window */
	bool draining;
	unsigned int nfree;
	uint16_t free[CT_K];
	struct ct_item item[CT_K];
} __rte_cache_aligned;

static struct ct_lcore ct_lc[MC_LCORES];
static uint64_t ct_arr[MC_LCORES][CT_WORK_MAX] __rte_cache_aligned;
static uint64_t ct_work_ref;	/* checksum of one unit of work */
static uint64_t ct_seq[2];	/* record's sequence: hyperbuf, rwlock */

/* One unit of useful work: a serial checksum of the lcore's array. */
static __rte_noinline uint64_t
ct_work(const uint64_t *a, unsigned int n)
{
	uint64_t s = 0;
	unsigned int k;

	BENCH_ESCAPE(a);
	for (k = 0; k < n; k++)
		s += a[k] ^ (s >> 7);
	return s;
}

static inline bool
ct_is_write(uint64_t *rng)
{
	return (rng_next(rng) >> 33) % 100 < opt_write_pct;
}

static inline uint64_t
ct_seed(unsigned int idx)
{
	return opt_seed ^ (UINT64_C(0xc0de) + idx);
}

/* The visit: check the record; a write moves it to the next sequence. */
static inline void
ct_visit(struct mc_res *r, uint8_t *p, bool write)
{
	uint64_t seq = rec_check(p);

	if (unlikely(seq == UINT64_MAX || seq < r->last_seq)) {
		r->bad++;
		r->err = -EPROTO;
		return;
	}
	r->last_seq = seq;
	if (write) {
		rec_fill(p, seq + 1);
		r->last_seq = seq + 1;
		r->writes++;
	}
}

/* contend's visit: the record checked, and moved on by a write. */
static void
ct_body(struct ct_lcore *lc, uint8_t *p, bool write)
{
	ct_visit(lc->r, p, write);
}

int
ct_setup(void)
{
	unsigned int i, k;
	int rc;

	rc = mc_setup();
	if (rc != 0)
		return rc;
	ct_seq[0] = MC_SEQ0;
	ct_seq[1] = MC_SEQ0;
	for (i = 0; i < MC_LCORES; i++)
		for (k = 0; k < CT_WORK_MAX; k++)
			ct_arr[i][k] = ld64(pattern + 8 * k);
	ct_work_ref = ct_work(ct_arr[0], opt_work);
	return 0;
}

static void
ct_lcore_reset(struct ct_lcore *lc, struct mc_res *r, ct_body_fn body,
	       unsigned int idx)
{
	unsigned int i;

	lc->r = r;
	lc->body = body;
	lc->idx = idx;
	lc->draining = false;
	for (i = 0; i < CT_K; i++) {
		lc->item[i].lc = lc;
		lc->item[i].slot = (uint16_t)i;
		lc->free[i] = (uint16_t)i;
	}
	lc->nfree = CT_K;
}

/* A granted visitor of item @it: the visit, the release, the slot back. */
static void
ct_hb_visit(struct ct_item *it, struct hb_visitor *v)
{
	struct ct_lcore *lc = it->lc;
	struct mc_res *r = lc->r;
	int rc;

	lc->body(lc, v->ptr, it->write);
	rc = hb_visit_release(v);
	if (unlikely(rc != 0)) {
		r->bad++;
		r->err = rc;
	}
	if (lc->draining)
		r->late++;
	else
		r->visits++;
	lc->free[lc->nfree++] = it->slot;
}

/* Completion of a queued request (run by hb_poll() on its lcore). */
static void
ct_hb_cb(struct hb_req *req, int status, void *arg)
{
	struct ct_item *it = arg;
	struct ct_lcore *lc = it->lc;

	if (unlikely(status != 0)) {
		lc->r->bad++;
		lc->r->err = status;
		lc->free[lc->nfree++] = it->slot;
		return;
	}
	ct_hb_visit(it, hb_req_visitor(req));
}

/* After the window: complete the requests still queued. */
static void
ct_drain(struct ct_lcore *lc, struct mc_res *r)
{
	const uint64_t t = rte_rdtsc(), limit = rte_get_tsc_hz();

	lc->draining = true;
	while (lc->nfree != CT_K) {
		hb_poll(0);
		if (unlikely(rte_rdtsc() - t > limit)) {
			r->bad++;
			r->err = -ETIMEDOUT;
			break;
		}
	}
	r->drain_tsc = rte_rdtsc() - t;
}

/* Issue one request from a free slot of @lc; a visit granted at once is
 * done at once, a queued one in ct_hb_cb() from hb_poll().
 */
static inline void
ct_hb_issue(struct ct_lcore *lc, struct mc_res *r, bool write)
{
	struct ct_item *it = &lc->item[lc->free[--lc->nfree]];
	int rc;

	it->write = write;
	r->issued++;
	rc = hb_visit_async(&it->req, &mc_hb.b, it->write ?
			    HB_ACCESS_WRITE : HB_ACCESS_READ, 0,
			    MC_REC_LEN, 0, ct_hb_cb, it);
	if (rc == 0) {
		ct_hb_visit(it, hb_req_visitor(&it->req));
	} else if (unlikely(rc != -EINPROGRESS)) {
		r->bad++;
		r->err = rc;
		lc->free[lc->nfree++] = it->slot;
	}
}

void
ct_hb(unsigned int idx, struct mc_res *r)
{
	struct ct_lcore *lc = &ct_lc[idx];
	const uint64_t end = mc.end;
	const unsigned int words = opt_work;
	uint64_t rng = ct_seed(idx), sum = 0, n = 0, now;

	ct_lcore_reset(lc, r, ct_body, idx);
	while ((now = rte_rdtsc()) < end) {
		sum += ct_work(ct_arr[idx], words);
		n++;
		hb_poll(0);
		if (lc->nfree != CT_K)
			continue; /* our request is still queued: work on */
		ct_hb_issue(lc, r, ct_is_write(&rng));
	}
	r->t1 = now;
	r->ops = n;
	r->sum = sum;
	ct_drain(lc, r);
}

void
ct_hb_queue(unsigned int idx, struct mc_res *r)
{
	struct ct_lcore *lc = &ct_lc[idx];
	const uint64_t end = mc.end, limit = rte_get_tsc_hz();
	const unsigned int words = opt_work;
	uint64_t rng = ct_seed(idx), sum = 0, n = 0, now, t;

	ct_lcore_reset(lc, r, ct_body, idx);
	while ((now = rte_rdtsc()) < end) {
		sum += ct_work(ct_arr[idx], words);
		n++;
		hb_poll(0);
		if (unlikely(lc->nfree == 0)) {
			/* Nothing else to do: a wait, counted as such. */
			t = rte_rdtsc();
			while (lc->nfree == 0 && rte_rdtsc() - t < limit)
				hb_poll(0);
			r->spin_tsc += rte_rdtsc() - t;
			r->spins++;
			if (lc->nfree == 0) {
				r->bad++;
				r->err = -ETIMEDOUT;
				break;
			}
		}
		ct_hb_issue(lc, r, ct_is_write(&rng));
	}
	r->t1 = now;
	r->ops = n;
	r->sum = sum;
	ct_drain(lc, r);
}

void
ct_rwlock(unsigned int idx, struct mc_res *r)
{
	uint8_t *p = rte_pktmbuf_mtod(mc_m, uint8_t *);
	rte_rwlock_t *l = &mc_rw.lock;
	const uint64_t end = mc.end;
	const unsigned int words = opt_work;
	uint64_t rng = ct_seed(idx), sum = 0, n = 0, now, t;

	r->last_seq = 0;
	while ((now = rte_rdtsc()) < end) {
		sum += ct_work(ct_arr[idx], words);
		n++;
		if (ct_is_write(&rng)) {
			if (rte_rwlock_write_trylock(l) != 0) {
				t = rte_rdtsc();
				rte_rwlock_write_lock(l);
				r->spin_tsc += rte_rdtsc() - t;
				r->spins++;
			}
			ct_visit(r, p, true);
			rte_rwlock_write_unlock(l);
		} else {
			if (rte_rwlock_read_trylock(l) != 0) {
				t = rte_rdtsc();
				rte_rwlock_read_lock(l);
				r->spin_tsc += rte_rdtsc() - t;
				r->spins++;
			}
			ct_visit(r, p, false);
			rte_rwlock_read_unlock(l);
		}
		r->issued++;
		r->visits++;
	}
	r->t1 = now;
	r->ops = n;
	r->sum = sum;
}

/*
 * Before the memzones are counted: make each lcore queue one request, so
 * that HyperBuf creates its completion ring (it does so on an lcore's first
 * queued request, which may otherwise come in any window). Lcore 0 holds a
 * write visitor while lcore 1 and then lcore 0 queue a read; lcore 0
 * releases its writer and both poll until their read was granted.
 */
static uint32_t ct_prime_step;

static void
ct_prime_cb(struct hb_req *req, int status, void *arg)
{
	struct mc_res *r = arg;

	if (status != 0 || hb_visit_release(hb_req_visitor(req)) != 0)
		r->bad++;
	r->visits++;
}

static void
ct_prime(unsigned int idx, struct mc_res *r)
{
	const uint64_t limit = rte_rdtsc() + rte_get_tsc_hz();
	struct hb_visitor w;
	struct hb_req req;
	int rc;

	if (idx == 0) {
		if (hb_visit_write(&mc_hb.b, 0, MC_REC_LEN, 0, &w) != 0)
			r->bad++;
		__atomic_store_n(&ct_prime_step, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&ct_prime_step, __ATOMIC_ACQUIRE) != 2 &&
		       rte_rdtsc() < limit)
			rte_pause();
	} else {
		while (__atomic_load_n(&ct_prime_step, __ATOMIC_ACQUIRE) != 1 &&
		       rte_rdtsc() < limit)
			rte_pause();
	}
	rc = hb_visit_async(&req, &mc_hb.b, HB_ACCESS_READ, 0, MC_REC_LEN, 0,
			    ct_prime_cb, r);
	if (rc != -EINPROGRESS)
		r->bad++;
	if (idx == 0) {
		if (hb_visit_release(&w) != 0)
			r->bad++;
	} else {
		__atomic_store_n(&ct_prime_step, 2, __ATOMIC_RELEASE);
	}
	while (r->visits == 0 && rte_rdtsc() < limit)
		hb_poll(0);
	if (r->visits == 0)
		r->bad++;
	r->t1 = rte_rdtsc();
}

void
ct_prime_all(void)
{
	unsigned int i;

	if (mc_worker >= RTE_MAX_LCORE)
		return;
	ct_prime_step = 0;
	(void)mc_window(ct_prime, 2);
	for (i = 0; i < 2; i++)
		if (mc.res[i].bad != 0)
			rte_exit(EXIT_FAILURE, "contend: lcore %u could not "
				 "queue and complete a request\n", i);
}

/* The record's sequence number now (no lcore is running). */
static uint64_t
ct_record_seq(bool hb)
{
	struct hb_visitor v;
	uint64_t seq;

	if (!hb)
		return rec_check(rte_pktmbuf_mtod(mc_m, const uint8_t *));
	if (hb_visit_read(&mc_hb.b, 0, MC_REC_LEN, &v) != 0)
		return UINT64_MAX;
	seq = rec_check(v.ptr);
	if (hb_visit_release(&v) != 0)
		return UINT64_MAX;
	return seq;
}

/* Lcore @i's failed visits or checks, if any, into @why. */
static int
ct_bad(unsigned int i, char *why, size_t sz)
{
	const struct mc_res *r = &mc.res[i];

	if (r->bad == 0)
		return 0;
	snprintf(why, sz, "lcore %u: %" PRIu64 " failed visits or checks (%s)",
		 i, r->bad, strerror(-r->err));
	return -1;
}

/*
 * The record (HyperBuf's if @hb, else the locks') moved on by exactly
 * @writes since the last window: no write lost, none twice.
 */
static int
ct_record_check(bool hb, uint64_t writes, char *why, size_t sz)
{
	uint64_t seq = ct_record_seq(hb);

	if (seq != ct_seq[!hb] + writes) {
		snprintf(why, sz, "record at sequence %" PRIu64 ", expected %"
			 PRIu64 " + %" PRIu64 " writes", seq, ct_seq[!hb],
			 writes);
		return -1;
	}
	ct_seq[!hb] = seq;
	return 0;
}

int
ct_check(mc_fn fn, unsigned int nl, char *why, size_t sz)
{
	const bool hb = fn != ct_rwlock;
	uint64_t writes = 0;
	unsigned int i;

	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		if (ct_bad(i, why, sz) != 0)
			return -1;
		if (r->sum != r->ops * ct_work_ref) {
			snprintf(why, sz, "lcore %u: work sum %#" PRIx64
				 " after %" PRIu64 " units, expected %#" PRIx64,
				 i, r->sum, r->ops, r->ops * ct_work_ref);
			return -1;
		}
		if (r->visits + r->late != r->issued || r->issued > r->ops) {
			snprintf(why, sz, "lcore %u: %" PRIu64 " visits done, %"
				 PRIu64 " asked for, %" PRIu64 " work units", i,
				 r->visits + r->late, r->issued, r->ops);
			return -1;
		}
		writes += r->writes;
	}
	return ct_record_check(hb, writes, why, sz);
}


/*
 * Workload: contend-long
 *
 * Long critical sections, and other useful work to do meanwhile: what
 * never spinning is for. Each lcore forwards bursts of CL_BURST packets
 * from a ring of its own back into it (a unit of useful work: each
 * packet's MAC addresses swapped and a counter in it incremented), and
 * after every burst it wants a write visit of the shared record, held for
 * a long time: the holder forwards cl_hold_units more bursts (calibrated
 * at setup to last --hold of 1, 5 or 20 us: contend-long1, -long5,
 * -long20) and then moves the record to its next sequence number. Useful
 * work is every burst forwarded, held or not; a sample is the lcore time
 * per burst.
 *  - hyperbuf: hb_visit_async() of a write visit after a burst, unless the
 *    lcore's previous request is still queued: granted at once, the hold
 *    is done at once; queued, the lcore forwards more bursts, calling
 *    hb_poll() after each, and the callback does the hold;
 *  - rwlock, spinlock: rte_rwlock_write_trylock() / rte_spinlock_trylock()
 *    and, when it fails, the spinning rte_rwlock_write_lock() /
 *    rte_spinlock_lock(), timed: a hold after every burst, as asked;
 *  - spin-trylock (reported, no target): what a user could write to avoid
 *    spinning without HyperBuf: rte_spinlock_trylock() after each burst,
 *    and if it fails, the next burst and try again (no queue, no order
 *    among the lcores: with more lcores one may starve).
 * Checks: as contend (every record whole, sequence = first + holds, every
 * request got its visit), and every packet's counter and MAC order agree
 * with the bursts each lcore counted (none lost, none forwarded twice).
 */

#define CL_BURST 32u		/* packets per unit of work */
#define CL_PKTS (2 * CL_BURST)	/* packets circulating on each lcore */
#define CL_CTR_OFF 12		/* the packet counter: after the MACs */

static struct rte_ring *cl_ring[MC_LCORES];
static struct rte_mbuf *cl_pkts[MC_LCORES][CL_PKTS];
static uint64_t cl_units_all[MC_LCORES]; /* every burst since setup */
static double cl_unit_ns;		 /* one burst, measured at setup */
static unsigned int cl_hold_us;		 /* --hold of the workload */
static unsigned int cl_hold_units;	 /* bursts forwarded in a hold */

/* One unit of useful work: a burst from @ring back into it. */
static __rte_noinline unsigned int
cl_unit(struct rte_ring *ring)
{
	struct rte_mbuf *m[CL_BURST];
	unsigned int n, i;

	n = rte_ring_sc_dequeue_burst(ring, (void **)m, CL_BURST, NULL);
	for (i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint8_t mac[6];
		uint32_t c;

		memcpy(mac, p, 6);
		memmove(p, p + 6, 6);
		memcpy(p + 6, mac, 6);
		memcpy(&c, p + CL_CTR_OFF, sizeof(c));
		c++;
		memcpy(p + CL_CTR_OFF, &c, sizeof(c));
	}
	return rte_ring_sp_enqueue_burst(ring, (void **)m, n, NULL);
}

/* @n units on lcore @idx (@r: its results; NULL at setup). */
static inline void
cl_units(unsigned int idx, unsigned int n, struct mc_res *r)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		if (unlikely(cl_unit(cl_ring[idx]) != CL_BURST) &&
		    r != NULL) {
			r->bad++;
			r->err = -EPROTO;
		}
	cl_units_all[idx] += n;
}

/*
 * The hold: cl_hold_units bursts, then the record to its next sequence
 * number. In the window they are useful work (r->ops); in the drain after
 * it they are not (they are counted for the packet check only).
 */
static void
cl_hold(struct mc_res *r, unsigned int idx, uint8_t *p, bool late)
{
	cl_units(idx, cl_hold_units, r);
	if (!late)
		r->ops += cl_hold_units;
	ct_visit(r, p, true);
}

static void
cl_body(struct ct_lcore *lc, uint8_t *p, bool write __rte_unused)
{
	cl_hold(lc->r, lc->idx, p, lc->draining);
}

static int
cl_setup(unsigned int hold_us)
{
	const unsigned int n = 2000;
	unsigned int i, k;
	uint64_t t;
	char name[RTE_RING_NAMESIZE];
	int rc;

	rc = ct_setup();
	if (rc != 0)
		return rc;
	for (i = 0; i < MC_LCORES; i++) {
		snprintf(name, sizeof(name), "hbb_cl%u", i);
		cl_ring[i] = rte_ring_create(name, 2 * CL_PKTS, SOCKET_ID_ANY,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		CHECK_PTR(cl_ring[i]);
		CHECK_RC(rte_pktmbuf_alloc_bulk(pool, cl_pkts[i], CL_PKTS));
		for (k = 0; k < CL_PKTS; k++) {
			uint8_t *p = (uint8_t *)rte_pktmbuf_append(
				cl_pkts[i][k], PKT_LEN);

			CHECK_PTR(p);
			memcpy(p, pattern + (i * CL_PKTS + k) * PKT_LEN,
			       PKT_LEN);
			memset(p + CL_CTR_OFF, 0, 4);
		}
		if (rte_ring_sp_enqueue_bulk(cl_ring[i], (void **)cl_pkts[i],
					     CL_PKTS, NULL) != CL_PKTS)
			bench_die("cl ring", -ENOBUFS);
		cl_units_all[i] = 0;
	}
	/*
	 * The cost of a unit, on this lcore alone (warm first): the least of
	 * 5 rounds, so that a round the machine took away does not make the
	 * holds shorter (the same hold in units from run to run).
	 */
	cl_units(0, n / 4, NULL);
	cl_unit_ns = 0;
	for (k = 0; k < 5; k++) {
		double ns;

		t = rte_rdtsc_precise();
		cl_units(0, n, NULL);
		ns = (double)(rte_rdtsc_precise() - t) / tsc_per_ns / n;
		if (k == 0 || ns < cl_unit_ns)
			cl_unit_ns = ns;
	}
	cl_hold_us = hold_us;
	cl_hold_units = (unsigned int)RTE_MAX(1.0, hold_us * 1e3 / cl_unit_ns +
					      0.5);
	printf("  contend-long: a unit (burst of %u packets from a ring) "
	       "takes %.0f ns; a hold of %u us is %u units\n", CL_BURST,
	       cl_unit_ns, hold_us, cl_hold_units);
	return 0;
}

int
cl1_setup(void)
{
	return cl_setup(1);
}

int
cl5_setup(void)
{
	return cl_setup(5);
}

int
cl20_setup(void)
{
	return cl_setup(20);
}

void
cl_teardown(void)
{
	unsigned int i;

	for (i = 0; i < MC_LCORES; i++) {
		rte_ring_free(cl_ring[i]);
		cl_ring[i] = NULL;
		rte_pktmbuf_free_bulk(cl_pkts[i], CL_PKTS);
	}
	mc_teardown();
}

void
cl_hb(unsigned int idx, struct mc_res *r)
{
	struct ct_lcore *lc = &ct_lc[idx];
	const uint64_t end = mc.end;
	uint64_t n = 0, now;

	ct_lcore_reset(lc, r, cl_body, idx);
	while ((now = rte_rdtsc()) < end) {
		cl_units(idx, 1, r);
		n++;
		hb_poll(0);
		if (lc->nfree != CT_K)
			continue; /* our request is still queued: work on */
		ct_hb_issue(lc, r, true);
	}
	r->t1 = now;
	r->ops += n;
	ct_drain(lc, r);
}

/* The baselines' locks. */
enum cl_lock {
	CL_RWLOCK,	/* rte_rwlock, write side, spinning when taken */
	CL_SPINLOCK,	/* rte_spinlock, spinning when taken */
	CL_TRYLOCK,	/* rte_spinlock_trylock(), another burst if taken */
};

/* After a burst: the hold, under the lock of kind @k. */
static inline void
cl_locked_hold(struct mc_res *r, unsigned int idx, uint8_t *p,
	       enum cl_lock k)
{
	const bool rw = k == CL_RWLOCK;
	uint64_t t;

	if (rw ? rte_rwlock_write_trylock(&mc_rw.lock) != 0 :
		 rte_spinlock_trylock(&mc_sl.lock) == 0) {
		if (k == CL_TRYLOCK)
			return; /* taken: another burst, then again */
		t = rte_rdtsc();
		if (rw)
			rte_rwlock_write_lock(&mc_rw.lock);
		else
			rte_spinlock_lock(&mc_sl.lock);
		r->spin_tsc += rte_rdtsc() - t;
		r->spins++;
	}
	cl_hold(r, idx, p, false);
	if (rw)
		rte_rwlock_write_unlock(&mc_rw.lock);
	else
		rte_spinlock_unlock(&mc_sl.lock);
	r->issued++;
	r->visits++;
}

static inline void
cl_lock_loop(unsigned int idx, struct mc_res *r, enum cl_lock k)
{
	uint8_t *p = rte_pktmbuf_mtod(mc_m, uint8_t *);
	const uint64_t end = mc.end;
	uint64_t n = 0, now;

	r->last_seq = 0;
	while ((now = rte_rdtsc()) < end) {
		cl_units(idx, 1, r);
		n++;
		cl_locked_hold(r, idx, p, k);
	}
	r->t1 = now;
	r->ops += n;
}

void
cl_rwlock(unsigned int idx, struct mc_res *r)
{
	cl_lock_loop(idx, r, CL_RWLOCK);
}

void
cl_spinlock(unsigned int idx, struct mc_res *r)
{
	cl_lock_loop(idx, r, CL_SPINLOCK);
}

void
cl_trylock(unsigned int idx, struct mc_res *r)
{
	cl_lock_loop(idx, r, CL_TRYLOCK);
}

/*
 * Every packet of lcore @idx was forwarded as many times as the lcore
 * counted bursts: counters sum to bursts x CL_BURST, and a packet's MACs
 * are in their first order after an even number of swaps.
 */
static int
cl_check_pkts(unsigned int idx, char *why, size_t sz)
{
	uint64_t total = 0;
	unsigned int k;

	if (rte_ring_count(cl_ring[idx]) != CL_PKTS) {
		snprintf(why, sz, "lcore %u: %u packets on its ring, %u sent",
			 idx, rte_ring_count(cl_ring[idx]), CL_PKTS);
		return -1;
	}
	for (k = 0; k < CL_PKTS; k++) {
		const uint8_t *p = rte_pktmbuf_mtod(cl_pkts[idx][k],
						    const uint8_t *);
		const uint8_t *o = pattern + (idx * CL_PKTS + k) * PKT_LEN;
		uint32_t c;

		memcpy(&c, p + CL_CTR_OFF, sizeof(c));
		total += c;
		if (memcmp(p, o + (c % 2 ? 6 : 0), 6) != 0 ||
		    memcmp(p + 6, o + (c % 2 ? 0 : 6), 6) != 0) {
			snprintf(why, sz, "lcore %u: packet %u swapped %u "
				 "times, MACs in the wrong order", idx, k, c);
			return -1;
		}
	}
	if (total != cl_units_all[idx] * CL_BURST) {
		snprintf(why, sz, "lcore %u: packets forwarded %" PRIu64
			 " times, %" PRIu64 " bursts of %u counted", idx,
			 total, cl_units_all[idx], CL_BURST);
		return -1;
	}
	return 0;
}

int
cl_check(mc_fn fn, unsigned int nl, char *why, size_t sz)
{
	uint64_t writes = 0;
	unsigned int i;

	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		if (ct_bad(i, why, sz) != 0)
			return -1;
		if (r->visits + r->late != r->issued) {
			snprintf(why, sz, "lcore %u: %" PRIu64 " holds done, %"
				 PRIu64 " asked for", i, r->visits + r->late,
				 r->issued);
			return -1;
		}
		if (cl_check_pkts(i, why, sz) != 0)
			return -1;
		writes += r->writes;
	}
	return ct_record_check(fn == cl_hb, writes, why, sz);
}
