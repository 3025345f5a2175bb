# Shared helpers for the platform's scripts. Source it; do not run it.

log() { printf '\033[1m[gcp]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs Debian packages that are missing (apt-get update only when something must be installed).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]}"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Java 17, Maven, and Node.js 20.19+ with npm for the console: what the build needs.
require_build_tools() {
  command -v java >/dev/null && java -version 2>&1 | grep -q 'version "17' || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
  command -v npm >/dev/null || apt_install nodejs npm
  node_is_recent_enough || use_packaged_node
}

node_is_recent_enough() {
  command -v node >/dev/null &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

# The console's build (Vite 7) needs Node.js 20.19+, newer than Debian 12's (18) or Ubuntu 22.04's (12). Where
# the machine has none, the npm registry's node-linux-<arch> package (the Node binary itself, pinned) is
# installed with the distribution's npm into /var/cache/gcp and put first on PATH; that npm then runs on it.
GCP_NODE_VERSION=20.19.5
use_packaged_node() {
  local arch dir
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) die "the console's build needs Node.js 20.19 or newer; install one for $(uname -m)" ;;
  esac
  dir=/var/cache/gcp/node-$GCP_NODE_VERSION
  if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    log "installing Node.js $GCP_NODE_VERSION from the npm registry (node-linux-$arch) into $dir: found $(node --version 2>/dev/null || echo none)"
    mkdir -p "$dir"
    npm install --no-audit --no-fund --loglevel=error --prefix "$dir" "node-linux-$arch@$GCP_NODE_VERSION" >/dev/null ||
      die "cannot install node-linux-$arch@$GCP_NODE_VERSION with npm"
  fi
  export PATH="$dir/node_modules/node-linux-$arch/bin:$PATH"
  node_is_recent_enough || die "Node.js $GCP_NODE_VERSION in $dir does not run here"
}

# Starts the local PostgreSQL 15 cluster (installing it first if needed) and prepares a test role that
# may create databases. Exports GCP_TEST_PG_URL, GCP_TEST_PG_USER and GCP_TEST_PG_PASSWORD.
# The role's password is random (see below); nothing secret is kept in the repository.
start_test_postgres() {
  apt_install postgresql
  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  cluster=main
  pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version $cluster$" || pg_createcluster "$version" "$cluster" >/dev/null
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" "$cluster" start
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
  # A random password made once per machine and kept outside the repository, readable by its owner only;
  # reused so that concurrent test runs agree on it.
  local password_file="${XDG_STATE_HOME:-$HOME/.local/state}/gcp/test-pg-password" password
  if [ ! -s "$password_file" ]; then
    mkdir -p "$(dirname "$password_file")"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$password_file")
  fi
  password=$(cat "$password_file")
  runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 -v pw="$password" <<'SQL' >/dev/null
SELECT 'CREATE ROLE gcp_test LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gcp_test') \gexec
ALTER ROLE gcp_test WITH LOGIN CREATEDB PASSWORD :'pw';
SQL
  # Leftover databases of interrupted runs; one still in use by a running test keeps its connections and
  # is left alone (no FORCE).
  runuser -u postgres -- psql -qtA -p "$port" -c "SELECT datname FROM pg_database WHERE datname LIKE 'gcp_test_%'" |
    while read -r db; do
      runuser -u postgres -- psql -q -p "$port" -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
    done
  export GCP_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres"
  export GCP_TEST_PG_USER=gcp_test
  export GCP_TEST_PG_PASSWORD="$password"
  export GCP_TEST_REQUIRE_PG=1
  log "PostgreSQL $version is up on 127.0.0.1:$port for the tests"
}

# Karaf's scripts want JAVA_HOME; derive it from the java on PATH.
export_java_home() {
  if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    export JAVA_HOME
  fi
}

# Polls url until it answers 200 or the deadline (seconds) passes.
await_http_ok() {
  local url=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.2
  done
  return 1
}

# Docker's data root for the platform: a btrfs filesystem with quotas, so that the Docker driver can cap
# each instance's root disk (--storage-opt size; overlay2 on ext4 cannot, and this kernel has no XFS quotas).
# A sparse file of the platform's own holds it (/var/lib/gcp/docker-root.btrfs, GCP_DOCKER_ROOT_SIZE, default
# 40G), mounted at GCP_DOCKER_ROOT. The host's /var/lib/docker is left alone.
GCP_DOCKER_ROOT=/var/lib/gcp/docker-root
prepare_docker_root() {
  local image=/var/lib/gcp/docker-root.btrfs
  apt_install btrfs-progs
  mkdir -p "$GCP_DOCKER_ROOT"
  if ! mountpoint -q "$GCP_DOCKER_ROOT"; then
    if [ ! -f "$image" ]; then
      truncate -s "${GCP_DOCKER_ROOT_SIZE:-40G}" "$image"
      mkfs.btrfs -q "$image" >/dev/null || die "mkfs.btrfs failed on $image"
    fi
    mount -o loop "$image" "$GCP_DOCKER_ROOT" || die "cannot mount $image at $GCP_DOCKER_ROOT (loop devices and btrfs needed)"
  fi
  btrfs quota enable "$GCP_DOCKER_ROOT" || die "btrfs quotas cannot be enabled on $GCP_DOCKER_ROOT"
}

