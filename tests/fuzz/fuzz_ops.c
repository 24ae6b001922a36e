/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * libFuzzer operation-sequence fuzzer.
 *
 * The input is a program: its first byte picks the pool of each buffer
 * slot, then each operation is an opcode byte and its argument bytes
 * (missing bytes read as 0). Operations cover the buffer calls (append,
 * prepend, read, write, typed integers, trim, adj, split, peek, iov,
 * reserve, free, detach/attach, concat), cursors, read and write visitors
 * (aligned, growing, written through, released twice or never granted),
 * shared buffers (share, unshare, close, async visits queued behind live
 * visitors, hb_poll, cancel, teardown calls that fail and change nothing
 * or succeed), injected allocation failures (hb_fault) and invalid
 * arguments (NULL, uninitialised buffers, out-of-range offsets, unknown
 * values).
 *
 * The growth policy is on, its segment classes small pools of the
 * fuzzer's (hb_growth_pool_add(), on the fault-injecting driver): growth
 * takes the segments hb_model.h works out (exactly, when no class can run
 * dry or fail), smaller classes and finally the buffer's pool serve when
 * one does, and every pool's mbufs are counted.
 *
 * Every buffer has a flat byte-array model, every visitor, request and
 * cursor a small model; shared buffers a model of the FIFO rules (queue,
 * readers, writer, closing). After EVERY operation the fuzzer checks:
 * each buffer against its model (length, every byte through a raw chain
 * walk, hb_buf_check()), the result of the call against the documented
 * errnos (the set of errors whose conditions hold; ENOMEM only when the
 * pool is short or a failure was injected), that a failed call changed
 * nothing (segments, bytes, mbufs in use), the live-visitor rule, the view
 * of every live visitor, and the exact number of mbufs in use in each pool.
 * At the end of each input everything is released and freed, and the
 * pools, the bounce memory, the DPDK heap and the request counters must be
 * back to their baseline. Any divergence aborts (a libFuzzer crash).
 *
 * FUZZ_OPS_TRACE=1 in the environment prints every operation (to replay
 * a crash: ./fuzz_ops crash-file).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "hyperbuf.h"
#include "hb_lcore.h" /* hb_lcores[]: bounced visitors live (white box) */
#include "hb_fault.h"
#include "hb_model.h"
#include "hb_snap.h"
#include "fuzz_eal.h"
#include "fuzz_input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NBUF 3
#define NVIS 6
#define NREQ 6
#define NCUR 4
#define NVM (NVIS + NREQ)	/* visitor models: plain, then requests' */
#define NPOOL 3			/* the buffers' pools */
#define NCLS 5			/* then the growth classes' pools */
#define NALL (NPOOL + NCLS)
/*
 * All the pools together hold less (about 300 KiB, most of it in the
 * growth classes): no buffer outgrows its model, and an append that
 * succeeds reads no byte past the noise.
 */
#define MODEL_MAX (512u << 10)
#define NOISE_LEN (512u << 10)
#define MAX_SEGS 512
#define BOUNCE HB_VISIT_BOUNCE_SIZE

/* ---------------------------------------------------------------------
 * Failure reporting
 */

static unsigned long opno;
static const char *op_name = "init";
static long long op_arg[6];
static bool trace;

static void dump_all(void);

