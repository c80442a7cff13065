# smoke: edu DMAs from RAM and from the ivshmem BAR (exported through
# vfio-pci, mapped for edu with dma_map_resource()) and the bytes are checked.
bdf=$(ivshmem_bdf) || { result smoke-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result smoke-setup FAIL "no edu device"; return 1; }
bind_driver "$bdf" vfio-pci || { result smoke-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
load_edu || { result smoke-setup FAIL "cannot load edu_dma"; return 1; }
group=$(iommu_group "$bdf")
info smoke topology="$BENCH_TOPOLOGY" ivshmem="$bdf" edu="$edu" iommu_group="$group"
result smoke-setup PASS "ivshmem $bdf on vfio-pci, edu $edu on edu_dma"

if [ -n "$group" ] && [ "$group" = "$(iommu_group "$edu")" ]; then
	# Behind a switch without ACS both devices share one IOMMU group, and
	# VFIO must refuse it while edu has a kernel driver. The BAR is then
	# reached through sysfs instead, with no driver on ivshmem.
	out=$(smoketest vfio-open "$bdf")
	echo "$out" | sed 's/^/# vfio-open: /'
	case "$out" in
	*vfio_open=16*) result smoke-shared-group PASS "group $group shared with edu: VFIO refuses it (EBUSY)" ;;
	*) result smoke-shared-group FAIL "group $group shared with edu, VFIO said: $out"; return 1 ;;
	esac
	unbind_driver "$bdf"
	tool mdbtest-smoke-sysfs smoketest smoke-sysfs "$bdf"
else
	tool mdbtest-smoke smoketest smoke "$bdf"
fi
