#!/usr/bin/env bash
# Instance launch benchmark against a running all-in-one platform (scripts/start.sh): the time from the
# launch API call until the instance accepts TCP on its private address, p50 and p95 over N sequential
# launches, beside a hand-made `docker run` of the same image with the same veth plumbing measured in the
# same run; then N concurrent launches and the time until all accept TCP. Figures: docs/benchmarks.md.
#
#   scripts/bench-instances.sh [--runs 20] [--concurrent N (default: runs)] [--api http://127.0.0.1:8080/api/v1]
#                              [--docker-host unix:///path/docker.sock (the baseline's engine)]
#
# On the three-host simulation (scripts/cluster.sh up): --api http://127.0.0.1:18080/api/v1 --docker-host
# unix:///run/gcp/cluster/gcpc-w1/docker/docker.sock (the baseline runs on a worker's engine, where the image is).
#
# Needs root, curl, jq, docker, iproute2 and the platform running on this host with its agent on. The
# platform's instances live in a VPC of a user the script registers; TCP is probed from the VPC's router
# namespace (it has a leg in the subnet). The baseline's containers are plugged into a bridge in a
# namespace of the script's own (gcpbi<pid>-base). Everything is removed at the end and on Ctrl-C.
# Figures go to standard output as Markdown, progress to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

runs=20
concurrent_runs=
api=http://127.0.0.1:8080/api/v1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --concurrent) concurrent_runs=$2; shift 2 ;;
    --api) api=$2; shift 2 ;;
    --docker-host) export DOCKER_HOST=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
concurrent_runs=${concurrent_runs:-$runs}
[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, docker)"
apt_install curl jq iproute2 netcat-openbsd
docker version >/dev/null 2>&1 || die "dockerd is not running (scripts/start.sh starts it)"
curl -fsS "$api/health" >/dev/null || die "the platform does not answer at $api (run scripts/start.sh)"

