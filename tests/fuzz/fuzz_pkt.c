/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * libFuzzer packet fuzzer for hb-fwd's per-packet code (app/hb-fwd/
 * fwd_pkt.h, the functions hb-fwd's loops run).
 *
 * The input is a packet and the way it sits in mbufs: its first bytes
 * choose the mbuf pool (data room 40 .. 65535 bytes), the number of
 * segments (1..8), for each segment its kind (direct, direct with a second
 * reference, indirect clone, clone whose parent is referenced elsewhere
 * too, external buffer, shared external buffer), headroom and length
 * (split points anywhere, empty segments included), the VXLAN parameters
 * and depth, an allocation failure to inject into encap, and optionally a
 * length to extend the packet to (up to ~73 KB, past the encap limit);
 * the rest is the packet's bytes.
 *
 * Every input goes through EVERY mode, each on a freshly built chain:
 * io, macswap, route, encap (then decap of its output), encap with the
 * k-th allocation failing (when asked), decap of the input itself. After
 * each run: the result is FWD_PASS or a drop reason a mode can give
 * (never hb_error); the buffer passes hb_buf_check(), the detached chain
 * rte_mbuf_check(); the bytes (kept on a drop too) are compared with an
 * independent C model of the mode written here from docs/hb-fwd.md (MAC
 * swap; route: drop rules, TTL - 1 and RFC 1624 checksum, which must also
 * verify whenever the input's did; encap: every header field, the flow
 * hash, the layer at which SHORT / TOO_BIG / NO_MBUF stops it; decap: the
 * 16 checks and the inner frame); encap then decap gives the input back;
 * the packet metadata of the head survives encap and decap; the number of
 * allocations of encap is the number of layers that find no 50 bytes of
 * exclusive headroom (no other mode allocates); the visits hb-fwd counts
 * as bounced are the library's; and afterwards every pool is back at 0
 * mbufs in use, every external buffer freed, the DPDK heap at its
 * baseline. Any divergence prints the case and aborts (a libFuzzer crash).
 *
 * The raw engine (app/hb-fwd/fwd_raw.h, plain mbuf code) runs every mode
 * on its own freshly built chain too, with the same injected allocation
 * failure: same verdict and same bytes as the HyperBuf engine (that is,
 * as the model), no mbuf leaked. The router (route mode with --ip and
 * --eth-dest: ARP replies, ICMP time exceeded) runs in both engines on
 * the input with its first bytes made Ethernet/IPv4 or ARP addressed to
 * the router: same verdict, bytes, built packet and counters.
 *
 * frag and reasm (fwd_frag.h, fwd_frag_raw.h): the input is cut to an MTU
 * of 68..1567 bytes (from the seed; raised so that at most 256 fragments
 * come out) by both engines, each on its own chain: the verdict and every
 * fragment's bytes are those of a C model of docs/hb-fwd.md's frag (RFC
 * 791: 8-byte units, MF, the copied options after the first fragment,
 * DF, the 65515-byte end), every fragment within 14 + MTU bytes; with a
 * failure injected at the k-th allocation of the fragment pool, no_mbuf
 * (or success past the last) and nothing leaked. The HyperBuf engine's
 * fragments, in an order from the seed (in order, reversed, pairs
 * swapped, rotated), go through the HyperBuf reassembly table: a packet
 * that was not a fragment comes back as it was (its header checksum
 * recomputed); the raw engine's fragments through librte_ip_frag the same
 * way (in order, where it holds them: 8 at most). The input itself goes
 * into both tables (fresh): held if it is a fragment (then flushed and
 * counted), unchanged otherwise, the same verdicts.
 *
 * FUZZ_PKT_TRACE=1 in the environment prints each case and result.
 */

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
#include "hb_fault.h"
#include "fuzz_eal.h"
#include "fuzz_input.h"
#include "fwd_pkt.h"
#include "fwd_raw.h"
#include "fwd_frag.h"
#include "fwd_frag_raw.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSEG_MAX 8
#define DEPTH_MAX 8
#define NPOOL 6
#define POOL_N 48
#define LEN_MAX 80000u
#define OUT_MAX (LEN_MAX + DEPTH_MAX * FWD_ENCAP_LEN)
#define ENCAP_LIMIT FWD_ENCAP_MAX_FRAME	/* 65499, docs/hb-fwd.md */

/* Data rooms: 50 bytes split over two new segments (40), one new segment
 * leaving 49 or exactly 50 bytes of headroom (99, 100), small, default,
 * and the largest (a 65500-byte frame in one segment).
 */
static const uint16_t rooms[NPOOL] = { 40, 99, 100, 192, 2176, 65535 };
static struct rte_mempool *pools[NPOOL];
/* frag: the fragments' mbufs (hb-fwd's fragment pool); 256 fragments. */
#define FRAG_MAX 256
#define FRAG_POOL_N (2 * FRAG_MAX + 64)
static struct rte_mempool *frag_pool;

enum seg_kind {
	SK_DIRECT,	  /* plain mbuf: headroom usable */
	SK_DIRECT_SHARED, /* refcnt 2 (the fuzzer holds a reference) */
	SK_INDIRECT,	  /* clone of a parent only the clone holds */
	SK_INDIRECT_HELD, /* clone; the fuzzer holds the parent too */
	SK_EXT,		  /* external buffer, ext refcnt 1: exclusive */
	SK_EXT_SHARED,	  /* external buffer, ext refcnt 2 */
	SK_MAX
};
static const char *const kind_names[SK_MAX] = {
	"direct", "direct-shared", "indirect", "indirect-held", "ext",
	"ext-shared",
};

static const char *const drop_names[FWD_DROP_MAX] = {
	"short", "not_ipv4", "bad_version", "bad_ihl", "bad_total_len",
	"ttl_exceeded", "not_vxlan", "fragment", "bad_udp_len", "too_big",
	"no_mbuf", "bad_mbuf", "hb_error", "local", "bad_arp", "no_route",
	"frag_needed", "bad_fragment", "reasm_duplicate", "reasm_overlap",
	"reasm_timeout", "reasm_table_full", "reasm_mem", "reasm_flush",
	"ip_frag_drop",
};

/* The case decoded from the input. */
struct layout {
	unsigned int pool;
	unsigned int nseg;
	unsigned int depth;
	bool fault;
	unsigned int fault_k;
	uint8_t meta;
	enum seg_kind kind[NSEG_MAX];
	uint16_t hr[NSEG_MAX];
	uint32_t len[NSEG_MAX];
};

static struct layout lay;
static uint8_t pkt[LEN_MAX];	/* the input packet */
static uint32_t pkt_len;
static uint8_t out[OUT_MAX];	/* a run's result, flattened */
static uint32_t out_len;
static uint8_t exp_buf[2][OUT_MAX]; /* the models' work */

static struct fwd_encap encap;
static struct {
	struct rte_ether_addr dst, src;
	uint8_t ip_src[4], ip_dst[4];
	uint32_t vni;
} prm;

/* What a run holds besides the chain (released after it). */
static struct rte_mbuf *held[NSEG_MAX];
static unsigned int nheld;
static uint8_t ext_mem[NSEG_MAX][65536] __rte_cache_aligned;
static struct rte_mbuf_ext_shared_info ext_sh[NSEG_MAX];
static bool ext_live[NSEG_MAX];
static bool ext_held[NSEG_MAX];

static struct rte_malloc_socket_stats heap_base;
static bool trace;
static const char *cur_mode = "build";

/* ---------------------------------------------------------------------
 * Failure reporting
 */

