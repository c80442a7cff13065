// SPDX-License-Identifier: GPL-2.0
/*
 * rdma_import - dma-buf importer of the mmio-dmabuf QEMU bench that goes
 * through the RDMA core's own import code
 *
 * RDMA drivers import dma-bufs with the umem functions of the RDMA core
 * (drivers/infiniband/core/umem_dmabuf.c): dynamic (mlx5 with on-demand
 * paging), pinned (efa, irdma, bnxt_re, mlx5 without it) and pinned but
 * revocable. Those functions need an ib_device only for its dma_device
 * and for log messages, so this module allocates one, never registered,
 * whose dma_device is QEMU's edu device, and lets userspace create a umem
 * of a dma-buf in each of the three ways. The code under test is the
 * RDMA core's: this module adds only what a driver adds, the move_notify
 * of a dynamic import (unmap, as mlx5's does) and the revoke callback of
 * a revocable one. The user interface is in rdma_import.h.
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <rdma/ib_umem.h>
#include <rdma/ib_verbs.h>

#include "rdma_import.h"

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

/* most entries RDMA_IMPORT_TABLE returns in one call */
#define RDMA_IMPORT_MAX_ENTRIES	4096

/* the ib_device the umem functions are given: never registered */
struct rdma_import_dev {
	struct ib_device ibdev;
};

static struct rdma_import_dev *rdma_import;
static struct pci_dev *rdma_import_edu;

/**
 * struct rdma_import_file - one open file of /dev/rdma_import
 * @lock: serializes the ioctls of the file, and its release
 * @umem: the file's umem, or NULL
 * @mode: how @umem was created, RDMA_IMPORT_*
 * @move_notifies: calls of the dynamic import's move_notify, under the
 *	dma-buf's reservation lock
 * @revokes: calls of the revocable import's revoke callback, under the
 *	dma-buf's reservation lock
 */
struct rdma_import_file {
	struct mutex lock;
	struct ib_umem_dmabuf *umem;
	u32 mode;
	u32 move_notifies;
	u32 revokes;
};

static struct dma_resv *rdma_import_resv(struct ib_umem_dmabuf *umem)
{
	return umem->attach->dmabuf->resv;
}

/*
 * As mlx5's on-demand paging MRs do: drop the mapping at once, map again
 * on the next fault; so the import is revocable
 */
static void rdma_import_move_notify(struct dma_buf_attachment *attach)
{
	struct ib_umem_dmabuf *umem = attach->importer_priv;
	struct rdma_import_file *file = umem->private;

	dma_resv_assert_held(attach->dmabuf->resv);
	/* a revoke during ib_umem_dmabuf_get(): nothing is mapped yet */
	if (!file)
		return;
	file->move_notifies++;
	ib_umem_dmabuf_unmap_pages(umem);
}

static const struct dma_buf_attach_ops rdma_import_dynamic_ops = {
	.allow_peer2peer = true,
	.revocable = true,
	.move_notify = rdma_import_move_notify,
};

/* Called with the reservation lock held, at most once per umem */
static void rdma_import_revoke(void *priv)
{
	struct rdma_import_file *file = priv;

	file->revokes++;
}

static int rdma_import_get(struct rdma_import_file *file, void __user *uarg)
{
	struct ib_device *ibdev = &rdma_import->ibdev;
	struct rdma_import_get get;
	struct ib_umem_dmabuf *umem;
	int ret = 0;

	if (copy_from_user(&get, uarg, sizeof(get)))
		return -EFAULT;
	if (file->umem)
		return -EBUSY;
	if (get.offset > ULONG_MAX || get.length > SIZE_MAX)
		return -EINVAL;
	/* before any callback can count */
	file->move_notifies = 0;
	file->revokes = 0;

	switch (get.mode) {
	case RDMA_IMPORT_DYNAMIC:
		umem = ib_umem_dmabuf_get(ibdev, get.offset, get.length, get.fd,
					  IB_ACCESS_LOCAL_WRITE,
					  &rdma_import_dynamic_ops);
		if (IS_ERR(umem))
			return PTR_ERR(umem);
		dma_resv_lock(rdma_import_resv(umem), NULL);
		umem->private = file;
		ret = ib_umem_dmabuf_map_pages(umem);
		dma_resv_unlock(rdma_import_resv(umem));
		if (ret) {
			ib_umem_release(&umem->umem);
			return ret;
		}
		break;
	case RDMA_IMPORT_PINNED:
		umem = ib_umem_dmabuf_get_pinned(ibdev, get.offset, get.length,
						 get.fd, IB_ACCESS_LOCAL_WRITE);
		if (IS_ERR(umem))
			return PTR_ERR(umem);
		break;
	case RDMA_IMPORT_PINNED_REVOCABLE:
		umem = ib_umem_dmabuf_get_pinned_revocable_and_lock(ibdev,
				get.offset, get.length, get.fd,
				IB_ACCESS_LOCAL_WRITE);
		if (IS_ERR(umem))
			return PTR_ERR(umem);
		ib_umem_dmabuf_set_revoke_locked(umem, rdma_import_revoke, file);
		dma_resv_unlock(rdma_import_resv(umem));
		break;
	default:
		return -EINVAL;
	}
	file->umem = umem;
	file->mode = get.mode;
	return 0;
}

