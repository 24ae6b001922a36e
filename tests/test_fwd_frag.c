/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd's frag and reasm per-packet code (app/hb-fwd/fwd_frag.h, the
 * HyperBuf engine, and fwd_frag_raw.h, librte_ip_frag) on pools that fail
 * on demand (tests/hb_fault.h, cache size 0), and the reassembly table's
 * rules with a TSC the test sets (time-outs without waiting).
 *
 * frag: for packets of one segment, of five (jumbo), with headers split
 * over segments and with IPv4 options, each engine cuts the packet once to
 * count its allocation points on the packet's pool and on the fragment
 * pool, then on a fresh packet each time the k-th allocation of either
 * pool fails: the verdict must be no_mbuf, the fragments made so far are
 * freed, and once the packet is freed both pools are back at their
 * baseline (nothing leaked). Failing one call later, the cut succeeds and
 * gives the same bytes as the counting run; both engines give the same
 * bytes.
 *
 * reasm: the HyperBuf engine takes no mbuf (a failure armed on the pool
 * stays armed through a whole datagram); the raw engine's pullup of a
 * split header fails cleanly. The table: a duplicate is dropped alone and
 * the datagram completes; an overlap drops the datagram; a datagram not
 * complete within the time-out is dropped at the next burst; a full table
 * drops its oldest datagram; the mbufs held stay within the bound (the
 * oldest go); a flush drops everything; drops are counted per owner; the
 * raw engine's time-out and its protocol-less key and 8-fragment limit.
 * Every test ends with the pools back at their baseline.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "hb_test.h"
#include "hb_fault.h"
#include "fwd_frag.h"
#include "fwd_frag_raw.h"

#define NMBUF 512
#define FRAME_MAX 9100
#define OUT_MAX 64

static struct rte_mempool *mp192;  /* packets, headers split */
static struct rte_mempool *mp2176; /* packets, default room */
static struct rte_mempool *mpf;	   /* fragments (hb-fwd's fragment pool) */

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Ethernet + IPv4 (valid checksum, @ihl 32-bit words, options a router
 * alert and a timestamp) + payload: @len bytes.
 */
static void
mk_dgram(uint8_t *f, uint32_t len, uint16_t id, uint8_t proto,
	 unsigned int ihl, uint16_t frag)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
	static const uint8_t opts[] = { 0x94, 4, 0, 0, 1, 0x44, 12, 5,
					0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

	hb_test_pattern(f, len, id);
	f[0] = 0x02;
	f[6] = 0x02;
	put16(f + 12, 0x0800);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = (uint8_t)(0x40 | ihl);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = RTE_BE32(0x0a000001);
	ip->dst_addr = RTE_BE32(0x0a000002);
	memcpy(f + 34, opts, (ihl - 5) * 4);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* A fragment of datagram @d (plain header): payload [off, off + n). */
static uint32_t
mk_frag(uint8_t *f, const uint8_t *d, uint32_t off, uint32_t n, bool mf)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

	memcpy(f, d, 34);
	memcpy(f + 34, d + 34 + off, n);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + n));
	ip->fragment_offset = rte_cpu_to_be_16((uint16_t)(off / 8 |
					       (mf ? RTE_IPV4_HDR_MF_FLAG : 0)));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return 34 + n;
}

/* @len bytes of @f in segments of at most @seg bytes from @mp. */
static struct rte_mbuf *
chain(struct rte_mempool *mp, const uint8_t *f, uint32_t len, uint32_t seg)
{
	uint16_t lens[256];
	unsigned int n = 0;
	uint32_t off;

	for (off = 0; off < len; off += lens[n++])
		lens[n] = (uint16_t)RTE_MIN(seg, len - off);
	return hb_test_chain(mp, f, lens, n, NULL);
}

static void
fstats(struct rte_mempool *mp, struct hb_fault_stats *st)
{
	assert_int_equal(hb_fault_stats(mp, st), 0);
}

