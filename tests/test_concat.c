/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb_buf_concat(): dst then holds dst's bytes and src's, with no byte
 * copied and no mbuf taken (dst's reserved segments freed, src's kept as
 * dst's capacity); src is left empty and usable. For every kind of
 * segment (direct, indirect, external, pools of several data rooms) on
 * either side, adopted chains whose tail is not known yet, dst's cursors
 * (still valid) and segment index (right after the join), and every error
 * (nothing changed on either side). The hb_model.h count of what the join
 * frees is checked against the pools at every join.
 *
 * With --growth the same tests run with the growth policy on (the
 * library's default classes), so that the buffers are made of class
 * segments; test_growth_classes() checks that they are.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "hb_model.h"
#include "hb_test.h"

#define PAT_LEN (1u << 20)

static struct rte_mempool *pool;   /* default data room (2176) */
static struct rte_mempool *p200;   /* 200-byte data rooms */
static struct rte_mempool *p9000;  /* 9000-byte data rooms */
static struct rte_mempool *clonep; /* data room 0: indirect mbufs only */
static struct rte_mempool *extra;  /* a test's own pool, or NULL */
static bool growth;		   /* --growth: the growth policy on */
static uint8_t pat[PAT_LEN];
static uint8_t exp_[PAT_LEN];
static uint8_t out[PAT_LEN];

/* mbufs in use in every pool of the test, the growth classes' included. */
static unsigned int
in_use(void)
{
	return hb_test_in_use(pool) + rte_mempool_in_use_count(p200) +
	       rte_mempool_in_use_count(p9000) +
	       rte_mempool_in_use_count(clonep) +
	       (extra != NULL ? rte_mempool_in_use_count(extra) : 0);
}

/* Every pool back to where the test began, and the classes' at 0. */
static void
assert_pools_at(const unsigned int base[3])
{
	hb_assert_pool_at(pool, base[0]);
	hb_assert_pool_at(p200, base[1]);
	hb_assert_pool_at(p9000, base[2]);
	hb_assert_pool_at(clonep, 0);
}

static void
pools_base(unsigned int base[3])
{
	base[0] = rte_mempool_in_use_count(pool);
	base[1] = rte_mempool_in_use_count(p200);
	base[2] = rte_mempool_in_use_count(p9000);
}

/*
 * hb_buf_concat(@dst, @src) succeeds as hb_model_concat() says: @dst then
 * holds the @len bytes of @exp with the segments of both (less @dst's
 * reserved ones), the mbufs in use fewer by what the join frees (none
 * taken); @src is empty, consistent, with its pool.
 */
static void
concat_ok(struct hb_buf *dst, struct hb_buf *src, const uint8_t *exp,
	  uint32_t len)
{
	struct rte_mempool *sp = hb_buf_pool(src);
	struct hb_join j = hb_model_concat(dst, src);
	unsigned int before = in_use();

	assert_false(j.too_big);
	assert_int_equal(hb_buf_concat(dst, src), 0);
	hb_assert_buf_bytes(dst, exp, len);
	assert_int_equal(hb_buf_nb_segs(dst), j.segs);
	assert_int_equal(hb_model_room(dst), j.room);
	assert_int_equal(in_use(), before - j.freed);
	hb_assert_buf_ok(src);
	assert_int_equal(hb_buf_len(src), 0);
	assert_int_equal(hb_buf_nb_segs(src), 0);
	assert_ptr_equal(hb_buf_pool(src), sp);
}

/*
 * hb_buf_concat(@dst, @src) fails with @err and changes neither (each
 * recorded with its bytes, every mbuf where it was).
 */
static void
concat_fails(struct hb_buf *dst, struct hb_buf *src, int err)
{
	/* Bytes recorded unless gigabytes of clones. */
	bool bytes = (uint64_t)hb_buf_len(dst) + hb_buf_len(src) < (64u << 20);
	struct hb_snap sd, ss;

	hb_test_snap(&sd, dst, bytes);
	hb_test_snap(&ss, src, bytes);
	if (err == -E2BIG)
		assert_true(hb_model_concat(dst, src).too_big);
	assert_int_equal(hb_buf_concat(dst, src), err);
	hb_assert_snap(&sd, dst);
	hb_assert_snap(&ss, src);
	hb_snap_free(&sd);
	hb_snap_free(&ss);
}

/* The chain of @mp segments holding @lens[i] bytes of pat from @off. */
static struct rte_mbuf *
chain_of(struct rte_mempool *mp, uint32_t off, const uint16_t *lens,
	 unsigned int n)
{
	return hb_test_chain(mp, pat + off, lens, n, NULL);
}

/* ---------------------------------------------------------------------
 * Bytes, segments and mbufs
 */

struct bcase {
	const char *what;
	struct rte_mempool **dpool, **spool;
	uint32_t dlen, dpiece, dres;	/* bytes, per append, then reserved */
	uint32_t slen, spiece, sres;
};

static const struct bcase bcases[] = {
	{ "both several segments", &pool, &pool, 5000, 700, 0, 7000, 300, 0 },
	{ "dst reserved", &pool, &pool, 3000, 0, 9000, 4000, 1000, 0 },
	{ "src reserved", &pool, &pool, 3000, 500, 0, 3000, 0, 9000 },
	{ "both reserved", &pool, &pool, 2500, 0, 5000, 2500, 0, 5000 },
	{ "dst empty", &pool, &pool, 0, 0, 0, 5000, 100, 0 },
	{ "dst empty, src reserved", &pool, &pool, 0, 0, 0, 100, 0, 6000 },
	{ "src empty", &pool, &pool, 5000, 64, 0, 0, 0, 0 },
	{ "both empty", &pool, &pool, 0, 0, 0, 0, 0, 0 },
	{ "dst reserved, no byte", &pool, &pool, 0, 0, 5000, 3000, 0, 0 },
	{ "src reserved, no byte", &pool, &pool, 3000, 0, 4000, 0, 0, 5000 },
	{ "one byte each", &pool, &pool, 1, 0, 0, 1, 0, 0 },
	{ "200 then 9000", &p200, &p9000, 3000, 150, 0, 20000, 0, 0 },
	{ "9000 then 200", &p9000, &p200, 20000, 3000, 1000, 3000, 77, 0 },
	{ "2176 then 200", &pool, &p200, 10000, 0, 0, 999, 10, 300 },
};

static void
test_bytes(void **state)
{
	unsigned int base[3], i, before;
	uint32_t room, len, dlen;
	struct hb_buf d, s;

	(void)state;
	pools_base(base);
	for (i = 0; i < RTE_DIM(bcases); i++) {
		const struct bcase *c = &bcases[i];

		hb_test_ctx("%s", c->what);
		hb_test_buf(&d, *c->dpool, pat, c->dlen, c->dpiece);
		assert_int_equal(hb_buf_reserve(&d, c->dres), 0);
		hb_test_buf(&s, *c->spool, pat + c->dlen, c->slen, c->spiece);
		assert_int_equal(hb_buf_reserve(&s, c->sres), 0);
		/*
		 * The room for appends after the join (concat_ok() checks
		 * the model's): src's (its reserved segments follow the
		 * bytes), or dst's when src brings no byte (its segments
		 * are freed) unless dst has no segment (it takes src's).
		 */
		room = c->slen > 0 || hb_buf_nb_segs(&d) == 0 ?
			       hb_model_room(&s) : hb_model_room(&d);
		assert_int_equal(hb_model_concat(&d, &s).room, room);
		concat_ok(&d, &s, pat, c->dlen + c->slen);
		len = c->dlen + c->slen;
		/* The room is there: filling it takes no mbuf. */
		before = in_use();
		assert_int_equal(hb_buf_append(&d, pat + len, room), 0);
		assert_int_equal(in_use(), before);
		len += room;
		assert_int_equal(hb_buf_append(&d, pat + len, 1000), 0);
		len += 1000;
		hb_assert_buf_bytes(&d, pat, len);
		/* src is usable again, on its pool. */
		dlen = 3333;
		assert_int_equal(hb_buf_append(&s, pat + 7, dlen), 0);
		hb_assert_buf_bytes(&s, pat + 7, dlen);
		assert_ptr_equal(hb_buf_pool(&s), *c->spool);
		assert_int_equal(hb_buf_free(&d), 0);
		assert_int_equal(hb_buf_free(&s), 0);
		assert_pools_at(base);
	}
}

/* A join is O(1): a chain of any length goes after another one. */
static void
test_repeated(void **state)
{
	unsigned int base[3], i;
	uint32_t len = 0;
	struct hb_buf msg, pkt;

	(void)state;
	pools_base(base);
	/* Packets joined into one message, as after hb_buf_adj(). */
	assert_int_equal(hb_buf_init(&msg, pool), 0);
	for (i = 0; i < 60; i++) {
		uint32_t n = 1 + (i * 977) % 3000;

		hb_test_ctx("packet %u", i);
		hb_test_buf(&pkt, i & 1 ? p200 : pool, pat + len, n, 0);
		assert_int_equal(hb_buf_prepend(&pkt, "header", 6), 0);
		assert_int_equal(hb_buf_adj(&pkt, 6), 0);
		concat_ok(&msg, &pkt, pat, len + n);
		len += n;
	}
	assert_int_equal(hb_buf_free(&msg), 0);
	assert_pools_at(base);
}

/* ---------------------------------------------------------------------
 * Adopted chains
 */

static void
test_adopted(void **state)
{
	static const uint16_t one[] = { 700 };
	static const uint16_t many[] = { 300, 0, 1500, 8, 0, 900, 0, 0 };
	static const uint16_t lead[] = { 0, 0, 400, 1200 };
	unsigned int base[3], k;

	(void)state;
	pools_base(base);
	/* Each of dst, src: a buffer, or one chain or the other, adopted. */
	for (k = 0; k < 16; k++) {
		static const uint16_t *const ch[] = { one, many, lead };
		static const unsigned int chn[] = { RTE_DIM(one), RTE_DIM(many),
						     RTE_DIM(lead) };
		unsigned int dk = k % 4, sk = k / 4;
		uint32_t dlen = 0, slen = 0, i;
		struct hb_buf d, s;

		hb_test_ctx("dst kind %u, src kind %u", dk, sk);
		if (dk == 3) {
			dlen = 2500;
			hb_test_buf(&d, p200, pat, dlen, 0);
		} else {
			for (i = 0; i < chn[dk]; i++)
				dlen += ch[dk][i];
			assert_int_equal(hb_buf_attach(&d, chain_of(pool, 0,
					 ch[dk], chn[dk])), 0);
			/* Tail unknown until a call needs it. */
			assert_null(d.tail);
		}
		if (sk == 3) {
			slen = 4000;
			hb_test_buf(&s, pool, pat + dlen, slen, 1000);
		} else {
			for (i = 0; i < chn[sk]; i++)
				slen += ch[sk][i];
			assert_int_equal(hb_buf_attach(&s, chain_of(p9000, dlen,
					 ch[sk], chn[sk])), 0);
			assert_null(s.tail);
		}
		concat_ok(&d, &s, pat, dlen + slen);
		assert_int_equal(hb_buf_free(&d), 0);
		assert_int_equal(hb_buf_free(&s), 0);
		assert_pools_at(base);
	}
}

/* An adopted chain found inconsistent by the join: -EINVAL, nothing moved. */
static void
test_adopted_inconsistent(void **state)
{
	static const uint16_t lens[] = { 100, 200, 50 };
	struct rte_mbuf *seg[3], *h;
	struct hb_snap cs, now, sb;
	unsigned int base[3], k, side;
	struct hb_buf b, e;

	(void)state;
	pools_base(base);
	h = chain_of(pool, 0, lens, 3);
	seg[0] = h;
	seg[1] = h->next;
	seg[2] = h->next->next;
	hb_test_buf(&b, pool, pat + 1000, 3000, 700);
	for (k = 0; k < 5; k++) {
		for (side = 0; side < 2; side++) {
			hb_test_ctx("inconsistency %u, adopted as %s", k,
				    side ? "src" : "dst");
			switch (k) {
			case 0: h->nb_segs = 2; break;
			case 1: h->nb_segs = 4; break;
			case 2: h->pkt_len = 349; break;
			case 3: h->pkt_len = 351; break;
			default: seg[2]->next = seg[1]; break; /* a loop */
			}
			assert_int_equal(hb_snap_mbufs(&cs, seg, 3), 0);
			hb_test_snap(&sb, &b, true);
			assert_int_equal(hb_buf_attach(&e, h), 0);
			assert_int_equal(side ? hb_buf_concat(&b, &e) :
						hb_buf_concat(&e, &b), -EINVAL);
			hb_assert_snap(&sb, &b);
			/* Handed back as adopted, the mbufs untouched. */
			assert_ptr_equal(hb_buf_detach(&e), h);
			assert_int_equal(hb_snap_mbufs(&now, seg, 3), 0);
			hb_assert_snap_same(&cs, &now, HB_SNAP_SEGS |
					    HB_SNAP_LAYOUT | HB_SNAP_REFCNT);
			hb_snap_free(&cs);
			hb_snap_free(&now);
			hb_snap_free(&sb);
			h->nb_segs = 3;
			h->pkt_len = 350;
			seg[2]->next = NULL;
		}
	}
	/* Repaired, it joins. */
	memcpy(exp_, pat + 1000, 3000);
	memcpy(exp_ + 3000, pat, 350);
	assert_int_equal(hb_buf_attach(&e, h), 0);
	concat_ok(&b, &e, exp_, 3350);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_pools_at(base);
}

/* ---------------------------------------------------------------------
 * Every kind of segment
 */

#define NEXT 4
#define EXT_LEN 4096

static uint8_t ext_mem[NEXT][EXT_LEN] __rte_cache_aligned;
static struct rte_mbuf_ext_shared_info ext_sh[NEXT];
static unsigned int ext_freed[NEXT];

static void
ext_free(void *addr, void *opaque)
{
	unsigned int i = (unsigned int)(uintptr_t)opaque;

	/* Not a CMocka assertion: DPDK calls this from inside a free. */
	if (i < NEXT && addr == ext_mem[i])
		ext_freed[i]++;
}

/* A segment of @mp on external buffer @i, holding @len bytes of pat. */
static struct rte_mbuf *
ext_seg(struct rte_mempool *mp, unsigned int i, uint32_t off, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	assert_non_null(m);
	ext_sh[i].free_cb = ext_free;
	ext_sh[i].fcb_opaque = (void *)(uintptr_t)i;
	rte_mbuf_ext_refcnt_set(&ext_sh[i], 1);
	ext_freed[i] = 0;
	rte_pktmbuf_attach_extbuf(m, ext_mem[i],
				  (rte_iova_t)(uintptr_t)ext_mem[i], EXT_LEN,
				  &ext_sh[i]);
	m->data_off = 64;
	assert_non_null(rte_pktmbuf_append(m, len));
	memcpy(rte_pktmbuf_mtod(m, void *), pat + off, len);
	return m;
}

/* A direct segment of @mp holding the @len bytes at @data from data_off 0. */
static struct rte_mbuf *
seg0(struct rte_mempool *mp, const void *data, uint16_t len)
{
	static const uint16_t zero;

	return hb_test_chain(mp, data, &len, 1, &zero);
}

/* A direct segment of @mp holding @len bytes of pat from @off. */
static struct rte_mbuf *
direct_seg(struct rte_mempool *mp, uint32_t off, uint16_t len)
{
	return seg0(mp, pat + off, len);
}

/*
 * Detach @b's chain, check every segment (rte_mbuf_check()) and the bytes
 * (@len of @exp), and free it as a PMD would after sending it.
 */
static void
tx_free(struct hb_buf *b, const uint8_t *exp, uint32_t len)
{
	struct rte_mbuf *h = hb_buf_detach(b), *m;

	assert_non_null(h);
	for (m = h; m != NULL; m = m->next)
		hb_assert_mbuf_ok(m, m == h);
	hb_assert_chain_bytes(h, exp, len);
	rte_pktmbuf_free(h);
}

/* An indirect mbuf of clonep on @parent, the only reference left to it. */
static struct rte_mbuf *
indirect_seg(struct rte_mbuf *parent)
{
	struct rte_mbuf *m = rte_pktmbuf_clone(parent, clonep);

	assert_non_null(m);
	rte_pktmbuf_free(parent);
	return m;
}

/* Link @n single segments into a chain. */
static struct rte_mbuf *
link_segs(struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		assert_int_equal(rte_pktmbuf_chain(m[0], m[i]), 0);
	return m[0];
}

/* The bytes expected: @n more of pat from @off at the end of exp_. */
static void
expect(uint32_t *elen, uint32_t off, uint32_t n)
{
	memcpy(exp_ + *elen, pat + off, n);
	*elen += n;
}

/*
 * dst: direct (200), external, indirect on a 9000-byte segment, direct
 * (2176); src1: direct (9000), external buffer 2 twice (its segment and a
 * clone of it), external at the tail (the room after it takes the next
 * bytes); src2: the tail of a split, an indirect made by the split at its
 * head. Checked, appended to, then handed on and freed as a PMD would
 * (@detach) or freed by the buffer: each external buffer freed once.
 */
static void
kinds_once(bool detach)
{
	struct rte_mbuf *m[4];
	unsigned int base[3], i, before;
	uint32_t off = 0, elen = 0, cut = 2011;
	struct hb_buf d, s1, s2, b;

	pools_base(base);
	m[0] = direct_seg(p200, off, 150);
	m[1] = ext_seg(pool, 0, off + 150, 3000);
	m[2] = indirect_seg(direct_seg(p9000, off + 3150, 8000));
	m[3] = direct_seg(pool, off + 11150, 1000);
	assert_int_equal(hb_buf_attach(&d, link_segs(m, 4)), 0);
	expect(&elen, off, 12150);
	off += 12150;

	m[0] = direct_seg(p9000, off, 7000);
	m[1] = ext_seg(p9000, 2, off + 7000, 500);
	m[2] = rte_pktmbuf_clone(m[1], clonep);
	assert_non_null(m[2]);
	m[3] = ext_seg(p200, 1, off + 7500, 2000);
	assert_int_equal(hb_buf_attach(&s1, link_segs(m, 4)), 0);
	expect(&elen, off, 7500);
	expect(&elen, off + 7000, 500);
	expect(&elen, off + 7500, 2000);
	off += 9500;

	/* A split inside a segment: the tail's head is indirect. */
	hb_test_buf(&b, pool, pat + off, 20000, 0);
	assert_int_equal(hb_buf_split(&b, cut, &s2), 0);
	assert_true(RTE_MBUF_CLONED(s2.head));

	concat_ok(&d, &s1, exp_, elen);
	/* An exclusive external tail: its room takes bytes, no mbuf. */
	before = in_use();
	assert_int_equal(hb_buf_append(&d, pat + 5, 1000), 0);
	assert_int_equal(in_use(), before);
	expect(&elen, 5, 1000);
	expect(&elen, off + cut, 20000 - cut);
	concat_ok(&d, &s2, exp_, elen);
	assert_int_equal(hb_buf_append(&d, pat, 5000), 0);
	expect(&elen, 0, 5000);
	hb_assert_buf_bytes(&d, exp_, elen);
	/* The head that stayed behind, then dst without it. */
	hb_assert_buf_bytes(&b, pat + off, cut);
	assert_int_equal(hb_buf_free(&b), 0);
	hb_assert_buf_bytes(&d, exp_, elen);
	for (i = 0; i < 3; i++)
		assert_int_equal(ext_freed[i], 0);

	if (detach)
		tx_free(&d, exp_, elen);
	else
		assert_int_equal(hb_buf_free(&d), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ext_freed[i], 1);
	assert_pools_at(base);
}

static void
test_seg_kinds(void **state)
{
	(void)state;
	kinds_once(true);
	kinds_once(false);
}

/* ---------------------------------------------------------------------
 * Metadata, cursors, the segment index
 */

/* A packet type of its own for each port of the test. */
static uint32_t
ptype(uint16_t port)
{
	return RTE_PTYPE_L2_ETHER |
	       (port & 1 ? RTE_PTYPE_L3_IPV4 : RTE_PTYPE_L3_IPV6) |
	       (port & 2 ? RTE_PTYPE_L4_UDP : RTE_PTYPE_L4_TCP);
}

static void
meta_set(struct rte_mbuf *m, uint16_t port)
{
	m->port = port;
	m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_VLAN;
	m->packet_type = ptype(port);
	m->hash.rss = 0x1000u + port;
	m->vlan_tci = port;
}

static void
meta_check(const struct rte_mbuf *m, uint16_t port)
{
	assert_int_equal(m->port, port);
	assert_true(m->ol_flags & RTE_MBUF_F_RX_RSS_HASH);
	assert_true(m->ol_flags & RTE_MBUF_F_RX_VLAN);
	assert_int_equal(m->packet_type, ptype(port));
	assert_int_equal(m->hash.rss, 0x1000u + port);
	assert_int_equal(m->vlan_tci, port);
}

static void
test_metadata(void **state)
{
	static const uint16_t lens[] = { 500, 600 };
	unsigned int base[3];
	struct hb_buf d, s;
	struct rte_mbuf *h;

	(void)state;
	pools_base(base);
	/* dst's head keeps its metadata; src's head loses its role. */
	h = chain_of(pool, 0, lens, 2);
	meta_set(h, 3);
	assert_int_equal(hb_buf_attach(&d, h), 0);
	h = chain_of(p9000, 1100, lens, 2);
	meta_set(h, 9);
	assert_int_equal(hb_buf_attach(&s, h), 0);
	concat_ok(&d, &s, pat, 2200);
	h = hb_buf_detach(&d);
	meta_check(h, 3);
	hb_assert_mbuf_ok(h, 1);
	assert_int_equal(hb_buf_attach(&d, h), 0);

	/* dst reserved, no byte: its own (empty) head stays, and its data. */
	assert_int_equal(hb_buf_init(&s, pool), 0);
	assert_int_equal(hb_buf_reserve(&s, 100), 0);
	meta_set(s.head, 5);
	concat_ok(&s, &d, pat, 2200);
	meta_check(s.head, 5);
	assert_int_equal(s.head->data_len, 0);

	/* dst without a segment: it takes src whole, src's head included. */
	assert_int_equal(hb_buf_init(&d, pool), 0);
	concat_ok(&d, &s, pat, 2200);
	meta_check(d.head, 5);
	assert_int_equal(hb_buf_free(&d), 0);
	assert_pools_at(base);
}

/* Read the rest of cursor @c (at @off) as the @len bytes of @exp say. */
static void
cursor_rest(struct hb_cursor *c, uint32_t off, const uint8_t *exp,
	    uint32_t len)
{
	uint64_t v = 0;

	assert_int_equal(hb_cursor_offset(c), off);
	assert_int_equal(hb_cursor_remaining(c), len - off);
	if (len - off >= 8) {
		assert_int_equal(hb_cursor_peek_be64(c, &v), 0);
		assert_int_equal(v, hb_int_decode(exp + off, HB_INT_BE64));
	}
	assert_int_equal(hb_cursor_read(c, out, len - off), 0);
	assert_memory_equal(out, exp + off, len - off);
	assert_int_equal(hb_cursor_read(c, out, 1), -ENODATA);
}

static void
test_cursors(void **state)
{
	static const uint32_t at[] = { 0, 1, 1234, 2047, 2048, 4999, 5000 };
	struct hb_cursor c[RTE_DIM(at)], sc[2];
	unsigned int base[3], i, k;
	struct hb_buf d, s;
	struct hb_snap ss;
	uint64_t v;

	(void)state;
	pools_base(base);
	for (k = 0; k < 4; k++) {
		/* src: built, adopted, reserved only, nothing. */
		uint32_t slen = k < 2 ? 7000 : 0;

		hb_test_ctx("src kind %u", k);
		hb_test_buf(&d, pool, pat, 5000, 333);
		if (k == 1) {
			static const uint16_t lens[] = { 3000, 4000 };

			assert_int_equal(hb_buf_attach(&s, chain_of(p9000,
					 5000, lens, 2)), 0);
		} else {
			hb_test_buf(&s, p200, pat + 5000, slen, 1000);
		}
		if (k == 2)
			assert_int_equal(hb_buf_reserve(&s, 500), 0);
		for (i = 0; i < RTE_DIM(at); i++) {
			assert_int_equal(hb_cursor_init(&c[i], &d, at[i]), 0);
			/* Some have read a little already. */
			if (i & 1 && at[i] < 5000)
				assert_int_equal(hb_cursor_get_u8(&c[i],
						 (uint8_t *)&v), 0);
		}
		assert_int_equal(hb_cursor_init(&sc[0], &s, 0), 0);
		assert_int_equal(hb_cursor_init(&sc[1], &s, slen), 0);
		concat_ok(&d, &s, pat, 5000 + slen);
		/* Across the join: every dst cursor reads on into src's. */
		for (i = 0; i < RTE_DIM(at); i++)
			cursor_rest(&c[i], at[i] + (i & 1 && at[i] < 5000),
				    pat, 5000 + slen);
		/* src's cursors: stale, when it held segments. */
		if (k < 3) {
			hb_test_snap(&ss, &s, true);
			for (i = 0; i < RTE_DIM(sc); i++)
				hb_assert_cursor_fails(&ss, &s, &sc[i], 1,
						       ESTALE);
			hb_snap_free(&ss);
		} else {
			assert_int_equal(hb_cursor_remaining(&sc[0]), 0);
		}
		assert_int_equal(hb_buf_free(&d), 0);
		assert_int_equal(hb_buf_free(&s), 0);
		assert_pools_at(base);
	}

	/* An empty dst takes src whole: its cursor at 0 reads it all. */
	assert_int_equal(hb_buf_init(&d, pool), 0);
	hb_test_buf(&s, pool, pat, 9000, 0);
	assert_int_equal(hb_cursor_init(&c[0], &d, 0), 0);
	assert_int_equal(hb_cursor_init(&sc[0], &s, 10), 0);
	concat_ok(&d, &s, pat, 9000);
	cursor_rest(&c[0], 0, pat, 9000);
	hb_test_snap(&ss, &s, true);
	hb_assert_cursor_fails(&ss, &s, &sc[0], 1, ESTALE);
	hb_snap_free(&ss);
	assert_int_equal(hb_buf_free(&d), 0);
	assert_pools_at(base);
}

/* @n segments of 50..349 bytes of pat from @off, adopted into @b. */
static uint32_t
long_chain(struct hb_buf *b, struct rte_mempool *mp, uint32_t off,
	   unsigned int n, uint64_t *rs)
{
	uint16_t lens[64];
	uint32_t len = 0;
	unsigned int i;

	assert_true(n <= RTE_DIM(lens));
	for (i = 0; i < n; i++) {
		lens[i] = (uint16_t)(50 + hb_test_rand(rs) % 300);
		len += lens[i];
	}
	assert_int_equal(hb_buf_attach(b, chain_of(mp, off, lens, n)), 0);
	return len;
}

/* Random reads (spanning segments too) of @b, holding pat from @base. */
static void
random_reads(const struct hb_buf *b, uint32_t base, unsigned int n,
	     uint64_t *rs)
{
	uint32_t blen = hb_buf_len(b);
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t off = (uint32_t)(hb_test_rand(rs) % blen);
		uint32_t len = (uint32_t)(hb_test_rand(rs) % 700);

		len = RTE_MIN(len, blen - off);
		hb_assert_read(b, off, pat + base + off, len);
	}
}

static void
test_index(void **state)
{
	struct rte_malloc_socket_stats ms0, ms1;
	uint64_t seed = hb_test_seed(), rs;
	unsigned int base[3];
	struct hb_buf d, s;
	uint32_t dlen, slen, len;

	(void)state;
	printf("seed=%#llx (HB_TEST_SEED to replay)\n",
	       (unsigned long long)seed);
	rs = seed;
	pools_base(base);
	assert_int_equal(rte_malloc_get_socket_stats(rte_socket_id(), &ms0), 0);
	/* Both long: random reads build their segment indexes. */
	dlen = long_chain(&d, pool, 0, 40, &rs);
	slen = long_chain(&s, p9000, dlen, 30, &rs);
	random_reads(&d, 0, 300, &rs);
	random_reads(&s, dlen, 300, &rs);
	assert_non_null(d.idx);
	assert_non_null(s.idx);
	hb_assert_buf_ok(&d);
	concat_ok(&d, &s, pat, dlen + slen);
	/* src's index went with its segments. */
	assert_null(s.idx);
	len = dlen + slen;
	random_reads(&d, 0, 2000, &rs);
	hb_assert_buf_ok(&d);
	/* Appends keep the index up to date, a trim cuts it. */
	assert_int_equal(hb_buf_append(&d, pat + len, 30000), 0);
	len += 30000;
	random_reads(&d, 0, 500, &rs);
	assert_int_equal(hb_buf_trim(&d, slen + 30000 - 77), 0);
	len = dlen + 77;
	random_reads(&d, 0, 500, &rs);
	hb_assert_buf_bytes(&d, pat, len);
	assert_int_equal(hb_buf_free(&d), 0);
	/* Every index freed. */
	assert_int_equal(rte_malloc_get_socket_stats(rte_socket_id(), &ms1), 0);
	assert_int_equal(ms1.alloc_count, ms0.alloc_count);
	assert_pools_at(base);
}

/* ---------------------------------------------------------------------
 * Errors: nothing changes on either side
 */

static void
test_errors(void **state)
{
	struct hb_buf d, s, ub;
	unsigned int base[3], side;
	uint32_t xlen;
	struct hb_visitor v;
	struct hb_writer w;
	struct hb_snap sn;

	(void)state;
	pools_base(base);
	hb_test_buf(&d, pool, pat, 3000, 1000);
	hb_test_buf(&s, p200, pat + 3000, 2000, 0);

	/* NULL, not initialised (zeros, garbage), the same buffer. */
	hb_test_snap(&sn, &d, true);
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&d, NULL), -EINVAL);
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(NULL, &d), -EINVAL);
	assert_int_equal(hb_buf_concat(NULL, NULL), -EINVAL);
	memset(&ub, 0, sizeof(ub));
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&d, &ub), -EINVAL);
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&ub, &d), -EINVAL);
	memset(&ub, 0x5a, sizeof(ub));
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&d, &ub), -EINVAL);
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&ub, &d), -EINVAL);
	hb_assert_rc_snap(&sn, &d, hb_buf_concat(&d, &d), -EINVAL);
	hb_snap_free(&sn);
	assert_int_equal(hb_buf_init(&ub, pool), 0);
	assert_int_equal(hb_buf_concat(&ub, &ub), -EINVAL);

	for (side = 0; side < 2; side++) {
		struct hb_buf *x = side ? &s : &d;

		hb_test_ctx("on %s", side ? "src" : "dst");
		/* Shared. */
		assert_int_equal(hb_buf_share(x), 0);
		concat_fails(&d, &s, -EPERM);
		assert_int_equal(hb_buf_unshare(x), 0);
		/* A read visitor, a write visitor, a growing one, a writer. */
		assert_int_equal(hb_visit_read(x, 10, 100, &v), 0);
		concat_fails(&d, &s, -EBUSY);
		assert_int_equal(hb_visit_release(&v), 0);
		/* Growing by 90 bytes (of pat: the bytes stay pat's). */
		xlen = hb_buf_len(x);
		assert_int_equal(hb_visit_write(x, xlen - 10, 100, 90, &v), 0);
		memcpy(v.ptr, pat + (side ? 3000 : 0) + xlen - 10, 100);
		concat_fails(&d, &s, -EBUSY);
		assert_int_equal(hb_visit_release(&v), 0);
		assert_int_equal(hb_buf_trim(x, 90), 0);
		/* A writer, bytes pending in it (not in the chain yet). */
		assert_int_equal(hb_writer_begin(&w, x), 0);
		assert_int_equal(hb_writer_append(&w, pat, 10), 0);
		concat_fails(&d, &s, -EBUSY);
		assert_int_equal(hb_writer_end(&w), 0);
		assert_int_equal(hb_buf_trim(x, 10), 0);
		/* Two reads: still busy until both go. */
		assert_int_equal(hb_visit_read(x, 0, 10, &v), 0);
		{
			struct hb_visitor v2;

			assert_int_equal(hb_visit_read(x, 5, 10, &v2), 0);
			concat_fails(&d, &s, -EBUSY);
			assert_int_equal(hb_visit_release(&v2), 0);
		}
		concat_fails(&d, &s, -EBUSY);
		assert_int_equal(hb_visit_release(&v), 0);
	}
	/* Both idle again: the join works. */
	concat_ok(&d, &s, pat, 5000);
	assert_int_equal(hb_buf_free(&d), 0);
	assert_pools_at(base);
}

