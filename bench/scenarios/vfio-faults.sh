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
	skip_scenario "$dev shares edu's IOMMU group: VFIO cannot open it with edu bound"
	unbind_driver "$dev"
	return 77
fi
# arm: every knob must take (a sweep on an unarmed kernel injects nothing)
armed=0
# arm FILE VALUE: write VALUE and check that it reads back
arm() {
	echo "$2" > "$1" 2>/dev/null && [ "$(cat "$1" 2>/dev/null)" = "$2" ] ||
		{ echo "# cannot set $1 to $2: reads '$(cat "$1" 2>&1)'"; armed=1; }
}
for f in failslab fail_page_alloc; do
	arm /sys/kernel/debug/$f/ignore-gfp-wait N
	arm /sys/kernel/debug/$f/verbose 0
done
arm /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem N
arm /sys/kernel/debug/fail_page_alloc/min-order 0
if [ $armed != 0 ]; then
	result faults-arm FAIL "fault injection could not be armed"
	unbind_driver "$dev"
	return 1
fi
result faults-arm PASS "failslab and fail_page_alloc fail sleeping allocations of any order"
rc=0
tool dbuftest-faults env DBUFTEST_NAME=faults dbuftest faults "$dev" || rc=1
unbind_driver "$dev"
return $rc
