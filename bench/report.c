/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-bench: the report. The table printed at the end (one row per
 * implementation, then the derived values computed from several rows),
 * the details of the multi-lcore windows, and the same results as CSV and
 * JSON (their columns are what run-bench.sh and plot.sh read).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include <hyperbuf.h>

#include "hb_bench.h"

/* A time in ns, scaled to a readable unit. */
static const char *
fmt_time(char *buf, size_t sz, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, sz, "%.3f ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, sz, "%.3f us", ns / 1e3);
	else if (ns >= 100)
		snprintf(buf, sz, "%.1f ns", ns);
	else
		snprintf(buf, sz, "%.2f ns", ns);
	return buf;
}

static const char *
fmt_ratio(char *buf, size_t sz, double r)
{
	if (r >= 100)
		snprintf(buf, sz, "%.0fx", r);
	else if (r >= 10)
		snprintf(buf, sz, "%.1fx", r);
	else
		snprintf(buf, sz, "%.2fx", r);
	return buf;
}

static const char *
verdict(const struct impl *im)
{
	if (im->role != ROLE_BASE)
		return im->role == ROLE_HB ? "" : "(variant)";
	if (im->target == 0 || im->ratio == 0)
		return "report";
	return im->ratio >= im->target ? "PASS" : "MISS";
}

/*
 * Derived results, from the medians of several rows:
 *  - random: HyperBuf's 1 MiB cost <= 3x its 64 KiB cost;
 *  - shared-read: HyperBuf's 2-lcore per-visit cost <= 1.5x its 1-lcore
 *    cost (rwlock's shown beside it);
 *  - contend: work units and visits per second of each implementation
 *    (both lcores), and the share of lcore time spent waiting for access:
 *    HyperBuf's must be 0 (the highest over all its windows is taken),
 *    rwlock's is reported (median window);
 *  - contend-long (each hold): useful work (bursts) per second of each
 *    implementation, and the share of lcore time spent waiting: 0 for
 *    HyperBuf, reported for the locks.
 */
struct derived {
	const char *workload;
	char label[40];
	const char *what;
	double value;
	const char *unit;
	const char *cmp; /* "<=", ">=", or NULL: report only */
	double target;
};

#define MAX_DERIVED 48
static struct derived derived[MAX_DERIVED];
static unsigned int nb_derived;

static const struct impl *
find_impl(const char *wl, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];

		if (!w->ran || strcmp(w->name, wl) != 0)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++)
			if (strcmp(w->impl[j].name, name) == 0 &&
			    w->impl[j].nb > 0)
				return &w->impl[j];
	}
	return NULL;
}

static void
derived_add(const char *wl, const char *impl, const char *label,
	    const char *what, double value, const char *unit, const char *cmp,
	    double target)
{
	struct derived *d;

	if (nb_derived == MAX_DERIVED)
		return;
	d = &derived[nb_derived++];
	d->workload = wl;
	snprintf(d->label, sizeof(d->label), "%s %s", impl, label);
	d->what = what;
	d->value = value;
	d->unit = unit;
	d->cmp = cmp;
	d->target = target;
}

/* contend-long: each implementation's useful work, and waiting. */
static void
derived_contend_long(void)
{
	unsigned int i, j;

	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];

		if (!w->ran || w->mc_check != cl_check)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *a = &w->impl[j];

			if (a->nb == 0)
				continue;
			derived_add(w->name, a->name, "Mwork/s",
				    "bursts forwarded per second on both "
				    "lcores, held or not (millions)",
				    a->rate_med / 1e6, "", NULL, 0);
			if (a->role == ROLE_HB)
				derived_add(w->name, a->name, "spin %",
					    "share of lcore time spent waiting "
					    "(highest window)",
					    a->spin_max * 100, "%", "<=", 0);
			else if (a->spin_med > 0)
				derived_add(w->name, a->name, "spin %",
					    "share of lcore time spent "
					    "spinning (median window)",
					    a->spin_med * 100, "%", NULL, 0);
		}
	}
}

static void
compute_derived(void)
{
	static const char *const names[] = { "hyperbuf", "rwlock" };
	const struct impl *a, *b;
	unsigned int i;

	nb_derived = 0;
	a = find_impl("random64k", "hyperbuf");
	b = find_impl("random1m", "hyperbuf");
	if (a != NULL && b != NULL && a->med > 0)
		derived_add("random", "hyperbuf", "1m/64k", "cost ratio",
			    b->med / a->med, "x", "<=", 3.0);
	for (i = 0; i < RTE_DIM(names); i++) {
		a = find_impl("shared-read1", names[i]);
		b = find_impl("shared-read", names[i]);
		if (a != NULL && b != NULL && a->med > 0)
			derived_add("shared-read", names[i], "2/1 lcores",
				    "per-visit cost on 2 lcores / on 1 lcore",
				    b->med / a->med, "x", i == 0 ? "<=" : NULL,
				    1.5);
	}
	for (i = 0; i < RTE_DIM(names); i++) {
		a = find_impl("contend", names[i]);
		if (a == NULL)
			continue;
		derived_add("contend", names[i], "Mwork/s",
			    "work units per second on both lcores (millions)",
			    a->rate_med / 1e6, "", NULL, 0);
		derived_add("contend", names[i], "Mvisit/s",
			    "visits done in the window per second (millions)",
			    a->vrate_med / 1e6, "", NULL, 0);
		if (i == 0)
			derived_add("contend", names[i], "spin %",
				    "share of lcore time spent waiting "
				    "(highest window)",
				    a->spin_max * 100, "%", "<=", 0);
		else
			derived_add("contend", names[i], "spin %",
				    "share of lcore time spent spinning "
				    "(median window)",
				    a->spin_med * 100, "%", NULL, 0);
	}
	derived_contend_long();
}

