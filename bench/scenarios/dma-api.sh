# dma-api: dma_map_phys() and the two-step IOVA API (DMA_ATTR_MMIO) with
# real device DMA: edu reads and writes RAM and the ivshmem BAR through
# them. The IOVA cases run where edu is behind dma-iommu; on dma-direct
# topologies only what applies there runs (try_alloc is false, map_phys).
bdf=$(ivshmem_bdf) || { result dma-api-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result dma-api-setup FAIL "no edu device"; return 1; }
load_edu || { result dma-api-setup FAIL "cannot load edu_dma"; return 1; }
# The BAR is written through sysfs and mapped for edu by its physical
# address: ivshmem must have no driver (VFIO cannot always have it, see
# smoke's shared IOMMU group).
unbind_driver "$bdf" || { result dma-api-setup FAIL "cannot unbind $bdf"; return 1; }
info dma-api topology="$BENCH_TOPOLOGY" ivshmem="$bdf" edu="$edu" \
	iommu_group="$(iommu_group "$edu")"
tool mdbtest-dma-api dmaapitest dma-api "$bdf"
