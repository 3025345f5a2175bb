#!/usr/bin/env bash
# Installs a GCP controller or worker on this server (Debian 12 / Ubuntu 22.04, as root); see docs/deployment.md.
#
#   scripts/install.sh controller [--address <ip>] [--database postgresql|h2] [--start]
#   scripts/install.sh worker --controller <address>[:<port>] [--underlay-address <ip>] [--host-id <id>] [--with-vms] [--start]
#
# controller: PostgreSQL with a role and database `gcp` (password generated once into /etc/gcp/controller-db-password,
#   root-only; never printed), the broker's acceptor on --address (default: this host's address towards its
#   default route), the distribution in /opt/gcp-controller, the unit gcp-controller.service.
# worker: the broker URL of the controller, this host's id and underlay address (default: the address this host
#   reaches the controller from), Docker (and with --with-vms libvirt/QEMU), the distribution in /opt/gcp-worker,
#   the unit gcp-worker.service.
#
# Safe to run again: packages are installed only when missing, the database role and secrets are kept, data/ and
# the configuration survive a new distribution, and an unchanged distribution is not unpacked again. It never
# changes the host's networking (no addresses, routes, bridges or firewall rules; Docker is configured to leave
# them alone). The distribution is built with Maven when karaf-assembly/<role>/target has none.
#
# For tests only: GCP_INSTALL_ROOT=<dir> installs below <dir> instead of / (never starts services),
# GCP_INSTALL_SKIP_PACKAGES=1 installs no packages and starts no daemons, GCP_INSTALL_DIST=<tar.gz> picks the
# distribution.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/scripts/lib.sh"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

role=${1:-}
case "$role" in controller | worker) shift ;; *) usage ;; esac
address='' database=postgresql controller='' underlay='' host_id='' with_vms='' start=''
while [ $# -gt 0 ]; do
  case "$1" in
    --address) address=${2:?}; shift 2 ;;
    --database) database=${2:?}; shift 2 ;;
    --controller) controller=${2:?}; shift 2 ;;
    --underlay-address) underlay=${2:?}; shift 2 ;;
    --host-id) host_id=${2:?}; shift 2 ;;
    --with-vms) with_vms=1; shift ;;
    --start) start=1; shift ;;
    -h | --help) usage ;;
    *) die "unknown option $1 (see $0 --help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root"
case "$database" in postgresql | h2) ;; *) die "--database is postgresql or h2" ;; esac
if [ "$role" = worker ]; then
  [ -n "$controller" ] || die "a worker needs --controller <address>[:<port>] (the controller's broker)"
fi

root=${GCP_INSTALL_ROOT:-}
root=${root%/}
home="$root/opt/gcp-$role"
secrets="$root/etc/gcp"
unit="gcp-$role.service"
skip_packages=${GCP_INSTALL_SKIP_PACKAGES:-}
[ -n "$root" ] && skip_packages=1

# The source address this host uses towards $1: asks the routing table, changes nothing.
source_address() {
  ip -4 route get "$1" 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") {print $(i + 1); exit}}'
}

# Sets key = value in a .cfg file (replacing the first uncommented line of that key, else appending); keeps the
# file's mode. Values are written as given: addresses, names, generated passwords (no backslashes).
set_cfg() {
  local file=$1 key=$2 value=$3 tmp
  [ -e "$file" ] || touch "$file"
  tmp=$(mktemp "$file.XXXXXX")
  awk -v k="$key" -v v="$value" '
    !done && $0 !~ /^[ \t]*#/ { n = $0; sub(/[ \t]*=.*/, "", n); gsub(/^[ \t]+/, "", n)
      if (n == k && index($0, "=") > 0) { print k " = " v; done = 1; next } }
    { print }
    END { if (!done) print k " = " v }' "$file" >"$tmp"
  cat "$tmp" >"$file"
  rm -f "$tmp"
}

# The value of key in a .cfg file (empty if unset or missing).
get_cfg() {
  awk -v k="$2" '$0 !~ /^[ \t]*#/ && index($0, "=") > 0 { n = $0; sub(/[ \t]*=.*/, "", n); gsub(/^[ \t]+/, "", n)
    if (n == k) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); print v; exit } }' "$1" 2>/dev/null || true
}

