/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * Randomized differential test. A few buffers (slots) live side by side,
 * each with a flat byte array as its model. Random operations of every kind
 * (append, prepend, read, write, trim, adj, split, concat, peek, iov,
 * reserve, typed get/put, cursor reads, detach/attach round trips, clones)
 * with random sizes run on them; after EVERY operation each buffer is
 * checked in full against its model (length, every byte, hb_buf_check()),
 * and the pool count against what the buffers hold. Several pool
 * configurations are used, one so small that operations fail with -ENOMEM,
 * which must then have changed nothing.
 *
 * The growth policy is off by default; --growth runs the configurations
 * with it on (the default classes, far from dry: every growth takes
 * exactly the segments hb_model.h works out), --growth-scarce with the
 * smallest classes' pools (they run dry: smaller classes and the
 * buffer's pool serve). Mbufs are then counted over the buffer's pool and
 * the classes' pools.
 *
 * The seed is printed at start; HB_TEST_SEED=<seed> replays a run.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "hb_model.h"
#include "hb_test.h"

#define NSLOT 3
#define MODEL_CAP (3u << 20)		/* model bytes per slot */
#define NOISE_LEN ((2u << 20) + 4096)	/* source of appended bytes */
#define IOV_N 65536
#define MIN_OPS 100000

/* ---------------------------------------------------------------------
 * Configurations
 */

struct cfg {
	const char *name;
	uint16_t room;		/* data room; 0: RTE_MBUF_DEFAULT_BUF_SIZE */
	unsigned int n;		/* mbufs in the pool */
	unsigned int ops;	/* random operations */
	uint32_t soft;		/* slot length above which shrinking wins */
	uint32_t big;		/* largest single growth */
	bool scarce;		/* the pool may run dry: -ENOMEM expected */
};

static const struct cfg cfgs[] = {
	{ "room2176", 0, 8192, 26000, 256 << 10, 1 << 20, false },
	{ "room512", 512, 16384, 26000, 128 << 10, 1 << 20, false },
	{ "room128", 128, 32768, 26000, 32 << 10, 1 << 20, false },
	{ "room129", 129, 32768, 12000, 32 << 10, 1 << 20, false },
	{ "scarce", 512, 48, 20000, 24 << 10, 32 << 10, true },
};

/* ---------------------------------------------------------------------
 * Operations and their statistics
 */

enum op {
	OP_APPEND,
	OP_APPEND_INT,
	OP_PREPEND,
	OP_READ,
	OP_WRITE,
	OP_TRIM,
	OP_ADJ,
	OP_SPLIT,
	OP_JOIN,
	OP_PEEK,
	OP_IOV,
	OP_RESERVE,
	OP_GET,
	OP_PUT,
	OP_CURSOR,
	OP_DETACH,
	OP_CLONE,
	OP_FREE,
	OP_CONCAT,
	OP_NUM,
	OP_CSTEP = OP_NUM, /* cursor calls inside OP_CURSOR (not drawn) */
	OP_STATS
};

static const char *const op_name[OP_STATS] = {
	"append", "append_int", "prepend", "read", "write", "trim", "adj",
	"split", "join", "peek", "iov", "reserve", "get_int", "put_int",
	"cursor", "detach_attach", "clone", "free", "concat",
	"(cursor calls)",
};

static const unsigned int op_weight[OP_NUM] = {
	[OP_APPEND] = 14, [OP_APPEND_INT] = 4, [OP_PREPEND] = 8,
	[OP_READ] = 8, [OP_WRITE] = 6, [OP_TRIM] = 7, [OP_ADJ] = 7,
	[OP_SPLIT] = 5, [OP_JOIN] = 2, [OP_PEEK] = 6, [OP_IOV] = 5,
	[OP_RESERVE] = 4, [OP_GET] = 5, [OP_PUT] = 5, [OP_CURSOR] = 5,
	[OP_DETACH] = 3, [OP_CLONE] = 1, [OP_FREE] = 1, [OP_CONCAT] = 4,
};

enum res {
	R_OK,
	R_ENOMEM,
	R_ERANGE,
	R_EINVAL,
	R_ENOBUFS,
	R_ENODATA,
	R_ESTALE,
	R_E2BIG,
	R_OTHER,
	R_NUM
};

static const char *const res_name[R_NUM] = {
	"ok", "ENOMEM", "ERANGE", "EINVAL", "ENOBUFS", "ENODATA", "ESTALE",
	"E2BIG", "other",
};

static uint64_t stats[OP_STATS][R_NUM];
static uint64_t cfg_stats[OP_STATS][R_NUM];
static uint64_t total_ops;
static uint64_t sum_len, sum_segs, max_len;

static enum res
res_of(int rc)
{
	switch (rc) {
	case 0:
		return R_OK;
	case -ENOMEM:
		return R_ENOMEM;
	case -ERANGE:
		return R_ERANGE;
	case -EINVAL:
		return R_EINVAL;
	case -ENOBUFS:
		return R_ENOBUFS;
	case -ENODATA:
		return R_ENODATA;
	case -ESTALE:
		return R_ESTALE;
	case -E2BIG:
		return R_E2BIG;
	default:
		return rc > 0 ? R_OK : R_OTHER;
	}
}

static void
count(enum op op, int rc)
{
	cfg_stats[op][res_of(rc)]++;
}

/* ---------------------------------------------------------------------
 * State
 */

struct slot {
	struct hb_buf b;
	struct hb_model m;	/* what it must hold */
	bool port_known;	/* metadata we set and must find again */
	uint16_t port;
};

/* The growth policy: off, on (classes far from dry), on with small classes */
enum gmode { G_OFF, G_ON, G_SCARCE };

static struct slot slots[NSLOT];
static struct hb_model side_m;	/* a buffer built on the side (concat) */
static const struct cfg *cfg;
static enum gmode gmode;
static struct rte_mempool *mp;
static uint32_t cap;		/* bytes per fresh segment */
static uint64_t seed, rs;
static uint8_t *noise, *tmp, *scr;
static struct iovec *iov, *jiov;
static bool clone_mode;		/* two slots may share bytes: no writes */
static bool clone_joined;	/* ... or one slot the same bytes twice */
static unsigned long opno;

static uint64_t
rnd(void)
{
	return hb_test_rand(&rs);
}

static uint32_t
rnd_below(uint64_t n)
{
	return n == 0 ? 0 : (uint32_t)(rnd() % n);
}

static uint32_t
div_up(uint32_t a, uint32_t b)
{
	return (uint32_t)(((uint64_t)a + b - 1) / b);
}

/*
 * What operation #opno of the run does (hb_test_ctx()): the report of a
 * failed check says it, with the seed to replay the run.
 */
