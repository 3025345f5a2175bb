#!/usr/bin/env bash
# Start-up and idle-memory benchmark of the all-in-one distribution, beside stock Apache Karaf 4.4.10
# measured in the same run. Figures and their definitions: docs/benchmarks.md.
#
#   scripts/bench-startup.sh [RUNS]     RUNS defaults to $BENCH_RUNS, else 3
#
# Each run, for the platform and then for stock Karaf:
#   cold   unpack the tarball into a fresh temp dir (empty data/: feature resolution, bundle install,
#          database migrations), run bin/start, time until ready (below), stay idle $BENCH_IDLE_SECONDS
#          (30), read VmRSS/VmHWM/Threads of the Karaf JVM from /proc/<pid>/status, bin/stop
#   warm   bin/start the same copy again (data/ kept), time until ready, bin/stop; remove the copy
# Ready: the platform when GET /api/v1/health answers 200; stock Karaf (no HTTP) when its SSH port
# accepts a TCP connection, with bin/status then confirming "Running". Also reported: the JVM's CPU
# time at ready (robust against other load), the CPU pressure (PSI) during each start, the phases of
# the platform's cold start from karaf.log timestamps, and the WARN/ERROR lines of every karaf.log.
#
# Needs: the built distribution (mvn install -DskipTests), curl, Java 17, and stock Karaf's tarball,
# fetched once into ~/.m2 by Maven if missing. Listens only on 127.0.0.1, on its own ports (settable,
# see below) so that it can run beside a platform on the default ports. Everything goes in one temp
# dir, removed at exit; Karaf instances still running then (Ctrl-C, failure) are stopped first.
# BENCH_KEEP_LOGS=<dir> keeps each instance's karaf.log there.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-${BENCH_RUNS:-3}}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-30}
READY_DEADLINE=${BENCH_READY_DEADLINE:-120}   # seconds from bin/start
STOP_DEADLINE=${BENCH_STOP_DEADLINE:-60}      # seconds from bin/stop before the JVM is killed
HTTP_PORT=${BENCH_HTTP_PORT:-18380}
SSH_PORT=${BENCH_SSH_PORT:-18381}
BROKER_PORT=${BENCH_BROKER_PORT:-16381}
BASE_SSH_PORT=${BENCH_BASE_SSH_PORT:-18382}
BASE_RMI_REGISTRY_PORT=${BENCH_BASE_RMI_REGISTRY_PORT:-11382}
BASE_RMI_SERVER_PORT=${BENCH_BASE_RMI_SERVER_PORT:-14382}
KARAF_VERSION=4.4.10
KARAF_TGZ=${HOME}/.m2/repository/org/apache/karaf/apache-karaf/$KARAF_VERSION/apache-karaf-$KARAF_VERSION.tar.gz

