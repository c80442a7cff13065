/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rdma_import: imports a dma-buf the way an RDMA driver does, through the
 * RDMA core's own umem functions (drivers/infiniband/core/umem_dmabuf.c),
 * with the bench's edu device as the DMA device. User interface of
 * /dev/rdma_import.
 *
 * The module allocates one struct ib_device, never registered, whose
 * dma_device is edu's PCI device: that is all the umem functions use it
 * for. Each open file holds at most one umem. Userspace moves data with
 * edu (EDU_DMA_COPY of /dev/edu_dma) at the DMA addresses RDMA_IMPORT_TABLE
 * returns, which are those of the umem's table after the RDMA core trimmed
 * it to the requested offset and length.
 *
 * Opening the device needs CAP_SYS_RAWIO. Errors: EBUSY (the file already
 * holds a umem), ENOENT (no umem; for TABLE: nothing mapped), EINVAL (bad
 * argument), and what the RDMA core or the exporter returned, as it is.
 */
#ifndef _UAPI_RDMA_IMPORT_H
#define _UAPI_RDMA_IMPORT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RDMA_IMPORT_DEV_PATH	"/dev/rdma_import"

/* struct rdma_import_get.mode: which RDMA core import function */
#define RDMA_IMPORT_DYNAMIC		0	/* ib_umem_dmabuf_get() + map_pages */
#define RDMA_IMPORT_PINNED		1	/* ib_umem_dmabuf_get_pinned() */
#define RDMA_IMPORT_PINNED_REVOCABLE	2	/* ..._get_pinned_revocable_and_lock() */

/**
 * struct rdma_import_get - RDMA_IMPORT_GET argument
 * @fd: the dma-buf file descriptor
 * @mode: RDMA_IMPORT_*
 * @offset: byte offset of the umem in the dma-buf
 * @length: byte length of the umem
 *
 * Creates the file's umem. A dynamic import is mapped at once
 * (ib_umem_dmabuf_map_pages() under the reservation lock, as mlx5 does
 * for a dma-buf MR); its move_notify unmaps, as mlx5's does. A pinned
 * revocable import gets a revoke callback that counts its calls.
 */
struct rdma_import_get {
	__s32 fd;
	__u32 mode;
	__u64 offset;
	__u64 length;
};

/**
 * struct rdma_import_entry - one DMA entry of the umem's table
 * @dma_addr: address edu uses
 * @len: length in bytes
 */
struct rdma_import_entry {
	__u64 dma_addr;
	__u64 len;
};

/**
 * struct rdma_import_table - RDMA_IMPORT_TABLE argument
 * @max_entries: room in @entries_ptr
 * @nents: output, number of DMA entries of the umem's table
 * @entries_ptr: user array of struct rdma_import_entry, filled with the
 *	first @max_entries entries
 * @first_offset: output, where the umem starts in its first entry
 *	(ib_umem_offset(): the offset within its first page)
 *
 * The table as an RDMA driver would program it: umem->sgt_append.sgt.
 * ENOENT if the umem is not mapped (revoked, or unmapped by move_notify).
 */
struct rdma_import_table {
	__u32 max_entries;
	__u32 nents;
	__u64 entries_ptr;
	__u64 first_offset;
};

/**
 * struct rdma_import_status - RDMA_IMPORT_STATUS result
 * @have_umem: 1 if the file holds a umem
 * @mapped: 1 if the umem has a DMA mapping
 * @revoked: 1 if the RDMA core marked the umem revoked
 * @pinned: 1 if the umem holds a pin on the dma-buf
 * @move_notifies: calls of the dynamic import's move_notify
 * @revokes: calls of the pinned revocable import's revoke callback
 *
 * Without a umem, the two counts are those of the file's last umem, up to
 * and including its release (the RDMA core calls the revoke callback of a
 * revocable umem that is released unrevoked).
 */
struct rdma_import_status {
	__u32 have_umem;
	__u32 mapped;
	__u32 revoked;
	__u32 pinned;
	__u32 move_notifies;
	__u32 revokes;
};

/* 'R' 0x80-0x84: unused in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define RDMA_IMPORT_IOC_MAGIC	'R'

#define RDMA_IMPORT_GET		_IOW(RDMA_IMPORT_IOC_MAGIC, 0x80, struct rdma_import_get)
#define RDMA_IMPORT_TABLE	_IOWR(RDMA_IMPORT_IOC_MAGIC, 0x81, struct rdma_import_table)
#define RDMA_IMPORT_STATUS	_IOR(RDMA_IMPORT_IOC_MAGIC, 0x82, struct rdma_import_status)
/* a dynamic umem maps again (after move_notify), as on an ODP fault */
#define RDMA_IMPORT_REMAP	_IO(RDMA_IMPORT_IOC_MAGIC, 0x83)
/* ib_umem_release() */
#define RDMA_IMPORT_RELEASE	_IO(RDMA_IMPORT_IOC_MAGIC, 0x84)

#endif /* _UAPI_RDMA_IMPORT_H */
