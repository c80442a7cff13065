// SPDX-License-Identifier: GPL-2.0
/*
 * dmaapitest - the dma-api scenario: dma_map_phys() (DMA_ATTR_MMIO) and
 * the two-step IOVA API of the series, with real device DMA: edu reads and
 * writes RAM and a BAR through them, and an unlinked range must fault.
 *
 *   dmaapitest dma-api BDF [SEED]
 *
 * BDF is the PCI address of QEMU ivshmem-plain, with no driver: its BAR2
 * is mapped through sysfs and written by the CPU. The IOVA cases run where
 * edu is behind dma-iommu; on dma-direct topologies only what applies
 * there runs. Results are KTAP test cases, one per check, each after its
 * "# NAME: DETAIL" line, and "# info: NAME key=value ..." figures
 * (common.h). SEED 0 or none: derived from the run's seed (BENCH_SEED).
 *
 * The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <dirent.h>
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

/*
 * dma_map_phys() and the two-step IOVA API (issue 3 of the series), driven
 * through edu_dma. Each case uses a file of its own (api_fd): the IOVA
 * range and the page buffer belong to it, and closing it undoes whatever
 * a failed case left behind.
 */
static __u64 api_pages;		/* physical address of api_fd's page buffer */
static bool api_iommu;		/* edu translates through dma-iommu */
static struct vfio_bar api_bar;	/* ivshmem BAR2, mapped through sysfs */

static int api_open(void)
{
	struct edu_dma_pages p;
	int ret;

	api_fd = open(EDU_DMA_DEV_PATH, O_RDWR);
	if (api_fd < 0)
		return -errno;
	ret = api_ioctl(EDU_DMA_PAGES, &p);
	if (ret) {
		close(api_fd);
		api_fd = -1;
		return ret;
	}
	api_pages = p.phys;
	return 0;
}

static void api_close(void)
{
	if (api_fd >= 0)
		close(api_fd);
	api_fd = -1;
}

/* where edu's reads land in the scratch buffer, and its writes come from */
#define SCRATCH_IN	(0x20000 + 3)
#define SCRATCH_OUT	(0x30000 + 5)

/*
 * Have edu read @len bytes at bus address @dma into the scratch buffer and
 * compare them, and the guard bytes around them, with @want.
 */
static bool edu_read_check(struct expect *e, const char *what, __u64 dma,
			   const __u8 *want, __u64 len, __u64 poison)
{
	struct window w = window_of(SCRATCH_IN, len, edu_info.scratch_size);
	char detail[DETAIL_LEN];
	int ret;

	pat_fill(buf_got, w.len, poison, w.start);
	ret = ram_write(w.start, buf_got, w.len);
	if (!ret)
		ret = edu_copy(dma, edu_info.scratch_dma + SCRATCH_IN, len);
	if (!ret)
		ret = ram_read(w.start, buf_got, w.len);
	if (!expect_true(e, !ret, "%s: edu read of 0x%llx len=%llu: errno=%d (%s)",
			 what, dma, len, -ret, strerror(-ret)))
		return false;
	pat_fill(buf_want, w.len, poison, w.start);
	memcpy(buf_want + w.pre, want, len);
	if (!check_window(buf_got, buf_want, w.len, "scratch", w.start, w.pre,
			  len, detail))
		return expect_true(e, false, "%s: edu read of 0x%llx: %s", what,
				   dma, detail);
	return pass(e);
}

/* put @len bytes of pattern @seed into the scratch buffer for edu to write */
static bool scratch_source(struct expect *e, __u64 seed, __u64 len)
{
	int ret;

	pat_fill(buf_data, len, seed, 0);
	ret = ram_write(SCRATCH_OUT, buf_data, len);
	return expect_true(e, !ret, "RAM_WRITE errno=%d (%s)", -ret,
			   strerror(-ret));
}

/* fill BAR bytes [off, off + len) with pattern @seed and read them back */
static bool bar_fill(struct expect *e, __u64 off, __u64 len, __u64 seed)
{
	__u8 *bar = api_bar.map;
	char detail[DETAIL_LEN];

	pat_fill(buf_data, len, seed, 0);
	memcpy(bar + off, buf_data, len);
	memcpy(buf_got, bar + off, len);
	if (!check_window(buf_got, buf_data, len, "bar", off, 0, len, detail))
		return expect_true(e, false, "BAR readback: %s", detail);
	return pass(e);
}

static bool pages_fill(struct expect *e, __u64 off, __u64 len, __u64 seed)
{
	char detail[DETAIL_LEN];
	int ret;

	pat_fill(buf_data, len, seed, 0);
	ret = pages_io(EDU_DMA_PAGES_WRITE, off, buf_data, len);
	if (!ret)
		ret = pages_io(EDU_DMA_PAGES_READ, off, buf_got, len);
	if (!expect_true(e, !ret, "PAGES_WRITE/READ errno=%d (%s)", -ret,
			 strerror(-ret)))
		return false;
	if (!check_window(buf_got, buf_data, len, "pages", off, 0, len, detail))
		return expect_true(e, false, "page buffer readback: %s", detail);
	return pass(e);
}

/*
 * Have edu write @len bytes of pattern @seed from the scratch buffer to
 * @dma, which is BAR offset @off, and check the BAR (with guards) from
 * the CPU.
 */
static bool edu_write_bar_check(struct expect *e, const char *what,
				__u64 dma, __u64 off, __u64 len, __u64 seed,
				__u64 poison)
{
	struct window w = window_of(off, len, api_bar.size);
	__u8 *bar = api_bar.map;
	char detail[DETAIL_LEN];
	int ret;

	if (!scratch_source(e, seed, len))
		return false;
	pat_fill(buf_want, w.len, poison, w.start);
	memcpy(bar + w.start, buf_want, w.len);
	ret = edu_copy(edu_info.scratch_dma + SCRATCH_OUT, dma, len);
	if (!expect_true(e, !ret, "%s: edu write to 0x%llx len=%llu: errno=%d (%s)",
			 what, dma, len, -ret, strerror(-ret)))
		return false;
	memcpy(buf_got, bar + w.start, w.len);
	pat_fill(buf_want + w.pre, len, seed, 0);
	if (!check_window(buf_got, buf_want, w.len, "bar", w.start, w.pre, len,
			  detail))
		return expect_true(e, false, "%s: edu write to 0x%llx: %s",
				   what, dma, detail);
	return pass(e);
}

