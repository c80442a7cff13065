// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of the edu_dma test importer as C functions, for the tests
 * that drive edu directly (edu.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "check.h"
#include "common.h"
#include "edu.h"

int api_fd = -1;

/* --- scratch buffer, transfers, dma_map_resource() --------------------- */

int ram_write(__u64 off, const void *buf, __u64 len)
{
	struct edu_dma_ram_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return edu_ioctl(EDU_DMA_RAM_WRITE, &io);
}

int ram_read(__u64 off, void *buf, __u64 len)
{
	struct edu_dma_ram_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return edu_ioctl(EDU_DMA_RAM_READ, &io);
}

int edu_copy(__u64 src, __u64 dst, __u64 len)
{
	struct edu_dma_copy c = { .src = src, .dst = dst, .len = len };

	return edu_ioctl(EDU_DMA_COPY, &c);
}

int edu_xfer(__u64 addr, __u32 len, __u32 dir)
{
	struct edu_dma_xfer x = { .addr = addr, .len = len, .dir = dir };

	return edu_ioctl(EDU_DMA_XFER, &x);
}

int map_resource(int fd, __u64 phys, __u64 len, __u32 dir, __u64 *dma)
{
	struct edu_dma_map_resource m = {
		.phys = phys, .len = len, .dir = dir,
	};

	if (ioctl(fd, EDU_DMA_MAP_RESOURCE, &m))
		return -errno;
	*dma = m.dma_addr;
	return 0;
}

int unmap_resource(int fd, __u64 dma, __u64 len, __u32 dir)
{
	struct edu_dma_unmap_resource u = {
		.dma_addr = dma, .len = len, .dir = dir,
	};

	return ioctl(fd, EDU_DMA_UNMAP_RESOURCE, &u) ? -errno : 0;
}

void edu_print_info(const char *scenario)
{
	info(scenario,
	     "edu=%s ident=0x%08x scratch_dma=0x%llx scratch_size=%llu max_xfer=%u edu_iommu=%d",
	     edu_info.pci_name, edu_info.edu_ident,
	     edu_info.scratch_dma, edu_info.scratch_size,
	     edu_info.max_xfer, !!(edu_info.flags & EDU_DMA_INFO_IOMMU));
}

/* --- the DMA-API test interface ---------------------------------------- */

int api_ioctl(unsigned long req, void *arg)
{
	return ioctl(api_fd, req, arg) ? -errno : 0;
}

int pages_io(unsigned long req, __u64 off, const void *buf, __u64 len)
{
	struct edu_dma_ram_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return api_ioctl(req, &io);
}

int map_phys(__u64 phys, __u64 len, __u32 dir, __u32 attrs, __u64 *dma)
{
	struct edu_dma_map_phys m = {
		.phys = phys, .len = len, .dir = dir, .attrs = attrs,
	};
	int ret = api_ioctl(EDU_DMA_MAP_PHYS, &m);

	*dma = m.dma_addr;
	return ret;
}

int unmap_phys(__u64 dma, __u64 len, __u32 dir, __u32 attrs)
{
	struct edu_dma_unmap_phys u = {
		.dma_addr = dma, .len = len, .dir = dir, .attrs = attrs,
	};

	return api_ioctl(EDU_DMA_UNMAP_PHYS, &u);
}

int iova_alloc(__u64 phys, __u64 size, bool *used, __u64 *addr)
{
	struct edu_dma_iova_alloc a = { .phys = phys, .size = size };
	int ret = api_ioctl(EDU_DMA_IOVA_ALLOC, &a);

	*used = !ret && a.used;
	*addr = a.addr;
	return ret;
}

int iova_link(__u64 phys, __u64 off, __u64 size, __u32 dir, __u32 attrs)
{
	struct edu_dma_iova_link l = {
		.phys = phys, .offset = off, .size = size, .dir = dir,
		.attrs = attrs,
	};

	return api_ioctl(EDU_DMA_IOVA_LINK, &l);
}

int iova_sync(__u64 off, __u64 size)
{
	struct edu_dma_iova_sync s = { .offset = off, .size = size };

	return api_ioctl(EDU_DMA_IOVA_SYNC, &s);
}

int iova_unlink(__u64 off, __u64 size, __u32 dir, __u32 attrs)
{
	struct edu_dma_iova_unlink u = {
		.offset = off, .size = size, .dir = dir, .attrs = attrs,
	};

	return api_ioctl(EDU_DMA_IOVA_UNLINK, &u);
}

int iova_destroy(__u64 mapped_len, __u32 dir, __u32 attrs)
{
	struct edu_dma_iova_destroy d = {
		.mapped_len = mapped_len, .dir = dir, .attrs = attrs,
	};

	return api_ioctl(EDU_DMA_IOVA_DESTROY, &d);
}

int iova_lookup(__u64 off, __u64 *phys)
{
	struct edu_dma_iova_lookup l = { .offset = off };
	int ret = api_ioctl(EDU_DMA_IOVA_LOOKUP, &l);

	*phys = l.phys;
	return ret;
}

int set_untrusted(__u32 val)
{
	return api_ioctl(EDU_DMA_SET_UNTRUSTED, &val);
}

int edu_tool_start(const char *name, const char *cmd, __u64 *seed)
{
	int ret;

	if (!*seed)
		*seed = run_seed(cmd);
	if (!bufs_alloc()) {
		result(name, false, "out of memory");
		return -ENOMEM;
	}
	ret = edu_open();
	if (ret)
		result(name, false, "%s: errno=%d (%s)", EDU_DMA_DEV_PATH, -ret,
		       strerror(-ret));
	return ret;
}
