// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf_bench - mapping benchmark of the mmio-dmabuf QEMU bench
 *
 * In the spirit of kernel/dma/map_benchmark.c: map and unmap the ranges of
 * a dma-buf of MMIO (bar_exporter's ivshmem BAR) for an importer (edu) many
 * times, one way or another, and report the minimum and median time of one
 * map+unmap, the DMA entries handed to the importer, and the IOTLB
 * maintenance the IOMMU driver was asked for. The methods and the user
 * interface are described in dmabuf_bench.h.
 *
 * IOTLB maintenance is counted with kprobes on the intel and amd IOMMU
 * drivers' iotlb_sync_map, iotlb_sync and flush_iotlb_all callbacks. They
 * are registered disarmed when the module is loaded and armed only for an
 * untimed counting pass after the timed iterations, so that no probe runs
 * while a method is timed. A counter whose probes could not all be
 * registered is reported as -1. The memory a map allocates is counted in
 * the same pass, by probes on the kmalloc, kmem_cache_alloc and
 * mm_page_alloc tracepoints, attached for the pass only.
 */

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/dma-buf-mapping.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/page-flags.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "dmabuf_bench.h"

#define BENCH_DIR	DMA_BIDIRECTIONAL
/* the driver whose BAR provider HELPER_DIRECT maps (bar_exporter.c) */
#define BENCH_EXPORTER	"bar_exporter"

/* --- IOTLB counters -------------------------------------------------- */

enum bench_counter {
	BENCH_SYNC_MAP,
	BENCH_IOTLB_SYNC,
	BENCH_FLUSH_ALL,
	BENCH_NR_COUNTERS,
};

/**
 * struct bench_probe - a kprobe on one IOMMU driver callback
 * @kp: the probe
 * @counter: the counter it increments
 * @registered: register_kprobe() succeeded
 */
struct bench_probe {
	struct kprobe kp;
	enum bench_counter counter;
	bool registered;
};

static atomic64_t bench_hits[BENCH_NR_COUNTERS];
/* the task of the counting pass: only its calls count (not a timer's) */
static struct task_struct *bench_count_task;

#define BENCH_PROBE(sym, ctr) { .kp.symbol_name = sym, .counter = ctr }

/* the iommu_domain_ops callbacks of intel and amd in 6.12 */
static struct bench_probe bench_probes[] = {
	BENCH_PROBE("intel_iommu_iotlb_sync_map", BENCH_SYNC_MAP),
	BENCH_PROBE("intel_iommu_tlb_sync", BENCH_IOTLB_SYNC),
	BENCH_PROBE("intel_flush_iotlb_all", BENCH_FLUSH_ALL),
	BENCH_PROBE("amd_iommu_iotlb_sync_map", BENCH_SYNC_MAP),
	BENCH_PROBE("amd_iommu_iotlb_sync", BENCH_IOTLB_SYNC),
	BENCH_PROBE("amd_iommu_flush_iotlb_all", BENCH_FLUSH_ALL),
};

static int bench_probe_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct bench_probe *p = container_of(kp, struct bench_probe, kp);

	/*
	 * A kprobe handler runs from the int3 trap, NMI-like: count what the
	 * pass's task calls, but not a timer softirq that interrupted it
	 * (such as the flush queue's timed flush)
	 */
	if (READ_ONCE(bench_count_task) == current && !in_serving_softirq())
		atomic64_inc(&bench_hits[p->counter]);
	return 0;
}

static void bench_register_probes(void)
{
	struct bench_probe *p;
	int ret;

	for (p = bench_probes; p < bench_probes + ARRAY_SIZE(bench_probes);
	     p++) {
		p->kp.pre_handler = bench_probe_hit;
		p->kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&p->kp);
		p->registered = !ret;
		if (ret)
			pr_warn("cannot probe %s (%d): its counter reads -1\n",
				p->kp.symbol_name, ret);
	}
}

static void bench_unregister_probes(void)
{
	struct bench_probe *p;

	for (p = bench_probes; p < bench_probes + ARRAY_SIZE(bench_probes);
	     p++)
		if (p->registered)
			unregister_kprobe(&p->kp);
}

