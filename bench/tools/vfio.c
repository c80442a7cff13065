// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal VFIO helper for the mmio-dmabuf bench, see vfio.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "vfio.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	snprintf(err + n, errlen - n, ": %s (errno=%d)", strerror(-ret), -ret);
	return ret;
}

int pci_bdf_normalize(const char *bdf, char *out, size_t outlen)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	if (sscanf(bdf, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) != 4) {
		dom = 0;
		if (sscanf(bdf, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, outlen, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

int pci_bar_resource(const char *bdf, unsigned int bar, __u64 *phys,
		     __u64 *size)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX], line[256];
	unsigned int i;
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	for (i = 0; fgets(line, sizeof(line), f); i++) {
		if (i != bar)
			continue;
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 ||
		    !start || end < start) {
			ret = -ENODEV;
			break;
		}
		*phys = start;
		*size = end - start + 1;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int open_group(struct vfio_bar *vb, char *err, size_t errlen)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 vb->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return fail(err, errlen, -errno, "readlink %s", path);
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	vb->group_id = atoi(base);

	snprintf(path, sizeof(path), "/dev/vfio/%d", vb->group_id);
	vb->group = open(path, O_RDWR);
	if (vb->group >= 0)
		return 0;
	ret = -errno;
	if (ret != -ENOENT)
		return fail(err, errlen, ret, "open %s", path);

	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", vb->group_id);
	vb->group = open(path, O_RDWR);
	if (vb->group < 0)
		return fail(err, errlen, -errno,
			    "open /dev/vfio/%d or %s (is %s bound to vfio-pci?)",
			    vb->group_id, path, vb->bdf);
	vb->noiommu = true;
	return 0;
}

static int pick_iommu_type(struct vfio_bar *vb, char *err, size_t errlen)
{
	static const int types[] = { VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU };
	unsigned int i;

	if (vb->noiommu) {
		if (ioctl(vb->container, VFIO_CHECK_EXTENSION,
			  VFIO_NOIOMMU_IOMMU) > 0)
			return VFIO_NOIOMMU_IOMMU;
		return fail(err, errlen, -ENOTSUP,
			    "container lacks VFIO_NOIOMMU_IOMMU");
	}
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (ioctl(vb->container, VFIO_CHECK_EXTENSION, types[i]) > 0)
			return types[i];
	return fail(err, errlen, -ENOTSUP, "container lacks VFIO type1 IOMMU");
}

/* Reset @vb and fill in the BAR's PCI address, CPU address and size. */
static int bar_prepare(struct vfio_bar *vb, const char *bdf, unsigned int bar,
		       char *err, size_t errlen)
{
	int ret;

	memset(vb, 0, sizeof(*vb));
	vb->container = -1;
	vb->group = -1;
	vb->device = -1;
	vb->bar = bar;
	err[0] = '\0';

	ret = pci_bdf_normalize(bdf, vb->bdf, sizeof(vb->bdf));
	if (ret)
		return fail(err, errlen, ret, "bad PCI address '%s'", bdf);
	if (bar > VFIO_PCI_BAR5_REGION_INDEX)
		return fail(err, errlen, -EINVAL, "bad BAR %u", bar);

	ret = pci_bar_resource(vb->bdf, bar, &vb->phys, &vb->size);
	if (ret)
		return fail(err, errlen, ret, "BAR%u of %s in sysfs", bar,
			    vb->bdf);
	return 0;
}

int vfio_bar_open(struct vfio_bar *vb, const char *bdf, unsigned int bar,
		  char *err, size_t errlen)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info region = { .argsz = sizeof(region) };
	int ret, type;
	void *map;

	ret = bar_prepare(vb, bdf, bar, err, errlen);
	if (ret)
		return ret;

	ret = open_group(vb, err, errlen);
	if (ret)
		goto out_close;

	vb->container = open("/dev/vfio/vfio", O_RDWR);
	if (vb->container < 0) {
		ret = fail(err, errlen, -errno, "open /dev/vfio/vfio");
		goto out_close;
	}
	ret = ioctl(vb->container, VFIO_GET_API_VERSION);
	if (ret != VFIO_API_VERSION) {
		ret = fail(err, errlen, ret < 0 ? -errno : -EPROTO,
			   "VFIO API version %d, want %d", ret,
			   VFIO_API_VERSION);
		goto out_close;
	}
	type = pick_iommu_type(vb, err, errlen);
	if (type < 0) {
		ret = type;
		goto out_close;
	}

	if (ioctl(vb->group, VFIO_GROUP_GET_STATUS, &status)) {
		ret = fail(err, errlen, -errno, "VFIO_GROUP_GET_STATUS");
		goto out_close;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		ret = fail(err, errlen, -EBUSY,
			   "group %d not viable (devices not bound to vfio)",
			   vb->group_id);
		goto out_close;
	}
	if (ioctl(vb->group, VFIO_GROUP_SET_CONTAINER, &vb->container)) {
		ret = fail(err, errlen, -errno, "VFIO_GROUP_SET_CONTAINER");
		goto out_close;
	}
	if (ioctl(vb->container, VFIO_SET_IOMMU, type)) {
		ret = fail(err, errlen, -errno, "VFIO_SET_IOMMU(%d)", type);
		goto out_close;
	}

	vb->device = ioctl(vb->group, VFIO_GROUP_GET_DEVICE_FD, vb->bdf);
	if (vb->device < 0) {
		ret = fail(err, errlen, -errno, "VFIO_GROUP_GET_DEVICE_FD(%s)",
			   vb->bdf);
		goto out_close;
	}

	region.index = VFIO_PCI_BAR0_REGION_INDEX + bar;
	if (ioctl(vb->device, VFIO_DEVICE_GET_REGION_INFO, &region)) {
		ret = fail(err, errlen, -errno,
			   "VFIO_DEVICE_GET_REGION_INFO(BAR%u)", bar);
		goto out_close;
	}
	if (!region.size || !(region.flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		ret = fail(err, errlen, -ENOTSUP,
			   "BAR%u: size %llu flags %#x, not mmap-able", bar,
			   (unsigned long long)region.size, region.flags);
		goto out_close;
	}
	if (region.size != vb->size) {
		ret = fail(err, errlen, -EINVAL,
			   "BAR%u: VFIO size %llu != sysfs size %llu", bar,
			   (unsigned long long)region.size,
			   (unsigned long long)vb->size);
		goto out_close;
	}

	map = mmap(NULL, region.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vb->device, region.offset);
	if (map == MAP_FAILED) {
		ret = fail(err, errlen, -errno, "mmap BAR%u", bar);
		goto out_close;
	}
	vb->map = map;
	return 0;

out_close:
	vfio_bar_close(vb);
	return ret;
}

void vfio_bar_close(struct vfio_bar *vb)
{
	if (vb->map)
		munmap(vb->map, vb->size);
	vb->map = NULL;
	if (vb->device >= 0)
		close(vb->device);
	if (vb->group >= 0)
		close(vb->group);
	if (vb->container >= 0)
		close(vb->container);
	vb->device = -1;
	vb->group = -1;
	vb->container = -1;
}

int sysfs_bar_open(struct vfio_bar *vb, const char *bdf, unsigned int bar,
		   char *err, size_t errlen)
{
	char path[96];
	void *map;
	int ret;

	ret = bar_prepare(vb, bdf, bar, err, errlen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u",
		 vb->bdf, bar);
	vb->device = open(path, O_RDWR | O_SYNC);
	if (vb->device < 0)
		return fail(err, errlen, -errno, "open %s", path);
	map = mmap(NULL, vb->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vb->device, 0);
	if (map == MAP_FAILED) {
		ret = fail(err, errlen, -errno, "mmap %s", path);
		vfio_bar_close(vb);
		return ret;
	}
	vb->map = map;
	vb->sysfs = true;
	return 0;
}

int vfio_config_rw(struct vfio_bar *vb, __u64 off, void *buf, size_t len,
		   bool write)
{
	struct vfio_region_info region = {
		.argsz = sizeof(region),
		.index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	ssize_t n;

	if (vb->device < 0)
		return -EBADF;
	if (ioctl(vb->device, VFIO_DEVICE_GET_REGION_INFO, &region))
		return -errno;
	if (write)
		n = pwrite(vb->device, buf, len, region.offset + off);
	else
		n = pread(vb->device, buf, len, region.offset + off);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
