// SPDX-License-Identifier: GPL-2.0
/*
 * importertest - the importer scenario: the edu_dma test importer's own
 * interface. Bad input gets clean errnos, mappings are tracked per file and
 * undone on close, and a file that is busy when edu is unbound gets ENODEV.
 *
 *   importertest uapi [BDF [SEED]]  ioctl error handling, one raw transfer
 *                                   each way, and (with BDF) the mapping
 *                                   bookkeeping on BAR2 of BDF
 *   importertest hold BDF           map the BAR, set up DMA-API state, run
 *                                   a long COPY (for unbind tests), report
 *                                   what the driver answered
 *   importertest info               show what edu_dma reports
 *   importertest xfer ADDR LEN to-edu|from-edu
 *                                   one raw edu transfer (IOMMU fault tests)
 *
 * BDF is the PCI address of QEMU ivshmem-plain; its BAR2 is mapped by its
 * physical address, so no driver needs to own it. Results are KTAP test
 * cases, one per check, each after its "# NAME: DETAIL" line, and "# info:
 * NAME key=value ..." figures (common.h). SEED 0 or none: derived from the
 * run's seed (BENCH_SEED).
 *
 * The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "common.h"
#include "edu.h"
#include "vfio.h"

#define BAR_INDEX	2

/* --- uapi -------------------------------------------------------------- */

static void uapi_errors(void)
{
	struct expect e = { .sc = "uapi-errors" };
	__u64 size = edu_info.scratch_size, sdma = edu_info.scratch_dma;
	struct edu_dma_map_resource m;
	struct edu_dma_xfer x;
	__u8 byte = 0;
	__u64 dma;

	expect_ret(&e, "RAM_WRITE len=0", ram_write(0, &byte, 0), 0);
	expect_ret(&e, "RAM_WRITE at end", ram_write(size - 1, &byte, 1), 0);
	expect_ret(&e, "RAM_WRITE past end", ram_write(size, &byte, 1),
		   EINVAL);
	expect_ret(&e, "RAM_WRITE offset past end",
		   ram_write(size + 1, &byte, 0), EINVAL);
	expect_ret(&e, "RAM_READ len wraps", ram_read(16, &byte, UINT64_MAX),
		   EINVAL);
	expect_ret(&e, "RAM_READ bad pointer", ram_read(0, (void *)8, 16),
		   EFAULT);
	expect_ret(&e, "RAM_WRITE bad pointer", ram_write(0, (void *)8, 16),
		   EFAULT);

	expect_ret(&e, "COPY len=0", edu_copy(sdma, sdma + 4096, 0), EINVAL);
	expect_ret(&e, "COPY src wraps", edu_copy(UINT64_MAX - 10, sdma, 100),
		   EINVAL);
	expect_ret(&e, "COPY dst wraps", edu_copy(sdma, UINT64_MAX, 2),
		   EINVAL);

	expect_ret(&e, "XFER len=0", edu_xfer(sdma, 0, EDU_DMA_XFER_TO_EDU),
		   EINVAL);
	expect_ret(&e, "XFER len=4096", edu_xfer(sdma, 4096,
						 EDU_DMA_XFER_TO_EDU), EINVAL);
	expect_ret(&e, "XFER dir=2", edu_xfer(sdma, 16, 2), EINVAL);
	x = (struct edu_dma_xfer){ .addr = sdma, .len = 16, .flags = 1 };
	expect_ret(&e, "XFER flags=1", edu_ioctl(EDU_DMA_XFER, &x), EINVAL);
	x = (struct edu_dma_xfer){ .addr = sdma, .len = 16, .reserved = 1 };
	expect_ret(&e, "XFER reserved=1", edu_ioctl(EDU_DMA_XFER, &x), EINVAL);

	expect_ret(&e, "MAP_RESOURCE len=0",
		   map_resource(edu_fd, 0xfe000000ULL, 0, 0, &dma), EINVAL);
	expect_ret(&e, "MAP_RESOURCE dir=3",
		   map_resource(edu_fd, 0xfe000000ULL, 4096, 3, &dma), EINVAL);
	m = (struct edu_dma_map_resource){
		.phys = 0xfe000000ULL, .len = 4096, .flags = 1,
	};
	expect_ret(&e, "MAP_RESOURCE flags=1",
		   edu_ioctl(EDU_DMA_MAP_RESOURCE, &m), EINVAL);
	expect_ret(&e, "MAP_RESOURCE RAM at 1 MiB",
		   map_resource(edu_fd, 0x100000, 4096, 0, &dma), EINVAL);
	expect_ret(&e, "MAP_RESOURCE wraps",
		   map_resource(edu_fd, UINT64_MAX - 4095, 8192, 0, &dma),
		   EINVAL);
	expect_ret(&e, "MAP_RESOURCE phys=~0",
		   map_resource(edu_fd, UINT64_MAX, 1, 0, &dma), EINVAL);
	expect_ret(&e, "MAP_RESOURCE beyond physical address space",
		   map_resource(edu_fd, 1ULL << 62, 4096, 0, &dma), EINVAL);
	expect_ret(&e, "MAP_RESOURCE bad pointer",
		   edu_ioctl(EDU_DMA_MAP_RESOURCE, (void *)8), EFAULT);

	expect_ret(&e, "UNMAP_RESOURCE unknown",
		   unmap_resource(edu_fd, 0x1234000, 4096, 0), ENOENT);
	expect_ret(&e, "UNMAP_RESOURCE dir=3",
		   unmap_resource(edu_fd, 0x1234000, 4096, 3), EINVAL);
	expect_ret(&e, "unknown ioctl",
		   edu_ioctl(_IO(EDU_DMA_IOC_MAGIC, 0x7f), NULL), ENOTTY);

	result(e.sc, !e.failed, "%s", e.failed ? e.detail : "all errors clean");
	info(e.sc, "checks=%d", e.checks);
}