/* Flatten @n fragments into @dst (their bytes one after the other). */
static uint32_t
flatten(struct rte_mbuf **out, uint32_t n, uint8_t *dst)
{
	const struct rte_mbuf *s;
	uint32_t i, len = 0;

	for (i = 0; i < n; i++) {
		hb_assert_mbuf_ok(out[i], 1);
		for (s = out[i]; s != NULL; s = s->next) {
			memcpy(dst + len, rte_pktmbuf_mtod(s, const void *),
			       s->data_len);
			len += s->data_len;
		}
	}
	return len;
}

/* ---------------------------------------------------------------------
 * frag
 */

struct frag_case {
	const char *name;
	uint32_t len;	  /* frame */
	unsigned int ihl;
	uint32_t seg;	  /* bytes per segment */
	struct rte_mempool **mp;
	uint16_t mtu;
	uint32_t nfrags;  /* fragments expected */
};

static const struct frag_case frag_cases[] = {
	{ "1500 bytes to MTU 576", 1514, 5, 2048, &mp2176, 576, 3 },
	{ "9000 bytes in 5 segments to MTU 1500", 9014, 5, 2048, &mp2176,
	  1500, 7 },
	{ "3000 bytes, headers split, to MTU 576", 3014, 5, 20, &mp192, 576,
	  6 },
	{ "options, to MTU 576", 2054, 10, 2048, &mp2176, 576, 4 },
};

enum { ENG_HB, ENG_RAW };

static uint8_t frame[FRAME_MAX];
static uint8_t ref[2][FRAME_MAX * 2];
static uint32_t ref_len[2];
static uint8_t got[FRAME_MAX * 2];

/*
 * Cut a fresh packet with engine @eng; @fail: the pool to fail in and
 * the call (-1: none). Returns the verdict; the fragments' bytes in got[]
 * (their number in *n); everything freed.
 */
static int
frag_run(const struct frag_case *fc, int eng, struct rte_mempool *fail,
	 int call, uint32_t *n, uint32_t *glen, bool *fired)
{
	struct rte_mbuf *out[OUT_MAX], *m;
	struct fwd_visit_count vc = { 0, 0 };
	struct hb_fault_stats st0, st1;
	struct fwd_pctx c;
	struct hb_buf b;
	int r;

	memset(&c, 0, sizeof(c));
	c.mtu = fc->mtu;
	c.mp = *fc->mp;
	c.mp_frag = mpf;
	m = chain(*fc->mp, frame, fc->len, fc->seg);
	if (fail != NULL) {
		fstats(fail, &st0);
		if (call >= 0)
			assert_int_equal(hb_fault_fail_call(fail, (uint64_t)call),
					 0);
	}
	*n = 0;
	if (eng == ENG_HB) {
		assert_int_equal(hb_buf_attach(&b, m), 0);
		r = fwd_frag(&b, &c, &vc, out, n);
		m = hb_buf_nb_segs(&b) != 0 ? hb_buf_detach(&b) : NULL;
	} else {
		r = fwd_raw_frag(&m, &c, out, n);
	}
	if (fail != NULL) {
		fstats(fail, &st1);
		*fired = st1.failed != st0.failed;
		hb_fault_disarm(fail);
	}
	*glen = r == FWD_PASS ? flatten(out, *n, got) : 0;
	if (*n != 0)
		rte_pktmbuf_free_bulk(out, *n);
	if (m != NULL)
		rte_pktmbuf_free(m);
	return r;
}

