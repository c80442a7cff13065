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

# lane NAME CMD...: start a step in the background, at most LANES (default
# 2) at a time: a KASAN guest keeps about one core busy, the Sphinx run
# one (with JOBS=1), so after the builds two of them share the two cores.
# More would starve the guests: three at a time gave a guest an RCU stall
# warning during boot. A lane's output goes to its log only; drain waits
# for all of them and adds their rows. Each lane is a process group of its
# own (spawn), stopped on Ctrl-C.
LANES=${LANES:-2}
lanes=()
idle=()
lane_body() {
	local name=$1 logdir=$2 t0 rc
	shift 2
	t0=$(date +%s)
	"$@" > "$logdir/$name.log" 2>&1
	rc=$?
	echo "$rc $(($(date +%s) - t0))" > "$logdir/$name.rc"
	printf '<== [%s] %s: %s in %ss\n' "$(date +%H:%M:%S)" "$name" \
		"$([ $rc = 0 ] && echo ok || echo FAIL)" $(($(date +%s) - t0))
	[ $rc = 0 ] || tail -n 30 "$logdir/$name.log"
}
lane() {
	local name=$1
	shift
	while [ "$(busy)" -ge "$LANES" ]; do wait -n || true; done
	printf '\n==> [%s +%ss] %s (in the background: %s)\n' "$(date +%H:%M:%S)" \
		$(($(date +%s) - T0)) "$name" "$logdir/$name.log"
	lanes+=("$name")
	spawn bash -c "$(declare -f lane_body); lane_body \"\$@\"" - "$name" "$logdir" "$@"
}
# SCHED_IDLE where the scheduler lets us set it, else the lowest nice
IDLE_PRIO=(chrt --idle 0)
"${IDLE_PRIO[@]}" true 2>/dev/null || IDLE_PRIO=(nice -n 19)
# busy: the number of running lanes that count against LANES.
busy() {
	jobs -rp | grep -cvxF -f <(printf '%s\n' "${idle[@]}" 0) || true
}
# idle_lane NAME CMD...: a lane that starts at once, at idle priority
# (SCHED_IDLE), beside the builds, and does not count against LANES until
# wake_lanes. Where the kernel groups sessions for scheduling (autogroup,
# on in most distributions), a lane is a session of its own, so it gets
# its group's share beside the builds rather than only the cycles they
# leave idle: measured cold, the Sphinx lane made the series checks 200 s
# longer and took 523 s off the guest lanes.
idle_lane() {
	local name=$1
	shift
	printf '\n==> [%s +%ss] %s (at idle priority, in the background: %s)\n' \
		"$(date +%H:%M:%S)" $(($(date +%s) - T0)) "$name" "$logdir/$name.log"
	lanes+=("$name")
	spawn "${IDLE_PRIO[@]}" bash -c "$(declare -f lane_body); lane_body \"\$@\"" - "$name" "$logdir" "$@"
	idle+=("$!")
}
# wake_lanes: the builds are done: the idle lanes still running get normal
# priority (every process of their group) and count against LANES.
wake_lanes() {
	local g p
	for g in "${idle[@]}"; do
		for p in $(pgrep -g "$g" 2>/dev/null); do
			chrt --other --all-tasks --pid 0 "$p" 2>/dev/null || true
			renice -n 0 -p "$p" >/dev/null 2>&1 || true
		done
	done
	idle=()
}
drain() {
	local name rc secs
	wait
	for name in "${lanes[@]}"; do
		read -r rc secs < "$logdir/$name.rc" || { rc=1 secs=0; }
		rows+=("$(printf '%-28s %-5s %6ss' "$name" "$([ "$rc" = 0 ] && echo ok || echo FAIL)" "$secs")")
		[ "$rc" = 0 ] || { failed=$((failed + 1)); failures+=("$name: $logdir/$name.log"); }
	done
	lanes=()
}

run deps "$S/deps.sh"
rm -f "$logdir"/*.rc
# The tests of the tooling need nothing built and little CPU (each works
# in a directory of its own): a lane beside the tree import and the
# builds. The judge's tests need the tree (its KUnit parser): a lane
# after the import.
lane tooling-tests bash -c 'rc=0
	for t in "$1"/tests/tooling/*.sh; do "$t" || rc=1; done
	"$1/tests/series-warnings/run.sh" || rc=1
	exit $rc' - "$ROOT"
run tree "$S/tree.sh"
lane parser-tests "$ROOT/tests/parser/run.sh"

# The documentation build needs no kernel build and is mostly one Python
# process (Sphinx): it runs beside the builds (idle_lane says how much of
# the CPU that gives it).
idle_lane docs env JOBS=1 "$S/docs-check.sh"

# The builds, one after the other (each uses every core).
run series-checks "$S/check-series.sh"
run matrix "$S/matrix.sh"
# 32-bit: PAE, where dma_addr_t is 64-bit and size_t 32-bit (the i386
# matrix cell compiles the series without PAE; make kunit32 runs it).
k32=()
for v in ${KUNIT32:-i386-pae}; do
	run "kunit-$v-build" "$S/kunit32.sh" --build "$v" && k32+=("$v")
done
# The guests' kernel: the bench config with KASAN (kasan.config), so that
# every topology runs under KASAN, lockdep, DMA-API debug and kmemleak.
guests_ok=
run kernel-kasan "$S/kernel.sh" kasan && run initramfs-kasan "$S/initramfs.sh" kasan && guests_ok=1
# Code written for the upstream interfaces builds against that kernel
# (names, types and values; seconds).
run upstream-api "$ROOT/tests/upstream-api/run.sh" kasan

# The guests, LANES at a time (the documentation build, if it still runs,
# is one of them): the longest first.
wake_lanes
if [ -n "$guests_ok" ]; then
	# One boot per topology; where KUnit runs, its suites run before the
	# scenarios, and the judge reads both from the one log.
	for t in $TOPOLOGIES; do
		k=
		case " $KUNIT_TOPOLOGIES " in *" $t "*) k=--kunit ;; esac
		lane "kasan-$t${k:++kunit}" "$S/run-guest.sh" -k kasan -t 900 $k "$t" "$SCENARIOS"
		logs+=("$BUILD/runs/kasan-$t${k:+-kunit}.log")
	done
	lane seed-replay env CONFIG=kasan "$S/replay.sh" iommu-intel vfio-fuzz
fi
for v in "${k32[@]}"; do
	lane "kunit-$v" "$S/kunit32.sh" --boot "$v"
done
drain

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