/* one raw transfer each way through edu's buffer */
static void uapi_xfer(__u64 seed)
{
	static const char *sc = "uapi-xfer";
	const __u64 src = 0x1000 + 5, dst = 0x9000 + 3;
	__u64 sdma = edu_info.scratch_dma;
	__u64 ds = case_seed(seed, sc, 0), ps = case_seed(seed, sc, 1);
	const __u32 len = EDU_DMA_MAX_XFER;
	char detail[DETAIL_LEN];
	struct window w;
	int ret;

	w = window_of(dst, len, edu_info.scratch_size);
	pat_fill(buf_data, len, ds, 0);
	ret = ram_write(src, buf_data, len);
	if (!ret) {
		pat_fill(buf_got, w.len, ps, w.start);
		ret = ram_write(w.start, buf_got, w.len);
	}
	if (!ret)
		ret = edu_xfer(sdma + src, len, EDU_DMA_XFER_TO_EDU);
	if (!ret)
		ret = edu_xfer(sdma + dst, len, EDU_DMA_XFER_FROM_EDU);
	if (!ret)
		ret = ram_read(w.start, buf_got, w.len);
	if (ret) {
		result(sc, false, "errno=%d (%s)", -ret, strerror(-ret));
		return;
	}
	expect_fill(buf_want, &w, len, ds, ps);
	if (!check_window(buf_got, buf_want, w.len, "scratch", w.start, w.pre,
			  len, detail)) {
		result(sc, false, "%s", detail);
		return;
	}
	result(sc, true, "bytes=%u", len);
}

