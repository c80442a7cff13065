// SPDX-License-Identifier: GPL-2.0
/*
 * p2pmemtest - the p2pmem scenario: the P2PDMA page allocator of 6.12 on
 * top of the provider core, driven through the p2pmem_test module. P2P
 * memory of BDF is allocated, written by the CPU, mapped for edu with
 * dma_map_sgtable() and read and written by edu.
 *
 *   p2pmemtest p2pmem BDF [SEED]  the allocator, its sysfs group, the
 *                                 mappings this topology must give, the
 *                                 ioctls' errors, release on close
 *   p2pmemtest p2pmem-hold        hold P2P memory mapped for edu until
 *                                 stdin ends (for unbind tests), then
 *                                 report what p2pmem_test answered
 *
 * BDF is the PCI address of QEMU ivshmem-plain, bound to p2pmem_test.
 * Results are KTAP test cases, one per check, each after its "# NAME:
 * DETAIL" line, and "# info: NAME key=value ..." figures (common.h). SEED
 * 0 or none: derived from the run's seed (BENCH_SEED).
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
#include "p2pmem_test.h"
#include "vfio.h"

/*
 * The P2PDMA page allocator driven as 6.12's users (NVMe CMB, nvmet) drive
 * it, through p2pmem_test on ivshmem: P2P memory from pci_alloc_p2pmem(),
 * written by the CPU, mapped for edu with dma_map_sgtable() and read and
 * written by edu. What the mapping must be depends on the topology:
 *
 *   switch        PCI bus addresses of the BAR (PCI_P2PDMA_MAP_BUS_ADDR)
 *   switch-iommu  the same: 6.12 classifies by the PCI path (common switch,
 *                 no ACS redirect), whether an IOMMU translates for edu
 *                 does not enter into it
 *   direct        CPU physical addresses (through the host bridge)
 *   iommu-*       IOVAs (through the host bridge, mapped by dma-iommu)
 *   refused       dma_map_sgtable() fails with -EREMOTEIO (the host
 *                 bridge is not P2P capable) and nothing stays mapped
 *
 * On switch-iommu edu is not asked to DMA: QEMU sends every DMA of a
 * device through the vIOMMU at the root complex, also between two ports
 * of one switch, so a raw bus address faults there, where real hardware
 * routes it inside the switch.
 */
enum p2p_expect { P2P_BUS, P2P_PHYS, P2P_IOVA, P2P_REFUSED };

static const struct p2p_topo {
	const char *name;
	enum p2p_expect expect;
	bool iommu;	/* edu is behind dma-iommu */
	bool dma;	/* edu can reach the mapping in QEMU */
} p2p_topos[] = {
	{ "switch", P2P_BUS, false, true },
	{ "switch-iommu", P2P_BUS, true, false },
	{ "direct", P2P_PHYS, false, true },
	{ "iommu-intel", P2P_IOVA, true, true },
	{ "iommu-amd", P2P_IOVA, true, true },
	{ "refused", P2P_REFUSED, true, false },
};

static const char *const p2p_expect_name[] = {
	[P2P_BUS] = "bus addresses",
	[P2P_PHYS] = "CPU physical addresses",
	[P2P_IOVA] = "IOVAs",
	[P2P_REFUSED] = "refused",
};

#define P2P_PAGE	4096ULL
/* the allocation: not a whole number of pages */
#define P2P_SIZE	0xd123ULL
/* where edu's reads land in the scratch buffer, and its writes come from */
#define P2P_SCRATCH_IN	(0x10000 + 7)
#define P2P_SCRATCH_OUT	(0x28000 + 3)

/*
 * The scatterlist of the mappings: five chunks with gaps between them.
 * Through an IOMMU the first two, whole pages, become one DMA segment.
 */
static const struct p2pmem_test_chunk p2p_chunks[] = {
	{ 0x0000, 0x2000 },	/* two whole pages */
	{ 0x3000, 0x1000 },	/* one whole page */
	{ 0x51c0, 0x1a55 },	/* unaligned, across a page boundary */
	{ 0x8000, 0x3000 },	/* several edu transfers */
	{ 0xb800, 0x1923 },	/* up to the last byte of the allocation */
};
#define P2P_CHUNKS	ARRAY_SIZE(p2p_chunks)

/* two pages with one between them, for allocations of 3 or 4 pages */
static const struct p2pmem_test_chunk p2p_small_chunks[] = {
	{ 0, P2P_PAGE }, { 2 * P2P_PAGE, P2P_PAGE },
};

static const struct p2p_topo *p2p_topo;
static struct p2pmem_test_info p2p_info;

static int p2p_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static int p2p_alloc(int fd, __u64 size, struct p2pmem_test_alloc *a)
{
	*a = (struct p2pmem_test_alloc){ .size = size };
	return p2p_ioctl(fd, P2PMEM_TEST_ALLOC, a);
}

static int p2p_io(int fd, unsigned long req, __u64 off, void *buf,
		  __u64 len)
{
	struct p2pmem_test_io io = {
		.user_ptr = (uintptr_t)buf, .offset = off, .len = len,
	};

	return p2p_ioctl(fd, req, &io);
}

