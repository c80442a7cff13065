# vfio-dmabuf: VFIO_DEVICE_FEATURE_DMA_BUF end to end. ivshmem is bound to
# vfio-pci; dbuftest exports five ranges of its BAR2 through VFIO, edu
# attaches as a dynamic P2P importer, maps, and reads and writes every
# range (checked against what the CPU wrote through the VFIO BAR mmap).
# Then every revoke trigger the device offers (memory decode, D3hot, FLR,
# VFIO_DEVICE_RESET, low-power entry), late importers (late unmap, an
# unsignalled fence), revoking twice, device close, and vfio-pci unbind
# with a live dma-buf. On the root-bus topologies the same runs on the CMB
# of an NVMe controller, which has the PM capability and FLR ivshmem lacks.
bdf=$(ivshmem_bdf) || { result vfio-setup FAIL "no ivshmem device"; return 1; }
load_edu || { result vfio-setup FAIL "cannot load edu_dma"; return 1; }
bind_driver "$bdf" vfio-pci || { result vfio-setup FAIL "cannot bind $bdf to vfio-pci"; return 1; }
rc=0
tool dbuftest-vfio dbuftest vfio "$bdf" || rc=1
# the last check unbinds vfio-pci; leave the device as the next scenario expects
unbind_driver "$bdf"
# The NVMe CMB (root-bus topologies): PM capability and FLR, so every
# revoke trigger runs there.
if nvme=$(nvme_bdf); then
	bind_driver "$nvme" vfio-pci || { result vfio-nvme-setup FAIL "cannot bind $nvme to vfio-pci"; return 1; }
	tool dbuftest-vfio-nvme env DBUFTEST_NAME=vfio-nvme dbuftest vfio "$nvme" || rc=1
	unbind_driver "$nvme"
else
	result vfio-nvme SKIP "no NVMe controller on $BENCH_TOPOLOGY: revoke triggers beyond decode and low power are not tested here"
fi
return $rc
