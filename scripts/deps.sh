#!/bin/bash
# Install the Debian packages the tooling needs, if any is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	rsync xz-utils file python3 git ccache sparse coccinelle
	qemu-system-x86 busybox-static gcc-aarch64-linux-gnu gnuplot-nox
	python3-sphinx graphviz)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
say "deps: installing ${missing[*]}"
[ "$(id -u)" = 0 ] || die "installing packages needs root: apt-get install ${missing[*]}"
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
say "deps: installed ${#missing[@]} packages"