#define WHAT(fmt, ...)                                                         \
	hb_test_ctx("config %s%s seed %#llx op #%lu: " fmt, cfg->name,         \
		    gmode_name[gmode], (unsigned long long)seed, opno,         \
		    ##__VA_ARGS__)

static const char *const gmode_name[] = { "", " (growth)",
					  " (growth, scarce classes)" };

/* mbufs in use: the pool's and the growth classes'. */
static unsigned int
in_use(void)
{
	return hb_test_in_use(mp);
}

/* ---------------------------------------------------------------------
 * Checks after every operation
 */

static void
verify_slot(struct slot *s, bool raw)
{
	uint32_t off = 0;
	int n, i;

	hb_assert_buf_ok(&s->b);
	assert_int_equal(hb_buf_len(&s->b), s->m.len);
	if (hb_buf_nb_segs(&s->b) == 0)
		s->port_known = false;
	if (s->m.len == 0)
		return;
	n = hb_buf_iov(&s->b, 0, s->m.len, iov, IOV_N);
	assert_in_range(n, 1, hb_buf_nb_segs(&s->b));
	for (i = 0; i < n; i++) {
		assert_true(iov[i].iov_len > 0);
		assert_true(off + iov[i].iov_len <= s->m.len);
		/* memcmp(): assert_memory_equal() is slow on megabytes. */
		assert_true(memcmp(iov[i].iov_base, s->m.ref + off,
				   iov[i].iov_len) == 0);
		off += iov[i].iov_len;
	}
	assert_true(off == s->m.len);
	if (!raw)
		return;
	/* Independently of the library's lookups: walk the chain. */
	assert_int_equal(hb_model_chain_diff(&s->m, s->b.head), -1);
}

/*
 * Every mbuf in use (the pool's, the classes') is a segment of a slot, or
 * a direct mbuf kept alive by an indirect segment of a slot.
 */
static void
verify_pool(void)
{
	unsigned int used = in_use();
	unsigned int segs = 0, ind = 0;
	const struct rte_mbuf *m;
	int i;

	for (i = 0; i < NSLOT; i++) {
		for (m = slots[i].b.head; m != NULL; m = m->next) {
			segs++;
			if (RTE_MBUF_CLONED(m))
				ind++;
		}
	}
	assert_in_range(used, segs, segs + ind);
}

static void
verify_all(void)
{
	bool raw = (opno & 15) == 0;
	int i;

	for (i = 0; i < NSLOT; i++) {
		verify_slot(&slots[i], raw);
		sum_len += slots[i].m.len;
		sum_segs += hb_buf_nb_segs(&slots[i].b);
		max_len = RTE_MAX(max_len, (uint64_t)slots[i].m.len);
	}
	verify_pool();
}

/* ---------------------------------------------------------------------
 * Sizes, ranges, allocation expectations
 */

static uint32_t
rand_size(void)
{
	uint32_t r = rnd_below(1000);

	if (r < 550)
		return rnd_below(33);
	if (r < 850)
		return rnd_below(600);
	if (r < 970)
		return rnd_below(4 * cap + 1);
	if (r < 995)
		return rnd_below(16385);
	if (r < 999)
		return rnd_below(65537);
	return rnd_below(cfg->big + 1);
}

/* A length for reads and writes: mostly small. */
static uint32_t
rand_span(uint32_t blen)
{
	uint32_t r = rnd_below(100), n;

	if (r < 75)
		n = rnd_below(65);
	else if (r < 95)
		n = rnd_below(4 * cap + 1);
	else
		n = rnd_below((uint64_t)blen + 1);
	return RTE_MIN(n, blen);
}

/* A range of a buffer of @blen bytes; 1 in 40 is out of range. */
static bool
rand_range(uint32_t blen, uint32_t *off, uint32_t *len)
{
	if (rnd_below(40) == 0) {
		switch (rnd_below(4)) {
		case 0:
			*off = blen + 1 + rnd_below(16);
			*len = rnd_below(8);
			break;
		case 1:
			*off = rnd_below((uint64_t)blen + 1);
			*len = blen - *off + 1 + rnd_below(8);
			break;
		case 2:
			*off = rnd_below((uint64_t)blen + 1);
			*len = UINT32_MAX - rnd_below(4);
			break;
		default:
			*off = UINT32_MAX - rnd_below(4);
			*len = rnd_below(8);
			break;
		}
	} else {
		*len = rand_span(blen);
		*off = rnd_below((uint64_t)blen - *len + 1);
	}
	return hb_range_ok(blen, *off, *len);
}

/* An amount to drop from a buffer of @blen bytes; 1 in 40 too much. */
static uint32_t
rand_drop(uint32_t blen)
{
	uint32_t r = rnd_below(100);

	if (r < 2)
		return blen + 1 + rnd_below(8);
	if (r < 3)
		return UINT32_MAX - rnd_below(4);
	if (blen > cfg->soft && r < 60)
		return blen - rnd_below(cfg->soft / 2);
	if (r < 50)
		return RTE_MIN(rnd_below(33), blen);
	if (r < 80)
		return RTE_MIN(rnd_below(4 * cap + 1), blen);
	if (r < 93)
		return rnd_below((uint64_t)blen / 4 + 1);
	if (r < 98)
		return rnd_below((uint64_t)blen + 1);
	return blen;
}

/*
 * What an allocating call on a buffer needs (hb_model.h), the mbufs in
 * use before (all pools), and the buffer's pool and the mbufs it has free.
 */
struct need {
	struct hb_need n;
	unsigned int used;
	struct rte_mempool *pool;
	unsigned int avail;
};

static struct need
need_of(const struct hb_buf *b, struct hb_need n)
{
	struct rte_mempool *p = hb_buf_pool(b);

	return (struct need){ n, in_use(), p, rte_mempool_avail_count(p) };
}

/* The outcome of an allocating call matches what it needed. */
static void
check_need(int rc, const struct need *nd)
{
	unsigned int used = in_use();

	if (rc == 0) {
		/* Classes far from dry: exactly the policy's segments. */
		if (gmode != G_SCARCE)
			assert_int_equal(used - nd->used, nd->n.lo);
		else
			assert_in_range(used - nd->used, nd->n.lo, nd->n.hi);
		return;
	}
	assert_int_equal(rc, -ENOMEM);
	/*
	 * Only a pool meant to run dry, with too few mbufs free: the
	 * config's, or a small class's that became a buffer's own (attached
	 * after its head segment went, a class segment is its head).
	 */
	assert_true(cfg->scarce || (gmode == G_SCARCE && nd->pool != mp));
	assert_true(nd->avail < nd->n.hi);
	/* Every mbuf the failed call took is back. */
	assert_int_equal(used, nd->used);
}

/*
 * How much to grow slot @s by: random, within the model and, unless the
 * pool is meant to run dry, within what the pool has.
 */
static uint32_t
grow_size(const struct slot *s)
{
	uint32_t n = rand_size();

	if (s->m.len < cfg->soft / 3 && rnd_below(2))
		n = rnd_below(cfg->soft / 4 + 1);
	if (s->m.len > cfg->soft && n > 64)
		n = rnd_below(65);
	if (n > MODEL_CAP - s->m.len)
		n = MODEL_CAP - s->m.len;
	if (!cfg->scarce)
		while (n > 0 && div_up(n, cap) + 2 + 64 >
				rte_mempool_avail_count(mp))
			n /= 2;
	return n;
}

static const uint8_t *
noise_at(uint32_t n)
{
	return noise + rnd_below(NOISE_LEN - RTE_MIN(n, NOISE_LEN) + 1);
}

/* ---------------------------------------------------------------------
 * Typed integers
 */

/* ---------------------------------------------------------------------
 * Model updates
 */

static void
slot_free(struct slot *s)
{
	assert_int_equal(hb_buf_free(&s->b), 0);
	s->m.len = 0;
	s->port_known = false;
}

static struct slot *
other_slot(const struct slot *s)
{
	struct slot *o;

	do {
		o = &slots[rnd_below(NSLOT)];
	} while (o == s);
	return o;
}

/* ---------------------------------------------------------------------
 * Operations
 */

static void
op_append(struct slot *s)
{
	uint32_t n = grow_size(s);
	const uint8_t *src = noise_at(n);
	struct need nd = need_of(&s->b, hb_model_need_append(&s->b, n));
	int rc;

	WHAT("append %u to len %u", n, s->m.len);
	rc = hb_buf_append(&s->b, src, n);
	check_need(rc, &nd);
	if (rc == 0)
		assert_true(hb_model_append(&s->m, src, n));
	count(OP_APPEND, rc);
}

static void
op_append_int(struct slot *s)
{
	int t = rnd_below(HB_INT_NUM);
	uint64_t v = rnd();
	struct need nd = need_of(&s->b, hb_model_need_append(&s->b, hb_ints[t].size));
	uint8_t enc[8];
	int rc;

	WHAT("append_%s to len %u", hb_ints[t].name, s->m.len);
	if (s->m.len + 8 > MODEL_CAP)
		return;
	rc = hb_int_append(&s->b, t, v);
	check_need(rc, &nd);
	if (rc == 0) {
		hb_int_encode(enc, v, t);
		assert_true(hb_model_append(&s->m, enc, hb_ints[t].size));
	}
	count(OP_APPEND_INT, rc);
}

static void
op_prepend(struct slot *s)
{
	uint32_t n = grow_size(s);
	const uint8_t *src = noise_at(n);
	struct need nd = need_of(&s->b, hb_model_need_prepend(&s->b, n));
	int rc;

	WHAT("prepend %u to len %u", n, s->m.len);
	rc = hb_buf_prepend(&s->b, src, n);
	check_need(rc, &nd);
	if (rc == 0)
		assert_true(hb_model_prepend(&s->m, src, n));
	count(OP_PREPEND, rc);
}

static void
op_read(struct slot *s)
{
	uint32_t off, len;
	bool ok = rand_range(s->m.len, &off, &len);
	int rc;

	WHAT("read [%u +%u) of %u", off, len, s->m.len);
	rc = hb_buf_read(&s->b, off, tmp, len);
	assert_int_equal(rc, ok ? 0 : -ERANGE);
	if (rc == 0)
		assert_true(memcmp(tmp, s->m.ref + off, len) == 0);
	count(OP_READ, rc);
}

static void
op_write(struct slot *s)
{
	uint32_t off, len;
	bool ok = rand_range(s->m.len, &off, &len);
	const uint8_t *src = noise_at(len);
	int rc;

	if (clone_mode) {
		op_read(s);
		return;
	}
	WHAT("write [%u +%u) of %u", off, len, s->m.len);
	rc = hb_buf_write(&s->b, off, src, len);
	assert_int_equal(rc, ok ? 0 : -ERANGE);
	if (rc == 0)
		hb_model_write(&s->m, off, src, len);
	count(OP_WRITE, rc);
}

static void
op_trim(struct slot *s)
{
	uint32_t n = rand_drop(s->m.len);
	int rc;

	WHAT("trim %u of %u", n, s->m.len);
	rc = hb_buf_trim(&s->b, n);
	assert_int_equal(rc, n <= s->m.len ? 0 : -ERANGE);
	if (rc == 0 && n > 0) {
		hb_model_trim(&s->m, n);
		/* Nothing reserved is left; nothing at all if empty. */
		if (s->m.len == 0)
			assert_true(hb_buf_nb_segs(&s->b) == 0);
		else
			assert_true(s->b.tail->next == NULL);
	}
	count(OP_TRIM, rc);
}

static void
op_adj(struct slot *s)
{
	uint32_t n = rand_drop(s->m.len);
	int rc;

	WHAT("adj %u of %u", n, s->m.len);
	rc = hb_buf_adj(&s->b, n);
	assert_int_equal(rc, n <= s->m.len ? 0 : -ERANGE);
	if (rc == 0 && n > 0) {
		hb_model_adj(&s->m, n);
		if (s->m.len == 0)
			assert_true(hb_buf_nb_segs(&s->b) == 0);
	}
	count(OP_ADJ, rc);
}

/* Append the bytes of @d to @s piece by piece, then free @d if all went */
static int
join(struct slot *s, struct slot *d)
{
	int n, i, rc = 0;

	if (d->m.len == 0)
		return 0;
	if (s->m.len + d->m.len > MODEL_CAP)
		return 0;
	n = hb_buf_iov(&d->b, 0, d->m.len, jiov, IOV_N);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		struct need nd =
			need_of(&s->b, hb_model_need_append(&s->b, jiov[i].iov_len));

		rc = hb_buf_append(&s->b, jiov[i].iov_base, jiov[i].iov_len);
		check_need(rc, &nd);
		if (rc != 0)
			return rc;
		assert_true(hb_model_append(&s->m, jiov[i].iov_base,
					    jiov[i].iov_len));
	}
	slot_free(d);
	return 0;
}

