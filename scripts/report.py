#!/usr/bin/env python3
"""report.py JSON: a short human report of one bench run (topology, devices,
what was DMA'd where, verified or not), from the checks and figures that
judge.py recorded for it."""
import json
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
    "vfio-dma-read": "edu DMA  reads",
    "vfio-dma-write": "edu DMA  writes",
    "checks-dma-api": "DMA-API debug",
    "checks-kmemleak": "kmemleak",
}

# The revoke triggers, in the order the story tells them.
REVOKES = [
    ("decode", "memory decode off"), ("d3hot", "D3hot"), ("flr", "FLR"),
    ("reset", "VFIO_DEVICE_RESET"), ("low-power", "low-power entry"),
    ("late-unmap", "late importer"), ("fence", "unsignalled fence"),
    ("close", "device close"),
]


def parse(path):
    with open(path) as f:
        run = json.load(f)
    results, info = [], {}
    for s in run["scenarios"]:
        for c in s.get("cases", []):
            results.append((c["name"].split("/")[-1], c["status"], c["detail"]))
    for i in run["infos"]:
        kv = {k: v.strip('"') for k, v in i["kv"].items()}
        info.setdefault(i["name"], {}).update(kv)
    return results, info


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    results, info = parse(sys.argv[1])
    s = info.get("smoke", {})
    topo = s.get("topology") or info.get("vfio", {}).get("topology", "?")
    print(f"topology  {topo}: {TOPOLOGIES.get(topo, '')}")
    if s:
        size = int(s.get("bar_size", "0")) >> 20
        print(f"exporter  ivshmem {s.get('ivshmem', '?')}, BAR{s.get('bar', '?')}"
              f" {size} MiB at {s.get('bar_phys', '?')}, mapped by userspace through"
              f" {'sysfs' if s.get('mode') == 'sysfs' else 'vfio-pci'}"
              f" ({s.get('mode', '?')} mode, IOMMU group {s.get('group', '-')})")
        print(f"importer  edu {s.get('edu', '?')} on edu_dma"
              f" ({'through the IOMMU' if s.get('edu_iommu') == '1' else 'no IOMMU'})")
    v = info.get("vfio", {})
    if v:
        res = {n: (st, d) for n, st, d in results}
        size = int(v.get("bar_size", "0"), 0) >> 20
        print(f"exporter  ivshmem {v.get('ivshmem', '?')} on vfio-pci: BAR2 ({size} MiB"
              f" at {v.get('bar_phys', '?')}), 5 ranges exported with"
              f" VFIO_DEVICE_FEATURE_DMA_BUF")
        print(f"importer  edu {v.get('edu', '?')} on edu_dma, dynamic P2P attach"
              f" ({'through the IOMMU' if v.get('edu_iommu') == '1' else 'no IOMMU'})")
        c = info.get("vfio-classify", {})
        m = res.get("vfio-map", ("FAIL", ""))
        first = re.search(r"first=(0x[0-9a-f]+)\+(0x[0-9a-f]+)", m[1])
        print(f"  path chosen        {c.get('map_type', '?')}, {c.get('nents', '?')}"
              f" DMA entr{'y' if c.get('nents') == '1' else 'ies'}, the first at"
              f" {first.group(1) if first else '?'}"
              f" ({int(first.group(2), 16) if first else 0} bytes)")
        line = []
        for key, what in REVOKES:
            for dev in ("vfio", "vfio-nvme"):
                r = res.get(f"{dev}-revoke-{key}")
                if r:
                    line.append(f"{what}{' (nvme)' if dev != 'vfio' else ''}"
                                f" {'ok' if r[0] == 'PASS' else 'FAILED'}")
                    break
        print("  revoke             move_notify, then -ENODEV, then DMA again:")
        print("                     " + ", ".join(line))
    for name, status, detail in results:
        if name in STORY:
            verdict = {"PASS": "verified", "SKIP": "skipped"}.get(status, "FAILED")
            if name.startswith("checks"):
                verdict = "clean" if status == "PASS" else "FAILED"
            print(f"  {STORY[name]:18} {detail[:70]:70} {verdict}")
    failed = [r for r in results if r[1] not in ("PASS", "SKIP")]
    for name, status, detail in failed:
        if name not in STORY:
            print(f"  FAILED {name}: {detail}")
    skipped = sum(1 for r in results if r[1] == "SKIP")
    print(f"{len(results) - len(failed) - skipped}/{len(results)} checks passed,"
          f" {skipped} skipped")
    return 0 if results and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
