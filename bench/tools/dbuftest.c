// SPDX-License-Identifier: GPL-2.0
/*
 * dbuftest - dma-buf tests of the mmio-dmabuf QEMU bench
 *
 *   dbuftest helper [SEED]   the mapping helper through the bar_exporter
 *                            test exporter: path chosen per topology
 *                            ($BENCH_TOPOLOGY), DMA addresses, edu reads
 *                            and writes of every range, refusals, revoke
 *                            on unbind
 *   dbuftest fuzz BDF [SEED [N]]
 *                            N (default 3000) mutated export requests,
 *                            each must fail as SPEC 6.2 says; no fd leak
 *   dbuftest faults BDF      fail the 1st, 2nd, ... fault-injection point
 *                            of export, attach, map and revoke in turn
 *   dbuftest stress BDF [SEED [SECONDS]]
 *                            importers mapping and DMA-verifying while
 *                            decode toggles, resets and exports run in
 *                            parallel; then close and unbind
 *   dbuftest vfio BDF [SEED] the same through VFIO_DEVICE_FEATURE_DMA_BUF
 *                            of BDF (bound to vfio-pci), then revoke by
 *                            every trigger the device offers, late
 *                            importers, device close and vfio-pci unbind
 *   dbuftest rdma BDF [SEED] a VFIO dma-buf of BDF imported through the
 *                            RDMA core's umem functions (rdma_import):
 *                            dynamic, pinned (refused) and revocable
 *                            pinned, edu DMA at the trimmed table's
 *                            addresses, revoke by every trigger offered
 *
 * Results are KTAP test cases and "# info:" figures (see common.h); SEED
 * 0 or none is derived from the run's seed (BENCH_SEED). The exit status is 1 if any check failed, 2 on usage errors.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "bar_exporter.h"
#include "common.h"
#include "edu.h"
#include "rdma_import.h"
#include "vfio.h"

/* the uAPI of the series, for user-space headers that predate it */
#ifndef VFIO_DEVICE_FEATURE_DMA_BUF
#define VFIO_DEVICE_FEATURE_DMA_BUF 11

struct vfio_region_dma_range {
	__u64 offset;
	__u64 length;
};

struct vfio_device_feature_dma_buf {
	__u32 region_index;
	__u32 open_flags;
	__u32 flags;
	__u32 nr_ranges;
	struct vfio_region_dma_range dma_ranges[];
};
#endif
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

/* the exporter under test: bar_exporter, or VFIO with the BAR in @vb */
static const char *sc = "helper";
static bool use_vfio;
static struct vfio_bar vb;

/* "<sc>-<what>": result names of the exporter under test */
static const char *nm(const char *what)
{
	static char names[4][64];
	static unsigned int next;
	char *n = names[next++ % 4];

	snprintf(n, sizeof(names[0]), "%s-%s", sc, what);
	return n;
}

/* CPU access to the BAR, through the exporter's way to reach it */
static int cpu_io(bool write, __u64 off, void *buf, __u64 len);

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

static int cpu_io(bool write, __u64 off, void *buf, __u64 len)
{
	if (!use_vfio)
		return bar_io(write ? BAR_EXPORTER_WRITE : BAR_EXPORTER_READ,
			      off, buf, len);
	if (!vb.map || off > vb.size || len > vb.size - off)
		return -EINVAL;
	if (write)
		memcpy((__u8 *)vb.map + off, buf, len);
	else
		memcpy(buf, (__u8 *)vb.map + off, len);
	return 0;
}

/* VFIO_DEVICE_FEATURE_DMA_BUF of BAR2: the new fd, or -errno */
static int vfio_export(const struct bar_exporter_range *r, unsigned int nr,
		       __u32 open_flags)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_dma_buf db;
		struct vfio_region_dma_range r[8];
	} req = {};
	unsigned int i;
	int fd;

	if (nr > ARRAY_SIZE(req.r))
		return -EINVAL;
	req.hdr.argsz = sizeof(req.hdr) + sizeof(req.db) + nr * sizeof(req.r[0]);
	req.hdr.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	req.db.region_index = VFIO_PCI_BAR0_REGION_INDEX + 2;
	req.db.open_flags = open_flags;
	req.db.nr_ranges = nr;
	for (i = 0; i < nr; i++) {
		req.r[i].offset = r[i].offset;
		req.r[i].length = r[i].len;
	}
	fd = ioctl(vb.device, VFIO_DEVICE_FEATURE, &req);
	return fd < 0 ? -errno : fd;
}

