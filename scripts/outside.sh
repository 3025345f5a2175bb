#!/usr/bin/env bash
# An "outside" host for trying public addresses on one machine, without touching the host's own addresses:
# a network namespace (gcp-outside) plugged into the provider bridge, holding the provider network's gateway
# address. Putting that address on the host instead (ip addr add ... dev gcp-provider) can cut the host off
# where its own traffic goes to addresses in the same block.
#   scripts/outside.sh up                          make it (idempotent)
#   scripts/outside.sh run curl http://<public-ip>:8080/   a command from outside
#   scripts/outside.sh down                        remove it
# The block and bridge are read from the running platform's etc/io.goncloud.publicips.cfg (GCP_HOME,
# default run/gcp-all-in-one); the address is provider.gateway, or the block's first address.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

NETNS=gcp-outside
HOST_END=gcpout0
NS_END=gcpout1
cfg="${GCP_HOME:-run/gcp-all-in-one}/etc/io.goncloud.publicips.cfg"

setting() { # key default
  local value=""
  [ -f "$cfg" ] && value=$(sed -nE "s/^[[:space:]]*${1//./\\.}[[:space:]]*=[[:space:]]*(.*[^[:space:]])?[[:space:]]*\$/\\1/p" "$cfg" | tail -n 1)
  echo "${value:-$2}"
}

block=$(setting pool.cidr 203.0.113.0/24)
bridge=$(setting provider.bridge gcp-provider)
gateway=$(setting provider.gateway "")
if [ -z "$gateway" ]; then
  gateway=$(python3 -c 'import ipaddress, sys; print(next(ipaddress.ip_network(sys.argv[1], strict=False).hosts()))' "$block")
fi
prefix=${block#*/}

case "${1:-}" in
  up)
    [ "$(id -u)" -eq 0 ] || die "need root"
    ip link show "$bridge" >/dev/null 2>&1 || die "the provider bridge $bridge does not exist: start the platform first (scripts/start.sh)"
    ip netns list | grep -qw "^$NETNS" || ip netns add "$NETNS"
    if ! ip link show "$HOST_END" >/dev/null 2>&1; then
      ip link add "$HOST_END" type veth peer name "$NS_END" netns "$NETNS"
    fi
    ip link set "$HOST_END" master "$bridge" up
    ip -n "$NETNS" link set lo up
    ip -n "$NETNS" link set "$NS_END" up
    ip -n "$NETNS" addr replace "$gateway/$prefix" dev "$NS_END"
    log "outside host $NETNS is up with $gateway/$prefix on $bridge; try: scripts/outside.sh run curl http://<public-ip>:<port>/"
    ;;
  run)
    shift
    ip netns list | grep -qw "^$NETNS" || die "no outside host yet: scripts/outside.sh up"
    exec ip netns exec "$NETNS" "$@"
    ;;
  down)
    ip link del "$HOST_END" 2>/dev/null || true
    ip netns del "$NETNS" 2>/dev/null || true
    log "outside host removed"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
