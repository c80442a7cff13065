// SPDX-License-Identifier: GPL-2.0
/*
 * mdbbench - the dma-buf mapping benchmark of the mmio-dmabuf QEMU bench
 *
 *   mdbbench sweep IMPORTER [BUDGET_MS]   every cell: ranges 1, 4, 16, 64,
 *                                         256, 1024 x sizes 4 KiB, 64 KiB,
 *                                         2 MiB, every method
 *   mdbbench smoke IMPORTER               two small cells, few reps, and
 *                                         checks of what is not timing
 *
 * IMPORTER is the PCI name of edu (bound to edu_dma). bar_exporter must be
 * bound to ivshmem and dmabuf_bench loaded. For each cell the tool exports
 * NR ranges of SIZE bytes from ivshmem's BAR, each followed by a gap of
 * SIZE bytes (so no two ranges are adjacent), twice: as a dma-buf mapped
 * with the helper and as one mapped range by range with
 * dma_map_resource() (BAR_EXPORTER_EXPORT_PER_RANGE), and has dmabuf_bench
 * map and unmap them for edu with each method (dmabuf_bench.h):
 *
 *   helper             dma_buf_map_attachment() of the helper's dma-buf
 *   baseline           dma_buf_map_attachment() of the per-range dma-buf:
 *                      the same importer and dma-buf core path
 *   baseline-raw       the per-range table without the dma-buf core
 *   helper-direct      the helper without the dma-buf core
 *   lowerbound-strict  the ranges linked into a preallocated IOVA, one
 *                      sync, one unlink that flushes the IOTLB
 *   lowerbound-lazy    the same, the IOTLB flushed once per 256 teardowns
 *                      as the flush queue does
 *   table              writing a table of one entry per range, nothing
 *                      mapped
 *   iova-alloc         the IOVA allocation alone
 *
 * Nothing is written to the BAR. One line per cell and method:
 *
 *   # info: bench-cell topo=T method=M ranges=N size=S reps=R
 *     min_ns= median_ns= map_ns= unmap_ns= entries= sync_map= iotlb_sync=
 *     flush_all= alloc_bytes= counted= dma_addr= status=ok|EINVAL|n/a|...
 *
 * where the three counts are per map+unmap and alloc_bytes per map (-1:
 * could not be counted), taken by dmabuf_bench in an untimed pass of
 * counted= map+unmaps.
 * The sweep chooses the repetitions of a cell from a short calibration run
 * so that a method takes about BUDGET_MS (default 300) on it, split into
 * three rounds of 5 to 2000 repetitions that interleave the methods, in
 * an order drawn anew for each round from the seed that the "bench" info
 * line prints (SEED=N replays it); the round with the middle median is
 * reported, with the minimum and the counts of all three (reps= and
 * counted= are their totals).
 * The sweep also checks what is not timing: the helper's table has the
 * fewest entries the ranges allow, and through an IOMMU each map asks for
 * one IOTLB sync. The smoke run fails only on errors and implausible
 * counts, never on times. Exit status: 1 if a check failed, 2 on usage
 * errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bar_exporter.h"
#include "common.h"
#include "dmabuf_bench.h"

#define KIB		1024ULL
#define MIB		(1024 * KIB)
#define MIN_REPS	5
#define MAX_REPS	2000
#define CAL_REPS	3
#define ROUNDS		3

/* the cell's two dma-bufs */
enum export { EXP_HELPER, EXP_PER_RANGE, NR_EXPORTS };

enum method_id {
	M_HELPER, M_BASELINE, M_RAW, M_DIRECT, M_STRICT, M_LAZY, M_TABLE,
	M_IOVA_ALLOC, NR_METHODS
};

static const struct method {
	const char *name;
	__u32 kernel;		/* enum dmabuf_bench_method */
	enum export exp;	/* the dma-buf it maps */
} methods[NR_METHODS] = {
	[M_HELPER] = { "helper", DMABUF_BENCH_MAP_ATTACHMENT, EXP_HELPER },
	[M_BASELINE] = { "baseline", DMABUF_BENCH_MAP_ATTACHMENT, EXP_PER_RANGE },
	[M_RAW] = { "baseline-raw", DMABUF_BENCH_PER_RANGE },
	[M_DIRECT] = { "helper-direct", DMABUF_BENCH_HELPER_DIRECT },
	[M_STRICT] = { "lowerbound-strict", DMABUF_BENCH_LOWERBOUND_STRICT },
	[M_LAZY] = { "lowerbound-lazy", DMABUF_BENCH_LOWERBOUND_LAZY },
	[M_TABLE] = { "table", DMABUF_BENCH_TABLE },
	[M_IOVA_ALLOC] = { "iova-alloc", DMABUF_BENCH_IOVA_ALLOC },
};

