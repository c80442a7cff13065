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
# VFIO, and each KUnit suite where the config builds it (the timing
# kernel does not)
kunit_mods=
for m in DMA_API_KUNIT_TEST:dma_api_kunit DMA_BUF_MAPPING_KUNIT_TEST:dma_buf_mapping_kunit \
	VFIO_PCI_DMABUF_KUNIT_TEST:vfio_pci_dmabuf_kunit; do
	if grep -q "^CONFIG_${m%%:*}=m" "$obj/.config"; then kunit_mods+=" lib/tests/${m#*:}"; fi
done
MODULES=${MODULES:-drivers/vfio/vfio drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci$kunit_mods}
for m in $MODULES; do
	[ -f "$obj/$m.ko" ] || die "kernel: $cfg: no module $m.ko"
done
"$ROOT/scripts/exports-check.sh" "$obj"
say "kernel: $cfg built in $(elapsed)s: $obj/arch/x86/boot/bzImage"
