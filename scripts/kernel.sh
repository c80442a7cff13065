#!/bin/bash
# kernel.sh CONFIG: build the workspace kernel (bzImage, modules) in
# $BUILD/obj-CONFIG, incrementally, with ccache when it is installed.
# The bench configs build VFIO and the series' KUnit suites as modules, so
# modpost checks every export and namespace import the series uses: the
# build fails on any modpost report and on a missing module of MODULES.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kernel.sh bench|kasan|timing}
obj=${OBJ:-$BUILD/obj-$cfg}
[ -e "$TREE/.git" ] || die "no workspace: run 'make tree' first"
"$ROOT/scripts/kconfig.sh" "$cfg"

use_ccache
step "kernel: building $cfg in ${obj#"$ROOT"/}"
log=$obj/.build.log
spawn make -C "$TREE" -s ARCH=x86_64 O="$obj" CC="${CCACHE}gcc" -j"$JOBS" bzImage modules > "$log" 2>&1
pid=$!
while kill -0 $pid 2>/dev/null; do
	sleep 30
	kill -0 $pid 2>/dev/null && say "kernel: $cfg building, $(elapsed)s"
done
if ! wait $pid; then
	tail -n 40 "$log" >&2
	die "kernel: $cfg build failed (log: $log)"
fi
grep -E 'warning:|error:' "$log" >&2 || true
if grep -E '^(WARNING|ERROR): modpost' "$log" >&2; then
	die "kernel: $cfg: modpost reports (log: $log)"
fi
# VFIO, and the KUnit suites where the config builds them (the timing
# kernel does not)
kunit_mods=
grep -q '^CONFIG_DMA_BUF_MAPPING_KUNIT_TEST=m' "$obj/.config" &&
	kunit_mods="lib/tests/dma_api_kunit lib/tests/dma_buf_mapping_kunit lib/tests/vfio_pci_dmabuf_kunit"
MODULES=${MODULES:-drivers/vfio/vfio drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci $kunit_mods}
for m in $MODULES; do
	[ -f "$obj/$m.ko" ] || die "kernel: $cfg: no module $m.ko"
done
"$ROOT/scripts/exports-check.sh" "$obj"
say "kernel: $cfg built in $(elapsed)s: $obj/arch/x86/boot/bzImage"