/* how the helper maps ivshmem's BAR for edu on each topology */
enum path { PATH_IOVA, PATH_DIRECT, PATH_BUS, PATH_REFUSED };

static const struct topo {
	const char *name;
	enum path path;
	bool iommu;	/* edu is behind an IOMMU (dma_map_resource()) */
} topos[] = {
	{ "iommu-intel", PATH_IOVA, true },
	{ "iommu-amd", PATH_IOVA, true },
	{ "direct", PATH_DIRECT, false },
	{ "switch", PATH_BUS, false },
	{ "switch-iommu", PATH_BUS, true },
	{ "refused", PATH_REFUSED, true },
};

static int bar_fd = -1, bench_fd = -1;
static struct bar_exporter_info bar;
static const char *importer;
static const char *topo_name = "unknown";
static const struct topo *topo;

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* a cell's dma-bufs: NR ranges of SIZE bytes, a gap of SIZE after each */
struct cell {
	__u32 nr;
	__u64 size;
	int fd[NR_EXPORTS];
	struct dmabuf_bench_range *ranges;
};

static int cell_export(struct cell *c)
{
	struct bar_exporter_range *r;
	__u32 i;
	int e, ret = 0;

	for (e = 0; e < NR_EXPORTS; e++)
		c->fd[e] = -1;
	r = calloc(c->nr, sizeof(*r));
	c->ranges = calloc(c->nr, sizeof(*c->ranges));
	if (!r || !c->ranges) {
		free(r);
		return -ENOMEM;
	}
	for (i = 0; i < c->nr; i++) {
		r[i].offset = 2 * c->size * i;
		r[i].len = c->size;
		c->ranges[i].phys = bar.bar_phys + r[i].offset;
		c->ranges[i].len = c->size;
	}
	for (e = 0; e < NR_EXPORTS && !ret; e++) {
		struct bar_exporter_export exp = {
			.ranges_ptr = (__u64)(uintptr_t)r,
			.nr_ranges = c->nr,
			.flags = e == EXP_PER_RANGE ?
				 BAR_EXPORTER_EXPORT_PER_RANGE : 0,
		};

		ret = xioctl(bar_fd, BAR_EXPORTER_EXPORT, &exp);
		if (!ret)
			c->fd[e] = exp.fd;
	}
	free(r);
	return ret;
}

static void cell_release(struct cell *c)
{
	int e;

	for (e = 0; e < NR_EXPORTS; e++) {
		if (c->fd[e] >= 0)
			close(c->fd[e]);
		c->fd[e] = -1;
	}
	free(c->ranges);
	c->ranges = NULL;
}

static int run(const struct cell *c, enum method_id m, __u32 reps,
	       struct dmabuf_bench_run *out)
{
	memset(out, 0, sizeof(*out));
	out->fd = c->fd[methods[m].exp];
	out->method = methods[m].kernel;
	out->nr_ranges = c->nr;
	out->reps = reps;
	out->ranges_ptr = (__u64)(uintptr_t)c->ranges;
	snprintf(out->importer, sizeof(out->importer), "%s", importer);
	snprintf(out->exporter, sizeof(out->exporter), "%s", bar.pci_name);
	out->bar = bar.bar;
	return xioctl(bench_fd, DMABUF_BENCH_RUN, out);
}

/* a count per map+unmap, or -1 */
static double per_op(__s64 count, __u32 reps)
{
	return count < 0 ? -1 : (double)count / reps;
}

static const char *status_name(int err)
{
	switch (err) {
	case 0: return "ok";
	case -EINVAL: return "EINVAL";
	case -EOPNOTSUPP: return "n/a";
	case -ENOMEM: return "ENOMEM";
	case -ENODEV: return "ENODEV";
	default: return "error";
	}
}