/* ---------------------------------------------------------------------
 * Limits
 */

/*
 * @n segments of @mp holding one byte each (pat from @off), then @empty
 * empty ones: a chain linked by hand (O(n), rte_pktmbuf_chain() is O(n)
 * a call), adopted into @b (trailing empty segments are reserved ones).
 */
static void
ones(struct hb_buf *b, struct rte_mempool *mp, uint32_t off, uint32_t n,
     uint32_t empty)
{
	struct rte_mbuf *h = NULL, *prev = NULL, *m;
	uint32_t i;

	for (i = 0; i < n + empty; i++) {
		m = rte_pktmbuf_alloc(mp);
		assert_non_null(m);
		m->data_off = 0;
		if (i < n) {
			*rte_pktmbuf_mtod(m, uint8_t *) =
				pat[(off + i) % PAT_LEN];
			m->data_len = 1;
		}
		if (prev == NULL)
			h = m;
		else
			prev->next = m;
		prev = m;
	}
	h->nb_segs = (uint16_t)(n + empty);
	h->pkt_len = n;
	assert_int_equal(hb_buf_attach(b, h), 0);
}

/*
 * The segment limit, with one-byte segments: 40000 and 30000 segments do
 * not join, 40000 and 25535 do (RTE_MBUF_MAX_NB_SEGS); dst's reserved
 * segments do not count, as the join frees them.
 */
