// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma: the DMA-API test interface. With the DMA API of the
 * mmio-dmabuf series (DMA_ATTR_MMIO, dma_map_phys() and the two-step IOVA
 * API) a test maps RAM and MMIO for edu with dma_map_phys() (MAP_PHYS,
 * UNMAP_PHYS) and assembles an IOVA range out of pieces (IOVA_ALLOC, LINK,
 * SYNC, UNLINK, DESTROY, FREE, LOOKUP); built for a kernel without that
 * API, those ioctls fail with -EOPNOTSUPP (core.c). RAM comes from a page
 * buffer of the file (PAGES, PAGES_READ, PAGES_WRITE), and SET_UNTRUSTED
 * makes the DMA layer treat edu as an untrusted device.
 */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "edu_dma_priv.h"

/* --- the page buffer ------------------------------------------------- */

/* the file's page buffer, allocated on first use; NULL if out of memory */
static struct page *edu_dma_ctx_pages(struct edu_dma_ctx *ctx)
{
	lockdep_assert_held(&ctx->edu->lock);

	if (!ctx->pages)
		ctx->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_COMP |
					 __GFP_NOWARN, EDU_PAGES_ORDER);
	return ctx->pages;
}

/* EDU_DMA_PAGES: where the file's page buffer is (allocating it) */
long edu_dma_ioctl_pages(struct edu_dma_ctx *ctx, void __user *uarg)
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
long edu_dma_ioctl_pages_io(struct edu_dma_ctx *ctx, void __user *uarg,
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

/* --- untrusted ------------------------------------------------------- */

/*
 * pci_dev->untrusted shares a word with other bit fields. edu's are only
 * written while it is probed or bound, with nothing else running against
 * it, so the test knob can afford a plain read-modify-write.
 */
void edu_dma_restore_trust(struct edu_dma *edu)
{
	lockdep_assert_held(&edu->lock);

	if (!edu->untrusted_owner)
		return;
	edu->pdev->untrusted = edu->was_untrusted;
	edu->untrusted_owner = NULL;
}

/*
 * EDU_DMA_SET_UNTRUSTED: make the DMA layer treat edu like a device behind
 * an external port (pci_dev->untrusted), for the paths that then refuse to
 * map MMIO. One file at a time may do it; its release restores the flag.
 */
long edu_dma_ioctl_untrusted(struct edu_dma_ctx *ctx, void __user *uarg)
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

/* --- dma_map_phys() and the IOVA API -------------------------------- */

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
void edu_dma_iova_teardown(struct edu_dma_ctx *ctx)
{
	struct edu_dma_link *link, *tmp;

	lockdep_assert_held(&ctx->edu->lock);

	list_for_each_entry_safe(link, tmp, &ctx->iova.links, node)
		edu_dma_unlink_one(ctx, link);
	dma_iova_free(&ctx->edu->pdev->dev, &ctx->iova.state);
	ctx->iova.size = 0;
}

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

long edu_dma_ioctl_map_phys(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_unmap_phys(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_alloc(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_link(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_sync(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_unlink(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_destroy(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_iova_free(struct edu_dma_ctx *ctx)
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

long edu_dma_ioctl_iova_lookup(struct edu_dma_ctx *ctx, void __user *uarg)
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