# The Docker driver's instance files (its state.dir, /var/lib/gcp/docker by default), which containers mount
# read-write: a subvolume of the same btrfs bind-mounted there, so that the driver can make each instance's
# directory a subvolume with a quota and an instance cannot fill the host's disk through its /var/lib/gcp.
# Only where the platform's own btrfs is mounted; what an earlier version left in the plain directory moves in.
GCP_INSTANCE_FILES=/var/lib/gcp/docker
prepare_instance_files() {
  mountpoint -q "$GCP_DOCKER_ROOT" || return 0
  # Inconsistent quota data (btrfs says so) turns accounting, and every limit, off until a rescan.
  if btrfs qgroup show "$GCP_DOCKER_ROOT" 2>&1 >/dev/null | grep -qi inconsistent; then
    log "rescanning the btrfs quotas of $GCP_DOCKER_ROOT (their data was inconsistent: disks were not capped)"
    btrfs quota rescan -w "$GCP_DOCKER_ROOT" >/dev/null || die "btrfs quota rescan failed on $GCP_DOCKER_ROOT"
  fi
  local subvolume="$GCP_DOCKER_ROOT/gcp-instance-files"
  [ -d "$subvolume" ] || btrfs subvolume create "$subvolume" >/dev/null || die "cannot create $subvolume"
  mkdir -p "$GCP_INSTANCE_FILES"
  mountpoint -q "$GCP_INSTANCE_FILES" && return 0
  if [ -n "$(ls -A "$GCP_INSTANCE_FILES")" ]; then
    cp -a "$GCP_INSTANCE_FILES"/. "$subvolume"/ && find "$GCP_INSTANCE_FILES" -mindepth 1 -delete
  fi
  mount --bind "$subvolume" "$GCP_INSTANCE_FILES" || die "cannot mount $subvolume at $GCP_INSTANCE_FILES"
}

# Starts Docker Engine (Debian's docker.io) if it does not answer, leaving the host's firewall and
# bridges alone: the platform's network drivers own instance networking. Its data root is btrfs with quotas
# (prepare_docker_root). A dockerd started by these scripts earlier on another storage is restarted on it (its
# containers stop; the platform re-creates its instances); anyone else's dockerd is left as it is, and then
# instances' disks are not capped (the driver's probe and log say so).
# The platform's own dockerd (started by start_docker), not the per-host ones of scripts/cluster.sh.
platform_dockerd_pids() {
  local pid
  for pid in $(pgrep -f 'dockerd .*--bridge=none' || true); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '/run/gcp/cluster/' || echo "$pid"
  done
}

start_docker() {
  apt_install docker.io busybox-static
  if docker version >/dev/null 2>&1; then
    if [ "$(docker info -f '{{.Driver}}' 2>/dev/null)" = btrfs ]; then
      prepare_instance_files
      return 0
    fi
    if [ -z "$(platform_dockerd_pids)" ]; then
      log "note: the running Docker Engine does not use btrfs storage: instances' root disks will not be capped"
      return 0
    fi
    log "restarting the platform's dockerd on btrfs storage (root disk caps)"
    platform_dockerd_pids | xargs -r kill
    local stopped=$((SECONDS + 60))
    while [ -n "$(platform_dockerd_pids)" ]; do
      [ $SECONDS -lt $stopped ] || die "dockerd did not stop within 60 s"
      sleep 0.5
    done
  fi
  prepare_docker_root
  prepare_instance_files
  log "starting dockerd (--iptables=false --ip-forward=false --bridge=none, btrfs storage in $GCP_DOCKER_ROOT)"
  mkdir -p /var/log/gcp
  nohup dockerd --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
    --data-root "$GCP_DOCKER_ROOT" --storage-driver btrfs \
    -H unix:///var/run/docker.sock >/var/log/gcp/dockerd.log 2>&1 &
  local deadline=$((SECONDS + 60))
  until docker version >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "dockerd did not answer within 60 s; see /var/log/gcp/dockerd.log"
    sleep 0.5
  done
}