static void
test_limit_segs(void **state)
{
	const uint32_t max = RTE_MBUF_MAX_NB_SEGS, dn = 40000;
	struct rte_mempool *tiny;
	unsigned int base[3];
	struct hb_buf d, s;

	(void)state;
	pools_base(base);
	tiny = hb_test_pool("cc_tiny", 72000, 8);
	extra = tiny;
	ones(&d, tiny, 0, dn, 0);
	ones(&s, tiny, dn, 30000, 0);
	concat_fails(&d, &s, -E2BIG);
	concat_fails(&s, &d, -E2BIG);
	/* One segment past the limit, then exactly at it. */
	assert_int_equal(hb_buf_trim(&s, 30000 - (max - dn) - 1), 0);
	concat_fails(&d, &s, -E2BIG);
	assert_int_equal(hb_buf_trim(&s, 1), 0);
	concat_ok(&d, &s, pat, max);
	assert_int_equal(hb_buf_nb_segs(&d), max);
	assert_int_equal(hb_buf_free(&d), 0);

	/* dst with 10 reserved segments: they go, so max fits again. */
	ones(&d, tiny, 0, dn, 10);
	ones(&s, tiny, dn, max - dn + 1, 0);
	assert_int_equal(hb_buf_nb_segs(&d), dn + 10);
	concat_fails(&d, &s, -E2BIG);
	assert_int_equal(hb_buf_trim(&s, 1), 0);
	concat_ok(&d, &s, pat, max);
	assert_int_equal(hb_buf_nb_segs(&d), max);
	assert_int_equal(hb_buf_free(&d), 0);
	hb_assert_pool_at(tiny, 0);
	extra = NULL;
	rte_mempool_free(tiny);
	assert_pools_at(base);
}

