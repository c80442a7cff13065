#!/bin/bash
# Tests of the series workflow (tree, export, series-status) on a tiny fake
# base tree, so they run in seconds.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=$ROOT/scripts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
nok() { echo "  FAIL $1"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@" >"$tmp/out" 2>&1; then ok "$what"; else nok "$what"; sed 's/^/       /' "$tmp/out"; fi; }
check_not() { local what=$1; shift; if "$@" >"$tmp/out" 2>&1; then nok "$what"; sed 's/^/       /' "$tmp/out"; else ok "$what"; fi; }
wsgit() { git -C "$TREE" -c user.name=t -c user.email=t@t "$@"; }

# A fake 6.12 base.
mkdir -p "$tmp/base/drivers" "$tmp/p"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n' > "$tmp/base/Makefile"
printf 'int a;\n' > "$tmp/base/drivers/a.c"
# Like Debian's linux-source: everything untracked is ignored.
printf '/*\n' > "$tmp/base/.gitignore"
: > "$tmp/p/series"
export KSRC=$tmp/base PATCHES=$tmp/p TREE=$tmp/ws BUILD=$tmp/build

echo "tooling: series workflow"
check "empty series: make tree" "$S/tree.sh"
check "empty series: series-status is clean" "$S/series-status.sh"
check "empty series: export" "$S/export.sh"
check "empty series: export writes an empty series" test ! -s "$tmp/p/series"

printf 'int a;\nint b;\n' > "$TREE/drivers/a.c"
out=$("$S/series-status.sh" 2>&1) && nok "uncommitted edit is noticed" || {
	grep -q 'drivers/a.c' <<<"$out" && ok "uncommitted edit is noticed and named" || nok "edit not named: $out"; }
wsgit commit -q -am "drivers: add b" -m "Because b." -s
out=$("$S/series-status.sh" 2>&1) && nok "unexported commit is noticed" || {
	grep -q '0001-drivers-add-b.patch' <<<"$out" && ok "unexported commit is noticed and named" || nok "commit not named: $out"; }
check_not "make tree refuses to discard unexported work" "$S/tree.sh"

printf 'new file\n' > "$TREE/drivers/c.txt"
out=$("$S/series-status.sh" 2>&1) && nok "new file hidden by .gitignore is noticed" || {
	grep -q 'drivers/c.txt' <<<"$out" && ok "new file hidden by .gitignore is noticed and named" || nok "new file not named: $out"; }
wsgit add -f drivers/c.txt
wsgit commit -q -m "drivers: add c" -s
wsgit config branch.work.description "$(printf 'Fake series subject\n\nThe cover text.\nSecond line.')"
check "export" "$S/export.sh"
check "series-status after export is clean" "$S/series-status.sh"
check "series lists two patches" test "$(grep -c . "$tmp/p/series")" = 2
check "cover letter carries the description" grep -q '^Subject: \[PATCH 00/02\] Fake series subject' "$tmp/p/0000-cover-letter.patch"
cp -r "$tmp/p" "$tmp/p1"
sleep 1
check "export again" "$S/export.sh"
check "export is stable run to run" diff -r "$tmp/p1" "$tmp/p"

want=$(wsgit rev-parse 'HEAD^{tree}')
check "make tree on a clean workspace is a no-op" "$S/tree.sh"
TREE=$tmp/ws2 check "re-apply into a fresh workspace" "$S/tree.sh"
check "re-applied tree is identical" test "$(git -C "$tmp/ws2" rev-parse 'HEAD^{tree}')" = "$want"
TREE=$tmp/ws2 check "re-exported patches are identical" "$S/export.sh" "$tmp/p2"
check "round trip keeps every file" diff -r "$tmp/p" "$tmp/p2"

# A revision of the series ("[PATCH v2 ...]") survives the round trip.
wsgit config branch.work.revision v2
check "export of v2" "$S/export.sh" "$tmp/pv2"
check "v2 cover letter subject" grep -q '^Subject: \[PATCH v2 00/02\] Fake series subject' "$tmp/pv2/0000-cover-letter.patch"
check "v2 patch subject" grep -q '^Subject: \[PATCH v2 1/2\]' "$tmp/pv2/0001-"*.patch
PATCHES=$tmp/pv2 TREE=$tmp/ws3 check "v2 re-applied" "$S/tree.sh"
check "v2 kept by make tree" test "$(git -C "$tmp/ws3" config branch.work.revision)" = v2
PATCHES=$tmp/pv2 TREE=$tmp/ws3 check "v2 re-exported identically" "$S/export.sh" "$tmp/pv2b"
check "v2 round trip keeps every file" diff -r "$tmp/pv2" "$tmp/pv2b"
wsgit config --unset branch.work.revision

# patches/ moved on (say, git pull): a clean workspace follows it.
wsgit reset -q --hard HEAD~1
"$S/export.sh" "$tmp/p3" 2>/dev/null
wsgit reset -q --hard ORIG_HEAD
rm -rf "$tmp/p" && cp -r "$tmp/p3" "$tmp/p"
check "make tree follows an updated patches/" "$S/tree.sh"
check "workspace now has one patch" test "$(wsgit rev-list --count base..HEAD)" = 1
check "series-status agrees" "$S/series-status.sh"

# The base source: a changed KSRC imports again, unless there is work.
mkdir -p "$tmp/base2/drivers"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 9\n' > "$tmp/base2/Makefile"
printf 'int a;\n' > "$tmp/base2/drivers/a.c"
printf '/*\n' > "$tmp/base2/.gitignore"
printf 'dirty\n' >> "$TREE/drivers/a.c"
KSRC=$tmp/base2 check_not "a changed KSRC with work in the workspace is refused" "$S/tree.sh"
check "... and the workspace is left alone" grep -q dirty "$TREE/drivers/a.c"
wsgit checkout -q drivers/a.c
KSRC=$tmp/base2 check "a changed KSRC imports the base again" "$S/tree.sh"
check "... from the new KSRC" grep -q 'SUBLEVEL = 9' "$TREE/Makefile"
check "... with the series on top" test "$(wsgit rev-list --count base..HEAD)" = 1
KSRC=$tmp/base2 check "the same KSRC again is a no-op" "$S/tree.sh"
check "... that keeps the base" grep -q 'SUBLEVEL = 9' "$TREE/Makefile"

# An interrupted import (the workspace is built aside, then renamed).
rm -rf "$TREE" && mkdir -p "$TREE.new/.git"
check "an interrupted import is redone" "$S/tree.sh"
check "... and leaves no half workspace" test ! -e "$TREE.new"
check "... and has the series" test "$(wsgit rev-list --count base..HEAD)" = 1
mkdir -p "$tmp/ws3" && printf 'x\n' > "$tmp/ws3/half"
TREE=$tmp/ws3 check "a workspace without .git is imported again" "$S/tree.sh"

# A git KSRC is cloned at its commit: nothing untracked comes along.
git init -q -b main "$tmp/gitbase"
cp -r "$tmp/base/." "$tmp/gitbase/"
git -C "$tmp/gitbase" -c user.name=t -c user.email=t@t add -A -f .
git -C "$tmp/gitbase" -c user.name=t -c user.email=t@t commit -q -m "Linux 6.12.0"
printf 'build output\n' > "$tmp/gitbase/drivers/a.o"
printf 'CONFIG_X=y\n' > "$tmp/gitbase/.config"
KSRC=$tmp/gitbase check "a git KSRC is cloned" "$S/tree.sh"
check "... at its commit" test "$(wsgit rev-parse base)" = "$(git -C "$tmp/gitbase" rev-parse HEAD)"
check "... without its build outputs" test ! -e "$TREE/drivers/a.o" -a ! -e "$TREE/.config"
cp "$tmp/gitbase/.config" "$tmp/base2/.config"
KSRC=$tmp/base2 check_not "a plain KSRC with build outputs is refused" "$S/tree.sh"
KSRC=$tmp/gitbase check "... and the workspace stays" test "$(wsgit rev-parse base)" = "$(git -C "$tmp/gitbase" rev-parse HEAD)"

echo "tooling: $pass passed, $fail failed"
[ "$fail" = 0 ]
