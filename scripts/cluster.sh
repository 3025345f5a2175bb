#!/usr/bin/env bash
# A three-server cloud on one machine: a controller and two workers as three hosts.
#   scripts/cluster.sh up      build if needed, start the hosts, print the API URL and the admin password
#   scripts/cluster.sh down    stop everything and remove all that `up` made
#   scripts/cluster.sh status  what runs
#   scripts/cluster.sh kill <host>    kill -9 of a host's Karaf (the controller's takes its broker along)
#   scripts/cluster.sh start <host>   start a host's Karaf again on its kept data (the controller: until its API answers)
#   scripts/cluster.sh run <ns> <command...>   a command in a host's (or gcpc-inet's) network namespace
#
# The controller runs the all-in-one distribution with instances off (it is the network host: every VPC's
# router); the workers run the worker distribution. Each host is a network namespace (gcpc-ctl, gcpc-w1, gcpc-w2) on an underlay bridge (in namespace gcpc-net,
# 10.250.0.0/24, MTU 1550 so that overlay segments carry 1500-byte frames), with its own hostname (UTS
# namespace), its own Karaf base and data directories under run/cluster/<host>, and on the workers a Docker
# Engine of its own (data root, socket, exec root and cgroup parent under /var/lib/gcp/cluster/<host> and
# /run/gcp/cluster/<host>). The workers reach the controller's broker over the underlay; the controller's API
# reaches this machine through a loopback relay (socat on 127.0.0.1:${GCP_CLUSTER_PORT:-18080}), so no address
# is put on any of the machine's own interfaces. An "internet" namespace (gcpc-inet) sits on the controller's
# provider bridge with the provider gateway address: `scripts/cluster.sh run gcpc-inet curl ...` reaches public IPs.
# Everything is named gcpc*; `down` (or a new `up`) removes what an earlier run left.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

HOSTS=(gcpc-ctl gcpc-w1 gcpc-w2)
declare -A UNDERLAY=([gcpc-ctl]=10.250.0.1 [gcpc-w1]=10.250.0.2 [gcpc-w2]=10.250.0.3)
UNDERLAY_NS=gcpc-net
INTERNET_NS=gcpc-inet
UNDERLAY_MTU=1550
PORT=${GCP_CLUSTER_PORT:-18080}
RUN=$PWD/run/cluster
STATE=/var/lib/gcp/cluster
EXEC=/run/gcp/cluster

in_ns() { # host command...: a command inside a host's network namespace, in this mount namespace
  local ns=$1; shift
  nsenter --net="/run/netns/$ns" "$@"
}

distribution() { # all-in-one|worker
  local file
  file=$(ls karaf-assembly/"$1"/target/gcp-"$1"-*.tar.gz 2>/dev/null | head -n 1)
  [ -n "$file" ] || die "no $1 distribution: build it (mvn install -DskipTests), or run without GCP_SKIP_BUILD"
  echo "$file"
}

make_hosts() {
  ip netns add "$UNDERLAY_NS"
  in_ns "$UNDERLAY_NS" ip link add gcpcu0 type bridge
  in_ns "$UNDERLAY_NS" ip link set gcpcu0 mtu "$UNDERLAY_MTU" up
  local n=0
  for host in "${HOSTS[@]}"; do
    n=$((n + 1))
    ip netns add "$host"
    in_ns "$host" ip link set lo up
    # The host's uplink: eth0 in the host, gcpcu<n> on the underlay bridge.
    ip link add eth0 netns "$host" mtu "$UNDERLAY_MTU" type veth peer name "gcpcu$n" netns "$UNDERLAY_NS" mtu "$UNDERLAY_MTU"
    in_ns "$UNDERLAY_NS" ip link set "gcpcu$n" master gcpcu0 up
    in_ns "$host" ip addr add "${UNDERLAY[$host]}/24" dev eth0
    in_ns "$host" ip link set eth0 up
  done
}

start_worker_docker() { # host
  local host=$1 root="$STATE/$1/docker-root" exec="$EXEC/$1/docker"
  mkdir -p "$root" "$exec" "$STATE/$1"
  log "starting $host's dockerd (socket $exec/docker.sock)"
  # In the host's namespace, so that its containers' namespaces are made there; same mount namespace as the
  # worker's Karaf, which bind-mounts instance files for it.
  in_ns "$host" nohup dockerd --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
    --data-root "$root" --exec-root "$exec/exec" --pidfile "$exec/docker.pid" -H "unix://$exec/docker.sock" \
    --cgroup-parent "gcpc-$host" >"$STATE/$host/dockerd.log" 2>&1 &
  local deadline=$((SECONDS + 60))
  until docker -H "unix://$exec/docker.sock" version >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$host's dockerd did not answer within 60 s; see $STATE/$host/dockerd.log"
    sleep 0.2
  done
}

set_cfg() { # file key value: replaces or appends "key = value"
  local file=$1 key=$2 value=$3
  touch "$file"
  if grep -qE "^[[:space:]]*${key//./\\.}[[:space:]]*=" "$file"; then
    sed -i -E "s|^[[:space:]]*${key//./\\.}[[:space:]]*=.*|$key = $value|" "$file"
  else
    printf '%s = %s\n' "$key" "$value" >>"$file"
  fi
}

