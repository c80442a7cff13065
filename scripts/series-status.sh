#!/bin/bash
# Exit non-zero, naming what, when the workspace holds commits or edits that
# are not in patches/ (or patches/ holds what the workspace does not).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || { say "series-status: no workspace (make tree)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ROOT/scripts/export.sh" "$tmp" 2>/dev/null

bad=0
# --ignored: Debian's base .gitignore ignores every file that is not
# tracked, so a new file would otherwise go unnoticed (add it with -f).
dirty=$(tgit status --porcelain --untracked-files=all --ignored=matching)
if [ -n "$dirty" ]; then
	say "series-status: uncommitted edits in the workspace:"
	printf '%s\n' "$dirty" | sed 's/^/  /' >&2
	bad=1
fi
for f in $(cd "$tmp" && ls); do
	if [ ! -f "$PATCHES/$f" ]; then
		say "series-status: $f: in the workspace, not in patches/ (make export)"
		bad=1
	elif ! cmp -s "$tmp/$f" "$PATCHES/$f"; then
		say "series-status: $f: workspace and patches/ differ (make export)"
		bad=1
	fi
done
for f in $(cd "$PATCHES" 2>/dev/null && ls -- *.patch series 2>/dev/null); do
	[ -f "$tmp/$f" ] || { say "series-status: $f: in patches/, not in the workspace (make tree)"; bad=1; }
done
[ $bad = 0 ] && say "series-status: workspace and patches/ agree ($(grep -c . "$tmp/series" || true) patches)"
exit $bad
