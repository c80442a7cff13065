/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * p2pmem_test: P2PDMA page allocator test module for the mmio-dmabuf QEMU
 * bench.
 *
 * User interface of /dev/p2pmem_test. The driver binds to QEMU's
 * ivshmem-plain device (through driver_override), turns its BAR2 into P2P
 * memory with pci_p2pdma_add_resource() and publishes it, as the in-tree
 * users of the P2PDMA page allocator (NVMe CMB, nvmet) do. Through this
 * device root can then allocate P2P memory, read and write it through its
 * kernel virtual address, and map it with dma_map_sgtable() for any PCI
 * device, to see which addresses the DMA layer hands out and to have that
 * device DMA to and from them.
 *
 * Each open file holds at most one allocation (ALLOC .. FREE) and at most
 * one DMA mapping of it (MAP .. UNMAP). Closing the file undoes both; so
 * does unbinding ivshmem, after which the file's ioctls fail with ENODEV.
 * The mapping is also undone when the device it was made for loses its
 * driver or is removed. Devices are named by their PCI name
 * ("0000:00:04.0", NUL terminated).
 *
 * Every structure is made of naturally aligned fixed-size fields, so the
 * layout is the same for 32-bit and 64-bit user space. Opening the device
 * needs CAP_SYS_RAWIO. Errors: EFAULT (bad argument pointer), EINVAL (bad
 * argument), ENODEV (ivshmem was unbound, or no PCI device of that name),
 * ENOENT (no allocation, or no mapping, on this file), EBUSY (the file
 * already has an allocation; or a mapping, for MAP and FREE), ENOMEM
 * (pci_alloc_p2pmem() failed), ENOTTY (unknown ioctl). The DMA API's own
 * verdict on a mapping is not an ioctl error: see struct p2pmem_test_map.
 */
#ifndef _UAPI_P2PMEM_TEST_H
#define _UAPI_P2PMEM_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define P2PMEM_TEST_DEV_PATH	"/dev/p2pmem_test"

/* chunks of an allocation one mapping can have */
#define P2PMEM_TEST_MAX_CHUNKS	8

/* largest allocation one file can ask for */
#define P2PMEM_TEST_MAX_ALLOC	(1024ULL * 1024 * 1024)	/* 1 GiB */

/**
 * struct p2pmem_test_info - P2PMEM_TEST_INFO result
 * @bar_phys: CPU physical address of the BAR given to the allocator
 * @bar_bus: its PCI bus address, pci_bus_address()
 * @bar_size: its size in bytes
 * @bar: the BAR index, 2
 * @reserved: zero
 * @pci_name: PCI name of the ivshmem device, NUL terminated
 */
struct p2pmem_test_info {
	__u64 bar_phys;
	__u64 bar_bus;
	__u64 bar_size;
	__u32 bar;
	__u32 reserved;
	char pci_name[32];
};

/**
 * struct p2pmem_test_client - P2PMEM_TEST_CLIENT argument
 * @pci_name: PCI name of the would-be DMA master
 * @distance: output, pci_p2pdma_distance(ivshmem, device, true): -1 if
 *	the device cannot do P2P DMA to ivshmem's BAR (the kernel log says
 *	why), else the distance
 * @found: output, 1 if pci_p2pmem_find() for the device returns ivshmem
 */
struct p2pmem_test_client {
	char pci_name[32];
	__s32 distance;
	__u32 found;
};

/**
 * struct p2pmem_test_alloc - P2PMEM_TEST_ALLOC argument
 * @size: bytes to allocate, 1 to P2PMEM_TEST_MAX_ALLOC (the allocator
 *	works in pages: it takes @size rounded up to a page)
 * @phys: output, CPU physical address of the first byte
 * @bus: output, its PCI bus address, pci_p2pmem_virt_to_bus()
 */
struct p2pmem_test_alloc {
	__u64 size;
	__u64 phys;
	__u64 bus;
};

/**
 * struct p2pmem_test_io - P2PMEM_TEST_WRITE and P2PMEM_TEST_READ argument
 * @user_ptr: user buffer to copy from (WRITE) or to (READ)
 * @offset: byte offset into the allocation
 * @len: number of bytes; offset + len must not exceed the allocation size
 *
 * The CPU accesses the P2P memory through its kernel virtual address. It
 * does not check whether the memory is mapped for a device: keeping the
 * DMA API's ownership rules is up to the caller.
 */