/* mapping bookkeeping: duplicates, limits, cleanup on close */
static void uapi_maps(const char *bdf)
{
	struct expect e = { .sc = "uapi-maps" };
	__u64 phys, size, dma, dma2, dma3;
	char nbdf[32];
	int ret, fd2, i;

	ret = pci_bdf_normalize(bdf, nbdf, sizeof(nbdf));
	if (!ret)
		ret = pci_bar_resource(nbdf, BAR_INDEX, &phys, &size);
	if (ret) {
		result(e.sc, false, "BAR%d of %s: errno=%d (%s)", BAR_INDEX,
		       bdf, -ret, strerror(-ret));
		return;
	}
	info(e.sc, "bar_phys=0x%llx bar_size=%llu", phys, size);

	ret = map_resource(edu_fd, phys, size, EDU_DMA_DIR_FROM_DEVICE, &dma);
	expect_ret(&e, "map from_device", ret, 0);
	ret = map_resource(edu_fd, phys, size, EDU_DMA_DIR_FROM_DEVICE, &dma2);
	expect_ret(&e, "map from_device again", ret, EBUSY);
	ret = map_resource(edu_fd, phys, 4096, EDU_DMA_DIR_BIDIRECTIONAL,
			   &dma2);
	expect_ret(&e, "map bidirectional same start", ret, EBUSY);
	ret = map_resource(edu_fd, phys + 4096, 4096, EDU_DMA_DIR_FROM_DEVICE,
			   &dma2);
	expect_ret(&e, "map from_device other line", ret, 0);
	ret = map_resource(edu_fd, phys, 4096, EDU_DMA_DIR_TO_DEVICE, &dma3);
	expect_ret(&e, "map to_device", ret, 0);
	ret = map_resource(edu_fd, phys, 4096, EDU_DMA_DIR_TO_DEVICE, &dma3);
	expect_ret(&e, "map to_device again", ret, 0);
	ret = unmap_resource(edu_fd, dma, size, EDU_DMA_DIR_TO_DEVICE);
	expect_ret(&e, "unmap with wrong dir", ret, ENOENT);
	ret = unmap_resource(edu_fd, dma, 4096, EDU_DMA_DIR_FROM_DEVICE);
	expect_ret(&e, "unmap with wrong len", ret, ENOENT);
	ret = unmap_resource(edu_fd, dma, size, EDU_DMA_DIR_FROM_DEVICE);
	expect_ret(&e, "unmap", ret, 0);
	ret = unmap_resource(edu_fd, dma, size, EDU_DMA_DIR_FROM_DEVICE);
	expect_ret(&e, "unmap again", ret, ENOENT);

	/* fill the per-file table; the rest stays mapped until close */
	for (i = 0; i < 100; i++) {
		ret = map_resource(edu_fd, phys + 8192, 4096,
				   EDU_DMA_DIR_TO_DEVICE, &dma3);
		if (ret)
			break;
	}
	expect_ret(&e, "mapping table full", ret, ENOSPC);
	info(e.sc, "maps_per_fd=%d", i + 3);
	expect_ret(&e, "table size", i + 3 == EDU_DMA_MAX_MAPS ? 0 : -ERANGE,
		   0);
	ret = unmap_resource(edu_fd, dma3, 4096, EDU_DMA_DIR_TO_DEVICE);
	expect_ret(&e, "unmap one to make room", ret, 0);

	/* a second file: its mappings go away when it is closed */
	fd2 = open(EDU_DMA_DEV_PATH, O_RDWR);
	if (fd2 < 0) {
		expect_ret(&e, "open second fd", -errno, 0);
	} else {
		ret = map_resource(fd2, phys, size, EDU_DMA_DIR_FROM_DEVICE,
				   &dma);
		expect_ret(&e, "second fd: map from_device", ret, 0);
		ret = map_resource(edu_fd, phys, 64, EDU_DMA_DIR_BIDIRECTIONAL,
				   &dma3);
		expect_ret(&e, "first fd: line busy in second fd", ret, EBUSY);
		ret = map_resource(fd2, phys + 64, 64,
				   EDU_DMA_DIR_BIDIRECTIONAL, &dma2);
		expect_ret(&e, "second fd: map bidirectional", ret, 0);
		close(fd2);
	}
	ret = map_resource(edu_fd, phys, size, EDU_DMA_DIR_FROM_DEVICE, &dma);
	expect_ret(&e, "map after other fd closed", ret, 0);
	ret = unmap_resource(edu_fd, dma2, 64, EDU_DMA_DIR_BIDIRECTIONAL);
	expect_ret(&e, "unmap second fd's mapping", ret, ENOENT);

	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "mappings tracked per file, cleaned up on close");
	info(e.sc, "checks=%d", e.checks);
}

static int cmd_uapi(const char *bdf, __u64 seed)
{
	info("uapi", "seed=0x%llx", seed);
	edu_print_info("uapi");
	uapi_errors();
	uapi_xfer(seed);
	if (bdf)
		uapi_maps(bdf);
	return failures ? 1 : 0;
}

/* --- hold -------------------------------------------------------------- */

/*
 * An IOVA range with MMIO and RAM links (when edu is behind dma-iommu),
 * a dma_map_phys() mapping of RAM and edu marked untrusted, on edu_fd.
 */
