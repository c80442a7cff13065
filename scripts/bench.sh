#!/bin/bash
# bench.sh: the dma-buf mapping benchmark. Boots each topology of
# BENCH_TOPOLOGIES (default: iommu-intel iommu-amd direct switch) with an
# 8 GiB ivshmem BAR (BENCH_SHM), runs the bench scenario, and collects
# build/bench/results.csv, build/bench/bench.png (ns per map+unmap against
# ranges at 64 KiB) and build/bench/table.md (ratios baseline/helper and
# helper/lowerbound, with IOTLB sync and entry counts), printing the table.
# BENCH_DEBUG_OFF replaces the guest kernel arguments that turn debugging
# off; BENCH_APPEND adds more, as for run-guest.sh.
# The kernel and initramfs must be built (make bench does that first).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

S=$ROOT/scripts
topos=${BENCH_TOPOLOGIES:-iommu-intel iommu-amd direct switch}
out=$BUILD/bench
mkdir -p "$out"
rm -f "$out"/*.log "$out/results.csv" "$out/table.md" "$out/bench.png"
command -v gnuplot >/dev/null || die "gnuplot is missing (make deps)"

# Debug facilities the bench kernel has on for make check are off here, so
# that they do not dominate the times: DMA-API debug walks one hash bucket
# per 8 KiB of an unlinked IOVA span, kmemleak tracks every allocation.
append=${BENCH_DEBUG_OFF-dma_debug=off kmemleak=off lockdep.prove_locking=0}

T0=$(date +%s)
failed=()
logs=()
for t in $topos; do
	log=$out/$t.log
	spawn env BENCH_SHM="${BENCH_SHM:-8G}" RUN_LOG="$log" BENCH_APPEND="${BENCH_APPEND:-} $append" \
		"$S/run-guest.sh" -t "${BENCH_GUEST_TIMEOUT:-900}" "$t" bench
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		sleep 20
		kill -0 $pid 2>/dev/null &&
			say "bench: $t: $(grep -c '# info: bench-cell' "$log" 2>/dev/null || true) cells measured, $(($(date +%s) - T0))s"
	done
	if wait $pid; then
		logs+=("${log%.log}.json")
	else
		failed+=("$t")
		# what it measured before failing is still worth a look
		[ -f "${log%.log}.json" ] && logs+=("${log%.log}.json")
	fi
done

[ ${#logs[@]} -gt 0 ] || die "bench: no guest run was judged"
step "bench: report"
"$S/bench-report.py" --csv "$out/results.csv" --table "$out/table.md" \
	--plot "$out/bench.png" "${logs[@]}"
say ""
say "bench summary: ${topos// /, } in $(($(date +%s) - T0))s"
say "  results: ${out#"$ROOT"/}/results.csv ($(($(wc -l < "$out/results.csv") - 1)) rows)"
say "  plot:    ${out#"$ROOT"/}/bench.png"
say "  table:   ${out#"$ROOT"/}/table.md"
say "  logs:    ${out#"$ROOT"/}/TOPOLOGY.log, judged: TOPOLOGY.json"
say "  guest kernel arguments: ${append:-none}"
say "  absolute times come from a TCG guest: compare ratios, not times"
if [ ${#failed[@]} -gt 0 ]; then
	die "bench: failed on ${failed[*]}"
fi
say "bench: PASS"
