// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma - test importer for the mmio-dmabuf QEMU bench
 *
 * Binds to QEMU's "edu" PCI device (1234:11e8) and exposes /dev/edu_dma,
 * through which root can make edu move data between bus addresses. edu
 * has a 4 KiB internal buffer and moves data between that buffer and a
 * bus address, one transfer at a time. COPY goes through that buffer in
 * chunks, which is how a test checks that a DMA address handed out for
 * another device's BAR really reaches the BAR.
 *
 * The driver handles one edu device. State that belongs to an open file
 * (the mappings made through it, its IOVA range) lives in a struct
 * edu_dma_ctx, linked from the device, so that unbinding the device while
 * files are open can undo everything before the device goes away.
 *
 * With the DMA API of the mmio-dmabuf series (DMA_ATTR_MMIO,
 * dma_map_phys() and the two-step IOVA API) the driver also lets a test
 * map RAM and MMIO with dma_map_phys() and assemble an IOVA range out of
 * pieces; built for a kernel without it, those ioctls fail with
 * -EOPNOTSUPP.
 */

#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "edu_dma.h"

#if !defined(readq) || !defined(writeq)
#error "edu_dma needs 64-bit MMIO accessors: edu's DMA registers are 64-bit"
#endif

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

/* BAR0 registers */
#define EDU_REG_IDENT		0x00
#define EDU_REG_LIVENESS	0x04
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_BAR0_MIN_SIZE	0x100

#define EDU_IDENT_MAGIC		0xed
#define EDU_LIVENESS_PROBE	0x5a17e5edU

#define EDU_DMA_CMD_START	BIT_ULL(0)	/* cleared by edu when done */
#define EDU_DMA_CMD_FROM_EDU	BIT_ULL(1)	/* edu buffer -> bus address */

/* edu's internal buffer, as addressed in the DMA registers */
#define EDU_BUF_ADDR		0x40000

#define EDU_SCRATCH_SIZE	SZ_256K

#define EDU_PAGES_ORDER		get_order(EDU_DMA_PAGES_SIZE)

/* a transfer takes about 100 ms of QEMU virtual time */
#define EDU_POLL_US		2000
#define EDU_TIMEOUT_US		(5 * USEC_PER_SEC)

/**
 * struct edu_dma - one bound edu device
 * @ref: held by the driver binding and by every open file
 * @pdev: the edu PCI device (reference held)
 * @regs: BAR0; only touched under @lock while !@dead
 * @misc: /dev/edu_dma
 * @lock: serializes edu's registers and internal buffer, and protects
 *	@dead, @contexts, the per-file state of the contexts (mappings, page
 *	buffer, IOVA range), @scratch and @untrusted_owner
 * @dead: set when the device is unbound; files stay open but fail
 * @contexts: open files, struct edu_dma_ctx
 * @scratch: coherent RAM buffer for tests, EDU_SCRATCH_SIZE bytes
 * @scratch_dma: bus address of @scratch for edu
 * @ident: edu identification register
 * @info_flags: EDU_DMA_INFO_* bits reported by EDU_DMA_INFO
 * @untrusted_owner: the file that marked edu untrusted, or NULL
 * @was_untrusted: pdev->untrusted before @untrusted_owner changed it
 */
struct edu_dma {
	struct kref ref;
	struct pci_dev *pdev;
	void __iomem *regs;
	struct miscdevice misc;

	struct mutex lock;	/* see the kernel-doc above */
	bool dead;
	struct list_head contexts;
	void *scratch;
	dma_addr_t scratch_dma;
	u32 ident;
	u32 info_flags;
	struct edu_dma_ctx *untrusted_owner;
	bool was_untrusted;
};

#ifdef DMA_ATTR_MMIO
/**
 * struct edu_dma_iova - the IOVA range of one file (two-step DMA API)
 * @state: DMA API state; dma_use_iova() says whether a range is held
 * @size: size the range was allocated with
 * @links: what is linked into it, struct edu_dma_link, sorted by offset
 * @nr_links: number of entries in @links
 */
struct edu_dma_iova {
	struct dma_iova_state state;
	u64 size;
	struct list_head links;
	unsigned int nr_links;
};

/**
 * struct edu_dma_link - one dma_iova_link() into a file's IOVA range
 * @node: entry in iova->links
 * @phys: CPU physical address of the first byte
 * @offset: offset in the IOVA range
 * @size: length in bytes
 * @dir: DMA direction
 * @attrs: DMA_ATTR_* it was linked with
 */
struct edu_dma_link {
	struct list_head node;
	phys_addr_t phys;
	u64 offset;
	u64 size;
	enum dma_data_direction dir;
	unsigned long attrs;
};
#endif

/**
 * struct edu_dma_import - the dma-buf import of one file
 * @dmabuf: the imported buffer (reference held), NULL if none; set and
 *	cleared under edu->lock
 * @attach: edu's attachment to it
 * @sgt: the current mapping, or NULL; under the buffer's reservation lock
 * @dir: the direction @sgt was mapped with; under the reservation lock
 * @late: move_notify leaves the unmap to @late_work
 * @late_ms: delay of @late_work
 * @pinned: dma_buf_pin() succeeded; unpinned at detach
 * @move_notifies: move_notify calls
 * @notify_map_ret: result of the map tried in the last move_notify
 * @late_unmaps: mappings dropped by @late_work
 * @late_work: drops the mapping @late_ms after a move_notify
 * @fence: the last fence of EDU_DMA_BUF_FENCE, or NULL; under edu->lock
 * @fence_lock: lock of @fence
 * @fence_work: signals @fence
 */
struct edu_dma_import {
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	enum dma_data_direction dir;
	bool late;
	unsigned int late_ms;
	bool pinned;
	atomic_t move_notifies;
	atomic_t notify_map_ret;
	atomic_t late_unmaps;
	struct delayed_work late_work;
	struct dma_fence *fence;
	spinlock_t fence_lock;	/* see dma_fence_init() */
	struct delayed_work fence_work;
};

/**
 * struct edu_dma_ctx - state of one open /dev/edu_dma file
 * @edu: the device (reference held)
 * @node: entry in edu->contexts
 * @maps: mappings made through this file, struct edu_dma_map
 * @nr_maps: number of entries in @maps
 * @pages: RAM page buffer of EDU_DMA_PAGES_SIZE bytes, allocated on first
 *	use and freed on release; it stays valid after unbind
 * @iova: IOVA range made through this file
 * @imp: the file's dma-buf import
 */
struct edu_dma_ctx {
	struct edu_dma *edu;
	struct list_head node;
	struct list_head maps;
	unsigned int nr_maps;
	struct page *pages;
#ifdef DMA_ATTR_MMIO
	struct edu_dma_iova iova;
#endif
	struct edu_dma_import imp;
};

/**
 * struct edu_dma_map - one dma_map_resource() or dma_map_phys() mapping
 * @node: entry in ctx->maps
 * @phys: CPU physical address that was mapped
 * @len: length in bytes
 * @dir: DMA direction
 * @attrs: DMA_ATTR_* of a dma_map_phys() mapping
 * @is_phys: made with dma_map_phys(), not dma_map_resource()
 * @dma_addr: resulting bus address
 */
struct edu_dma_map {
	struct list_head node;
	phys_addr_t phys;
	size_t len;
	enum dma_data_direction dir;
	unsigned long attrs;
	bool is_phys;
	dma_addr_t dma_addr;
};

/* only one edu device is driven: /dev/edu_dma has a fixed name */
static DEFINE_MUTEX(edu_dma_bind_lock);
static bool edu_dma_bound;

/* true if [start, start + len) is not empty and does not wrap around */
static bool edu_dma_range_ok(u64 start, u64 len)
{
	return len && start + (len - 1) >= start;
}

static void edu_dma_free(struct kref *ref)
{
	struct edu_dma *edu = container_of(ref, struct edu_dma, ref);

	pci_dev_put(edu->pdev);
	mutex_destroy(&edu->lock);
	kfree(edu);
}

