# vfio-fuzz: a bounded fuzzer of VFIO_DEVICE_FEATURE_DMA_BUF on ivshmem
# (bound to vfio-pci): mutated valid requests (argsz, flags, feature bits,
# region index, open_flags, nr_ranges against argsz, range offsets and
# lengths at alignment, BAR-end and 64-bit edges, unreadable user memory),
# each of which must fail with the errno SPEC 6.2 gives it; unmutated ones
# must give a dma-buf of the right size. Seeded from the run (printed), fd count
# compared; the checks scenario then scans for leaks.
bdf=$(ivshmem_bdf) || { result fuzz-setup FAIL "no ivshmem device"; return 1; }
bind_driver "$bdf" vfio-pci || { result fuzz-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
if [ "$BENCH_TOPOLOGY" = switch-iommu ]; then
	# ivshmem shares edu's IOMMU group: VFIO cannot open it while edu has
	# a driver, so the fuzzer runs with edu unbound.
	edu=$(edu_bdf) && unload_edu
fi
rc=0
# seed 0: derived from the run's seed (bench.seed=, printed)
tool dbuftest-fuzz dbuftest fuzz "$bdf" 0 "${FUZZ_REQUESTS:-3000}" || rc=1
unbind_driver "$bdf"
return $rc
