/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: running a workload. Single-lcore ones: every implementation
 * once, its output checked against the others' and the expected bytes
 * (wl_verify()), a calibration of the iterations in one repetition, then
 * timed repetitions round robin, each checksum checked. Multi-lcore ones:
 * a checked window of each implementation, then windows round robin, the
 * undisturbed ones kept as samples. Both end with a pool leak check.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>

#include <hyperbuf.h>

#include "hb_bench.h"

bool g_verify;
uint8_t *g_out;
size_t g_out_len;
uint32_t g_out_mask;

static uint64_t
time_run(struct impl *im, uint64_t iters, uint64_t *sum)
{
	uint64_t t0, t1;

	t0 = rte_rdtsc_precise();
	*sum = im->run(iters);
	t1 = rte_rdtsc_precise();
	return t1 - t0;
}

static void
check_sum(const struct workload *w, const struct impl *im, uint64_t iters,
	  uint64_t sum)
{
	if (sum != iters * im->ref_sum)
		rte_exit(EXIT_FAILURE,
			 "%s/%s: checksum %#" PRIx64 " after %" PRIu64
			 " iterations, expected %#" PRIx64 "\n",
			 w->name, im->name, sum, iters, iters * im->ref_sum);
}

/*
 * Run every implementation once, keep what each produced, and compare:
 * identical bytes across implementations, the expected bytes, and the
 * same checksum.
 */
static int
wl_verify(struct workload *w)
{
	unsigned int n = wl_nb_impl(w), i;
	size_t len[MAX_IMPL];
	int bad = 0;

	for (i = 0; i < n; i++) {
		struct impl *im = &w->impl[i];

		g_verify = true;
		g_out = vout[i];
		g_out_len = 0;
		g_out_mask = UINT32_MAX;
		memset(g_out, 0xa5, OUT_CAP);
		im->ref_sum = im->run(1);
		len[i] = g_out_len;
		g_verify = false;
	}
	g_out = vout[MAX_IMPL - 1];
	g_out_mask = 0;

	for (i = 0; i < n; i++) {
		const struct impl *im = &w->impl[i];
		size_t k;

		if (len[i] == 0) {
			printf("  check %s/%s: produced no output\n", w->name,
			       im->name);
			bad = 1;
			continue;
		}
		if (im->ref_sum != w->impl[0].ref_sum) {
			printf("  check %s/%s: checksum %#" PRIx64
			       " != %s's %#" PRIx64 "\n", w->name, im->name,
			       im->ref_sum, w->impl[0].name, w->impl[0].ref_sum);
			bad = 1;
		}
		if (len[i] != len[0] || memcmp(vout[i], vout[0], len[0]) != 0 ||
		    memcmp(vout[i], vexpect, len[i]) != 0) {
			for (k = 0; k < len[i] && vout[i][k] == vexpect[k]; k++)
				;
			printf("  check %s/%s: %zu bytes, first difference "
			       "with the expected bytes at %zu\n", w->name,
			       im->name, len[i], k);
			bad = 1;
		}
	}
	if (!bad)
		printf("  check %s: %u implementations, identical %zu bytes, "
		       "checksum %#" PRIx64 " per iteration\n", w->name, n,
		       len[0], w->impl[0].ref_sum);
	return bad ? -1 : 0;
}

/* --impl: is @im one of the implementations to time? */
static bool
impl_selected(const struct impl *im)
{
	const char *p = opt_impls;
	size_t n = strlen(im->name);

	if (p == NULL)
		return true;
	while (*p != '\0') {
		size_t k = strcspn(p, ",");

		if (k == n && strncmp(p, im->name, n) == 0)
			return true;
		p += k;
		if (*p == ',')
			p++;
	}
	return false;
}