/* the same, into page buffer offset @off, checked with PAGES_READ */
static bool edu_write_pages_check(struct expect *e, const char *what,
				  __u64 dma, __u64 off, __u64 len, __u64 seed,
				  __u64 poison)
{
	struct window w = window_of(off, len, EDU_DMA_PAGES_SIZE);
	char detail[DETAIL_LEN];
	int ret;

	if (!scratch_source(e, seed, len))
		return false;
	pat_fill(buf_want, w.len, poison, w.start);
	ret = pages_io(EDU_DMA_PAGES_WRITE, w.start, buf_want, w.len);
	if (!ret)
		ret = edu_copy(edu_info.scratch_dma + SCRATCH_OUT, dma, len);
	if (!ret)
		ret = pages_io(EDU_DMA_PAGES_READ, w.start, buf_got, w.len);
	if (!expect_true(e, !ret, "%s: edu write to 0x%llx len=%llu: errno=%d (%s)",
			 what, dma, len, -ret, strerror(-ret)))
		return false;
	pat_fill(buf_want + w.pre, len, seed, 0);
	if (!check_window(buf_got, buf_want, w.len, "pages", w.start, w.pre,
			  len, detail))
		return expect_true(e, false, "%s: edu write to 0x%llx: %s",
				   what, dma, detail);
	return pass(e);
}

/* --- kernel log: IOMMU faults --- */

static int kmsg_fd = -1;

/* start watching the kernel log: only records from now on are read */
static int kmsg_mark(void)
{
	if (kmsg_fd < 0) {
		kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
		if (kmsg_fd < 0)
			return -errno;
	}
	if (lseek(kmsg_fd, 0, SEEK_END) < 0)
		return -errno;
	return 0;
}

/* the hex number that follows @key in @line, or false */
static bool hex_after(const char *line, const char *key, __u64 *val)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p)
		return false;
	*val = strtoull(p + strlen(key), &end, 16);
	return end != p + strlen(key);
}

/*
 * Wait up to @ms for a kernel log record of an IOMMU fault by edu at the
 * page of @addr: an Intel DMAR fault line ("Request device [BB:DD.F]
 * fault addr 0x...") or an AMD-Vi IO_PAGE_FAULT event ("0000:BB:DD.F:
 * Event logged [IO_PAGE_FAULT ... address=0x..."). Copies it to @line.
 */
static bool kmsg_find_fault(__u64 addr, unsigned int ms, char *line,
			    size_t len)
{
	const char *bdf = edu_info.pci_name + 5;	/* "BB:DD.F" */
	unsigned int waited = 0;
	const char *msg;
	char rec[2048];
	ssize_t n;
	__u64 a;

	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n < 0) {
			if (errno != EAGAIN || waited >= ms)
				return false;
			usleep(100 * 1000);
			waited += 100;
			continue;
		}
		rec[n] = '\0';
		if (!strstr(rec, bdf))
			continue;
		if (!hex_after(rec, "fault addr 0x", &a) &&
		    !(strstr(rec, "IO_PAGE_FAULT") &&
		      hex_after(rec, "address=0x", &a)))
			continue;
		if (a / GRANULE != addr / GRANULE)
			continue;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		n = strcspn(msg, "\n");
		snprintf(line, len, "%.*s", (int)n, msg);
		return true;
	}
}

/* whether the IOMMU is an AMD one (sysfs "ivhdN", Intel's are "dmarN") */
static bool iommu_is_amd(void)
{
	struct dirent *d;
	bool amd = false;
	DIR *dir;

	dir = opendir("/sys/class/iommu");
	if (!dir)
		return false;
	while ((d = readdir(dir)))
		amd |= !strncmp(d->d_name, "ivhd", 4);
	closedir(dir);
	return amd;
}

/* "expect-fault: device=... addr=...", on stdout and in the kernel log */
static void announce_fault(const char *dev, __u64 addr)
{
	char line[128];
	int fd;

	snprintf(line, sizeof(line), "expect-fault: device=%s addr=0x%llx\n",
		 dev, (unsigned long long)addr);
	printf("# %s", line);
	fflush(stdout);
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			perror("/dev/kmsg");
		close(fd);
	}
}

/*
 * Show that edu can no longer read @len bytes at @addr, where pattern
 * @seed used to be: edu's buffer is first loaded with other bytes, the
 * read must leave no sign of the pattern, and the kernel must log an
 * IOMMU fault for edu at that address.
 *
 * QEMU's amd-iommu (up to at least 7.2) aborts a DMA to a zero page table
 * entry without logging an IO_PAGE_FAULT event, and Linux clears the
 * entries it unmaps: there, a fault line is checked if one shows up, and
 * its absence is reported, not failed.
 */
static bool edu_read_faults(struct expect *e, const char *what, __u64 addr,
			    __u32 len, __u64 seed, __u64 canary, bool *logged)
{
	unsigned int same = 0, zero = 0, kept = 0, i;
	char line[DETAIL_LEN / 2];
	const char *looked;
	int ret;

	*logged = false;
	/* edu's buffer gets the canary, then the read that must fault */
	pat_fill(buf_data, len, canary, 0);
	ret = ram_write(SCRATCH_OUT, buf_data, len);
	if (!ret)
		ret = edu_xfer(edu_info.scratch_dma + SCRATCH_OUT, len,
			       EDU_DMA_XFER_TO_EDU);
	if (!ret)
		ret = kmsg_mark();
	/*
	 * judge.py allows this fault, and only this one, from here on. The
	 * kernel log carries it too: on the console it is then in order with
	 * the fault's own lines.
	 */
	if (!ret)
		announce_fault(edu_info.pci_name, addr);
	if (!ret)
		ret = edu_xfer(addr, len, EDU_DMA_XFER_TO_EDU);
	if (!ret)
		ret = edu_xfer(edu_info.scratch_dma + SCRATCH_IN, len,
			       EDU_DMA_XFER_FROM_EDU);
	if (!ret)
		ret = ram_read(SCRATCH_IN, buf_got, len);
	if (!expect_true(e, !ret, "%s: edu transfers: errno=%d (%s)", what,
			 -ret, strerror(-ret)))
		return false;

	pat_fill(buf_want, len, seed, 0);
	for (i = 0; i < len; i++) {
		same += buf_got[i] == buf_want[i];
		zero += !buf_got[i];
		kept += buf_got[i] == buf_data[i];
	}
	looked = kept == len ? "unchanged" : zero == len ? "zeros" : "other";
	/* random bytes agree with the pattern one time in 256 */
	if (!expect_true(e, same < len / 16,
			 "%s: edu still read the pattern at 0x%llx (%u of %u bytes)",
			 what, addr, same, len))
		return false;
	if (!kmsg_find_fault(addr, 5000, line, sizeof(line))) {
		if (iommu_is_amd()) {
			info("iova-link",
			     "fault addr=0x%llx edu_buffer=%s pattern_bytes=%u/%u log=none (AMD-Vi: QEMU logs no event for a cleared PTE)",
			     addr, looked, same, len);
			return pass(e);
		}
		return expect_true(e, false,
				   "%s: no IOMMU fault logged for %s at 0x%llx",
				   what, edu_info.pci_name, addr);
	}
	info("iova-link", "fault addr=0x%llx edu_buffer=%s pattern_bytes=%u/%u log=\"%s\"",
	     addr, looked, same, len, line);
	*logged = true;
	return pass(e);
}

