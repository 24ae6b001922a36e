/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-fwd's per-packet code (app/hb-fwd/fwd_pkt.h, the functions its loops
 * run) on a pool that fails on demand (tests/hb_fault.h, cache size 0).
 *
 * encap: for packets whose encapsulation needs a new head segment (no
 * headroom, a head that is an indirect clone or has a second reference, a
 * data room under 50 bytes so the 50 bytes take two new segments, the
 * third layer of --tunnel-depth 3 after two layers used the headroom, a
 * multi-segment packet) the encap is run once to count its allocation
 * points (dequeue calls) and mbufs, then, on a fresh packet each time,
 * the k-th dequeue is failed (and separately the dequeue of each mbuf):
 * the result must be FWD_DROP_NO_MBUF (docs/hb-fwd.md, encap step 3), the
 * packet exactly as before the failing layer (segment pointers, data
 * offsets and lengths, reference counts, bytes; the layers before it in
 * place, byte for byte what a run of that many layers gives), the buffer
 * consistent, and after the drop (detach and free, as hb-fwd does) the
 * pool back at its baseline. With the failure armed one call later, the
 * encap succeeds as in the counting run. For packets with 50 bytes of
 * exclusive headroom: no allocation at all, and an armed failure neither
 * fires nor changes the result.
 *
 * decap, route, macswap and io never allocate: run on the failing pool
 * (next dequeue armed to fail, and then the pool emptied) on valid and
 * malformed packets, single- and multi-segment, headers split across
 * segments: zero dequeue calls, the failure still armed, the results and
 * bytes those of a normal pool, no mbuf leaked.
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
#include "fwd_pkt.h"

#define NMBUF 256

static struct rte_mempool *mp192;  /* 192-byte data room */
static struct rte_mempool *mp40;   /* 40: the 50 bytes need two segments */
static struct rte_mempool *mp2176; /* default */
static struct fwd_encap encap;

/* ---------------------------------------------------------------------
 * Packets
 */

static uint8_t frame_udp[200];	  /* Ethernet/IPv4/UDP, 200 bytes */
static uint8_t frame_vxlan[250];  /* frame_udp in VXLAN */
static uint8_t frame_vxlan2[300]; /* frame_vxlan in VXLAN */

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet + IPv4 (valid checksum) + UDP to @dport, @len bytes in all. */
static void
mk_udp(uint8_t *f, uint32_t len, uint16_t dport, uint32_t tag)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

	hb_test_pattern(f, len, tag);
	f[0] = 0x02;
	f[6] = 0x02;
	put16(f + 12, 0x0800);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = RTE_BE32(0x0a000001);
	ip->dst_addr = RTE_BE32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	put16(f + 34, 1234);
	put16(f + 36, dport);
	put16(f + 38, len - 34);
	put16(f + 40, 0);
}

/* @inner in VXLAN (headers built here, not by the code under test). */
static void
mk_vxlan(uint8_t *f, const uint8_t *inner, uint32_t inner_len)
{
	uint32_t len = inner_len + 50;

	mk_udp(f, len, 4789, 7);
	memset(f + 42, 0, 8);
	f[42] = 0x08;
	f[46] = 0x12;
	memcpy(f + 50, inner, inner_len);
}

/* How a packet sits in mbufs. */
enum head_kind { HEAD_DIRECT, HEAD_INDIRECT, HEAD_REFCNT2 };

struct layout {
	struct rte_mempool *mp;
	uint16_t headroom;	/* of the head segment */
	enum head_kind head;
	uint16_t seg_len[6];	/* 0-terminated; the last takes the rest */
};

struct pkt {
	struct rte_mbuf *m;	 /* the chain */
	struct rte_mbuf *extra;	 /* our second reference, or NULL */
};

static struct rte_mbuf *
alloc_direct(struct rte_mempool *mp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	assert_non_null(m);
	return m;
}

