/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: HyperBuf micro workloads against their baselines, in one process.
 *
 * Every workload (docs: shared/design/BENCH.md) runs HyperBuf and the code a
 * user would write instead on the same inputs, round robin, repetition after
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
 * Run (EAL arguments before "--", ours after; without "--" every argument is
 * ours and the EAL gets sensible defaults: no hugepages, no PCI, lcore 0):
 *   hb-bench --no-huge -m 512 --no-pci --no-shconf --file-prefix hbb -l 1 \
 *       -- --reps 15 --csv out.csv --json out.json
 *   hb-bench --quick
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_reciprocal.h>
#include <rte_rwlock.h>

#include <hyperbuf.h>

/* ------------------------------------------------------------------------
 * Parameters
 */

#define KIB 1024u
#define MIB (1024u * 1024u)

#define PIECE 64u		/* append / read-back granularity */
#define SEED_LEN 120u		/* seed: buffer size */
#define SEED_WRITES 13u		/* seed: indexed byte writes */
#define MSG_LEN (64u * KIB)	/* msg2pkt: message size */
#define MSG_HDR 42u		/* msg2pkt: header prepended */
#define MSG_MTU 1500u		/* msg2pkt: largest packet */
#define MSG_MAX_PKTS ((MSG_LEN + MSG_HDR + MSG_MTU - 1) / MSG_MTU)
#define RND_READS 4096u		/* random: offsets per iteration */
#define RND_LEN 8u		/* random: bytes per read */
#define PKT_LEN 64u		/* visit-*: packet size */
#define MAX_BURST 1024u
#define MAX_IMPL 6
#define MAX_REPS 1000u

#define POOL_SIZE 16383u
#define POOL_CACHE 256u

/* Options, with their defaults. */
static unsigned int opt_reps = 21;	 /* --reps */
static double opt_rep_ms = 5.0;		 /* --rep-ms: length of one rep */
static unsigned int opt_burst = 64;	 /* --burst */
static unsigned int opt_split_at = 10;	 /* --split-at */
static uint64_t opt_seed = 0x9e3779b97f4a7c15ull; /* --seed */
static const char *opt_csv;		 /* --csv */
static const char *opt_json;		 /* --json */
static const char *opt_workloads;	 /* --workloads */
static const char *opt_impls;		 /* --impl */
static uint64_t opt_iters;		 /* --iters: 0 calibrate */
static bool opt_quick;			 /* --quick */
static double opt_mc_ms = 2.0;		 /* --mc-ms: multi-lcore window */
static unsigned int opt_work = 128;	 /* --work: contend work, words */
static unsigned int opt_write_pct = 20;	 /* --write-pct: contend */

static struct rte_mempool *pool;
static double tsc_per_ns;

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
 * here. Timed runs keep g_verify false; per-piece outputs then all land on
 * the first slot (g_out_mask 0), so the work done is the same.
 */
static bool g_verify;
static uint8_t *g_out;		/* where this implementation writes */
static size_t g_out_len;	/* bytes it wrote */
static uint32_t g_out_mask;	/* 0 (timed) or UINT32_MAX (verify) */
#define OUT_CAP (MIB + 64 * KIB)

static uint8_t *vout[MAX_IMPL];	/* one output per implementation */
static uint8_t *vexpect;	/* expected output */
static uint8_t *pattern;	/* source bytes: 1 MiB + slack */
#define PATTERN_LEN (MIB + 4 * KIB)

static __rte_noreturn void
bench_die(const char *what, int rc)
{
	rte_exit(EXIT_FAILURE, "hb-bench: %s failed: %s\n", what,
		 rc < 0 ? strerror(-rc) : rte_strerror(rte_errno));
}

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
 * Baseline building blocks
 */

/*
 * vec: the C byte vector a user writes (the seed's "std vec"): malloc'ed,
 * grown by realloc to twice its capacity (at least 64 bytes).
 */
struct vec {
	uint8_t *p;
	size_t len;
	size_t cap;
};

static __rte_noinline int
vec_grow(struct vec *v, size_t need)
{
	size_t cap = RTE_MAX(RTE_MAX(v->cap * 2, need), (size_t)64);
	uint8_t *p = realloc(v->p, cap);

	if (p == NULL)
		return -ENOMEM;
	v->p = p;
	v->cap = cap;
	return 0;
}

static inline int
vec_append(struct vec *v, const void *src, size_t n)
{
	if (unlikely(v->cap - v->len < n) && vec_grow(v, v->len + n) != 0)
		return -ENOMEM;
	memcpy(v->p + v->len, src, n);
	v->len += n;
	return 0;
}

static inline void
vec_free(struct vec *v)
{
	free(v->p);
	v->p = NULL;
	v->len = 0;
	v->cap = 0;
}

/*
 * xbuf: the hand-tuned mbuf chain ("raw-mbuf expert"). The tail segment is
 * kept by hand, so an append is O(1); the chain stays a valid packet after
 * every append (the contract HyperBuf keeps too). New segments use their
 * whole data room (data_off 0) except the head, which keeps its headroom,
 * exactly the layout HyperBuf builds. The expert knows it owns every
 * segment, so it checks no reference count.
 */
struct xbuf {
	struct rte_mbuf *head;
	struct rte_mbuf *tail;
};

static __rte_noinline int
xbuf_append_slow(struct xbuf *x, const void *src, uint32_t len)
{
	const char *p = src;

	for (;;) {
		struct rte_mbuf *t = x->tail, *m;
		uint32_t n = 0;

		if (t != NULL) {
			n = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(t));
			memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len),
			       p, n);
			t->data_len = (uint16_t)(t->data_len + n);
			x->head->pkt_len += n;
			p += n;
			len -= n;
		}
		if (len == 0)
			return 0;
		m = rte_pktmbuf_alloc(pool);
		if (m == NULL)
			return -ENOMEM;
		if (t == NULL) {
			x->head = m;
		} else {
			m->data_off = 0;
			t->next = m;
			x->head->nb_segs++;
		}
		x->tail = m;
	}
}

static inline int
xbuf_append(struct xbuf *x, const void *src, uint32_t len)
{
	struct rte_mbuf *t = x->tail;

	if (likely(t != NULL &&
		   len <= (uint32_t)(t->buf_len - t->data_off - t->data_len))) {
		memcpy(rte_pktmbuf_mtod_offset(t, char *, t->data_len), src,
		       len);
		t->data_len = (uint16_t)(t->data_len + len);
		x->head->pkt_len += len;
		return 0;
	}
	return xbuf_append_slow(x, src, len);
}

/* Expert read cursor: (segment, offset in segment). */
struct xcur {
	const struct rte_mbuf *seg;
	uint32_t rel;
};

static __rte_noinline void
xcur_read_slow(struct xcur *c, void *dst, uint32_t len)
{
	char *d = dst;

	while (len > 0) {
		uint32_t n;

		if (c->rel == c->seg->data_len) {
			c->seg = c->seg->next;
			c->rel = 0;
		}
		n = RTE_MIN(len, c->seg->data_len - c->rel);
		memcpy(d, rte_pktmbuf_mtod_offset(c->seg, const char *, c->rel),
		       n);
		d += n;
		len -= n;
		c->rel += n;
	}
}

/* The caller knows [cursor, +len) is inside the chain. */
static inline void
xcur_read(struct xcur *c, void *dst, uint32_t len)
{
	const struct rte_mbuf *m = c->seg;

	if (likely(c->rel + len <= m->data_len)) {
		memcpy(dst, rte_pktmbuf_mtod_offset(m, const char *, c->rel),
		       len);
		c->rel += len;
		return;
	}
	xcur_read_slow(c, dst, len);
}

/*
 * Expert segment index for random reads: per segment its data pointer,
 * logical start and length, 16 bytes each. Lookup by arithmetic when the
 * middle segments have one length (what appends build; exact division by
 * DPDK's rte_reciprocal, no divide instruction), else by binary search.
 */
struct xseg {
	const char *data;
	uint32_t start;
	uint32_t len;
};

struct xidx {
	struct xseg *s;
	uint32_t n;
	uint32_t first_len;	/* length of segment 0 */
	uint32_t mid_len;	/* length of segments 1..n-2; 0: not uniform */
	struct rte_reciprocal rdiv;
};

static int
xidx_build(struct xidx *x, const struct rte_mbuf *head)
{
	const struct rte_mbuf *m;
	uint32_t i = 0, off = 0;

	x->n = head->nb_segs;
	x->s = calloc(x->n, sizeof(*x->s));
	if (x->s == NULL)
		return -ENOMEM;
	for (m = head; m != NULL; m = m->next, i++) {
		x->s[i].data = rte_pktmbuf_mtod(m, const char *);
		x->s[i].start = off;
		x->s[i].len = m->data_len;
		off += m->data_len;
	}
	x->first_len = x->s[0].len;
	x->mid_len = x->n > 2 ? x->s[1].len : 0;
	for (i = 1; i + 1 < x->n; i++)
		if (x->s[i].len != x->mid_len)
			x->mid_len = 0;
	if (x->n > 1 && x->s[x->n - 1].len > x->mid_len)
		x->mid_len = 0;
	if (x->mid_len != 0)
		x->rdiv = rte_reciprocal_value(x->mid_len);
	return 0;
}

static inline uint32_t
xidx_find(const struct xidx *x, uint32_t off)
{
	uint32_t lo, len;

	if (likely(x->mid_len != 0))
		return off < x->first_len ? 0 :
			1 + rte_reciprocal_divide(off - x->first_len, x->rdiv);
	lo = 0;
	len = x->n;
	while (len > 1) {
		uint32_t half = len / 2;

		if (x->s[lo + half].start <= off)
			lo += half;
		len -= half;
	}
	return lo;
}