/* --- cases --- */

/* one physical range linked into the IOVA range of iova-link */
struct piece {
	bool mmio;	/* a BAR range, else RAM of the page buffer */
	__u64 off;	/* offset in the BAR or the page buffer */
	__u64 size;
	__u32 dir;
	__u64 iova_off;	/* offset in the IOVA range, filled in */
	__u64 phys;	/* filled in */
	__u64 seed;	/* filled in */
};

/*
 * Six ranges, BAR and RAM mixed, not sorted by physical address. The first
 * starts in the middle of a granule (0x123 into it) and the last ends in
 * the middle of one; all others start and end on granule boundaries.
 */
#define HEAD	(2 * GRANULE - 0x123)
static struct piece pieces[] = {
	{ .mmio = true, .off = 0x31123, .size = HEAD, .dir = DIR_TO },
	{ .mmio = true, .off = 0x08000, .size = GRANULE, .dir = DIR_TO },
	{ .off = 5 * GRANULE, .size = GRANULE, .dir = DIR_TO },
	/* edu writes here */
	{ .mmio = true, .off = 0x10000, .size = 2 * GRANULE, .dir = DIR_BIDI },
	{ .off = 1 * GRANULE, .size = 2 * GRANULE, .dir = DIR_TO },
	{ .mmio = true, .off = 0x20000, .size = 0x777, .dir = DIR_TO },
};

static const unsigned int link_order[] = { 4, 0, 5, 2, 3, 1 };
#define WRITTEN		3	/* the piece edu writes to */
#define UNLINKED	1	/* the piece that is unlinked, then faults */

static __u32 piece_attrs(const struct piece *p)
{
	return p->mmio ? ATTR_MMIO : 0;
}

static bool piece_fill(struct expect *e, struct piece *p)
{
	return p->mmio ? bar_fill(e, p->off, p->size, p->seed) :
			 pages_fill(e, p->off, p->size, p->seed);
}

static bool piece_read(struct expect *e, const struct piece *p, __u64 addr,
		       __u64 poison)
{
	char what[64];

	snprintf(what, sizeof(what), "%s piece at iova+0x%llx",
		 p->mmio ? "BAR" : "RAM", p->iova_off);
	pat_fill(buf_want + BUF_SIZE / 2, p->size, p->seed, 0);
	return edu_read_check(e, what, addr + p->iova_off,
			      buf_want + BUF_SIZE / 2, p->size, poison);
}

static void api_iova_link(__u64 seed)
{
	struct expect e = { .sc = "iova-link" };
	const unsigned int n = ARRAY_SIZE(pieces);
	__u64 addr, total = 0, phys, poison;
	bool used, logged = false;
	struct piece *p;
	unsigned int i;
	int ret;

	poison = case_seed(seed, e.sc, 100);
	for (i = 0; i < n; i++) {
		p = &pieces[i];
		p->iova_off = total;
		total += p->size;
		p->phys = (p->mmio ? api_bar.phys : api_pages) + p->off;
		p->seed = case_seed(seed, e.sc, i);
		if (!piece_fill(&e, p))
			goto out;
	}

	ret = iova_alloc(pieces[0].phys, total, &used, &addr);
	if (!expect_true(&e, !ret && used && addr % GRANULE == pieces[0].phys % GRANULE,
			 "IOVA_ALLOC size=%llu: errno=%d used=%d addr=0x%llx",
			 total, -ret, used, addr))
		goto out;
	info(e.sc, "iova=0x%llx size=%llu pieces=%u", addr, total, n);

	for (i = 0; i < n; i++) {
		p = &pieces[link_order[i]];
		ret = iova_link(p->phys, p->iova_off, p->size, p->dir,
				piece_attrs(p));
		if (!expect_errno(&e, "IOVA_LINK", ret, 0))
			goto out;
		info(e.sc, "link piece=%u %s phys=0x%llx iova=0x%llx size=%llu dir=%u",
		     link_order[i], p->mmio ? "bar" : "ram", p->phys,
		     addr + p->iova_off, p->size, p->dir);
	}
	ret = iova_sync(0, total);
	if (!expect_errno(&e, "IOVA_SYNC of the whole range", ret, 0))
		goto out;

	/* the IOMMU page table has each piece where it was linked */
	for (i = 0; i < n; i++) {
		p = &pieces[i];
		ret = iova_lookup(p->iova_off + p->size - 1, &phys);
		if (!expect_true(&e, !ret && phys == p->phys + p->size - 1,
				 "IOVA_LOOKUP of the end of piece %u: errno=%d phys=0x%llx want 0x%llx",
				 i, -ret, phys, p->phys + p->size - 1))
			goto out;
	}

	for (i = 0; i < n; i++)
		if (!piece_read(&e, &pieces[i], addr, poison))
			goto out;

	/* edu writes into the BAR through the IOVA */
	p = &pieces[WRITTEN];
	if (!edu_write_bar_check(&e, "write through the IOVA",
				 addr + p->iova_off + 0x100, p->off + 0x100,
				 3000, case_seed(seed, e.sc, 200), poison))
		goto out;
	if (!piece_fill(&e, p))
		goto out;

	/* unlink one piece: edu faults on it, the others still work */
	p = &pieces[UNLINKED];
	ret = iova_unlink(p->iova_off, p->size, p->dir, piece_attrs(p));
	if (!expect_errno(&e, "IOVA_UNLINK", ret, 0))
		goto out;
	ret = iova_lookup(p->iova_off, &phys);
	if (!expect_true(&e, !ret && !phys,
			 "IOVA_LOOKUP after unlink: errno=%d phys=0x%llx",
			 -ret, phys))
		goto out;
	if (!edu_read_faults(&e, "unlinked piece", addr + p->iova_off,
			     EDU_DMA_MAX_XFER, p->seed,
			     case_seed(seed, e.sc, 300), &logged))
		goto out;
	for (i = 0; i < n; i++)
		if (i != UNLINKED && !piece_read(&e, &pieces[i], addr, poison))
			goto out;

	/* the unlinked span can be linked again */
	ret = iova_link(p->phys, p->iova_off, p->size, p->dir, piece_attrs(p));
	if (!expect_errno(&e, "IOVA_LINK again", ret, 0))
		goto out;
	ret = iova_sync(p->iova_off, p->size);
	if (!expect_errno(&e, "IOVA_SYNC of the link", ret, 0))
		goto out;
	if (!piece_read(&e, p, addr, poison))
		goto out;

	/* unlink all but the MMIO prefix, destroy with the prefix mapped */
	for (i = 2; i < n; i++) {
		p = &pieces[i];
		ret = iova_unlink(p->iova_off, p->size, p->dir, piece_attrs(p));
		if (!expect_errno(&e, "IOVA_UNLINK", ret, 0))
			goto out;
	}
	ret = iova_destroy(pieces[2].iova_off, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "IOVA_DESTROY", ret, 0))
		goto out;
	ret = iova_lookup(0, &phys);
	expect_errno(&e, "IOVA_LOOKUP after destroy", ret, EINVAL);