/*
 * hb_buf_concat(&@s->b, @src) (@sm its model, its head's port @port if
 * @port_known): checked against hb_model_concat() (segments, mbufs freed,
 * none taken, the room after), the models updated. @src is then empty.
 * Returns the call's result; skips it (1) if the model has no room.
 */
static int
concat_into(struct slot *s, struct hb_buf *src, struct hb_model *sm,
	    bool port_known, uint16_t port)
{
	bool had_segs = hb_buf_nb_segs(&s->b) > 0;
	struct rte_mempool *sp = hb_buf_pool(src);
	struct hb_join j;
	unsigned int used;
	int rc;

	if (s->m.len + sm->len > MODEL_CAP)
		return 1;
	/* A clone joined to its original: sharing ends with both slots. */
	if (clone_mode)
		clone_joined = true;
	j = hb_model_concat(&s->b, src);
	used = in_use();
	rc = hb_buf_concat(&s->b, src);
	count(OP_CONCAT, rc);
	if (j.too_big) {
		assert_int_equal(rc, -E2BIG);
		assert_int_equal(in_use(), used);
		return rc;
	}
	assert_int_equal(rc, 0);
	/* No mbuf taken; dst's reserved (or src's empty) segments freed. */
	assert_int_equal(in_use(), used - j.freed);
	assert_int_equal(hb_buf_nb_segs(&s->b), j.segs);
	assert_int_equal(hb_model_room(&s->b), j.room);
	assert_true(hb_model_append(&s->m, sm->ref, sm->len));
	sm->len = 0;
	hb_assert_buf_ok(src);
	assert_int_equal(hb_buf_len(src), 0);
	assert_int_equal(hb_buf_nb_segs(src), 0);
	assert_ptr_equal(hb_buf_pool(src), sp);
	/* dst's head stays, unless it had none: then src's is its head. */
	if (!had_segs) {
		s->port_known = port_known;
		s->port = port;
	}
	return 0;
}

