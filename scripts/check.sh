#!/bin/bash
# check.sh: everything 'make check' runs, in order, with a summary table
# (step, result, seconds). Continues after a failed step so the summary
# shows all of them; exits non-zero if any step failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

S=$ROOT/scripts
TOPOLOGIES=${TOPOLOGIES:-$("$S/topology.sh" list)}
SCENARIOS=${SCENARIOS:-smoke,importer,dma-api,p2pmem,helper,vfio-dmabuf,kselftest,vfio-fuzz,vfio-faults,vfio-stress,bench-smoke,checks}
# KUnit runs where its cases differ: through an IOMMU, and dma-direct.
KUNIT_TOPOLOGIES=${KUNIT_TOPOLOGIES:-iommu-intel iommu-amd direct}
KASAN_TOPOLOGIES=${KASAN_TOPOLOGIES:-iommu-intel}
logdir=$BUILD/check
mkdir -p "$logdir"
rows=()
logs=()
failed=0
T0=$(date +%s)

# run NAME CMD...: run one step, output to the console and to its log.
run() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	printf '\n==> [%s +%ss] %s\n' "$(date +%H:%M:%S)" $((t0 - T0)) "$name"
	"$@" 2>&1 | tee "$logdir/$name.log"
	rc=${PIPESTATUS[0]}
	rows+=("$(printf '%-28s %-5s %6ss' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" $(($(date +%s) - t0)))")
	[ "$rc" = 0 ] || failed=$((failed + 1))
	return "$rc"
}

run deps "$S/deps.sh"
run tooling-tests "$ROOT/tests/tooling/series.sh"
run tree "$S/tree.sh"
run parser-tests "$ROOT/tests/parser/run.sh"
run series-checks "$S/check-series.sh"
run matrix "$S/matrix.sh"
run docs "$S/docs-check.sh"
run kunit-i386 "$S/kunit32.sh" i386
run kunit-i386-pae "$S/kunit32.sh" i386-pae
if run kernel-bench "$S/kernel.sh" bench && run initramfs-bench "$S/initramfs.sh" bench; then
	for t in $KUNIT_TOPOLOGIES; do
		run "kunit-$t" "$S/run-guest.sh" --kunit "$t" checks
	done
	for t in $TOPOLOGIES; do
		run "bench-$t" "$S/run-guest.sh" "$t" "$SCENARIOS"
		logs+=("$BUILD/runs/bench-$t.log")
	done
fi
if [ -z "${NO_KASAN:-}" ]; then
	if run kernel-kasan "$S/kernel.sh" kasan && run initramfs-kasan "$S/initramfs.sh" kasan; then
		for t in $KASAN_TOPOLOGIES; do
			run "kasan-$t" "$S/run-guest.sh" -k kasan -t 600 "$t" "$SCENARIOS"
			logs+=("$BUILD/runs/kasan-$t.log")
		done
	fi
fi

# the reliability figures of every guest run (also in build/reliability.txt)
[ ${#logs[@]} -eq 0 ] || "$S/reliability.py" "${logs[@]}" || true

total=$(($(date +%s) - T0))
{
	echo
	echo "make check summary"
	printf '%-28s %-5s %7s\n' step result time
	printf '%s\n' "${rows[@]}"
	printf '%-28s %-5s %6ss\n' total "$([ $failed = 0 ] && echo ok || echo FAIL)" "$total"
} | tee "$logdir/summary.txt"
[ $failed = 0 ]