static void
test_frag_fault(void **state)
{
	const struct frag_case *fc = *state;
	struct rte_mempool *pools[2] = { *fc->mp, mpf };
	struct hb_fault_stats st0, st1;
	unsigned int base[2], p;
	uint32_t n, glen, calls;
	int eng, k, r;
	bool fired;

	mk_dgram(frame, fc->len, 77, IPPROTO_UDP, fc->ihl, 0);
	base[0] = rte_mempool_in_use_count(pools[0]);
	base[1] = rte_mempool_in_use_count(pools[1]);
	for (eng = ENG_HB; eng <= ENG_RAW; eng++) {
		hb_test_ctx("%s, %s engine, counting run", fc->name,
			    eng == ENG_HB ? "hyperbuf" : "raw");
		r = frag_run(fc, eng, NULL, -1, &n, &glen, &fired);
		assert_int_equal(r, FWD_PASS);
		assert_int_equal(n, fc->nfrags);
		memcpy(ref[eng], got, glen);
		ref_len[eng] = glen;
		hb_assert_pool_at(pools[0], base[0]);
		hb_assert_pool_at(pools[1], base[1]);
		for (p = 0; p < 2; p++) {
			/* Its allocation points on pool p. */
			fstats(pools[p], &st0);
			r = frag_run(fc, eng, NULL, -1, &n, &glen, &fired);
			fstats(pools[p], &st1);
			calls = (uint32_t)(st1.calls - st0.calls);
			/* Packets come from pool 0: its own mbufs counted. */
			if (p == 0)
				calls -= (fc->len + fc->seg - 1) / fc->seg;
			for (k = 0; k <= (int)calls; k++) {
				hb_test_ctx("%s, %s engine, pool %u, call %d of %u",
					    fc->name, eng == ENG_HB ?
					    "hyperbuf" : "raw", p, k, calls);
				/* Armed once the packet is built. */
				r = frag_run(fc, eng, pools[p], k, &n, &glen,
					     &fired);
				if (k < (int)calls) {
					assert_int_equal(r, FWD_DROP_NO_MBUF);
					assert_true(fired);
				} else {
					assert_int_equal(r, FWD_PASS);
					assert_int_equal(glen, ref_len[eng]);
					assert_memory_equal(got, ref[eng], glen);
				}
				assert_int_equal(rte_mempool_in_use_count(pools[0]),
						 base[0]);
				hb_assert_pool_at(pools[1], base[1]);
			}
		}
	}
	/* Both engines: the same fragments. */
	assert_int_equal(ref_len[ENG_HB], ref_len[ENG_RAW]);
	assert_memory_equal(ref[ENG_HB], ref[ENG_RAW], ref_len[ENG_HB]);
}

/* ---------------------------------------------------------------------
 * reasm
 */

static uint8_t dg[4][FRAME_MAX];
static uint8_t fr[16][FRAME_MAX];
static uint32_t fr_len[16];

/* Datagram @d (@len bytes) cut into pieces of @piece payload bytes. */
static unsigned int
cut(const uint8_t *d, uint32_t len, uint32_t piece, unsigned int first)
{
	uint32_t plen = len - 34, off;
	unsigned int i = first;

	for (off = 0; off < plen; off += piece, i++)
		fr_len[i] = mk_frag(fr[i], d, off, RTE_MIN(piece, plen - off),
				    off + piece < plen);
	return i - first;
}

/* One fragment through the HyperBuf engine: verdict, *out if passed. */
static int
hb_in(struct fwd_reasm *t, unsigned int i, uint64_t now, uint32_t owner,
      struct rte_mempool *mp, uint32_t seg, struct rte_mbuf **out)
{
	struct fwd_visit_count vc = { 0, 0 };
	struct hb_buf b;
	int r;

	*out = NULL;
	assert_int_equal(hb_buf_attach(&b, chain(mp, fr[i], fr_len[i], seg)),
			 0);
	r = fwd_reasm(t, &b, now, owner, &vc, out);
	if (r != FWD_PASS && r != FWD_HELD && hb_buf_nb_segs(&b) != 0)
		rte_pktmbuf_free(hb_buf_detach(&b));
	assert_int_equal(hb_buf_nb_segs(&b), 0);
	return r;
}

/* The datagram out of the table is @d: bytes, one datagram, checksum. */
static void
datagram_is(struct rte_mbuf *m, const uint8_t *d, uint32_t len)
{
	assert_non_null(m);
	hb_assert_chain_bytes(m, d, len);
	rte_pktmbuf_free(m);
}