unpack() { # host distribution
  local home="$RUN/$1"
  rm -rf "$home"
  mkdir -p "$home"
  tar -xzf "$2" -C "$home" --strip-components=1
  echo "$home"
}

configure_controller() {
  local etc="$RUN/gcpc-ctl/etc"
  set_cfg "$etc/io.goncloud.broker.cfg" acceptor.host 0.0.0.0
  set_cfg "$etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port 8080
  set_cfg "$etc/io.goncloud.agent.cfg" host.id gcpc-ctl
  set_cfg "$etc/io.goncloud.agent.cfg" instances.enabled false
  set_cfg "$etc/io.goncloud.agent.cfg" underlay.address "${UNDERLAY[gcpc-ctl]}"
  # The network host, named (its host name does not resolve inside the namespace); it sends no heartbeat (no
  # instances), so the workers' tunnels are told its underlay address here.
  set_cfg "$etc/io.goncloud.cluster.cfg" network.host gcpc-ctl
  set_cfg "$etc/io.goncloud.cluster.cfg" network.host.underlay.address "${UNDERLAY[gcpc-ctl]}"
  set_cfg "$etc/io.goncloud.cluster.cfg" underlay.mtu "$UNDERLAY_MTU"
  set_cfg "$etc/io.goncloud.driver.linuxbridge.cfg" dhcp.state.dir "$EXEC/gcpc-ctl/dhcp"
  # Named namespaces are machine-wide here: each host marks its routers, so that no other host deletes them.
  set_cfg "$etc/io.goncloud.driver.linuxbridge.cfg" owner gcpc-ctl
  set_cfg "$etc/io.goncloud.driver.docker.cfg" state.dir "$STATE/gcpc-ctl/instances"
}

configure_worker() { # host
  local host=$1 etc="$RUN/$1/etc"
  set_cfg "$etc/io.goncloud.messaging.cfg" broker.url "tcp://${UNDERLAY[gcpc-ctl]}:61616"
  set_cfg "$etc/io.goncloud.agent.cfg" host.id "$host"
  set_cfg "$etc/io.goncloud.agent.cfg" underlay.address "${UNDERLAY[$host]}"
  set_cfg "$etc/io.goncloud.driver.docker.cfg" docker.host "unix://$EXEC/$host/docker/docker.sock"
  set_cfg "$etc/io.goncloud.driver.docker.cfg" state.dir "$STATE/$host/instances"
  set_cfg "$etc/io.goncloud.driver.docker.cfg" owner "$host"
  set_cfg "$etc/io.goncloud.driver.libvirt.cfg" state.dir "$STATE/$host/vms"
  set_cfg "$etc/io.goncloud.driver.linuxbridge.cfg" dhcp.state.dir "$EXEC/$host/dhcp"
  set_cfg "$etc/io.goncloud.driver.linuxbridge.cfg" owner "$host"
}

start_karaf() { # host
  local host=$1 home="$RUN/$1"
  log "starting $host's Karaf"
  # nsenter, not ip netns exec: the latter gives the process a mount namespace of its own, and the mounts the
  # Docker driver makes for instances would never reach that host's dockerd. unshare --uts: its own hostname.
  in_ns "$host" unshare --uts sh -c "hostname $host && exec nohup '$home/bin/karaf' daemon" \
    >"$home/karaf.out" 2>&1 &
  echo $! >"$home/karaf.pid"
}

await_controller() {
  in_ns gcpc-ctl true
  local deadline=$((SECONDS + 180))
  until in_ns gcpc-ctl curl -fs -o /dev/null http://127.0.0.1:8080/api/v1/health; do
    [ $SECONDS -lt $deadline ] || die "the controller's API did not answer within 180 s; see $RUN/gcpc-ctl/data/log/karaf.log"
    sleep 0.5
  done
}

start_relay() {
  # One process per connection, each entering the controller's namespace: nothing of the machine's networking
  # changes beyond a listener on loopback.
  nohup socat "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:nsenter --net=/run/netns/gcpc-ctl socat STDIO TCP\:127.0.0.1\:8080" >"$RUN/relay.log" 2>&1 &
  echo $! >"$RUN/relay.pid"
}

make_internet() {
  ip netns add "$INTERNET_NS"
  in_ns "$INTERNET_NS" ip link set lo up
  ip link add gcpci0 netns gcpc-ctl type veth peer name eth0 netns "$INTERNET_NS"
  # The provider bridge is the operator's (the network driver only makes one when a router needs it): plug the
  # internet in now, whether or not any VPC has a gateway yet.
  local bridge=gcp-provider
  if ! in_ns gcpc-ctl ip link show "$bridge" >/dev/null 2>&1; then
    in_ns gcpc-ctl ip link add "$bridge" type bridge 2>/dev/null || in_ns gcpc-ctl ip link show "$bridge" >/dev/null
  fi
  in_ns gcpc-ctl ip link set "$bridge" up
  in_ns gcpc-ctl ip link set gcpci0 master "$bridge" up
  in_ns "$INTERNET_NS" ip addr add 203.0.113.1/24 dev eth0
  in_ns "$INTERNET_NS" ip link set eth0 up
}