/* --- hardware -------------------------------------------------------- */

static int edu_dma_wait_idle(struct edu_dma *edu)
{
	u64 cmd;

	return readq_poll_timeout(edu->regs + EDU_REG_DMA_CMD, cmd,
				  !(cmd & EDU_DMA_CMD_START),
				  EDU_POLL_US, EDU_TIMEOUT_US);
}

/*
 * Run one edu transfer of 1..EDU_DMA_MAX_XFER bytes and wait for it.
 * edu ignores register writes while a transfer is running, so make sure
 * the previous one is over first (it only can be after a timeout).
 */
static int edu_dma_run(struct edu_dma *edu, u64 src, u64 dst, u32 len,
		       u64 cmd)
{
	int ret;

	lockdep_assert_held(&edu->lock);

	ret = edu_dma_wait_idle(edu);
	if (ret)
		return ret;

	writeq(src, edu->regs + EDU_REG_DMA_SRC);
	writeq(dst, edu->regs + EDU_REG_DMA_DST);
	writeq(len, edu->regs + EDU_REG_DMA_COUNT);
	writeq(cmd | EDU_DMA_CMD_START, edu->regs + EDU_REG_DMA_CMD);

	ret = edu_dma_wait_idle(edu);
	if (ret)
		dev_err_ratelimited(&edu->pdev->dev,
				    "DMA of %u bytes %#llx -> %#llx timed out\n",
				    len, src, dst);
	return ret;
}

static int edu_dma_to_edu(struct edu_dma *edu, u64 addr, u32 len)
{
	return edu_dma_run(edu, addr, EDU_BUF_ADDR, len, 0);
}

static int edu_dma_from_edu(struct edu_dma *edu, u64 addr, u32 len)
{
	return edu_dma_run(edu, EDU_BUF_ADDR, addr, len, EDU_DMA_CMD_FROM_EDU);
}

/* --- per-file state -------------------------------------------------- */

static dma_addr_t edu_dma_map_dma(struct device *dev, struct edu_dma_map *map)
{
#ifdef DMA_ATTR_MMIO
	if (map->is_phys)
		return dma_map_phys(dev, map->phys, map->len, map->dir,
				    map->attrs);
#endif
	/* MMIO is never cached by the CPU: there is nothing to sync */
	return dma_map_resource(dev, map->phys, map->len, map->dir,
				DMA_ATTR_SKIP_CPU_SYNC);
}

static void edu_dma_unmap_dma(struct device *dev, struct edu_dma_map *map)
{
#ifdef DMA_ATTR_MMIO
	if (map->is_phys) {
		dma_unmap_phys(dev, map->dma_addr, map->len, map->dir,
			       map->attrs);
		return;
	}
#endif
	dma_unmap_resource(dev, map->dma_addr, map->len, map->dir,
			   DMA_ATTR_SKIP_CPU_SYNC);
}

static void edu_dma_unmap_one(struct edu_dma_ctx *ctx, struct edu_dma_map *map)
{
	struct edu_dma *edu = ctx->edu;

	lockdep_assert_held(&edu->lock);

	edu_dma_unmap_dma(&edu->pdev->dev, map);
	list_del(&map->node);
	ctx->nr_maps--;
	kfree(map);
}

#ifdef DMA_ATTR_MMIO
static void edu_dma_unlink_one(struct edu_dma_ctx *ctx,
			       struct edu_dma_link *link)
{
	struct edu_dma *edu = ctx->edu;

	lockdep_assert_held(&edu->lock);

	dma_iova_unlink(&edu->pdev->dev, &ctx->iova.state, link->offset,
			link->size, link->dir, link->attrs);
	list_del(&link->node);
	ctx->iova.nr_links--;
	kfree(link);
}

/* unlink everything (one link at a time) and give the IOVA range back */
static void edu_dma_iova_teardown(struct edu_dma_ctx *ctx)
{
	struct edu_dma_link *link, *tmp;

	lockdep_assert_held(&ctx->edu->lock);

	list_for_each_entry_safe(link, tmp, &ctx->iova.links, node)
		edu_dma_unlink_one(ctx, link);
	dma_iova_free(&ctx->edu->pdev->dev, &ctx->iova.state);
	ctx->iova.size = 0;
}
#else
static void edu_dma_iova_teardown(struct edu_dma_ctx *ctx)
{
}
#endif

/*
 * pci_dev->untrusted shares a word with other bit fields. edu's are only
 * written while it is probed or bound, with nothing else running against
 * it, so the test knob can afford a plain read-modify-write.
 */
static void edu_dma_restore_trust(struct edu_dma *edu)
{
	lockdep_assert_held(&edu->lock);

	if (!edu->untrusted_owner)
		return;
	edu->pdev->untrusted = edu->was_untrusted;
	edu->untrusted_owner = NULL;
}

/*
 * Undo everything a file did to the device. Called when the file is
 * released, and for every open file when the device is unbound. New kinds
 * of per-file state (dma-buf imports) get torn down here too. The page
 * buffer stays: it is plain RAM that no mapping refers to any more, and
 * is freed on release.
 */
static void edu_dma_import_teardown(struct edu_dma_ctx *ctx);

static void edu_dma_ctx_teardown(struct edu_dma_ctx *ctx)
{
	struct edu_dma_map *map, *tmp;

	lockdep_assert_held(&ctx->edu->lock);

	edu_dma_import_teardown(ctx);
	edu_dma_iova_teardown(ctx);
	list_for_each_entry_safe(map, tmp, &ctx->maps, node)
		edu_dma_unmap_one(ctx, map);
	if (ctx->edu->untrusted_owner == ctx)
		edu_dma_restore_trust(ctx->edu);
}

static bool edu_dma_same_line(phys_addr_t a, phys_addr_t b)
{
	return a >> L1_CACHE_SHIFT == b >> L1_CACHE_SHIFT;
}

/*
 * DMA-API debug keys device-writable mappings by the cache line they start
 * on: overlaps are errors unless DMA_ATTR_SKIP_CPU_SYNC is passed, and more
 * than a few on one line warn even then. Keep this driver at one such
 * mapping (or IOVA link) per line, so that user input cannot trigger a
 * warning.
 */
static bool edu_dma_line_busy(struct edu_dma *edu, phys_addr_t phys)
{
	struct edu_dma_ctx *ctx;
	struct edu_dma_map *map;
#ifdef DMA_ATTR_MMIO
	struct edu_dma_link *link;
#endif

	lockdep_assert_held(&edu->lock);

	list_for_each_entry(ctx, &edu->contexts, node) {
		list_for_each_entry(map, &ctx->maps, node) {
			if (map->dir != DMA_TO_DEVICE &&
			    edu_dma_same_line(map->phys, phys))
				return true;
		}
#ifdef DMA_ATTR_MMIO
		list_for_each_entry(link, &ctx->iova.links, node) {
			if (link->dir != DMA_TO_DEVICE &&
			    edu_dma_same_line(link->phys, phys))
				return true;
		}
#endif
	}
	return false;
}

/* the file's page buffer, allocated on first use; NULL if out of memory */
static struct page *edu_dma_ctx_pages(struct edu_dma_ctx *ctx)
{
	lockdep_assert_held(&ctx->edu->lock);

	if (!ctx->pages)
		ctx->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_COMP |
					 __GFP_NOWARN, EDU_PAGES_ORDER);
	return ctx->pages;
}

/*
 * The only physical ranges handed to the DMA API on behalf of a user:
 * MMIO, that is an address range that exists and is not RAM, or (for RAM)
 * a part of the file's own page buffer.
 */
