#!/bin/bash
# docs-check.sh [CHECK...]: the documentation and submission checks of the
# series in TREE (the files of 'git diff base HEAD', as in the work tree),
# then a summary table (check, result, seconds, detail). Exits non-zero if
# any check fails. CHECK is one or more of htmldocs kernel-doc uapi
# get_maintainer (default: all, in that order).
#
#   htmldocs    make htmldocs SPHINXDIRS=<the top-level Documentation dirs of
#               the .rst files the series touches and of the .rst files that
#               pull a touched .c/.h in with kernel-doc> (today core-api and
#               driver-api), Debian's Sphinx, O=$BUILD/obj-docs. Fails when
#               make fails (Sphinx errors out), on any Sphinx or kernel-doc
#               message (warning, error) located in a file the series
#               touches (.rst, or the .c/.h whose kernel-doc an .rst pulls
#               in), on one located elsewhere that names a touched document
#               ("Duplicate C declaration, also defined at ..."; an undefined
#               label "core-api/dma-api:..."), on one with no location (the
#               environment: graphviz missing, say), and when a label that
#               a touched .rst defined at base is gone but still referenced.
#               Messages in other files are counted and listed, not judged.
#   kernel-doc  every function the series exports (EXPORT_SYMBOL*, not
#               _IF_KUNIT) has a kernel-doc comment, in its .c file or in a
#               header the series touches. The -Wall warnings themselves are
#               judged against base per patch by check-series.sh.
#   uapi        the kernel's own test of the exported headers: in
#               $BUILD/obj-uapi (x86_64 allnoconfig + HEADERS_INSTALL and
#               UAPI_HEADER_TEST, which needs CC_CAN_LINK) 'make usr/include/'
#               runs prepare, so 'make headers' (headers_install.sh: no
#               CONFIG_ leak, no kernel-only construct), then HDRTEST: every
#               exported header compiled standalone, twice (include guard),
#               with -std=c90, plus headers_check.pl. Fails on a make error,
#               on any compiler warning, or if a uAPI header the series
#               touches was not tested (its stamp is removed first, so it is
#               always tested again). Then scripts/docs/vfio-dmabuf-uapi.c
#               is compiled against the installed headers (-Werror) and run:
#               static asserts of SPEC.md 6.1 (feature 11, the 16-byte header
#               and ranges, their offsets, sizes and types).
#   get_maintainer
#               scripts/get_maintainer.pl --no-git --no-git-fallback, run in
#               TREE (so with the series' MAINTAINERS), on each patch of
#               $PATCHES/series (or *.patch) but the 0000 cover letter, and
#               with -f on each file the series adds (SPEC.md: MAINTAINERS
#               routes every new file). Each needs at least one address with
#               role maintainer or supporter and at least one list. The log
#               shows the counts and the first addresses of each.
#
# Cost, and why there is no Sphinx run at base: on this 2-core machine a
# cold 'make htmldocs SPHINXDIRS="core-api driver-api"' takes 6 to 9
# minutes (~850 kernel-doc directives in ~370 documents, most of it
# driver-api), the other checks under a minute together. A base run to
# compare every message would add those minutes to every CI run (CI starts
# from an empty build/). So the Sphinx run is judged on what the series can
# change: a message is located in each file of its location ("vfio.rst:545:
# drivers/vfio/...c:180: WARNING" is in both), and those in touched files
# must be zero (stronger than "no new ones"; base has none there either);
# a message the series causes in an untouched document names a touched
# one (C duplicates "also defined at dma-api:N", undefined autosection
# labels "core-api/dma-api:..."), or comes from a removed explicit label,
# which is checked at the source. Not covered: a C declaration duplicated
# between two SPHINXDIRS (each is its own Sphinx project; a full
# 'make htmldocs' would see it).
# Warm runs reuse the Sphinx environment in obj-docs: the doctrees of the
# judged documents (touched .rst, and .rst with kernel-doc of a touched
# .c/.h) are deleted first, so Sphinx reads and writes them again and
# reports their messages afresh (30 s to a minute); it also rereads any
# document whose .rst or kernel-doc sources changed. Untouched documents
# are not reread then, so the list of messages elsewhere comes from the
# log of the last cold run (obj-docs/check/htmldocs.full.log). Measured on
# this machine, with another kernel build running: the whole script cold
# 7 to 8.5 minutes (htmldocs 365 to 463 s, uapi 29 s with prepare and
# objtool, get_maintainer 12 to 20 s, kernel-doc 1 s), warm about 50 s
# (htmldocs 30 s, get_maintainer 15 s, uapi 3 s).
#
# Environment: TREE, PATCHES, BUILD, JOBS (lib.sh); DOCS_OBJ (default
# $BUILD/obj-docs), UAPI_OBJ (default $BUILD/obj-uapi). Logs, one per check,
# in $DOCS_OBJ/check/. Every build runs under nice -n 19.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export LC_ALL=C
DOCS_OBJ=${DOCS_OBJ:-$BUILD/obj-docs}
UAPI_OBJ=${UAPI_OBJ:-$BUILD/obj-uapi}
UAPI_PROG=$ROOT/scripts/docs/vfio-dmabuf-uapi.c
ALL=(htmldocs kernel-doc uapi get_maintainer)
checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=("${ALL[@]}")
for c in "${checks[@]}"; do
	[[ " ${ALL[*]} " == *" $c "* ]] || die "unknown check '$c' (${ALL[*]})"