out:
	result(e.sc, !e.failed, "%s%s", e.failed ? e.detail :
	       "6 BAR/RAM links in one IOVA read by edu, edu wrote the BAR, ",
	       e.failed ? "" : logged ?
	       "unlinked piece faults (fault logged), relink, destroy" :
	       "unlinked piece unmapped, not read (QEMU amd-iommu logs no fault), relink, destroy");
	info(e.sc, "checks=%d", e.checks);
}

static void api_iova_try_alloc(__u64 seed)
{
	struct expect e = { .sc = "iova-try-alloc" };
	static const struct {
		__u64 phys, size;
		const char *what;
	} bad[] = {
		{ 0, 0, "size 0" },
		{ 0, 1ULL << 63, "size 1<<63" },
		{ 0x123, (1ULL << 63) | 0x10000, "size with bit 63 and phys 0x123" },
		{ 0, ~0ULL, "size ~0" },
	};
	__u64 addr, phys;
	unsigned int i;
	bool used;
	int ret;

	(void)seed;
	/* an ordinary size: an IOVA only when edu translates through dma-iommu */
	ret = iova_alloc(0x123, 0x10000, &used, &addr);
	if (!expect_errno(&e, "IOVA_ALLOC 64 KiB", ret, 0))
		goto out;
	if (api_iommu) {
		expect_true(&e, used && addr && addr % GRANULE == 0x123,
			    "dma-iommu: try_alloc(64 KiB) used=%d addr=0x%llx, want an IOVA 0x123 into a granule",
			    used, addr);
		info(e.sc, "dma-iommu: 64 KiB at 0x%llx", addr);
		ret = iova_lookup(0, &phys);
		expect_true(&e, !ret && !phys,
			    "fresh IOVA range: lookup errno=%d phys=0x%llx",
			    -ret, phys);
		ret = api_ioctl(EDU_DMA_IOVA_FREE, NULL);
		expect_errno(&e, "IOVA_FREE", ret, 0);
	} else {
		expect_true(&e, !used && !addr,
			    "dma-direct: try_alloc(64 KiB) used=%d addr=0x%llx, want false",
			    used, addr);
	}

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = iova_alloc(bad[i].phys, bad[i].size, &used, &addr);
		expect_true(&e, !ret && !used && !addr,
			    "try_alloc(%s): errno=%d used=%d addr=0x%llx, want false",
			    bad[i].what, -ret, used, addr);
	}

	/* with no range, the IOVA calls are refused */
	expect_errno(&e, "IOVA_SYNC without a range", iova_sync(0, 4096),
		     EINVAL);
	expect_errno(&e, "IOVA_FREE without a range",
		     api_ioctl(EDU_DMA_IOVA_FREE, NULL), EINVAL);
	expect_errno(&e, "IOVA_LINK without a range",
		     iova_link(api_pages, 0, 4096, DIR_TO, 0), EINVAL);
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : api_iommu ?
	       "dma-iommu: IOVA for 64 KiB; false for size 0 and sizes with bit 63" :
	       "dma-direct: false for 64 KiB, size 0 and sizes with bit 63");
	info(e.sc, "checks=%d", e.checks);
}

/* granules [first, last] of the IOVA range must map nothing */
static bool nothing_mapped(struct expect *e, const char *what, __u64 first,
			   __u64 last)
{
	__u64 g, phys;
	int ret;

	for (g = first; g <= last; g++) {
		ret = iova_lookup(g * GRANULE, &phys);
		if (!expect_true(e, !ret && !phys,
				 "after refused %s: granule %llu maps 0x%llx (errno=%d)",
				 what, g, phys, -ret))
			return false;
	}
	return true;
}

