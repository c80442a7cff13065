// SPDX-License-Identifier: GPL-2.0
/*
 * dbuftest - dma-buf tests of the mmio-dmabuf QEMU bench
 *
 *   dbuftest helper [SEED]   the mapping helper through the bar_exporter
 *                            test exporter: path chosen per topology
 *                            ($BENCH_TOPOLOGY), DMA addresses, edu reads
 *                            and writes of every range, refusals, revoke
 *                            on unbind
 *
 * Results are printed one per line (BENCH-RESULT / BENCH-INFO, see
 * common.h). The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bar_exporter.h"
#include "common.h"

#define SC		"helper"
#define PAGE		4096ULL
#define MAX_ENTS	64

/* how the helper is expected to map ivshmem's BAR for edu */
enum path {
	PATH_IOVA,	/* THRU_HOST_BRIDGE, one IOVA span */
	PATH_DIRECT,	/* THRU_HOST_BRIDGE, dma_map_phys() per range */
	PATH_BUS,	/* BUS_ADDR: PCI bus addresses */
	PATH_REFUSED,	/* NOT_SUPPORTED: map fails with EINVAL */
};

static const struct topo {
	const char *name;
	enum path path;
	bool dma;	/* edu can really reach the BAR this way in QEMU */
} topos[] = {
	{ "iommu-intel", PATH_IOVA, true },
	{ "iommu-amd", PATH_IOVA, true },
	{ "direct", PATH_DIRECT, true },
	{ "switch", PATH_BUS, true },
	/* QEMU translates at the root: bus addresses fault there */
	{ "switch-iommu", PATH_BUS, false },
	{ "refused", PATH_REFUSED, false },
};

static const char *const path_name[] = {
	[PATH_IOVA] = "THRU_HOST_BRIDGE(iova)",
	[PATH_DIRECT] = "THRU_HOST_BRIDGE(direct)",
	[PATH_BUS] = "BUS_ADDR",
	[PATH_REFUSED] = "NOT_SUPPORTED",
};

/*
 * The buffer: not sorted by BAR offset, with gaps, and one pair that is
 * contiguous in the BAR (ranges 0 and 1), which only the per-range paths
 * can merge. An IOVA span merges everything into one entry.
 */
static const struct bar_exporter_range ranges[] = {
	{ 0x30000, 0x10000 },
	{ 0x40000, 0x4000 },
	{ 0x0, 0x2000 },
	{ 0x100000, 0x20000 },
	{ 0x10000, 0x1000 },
};
#define NR_RANGES	ARRAY_SIZE(ranges)
#define PATTERN_LEN	0x200000ULL	/* BAR bytes the CPU fills */

static int exp_fd = -1;
static struct bar_exporter_info bar;
static __u64 seed;

static int exp_ioctl(unsigned long req, void *arg)
{
	return ioctl(exp_fd, req, arg) ? -errno : 0;
}

static int bar_io(unsigned long req, __u64 off, void *buf, __u64 len)
{
	struct bar_exporter_io io = {
		.offset = off, .len = len, .user_ptr = (uintptr_t)buf,
	};

	return exp_ioctl(req, &io);
}

static int export_buf(const struct bar_exporter_range *r, unsigned int nr)
{
	struct bar_exporter_export e = {
		.ranges_ptr = (uintptr_t)r, .nr_ranges = nr,
	};
	int ret = exp_ioctl(BAR_EXPORTER_EXPORT, &e);

	return ret ? ret : e.fd;
}

static int attach(int fd, __u32 flags)
{
	struct edu_dma_buf_attach a = { .fd = fd, .flags = flags };

	return edu_ioctl(EDU_DMA_BUF_ATTACH, &a);
}

static int map(struct edu_dma_buf_entry *ents, struct edu_dma_buf_map *m)
{
	memset(m, 0, sizeof(*m));
	m->dir = EDU_DMA_DIR_BIDIRECTIONAL;
	m->max_entries = MAX_ENTS;
	m->entries_ptr = (uintptr_t)ents;
	return edu_ioctl(EDU_DMA_BUF_MAP, m);
}

static int buf_rw(__u64 off, void *p, __u32 len, __u32 dir)
{
	struct edu_dma_buf_rw rw = {
		.offset = off, .user_ptr = (uintptr_t)p, .len = len, .dir = dir,
	};

	return edu_ioctl(EDU_DMA_BUF_RW, &rw);
}

static int status(struct edu_dma_buf_status *st)
{
	return edu_ioctl(EDU_DMA_BUF_STATUS, st);
}