static void fz_fail(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void
fz_fail(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nfuzz_ops: DIVERGENCE at line %d, op #%lu %s(%lld, %lld, %lld, %lld, %lld, %lld):\n  ",
		line, opno, op_name, op_arg[0], op_arg[1], op_arg[2],
		op_arg[3], op_arg[4], op_arg[5]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	dump_all();
	abort();
}

/* FZ_ASSERT(): fuzz_input.h, calls fz_fail() above. */

/* Result kinds, for sets of acceptable results. */
enum kind {
	K_OK, K_EINVAL, K_EBUSY, K_ERANGE, K_ENOMEM, K_E2BIG, K_ENODATA,
	K_ESTALE, K_ENOBUFS, K_EALREADY, K_EPERM, K_ECANCELED,
	K_EINPROGRESS, K_OTHER,
};
#define A(k) (1u << K_##k)

static enum kind
kind_of(int rc)
{
	switch (rc) {
	case -EINVAL: return K_EINVAL;
	case -EBUSY: return K_EBUSY;
	case -ERANGE: return K_ERANGE;
	case -ENOMEM: return K_ENOMEM;
	case -E2BIG: return K_E2BIG;
	case -ENODATA: return K_ENODATA;
	case -ESTALE: return K_ESTALE;
	case -ENOBUFS: return K_ENOBUFS;
	case -EALREADY: return K_EALREADY;
	case -EPERM: return K_EPERM;
	case -ECANCELED: return K_ECANCELED;
	case -EINPROGRESS: return K_EINPROGRESS;
	default: return rc >= 0 ? K_OK : K_OTHER;
	}
}

#define EXPECT(rc, mask)                                                       \
	do {                                                                   \
		int __r = (rc);                                                \
		unsigned int __m = (mask);                                     \
		if (unlikely(((1u << kind_of(__r)) & __m) == 0))               \
			fz_fail(__LINE__, "%s = %d (%s), accepted set %#x",    \
				#rc, __r, strerror(__r < 0 ? -__r : 0), __m);  \
	} while (0)

/* ---------------------------------------------------------------------
 * Input
 */

/* in, g8(), g16(), g32(): fuzz_input.h */

/* ---------------------------------------------------------------------
 * State and models
 */

static struct rte_mempool *pools[NALL];
static uint32_t pool_cap[NALL];
static struct rte_mempool *clone_pool;	/* data room 0: init refuses it */
static struct rte_mempool *plain_pool;	/* not a pktmbuf pool */
static uint8_t noise[NOISE_LEN];

struct bslot {
	struct hb_buf b;
	int pool;
	struct hb_model m;	/* what it must hold, MODEL_MAX at most */
	bool shared, closing;
	int readers;		/* live read holders (visitors, grants) */
	bool writer;
	int q[NREQ];		/* queued requests, FIFO */
	int nq;
};

static struct bslot bs[NBUF];
static struct hb_buf ub;	/* never initialised (all zero) */

enum vstate { V_NEVER, V_LIVE, V_RELEASED };

struct vmodel {
	struct hb_visitor *v;
	enum vstate st;
	int buf;
	bool write, direct;
	uint32_t off, len;
	uint8_t shadow[BOUNCE];	/* what v->ptr must hold */
};

static struct hb_visitor vis[NVIS];
static struct vmodel vm[NVM];

enum rstate { R_IDLE, R_QUEUED, R_PENDING };

struct rmodel {
	struct hb_req req;
	enum rstate st;
	bool pend_cancel;	/* pending completion is a teardown */
	bool rel_in_cb;		/* release the visitor in the callback */
	int buf;
	bool write;
	uint32_t off, len, grow;
	uint8_t cbcopy[BOUNCE];	/* the view as seen by the callback */
};

static struct rmodel rm[NREQ];
static int pend[4 * NREQ];	/* completions posted, in order */
static int npend;

enum cval { C_VALID, C_STALE, C_MAYBE };

struct cmodel {
	struct hb_cursor c;
	bool init;
	int buf;
	uint32_t off;
	enum cval val;
};

static struct cmodel cm[NCUR];

/* Callback log of one hb_poll() call. */
struct cb_rec {
	int r;
	int status;
	bool live;
	bool direct;
	int rel_rc;
};
static struct cb_rec cblog[4 * NREQ];
static int ncb;

/* Each buffer before the operation, to tell that a call changed nothing. */
static struct hb_snap snaps[NBUF];
static unsigned int may_change;	/* buffers whose layout the op may change */
static uint64_t fault_failed[NALL];
static unsigned int allocating; /* pools the op is allowed to allocate from */

/* Bounce memory taken behind HyperBuf's back (op_hog), to make it run out. */
static uint32_t hog_off, hog_len;

static struct rte_malloc_socket_stats heap_base;
static uint64_t heap_ok;

/* ---------------------------------------------------------------------
 * Helpers on the model
 */

static void
cursors_stale(int bi, enum cval how)
{
	int i;

	for (i = 0; i < NCUR; i++)
		if (cm[i].init && cm[i].buf == bi && cm[i].val != C_STALE)
			cm[i].val = how;
}

static int
bounced_live(void)
{
	int i, n = hog_len > 0;

	for (i = 0; i < NVM; i++)
		n += vm[i].st == V_LIVE && !vm[i].direct;
	return n;
}

static bool
any_visitor(const struct bslot *s)
{
	return s->readers > 0 || s->writer;
}

/* May a mutating call get in? (no -EBUSY) */
static bool
mut_ok(const struct bslot *s)
{
	if (s->shared)
		return !s->writer && s->readers == 0 && s->nq == 0 &&
		       !s->closing;
	return !any_visitor(s);
}

/*
 * Does a teardown call (unshare, free, detach) of a shared buffer fail?
 * A visitor or grant live, or a request queued: it then changes nothing
 * (closing cancelled the queue: only holders are left then).
 */
static bool
teardown_busy(const struct bslot *s)
{
	return any_visitor(s) || s->nq > 0;
}

/* Reading calls: 1 must pass, 0 must be -EBUSY, 2 either. */
static int
read_ok(const struct bslot *s)
{
	if (s->writer)
		return 0;
	if (!s->shared || (s->nq == 0 && !s->closing))
		return 1;
	return s->readers > 0 ? 2 : 0;
}

static unsigned int
read_mask(const struct bslot *s, unsigned int ok_mask)
{
	switch (read_ok(s)) {
	case 0: return A(EBUSY);
	case 1: return ok_mask;
	default: return ok_mask | A(EBUSY);
	}
}

/* May a synchronous visit be granted? */
static bool
visit_ok(const struct bslot *s, bool write)
{
	if (s->shared && (s->nq > 0 || s->closing))
		return false;
	if (write)
		return !any_visitor(s);
	return !s->writer;
}

/*
 * Would growing by @n bytes (@nd) pass the segment limit or 4 GiB?
 * @may: it might (with classes short, smaller segments, more of them);
 * else: it must.
 */
static bool
too_big(const struct bslot *s, uint64_t n, const struct hb_need *nd, bool may)
{
	return n > UINT32_MAX - (uint64_t)s->m.len ||
	       hb_buf_nb_segs(&s->b) + (uint64_t)(may ? nd->hi : nd->lo) >
		       RTE_MBUF_MAX_NB_SEGS;
}

/* Growth: E2BIG if it may pass a limit, success unless it must. */
static unsigned int
grow_mask(const struct bslot *s, uint64_t n, const struct hb_need *nd)
{
	return (too_big(s, n, nd, true) ? A(E2BIG) : 0) |
	       (too_big(s, n, nd, false) ? 0 : A(OK));
}

static bool
fault_armed(int p)
{
	struct hb_fault_stats st;

	return hb_fault_stats(pools[p], &st) == 0 && st.armed;
}

/*
 * May taking @nd mbufs for a buffer of pool @p fail? Only if @p is short:
 * the classes, when they are, leave it to smaller ones and finally to @p,
 * which the growth never asks for more than @nd->hi mbufs.
 */
static bool
pool_short(int p, const struct hb_need *nd)
{
	return nd->hi > 0 &&
	       (rte_mempool_avail_count(pools[p]) < nd->hi || fault_armed(p));
}

/* Mbufs free in every pool. */
static unsigned int
all_avail(void)
{
	unsigned int n = 0;
	int p;

	for (p = 0; p < NALL; p++)
		n += rte_mempool_avail_count(pools[p]);
	return n;
}

/* Before a growing call: mbufs free in all pools; can a class fall short? */
struct probe {
	unsigned int avail;
	bool plenty;
};

static struct probe
probe(const struct hb_need *nd)
{
	struct probe g = { all_avail(), true };
	int c;

	for (c = NPOOL; c < NALL; c++)
		if (fault_armed(c) || rte_mempool_avail_count(pools[c]) < nd->lo)
			g.plenty = false;
	return g;
}

/*
 * After a growing call that succeeded: it took (from all pools) what
 * @nd says, exactly the policy's segments if no class could fall short.
 */
static void
check_took(const struct probe *g, const struct hb_need *nd)
{
	unsigned int took = g->avail - all_avail();

	FZ_ASSERT(g->plenty ? took == nd->lo : took >= nd->lo && took <= nd->hi,
		  "took %u mbufs, expected %u..%u%s", took, nd->lo, nd->hi,
		  g->plenty ? " (classes not short: exactly lo)" : "");
}

/* The pools a growth of a buffer of pool @p may take from (bits). */
static unsigned int
growth_pools(int p)
{
	return (1u << p) | (((1u << NCLS) - 1) << NPOOL);
}

/* Did an injected failure fire in pool @p during this operation? */
static bool
fault_fired(int p)
{
	struct hb_fault_stats st;

	hb_fault_stats(pools[p], &st);
	return st.failed != fault_failed[p];
}

/*
 * After a call that may allocate @nd from pool @p (@avail free before): a
 * fired injected failure must make it -ENOMEM, and -ENOMEM needs a reason
 * (the pool short, a failure injected, or bounce memory @bounce in use).
 */
static void
check_enomem(int rc, int p, unsigned int avail, const struct hb_need *nd,
	     bool bounce)
{
	if (fault_fired(p))
		FZ_ASSERT(rc == -ENOMEM, "a failed dequeue gave %d", rc);
	if (rc == -ENOMEM)
		FZ_ASSERT(fault_fired(p) || avail < nd->hi || bounce,
			  "-ENOMEM with %u mbufs free, %u..%u needed", avail,
			  nd->lo, nd->hi);
}

/* ---------------------------------------------------------------------
 * Checks
 */

/*
 * What an operation that may not change a buffer's layout must leave: its
 * segments, their data_off and data_len, its length (the bytes are checked
 * against the model; reference counts change with other buffers' calls).
 */
#define SNAP_SAME (HB_SNAP_SEGS | HB_SNAP_LAYOUT | HB_SNAP_BYTES)

/* Where [off, off+len) lies, if inside one segment: its address. */
static const uint8_t *
one_seg(const struct hb_buf *b, uint32_t off, uint32_t len)
{
	const struct rte_mbuf *m;
	uint32_t s = 0;

	for (m = b->head; m != NULL; m = m->next) {
		if (off >= s && (uint64_t)off + len <= (uint64_t)s + m->data_len &&
		    off < s + m->data_len)
			return rte_pktmbuf_mtod_offset(m, const uint8_t *, off - s);
		s += m->data_len;
	}
	return NULL;
}

static void
check_buf(int i)
{
	struct bslot *s = &bs[i];
	const char *why = NULL;
	int64_t diff;

	FZ_ASSERT(hb_buf_check(&s->b, &why) == 0, "buf %d: %s", i, why);
	FZ_ASSERT(hb_buf_len(&s->b) == s->m.len, "buf %d: len %u, model %u", i,
		  hb_buf_len(&s->b), s->m.len);
	FZ_ASSERT(hb_buf_is_shared(&s->b) == s->shared, "buf %d: shared %d",
		  i, hb_buf_is_shared(&s->b));
	FZ_ASSERT(hb_buf_is_closing(&s->b) == (s->shared && s->closing),
		  "buf %d: closing %d", i, hb_buf_is_closing(&s->b));
	FZ_ASSERT(hb_buf_pool(&s->b) == pools[s->pool], "buf %d: pool", i);
	diff = hb_model_chain_diff(&s->m, s->b.head);
	FZ_ASSERT(diff < 0, "buf %d: the chain departs from the model at %"
		  PRId64 " (model %u bytes)", i, diff, s->m.len);
}

/* mbufs each pool must have in use: segments and parents of indirects. */
static void
check_pools(void)
{
	const struct rte_mbuf *seen[2 * MAX_SEGS];
	unsigned int want[NALL] = { 0 };
	unsigned int nseen = 0, i, j, p;
	const struct rte_mbuf *m, *x;

	for (i = 0; i < NBUF; i++) {
		for (m = bs[i].b.head; m != NULL; m = m->next) {
			const struct rte_mbuf *c[2] = { m, NULL };

			if (RTE_MBUF_CLONED(m))
				c[1] = rte_mbuf_from_indirect((struct rte_mbuf *)(uintptr_t)m);
			for (j = 0; j < 2 && c[j] != NULL; j++) {
				x = c[j];
				for (p = 0; p < nseen && seen[p] != x; p++)
					;
				if (p < nseen)
					continue;
				FZ_ASSERT(nseen < RTE_DIM(seen), "too many mbufs");
				seen[nseen++] = x;
				for (p = 0; p < NALL && pools[p] != x->pool; p++)
					;
				FZ_ASSERT(p < NALL, "mbuf from an unknown pool");
				want[p]++;
			}
		}
	}
	for (p = 0; p < NALL; p++)
		FZ_ASSERT(rte_mempool_in_use_count(pools[p]) == want[p],
			  "pool %u: %u mbufs in use, buffers hold %u", p,
			  rte_mempool_in_use_count(pools[p]), want[p]);
}

static void
check_all(void)
{
	int i;

	for (i = 0; i < NBUF; i++) {
		check_buf(i);
		if (!(may_change & (1u << i))) {
			struct hb_snap now;
			char why[160];
			int rc;

			FZ_ASSERT(hb_snap_take(&now, &bs[i].b, false) == 0,
				  "buf %d: no memory for a snapshot", i);
			rc = hb_snap_diff(&snaps[i], &now, SNAP_SAME, why,
					  sizeof(why));
			hb_snap_free(&now);
			FZ_ASSERT(rc == 0, "buf %d: segments changed: %s", i,
				  why);
		}
	}
	for (i = 0; i < NVM; i++) {
		struct vmodel *x = &vm[i];

		FZ_ASSERT(hb_visitor_is_live(x->v) == (x->st == V_LIVE),
			  "visitor %d: live %d, model %d", i,
			  hb_visitor_is_live(x->v), x->st);
		if (x->st != V_LIVE)
			continue;
		FZ_ASSERT(x->v->off == x->off && x->v->len == x->len &&
			  x->v->buf == &bs[x->buf].b,
			  "visitor %d: range changed", i);
		FZ_ASSERT(hb_visitor_is_direct(x->v) == x->direct,
			  "visitor %d: direct flag changed", i);
		FZ_ASSERT(memcmp(x->v->ptr, x->shadow, x->len) == 0,
			  "visitor %d: view differs", i);
	}
	FZ_ASSERT(hb_lcores[rte_lcore_id()].live == (uint32_t)bounced_live(),
		  "bounced visitors: %u live, model %d",
		  hb_lcores[rte_lcore_id()].live, bounced_live());
	check_pools();
	for (i = 0; i < NALL; i++)
		FZ_ASSERT((allocating & (1u << i)) || !fault_fired(i),
			  "pool %d: unexpected allocation", i);
}

static void
dump_all(void)
{
	int i;

	for (i = 0; i < NBUF; i++) {
		fprintf(stderr,
			"buf %d: pool %d model len %u shared %d closing %d readers %d writer %d queued %d\n",
			i, bs[i].pool, bs[i].m.len, bs[i].shared, bs[i].closing,
			bs[i].readers, bs[i].writer, bs[i].nq);
		hb_buf_dump(stderr, &bs[i].b);
	}
	for (i = 0; i < NVM; i++)
		if (vm[i].st == V_LIVE)
			fprintf(stderr, "visitor %d: buf %d %s [%u, +%u) %s\n",
				i, vm[i].buf, vm[i].write ? "write" : "read",
				vm[i].off, vm[i].len,
				vm[i].direct ? "direct" : "bounced");
	for (i = 0; i < NALL; i++)
		fprintf(stderr, "pool %d (%s): %u in use, %u free\n", i,
			pools[i]->name, rte_mempool_in_use_count(pools[i]),
			rte_mempool_avail_count(pools[i]));
}

/* ---------------------------------------------------------------------
 * Picking arguments
 */

static int
pick_buf(void)
{
	return g8() % NBUF;
}

/* A size to add: mostly small, sometimes past the pool or 4 GiB. */
static uint32_t
pick_size(const struct bslot *s)
{
	uint32_t cap = pool_cap[s->pool];
	uint8_t k = g8();

	switch (k & 7) {
	case 0:
	case 1:
	case 2:
		return g8() & 31;
	case 3:
		return g16() % 600;
	case 4:
		return g16() % (4 * cap + 1);
	case 5:
		return g16() % (16 * cap + 1);
	case 6:
		return g16();
	default:
		switch ((k >> 3) & 3) {
		case 0: return UINT32_MAX - (g8() & 7);
		case 1: return (uint32_t)NOISE_LEN + 1 + g16();
		case 2: return UINT32_MAX - s->m.len + 1 - (g8() & 1);
		default: return (uint32_t)RTE_MBUF_MAX_NB_SEGS * cap + g8();
		}
	}
}

/* An amount to drop: mostly valid, sometimes too much. */
static uint32_t
pick_drop(uint32_t blen)
{
	uint8_t k = g8();

	switch (k & 7) {
	case 0: return blen;
	case 1: return blen + 1 + (g8() & 7);
	case 2: return UINT32_MAX - (g8() & 3);
	case 3: return g16() % (blen + 1);
	default: return RTE_MIN((uint32_t)(g8() & 63), blen);
	}
}

/* A range of a buffer of @blen bytes; sometimes out of range. */
static void
pick_range(uint32_t blen, uint32_t *off, uint32_t *len)
{
	uint8_t k = g8();

	switch (k & 15) {
	case 0:
		*off = blen + (g8() & 15);
		*len = g8() & 7;
		return;
	case 1:
		*off = g16() % (blen + 1);
		*len = blen - *off + 1 + (g8() & 7);
		return;
	case 2:
		*off = g16() % (blen + 1);
		*len = UINT32_MAX - (g8() & 3);
		return;
	case 3:
		*off = UINT32_MAX - (g8() & 3);
		*len = g8() & 7;
		return;
	case 4:
	case 5:
		*len = blen > 0 ? g16() % (blen + 1) : 0;
		break;
	case 6:
		*len = blen;
		break;
	default:
		*len = RTE_MIN((uint32_t)(g8() & 63), blen);
		break;
	}
	*off = g16() % (blen - *len + 1);
}

static const uint8_t *
pick_src(uint32_t len)
{
	uint32_t max = len >= NOISE_LEN ? 0 : NOISE_LEN - len;

	return noise + (max == 0 ? 0 : g16() % (max + 1));
}

/* ---------------------------------------------------------------------
 * Typed integers
 */

/* ---------------------------------------------------------------------
 * Model updates
 */

static void
model_grow(struct bslot *s, uint32_t to)
{
	FZ_ASSERT(hb_model_grow(&s->m, to),
		  "model full: the pool gave too much");
}

static void
model_append(struct bslot *s, const void *p, uint32_t n)
{
	FZ_ASSERT(hb_model_append(&s->m, p, n), "model full");
}

static void
model_prepend(struct bslot *s, const void *p, uint32_t n)
{
	FZ_ASSERT(hb_model_prepend(&s->m, p, n), "model full");
}

static void
pend_push(int r, bool cancel)
{
	FZ_ASSERT(npend < (int)RTE_DIM(pend), "too many completions");
	pend[npend++] = r;
	rm[r].st = R_PENDING;
	rm[r].pend_cancel = cancel;
}

/* The FIFO grant rule: grant the head requests that no visitor blocks. */
static void
m_grant(int bi)
{
	struct bslot *s = &bs[bi];

	while (s->nq > 0 && !s->closing) {
		int r = s->q[0];

		if (rm[r].write ? any_visitor(s) : s->writer)
			break;
		memmove(s->q, s->q + 1, (size_t)(s->nq - 1) * sizeof(s->q[0]));
		s->nq--;
		if (rm[r].write)
			s->writer = true;
		else
			s->readers++;
		pend_push(r, false);
	}
}

/* A visitor or grant of buffer @bi ends. */
static void
m_drop(int bi, bool write)
{
	if (write)
		bs[bi].writer = false;
	else
		bs[bi].readers--;
	FZ_ASSERT(bs[bi].readers >= 0, "model readers < 0");
	m_grant(bi);
}

/* hb_buf_close(): every queued request completes with -ECANCELED. */
static void
m_close(int bi)
{
	struct bslot *s = &bs[bi];
	int i;

	s->closing = true;
	for (i = 0; i < s->nq; i++)
		pend_push(s->q[i], true);
	s->nq = 0;
}

/* Can the buffer's slot be overwritten (split target, init, attach)? */
static bool
slot_free_for_reinit(int bi)
{
	const struct bslot *s = &bs[bi];
	int i;

	if (s->b.head != NULL || s->shared || any_visitor(s))
		return false;
	for (i = 0; i < NREQ; i++)
		if (rm[i].st != R_IDLE && rm[i].buf == bi)
			return false;
	return true;
}

static void
m_reinit(int bi, int pool)
{
	bs[bi].pool = pool;
	bs[bi].m.len = 0;
	cursors_stale(bi, C_STALE);
}

static int
pool_index(const struct rte_mempool *mp)
{
	int p;

	for (p = 0; p < NALL; p++)
		if (pools[p] == mp)
			return p;
	fz_fail(__LINE__, "unknown pool %p", (const void *)mp);
}

/* ---------------------------------------------------------------------
 * Operations on buffers
 */

/* After a call that may have failed: nothing changed, or as the model. */
#define ALLOW_CHANGE(bi) (may_change |= 1u << (bi))

static void
op_append(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint32_t n = pick_size(s);
	bool null = (g8() & 15) == 0;
	const uint8_t *src = pick_src(n);
	struct hb_need nd = hb_model_need_append(&s->b, n);
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct probe g = probe(&nd);
	unsigned int mask = 0;
	int rc;

	op_arg[0] = bi; op_arg[1] = n; op_arg[2] = null;
	allocating = growth_pools(s->pool);
	if (null)
		mask |= A(EINVAL);
	if (!mut_ok(s))
		mask |= A(EBUSY);
	if (mask == 0) {
		mask = grow_mask(s, n, &nd);
		if (pool_short(s->pool, &nd))
			mask |= A(ENOMEM);
	}
	ALLOW_CHANGE(bi);
	rc = hb_buf_append(&s->b, null ? NULL : src, n);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc == 0) {
		check_took(&g, &nd);
		model_append(s, src, n);
	} else {
		may_change = 0;
	}
}

static void
op_append_int(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	int t = g8() % HB_INT_NUM;
	uint64_t v = hb_int_mask(((uint64_t)g32() << 32) | g32(), t);
	struct hb_need nd = hb_model_need_append(&s->b, hb_ints[t].size);
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct probe g = probe(&nd);
	unsigned int mask = 0;
	uint8_t enc[8];
	int rc;

	op_arg[0] = bi; op_arg[1] = t; op_arg[2] = (long long)v;
	allocating = growth_pools(s->pool);
	if (!mut_ok(s))
		mask = A(EBUSY);
	else
		mask = A(OK) | (pool_short(s->pool, &nd) ? A(ENOMEM) : 0);
	ALLOW_CHANGE(bi);
	rc = hb_int_append(&s->b, t, v);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc == 0) {
		check_took(&g, &nd);
		hb_int_encode(enc, v, t);
		model_append(s, enc, hb_ints[t].size);
	} else {
		may_change = 0;
	}
}