struct p2pmem_test_io {
	__u64 user_ptr;
	__u64 offset;
	__u64 len;
};

/**
 * struct p2pmem_test_chunk - one scatterlist entry of a mapping
 * @offset: byte offset into the allocation
 * @len: length in bytes, at most 4 GiB - 1
 */
struct p2pmem_test_chunk {
	__u64 offset;
	__u64 len;
};

/* struct p2pmem_test_seg.flags */
#define P2PMEM_TEST_SEG_BUS_ADDR	0x1	/* sg_dma_is_bus_address() */

/**
 * struct p2pmem_test_seg - one DMA segment of a mapping
 * @dma_addr: sg_dma_address()
 * @dma_len: sg_dma_len()
 * @flags: P2PMEM_TEST_SEG_* bits
 * @reserved: zero
 */
struct p2pmem_test_seg {
	__u64 dma_addr;
	__u64 dma_len;
	__u32 flags;
	__u32 reserved;
};

/* directions of a mapping, as seen from the device */
#define P2PMEM_TEST_DIR_BIDIRECTIONAL	0	/* the device reads and writes */
#define P2PMEM_TEST_DIR_TO_DEVICE	1	/* the device only reads */
#define P2PMEM_TEST_DIR_FROM_DEVICE	2	/* the device only writes */

/**
 * struct p2pmem_test_map - P2PMEM_TEST_MAP argument
 * @pci_name: PCI name of the device to map for
 * @dir: P2PMEM_TEST_DIR_*
 * @nr_chunks: entries of @chunks used, 1 to P2PMEM_TEST_MAX_CHUNKS
 * @chunks: the parts of the allocation to map, one scatterlist entry
 *	each, in ascending order, not overlapping, each starting in a
 *	different cache line (DMA-API debug tracks mappings by the cache line
 *	they start on)
 * @result: output, what dma_map_sgtable() returned: 0, or a negative errno
 *	(-EREMOTEIO: the device cannot reach the P2P memory). Only with 0 does
 *	the file hold the mapping.
 * @nr_segs: output, the number of DMA segments (sgt->nents), 0 on failure
 * @segs: output, the DMA segments; the device sees the chunks laid end to
 *	end in them, in order
 */
struct p2pmem_test_map {
	char pci_name[32];
	__u32 dir;
	__u32 nr_chunks;
	struct p2pmem_test_chunk chunks[P2PMEM_TEST_MAX_CHUNKS];
	__s32 result;
	__u32 nr_segs;
	struct p2pmem_test_seg segs[P2PMEM_TEST_MAX_CHUNKS];
};

#define P2PMEM_TEST_IOC_MAGIC	'Q'

#define P2PMEM_TEST_INFO	_IOR(P2PMEM_TEST_IOC_MAGIC, 0x00, struct p2pmem_test_info)
#define P2PMEM_TEST_CLIENT	_IOWR(P2PMEM_TEST_IOC_MAGIC, 0x01, struct p2pmem_test_client)
#define P2PMEM_TEST_ALLOC	_IOWR(P2PMEM_TEST_IOC_MAGIC, 0x02, struct p2pmem_test_alloc)
/* pci_free_p2pmem() of the allocation; EBUSY while it is mapped */
#define P2PMEM_TEST_FREE	_IO(P2PMEM_TEST_IOC_MAGIC, 0x03)
#define P2PMEM_TEST_WRITE	_IOW(P2PMEM_TEST_IOC_MAGIC, 0x04, struct p2pmem_test_io)
#define P2PMEM_TEST_READ	_IOW(P2PMEM_TEST_IOC_MAGIC, 0x05, struct p2pmem_test_io)
#define P2PMEM_TEST_MAP		_IOWR(P2PMEM_TEST_IOC_MAGIC, 0x06, struct p2pmem_test_map)
/* dma_unmap_sgtable() of the mapping */
#define P2PMEM_TEST_UNMAP	_IO(P2PMEM_TEST_IOC_MAGIC, 0x07)

#endif /* _UAPI_P2PMEM_TEST_H */