/* arm (@on) or disarm the registered probes */
static void bench_arm_probes(bool on)
{
	struct bench_probe *p;

	for (p = bench_probes; p < bench_probes + ARRAY_SIZE(bench_probes);
	     p++) {
		if (!p->registered)
			continue;
		if (on)
			enable_kprobe(&p->kp);
		else
			disable_kprobe(&p->kp);
	}
}

/* counter values now, -1 for a counter that misses a probe */
static void bench_read_counters(s64 *val)
{
	struct bench_probe *p;
	int i;

	for (i = 0; i < BENCH_NR_COUNTERS; i++)
		val[i] = atomic64_read(&bench_hits[i]);
	for (p = bench_probes; p < bench_probes + ARRAY_SIZE(bench_probes);
	     p++)
		if (!p->registered)
			val[p->counter] = -1;
}

/* --- memory counters ------------------------------------------------ */

/*
 * While bench_alloc_task is set, what it allocates is added up: slab
 * objects from the kmalloc and kmem_cache_alloc tracepoints, and pages
 * from mm_page_alloc, which are only recorded: a page that turns out to be
 * a slab page once the map returned was already counted by its objects.
 * A large kmalloc() is counted as its pages.
 */
#define BENCH_MAX_PAGES	512

struct bench_page {
	struct page *page;
	unsigned int order;
};

static struct task_struct *bench_alloc_task;
static atomic64_t bench_alloc_bytes;
static struct bench_page bench_pages[BENCH_MAX_PAGES];
static atomic_t bench_nr_pages;

static bool bench_counting_me(void)
{
	return READ_ONCE(bench_alloc_task) == current && in_task();
}

static void bench_kmalloc_probe(void *data, unsigned long call_site,
				const void *ptr, size_t bytes_req,
				size_t bytes_alloc, gfp_t gfp, int node)
{
	if (ptr && bytes_alloc <= KMALLOC_MAX_CACHE_SIZE && bench_counting_me())
		atomic64_add(bytes_alloc, &bench_alloc_bytes);
}

static void bench_cache_alloc_probe(void *data, unsigned long call_site,
				    const void *ptr, struct kmem_cache *s,
				    gfp_t gfp, int node)
{
	if (ptr && bench_counting_me())
		atomic64_add(kmem_cache_size(s), &bench_alloc_bytes);
}

static void bench_page_alloc_probe(void *data, struct page *page,
				   unsigned int order, gfp_t gfp,
				   int migratetype)
{
	int i;

	if (!page || !bench_counting_me())
		return;
	i = atomic_inc_return(&bench_nr_pages) - 1;
	if (i < BENCH_MAX_PAGES)
		bench_pages[i] = (struct bench_page){ page, order };
}

/**
 * struct bench_tp - a tracepoint the memory counters attach to
 * @name: its name
 * @probe: the probe
 * @tp: the tracepoint, looked up by name (not all of them are exported)
 * @attached: the probe is registered
 */
struct bench_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool attached;
};

static struct bench_tp bench_tps[] = {
	{ "kmalloc", bench_kmalloc_probe },
	{ "kmem_cache_alloc", bench_cache_alloc_probe },
	{ "mm_page_alloc", bench_page_alloc_probe },
};

static void bench_find_tp(struct tracepoint *tp, void *priv)
{
	struct bench_tp *t;

	for (t = bench_tps; t < bench_tps + ARRAY_SIZE(bench_tps); t++)
		if (!strcmp(tp->name, t->name))
			t->tp = tp;
}

/* attach the probes for a counting pass; false if one is missing */
static bool bench_attach_tps(void)
{
	struct bench_tp *t;
	bool ok = true;

	for (t = bench_tps; t < bench_tps + ARRAY_SIZE(bench_tps); t++) {
		t->attached = t->tp &&
			      !tracepoint_probe_register(t->tp, t->probe, NULL);
		ok &= t->attached;
	}
	return ok;
}

static void bench_detach_tps(void)
{
	struct bench_tp *t;

	for (t = bench_tps; t < bench_tps + ARRAY_SIZE(bench_tps); t++)
		if (t->attached)
			tracepoint_probe_unregister(t->tp, t->probe, NULL);
	/* no probe runs any more once this returns */
	tracepoint_synchronize_unregister();
}

