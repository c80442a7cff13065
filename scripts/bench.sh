#!/bin/bash
# bench.sh: the dma-buf mapping benchmark. Boots the timing kernel
# (configs/timing.config: the bench kernel without its debugging) on each
# topology of BENCH_TOPOLOGIES (default: iommu-intel iommu-amd direct
# switch) BENCH_BOOTS times (default 3) with an 8 GiB ivshmem BAR
# (BENCH_SHM), runs the bench scenario in each boot, and collects
# build/bench/results.csv (every cell of every boot, with what the run ran
# on: commit, base, kernel config, QEMU, host CPU and load, guest size,
# seed, the importer's IOMMU domain type), build/bench/bench.png (ns per
# map+unmap against ranges at 64 KiB) and build/bench/table.md (ratios
# baseline/helper and helper/lower bound, where the helper's time goes,
# entries, IOTLB calls and bytes per map, and the helper's goals, met or
# not), printing them. When every
# topology ran with the default settings, it also rewrites
# bench/results/ and the README's results section from them.
# BENCH_APPEND adds guest kernel arguments, as for run-guest.sh; SEED=N
# gives every boot that seed (each boot's is results.csv's run_seed:
# SEED=N BENCH_BOOTS=1 BENCH_TOPOLOGIES=T replays its method order).
# The kernel and initramfs must be built (make bench does that first).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

S=$ROOT/scripts
topos=${BENCH_TOPOLOGIES:-iommu-intel iommu-amd direct switch}
out=$BUILD/bench
boots=${BENCH_BOOTS:-3}
[[ $boots =~ ^[1-9][0-9]*$ ]] || die "BENCH_BOOTS=$boots: a number of boots, 1 or more"
mkdir -p "$out"
rm -f "$out"/*.log "$out"/*.json "$out"/*.qemu "$out/results.csv" "$out/table.md" "$out/bench.png" "$out/meta.tsv"
command -v gnuplot >/dev/null || die "gnuplot is missing (make deps)"
cfg=timing
config=$BUILD/obj-$cfg/.config
[ -f "$config" ] || die "no $cfg kernel (make kernel CONFIG=$cfg)"

# What the figures were measured on, for every row of results.csv.
dirty=
git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || dirty=-dirty
{
	printf 'commit\t%s%s\n' "$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" "$dirty"
	printf 'base\t%s\n' "$(base_field version)"
	printf 'kernel_config\t%s %s\n' "$cfg" "$(sha256sum < "$config" | cut -c1-12)"
	printf 'qemu\t%s\n' "$(qemu-system-x86_64 --version | head -n 1 | sed 's/^QEMU emulator version //')"
	printf 'host_cpu\t%s x %s\n' "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	printf 'guest\tsmp %s, %s RAM, %s BAR, TCG\n' "$GUEST_SMP" "$GUEST_MEM" "${BENCH_SHM:-8G}"
} > "$out/meta.tsv"

T0=$(date +%s)
# Each topology is booted BENCH_BOOTS times: under TCG a method's time can
# double from one boot to the next; a ratio is taken within a boot, the
# report takes its median over the boots.
failed=()
logs=()
for t in $topos; do
	load0=$(cut -d' ' -f1 /proc/loadavg)
	for b in $(seq "$boots"); do
		log=$out/$t-$b.log
		spawn env BENCH_SHM="${BENCH_SHM:-8G}" RUN_LOG="$log" \
			"$S/run-guest.sh" -k "$cfg" -t "${BENCH_GUEST_TIMEOUT:-900}" "$t" bench
		pid=$!
		# progress every 20 s; the next boot starts within a second
		polls=0
		while kill -0 $pid 2>/dev/null; do
			sleep 1
			polls=$((polls + 1))
			if [ $((polls % 20)) = 0 ] && kill -0 $pid 2>/dev/null; then
				say "bench: $t, boot $b of $boots: $(grep -c '# info: bench-cell' "$log" 2>/dev/null || true) cells measured, $(($(date +%s) - T0))s"
			fi
		done
		if wait $pid; then
			logs+=("${log%.log}.json")
		else
			failed+=("$t (boot $b)")
			# what it measured before failing is still worth a look
			[ -f "${log%.log}.json" ] && logs+=("${log%.log}.json")
		fi
	done
	# the host's 1-minute load average before and after (the guest is 1 to 2)
	printf 'host_load\t%s\t%s to %s\n' "$t" "$load0" "$(cut -d' ' -f1 /proc/loadavg)" >> "$out/meta.tsv"
done

[ ${#logs[@]} -gt 0 ] || die "bench: no guest run was judged"
step "bench: report"
# The published results (README.md's table, bench/results/): only from a
# complete run with the defaults (a seed of its own for every boot).
publish=()
defaults=${BENCH_TOPOLOGIES:-}${BENCH_SHM:-}${BENCH_APPEND:-}${BENCH_BOOTS:-}${SEED:-}
[ ${#failed[@]} -gt 0 ] || [ -n "$defaults" ] ||
	publish=(--readme "$ROOT/README.md")
"$S/bench-report.py" --meta "$out/meta.tsv" --csv "$out/results.csv" \
	--table "$out/table.md" --plot "$out/bench.png" "${publish[@]}" "${logs[@]}"
say ""
say "bench summary: ${topos// /, }, $boots boots each, in $(($(date +%s) - T0))s"
say "  results: ${out#"$ROOT"/}/results.csv ($(($(wc -l < "$out/results.csv") - 1)) rows)"
say "  plot:    ${out#"$ROOT"/}/bench.png"
say "  table:   ${out#"$ROOT"/}/table.md"
say "  logs:    ${out#"$ROOT"/}/TOPOLOGY-BOOT.log, judged: TOPOLOGY-BOOT.json"
say "  absolute times come from a TCG guest: compare ratios, not times"
if [ ${#failed[@]} -gt 0 ]; then
	die "bench: failed on ${failed[*]}"
fi
if [ ${#publish[@]} -gt 0 ]; then
	cp "$out/results.csv" "$out/bench.png" "$ROOT/bench/results/"
	say "  published: bench/results/results.csv, bench/results/bench.png, README.md (Benchmark)"
fi
say "bench: PASS"
