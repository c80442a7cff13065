// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of what edu moved, shared by the tests that drive edu directly
 * (smoketest, importertest, dmaapitest, p2pmemtest): windows of guard
 * bytes around a target, their comparison with what they must hold, the
 * buffers they are read into, and struct expect (check.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "check.h"

__u8 *buf_data, *buf_want, *buf_got;

bool bufs_alloc(void)
{
	buf_data = malloc(BUF_SIZE);
	buf_want = malloc(BUF_SIZE);
	buf_got = malloc(BUF_SIZE);
	return buf_data && buf_want && buf_got;
}

/* --- windows ----------------------------------------------------------- */

struct window window_of(__u64 off, __u64 len, __u64 size)
{
	struct window w;
	__u64 post;

	w.pre = off < GUARD ? off : GUARD;
	post = size - off - len < GUARD ? size - off - len : GUARD;
	w.start = off - w.pre;
	w.len = w.pre + len + post;
	return w;
}

void expect_fill(__u8 *buf, const struct window *w, __u64 len,
		 __u64 data_seed, __u64 poison_seed)
{
	pat_fill(buf, w->len, poison_seed, w->start);
	pat_fill(buf + w->pre, len, data_seed, 0);
}

bool check_window(const __u8 *got, const __u8 *want, __u64 n,
		  const char *what, __u64 base, __u64 data_start,
		  __u64 data_len, char *detail)
{
	__u64 i, bad = 0, first = 0;

	for (i = 0; i < n; i++) {
		if (got[i] == want[i])
			continue;
		if (!bad++)
			first = i;
	}
	if (!bad)
		return true;

	if (first < data_start || first >= data_start + data_len)
		snprintf(detail, DETAIL_LEN,
			 "guard byte overwritten at %s+0x%llx got=0x%02x want=0x%02x bad_bytes=%llu",
			 what, base + first, got[first], want[first], bad);
	else
		snprintf(detail, DETAIL_LEN,
			 "mismatch at %s+0x%llx (copy offset %llu) got=0x%02x want=0x%02x bad_bytes=%llu",
			 what, base + first, first - data_start, got[first],
			 want[first], bad);
	return false;
}

/* --- expected results -------------------------------------------------- */

void expect_ret(struct expect *e, const char *what, int ret, int want)
{
	e->checks++;
	if (ret == -want || e->failed)
		return;
	e->failed = true;
	snprintf(e->detail, sizeof(e->detail), "%s: got %d (%s) want %d (%s)",
		 what, ret, ret ? strerror(-ret) : "success", -want,
		 want ? strerror(want) : "success");
}

bool pass(struct expect *e)
{
	e->checks++;
	return true;
}

bool expect_true(struct expect *e, bool ok, const char *fmt, ...)
{
	va_list ap;

	e->checks++;
	if (ok || e->failed)
		return ok;
	e->failed = true;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return false;
}

bool expect_errno(struct expect *e, const char *what, int ret, int want)
{
	expect_ret(e, what, ret, want);
	return ret == -want;
}