static __rte_noinline void
xidx_read_span(const struct xidx *x, uint32_t i, uint32_t rel, void *dst,
	       uint32_t len)
{
	char *d = dst;

	while (len > 0) {
		uint32_t n = RTE_MIN(len, x->s[i].len - rel);

		memcpy(d, x->s[i].data + rel, n);
		d += n;
		len -= n;
		rel = 0;
		i++;
	}
}

static inline void
xidx_read(const struct xidx *x, uint32_t off, void *dst, uint32_t len)
{
	uint32_t i = xidx_find(x, off);
	uint32_t rel = off - x->s[i].start;

	if (likely(rel + len <= x->s[i].len)) {
		memcpy(dst, x->s[i].data + rel, len);
		return;
	}
	xidx_read_span(x, i, rel, dst, len);
}

/* Write @len bytes at @off of a chain, across segments (hand written). */
static inline void
mbuf_write_back(struct rte_mbuf *m, uint32_t off, const void *src,
		uint32_t len)
{
	const char *p = src;

	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len > 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);

		memcpy(rte_pktmbuf_mtod_offset(m, char *, off), p, n);
		p += n;
		len -= n;
		off = 0;
		m = m->next;
	}
}

/* Gather a whole packet into @dst; returns its length. */
static uint32_t
pkt_gather(const struct rte_mbuf *m, uint8_t *dst)
{
	const struct rte_mbuf *s;
	uint32_t off = 0;

	for (s = m; s != NULL; s = s->next) {
		memcpy(dst + off, rte_pktmbuf_mtod(s, const void *),
		       s->data_len);
		off += s->data_len;
	}
	return off;
}

/* ------------------------------------------------------------------------
 * Workload: seed
 *
 * The seed's own "Vec benches": a fresh 120-byte zeroed buffer, 13 indexed
 * byte writes, one 8-byte read (the use), free.
 *  - hyperbuf: hb_buf_append of 120 zero bytes, hb_buf_put_u8() x 13,
 *    hb_buf_get_le64(), hb_buf_free();
 *  - hyperbuf-visit (variant): a write visitor that grows the empty buffer
 *    by 120 zero bytes (the seed's WriteVisitor), 13 writes through it;
 *  - vec: calloc(120), 13 stores, free;
 *  - mbuf: rte_pktmbuf_alloc + rte_pktmbuf_append(120) + memset, 13 stores
 *    through the pointer, rte_pktmbuf_free.
 */

static uint16_t seed_idx[SEED_WRITES];
static uint8_t seed_val[SEED_WRITES];
static uint32_t seed_word; /* offset of the 8 bytes read back */
static const uint8_t zeros[4096];

static int
seed_setup(void)
{
	uint64_t s = opt_seed ^ 0x5eed;
	unsigned int i;

	for (i = 0; i < SEED_WRITES; i++) {
		seed_idx[i] = (uint16_t)(rng_next(&s) % SEED_LEN);
		seed_val[i] = (uint8_t)(rng_next(&s) | 1);
	}
	seed_word = (seed_idx[0] / 8u) * 8u;
	if (seed_word + 8 > SEED_LEN)
		seed_word = SEED_LEN - 8;
	memset(vexpect, 0, SEED_LEN);
	for (i = 0; i < SEED_WRITES; i++)
		vexpect[seed_idx[i]] = seed_val[i];
	return 0;
}

static void
seed_out(const void *p)
{
	if (unlikely(g_verify)) {
		memcpy(g_out, p, SEED_LEN);
		g_out_len = SEED_LEN;
	}
}

static uint64_t
seed_hb(uint64_t iters)
{
	uint64_t sum = 0, x;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		CHECK_RC(hb_buf_init(&b, pool));
		CHECK_RC(hb_buf_append(&b, zeros, SEED_LEN));
		for (i = 0; i < SEED_WRITES; i++)
			CHECK_RC(hb_buf_put_u8(&b, seed_idx[i], seed_val[i]));
		CHECK_RC(hb_buf_get_le64(&b, seed_word, &x));
		sum += x;
		if (unlikely(g_verify)) {
			CHECK_RC(hb_buf_read(&b, 0, g_out, SEED_LEN));
			g_out_len = SEED_LEN;
		}
		CHECK_RC(hb_buf_free(&b));
	}
	return sum;
}

static uint64_t
seed_hb_visit(uint64_t iters)
{
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;
	uint8_t *p;

	while (iters-- > 0) {
		CHECK_RC(hb_buf_init(&b, pool));
		CHECK_RC(hb_visit_write(&b, 0, SEED_LEN, SEED_LEN, &v));
		p = v.ptr;
		for (i = 0; i < SEED_WRITES; i++)
			p[seed_idx[i]] = seed_val[i];
		sum += ld64(p + seed_word);
		seed_out(p);
		CHECK_RC(hb_visit_release(&v));
		CHECK_RC(hb_buf_free(&b));
	}
	return sum;
}

static uint64_t
seed_vec(uint64_t iters)
{
	uint64_t sum = 0;
	unsigned int i;
	uint8_t *p;

	while (iters-- > 0) {
		p = calloc(1, SEED_LEN);
		CHECK_PTR(p);
		for (i = 0; i < SEED_WRITES; i++)
			p[seed_idx[i]] = seed_val[i];
		sum += ld64(p + seed_word);
		seed_out(p);
		BENCH_USE(p, SEED_LEN);
		free(p);
	}
	return sum;
}

static uint64_t
seed_mbuf(uint64_t iters)
{
	struct rte_mbuf *m;
	uint64_t sum = 0;
	unsigned int i;
	char *p;

	while (iters-- > 0) {
		m = rte_pktmbuf_alloc(pool);
		CHECK_PTR(m);
		p = rte_pktmbuf_append(m, SEED_LEN);
		CHECK_PTR(p);
		memset(p, 0, SEED_LEN);
		for (i = 0; i < SEED_WRITES; i++)
			p[seed_idx[i]] = (char)seed_val[i];
		sum += ld64(p + seed_word);
		seed_out(p);
		BENCH_USE(p, SEED_LEN);
		rte_pktmbuf_free(m);
	}
	return sum;
}

/* ------------------------------------------------------------------------
 * Workloads: append64k, append1m
 *
 * Empty buffer -> N bytes in 64 B appends -> read back in 64 B pieces into
 * the caller's memory -> free. The bytes come from the pattern, the pieces
 * read back are folded into the checksum.
 *  - hyperbuf: hb_buf_append() x N/64, hb_buf_read() x N/64, hb_buf_free();
 *  - hyperbuf-cursor (variant): the read back with an hb_cursor;
 *  - mbuf-idiomatic: rte_pktmbuf_append on the head, rte_pktmbuf_alloc +
 *    rte_pktmbuf_chain when it returns NULL, rte_pktmbuf_read (copied to
 *    the caller's memory when it returns a pointer into the chain),
 *    rte_pktmbuf_free;
 *  - mbuf-expert: xbuf (tail kept by hand) and xcur ((segment, offset)
 *    cursor), rte_pktmbuf_free_bulk;
 *  - vec: realloc-doubling vector, memcpy out, free.
 */

static uint32_t app_len;

static int
app64k_setup(void)
{
	app_len = 64 * KIB;
	memcpy(vexpect, pattern, app_len);
	return 0;
}

static int
app1m_setup(void)
{
	app_len = MIB;
	memcpy(vexpect, pattern, app_len);
	return 0;
}

/* Where this piece is read to: always g_out timed, g_out + off verified. */
#define PIECE_DST(out, mask, off) ((out) + ((off) & (mask)))

static void
app_done(void)
{
	if (unlikely(g_verify))
		g_out_len = app_len;
}

static uint64_t
app_hb(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	uint64_t sum = 0;
	struct hb_buf b;
	uint32_t off;

	while (iters-- > 0) {
		CHECK_RC(hb_buf_init(&b, pool));
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(hb_buf_append(&b, pattern + off, PIECE));
		for (off = 0; off < len; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			CHECK_RC(hb_buf_read(&b, off, d, PIECE));
			BENCH_USE(d, PIECE);
			sum += fold_piece(d);
		}
		CHECK_RC(hb_buf_free(&b));
	}
	app_done();
	return sum;
}

static uint64_t
app_hb_cursor(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	struct hb_cursor c;
	uint64_t sum = 0;
	struct hb_buf b;
	uint32_t off;

	while (iters-- > 0) {
		CHECK_RC(hb_buf_init(&b, pool));
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(hb_buf_append(&b, pattern + off, PIECE));
		CHECK_RC(hb_cursor_init(&c, &b, 0));
		for (off = 0; off < len; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			CHECK_RC(hb_cursor_read(&c, d, PIECE));
			BENCH_USE(d, PIECE);
			sum += fold_piece(d);
		}
		CHECK_RC(hb_buf_free(&b));
	}
	app_done();
	return sum;
}

static uint64_t
app_mbuf_idiomatic(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	struct rte_mbuf *head, *m;
	uint64_t sum = 0;
	uint32_t off;
	char *p;

	while (iters-- > 0) {
		head = rte_pktmbuf_alloc(pool);
		CHECK_PTR(head);
		for (off = 0; off < len; off += PIECE) {
			p = rte_pktmbuf_append(head, PIECE);
			if (p == NULL) {
				m = rte_pktmbuf_alloc(pool);
				CHECK_PTR(m);
				CHECK_RC(rte_pktmbuf_chain(head, m));
				p = rte_pktmbuf_append(head, PIECE);
				CHECK_PTR(p);
			}
			memcpy(p, pattern + off, PIECE);
		}
		for (off = 0; off < len; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);
			const void *q = rte_pktmbuf_read(head, off, PIECE, d);

			CHECK_PTR(q);
			if (q != d)
				memcpy(d, q, PIECE);
			BENCH_USE(d, PIECE);
			sum += fold_piece(d);
		}
		rte_pktmbuf_free(head);
	}
	app_done();
	return sum;
}