static void
dump_case(void)
{
	unsigned int i;

	fprintf(stderr, "  pool room %u, %u segment(s), depth %u, fault %s k %u, packet %u bytes\n",
		rooms[lay.pool], lay.nseg, lay.depth, lay.fault ? "on" : "off",
		lay.fault_k, pkt_len);
	for (i = 0; i < lay.nseg; i++)
		fprintf(stderr, "  seg %u: %s headroom %u len %u\n", i,
			kind_names[lay.kind[i]], lay.hr[i], lay.len[i]);
	fprintf(stderr, "  packet:");
	for (i = 0; i < pkt_len && i < 96; i++)
		fprintf(stderr, " %02x", pkt[i]);
	fprintf(stderr, "%s\n", pkt_len > 96 ? " ..." : "");
}

static void fz_fail(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void
fz_fail(int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nfuzz_pkt: DIVERGENCE at line %d, mode %s:\n  ",
		line, cur_mode);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	dump_case();
	abort();
}

/* FZ_ASSERT(): fuzz_input.h, calls fz_fail() above. */

static const char *
res_name(int r)
{
	if (r == FWD_PASS)
		return "pass";
	if (r >= 0 && r < FWD_DROP_MAX)
		return drop_names[r];
	return "?";
}

static void
assert_bytes(const uint8_t *exp, uint32_t exp_len, const char *what)
{
	uint32_t i;

	FZ_ASSERT(out_len == exp_len, "%s: length %u, model %u", what, out_len,
		  exp_len);
	if (memcmp(out, exp, exp_len) == 0)
		return;
	for (i = 0; out[i] == exp[i]; i++)
		;
	fz_fail(__LINE__, "%s: byte %u is %02x, model %02x (length %u)", what,
		i, out[i], exp[i], exp_len);
}

/* ---------------------------------------------------------------------
 * Input decoding
 */

/* in, g8(), g16(), g32(): fuzz_input.h */

/*
 * Header: [0] pool (bits 0-2), extend (3), fault (4), depth - 1 (5-7);
 * [1] segments - 1 (bits 0-2), fault k (3-7); [2] metadata seed;
 * [3..6] VXLAN parameters seed; per segment kind (1), headroom (2, LE),
 * length (2, LE); if extend: target length (2, LE) + 32 x (1); then the
 * packet. Lengths are taken modulo what remains, headrooms modulo the room
 * the length leaves; the packet is cut to what the segments hold.
 */
static void
decode(const uint8_t *data, size_t size)
{
	uint32_t want_len[NSEG_MAX], hr_raw[NSEG_MAX], remaining, room, i;
	uint32_t target = 0, data_len, seed;
	uint8_t b0, b1;
	bool extend;

	fuzz_input_set(data, size);
	b0 = g8();
	b1 = g8();
	lay.pool = (b0 & 7) % NPOOL;
	extend = (b0 >> 3) & 1;
	lay.fault = (b0 >> 4) & 1;
	lay.depth = (b0 >> 5) + 1;
	lay.nseg = (b1 & 7) + 1;
	lay.fault_k = b1 >> 3;
	lay.meta = g8();
	seed = g8();
	seed |= (uint32_t)g8() << 8;
	seed |= (uint32_t)g8() << 16;
	seed |= (uint32_t)g8() << 24;
	for (i = 0; i < lay.nseg; i++) {
		lay.kind[i] = (enum seg_kind)(g8() % SK_MAX);
		hr_raw[i] = g16();
		want_len[i] = g16();
	}
	if (extend) {
		target = g16();
		target += 32u * g8();
	}

	/* The packet: the rest, repeated up to the target length. */
	data_len = (uint32_t)RTE_MIN(fuzz_input_left(), (size_t)LEN_MAX);
	memcpy(pkt, in + in_pos, data_len);
	pkt_len = data_len;
	if (target > pkt_len) {
		target = RTE_MIN(target, LEN_MAX);
		if (data_len == 0) {
			pkt[0] = 0x5a;
			pkt_len = 1;
		}
		/* Doubling copies (a byte loop costs much under coverage). */
		while (pkt_len < target) {
			uint32_t n = RTE_MIN(pkt_len, target - pkt_len);

			memcpy(pkt + pkt_len, pkt, n);
			pkt_len += n;
		}
	}

	/* Split it; what the segments cannot hold is cut off. */
	room = rooms[lay.pool];
	remaining = pkt_len;
	for (i = 0; i < lay.nseg; i++) {
		uint32_t l = i + 1 == lay.nseg ? remaining :
			     want_len[i] % (remaining + 1);

		l = RTE_MIN(l, room);
		lay.len[i] = l;
		lay.hr[i] = (uint16_t)(hr_raw[i] % (room - l + 1));
		remaining -= l;
	}
	pkt_len -= remaining;

	/* VXLAN parameters from the seed (xorshift32). */
	for (i = 0; i < sizeof(prm.dst) + sizeof(prm.src) + 8; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		if (i < 6)
			prm.dst.addr_bytes[i] = (uint8_t)seed;
		else if (i < 12)
			prm.src.addr_bytes[i - 6] = (uint8_t)seed;
		else if (i < 16)
			prm.ip_src[i - 12] = (uint8_t)seed;
		else
			prm.ip_dst[i - 16] = (uint8_t)seed;
	}
	prm.vni = (seed >> 3) & 0xffffff;
}

/* ---------------------------------------------------------------------
 * Building the chain
 */

static void
ext_free_cb(void *addr, void *opaque)
{
	unsigned int i = (unsigned int)(uintptr_t)opaque;

	FZ_ASSERT(addr == ext_mem[i], "external buffer %u freed with %p", i,
		  addr);
	FZ_ASSERT(ext_live[i], "external buffer %u freed twice", i);
	ext_live[i] = false;
}

static struct rte_mbuf *
alloc_seg(struct rte_mempool *mp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	FZ_ASSERT(m != NULL, "pool %s empty while building", mp->name);
	return m;
}

/* Metadata every head gets; encap and decap must keep it on the head. */
static void
meta_set(struct rte_mbuf *m)
{
	m->port = (uint16_t)(0x100 + lay.meta);
	m->packet_type = 0x11u * lay.meta;
	m->hash.rss = 0x9e3779b9u * (lay.meta + 1u);
	m->vlan_tci = (uint16_t)(lay.meta * 3u);
	m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
}