static const char *
derived_result(const struct derived *d)
{
	if (d->cmp == NULL)
		return "report";
	if (d->cmp[0] == '<')
		return d->value <= d->target ? "PASS" : "MISS";
	return d->value >= d->target ? "PASS" : "MISS";
}

static const char *
derived_target(char *buf, size_t sz, const struct derived *d)
{
	if (d->cmp == NULL)
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%s%g%s", d->cmp, d->target, d->unit);
	return buf;
}

/* Details of the multi-lcore workloads. */
static void
print_multi_details(void)
{
	unsigned int i, j;
	bool any = false;

	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];
		const bool ct = w->mc_check == ct_check;
		const bool cl = w->mc_check == cl_check;

		if (!w->selected || !w->ran || w->lcores == 0)
			continue;
		if (!any)
			printf("multi-lcore windows of %g ms (median of the "
			       "kept windows; contend: --work %u words, "
			       "--write-pct %u):\n", opt_mc_ms, opt_work,
			       opt_write_pct);
		any = true;
		if (w->mc_mul > 1)
			printf("  %s: windows of %g ms\n", w->name,
			       opt_mc_ms * w->mc_mul);
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			printf("  %-12s %-9s %u lcore(s): %.2f Mop/s", w->name,
			       im->name, w->lcores, im->rate_med / 1e6);
			if (ct || cl)
				printf(", %.2f %s, waiting %.2f%% of lcore"
				       " time (highest %.2f%%, %" PRIu64
				       " waits), drain %.1f us",
				       im->vrate_med / (cl ? 1e3 : 1e6),
				       cl ? "khold/s" : "Mvisit/s",
				       im->spin_med * 100, im->spin_max * 100,
				       im->waits, im->drain_med / 1e3);
			if ((ct || cl) && im->role != ROLE_BASE)
				printf(", %.1f%% of hb_visit_async() queued",
				       100.0 * im->queued_med);
			printf("; %u of %u windows undisturbed, %s\n",
			       im->clean, im->windows,
			       im->kept_clean ? "those kept" :
			       "all kept: UNRELIABLE (lcores preempted)");
		}
	}
}

void
print_table(void)
{
	char t1[32], t2[32], t3[32], t4[32], t5[32];
	unsigned int i, j;

	compute_derived();
	printf("\nper-op times over %u repetitions (median, min, max); "
	       "ratio = implementation / hyperbuf (median)\n", opt_reps);
	printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n", "workload",
	       "implementation", "median", "min", "max", "ratio", "target",
	       "result");
	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected)
			continue;
		if (w->todo != NULL || w->skipped || !w->ran) {
			printf("%-12s %-17s %s\n", w->name, "-",
			       w->todo != NULL ? "not implemented yet" :
			       w->skipped ? "skipped: needs 2 lcores" :
					    "FAILED");
			continue;
		}
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			if (im->target > 0)
				snprintf(t5, sizeof(t5), ">=%gx", im->target);
			else
				snprintf(t5, sizeof(t5), "-");
			printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n",
			       j == 0 ? w->name : "", im->name,
			       fmt_time(t1, sizeof(t1), im->med),
			       fmt_time(t2, sizeof(t2), im->min),
			       fmt_time(t3, sizeof(t3), im->max),
			       im->role == ROLE_HB ? "1" :
				fmt_ratio(t4, sizeof(t4), im->ratio),
			       t5, verdict(im));
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];

		snprintf(t4, sizeof(t4), "%.2f%s", d->value, d->unit);
		printf("%-12s %-17s %12s %12s %12s %9s %8s %-9s\n",
		       d->workload, d->label, "", "", "", t4,
		       derived_target(t5, sizeof(t5), d), derived_result(d));
	}
	printf("one op:\n");
	for (i = 0; i < nb_workloads; i++)
		if (workloads[i].selected && workloads[i].ran)
			printf("  %-12s %s\n", workloads[i].name,
			       workloads[i].op);
	print_multi_details();
}

static const char *
role_name(enum role r)
{
	return r == ROLE_HB ? "hyperbuf" :
	       r == ROLE_HB_VARIANT ? "hyperbuf-variant" : "baseline";
}

/* A quoted CSV field: no comma (the scripts split on commas). */
static const char *
csv_text(char *buf, size_t sz, const char *s)
{
	size_t i;

	snprintf(buf, sz, "%s", s);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == ',' || buf[i] == '"')
			buf[i] = ';';
	return buf;
}

