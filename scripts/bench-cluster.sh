#!/usr/bin/env bash
# Cross-host throughput on the three-host simulation (scripts/cluster.sh up must be running): one TCP stream
# between two instances of one subnet placed on the two workers (through the platform's VXLAN overlay, veths,
# bridges and security groups), beside a raw VXLAN link between two namespaces of this script's own on the same
# underlay bridge, measured in the same run with the same tool: iperf3 run from the host inside the instances'
# network namespaces (nsenter), so the instances need no iperf3 of their own; the two paths interleave run by
# run. Figures go to standard output as Markdown (docs/benchmarks.md), progress to standard error.
#
#   scripts/bench-cluster.sh [--seconds 5] [--repeat 5]
#
# Needs root. The instances belong to a user the script registers; its namespaces are gcpcb-a and gcpcb-b;
# everything is removed at the end and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

seconds=5
repeat=5
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "needs root"
apt_install curl jq iproute2 iperf3
api=http://127.0.0.1:${GCP_CLUSTER_PORT:-18080}/api/v1
curl -fsS "$api/health" >/dev/null || die "no cluster answers at $api (scripts/cluster.sh up)"

token=
vpc=
ids=()
cleanup() {
  set +e
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
# One TCP stream, Gbit/s at the receiver: iperf3's server in one network namespace, its client in another.
stream() { # server-netns-args client-netns-args address
  local server
  # shellcheck disable=SC2086
  nsenter $1 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  server=$!
  # shellcheck disable=SC2086
  until nsenter $1 ss -ltn 2>/dev/null | grep -q ':5201 '; do sleep 0.1; done
  # shellcheck disable=SC2086
  nsenter $2 iperf3 -c "$3" -p 5201 -t "$seconds" -J | jq -r '.end.sum_received.bits_per_second / 1e9 * 10 | round / 10'
  wait "$server" 2>/dev/null || true
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

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
  '{"direction":"inbound","protocol":"tcp","from_port":5201,"to_port":5201,"source":"10.201.0.0/16"}' >/dev/null

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
receiver_pid=$(engine "${host[receiver]}" inspect -f '{{.State.Pid}}' "$receiver")
sender_pid=$(engine "${host[sender]}" inspect -f '{{.State.Pid}}' "$sender")
platform=()
baseline=()
for run in $(seq 1 "$repeat"); do
  log "run $run of $repeat"
  # The platform: sender's namespace -> veth -> its worker's bridge -> VXLAN -> the other worker -> receiver's.
  platform+=("$(stream "-t $receiver_pid -n" "-t $sender_pid -n" "${ip[receiver]}")")
  baseline+=("$(stream "--net=/run/netns/gcpcb-b" "--net=/run/netns/gcpcb-a" 192.168.250.2)")
done

echo "Cross-host throughput, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| one TCP stream, iperf3 -t $seconds (Gbit/s at the receiver) | median | runs |"
echo "| --- | --- | --- |"
echo "| platform: instance on ${host[sender]} -> instance on ${host[receiver]} (VXLAN overlay) | $(printf '%s\n' "${platform[@]}" | median) | ${platform[*]} |"
echo "| baseline: raw VXLAN link between two namespaces on the same underlay | $(printf '%s\n' "${baseline[@]}" | median) | ${baseline[*]} |"
