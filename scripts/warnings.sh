# shellcheck shell=bash
# The shell's way into scripts/series-warnings.py, the program that reads
# kbuild and checker output and attributes warnings to patches: shared by
# check-series.sh and matrix.sh. Sourced.
WARNINGS_PY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/series-warnings.py

# series_warnings JOB ARGS...: one job of series-warnings.py (see its header).
series_warnings() { "$WARNINGS_PY" "$@"; }

# parse_build_log LOG SRCDIR OBJDIR: the diagnostics of a make -O log of an
# O=OBJDIR build of the tree SRCDIR (paths printed relative to it), as
#   W<TAB>object<TAB>kind<TAB>normalised<TAB>raw   (kind: w1 = compiler, sparse)
#   C<TAB>object<TAB>ok|err                        (each object compiled)
#   E<TAB><TAB>raw                                 (build errors)
parse_build_log() { series_warnings parse-build "$@"; }
