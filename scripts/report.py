#!/usr/bin/env python3
"""report.py LOG: a short human report of one bench run, from the
BENCH-RESULT and BENCH-INFO lines of its serial log."""
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


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    results, info = [], {}
    topo = "?"
    for raw in open(sys.argv[1], errors="replace"):
        line = re.sub(r"^\[\s*\d+\.\d+\]\s*", "", raw.strip("\r\n"))
        m = re.match(r"BENCH-RESULT (\S+) (PASS|FAIL) ?(.*)", line)
        if m:
            results.append(m.groups())
            continue
        m = re.match(r"BENCH-INFO (\S+) (.*)", line)
        if m:
            kv = dict(re.findall(r"(\w+)=(\S+)", m.group(2)))
            info.setdefault(m.group(1), {}).update(kv)
            topo = kv.get("topology", topo)
    print(f"topology: {topo}: {TOPOLOGIES.get(topo, '')}")
    for name, kv in info.items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in kv.items()
                                          if k != "topology"))
    for name, status, detail in results:
        print(f"  {status:4} {name:24} {detail}")
    npass = sum(1 for r in results if r[1] == "PASS")
    print(f"{npass}/{len(results)} checks passed")
    return 0 if results and npass == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
