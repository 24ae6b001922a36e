/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the single-lcore buffer workloads, each with its setup, its
 * HyperBuf implementations and its baselines: seed (a small buffer),
 * append64k and append1m (build and read back), msg2pkt (a message cut
 * into packets), random64k and random1m (reads at random offsets). Their
 * rows are in workloads.c.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include <hyperbuf.h>

#include "hb_bench.h"
#include "baselines.h"

#define SEED_LEN 120u		/* seed: buffer size */
#define SEED_WRITES 13u		/* seed: indexed byte writes */
#define MSG_LEN (64u * KIB)	/* msg2pkt: message size */
#define MSG_HDR 42u		/* msg2pkt: header prepended */
#define MSG_MTU 1500u		/* msg2pkt: largest packet */
#define MSG_MAX_PKTS ((MSG_LEN + MSG_HDR + MSG_MTU - 1) / MSG_MTU)
#define RND_LEN 8u		/* random: bytes per read */

/* ------------------------------------------------------------------------
 * Workload: seed
 *
 * The seed's own "Vec benches": a fresh 120-byte zeroed buffer, 13 indexed
 * byte writes, one 8-byte read (the use), free.
 *  - hyperbuf: a write visitor that grows the empty buffer by 120 zero
 *    bytes (the seed's WriteVisitor: indexed writes are what visitors are
 *    for), 13 writes and the read through its view, release, free;
 *  - hyperbuf-put (variant): the same through the u8 buffer calls:
 *    hb_buf_append() of 120 zero bytes, hb_buf_put_u8() x 13,
 *    hb_buf_get_le64(), hb_buf_free() (a checked call per byte);
 *  - vec: calloc(120), 13 stores, free;
 *  - mbuf: rte_pktmbuf_alloc + rte_pktmbuf_append(120) + memset, 13 stores
 *    through the pointer, rte_pktmbuf_free.
 */

static uint16_t seed_idx[SEED_WRITES];
static uint8_t seed_val[SEED_WRITES];
static uint32_t seed_word; /* offset of the 8 bytes read back */
static const uint8_t zeros[4096];

int
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

uint64_t
seed_hb_put(uint64_t iters)
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

uint64_t
seed_hb(uint64_t iters)
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

uint64_t
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