/*
 * Build a buffer on the side in @b, its model side_m: @n bytes of noise
 * appended in pieces (after a reserve, sometimes larger), or an adopted
 * chain of segments of random lengths and headroom, some empty, its tail
 * not known until used, its head's port set (@port). false, nothing
 * held, if the pool runs dry (a scarce one).
 */
static bool
side_build(struct hb_buf *b, uint32_t n, bool *port_known, uint16_t *port)
{
	const uint8_t *src = noise_at(n);
	struct rte_mbuf *h = NULL, *prev = NULL, *m;
	uint32_t done = 0, k, nb = 0;
	int rc = 0;

	side_m.len = 0;
	*port_known = false;
	if (rnd_below(3) != 0) {
		assert_int_equal(hb_buf_init(b, mp), 0);
		if (rnd_below(2))
			rc = hb_buf_reserve(b, n + rnd_below(2) *
					       rnd_below(4 * cap));
		while (rc == 0 && done < n) {
			k = RTE_MIN(n - done, 1 + rnd_below(2 * cap));
			rc = hb_buf_append(b, src + done, k);
			done += k;
		}
		if (rc != 0) {
			assert_int_equal(rc, -ENOMEM);
			assert_true(cfg->scarce);
			assert_int_equal(hb_buf_free(b), 0);
			return false;
		}
	} else {
		/* Segments while bytes are left; empty ones now and then. */
		while (done < n || nb == 0 || rnd_below(4) == 0) {
			m = rte_pktmbuf_alloc(mp);
			if (m == NULL) {
				assert_true(cfg->scarce);
				if (h != NULL)
					rte_pktmbuf_free(h);
				return false;
			}
			k = rnd_below(5) == 0 ? 0 :
			    RTE_MIN(n - done, 1 + rnd_below(cap));
			m->data_off = (uint16_t)rnd_below(cap - k + 1);
			m->data_len = (uint16_t)k;
			memcpy(rte_pktmbuf_mtod(m, void *), src + done, k);
			done += k;
			if (prev == NULL)
				h = m;
			else
				prev->next = m;
			prev = m;
			h->nb_segs = (uint16_t)++nb;
			h->pkt_len = done;
		}
		*port = (uint16_t)rnd_below(0x8000);
		*port_known = true;
		h->port = *port;
		assert_int_equal(hb_buf_attach(b, h), 0);
	}
	assert_true(hb_model_append(&side_m, src, n));
	return true;
}

/* A buffer built on the side, joined to @s. */
static void
concat_side(struct slot *s)
{
	uint32_t n = RTE_MIN(grow_size(s), 64 * cap);
	struct hb_buf side;
	bool port_known;
	uint16_t port = 0;

	WHAT("build %u bytes on the side", n);
	if (!side_build(&side, n, &port_known, &port)) {
		count(OP_CONCAT, -ENOMEM);
		return;
	}
	WHAT("concat %u bytes built on the side (%u segments) to len %u "
	     "(%u segments)", n, hb_buf_nb_segs(&side), s->m.len,
	     hb_buf_nb_segs(&s->b));
	(void)concat_into(s, &side, &side_m, port_known, port);
	assert_int_equal(hb_buf_free(&side), 0);
}

/* A slot joined to another one, no byte copied; or an invalid call. */
static void
op_concat(struct slot *s)
{
	struct slot *d = other_slot(s);
	struct hb_buf t0;
	int rc;

	switch (rnd_below(10)) {
	case 0:
		/* With itself, or NULL: -EINVAL, nothing changes. */
		WHAT("concat into itself or NULL, len %u", s->m.len);
		memcpy(&t0, &s->b, sizeof(t0));
		rc = rnd_below(2) ? hb_buf_concat(&s->b, &s->b) :
		     rnd_below(2) ? hb_buf_concat(&s->b, NULL) :
				    hb_buf_concat(NULL, &s->b);
		assert_int_equal(rc, -EINVAL);
		assert_true(memcmp(&t0, &s->b, sizeof(t0)) == 0);
		count(OP_CONCAT, rc);
		break;
	case 1: case 2: case 3: case 4:
		WHAT("concat len %u (%u segments) to len %u (%u segments)",
		     d->m.len, hb_buf_nb_segs(&d->b), s->m.len,
		     hb_buf_nb_segs(&s->b));
		if (concat_into(s, &d->b, &d->m, d->port_known, d->port) == 0)
			d->port_known = false;
		break;
	default:
		concat_side(s);
		break;
	}
}

static void
op_split(struct slot *s)
{
	struct slot *d = other_slot(s);
	struct hb_buf t0;
	struct need nd;
	uint32_t at;
	int rc;

	if (hb_buf_nb_segs(&d->b) > 0)
		slot_free(d);
	if (rnd_below(40) == 0)
		at = s->m.len + 1 + rnd_below(8);
	else if (s->m.len > cfg->soft && rnd_below(2))
		at = rnd_below(cfg->soft / 2);
	else
		at = rnd_below((uint64_t)s->m.len + 1);
	WHAT("split %u of %u", at, s->m.len);
	nd = need_of(&s->b, hb_model_need_split(&s->b, at));
	memcpy(&t0, &d->b, sizeof(t0));
	rc = hb_buf_split(&s->b, at, &d->b);
	count(OP_SPLIT, rc);
	if (at > s->m.len) {
		assert_int_equal(rc, -ERANGE);
		assert_true(memcmp(&t0, &d->b, sizeof(t0)) == 0);
		return;
	}
	check_need(rc, &nd);
	if (rc != 0) {
		assert_true(memcmp(&t0, &d->b, sizeof(t0)) == 0);
		return;
	}
	assert_true(hb_model_split(&s->m, at, &d->m));
	d->port_known = s->port_known;
	d->port = s->port;
	verify_slot(s, true);
	verify_slot(d, true);
	/* Then: keep both, drop one, or put the tail back. */
	switch (rnd_below(10)) {
	case 0: case 1: case 2: case 3:
		break;
	case 4: case 5:
		slot_free(d);
		break;
	case 6: case 7:
		slot_free(s);
		break;
	case 8:
		(void)join(s, d);
		break;
	default:
		WHAT("split %u, joined back", at);
		if (concat_into(s, &d->b, &d->m, d->port_known, d->port) == 0)
			d->port_known = false;
		break;
	}
}

static void
op_join(struct slot *s)
{
	struct slot *d = other_slot(s);

	WHAT("join %u + %u", s->m.len, d->m.len);
	count(OP_JOIN, join(s, d));
}