static void api_iova_misaligned(__u64 seed)
{
	struct expect e = { .sc = "iova-misaligned" };
	const __u64 bar = api_bar.phys + 0x40000, G = GRANULE;
	__u64 poison = case_seed(seed, e.sc, 100);
	__u64 s0 = case_seed(seed, e.sc, 0), s1 = case_seed(seed, e.sc, 1);
	/* a later link starting inside a granule (IOVA or phys): -EIO */
	const struct {
		const char *what;
		__u64 phys, off, size;
		__u32 attrs;
		int err;
	} bad[] = {
		{ "RAM link starting 0x200 into a granule",
		  api_pages + G + 0x200, G + 0x200, 0x800, 0, EIO },
		{ "RAM link ending 0x800 into a granule, not the last",
		  api_pages + G, G, G + 0x800, 0, EINVAL },
		{ "RAM link whose phys is 0x80 off the IOVA granule",
		  api_pages + G + 0x80, G, G, 0, EIO },
		{ "MMIO link starting 0x10 into a granule",
		  bar + 0x10, 2 * G + 0x10, 0x100, ATTR_MMIO, EIO },
		{ "MMIO link ending 0x100 into a granule, not the last",
		  bar, 2 * G, 0x100, ATTR_MMIO, EINVAL },
	};
	unsigned int i;
	__u64 addr;
	bool used;
	int ret;

	/* four granules: RAM, (middle RAM), (middle BAR), RAM */
	if (!pages_fill(&e, 0, 4 * G, s0) || !bar_fill(&e, 0x40000, G, s1))
		goto out;
	ret = iova_alloc(api_pages, 4 * G, &used, &addr);
	if (!expect_true(&e, !ret && used, "IOVA_ALLOC: errno=%d used=%d",
			 -ret, used))
		goto out;
	ret = iova_link(api_pages, 0, G, DIR_TO, 0);
	if (!expect_errno(&e, "IOVA_LINK first granule", ret, 0))
		goto out;
	ret = iova_link(api_pages + 3 * G, 3 * G, G, DIR_TO, 0);
	if (!expect_errno(&e, "IOVA_LINK last granule", ret, 0))
		goto out;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = iova_link(bad[i].phys, bad[i].off, bad[i].size, DIR_TO,
				bad[i].attrs);
		if (!expect_errno(&e, bad[i].what, ret, bad[i].err) ||
		    !nothing_mapped(&e, bad[i].what, 1, 2))
			goto out;
	}

	/* the same granules take correct links, and edu reads them */
	ret = iova_link(api_pages + G, G, G, DIR_TO, 0);
	if (!expect_errno(&e, "IOVA_LINK aligned RAM middle", ret, 0))
		goto out;
	ret = iova_link(bar, 2 * G, G, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "IOVA_LINK aligned MMIO middle", ret, 0))
		goto out;
	ret = iova_sync(0, 4 * G);
	if (!expect_errno(&e, "IOVA_SYNC", ret, 0))
		goto out;
	pat_fill(buf_want + BUF_SIZE / 2, G, s0, G);
	if (!edu_read_check(&e, "RAM middle", addr + G,
			    buf_want + BUF_SIZE / 2, G, poison))
		goto out;
	pat_fill(buf_want + BUF_SIZE / 2, G, s1, 0);
	if (!edu_read_check(&e, "MMIO middle", addr + 2 * G,
			    buf_want + BUF_SIZE / 2, G, poison))
		goto out;

	/* unlink the MMIO and the last link, destroy the two RAM links */
	ret = iova_unlink(2 * G, G, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "IOVA_UNLINK MMIO", ret, 0))
		goto out;
	ret = iova_unlink(3 * G, G, DIR_TO, 0);
	if (!expect_errno(&e, "IOVA_UNLINK last", ret, 0))
		goto out;
	ret = iova_destroy(2 * G, DIR_TO, 0);
	expect_errno(&e, "IOVA_DESTROY of two links", ret, 0);
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "5 misaligned middle links refused with EINVAL, nothing mapped; aligned ones work");
	info(e.sc, "checks=%d", e.checks);
}

/*
 * Slabs of the default swiotlb buffer, -1 if debugfs does not say: 0 once
 * x86 has freed it, when its debugfs directory has no files
 */
static long swiotlb_slabs(void)
{
	FILE *f = fopen("/sys/kernel/debug/swiotlb/io_tlb_nslabs", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	} else if (!access("/sys/kernel/debug/swiotlb", F_OK)) {
		n = 0;
	}
	return n;
}

/*
 * Untrusted edu, RAM that fills half of the last granule of the IOVA range
 * at @addr: dma_iova_link() bounces it through swiotlb where the guest has
 * one (x86 keeps it only with RAM above 4 GiB). edu reads the copy, what
 * edu writes reaches the page buffer when the link is unlinked, and the
 * granule is unmapped. Without swiotlb the link fails with ENOMEM.
 */
static bool ram_link_bounced(struct expect *e, __u64 addr, __u64 seed)
{
	const __u64 G = GRANULE, len = 0x800;
	__u64 s1 = case_seed(seed, e->sc, 1), s2 = case_seed(seed, e->sc, 2);
	__u64 poison = case_seed(seed, e->sc, 101), phys;
	char detail[DETAIL_LEN];
	long slabs = swiotlb_slabs();
	int ret;

	info(e->sc, "swiotlb_slabs=%ld", slabs);
	if (!expect_true(e, slabs >= 0, "no /sys/kernel/debug/swiotlb"))
		return false;
	if (!slabs) {
		ret = iova_link(api_pages + G, G, len, DIR_TO, 0);
		return expect_errno(e, "untrusted, no swiotlb: RAM link of half a granule",
				    ret, ENOMEM) &&
		       nothing_mapped(e, "RAM link", 1, 1);
	}

	if (!pages_fill(e, G, len, s1))
		return false;
	ret = iova_link(api_pages + G, G, len, DIR_BIDI, 0);
	if (!expect_errno(e, "untrusted: RAM link of half a granule", ret, 0))
		return false;
	ret = iova_sync(G, len);
	if (!expect_errno(e, "IOVA_SYNC of the bounced link", ret, 0))
		return false;
	ret = iova_lookup(G, &phys);
	if (!expect_true(e, !ret && phys && phys != api_pages + G,
			 "IOVA_LOOKUP of the bounced link: errno=%d phys=0x%llx, the pages are at 0x%llx",
			 -ret, phys, api_pages + G))
		return false;
	info(e->sc, "bounced pages=0x%llx copy=0x%llx", api_pages + G, phys);
	/* edu_read_check() builds its window in the first half of buf_want */
	pat_fill(buf_want + BUF_SIZE / 2, len, s1, 0);
	if (!edu_read_check(e, "bounced RAM link", addr + G,
			    buf_want + BUF_SIZE / 2, len, poison))
		return false;

	if (!scratch_source(e, s2, len))
		return false;
	ret = edu_copy(edu_info.scratch_dma + SCRATCH_OUT, addr + G, len);
	if (!expect_true(e, !ret, "edu write to the bounced link: errno=%d (%s)",
			 -ret, strerror(-ret)))
		return false;
	ret = iova_unlink(G, len, DIR_BIDI, 0);
	if (!expect_errno(e, "IOVA_UNLINK of the bounced link", ret, 0))
		return false;
	ret = pages_io(EDU_DMA_PAGES_READ, G, buf_got, len);
	if (!expect_true(e, !ret, "PAGES_READ errno=%d (%s)", -ret,
			 strerror(-ret)))
		return false;
	pat_fill(buf_want, len, s2, 0);
	if (!check_window(buf_got, buf_want, len, "pages", G, 0, len, detail))
		return expect_true(e, false, "edu's write did not come back: %s",
				   detail);
	return nothing_mapped(e, "unlink of the bounced link", 1, 1);
}

