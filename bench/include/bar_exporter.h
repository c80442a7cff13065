/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bar_exporter: test exporter for the mmio-dmabuf QEMU bench.
 *
 * User interface of /dev/bar_exporter. The driver binds to QEMU's
 * ivshmem-plain device (through driver_override), makes it a P2PDMA
 * provider with pcim_p2pdma_init() -- no struct pages, no allocator -- and
 * wraps ranges of its BAR2 in dma-bufs whose map_dma_buf is the series'
 * dma_buf_phys_vec_to_sgt(). It is the smallest dynamic exporter built on
 * the helper: importers must be P2P-capable and revocable (dynamic, or
 * pinned but unmapping on move_notify), and unbinding ivshmem revokes
 * every buffer (move_notify, then map fails with ENODEV).
 *
 * Every structure is made of naturally aligned fixed-size fields. Opening
 * the device needs CAP_SYS_RAWIO. Errors: EFAULT (bad argument pointer),
 * EINVAL (bad argument), ENODEV (ivshmem was unbound), ENOTTY (unknown
 * ioctl); EXPORT also ENOMEM and the errors of dma_buf_export().
 */
#ifndef _UAPI_BAR_EXPORTER_H
#define _UAPI_BAR_EXPORTER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define BAR_EXPORTER_DEV_PATH	"/dev/bar_exporter"

/* ranges one EXPORT can take */
#define BAR_EXPORTER_MAX_RANGES	1024

/* bytes one READ or WRITE moves */
#define BAR_EXPORTER_MAX_IO	(1024 * 1024)

/**
 * struct bar_exporter_info - BAR_EXPORTER_INFO result
 * @bar_phys: CPU physical address of the BAR
 * @bar_bus: its PCI bus address, pci_bus_address()
 * @bar_size: its size in bytes
 * @bus_offset: the provider's bus_offset (bus address minus CPU address)
 * @bar: the BAR index, 2
 * @reserved: zero
 * @pci_name: PCI name of the ivshmem device, NUL terminated
 */
struct bar_exporter_info {
	__u64 bar_phys;
	__u64 bar_bus;
	__u64 bar_size;
	__u64 bus_offset;
	__u32 bar;
	__u32 reserved;
	char pci_name[32];
};

/**
 * struct bar_exporter_bus_addr - BAR_EXPORTER_BUS_ADDR argument
 * @phys: CPU physical address inside the BAR
 * @bus: output, pci_p2pdma_bus_addr_map() of the provider for @phys
 */
struct bar_exporter_bus_addr {
	__u64 phys;
	__u64 bus;
};

/**
 * struct bar_exporter_io - BAR_EXPORTER_READ and BAR_EXPORTER_WRITE argument
 * @offset: byte offset in the BAR
 * @len: 1 to BAR_EXPORTER_MAX_IO bytes, inside the BAR
 * @user_ptr: user buffer
 *
 * CPU access to the BAR through the driver's mapping of it.
 */
struct bar_exporter_io {
	__u64 offset;
	__u64 len;
	__u64 user_ptr;
};

/**
 * struct bar_exporter_range - one range of an EXPORT
 * @offset: offset in the BAR, page aligned
 * @len: length, page aligned, not 0
 */
struct bar_exporter_range {
	__u64 offset;
	__u64 len;
};

/*
 * BAR_EXPORTER_EXPORT_PER_RANGE: the buffer's map_dma_buf builds the table
 * the way exporters without the helper do (amdgpu, Xe, habanalabs): one
 * entry per range, each mapped with dma_map_resource() for the importer,
 * whatever the path between the two devices (behind a common switch the
 * entries then hold CPU physical addresses, which only QEMU's identity
 * bus offset makes right); unmap_dma_buf unmaps range by range. For the
 * benchmark's baseline: it is timed through the same dma-buf core path as
 * the helper.
 */
#define BAR_EXPORTER_EXPORT_PER_RANGE	(1U << 0)

/**
 * struct bar_exporter_export - BAR_EXPORTER_EXPORT argument
 * @ranges_ptr: user array of @nr_ranges struct bar_exporter_range, in the
 *	order they appear in the dma-buf; they may overlap
 * @nr_ranges: 1 to BAR_EXPORTER_MAX_RANGES
 * @flags: zero or BAR_EXPORTER_EXPORT_PER_RANGE
 * @fd: output, the dma-buf file descriptor (O_CLOEXEC | O_RDWR)
 * @reserved: zero
 */
struct bar_exporter_export {
	__u64 ranges_ptr;
	__u32 nr_ranges;
	__u32 flags;
	__s32 fd;
	__u32 reserved;
};

#define BAR_EXPORTER_IOC_MAGIC	'K'

#define BAR_EXPORTER_INFO	_IOR(BAR_EXPORTER_IOC_MAGIC, 0x00, struct bar_exporter_info)
#define BAR_EXPORTER_BUS_ADDR	_IOWR(BAR_EXPORTER_IOC_MAGIC, 0x01, struct bar_exporter_bus_addr)
#define BAR_EXPORTER_READ	_IOW(BAR_EXPORTER_IOC_MAGIC, 0x02, struct bar_exporter_io)
#define BAR_EXPORTER_WRITE	_IOW(BAR_EXPORTER_IOC_MAGIC, 0x03, struct bar_exporter_io)
#define BAR_EXPORTER_EXPORT	_IOWR(BAR_EXPORTER_IOC_MAGIC, 0x04, struct bar_exporter_export)
/*
 * Attach the exporter's own misc device (not a PCI device) to the dma-buf
 * fd given as argument, as a dynamic P2P importer, and map it: returns the
 * error of dma_buf_map_attachment() (0 if the map succeeded; it is then
 * undone at once).
 */
#define BAR_EXPORTER_NONPCI_MAP	_IOW(BAR_EXPORTER_IOC_MAGIC, 0x05, __s32)

#endif /* _UAPI_BAR_EXPORTER_H */