static void
op_prepend(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint32_t n = pick_size(s);
	bool null = (g8() & 15) == 0;
	const uint8_t *src = pick_src(n);
	struct hb_need nd = hb_model_need_prepend(&s->b, n);
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct probe g = probe(&nd);
	bool was_empty = s->m.len == 0;
	unsigned int mask = 0;
	int rc;

	op_arg[0] = bi; op_arg[1] = n; op_arg[2] = null;
	allocating = growth_pools(s->pool);
	if (null)
		mask |= A(EINVAL);
	if (!mut_ok(s))
		mask |= A(EBUSY);
	if (mask == 0) {
		/* A prepend never fails for lack of headroom. */
		bool big = n > UINT32_MAX - s->m.len ||
			   hb_buf_nb_segs(&s->b) + (uint64_t)nd.hi + 1 >
				   RTE_MBUF_MAX_NB_SEGS;

		if (big)
			mask |= A(E2BIG);
		if (pool_short(s->pool, &nd))
			mask |= A(ENOMEM);
		if (!big)
			mask |= A(OK);
	}
	ALLOW_CHANGE(bi);
	rc = hb_buf_prepend(&s->b, null ? NULL : src, n);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc == 0) {
		check_took(&g, &nd);
		model_prepend(s, src, n);
		if (n > 0 && !was_empty)
			cursors_stale(bi, C_STALE);
		else if (n > 0)
			cursors_stale(bi, C_MAYBE);
	} else {
		may_change = 0;
	}
}

/* A NULL argument: -EINVAL, or one of the errors the call may check first. */
static unsigned int
null_mask(unsigned int mask, bool null)
{
	return null ? A(EINVAL) | (mask & ~A(OK)) : mask;
}

static void
op_read(void)
{
	static uint8_t dst[MODEL_MAX + 16];
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t off, len;
	bool null = (k & 0x70) == 0x70;
	unsigned int mask;
	int rc;

	pick_range(s->m.len, &off, &len);
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = len; op_arg[3] = k;
	if (k & 1) {
		/* Typed integer. */
		int t = (k >> 1) % HB_INT_NUM;
		uint64_t v = 0;

		len = hb_ints[t].size;
		op_arg[2] = len;
		mask = read_mask(s,
				 hb_range_ok(s->m.len, off,
					     len) ? A(OK) : A(ERANGE));
		rc = hb_int_get(&s->b, t, off, null ? NULL : &v);
		EXPECT(rc, null_mask(mask, null));
		if (rc == 0)
			FZ_ASSERT(v == hb_int_decode(s->m.ref + off, t),
				  "integer %#" PRIx64 " differs", v);
		return;
	}
	/* Out of range: never copied (dst is big enough for any range). */
	mask = read_mask(s,
			 hb_range_ok(s->m.len, off, len) ? A(OK) : A(ERANGE));
	rc = hb_buf_read(&s->b, off, null ? NULL : dst, len);
	EXPECT(rc, null_mask(mask, null));
	if (rc == 0)
		FZ_ASSERT(memcmp(dst, s->m.ref + off, len) == 0, "read bytes differ");
}

static void
op_write(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t off, len;
	bool null = (k & 0x70) == 0x70;
	const uint8_t *src;
	unsigned int mask = 0;
	int rc;

	pick_range(s->m.len, &off, &len);
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = k;
	if (k & 1) {
		int t = (k >> 1) % HB_INT_NUM;
		uint64_t v = hb_int_mask(((uint64_t)g32() << 32) | g32(), t);
		uint8_t enc[8];

		len = hb_ints[t].size;
		op_arg[3] = len;
		if (!mut_ok(s))
			mask = A(EBUSY);
		else
			mask = hb_range_ok(s->m.len, off,
					   len) ? A(OK) : A(ERANGE);
		rc = hb_int_put(&s->b, t, off, v);
		EXPECT(rc, mask);
		if (rc == 0) {
			hb_int_encode(enc, v, t);
			hb_model_write(&s->m, off, enc, len);
		}
		return;
	}
	/* Lengths past the noise are out of range: never read. */
	if (len > NOISE_LEN && hb_range_ok(s->m.len, off, len))
		len = NOISE_LEN;
	src = pick_src(len);
	op_arg[3] = len;
	if (null)
		mask |= A(EINVAL);
	if (!mut_ok(s))
		mask |= A(EBUSY);
	if (mask == 0)
		mask = hb_range_ok(s->m.len, off, len) ? A(OK) : A(ERANGE);
	rc = hb_buf_write(&s->b, off, null ? NULL : src, len);
	EXPECT(rc, mask);
	if (rc == 0)
		hb_model_write(&s->m, off, src, len);
}

static void
op_trim_adj(bool adj)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint32_t n = pick_drop(s->m.len);
	unsigned int mask;
	int rc;

	op_arg[0] = bi; op_arg[1] = n;
	if (!mut_ok(s))
		mask = A(EBUSY);
	else
		mask = n <= s->m.len ? A(OK) : A(ERANGE);
	ALLOW_CHANGE(bi);
	rc = adj ? hb_buf_adj(&s->b, n) : hb_buf_trim(&s->b, n);
	EXPECT(rc, mask);
	if (rc != 0) {
		may_change = 0;
		return;
	}
	if (adj)
		hb_model_adj(&s->m, n);
	else
		hb_model_trim(&s->m, n);
	cursors_stale(bi, n > 0 ? C_STALE : C_MAYBE);
}

static void
op_split(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t at = pick_drop(s->m.len);
	int ti = -1, i;
	struct hb_buf *tail;
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct hb_need nd = { 0, 0 };
	unsigned int mask = 0;
	const struct rte_mbuf *m;
	uint32_t o = 0;
	int rc;

	if ((k & 7) == 0) {
		tail = NULL;
	} else if ((k & 7) == 1) {
		tail = &s->b;
	} else {
		for (i = 1; i < NBUF && ti < 0; i++)
			if (slot_free_for_reinit((bi + i) % NBUF))
				ti = (bi + i) % NBUF;
		if (ti < 0)
			return;
		tail = &bs[ti].b;
	}
	op_arg[0] = bi; op_arg[1] = at; op_arg[2] = ti; op_arg[3] = k & 7;
	allocating = 1u << s->pool;
	for (m = s->b.head; m != NULL; m = m->next) {
		if (at > o && at < o + m->data_len)
			nd.lo = nd.hi = 1;
		o += m->data_len;
	}
	if (tail == NULL || tail == &s->b)
		mask |= A(EINVAL);
	if (!mut_ok(s))
		mask |= A(EBUSY);
	if (mask == 0) {
		if (at > s->m.len) {
			mask = A(ERANGE);
		} else {
			mask = A(OK);
			if (pool_short(s->pool, &nd))
				mask |= A(ENOMEM);
		}
	}
	ALLOW_CHANGE(bi);
	if (ti >= 0)
		ALLOW_CHANGE(ti);
	rc = hb_buf_split(&s->b, at, tail);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc != 0) {
		may_change = 0;
		return;
	}
	FZ_ASSERT(avail - rte_mempool_avail_count(pools[s->pool]) == nd.lo,
		  "split took %u mbufs",
		  avail - rte_mempool_avail_count(pools[s->pool]));
	m_reinit(ti, s->pool);
	if (at < s->m.len)
		cursors_stale(bi, C_STALE);
	else
		cursors_stale(bi, C_MAYBE);
	FZ_ASSERT(hb_model_split(&s->m, at, &bs[ti].m), "model full");
}

static void
op_peek(void)
{
	static uint8_t scratch[MODEL_MAX];
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	bool noscr = (k & 3) == 0;
	const uint8_t *direct;
	const void *p;
	uint32_t off, len;
	bool ok;
	unsigned int mask;

	pick_range(s->m.len, &off, &len);
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = len; op_arg[3] = noscr;
	ok = hb_range_ok(s->m.len, off, len);
	direct = ok && len > 0 ? one_seg(&s->b, off, len) : NULL;
	if (!ok)
		mask = A(ERANGE);
	else if (len > 0 && direct == NULL && noscr)
		mask = A(EINVAL);
	else
		mask = A(OK);
	mask = read_mask(s, mask);
	rte_errno = 0;
	p = hb_buf_peek(&s->b, off, len, noscr ? NULL : scratch);
	EXPECT(p != NULL ? 0 : -rte_errno, mask);
	if (p == NULL || len == 0)
		return;
	if (direct != NULL)
		FZ_ASSERT(p == direct, "contiguous peek not in place");
	else
		FZ_ASSERT(p == scratch, "spanning peek not in scratch");
	FZ_ASSERT(memcmp(p, s->m.ref + off, len) == 0, "peek bytes differ");
}