static int edu_dma_check_mmio(u64 phys, u64 len)
{
	if (!edu_dma_range_ok(phys, len) ||
	    phys + (len - 1) > iomem_resource.end || len != (size_t)len)
		return -EINVAL;
	if (region_intersects(phys, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return -EINVAL;
	return 0;
}

/* --- ioctls ---------------------------------------------------------- */

static long edu_dma_ioctl_info(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_info info = {};

	mutex_lock(&edu->lock);
	if (edu->dead) {
		mutex_unlock(&edu->lock);
		return -ENODEV;
	}
	info.scratch_size = EDU_SCRATCH_SIZE;
	info.scratch_dma = edu->scratch_dma;
	info.edu_ident = edu->ident;
	info.max_xfer = EDU_DMA_MAX_XFER;
	info.flags = edu->info_flags;
	strscpy(info.pci_name, pci_name(edu->pdev), sizeof(info.pci_name));
	mutex_unlock(&edu->lock);

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/*
 * Copy between user memory and the scratch buffer a page at a time
 * through a bounce page, so that user page faults never happen under
 * edu->lock.
 */
static long edu_dma_ioctl_ram(struct edu_dma_ctx *ctx, void __user *uarg,
			      bool to_scratch)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_ram_io io;
	void __user *ubuf;
	void *bounce;
	long ret = 0;
	u64 done;
	size_t n;

	if (copy_from_user(&io, uarg, sizeof(io)))
		return -EFAULT;
	if (io.offset > EDU_SCRATCH_SIZE ||
	    io.len > EDU_SCRATCH_SIZE - io.offset)
		return -EINVAL;
	if (!io.len)
		return 0;

	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	ubuf = u64_to_user_ptr(io.user_ptr);
	for (done = 0; done < io.len; done += n) {
		n = min_t(u64, io.len - done, PAGE_SIZE);

		if (to_scratch && copy_from_user(bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}

		ret = mutex_lock_interruptible(&edu->lock);
		if (ret)
			break;
		if (edu->dead) {
			mutex_unlock(&edu->lock);
			ret = -ENODEV;
			break;
		}
		if (to_scratch)
			memcpy(edu->scratch + io.offset + done, bounce, n);
		else
			memcpy(bounce, edu->scratch + io.offset + done, n);
		mutex_unlock(&edu->lock);

		if (!to_scratch && copy_to_user(ubuf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
	}

	kfree(bounce);
	return ret;
}

static int edu_dma_dir(u32 dir, enum dma_data_direction *out)
{
	switch (dir) {
	case EDU_DMA_DIR_BIDIRECTIONAL:
		*out = DMA_BIDIRECTIONAL;
		return 0;
	case EDU_DMA_DIR_TO_DEVICE:
		*out = DMA_TO_DEVICE;
		return 0;
	case EDU_DMA_DIR_FROM_DEVICE:
		*out = DMA_FROM_DEVICE;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Map @map (filled in by the caller) for edu and track it in @ctx. Called
 * with the device lock held, so that the caller can report the address
 * before anyone else may unmap it.
 */
static long edu_dma_add_map(struct edu_dma_ctx *ctx, struct edu_dma_map *map)
{
	struct edu_dma *edu = ctx->edu;
	struct device *dev = &edu->pdev->dev;

	lockdep_assert_held(&edu->lock);
	if (ctx->nr_maps >= EDU_DMA_MAX_MAPS)
		return -ENOSPC;
	if (map->dir != DMA_TO_DEVICE && edu_dma_line_busy(edu, map->phys))
		return -EBUSY;

	map->dma_addr = edu_dma_map_dma(dev, map);
	if (dma_mapping_error(dev, map->dma_addr))
		return -EIO;
	list_add_tail(&map->node, &ctx->maps);
	ctx->nr_maps++;
	return 0;
}

static long edu_dma_ioctl_map(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_map_resource arg;
	enum dma_data_direction dir;
	struct edu_dma_map *map;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || edu_dma_dir(arg.dir, &dir))
		return -EINVAL;

	/* MMIO only: a range that exists as an address, and is not RAM */
	if (edu_dma_check_mmio(arg.phys, arg.len))
		return -EINVAL;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->phys = arg.phys;
	map->len = arg.len;
	map->dir = dir;

	mutex_lock(&edu->lock);
	ret = edu->dead ? -ENODEV : edu_dma_add_map(ctx, map);
	if (ret)
		goto err_unlock;

	/*
	 * Report the address while still holding the lock: once it is
	 * dropped, the mapping may be unmapped by another thread or by
	 * unbind, and could not be undone safely here.
	 */
	arg.dma_addr = map->dma_addr;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		edu_dma_unmap_one(ctx, map);
		mutex_unlock(&edu->lock);
		return -EFAULT;
	}
	mutex_unlock(&edu->lock);
	return 0;

err_unlock:
	mutex_unlock(&edu->lock);
	kfree(map);
	return ret;
}

static long edu_dma_ioctl_unmap(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_unmap_resource arg;
	enum dma_data_direction dir;
	struct edu_dma_map *map;
	long ret = -ENOENT;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || edu_dma_dir(arg.dir, &dir))
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	list_for_each_entry(map, &ctx->maps, node) {
		if (!map->is_phys && map->dma_addr == arg.dma_addr &&
		    map->len == arg.len && map->dir == dir) {
			edu_dma_unmap_one(ctx, map);
			ret = 0;
			break;
		}
	}
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_copy(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_copy arg;
	u64 done;
	u32 n;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!edu_dma_range_ok(arg.src, arg.len) ||
	    !edu_dma_range_ok(arg.dst, arg.len))
		return -EINVAL;

	/* the lock is taken per chunk so that unbind need not wait long */
	for (done = 0; done < arg.len; done += n) {
		n = min_t(u64, arg.len - done, EDU_DMA_MAX_XFER);

		if (signal_pending(current))
			return -EINTR;

		ret = mutex_lock_interruptible(&edu->lock);
		if (ret)
			return ret;
		if (edu->dead)
			ret = -ENODEV;
		else
			ret = edu_dma_to_edu(edu, arg.src + done, n);
		if (!ret)
			ret = edu_dma_from_edu(edu, arg.dst + done, n);
		mutex_unlock(&edu->lock);
		if (ret)
			return ret;
	}
	return 0;
}

static long edu_dma_ioctl_xfer(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_xfer arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.reserved ||
	    arg.len > EDU_DMA_MAX_XFER || !edu_dma_range_ok(arg.addr, arg.len))
		return -EINVAL;
	if (arg.dir != EDU_DMA_XFER_TO_EDU && arg.dir != EDU_DMA_XFER_FROM_EDU)
		return -EINVAL;

	ret = mutex_lock_interruptible(&edu->lock);
	if (ret)
		return ret;
	if (edu->dead)
		ret = -ENODEV;
	else if (arg.dir == EDU_DMA_XFER_TO_EDU)
		ret = edu_dma_to_edu(edu, arg.addr, arg.len);
	else
		ret = edu_dma_from_edu(edu, arg.addr, arg.len);
	mutex_unlock(&edu->lock);
	return ret;
}

/* EDU_DMA_PAGES: where the file's page buffer is (allocating it) */
static long edu_dma_ioctl_pages(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_pages arg = {};
	long ret = 0;

	mutex_lock(&edu->lock);
	if (edu->dead)
		ret = -ENODEV;
	else if (!edu_dma_ctx_pages(ctx))
		ret = -ENOMEM;
	else
		arg.phys = page_to_phys(ctx->pages);
	mutex_unlock(&edu->lock);
	if (ret)
		return ret;

	arg.size = EDU_DMA_PAGES_SIZE;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

/*
 * EDU_DMA_PAGES_WRITE and EDU_DMA_PAGES_READ. The buffer belongs to the
 * file and is only freed on release, which cannot run during an ioctl, so
 * it is copied without holding edu->lock: user page faults never happen
 * under it.
 */
static long edu_dma_ioctl_pages_io(struct edu_dma_ctx *ctx, void __user *uarg,
				   bool to_pages)
{
	struct edu_dma *edu = ctx->edu;
	void __user *ubuf;
	struct edu_dma_ram_io io;
	struct page *pages;
	unsigned long left;
	long ret = 0;
	void *buf;

	if (copy_from_user(&io, uarg, sizeof(io)))
		return -EFAULT;
	if (io.offset > EDU_DMA_PAGES_SIZE ||
	    io.len > EDU_DMA_PAGES_SIZE - io.offset)
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
	} else {
		pages = edu_dma_ctx_pages(ctx);
		if (!pages)
			ret = -ENOMEM;
	}
	mutex_unlock(&edu->lock);
	if (ret)
		return ret;

	buf = page_address(pages) + io.offset;
	ubuf = u64_to_user_ptr(io.user_ptr);
	if (to_pages)
		left = copy_from_user(buf, ubuf, io.len);
	else
		left = copy_to_user(ubuf, buf, io.len);
	return left ? -EFAULT : 0;
}

/*
 * EDU_DMA_SET_UNTRUSTED: make the DMA layer treat edu like a device behind
 * an external port (pci_dev->untrusted), for the paths that then refuse to
 * map MMIO. One file at a time may do it; its release restores the flag.
 */
static long edu_dma_ioctl_untrusted(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	long ret = 0;
	u32 val;

	if (get_user(val, (u32 __user *)uarg))
		return -EFAULT;
	if (val != EDU_DMA_TRUSTED && val != EDU_DMA_UNTRUSTED)
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
	} else if (edu->untrusted_owner && edu->untrusted_owner != ctx) {
		ret = -EBUSY;
	} else if (val == EDU_DMA_UNTRUSTED) {
		if (!edu->untrusted_owner) {
			edu->was_untrusted = edu->pdev->untrusted;
			edu->untrusted_owner = ctx;
		}
		edu->pdev->untrusted = 1;
	} else {
		edu_dma_restore_trust(edu);
	}
	mutex_unlock(&edu->lock);
	return ret;
}

#ifdef DMA_ATTR_MMIO
/* the user's EDU_DMA_ATTR_* bits: only these reach the DMA API */
static int edu_dma_attrs(u32 uattrs, unsigned long *attrs)
{
	if (uattrs & ~(EDU_DMA_ATTR_MMIO | EDU_DMA_ATTR_SKIP_CPU_SYNC))
		return -EINVAL;

	*attrs = 0;
	if (uattrs & EDU_DMA_ATTR_MMIO)
		*attrs |= DMA_ATTR_MMIO;
	if (uattrs & EDU_DMA_ATTR_SKIP_CPU_SYNC)
		*attrs |= DMA_ATTR_SKIP_CPU_SYNC;
	return 0;
}

static bool edu_dma_same_mem(unsigned long a, unsigned long b)
{
	return !((a ^ b) & DMA_ATTR_MMIO);
}

static int edu_dma_check_ram(struct edu_dma_ctx *ctx, u64 phys, u64 len)
{
	phys_addr_t start;

	lockdep_assert_held(&ctx->edu->lock);

	if (!ctx->pages || !edu_dma_range_ok(phys, len))
		return -EINVAL;
	start = page_to_phys(ctx->pages);
	if (phys < start || phys - start >= EDU_DMA_PAGES_SIZE ||
	    len > EDU_DMA_PAGES_SIZE - (phys - start))
		return -EINVAL;
	return 0;
}

/*
 * MMIO with DMA_ATTR_MMIO, else RAM of the file's page buffer. MMIO is
 * capped so that the page tables an IOMMU driver allocates for it (with
 * GFP_ATOMIC) stay small.
 */
static int edu_dma_check_phys(struct edu_dma_ctx *ctx, u64 phys, u64 len,
			      unsigned long attrs)
{
	if (attrs & DMA_ATTR_MMIO)
		return len > EDU_DMA_MAX_MMIO_LEN ? -EINVAL :
			edu_dma_check_mmio(phys, len);
	return edu_dma_check_ram(ctx, phys, len);
}

static long edu_dma_ioctl_map_phys(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_map_phys arg;
	enum dma_data_direction dir;
	struct edu_dma_map *map;
	unsigned long attrs;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (edu_dma_dir(arg.dir, &dir) || edu_dma_attrs(arg.attrs, &attrs))
		return -EINVAL;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	ret = edu_dma_check_phys(ctx, arg.phys, arg.len, attrs);
	if (ret)
		goto err_unlock;

	map->phys = arg.phys;
	map->len = arg.len;
	map->dir = dir;
	map->attrs = attrs;
	map->is_phys = true;
	ret = edu_dma_add_map(ctx, map);
	if (ret)
		goto err_unlock;

	/* reported under the lock, as in edu_dma_ioctl_map() */
	arg.dma_addr = map->dma_addr;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		edu_dma_unmap_one(ctx, map);
		ret = -EFAULT;
	}
	mutex_unlock(&edu->lock);
	return ret;

err_unlock:
	mutex_unlock(&edu->lock);
	kfree(map);
	return ret;
}

static long edu_dma_ioctl_unmap_phys(struct edu_dma_ctx *ctx,
				     void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_unmap_phys arg;
	enum dma_data_direction dir;
	struct edu_dma_map *map;
	unsigned long attrs;
	long ret = -ENOENT;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (edu_dma_dir(arg.dir, &dir) || edu_dma_attrs(arg.attrs, &attrs))
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	list_for_each_entry(map, &ctx->maps, node) {
		if (map->is_phys && map->dma_addr == arg.dma_addr &&
		    map->len == arg.len && map->dir == dir &&
		    edu_dma_same_mem(map->attrs, attrs)) {
			/* the caller decides about the CPU sync on unmap */
			map->attrs = attrs;
			edu_dma_unmap_one(ctx, map);
			ret = 0;
			break;
		}
	}
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_iova_alloc(struct edu_dma_ctx *ctx,
				     void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct device *dev = &edu->pdev->dev;
	struct edu_dma_iova *iova = &ctx->iova;
	struct edu_dma_iova_alloc arg;
	long ret = 0;
	bool used;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.size != (size_t)arg.size)
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	if (dma_use_iova(&iova->state)) {
		ret = -EBUSY;
		goto out;
	}

	used = dma_iova_try_alloc(dev, &iova->state, arg.phys, arg.size);
	/* the state must say what the return value says */
	if (used != dma_use_iova(&iova->state)) {
		ret = -EPROTO;
		goto out;
	}
	iova->size = used ? arg.size : 0;
	arg.used = used;
	arg.addr = used ? iova->state.addr : 0;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		dma_iova_free(dev, &iova->state);
		iova->size = 0;
		ret = -EFAULT;
	}
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_iova_link(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova *iova = &ctx->iova;
	struct edu_dma_link *link, *pos;
	struct edu_dma_iova_link arg;
	enum dma_data_direction dir;
	struct list_head *where;
	unsigned long attrs;
	u64 last;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (edu_dma_dir(arg.dir, &dir) || edu_dma_attrs(arg.attrs, &attrs) ||
	    !edu_dma_range_ok(arg.offset, arg.size))
		return -EINVAL;
	last = arg.offset + (arg.size - 1);

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (!dma_use_iova(&iova->state)) {
		ret = -EINVAL;
		goto err_unlock;
	}
	ret = edu_dma_check_phys(ctx, arg.phys, arg.size, attrs);
	if (ret)
		goto err_unlock;

	/* links stay sorted by offset; one over another would be remapped */
	where = &iova->links;
	list_for_each_entry(pos, &iova->links, node) {
		if (pos->offset > last) {
			where = &pos->node;
			break;
		}
		if (pos->offset + (pos->size - 1) >= arg.offset) {
			ret = -EBUSY;
			goto err_unlock;
		}
	}
	if (iova->nr_links >= EDU_DMA_MAX_LINKS) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	if (dir != DMA_TO_DEVICE && edu_dma_line_busy(edu, arg.phys)) {
		ret = -EBUSY;
		goto err_unlock;
	}

	ret = dma_iova_link(&edu->pdev->dev, &iova->state, arg.phys,
			    arg.offset, arg.size, dir, attrs);
	if (ret)
		goto err_unlock;

	link->phys = arg.phys;
	link->offset = arg.offset;
	link->size = arg.size;
	link->dir = dir;
	link->attrs = attrs;
	list_add_tail(&link->node, where);
	iova->nr_links++;
	mutex_unlock(&edu->lock);
	return 0;

err_unlock:
	mutex_unlock(&edu->lock);
	kfree(link);
	return ret;
}

static long edu_dma_ioctl_iova_sync(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova_sync arg;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	mutex_lock(&edu->lock);
	if (edu->dead)
		ret = -ENODEV;
	else
		ret = dma_iova_sync(&edu->pdev->dev, &ctx->iova.state,
				    arg.offset, arg.size);
	mutex_unlock(&edu->lock);
	return ret;
}

/*
 * The first link of [offset, offset + size) if the span is made of whole
 * links, back to back, all linked with @dir and the same kind of memory
 * as @attrs says, else NULL. dma_iova_unlink() warns about other spans and
 * DMA-API debug reports them.
 */
static struct edu_dma_link *edu_dma_iova_span(struct edu_dma_iova *iova,
					      u64 offset, u64 size,
					      enum dma_data_direction dir,
					      unsigned long attrs)
{
	struct edu_dma_link *link, *first = NULL;
	u64 next = offset;

	if (!edu_dma_range_ok(offset, size))
		return NULL;

	list_for_each_entry(link, &iova->links, node) {
		if (link->offset + link->size <= offset)
			continue;
		if (link->offset != next || link->dir != dir ||
		    !edu_dma_same_mem(link->attrs, attrs))
			return NULL;
		if (!first)
			first = link;
		next += link->size;
		if (next - offset >= size)
			return next - offset == size ? first : NULL;
	}
	return NULL;
}

/* forget the links of [first->offset, first->offset + size) */
static void edu_dma_iova_forget(struct edu_dma_iova *iova,
				struct edu_dma_link *first, u64 size)
{
	struct edu_dma_link *link = first, *tmp;
	u64 start = first->offset;

	list_for_each_entry_safe_from(link, tmp, &iova->links, node) {
		if (link->offset - start >= size)
			break;
		list_del(&link->node);
		iova->nr_links--;
		kfree(link);
	}
}

static long edu_dma_ioctl_iova_unlink(struct edu_dma_ctx *ctx,
				      void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova *iova = &ctx->iova;
	struct edu_dma_iova_unlink arg;
	enum dma_data_direction dir;
	struct edu_dma_link *first;
	unsigned long attrs;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (edu_dma_dir(arg.dir, &dir) || edu_dma_attrs(arg.attrs, &attrs))
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	first = edu_dma_iova_span(iova, arg.offset, arg.size, dir, attrs);
	if (!dma_use_iova(&iova->state) || !first) {
		ret = -EINVAL;
		goto out;
	}
	dma_iova_unlink(&edu->pdev->dev, &iova->state, arg.offset, arg.size,
			dir, attrs);
	edu_dma_iova_forget(iova, first, arg.size);
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_iova_destroy(struct edu_dma_ctx *ctx,
				       void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova *iova = &ctx->iova;
	struct edu_dma_iova_destroy arg;
	struct edu_dma_link *first = NULL;
	enum dma_data_direction dir;
	unsigned long attrs;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (edu_dma_dir(arg.dir, &dir) || edu_dma_attrs(arg.attrs, &attrs))
		return -EINVAL;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	if (!dma_use_iova(&iova->state) || arg.mapped_len > iova->size) {
		ret = -EINVAL;
		goto out;
	}
	if (arg.mapped_len) {
		first = edu_dma_iova_span(iova, 0, arg.mapped_len, dir, attrs);
		if (!first) {
			ret = -EINVAL;
			goto out;
		}
	}
	/* what lies beyond the prefix would stay mapped in a freed range */
	if (!list_empty(&iova->links)) {
		struct edu_dma_link *last = list_last_entry(&iova->links,
							    struct edu_dma_link,
							    node);

		if (last->offset + last->size > arg.mapped_len) {
			ret = -EBUSY;
			goto out;
		}
	}

	dma_iova_destroy(&edu->pdev->dev, &iova->state, arg.mapped_len, dir,
			 attrs);
	if (first)
		edu_dma_iova_forget(iova, first, arg.mapped_len);
	iova->size = 0;
out:
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_iova_free(struct edu_dma_ctx *ctx)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova *iova = &ctx->iova;
	long ret = 0;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
	} else if (!dma_use_iova(&iova->state)) {
		ret = -EINVAL;
	} else if (iova->nr_links) {
		ret = -EBUSY;
	} else {
		dma_iova_free(&edu->pdev->dev, &iova->state);
		iova->size = 0;
	}
	mutex_unlock(&edu->lock);
	return ret;
}

static long edu_dma_ioctl_iova_lookup(struct edu_dma_ctx *ctx,
				      void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_iova *iova = &ctx->iova;
	struct edu_dma_iova_lookup arg;
	struct iommu_domain *domain;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto out;
	}
	if (!dma_use_iova(&iova->state) || arg.offset >= iova->size) {
		ret = -EINVAL;
		goto out;
	}
	domain = iommu_get_domain_for_dev(&edu->pdev->dev);
	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING)) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	arg.phys = iommu_iova_to_phys(domain, iova->state.addr + arg.offset);