/*
 * A src holding segments but no byte (hb_buf_reserve() on an empty
 * buffer), joined to a dst at the segment limit: nothing is linked (src's
 * segments are freed, the joined chain is dst's), so the join must
 * succeed (hb_buf.h: -E2BIG only when "the joined chain would pass
 * RTE_MBUF_MAX_NB_SEGS segments"; src "may be empty").
 */
static void
test_limit_empty_src(void **state)
{
	const uint32_t max = RTE_MBUF_MAX_NB_SEGS;
	struct rte_mempool *tiny;
	unsigned int base[3];
	struct hb_buf d, s;

	(void)state;
	pools_base(base);
	tiny = hb_test_pool("cc_tiny", max + 16, 8);
	extra = tiny;
	ones(&d, tiny, 0, max, 0);
	assert_int_equal(hb_buf_init(&s, tiny), 0);
	assert_int_equal(hb_buf_reserve(&s, 1), 0);
	assert_int_equal(hb_buf_nb_segs(&s), 1);
	assert_false(hb_model_concat(&d, &s).too_big);
	concat_ok(&d, &s, pat, max);
	assert_int_equal(hb_buf_free(&d), 0);
	hb_assert_pool_at(tiny, 0);
	extra = NULL;
	rte_mempool_free(tiny);
	assert_pools_at(base);
}