static void api_iova_untrusted(__u64 seed)
{
	struct expect e = { .sc = "iova-untrusted" };
	const __u64 boff = 0x50000, G = GRANULE, size = G + 0x800;
	const __u64 bar = api_bar.phys + boff;
	__u64 s0 = case_seed(seed, e.sc, 0);
	__u64 poison = case_seed(seed, e.sc, 100);
	__u64 addr, phys, dma;
	bool used;
	int ret;

	if (!bar_fill(&e, boff, size, s0))
		goto out;
	ret = set_untrusted(EDU_DMA_UNTRUSTED);
	if (!expect_errno(&e, "SET_UNTRUSTED", ret, 0))
		goto out;
	ret = iova_alloc(bar, size, &used, &addr);
	if (!expect_true(&e, !ret && used, "IOVA_ALLOC: errno=%d used=%d",
			 -ret, used))
		goto out;

	/* untrusted: MMIO that does not fill its granules cannot be linked */
	ret = iova_link(bar, 0, size, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "untrusted: MMIO link of 1.5 granules", ret,
			  EPERM) ||
	    !nothing_mapped(&e, "MMIO link", 0, 1))
		goto out;
	ret = iova_link(bar, 0, G, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "untrusted: MMIO link of a whole granule", ret,
			  0))
		goto out;
	ret = iova_link(bar + G, G, 0x800, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "untrusted: MMIO link of half a granule", ret,
			  EPERM) ||
	    !nothing_mapped(&e, "MMIO link", 1, 1))
		goto out;
	if (!ram_link_bounced(&e, addr, seed))
		goto out;
	ret = map_phys(bar + 2 * G, 0x800, DIR_TO, ATTR_MMIO, &dma);
	if (!expect_errno(&e, "untrusted: dma_map_phys(MMIO) of half a granule",
			  ret, EIO))
		goto out;

	/* trusted again: the same link is fine, and edu reads it all */
	ret = set_untrusted(EDU_DMA_TRUSTED);
	if (!expect_errno(&e, "SET_UNTRUSTED off", ret, 0))
		goto out;
	ret = iova_link(bar + G, G, 0x800, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "trusted: MMIO link of half a granule", ret, 0))
		goto out;
	ret = iova_sync(0, size);
	if (!expect_errno(&e, "IOVA_SYNC", ret, 0))
		goto out;
	ret = iova_lookup(G, &phys);
	if (!expect_true(&e, !ret && phys == bar + G,
			 "IOVA_LOOKUP: errno=%d phys=0x%llx", -ret, phys))
		goto out;
	pat_fill(buf_want + BUF_SIZE / 2, size, s0, 0);
	if (!edu_read_check(&e, "MMIO links", addr, buf_want + BUF_SIZE / 2,
			    size, poison))
		goto out;
	ret = iova_destroy(size, DIR_TO, ATTR_MMIO);
	expect_errno(&e, "IOVA_DESTROY", ret, 0);
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "untrusted edu: partial-granule MMIO links EPERM, RAM bounced (edu read and wrote the copy), dma_map_phys(MMIO) fails; fine once trusted");
	info(e.sc, "checks=%d", e.checks);
}

static void api_map_phys(__u64 seed)
{
	struct expect e = { .sc = "map-phys" };
	const __u64 rd = 0x60040, wr = 0x70000 + 7, prd = 0x4010, pwr = 0x8003;
	__u64 s[4], poison = case_seed(seed, e.sc, 100);
	__u64 dma;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		s[i] = case_seed(seed, e.sc, i);

	/* edu reads a BAR range mapped with dma_map_phys(DMA_ATTR_MMIO) */
	if (!bar_fill(&e, rd, 5000, s[0]))
		goto out;
	ret = map_phys(api_bar.phys + rd, 5000, DIR_TO, ATTR_MMIO, &dma);
	if (!expect_errno(&e, "MAP_PHYS MMIO to_device", ret, 0))
		goto out;
	info(e.sc, "mmio phys=0x%llx dma=0x%llx dir=to_device",
	     api_bar.phys + rd, dma);
	if (!api_iommu && !expect_true(&e, dma == api_bar.phys + rd,
				       "dma-direct: MMIO dma 0x%llx != phys 0x%llx",
				       dma, api_bar.phys + rd))
		goto out;
	pat_fill(buf_want + BUF_SIZE / 2, 5000, s[0], 0);
	if (!edu_read_check(&e, "MMIO", dma, buf_want + BUF_SIZE / 2, 5000,
			    poison))
		goto out;
	ret = unmap_phys(dma, 5000, DIR_TO, ATTR_MMIO);
	if (!expect_errno(&e, "UNMAP_PHYS MMIO", ret, 0))
		goto out;

	/* edu writes a BAR range */
	ret = map_phys(api_bar.phys + wr, 3000, DIR_FROM, ATTR_MMIO, &dma);
	if (!expect_errno(&e, "MAP_PHYS MMIO from_device", ret, 0))
		goto out;
	if (!edu_write_bar_check(&e, "MMIO", dma, wr, 3000, s[1], poison))
		goto out;
	ret = unmap_phys(dma, 3000, DIR_FROM, ATTR_MMIO);
	if (!expect_errno(&e, "UNMAP_PHYS MMIO", ret, 0))
		goto out;

	/* and RAM, without DMA_ATTR_MMIO, both ways */
	if (!pages_fill(&e, prd, 3000, s[2]))
		goto out;
	ret = map_phys(api_pages + prd, 3000, DIR_TO, 0, &dma);
	if (!expect_errno(&e, "MAP_PHYS RAM to_device", ret, 0))
		goto out;
	info(e.sc, "ram phys=0x%llx dma=0x%llx dir=to_device",
	     api_pages + prd, dma);
	pat_fill(buf_want + BUF_SIZE / 2, 3000, s[2], 0);
	if (!edu_read_check(&e, "RAM", dma, buf_want + BUF_SIZE / 2, 3000,
			    poison))
		goto out;
	ret = unmap_phys(dma, 3000, DIR_TO, 0);
	if (!expect_errno(&e, "UNMAP_PHYS RAM", ret, 0))
		goto out;
	ret = map_phys(api_pages + pwr, 2000, DIR_FROM, 0, &dma);
	if (!expect_errno(&e, "MAP_PHYS RAM from_device", ret, 0))
		goto out;
	if (!edu_write_pages_check(&e, "RAM", dma, pwr, 2000, s[3], poison))
		goto out;
	ret = unmap_phys(dma, 2000, DIR_FROM, 0);
	expect_errno(&e, "UNMAP_PHYS RAM", ret, 0);
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : api_iommu ?
	       "dma-iommu: edu read and wrote a BAR and RAM through dma_map_phys()" :
	       "dma-direct: edu read and wrote a BAR (dma == phys) and RAM through dma_map_phys()");
	info(e.sc, "checks=%d", e.checks);
}