/* open the counting window of one map */
static void bench_alloc_begin(void)
{
	atomic_set(&bench_nr_pages, 0);
	WRITE_ONCE(bench_alloc_task, current);
}

/*
 * Close it: add the recorded pages that are not slab pages. Returns false
 * if more pages were allocated than could be recorded.
 */
static bool bench_alloc_end(void)
{
	int i, n;

	WRITE_ONCE(bench_alloc_task, NULL);
	n = atomic_read(&bench_nr_pages);
	for (i = 0; i < min(n, BENCH_MAX_PAGES); i++)
		if (!PageSlab(bench_pages[i].page))
			atomic64_add(PAGE_SIZE << bench_pages[i].order,
				     &bench_alloc_bytes);
	return n <= BENCH_MAX_PAGES;
}

/* --- one run --------------------------------------------------------- */

/**
 * struct bench_run - state of one DMABUF_BENCH_RUN
 * @arg: the user's argument; results are stored in it
 * @dev: the importer
 * @dmabuf: the buffer
 * @ranges: its ranges
 * @size: their total length
 * @attach: the importer's attachment (MAP_ATTACHMENT, HELPER_DIRECT)
 * @provider: the P2PDMA provider of the ranges' BAR (HELPER_DIRECT)
 * @vec: the ranges as the helper takes them (HELPER_DIRECT)
 * @state: the IOVA range (LOWERBOUND_*)
 * @domain: the importer's IOMMU domain (LOWERBOUND_LAZY)
 * @gather: the IOTLB invalidations not flushed yet (LOWERBOUND_LAZY)
 * @pending: iterations since the last flush (LOWERBOUND_LAZY)
 * @counting: this is the counting pass: count the memory each map takes
 * @alloc_ok: every map of the counting pass could be counted
 * @total: map+unmap time of each iteration
 * @map: map time of each iteration
 * @unmap: unmap time of each iteration
 * @entries: DMA entries of the last table handed to the importer
 * @dma_addr: DMA address of the buffer's first byte in the last iteration
 */
struct bench_run {
	struct dmabuf_bench_run *arg;
	struct device *dev;
	struct dma_buf *dmabuf;
	struct dmabuf_bench_range *ranges;
	u64 size;
	struct dma_buf_attachment *attach;
	struct p2pdma_provider *provider;
	struct dma_buf_phys_vec *vec;
	struct dma_iova_state state;
	struct iommu_domain *domain;
	struct iommu_iotlb_gather gather;
	u32 pending;
	bool counting;
	bool alloc_ok;
	u64 *total;
	u64 *map;
	u64 *unmap;
	s64 entries;
	dma_addr_t dma_addr;
};

/* one timed map (returns the map time in *t) and unmap of each method */
typedef int (*bench_iter_fn)(struct bench_run *run, u64 *t_map, u64 *t_unmap);

/* the start of a map: its time, and in the counting pass its memory */
static u64 bench_map_begin(struct bench_run *run)
{
	if (run->counting)
		bench_alloc_begin();
	return ktime_get_ns();
}

/* the end of a map: the time it ended */
static u64 bench_map_end(struct bench_run *run)
{
	u64 t = ktime_get_ns();

	if (run->counting && !bench_alloc_end())
		run->alloc_ok = false;
	return t;
}

static void bench_move_notify(struct dma_buf_attachment *attach)
{
	/* the exporter revokes; the benchmark holds no mapping between runs */
}

/* revocable: no mapping outlives the map and unmap of one timed round */
static const struct dma_buf_attach_ops bench_attach_ops = {
	.allow_peer2peer = true,
	.revocable = true,
	.move_notify = bench_move_notify,
};

/*
 * MAP_ATTACHMENT and HELPER_DIRECT: under the reservation lock, the table
 * of the attachment, through the dma-buf core or (HELPER_DIRECT, which
 * sets run->provider) from the helper called directly
 */