static int export_buf(const struct bar_exporter_range *r, unsigned int nr)
{
	struct bar_exporter_export e = {
		.ranges_ptr = (uintptr_t)r, .nr_ranges = nr,
	};
	int ret;

	if (use_vfio)
		return vfio_export(r, nr, O_RDWR | O_CLOEXEC);
	ret = exp_ioctl(BAR_EXPORTER_EXPORT, &e);
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
	return dma_debug_entries(edu_info.pci_name, NULL, bar.bar_phys,
				 bar.bar_size);
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

		/* VFIO: x86 has no offset between CPU and PCI bus addresses */
		if (t->path == PATH_BUS && !use_vfio) {
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
	result(nm("dma-read"), ok,
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
			ret = cpu_io(false, boff - 64, got, n + 128);
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
			ret = cpu_io(true, boff, data, n);
	}
	result(nm("dma-write"), ok,
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
		{ "refuse-nop2p", "importer without allow_peer2peer",
		  EDU_DMA_BUF_NO_P2P },
		{ "refuse-static", "static importer (no move_notify)",
		  EDU_DMA_BUF_STATIC },
		{ "refuse-not-revocable",
		  "importer that does not declare itself revocable, pinning",
		  EDU_DMA_BUF_NOT_REVOCABLE | EDU_DMA_BUF_PIN },
	};
	struct edu_dma_buf_status st = {};
	__s32 sfd = fd;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = attach(fd, cases[i].flags);
		if (!ret)
			edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
		result(nm(cases[i].name), ret == -EOPNOTSUPP,
		       "%s: attach ret=%d (want %d)", cases[i].what, ret,
		       -EOPNOTSUPP);
	}
	/* a revocable importer may pin: a revoke still takes its mapping */
	ret = attach(fd, EDU_DMA_BUF_PIN);
	if (!ret)
		status(&st);
	if (!ret)
		edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	result(nm("pin-revocable"), !ret && st.pinned,
	       "revocable importer that pins: attach and dma_buf_pin() ret=%d (want 0), pinned %u",
	       ret, st.pinned);
	if (use_vfio)
		return;
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

/* the CPU writes the pattern of @seed into the start of the BAR */
static bool fill_bar(void)
{
	static __u8 pattern[1024 * 1024];
	__u64 off;
	int ret;

	for (off = 0; off < PATTERN_LEN; off += sizeof(pattern)) {
		pat_fill(pattern, sizeof(pattern), seed, off);
		ret = cpu_io(true, off, pattern, sizeof(pattern));
		if (ret) {
			result(nm("setup"), false, "CPU write of the BAR: ret=%d",
			       ret);
			return false;
		}
	}
	return true;
}

/*
 * Attach edu to the dma-buf @fd, map it, check the path and the entries,
 * DMA through every range, unmap, detach; then the importers the exporter
 * must refuse. Returns false if the buffer could not be attached.
 */
static bool map_and_verify(const struct topo *t, int fd)
{
	struct edu_dma_buf_entry ents[MAX_ENTS] = {};
	struct edu_dma_buf_map m = {};
	int ret, before, after;
	char why[200] = "";
	bool ok = false;

	ret = attach(fd, 0);
	result(nm("attach"), !ret, "dynamic P2P importer: ret=%d", ret);
	if (ret)
		return false;

	before = debug_entries();
	ret = map(ents, &m);
	after = debug_entries();
	if (t->path == PATH_REFUSED) {
		result(nm("map"), ret == -EINVAL,
		       "map type NOT_SUPPORTED: map ret=%d (want %d)", ret,
		       -EINVAL);
		info(nm("classify"), "topology=%s map_type=%s map_ret=%d",
		     t->name, ret == -EINVAL ? "NOT_SUPPORTED" : "?", ret);
	} else {
		ok = !ret && check_entries(t, &m, ents, why, sizeof(why));
		result(nm("map"), ok,
		       "%s: ret=%d nents=%u first=0x%llx+0x%llx%s%s",
		       path_name[t->path], ret, m.nents, ents[0].dma_addr,
		       ents[0].len, ok ? "" : ": ", why);
		/* the bus-address path maps nothing: nothing to track */
		if (!ret)
			result(nm("dma-debug"),
			       t->path == PATH_BUS ? after == before :
			       after > before,
			       "DMA-API debug entries of edu in the BAR: %d before map, %d after (%s)",
			       before, after,
			       t->path == PATH_BUS ? "bus addresses: none" :
			       "mapped through the DMA API");
		info(nm("classify"),
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
		result(nm("unmap"), !ret && after == before,
		       "unmap ret=%d, DMA-API debug entries back to %d (now %d)",
		       ret, before, after);
	}
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	refusals(fd);
	return true;
}

/* the CPU fills the BAR, the buffer is exported and map_and_verify()ed */
static int export_and_verify(const struct topo *t)
{
	int fd;

	if (!fill_bar())
		return -1;
	fd = export_buf(ranges, NR_RANGES);
	if (fd < 0) {
		result(sc, false, "export of %zu ranges: ret=%d", NR_RANGES, fd);
		return -1;
	}
	if (!map_and_verify(t, fd))
		return -1;
	return fd;
}

static int cmd_helper(const struct topo *t)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_map m;
	int fd, ret;

	exp_fd = open(BAR_EXPORTER_DEV_PATH, O_RDWR);
	if (exp_fd < 0 || exp_ioctl(BAR_EXPORTER_INFO, &bar)) {
		result(sc, false, "%s: %s", BAR_EXPORTER_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	info(sc, "topology=%s ivshmem=%s bar_phys=0x%llx bar_bus=0x%llx bar_size=0x%llx bus_offset=0x%llx edu=%s edu_iommu=%d",
	     t->name, bar.pci_name, bar.bar_phys, bar.bar_bus, bar.bar_size,
	     bar.bus_offset, edu_info.pci_name,
	     !!(edu_info.flags & EDU_DMA_INFO_IOMMU));
	fd = export_and_verify(t);
	if (fd < 0)
		return 1;

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

/* --- VFIO exporter ------------------------------------------------------ */

static int cfg_rw(__u64 off, void *v, size_t len, bool write)
{
	return vfio_config_rw(&vb, off, v, len, write);
}

/* offset of capability @id in config space, 0 if the device has none */
static __u8 find_cap(__u8 id)
{
	__u8 pos = 0, cap[2];
	int n;

	if (cfg_rw(PCI_CAPABILITY_LIST, &pos, 1, false))
		return 0;
	for (n = 0; pos >= 0x40 && n < 48; n++) {
		if (cfg_rw(pos, cap, 2, false))
			return 0;
		if (cap[0] == id)
			return pos;
		pos = cap[1] & ~3;
	}
	return 0;
}

static __u16 cmd_saved;

static int decode_off(void)
{
	__u16 v;
	int ret = cfg_rw(PCI_COMMAND, &cmd_saved, 2, false);

	v = cmd_saved & ~PCI_COMMAND_MEMORY;
	return ret ? ret : cfg_rw(PCI_COMMAND, &v, 2, true);
}

static int decode_on(void)
{
	__u16 v = cmd_saved | PCI_COMMAND_MEMORY;

	return cfg_rw(PCI_COMMAND, &v, 2, true);
}

static int set_power(__u16 state)
{
	__u8 pm = find_cap(PCI_CAP_ID_PM);
	__u16 v;
	int ret;

	if (!pm)
		return -ENODEV;
	ret = cfg_rw(pm + PCI_PM_CTRL, &v, 2, false);
	v = (v & ~PCI_PM_CTRL_STATE_MASK) | state;
	return ret ? ret : cfg_rw(pm + PCI_PM_CTRL, &v, 2, true);
}

static int d3hot(void) { return set_power(3); }
static int d0(void) { return set_power(0); }

static int flr(void)
{
	__u8 exp = find_cap(PCI_CAP_ID_EXP);
	__u32 cap;
	__u16 ctl;
	int ret;

	if (!exp || cfg_rw(exp + PCI_EXP_DEVCAP, &cap, 4, false) ||
	    !(cap & PCI_EXP_DEVCAP_FLR))
		return -ENODEV;
	ret = cfg_rw(exp + PCI_EXP_DEVCTL, &ctl, 2, false);
	ctl |= PCI_EXP_DEVCTL_BCR_FLR;
	return ret ? ret : cfg_rw(exp + PCI_EXP_DEVCTL, &ctl, 2, true);
}

static int nothing(void) { return 0; }

static int device_reset(void)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };

	if (ioctl(vb.device, VFIO_DEVICE_GET_INFO, &di))
		return -errno;
	if (!(di.flags & VFIO_DEVICE_FLAGS_RESET))
		return -ENODEV;
	return ioctl(vb.device, VFIO_DEVICE_RESET) ? -errno : 0;
}

static int low_power(__u32 feature)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f),
		.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
			 feature,
	};

	if (ioctl(vb.device, VFIO_DEVICE_FEATURE, &f))
		return errno == ENOTTY || errno == EINVAL ? -ENODEV : -errno;
	f.flags = VFIO_DEVICE_FEATURE_SET | feature;
	return ioctl(vb.device, VFIO_DEVICE_FEATURE, &f) ? -errno : 0;
}

static int lp_entry(void) { return low_power(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY); }
static int lp_exit(void) { return low_power(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT); }

/* what a map of a buffer that is not revoked must give on this topology */
static int map_want(const struct topo *t)
{
	return t->path == PATH_REFUSED ? -EINVAL : 0;
}

/* map, and if it worked have edu read the first range back, then unmap */
static int map_check(const struct topo *t, char *why, size_t whylen)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_map m;
	static __u8 got[512];
	int ret = map(ents, &m);

	if (ret)
		return ret;
	if (t->dma) {
		ret = buf_rw(0, got, sizeof(got), EDU_DMA_XFER_TO_EDU);
		if (!ret && !same(got, 0, sizeof(got), seed, why, whylen))
			ret = -EIO;
	}
	edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
	return ret;
}

/*
 * One revoke trigger against a mapped buffer: move_notify reaches edu and
 * the mapping is gone when the trigger returns, a map fails with ENODEV
 * while it holds, and after @undo a map works (and edu reads the BAR)
 * again. A trigger the device does not offer is reported, not passed.
 */
static void revoke_case(const struct topo *t, const char *name,
			int (*trigger)(void), int (*undo)(void),
			bool transient)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_status st0 = {}, st1 = {};
	struct edu_dma_buf_map m;
	char why[160] = "";
	int mret, tret, rret, aret, uret;

	mret = map(ents, &m);
	status(&st0);
	tret = trigger();
	if (tret == -ENODEV) {
		info(nm(name), "not offered by this device: not tested here");
		if (!mret)
			edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
		return;
	}
	status(&st1);
	/*
	 * A reset is over, and the buffer restored, when the call returns:
	 * the map tried inside move_notify is then the only witness.
	 */
	rret = transient ? 0 : map(ents, &m);
	if (!transient && !rret)
		edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
	uret = undo();
	aret = map_check(t, why, sizeof(why));
	result(nm(name), mret == map_want(t) && !tret &&
	       st1.move_notifies == st0.move_notifies + 1 && !st1.mapped &&
	       st1.notify_map_ret == -ENODEV &&
	       (transient || rret == -ENODEV) && !uret && aret == map_want(t),
	       "map before=%d, trigger=%d, move_notify %u->%u, mapped after=%u, map in move_notify=%d (want %d), map after the trigger=%s%d, undo=%d, map after undo=%d (want %d)%s%s",
	       mret, tret, st0.move_notifies, st1.move_notifies, st1.mapped,
	       st1.notify_map_ret, -ENODEV,
	       transient ? "not tried, restored on return " : "", rret,
	       uret, aret, map_want(t), *why ? ": " : "", why);
}

/* revoke waits for an importer that unmaps late, and for its fences */
static void revoke_waits(const struct topo *t, int fd)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_status st = {};
	struct edu_dma_buf_attach a = {
		.fd = fd, .flags = EDU_DMA_BUF_LATE_UNMAP, .late_ms = 300,
	};
	struct edu_dma_buf_map m;
	__u32 ms = 300;
	int ret, mret, tret, pend;

	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	ret = edu_ioctl(EDU_DMA_BUF_ATTACH, &a);
	mret = map(ents, &m);
	tret = decode_off();
	status(&st);
	decode_on();
	result(nm("revoke-late-unmap"),
	       !ret && mret == map_want(t) && !tret &&
	       st.late_unmaps == (mret ? 0U : 1U) && !st.mapped,
	       "importer unmapping 300 ms after move_notify: when decode-off returned, late_unmaps=%u mapped=%u (attach=%d map=%d)",
	       st.late_unmaps, st.mapped, ret, mret);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);

	ret = attach(fd, 0);
	if (!ret)
		ret = edu_ioctl(EDU_DMA_BUF_FENCE, &ms);
	status(&st);
	pend = st.fence_pending;
	tret = decode_off();
	status(&st);
	decode_on();
	result(nm("revoke-fence"), !ret && pend && !tret && !st.fence_pending,
	       "BOOKKEEP fence signalled 300 ms later: pending before=%d, after decode-off returned=%u (ret=%d)",
	       pend, st.fence_pending, ret);

	/* revoking twice is harmless: nothing hangs, restore still works */
	status(&st);
	pend = st.move_notifies;
	tret = decode_off();
	if (!tret)
		tret = decode_off();
	status(&st);
	ret = decode_on();
	mret = map_check(t, NULL, 0);
	result(nm("revoke-twice"), !tret && !ret && mret == map_want(t),
	       "decode cleared twice: ret=%d, move_notify %d->%u, restore=%d, map after=%d",
	       tret, pend, st.move_notifies, ret, mret);
}

