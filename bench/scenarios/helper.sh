# helper: the dma-buf mapping helper (dma_buf_phys_vec_to_sgt()) through
# the bar_exporter test exporter, which makes ivshmem a P2PDMA provider
# without struct pages and exports five ranges of its BAR2 (unsorted, with
# gaps, two of them contiguous). edu attaches as a dynamic P2P importer and
# maps; dbuftest checks the path the helper chose for this topology (one
# IOVA span, CPU addresses, bus addresses, or EINVAL), the DMA addresses
# and entry count, DMA-API debug accounting, has edu read and write every
# range, checks the importers the exporter must refuse and a non-PCI
# importer, and finally unbinds ivshmem under a live mapping (revoke).
bdf=$(ivshmem_bdf) || { result helper-setup FAIL "no ivshmem device"; return 1; }
load_edu || { result helper-setup FAIL "cannot load edu_dma"; return 1; }
bind_test_module "$bdf" bar_exporter helper || return 1
rc=0
tool dbuftest-helper dbuftest helper || rc=1
if [ -e /dev/bar_exporter ] || [ -e "/sys/bus/pci/devices/$bdf/driver" ]; then
	result helper-unbound FAIL "$bdf still bound after the revoke test"
	rc=1
fi
unbind_driver "$bdf"
rmmod bar_exporter || { result helper-rmmod FAIL "bar_exporter still busy"; rc=1; }
return $rc