static uint64_t
app_mbuf_expert(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	struct xbuf x;
	struct xcur c;
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		x.head = NULL;
		x.tail = NULL;
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(xbuf_append(&x, pattern + off, PIECE));
		c.seg = x.head;
		c.rel = 0;
		for (off = 0; off < len; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			xcur_read(&c, d, PIECE);
			BENCH_USE(d, PIECE);
			sum += fold_piece(d);
		}
		rte_pktmbuf_free_bulk(&x.head, 1);
	}
	app_done();
	return sum;
}

static uint64_t
app_vec(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	struct vec v = { NULL, 0, 0 };
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(vec_append(&v, pattern + off, PIECE));
		for (off = 0; off < len; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			memcpy(d, v.p + off, PIECE);
			BENCH_USE(d, PIECE);
			sum += fold_piece(d);
		}
		vec_free(&v);
	}
	app_done();
	return sum;
}

/* ------------------------------------------------------------------------
 * Workload: msg2pkt
 *
 * A 64 KiB message built from 64 B appends, a 42 B header put in front,
 * then cut into packets of at most 1500 B, each an mbuf chain ready for
 * rte_eth_tx_burst(); the "TX" reads each packet's length and first bytes
 * and frees the burst with rte_pktmbuf_free_bulk().
 *  - hyperbuf: hb_buf_append() x 1024, hb_buf_prepend(), then
 *    hb_buf_split(1500) + hb_buf_detach() per packet: no payload copy;
 *  - vec+copy: a vector that keeps 42 bytes free in front for the header
 *    (so the prepend costs nothing), filled by 64 B appends, then copied
 *    into packets from rte_pktmbuf_alloc_bulk(), freed after;
 *  - vec+copy-reuse: the same, but the vector's memory is kept from one
 *    message to the next (only possible when the sender owns it: the
 *    strongest copy-based sender we could write).
 */

static uint8_t msg_hdr[MSG_HDR];
static struct vec msg_keep;

static int
msg_setup(void)
{
	uint64_t s = opt_seed ^ 0x4d5347;
	unsigned int i;

	for (i = 0; i < MSG_HDR; i++)
		msg_hdr[i] = (uint8_t)rng_next(&s);
	memcpy(vexpect, msg_hdr, MSG_HDR);
	memcpy(vexpect + MSG_HDR, pattern, MSG_LEN);
	return 0;
}

static void
msg_teardown(void)
{
	vec_free(&msg_keep);
}

/*
 * What the TX side does with a burst: read each packet's length and first
 * 8 bytes (the header it would look at), then free it all. In verified
 * runs, also gather the bytes and check each packet is a sane mbuf chain.
 */
static uint64_t
msg_tx(struct rte_mbuf **pkts, unsigned int n)
{
	uint64_t sum = 0, tmp;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const void *p = rte_pktmbuf_read(pkts[i], 0, 8, &tmp);

		CHECK_PTR(p);
		sum += pkts[i]->pkt_len + ld64(p);
	}
	if (unlikely(g_verify)) {
		const char *why = NULL;

		g_out_len = 0;
		for (i = 0; i < n; i++) {
			if (rte_mbuf_check(pkts[i], 1, &why) != 0 ||
			    pkts[i]->pkt_len > MSG_MTU)
				rte_exit(EXIT_FAILURE,
					 "msg2pkt: packet %u is not valid: %s\n",
					 i, why != NULL ? why : "too long");
			g_out_len += pkt_gather(pkts[i], g_out + g_out_len);
		}
	}
	rte_pktmbuf_free_bulk(pkts, n);
	return sum;
}

static uint64_t
msg_hb(uint64_t iters)
{
	struct rte_mbuf *pkts[MSG_MAX_PKTS + 1];
	struct hb_buf bufs[2];
	uint64_t sum = 0;
	unsigned int n, cur;
	uint32_t off;

	while (iters-- > 0) {
		struct hb_buf *b = &bufs[0];

		CHECK_RC(hb_buf_init(b, pool));
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(hb_buf_append(b, pattern + off, PIECE));
		CHECK_RC(hb_buf_prepend(b, msg_hdr, MSG_HDR));
		n = 0;
		cur = 0;
		while (hb_buf_len(&bufs[cur]) > MSG_MTU) {
			CHECK_RC(hb_buf_split(&bufs[cur], MSG_MTU,
					      &bufs[cur ^ 1]));
			pkts[n] = hb_buf_detach(&bufs[cur]);
			CHECK_PTR(pkts[n]);
			n++;
			cur ^= 1;
		}
		pkts[n] = hb_buf_detach(&bufs[cur]);
		CHECK_PTR(pkts[n]);
		n++;
		sum += msg_tx(pkts, n);
	}
	return sum;
}

/* Copy the vector into fresh packets and send them. */
static uint64_t
msg_copy_out(const struct vec *v)
{
	struct rte_mbuf *pkts[MSG_MAX_PKTS];
	unsigned int n = (unsigned int)((v->len + MSG_MTU - 1) / MSG_MTU), i;
	size_t off = 0;

	CHECK_RC(rte_pktmbuf_alloc_bulk(pool, pkts, n));
	for (i = 0; i < n; i++) {
		uint16_t l = (uint16_t)RTE_MIN((size_t)MSG_MTU, v->len - off);
		char *p = rte_pktmbuf_append(pkts[i], l);

		CHECK_PTR(p);
		memcpy(p, v->p + off, l);
		off += l;
	}
	return msg_tx(pkts, n);
}

static uint64_t
msg_vec(uint64_t iters)
{
	struct vec v = { NULL, 0, 0 };
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		CHECK_RC(vec_grow(&v, MSG_HDR));
		v.len = MSG_HDR; /* room for the header, filled last */
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(vec_append(&v, pattern + off, PIECE));
		memcpy(v.p, msg_hdr, MSG_HDR);
		sum += msg_copy_out(&v);
		vec_free(&v);
	}
	return sum;
}

static uint64_t
msg_vec_reuse(uint64_t iters)
{
	struct vec *v = &msg_keep;
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		if (v->cap < MSG_HDR)
			CHECK_RC(vec_grow(v, MSG_HDR));
		v->len = MSG_HDR;
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(vec_append(v, pattern + off, PIECE));
		memcpy(v->p, msg_hdr, MSG_HDR);
		sum += msg_copy_out(v);
	}
	return sum;
}

/* ------------------------------------------------------------------------
 * Workloads: random64k, random1m
 *
 * 8-byte reads at 4096 random offsets (generated beforehand) of one chain
 * built by 64 B HyperBuf appends and adopted by every implementation:
 *  - hyperbuf: hb_buf_read() (the buffer's segment index);
 *  - rte_pktmbuf_read: the DPDK call (walks from the head);
 *  - expert-index: xidx, a hand-written segment index.
 */

static struct hb_buf rnd_buf;
static struct rte_mbuf *rnd_head;
static struct xidx rnd_idx;
static uint32_t *rnd_off;
static uint32_t rnd_len;

static int
rnd_setup_len(uint32_t len)
{
	uint64_t s = opt_seed ^ len;
	struct rte_mbuf *m;
	uint32_t off, i;
	int rc;

	rnd_len = len;
	rnd_off = malloc(RND_READS * sizeof(*rnd_off));
	if (rnd_off == NULL)
		return -ENOMEM;
	for (i = 0; i < RND_READS; i++)
		rnd_off[i] = (uint32_t)(rng_next(&s) % (len - RND_LEN + 1));
	CHECK_RC(hb_buf_init(&rnd_buf, pool));
	for (off = 0; off < len; off += PIECE)
		CHECK_RC(hb_buf_append(&rnd_buf, pattern + off, PIECE));
	/* Hand the chain round: every implementation reads the same one. */
	m = hb_buf_detach(&rnd_buf);
	CHECK_PTR(m);
	CHECK_RC(hb_buf_attach(&rnd_buf, m));
	rnd_head = m;
	rc = xidx_build(&rnd_idx, m);
	if (rc != 0)
		return rc;
	for (i = 0; i < RND_READS; i++)
		memcpy(vexpect + (size_t)i * RND_LEN, pattern + rnd_off[i],
		       RND_LEN);
	return 0;
}

static int
rnd64k_setup(void)
{
	return rnd_setup_len(64 * KIB);
}

static int
rnd1m_setup(void)
{
	return rnd_setup_len(MIB);
}

static void
rnd_teardown(void)
{
	CHECK_RC(hb_buf_free(&rnd_buf));
	rnd_head = NULL;
	free(rnd_idx.s);
	memset(&rnd_idx, 0, sizeof(rnd_idx));
	free(rnd_off);
	rnd_off = NULL;
}

#define RND_DONE()                                                             \
	do {                                                                   \
		if (unlikely(g_verify))                                        \
			g_out_len = (size_t)RND_READS * RND_LEN;               \
	} while (0)

static uint64_t
rnd_hb(uint64_t iters)
{
	const uint32_t mask = g_out_mask;
	const uint32_t *offs = rnd_off;
	uint8_t *out = g_out;
	uint64_t sum = 0, x;
	uint32_t i;

	while (iters-- > 0) {
		for (i = 0; i < RND_READS; i++) {
			CHECK_RC(hb_buf_read(&rnd_buf, offs[i], &x, RND_LEN));
			memcpy(out + ((i * RND_LEN) & mask), &x, RND_LEN);
			sum += x;
		}
	}
	RND_DONE();
	return sum;
}

