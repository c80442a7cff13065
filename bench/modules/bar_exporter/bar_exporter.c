// SPDX-License-Identifier: GPL-2.0
/*
 * bar_exporter - dma-buf test exporter for the mmio-dmabuf QEMU bench
 *
 * Binds to QEMU's ivshmem-plain device, makes it a P2PDMA provider without
 * struct pages (pcim_p2pdma_init(), pcim_p2pdma_provider()) and exports
 * ranges of its BAR2 as dma-bufs mapped with dma_buf_phys_vec_to_sgt()
 * (or, for the benchmark's baseline, range by range with
 * dma_map_resource()).
 * This is what an exporter built on the helper needs and no more: the
 * dma-buf is dynamic (it has pin, so on 6.12 the core never caches a
 * mapping), importers must allow P2P and be revocable (pinned or not,
 * they give their mappings up on move_notify), and the buffers are
 * revoked before the provider goes away with the driver.
 * The user interface is in bar_exporter.h.
 */

#include <linux/dma-buf.h>
#include <linux/dma-buf-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bar_exporter.h"

#define BAR_EXP_VENDOR_ID	0x1af4
#define BAR_EXP_DEVICE_ID	0x1110
#define BAR_EXP_BAR		2

/**
 * struct bar_exp - the bound ivshmem device
 * @pdev: the device, NULL while none is bound
 * @bar: kernel mapping of its BAR
 * @provider: the BAR's P2PDMA provider
 * @misc: /dev/bar_exporter
 * @bufs: exported buffers that are not released yet, struct bar_exp_buf;
 *	revoked ones stay until their last reference goes
 */
struct bar_exp {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct p2pdma_provider *provider;
	struct miscdevice misc;
	struct list_head bufs;
};

/**
 * struct bar_exp_buf - one exported dma-buf
 * @node: entry in bar_exp.bufs
 * @dmabuf: the buffer
 * @provider: the provider of its ranges
 * @vec: the ranges as CPU physical addresses
 * @nr: number of entries in @vec
 * @per_range: map with dma_map_resource() range by range, not the helper
 * @revoked: the provider is gone; under the buffer's reservation lock
 */
struct bar_exp_buf {
	struct list_head node;
	struct dma_buf *dmabuf;
	struct p2pdma_provider *provider;
	struct dma_buf_phys_vec *vec;
	u32 nr;
	bool per_range;
	bool revoked;
};

/* protects bar_exp: binding, the BAR mapping, the buffer list */
static DEFINE_MUTEX(bar_exp_lock);
static struct bar_exp bar_exp = {
	.bufs = LIST_HEAD_INIT(bar_exp.bufs),
};

/* --- dma-buf ops ----------------------------------------------------- */

static int bar_exp_attach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attach)
{
	struct bar_exp_buf *buf = dmabuf->priv;

	/* revoking needs importers that unmap, and the table holds MMIO */
	if (!attach->peer2peer || !dma_buf_attachment_is_revocable(attach))
		return -EOPNOTSUPP;
	if (READ_ONCE(buf->revoked))
		return -ENODEV;
	return 0;
}

/*
 * Only revocable importers attach: a pinned one still unmaps on a revoke,
 * and the BAR never moves. Without DMABUF_MOVE_NOTIFY the core pins
 * around each mapping.
 */
static int bar_exp_pin(struct dma_buf_attachment *attach)
{
	return 0;
}

static void bar_exp_unpin(struct dma_buf_attachment *attach)
{
}

/* unmap the first @nr entries of a per-range table and free it */
static void bar_exp_unmap_per_range(struct device *dev, struct sg_table *sgt,
				    unsigned int nr,
				    enum dma_data_direction dir)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(sgt->sgl, sg, nr, i)
		dma_unmap_resource(dev, sg_dma_address(sg), sg_dma_len(sg), dir,
				   DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
}

/* the baseline: one dma_map_resource() per range, one entry each */
static struct sg_table *bar_exp_map_per_range(struct dma_buf_attachment *attach,
					      struct bar_exp_buf *buf,
					      enum dma_data_direction dir)
{
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i;
	int ret;

	/* as the helper: a device that is not PCI has no path to the BAR */
	if (!dev_is_pci(attach->dev))
		return ERR_PTR(-EINVAL);

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table(sgt, buf->nr, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	for_each_sgtable_sg(sgt, sg, i) {
		dma_addr_t addr;

		addr = dma_map_resource(attach->dev, buf->vec[i].paddr,
					buf->vec[i].len, dir,
					DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(attach->dev, addr)) {
			bar_exp_unmap_per_range(attach->dev, sgt, i, dir);
			return ERR_PTR(-ENOMEM);
		}
		sg_dma_address(sg) = addr;
		sg_dma_len(sg) = buf->vec[i].len;
	}
	return sgt;
}

static struct sg_table *bar_exp_map(struct dma_buf_attachment *attach,
				    enum dma_data_direction dir)
{
	struct bar_exp_buf *buf = attach->dmabuf->priv;