static void
op_iov(void)
{
	static struct iovec iov[MAX_SEGS];
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t off, len, o = 0, piece = 0;
	const struct rte_mbuf *m;
	int cnt, need = 0, rc, i;
	bool null = false;
	unsigned int mask;

	pick_range(s->m.len, &off, &len);
	switch (k & 7) {
	case 0: null = true; cnt = 0; break;		/* count only */
	case 1: null = true; cnt = 1 + (k >> 3); break;	/* invalid */
	case 2: cnt = -1 - (k >> 3); break;		/* invalid */
	case 3: cnt = k >> 3; break;			/* maybe short */
	default: cnt = MAX_SEGS; break;
	}
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = len; op_arg[3] = cnt;
	op_arg[4] = null;
	if (hb_range_ok(s->m.len, off, len))
		for (m = s->b.head; m != NULL; m = m->next) {
			uint32_t a = RTE_MAX(o, off);
			uint32_t e = RTE_MIN(o + m->data_len, off + len);

			need += a < e;
			o += m->data_len;
		}
	if (cnt < 0 || (null && cnt != 0))
		mask = A(EINVAL);
	else if (!hb_range_ok(s->m.len, off, len))
		mask = A(ERANGE);
	else if (!null && need > cnt)
		mask = A(ENOBUFS);
	else
		mask = A(OK);
	mask = read_mask(s, mask);
	rc = hb_buf_iov(&s->b, off, len, null ? NULL : iov, cnt);
	EXPECT(rc, mask);
	if (rc < 0)
		return;
	FZ_ASSERT(rc == need, "iov: %d entries, %d pieces", rc, need);
	if (null)
		return;
	for (i = 0; i < rc; i++) {
		FZ_ASSERT(iov[i].iov_len > 0 && piece + iov[i].iov_len <= len,
			  "iov entry %d length", i);
		FZ_ASSERT(one_seg(&s->b, off + piece, (uint32_t)iov[i].iov_len) ==
				  iov[i].iov_base,
			  "iov entry %d is not a segment piece", i);
		FZ_ASSERT(memcmp(iov[i].iov_base, s->m.ref + off + piece,
				 iov[i].iov_len) == 0, "iov bytes differ");
		piece += (uint32_t)iov[i].iov_len;
	}
	FZ_ASSERT(piece == len, "iov covers %u of %u bytes", piece, len);
}

static void
op_reserve(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint32_t n = pick_size(s);
	struct hb_need nd = hb_model_need_append(&s->b, n);
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct probe g = probe(&nd);
	unsigned int mask = 0;
	int rc;

	op_arg[0] = bi; op_arg[1] = n;
	allocating = growth_pools(s->pool);
	if (!mut_ok(s)) {
		mask = A(EBUSY);
	} else {
		mask = grow_mask(s, n, &nd);
		if (pool_short(s->pool, &nd))
			mask |= A(ENOMEM);
	}
	ALLOW_CHANGE(bi);
	rc = hb_buf_reserve(&s->b, n);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc != 0) {
		may_change = 0;
		return;
	}
	check_took(&g, &nd);
	FZ_ASSERT(hb_model_room(&s->b) >= n || (s->b.head != NULL &&
		  s->m.len == 0 && s->b.head->nb_segs > 0),
		  "reserve: room %u < %u", hb_model_room(&s->b), n);
	/* Appending what was reserved takes no mbuf. */
	if (n > 0 && n <= 4096 && s->m.len + n <= MODEL_MAX && (g8() & 1)) {
		const uint8_t *src = pick_src(n);

		avail = all_avail();
		EXPECT(hb_buf_append(&s->b, src, n), A(OK));
		FZ_ASSERT(all_avail() == avail, "append after reserve allocated");
		model_append(s, src, n);
	}
}

static void
op_free(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	int rc;

	op_arg[0] = bi;
	ALLOW_CHANGE(bi);
	rc = hb_buf_free(&s->b);
	if (s->shared) {
		/* Fails with nothing changed, or makes it local first. */
		if (teardown_busy(s)) {
			EXPECT(rc, A(EBUSY));
			may_change = 0;
			return;
		}
		s->shared = false;
		s->closing = false;
	} else if (any_visitor(s)) {
		EXPECT(rc, A(EBUSY));
		may_change = 0;
		return;
	}
	EXPECT(rc, A(OK));
	s->m.len = 0;
	cursors_stale(bi, C_MAYBE);
	if (snaps[bi].n > 0)
		cursors_stale(bi, C_STALE);
}

static void
check_chain(const struct rte_mbuf *h, const struct bslot *s)
{
	const struct rte_mbuf *m;
	uint32_t off = 0, n = 0;

	FZ_ASSERT(h->pkt_len == s->m.len, "detached pkt_len %u", h->pkt_len);
	FZ_ASSERT(hb_model_chain_diff(&s->m, h) < 0, "detached bytes differ");
	for (m = h; m != NULL; m = m->next) {
		FZ_ASSERT(m->data_len > 0 || (m == h && h->pkt_len == 0) ||
			  m->next != NULL, "detached chain ends empty");
		off += m->data_len;
		n++;
	}
	FZ_ASSERT(n == h->nb_segs && off == h->pkt_len, "detached chain");
}

static void
op_detach(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	struct rte_mbuf *h;
	int rc;

	op_arg[0] = bi; op_arg[1] = k;
	ALLOW_CHANGE(bi);
	rte_errno = 0;
	h = hb_buf_detach(&s->b);
	rc = h != NULL ? 0 : -rte_errno;
	if (snaps[bi].n == 0) {
		/* Nothing held: ENODATA, checked before any teardown. */
		EXPECT(rc, A(ENODATA));
		may_change = 0;
		return;
	}
	if (s->shared) {
		if (teardown_busy(s)) {
			EXPECT(rc, A(EBUSY));
			may_change = 0;
			return;
		}
		s->shared = false;
		s->closing = false;
	} else if (any_visitor(s)) {
		EXPECT(rc, A(EBUSY));
		may_change = 0;
		return;
	}
	EXPECT(rc, A(OK));
	FZ_ASSERT(hb_buf_nb_segs(&s->b) == 0 && hb_buf_len(&s->b) == 0,
		  "detached buffer not empty");
	check_chain(h, s);
	cursors_stale(bi, C_STALE);
	if (k & 1) {
		rte_pktmbuf_free(h);
		s->m.len = 0;
		return;
	}
	EXPECT(hb_buf_attach(&s->b, h), A(OK));
	s->pool = pool_index(h->pool);
}

/*
 * Join two buffers, no byte copied (or a call that must fail): dst gets
 * src's bytes, the mbufs hb_model_concat() says are freed, none taken;
 * src's cursors are stale, dst's read on.
 */
static void
op_concat(void)
{
	int bi = pick_buf(), bj = pick_buf();
	uint8_t k = g8();
	struct bslot *d = &bs[bi], *s = &bs[bj];
	struct hb_buf *dst = &d->b, *src = &s->b;
	unsigned int mask = 0, avail = all_avail();
	bool src_segs = s->b.head != NULL;
	struct hb_join j = { 0, 0, 0, false };
	int rc;

	op_arg[0] = bi; op_arg[1] = bj; op_arg[2] = k & 7;
	switch (k & 7) {
	case 0: src = NULL; break;
	case 1: dst = NULL; break;
	case 2: src = &ub; break;
	case 3: dst = &ub; break;
	default: break;
	}
	if (dst == NULL || src == NULL || dst == &ub || src == &ub || bi == bj) {
		mask = A(EINVAL);
	} else {
		if (d->shared || s->shared)
			mask |= A(EPERM);
		if (any_visitor(d) || any_visitor(s))
			mask |= A(EBUSY);
		if (mask == 0) {
			j = hb_model_concat(dst, src);
			mask = j.too_big ? A(E2BIG) : A(OK);
			ALLOW_CHANGE(bi);
			ALLOW_CHANGE(bj);
		}
	}
	rc = hb_buf_concat(dst, src);
	EXPECT(rc, mask);
	FZ_ASSERT(all_avail() == avail + (rc == 0 ? j.freed : 0),
		  "concat: %u mbufs free, %u before, %u freed", all_avail(),
		  avail, j.freed);
	if (rc != 0) {
		may_change = 0;
		return;
	}
	FZ_ASSERT(hb_buf_nb_segs(dst) == j.segs, "concat: %u segments, "
		  "model %u", hb_buf_nb_segs(dst), j.segs);
	FZ_ASSERT(hb_model_room(dst) == j.room, "concat: room %u, model %u",
		  hb_model_room(dst), j.room);
	FZ_ASSERT(hb_buf_nb_segs(src) == 0, "concat: src not empty");
	model_append(d, s->m.ref, s->m.len);
	s->m.len = 0;
	if (src_segs)
		cursors_stale(bj, C_STALE);
}

static void
op_reinit(void)
{
	int bi = pick_buf();
	int p = g8() % NPOOL;

	op_arg[0] = bi; op_arg[1] = p;
	if (!slot_free_for_reinit(bi))
		return;
	ALLOW_CHANGE(bi);
	EXPECT(hb_buf_init(&bs[bi].b, pools[p]), A(OK));
	m_reinit(bi, p);
}

/* ---------------------------------------------------------------------
 * Cursors
 */

static void
cursor_seen(struct cmodel *c, int rc)
{
	if (c->val == C_MAYBE && rc == -ESTALE)
		c->val = C_STALE;
	else if (c->val == C_MAYBE && rc != -EBUSY && rc != -EINVAL)
		c->val = C_VALID;
}

static void
op_cursor_init(void)
{
	int ci = g8() % NCUR;
	int bi = pick_buf();
	struct cmodel *c = &cm[ci];
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t off = (k & 7) == 0 ? s->m.len + 1 + (g8() & 7) :
		       (k & 7) == 1 ? s->m.len : g16() % (s->m.len + 1);
	struct hb_cursor save = c->c;
	unsigned int mask;
	int rc;

	op_arg[0] = ci; op_arg[1] = bi; op_arg[2] = off; op_arg[3] = k;
	if ((k & 0xf0) == 0xf0) {
		EXPECT(hb_cursor_init(NULL, &s->b, 0), A(EINVAL));
		EXPECT(hb_cursor_init(&c->c, &ub, 0), A(EINVAL));
		EXPECT(hb_cursor_init(&c->c, NULL, 0), A(EINVAL));
		FZ_ASSERT(memcmp(&save, &c->c, sizeof(save)) == 0,
			  "failed cursor init changed the cursor");
		return;
	}
	mask = read_mask(s, off <= s->m.len ? A(OK) : A(ERANGE));
	rc = hb_cursor_init(&c->c, &s->b, off);
	EXPECT(rc, mask);
	if (rc != 0) {
		FZ_ASSERT(memcmp(&save, &c->c, sizeof(save)) == 0,
			  "failed cursor init changed the cursor");
		return;
	}
	c->init = true;
	c->buf = bi;
	c->off = off;
	c->val = C_VALID;
	FZ_ASSERT(hb_cursor_offset(&c->c) == off, "cursor offset");
}