/* a MAP argument for chunks @c[0..@n) (@n at most P2PMEM_TEST_MAX_CHUNKS) */
static void p2p_map_arg(struct p2pmem_test_map *m, __u32 dir,
			const struct p2pmem_test_chunk *c, unsigned int n)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->pci_name, sizeof(m->pci_name), "%s", edu_info.pci_name);
	m->dir = dir;
	m->nr_chunks = n;
	memcpy(m->chunks, c, n * sizeof(*c));
}

/* map chunks @c[0..@n) of the allocation of @fd for edu */
static int p2p_map(int fd, __u32 dir, const struct p2pmem_test_chunk *c,
		   unsigned int n, struct p2pmem_test_map *m)
{
	p2p_map_arg(m, dir, c, n);
	return p2p_ioctl(fd, P2PMEM_TEST_MAP, m);
}

/* the number in sysfs attribute p2pmem/@name of ivshmem, -1 if none */
static long long p2p_sysfs(const char *name)
{
	char path[192];
	long long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/p2pmem/%s",
		 p2p_info.pci_name, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%lld", &v);
	fclose(f);
	return n == 1 ? v : -1;
}

/*
 * Scatter-gather entries that DMA-API debug tracks for edu inside the
 * BAR: what dma_map_sgtable() left mapped. -1 if the dump is unreadable.
 */
static int p2p_debug_entries(void)
{
	return dma_debug_entries(edu_info.pci_name, "scatter-gather",
				 p2p_info.bar_phys, p2p_info.bar_size);
}

static bool p2p_debug_expect(struct expect *e, const char *what, int want)
{
	int n = p2p_debug_entries();

	return expect_true(e, n == want,
			   "%s: DMA-API debug holds %d scatter-gather entries of %s in the BAR, want %d",
			   what, n, edu_info.pci_name, want);
}

static __u64 p2p_chunk_bytes(const struct p2pmem_test_map *m)
{
	__u64 total = 0;
	unsigned int i;

	for (i = 0; i < m->nr_chunks; i++)
		total += m->chunks[i].len;
	return total;
}

/* one run of bytes that edu moves: a chunk part within one DMA segment */
struct p2p_piece {
	__u64 dma;	/* bus address for edu */
	__u64 len;
	__u64 off;	/* offset in the allocation */
	__u64 pos;	/* offset in the chunks laid end to end */
};
#define P2P_MAX_PIECES	(2 * P2PMEM_TEST_MAX_CHUNKS)

/*
 * The chunks, laid end to end, are what edu sees in the DMA segments,
 * laid end to end: cut them where either ends. The caller has checked
 * that both add up to the same length.
 */
static unsigned int p2p_pieces(const struct p2pmem_test_map *m,
			       struct p2p_piece *p)
{
	__u64 c_done = 0, s_done = 0, pos = 0, len;
	unsigned int c = 0, s = 0, n = 0;

	while (c < m->nr_chunks && s < m->nr_segs && n < P2P_MAX_PIECES) {
		len = m->chunks[c].len - c_done;
		if (len > m->segs[s].dma_len - s_done)
			len = m->segs[s].dma_len - s_done;
		p[n++] = (struct p2p_piece){
			.dma = m->segs[s].dma_addr + s_done,
			.len = len,
			.off = m->chunks[c].offset + c_done,
			.pos = pos,
		};
		pos += len;
		c_done += len;
		s_done += len;
		if (c_done == m->chunks[c].len) {
			c++;
			c_done = 0;
		}
		if (s_done == m->segs[s].dma_len) {
			s++;
			s_done = 0;
		}
	}
	return n;
}

static bool p2p_whole_pages(const struct p2pmem_test_chunk *c)
{
	return !(c->offset % P2P_PAGE) && !(c->len % P2P_PAGE);
}