done

[ -d "$TREE/.git" ] || [ -f "$TREE/.git" ] || die "no workspace $TREE: run 'make tree'"
TREE=$(cd "$TREE" && pwd)
TREE_REAL=$(cd "$TREE" && pwd -P)
base=$(tgit rev-parse -q --verify 'refs/tags/base^{commit}') || die "workspace has no 'base' tag"
mkdir -p "$DOCS_OBJ"
DOCS_OBJ=$(cd "$DOCS_OBJ" && pwd)
LOGS=$DOCS_OBJ/check
RUN=$LOGS/run
mkdir -p "$LOGS"
exec 9>"$DOCS_OBJ/.docs-check.lock"
flock -n 9 || die "another docs-check.sh is using $DOCS_OBJ"
rm -rf "$RUN"
mkdir -p "$RUN"

mapfile -t TOUCHED < <(tgit diff --name-only --no-renames "$base" HEAD)
mapfile -t ADDED < <(tgit diff --name-only --no-renames --diff-filter=A "$base" HEAD)
printf '%s\n' "${TOUCHED[@]}" > "$RUN/touched"
# touched PATTERN...: the touched files matching any shell pattern.
touched() {
	local f p
	for f in "${TOUCHED[@]}"; do
		for p in "$@"; do
			# shellcheck disable=SC2053 # a pattern on purpose
			if [[ $f == $p ]]; then echo "$f"; break; fi
		done
	done
}
say "docs-check: $TREE, $(tgit rev-list --count "$base..HEAD") commits on base, ${#TOUCHED[@]} files touched"

# detail TEXT: the summary's detail for the current check.
detail() { printf '%s' "$*" > "$RUN/detail"; }

