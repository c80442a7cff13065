// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma: the basic DMA ioctls. INFO; RAM_READ and RAM_WRITE of the
 * driver's scratch buffer; MAP_RESOURCE and UNMAP_RESOURCE, which map MMIO
 * (another device's BAR) for edu with dma_map_resource(); COPY and XFER,
 * which have edu move bytes between bus addresses. Also the table of a
 * file's mappings, which MAP_PHYS (dma_api.c) fills too, and the rules
 * every mapping on behalf of a user follows.
 */

#include <linux/dma-mapping.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "edu_dma_priv.h"

/* a user's EDU_DMA_DIR_* as a DMA direction */
int edu_dma_dir(u32 dir, enum dma_data_direction *out)
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

/* --- a file's mappings ----------------------------------------------- */

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

void edu_dma_unmap_one(struct edu_dma_ctx *ctx, struct edu_dma_map *map)
{
	struct edu_dma *edu = ctx->edu;

	lockdep_assert_held(&edu->lock);

	edu_dma_unmap_dma(&edu->pdev->dev, map);
	list_del(&map->node);
	ctx->nr_maps--;
	kfree(map);
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
bool edu_dma_line_busy(struct edu_dma *edu, phys_addr_t phys)
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

/*
 * The only physical ranges handed to the DMA API on behalf of a user:
 * MMIO, that is an address range that exists and is not RAM, or (for RAM)
 * a part of the file's own page buffer.
 */
int edu_dma_check_mmio(u64 phys, u64 len)
{
	if (!edu_dma_range_ok(phys, len) ||
	    phys + (len - 1) > iomem_resource.end || len != (size_t)len)
		return -EINVAL;
	if (region_intersects(phys, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return -EINVAL;
	return 0;
}

/*
 * Map @map (filled in by the caller) for edu and track it in @ctx. Called
 * with the device lock held, so that the caller can report the address
 * before anyone else may unmap it.
 */
long edu_dma_add_map(struct edu_dma_ctx *ctx, struct edu_dma_map *map)
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

/* --- ioctls ---------------------------------------------------------- */

long edu_dma_ioctl_info(struct edu_dma_ctx *ctx, void __user *uarg)
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
long edu_dma_ioctl_ram(struct edu_dma_ctx *ctx, void __user *uarg,
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

long edu_dma_ioctl_map(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_unmap(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_copy(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_xfer(struct edu_dma_ctx *ctx, void __user *uarg)
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