/* are [a, a + alen) and [b, b + blen) overlapping? */
static bool p2p_overlap(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * A successful mapping @m of allocation @a: DMA segments of the kind the
 * topology implies, covering exactly the chunks.
 */
static bool p2p_check_map(struct expect *e, const char *what,
			  const struct p2pmem_test_map *m,
			  const struct p2pmem_test_alloc *a)
{
	__u64 bus_off = p2p_info.bar_bus - p2p_info.bar_phys;
	enum p2p_expect want = p2p_topo->expect;
	__u64 total = 0, phys, dma;
	const struct p2pmem_test_seg *s;
	unsigned int i;
	bool bus;

	if (!expect_true(e, m->result == 0,
			 "%s: dma_map_sgtable() for %s failed: %d (%s), want %s",
			 what, edu_info.pci_name, m->result,
			 strerror(-m->result), p2p_expect_name[want]) ||
	    !expect_true(e, m->nr_segs >= 1 && m->nr_segs <= m->nr_chunks,
			 "%s: %u DMA segments for %u chunks", what, m->nr_segs,
			 m->nr_chunks))
		return false;
	for (i = 0; i < m->nr_segs; i++)
		total += m->segs[i].dma_len;
	if (!expect_true(e, total == p2p_chunk_bytes(m),
			 "%s: DMA segments of %llu bytes for %llu bytes of chunks",
			 what, total, p2p_chunk_bytes(m)))
		return false;

	if (want == P2P_IOVA) {
		/*
		 * dma-iommu lays the chunks out in one IOVA range and merges
		 * whole pages that follow each other, as it does for RAM.
		 */
		if (m->nr_chunks >= 2 && p2p_whole_pages(&m->chunks[0]) &&
		    p2p_whole_pages(&m->chunks[1]) &&
		    !expect_true(e, m->segs[0].dma_len ==
				    m->chunks[0].len + m->chunks[1].len,
				 "%s: first DMA segment of %llu bytes, want the first two chunks (%llu) merged",
				 what, m->segs[0].dma_len,
				 m->chunks[0].len + m->chunks[1].len))
			return false;
		for (i = 0; i < m->nr_segs; i++) {
			s = &m->segs[i];
			if (!expect_true(e, !(s->flags & P2PMEM_TEST_SEG_BUS_ADDR),
					 "%s: segment %u dma=0x%llx is marked as a bus address, want an IOVA",
					 what, i, s->dma_addr) ||
			    !expect_true(e, !p2p_overlap(s->dma_addr, s->dma_len,
							 p2p_info.bar_phys,
							 p2p_info.bar_size) &&
					    !p2p_overlap(s->dma_addr, s->dma_len,
							 p2p_info.bar_bus,
							 p2p_info.bar_size),
					 "%s: segment %u dma=0x%llx len=%llu is in the BAR, want an IOVA",
					 what, i, s->dma_addr, s->dma_len))
				return false;
		}
		return pass(e);
	}

	/* bus and physical addresses: one segment per chunk, never merged */
	if (!expect_true(e, m->nr_segs == m->nr_chunks,
			 "%s: %u DMA segments for %u chunks, want one each",
			 what, m->nr_segs, m->nr_chunks))
		return false;
	for (i = 0; i < m->nr_segs; i++) {
		s = &m->segs[i];
		phys = a->phys + m->chunks[i].offset;
		dma = want == P2P_BUS ? phys + bus_off : phys;
		bus = s->flags & P2PMEM_TEST_SEG_BUS_ADDR;
		if (!expect_true(e, s->dma_addr == dma &&
				    s->dma_len == m->chunks[i].len &&
				    bus == (want == P2P_BUS),
				 "%s: segment %u dma=0x%llx len=%llu%s, want 0x%llx len=%llu%s (%s)",
				 what, i, s->dma_addr, s->dma_len,
				 bus ? " bus" : "", dma, m->chunks[i].len,
				 want == P2P_BUS ? " bus" : "",
				 p2p_expect_name[want]))
			return false;
	}
	return pass(e);
}

/* edu reads the chunks through mapping @m into the scratch buffer */
static bool p2p_edu_read(struct expect *e, const struct p2pmem_test_map *m,
			 __u64 seed, __u64 poison)
{
	__u64 total = p2p_chunk_bytes(m), sdma = edu_info.scratch_dma;
	struct window w = window_of(P2P_SCRATCH_IN, total,
				    edu_info.scratch_size);
	struct p2p_piece p[P2P_MAX_PIECES];
	unsigned int n = p2p_pieces(m, p), i;
	char detail[DETAIL_LEN];
	int ret;

	pat_fill(buf_got, w.len, poison, w.start);
	ret = ram_write(w.start, buf_got, w.len);
	for (i = 0; !ret && i < n; i++)
		ret = edu_copy(p[i].dma, sdma + P2P_SCRATCH_IN + p[i].pos,
			       p[i].len);
	if (!ret)
		ret = ram_read(w.start, buf_got, w.len);
	if (!expect_true(e, !ret, "edu read of the P2P memory: errno=%d (%s)",
			 -ret, strerror(-ret)))
		return false;

	pat_fill(buf_want, w.len, poison, w.start);
	for (i = 0; i < n; i++)
		pat_fill(buf_want + w.pre + p[i].pos, p[i].len, seed, p[i].off);
	if (!check_window(buf_got, buf_want, w.len, "scratch", w.start, w.pre,
			  total, detail))
		return expect_true(e, false, "edu read through %u pieces: %s",
				   n, detail);
	info("p2pmem-read", "edu read %llu bytes in %u pieces, first at dma=0x%llx",
	     total, n, p[0].dma);
	return pass(e);
}

/* edu writes the chunks through mapping @m from the scratch buffer */
static bool p2p_edu_write(struct expect *e, const struct p2pmem_test_map *m,
			  __u64 seed, unsigned int *pieces)
{
	__u64 total = p2p_chunk_bytes(m), sdma = edu_info.scratch_dma;
	struct p2p_piece p[P2P_MAX_PIECES];
	unsigned int n = p2p_pieces(m, p), i;
	int ret;

	pat_fill(buf_data, total, seed, 0);
	ret = ram_write(P2P_SCRATCH_OUT, buf_data, total);
	for (i = 0; !ret && i < n; i++)
		ret = edu_copy(sdma + P2P_SCRATCH_OUT + p[i].pos, p[i].dma,
			       p[i].len);
	*pieces = n;
	return expect_true(e, !ret, "edu write to the P2P memory: errno=%d (%s)",
			   -ret, strerror(-ret));
}

/* what the allocation must hold after p2p_edu_write() */
static void p2p_written(__u8 *buf, const struct p2pmem_test_map *m,
			__u64 seed, __u64 poison)
{
	__u64 pos = 0;
	unsigned int i;

	pat_fill(buf, P2P_SIZE, poison, 0);
	for (i = 0; i < m->nr_chunks; i++) {
		pat_fill(buf + m->chunks[i].offset, m->chunks[i].len, seed,
			 pos);
		pos += m->chunks[i].len;
	}
}

static void p2p_summary(char *out, size_t len, const struct p2pmem_test_map *m)
{
	size_t n = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < m->nr_segs && n < len; i++)
		n += snprintf(out + n, len - n, "%s0x%llx+0x%llx%s",
			      i ? "," : "", m->segs[i].dma_addr,
			      m->segs[i].dma_len,
			      m->segs[i].flags & P2PMEM_TEST_SEG_BUS_ADDR ?
			      "(bus)" : "");
}