static void
op_peek(struct slot *s)
{
	uint32_t off, len;
	bool ok = rand_range(s->m.len, &off, &len);
	bool use_scratch = rnd_below(4) != 0;
	const uint8_t *p;
	int pieces = 0;

	WHAT("peek [%u +%u) of %u%s", off, len, s->m.len,
	     use_scratch ? "" : " no scratch");
	if (ok && len > 0)
		pieces = hb_buf_iov(&s->b, off, len, NULL, 0);
	rte_errno = 0;
	p = hb_buf_peek(&s->b, off, len, use_scratch ? scr : NULL);
	if (!ok) {
		assert_true(p == NULL && rte_errno == ERANGE);
		count(OP_PEEK, -ERANGE);
	} else if (pieces > 1 && !use_scratch) {
		assert_true(p == NULL && rte_errno == EINVAL);
		count(OP_PEEK, -EINVAL);
	} else {
		assert_true(p != NULL);
		/* A pointer into the segment unless the range spans. */
		if (len > 0)
			assert_true((p == scr) == (pieces > 1));
		assert_true(memcmp(p, s->m.ref + off, len) == 0);
		count(OP_PEEK, 0);
	}
}

static void
op_iov(struct slot *s)
{
	uint32_t off, len, got = 0;
	bool ok = rand_range(s->m.len, &off, &len);
	int need, cnt, n, i, exp;

	WHAT("iov [%u +%u) of %u", off, len, s->m.len);
	need = hb_buf_iov(&s->b, off, len, NULL, 0);
	if (!ok) {
		assert_int_equal(need, -ERANGE);
		assert_int_equal(hb_buf_iov(&s->b, off, len, jiov, IOV_N),
				 -ERANGE);
		count(OP_IOV, -ERANGE);
		return;
	}
	assert_in_range(need, 0, hb_buf_nb_segs(&s->b));
	switch (rnd_below(5)) {
	case 0:
	case 1:
		cnt = IOV_N;
		break;
	case 2:
		cnt = need;
		break;
	case 3:
		cnt = rnd_below((uint64_t)need + 1);
		break;
	default:
		cnt = rnd_below(8) == 0 ? -1 - (int)rnd_below(4) :
					  (int)rnd_below((uint64_t)need + 2);
		break;
	}
	n = hb_buf_iov(&s->b, off, len, jiov, cnt);
	exp = cnt < 0 ? -EINVAL : len > 0 && cnt < need ? -ENOBUFS : need;
	assert_int_equal(n, exp);
	count(OP_IOV, n);
	for (i = 0; i < n; i++) {
		assert_true(jiov[i].iov_len > 0);
		assert_true(memcmp(jiov[i].iov_base, s->m.ref + off + got,
				   jiov[i].iov_len) == 0);
		got += jiov[i].iov_len;
	}
	if (n >= 0)
		assert_true(got == len);
}

static void
op_reserve(struct slot *s)
{
	uint32_t n = grow_size(s), m;
	struct need nd = need_of(&s->b, hb_model_need_append(&s->b, n));
	const uint8_t *src;
	unsigned int used;
	int rc;

	WHAT("reserve %u at len %u", n, s->m.len);
	rc = hb_buf_reserve(&s->b, n);
	check_need(rc, &nd);
	count(OP_RESERVE, rc);
	if (rc != 0 || rnd_below(2) == 0)
		return;
	/* What was reserved is appended without allocation. */
	m = rnd_below((uint64_t)n + 1);
	src = noise_at(m);
	WHAT("reserve %u at len %u, then append %u", n, s->m.len, m);
	used = in_use();
	assert_int_equal(hb_buf_append(&s->b, src, m), 0);
	assert_true(in_use() == used);
	assert_true(hb_model_append(&s->m, src, m));
}

/* An offset for a typed access of @size bytes; 1 in 40 out of range. */
static uint32_t
int_off(uint32_t blen, uint32_t size)
{
	if (rnd_below(40) == 0)
		return rnd_below(2) ? UINT32_MAX - rnd_below(8) :
				      (blen >= size ? blen - size : 0) + 1 +
					      rnd_below(4);
	return blen >= size ? rnd_below((uint64_t)blen - size + 1) : 0;
}

static void
op_get(struct slot *s)
{
	int t = rnd_below(HB_INT_NUM), rc;
	uint32_t off = int_off(s->m.len, hb_ints[t].size);
	bool ok = hb_range_ok(s->m.len, off, hb_ints[t].size);
	uint64_t v = 0;

	WHAT("get_%s at %u of %u", hb_ints[t].name, off, s->m.len);
	rc = hb_int_get(&s->b, t, off, &v);
	assert_int_equal(rc, ok ? 0 : -ERANGE);
	if (rc == 0)
		assert_int_equal(v, hb_int_decode(s->m.ref + off, t));
	count(OP_GET, rc);
}

static void
op_put(struct slot *s)
{
	int t = rnd_below(HB_INT_NUM), rc;
	uint32_t off = int_off(s->m.len, hb_ints[t].size);
	bool ok = hb_range_ok(s->m.len, off, hb_ints[t].size);
	uint64_t v = rnd();

	if (clone_mode) {
		op_get(s);
		return;
	}
	WHAT("put_%s at %u of %u", hb_ints[t].name, off, s->m.len);
	rc = hb_int_put(&s->b, t, off, v);
	assert_int_equal(rc, ok ? 0 : -ERANGE);
	if (rc == 0)
		hb_int_encode(s->m.ref + off, v, t);
	count(OP_PUT, rc);
}

