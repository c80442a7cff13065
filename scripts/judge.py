#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The one judge of a bench guest run: its verdict, from the serial log.

usage: judge.py LOG [--topology NAME] [--scenarios a,b,...] [--kunit]
                    [--suites a,b,...] [--no-bench] [--plan FILE]
                    [--allow REGEX]... [--json FILE] [--kunit-dir DIR]

The guest prints KTAP (Documentation/dev-tools/ktap.rst): bench/init is the
top-level test, each scenario a subtest, each check a test case, and a test
tool a subtest of its scenario. The tree's own KUnit parser
(tools/testing/kunit/kunit_parser.py) reads it; with --kunit it also reads
the kernel's KUnit output, from the printk lines. Kernel reports in the
same log (panic, oops, WARNING, lockdep, KASAN, UBSAN, kmemleak, DMA-API
debug, hung task, RCU stall, IOMMU fault, unclassified stack dumps: see
kernel_reports.py) are failures.

What the topology must run comes from the plan (bench/plan): a scenario
declared to run there must pass with at least its declared number of
passed checks and no skipped one; a scenario or check declared to skip
there must skip (and says why). An IOMMU fault is allowed only inside the
scenario that announced it, before provoking it, with a diagnostic line
"# expect-fault: device=BB:DD.F addr=0xADDR" (same device, same 4 KiB
page). --allow REGEX (repeatable) allows other kernel lines by text.

