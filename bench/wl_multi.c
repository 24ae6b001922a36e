/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the multi-lcore workloads, shared-read and contend, and what
 * they share: the windows, the shared object and its record. Their rows
 * are in workloads.c; runner.c turns the windows into samples.
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
#include <rte_rwlock.h>

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
	const uint64_t win = (uint64_t)(opt_mc_ms * 1e6 * tsc_per_ns);
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

struct ct_lcore {
	struct mc_res *r;
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
ct_lcore_reset(struct ct_lcore *lc, struct mc_res *r)
{
	unsigned int i;

	lc->r = r;
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

	ct_visit(r, v->ptr, it->write);
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
ct_hb_issue(struct ct_lcore *lc, struct mc_res *r, uint64_t *rng)
{
	struct ct_item *it = &lc->item[lc->free[--lc->nfree]];
	int rc;

	it->write = ct_is_write(rng);
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

	ct_lcore_reset(lc, r);
	while ((now = rte_rdtsc()) < end) {
		sum += ct_work(ct_arr[idx], words);
		n++;
		hb_poll(0);
		if (lc->nfree != CT_K)
			continue; /* our request is still queued: work on */
		ct_hb_issue(lc, r, &rng);
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

	ct_lcore_reset(lc, r);
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
		ct_hb_issue(lc, r, &rng);
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

int
ct_check(mc_fn fn, unsigned int nl, char *why, size_t sz)
{
	const bool hb = fn != ct_rwlock;
	uint64_t writes = 0, seq;
	unsigned int i;

	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		if (r->bad != 0) {
			snprintf(why, sz, "lcore %u: %" PRIu64 " failed visits "
				 "or checks (%s)", i, r->bad,
				 strerror(-r->err));
			return -1;
		}
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
	seq = ct_record_seq(hb);
	if (seq != ct_seq[!hb] + writes) {
		snprintf(why, sz, "record at sequence %" PRIu64 ", expected %"
			 PRIu64 " + %" PRIu64 " writes", seq, ct_seq[!hb],
			 writes);
		return -1;
	}
	ct_seq[!hb] = seq;
	return 0;
}