static void
pkt_build(struct pkt *p, const struct layout *l, const uint8_t *f,
	  uint32_t len)
{
	uint16_t lens[RTE_DIM(l->seg_len)], offs[RTE_DIM(l->seg_len)];
	struct rte_mbuf *h, *c;
	uint32_t off = 0;
	unsigned int n;

	/* At least one segment; the last one takes the rest. */
	for (n = 0; (n == 0 || off < len) && n < RTE_DIM(lens); n++) {
		lens[n] = (uint16_t)(l->seg_len[n] != 0 &&
				     l->seg_len[n] < len - off ?
				     l->seg_len[n] : len - off);
		offs[n] = n == 0 ? l->headroom : 0;
		off += lens[n];
	}
	assert_int_equal(off, len);
	h = hb_test_chain(l->mp, f, lens, n, offs);
	p->extra = NULL;
	if (l->head == HEAD_INDIRECT) {
		/* An indirect head on the head's buffer, which it holds. */
		c = alloc_direct(l->mp);
		rte_pktmbuf_attach(c, h);
		c->next = h->next;
		c->nb_segs = h->nb_segs;
		c->pkt_len = h->pkt_len;
		h->next = NULL;
		h->nb_segs = 1;
		h->pkt_len = h->data_len;
		rte_pktmbuf_free(h);
		h = c;
	} else if (l->head == HEAD_REFCNT2) {
		rte_mbuf_refcnt_update(h, 1);
		p->extra = h;
	}
	h->port = 3;
	h->packet_type = 0x11;
	p->m = h;
}

/* The dropped packet is freed (hb-fwd frees drops), then our reference. */
static void
pkt_free(struct pkt *p, struct rte_mbuf *m)
{
	rte_pktmbuf_free(m);
	if (p->extra != NULL)
		rte_pktmbuf_free_seg(p->extra);
	p->extra = NULL;
}

/* The packet before the failing layer, after it, and as it should be. */
static struct hb_snap s_before, s_after, s_ref;

/* Record the chain at @h in @s, in place of what @s held. */
static void
snap_packet(const struct rte_mbuf *h, struct hb_snap *s)
{
	hb_snap_free(s);
	hb_test_snap_chain(s, h);
}

/* After each test: release the snapshots, report a failed test's step. */
static int
snaps_free(void **state)
{
	hb_snap_free(&s_before);
	hb_snap_free(&s_after);
	hb_snap_free(&s_ref);
	return hb_test_ctx_teardown(state);
}

/* What a failed layer must leave alone; with @same_segs, the very mbufs. */
static unsigned int
same_what(bool same_segs)
{
	return HB_SNAP_BYTES | HB_SNAP_LAYOUT | HB_SNAP_REFCNT |
	       (same_segs ? HB_SNAP_SEGS : 0);
}

/* Run @mode on the packet; returns the result, leaves it in @b. */
static int
run(struct hb_buf *b, struct rte_mbuf *m, enum fwd_mode mode,
    unsigned int depth)
{
	struct fwd_visit_count vc = { 0, 0 };
	int r;

	assert_int_equal(hb_buf_attach(b, m), 0);
	r = fwd_packet(b, mode, &encap, depth, &vc);
	hb_assert_buf_ok(b);
	return r;
}

static struct rte_mbuf *
detach(struct hb_buf *b)
{
	struct rte_mbuf *m = hb_buf_detach(b);

	hb_assert_mbuf_ok(m, 1);
	return m;
}

static void
fstats(struct rte_mempool *mp, struct hb_fault_stats *st)
{
	assert_int_equal(hb_fault_stats(mp, st), 0);
}

/* ---------------------------------------------------------------------
 * encap under allocation failures
 */

struct encap_case {
	const char *name;
	struct layout l;
	const uint8_t *frame;
	uint32_t len;
	unsigned int depth;
	unsigned int points;	/* allocation points (dequeue calls) */
	unsigned int objs;	/* mbufs taken */
	unsigned int fail_layer; /* layer (0-based) that allocates */
};