static int bench_attachment(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	struct dma_buf *dmabuf = run->dmabuf;
	struct sg_table *sgt;
	u64 t0, t1;

	t0 = bench_map_begin(run);
	dma_resv_lock(dmabuf->resv, NULL);
	if (run->provider)
		sgt = dma_buf_phys_vec_to_sgt(run->attach, run->provider,
					      run->vec, run->arg->nr_ranges,
					      run->size, BENCH_DIR);
	else
		sgt = dma_buf_map_attachment(run->attach, BENCH_DIR);
	if (IS_ERR(sgt)) {
		bench_map_end(run);
		dma_resv_unlock(dmabuf->resv);
		return PTR_ERR(sgt);
	}
	t1 = bench_map_end(run);
	run->entries = sgt->nents;
	run->dma_addr = sg_dma_address(sgt->sgl);
	if (run->provider)
		dma_buf_free_sgt(run->attach, sgt, BENCH_DIR);
	else
		dma_buf_unmap_attachment(run->attach, sgt, BENCH_DIR);
	dma_resv_unlock(dmabuf->resv);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;
}

static void bench_baseline_unmap(struct bench_run *run, struct sg_table *sgt,
				 unsigned int nr)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(sgt->sgl, sg, nr, i)
		dma_unmap_resource(run->dev, sg_dma_address(sg),
				   sg_dma_len(sg), BENCH_DIR,
				   DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
}

static int bench_per_range(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	u32 nr = run->arg->nr_ranges;
	struct scatterlist *sg;
	struct sg_table sgt;
	u64 t0, t1;
	u32 i;
	int ret;

	t0 = bench_map_begin(run);
	ret = sg_alloc_table(&sgt, nr, GFP_KERNEL);
	if (ret) {
		bench_map_end(run);
		return ret;
	}
	for_each_sgtable_sg(&sgt, sg, i) {
		dma_addr_t addr;

		addr = dma_map_resource(run->dev, run->ranges[i].phys,
					run->ranges[i].len, BENCH_DIR,
					DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(run->dev, addr)) {
			bench_map_end(run);
			bench_baseline_unmap(run, &sgt, i);
			return -ENOMEM;
		}
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = run->ranges[i].len;
	}
	t1 = bench_map_end(run);
	run->entries = sgt.nents;
	run->dma_addr = sg_dma_address(sgt.sgl);
	bench_baseline_unmap(run, &sgt, nr);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;
}

/* link every range into run->state and sync: the map of both lower bounds */
static int bench_link_all(struct bench_run *run, size_t *linked)
{
	u32 nr = run->arg->nr_ranges;
	size_t offset = 0;
	u32 i;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = dma_iova_link(run->dev, &run->state, run->ranges[i].phys,
				    offset, run->ranges[i].len, BENCH_DIR,
				    DMA_ATTR_MMIO);
		if (ret)
			goto out;
		offset += run->ranges[i].len;
	}
	ret = dma_iova_sync(run->dev, &run->state, 0, offset);
out:
	*linked = offset;
	return ret;
}

/* flush what the lazy lower bound left in the IOTLB (and its freed tables) */
static void bench_lazy_flush(struct bench_run *run)
{
	iommu_iotlb_sync(run->domain, &run->gather);
	run->pending = 0;
}

/*
 * Tear down what bench_link_all() linked. Strict (no run->domain): one
 * dma_iova_unlink(), which flushes the IOTLB before it returns. Lazy: the
 * teardown of a DMA-FQ domain without the flush queue's IOVA bookkeeping,
 * the entries cleared and the IOTLB flushed for a batch of teardowns at
 * once; the stale IOTLB entries of the span point at the same ranges that
 * the next iteration links there again.
 */
static int bench_unlink_all(struct bench_run *run, size_t linked, int ret)
{
	if (!run->domain) {
		if (linked)
			dma_iova_unlink(run->dev, &run->state, 0, linked,
					BENCH_DIR, DMA_ATTR_MMIO);
		return ret;
	}
	if (linked && iommu_unmap_fast(run->domain, run->state.addr, linked,
				       &run->gather) != linked)
		ret = ret ?: -EIO;
	if (++run->pending == DMABUF_BENCH_LAZY_BATCH || ret)
		bench_lazy_flush(run);
	return ret;
}