static void
test_reasm_no_alloc(void **state)
{
	struct fwd_reasm *t = fwd_reasm_create(16, 64, UINT64_MAX / 2,
					       SOCKET_ID_ANY);
	unsigned int base = rte_mempool_in_use_count(mp192), n, i, order;
	struct hb_fault_stats st0, st1;
	struct rte_mbuf *m;
	int r;

	(void)state;
	assert_non_null(t);
	mk_dgram(dg[0], 1514, 5, IPPROTO_UDP, 5, 0);
	n = cut(dg[0], 1514, 496, 0);
	for (order = 0; order < 2; order++) {
		hb_test_ctx("reasm takes no mbuf, order %u", order);
		assert_int_equal(hb_fault_fail_call(mp192, 0), 0);
		fstats(mp192, &st0);
		for (i = 0; i < n; i++) {
			unsigned int k = order == 0 ? i : n - 1 - i;
			struct fwd_visit_count vc = { 0, 0 };
			struct hb_buf b;
			struct rte_mbuf *c;

			/* Built before: the armed failure is for reasm. */
			hb_fault_disarm(mp192);
			c = chain(mp192, fr[k], fr_len[k], 64);
			assert_int_equal(hb_fault_fail_call(mp192, 0), 0);
			fstats(mp192, &st0);
			assert_int_equal(hb_buf_attach(&b, c), 0);
			r = fwd_reasm(t, &b, 0, 0, &vc, &m);
			fstats(mp192, &st1);
			assert_int_equal(st1.calls, st0.calls);
			assert_true(st1.armed);
			assert_int_equal(r, i + 1 < n ? FWD_HELD : FWD_PASS);
		}
		hb_fault_disarm(mp192);
		datagram_is(m, dg[0], 1514);
		assert_int_equal(t->acct[0].reassembled, order + 1);
		assert_int_equal(t->acct[0].joined, (order + 1) * n);
		hb_assert_pool_at(mp192, base);
	}
	fwd_reasm_free(t);
}

/* The raw engine's pullup of a split header, failing. */
static void
test_reasm_raw_pullup(void **state)
{
	struct fwd_raw_reasm *t = fwd_raw_reasm_create(16, UINT64_MAX / 2,
						       mpf, SOCKET_ID_ANY);
	unsigned int base = rte_mempool_in_use_count(mp192);
	unsigned int basef = rte_mempool_in_use_count(mpf);
	struct rte_mbuf *m;
	int r;

	(void)state;
	assert_non_null(t);
	mk_dgram(dg[0], 1514, 6, IPPROTO_UDP, 5, 0);
	cut(dg[0], 1514, 496, 0);
	hb_test_ctx("raw pullup fails");
	m = chain(mp192, fr[0], fr_len[0], 20);
	assert_int_equal(hb_fault_fail_call(mpf, 0), 0);
	r = fwd_raw_reasm(t, &m, 0, 0);
	hb_fault_disarm(mpf);
	assert_int_equal(r, FWD_DROP_NO_MBUF);
	rte_pktmbuf_free(m);
	hb_test_ctx("raw pullup succeeds");
	m = chain(mp192, fr[0], fr_len[0], 20);
	assert_int_equal(fwd_raw_reasm(t, &m, 0, 0), FWD_HELD);
	assert_null(m);
	fwd_raw_reasm_free(t);
	assert_int_equal(rte_mempool_in_use_count(mp192), base);
	hb_assert_pool_at(mpf, basef);
}