static void
op_cursor(void)
{
	static uint8_t dst[MODEL_MAX], scratch[MODEL_MAX];
	int ci = g8() % NCUR;
	struct cmodel *c = &cm[ci];
	uint8_t k = g8();
	struct bslot *s;
	uint32_t len, rem;
	unsigned int mask = 0, okm;
	bool stale_ok, valid_ok;
	const void *p = NULL;
	uint64_t v = 0;
	int what = k % 7, rc = 0, t = (k >> 3) % HB_INT_NUM;

	if (!c->init)
		return;
	s = &bs[c->buf];
	stale_ok = c->val != C_VALID;
	valid_ok = c->val != C_STALE;
	rem = valid_ok && c->off <= s->m.len ? s->m.len - c->off : 0;
	switch (g8() & 3) {
	case 0: len = rem; break;
	case 1: len = rem + 1 + (g8() & 3); break;
	default: len = RTE_MIN((uint32_t)(g8() & 63), rem); break;
	}
	if (what == 4 || what == 5)
		len = hb_ints[t].size;
	op_arg[0] = ci; op_arg[1] = what; op_arg[2] = len; op_arg[3] = c->off;
	op_arg[4] = c->val;

	if (what == 6) {
		uint32_t r = hb_cursor_remaining(&c->c);

		FZ_ASSERT((stale_ok && r == 0) ||
			  (valid_ok && r == s->m.len - c->off),
			  "remaining %u, model %u (%d)", r, s->m.len - c->off,
			  c->val);
		FZ_ASSERT(hb_cursor_offset(&c->c) == c->off, "cursor offset");
		return;
	}
	/* NULL arguments. */
	if ((k & 0xc0) == 0xc0 && what < 4) {
		rc = what == 0 ? hb_cursor_read(&c->c, NULL, len) :
		     what == 1 ? hb_cursor_peek(&c->c, NULL, len) :
		     what == 2 ? hb_cursor_skip(NULL, len) :
				 (rte_errno = 0, hb_cursor_pull(NULL, len, scratch) ?
				  0 : -rte_errno);
		EXPECT(rc, A(EINVAL));
		FZ_ASSERT(hb_cursor_offset(&c->c) == c->off, "cursor moved");
		return;
	}
	okm = A(OK);
	if (valid_ok && len > s->m.len - RTE_MIN(c->off, s->m.len))
		okm = A(ENODATA);
	if (what == 3 && valid_ok && okm == A(OK) && len > 0 &&
	    one_seg(&s->b, c->off, len) == NULL && (k & 0x30) == 0)
		okm = A(EINVAL); /* spanning pull without scratch */
	if (valid_ok)
		mask |= okm;
	if (stale_ok)
		mask |= A(ESTALE);
	mask = read_mask(s, mask);
	switch (what) {
	case 0: rc = hb_cursor_read(&c->c, dst, len); break;
	case 1: rc = hb_cursor_peek(&c->c, dst, len); break;
	case 2: rc = hb_cursor_skip(&c->c, len); break;
	case 3:
		rte_errno = 0;
		p = hb_cursor_pull(&c->c, len, (k & 0x30) == 0 ? NULL : scratch);
		rc = p != NULL ? 0 : -rte_errno;
		break;
	default:
		rc = hb_int_cursor(&c->c, t, what == 4, &v);
		break;
	}
	EXPECT(rc, mask);
	cursor_seen(c, rc);
	if (rc != 0) {
		FZ_ASSERT(hb_cursor_offset(&c->c) == c->off, "failed call moved the cursor");
		return;
	}
	switch (what) {
	case 0:
	case 1:
		FZ_ASSERT(memcmp(dst, s->m.ref + c->off, len) == 0,
			  "cursor bytes differ");
		break;
	case 3:
		if (len > 0) {
			const uint8_t *d = one_seg(&s->b, c->off, len);

			FZ_ASSERT(d != NULL ? p == d : p == scratch,
				  "pull: wrong place");
			FZ_ASSERT(memcmp(p, s->m.ref + c->off, len) == 0,
				  "pull bytes differ");
		}
		break;
	case 4:
	case 5:
		FZ_ASSERT(v == hb_int_decode(s->m.ref + c->off, t),
			  "cursor integer differs");
		break;
	default:
		break;
	}
	if (what != 1 && what != 5)
		c->off += len;
	FZ_ASSERT(hb_cursor_offset(&c->c) == c->off, "cursor offset %u, model %u",
		  hb_cursor_offset(&c->c), c->off);
}

/* ---------------------------------------------------------------------
 * Visitors
 */

static const uint32_t aligns[8] = { 1, 2, 4, 8, 16, 64, 0, 3 };

static bool
align_valid(uint32_t a)
{
	return a != 0 && (a & (a - 1)) == 0 && a <= HB_VISIT_ALIGN_MAX;
}

/* A fresh visitor slot: one that is not live (else none). */
static int
pick_vis(void)
{
	int i = g8() % NVIS, j;

	for (j = 0; j < NVIS; j++, i = (i + 1) % NVIS)
		if (vm[i].st != V_LIVE)
			return i;
	return -1;
}

/* Record a granted visitor: geometry and view against the model. */
static void
vis_granted(int vi, int bi, bool write, uint32_t off, uint32_t len,
	    uint32_t align)
{
	struct vmodel *x = &vm[vi];
	struct bslot *s = &bs[bi];
	const uint8_t *d = one_seg(&s->b, off, len);
	bool direct_ok = d != NULL && ((uintptr_t)d & (align - 1)) == 0;

	x->st = V_LIVE;
	x->buf = bi;
	x->write = write;
	x->off = off;
	x->len = len;
	x->direct = hb_visitor_is_direct(x->v);
	FZ_ASSERT(x->direct == direct_ok,
		  "visitor direct %d, expected %d", x->direct, direct_ok);
	FZ_ASSERT(!x->direct || x->v->ptr == d, "direct view elsewhere");
	FZ_ASSERT(x->direct || ((uintptr_t)x->v->ptr & (HB_VISIT_ALIGN_MAX - 1)) == 0,
		  "bounce memory not aligned");
	FZ_ASSERT(x->v->off == off && x->v->len == len, "visitor range");
	memcpy(x->shadow, s->m.ref + off, len);
	FZ_ASSERT(memcmp(x->v->ptr, x->shadow, len) == 0, "view differs");
}

static void
op_vis(bool write)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	uint32_t align = (k & 8) ? aligns[(k >> 4) & 7] : 1;
	bool nullv = (k & 7) == 7;
	uint32_t off, len, grow = 0, end;
	int vi = pick_vis();
	struct hb_visitor *v;
	unsigned int mask = 0, avail;
	struct hb_need nd = { 0, 0 };
	struct probe g;
	bool grows;
	int rc;

	if (vi < 0)
		return;
	v = vm[vi].v;
	if (write && (k & 3) >= 2) {
		/* Past the end: growth. */
		off = s->m.len - RTE_MIN(s->m.len, (uint32_t)(g8() & 63)) +
		      ((k & 1) ? (g8() & 31) : 0);
		len = (g8() & 1) ? 1 + (g8() & 127) : 1 + g16() % (8 * pool_cap[s->pool]);
		if (g8() == 0xff)
			len = BOUNCE + 1 + (g8() & 3);
		end = off + len;
		grow = end > s->m.len ? end - s->m.len : 0;
		switch (g8() & 3) {
		case 0: grow = grow > 0 ? grow - 1 : 0; break;
		case 1: grow += g8(); break;
		case 2: grow = UINT32_MAX; break;
		default: break;
		}
	} else {
		pick_range(s->m.len, &off, &len);
		if ((k & 3) == 1 && len > 0)
			len = RTE_MIN(len, (uint32_t)(g8() & 63) + 1);
		if (write && (k & 0x80))
			grow = g8();
	}
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = len; op_arg[3] = grow;
	op_arg[4] = align; op_arg[5] = vi;
	end = off + len;
	grows = write && (uint64_t)off + len > s->m.len;
	/* Every error whose condition holds; success only if none does. */
	if (nullv || len == 0 || !align_valid(align))
		mask |= A(EINVAL);
	if (!visit_ok(s, write))
		mask |= A(EBUSY);
	if ((uint64_t)off + len > s->m.len &&
	    (!write || (uint64_t)off + len - s->m.len > grow))
		mask |= A(ERANGE);
	else if (len > BOUNCE)
		mask |= A(E2BIG); /* spans segments: too big to bounce */
	if (mask == 0 && grows) {
		uint64_t more = (uint64_t)off + len - s->m.len;

		nd = hb_model_need_append(&s->b, more);
		mask = grow_mask(s, more, &nd);
		if (pool_short(s->pool, &nd))
			mask |= A(ENOMEM);
	} else if (mask == 0) {
		mask = A(OK);
	}
	if ((mask & A(OK)) && bounced_live() > 0)
		mask |= A(ENOMEM);
	/*
	 * Too big to map, and the pool short for the growth: either error
	 * (their order is not documented; an empty buffer's first segment is
	 * tried first).
	 */
	if (grows && mask == A(E2BIG)) {
		nd = hb_model_need_append(&s->b,
					  (uint64_t)off + len - s->m.len);
		if (pool_short(s->pool, &nd))
			mask |= A(ENOMEM);
	}
	allocating = growth_pools(s->pool);
	ALLOW_CHANGE(bi);
	avail = rte_mempool_avail_count(pools[s->pool]);
	g = probe(&nd);
	if (write)
		rc = align == 1 && !(k & 8) ?
			hb_visit_write(&s->b, off, len, grow, nullv ? NULL : v) :
			hb_visit_write_aligned(&s->b, off, len, grow, align,
					       nullv ? NULL : v);
	else
		rc = align == 1 && !(k & 8) ?
			hb_visit_read(&s->b, off, len, nullv ? NULL : v) :
			hb_visit_read_aligned(&s->b, off, len, align,
					      nullv ? NULL : v);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, bounced_live() > 0);
	if (rc != 0) {
		may_change = 0;
		FZ_ASSERT(all_avail() == g.avail, "failed visit kept mbufs");
		if (!nullv) {
			FZ_ASSERT(!hb_visitor_is_live(v), "failed visitor live");
			vm[vi].st = V_NEVER;
		}
		return;
	}
	if (grows) {
		check_took(&g, &nd);
		model_grow(s, end);
	} else {
		FZ_ASSERT(all_avail() == g.avail,
			  "visit without growth allocated");
	}
	if (write)
		s->writer = true;
	else
		s->readers++;
	vis_granted(vi, bi, write, off, len, align);
}

/* Write bytes through a live write visitor. */
static void
op_scribble(void)
{
	int vi = g8() % NVM;
	struct vmodel *x = &vm[vi];
	uint32_t a, n;
	uint8_t b = g8();

	if (x->st != V_LIVE || !x->write)
		return;
	a = g16() % x->len;
	n = 1 + g16() % (x->len - a);
	op_arg[0] = vi; op_arg[1] = a; op_arg[2] = n;
	memset((uint8_t *)x->v->ptr + a, b, n);
	memset(x->shadow + a, b, n);
	if (x->direct)
		memset(bs[x->buf].m.ref + x->off + a, b, n);
}

static void
op_release(void)
{
	uint8_t k = g8();
	int vi = k % NVM;
	struct vmodel *x = &vm[vi];
	int rc;

	op_arg[0] = vi; op_arg[1] = x->st;
	if ((k & 0xf0) == 0xf0) {
		EXPECT(hb_visit_release(NULL), A(EINVAL));
		return;
	}
	rc = hb_visit_release(x->v);
	switch (x->st) {
	case V_NEVER:
		EXPECT(rc, A(EINVAL));
		return;
	case V_RELEASED:
		EXPECT(rc, A(EALREADY));
		return;
	default:
		break;
	}
	EXPECT(rc, A(OK));
	x->st = V_RELEASED;
	if (x->write && !x->direct)
		hb_model_write(&bs[x->buf].m, x->off, x->shadow, x->len);
	m_drop(x->buf, x->write);
}

/* ---------------------------------------------------------------------
 * Shared buffers and async visits
 */

static void
op_share(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	int rc = hb_buf_share(&s->b);

	op_arg[0] = bi;
	if (s->shared) {
		EXPECT(rc, A(EALREADY));
		return;
	}
	if (any_visitor(s)) {
		EXPECT(rc, A(EBUSY));
		return;
	}
	EXPECT(rc, A(OK));
	s->shared = true;
	s->closing = false;
	s->nq = 0;
}

static void
op_unshare(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	int rc = hb_buf_unshare(&s->b);

	op_arg[0] = bi;
	if (!s->shared) {
		EXPECT(rc, A(EINVAL));
		return;
	}
	if (teardown_busy(s)) {
		EXPECT(rc, A(EBUSY));
		return;
	}
	EXPECT(rc, A(OK));
	s->shared = false;
	s->closing = false;
}

/* Close: a state change that succeeds on any shared buffer. */
static void
op_close(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	int rc = hb_buf_close(&s->b);

	op_arg[0] = bi;
	if (!s->shared) {
		EXPECT(rc, A(EINVAL));
		return;
	}
	EXPECT(rc, A(OK));
	m_close(bi);
}

