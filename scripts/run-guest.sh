#!/bin/bash
# run-guest.sh [-k CONFIG] [-t SECONDS] [--kunit] TOPOLOGY SCENARIO,...
# Boot the bench guest of TOPOLOGY with CONFIG's kernel and initramfs, run
# the scenarios, and judge the serial log with judge.py (its JSON is the
# log's name with .json). SEED=N replays a run (the guest's random choices
# all derive from it); without it a new seed is drawn and printed.
# The log is build/runs/CONFIG-TOPOLOGY[-kunit].log, or $RUN_LOG; QEMU's own
# messages go beside it (.qemu), so that none lands inside a console line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cfg=bench timeout=${BENCH_TIMEOUT:-300} kunit= allow=()
while [ $# -gt 0 ]; do
	case "$1" in
	-k) cfg=$2; shift 2 ;;
	-t) timeout=$2; shift 2 ;;
	--kunit) kunit=1; shift ;;
	--allow) allow+=(--allow "$2"); shift 2 ;;
	*) break ;;
	esac
done
topo=${1:?usage: run-guest.sh [-k CONFIG] [-t SECONDS] [--kunit] TOPOLOGY SCENARIO,...}
scen=${2:-}
obj=$BUILD/obj-$cfg
kernel=$obj/arch/x86/boot/bzImage
initrd=$BUILD/initramfs-$cfg.cpio.gz
[ -f "$kernel" ] || die "no kernel $kernel (make kernel)"
[ -f "$initrd" ] || die "no initramfs $initrd (make initramfs)"

seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
path=$(awk -v t="$topo" '$1 == "topology" && $2 == t { print $3 }' "$ROOT/bench/plan")
[ -n "$path" ] || die "topology '$topo' is not in bench/plan"
mapfile -t targs < <("$ROOT/scripts/topology.sh" "$topo")
append=${targs[-1]}
unset 'targs[-1]' 'targs[-1]'
# hung_task_panic: a task blocked past the detector's timeout (10 s in
# vfio-stress) fails the run at once instead of at the host's timeout.
cmdline="console=ttyS0 panic=-1 hung_task_panic=1 loglevel=7 bench.topology=$topo bench.path=$path"
cmdline="$cmdline bench.seed=$seed bench.scenarios=$scen $append ${BENCH_APPEND:-}"
if [ -n "$kunit" ]; then
	cmdline="$cmdline kunit.enable=1"
	[ -z "${KUNIT_FILTER:-}" ] || cmdline="$cmdline kunit.filter_glob=$KUNIT_FILTER"
fi
[ "$cfg" != kasan ] || cmdline="$cmdline kasan.fault=report"

mkdir -p "$BUILD/runs"
log=${RUN_LOG:-$BUILD/runs/$cfg-$topo${kunit:+-kunit}.log}
step "guest: $cfg kernel on $topo${kunit:+ (KUnit)}${scen:+: $scen} (SEED=$seed)"
: > "$log"
# Ctrl-C or a kill of this script stops the guest too (spawn).
spawn qemu-system-x86_64 \
	-machine q35,kernel-irqchip=split -accel tcg -smp "$GUEST_SMP" -m "$GUEST_MEM" \
	-nographic -no-reboot -serial mon:stdio -display none \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	"${targs[@]}" < /dev/null > "$log" 2> "${log%.log}.qemu"
qemu=$!
# A guest whose console stays silent for $stall seconds while QEMU uses
# almost no CPU has stopped: every task asleep and no timer firing, not even
# the hung-task detector's (seen under TCG about once in twenty runs). It is
# ended then, as a failure, instead of at the timeout.
stall=${BENCH_STALL:-120} poll=${BENCH_POLL:-30}
hz=$(getconf CLK_TCK)
qemu_cpu() { awk '{ print $14 + $15 }' "/proc/$qemu/stat" 2>/dev/null || echo 0; }
rc=
t0=$(date +%s)
quiet_t=$t0 quiet_cpu=$(qemu_cpu) size=0
while [ -z "$rc" ]; do
	for _ in $(seq "$poll"); do
		kill -0 $qemu 2>/dev/null || break
		sleep 1
	done
	t=$(date +%s)
	if [ "$(stat -c %s "$log")" != "$size" ]; then
		size=$(stat -c %s "$log") quiet_t=$t quiet_cpu=$(qemu_cpu)
	fi
	if ! kill -0 $qemu 2>/dev/null; then
		wait $qemu && rc=0 || rc=$?
	elif [ $((t - t0)) -ge "$timeout" ]; then
		kill $qemu; wait $qemu || true
		end_line "$log"
		echo "run-guest: TIMEOUT after ${timeout}s" >> "$log"
		rc=124
	elif [ $((t - quiet_t)) -ge "$stall" ] &&
		[ $(($(qemu_cpu) - quiet_cpu)) -lt $(((t - quiet_t) * hz / 10)) ]; then
		kill $qemu; wait $qemu || true
		end_line "$log"
		echo "run-guest: STALL: no console output for $((t - quiet_t))s and QEMU below 10% of a CPU: the guest stopped ($((t - t0))s in)" | tee -a "$log" >&2
		rc=125
	else
		# progress: the scenario the guest is in
		now=$(sed -n 's/^    # Subtest: //p' "$log" | tail -n 1)
		say "guest: $topo: $(($(date +%s) - t0))s, ${now:+in $now, }$(grep -c '^ *\(not \)\?ok ' "$log" || true) results so far"
	fi
done
ok=0
"$ROOT/scripts/judge.py" "$log" --topology "$topo" --scenarios "$scen" \
	${kunit:+--kunit} "${allow[@]}" --json "${log%.log}.json" || ok=$?
say "guest: $topo done in $(elapsed)s (log: ${log#"$ROOT"/}, result: ${log%.log}.json)"
exit $ok
