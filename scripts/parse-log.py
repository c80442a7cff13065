#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Decide whether a QEMU guest run of the mmio-dmabuf bench passed.

usage: parse-log.py LOG [--expect a,b,c] [--kunit] [--ktap-tool KUNIT_PY]
                        [--allow REGEX]... [--summary FILE]

LOG is the guest's serial console log. The guest prints, possibly
interleaved with kernel printk lines:

  BENCH-PLAN <name>...              what it intends to run
  BENCH-RESULT <name> PASS|FAIL <detail>
  BENCH-INFO <name> key=value...    informational, kept for reports
  BENCH-DONE                        it finished; it then powers off

The run fails on a FAIL result, a planned or --expect'ed name without a
result, a name with both PASS and FAIL, a malformed BENCH line, no result at
all (outside --kunit), a missing BENCH-DONE, and on any kernel report: panic,
oops/BUG, WARNING, lockdep, KASAN, UBSAN, kmemleak, DMA-API debug, hung task,
RCU stall, IOMMU fault, or a "Call Trace:" that belongs to none of these.
--allow REGEX (repeatable) whitelists the lines a scenario causes on purpose
(searched for in each line without its printk time stamp): a report whose
header lines all match an --allow REGEX is not a problem, and the Call Trace
that follows an allowed line is not an unclassified splat.
With --kunit, the KTAP output of built-in KUnit suites is judged by the
tree's own parser (tools/testing/kunit/kunit.py parse).

Output: "result: NAME PASS|FAIL|MISSING DETAIL" lines, "kunit: ..." with
--kunit, "problem: KIND: [line N: ]TEXT" lines (the first offending line of
each distinct problem), then "parse-log: PASS (N results)" or
"parse-log: FAIL (reasons)". Problem kinds: result-fail, conflict,
missing-result, malformed, no-results, missing-done, panic, oops, warning,
lockdep, kasan, ubsan, kmemleak, dma-api, hung-task, rcu-stall, iommu-fault,
splat (a stack dump of no known kind), kunit-fail, kunit-crash,
kunit-no-tests (none ran, or all were skipped), kunit-error (KTAP parse
errors), kunit-tool (kunit.py itself failed).
--summary FILE gets "NAME<TAB>STATUS<TAB>DETAIL" lines: the results (and
MISSING ones), "kunit" with --kunit, then the BENCH-INFO lines as
"NAME<TAB>INFO<TAB>key=value...".

Exit status: 0 pass, 1 fail, 2 usage error (or the log or kunit.py cannot
be read).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

EXIT_PASS, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.environ.get('TREE') or os.path.join(
	os.environ.get('BUILD') or os.path.join(ROOT, 'build'), 'tree')
DEFAULT_KUNIT_PY = os.path.join(TREE, 'tools/testing/kunit/kunit.py')

# "[    1.234567] " and, with CONFIG_PRINTK_CALLER, "[    1.234567][    T1] ".
PRINTK_PREFIX = re.compile(r'^\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?\s?')
PRINTK_STAMP = re.compile(r'\[\s*\d+\.\d{6}\]')
BENCH = re.compile(r'BENCH-(PLAN|RESULT|INFO|DONE)(?=\s|$)')

# Kernel reports. For one line the first matching rule wins, so the
# specific kinds come before the generic ones (a lockdep report starts with
# "WARNING:", a KASAN one with "BUG:"). 'trace' says whether the report
# goes on with a stack dump ("Call Trace:"), and how many lines after its
# last header line that dump may still start.
DMA_API_BENIGN = (
	r'preallocated \d+ debug entries', r'debugging enabled by kernel config',
	r'debugging disabled on kernel command line',
	r'dma_debug_entry pool grown to', r'switching off dma-debug driver filter',
	r'enable driver filter for driver', r'Mapped at:',
	r'\d+ debug entries requested but only')
LOCKDEP = (
	r'possible circular locking dependency detected',
	r'possible recursive locking detected',
	r'possible irq lock inversion dependency detected',
	r'inconsistent lock state', r'suspicious RCU usage',
	r'\S+-safe -> \S+-unsafe lock order detected',
	r'bad unlock balance detected', r'held lock freed',
	r'\S+/\d+ still has locks held', r'lock held when returning to user space',
	r'Nested lock was not taken', r'chain_key collision',
	r'bad contention detected', r'trying to register non-static key',
	r'BUG: key \S+ has not been registered', r'BUG: MAX_(LOCK|STACK_TRACE)\w*',
	r'looking up invalid subclass', r'DEBUG_LOCKS_WARN_ON\(')
