#!/bin/bash
# matrix.sh [CELL...]: build what the series touches in configurations the
# bench kernel does not cover, one cell per configuration, and print a
# per-cell summary. Each cell is allnoconfig + configs/bench.config + its
# own overrides, in $BUILD/obj-matrix-CELL; after 'make prepare' only the
# directories of the series' .c files are compiled, with W=1 and sparse
# (C=1). A cell fails on a compile error, on an override that Kconfig
# dropped, and on any warning in a file that the series adds; warnings in
# files it modifies are listed (compare them with check-series, which
# judges the bench config against base).
#
#   p2pdma-off   PCI_P2PDMA=n: the provider stubs, the helper's refusal
#                (and VFIO_PCI_DMABUF off: the feature answers -ENOTTY)
#   iommu-off    IOMMU_SUPPORT=n (IOMMU_DMA is def_bool on x86 below it):
#                no IOMMU drivers, the IOVA API stubs
#   notify-off   DMABUF_MOVE_NOTIFY=n: VFIO_PCI_DMABUF off
#   debug-off    DMA_API_DEBUG=n: the dma-debug hooks compile away
#   kunit-off    KUNIT=n: no suites, the VISIBLE_IF_KUNIT symbols static
#   i386         32-bit x86 without PAE: no P2PDMA (it needs 64BIT), the
#                DMA API additions and the helper's 64-bit arithmetic
#   i386-pae     32-bit x86 with PAE: 64-bit phys_addr_t and dma_addr_t
#   arm64        Debian's cross compiler, with IOMMU_DMA (SMMUv3), PCI,
#                VFIO_PCI and PCI_P2PDMA
# A cell's first override line may be "ARCH=<arch>" (default x86_64).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

declare -A CELL=(
	[p2pdma-off]="# CONFIG_PCI_P2PDMA is not set
# CONFIG_VFIO_PCI_DMABUF is not set"
	[iommu-off]="# CONFIG_IOMMU_SUPPORT is not set
# CONFIG_INTEL_IOMMU is not set
# CONFIG_AMD_IOMMU is not set
# CONFIG_IOMMU_DMA is not set"
	[notify-off]="# CONFIG_DMABUF_MOVE_NOTIFY is not set
# CONFIG_VFIO_PCI_DMABUF is not set"
	[debug-off]="# CONFIG_DMA_API_DEBUG is not set"
	[kunit-off]="# CONFIG_KUNIT is not set"
	[i386]="ARCH=i386
# CONFIG_64BIT is not set
# CONFIG_X86_PAE is not set"
	[i386-pae]="ARCH=i386
# CONFIG_64BIT is not set
CONFIG_HIGHMEM64G=y
CONFIG_X86_PAE=y"
	[arm64]="ARCH=arm64
CONFIG_ARM_SMMU_V3=y
CONFIG_IOMMU_DMA=y
CONFIG_PCI=y
CONFIG_VFIO_PCI=y
CONFIG_PCI_P2PDMA=y
CONFIG_VFIO_PCI_DMABUF=y"
)
ORDER=(p2pdma-off iommu-off notify-off debug-off kunit-off i386 i386-pae arm64)
cells=("$@")
[ ${#cells[@]} -gt 0 ] || cells=("${ORDER[@]}")

[ -d "$TREE/.git" ] || die "no workspace: run 'make tree' first"
base=$(tgit rev-parse base)
mapfile -t touched < <(tgit diff --name-only "$base" HEAD -- '*.c' '*.h')
mapfile -t added < <(tgit diff --name-only --diff-filter=A "$base" HEAD -- '*.c' '*.h')
mapfile -t dirs < <(printf '%s\n' "${touched[@]}" | grep '\.c$' | grep -v '^tools/' |
	xargs -r -n1 dirname | sort -u)

ccache=
if command -v ccache >/dev/null; then
	ccache="ccache "
	export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
fi

rows=()
failed=0
for c in "${cells[@]}"; do
	[ -n "${CELL[$c]+x}" ] || die "unknown cell '$c' (${ORDER[*]})"
	step "matrix: $c"
	obj=$BUILD/obj-matrix-$c
	mkdir -p "$obj"
	arch=x86_64
	cross=
	printf '%s\n' "${CELL[$c]}" | grep -v '^ARCH=' > "$obj/cell.config"
	if [[ ${CELL[$c]} == ARCH=* ]]; then
		arch=$(printf '%s\n' "${CELL[$c]}" | sed -n '1s/^ARCH=//p')
	fi
	[ "$arch" = arm64 ] && cross=aarch64-linux-gnu-
	verdict=ok
	detail=
	(cd "$TREE" && ARCH=$arch CROSS_COMPILE=$cross scripts/kconfig/merge_config.sh -n -O "$obj" \
		"$ROOT/configs/bench.config" "$obj/cell.config") > "$obj/.merge.log" 2>&1 ||
		{ verdict=FAIL; detail="merge_config failed"; }
	while read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]]; then
			grep -qxF "$line" "$obj/.config" || { verdict=FAIL; detail+="$line dropped; "; }
		elif [[ $line =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set$ ]]; then
			! grep -qE "^${BASH_REMATCH[1]}=" "$obj/.config" ||
				{ verdict=FAIL; detail+="${BASH_REMATCH[1]} still set; "; }
		fi
	done < "$obj/cell.config"
	log=$obj/.matrix.log
	if [ $verdict = ok ]; then
		say "matrix: $c: make prepare, then ${#dirs[@]} directories with W=1 C=1"
		# the series' own objects always compile, so their warnings show
		for f in "${touched[@]}"; do
			[[ $f == *.c ]] && rm -f "$obj/${f%.c}.o"
		done
		if ! (cd "$TREE" && nice make -s ARCH="$arch" CROSS_COMPILE="$cross" O="$obj" \
				CC="$ccache${cross}gcc" -j"$JOBS" prepare &&
			nice make ARCH="$arch" CROSS_COMPILE="$cross" O="$obj" CC="$ccache${cross}gcc" \
				-j"$JOBS" W=1 C=1 \
				"${dirs[@]/%//}") > "$log" 2>&1; then
			verdict=FAIL
			detail+="build failed: $(grep -m1 -E 'error:|Error' "$log" || tail -n1 "$log"); "
		fi
	fi
	nnew=0
	nmod=0
	if [ -f "$log" ]; then
		for f in "${touched[@]}"; do
			w=$(grep -cE "(^|/)${f//./\\.}:[0-9]+:[0-9]+: (warning|error)" "$log" || true)
			[ "$w" = 0 ] && continue
			if printf '%s\n' "${added[@]}" | grep -qxF "$f"; then
				nnew=$((nnew + w))
				grep -E "(^|/)${f//./\\.}:[0-9]+:[0-9]+: (warning|error)" "$log" >&2
			else
				nmod=$((nmod + w))
				say "matrix: $c: $w warning(s) in modified $f"
			fi
		done
	fi
	[ $nnew = 0 ] || { verdict=FAIL; detail+="$nnew warning(s) in added files; "; }
	rows+=("$(printf '%-14s %-5s %5ss  new-file warnings %d, modified-file warnings %d %s' \
		"$c" "$verdict" "$(elapsed)" "$nnew" "$nmod" "$detail")")
	[ $verdict = ok ] || failed=$((failed + 1))
done

echo
echo "matrix summary"
printf '%s\n' "${rows[@]}"
[ $failed = 0 ]
