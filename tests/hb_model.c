/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hb_model.h"

int
hb_model_init(struct hb_model *m, uint32_t cap)
{
	/* One byte more: malloc(0) may return NULL. */
	m->ref = malloc((size_t)cap + 1);
	m->len = 0;
	m->cap = m->ref != NULL ? cap : 0;
	return m->ref != NULL ? 0 : -ENOMEM;
}

void
hb_model_fini(struct hb_model *m)
{
	free(m->ref);
	memset(m, 0, sizeof(*m));
}

static bool
room(const struct hb_model *m, uint64_t n)
{
	return m->len + n <= m->cap;
}

bool
hb_model_append(struct hb_model *m, const void *p, uint32_t n)
{
	if (!room(m, n))
		return false;
	memcpy(m->ref + m->len, p, n);
	m->len += n;
	return true;
}

bool
hb_model_prepend(struct hb_model *m, const void *p, uint32_t n)
{
	if (!room(m, n))
		return false;
	memmove(m->ref + n, m->ref, m->len);
	memcpy(m->ref, p, n);
	m->len += n;
	return true;
}

bool
hb_model_grow(struct hb_model *m, uint32_t to)
{
	if (to > m->cap)
		return false;
	if (to > m->len) {
		memset(m->ref + m->len, 0, to - m->len);
		m->len = to;
	}
	return true;
}

void
hb_model_write(struct hb_model *m, uint32_t off, const void *p, uint32_t n)
{
	memmove(m->ref + off, p, n);
}

void
hb_model_trim(struct hb_model *m, uint32_t n)
{
	m->len -= n;
}

void
hb_model_adj(struct hb_model *m, uint32_t n)
{
	memmove(m->ref, m->ref + n, m->len - n);
	m->len -= n;
}

bool
hb_model_split(struct hb_model *m, uint32_t at, struct hb_model *tail)
{
	if (m->len - at > tail->cap)
		return false;
	memcpy(tail->ref, m->ref + at, m->len - at);
	tail->len = m->len - at;
	m->len = at;
	return true;
}

bool
hb_model_copy(struct hb_model *dst, const struct hb_model *src)
{
	if (src->len > dst->cap)
		return false;
	memcpy(dst->ref, src->ref, src->len);
	dst->len = src->len;
	return true;
}

int64_t
hb_model_chain_diff(const struct hb_model *m, const struct rte_mbuf *head)
{
	const struct rte_mbuf *s;
	const uint8_t *d;
	uint64_t off = 0;
	uint32_t i, n;

	for (s = head; s != NULL; off += s->data_len, s = s->next) {
		d = rte_pktmbuf_mtod(s, const uint8_t *);
		n = off < m->len ?
			(uint32_t)RTE_MIN(s->data_len, m->len - off) : 0;
		if (n == s->data_len && memcmp(d, m->ref + off, n) == 0)
			continue;
		for (i = 0; i < n && d[i] == m->ref[off + i]; i++)
			;
		return (int64_t)(off + i);
	}
	return off == m->len ? -1 : (int64_t)off;
}

