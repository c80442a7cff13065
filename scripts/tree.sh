#!/bin/bash
# Create the kernel workspace: the base as one commit (tag 'base'), then one
# commit per patch of patches/series, on branch 'work'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# HEAD as of the last time the workspace matched patches/.
applied=$TREE/.git/mmio-dmabuf-applied.head

if [ -d "$TREE/.git" ]; then
	if "$ROOT/scripts/series-status.sh" >/dev/null 2>&1 && [ -z "${FORCE:-}" ]; then
		tgit rev-parse HEAD > "$applied"
		say "tree: $TREE already matches patches/"
		exit 0
	fi
	# patches/ moved on (git pull, say): follow it, unless the workspace
	# holds work of its own that is not in patches/ yet.
	if [ -z "${FORCE:-}" ] && { [ -n "$(tgit status --porcelain)" ] ||
	   [ "$(tgit rev-parse HEAD)" != "$(cat "$applied" 2>/dev/null)" ]; }; then
		"$ROOT/scripts/series-status.sh" >&2 || true
		die "the workspace has work not in patches/: 'make export' it, or FORCE=1 make tree to discard it"
	fi
else
	src=$("$ROOT/scripts/base.sh")
	step "tree: importing the base into $TREE"
	mkdir -p "$TREE"
	if [ -f "$src" ]; then
		tar -C "$TREE" --strip-components=1 -xf "$src"
		desc="$(base_field package) $(base_field version)"
	else
		rsync -a --exclude=.git "$src"/ "$TREE"/
		desc="Linux 6.12.$(sed -n 's/^SUBLEVEL = //p' "$src/Makefile") from KSRC"
	fi
	git -C "$TREE" init -q -b work
	tgit config core.abbrev 12
	tgit add -A -f .
	tgit commit -q -m "base: $desc"
	tgit tag base
	say "tree: base imported in $(elapsed)s"
fi

step "tree: applying patches/series"
tgit am --abort >/dev/null 2>&1 || true
tgit checkout -q -f -B work base
tgit clean -q -fdx
n=0
if [ -f "$PATCHES/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		tgit am -q --keep-cr "$PATCHES/$p" || die "patch $p does not apply; see 'git -C $TREE am --show-current-patch'"
		n=$((n + 1))
	done < "$PATCHES/series"
fi
# The cover letter's text lives on as the branch description.
cover=$PATCHES/0000-cover-letter.patch
if [ -f "$cover" ]; then
	# Subject, then the body between the headers and the 'base:' line.
	awk '/^Subject: / && !s { sub(/^Subject: \[PATCH[^]]*\] /, ""); print; print ""; s = 1; next }
	     s && !b && /^$/ { b = 1; next }
	     b && /^base: / { exit }
	     b { print }' "$cover" > "$TREE/.git/cover.txt"
	tgit config branch.work.description "$(cat "$TREE/.git/cover.txt")"
fi
tgit rev-parse HEAD > "$applied"
say "tree: $n patches applied on base in $TREE"
