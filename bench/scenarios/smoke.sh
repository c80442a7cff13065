# smoke: edu DMAs from RAM and from the ivshmem BAR (exported through
# vfio-pci, mapped for edu with dma_map_resource()) and the bytes are checked.
bdf=$(ivshmem_bdf) || { result smoke-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result smoke-setup FAIL "no edu device"; return 1; }
bind_driver "$bdf" vfio-pci || { result smoke-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
load_edu || { result smoke-setup FAIL "cannot load edu_dma"; return 1; }
group=$(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")
info smoke topology="$BENCH_TOPOLOGY" ivshmem="$bdf" edu="$edu" iommu_group="$group"
result smoke-setup PASS "ivshmem $bdf on vfio-pci, edu $edu on edu_dma"
mdbtest smoke "$bdf"