Output: one line per scenario (and per KUnit suite), "problem: KIND: ..."
lines, then "judge: PASS (...)" or "judge: FAIL (...)". The result is also
written once as JSON (--json; default LOG with .json for .log): the reports
and summaries read that file, never the log. Exit 0 pass, 1 fail, 2 usage.
"""

import argparse
import contextlib
import fnmatch
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_reports  # noqa: E402
from kernel_reports import Problem  # noqa: E402

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD') or os.path.join(ROOT, 'build')
TREE = os.environ.get('TREE') or os.path.join(BUILD, 'tree')

PRINTK_PREFIX = kernel_reports.PRINTK_PREFIX
PRINTK_STAMP = kernel_reports.PRINTK_STAMP
# QEMU's own messages, and the host scripts' markers appended after the guest
# was stopped (run-guest: TIMEOUT, kunit32: TIMEOUT)
HOST = re.compile(r'^(?:qemu-system-\S+|run-guest|kunit32): ')
SUBTEST = re.compile(r'^( *)# Subtest: (\S+)\s*$')
RESULT = re.compile(r'^( *)(ok|not ok) \d+ (?:- )?([^#]*?)\s*(?:# (.*))?$')
INFO = re.compile(r'^\s*# info: (\S+) ?(.*)$')
EXPECT_FAULT = re.compile(r'^\s*(?:# )?expect-fault: device=(?:[0-9a-f]{4}:)?'
			  r'([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) addr=(0x[0-9a-f]+)')
SEED = re.compile(r'^# seed: (\d+)')
# The device and address an IOMMU fault line names (intel, amd).
FAULT_AT = [
	re.compile(r'Request device \[([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\] fault addr (0x[0-9a-f]+)'),
	re.compile(r'IO_PAGE_FAULT device=(?:[0-9a-f]{4}:)?([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])'
		   r'.* address=(0x[0-9a-f]+)'),
	# the form amd-iommu prints when the device has a driver
	re.compile(r'(?:[0-9a-f]{4}:)?([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): Event logged '
		   r'\[IO_PAGE_FAULT domain=\S+ address=(0x[0-9a-f]+)'),
]
# The fault line that names no device: the status line before the record,
# when it says a fault record is pending (bit 1) and nothing else.
FAULT_STATUS = re.compile(r'DMAR: DRHD: handling fault status reg 2$')

STATUS = {'SUCCESS': 'PASS', 'FAILURE': 'FAIL', 'SKIPPED': 'SKIP',
	  'TEST_CRASHED': 'CRASH', 'NO_TESTS': 'NONE',
	  'FAILURE_TO_PARSE_TESTS': 'NONE'}


# --- the plan --------------------------------------------------------------

class Plan:
	"""bench/plan: topologies, scenarios, expected skips, KUnit suites."""
	def __init__(self, path):
		self.topologies = {}	# name -> (path, description)
		self.scenarios = {}	# name -> (min checks, description)
		self.mins = {}		# (scenario, topology) -> min checks
		self.skips = {}		# (scenario[/case], topology) -> reason
		self.suites = []
		with open(path) as f:
			for no, line in enumerate(f, 1):
				w = line.split('#', 1)[0].split() if not line.lstrip().startswith('#') else []
				if not w:
					continue
				if w[0] == 'topology' and len(w) >= 3:
					self.topologies[w[1]] = (w[2], ' '.join(line.split()[3:]))
				elif w[0] in ('scenario', 'extra') and len(w) >= 3 and w[2].isdigit():
					self.scenarios[w[1]] = (int(w[2]), ' '.join(line.split()[3:]))
				elif w[0] == 'min' and len(w) == 4 and w[3].isdigit():
					for t in self.expand(w[2]):
						self.mins[(w[1], t)] = int(w[3])
				elif w[0] == 'skip' and len(w) >= 4:
					for t in self.expand(w[2]):
						self.skips[(w[1], t)] = ' '.join(line.split()[3:])
				elif w[0] == 'suite' and len(w) == 2:
					self.suites.append(w[1])
				else:
					raise ValueError('%s:%d: cannot read "%s"' % (path, no, line.strip()))

	def expand(self, spec):
		return list(self.topologies) if spec == '*' else spec.split(',')

	def min_checks(self, scenario, topology):
		return self.mins.get((scenario, topology), self.scenarios.get(scenario, (0,))[0])


# --- the log ---------------------------------------------------------------

def split_log(lines):
	"""(kernel, console): (line number, text) of the printk lines without
	their time stamps, and (first line number, text, last line number) of
	everything else (what userspace printed on the console) but the host's
	own lines (QEMU's, the host scripts' markers).

	The kernel writes each printk line whole, but into the middle of a
	line userspace is printing: "    ok 2 dbuf[    9.123456] ...\n" and
	then "test-faults". The printk line is split off and the console line
	joined again from its part before and its rest, the next line that is
	not a printk one (empty if only the newline was left). A joined line
	spans from its first part to its rest: a scenario that ends with it
	holds the printk lines inside it, a fault it announces comes after its
	first part. Before the kernel's first line the text in front of it is
	the firmware's, and has no rest."""
	kernel, console = [], []
	cut = None	# (line number, text) of a console line a printk line cut
	for no, raw in enumerate(lines, 1):
		if HOST.match(raw):
			continue
		m = PRINTK_PREFIX.match(raw)
		if m:
			kernel.append((no, raw[m.end():]))
			continue
		s = PRINTK_STAMP.search(raw)
		if s and s.start() > 0:
			head = raw[:s.start()]
			if cut:
				cut = (cut[0], cut[1] + head)
			elif kernel:
				cut = (no, head)
			else:
				console.append((no, head, no))
			kernel.append((no, kernel_reports.message(raw[s.start():])))
			continue
		if cut:
			console.append((cut[0], cut[1] + raw, no))
			cut = None
		else:
			console.append((no, raw, no))
	if cut:
		console.append(cut + (len(lines),))
	return kernel, console


def ktap_parse(texts, kunit_dir):
	"""Parse KTAP lines with the tree's kunit_parser; returns (Test, errors).
	The parser's own progress output is kept, not printed."""
	if kunit_dir not in sys.path:
		sys.path.insert(0, kunit_dir)
	import kunit_parser  # noqa: E402
	import kunit_printer  # noqa: E402
	out = io.StringIO()
	saved = kunit_printer.stdout._output
	kunit_printer.stdout._output = out
	try:
		with contextlib.redirect_stdout(out):
			test = kunit_parser.parse_run_tests(texts)
	finally:
		kunit_printer.stdout._output = saved
	errors = [re.sub(r'^\[\d\d:\d\d:\d\d\] (?:\S*\[ERROR\]\S* )?', '', l)
		  for l in out.getvalue().splitlines() if '[ERROR]' in l]
	return test, errors


def status(test):
	return STATUS.get(test.status.name, test.status.name)


def to_dict(test):
	d = {'name': test.name, 'status': status(test)}
	if test.subtests:
		d['subtests'] = [to_dict(t) for t in test.subtests]
	if test.log:
		d['log'] = [l.strip() for l in test.log if l.strip()]
	return d


