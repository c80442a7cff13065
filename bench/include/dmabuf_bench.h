/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmabuf_bench: mapping benchmark of the mmio-dmabuf QEMU bench.
 *
 * User interface of /dev/dmabuf_bench. One ioctl, DMABUF_BENCH_RUN, maps
 * and unmaps the ranges of a dma-buf (exported by bar_exporter from
 * ivshmem's BAR) for an importer device (edu) @reps times, one way or
 * another (enum dmabuf_bench_method), times every map+unmap with
 * ktime_get_ns() and returns the minimum and the median; then, untimed, it
 * maps and unmaps again to count what the IOMMU driver is asked to do
 * (kprobes on its iotlb_sync_map, iotlb_sync and flush_iotlb_all
 * callbacks, intel and amd) and the memory each map allocates (the kmem
 * tracepoints), so that no probe runs while a method is timed.
 *
 * Opening the device needs CAP_SYS_RAWIO: the ranges are trusted. Errors:
 * EFAULT, EINVAL (bad argument, or ranges that do not add up to the size of
 * the dma-buf), ENODEV (no such importer or exporter), EOPNOTSUPP (the
 * method does not apply: no IOVA for the LOWERBOUND methods and
 * IOVA_ALLOC, DMA-API debugging for LOWERBOUND_LAZY), ENOMEM, EINTR
 * (killed), ENOTTY; MAP_ATTACHMENT and HELPER_DIRECT also the errors of
 * dma_buf_dynamic_attach() and of the exporter's map (EINVAL where the
 * helper finds no path from the importer to the BAR). One run at a time:
 * the counters are global.
 */
#ifndef _UAPI_DMABUF_BENCH_H
#define _UAPI_DMABUF_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DMABUF_BENCH_DEV_PATH	"/dev/dmabuf_bench"

#define DMABUF_BENCH_MAX_RANGES	4096
#define DMABUF_BENCH_MAX_REPS	100000
#define DMABUF_BENCH_COUNT_REPS	256

/**
 * enum dmabuf_bench_method - what one timed map+unmap is
 * @DMABUF_BENCH_MAP_ATTACHMENT: the dma-buf way, the importer attached once
 *	(dynamic, P2P): dma_resv_lock(), dma_buf_map_attachment(),
 *	dma_buf_unmap_attachment(), dma_resv_unlock(). What the map costs is
 *	the exporter's: bar_exporter's default map_dma_buf is the helper,
 *	dma_buf_phys_vec_to_sgt(); with BAR_EXPORTER_EXPORT_PER_RANGE it is
 *	the baseline, one dma_map_resource() per range
 * @DMABUF_BENCH_PER_RANGE: the baseline's table without the dma-buf core:
 *	sg_alloc_table() and one dma_map_resource() per range (DMA fields
 *	only), then one dma_unmap_resource() per range and sg_free_table()
 * @DMABUF_BENCH_LOWERBOUND_STRICT: an IOVA range allocated before the
 *	timed loop with dma_iova_try_alloc(); per iteration one
 *	dma_iova_link() per range (DMA_ATTR_MMIO), one dma_iova_sync(), one
 *	dma_iova_unlink() of the span, which flushes the IOTLB before it
 *	returns; no table (IOMMU importers only)
 * @DMABUF_BENCH_IOVA_ALLOC: dma_iova_try_alloc() and dma_iova_free() of the
 *	buffer's size, nothing linked: the IOVA allocator's share of the
 *	helper (IOMMU importers only)
 * @DMABUF_BENCH_LOWERBOUND_LAZY: as LOWERBOUND_STRICT, but the span's page
 *	table entries are cleared with iommu_unmap_fast() and the IOTLB is
 *	flushed once per DMABUF_BENCH_LAZY_BATCH iterations, as the flush
 *	queue does for the helper in a lazy (DMA-FQ) domain (IOMMU importers,
 *	kernels without DMA-API debugging, which would see links that are
 *	never unlinked)
 * @DMABUF_BENCH_TABLE: the table alone: sg_alloc_table() of one entry per
 *	range, the DMA fields written with the ranges' addresses, and
 *	sg_free_table(); nothing is mapped (what the helper cannot avoid where
 *	the importer needs no IOMMU mapping)
 * @DMABUF_BENCH_HELPER_DIRECT: the helper without the dma-buf core: under
 *	the reservation lock, dma_buf_phys_vec_to_sgt() and dma_buf_free_sgt()
 *	called directly with the provider of @exporter's BAR @bar
 */
