#!/bin/bash
# check-series.sh: run the review checks on every patch of patches/series,
# against the workspace ('make tree': TREE has tag 'base' and branch 'work' =
# base + one commit per patch, in series order; checked by patch-id).
# Prints one row per patch and one column per checker, then the offending
# lines, and exits non-zero when any cell is FAIL.
#
#   checkpatch  the tip's scripts/checkpatch.pl --strict on the patch file:
#               ok with 0 errors, 0 warnings and 0 checks; a patch that adds
#               files may leave MAINTAINERS alone (FILE_PATH_CHANGES) if
#               get_maintainer.pl finds a maintainer for each of them,
#               and the findings scripts/checkpatch.allow names (type and
#               file, with the reason) are dropped.
#   build       bisect build: every prefix of the series compiles. A private
#               clone of the workspace ($CHECK_DIR/wt: detached, never the
#               lead's tree) is moved commit by commit from base to the tip
#               and, in one obj dir ($CHECK_DIR/obj, bench config), what
#               the series touches is built incrementally with W=1 C=1,
#               failing on any compile error: at base the kbuild
#               directories of the .c files it touches (in drivers/
#               infiniband/ only those files, see FILE_ONLY), which says
#               which of them the config builds; at each patch the objects
#               of those .c files that the config builds (so a header change
#               recompiles the series' files, not whole directories; a
#               warning located in a header shows in the series' files that
#               include it; the rest of a directory is compiled at the tip
#               by the matrix, in five configurations, and by the kernels
#               of the bench). This compiles objects
#               only (no link, no modpost): the tip is built in full by the
#               bench. Touched .c files that the config does not compile
#               are listed.
#   sparse, W=1 the warnings of those builds (W=1 also holds objtool, Makefile
#               and Kconfig warnings). Each object keeps the warnings of the
#               compile that last built it ($CHECK_DIR/store.tsv), so the
#               complete set is known at every commit although make only
#               recompiles what a checkout changed. Warnings compare as file
#               + message (no line/column, no build path), as multisets: a
#               warning fails the patch that raised its count above base if
#               the count stays above base up to the tip, and also if a
#               later patch removes it ("gone at patch M"). The base's own
#               warnings never count.
#   cocci       make coccicheck MODE=report (M= a copy of the touched .c/.h
#               files, base and tip versions) with SmPL files needing OCaml
#               skipped when there is no OCaml compiler; a report at the tip
#               that base lacks fails the patch that last changed its line
#               (git blame), or else the last patch that touched the file.
#   kernel-doc  scripts/kernel-doc -none -Wall on every version of every
#               touched .c/.h file; new warnings fail as for sparse.
#
# The data jobs (parsing checker output, the per-object warning store, the
# attribution of warnings to patches, the report) are series-warnings.py's;
# this script runs git, make and the checkers around them.
#
# Caches, all under $CHECK_DIR (default $BUILD/check): the clone, the obj
# dir (make rebuilds only what changed) and ccache; each commit's build
# result, keyed on the commit id, the build dirs, the config, the toolchain
# and this script (so base is built once, and an unchanged prefix of the
# series is not built again); checkpatch per patch file; kernel-doc and
# coccicheck per file blob.
#
# Environment: TREE, PATCHES, BUILD (lib.sh), CHECK_DIR, CHECK_JOBS (make -j,
# default 2). Every build and checker runs under nice -n 19.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/warnings.sh"

CHECK_DIR=${CHECK_DIR:-$BUILD/check}
CHECK_JOBS=${CHECK_JOBS:-2}
export LC_ALL=C
T0=$(date +%s)
progress() { printf '==> check-series: %s, %ss\n' "$*" $(( $(date +%s) - T0 )) >&2; }

# lap NAME: charge the time since the previous lap to NAME.
declare -A LAP=()
LAPS=()
LAP_T=$T0
lap() {
	local now; now=$(date +%s)
	[ -n "${LAP[$1]+x}" ] || { LAP[$1]=0; LAPS+=("$1"); }
	LAP[$1]=$(( LAP[$1] + now - LAP_T ))
	LAP_T=$now
}

