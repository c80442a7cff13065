# checks: unload the importer, then DMA-API debug and kmemleak must be clean.
rc=0
if ! unload_edu; then
	result checks-unload FAIL "rmmod edu_dma failed"
	rc=1
fi
errs=$(cat /sys/kernel/debug/dma-api/error_count 2>/dev/null)
if [ "$errs" = 0 ]; then
	result checks-dma-api PASS "error_count 0"
else
	result checks-dma-api FAIL "error_count '${errs:-unavailable}'"
	rc=1
fi
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Objects are reported once they are older than 5 s: wait, then scan.
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		result checks-kmemleak PASS "no unreferenced objects"
	else
		cat /sys/kernel/debug/kmemleak
		result checks-kmemleak FAIL "$leaks unreferenced objects"
		rc=1
	fi
else
	result checks-kmemleak FAIL "kmemleak is not available"
	rc=1
fi
return $rc
