#!/bin/bash
# A guest that stopped (console silent, QEMU idle) is ended as a failure
# long before the timeout; a silent guest that keeps QEMU busy is not.
# Stand-in QEMUs, with the stall window and poll shortened.
. "$(dirname "$0")/standin.bash"

echo "tooling: a stopped guest"
# run KIND: run-guest.sh with the stand-in KIND (idle: prints, then sleeps;
# busy: prints, then spins silently for 8 s and exits)
run() {
	cat > "$tmp/bin/qemu-system-x86_64" <<EOS
#!/bin/bash
echo "guest running"
case $1 in
idle) exec sleep 600 ;;
busy) end=\$((SECONDS + 8)); while [ \$SECONDS -lt \$end ]; do :; done ;;
esac
EOS
	chmod +x "$tmp/bin/qemu-system-x86_64"
	BUILD=$tmp/build PATH=$tmp/bin:$PATH RUN_LOG=$tmp/$1.log BENCH_STALL=4 BENCH_POLL=1 \
		timeout 60 "$ROOT/scripts/run-guest.sh" -t 50 iommu-intel smoke > "$tmp/$1.out" 2>&1
}
t=$SECONDS
run idle
rc=$?
if [ $rc = 0 ] || [ $rc = 124 ]; then
	nok "a stopped guest fails (exit $rc)"
else
	ok "a stopped guest fails"
fi
grep -q '^run-guest: STALL: ' "$tmp/idle.log" && ok "... with a STALL line in its log" ||
	nok "... with a STALL line in its log: $(tail -n 2 "$tmp/idle.log")"
[ $((SECONDS - t)) -lt 30 ] && ok "... in seconds, not at the timeout" ||
	nok "... in seconds, not at the timeout ($((SECONDS - t)) s)"
run busy
grep -q 'STALL' "$tmp/busy.log" && nok "a silent but busy guest is not a stall" ||
	ok "a silent but busy guest is not a stall"

echo "tooling: $pass passed, $fail failed"
[ "$fail" = 0 ]
