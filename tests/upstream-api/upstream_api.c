// SPDX-License-Identifier: GPL-2.0
/*
 * Code written for the upstream interfaces that the series provides must
 * build against it and see the same types and values (SPEC.md sections 3
 * to 6). This module states each of them as a compile-time assertion: it
 * is only compiled, never loaded, and a mismatch is a build error.
 */
#include <linux/build_bug.h>
#include <linux/dma-buf.h>
#include <linux/dma-buf-mapping.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci-p2pdma.h>
#include <linux/stddef.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

/* true if FN has the function type of the prototype in SPEC.md */
#define HAS_TYPE(fn, type)	__builtin_types_compatible_p(typeof(&(fn)), type)
/* true if member M of struct S has type T */
#define MEMBER_IS(s, m, t)	__same_type(((struct s *)0)->m, t)

/* 3.1 DMA_ATTR_MMIO, dma_map_phys(), dma_unmap_phys() */
static_assert(DMA_ATTR_MMIO == (1UL << 10));
static_assert(__same_type(DMA_ATTR_MMIO, unsigned long));
static_assert(HAS_TYPE(dma_map_phys,
		       dma_addr_t (*)(struct device *, phys_addr_t, size_t,
				      enum dma_data_direction, unsigned long)));
static_assert(HAS_TYPE(dma_unmap_phys,
		       void (*)(struct device *, dma_addr_t, size_t,
				enum dma_data_direction, unsigned long)));

/* 3.2 the IOVA two-step API */
static_assert(MEMBER_IS(dma_iova_state, addr, dma_addr_t));
static_assert(MEMBER_IS(dma_iova_state, __size, u64));
static_assert(sizeof(struct dma_iova_state) ==
	      ALIGN(sizeof(dma_addr_t), __alignof__(u64)) + sizeof(u64));
static_assert(HAS_TYPE(dma_use_iova, bool (*)(struct dma_iova_state *)));
static_assert(HAS_TYPE(dma_iova_size, size_t (*)(struct dma_iova_state *)));
static_assert(HAS_TYPE(dma_iova_try_alloc,
		       bool (*)(struct device *, struct dma_iova_state *,
				phys_addr_t, size_t)));
static_assert(HAS_TYPE(dma_iova_free,
		       void (*)(struct device *, struct dma_iova_state *)));
static_assert(HAS_TYPE(dma_iova_link,
		       int (*)(struct device *, struct dma_iova_state *,
			       phys_addr_t, size_t, size_t,
			       enum dma_data_direction, unsigned long)));
static_assert(HAS_TYPE(dma_iova_sync,
		       int (*)(struct device *, struct dma_iova_state *,
			       size_t, size_t)));
static_assert(HAS_TYPE(dma_iova_unlink,
		       void (*)(struct device *, struct dma_iova_state *,
				size_t, size_t, enum dma_data_direction,
				unsigned long)));
static_assert(HAS_TYPE(dma_iova_destroy,
		       void (*)(struct device *, struct dma_iova_state *,
				size_t, enum dma_data_direction,
				unsigned long)));

/* 4 the P2PDMA provider: values as upstream, in upstream's order */
static_assert(PCI_P2PDMA_MAP_UNKNOWN == 0);
static_assert(PCI_P2PDMA_MAP_NONE == 1);
static_assert(PCI_P2PDMA_MAP_NOT_SUPPORTED == 2);
static_assert(PCI_P2PDMA_MAP_BUS_ADDR == 3);
static_assert(PCI_P2PDMA_MAP_THRU_HOST_BRIDGE == 4);
static_assert(MEMBER_IS(pci_p2pdma_map_state, map, enum pci_p2pdma_map_type));
static_assert(MEMBER_IS(p2pdma_provider, owner, struct device *));
static_assert(MEMBER_IS(p2pdma_provider, bus_offset, u64));
static_assert(HAS_TYPE(pcim_p2pdma_init, int (*)(struct pci_dev *)));
static_assert(HAS_TYPE(pcim_p2pdma_provider,
		       struct p2pdma_provider *(*)(struct pci_dev *, int)));
static_assert(HAS_TYPE(pci_p2pdma_map_type,
		       enum pci_p2pdma_map_type (*)(struct p2pdma_provider *,
						    struct device *)));
static_assert(HAS_TYPE(pci_p2pdma_bus_addr_map,
		       dma_addr_t (*)(struct p2pdma_provider *, phys_addr_t)));

/* 5 the mapping helper */
static_assert(MEMBER_IS(dma_buf_phys_vec, paddr, phys_addr_t));
static_assert(MEMBER_IS(dma_buf_phys_vec, len, size_t));
static_assert(HAS_TYPE(dma_buf_phys_vec_to_sgt,
		       struct sg_table *(*)(struct dma_buf_attachment *,
					    struct p2pdma_provider *,
					    struct dma_buf_phys_vec *, size_t,
					    size_t, enum dma_data_direction)));
static_assert(HAS_TYPE(dma_buf_free_sgt,
		       void (*)(struct dma_buf_attachment *, struct sg_table *,
				enum dma_data_direction)));

/* 6.1 the uAPI, byte for byte */
static_assert(VFIO_DEVICE_FEATURE_DMA_BUF == 11);
static_assert(sizeof(struct vfio_region_dma_range) == 16);
static_assert(offsetof(struct vfio_region_dma_range, offset) == 0);
static_assert(offsetof(struct vfio_region_dma_range, length) == 8);
static_assert(sizeof(struct vfio_device_feature_dma_buf) == 16);
static_assert(offsetof(struct vfio_device_feature_dma_buf, region_index) == 0);
static_assert(offsetof(struct vfio_device_feature_dma_buf, open_flags) == 4);
static_assert(offsetof(struct vfio_device_feature_dma_buf, flags) == 8);
static_assert(offsetof(struct vfio_device_feature_dma_buf, nr_ranges) == 12);
static_assert(offsetof(struct vfio_device_feature_dma_buf, dma_ranges) == 16);

/* 6.3 the kernel interfaces of the VFIO exporter */
static_assert(MEMBER_IS(vfio_pci_core_device, pci_ops,
			const struct vfio_pci_device_ops *));
static_assert(MEMBER_IS(vfio_pci_device_ops, get_dmabuf_phys,
			int (*)(struct vfio_pci_core_device *,
				struct p2pdma_provider **, unsigned int,
				struct dma_buf_phys_vec *,
				struct vfio_region_dma_range *, size_t)));
static_assert(HAS_TYPE(vfio_pci_core_get_dmabuf_phys,
		       int (*)(struct vfio_pci_core_device *,
			       struct p2pdma_provider **, unsigned int,
			       struct dma_buf_phys_vec *,
			       struct vfio_region_dma_range *, size_t)));
static_assert(HAS_TYPE(vfio_device_try_get_registration,
		       bool (*)(struct vfio_device *)));
static_assert(HAS_TYPE(vfio_device_put_registration,
		       void (*)(struct vfio_device *)));

MODULE_DESCRIPTION("Compile-time check of the upstream interfaces (never loaded)");
MODULE_LICENSE("GPL");