static uint64_t
rnd_mbuf_read(uint64_t iters)
{
	const struct rte_mbuf *head = rnd_head;
	const uint32_t mask = g_out_mask;
	const uint32_t *offs = rnd_off;
	uint8_t *out = g_out;
	uint64_t sum = 0, x, tmp;
	uint32_t i;

	while (iters-- > 0) {
		for (i = 0; i < RND_READS; i++) {
			const void *p = rte_pktmbuf_read(head, offs[i], RND_LEN,
							 &tmp);

			CHECK_PTR(p);
			x = ld64(p);
			memcpy(out + ((i * RND_LEN) & mask), &x, RND_LEN);
			sum += x;
		}
	}
	RND_DONE();
	return sum;
}

static uint64_t
rnd_expert(uint64_t iters)
{
	const struct xidx *xi = &rnd_idx;
	const uint32_t mask = g_out_mask;
	const uint32_t *offs = rnd_off;
	uint8_t *out = g_out;
	uint64_t sum = 0, x;
	uint32_t i;

	while (iters-- > 0) {
		for (i = 0; i < RND_READS; i++) {
			xidx_read(xi, offs[i], &x, RND_LEN);
			memcpy(out + ((i * RND_LEN) & mask), &x, RND_LEN);
			sum += x;
		}
	}
	RND_DONE();
	return sum;
}

/* ------------------------------------------------------------------------
 * Workloads: visit-hdr, visit-split
 *
 * A burst of 64-byte Ethernet/IPv4/UDP packets (real mbufs from the pool,
 * one in eight with another ether_type), processed in place as a forwarding
 * loop would, again and again. Per packet: read the Ethernet and IPv4
 * headers (ether_type; IPv4 destination and TTL go into the checksum), then
 * swap the MAC addresses.
 *  - hyperbuf: hb_buf_attach(), HB_VISIT_READ() on Ethernet+IPv4,
 *    HB_VISIT_WRITE() on Ethernet, hb_buf_detach() (back into the burst);
 *  - hyperbuf-1visit (variant): one HB_VISIT_WRITE() on Ethernet+IPv4 does
 *    both (one gather and one scatter when the headers are split);
 *  - hyperbuf-pullup (variant, visit-split only): hb_buf_pullup() of the
 *    34 header bytes right after hb_buf_attach() (what a user does with
 *    split headers), then the same two visitors, now direct. The pullup
 *    moves the missing bytes into the first segment; so that every
 *    repetition pulls up a split packet again, the packet is split back
 *    after hb_buf_detach() by hand (vis_resplit(): one 24-byte copy and
 *    four stores, timed alone and printed as a note);
 *  - mtod (visit-hdr): rte_pktmbuf_mtod() pointers, the l2fwd way (no
 *    length check, like DPDK's examples: the strongest form);
 *  - read+writeback (visit-split): a contiguous-header fast path with
 *    mtod, else rte_pktmbuf_read() of both headers into a stack copy, MAC
 *    swap in the copy and a hand-written write-back of the 12 address
 *    bytes across segments.
 * visit-split packets have their first --split-at bytes (default 10:
 * inside the source MAC) in one segment and the rest in a second one.
 */

struct hdr_eth_ip {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
};

static_assert(sizeof(struct hdr_eth_ip) == 34, "Ethernet + IPv4 is 34 bytes");

/* [0] hyperbuf, [1] the baseline, [2] hyperbuf-1visit, [3] -pullup */
static struct rte_mbuf *vis_burst[4][MAX_BURST];
static unsigned int vis_split;			  /* 0: one segment */

static inline uint64_t
hdr_digest(const struct hdr_eth_ip *h)
{
	if (h->eth.ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return rte_be_to_cpu_32(h->ip.dst_addr) + h->ip.time_to_live;
	return 1;
}

static inline void
mac_swap(struct rte_ether_hdr *e)
{
	struct rte_ether_addr t = e->dst_addr;

	e->dst_addr = e->src_addr;
	e->src_addr = t;
}

/* Packet @i's 64 bytes. */
static void
vis_packet_bytes(unsigned int i, uint8_t *p)
{
	struct hdr_eth_ip *h = (struct hdr_eth_ip *)p;
	uint64_t s = opt_seed ^ (0x9000 + i);
	unsigned int k;

	for (k = 0; k < PKT_LEN; k++)
		p[k] = (uint8_t)rng_next(&s);
	h->eth.ether_type = RTE_BE16(i % 8 == 7 ? RTE_ETHER_TYPE_ARP :
						   RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = RTE_IPV4_VHL_DEF;
	h->ip.total_length = RTE_BE16(PKT_LEN - RTE_ETHER_HDR_LEN);
	h->ip.next_proto_id = IPPROTO_UDP;
	h->ip.time_to_live = (uint8_t)(64 - i % 32);
}

static struct rte_mbuf *
vis_packet(unsigned int i)
{
	uint8_t bytes[PKT_LEN];
	struct rte_mbuf *m, *m2;
	char *p;

	vis_packet_bytes(i, bytes);
	m = rte_pktmbuf_alloc(pool);
	CHECK_PTR(m);
	if (vis_split == 0) {
		p = rte_pktmbuf_append(m, PKT_LEN);
		CHECK_PTR(p);
		memcpy(p, bytes, PKT_LEN);
		return m;
	}
	p = rte_pktmbuf_append(m, (uint16_t)vis_split);
	CHECK_PTR(p);
	memcpy(p, bytes, vis_split);
	m2 = rte_pktmbuf_alloc(pool);
	CHECK_PTR(m2);
	p = rte_pktmbuf_append(m2, (uint16_t)(PKT_LEN - vis_split));
	CHECK_PTR(p);
	memcpy(p, bytes + vis_split, PKT_LEN - vis_split);
	CHECK_RC(rte_pktmbuf_chain(m, m2));
	return m;
}

static int
vis_setup(void)
{
	unsigned int i, j;

	for (j = 0; j < RTE_DIM(vis_burst); j++)
		for (i = 0; i < opt_burst; i++)
			vis_burst[j][i] = vis_packet(i);
	/* After one pass: the same packets, MACs swapped. */
	for (i = 0; i < opt_burst; i++) {
		uint8_t *p = vexpect + (size_t)i * PKT_LEN;

		vis_packet_bytes(i, p);
		mac_swap((struct rte_ether_hdr *)p);
	}
	return 0;
}

static int
vis_hdr_setup(void)
{
	vis_split = 0;
	return vis_setup();
}

static int
vis_split_setup(void)
{
	vis_split = opt_split_at;
	return vis_setup();
}

static void
vis_teardown(void)
{
	unsigned int j;

	for (j = 0; j < RTE_DIM(vis_burst); j++)
		rte_pktmbuf_free_bulk(vis_burst[j], opt_burst);
}

static void
vis_out(struct rte_mbuf **burst)
{
	unsigned int i;

	if (likely(!g_verify))
		return;
	g_out_len = 0;
	for (i = 0; i < opt_burst; i++) {
		if (burst[i]->pkt_len != PKT_LEN ||
		    rte_mbuf_check(burst[i], 1, NULL) != 0)
			rte_exit(EXIT_FAILURE, "visit: packet %u broken\n", i);
		g_out_len += pkt_gather(burst[i], g_out + g_out_len);
	}
}

static uint64_t
vis_hb(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[0];
	const unsigned int n = opt_burst;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(HB_VISIT_READ(&b, 0, struct hdr_eth_ip, &v));
			sum += hdr_digest(HB_VIEW(&v, const struct hdr_eth_ip));
			CHECK_RC(hb_visit_release(&v));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct rte_ether_hdr, 0,
						&v));
			mac_swap(HB_VIEW(&v, struct rte_ether_hdr));
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/* The same work with one write visitor over both headers. */
static uint64_t
vis_hb_1visit(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[2];
	const unsigned int n = opt_burst;
	struct hdr_eth_ip *h;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct hdr_eth_ip, 0, &v));
			h = HB_VIEW(&v, struct hdr_eth_ip);
			sum += hdr_digest(h);
			mac_swap(&h->eth);
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/*
 * Undo hb_buf_pullup() of a visit-split packet: the bytes it moved into
 * the first segment go back to the front of the second one. Hand-written
 * setup for the next repetition, not a HyperBuf call.
 */
static inline void
vis_resplit(struct rte_mbuf *m)
{
	struct rte_mbuf *n = m->next;
	uint16_t k = (uint16_t)(m->data_len - vis_split);

	if (unlikely(n == NULL || m->data_len < vis_split || n->data_off < k))
		rte_exit(EXIT_FAILURE, "visit-split: unexpected layout after "
			 "hb_buf_pullup()\n");
	n->data_off = (uint16_t)(n->data_off - k);
	n->data_len = (uint16_t)(n->data_len + k);
	memcpy(rte_pktmbuf_mtod(n, char *),
	       rte_pktmbuf_mtod_offset(m, char *, vis_split), k);
	m->data_len = (uint16_t)vis_split;
}

/* The same work after hb_buf_pullup() of both headers: direct visitors. */
static uint64_t
vis_hb_pullup(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[3];
	const unsigned int n = opt_burst;
	struct hb_visitor v;
	uint64_t sum = 0;
	struct hb_buf b;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			CHECK_RC(hb_buf_attach(&b, burst[i]));
			CHECK_RC(hb_buf_pullup(&b, 0,
					       sizeof(struct hdr_eth_ip)));
			CHECK_RC(HB_VISIT_READ(&b, 0, struct hdr_eth_ip, &v));
			sum += hdr_digest(HB_VIEW(&v, const struct hdr_eth_ip));
			CHECK_RC(hb_visit_release(&v));
			CHECK_RC(HB_VISIT_WRITE(&b, 0, struct rte_ether_hdr, 0,
						&v));
			mac_swap(HB_VIEW(&v, struct rte_ether_hdr));
			CHECK_RC(hb_visit_release(&v));
			burst[i] = hb_buf_detach(&b);
			CHECK_PTR(burst[i]);
			if (vis_split != 0)
				vis_resplit(burst[i]);
		}
	}
	vis_out(burst);
	return sum;
}