RULES = [
	# kind, pattern, trace window (0: the report has no stack dump)
	('kasan', r'\bKASAN:', 120),
	('ubsan', r'\bUBSAN:', 120),
	('kmemleak', r'kmemleak: \d+ new suspected memory leaks?'
		r'|\bunreferenced object 0x[0-9a-f]+', 0),
	('dma-api', r'\bDMA-API: (?!(?:%s))' % '|'.join(DMA_API_BENIGN), 120),
	('lockdep', '|'.join(LOCKDEP), 400),
	('hung-task', r'\bINFO: task .+ blocked for more than \d+ seconds', 120),
	('rcu-stall', r'\bINFO: \S+ (?:self-)?detected (?:expedited )?stalls?\b', 400),
	('iommu-fault', r'DMAR: DRHD: handling fault status'
		r'|DMAR: \[(?:DMA (?:Read|Write)|INTR-REMAP)[^\]]*\] Request device'
		r'|(?:AMD-Vi: |: )Event logged \[', 0),
	('panic', r'(?<!end )\bKernel panic\b', 120),
	('oops', r'\bBUG:|\bOops:|general protection fault|kernel BUG at', 120),
	('warning', r'\bWARNING:', 120),
]
RULES = [(k, re.compile(p), w) for k, p, w in RULES]
CALL_TRACE = re.compile(r'\bCall Trace:')
END_OF_REPORT = re.compile(r'---\[ end (?:trace|Kernel panic)|^={30,}$')
# Most specific first: the kind a report made of several header lines
# (a WARN that carries a DMA-API message, a BUG: line and its Oops:) gets.
PRECEDENCE = ['kasan', 'ubsan', 'kmemleak', 'dma-api', 'lockdep', 'hung-task',
	      'rcu-stall', 'iommu-fault', 'panic', 'oops', 'warning', 'splat']
# Header lines this close to the previous one belong to the same report.
MERGE_GAP = 4
# The lines of a stack dump's preamble, skipped to name what dumped it.
DUMP_PREAMBLE = re.compile(
	r'^(?:CPU: \d+ |Tainted: |Hardware name: |Workqueue: |Sending NMI |'
	r'NMI backtrace |RIP: |Code: |RSP: |RAX: |RDX: |RBP: |R\d+: |FS: |CS: |'
	r'CR2: |DR\d: |PKRU: |Modules linked in|Call Trace:|<TASK>|task:|'
	r'\s*$|-+\[ cut here \]-+$)')

RESULT_KINDS = ('result-fail', 'conflict', 'missing-result')


class Problem:
	def __init__(self, kind, line, text, name=None):
		self.kind, self.line, self.text, self.name = kind, line, text, name
		self.count = 1

	def format(self):
		where = 'line %d: ' % self.line if self.line else ''
		more = ' (+%d more)' % (self.count - 1) if self.count > 1 else ''
		return 'problem: %s: %s%s%s' % (self.kind, where, self.text, more)


class Report:
	"""A kernel report: header lines close to each other, and its traces."""
	def __init__(self):
		self.headers = []	# (kind, line number, text, allowed)
		self.last = 0		# line number of its last header or trace
		self.window = 0
		self.ended = False

	def add(self, kind, no, text, allowed, window):
		self.headers.append((kind, no, text, allowed))
		self.last = no
		self.window = max(self.window, window)

	def kinds(self):
		return {h[0] for h in self.headers}

	def problem(self):
		if all(h[3] for h in self.headers):
			return None
		kind = min(self.kinds() & set(PRECEDENCE), key=PRECEDENCE.index)
		first = next(h for h in self.headers if h[0] == kind)
		return Problem(kind, first[1], first[2])


def message(line):
	"""The text of a console line without its printk time stamp."""
	return PRINTK_PREFIX.sub('', line, count=1)


def signature(kind, text):
	"""What makes two reports the same problem: the text without numbers."""
	if kind == 'kmemleak':
		return kind
	text = re.sub(r'0x[0-9a-fA-F]+|\b[0-9a-f]{8,}\b', 'X', text)
	return kind + ':' + re.sub(r'\d+', 'N', text)


