# bench-smoke: a seconds-long run of the mapping benchmark (bench.sh) for
# make check: two cells, few reps, every method; checks that the modules
# and the tool work, that entry and IOTLB sync counts are what each path
# must give (helper: one entry and one sync through an IOVA; baseline, as
# an exporter through the dma-buf core and raw: one entry and one sync per
# range; lower bounds: one sync per map, the strict one a flush per unmap),
# that the memory each map allocates is counted, on every topology (on
# refused the helper's map fails with EINVAL, as it must; the lazy lower
# bound answers EOPNOTSUPP on this DMA-API debug kernel), and through an
# IOMMU which flush policy a revoke meets: strict, flushed by the unmap, or
# lazy (DMA-FQ), left to the flush queue (the window p2pdma.rst
# documents). No timing checks.
BENCH_MODE=smoke
. /bench/scenarios/bench.sh
