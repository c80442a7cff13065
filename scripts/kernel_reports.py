# SPDX-License-Identifier: GPL-2.0
"""Kernel reports in a guest's serial console log.

Imported by judge.py. KernelReports.feed() takes the kernel's lines (printk
time stamp removed) with their line numbers; problems() then lists each
distinct report that is not allowed: panic, oops/BUG, WARNING, lockdep,
KASAN, UBSAN, kmemleak, DMA-API debug, hung task, RCU stall, IOMMU fault,
or a "Call Trace:" that belongs to none of these (a splat).

A report is allowed when every one of its header lines is, as the caller's
allowed(line number, text) says; the stack dump that follows an allowed
line is not a splat either.
"""

import re

# "[    1.234567] " and, with CONFIG_PRINTK_CALLER, "[    1.234567][    T1] ".
PRINTK_PREFIX = re.compile(r'^\[\s*\d+\.\d+\](?:\[\s*[TC]\d+\])?\s?')
PRINTK_STAMP = re.compile(r'\[\s*\d+\.\d{6}\]')

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
		r'|(?:AMD-Vi: |: )Event logged \['
		r'|VT-d detected Invalidation', 0),
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



class KernelReports:
	"""The kernel reports of one log, fed line by line in log order."""
	def __init__(self, allowed):
		self.allowed = allowed	# allowed(line number, text) -> bool
		self.reports = []
		self.lines = {}		# line number -> text, for context()

	def feed(self, no, text):
		text = text.rstrip()
		if not text.strip():
			return
		self.lines[no] = text
		allowed = self.allowed(no, text)
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
			text = self.lines.get(i, '').strip()
			if i in self.lines and not DUMP_PREAMBLE.match(text):
				return 'line %d: %s' % (i, text)
		return 'nothing recognisable'

	def problems(self):
		"""One Problem per distinct report that is not allowed."""
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
