/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks of what edu moved, shared by the tests that drive edu directly
 * (smoketest, importertest, dmaapitest, p2pmemtest): a window of guard
 * bytes around a target, the comparison of a window with what it must
 * hold, the buffers windows are read into, and struct expect, which counts
 * the checks of a test case and keeps the first one that failed.
 */
#ifndef MDB_CHECK_H
#define MDB_CHECK_H

#include <stdbool.h>

#include <linux/types.h>

#define GUARD		64	/* bytes checked on each side of a target */
#define DETAIL_LEN	512

/* buffers big enough for any case window, allocated by bufs_alloc() */
extern __u8 *buf_data, *buf_want, *buf_got;
#define BUF_SIZE	(64 * 1024)

/* false if out of memory */
bool bufs_alloc(void);

/* a window around [off, off + len) in a target of @size bytes */
struct window {
	__u64 start;	/* target offset of the window */
	__u64 pre;	/* guard bytes before the data */
	__u64 len;	/* whole window */
};

struct window window_of(__u64 off, __u64 len, __u64 size);

/*
 * Expected window content: guard bytes carry the poison pattern at their
 * target offset, data bytes the data pattern at their copy offset.
 */
void expect_fill(__u8 *buf, const struct window *w, __u64 len,
		 __u64 data_seed, __u64 poison_seed);

/*
 * Compare @got with @want; on mismatch describe the first bad byte in
 * @detail (DETAIL_LEN bytes). @base is the target offset of byte 0,
 * @data_start and @data_len locate the copied bytes inside the window
 * (the rest are guard bytes that must be unchanged).
 */
bool check_window(const __u8 *got, const __u8 *want, __u64 n,
		  const char *what, __u64 base, __u64 data_start,
		  __u64 data_len, char *detail);

/* the checks of one test case, reported as one result */
struct expect {
	const char *sc;
	char detail[DETAIL_LEN];
	int checks;
	bool failed;
};

/* @ret must be -@want (0 for success) */
void expect_ret(struct expect *e, const char *what, int ret, int want);
/* the same, and whether it was */
bool expect_errno(struct expect *e, const char *what, int ret, int want);
/* record the first failed check of a case in e->detail */
bool expect_true(struct expect *e, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* a check that passed */
bool pass(struct expect *e);

#endif /* MDB_CHECK_H */
