/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "hb_test.h"

#define MAX_ARGS 64

/* The context (hb_test_ctx()): " [what]", or "" when none. */
static char ctx[320];

const char *
hb_test_lcores_arg(void)
{
	static char arg[80];
	int cpu[2] = { 0, 0 }, n = 0, i;
	cpu_set_t cs;

	CPU_ZERO(&cs);
	if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
		for (i = 0; i < CPU_SETSIZE && n < 2; i++)
			if (CPU_ISSET(i, &cs))
				cpu[n++] = i;
	if (n < 2)
		cpu[1] = cpu[0];
	snprintf(arg, sizeof(arg), "--lcores=0@%d,1@%d,2@%d,3@%d", cpu[0],
		 cpu[1], cpu[0], cpu[1]);
	return arg;
}

int
hb_test_setup(const char *prog, const char *const *extra)
{
	static char prefix[64];
	const char *argv[MAX_ARGS];
	bool has_cores = false;
	int argc = 0, rc, i;

	snprintf(prefix, sizeof(prefix), "--file-prefix=hbt%d", (int)getpid());
	argv[argc++] = prog;
	argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = "512";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--no-shconf";
	argv[argc++] = "--no-telemetry";
	argv[argc++] = prefix;
	argv[argc++] = "--log-level=lib.eal:error";
	for (i = 0; extra != NULL && extra[i] != NULL && argc < MAX_ARGS - 3;
	     i++) {
		if (strcmp(extra[i], "-l") == 0 ||
		    strncmp(extra[i], "--lcores", 8) == 0)
			has_cores = true;
		argv[argc++] = extra[i];
	}
	if (!has_cores) {
		argv[argc++] = "-l";
		argv[argc++] = "0";
	}
	argv[argc] = NULL;

	rc = rte_eal_init(argc, (char **)(uintptr_t)argv);
	if (rc < 0) {
		fprintf(stderr, "%s: EAL cannot start (%s): skipped\n", prog,
			rte_strerror(rte_errno));
		return HB_TEST_SKIP;
	}
	rc = hb_init();
	if (rc != 0) {
		fprintf(stderr, "%s: hb_init: %s\n", prog, strerror(-rc));
		rte_eal_cleanup();
		return HB_TEST_SKIP;
	}
	rc = hb_growth_set(&(struct hb_growth){ .max_seg = 0 });
	if (rc != 0) {
		fprintf(stderr, "%s: hb_growth_set: %s\n", prog, strerror(-rc));
		hb_test_teardown();
		return HB_TEST_SKIP;
	}
	return 0;
}

void
hb_test_growth_on(uint64_t mem)
{
	struct hb_growth g = { .max_seg = UINT16_MAX, .mem_per_socket = mem };

	if (hb_growth_set(&g) != 0)
		rte_panic("hb_test_growth_on(): growth already in use\n");
}

void
hb_test_growth_warm(struct rte_mempool *mp)
{
	static const uint8_t piece[64];
	struct hb_buf b;
	uint32_t len;

	/* Capacity doubles: 256 KiB passes the largest class. */
	assert_int_equal(hb_buf_init(&b, mp), 0);
	for (len = 0; len < 256 * 1024; len += sizeof(piece))
		assert_int_equal(hb_buf_append(&b, piece, sizeof(piece)), 0);
	assert_int_equal(hb_buf_free(&b), 0);
	assert_int_equal(hb_growth_in_use(), 0);
}

unsigned int
hb_test_in_use(struct rte_mempool *mp)
{
	return rte_mempool_in_use_count(mp) + hb_growth_in_use();
}

void
hb_test_teardown(void)
{
	hb_fini();
	rte_eal_cleanup();
}

struct rte_mempool *
hb_test_pool(const char *name, unsigned int n, uint16_t data_room)
{
	struct rte_mempool *mp;

	if (data_room == 0)
		data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	mp = rte_pktmbuf_pool_create(name, n, 0, 0, data_room, SOCKET_ID_ANY);
	if (mp == NULL)
		fail_msg("pool %s (%u x %u): %s", name, n, data_room,
			 rte_strerror(rte_errno));
	return mp;
}

uint64_t
hb_test_seed(void)
{
	const char *env = getenv("HB_TEST_SEED");
	struct timespec ts;

	if (env != NULL && *env != '\0')
		return strtoull(env, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (((uint64_t)ts.tv_sec * 1000000007u) ^ (uint64_t)ts.tv_nsec ^
		((uint64_t)getpid() << 32)) | 1;
}

void
hb_test_pattern(void *p, size_t len, uint32_t tag)
{
	uint8_t *d = p;
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = (uint8_t)((tag * 131u) ^ (i * 7u) ^ (i >> 8) ^ (tag >> 3));
}

struct rte_mbuf *
hb_test_chain(struct rte_mempool *mp, const void *data, const uint16_t *lens,
	      unsigned int n, const uint16_t *offs)
{
	const uint8_t *src = data;
	struct rte_mbuf *head = NULL, *m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		m = rte_pktmbuf_alloc(mp);
		assert_non_null(m);
		if (offs != NULL && offs[i] == HB_TEST_OFF_END) {
			assert_true(lens[i] <= m->buf_len);
			m->data_off = (uint16_t)(m->buf_len - lens[i]);
		} else if (offs != NULL) {
			assert_true((uint32_t)offs[i] + lens[i] <= m->buf_len);
			m->data_off = offs[i];
		}
		assert_non_null(rte_pktmbuf_append(m, lens[i]));
		memcpy(rte_pktmbuf_mtod(m, void *), src, lens[i]);
		src += lens[i];
		if (head == NULL)
			head = m;
		else
			assert_int_equal(rte_pktmbuf_chain(head, m), 0);
	}
	return head;
}

