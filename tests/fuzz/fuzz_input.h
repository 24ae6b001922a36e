/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_FUZZ_INPUT_H
#define HB_FUZZ_INPUT_H

/*
 * Shared by the libFuzzer targets (one translation unit each): decoding
 * of the input (little-endian integers taken from its front; bytes past
 * its end read as 0, so every input decodes) and FZ_ASSERT().
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>

static const uint8_t *in;
static size_t in_len, in_pos;

/* Start decoding @data, @size bytes. */
static inline void
fuzz_input_set(const uint8_t *data, size_t size)
{
	in = data;
	in_len = size;
	in_pos = 0;
}

/* Bytes not decoded yet. */
static inline size_t
fuzz_input_left(void)
{
	return in_len - in_pos;
}

static inline uint8_t
g8(void)
{
	return in_pos < in_len ? in[in_pos++] : 0;
}

static inline uint16_t
g16(void)
{
	uint16_t lo = g8();

	return (uint16_t)(lo | g8() << 8);
}

static inline uint32_t
g32(void)
{
	uint32_t lo = g16();

	return lo | (uint32_t)g16() << 16;
}

/*
 * A failed check of the model: the target's own
 * fz_fail(int line, const char *fmt, ...) prints the case and aborts (a
 * libFuzzer crash). @... is a format and its arguments.
 */
#define FZ_ASSERT(cond, ...)                                                   \
	do {                                                                   \
		if (unlikely(!(cond)))                                         \
			fz_fail(__LINE__, "assertion '" #cond "' failed: "     \
				__VA_ARGS__);                                  \
	} while (0)

#endif /* HB_FUZZ_INPUT_H */