/* DMA-API debug entries of edu that point into the BAR; -1 if unreadable */
static int debug_entries(void)
{
	char line[512], dev[64];
	unsigned long long p;
	const char *s;
	int n = 0;
	FILE *f;

	f = fopen("/sys/kernel/debug/dma-api/dump", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %63s", dev) != 1 ||
		    strcmp(dev, edu_info.pci_name))
			continue;
		s = strstr(line, " P=");
		if (s && sscanf(s, " P=%llx", &p) == 1 &&
		    p >= bar.bar_phys && p - bar.bar_phys < bar.bar_size)
			n++;
	}
	fclose(f);
	return n;
}

/* buffer offset of range @i */
static __u64 buf_off(unsigned int i)
{
	__u64 off = 0;

	while (i--)
		off += ranges[i].len;
	return off;
}

/* BAR offset of buffer offset @off */
static __u64 bar_off(__u64 off)
{
	unsigned int i;

	for (i = 0; i < NR_RANGES; i++) {
		if (off < ranges[i].len)
			return ranges[i].offset + off;
		off -= ranges[i].len;
	}
	return ~0ULL;
}

static bool same(const __u8 *got, __u64 boff, __u32 len, __u64 s,
		 char *why, size_t whylen)
{
	__u32 i;

	for (i = 0; i < len; i++) {
		__u8 want = pat_byte(s, bar_off(boff + i));

		if (got[i] != want) {
			snprintf(why, whylen,
				 "buffer offset 0x%llx (BAR 0x%llx): got 0x%02x want 0x%02x",
				 boff + i, bar_off(boff + i), got[i], want);
			return false;
		}
	}
	return true;
}

/* the entries the path must produce, compared with what edu got */
static bool check_entries(const struct topo *t, const struct edu_dma_buf_map *m,
			  const struct edu_dma_buf_entry *e, char *why,
			  size_t whylen)
{
	struct edu_dma_buf_entry want[NR_RANGES];
	unsigned int i, n = 0;
	__u64 total = buf_off(NR_RANGES);

	if (m->total_len != total) {
		snprintf(why, whylen, "total %llu, want %llu", m->total_len,
			 total);
		return false;
	}
	if (t->path == PATH_IOVA) {
		bool in_bar = e[0].dma_addr >= bar.bar_phys &&
			      e[0].dma_addr < bar.bar_phys + bar.bar_size;

		if (m->nents != 1 || e[0].len != total || in_bar ||
		    e[0].dma_addr % PAGE) {
			snprintf(why, whylen,
				 "want one IOVA span of %llu bytes: nents=%u addr=0x%llx len=%llu",
				 total, m->nents, e[0].dma_addr, e[0].len);
			return false;
		}
		return true;
	}

	/* per range: CPU address (direct) or bus address; neighbours merge */
	for (i = 0; i < NR_RANGES; i++) {
		struct bar_exporter_bus_addr b = {
			.phys = bar.bar_phys + ranges[i].offset,
		};
		__u64 addr = b.phys;

		if (t->path == PATH_BUS) {
			if (exp_ioctl(BAR_EXPORTER_BUS_ADDR, &b))
				return false;
			addr = b.bus;
		}
		if (n && want[n - 1].dma_addr + want[n - 1].len == addr) {
			want[n - 1].len += ranges[i].len;
			continue;
		}
		want[n].dma_addr = addr;
		want[n].len = ranges[i].len;
		n++;
	}
	if (m->nents != n) {
		snprintf(why, whylen, "nents=%u, want %u", m->nents, n);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (e[i].dma_addr != want[i].dma_addr || e[i].len != want[i].len) {
			snprintf(why, whylen,
				 "entry %u: 0x%llx+0x%llx, want 0x%llx+0x%llx",
				 i, e[i].dma_addr, e[i].len, want[i].dma_addr,
				 want[i].len);
			return false;
		}
	}
	return true;
}

/* edu reads the start and the end of every range, and across a seam */
static void dma_reads(void)
{
	static __u8 got[EDU_DMA_MAX_XFER];
	char why[160] = "";
	unsigned int i, reads = 0;
	bool ok = true;
	int ret = 0;

	for (i = 0; i < NR_RANGES && ok; i++) {
		__u32 n = ranges[i].len < 3000 ? ranges[i].len : 3000;
		__u64 offs[2] = { buf_off(i), buf_off(i + 1) - n };
		unsigned int k;

		for (k = 0; k < 2 && ok; k++) {
			ret = buf_rw(offs[k], got, n, EDU_DMA_XFER_TO_EDU);
			ok = !ret && same(got, offs[k], n, seed, why, sizeof(why));
			reads++;
		}
	}
	/* the seam between ranges 2 and 3: two entries except on IOVA */
	if (ok) {
		__u64 off = buf_off(3) - 1000;

		ret = buf_rw(off, got, 2000, EDU_DMA_XFER_TO_EDU);
		ok = !ret && same(got, off, 2000, seed, why, sizeof(why));
		reads++;
	}
	result("helper-dma-read", ok,
	       "%u edu reads of all %zu ranges (starts, ends, one seam)%s%s ret=%d",
	       reads, NR_RANGES, ok ? "" : ": ", why, ret);
}