	dma_resv_assert_held(attach->dmabuf->resv);
	if (buf->revoked)
		return ERR_PTR(-ENODEV);
	if (buf->per_range)
		return bar_exp_map_per_range(attach, buf, dir);
	return dma_buf_phys_vec_to_sgt(attach, buf->provider, buf->vec,
				       buf->nr, attach->dmabuf->size, dir);
}

static void bar_exp_unmap(struct dma_buf_attachment *attach,
			  struct sg_table *sgt, enum dma_data_direction dir)
{
	struct bar_exp_buf *buf = attach->dmabuf->priv;

	if (buf->per_range)
		bar_exp_unmap_per_range(attach->dev, sgt, sgt->orig_nents, dir);
	else
		dma_buf_free_sgt(attach, sgt, dir);
}

static void bar_exp_release(struct dma_buf *dmabuf)
{
	struct bar_exp_buf *buf = dmabuf->priv;

	mutex_lock(&bar_exp_lock);
	list_del(&buf->node);
	mutex_unlock(&bar_exp_lock);
	kfree(buf->vec);
	kfree(buf);
}

static const struct dma_buf_ops bar_exp_ops = {
	.attach = bar_exp_attach,
	.pin = bar_exp_pin,
	.unpin = bar_exp_unpin,
	.map_dma_buf = bar_exp_map,
	.unmap_dma_buf = bar_exp_unmap,
	.release = bar_exp_release,
};

/* --- ioctls ---------------------------------------------------------- */

static long bar_exp_ioctl_info(void __user *uarg)
{
	struct bar_exporter_info info = {};
	struct pci_dev *pdev;

	mutex_lock(&bar_exp_lock);
	pdev = bar_exp.pdev;
	if (!pdev) {
		mutex_unlock(&bar_exp_lock);
		return -ENODEV;
	}
	info.bar_phys = pci_resource_start(pdev, BAR_EXP_BAR);
	info.bar_bus = pci_bus_address(pdev, BAR_EXP_BAR);
	info.bar_size = pci_resource_len(pdev, BAR_EXP_BAR);
	info.bus_offset = bar_exp.provider->bus_offset;
	info.bar = BAR_EXP_BAR;
	strscpy(info.pci_name, pci_name(pdev), sizeof(info.pci_name));
	mutex_unlock(&bar_exp_lock);

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/* [offset, offset + len) is a non-empty part of the BAR */
static bool bar_exp_in_bar(u64 offset, u64 len)
{
	u64 size = pci_resource_len(bar_exp.pdev, BAR_EXP_BAR);

	return len && offset < size && len <= size - offset;
}

static long bar_exp_ioctl_bus_addr(void __user *uarg)
{
	struct bar_exporter_bus_addr arg;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;

	mutex_lock(&bar_exp_lock);
	if (!bar_exp.pdev)
		ret = -ENODEV;
	else if (arg.phys < pci_resource_start(bar_exp.pdev, BAR_EXP_BAR) ||
		 !bar_exp_in_bar(arg.phys -
				 pci_resource_start(bar_exp.pdev, BAR_EXP_BAR),
				 1))
		ret = -EINVAL;
	else
		arg.bus = pci_p2pdma_bus_addr_map(bar_exp.provider, arg.phys);
	mutex_unlock(&bar_exp_lock);

	if (!ret && copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
	return ret;
}

static long bar_exp_ioctl_io(void __user *uarg, bool write)
{
	struct bar_exporter_io arg;
	void __user *ubuf;
	void *bounce;
	long ret = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg.len || arg.len > BAR_EXPORTER_MAX_IO)
		return -EINVAL;
	ubuf = u64_to_user_ptr(arg.user_ptr);

	/* user memory is only touched with no lock held */
	bounce = kvmalloc(arg.len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (write && copy_from_user(bounce, ubuf, arg.len)) {
		ret = -EFAULT;
		goto out;
	}

	mutex_lock(&bar_exp_lock);
	if (!bar_exp.pdev)
		ret = -ENODEV;
	else if (!bar_exp_in_bar(arg.offset, arg.len))
		ret = -EINVAL;
	else if (write)
		memcpy_toio(bar_exp.bar + arg.offset, bounce, arg.len);
	else
		memcpy_fromio(bounce, bar_exp.bar + arg.offset, arg.len);
	mutex_unlock(&bar_exp_lock);

	if (!ret && !write && copy_to_user(ubuf, bounce, arg.len))
		ret = -EFAULT;
out:
	kvfree(bounce);
	return ret;
}

static struct bar_exp_buf *bar_exp_new_buf(const struct bar_exporter_export *arg)
{
	struct bar_exporter_range __user *uranges;
	struct bar_exporter_range r;
	struct bar_exp_buf *buf;
	u32 i;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->vec = kcalloc(arg->nr_ranges, sizeof(*buf->vec), GFP_KERNEL);
	if (!buf->vec) {
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}
	buf->nr = arg->nr_ranges;

	/* ranges are checked against the BAR under bar_exp_lock later */
	uranges = u64_to_user_ptr(arg->ranges_ptr);
	for (i = 0; i < arg->nr_ranges; i++) {
		if (copy_from_user(&r, &uranges[i], sizeof(r))) {
			kfree(buf->vec);
			kfree(buf);
			return ERR_PTR(-EFAULT);
		}
		buf->vec[i].paddr = r.offset;
		buf->vec[i].len = r.len;
	}
	return buf;
}

/* check the ranges against the BAR and make them physical addresses */
static int bar_exp_place(struct bar_exp_buf *buf, size_t *size)
{
	phys_addr_t start = pci_resource_start(bar_exp.pdev, BAR_EXP_BAR);
	u32 i;

	lockdep_assert_held(&bar_exp_lock);

	*size = 0;
	for (i = 0; i < buf->nr; i++) {
		u64 off = buf->vec[i].paddr, len = buf->vec[i].len;

		if (!PAGE_ALIGNED(off) || !PAGE_ALIGNED(len) ||
		    !bar_exp_in_bar(off, len))
			return -EINVAL;
		buf->vec[i].paddr = start + off;
		/* at most BAR_EXPORTER_MAX_RANGES ranges inside one BAR */
		*size += len;
	}
	return 0;
}

static long bar_exp_ioctl_export(void __user *uarg)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct bar_exporter_export arg;
	struct bar_exp_buf *buf;
	struct dma_buf *dmabuf;
	size_t size;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if ((arg.flags & ~BAR_EXPORTER_EXPORT_PER_RANGE) || arg.reserved ||
	    !arg.nr_ranges || arg.nr_ranges > BAR_EXPORTER_MAX_RANGES)
		return -EINVAL;

	buf = bar_exp_new_buf(&arg);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&bar_exp_lock);
	if (!bar_exp.pdev) {
		ret = -ENODEV;
		goto err_unlock;
	}
	ret = bar_exp_place(buf, &size);
	if (ret)
		goto err_unlock;
	buf->provider = bar_exp.provider;
	buf->per_range = arg.flags & BAR_EXPORTER_EXPORT_PER_RANGE;

	exp_info.ops = &bar_exp_ops;
	exp_info.size = size;
	exp_info.flags = O_RDWR;
	exp_info.priv = buf;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto err_unlock;
	}
	buf->dmabuf = dmabuf;
	list_add_tail(&buf->node, &bar_exp.bufs);
	mutex_unlock(&bar_exp_lock);

