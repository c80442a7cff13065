#!/bin/bash
# topology.sh NAME: print the QEMU arguments (one per line, then a line
# "--append" and the guest kernel arguments) of a bench topology.
#
# Root-bus topologies also have an NVMe controller with a CMB (see nvme).
#   iommu-intel   q35, intel-iommu, -cpu EPYC (host bridge allows P2P),
#                 half of the RAM above 4 GiB (swiotlb)
#   iommu-amd     q35, amd-iommu, -cpu EPYC
#   direct        q35, no vIOMMU (vfio noiommu mode), -cpu EPYC
#   switch        both devices behind one PCIe switch, no vIOMMU
#   switch-iommu  both devices behind one PCIe switch, intel-iommu
#   refused       q35, intel-iommu, -cpu qemu64 (host bridge refuses P2P)
set -euo pipefail

name=${1:?usage: topology.sh NAME}
shm_size=${BENCH_SHM:-4M}
devs=(-object "memory-backend-ram,id=shm,size=$shm_size,share=on")
ivshmem=(-device ivshmem-plain,memdev=shm)
edu=(-device edu,dma_mask=0xffffffffffffffff)
# An NVMe controller with a 4 MiB CMB (BAR2): a second BAR to export, on a
# function that has a PM capability and FLR, for the revoke triggers that
# ivshmem does not offer. The guest has no NVMe driver.
nvme=(-device nvme,serial=mdb0,cmb_size_mb=4)
switched=(-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1
	-device x3130-upstream,id=up0,bus=rp0
	-device xio3130-downstream,id=dn0,bus=up0,chassis=2,slot=0
	-device xio3130-downstream,id=dn1,bus=up0,chassis=3,slot=1)
intel=(-device intel-iommu,intremap=on)
noiommu=vfio.enable_unsafe_noiommu_mode=1
# Half of the RAM above 4 GiB: x86 then keeps its swiotlb buffer, which
# the KUnit cases that bounce for an untrusted device need.
highmem=(-machine max-ram-below-4g=512M)

case "$name" in
iommu-intel) args=(-cpu EPYC "${intel[@]}" "${highmem[@]}" "${devs[@]}" "${ivshmem[@]}" "${edu[@]}" "${nvme[@]}")
	append="intel_iommu=on iommu=nopt" ;;
iommu-amd) args=(-cpu EPYC -device amd-iommu,intremap=on "${devs[@]}" "${ivshmem[@]}" "${edu[@]}" "${nvme[@]}")
	append="iommu=nopt" ;;
direct) args=(-cpu EPYC "${devs[@]}" "${ivshmem[@]}" "${edu[@]}" "${nvme[@]}")
	append="$noiommu" ;;
switch) args=(-cpu EPYC "${devs[@]}" "${switched[@]}"
	-device ivshmem-plain,memdev=shm,bus=dn0 -device edu,dma_mask=0xffffffffffffffff,bus=dn1)
	append="$noiommu" ;;
switch-iommu) args=(-cpu EPYC "${intel[@]}" "${devs[@]}" "${switched[@]}"
	-device ivshmem-plain,memdev=shm,bus=dn0 -device edu,dma_mask=0xffffffffffffffff,bus=dn1)
	append="intel_iommu=on iommu=nopt" ;;
refused) args=(-cpu qemu64 "${intel[@]}" "${devs[@]}" "${ivshmem[@]}" "${edu[@]}" "${nvme[@]}")
	append="intel_iommu=on iommu=nopt" ;;
list) awk '$1 == "topology" { printf "%s%s", s, $2; s = " " } END { print "" }' "$(dirname "$0")/../bench/plan"; exit 0 ;;
*) echo "unknown topology '$name' (topology.sh list)" >&2; exit 2 ;;
esac
printf '%s\n' "${args[@]}" --append "$append"
