// SPDX-License-Identifier: GPL-2.0
/*
 * smoketest - the smoke scenario: edu DMAs RAM -> RAM, and between RAM and
 * the BAR of another device mapped for edu with dma_map_resource(); every
 * byte is checked, with guard bytes around each target.
 *
 *   smoketest smoke BDF [SEED]        the BAR opened through VFIO
 *   smoketest smoke-sysfs BDF [SEED]  the BAR mapped through sysfs (BDF
 *                                     has no driver), where VFIO refuses
 *                                     the IOMMU group edu shares
 *   smoketest vfio-open BDF           open BDF through VFIO and report
 *                                     the errno (vfio_open=N)
 *
 * BDF is the PCI address of QEMU ivshmem-plain, bound to vfio-pci (no
 * driver for smoke-sysfs); its BAR2 is the target. Results are KTAP test
 * cases, one per check, each after its "# NAME: DETAIL" line, and "# info:
 * NAME key=value ..." figures (common.h). SEED 0 or none: derived from the
 * run's seed (BENCH_SEED).
 *
 * The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common.h"
#include "edu.h"
#include "vfio.h"

#define BAR_INDEX	2

struct xcase {
	__u64 src;	/* offset in the source */
	__u64 dst;	/* offset in the destination */
	__u64 len;
};

static bool case_fits(const struct xcase *c, __u64 src_size,
		      __u64 dst_size)
{
	return c->len && c->len <= src_size && c->src <= src_size - c->len &&
	       c->len <= dst_size && c->dst <= dst_size - c->len;
}

static bool smoke_ram(__u64 seed)
{
	static const char *sc = "smoke-ram";
	static const struct xcase cases[] = {
		{ 0, 0x10000, 1 },
		{ 123, 0x20000 + 77, 3 * EDU_DMA_MAX_XFER + 1000 },
		{ 0x8000, 0x30000, 4096 },
		{ 0x9000 + 1, 0x3c000 - 4096 + 1, 8192 + 3 },
	};
	__u64 size = edu_info.scratch_size, dma = edu_info.scratch_dma;
	__u64 total = 0;
	char detail[DETAIL_LEN];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct xcase *c = &cases[i];
		__u64 ds = case_seed(seed, sc, 2 * i);
		__u64 ps = case_seed(seed, sc, 2 * i + 1);
		struct window w;

		if (!case_fits(c, size, size) || c->len + 2 * GUARD > BUF_SIZE) {
			result(sc, false, "case=%u does not fit scratch size %llu",
			       i, size);
			return false;
		}
		w = window_of(c->dst, c->len, size);

		pat_fill(buf_data, c->len, ds, 0);
		ret = ram_write(c->src, buf_data, c->len);
		if (!ret) {
			pat_fill(buf_got, w.len, ps, w.start);
			ret = ram_write(w.start, buf_got, w.len);
		}
		if (ret) {
			result(sc, false, "case=%u RAM_WRITE errno=%d (%s)", i,
			       -ret, strerror(-ret));
			return false;
		}

		ret = edu_copy(dma + c->src, dma + c->dst, c->len);
		if (ret) {
			result(sc, false,
			       "case=%u COPY 0x%llx->0x%llx len=%llu errno=%d (%s)",
			       i, dma + c->src, dma + c->dst, c->len, -ret,
			       strerror(-ret));
			return false;
		}

		ret = ram_read(w.start, buf_got, w.len);
		if (ret) {
			result(sc, false, "case=%u RAM_READ errno=%d (%s)", i,
			       -ret, strerror(-ret));
			return false;
		}
		expect_fill(buf_want, &w, c->len, ds, ps);
		if (!check_window(buf_got, buf_want, w.len, "scratch", w.start,
				  w.pre, c->len, detail)) {
			result(sc, false, "case=%u %s", i, detail);
			return false;
		}
		info(sc, "case=%u src_off=0x%llx dst_off=0x%llx bytes=%llu ok",
		     i, c->src, c->dst, c->len);
		total += c->len;
	}
	result(sc, true, "cases=%u bytes=%llu", i, total);
	return true;
}

static const struct xcase bar_cases[] = {
	/* BAR offset, RAM offset, length */
	{ 0, 0x4000 + 9, 4096 },
	{ 0x2345, 0x4000 + 9, 777 },				/* unaligned */
	{ 0x10000 - 2000, 0x4000 + 9, 3 * EDU_DMA_MAX_XFER + 5 },/* chunks */
	{ UINT64_MAX, 0x4000 + 9, 5000 },			/* BAR end */
};

static struct xcase bar_case(unsigned int i, __u64 bar_size)
{
	struct xcase c = bar_cases[i];

	if (c.src == UINT64_MAX)
		c.src = bar_size > c.len ? bar_size - c.len : 0;
	return c;
}

