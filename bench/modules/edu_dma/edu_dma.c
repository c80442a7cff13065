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
 * (the resource mappings made through it) lives in a struct edu_dma_ctx,
 * linked from the device, so that unbinding the device while files are
 * open can undo everything before the device goes away.
 */

#include <linux/dma-mapping.h>
#include <linux/fs.h>
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
 *	@dead, @contexts, the mapping lists of the contexts and @scratch
 * @dead: set when the device is unbound; files stay open but fail
 * @contexts: open files, struct edu_dma_ctx
 * @scratch: coherent RAM buffer for tests, EDU_SCRATCH_SIZE bytes
 * @scratch_dma: bus address of @scratch for edu
 * @ident: edu identification register
 * @info_flags: EDU_DMA_INFO_* bits reported by EDU_DMA_INFO
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
};

/**
 * struct edu_dma_ctx - state of one open /dev/edu_dma file
 * @edu: the device (reference held)
 * @node: entry in edu->contexts
 * @maps: resource mappings made through this file, struct edu_dma_map
 * @nr_maps: number of entries in @maps
 */
struct edu_dma_ctx {
	struct edu_dma *edu;
	struct list_head node;
	struct list_head maps;
	unsigned int nr_maps;
};

/**
 * struct edu_dma_map - one dma_map_resource() mapping for edu
 * @node: entry in ctx->maps
 * @phys: CPU physical address that was mapped
 * @len: length in bytes
 * @dir: DMA direction
 * @dma_addr: resulting bus address
 */
struct edu_dma_map {
	struct list_head node;
	phys_addr_t phys;
	size_t len;
	enum dma_data_direction dir;
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

static void edu_dma_unmap_one(struct edu_dma_ctx *ctx, struct edu_dma_map *map)
{
	struct edu_dma *edu = ctx->edu;

	lockdep_assert_held(&edu->lock);

	dma_unmap_resource(&edu->pdev->dev, map->dma_addr, map->len, map->dir,
			   DMA_ATTR_SKIP_CPU_SYNC);
	list_del(&map->node);
	ctx->nr_maps--;
	kfree(map);
}

/*
 * Undo everything a file did to the device. Called when the file is
 * released, and for every open file when the device is unbound. New kinds
 * of per-file state (dma-buf imports) get torn down here too.
 */
static void edu_dma_ctx_teardown(struct edu_dma_ctx *ctx)
{
	struct edu_dma_map *map, *tmp;

	lockdep_assert_held(&ctx->edu->lock);

	list_for_each_entry_safe(map, tmp, &ctx->maps, node)
		edu_dma_unmap_one(ctx, map);
}

/*
 * DMA-API debug keys device-writable mappings by the cache line they start
 * on: overlaps are errors unless DMA_ATTR_SKIP_CPU_SYNC is passed, and more
 * than a few on one line warn even then. Keep this driver at one such
 * mapping per line, so that user input cannot trigger a warning.
 */
static bool edu_dma_line_busy(struct edu_dma *edu, phys_addr_t phys)
{
	struct edu_dma_ctx *ctx;
	struct edu_dma_map *map;

	lockdep_assert_held(&edu->lock);

	list_for_each_entry(ctx, &edu->contexts, node) {
		list_for_each_entry(map, &ctx->maps, node) {
			if (map->dir != DMA_TO_DEVICE &&
			    map->phys >> L1_CACHE_SHIFT == phys >> L1_CACHE_SHIFT)
				return true;
		}
	}
	return false;
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

static long edu_dma_ioctl_map(struct edu_dma_ctx *ctx, void __user *uarg)
{
	struct edu_dma *edu = ctx->edu;
	struct device *dev = &edu->pdev->dev;
	struct edu_dma_map_resource arg;
	enum dma_data_direction dir;
	struct edu_dma_map *map;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || edu_dma_dir(arg.dir, &dir))
		return -EINVAL;

	/* MMIO only: a range that exists as an address, and is not RAM */
	if (!edu_dma_range_ok(arg.phys, arg.len) ||
	    arg.phys + (arg.len - 1) > iomem_resource.end ||
	    arg.len != (size_t)arg.len)
		return -EINVAL;
	if (region_intersects(arg.phys, arg.len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return -EINVAL;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->phys = arg.phys;
	map->len = arg.len;
	map->dir = dir;

	mutex_lock(&edu->lock);
	if (edu->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (ctx->nr_maps >= EDU_DMA_MAX_MAPS) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	if (dir != DMA_TO_DEVICE && edu_dma_line_busy(edu, map->phys)) {
		ret = -EBUSY;
		goto err_unlock;
	}

	/* MMIO is never cached by the CPU: there is nothing to sync */
	map->dma_addr = dma_map_resource(dev, map->phys, map->len, dir,
					 DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(dev, map->dma_addr)) {
		ret = -EIO;
		goto err_unlock;
	}
	list_add_tail(&map->node, &ctx->maps);
	ctx->nr_maps++;

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
		if (map->dma_addr == arg.dma_addr && map->len == arg.len &&
		    map->dir == dir) {
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
