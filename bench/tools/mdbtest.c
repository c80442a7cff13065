// SPDX-License-Identifier: GPL-2.0
/*
 * mdbtest - user side of the mmio-dmabuf QEMU bench
 *
 * Drives the edu_dma test importer (/dev/edu_dma) and a PCI BAR opened
 * through VFIO, and checks every transfer byte for byte.
 *
 *   mdbtest info                  show what edu_dma reports
 *   mdbtest smoke BDF [SEED]      RAM->RAM, BAR->RAM, RAM->BAR through edu
 *   mdbtest uapi [BDF [SEED]]     edu_dma ioctl error handling and XFER
 *   mdbtest hold BDF              map the BAR, run a long COPY (for unbind
 *                                 tests), report what the driver answered
 *   mdbtest xfer ADDR LEN to-edu|from-edu
 *                                 one raw edu transfer (IOMMU fault tests)
 *
 * BDF is the PCI address of a device bound to vfio-pci whose BAR2 is
 * exported (QEMU ivshmem-plain). Results are printed one per line:
 *
 *   BENCH-RESULT <scenario> PASS|FAIL <detail>
 *   BENCH-INFO <scenario> key=value ...
 *
 * The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "edu_dma.h"
#include "vfio.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BAR_INDEX	2
#define GUARD		64	/* bytes checked on each side of a target */
#define DETAIL_LEN	512

static int failures;
static int edu_fd = -1;
static struct edu_dma_info edu_info;

/* --- output ------------------------------------------------------------ */

static void result(const char *scenario, bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("BENCH-RESULT %s %s ", scenario, pass ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!pass)
		failures++;
}

