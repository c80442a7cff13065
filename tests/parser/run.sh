#!/bin/bash
# Run scripts/judge.py on the recorded guest logs here and check each
# verdict. The expectation is in the file name:
#   pass-WHAT.log                  must pass (exit 0, no problem line)
#   fail-KIND[+KIND...]--WHAT.log  must fail (exit 1) with exactly these
#                                  problem kinds, no more, no fewer
# NAME.args, if present, holds extra arguments for the judge, one a line.
# NAME.expect, if present, holds lines the judge's output must contain
# (each as a whole line), e.g. the problem line that names the first
# offending line, so that a right verdict for a wrong reason is caught.
# The logs are judged against the plan here (plan), not bench/plan, so
# that they stay valid as the bench moves on. The judge needs the tree's
# KUnit parser: KUNIT_DIR=path overrides build/tree's.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
judge=${JUDGE:-$root/scripts/judge.py}
# Debian's Python, as the project requires (a pyenv shim first in PATH is slow).
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
kunit_dir=${KUNIT_DIR:-${TREE:-${BUILD:-$root/build}/tree}/tools/testing/kunit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$kunit_dir/kunit_parser.py" ]; then
	echo "parser tests: no kunit_parser.py in $kunit_dir (make tree, or set KUNIT_DIR)"
	exit 1
fi

# Each check prints one line, "ok|FAIL  NAME[: why]", into its own file;
# they run in parallel and are reported in order.
n=0
spawn() {
	n=$((n + 1))
	while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-4}" ]; do wait -n; done
	"$@" > "$tmp/result.$(printf %03d $n)" 2>&1 &
}

# run_judge LOG ARGS...: the judge on the plan here, its JSON into $tmp
run_judge() {
	local log=$1
	shift
	"$python" "$judge" "$log" --plan "$here/plan" --kunit-dir "$kunit_dir" \
		--json "$tmp/$(basename "$log" .log).$BASHPID.json" "$@"
}

log_case() {
	local log=$1 name args=() want_rc want_kinds kinds rc got_kinds verdict lost
	local out=$tmp/out.$BASHPID
	name=$(basename "$log" .log)
	[ -f "$here/$name.args" ] && mapfile -t args < "$here/$name.args"
	case $name in
	pass-*) want_rc=0 want_kinds= ;;
	fail-*--*)
		want_rc=1
		kinds=${name#fail-}
		want_kinds=$(tr + '\n' <<<"${kinds%%--*}" | sort -u | paste -sd' ') ;;
	*) echo "FAIL  $name: name is neither pass-WHAT nor fail-KIND[+KIND]--WHAT"; return ;;
	esac
	run_judge "$log" "${args[@]}" > "$out" 2> "$out.err"
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
	elif [ "$want_rc" = 0 ] && [[ $verdict != 'judge: PASS ('* ]]; then
		echo "FAIL  $name: last line '$verdict'"
	elif [ "$want_rc" = 1 ] && [[ $verdict != 'judge: FAIL ('* ]]; then
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
	"$python" "$judge" "$@" > /dev/null 2>&1
	rc=$?
	if [ "$rc" = 2 ]; then echo "ok    usage: $what"; else echo "FAIL  usage: $what: exit $rc, want 2"; fi
}

# The JSON, which the summary and the reports read instead of the log.
json_case() {
	local got=$tmp/pass-clean.json out want
	run_judge "$here/pass-clean.log" --topology iommu-intel --scenarios smoke,checks \
		--json "$got" > /dev/null 2>&1
	out=$("$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
rows = ["%s %s %d/%d/%d" % (s["name"], s["status"], s["passed"], s["failed"], s["skipped"])
	for s in r["scenarios"]]
info = [i for i in r["infos"] if i["name"] == "smoke-bar"]
case = [c for s in r["scenarios"] for c in s["cases"] if c["name"] == "smoke-ram"]
print(r["verdict"], r["topology"], r["seed"], " ".join(rows),
      info[0]["kv"]["path"] if info else "-", case[0]["detail"] if case else "-")
' "$got" 2>&1)
	want='PASS iommu-intel 1234 smoke PASS 3/0/0 checks PASS 2/0/0 iova 65536 bytes RAM -> edu -> RAM verified'
	if [ "$out" = "$want" ]; then
		echo "ok    json: pass-clean"
	else
		echo "FAIL  json: pass-clean: got '$out', want '$want'"
	fi
}

for log in "$here"/*.log; do
	spawn log_case "$log"
done
spawn usage_case 'no LOG'
spawn usage_case 'unknown option' "$here/pass-clean.log" --bogus
spawn usage_case 'unreadable LOG' "$here/no-such.log" --kunit-dir "$kunit_dir"
spawn usage_case 'bad --allow regex' "$here/pass-clean.log" --kunit-dir "$kunit_dir" --allow '('
spawn usage_case 'no KUnit parser' "$here/pass-clean.log" --kunit-dir "$tmp"
spawn usage_case 'unreadable plan' "$here/pass-clean.log" --kunit-dir "$kunit_dir" --plan "$tmp/no-plan"
spawn json_case
wait

cat "$tmp"/result.*
pass=$(cat "$tmp"/result.* | grep -c '^ok ')
fail=$(cat "$tmp"/result.* | grep -c '^FAIL ')
echo "parser tests: $pass passed, $fail failed (the judge: scripts/judge.py)"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
