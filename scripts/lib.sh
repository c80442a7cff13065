# shellcheck shell=bash
# Common settings for the mmio-dmabuf tooling. Sourced, never run.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
TREE=${TREE:-$BUILD/tree}
PATCHES=${PATCHES:-$ROOT/patches}
JOBS=${JOBS:-$(nproc)}
GIT_ID=(-c "user.name=mmio-dmabuf developers" -c "user.email=dev@mmio-dmabuf.invalid")

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

tgit() { git -C "$TREE" "${GIT_ID[@]}" "$@"; }

# base_version: the value of KEY in the BASE file.
base_field() { sed -n "s/^$1=//p" "$ROOT/BASE"; }
