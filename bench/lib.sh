# shellcheck shell=sh
# Helpers for bench scenarios (busybox sh), sourced by /init.
#
# Output is KTAP (Documentation/dev-tools/ktap.rst): /init is the top-level
# test, a scenario is one of its subtests (/init indents its lines), each
# check is a test case of the scenario, and a test tool run by tool() is a
# subtest of its own. A check's detail is the diagnostic line before it,
# "# NAME: DETAIL"; scripts/judge.py reads it all.

KTAP_COUNT=/tmp/ktap.count	# checks (and tools) of the running scenario

ktap_next() {
	n=$(($(cat $KTAP_COUNT 2>/dev/null || echo 0) + 1))
	echo $n > $KTAP_COUNT
}

# result NAME PASS|FAIL|SKIP DETAIL...: one check of the running scenario.
# A SKIP needs its reason as DETAIL.
result() {
	r_name=$1 r_st=$2
	shift 2
	ktap_next
	[ -z "$*" ] || echo "# $r_name: $*"
	case $r_st in
	PASS) echo "ok $n $r_name" ;;
	SKIP) echo "ok $n $r_name # SKIP ${*:-no reason given}" ;;
	*) echo "not ok $n $r_name" ;;
	esac
}

# info NAME KEY=VALUE...: figures for the reports (judge.py keeps them).
info() { n=$1; shift; echo "# info: $n $*"; }

# indent [--no-tap-version]: copy stdin to stdout four spaces in, line by
# line as it comes (sed would hold lines back in its buffer: they must
# reach the console in their order with the kernel's messages, an
# announced fault before the fault). --no-tap-version drops a tool's own
# "TAP version N" line: the subtest's header stands for it.
indent() {
	while IFS= read -r l || [ -n "$l" ]; do
		case "$1:$l" in
		"--no-tap-version:TAP version "[0-9]*) ;;
		*) printf '    %s\n' "$l" ;;
		esac
	done
}

# tool NAME CMD [ARG...]: run a test tool, whose KTAP test cases become
# subtest NAME of the running scenario; passes if the tool exits 0.
tool() {
	t_name=$1
	shift
	# the subtest's header is as far in as its test cases
	# shellcheck disable=SC3040 # busybox ash has pipefail
	(set -o pipefail
	 { echo "KTAP version 1"; echo "# Subtest: $t_name"; "$@" 2>&1; } |
		indent --no-tap-version)
	t_rc=$?
	ktap_next
	if [ $t_rc = 0 ]; then
		echo "ok $n $t_name"
	else
		echo "not ok $n $t_name"
	fi
	return $t_rc
}

# skip_scenario REASON: the running scenario cannot run here; says why.
# Use as "skip_scenario REASON; return 77": judge.py fails the run unless
# bench/plan expects this skip on this topology.
skip_scenario() { echo "$*" > /tmp/ktap.skip; }

# pci_find VENDOR DEVICE: print the BDF of the first matching PCI device.
pci_find() {
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] && [ "$(cat "$d/device")" = "0x$2" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

ivshmem_bdf() { pci_find 1af4 1110; }
edu_bdf() { pci_find 1234 11e8; }
nvme_bdf() { pci_find 1b36 0010; }
# vfio_test_bdf: the device of the VFIO tests that want every revoke
# trigger: the NVMe controller (root bus: PM and FLR) where there is one,
# else ivshmem (behind the switch a bus reset reaches it alone); BAR 2
# is the NVMe CMB and ivshmem's shared memory
vfio_test_bdf() { nvme_bdf || ivshmem_bdf; }

# bind_driver BDF DRIVER: (re)bind a PCI device to DRIVER.
bind_driver() {
	d=/sys/bus/pci/devices/$1
	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
	echo "$2" > "$d/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "$d/driver")")" = "$2" ]
}

# bind_test_module BDF MODULE SCENARIO: load the bench's test driver MODULE
# if it is not loaded, bind BDF to it and check that /dev/MODULE appeared;
# on failure print SCENARIO-setup FAIL and return 1.
bind_test_module() {
	if [ ! -d "/sys/bus/pci/drivers/$2" ] && ! insmod "/bench/$2.ko"; then
		result "$3-setup" FAIL "cannot load $2"
		return 1
	fi
	if ! bind_driver "$1" "$2" || [ ! -e "/dev/$2" ]; then
		result "$3-setup" FAIL "cannot bind $1 to $2"
		return 1
	fi
}

unbind_driver() {
	d=/sys/bus/pci/devices/$1
	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
	echo > "$d/driver_override"
	[ ! -e "$d/driver" ]
}

# iommu_group BDF: the device's IOMMU group number, empty if it has none.
iommu_group() {
	g=$(readlink "/sys/bus/pci/devices/$1/iommu_group") && basename "$g"
}

# load_edu: load the test importer and bind it to edu.
load_edu() {
	[ -e /dev/edu_dma ] && return 0
	insmod /bench/edu_dma.ko || return 1
	[ -e /dev/edu_dma ]
}

unload_edu() {
	[ -e /dev/edu_dma ] || return 0
	rmmod edu_dma
}