out:
	mutex_unlock(&edu->lock);
	if (!ret && copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
	return ret;
}
#endif /* DMA_ATTR_MMIO */

/* --- dma-buf import -------------------------------------------------- */

static void edu_dma_buf_late_unmap(struct work_struct *work)
{
	struct edu_dma_import *imp = container_of(to_delayed_work(work),
						  struct edu_dma_import,
						  late_work);

	dma_resv_lock(imp->dmabuf->resv, NULL);
	if (imp->sgt) {
		dma_buf_unmap_attachment(imp->attach, imp->sgt, imp->dir);
		imp->sgt = NULL;
		atomic_inc(&imp->late_unmaps);
	}
	dma_resv_unlock(imp->dmabuf->resv);
}

/* called by the exporter with the reservation lock held */
static void edu_dma_buf_move_notify(struct dma_buf_attachment *attach)
{
	struct edu_dma_import *imp = attach->importer_priv;

	struct sg_table *sgt;

	dma_resv_assert_held(attach->dmabuf->resv);
	atomic_inc(&imp->move_notifies);
	if (imp->sgt && imp->late) {
		schedule_delayed_work(&imp->late_work,
				      msecs_to_jiffies(imp->late_ms));
	} else if (imp->sgt) {
		dma_buf_unmap_attachment(attach, imp->sgt, imp->dir);
		imp->sgt = NULL;
	}

	/* what a map gives now, while the exporter is moving or revoking */
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	atomic_set(&imp->notify_map_ret, PTR_ERR_OR_ZERO(sgt));
	if (!IS_ERR(sgt))
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
}

