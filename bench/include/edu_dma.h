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

#define EDU_DMA_IOC_MAGIC	'J'

#define EDU_DMA_INFO		_IOR(EDU_DMA_IOC_MAGIC, 0x00, struct edu_dma_info)
#define EDU_DMA_RAM_WRITE	_IOW(EDU_DMA_IOC_MAGIC, 0x01, struct edu_dma_ram_io)
#define EDU_DMA_RAM_READ	_IOW(EDU_DMA_IOC_MAGIC, 0x02, struct edu_dma_ram_io)
#define EDU_DMA_MAP_RESOURCE	_IOWR(EDU_DMA_IOC_MAGIC, 0x03, struct edu_dma_map_resource)
#define EDU_DMA_UNMAP_RESOURCE	_IOW(EDU_DMA_IOC_MAGIC, 0x04, struct edu_dma_unmap_resource)
#define EDU_DMA_COPY		_IOW(EDU_DMA_IOC_MAGIC, 0x05, struct edu_dma_copy)
#define EDU_DMA_XFER		_IOW(EDU_DMA_IOC_MAGIC, 0x06, struct edu_dma_xfer)

#endif /* _UAPI_EDU_DMA_H */
