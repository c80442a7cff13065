# kselftest: the series' uAPI kselftest (tools/testing/selftests/vfio/
# vfio_dmabuf_test) on a device bound to vfio-pci: the NVMe controller's CMB
# (BAR 2) where there is one, on the root bus, for its power management and
# FLR; ivshmem behind the switch, where a bus reset reaches it alone. Its
# KTAP is a subtest of this scenario as it is: a test it skips stays a skip,
# and judge.py fails the run unless bench/plan expects that skip on this
# topology.
# Once per device and IOMMU mode: the topologies that differ from those
# only in the importer's path do not run it (bench/plan says why).
case "$BENCH_TOPOLOGY" in
iommu-amd | refused)
	skip_scenario "the uAPI test runs once per device and IOMMU mode; this topology adds an importer path, which the uAPI does not reach"
	return 77 ;;
esac
[ -x /bench/vfio_dmabuf_test ] || { result kselftest-setup FAIL "vfio_dmabuf_test not built"; return 1; }
bdf=$(vfio_test_bdf) || { result kselftest-setup FAIL "no NVMe controller and no ivshmem device"; return 1; }
bind_driver "$bdf" vfio-pci || { result kselftest-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
# behind the switch ivshmem shares edu's IOMMU group: VFIO needs edu free
[ "$BENCH_TOPOLOGY" = switch-iommu ] && unload_edu
result kselftest-setup PASS "$bdf on vfio-pci, BAR 2"
rc=0
tool vfio_dmabuf_test env VFIO_DMABUF_TEST_DEVICE="$bdf" VFIO_DMABUF_TEST_BAR=2 \
	/bench/vfio_dmabuf_test || rc=1
unbind_driver "$bdf"
return $rc
