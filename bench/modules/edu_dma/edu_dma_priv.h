/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu_dma: what the parts of the driver share. core.c drives the edu
 * device and /dev/edu_dma and dispatches the ioctls to basic_dma.c,
 * dma_api.c and dmabuf_import.c.
 */
#ifndef EDU_DMA_PRIV_H
#define EDU_DMA_PRIV_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler_types.h>
#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "edu_dma.h"

struct dma_buf;
struct dma_buf_attachment;
struct dma_fence;
struct page;
struct pci_dev;
struct sg_table;

/* edu_dma_run() @cmd: a bit of the DMA command register (core.c) */
#define EDU_DMA_CMD_FROM_EDU	BIT_ULL(1)	/* edu buffer -> bus address */

/* edu's internal buffer, as addressed in the DMA registers */
#define EDU_BUF_ADDR		0x40000

#define EDU_SCRATCH_SIZE	SZ_256K

#define EDU_PAGES_ORDER		get_order(EDU_DMA_PAGES_SIZE)

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

/* true if [start, start + len) is not empty and does not wrap around */
static inline bool edu_dma_range_ok(u64 start, u64 len)
{
	return len && start + (len - 1) >= start;
}

/* core.c: one edu transfer of 1..EDU_DMA_MAX_XFER bytes, edu->lock held */
int edu_dma_run(struct edu_dma *edu, u64 src, u64 dst, u32 len, u64 cmd);
int edu_dma_to_edu(struct edu_dma *edu, u64 addr, u32 len);
int edu_dma_from_edu(struct edu_dma *edu, u64 addr, u32 len);

/* basic_dma.c: a file's mappings, and the ioctls */
int edu_dma_dir(u32 dir, enum dma_data_direction *out);
int edu_dma_check_mmio(u64 phys, u64 len);
bool edu_dma_line_busy(struct edu_dma *edu, phys_addr_t phys);
long edu_dma_add_map(struct edu_dma_ctx *ctx, struct edu_dma_map *map);
void edu_dma_unmap_one(struct edu_dma_ctx *ctx, struct edu_dma_map *map);
long edu_dma_ioctl_info(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_ram(struct edu_dma_ctx *ctx, void __user *uarg,
		       bool to_scratch);
long edu_dma_ioctl_map(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_unmap(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_copy(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_xfer(struct edu_dma_ctx *ctx, void __user *uarg);

/* dma_api.c: the page buffer, the untrusted knob, dma_map_phys(), IOVAs */
long edu_dma_ioctl_pages(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_pages_io(struct edu_dma_ctx *ctx, void __user *uarg,
			    bool to_pages);
void edu_dma_restore_trust(struct edu_dma *edu);
long edu_dma_ioctl_untrusted(struct edu_dma_ctx *ctx, void __user *uarg);
#ifdef DMA_ATTR_MMIO
void edu_dma_iova_teardown(struct edu_dma_ctx *ctx);
long edu_dma_ioctl_map_phys(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_unmap_phys(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_alloc(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_link(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_sync(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_unlink(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_destroy(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_iova_free(struct edu_dma_ctx *ctx);
long edu_dma_ioctl_iova_lookup(struct edu_dma_ctx *ctx, void __user *uarg);
#else
static inline void edu_dma_iova_teardown(struct edu_dma_ctx *ctx)
{
}
#endif

/* dmabuf_import.c: the dma-buf import of a file */
void edu_dma_import_init(struct edu_dma_import *imp);
void edu_dma_import_teardown(struct edu_dma_ctx *ctx);
long edu_dma_ioctl_buf_attach(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_buf_detach(struct edu_dma_ctx *ctx);
long edu_dma_ioctl_buf_map(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_buf_unmap(struct edu_dma_ctx *ctx);
long edu_dma_ioctl_buf_rw(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_buf_status(struct edu_dma_ctx *ctx, void __user *uarg);
long edu_dma_ioctl_buf_fence(struct edu_dma_ctx *ctx, void __user *uarg);

#endif /* EDU_DMA_PRIV_H */