bool
hb_model_seg_excl(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

uint32_t
hb_model_room(const struct hb_buf *b)
{
	const struct rte_mbuf *m = b->head, *s;
	uint32_t room;

	if (m == NULL)
		return 0;
	/* The last segment holding data (b->tail is unknown after attach). */
	for (s = m->next; s != NULL; s = s->next)
		if (s->data_len > 0)
			m = s;
	room = hb_model_seg_excl(m) ? rte_pktmbuf_tailroom(m) : 0;
	for (m = m->next; m != NULL; m = m->next)
		room += hb_model_seg_excl(m) ? rte_pktmbuf_tailroom(m) : 0;
	return room;
}

static uint32_t
div_up(uint64_t a, uint32_t b)
{
	return (uint32_t)((a + b - 1) / b);
}

/* Bytes a segment from @b's pool holds. */
static uint32_t
seg_cap(const struct hb_buf *b)
{
	return rte_pktmbuf_data_room_size(hb_buf_pool(b));
}

/*
 * The growth policy's segment classes beyond the buffer's own pool, as
 * documented: 4, 8, 16, 32 KiB and 65535 bytes.
 */
static const uint32_t growth_rooms[] = { 4096, 8192, 16384, 32768, 65535 };

/* Bytes the first segment of an empty buffer holds: all but its headroom. */
static uint32_t
first_cap(uint32_t room)
{
	return room > RTE_PKTMBUF_HEADROOM ? room - RTE_PKTMBUF_HEADROOM : room;
}

/*
 * The data room of the next segment growth takes, every class having
 * segments free, for @need more bytes of a buffer of capacity @have whose
 * own pool's segments hold @own bytes: the largest class not larger than
 * max(@need, @have) (capped at max_seg), or when that does not hold @need
 * the smallest class that does, or when no class is that small the
 * smallest one. Classes are used only when larger than @own and not
 * larger than max_seg; @own (the buffer's own pool) when none is wanted.
 */
static uint32_t
growth_seg(const struct hb_growth *g, uint32_t own, uint64_t need,
	   uint64_t have)
{
	uint32_t top = RTE_MIN(g->max_seg, (uint32_t)UINT16_MAX);
	uint64_t want = RTE_MIN(RTE_MAX(need, have), (uint64_t)top);
	uint32_t below = 0, above = 0, r;
	unsigned int i;

	for (i = 0; i < RTE_DIM(growth_rooms); i++) {
		r = growth_rooms[i];
		if (r <= own || r > g->max_seg)
			continue;
		if (r <= want)
			below = r;
		else if (above == 0)
			above = r;
	}
	if (want <= own || (below == 0 && above == 0))
		return own;
	if (below != 0 && (below >= need || above == 0))
		return below;
	return above;
}

/* Segments for @need more bytes of a buffer of capacity @have. */
static uint32_t
grow_segs(const struct hb_growth *g, uint32_t own, uint64_t need,
	  uint64_t have)
{
	/* The largest segment growth takes (capacity past it: all are). */
	uint32_t top = growth_seg(g, own, UINT32_MAX, UINT32_MAX);
	uint32_t n = 0, seg;

	while (need > 0) {
		seg = growth_seg(g, own, need, have);
		/* The own pool serves the rest; or the largest class does. */
		if (seg == own || have >= top)
			return n + div_up(need, seg);
		n++;
		need -= RTE_MIN(need, (uint64_t)seg);
		have += seg;
	}
	return n;
}

struct hb_need
hb_model_need_append(const struct hb_buf *b, uint64_t n)
{
	struct hb_need nd = { 0, 0 };
	struct hb_growth g = { .max_seg = 0 };
	uint32_t own, r, first;

	if (n == 0)
		return nd;
	own = seg_cap(b);
	if (own == 0) /* a pool of clones: the call fails, taking nothing */
		return nd;
	if (hb_growth_get(&g) != 0)
		g.max_seg = 0;
	if (b->head == NULL) {
		first = first_cap(own);
		nd.lo = nd.hi = 1;
		if (n > first) {
			nd.lo += grow_segs(&g, own, n - first, first);
			nd.hi += div_up(n - first, own);
		}
		return nd;
	}
	r = hb_model_room(b);
	if (n <= r)
		return nd;
	nd.lo = grow_segs(&g, own, n - r, (uint64_t)b->head->pkt_len + r);
	nd.hi = div_up(n - r, own);
	return nd;
}

struct hb_need
hb_model_need_prepend(const struct hb_buf *b, uint32_t n)
{
	struct hb_need nd = { 0, 0 };
	const struct rte_mbuf *h = b->head;

	if (n == 0)
		return nd;
	if (h == NULL || h->pkt_len == 0)
		return hb_model_need_append(b, n);
	if (!(hb_model_seg_excl(h) && rte_pktmbuf_headroom(h) >= n))
		nd.lo = nd.hi = div_up(n, seg_cap(b));
	return nd;
}

struct hb_need
hb_model_need_split(const struct hb_buf *b, uint32_t at)
{
	struct hb_need nd = { 0, 0 };
	const struct rte_mbuf *m;
	uint32_t off = 0;

	for (m = b->head; m != NULL; m = m->next) {
		if (at > off && at < off + m->data_len)
			nd.lo = nd.hi = 1;
		off += m->data_len;
	}
	return nd;
}

/* Segments of the chain at @head, and those after its last byte. */
static uint32_t
chain_segs(const struct rte_mbuf *head, uint32_t *reserved)
{
	const struct rte_mbuf *m;
	uint32_t n = 0, last = 0;

	for (m = head; m != NULL; m = m->next) {
		n++;
		if (m->data_len > 0)
			last = n;
	}
	/* All empty: the head is the tail, the rest reserved. */
	*reserved = n - RTE_MAX(last, RTE_MIN(n, 1u));
	return n;
}

struct hb_join
hb_model_concat(const struct hb_buf *dst, const struct hb_buf *src)
{
	struct hb_join j = { 0, 0, 0, false };
	uint32_t dres, sres, dn, sn;

	dn = chain_segs(dst->head, &dres);
	sn = chain_segs(src->head, &sres);
	j.segs = dn;
	j.room = hb_model_room(dst);
	if (sn == 0)
		return j;		/* nothing to move */
	if (dn == 0) {
		j.segs = sn;		/* dst takes src whole */
		j.room = hb_model_room(src);
		return j;
	}
	if (src->head->pkt_len == 0) {
		j.freed = sn;		/* no byte: src's segments go */
		return j;
	}
	j.segs = dn - dres + sn;
	j.freed = dres;
	j.room = hb_model_room(src);
	j.too_big = j.segs > RTE_MBUF_MAX_NB_SEGS ||
		    src->head->pkt_len > UINT32_MAX - dst->head->pkt_len;
	return j;
}

const struct hb_int_desc hb_ints[HB_INT_NUM] = {
	[HB_INT_U8] = { "u8", 1, true },
	[HB_INT_BE16] = { "be16", 2, true },
	[HB_INT_BE32] = { "be32", 4, true },
	[HB_INT_BE64] = { "be64", 8, true },
	[HB_INT_LE16] = { "le16", 2, false },
	[HB_INT_LE32] = { "le32", 4, false },
	[HB_INT_LE64] = { "le64", 8, false },
};

/* Shift of byte @i (0: the first in memory) of a value of type @t. */
static unsigned int
shift(enum hb_int t, unsigned int i)
{
	unsigned int n = hb_ints[t].size;

	return 8 * (hb_ints[t].be ? n - 1 - i : i);
}

uint64_t
hb_int_decode(const uint8_t *p, enum hb_int t)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < hb_ints[t].size; i++)
		v |= (uint64_t)p[i] << shift(t, i);
	return v;
}