/* Map the whole BAR for edu in direction @dir; a failure is reported. */
static int bar_map(const char *sc, struct vfio_bar *vb, __u32 dir,
		   __u64 *bdma)
{
	int ret;

	ret = map_resource(edu_fd, vb->phys, vb->size, dir, bdma);
	if (ret) {
		result(sc, false,
		       "MAP_RESOURCE phys=0x%llx len=%llu errno=%d (%s)",
		       vb->phys, vb->size, -ret, strerror(-ret));
		return ret;
	}
	info(sc, "bar_phys=0x%llx bar_size=%llu dma=0x%llx dir=%s",
	     vb->phys, vb->size, *bdma,
	     dir == EDU_DMA_DIR_TO_DEVICE ? "to_device" : "from_device");
	return 0;
}

/* Undo bar_map(); false (and a FAIL line) if the unmap failed. */
static bool bar_unmap(const char *sc, struct vfio_bar *vb, __u32 dir,
		      __u64 bdma)
{
	int ret;

	ret = unmap_resource(edu_fd, bdma, vb->size, dir);
	if (ret)
		result(sc, false, "UNMAP_RESOURCE dma=0x%llx errno=%d (%s)",
		       bdma, -ret, strerror(-ret));
	return !ret;
}

/* BAR -> RAM: edu reads the BAR through the mapping */
static bool smoke_bar_read(struct vfio_bar *vb, __u64 seed)
{
	static const char *sc = "smoke-bar-read";
	__u64 size = edu_info.scratch_size, sdma = edu_info.scratch_dma;
	__u8 *bar = vb->map;
	char detail[DETAIL_LEN];
	__u64 bdma, total = 0;
	unsigned int i;
	bool ok = false;
	int ret;

	if (bar_map(sc, vb, EDU_DMA_DIR_TO_DEVICE, &bdma))
		return false;

	for (i = 0; i < ARRAY_SIZE(bar_cases); i++) {
		struct xcase c = bar_case(i, vb->size);
		__u64 ds = case_seed(seed, sc, 2 * i);
		__u64 ps = case_seed(seed, sc, 2 * i + 1);
		struct window w;

		if (!case_fits(&c, vb->size, size) ||
		    c.len + 2 * GUARD > BUF_SIZE) {
			result(sc, false, "case=%u does not fit BAR size %llu",
			       i, vb->size);
			goto out;
		}
		w = window_of(c.dst, c.len, size);

		/* the source, written and checked through the VFIO mmap */
		pat_fill(buf_data, c.len, ds, 0);
		memcpy(bar + c.src, buf_data, c.len);
		memcpy(buf_got, bar + c.src, c.len);
		if (!check_window(buf_got, buf_data, c.len, "bar", c.src, 0,
				  c.len, detail)) {
			result(sc, false, "case=%u BAR mmap readback %s", i,
			       detail);
			goto out;
		}

		pat_fill(buf_got, w.len, ps, w.start);
		ret = ram_write(w.start, buf_got, w.len);
		if (ret) {
			result(sc, false, "case=%u RAM_WRITE errno=%d (%s)", i,
			       -ret, strerror(-ret));
			goto out;
		}

		ret = edu_copy(bdma + c.src, sdma + c.dst, c.len);
		if (ret) {
			result(sc, false,
			       "case=%u COPY bar+0x%llx->scratch+0x%llx len=%llu errno=%d (%s)",
			       i, c.src, c.dst, c.len, -ret, strerror(-ret));
			goto out;
		}

		ret = ram_read(w.start, buf_got, w.len);
		if (ret) {
			result(sc, false, "case=%u RAM_READ errno=%d (%s)", i,
			       -ret, strerror(-ret));
			goto out;
		}
		expect_fill(buf_want, &w, c.len, ds, ps);
		if (!check_window(buf_got, buf_want, w.len, "scratch", w.start,
				  w.pre, c.len, detail)) {
			result(sc, false, "case=%u bar_off=0x%llx %s", i,
			       c.src, detail);
			goto out;
		}
		info(sc, "case=%u bar_off=0x%llx ram_off=0x%llx bytes=%llu ok",
		     i, c.src, c.dst, c.len);
		total += c.len;
	}
	result(sc, true, "cases=%u bytes=%llu dma=0x%llx", i, total,
	       bdma);
	ok = true;
out:
	return bar_unmap(sc, vb, EDU_DMA_DIR_TO_DEVICE, bdma) && ok;
}