class Log:
	def __init__(self, allow):
		self.allow = allow
		self.plan = []			# (name, line number)
		self.results = {}		# name -> list of (status, detail, line number)
		self.infos = []			# (name, rest)
		self.done = None
		self.reports = []
		self.problems = []		# bench-protocol problems
		self.lines = []

	def allowed(self, text):
		return any(r.search(text) for r in self.allow)

	def feed(self, lines):
		self.lines = lines
		for no, raw in enumerate(lines, 1):
			msg = message(raw)
			m = BENCH.search(msg)
			if m:
				bench = msg[m.start():]
				self.kernel_line(no, msg[:m.start()])
				s = PRINTK_STAMP.search(bench)
				if s:
					# A printk line glued to the end of the bench line.
					self.kernel_line(no, message(bench[s.start():]))
					bench = bench[:s.start()]
				self.bench_line(no, bench.rstrip())
			else:
				self.kernel_line(no, msg)

	def bench_line(self, no, text):
		words = text.split(None, 3)
		tag = words[0]
		if tag == 'BENCH-PLAN':
			self.plan += [(n, no) for n in text.split()[1:]]
		elif tag == 'BENCH-DONE':
			if self.done is None:
				self.done = no
		elif tag == 'BENCH-INFO':
			if len(words) < 2:
				self.problems.append(Problem('malformed', no, text))
			else:
				self.infos.append((words[1], ' '.join(text.split()[2:])))
		elif tag == 'BENCH-RESULT':
			if len(words) < 3 or words[2] not in ('PASS', 'FAIL'):
				self.problems.append(Problem('malformed', no, text))
				return
			detail = words[3].strip() if len(words) > 3 else ''
			self.results.setdefault(words[1], []).append((words[2], detail, no))

	def kernel_line(self, no, text):
		text = text.rstrip()
		if not text.strip():
			return
		allowed = self.allowed(text)
		cur = self.reports[-1] if self.reports else None
		if cur and END_OF_REPORT.search(text.strip()):
			cur.ended = True
			return
		for kind, rx, window in RULES:
			if rx.search(text):
				break
		else:
			kind = None
		if kind:
			if (cur and not cur.ended and kind != 'panic' and
			    'panic' not in cur.kinds() and no - cur.last <= MERGE_GAP):
				cur.add(kind, no, text, allowed, window)
			else:
				r = Report()
				r.add(kind, no, text, allowed, window)
				self.reports.append(r)
			return
		if allowed:
			# An allowed line that is no report (a fault injection, say)
			# still owns the stack dump that follows it.
			r = Report()
			r.add('allowed', no, text, True, 60)
			self.reports.append(r)
			return
		if CALL_TRACE.search(text):
			if cur and not cur.ended and cur.window and no - cur.last <= cur.window:
				cur.last = no
				return
			r = Report()
			r.add('splat', no, '%s (after %s)' % (text.strip(), self.context(no)),
			      False, 120)
			self.reports.append(r)

	def context(self, no):
		"""The line that a stack dump at line NO follows, to name it."""
		for i in range(no - 1, max(0, no - 40), -1):
			text = message(self.lines[i - 1]).strip()
			if not DUMP_PREAMBLE.match(text):
				return 'line %d: %s' % (i, text)
		return 'nothing recognisable'

	def kernel_problems(self):
		seen = {}
		out = []
		for r in self.reports:
			if r.kinds() == {'allowed'}:
				continue
			p = r.problem()
			if not p:
				continue
			key = signature(p.kind, p.text)
			if key in seen:
				seen[key].count += 1
			else:
				seen[key] = p
				out.append(p)
		return out


