# shellcheck shell=sh
# Helpers for bench scenarios (busybox sh), sourced by /init.

result() { echo "BENCH-RESULT $1 $2 $3"; }
info() { n=$1; shift; echo "BENCH-INFO $n $*"; }

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