static int rdma_import_table(struct rdma_import_file *file, void __user *uarg)
{
	struct ib_umem_dmabuf *umem = file->umem;
	struct rdma_import_entry *entries;
	struct rdma_import_table table;
	struct scatterlist *sg;
	u32 n = 0;
	int i, ret = 0;

	if (copy_from_user(&table, uarg, sizeof(table)))
		return -EFAULT;
	if (!umem)
		return -ENOENT;
	if (table.max_entries > RDMA_IMPORT_MAX_ENTRIES)
		return -EINVAL;
	entries = kvcalloc(table.max_entries ?: 1, sizeof(*entries),
			   GFP_KERNEL);
	if (!entries)
		return -ENOMEM;

	/* collected under the lock, copied out without it */
	dma_resv_lock(rdma_import_resv(umem), NULL);
	if (!umem->sgt) {
		ret = -ENOENT;
	} else {
		for_each_sgtable_dma_sg(&umem->umem.sgt_append.sgt, sg, i) {
			if (n < table.max_entries) {
				entries[n].dma_addr = sg_dma_address(sg);
				entries[n].len = sg_dma_len(sg);
			}
			n++;
		}
	}
	dma_resv_unlock(rdma_import_resv(umem));
	if (ret)
		goto out;

	table.nents = n;
	table.first_offset = ib_umem_offset(&umem->umem);
	if (copy_to_user(u64_to_user_ptr(table.entries_ptr), entries,
			 array_size(min(n, table.max_entries),
				    sizeof(*entries))) ||
	    copy_to_user(uarg, &table, sizeof(table)))
		ret = -EFAULT;
out:
	kvfree(entries);
	return ret;
}

static int rdma_import_status(struct rdma_import_file *file,
			      void __user *uarg)
{
	struct ib_umem_dmabuf *umem = file->umem;
	struct rdma_import_status st = {};

	if (umem) {
		dma_resv_lock(rdma_import_resv(umem), NULL);
		st.have_umem = 1;
		st.mapped = !!umem->sgt;
		st.revoked = umem->revoked;
		st.pinned = umem->pinned;
		st.move_notifies = file->move_notifies;
		st.revokes = file->revokes;
		dma_resv_unlock(rdma_import_resv(umem));
	} else {
		/* what the last umem saw, its release included */
		st.move_notifies = file->move_notifies;
		st.revokes = file->revokes;
	}
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static int rdma_import_remap(struct rdma_import_file *file)
{
	struct ib_umem_dmabuf *umem = file->umem;
	int ret;

	if (!umem)
		return -ENOENT;
	if (file->mode != RDMA_IMPORT_DYNAMIC)
		return -EINVAL;
	dma_resv_lock(rdma_import_resv(umem), NULL);
	ret = ib_umem_dmabuf_map_pages(umem);
	dma_resv_unlock(rdma_import_resv(umem));
	return ret;
}

static void rdma_import_release_umem(struct rdma_import_file *file)
{
	if (!file->umem)
		return;
	ib_umem_release(&file->umem->umem);
	file->umem = NULL;
}

static long rdma_import_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct rdma_import_file *file = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&file->lock);
	switch (cmd) {
	case RDMA_IMPORT_GET:
		ret = rdma_import_get(file, uarg);
		break;
	case RDMA_IMPORT_TABLE:
		ret = rdma_import_table(file, uarg);
		break;
	case RDMA_IMPORT_STATUS:
		ret = rdma_import_status(file, uarg);
		break;
	case RDMA_IMPORT_REMAP:
		ret = rdma_import_remap(file);
		break;
	case RDMA_IMPORT_RELEASE:
		ret = file->umem ? 0 : -ENOENT;
		rdma_import_release_umem(file);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&file->lock);
	return ret;
}

static int rdma_import_open(struct inode *inode, struct file *filp)
{
	struct rdma_import_file *file;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return -ENOMEM;
	mutex_init(&file->lock);
	filp->private_data = file;
	return 0;
}

static int rdma_import_release(struct inode *inode, struct file *filp)
{
	struct rdma_import_file *file = filp->private_data;

	rdma_import_release_umem(file);
	mutex_destroy(&file->lock);
	kfree(file);
	return 0;
}

static const struct file_operations rdma_import_fops = {
	.owner = THIS_MODULE,
	.open = rdma_import_open,
	.release = rdma_import_release,
	.unlocked_ioctl = rdma_import_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice rdma_import_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "rdma_import",
	.fops = &rdma_import_fops,
	.mode = 0600,
};

static int __init rdma_import_init(void)
{
	int ret;

	rdma_import_edu = pci_get_device(EDU_VENDOR_ID, EDU_DEVICE_ID, NULL);
	if (!rdma_import_edu)
		return -ENODEV;

	rdma_import = ib_alloc_device(rdma_import_dev, ibdev);
	if (!rdma_import) {
		ret = -ENOMEM;
		goto err_put;
	}
	rdma_import->ibdev.dma_device = &rdma_import_edu->dev;

	ret = misc_register(&rdma_import_misc);
	if (ret)
		goto err_dealloc;
	return 0;

err_dealloc:
	ib_dealloc_device(&rdma_import->ibdev);
err_put:
	pci_dev_put(rdma_import_edu);
	return ret;
}

static void __exit rdma_import_exit(void)
{
	misc_deregister(&rdma_import_misc);
	ib_dealloc_device(&rdma_import->ibdev);
	pci_dev_put(rdma_import_edu);
}

module_init(rdma_import_init);
module_exit(rdma_import_exit);

MODULE_DESCRIPTION("mmio-dmabuf bench: dma-buf import through the RDMA core's umem functions");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
