#!/bin/bash
# run-guest.sh [-k CONFIG] [-t SECONDS] [--kunit] TOPOLOGY SCENARIO,...
# Boot the bench guest of TOPOLOGY with CONFIG's kernel and initramfs, run
# the scenarios, and judge the serial log with parse-log.py.
# The log is build/runs/CONFIG-TOPOLOGY[-kunit].log, or $RUN_LOG.
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

mapfile -t targs < <("$ROOT/scripts/topology.sh" "$topo")
append=${targs[-1]}
unset 'targs[-1]' 'targs[-1]'
cmdline="console=ttyS0 panic=-1 loglevel=7 bench.topology=$topo bench.scenarios=$scen $append ${BENCH_APPEND:-}"
if [ -n "$kunit" ]; then
	cmdline="$cmdline kunit.enable=1"
	[ -z "${KUNIT_FILTER:-}" ] || cmdline="$cmdline kunit.filter_glob=$KUNIT_FILTER"
fi
[ "$cfg" = bench ] || cmdline="$cmdline kasan.fault=report"

mkdir -p "$BUILD/runs"
log=${RUN_LOG:-$BUILD/runs/$cfg-$topo${kunit:+-kunit}.log}
step "guest: $cfg kernel on $topo${kunit:+ (KUnit)}${scen:+: $scen}"
rc=0
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 \
	-machine q35,kernel-irqchip=split -accel tcg -smp 2 -m 1G \
	-nographic -no-reboot -serial mon:stdio -display none \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	"${targs[@]}" < /dev/null > "$log" 2>&1 || rc=$?
[ $rc = 124 ] && echo "run-guest: TIMEOUT after ${timeout}s" >> "$log"
# Faults that scenarios provoke and check themselves are not splats.
while read -r re; do
	case "$re" in ''|'#'*) ;; *) allow+=(--allow "$re") ;; esac
done < "$ROOT/bench/expected-faults"
expect=()
[ -z "$scen" ] || expect=(--expect "$scen")
"$ROOT/scripts/parse-log.py" "$log" "${expect[@]}" ${kunit:+--kunit --ktap-tool "$TREE/tools/testing/kunit/kunit.py"} \
	"${allow[@]}" --summary "${log%.log}.summary"
ok=$?
say "guest: $topo done in $(elapsed)s (log: ${log#"$ROOT"/})"
exit $ok