static const struct encap_case encap_cases[] = {
	{ "no headroom", { NULL, 0, HEAD_DIRECT, { 0 } }, frame_udp, 150, 1,
	  1, 1, 0 },
	{ "49 bytes of headroom", { NULL, 49, HEAD_DIRECT, { 0 } }, frame_udp,
	  100, 1, 1, 1, 0 },
	{ "indirect head", { NULL, 128, HEAD_INDIRECT, { 60, 0 } }, frame_udp,
	  200, 1, 1, 1, 0 },
	{ "head with refcnt 2", { NULL, 128, HEAD_REFCNT2, { 60, 0 } },
	  frame_udp, 200, 1, 1, 1, 0 },
	{ "3 segments, headers split, no headroom",
	  { NULL, 0, HEAD_DIRECT, { 20, 30, 0 } }, frame_udp, 200, 1, 1, 1,
	  0 },
	{ "data room 40: two new segments", { NULL, 0, HEAD_DIRECT,
	  { 20, 20, 20, 0 } }, frame_udp, 80, 1, 1, 2, 0 },
	{ "depth 3, third layer without headroom", { NULL, 128, HEAD_DIRECT,
	  { 60, 0 } }, frame_udp, 200, 3, 1, 1, 2 },
	{ "depth 3 on a VXLAN frame", { NULL, 128, HEAD_DIRECT, { 60, 0 } },
	  frame_vxlan, 250, 3, 1, 1, 2 },
};

static struct rte_mempool *
case_pool(const struct encap_case *c)
{
	return strstr(c->name, "room 40") != NULL ? mp40 : mp192;
}

static void
build_case(const struct encap_case *c, struct pkt *p)
{
	struct layout l = c->l;

	l.mp = case_pool(c);
	pkt_build(p, &l, c->frame, c->len);
}

/* What the failing layer must leave: the layers before it, done right. */
static void
reference_layers(const struct encap_case *c)
{
	struct hb_buf b;
	struct pkt p;

	build_case(c, &p);
	if (c->fail_layer == 0) {
		snap_packet(p.m, &s_ref);
		pkt_free(&p, p.m);
		return;
	}
	assert_int_equal(run(&b, p.m, FWD_MODE_ENCAP, c->fail_layer),
			 FWD_PASS);
	snap_packet(b.head, &s_ref);
	pkt_free(&p, detach(&b));
}