void
hb_int_encode(uint8_t *p, uint64_t v, enum hb_int t)
{
	unsigned int i;

	for (i = 0; i < hb_ints[t].size; i++)
		p[i] = (uint8_t)(v >> shift(t, i));
}

uint64_t
hb_int_mask(uint64_t v, enum hb_int t)
{
	unsigned int n = hb_ints[t].size;

	return n == 8 ? v : v & ((UINT64_C(1) << (8 * n)) - 1);
}

/* Each typed call as X(index, name, C type). */
#define HB_INTS(X)                                                             \
	X(HB_INT_U8, u8, uint8_t)                                              \
	X(HB_INT_BE16, be16, uint16_t)                                         \
	X(HB_INT_BE32, be32, uint32_t)                                         \
	X(HB_INT_BE64, be64, uint64_t)                                         \
	X(HB_INT_LE16, le16, uint16_t)                                         \
	X(HB_INT_LE32, le32, uint32_t)                                         \
	X(HB_INT_LE64, le64, uint64_t)

int
hb_int_get(const struct hb_buf *b, enum hb_int t, uint32_t off, uint64_t *v)
{
	int rc = -EINVAL;

	switch (t) {
#define X(i, name, type)                                                       \
	case i: {                                                              \
		type x = v != NULL ? (type)*v : 0;                             \
		rc = hb_buf_get_##name(b, off, v != NULL ? &x : NULL);         \
		if (v != NULL)                                                 \
			*v = x;                                                \
		break;                                                         \
	}
	HB_INTS(X)
#undef X
	default:
		break;
	}
	return rc;
}

int
hb_int_put(struct hb_buf *b, enum hb_int t, uint32_t off, uint64_t v)
{
	switch (t) {
#define X(i, name, type)                                                       \
	case i:                                                                \
		return hb_buf_put_##name(b, off, (type)v);
	HB_INTS(X)
#undef X
	default:
		return -EINVAL;
	}
}

int
hb_int_append(struct hb_buf *b, enum hb_int t, uint64_t v)
{
	switch (t) {
#define X(i, name, type)                                                       \
	case i:                                                                \
		return hb_buf_append_##name(b, (type)v);
	HB_INTS(X)
#undef X
	default:
		return -EINVAL;
	}
}

int
hb_int_cursor(struct hb_cursor *c, enum hb_int t, bool consume, uint64_t *v)
{
	int rc = -EINVAL;

	switch (t) {
#define X(i, name, type)                                                       \
	case i: {                                                              \
		type x = (type)*v;                                             \
		rc = consume ? hb_cursor_get_##name(c, &x) :                   \
			       hb_cursor_peek_##name(c, &x);                   \
		*v = x;                                                        \
		break;                                                         \
	}
	HB_INTS(X)
#undef X
	default:
		break;
	}
	return rc;
}
