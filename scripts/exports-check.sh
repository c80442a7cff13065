#!/bin/bash
# exports-check.sh OBJ [CROSS_COMPILE]: check what a kernel build in OBJ
# exports of the series.
#  - drivers/dma-buf/dma-buf-mapping.o exports exactly the two helpers when
#    CONFIG_DMA_BUF_MAPPING_KUNIT_TEST is off, whatever else is on
#    (CONFIG_KUNIT included);
#  - with a Module.symvers (a linked kernel with modules): every export the
#    series adds is EXPORT_SYMBOL_GPL, so that no non-GPL module reaches
#    dma_map_phys() or dma_iova_link() through it; the two helpers are in
#    the DMA_BUF namespace and the helper's test-only entry points in
#    EXPORTED_FOR_KUNIT_TESTING.
# The matrix runs it on every cell, kernel.sh on every kernel it builds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

obj=${1:?usage: exports-check.sh OBJ [CROSS_COMPILE]}
nm=${2:-}nm
o=$obj/drivers/dma-buf/dma-buf-mapping.o
fail=0
bad() { say "exports-check: $*"; fail=1; }

helpers="dma_buf_free_sgt dma_buf_phys_vec_to_sgt"
if [ ! -f "$o" ]; then
	grep -q '^CONFIG_DMA_SHARED_BUFFER=y' "$obj/.config" &&
		bad "no ${o#"$obj"/} in a build with CONFIG_DMA_SHARED_BUFFER"
	mine=
else
	mine=$("$nm" "$o" | sed -n 's/.* __export_symbol_//p' | LC_ALL=C sort | paste -sd' ')
	if ! grep -q '^CONFIG_DMA_BUF_MAPPING_KUNIT_TEST=[ym]' "$obj/.config" &&
		[ "$mine" != "$helpers" ]; then
		bad "dma-buf-mapping.o exports '$mine' without its KUnit suite (only: $helpers)"
	fi
fi

n=0
if [ -f "$obj/Module.symvers" ]; then
	[ -e "$TREE/.git" ] || die "no workspace: run 'make tree' first"
	# the symbols of the EXPORT_SYMBOL* lines the series adds
	mapfile -t added < <(tgit diff base HEAD -- '*.c' '*.h' |
		sed -nE 's/^\+EXPORT_SYMBOL[A-Z_]*\(([A-Za-z0-9_]+).*/\1/p' | LC_ALL=C sort -u)
	for s in "${added[@]}"; do
		line=$(awk -F'\t' -v s="$s" '$2 == s' "$obj/Module.symvers")
		[ -n "$line" ] || continue	# not built in this configuration
		n=$((n + 1))
		type=$(cut -f4 <<< "$line")
		ns=$(cut -f5 <<< "$line")
		[ "$type" = EXPORT_SYMBOL_GPL ] || bad "$s is $type, not EXPORT_SYMBOL_GPL"
		case " $helpers " in
		*" $s "*) want=DMA_BUF ;;
		*) case " $mine " in *" $s "*) want=EXPORTED_FOR_KUNIT_TESTING ;; *) want=$ns ;; esac ;;
		esac
		[ "$ns" = "$want" ] || bad "$s is in namespace '${ns}', not '$want'"
	done
	[ "$n" -gt 0 ] || bad "Module.symvers has none of the series' ${#added[@]} exports"
fi
[ $fail = 0 ] || die "exports-check: $obj: the series' exports are wrong (above)"
say "exports-check: ${obj#"$ROOT"/}: dma-buf-mapping.o exports: ${mine:-nothing}; $n export(s) of the series checked GPL-only"