static void
test_encap_fault(void **state)
{
	const struct encap_case *c = *state;
	struct rte_mempool *mp = case_pool(c);
	struct hb_fault_stats st0, st1;
	unsigned int base = rte_mempool_in_use_count(mp), k, calls, objs;
	struct rte_mbuf *m;
	struct hb_buf b;
	struct pkt p;
	int by_obj;

	reference_layers(c);
	hb_assert_pool_at(mp, base);

	/* Counting run: its allocation points and mbufs. */
	build_case(c, &p);
	fstats(mp, &st0);
	assert_int_equal(run(&b, p.m, FWD_MODE_ENCAP, c->depth), FWD_PASS);
	fstats(mp, &st1);
	calls = (unsigned int)(st1.calls - st0.calls);
	objs = (unsigned int)(st1.objs - st0.objs);
	assert_int_equal(calls, c->points);
	assert_int_equal(objs, c->objs);
	snap_packet(b.head, &s_after);
	assert_int_equal(s_after.len, c->len + c->depth * FWD_ENCAP_LEN);
	assert_int_equal(b.head->port, 3);
	pkt_free(&p, detach(&b));
	hb_assert_pool_at(mp, base);

	/* Fail each dequeue call, then the dequeue of each mbuf. */
	for (by_obj = 0; by_obj <= 1; by_obj++) {
		for (k = 0; k < (by_obj ? objs : calls); k++) {
			build_case(c, &p);
			if (c->fail_layer == 0)
				snap_packet(p.m, &s_before);
			if (by_obj)
				assert_int_equal(hb_fault_fail_obj(mp, k), 0);
			else
				assert_int_equal(hb_fault_fail_call(mp, k), 0);
			fstats(mp, &st0);
			assert_int_equal(run(&b, p.m, FWD_MODE_ENCAP, c->depth),
					 FWD_DROP_NO_MBUF);
			fstats(mp, &st1);
			assert_false(st1.armed);
			assert_int_equal(st1.failed - st0.failed, 1);
			/* The layers before stay; the failing one did nothing. */
			snap_packet(b.head, &s_after);
			hb_test_ctx("%s, failure %u", c->name, k);
			hb_assert_snap_same(&s_ref, &s_after, same_what(false));
			if (c->fail_layer == 0)
				hb_assert_snap_same(&s_before, &s_after,
						    same_what(true));
			/* Nothing taken is kept: only the packet's mbufs. */
			assert_int_equal(rte_mempool_in_use_count(mp),
					 base + s_after.n +
					 (c->l.head == HEAD_INDIRECT &&
					  c->fail_layer == 0));
			/* Dropped: hb-fwd frees it. */
			m = detach(&b);
			pkt_free(&p, m);
			hb_assert_pool_at(mp, base);
		}
	}

	/* Armed past the last point: succeeds as the counting run did. */
	build_case(c, &p);
	assert_int_equal(hb_fault_fail_call(mp, calls), 0);
	assert_int_equal(run(&b, p.m, FWD_MODE_ENCAP, c->depth), FWD_PASS);
	fstats(mp, &st1);
	assert_true(st1.armed);
	hb_fault_disarm(mp);
	snap_packet(b.head, &s_before);
	assert_int_equal(s_before.len, c->len + c->depth * FWD_ENCAP_LEN);
	pkt_free(&p, detach(&b));
	hb_assert_pool_at(mp, base);
}

/* 50 bytes of exclusive headroom per layer: no allocation at all. */
static void
test_encap_headroom(void **state)
{
	static const struct { uint16_t headroom; unsigned int depth; } cs[] = {
		{ 50, 1 }, { 128, 1 }, { 128, 2 }, { 150, 3 },
	};
	struct hb_fault_stats st0, st1;
	struct layout l = { mp192, 0, HEAD_DIRECT, { 0 } };
	unsigned int base = rte_mempool_in_use_count(mp192), i;
	struct hb_buf b;
	struct pkt p;

	(void)state;
	for (i = 0; i < RTE_DIM(cs); i++) {
		l.headroom = cs[i].headroom;
		pkt_build(&p, &l, frame_udp, 40);
		snap_packet(p.m, &s_before);
		assert_int_equal(hb_fault_fail_call(mp192, 0), 0);
		fstats(mp192, &st0);
		assert_int_equal(run(&b, p.m, FWD_MODE_ENCAP, cs[i].depth),
				 FWD_PASS);
		fstats(mp192, &st1);
		assert_int_equal(st1.calls, st0.calls);
		assert_true(st1.armed);
		assert_int_equal(st1.failed, st0.failed);
		hb_fault_disarm(mp192);
		/* The same segment, the headers in its headroom. */
		assert_ptr_equal(b.head, s_before.seg[0].m);
		assert_int_equal(b.head->data_off,
				 cs[i].headroom - cs[i].depth * FWD_ENCAP_LEN);
		assert_int_equal(hb_buf_len(&b), 40 + cs[i].depth * FWD_ENCAP_LEN);
		pkt_free(&p, detach(&b));
		hb_assert_pool_at(mp192, base);
	}
}

/* ---------------------------------------------------------------------
 * The other modes never allocate
 */

