#!/usr/bin/env python3
"""report.py LOG: a short human report of one bench run (topology, devices,
what was DMA'd where, verified or not), from the BENCH-RESULT and
BENCH-INFO lines of its serial log."""
import re
import sys

TOPOLOGIES = {
    "iommu-intel": "q35 + intel-iommu, -cpu EPYC (host bridge P2P capable)",
    "iommu-amd": "q35 + amd-iommu, -cpu EPYC",
    "direct": "q35, no vIOMMU (vfio noiommu), -cpu EPYC",
    "switch": "both devices behind one PCIe switch, no vIOMMU",
    "switch-iommu": "both devices behind one PCIe switch, intel-iommu",
    "refused": "q35 + intel-iommu, -cpu qemu64 (host bridge refuses P2P)",
}

# What a result means, for the results a person wants to read about.
STORY = {
    "smoke-ram": "edu DMA  RAM -> RAM",
    "smoke-bar-read": "edu DMA  BAR -> RAM",
    "smoke-bar-write": "edu DMA  RAM -> BAR",
    "checks-dma-api": "DMA-API debug",
    "checks-kmemleak": "kmemleak",
}


def parse(path):
    results, info = [], {}
    for raw in open(path, errors="replace"):
        line = re.sub(r"^\[\s*\d+\.\d+\]\s*", "", raw.strip("\r\n"))
        m = re.match(r"BENCH-RESULT (\S+) (PASS|FAIL) ?(.*)", line)
        if m:
            results.append(m.groups())
            continue
        m = re.match(r"BENCH-INFO (\S+) (.*)", line)
        if m:
            kv = dict(re.findall(r"(\w+)=(\S+)", m.group(2)))
            info.setdefault(m.group(1), {}).update(kv)
    return results, info


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    results, info = parse(sys.argv[1])
    s = info.get("smoke", {})
    topo = s.get("topology", "?")
    print(f"topology  {topo}: {TOPOLOGIES.get(topo, '')}")
    if s:
        size = int(s.get("bar_size", "0")) >> 20
        print(f"exporter  ivshmem {s.get('ivshmem', '?')}, BAR{s.get('bar', '?')}"
              f" {size} MiB at {s.get('bar_phys', '?')}, mapped by userspace through"
              f" {'sysfs' if s.get('mode') == 'sysfs' else 'vfio-pci'}"
              f" ({s.get('mode', '?')} mode, IOMMU group {s.get('group', '-')})")
        print(f"importer  edu {s.get('edu', '?')} on edu_dma"
              f" ({'through the IOMMU' if s.get('edu_iommu') == '1' else 'no IOMMU'})")
    for name, status, detail in results:
        if name in STORY:
            verdict = "verified" if status == "PASS" else "FAILED"
            if name.startswith("checks"):
                verdict = "clean" if status == "PASS" else "FAILED"
            print(f"  {STORY[name]:18} {detail:44} {verdict}")
    failed = [r for r in results if r[1] != "PASS"]
    for name, status, detail in failed:
        if name not in STORY:
            print(f"  FAILED {name}: {detail}")
    print(f"{len(results) - len(failed)}/{len(results)} checks passed")
    return 0 if results and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