/*
 * The length limit. A segment holds at most 65535 bytes (data_len is 16
 * bits) and a joined chain at most RTE_MBUF_MAX_NB_SEGS (65535) segments:
 * 65535 * 65535 = 4294836225 < UINT32_MAX. So a join past UINT32_MAX
 * bytes always passes the segment limit too, and the length check cannot
 * be seen failing alone. Here both hold, on chains of clones of two
 * 65535-byte segments (over 4 GiB of logical length in about 15 MB of
 * mbufs): -E2BIG, nothing changed. Then the longest join there can be:
 * 65535 segments, 4294836225 bytes, read at the join and at the end.
 */
#define BIG_SEG UINT16_MAX

static uint8_t big_pat[2][BIG_SEG];

/* @n segments of @n clones of @d (its own first), adopted into @b. */
static void
clones(struct hb_buf *b, struct rte_mempool *clp, struct rte_mbuf *d,
       uint32_t n)
{
	struct rte_mbuf *prev = d, *m;
	uint32_t i;

	for (i = 1; i < n; i++) {
		m = rte_pktmbuf_alloc(clp);
		assert_non_null(m);
		rte_pktmbuf_attach(m, d);
		prev->next = m;
		prev = m;
	}
	d->nb_segs = (uint16_t)n;
	d->pkt_len = n * BIG_SEG;
	assert_int_equal(hb_buf_attach(b, d), 0);
}