struct noalloc_case {
	const char *what;
	enum fwd_mode mode;
	const uint8_t *frame;
	uint32_t len;
	struct layout l;
	unsigned int depth;
	int result;
};

static uint8_t frame_short[10];
static uint8_t frame_ttl1[100];
static uint8_t frame_vxlan_pad[270]; /* frame_vxlan + 20 bytes of padding */

static const struct noalloc_case noalloc_cases[] = {
	{ "io", FWD_MODE_IO, frame_udp, 200,
	  { NULL, 128, HEAD_DIRECT, { 30, 50, 0 } }, 1, FWD_PASS },
	{ "macswap", FWD_MODE_MACSWAP, frame_udp, 200,
	  { NULL, 0, HEAD_DIRECT, { 100, 0 } }, 1, FWD_PASS },
	{ "macswap, header split", FWD_MODE_MACSWAP, frame_udp, 200,
	  { NULL, 0, HEAD_DIRECT, { 7, 100, 0 } }, 1, FWD_PASS },
	{ "macswap, short", FWD_MODE_MACSWAP, frame_short, 10,
	  { NULL, 0, HEAD_DIRECT, { 0 } }, 1, FWD_DROP_SHORT },
	{ "route", FWD_MODE_ROUTE, frame_udp, 200,
	  { NULL, 0, HEAD_INDIRECT, { 100, 0 } }, 1, FWD_PASS },
	{ "route, IPv4 header split", FWD_MODE_ROUTE, frame_udp, 200,
	  { NULL, 0, HEAD_DIRECT, { 20, 10, 0 } }, 1, FWD_PASS },
	{ "route, TTL 1", FWD_MODE_ROUTE, frame_ttl1, 100,
	  { NULL, 0, HEAD_DIRECT, { 0 } }, 1, FWD_DROP_TTL_EXCEEDED },
	{ "decap", FWD_MODE_DECAP, frame_vxlan, 250,
	  { NULL, 0, HEAD_DIRECT, { 120, 0 } }, 1, FWD_PASS },
	{ "decap, headers over 4 segments", FWD_MODE_DECAP, frame_vxlan, 250,
	  { NULL, 0, HEAD_DIRECT, { 13, 21, 12, 100, 0 } }, 1, FWD_PASS },
	{ "decap, padding trimmed", FWD_MODE_DECAP, frame_vxlan_pad, 270,
	  { NULL, 0, HEAD_REFCNT2, { 100, 150, 0 } }, 1, FWD_PASS },
	{ "decap, depth 2", FWD_MODE_DECAP, frame_vxlan2, 300,
	  { NULL, 0, HEAD_INDIRECT, { 60, 120, 0 } }, 2, FWD_PASS },
	{ "decap, not VXLAN", FWD_MODE_DECAP, frame_udp, 200,
	  { NULL, 0, HEAD_DIRECT, { 100, 0 } }, 1, FWD_DROP_NOT_VXLAN },
};

/* Result and bytes on a pool that does not fail. */
static int
reference_run(const struct noalloc_case *c, struct layout l)
{
	struct hb_buf b;
	struct pkt p;
	int r;

	l.mp = mp2176;
	pkt_build(&p, &l, c->frame, c->len);
	r = run(&b, p.m, c->mode, c->depth);
	snap_packet(b.head, &s_ref);
	pkt_free(&p, detach(&b));
	return r;
}