static void
fz_cb(struct hb_req *req, int status, void *arg)
{
	struct cb_rec *c;
	int r = (int)(uintptr_t)arg;

	FZ_ASSERT(r >= 0 && r < NREQ && req == &rm[r].req, "callback argument");
	FZ_ASSERT(ncb < (int)RTE_DIM(cblog), "too many callbacks");
	c = &cblog[ncb++];
	c->r = r;
	c->status = status;
	c->live = hb_visitor_is_live(hb_req_visitor(req));
	c->direct = c->live && hb_visitor_is_direct(hb_req_visitor(req));
	c->rel_rc = 1;
	if (c->live)
		memcpy(rm[r].cbcopy, req->v.ptr, req->v.len);
	if (status == 0 && rm[r].rel_in_cb)
		c->rel_rc = hb_visit_release(hb_req_visitor(req));
}

static int
pick_req(void)
{
	int i = g8() % NREQ, j;

	for (j = 0; j < NREQ; j++, i = (i + 1) % NREQ)
		if (rm[i].st == R_IDLE && vm[NVIS + i].st != V_LIVE)
			return i;
	return -1;
}

static void
op_async(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint8_t k = g8();
	int r = pick_req();
	int acc = (k & 0x0c) == 0x0c ? 2 + (k >> 6) :
		  (k & 1) ? HB_ACCESS_WRITE : HB_ACCESS_READ;
	bool write = acc == HB_ACCESS_WRITE;
	bool nullreq = (k & 0x70) == 0x70, nullcb = (k & 0x70) == 0x60;
	uint32_t off, len, grow = 0;
	struct rmodel *q;
	struct vmodel *x;
	unsigned int mask = 0, avail;
	struct hb_need nd = { 0, 0 };
	struct probe g;
	bool grows;
	int rc;

	if (r < 0)
		return;
	q = &rm[r];
	x = &vm[NVIS + r];
	if (k & 2) {
		off = s->m.len - RTE_MIN(s->m.len, (uint32_t)(g8() & 31));
		len = 1 + (g8() & 127);
		grow = g8();
	} else {
		pick_range(s->m.len, &off, &len);
		if (len > 0)
			len = RTE_MIN(len, 1 + (uint32_t)g16() % 4096);
		if (g8() & 1)
			grow = g8() & 15;
	}
	q->rel_in_cb = (k & 0x80) != 0;
	op_arg[0] = bi; op_arg[1] = acc; op_arg[2] = off; op_arg[3] = len;
	op_arg[4] = grow; op_arg[5] = r;
	grows = write && (uint64_t)off + len > s->m.len;
	if (nullreq || nullcb || (acc != HB_ACCESS_READ && acc != HB_ACCESS_WRITE) ||
	    len == 0 || (!write && grow != 0))
		mask = A(EINVAL);
	if ((uint64_t)off + len > (uint64_t)s->m.len + (write ? grow : 0))
		mask |= A(ERANGE);
	if (mask != 0)
		;
	else if (!visit_ok(s, write))
		mask = !s->shared ? A(EBUSY) :
		       s->closing ? A(ECANCELED) : A(EINPROGRESS);
	else {
		mask = A(OK);
		if (grows) {
			nd = hb_model_need_append(&s->b,
						  (uint64_t)off + len - s->m.len);
			if (pool_short(s->pool, &nd))
				mask |= A(ENOMEM);
		}
		if (bounced_live() > 0)
			mask |= A(ENOMEM);
	}
	allocating = growth_pools(s->pool);
	ALLOW_CHANGE(bi);
	avail = rte_mempool_avail_count(pools[s->pool]);
	g = probe(&nd);
	rc = hb_visit_async(nullreq ? NULL : &q->req, &s->b, (enum hb_access)acc,
			    off, len, grow, nullcb ? NULL : fz_cb,
			    (void *)(uintptr_t)r);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, bounced_live() > 0);
	if (rc != 0) {
		may_change = 0;
		FZ_ASSERT(all_avail() == g.avail,
			  "failed async visit kept mbufs");
		if (!nullreq && rc != -EINVAL)
			x->st = V_NEVER;
		if (rc != -EINPROGRESS)
			return;
		q->st = R_QUEUED;
		q->buf = bi;
		q->write = write;
		q->off = off;
		q->len = len;
		q->grow = grow;
		s->q[s->nq++] = r;
		m_grant(bi);
		return;
	}
	if (grows) {
		check_took(&g, &nd);
		model_grow(s, off + len);
	}
	if (write)
		s->writer = true;
	else
		s->readers++;
	vis_granted(NVIS + r, bi, write, off, len, 1);
}

static void
op_cancel(void)
{
	uint8_t k = g8();
	int r = k % NREQ, i;
	struct rmodel *q = &rm[r];
	struct bslot *s;
	int rc;

	op_arg[0] = r; op_arg[1] = q->st;
	if ((k & 0xf0) == 0xf0) {
		EXPECT(hb_req_cancel(NULL), A(EINVAL));
		FZ_ASSERT(hb_req_visitor(NULL) == NULL, "visitor of NULL");
		return;
	}
	rc = hb_req_cancel(&q->req);
	if (q->st == R_IDLE) {
		EXPECT(rc, A(EINVAL));
		return;
	}
	if (q->st == R_PENDING) {
		EXPECT(rc, A(EALREADY));
		return;
	}
	EXPECT(rc, A(OK));
	s = &bs[q->buf];
	for (i = 0; i < s->nq && s->q[i] != r; i++)
		;
	FZ_ASSERT(i < s->nq, "queued request not in the model queue");
	memmove(s->q + i, s->q + i + 1, (size_t)(s->nq - i - 1) * sizeof(s->q[0]));
	s->nq--;
	q->st = R_IDLE;
	m_grant(q->buf);
}

/* hb_poll(): the callbacks must be the model's completions, in order. */
static void
do_poll(unsigned int max)
{
	unsigned int n, start = (unsigned int)npend, done = 0;
	unsigned int avail[NALL];
	int i, p;

	for (p = 0; p < NALL; p++) {
		avail[p] = rte_mempool_avail_count(pools[p]);
		allocating |= 1u << p;
	}
	for (i = 0; i < NBUF; i++)
		ALLOW_CHANGE(i);
	ncb = 0;
	n = hb_poll(max);
	FZ_ASSERT(n == (unsigned int)ncb, "hb_poll: %u, %d callbacks", n, ncb);
	for (i = 0; i < ncb; i++) {
		struct cb_rec *c = &cblog[i];
		struct rmodel *q = &rm[c->r];
		struct vmodel *x = &vm[NVIS + c->r];
		struct bslot *s = &bs[q->buf];
		unsigned int mask;

		FZ_ASSERT(npend > 0, "callback %d (req %d) not expected", i, c->r);
		FZ_ASSERT(pend[0] == c->r, "callback for req %d, expected req %d",
			  c->r, pend[0]);
		memmove(pend, pend + 1, (size_t)(npend - 1) * sizeof(pend[0]));
		npend--;
		done++;
		q->st = R_IDLE;
		if (q->pend_cancel) {
			EXPECT(c->status, A(ECANCELED));
			FZ_ASSERT(!c->live, "cancelled request with a visitor");
			continue;
		}
		mask = A(OK);
		if (bounced_live() > 0)
			mask |= A(ENOMEM);
		if (q->write && (uint64_t)q->off + q->len > s->m.len) {
			uint64_t more = (uint64_t)q->off + q->len - s->m.len;
			struct hb_need nd = hb_model_need_append(&s->b, more);

			if (avail[s->pool] < nd.hi + 2 * NREQ || fault_armed(s->pool) ||
			    fault_fired(s->pool))
				mask |= A(ENOMEM);
		}
		EXPECT(c->status, mask);
		if (c->status != 0) {
			FZ_ASSERT(!c->live, "failed grant with a live visitor");
			x->st = V_NEVER;
			m_drop(q->buf, q->write);
			continue;
		}
		if (q->write)
			model_grow(s, q->off + q->len);
		FZ_ASSERT(c->live, "granted request without a visitor");
		FZ_ASSERT(memcmp(q->cbcopy, s->m.ref + q->off, q->len) == 0,
			  "granted view differs");
		/* The geometry as of now (later grants only grew the end). */
		x->st = V_LIVE;
		x->buf = q->buf;
		x->write = q->write;
		x->off = q->off;
		x->len = q->len;
		x->direct = c->direct;
		memcpy(x->shadow, s->m.ref + q->off, q->len);
		if (q->rel_in_cb) {
			EXPECT(c->rel_rc, A(OK));
			x->st = V_RELEASED;
			m_drop(q->buf, q->write);
		} else {
			FZ_ASSERT(x->direct == (one_seg(&s->b, x->off, x->len) != NULL),
				  "granted view direct %d", x->direct);
		}
	}
	if (max == 0)
		FZ_ASSERT(done >= start, "hb_poll(0) left %u of %u completions",
			  start - done, start);
	else
		FZ_ASSERT(done >= RTE_MIN(max, start) && done <= max,
			  "hb_poll(%u) ran %u of %u", max, done, start);
	for (p = 0; p < NPOOL; p++)
		if (fault_fired(p)) {
			bool seen = false;

			for (i = 0; i < ncb; i++)
				seen |= cblog[i].status == -ENOMEM;
			FZ_ASSERT(seen, "a failed dequeue in hb_poll was not -ENOMEM");
		}
}

static void
op_poll(void)
{
	uint8_t k = g8();

	op_arg[0] = k & 3;
	do_poll(k & 3);
}

/* ---------------------------------------------------------------------
 * Faults and invalid calls
 */

static void
op_fault(void)
{
	int p = g8() % NALL;
	uint8_t k = g8();

	op_arg[0] = p; op_arg[1] = k;
	if ((k & 0xc0) == 0xc0)
		hb_fault_disarm(pools[p]);
	else if (k & 0x80)
		EXPECT(hb_fault_fail_obj(pools[p], k & 31), A(OK));
	else
		EXPECT(hb_fault_fail_call(pools[p], k & 7), A(OK));
}

/*
 * Can [@off, +@len) (inside @b, in more than one segment) be made
 * contiguous in place: is the segment holding @off exclusive, with room
 * after its data for the rest of the range?
 */
static bool
pullup_in_place(const struct hb_buf *b, uint32_t off, uint32_t len)
{
	const struct rte_mbuf *m;
	uint32_t s = 0;

	for (m = b->head; m != NULL && off - s >= m->data_len; m = m->next)
		s += m->data_len;
	return m != NULL && hb_model_seg_excl(m) &&
	       rte_pktmbuf_tailroom(m) >= (uint64_t)off - s + len - m->data_len;
}

/* Make a range contiguous (bytes unchanged, segments may change). */
static void
op_pullup(void)
{
	int bi = pick_buf();
	struct bslot *s = &bs[bi];
	uint32_t off, len, cap = pool_cap[s->pool];
	unsigned int avail = rte_mempool_avail_count(pools[s->pool]);
	struct hb_need nd = { 0, 1 };
	unsigned int mask = 0;
	bool one, in_place;
	int rc;

	pick_range(s->m.len, &off, &len);
	if ((g8() & 3) != 0 && len > 0)
		len = RTE_MIN(len, 1 + (uint32_t)g8() % (cap + 2));
	op_arg[0] = bi; op_arg[1] = off; op_arg[2] = len;
	one = len == 0 || (hb_range_ok(s->m.len, off, len) &&
			   one_seg(&s->b, off, len) != NULL);
	/*
	 * Without a new segment (the first two steps of hb_buf_pullup()),
	 * whatever its length: a class segment holds more than the pool's.
	 */
	in_place = one || (hb_range_ok(s->m.len, off, len) &&
			   pullup_in_place(&s->b, off, len));
	if (!mut_ok(s))
		mask |= A(EBUSY);
	if (!hb_range_ok(s->m.len, off, len))
		mask |= A(ERANGE);
	else if (len > cap && !in_place)
		mask |= A(E2BIG);
	if (mask == 0)
		mask = A(OK) |
		       (!in_place && pool_short(s->pool, &nd) ? A(ENOMEM) : 0);
	allocating = 1u << s->pool;
	if (!one)
		ALLOW_CHANGE(bi);
	rc = hb_buf_pullup(&s->b, off, len);
	EXPECT(rc, mask);
	check_enomem(rc, s->pool, avail, &nd, false);
	if (rc != 0) {
		may_change = 0;
		return;
	}
	FZ_ASSERT(rte_mempool_avail_count(pools[s->pool]) + 1 >= avail,
		  "pullup took more than one mbuf");
	if (len > 0)
		FZ_ASSERT(one_seg(&s->b, off, len) != NULL,
			  "pulled-up range not in one segment");
	if (!one)
		cursors_stale(bi, C_STALE);
}

