# kselftest: the series' uAPI kselftest (tools/testing/selftests/vfio/
# vfio_dmabuf_test) on ivshmem bound to vfio-pci. Its KTAP is a subtest of
# this scenario as it is: a test it skips stays a skip, and judge.py fails
# the run unless bench/plan expects that skip on this topology.
bdf=$(ivshmem_bdf) || { result kselftest-setup FAIL "no ivshmem device"; return 1; }
[ -x /bench/vfio_dmabuf_test ] || { result kselftest-setup FAIL "vfio_dmabuf_test not built"; return 1; }
bind_driver "$bdf" vfio-pci || { result kselftest-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
# behind the switch ivshmem shares edu's IOMMU group: VFIO needs edu free
[ "$BENCH_TOPOLOGY" = switch-iommu ] && unload_edu
result kselftest-setup PASS "$bdf on vfio-pci"
rc=0
tool vfio_dmabuf_test env VFIO_DMABUF_TEST_DEVICE="$bdf" /bench/vfio_dmabuf_test || rc=1
unbind_driver "$bdf"
return $rc