static const struct dma_buf_attach_ops edu_dma_buf_p2p_ops = {
	.allow_peer2peer = true,
	.move_notify = edu_dma_buf_move_notify,
};

static const struct dma_buf_attach_ops edu_dma_buf_nop2p_ops = {
	.move_notify = edu_dma_buf_move_notify,
};

static const char *edu_dma_fence_name(struct dma_fence *fence)
{
	return KBUILD_MODNAME;
}

static const struct dma_fence_ops edu_dma_fence_ops = {
	.get_driver_name = edu_dma_fence_name,
	.get_timeline_name = edu_dma_fence_name,
};

static void edu_dma_buf_fence_signal(struct work_struct *work)
{
	struct edu_dma_import *imp = container_of(to_delayed_work(work),
						  struct edu_dma_import,
						  fence_work);

	dma_fence_signal(imp->fence);
}

/* signal and drop the file's fence: nobody may wait for it any longer */
static void edu_dma_buf_fence_flush(struct edu_dma_import *imp)
{
	if (!imp->fence)
		return;
	cancel_delayed_work_sync(&imp->fence_work);
	dma_fence_signal(imp->fence);
	dma_fence_put(imp->fence);
	imp->fence = NULL;
}

static void edu_dma_import_init(struct edu_dma_import *imp)
{
	INIT_DELAYED_WORK(&imp->late_work, edu_dma_buf_late_unmap);
	INIT_DELAYED_WORK(&imp->fence_work, edu_dma_buf_fence_signal);
	spin_lock_init(&imp->fence_lock);
}

