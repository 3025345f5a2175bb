#!/usr/bin/env bash
# Cross-host throughput on the three-host simulation (scripts/cluster.sh up must be running): one TCP stream
# between two instances of one subnet placed on the two workers (through the platform's VXLAN overlay, veths,
# bridges and security groups), beside a raw VXLAN link between two namespaces of this script's own on the same
# underlay bridge, measured in the same run with the same tools (busybox dd into busybox nc). Figures go to
# standard output as Markdown (docs/benchmarks.md), progress to standard error.
#
#   scripts/bench-cluster.sh [--mib 512] [--repeat 3]
#
# Needs root. The instances belong to a user the script registers; its namespaces are gcpcb-a and gcpcb-b;
# everything is removed at the end and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

mib=512
repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --mib) mib=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "needs root"
apt_install curl jq iproute2 busybox-static
api=http://127.0.0.1:${GCP_CLUSTER_PORT:-18080}/api/v1
curl -fsS "$api/health" >/dev/null || die "no cluster answers at $api (scripts/cluster.sh up)"

token=
vpc=
ids=()
cleanup() {
  set +e
  [ -n "${tools:-}" ] && rm -rf "$tools"
  ip netns del gcpcb-a 2>/dev/null
  ip netns del gcpcb-b 2>/dev/null
  for id in "${ids[@]}"; do call DELETE "/instances/$id" >/dev/null; done
  if [ -n "$vpc" ]; then
    for id in "${ids[@]}"; do
      for _ in $(seq 1 120); do [ "$(call GET "/instances/$id" | jq -r .state)" = terminated ] && break; sleep 0.5; done
    done
    for s in $(call GET "/subnets?vpc_id=$vpc" | jq -r '.items[].id'); do call DELETE "/subnets/$s" >/dev/null; done
    call DELETE "/vpcs/$vpc" >/dev/null
  fi
}
trap cleanup EXIT