# ---------------------------------------------------------------- the series
P=()
if [ -f "$PATCHES/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		P+=("$p")
	done < "$PATCHES/series"
fi
n=${#P[@]}
if [ "$n" = 0 ]; then
	echo "check-series: 0 patches"
	exit 0
fi
PATCHES=$(cd "$PATCHES" && pwd)
[ -d "$TREE/.git" ] || die "no workspace $TREE: run 'make tree'"
TREE=$(cd "$TREE" && pwd)
progress "$n patches in $PATCHES, workspace $TREE"

# C[0] is base, C[k] the commit of patch k.
base=$(tgit rev-parse -q --verify 'refs/tags/base^{commit}') || die "workspace has no 'base' tag"
mapfile -t C < <(tgit rev-list --reverse "$base..refs/heads/work")
[ "${#C[@]}" = "$n" ] ||
	die "workspace branch 'work' has ${#C[@]} commits on base, patches/series $n: run 'make tree'"
C=("$base" "${C[@]}")
TIP=${C[n]}
for ((k = 1; k <= n; k++)); do
	[ -f "$PATCHES/${P[k-1]}" ] || die "${P[k-1]}: listed in series, missing"
	a=$(tgit patch-id --stable < "$PATCHES/${P[k-1]}" | cut -d' ' -f1)
	b=$(tgit show --format= "${C[k]}" | tgit patch-id --stable | cut -d' ' -f1)
	[ "$a" = "$b" ] || die "${P[k-1]} is not commit $k of the workspace: run 'make tree'"
done

mkdir -p "$CHECK_DIR"
CHECK_DIR=$(cd "$CHECK_DIR" && pwd)
for t in sparse spatch; do
	command -v "$t" >/dev/null || die "$t is not installed"
done
WT=$CHECK_DIR/wt
OBJ=$CHECK_DIR/obj
CACHE=$CHECK_DIR/cache
RUN=$CHECK_DIR/run
STORE=$CHECK_DIR/store.tsv
exec 9>"$CHECK_DIR/.lock"
flock -n 9 || die "another check-series.sh is using $CHECK_DIR"
rm -rf "$RUN"
mkdir -p "$RUN" "$CACHE"/{state,checkpatch,kdoc,cocci}
# Drop build results that no run has used for a month.
find "$CACHE/state" -mindepth 1 -maxdepth 1 -mtime +30 -exec rm -rf {} +

wgit() { git -C "$WT" "${GIT_ID[@]}" "$@"; }
goto() { wgit -c advice.detachedHead=false checkout -q -f --detach "$1"; }
sha() { sha256sum | cut -c1-20; }

# The private clone: objects hard-linked from the workspace, commits fetched
# on each run, so it follows any TREE (and survives 'make tree').
if ! git -C "$WT" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	progress "cloning the workspace into ${WT#"$ROOT"/}"
	rm -rf "$WT"
	git clone -q --no-checkout --local "$TREE" "$WT"
fi
no_auto_gc "$WT"
wgit fetch -q --no-tags "$TREE" +refs/tags/base:refs/check/base +refs/heads/work:refs/check/work
for c in "${C[@]}"; do echo "$c"; done > "$RUN/commits"
lap setup

# ----------------------------------------------------------- what it touches
# touch.tsv: "k<TAB>path" for every file patch k changes.
for ((k = 1; k <= n; k++)); do
	wgit diff-tree --no-commit-id --name-only -r --no-renames "${C[k]}" | sed "s|^|$k\t|"
done > "$RUN/touch.tsv"
mapfile -t SRC < <(cut -f2 "$RUN/touch.tsv" | grep -E '\.[ch]$' | sort -u || true)
# Build dirs: the kbuild dirs (as of the tip) of the touched .c files.
mapfile -t DIRS < <(
	{ cut -f2 "$RUN/touch.tsv" | grep '/.*\.c$' | sed 's|/[^/]*$|/|' |
		grep -Ev '^(tools|scripts|Documentation|usr)/' |
		while read -r d; do
			if wgit cat-file -e "$TIP:${d}Makefile" 2>/dev/null ||
			   wgit cat-file -e "$TIP:${d}Kbuild" 2>/dev/null; then echo "$d"; fi
		done; } | sort -u |
	# the outermost ones: sorted, a dir's subdirs follow it
	{ top=; while read -r d; do
		if [ -z "$top" ] || [[ $d != "$top"* ]]; then top=$d; echo "$d"; fi
	done; })
progress "series touches ${#SRC[@]} .c/.h files; build dirs: ${DIRS[*]}"

# Build dirs built file by file, also at base: the RDMA
# drivers, where the series changes an initializer in one file of the core
# and one of mlx5. Their ~50 other objects would add a third to the base
# build for headers that the series only extends, and built
# alone, an object compiles whatever the config says (so mlx5's mr.c,
# which the bench config does not build, is compiled too).
FILE_ONLY='drivers/infiniband/*'

# dir_of FILE: the build dir FILE is in, or nothing.
dir_of() {
	local d
	for d in "${DIRS[@]}"; do
		case "$1" in "$d"*) echo "$d"; return ;; esac
	done
}

# ------------------------------------------------------------------- config
# The bench config is generated (and verified) by kconfig.sh at the tip; each
# commit gets it back through olddefconfig, so options that appear later in
# the series keep their bench values. Redone only when Kconfig files change.
kconfig_of() { wgit ls-tree -r "$1" | { grep -E $'(\t|/)Kconfig[^/]*$' || true; } | sha; }
frag=$(sha < "$ROOT/configs/bench.config")
cfgkey=$( { kconfig_of "$TIP"; echo "$frag"; } | sha)
if [ "$(cat "$CHECK_DIR/config.key" 2>/dev/null)" != "$cfgkey" ] || [ ! -f "$CHECK_DIR/config.tip" ]; then
	progress "configuring: scripts/kconfig.sh bench at the tip"
	goto "$TIP"
	rm -f "$OBJ/.fragments.sha" "$OBJ/.check-config" "$CHECK_DIR/config.key"
	# An option the tip lacks (bench.config ahead of patches/) is noted
	# in the report; the check goes on with what the tip provides.
	: > "$CHECK_DIR/config.note"
	if ! OBJ=$OBJ TREE=$WT "$ROOT/scripts/kconfig.sh" bench 2> "$RUN/kconfig.sh.log"; then
		if ! grep -q 'does not provide every requested option' "$RUN/kconfig.sh.log" ||
		   [ ! -f "$OBJ/.config" ]; then
			cat "$RUN/kconfig.sh.log" >&2
			die "kconfig.sh bench failed at the tip"
		fi
		grep '^kconfig: CONFIG_' "$RUN/kconfig.sh.log" | sed 's/^kconfig: //' > "$CHECK_DIR/config.note" || true
	fi
	grep -v '^error: ' "$RUN/kconfig.sh.log" >&2 || true
	[ ! -s "$CHECK_DIR/config.note" ] || progress "kconfig: going on with what the tip provides"
	cp "$OBJ/.config" "$CHECK_DIR/config.tip"
	echo "$cfgkey" > "$CHECK_DIR/config.key"
fi
lap config

# ------------------------------------------------------------- build states
CC=gcc
if command -v ccache >/dev/null; then
	CC="ccache gcc"
	export CCACHE_DIR=$CHECK_DIR/ccache CCACHE_BASEDIR=$CHECK_DIR CCACHE_NOHASHDIR=1
fi
# cmd_checkdoc= : W=1 would run kernel-doc on each object; that is column 6.
KMAKE=(nice -n 19 make -k -O -j"$CHECK_JOBS" ARCH=x86_64 O="$OBJ" CC="$CC" W=1 C=1 cmd_checkdoc=)
toolkey=$( { gcc --version | head -n 1; sparse --version; cat "$0" "$(dirname "$0")/warnings.sh" "$WARNINGS_PY"; printf '%s\n' "${DIRS[@]}" "$cfgkey" "${KMAKE[@]}"; } | sha)

# parse_log LOG: the diagnostics of a build log of WT in OBJ (warnings.sh).
parse_log() { parse_build_log "$1" "$WT" "$OBJ"; }

# update_store PARSED: objects compiled without error replace their entries;
# the entries of objects that failed stay (their warnings are unknown).
update_store() { series_warnings store-update "$1" "$STORE"; }

# snapshot: the store's entries for the build dirs, whose source exists.
snapshot() { series_warnings snapshot "$STORE" "$WT" "$OBJ" "${DIRS[@]}"; }

# configure K: the tip config, re-fitted to commit K's Kconfig files.
configure() {
	local kc want
	kc=$(kconfig_of "${C[$1]}")
	want="$cfgkey $kc"
	[ "$(cat "$OBJ/.check-config" 2>/dev/null)" = "$want" ] && return 0
	cp "$CHECK_DIR/config.tip" "$OBJ/.config"
	(cd "$WT" && nice -n 19 make -s ARCH=x86_64 O="$OBJ" CC="$CC" olddefconfig) > "$RUN/kconfig.log" 2>&1 ||
		{ cat "$RUN/kconfig.log" >&2; die "olddefconfig failed at commit $1"; }
	# Kconfig's own warnings count as W=1 ones, under "(kconfig)".
	grep -v "^(kconfig)"$'\t' "$STORE" > "$STORE.new" || true
	series_warnings kconfig-warnings "$RUN/kconfig.log" >> "$STORE.new"
	mv "$STORE.new" "$STORE"
	echo "$want" > "$OBJ/.check-config"
}

# The store describes the obj dir only if every build that wrote objects
# there was parsed, by this version of the scripts: store.valid holds their
# hash and is removed around each build. If it does not match, the
# objects of every dir ever built here are deleted (ccache makes the rebuild
# cheap).
me=$(cat "$0" "$(dirname "$0")/warnings.sh" "$WARNINGS_PY" | sha)
if [ "$(cat "$CHECK_DIR/store.valid" 2>/dev/null)" != "$me" ]; then
	: > "$STORE"
	for d in $(cat "$CHECK_DIR/dirs.built" 2>/dev/null) "${DIRS[@]}"; do
		if [ -d "$OBJ/$d" ]; then find "$OBJ/$d" -name '*.o' -delete; fi
	done
	: > "$CHECK_DIR/dirs.built"
	rm -f "$OBJ/.check-config"
	echo "$me" > "$CHECK_DIR/store.valid"
fi
printf '%s\n' "${DIRS[@]}" >> "$CHECK_DIR/dirs.built"
sort -u -o "$CHECK_DIR/dirs.built" "$CHECK_DIR/dirs.built"

# state K: build commit K (or take the cached result) into $RUN/state.K/:
# warn.tsv (object, kind, normalised, raw), rc, errors, uncompiled.
built=0
for ((k = 0; k <= n; k++)); do
	label=base
	[ "$k" = 0 ] || label="patch $k/$n ${P[k-1]}"
	key=$(printf '%s %s\n' "${C[k]}" "$toolkey" | sha)
	if [ -f "$CACHE/state/$key/rc" ]; then
		touch "$CACHE/state/$key" "$CACHE/state/$key"/*
		cp -r "$CACHE/state/$key" "$RUN/state.$k"
		progress "build $label: cached"
		continue
	fi
	# A patch that changes no file the kernel build reads (documentation
	# other than a Kconfig file, selftests, MAINTAINERS) leaves every
	# object as it was: its state is the previous one, without a build.
	if [ "$k" != 0 ]; then
		rc=0
		wgit diff --quiet "${C[k-1]}" "${C[k]}" -- . ':(exclude)Documentation/' \
			':(exclude)tools/testing/' ':(exclude)MAINTAINERS' || rc=$?
		[ "$rc" -le 1 ] || die "git diff failed for $label"
		if [ "$rc" = 0 ] && wgit diff --quiet "${C[k-1]}" "${C[k]}" -- ':(glob)**/Kconfig*'; then
			cp -r "$RUN/state.$((k - 1))" "$RUN/state.$k"
			progress "build $label: no file of the build changed"
			continue
		fi
	fi
	progress "build $label"
	goto "${C[k]}"
	configure "$k"
	rm -f "$CHECK_DIR/store.valid"
	rc=0
	targets=()
	if [ "$k" = 0 ]; then
		for d in "${DIRS[@]}"; do
			[ -d "$WT/$d" ] || continue
			case "$d" in
			$FILE_ONLY)
				for f in "${SRC[@]}"; do
					case "$f" in "$d"*.c) [ ! -e "$WT/$f" ] || targets+=("${f%.c}.o") ;; esac
				done ;;
			*) targets+=("$d") ;;
			esac
		done
	else
		# The series' .c files that the config builds: those base has
		# unless base's build left them uncompiled, those it adds if
		# their directory's Makefile names their object at this commit.
		for f in "${SRC[@]}"; do
			case "$f" in *.c) ;; *) continue ;; esac
			o=${f%.c}.o
			[ -e "$WT/$f" ] && [ -n "$(dir_of "$f")" ] || continue
			if wgit cat-file -e "$base:$f" 2>/dev/null; then
				grep -qxF "$f" "$RUN/state.0/uncompiled" || targets+=("$o")
			elif grep -qw "${o##*/}" "$WT/${f%/*}/Makefile" 2>/dev/null; then
				targets+=("$o")
			fi
		done
	fi
	(cd "$WT" && "${KMAKE[@]}" "${targets[@]}") > "$RUN/build.$k.log" 2>&1 || rc=$?
	parse_log "$RUN/build.$k.log" > "$RUN/parse.$k"
	update_store "$RUN/parse.$k"
	echo "$me" > "$CHECK_DIR/store.valid"
	built=$((built + 1))
	s=$RUN/state.$k.tmp
	rm -rf "$s"
	mkdir -p "$s"
	snapshot > "$s/warn.tsv"
	echo "$rc" > "$s/rc"
	series_warnings build-errors "$RUN/parse.$k" > "$s/errors"
	[ "$rc" = 0 ] || [ -s "$s/errors" ] || tail -n 20 "$RUN/build.$k.log" > "$s/errors"
	# Touched .c files that this config does not compile.
	cut -f2 "$RUN/touch.tsv" | grep '\.c$' | sort -u | while read -r f; do
		if [ -e "$WT/$f" ] && [ ! -e "$OBJ/${f%.c}.o" ]; then echo "$f"; fi
	done > "$s/uncompiled" || true
	[ "$k" != 0 ] || [ "$rc" = 0 ] || { cat "$s/errors" >&2; die "base does not build (log: $RUN/build.0.log)"; }
	rm -rf "$CACHE/state/$key"
	cp -r "$s" "$CACHE/state/$key"
	mv "$s" "$RUN/state.$k"
	[ "$rc" = 0 ] || progress "build $label: FAILED"
