#!/bin/bash
# demo.sh: build what is needed, boot the bench guest, and tell the story in
# a short report: a BAR exported through VFIO, imported by edu, the path
# chosen, the DMA verified, each revoke, and the leak checks.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

S=$ROOT/scripts
topo=${TOPO:-iommu-intel}
"$S/tree.sh"
"$S/kernel.sh" bench
"$S/initramfs.sh" bench
rc=0
"$S/run-guest.sh" "$topo" vfio-dmabuf,checks > "$BUILD/demo.out" 2>&1 || rc=$?
"$S/report.py" "$BUILD/runs/bench-$topo.json" || true
if [ $rc = 0 ]; then
	echo "verdict: PASS (full log: build/runs/bench-$topo.log)"
else
	tail -n 20 "$BUILD/demo.out"
	echo "verdict: FAIL (full log: build/runs/bench-$topo.log)"
fi
exit $rc