def run_kunit(tool, text, lines):
	"""Judge the KTAP output with kunit.py parse. Returns (problems, summary)."""
	with tempfile.TemporaryDirectory(prefix='parse-log.') as tmp:
		out_json = os.path.join(tmp, 'kunit.json')
		try:
			# The log goes in on stdin. '--json=FILE', not '--json FILE':
			# its FILE is optional, and argparse then mixes the two up.
			proc = subprocess.run(
				[sys.executable, tool, 'parse', '--json=' + out_json],
				input=text, capture_output=True, encoding='utf-8',
				errors='replace', timeout=300,
				env=dict(os.environ, PYTHONIOENCODING='utf-8'))
		except (OSError, subprocess.SubprocessError) as e:
			return [Problem('kunit-tool', 0, '%s parse: %s' % (tool, e))], None
		tree = None
		if os.path.exists(out_json):
			try:
				with open(out_json) as f:
					tree = json.load(f)
			except (OSError, ValueError):
				pass
	# Its output: "[HH:MM:SS] Testing complete. Ran 10 tests: passed: 8,
	# crashed: 2, errors: 3", and "[ERROR] Test: NAME: MESSAGE" lines.
	# Exit 0 only if the tests passed (all skipped counts as failure).
	output = [re.sub(r'^\[\d\d:\d\d:\d\d\] ', '', l) for l in proc.stdout.splitlines()]
	summary = next((l for l in output if l.startswith('Testing complete. ')), None)
	m = summary and re.match(r'Testing complete\. Ran (\d+) tests(?:: (.*))?$', summary)
	if proc.returncode not in (0, 1) or not m or tree is None:
		why = (proc.stderr.strip().splitlines() or output or ['no output'])[-1]
		return [Problem('kunit-tool', 0, 'kunit.py parse exited %d: %s'
				% (proc.returncode, why))], None
	counts = dict(passed=0, failed=0, crashed=0, skipped=0, errors=0)
	counts['total'] = int(m.group(1))
	for part in (m.group(2) or '').split(','):
		k, _, v = part.partition(':')
		if k.strip() in counts and v.strip().isdigit():
			counts[k.strip()] = int(v)
	errors = [l[len('[ERROR] Test: '):] for l in output if l.startswith('[ERROR] Test: ')]

	cases = {'FAIL': [], 'ERROR': []}
	def walk(group, path):
		for sub in group.get('sub_groups', []):
			walk(sub, path + [sub['name']])
		for i, case in enumerate(group.get('test_cases', []), 1):
			if case['status'] in cases:
				name = case['name'] or '<missing #%d>' % i
				cases[case['status']].append((path, name))
	walk(tree, [])

	def first_line(rx):
		for no, l in enumerate(lines, 1):
			if rx.search(message(l)):
				return no
		return 0

	def names(items):
		shown = ['.'.join(p + [n]) for p, n in items[:5]]
		return ', '.join(shown) + (' and %d more' % (len(items) - 5) if len(items) > 5 else '')

	problems = []
	if counts['passed'] == 0 and not counts['failed'] and not counts['crashed']:
		why = errors[0] if errors else 'only skipped tests' if counts['skipped'] else ''
		problems.append(Problem('kunit-no-tests', 0,
			'no KUnit test ran (%s%s)' % (summary[len('Testing complete. '):],
						       ': ' + why if why else '')))
	if counts['crashed']:
		suites = [p[-1] for p, _ in cases['ERROR'] if p]
		no = first_line(re.compile(r'^\s*# Subtest: %s$' % re.escape(suites[0]))) if suites else 0
		problems.append(Problem('kunit-crash', no, '%d crashed or missing: %s'
			% (counts['crashed'], names(cases['ERROR']) or 'see kunit.py parse')))
	if counts['failed']:
		no = 0
		if cases['FAIL']:
			no = first_line(re.compile(r'^\s*not ok \d+ %s(?:\s|$)'
					% re.escape(cases['FAIL'][0][1])))
		problems.append(Problem('kunit-fail', no, '%d failed: %s'
			% (counts['failed'], names(cases['FAIL']) or 'see kunit.py parse')))
	if not problems and counts['errors']:
		problems.append(Problem('kunit-error', 0, 'KTAP parse errors: %s'
					% '; '.join(errors[:3])))
	if not problems and proc.returncode != 0:
		problems.append(Problem('kunit-fail', 0, 'kunit.py parse exited 1: %s' % summary))
	status = 'FAIL' if problems else 'PASS'
	return problems, (status, summary[len('Testing complete. '):], counts['total'])


def parse_args(argv):
	ap = argparse.ArgumentParser(
		prog='parse-log.py',
		description='Decide from a guest serial log whether a bench run passed.')
	ap.add_argument('log', metavar='LOG', help='the guest serial console log')
	ap.add_argument('--expect', action='append', default=[], metavar='a,b,c',
			help='names that must have a result (repeatable)')
	ap.add_argument('--kunit', action='store_true',
			help='also judge the KTAP output of built-in KUnit suites')
	ap.add_argument('--ktap-tool', metavar='KUNIT_PY', default=DEFAULT_KUNIT_PY,
			help='the tree\'s kunit.py (default: %(default)s)')
	ap.add_argument('--allow', action='append', default=[], metavar='REGEX',
			help='a line a scenario causes on purpose, searched for '
			'without the printk time stamp (repeatable)')
	ap.add_argument('--summary', metavar='FILE',
			help='write "name<TAB>status<TAB>detail" lines to FILE')
	args = ap.parse_args(argv)
	try:
		args.allow = [re.compile(r) for r in args.allow]
	except re.error as e:
		ap.error('--allow: bad regular expression: %s' % e)
	args.expect = [n.strip() for e in args.expect for n in e.split(',') if n.strip()]
	if args.kunit and not os.path.isfile(args.ktap_tool):
		ap.error('--kunit: no kunit.py at %s (use --ktap-tool)' % args.ktap_tool)
	return args


