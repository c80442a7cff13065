#!/bin/bash
# replay.sh [TOPOLOGY [SCENARIO]]: a seed replays a run. Runs SCENARIO
# (default vfio-fuzz, with 300 requests) on TOPOLOGY (default iommu-intel),
# with the kernel of CONFIG (default bench), twice with one seed and once with another, and compares what judge.py
# recorded: the same seed must give the same seeds, requests and outcomes,
# another seed other ones (so the comparison can fail).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

topo=${1:-iommu-intel}
scen=${2:-vfio-fuzz}
seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
other=$(( (seed + 1) % 4294967296 ))
out=$BUILD/runs/replay
mkdir -p "$out"

# figures JSON: what a run's random choices decided, one line
figures() {
	python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r['seed'], '|', ' '.join(i['name'] + ' ' + i['text'] for i in r['infos']), '|',
      ' '.join(c['name'] + ' ' + c['detail'] for s in r['scenarios'] for c in s.get('cases', [])))
PY
}

for run in a b c; do
	s=$seed
	[ $run = c ] && s=$other
	SEED=$s RUN_LOG=$out/$run.log BENCH_APPEND="bench.fuzz_requests=300 ${BENCH_APPEND:-}" \
		"$ROOT/scripts/run-guest.sh" -k "${CONFIG:-bench}" "$topo" "$scen" ||
		die "replay: run $run (SEED=$s) failed: $out/$run.log"
done
a=$(figures "$out/a.json") b=$(figures "$out/b.json") c=$(figures "$out/c.json")
say "replay: SEED=$seed: $a"
say "replay: SEED=$other: $c"
[ "$a" = "$b" ] || die "replay: SEED=$seed gave two different runs:
  $a
  $b"
# another seed: other requests, not only other seeds printed
unseeded() { sed 's/^[0-9]* | //; s/seed=0x[0-9a-f]*//g' <<< "$1"; }
[ "$(unseeded "$a")" != "$(unseeded "$c")" ] || die "replay: SEEDs $seed and $other gave the same run: the seed is not used"
say "replay: PASS: SEED=$seed replays $scen on $topo exactly (logs: ${out#"$ROOT"/})"
