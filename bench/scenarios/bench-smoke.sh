# bench-smoke: a seconds-long run of the mapping benchmark (bench.sh) for
# make check: two cells, few reps; checks that the module and the tool
# work and that entry and IOTLB sync counts are what each path must give
# (helper: one entry and one sync through an IOVA; baseline: one entry and
# one sync per range), on every topology (on refused the helper's map
# fails with EINVAL, as it must), and through an IOMMU which flush policy
# a revoke meets: strict, flushed by the unmap, or lazy (DMA-FQ), left to
# the flush queue (the window p2pdma.rst documents). No timing checks.
BENCH_MODE=smoke
. /bench/scenarios/bench.sh
