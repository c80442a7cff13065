# vfio-faults: fault-injection sweep. With failslab and fail_page_alloc set
# to fail sleeping allocations too, dbuftest fails the 1st, 2nd, ... Nth
# fault point (fail-nth) of a VFIO dma-buf export, an edu attach, a map
# (helper: sg_table, IOVA, IOMMU page tables) and a revoke in turn, until
# the operation no longer reaches point N. Each injected failure must give
# ENOMEM (or be recovered from), leave nothing mapped in DMA-API debug and
# leak no fd; the checks scenario then runs kmemleak.
dev=$(ivshmem_bdf) || { result faults-setup FAIL "no ivshmem device"; return 1; }
[ -e /proc/self/fail-nth ] || { result faults-setup FAIL "kernel without CONFIG_FAULT_INJECTION"; return 1; }
load_edu || { result faults-setup FAIL "cannot load edu_dma"; return 1; }
bind_driver "$dev" vfio-pci || { result faults-setup FAIL "cannot bind $dev to vfio-pci"; return 1; }
if [ "$(iommu_group "$dev")" = "$(iommu_group "$(edu_bdf)")" ] && [ -n "$(iommu_group "$dev")" ]; then
	info vfio-faults "$dev shares edu's IOMMU group: VFIO cannot open it with edu bound, not run here"
	unbind_driver "$dev"
	return 77
fi
for f in failslab fail_page_alloc; do
	d=/sys/kernel/debug/$f
	echo N > $d/ignore-gfp-wait
	echo 0 > $d/verbose
done
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
rc=0
DBUFTEST_NAME=faults dbuftest faults "$dev" || rc=1
unbind_driver "$dev"
return $rc
