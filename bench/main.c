/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: main(). The EAL (with defaults when the command line has no
 * "--"), HyperBuf, the pool and the buffers every workload shares, then
 * each selected workload in the order of the table, the report, and the
 * exit status: 0 if every check passed, 1 if one failed, 2 usage. Timings
 * never change it.
 *
 * Run (EAL arguments before "--", ours after; without "--" every argument is
 * ours and the EAL gets defaults: no hugepages, no PCI, two lcores):
 *   hb-bench --no-huge -m 512 --no-pci --no-shconf --file-prefix hbb -l 1 \
 *       -- --reps 15 --csv out.csv --json out.json
 *   hb-bench --quick
 */

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <hyperbuf.h>

#include "hb_bench.h"

#define POOL_SIZE 16383u
#define POOL_CACHE 256u

struct rte_mempool *pool;
double tsc_per_ns;
uint8_t *vout[MAX_IMPL];
uint8_t *vexpect;
uint8_t *pattern;

void
bench_die(const char *what, int rc)
{
	rte_exit(EXIT_FAILURE, "hb-bench: %s failed: %s\n", what,
		 rc < 0 ? strerror(-rc) : rte_strerror(rte_errno));
}

/* EAL defaults when the command line has no "--". */
#define EAL_DEFAULT_ARGS 12

/*
 * Two lcores on the first two CPUs this process may use (both on the one
 * CPU if it may use one): the multi-lcore workloads need a second lcore.
 */
static char *
default_lcores(char *buf, size_t sz)
{
	int c, c0 = -1, c1 = -1;
	cpu_set_t cs;

	if (sched_getaffinity(0, sizeof(cs), &cs) == 0) {
		for (c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &cs))
				continue;
			if (c0 < 0) {
				c0 = c;
			} else {
				c1 = c;
				break;
			}
		}
	}
	if (c0 < 0)
		c0 = 0;
	if (c1 < 0)
		c1 = c0;
	snprintf(buf, sz, "--lcores=0@%d,1@%d", c0, c1);
	return buf;
}

int
main(int argc, char **argv)
{
	char *eal_argv[EAL_DEFAULT_ARGS + 1];
	char prefix[64], lcores[64];
	int eal_argc, sep = -1, rc, i, failed = 0;
	unsigned int w;
	char **opt_argv;
	int opt_argc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	if (sep < 0) {
		/* All ours: check them before starting the EAL. */
		snprintf(prefix, sizeof(prefix), "--file-prefix=hbb%d",
			 (int)getpid());
		eal_argc = 0;
		eal_argv[eal_argc++] = argv[0];
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-huge";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"-m";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"512";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-pci";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-shconf";
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--no-telemetry";
		eal_argv[eal_argc++] = default_lcores(lcores, sizeof(lcores));
		eal_argv[eal_argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
		eal_argv[eal_argc++] = prefix;
		eal_argv[eal_argc] = NULL;
		opt_argc = argc;
		opt_argv = argv;
	} else {
		eal_argc = sep;
		opt_argc = argc - sep;
		opt_argv = argv + sep;
		opt_argv[0] = argv[0];
	}
	if (parse_args(opt_argc, opt_argv) != 0) {
		usage(argv[0]);
		return 2;
	}

	rc = rte_eal_init(eal_argc, sep < 0 ? eal_argv : argv);
	if (rc < 0)
		rte_exit(EXIT_FAILURE, "EAL init failed: %s\n",
			 rte_strerror(rte_errno));
	rc = hb_init();
	if (rc != 0)
		rte_exit(EXIT_FAILURE, "hb_init: %s\n", strerror(-rc));
	tsc_per_ns = (double)rte_get_tsc_hz() / 1e9;
	mc_worker = rte_get_next_lcore(-1, 1, 0);

	pool = rte_pktmbuf_pool_create("hb_bench", POOL_SIZE, POOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL)
		rte_exit(EXIT_FAILURE, "pool: %s\n", rte_strerror(rte_errno));
	pattern = malloc(PATTERN_LEN);
	vexpect = malloc(OUT_CAP);
	if (pattern == NULL || vexpect == NULL)
		rte_exit(EXIT_FAILURE, "out of memory\n");
	for (w = 0; w < MAX_IMPL; w++) {
		vout[w] = malloc(OUT_CAP);
		if (vout[w] == NULL)
			rte_exit(EXIT_FAILURE, "out of memory\n");
	}
	{
		uint64_t s = opt_seed;
		size_t k;

		for (k = 0; k < PATTERN_LEN; k += 8) {
			uint64_t x = rng_next(&s);

			memcpy(pattern + k, &x, 8);
		}
	}
	g_out = vout[MAX_IMPL - 1];

	printf("hb-bench: HyperBuf %s, lcore %u, TSC %.3f GHz, %u reps x "
	       "%g ms, burst %u, split at %u\n", HB_VERSION_STR,
	       rte_lcore_id(), tsc_per_ns, opt_reps, opt_rep_ms, opt_burst,
	       opt_split_at);
	if (mc_worker < RTE_MAX_LCORE)
		printf("hb-bench: multi-lcore workloads on lcores %u and %u, "
		       "windows of %g ms\n", rte_lcore_id(), mc_worker,
		       opt_mc_ms);
	else
		printf("hb-bench: one lcore: the 2-lcore workloads will be "
		       "skipped (give the EAL -l 0-1)\n");
	for (w = 0; w < nb_workloads; w++) {
		struct workload *wl = &workloads[w];

		if (!wl->selected)
			continue;
		if (wl->todo != NULL) {
			printf("%s: skipped, not implemented yet: %s\n",
			       wl->name, wl->todo);
			continue;
		}
		if (wl_run(wl) != 0) {
			wl->failed = true;
			failed = 1;
		}
	}
	print_table();

	if (opt_csv != NULL && (rc = write_csv(opt_csv)) != 0) {
		fprintf(stderr, "%s: %s\n", opt_csv, strerror(-rc));
		failed = 1;
	}
	if (opt_json != NULL && (rc = write_json(opt_json)) != 0) {
		fprintf(stderr, "%s: %s\n", opt_json, strerror(-rc));
		failed = 1;
	}
	printf("%s\n", failed ? "hb-bench: CHECKS FAILED" :
				"hb-bench: all checks passed");

	for (w = 0; w < MAX_IMPL; w++)
		free(vout[w]);
	free(vexpect);
	free(pattern);
	rte_mempool_free(pool);
	hb_fini();
	rte_eal_cleanup();
	return failed;
}