/* @len bytes at @off of a buffer of dst's segments then src's. */
static void
big_read(const struct hb_buf *b, uint32_t dlen, uint32_t off, uint32_t len)
{
	uint32_t i;

	assert_int_equal(hb_buf_read(b, off, out, len), 0);
	for (i = 0; i < len; i++) {
		uint32_t x = off + i;
		uint8_t e = x < dlen ? big_pat[0][x % BIG_SEG] :
				       big_pat[1][(x - dlen) % BIG_SEG];

		if (out[i] != e)
			fail_msg("byte %u: %#x, expected %#x", x, out[i], e);
	}
}

static void
test_limit_len(void **state)
{
	const uint32_t max = RTE_MBUF_MAX_NB_SEGS, dn = 40000;
	const uint32_t dlen = dn * BIG_SEG;
	struct rte_mempool *bigp, *clp;
	struct rte_mbuf *seg[2];
	unsigned int base[3], i;
	struct hb_buf d, s;

	(void)state;
	pools_base(base);
	bigp = hb_test_pool("cc_big", 2, BIG_SEG);
	clp = rte_pktmbuf_pool_create("cc_bigclone", 70100, 0, 0, 0,
				      SOCKET_ID_ANY);
	assert_non_null(clp);
	for (i = 0; i < 2; i++) {
		hb_test_pattern(big_pat[i], BIG_SEG, 50 + i);
		seg[i] = seg0(bigp, big_pat[i], BIG_SEG);
	}
	clones(&d, clp, seg[0], dn);
	clones(&s, clp, seg[1], 30000);
	assert_true((uint64_t)hb_buf_len(&d) + hb_buf_len(&s) > UINT32_MAX);
	concat_fails(&d, &s, -E2BIG);
	concat_fails(&s, &d, -E2BIG);
	big_read(&d, dlen, dlen - 10, 10);

	assert_int_equal(hb_buf_trim(&s, (30000 - (max - dn)) * BIG_SEG), 0);
	assert_int_equal(hb_buf_concat(&d, &s), 0);
	hb_assert_buf_ok(&d);
	hb_assert_buf_ok(&s);
	assert_int_equal(hb_buf_len(&s), 0);
	assert_int_equal(hb_buf_nb_segs(&d), max);
	assert_int_equal(hb_buf_len(&d), max * BIG_SEG);
	big_read(&d, dlen, dlen - 1000, 2000);
	big_read(&d, dlen, max * BIG_SEG - 3000, 3000);
	assert_int_equal(hb_buf_free(&d), 0);
	hb_assert_pool_at(clp, 0);
	hb_assert_pool_at(bigp, 0);
	rte_mempool_free(clp);
	rte_mempool_free(bigp);
	assert_pools_at(base);
}