static bool vfio_open(const char *bdf)
{
	char err[256];
	int ret = vfio_bar_open(&vb, bdf, 2, err, sizeof(err));

	if (ret)
		result(nm("open"), false, "%s", err);
	return !ret;
}

/* closing the device revokes for good; the dma-buf fd stays, inert */
static void revoke_on_close(const struct topo *t, const char *bdf, int fd)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_status st0 = {}, st1 = {};
	struct edu_dma_buf_map m;
	off_t size, want = buf_off(NR_RANGES);
	int mret, rret, r2, fd2;

	mret = map(ents, &m);
	status(&st0);
	vfio_bar_close(&vb);
	status(&st1);
	rret = map(ents, &m);
	size = lseek(fd, 0, SEEK_END);
	result(nm("revoke-close"),
	       mret == map_want(t) && st1.move_notifies == st0.move_notifies + 1 &&
	       !st1.mapped && rret == -ENODEV && size == want,
	       "device fd closed: move_notify %u->%u, mapped=%u, map=%d (want %d), dma-buf size still %lld (want %lld)",
	       st0.move_notifies, st1.move_notifies, st1.mapped, rret, -ENODEV,
	       (long long)size, (long long)want);

	/* open again: the old buffer stays revoked, a new one works */
	if (!vfio_open(bdf))
		return;
	r2 = map(ents, &m);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	fd2 = export_buf(ranges, NR_RANGES);
	mret = fd2 < 0 ? fd2 : attach(fd2, 0);
	if (!mret)
		mret = map_check(t, NULL, 0);
	result(nm("revoke-close-final"), r2 == -ENODEV && mret == map_want(t),
	       "after reopening the device: old buffer map=%d (want %d), new buffer map=%d (want %d)",
	       r2, -ENODEV, mret, map_want(t));
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	if (fd2 >= 0)
		close(fd2);
	close(fd);
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* vfio-pci unbind with a live, mapped dma-buf completes; close is clean */
static void unbind_live(const struct topo *t)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_status st = {};
	struct edu_dma_buf_map m;
	char path[160];
	int fd, ret, mret, uret;

	fd = export_buf(ranges, NR_RANGES);
	ret = fd < 0 ? fd : attach(fd, 0);
	mret = ret ? ret : map(ents, &m);
	vfio_bar_close(&vb);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bar.pci_name);
	uret = sysfs_write(path, bar.pci_name);
	status(&st);
	result(nm("unbind"), !ret && mret == map_want(t) && !uret && !st.mapped,
	       "vfio-pci unbind with a live dma-buf: export/attach=%d map=%d unbind=%d mapped after=%u",
	       ret, mret, uret, st.mapped);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	if (fd >= 0)
		close(fd);
}

/* /proc/meminfo's Slab plus VmallocUsed, in KiB (-1 if unreadable) */
static long kernel_mem_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long v, sum = 0;
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld kB", &v) == 1 ||
		    sscanf(line, "VmallocUsed: %ld kB", &v) == 1) {
			sum += v;
			found++;
		}
	}
	fclose(f);
	return found == 2 ? sum : -1;
}

/*
 * The most ranges a request may have, as the uAPI kernel-doc states it
 * (KMALLOC_MAX_SIZE / 16: 262144 with 4 KiB pages on x86_64), and what the
 * kernel may allocate for them while they are mapped: at most 512 bytes a
 * range (its phys_vec entry, the helper's, and the DMA-API debug entry of
 * its mapping, KASAN's redzones included).
 */
#define MAX_RANGES		262144U
#define MAX_RANGES_BYTES	512

/*
 * The largest request maps: MAX_RANGES ranges of the patterned part of
 * BAR2 export, edu maps them (on dma-direct one mapping per range, under
 * the reservation lock) and DMAs from the last range, Slab plus vmalloc
 * use stays within the bound while mapped, and the judge finds no soft
 * lockup or RCU stall in the log. One more range is ENOMEM.
 */
static void max_ranges(void)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct vfio_device_feature_dma_buf *db;
	unsigned int i, npages = PATTERN_LEN / PAGE;
	static __u8 got[2048];
	struct vfio_device_feature *hdr;
	long mem0, mem1 = -1, limit;
	struct edu_dma_buf_map m;
	__u64 last, want_len;
	struct timespec t0, t1;
	char why[160] = "";
	size_t len;
	int fd, ret;
	void *mem;

	len = sizeof(*hdr) + sizeof(*db) +
	      (MAX_RANGES + 1) * sizeof(db->dma_ranges[0]);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		result(nm("max-ranges"), false, "mmap: %s", strerror(errno));
		return;
	}
	hdr = mem;
	db = (void *)hdr->data;
	hdr->argsz = len;
	hdr->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	db->region_index = VFIO_PCI_BAR0_REGION_INDEX + 2;
	db->open_flags = O_RDWR | O_CLOEXEC;
	db->nr_ranges = MAX_RANGES + 1;
	for (i = 0; i <= MAX_RANGES; i++) {
		db->dma_ranges[i].offset = (__u64)(i % npages) * PAGE;
		db->dma_ranges[i].length = PAGE;
	}
	fd = ioctl(vb.device, VFIO_DEVICE_FEATURE, hdr);
	ret = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	result(nm("max-ranges-plus-one"), ret == ENOMEM,
	       "%u ranges, one more than the bound: %s (want ENOMEM)",
	       MAX_RANGES + 1, ret ? strerror(ret) : "a dma-buf");

	hdr->argsz = len - sizeof(db->dma_ranges[0]);
	db->nr_ranges = MAX_RANGES;
	mem0 = kernel_mem_kb();
	fd = ioctl(vb.device, VFIO_DEVICE_FEATURE, hdr);
	if (fd < 0) {
		result(nm("max-ranges"), false, "export of %u ranges: %s",
		       MAX_RANGES, strerror(errno));
		goto out;
	}
	ret = attach(fd, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!ret)
		ret = map(ents, &m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	want_len = (__u64)MAX_RANGES * PAGE;
	if (!ret) {
		mem1 = kernel_mem_kb();
		if (m.total_len != want_len)
			snprintf(why, sizeof(why), "table of 0x%llx bytes, want 0x%llx",
				 (unsigned long long)m.total_len,
				 (unsigned long long)want_len);
	}
	if (!ret && !why[0]) {
		/* the last range is page (MAX_RANGES - 1) % npages of the BAR */
		last = want_len - PAGE;
		ret = buf_rw(last, got, sizeof(got), EDU_DMA_XFER_TO_EDU);
		for (i = 0; !ret && i < sizeof(got) && !why[0]; i++) {
			__u64 boff = (__u64)((MAX_RANGES - 1) % npages) * PAGE + i;

			if (got[i] != pat_byte(seed, boff))
				snprintf(why, sizeof(why),
					 "buffer offset 0x%llx (BAR 0x%llx): got 0x%02x want 0x%02x",
					 (unsigned long long)(last + i),
					 (unsigned long long)boff, got[i],
					 pat_byte(seed, boff));
		}
	}
	limit = (long)MAX_RANGES * MAX_RANGES_BYTES / 1024;
	if (!ret && !why[0] && (mem0 < 0 || mem1 < 0 || mem1 - mem0 > limit))
		snprintf(why, sizeof(why), "Slab+VmallocUsed grew %ld KiB, bound %ld KiB",
			 mem0 < 0 || mem1 < 0 ? -1 : mem1 - mem0, limit);
	result(nm("max-ranges"), !ret && !why[0],
	       "%u ranges exported, mapped (%u entries, %.1f s) and read by edu: ret=%d, Slab+VmallocUsed +%ld KiB (bound %ld)%s%s",
	       MAX_RANGES, ret ? 0 : m.nents,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, ret,
	       mem1 - mem0, limit, why[0] ? ": " : "", why);
	if (!ret)
		edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	close(fd);
out:
	munmap(mem, len);
}

