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
 * registered is reported as -1.
 */

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmabuf_bench.h"

#define BENCH_DIR	DMA_BIDIRECTIONAL

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

/* --- one run --------------------------------------------------------- */

/**
 * struct bench_run - state of one DMABUF_BENCH_RUN
 * @arg: the user's argument; results are stored in it
 * @dev: the importer
 * @dmabuf: the buffer
 * @ranges: its ranges
 * @size: their total length
 * @attach: the importer's attachment (HELPER)
 * @state: the IOVA range (LOWERBOUND)
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
	struct dma_iova_state state;
	u64 *total;
	u64 *map;
	u64 *unmap;
	s64 entries;
	dma_addr_t dma_addr;
};

/* one timed map (returns the map time in *t) and unmap of each method */
typedef int (*bench_iter_fn)(struct bench_run *run, u64 *t_map, u64 *t_unmap);

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

static int bench_helper(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	struct dma_buf *dmabuf = run->dmabuf;
	struct sg_table *sgt;
	u64 t0, t1;

	t0 = ktime_get_ns();
	dma_resv_lock(dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(run->attach, BENCH_DIR);
	if (IS_ERR(sgt)) {
		dma_resv_unlock(dmabuf->resv);
		return PTR_ERR(sgt);
	}
	t1 = ktime_get_ns();
	run->entries = sgt->nents;
	run->dma_addr = sg_dma_address(sgt->sgl);
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

static int bench_baseline(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	u32 nr = run->arg->nr_ranges;
	struct scatterlist *sg;
	struct sg_table sgt;
	u64 t0, t1;
	u32 i;
	int ret;

	t0 = ktime_get_ns();
	ret = sg_alloc_table(&sgt, nr, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(&sgt, sg, i) {
		dma_addr_t addr;

		addr = dma_map_resource(run->dev, run->ranges[i].phys,
					run->ranges[i].len, BENCH_DIR,
					DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(run->dev, addr)) {
			bench_baseline_unmap(run, &sgt, i);
			return -ENOMEM;
		}
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = run->ranges[i].len;
	}
	t1 = ktime_get_ns();
	run->entries = sgt.nents;
	run->dma_addr = sg_dma_address(sgt.sgl);
	bench_baseline_unmap(run, &sgt, nr);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;
}

static int bench_lowerbound(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	u32 nr = run->arg->nr_ranges;
	size_t offset = 0;
	u64 t0, t1;
	u32 i;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < nr; i++) {
		ret = dma_iova_link(run->dev, &run->state, run->ranges[i].phys,
				    offset, run->ranges[i].len, BENCH_DIR,
				    DMA_ATTR_MMIO);
		if (ret)
			goto err_unlink;
		offset += run->ranges[i].len;
	}
	ret = dma_iova_sync(run->dev, &run->state, 0, offset);
	if (ret)
		goto err_unlink;
	t1 = ktime_get_ns();
	run->entries = 0;
	run->dma_addr = run->state.addr;
	dma_iova_unlink(run->dev, &run->state, 0, offset, BENCH_DIR,
			DMA_ATTR_MMIO);
	*t_unmap = ktime_get_ns() - t1;
	*t_map = t1 - t0;
	return 0;

err_unlink:
	if (offset)
		dma_iova_unlink(run->dev, &run->state, 0, offset, BENCH_DIR,
				DMA_ATTR_MMIO);
	return ret;
}

static int bench_iova_alloc(struct bench_run *run, u64 *t_map, u64 *t_unmap)
{
	struct dma_iova_state state;
	u64 t0, t1;

	t0 = ktime_get_ns();
	if (!dma_iova_try_alloc(run->dev, &state, 0, run->size))
		return -ENOMEM;
	t1 = ktime_get_ns();
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
 * The counting pass, untimed: the IOMMU driver calls of up to
 * DMABUF_BENCH_COUNT_REPS more iterations, with the probes armed.
 */
static int bench_count(struct bench_run *run, bench_iter_fn iter)
{
	struct dmabuf_bench_run *arg = run->arg;
	s64 before[BENCH_NR_COUNTERS], after[BENCH_NR_COUNTERS];
	u32 i, n = min_t(u32, arg->reps, DMABUF_BENCH_COUNT_REPS);
	u64 t_map, t_unmap;
	int ret = 0;

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
	if (ret)
		return ret;

	arg->count_reps = n;
	arg->sync_map = bench_delta(before, after, BENCH_SYNC_MAP);
	arg->iotlb_sync = bench_delta(before, after, BENCH_IOTLB_SYNC);
	arg->flush_all = bench_delta(before, after, BENCH_FLUSH_ALL);
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

static int bench_method(struct bench_run *run)
{
	int ret;

	switch (run->arg->method) {
	case DMABUF_BENCH_HELPER:
		run->attach = dma_buf_dynamic_attach(run->dmabuf, run->dev,
						     &bench_attach_ops, run);
		if (IS_ERR(run->attach))
			return PTR_ERR(run->attach);
		ret = bench_loop(run, bench_helper);
		dma_buf_detach(run->dmabuf, run->attach);
		return ret;
	case DMABUF_BENCH_BASELINE:
		return bench_loop(run, bench_baseline);
	case DMABUF_BENCH_LOWERBOUND:
		if (!dma_iova_try_alloc(run->dev, &run->state, 0, run->size))
			return -EOPNOTSUPP;
		ret = bench_loop(run, bench_lowerbound);
		dma_iova_free(run->dev, &run->state);
		return ret;
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
	if (arg.flags || !arg.nr_ranges ||
	    arg.nr_ranges > DMABUF_BENCH_MAX_RANGES || !arg.reps ||
	    arg.reps > DMABUF_BENCH_MAX_REPS ||
	    !memchr(arg.importer, 0, sizeof(arg.importer)))
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
