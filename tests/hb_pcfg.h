/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_PCFG_H
#define HB_PCFG_H

/*
 * Fixture of the positive tests of the buffer calls (test_buf.c,
 * test_cursor.c, test_typed.c): every test runs twice, on a pool with the
 * default data room and on one with a small data room (256 bytes) so that
 * multi-segment logic is hit hard. Most tests are tables over buffer
 * sizes around the segment size: 0, 1, the first segment's capacity
 * -1/0/+1, the data room -1/0/+1, 10 data rooms + 7 and 1 MiB.
 *
 * The mbuf chain is the ground truth: hb_layout() walks it (read only) to
 * learn where each byte lives, and the answers of the API (read, peek,
 * iov, split, cursor pulls...) are checked against it.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hb_test.h"

#define HB_PCFG_MIB (UINT32_C(1) << 20)
/* Room for the biggest model: two 1 MiB halves plus growth. */
#define HB_PCFG_BIG (2 * HB_PCFG_MIB + 65536)
/* Segments a chain of the tests may hold. */
#define HB_PCFG_MAX_SEGS 16384
/* Interesting offsets collected for one buffer. */
#define HB_PCFG_MAX_PTS 1024

/* One pool configuration: each test runs once per configuration. */
struct hb_pcfg {
	const char *name;
	uint16_t room;		/* data room asked for (0: default) */
	unsigned int n;		/* mbufs in the pool */
	struct rte_mempool *mp;
	uint32_t seg;		/* bytes a segment holds (its data room) */
	uint32_t hc;		/* bytes a new buffer's first segment holds */
	uint32_t sizes[16];	/* the size table */
	unsigned int nsizes;
};

extern struct hb_pcfg hb_pcfg_big, hb_pcfg_small;

/* The CMocka entries of test @f, once per configuration. */
#define HB_PCFG_TEST(f)                                                        \
	{ .name = #f "[2176]", .test_func = f,                                 \
	  .teardown_func = hb_test_ctx_teardown,                               \
	  .initial_state = &hb_pcfg_big },                                     \
	{ .name = #f "[256]", .test_func = f,                                  \
	  .teardown_func = hb_test_ctx_teardown,                               \
	  .initial_state = &hb_pcfg_small }

/*
 * Reference patterns (distinct, no short period; never written) and work
 * areas, HB_PCFG_BIG bytes each (hb_tmp one more).
 */
extern uint8_t hb_ref[], hb_ref2[], hb_ref3[];
extern uint8_t hb_tmp[], hb_exp_a[], hb_exp_b[], hb_scratch[];

int hb_pcfg_run(const char *prog, const char *group,
		const struct CMUnitTest *tests, size_t n);

/*
 * The main() of a test program: the EAL (hb_test_setup()), the patterns
 * and the two pools, then the CMocka group @tests (an array). Returns the
 * exit status (HB_TEST_SKIP if the EAL cannot start).
 */
#define hb_pcfg_main(prog, tests)                                              \
	hb_pcfg_run((prog), #tests, (tests), RTE_DIM(tests))

/*
 * The configuration of the test (@state), its segment geometry and size
 * table learnt on first use.
 */
struct hb_pcfg *hb_pcfg_get(void **state);

/* Mbufs in use in @c's pool. */
unsigned int hb_pcfg_in_use(const struct hb_pcfg *c);

/* Sizes for which every step is checked (not 1 MiB). */
bool hb_pcfg_small_size(const struct hb_pcfg *c, uint32_t s);

/* Length of the i-th piece when data is added piece by piece. */
uint32_t hb_pcfg_piece(const struct hb_pcfg *c, unsigned int i);

/* Range lengths tried at each interesting offset (the last: to the end). */
unsigned int hb_pcfg_range_lens(const struct hb_pcfg *c, uint32_t rest,
				uint32_t *l);

/* A buffer of @c's pool holding @src[0..len), appended in one call. */
void hb_pcfg_build(const struct hb_pcfg *c, struct hb_buf *b,
		   const uint8_t *src, uint32_t len);

/*
 * Read a few bytes of @b (holding @exp) out of order, as random access
 * does: on a long chain this makes the buffer build its segment index,
 * which every later change must keep right (hb_buf_check() verifies it).
 */
void hb_pcfg_touch(const struct hb_buf *b, const uint8_t *exp);

/* hb_pcfg_build() a buffer that has been accessed at random. */
void hb_pcfg_build_idx(const struct hb_pcfg *c, struct hb_buf *b,
		       const uint8_t *src, uint32_t len);

/*
 * A buffer built by appends: every mbuf taken from the pool since @base
 * is in the chain, every segment but the last is full, and there are no
 * more segments than the bytes need plus one (the head keeps headroom).
 */
void hb_pcfg_check_packed(const struct hb_pcfg *c, const struct hb_buf *b,
			  unsigned int base);

/* qsort() order of uint32_t. */
int hb_pcfg_cmp_u32(const void *a, const void *b);

/* One segment of a chain, as hb_layout() found it. */
struct hb_seg_info {
	const struct rte_mbuf *m;
	const uint8_t *data;	/* first data byte */
	uint32_t start;		/* logical offset of that byte */
	uint32_t len;		/* data_len */
};

/* Walk the chain of @b (white box, read only): its number of segments. */
unsigned int hb_layout(const struct hb_buf *b, struct hb_seg_info *si);

/* Index of the non-empty segment holding byte @off (< length). */
unsigned int hb_layout_seg_at(const struct hb_seg_info *si, unsigned int n,
			      uint32_t off);

/* Is [@off, @off + @len) (@len > 0) inside one segment? */
bool hb_layout_contiguous(const struct hb_seg_info *si, unsigned int n,
			  uint32_t off, uint32_t len);

/*
 * Interesting offsets of a buffer of @len bytes laid out as @si: its ends,
 * its middle and, around segment boundaries, the byte before, at and after
 * each boundary and the middle of each segment. On long chains only the
 * first, middle and last segments (at most @few of each) are used.
 * Sorted, without duplicates; at most HB_PCFG_MAX_PTS.
 */
unsigned int hb_layout_points(const struct hb_seg_info *si, unsigned int n,
			      uint32_t len, uint32_t *pt, unsigned int few);

#endif /* HB_PCFG_H */