/* edu reads the allocation of @fd through a TO_DEVICE mapping */
static void p2p_case_read(int fd, const struct p2pmem_test_alloc *a,
			  __u64 seed)
{
	/* without DMA only the mapping is checked: say so in the name */
	struct expect e = {
		.sc = p2p_topo->dma ? "p2pmem-read" : "p2pmem-map-read",
	};
	__u64 ds = case_seed(seed, e.sc, 0), ps = case_seed(seed, e.sc, 1);
	char segs[DETAIL_LEN / 2];
	struct p2pmem_test_map m;
	int ret;

	pat_fill(buf_data, P2P_SIZE, ds, 0);
	ret = p2p_io(fd, P2PMEM_TEST_WRITE, 0, buf_data, P2P_SIZE);
	if (!expect_true(&e, !ret, "WRITE errno=%d (%s)", -ret, strerror(-ret)))
		goto out;
	ret = p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, p2p_chunks, P2P_CHUNKS,
		      &m);
	if (!expect_true(&e, !ret, "MAP errno=%d (%s)", -ret, strerror(-ret)))
		goto out;
	p2p_summary(segs, sizeof(segs), &m);
	info(e.sc, "dir=to_device result=%d nr_segs=%u segs=%s", m.result,
	     m.nr_segs, segs);
	if (p2p_check_map(&e, "to_device", &m, a) &&
	    p2p_debug_expect(&e, "mapped", m.nr_segs) && p2p_topo->dma)
		p2p_edu_read(&e, &m, ds, ps);
	if (!m.result) {
		ret = p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL);
		if (expect_true(&e, !ret, "UNMAP errno=%d (%s)", -ret,
				strerror(-ret)))
			p2p_debug_expect(&e, "unmapped", 0);
	}
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : p2p_topo->dma ?
	       "edu read every chunk through the mapping" :
	       "mapping checked; no DMA, QEMU's vIOMMU would fault on bus addresses");
	info(e.sc, "checks=%d", e.checks);
}

/* edu writes the allocation of @fd through a FROM_DEVICE mapping */
static void p2p_case_write(int fd, const struct p2pmem_test_alloc *a,
			   __u64 seed)
{
	struct expect e = {
		.sc = p2p_topo->dma ? "p2pmem-write" : "p2pmem-map-write",
	};
	__u64 ds = case_seed(seed, e.sc, 0), ps = case_seed(seed, e.sc, 1);
	char segs[DETAIL_LEN / 2], detail[DETAIL_LEN];
	struct p2pmem_test_map m;
	unsigned int pieces = 0;
	bool wrote = false;
	int ret;

	/* poison all of it: the gaps between the chunks must keep it */
	pat_fill(buf_data, P2P_SIZE, ps, 0);
	ret = p2p_io(fd, P2PMEM_TEST_WRITE, 0, buf_data, P2P_SIZE);
	if (!expect_true(&e, !ret, "WRITE errno=%d (%s)", -ret, strerror(-ret)))
		goto out;
	ret = p2p_map(fd, P2PMEM_TEST_DIR_FROM_DEVICE, p2p_chunks, P2P_CHUNKS,
		      &m);
	if (!expect_true(&e, !ret, "MAP errno=%d (%s)", -ret, strerror(-ret)))
		goto out;
	p2p_summary(segs, sizeof(segs), &m);
	info(e.sc, "dir=from_device result=%d nr_segs=%u segs=%s", m.result,
	     m.nr_segs, segs);
	if (p2p_check_map(&e, "from_device", &m, a) &&
	    p2p_debug_expect(&e, "mapped", m.nr_segs) && p2p_topo->dma)
		wrote = p2p_edu_write(&e, &m, ds, &pieces);
	if (!m.result) {
		/* the CPU looks only after the device gave the memory back */
		ret = p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL);
		if (!expect_true(&e, !ret, "UNMAP errno=%d (%s)", -ret,
				 strerror(-ret)) ||
		    !p2p_debug_expect(&e, "unmapped", 0))
			goto out;
	}
	if (!wrote)
		goto out;
	ret = p2p_io(fd, P2PMEM_TEST_READ, 0, buf_got, P2P_SIZE);
	if (!expect_true(&e, !ret, "READ errno=%d (%s)", -ret, strerror(-ret)))
		goto out;
	p2p_written(buf_want, &m, ds, ps);
	if (!check_window(buf_got, buf_want, P2P_SIZE, "p2pmem", 0, 0,
			  P2P_SIZE, detail))
		expect_true(&e, false, "CPU read after the edu write: %s",
			    detail);
	else
		info(e.sc, "edu wrote %llu bytes in %u pieces, gaps kept",
		     p2p_chunk_bytes(&m), pieces);