def leaves(test, parent=None):
	"""The test cases under TEST (tests without subtests), with their paths
	and parents."""
	if not test.subtests:
		yield [test.name], test, parent
		return
	for t in test.subtests:
		for path, leaf, up in leaves(t, test):
			yield [test.name] + path, leaf, up


def bad_nodes(test, path=()):
	"""Tests (at any depth) that failed or crashed, as dotted names."""
	here = path + (test.name or '?',)
	if status(test) in ('FAIL', 'CRASH'):
		yield '.'.join(here)
	for t in test.subtests:
		yield from bad_nodes(t, here)


def detail(test, parent=None):
	"""A check's detail: its last diagnostic line '# NAME: detail'. The
	parser gives the lines before a subtest's first case to the subtest."""
	for log in (test.log, parent.log if parent else []):
		for l in reversed(log):
			l = l.strip()
			if l.startswith('# %s: ' % test.name):
				return l[len(test.name) + 4:]
	return ''


class Scopes:
	"""Which scenario each console line belongs to, and the IOMMU faults
	each scenario announced (and when)."""
	def __init__(self, console, kernel):
		self.spans = []		# (first line, last line, scenario)
		self.expected = []	# (line, scenario, device, page)
		self.infos = []		# (scenario, name, text)
		self.seed = None
		self.skipped = {}	# scenario -> the reason its result line gives
		cur, start = None, 0
		for no, text, last in console:
			m = SUBTEST.match(text)
			if m and len(m.group(1)) == 4:
				cur, start = m.group(2), no
				continue
			r = RESULT.match(text)
			if r and not r.group(1) and cur and r.group(3) == cur:
				self.spans.append((start, last, cur))
				if (r.group(4) or '').startswith('SKIP'):
					self.skipped[cur] = r.group(4)[4:].strip()
				cur = None
				continue
			m = EXPECT_FAULT.match(text)
			if m:
				self.expected.append((no, cur, m.group(1), int(m.group(2), 16) >> 12))
			m = INFO.match(text)
			if m:
				self.infos.append((cur, m.group(1), m.group(2)))
			m = SEED.match(text)
			if m and self.seed is None:
				self.seed = int(m.group(1))
		if cur:
			self.spans.append((start, float('inf'), cur))
		# announced in the kernel log too: in order with the fault itself
		for no, text in kernel:
			m = EXPECT_FAULT.match(text)
			if m:
				self.expected.append((no, self.scenario_at(no), m.group(1),
						      int(m.group(2), 16) >> 12))

	def scenario_at(self, no):
		for a, b, s in self.spans:
			if a <= no <= b:
				return s
		return None

	def fault_expected(self, no, text):
		s = self.scenario_at(no)
		if s is None:
			return False
		mine = [e for e in self.expected if e[1] == s and e[0] < no]
		if not mine:
			return False
		if FAULT_STATUS.search(text):
			return True
		for rx in FAULT_AT:
			m = rx.search(text)
			if m:
				return any(dev == m.group(1) and page == int(m.group(2), 16) >> 12
					   for _, _, dev, page in mine)
		return False


# --- verdicts --------------------------------------------------------------

