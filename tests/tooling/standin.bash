# shellcheck shell=bash
# Common start of the tooling tests that run a verb against a stand-in
# QEMU. Sourced, never run: a scratch dir $tmp (removed at exit), ok/nok
# counters, and in $tmp a bench build for the stand-in (empty kernel and
# initramfs) with $tmp/bin for the stand-in itself.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
nok() { echo "  FAIL $1"; fail=$((fail + 1)); }
mkdir -p "$tmp/bin" "$tmp/build/obj-bench/arch/x86/boot"
: > "$tmp/build/obj-bench/arch/x86/boot/bzImage"
: > "$tmp/build/initramfs-bench.cpio.gz"