def main(argv):
	args = parse_args(argv)
	try:
		with open(args.log, 'rb') as f:
			data = f.read()
	except OSError as e:
		print('parse-log.py: error: cannot read %s: %s' % (args.log, e.strerror),
		      file=sys.stderr)
		return EXIT_USAGE
	text = data.decode('utf-8', errors='replace').replace('\r', '').replace('\0', '')
	lines = text.split('\n')
	if lines and lines[-1] == '':
		lines.pop()

	log = Log(args.allow)
	log.feed(lines)

	problems = list(log.problems)
	rows = []	# (name, status, detail)
	for name, seen in log.results.items():
		statuses = {s for s, _, _ in seen}
		fails = [r for r in seen if r[0] == 'FAIL']
		status, detail, no = fails[0] if fails else seen[0]
		rows.append((name, status, detail))
		if fails:
			problems.append(Problem('result-fail', no, '%s FAIL %s' % (name, detail), name))
		if len(statuses) > 1:
			later = seen[1:]
			c = next(r for r in later if r[0] != seen[0][0])
			problems.append(Problem('conflict', c[2], '%s: %s at line %d, then %s'
					% (name, seen[0][0], seen[0][2], c[0]), name))
	wanted = [(n, 'planned at line %d' % no) for n, no in log.plan]
	wanted += [(n, 'expected by --expect') for n in args.expect]
	missing = []
	for name, why in wanted:
		if name not in log.results and name not in missing:
			missing.append(name)
			problems.append(Problem('missing-result', 0, 'no result for %s (%s)'
						% (name, why), name))
			rows.append((name, 'MISSING', why))
	if not log.results and not wanted and not args.kunit:
		problems.append(Problem('no-results', 0, 'no BENCH-RESULT line in the log'))
	if log.done is None:
		last = next((('log ends at line %d: %s' % (i + 1, lines[i].strip()))
			     for i in range(len(lines) - 1, -1, -1) if message(lines[i]).strip()),
			    'the log is empty')
		problems.append(Problem('missing-done', 0,
			'no BENCH-DONE: the guest hung, died or timed out (%s)' % last))
	problems += log.kernel_problems()

	kunit = None
	if args.kunit:
		kproblems, kunit = run_kunit(args.ktap_tool, text, lines)
		problems += kproblems

	for name, status, detail in rows:
		print('result: %s %s %s' % (name, status, detail) if detail
		      else 'result: %s %s' % (name, status))
	if kunit:
		print('kunit: %s %s' % (kunit[0], kunit[1]))
	problems.sort(key=lambda p: (p.line == 0, p.line))
	for p in problems:
		print(p.format())

	if args.summary:
		try:
			with open(args.summary, 'w') as f:
				for name, status, detail in rows:
					f.write('%s\t%s\t%s\n' % (name, status, detail))
				if kunit:
					f.write('kunit\t%s\t%s\n' % kunit[:2])
				for name, rest in log.infos:
					f.write('%s\tINFO\t%s\n' % (name, rest))
		except OSError as e:
			print('parse-log.py: error: cannot write %s: %s' % (args.summary, e.strerror),
			      file=sys.stderr)
			return EXIT_USAGE

	nres = len(log.results)
	counted = '%d result%s' % (nres, '' if nres == 1 else 's')
	if kunit:
		counted += ', %d KUnit test%s' % (kunit[2], '' if kunit[2] == 1 else 's')
	if not problems:
		print('parse-log: PASS (%s)' % counted)
		return EXIT_PASS
	reasons = []
	for kind in dict.fromkeys(p.kind for p in problems):
		mine = [p for p in problems if p.kind == kind]
		if kind in RESULT_KINDS:
			reasons.append('%s: %s' % (kind, ' '.join(p.name for p in mine)))
		else:
			n = sum(p.count for p in mine)
			reasons.append(kind if n == 1 else '%s x%d' % (kind, n))
	print('parse-log: FAIL (%s)' % '; '.join(reasons))
	return EXIT_FAIL


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
