#!/bin/bash
# Create the kernel workspace: the base as one commit (tag 'base'), then one
# commit per patch of patches/series, on branch 'work'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# HEAD as of the last time the workspace matched patches/.
applied=$TREE/.git/mmio-dmabuf-applied.head
# The source the base was imported from, one line, written last by a
# complete import: "deb PACKAGE VERSION", "git PATH COMMIT" or "dir PATH".
imported=$TREE/.git/mmio-dmabuf-base

# want_source: the source line the base must come from now (KSRC or BASE).
want_source() {
	local k
	if [ -z "${KSRC:-}" ]; then
		echo "deb $(base_field package) $(base_field version)"
		return
	fi
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	k=$(cd "$KSRC" && pwd -P)
	if [ "$(git -C "$k" rev-parse --show-toplevel 2>/dev/null)" = "$k" ]; then
		echo "git $k $(git -C "$k" rev-parse HEAD)"
	else
		echo "dir $k"
	fi
}

# have_source: the source line of the workspace's base; workspaces made
# before the line was recorded say it in the base commit's subject.
have_source() {
	if [ -f "$imported" ]; then
		cat "$imported"
	elif tgit rev-parse -q --verify base >/dev/null 2>&1; then
		tgit log -1 --format=%s base | sed -n 's/^base: \(linux-source-[0-9.]*\) /deb \1 /p'
	fi
}

# own_work: true if the workspace holds work that is not in patches/.
own_work() {
	"$ROOT/scripts/series-status.sh" >/dev/null 2>&1 && return 1
	[ -n "$(tgit status --porcelain)" ] ||
		[ "$(tgit rev-parse HEAD)" != "$(cat "$applied" 2>/dev/null)" ]
}

# import SOURCE: the base into a new workspace, atomically: it is built
# in $TREE.new and renamed into place only when complete.
import() {
	local kind src new=$TREE.new
	read -r kind src _ <<< "$1"
	step "tree: importing the base ($1) into $TREE"
	rm -rf "$new"
	case $kind in
	deb)
		src=$("$ROOT/scripts/base.sh")
		mkdir -p "$new"
		tar -C "$new" --strip-components=1 -xf "$src"
		git -C "$new" init -q -b work
		no_auto_gc "$new"
		git -C "$new" "${GIT_ID[@]}" add -A -f .
		git -C "$new" "${GIT_ID[@]}" commit -q -m "base: $(base_field package) $(base_field version)"
		;;
	git)
		# a clone at the recorded commit: only what the commit tracks
		git clone -q --no-checkout "$src" "$new"
		git -C "$new" checkout -q -B work "$(cut -d' ' -f3 <<< "$1")"
		;;
	dir)
		# a plain tree: its build outputs must not become part of base
		for f in .config include/config include/generated; do
			[ ! -e "$src/$f" ] || die "KSRC=$src has build outputs ($f): run 'make mrproper' there, or point KSRC at a git tree"
		done
		mkdir -p "$new"
		rsync -a --exclude=.git "$src"/ "$new"/
		git -C "$new" init -q -b work
		no_auto_gc "$new"
		git -C "$new" "${GIT_ID[@]}" add -A -f .
		git -C "$new" "${GIT_ID[@]}" commit -q -m "base: Linux 6.12.$(sed -n 's/^SUBLEVEL = //p' "$src/Makefile") from KSRC"
		;;
	esac
	git -C "$new" config core.abbrev 12
	git -C "$new" tag -f base >/dev/null
	echo "$1" > "$new/.git/mmio-dmabuf-base"
	rm -rf "$TREE"
	mv "$new" "$TREE"
	git -C "$TREE" worktree prune
	say "tree: base imported in $(elapsed)s"
}

want=$(want_source)
[ ! -d "$TREE.new" ] || say "tree: removing $TREE.new, an import that was interrupted"
rm -rf "$TREE.new"
if [ -d "$TREE/.git" ]; then
	have=$(have_source)
	if [ "$have" != "$want" ]; then
		if [ -z "${FORCE:-}" ] && own_work; then
			"$ROOT/scripts/series-status.sh" >&2 || true
			die "the base source changed (${have:-unknown} -> $want), but the workspace has work not in patches/: 'make export' it, or FORCE=1 to discard it"
		fi
		say "tree: the base source changed (${have:-unknown} -> $want): importing again"
		import "$want"
	elif "$ROOT/scripts/series-status.sh" >/dev/null 2>&1 && [ -z "${FORCE:-}" ]; then
		tgit rev-parse HEAD > "$applied"
		say "tree: $TREE already matches patches/"
		exit 0
	elif [ -z "${FORCE:-}" ] && own_work; then
		# patches/ moved on (git pull, say): follow it, unless the
		# workspace holds work of its own that is not in patches/ yet.
		"$ROOT/scripts/series-status.sh" >&2 || true
		die "the workspace has work not in patches/: 'make export' it, or FORCE=1 make tree to discard it"
	fi
else
	[ ! -e "$TREE" ] || say "tree: $TREE is no complete workspace: importing again"
	import "$want"
fi

step "tree: applying patches/series"
no_auto_gc "$TREE"
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
	# and its "[PATCH v2 00/NN]" as the series' revision
	rev=$(sed -n '1,/^$/s/^Subject: \[PATCH \(v[0-9][0-9]*\) .*/\1/p' "$cover")
	if [ -n "$rev" ]; then
		tgit config branch.work.revision "$rev"
	else
		tgit config --unset branch.work.revision || true
	fi
fi
tgit rev-parse HEAD > "$applied"
say "tree: $n patches applied on base in $TREE"
