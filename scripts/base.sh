#!/bin/bash
# Print the path of the base source: $KSRC if set, else the Debian
# linux-source tarball of the version recorded in BASE, installed if missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] || die "KSRC=$KSRC is not a kernel tree"
	v=$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p' "$KSRC/Makefile" | paste -sd.)
	[ "$v" = 6.12 ] || say "warning: KSRC is Linux $v, the series targets 6.12.y"
	echo "$KSRC"
	exit 0
fi

pkg=$(base_field package)
ver=$(base_field version)
tarball=/usr/src/$pkg.tar.xz
have=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
if [ "$have" != "$ver" ] || [ ! -f "$tarball" ]; then
	say "base: installing $pkg=$ver (have: ${have:-none})"
	[ "$(id -u)" = 0 ] || die "installing $pkg needs root (or set KSRC=/path/to/6.12.y)"
	apt-get update -qq >&2 || true
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends --allow-downgrades "$pkg=$ver" >&2; then
		cat >&2 <<MSG
error: the archive no longer serves $pkg version $ver.
  The series is tested on that exact version (see BASE). To proceed, either
  - point KSRC at a Linux 6.12.y tree:  make check KSRC=/path/to/linux-6.12.y
  - or move the series to a served version: set 'version=' in BASE to one of
    $(apt-cache madison "$pkg" 2>/dev/null | awk '{print $3}' | paste -sd' ')
    then run 'make tree' and 'make check', and commit BASE.
MSG
		exit 1
	fi
fi
echo "$tarball"