static void report(const struct cell *c, enum method_id m, int err,
		   const struct dmabuf_bench_run *r)
{
	if (err) {
		info("bench-cell", "topo=%s method=%s ranges=%u size=%llu reps=0 status=%s errno=%d",
		     topo_name, methods[m].name, c->nr,
		     (unsigned long long)c->size, status_name(err), -err);
		return;
	}
	info("bench-cell",
	     "topo=%s method=%s ranges=%u size=%llu reps=%u min_ns=%llu median_ns=%llu map_ns=%llu unmap_ns=%llu entries=%lld sync_map=%.2f iotlb_sync=%.2f flush_all=%.2f alloc_bytes=%.0f counted=%u dma_addr=%#llx status=ok",
	     topo_name, methods[m].name, c->nr,
	     (unsigned long long)c->size, r->reps,
	     (unsigned long long)r->min_ns, (unsigned long long)r->median_ns,
	     (unsigned long long)r->map_median_ns,
	     (unsigned long long)r->unmap_median_ns, (long long)r->entries,
	     per_op(r->sync_map, r->count_reps),
	     per_op(r->iotlb_sync, r->count_reps),
	     per_op(r->flush_all, r->count_reps),
	     per_op(r->alloc_bytes, r->count_reps), r->count_reps,
	     (unsigned long long)r->dma_addr);
}

/* the kernel has DMA-API debugging (its debugfs directory exists) */
static bool dma_api_debug(void)
{
	return !access("/sys/kernel/debug/dma-api", F_OK);
}

/* errors a method may give on this topology by design */
static bool expected_error(enum method_id m, int err)
{
	if (!topo)
		return false;
	switch (m) {
	case M_HELPER:
	case M_DIRECT:
		return err == -EINVAL && topo->path == PATH_REFUSED;
	case M_LAZY:
		return err == -EOPNOTSUPP && (!topo->iommu || dma_api_debug());
	case M_STRICT:
	case M_IOVA_ALLOC:
		return err == -EOPNOTSUPP && !topo->iommu;
	default:
		return false;
	}
}

/* --- sweep -------------------------------------------------------------- */

/* keep the middle round (by median) of @n, with the totals of all of them */
static void combine_rounds(struct dmabuf_bench_run *rounds, unsigned int n,
			   struct dmabuf_bench_run *out)
{
	unsigned int k, below, mid = 0;

	for (k = 0; k < n; k++) {
		unsigned int j;

		for (below = 0, j = 0; j < n; j++)
			below += rounds[j].median_ns < rounds[k].median_ns ||
				 (rounds[j].median_ns == rounds[k].median_ns && j < k);
		if (below == n / 2)
			mid = k;
	}
	*out = rounds[mid];
	out->reps = 0;
	out->total_ns = 0;
	for (k = 0; k < n; k++) {
		if (rounds[k].min_ns < out->min_ns)
			out->min_ns = rounds[k].min_ns;
		out->reps += rounds[k].reps;
		out->total_ns += rounds[k].total_ns;
		if (k == mid)
			continue;
		out->count_reps += rounds[k].count_reps;
		/* a count that could not be taken stays -1 */
		if (out->sync_map >= 0)
			out->sync_map += rounds[k].sync_map;
		if (out->iotlb_sync >= 0)
			out->iotlb_sync += rounds[k].iotlb_sync;
		if (out->flush_all >= 0)
			out->flush_all += rounds[k].flush_all;
		if (out->alloc_bytes >= 0 && rounds[k].alloc_bytes >= 0)
			out->alloc_bytes += rounds[k].alloc_bytes;
		else
			out->alloc_bytes = -1;
	}
}

/* the method order of the next round: a shuffle drawn from order_seed */
static __u64 order_seed, order_state;

