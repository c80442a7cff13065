#!/bin/bash
# kconfig.sh CONFIG: write $BUILD/obj-CONFIG/.config from allnoconfig plus the
# fragments of that config, then verify that every requested option is set.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kconfig.sh bench|kasan}
case "$cfg" in
bench) frags=("$ROOT/configs/bench.config") ;;
kasan) frags=("$ROOT/configs/bench.config" "$ROOT/configs/kasan.config") ;;
*) die "unknown config '$cfg' (bench, kasan)" ;;
esac
obj=${OBJ:-$BUILD/obj-$cfg}
mkdir -p "$obj"
stamp=$obj/.fragments.sha
sum=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ -f "$obj/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
	exit 0
fi

say "kconfig: $cfg = allnoconfig + ${frags[*]##*/}"
(cd "$TREE" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$obj" "${frags[@]}") \
	> "$obj/.merge.log" 2>&1 || { cat "$obj/.merge.log" >&2; die "merge_config failed"; }

# A silently dropped option is an error: check each requested value.
bad=0
while read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]]; then
		grep -qxF "$line" "$obj/.config" || { say "kconfig: $line requested, got: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$obj/.config" || echo unset)"; bad=1; }
	elif [[ $line =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set$ ]]; then
		if grep -qE "^${BASH_REMATCH[1]}=" "$obj/.config"; then
			say "kconfig: ${BASH_REMATCH[1]} must be off, got: $(grep -E "^${BASH_REMATCH[1]}=" "$obj/.config")"
			bad=1
		fi
	fi
done < <(cat "${frags[@]}")
[ $bad = 0 ] || die "kconfig: $cfg does not provide every requested option"
echo "$sum" > "$stamp"