enum dmabuf_bench_method {
	DMABUF_BENCH_MAP_ATTACHMENT = 0,
	DMABUF_BENCH_PER_RANGE = 1,
	DMABUF_BENCH_LOWERBOUND_STRICT = 2,
	DMABUF_BENCH_IOVA_ALLOC = 3,
	DMABUF_BENCH_LOWERBOUND_LAZY = 4,
	DMABUF_BENCH_TABLE = 5,
	DMABUF_BENCH_HELPER_DIRECT = 6,
};

/* iterations per IOTLB flush of LOWERBOUND_LAZY: the flush queue's depth */
#define DMABUF_BENCH_LAZY_BATCH	256

/**
 * struct dmabuf_bench_range - one range of the buffer
 * @phys: CPU physical address, page aligned
 * @len: length, page aligned, not 0
 */
struct dmabuf_bench_range {
	__u64 phys;
	__u64 len;
};

/**
 * struct dmabuf_bench_run - DMABUF_BENCH_RUN argument
 * @fd: the dma-buf
 * @method: enum dmabuf_bench_method
 * @nr_ranges: 1 to DMABUF_BENCH_MAX_RANGES
 * @reps: timed iterations, 1 to DMABUF_BENCH_MAX_REPS
 * @ranges_ptr: user array of @nr_ranges struct dmabuf_bench_range: the
 *	buffer's ranges in buffer order; their lengths add up to its size
 * @importer: PCI name of the importing device ("0000:00:03.0"), NUL
 *	terminated; it must be bound to a driver that set its DMA mask
 * @exporter: PCI name of the device whose BAR the ranges are in, NUL
 *	terminated (HELPER_DIRECT only: it must be bound to bar_exporter)
 * @bar: that BAR's index (HELPER_DIRECT only)
 * @flags: zero
 * @count_reps: output, the iterations of the untimed counting pass that
 *	@sync_map, @iotlb_sync and @flush_all count (at most
 *	DMABUF_BENCH_COUNT_REPS)
 * @reserved: zero
 * @min_ns: output, fastest map+unmap
 * @median_ns: output, median map+unmap
 * @map_median_ns: output, median of the map half alone
 * @unmap_median_ns: output, median of the unmap half alone
 * @total_ns: output, sum of all timed map+unmap
 * @entries: output, DMA entries of the table handed to the importer per
 *	map (0: no table)
 * @sync_map: output, iotlb_sync_map calls the counting pass made (its
 *	task's, not a timer's: a flush queue's timed flush is not counted),
 *	-1 if they cannot be counted
 * @iotlb_sync: output, iotlb_sync calls, likewise
 * @flush_all: output, flush_iotlb_all calls, likewise
 * @dma_addr: output, the DMA address of the buffer's first byte in the last
 *	iteration: of the table's first entry, or the IOVA (LOWERBOUND_*,
 *	IOVA_ALLOC)
 * @alloc_bytes: output, bytes the maps of the counting pass allocated:
 *	slab objects (kmalloc() at the size it takes from its slab,
 *	kmem_cache_alloc() at the object size) and pages from the page allocator that are not slab pages (a
 *	large kmalloc(), a table's chunks, IOMMU page tables), also those freed
 *	again before the map returns; -1 if they cannot be counted
 */
struct dmabuf_bench_run {
	__s32 fd;
	__u32 method;
	__u32 nr_ranges;
	__u32 reps;
	__u64 ranges_ptr;
	char importer[32];
	char exporter[32];
	__u32 bar;
	__u32 flags;
	__u32 count_reps;
	__u32 reserved;
	__u64 min_ns;
	__u64 median_ns;
	__u64 map_median_ns;
	__u64 unmap_median_ns;
	__u64 total_ns;
	__s64 entries;
	__s64 sync_map;
	__s64 iotlb_sync;
	__s64 flush_all;
	__u64 dma_addr;
	__s64 alloc_bytes;
};

#define DMABUF_BENCH_IOC_MAGIC	'B'

#define DMABUF_BENCH_RUN	_IOWR(DMABUF_BENCH_IOC_MAGIC, 0x00, struct dmabuf_bench_run)

#endif /* _UAPI_DMABUF_BENCH_H */