/* How many iterations make one repetition last about opt_rep_ms. */
static uint64_t
calibrate(const struct workload *w, struct impl *im)
{
	const double want = opt_rep_ms * 1e6 * tsc_per_ns;
	uint64_t iters = 1, sum, t;

	for (;;) {
		double grow;

		t = time_run(im, iters, &sum);
		check_sum(w, im, iters, sum);
		if (t >= want / 2 || iters >= (UINT64_C(1) << 40))
			break;
		grow = t > 0 ? want / (double)t : 1000.0;
		grow = RTE_MIN(RTE_MAX(grow, 2.0), 1000.0);
		iters = (uint64_t)((double)iters * grow) + 1;
	}
	iters = (uint64_t)((double)iters * want / (double)RTE_MAX(t, 1ull));
	return RTE_MAX(iters, (uint64_t)1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
summarize(struct impl *im)
{
	double s[MAX_REPS];
	unsigned int n = im->nb;

	memcpy(s, im->ns, n * sizeof(s[0]));
	qsort(s, n, sizeof(s[0]), cmp_double);
	im->min = s[0];
	im->max = s[n - 1];
	im->med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double
median_of(const double *v, unsigned int n)
{
	double s[MAX_REPS];

	if (n == 0)
		return 0;
	memcpy(s, v, n * sizeof(s[0]));
	qsort(s, n, sizeof(s[0]), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void
mz_count_cb(const struct rte_memzone *mz __rte_unused, void *arg)
{
	(*(unsigned int *)arg)++;
}

static unsigned int
memzone_count(void)
{
	unsigned int n = 0;

	rte_memzone_walk(mz_count_cb, &n);
	return n;
}

/* Keep the last window of @im (mc.res) as a sample. */
static void
mc_sample(struct impl *im, unsigned int nl, bool clean)
{
	uint64_t lt = 0, ops = 0, vis = 0, spin = 0, drain = 0;
	unsigned int i, k = im->nb;
	double secs;

	for (i = 0; i < nl; i++) {
		const struct mc_res *r = &mc.res[i];

		lt += r->t1 - r->t0;
		ops += r->ops;
		vis += r->visits;
		spin += r->spin_tsc;
		drain += r->drain_tsc;
		im->waits += r->spins;
	}
	secs = (double)lt / nl / rte_get_tsc_hz(); /* the window */
	im->ns[k] = (double)lt / tsc_per_ns / (double)ops;
	im->ok[k] = clean;
	im->rate[k] = (double)ops / secs;
	im->vrate[k] = (double)vis / secs;
	im->spin[k] = (double)spin / (double)lt;
	im->drain[k] = (double)drain / nl / tsc_per_ns;
	im->queued[k] = im->async_now + im->async_queued == 0 ? 0 :
		(double)im->async_queued /
		(double)(im->async_now + im->async_queued);
	im->spin_max = RTE_MAX(im->spin_max, im->spin[k]);
	im->windows++;
	im->clean += clean;
	im->nb++;
}

/* Keep only the undisturbed windows if there are 3 or more. */
static void
mc_summarize(struct impl *im)
{
	unsigned int i, k = 0;

	im->kept_clean = im->clean >= 3;
	if (im->kept_clean) {
		for (i = 0; i < im->nb; i++) {
			if (!im->ok[i])
				continue;
			im->ns[k] = im->ns[i];
			im->rate[k] = im->rate[i];
			im->vrate[k] = im->vrate[i];
			im->spin[k] = im->spin[i];
			im->drain[k] = im->drain[i];
			im->queued[k] = im->queued[i];
			k++;
		}
		im->nb = k;
	}
	summarize(im);
	im->rate_med = median_of(im->rate, im->nb);
	im->vrate_med = median_of(im->vrate, im->nb);
	im->spin_med = median_of(im->spin, im->nb);
	im->drain_med = median_of(im->drain, im->nb);
	im->queued_med = median_of(im->queued, im->nb);
}

/*
 * Once every sample is in: @summarise each implementation that ran, then
 * each one's ratio to the HyperBuf row's median.
 */
static void
wl_results(struct workload *w, void (*summarise)(struct impl *im))
{
	const unsigned int n = wl_nb_impl(w);
	const struct impl *hb = NULL;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (w->impl[i].nb == 0)
			continue;
		summarise(&w->impl[i]);
		if (w->impl[i].role == ROLE_HB)
			hb = &w->impl[i];
	}
	for (i = 0; i < n; i++)
		w->impl[i].ratio = hb != NULL && hb->med > 0 ?
			w->impl[i].med / hb->med : 0;
	w->ran = true;
}

/* The workload's teardown, then the leak check: @in_use mbufs before. */
static int
wl_teardown(struct workload *w, unsigned int in_use)
{
	if (w->teardown != NULL)
		w->teardown();
	if (rte_mempool_in_use_count(pool) != in_use) {
		printf("  check %s: pool leak: %d mbufs in use, %u before\n",
		       w->name, rte_mempool_in_use_count(pool), in_use);
		return -1;
	}
	return 0;
}

/*
 * A multi-lcore workload: a checked window of each implementation (also
 * the warm-up), then windows round robin (see "Multi-lcore workloads").
 */
static int
wl_run_multi(struct workload *w)
{
	const unsigned int n = wl_nb_impl(w), nl = w->lcores;
	const unsigned int avail = mc_worker < RTE_MAX_LCORE ? 2 : 1;
	unsigned int in_use, mz0, mz1, i, a;
	struct hb_stats st0, st1, sw0, sw1;
	char why[256];
	int rc;

	printf("%s: %s\n", w->name, w->op);
	fflush(stdout);
	if (nl > avail) {
		printf("  skipped: needs %u lcores, this run has %u (give the "
		       "EAL -l 0-1 or --lcores)\n", nl, avail);
		w->skipped = true;
		return 0;
	}
	in_use = rte_mempool_in_use_count(pool);
	rc = w->setup != NULL ? w->setup() : 0;
	if (rc != 0) {
		printf("  setup failed: %s\n", strerror(-rc));
		return -1;
	}
	mc.ms = opt_mc_ms * (w->mc_mul != 0 ? w->mc_mul : 1);
	CHECK_RC(hb_stats_get(&st0));
	for (i = 0; i < n && rc == 0; i++) {
		struct impl *im = &w->impl[i];

		im->nb = 0;
		im->windows = 0;
		im->clean = 0;
		im->waits = 0;
		im->spin_max = 0;
		(void)mc_window(im->mc, nl);
		if (w->mc_check(im->mc, nl, why, sizeof(why)) != 0) {
			printf("  check %s/%s: %s\n", w->name, im->name, why);
			rc = -1;
		}
	}
	if (rc == 0)
		printf("  check %s: %u implementations on %u lcore(s), every "
		       "visit's bytes checked\n", w->name, n, nl);
	if (rc == 0 && w->prime != NULL)
		w->prime();
	mz0 = memzone_count();
	for (a = 0; rc == 0 && a < 8 * opt_reps; a++) {
		bool more = false;

		for (i = 0; i < n; i++) {
			struct impl *im = &w->impl[(i + a) % n];
			bool clean;

			if (!impl_selected(im) || im->clean >= opt_reps ||
			    im->nb >= MAX_REPS)
				continue;
			more = true;
			CHECK_RC(hb_stats_get(&sw0));
			clean = mc_window(im->mc, nl);
			CHECK_RC(hb_stats_get(&sw1));
			im->async_now = sw1.async_now - sw0.async_now;
			im->async_queued = sw1.async_queued - sw0.async_queued;
			if (w->mc_check(im->mc, nl, why, sizeof(why)) != 0) {
				printf("  check %s/%s: %s\n", w->name,
				       im->name, why);
				rc = -1;
				break;
			}
			mc_sample(im, nl, clean);
		}
		if (!more)
			break;
	}
	mz1 = memzone_count();
	mc.ms = 0;
	CHECK_RC(hb_stats_get(&st1));
	if (rc == 0)
		wl_results(w, mc_summarize);
	/* Every queued request was delivered by hb_poll(); none lost. */
	if (st1.async_queued - st0.async_queued !=
	    st1.async_granted - st0.async_granted ||
	    st1.async_cancelled != st0.async_cancelled ||
	    st1.async_teardown != st0.async_teardown) {
		printf("  check %s: %" PRIu64 " requests queued, %" PRIu64
		       " granted, %" PRIu64 " cancelled, %" PRIu64
		       " ended by teardown\n", w->name,
		       st1.async_queued - st0.async_queued,
		       st1.async_granted - st0.async_granted,
		       st1.async_cancelled - st0.async_cancelled,
		       st1.async_teardown - st0.async_teardown);
		rc = -1;
	} else if (st1.async_queued != st0.async_queued) {
		printf("  check %s: %" PRIu64 " requests queued, all granted "
		       "and delivered by hb_poll()\n", w->name,
		       st1.async_queued - st0.async_queued);
	}
	if (mz1 != mz0) {
		printf("  check %s: memzones (rings) %u before the timed "
		       "windows, %u after\n", w->name, mz0, mz1);
		rc = -1;
	}
	return wl_teardown(w, in_use) != 0 ? -1 : rc;
}

int
wl_run(struct workload *w)
{
	unsigned int n = wl_nb_impl(w), ops = wl_ops(w), in_use, i, r;
	int rc;

	if (w->lcores != 0)
		return wl_run_multi(w);
	printf("%s: %s\n", w->name, w->op);
	fflush(stdout);
	in_use = rte_mempool_in_use_count(pool);
	rc = w->setup != NULL ? w->setup() : 0;
	if (rc != 0) {
		printf("  setup failed: %s\n", strerror(-rc));
		return -1;
	}
	rc = wl_verify(w);
	if (rc == 0) {
		/* Warm-up: calibration, then one repetition thrown away. */
		for (i = 0; i < n; i++) {
			struct impl *im = &w->impl[i];
			uint64_t sum;

			im->nb = 0;
			if (!impl_selected(im))
				continue;
			im->iters = opt_iters != 0 ? opt_iters :
						     calibrate(w, im);
			(void)time_run(im, im->iters, &sum);
			check_sum(w, im, im->iters, sum);
		}
		/* Round robin, a different first one each repetition. */
		for (r = 0; r < opt_reps; r++) {
			for (i = 0; i < n; i++) {
				struct impl *im = &w->impl[(i + r) % n];
				uint64_t sum, t;

				if (!impl_selected(im))
					continue;
				t = time_run(im, im->iters, &sum);
				check_sum(w, im, im->iters, sum);
				im->ns[im->nb++] = (double)t / tsc_per_ns /
						   ((double)im->iters * ops);
			}
		}
		wl_results(w, summarize);
	}
	return wl_teardown(w, in_use) != 0 ? -1 : rc;
}

