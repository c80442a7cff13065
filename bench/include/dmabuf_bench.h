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
 * callbacks, intel and amd), so that the probes cost nothing in the timed
 * iterations.
 *
 * Opening the device needs CAP_SYS_RAWIO: the ranges are trusted. Errors:
 * EFAULT, EINVAL (bad argument, or ranges that do not add up to the size of
 * the dma-buf), ENODEV (no such importer), EOPNOTSUPP (the method does not
 * apply to this importer: no IOVA for LOWERBOUND and IOVA_ALLOC), ENOMEM,
 * EINTR (killed), ENOTTY; HELPER also the errors of dma_buf_dynamic_attach()
 * and dma_buf_map_attachment() (EINVAL where the importer cannot reach the
 * BAR). One run at a time: the counters are global.
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
 * @DMABUF_BENCH_HELPER: the dma-buf way, the importer attached once
 *	(dynamic, P2P): dma_resv_lock(), dma_buf_map_attachment(),
 *	dma_buf_unmap_attachment(), dma_resv_unlock(); the exporter's
 *	map_dma_buf is dma_buf_phys_vec_to_sgt()
 * @DMABUF_BENCH_BASELINE: what exporters without the helper do:
 *	sg_alloc_table() and one dma_map_resource() per range (DMA fields
 *	only), then one dma_unmap_resource() per range and sg_free_table()
 * @DMABUF_BENCH_LOWERBOUND: an IOVA range allocated before the timed loop
 *	with dma_iova_try_alloc(); per iteration one dma_iova_link() per range
 *	(DMA_ATTR_MMIO), one dma_iova_sync(), one dma_iova_unlink() of the
 *	span; no table (IOMMU importers only)
 * @DMABUF_BENCH_IOVA_ALLOC: dma_iova_try_alloc() and dma_iova_free() of the
 *	buffer's size, nothing linked: the IOVA allocator's share of the
 *	helper (IOMMU importers only)
 */
enum dmabuf_bench_method {
	DMABUF_BENCH_HELPER = 0,
	DMABUF_BENCH_BASELINE = 1,
	DMABUF_BENCH_LOWERBOUND = 2,
	DMABUF_BENCH_IOVA_ALLOC = 3,
};

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
 * @flags: zero
 * @count_reps: output, the iterations of the untimed counting pass that
 *	@sync_map, @iotlb_sync and @flush_all count (at most
 *	DMABUF_BENCH_COUNT_REPS)
 * @min_ns: output, fastest map+unmap
 * @median_ns: output, median map+unmap
 * @map_median_ns: output, median of the map half alone
 * @unmap_median_ns: output, median of the unmap half alone
 * @total_ns: output, sum of all timed map+unmap
 * @entries: output, DMA entries of the table handed to the importer per
 *	map (0: no table)
 * @sync_map: output, iotlb_sync_map calls during the counting pass, -1 if
 *	they cannot be counted
 * @iotlb_sync: output, iotlb_sync calls, likewise
 * @flush_all: output, flush_iotlb_all calls, likewise
 * @dma_addr: output, the DMA address of the buffer's first byte in the last
 *	iteration: of the table's first entry, or the IOVA (LOWERBOUND,
 *	IOVA_ALLOC)
 */
struct dmabuf_bench_run {
	__s32 fd;
	__u32 method;
	__u32 nr_ranges;
	__u32 reps;
	__u64 ranges_ptr;
	char importer[32];
	__u32 flags;
	__u32 count_reps;
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
};

#define DMABUF_BENCH_IOC_MAGIC	'B'

#define DMABUF_BENCH_RUN	_IOWR(DMABUF_BENCH_IOC_MAGIC, 0x00, struct dmabuf_bench_run)

#endif /* _UAPI_DMABUF_BENCH_H */