static void
meta_check(const struct rte_mbuf *m)
{
	FZ_ASSERT(m->port == (uint16_t)(0x100 + lay.meta) &&
		  m->packet_type == 0x11u * lay.meta &&
		  m->hash.rss == 0x9e3779b9u * (lay.meta + 1u) &&
		  m->vlan_tci == (uint16_t)(lay.meta * 3u) &&
		  (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0,
		  "head metadata lost: port %u ptype %#x rss %#x vlan %u flags %#" PRIx64,
		  m->port, m->packet_type, m->hash.rss, m->vlan_tci,
		  m->ol_flags);
}

static struct rte_mbuf *
build(void)
{
	struct rte_mempool *mp = pools[lay.pool];
	struct rte_mbuf *head = NULL, *prev = NULL, *m, *parent;
	const char *why = NULL;
	uint32_t off = 0, i;

	nheld = 0;
	for (i = 0; i < lay.nseg; i++) {
		m = alloc_seg(mp);
		switch (lay.kind[i]) {
		case SK_DIRECT:
			break;
		case SK_DIRECT_SHARED:
			rte_mbuf_refcnt_update(m, 1);
			held[nheld++] = m;
			break;
		case SK_INDIRECT:
		case SK_INDIRECT_HELD:
			parent = alloc_seg(mp);
			rte_pktmbuf_attach(m, parent);
			if (lay.kind[i] == SK_INDIRECT)
				rte_pktmbuf_free(parent); /* the clone's now */
			else
				held[nheld++] = parent;
			break;
		case SK_EXT:
		case SK_EXT_SHARED:
			ext_sh[i].free_cb = ext_free_cb;
			ext_sh[i].fcb_opaque = (void *)(uintptr_t)i;
			rte_mbuf_ext_refcnt_set(&ext_sh[i],
						lay.kind[i] == SK_EXT ? 1 : 2);
			ext_live[i] = true;
			ext_held[i] = lay.kind[i] == SK_EXT_SHARED;
			rte_pktmbuf_attach_extbuf(m, ext_mem[i],
				(rte_iova_t)(uintptr_t)ext_mem[i],
				rooms[lay.pool], &ext_sh[i]);
			break;
		default:
			FZ_ASSERT(false, "kind %d", lay.kind[i]);
		}
		FZ_ASSERT(m->buf_len >= lay.hr[i] + lay.len[i],
			  "segment %u: room %u", i, m->buf_len);
		m->data_off = lay.hr[i];
		m->data_len = (uint16_t)lay.len[i];
		m->next = NULL;
		m->nb_segs = 1;
		memcpy(rte_pktmbuf_mtod(m, void *), pkt + off, lay.len[i]);
		off += lay.len[i];
		if (prev == NULL)
			head = m;
		else
			prev->next = m;
		prev = m;
	}
	head->nb_segs = (uint16_t)lay.nseg;
	head->pkt_len = pkt_len;
	meta_set(head);
	FZ_ASSERT(off == pkt_len, "built %u of %u bytes", off, pkt_len);
	FZ_ASSERT(rte_mbuf_check(head, 1, &why) == 0, "built chain: %s", why);
	return head;
}

/* Flatten a detached chain into out[], checking every segment. */
static void
flatten(const struct rte_mbuf *h)
{
	const struct rte_mbuf *m;
	const char *why = NULL;
	uint32_t n = 0;

	FZ_ASSERT(rte_mbuf_check(h, 1, &why) == 0, "rte_mbuf_check: %s", why);
	out_len = 0;
	for (m = h; m != NULL; m = m->next) {
		FZ_ASSERT(rte_mbuf_check(m, 0, &why) == 0,
			  "segment %u: rte_mbuf_check: %s", n, why);
		FZ_ASSERT(out_len + m->data_len <= OUT_MAX, "chain too long");
		memcpy(out + out_len, rte_pktmbuf_mtod(m, const void *),
		       m->data_len);
		out_len += m->data_len;
		n++;
	}
	FZ_ASSERT(out_len == h->pkt_len, "pkt_len %u, bytes %u", h->pkt_len,
		  out_len);
}

/* Release what the fuzzer held; everything must be back. */
static void
release_held(void)
{
	unsigned int i;

	for (i = 0; i < nheld; i++)
		rte_pktmbuf_free_seg(held[i]);
	nheld = 0;
	for (i = 0; i < NSEG_MAX; i++) {
		if (!ext_held[i])
			continue;
		ext_held[i] = false;
		if (rte_mbuf_ext_refcnt_update(&ext_sh[i], -1) == 0)
			ext_free_cb(ext_mem[i], (void *)(uintptr_t)i);
	}
	for (i = 0; i < NSEG_MAX; i++)
		FZ_ASSERT(!ext_live[i], "external buffer %u never freed", i);
	for (i = 0; i < NPOOL; i++)
		FZ_ASSERT(rte_mempool_in_use_count(pools[i]) == 0,
			  "pool %u (room %u): %u mbufs in use", i, rooms[i],
			  rte_mempool_in_use_count(pools[i]));
	FZ_ASSERT(rte_mempool_in_use_count(frag_pool) == 0,
		  "fragment pool: %u mbufs in use",
		  rte_mempool_in_use_count(frag_pool));
}

/* ---------------------------------------------------------------------
 * Models, from docs/hb-fwd.md, on flat bytes
 */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* One's complement addition with end-around carry. */
static uint16_t
oc_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/* One's complement sum of the 16-bit words of @n bytes (n even). */
static uint16_t
oc_sum(const uint8_t *p, uint32_t n)
{
	uint16_t s = 0;
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		s = oc_add(s, be16(p + i));
	return s;
}

static int
model_macswap(uint8_t *p, uint32_t len)
{
	uint8_t t[6];

	if (len < 14)
		return FWD_DROP_SHORT;
	memcpy(t, p, 6);
	memcpy(p, p + 6, 6);
	memcpy(p + 6, t, 6);
	return FWD_PASS;
}

/* Route steps 1-7 (shared with decap's 1-7 but for the EtherType one). */
static int
model_ipv4(const uint8_t *p, uint32_t len, int not_ip)
{
	uint32_t hl, tl;

	if (len < 14)
		return FWD_DROP_SHORT;
	if (be16(p + 12) != 0x0800)
		return not_ip;
	if (len < 34)
		return FWD_DROP_SHORT;
	if (p[14] >> 4 != 4)
		return FWD_DROP_BAD_VERSION;
	hl = (p[14] & 15u) * 4;
	if (hl < 20)
		return FWD_DROP_BAD_IHL;
	if (14 + hl > len)
		return FWD_DROP_SHORT;
	tl = be16(p + 16);
	if (tl < hl || 14 + tl > len)
		return FWD_DROP_BAD_TOTAL_LEN;
	return FWD_PASS;
}

static int
model_route(uint8_t *p, uint32_t len, bool *cksum_was_ok)
{
	uint16_t hc, m, m2;
	int r = model_ipv4(p, len, FWD_DROP_NOT_IPV4);

	*cksum_was_ok = false;
	if (r != FWD_PASS)
		return r;
	if (p[22] <= 1)
		return FWD_DROP_TTL_EXCEEDED;
	*cksum_was_ok = oc_sum(p + 14, (p[14] & 15u) * 4) == 0xffff;
	/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
	hc = be16(p + 24);
	m = be16(p + 22);
	p[22]--;
	m2 = be16(p + 22);
	put16(p + 24, (uint16_t)~oc_add(oc_add((uint16_t)~hc, (uint16_t)~m),
					m2));
	return FWD_PASS;
}

static uint32_t
fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u, i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

/* The flow hash of docs/hb-fwd.md, encap step 4. */
static uint32_t
model_hash(const uint8_t *p, uint32_t len)
{
	uint8_t key[13];
	uint32_t hl, n = 9;

	if (be16(p + 12) != 0x0800 || len < 34 || p[14] >> 4 != 4 ||
	    (p[14] & 15) < 5)
		return fnv1a(p, 14);
	hl = (p[14] & 15u) * 4;
	memcpy(key, p + 26, 8);
	key[8] = p[23];
	if ((p[23] == 6 || p[23] == 17) && (be16(p + 20) & 0x3fff) == 0 &&
	    len >= 14 + hl + 4) {
		memcpy(key + 9, p + 14 + hl, 4);
		n = 13;
	}
	return fnv1a(key, n);
}

/* One encap layer around the @len bytes at @p, written to @o. */
static void
model_encap_one(const uint8_t *p, uint32_t len, uint8_t *o)
{
	uint32_t h = model_hash(p, len);
	uint8_t *ip = o + 14, *udp = o + 34, *vx = o + 42;

	memmove(o + FWD_ENCAP_LEN, p, len);
	memcpy(o, prm.dst.addr_bytes, 6);
	memcpy(o + 6, prm.src.addr_bytes, 6);
	put16(o + 12, 0x0800);
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, len + 36);
	put16(ip + 4, 0);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 17;
	put16(ip + 10, 0);
	memcpy(ip + 12, prm.ip_src, 4);
	memcpy(ip + 16, prm.ip_dst, 4);
	put16(ip + 10, (uint16_t)~oc_sum(ip, 20));
	put16(udp, 49152 + (h & 0x3fff));
	put16(udp + 2, 4789);
	put16(udp + 4, len + 16);
	put16(udp + 6, 0);
	vx[0] = 0x08;
	vx[1] = vx[2] = vx[3] = 0;
	vx[4] = (uint8_t)(prm.vni >> 16);
	vx[5] = (uint8_t)(prm.vni >> 8);
	vx[6] = (uint8_t)prm.vni;
	vx[7] = 0;
}