	/* from here on the release op frees the buffer */
	ret = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (ret < 0) {
		dma_buf_put(dmabuf);
		return ret;
	}
	arg.fd = ret;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		return -EFAULT;	/* the fd stays installed, as for open(2) */
	return 0;

err_unlock:
	mutex_unlock(&bar_exp_lock);
	kfree(buf->vec);
	kfree(buf);
	return ret;
}

static void bar_exp_nonpci_move_notify(struct dma_buf_attachment *attach)
{
}

/* revocable: the map is undone before the ioctl returns */
static const struct dma_buf_attach_ops bar_exp_nonpci_ops = {
	.allow_peer2peer = true,
	.revocable = true,
	.move_notify = bar_exp_nonpci_move_notify,
};

static long bar_exp_ioctl_nonpci_map(struct file *file, void __user *uarg)
{
	struct miscdevice *misc = file->private_data;
	struct dma_buf_attachment *attach;
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	s32 fd;
	long ret;

	if (get_user(fd, (s32 __user *)uarg))
		return -EFAULT;
	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);

	attach = dma_buf_dynamic_attach(dmabuf, misc->this_device,
					&bar_exp_nonpci_ops, NULL);
	if (IS_ERR(attach)) {
		ret = PTR_ERR(attach);
		goto out_put;
	}
	dma_resv_lock(dmabuf->resv, NULL);
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	ret = PTR_ERR_OR_ZERO(sgt);
	if (!ret)
		dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
	dma_resv_unlock(dmabuf->resv);
	dma_buf_detach(dmabuf, attach);