uint64_t
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
 *  - hyperbuf-stream (variant): the streaming pair: appends through an
 *    hb_writer, the read back through an hb_cursor;
 *  - mbuf-idiomatic: rte_pktmbuf_append on the head, rte_pktmbuf_alloc +
 *    rte_pktmbuf_chain when it returns NULL, rte_pktmbuf_read (copied to
 *    the caller's memory when it returns a pointer into the chain),
 *    rte_pktmbuf_free;
 *  - mbuf-expert: xbuf (tail kept by hand) and xcur ((segment, offset)
 *    cursor), rte_pktmbuf_free_bulk;
 *  - vec: realloc-doubling vector, memcpy out, free.
 */

static uint32_t app_len;

int
app64k_setup(void)
{
	app_len = 64 * KIB;
	memcpy(vexpect, pattern, app_len);
	return 0;
}

int
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

uint64_t
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

uint64_t
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

uint64_t
app_hb_stream(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	uint8_t *out = g_out;
	struct hb_writer w;
	struct hb_cursor c;
	uint64_t sum = 0;
	struct hb_buf b;
	uint32_t off;

	while (iters-- > 0) {
		CHECK_RC(hb_buf_init(&b, pool));
		CHECK_RC(hb_writer_begin(&w, &b));
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(hb_writer_append(&w, pattern + off, PIECE));
		CHECK_RC(hb_writer_end(&w));
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

uint64_t
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

uint64_t
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

uint64_t
app_vec(uint64_t iters)
{
	const uint32_t len = app_len, mask = g_out_mask;
	const uint8_t *src = pattern; /* in a register across realloc() */
	uint8_t *out = g_out;
	struct vec v = { NULL, 0, 0 };
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		for (off = 0; off < len; off += PIECE)
			CHECK_RC(vec_append(&v, src + off, PIECE));
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
 *  - hyperbuf-writer (variant): the message written through an hb_writer;
 *  - vec+copy: a vector that keeps 42 bytes free in front for the header
 *    (so the prepend costs nothing), filled by 64 B appends, then copied
 *    into packets from rte_pktmbuf_alloc_bulk(), freed after;
 *  - vec+copy-reuse: the same, but the vector's memory is kept from one
 *    message to the next (only possible when the sender owns it: the
 *    strongest copy-based sender we could write).
 */

static uint8_t msg_hdr[MSG_HDR];
static struct vec msg_keep;

int
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

void
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

/*
 * The plain loop a user writes: cut MSG_MTU bytes off the message in
 * bufs[0] with hb_buf_split() until the rest fits, each piece detached
 * into @pkts. Returns the number of packets.
 */
static unsigned int
msg_cut(struct hb_buf bufs[2], struct rte_mbuf **pkts)
{
	unsigned int n = 0, cur = 0;

	while (hb_buf_len(&bufs[cur]) > MSG_MTU) {
		CHECK_RC(hb_buf_split(&bufs[cur], MSG_MTU, &bufs[cur ^ 1]));
		pkts[n] = hb_buf_detach(&bufs[cur]);
		CHECK_PTR(pkts[n]);
		n++;
		cur ^= 1;
	}
	pkts[n] = hb_buf_detach(&bufs[cur]);
	CHECK_PTR(pkts[n]);
	return n + 1;
}

uint64_t
msg_hb(uint64_t iters)
{
	struct rte_mbuf *pkts[MSG_MAX_PKTS + 1];
	struct hb_buf bufs[2];
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		struct hb_buf *b = &bufs[0];

		CHECK_RC(hb_buf_init(b, pool));
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(hb_buf_append(b, pattern + off, PIECE));
		CHECK_RC(hb_buf_prepend(b, msg_hdr, MSG_HDR));
		sum += msg_tx(pkts, msg_cut(bufs, pkts));
	}
	return sum;
}

uint64_t
msg_hb_writer(uint64_t iters)
{
	struct rte_mbuf *pkts[MSG_MAX_PKTS + 1];
	struct hb_buf bufs[2];
	struct hb_writer w;
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		struct hb_buf *b = &bufs[0];

		CHECK_RC(hb_buf_init(b, pool));
		CHECK_RC(hb_writer_begin(&w, b));
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(hb_writer_append(&w, pattern + off, PIECE));
		CHECK_RC(hb_writer_end(&w));
		CHECK_RC(hb_buf_prepend(b, msg_hdr, MSG_HDR));
		sum += msg_tx(pkts, msg_cut(bufs, pkts));
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

uint64_t
msg_vec(uint64_t iters)
{
	const uint8_t *src = pattern; /* in a register across realloc() */
	struct vec v = { NULL, 0, 0 };
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		CHECK_RC(vec_grow(&v, MSG_HDR));
		v.len = MSG_HDR; /* room for the header, filled last */
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(vec_append(&v, src + off, PIECE));
		memcpy(v.p, msg_hdr, MSG_HDR);
		sum += msg_copy_out(&v);
		vec_free(&v);
	}
	return sum;
}

uint64_t
msg_vec_reuse(uint64_t iters)
{
	const uint8_t *src = pattern; /* in a register across realloc() */
	struct vec *v = &msg_keep;
	uint64_t sum = 0;
	uint32_t off;

	while (iters-- > 0) {
		if (v->cap < MSG_HDR)
			CHECK_RC(vec_grow(v, MSG_HDR));
		v->len = MSG_HDR;
		for (off = 0; off < MSG_LEN; off += PIECE)
			CHECK_RC(vec_append(v, src + off, PIECE));
		memcpy(v->p, msg_hdr, MSG_HDR);
		sum += msg_copy_out(v);
	}
	return sum;
}

/* ------------------------------------------------------------------------
 * Workload: pkt2msg
 *
 * 45 received 1500 B packets (allocated from the pool and filled from their
 * template inside the timed loop, for every implementation, as RX DMA
 * would), their 42 B headers stripped, the payloads joined into one
 * 65610 B message, read back 64 B at a time into the caller's memory,
 * freed.
 *  - hyperbuf: hb_buf_attach() + hb_buf_adj(42) + hb_buf_concat() per
 *    packet; hb_buf_read() per piece; hb_buf_free();
 *  - hyperbuf-cursor (variant): the read back with an hb_cursor;
 *  - vec+copy: each payload copied into a realloc-doubling vector, the
 *    packet freed once copied; memcpy out; free;
 *  - chain-idiom: DPDK's rte_pktmbuf_adj() + rte_pktmbuf_chain() (which
 *    walks to the last segment each time), rte_pktmbuf_read() per piece,
 *    rte_pktmbuf_free().
 */

#define P2M_PKTS 45u
#define P2M_PKT 1500u
#define P2M_HDR 42u
#define P2M_PAY (P2M_PKT - P2M_HDR)
#define P2M_LEN (P2M_PKTS * P2M_PAY)

int
p2m_setup(void)
{
	unsigned int i;

	for (i = 0; i < P2M_PKTS; i++)
		memcpy(vexpect + i * P2M_PAY, pattern + i * P2M_PKT + P2M_HDR,
		       P2M_PAY);
	return 0;
}

/* The received burst: fresh mbufs, each filled from its template. */
static void
p2m_rx(struct rte_mbuf **pkts)
{
	unsigned int i;

	CHECK_RC(rte_pktmbuf_alloc_bulk(pool, pkts, P2M_PKTS));
	for (i = 0; i < P2M_PKTS; i++) {
		struct rte_mbuf *m = pkts[i];

		memcpy(rte_pktmbuf_mtod(m, char *), pattern + i * P2M_PKT,
		       P2M_PKT);
		m->data_len = P2M_PKT;
		m->pkt_len = P2M_PKT;
	}
}

/* The checksum of the last, short piece. */
static uint64_t
p2m_fold_rest(const uint8_t *d, uint32_t n)
{
	return d[0] + ((uint64_t)d[n - 1] << 1);
}

static void
p2m_done(void)
{
	if (unlikely(g_verify))
		g_out_len = P2M_LEN;
}

uint64_t
p2m_hb(uint64_t iters)
{
	struct rte_mbuf *pkts[P2M_PKTS];
	const uint32_t mask = g_out_mask;
	uint8_t *out = g_out;
	struct hb_buf msg, p;
	uint64_t sum = 0;
	unsigned int i;
	uint32_t off;

	while (iters-- > 0) {
		p2m_rx(pkts);
		CHECK_RC(hb_buf_init(&msg, pool));
		for (i = 0; i < P2M_PKTS; i++) {
			CHECK_RC(hb_buf_attach(&p, pkts[i]));
			CHECK_RC(hb_buf_adj(&p, P2M_HDR));
			CHECK_RC(hb_buf_concat(&msg, &p));
		}
		for (off = 0; off < P2M_LEN; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			/* Whole pieces (a constant length), then the rest. */
			if (likely(P2M_LEN - off >= PIECE)) {
				CHECK_RC(hb_buf_read(&msg, off, d, PIECE));
				sum += fold_piece(d);
			} else {
				CHECK_RC(hb_buf_read(&msg, off, d, P2M_LEN - off));
				sum += p2m_fold_rest(d, P2M_LEN - off);
			}
			BENCH_USE(d, PIECE);
		}
		CHECK_RC(hb_buf_free(&msg));
	}
	p2m_done();
	return sum;
}

uint64_t
p2m_hb_cursor(uint64_t iters)
{
	struct rte_mbuf *pkts[P2M_PKTS];
	const uint32_t mask = g_out_mask;
	uint8_t *out = g_out;
	struct hb_buf msg, p;
	struct hb_cursor c;
	uint64_t sum = 0;
	unsigned int i;
	uint32_t off;

	while (iters-- > 0) {
		p2m_rx(pkts);
		CHECK_RC(hb_buf_init(&msg, pool));
		for (i = 0; i < P2M_PKTS; i++) {
			CHECK_RC(hb_buf_attach(&p, pkts[i]));
			CHECK_RC(hb_buf_adj(&p, P2M_HDR));
			CHECK_RC(hb_buf_concat(&msg, &p));
		}
		CHECK_RC(hb_cursor_init(&c, &msg, 0));
		for (off = 0; off < P2M_LEN; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			if (likely(P2M_LEN - off >= PIECE)) {
				CHECK_RC(hb_cursor_read(&c, d, PIECE));
				sum += fold_piece(d);
			} else {
				CHECK_RC(hb_cursor_read(&c, d, P2M_LEN - off));
				sum += p2m_fold_rest(d, P2M_LEN - off);
			}
			BENCH_USE(d, PIECE);
		}
		CHECK_RC(hb_buf_free(&msg));
	}
	p2m_done();
	return sum;
}

uint64_t
p2m_vec(uint64_t iters)
{
	struct rte_mbuf *pkts[P2M_PKTS];
	const uint32_t mask = g_out_mask;
	uint8_t *out = g_out;
	struct vec v = { NULL, 0, 0 };
	uint64_t sum = 0;
	unsigned int i;
	uint32_t off;

	while (iters-- > 0) {
		p2m_rx(pkts);
		for (i = 0; i < P2M_PKTS; i++) {
			CHECK_RC(vec_append(&v, rte_pktmbuf_mtod_offset(pkts[i],
						const char *, P2M_HDR), P2M_PAY));
			rte_pktmbuf_free(pkts[i]);
		}
		for (off = 0; off < P2M_LEN; off += PIECE) {
			uint8_t *d = PIECE_DST(out, mask, off);

			if (likely(P2M_LEN - off >= PIECE)) {
				memcpy(d, v.p + off, PIECE);
				sum += fold_piece(d);
			} else {
				memcpy(d, v.p + off, P2M_LEN - off);
				sum += p2m_fold_rest(d, P2M_LEN - off);
			}
			BENCH_USE(d, PIECE);
		}
		vec_free(&v);
	}
	p2m_done();
	return sum;
}

uint64_t
p2m_chain(uint64_t iters)
{
	struct rte_mbuf *pkts[P2M_PKTS];
	const uint32_t mask = g_out_mask;
	uint8_t *out = g_out;
	struct rte_mbuf *head;
	uint64_t sum = 0;
	unsigned int i;
	uint32_t off;

	while (iters-- > 0) {
		p2m_rx(pkts);
		head = pkts[0];
		CHECK_PTR(rte_pktmbuf_adj(head, P2M_HDR));
		for (i = 1; i < P2M_PKTS; i++) {
			CHECK_PTR(rte_pktmbuf_adj(pkts[i], P2M_HDR));
			CHECK_RC(rte_pktmbuf_chain(head, pkts[i]));
		}
		for (off = 0; off < P2M_LEN; off += PIECE) {
			uint32_t n = RTE_MIN(PIECE, P2M_LEN - off);
			uint8_t *d = PIECE_DST(out, mask, off);
			const uint8_t *q = rte_pktmbuf_read(head, off, n, d);

			CHECK_PTR(q);
			if (q != d)
				memcpy(d, q, n);
			BENCH_USE(d, PIECE);
			sum += n == PIECE ? fold_piece(d) : p2m_fold_rest(d, n);
		}
		rte_pktmbuf_free(head);
	}
	p2m_done();
	return sum;
}

/* ------------------------------------------------------------------------
 * Workloads: random64k, random1m
 *
 * 8-byte reads at 4096 random offsets (generated beforehand) of one long
 * chain of the pool's 2 KiB segments (32 or 512 of them, as a message
 * reassembled from received packets would be; built by 64 B xbuf appends,
 * so that HyperBuf's growth policy does not shorten it) adopted by every
 * implementation:
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
	struct xbuf x;
	uint32_t off, i;
	int rc;

	rnd_len = len;
	rnd_off = malloc(RND_READS * sizeof(*rnd_off));
	if (rnd_off == NULL)
		return -ENOMEM;
	for (i = 0; i < RND_READS; i++)
		rnd_off[i] = (uint32_t)(rng_next(&s) % (len - RND_LEN + 1));
	x.head = NULL;
	x.tail = NULL;
	for (off = 0; off < len; off += PIECE)
		CHECK_RC(xbuf_append(&x, pattern + off, PIECE));
	/* Every implementation reads this one chain. */
	m = x.head;
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

int
rnd64k_setup(void)
{
	return rnd_setup_len(64 * KIB);
}

int
rnd1m_setup(void)
{
	return rnd_setup_len(MIB);
}

void
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

uint64_t
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

uint64_t
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

uint64_t
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