/*
 * Encap @depth layers, stopping (like hb-fwd) at the first that is
 * dropped; @fail_layer is the layer whose allocation fails (-1: none).
 */
static int
model_encap(uint8_t *p, uint32_t *len, unsigned int depth, int fail_layer)
{
	unsigned int d;

	for (d = 0; d < depth; d++) {
		if (*len < 14)
			return FWD_DROP_SHORT;
		if (*len > ENCAP_LIMIT)
			return FWD_DROP_TOO_BIG;
		if ((int)d == fail_layer)
			return FWD_DROP_NO_MBUF;
		model_encap_one(p, *len, p);
		*len += FWD_ENCAP_LEN;
	}
	return FWD_PASS;
}

/* One decap layer: docs/hb-fwd.md steps 1-16. */
static int
model_decap_one(uint8_t *p, uint32_t *len)
{
	uint32_t hl, l4, end, ulen;
	int r = model_ipv4(p, *len, FWD_DROP_NOT_VXLAN);

	if (r != FWD_PASS)
		return r;
	hl = (p[14] & 15u) * 4;
	if (p[23] != 17)
		return FWD_DROP_NOT_VXLAN;
	if (be16(p + 20) & 0x3fff)
		return FWD_DROP_FRAGMENT;
	l4 = 14 + hl;
	end = 14 + be16(p + 16);
	if (l4 + 8 > end)
		return FWD_DROP_SHORT;
	if (be16(p + l4 + 2) != 4789)
		return FWD_DROP_NOT_VXLAN;
	ulen = be16(p + l4 + 4);
	if (ulen < 8 || l4 + ulen > end)
		return FWD_DROP_BAD_UDP_LEN;
	if (ulen < 16)
		return FWD_DROP_SHORT;
	if (!(p[l4 + 8] & 0x08))
		return FWD_DROP_NOT_VXLAN;
	if (ulen < 30)
		return FWD_DROP_SHORT;
	memmove(p, p + l4 + 16, ulen - 16);
	*len = ulen - 16;
	return FWD_PASS;
}

static int
model_decap(uint8_t *p, uint32_t *len, unsigned int depth)
{
	unsigned int d;
	int r = FWD_PASS;

	for (d = 0; d < depth && r == FWD_PASS; d++)
		r = model_decap_one(p, len);
	return r;
}

/*
 * Which encap layers take an mbuf (docs/hb-fwd.md encap step 3): those
 * whose head segment is not exclusive (direct with refcnt 1, or an
 * external buffer nobody else references) or has under 50 bytes of
 * headroom. A new head holds the 50 bytes at its end: its headroom is
 * room - 50 (or, with a room under 50, what is left in the first of the
 * segments the bytes spread over). Sets need[] for the layers that run.
 */
static void
model_allocs(bool need[DEPTH_MAX])
{
	uint32_t room = rooms[lay.pool], n, chunk, hr;
	bool excl;
	unsigned int d;

	/* The head: the first segment of the chain as built. */
	excl = lay.kind[0] == SK_DIRECT || lay.kind[0] == SK_EXT;
	hr = lay.hr[0];
	n = (FWD_ENCAP_LEN + room - 1) / room;
	chunk = FWD_ENCAP_LEN - (n - 1) * room;
	for (d = 0; d < DEPTH_MAX; d++) {
		need[d] = !excl || hr < FWD_ENCAP_LEN;
		if (need[d]) {
			excl = true;
			hr = room - chunk;
		} else {
			hr -= FWD_ENCAP_LEN;
		}
	}
}

/* ---------------------------------------------------------------------
 * Runs
 */

struct run {
	int r;
	struct rte_mbuf *m;	 /* the detached chain */
	struct rte_mbuf *head0;	 /* the chain as built */
	uint64_t calls;		 /* allocation calls (dequeues) */
	bool fired;		 /* the injected failure fired */
};

static void
hb_bounced(uint64_t *v)
{
	struct hb_stats st;

	/* This lcore's only (hb_stats_get() sums all RTE_MAX_LCORE). */
	RTE_VERIFY(hb_lcore_stats_get(rte_lcore_id(), &st) == 0);
	*v = st.visits_bounced;
}

/* Run @mode on @m (attached here); the result is detached and flattened. */
static void
run_on(struct run *ru, struct rte_mbuf *m, enum fwd_mode mode,
       int fail_call)
{
	struct rte_mempool *mp = pools[lay.pool];
	struct fwd_visit_count vc = { 0, 0 };
	struct hb_fault_stats st0, st1;
	const char *why = NULL;
	uint64_t b0, b1;
	struct hb_buf b;

	ru->head0 = m;
	FZ_ASSERT(hb_buf_attach(&b, m) == 0, "attach");
	hb_bounced(&b0);
	RTE_VERIFY(hb_fault_stats(mp, &st0) == 0);
	if (fail_call >= 0)
		RTE_VERIFY(hb_fault_fail_call(mp, (uint64_t)fail_call) == 0);
	ru->r = fwd_packet(&b, mode, &encap, lay.depth, &vc);
	hb_fault_disarm(mp);
	RTE_VERIFY(hb_fault_stats(mp, &st1) == 0);
	hb_bounced(&b1);
	ru->calls = st1.calls - st0.calls;
	ru->fired = st1.failed != st0.failed;

	FZ_ASSERT(ru->r == FWD_PASS || (ru->r >= 0 && ru->r < FWD_DROP_MAX),
		  "result %d", ru->r);
	FZ_ASSERT(ru->r != FWD_DROP_HB_ERROR && ru->r != FWD_DROP_BAD_MBUF,
		  "result %s", res_name(ru->r));
	FZ_ASSERT(hb_buf_check(&b, &why) == 0, "hb_buf_check: %s", why);
	FZ_ASSERT(vc.bounced <= vc.visits, "%u bounced of %u visits",
		  vc.bounced, vc.visits);
	FZ_ASSERT(b1 - b0 == vc.bounced,
		  "hb-fwd counted %u bounced visits, the library %" PRIu64,
		  vc.bounced, b1 - b0);
	FZ_ASSERT(mode == FWD_MODE_ENCAP || ru->calls == 0,
		  "%" PRIu64 " allocations", ru->calls);
	ru->m = hb_buf_detach(&b);
	FZ_ASSERT(ru->m != NULL, "detach: %s", rte_strerror(rte_errno));
	flatten(ru->m);
	if (trace)
		fprintf(stderr, "fuzz_pkt: %s: %s, %u -> %u bytes, %u segs, %u visits (%u bounced), %" PRIu64 " allocs%s\n",
			cur_mode, res_name(ru->r), pkt_len, out_len,
			ru->m->nb_segs, vc.visits, vc.bounced, ru->calls,
			ru->fired ? " (failure fired)" : "");
}

static void
run_mode(struct run *ru, enum fwd_mode mode, int fail_call)
{
	run_on(ru, build(), mode, fail_call);
}

static void
run_done(struct run *ru)
{
	rte_pktmbuf_free(ru->m);
	release_held();
}

/*
 * The raw engine on its own freshly built chain, with @c (NULL: the
 * modes' defaults) and the same failure injected: the verdict must be
 * @r_hb, the bytes @exp (what the HyperBuf engine gave).
 */
