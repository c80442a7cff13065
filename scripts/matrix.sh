#!/bin/bash
# matrix.sh [CELL...]: build what the series touches in configurations the
# bench kernel does not cover, one cell per configuration, and print a
# per-cell summary. Each cell is allnoconfig + configs/bench.config + its
# own overrides, in $BUILD/obj-matrix-ARCH; after 'make prepare' only the
# directories of the series' .c files are compiled, with W=1 and sparse
# (C=1), without W=1's kernel-doc run per object (check-series and
# docs-check judge kernel-doc). A cell fails on a compile error, on an override that Kconfig
# dropped, on any warning in a file that the series adds, and on any
# warning in a file it modifies that base does not have: the objects that
# warned about modified files are compiled again from base (a worktree of
# the 'base' tag, $BUILD/tree-base, in $BUILD/obj-matrix-base-ARCH with the
# cell's config) and the warnings compare as file + message multisets
# (warnings.sh, as in check-series).
#
# Options that are off independently of each other share a cell: each
# stub still compiles, at a fraction of the cells' cost.
#   p2pdma-debug-off  PCI_P2PDMA=n: the provider stubs, the helper's refusal
#                (and VFIO_PCI_DMABUF off: the feature answers -ENOTTY);
#                DMA_API_DEBUG=n: the dma-debug hooks compile away;
#                DMA_BUF_MAPPING_KUNIT_TEST=n with KUNIT on: the helper
#                exports nothing but the two helpers (exports-check.sh,
#                which every cell runs)
#   iommu-kunit-notify-off  IOMMU_SUPPORT=n (IOMMU_DMA is def_bool on x86
#                below it): no IOMMU drivers, the IOVA API stubs; KUNIT=n:
#                no suites, the VISIBLE_IF_KUNIT symbols static;
#                DMABUF_MOVE_NOTIFY=n: VFIO_PCI_DMABUF built without it
#                and without an IOMMU driver
#   i386         32-bit x86 without PAE: no P2PDMA (it needs 64BIT), the
#                DMA API additions and the helper's 64-bit arithmetic
#   i386-pae     32-bit x86 with PAE: 64-bit phys_addr_t and dma_addr_t
#   arm64        Debian's cross compiler, with IOMMU_DMA (SMMUv3), PCI,
#                VFIO_PCI, PCI_P2PDMA and nvgrace-gpu (arm64 only)
# Every cell turns the RDMA core off: the series changes only an
# initializer there, which the bench kernels and check-series compile.
# A cell's override lines may start with the directive "ARCH=<arch>"
# (default x86_64). The bench kernel (scripts/kernel.sh) builds VFIO and the
# KUnit suites as modules, links them and fails on any modpost report.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/warnings.sh"