/* Take (or give back) bounce memory, so that bounced visits fail. */
static void
op_hog(void)
{
	struct hb_lcore *lc = hb_lcore_self();
	uint8_t k = g8();

	if (hog_len > 0) {
		hb_bounce_free(lc, hog_off, hog_len);
		hog_len = 0;
		return;
	}
	hog_len = k == 0xff ? BOUNCE : 64u * (1 + k) + (g8() & 63);
	op_arg[0] = hog_len;
	if (hb_bounce_alloc(lc, hog_len, &hog_off) != 0)
		hog_len = 0;
}

static void
op_invalid(void)
{
	static uint8_t scratch[64];
	struct hb_buf save = ub, tmp;
	struct hb_cursor c;
	struct hb_visitor v;
	struct hb_req req;
	struct iovec iov[2];
	struct hb_stats st;
	uint8_t k = g8(), x[8] = { 0 };
	int bi = pick_buf();
	struct bslot *s = &bs[bi];

	op_arg[0] = k % 12; op_arg[1] = bi;
	rte_errno = 0;
	switch (k % 12) {
	case 0: /* an uninitialised buffer */
		EXPECT(hb_buf_append(&ub, x, 1), A(EINVAL));
		EXPECT(hb_buf_prepend(&ub, x, 1), A(EINVAL));
		EXPECT(hb_buf_read(&ub, 0, x, 0), A(EINVAL));
		EXPECT(hb_buf_write(&ub, 0, x, 0), A(EINVAL));
		EXPECT(hb_buf_trim(&ub, 0), A(EINVAL));
		EXPECT(hb_buf_adj(&ub, 0), A(EINVAL));
		EXPECT(hb_buf_reserve(&ub, 1), A(EINVAL));
		EXPECT(hb_buf_free(&ub), A(EINVAL));
		EXPECT(hb_buf_iov(&ub, 0, 0, NULL, 0), A(EINVAL));
		EXPECT(hb_buf_check(&ub, NULL), A(EINVAL));
		EXPECT(hb_buf_share(&ub), A(EINVAL));
		EXPECT(hb_buf_unshare(&ub), A(EINVAL));
		EXPECT(hb_buf_concat(&ub, &ub), A(EINVAL));
		EXPECT(hb_buf_close(&ub), A(EINVAL));
		FZ_ASSERT(!hb_buf_is_closing(&ub), "uninitialised closing");
		FZ_ASSERT(hb_buf_peek(&ub, 0, 0, scratch) == NULL &&
			  rte_errno == EINVAL, "peek on uninitialised");
		FZ_ASSERT(hb_buf_detach(&ub) == NULL, "detach on uninitialised");
		break;
	case 1: /* NULL buffers */
		EXPECT(hb_buf_append(NULL, x, 1), A(EINVAL));
		EXPECT(hb_buf_prepend(NULL, x, 1), A(EINVAL));
		EXPECT(hb_buf_read(NULL, 0, x, 1), A(EINVAL));
		EXPECT(hb_buf_write(NULL, 0, x, 1), A(EINVAL));
		EXPECT(hb_buf_trim(NULL, 0), A(EINVAL));
		EXPECT(hb_buf_adj(NULL, 0), A(EINVAL));
		EXPECT(hb_buf_reserve(NULL, 1), A(EINVAL));
		EXPECT(hb_buf_free(NULL), A(EINVAL));
		EXPECT(hb_buf_iov(NULL, 0, 0, iov, 2), A(EINVAL));
		EXPECT(hb_buf_check(NULL, NULL), A(EINVAL));
		EXPECT(hb_buf_split(NULL, 0, &tmp), A(EINVAL));
		EXPECT(hb_buf_concat(NULL, NULL), A(EINVAL));
		EXPECT(hb_buf_share(NULL), A(EINVAL));
		EXPECT(hb_buf_unshare(NULL), A(EINVAL));
		EXPECT(hb_buf_close(NULL), A(EINVAL));
		FZ_ASSERT(!hb_buf_is_closing(NULL), "NULL closing");
		EXPECT(hb_buf_init(NULL, pools[0]), A(EINVAL));
		EXPECT(hb_buf_attach(NULL, NULL), A(EINVAL));
		FZ_ASSERT(hb_buf_detach(NULL) == NULL && rte_errno == EINVAL,
			  "detach NULL");
		FZ_ASSERT(hb_buf_peek(NULL, 0, 1, scratch) == NULL &&
			  rte_errno == EINVAL, "peek NULL");
		EXPECT(hb_stats_get(NULL), A(EINVAL));
		EXPECT(hb_lcore_stats_get(RTE_MAX_LCORE, &st), A(EINVAL));
		EXPECT(hb_lcore_stats_get(0, NULL), A(EINVAL));
		break;
	case 2: /* visits of an uninitialised buffer */
		memset(&v, 0x5a, sizeof(v));
		EXPECT(hb_visit_read(&ub, 0, 1, &v), A(EINVAL));
		FZ_ASSERT(!hb_visitor_is_live(&v), "failed visitor live");
		EXPECT(hb_visit_write(&ub, 0, 1, 1, &v), A(EINVAL));
		EXPECT(hb_visit_release(&v), A(EINVAL));
		EXPECT(hb_visit_async(&req, &ub, HB_ACCESS_READ, 0, 1, 0, fz_cb, NULL),
		       A(EINVAL));
		EXPECT(hb_cursor_init(&c, &ub, 0), A(EINVAL));
		break;
	case 3: /* failed init leaves the buffer alone */
		ALLOW_CHANGE(bi);
		EXPECT(hb_buf_init(&s->b, NULL), A(EINVAL));
		EXPECT(hb_buf_init(&s->b, clone_pool), A(EINVAL));
		EXPECT(hb_buf_init(&s->b, plain_pool), A(EINVAL));
		may_change = 0;
		break;
	case 4: /* attach NULL or an inconsistent chain */
	case 5: {
		struct rte_mbuf *m[2];
		uint8_t rd[16];
		uint16_t nb;

		EXPECT(hb_buf_attach(&s->b, NULL), A(EINVAL));
		allocating |= 1u << 2;
		if (rte_pktmbuf_alloc_bulk(pools[2], m, 2) != 0)
			break;
		m[0]->data_len = 3;
		m[1]->data_len = 5;
		m[0]->next = m[1];
		m[0]->nb_segs = nb = (k % 12) == 4 ? 3 : 2;
		m[0]->pkt_len = (k % 12) == 4 ? 8 : 9;
		/*
		 * Adopted as is (attach reads nothing); the first call that
		 * needs the chain refuses it and changes nothing; detach
		 * hands it back as adopted, free frees it.
		 */
		EXPECT(hb_buf_attach(&tmp, m[0]), A(OK));
		EXPECT(hb_buf_read(&tmp, 0, rd, 8), A(EINVAL));
		EXPECT(hb_buf_append(&tmp, rd, 1), A(EINVAL));
		EXPECT(hb_buf_reserve(&tmp, 4096), A(EINVAL));
		/* Joined either way: refused, s unchanged. */
		EXPECT(hb_buf_concat(&tmp, &s->b),
		       A(EINVAL) | A(EPERM) | A(EBUSY));
		EXPECT(hb_buf_concat(&s->b, &tmp),
		       A(EINVAL) | A(EPERM) | A(EBUSY));
		FZ_ASSERT(m[0]->next == m[1] && m[0]->nb_segs == nb &&
			  m[1]->next == NULL && m[0]->data_len == 3 &&
			  m[1]->data_len == 5, "refused chain changed");
		if ((k % 12) == 5) {
			EXPECT(hb_buf_free(&tmp), A(OK));
			break;
		}
		FZ_ASSERT(hb_buf_detach(&tmp) == m[0] && m[0]->next == m[1] &&
			  m[0]->nb_segs == nb, "detach of a refused chain");
		m[0]->nb_segs = 2;
		rte_pktmbuf_free(m[0]);
		break;
	}
	case 6: /* split into NULL or itself */
		EXPECT(hb_buf_split(&s->b, 0, NULL), A(EINVAL) | A(EBUSY));
		EXPECT(hb_buf_split(&s->b, 0, &s->b), A(EINVAL) | A(EBUSY));
		break;
	case 7: /* visit with NULL visitor, zero length, bad alignment */
		EXPECT(hb_visit_read(&s->b, 0, 1, NULL), A(EINVAL));
		EXPECT(hb_visit_write(&s->b, 0, 1, 1, NULL), A(EINVAL));
		memset(&v, 0, sizeof(v));
		EXPECT(hb_visit_read(&s->b, 0, 0, &v), A(EINVAL));
		EXPECT(hb_visit_write(&s->b, 0, 0, 1, &v), A(EINVAL));
		EXPECT(hb_visit_read_aligned(&s->b, 0, 1, 128, &v), A(EINVAL));
		EXPECT(hb_visit_write_aligned(&s->b, 0, 1, 1, 6, &v), A(EINVAL));
		EXPECT(hb_visit_release(&v), A(EINVAL)); /* never granted */
		break;
	case 8: /* requests that were never queued */
		memset(&req, 0, sizeof(req));
		EXPECT(hb_req_cancel(&req), A(EINVAL));
		req.slot = UINT32_MAX;
		EXPECT(hb_req_cancel(&req), A(EINVAL));
		/* Refused at once, over stale fields: still not queued. */
		req.slot = 5;
		req.lcore = (uint16_t)(rte_lcore_id() + 1);
		EXPECT(hb_visit_async(&req, &s->b, HB_ACCESS_READ, s->m.len, 1, 0,
				      fz_cb, NULL), A(ERANGE));
		EXPECT(hb_req_cancel(&req), A(EINVAL));
		break;
	case 9: /* hb_poll with nothing to do */
		if (npend == 0)
			FZ_ASSERT(hb_poll(0) == 0, "hb_poll ran callbacks");
		break;
	case 10: /* stats: every queued request ends one way */
		EXPECT(hb_stats_get(&st), A(OK));
		EXPECT(hb_lcore_stats_get(rte_lcore_id(), &st), A(OK));
		break;
	default: /* peek/iov/read with NULL destinations */
		EXPECT(hb_buf_read(&s->b, 0, NULL, 0), A(EINVAL));
		EXPECT(hb_buf_write(&s->b, 0, NULL, 0), A(EINVAL));
		EXPECT(hb_buf_append(&s->b, NULL, 0), A(EINVAL));
		EXPECT(hb_buf_prepend(&s->b, NULL, 0), A(EINVAL));
		EXPECT(hb_buf_iov(&s->b, 0, 0, NULL, 1), A(EINVAL) | A(EBUSY));
		EXPECT(hb_buf_iov(&s->b, 0, 0, iov, -1), A(EINVAL) | A(EBUSY));
		break;
	}
	FZ_ASSERT(memcmp(&save, &ub, sizeof(ub)) == 0,
		  "a failed call changed an uninitialised buffer");
}

/* ---------------------------------------------------------------------
 * Driver
 */