static int hold_phys_api(__u64 bar)
{
	struct edu_dma_pages pg;
	__u64 addr, dma;
	bool used;
	int ret;

	api_fd = edu_fd;
	ret = api_ioctl(EDU_DMA_PAGES, &pg);
	if (!ret)
		ret = iova_alloc(bar, 3 * GRANULE, &used, &addr);
	if (!ret && used)
		ret = iova_link(bar, 0, GRANULE, DIR_TO, ATTR_MMIO);
	if (!ret && used)
		ret = iova_link(pg.phys, GRANULE, 2 * GRANULE, DIR_BIDI, 0);
	if (!ret)
		ret = map_phys(pg.phys + 4 * GRANULE, 64, DIR_FROM, 0, &dma);
	if (!ret)
		ret = set_untrusted(EDU_DMA_UNTRUSTED);
	api_fd = -1;
	return ret;
}

/*
 * Keep mappings and a long COPY going, for unbind/rmmod tests run from a
 * script in parallel. Reports what the driver answered.
 */
static int cmd_hold(const char *bdf)
{
	static const char *sc = "hold";
	__u64 half = edu_info.scratch_size / 2, sdma = edu_info.scratch_dma;
	__u64 phys, size, dma;
	char nbdf[32];
	int ret;

	ret = pci_bdf_normalize(bdf, nbdf, sizeof(nbdf));
	if (!ret)
		ret = pci_bar_resource(nbdf, BAR_INDEX, &phys, &size);
	if (!ret)
		ret = map_resource(edu_fd, phys, size, EDU_DMA_DIR_FROM_DEVICE,
				   &dma);
	info(sc, "map=%d", ret);
	if (!ret) {
		ret = map_resource(edu_fd, phys, size, EDU_DMA_DIR_TO_DEVICE,
				   &dma);
		info(sc, "map2=%d", ret);
	}
	/* and all kinds of dma-api state, for unbind to undo */
	if (!ret && (edu_info.flags & EDU_DMA_INFO_PHYS_API))
		info(sc, "phys_api=%d", hold_phys_api(phys));
	ret = edu_copy(sdma, sdma + half, half);
	info(sc, "copy=%d", ret);
	ret = edu_ioctl(EDU_DMA_INFO, &edu_info);
	info(sc, "info=%d", ret);
	return 0;
}

/* --- xfer -------------------------------------------------------------- */

static void print_usage(void)
{
	fprintf(stderr,
		"usage: importertest uapi [BDF [SEED]]\n"
		"       importertest hold BDF\n"
		"       importertest info\n"
		"       importertest xfer ADDR LEN to-edu|from-edu\n");
}

/* one raw transfer, e.g. to provoke an IOMMU fault; prints the result */
static int cmd_xfer(const char *addr, const char *len, const char *dir)
{
	__u64 a = strtoull(addr, NULL, 0);
	__u32 l = strtoul(len, NULL, 0);
	__u32 d;
	int ret;

	if (!strcmp(dir, "to-edu")) {
		d = EDU_DMA_XFER_TO_EDU;
	} else if (!strcmp(dir, "from-edu")) {
		d = EDU_DMA_XFER_FROM_EDU;
	} else {
		print_usage();
		return 2;
	}
	ret = edu_xfer(a, l, d);
	info("xfer", "addr=0x%llx len=%u dir=%s ret=%d", a, l, dir, ret);
	return ret ? 1 : 0;
}

/* --- main -------------------------------------------------------------- */

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *sc = cmd;
	__u64 seed;

	if (!strcmp(cmd, "uapi")) {
		if (argc > 4) {
			print_usage();
			return 2;
		}
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	} else if ((!strcmp(cmd, "hold") && argc == 3) ||
		   (!strcmp(cmd, "xfer") && argc == 5)) {
		seed = 0;
	} else if (!strcmp(cmd, "info") && argc == 2) {
		seed = 0;
	} else {
		print_usage();
		return 2;
	}
	if (edu_tool_start(sc, cmd, &seed))
		return 1;

	if (!strcmp(cmd, "uapi"))
		return cmd_uapi(argc > 2 ? argv[2] : NULL, seed);
	if (!strcmp(cmd, "hold"))
		return cmd_hold(argv[2]);
	if (!strcmp(cmd, "xfer"))
		return cmd_xfer(argv[2], argv[3], argv[4]);
	edu_print_info("info");
	return 0;
}