out:
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : p2p_topo->dma ?
	       "edu wrote every chunk through the mapping, the CPU read it back" :
	       "mapping checked; no DMA, QEMU's vIOMMU would fault on bus addresses");
	info(e.sc, "checks=%d", e.checks);
}

/* where 6.12 refuses: every direction fails, nothing stays mapped */
static void p2p_case_refused(int fd)
{
	static const __u32 dirs[] = {
		P2PMEM_TEST_DIR_TO_DEVICE, P2PMEM_TEST_DIR_FROM_DEVICE,
		P2PMEM_TEST_DIR_BIDIRECTIONAL,
	};
	struct expect e = { .sc = "p2pmem-refused" };
	struct p2pmem_test_map m;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(dirs) && !e.failed; i++) {
		ret = p2p_map(fd, dirs[i], p2p_chunks, P2P_CHUNKS, &m);
		if (!expect_true(&e, !ret, "MAP dir=%u errno=%d (%s)", dirs[i],
				 -ret, strerror(-ret)))
			break;
		info(e.sc, "dir=%u result=%d nr_segs=%u", dirs[i], m.result,
		     m.nr_segs);
		if (!expect_true(&e, m.result == -EREMOTEIO && !m.nr_segs,
				 "dir=%u: dma_map_sgtable() returned %d (%s) with %u segments, want -EREMOTEIO",
				 dirs[i], m.result, strerror(-m.result),
				 m.nr_segs))
			break;
		/* the file holds no mapping, DMA-API debug tracks none */
		ret = p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL);
		expect_errno(&e, "UNMAP after refused map", ret, ENOENT);
		p2p_debug_expect(&e, "refused", 0);
	}
	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "dma_map_sgtable() -EREMOTEIO for every direction, nothing mapped");
	info(e.sc, "checks=%d", e.checks);
}

/* pci_p2pdma_distance() and pci_p2pmem_find() for edu */
static void p2p_client(int fd)
{
	struct p2pmem_test_client c = { 0 };
	bool refused = p2p_topo->expect == P2P_REFUSED;
	const char *sc = "p2pmem-client";
	int ret;

	snprintf(c.pci_name, sizeof(c.pci_name), "%s", edu_info.pci_name);
	ret = p2p_ioctl(fd, P2PMEM_TEST_CLIENT, &c);
	if (ret) {
		result(sc, false, "CLIENT %s: errno=%d (%s)", c.pci_name, -ret,
		       strerror(-ret));
		return;
	}
	info(sc, "client=%s distance=%d found=%u", c.pci_name, c.distance,
	     c.found);
	if (refused)
		result(sc, c.distance == -1 && !c.found,
		       "distance=%d found=%u, want -1 and not found", c.distance,
		       c.found);
	else
		result(sc, c.distance >= 0 && c.found,
		       "distance=%d found=%u, want >= 0 and found", c.distance,
		       c.found);
}