declare -A CELL=(
	[p2pdma-debug-off]="# CONFIG_PCI_P2PDMA is not set
# CONFIG_VFIO_PCI_DMABUF is not set
# CONFIG_DMA_API_DEBUG is not set
# CONFIG_DMA_BUF_MAPPING_KUNIT_TEST is not set
# CONFIG_INFINIBAND is not set"
	[iommu-kunit-notify-off]="# CONFIG_IOMMU_SUPPORT is not set
# CONFIG_INTEL_IOMMU is not set
# CONFIG_AMD_IOMMU is not set
# CONFIG_IOMMU_DMA is not set
# CONFIG_KUNIT is not set
# CONFIG_DMABUF_MOVE_NOTIFY is not set
# CONFIG_INFINIBAND is not set"
	[i386]="ARCH=i386
# CONFIG_64BIT is not set
# CONFIG_X86_PAE is not set
# CONFIG_INFINIBAND is not set"
	[i386-pae]="ARCH=i386
# CONFIG_64BIT is not set
CONFIG_HIGHMEM64G=y
CONFIG_X86_PAE=y
# CONFIG_INFINIBAND is not set"
	[arm64]="ARCH=arm64
CONFIG_ARM_SMMU_V3=y
CONFIG_IOMMU_DMA=y
CONFIG_PCI=y
CONFIG_VFIO_PCI=m
CONFIG_PCI_P2PDMA=y
CONFIG_VFIO_PCI_DMABUF=y
CONFIG_NVGRACE_GPU_VFIO_PCI=m
# CONFIG_INFINIBAND is not set"
)
ORDER=(p2pdma-debug-off iommu-kunit-notify-off i386 i386-pae arm64)
cells=("$@")
[ ${#cells[@]} -gt 0 ] || cells=("${ORDER[@]}")

[ -d "$TREE/.git" ] || die "no workspace: run 'make tree' first"
base=$(tgit rev-parse base)
mapfile -t touched < <(tgit diff --name-only "$base" HEAD -- '*.c' '*.h')
mapfile -t added < <(tgit diff --name-only --diff-filter=A "$base" HEAD -- '*.c' '*.h')
mapfile -t modified < <(tgit diff --name-only --diff-filter=M "$base" HEAD -- '*.c' '*.h')
mapfile -t dirs < <(printf '%s\n' "${touched[@]}" | grep '\.c$' | grep -v '^tools/' |
	xargs -r -n1 dirname | sort -u)

use_ccache

# configure SRC OBJ ARCH CROSS VERIFY: allnoconfig + bench.config +
# OBJ/cell.config (kconfig.sh; VERIFY is its --verify-last or --no-verify).
# The options it found dropped are in OBJ/.kconfig.log.
configure() {
	TREE=$1 OBJ=$2 ARCH=$3 CROSS_COMPILE=$4 "$ROOT/scripts/kconfig.sh" "$5" \
		"$ROOT/configs/bench.config" "$2/cell.config" 2> "$2/.kconfig.log"
}

# kmake SRC OBJ ARCH CROSS ARGS...: make in SRC for O=OBJ, quietly niced.
kmake() {
	local src=$1 o=$2 a=$3 x=$4
	shift 4
	(cd "$src" && nice make ARCH="$a" CROSS_COMPILE="$x" O="$o" CC="$CCACHE${x}gcc" \
		-j"$JOBS" "$@")
}

# modified_warnings PARSED: "object<TAB>normalised" of each warning the
# parsed log has in a file that the series modifies (not adds).
modified_warnings() {
	awk -F'\t' -v OFS='\t' 'FILENAME == ARGV[1] { mod[$0] = 1; next }
		$1 == "W" { f = $4; sub(/: .*/, "", f); if (f in mod) print $2, $4 }' \
		<(printf '%s\n' "${modified[@]}") "$1"
}

# base_tree: a worktree of the base commit, made once.
base_tree() {
	local bt=$BUILD/tree-base
	if [ "$(git -C "$bt" rev-parse HEAD 2>/dev/null)" != "$base" ]; then
		rm -rf "$bt"
		tgit worktree prune
		tgit worktree add -q --detach "$bt" "$base"
	fi
	echo "$bt"
}


rows=()
failed=0
for c in "${cells[@]}"; do
	[ -n "${CELL[$c]+x}" ] || die "unknown cell '$c' (${ORDER[*]})"
	step "matrix: $c"
	arch=$(printf '%s\n' "${CELL[$c]}" | sed -n 's/^ARCH=//p')
	arch=${arch:-x86_64}
	# One obj dir per architecture: a cell's config differs from the
	# previous cell's in a few options, and kbuild then compiles again
	# only what depends on them. What it does not compile again built
	# as it did in the previous cell, whose warnings were judged there.
	obj=$BUILD/obj-matrix-$arch
	mkdir -p "$obj"
	cross=
	[ "$arch" = arm64 ] && cross=aarch64-linux-gnu-
	printf '%s\n' "${CELL[$c]}" | grep -vE '^ARCH=' > "$obj/cell.config"
	verdict=ok
	detail=
	if ! configure "$TREE" "$obj" "$arch" "$cross" --verify-last; then
		verdict=FAIL
		detail="$(grep -E '^kconfig: CONFIG|^error' "$obj/.kconfig.log" | sed 's/^kconfig: //' |
			paste -sd';'); "
	fi
	log=$obj/.matrix-$c.log
	parsed=$obj/.matrix-$c.parsed
	rm -f "$log" "$parsed"
	if [ $verdict = ok ]; then
		say "matrix: $c: make prepare, then ${#dirs[@]} directories with W=1 C=1"
		# the series' own objects always compile, so their warnings show
		for f in "${touched[@]}"; do
			[[ $f == *.c ]] && rm -f "$obj/${f%.c}.o"
		done
		if ! { kmake "$TREE" "$obj" "$arch" "$cross" -s prepare &&
			kmake "$TREE" "$obj" "$arch" "$cross" -O W=1 C=1 cmd_checkdoc= "${dirs[@]/%//}"; } > "$log" 2>&1; then
			verdict=FAIL
			detail+="build failed: $(grep -m1 -E 'error:|Error' "$log" || tail -n1 "$log"); "
		fi
		parse_build_log "$log" "$TREE" "$obj" > "$parsed"
		if ! "$ROOT/scripts/exports-check.sh" "$obj" "$cross" 2>> "$log"; then
			verdict=FAIL
			detail+="exports: $(grep -m1 '^exports-check' "$log"); "
		fi
	fi
	nnew=0 nmod=0 nbase=0 nmodnew=0
	if [ -f "$parsed" ]; then
		# warnings in added files: none allowed
		while IFS=$'\t' read -r _ o _ n raw; do
			f=${n%%: *}
			printf '%s\n' "${added[@]}" | grep -qxF "$f" || continue
			nnew=$((nnew + 1))
			say "matrix: $c: $raw"
		done < <(grep '^W' "$parsed")
		# warnings in modified files: compared with base, object by object
		modified_warnings "$parsed" > "$obj/.matrix-$c.mod"
		nmod=$(wc -l < "$obj/.matrix-$c.mod")
		# Known at base already: the warnings check-series found in its
		# build of base (bench config, same W=1 C=1 and normalisation).
		# A cell whose warnings in modified files all have a base twin
		# there (file + message, counted) needs no base compile of its own.
		known=${CHECK_DIR:-$BUILD/check}/run/state.0/warn.tsv
		excess=1
		if [ "$nmod" -gt 0 ] && [ -f "$known" ]; then
			excess=$(awk -F'\t' 'FILENAME == ARGV[1] { b[$3]++; next }
				{ if (b[$2] > 0) b[$2]--; else n++ } END { print n + 0 }' \
				"$known" "$obj/.matrix-$c.mod")
		fi
		if [ "$nmod" -gt 0 ] && [ "$excess" = 0 ]; then
			nbase=$nmod
			say "matrix: $c: the $nmod warning(s) in modified files are all in check-series' base build: no base compile"
		elif [ "$nmod" -gt 0 ]; then
			bt=$(base_tree)
			bobj=$BUILD/obj-matrix-base-$arch
			mkdir -p "$bobj"
			cp "$obj/cell.config" "$bobj/cell.config"
			mapfile -t objs < <(cut -f1 "$obj/.matrix-$c.mod" | grep '\.o$' | sort -u |
				while read -r o; do [ -f "$bt/${o%.o}.c" ] && echo "$o"; done)
			say "matrix: $c: $nmod warning(s) in modified files, from ${#objs[@]} object(s): compiling them from base"
			for o in "${objs[@]}"; do rm -f "$bobj/$o"; done
			if [ ${#objs[@]} -gt 0 ] && configure "$bt" "$bobj" "$arch" "$cross" --no-verify &&
				{ kmake "$bt" "$bobj" "$arch" "$cross" -s prepare &&
				  kmake "$bt" "$bobj" "$arch" "$cross" -O W=1 C=1 cmd_checkdoc= "${objs[@]}"; } \
					> "$bobj/.matrix.log" 2>&1; then
				parse_build_log "$bobj/.matrix.log" "$bt" "$bobj" > "$bobj/.matrix.parsed"
			else
				say "matrix: $c: the base build failed: every warning in a modified file counts as new"
				: > "$bobj/.matrix.parsed"
			fi
			modified_warnings "$bobj/.matrix.parsed" > "$bobj/.matrix.mod"
			nbase=$(wc -l < "$bobj/.matrix.mod")
			# multiset difference on the normalised warning
			while IFS=$'\t' read -r cnt n; do
				nmodnew=$((nmodnew + cnt))
				say "matrix: $c: new in a modified file (${cnt}x): $n"
			done < <(awk -F'\t' -v OFS='\t' 'FILENAME == ARGV[1] { b[$2]++; next }
				{ h[$2]++ } END { for (k in h) if (h[k] > b[k]) print h[k] - b[k], k }' \
				"$bobj/.matrix.mod" "$obj/.matrix-$c.mod")
		fi
	fi
	[ $nnew = 0 ] || { verdict=FAIL; detail+="$nnew warning(s) in added files; "; }
	[ $nmodnew = 0 ] || { verdict=FAIL; detail+="$nmodnew new warning(s) in modified files; "; }
	rows+=("$(printf '%-22s %-4s %5ss  %5d %9d %6d %5d  %s' \
		"$c" "$verdict" "$(elapsed)" "$nnew" "$nmod" "$nbase" "$nmodnew" "$detail")")
	[ $verdict = ok ] || failed=$((failed + 1))
done

echo
echo "matrix summary (warnings: in added files; in modified files, at base, new)"
printf '%-22s %-4s %6s  %5s %9s %6s %5s  %s\n' cell res time added modified base new detail
printf '%s\n' "${rows[@]}"
[ $failed = 0 ]
