// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma - test importer for the mmio-dmabuf QEMU bench: the device core
 *
 * Binds to QEMU's "edu" PCI device (1234:11e8) and exposes /dev/edu_dma,
 * through which root can make edu move data between bus addresses. edu
 * has a 4 KiB internal buffer and moves data between that buffer and a
 * bus address, one transfer at a time. COPY goes through that buffer in
 * chunks, which is how a test checks that a DMA address handed out for
 * another device's BAR really reaches the BAR.
 *
 * The driver handles one edu device. State that belongs to an open file
 * (the mappings made through it, its IOVA range, its dma-buf import)
 * lives in a struct edu_dma_ctx, linked from the device, so that
 * unbinding the device while files are open can undo everything before
 * the device goes away.
 *
 * This file drives the device (its registers, one transfer at a time),
 * binds to it, and owns /dev/edu_dma: open, release, the undoing of a
 * file's state, and the ioctl dispatch to the three test interfaces:
 *
 *   basic_dma.c      the scratch buffer, dma_map_resource(), COPY, XFER
 *   dma_api.c        the page buffer, dma_map_phys() and the two-step
 *                    IOVA API (DMA_ATTR_MMIO), the untrusted knob
 *   dmabuf_import.c  edu as a dma-buf importer
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
#include <linux/sizes.h>
#include <linux/slab.h>

#include "edu_dma_priv.h"

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

/* a transfer takes about 100 ms of QEMU virtual time */
#define EDU_POLL_US		2000
#define EDU_TIMEOUT_US		(5 * USEC_PER_SEC)

/* only one edu device is driven: /dev/edu_dma has a fixed name */
static DEFINE_MUTEX(edu_dma_bind_lock);
static bool edu_dma_bound;

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
int edu_dma_run(struct edu_dma *edu, u64 src, u64 dst, u32 len, u64 cmd)
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

int edu_dma_to_edu(struct edu_dma *edu, u64 addr, u32 len)
{
	return edu_dma_run(edu, addr, EDU_BUF_ADDR, len, 0);
}

int edu_dma_from_edu(struct edu_dma *edu, u64 addr, u32 len)
{
	return edu_dma_run(edu, EDU_BUF_ADDR, addr, len, EDU_DMA_CMD_FROM_EDU);
}

/* --- per-file state -------------------------------------------------- */

/*
 * Undo everything a file did to the device. Called when the file is
 * released, and for every open file when the device is unbound. New kinds
 * of per-file state (dma-buf imports) get torn down here too. The page
 * buffer stays: it is plain RAM that no mapping refers to any more, and
 * is freed on release.
 */
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

/* --- ioctl dispatch ------------------------------------------------- */

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