static void
check_raw(enum fwd_mode mode, int fail_call, int r_hb, const uint8_t *exp,
	  uint32_t exp_len, struct fwd_pctx *c)
{
	struct rte_mempool *mp = pools[lay.pool];
	const char *saved = cur_mode;
	struct fwd_pctx dc;
	struct rte_mbuf *m;
	int r;

	cur_mode = "raw engine";
	if (c == NULL) {
		memset(&dc, 0, sizeof(dc));
		dc.encap = &encap;
		dc.depth = lay.depth;
		c = &dc;
	}
	m = build();
	if (fail_call >= 0)
		RTE_VERIFY(hb_fault_fail_call(mp, (uint64_t)fail_call) == 0);
	r = fwd_raw_packet(&m, mode, c);
	hb_fault_disarm(mp);
	FZ_ASSERT(r == r_hb, "%s: raw %s, hyperbuf %s", saved, res_name(r),
		  res_name(r_hb));
	flatten(m);
	assert_bytes(exp, exp_len, saved);
	if (r == FWD_PASS && (mode == FWD_MODE_ENCAP || mode == FWD_MODE_DECAP))
		meta_check(m);
	rte_pktmbuf_free(m);
	release_held();
	cur_mode = saved;
}

/* After a layout change, the chain has no empty segment at its end. */
static void
assert_no_trailing_empty(const struct rte_mbuf *h)
{
	const struct rte_mbuf *m = h;

	while (m->next != NULL)
		m = m->next;
	FZ_ASSERT(m->data_len != 0 || h->pkt_len == 0,
		  "empty last segment (%u segments)", h->nb_segs);
}

static void
check_io(void)
{
	const struct rte_mbuf *m, *h;
	struct run ru;
	uint32_t i;

	cur_mode = "io";
	run_mode(&ru, FWD_MODE_IO, -1);
	FZ_ASSERT(ru.r == FWD_PASS, "io: %s", res_name(ru.r));
	assert_bytes(pkt, pkt_len, "io");
	/* Never used beyond attach: handed back exactly as built. */
	FZ_ASSERT(ru.m == ru.head0, "io: another head");
	h = ru.m;
	FZ_ASSERT(h->nb_segs == lay.nseg, "io: %u segments", h->nb_segs);
	for (m = h, i = 0; m != NULL; m = m->next, i++)
		FZ_ASSERT(m->data_off == lay.hr[i] && m->data_len == lay.len[i],
			  "io: segment %u moved", i);
	run_done(&ru);
	check_raw(FWD_MODE_IO, -1, FWD_PASS, pkt, pkt_len, NULL);
}

static void
check_macswap(void)
{
	uint32_t len = pkt_len;
	struct run ru;
	int r;

	cur_mode = "macswap";
	memcpy(exp_buf[0], pkt, pkt_len);
	r = model_macswap(exp_buf[0], len);
	run_mode(&ru, FWD_MODE_MACSWAP, -1);
	FZ_ASSERT(ru.r == r, "%s, model %s", res_name(ru.r), res_name(r));
	assert_bytes(exp_buf[0], len, "macswap");
	run_done(&ru);
	check_raw(FWD_MODE_MACSWAP, -1, r, exp_buf[0], len, NULL);
}

static void
check_route(void)
{
	uint32_t len = pkt_len, hl;
	bool was_ok;
	struct run ru;
	int r;

	cur_mode = "route";
	memcpy(exp_buf[0], pkt, pkt_len);
	r = model_route(exp_buf[0], len, &was_ok);
	run_mode(&ru, FWD_MODE_ROUTE, -1);
	FZ_ASSERT(ru.r == r, "%s, model %s", res_name(ru.r), res_name(r));
	assert_bytes(exp_buf[0], len, "route");
	if (r == FWD_PASS && was_ok) {
		/* Property, whatever the formula: a valid header stays so. */
		hl = (out[14] & 15u) * 4;
		FZ_ASSERT(oc_sum(out + 14, hl) == 0xffff,
			  "route: checksum no longer verifies");
	}
	run_done(&ru);
	check_raw(FWD_MODE_ROUTE, -1, r, exp_buf[0], len, NULL);
}

static void
check_encap(void)
{
	bool need[DEPTH_MAX];
	uint32_t len = pkt_len, elen, nalloc = 0, d;
	struct rte_mbuf *m;
	struct run ru, rd;
	int r;

	cur_mode = "encap";
	model_allocs(need);
	memcpy(exp_buf[0], pkt, pkt_len);
	r = model_encap(exp_buf[0], &len, lay.depth, -1);
	/* Allocations: in the layers that prepended, (len - pkt_len) / 50. */
	for (d = 0; d < (len - pkt_len) / FWD_ENCAP_LEN; d++)
		nalloc += need[d];
	run_mode(&ru, FWD_MODE_ENCAP, -1);
	FZ_ASSERT(ru.r == r, "%s, model %s", res_name(ru.r), res_name(r));
	assert_bytes(exp_buf[0], len, "encap");
	FZ_ASSERT(ru.calls == nalloc, "%" PRIu64 " allocations, model %u",
		  ru.calls, nalloc);
	if (r != FWD_PASS) {
		run_done(&ru);
		check_raw(FWD_MODE_ENCAP, -1, r, exp_buf[0], len, NULL);
		return;
	}
	meta_check(ru.m);
	assert_no_trailing_empty(ru.m);
	elen = out_len;
	for (d = 0; d < lay.depth; d++) {
		/* Every outer IPv4 header verifies. */
		FZ_ASSERT(oc_sum(out + d * FWD_ENCAP_LEN + 14, 20) == 0xffff,
			  "encap: layer %u: IPv4 checksum", d);
	}

	/* Decap of the result gives the input back (a new attach). */
	cur_mode = "encap+decap";
	m = ru.m;
	run_on(&rd, m, FWD_MODE_DECAP, -1);
	FZ_ASSERT(rd.r == FWD_PASS, "decap of encap: %s (%u bytes)",
		  res_name(rd.r), elen);
	assert_bytes(pkt, pkt_len, "decap of encap");
	meta_check(rd.m);
	assert_no_trailing_empty(rd.m);
	run_done(&rd);
	check_raw(FWD_MODE_ENCAP, -1, r, exp_buf[0], len, NULL);
}

/* Encap with its k-th allocation failing. */
static void
check_encap_fault(void)
{
	bool need[DEPTH_MAX];
	uint32_t len = pkt_len, d, k = 0;
	int fail_layer = -1, r;
	struct run ru;

	cur_mode = "encap-fault";
	model_allocs(need);
	for (d = 0; d < lay.depth; d++) {
		if (!need[d])
			continue;
		if (k++ == lay.fault_k) {
			fail_layer = (int)d;
			break;
		}
	}
	memcpy(exp_buf[0], pkt, pkt_len);
	r = model_encap(exp_buf[0], &len, lay.depth, fail_layer);
	run_mode(&ru, FWD_MODE_ENCAP, (int)lay.fault_k);
	FZ_ASSERT(ru.r == r, "%s, model %s (failing layer %d)",
		  res_name(ru.r), res_name(r), fail_layer);
	FZ_ASSERT(ru.fired == (r == FWD_DROP_NO_MBUF),
		  "injected failure %s, result %s",
		  ru.fired ? "fired" : "did not fire", res_name(ru.r));
	/* Layers before the failing one stay; that one changed nothing. */
	assert_bytes(exp_buf[0], len, "encap with a failing allocation");
	run_done(&ru);
	/* The raw engine allocates at the same points: the same failure. */
	check_raw(FWD_MODE_ENCAP, (int)lay.fault_k, r, exp_buf[0], len, NULL);
}