static void shuffle_methods(__u32 *order, __u32 n)
{
	__u32 i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		order_state = mix64(order_state + 0x9e3779b97f4a7c15ULL);
		j = order_state % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/* the fewest entries the helper's table can have for a cell */
static __s64 helper_min_entries(const struct cell *c)
{
	/* through an IOMMU the buffer is one span (the cells stay below 4 GiB) */
	return topo->path == PATH_IOVA ? 1 : c->nr;
}

/*
 * What the goals ask of the helper that is not timing: the fewest entries
 * the ranges allow, and through an IOMMU one IOTLB sync per map.
 */
static void check_helper_counts(const struct cell *c,
				const struct dmabuf_bench_run *r)
{
	double syncs = per_op(r->sync_map, r->count_reps);
	double want = topo->path == PATH_IOVA ? 1 : 0;

	result("bench-helper-counts",
	       r->entries == helper_min_entries(c) && syncs == want,
	       "helper %u x %llu: %lld entries (fewest: %lld), %.2f iotlb_sync_map per map (expected %.0f)",
	       c->nr, (unsigned long long)c->size, (long long)r->entries,
	       (long long)helper_min_entries(c), syncs, want);
}

/*
 * Measure every method on one cell: a calibration run per method sets its
 * repetitions, then ROUNDS rounds each run every method once, in a random
 * order (a method that always ran first or last would always meet the
 * same cache and IOVA allocator state), so that a passing load spike on
 * the host hits all methods alike, and the round with the middle median
 * is reported (min over all rounds). Returns the number of unexpected
 * errors.
 */
static unsigned int measure_cell(const struct cell *c, unsigned long budget_ms)
{
	__u32 order[NR_METHODS];
	struct dmabuf_bench_run r[NR_METHODS][ROUNDS], out;
	__u64 reps[NR_METHODS];
	int err[NR_METHODS];
	unsigned int errors = 0, k;
	__u32 m;

	for (m = 0; m < NR_METHODS; m++) {
		err[m] = run(c, m, CAL_REPS, &r[m][0]);
		if (err[m])
			continue;
		reps[m] = budget_ms * 1000000ULL / ROUNDS /
			  (r[m][0].median_ns ? r[m][0].median_ns : 1);
		if (reps[m] < MIN_REPS)
			reps[m] = MIN_REPS;
		if (reps[m] > MAX_REPS)
			reps[m] = MAX_REPS;
	}
	for (k = 0; k < ROUNDS; k++) {
		__u32 i;

		shuffle_methods(order, NR_METHODS);
		for (i = 0; i < NR_METHODS; i++) {
			m = order[i];
			if (!err[m])
				err[m] = run(c, m, reps[m], &r[m][k]);
		}
	}

	for (m = 0; m < NR_METHODS; m++) {
		if (!err[m])
			combine_rounds(r[m], ROUNDS, &out);
		report(c, m, err[m], &out);
		if (!err[m] && m == M_HELPER)
			check_helper_counts(c, &out);
		if (err[m] && !expected_error(m, err[m])) {
			result("bench-cell", false, "%s %u x %llu: %s",
			       methods[m].name, c->nr,
			       (unsigned long long)c->size,
			       strerror(-err[m]));
			errors++;
		}
	}
	return errors;
}

static int sweep(unsigned long budget_ms)
{
	static const __u32 nrs[] = { 1, 4, 16, 64, 256, 1024 };
	static const __u64 sizes[] = { 4 * KIB, 64 * KIB, 2 * MIB };
	unsigned int cells = 0, errors = 0;
	size_t i, j;

	for (j = 0; j < ARRAY_SIZE(sizes); j++) {
		for (i = 0; i < ARRAY_SIZE(nrs); i++) {
			struct cell c = { .nr = nrs[i], .size = sizes[j] };
			int ret;

			if (2 * c.size * c.nr > bar.bar_size) {
				info("bench-cell", "topo=%s ranges=%u size=%llu status=skipped reason=bar-too-small",
				     topo_name, c.nr,
				     (unsigned long long)c.size);
				continue;
			}
			ret = cell_export(&c);
			if (ret) {
				result("bench-export", false, "%u x %llu: %s",
				       c.nr, (unsigned long long)c.size,
				       strerror(-ret));
				cell_release(&c);
				errors++;
				continue;
			}
			errors += measure_cell(&c, budget_ms);
			cells++;
			cell_release(&c);
		}
	}
	result("bench-sweep", !errors, "%u cells, %u unexpected errors",
	       cells, errors);
	return errors ? 1 : 0;
}

/* --- smoke -------------------------------------------------------------- */

/* @name: @got per map+unmap must be @want (an IOTLB count, -1 is a FAIL) */
/*
 * the importer's IOMMU domain type: "DMA-FQ" (lazy), "DMA" (strict), ...,
 * "none" without an IOMMU group
 */
static const char *importer_domain_type(char *buf, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/iommu_group/type", importer);
	f = fopen(path, "r");
	if (!f && errno == ENOENT)
		snprintf(buf, size, "none");
	else if (!f || !fgets(buf, size, f))
		snprintf(buf, size, "unknown");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/*
 * What a revoke leaves in the IOTLB: the helper's unmap destroys its IOVA
 * range, which a lazy (DMA-FQ) domain hands to the flush queue. Its IOTLB
 * entries then stay until the queue drains, the window p2pdma.rst
 * documents; a strict (DMA) domain flushes before the unmap returns.
 * Show which policy this importer has, from the counts of the helper's
 * counting pass: strict is at least one iotlb_sync per unmap, lazy fewer
 * (none from the unmaps themselves).
 */
static void check_revoke_flush(const struct cell *c,
			       const struct dmabuf_bench_run *r)
{
	char type[32];
	bool lazy, strict;

	importer_domain_type(type, sizeof(type));
	lazy = !strcmp(type, "DMA-FQ");
	strict = !strcmp(type, "DMA");
	if (!lazy && !strict) {
		result("bench-smoke-revoke-flush", false,
		       "importer %s: IOMMU domain type '%s', expected DMA or DMA-FQ",
		       importer, type);
		return;
	}
	info("revoke-flush", "domain=%s unmaps=%u iotlb_sync=%lld flush_all=%lld",
	     type, r->count_reps, (long long)r->iotlb_sync,
	     (long long)r->flush_all);
	if (lazy)
		result("bench-smoke-revoke-flush",
		       r->iotlb_sync >= 0 && r->iotlb_sync < r->count_reps,
		       "helper %u x %llu, lazy (DMA-FQ) domain: %lld iotlb_sync for %u unmaps: the unmap leaves the IOTLB flush to the flush queue, so a revoked range stays reachable until it drains",
		       c->nr, (unsigned long long)c->size,
		       (long long)r->iotlb_sync, r->count_reps);
	else
		result("bench-smoke-revoke-flush",
		       r->iotlb_sync >= r->count_reps,
		       "helper %u x %llu, strict (DMA) domain: %lld iotlb_sync for %u unmaps: each unmap flushes before it returns",
		       c->nr, (unsigned long long)c->size,
		       (long long)r->iotlb_sync, r->count_reps);
}

static void check_count(const char *what, const struct cell *c,
			const char *name, __s64 got, __u32 reps, double want)
{
	double v = reps ? per_op(got, reps) : -1;

	result("bench-smoke-count", got >= 0 && v == want,
	       "%s %u x %llu: %s %.2f per map+unmap, expected %.2f", what,
	       c->nr, (unsigned long long)c->size, name, v, want);
}

/* DMA entries the table a method hands over (or builds) must have */
static __s64 want_entries(const struct cell *c, enum method_id m)
{
	switch (m) {
	case M_HELPER:
	case M_DIRECT:
		return helper_min_entries(c);
	case M_BASELINE:
	case M_RAW:
	case M_TABLE:
		return c->nr;
	default:
		return 0;
	}
}

/* iotlb_sync_map calls per map: one per IOMMU map call, nothing else */
static double want_sync_map(const struct cell *c, enum method_id m)
{
	switch (m) {
	case M_HELPER:
	case M_DIRECT:
		return topo->path == PATH_IOVA;
	case M_BASELINE:
	case M_RAW:
		return topo->iommu ? c->nr : 0;
	case M_STRICT:
	case M_LAZY:
		return 1;
	default:
		return 0;
	}
}

static void smoke_cell(struct cell *c, __u32 reps)
{
	__u32 m;

	for (m = 0; m < NR_METHODS; m++) {
		const char *name = methods[m].name;
		struct dmabuf_bench_run r;
		int ret;

		ret = run(c, m, reps, &r);
		report(c, m, ret, &r);
		if (ret) {
			result("bench-smoke-run", expected_error(m, ret),
			       "%s %u x %llu: %s%s", name, c->nr,
			       (unsigned long long)c->size, strerror(-ret),
			       expected_error(m, ret) ?
			       " (expected on this topology)" : "");
			continue;
		}
		if ((m == M_HELPER || m == M_DIRECT) &&
		    topo->path == PATH_REFUSED) {
			result("bench-smoke-run", false,
			       "%s mapped on %s, EINVAL expected", name,
			       topo_name);
			continue;
		}
		result("bench-smoke-run",
		       r.min_ns > 0 && r.min_ns <= r.median_ns &&
		       r.median_ns <= r.total_ns && r.reps == reps &&
		       r.count_reps == reps,
		       "%s %u x %llu: %u reps, min %llu ns, median %llu ns, %u counted",
		       name, c->nr, (unsigned long long)c->size,
		       r.reps, (unsigned long long)r.min_ns,
		       (unsigned long long)r.median_ns, r.count_reps);

		result("bench-smoke-entries", r.entries == want_entries(c, m),
		       "%s %u x %llu: %lld entries, expected %lld", name,
		       c->nr, (unsigned long long)c->size,
		       (long long)r.entries, (long long)want_entries(c, m));
		check_count(name, c, "sync_map", r.sync_map, r.count_reps,
			    want_sync_map(c, m));

		/*
		 * The memory is counted; a method that builds a table
		 * allocates it (the others may allocate IOVA bookkeeping)
		 */
		result("bench-smoke-alloc",
		       r.alloc_bytes >= 0 &&
		       (r.alloc_bytes > 0 || !want_entries(c, m)),
		       "%s %u x %llu: %.0f bytes allocated per map",
		       name, c->nr, (unsigned long long)c->size,
		       per_op(r.alloc_bytes, r.count_reps));

		switch (m) {
		case M_HELPER:
			if (topo->path == PATH_IOVA)
				check_revoke_flush(c, &r);
			break;
		case M_STRICT:
			/* dma_iova_unlink() flushes before it returns */
			result("bench-smoke-count",
			       r.iotlb_sync + r.flush_all >= r.count_reps,
			       "lowerbound-strict %u x %llu: %lld iotlb_sync + %lld flush_all for %u unlinks",
			       c->nr, (unsigned long long)c->size,
			       (long long)r.iotlb_sync, (long long)r.flush_all,
			       r.count_reps);
			break;
		case M_LAZY:
			/* at most the one flush of a batch of 256 teardowns */
			result("bench-smoke-count",
			       r.iotlb_sync >= 0 && r.flush_all >= 0 &&
			       r.iotlb_sync + r.flush_all <= 1,
			       "lowerbound-lazy %u x %llu: %lld iotlb_sync + %lld flush_all for %u teardowns",
			       c->nr, (unsigned long long)c->size,
			       (long long)r.iotlb_sync, (long long)r.flush_all,
			       r.count_reps);
			break;
		default:
			break;
		}
	}
}

static int smoke(void)
{
	static const struct { __u32 nr; __u64 size; } cells[] = {
		{ 4, 64 * KIB }, { 64, 4 * KIB },
	};
	size_t i;

	if (!topo) {
		result("bench-smoke", false, "unknown topology '%s'",
		       topo_name);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		struct cell c = { .nr = cells[i].nr, .size = cells[i].size };
		int ret = cell_export(&c);

		if (ret) {
			result("bench-smoke-export", false, "%u x %llu: %s",
			       c.nr, (unsigned long long)c.size,
			       strerror(-ret));
			cell_release(&c);
			continue;
		}
		smoke_cell(&c, 8);
		cell_release(&c);
	}
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_TOPOLOGY");
	unsigned long budget_ms = 300;
	char domain[32];
	size_t i;
	int ret;

	if (argc < 3 || (strcmp(argv[1], "sweep") && strcmp(argv[1], "smoke"))) {
		fprintf(stderr, "usage: mdbbench sweep|smoke IMPORTER [BUDGET_MS]\n");
		return 2;
	}
	importer = argv[2];
	if (argc > 3)
		budget_ms = strtoul(argv[3], NULL, 0);
	if (env)
		topo_name = env;
	for (i = 0; i < ARRAY_SIZE(topos); i++)
		if (!strcmp(topos[i].name, topo_name))
			topo = &topos[i];

	bar_fd = open(BAR_EXPORTER_DEV_PATH, O_RDWR);
	bench_fd = open(DMABUF_BENCH_DEV_PATH, O_RDWR);
	if (bar_fd < 0 || bench_fd < 0) {
		result("bench-setup", false, "cannot open %s or %s: %s",
		       BAR_EXPORTER_DEV_PATH, DMABUF_BENCH_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	ret = xioctl(bar_fd, BAR_EXPORTER_INFO, &bar);
	if (ret) {
		result("bench-setup", false, "BAR_EXPORTER_INFO: %s",
		       strerror(-ret));
		return 1;
	}
	order_seed = run_seed("bench");
	order_state = order_seed;
	info("bench", "topo=%s importer=%s exporter=%s bar_phys=%#llx bar_size=%llu domain=%s seed=%#llx",
	     topo_name, importer, bar.pci_name,
	     (unsigned long long)bar.bar_phys,
	     (unsigned long long)bar.bar_size,
	     importer_domain_type(domain, sizeof(domain)),
	     (unsigned long long)order_seed);

	if (!strcmp(argv[1], "sweep"))
		return sweep(budget_ms);
	return smoke();
}
