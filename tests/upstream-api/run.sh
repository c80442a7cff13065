#!/bin/bash
# tests/upstream-api/run.sh [CONFIG]: compile upstream_api.c, the
# compile-time assertions that the series' interfaces have upstream's names,
# types and values, against the built kernel CONFIG (default kasan).
# A mismatch is a compile error, shown with the assertion that failed.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

cfg=${1:-kasan}
obj=$BUILD/obj-$cfg
[ -f "$obj/Module.symvers" ] || die "kernel $cfg is not built (make kernel)"
step "upstream-api: against $cfg"
# build in a copy: the source stays clean
work=$BUILD/upstream-api-$cfg
rm -rf "$work"
mkdir -p "$work"
cp "$ROOT"/tests/upstream-api/{Kbuild,upstream_api.c} "$work/"
use_ccache
if ! make -s -C "$TREE" O="$obj" M="$work" CC="${CCACHE}gcc" W=1 modules > "$work/build.log" 2>&1; then
	grep -E 'error|assert' "$work/build.log" >&2 || tail -n 20 "$work/build.log" >&2
	die "upstream-api: an interface differs from upstream's (log: $work/build.log)"
fi
if grep -E 'warning:' "$work/build.log" >&2; then
	die "upstream-api: warnings (log: $work/build.log)"
fi
n=$(grep -c '^static_assert' "$ROOT/tests/upstream-api/upstream_api.c")
say "upstream-api: $n assertions hold against $cfg in $(elapsed)s"
