#!/usr/bin/env bash
# VM launch benchmark against a running all-in-one platform (scripts/start.sh) with the libvirt driver: the
# time from the launch API call until the VM accepts TCP on its private address, over N sequential launches of
# the public busybox-vm image, beside `virsh create` of an equivalent hand-written domain (same image as a
# copy-on-write overlay, same NoCloud seed and user data, a tap on a bridge, DHCP from a dnsmasq) measured in
# the same run. Figures: docs/benchmarks.md.
#
#   scripts/bench-vms.sh [--runs 5] [--api http://127.0.0.1:8080/api/v1]
#
# Needs root, the platform running with its agent on, libvirtd (scripts/lib.sh start_libvirt), the busybox-vm
# image registered (io.goncloud.images default.vm.image.file) and at /var/lib/gcp/vm-image/busybox-vm.qcow2.
# The baseline lives in a namespace of the script's own (gcpbv<pid>-base) and a bridge gcpbv<pid> in the root
# namespace (libvirt's taps are created there); both are removed at the end and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

runs=5
api=http://127.0.0.1:8080/api/v1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --api) api=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, libvirt)"
apt_install curl jq iproute2 netcat-openbsd dosfstools mtools qemu-utils dnsmasq-base
virsh -c qemu:///system version >/dev/null 2>&1 || die "libvirtd does not answer (scripts/lib.sh start_libvirt)"
curl -fsS "$api/health" >/dev/null || die "the platform does not answer at $api (run scripts/start.sh)"
base_image=${GCP_VM_IMAGE:-/var/lib/gcp/vm-image/busybox-vm.qcow2}
[ -f "$base_image" ] || die "no $base_image (scripts/build-vm-image.sh builds it)"