done
lap build

# The scripts of the tip run the remaining checks.
goto "$TIP"

# attribute: from "k<TAB>kind<TAB>normalised<TAB>raw" for every state k = 0..n
# on stdin, "kind<TAB>k<TAB>note<TAB>raw" for each warning patch k adds, by
# the rule of the header above (series-warnings.py attribute).
attribute() { series_warnings attribute "$n"; }

for ((k = 0; k <= n; k++)); do
	cut -f2-4 "$RUN/state.$k/warn.tsv" | sed "s/^/$k\t/"
done | attribute > "$RUN/new.build"

# --------------------------------------------------------------- checkpatch
progress "checkpatch --strict"
cpkey=$(cat "$WT/scripts/checkpatch.pl" "$WT/scripts/spelling.txt" "$WT/scripts/const_structs.checkpatch" | sha)
: > "$RUN/new.checkpatch"
# The report of each patch, cached by content: the patches not in the
# cache first, JOBS at a time (one perl process each); the loop below
# reads the reports (and runs again what did not finish).
CP=()
for ((k = 1; k <= n; k++)); do
	CP[k]=$CACHE/checkpatch/$( { cat "$PATCHES/${P[k-1]}"; echo "$cpkey"; } | sha)
done
for ((k = 1; k <= n; k++)); do
	[ -f "${CP[k]}" ] || printf '%s\0%s\0' "$PATCHES/${P[k-1]}" "${CP[k]}"