/*
 * Undo the file's import. Once the mapping is gone under the reservation
 * lock, move_notify no longer schedules the late unmap, so cancelling it
 * afterwards is final.
 */
static void edu_dma_import_teardown(struct edu_dma_ctx *ctx)
{
	struct edu_dma_import *imp = &ctx->imp;

	lockdep_assert_held(&ctx->edu->lock);

	if (!imp->dmabuf)
		return;
	dma_resv_lock(imp->dmabuf->resv, NULL);
	if (imp->sgt)
		dma_buf_unmap_attachment(imp->attach, imp->sgt, imp->dir);
	imp->sgt = NULL;
	if (imp->pinned)
		dma_buf_unpin(imp->attach);
	imp->pinned = false;
	dma_resv_unlock(imp->dmabuf->resv);
	cancel_delayed_work_sync(&imp->late_work);
	edu_dma_buf_fence_flush(imp);

	dma_buf_detach(imp->dmabuf, imp->attach);
	dma_buf_put(imp->dmabuf);
	imp->attach = NULL;
	imp->dmabuf = NULL;
}

/* the file's import, or an error pointer; edu->lock held */
static struct edu_dma_import *edu_dma_import_get(struct edu_dma_ctx *ctx)
{
	lockdep_assert_held(&ctx->edu->lock);

	if (ctx->edu->dead)
		return ERR_PTR(-ENODEV);
	if (!ctx->imp.dmabuf)
		return ERR_PTR(-ENOENT);
	return &ctx->imp;
}

static long edu_dma_ioctl_buf_attach(struct edu_dma_ctx *ctx,
				     void __user *uarg)
{
	const struct dma_buf_attach_ops *ops = &edu_dma_buf_p2p_ops;
	struct edu_dma_import *imp = &ctx->imp;
	struct edu_dma *edu = ctx->edu;
	struct dma_buf_attachment *attach;
	struct edu_dma_buf_attach arg;
	struct dma_buf *dmabuf;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~(EDU_DMA_BUF_NO_P2P | EDU_DMA_BUF_STATIC |
			  EDU_DMA_BUF_LATE_UNMAP | EDU_DMA_BUF_PIN) ||
	    arg.reserved || arg.late_ms > EDU_DMA_BUF_MAX_MS)
		return -EINVAL;
	if (arg.flags & EDU_DMA_BUF_NO_P2P)
		ops = &edu_dma_buf_nop2p_ops;

	dmabuf = dma_buf_get(arg.fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto err_put;
	}
	if (imp->dmabuf) {
		ret = -EBUSY;
		goto err_put;
	}
	if (arg.flags & EDU_DMA_BUF_STATIC)
		attach = dma_buf_attach(dmabuf, &edu->pdev->dev);
	else
		attach = dma_buf_dynamic_attach(dmabuf, &edu->pdev->dev, ops,
						imp);
	if (IS_ERR(attach)) {
		ret = PTR_ERR(attach);
		goto err_put;
	}
	if (arg.flags & EDU_DMA_BUF_PIN) {
		dma_resv_lock(dmabuf->resv, NULL);
		ret = dma_buf_pin(attach);
		dma_resv_unlock(dmabuf->resv);
		if (ret) {
			dma_buf_detach(dmabuf, attach);
			goto err_put;
		}
		imp->pinned = true;
	}
	imp->dmabuf = dmabuf;
	imp->attach = attach;
	imp->late = arg.flags & EDU_DMA_BUF_LATE_UNMAP;
	imp->late_ms = arg.late_ms;
	atomic_set(&imp->move_notifies, 0);
	atomic_set(&imp->late_unmaps, 0);
	mutex_unlock(&edu->lock);

	arg.size = dmabuf->size;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;

err_put:
	mutex_unlock(&edu->lock);
	dma_buf_put(dmabuf);
	return ret;
}

static long edu_dma_ioctl_buf_detach(struct edu_dma_ctx *ctx)
{
	struct edu_dma_import *imp;
	long ret = 0;

	mutex_lock(&ctx->edu->lock);
	imp = edu_dma_import_get(ctx);
	if (IS_ERR(imp))
		ret = PTR_ERR(imp);
	else
		edu_dma_import_teardown(ctx);
	mutex_unlock(&ctx->edu->lock);
	return ret;
}

/* largest number of entries BUF_MAP copies out */
#define EDU_DMA_BUF_MAX_COPY	4096

static long edu_dma_ioctl_buf_map(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma_buf_entry *ents = NULL;
	struct edu_dma_import *imp;
	struct edu_dma_buf_map arg;
	enum dma_data_direction dir;
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i, n;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved || edu_dma_dir(arg.dir, &dir) ||
	    arg.max_entries > EDU_DMA_BUF_MAX_COPY)
		return -EINVAL;
	if (arg.max_entries) {
		ents = kvcalloc(arg.max_entries, sizeof(*ents), GFP_KERNEL);
		if (!ents)
			return -ENOMEM;
	}

	mutex_lock(&ctx->edu->lock);
	imp = edu_dma_import_get(ctx);
	if (IS_ERR(imp)) {
		ret = PTR_ERR(imp);
		goto out_unlock;
	}
	dma_resv_lock(imp->dmabuf->resv, NULL);
	if (imp->sgt) {
		ret = -EBUSY;
		goto out_resv;
	}
	sgt = dma_buf_map_attachment(imp->attach, dir);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto out_resv;
	}
	imp->sgt = sgt;
	imp->dir = dir;
	arg.nents = sgt->nents;
	arg.total_len = 0;
	n = 0;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (n < arg.max_entries) {
			ents[n].dma_addr = sg_dma_address(sg);
			ents[n].len = sg_dma_len(sg);
			n++;
		}
		arg.total_len += sg_dma_len(sg);
	}
	ret = 0;
out_resv:
	dma_resv_unlock(imp->dmabuf->resv);
out_unlock:
	mutex_unlock(&ctx->edu->lock);

	if (!ret && (copy_to_user(u64_to_user_ptr(arg.entries_ptr), ents,
				  array_size(n, sizeof(*ents))) ||
		     copy_to_user(uarg, &arg, sizeof(arg))))
		ret = -EFAULT;
	kvfree(ents);
	return ret;
}

static long edu_dma_ioctl_buf_unmap(struct edu_dma_ctx *ctx)
{
	struct edu_dma_import *imp;
	long ret = 0;

	mutex_lock(&ctx->edu->lock);
	imp = edu_dma_import_get(ctx);
	if (IS_ERR(imp)) {
		ret = PTR_ERR(imp);
		goto out;
	}
	dma_resv_lock(imp->dmabuf->resv, NULL);
	if (imp->sgt)
		dma_buf_unmap_attachment(imp->attach, imp->sgt, imp->dir);
	else
		ret = -ENOENT;
	imp->sgt = NULL;
	dma_resv_unlock(imp->dmabuf->resv);
out:
	mutex_unlock(&ctx->edu->lock);
	return ret;
}

/*
 * Move @len bytes between edu's buffer and the mapping at @offset, entry
 * by entry. edu's buffer then holds them at the same position as the
 * scratch buffer does for the caller.
 */
static int edu_dma_buf_xfer(struct edu_dma *edu, struct sg_table *sgt,
			    u64 offset, u32 len, bool to_edu)
{
	struct scatterlist *sg;
	u32 done = 0, n;
	unsigned int i;
	int ret;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		u64 elen = sg_dma_len(sg);

		if (offset >= elen) {
			offset -= elen;
			continue;
		}
		n = min_t(u64, elen - offset, len - done);
		if (to_edu)
			ret = edu_dma_run(edu, sg_dma_address(sg) + offset,
					  EDU_BUF_ADDR + done, n, 0);
		else
			ret = edu_dma_run(edu, EDU_BUF_ADDR + done,
					  sg_dma_address(sg) + offset, n,
					  EDU_DMA_CMD_FROM_EDU);
		if (ret)
			return ret;
		done += n;
		offset = 0;
		if (done == len)
			return 0;
	}
	return -EINVAL;
}