# ------------------------------------------------------------------ htmldocs
# sphinx_msgs LOG: the messages of a make htmldocs log, one per line:
# where (the locations, outermost first: "doc:LINE: file:LINE"), the files
# of those locations (relative to TREE, space-separated; a document named
# without .rst gets it back), level, message (continuation lines joined
# with " | ").
sphinx_msgs() {
	awk -v t1="$TREE/" -v t2="$TREE_REAL/" -v OFS='\t' '
	function flush() { if (have) print where, files, level, msg; have = 0 }
	function rel(p,   t) {
		if (index(p, t1) == 1) p = substr(p, length(t1) + 1)
		else if (index(p, t2) == 1) p = substr(p, length(t2) + 1)
		if (p ~ /^Documentation\/[^.]*$/ && (getline t < (t1 p ".rst")) >= 0) {
			close(t1 p ".rst")
			p = p ".rst"
		}
		return p
	}
	# header(S): is S a message, "[LOC: ]...LEVEL: text" with LOC
	# "path[:line]"? If so set where, files, level and msg.
	function header(s,   loc, n, w, f, path, lineno) {
		n = 0; w = ""; f = ""
		while (match(s, /^[^ :]+(:[0-9]+)?: /)) {
			loc = substr(s, 1, RLENGTH - 2)
			if (loc ~ /^(WARNING|ERROR|SEVERE|CRITICAL|warning|error)$/) break
			lineno = ""
			if (match(loc, /:[0-9]+$/)) lineno = substr(loc, RSTART)
			path = loc; sub(/:[0-9]+$/, "", path); path = rel(path)
			w = w (n ? ": " : "") path lineno
			f = f (n ? " " : "") path
			n++
			s = substr(s, length(loc) + 3)
		}
		if (s !~ /^(WARNING|ERROR|SEVERE|CRITICAL|warning|error): /) return 0
		where = w; files = f
		level = s; sub(/:.*/, "", level); level = toupper(level)
		msg = s; sub(/^[A-Za-z]+: /, "", msg)
		return 1
	}
	/^(make(\[[0-9]+\])?[: ]|Using |source directory:|  [A-Z0-9]+ )/ { flush(); next }
	header($0) { flush(); have = 1; next }
	have && NF { msg = msg " | " $0 }
	END { flush() }' "$1"
}

# judge_msgs < MSGS: each message, prefixed with "series" and why (a
# location in a series file, a touched document named, no location at all)
# or with "other" and "".
judge_msgs() {
	awk -F'\t' -v OFS='\t' '
	FILENAME == ARGV[1] { touched[$0] = 1; next }
	FILENAME == ARGV[2] { n++; doc[n] = $3; full[n] = ($2 == "." ? $3 : $2 "/" $3); next }
	{
		why = ""
		nf = split($2, f, " ")
		if (nf == 0) why = "no location"
		for (i = 1; i <= nf && why == ""; i++)
			if (f[i] in touched) why = "series file"
		for (i = 1; i <= n && why == ""; i++)
			if (index($4, "also defined at " doc[i] ":") || index($4, full[i] ":"))
				why = "names " full[i]
		print (why == "" ? "other" : "series"), why, $0
	}' "$RUN/touched" "$RUN/docnames.tsv" -
}

