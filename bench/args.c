/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the command line after the EAL's ("--"): the options with
 * their defaults, their parsing and checks, --workloads selection and
 * --help.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hb_bench.h"

/* Options, with their defaults. */
unsigned int opt_reps = 21;
double opt_rep_ms = 5.0;
unsigned int opt_burst = 64;
unsigned int opt_split_at = 10;
uint64_t opt_seed = 0x9e3779b97f4a7c15ull;
const char *opt_csv;
const char *opt_json;
const char *opt_workloads;
const char *opt_impls;
uint64_t opt_iters;
bool opt_quick;
double opt_mc_ms = 2.0;
unsigned int opt_work = 128;
unsigned int opt_write_pct = 20;

void
usage(const char *prog)
{
	unsigned int i;

	printf("Usage: %s [EAL options --] [options]\n"
	       "Without \"--\", every argument is an hb-bench option and the "
	       "EAL gets:\n  --no-huge -m 512 --no-pci --no-shconf "
	       "--no-telemetry --lcores 0@A,1@B --file-prefix hbb<pid>\n"
	       "(A, B: the first two CPUs this process may run on; the "
	       "same one twice\nif it has one). shared-read, contend and "
	       "contend-long need the second lcore.\n\n"
	       "Options:\n"
	       "  --workloads LIST  comma-separated workloads (default: all "
	       "implemented)\n"
	       "  --reps N          timed repetitions per implementation "
	       "(default %u)\n"
	       "  --rep-ms MS       length of one repetition (default %g)\n"
	       "  --burst N         packets per burst in visit-* (default %u, "
	       "max %u)\n"
	       "  --split-at N      visit-split: bytes in the first segment "
	       "(default %u)\n"
	       "  --seed N          inputs' random seed\n"
	       "  --impl LIST       time only these implementations (all are "
	       "still\n                    cross-checked)\n"
	       "  --iters N         iterations per repetition (default: "
	       "calibrated;\n                    not for the multi-lcore "
	       "workloads)\n"
	       "  --mc-ms MS        multi-lcore workloads: length of one "
	       "window (default %g)\n"
	       "  --work N          contend: words of useful work per item "
	       "(default %u, max %u)\n"
	       "  --write-pct N     contend: percentage of write visits "
	       "(default %u)\n"
	       "  --csv FILE        write the results as CSV\n"
	       "  --json FILE       write the results as JSON\n"
	       "  --quick           few short repetitions (smoke test)\n"
	       "  -h, --help        this help\n\n"
	       "Workloads:", prog, opt_reps, opt_rep_ms, opt_burst, MAX_BURST,
	       opt_split_at, opt_mc_ms, opt_work, CT_WORK_MAX, opt_write_pct);
	for (i = 0; i < nb_workloads; i++)
		if (i == 0 || strcmp(workloads[i].group,
				      workloads[i - 1].group) != 0)
			printf(" %s%s", workloads[i].group,
			       workloads[i].todo != NULL ? "(todo)" : "");
	printf("\nExit status: 0 ok, 1 a check failed (bytes, checksums, "
	       "leaks), 2 usage.\nTimings never change the exit status.\n");
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max,
	   unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

static int
select_workloads(const char *list)
{
	char *copy, *tok, *save = NULL;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < nb_workloads; i++)
		workloads[i].selected = list == NULL && workloads[i].todo == NULL;
	if (list == NULL)
		return 0;
	copy = strdup(list);
	if (copy == NULL)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		bool found = false;

		for (i = 0; i < nb_workloads; i++) {
			if (strcmp(tok, workloads[i].group) == 0 ||
			    strcmp(tok, workloads[i].name) == 0 ||
			    strcmp(tok, "all") == 0) {
				workloads[i].selected = true;
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "unknown workload '%s'\n", tok);
			rc = -EINVAL;
		}
	}
	free(copy);
	return rc;
}

enum {
	OPT_WORKLOADS = 256,
	OPT_REPS,
	OPT_REP_MS,
	OPT_BURST,
	OPT_SPLIT_AT,
	OPT_SEED,
	OPT_CSV,
	OPT_JSON,
	OPT_QUICK,
	OPT_IMPL,
	OPT_ITERS,
	OPT_MC_MS,
	OPT_WORK,
	OPT_WRITE_PCT,
};

int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "workloads", required_argument, NULL, OPT_WORKLOADS },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "rep-ms", required_argument, NULL, OPT_REP_MS },
		{ "burst", required_argument, NULL, OPT_BURST },
		{ "split-at", required_argument, NULL, OPT_SPLIT_AT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "impl", required_argument, NULL, OPT_IMPL },
		{ "iters", required_argument, NULL, OPT_ITERS },
		{ "mc-ms", required_argument, NULL, OPT_MC_MS },
		{ "work", required_argument, NULL, OPT_WORK },
		{ "write-pct", required_argument, NULL, OPT_WRITE_PCT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool reps_set = false, ms_set = false, mc_set = false;
	unsigned long v;
	char *end;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_WORKLOADS:
			opt_workloads = optarg;
			break;
		case OPT_REPS:
			if (parse_uint(optarg, 1, MAX_REPS, &v) != 0)
				return -EINVAL;
			opt_reps = (unsigned int)v;
			reps_set = true;
			break;
		case OPT_REP_MS:
			opt_rep_ms = strtod(optarg, &end);
			if (*end != '\0' || !(opt_rep_ms > 0 &&
					      opt_rep_ms <= 10000))
				return -EINVAL;
			ms_set = true;
			break;
		case OPT_BURST:
			if (parse_uint(optarg, 1, MAX_BURST, &v) != 0)
				return -EINVAL;
			opt_burst = (unsigned int)v;
			break;
		case OPT_SPLIT_AT:
			if (parse_uint(optarg, 1, PKT_LEN - 1, &v) != 0)
				return -EINVAL;
			opt_split_at = (unsigned int)v;
			break;
		case OPT_SEED:
			errno = 0;
			opt_seed = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || opt_seed == 0)
				return -EINVAL;
			break;
		case OPT_CSV:
			opt_csv = optarg;
			break;
		case OPT_JSON:
			opt_json = optarg;
			break;
		case OPT_QUICK:
			opt_quick = true;
			break;
		case OPT_IMPL:
			opt_impls = optarg;
			break;
		case OPT_ITERS:
			if (parse_uint(optarg, 1, UINT32_MAX, &v) != 0)
				return -EINVAL;
			opt_iters = v;
			break;
		case OPT_MC_MS:
			opt_mc_ms = strtod(optarg, &end);
			if (*end != '\0' || !(opt_mc_ms >= 0.1 &&
					      opt_mc_ms <= 10000))
				return -EINVAL;
			mc_set = true;
			break;
		case OPT_WORK:
			if (parse_uint(optarg, 1, CT_WORK_MAX, &v) != 0)
				return -EINVAL;
			opt_work = (unsigned int)v;
			break;
		case OPT_WRITE_PCT:
			if (parse_uint(optarg, 0, 100, &v) != 0)
				return -EINVAL;
			opt_write_pct = (unsigned int)v;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (opt_quick) {
		if (!reps_set)
			opt_reps = 3;
		if (!ms_set)
			opt_rep_ms = 1.0;
		if (!mc_set)
			opt_mc_ms = 1.0;
	}
	return select_workloads(opt_workloads);
}