/* the new ioctls refuse bad input with clean errnos */
static void api_uapi(__u64 seed)
{
	struct expect e = { .sc = "dma-api-uapi" };
	const __u64 bar = api_bar.phys, G = GRANULE;
	__u64 dma, addr;
	bool used;
	int ret, fd2;
	__u32 v;

	(void)seed;
	expect_ret(&e, "MAP_PHYS dir=3", map_phys(bar, G, 3, ATTR_MMIO, &dma),
		   EINVAL);
	expect_ret(&e, "MAP_PHYS attrs=0x4", map_phys(bar, G, DIR_TO, 0x4, &dma),
		   EINVAL);
	expect_ret(&e, "MAP_PHYS MMIO len=0", map_phys(bar, 0, DIR_TO,
						       ATTR_MMIO, &dma), EINVAL);
	expect_ret(&e, "MAP_PHYS MMIO longer than EDU_DMA_MAX_MMIO_LEN",
		   map_phys(bar, EDU_DMA_MAX_MMIO_LEN + 4096, DIR_TO, ATTR_MMIO,
			    &dma), EINVAL);
	expect_ret(&e, "MAP_PHYS MMIO of RAM",
		   map_phys(api_pages, G, DIR_TO, ATTR_MMIO, &dma), EINVAL);
	expect_ret(&e, "MAP_PHYS RAM outside the page buffer",
		   map_phys(0x100000, G, DIR_TO, 0, &dma), EINVAL);
	expect_ret(&e, "MAP_PHYS RAM past the page buffer",
		   map_phys(api_pages + EDU_DMA_PAGES_SIZE - 8, 16, DIR_TO, 0,
			    &dma), EINVAL);
	expect_ret(&e, "MAP_PHYS BAR as RAM", map_phys(bar, G, DIR_TO, 0, &dma),
		   EINVAL);
	expect_ret(&e, "UNMAP_PHYS unknown",
		   unmap_phys(0x1234000, G, DIR_TO, ATTR_MMIO), ENOENT);
	ret = map_phys(api_pages, 64, DIR_FROM, 0, &dma);
	expect_ret(&e, "MAP_PHYS RAM from_device", ret, 0);
	expect_ret(&e, "MAP_PHYS RAM from_device, same cache line",
		   map_phys(api_pages + 8, 64, DIR_BIDI, 0, &addr), EBUSY);
	expect_ret(&e, "UNMAP_PHYS as MMIO",
		   unmap_phys(dma, 64, DIR_FROM, ATTR_MMIO), ENOENT);
	expect_ret(&e, "UNMAP_PHYS", unmap_phys(dma, 64, DIR_FROM, 0), 0);
	expect_ret(&e, "PAGES_WRITE past end",
		   pages_io(EDU_DMA_PAGES_WRITE, EDU_DMA_PAGES_SIZE, buf_data, 1),
		   EINVAL);
	expect_ret(&e, "PAGES_READ bad pointer",
		   pages_io(EDU_DMA_PAGES_READ, 0, (void *)8, 16), EFAULT);
	v = 2;
	expect_ret(&e, "SET_UNTRUSTED 2", api_ioctl(EDU_DMA_SET_UNTRUSTED, &v),
		   EINVAL);
	expect_ret(&e, "IOVA_ALLOC flags=1",
		   api_ioctl(EDU_DMA_IOVA_ALLOC,
			     &(struct edu_dma_iova_alloc){ .size = G, .flags = 1 }),
		   EINVAL);
	expect_ret(&e, "IOVA_LINK dir=3", iova_link(bar, 0, G, 3, ATTR_MMIO),
		   EINVAL);
	expect_ret(&e, "IOVA_UNLINK without a range",
		   iova_unlink(0, G, DIR_TO, 0), EINVAL);
	expect_ret(&e, "IOVA_DESTROY without a range",
		   iova_destroy(0, DIR_TO, 0), EINVAL);

	/* one file marks edu untrusted at a time */
	expect_ret(&e, "SET_UNTRUSTED", set_untrusted(EDU_DMA_UNTRUSTED), 0);
	fd2 = open(EDU_DMA_DEV_PATH, O_RDWR);
	v = EDU_DMA_UNTRUSTED;
	ret = fd2 < 0 ? -errno : ioctl(fd2, EDU_DMA_SET_UNTRUSTED, &v) ? -errno : 0;
	expect_ret(&e, "SET_UNTRUSTED from a second file", ret, EBUSY);
	expect_ret(&e, "SET_UNTRUSTED off", set_untrusted(EDU_DMA_TRUSTED), 0);
	v = EDU_DMA_UNTRUSTED;
	ret = fd2 < 0 ? -errno : ioctl(fd2, EDU_DMA_SET_UNTRUSTED, &v) ? -errno : 0;
	expect_ret(&e, "SET_UNTRUSTED from the second file after off", ret, 0);
	if (fd2 >= 0)
		close(fd2);	/* restores it */

	if (!api_iommu)
		goto out;

	ret = iova_alloc(bar, 4 * G, &used, &addr);
	expect_true(&e, !ret && used, "IOVA_ALLOC: errno=%d used=%d", -ret,
		    used);
	expect_ret(&e, "IOVA_ALLOC twice", iova_alloc(bar, G, &used, &addr),
		   EBUSY);
	expect_ret(&e, "IOVA_LINK", iova_link(bar, 0, 2 * G, DIR_TO, ATTR_MMIO),
		   0);
	expect_ret(&e, "IOVA_LINK overlapping", iova_link(bar + G, G, G, DIR_TO,
							  ATTR_MMIO), EBUSY);
	expect_ret(&e, "IOVA_LINK past the end", iova_link(bar, 3 * G, 2 * G,
							   DIR_TO, ATTR_MMIO),
		   EINVAL);
	expect_ret(&e, "IOVA_LINK offset wraps",
		   iova_link(bar, ~0ULL - 4, 2 * G, DIR_TO, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_LINK RAM outside the page buffer",
		   iova_link(0x100000, 2 * G, G, DIR_TO, 0), EINVAL);
	expect_ret(&e, "IOVA_UNLINK part of a link",
		   iova_unlink(0, G, DIR_TO, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_UNLINK more than linked",
		   iova_unlink(0, 3 * G, DIR_TO, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_UNLINK wrong direction",
		   iova_unlink(0, 2 * G, DIR_BIDI, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_UNLINK as RAM", iova_unlink(0, 2 * G, DIR_TO, 0),
		   EINVAL);
	expect_ret(&e, "IOVA_LINK", iova_link(bar + 3 * G, 3 * G, G, DIR_TO,
					      ATTR_MMIO), 0);
	expect_ret(&e, "IOVA_DESTROY with a link beyond the prefix",
		   iova_destroy(2 * G, DIR_TO, ATTR_MMIO), EBUSY);
	expect_ret(&e, "IOVA_DESTROY over a hole",
		   iova_destroy(4 * G, DIR_TO, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_DESTROY past the end",
		   iova_destroy(5 * G, DIR_TO, ATTR_MMIO), EINVAL);
	expect_ret(&e, "IOVA_FREE with links",
		   api_ioctl(EDU_DMA_IOVA_FREE, NULL), EBUSY);
	expect_ret(&e, "IOVA_SYNC past the end", iova_sync(3 * G, 2 * G),
		   EINVAL);
	expect_ret(&e, "IOVA_LOOKUP past the end", iova_lookup(4 * G, &dma),
		   EINVAL);
	/* the links are left for close() to undo */
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : "all errors clean");
	info(e.sc, "checks=%d", e.checks);
}

/* run one case on a file of its own: close() undoes what it left */
static void api_run(const char *name, void (*fn)(__u64 seed), __u64 seed)
{
	int ret = api_open();

	if (ret) {
		result(name, false, "open %s / PAGES: errno=%d (%s)",
		       EDU_DMA_DEV_PATH, -ret, strerror(-ret));
		return;
	}
	fn(seed);
	api_close();
}

static int cmd_dma_api(const char *bdf, __u64 seed)
{
	static const char *sc = "dma-api-setup";
	const char *topo = getenv("BENCH_TOPOLOGY");
	bool want_iommu;
	char err[DETAIL_LEN];
	int ret;

	info("dma-api", "seed=0x%llx", seed);
	edu_print_info("dma-api");
	api_iommu = edu_info.flags & EDU_DMA_INFO_IOMMU;
	if (!(edu_info.flags & EDU_DMA_INFO_PHYS_API)) {
		result(sc, false, "edu_dma was built without dma_map_phys() and the IOVA API");
		return 1;
	}
	/* the topology decides which DMA path edu must be on */
	if (topo && strcmp(topo, "unknown")) {
		want_iommu = strcmp(topo, "direct") && strcmp(topo, "switch");
		if (want_iommu != api_iommu) {
			result(sc, false, "topology %s but edu %s dma-iommu", topo,
			       api_iommu ? "is behind" : "is not behind");
			return 1;
		}
	}
	ret = sysfs_bar_open(&api_bar, bdf, BAR_INDEX, err, sizeof(err));
	if (ret) {
		result(sc, false, "%s", err);
		return 1;
	}
	if (api_bar.size < 0x80000) {
		result(sc, false, "BAR%u of %s is %llu bytes, need 512 KiB",
		       BAR_INDEX, bdf, api_bar.size);
		return 1;
	}
	ret = api_open();
	if (ret) {
		result(sc, false, "open %s / PAGES: errno=%d (%s)",
		       EDU_DMA_DEV_PATH, -ret, strerror(-ret));
		return 1;
	}
	api_close();
	result(sc, true, "edu %s via %s, BAR %s phys=0x%llx size=%llu",
	       edu_info.pci_name, api_iommu ? "dma-iommu" : "dma-direct",
	       api_bar.bdf, api_bar.phys, api_bar.size);

	api_run("dma-api-uapi", api_uapi, seed);
	api_run("iova-try-alloc", api_iova_try_alloc, seed);
	api_run("map-phys", api_map_phys, seed);
	/* the IOVA cases need an IOVA: on dma-direct they do not apply */
	if (api_iommu) {
		api_run("iova-misaligned", api_iova_misaligned, seed);
		api_run("iova-untrusted", api_iova_untrusted, seed);
		api_run("iova-link", api_iova_link, seed);
	}
	vfio_bar_close(&api_bar);
	if (kmsg_fd >= 0)
		close(kmsg_fd);
	return failures ? 1 : 0;
}

/* --- main -------------------------------------------------------------- */

static void print_usage(void)
{
	fprintf(stderr, "usage: dmaapitest dma-api BDF [SEED]\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *sc = cmd;
	__u64 seed;

	if (strcmp(cmd, "dma-api") || argc < 3 || argc > 4) {
		print_usage();
		return 2;
	}
	seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	if (edu_tool_start(sc, cmd, &seed))
		return 1;
	return cmd_dma_api(argv[2], seed);
}