/* LOWERBOUND_STRICT and LOWERBOUND_LAZY (which sets run->domain) */
static int bench_lowerbound_iter(struct bench_run *run, u64 *t_map,
				 u64 *t_unmap)
{
	size_t linked;
	u64 t0, t1;
	int ret;

	t0 = bench_map_begin(run);
	ret = bench_link_all(run, &linked);
	t1 = bench_map_end(run);
	if (!ret) {
		run->entries = 0;
		run->dma_addr = run->state.addr;
	}
	ret = bench_unlink_all(run, linked, ret);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return ret;
}

static int bench_table(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	struct scatterlist *sg;
	struct sg_table sgt;
	u64 t0, t1;
	u32 i;
	int ret;

	t0 = bench_map_begin(run);
	ret = sg_alloc_table(&sgt, run->arg->nr_ranges, GFP_KERNEL);
	if (ret) {
		bench_map_end(run);
		return ret;
	}
	for_each_sgtable_sg(&sgt, sg, i) {
		sg_dma_address(sg) = run->ranges[i].phys;
		sg_dma_len(sg) = run->ranges[i].len;
	}
	t1 = bench_map_end(run);
	run->entries = sgt.nents;
	run->dma_addr = sg_dma_address(sgt.sgl);
	sg_free_table(&sgt);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;
}