export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
# Nothing from the caller's environment may change how Karaf starts.
unset KARAF_HOME KARAF_BASE KARAF_DATA KARAF_ETC KARAF_LOG KARAF_OPTS KARAF_DEBUG KARAF_REDIRECT \
      JAVA_OPTS EXTRA_JAVA_OPTS JAVA_MIN_MEM JAVA_MAX_MEM JAVA_PERM_MEM JAVA_MAX_PERM_MEM JAVA_DEBUG_OPTS

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[ -x "$JAVA_HOME/bin/java" ] || die "no Java at $JAVA_HOME (set BENCH_JAVA_HOME)"
command -v curl >/dev/null || die "curl is needed"
shopt -s nullglob
dists=(karaf-assembly/all-in-one/target/gcp-all-in-one-*.tar.gz)
shopt -u nullglob
[ ${#dists[@]} -eq 1 ] || die "expected one karaf-assembly/all-in-one/target/gcp-all-in-one-*.tar.gz; build with: mvn -B install -DskipTests"
DIST=$(realpath "${dists[0]}")
if [ ! -s "$KARAF_TGZ" ]; then
  say "fetching stock Apache Karaf $KARAF_VERSION into ~/.m2"
  mvn -B -q dependency:get -Dartifact="org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"
  [ -s "$KARAF_TGZ" ] || die "no $KARAF_TGZ after mvn dependency:get"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gcp-bench.XXXXXX")
RES=$WORK/results
mkdir -p "$RES"

# --- time, processes, ports ----------------------------------------------------------------------

now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }   # seconds from a to b (µs)

# The Karaf JVM of an unpacked copy: the java process whose command line has -Dkaraf.base=<dir>.
karaf_pid() {
  local re=${1//./\\.}
  pgrep -f -- "-Dkaraf\.base=$re( |\$)" | head -n 1 || true
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_ports() {
  local p
  for p in "$@"; do
    if tcp_open "$p"; then die "127.0.0.1:$p is already in use; choose other ports (BENCH_*_PORT)"; fi
  done
}

# Stops the Karaf of an unpacked copy and waits until its JVM is gone; kills it past the deadline.
# Sets STOP_SECONDS.
stop_karaf() {
  local dir=$1 pid t0 deadline
  STOP_SECONDS=-
  pid=$(karaf_pid "$dir")
  [ -n "$pid" ] || return 0
  t0=$(now_us)
  "$dir/bin/stop" >>"$RES/stop.out" 2>&1 || true
  deadline=$(( t0 + STOP_DEADLINE * 1000000 ))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(now_us)" -gt "$deadline" ]; then
      say "Karaf (pid $pid) still running ${STOP_DEADLINE}s after bin/stop; killing it"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      return 0
    fi
    sleep 0.1
  done
  STOP_SECONDS=$(secs "$t0" "$(now_us)")
}

cleanup() {
  local rc=$? dir
  trap '' INT TERM
  trap - EXIT
  shopt -s nullglob
  for dir in "$WORK"/*/; do
    dir=${dir%/}
    [ "$dir" = "$RES" ] && continue
    if [ -n "$(karaf_pid "$dir")" ]; then
      say "stopping the Karaf left running in $dir"
      stop_karaf "$dir"
    fi
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- unpacking and configuration ------------------------------------------------------------------

# set_prop FILE KEY VALUE: replaces "KEY = ..." (or appends it) in a .cfg file, then checks it.
set_prop() {
  local file=$1 key=$2 value=$3
  if grep -qE "^[[:space:]]*${key//./\\.}[[:space:]]*=" "$file"; then
    sed -i -E "s|^[[:space:]]*${key//./\\.}[[:space:]]*=.*|$key = $value|" "$file"
  else
    printf '%s = %s\n' "$key" "$value" >>"$file"
  fi
  grep -qxF "$key = $value" "$file" || die "could not set $key in $file"
}

unpack() {   # unpack TARBALL DIR
  mkdir -p "$2"
  tar -xzf "$1" -C "$2" --strip-components=1
  [ -x "$2/bin/start" ] || die "no bin/start in $1"
}

configure_platform() {
  local etc=$1/etc
  set_prop "$etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$HTTP_PORT"
  set_prop "$etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
  set_prop "$etc/org.apache.karaf.shell.cfg" sshPort "$SSH_PORT"
  set_prop "$etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
  set_prop "$etc/io.goncloud.broker.cfg" acceptor.host 127.0.0.1
  set_prop "$etc/io.goncloud.broker.cfg" acceptor.port "$BROKER_PORT"
  set_prop "$etc/io.goncloud.messaging.cfg" broker.url "tcp://127.0.0.1:$BROKER_PORT"
}

configure_baseline() {
  local etc=$1/etc
  set_prop "$etc/org.apache.karaf.shell.cfg" sshPort "$BASE_SSH_PORT"
  set_prop "$etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
  set_prop "$etc/org.apache.karaf.management.cfg" rmiRegistryPort "$BASE_RMI_REGISTRY_PORT"
  set_prop "$etc/org.apache.karaf.management.cfg" rmiRegistryHost 127.0.0.1
  set_prop "$etc/org.apache.karaf.management.cfg" rmiServerPort "$BASE_RMI_SERVER_PORT"
  set_prop "$etc/org.apache.karaf.management.cfg" rmiServerHost 127.0.0.1
}

# --- starting and measuring -----------------------------------------------------------------------

# start_and_wait KIND DIR: runs bin/start and polls (~every 100 ms, deadline READY_DEADLINE) until
# ready. KIND platform: GET /api/v1/health answers 200. KIND baseline: the SSH port accepts TCP,
# then bin/status must say Running. Sets T0 (µs, just before bin/start), READY_S, SSH_S, PID, and
# CPU_S (the JVM's CPU time when it was seen ready) and PSI (% of that wall time during which some
# task on the machine waited for a CPU: how contended the start was).
start_and_wait() {
  local kind=$1 dir=$2 deadline now code ssh_us="" ready_us="" status_deadline ssh_port=$SSH_PORT psi0 psi1
  [ "$kind" = platform ] || ssh_port=$BASE_SSH_PORT
  PID=""
  psi0=$(psi_us)
  T0=$(now_us)
  "$dir/bin/start" >>"$RES/start.out" 2>&1
  deadline=$(( T0 + READY_DEADLINE * 1000000 ))
  while :; do
    now=$(now_us)
    [ -n "$PID" ] || PID=$(karaf_pid "$dir")
    if [ -n "$PID" ] && ! kill -0 "$PID" 2>/dev/null; then
      tail -n 30 "$dir/data/log/karaf.log" >&2 || true
      die "Karaf ($kind, $dir) exited while starting"
    fi
    if [ -z "$ssh_us" ]; then
      if tcp_open "$ssh_port"; then ssh_us=$now; fi
    fi
    if [ "$kind" = platform ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --noproxy '*' \
             "http://127.0.0.1:$HTTP_PORT/api/v1/health" || true)
      if [ "$code" = 200 ]; then
        ready_us=$(now_us)
        psi1=$(psi_us)
        [ -n "$PID" ] || PID=$(karaf_pid "$dir")
        CPU_S=$([ -n "$PID" ] && cpu_s "$PID" || echo -)
        break
      fi
    elif [ -n "$ssh_us" ]; then
      ready_us=$ssh_us
      psi1=$(psi_us)
      [ -n "$PID" ] || PID=$(karaf_pid "$dir")
      CPU_S=$([ -n "$PID" ] && cpu_s "$PID" || echo -)
      break
    fi
    if [ "$now" -gt "$deadline" ]; then
      tail -n 30 "$dir/data/log/karaf.log" >&2 || true
      die "Karaf ($kind, $dir) not ready within ${READY_DEADLINE}s"
    fi
    sleep 0.1
  done
  if [ "$kind" = baseline ]; then
    # bin/status takes a few seconds itself (it runs a JVM), so it confirms rather than times.
    status_deadline=$(( $(now_us) + 30 * 1000000 ))
    until "$dir/bin/status" 2>/dev/null | grep Running >/dev/null; do
      [ "$(now_us)" -lt "$status_deadline" ] || die "bin/status of $dir does not say Running"
      sleep 0.5
    done
  fi
  [ -n "$PID" ] || PID=$(karaf_pid "$dir")
  [ -n "$PID" ] || die "no Karaf JVM found for $dir"
  READY_S=$(secs "$T0" "$ready_us")
  if [ -n "$psi0" ] && [ -n "$psi1" ]; then
    PSI=$(awk -v a="$psi0" -v b="$psi1" -v w="$(( ready_us - T0 ))" 'BEGIN { printf "%.0f", 100 * (b - a) / w }')
  else
    PSI=-
  fi
  SSH_S=$([ -n "$ssh_us" ] && secs "$T0" "$ssh_us" || echo -)
}

# Listening TCP sockets of the JVM that are not on loopback (there should be none).
check_loopback_only() {
  command -v ss >/dev/null || return 0
  local bad
  bad=$(ss -Hltnp 2>/dev/null | grep -F "pid=$1," | awk '{print $4}' |
        grep -vE '^(127\.[0-9.]+|\[::ffff:127\.[0-9.]+\]|\[::1\]):[0-9]+$' || true)
  [ -z "$bad" ] || say "WARNING: pid $1 listens on non-loopback addresses: $(echo $bad)"
}

# CPU time (user + system, s) the JVM has used so far: less sensitive than wall time to other load.
cpu_s() {
  local stat
  stat=$(<"/proc/$1/stat")
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($12 + $13) / hz }' <<<"${stat##*) }"
}
# Total µs some task waited for a CPU (Linux pressure stall information), or empty without PSI.
psi_us() { awk '/^some/ { for (i = 1; i <= NF; i++) if (sub(/^total=/, "", $i)) print $i }' /proc/pressure/cpu 2>/dev/null || true; }

proc_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# Epoch µs of a karaf.log timestamp (2026-01-02T03:04:05,678, in the JVM's = this machine's zone).
log_us() { date -d "${1/T/ }" +%s%6N; }

# First (or with "last", last) karaf.log timestamp of a line matching an ERE; empty when none.
log_ts() {
  local file=$1 re=$2 which=${3:-first}
  grep -E -- "$re" "$file" | grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8},[0-9]{3}' |
    { if [ "$which" = last ]; then tail -n 1; else head -n 1; fi; } | tr , .
}

# Offset in s from T0 of the first/last log line matching RE, or "-".
log_offset() {
  local ts
  ts=$(log_ts "$@")
  if [ -z "$ts" ]; then echo -; else secs "$T0" "$(log_us "$ts")"; fi
}

# Appends a value to a named series of figures.
declare -A FIG=()
record() { FIG[$1]="${FIG[$1]:-}${FIG[$1]:+ }$2"; }

# WARN/ERROR lines of a karaf.log, without timestamp and thread, for the summary.
collect_warnings() {   # collect_warnings LOG LABEL
  grep -E '^[0-9-]+T[0-9:,]+ \| (WARN|ERROR) ' "$1" | awk -F' [|] ' -v l="$2" '
    { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $4); m = $6; for (i = 7; i <= NF; i++) m = m " | " $i;
      print l " | " $2 " | " $4 " | " substr(m, 1, 220) }' >>"$RES/warnings" || true
}

keep_log() {   # keep_log DIR NAME
  [ -n "${BENCH_KEEP_LOGS:-}" ] || return 0
  mkdir -p "$BENCH_KEEP_LOGS"
  cp "$1/data/log/karaf.log" "$BENCH_KEEP_LOGS/$2.karaf.log"
}

# Milestones of a cold start of the platform in karaf.log, as offsets from T0.
platform_phases() {
  local log=$1/data/log/karaf.log jetty jvm_ms jvm_ts
  jetty=$(grep -m1 -oE '^[0-9-]+T[0-9:,]+ .*Logging initialized @[0-9]+ms' "$log" || true)
  if [ -n "$jetty" ]; then
    jvm_ms=$(grep -oE '@[0-9]+ms' <<<"$jetty" | tr -dc 0-9)
    jvm_ts=$(grep -oE '^[0-9-]+T[0-9:,]+' <<<"$jetty" | tr , .)
    record p_jvm "$(secs "$T0" "$(( $(log_us "$jvm_ts") - jvm_ms * 1000 ))")"
  else
    record p_jvm -
  fi
  record p_log      "$(log_offset "$log" '^[0-9]{4}-')"
  record p_resolve0 "$(log_offset "$log" 'FeaturesServiceImpl .*\| Adding features: ' last)"
  record p_resolve1 "$(log_offset "$log" 'FeaturesServiceImpl .*\| Changes to perform:' last)"
  record p_start0   "$(log_offset "$log" 'FeaturesServiceImpl .*\| Starting bundles:' last)"
  record p_http     "$(log_offset "$log" "Started default@.*127\.0\.0\.1:$HTTP_PORT")"
  record p_amq0     "$(log_offset "$log" 'AMQ221000:')"
  record p_amq1     "$(log_offset "$log" 'Embedded Artemis broker started')"
  record p_pool0    "$(log_offset "$log" 'HikariDataSource .*gcp - Starting')"
  record p_pool1    "$(log_offset "$log" 'HikariDataSource .*gcp - Start completed')"
  record p_jpa0     "$(log_offset "$log" 'Found persistence unit gcp')"
  record p_jpa1     "$(log_offset "$log" 'Persistence units added for bundle gcp-core')"
  record p_fly0     "$(log_offset "$log" 'Flyway Community Edition')"
  record p_fly1     "$(log_offset "$log" 'Database schema is up to date')"
  record p_rest0    "$(log_offset "$log" 'FeaturesServiceImpl .*\|   gcp-rest/')"
  record p_rest1    "$(log_offset "$log" 'REST API published')"
  record p_done     "$(log_offset "$log" 'FeaturesServiceImpl .*\| Done\.$' last)"
}

bench_platform() {   # bench_platform RUN
  local run=$1 dir=$WORK/platform-$1 rss hwm threads
  say "run $run/$RUNS: platform, cold start (fresh copy, empty data/)"
  unpack "$DIST" "$dir"
  configure_platform "$dir"
  require_free_ports "$HTTP_PORT" "$SSH_PORT" "$BROKER_PORT"
  start_and_wait platform "$dir"
  record gcp_cold "$READY_S"
  record gcp_cold_ssh "$SSH_S"
  record gcp_cold_cpu "$CPU_S"
  record gcp_cold_psi "$PSI"
  say "  API ready after ${READY_S}s (SSH port open after ${SSH_S}s); idle ${IDLE_SECONDS}s"
  check_loopback_only "$PID"
  sleep "$IDLE_SECONDS"
  kill -0 "$PID" 2>/dev/null || die "the platform's JVM exited while idle"
  rss=$(proc_kib "$PID" VmRSS); hwm=$(proc_kib "$PID" VmHWM); threads=$(proc_kib "$PID" Threads)
  record gcp_rss "$(mib "$rss")"; record gcp_hwm "$(mib "$hwm")"; record gcp_threads "$threads"
  record gcp_cold_done "$(log_offset "$dir/data/log/karaf.log" 'FeaturesServiceImpl .*\| Done\.$' last)"
  say "  idle: RSS $(mib "$rss") MiB (peak $(mib "$hwm") MiB), $threads threads"
  stop_karaf "$dir"
  record gcp_stop "$STOP_SECONDS"
  platform_phases "$dir"
  collect_warnings "$dir/data/log/karaf.log" "platform cold"
  keep_log "$dir" "platform-$run-cold"
  local cold_lines
  cold_lines=$(wc -l <"$dir/data/log/karaf.log")

  say "run $run/$RUNS: platform, warm restart (same copy, data/ kept)"
  require_free_ports "$HTTP_PORT" "$SSH_PORT" "$BROKER_PORT"
  start_and_wait platform "$dir"
  record gcp_warm "$READY_S"
  record gcp_warm_ssh "$SSH_S"
  record gcp_warm_cpu "$CPU_S"
  record gcp_warm_psi "$PSI"
  say "  API ready after ${READY_S}s"
  stop_karaf "$dir"
  tail -n +"$(( cold_lines + 1 ))" "$dir/data/log/karaf.log" >"$dir/data/log/warm.log"
  collect_warnings "$dir/data/log/warm.log" "platform warm"
  keep_log "$dir" "platform-$run-cold+warm"
  rm -rf "$dir"
}

bench_baseline() {   # bench_baseline RUN
  local run=$1 dir=$WORK/karaf-$1 rss hwm threads
  say "run $run/$RUNS: stock Karaf $KARAF_VERSION, cold start"
  unpack "$KARAF_TGZ" "$dir"
  configure_baseline "$dir"
  require_free_ports "$BASE_SSH_PORT" "$BASE_RMI_REGISTRY_PORT" "$BASE_RMI_SERVER_PORT"
  start_and_wait baseline "$dir"
  record base_cold "$READY_S"
  record base_cold_cpu "$CPU_S"
  record base_cold_psi "$PSI"
  say "  SSH ready after ${READY_S}s; idle ${IDLE_SECONDS}s"
  check_loopback_only "$PID"
  sleep "$IDLE_SECONDS"
  kill -0 "$PID" 2>/dev/null || die "stock Karaf's JVM exited while idle"
  rss=$(proc_kib "$PID" VmRSS); hwm=$(proc_kib "$PID" VmHWM); threads=$(proc_kib "$PID" Threads)
  record base_rss "$(mib "$rss")"; record base_hwm "$(mib "$hwm")"; record base_threads "$threads"
  record base_cold_done "$(log_offset "$dir/data/log/karaf.log" 'FeaturesServiceImpl .*\| Done\.$' last)"
  say "  idle: RSS $(mib "$rss") MiB (peak $(mib "$hwm") MiB), $threads threads"
  stop_karaf "$dir"
  record base_stop "$STOP_SECONDS"
  collect_warnings "$dir/data/log/karaf.log" "karaf cold"
  keep_log "$dir" "karaf-$run-cold"

  say "run $run/$RUNS: stock Karaf, warm restart"
  require_free_ports "$BASE_SSH_PORT" "$BASE_RMI_REGISTRY_PORT" "$BASE_RMI_SERVER_PORT"
  start_and_wait baseline "$dir"
  record base_warm "$READY_S"
  record base_warm_cpu "$CPU_S"
  record base_warm_psi "$PSI"
  say "  SSH ready after ${READY_S}s"
  stop_karaf "$dir"
  rm -rf "$dir"
}

# --- report ---------------------------------------------------------------------------------------

median() {
  printf '%s\n' "$@" | { grep -E '^[0-9.]+$' || true; } | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
          else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

row() {   # row LABEL SERIES
  local label=$1 values
  read -r -a values <<<"${FIG[$2]:-}"
  printf '| %s | %s |' "$label" "$(median "${values[@]}")"
  printf ' %s |' "${values[@]}"
  printf '\n'
}

# Durations between two milestone series, run by run.
span() {   # span LABEL FROM TO
  local label=$1 a b out=() i
  read -r -a a <<<"${FIG[$2]:-}"
  read -r -a b <<<"${FIG[$3]:-}"
  for i in "${!a[@]}"; do
    if [[ "${a[$i]}" =~ ^[0-9.]+$ && "${b[$i]:-}" =~ ^[0-9.]+$ ]]; then
      out+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.2f", y - x }')")
    else
      out+=(-)
    fi
  done
  FIG[_span]="${out[*]}"
  row "$label" _span
}

header() {   # header FIRST-COLUMN
  local i
  printf '| %s | median |' "$1"; for i in $(seq 1 "$RUNS"); do printf ' run %s |' "$i"; done; printf '\n'
  printf '|---|---:|'; for i in $(seq 1 "$RUNS"); do printf -- '---:|'; done; printf '\n'
}

machine() {
  echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:    $(nproc) x $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "java:   $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the runs)"
  echo "others: $others other Karaf JVM(s) running at the start"
}

# --- main -----------------------------------------------------------------------------------------

others=$(pgrep -f -- '-Dkaraf\.base=' | wc -l || true)
[ "$others" -eq 0 ] || say "note: $others other Karaf JVM(s) running on this machine; they compete for the CPUs"
machine >"$RES/machine"
say "distribution: $DIST"
say "baseline:     $KARAF_TGZ"
say "$RUNS run(s); idle ${IDLE_SECONDS}s before reading memory; work dir $WORK"

for run in $(seq 1 "$RUNS"); do
  bench_platform "$run"
  bench_baseline "$run"
done

{
  echo
  echo "== Start-up and idle memory: $(basename "$DIST" .tar.gz) vs stock Apache Karaf $KARAF_VERSION"
  cat "$RES/machine"
  echo
  header "all-in-one platform"
  row "cold start to API ready (s)" gcp_cold
  row "cold start to SSH port open (s)" gcp_cold_ssh
  row "cold start to boot features installed, karaf.log (s)" gcp_cold_done
  row "cold start: JVM CPU time at API ready (s)" gcp_cold_cpu
  row "warm restart to API ready (s)" gcp_warm
  row "warm restart: JVM CPU time at API ready (s)" gcp_warm_cpu
  row "idle RSS after ${IDLE_SECONDS} s (MiB)" gcp_rss
  row "peak RSS, VmHWM (MiB)" gcp_hwm
  row "threads" gcp_threads
  row "bin/stop until the JVM is gone (s)" gcp_stop
  row "cold start: CPU pressure, % of wall time some task waited for a CPU" gcp_cold_psi
  row "warm restart: CPU pressure, % of wall time some task waited for a CPU" gcp_warm_psi
  echo
  header "stock Karaf $KARAF_VERSION"
  row "cold start to SSH ready (s)" base_cold
  row "cold start to boot features installed, karaf.log (s)" base_cold_done
  row "cold start: JVM CPU time at SSH ready (s)" base_cold_cpu
  row "warm restart to SSH ready (s)" base_warm
  row "warm restart: JVM CPU time at SSH ready (s)" base_warm_cpu
  row "idle RSS after ${IDLE_SECONDS} s (MiB)" base_rss
  row "peak RSS, VmHWM (MiB)" base_hwm
  row "threads" base_threads
  row "bin/stop until the JVM is gone (s)" base_stop
  row "cold start: CPU pressure, % of wall time some task waited for a CPU" base_cold_psi
  row "warm restart: CPU pressure, % of wall time some task waited for a CPU" base_warm_psi
  echo
  header "platform cold start, from karaf.log (s)"
  row "JVM started (Jetty's uptime stamp)" p_jvm
  row "first log line (pax-logging up)" p_log
  row "boot features: resolution starts" p_resolve0
  row "boot features: resolution done" p_resolve1
  row "boot features: bundles installed, starting" p_start0
  row "Jetty listening" p_http
  row "REST API published" p_rest1
  row "boot features: done" p_done
  span "= features resolver" p_resolve0 p_resolve1
  span "= bundle install (download from system/, wiring)" p_resolve1 p_start0
  span "= bundle start, until REST published" p_start0 p_rest1
  span "  of which Artemis broker start" p_amq0 p_amq1
  span "  of which Hikari pool (H2 open)" p_pool0 p_pool1
  span "  of which JPA unit (EclipseLink) set-up" p_jpa0 p_jpa1
  span "  of which Flyway migrations" p_fly0 p_fly1
  span "  of which gcp-rest start to published" p_rest0 p_rest1
  echo
  echo "WARN/ERROR lines in karaf.log (count over all runs | where | level | logger | message):"
  if [ -s "$RES/warnings" ]; then
    sort "$RES/warnings" | uniq -c | sort -rn | sed 's/^ */  /'
  else
    echo "  none"
  fi
}
