#!/bin/bash
# Run scripts/parse-log.py on the recorded guest logs here and check each
# verdict. The expectation is in the file name:
#   pass-WHAT.log                  must pass (exit 0, no problem line)
#   fail-KIND[+KIND...]--WHAT.log  must fail (exit 1) with exactly these
#                                  problem kinds, no more, no fewer
# NAME.args, if present, holds extra arguments for the parser, one a line.
# NAME.expect, if present, holds lines the parser's output must contain
# (each as a whole line), e.g. the problem line that names the first
# offending line, so that a right verdict for a wrong reason is caught.
# KUnit cases need the tree's kunit.py: KUNIT_PY=path overrides the
# parser's default; without one they are skipped, which fails the run
# unless SKIP_KUNIT=1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
parser=${PARSE_LOG:-$root/scripts/parse-log.py}
# Debian's Python, as the project requires (a pyenv shim first in PATH is slow).
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
kunit_py=${KUNIT_PY:-${TREE:-${BUILD:-$root/build}/tree}/tools/testing/kunit/kunit.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each check prints one line, "ok|FAIL|skip  NAME[: why]", into its own
# file; they run in parallel and are reported in order.
n=0
spawn() {
	n=$((n + 1))
	while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-4}" ]; do wait -n; done
	"$@" > "$tmp/result.$(printf %03d $n)" 2>&1 &
}

log_case() {
	local log=$1 name args=() want_rc want_kinds kinds rc got_kinds verdict out=$tmp/out.$BASHPID
	name=$(basename "$log" .log)
	[ -f "$here/$name.args" ] && mapfile -t args < "$here/$name.args"
	case " ${args[*]-} " in
	*' --kunit '*)
		if [ ! -f "$kunit_py" ]; then
			printf 'skip  %s: no kunit.py at %s (set KUNIT_PY)\n' "$name" "$kunit_py"
			return
		fi
		args+=(--ktap-tool "$kunit_py") ;;
	esac
	case $name in
	pass-*) want_rc=0 want_kinds= ;;
	fail-*--*)
		want_rc=1
		kinds=${name#fail-}
		want_kinds=$(tr + '\n' <<<"${kinds%%--*}" | sort -u | paste -sd' ') ;;
	*) echo "FAIL  $name: name is neither pass-WHAT nor fail-KIND[+KIND]--WHAT"; return ;;
	esac
	"$python" "$parser" "$log" "${args[@]}" > "$out" 2> "$out.err"
	rc=$?
	got_kinds=$(sed -n 's/^problem: \([a-z-]*\):.*/\1/p' "$out" | sort -u | paste -sd' ')
	verdict=$(tail -n 1 "$out")
	lost=
	if [ -f "$here/$name.expect" ]; then
		lost=$(grep -vxF -f "$out" "$here/$name.expect" | head -n 1)
	fi
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL  $name: exit $rc, want $want_rc: $(cat "$out.err" "$out" | grep . | tail -n 1)"
	elif [ "$got_kinds" != "$want_kinds" ]; then
		echo "FAIL  $name: problem kinds '$got_kinds', want '$want_kinds'"
	elif [ "$want_rc" = 0 ] && [[ $verdict != 'parse-log: PASS ('* ]]; then
		echo "FAIL  $name: last line '$verdict'"
	elif [ "$want_rc" = 1 ] && [[ $verdict != 'parse-log: FAIL ('* ]]; then
		echo "FAIL  $name: last line '$verdict'"
	elif [ -n "$lost" ]; then
		echo "FAIL  $name: no output line '$lost'"
	else
		echo "ok    $name${want_kinds:+ ($want_kinds)}"
	fi
}

# The command line: usage errors exit 2.
usage_case() {
	local what=$1 rc
	shift
	"$python" "$parser" "$@" > /dev/null 2>&1
	rc=$?
	if [ "$rc" = 2 ]; then echo "ok    usage: $what"; else echo "FAIL  usage: $what: exit $rc, want 2"; fi
}

# --summary: the result lines (name TAB status TAB detail), then BENCH-INFO.
summary_case() {
	local want=$tmp/want.$BASHPID got=$tmp/summary.$BASHPID
	printf '%s\t%s\t%s\n' \
		smoke-setup PASS 'ivshmem 0000:00:01.0 on vfio-pci, edu 0000:00:02.0 on edu_dma' \
		smoke-ram PASS '65536 bytes RAM -> edu -> RAM verified' \
		smoke-bar PASS '65536 bytes BAR2 -> edu -> BAR2 verified' \
		smoke PASS 'all checks passed' \
		checks-dma-api PASS 'error_count 0' \
		checks-kmemleak PASS 'no unreferenced objects' \
		checks PASS 'all checks passed' \
		smoke INFO 'topology=iova ivshmem=0000:00:01.0 edu=0000:00:02.0 iommu_group=1' \
		smoke-bar INFO 'path=iova dma_addr=0x00000000ffc00000 bytes=65536 usecs=2310' \
		> "$want"
	"$python" "$parser" "$here/pass-clean.log" --summary "$got" > /dev/null 2>&1
	if cmp -s "$want" "$got"; then
		echo "ok    summary: pass-clean"
	else
		echo "FAIL  summary: pass-clean: $(diff "$want" "$got" 2>&1 | head -n 3 | paste -sd' ')"
	fi
}

summary_missing_case() {
	local got=$tmp/summary.$BASHPID
	"$python" "$parser" "$here/fail-missing-result--expected-subresult.log" \
		--expect smoke-bar --summary "$got" > /dev/null 2>&1
	if grep -qxF "$(printf 'smoke-bar\tMISSING\texpected by --expect')" "$got"; then
		echo "ok    summary: a missing result is listed"
	else
		echo "FAIL  summary: a missing result is listed: no 'smoke-bar MISSING' row"
	fi
}

for log in "$here"/*.log; do
	spawn log_case "$log"
done
spawn usage_case 'no LOG'
spawn usage_case 'unknown option' "$here/pass-clean.log" --bogus
spawn usage_case 'unreadable LOG' "$here/no-such.log"
spawn usage_case 'bad --allow regex' "$here/pass-clean.log" --allow '('
spawn usage_case 'no kunit.py' "$here/pass-clean.log" --kunit --ktap-tool "$tmp/no-kunit.py"
spawn summary_case
spawn summary_missing_case
wait

cat "$tmp"/result.*
pass=$(cat "$tmp"/result.* | grep -c '^ok ')
fail=$(cat "$tmp"/result.* | grep -c '^FAIL ')
skip=$(cat "$tmp"/result.* | grep -c '^skip ')
echo "parser tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && { [ "$skip" = 0 ] || [ "${SKIP_KUNIT:-}" = 1 ]; }