call() { # method path [json]
  curl -sS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+--data "$3"} "$api$2"
}
engine() { # worker: its Docker Engine
  docker -H "unix:///run/gcp/cluster/$1/docker/docker.sock" "${@:2}"
}
# One stream from inside a shell (a container's, or a namespace's): MiB/s from the sender's clock, start to the
# moment dd has handed its last byte over (the socket buffers' few MiB still in flight: under 3% of the total).
# busybox has no timing dd and no %N in date; /proc/uptime counts in centiseconds.
stream() { # shell-prefix... -- address
  local address=${*: -1}
  "${@:1:$#-2}" sh -c "t0=\$(cut -d' ' -f1 /proc/uptime); { dd if=/dev/zero bs=65536 count=$((mib * 16)) 2>/dev/null; \
    cut -d' ' -f1 /proc/uptime >/tmp/gcpcb-t1; } | nc -w 1 $address 5001; \
    awk -v t0=\$t0 -v mib=$mib '{printf \"%.0f\\n\", mib / (\$1 - t0)}' /tmp/gcpcb-t1; rm -f /tmp/gcpcb-t1"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

email="bench-cluster-$$-$(date +%s)@example.test"
curl -fsS -H 'Content-Type: application/json' --data "{\"username\":\"bench\",\"email\":\"$email\",\"password\":\"bench-password-$$\"}" \
  "$api/auth/register" >/dev/null
token=$(curl -fsS -H 'Content-Type: application/json' --data "{\"email\":\"$email\",\"password\":\"bench-password-$$\"}" \
  "$api/auth/login" | jq -r .access_token)
admin_token=$(curl -fsS -H 'Content-Type: application/json' --data "{\"email\":\"admin@gcp.local\",\"password\":\"$(cat run/cluster/gcpc-ctl/data/gcp/initial-admin-password)\"}" \
  "$api/auth/login" | jq -r .access_token)
image=$(call GET /images | jq -r '.items[] | select(.name == "busybox") | .id' | head -1)
vpc_json=$(call POST /vpcs '{"name":"bench","cidr_block":"10.201.0.0/16"}')
vpc=$(jq -r .id <<<"$vpc_json")
group=$(jq -r .default_security_group_id <<<"$vpc_json")
subnet=$(call POST /subnets "{\"vpc_id\":\"$vpc\",\"name\":\"bench\",\"cidr_block\":\"10.201.1.0/24\"}" | jq -r .id)
call POST "/security-groups/$group/rules" \
  '{"direction":"inbound","protocol":"tcp","from_port":5001,"to_port":5001,"source":"10.201.0.0/16"}' >/dev/null

declare -A host ip
for name in sender receiver; do
  reply=$(call POST /instances "{\"name\":\"$name\",\"instance_type\":\"t2.nano\",\"image_id\":\"$image\",\"subnet_id\":\"$subnet\"}")
  id=$(jq -r .id <<<"$reply")
  [ "$id" != null ] || die "launch failed: $reply"
  ids+=("$id")
  ip[$name]=$(jq -r .private_ip <<<"$reply")
  until [ "$(call GET "/instances/$id" | jq -r .state)" = running ]; do sleep 0.5; done
  node=$(call GET "/instances/$id" | jq -r .worker_node_id)
  host[$name]=$(curl -fsS -H "Authorization: Bearer $admin_token" "$api/nodes/$node" | jq -r .hostname)
  log "$name ${ip[$name]} on ${host[$name]}"
done
[ "${host[sender]}" != "${host[receiver]}" ] || die "both instances landed on ${host[sender]}; spread placement should part them"
sender=gcp-${ids[0]}
receiver=gcp-${ids[1]}

# The platform: sender's container -> its worker's bridge -> VXLAN over the underlay -> receiver's container.
platform=()
for _ in $(seq 1 "$repeat"); do
  # busybox nc ends a connection when its own stdin ends: the receiver's stays open (an idle sleep) until it exits.
  engine "${host[receiver]}" exec -d "$receiver" sh -c 'sleep 6001 | nc -l -p 5001 > /dev/null'
  until engine "${host[receiver]}" exec "$receiver" sh -c 'netstat -ltn | grep -q ":5001 "'; do sleep 0.1; done
  platform+=("$(stream engine "${host[sender]}" exec "$sender" -- "${ip[receiver]}")")
done

# The baseline: a raw VXLAN link (same MTU arithmetic) between two namespaces on the same underlay bridge.
ip netns add gcpcb-a
ip netns add gcpcb-b
n=0
for side in a b; do
  n=$((n + 1))
  ip link add eth0 netns "gcpcb-$side" mtu 1550 type veth peer name "gcpcbu$side" netns gcpc-net mtu 1550
  ip -n gcpc-net link set "gcpcbu$side" master gcpcu0 up
  ip -n "gcpcb-$side" addr add "10.250.0.$((200 + n))/24" dev eth0
  ip -n "gcpcb-$side" link set eth0 up
  ip -n "gcpcb-$side" link set lo up
done
ip -n gcpcb-a link add vx0 type vxlan id 16000000 local 10.250.0.201 remote 10.250.0.202 dstport 4789
ip -n gcpcb-b link add vx0 type vxlan id 16000000 local 10.250.0.202 remote 10.250.0.201 dstport 4789
for side in a b; do
  ip -n "gcpcb-$side" link set vx0 mtu 1500 up
done
ip -n gcpcb-a addr add 192.168.250.1/24 dev vx0
ip -n gcpcb-b addr add 192.168.250.2/24 dev vx0
# The same busybox tools as inside the instances.
tools=$(mktemp -d /tmp/gcpcb-tools.XXXXXX)
for tool in sh dd nc cut awk rm sleep; do ln -s "$(command -v busybox)" "$tools/$tool"; done
baseline=()
for _ in $(seq 1 "$repeat"); do
  ip netns exec gcpcb-b sh -c 'busybox sleep 6001 | busybox nc -l -p 5001 >/dev/null' &
  listener=$!
  until ip netns exec gcpcb-b busybox netstat -ltn | grep -q ":5001 "; do sleep 0.1; done
  baseline+=("$(stream ip netns exec gcpcb-a env "PATH=$tools" -- 192.168.250.2)")
  pkill -f "busybox sleep 6001" || true
  wait "$listener" 2>/dev/null || true
done

echo "Cross-host throughput, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| one TCP stream, $mib MiB, busybox dd into nc (MiB/s) | median | runs |"
echo "| --- | --- | --- |"
echo "| platform: instance on ${host[sender]} -> instance on ${host[receiver]} (VXLAN overlay) | $(printf '%s\n' "${platform[@]}" | median) | ${platform[*]} |"
echo "| baseline: raw VXLAN link between two namespaces on the same underlay | $(printf '%s\n' "${baseline[@]}" | median) | ${baseline[*]} |"
