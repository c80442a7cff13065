#!/bin/bash
# Tests of scripts/series-warnings.py, the program that attributes the
# warnings check-series.sh finds to the patches of the series, on recorded
# checker output. One directory per case:
#   cmd             the case, as shell: run in a copy of the directory, with
#                   $SW the program; its comment says what it checks
#   expect          what cmd must print, exactly
#   expect.FILE     what FILE must hold afterwards (a file the job writes)
#   anything else   the inputs: excerpts of a check-series run (build logs,
#                   warn.tsv states, kernel-doc, coccicheck and checkpatch
#                   output, with the run's build paths rewritten to
#                   build/check's)
# Then the command line: a usage error exits 2.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# Debian's Python, as the project requires (a pyenv shim first in PATH is slow).
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
SW="$python $root/scripts/series-warnings.py"
export SW LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { echo "ok    $1"; pass=$((pass + 1)); }
nok() { echo "FAIL  $1"; fail=$((fail + 1)); }

# case DIR: run DIR/cmd in a copy of DIR, compare stdout and expect.* files.
case_dir() {
	local name=${1##*/} w=$tmp/${1##*/} e f bad=
	cp -r "$1" "$w"
	if ! (cd "$w" && bash -e ./cmd) > "$w/.out" 2> "$w/.err"; then
		nok "$name: cmd failed: $(tail -n 1 "$w/.err")"
		return
	fi
	if ! diff -u "$1/expect" "$w/.out" > "$w/.diff"; then
		nok "$name: output differs (- expected, + got):"
		sed 's/^/        /' "$w/.diff"
		return
	fi
	for e in "$1"/expect.*; do
		[ -e "$e" ] || continue
		f=${e##*/expect.}
		if ! diff -u "$e" "$w/$f" > "$w/.diff" 2>&1; then
			bad=1
			nok "$name: $f differs (- expected, + got):"
			sed 's/^/        /' "$w/.diff"
		fi
	done
	[ -n "$bad" ] || ok "$name"
}

usage_case() {
	local what=$1 rc
	shift
	$SW "$@" > /dev/null 2>&1
	rc=$?
	if [ "$rc" = 2 ]; then ok "usage: $what"; else nok "usage: $what: exit $rc, want 2"; fi
}

echo "series-warnings: scripts/series-warnings.py on recorded output"
for d in "$here"/*/; do
	case_dir "${d%/}"
done
usage_case 'no job'
usage_case 'unknown job' bogus
usage_case 'missing argument' attribute
usage_case 'N not a number' attribute x
usage_case 'ROUTED not 0 or 1' checkpatch 1 2 /dev/null
echo "series-warnings tests: $pass passed, $fail failed (scripts/series-warnings.py)"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
