# mmio-dmabuf: VFIO PCI BAR export as dma-buf for Linux 6.12 LTS.
# Every verb is a thin call into scripts/; 'make help' lists them.

S := scripts
CONFIG ?= bench
TOPO ?= iommu-intel
SCEN ?= smoke,importer,dma-api,p2pmem,helper,checks
ARCH32 ?= i386

.PHONY: help deps tree export series-status check-series kernel initramfs \
	kunit kunit32 run scenarios matrix docs-check stress bench check demo rebase test-tooling test-parser test-series-warnings clean distclean

help:
	@echo "mmio-dmabuf make verbs:"
	@echo "  demo            build, boot the bench guest and print a short report"
	@echo "  check           every test and check, then a summary table (CI runs this)"
	@echo "  deps            install the Debian packages the tooling needs"
	@echo "  tree            create build/tree: the base commit plus one commit per patch"
	@echo "  export          regenerate patches/ from the build/tree commits"
	@echo "  series-status   fail, naming what, if build/tree has work not in patches/"
	@echo "  rebase          move BASE to the newest linux-source-6.12 served, apply the"
	@echo "                  series to it (naming a patch that conflicts), export, check-series"
	@echo "  check-series    checkpatch, bisect build, sparse, W=1, coccicheck, kernel-doc"
	@echo "  matrix          build what the series touches in other configs (CELLS=...)"
	@echo "  kunit32         build an i386 kernel, run the KUnit suites in qemu-system-i386 (ARCH32=i386|i386-pae)"
	@echo "  docs-check      Sphinx htmldocs, kernel-doc -Wall, uAPI header test, get_maintainer (DOCS=...)"
	@echo "  kernel          build the kernel of CONFIG=bench|kasan|timing (default bench)"
	@echo "  initramfs       build the test modules, tools and initramfs of CONFIG"
	@echo "  kunit           boot the guest and run the built-in KUnit suites"
	@echo "  run             boot TOPO (default iommu-intel) and run SCEN (default smoke,checks)"
	@echo "  scenarios       run SCEN on every topology"
	@echo "  stress          long forms of the reliability runs: 60 s of revoke stress and"
	@echo "                  20000 fuzzed requests on TOPO, then on the KASAN kernel"
	@echo "  bench           mapping benchmark: helper vs per-range baseline vs lower bound, on"
	@echo "                  the timing kernel (CONFIG=timing: bench without its debugging);"
	@echo "                  rewrites bench/results/ and the README's table"
	@echo "  test-tooling    tests of the series workflow and of interrupting a verb"
	@echo "  test-parser     tests of the judge (scripts/judge.py) on recorded logs"
	@echo "  test-series-warnings  tests of check-series' warning attribution"
	@echo "                  (scripts/series-warnings.py) on recorded checker output"
	@echo "  clean           remove build outputs, keep build/tree and the ccache"
	@echo "  distclean       remove build/ entirely (including build/tree: export first)"
	@echo "Variables: KSRC=/path/to/6.12.y or a git tree (instead of the Debian base), CONFIG, TOPO, SCEN,"
	@echo "  SEED=N (replay a guest run: its log and JSON say its seed), JOBS"

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

series-status:
	@$(S)/series-status.sh

rebase: deps
	@$(S)/rebase.sh

check-series: tree
	@$(S)/check-series.sh

kernel: tree
	@$(S)/kernel.sh $(CONFIG)

initramfs: kernel
	@$(S)/initramfs.sh $(CONFIG)

kunit: initramfs
	@$(S)/run-guest.sh -k $(CONFIG) --kunit $(TOPO) checks

run: initramfs
	@$(S)/run-guest.sh -k $(CONFIG) $(TOPO) $(SCEN)

scenarios: initramfs
	@for t in $$($(S)/topology.sh list); do \
		$(S)/run-guest.sh -k $(CONFIG) $$t $(SCEN) || exit 1; done

matrix: tree
	@$(S)/matrix.sh $(CELLS)

kunit32: tree
	@$(S)/kunit32.sh $(ARCH32)

docs-check: tree
	@$(S)/docs-check.sh $(DOCS)

stress: initramfs
	@BENCH_APPEND="bench.stress_seconds=60 bench.fuzz_requests=20000" \
		$(S)/run-guest.sh -t 900 -k $(CONFIG) $(TOPO) vfio-fuzz,vfio-stress,checks
	@$(MAKE) --no-print-directory initramfs CONFIG=kasan
	@BENCH_APPEND="bench.stress_seconds=60 bench.fuzz_requests=20000" \
		$(S)/run-guest.sh -t 1200 -k kasan $(TOPO) vfio-fuzz,vfio-stress,checks

bench: tree
	@$(MAKE) --no-print-directory initramfs CONFIG=timing
	@$(S)/bench.sh

check:
	@$(S)/check.sh

demo: deps
	@$(S)/demo.sh

test-tooling:
	@rc=0; for t in tests/tooling/*.sh; do $$t || rc=1; done; exit $$rc

test-parser:
	@tests/parser/run.sh

test-series-warnings:
	@tests/series-warnings/run.sh

clean:
	rm -rf build/obj-* build/modules-* build/initramfs-* build/tools build/runs build/check build/bench

distclean:
	rm -rf build