# --- Packages ---------------------------------------------------------------------------------------------------
install_packages() {
  command -v java >/dev/null && java -version 2>&1 | grep -q 'version "17' || apt_install openjdk-17-jre-headless
  apt_install curl openssh-client procps iproute2 busybox-static
  if [ "$role" = controller ]; then
    [ "$database" = postgresql ] && apt_install postgresql
    return 0
  fi
  # The drivers: iproute2, nftables, conntrack; dnsmasq-base for their DHCP servers (no system service).
  apt_install nftables conntrack dnsmasq-base
  if [ -d /run/systemd/system ]; then
    # Docker's packaged service would set the FORWARD policy to DROP and add docker0 with NAT: told not to touch
    # the host's networking before it first starts (an existing daemon.json is the operator's and is kept).
    if [ ! -e /etc/docker/daemon.json ]; then
      mkdir -p /etc/docker
      printf '{\n  "iptables": false,\n  "ip-forward": false,\n  "ip-masq": false,\n  "bridge": "none"\n}\n' >/etc/docker/daemon.json
    fi
    apt_install docker.io
  else
    start_docker # lib.sh: dockerd with the same settings, on btrfs storage with quotas
  fi
  if [ -n "$with_vms" ]; then
    local fresh_libvirt=''
    dpkg-query -W -f='${Status}' libvirt-daemon-system 2>/dev/null | grep -q 'install ok installed' || fresh_libvirt=1
    if [ -d /run/systemd/system ]; then
      apt_install qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients dosfstools mtools
    else
      (start_libvirt) || log "warning: libvirt did not start; this worker runs containers only"
    fi
    # Debian's libvirt brings a NAT network "default" (virbr0, firewall rules) that it starts at once: the platform
    # does not use it, and a fresh install must leave the host's networking as it was.
    if [ -n "$fresh_libvirt" ] && virsh -c qemu:///system net-info default >/dev/null 2>&1; then
      virsh -c qemu:///system net-autostart default --disable >/dev/null 2>&1 || true
      virsh -c qemu:///system net-destroy default >/dev/null 2>&1 || true
    fi
  fi
}

# --- The distribution -------------------------------------------------------------------------------------------
find_distribution() {
  local dist=${GCP_INSTALL_DIST:-}
  if [ -z "$dist" ]; then
    dist=$(ls "$repo"/karaf-assembly/"$role"/target/gcp-"$role"-*.tar.gz 2>/dev/null | head -n 1 || true)
  fi
  if [ -z "$dist" ]; then
    log "building the $role distribution (mvn install -DskipTests)"
    require_build_tools
    export_java_home
    (cd "$repo" && mvn -B -q install -DskipTests -pl "karaf-assembly/$role" -am) >&2
    dist=$(ls "$repo"/karaf-assembly/"$role"/target/gcp-"$role"-*.tar.gz | head -n 1)
  fi
  [ -f "$dist" ] || die "no distribution at $dist"
  printf '%s\n' "$dist"
}

running() {
  [ -d "$home" ] && [ -f "$home/data/port" ] && "$home/bin/status" >/dev/null 2>&1
}

# Unpacks the distribution into $home; an installed one keeps its data/ and the platform's configuration.
install_distribution() {
  local dist=$1 sum fresh old
  sum=$(sha256sum "$dist" | cut -d' ' -f1)
  if [ -f "$home/.gcp-distribution" ] && [ "$(cat "$home/.gcp-distribution")" = "$sum" ]; then
    log "$home already holds $(basename "$dist")"
    return 0
  fi
  ! running || die "gcp-$role is running from $home: stop it first (systemctl stop $unit, or $home/bin/stop)"
  mkdir -p "$(dirname "$home")"
  fresh=$(mktemp -d "$(dirname "$home")/.gcp-$role.new.XXXXXX")
  tar -xzf "$dist" -C "$fresh" --strip-components=1
  if [ -d "$home" ]; then
    log "upgrading $home (data/ and the platform's configuration are kept)"
    if [ -d "$home/data" ]; then
      rm -rf "$fresh/data"
      mv "$home/data" "$fresh/data"
    fi
    local f
    for f in "$home"/etc/io.goncloud.*.cfg "$home"/etc/org.ops4j.datasource-gcp.cfg "$home"/etc/org.ops4j.pax.web.cfg \
             "$home"/etc/gcp-operator.key "$home"/etc/gcp-operator.key.pub "$home"/etc/gcp-known-hosts; do
      if [ -e "$f" ]; then cp -a "$f" "$fresh/etc/"; fi
    done
    grep '^operator=' "$home/etc/keys.properties" >>"$fresh/etc/keys.properties" 2>/dev/null || true
    old=$(mktemp -d "$(dirname "$home")/.gcp-$role.old.XXXXXX")
    mv "$home" "$old/"
    mv "$fresh" "$home"
    rm -rf "$old"
  else
    log "installing $(basename "$dist") into $home"
    mv "$fresh" "$home"
  fi
  chmod 755 "$home"
  printf '%s\n' "$sum" >"$home/.gcp-distribution"
}