static int bench_iova_alloc(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	struct dma_iova_state state;
	u64 t0, t1;

	t0 = bench_map_begin(run);
	if (!dma_iova_try_alloc(run->dev, &state, 0, run->size)) {
		bench_map_end(run);
		return -ENOMEM;
	}
	t1 = bench_map_end(run);
	run->entries = 0;
	run->dma_addr = state.addr;
	dma_iova_free(run->dev, &state);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_median(u64 *samples, u32 n)
{
	sort(samples, n, sizeof(*samples), bench_cmp_u64, NULL);
	if (n % 2)
		return samples[n / 2];
	return (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/* @after - @before, or -1 where a counter misses a probe */
static s64 bench_delta(const s64 *before, const s64 *after, int i)
{
	return before[i] < 0 ? -1 : after[i] - before[i];
}

/*
 * The counting pass, untimed: the IOMMU driver calls and the memory of up
 * to DMABUF_BENCH_COUNT_REPS more iterations, with the probes armed.
 */
static int bench_count(struct bench_run *run, bench_iter_fn iter)
{
	struct dmabuf_bench_run *arg = run->arg;
	s64 before[BENCH_NR_COUNTERS], after[BENCH_NR_COUNTERS];
	u32 i, n = min_t(u32, arg->reps, DMABUF_BENCH_COUNT_REPS);
	u64 t_map, t_unmap;
	int ret = 0;

	run->alloc_ok = bench_attach_tps();
	atomic64_set(&bench_alloc_bytes, 0);
	run->counting = true;
	WRITE_ONCE(bench_count_task, current);
	bench_arm_probes(true);
	bench_read_counters(before);
	for (i = 0; i < n && !ret; i++) {
		ret = iter(run, &t_map, &t_unmap);
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		cond_resched();
	}
	bench_read_counters(after);
	bench_arm_probes(false);
	WRITE_ONCE(bench_count_task, NULL);
	run->counting = false;
	bench_detach_tps();
	if (ret)
		return ret;

	arg->count_reps = n;
	arg->sync_map = bench_delta(before, after, BENCH_SYNC_MAP);
	arg->iotlb_sync = bench_delta(before, after, BENCH_IOTLB_SYNC);
	arg->flush_all = bench_delta(before, after, BENCH_FLUSH_ALL);
	arg->alloc_bytes = run->alloc_ok ? atomic64_read(&bench_alloc_bytes) :
					   -1;
	return 0;
}

/* the timed loop (no probe armed), then the counting pass */
static int bench_loop(struct bench_run *run, bench_iter_fn iter)
{
	struct dmabuf_bench_run *arg = run->arg;
	u64 sum = 0;
	u32 i;
	int ret;

	/* one untimed iteration: caches, lazily allocated page tables */
	ret = iter(run, &run->map[0], &run->unmap[0]);
	if (ret)
		return ret;

	for (i = 0; i < arg->reps; i++) {
		ret = iter(run, &run->map[i], &run->unmap[i]);
		if (ret)
			return ret;
		run->total[i] = run->map[i] + run->unmap[i];
		sum += run->total[i];
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}

	arg->total_ns = sum;
	arg->median_ns = bench_median(run->total, arg->reps);
	arg->min_ns = run->total[0];
	arg->map_median_ns = bench_median(run->map, arg->reps);
	arg->unmap_median_ns = bench_median(run->unmap, arg->reps);
	arg->entries = run->entries;
	arg->dma_addr = run->dma_addr;
	return bench_count(run, iter);
}

static int bench_attached(struct bench_run *run, bench_iter_fn iter)
{
	int ret;

	run->attach = dma_buf_dynamic_attach(run->dmabuf, run->dev,
					     &bench_attach_ops, run);
	if (IS_ERR(run->attach))
		return PTR_ERR(run->attach);
	ret = bench_loop(run, iter);
	dma_buf_detach(run->dmabuf, run->attach);
	return ret;
}

/*
 * HELPER_DIRECT, with the exporter's device lock held: the provider of its
 * BAR (it lives as long as bar_exporter stays bound, which the lock
 * ensures for the run), and the ranges as the helper takes them.
 */
static int bench_helper_direct_setup(struct bench_run *run,
				     struct device *edev)
{
	const struct dmabuf_bench_run *arg = run->arg;
	u32 i;

	/* only bar_exporter made its device a P2PDMA provider */
	if (!edev->driver || strcmp(edev->driver->name, BENCH_EXPORTER))
		return -ENODEV;
	run->provider = pcim_p2pdma_provider(to_pci_dev(edev), arg->bar);
	if (!run->provider)
		return -ENODEV;

	run->vec = kvmalloc_array(arg->nr_ranges, sizeof(*run->vec),
				  GFP_KERNEL);
	if (!run->vec)
		return -ENOMEM;
	for (i = 0; i < arg->nr_ranges; i++) {
		run->vec[i].paddr = run->ranges[i].phys;
		run->vec[i].len = run->ranges[i].len;
	}
	return 0;
}

static int bench_helper_direct_run(struct bench_run *run)
{
	struct device *edev;
	int ret;

	if (run->arg->bar >= PCI_STD_NUM_BARS)
		return -EINVAL;
	edev = bus_find_device_by_name(&pci_bus_type, NULL,
				       run->arg->exporter);
	if (!edev)
		return -ENODEV;
	/* the exporter's remove takes the reservation lock under this one */
	device_lock(edev);
	ret = bench_helper_direct_setup(run, edev);
	if (!ret)
		ret = bench_attached(run, bench_attachment);
	device_unlock(edev);
	kvfree(run->vec);
	put_device(edev);
	return ret;
}

static int bench_lowerbound(struct bench_run *run)
{
	int ret;

	if (!dma_iova_try_alloc(run->dev, &run->state, 0, run->size))
		return -EOPNOTSUPP;
	ret = bench_loop(run, bench_lowerbound_iter);
	if (run->domain && run->pending)
		bench_lazy_flush(run);
	dma_iova_free(run->dev, &run->state);
	return ret;
}

static int bench_method(struct bench_run *run)
{
	switch (run->arg->method) {
	case DMABUF_BENCH_MAP_ATTACHMENT:
		return bench_attached(run, bench_attachment);
	case DMABUF_BENCH_HELPER_DIRECT:
		return bench_helper_direct_run(run);
	case DMABUF_BENCH_PER_RANGE:
		return bench_loop(run, bench_per_range);
	case DMABUF_BENCH_TABLE:
		return bench_loop(run, bench_table);
	case DMABUF_BENCH_LOWERBOUND_STRICT:
		return bench_lowerbound(run);
	case DMABUF_BENCH_LOWERBOUND_LAZY:
		/* DMA-API debugging would see links that are never unlinked */
		if (IS_ENABLED(CONFIG_DMA_API_DEBUG))
			return -EOPNOTSUPP;
		run->domain = iommu_get_domain_for_dev(run->dev);
		if (!run->domain)
			return -EOPNOTSUPP;
		iommu_iotlb_gather_init(&run->gather);
		return bench_lowerbound(run);
	case DMABUF_BENCH_IOVA_ALLOC:
		if (!dma_iova_try_alloc(run->dev, &run->state, 0, run->size))
			return -EOPNOTSUPP;
		dma_iova_free(run->dev, &run->state);
		return bench_loop(run, bench_iova_alloc);
	default:
		return -EINVAL;
	}
}

/* copy and check the ranges: page aligned, not empty, summing to @size */
static struct dmabuf_bench_range *bench_get_ranges(const struct dmabuf_bench_run *arg,
						   u64 size)
{
	struct dmabuf_bench_range *ranges;
	u64 total = 0;
	u32 i;

	ranges = vmemdup_array_user(u64_to_user_ptr(arg->ranges_ptr),
				    arg->nr_ranges, sizeof(*ranges));
	if (IS_ERR(ranges))
		return ranges;
	for (i = 0; i < arg->nr_ranges; i++) {
		if (!ranges[i].len || !PAGE_ALIGNED(ranges[i].phys) ||
		    !PAGE_ALIGNED(ranges[i].len) ||
		    check_add_overflow(total, ranges[i].len, &total))
			goto err;
	}
	if (total != size)
		goto err;
	return ranges;
err:
	kvfree(ranges);
	return ERR_PTR(-EINVAL);
}

static DEFINE_MUTEX(bench_lock);

static long bench_ioctl_run(void __user *uarg)
{
	struct dmabuf_bench_run arg;
	struct bench_run run = { .arg = &arg };
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.reserved || !arg.nr_ranges ||
	    arg.nr_ranges > DMABUF_BENCH_MAX_RANGES || !arg.reps ||
	    arg.reps > DMABUF_BENCH_MAX_REPS ||
	    !memchr(arg.importer, 0, sizeof(arg.importer)) ||
	    !memchr(arg.exporter, 0, sizeof(arg.exporter)))
		return -EINVAL;

	run.dev = bus_find_device_by_name(&pci_bus_type, NULL, arg.importer);
	if (!run.dev)
		return -ENODEV;
	if (!run.dev->dma_mask) {
		ret = -ENODEV;
		goto out_dev;
	}
	run.dmabuf = dma_buf_get(arg.fd);
	if (IS_ERR(run.dmabuf)) {
		ret = PTR_ERR(run.dmabuf);
		goto out_dev;
	}
	run.size = run.dmabuf->size;
	run.ranges = bench_get_ranges(&arg, run.size);
	if (IS_ERR(run.ranges)) {
		ret = PTR_ERR(run.ranges);
		goto out_buf;
	}
	run.total = kvmalloc_array(arg.reps, sizeof(u64), GFP_KERNEL);
	run.map = kvmalloc_array(arg.reps, sizeof(u64), GFP_KERNEL);
	run.unmap = kvmalloc_array(arg.reps, sizeof(u64), GFP_KERNEL);
	if (!run.total || !run.map || !run.unmap) {
		ret = -ENOMEM;
		goto out_samples;
	}

	/* the counters are global: one run at a time */
	mutex_lock(&bench_lock);
	ret = bench_method(&run);
	mutex_unlock(&bench_lock);

	if (!ret && copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
out_samples:
	kvfree(run.unmap);
	kvfree(run.map);
	kvfree(run.total);
	kvfree(run.ranges);
out_buf:
	dma_buf_put(run.dmabuf);
out_dev:
	put_device(run.dev);
	return ret;
}

static long bench_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	switch (cmd) {
	case DMABUF_BENCH_RUN:
		return bench_ioctl_run((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static int bench_open(struct inode *inode, struct file *file)
{
	/* the ranges are mapped for the importer as given */
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.unlocked_ioctl = bench_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice bench_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dmabuf_bench",
	.fops = &bench_fops,
	.mode = 0600,
};

static int __init bench_init(void)
{
	int ret;

	for_each_kernel_tracepoint(bench_find_tp, NULL);
	bench_register_probes();
	ret = misc_register(&bench_misc);
	if (ret)
		bench_unregister_probes();
	return ret;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	misc_deregister(&bench_misc);
	bench_unregister_probes();
}
module_exit(bench_exit);

MODULE_DESCRIPTION("mmio-dmabuf bench: dma-buf mapping benchmark");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
