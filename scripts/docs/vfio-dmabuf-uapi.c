// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-dmabuf-uapi.c: built by docs-check.sh against the headers that the
 * series' 'make headers' installs, as a VFIO user would build. The asserts
 * are the facts of SPEC.md section 6.1 (feature number, sizes, offsets and
 * types); the program then lays out one request as userspace sends it.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/vfio.h>

#define member_of(type, m) (((type *)0)->m)
#define is_unsigned(type, m) ((__typeof__(member_of(type, m)))-1 > 0)

/* MEMBER(type, m, offset, size): an unsigned member at that offset. */
#define MEMBER(type, m, off, size) \
	_Static_assert(offsetof(type, m) == (off), #type "." #m ": offset"); \
	_Static_assert(sizeof(member_of(type, m)) == (size), #type "." #m ": size"); \
	_Static_assert(is_unsigned(type, m), #type "." #m ": unsigned")

_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF == 11, "VFIO_DEVICE_FEATURE_DMA_BUF is 11");
_Static_assert((VFIO_DEVICE_FEATURE_DMA_BUF & ~VFIO_DEVICE_FEATURE_MASK) == 0,
	       "the feature number fits VFIO_DEVICE_FEATURE_MASK");

_Static_assert(sizeof(struct vfio_region_dma_range) == 16, "a range is 16 bytes");
MEMBER(struct vfio_region_dma_range, offset, 0, 8);
MEMBER(struct vfio_region_dma_range, length, 8, 8);

_Static_assert(sizeof(struct vfio_device_feature_dma_buf) == 16, "the header is 16 bytes");
MEMBER(struct vfio_device_feature_dma_buf, region_index, 0, 4);
MEMBER(struct vfio_device_feature_dma_buf, open_flags, 4, 4);
MEMBER(struct vfio_device_feature_dma_buf, flags, 8, 4);
MEMBER(struct vfio_device_feature_dma_buf, nr_ranges, 12, 4);
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, dma_ranges) == 16,
	       "the ranges follow the header");
_Static_assert(_Generic(member_of(struct vfio_device_feature_dma_buf, dma_ranges),
			struct vfio_region_dma_range *: 1, default: 0),
	       "dma_ranges is a flexible array of struct vfio_region_dma_range");

int main(void)
{
	const unsigned int nr = 2;
	size_t argsz = sizeof(struct vfio_device_feature) +
		       sizeof(struct vfio_device_feature_dma_buf) +
		       nr * sizeof(struct vfio_region_dma_range);
	struct vfio_device_feature *feature = calloc(1, argsz);
	struct vfio_device_feature_dma_buf *get;
	unsigned int i;

	if (!feature)
		return 1;
	feature->argsz = argsz;
	feature->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	get = (struct vfio_device_feature_dma_buf *)feature->data;
	get->region_index = VFIO_PCI_BAR0_REGION_INDEX;
	get->open_flags = O_RDWR | O_CLOEXEC;
	get->flags = 0;
	get->nr_ranges = nr;
	for (i = 0; i < nr; i++) {
		get->dma_ranges[i].offset = i * 0x2000;
		get->dma_ranges[i].length = 0x1000;
	}
	printf("vfio uAPI: VFIO_DEVICE_FEATURE_DMA_BUF %d, header %zu, range %zu bytes; "
	       "a %u-range request: argsz %u, flags %#x\n",
	       VFIO_DEVICE_FEATURE_DMA_BUF, sizeof(*get), sizeof(get->dma_ranges[0]),
	       nr, feature->argsz, feature->flags);
	free(feature);
	return 0;
}