static int cmd_vfio(const struct topo *t, const char *bdf)
{
	char err[256];
	int fd, ret;

	ret = vfio_bar_open(&vb, bdf, 2, err, sizeof(err));
	if (ret && !strcmp(t->name, "switch-iommu")) {
		/* ivshmem shares edu's IOMMU group behind the switch */
		result(nm("open"), ret == -EBUSY,
		       "group shared with edu (bound to edu_dma): %s", err);
		return failures ? 1 : 0;
	}
	if (ret) {
		result(nm("open"), false, "%s", err);
		return 1;
	}
	bar.bar_phys = vb.phys;
	bar.bar_size = vb.size;
	snprintf(bar.pci_name, sizeof(bar.pci_name), "%s", vb.bdf);
	info(sc, "topology=%s ivshmem=%s bar_phys=0x%llx bar_size=0x%llx edu=%s edu_iommu=%d noiommu_group=%d",
	     t->name, bar.pci_name, bar.bar_phys, bar.bar_size,
	     edu_info.pci_name, !!(edu_info.flags & EDU_DMA_INFO_IOMMU),
	     vb.noiommu);
	fd = export_and_verify(t);
	if (fd < 0)
		return 1;
	/* once, on ivshmem: the NVMe CMB's run would take as long again */
	if (t->path == PATH_DIRECT && !strcmp(sc, "vfio"))
		max_ranges();

	ret = attach(fd, 0);
	if (ret) {
		result(nm("revoke"), false, "attach: %d", ret);
		return 1;
	}
	revoke_case(t, "revoke-decode", decode_off, decode_on, false);
	revoke_case(t, "revoke-d3hot", d3hot, d0, false);
	revoke_case(t, "revoke-flr", flr, nothing, true);
	revoke_case(t, "revoke-reset", device_reset, nothing, true);
	revoke_case(t, "revoke-low-power", lp_entry, lp_exit, false);
	revoke_waits(t, fd);
	revoke_on_close(t, bdf, fd);
	unbind_live(t);
	return failures ? 1 : 0;
}

/* --- the RDMA core's dma-buf import (rdma_import) ----------------------- */

/*
 * A umem of the buffer that neither starts nor ends on a range or page
 * boundary: the last 0x124 bytes of range 0, ranges 1 and 2, and 0x200
 * bytes of range 3. The RDMA core maps the whole buffer and trims the
 * table to the pages of [RD_OFF, RD_OFF + RD_LEN).
 */
#define RD_OFF		0xfedcULL
#define RD_LEN		0x6324ULL
#define RD_MAX_ENTS	64

static int rd_fd = -1;

static int rd_ioctl(unsigned long req, void *arg)
{
	return ioctl(rd_fd, req, arg) ? -errno : 0;
}

static int rd_get(int fd, __u32 mode)
{
	struct rdma_import_get g = {
		.fd = fd, .mode = mode, .offset = RD_OFF, .length = RD_LEN,
	};

	return rd_ioctl(RDMA_IMPORT_GET, &g);
}

static struct rdma_import_status rd_status(void)
{
	struct rdma_import_status st = {};

	rd_ioctl(RDMA_IMPORT_STATUS, &st);
	return st;
}

/*
 * Devices attached to the dma-buf @fd, from debugfs (dma_buf/bufinfo):
 * the line of the buffer's inode, then "Total N devices attached". -1 if
 * it cannot be read.
 */
static int attached_devices(int fd)
{
	FILE *f = fopen("/sys/kernel/debug/dma_buf/bufinfo", "r");
	unsigned long ino, want;
	char line[512];
	bool mine = false;
	struct stat sb;
	int n = -1;

	if (!f)
		return -1;
	if (fstat(fd, &sb)) {
		fclose(f);
		return -1;
	}
	want = sb.st_ino;
	while (fgets(line, sizeof(line), f)) {
		/* a buffer's line; its attachments and fences are indented */
		if (line[0] != '\t' &&
		    sscanf(line, "%*s %*s %*s %*s %*s %lu", &ino) == 1)
			mine = ino == want;
		else if (mine && sscanf(line, "Total %d devices attached", &n) == 1)
			break;
	}
	fclose(f);
	return n;
}

/*
 * The DMA address of byte @k of the umem, from its trimmed table @e
 * (@nents entries; the umem starts @first into the first one), and how
 * many bytes from there are contiguous. 0 if @k is beyond the table.
 */
static __u64 rd_addr(const struct rdma_import_entry *e, unsigned int nents,
		     __u64 first, __u64 k, __u64 *contig)
{
	unsigned int i;

	k += first;
	for (i = 0; i < nents; i++) {
		if (k < e[i].len) {
			*contig = e[i].len - k;
			return e[i].dma_addr + k;
		}
		k -= e[i].len;
	}
	*contig = 0;
	return 0;
}

/*
 * edu reads (@write false) or writes the umem bytes [@k, @k + @len)
 * through the table, moving them through the scratch buffer at @soff.
 */
