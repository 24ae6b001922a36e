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

struct hb_need
hb_model_need_append(const struct hb_buf *b, uint64_t n)
{
	struct hb_need nd = { 0, 0 };
	uint32_t r;

	if (n == 0)
		return nd;
	if (b->head == NULL) {
		nd.lo = div_up(n, seg_cap(b));
		nd.hi = nd.lo + 1;
		return nd;
	}
	r = hb_model_room(b);
	nd.lo = nd.hi = n <= r ? 0 : div_up(n - r, seg_cap(b));
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