/* the ioctls' own checks, on a file of their own */
static void p2p_uapi(void)
{
	struct expect e = { .sc = "p2pmem-uapi" };
	struct p2pmem_test_chunk c[P2PMEM_TEST_MAX_CHUNKS];
	struct p2pmem_test_alloc a;
	struct p2pmem_test_map m;
	__u8 byte;
	int fd, ret, i;

	fd = open(P2PMEM_TEST_DEV_PATH, O_RDWR);
	if (fd < 0) {
		result(e.sc, false, "open: errno=%d (%s)", errno,
		       strerror(errno));
		return;
	}
	c[0] = (struct p2pmem_test_chunk){ 0, 64 };

	expect_errno(&e, "FREE without allocation",
		     p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL), ENOENT);
	expect_errno(&e, "UNMAP without mapping",
		     p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL), ENOENT);
	expect_errno(&e, "MAP without allocation",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 1, &m), ENOENT);
	expect_errno(&e, "READ without allocation",
		     p2p_io(fd, P2PMEM_TEST_READ, 0, &byte, 1), ENOENT);
	expect_errno(&e, "ALLOC size=0", p2p_alloc(fd, 0, &a), EINVAL);
	expect_errno(&e, "ALLOC over the limit",
		     p2p_alloc(fd, P2PMEM_TEST_MAX_ALLOC + 1, &a), EINVAL);
	expect_errno(&e, "ALLOC more than the BAR",
		     p2p_alloc(fd, p2p_info.bar_size + P2P_PAGE, &a), ENOMEM);
	if (!expect_errno(&e, "ALLOC 3 pages", p2p_alloc(fd, 3 * P2P_PAGE, &a),
			  0))
		goto out;
	expect_errno(&e, "ALLOC again", p2p_alloc(fd, P2P_PAGE, &a), EBUSY);
	expect_errno(&e, "READ last byte",
		     p2p_io(fd, P2PMEM_TEST_READ, 3 * P2P_PAGE - 1, &byte, 1), 0);
	expect_errno(&e, "READ past the end",
		     p2p_io(fd, P2PMEM_TEST_READ, 3 * P2P_PAGE, &byte, 1),
		     EINVAL);
	expect_errno(&e, "READ len wraps",
		     p2p_io(fd, P2PMEM_TEST_READ, 16, &byte, UINT64_MAX), EINVAL);
	expect_errno(&e, "READ bad pointer",
		     p2p_io(fd, P2PMEM_TEST_READ, 0, (void *)8, 16), EFAULT);
	expect_errno(&e, "WRITE bad pointer",
		     p2p_io(fd, P2PMEM_TEST_WRITE, 0, (void *)8, 16), EFAULT);

	expect_errno(&e, "MAP dir=3", p2p_map(fd, 3, c, 1, &m), EINVAL);
	expect_errno(&e, "MAP 0 chunks",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 0, &m), EINVAL);
	for (i = 0; i < P2PMEM_TEST_MAX_CHUNKS; i++)
		c[i] = (struct p2pmem_test_chunk){ i * 256, 64 };
	p2p_map_arg(&m, P2PMEM_TEST_DIR_TO_DEVICE, c, P2PMEM_TEST_MAX_CHUNKS);
	m.nr_chunks = P2PMEM_TEST_MAX_CHUNKS + 1;
	expect_errno(&e, "MAP too many chunks",
		     p2p_ioctl(fd, P2PMEM_TEST_MAP, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ 0, 0 };
	expect_errno(&e, "MAP chunk len=0",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 1, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ 3 * P2P_PAGE - 64, 65 };
	expect_errno(&e, "MAP chunk past the end",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 1, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ UINT64_MAX - 63, 128 };
	expect_errno(&e, "MAP chunk wraps",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 1, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ 0, 256 };
	c[1] = (struct p2pmem_test_chunk){ 128, 256 };
	expect_errno(&e, "MAP overlapping chunks",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 2, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ 4096, 64 };
	c[1] = (struct p2pmem_test_chunk){ 0, 64 };
	expect_errno(&e, "MAP unsorted chunks",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 2, &m), EINVAL);
	c[0] = (struct p2pmem_test_chunk){ 0, 16 };
	c[1] = (struct p2pmem_test_chunk){ 32, 16 };
	expect_errno(&e, "MAP chunks starting on one cache line",
		     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 2, &m), EINVAL);
	c[1] = (struct p2pmem_test_chunk){ 64, 16 };
	memset(&m, 0, sizeof(m));
	snprintf(m.pci_name, sizeof(m.pci_name), "0000:ff:1f.7");
	m.dir = P2PMEM_TEST_DIR_TO_DEVICE;
	m.nr_chunks = 1;
	m.chunks[0] = c[0];
	expect_errno(&e, "MAP for a device that does not exist",
		     p2p_ioctl(fd, P2PMEM_TEST_MAP, &m), ENODEV);
	memset(m.pci_name, 'x', sizeof(m.pci_name));
	expect_errno(&e, "MAP for an unterminated name",
		     p2p_ioctl(fd, P2PMEM_TEST_MAP, &m), EINVAL);

	/* a valid mapping of chunks on two cache lines */
	ret = p2p_map(fd, P2PMEM_TEST_DIR_BIDIRECTIONAL, c, 2, &m);
	if (!expect_errno(&e, "MAP two lines", ret, 0))
		goto out;
	if (p2p_topo->expect == P2P_REFUSED) {
		expect_true(&e, m.result == -EREMOTEIO,
			    "MAP two lines: result %d, want -EREMOTEIO",
			    m.result);
	} else if (expect_true(&e, !m.result, "MAP two lines: result %d (%s)",
			       m.result, strerror(-m.result))) {
		expect_errno(&e, "MAP again",
			     p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, c, 1, &m),
			     EBUSY);
		expect_errno(&e, "FREE while mapped",
			     p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL), EBUSY);
		expect_errno(&e, "UNMAP", p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL),
			     0);
	}
	expect_errno(&e, "UNMAP again", p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL),
		     ENOENT);
	expect_errno(&e, "FREE", p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL), 0);
	expect_errno(&e, "FREE again", p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL),
		     ENOENT);
	expect_errno(&e, "unknown ioctl",
		     p2p_ioctl(fd, _IO(P2PMEM_TEST_IOC_MAGIC, 0x7f), NULL),
		     ENOTTY);