/* RAM -> BAR: edu writes the BAR through the mapping */
static bool smoke_bar_write(struct vfio_bar *vb, __u64 seed)
{
	static const char *sc = "smoke-bar-write";
	__u64 size = edu_info.scratch_size, sdma = edu_info.scratch_dma;
	__u8 *bar = vb->map;
	char detail[DETAIL_LEN];
	__u64 bdma, total = 0;
	unsigned int i;
	bool ok = false;
	int ret;

	if (bar_map(sc, vb, EDU_DMA_DIR_FROM_DEVICE, &bdma))
		return false;

	for (i = 0; i < ARRAY_SIZE(bar_cases); i++) {
		struct xcase bc = bar_case(i, vb->size);
		/* here the RAM is the source and the BAR the destination */
		struct xcase c = { .src = bc.dst, .dst = bc.src, .len = bc.len };
		__u64 ds = case_seed(seed, sc, 2 * i);
		__u64 ps = case_seed(seed, sc, 2 * i + 1);
		struct window w;

		if (!case_fits(&c, size, vb->size) ||
		    c.len + 2 * GUARD > BUF_SIZE) {
			result(sc, false, "case=%u does not fit BAR size %llu",
			       i, vb->size);
			goto out;
		}
		w = window_of(c.dst, c.len, vb->size);

		pat_fill(buf_data, c.len, ds, 0);
		ret = ram_write(c.src, buf_data, c.len);
		if (ret) {
			result(sc, false, "case=%u RAM_WRITE errno=%d (%s)", i,
			       -ret, strerror(-ret));
			goto out;
		}

		/* poison the destination and its guards through the mmap */
		pat_fill(buf_want, w.len, ps, w.start);
		memcpy(bar + w.start, buf_want, w.len);

		ret = edu_copy(sdma + c.src, bdma + c.dst, c.len);
		if (ret) {
			result(sc, false,
			       "case=%u COPY scratch+0x%llx->bar+0x%llx len=%llu errno=%d (%s)",
			       i, c.src, c.dst, c.len, -ret, strerror(-ret));
			goto out;
		}

		memcpy(buf_got, bar + w.start, w.len);
		expect_fill(buf_want, &w, c.len, ds, ps);
		if (!check_window(buf_got, buf_want, w.len, "bar", w.start,
				  w.pre, c.len, detail)) {
			result(sc, false, "case=%u bar_off=0x%llx %s", i,
			       c.dst, detail);
			goto out;
		}
		info(sc, "case=%u ram_off=0x%llx bar_off=0x%llx bytes=%llu ok",
		     i, c.src, c.dst, c.len);
		total += c.len;
	}
	result(sc, true, "cases=%u bytes=%llu dma=0x%llx", i, total,
	       bdma);
	ok = true;
out:
	return bar_unmap(sc, vb, EDU_DMA_DIR_FROM_DEVICE, bdma) && ok;
}

static int cmd_smoke(const char *bdf, __u64 seed, bool sysfs)
{
	char err[DETAIL_LEN];
	struct vfio_bar vb;
	int ret;

	info("smoke", "seed=0x%llx", seed);
	edu_print_info("smoke");
	smoke_ram(seed);

	if (sysfs)
		ret = sysfs_bar_open(&vb, bdf, BAR_INDEX, err, sizeof(err));
	else
		ret = vfio_bar_open(&vb, bdf, BAR_INDEX, err, sizeof(err));
	if (ret) {
		result("smoke-bar-read", false, "vfio: %s", err);
		result("smoke-bar-write", false, "vfio: %s", err);
		return 1;
	}
	info("smoke",
	     "bdf=%s mode=%s group=%d bar=%u bar_phys=0x%llx bar_size=%llu",
	     vb.bdf, vb.sysfs ? "sysfs" : vb.noiommu ? "noiommu" : "iommu",
	     vb.group_id, vb.bar,
	     vb.phys, vb.size);

	smoke_bar_read(&vb, seed);
	smoke_bar_write(&vb, seed);
	vfio_bar_close(&vb);
	return failures ? 1 : 0;
}

/*
 * Open BDF through VFIO and report the errno as "vfio_open=<errno>" (0 on
 * success), for scenarios that expect VFIO to refuse.
 */
static int cmd_vfio_open(const char *bdf)
{
	char err[DETAIL_LEN];
	struct vfio_bar vb;
	int ret;

	ret = vfio_bar_open(&vb, bdf, BAR_INDEX, err, sizeof(err));
	info("vfio-open", "bdf=%s vfio_open=%d err=\"%s\"", bdf, -ret, err);
	if (!ret)
		vfio_bar_close(&vb);
	return ret ? 1 : 0;
}

/* --- main -------------------------------------------------------------- */

static void print_usage(void)
{
	fprintf(stderr,
		"usage: smoketest smoke BDF [SEED]\n"
		"       smoketest smoke-sysfs BDF [SEED]\n"
		"       smoketest vfio-open BDF\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *sc = cmd;
	__u64 seed;
	bool smoke;

	if (!strcmp(cmd, "smoke") || !strcmp(cmd, "smoke-sysfs")) {
		if (argc < 3 || argc > 4) {
			print_usage();
			return 2;
		}
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	} else if (!strcmp(cmd, "vfio-open") && argc == 3) {
		seed = 0;
	} else {
		print_usage();
		return 2;
	}
	/* a smoke run without edu fails each of its three checks */
	smoke = !strncmp(cmd, "smoke", 5);
	if (edu_tool_start(smoke ? "smoke-ram" : sc, cmd, &seed)) {
		if (smoke) {
			result("smoke-bar-read", false, "%s unavailable",
			       EDU_DMA_DEV_PATH);
			result("smoke-bar-write", false, "%s unavailable",
			       EDU_DMA_DEV_PATH);
		}
		return 1;
	}

	if (!strcmp(cmd, "smoke"))
		return cmd_smoke(argv[2], seed, false);
	if (!strcmp(cmd, "smoke-sysfs"))
		return cmd_smoke(argv[2], seed, true);
	return cmd_vfio_open(argv[2]);
}