def judge_bench(test, errors, plan, topology, requested, skipped):
	"""Rows (one per scenario) and problems of the bench KTAP."""
	rows, problems = [], []
	scenarios = {}
	named = [t for t in test.subtests if t.name] if test else []
	for t in named:
		if t.name in scenarios:
			problems.append(Problem('duplicate', 0, '%s ran twice: its results are '
						'%s, then %s' % (t.name, status(scenarios[t.name]),
								 status(t)), t.name))
			if status(t) == 'PASS':
				continue	# judge the worse of the two
		scenarios[t.name] = t
	for e in errors:
		problems.append(Problem('ktap', 0, e))
	if test and test.expected_count and len(named) < test.expected_count:
		problems.append(Problem('missing', 0, '%d of the %d scenarios the guest planned '
			'have no result: it died, hung or timed out' % (
				test.expected_count - len(named), test.expected_count)))
	names = list(requested) + [n for n in scenarios if n not in requested]
	for name in names:
		t = scenarios.get(name)
		row = {'name': name, 'status': 'MISSING', 'passed': 0, 'failed': 0,
		       'skipped': 0, 'expected': 'run', 'min': 0, 'why': ''}
		rows.append(row)
		if name not in plan.scenarios:
			problems.append(Problem('undeclared', 0, '%s: no such scenario in the plan' % name, name))
			row['status'] = 'FAIL'
			continue
		want_skip = plan.skips.get((name, topology))
		row['min'] = plan.min_checks(name, topology)
		if want_skip is not None:
			row['expected'], row['why'] = 'skip', want_skip
		if t is None:
			problems.append(Problem('missing', 0, '%s: no result: the guest died, hung '
						'or never ran it' % name, name))
			continue
		row['cases'] = []
		unplanned = []
		bad = list(bad_nodes(t))
		st = status(t)
		for path, leaf, up in leaves(t) if t.subtests else ():
			lst = status(leaf)
			case = '/'.join(path[1:])
			row['cases'].append({'name': case, 'status': lst, 'detail': detail(leaf, up)})
			if lst == 'PASS':
				row['passed'] += 1
			elif lst == 'SKIP':
				row['skipped'] += 1
				why = plan.skips.get((name + '/' + path[-1], topology))
				row['cases'][-1]['why'] = why or want_skip or ''
				if why is None and want_skip is None:
					unplanned.append(case)
			else:
				row['failed'] += 1
		for (what, topo), why in plan.skips.items():
			c = what.split('/', 1)
			if topo != topology or c[0] != name or len(c) != 2 or st == 'SKIP':
				continue
			mine = [x for x in row['cases'] if c[1] in x['name'].split('/')]
			if not any(x['status'] == 'SKIP' for x in mine):
				problems.append(Problem('unexpected-run', 0, '%s: %s %s on %s, where'
					' the plan says it skips (%s)' % (name, c[1],
					'ran' if mine else 'did not show', topology, why), name))
		if unplanned:
			problems.append(Problem('unexpected-skip', 0, '%s: %d check(s) skipped on %s,'
				' where the plan says they run: %s' % (name, len(unplanned),
				topology or 'this topology', ', '.join(unplanned[:3]) +
				(' and %d more' % (len(unplanned) - 3) if len(unplanned) > 3 else '')), name))
		if want_skip is not None:
			if st == 'SKIP' and not bad and not row['failed'] and not row['passed']:
				row['status'] = 'SKIP'
				row['skipped'] += not t.subtests
			elif st == 'SKIP':
				row['status'] = 'FAIL'
				problems.append(Problem('fail', 0, '%s: skipped as planned, but after '
					'checks that ran: %s' % (name, ', '.join(bad[:5]) or
					'%d passed' % row['passed']), name))
			else:
				row['status'] = 'FAIL'
				problems.append(Problem('unexpected-run', 0, '%s: ran on %s, where the plan'
					' says it skips (%s)' % (name, topology, want_skip), name))
			continue
		if bad or row['failed']:
			row['status'] = 'FAIL'
			problems.append(Problem('fail', 0, '%s: %s' % (name, ', '.join(bad[:5]) +
				(' and %d more' % (len(bad) - 5) if len(bad) > 5 else '')), name))
		elif st == 'SKIP':
			row['status'] = 'FAIL'
			row['skipped'] += not t.subtests
			reason = skipped.get(name, '')
			problems.append(Problem('unexpected-skip', 0, '%s: skipped on %s, where the'
				' plan says it runs (%s)' % (name, topology or 'this topology', reason), name))
		elif row['passed'] < row['min']:
			row['status'] = 'FAIL'
			problems.append(Problem('too-few', 0, '%s: %d checks passed, the plan says at'
				' least %d' % (name, row['passed'], row['min']), name))
		elif any(p.name == name for p in problems):
			row['status'] = 'FAIL'
		else:
			row['status'] = 'PASS'
	return rows, problems