out:
	close(fd);
	result(e.sc, !e.failed, "%s", e.failed ? e.detail : "all errors clean");
	info(e.sc, "checks=%d", e.checks);
}

/* closing a file with memory allocated and mapped undoes both */
static void p2p_release(__u64 size)
{
	struct expect e = { .sc = "p2pmem-release" };
	struct p2pmem_test_alloc a;
	struct p2pmem_test_map m;
	long long avail;
	int fd, ret;

	fd = open(P2PMEM_TEST_DEV_PATH, O_RDWR);
	if (fd < 0) {
		result(e.sc, false, "open: errno=%d (%s)", errno,
		       strerror(errno));
		return;
	}
	ret = p2p_alloc(fd, 3 * P2P_PAGE, &a);
	if (expect_errno(&e, "ALLOC 3 pages", ret, 0)) {
		avail = p2p_sysfs("available");
		expect_true(&e, avail == (long long)(size - 3 * P2P_PAGE),
			    "available=%lld after allocating 3 pages of %llu",
			    avail, size);
		ret = p2p_map(fd, P2PMEM_TEST_DIR_BIDIRECTIONAL,
			      p2p_small_chunks, ARRAY_SIZE(p2p_small_chunks),
			      &m);
		if (expect_errno(&e, "MAP", ret, 0) &&
		    p2p_topo->expect != P2P_REFUSED &&
		    p2p_check_map(&e, "bidirectional", &m, &a))
			p2p_debug_expect(&e, "mapped", m.nr_segs);
	}
	close(fd);
	avail = p2p_sysfs("available");
	expect_true(&e, avail == (long long)size,
		    "available=%lld after close, want %llu", avail, size);
	p2p_debug_expect(&e, "after close", 0);
	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "close unmapped and freed the P2P memory");
	info(e.sc, "checks=%d", e.checks);
}

static int cmd_p2pmem(const char *bdf, __u64 seed)
{
	const char *topo = getenv("BENCH_TOPOLOGY");
	struct expect e = { .sc = "p2pmem-sysfs" };
	struct expect cpu = { .sc = "p2pmem-cpu" };
	const char *sc = "p2pmem-setup";
	struct p2pmem_test_alloc a;
	long long size, avail, published;
	char nbdf[32], detail[DETAIL_LEN];
	unsigned int i;
	__u64 bus_off;
	bool iommu;
	int fd, ret;

	info("p2pmem", "seed=0x%llx", seed);
	edu_print_info("p2pmem");
	for (i = 0; i < ARRAY_SIZE(p2p_topos); i++)
		if (topo && !strcmp(topo, p2p_topos[i].name))
			p2p_topo = &p2p_topos[i];
	if (!p2p_topo) {
		result(sc, false, "topology '%s' has no known P2P outcome",
		       topo ? topo : "");
		return 1;
	}
	iommu = edu_info.flags & EDU_DMA_INFO_IOMMU;
	if (iommu != p2p_topo->iommu) {
		result(sc, false, "topology %s but edu %s dma-iommu", topo,
		       iommu ? "is behind" : "is not behind");
		return 1;
	}
	fd = open(P2PMEM_TEST_DEV_PATH, O_RDWR);
	if (fd < 0) {
		result(sc, false, "open %s: errno=%d (%s)", P2PMEM_TEST_DEV_PATH,
		       errno, strerror(errno));
		return 1;
	}
	ret = p2p_ioctl(fd, P2PMEM_TEST_INFO, &p2p_info);
	if (!ret)
		ret = pci_bdf_normalize(bdf, nbdf, sizeof(nbdf));
	if (ret || strcmp(nbdf, p2p_info.pci_name) ||
	    p2p_info.bar_size < 2 * P2P_SIZE) {
		result(sc, false, "INFO: errno=%d, provider '%s' (want %s), BAR size %llu",
		       -ret, p2p_info.pci_name, bdf, p2p_info.bar_size);
		close(fd);
		return 1;
	}
	result(sc, true,
	       "ivshmem %s BAR%u phys=0x%llx bus=0x%llx size=%llu; edu %s via %s; expect %s",
	       p2p_info.pci_name, p2p_info.bar, p2p_info.bar_phys,
	       p2p_info.bar_bus, p2p_info.bar_size, edu_info.pci_name,
	       iommu ? "dma-iommu" : "dma-direct",
	       p2p_expect_name[p2p_topo->expect]);

	p2p_client(fd);

	/* the p2pmem sysfs group of the allocator: the whole BAR, published */
	size = p2p_sysfs("size");
	avail = p2p_sysfs("available");
	published = p2p_sysfs("published");
	info(e.sc, "size=%lld available=%lld published=%lld", size, avail,
	     published);
	expect_true(&e, size == (long long)p2p_info.bar_size &&
		    avail == size && published == 1,
		    "p2pmem/ size=%lld available=%lld published=%lld, want %llu, all, 1",
		    size, avail, published, p2p_info.bar_size);

	ret = p2p_alloc(fd, P2P_SIZE, &a);
	if (!expect_errno(&e, "ALLOC", ret, 0)) {
		result(e.sc, false, "%s", e.detail);
		close(fd);
		return 1;
	}
	avail = p2p_sysfs("available");
	/* the allocator hands out whole pages */
	expect_true(&e, avail == size - (long long)((P2P_SIZE + P2P_PAGE - 1) &
						    ~(P2P_PAGE - 1)),
		    "available=%lld after allocating %llu bytes of %lld", avail,
		    P2P_SIZE, size);

	/* the CPU reaches it through its kernel virtual address */
	bus_off = p2p_info.bar_bus - p2p_info.bar_phys;
	info(cpu.sc, "alloc phys=0x%llx bus=0x%llx size=%llu", a.phys, a.bus,
	     P2P_SIZE);
	expect_true(&cpu, a.phys >= p2p_info.bar_phys &&
		    a.phys + P2P_SIZE <= p2p_info.bar_phys + p2p_info.bar_size &&
		    !(a.phys % P2P_PAGE) && a.bus == a.phys + bus_off,
		    "allocation phys=0x%llx bus=0x%llx, want page aligned in the BAR, bus = phys + 0x%llx",
		    a.phys, a.bus, bus_off);
	pat_fill(buf_data, P2P_SIZE, case_seed(seed, cpu.sc, 0), 0);
	ret = p2p_io(fd, P2PMEM_TEST_WRITE, 0, buf_data, P2P_SIZE);
	if (!ret)
		ret = p2p_io(fd, P2PMEM_TEST_READ, 0, buf_got, P2P_SIZE);
	if (expect_true(&cpu, !ret, "WRITE/READ errno=%d (%s)", -ret,
			strerror(-ret)) &&
	    !check_window(buf_got, buf_data, P2P_SIZE, "p2pmem", 0, 0, P2P_SIZE,
			  detail))
		expect_true(&cpu, false, "CPU readback: %s", detail);
	result(cpu.sc, !cpu.failed, "%s", cpu.failed ? cpu.detail :
	       "allocation inside the BAR, written and read back by the CPU");

	if (p2p_topo->expect == P2P_REFUSED) {
		p2p_case_refused(fd);
	} else {
		p2p_case_read(fd, &a, seed);
		p2p_case_write(fd, &a, seed);
	}

	ret = p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL);
	expect_errno(&e, "FREE", ret, 0);
	avail = p2p_sysfs("available");
	expect_true(&e, avail == size, "available=%lld after free, want %lld",
		    avail, size);
	result(e.sc, !e.failed, "%s", e.failed ? e.detail :
	       "p2pmem/ size, available and published follow the allocation");
	info(e.sc, "checks=%d", e.checks);

	p2p_uapi();
	p2p_release(size);
	close(fd);
	return failures ? 1 : 0;
}

