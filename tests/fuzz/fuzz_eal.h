/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

#ifndef HB_FUZZ_EAL_H
#define HB_FUZZ_EAL_H

/*
 * Start-up shared by the libFuzzer targets: the EAL (no hugepages, no PCI,
 * no telemetry, a file prefix of its own, one lcore free to run on any
 * CPU so that -jobs=N runs N in parallel), hb_init() and the fault-
 * injecting mempool driver (tests/hb_fault.h). Exits on failure.
 *
 * @param prog
 *   Program name, for EAL's argv[0] and messages.
 * @param tag
 *   File prefix, followed by the process id.
 */
void fuzz_eal_init(const char *prog, const char *tag);

#endif /* HB_FUZZ_EAL_H */
