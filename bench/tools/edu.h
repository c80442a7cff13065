/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctls of the edu_dma test importer as C functions, for the tests
 * that drive edu directly (smoketest, importertest, dmaapitest,
 * p2pmemtest): the scratch buffer, edu transfers and dma_map_resource()
 * on edu_fd (common.h), and the DMA-API test interface (the page buffer,
 * dma_map_phys(), the IOVA API, the untrusted knob) on api_fd. Each
 * returns 0 or a negative errno.
 */
#ifndef MDB_EDU_H
#define MDB_EDU_H

#include <stdbool.h>

#include <linux/types.h>

#include "edu_dma.h"

/* --- scratch buffer, transfers, dma_map_resource() --------------------- */

/* RAM_WRITE, RAM_READ: the scratch buffer at offset @off */
int ram_write(__u64 off, const void *buf, __u64 len);
int ram_read(__u64 off, void *buf, __u64 len);
/* COPY: edu moves @len bytes from bus address @src to @dst */
int edu_copy(__u64 src, __u64 dst, __u64 len);
/* XFER: one raw transfer, EDU_DMA_XFER_TO_EDU or EDU_DMA_XFER_FROM_EDU */
int edu_xfer(__u64 addr, __u32 len, __u32 dir);
/* MAP_RESOURCE and UNMAP_RESOURCE on file @fd */
int map_resource(int fd, __u64 phys, __u64 len, __u32 dir, __u64 *dma);
int unmap_resource(int fd, __u64 dma, __u64 len, __u32 dir);

/* "# info: SCENARIO edu=... ident=...": what EDU_DMA_INFO said */
void edu_print_info(const char *scenario);

/*
 * What every test program that drives edu does before its command: a
 * @seed of 0 becomes the run's seed for @cmd (run_seed(); the command
 * prints it), the check buffers are allocated and /dev/edu_dma is
 * opened. A failure is reported as check @name. Returns 0 or -errno.
 */
int edu_tool_start(const char *name, const char *cmd, __u64 *seed);

/* --- the DMA-API test interface ---------------------------------------- */

#define GRANULE		4096ULL		/* IOVA granule of the vIOMMUs */
#define ATTR_MMIO	EDU_DMA_ATTR_MMIO
#define DIR_TO		EDU_DMA_DIR_TO_DEVICE
#define DIR_FROM	EDU_DMA_DIR_FROM_DEVICE
#define DIR_BIDI	EDU_DMA_DIR_BIDIRECTIONAL

/* the file the calls below go to: its page buffer and IOVA range */
extern int api_fd;

/* ioctl on api_fd: 0 or -errno */
int api_ioctl(unsigned long req, void *arg);
/* PAGES_WRITE, PAGES_READ (@req): the page buffer at offset @off */
int pages_io(unsigned long req, __u64 off, const void *buf, __u64 len);
int map_phys(__u64 phys, __u64 len, __u32 dir, __u32 attrs, __u64 *dma);
int unmap_phys(__u64 dma, __u64 len, __u32 dir, __u32 attrs);
/* IOVA_ALLOC: *@used says whether dma_iova_try_alloc() gave a range */
int iova_alloc(__u64 phys, __u64 size, bool *used, __u64 *addr);
int iova_link(__u64 phys, __u64 off, __u64 size, __u32 dir, __u32 attrs);
int iova_sync(__u64 off, __u64 size);
int iova_unlink(__u64 off, __u64 size, __u32 dir, __u32 attrs);
int iova_destroy(__u64 mapped_len, __u32 dir, __u32 attrs);
/* IOVA_LOOKUP: what the IOMMU maps at offset @off of the range */
int iova_lookup(__u64 off, __u64 *phys);
/* SET_UNTRUSTED: EDU_DMA_UNTRUSTED or EDU_DMA_TRUSTED */
int set_untrusted(__u32 val);

#endif /* MDB_EDU_H */