static void
check_decap(void)
{
	uint32_t len = pkt_len;
	struct run ru;
	int r;

	cur_mode = "decap";
	memcpy(exp_buf[1], pkt, pkt_len);
	r = model_decap(exp_buf[1], &len, lay.depth);
	run_mode(&ru, FWD_MODE_DECAP, -1);
	FZ_ASSERT(ru.r == r, "%s, model %s", res_name(ru.r), res_name(r));
	assert_bytes(exp_buf[1], len, "decap");
	if (r == FWD_PASS) {
		meta_check(ru.m);
		assert_no_trailing_empty(ru.m);
	}
	run_done(&ru);
	check_raw(FWD_MODE_DECAP, -1, r, exp_buf[1], len, NULL);
}

/* ---------------------------------------------------------------------
 * The router, both engines
 */

static struct fwd_l3 l3;
static struct fwd_tbucket tb;
static uint8_t gen_buf[2][FWD_ICMP_HDRS_LEN + FWD_ICMP_QUOTE_MAX];
static uint32_t gen_len[2];

/* The router of port 0: its address and MACs from the VXLAN seed. */
static void
router_init(struct fwd_pctx *c)
{
	memset(&l3, 0, sizeof(l3));
	l3.default_port = -1;
	memcpy(&l3.port[0].ip, prm.ip_src, 4);
	if (l3.port[0].ip == 0)
		l3.port[0].ip = RTE_BE32(0xc00002fe);
	l3.port[0].mac = prm.src;
	l3.port[0].has_eth_dest = (prm.vni & 1) != 0;
	l3.port[0].eth_dest = prm.dst;
	l3.addrs[l3.nb_addrs++] = l3.port[0].ip;
	/* Never rate limited: one token a cycle, a huge bucket. */
	fwd_tb_init(&tb, 1, 1, UINT32_MAX, rte_rdtsc());
	memset(c, 0, sizeof(*c));
	c->l3 = &l3;
	c->mp = pools[lay.pool];
	c->tb = &tb;
}

/* Keep the built packet's bytes (flattened) and free it. */
static void
keep_gen(struct fwd_pctx *c, unsigned int i)
{
	gen_len[i] = 0;
	if (c->gen == NULL)
		return;
	flatten(c->gen);
	FZ_ASSERT(out_len <= sizeof(gen_buf[i]), "built %u bytes", out_len);
	memcpy(gen_buf[i], out, out_len);
	gen_len[i] = out_len;
	rte_pktmbuf_free(c->gen);
	c->gen = NULL;
}

/*
 * The input as it would reach a router: its EtherType made IPv4 or ARP
 * (by the metadata seed), then route mode with router state in both
 * engines.
 */
static void
check_router(void)
{
	uint8_t saved[14 + 28];
	uint32_t n = RTE_MIN(pkt_len, (uint32_t)sizeof(saved));
	struct fwd_visit_count vc = { 0, 0 };
	struct fwd_pctx c, rc;
	struct fwd_gen_count g0;
	const char *why = NULL;
	struct hb_buf b;
	int r, r2;

	cur_mode = "router";
	memcpy(saved, pkt, n);
	if (pkt_len >= 14) {
		pkt[12] = 0x08;
		pkt[13] = (lay.meta & 1) ? 0x06 : 0x00;
	}
	/* An ARP request for the router's address, sometimes. */
	router_init(&c);
	if ((lay.meta & 3) == 1 && pkt_len >= 42) {
		pkt[14] = 0;
		pkt[15] = 1;
		pkt[16] = 8;
		pkt[17] = 0;
		pkt[18] = 6;
		pkt[19] = 4;
		memcpy(pkt + 38, &l3.port[0].ip, 4);
	}
	FZ_ASSERT(hb_buf_attach(&b, build()) == 0, "attach");
	r = fwd_packet_ctx(&b, FWD_MODE_ROUTE, &c, &vc);
	FZ_ASSERT(r == FWD_PASS || (r >= 0 && r < FWD_DROP_MAX &&
				    r != FWD_DROP_HB_ERROR), "result %d", r);
	FZ_ASSERT(hb_buf_check(&b, &why) == 0, "hb_buf_check: %s", why);
	keep_gen(&c, 0);
	g0 = c.gc;
	{
		struct rte_mbuf *m = hb_buf_detach(&b);

		FZ_ASSERT(m != NULL, "detach");
		flatten(m);
		memcpy(exp_buf[0], out, out_len);
		rte_pktmbuf_free(m);
	}
	release_held();
	router_init(&rc);
	rc.gc = (struct fwd_gen_count){ 0 };
	{
		struct rte_mbuf *m = build();

		r2 = fwd_raw_packet(&m, FWD_MODE_ROUTE, &rc);
		FZ_ASSERT(r2 == r, "raw %s, hyperbuf %s", res_name(r2),
			  res_name(r));
		keep_gen(&rc, 1);
		flatten(m);
		assert_bytes(exp_buf[0], pkt_len, "router");
		rte_pktmbuf_free(m);
	}
	release_held();
	FZ_ASSERT(gen_len[0] == gen_len[1] &&
		  memcmp(gen_buf[0], gen_buf[1], gen_len[0]) == 0,
		  "built packets differ (%u and %u bytes)", gen_len[0],
		  gen_len[1]);
	FZ_ASSERT(memcmp(&g0, &rc.gc, sizeof(g0)) == 0,
		  "counters differ: arp %u/%u icmp %u/%u suppressed %u/%u",
		  g0.arp_replies, rc.gc.arp_replies, g0.icmp_sent,
		  rc.gc.icmp_sent, g0.icmp_suppressed, rc.gc.icmp_suppressed);
	if (trace)
		fprintf(stderr, "fuzz_pkt: router: %s, built %u bytes\n",
			res_name(r), gen_len[0]);
	memcpy(pkt, saved, n);
}

/* ---------------------------------------------------------------------
 * frag and reasm, both engines
 */

static uint8_t frag_exp[OUT_MAX];	/* the model's fragments, flat */
static uint32_t frag_exp_len[FRAG_MAX];
static struct rte_mbuf *frag_out[2][FWD_FRAG_MAX_OUT];
static uint32_t frag_n[2];

/* The IPv4 header of the fragments after the first (RFC 791 3.1). */
static uint32_t
model_later_hdr(const uint8_t *h, uint32_t hl, uint8_t *o)
{
	uint32_t i = 20, n = 20, ol;

	memcpy(o, h, 20);
	while (i < hl && h[i] != 0) {
		if (h[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hl || h[i + 1] < 2 || h[i + 1] > hl - i)
			break;
		ol = h[i + 1];
		if (h[i] & 0x80) {
			memcpy(o + n, h + i, ol);
			n += ol;
		}
		i += ol;
	}
	while (n % 4)
		o[n++] = 0;
	o[0] = (uint8_t)((h[0] & 0xf0) | (n / 4));
	return n;
}

static void
model_cksum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~oc_sum(ip, (ip[0] & 15u) * 4));
}

/*
 * docs/hb-fwd.md frag: the verdict; frag_exp[] the fragments' bytes
 * (frag_exp_len[] each, *n of them; 0 when the packet passes, in
 * frag_exp, as it goes out).
 */
