#!/bin/bash
# Regenerate patches/ from the workspace commits base..work: one
# format-patch file per commit, a cover letter and the series file.
# The output depends only on the commits, so repeated runs are identical.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:-$PATCHES}
[ -d "$TREE/.git" ] || die "no workspace: run 'make tree' first"
tgit rev-parse -q --verify base >/dev/null || die "workspace has no 'base' tag"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The revision of the series ("v2"; none for the first) is the workspace's
# branch.work.revision, which 'make tree' takes from the cover letter.
rev=$(tgit config branch.work.revision || true)
prefix="PATCH${rev:+ $rev}"
tgit -c core.abbrev=12 -c diff.renames=true format-patch -q --zero-commit \
	--no-signature --no-cover-letter --subject-prefix="$prefix" -o "$tmp" base..HEAD
(cd "$tmp" && ls -1 -- *.patch 2>/dev/null || true) > "$tmp/series"
n=$(grep -c . "$tmp/series" || true)

if [ "$n" -gt 0 ]; then
	desc=$(tgit config branch.work.description || true)
	[ -n "$desc" ] || desc="mmio-dmabuf: VFIO PCI BAR export as dma-buf for Linux 6.12"
	subject=$(printf '%s\n' "$desc" | head -n 1)
	body=$(printf '%s\n' "$desc" | sed '1d' | sed '/./,$!d')
	date=$(tgit log -1 --format='%aD' HEAD)
	{
		echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
		echo "From: mmio-dmabuf developers <dev@mmio-dmabuf.invalid>"
		echo "Date: $date"
		printf 'Subject: [%s 00/%02d] %s\n\n' "$prefix" "$n" "$subject"
		[ -z "$body" ] || printf '%s\n\n' "$body"
		echo "base: $(tgit log -1 --format=%s base | sed 's/^base: //')"
		echo
		tgit shortlog base..HEAD
		tgit -c core.abbrev=12 diff --stat=72 base HEAD
	} > "$tmp/0000-cover-letter.patch"
fi

mkdir -p "$out"
rm -f "$out"/*.patch
cp "$tmp"/*.patch "$out"/ 2>/dev/null || true
cp "$tmp/series" "$out/series"
# The workspace now matches patches/: 'make tree' may follow later updates.
[ "$out" != "$PATCHES" ] || tgit rev-parse HEAD > "$TREE/.git/mmio-dmabuf-applied.head"
say "export: $n patches in ${out#"$ROOT"/}"