check_htmldocs() {
	local log=$LOGS/htmldocs.log rc=0 d rel top inner f
	local -a rst docs dirs=() srcs
	command -v sphinx-build >/dev/null || { detail "sphinx-build missing: apt-get install python3-sphinx"; return 1; }
	command -v dot >/dev/null || { detail "dot missing: apt-get install graphviz"; return 1; }
	mapfile -t rst < <(touched 'Documentation/*.rst')
	mapfile -t srcs < <(touched '*.c' '*.h')
	# The .rst files with a kernel-doc directive on a touched source.
	printf '%s\n' "${srcs[@]}" > "$RUN/srcs"
	mapfile -t docs < <( { printf '%s\n' "${rst[@]}"
		tgit grep -E -e '^\.\. +kernel-doc:: +' -- 'Documentation/*.rst' |
			awk 'NR == FNR { s[$0] = 1; next }
			     { f = $0; sub(/:.*/, "", f); p = $0; sub(/^[^:]*:\.\. +kernel-doc:: +/, "", p)
			       sub(/[ \t].*/, "", p); if (p in s) print f }' "$RUN/srcs" -
		} | sed '/^$/d' | sort -u)
	if [ ${#docs[@]} = 0 ]; then
		detail "the series touches no documentation"
		return 0
	fi
	# SPHINXDIRS: each document's top-level directory, or "." for a
	# document outside them.
	for d in "${docs[@]}"; do
		rel=${d#Documentation/}
		top=${rel%%/*}
		if [ "$top" = "$rel" ] || [ ! -f "$TREE/Documentation/$top/index.rst" ]; then top=.; fi
		dirs+=("$top")
	done
	mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -u)
	[[ " ${dirs[*]} " != *" . "* ]] || dirs=(.)
	# docnames.tsv: path, sphinx dir, docname within it, for the documents
	# whose doctrees are dropped and whose names the messages may quote.
	for d in "${docs[@]}"; do
		rel=${d#Documentation/}
		top=.
		for t in "${dirs[@]}"; do
			[ "$t" = . ] || [[ $rel != "$t"/* ]] || top=$t
		done
		inner=${rel#"$top"/}
		[ "$top" != . ] || inner=$rel
		printf '%s\t%s\t%s\n' "$d" "$top" "${inner%.rst}"
	done > "$RUN/docnames.tsv"
	# Cold: no Sphinx environment for these dirs and this tree (Sphinx
	# starts a new one when the source directory changes).
	local out=$DOCS_OBJ/Documentation/output cold=0 key="$TREE_REAL ${dirs[*]}"
	for t in "${dirs[@]}"; do
		[ -f "$out/.doctrees/$t/environment.pickle" ] || cold=1
	done
	[ "$(cat "$LOGS/htmldocs.key" 2>/dev/null)" = "$key" ] || cold=1
	while IFS=$'\t' read -r f t inner; do
		rm -f "$out/.doctrees/$t/$inner.doctree"
	done < "$RUN/docnames.tsv"
	say "htmldocs: SPHINXDIRS=\"${dirs[*]}\" ($([ $cold = 1 ] && echo "cold: 6 to 9 minutes on 2 cores" || echo "warm: ${#docs[@]} documents read again"))"
	say "htmldocs: documents judged: ${docs[*]}"
	# YNL_INDEX= : htmldocs would first generate the netlink spec pages
	# into the source tree (Documentation/networking/netlink_spec/);
	# the directories checked here do not include them.
	(cd "$TREE" && nice -n 19 make -j"$JOBS" O="$DOCS_OBJ" YNL_INDEX= \
		SPHINXDIRS="${dirs[*]}" htmldocs) > "$log" 2>&1 || rc=$?

	sphinx_msgs "$log" > "$RUN/msgs.tsv"
	judge_msgs < "$RUN/msgs.tsv" > "$RUN/judged.tsv"
	# The messages of untouched files, from the last full read.
	if [ $cold = 1 ]; then
		rm -f "$LOGS/htmldocs.key" "$LOGS/htmldocs.full.log"
		if [ $rc = 0 ]; then
			cp "$log" "$LOGS/htmldocs.full.log"
			printf '%s\n' "$key" > "$LOGS/htmldocs.key"
		fi
	fi
	local full=$LOGS/htmldocs.full.log
	[ -f "$full" ] || full=$log
	sphinx_msgs "$full" | judge_msgs |
		awk -F'\t' '$1 == "other" { print ($3 != "" ? $3 ": " : "") $5 ": " $6 }' > "$LOGS/htmldocs.other"

	local nseries nother removed=0 label refs
	nseries=$(awk -F'\t' '$1 == "series"' "$RUN/judged.tsv" | wc -l)
	nother=$(wc -l < "$LOGS/htmldocs.other")

	# Labels a touched .rst defined at base, now gone, and still referenced.
	: > "$RUN/labels"
	for f in "${rst[@]}"; do
		tgit cat-file -e "$base:$f" 2>/dev/null || continue
		comm -23 <(tgit show "$base:$f" | sed -n 's/^\.\. _\([^:]*\):.*/\1/p' | sort -u) \
			<( { [ -f "$TREE/$f" ] && sed -n 's/^\.\. _\([^:]*\):.*/\1/p' "$TREE/$f"; } | sort -u) |
		while read -r label; do
			refs=$(tgit grep -l -F -e ":ref:\`$label\`" -e "<$label>\`" -- Documentation || true)
			[ -z "$refs" ] || printf '%s: label "%s" removed, still referenced by %s file(s): %s\n' \
				"$f" "$label" "$(echo "$refs" | wc -l)" "$(echo "$refs" | head -n 3 | paste -sd' ')"
		done >> "$RUN/labels"
	done
	removed=$(wc -l < "$RUN/labels")

	{
		echo "htmldocs: messages judged against the series (make log: $log):"
		awk -F'\t' '$1 == "series" { print "  " ($3 != "" ? $3 ": " : "") $5 ": " $6 "   [" $2 "]" }' \
			"$RUN/judged.tsv"
		sed 's/^/  /' "$RUN/labels"
		[ "$nseries" != 0 ] || [ "$removed" != 0 ] || echo "  none"
		echo "htmldocs: $nother message(s) in files the series does not touch" \
			"$([ "$full" = "$log" ] && echo "(this run's" || echo "(the last cold run's") list:" \
			"$LOGS/htmldocs.other); by file:"
		sed 's/:.*//' "$LOGS/htmldocs.other" | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/  /'
	} >&2

	local what="SPHINXDIRS=\"${dirs[*]}\" (warm):"
	[ $cold = 0 ] || what="SPHINXDIRS=\"${dirs[*]}\" (cold):"
	if [ $rc != 0 ]; then
		tail -n 20 "$log" >&2
		detail "$what make htmldocs failed (exit $rc): $(grep -m1 -E 'Exception|Error|error' "$log" || tail -n 1 "$log")"
		return 1
	fi
	detail "$what $nseries in series files or naming them, $removed removed labels;" \
		"$nother elsewhere (not judged)"
	[ "$nseries" = 0 ] && [ "$removed" = 0 ]
}

# ---------------------------------------------------------------- kernel-doc
check_kernel_doc() {
	# Exported functions (added EXPORT_SYMBOL* lines but _IF_KUNIT) need
	# kernel-doc, in their .c file or in a touched header: one kernel-doc
	# run over those files, asked for every such function.
	local sym nexp nundoc
	local -a hdrs cfiles fopts=()
	tgit diff "$base" -- '*.c' | awk '
		/^\+\+\+ b\// { f = substr($2, 3) }
		/^\+EXPORT_SYMBOL(_GPL|_NS|_NS_GPL)?\(/ {
			s = $0; sub(/^[^(]*\( */, "", s); sub(/[ ,)].*/, "", s); print f, s }' > "$RUN/exports"
	nexp=$(wc -l < "$RUN/exports")
	mapfile -t hdrs < <(touched 'include/*.h')
	mapfile -t cfiles < <(cut -d' ' -f1 "$RUN/exports" | sort -u)
	while read -r _ sym; do fopts+=(-function "$sym"); done < "$RUN/exports"
	: > "$RUN/documented"
	if [ "$nexp" != 0 ]; then
		(cd "$TREE" && nice -n 19 perl scripts/kernel-doc -rst "${fopts[@]}" "${cfiles[@]}" "${hdrs[@]}" 2>/dev/null) |
			awk '/^\.\. c:function:: / { s = $0; sub(/^[^:]*:[^:]*:: */, "", s)
				s = substr(s, 1, index(s, "(") - 1); n = split(s, w, /[ *]+/)
				print (w[n] != "" ? w[n] : w[n - 1]) }' | sort -u > "$RUN/documented" || true
	fi
	awk 'NR == FNR { d[$0] = 1; next } !($2 in d) { print $1 ": " $2 " is exported and has no kernel-doc comment" }' \
		"$RUN/documented" "$RUN/exports" > "$RUN/undocumented"
	nundoc=$(wc -l < "$RUN/undocumented")

	{
		echo "kernel-doc: functions the series exports without a kernel-doc comment:"
		sed 's/^/  /' "$RUN/undocumented"
		[ "$nundoc" != 0 ] || echo "  none"
	} >&2
	detail "$nexp new exports, $nundoc without kernel-doc (-Wall against base: check-series)"
	[ "$nundoc" = 0 ]
}

# ---------------------------------------------------------------------- uapi
check_uapi() {
	local obj=$UAPI_OBJ log=$LOGS/uapi.log h rc=0 missing=()
	local -a hdrs
	mkdir -p "$obj"
	obj=$(cd "$obj" && pwd)
	mapfile -t hdrs < <(touched 'include/uapi/*.h')
	if ! grep -qx 'CONFIG_UAPI_HEADER_TEST=y' "$obj/.config" 2>/dev/null; then
		printf '%s\n' CONFIG_HEADERS_INSTALL=y CONFIG_UAPI_HEADER_TEST=y > "$obj/uapi.config"
		(cd "$TREE" && nice -n 19 make -s ARCH=x86_64 O="$obj" KCONFIG_ALLCONFIG="$obj/uapi.config" \
			allnoconfig) > "$obj/.config.log" 2>&1 ||
			{ cat "$obj/.config.log" >&2; detail "allnoconfig failed"; return 1; }
		grep -qx 'CONFIG_UAPI_HEADER_TEST=y' "$obj/.config" || {
			detail "UAPI_HEADER_TEST not set: CC_CAN_LINK is off (gcc cannot link a program: libc6-dev?)"
			return 1
		}
	fi
	# Test the series' headers again on every run, changed or not.
	for h in "${hdrs[@]}"; do
		h=${h#include/uapi/}
		rm -f "$obj/usr/include/${h%.h}.hdrtest"
	done
	(cd "$TREE" && nice -n 19 make -j"$JOBS" ARCH=x86_64 O="$obj" usr/include/) > "$log" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		grep -E 'error|Error' "$log" | head -n 20 >&2
		detail "make usr/include/ failed (exit $rc): $(grep -m1 -E 'error:|Error' "$log" || tail -n 1 "$log")"
		return 1
	fi
	local nw ntested
	nw=$(grep -cE '(warning|error):' "$log" || true)
	ntested=$(grep -c ' HDRTEST ' "$log" || true)
	for h in "${hdrs[@]}"; do
		grep -qE " HDRTEST +usr/include/${h#include/uapi/}\$" "$log" || missing+=("$h")
	done
	grep -E '(warning|error):' "$log" >&2 || true

	# The spec's layout, as a VFIO user compiles it.
	local prog=$RUN/vfio-dmabuf-uapi progout
	if ! gcc -std=c11 -Wall -Wextra -Werror -I "$obj/usr/include" -o "$prog" "$UAPI_PROG" >> "$log" 2>&1 ||
	   ! progout=$("$prog" 2>&1); then
		tail -n 20 "$log" >&2
		detail "${UAPI_PROG#"$ROOT"/} does not build or run against the installed headers:" \
			"$(grep -m1 -E 'error|Assertion' "$log" || true)"
		return 1
	fi
	echo "$progout" | tee -a "$log" >&2

	# linux/vfio.h stands on its own for __counted_by: compiled with the
	# installed <linux/stddef.h> and stand-ins for <linux/types.h> and
	# <linux/ioctl.h>, which unlike the real ones do not pull stddef.h in
	# (through posix_types.h) and so cannot hide a missing include.
	local alone=$RUN/uapi-alone alone_ok=ok
	rm -rf "$alone"
	mkdir -p "$alone/linux"
	cp "$obj/usr/include/linux/stddef.h" "$obj/usr/include/linux/vfio.h" "$alone/linux/"
	: > "$alone/linux/compiler_types.h"
	printf '%s\n' '#include <stdint.h>' \
		'typedef uint8_t __u8; typedef uint16_t __u16; typedef uint32_t __u32;' \
		'typedef uint64_t __u64; typedef int8_t __s8; typedef int16_t __s16;' \
		'typedef int32_t __s32; typedef int64_t __s64;' \
		'typedef __u64 __attribute__((aligned(8))) __aligned_u64;' > "$alone/linux/types.h"
	: > "$alone/linux/ioctl.h"
	if ! echo '#include <linux/vfio.h>' |
	     gcc -std=c11 -Wall -Werror -fsyntax-only -I "$alone" \
		-x c - >> "$log" 2>&1; then
		alone_ok="NOT self-contained: $(grep -m1 'error' "$log")"
	fi
	detail "$ntested headers tested (changed ones and the series'); $nw warnings; series headers: ${hdrs[*]:-none}${missing[*]:+, NOT TESTED: ${missing[*]}}; SPEC 6.1 layout ok; linux/vfio.h on its own: $alone_ok"
	[ "$nw" = 0 ] && [ ${#missing[@]} = 0 ] && [ "$alone_ok" = ok ]
}

# ------------------------------------------------------------ get_maintainer
# gm OUT ARGS...: get_maintainer.pl's answer for ARGS, into OUT.
gm() {
	local out=$1
	shift
	(cd "$TREE" && nice -n 19 perl scripts/get_maintainer.pl --no-git --no-git-fallback "$@") > "$out" 2>&1 || true
}

# routed OUT: does that answer name a maintainer or supporter, and a list?
routed() { grep -qE '\((maintainer|supporter):' "$1" && grep -qE '\(([a-z]+ )?list[:)]' "$1"; }

# summary_of OUT: "N addresses (M maintainer/supporter, L lists): the first".
summary_of() {
	printf '%d addresses (%d maintainer/supporter, %d lists): %s' \
		"$(grep -c '@' "$1" || true)" \
		"$(grep -cE '\((maintainer|supporter):' "$1" || true)" \
		"$(grep -cE '\(([a-z]+ )?list[:)]' "$1" || true)" \
		"$(grep '@' "$1" | sed -E 's/ *<[^>]*>//; s/ \(.*$//' | head -n 4 | paste -sd, | sed 's/,/, /g')"
}

check_get_maintainer() {
	local p nbad=0 npatch=0 log=$LOGS/get_maintainer.log i n
	local -a pl=() what=() args=()
	[ -f "$TREE/scripts/get_maintainer.pl" ] || { detail "no scripts/get_maintainer.pl in $TREE"; return 1; }
	if [ -f "$PATCHES/series" ]; then
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			pl+=("$p")
		done < "$PATCHES/series"
	else
		for p in "$PATCHES"/*.patch; do [ -e "$p" ] && pl+=("${p##*/}"); done
	fi
	: > "$log"
	# what[i]: the label in the log; args[i]: get_maintainer.pl's argument.
	for p in "${pl[@]}"; do
		case "$p" in 0000-*) continue ;; esac
		if [ ! -f "$PATCHES/$p" ]; then
			echo "FAIL $p: listed in $PATCHES/series, missing" >> "$log"
			nbad=$((nbad + 1))
			continue
		fi
		npatch=$((npatch + 1))
		what+=("${p%%-*}")
		args+=("$PATCHES/$p")
	done
	for p in "${ADDED[@]}"; do
		what+=("$p")
		args+=("-f:$p")
	done
	n=${#args[@]}
	# JOBS at a time: each run takes 0.4 to 1.5 seconds.
	for ((i = 0; i < n; i++)); do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
		if [[ ${args[i]} == -f:* ]]; then
			gm "$RUN/gm.$i" -f "${args[i]#-f:}" &
		else
			gm "$RUN/gm.$i" "${args[i]}" &
		fi
	done
	wait
	for ((i = 0; i < n; i++)); do
		if routed "$RUN/gm.$i"; then p=ok; else p=FAIL; nbad=$((nbad + 1)); fi
		printf '%-4s %s: %s\n' "$p" "${what[i]}" "$(summary_of "$RUN/gm.$i")" >> "$log"
	done
	cat "$log" >&2
	detail "$npatch patches and ${#ADDED[@]} new files: $nbad without a maintainer/supporter or a list"
	[ "$nbad" = 0 ]
}

# ---------------------------------------------------------------------- main
rows=()
failed=0
T0=$(date +%s)
for c in "${checks[@]}"; do
	step "docs-check: $c"
	: > "$RUN/detail"
	# A subshell, so that errexit holds inside the check and a failing
	# command fails the check rather than the script.
	set +e
	( set -e; "check_${c//-/_}" )
	rc=$?
	set -e
	d=$(cat "$RUN/detail")
	[ $rc = 0 ] || [ -n "$d" ] || d="error (see the output above)"
	rows+=("$(printf '%-15s %-5s %5ss  %s' "$c" "$([ $rc = 0 ] && echo ok || echo FAIL)" "$(elapsed)" "$d")")
	[ $rc = 0 ] || failed=$((failed + 1))
done

echo
echo "docs-check summary"
printf '%-15s %-5s %6s  %s\n' check result time detail
printf '%s\n' "${rows[@]}"
printf '%-15s %-5s %5ss\n' total "$([ $failed = 0 ] && echo ok || echo FAIL)" $(( $(date +%s) - T0 ))
[ $failed = 0 ]
