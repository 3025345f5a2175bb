#!/usr/bin/env bash
# Builds the platform's default virtual machine image, busybox-vm, as a qcow2 file:
#   scripts/build-vm-image.sh OUT_FILE          (e.g. /var/lib/gcp/vm-image/busybox-vm.qcow2)
#
# A BIOS-bootable FAT "superfloppy" disk (label GCPBOOT, no partition table) holding syslinux, a Debian
# kernel (linux-image-*-amd64, fetched with `apt-get download` and cached) and an initramfs with Debian's
# static busybox, the virtio/FAT/ACPI button modules and the /init of scripts/vm-image/. Built without
# mounting anything or loop devices (mkfs.vfat on a file, mcopy, syslinux --install), then converted to
# qcow2. Everything comes from Debian's packages at build time; nothing is downloaded at run time.
#
# Idempotent: OUT_FILE is rebuilt only if it is missing or older than its inputs (this script, the files
# of scripts/vm-image/, the kernel package). Prints OUT_FILE's path. Needs root for apt-get.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

[ $# -eq 1 ] || die "usage: $0 OUT_FILE (a .qcow2 path)"
out=$1
cache=${GCP_VM_IMAGE_CACHE:-/var/cache/gcp/vm-image}

apt_install busybox-static dosfstools mtools syslinux syslinux-common qemu-utils cpio gzip kmod

mkdir -p "$cache" "$(dirname "$out")"
# The kernel: the image package linux-image-amd64 depends on now (e.g. linux-image-6.1.0-56-amd64).
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || kpkg=$(ls "$cache"/linux-image-*-amd64_*.deb 2>/dev/null | sed 's|.*/\(linux-image-[^_]*\)_.*|\1|' | sort -V | tail -n 1)
[ -n "$kpkg" ] || die "cannot tell which Debian kernel package to use (apt-cache depends linux-image-amd64 found none)"
deb=$(ls "$cache/${kpkg}"_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
  log "downloading $kpkg (Debian kernel for the VM image)"
  (cd "$cache" && apt-get download -q "$kpkg" >/dev/null 2>&1) || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    (cd "$cache" && apt-get download -q "$kpkg" >/dev/null 2>&1)
  } || die "apt-get download $kpkg failed"
  deb=$(ls "$cache/${kpkg}"_*.deb | sort -V | tail -n 1)
fi

newest_input=$(ls -t "$0" "$here"/vm-image/* "$deb" /bin/busybox | head -n 1)
if [ -s "$out" ] && [ "$out" -nt "$newest_input" ]; then
  echo "$out"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gcp-vm-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/kernel"
kver=$(ls "$work/kernel/lib/modules" | head -n 1)
moddir="$work/kernel/lib/modules/$kver"
vmlinuz="$work/kernel/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || die "$deb has no /boot/vmlinuz-$kver"
# The package ships no modules.dep (its postinst makes it): make it in the extracted tree.
depmod -b "$work/kernel" "$kver"

# The initramfs tree.
root="$work/initramfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,var/lib/gcp,var/log,lib/modules}
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list-full); do
  case "$applet" in bin/busybox|linuxrc|init|sbin/init) continue ;; esac
  ln -sf /bin/busybox "$root/$applet"
done
install -m 0755 "$here/vm-image/init" "$root/init"
install -m 0755 "$here/vm-image/udhcpc.script" "$root/etc/udhcpc.script"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n' >"$root/etc/profile"

# Modules and their dependencies (modules.dep), each after what it needs.
wanted="virtio_pci virtio_blk virtio_net vfat nls_cp437 nls_ascii nls_utf8 isofs evdev button"
declare -A seen=()
order=()
visit() {
  local path=$1 dep
  [ -n "${seen[$path]:-}" ] && return 0
  seen[$path]=1
  for dep in $(sed -n "s|^$path: *||p" "$moddir/modules.dep"); do
    visit "$dep"
  done
  order+=("$path")
}
for m in $wanted; do
  path=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1 | cut -d: -f1)
  [ -n "$path" ] || die "module $m is not in $kver"
  visit "$path"
done
: >"$root/etc/gcp-modules"
for path in "${order[@]}"; do
  mkdir -p "$root/lib/modules/$(dirname "$path")"
  case "$path" in
    *.ko) cp "$moddir/$path" "$root/lib/modules/$path" ;;
    *.ko.xz) xz -dc "$moddir/$path" >"$root/lib/modules/${path%.xz}"; path=${path%.xz} ;;
    *.ko.zst) zstd -qdc "$moddir/$path" >"$root/lib/modules/${path%.zst}"; path=${path%.zst} ;;
    *) die "unsupported module file $path" ;;
  esac
  echo "$path" >>"$root/etc/gcp-modules"
done
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 >"$work/initrd.gz"

cat >"$work/syslinux.cfg" <<EOF
DEFAULT gcp
PROMPT 0
TIMEOUT 0
LABEL gcp
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0,115200 loglevel=4 panic=-1
EOF

# The FAT disk: 48 MiB, a superfloppy BIOS boots through syslinux' boot sector.
raw="$work/disk.img"
mkfs.vfat -C -n GCPBOOT "$raw" $((48 * 1024)) >/dev/null
mcopy -i "$raw" "$vmlinuz" ::vmlinuz
mcopy -i "$raw" "$work/initrd.gz" ::initrd.gz
mcopy -i "$raw" "$work/syslinux.cfg" ::syslinux.cfg
syslinux --install "$raw"
qemu-img convert -q -f raw -O qcow2 "$raw" "$work/disk.qcow2"
chmod 0644 "$work/disk.qcow2"
mv -f "$work/disk.qcow2" "$out"
log "built $out ($kpkg, busybox $(/bin/busybox | head -n 1 | awk '{print $2}'))"
echo "$out"