# Starts libvirt (Debian's libvirt-daemon-system with QEMU) if `virsh -c qemu:///system` does not answer:
# virtlogd (serial console logs) and libvirtd in the background, no systemd needed. The compute driver
# for virtual machines (drivers/compute-libvirt) talks to it; QEMU uses KVM where the host really runs
# guests with it, TCG otherwise (the driver probes).
start_libvirt() {
  # dosfstools, mtools: the driver builds each VM's NoCloud seed (a FAT disk) without mounting anything.
  apt_install qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients dosfstools mtools
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    return 0
  fi
  mkdir -p /var/log/gcp /var/log/libvirt /run/libvirt
  pgrep -x virtlogd >/dev/null || virtlogd -d
  if ! pgrep -x libvirtd >/dev/null; then
    log "starting libvirtd"
    libvirtd -d
  fi
  local deadline=$((SECONDS + 60))
  until virsh -c qemu:///system version >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "libvirtd did not answer within 60 s; see /var/log/libvirt/libvirtd.log"
    sleep 0.2
  done
}

# Warns when the public pool (pool.cidr of the given publicips cfg) holds addresses this host itself uses: its
# own addresses and gateways outside gcp* devices, its name servers, its package sources. The platform puts no
# pool address on the host, but an operator who did (to reach public IPs) would cut those off; scripts/outside.sh
# reaches them from a namespace instead.
warn_public_pool_overlap() {
  local cfg=$1 block used
  block=$(awk -F= '$1 ~ /^[ \t]*pool.cidr[ \t]*$/ {gsub(/[ \t]/, "", $2); print $2}' "$cfg" 2>/dev/null | tail -n 1)
  [ -n "$block" ] || block=203.0.113.0/24
  used=$( {
    ip -4 -o addr show 2>/dev/null | awk '$2 !~ /^gcp/ {split($4, a, "/"); print a[1] " (address of " $2 ")"}'
    ip -4 route show table all 2>/dev/null | awk '/ via / && !/ dev gcp/ {for (i = 1; i < NF; i++) if ($i == "via") print $(i + 1) " (a gateway)"}'
    awk '$1 == "nameserver" {print $2 " (name server)"}' /etc/resolv.conf 2>/dev/null
    { grep -hoE '^[^#]*https?://[^/ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
      grep -hoE '^URIs:.*' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -oE 'https?://[^/ ]+'; } |
      sed -E 's#.*https?://##' | sort -u | while read -r name; do
        getent ahostsv4 "$name" 2>/dev/null | awk -v n="$name" '{print $1 " (package source " n ")"}' | sort -u
      done
  } | python3 -c '
import ipaddress, sys
block = ipaddress.ip_network(sys.argv[1], strict=False)
seen = set()
for line in sys.stdin:
    address = line.split()[0]
    try:
        inside = ipaddress.ip_address(address) in block
    except ValueError:
        continue
    if inside and line not in seen:
        seen.add(line)
        print(line.strip())
' "$block")
  if [ -n "$used" ]; then
    log "WARNING: the public pool $block (pool.cidr in $cfg) holds addresses this host uses:"
    printf '%s\n' "$used" | sed 's/^/    /' >&2
    log "  never put a pool address on this host (it would cut those off): reach public IPs with scripts/outside.sh,"
    log "  and give a real uplink a pool.cidr of its own"
  fi
}

# Lists the tests that Surefire or Failsafe reported skipped in reports newer than the marker file, and fails
# when CI is set: the test command installs every component, so a skip there hides a missing piece (or a
# regression that a test took for a missing piece). Elsewhere the list tells the developer what did not run.
check_skipped_tests() {
  local marker=$1 skipped
  skipped=$(set -o pipefail; find . -path '*/target/*-reports/TEST-*.xml' -newer "$marker" -print0 2>/dev/null |
    xargs -0 -r python3 -c '
import sys, xml.etree.ElementTree as ET
for path in sys.argv[1:]:
    for case in ET.parse(path).getroot().iter("testcase"):
        skip = case.find("skipped")
        if skip is not None:
            why = (skip.get("message") or skip.text or "").strip().splitlines()
            print("{}.{}: {}".format(case.get("classname"), case.get("name"), why[0] if why else "(no reason given)"))
') || die "cannot read the test reports"
  [ -z "$skipped" ] && return 0
  log "skipped tests:"
  printf '%s\n' "$skipped" | sed 's/^/    /' >&2
  if [ -n "${CI:-}" ]; then
    die "$(printf '%s\n' "$skipped" | wc -l) test(s) skipped in CI, where every component they need is installed"
  fi
}
