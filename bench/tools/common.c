// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the bench's user-space tests: the result protocol, byte
 * patterns, and the edu_dma test importer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"

#include "common.h"

int edu_fd = -1;
struct edu_dma_info edu_info;

/* --- output ------------------------------------------------------------ */

/* a pipe (bench/lib.sh indents a tool's output): keep lines in order */
static void __attribute__((constructor)) line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int failed_checks(void)
{
	return ksft_get_fail_cnt();
}

void result(const char *name, bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	ksft_test_result(pass, "%s\n", name);
	fflush(stdout);
}

void info(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("# info: %s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

__u64 run_seed(const char *what)
{
	const char *run = getenv("BENCH_SEED");

	if (run && *run)
		return case_seed(strtoull(run, NULL, 0), what, 0);
	return mix64((__u64)time(NULL) ^ ((__u64)getpid() << 32));
}

/* --- patterns ---------------------------------------------------------- */

__u64 mix64(__u64 x)
{
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* byte @pos of the pattern @seed: every byte depends on its position */
__u8 pat_byte(__u64 seed, __u64 pos)
{
	return mix64(seed ^ (pos * 0x9e3779b97f4a7c15ULL)) >> 56;
}

void pat_fill(__u8 *buf, __u64 len, __u64 seed, __u64 pos)
{
	__u64 i;

	for (i = 0; i < len; i++)
		buf[i] = pat_byte(seed, pos + i);
}

__u64 case_seed(__u64 base, const char *scenario, int n)
{
	__u64 h = base;

	while (*scenario)
		h = mix64(h ^ (__u8)*scenario++);
	return mix64(h + (__u64)n);
}

/* --- edu_dma ----------------------------------------------------------- */

int edu_ioctl(unsigned long req, void *arg)
{
	return ioctl(edu_fd, req, arg) ? -errno : 0;
}

int edu_open(void)
{
	edu_fd = open(EDU_DMA_DEV_PATH, O_RDWR);
	if (edu_fd < 0)
		return -errno;
	return edu_ioctl(EDU_DMA_INFO, &edu_info);
}

/* --- DMA-API debug ----------------------------------------------------- */

int dma_debug_entries(const char *dev, const char *type, __u64 start,
		      __u64 size)
{
	char line[512], d[64], t[32];
	unsigned long long p;
	const char *s;
	int n = 0;
	FILE *f;

	f = fopen("/sys/kernel/debug/dma-api/dump", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %63s %31s", d, t) != 2 || strcmp(d, dev) ||
		    (type && strcmp(t, type)))
			continue;
		s = strstr(line, " P=");
		if (s && sscanf(s, " P=%llx", &p) == 1 && p >= start &&
		    p - start < size)
			n++;
	}
	fclose(f);
	return n;
}
