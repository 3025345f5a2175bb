#!/bin/sh
# gcp-init: PID 1 of the platform's default busybox image (io.goncloud.core.images.BusyboxRootfs).
# Before the start the compute driver puts /var/lib/gcp/meta-data.json in place (mounted or copied) and,
# if given, /var/lib/gcp/user-data and /root/.ssh/authorized_keys.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
umask 022

# PID 1 gets no default action for signals: without handlers `docker stop` would wait out its grace
# period and then kill it. Stop at once instead, and say so on the console.
trap 'echo "gcp-init: stopping"; exit 0' TERM INT

meta=/var/lib/gcp/meta-data.json
userdata=/var/lib/gcp/user-data

# The hostname from the metadata (no jq here: the driver writes one "key" : "value" per line). Docker
# sets the same name already; this is for runtimes that do not.
if [ -f "$meta" ]; then
  name=$(sed -n 's/^ *"hostname" *: *"\([^"]*\)".*/\1/p' "$meta" | head -n 1)
  if [ -n "$name" ] && [ "$(hostname)" != "$name" ]; then
    hostname "$name" 2>/dev/null || echo "gcp-init: cannot set the hostname to $name"
  fi
fi

# The platform moves the NICs in just after the start: if the metadata lists eth0, wait up to 10 s for it.
if [ -f "$meta" ] && grep -q '"device" *: *"eth0"' "$meta"; then
  # Looked for every 20 ms: the user data (a web server, say) starts that much sooner after the plug.
  n=0
  while ! grep -q '^ *eth0:' /proc/net/dev && [ "$n" -lt 500 ]; do
    sleep 0.02
    n=$((n + 1))
  done
  grep -q '^ *eth0:' /proc/net/dev || echo "gcp-init: eth0 did not appear within 10 s"
  # Announce the address (gratuitous ARP), as cloud images do: an instance that knew a previous owner of a
  # reused address would otherwise send to that owner's MAC until its neighbour entry fails.
  (
    n=0
    while [ "$n" -lt 50 ]; do
      addr=$(ip -4 -o addr show dev eth0 2>/dev/null | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p' | head -n 1)
      [ -n "$addr" ] && exec arping -q -U -c 3 -I eth0 "$addr"
      sleep 0.1
      n=$((n + 1))
    done
  ) >/dev/null 2>&1 &
fi

# In the background, like cloud-init: user data that is a script (#!...) runs once per instance, with its
# output in /var/log/user-data.log and on the console; then /etc/rc.local, if executable, runs at every
# boot (the user data may write it): the place for services that must come back after a stop and start.
boot() {
  if [ -f "$userdata" ] && [ "$(head -c 2 "$userdata")" = '#!' ] && [ ! -e /var/lib/gcp/user-data.done ]; then
    : >/var/lib/gcp/user-data.done
    chmod 0700 "$userdata"
    echo "gcp-init: running user data"
    { "$userdata"; echo "gcp-init: user data exited with status $?"; } 2>&1 | tee -a /var/log/user-data.log
  fi
  if [ -x /etc/rc.local ]; then
    echo "gcp-init: running /etc/rc.local"
    /etc/rc.local 2>&1 | tee -a /var/log/rc.local.log
  fi
}
boot &

echo "gcp-init: ready"
# Idle with the sleep in the background: `wait` returns as soon as a signal arrives, so the trap runs at once.
while :; do
  sleep 3600 &
  wait $!
done
