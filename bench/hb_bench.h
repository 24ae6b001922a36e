/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_BENCH_H
#define HB_BENCH_H

/*
 * hb-bench: HyperBuf micro workloads against their baselines, in one
 * process. This header holds what its files share: the workload and
 * implementation types, the globals (each defined in one .c file, named
 * beside its declaration), the helpers every workload uses and the
 * prototypes of each file.
 *
 * Every workload (docs: bench/README.md) runs HyperBuf and the code a user
 * would write instead on the same inputs, round robin, repetition after
 * repetition, and reports the time of one operation (median, min and max
 * over the repetitions) and the ratio baseline time / HyperBuf time.
 *
 * Honesty rules kept here:
 *  - every implementation does the same work on the same inputs and its
 *    result is consumed (a checksum per iteration, checked against the
 *    checksum of a verified run: nothing can be optimised away unnoticed);
 *  - before timing, each workload runs every implementation once and checks
 *    that they produce identical bytes (and the expected ones);
 *  - baselines are what a competent user writes; the "expert" ones are the
 *    best we could write by hand (see each workload's comment);
 *  - pools are checked for leaks after each workload.
 *
 * Files:
 *  - main.c: EAL setup, the pool and the shared buffers, main();
 *  - args.c: the options and their parsing, --help;
 *  - workloads.c: the workload table (every workload, implementation and
 *    target, in one place);
 *  - baselines.c, baselines.h: the hand-written baselines' building blocks
 *    (vector, expert mbuf tail and cursor, segment index, write-back);
 *  - wl_buf.c: seed, append64k/append1m, msg2pkt, random (one lcore);
 *  - wl_visit.c: visit-hdr, visit-split (one lcore, packets of a burst);
 *  - wl_multi.c: the multi-lcore windows, shared-read, contend,
 *    contend-long;
 *  - runner.c: verification, calibration, timed repetitions and windows;
 *  - report.c: the table, derived values, CSV and JSON.
 *
 * Adding a workload: its setup, teardown and implementations in the wl_*.c
 * file of its kind (prototypes below), one entry in workloads.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mempool.h>

/* ------------------------------------------------------------------------
 * Sizes and limits
 */

#define KIB 1024u
#define MIB (1024u * 1024u)

#define PIECE 64u		/* append / read-back granularity */
#define RND_READS 4096u		/* random: offsets per iteration */
#define PKT_LEN 64u		/* visit-*: packet size */
#define MAX_BURST 1024u
#define MAX_IMPL 6
#define MAX_REPS 1000u
#define MC_LCORES 2u		/* multi-lcore workloads: most lcores */
#define CT_WORK_MAX 4096u	/* contend: largest --work */

#define OUT_CAP (MIB + 64 * KIB)	/* a verified run's output */
#define PATTERN_LEN (MIB + 4 * KIB)	/* source bytes */

/* ------------------------------------------------------------------------
 * Options (args.c), with their defaults there
 */

extern unsigned int opt_reps;	   /* --reps */
extern double opt_rep_ms;	   /* --rep-ms: length of one rep */
extern unsigned int opt_burst;	   /* --burst */
extern unsigned int opt_split_at;  /* --split-at */
extern uint64_t opt_seed;	   /* --seed */
extern const char *opt_csv;	   /* --csv */
extern const char *opt_json;	   /* --json */
extern const char *opt_workloads;  /* --workloads */
extern const char *opt_impls;	   /* --impl */
extern uint64_t opt_iters;	   /* --iters: 0 calibrate */
extern bool opt_quick;		   /* --quick */
extern double opt_mc_ms;	   /* --mc-ms: multi-lcore window */
extern unsigned int opt_work;	   /* --work: contend work, words */
extern unsigned int opt_write_pct; /* --write-pct: contend */

/* ------------------------------------------------------------------------
 * Process state (main.c)
 */

extern struct rte_mempool *pool;
extern double tsc_per_ns;
extern uint8_t *vout[MAX_IMPL];	/* one output per implementation */
extern uint8_t *vexpect;	/* expected output */
extern uint8_t *pattern;	/* source bytes: 1 MiB + slack */

/* ------------------------------------------------------------------------
 * Consuming results, verification outputs
 */

/*
 * Tell the compiler the @n bytes at @p are read here: the stores that made
 * them must happen. Costs no instruction.
 */
#define BENCH_USE(p, n) \
	__asm__ volatile("" : : "m"(*(const uint8_t(*)[n])(const void *)(p)))

/* Tell the compiler @p escapes: whatever it points to may be used. */
#define BENCH_ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")

