#!/usr/bin/env bash
# Runs every test: unit tests, the database tests against H2 and a real PostgreSQL (installed and
# started here if needed), the REST API over HTTP, and the Pax Exam test of the assembled platform.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_build_tools
apt_install curl openssh-client
# The network drivers' tests build hosts, instances and an "internet" out of network namespaces.
apt_install iproute2 nftables procps iputils-ping socat conntrack
# DHCP: the drivers' servers (dnsmasq-base: the binary without a system service) and the instances' client
# (busybox udhcpc).
apt_install dnsmasq-base busybox-static
# The Open vSwitch driver's tests start private ovsdb-server/ovs-vswitchd instances of their own.
apt_install openvswitch-switch
# systemd-analyze: InstallAndSystemdUnitsTest verifies the units of scripts/systemd (systemd need not be running).
apt_install systemd
export_java_home
start_test_postgres
# The Docker compute driver's tests run containers on a real Docker Engine, with images built locally.
start_docker
# The libvirt compute driver's tests boot tiny VMs (QEMU, TCG without usable KVM) on a real libvirtd; their
# image comes from scripts/build-vm-image.sh (cached in /var/cache/gcp/vm-image).
start_libvirt
scripts/build-vm-image.sh /var/cache/gcp/vm-image/busybox-vm.qcow2 >/dev/null

started_marker=$(mktemp)
mvn -B install "$@"
check_skipped_tests "$started_marker"
rm -f "$started_marker"

# The web console, end to end in a browser against the assembled platform.
scripts/console-e2e.sh