done | xargs -0 -r -n 2 -P "$JOBS" sh -c 'cd "$0" &&
	nice -n 19 perl scripts/checkpatch.pl --strict --show-types --color=never "$1" > "$2.tmp" 2>&1
	grep -q "^total: " "$2.tmp" && mv "$2.tmp" "$2"; exit 0' "$WT"
for ((k = 1; k <= n; k++)); do
	f=$PATCHES/${P[k-1]}
	c=${CP[k]}
	if [ ! -f "$c" ]; then
		(cd "$WT" && nice -n 19 perl scripts/checkpatch.pl --strict --show-types --color=never "$f") > "$c.tmp" 2>&1 || true
		# Only a finished run is kept.
		if grep -q '^total: ' "$c.tmp"; then mv "$c.tmp" "$c"; else c=$c.tmp; fi
	fi
	# Added files that already have a maintainer need no MAINTAINERS change.
	routed=0
	if grep -q '^WARNING:FILE_PATH_CHANGES:' "$c"; then
		routed=1
		for a in $(wgit diff-tree --no-commit-id --name-only -r --diff-filter=A "${C[k]}"); do
			(cd "$WT" && perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$a" 2>/dev/null) |
				grep -qE '\((maintainer|supporter)' || routed=0
		done
	fi
	if ! grep -q '^total: 0 errors, 0 warnings, 0 checks' "$c"; then
		series_warnings checkpatch "$k" "$routed" "$c" "$ROOT/scripts/checkpatch.allow" >> "$RUN/new.checkpatch"
		grep -q '^total: ' "$c" || printf 'checkpatch\t%s\t\t%s\n' "$k" "checkpatch did not finish: $(tail -n 1 "$c")" >> "$RUN/new.checkpatch"
	fi
done
lap checkpatch

# ------------------------------------------------- per-file-version checkers
# versions.tsv: "k<TAB>path<TAB>blob" for base (k=0) and each patch touching
# the file; "-" when the file does not exist at that point.
{
	[ "${#SRC[@]}" = 0 ] || wgit ls-tree --format='0%x09%(path)%x09%(objectname)' "$base" -- "${SRC[@]}"
	for ((k = 1; k <= n; k++)); do
		mapfile -t fs < <(sed -n "s/^$k\t\(.*\.[ch]\)\$/\1/p" "$RUN/touch.tsv")
		[ "${#fs[@]}" = 0 ] && continue
		wgit ls-tree --format="$k%x09%(path)%x09%(objectname)" "${C[k]}" -- "${fs[@]}"
		for f in "${fs[@]}"; do
			wgit cat-file -e "${C[k]}:$f" 2>/dev/null || printf '%s\t%s\t-\n' "$k" "$f"
		done
	done
} > "$RUN/versions.tsv"

# stage_blobs NAME KEY: of the versions on stdin ("path<TAB>blob"), write each
# one not in the cache ($CACHE/NAME/KEY/BLOB-PATHSUM) to $RUN/NAME/<i>/<path>,
# list them in $RUN/NAME.list and print how many there are.
stage_blobs() {
	local dir=$CACHE/$1/$2 tmp=$RUN/$1 i=0 p b
	mkdir -p "$dir" "$tmp"
	: > "$tmp.list"
	while IFS=$'\t' read -r p b; do
		if [ "$b" = - ] || [ -f "$dir/$b-$(echo "$p" | sha)" ]; then continue; fi
		! grep -qxF "$p"$'\t'"$b" "$tmp.list" || continue
		i=$((i + 1))
		mkdir -p "$tmp/$i/$(dirname "$p")"
		wgit cat-file blob "$b" > "$tmp/$i/$p"
		printf '%s\t%s\n' "$p" "$b" >> "$tmp.list"
	done
	echo "$i"
}

# split_blobs NAME KEY: cache, per staged version i, the lines of the
# checker's output $RUN/NAME.out that are about "[$RUN/NAME/]<i>/<path>:",
# as "<path>:...".
split_blobs() {
	local dir=$CACHE/$1/$2 tmp=$RUN/$1 i=0 p b
	while IFS=$'\t' read -r p b; do
		i=$((i + 1))
		printf '%s\t%s\t%s\n' "$i" "$p" "$dir/$b-$(echo "$p" | sha)"
	done < "$tmp.list" | series_warnings split-output "$tmp/" "$tmp.out"
}

# staged NAME: the staged files, as paths relative to $RUN/NAME.
staged() {
	local i=0 p b
	while IFS=$'\t' read -r p b; do
		i=$((i + 1))
		echo "$i/$p"
	done < "$RUN/$1.list"
}

# blob_results NAME KEY: for each "k<TAB>path<TAB>blob" on stdin,
# "k<TAB>NAME<TAB>normalised<TAB>raw" per line of that version's output.
blob_results() {
	local name=$1 key=$2 k p b
	while IFS=$'\t' read -r k p b; do
		[ "$b" != - ] || continue
		printf '%s\t%s\n' "$k" "$CACHE/$name/$key/$b-$(echo "$p" | sha)"
	done | series_warnings checker-rows "$name"
}

# --------------------------------------------------------------- kernel-doc
progress "kernel-doc on ${#SRC[@]} files"
kdkey=$(sha < "$WT/scripts/kernel-doc")
if [ "$(cut -f2,3 "$RUN/versions.tsv" | stage_blobs kdoc "$kdkey")" != 0 ]; then
	# shellcheck disable=SC2046 # one word per path
	(cd "$RUN/kdoc" && nice -n 19 perl "$WT/scripts/kernel-doc" -none -Wall $(staged kdoc)) \
		> "$RUN/kdoc.out" 2>&1 || { cat "$RUN/kdoc.out" >&2; die "kernel-doc failed"; }
	split_blobs kdoc "$kdkey"
fi
# Every state: each file at the version of the last patch touching it.
series_warnings file-states "$n" < "$RUN/versions.tsv" > "$RUN/kdoc.states"
blob_results kdoc "$kdkey" < "$RUN/kdoc.states" | attribute > "$RUN/new.kdoc"
lap kernel-doc

# -------------------------------------------------------------- coccicheck
# Base and tip versions only, copied under one M= dir so that every SmPL file
# runs once over all of them. M= must be absolute: make runs in O=, whose
# generated headers the -I options name.
progress "coccicheck on ${#SRC[@]} files"
SPW=$CHECK_DIR/spatch-wrapper
if command -v ocamlopt >/dev/null || command -v ocamlopt.opt >/dev/null; then
	SPW=spatch
else
	# Debian's spatch cannot run OCaml script rules without ocamlopt, and
	# coccicheck stops at the first failure: skip those SmPL files.
	# shellcheck disable=SC2016 # the wrapper expands them
	printf '%s\n' '#!/bin/bash' \
		'for a; do case "$a" in *.cocci) grep -qE "^@ *(script|initialize|finalize) *: *ocaml" "$a" &&' \
		'  { echo "skipped ${a##*/}: needs OCaml"; exit 0; } ;; esac; done' \
		'exec spatch "$@"' > "$SPW"
	chmod +x "$SPW"
fi
cockey=$( { spatch --version | head -n 1; wgit rev-parse "$TIP:scripts/coccinelle" "$TIP:scripts/coccicheck"; echo "$SPW"; } | sha)
grep -E "^(0|$n)"$'\t' "$RUN/kdoc.states" > "$RUN/cocci.states" || true
: > "$RUN/cocci.out"
if [ "$(cut -f2,3 "$RUN/cocci.states" | stage_blobs cocci "$cockey")" != 0 ]; then
	nice -n 19 make -s -C "$WT" ARCH=x86_64 O="$OBJ" coccicheck MODE=report \
		M="$RUN/cocci" J="$CHECK_JOBS" SPATCH="$SPW" > "$RUN/cocci.out" 2>&1 ||
		{ tail -n 30 "$RUN/cocci.out" >&2; die "coccicheck failed"; }
	split_blobs cocci "$cockey"
	grep -h "^skipped " "$RUN/cocci.out" | sort -u > "$CACHE/cocci/$cockey.skipped" || true
fi
cp "$CACHE/cocci/$cockey.skipped" "$RUN/cocci.skipped" 2>/dev/null || : > "$RUN/cocci.skipped"
# A report at the tip that base lacks: the commit of its line (git blame),
# then the patch of that commit, or else the last patch touching the file.
blob_results cocci "$cockey" < "$RUN/cocci.states" | series_warnings tip-vs-base "$n" |
	while IFS= read -r line; do
		f=${line%%:*}
		l=${line#*:}; l=${l%%:*}
		c=$(wgit blame -s -l -L "$l,$l" "$TIP" -- "$f" 2>/dev/null | cut -c1-40 || true)
		printf '%s\t%s\n' "$c" "$line"
	done | series_warnings blame-attribute "$RUN/commits" "$RUN/touch.tsv" > "$RUN/new.cocci"
lap coccicheck

# -------------------------------------------------------------------- report
cat "$RUN/new.checkpatch" "$RUN/new.build" "$RUN/new.kdoc" "$RUN/new.cocci" > "$RUN/new.all"
for ((k = 1; k <= n; k++)); do
	if [ "$(cat "$RUN/state.$k/rc")" != 0 ]; then
		head -n 40 "$RUN/state.$k/errors" | sed "s/^/build\t$k\t\t/" >> "$RUN/new.all"
		[ -s "$RUN/state.$k/errors" ] || printf 'build\t%s\t\tmake failed\n' "$k" >> "$RUN/new.all"
	fi
done

fail=0
[ ! -s "$RUN/new.all" ] || fail=1
series_warnings report "$RUN/new.all" "${P[@]}"

if [ -s "$CHECK_DIR/config.note" ]; then
	echo
	echo "note: configs/bench.config asks for what the tip does not provide (checked without it):"
	sed 's/^/  /' "$CHECK_DIR/config.note"
fi
if [ -s "$RUN/state.$n/uncompiled" ]; then
	echo
	echo "note: touched .c files the bench config does not compile (not checked by build/sparse/W=1):"
	sed 's/^/  /' "$RUN/state.$n/uncompiled"
fi
if [ -s "$RUN/cocci.skipped" ]; then
	echo
	echo "note: coccicheck $(paste -sd, "$RUN/cocci.skipped" | sed 's/,/, /g')"
fi
lap report
echo
t="timings:"
for l in "${LAPS[@]}"; do t="$t $l ${LAP[$l]}s,"; done
echo "${t%,}; total $(( $(date +%s) - T0 ))s ($built builds)"
if [ "$fail" = 0 ]; then
	echo "check-series: $n patches, all checks pass"
else
	echo "check-series: $n patches, FAILED"
fi
exit "$fail"