static int rd_dma(const struct rdma_import_entry *e, unsigned int nents,
		  __u64 first, __u64 k, __u64 len, bool write)
{
	__u64 done = 0, contig, addr, n;
	int ret;

	while (done < len) {
		addr = rd_addr(e, nents, first, k + done, &contig);
		if (!addr)
			return -ERANGE;
		n = len - done < contig ? len - done : contig;
		ret = write ? edu_copy(edu_info.scratch_dma + done, addr, n) :
			      edu_copy(addr, edu_info.scratch_dma + done, n);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/* the umem's table; 0, or the RDMA_IMPORT_TABLE error */
static int rd_table(struct rdma_import_entry *e, struct rdma_import_table *t)
{
	memset(t, 0, sizeof(*t));
	t->max_entries = RD_MAX_ENTS;
	t->entries_ptr = (uintptr_t)e;
	return rd_ioctl(RDMA_IMPORT_TABLE, t);
}

/*
 * The table is the buffer's, trimmed to the pages of the umem: its length
 * is those pages, it starts RD_OFF's offset into its first page, and on
 * the per-range paths each entry starts where the BAR range of its umem
 * byte is.
 */
static bool rd_check_table(const struct topo *t,
			   const struct rdma_import_entry *e,
			   const struct rdma_import_table *tb, char *why,
			   size_t whylen)
{
	__u64 start = RD_OFF & ~(PAGE - 1);
	__u64 end = (RD_OFF + RD_LEN + PAGE - 1) & ~(PAGE - 1);
	__u64 total = 0, k = 0;
	unsigned int i;

	if (tb->nents > RD_MAX_ENTS) {
		snprintf(why, whylen, "%u entries", tb->nents);
		return false;
	}
	for (i = 0; i < tb->nents; i++)
		total += e[i].len;
	if (total != end - start || tb->first_offset != RD_OFF - start) {
		snprintf(why, whylen,
			 "table of %llu bytes starting 0x%llx in, want %llu bytes starting 0x%llx in",
			 total, tb->first_offset, end - start, RD_OFF - start);
		return false;
	}
	if (t->path == PATH_IOVA)
		return true;
	for (i = 0; i < tb->nents; k += e[i].len, i++) {
		__u64 want = vb.phys + bar_off(start + k);

		if (e[i].dma_addr != want) {
			snprintf(why, whylen,
				 "entry %u at 0x%llx, want the BAR's 0x%llx",
				 i, e[i].dma_addr, want);
			return false;
		}
	}
	return true;
}

/*
 * edu reads the whole umem through the table, then writes a new pattern
 * into it; the CPU checks the BAR, 64 bytes on each side included, and
 * puts the first pattern back.
 */
static void rd_data(const struct rdma_import_entry *e,
		    const struct rdma_import_table *tb, const char *rname,
		    const char *wname)
{
	static __u8 got[RD_LEN + 128], want[RD_LEN + 128];
	__u64 s2 = mix64(seed + 0x7d4a), k;
	char why[200] = "";
	int ret;

	ret = rd_dma(e, tb->nents, tb->first_offset, 0, RD_LEN, false);
	if (!ret)
		ret = ram_read(0, got, RD_LEN);
	if (!ret && !same(got, RD_OFF, RD_LEN, seed, why, sizeof(why)))
		ret = -EIO;
	result(nm(rname), !ret,
	       "edu read the %llu bytes of the umem at its table's addresses: ret=%d%s%s",
	       RD_LEN, ret, *why ? ": " : "", why);

	pat_fill(want, RD_LEN, s2, 0);
	ret = ram_write(0, want, RD_LEN);
	if (!ret)
		ret = rd_dma(e, tb->nents, tb->first_offset, 0, RD_LEN, true);
	for (k = 0; !ret && k < RD_LEN + 128; k++) {
		__u64 boff = RD_OFF - 64 + k;
		__u8 w = k < 64 || k >= RD_LEN + 64 ?
			 pat_byte(seed, bar_off(boff)) : want[k - 64];

		ret = cpu_io(false, bar_off(boff), &got[k], 1);
		if (!ret && got[k] != w) {
			snprintf(why, sizeof(why),
				 "buffer offset 0x%llx (BAR 0x%llx): got 0x%02x want 0x%02x",
				 boff, bar_off(boff), got[k], w);
			ret = -EIO;
		}
	}
	result(nm(wname), !ret,
	       "edu wrote the umem through its table, the CPU checked it and 64 guard bytes each side: ret=%d%s%s",
	       ret, *why ? ": " : "", why);
	for (k = 0; k < RD_LEN; k++) {
		__u8 b = pat_byte(seed, bar_off(RD_OFF + k));

		cpu_io(true, bar_off(RD_OFF + k), &b, 1);
	}
}

/* a dynamic import, as mlx5 with on-demand paging makes one */
static void rd_dynamic(const struct topo *t, int fd)
{
	struct rdma_import_entry e[RD_MAX_ENTS] = {};
	struct rdma_import_table tb;
	struct rdma_import_status st;
	char why[200] = "";
	int ret, tret, rret, uret, aret, n;
	bool ok;

	ret = rd_get(fd, RDMA_IMPORT_DYNAMIC);
	if (t->path == PATH_REFUSED) {
		if (!ret)
			rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
		n = attached_devices(fd);
		result(nm("dynamic-refused"), ret == -EINVAL && n == 0,
		       "ib_umem_dmabuf_get() + map_pages: ret=%d (want %d), devices attached after=%d",
		       ret, -EINVAL, n);
		return;
	}
	n = attached_devices(fd);
	result(nm("dynamic-get"), !ret && n == 1,
	       "ib_umem_dmabuf_get(offset 0x%llx, length 0x%llx) + ib_umem_dmabuf_map_pages(): ret=%d, devices attached=%d (want 1)",
	       RD_OFF, RD_LEN, ret, n);
	if (ret)
		return;
	ret = rd_table(e, &tb);
	ok = !ret && rd_check_table(t, e, &tb, why, sizeof(why));
	result(nm("dynamic-table"), ok,
	       "%s: ret=%d nents=%u first=0x%llx+0x%llx starting 0x%llx in%s%s",
	       path_name[t->path], ret, tb.nents, e[0].dma_addr, e[0].len,
	       tb.first_offset, ok ? "" : ": ", why);
	if (ok && t->dma)
		rd_data(e, &tb, "dynamic-dma-read", "dynamic-dma-write");

	/* move_notify unmaps; a map while revoked fails, then works again */
	tret = decode_off();
	st = rd_status();
	rret = rd_ioctl(RDMA_IMPORT_REMAP, NULL);
	uret = decode_on();
	aret = rd_ioctl(RDMA_IMPORT_REMAP, NULL);
	ret = aret ? aret : rd_table(e, &tb);
	ok = !tret && st.move_notifies == 1 && !st.mapped && !st.revoked &&
	     rret == -ENODEV && !uret && !ret &&
	     rd_check_table(t, e, &tb, why, sizeof(why));
	result(nm("dynamic-revoke"), ok,
	       "decode off=%d: move_notify calls %u, mapped %u; map while revoked=%d (want %d); decode on=%d, map again=%d, table=%d%s%s",
	       tret, st.move_notifies, st.mapped, rret, -ENODEV, uret, aret,
	       ret, *why ? ": " : "", why);
	if (ok && t->dma)
		rd_data(e, &tb, "dynamic-dma-read-again",
			"dynamic-dma-write-again");

	ret = rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
	n = attached_devices(fd);
	result(nm("dynamic-release"), !ret && n == 0,
	       "ib_umem_release(): ret=%d, devices attached after=%d", ret, n);
}

/* the plain pinned import (efa, irdma, bnxt_re): refused, nothing left */
static void rd_pinned(int fd)
{
	int ret = rd_get(fd, RDMA_IMPORT_PINNED);
	struct rdma_import_status st = rd_status();
	int n = attached_devices(fd);

	if (!ret)
		rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
	result(nm("pinned-refused"),
	       ret == -EOPNOTSUPP && !st.have_umem && n == 0,
	       "ib_umem_dmabuf_get_pinned(): ret=%d (want %d), umem %u, devices attached after=%d",
	       ret, -EOPNOTSUPP, st.have_umem, n);
}

/*
 * The revocable pinned import, revoked by @trigger: the revoke callback
 * runs once, the umem is unmapped and unpinned when the trigger returns,
 * stays revoked once the memory is back, and releases cleanly. A trigger
 * the device does not offer is reported, not passed.
 */
static void rd_revocable(const struct topo *t, int fd, const char *name,
			 int (*trigger)(void), int (*undo)(void))
{
	struct rdma_import_entry e[RD_MAX_ENTS];
	struct rdma_import_status st0, st1, st2;
	struct rdma_import_table tb;
	static __u8 got[512];
	char why[200] = "";
	int ret, tret, uret, rret, n;

	ret = rd_get(fd, RDMA_IMPORT_PINNED_REVOCABLE);
	if (t->path == PATH_REFUSED) {
		if (!ret)
			rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
		n = attached_devices(fd);
		result(nm(name), ret == -EINVAL && n == 0,
		       "ib_umem_dmabuf_get_pinned_revocable_and_lock(): ret=%d (want %d), devices attached after=%d",
		       ret, -EINVAL, n);
		return;
	}
	st0 = rd_status();
	if (!ret && t->dma) {
		ret = rd_table(e, &tb);
		if (!ret)
			ret = rd_dma(e, tb.nents, tb.first_offset, 0,
				     sizeof(got), false);
		if (!ret)
			ret = ram_read(0, got, sizeof(got));
		if (!ret && !same(got, RD_OFF, sizeof(got), seed, why,
				  sizeof(why)))
			ret = -EIO;
	}
	if (ret) {
		rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
		result(nm(name), false, "get and edu read: ret=%d%s%s", ret,
		       *why ? ": " : "", why);
		return;
	}
	tret = trigger();
	if (tret == -ENODEV) {
		info(nm(name), "not offered by this device: not tested here");
		rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
		return;
	}
	st1 = rd_status();
	uret = undo();
	st2 = rd_status();
	rret = rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
	n = attached_devices(fd);
	result(nm(name),
	       !tret && st0.pinned && st0.mapped && st1.revokes == 1 &&
	       st1.revoked && !st1.mapped && !st1.pinned && !uret &&
	       st2.revokes == 1 && st2.revoked && !st2.mapped && !rret &&
	       n == 0,
	       "pinned %u, mapped %u, edu read it; trigger=%d: revoke callback calls %u, revoked %u, mapped %u, pinned %u; undo=%d: calls %u, revoked %u, mapped %u; release=%d, devices attached after=%d",
	       st0.pinned, st0.mapped, tret, st1.revokes, st1.revoked,
	       st1.mapped, st1.pinned, uret, st2.revokes, st2.revoked,
	       st2.mapped, rret, n);
}

/* released unrevoked, the revocable import still has its callback called */
static void rd_revocable_release(int fd)
{
	struct rdma_import_status st;
	int ret, rret, n;

	ret = rd_get(fd, RDMA_IMPORT_PINNED_REVOCABLE);
	rret = ret ? ret : rd_ioctl(RDMA_IMPORT_RELEASE, NULL);
	st = rd_status();
	n = attached_devices(fd);
	result(nm("revocable-release"),
	       !ret && !rret && st.revokes == 1 && !st.have_umem && n == 0,
	       "get=%d, ib_umem_release() of the live umem=%d: revoke callback calls %u (want 1), devices attached after=%d",
	       ret, rret, st.revokes, n);
}

static int cmd_rdma(const struct topo *t, const char *bdf)
{
	char err[256];
	int fd, ret;

	ret = vfio_bar_open(&vb, bdf, 2, err, sizeof(err));
	if (ret) {
		result(nm("open"), false, "%s", err);
		return 1;
	}
	rd_fd = open(RDMA_IMPORT_DEV_PATH, O_RDWR);
	if (rd_fd < 0) {
		result(nm("open"), false, "%s: %s", RDMA_IMPORT_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	info(sc, "topology=%s device=%s bar_phys=0x%llx bar_size=0x%llx edu=%s edu_iommu=%d noiommu_group=%d",
	     t->name, vb.bdf, vb.phys, vb.size, edu_info.pci_name,
	     !!(edu_info.flags & EDU_DMA_INFO_IOMMU), vb.noiommu);
	if (!fill_bar())
		return 1;
	fd = export_buf(ranges, NR_RANGES);
	if (fd < 0) {
		result(sc, false, "export of %zu ranges: ret=%d", NR_RANGES, fd);
		return 1;
	}
	rd_dynamic(t, fd);
	rd_pinned(fd);
	rd_revocable(t, fd, "revocable-decode", decode_off, decode_on);
	if (t->path == PATH_REFUSED) {
		close(fd);
		return failures ? 1 : 0;
	}
	rd_revocable_release(fd);
	rd_revocable(t, fd, "revocable-d3hot", d3hot, d0);
	rd_revocable(t, fd, "revocable-flr", flr, nothing);
	rd_revocable(t, fd, "revocable-reset", device_reset, nothing);
	rd_revocable(t, fd, "revocable-low-power", lp_entry, lp_exit);
	close(fd);
	return failures ? 1 : 0;
}

/* --- fuzzer of VFIO_DEVICE_FEATURE_DMA_BUF ------------------------------- */

/*
 * Structured mutation of valid requests. Each mutation breaks one thing
 * and knows the errno SPEC 6.2 gives for it; a request with several
 * mutations may get the errno of any of them (which check runs first is
 * the kernel's business where the table allows it), never another one,
 * and never a dma-buf. Unmutated requests must give a dma-buf of the
 * right size. Every fd is closed at once, and the number of open fds is
 * compared at the end.
 */
#define FZ_MAX_RANGES	8
#define FZ_HDR		(sizeof(struct vfio_device_feature) + \
			 sizeof(struct vfio_device_feature_dma_buf))

/* the fields a mutation changes, so that two mutations never collide */
enum {
	F_FLAGS = 1, F_ARGSZ = 2, F_PLACE = 4, F_NR = 8, F_DBFLAGS = 16,
	F_REGION = 32, F_RANGE = 64,
};

struct fz_req {
	__u32 feature_flags;
	__u32 argsz;		/* with argsz_set: the argsz to use */
	bool argsz_set;
	int place;		/* 0 normal, 1 header in PROT_NONE, 2 ranges */
	__u32 region, open_flags, flags, nr;
	bool nr_override;
	struct vfio_region_dma_range r[FZ_MAX_RANGES];
	unsigned int nr_real;	/* ranges actually written */
};

static __u64 fz_state;
static __u64 bar_sizes[6];

static __u64 fz_rand(void)
{
	fz_state = mix64(fz_state + 0x9e3779b97f4a7c15ULL);
	return fz_state;
}

static __u64 fz_pick(__u64 n)
{
	return n ? fz_rand() % n : 0;
}

struct fz_mut {
	const char *name;
	unsigned int fields;
	int (*apply)(struct fz_req *q);	/* returns the expected errno */
};

static int m_set(struct fz_req *q)
{
	q->feature_flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_BUF;
	return EINVAL;
}

static int m_argsz(struct fz_req *q)
{
	q->argsz_set = true;
	q->argsz = fz_pick(FZ_HDR);
	return EINVAL;
}

static int m_hdr_fault(struct fz_req *q)
{
	q->place = 1;
	return EFAULT;
}

static int m_ranges_fault(struct fz_req *q)
{
	q->place = 2;
	return EFAULT;
}

static int m_nr_zero(struct fz_req *q)
{
	q->nr = 0;
	q->nr_override = true;
	return EINVAL;
}

static int m_nr_huge(struct fz_req *q)
{
	static const __u32 huge[] = { 1U << 27, 1U << 28, 1U << 31, ~0U };

	q->nr = huge[fz_pick(ARRAY_SIZE(huge))];
	q->nr_override = true;
	return ENOMEM;
}

static int m_nr_more(struct fz_req *q)
{
	/* more ranges than the buffer holds: the rest is unreadable */
	q->nr = q->nr_real + 1 + fz_pick(100000);
	q->nr_override = true;
	q->place = 2;
	return EFAULT;
}

/* the kernel's O_LARGEFILE on x86 (64-bit glibc defines O_LARGEFILE as 0) */
#define KERNEL_O_LARGEFILE	0100000

static int m_flags(struct fz_req *q)
{
	q->flags = 1U << fz_pick(32);
	return EINVAL;
}

static int m_region(struct fz_req *q)
{
	static const __u32 bad[] = { 6, 7, 8, 9, 64, 0x7fffffff, ~0U };

	q->region = bad[fz_pick(ARRAY_SIZE(bad))];
	return ENODEV;
}

static int m_bar_unused(struct fz_req *q)
{
	unsigned int i, n = 0, idx[6];

	for (i = 0; i < 6; i++)
		if (!bar_sizes[i])
			idx[n++] = i;
	if (!n)
		return -1;
	q->region = idx[fz_pick(n)];
	return ENODEV;
}

static struct vfio_region_dma_range *some_range(struct fz_req *q)
{
	return &q->r[fz_pick(q->nr_real)];
}

static int m_len_zero(struct fz_req *q)
{
	some_range(q)->length = 0;
	return EINVAL;
}

static int m_off_misaligned(struct fz_req *q)
{
	some_range(q)->offset += 1 + fz_pick(PAGE - 1);
	return EINVAL;
}

static int m_len_misaligned(struct fz_req *q)
{
	some_range(q)->length += 1 + fz_pick(PAGE - 1);
	return EINVAL;
}

static int m_beyond(struct fz_req *q)
{
	struct vfio_region_dma_range *r = some_range(q);
	__u64 size = bar_sizes[2];

	/* end one or more pages past the BAR, or start at its end */
	r->offset = size - PAGE * fz_pick(4);
	r->length = PAGE * (1 + fz_pick(8));
	if (r->offset + r->length <= size)
		r->length = size - r->offset + PAGE;
	return EINVAL;
}

static int m_off_edge(struct fz_req *q)
{
	static const __u64 edge[] = {
		~0ULL & ~(PAGE - 1), 1ULL << 63, (1ULL << 63) - PAGE,
		1ULL << 32, 1ULL << 40,
	};
	struct vfio_region_dma_range *r = some_range(q);
	__u64 end;

	r->offset = edge[fz_pick(ARRAY_SIZE(edge))];
	r->length = PAGE * (1 + fz_pick(2));
	return __builtin_add_overflow(r->offset, r->length, &end) ?
	       EOVERFLOW : EINVAL;
}

static int m_total_bit63(struct fz_req *q)
{
	if (q->nr_real < 2)
		return -1;
	q->r[0].length = 1ULL << 62;
	q->r[1].length = 1ULL << 62;
	return EINVAL;
}

static int m_len_huge(struct fz_req *q)
{
	some_range(q)->length = ~0ULL & ~(PAGE - 1);
	return EINVAL;
}

static const struct fz_mut muts[] = {
	{ "set", F_FLAGS, m_set },
	{ "argsz", F_ARGSZ, m_argsz },
	{ "hdr-fault", F_PLACE | F_ARGSZ, m_hdr_fault },
	{ "ranges-fault", F_PLACE, m_ranges_fault },
	{ "nr-zero", F_NR | F_PLACE, m_nr_zero },
	{ "nr-huge", F_NR | F_PLACE, m_nr_huge },
	{ "nr-more", F_NR | F_PLACE, m_nr_more },
	{ "flags", F_DBFLAGS, m_flags },
	{ "region", F_REGION, m_region },
	{ "bar-unused", F_REGION, m_bar_unused },
	{ "len-zero", F_RANGE, m_len_zero },
	{ "off-misaligned", F_RANGE, m_off_misaligned },
	{ "len-misaligned", F_RANGE, m_len_misaligned },
	{ "beyond", F_RANGE, m_beyond },
	{ "off-edge", F_RANGE, m_off_edge },
	{ "total-bit63", F_RANGE, m_total_bit63 },
	{ "len-huge", F_RANGE, m_len_huge },
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	/* the directory's own fd is not one of ours */
	return n - 1;
}

/* lay the request out in @mem (two pages, the second PROT_NONE), issue it */
static int fz_issue(struct fz_req *q, __u8 *mem)
{
	size_t ranges_len = q->nr_real * sizeof(q->r[0]);
	struct vfio_device_feature_dma_buf db = {
		.region_index = q->region, .open_flags = q->open_flags,
		.flags = q->flags, .nr_ranges = q->nr_override ? q->nr : q->nr_real,
	};
	struct vfio_device_feature hdr = { .flags = q->feature_flags };
	size_t off;

	hdr.argsz = q->argsz_set ? q->argsz :
		    FZ_HDR + ranges_len;
	if (q->place == 1)		/* the dma-buf header is unreadable */
		off = PAGE - sizeof(hdr);
	else if (q->place == 2)		/* the ranges are unreadable */
		off = PAGE - FZ_HDR - (q->nr_override ? ranges_len : 0);
	else
		off = 0;
	if (q->place == 1)
		hdr.argsz = FZ_HDR + ranges_len;
	memcpy(mem + off, &hdr, sizeof(hdr));
	if (q->place != 1)
		memcpy(mem + off + sizeof(hdr), &db, sizeof(db));
	if (q->place == 0 || (q->place == 2 && q->nr_override))
		memcpy(mem + off + FZ_HDR, q->r, ranges_len);
	return ioctl(vb.device, VFIO_DEVICE_FEATURE, mem + off);
}

static void fz_valid(struct fz_req *q)
{
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->feature_flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	q->region = 2;
	/*
	 * open_flags are passed on as upstream passes them: any of these,
	 * userspace written for upstream may use, must give an fd.
	 */
	q->open_flags = fz_pick(2) ? O_RDWR | O_CLOEXEC : O_RDONLY;
	if (fz_pick(2))
		q->open_flags |= KERNEL_O_LARGEFILE;
	if (fz_pick(4) == 0)
		q->open_flags |= O_NONBLOCK;
	if (fz_pick(8) == 0)
		q->open_flags |= O_APPEND;
	q->nr_real = 1 + fz_pick(FZ_MAX_RANGES);
	for (i = 0; i < q->nr_real; i++) {
		__u64 pages = bar_sizes[2] / PAGE;
		__u64 first = fz_pick(pages);

		q->r[i].offset = first * PAGE;
		q->r[i].length = (1 + fz_pick(pages - first)) * PAGE;
	}
}

static int cmd_fuzz(const char *bdf, unsigned int n)
{
	unsigned int i, k, ok = 0, valid = 0, bad = 0, per[ARRAY_SIZE(muts)] = {};
	int fds0, fds1;
	__u8 *mem;

	if (!vfio_open(bdf))
		return 1;
	for (i = 0; i < 6; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (!ioctl(vb.device, VFIO_DEVICE_GET_REGION_INFO, &ri))
			bar_sizes[i] = ri.size;
	}
	mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem + PAGE, PAGE, PROT_NONE)) {
		result("fuzz", false, "mmap: %s", strerror(errno));
		return 1;
	}
	fz_state = seed;
	info("fuzz", "seed=0x%llx requests=%u bar2_size=0x%llx",
	     (unsigned long long)seed, n, bar_sizes[2]);
	fds0 = count_fds();

	for (i = 0; i < n; i++) {
		unsigned int used = 0, nm_ = 0, want_mask = 0;
		unsigned int nmut = fz_pick(10) < 1 ? 0 : 1 + (fz_pick(10) < 4) +
				    (fz_pick(10) < 1);
		char names[128] = "";
		struct fz_req q;
		int ret, err, e;

		fz_valid(&q);
		for (k = 0; k < nmut * 4 && nm_ < nmut; k++) {
			unsigned int j = fz_pick(ARRAY_SIZE(muts));

			if (muts[j].fields & used)
				continue;
			e = muts[j].apply(&q);
			if (e < 0)
				continue;
			used |= muts[j].fields;
			want_mask |= 1U << (e == EINVAL ? 0 : e == EFAULT ? 1 :
					    e == ENODEV ? 2 : e == ENOMEM ? 3 : 4);
			per[j]++;
			nm_++;
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", nm_ > 1 ? "+" : "", muts[j].name);
		}
		ret = fz_issue(&q, mem);
		err = ret < 0 ? errno : 0;
		if (!nm_) {
			__u64 want = 0;
			off_t size = -1;

			for (k = 0; k < q.nr_real; k++)
				want += q.r[k].length;
			if (ret >= 0) {
				size = lseek(ret, 0, SEEK_END);
				close(ret);
			}
			valid++;
			if (ret >= 0 && (__u64)size == want) {
				ok++;
				continue;
			}
			if (bad++ < 10)
				result("fuzz-case", false,
				       "#%u valid request of %u ranges: ret=%d errno=%d size=%lld want %llu",
				       i, q.nr_real, ret, err, (long long)size,
				       want);
			continue;
		}
		if (ret >= 0) {
			close(ret);
			err = 0;
		}
		e = err == EINVAL ? 0 : err == EFAULT ? 1 : err == ENODEV ? 2 :
		    err == ENOMEM ? 3 : err == EOVERFLOW ? 4 : 31;
		/* nr-huge may also be refused as an overflow */
		if (ret < 0 && (want_mask & (1U << e) ||
				(err == EOVERFLOW && want_mask & (1U << 3)))) {
			ok++;
			continue;
		}
		if (bad++ < 10)
			result("fuzz-case", false,
			       "#%u %s: ret=%d errno=%d (%s), allowed mask 0x%x",
			       i, names, ret, err, strerror(err), want_mask);
	}
	fds1 = count_fds();
	munmap(mem, 2 * PAGE);
	for (k = 0; k < ARRAY_SIZE(muts); k++)
		info("fuzz", "mutation=%s requests=%u", muts[k].name, per[k]);
	result("fuzz", !bad && fds0 == fds1,
	       "seed=0x%llx %u requests (%u valid): %u as specified, %u not; open fds %d before, %d after",
	       (unsigned long long)seed, n, valid, ok, bad, fds0, fds1);
	vfio_bar_close(&vb);
	return failures ? 1 : 0;
}

/* --- revoke stress ------------------------------------------------------ */

/* outcome counters, shared by the forked workers */
struct stress_counts {
	volatile int stop;
	long map_ok, map_enodev, map_other;
	long rw_ok, rw_enoent, rw_bad, rw_other;
	long decode_toggles, resets, reset_other, exports, export_other;
	int last_bad_err;
};

static struct stress_counts *sc_;

static void stress_importer(const struct topo *t, int fd, unsigned int id)
{
	static __u8 got[256];
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_map m;
	__u64 rnd = mix64(seed + id);
	char why[160];
	int ret;

	/* each importer has its own file, so its own attachment */
	if (edu_open()) {
		__sync_fetch_and_add(&sc_->map_other, 1);
		return;
	}
	/* attaching to a revoked buffer fails with ENODEV too */
	while ((ret = attach(fd, 0)) == -ENODEV && !sc_->stop) {
		__sync_fetch_and_add(&sc_->map_enodev, 1);
		usleep(1000);
	}
	if (ret && !sc_->stop) {
		__sync_fetch_and_add(&sc_->map_other, 1);
		sc_->last_bad_err = ret;
		return;
	}
	while (!sc_->stop) {
		__u64 off;

		ret = map(ents, &m);
		if (ret == -ENODEV) {
			__sync_fetch_and_add(&sc_->map_enodev, 1);
			usleep(1000);
			continue;
		}
		if (ret != map_want(t) || ret) {
			if (ret != map_want(t)) {
				__sync_fetch_and_add(&sc_->map_other, 1);
				sc_->last_bad_err = ret;
			} else {
				__sync_fetch_and_add(&sc_->map_ok, 1);
			}
			usleep(1000);
			continue;
		}
		__sync_fetch_and_add(&sc_->map_ok, 1);
		if (t->dma) {
			rnd = mix64(rnd);
			off = rnd % (buf_off(NR_RANGES) - sizeof(got));
			ret = buf_rw(off, got, sizeof(got), EDU_DMA_XFER_TO_EDU);
			if (ret == -ENOENT)
				__sync_fetch_and_add(&sc_->rw_enoent, 1);
			else if (ret)
				__sync_fetch_and_add(&sc_->rw_other, 1);
			else if (!same(got, off, sizeof(got), seed, why,
				       sizeof(why)))
				__sync_fetch_and_add(&sc_->rw_bad, 1);
			else
				__sync_fetch_and_add(&sc_->rw_ok, 1);
		}
		edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
	}
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
}

static void stress_decode(void)
{
	__u64 rnd = seed;

	while (!sc_->stop) {
		rnd = mix64(rnd);
		if (decode_off() || (usleep(rnd % 3000), decode_on()))
			break;
		__sync_fetch_and_add(&sc_->decode_toggles, 1);
		usleep(rnd % 5000);
	}
}

static void stress_reset(void)
{
	while (!sc_->stop) {
		int ret = device_reset();

		if (ret == -ENODEV)
			return;		/* not offered by this device */
		__sync_fetch_and_add(ret ? &sc_->reset_other : &sc_->resets, 1);
		usleep(20000);
	}
}

static void stress_export(void)
{
	while (!sc_->stop) {
		int fd = export_buf(ranges, NR_RANGES);

		if (fd < 0) {
			__sync_fetch_and_add(&sc_->export_other, 1);
			continue;
		}
		close(fd);
		__sync_fetch_and_add(&sc_->exports, 1);
	}
}

static int cmd_stress(const struct topo *t, const char *bdf, unsigned int secs)
{
	enum { NR_IMPORTERS = 2, NR_WORKERS = NR_IMPORTERS + 3 };
	struct stress_counts c;
	struct timespec t0, t1;
	pid_t pids[NR_WORKERS];
	char path[160];
	double el;
	int fd, i, ret, uret;

	sc_ = mmap(NULL, sizeof(*sc_), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sc_ == MAP_FAILED || !vfio_open(bdf))
		return 1;
	memset(sc_, 0, sizeof(*sc_));
	bar.bar_phys = vb.phys;
	bar.bar_size = vb.size;
	snprintf(bar.pci_name, sizeof(bar.pci_name), "%s", vb.bdf);
	if (!fill_bar())
		return 1;
	fd = export_buf(ranges, NR_RANGES);
	if (fd < 0) {
		result(nm("setup"), false, "export: %d", fd);
		return 1;
	}
	info(sc, "topology=%s device=%s seconds=%u importers=%d seed=0x%llx",
	     t->name, bar.pci_name, secs, NR_IMPORTERS,
	     (unsigned long long)seed);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NR_WORKERS; i++) {
		pids[i] = fork();
		if (pids[i])
			continue;
		if (i < NR_IMPORTERS)
			stress_importer(t, fd, i);
		else if (i == NR_IMPORTERS)
			stress_decode();
		else if (i == NR_IMPORTERS + 1)
			stress_reset();
		else
			stress_export();
		_exit(0);
	}
	sleep(secs);
	sc_->stop = 1;
	for (i = 0; i < NR_WORKERS; i++)
		waitpid(pids[i], NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	c = *sc_;
	decode_on();

	info(sc, "seconds=%.1f maps_ok=%ld maps_enodev=%ld dma_verified=%ld rw_after_revoke_enoent=%ld decode_toggles=%ld resets=%ld exports=%ld ops_per_s=%.1f",
	     el, c.map_ok, c.map_enodev, c.rw_ok, c.rw_enoent,
	     c.decode_toggles, c.resets, c.exports,
	     (c.map_ok + c.map_enodev + c.decode_toggles + c.resets +
	      c.exports) / el);
	result(nm("outcomes"), !c.map_other && !c.rw_bad && !c.rw_other &&
	       !c.reset_other && !c.export_other && c.map_ok &&
	       c.decode_toggles && c.exports,
	       "every attach and map verified its bytes or failed with ENODEV: maps ok=%ld enodev=%ld other=%ld (last %d), DMA reads ok=%ld bad=%ld other=%ld, reset errors=%ld, export errors=%ld",
	       c.map_ok, c.map_enodev, c.map_other, c.last_bad_err, c.rw_ok,
	       c.rw_bad, c.rw_other, c.reset_other, c.export_other);

	/* finally: close the device under a live buffer, then unbind */
	ret = edu_open() ? -1 : attach(fd, 0);
	if (!ret)
		ret = map_check(t, NULL, 0) == map_want(t) ? 0 : -1;
	vfio_bar_close(&vb);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bar.pci_name);
	uret = sysfs_write(path, bar.pci_name);
	edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
	close(fd);
	result(nm("teardown"), !ret && !uret,
	       "attach and map after the storm=%d, device close and vfio-pci unbind=%d",
	       ret, uret);
	return failures ? 1 : 0;
}