/* edu writes into every range; the CPU checks the bytes and their guards */
static void dma_writes(void)
{
	static __u8 data[EDU_DMA_MAX_XFER], got[EDU_DMA_MAX_XFER + 128];
	__u64 s2 = mix64(seed + 1);
	char why[160] = "";
	unsigned int i;
	bool ok = true;
	int ret = 0;

	for (i = 0; i < NR_RANGES && ok; i++) {
		__u32 n = ranges[i].len < 2048 ? ranges[i].len - 128 : 2048;
		__u64 off = buf_off(i) + ranges[i].len / 2 - n / 2;
		__u64 boff = bar_off(off);
		__u32 k;

		pat_fill(data, n, s2, boff);
		ret = buf_rw(off, data, n, EDU_DMA_XFER_FROM_EDU);
		if (!ret)
			ret = bar_io(BAR_EXPORTER_READ, boff - 64, got, n + 128);
		ok = !ret;
		for (k = 0; ok && k < n + 128; k++) {
			__u64 at = boff - 64 + k;
			bool in = k >= 64 && k < 64 + n;
			__u8 want = pat_byte(in ? s2 : seed, at);

			if (got[k] != want) {
				snprintf(why, sizeof(why),
					 "range %u: %s at BAR 0x%llx got 0x%02x want 0x%02x",
					 i, in ? "data" : "guard", at, got[k],
					 want);
				ok = false;
			}
		}
		/* put the first pattern back for later reads */
		pat_fill(data, n, seed, boff);
		if (ok)
			ret = bar_io(BAR_EXPORTER_WRITE, boff, data, n);
	}
	result("helper-dma-write", ok,
	       "edu wrote into all %zu ranges, CPU verified data and 64 guard bytes each side%s%s ret=%d",
	       NR_RANGES, ok ? "" : ": ", why, ret);
}

/* importers the exporter must turn away, and a non-PCI one */
static void refusals(int fd)
{
	static const struct {
		const char *name;
		const char *what;
		__u32 flags;
	} cases[] = {
		{ "helper-refuse-nop2p", "importer without allow_peer2peer",
		  EDU_DMA_BUF_NO_P2P },
		{ "helper-refuse-static", "static importer (no move_notify)",
		  EDU_DMA_BUF_STATIC },
		{ "helper-refuse-pin", "importer that pins", EDU_DMA_BUF_PIN },
	};
	__s32 sfd = fd;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = attach(fd, cases[i].flags);
		if (!ret)
			edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
		result(cases[i].name, ret == -EOPNOTSUPP,
		       "%s: attach ret=%d (want %d)", cases[i].what, ret,
		       -EOPNOTSUPP);
	}
	ret = exp_ioctl(BAR_EXPORTER_NONPCI_MAP, &sfd);
	result("helper-nonpci", ret == -EINVAL,
	       "map for a non-PCI importer (misc device): ret=%d (want %d, NOT_SUPPORTED)",
	       ret, -EINVAL);
}

/* unbinding the exporter revokes: move_notify, mapping gone, map ENODEV */
static void revoke_on_unbind(int fd)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	char path[128], drv[128];
	struct edu_dma_buf_status st = {};
	struct edu_dma_buf_map m;
	int ret, wfd, mret;
	__u8 b;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bar.pci_name);
	snprintf(drv, sizeof(drv), "%s", bar.pci_name);
	wfd = open(path, O_WRONLY);
	ret = wfd < 0 ? -errno : 0;
	if (!ret && write(wfd, drv, strlen(drv)) < 0)
		ret = -errno;
	if (wfd >= 0)
		close(wfd);
	if (!ret)
		ret = status(&st);
	mret = map(ents, &m);
	result("helper-revoke", !ret && st.move_notifies == 1 && !st.mapped &&
	       mret == -ENODEV &&
	       buf_rw(0, &b, 1, EDU_DMA_XFER_TO_EDU) == -ENOENT,
	       "unbind of %s: ret=%d move_notifies=%u mapped=%u, map after revoke ret=%d (want %d)",
	       bar.pci_name, ret, st.move_notifies, st.mapped, mret, -ENODEV);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	close(fd);
}

