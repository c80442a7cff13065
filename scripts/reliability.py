#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""reliability.py [LOG...]: the figures of the reliability scenarios.

For each guest log (default: build/runs/*.log, KUnit runs excluded) print
one row: the fuzzer's requests and how many failed as specified, the
fault-injection points swept per operation, the revoke stress figures,
and the problems parse-log.py found (splats) and the kmemleak verdict.
The table is also written to build/reliability.txt.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD') or os.path.join(ROOT, 'build')


def bench_lines(path):
    for raw in open(path, errors='replace'):
        m = re.search(r'BENCH-(RESULT|INFO) (\S+) (.*)', raw.rstrip('\r\n'))
        if m:
            yield m.groups()


def row(path):
    fuzz = faults = stress = '-'
    leaks = '?'
    pts = {}
    for kind, name, rest in bench_lines(path):
        if kind == 'RESULT' and name == 'fuzz':
            m = re.search(r'(\d+) requests \((\d+) valid\): (\d+) as specified, (\d+) not', rest)
            if m:
                fuzz = f'{m.group(3)}/{m.group(1)} ok ({m.group(2)} valid)'
        elif kind == 'INFO' and name == 'faults-points':
            pts = dict(re.findall(r'(\w+)=(\d+)', rest))
            faults = ' '.join(f'{k}={v}' for k, v in pts.items())
        elif kind == 'INFO' and name == 'stress' and 'ops_per_s' in rest:
            kv = dict(re.findall(r'(\w+)=(\S+)', rest))
            stress = (f"{kv.get('seconds')}s maps={kv.get('maps_ok')}+{kv.get('maps_enodev')}enodev"
                      f" dma={kv.get('dma_verified')} toggles={kv.get('decode_toggles')}"
                      f" resets={kv.get('resets')} exports={kv.get('exports')}"
                      f" {kv.get('ops_per_s')}op/s")
        elif kind == 'RESULT' and name == 'checks-kmemleak':
            leaks = 'none' if rest.startswith('PASS') else 'LEAK'
    out = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts/parse-log.py'), path]
                         + sum((['--allow', l.strip()] for l in
                                open(os.path.join(ROOT, 'bench/expected-faults'))
                                if l.strip() and not l.startswith('#')), []),
                         capture_output=True, text=True).stdout
    splats = sum(1 for l in out.splitlines()
                 if l.startswith('problem:') and not l.startswith('problem: result-'))
    return fuzz, faults, stress, splats, leaks


def main():
    logs = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(BUILD, 'runs', '*.log'))
                                  if not p.endswith('-kunit.log'))
    lines = ['reliability figures (per guest run)',
             f"{'run':24} {'fuzzer':24} {'fault points':38} splats leaks  stress"]
    for p in logs:
        fuzz, faults, stress, splats, leaks = row(p)
        lines.append(f'{os.path.basename(p)[:-4]:24} {fuzz:24} {faults:38} {splats:6} {leaks:6} {stress}')
    text = '\n'.join(lines) + '\n'
    sys.stdout.write(text)
    with open(os.path.join(BUILD, 'reliability.txt'), 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