static int
model_frag(uint32_t mtu, uint32_t *n, uint32_t *plen_out)
{
	uint32_t len = pkt_len, hl, tl, fo, off, plen, fs, done = 0, k;
	uint8_t later[60];
	uint32_t lhl;
	int r;

	*n = 0;
	*plen_out = len;
	memcpy(frag_exp, pkt, len);
	if (len <= 14 + mtu)
		return FWD_PASS;
	r = model_ipv4(pkt, len, FWD_DROP_NOT_IPV4);
	if (r != FWD_PASS)
		return r;
	hl = (pkt[14] & 15u) * 4;
	tl = be16(pkt + 16);
	if (tl <= mtu) {
		*plen_out = 14 + tl;
		return FWD_PASS;
	}
	fo = be16(pkt + 20);
	if (fo & 0x4000)
		return FWD_DROP_FRAG_NEEDED;
	off = (fo & 0x1fff) * 8;
	plen = tl - hl;
	if (off + plen > 65515)
		return FWD_DROP_BAD_FRAGMENT;
	fs = (mtu - hl) & ~7u;
	if (off == 0 && hl > 20)
		lhl = model_later_hdr(pkt + 14, hl, later);
	else
		memcpy(later, pkt + 14, lhl = hl);
	*plen_out = 0;
	while (done < plen) {
		uint8_t *f = frag_exp + *plen_out, *ip = f + 14;
		uint32_t h = *n == 0 ? hl : lhl;

		k = RTE_MIN(fs, plen - done);
		memcpy(f, pkt, 14);
		memcpy(ip, *n == 0 ? pkt + 14 : later, h);
		put16(ip + 6, (fo + done / 8) | (done + k < plen ? 0x2000 : 0));
		put16(ip + 2, h + k);
		model_cksum(ip);
		memcpy(ip + h, pkt + 14 + hl + done, k);
		frag_exp_len[(*n)++] = 14 + h + k;
		*plen_out += 14 + h + k;
		done += k;
	}
	return FWD_PASS;
}

/* Flatten @n fragments (or the passing chain *m) into out[]. */
static void
frag_flatten(struct rte_mbuf **v, uint32_t n, uint32_t mtu)
{
	uint32_t i, total = 0;

	for (i = 0; i < n; i++) {
		flatten(v[i]);
		FZ_ASSERT(out_len <= 14 + mtu, "fragment %u: %u bytes, MTU %u",
			  i, out_len, mtu);
		FZ_ASSERT(out_len == frag_exp_len[i],
			  "fragment %u: %u bytes, model %u", i, out_len,
			  frag_exp_len[i]);
		FZ_ASSERT(memcmp(out, frag_exp + total, out_len) == 0,
			  "fragment %u differs from the model's", i);
		total += out_len;
	}
}

/*
 * Cut the input with engine @eng (0 HyperBuf, 1 raw), the k-th allocation
 * of the fragment pool failing if @fail >= 0: the verdict; the fragments
 * kept in frag_out[eng] (the passing packet flattened into out[]).
 */
static int
frag_engine(int eng, uint32_t mtu, int fail, uint32_t *calls)
{
	struct fwd_visit_count vc = { 0, 0 };
	struct hb_fault_stats st0, st1;
	struct rte_mbuf *m = build();
	struct fwd_pctx c;
	struct hb_buf b;
	int r;

	memset(&c, 0, sizeof(c));
	c.mtu = (uint16_t)mtu;
	c.mp = pools[lay.pool];
	c.mp_frag = frag_pool;
	RTE_VERIFY(hb_fault_stats(frag_pool, &st0) == 0);
	if (fail >= 0)
		RTE_VERIFY(hb_fault_fail_call(frag_pool, (uint64_t)fail) == 0);
	frag_n[eng] = 0;
	if (eng == 0) {
		FZ_ASSERT(hb_buf_attach(&b, m) == 0, "attach");
		r = fwd_frag(&b, &c, &vc, frag_out[eng], &frag_n[eng]);
		m = hb_buf_nb_segs(&b) != 0 ? hb_buf_detach(&b) : NULL;
	} else {
		r = fwd_raw_frag(&m, &c, frag_out[eng], &frag_n[eng]);
	}
	hb_fault_disarm(frag_pool);
	RTE_VERIFY(hb_fault_stats(frag_pool, &st1) == 0);
	*calls = (uint32_t)(st1.calls - st0.calls);
	FZ_ASSERT(r == FWD_PASS || (r >= 0 && r < FWD_DROP_MAX &&
				    r != FWD_DROP_HB_ERROR),
		  "%s engine: result %s", eng ? "raw" : "hyperbuf",
		  res_name(r));
	if (r == FWD_PASS && frag_n[eng] == 0) {
		FZ_ASSERT(m != NULL, "no packet");
		flatten(m);
	}
	if (m != NULL)
		rte_pktmbuf_free(m);
	return r;
}

static void
frag_free(int eng)
{
	if (frag_n[eng] != 0)
		rte_pktmbuf_free_bulk(frag_out[eng], frag_n[eng]);
	frag_n[eng] = 0;
}

/* Fragment i of @n in the order of the seed. */
static uint32_t
frag_order(uint32_t i, uint32_t n)
{
	switch (lay.meta >> 6) {
	case 1:
		return n - 1 - i;
	case 2:
		return (i ^ 1) < n ? i ^ 1 : i;
	case 3:
		return (i + 1) % n;
	default:
		return i;
	}
}

/* Reassemble frag_out[eng] with engine @eng; the input, as cut, back? */
static void
reasm_back(int eng, bool whole, uint32_t tl)
{
	struct fwd_visit_count vc = { 0, 0 };
	struct rte_mbuf *m = NULL, *o;
	struct fwd_reasm *t = NULL;
	struct fwd_raw_reasm *rt = NULL;
	uint32_t i, n = frag_n[eng], k;
	bool raw_holds = n <= RTE_LIBRTE_IP_FRAG_MAX_FRAG;
	int r = FWD_HELD;

	if (eng == 0)
		t = fwd_reasm_create(4, FRAG_POOL_N, UINT64_MAX / 2,
				     SOCKET_ID_ANY);
	else
		rt = fwd_raw_reasm_create(4, UINT64_MAX / 2, frag_pool,
					  SOCKET_ID_ANY);
	FZ_ASSERT(t != NULL || rt != NULL, "table");
	for (i = 0; i < n; i++) {
		k = eng == 0 ? frag_order(i, n) : i;
		o = frag_out[eng][k];
		if (eng == 0) {
			struct hb_buf b;

			FZ_ASSERT(hb_buf_attach(&b, o) == 0, "attach");
			r = fwd_reasm(t, &b, 0, 0, &vc, &m);
			FZ_ASSERT(hb_buf_nb_segs(&b) == 0 || r != FWD_PASS,
				  "buffer left");
			if (r != FWD_PASS && r != FWD_HELD &&
			    hb_buf_nb_segs(&b) != 0)
				rte_pktmbuf_free(hb_buf_detach(&b));
		} else {
			m = o;
			r = fwd_raw_reasm(rt, &m, 0, 0);
			fwd_raw_dr_free(rt);
			if (r != FWD_PASS && r != FWD_HELD && m != NULL)
				rte_pktmbuf_free(m);
		}
		if (eng == 1 && !raw_holds)
			/* More than librte_ip_frag holds: never whole. */
			FZ_ASSERT(r == FWD_HELD || r == FWD_DROP_IP_FRAG ||
				  r == FWD_DROP_BAD_FRAGMENT,
				  "raw reassembly: fragment %u of %u: %s", i,
				  n, res_name(r));
		else if (!whole)
			/* A fragment cut again: its pieces wait for the rest
			 * (the input may not be a valid fragment: MF with a
			 * payload that is not a multiple of 8); librte_ip_frag
			 * holds 6 pieces between a first and a last. */
			FZ_ASSERT(r == FWD_HELD || r == FWD_DROP_BAD_FRAGMENT ||
				  (eng == 1 && r == FWD_DROP_IP_FRAG),
				  "%s reassembly: fragment %u of %u: %s",
				  eng ? "raw" : "hyperbuf", i, n, res_name(r));
		else
			FZ_ASSERT(r == (i + 1 < n || !whole ? FWD_HELD :
					FWD_PASS),
				  "%s reassembly: fragment %u of %u: %s",
				  eng ? "raw" : "hyperbuf", i, n, res_name(r));
	}
	frag_n[eng] = 0;
	if (r == FWD_PASS) {
		/* The input, its padding cut off, its checksum recomputed. */
		memcpy(exp_buf[1], pkt, 14 + tl);
		put16(exp_buf[1] + 20, be16(pkt + 20) & 0x4000);
		model_cksum(exp_buf[1] + 14);
		flatten(m);
		assert_bytes(exp_buf[1], 14 + tl, eng ? "raw reassembly" :
			     "hyperbuf reassembly");
		rte_pktmbuf_free(m);
	}
	if (eng == 0)
		fwd_reasm_free(t);
	else
		fwd_raw_reasm_free(rt);
	release_held();
}

