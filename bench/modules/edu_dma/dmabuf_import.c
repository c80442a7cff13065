// SPDX-License-Identifier: GPL-2.0
/*
 * edu_dma: edu as a dma-buf importer. A file attaches edu to one dma-buf
 * at a time (BUF_ATTACH, BUF_DETACH): by default as a dynamic, P2P-capable
 * importer with move_notify, the kind VFIO's exporter accepts. It maps
 * (BUF_MAP, BUF_UNMAP), has edu read and write the mapping (BUF_RW), and
 * reports what happened (BUF_STATUS). move_notify drops the mapping at
 * once or, for late importers, from a worker later; BUF_FENCE adds a
 * fence that signals later, so that an exporter can be seen waiting for
 * both.
 */

#include <linux/atomic.h>
#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "edu_dma_priv.h"

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

/* move_notify drops the mapping, at once or from the late-unmap worker */
static const struct dma_buf_attach_ops edu_dma_buf_p2p_ops = {
	.allow_peer2peer = true,
	.revocable = true,
	.move_notify = edu_dma_buf_move_notify,
};

static const struct dma_buf_attach_ops edu_dma_buf_nop2p_ops = {
	.revocable = true,
	.move_notify = edu_dma_buf_move_notify,
};

/* the same, without saying so: what exporters that revoke must refuse */
static const struct dma_buf_attach_ops edu_dma_buf_unrevocable_ops = {
	.allow_peer2peer = true,
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

void edu_dma_import_init(struct edu_dma_import *imp)
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
void edu_dma_import_teardown(struct edu_dma_ctx *ctx)
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

long edu_dma_ioctl_buf_attach(struct edu_dma_ctx *ctx, void __user *uarg)
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
			  EDU_DMA_BUF_LATE_UNMAP | EDU_DMA_BUF_PIN |
			  EDU_DMA_BUF_NOT_REVOCABLE) ||
	    arg.reserved || arg.late_ms > EDU_DMA_BUF_MAX_MS)
		return -EINVAL;
	if (arg.flags & EDU_DMA_BUF_NO_P2P)
		ops = &edu_dma_buf_nop2p_ops;
	else if (arg.flags & EDU_DMA_BUF_NOT_REVOCABLE)
		ops = &edu_dma_buf_unrevocable_ops;

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

long edu_dma_ioctl_buf_detach(struct edu_dma_ctx *ctx)
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

long edu_dma_ioctl_buf_map(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_buf_unmap(struct edu_dma_ctx *ctx)
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

long edu_dma_ioctl_buf_rw(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_buf_status(struct edu_dma_ctx *ctx, void __user *uarg)
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

long edu_dma_ioctl_buf_fence(struct edu_dma_ctx *ctx, void __user *uarg)
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
