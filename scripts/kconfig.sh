#!/bin/bash
# kconfig.sh CONFIG: write $BUILD/obj-CONFIG/.config from allnoconfig plus the
# fragments of that config (bench, kasan, timing), then verify that every
# requested option is set.
# kconfig.sh [--verify-last|--no-verify] FRAGMENT...: the same for the given
# fragments, in $OBJ (required), for $ARCH (default x86_64) and
# $CROSS_COMPILE. --verify-last checks only the last fragment's options (the
# overrides of a build cell: the others may not exist on its architecture);
# --no-verify checks none (a base tree lacks the series' options).
# Exits 0 at once when OBJ/.config was made from the same fragments.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

verify=all
case "${1:-}" in
--verify-last) verify=last; shift ;;
--no-verify) verify=none; shift ;;
esac
cfg=${1:?usage: kconfig.sh bench|kasan|timing, or kconfig.sh [--no-verify] FRAGMENT...}
case "$cfg" in
bench) frags=("$ROOT/configs/bench.config") ;;
kasan | timing) frags=("$ROOT/configs/bench.config" "$ROOT/configs/$cfg.config") ;;
*/*) frags=("$@"); cfg=${OBJ:?kconfig.sh FRAGMENT... needs OBJ}; cfg=${cfg##*/} ;;
*) die "unknown config '$cfg' (bench, kasan, timing, or fragment paths)" ;;
esac
arch=${ARCH:-x86_64}
obj=${OBJ:-$BUILD/obj-$cfg}
mkdir -p "$obj"
stamp=$obj/.fragments.sha
sum=$( { echo "$arch $verify"; git -C "$TREE" rev-parse HEAD 2>/dev/null; cat "${frags[@]}"; } |
	sha256sum | cut -c1-16)
if [ -f "$obj/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
	exit 0
fi
rm -f "$stamp"

say "kconfig: $cfg = $arch allnoconfig + ${frags[*]##*/}"
(cd "$TREE" && ARCH=$arch CROSS_COMPILE=${CROSS_COMPILE:-} scripts/kconfig/merge_config.sh -n -O "$obj" "${frags[@]}") \
	> "$obj/.merge.log" 2>&1 || { cat "$obj/.merge.log" >&2; die "merge_config failed"; }

# A silently dropped option is an error: check each requested value, as
# the last fragment that names the option requests it.
declare -A want=()
order=()
while read -r line; do
	if [[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]] ||
		[[ $line =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set$ ]]; then
		[ -n "${want[${BASH_REMATCH[1]}]+x}" ] || order+=("${BASH_REMATCH[1]}")
		want[${BASH_REMATCH[1]}]=$line
	fi
done < <(case $verify in
	all) cat "${frags[@]}" ;;
	last) cat "${frags[-1]}" ;;
	esac)
bad=0
for opt in "${order[@]}"; do
	line=${want[$opt]}
	if [[ $line == CONFIG_* ]]; then
		grep -qxF "$line" "$obj/.config" || { say "kconfig: $line requested, got: $(grep -E "^(# )?${opt}[= ]" "$obj/.config" || echo unset)"; bad=1; }
	elif grep -qE "^$opt=" "$obj/.config"; then
		say "kconfig: $opt must be off, got: $(grep -E "^$opt=" "$obj/.config")"
		bad=1
	fi
done
[ $bad = 0 ] || die "kconfig: $cfg does not provide every requested option"
echo "$sum" > "$stamp"
