#!/usr/bin/env bash
# Builds the all-in-one distribution and starts it in the background: REST API on :8080/api/v1,
# embedded H2 database and Artemis broker, data kept in run/gcp-all-in-one/data across restarts.
#   scripts/start.sh            build (skipping tests), start, wait until the API answers and the worker reported
#   GCP_SKIP_BUILD=1 scripts/start.sh   start what was built last
# Stop with: run/gcp-all-in-one/bin/stop
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

require_build_tools
# iproute2, nftables, conntrack: the network agent's drivers; dnsmasq-base: their DHCP servers (one
# dnsmasq per subnet in its router, no system service); busybox-static: the default image
# (io.goncloud.images); docker.io: the Docker compute driver, started so that it leaves the host's
# firewall and bridges alone (the platform owns the instances' networking).
apt_install curl openssh-client iproute2 nftables conntrack procps dnsmasq-base busybox-static
start_docker
# libvirt with QEMU: the libvirt compute driver's virtual machines (KVM where it really runs guests, TCG
# otherwise), and the default VM image busybox-vm (Debian kernel + busybox, built here from Debian's
# packages; nothing is downloaded when an instance launches).
# Optional: without them the platform runs containers only (the libvirt driver reports itself unusable).
(start_libvirt) || log "warning: libvirt did not start; virtual machines are unavailable"
vm_image=${GCP_VM_IMAGE:-/var/lib/gcp/vm-image/busybox-vm.qcow2}
scripts/build-vm-image.sh "$vm_image" >/dev/null || log "warning: the VM image $vm_image could not be built"
export_java_home

if [ -z "${GCP_SKIP_BUILD:-}" ]; then
  log "building (mvn install -DskipTests)"
  mvn -B -q install -DskipTests
fi
dist=$(ls karaf-assembly/all-in-one/target/gcp-all-in-one-*.tar.gz)
home=run/gcp-all-in-one

if [ -x "$home/bin/status" ] && "$home/bin/status" >/dev/null 2>&1; then
  log "stopping the running platform to start the new build"
  "$home/bin/stop"
  for _ in $(seq 1 100); do "$home/bin/status" >/dev/null 2>&1 || break; sleep 0.2; done
fi

# A fresh copy of the distribution, keeping the data (database, secrets, broker journal) of earlier runs.
mkdir -p run
fresh=$(mktemp -d run/.unpack.XXXXXX)
tar -xzf "$dist" -C "$fresh" --strip-components=1
if [ -d "$home/data/gcp" ]; then
  mkdir -p "$fresh/data"
  cp -a "$home/data/gcp" "$fresh/data/"
  [ -d "$home/data/artemis" ] && cp -a "$home/data/artemis" "$fresh/data/"
fi
[ -f "$home/etc/gcp-operator.key" ] && cp -a "$home/etc/gcp-operator.key" "$home/etc/gcp-operator.key.pub" "$fresh/etc/" &&
  grep '^operator=' "$home/etc/keys.properties" >>"$fresh/etc/keys.properties"
rm -rf "$home"
mv "$fresh" "$home"

warn_public_pool_overlap "$home/etc/io.goncloud.publicips.cfg"
started=$(date +%s)
log "starting $(basename "$dist" .tar.gz)"
"$home/bin/start"
port=$(awk -F= '/^org.osgi.service.http.port/ {gsub(/ /, "", $2); print $2}' "$home/etc/org.ops4j.pax.web.cfg")
if ! await_http_ok "http://127.0.0.1:$port/api/v1/health" 120; then
  die "the API did not answer within 120 s; see $home/data/log/karaf.log"
fi
# Launches are placed once this host's worker has reported since the start (its first heartbeat comes a few
# seconds after the API answers): asked through the operator shell.
since=$(date -u -d "@$started" +%Y-%m-%dT%H:%M:%S)
worker_reported() {
  "$home/bin/gcp-shell" gcp:node-list 2>/dev/null | awk -F'|' -v since="$since" '
    NR > 2 { gsub(/ /, "", $3); gsub(/ /, "", $7); if ($3 == "up" && $7 >= since) found = 1 }
    END { exit !found }'
}
reported_by=$((SECONDS + 60))
until worker_reported; do
  if [ $SECONDS -ge $reported_by ]; then
    log "warning: this host's worker has not reported within 60 s: launches fail until it does (see $home/data/log/karaf.log)"
    break
  fi
  sleep 1
done
log "ready in $(( $(date +%s) - started )) s: REST API at http://127.0.0.1:$port/api/v1 (OpenAPI: /api/v1/openapi.json)"

# The generated administrator password is shown once: when this start created it.
password_file="$home/data/gcp/initial-admin-password"
if [ -f "$password_file" ] && [ "$(stat -c %Y "$password_file")" -ge "$started" ]; then
  log "administrator: $(grep -E '^admin.email' "$home/etc/io.goncloud.auth.cfg" | cut -d= -f2 | tr -d ' ')," \
      "password: $(cat "$password_file")"
  log "(shown once; also in $password_file, readable by you only: delete it once noted)"
fi
log "operator shell: $home/bin/gcp-shell    stop: $home/bin/stop    logs: $home/data/log/karaf.log"