/*
 * What vis_resplit() costs alone, per packet: the same copy one way (a
 * hand pullup) and back, halved. Printed next to hyperbuf-pullup.
 */
static double
vis_resplit_ns(void)
{
	struct rte_mbuf **burst = vis_burst[3];
	const unsigned int rounds = 2000;
	const uint16_t k = (uint16_t)(sizeof(struct hdr_eth_ip) - vis_split);
	double best = 0;
	unsigned int r, j, i;

	for (r = 0; r < 5; r++) {
		uint64_t t0 = rte_rdtsc_precise(), t;

		for (j = 0; j < rounds; j++) {
			for (i = 0; i < opt_burst; i++) {
				struct rte_mbuf *m = burst[i], *x = m->next;

				memcpy(rte_pktmbuf_mtod_offset(m, char *,
							       m->data_len),
				       rte_pktmbuf_mtod(x, char *), k);
				m->data_len = (uint16_t)(m->data_len + k);
				x->data_off = (uint16_t)(x->data_off + k);
				x->data_len = (uint16_t)(x->data_len - k);
				vis_resplit(m);
			}
			BENCH_ESCAPE(burst);
		}
		t = rte_rdtsc_precise() - t0;
		if (r == 0 || t < best)
			best = (double)t;
	}
	return best / tsc_per_ns / ((double)rounds * opt_burst) / 2;
}

static void
vis_split_teardown(void)
{
	printf("  note: hyperbuf-pullup includes splitting each packet back "
	       "after use (vis_resplit, by hand): %.2f ns per packet alone\n",
	       vis_resplit_ns());
	vis_teardown();
}

static uint64_t
vis_mtod(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[1];
	const unsigned int n = opt_burst;
	uint64_t sum = 0;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			struct hdr_eth_ip *h =
				rte_pktmbuf_mtod(burst[i], struct hdr_eth_ip *);

			sum += hdr_digest(h);
			mac_swap(&h->eth);
		}
	}
	vis_out(burst);
	return sum;
}

static uint64_t
vis_read_writeback(uint64_t iters)
{
	struct rte_mbuf **burst = vis_burst[1];
	const unsigned int n = opt_burst;
	uint64_t sum = 0;
	unsigned int i;

	while (iters-- > 0) {
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = burst[i];
			struct hdr_eth_ip tmp;
			const struct hdr_eth_ip *h;

			if (likely(m->data_len >= sizeof(tmp))) {
				struct hdr_eth_ip *w =
					rte_pktmbuf_mtod(m, struct hdr_eth_ip *);

				sum += hdr_digest(w);
				mac_swap(&w->eth);
				continue;
			}
			h = rte_pktmbuf_read(m, 0, sizeof(tmp), &tmp);
			CHECK_PTR(h);
			sum += hdr_digest(h);
			mac_swap(&tmp.eth);
			mbuf_write_back(m, 0, &tmp.eth,
					2 * RTE_ETHER_ADDR_LEN);
		}
	}
	vis_out(burst);
	return sum;
}

/* ------------------------------------------------------------------------
 * Multi-lcore workloads: shared-read, contend
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

#define MC_LCORES 2u
#define MC_BUF_LEN 64u		/* the shared buffer */
#define MC_REC_LEN 34u		/* bytes visited */
#define MC_BATCH 16u		/* shared-read: visits per clock read */
#define MC_SEQ0 1000u		/* contend: first sequence number */
#define CT_K 64u		/* contend: request slots per lcore */
#define CT_WORK_MAX 4096u	/* contend: largest --work */

struct mc_res {
	uint64_t ops;		/* shared-read: visits; contend: work units */
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

typedef void (*mc_fn)(unsigned int idx, struct mc_res *r);

static struct {
	mc_fn fn;
	uint64_t start, end; /* the window (TSC) */
	struct mc_res res[MC_LCORES];
} mc;

static unsigned int mc_worker = RTE_MAX_LCORE; /* the second lcore */

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
static bool
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

static void
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

static int
sr_setup(void)
{
	int rc = mc_setup();

	if (rc == 0)
		sr_ref = rec_digest(rte_pktmbuf_mtod(mc_m, const uint8_t *));
	return rc;
}

static void
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

static void
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

static int
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

static int
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

static void
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

static void
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

static void
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

static void
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

static int
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

/* ------------------------------------------------------------------------
 * Workload table
 */

enum role {
	ROLE_HB,	/* the HyperBuf implementation ratios refer to */
	ROLE_HB_VARIANT, /* another way to do it with HyperBuf */
	ROLE_BASE,	/* a baseline */
};

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
	int (*mc_check)(mc_fn fn, unsigned int nl, char *why, size_t sz);
	struct impl impl[MAX_IMPL];
	/* state */
	bool selected;
	bool ran;
	bool failed;
	bool skipped; /* not enough lcores */
};

#define IMPL(n, r, f, t) { .name = (n), .role = (r), .run = (f), .target = (t) }
#define IMPL_MC(n, r, f, t)                                                    \
	{ .name = (n), .role = (r), .mc = (f), .target = (t) }

static struct workload workloads[] = {
	{
		.name = "seed", .group = "seed",
		.op = "120 B buffer + 13 byte writes + free", .ops_per_iter = 1,
		.setup = seed_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, seed_hb, 0),
			IMPL("hyperbuf-visit", ROLE_HB_VARIANT, seed_hb_visit, 0),
			IMPL("vec", ROLE_BASE, seed_vec, 0),
			IMPL("mbuf", ROLE_BASE, seed_mbuf, 0),
		},
	},
	{
		.name = "append64k", .group = "append64k",
		.op = "64 KiB: append + read back + free", .ops_per_iter = 1,
		.setup = app64k_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, app_hb, 0),
			IMPL("hyperbuf-cursor", ROLE_HB_VARIANT, app_hb_cursor, 0),
			IMPL("mbuf-idiomatic", ROLE_BASE, app_mbuf_idiomatic, 10.0),
			IMPL("mbuf-expert", ROLE_BASE, app_mbuf_expert, 1.0),
			IMPL("vec", ROLE_BASE, app_vec, 1.0),
		},
	},
	{
		.name = "append1m", .group = "append1m",
		.op = "1 MiB: append + read back + free", .ops_per_iter = 1,
		.setup = app1m_setup,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, app_hb, 0),
			IMPL("hyperbuf-cursor", ROLE_HB_VARIANT, app_hb_cursor, 0),
			IMPL("mbuf-idiomatic", ROLE_BASE, app_mbuf_idiomatic, 100.0),
			IMPL("mbuf-expert", ROLE_BASE, app_mbuf_expert, 0),
			IMPL("vec", ROLE_BASE, app_vec, 1.0),
		},
	},
	{
		.name = "msg2pkt", .group = "msg2pkt",
		.op = "64 KiB message -> 44 packets", .ops_per_iter = 1,
		.setup = msg_setup, .teardown = msg_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, msg_hb, 0),
			IMPL("vec+copy", ROLE_BASE, msg_vec, 1.5),
			IMPL("vec+copy-reuse", ROLE_BASE, msg_vec_reuse, 1.5),
		},
	},
	{
		.name = "random64k", .group = "random",
		.op = "8 B read at a random offset of 64 KiB", .ops_per_iter = RND_READS,
		.setup = rnd64k_setup, .teardown = rnd_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, rnd_hb, 0),
			IMPL("rte_pktmbuf_read", ROLE_BASE, rnd_mbuf_read, 30.0),
			IMPL("expert-index", ROLE_BASE, rnd_expert, 0),
		},
	},
	{
		.name = "random1m", .group = "random",
		.op = "8 B read at a random offset of 1 MiB", .ops_per_iter = RND_READS,
		.setup = rnd1m_setup, .teardown = rnd_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, rnd_hb, 0),
			IMPL("rte_pktmbuf_read", ROLE_BASE, rnd_mbuf_read, 100.0),
			IMPL("expert-index", ROLE_BASE, rnd_expert, 0),
		},
	},
	{
		.name = "visit-hdr", .group = "visit-hdr",
		.op = "64 B packet: read Eth+IPv4 + MAC swap", .ops_per_iter = 0,
		.setup = vis_hdr_setup, .teardown = vis_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, vis_hb, 0),
			IMPL("hyperbuf-1visit", ROLE_HB_VARIANT, vis_hb_1visit, 0),
			IMPL("mtod", ROLE_BASE, vis_mtod, 0.95),
		},
	},
	{
		.name = "visit-split", .group = "visit-split",
		.op = "2-segment packet: read Eth+IPv4 + MAC swap", .ops_per_iter = 0,
		.setup = vis_split_setup, .teardown = vis_split_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, vis_hb, 0),
			IMPL("hyperbuf-1visit", ROLE_HB_VARIANT, vis_hb_1visit, 0),
			IMPL("hyperbuf-pullup", ROLE_HB_VARIANT, vis_hb_pullup,
			     0),
			IMPL("read+writeback", ROLE_BASE, vis_read_writeback,
			     2.0),
		},
	},
	{
		.name = "shared-read1", .group = "shared-read",
		.op = "34 B read visit of a shared buffer on 1 lcore",
		.ops_per_iter = 1, .lcores = 1,
		.setup = sr_setup, .teardown = mc_teardown,
		.mc_check = sr_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, sr_hb, 0),
			IMPL_MC("rwlock", ROLE_BASE, sr_rwlock, 0),
		},
	},
	{
		.name = "shared-read", .group = "shared-read",
		.op = "34 B read visit of one shared buffer on 2 lcores "
		      "(lcore time per visit)",
		.ops_per_iter = 1, .lcores = 2,
		.setup = sr_setup, .teardown = mc_teardown,
		.mc_check = sr_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, sr_hb, 0),
			IMPL_MC("rwlock", ROLE_BASE, sr_rwlock, 3.0),
		},
	},
	{
		.name = "contend1", .group = "contend",
		.op = "work unit + read or write visit on 1 lcore "
		      "(no contention)",
		.ops_per_iter = 1, .lcores = 1,
		.setup = ct_setup, .teardown = mc_teardown,
		.mc_check = ct_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, ct_hb, 0),
			IMPL_MC("hyperbuf-queue", ROLE_HB_VARIANT, ct_hb_queue,
				0),
			IMPL_MC("rwlock", ROLE_BASE, ct_rwlock, 0),
		},
	},
	{
		.name = "contend", .group = "contend",
		.op = "work unit + read or write visit on 2 lcores "
		      "(lcore time per unit)",
		.ops_per_iter = 1, .lcores = 2,
		.setup = ct_setup, .teardown = mc_teardown,
		.mc_check = ct_check,
		.impl = {
			IMPL_MC("hyperbuf", ROLE_HB, ct_hb, 0),
			IMPL_MC("hyperbuf-queue", ROLE_HB_VARIANT, ct_hb_queue,
				0),
			IMPL_MC("rwlock", ROLE_BASE, ct_rwlock, 1.0),
		},
	},
};

