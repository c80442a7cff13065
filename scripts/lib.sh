# shellcheck shell=bash
# Common settings for the mmio-dmabuf tooling. Sourced, never run.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
TREE=${TREE:-$BUILD/tree}
PATCHES=${PATCHES:-$ROOT/patches}
JOBS=${JOBS:-$(nproc)}
GIT_ID=(-c "user.name=mmio-dmabuf developers" -c "user.email=dev@mmio-dmabuf.invalid")
# the bench guest's size (run-guest.sh); make bench records it
GUEST_SMP=2
GUEST_MEM=1G

# Fixed dates keep commits, and so the exported patches, reproducible.
export GIT_COMMITTER_DATE=${GIT_COMMITTER_DATE:-"2025-01-01T00:00:00Z"}

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# step NAME: announce a step and remember when it began.
step() {
	STEP_NAME=$1
	STEP_T0=$(date +%s)
	printf '==> %s\n' "$1" >&2
}

elapsed() { echo $(( $(date +%s) - ${STEP_T0:-$(date +%s)} )); }

# end_line LOG: end LOG's last line, so that what the host appends to a
# guest's console log (a TIMEOUT marker) starts a line of its own.
end_line() { [ ! -s "$1" ] || [ -z "$(tail -c 1 "$1")" ] || echo >> "$1"; }

tgit() { git -C "$TREE" "${GIT_ID[@]}" "$@"; }

# base_version: the value of KEY in the BASE file.
base_field() { sed -n "s/^$1=//p" "$ROOT/BASE"; }

# use_ccache: CCACHE is "ccache " when ccache is installed (with its cache
# in $BUILD/ccache, shared by every kernel build), else empty; compilers
# are "${CCACHE}gcc".
use_ccache() {
	CCACHE=
	command -v ccache >/dev/null || return 0
	# shellcheck disable=SC2034 # used by the scripts that source this
	CCACHE="ccache "
	export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache} CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
}

# no_auto_gc REPO: no 'git gc --auto' in REPO. The import leaves the
# kernel's ~90k files as loose objects, so the first commit (and every
# later one) would start a repack of the whole tree in the background: a
# few CPU-minutes that a cold make check spends beside its builds. The
# workspace is a build product; its size does not matter.
no_auto_gc() {
	git -C "$1" config gc.auto 0
	git -C "$1" config maintenance.auto false
}

# spawn CMD...: run CMD in the background in a process group of its own
# (its pid in $!), and stop that whole group when this script ends, on
# Ctrl-C too: background jobs of a script otherwise ignore SIGINT.
spawned=()
spawn() {
	setsid "$@" &
	spawned+=("$!")
	trap stop_spawned EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
stop_spawned() {
	local p
	for p in "${spawned[@]}"; do
		kill -TERM -- "-$p" 2>/dev/null || true
	done
}
