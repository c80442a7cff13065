/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the bench's user-space tests: the result protocol, byte
 * patterns, and the edu_dma test importer.
 */
#ifndef MDB_COMMON_H
#define MDB_COMMON_H

#include <stdbool.h>

#include <linux/types.h>

#include "edu_dma.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Output is KTAP, through the helpers of the kernel's kselftest.h: each
 * check is a test case ("ok N NAME" / "not ok N NAME") after a diagnostic
 * line "# NAME: DETAIL". bench/lib.sh makes a tool's run a subtest of the
 * running scenario.
 */

/* failed checks so far; a tool exits 1 if there were any */
#define failures failed_checks()
int failed_checks(void);

/* one check: "# NAME: DETAIL", then its KTAP result line */
void result(const char *name, bool pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "# info: NAME key=value ...": figures for the reports */
void info(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The seed of this tool's random choices: from the run's seed (BENCH_SEED,
 * which bench.seed= sets) and @what, so that SEED=N replays the run; from
 * the clock if there is no run seed. The caller prints it.
 */
__u64 run_seed(const char *what);

__u64 mix64(__u64 x);
/* byte @pos of the pattern @seed: every byte depends on its position */
__u8 pat_byte(__u64 seed, __u64 pos);
void pat_fill(__u8 *buf, __u64 len, __u64 seed, __u64 pos);
/* a seed per scenario and case, derived from the run's seed */
__u64 case_seed(__u64 base, const char *scenario, int n);

/* /dev/edu_dma, opened by edu_open(), and what EDU_DMA_INFO said */
extern int edu_fd;
extern struct edu_dma_info edu_info;

int edu_open(void);
/* ioctl on edu_fd: 0 or -errno */
int edu_ioctl(unsigned long req, void *arg);

/*
 * Entries DMA-API debug holds for device @dev (PCI name) of @type ("single",
 * "scatter-gather", ...; NULL for any) whose physical address is in
 * [@start, @start + @size). -1 if the debugfs dump is unreadable.
 */
int dma_debug_entries(const char *dev, const char *type, __u64 start,
		      __u64 size);

#endif /* MDB_COMMON_H */
