/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "hyperbuf.h"
#include "hb_fault.h"
#include "fuzz_eal.h"

void
fuzz_eal_init(const char *prog, const char *tag)
{
	static char prefix[64], lcores[64];
	static const char *eal[] = {
		NULL, "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
		"--no-telemetry", prefix, lcores, "--log-level=*:error", NULL,
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	eal[0] = prog;
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s%d", tag,
		 (int)getpid());
	snprintf(lcores, sizeof(lcores), "--lcores=0@(0-%ld)",
		 ncpu > 1 ? ncpu - 1 : 0);
	if (rte_eal_init((int)RTE_DIM(eal) - 1, (char **)(uintptr_t)eal) < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", prog,
			rte_strerror(rte_errno));
		exit(1);
	}
	RTE_VERIFY(hb_init() == 0);
	/* Every segment from the buffer's pool (the model counts them). */
	RTE_VERIFY(hb_growth_set(&(struct hb_growth){ .max_seg = 0 }) == 0);
	RTE_VERIFY(hb_fault_register() == 0);
}
