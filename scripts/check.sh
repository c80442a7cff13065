#!/bin/bash
# check.sh: everything 'make check' runs, in order, with a summary table
# (step, result, seconds). Continues after a failed step so the summary
# shows all of them; exits non-zero if any step failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

S=$ROOT/scripts
TOPOLOGIES=${TOPOLOGIES:-$("$S/topology.sh" list)}
# every scenario of bench/plan, in its order
SCENARIOS=${SCENARIOS:-$(awk '$1 == "scenario" { printf "%s%s", s, $2; s = "," }' "$ROOT/bench/plan")}
# KUnit runs where its cases differ: through an IOMMU, and dma-direct.
KUNIT_TOPOLOGIES=${KUNIT_TOPOLOGIES:-iommu-intel iommu-amd direct}
KASAN_TOPOLOGIES=${KASAN_TOPOLOGIES:-iommu-intel}
logdir=$BUILD/check
mkdir -p "$logdir"
rows=()
logs=()
failures=()
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
	[ "$rc" = 0 ] || { failed=$((failed + 1)); failures+=("$name: $logdir/$name.log"); }
	return "$rc"
}

run deps "$S/deps.sh"
run tooling-tests bash -c 'rc=0; for t in "$1"/tests/tooling/*.sh; do "$t" || rc=1; done; exit $rc' - "$ROOT"
run tree "$S/tree.sh"
run parser-tests "$ROOT/tests/parser/run.sh"
run series-checks "$S/check-series.sh"
run matrix "$S/matrix.sh"
run docs "$S/docs-check.sh"
run kunit-i386 "$S/kunit32.sh" i386
run kunit-i386-pae "$S/kunit32.sh" i386-pae
if run kernel-bench "$S/kernel.sh" bench && run initramfs-bench "$S/initramfs.sh" bench; then
	# One boot per topology; where KUnit runs, its suites run at boot
	# before the scenarios, and the judge reads both from the one log.
	for t in $TOPOLOGIES; do
		k=
		case " $KUNIT_TOPOLOGIES " in *" $t "*) k=--kunit ;; esac
		run "bench-$t${k:++kunit}" "$S/run-guest.sh" -t 600 $k "$t" "$SCENARIOS"
		logs+=("$BUILD/runs/bench-$t${k:+-kunit}.log")
	done
	run seed-replay "$S/replay.sh" iommu-intel vfio-fuzz
fi
if [ -z "${NO_KASAN:-}" ]; then
	if run kernel-kasan "$S/kernel.sh" kasan && run initramfs-kasan "$S/initramfs.sh" kasan; then
		for t in $KASAN_TOPOLOGIES; do
			run "kasan-$t" "$S/run-guest.sh" -k kasan -t 600 "$t" "$SCENARIOS"
			logs+=("$BUILD/runs/kasan-$t.log")
		done
	fi
fi

# per guest run: verdict, passed / failed / skipped checks, expected skips
jsons=()
for l in "${logs[@]}"; do jsons+=("${l%.log}.json"); done
[ ${#jsons[@]} -eq 0 ] || "$S/summary.py" "${jsons[@]}" | tee "$logdir/runs.txt" || true
# the reliability figures of every guest run (also in build/reliability.txt)
[ ${#jsons[@]} -eq 0 ] || "$S/reliability.py" "${jsons[@]}" || true

total=$(($(date +%s) - T0))
{
	echo
	echo "make check summary"
	printf '%-28s %-5s %7s\n' step result time
	printf '%s\n' "${rows[@]}"
	printf '%-28s %-5s %6ss\n' total "$([ $failed = 0 ] && echo ok || echo FAIL)" "$total"
	[ ${#jsons[@]} -eq 0 ] || { echo; cat "$logdir/runs.txt"; }
	[ $failed = 0 ] || { echo; echo "logs of the failed steps:"; printf '  %s\n' "${failures[@]}"; }
	echo "all logs: $logdir (guest runs: $BUILD/runs)"
} | tee "$logdir/summary.txt"
[ $failed = 0 ]