static void
test_no_alloc(void **state)
{
	struct rte_mempool *pools[] = { mp192 };
	struct rte_mbuf *hog[NMBUF];
	struct hb_fault_stats st0, st1;
	unsigned int i, j, nhog, base;
	int empty, r_ref;
	struct hb_buf b;
	struct pkt p;

	(void)state;
	for (i = 0; i < RTE_DIM(noalloc_cases); i++) {
		const struct noalloc_case *c = &noalloc_cases[i];

		for (j = 0; j < RTE_DIM(pools); j++) {
			struct layout l = c->l;

			r_ref = reference_run(c, l);
			assert_int_equal(r_ref, c->result);
			for (empty = 0; empty <= 1; empty++) {
				l.mp = pools[j];
				base = rte_mempool_in_use_count(l.mp);
				pkt_build(&p, &l, c->frame, c->len);
				nhog = 0;
				/* The next dequeue fails; then none is left. */
				assert_int_equal(hb_fault_fail_call(l.mp, 0), 0);
				while (empty && nhog < NMBUF) {
					hog[nhog] = rte_pktmbuf_alloc(l.mp);
					if (hog[nhog] == NULL)
						break;
					nhog++;
				}
				if (empty)
					assert_int_equal(hb_fault_fail_call(l.mp, 0), 0);
				fstats(l.mp, &st0);
				assert_int_equal(run(&b, p.m, c->mode, c->depth),
						 c->result);
				fstats(l.mp, &st1);
				if (st1.calls != st0.calls)
					fail_msg("%s: %u allocation(s)", c->what,
						 (unsigned int)(st1.calls - st0.calls));
				assert_true(st1.armed);
				hb_fault_disarm(l.mp);
				snap_packet(b.head, &s_after);
				hb_test_ctx("%s", c->what);
				hb_assert_snap_same(&s_ref, &s_after,
						    same_what(false));
				pkt_free(&p, detach(&b));
				if (nhog != 0)
					rte_pktmbuf_free_bulk(hog, nhog);
				hb_assert_pool_at(l.mp, base);
			}
		}
	}
}

int
main(int argc, char **argv)
{
	static char names[RTE_DIM(encap_cases)][96];
	struct CMUnitTest tests[RTE_DIM(encap_cases) + 2];
	struct rte_ether_addr dst = { { 0x02, 0, 0, 0, 0, 2 } };
	struct rte_ether_addr src = { { 0x02, 0, 0, 0, 0, 1 } };
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
	mp192 = hb_fault_pool_create("fwdf192", NMBUF, 192, SOCKET_ID_ANY);
	mp40 = hb_fault_pool_create("fwdf40", NMBUF, 40, SOCKET_ID_ANY);
	mp2176 = hb_test_pool("fwdf2176", 64, 0);
	if (mp192 == NULL || mp40 == NULL) {
		fprintf(stderr, "hb_fault pool: %s\n", rte_strerror(rte_errno));
		hb_test_teardown();
		return 1;
	}
	fwd_encap_init(&encap, &dst, &src, RTE_BE32(0xc0000201),
		       RTE_BE32(0xc0000202), 42);
	mk_udp(frame_udp, sizeof(frame_udp), 9, 1);
	mk_vxlan(frame_vxlan, frame_udp, sizeof(frame_udp));
	mk_vxlan(frame_vxlan2, frame_vxlan, sizeof(frame_vxlan));
	memcpy(frame_vxlan_pad, frame_vxlan, sizeof(frame_vxlan));
	memset(frame_vxlan_pad + sizeof(frame_vxlan), 0, 20);
	hb_test_pattern(frame_short, sizeof(frame_short), 3);
	mk_udp(frame_ttl1, sizeof(frame_ttl1), 9, 4);
	frame_ttl1[22] = 1;

	for (i = 0; i < RTE_DIM(encap_cases); i++) {
		snprintf(names[i], sizeof(names[i]), "encap, %s",
			 encap_cases[i].name);
		tests[n++] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_encap_fault,
			.teardown_func = snaps_free,
			.initial_state = (void *)(uintptr_t)&encap_cases[i],
		};
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_encap_headroom, snaps_free);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test_teardown(
		test_no_alloc, snaps_free);
	rc = _cmocka_run_group_tests("fwd_fault", tests, n, NULL, NULL);
	rte_mempool_free(mp192);
	rte_mempool_free(mp40);
	rte_mempool_free(mp2176);
	hb_test_teardown();
	return rc;
}
