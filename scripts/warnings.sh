# shellcheck shell=bash
# Reading kbuild logs: shared by check-series.sh and matrix.sh. Sourced.

# parse_build_log LOG SRCDIR OBJDIR: the diagnostics of a make -O log of an
# O=OBJDIR build of the tree SRCDIR (paths printed relative to it), as
#   W<TAB>object<TAB>kind<TAB>normalised<TAB>raw   (kind: w1 = compiler, sparse)
#   C<TAB>object<TAB>ok|err                        (each object compiled)
#   E<TAB><TAB>raw                                 (build errors)
# Output is grouped per target by make -O: an object's block runs from its
# "CC" line (compiler output follows) through its "CHECK" line (sparse).
# Diagnostics in Makefiles/Kbuild files go to object "(make)".
AWK_NORM='
# unloc: drop a leading "LINE:", "LINE:COL:" or "LINE:COL-COL:" (no optional
# groups in these regexps: mawk mishandles them).
function unloc(r) {
	if (!sub(/^[0-9]+:[0-9]+-[0-9]+:/, "", r))
		if (!sub(/^[0-9]+:[0-9]+:/, "", r))
			sub(/^[0-9]+:/, "", r)
	return r
}
function norm(s,    p, f, rest) {
	p = index(s, ":"); f = substr(s, 1, p - 1); rest = unloc(substr(s, p + 1))
	gsub(/\+0x[0-9a-f]+/, "+0x?", rest)
	gsub(/line [0-9]+/, "line ?", rest)
	gsub(/[ \t]+/, " ", rest); sub(/^ /, "", rest)
	return f ": " rest
}'
parse_build_log() {
	awk -v wt="$2/" -v wtrel="../${2##*/}/" -v obj="$3/" -v OFS='\t' "$AWK_NORM"'
	function strip(s) { gsub(/\033\[[0-9;]*[mK]/, "", s)
		# ccache may replay output of another locale: quote as in C.
		gsub(/\342\200\230|\342\200\231/, "\047", s)
		while ((i = index(s, wt))) s = substr(s, 1, i - 1) substr(s, i + length(wt))
		while ((i = index(s, wtrel))) s = substr(s, 1, i - 1) substr(s, i + length(wtrel))
		while ((i = index(s, obj))) s = substr(s, 1, i - 1) substr(s, i + length(obj))
		return s }
	{ line = strip($0) }
	line ~ /^  [A-Z][A-Z0-9_]*( \[M\])? / {
		nf = split(line, a, " "); tag = a[1]; t = a[nf]
		if (tag == "CC" || tag == "AS") { cur = t; part = "w1"; seen[cur] = 1 }
		else if (tag == "CHECK") { sub(/\.[cS]$/, ".o", t); cur = t; part = "sparse" }
		else { cur = ""; part = "" }
		next
	}
	/^make(\[[0-9]+\])?: \*\*\*/ { print "E", "", line; next }
	line ~ /^(cc1|gcc|ccache): .*error/ { print "E", "", line; if (cur != "") err[cur] = 1; next }
	line ~ /^[^ :]+:[0-9]+:([0-9]+:)? / || line ~ /^[^ :]+: (warning|error): / {
		rest = unloc(substr(line, index(line, ":") + 1)); sub(/^ +/, "", rest)
		if (rest ~ /^note:/) next
		f = line; sub(/:.*/, "", f)
		if (f ~ /(^|\/)Kconfig/) next
		o = cur; k = part
		if (f ~ /(^|\/)(Makefile|Kbuild)[^\/]*$|\.mk$/) { o = "(make)"; k = "w1" }
		if (o == "") o = "(other)"
		if (k == "") k = "w1"
		if (k == "w1" && rest ~ /^(fatal )?error:/) { print "E", "", line; err[o] = 1 }
		print "W", o, k, norm(line), line
	}
	END { for (o in seen) print "C", o, (o in err) ? "err" : "ok" }' "$1"
}