static const struct topo *topo_of(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < ARRAY_SIZE(topos); i++)
		if (!strcmp(topos[i].name, name))
			return &topos[i];
	return NULL;
}

static int cmd_helper(void)
{
	const struct topo *t = topo_of(getenv("BENCH_TOPOLOGY"));
	struct edu_dma_buf_entry ents[MAX_ENTS];
	static __u8 pattern[1024 * 1024];
	struct edu_dma_buf_map m;
	int fd, ret, before, after;
	char why[200] = "";
	__u64 off;
	bool ok;

	if (!t) {
		result(SC, false, "unknown topology '%s'",
		       getenv("BENCH_TOPOLOGY") ?: "");
		return 1;
	}
	exp_fd = open(BAR_EXPORTER_DEV_PATH, O_RDWR);
	if (exp_fd < 0 || exp_ioctl(BAR_EXPORTER_INFO, &bar)) {
		result(SC, false, "%s: %s", BAR_EXPORTER_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	info(SC, "topology=%s ivshmem=%s bar_phys=0x%llx bar_bus=0x%llx bar_size=0x%llx bus_offset=0x%llx edu=%s edu_iommu=%d",
	     t->name, bar.pci_name, bar.bar_phys, bar.bar_bus, bar.bar_size,
	     bar.bus_offset, edu_info.pci_name,
	     !!(edu_info.flags & EDU_DMA_INFO_IOMMU));

	for (off = 0; off < PATTERN_LEN; off += sizeof(pattern)) {
		pat_fill(pattern, sizeof(pattern), seed, off);
		ret = bar_io(BAR_EXPORTER_WRITE, off, pattern, sizeof(pattern));
		if (ret) {
			result(SC, false, "CPU write of the BAR: ret=%d", ret);
			return 1;
		}
	}

	fd = export_buf(ranges, NR_RANGES);
	if (fd < 0) {
		result(SC, false, "export of %zu ranges: ret=%d", NR_RANGES, fd);
		return 1;
	}
	ret = attach(fd, 0);
	result("helper-attach", !ret, "dynamic P2P importer: ret=%d", ret);
	if (ret)
		return 1;

	before = debug_entries();
	ret = map(ents, &m);
	after = debug_entries();
	if (t->path == PATH_REFUSED) {
		result("helper-map", ret == -EINVAL,
		       "map type NOT_SUPPORTED: map ret=%d (want %d)", ret,
		       -EINVAL);
		info("helper-classify", "topology=%s map_type=%s map_ret=%d",
		     t->name, ret == -EINVAL ? "NOT_SUPPORTED" : "?", ret);
	} else {
		ok = !ret && check_entries(t, &m, ents, why, sizeof(why));
		result("helper-map", ok,
		       "%s: ret=%d nents=%u first=0x%llx+0x%llx%s%s", path_name[t->path],
		       ret, m.nents, ents[0].dma_addr, ents[0].len,
		       ok ? "" : ": ", why);
		/* the bus-address path maps nothing: nothing to track */
		if (!ret)
			result("helper-dma-debug",
			       t->path == PATH_BUS ? after == before :
			       after > before,
			       "DMA-API debug entries of edu in the BAR: %d before map, %d after (%s)",
			       before, after,
			       t->path == PATH_BUS ? "bus addresses: none" :
			       "mapped through the DMA API");
		info("helper-classify",
		     "topology=%s map_type=%s nents=%u dma_debug_entries=%d",
		     t->name, ok ? path_name[t->path] : "unexpected", m.nents,
		     after - before);
	}
	if (!ret && t->dma) {
		dma_reads();
		dma_writes();
	}
	if (!ret) {
		ret = edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
		after = debug_entries();
		result("helper-unmap", !ret && after == before,
		       "unmap ret=%d, DMA-API debug entries back to %d (now %d)",
		       ret, before, after);
	}
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);

	refusals(fd);

	/* map again, then take the exporter's device away */
	ret = attach(fd, 0);
	if (!ret && t->path != PATH_REFUSED)
		ret = map(ents, &m);
	if (ret && t->path != PATH_REFUSED) {
		result("helper-revoke", false, "attach/map before unbind: %d",
		       ret);
		return 1;
	}
	revoke_on_unbind(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "helper")) {
		fprintf(stderr, "usage: dbuftest helper [SEED]\n");
		return 2;
	}
	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
	if (!seed)
		seed = mix64((__u64)time(NULL) ^ ((__u64)getpid() << 32));
	info(SC, "seed=0x%llx", (unsigned long long)seed);

	ret = edu_open();
	if (ret) {
		result(SC, false, "%s: %s", EDU_DMA_DEV_PATH, strerror(-ret));
		return 1;
	}
	return cmd_helper();
}