static void
test_reasm_rules(void **state)
{
	const uint64_t to = 1000;
	struct fwd_reasm *t = fwd_reasm_create(2, 8, to, SOCKET_ID_ANY);
	unsigned int base = rte_mempool_in_use_count(mp2176), n;
	struct rte_mbuf *m;

	(void)state;
	assert_non_null(t);
	mk_dgram(dg[0], 1514, 10, IPPROTO_UDP, 5, 0);
	n = cut(dg[0], 1514, 496, 0); /* fr 0..2 */
	assert_int_equal(n, 3);

	hb_test_ctx("duplicate: dropped alone, the datagram completes");
	assert_int_equal(hb_in(t, 0, 0, 0, mp2176, 2048, &m), FWD_HELD);
	assert_int_equal(hb_in(t, 1, 0, 0, mp2176, 2048, &m), FWD_HELD);
	assert_int_equal(hb_in(t, 1, 0, 0, mp2176, 2048, &m),
			 FWD_DROP_REASM_DUP);
	assert_int_equal(hb_in(t, 2, 0, 0, mp2176, 2048, &m), FWD_PASS);
	datagram_is(m, dg[0], 1514);
	assert_int_equal(t->used, 0);
	assert_int_equal(t->segs, 0);

	hb_test_ctx("overlap: the datagram goes");
	assert_int_equal(hb_in(t, 0, 0, 1, mp2176, 2048, &m), FWD_HELD);
	fr_len[8] = mk_frag(fr[8], dg[0], 488, 16, true);
	assert_int_equal(hb_in(t, 8, 0, 1, mp2176, 2048, &m),
			 FWD_DROP_REASM_OVERLAP);
	assert_int_equal(t->acct[1].drops[FWD_DROP_REASM_OVERLAP], 1);
	assert_int_equal(t->used, 0);

	hb_test_ctx("time-out: checked with the burst's TSC");
	assert_int_equal(hb_in(t, 0, 100, 2, mp2176, 2048, &m), FWD_HELD);
	assert_int_equal(hb_in(t, 1, 600, 2, mp2176, 2048, &m), FWD_HELD);
	fwd_reasm_expire(t, 100 + to);
	assert_int_equal(t->used, 1);
	fwd_reasm_expire(t, 100 + to + 1);
	assert_int_equal(t->used, 0);
	assert_int_equal(t->acct[2].drops[FWD_DROP_REASM_TIMEOUT], 2);
	assert_true(t->dirty & (1u << 2));

	hb_test_ctx("table full: the oldest datagram goes");
	mk_dgram(dg[1], 1514, 11, IPPROTO_UDP, 5, 0);
	mk_dgram(dg[2], 1514, 12, IPPROTO_UDP, 5, 0);
	cut(dg[1], 1514, 496, 4); /* fr 4..6 */
	assert_int_equal(hb_in(t, 0, 0, 3, mp2176, 2048, &m), FWD_HELD);
	assert_int_equal(hb_in(t, 4, 0, 3, mp2176, 2048, &m), FWD_HELD);
	cut(dg[2], 1514, 496, 8); /* fr 8..10 */
	assert_int_equal(hb_in(t, 8, 0, 3, mp2176, 2048, &m), FWD_HELD);
	assert_int_equal(t->acct[3].drops[FWD_DROP_REASM_TABLE_FULL], 1);
	assert_int_equal(t->used, 2);

	hb_test_ctx("memory: 8 mbufs at most, the oldest go");
	/* fr 5 of dg[1] in 5 segments (2 + 5 held), then fr 9 of dg[2] in
	 * 5: 12 > 8, dg[1] (6 mbufs, 2 fragments) goes. */
	assert_int_equal(hb_in(t, 5, 0, 3, mp2176, 130, &m), FWD_HELD);
	assert_int_equal(t->segs, 7);
	assert_int_equal(hb_in(t, 9, 0, 3, mp2176, 130, &m), FWD_HELD);
	assert_int_equal(t->segs, 6);
	assert_int_equal(t->acct[3].drops[FWD_DROP_REASM_MEM], 2);
	assert_int_equal(t->segs_max, 7);

	hb_test_ctx("flush: every datagram goes");
	fwd_reasm_flush(t);
	assert_int_equal(t->acct[3].drops[FWD_DROP_REASM_FLUSH], 2);
	assert_int_equal(t->used, 0);
	assert_int_equal(t->segs, 0);
	fwd_reasm_free(t);
	hb_assert_pool_at(mp2176, base);
}

