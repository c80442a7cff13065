# kselftest: the series' uAPI kselftest (tools/testing/selftests/vfio/
# vfio_dmabuf_test) on ivshmem bound to vfio-pci. Every TAP "ok" becomes a
# PASS and every "not ok" a FAIL; a skipped test is reported as BENCH-INFO,
# never as a pass.
bdf=$(ivshmem_bdf) || { result kselftest-setup FAIL "no ivshmem device"; return 1; }
[ -x /bench/vfio_dmabuf_test ] || { result kselftest-setup FAIL "vfio_dmabuf_test not built"; return 1; }
bind_driver "$bdf" vfio-pci || { result kselftest-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
# behind the switch ivshmem shares edu's IOMMU group: VFIO needs edu free
[ "$BENCH_TOPOLOGY" = switch-iommu ] && unload_edu
VFIO_DMABUF_TEST_DEVICE=$bdf /bench/vfio_dmabuf_test > /tmp/kselftest.out 2>&1
rc=$?
cat /tmp/kselftest.out
awk '
/^ok [0-9]+ .*# SKIP/ { sub(/^ok [0-9]+ /, ""); print "BENCH-INFO kselftest skipped: " $0; next }
/^ok [0-9]+ / { n = $3; sub(/^ok [0-9]+ [^ ]+ ?/, ""); print "BENCH-RESULT kselftest-" n " PASS " ($0 == "" ? "ok" : $0); next }
/^not ok [0-9]+ / { n = $4; print "BENCH-RESULT kselftest-" n " FAIL " $0 }
' /tmp/kselftest.out
totals=$(grep '^# Totals' /tmp/kselftest.out)
unbind_driver "$bdf"
if [ $rc = 0 ] && [ -n "$totals" ]; then
	result kselftest-run PASS "exit 0, $totals"
else
	result kselftest-run FAIL "exit $rc, ${totals:-no totals line}"
	return 1
fi
