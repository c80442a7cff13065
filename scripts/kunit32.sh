#!/bin/bash
# kunit32.sh [--build|--boot|--judge LOG] [VARIANT]: run the series' KUnit
# suites on 32-bit x86. Build a small i386 kernel with the suites built in,
# boot it in qemu-system-i386 (TCG), judge its log with judge.py (the tree's KUnit
# parser and the kernel report rules), and print a per-suite summary.
#
#   i386       (default) no PAE: 32-bit phys_addr_t, dma_addr_t and size_t
#   i386-pae   PAE (HIGHMEM64G): 64-bit phys_addr_t and dma_addr_t, 32-bit
#              size_t
#
# The kernel is ARCH=i386 allnoconfig + configs/kunit-i386.config + the
# variant's lines, in $BUILD/obj-kunit-VARIANT; an option that Kconfig
# dropped is a failure. The guest is a q35 machine with QEMU's intel-iommu,
# so the IOMMU cases run through dma-iommu. The kernel has no userspace: it
# runs the suites at boot and reboots, which ends QEMU (-no-reboot).
#
# The run fails unless each suite of SUITES (default: dma-api-phys-iova
# dma-debug-iova dma-buf-mapping) ran at least one case and every case passed or was
# skipped, and on any kernel report in the log (WARNING, BUG, lockdep,
# DMA-API debug error, ...: the rules of kernel_reports.py). The suite
# of lib/tests/vfio_pci_dmabuf_kunit.c cannot exist on 32-bit: it needs
# VFIO_PCI_DMABUF, which needs PCI_P2PDMA, which needs 64BIT.
#
# The log is build/runs/kunit-VARIANT.log, or $RUN_LOG. KUNIT32_TIMEOUT
# (seconds, default 300) bounds the guest run. --judge LOG only judges an
# existing log: no build, no boot. --build only configures and builds;
# --boot only boots the built kernel and judges (make check builds all its
# kernels first, then boots its guests two at a time).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

declare -A VARIANT=(
	[i386]="# CONFIG_HIGHMEM64G is not set
# CONFIG_X86_PAE is not set"
	[i386-pae]="CONFIG_HIGHMEM64G=y
CONFIG_X86_PAE=y"
)
usage="usage: kunit32.sh [--build|--boot|--judge LOG] [i386|i386-pae]"
judge_log= only=
case "${1:-}" in
--judge) judge_log=${2:?$usage}; shift 2 ;;
--build|--boot) only=${1#--}; shift ;;
esac
[ $# -le 1 ] || die "$usage"
variant=${1:-i386}
[ -n "${VARIANT[$variant]+x}" ] || die "unknown variant '$variant' (i386 i386-pae)"
read -r -a suites <<< "${SUITES:-dma-api-phys-iova dma-debug-iova dma-buf-mapping}"
timeout=${KUNIT32_TIMEOUT:-300}
fragment=$ROOT/configs/kunit-i386.config
kunit_py=$TREE/tools/testing/kunit/kunit.py
obj=$BUILD/obj-kunit-$variant
log=${judge_log:-${RUN_LOG:-$BUILD/runs/kunit-$variant.log}}

[ -f "$kunit_py" ] || die "no $kunit_py: run 'make tree' first"

# configure: allnoconfig + fragment + variant, every line verified
configure() {
	step "kunit32: $variant: configure"
	mkdir -p "$obj"
	printf '%s\n' "${VARIANT[$variant]}" > "$obj/variant.config"
	OBJ=$obj ARCH=i386 CROSS_COMPILE='' "$ROOT/scripts/kconfig.sh" "$fragment" "$obj/variant.config"
}

# build: bzImage only, with ccache (lib.sh)
build() {
	step "kunit32: $variant: build"
	use_ccache
	if ! (cd "$TREE" && nice make -s ARCH=i386 O="$obj" CC="${CCACHE}gcc" -j"$JOBS" \
			bzImage) > "$obj/.build.log" 2>&1; then
		tail -n 20 "$obj/.build.log" >&2
		die "build failed, see ${obj#"$ROOT"/}/.build.log"
	fi
}

# boot: the suites run at boot, then kunit_shutdown reboots and QEMU exits
boot() {
	local rc=0

	step "kunit32: $variant: boot"
	command -v qemu-system-i386 >/dev/null ||
		die "no qemu-system-i386 (Debian: qemu-system-x86)"
	mkdir -p "$(dirname "$log")"
	timeout --foreground -k 5 "$timeout" qemu-system-i386 \
		-machine q35 -accel tcg -cpu max -smp 1 -m 512M \
		-nodefaults -nographic -no-reboot -serial mon:stdio -display none \
		-device intel-iommu \
		-kernel "$obj/arch/x86/boot/bzImage" \
		-append "console=ttyS0 panic=-1 kunit.enable=1 kunit_shutdown=reboot" \
		< /dev/null > "$log" 2>&1 || rc=$?
	if [ $rc = 124 ]; then
		end_line "$log"
		echo "kunit32: TIMEOUT after ${timeout}s" >> "$log"
		problems+=("the guest timed out after ${timeout}s")
	elif [ $rc != 0 ]; then
		problems+=("qemu-system-i386 exited $rc")
	fi
}

# judge: judge.py (kernel reports, the KTAP verdict, every suite present
# and passing), whose per-suite rows are the summary
judge() {
	local out line

	step "kunit32: $variant: judge"
	out=$("$ROOT/scripts/judge.py" "$log" --no-bench --kunit \
		--suites "$(IFS=,; echo "${suites[*]}")" --json "${log%.log}.json") || true
	while read -r line; do
		case "$line" in
		kunit:*) rows+=("$(awk '{ printf "%-24s %6d %7d %6d", $2, $4, $8, $6 }' <<< "$line")") ;;
		problem:*) problems+=("${line#problem: }") ;;
		esac
	done <<< "$out"
	grep -q '^judge: ' <<< "$out" || problems+=("judge.py gave no verdict: $(tail -n 1 <<< "$out")")
}

T0=$(date +%s)
problems=()
rows=()
t_build=- t_guest=-
if [ -z "$judge_log" ] && [ "$only" != boot ]; then
	configure
	t=$(date +%s)
	build
	t_build=$(($(date +%s) - t))
	if [ "$only" = build ]; then
		say "kunit32: $variant: built in ${t_build}s: $obj/arch/x86/boot/bzImage"
		exit 0
	fi
fi
if [ -z "$judge_log" ]; then
	[ -f "$obj/arch/x86/boot/bzImage" ] || die "no kernel in ${obj#"$ROOT"/}: kunit32.sh --build $variant"
	t=$(date +%s)
	boot
	t_guest=$(($(date +%s) - t))
fi
[ -s "$log" ] || die "no log $log"
judge

echo
echo "kunit32 summary: $variant"
printf '%-24s %6s %7s %6s\n' suite passed skipped failed
[ ${#rows[@]} = 0 ] || printf '%s\n' "${rows[@]}"
printf 'time: build %ss, guest %ss, total %ss (log: %s)\n' "$t_build" "$t_guest" \
	$(($(date +%s) - T0)) "${log#"$ROOT"/}"
if [ ${#problems[@]} != 0 ]; then
	printf 'problem: %s\n' "${problems[@]}"
	echo "kunit32: $variant: FAIL"
	exit 1
fi
echo "kunit32: $variant: PASS"