ns=gcpbv$$-base
bridge=gcpbv$$
work=$(mktemp -d /var/tmp/gcpbv.XXXXXX)
launched=$(mktemp)
token=
vpc=
cleanup() {
  set +e
  for d in $(virsh -c qemu:///system list --all --name | grep "^gcpbv$$-"); do
    virsh -c qemu:///system destroy "$d" >/dev/null 2>&1
  done
  mapfile -t ids <"$launched"; rm -f "$launched"
  for id in "${ids[@]}"; do curl -s -X DELETE -H "Authorization: Bearer $token" "$api/instances/$id" >/dev/null; done
  [ -f "$work/dnsmasq.pid" ] && kill "$(cat "$work/dnsmasq.pid")" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  ip link del "$bridge" 2>/dev/null
  rm -rf "$work"
  if [ -n "$vpc" ]; then
    for id in "${ids[@]}"; do
      for _ in $(seq 1 240); do
        [ "$(curl -s -H "Authorization: Bearer $token" "$api/instances/$id" | jq -r .state)" = terminated ] && break
        sleep 0.5
      done
    done
    for s in $(curl -s -H "Authorization: Bearer $token" "$api/subnets?vpc_id=$vpc" | jq -r '.items[].id'); do
      curl -s -X DELETE -H "Authorization: Bearer $token" "$api/subnets/$s" >/dev/null
    done
    curl -s -X DELETE -H "Authorization: Bearer $token" "$api/vpcs/$vpc" >/dev/null
  fi
}
trap cleanup EXIT

call() { # method path [json]
  curl -sS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$api$2"
}
now_ms() { date +%s%3N; }
percentile() { # p, values on stdin
  sort -n | awk -v p="$1" '{v[NR]=$1} END {i=int((p/100)*NR+0.999999); if (i<1) i=1; print v[i]}'
}
accepts() { # namespace address: short attempts, so that a lost SYN does not measure the probe
  ip netns exec "$1" sh -c "timeout 0.3 nc -w 1 $2 8080 </dev/null 2>/dev/null" | grep -q hello
}

email="benchvm-$$-$(date +%s)@example.test"
curl -fsS -H 'Content-Type: application/json' \
  --data "{\"username\":\"benchvm\",\"email\":\"$email\",\"password\":\"bench-password-$$\"}" "$api/auth/register" >/dev/null
token=$(curl -fsS -H 'Content-Type: application/json' --data "{\"email\":\"$email\",\"password\":\"bench-password-$$\"}" \
  "$api/auth/login" | jq -r .access_token)
image=$(call GET /images | jq -r '.items[] | select(.name == "busybox-vm") | .id' | head -1)
[ -n "$image" ] || die "no busybox-vm image registered (io.goncloud.images default.vm.image.file)"
vpc_json=$(call POST /vpcs '{"name":"benchvm","cidr_block":"10.195.0.0/16"}')
vpc=$(jq -r .id <<<"$vpc_json")
group=$(jq -r .default_security_group_id <<<"$vpc_json")
subnet=$(call POST /subnets "{\"vpc_id\":\"$vpc\",\"name\":\"benchvm\",\"cidr_block\":\"10.195.1.0/24\"}" | jq -r .id)
call POST "/security-groups/$group/rules" \
  '{"direction":"inbound","protocol":"tcp","from_port":8080,"to_port":8080,"source":"10.195.0.0/16"}' >/dev/null
router=gcpr-$vpc
# Debian's busybox nc has no -k; -ll keeps listening.
user_data='#!/bin/sh\nnc -ll -p 8080 -e echo hello &\n'
launch_body="{\"instance_type\":\"t2.nano\",\"image_id\":\"$image\",\"subnet_id\":\"$subnet\",\"user_data\":\"$user_data\"}"

platform=()
accel=
log "platform: $runs sequential VM launches"
for _ in $(seq 1 "$runs"); do
  t0=$(now_ms)
  reply=$(call POST /instances "$launch_body")
  id=$(jq -r .id <<<"$reply"); ip=$(jq -r .private_ip <<<"$reply")
  [ "$id" != null ] || die "launch failed: $reply"
  echo "$id" >>"$launched"
  until [ -e "/run/netns/$router" ] && accepts "$router" "$ip"; do sleep 0.05; done
  platform+=("$(( $(now_ms) - t0 ))")
  accel=$(virsh -c qemu:///system dumpxml "gcp-$id" 2>/dev/null | sed -n "s/^<domain type='\([a-z]*\)'.*/\1/p")
  call DELETE "/instances/$id" >/dev/null
  until [ "$(call GET "/instances/$id" | jq -r .state)" = terminated ]; do sleep 0.2; done
done

log "baseline: $runs x virsh create of a hand-written domain"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip link add "$bridge" type bridge
ip link set "$bridge" up
ip link add "${bridge}h" type veth peer name "${bridge}n" netns "$ns"
ip link set "${bridge}h" master "$bridge" up
ip -n "$ns" addr add 10.194.0.1/24 dev "${bridge}n"
ip -n "$ns" link set "${bridge}n" up
mac=02:00:0a:c2:00:0a
echo "$mac,10.194.0.10" >"$work/hosts"
chmod 755 "$work"; chmod 644 "$work/hosts" # dnsmasq reads it after dropping to nobody
ip netns exec "$ns" dnsmasq --conf-file=/dev/null --port=0 --interface="${bridge}n" --bind-interfaces \
  --dhcp-range=10.194.0.0,static,255.255.255.0,3600 --dhcp-option=option:router,10.194.0.1 \
  --dhcp-hostsfile="$work/hosts" --pid-file="$work/dnsmasq.pid" --leasefile-ro
printf '%b' "$user_data" >"$work/user-data"
baseline=()
for n in $(seq 1 "$runs"); do
  name=gcpbv$$-$n
  printf 'instance-id: %s\nlocal-hostname: %s\n' "$name" "$name" >"$work/meta-data"
  rm -f "$work/seed.img" "$work/disk.qcow2"
  t0=$(now_ms)
  mkfs.vfat -C -n CIDATA "$work/seed.img" 1024 >/dev/null
  mcopy -o -i "$work/seed.img" "$work/meta-data" ::meta-data
  mcopy -o -i "$work/seed.img" "$work/user-data" ::user-data
  qemu-img create -q -f qcow2 -F qcow2 -b "$base_image" "$work/disk.qcow2" 1G
  cat >"$work/domain.xml" <<EOF
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$work/disk.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$work/seed.img'/><target dev='vdb' bus='virtio'/><readonly/></disk>
    <interface type='bridge'><source bridge='$bridge'/><mac address='$mac'/><model type='virtio'/><rom enabled='no'/></interface>
    <serial type='pty'><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
  <seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel>
</domain>
EOF
  virsh -c qemu:///system create "$work/domain.xml" >/dev/null
  until accepts "$ns" 10.194.0.10; do sleep 0.05; done
  baseline+=("$(( $(now_ms) - t0 ))")
  virsh -c qemu:///system destroy "$name" >/dev/null
  ip -n "$ns" neigh flush dev "${bridge}n"
done

stats() { # name values...
  local name=$1; shift
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$(printf '%s\n' "$@" | percentile 50)" \
    "$(printf '%s\n' "$@" | percentile 95)" "$(printf '%s\n' "$@" | sort -n | head -1)" \
    "$(printf '%s\n' "$@" | sort -n | tail -1)"
}
echo "VM launch, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), domain type: ${accel:-unknown} (qemu = TCG, kvm = KVM)"
echo
echo "| $runs launches (ms to TCP accepted) | p50 | p95 | min | max |"
echo "| --- | --- | --- | --- | --- |"
stats "platform: API call to TCP on the private IP" "${platform[@]}"
stats "baseline: seed + overlay + virsh create to TCP" "${baseline[@]}"
