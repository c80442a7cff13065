#!/bin/bash
# Tests of the bench report (scripts/bench-report.py) on made-up runs: a
# ratio is taken within each boot and the tables give its median over the
# boots with the lowest and highest; a boot is the number in its file's
# name; counts that differ between boots are reported.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
nok() { echo "  FAIL $1"; fail=$((fail + 1)); }
# has WHAT FILE TEXT: FILE holds the line TEXT
has() { if grep -qxF -- "$3" "$2"; then ok "$1"; else nok "$1"; sed 's/^/       /' "$2"; fi; }

# run NAME BOOT "METHOD=NS ..." [ENTRIES]: a judged run of the direct
# topology with one cell per method, 1 range of 64 KiB
run() {
	python3 - "$tmp/$1-$2.json" "$3" "${4:-1}" <<'EOS'
import json, sys
path, cells, entries = sys.argv[1], sys.argv[2].split(), sys.argv[3]
infos = [{"name": "bench", "kv": {"topo": "direct", "seed": "0x1", "domain": ""}}]
for c in cells:
    method, ns = c.split("=")
    infos.append({"name": "bench-cell", "kv": {
        "topo": "direct", "method": method, "ranges": "1", "size": "65536",
        "reps": "100", "min_ns": ns, "median_ns": ns, "map_ns": ns,
        "unmap_ns": "0", "entries": entries, "sync_map": "0.00",
        "iotlb_sync": "0.00", "flush_all": "0.00", "alloc_bytes": "96",
        "counted": "8", "dma_addr": "0x0", "status": "ok"}})
json.dump({"infos": infos}, open(path, "w"))
EOS
}
report() {
	python3 "$ROOT/scripts/bench-report.py" --csv "$tmp/r.csv" --table "$tmp/t.md" "$@" \
		> "$tmp/out" 2> "$tmp/err"
}

echo "tooling: bench report"
# baseline/helper within the boots: 1.00, 2.00, 0.50: median 1.00, where
# the ratio of the median times is 1.50 and of the mean times 0.64; the
# medians of the times: baseline 1500, helper 1000 (means 2500, 3917)
run direct 1 "baseline=1000 helper=1000 table=500"
run direct 2 "baseline=1500 helper=750 table=500"
run direct 3 "baseline=5000 helper=10000 table=500"
if report "$tmp"/direct-{1,2,3}.json; then ok "three boots: report written"; else nok "three boots: report written"; cat "$tmp/err"; fi
has "ratio: median over the boots, lowest and highest beside it" "$tmp/t.md" \
	"| direct | 1 | 1.5 | 1.0 | 0.5 | 1.00 (0.50-2.00) | 2.00 (1.50-20.00) | table | - | - |"
has "goal judged on the median ratio" "$tmp/t.md" \
	"- met: baseline/helper >= 1.00 in every cell: lowest 1.00 (direct, 1 ranges)"
if [ -s "$tmp/err" ]; then nok "boots that agree: nothing said"; sed 's/^/       /' "$tmp/err"; else ok "boots that agree: nothing said"; fi
# three methods in each boot
if [ "$(sed 1d "$tmp/r.csv" | cut -d, -f2 | sort | uniq -c | awk '{ print $2 "x" $1 }' |
	paste -sd' ')" = "1x3 2x3 3x3" ]; then
	ok "results.csv: every row has its boot"
else
	nok "results.csv: every row has its boot"; cut -d, -f1-3 "$tmp/r.csv" | sed 's/^/       /'
fi

# a boot that left no run: the others keep their numbers
rm -f "$tmp"/direct-*.json
run direct 1 "baseline=2000 helper=1000 table=500"
run direct 3 "baseline=1000 helper=2000 table=500"
report "$tmp"/direct-1.json "$tmp"/direct-3.json
if [ "$(cut -d, -f2 "$tmp/r.csv" | sed 1d | sort -u | paste -sd' ')" = "1 3" ]; then
	ok "a boot is the number in its file's name"
else
	nok "a boot is the number in its file's name"
fi
has "two boots: the median is their mean" "$tmp/t.md" \
	"| direct | 1 | 1.5 | 1.5 | 0.5 | 1.25 (0.50-2.00) | 3.00 (2.00-4.00) | table | - | - |"

# one boot: a ratio without a range
report "$tmp"/direct-1.json
has "one boot: the ratio alone" "$tmp/t.md" \
	"| direct | 1 | 2.0 | 1.0 | 0.5 | 2.00 | 2.00 | table | - | - |"

# entries are not timing: boots that disagree are reported, and fail
run direct 3 "baseline=1000 helper=2000 table=500" 2
if report "$tmp"/direct-1.json "$tmp"/direct-3.json; then
	nok "counts that differ between boots fail the report"
else
	ok "counts that differ between boots fail the report"
fi
if grep -q "direct helper 1 x 65536: counts differ between boots" "$tmp/err"; then
	ok "... and say where"
else
	nok "... and say where"; sed 's/^/       /' "$tmp/err"
fi

echo "tooling: $pass passed, $fail failed"
[ "$fail" = 0 ]
