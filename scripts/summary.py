#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""summary.py JSON...: per guest run, the verdict and the passed / failed /
skipped checks that judge.py recorded, then each skip and why the plan
expects it, and the problems of the runs that failed."""
import json
import os
import sys


def main(paths):
	runs = []
	for p in paths:
		try:
			with open(p) as f:
				runs.append((os.path.basename(p)[:-5], json.load(f)))
		except (OSError, ValueError) as e:
			runs.append((os.path.basename(p)[:-5], {'verdict': 'NONE', 'error': str(e)}))
	print('%-24s %-7s %6s %6s %7s  %s' % ('run', 'verdict', 'passed', 'failed', 'skipped', 'seed'))
	for name, r in runs:
		c = r.get('counts', {})
		print('%-24s %-7s %6s %6s %7s  %s' % (name, r['verdict'], c.get('passed', '-'),
		      c.get('failed', '-'), c.get('skipped', '-'), r.get('seed') or '-'))
	skips = {}
	for name, r in runs:
		for s in r.get('scenarios', []):
			if s['status'] == 'SKIP':
				skips.setdefault((s['name'], s['why']), []).append(name)
			for c in s.get('cases', []):
				if c['status'] == 'SKIP':
					skips.setdefault(('%s/%s' % (s['name'], c['name'].split('/')[-1]),
							  c.get('why') or 'NOT EXPECTED'), []).append(name)
	if skips:
		print('skips (each one expected by bench/plan):')
		for (what, why), where in skips.items():
			print('  %s on %s: %s' % (what, ', '.join(where), why))
	bad = 0
	for name, r in runs:
		if r['verdict'] != 'PASS':
			bad += 1
			print('%s: %s' % (name, r.get('error') or r.get('log')))
			for p in r.get('problems', [])[:10]:
				print('  problem: %s: %s' % (p['kind'], p['text']))
	return 1 if bad else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
