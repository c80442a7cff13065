# rdma-import: a VFIO dma-buf imported through the RDMA core's own umem
# functions (drivers/infiniband/core/umem_dmabuf.c), by the rdma_import
# module, with edu as the DMA device. dbuftest exports five ranges of the
# device's BAR2; a dynamic import (ib_umem_dmabuf_get(), as mlx5 with
# on-demand paging) of an offset and length that cut ranges and pages maps,
# edu reads and writes it at the addresses of the trimmed table, a decode
# toggle revokes and restores it; the plain pinned import is refused with
# EOPNOTSUPP; the revocable pinned import is revoked by every trigger the
# device offers. On the NVMe CMB where there is one (root-bus topologies:
# PM and FLR), else on ivshmem behind the switch.
# behind the switch with the IOMMU ivshmem shares edu's group: VFIO cannot
# open it while edu has a driver, and edu is the importer's DMA device
if [ "$BENCH_TOPOLOGY" = switch-iommu ]; then
	skip_scenario "ivshmem shares edu's IOMMU group behind the switch: VFIO cannot open it while edu, the DMA device, has a driver"
	return 77
fi
bdf=$(vfio_test_bdf) || { result rdma-setup FAIL "no NVMe controller and no ivshmem device"; return 1; }
load_edu || { result rdma-setup FAIL "cannot load edu_dma"; return 1; }
[ -e /dev/rdma_import ] || insmod /bench/rdma_import.ko ||
	{ result rdma-setup FAIL "cannot load rdma_import (ib_core, ib_uverbs loaded?)"; return 1; }
bind_driver "$bdf" vfio-pci || { result rdma-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
result rdma-setup PASS "$bdf on vfio-pci, the RDMA core's umem functions through rdma_import"
rc=0
tool dbuftest-rdma dbuftest rdma "$bdf" || rc=1
unbind_driver "$bdf"
# every umem, file and the ib_device gone: the module unloads
if rmmod rdma_import; then
	result rdma-cleanup PASS "rdma_import unloaded"
else
	result rdma-cleanup FAIL "rmmod rdma_import failed: something still holds it"
	rc=1
fi
return $rc