def kunit_runs(texts, kunit_dir):
	"""The suites and parser errors of every KUnit run in the kernel's
	lines. The built-in suites print one KTAP document at boot; a module
	of suites prints one more when it is loaded (with kunit.enable=1), so
	each top-level "KTAP version" line starts a document of its own."""
	docs = []
	for t in texts:
		if KUNIT_DOC.match(t) or not docs:
			docs.append([])
		docs[-1].append(t)
	subtests, errors = [], []
	for doc in docs:
		test, errs = ktap_parse(doc, kunit_dir)
		if test.name != '<missing>':
			subtests += test.subtests
			errors += errs
	return subtests, errors


KUNIT_DOC = re.compile(r'^K?TAP version \d+$')


def judge_kunit(runs, suites, plan, topology):
	"""Rows (one per suite) and problems of the kernel's KUnit KTAP
	(kunit_runs()). On a bench topology, a skipped case needs a "skip
	kunit:SUITE/CASE" line of the plan (CASE may be a glob)."""
	rows, problems = [], []
	subtests, errors = runs
	found = {}
	for t in subtests:
		if t.name in found:
			problems.append(Problem('duplicate', 0, 'KUnit suite %s ran twice' % t.name, t.name))
		elif t.name:
			found[t.name] = t
	planned = [(w[len('kunit:'):].split('/', 1), why) for (w, topo), why in plan.skips.items()
		   if topo == topology and w.startswith('kunit:') and '/' in w]
	for name, t in found.items():
		c = {'PASS': 0, 'SKIP': 0, 'FAIL': 0}
		unplanned = []
		for _, leaf, _ in leaves(t):
			st = status(leaf)
			c[st if st in c else 'FAIL'] += 1
			if st == 'SKIP' and topology and not any(
					s == name and fnmatch.fnmatchcase(leaf.name, k) for (s, k), _ in planned):
				unplanned.append(leaf.name)
		if unplanned:
			problems.append(Problem('unexpected-skip', 0, 'KUnit %s: %d case(s) skipped on '
				'%s, where the plan says they run: %s' % (name, len(unplanned), topology,
				', '.join(unplanned[:3])), name))
		row = {'name': name, 'passed': c['PASS'], 'skipped': c['SKIP'], 'failed': c['FAIL']}
		bad = list(bad_nodes(t))
		row['status'] = 'FAIL' if bad or c['FAIL'] else 'PASS' if c['PASS'] else 'NONE'
		rows.append(row)
		if bad or c['FAIL']:
			problems.append(Problem('kunit-fail', 0, '%s: %s' % (name, ', '.join(bad[:5])), name))
	for name in suites:
		if name not in found:
			problems.append(Problem('kunit-missing', 0, '%s: the suite did not run' % name, name))
			rows.append({'name': name, 'status': 'MISSING', 'passed': 0, 'skipped': 0, 'failed': 0})
		elif not any(r['name'] == name and r['passed'] for r in rows):
			problems.append(Problem('kunit-no-tests', 0, '%s: no case passed' % name, name))
	if not found:
		problems.append(Problem('kunit-no-tests', 0, 'no KUnit suite ran'))
	for e in errors:
		problems.append(Problem('ktap', 0, 'KUnit: ' + e))
	return rows, problems


def parse_args(argv):
	ap = argparse.ArgumentParser(prog='judge.py',
				     description='The verdict of a bench guest run.')
	ap.add_argument('log', metavar='LOG')
	ap.add_argument('--topology', default='', help='the topology the run booted')
	ap.add_argument('--scenarios', default='', metavar='a,b',
			help='the scenarios the run was asked to run')
	ap.add_argument('--kunit', action='store_true', help="judge the kernel's KUnit KTAP too")
	ap.add_argument('--suites', default=None, metavar='a,b',
			help='KUnit suites that must run and pass (default: the plan\'s)')
	ap.add_argument('--no-bench', action='store_true',
			help='the guest has no bench userspace (kunit32)')
	ap.add_argument('--plan', default=os.path.join(ROOT, 'bench/plan'))
	ap.add_argument('--allow', action='append', default=[], metavar='REGEX')
	ap.add_argument('--json', metavar='FILE')
	ap.add_argument('--kunit-dir', default=os.path.join(TREE, 'tools/testing/kunit'))
	args = ap.parse_args(argv)
	try:
		args.allow = [re.compile(r) for r in args.allow]
	except re.error as e:
		ap.error('--allow: bad regular expression: %s' % e)
	args.scenarios = [s for s in args.scenarios.split(',') if s]
	if not os.path.isfile(os.path.join(args.kunit_dir, 'kunit_parser.py')):
		ap.error('no kunit_parser.py in %s (make tree, or --kunit-dir)' % args.kunit_dir)
	if args.json is None:
		args.json = re.sub(r'\.log$', '', args.log) + '.json'
	return args