enum {
	OP_APPEND, OP_APPEND_INT, OP_PREPEND, OP_READ, OP_WRITE, OP_TRIM,
	OP_ADJ, OP_SPLIT, OP_PEEK, OP_IOV, OP_RESERVE, OP_FREE, OP_DETACH,
	OP_REINIT, OP_CURSOR_INIT, OP_CURSOR, OP_VIS_READ, OP_VIS_WRITE,
	OP_SCRIBBLE, OP_RELEASE, OP_SHARE, OP_UNSHARE, OP_ASYNC, OP_POLL,
	OP_CANCEL, OP_FAULT, OP_INVALID, OP_HOG, OP_PULLUP, OP_CONCAT,
	OP_CLOSE, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"append", "append_int", "prepend", "read", "write", "trim", "adj",
	"split", "peek", "iov", "reserve", "free", "detach", "reinit",
	"cursor_init", "cursor", "vis_read", "vis_write", "scribble",
	"release", "share", "unshare", "async", "poll", "cancel", "fault",
	"invalid", "hog", "pullup", "concat", "close",
};

static void
run_op(int op)
{
	switch (op) {
	case OP_APPEND: op_append(); break;
	case OP_APPEND_INT: op_append_int(); break;
	case OP_PREPEND: op_prepend(); break;
	case OP_READ: op_read(); break;
	case OP_WRITE: op_write(); break;
	case OP_TRIM: op_trim_adj(false); break;
	case OP_ADJ: op_trim_adj(true); break;
	case OP_SPLIT: op_split(); break;
	case OP_PEEK: op_peek(); break;
	case OP_IOV: op_iov(); break;
	case OP_RESERVE: op_reserve(); break;
	case OP_FREE: op_free(); break;
	case OP_DETACH: op_detach(); break;
	case OP_REINIT: op_reinit(); break;
	case OP_CURSOR_INIT: op_cursor_init(); break;
	case OP_CURSOR: op_cursor(); break;
	case OP_VIS_READ: op_vis(false); break;
	case OP_VIS_WRITE: op_vis(true); break;
	case OP_SCRIBBLE: op_scribble(); break;
	case OP_RELEASE: op_release(); break;
	case OP_SHARE: op_share(); break;
	case OP_UNSHARE: op_unshare(); break;
	case OP_ASYNC: op_async(); break;
	case OP_POLL: op_poll(); break;
	case OP_CANCEL: op_cancel(); break;
	case OP_FAULT: op_fault(); break;
	case OP_HOG: op_hog(); break;
	case OP_PULLUP: op_pullup(); break;
	case OP_CONCAT: op_concat(); break;
	case OP_CLOSE: op_close(); break;
	default: op_invalid(); break;
	}
}

static void
step_begin(const char *name)
{
	int i;

	opno++;
	op_name = name;
	memset(op_arg, 0, sizeof(op_arg));
	may_change = 0;
	allocating = 0;
	for (i = 0; i < NBUF; i++) {
		hb_snap_free(&snaps[i]);
		FZ_ASSERT(hb_snap_take(&snaps[i], &bs[i].b, false) == 0,
			  "buf %d: no memory for a snapshot", i);
	}
	for (i = 0; i < NALL; i++) {
		struct hb_fault_stats st;

		hb_fault_stats(pools[i], &st);
		fault_failed[i] = st.failed;
	}
}

static void
step_end(void)
{
	if (trace)
		fprintf(stderr, "op #%lu %s(%lld, %lld, %lld, %lld, %lld, %lld)\n",
			opno, op_name, op_arg[0], op_arg[1], op_arg[2],
			op_arg[3], op_arg[4], op_arg[5]);
	check_all();
}

/* Release, drain and free everything; then every count is at baseline. */
static void
teardown(void)
{
	struct rte_malloc_socket_stats hs;
	struct hb_stats st;
	int i, round, p;

	for (p = 0; p < NALL; p++)
		hb_fault_disarm(pools[p]);
	if (hog_len > 0) {
		hb_bounce_free(hb_lcore_self(), hog_off, hog_len);
		hog_len = 0;
	}
	for (round = 0; round < 4 * NREQ + 4; round++) {
		bool busy = false;

		for (i = 0; i < NVM; i++) {
			if (vm[i].st != V_LIVE)
				continue;
			step_begin("teardown_release");
			ALLOW_CHANGE(vm[i].buf);
			EXPECT(hb_visit_release(vm[i].v), A(OK));
			vm[i].st = V_RELEASED;
			if (vm[i].write && !vm[i].direct)
				hb_model_write(&bs[vm[i].buf].m, vm[i].off,
					       vm[i].shadow, vm[i].len);
			m_drop(vm[i].buf, vm[i].write);
			step_end();
		}
		for (i = 0; i < NBUF; i++) {
			if (!bs[i].shared)
				continue;
			step_begin("teardown_close");
			EXPECT(hb_buf_close(&bs[i].b), A(OK));
			m_close(i);
			step_end();
			step_begin("teardown_unshare");
			if (teardown_busy(&bs[i])) {
				EXPECT(hb_buf_unshare(&bs[i].b), A(EBUSY));
				busy = true;
			} else {
				EXPECT(hb_buf_unshare(&bs[i].b), A(OK));
				bs[i].shared = false;
				bs[i].closing = false;
			}
			step_end();
		}
		if (npend > 0) {
			step_begin("teardown_poll");
			do_poll(0);
			step_end();
			busy = true;
		}
		if (!busy)
			break;
	}
	FZ_ASSERT(npend == 0, "completions left after teardown");
	for (i = 0; i < NBUF; i++) {
		FZ_ASSERT(!bs[i].shared && bs[i].nq == 0 && !any_visitor(&bs[i]),
			  "buf %d not idle after teardown", i);
		EXPECT(hb_buf_free(&bs[i].b), A(OK));
		bs[i].m.len = 0;
	}
	for (i = 0; i < NREQ; i++)
		FZ_ASSERT(rm[i].st == R_IDLE, "request %d still out", i);
	FZ_ASSERT(hb_poll(0) == 0, "hb_poll after teardown");
	for (p = 0; p < NALL; p++)
		FZ_ASSERT(rte_mempool_in_use_count(pools[p]) == 0,
			  "pool %d: %u mbufs leaked", p,
			  rte_mempool_in_use_count(pools[p]));
	FZ_ASSERT(hb_growth_in_use() == 0, "growth classes: %u in use",
		  hb_growth_in_use());
	FZ_ASSERT(hb_lcores[rte_lcore_id()].live == 0, "bounce memory leaked");
	EXPECT(hb_stats_get(&st), A(OK));
	FZ_ASSERT(st.async_queued == st.async_granted + st.async_cancelled +
		  st.async_teardown,
		  "requests: %" PRIu64 " queued, %" PRIu64 " granted, %" PRIu64
		  " cancelled, %" PRIu64 " torn down", st.async_queued,
		  st.async_granted, st.async_cancelled, st.async_teardown);
	rte_malloc_get_socket_stats((int)rte_socket_id(), &hs);
	FZ_ASSERT(hs.alloc_count == heap_base.alloc_count &&
		  hs.heap_allocsz_bytes == heap_base.heap_allocsz_bytes,
		  "DPDK heap: %u allocations (%zu bytes), baseline %u (%zu)",
		  hs.alloc_count, hs.heap_allocsz_bytes, heap_base.alloc_count,
		  heap_base.heap_allocsz_bytes);
	heap_ok++;
}

static void
fz_init_cb(struct hb_req *req, int status, void *arg)
{
	(void)status;
	(void)arg;
	if (status == 0)
		hb_visit_release(hb_req_visitor(req));
}

/* Allocate what HyperBuf keeps for reuse, so the heap has a baseline. */
static void
warm_up(void)
{
	struct hb_visitor v;
	struct hb_req req;
	uint8_t x[256] = { 0 };
	int i;

	for (i = 0; i < NBUF; i++)
		RTE_VERIFY(hb_buf_share(&bs[i].b) == 0);
	for (i = 0; i < NBUF; i++)
		RTE_VERIFY(hb_buf_unshare(&bs[i].b) == 0);
	/* A bounced visit (arena) and a queued request (slots, ring). */
	RTE_VERIFY(hb_buf_append(&bs[0].b, x, sizeof(x)) == 0);
	RTE_VERIFY(hb_buf_nb_segs(&bs[0].b) > 1);
	RTE_VERIFY(hb_buf_share(&bs[0].b) == 0);
	RTE_VERIFY(hb_visit_read(&bs[0].b, 0, sizeof(x), &v) == 0);
	RTE_VERIFY(!hb_visitor_is_direct(&v));
	RTE_VERIFY(hb_visit_async(&req, &bs[0].b, HB_ACCESS_WRITE, 0, 1, 0,
				  fz_init_cb, NULL) == -EINPROGRESS);
	RTE_VERIFY(hb_visit_release(&v) == 0);
	RTE_VERIFY(hb_poll(0) == 1);
	RTE_VERIFY(hb_buf_unshare(&bs[0].b) == 0);
	RTE_VERIFY(hb_buf_free(&bs[0].b) == 0);
	hb_stats_reset();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* The buffers' pools, then the growth classes (hb_model.h's). */
	static const uint16_t rooms[NALL] = { 128, 200, 0,
					      4096, 8192, 16384, 32768, 65535 };
	static const unsigned int sizes[NALL] = { 48, 40, 10, 4, 3, 2, 2, 2 };
	char name[32];
	int i;

	(void)argc;
	(void)argv;
	trace = getenv("FUZZ_OPS_TRACE") != NULL;
	fuzz_eal_init("fuzz_ops", "hbfz");
	/* Growth on, up to 65535-byte segments (the default, said here). */
	RTE_VERIFY(hb_growth_set(&(struct hb_growth){ .max_seg = UINT16_MAX })
		   == 0);
	for (i = 0; i < NALL; i++) {
		snprintf(name, sizeof(name), "fzpool%d", i);
		pools[i] = hb_fault_pool_create(name, sizes[i], rooms[i],
						SOCKET_ID_ANY);
		RTE_VERIFY(pools[i] != NULL);
		pool_cap[i] = rte_pktmbuf_data_room_size(pools[i]);
		if (i >= NPOOL)
			RTE_VERIFY(hb_growth_pool_add(pools[i]) == 0);
	}
	clone_pool = rte_pktmbuf_pool_create("fzclone", 16, 0, 0, 0,
					     SOCKET_ID_ANY);
	plain_pool = rte_mempool_create("fzplain", 16, 64, 0, 0, NULL, NULL,
					NULL, NULL, SOCKET_ID_ANY, 0);
	RTE_VERIFY(clone_pool != NULL && plain_pool != NULL);
	for (i = 0; i < (int)NOISE_LEN; i++)
		noise[i] = (uint8_t)(i * 131u ^ (i >> 8) ^ (i >> 16) * 7u);
	for (i = 0; i < NVIS; i++)
		vm[i].v = &vis[i];
	for (i = 0; i < NREQ; i++)
		vm[NVIS + i].v = &rm[i].req.v;
	for (i = 0; i < NBUF; i++) {
		RTE_VERIFY(hb_model_init(&bs[i].m, MODEL_MAX) == 0);
		RTE_VERIFY(hb_buf_init(&bs[i].b, pools[0]) == 0);
	}
	warm_up();
	rte_malloc_get_socket_stats((int)rte_socket_id(), &heap_base);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t cfg;
	int i;

	fuzz_input_set(data, size);
	opno = 0;
	npend = 0;
	cfg = g8();
	for (i = 0; i < NBUF; i++) {
		bs[i].pool = (cfg >> (2 * i)) % NPOOL;
		RTE_VERIFY(hb_buf_init(&bs[i].b, pools[bs[i].pool]) == 0);
		bs[i].m.len = 0;
		bs[i].shared = bs[i].closing = bs[i].writer = false;
		bs[i].readers = 0;
		bs[i].nq = 0;
	}
	for (i = 0; i < NVM; i++) {
		memset(vm[i].v, 0, sizeof(*vm[i].v));
		vm[i].st = V_NEVER;
	}
	for (i = 0; i < NREQ; i++) {
		memset(&rm[i].req, 0, sizeof(rm[i].req));
		rm[i].st = R_IDLE;
	}
	for (i = 0; i < NCUR; i++)
		cm[i].init = false;
	while (fuzz_input_left() != 0) {
		int op = g8() % OP_COUNT;

		step_begin(op_names[op]);
		run_op(op);
		step_end();
	}
	step_begin("teardown");
	teardown();
	return 0;
}