static void info(const char *scenario, const char *fmt, ...)
{
	va_list ap;

	printf("BENCH-INFO %s ", scenario);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* --- patterns ---------------------------------------------------------- */

static __u64 mix64(__u64 x)
{
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* byte @pos of the pattern @seed: every byte depends on its position */
static __u8 pat_byte(__u64 seed, __u64 pos)
{
	return mix64(seed ^ (pos * 0x9e3779b97f4a7c15ULL)) >> 56;
}

static void pat_fill(__u8 *buf, __u64 len, __u64 seed, __u64 pos)
{
	__u64 i;

	for (i = 0; i < len; i++)
		buf[i] = pat_byte(seed, pos + i);
}

static __u64 case_seed(__u64 base, const char *scenario, int n)
{
	__u64 h = base;

	while (*scenario)
		h = mix64(h ^ (__u8)*scenario++);
	return mix64(h + (__u64)n);
}

/*
 * Compare @got with @want; on mismatch describe the first bad byte in
 * @detail. @base is the target offset of byte 0, @data_start and
 * @data_len locate the copied bytes inside the window (the rest are
 * guard bytes that must be unchanged).
 */
static bool check_window(const __u8 *got, const __u8 *want, __u64 n,
			 const char *what, __u64 base, __u64 data_start,
			 __u64 data_len, char *detail)
{
	__u64 i, bad = 0, first = 0;

	for (i = 0; i < n; i++) {
		if (got[i] == want[i])
			continue;
		if (!bad++)
			first = i;
	}
	if (!bad)
		return true;

	if (first < data_start || first >= data_start + data_len)
		snprintf(detail, DETAIL_LEN,
			 "guard byte overwritten at %s+0x%llx got=0x%02x want=0x%02x bad_bytes=%llu",
			 what, base + first, got[first], want[first], bad);
	else
		snprintf(detail, DETAIL_LEN,
			 "mismatch at %s+0x%llx (copy offset %llu) got=0x%02x want=0x%02x bad_bytes=%llu",
			 what, base + first, first - data_start, got[first],
			 want[first], bad);
	return false;
}

/* --- edu_dma ----------------------------------------------------------- */

static int edu_ioctl(unsigned long req, void *arg)
{
	return ioctl(edu_fd, req, arg) ? -errno : 0;
}

static int ram_write(__u64 off, const void *buf, __u64 len)
{
	struct edu_dma_ram_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return edu_ioctl(EDU_DMA_RAM_WRITE, &io);
}

static int ram_read(__u64 off, void *buf, __u64 len)
{
	struct edu_dma_ram_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return edu_ioctl(EDU_DMA_RAM_READ, &io);
}

static int edu_copy(__u64 src, __u64 dst, __u64 len)
{
	struct edu_dma_copy c = { .src = src, .dst = dst, .len = len };

	return edu_ioctl(EDU_DMA_COPY, &c);
}

static int edu_xfer(__u64 addr, __u32 len, __u32 dir)
{
	struct edu_dma_xfer x = { .addr = addr, .len = len, .dir = dir };

	return edu_ioctl(EDU_DMA_XFER, &x);
}

static int map_resource(int fd, __u64 phys, __u64 len, __u32 dir,
			__u64 *dma)
{
	struct edu_dma_map_resource m = {
		.phys = phys, .len = len, .dir = dir,
	};

	if (ioctl(fd, EDU_DMA_MAP_RESOURCE, &m))
		return -errno;
	*dma = m.dma_addr;
	return 0;
}

static int unmap_resource(int fd, __u64 dma, __u64 len, __u32 dir)
{
	struct edu_dma_unmap_resource u = {
		.dma_addr = dma, .len = len, .dir = dir,
	};

	return ioctl(fd, EDU_DMA_UNMAP_RESOURCE, &u) ? -errno : 0;
}

static int edu_open(void)
{
	edu_fd = open(EDU_DMA_DEV_PATH, O_RDWR);
	if (edu_fd < 0)
		return -errno;
	return edu_ioctl(EDU_DMA_INFO, &edu_info);
}

static void edu_print_info(const char *scenario)
{
	info(scenario,
	     "edu=%s ident=0x%08x scratch_dma=0x%llx scratch_size=%llu max_xfer=%u edu_iommu=%d",
	     edu_info.pci_name, edu_info.edu_ident,
	     edu_info.scratch_dma, edu_info.scratch_size,
	     edu_info.max_xfer, !!(edu_info.flags & EDU_DMA_INFO_IOMMU));
}

/* --- smoke ------------------------------------------------------------- */

struct xcase {
	__u64 src;	/* offset in the source */
	__u64 dst;	/* offset in the destination */
	__u64 len;
};

/* a window around [off, off + len) in a target of @size bytes */
struct window {
	__u64 start;	/* target offset of the window */
	__u64 pre;	/* guard bytes before the data */
	__u64 len;	/* whole window */
};

static struct window window_of(__u64 off, __u64 len, __u64 size)
{
	struct window w;
	__u64 post;

	w.pre = off < GUARD ? off : GUARD;
	post = size - off - len < GUARD ? size - off - len : GUARD;
	w.start = off - w.pre;
	w.len = w.pre + len + post;
	return w;
}

/*
 * Expected window content: guard bytes carry the poison pattern at their
 * target offset, data bytes the data pattern at their copy offset.
 */
static void expect_fill(__u8 *buf, const struct window *w, __u64 len,
			__u64 data_seed, __u64 poison_seed)
{
	pat_fill(buf, w->len, poison_seed, w->start);
	pat_fill(buf + w->pre, len, data_seed, 0);
}

static bool case_fits(const struct xcase *c, __u64 src_size,
		      __u64 dst_size)
{
	return c->len && c->len <= src_size && c->src <= src_size - c->len &&
	       c->len <= dst_size && c->dst <= dst_size - c->len;
}

/* buffers big enough for any case window */
static __u8 *buf_data, *buf_want, *buf_got;
#define BUF_SIZE	(64 * 1024)

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

	ret = map_resource(edu_fd, vb->phys, vb->size, EDU_DMA_DIR_TO_DEVICE,
			   &bdma);
	if (ret) {
		result(sc, false,
		       "MAP_RESOURCE phys=0x%llx len=%llu errno=%d (%s)",
		       vb->phys, vb->size, -ret, strerror(-ret));
		return false;
	}
	info(sc, "bar_phys=0x%llx bar_size=%llu dma=0x%llx dir=to_device",
	     vb->phys, vb->size, bdma);

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
	ret = unmap_resource(edu_fd, bdma, vb->size, EDU_DMA_DIR_TO_DEVICE);
	if (ret) {
		result(sc, false, "UNMAP_RESOURCE dma=0x%llx errno=%d (%s)",
		       bdma, -ret, strerror(-ret));
		ok = false;
	}
	return ok;
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

	ret = map_resource(edu_fd, vb->phys, vb->size, EDU_DMA_DIR_FROM_DEVICE,
			   &bdma);
	if (ret) {
		result(sc, false,
		       "MAP_RESOURCE phys=0x%llx len=%llu errno=%d (%s)",
		       vb->phys, vb->size, -ret, strerror(-ret));
		return false;
	}
	info(sc, "bar_phys=0x%llx bar_size=%llu dma=0x%llx dir=from_device",
	     vb->phys, vb->size, bdma);

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
	ret = unmap_resource(edu_fd, bdma, vb->size,
			     EDU_DMA_DIR_FROM_DEVICE);
	if (ret) {
		result(sc, false, "UNMAP_RESOURCE dma=0x%llx errno=%d (%s)",
		       bdma, -ret, strerror(-ret));
		ok = false;
	}
	return ok;
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

/* --- uapi -------------------------------------------------------------- */

struct expect {
	const char *sc;
	char detail[DETAIL_LEN];
	int checks;
	bool failed;
};

static void expect_ret(struct expect *e, const char *what, int ret, int want)
{
	e->checks++;
	if (ret == -want || e->failed)
		return;
	e->failed = true;
	snprintf(e->detail, sizeof(e->detail), "%s: got %d (%s) want %d (%s)",
		 what, ret, ret ? strerror(-ret) : "success", -want,
		 want ? strerror(want) : "success");
}

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
	ret = edu_copy(sdma, sdma + half, half);
	info(sc, "copy=%d", ret);
	ret = edu_ioctl(EDU_DMA_INFO, &edu_info);
	info(sc, "info=%d", ret);
	return 0;
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

static void print_usage(void)
{
	fprintf(stderr,
		"usage: mdbtest info\n       mdbtest smoke BDF [SEED]\n"
		"       mdbtest smoke-sysfs BDF [SEED]\n"
		"       mdbtest vfio-open BDF\n"
		"       mdbtest uapi [BDF [SEED]]\n"
		"       mdbtest hold BDF\n"
		"       mdbtest xfer ADDR LEN to-edu|from-edu\n");
}

/* --- xfer -------------------------------------------------------------- */

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
	int ret;

	if (!strcmp(cmd, "smoke") || !strcmp(cmd, "smoke-sysfs")) {
		if (argc < 3 || argc > 4) {
			print_usage();
			return 2;
		}
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	} else if (!strcmp(cmd, "uapi")) {
		if (argc > 4) {
			print_usage();
			return 2;
		}
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	} else if ((!strcmp(cmd, "hold") && argc == 3) ||
		   (!strcmp(cmd, "vfio-open") && argc == 3) ||
		   (!strcmp(cmd, "xfer") && argc == 5)) {
		seed = 0;
	} else if (!strcmp(cmd, "info") && argc == 2) {
		seed = 0;
	} else {
		print_usage();
		return 2;
	}
	if (!seed)
		seed = mix64((__u64)time(NULL) ^ ((__u64)getpid() << 32));

	buf_data = malloc(BUF_SIZE);
	buf_want = malloc(BUF_SIZE);
	buf_got = malloc(BUF_SIZE);
	if (!buf_data || !buf_want || !buf_got) {
		result(sc, false, "out of memory");
		return 1;
	}

	ret = edu_open();
	if (ret) {
		if (!strncmp(cmd, "smoke", 5)) {
			result("smoke-ram", false, "%s: errno=%d (%s)",
			       EDU_DMA_DEV_PATH, -ret, strerror(-ret));
			result("smoke-bar-read", false, "%s unavailable",
			       EDU_DMA_DEV_PATH);
			result("smoke-bar-write", false, "%s unavailable",
			       EDU_DMA_DEV_PATH);
		} else {
			result(sc, false, "%s: errno=%d (%s)", EDU_DMA_DEV_PATH,
			       -ret, strerror(-ret));
		}
		return 1;
	}

	if (!strcmp(cmd, "smoke"))
		return cmd_smoke(argv[2], seed, false);
	if (!strcmp(cmd, "smoke-sysfs"))
		return cmd_smoke(argv[2], seed, true);
	if (!strcmp(cmd, "vfio-open"))
		return cmd_vfio_open(argv[2]);
	if (!strcmp(cmd, "uapi"))
		return cmd_uapi(argc > 2 ? argv[2] : NULL, seed);
	if (!strcmp(cmd, "hold"))
		return cmd_hold(argv[2]);
	if (!strcmp(cmd, "xfer"))
		return cmd_xfer(argv[2], argv[3], argv[4]);
	edu_print_info("info");
	return 0;
}