/* The raw engine: its time-out, a key without the protocol, 8 fragments. */
static void
test_reasm_raw_rules(void **state)
{
	const uint64_t to = 1000;
	struct fwd_raw_reasm *t = fwd_raw_reasm_create(8, to, mpf,
						       SOCKET_ID_ANY);
	unsigned int base = rte_mempool_in_use_count(mp2176), n, i;
	struct rte_mbuf *m;
	int r;

	(void)state;
	assert_non_null(t);
	mk_dgram(dg[0], 1514, 20, IPPROTO_UDP, 5, 0);
	cut(dg[0], 1514, 496, 0);

	hb_test_ctx("raw: time-out with the burst's TSC");
	m = chain(mp2176, fr[0], fr_len[0], 2048);
	assert_int_equal(fwd_raw_reasm(t, &m, 100, 1), FWD_HELD);
	fwd_raw_reasm_expire(t, 100 + to, 1);
	assert_int_equal(t->acct[1].drops[FWD_DROP_REASM_TIMEOUT], 0);
	fwd_raw_reasm_expire(t, 100 + to + 1, 1);
	fwd_raw_dr_free(t);
	assert_int_equal(t->acct[1].drops[FWD_DROP_REASM_TIMEOUT], 1);

	hb_test_ctx("raw: a 7th fragment before the last drops the datagram");
	mk_dgram(dg[1], 1114, 21, IPPROTO_UDP, 5, 0);
	n = cut(dg[1], 1114, 120, 4);
	assert_int_equal(n, 9);
	for (i = 0; i < n; i++) {
		m = chain(mp2176, fr[4 + i], fr_len[4 + i], 2048);
		r = fwd_raw_reasm(t, &m, 0, 2);
		/* A first, 6 more and a last: the 8th in order is one more
		 * before the last; the last then starts a datagram anew. */
		assert_int_equal(r, i == 7 ? FWD_DROP_IP_FRAG : FWD_HELD);
		assert_null(m);
	}
	fwd_raw_dr_free(t);
	assert_int_equal(t->acct[2].drops[FWD_DROP_IP_FRAG], 7);

	hb_test_ctx("raw: same id, another protocol, one datagram for it");
	mk_dgram(dg[2], 1514, 22, IPPROTO_UDP, 5, 0);
	mk_dgram(dg[3], 1514, 22, IPPROTO_ICMP, 5, 0);
	cut(dg[2], 1514, 496, 0);
	cut(dg[3], 1514, 496, 8);
	m = chain(mp2176, fr[0], fr_len[0], 2048);
	assert_int_equal(fwd_raw_reasm(t, &m, 0, 3), FWD_HELD);
	m = chain(mp2176, fr[8], fr_len[8], 2048);
	/* A second first fragment: librte_ip_frag drops the datagram. */
	assert_int_equal(fwd_raw_reasm(t, &m, 0, 3), FWD_DROP_IP_FRAG);
	fwd_raw_dr_free(t);
	assert_int_equal(t->acct[3].drops[FWD_DROP_IP_FRAG], 1);

	fwd_raw_reasm_free(t);
	hb_assert_pool_at(mp2176, base);
}

int
main(int argc, char **argv)
{
	static char names[RTE_DIM(frag_cases)][96];
	struct CMUnitTest tests[RTE_DIM(frag_cases) + 4];
	unsigned int i, n = 0;
	int rc;

	(void)argc;
	rc = hb_test_setup(argv[0], NULL);
	if (rc != 0)
		return rc;
	if (hb_fault_register() != 0) {
		fprintf(stderr, "hb_fault_register failed\n");
		hb_test_teardown();
		return 1;
	}
	mp192 = hb_fault_pool_create("frag192", NMBUF, 192, SOCKET_ID_ANY);
	mp2176 = hb_fault_pool_create("frag2176", NMBUF, 2176, SOCKET_ID_ANY);
	mpf = hb_fault_pool_create("fragf", NMBUF, RTE_PKTMBUF_HEADROOM + 128,
				   SOCKET_ID_ANY);
	if (mp192 == NULL || mp2176 == NULL || mpf == NULL) {
		fprintf(stderr, "hb_fault pool: %s\n", rte_strerror(rte_errno));
		hb_test_teardown();
		return 1;
	}
	for (i = 0; i < RTE_DIM(frag_cases); i++) {
		snprintf(names[i], sizeof(names[i]), "frag, %s",
			 frag_cases[i].name);
		tests[n++] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_frag_fault,
			.teardown_func = hb_test_ctx_teardown,
			.initial_state = (void *)(uintptr_t)&frag_cases[i],
		};
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_reasm_no_alloc, hb_test_ctx_teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_reasm_raw_pullup, hb_test_ctx_teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_reasm_rules, hb_test_ctx_teardown);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_reasm_raw_rules, hb_test_ctx_teardown);
	rc = _cmocka_run_group_tests("fwd_frag", tests, n, NULL, NULL);
	rte_mempool_free(mp192);
	rte_mempool_free(mp2176);
	rte_mempool_free(mpf);
	hb_test_teardown();
	return rc;
}
