/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * edu_dma: test importer for the mmio-dmabuf QEMU bench.
 *
 * User interface of /dev/edu_dma. The driver binds to QEMU's "edu" PCI
 * device and lets root make it move data between bus addresses, so that a
 * test can check that a DMA address handed out for another device's BAR
 * really reaches that BAR.
 *
 * All addresses passed to EDU_DMA_COPY and EDU_DMA_XFER are raw bus (DMA)
 * addresses as seen by edu: the scratch buffer's address from
 * EDU_DMA_INFO, an address returned by EDU_DMA_MAP_RESOURCE, or anything
 * else a test wants to throw at the IOMMU.
 *
 * Every structure is made of naturally aligned fixed-size fields, so the
 * layout is the same for 32-bit and 64-bit user space. Fields named flags
 * or reserved must be zero on input.
 *
 * Opening the device needs CAP_SYS_RAWIO. Errors common to all ioctls:
 * EFAULT (bad argument pointer), EINVAL (bad argument), ENODEV (the edu
 * device was unbound while the file was open), EINTR (signal while
 * waiting for the device; a COPY may then be partly done), ETIMEDOUT (edu
 * did not finish a transfer within a few seconds), ENOTTY (unknown ioctl).
 * MAP_RESOURCE can also fail with ENOSPC (EDU_DMA_MAX_MAPS mappings on this
 * file), EBUSY (another device-writable mapping for edu starts on the same
 * cache line: DMA-API debug cannot track that) and EIO (the DMA API
 * refused); UNMAP_RESOURCE with ENOENT (no such mapping on this file).
 *
 * MAP_PHYS, UNMAP_PHYS and the IOVA_* ioctls drive dma_map_phys() and the
 * two-step IOVA API of the DMA layer; when the driver was built for a
 * kernel without them they fail with EOPNOTSUPP (EDU_DMA_INFO_PHYS_API is
 * then clear). They only accept RAM from the file's page buffer (see
 * EDU_DMA_PAGES) or, with EDU_DMA_ATTR_MMIO, a range that is not RAM, and
 * they check everything the DMA API would warn about (invalid direction,
 * overlapping links, unlinking what was not linked) themselves: bad input
 * gets an errno, never a kernel warning. Misuse that the DMA API is
 * specified to refuse (misaligned links, links that would need bouncing)
 * is passed through, so that its error can be tested.
 */
#ifndef _UAPI_EDU_DMA_H
#define _UAPI_EDU_DMA_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define EDU_DMA_DEV_PATH	"/dev/edu_dma"

/* edu moves at most this many bytes in one transfer */
#define EDU_DMA_MAX_XFER	4095

/* resource mappings one open file can hold */
#define EDU_DMA_MAX_MAPS	64

/* struct edu_dma_info.flags */
#define EDU_DMA_INFO_IOMMU	0x1	/* edu DMA is IOMMU translated */
#define EDU_DMA_INFO_PHYS_API	0x2	/* MAP_PHYS and IOVA_* are available */

/* size of the RAM page buffer of a file, see EDU_DMA_PAGES */
#define EDU_DMA_PAGES_SIZE	(128 * 1024)

/* IOVA links one file can hold */
#define EDU_DMA_MAX_LINKS	64

/* largest MMIO range of one MAP_PHYS mapping or IOVA_LINK */
#define EDU_DMA_MAX_MMIO_LEN	(1024ULL * 1024 * 1024)	/* 1 GiB */

/**
 * struct edu_dma_info - EDU_DMA_INFO result
 * @scratch_size: size of the driver's RAM scratch buffer in bytes
 * @scratch_dma: bus address of the scratch buffer for edu
 * @edu_ident: edu identification register (0xRRrr00ed)
 * @max_xfer: largest single edu transfer, EDU_DMA_MAX_XFER
 * @flags: EDU_DMA_INFO_* bits
 * @reserved: zero
 * @pci_name: PCI name of the edu device ("0000:00:04.0"), NUL terminated
 */