#define NB_WORKLOADS RTE_DIM(workloads)

static unsigned int
wl_nb_impl(const struct workload *w)
{
	unsigned int n = 0;

	while (n < MAX_IMPL && w->impl[n].name != NULL)
		n++;
	return n;
}

static unsigned int
wl_ops(const struct workload *w)
{
	return w->ops_per_iter != 0 ? w->ops_per_iter : opt_burst;
}

/* ------------------------------------------------------------------------
 * Running
 */

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
 * A multi-lcore workload: a checked window of each implementation (also
 * the warm-up), then windows round robin (see "Multi-lcore workloads").
 */
static int
wl_run_multi(struct workload *w)
{
	const unsigned int n = wl_nb_impl(w), nl = w->lcores;
	const unsigned int avail = mc_worker < RTE_MAX_LCORE ? 2 : 1;
	unsigned int in_use, mz0, mz1, i, a;
	const struct impl *hb = NULL;
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
	if (rc == 0 && w->mc_check == ct_check)
		ct_prime_all();
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
	CHECK_RC(hb_stats_get(&st1));
	if (rc == 0) {
		for (i = 0; i < n; i++) {
			if (w->impl[i].nb == 0)
				continue;
			mc_summarize(&w->impl[i]);
			if (w->impl[i].role == ROLE_HB)
				hb = &w->impl[i];
		}
		for (i = 0; i < n; i++)
			w->impl[i].ratio = hb != NULL && hb->med > 0 ?
				w->impl[i].med / hb->med : 0;
		w->ran = true;
	}
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
	if (w->teardown != NULL)
		w->teardown();
	if (rte_mempool_in_use_count(pool) != in_use) {
		printf("  check %s: pool leak: %d mbufs in use, %u before\n",
		       w->name, rte_mempool_in_use_count(pool), in_use);
		rc = -1;
	}
	return rc;
}

static int
wl_run(struct workload *w)
{
	unsigned int n = wl_nb_impl(w), ops = wl_ops(w), in_use, i, r;
	const struct impl *hb = NULL;
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
		for (i = 0; i < n; i++) {
			if (w->impl[i].nb == 0)
				continue;
			summarize(&w->impl[i]);
			if (w->impl[i].role == ROLE_HB)
				hb = &w->impl[i];
		}
		for (i = 0; i < n; i++)
			w->impl[i].ratio = hb != NULL && hb->med > 0 ?
				w->impl[i].med / hb->med : 0;
		w->ran = true;
	}
	if (w->teardown != NULL)
		w->teardown();
	if (rte_mempool_in_use_count(pool) != in_use) {
		printf("  check %s: pool leak: %d mbufs in use, %u before\n",
		       w->name, rte_mempool_in_use_count(pool), in_use);
		rc = -1;
	}
	return rc;
}

/* ------------------------------------------------------------------------
 * Reporting
 */

/* A time in ns, scaled to a readable unit. */
static const char *
fmt_time(char *buf, size_t sz, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, sz, "%.3f ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, sz, "%.3f us", ns / 1e3);
	else if (ns >= 100)
		snprintf(buf, sz, "%.1f ns", ns);
	else
		snprintf(buf, sz, "%.2f ns", ns);
	return buf;
}

static const char *
fmt_ratio(char *buf, size_t sz, double r)
{
	if (r >= 100)
		snprintf(buf, sz, "%.0fx", r);
	else if (r >= 10)
		snprintf(buf, sz, "%.1fx", r);
	else
		snprintf(buf, sz, "%.2fx", r);
	return buf;
}

static const char *
verdict(const struct impl *im)
{
	if (im->role != ROLE_BASE)
		return im->role == ROLE_HB ? "" : "(variant)";
	if (im->target == 0 || im->ratio == 0)
		return "report";
	return im->ratio >= im->target ? "PASS" : "MISS";
}

/*
 * Derived results, from the medians of several rows:
 *  - random: HyperBuf's 1 MiB cost <= 3x its 64 KiB cost;
 *  - shared-read: HyperBuf's 2-lcore per-visit cost <= 1.5x its 1-lcore
 *    cost (rwlock's shown beside it);
 *  - contend: work units and visits per second of each implementation
 *    (both lcores), and the share of lcore time spent waiting for access:
 *    HyperBuf's must be 0 (the highest over all its windows is taken),
 *    rwlock's is reported (median window).
 */
struct derived {
	const char *workload;
	char label[40];
	const char *what;
	double value;
	const char *unit;
	const char *cmp; /* "<=", ">=", or NULL: report only */
	double target;
};

#define MAX_DERIVED 16
static struct derived derived[MAX_DERIVED];
static unsigned int nb_derived;

static const struct impl *
find_impl(const char *wl, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->ran || strcmp(w->name, wl) != 0)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++)
			if (strcmp(w->impl[j].name, name) == 0 &&
			    w->impl[j].nb > 0)
				return &w->impl[j];
	}
	return NULL;
}

static void
derived_add(const char *wl, const char *impl, const char *label,
	    const char *what, double value, const char *unit, const char *cmp,
	    double target)
{
	struct derived *d;

	if (nb_derived == MAX_DERIVED)
		return;
	d = &derived[nb_derived++];
	d->workload = wl;
	snprintf(d->label, sizeof(d->label), "%s %s", impl, label);
	d->what = what;
	d->value = value;
	d->unit = unit;
	d->cmp = cmp;
	d->target = target;
}

static void
compute_derived(void)
{
	static const char *const names[] = { "hyperbuf", "rwlock" };
	const struct impl *a, *b;
	unsigned int i;

	nb_derived = 0;
	a = find_impl("random64k", "hyperbuf");
	b = find_impl("random1m", "hyperbuf");
	if (a != NULL && b != NULL && a->med > 0)
		derived_add("random", "hyperbuf", "1m/64k", "cost ratio",
			    b->med / a->med, "x", "<=", 3.0);
	for (i = 0; i < RTE_DIM(names); i++) {
		a = find_impl("shared-read1", names[i]);
		b = find_impl("shared-read", names[i]);
		if (a != NULL && b != NULL && a->med > 0)
			derived_add("shared-read", names[i], "2/1 lcores",
				    "per-visit cost on 2 lcores / on 1 lcore",
				    b->med / a->med, "x", i == 0 ? "<=" : NULL,
				    1.5);
	}
	for (i = 0; i < RTE_DIM(names); i++) {
		a = find_impl("contend", names[i]);
		if (a == NULL)
			continue;
		derived_add("contend", names[i], "Mwork/s",
			    "work units per second on both lcores (millions)",
			    a->rate_med / 1e6, "", NULL, 0);
		derived_add("contend", names[i], "Mvisit/s",
			    "visits done in the window per second (millions)",
			    a->vrate_med / 1e6, "", NULL, 0);
		if (i == 0)
			derived_add("contend", names[i], "spin %",
				    "share of lcore time spent waiting "
				    "(highest window)",
				    a->spin_max * 100, "%", "<=", 0);
		else
			derived_add("contend", names[i], "spin %",
				    "share of lcore time spent spinning "
				    "(median window)",
				    a->spin_med * 100, "%", NULL, 0);
	}
}

static const char *
derived_result(const struct derived *d)
{
	if (d->cmp == NULL)
		return "report";
	if (d->cmp[0] == '<')
		return d->value <= d->target ? "PASS" : "MISS";
	return d->value >= d->target ? "PASS" : "MISS";
}

static const char *
derived_target(char *buf, size_t sz, const struct derived *d)
{
	if (d->cmp == NULL)
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%s%g%s", d->cmp, d->target, d->unit);
	return buf;
}

/* Details of the multi-lcore workloads. */
static void
print_multi_details(void)
{
	unsigned int i, j;
	bool any = false;

	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected || !w->ran || w->lcores == 0)
			continue;
		if (!any)
			printf("multi-lcore windows of %g ms (median of the "
			       "kept windows; contend: --work %u words, "
			       "--write-pct %u):\n", opt_mc_ms, opt_work,
			       opt_write_pct);
		any = true;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			printf("  %-12s %-9s %u lcore(s): %.2f Mop/s", w->name,
			       im->name, w->lcores, im->rate_med / 1e6);
			if (w->mc_check == ct_check)
				printf(", %.2f Mvisit/s, waiting %.2f%% of lcore"
				       " time (highest %.2f%%, %" PRIu64
				       " waits), drain %.1f us",
				       im->vrate_med / 1e6,
				       im->spin_med * 100, im->spin_max * 100,
				       im->waits, im->drain_med / 1e3);
			if (w->mc_check == ct_check && im->mc != ct_rwlock)
				printf(", %.1f%% of hb_visit_async() queued",
				       100.0 * im->queued_med);
			printf("; %u of %u windows undisturbed, %s\n",
			       im->clean, im->windows,
			       im->kept_clean ? "those kept" :
			       "all kept: UNRELIABLE (lcores preempted)");
		}
	}
}