/* --- fault injection sweep ---------------------------------------------- */

/*
 * With fail-nth (CONFIG_FAULT_INJECTION), the Nth fault-injection point
 * that this thread passes fails: N = 1, 2, ... until the operation goes
 * through without reaching an Nth point. failslab and fail_page_alloc
 * must be set up to fail sleeping allocations too (the scenario does).
 */
static int fail_nth(int n)
{
	char buf[16];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), ret;

	if (fd < 0)
		return -errno;
	if (n >= 0) {
		snprintf(buf, sizeof(buf), "%d", n);
		ret = write(fd, buf, strlen(buf)) < 0 ? -errno : 0;
	} else {
		ret = read(fd, buf, sizeof(buf) - 1);
		ret = ret < 0 ? -errno : atoi((buf[ret] = 0, buf));
	}
	close(fd);
	return ret;
}

enum fop { FOP_EXPORT, FOP_ATTACH, FOP_MAP, FOP_REVOKE, FOP_NR };

static const char *const fop_name[FOP_NR] = {
	"export", "attach", "map", "revoke",
};

/* run @op once: 0 or -errno; @undo leaves everything as before */
static int fop_run(enum fop op, int fd, bool undo)
{
	struct edu_dma_buf_entry ents[MAX_ENTS];
	struct edu_dma_buf_map m;
	int ret;

	switch (op) {
	case FOP_EXPORT:
		ret = export_buf(ranges, NR_RANGES);
		if (ret >= 0 && undo)
			close(ret);
		return ret < 0 ? ret : 0;
	case FOP_ATTACH:
		ret = attach(fd, 0);
		if (!ret && undo)
			edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
		return ret;
	case FOP_MAP:
		ret = map(ents, &m);
		if (!ret && undo)
			edu_ioctl(EDU_DMA_BUF_UNMAP, NULL);
		return ret;
	default:
		ret = decode_off();
		if (undo)
			decode_on();
		return ret;
	}
}

