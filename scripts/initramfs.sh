#!/bin/bash
# initramfs.sh CONFIG: build the bench's test modules against CONFIG's kernel
# and its userspace tools, and pack them with busybox-static into
# build/initramfs-CONFIG.cpio.gz.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: initramfs.sh bench|kasan|timing}
obj=$BUILD/obj-$cfg
[ -f "$obj/Module.symvers" ] || die "kernel $cfg is not built (make kernel)"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static || busybox=/bin/busybox
[ -x "$busybox" ] || die "busybox-static is missing (make deps)"

step "initramfs: $cfg"
# Out-of-tree modules: build in a per-config copy, the source stays clean.
mods=$BUILD/modules-$cfg
mkdir -p "$mods"
rsync -a --delete "$ROOT/bench/modules/" "$mods/src/"
rsync -a --delete "$ROOT/bench/include/" "$mods/include/"
for m in "$mods"/src/*/; do
	make -s -C "$TREE" O="$obj" M="$m" W=1 modules >&2
done
tools=$BUILD/tools
mkdir -p "$tools"
# the programs bench/tools/Makefile builds (in the copy: the source stays clean)
progs=(smoketest importertest dmaapitest p2pmemtest dbuftest mdbbench)
rsync -a --delete "${progs[@]/#/--exclude=}" "$ROOT/bench/tools/" "$tools/src/"
rsync -a --delete "$ROOT/bench/include/" "$tools/include/"
make -s -C "$tools/src" KSFT="$TREE/tools/testing/selftests" >&2
# The series' kselftest, static, against the uAPI headers of this kernel.
kself=$TREE/tools/testing/selftests/vfio
if [ -d "$kself" ]; then
	make -s -C "$TREE" O="$obj" headers_install INSTALL_HDR_PATH="$tools/hdr" >&2
	mkdir -p "$tools/kselftest"
	make -s -C "$kself" KHDR_INCLUDES="-I$tools/hdr/include" \
		OUTPUT="$tools/kselftest" USERLDFLAGS=-static >&2
fi

stage=$BUILD/initramfs-$cfg
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,bench/scenarios}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$ROOT/bench/init" "$stage/init"
cp "$ROOT/bench/lib.sh" "$stage/bench/"
cp "$ROOT"/bench/scenarios/*.sh "$stage/bench/scenarios/"
cp "$mods"/src/*/*.ko "$stage/bench/"
# the kernel's own modules (VFIO, the KUnit suites), flat
mkdir -p "$stage/lib/modules"
find "$obj" -name '*.ko' ! -path "$obj/source/*" -exec cp {} "$stage/lib/modules/" \;
cp "${progs[@]/#/$tools/src/}" "$stage/bench/"
[ -d "$kself" ] && cp "$tools/kselftest/vfio_dmabuf_test" "$stage/bench/"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) \
	> "$BUILD/initramfs-$cfg.cpio.gz"
say "initramfs: build/initramfs-$cfg.cpio.gz ($(du -h "$BUILD/initramfs-$cfg.cpio.gz" | cut -f1)) in $(elapsed)s"
