#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""series-warnings.py: the warnings of check-series.sh, from checker output
to the patch that introduced each one. check-series.sh runs git, make and
the checkers; this program does the data jobs in between, one subcommand a
job. Input and output are tab-separated lines, bytes kept as they are.

usage: series-warnings.py JOB ARGS...

Reading checker output:
  parse-build LOG SRCDIR OBJDIR   the diagnostics of a make -O log of an
        O=OBJDIR build of the tree SRCDIR (paths printed relative to it):
          W<TAB>object<TAB>kind<TAB>normalised<TAB>raw  (kind w1 or sparse)
          C<TAB>object<TAB>ok|err                       (each object compiled)
          E<TAB><TAB>raw                                (build errors)
        make -O groups the output per target: an object's block runs from
        its "CC" line (compiler output follows) through its "CHECK" line
        (sparse). Diagnostics in Makefiles/Kbuild files go to object
        "(make)", those outside any block to "(other)"; notes and Kconfig
        lines are dropped.
  kconfig-warnings LOG    olddefconfig's warnings, as store entries of the
        object "(kconfig)" (they count as W=1 ones).
  build-errors PARSED     the errors of a parse-build output, once each,
        without make's "Error 2" echoes.
  checkpatch K ROUTED REPORT [ALLOW]   the rows of patch K from a
        checkpatch.pl --show-types report (message and FILE: location);
        ROUTED=1 drops FILE_PATH_CHANGES (the added files already have a
        maintainer); ALLOW ("TYPE<TAB>FILE<TAB>why" lines) drops the
        messages of that type about that file.
  split-output STAGEDIR OUT    a checker's output OUT on the staged file
        versions STAGEDIR/<i>/<path>, split per version: for each
        "i<TAB>path<TAB>dest" on stdin, the lines about <i>/<path> go to
        dest, as "<path>:...".
  checker-rows KIND       for each "k<TAB>file" on stdin, one row
        "k<TAB>KIND<TAB>normalised<TAB>raw" per line of file.

Keeping the warnings of a build dir:
  store-update PARSED STORE   STORE holds "object<TAB>kind<TAB>normalised
        <TAB>raw" for the objects built so far; objects that PARSED says
        compiled without error replace their entries, and "(make)" is
        replaced wholesale; the entries of objects that failed stay (their
        warnings are unknown).
  snapshot STORE SRCDIR OBJDIR DIR...   the entries of STORE for the build
        dirs DIR (and the pseudo-objects but "(other)") whose source still
        exists: the complete warnings at the checked-out commit.