/* A random run of cursor calls, with appends and the odd layout change. */
static void
op_cursor(struct slot *s)
{
	struct hb_cursor c;
	uint32_t off, steps, i;
	bool stale = false;
	int rc;

	if (rnd_below(40) == 0) {
		off = s->m.len + 1 + rnd_below(8);
		WHAT("cursor init at %u of %u", off, s->m.len);
		rc = hb_cursor_init(&c, &s->b, off);
		assert_int_equal(rc, -ERANGE);
		count(OP_CURSOR, rc);
		return;
	}
	off = rnd_below((uint64_t)s->m.len + 1);
	WHAT("cursor init at %u of %u", off, s->m.len);
	assert_int_equal(hb_cursor_init(&c, &s->b, off), 0);
	count(OP_CURSOR, 0);
	steps = 1 + rnd_below(24);
	for (i = 0; i < steps; i++) {
		uint32_t rem = s->m.len - off, n, r = rnd_below(100);
		const uint8_t *p;
		int t, exp;
		uint64_t v;

		if (r < 80)
			n = rnd_below(17);
		else if (r < 95)
			n = rnd_below(4 * cap + 1);
		else
			n = rem + rnd_below(3);
		r = rnd_below(100);
		if (r < 20) {
			WHAT("cursor read %u at %u of %u%s", n, off, s->m.len,
			     stale ? " stale" : "");
			rc = hb_cursor_read(&c, tmp, n);
			exp = stale ? -ESTALE : n <= rem ? 0 : -ENODATA;
			assert_int_equal(rc, exp);
			if (rc == 0) {
				assert_true(memcmp(tmp, s->m.ref + off, n) ==
					    0);
				off += n;
			}
		} else if (r < 30) {
			WHAT("cursor peek %u at %u of %u%s", n, off, s->m.len,
			     stale ? " stale" : "");
			rc = hb_cursor_peek(&c, tmp, n);
			exp = stale ? -ESTALE : n <= rem ? 0 : -ENODATA;
			assert_int_equal(rc, exp);
			if (rc == 0)
				assert_true(memcmp(tmp, s->m.ref + off, n) ==
					    0);
		} else if (r < 40) {
			WHAT("cursor skip %u at %u of %u%s", n, off, s->m.len,
			     stale ? " stale" : "");
			rc = hb_cursor_skip(&c, n);
			exp = stale ? -ESTALE : n <= rem ? 0 : -ENODATA;
			assert_int_equal(rc, exp);
			if (rc == 0)
				off += n;
		} else if (r < 55) {
			bool use_scratch = rnd_below(3) != 0;
			int pieces = 0;

			WHAT("cursor pull %u at %u of %u%s%s", n, off, s->m.len,
			     stale ? " stale" : "",
			     use_scratch ? "" : " no scratch");
			if (!stale && n <= rem && n > 0)
				pieces = hb_buf_iov(&s->b, off, n, NULL, 0);
			rte_errno = 0;
			p = hb_cursor_pull(&c, n, use_scratch ? scr : NULL);
			rc = p != NULL ? 0 : -rte_errno;
			exp = stale ? -ESTALE : n > rem ? -ENODATA :
			      pieces > 1 && !use_scratch ? -EINVAL : 0;
			assert_int_equal(rc, exp);
			if (rc == 0) {
				if (n > 0)
					assert_true((p == scr) == (pieces > 1));
				assert_true(memcmp(p, s->m.ref + off, n) == 0);
				off += n;
			}
		} else if (r < 75) {
			bool consume = r < 65;

			t = rnd_below(HB_INT_NUM);
			WHAT("cursor %s_%s at %u of %u%s",
			     consume ? "get" : "peek", hb_ints[t].name, off,
			     s->m.len, stale ? " stale" : "");
			v = 0;
			rc = hb_int_cursor(&c, t, consume, &v);
			exp = stale ? -ESTALE :
			      hb_ints[t].size <= rem ? 0 : -ENODATA;
			assert_int_equal(rc, exp);
			if (rc == 0) {
				assert_true(v ==
					    hb_int_decode(s->m.ref + off, t));
				if (consume)
					off += hb_ints[t].size;
			}
		} else if (r < 88) {
			/* Growth at the end: the cursor sees it. */
			uint32_t m = rnd_below(2) ? rnd_below(33) :
						    rnd_below(4 * cap + 1);
			const uint8_t *src = noise_at(m);
			struct need nd =
				need_of(&s->b, hb_model_need_append(&s->b, m));

			if (s->m.len + m > MODEL_CAP)
				continue;
			if (rnd_below(4) == 0) {
				/* Joined: the cursor sees the bytes too. */
				concat_side(s);
				continue;
			}
			WHAT("append %u under a cursor at %u of %u", m, off,
			     s->m.len);
			rc = hb_buf_append(&s->b, src, m);
			check_need(rc, &nd);
			if (rc == 0)
				assert_true(hb_model_append(&s->m, src, m));
			count(OP_APPEND, rc);
		} else if (r < 92) {
			uint32_t m = rnd_below(4 * cap + 1);
			struct need nd =
				need_of(&s->b, hb_model_need_append(&s->b, m));

			WHAT("reserve %u under a cursor at %u of %u", m, off,
			     s->m.len);
			rc = hb_buf_reserve(&s->b, m);
			check_need(rc, &nd);
			count(OP_RESERVE, rc);
		} else if (r < 96) {
			/* A layout change makes the cursor stale. */
			uint32_t m = 1 + rnd_below(8), len0 = s->m.len;
			const uint8_t *src = noise_at(m);
			struct need nd;

			switch (rnd_below(5)) {
			case 4: {
				/* Joined to another slot: s is emptied. */
				struct slot *o = other_slot(s);

				WHAT("concat into another slot under a "
				     "cursor");
				rc = concat_into(o, &s->b, &s->m, s->port_known,
						 s->port);
				if (rc == 0)
					s->port_known = false;
				break;
			}
			case 0:
				WHAT("prepend %u under a cursor", m);
				nd = need_of(&s->b, hb_model_need_prepend(&s->b, m));
				rc = hb_buf_prepend(&s->b, src, m);
				check_need(rc, &nd);
				if (rc == 0)
					assert_true(hb_model_prepend(&s->m, src,
								     m));
				count(OP_PREPEND, rc);
				break;
			case 1:
				WHAT("trim %u under a cursor", m);
				rc = hb_buf_trim(&s->b, m);
				assert_int_equal(rc,
						 m <= s->m.len ? 0 : -ERANGE);
				if (rc == 0)
					hb_model_trim(&s->m, m);
				count(OP_TRIM, rc);
				break;
			case 2:
				WHAT("adj %u under a cursor", m);
				rc = hb_buf_adj(&s->b, m);
				assert_int_equal(rc,
						 m <= s->m.len ? 0 : -ERANGE);
				if (rc == 0)
					hb_model_adj(&s->m, m);
				count(OP_ADJ, rc);
				break;
			default:
				WHAT("free under a cursor");
				slot_free(s);
				rc = 0;
				count(OP_FREE, rc);
				break;
			}
			/* A call that failed changed nothing. */
			if (rc == 0)
				stale = true;
			verify_slot(s, false);
			/*
			 * Prepending to an empty buffer is appending: the
			 * cursor may or may not be stale (see the report).
			 */
			if (rc == 0 && len0 == 0)
				break;
			continue;
		} else {
			WHAT("cursor state at %u of %u", off, s->m.len);
			rc = 0;
		}
		count(OP_CSTEP, rc);
		assert_int_equal(hb_cursor_offset(&c), off);
		assert_int_equal(hb_cursor_remaining(&c),
				 stale ? 0 : s->m.len - off);
	}
}

/* Insert an empty mbuf after the @pos-th segment (before the head: -1). */
static bool
chain_insert_empty(struct rte_mbuf **head, int pos)
{
	struct rte_mbuf *e = rte_pktmbuf_alloc(mp), *m = *head;
	int i;

	if (e == NULL)
		return false;
	if (pos < 0) {
		e->next = m;
		e->nb_segs = m->nb_segs + 1;
		e->pkt_len = m->pkt_len;
		e->port = m->port;
		m->nb_segs = 1;
		m->pkt_len = m->data_len;
		*head = e;
		return true;
	}
	for (i = 0; i < pos && m->next != NULL; i++)
		m = m->next;
	e->next = m->next;
	m->next = e;
	(*head)->nb_segs++;
	return true;
}