# --- Configuration ----------------------------------------------------------------------------------------------
# PostgreSQL on this host: role and database gcp, the role's password generated once and kept root-only.
configure_postgres() {
  local version port password_file="$secrets/controller-db-password" password
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$" || pg_createcluster "$version" main >/dev/null
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
  install -d -m 0700 "$secrets"
  if [ ! -s "$password_file" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$password_file")
  fi
  chmod 600 "$password_file"
  password=$(cat "$password_file")
  # The password reaches psql on its standard input only (not its command line, not the log).
  runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE gcp LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gcp') \gexec
ALTER ROLE gcp WITH LOGIN PASSWORD '$password';
SELECT 'CREATE DATABASE gcp OWNER gcp' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'gcp') \gexec
SQL
  local cfg="$home/etc/org.ops4j.datasource-gcp.cfg"
  chmod 600 "$cfg"
  set_cfg "$cfg" osgi.jdbc.driver.class org.postgresql.Driver
  set_cfg "$cfg" url "jdbc:postgresql://127.0.0.1:$port/gcp?stringtype=unspecified"
  set_cfg "$cfg" user gcp
  set_cfg "$cfg" password "$password"
  log "database: PostgreSQL $version on 127.0.0.1:$port, database and role gcp (password in $password_file)"
}

configure_controller() {
  # Run again without --address, the controller keeps the address it has (unless it is still the shipped loopback).
  if [ -z "$address" ]; then
    address=$(get_cfg "$home/etc/io.goncloud.broker.cfg" acceptor.host)
    case "$address" in 127.* | '') address=$(source_address 192.0.2.1) ;; esac
    [ -n "$address" ] || die "cannot tell this host's address (no default route): give --address <ip>"
  fi
  set_cfg "$home/etc/io.goncloud.broker.cfg" embedded true
  set_cfg "$home/etc/io.goncloud.broker.cfg" acceptor.host "$address"
  set_cfg "$home/etc/io.goncloud.broker.cfg" acceptor.port 61616
  set_cfg "$home/etc/io.goncloud.messaging.cfg" broker.url "tcp://$address:61616"
  if [ "$database" = postgresql ]; then
    configure_postgres
  else
    log "database: H2 in $home/data/gcp/db (for trials; PostgreSQL is the default)"
  fi
  log "broker for the workers: tcp://$address:61616; REST API and console: http://$address:8080/"
}

configure_worker() {
  local host=$controller port=61616 ip
  case "$controller" in *:*) host=${controller%:*}; port=${controller##*:} ;; esac
  # Run again without them, the worker keeps its id and underlay address.
  [ -n "$underlay" ] || underlay=$(get_cfg "$home/etc/io.goncloud.agent.cfg" underlay.address)
  [ -n "$host_id" ] || host_id=$(get_cfg "$home/etc/io.goncloud.agent.cfg" host.id)
  if [ -z "$underlay" ]; then
    ip=$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 {print $1}')
    [ -n "$ip" ] || die "cannot resolve the controller $host: give --controller <ip>"
    underlay=$(source_address "$ip")
    [ -n "$underlay" ] || die "no route to the controller $ip: give --underlay-address <ip>"
  fi
  [ -n "$host_id" ] || host_id=$(hostname)
  # Root-only: it is where the broker's credentials go once the broker asks for them.
  chmod 600 "$home/etc/io.goncloud.messaging.cfg"
  set_cfg "$home/etc/io.goncloud.messaging.cfg" broker.url "tcp://$host:$port"
  set_cfg "$home/etc/io.goncloud.broker.cfg" embedded false
  set_cfg "$home/etc/io.goncloud.agent.cfg" host.id "$host_id"
  set_cfg "$home/etc/io.goncloud.agent.cfg" underlay.address "$underlay"
  log "worker $host_id: broker tcp://$host:$port, underlay address $underlay"
}

# --- systemd ----------------------------------------------------------------------------------------------------
install_unit() {
  install -D -m 0644 "$repo/scripts/systemd/$unit" "$root/etc/systemd/system/$unit"
  if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --now "$unit" >/dev/null
    log "$unit enabled and started: systemctl status $unit, journalctl -u $unit"
  else
    log "systemd is not running here (PID 1 is $(ps -p 1 -o comm= 2>/dev/null || echo unknown)): $unit is installed in"
    log "  $root/etc/systemd/system but not started. Start the $role now with $home/bin/start (stop: $home/bin/stop),"
    log "  or run this script with --start; on a host booted with systemd: systemctl daemon-reload && systemctl enable --now $unit"
    if [ -n "$start" ] && [ -z "$root" ]; then
      if running; then
        log "gcp-$role is already running from $home (its configuration files are read again as they change)"
      else
        # bin/start runs Karaf in the background, its console log in data/log/karaf.log.
        "$home/bin/start"
        log "started gcp-$role from $home: $home/bin/status, log in $home/data/log/karaf.log, stop with $home/bin/stop"
      fi
    fi
  fi
}

[ -n "$skip_packages" ] || install_packages
dist=$(find_distribution)
install_distribution "$dist"
"configure_$role"
install_unit
log "installed the $role in $home"