static void
check_frag(void)
{
	uint32_t mtu = 68 + (prm.vni % 1500), n, plen, calls[2], tl = 0, hl, k;
	bool whole;
	int r, eng, rr;

	cur_mode = "frag";
	/* At most FRAG_MAX fragments: a larger MTU for large packets. */
	if (pkt_len >= 34 && be16(pkt + 12) == 0x0800) {
		hl = (pkt[14] & 15u) * 4;
		tl = be16(pkt + 16);
		if (hl >= 20 && tl > hl)
			mtu = RTE_MAX(mtu, hl + 8 + (tl - hl) / FRAG_MAX);
	}
	mtu = RTE_MIN(mtu, 65000u);
	r = model_frag(mtu, &n, &plen);
	FZ_ASSERT(n <= FRAG_MAX, "%u fragments", n);
	whole = n > 0 && (be16(pkt + 20) & 0x3fff) == 0;
	for (eng = 0; eng < 2; eng++) {
		cur_mode = eng ? "frag, raw engine" : "frag";
		rr = frag_engine(eng, mtu, -1, &calls[eng]);
		FZ_ASSERT(rr == r, "%s, model %s", res_name(rr), res_name(r));
		FZ_ASSERT(frag_n[eng] == n, "%u fragments, model %u",
			  frag_n[eng], n);
		if (r == FWD_PASS && n == 0)
			assert_bytes(frag_exp, plen, cur_mode);
		else
			frag_flatten(frag_out[eng], n, mtu);
		cur_mode = eng ? "frag then reasm, raw engine" :
				 "frag then reasm";
		if (n != 0)
			reasm_back(eng, whole, tl);
		frag_free(eng);
		release_held();
		if (!lay.fault || calls[eng] == 0)
			continue;
		/* The k-th allocation fails (or the one past the last). */
		cur_mode = eng ? "frag fault, raw engine" : "frag fault";
		k = lay.fault_k % (calls[eng] + 1);
		rr = frag_engine(eng, mtu, (int)k, &calls[eng]);
		FZ_ASSERT(rr == (k < calls[eng] ? FWD_DROP_NO_MBUF : r),
			  "failing allocation %u of %u: %s", k, calls[eng],
			  res_name(rr));
		frag_free(eng);
		release_held();
	}
}

/* The input as one packet through both reassembly tables (fresh). */
static void
check_reasm(void)
{
	struct fwd_visit_count vc = { 0, 0 };
	struct fwd_reasm *t = fwd_reasm_create(4, 64, UINT64_MAX / 2,
					       SOCKET_ID_ANY);
	struct fwd_raw_reasm *rt = fwd_raw_reasm_create(4, UINT64_MAX / 2,
							frag_pool,
							SOCKET_ID_ANY);
	struct rte_mbuf *m = NULL;
	struct hb_buf b;
	int r, r2;

	cur_mode = "reasm";
	FZ_ASSERT(t != NULL && rt != NULL, "tables");
	FZ_ASSERT(hb_buf_attach(&b, build()) == 0, "attach");
	r = fwd_reasm(t, &b, 0, 0, &vc, &m);
	FZ_ASSERT(r == FWD_PASS || r == FWD_HELD ||
		  (r >= 0 && r < FWD_DROP_MAX && r != FWD_DROP_HB_ERROR),
		  "result %s", res_name(r));
	if (r == FWD_PASS) {
		/* Not a fragment: as it came. */
		flatten(m);
		assert_bytes(pkt, pkt_len, "reasm");
		rte_pktmbuf_free(m);
	} else if (hb_buf_nb_segs(&b) != 0) {
		rte_pktmbuf_free(hb_buf_detach(&b));
	}
	fwd_reasm_flush(t);
	FZ_ASSERT(t->acct[0].drops[FWD_DROP_REASM_FLUSH] ==
		  (r == FWD_HELD ? 1u : 0u), "flush");
	fwd_reasm_free(t);
	release_held();

	cur_mode = "reasm, raw engine";
	m = build();
	r2 = fwd_raw_reasm(rt, &m, 0, 0);
	FZ_ASSERT(r2 == r || (r == FWD_DROP_HB_ERROR), "raw %s, hyperbuf %s",
		  res_name(r2), res_name(r));
	if (m != NULL) {
		flatten(m);
		if (r2 == FWD_PASS)
			assert_bytes(pkt, pkt_len, "raw reasm");
		rte_pktmbuf_free(m);
	}
	fwd_raw_reasm_free(rt);
	release_held();
}

/* ---------------------------------------------------------------------
 * libFuzzer entry points
 */

/* Allocate what HyperBuf keeps for reuse (bounce memory), for a baseline. */
static void
warm_up(void)
{
	static const uint8_t x[400];
	struct hb_visitor v;
	struct hb_buf b;

	RTE_VERIFY(hb_buf_init(&b, pools[3]) == 0);
	RTE_VERIFY(hb_buf_append(&b, x, sizeof(x)) == 0);
	RTE_VERIFY(hb_visit_read(&b, 0, sizeof(x), &v) == 0);
	RTE_VERIFY(!hb_visitor_is_direct(&v));
	RTE_VERIFY(hb_visit_release(&v) == 0);
	RTE_VERIFY(hb_buf_free(&b) == 0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char name[32];
	int i;

	(void)argc;
	(void)argv;
	trace = getenv("FUZZ_PKT_TRACE") != NULL;
	fuzz_eal_init("fuzz_pkt", "hbfp");
	for (i = 0; i < NPOOL; i++) {
		snprintf(name, sizeof(name), "fppool%d", i);
		pools[i] = hb_fault_pool_create(name, POOL_N, rooms[i],
						SOCKET_ID_ANY);
		RTE_VERIFY(pools[i] != NULL);
	}
	frag_pool = hb_fault_pool_create("fpfrag", FRAG_POOL_N,
					 RTE_PKTMBUF_HEADROOM + 128,
					 SOCKET_ID_ANY);
	RTE_VERIFY(frag_pool != NULL);
	warm_up();
	rte_malloc_get_socket_stats((int)rte_socket_id(), &heap_base);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_malloc_socket_stats heap;
	rte_be32_t ip_src, ip_dst;

	decode(data, size);
	memcpy(&ip_src, prm.ip_src, 4);
	memcpy(&ip_dst, prm.ip_dst, 4);
	fwd_encap_init(&encap, &prm.dst, &prm.src, ip_src, ip_dst, prm.vni);
	if (trace) {
		fprintf(stderr, "fuzz_pkt: case:\n");
		dump_case();
	}
	check_io();
	check_macswap();
	check_route();
	check_encap();
	if (lay.fault)
		check_encap_fault();
	check_decap();
	check_router();
	check_frag();
	check_reasm();

	rte_malloc_get_socket_stats((int)rte_socket_id(), &heap);
	FZ_ASSERT(heap.heap_allocsz_bytes == heap_base.heap_allocsz_bytes,
		  "DPDK heap: %zu bytes allocated, %zu at start",
		  heap.heap_allocsz_bytes, heap_base.heap_allocsz_bytes);
	return 0;
}