static void
op_detach(struct slot *s)
{
	struct rte_mbuf *m, *l;
	unsigned int in_use;
	uint16_t nb;
	int rc;

	WHAT("detach/attach len %u segs %u", s->m.len, hb_buf_nb_segs(&s->b));
	if (hb_buf_nb_segs(&s->b) == 0) {
		rte_errno = 0;
		assert_true(hb_buf_detach(&s->b) == NULL);
		assert_int_equal(-rte_errno, -ENODATA);
		count(OP_DETACH, -ENODATA);
		return;
	}
	in_use = rte_mempool_in_use_count(mp);
	m = hb_buf_detach(&s->b);
	assert_true(m != NULL);
	hb_assert_mbuf_ok(m, 1);
	assert_true(m->pkt_len == s->m.len);
	assert_true(hb_buf_len(&s->b) == 0 && hb_buf_nb_segs(&s->b) == 0);
	/* A valid packet, no empty trailing segment; reserved ones freed. */
	nb = 0;
	for (l = m;; l = l->next) {
		nb++;
		if (l->next == NULL)
			break;
	}
	assert_true(nb == m->nb_segs);
	assert_true(l->data_len > 0 || nb == 1);
	assert_true(rte_mempool_in_use_count(mp) <= in_use);
	if (s->port_known)
		assert_int_equal(m->port, s->port);
	s->port = (uint16_t)rnd_below(0x8000);
	s->port_known = true;
	m->port = s->port;
	/* Sometimes an empty segment somewhere (at the end: dropped). */
	if (rnd_below(4) == 0 && s->m.len > 0) {
		int pos = (int)rnd_below((uint64_t)m->nb_segs + 1) - 1;

		if (chain_insert_empty(&m, pos))
			WHAT("detach/attach len %u, empty segment after %d",
			     s->m.len, pos);
	}
	rc = hb_buf_attach(&s->b, m);
	assert_int_equal(rc, 0);
	count(OP_DETACH, rc);
}

static void
op_clone(struct slot *s)
{
	struct slot *d = other_slot(s);
	struct rte_mbuf *m, *c;

	WHAT("clone len %u", s->m.len);
	if (hb_buf_nb_segs(&s->b) == 0 || s->m.len == 0)
		return;
	if (hb_buf_nb_segs(&d->b) > 0)
		slot_free(d);
	m = hb_buf_detach(&s->b);
	assert_true(m != NULL);
	c = rte_pktmbuf_clone(m, mp);
	assert_int_equal(hb_buf_attach(&s->b, m), 0);
	if (c == NULL) {
		assert_true(cfg->scarce);
		count(OP_CLONE, -ENOMEM);
		return;
	}
	assert_int_equal(hb_buf_attach(&d->b, c), 0);
	assert_true(hb_model_copy(&d->m, &s->m));
	d->port_known = s->port_known;
	d->port = s->port;
	clone_mode = true;
	count(OP_CLONE, 0);
}

static void
op_free(struct slot *s)
{
	WHAT("free len %u", s->m.len);
	slot_free(s);
	count(OP_FREE, 0);
}

static enum op
pick_op(const struct slot *s)
{
	unsigned int total = 0, r, i;

	/* Keep buffers mostly between soft / 3 and soft bytes. */
	if (s->m.len > cfg->soft && rnd_below(2)) {
		static const enum op shrink[] = { OP_TRIM, OP_ADJ, OP_SPLIT };

		return shrink[rnd_below(RTE_DIM(shrink))];
	}
	if (s->m.len < cfg->soft / 3 && rnd_below(4) == 0) {
		static const enum op grow[] = { OP_APPEND, OP_PREPEND,
						OP_JOIN, OP_CONCAT };

		return grow[rnd_below(RTE_DIM(grow))];
	}
	for (i = 0; i < OP_NUM; i++)
		total += op_weight[i];
	r = rnd_below(total);
	for (i = 0; i < OP_NUM; i++) {
		if (r < op_weight[i])
			return (enum op)i;
		r -= op_weight[i];
	}
	return OP_READ;
}

static void
run_op(void)
{
	struct slot *s = &slots[rnd_below(NSLOT)];
	enum op op = pick_op(s);
	int i, live = 0;

	/*
	 * Clones shared bytes: writes are back once sharing has ended (one
	 * slot left; none, once a clone was joined to its original).
	 */
	if (clone_mode) {
		for (i = 0; i < NSLOT; i++)
			live += hb_buf_nb_segs(&slots[i].b) > 0;
		if ((live > 1 || clone_joined) && rnd_below(50) == 0) {
			WHAT("end of sharing");
			for (i = 0; i < NSLOT; i++)
				if (&slots[i] != s || clone_joined)
					slot_free(&slots[i]);
			live = clone_joined ? 0 : 1;
		}
		if (live == 0 || (live == 1 && !clone_joined))
			clone_mode = clone_joined = false;
	}
	switch (op) {
	case OP_APPEND:
		op_append(s);
		break;
	case OP_APPEND_INT:
		op_append_int(s);
		break;
	case OP_PREPEND:
		op_prepend(s);
		break;
	case OP_READ:
		op_read(s);
		break;
	case OP_WRITE:
		op_write(s);
		break;
	case OP_TRIM:
		op_trim(s);
		break;
	case OP_ADJ:
		op_adj(s);
		break;
	case OP_SPLIT:
		op_split(s);
		break;
	case OP_JOIN:
		op_join(s);
		break;
	case OP_PEEK:
		op_peek(s);
		break;
	case OP_IOV:
		op_iov(s);
		break;
	case OP_RESERVE:
		op_reserve(s);
		break;
	case OP_GET:
		op_get(s);
		break;
	case OP_PUT:
		op_put(s);
		break;
	case OP_CURSOR:
		op_cursor(s);
		break;
	case OP_DETACH:
		op_detach(s);
		break;
	case OP_CLONE:
		op_clone(s);
		break;
	case OP_FREE:
		op_free(s);
		break;
	case OP_CONCAT:
		op_concat(s);
		break;
	default:
		assert_true(false);
	}
	verify_all();
}

/* ---------------------------------------------------------------------
 * Driver
 */