static long edu_dma_ioctl_buf_rw(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct edu_dma_import *imp;
	struct edu_dma_buf_rw arg;
	void __user *ubuf;
	bool to_edu;
	void *bounce;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.len || arg.len > EDU_DMA_MAX_XFER ||
	    (arg.dir != EDU_DMA_XFER_TO_EDU && arg.dir != EDU_DMA_XFER_FROM_EDU))
		return -EINVAL;
	to_edu = arg.dir == EDU_DMA_XFER_TO_EDU;
	ubuf = u64_to_user_ptr(arg.user_ptr);

	/* user memory is only touched with no lock held */
	bounce = kmalloc(arg.len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (!to_edu && copy_from_user(bounce, ubuf, arg.len)) {
		ret = -EFAULT;
		goto out_free;
	}

	ret = mutex_lock_interruptible(&edu->lock);
	if (ret)
		goto out_free;
	imp = edu_dma_import_get(ctx);
	if (IS_ERR(imp)) {
		ret = PTR_ERR(imp);
		goto out_unlock;
	}
	dma_resv_lock(imp->dmabuf->resv, NULL);
	if (!imp->sgt) {
		ret = -ENOENT;
	} else if (to_edu) {
		ret = edu_dma_buf_xfer(edu, imp->sgt, arg.offset, arg.len,
				       true);
		if (!ret)
			ret = edu_dma_run(edu, EDU_BUF_ADDR, edu->scratch_dma,
					  arg.len, EDU_DMA_CMD_FROM_EDU);
		if (!ret)
			memcpy(bounce, edu->scratch, arg.len);
	} else {
		memcpy(edu->scratch, bounce, arg.len);
		ret = edu_dma_run(edu, edu->scratch_dma, EDU_BUF_ADDR,
				  arg.len, 0);
		if (!ret)
			ret = edu_dma_buf_xfer(edu, imp->sgt, arg.offset,
					       arg.len, false);
	}
	dma_resv_unlock(imp->dmabuf->resv);
out_unlock:
	mutex_unlock(&edu->lock);
	if (!ret && to_edu && copy_to_user(ubuf, bounce, arg.len))
		ret = -EFAULT;
out_free:
	kfree(bounce);
	return ret;
}