out_put:
	dma_buf_put(dmabuf);
	return ret;
}

static long bar_exp_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case BAR_EXPORTER_INFO:
		return bar_exp_ioctl_info(uarg);
	case BAR_EXPORTER_BUS_ADDR:
		return bar_exp_ioctl_bus_addr(uarg);
	case BAR_EXPORTER_READ:
		return bar_exp_ioctl_io(uarg, false);
	case BAR_EXPORTER_WRITE:
		return bar_exp_ioctl_io(uarg, true);
	case BAR_EXPORTER_EXPORT:
		return bar_exp_ioctl_export(uarg);
	case BAR_EXPORTER_NONPCI_MAP:
		return bar_exp_ioctl_nonpci_map(file, uarg);
	default:
		return -ENOTTY;
	}
}

static int bar_exp_open(struct inode *inode, struct file *file)
{
	/* the exported BAR can be pointed at any device's DMA */
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations bar_exp_fops = {
	.owner = THIS_MODULE,
	.open = bar_exp_open,
	.unlocked_ioctl = bar_exp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* --- PCI driver ------------------------------------------------------ */

static int bar_exp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct p2pdma_provider *provider;
	void __iomem *bar;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	bar = pcim_iomap_region(pdev, BAR_EXP_BAR, KBUILD_MODNAME);
	if (IS_ERR(bar))
		return PTR_ERR(bar);
	/* device-managed: the provider lives until the driver is unbound */
	ret = pcim_p2pdma_init(pdev);
	if (ret)
		return ret;
	provider = pcim_p2pdma_provider(pdev, BAR_EXP_BAR);
	if (!provider)
		return -ENODEV;

	mutex_lock(&bar_exp_lock);
	if (bar_exp.pdev) {
		mutex_unlock(&bar_exp_lock);
		pci_info(pdev, "ignored: only one ivshmem device is supported\n");
		return -EBUSY;
	}
	bar_exp.pdev = pdev;
	bar_exp.bar = bar;
	bar_exp.provider = provider;
	mutex_unlock(&bar_exp_lock);

	bar_exp.misc.minor = MISC_DYNAMIC_MINOR;
	bar_exp.misc.name = "bar_exporter";
	bar_exp.misc.fops = &bar_exp_fops;
	bar_exp.misc.parent = &pdev->dev;
	bar_exp.misc.mode = 0600;
	ret = misc_register(&bar_exp.misc);
	if (ret) {
		mutex_lock(&bar_exp_lock);
		bar_exp.pdev = NULL;
		mutex_unlock(&bar_exp_lock);
		return ret;
	}
	pci_info(pdev, "exporting BAR%d %pR, bus offset %#llx\n", BAR_EXP_BAR,
		 &pdev->resource[BAR_EXP_BAR],
		 (unsigned long long)provider->bus_offset);
	return 0;
}

/*
 * The provider and the BAR go with the driver: revoke every buffer first.
 * Importers drop their mappings in move_notify; later maps fail.
 */
static void bar_exp_remove(struct pci_dev *pdev)
{
	struct bar_exp_buf *buf;
	unsigned int n = 0;

	misc_deregister(&bar_exp.misc);

	mutex_lock(&bar_exp_lock);
	list_for_each_entry(buf, &bar_exp.bufs, node) {
		dma_resv_lock(buf->dmabuf->resv, NULL);
		if (!buf->revoked) {
			WRITE_ONCE(buf->revoked, true);
			dma_buf_move_notify(buf->dmabuf);
			n++;
		}
		dma_resv_unlock(buf->dmabuf->resv);
	}
	bar_exp.pdev = NULL;
	bar_exp.bar = NULL;
	bar_exp.provider = NULL;
	mutex_unlock(&bar_exp_lock);
	if (n)
		pci_info(pdev, "revoked %u dma-buf(s)\n", n);
}

static const struct pci_device_id bar_exp_ids[] = {
	{ PCI_DEVICE(BAR_EXP_VENDOR_ID, BAR_EXP_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, bar_exp_ids);

static struct pci_driver bar_exp_driver = {
	.name = KBUILD_MODNAME,
	.id_table = bar_exp_ids,
	.probe = bar_exp_probe,
	.remove = bar_exp_remove,
};
module_pci_driver(bar_exp_driver);

MODULE_DESCRIPTION("mmio-dmabuf bench: dma-buf exporter of ivshmem BAR ranges");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