ns=gcpbi$$-base
launched=$(mktemp)   # ids of the platform's instances (launches time in subshells)
token=
vpc=
ids=()
base_containers=()
cleanup() {
  set +e
  mapfile -t ids <"$launched"; rm -f "$launched"
  for id in "${ids[@]}"; do curl -s -X DELETE -H "Authorization: Bearer $token" "$api/instances/$id" >/dev/null; done
  for c in "${base_containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  ip netns del "$ns" 2>/dev/null
  if [ -n "$vpc" ]; then
    for _ in $(seq 1 120); do
      left=$(curl -s -H "Authorization: Bearer $token" "$api/instances?vpc_id=$vpc&limit=100" |
        jq '[.items[] | select(.state != "terminated")] | length')
      [ "${left:-0}" = 0 ] && break
      sleep 0.5
    done
    subnet_ids=$(curl -s -H "Authorization: Bearer $token" "$api/subnets?vpc_id=$vpc" | jq -r '.items[].id')
    for s in $subnet_ids; do curl -s -X DELETE -H "Authorization: Bearer $token" "$api/subnets/$s" >/dev/null; done
    curl -s -X DELETE -H "Authorization: Bearer $token" "$api/vpcs/$vpc" >/dev/null
  fi
}
trap cleanup EXIT
# Leftovers of dead runs.
for old in $(ip netns list | awk '{print $1}' | grep -E '^gcpbi[0-9]+-base$' || true); do
  pid=${old#gcpbi}; pid=${pid%-base}
  kill -0 "$pid" 2>/dev/null || ip netns del "$old"
done

call() { # method path [json]
  curl -sS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$api$2"
}
now_ms() { date +%s%3N; }
percentile() { # p, values on stdin
  sort -n | awk -v p="$1" '{v[NR]=$1} END {i=int((p/100)*NR+0.999999); if (i<1) i=1; print v[i]}'
}

email="bench-$$-$(date +%s)@example.test"
curl -fsS -H 'Content-Type: application/json' --data "{\"username\":\"bench\",\"email\":\"$email\",\"password\":\"bench-password-$$\"}" \
  "$api/auth/register" >/dev/null
token=$(curl -fsS -H 'Content-Type: application/json' --data "{\"email\":\"$email\",\"password\":\"bench-password-$$\"}" \
  "$api/auth/login" | jq -r .access_token)
image=$(call GET /images | jq -r '.items[] | select(.name == "busybox") | .id' | head -1)
[ -n "$image" ] || die "no busybox image (io.goncloud.images default.image.enabled)"
vpc_json=$(call POST /vpcs '{"name":"bench","cidr_block":"10.199.0.0/16"}')
vpc=$(jq -r .id <<<"$vpc_json")
group=$(jq -r .default_security_group_id <<<"$vpc_json")
subnet=$(call POST /subnets "{\"vpc_id\":\"$vpc\",\"name\":\"bench\",\"cidr_block\":\"10.199.1.0/24\"}" | jq -r .id)
call POST "/security-groups/$group/rules" \
  '{"direction":"inbound","protocol":"tcp","from_port":8080,"to_port":8080,"source":"10.199.0.0/16"}' >/dev/null
router=gcpr-$vpc
user_data='#!/bin/sh\nmkdir -p /www && echo pong > /www/index.html && httpd -p 8080 -h /www\n'
launch_body="{\"instance_type\":\"t2.nano\",\"image_id\":\"$image\",\"subnet_id\":\"$subnet\",\"user_data\":\"$user_data\"}"

accepts() { # namespace address
  # A short attempt: a SYN sent before the instance is plugged in is lost, and waiting for the kernel to
  # retransmit it (1 s) would measure the probe, not the launch.
  ip netns exec "$1" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | timeout 0.3 nc -w 1 $2 8080 2>/dev/null" | grep -q pong
}
launch_and_time() { # prints ms from the API call until TCP answers
  local t0 reply id ip
  t0=$(now_ms)
  reply=$(call POST /instances "$launch_body")
  id=$(jq -r .id <<<"$reply"); ip=$(jq -r .private_ip <<<"$reply")
  [ "$id" != null ] || die "launch failed: $reply"
  echo "$id" >>"$launched"
  until [ -e "/run/netns/$router" ] && accepts "$router" "$ip"; do sleep 0.02; done
  echo $(( $(now_ms) - t0 ))
}
terminate_all() {
  mapfile -t ids <"$launched"
  for id in "${ids[@]}"; do call DELETE "/instances/$id" >/dev/null; done
  for id in "${ids[@]}"; do
    until [ "$(call GET "/instances/$id" | jq -r .state)" = terminated ]; do sleep 0.2; done
  done
  ids=()
  : >"$launched"
}

log "warm-up launch (builds the image gcp-image:$image once)"
launch_and_time >/dev/null
terminate_all

log "platform: $runs sequential launches"
platform=()
for _ in $(seq 1 "$runs"); do platform+=("$(launch_and_time)"); done
terminate_all

log "baseline: $runs hand-made docker run + veth plumbing of gcp-image:$image"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add gcpbibr type bridge
ip -n "$ns" addr add 10.198.0.1/24 dev gcpbibr
ip -n "$ns" link set gcpbibr up
baseline=()
for n in $(seq 1 "$runs"); do
  name=gcpbi$$-$n
  t0=$(now_ms)
  docker run -d --network none --name "$name" "gcp-image:$image" /bin/sh -c \
    'mkdir -p /www && echo pong > /www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null
  base_containers+=("$name")
  pid=$(docker inspect -f '{{.State.Pid}}' "$name")
  ip -n "$ns" link add "gcpbih$n" type veth peer name "gcpbic$n"
  ip -n "$ns" link set "gcpbih$n" master gcpbibr up
  ip -n "$ns" link set "gcpbic$n" netns "$pid"
  nsenter -t "$pid" -n ip link set "gcpbic$n" name eth0
  nsenter -t "$pid" -n ip addr add "10.198.0.$((n + 10))/24" dev eth0
  nsenter -t "$pid" -n ip link set eth0 up
  until accepts "$ns" "10.198.0.$((n + 10))"; do sleep 0.02; done
  baseline+=("$(( $(now_ms) - t0 ))")
done
for c in "${base_containers[@]}"; do docker rm -f "$c" >/dev/null; done
base_containers=()

log "platform: $concurrent_runs concurrent launches"
t0=$(now_ms)
pairs=$(for _ in $(seq 1 "$concurrent_runs"); do call POST /instances "$launch_body" & done; wait)
jq -r .id <<<"$pairs" >"$launched"
mapfile -t ids <"$launched"
mapfile -t ips < <(jq -r .private_ip <<<"$pairs")
[ "${#ids[@]}" = "$concurrent_runs" ] || die "not every concurrent launch was accepted: $pairs"
distinct=$(printf '%s\n' "${ips[@]}" | sort -u | wc -l)
for ip in "${ips[@]}"; do until accepts "$router" "$ip"; do sleep 0.05; done; done
concurrent=$(( $(now_ms) - t0 ))
terminate_all

stats() { # name values...
  local name=$1; shift
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$(printf '%s\n' "$@" | percentile 50)" \
    "$(printf '%s\n' "$@" | percentile 95)" "$(printf '%s\n' "$@" | sort -n | head -1)" \
    "$(printf '%s\n' "$@" | sort -n | tail -1)"
}
echo "Instance launch, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| $runs launches (ms to TCP accepted) | p50 | p95 | min | max |"
echo "| --- | --- | --- | --- | --- |"
stats "platform: API call to TCP on the private IP" "${platform[@]}"
stats "baseline: docker run + veth + address to TCP" "${baseline[@]}"
echo
echo "$concurrent_runs concurrent launches: all accepting TCP after $concurrent ms, $distinct distinct addresses."