static void
print_table(void)
{
	char t1[32], t2[32], t3[32], t4[32], t5[32];
	unsigned int i, j;

	compute_derived();
	printf("\nper-op times over %u repetitions (median, min, max); "
	       "ratio = implementation / hyperbuf (median)\n", opt_reps);
	printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n", "workload",
	       "implementation", "median", "min", "max", "ratio", "target",
	       "result");
	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected)
			continue;
		if (w->todo != NULL || w->skipped || !w->ran) {
			printf("%-12s %-17s %s\n", w->name, "-",
			       w->todo != NULL ? "not implemented yet" :
			       w->skipped ? "skipped: needs 2 lcores" :
					    "FAILED");
			continue;
		}
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			if (im->target > 0)
				snprintf(t5, sizeof(t5), ">=%gx", im->target);
			else
				snprintf(t5, sizeof(t5), "-");
			printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n",
			       j == 0 ? w->name : "", im->name,
			       fmt_time(t1, sizeof(t1), im->med),
			       fmt_time(t2, sizeof(t2), im->min),
			       fmt_time(t3, sizeof(t3), im->max),
			       im->role == ROLE_HB ? "1" :
				fmt_ratio(t4, sizeof(t4), im->ratio),
			       t5, verdict(im));
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];

		snprintf(t4, sizeof(t4), "%.2f%s", d->value, d->unit);
		printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n",
		       d->workload, d->label, "", "", "", t4,
		       derived_target(t5, sizeof(t5), d), derived_result(d));
	}
	printf("one op:\n");
	for (i = 0; i < NB_WORKLOADS; i++)
		if (workloads[i].selected && workloads[i].ran)
			printf("  %-12s %s\n", workloads[i].name,
			       workloads[i].op);
	print_multi_details();
}

static const char *
role_name(enum role r)
{
	return r == ROLE_HB ? "hyperbuf" :
	       r == ROLE_HB_VARIANT ? "hyperbuf-variant" : "baseline";
}

/* A quoted CSV field: no comma (the scripts split on commas). */
static const char *
csv_text(char *buf, size_t sz, const char *s)
{
	size_t i;

	snprintf(buf, sz, "%s", s);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == ',' || buf[i] == '"')
			buf[i] = ';';
	return buf;
}

static int
write_csv(const char *path)
{
	char q[128];
	FILE *f = fopen(path, "w");
	unsigned int i, j, k;

	if (f == NULL)
		return -errno;
	fprintf(f, "workload,implementation,role,op,ops_per_iter,iters,reps,"
		"median_ns,min_ns,max_ns,ratio,target,result,samples_ns\n");
	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected || !w->ran)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			fprintf(f, "%s,%s,%s,\"%s\",%u,%" PRIu64 ",%u,%.4f,"
				"%.4f,%.4f,%.4f,%g,%s,", w->name, im->name,
				role_name(im->role),
				csv_text(q, sizeof(q), w->op), wl_ops(w),
				im->iters, im->nb, im->med, im->min, im->max,
				im->ratio, im->target, verdict(im));
			for (k = 0; k < im->nb; k++)
				fprintf(f, "%s%.4f", k ? " " : "", im->ns[k]);
			fprintf(f, "\n");
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];
		char t[32];

		fprintf(f, "%s,%s,derived,\"%s\",0,0,0,0,0,0,%.4f,%s,%s,\n",
			d->workload, d->label, csv_text(q, sizeof(q), d->what),
			d->value,
			d->cmp != NULL ? derived_target(t, sizeof(t), d) : "",
			derived_result(d));
	}
	return fclose(f) == 0 ? 0 : -errno;
}

static int
write_json(const char *path)
{
	FILE *f = fopen(path, "w");
	bool first = true;
	unsigned int i, j, k;
	char date[64];
	time_t now = time(NULL);

	if (f == NULL)
		return -errno;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "{\n  \"tool\": \"hb-bench\",\n  \"hyperbuf\": \"%s\",\n"
		"  \"date\": \"%s\",\n  \"tsc_hz\": %" PRIu64 ",\n"
		"  \"lcore\": %u,\n  \"worker_lcore\": %d,\n"
		"  \"reps\": %u,\n  \"rep_ms\": %g,\n  \"mc_ms\": %g,\n"
		"  \"work_words\": %u,\n  \"write_pct\": %u,\n"
		"  \"burst\": %u,\n  \"split_at\": %u,\n  \"quick\": %s,\n"
		"  \"results\": [\n", HB_VERSION_STR, date, rte_get_tsc_hz(),
		rte_lcore_id(),
		mc_worker < RTE_MAX_LCORE ? (int)mc_worker : -1, opt_reps,
		opt_rep_ms, opt_mc_ms, opt_work, opt_write_pct, opt_burst,
		opt_split_at,
		opt_quick ? "true" : "false");
	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected || !w->ran)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			fprintf(f, "%s    {\"workload\": \"%s\", "
				"\"implementation\": \"%s\", \"role\": \"%s\", "
				"\"op\": \"%s\", \"ops_per_iter\": %u, "
				"\"iters\": %" PRIu64 ", \"median_ns\": %.4f, "
				"\"min_ns\": %.4f, \"max_ns\": %.4f, "
				"\"ratio\": %.4f, \"target\": %g, "
				"\"result\": \"%s\", \"samples_ns\": [",
				first ? "" : ",\n", w->name, im->name,
				role_name(im->role), w->op, wl_ops(w),
				im->iters, im->med, im->min, im->max, im->ratio,
				im->target, verdict(im));
			for (k = 0; k < im->nb; k++)
				fprintf(f, "%s%.4f", k ? ", " : "", im->ns[k]);
			fprintf(f, "]");
			if (w->lcores != 0)
				fprintf(f, ", \"lcores\": %u, \"windows\": %u, "
					"\"undisturbed\": %u, "
					"\"kept\": \"%s\", \"ops_per_s\": %.0f, "
					"\"visits_per_s\": %.0f, "
					"\"wait_share\": %.6f, "
					"\"wait_share_max\": %.6f, "
					"\"waits\": %" PRIu64 ", "
					"\"queued_share\": %.6f, "
					"\"drain_ns\": %.1f", w->lcores,
					im->windows, im->clean,
					im->kept_clean ? "undisturbed" : "all",
					im->rate_med, im->vrate_med,
					im->spin_med, im->spin_max, im->waits,
					im->queued_med, im->drain_med);
			fprintf(f, "}");
			first = false;
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];
		char t[32];

		fprintf(f, "%s    {\"workload\": \"%s\", "
			"\"implementation\": \"%s\", \"role\": \"derived\", "
			"\"op\": \"%s\", \"value\": %.4f, \"unit\": \"%s\", "
			"\"target\": \"%s\", \"result\": \"%s\"}",
			first ? "" : ",\n", d->workload, d->label, d->what,
			d->value, d->unit,
			d->cmp != NULL ? derived_target(t, sizeof(t), d) : "",
			derived_result(d));
		first = false;
	}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) == 0 ? 0 : -errno;
}

/* ------------------------------------------------------------------------
 * Command line
 */

static void
usage(const char *prog)
{
	unsigned int i;

	printf("Usage: %s [EAL options --] [options]\n"
	       "Without \"--\", every argument is an hb-bench option and the "
	       "EAL gets:\n  --no-huge -m 512 --no-pci --no-shconf "
	       "--no-telemetry --lcores 0@A,1@B --file-prefix hbb<pid>\n"
	       "(A, B: the first two CPUs this process may run on; the "
	       "same one twice\nif it has one). shared-read and contend "
	       "need the second lcore.\n\n"
	       "Options:\n"
	       "  --workloads LIST  comma-separated workloads (default: all "
	       "implemented)\n"
	       "  --reps N          timed repetitions per implementation "
	       "(default %u)\n"
	       "  --rep-ms MS       length of one repetition (default %g)\n"
	       "  --burst N         packets per burst in visit-* (default %u, "
	       "max %u)\n"
	       "  --split-at N      visit-split: bytes in the first segment "
	       "(default %u)\n"
	       "  --seed N          inputs' random seed\n"
	       "  --impl LIST       time only these implementations (all are "
	       "still\n                    cross-checked)\n"
	       "  --iters N         iterations per repetition (default: "
	       "calibrated;\n                    not for the multi-lcore "
	       "workloads)\n"
	       "  --mc-ms MS        multi-lcore workloads: length of one "
	       "window (default %g)\n"
	       "  --work N          contend: words of useful work per item "
	       "(default %u, max %u)\n"
	       "  --write-pct N     contend: percentage of write visits "
	       "(default %u)\n"
	       "  --csv FILE        write the results as CSV\n"
	       "  --json FILE       write the results as JSON\n"
	       "  --quick           few short repetitions (smoke test)\n"
	       "  -h, --help        this help\n\n"
	       "Workloads:", prog, opt_reps, opt_rep_ms, opt_burst, MAX_BURST,
	       opt_split_at, opt_mc_ms, opt_work, CT_WORK_MAX, opt_write_pct);
	for (i = 0; i < NB_WORKLOADS; i++)
		if (i == 0 || strcmp(workloads[i].group,
				      workloads[i - 1].group) != 0)
			printf(" %s%s", workloads[i].group,
			       workloads[i].todo != NULL ? "(todo)" : "");
	printf("\nExit status: 0 ok, 1 a check failed (bytes, checksums, "
	       "leaks), 2 usage.\nTimings never change the exit status.\n");
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max,
	   unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

static int
select_workloads(const char *list)
{
	char *copy, *tok, *save = NULL;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < NB_WORKLOADS; i++)
		workloads[i].selected = list == NULL && workloads[i].todo == NULL;
	if (list == NULL)
		return 0;
	copy = strdup(list);
	if (copy == NULL)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		bool found = false;

		for (i = 0; i < NB_WORKLOADS; i++) {
			if (strcmp(tok, workloads[i].group) == 0 ||
			    strcmp(tok, workloads[i].name) == 0 ||
			    strcmp(tok, "all") == 0) {
				workloads[i].selected = true;
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "unknown workload '%s'\n", tok);
			rc = -EINVAL;
		}
	}
	free(copy);
	return rc;
}