static long edu_dma_ioctl_buf_status(struct edu_dma_ctx *ctx,
				     void __user *uarg)
{
	struct edu_dma_buf_status st = {};
	struct edu_dma_import *imp;

	mutex_lock(&ctx->edu->lock);
	imp = edu_dma_import_get(ctx);
	if (!IS_ERR(imp)) {
		st.attached = 1;
		dma_resv_lock(imp->dmabuf->resv, NULL);
		st.mapped = !!imp->sgt;
		dma_resv_unlock(imp->dmabuf->resv);
		st.move_notifies = atomic_read(&imp->move_notifies);
		st.notify_map_ret = atomic_read(&imp->notify_map_ret);
		st.late_unmaps = atomic_read(&imp->late_unmaps);
		st.fence_pending = imp->fence &&
				   !dma_fence_is_signaled(imp->fence);
		st.pinned = imp->pinned;
	}
	mutex_unlock(&ctx->edu->lock);

	if (copy_to_user(uarg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static long edu_dma_ioctl_buf_fence(struct edu_dma_ctx *ctx,
				    void __user *uarg)
{
	struct edu_dma_import *imp;
	struct dma_fence *fence;
	long ret;
	u32 ms;

	if (get_user(ms, (u32 __user *)uarg))
		return -EFAULT;
	if (ms > EDU_DMA_BUF_MAX_MS)
		return -EINVAL;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return -ENOMEM;

	mutex_lock(&ctx->edu->lock);
	imp = edu_dma_import_get(ctx);
	if (IS_ERR(imp)) {
		ret = PTR_ERR(imp);
		goto err_unlock;
	}
	if (imp->fence && !dma_fence_is_signaled(imp->fence)) {
		ret = -EBUSY;
		goto err_unlock;
	}
	edu_dma_buf_fence_flush(imp);
	dma_fence_init(fence, &edu_dma_fence_ops, &imp->fence_lock,
		       dma_fence_context_alloc(1), 1);
	dma_resv_lock(imp->dmabuf->resv, NULL);
	ret = dma_resv_reserve_fences(imp->dmabuf->resv, 1);
	if (!ret)
		dma_resv_add_fence(imp->dmabuf->resv, fence,
				   DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_unlock(imp->dmabuf->resv);
	if (ret) {
		mutex_unlock(&ctx->edu->lock);
		dma_fence_put(fence);
		return ret;
	}
	imp->fence = fence;
	schedule_delayed_work(&imp->fence_work, msecs_to_jiffies(ms));
	mutex_unlock(&ctx->edu->lock);
	return 0;

err_unlock:
	mutex_unlock(&ctx->edu->lock);
	kfree(fence);
	return ret;
}

static long edu_dma_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct edu_dma_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case EDU_DMA_INFO:
		return edu_dma_ioctl_info(ctx, uarg);
	case EDU_DMA_RAM_WRITE:
		return edu_dma_ioctl_ram(ctx, uarg, true);
	case EDU_DMA_RAM_READ:
		return edu_dma_ioctl_ram(ctx, uarg, false);
	case EDU_DMA_MAP_RESOURCE:
		return edu_dma_ioctl_map(ctx, uarg);
	case EDU_DMA_UNMAP_RESOURCE:
		return edu_dma_ioctl_unmap(ctx, uarg);
	case EDU_DMA_COPY:
		return edu_dma_ioctl_copy(ctx, uarg);
	case EDU_DMA_XFER:
		return edu_dma_ioctl_xfer(ctx, uarg);
	case EDU_DMA_PAGES:
		return edu_dma_ioctl_pages(ctx, uarg);
	case EDU_DMA_PAGES_WRITE:
		return edu_dma_ioctl_pages_io(ctx, uarg, true);
	case EDU_DMA_PAGES_READ:
		return edu_dma_ioctl_pages_io(ctx, uarg, false);
	case EDU_DMA_SET_UNTRUSTED:
		return edu_dma_ioctl_untrusted(ctx, uarg);
#ifdef DMA_ATTR_MMIO
	case EDU_DMA_MAP_PHYS:
		return edu_dma_ioctl_map_phys(ctx, uarg);
	case EDU_DMA_UNMAP_PHYS:
		return edu_dma_ioctl_unmap_phys(ctx, uarg);
	case EDU_DMA_IOVA_ALLOC:
		return edu_dma_ioctl_iova_alloc(ctx, uarg);
	case EDU_DMA_IOVA_LINK:
		return edu_dma_ioctl_iova_link(ctx, uarg);
	case EDU_DMA_IOVA_SYNC:
		return edu_dma_ioctl_iova_sync(ctx, uarg);
	case EDU_DMA_IOVA_UNLINK:
		return edu_dma_ioctl_iova_unlink(ctx, uarg);
	case EDU_DMA_IOVA_DESTROY:
		return edu_dma_ioctl_iova_destroy(ctx, uarg);
	case EDU_DMA_IOVA_FREE:
		return edu_dma_ioctl_iova_free(ctx);
	case EDU_DMA_IOVA_LOOKUP:
		return edu_dma_ioctl_iova_lookup(ctx, uarg);
#else
	case EDU_DMA_MAP_PHYS:
	case EDU_DMA_UNMAP_PHYS:
	case EDU_DMA_IOVA_ALLOC:
	case EDU_DMA_IOVA_LINK:
	case EDU_DMA_IOVA_SYNC:
	case EDU_DMA_IOVA_UNLINK:
	case EDU_DMA_IOVA_DESTROY:
	case EDU_DMA_IOVA_FREE:
	case EDU_DMA_IOVA_LOOKUP:
		/* the kernel has no dma_map_phys() and IOVA API */
		return -EOPNOTSUPP;
#endif
	case EDU_DMA_BUF_ATTACH:
		return edu_dma_ioctl_buf_attach(ctx, uarg);
	case EDU_DMA_BUF_DETACH:
		return edu_dma_ioctl_buf_detach(ctx);
	case EDU_DMA_BUF_MAP:
		return edu_dma_ioctl_buf_map(ctx, uarg);
	case EDU_DMA_BUF_UNMAP:
		return edu_dma_ioctl_buf_unmap(ctx);
	case EDU_DMA_BUF_RW:
		return edu_dma_ioctl_buf_rw(ctx, uarg);
	case EDU_DMA_BUF_STATUS:
		return edu_dma_ioctl_buf_status(ctx, uarg);
	case EDU_DMA_BUF_FENCE:
		return edu_dma_ioctl_buf_fence(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

/* --- file operations ------------------------------------------------- */

/*
 * misc_open() calls this under misc_mtx, and misc_deregister() takes
 * misc_mtx, so once unbind has deregistered the device no new file can
 * get here.
 */
static int edu_dma_open(struct inode *inode, struct file *file)
{
	struct edu_dma *edu = container_of(file->private_data, struct edu_dma,
					   misc);
	struct edu_dma_ctx *ctx;

	/* edu can be pointed at any bus address */
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->edu = edu;
	INIT_LIST_HEAD(&ctx->maps);
	edu_dma_import_init(&ctx->imp);
#ifdef DMA_ATTR_MMIO
	INIT_LIST_HEAD(&ctx->iova.links);
#endif

	mutex_lock(&edu->lock);
	if (edu->dead) {
		mutex_unlock(&edu->lock);
		kfree(ctx);
		return -ENODEV;
	}
	kref_get(&edu->ref);
	list_add_tail(&ctx->node, &edu->contexts);
	mutex_unlock(&edu->lock);

	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int edu_dma_release(struct inode *inode, struct file *file)
{
	struct edu_dma_ctx *ctx = file->private_data;
	struct edu_dma *edu = ctx->edu;

	mutex_lock(&edu->lock);
	/* after unbind the context was already torn down and is empty */
	edu_dma_ctx_teardown(ctx);
	list_del(&ctx->node);
	mutex_unlock(&edu->lock);

	/* no mapping refers to the page buffer any more */
	if (ctx->pages)
		__free_pages(ctx->pages, EDU_PAGES_ORDER);
	kfree(ctx);
	kref_put(&edu->ref, edu_dma_free);
	return 0;
}

static const struct file_operations edu_dma_fops = {
	.owner = THIS_MODULE,
	.open = edu_dma_open,
	.release = edu_dma_release,
	.unlocked_ioctl = edu_dma_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* --- PCI driver ------------------------------------------------------ */

static int edu_dma_check_device(struct pci_dev *pdev, void __iomem *regs,
				u32 *ident)
{
	u32 live;

	*ident = readl(regs + EDU_REG_IDENT);
	if ((*ident & 0xff) != EDU_IDENT_MAGIC) {
		pci_err(pdev, "unexpected identification %#010x\n", *ident);
		return -ENODEV;
	}

	writel(EDU_LIVENESS_PROBE, regs + EDU_REG_LIVENESS);
	live = readl(regs + EDU_REG_LIVENESS);
	if (live != (u32)~EDU_LIVENESS_PROBE) {
		pci_err(pdev, "liveness check failed: read %#010x\n", live);
		return -ENODEV;
	}
	return 0;
}

static int edu_dma_probe_locked(struct pci_dev *pdev)
{
	struct iommu_domain *domain;
	struct edu_dma *edu;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) < EDU_BAR0_MIN_SIZE) {
		pci_err(pdev, "BAR0 is not a usable MMIO BAR\n");
		return -ENODEV;
	}

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		pci_err(pdev, "no usable 64-bit DMA mask: %d\n", ret);
		return ret;
	}

	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	kref_init(&edu->ref);
	mutex_init(&edu->lock);
	INIT_LIST_HEAD(&edu->contexts);
	edu->pdev = pci_dev_get(pdev);

	edu->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(edu->regs)) {
		ret = PTR_ERR(edu->regs);
		goto err_put;
	}

	ret = edu_dma_check_device(pdev, edu->regs, &edu->ident);
	if (ret)
		goto err_put;

	domain = iommu_get_domain_for_dev(&pdev->dev);
	if (domain && (domain->type & __IOMMU_DOMAIN_PAGING))
		edu->info_flags |= EDU_DMA_INFO_IOMMU;
#ifdef DMA_ATTR_MMIO
	edu->info_flags |= EDU_DMA_INFO_PHYS_API;
#endif

	pci_set_master(pdev);

	edu->scratch = dma_alloc_coherent(&pdev->dev, EDU_SCRATCH_SIZE,
					  &edu->scratch_dma, GFP_KERNEL);
	if (!edu->scratch) {
		ret = -ENOMEM;
		goto err_master;
	}

	pci_set_drvdata(pdev, edu);

	edu->misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.name = "edu_dma";
	edu->misc.fops = &edu_dma_fops;
	edu->misc.parent = &pdev->dev;
	edu->misc.mode = 0600;
	ret = misc_register(&edu->misc);
	if (ret)
		goto err_free;

	pci_info(pdev, "edu %#010x, scratch %u KiB at %pad%s\n", edu->ident,
		 EDU_SCRATCH_SIZE / SZ_1K, &edu->scratch_dma,
		 edu->info_flags & EDU_DMA_INFO_IOMMU ? " (IOMMU)" : "");
	return 0;

err_free:
	pci_set_drvdata(pdev, NULL);
	dma_free_coherent(&pdev->dev, EDU_SCRATCH_SIZE, edu->scratch,
			  edu->scratch_dma);
err_master:
	pci_clear_master(pdev);
err_put:
	kref_put(&edu->ref, edu_dma_free);
	return ret;
}

static int edu_dma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	mutex_lock(&edu_dma_bind_lock);
	if (edu_dma_bound) {
		pci_info(pdev, "ignored: only one edu device is supported\n");
		ret = -ENODEV;
	} else {
		ret = edu_dma_probe_locked(pdev);
		if (!ret)
			edu_dma_bound = true;
	}
	mutex_unlock(&edu_dma_bind_lock);
	return ret;
}

static void edu_dma_remove(struct pci_dev *pdev)
{
	struct edu_dma *edu = pci_get_drvdata(pdev);
	struct edu_dma_ctx *ctx;

	/* no new opens after this */
	misc_deregister(&edu->misc);

	/* open files stay, but lose their mappings and access to edu */
	mutex_lock(&edu->lock);
	edu->dead = true;
	list_for_each_entry(ctx, &edu->contexts, node)
		edu_dma_ctx_teardown(ctx);
	if (edu_dma_wait_idle(edu))
		pci_err(pdev, "DMA still running at unbind\n");
	mutex_unlock(&edu->lock);

	/* stops a late transfer from reaching memory on the bus */
	pci_clear_master(pdev);
	dma_free_coherent(&pdev->dev, EDU_SCRATCH_SIZE, edu->scratch,
			  edu->scratch_dma);
	edu->scratch = NULL;
	pci_set_drvdata(pdev, NULL);

	mutex_lock(&edu_dma_bind_lock);
	edu_dma_bound = false;
	mutex_unlock(&edu_dma_bind_lock);

	kref_put(&edu->ref, edu_dma_free);
}

static const struct pci_device_id edu_dma_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_dma_ids);

static struct pci_driver edu_dma_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_dma_ids,
	.probe = edu_dma_probe,
	.remove = edu_dma_remove,
};
module_pci_driver(edu_dma_driver);

MODULE_DESCRIPTION("mmio-dmabuf bench: DMA test importer for QEMU's edu device");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
