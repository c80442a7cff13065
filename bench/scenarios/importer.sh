# importer: the edu_dma test importer itself: bad input gets clean errnos,
# mappings are tracked per file, and unbind with a busy file is safe.
rc=0
bdf=$(ivshmem_bdf) || { result importer-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result importer-setup FAIL "no edu device"; return 1; }
load_edu || { result importer-setup FAIL "cannot load edu_dma"; return 1; }
# uapi-maps maps the BAR by its physical address: no driver needs to own it.
tool mdbtest-uapi importertest uapi "$bdf" || rc=1
importertest hold "$bdf" > /tmp/hold.out &
pid=$!
sleep 3
echo "$edu" > /sys/bus/pci/drivers/edu_dma/unbind
wait $pid
sed 's/^/# hold: /' /tmp/hold.out
# hold also sets up dma-api state (phys_api=0) when the kernel has the API
if grep -q 'copy=-19' /tmp/hold.out && grep -q 'info=-19' /tmp/hold.out &&
	! grep -q 'phys_api=-' /tmp/hold.out && [ ! -e /dev/edu_dma ]; then
	result importer-unbind PASS "a busy file gets ENODEV after unbind"
else
	result importer-unbind FAIL "unexpected: $(tr '\n' ' ' < /tmp/hold.out)"
	rc=1
fi
echo "$edu" > /sys/bus/pci/drivers/edu_dma/bind
if [ -e /dev/edu_dma ]; then
	result importer-rebind PASS "edu_dma bound again"
else
	result importer-rebind FAIL "no /dev/edu_dma after rebind"
	rc=1
fi
return $rc
