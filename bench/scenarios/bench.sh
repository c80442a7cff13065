# bench: the dma-buf mapping benchmark (dmabuf_bench.ko, mdbbench). The
# bar_exporter test exporter exports ranges of ivshmem's BAR2 (never
# written) twice, mapped with the helper and range by range with
# dma_map_resource() (the baseline), and dmabuf_bench maps and unmaps them
# for edu through the dma-buf core (dma_buf_map_attachment()), and without
# it: the raw per-range table, the helper called directly, the IOVA lower
# bounds (strict and lazy flush), the table alone and the IOVA allocation;
# it times each map+unmap and counts DMA entries, IOTLB syncs and the
# bytes each map allocates. One "# info: bench-cell" line per cell and
# method; scripts/bench.sh collects them. With BENCH_MODE=smoke
# (bench-smoke.sh) two small cells with few reps and checks of entries,
# sync counts and allocations, no timing.
bdf=$(ivshmem_bdf) || { result bench-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result bench-setup FAIL "no edu device"; return 1; }
load_edu || { result bench-setup FAIL "cannot load edu_dma"; return 1; }
bind_test_module "$bdf" bar_exporter bench || return 1
if [ ! -e /dev/dmabuf_bench ]; then
	insmod /bench/dmabuf_bench.ko ||
		{ result bench-setup FAIL "cannot load dmabuf_bench"; return 1; }
fi
rc=0
if [ "${BENCH_MODE:-sweep}" = smoke ]; then
	tool mdbbench-smoke mdbbench smoke "$edu" || rc=1
else
	t0=$(date +%s)
	tool mdbbench-sweep mdbbench sweep "$edu" "${BENCH_BUDGET_MS:-300}" || rc=1
	info bench "sweep_seconds=$(($(date +%s) - t0))"
fi
rmmod dmabuf_bench || { result bench-rmmod FAIL "dmabuf_bench still busy"; rc=1; }
unbind_driver "$bdf"
rmmod bar_exporter || { result bench-rmmod FAIL "bar_exporter still busy"; rc=1; }
return $rc