enum {
	OPT_WORKLOADS = 256,
	OPT_REPS,
	OPT_REP_MS,
	OPT_BURST,
	OPT_SPLIT_AT,
	OPT_SEED,
	OPT_CSV,
	OPT_JSON,
	OPT_QUICK,
	OPT_IMPL,
	OPT_ITERS,
	OPT_MC_MS,
	OPT_WORK,
	OPT_WRITE_PCT,
};

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "workloads", required_argument, NULL, OPT_WORKLOADS },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "rep-ms", required_argument, NULL, OPT_REP_MS },
		{ "burst", required_argument, NULL, OPT_BURST },
		{ "split-at", required_argument, NULL, OPT_SPLIT_AT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "impl", required_argument, NULL, OPT_IMPL },
		{ "iters", required_argument, NULL, OPT_ITERS },
		{ "mc-ms", required_argument, NULL, OPT_MC_MS },
		{ "work", required_argument, NULL, OPT_WORK },
		{ "write-pct", required_argument, NULL, OPT_WRITE_PCT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool reps_set = false, ms_set = false, mc_set = false;
	unsigned long v;
	char *end;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_WORKLOADS:
			opt_workloads = optarg;
			break;
		case OPT_REPS:
			if (parse_uint(optarg, 1, MAX_REPS, &v) != 0)
				return -EINVAL;
			opt_reps = (unsigned int)v;
			reps_set = true;
			break;
		case OPT_REP_MS:
			opt_rep_ms = strtod(optarg, &end);
			if (*end != '\0' || !(opt_rep_ms > 0 &&
					      opt_rep_ms <= 10000))
				return -EINVAL;
			ms_set = true;
			break;
		case OPT_BURST:
			if (parse_uint(optarg, 1, MAX_BURST, &v) != 0)
				return -EINVAL;
			opt_burst = (unsigned int)v;
			break;
		case OPT_SPLIT_AT:
			if (parse_uint(optarg, 1, PKT_LEN - 1, &v) != 0)
				return -EINVAL;
			opt_split_at = (unsigned int)v;
			break;
		case OPT_SEED:
			errno = 0;
			opt_seed = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || opt_seed == 0)
				return -EINVAL;
			break;
		case OPT_CSV:
			opt_csv = optarg;
			break;
		case OPT_JSON:
			opt_json = optarg;
			break;
		case OPT_QUICK:
			opt_quick = true;
			break;
		case OPT_IMPL:
			opt_impls = optarg;
			break;
		case OPT_ITERS:
			if (parse_uint(optarg, 1, UINT32_MAX, &v) != 0)
				return -EINVAL;
			opt_iters = v;
			break;
		case OPT_MC_MS:
			opt_mc_ms = strtod(optarg, &end);
			if (*end != '\0' || !(opt_mc_ms >= 0.1 &&
					      opt_mc_ms <= 10000))
				return -EINVAL;
			mc_set = true;
			break;
		case OPT_WORK:
			if (parse_uint(optarg, 1, CT_WORK_MAX, &v) != 0)
				return -EINVAL;
			opt_work = (unsigned int)v;
			break;
		case OPT_WRITE_PCT:
			if (parse_uint(optarg, 0, 100, &v) != 0)
				return -EINVAL;
			opt_write_pct = (unsigned int)v;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (opt_quick) {
		if (!reps_set)
			opt_reps = 3;
		if (!ms_set)
			opt_rep_ms = 1.0;
		if (!mc_set)
			opt_mc_ms = 1.0;
	}
	return select_workloads(opt_workloads);
}

/* EAL defaults when the command line has no "--". */
#define EAL_DEFAULT_ARGS 12

/*
 * Two lcores on the first two CPUs this process may use (both on the one
 * CPU if it may use one): the multi-lcore workloads need a second lcore.
 */
static char *
default_lcores(char *buf, size_t sz)
{
	int c, c0 = -1, c1 = -1;
	cpu_set_t cs;

	if (sched_getaffinity(0, sizeof(cs), &cs) == 0) {
		for (c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &cs))
				continue;
			if (c0 < 0) {
				c0 = c;
			} else {
				c1 = c;
				break;
			}
		}
	}
	if (c0 < 0)
		c0 = 0;
	if (c1 < 0)
		c1 = c0;
	snprintf(buf, sz, "--lcores=0@%d,1@%d", c0, c1);
	return buf;
}

int
main(int argc, char **argv)
{
	char *eal_argv[EAL_DEFAULT_ARGS + 1];
	char prefix[64], lcores[64];
	int eal_argc, sep = -1, rc, i, failed = 0;
	unsigned int w;
	char **opt_argv;
	int opt_argc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	if (sep < 0) {
		/* All ours: check them before starting the EAL. */
		snprintf(prefix, sizeof(prefix), "--file-prefix=hbb%d",
			 (int)getpid());
		eal_argc = 0;
		eal_argv[eal_argc++] = argv[0];
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-huge";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"-m";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"512";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-pci";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-shconf";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-telemetry";
		eal_argv[eal_argc++] = default_lcores(lcores, sizeof(lcores));
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
		eal_argv[eal_argc++] = prefix;
		eal_argv[eal_argc] = NULL;
		opt_argc = argc;
		opt_argv = argv;
	} else {
		eal_argc = sep;
		opt_argc = argc - sep;
		opt_argv = argv + sep;
		opt_argv[0] = argv[0];
	}
	if (parse_args(opt_argc, opt_argv) != 0) {
		usage(argv[0]);
		return 2;
	}

	rc = rte_eal_init(eal_argc, sep < 0 ? eal_argv : argv);
	if (rc < 0)
		rte_exit(EXIT_FAILURE, "EAL init failed: %s\n",
			 rte_strerror(rte_errno));
	rc = hb_init();
	if (rc != 0)
		rte_exit(EXIT_FAILURE, "hb_init: %s\n", strerror(-rc));
	tsc_per_ns = (double)rte_get_tsc_hz() / 1e9;
	mc_worker = rte_get_next_lcore(-1, 1, 0);

	pool = rte_pktmbuf_pool_create("hb_bench", POOL_SIZE, POOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL)
		rte_exit(EXIT_FAILURE, "pool: %s\n", rte_strerror(rte_errno));
	pattern = malloc(PATTERN_LEN);
	vexpect = malloc(OUT_CAP);
	if (pattern == NULL || vexpect == NULL)
		rte_exit(EXIT_FAILURE, "out of memory\n");
	for (w = 0; w < MAX_IMPL; w++) {
		vout[w] = malloc(OUT_CAP);
		if (vout[w] == NULL)
			rte_exit(EXIT_FAILURE, "out of memory\n");
	}
	{
		uint64_t s = opt_seed;
		size_t k;

		for (k = 0; k < PATTERN_LEN; k += 8) {
			uint64_t x = rng_next(&s);

			memcpy(pattern + k, &x, 8);
		}
	}
	g_out = vout[MAX_IMPL - 1];

	printf("hb-bench: HyperBuf %s, lcore %u, TSC %.3f GHz, %u reps x "
	       "%g ms, burst %u, split at %u\n", HB_VERSION_STR,
	       rte_lcore_id(), tsc_per_ns, opt_reps, opt_rep_ms, opt_burst,
	       opt_split_at);
	if (mc_worker < RTE_MAX_LCORE)
		printf("hb-bench: multi-lcore workloads on lcores %u and %u, "
		       "windows of %g ms\n", rte_lcore_id(), mc_worker,
		       opt_mc_ms);
	else
		printf("hb-bench: one lcore: the 2-lcore workloads will be "
		       "skipped (give the EAL -l 0-1)\n");
	for (w = 0; w < NB_WORKLOADS; w++) {
		struct workload *wl = &workloads[w];

		if (!wl->selected)
			continue;
		if (wl->todo != NULL) {
			printf("%s: skipped, not implemented yet: %s\n",
			       wl->name, wl->todo);
			continue;
		}
		if (wl_run(wl) != 0) {
			wl->failed = true;
			failed = 1;
		}
	}
	print_table();

	if (opt_csv != NULL && (rc = write_csv(opt_csv)) != 0) {
		fprintf(stderr, "%s: %s\n", opt_csv, strerror(-rc));
		failed = 1;
	}
	if (opt_json != NULL && (rc = write_json(opt_json)) != 0) {
		fprintf(stderr, "%s: %s\n", opt_json, strerror(-rc));
		failed = 1;
	}
	printf("%s\n", failed ? "hb-bench: CHECKS FAILED" :
				"hb-bench: all checks passed");

	for (w = 0; w < MAX_IMPL; w++)
		free(vout[w]);
	free(vexpect);
	free(pattern);
	rte_mempool_free(pool);
	hb_fini();
	rte_eal_cleanup();
	return failed;
}
