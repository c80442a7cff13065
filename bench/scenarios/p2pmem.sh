# p2pmem: the P2PDMA page allocator used as 6.12's users use it. The
# p2pmem_test module gives ivshmem's BAR2 ZONE_DEVICE pages with
# pci_p2pdma_add_resource() and publishes them; p2pmemtest allocates P2P
# memory, writes it with the CPU, maps it for edu with dma_map_sgtable()
# and has edu read and write it. Where 6.12 maps it (and with which kind
# of address) or refuses depends on $BENCH_TOPOLOGY, see p2pmemtest.c. Then
# ivshmem is unbound, cleanly and with a file that still holds P2P memory
# mapped for edu, and edu loses its driver under that mapping.
rc=0
bdf=$(ivshmem_bdf) || { result p2pmem-setup FAIL "no ivshmem device"; return 1; }
edu=$(edu_bdf) || { result p2pmem-setup FAIL "no edu device"; return 1; }
load_edu || { result p2pmem-setup FAIL "cannot load edu_dma"; return 1; }
p2p=/sys/bus/pci/devices/$bdf/p2pmem
bind_test_module "$bdf" p2pmem_test p2pmem || return 1
info p2pmem topology="$BENCH_TOPOLOGY" ivshmem="$bdf" edu="$edu" \
	iommu_group="$(iommu_group "$edu")"

tool mdbtest-p2pmem p2pmemtest p2pmem "$bdf" || rc=1

# With nothing allocated, unbinding takes the allocator's sysfs group with it.
if unbind_driver "$bdf" && [ ! -e "$p2p" ] && [ ! -e /dev/p2pmem_test ]; then
	result p2pmem-unbind PASS "$bdf unbound, p2pmem/ and /dev/p2pmem_test gone"
else
	result p2pmem-unbind FAIL "after unbind: $(ls -d "$p2p" /dev/p2pmem_test 2>/dev/null)"
	rc=1
fi

# Unbinding with P2P memory allocated (and mapped) by an open file: the
# ZONE_DEVICE pages are torn down after remove() and that waits until every
# page is free, so remove() must take the memory back (a leak hangs here).
bind_driver "$bdf" p2pmem_test ||
	{ result p2pmem-busy-unbind FAIL "cannot bind $bdf again"; return 1; }
rm -f /tmp/p2phold.fifo /tmp/p2phold.out
mkfifo /tmp/p2phold.fifo
p2pmemtest p2pmem-hold < /tmp/p2phold.fifo > /tmp/p2phold.out &
pid=$!
exec 3> /tmp/p2phold.fifo
n=0
while ! grep -q 'p2pmem-hold ready' /tmp/p2phold.out && [ $n -lt 60 ]; do
	sleep 1
	n=$((n + 1))
done
held=$(grep -o 'ready ret=[-0-9]* result=[-0-9]*' /tmp/p2phold.out)
case "$BENCH_TOPOLOGY:$held" in
refused:"ready ret=0 result=-121") mapped=0 ;;	# -EREMOTEIO, allocated only
refused:*) mapped=x ;;
*:"ready ret=0 result=0") mapped=1 ;;
*) mapped=x ;;
esac
if [ "$mapped" = x ]; then
	result p2pmem-hold FAIL "unexpected on $BENCH_TOPOLOGY: '$held'"
	rc=1
fi

# edu losing its driver: p2pmem_test unmaps before edu_dma's remove(), so
# DMA-API debug finds no mapping left behind for edu (checks counts errors).
if [ "$mapped" = 1 ]; then
	dump=/sys/kernel/debug/dma-api/dump
	before=$(grep -c " $edu scatter-gather " $dump)
	echo "$edu" > /sys/bus/pci/drivers/edu_dma/unbind
	after=$(grep -c " $edu scatter-gather " $dump)
	echo "$edu" > /sys/bus/pci/drivers/edu_dma/bind
	if [ "$before" -gt 0 ] && [ "$after" = 0 ] &&
		dmesg | grep -q "$edu: going away: unmapping P2P memory of $bdf" &&
		[ -e /dev/edu_dma ]; then
		result p2pmem-client-unbind PASS "edu_dma unbound: $before sg entries of edu unmapped first; rebound"
	else
		result p2pmem-client-unbind FAIL "sg entries of edu before=$before after=$after, /dev/edu_dma $(ls /dev/edu_dma 2>&1)"
		rc=1
	fi
fi

freed=$(dmesg | grep -c "$bdf: freed the P2P memory of 1 open file(s)")
unbind_driver "$bdf"
exec 3>&-
wait $pid
sed 's/^/# p2pmem-hold: /' /tmp/p2phold.out
now=$(dmesg | grep -c "$bdf: freed the P2P memory of 1 open file(s)")
if [ "$now" = $((freed + 1)) ] && [ ! -e "$p2p" ] &&
	grep -q 'after read=-19 unmap=-19 free=-19' /tmp/p2phold.out; then
	result p2pmem-busy-unbind PASS "remove() freed the memory of the open file, which then gets ENODEV"
else
	result p2pmem-busy-unbind FAIL "freed lines $freed -> $now, $(ls -d "$p2p" 2>/dev/null) $(grep after /tmp/p2phold.out)"
	rc=1
fi

if rmmod p2pmem_test; then
	result p2pmem-rmmod PASS "p2pmem_test unloaded"
else
	result p2pmem-rmmod FAIL "rmmod p2pmem_test failed"
	rc=1
fi
return $rc