int
write_csv(const char *path)
{
	char q[128];
	FILE *f = fopen(path, "w");
	unsigned int i, j, k;

	if (f == NULL)
		return -errno;
	fprintf(f, "workload,implementation,role,op,ops_per_iter,iters,reps,"
		"median_ns,min_ns,max_ns,ratio,target,result,samples_ns\n");
	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected || !w->ran)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			fprintf(f, "%s,%s,%s,\"%s\",%u,%" PRIu64 ",%u,%.4f,"
				"%.4f,%.4f,%.4f,%g,%s,", w->name, im->name,
				role_name(im->role),
				csv_text(q, sizeof(q), w->op), wl_ops(w),
				im->iters, im->nb, im->med, im->min, im->max,
				im->ratio, im->target, verdict(im));
			for (k = 0; k < im->nb; k++)
				fprintf(f, "%s%.4f", k ? " " : "", im->ns[k]);
			fprintf(f, "\n");
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];
		char t[32];

		fprintf(f, "%s,%s,derived,\"%s\",0,0,0,0,0,0,%.4f,%s,%s,\n",
			d->workload, d->label, csv_text(q, sizeof(q), d->what),
			d->value,
			d->cmp != NULL ? derived_target(t, sizeof(t), d) : "",
			derived_result(d));
	}
	return fclose(f) == 0 ? 0 : -errno;
}

int
write_json(const char *path)
{
	FILE *f = fopen(path, "w");
	bool first = true;
	unsigned int i, j, k;
	char date[64];
	time_t now = time(NULL);

	if (f == NULL)
		return -errno;
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "{\n  \"tool\": \"hb-bench\",\n  \"hyperbuf\": \"%s\",\n"
		"  \"date\": \"%s\",\n  \"tsc_hz\": %" PRIu64 ",\n"
		"  \"lcore\": %u,\n  \"worker_lcore\": %d,\n"
		"  \"reps\": %u,\n  \"rep_ms\": %g,\n  \"mc_ms\": %g,\n"
		"  \"work_words\": %u,\n  \"write_pct\": %u,\n"
		"  \"burst\": %u,\n  \"split_at\": %u,\n  \"quick\": %s,\n"
		"  \"results\": [\n", HB_VERSION_STR, date, rte_get_tsc_hz(),
		rte_lcore_id(),
		mc_worker < RTE_MAX_LCORE ? (int)mc_worker : -1, opt_reps,
		opt_rep_ms, opt_mc_ms, opt_work, opt_write_pct, opt_burst,
		opt_split_at,
		opt_quick ? "true" : "false");
	for (i = 0; i < nb_workloads; i++) {
		const struct workload *w = &workloads[i];

		if (!w->selected || !w->ran)
			continue;
		for (j = 0; j < wl_nb_impl(w); j++) {
			const struct impl *im = &w->impl[j];

			if (im->nb == 0)
				continue;
			fprintf(f, "%s    {\"workload\": \"%s\", "
				"\"implementation\": \"%s\", \"role\": \"%s\", "
				"\"op\": \"%s\", \"ops_per_iter\": %u, "
				"\"iters\": %" PRIu64 ", \"median_ns\": %.4f, "
				"\"min_ns\": %.4f, \"max_ns\": %.4f, "
				"\"ratio\": %.4f, \"target\": %g, "
				"\"result\": \"%s\", \"samples_ns\": [",
				first ? "" : ",\n", w->name, im->name,
				role_name(im->role), w->op, wl_ops(w),
				im->iters, im->med, im->min, im->max, im->ratio,
				im->target, verdict(im));
			for (k = 0; k < im->nb; k++)
				fprintf(f, "%s%.4f", k ? ", " : "", im->ns[k]);
			fprintf(f, "]");
			if (w->lcores != 0)
				fprintf(f, ", \"lcores\": %u, \"windows\": %u, "
					"\"undisturbed\": %u, "
					"\"kept\": \"%s\", \"ops_per_s\": %.0f, "
					"\"visits_per_s\": %.0f, "
					"\"wait_share\": %.6f, "
					"\"wait_share_max\": %.6f, "
					"\"waits\": %" PRIu64 ", "
					"\"queued_share\": %.6f, "
					"\"drain_ns\": %.1f", w->lcores,
					im->windows, im->clean,
					im->kept_clean ? "undisturbed" : "all",
					im->rate_med, im->vrate_med,
					im->spin_med, im->spin_max, im->waits,
					im->queued_med, im->drain_med);
			fprintf(f, "}");
			first = false;
		}
	}
	for (i = 0; i < nb_derived; i++) {
		const struct derived *d = &derived[i];
		char t[32];

		fprintf(f, "%s    {\"workload\": \"%s\", "
			"\"implementation\": \"%s\", \"role\": \"derived\", "
			"\"op\": \"%s\", \"value\": %.4f, \"unit\": \"%s\", "
			"\"target\": \"%s\", \"result\": \"%s\"}",
			first ? "" : ",\n", d->workload, d->label, d->what,
			d->value, d->unit,
			d->cmp != NULL ? derived_target(t, sizeof(t), d) : "",
			derived_result(d));
		first = false;
	}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) == 0 ? 0 : -errno;
}