down() {
  for pidfile in "$RUN"/*/karaf.pid "$RUN/relay.pid"; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  # Karaf's JVMs and every dockerd of the cluster (their pid files), then their containers' leftovers.
  pkill -f "$RUN/gcpc-" 2>/dev/null || true
  for host in "${HOSTS[@]}"; do
    local pidfile="$EXEC/$host/docker/docker.pid"
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      local deadline=$((SECONDS + 30))
      while kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    fi
    # Domains the workers' libvirt drivers made (their state directories say which).
    for dir in "$STATE/$host"/vms/gcp-*; do
      [ -d "$dir" ] || continue
      virsh -c qemu:///system destroy "$(basename "$dir")" >/dev/null 2>&1 || true
      virsh -c qemu:///system undefine "$(basename "$dir")" >/dev/null 2>&1 || true
    done
  done
  # The controller's DHCP servers (they outlive Karaf by design) and its routers: named namespaces marked as its own.
  pkill -f -- "--pid-file=$EXEC/" 2>/dev/null || true
  for ns in $(ip netns list | awk '$1 ~ /^gcpr-/ {print $1}'); do
    if ip -n "$ns" link show lo 2>/dev/null | grep -q "alias gcp-router@gcpc-ctl\$"; then
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  for ns in "$INTERNET_NS" "${HOSTS[@]}" "$UNDERLAY_NS"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  for mount in $(awk -v p="$STATE/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$mount" 2>/dev/null || true
  done
  rm -rf "$STATE" "$EXEC"
}

up() {
  [ "$(id -u)" -eq 0 ] || die "need root"
  require_build_tools
  apt_install curl socat iproute2 nftables conntrack procps dnsmasq-base busybox-static docker.io util-linux
  export_java_home
  if [ -z "${GCP_SKIP_BUILD:-}" ]; then
    log "building (mvn install -DskipTests)"
    mvn -B -q install -DskipTests
  fi
  local controller worker
  # The controller host runs the all-in-one with instances off: API, database, broker, and the network host's
  # agent (every VPC's router, DHCP, NAT and public addresses live there); instances go to the workers.
  controller=$(distribution all-in-one)
  worker=$(distribution worker)
  down
  mkdir -p "$RUN"
  make_hosts
  unpack gcpc-ctl "$controller" >/dev/null
  configure_controller
  start_karaf gcpc-ctl
  for host in gcpc-w1 gcpc-w2; do
    start_worker_docker "$host"
    unpack "$host" "$worker" >/dev/null
    configure_worker "$host"
    start_karaf "$host"
  done
  await_controller
  start_relay
  make_internet
  local password_file="$RUN/gcpc-ctl/data/gcp/initial-admin-password"
  log "the cloud is up: API http://127.0.0.1:$PORT/api/v1, console http://127.0.0.1:$PORT/console/"
  [ -f "$password_file" ] && log "administrator admin@gcp.local, password: $(cat "$password_file")"
  log "GET /nodes (as the administrator) lists gcpc-w1 and gcpc-w2 once they report; scripts/cluster.sh down removes it all"
}

karaf_running() { # host
  pgrep -f -- "-Dkaraf.home=$RUN/$1( |\$)" >/dev/null
}

kill_karaf() { # host
  local host=$1
  known_host "$host"
  pkill -9 -f -- "-Dkaraf.home=$RUN/$host( |\$)" || die "$host's Karaf is not running"
  local deadline=$((SECONDS + 30))
  while karaf_running "$host"; do
    [ $SECONDS -lt $deadline ] || die "$host's Karaf survived kill -9 for 30 s"
    sleep 0.2
  done
  rm -f "$RUN/$host/karaf.pid"
  log "$host's Karaf killed (SIGKILL)"
}

restart_karaf() { # host
  local host=$1
  known_host "$host"
  [ -d "$RUN/$host" ] || die "$host was never started: scripts/cluster.sh up"
  karaf_running "$host" && die "$host's Karaf is running already"
  start_karaf "$host"
  [ "$host" = gcpc-ctl ] && await_controller
  log "$host's Karaf started"
}

known_host() {
  case " ${HOSTS[*]} " in *" $1 "*) ;; *) die "no host $1 (hosts: ${HOSTS[*]})" ;; esac
}

status() {
  for host in "${HOSTS[@]}"; do
    local pidfile="$RUN/$host/karaf.pid" state=stopped
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && state=running
    printf '%-9s %-12s %s\n' "$host" "${UNDERLAY[$host]}" "$state"
  done
}

case "${1:-}" in
  up) up ;;
  down) down; log "cluster removed" ;;
  status) status ;;
  kill) kill_karaf "${2:-}" ;;
  start) restart_karaf "${2:-}" ;;
  run) shift; ns=$1; shift; exec nsenter --net="/run/netns/$ns" "$@" ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