/* ---------------------------------------------------------------------
 * Growth classes
 */

/* Does a segment of @b come from a growth class (larger than its pool's)? */
static unsigned int
class_segs(const struct hb_buf *b)
{
	uint32_t own = rte_pktmbuf_data_room_size(hb_buf_pool(b));
	const struct rte_mbuf *m;
	unsigned int n = 0;

	for (m = b->head; m != NULL; m = m->next)
		n += m->buf_len > own;
	return n;
}

static void
test_growth_classes(void **state)
{
	unsigned int base[3], before;
	struct hb_buf d, s, t;
	struct hb_need nd;
	uint32_t len;

	(void)state;
	pools_base(base);
	/* Grown by small appends: every class, and the 65535-byte one. */
	hb_test_buf(&d, pool, pat, 300000, 100);
	hb_test_buf(&s, p200, pat + 300000, 150000, 1000);
	assert_int_equal(hb_buf_reserve(&d, 100000), 0);
	assert_int_equal(hb_buf_reserve(&s, 100000), 0);
	if (growth) {
		assert_true(class_segs(&d) >= 6);
		assert_true(class_segs(&s) >= 6);
		assert_true(hb_growth_in_use() > 0);
	} else {
		assert_int_equal(class_segs(&d) + class_segs(&s), 0);
	}
	concat_ok(&d, &s, pat, 450000);
	len = 450000;
	/* dst grows on from its capacity, as the model says. */
	for (; len < 900000; len += 20000) {
		nd = hb_model_need_append(&d, 20000);
		before = in_use();
		assert_int_equal(hb_buf_append(&d, pat + len, 20000), 0);
		/* The default classes' pools are far from dry. */
		assert_int_equal(in_use() - before, nd.lo);
	}
	hb_assert_buf_bytes(&d, pat, len);
	/* Cut inside a class segment, joined back. */
	assert_int_equal(hb_buf_split(&d, 333333, &t), 0);
	concat_ok(&d, &t, pat, len);
	tx_free(&d, pat, len);
	assert_int_equal(hb_buf_free(&s), 0);
	assert_pools_at(base);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bytes, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_repeated, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_adopted, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_adopted_inconsistent,
					  hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_seg_kinds, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_metadata, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_cursors, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_index, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_errors, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_limit_segs,
					  hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_limit_empty_src,
					  hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_limit_len, hb_test_ctx_teardown),
		cmocka_unit_test_teardown(test_growth_classes,
					  hb_test_ctx_teardown),
	};
	int rc, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--growth") == 0)
			growth = true;
	}
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	hb_test_pattern(pat, sizeof(pat), 41);
	pool = hb_test_pool("cc_pool", 4096, 0);
	p200 = hb_test_pool("cc_p200", 2048, 200);
	p9000 = hb_test_pool("cc_p9000", 256, 9000);
	clonep = rte_pktmbuf_pool_create("cc_clone", 1024, 0, 0, 0,
					 SOCKET_ID_ANY);
	if (clonep == NULL)
		return 1;
	if (growth) {
		hb_test_growth_on(0);
		hb_test_growth_warm(pool);
	}
	printf("growth policy %s\n", growth ? "on" : "off");
	if (getenv("HB_TEST_FILTER") != NULL)
		cmocka_set_test_filter(getenv("HB_TEST_FILTER"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	hb_test_teardown();
	return rc;
}