static void
print_stats(uint64_t st[OP_STATS][R_NUM], const char *title)
{
	uint64_t calls;
	int op, r;

	printf("%s\n", title);
	for (op = 0; op < OP_STATS; op++) {
		calls = 0;
		for (r = 0; r < R_NUM; r++)
			calls += st[op][r];
		if (calls == 0)
			continue;
		printf("  %-15s %8" PRIu64, op_name[op], calls);
		for (r = 0; r < R_NUM; r++)
			if (st[op][r] != 0)
				printf("  %s %" PRIu64, res_name[r], st[op][r]);
		printf("\n");
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
run_cfg(const struct cfg *c, unsigned int idx)
{
	struct rte_malloc_socket_stats ms0, ms1;
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i, base;
	double t0 = now();
	int op, r;

	cfg = c;
	snprintf(name, sizeof(name), "rnd_%s", c->name);
	mp = hb_test_pool(name, c->n, c->room);
	cap = rte_pktmbuf_data_room_size(mp);
	base = rte_mempool_in_use_count(mp);
	rs = seed ^ (UINT64_C(0x9e3779b97f4a7c15) * (idx + 1));
	if (rs == 0)
		rs = 1;
	memset(cfg_stats, 0, sizeof(cfg_stats));
	sum_len = 0;
	sum_segs = 0;
	max_len = 0;
	clone_mode = false;
	clone_joined = false;
	opno = 0;
	WHAT("setup");
	assert_int_equal(rte_malloc_get_socket_stats(rte_socket_id(), &ms0), 0);
	for (i = 0; i < NSLOT; i++) {
		assert_int_equal(hb_buf_init(&slots[i].b, mp), 0);
		slots[i].m.len = 0;
		slots[i].port_known = false;
	}
	for (opno = 1; opno <= c->ops; opno++)
		run_op();
	WHAT("teardown");
	for (i = 0; i < NSLOT; i++)
		slot_free(&slots[i]);
	total_ops += c->ops;
	for (op = 0; op < OP_STATS; op++)
		for (r = 0; r < R_NUM; r++)
			stats[op][r] += cfg_stats[op][r];
	printf("%s%s: %u operations, data room %u, %u mbufs, %.2f s; "
	       "buffer length mean %" PRIu64 " max %" PRIu64
	       ", segments mean %.1f\n",
	       c->name, gmode_name[gmode], c->ops, cap, c->n, now() - t0,
	       sum_len / (NSLOT * c->ops), max_len,
	       (double)sum_segs / (NSLOT * c->ops));
	fflush(stdout);
	if (c->scarce) {
		/*
		 * The small pool did run dry (the failures changed nothing).
		 * With growth on, surely for prepends (their new segments
		 * come from the buffer's pool alone); growth fails only when
		 * the classes are dry as well, which may not happen.
		 */
		assert_true(cfg_stats[OP_PREPEND][R_ENOMEM] > 0);
		printf("  ENOMEM: %" PRIu64 " appends, %" PRIu64
		       " prepends, %" PRIu64 " reserves\n",
		       cfg_stats[OP_APPEND][R_ENOMEM],
		       cfg_stats[OP_PREPEND][R_ENOMEM],
		       cfg_stats[OP_RESERVE][R_ENOMEM]);
		if (gmode == G_OFF) {
			assert_true(cfg_stats[OP_APPEND][R_ENOMEM] > 0);
			assert_true(cfg_stats[OP_RESERVE][R_ENOMEM] > 0);
		}
	}
	/* Every segment index freed, and every mbuf back. */
	assert_int_equal(rte_malloc_get_socket_stats(rte_socket_id(), &ms1), 0);
	assert_int_equal(ms1.alloc_count, ms0.alloc_count);
	hb_assert_pool_at(mp, base);
}

static void
test_room2176(void **state)
{
	(void)state;
	run_cfg(&cfgs[0], 0);
}

static void
test_room512(void **state)
{
	(void)state;
	run_cfg(&cfgs[1], 1);
}

static void
test_room128(void **state)
{
	(void)state;
	run_cfg(&cfgs[2], 2);
}

static void
test_room129(void **state)
{
	(void)state;
	run_cfg(&cfgs[3], 3);
}

static void
test_scarce(void **state)
{
	(void)state;
	run_cfg(&cfgs[4], 4);
}

static void
test_totals(void **state)
{
	(void)state;
	print_stats(stats, "operations (and calls) by kind and result:");
	printf("total: %" PRIu64 " random operations\n", total_ops);
	fflush(stdout);
	assert_true(total_ops >= MIN_OPS);
	/* Every kind ran, and the error paths were taken. */
	assert_true(stats[OP_SPLIT][R_OK] > 0);
	assert_true(stats[OP_CLONE][R_OK] > 0);
	assert_true(stats[OP_READ][R_ERANGE] > 0);
	assert_true(stats[OP_IOV][R_ENOBUFS] > 0);
	assert_true(stats[OP_PEEK][R_EINVAL] > 0);
	assert_true(stats[OP_CSTEP][R_ENODATA] > 0);
	assert_true(stats[OP_CSTEP][R_ESTALE] > 0);
	assert_true(stats[OP_DETACH][R_ENODATA] > 0);
	assert_true(stats[OP_CONCAT][R_OK] > 0);
	assert_true(stats[OP_CONCAT][R_EINVAL] > 0);
}

/*
 * After each config: report where a failed one stopped (the slots, the
 * seed), then free what is left, and the pool.
 */
static int
cleanup(void **state)
{
	int i;

	if (hb_test_ctx_msg()[0] != '\0') {
		print_error("replay: HB_TEST_SEED=%#llx\n",
			    (unsigned long long)seed);
		for (i = 0; i < NSLOT; i++) {
			print_error("slot %d: model len %u\n", i,
				    slots[i].m.len);
			if (hb_buf_nb_segs(&slots[i].b) <= 64)
				hb_buf_dump(stderr, &slots[i].b);
		}
	}
	hb_test_ctx_teardown(state);
	for (i = 0; i < NSLOT; i++)
		if (hb_buf_check(&slots[i].b, NULL) == 0)
			(void)hb_buf_free(&slots[i].b);
	if (mp != NULL)
		rte_mempool_free(mp);
	mp = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_room2176, cleanup),
		cmocka_unit_test_teardown(test_room512, cleanup),
		cmocka_unit_test_teardown(test_room128, cleanup),
		cmocka_unit_test_teardown(test_room129, cleanup),
		cmocka_unit_test_teardown(test_scarce, cleanup),
		cmocka_unit_test(test_totals),
	};
	uint64_t ns = 0x2545f4914f6cdd1dULL;
	struct rte_mempool *warm;
	uint32_t i;
	int rc;

	for (i = 1; i < (uint32_t)argc; i++) {
		if (strcmp(argv[i], "--growth") == 0)
			gmode = G_ON;
		else if (strcmp(argv[i], "--growth-scarce") == 0)
			gmode = G_SCARCE;
	}
	seed = hb_test_seed();
	printf("seed=%#llx (HB_TEST_SEED to replay)%s\n",
	       (unsigned long long)seed, gmode_name[gmode]);
	fflush(stdout);
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	if (gmode != G_OFF) {
		/* The smallest classes' pools (8 segments each) run dry. */
		hb_test_growth_on(gmode == G_SCARCE ? 256 << 10 : 0);
		/* Created now, so that each config's heap count holds. */
		warm = hb_test_pool("rnd_warm", 64, 0);
		hb_test_growth_warm(warm);
		rte_mempool_free(warm);
	}
	noise = malloc(NOISE_LEN);
	tmp = malloc(MODEL_CAP);
	scr = malloc(MODEL_CAP);
	iov = calloc(IOV_N, sizeof(*iov));
	jiov = calloc(IOV_N, sizeof(*jiov));
	for (i = 0; i < NSLOT; i++)
		if (hb_model_init(&slots[i].m, MODEL_CAP) != 0)
			return 1;
	if (hb_model_init(&side_m, MODEL_CAP) != 0)
		return 1;
	if (noise == NULL || tmp == NULL || scr == NULL || iov == NULL ||
	    jiov == NULL)
		return 1;
	for (i = 0; i < NOISE_LEN; i++)
		noise[i] = (uint8_t)(hb_test_rand(&ns) >> 56);
	if (getenv("HB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("HB_TEST_FILTER"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	for (i = 0; i < NSLOT; i++)
		hb_model_fini(&slots[i].m);
	hb_model_fini(&side_m);
	free(noise);
	free(tmp);
	free(scr);
	free(iov);
	free(jiov);
	hb_test_teardown();
	return rc;
}