static inline uint64_t
ld64(const void *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/* Fold of a 64-byte piece into a checksum (equal cost everywhere). */
static inline uint64_t
fold_piece(const uint8_t *p)
{
	return ld64(p) + (ld64(p + PIECE - 8) << 1);
}

/*
 * Verified runs (one iteration per implementation) write what they produced
 * here (runner.c). Timed runs keep g_verify false; per-piece outputs then
 * all land on the first slot (g_out_mask 0), so the work done is the same.
 */
extern bool g_verify;
extern uint8_t *g_out;		/* where this implementation writes */
extern size_t g_out_len;	/* bytes it wrote */
extern uint32_t g_out_mask;	/* 0 (timed) or UINT32_MAX (verify) */

/* Exit with "@what failed" and @rc's (or rte_errno's) meaning (main.c). */
__rte_noreturn void bench_die(const char *what, int rc);

#define CHECK_RC(expr)                                                         \
	do {                                                                   \
		int __rc = (expr);                                             \
		if (unlikely(__rc != 0))                                       \
			bench_die(#expr, __rc);                                \
	} while (0)

#define CHECK_PTR(expr)                                                        \
	do {                                                                   \
		if (unlikely((expr) == NULL))                                  \
			bench_die(#expr, 0);                                   \
	} while (0)

/* xorshift64* */
static inline uint64_t
rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(2685821657736338717);
}

/* ------------------------------------------------------------------------
 * Multi-lcore windows (wl_multi.c)
 */

/* What one lcore did in one window. */
struct mc_res {
	uint64_t ops;		/* shared-read: visits; contend: work units */
				/* (contend-long: bursts, held or not) */
	uint64_t issued;	/* contend: visits asked for */
	uint64_t visits;	/* contend: visits done in the window */
	uint64_t late;		/* contend: visits done after it (drain) */
	uint64_t writes;	/* contend: write visits */
	uint64_t sum;		/* digests (shared-read), work sums (contend) */
	uint64_t bad;		/* failed checks */
	int err;		/* an error code seen, if any */
	uint64_t spin_tsc;	/* cycles spent waiting for access */
	uint64_t spins;		/* accesses that waited */
	uint64_t drain_tsc;	/* hyperbuf: completing requests after it */
	uint64_t last_seq;	/* contend: last sequence number seen */
	uint64_t t0, t1;	/* this lcore's window */
	long nivcsw;		/* involuntary context switches */
} __rte_cache_aligned;

/* The loop lcore @idx runs for one window; it sets r->t1 at its end. */
typedef void (*mc_fn)(unsigned int idx, struct mc_res *r);

/* The current window: its loop, its TSC bounds, each lcore's results. */
struct mc_ctl {
	mc_fn fn;
	double ms;	     /* its length (0: --mc-ms) */
	uint64_t start, end; /* the window (TSC) */
	struct mc_res res[MC_LCORES];
};

extern struct mc_ctl mc;
extern unsigned int mc_worker; /* the second lcore; RTE_MAX_LCORE: none */

/* One window of @fn on @nl lcores; true if no lcore was disturbed. */
bool mc_window(mc_fn fn, unsigned int nl);

/* ------------------------------------------------------------------------
 * Workloads and implementations
 */

enum role {
	ROLE_HB,	/* the HyperBuf implementation ratios refer to */
	ROLE_HB_VARIANT, /* another way to do it with HyperBuf */
	ROLE_BASE,	/* a baseline */
};

/* @iters iterations of the workload; returns the sum of their checksums. */
typedef uint64_t (*impl_fn)(uint64_t iters);

struct impl {
	const char *name;
	enum role role;
	impl_fn run;
	double target; /* minimum baseline/HyperBuf ratio; 0: report only */
	/* results */
	uint64_t ref_sum; /* checksum of one iteration */
	uint64_t iters;	  /* per repetition */
	unsigned int nb;  /* repetitions done */
	double ns[MAX_REPS];
	double med, min, max;
	double ratio; /* median / HyperBuf median */
	/* multi-lcore workloads */
	mc_fn mc;	     /* the loop each lcore runs */
	unsigned int windows; /* windows run (timed ones) */
	unsigned int clean;  /* of which undisturbed */
	bool kept_clean;     /* only the undisturbed ones are in ns[] */
	bool ok[MAX_REPS];   /* window undisturbed */
	double rate[MAX_REPS];	/* operations per second, all lcores */
	double vrate[MAX_REPS]; /* contend: visits per second in the window */
	double spin[MAX_REPS];	/* share of lcore time spent waiting */
	double drain[MAX_REPS]; /* contend: drain after the window, ns */
	double queued[MAX_REPS]; /* share of hb_visit_async() queued */
	double rate_med, vrate_med, spin_med, spin_max, drain_med, queued_med;
	uint64_t waits;	     /* accesses that waited, all windows */
	uint64_t async_now, async_queued; /* hb_stats deltas, last window */
};

struct workload {
	const char *name;  /* cell name */
	const char *group; /* name in --workloads */
	const char *op;	   /* what one operation is */
	unsigned int ops_per_iter; /* 0: opt_burst */
	int (*setup)(void);
	void (*teardown)(void);
	const char *todo; /* not implemented yet: why */
	/* multi-lcore workloads: lcores and the check after each window */
	unsigned int lcores;
	unsigned int mc_mul; /* windows of --mc-ms times this (0: once) */
	int (*mc_check)(mc_fn fn, unsigned int nl, char *why, size_t sz);
	/* before the timed windows (and the memzone count), if set */
	void (*prime)(void);
	struct impl impl[MAX_IMPL];
	/* state */
	bool selected;
	bool ran;
	bool failed;
	bool skipped; /* not enough lcores */
};

/* The workload table (workloads.c). */
extern struct workload workloads[];
extern const unsigned int nb_workloads;

static inline unsigned int
wl_nb_impl(const struct workload *w)
{
	unsigned int n = 0;

	while (n < MAX_IMPL && w->impl[n].name != NULL)
		n++;
	return n;
}

static inline unsigned int
wl_ops(const struct workload *w)
{
	return w->ops_per_iter != 0 ? w->ops_per_iter : opt_burst;
}

/* ------------------------------------------------------------------------
 * Workloads' entry points, for the table
 */

/* wl_buf.c */
int seed_setup(void);
uint64_t seed_hb(uint64_t iters);
uint64_t seed_hb_put(uint64_t iters);
uint64_t seed_vec(uint64_t iters);
uint64_t seed_mbuf(uint64_t iters);
int app64k_setup(void);
int app1m_setup(void);
uint64_t app_hb(uint64_t iters);
uint64_t app_hb_cursor(uint64_t iters);
uint64_t app_hb_stream(uint64_t iters);
uint64_t app_mbuf_idiomatic(uint64_t iters);
uint64_t app_mbuf_expert(uint64_t iters);
uint64_t app_vec(uint64_t iters);
int msg_setup(void);
void msg_teardown(void);
uint64_t msg_hb(uint64_t iters);
uint64_t msg_hb_writer(uint64_t iters);
uint64_t msg_vec(uint64_t iters);
uint64_t msg_vec_reuse(uint64_t iters);
int p2m_setup(void);
uint64_t p2m_hb(uint64_t iters);
uint64_t p2m_hb_cursor(uint64_t iters);
uint64_t p2m_vec(uint64_t iters);
uint64_t p2m_chain(uint64_t iters);
int rnd64k_setup(void);
int rnd1m_setup(void);
void rnd_teardown(void);
uint64_t rnd_hb(uint64_t iters);
uint64_t rnd_mbuf_read(uint64_t iters);
uint64_t rnd_expert(uint64_t iters);

/* wl_visit.c */
int vis_hdr_setup(void);
int vis_split_setup(void);
void vis_teardown(void);
void vis_split_teardown(void);
uint64_t vis_hb(uint64_t iters);
uint64_t vis_hb_1visit(uint64_t iters);
uint64_t vis_hb_pullup(uint64_t iters);
uint64_t vis_mtod(uint64_t iters);
uint64_t vis_read_writeback(uint64_t iters);

/* wl_multi.c */
void mc_teardown(void);
int sr_setup(void);
void sr_hb(unsigned int idx, struct mc_res *r);
void sr_rwlock(unsigned int idx, struct mc_res *r);
int sr_check(mc_fn fn, unsigned int nl, char *why, size_t sz);
int ct_setup(void);
void ct_hb(unsigned int idx, struct mc_res *r);
void ct_hb_queue(unsigned int idx, struct mc_res *r);
void ct_rwlock(unsigned int idx, struct mc_res *r);
int ct_check(mc_fn fn, unsigned int nl, char *why, size_t sz);
void ct_prime_all(void);
int cl1_setup(void);
int cl5_setup(void);
int cl20_setup(void);
void cl_teardown(void);
void cl_hb(unsigned int idx, struct mc_res *r);
void cl_rwlock(unsigned int idx, struct mc_res *r);
void cl_spinlock(unsigned int idx, struct mc_res *r);
void cl_trylock(unsigned int idx, struct mc_res *r);
int cl_check(mc_fn fn, unsigned int nl, char *why, size_t sz);

/* ------------------------------------------------------------------------
 * Running and reporting
 */

/* runner.c: check, time and summarise @w; 0 if all its checks passed. */
int wl_run(struct workload *w);

/* report.c */
void print_table(void);
int write_csv(const char *path);
int write_json(const char *path);

/* args.c */
void usage(const char *prog);
int parse_args(int argc, char **argv);

#endif /* HB_BENCH_H */