/*
 * Hold P2P memory, mapped for edu where that works, until standard input
 * reaches end of file, so that the scenario can unbind edu and ivshmem
 * meanwhile. Then report what the driver answers.
 */
static int cmd_p2pmem_hold(void)
{
	const char *sc = "p2pmem-hold";
	struct p2pmem_test_map m = { .result = 1 };
	struct p2pmem_test_alloc a;
	int fd, ret, rd, un, fr;
	char ch;

	fd = open(P2PMEM_TEST_DEV_PATH, O_RDWR);
	if (fd < 0) {
		info(sc, "ready open=%d", -errno);
		return 1;
	}
	ret = p2p_alloc(fd, 4 * P2P_PAGE, &a);
	if (!ret)
		ret = p2p_map(fd, P2PMEM_TEST_DIR_TO_DEVICE, p2p_small_chunks,
			      ARRAY_SIZE(p2p_small_chunks), &m);
	info(sc, "ready ret=%d result=%d nr_segs=%u", ret, m.result, m.nr_segs);

	while (read(STDIN_FILENO, &ch, 1) > 0)
		;

	rd = p2p_io(fd, P2PMEM_TEST_READ, 0, buf_got, P2P_PAGE);
	un = p2p_ioctl(fd, P2PMEM_TEST_UNMAP, NULL);
	fr = p2p_ioctl(fd, P2PMEM_TEST_FREE, NULL);
	info(sc, "after read=%d unmap=%d free=%d", rd, un, fr);
	close(fd);
	return 0;
}

/* --- main -------------------------------------------------------------- */

static void print_usage(void)
{
	fprintf(stderr,
		"usage: p2pmemtest p2pmem BDF [SEED]\n"
		"       p2pmemtest p2pmem-hold\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *sc = cmd;
	__u64 seed;

	if (!strcmp(cmd, "p2pmem")) {
		if (argc < 3 || argc > 4) {
			print_usage();
			return 2;
		}
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	} else if (!strcmp(cmd, "p2pmem-hold") && argc == 2) {
		seed = 0;
	} else {
		print_usage();
		return 2;
	}
	if (edu_tool_start(sc, cmd, &seed))
		return 1;

	if (!strcmp(cmd, "p2pmem"))
		return cmd_p2pmem(argv[2], seed);
	return cmd_p2pmem_hold();
}
