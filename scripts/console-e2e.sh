#!/usr/bin/env bash
# End-to-end test of the web console: starts the built all-in-one distribution on ports of its own
# (loopback only; its drivers confined to a network namespace of the script's own, gcpe2e<pid>-host,
# so that the host's networking stays untouched), drives the console with playwright-core in Debian's
# Chromium, and stops it again. Run after `mvn install`; instances need dockerd (start_docker).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

apt_install chromium curl
export_java_home
dist=$(ls karaf-assembly/all-in-one/target/gcp-all-in-one-*.tar.gz)
http=${GCP_E2E_HTTP_PORT:-18480} ssh=${GCP_E2E_SSH_PORT:-18481} broker=${GCP_E2E_BROKER_PORT:-16481}
for port in "$http" "$ssh" "$broker"; do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is in use; set GCP_E2E_*_PORT"
done

home=$(mktemp -d /tmp/gcp-console-e2e.XXXXXX)
hostns=gcpe2e$$-host
for old in $(ip netns list | awk '{print $1}' | grep -E '^gcpe2e[0-9]+-host$' || true); do
  pid=${old#gcpe2e}; pid=${pid%-host}
  kill -0 "$pid" 2>/dev/null || ip netns del "$old"
done
ip netns add "$hostns"
ip -n "$hostns" link set lo up
cleanup() {
  [ -x "$home/bin/stop" ] && "$home/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do pgrep -f "karaf.base=$home" >/dev/null || break; sleep 0.2; done
  pkill -9 -f "karaf.base=$home" 2>/dev/null || true
  # The VPC routers that served the run's namespace (marked on their loopback; the e2e deletes its VPC, this
  # is for interrupted runs). The e2e terminates its instance; a run killed mid-way may leave its container.
  for r in $(ip netns list | awk '{print $1}' | grep '^gcpr-' || true); do
    ip -n "$r" link show lo 2>/dev/null | grep -q "alias gcp-router@$hostns\$" && ip netns del "$r"
  done
  ip netns del "$hostns" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
tar -xzf "$dist" -C "$home" --strip-components=1
sed -i "s/^org.osgi.service.http.port.*/org.osgi.service.http.port = $http/" "$home/etc/org.ops4j.pax.web.cfg"
echo "org.ops4j.pax.web.listening.addresses = 127.0.0.1" >>"$home/etc/org.ops4j.pax.web.cfg"
sed -i "s/^sshPort.*/sshPort = $ssh/; s/^sshHost.*/sshHost = 127.0.0.1/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^acceptor.port.*/acceptor.port = $broker/" "$home/etc/io.goncloud.broker.cfg"
sed -i "s|^broker.url.*|broker.url = tcp://127.0.0.1:$broker|" "$home/etc/io.goncloud.messaging.cfg"
sed -i "s/^host.id.*/host.id = $hostns/" "$home/etc/io.goncloud.agent.cfg"
for pid in io.goncloud.driver.linuxbridge io.goncloud.driver.nftables io.goncloud.driver.docker; do
  echo "host.netns = $hostns" >>"$home/etc/$pid.cfg"
done
echo "state.dir = $home/data/docker" >>"$home/etc/io.goncloud.driver.docker.cfg"

log "starting the platform for the console test on 127.0.0.1:$http"
"$home/bin/start"
await_http_ok "http://127.0.0.1:$http/api/v1/health" 240 || die "the platform did not start; see $home/data/log/karaf.log"
await_http_ok "http://127.0.0.1:$http/console/" 60 || die "the console is not served at /console/"

status=0
GCP_E2E_URL="http://127.0.0.1:$http" GCP_E2E_ADMIN_EMAIL=admin@gcp.local \
  GCP_E2E_ADMIN_PASSWORD="$(cat "$home/data/gcp/initial-admin-password")" \
  npm --prefix ui-bundle run e2e || status=$?
if [ "$status" != 0 ]; then
  # The platform's side of a failure: its log is kept beside the screenshots and its warnings shown here,
  # since the platform's home goes with the cleanup.
  mkdir -p ui-bundle/target && cp "$home/data/log/karaf.log" ui-bundle/target/console-e2e-karaf.log || true
  log "the platform's warnings and errors during the test (full log: ui-bundle/target/console-e2e-karaf.log):"
  grep -E '\| (WARN|ERROR) ' "$home/data/log/karaf.log" | tail -n 60 >&2 || true
  # And what the platform holds: every instance with its state and state history, as an administrator sees them.
  admin_token=$(curl -s -H 'Content-Type: application/json' --data "{\"email\": \"admin@gcp.local\", \"password\":
    \"$(cat "$home/data/gcp/initial-admin-password")\"}" "http://127.0.0.1:$http/api/v1/auth/login" |
    sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
  log "the platform's instances now:"
  for id in $(curl -s -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$http/api/v1/instances?limit=100" |
      grep -o '"id" *: *"[0-9a-f-]\{36\}"' | grep -o '[0-9a-f-]\{36\}' | sort -u); do
    curl -s -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$http/api/v1/instances/$id" >&2; echo >&2
    curl -s -H "Authorization: Bearer $admin_token" "http://127.0.0.1:$http/api/v1/instances/$id/events" >&2; echo >&2
  done
  exit "$status"
fi
