#!/bin/bash
# rebase.sh: move the series to the newest linux-source-6.12 the Debian
# archive serves. Sets BASE's version to it, imports that base into the
# workspace and applies patches/ to it one patch at a time (make tree), then
# exports patches/ again and runs the series checks (make check-series).
# A patch that no longer applies is named with the files and hunks that
# conflict, and the workspace is left with it half-applied ('git am') for
# resolving. Nothing is committed: review 'git diff', then commit BASE and
# patches/ together. TO=VERSION picks a version instead of the newest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -z "${KSRC:-}" ] || die "rebase moves the Debian base in BASE; KSRC=$KSRC overrides BASE"
pkg=$(base_field package)
old=$(base_field version)
step "rebase: $pkg $old -> newest served"
if [ -d "$TREE/.git" ] && ! "$ROOT/scripts/series-status.sh" >/dev/null 2>&1; then
	"$ROOT/scripts/series-status.sh" >&2 || true
	die "the workspace has work not in patches/: 'make export' it first"
fi
git -C "$ROOT" diff --quiet -- BASE patches || die "BASE or patches/ has uncommitted changes: commit or stash them first"

[ "$(id -u)" = 0 ] && { apt-get update -qq >&2 || say "rebase: apt-get update failed: using the cached package lists"; }
mapfile -t served < <(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u)
[ ${#served[@]} -gt 0 ] || die "the archive serves no $pkg (apt-get update as root?)"
new=${TO:-}
if [ -z "$new" ]; then
	new=${served[0]}
	for v in "${served[@]}"; do
		dpkg --compare-versions "$v" gt "$new" && new=$v
	done
fi
printf '%s\n' "${served[@]}" | grep -qxF "$new" || die "$pkg $new is not served (served: ${served[*]})"
say "rebase: served: ${served[*]}"
if [ "$new" = "$old" ]; then
	say "rebase: BASE is already on $pkg $new, the newest served: nothing to do"
	exit 0
fi

sed -i "s/^version=.*/version=$new/" "$ROOT/BASE"
say "rebase: BASE: version=$old -> $new"
if ! "$ROOT/scripts/tree.sh"; then
	cur=$(tgit am --show-current-patch=diff 2>/dev/null | head -c 1 || true)
	[ -n "$cur" ] || die "rebase: the workspace could not be made (above); BASE is left at $new"
	say ""
	say "rebase: this patch does not apply to $pkg $new (hunks that fail, by file):"
	tgit am --show-current-patch=diff | (cd "$TREE" && git apply --check -v - 2>&1) |
		grep -E '^(error|Checking patch)' | sed 's/^/  /' >&2 || true
	n=$(tgit rev-list --count base..HEAD)
	say "rebase: $n patch(es) before it applied. Resolve in $TREE ('git am --continue'"
	say "  after fixing, or edit and 'git am --skip' to drop it), apply the rest with"
	say "  'git am $PATCHES/<patch>' for each, then 'make export' and 'make check-series'."
	exit 1
fi
"$ROOT/scripts/export.sh"
changed=$(git -C "$ROOT" status --porcelain -- patches | wc -l)
say "rebase: every patch applies to $pkg $new; $changed file(s) of patches/ changed by the export"
rc=0
"$ROOT/scripts/check-series.sh" || rc=$?
say ""
say "rebase summary: BASE $old -> $new; patches apply; check-series $([ $rc = 0 ] && echo ok || echo FAILED)"
say "  review: git diff --stat BASE patches/; then commit BASE and patches/ together"
exit $rc