void
hb_test_buf(struct hb_buf *b, struct rte_mempool *mp, const void *data,
	    uint32_t len, uint32_t piece)
{
	const uint8_t *src = data;
	uint32_t done, n;

	assert_int_equal(hb_buf_init(b, mp), 0);
	if (piece == 0)
		assert_int_equal(hb_buf_append(b, src, len), 0);
	for (done = 0; piece != 0 && done < len; done += n) {
		n = RTE_MIN(piece, len - done);
		assert_int_equal(hb_buf_append(b, src + done, n), 0);
	}
	assert_int_equal(hb_buf_len(b), len);
	hb_assert_buf_ok(b);
}

void
hb_test_ctx(const char *fmt, ...)
{
	va_list ap;
	int n;

	ctx[0] = ' ';
	ctx[1] = '[';
	va_start(ap, fmt);
	n = vsnprintf(ctx + 2, sizeof(ctx) - 3, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	n = RTE_MIN(n + 2, (int)sizeof(ctx) - 2);
	ctx[n] = ']';
	ctx[n + 1] = '\0';
}

void
hb_test_ctx_clear(void)
{
	ctx[0] = '\0';
}

const char *
hb_test_ctx_msg(void)
{
	return ctx;
}

int
hb_test_ctx_teardown(void **state)
{
	(void)state;
	if (ctx[0] != '\0')
		print_error("the test stopped in:%s\n", ctx);
	hb_test_ctx_clear();
	return 0;
}

/* Fail at @file:@line if @a and @exp differ in their @n bytes. */
static void
bytes_equal(const uint8_t *a, const uint8_t *exp, uint32_t n, const char *what,
	    const char *file, int line)
{
	uint32_t i;

	if (n == 0 || memcmp(a, exp, n) == 0)
		return;
	for (i = 0; a[i] == exp[i]; i++)
		;
	fail_msg("%s:%d: %s: byte %u of %u is %#x, expected %#x%s", file, line,
		 what, i, n, a[i], exp[i], ctx);
}

void
hb_test_read(const struct hb_buf *b, uint32_t off, const void *exp,
	     uint32_t len, const char *file, int line)
{
	/* Grown as needed, kept: failures leave by longjmp(). */
	static uint8_t *out;
	static size_t cap;
	int rc;

	if ((size_t)len + 1 > cap) {
		free(out);
		cap = (size_t)len + 1;
		out = malloc(cap);
		assert_non_null(out);
	}
	memset(out, 0x5a, len);
	out[len] = 0xa5;
	rc = hb_buf_read(b, off, out, len);
	if (rc != 0)
		fail_msg("%s:%d: hb_buf_read(%u, %u): %d%s", file, line, off,
			 len, rc, ctx);
	if (out[len] != 0xa5)
		fail_msg("%s:%d: hb_buf_read(%u, %u) wrote past the end%s",
			 file, line, off, len, ctx);
	bytes_equal(out, exp, len, "hb_buf_read", file, line);
}

void
hb_test_chain_bytes(const struct rte_mbuf *head, const void *exp, uint32_t len,
		    const char *file, int line)
{
	const uint8_t *e = exp;
	const struct rte_mbuf *m;
	unsigned int n = 0;
	uint64_t off = 0;

	if (head == NULL && len == 0)
		return;
	if (head == NULL)
		fail_msg("%s:%d: no chain, %u bytes expected%s", file, line,
			 len, ctx);
	if (head->pkt_len != len)
		fail_msg("%s:%d: pkt_len %u, expected %u%s", file, line,
			 head->pkt_len, len, ctx);
	for (m = head; m != NULL; m = m->next, n++) {
		if (off + m->data_len > len)
			fail_msg("%s:%d: segment %u ends at %" PRIu64
				 ", past %u%s",
				 file, line, n, off + m->data_len, len, ctx);
		bytes_equal(rte_pktmbuf_mtod(m, const uint8_t *), e + off,
			    m->data_len, "segment", file, line);
		off += m->data_len;
	}
	if (off != len || head->nb_segs != n)
		fail_msg("%s:%d: the segments hold %" PRIu64 " bytes (%u "
			 "expected), nb_segs %u for %u segments%s",
			 file, line, off, len, head->nb_segs, n, ctx);
}

void
hb_test_buf_bytes(const struct hb_buf *b, const void *exp, uint32_t len,
		  const char *file, int line)
{
	const char *why = NULL;

	if (hb_buf_check(b, &why) != 0) {
		hb_buf_dump(stderr, b);
		fail_msg("%s:%d: hb_buf_check: %s%s", file, line, why, ctx);
	}
	if (hb_buf_len(b) != len)
		fail_msg("%s:%d: length %u, expected %u%s", file, line,
			 hb_buf_len(b), len, ctx);
	hb_test_read(b, 0, exp, len, file, line);
	hb_test_chain_bytes(b->head, exp, len, file, line);
}

void
hb_test_mbuf_ok(const struct rte_mbuf *m, int is_header, const char *file,
		int line)
{
	const char *why = NULL;

	if (m == NULL)
		fail_msg("%s:%d: no mbuf%s", file, line, ctx);
	if (rte_mbuf_check(m, is_header, &why) != 0)
		fail_msg("%s:%d: rte_mbuf_check: %s%s", file, line, why, ctx);
}