def main(argv):
	args = parse_args(argv)
	try:
		plan = Plan(args.plan)
		with open(args.log, 'rb') as f:
			data = f.read()
	except (OSError, ValueError) as e:
		print('judge.py: error: %s' % e, file=sys.stderr)
		return EXIT_USAGE
	text = data.decode('utf-8', errors='replace').replace('\r', '').replace('\0', '')
	lines = text.split('\n')
	if lines and lines[-1] == '':
		lines.pop()
	kernel, console = split_log(lines)
	scopes = Scopes(console, kernel)

	def allowed(no, t):
		return any(r.search(t) for r in args.allow) or scopes.fault_expected(no, t)

	reports = kernel_reports.KernelReports(allowed)
	for no, t in kernel:
		reports.feed(no, t)
	problems = reports.problems()

	rows = []
	bench = None
	if not args.no_bench:
		bench, errors = ktap_parse([t for _, t, _ in console], args.kunit_dir)
		if bench.name == '<missing>':
			bench, errors = None, []
			problems.append(Problem('no-ktap', 0, 'the guest printed no KTAP: it '
						'never reached /init, or died'))
		rows, p = judge_bench(bench, errors, plan, args.topology, args.scenarios,
				      scopes.skipped)
		problems += p
		if bench and bench.expected_count is None:
			problems.append(Problem('ktap', 0, 'the bench printed no plan line'))
		if not rows and not args.kunit:
			problems.append(Problem('no-results', 0, 'no scenario ran'))
	suites = []
	if args.kunit:
		want = plan.suites if args.suites is None else [s for s in args.suites.split(',') if s]
		suites, p = judge_kunit(kunit_runs([t for _, t in kernel], args.kunit_dir),
					want, plan, args.topology)
		problems += p

	counts = {k: sum(r[k] for r in rows + suites) for k in ('passed', 'failed', 'skipped')}
	verdict = 'FAIL' if problems else 'PASS'
	result = {
		'log': os.path.abspath(args.log), 'topology': args.topology,
		'seed': scopes.seed, 'verdict': verdict, 'counts': counts,
		'scenarios': rows, 'kunit': suites if args.kunit else None,
		'skips_expected': [{'scenario': r['name'], 'why': r['why']}
				   for r in rows if r['status'] == 'SKIP'],
		'infos': [{'scenario': s, 'name': n, 'text': t,
			   'kv': dict(re.findall(r'(\w+)=("[^"]*"|\S+)', t))}
			  for s, n, t in scopes.infos],
		'problems': [{'kind': p.kind, 'line': p.line, 'text': p.text,
			      'count': p.count} for p in problems],
		'tree': to_dict(bench) if bench else None,
	}
	try:
		with open(args.json, 'w') as f:
			json.dump(result, f, indent=1)
			f.write('\n')
	except OSError as e:
		print('judge.py: error: cannot write %s: %s' % (args.json, e.strerror), file=sys.stderr)
		return EXIT_USAGE

	for r in rows:
		how = '%d passed, %d failed, %d skipped' % (r['passed'], r['failed'], r['skipped'])
		if r['status'] == 'SKIP':
			how = 'skipped as planned: ' + r['why']
		print('scenario: %-14s %-7s %s' % (r['name'], r['status'], how))
	for r in suites:
		print('kunit: %-24s %-7s %d passed, %d failed, %d skipped'
		      % (r['name'], r['status'], r['passed'], r['failed'], r['skipped']))
	problems.sort(key=lambda p: (p.line == 0, p.line))
	for p in problems:
		print(p.format())
	summary = 'passed %(passed)d, failed %(failed)d, skipped %(skipped)d' % counts
	if problems:
		kinds = list(dict.fromkeys(p.kind for p in problems))
		print('judge: FAIL (%s; %s)' % (', '.join(kinds), summary))
		return EXIT_FAIL
	print('judge: PASS (%s)' % summary)
	return EXIT_PASS


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
