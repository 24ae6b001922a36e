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
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_reciprocal.h>

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

/* [0] hyperbuf, [1] the baseline, [2] hyperbuf-1visit */
static struct rte_mbuf *vis_burst[3][MAX_BURST];
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
 * Workloads with shared buffers (shared-read, contend): not yet.
 *
 * They need hb_buf_share() and hb_visit_async() (hb_async.h). Their place
 * is reserved in the table below; implement them as:
 *  - shared-read: 2 lcores, read visitors on one shared buffer, per-op cost
 *    at 1 and 2 lcores; baseline rte_rwlock_read_lock on one shared lock;
 *  - contend: 2 lcores, mixed read/write visits plus useful work between
 *    visits; baseline the same with rte_rwlock spinning; report work done
 *    and cycles spent spinning.
 * Each needs rte_eal_remote_launch() of a worker on a second lcore (-l 0,1).
 */

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
};

struct workload {
	const char *name;  /* cell name */
	const char *group; /* name in --workloads */
	const char *op;	   /* what one operation is */
	unsigned int ops_per_iter; /* 0: opt_burst */
	int (*setup)(void);
	void (*teardown)(void);
	const char *todo; /* not implemented yet: why */
	struct impl impl[MAX_IMPL];
	/* state */
	bool selected;
	bool ran;
	bool failed;
};

#define IMPL(n, r, f, t) { .name = (n), .role = (r), .run = (f), .target = (t) }

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
		.setup = vis_split_setup, .teardown = vis_teardown,
		.impl = {
			IMPL("hyperbuf", ROLE_HB, vis_hb, 0),
			IMPL("hyperbuf-1visit", ROLE_HB_VARIANT, vis_hb_1visit, 0),
			IMPL("read+writeback", ROLE_BASE, vis_read_writeback,
			     2.0),
		},
	},
	{
		.name = "shared-read", .group = "shared-read",
		.todo = "needs shared buffers (hb_buf_share, hb_async.h)",
	},
	{
		.name = "contend", .group = "contend",
		.todo = "needs shared buffers and hb_visit_async (hb_async.h)",
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

static int
wl_run(struct workload *w)
{
	unsigned int n = wl_nb_impl(w), ops = wl_ops(w), in_use, i, r;
	const struct impl *hb = NULL;
	int rc;

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

/* Derived target: HyperBuf random 1 MiB cost <= 3x the 64 KiB one. */
static bool
derived_random(double *ratio)
{
	const struct impl *a = NULL, *b = NULL;
	unsigned int i;

	for (i = 0; i < NB_WORKLOADS; i++) {
		if (!workloads[i].ran)
			continue;
		if (strcmp(workloads[i].name, "random64k") == 0)
			a = &workloads[i].impl[0];
		if (strcmp(workloads[i].name, "random1m") == 0)
			b = &workloads[i].impl[0];
	}
	if (a == NULL || b == NULL || a->nb == 0 || b->nb == 0 || a->med <= 0)
		return false;
	*ratio = b->med / a->med;
	return true;
}

static void
print_table(void)
{
	char t1[32], t2[32], t3[32], t4[32], t5[32];
	unsigned int i, j;
	double dr;

	printf("\nper-op times over %u repetitions (median, min, max); "
	       "ratio = implementation / hyperbuf (median)\n", opt_reps);
	printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n", "workload",
	       "implementation", "median", "min", "max", "ratio", "target",
	       "result");
	for (i = 0; i < NB_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected)
			continue;
		if (w->todo != NULL || !w->ran) {
			printf("%-12s %-17s %s\n", w->name, "-",
			       w->todo != NULL ? "not implemented yet" :
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
	if (derived_random(&dr))
		printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n", "random",
		       "hyperbuf 1m/64k", "", "", "",
		       fmt_ratio(t4, sizeof(t4), dr), "<=3x",
		       dr <= 3.0 ? "PASS" : "MISS");
	printf("one op:\n");
	for (i = 0; i < NB_WORKLOADS; i++)
		if (workloads[i].selected && workloads[i].ran)
			printf("  %-12s %s\n", workloads[i].name,
			       workloads[i].op);
}

static const char *
role_name(enum role r)
{
	return r == ROLE_HB ? "hyperbuf" :
	       r == ROLE_HB_VARIANT ? "hyperbuf-variant" : "baseline";
}

static int
write_csv(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int i, j, k;
	double dr;

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
				role_name(im->role), w->op, wl_ops(w),
				im->iters, im->nb, im->med, im->min, im->max,
				im->ratio, im->target, verdict(im));
			for (k = 0; k < im->nb; k++)
				fprintf(f, "%s%.4f", k ? " " : "", im->ns[k]);
			fprintf(f, "\n");
		}
	}
	if (derived_random(&dr))
		fprintf(f, "random,hyperbuf 1m/64k,derived,\"cost ratio\",0,0,"
			"0,0,0,0,%.4f,3,%s,\n", dr, dr <= 3.0 ? "PASS" : "MISS");
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
	double dr;

	if (f == NULL)
		return -errno;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "{\n  \"tool\": \"hb-bench\",\n  \"hyperbuf\": \"%s\",\n"
		"  \"date\": \"%s\",\n  \"tsc_hz\": %" PRIu64 ",\n"
		"  \"lcore\": %u,\n  \"reps\": %u,\n  \"rep_ms\": %g,\n"
		"  \"burst\": %u,\n  \"split_at\": %u,\n  \"quick\": %s,\n"
		"  \"results\": [\n", HB_VERSION_STR, date, rte_get_tsc_hz(),
		rte_lcore_id(), opt_reps, opt_rep_ms, opt_burst, opt_split_at,
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
			fprintf(f, "]}");
			first = false;
		}
	}
	if (derived_random(&dr))
		fprintf(f, "%s    {\"workload\": \"random\", "
			"\"implementation\": \"hyperbuf 1m/64k\", "
			"\"role\": \"derived\", \"ratio\": %.4f, "
			"\"target_max\": 3, \"result\": \"%s\"}",
			first ? "" : ",\n", dr, dr <= 3.0 ? "PASS" : "MISS");
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
	       "--no-telemetry -l 0 --file-prefix hbb<pid>\n\n"
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
	       "calibrated)\n"
	       "  --csv FILE        write the results as CSV\n"
	       "  --json FILE       write the results as JSON\n"
	       "  --quick           few short repetitions (smoke test)\n"
	       "  -h, --help        this help\n\n"
	       "Workloads:", prog, opt_reps, opt_rep_ms, opt_burst, MAX_BURST,
	       opt_split_at);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool reps_set = false, ms_set = false;
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
	}
	return select_workloads(opt_workloads);
}

/* EAL defaults when the command line has no "--". */
#define EAL_DEFAULT_ARGS 12

int
main(int argc, char **argv)
{
	char *eal_argv[EAL_DEFAULT_ARGS + 1];
	char prefix[64];
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
		eal_argv[eal_argc++] = (char *)(uintptr_t)"-l";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"0";
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
