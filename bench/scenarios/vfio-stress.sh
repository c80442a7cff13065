# vfio-stress: revoke under load. Two importers map, DMA-verify and unmap
# in a loop while memory decode toggles through the config region,
# VFIO_DEVICE_RESET runs (where the device offers it) and exports come and
# go; then the device is closed under a live buffer and vfio-pci unbound.
# Every map must verify its bytes or fail with ENODEV; the hung-task
# detector runs with a 10 s timeout, and the checks scenario judges
# leaks. STRESS_SECONDS (bench.stress_seconds=) sets the duration.
dev=$(nvme_bdf) || dev=$(ivshmem_bdf) || { result stress-setup FAIL "no device"; return 1; }
load_edu || { result stress-setup FAIL "cannot load edu_dma"; return 1; }
bind_driver "$dev" vfio-pci || { result stress-setup FAIL "cannot bind $dev to vfio-pci"; return 1; }
if [ "$(iommu_group "$dev")" != "" ] && [ "$(iommu_group "$dev")" = "$(iommu_group "$(edu_bdf)")" ]; then
	skip_scenario "$dev shares edu's IOMMU group: VFIO cannot open it with edu bound"
	unbind_driver "$dev"
	return 77
fi
echo 10 > /proc/sys/kernel/hung_task_timeout_secs
rc=0
tool dbuftest-stress env DBUFTEST_NAME=stress dbuftest stress "$dev" 0 "${STRESS_SECONDS:-10}" || rc=1
unbind_driver "$dev"
return $rc
