#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""reliability.py [JSON...]: the figures of the reliability scenarios.

For each guest run judged by judge.py (default: build/runs/*.json) print
one row: the fuzzer's requests and how many failed as
specified, the fault-injection points swept per operation, the revoke
stress figures, the kernel reports judge.py found and the kmemleak verdict.
The table is also written to build/reliability.txt.
"""
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD') or os.path.join(ROOT, 'build')
RESULT_KINDS = ('fail', 'missing', 'too-few', 'unexpected-skip', 'unexpected-run',
		'undeclared', 'no-ktap', 'no-results', 'ktap')


def row(path):
	with open(path) as f:
		r = json.load(f)
	fuzz = faults = stress = '-'
	leaks = '?'
	cases = {c['name'].split('/')[-1]: c for s in r['scenarios'] for c in s.get('cases', [])}
	c = cases.get('fuzz')
	if c:
		m = re.search(r'(\d+) requests \((\d+) valid\): (\d+) as specified, (\d+) not', c['detail'])
		if m:
			fuzz = f'{m.group(3)}/{m.group(1)} ok ({m.group(2)} valid)'
	for i in r['infos']:
		if i['name'] == 'faults-points':
			faults = ' '.join(f'{k}={v}' for k, v in i['kv'].items())
		elif i['name'] == 'stress' and 'ops_per_s' in i['kv']:
			kv = i['kv']
			stress = (f"{kv.get('seconds')}s maps={kv.get('maps_ok')}+{kv.get('maps_enodev')}enodev"
				  f" dma={kv.get('dma_verified')} toggles={kv.get('decode_toggles')}"
				  f" resets={kv.get('resets')} exports={kv.get('exports')}"
				  f" {kv.get('ops_per_s')}op/s")
	c = cases.get('checks-kmemleak')
	if c:
		leaks = 'none' if c['status'] == 'PASS' else 'LEAK'
	splats = sum(p['count'] for p in r['problems'] if p['kind'] not in RESULT_KINDS)
	return fuzz, faults, stress, splats, leaks


def main():
	paths = sys.argv[1:] or sorted(glob.glob(os.path.join(BUILD, 'runs', '*.json')))
	lines = ['reliability figures (per guest run)',
		 f"{'run':24} {'fuzzer':24} {'fault points':38} splats leaks  stress"]
	for p in paths:
		try:
			fuzz, faults, stress, splats, leaks = row(p)
		except (OSError, ValueError, KeyError) as e:
			lines.append(f'{os.path.basename(p)[:-5]:24} unreadable: {e}')
			continue
		lines.append(f'{os.path.basename(p)[:-5]:24} {fuzz:24} {faults:38} {splats:<6} {leaks:6} {stress}')
	text = '\n'.join(lines) + '\n'
	sys.stdout.write(text)
	with open(os.path.join(BUILD, 'reliability.txt'), 'w') as f:
		f.write(text)
	return 0


if __name__ == '__main__':
	sys.exit(main())
