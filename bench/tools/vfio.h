/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal VFIO helper for the mmio-dmabuf bench: open a PCI device that is
 * bound to vfio-pci through the group/container interface and mmap one of
 * its BARs.
 */
#ifndef MDB_VFIO_H
#define MDB_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

struct vfio_bar {
	int container;		/* /dev/vfio/vfio */
	int group;		/* /dev/vfio/N or /dev/vfio/noiommu-N */
	int device;		/* VFIO device fd */
	int group_id;
	bool noiommu;		/* group is a vfio no-IOMMU group */
	bool sysfs;		/* mapped through sysfs resourceN, not VFIO */
	unsigned int bar;
	void *map;		/* mmap of the whole BAR */
	__u64 size;		/* BAR size */
	__u64 phys;		/* CPU physical address of the BAR */
	char bdf[32];
};

/*
 * Open PCI device @bdf ("0000:00:03.0", the domain may be omitted) through
 * VFIO and map BAR @bar. Returns 0, or a negative errno with a
 * description of the failing step in @err.
 */
int vfio_bar_open(struct vfio_bar *vb, const char *bdf, unsigned int bar,
		  char *err, size_t errlen);
void vfio_bar_close(struct vfio_bar *vb);

/*
 * Map BAR @bar of @bdf through /sys/bus/pci/devices/BDF/resourceN instead
 * of VFIO (the device must have no driver). Close with vfio_bar_close().
 */
int sysfs_bar_open(struct vfio_bar *vb, const char *bdf, unsigned int bar,
		   char *err, size_t errlen);

/*
 * Read the CPU physical address and size of BAR @bar of @bdf from
 * /sys/bus/pci/devices/BDF/resource. Returns 0 or a negative errno.
 */
int pci_bar_resource(const char *bdf, unsigned int bar, __u64 *phys,
		     __u64 *size);

/*
 * Read or write @len bytes at @off of the device's config space through
 * the VFIO config region. Returns 0 or a negative errno.
 */
int vfio_config_rw(struct vfio_bar *vb, __u64 off, void *buf, size_t len,
		   bool write);

/* Normalize a PCI address to "DDDD:BB:DD.F" into @out. */
int pci_bdf_normalize(const char *bdf, char *out, size_t outlen);

#endif /* MDB_VFIO_H */