struct edu_dma_info {
	__u64 scratch_size;
	__u64 scratch_dma;
	__u32 edu_ident;
	__u32 max_xfer;
	__u32 flags;
	__u32 reserved;
	char pci_name[32];
};

/**
 * struct edu_dma_ram_io - EDU_DMA_RAM_WRITE and EDU_DMA_RAM_READ argument
 * @user_ptr: user buffer to copy from (RAM_WRITE) or to (RAM_READ)
 * @offset: byte offset into the scratch buffer
 * @len: number of bytes; offset + len must not exceed the scratch size
 */
struct edu_dma_ram_io {
	__u64 user_ptr;
	__u64 offset;
	__u64 len;
};

/* directions of EDU_DMA_MAP_RESOURCE, as seen from edu */
#define EDU_DMA_DIR_BIDIRECTIONAL	0	/* edu reads and writes */
#define EDU_DMA_DIR_TO_DEVICE		1	/* edu only reads */
#define EDU_DMA_DIR_FROM_DEVICE		2	/* edu only writes */

/**
 * struct edu_dma_map_resource - EDU_DMA_MAP_RESOURCE argument
 * @phys: CPU physical address of the MMIO range (a BAR, not RAM)
 * @len: length of the range in bytes
 * @dir: EDU_DMA_DIR_*
 * @flags: zero
 * @dma_addr: output, the bus address edu must use for @phys
 *
 * The mapping belongs to the file descriptor: it is undone by
 * EDU_DMA_UNMAP_RESOURCE or when the descriptor is closed.
 */
struct edu_dma_map_resource {
	__u64 phys;
	__u64 len;
	__u32 dir;
	__u32 flags;
	__u64 dma_addr;
};

/**
 * struct edu_dma_unmap_resource - EDU_DMA_UNMAP_RESOURCE argument
 * @dma_addr: bus address returned by EDU_DMA_MAP_RESOURCE on this fd
 * @len: length that was mapped
 * @dir: direction that was mapped
 * @flags: zero
 *
 * Undoes one mapping of this fd that matches all three values, as
 * dma_unmap_resource() takes them. The length and direction are needed
 * because without an IOMMU the bus address is the physical address, so
 * several mappings of the same BAR share it.
 */
struct edu_dma_unmap_resource {
	__u64 dma_addr;
	__u64 len;
	__u32 dir;
	__u32 flags;
};

/**
 * struct edu_dma_copy - EDU_DMA_COPY argument
 * @src: bus address to read from
 * @dst: bus address to write to
 * @len: number of bytes, moved through edu in chunks of EDU_DMA_MAX_XFER
 */
struct edu_dma_copy {
	__u64 src;
	__u64 dst;
	__u64 len;
};

/* struct edu_dma_xfer.dir, the direction of the raw edu transfer */
#define EDU_DMA_XFER_TO_EDU	0	/* bus address -> edu buffer */
#define EDU_DMA_XFER_FROM_EDU	1	/* edu buffer -> bus address */

/**
 * struct edu_dma_xfer - EDU_DMA_XFER argument
 * @addr: bus address
 * @len: number of bytes, 1 to EDU_DMA_MAX_XFER
 * @dir: EDU_DMA_XFER_*
 * @flags: zero
 * @reserved: zero
 *
 * One edu transfer between @addr and the start of edu's internal buffer.
 */