static int cmd_faults(const struct topo *t, const char *bdf)
{
	int fd, base, fds0, op, n, ret, ok, left, errs[FOP_NR] = {};
	unsigned int points[FOP_NR] = {}, ms[FOP_NR] = {};
	struct timespec t0, t1;
	char why[FOP_NR][160] = {};

	if (!vfio_open(bdf))
		return 1;
	bar.bar_phys = vb.phys;
	bar.bar_size = vb.size;
	snprintf(bar.pci_name, sizeof(bar.pci_name), "%s", vb.bdf);
	fd = export_buf(ranges, NR_RANGES);
	if (fd < 0 || fail_nth(0)) {
		result(nm("setup"), false, "export=%d fail-nth=%d", fd,
		       fail_nth(0));
		return 1;
	}
	fds0 = count_fds();
	base = debug_entries();

	for (op = 0; op < FOP_NR; op++) {
		/* map and revoke need an attachment */
		if (op >= FOP_MAP && attach(fd, 0)) {
			result(nm(fop_name[op]), false, "attach before the sweep failed");
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (n = 1; n < 5000; n++) {
			fail_nth(n);
			ret = fop_run(op, fd, true);
			left = fail_nth(-1);
			fail_nth(0);
			if (left > 0) {
				/* went through without reaching point n */
				if (ret != (op == FOP_MAP ? map_want(t) : 0))
					snprintf(why[op], sizeof(why[op]),
						 "uninjected run failed: %d", ret);
				break;
			}
			points[op]++;
			/* recovered: the result of a run without injection */
			ok = op == FOP_MAP ? map_want(t) : 0;
			if (ret != -ENOMEM && ret != ok && !*why[op])
				snprintf(why[op], sizeof(why[op]),
					 "point %d: ret %d, want %d (ENOMEM) or %d",
					 n, ret, -ENOMEM, ok);
			if (ret == -ENOMEM)
				errs[op]++;
			if (debug_entries() != base && !*why[op])
				snprintf(why[op], sizeof(why[op]),
					 "point %d: %d DMA-API debug entries left mapped",
					 n, debug_entries() - base);
			if (count_fds() != fds0 && !*why[op])
				snprintf(why[op], sizeof(why[op]),
					 "point %d: open fds %d, want %d", n,
					 count_fds(), fds0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[op] = (t1.tv_sec - t0.tv_sec) * 1000 +
			 (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (op >= FOP_MAP)
			edu_ioctl(EDU_DMA_BUF_DETACH, NULL);
		/* a sweep that injected nothing proved nothing */
		if (!points[op] && !*why[op])
			snprintf(why[op], sizeof(why[op]),
				 "no injection point reached");
		result(nm(fop_name[op]), !*why[op],
		       "%u injection points swept, %d gave ENOMEM, the rest recovered; nothing left mapped, no fd leaked%s%s",
		       points[op], errs[op], *why[op] ? ": " : "", why[op]);
	}
	info(nm("points"), "export=%u attach=%u map=%u revoke=%u",
	     points[FOP_EXPORT], points[FOP_ATTACH], points[FOP_MAP],
	     points[FOP_REVOKE]);
	info(nm("ms"), "export=%u attach=%u map=%u revoke=%u", ms[FOP_EXPORT],
	     ms[FOP_ATTACH], ms[FOP_MAP], ms[FOP_REVOKE]);
	close(fd);
	vfio_bar_close(&vb);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct topo *t = topo_of(getenv("BENCH_TOPOLOGY"));
	const char *cmd = argc > 1 ? argv[1] : "";
	int nargs = strcmp(cmd, "helper") ? 3 : 2;
	int ret;

	if ((strcmp(cmd, "helper") && strcmp(cmd, "vfio") &&
	     strcmp(cmd, "rdma") &&
	     strcmp(cmd, "fuzz") && strcmp(cmd, "stress") &&
	     strcmp(cmd, "faults")) ||
	    argc < nargs ||
	    argc > nargs + 1 + (!strcmp(cmd, "fuzz") || !strcmp(cmd, "stress"))) {
		fprintf(stderr,
			"usage: dbuftest helper [SEED]\n       dbuftest vfio BDF [SEED]\n       dbuftest rdma BDF [SEED]\n       dbuftest faults BDF\n       dbuftest fuzz BDF [SEED [N]]\n       dbuftest stress BDF [SEED [SECONDS]]\n");
		return 2;
	}
	sc = getenv("DBUFTEST_NAME") ?: cmd;
	use_vfio = strcmp(cmd, "helper");
	seed = argc > nargs ? strtoull(argv[nargs], NULL, 0) : 0;
	if (!seed)
		seed = run_seed(cmd);
	info(sc, "seed=0x%llx", (unsigned long long)seed);
	if (!t) {
		result(sc, false, "unknown topology '%s'",
		       getenv("BENCH_TOPOLOGY") ?: "");
		return 1;
	}

	/* the fuzzer needs no importer */
	if (!strcmp(cmd, "fuzz"))
		return cmd_fuzz(argv[2], argc > 4 ? strtoul(argv[4], NULL, 0) :
				3000);
	ret = edu_open();
	if (ret) {
		result(sc, false, "%s: %s", EDU_DMA_DEV_PATH, strerror(-ret));
		return 1;
	}
	if (!strcmp(cmd, "faults"))
		return cmd_faults(t, argv[2]);
	if (!strcmp(cmd, "stress"))
		return cmd_stress(t, argv[2], argc > 4 ?
				  strtoul(argv[4], NULL, 0) : 10);
	if (!strcmp(cmd, "rdma"))
		return cmd_rdma(t, argv[2]);
	return use_vfio ? cmd_vfio(t, argv[2]) : cmd_helper(t);
}
