#!/usr/bin/env bash
# Network data-plane benchmark: security-group enforcement time of the nftables firewall driver (10 to
# 5,000 rules installed) beside one hand-written `nft add rule`, and iperf3 throughput through the
# Linux-bridge and Open vSwitch drivers beside a raw veth pair; and cross-host throughput through the
# Linux-bridge and (unless --no-ovs) Open vSwitch drivers' VXLAN overlays beside a raw VXLAN link. Figures and definitions: docs/benchmarks.md,
# "Network data plane" and "Overlay". The code: drivers/bench (io.goncloud.bench.NetworkBench) and, for the
# overlay, drivers/network-linux-bridge's OverlayThroughputBench and drivers/network-ovs's
# OvsOverlayThroughputBench (run through Maven's test runner).
#
#   scripts/bench-network.sh [--sizes 10,1000,5000] [--sg-reps 10] [--tp-reps 5] [--seconds 5]
#                            [--only sg|tp|overlay] [--no-ovs]
#
# Needs root, iproute2, nftables, iperf3, openvswitch-switch (installed when missing), Java 17 and Maven.
# Everything happens in network namespaces named gcptb<pid>-* (plus the drivers' gcpr-<vpc> routers of
# the run's VPCs) and in private ovsdb-server/ovs-vswitchd instances with files under
# $TMPDIR/gcptb<pid>-*-ovs; the machine's own interfaces, routes, firewall and Open vSwitch are never
# touched. All of it is removed at the end and on Ctrl-C; leftovers of dead runs at the next start.
# Figures go to standard output as Markdown, progress to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, bridges, Open vSwitch daemons)"
apt_install iproute2 nftables iperf3 openvswitch-switch
command -v java >/dev/null || die "Java 17 is needed"
command -v mvn >/dev/null || die "Maven is needed"

MVN_OPTS=${BENCH_MVN_OPTS:--o}   # offline by default: the build's dependencies are normally cached

# The overlay: simulated hosts in namespaces gcpov<pid>-* (the test suite's names), removed at the end.
only="" reps=5 seconds=5 no_ovs=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --only) only=${args[$((i + 1))]:-} ;;
    --tp-reps) reps=${args[$((i + 1))]:-5} ;;
    --seconds) seconds=${args[$((i + 1))]:-5} ;;
    --no-ovs) no_ovs=1 ;;
  esac
done
overlay_bench() {
  log "overlay: iperf3 through the Linux-bridge driver's VXLAN vs a raw VXLAN link ($reps x ${seconds}s)"
  local out
  out=$(mktemp "${TMPDIR:-/tmp}/gcpov-bench.XXXXXX")
  # shellcheck disable=SC2086
  mvn -B -q $MVN_OPTS install -pl drivers/network-linux-bridge -am -Dtest=OverlayThroughputBench \
    -Dsurefire.failIfNoSpecifiedTests=false -Dbench.out="$out" -Dbench.reps="$reps" -Dbench.seconds="$seconds" >&2
  echo "### Overlay throughput"
  echo
  cat "$out"
  if [ "$no_ovs" != 1 ]; then
    log "overlay: iperf3 through the OVS driver's overlay vs a raw VXLAN link ($reps x ${seconds}s)"
    # shellcheck disable=SC2086
    mvn -B -q $MVN_OPTS install -pl drivers/network-ovs -am -Dtest=OvsOverlayThroughputBench \
      -Dsurefire.failIfNoSpecifiedTests=false -Dbench.out="$out" -Dbench.reps="$reps" -Dbench.seconds="$seconds" >&2
    echo
    echo "### Overlay throughput (Open vSwitch driver)"
    echo
    cat "$out"
  fi
  rm -f "$out"
}
if [ "$only" = overlay ]; then
  overlay_bench
  exit 0
fi
jar=drivers/bench/target/gcp-driver-bench-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find drivers/bench/src drivers/bench/pom.xml -newer "$jar" -print -quit)" ]; then
  log "building drivers/bench and what it needs"
  # shellcheck disable=SC2086
  mvn -B -q $MVN_OPTS install -DskipTests -pl drivers/bench -am
fi
cp_file=drivers/bench/target/classpath.txt
if [ ! -s "$cp_file" ] || [ "$cp_file" -ot "$jar" ]; then
  # shellcheck disable=SC2086
  mvn -B -q $MVN_OPTS -f drivers/bench/pom.xml \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=target/classpath.txt
fi

# Run from private copies of the jars: a build running meanwhile (mvn install, mvn clean) replaces or
# deletes the ones in ~/.m2 and target/, which breaks class loading in a running JVM.
lib=$(mktemp -d "${TMPDIR:-/tmp}/gcptb-lib.XXXXXX")
trap 'rm -rf "$lib"' EXIT
cp "$jar" "$lib/"
tr ':' '\n' <"$cp_file" | while read -r dep; do [ -n "$dep" ] && cp "$dep" "$lib/"; done

# Ctrl-C reaches the JVM too (same process group); it removes its namespaces in a shutdown hook.
java -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$lib/*" \
  io.goncloud.bench.NetworkBench "$@"
[ -n "$only" ] || overlay_bench