Attributing warnings to patches (states 0 = base .. N = the tip):
  file-states N     from versions.tsv ("k<TAB>path<TAB>blob" for base and
        each patch touching path), "k<TAB>path<TAB>blob" for every state
        k: the version of the last patch touching it, "-" if none.
  attribute N       from "k<TAB>kind<TAB>normalised<TAB>raw" for every
        state, "kind<TAB>k<TAB>note<TAB>raw" for each warning patch k adds
        (see attribute() for the rule).
  tip-vs-base N     of the same rows, the raw lines at the tip of each
        warning the tip has more often than base.
  blame-attribute COMMITS TOUCH   for each "commit<TAB>line" on stdin (git
        blame's commit of the line a cocci report is about), the row
        "cocci<TAB>k<TAB><TAB>line": k is the patch of that commit, or else
        the last patch that touched the file (TOUCH: "k<TAB>path" lines).

The report:
  report NEWALL PATCH...   the table (one row a patch, one column a
        checker, FAIL where NEWALL, "kind<TAB>k<TAB>note<TAB>line", has a
        row) and then each failing cell's lines.

Warnings compare as normalised text: file + message, without the line,
column, offsets or runs of blanks (see norm()), so that the same warning at
another line or from another build path is the same warning. Each job
reads a fixed number of tab-separated fields: a tab inside a raw line ends
that line there.

Exit 0, or 2 on a usage error.
"""

import argparse
import os
import re
import signal
import sys

# --- lines and fields --------------------------------------------------------

# Byte for byte: compiler output need not be UTF-8, and lines end at '\n'
# only (Python's universal newlines would also split at '\r').
ENC = dict(encoding='utf-8', errors='surrogateescape')


def records(text):
	lines = text.split('\n')
	if lines[-1] == '':
		lines.pop()
	return lines


def read_lines(path):
	with open(path, newline='\n', **ENC) as f:
		return records(f.read())


def stdin_lines():
	return records(sys.stdin.buffer.read().decode(**ENC))


def fields(line, n):
	"""The first n tab-separated fields of line, '' for missing ones."""
	f = line.split('\t')
	return (f + [''] * n)[:n]


def out(*f):
	sys.stdout.write('\t'.join(f) + '\n')


def write_lines(path, lines):
	with open(path, 'w', newline='\n', **ENC) as f:
		f.writelines(s + '\n' for s in lines)


# --- normalisation -----------------------------------------------------------

# A location after "file:": "LINE:COL-COL:", "LINE:COL:" or "LINE:", the
# longest first.
LOCATION = [re.compile(r'[0-9]+:[0-9]+-[0-9]+:'), re.compile(r'[0-9]+:[0-9]+:'),
	    re.compile(r'[0-9]+:')]


def unloc(s):
	"""s without a leading location."""
	for loc in LOCATION:
		m = loc.match(s)
		if m:
			return s[m.end():]
	return s


def norm(s):
	"""'file: message' of a diagnostic 'file:LINE:COL: message': no line,
	column or code offsets ("+0x1c" in objtool's), "line N" inside the
	message neither, blanks squeezed."""
	p = s.find(':')
	f, rest = (s[:p], s[p + 1:]) if p >= 0 else ('', s)
	rest = unloc(rest)
	rest = re.sub(r'\+0x[0-9a-f]+', '+0x?', rest)
	rest = re.sub(r'line [0-9]+', 'line ?', rest)
	rest = re.sub(r'[ \t]+', ' ', rest)
	if rest.startswith(' '):
		rest = rest[1:]
	return f + ': ' + rest


# --- reading checker output --------------------------------------------------

COLOUR = re.compile(r'\x1b\[[0-9;]*[mK]')
# "  CC      drivers/pci/pci.o", "  CC [M]  ...", "  CHECK   drivers/pci/pci.c"
KBUILD_STEP = re.compile(r'  [A-Z][A-Z0-9_]*( \[M\])? ')
MAKE_ERROR = re.compile(r'make(\[[0-9]+\])?: \*\*\*')
TOOL_ERROR = re.compile(r'(cc1|gcc|ccache): .*error')
DIAGNOSTIC = re.compile(r'[^ :]+:[0-9]+:([0-9]+:)? |[^ :]+: (warning|error): ')
KCONFIG_FILE = re.compile(r'(^|/)Kconfig')
MAKE_FILE = re.compile(r'(^|/)(Makefile|Kbuild)[^/]*$|\.mk$')


def remove_all(s, sub):
	# Again from the start after each removal: taking a path out may
	# join the text around it into the path again.
	while sub in s:
		s = s.replace(sub, '', 1)
	return s


def parse_build(log, srcdir, objdir):
	# Paths print relative to SRCDIR; objtool names the tree as
	# ../<basename of SRCDIR>/.
	prefixes = [srcdir + '/', '../' + srcdir.rsplit('/', 1)[-1] + '/', objdir + '/']

	def strip(s):
		s = COLOUR.sub('', s)
		# ccache may replay output of another locale: quote as in C.
		s = s.replace('\u2018', "'").replace('\u2019', "'")
		for p in prefixes:
			s = remove_all(s, p)
		return s

	cur = part = ''		# the object whose block this is, w1 or sparse
	compiled, failed = {}, set()
	for raw in read_lines(log):
		line = strip(raw)
		if KBUILD_STEP.match(line):
			words = re.findall(r'[^ \t\n]+', line)	# as awk splits
			tag, target = words[0], words[-1]
			if tag in ('CC', 'AS'):
				cur, part = target, 'w1'
				compiled[cur] = True
			elif tag == 'CHECK':
				cur, part = re.sub(r'\.[cS]$', '.o', target), 'sparse'
			else:
				cur = part = ''
			continue
		if MAKE_ERROR.match(raw):
			out('E', '', line)
			continue
		if TOOL_ERROR.match(line):
			out('E', '', line)
			if cur:
				failed.add(cur)
			continue
		if not DIAGNOSTIC.match(line):
			continue
		rest = unloc(line[line.index(':') + 1:]).lstrip(' ')
		if rest.startswith('note:'):
			continue
		f = line.split(':', 1)[0]
		if KCONFIG_FILE.search(f):
			continue	# kconfig-warnings reads olddefconfig's own log
		o, kind = cur, part
		if MAKE_FILE.search(f):
			o, kind = '(make)', 'w1'
		o = o or '(other)'
		kind = kind or 'w1'
		if kind == 'w1' and re.match(r'(fatal )?error:', rest):
			out('E', '', line)
			failed.add(o)
		out('W', o, kind, norm(line), line)
	# the objects it compiled (a CC or AS line): was there an error?
	for o in sorted(compiled):
		out('C', o, 'err' if o in failed else 'ok')


WARNING = re.compile('warning', re.I | re.A)


def kconfig_warnings(log):
	seen = set()
	for raw in read_lines(log):
		line = COLOUR.sub('', raw)
		if not WARNING.search(line):
			continue
		# A warning about the config itself names no Kconfig file.
		s = line if re.match(r'[^ :]+:[0-9]+:', line) else '.config: ' + line
		row = '\t'.join(('(kconfig)', 'w1', norm(s), line))
		if row not in seen:
			seen.add(row)
			out(row)


def build_errors(parsed):
	seen = set()
	for line in read_lines(parsed):
		tag, _, raw = fields(line, 3)
		if tag == 'E' and not re.search(r'\] Error 2$', raw) and raw not in seen:
			seen.add(raw)
			out(raw)


CHECKPATCH_MSG = re.compile(r'(ERROR|WARNING|CHECK):')
CHECKPATCH_FILE = re.compile(r'#[0-9]+: FILE: ')


def read_allow(path):
	"""The (type, file) pairs of an allow list: "TYPE<TAB>FILE<TAB>why"
	lines, '#' comments and blank lines skipped."""
	allow = set()
	for line in read_lines(path) if path else []:
		if line.strip() and not line.startswith('#'):
			typ, path_, _ = fields(line, 3)
			allow.add((typ, path_))
	return allow


def checkpatch(k, routed, report, allow_path=None):
	"""Each message once, with the FILE: location on the line after it
	if there is one; the "total:" line too unless every message is routed
	away or allowed (a message whose type and file are in the allow list:
	a finding that the code keeps on purpose, e.g. the spelling its
	neighbours use)."""
	allow = read_allow(allow_path)
	msg = ''
	shown = 0
	dropped = 0
	for line in read_lines(report):
		if routed and line.startswith('WARNING:FILE_PATH_CHANGES:'):
			dropped += 1
			continue
		if CHECKPATCH_MSG.match(line):
			msg = line
			continue
		if msg:
			m = CHECKPATCH_FILE.match(line)
			if m:
				where = line[m.end():]
				where = where[:-1] if where.endswith(':') else where
				typ = msg.split(':')[1]
				if (typ, where.rsplit(':', 1)[0]) in allow:
					dropped += 1
				else:
					out('checkpatch', k, '', '%s (%s)' % (msg, where))
					shown += 1
				msg = ''
				continue
			out('checkpatch', k, '', msg)
			msg = ''
			shown += 1
		if line.startswith('total: ') and (shown or not dropped):
			out('checkpatch', k, '', line)
	if msg:
		out('checkpatch', k, '', msg)


def split_output(stagedir, output):
	# The checker names the staged files "[STAGEDIR/]<i>/<path>".
	lines = [s[len(stagedir):] if s.startswith(stagedir) else s
		 for s in read_lines(output)]
	for row in stdin_lines():
		i, path, dest = fields(row, 3)
		pre = '%s/%s:' % (i, path)
		write_lines(dest, [s[len(i) + 1:] for s in lines if s.startswith(pre)])


def checker_rows(kind):
	for row in stdin_lines():
		k, path = fields(row, 2)
		for line in read_lines(path):
			out(k, kind, norm(line), line)


# --- keeping the warnings of a build dir -------------------------------------

def store_update(parsed, store):
	ok = set()
	new = []
	for line in read_lines(parsed):
		f = fields(line, 5)
		if f[0] == 'C' and f[2] == 'ok':
			ok.add(f[1])
		if f[0] == 'W':
			new.append(f[1:])
	old = read_lines(store) if os.path.exists(store) else []
	keep = [s for s in old if fields(s, 1)[0] not in ok and fields(s, 1)[0] != '(make)']
	# "(make)" is every Makefile warning of the build: make reads them all
	# each time.
	keep += ['\t'.join(f) for f in new if f[0] in ok or f[0] == '(make)']
	write_lines(store + '.new', keep)
	os.replace(store + '.new', store)


def snapshot(store, srcdir, objdir, dirs):
	entries = []
	for line in read_lines(store):
		o = fields(line, 1)[0]
		if (o.startswith('(') and o != '(other)') or any(o.startswith(d) for d in dirs):
			entries.append((o, line))
	# An object whose source the checkout removed keeps its entries in the
	# obj dir's store, but they are not warnings of this commit.
	gone = set()
	for o in {o for o, _ in entries if not o.startswith('(')}:
		b = o[:-2] if o.endswith('.o') else o
		if not (os.path.exists('%s/%s.c' % (srcdir, b)) or os.path.exists('%s/%s.S' % (srcdir, b))
			or os.path.exists('%s/%s.c' % (objdir, b))):
			gone.add(o)
	for o, line in entries:
		if o not in gone:
			out(line)


# --- attributing warnings to patches -----------------------------------------

def file_states(n):
	version = {}		# (k, path) -> blob
	paths = {}
	for line in stdin_lines():
		k, path, blob = fields(line, 3)
		version[(k, path)] = blob
		paths[path] = True
	rows = set()
	for path in paths:
		blob = '-'
		for k in range(n + 1):
			blob = version.get((str(k), path), blob)
			rows.add('%d\t%s\t%s' % (k, path, blob))
	for r in sorted(rows, key=lambda r: r.encode(**ENC)):
		out(r)


def count_rows(rows, key_of):
	"""count[(k, key)] and raw[(k, key)] (the raw lines, in order) of
	"k<TAB>kind<TAB>normalised<TAB>raw" rows, key = key_of(kind,
	normalised), and the keys."""
	count, raw, keys = {}, {}, {}
	for line in rows:
		k, kind, normalised, r = fields(line, 4)
		key = key_of(kind, normalised)
		count[(k, key)] = count.get((k, key), 0) + 1
		raw.setdefault((k, key), []).append(r)
		keys[key] = True
	return count, raw, keys


def attribute(n):
	"""A warning (kind + normalised text, counted: a multiset) is patch
	k's if k raises its count, above base's count. It fails k if the
	count stays above base up to the tip; if a later patch m brings it
	back to base's count, it still fails k, noted "gone at patch m". The
	raw lines shown are the tip's (state k's for a gone one); when base
	has the warning too, the note gives both counts."""
	count, raw, keys = count_rows(stdin_lines(), lambda kind, text: (kind, text))
	for key in sorted(keys):
		c = [count.get((str(k), key), 0) for k in range(n + 1)]
		# kept: the first patch from which the count stays above base
		kept = n + 1
		while kept > 1 and c[kept - 1] > c[0]:
			kept -= 1
		for k in range(1, n + 1):
			if not (c[k] > c[k - 1] and c[k] > c[0]):
				continue
			at, note = n, ''
			if k < kept:
				m = k + 1
				while m <= n and c[m] > c[0]:
					m += 1
				at, note = k, 'gone at patch %d' % m
			if c[0]:
				note += '; ' if note else ''
				note += '%d at base, %d at %s' % (c[0], c[at],
					'the tip' if at == n else 'patch %d' % at)
			for r in raw[(str(at), key)]:
				out(key[0], str(k), note, r)


def tip_vs_base(n):
	# cocci's rows, all of one kind: the normalised text is the key
	count, raw, keys = count_rows(stdin_lines(), lambda kind, text: text)
	tip = str(n)
	for key in sorted(keys):
		if count.get((tip, key), 0) > count.get(('0', key), 0):
			for r in raw[(tip, key)]:
				out(r)


def blame_attribute(commits_file, touch_file):
	commits = read_lines(commits_file)	# line 1 base, line k+1 patch k
	patch_of = {}
	for i, c in enumerate(commits):
		patch_of.setdefault(c, i)
	last_touch = {}
	for line in read_lines(touch_file):
		k, path = fields(line, 2)
		last_touch[path] = k
	for row in stdin_lines():
		commit, line = row.split('\t', 1) if '\t' in row else (row, '')
		k = patch_of.get(commit, 0)
		# A line of base (or one blame cannot place): the last patch
		# that touched the file.
		k = str(k) if k >= 1 else last_touch.get(line.split(':', 1)[0], '')
		out('cocci', k, '', line)


# --- the report --------------------------------------------------------------

COLUMNS = [('checkpatch', 'checkpatch'), ('build', 'build'), ('sparse', 'sparse'),
	   ('W=1', 'w1'), ('cocci', 'cocci'), ('kernel-doc', 'kdoc')]
SHOWN = 40		# lines per cell; the rest are counted


def sort_key(line):
	"""sort -t: -k1,1 -k2,2n in the C locale: the file, then the line
	number, then the whole line."""
	f = line.split(':')
	num = re.match(r'[ \t]*(-?[0-9]*(\.[0-9]*)?)', f[1] if len(f) > 1 else '').group(1)
	try:
		n = float(num)
	except ValueError:
		n = 0.0
	return (f[0].encode(**ENC), n, line.encode(**ENC))


def report(new_all, patches):
	rows = [fields(line, 4) for line in read_lines(new_all)]
	w = min(max(len(p) for p in patches), 70)
	print()
	print(('%-*s' % (w, 'patch') + ''.join(' %-10s' % c for c, _ in COLUMNS)).rstrip(' '))
	for k, p in enumerate(patches, 1):
		cells = ['FAIL' if any(r[0] == kind and r[1] == str(k) for r in rows) else 'ok'
			 for _, kind in COLUMNS]
		print(('%-*.*s' % (w, w, p) + ''.join(' %-10s' % c for c in cells)).rstrip(' '))
	for k, p in enumerate(patches, 1):
		for col, kind in COLUMNS:
			lines = [r[3] + ('   [%s]' % r[2] if r[2] else '')
				 for r in rows if r[0] == kind and r[1] == str(k)]
			if not lines:
				continue
			# diagnostics in file:line order, checkpatch and build
			# output as printed
			if kind not in ('checkpatch', 'build'):
				lines.sort(key=sort_key)
			print('\n%s: %s' % (p, col))
			for line in lines[:SHOWN]:
				print('  ' + line)
			if len(lines) > SHOWN:
				print('  ... %d more' % (len(lines) - SHOWN))


# --- the command line --------------------------------------------------------

def parse_args(argv):
	ap = argparse.ArgumentParser(prog='series-warnings.py', description=__doc__,
				     formatter_class=argparse.RawDescriptionHelpFormatter)
	sub = ap.add_subparsers(dest='job', required=True, metavar='JOB')

	def job(name, *args, **kw):
		p = sub.add_parser(name)
		for a in args:
			p.add_argument(a, **kw.get(a, {}))
		return p
	job('parse-build', 'log', 'srcdir', 'objdir')
	job('kconfig-warnings', 'log')
	job('build-errors', 'parsed')
	job('checkpatch', 'k', 'routed', 'report', 'allow',
	    routed={'type': int, 'choices': (0, 1)}, allow={'nargs': '?'})
	job('split-output', 'stagedir', 'output')
	job('checker-rows', 'kind')
	job('store-update', 'parsed', 'store')
	job('snapshot', 'store', 'srcdir', 'objdir', 'dirs', dirs={'nargs': '*'})
	job('file-states', 'n', n={'type': int})
	job('attribute', 'n', n={'type': int})
	job('tip-vs-base', 'n', n={'type': int})
	job('blame-attribute', 'commits', 'touch')
	job('report', 'new_all', 'patches', patches={'nargs': '+'})
	return ap.parse_args(argv)


def main(argv):
	a = parse_args(argv)
	# A reader that stops early (head) ends us quietly, as it does awk.
	signal.signal(signal.SIGPIPE, signal.SIG_DFL)
	sys.stdout.reconfigure(newline='\n', **ENC)
	jobs = {
		'parse-build': lambda: parse_build(a.log, a.srcdir, a.objdir),
		'kconfig-warnings': lambda: kconfig_warnings(a.log),
		'build-errors': lambda: build_errors(a.parsed),
		'checkpatch': lambda: checkpatch(a.k, a.routed, a.report, a.allow),
		'split-output': lambda: split_output(a.stagedir, a.output),
		'checker-rows': lambda: checker_rows(a.kind),
		'store-update': lambda: store_update(a.parsed, a.store),
		'snapshot': lambda: snapshot(a.store, a.srcdir, a.objdir, a.dirs),
		'file-states': lambda: file_states(a.n),
		'attribute': lambda: attribute(a.n),
		'tip-vs-base': lambda: tip_vs_base(a.n),
		'blame-attribute': lambda: blame_attribute(a.commits, a.touch),
		'report': lambda: report(a.new_all, a.patches),
	}
	jobs[a.job]()
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