struct edu_dma_xfer {
	__u64 addr;
	__u32 len;
	__u32 dir;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct edu_dma_pages - EDU_DMA_PAGES result
 * @phys: CPU physical address of the file's page buffer
 * @size: its size, EDU_DMA_PAGES_SIZE
 *
 * Every open file has a physically contiguous RAM buffer, allocated on
 * first use (EDU_DMA_PAGES, PAGES_WRITE or PAGES_READ) and freed when the
 * file is closed. Its physical addresses are what MAP_PHYS and IOVA_LINK
 * accept as RAM. It is read and written with EDU_DMA_PAGES_READ and
 * EDU_DMA_PAGES_WRITE and a struct edu_dma_ram_io whose offset is relative
 * to @phys.
 */
struct edu_dma_pages {
	__u64 phys;
	__u64 size;
};

/* DMA attributes (the attrs fields below): DMA_ATTR_* of the kernel */
#define EDU_DMA_ATTR_MMIO		0x1	/* DMA_ATTR_MMIO: not RAM */
#define EDU_DMA_ATTR_SKIP_CPU_SYNC	0x2	/* DMA_ATTR_SKIP_CPU_SYNC */

/**
 * struct edu_dma_map_phys - EDU_DMA_MAP_PHYS argument
 * @phys: CPU physical address: MMIO with EDU_DMA_ATTR_MMIO (at most
 *	EDU_DMA_MAX_MMIO_LEN bytes of it), else a range of the file's page
 *	buffer
 * @len: length in bytes
 * @dir: EDU_DMA_DIR_*
 * @attrs: EDU_DMA_ATTR_* bits
 * @dma_addr: output, the bus address from dma_map_phys()
 *
 * Like MAP_RESOURCE, but with dma_map_phys(). The mapping counts against
 * EDU_DMA_MAX_MAPS and belongs to the file. EIO: dma_map_phys() failed.
 */
struct edu_dma_map_phys {
	__u64 phys;
	__u64 len;
	__u32 dir;
	__u32 attrs;
	__u64 dma_addr;
};

/**
 * struct edu_dma_unmap_phys - EDU_DMA_UNMAP_PHYS argument
 * @dma_addr: bus address returned by EDU_DMA_MAP_PHYS on this fd
 * @len: length that was mapped
 * @dir: direction that was mapped
 * @attrs: EDU_DMA_ATTR_* bits; EDU_DMA_ATTR_MMIO must match the mapping
 *
 * dma_unmap_phys() of the mapping of this fd that matches @dma_addr, @len,
 * @dir and EDU_DMA_ATTR_MMIO; ENOENT if there is none.
 */
struct edu_dma_unmap_phys {
	__u64 dma_addr;
	__u64 len;
	__u32 dir;
	__u32 attrs;
};

/**
 * struct edu_dma_iova_alloc - EDU_DMA_IOVA_ALLOC argument
 * @phys: physical address of the first byte that will be linked at offset
 *	0 (only its offset in the IOVA granule matters)
 * @size: size of the IOVA range in bytes (any value: 0 and absurd sizes
 *	are the DMA API's to refuse)
 * @addr: output, the bus address of offset 0 of the range, 0 if !@used
 * @used: output, 1 if dma_iova_try_alloc() reserved a range, 0 if it
 *	returned false (dma-direct, identity domain, bad size, no space)
 * @flags: zero
 *
 * Each file holds at most one IOVA range (EBUSY if it already has one).
 * The range, and everything linked into it, is released with IOVA_DESTROY
 * or IOVA_FREE or when the file is closed.
 */
struct edu_dma_iova_alloc {
	__u64 phys;
	__u64 size;
	__u64 addr;
	__u32 used;
	__u32 flags;
};

/**
 * struct edu_dma_iova_link - EDU_DMA_IOVA_LINK argument
 * @phys: CPU physical address of the first byte: MMIO with
 *	EDU_DMA_ATTR_MMIO (at most EDU_DMA_MAX_MMIO_LEN bytes of it), else a
 *	range of the file's page buffer
 * @offset: offset in the IOVA range to link it at
 * @size: length in bytes
 * @dir: EDU_DMA_DIR_*
 * @attrs: EDU_DMA_ATTR_* bits
 *
 * dma_iova_link(). It returns the DMA API's error as it is (EINVAL for a
 * misaligned link or one outside the range, EPERM for one that would need
 * bouncing). The driver itself refuses, before calling the DMA API, a
 * link without an IOVA range (EINVAL), one that overlaps a link of this
 * file (EBUSY), one more than EDU_DMA_MAX_LINKS (ENOSPC), and device
 * writable RAM starting on the cache line of another device-writable
 * mapping (EBUSY).
 */
struct edu_dma_iova_link {
	__u64 phys;
	__u64 offset;
	__u64 size;
	__u32 dir;
	__u32 attrs;
};

/**
 * struct edu_dma_iova_sync - EDU_DMA_IOVA_SYNC argument
 * @offset: start of the span in the IOVA range
 * @size: length of the span
 *
 * dma_iova_sync(), its error returned as it is.
 */
struct edu_dma_iova_sync {
	__u64 offset;
	__u64 size;
};

/**
 * struct edu_dma_iova_unlink - EDU_DMA_IOVA_UNLINK argument
 * @offset: start of the span in the IOVA range
 * @size: length of the span
 * @dir: EDU_DMA_DIR_* the links were made with
 * @attrs: EDU_DMA_ATTR_* bits; EDU_DMA_ATTR_MMIO must match the links
 *
 * dma_iova_unlink() of a span made of whole links of this file, all with
 * this direction and kind of memory (EINVAL otherwise).
 */
struct edu_dma_iova_unlink {
	__u64 offset;
	__u64 size;
	__u32 dir;
	__u32 attrs;
};

/**
 * struct edu_dma_iova_destroy - EDU_DMA_IOVA_DESTROY argument
 * @mapped_len: length of the linked prefix of the range, possibly 0
 * @dir: EDU_DMA_DIR_* the links were made with
 * @attrs: EDU_DMA_ATTR_* bits; EDU_DMA_ATTR_MMIO must match the links
 *
 * dma_iova_destroy(). [0, @mapped_len) must be made of whole links with
 * this direction and kind of memory (EINVAL otherwise), and no link may
 * lie beyond it (EBUSY).
 */
struct edu_dma_iova_destroy {
	__u64 mapped_len;
	__u32 dir;
	__u32 attrs;
};

/**
 * struct edu_dma_iova_lookup - EDU_DMA_IOVA_LOOKUP argument
 * @offset: offset in the IOVA range
 * @phys: output, the physical address the IOMMU translates it to, 0 if
 *	nothing is mapped there
 *
 * Reads the IOMMU page table (iommu_iova_to_phys()) for one byte of the
 * file's IOVA range, to check what is and what is not mapped.
 */
struct edu_dma_iova_lookup {
	__u64 offset;
	__u64 phys;
};

/* EDU_DMA_SET_UNTRUSTED argument values */
#define EDU_DMA_TRUSTED		0	/* restore edu's own setting */
#define EDU_DMA_UNTRUSTED	1	/* treat edu as an untrusted device */

#define EDU_DMA_IOC_MAGIC	'J'

#define EDU_DMA_INFO		_IOR(EDU_DMA_IOC_MAGIC, 0x00, struct edu_dma_info)
#define EDU_DMA_RAM_WRITE	_IOW(EDU_DMA_IOC_MAGIC, 0x01, struct edu_dma_ram_io)
#define EDU_DMA_RAM_READ	_IOW(EDU_DMA_IOC_MAGIC, 0x02, struct edu_dma_ram_io)
#define EDU_DMA_MAP_RESOURCE	_IOWR(EDU_DMA_IOC_MAGIC, 0x03, struct edu_dma_map_resource)
#define EDU_DMA_UNMAP_RESOURCE	_IOW(EDU_DMA_IOC_MAGIC, 0x04, struct edu_dma_unmap_resource)
#define EDU_DMA_COPY		_IOW(EDU_DMA_IOC_MAGIC, 0x05, struct edu_dma_copy)
#define EDU_DMA_XFER		_IOW(EDU_DMA_IOC_MAGIC, 0x06, struct edu_dma_xfer)
#define EDU_DMA_PAGES		_IOR(EDU_DMA_IOC_MAGIC, 0x07, struct edu_dma_pages)
#define EDU_DMA_PAGES_WRITE	_IOW(EDU_DMA_IOC_MAGIC, 0x08, struct edu_dma_ram_io)
#define EDU_DMA_PAGES_READ	_IOW(EDU_DMA_IOC_MAGIC, 0x09, struct edu_dma_ram_io)
#define EDU_DMA_MAP_PHYS	_IOWR(EDU_DMA_IOC_MAGIC, 0x0a, struct edu_dma_map_phys)
#define EDU_DMA_UNMAP_PHYS	_IOW(EDU_DMA_IOC_MAGIC, 0x0b, struct edu_dma_unmap_phys)
#define EDU_DMA_IOVA_ALLOC	_IOWR(EDU_DMA_IOC_MAGIC, 0x0c, struct edu_dma_iova_alloc)
#define EDU_DMA_IOVA_LINK	_IOW(EDU_DMA_IOC_MAGIC, 0x0d, struct edu_dma_iova_link)
#define EDU_DMA_IOVA_SYNC	_IOW(EDU_DMA_IOC_MAGIC, 0x0e, struct edu_dma_iova_sync)
#define EDU_DMA_IOVA_UNLINK	_IOW(EDU_DMA_IOC_MAGIC, 0x0f, struct edu_dma_iova_unlink)
#define EDU_DMA_IOVA_DESTROY	_IOW(EDU_DMA_IOC_MAGIC, 0x10, struct edu_dma_iova_destroy)
#define EDU_DMA_IOVA_FREE	_IO(EDU_DMA_IOC_MAGIC, 0x11)
#define EDU_DMA_IOVA_LOOKUP	_IOWR(EDU_DMA_IOC_MAGIC, 0x12, struct edu_dma_iova_lookup)
/* mark edu untrusted (pci_dev->untrusted) until reset or the file closes */
#define EDU_DMA_SET_UNTRUSTED	_IOW(EDU_DMA_IOC_MAGIC, 0x13, __u32)

/*
 * dma-buf import. A file can hold one attachment to one dma-buf at a time
 * (open another file for a second importer). By default edu attaches as a
 * dynamic, P2P-capable, revocable importer (allow_peer2peer, revocable,
 * move_notify), the kind VFIO's exporter accepts, pinned or not.
 * move_notify drops the file's mapping at once, or, with
 * EDU_DMA_BUF_LATE_UNMAP, from a worker @late_ms later, to show that an
 * exporter waits for late importers. Mapping state is protected
 * by the buffer's reservation lock; BUF_RW holds it across the transfer,
 * so a revoke cannot complete while edu is using the mapping.
 * Errors: EBUSY (already attached, or a fence pending), ENOENT (not
 * attached; for BUF_RW and BUF_UNMAP: not mapped), other errors as the
 * exporter returned them (ENODEV for a revoked buffer, EOPNOTSUPP for a
 * refused importer, EINVAL for a refused P2P path).
 */

/* struct edu_dma_buf_attach.flags */
#define EDU_DMA_BUF_NO_P2P	0x1	/* do not set allow_peer2peer */
#define EDU_DMA_BUF_STATIC	0x2	/* no importer ops (no move_notify) */
#define EDU_DMA_BUF_LATE_UNMAP	0x4	/* move_notify unmaps @late_ms later */
#define EDU_DMA_BUF_PIN		0x8	/* dma_buf_pin() after attaching */
#define EDU_DMA_BUF_NOT_REVOCABLE	0x10	/* do not declare revocable */

/* longest EDU_DMA_BUF_LATE_UNMAP delay and EDU_DMA_BUF_FENCE time */
#define EDU_DMA_BUF_MAX_MS	10000

/**
 * struct edu_dma_buf_attach - EDU_DMA_BUF_ATTACH argument
 * @fd: the dma-buf file descriptor
 * @flags: EDU_DMA_BUF_* bits
 * @late_ms: with EDU_DMA_BUF_LATE_UNMAP, the delay in ms, at most
 *	EDU_DMA_BUF_MAX_MS
 * @reserved: zero
 * @size: output, the size of the dma-buf
 *
 * With EDU_DMA_BUF_PIN the attachment is undone again if dma_buf_pin()
 * fails, and its error is returned.
 */
struct edu_dma_buf_attach {
	__s32 fd;
	__u32 flags;
	__u32 late_ms;
	__u32 reserved;
	__u64 size;
};

/**
 * struct edu_dma_buf_entry - one DMA entry of a mapped dma-buf
 * @dma_addr: bus address edu uses
 * @len: length in bytes
 */
struct edu_dma_buf_entry {
	__u64 dma_addr;
	__u64 len;
};

/**
 * struct edu_dma_buf_map - EDU_DMA_BUF_MAP argument
 * @dir: EDU_DMA_DIR_*
 * @max_entries: room in @entries_ptr, may be 0
 * @entries_ptr: user array of struct edu_dma_buf_entry, filled with the
 *	first @max_entries DMA entries of the table
 * @nents: output, number of DMA entries of the table
 * @reserved: zero
 * @total_len: output, sum of the entry lengths
 *
 * dma_buf_map_attachment() under the reservation lock; the mapping stays
 * until BUF_UNMAP, move_notify, BUF_DETACH or close (EBUSY if the file
 * already has one). The exporter's error is returned as it is.
 */
struct edu_dma_buf_map {
	__u32 dir;
	__u32 max_entries;
	__u64 entries_ptr;
	__u32 nents;
	__u32 reserved;
	__u64 total_len;
};

/**
 * struct edu_dma_buf_rw - EDU_DMA_BUF_RW argument
 * @offset: byte offset in the dma-buf
 * @user_ptr: user buffer that receives (TO_EDU) or supplies (FROM_EDU)
 *	the data
 * @len: 1 to EDU_DMA_MAX_XFER bytes
 * @dir: EDU_DMA_XFER_TO_EDU: edu reads the dma-buf; EDU_DMA_XFER_FROM_EDU:
 *	edu writes it
 *
 * edu DMA to or from the file's current mapping at @offset, translated
 * through the mapping's DMA entries (a span crossing entries is moved in
 * pieces), holding the reservation lock. ENOENT if nothing is mapped
 * (for example after move_notify), EINVAL if @offset + @len is beyond the
 * mapping.
 */
struct edu_dma_buf_rw {
	__u64 offset;
	__u64 user_ptr;
	__u32 len;
	__u32 dir;
};

/**
 * struct edu_dma_buf_status - EDU_DMA_BUF_STATUS result
 * @attached: 1 if the file holds an attachment
 * @mapped: 1 if it holds a mapping
 * @move_notifies: move_notify calls seen by this attachment
 * @late_unmaps: mappings dropped by the late-unmap worker
 * @fence_pending: 1 while a fence of EDU_DMA_BUF_FENCE is unsignalled
 * @pinned: 1 if EDU_DMA_BUF_PIN succeeded
 * @notify_map_ret: in its last move_notify, edu tried to map the buffer
 *	again (the reservation lock is held there): the result, 0 if that
 *	worked (the mapping was then dropped at once) or a negative errno;
 *	this shows a revoke from inside, even one that is over by the time
 *	the call that caused it returns
 * @reserved: zero
 */
struct edu_dma_buf_status {
	__u32 attached;
	__u32 mapped;
	__u32 move_notifies;
	__u32 late_unmaps;
	__u32 fence_pending;
	__u32 pinned;
	__s32 notify_map_ret;
	__u32 reserved;
};

#define EDU_DMA_BUF_ATTACH	_IOWR(EDU_DMA_IOC_MAGIC, 0x20, struct edu_dma_buf_attach)
#define EDU_DMA_BUF_DETACH	_IO(EDU_DMA_IOC_MAGIC, 0x21)
#define EDU_DMA_BUF_MAP		_IOWR(EDU_DMA_IOC_MAGIC, 0x22, struct edu_dma_buf_map)
#define EDU_DMA_BUF_UNMAP	_IO(EDU_DMA_IOC_MAGIC, 0x23)
#define EDU_DMA_BUF_RW		_IOW(EDU_DMA_IOC_MAGIC, 0x24, struct edu_dma_buf_rw)
#define EDU_DMA_BUF_STATUS	_IOR(EDU_DMA_IOC_MAGIC, 0x25, struct edu_dma_buf_status)
/* add a DMA_RESV_USAGE_BOOKKEEP fence signalled __u32 ms from now */
#define EDU_DMA_BUF_FENCE	_IOW(EDU_DMA_IOC_MAGIC, 0x26, __u32)

#endif /* _UAPI_EDU_DMA_H */
