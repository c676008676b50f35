#!/usr/bin/env bash
# The performance benchmark of issue 6: the sidecar's release (Native AOT) build against the limit of the same rig, on
# loopback, in one run, with the issue's targets checked at the end.
#
#   wrk -> nginx (TLS upstream: the backend's authrep answer, and a 2 MB portal configuration JSON)   https-direct
#   wrk -> nginx reverse proxy (keep-alive, HTTP/1.1 to the TLS upstream)                              nginx-rp
#   wrk -> tinyproxy / squid (Basic auth), plain HTTP to the upstream: the proxy hop alone            *-hop
#   wrk -> sidecar ------------------------------------------------> upstream (NO_PROXY)               sidecar direct
#   wrk -> sidecar -> tinyproxy / squid (Basic auth, CONNECT) ------> upstream                         sidecar tinyproxy/squid
#   the same through tinyproxy at c=500 to an upstream answering after 50 ms (/slow/, nginx echo module)  slow50ms
#   the same sidecar runs with bench/stack-floor: Kestrel + YARP + SocketsHttpHandler and nothing else  floor ...
#   curl -> sidecar forward listener -> tinyproxy -> upstream, vs curl -> tinyproxy      bench/forward-tunnel.sh, at the end
#
# The floor is the least the sidecar's stack (Kestrel, YARP, SocketsHttpHandler: fixed by the project's developer guide) can cost on this rig: the sidecar's distance to
# it is what our own code costs, the floor's distance to nginx-rp is what the stack costs. The targets are printed for
# both, so a target the floor misses too is visibly out of reach of any code on this stack.
#
# Each sidecar run starts a fresh sidecar (in an empty working directory, as in production) (so peak RSS is per concurrency level), waits 1 s (idle RSS), warms up,
# then measures with wrk --latency: req/s, p50/p99, MB/s, CPU time per request of the process under test
# (utime+stime from /proc/PID/stat, before/after, divided by the requests), of the forward proxy and of the upstream,
# peak RSS (VmHWM), new tunnels per request (apicast_sidecar_proxy_connections_opened_total on /metrics) and new upstream
# connections per request (nginx stub_status accepts). Also: access log on vs off, a stdout nobody reads, and the
# start-up time to the first accepted connection (median of STARTS starts, bench/first-accept.py).
#
#   bench/benchmark.sh [--duration S] [--warmup S] [--starts N] [--log-blocks N] [--log-burst S] [--binary PATH]
#                      [--compare PATH] [--download-connections N] [--upstream-host NAME] [--env NAME=VALUE]...
#                      [--no-floor] [--slow-rounds N] [--pac-rounds N] [--compare-rounds N] [--output DIR]
#
#   --duration S      seconds per measured run (default 10); --warmup S: seconds of warm-up load per run (default 2)
#   --log-blocks N    the access log's cost through tinyproxy at c=50: N blocks of 4 bursts, on off off on, then
#                     off on on off, ... (default 6); --log-burst S: seconds per burst (default 2)
#   --binary PATH     the sidecar binary (default: build it with build/publish.sh, out/linux-x64/apicast-sidecar-proxy)
#   --compare PATH    another sidecar binary (e.g. the original Go build) run under identical conditions, A/B interleaved
#   --upstream-host   the upstream's host name (default localhost; it must resolve to 127.0.0.1). A Go binary never
#                     uses a proxy for "localhost" or loopback IPs: give it a name from /etc/hosts.
#   --env NAME=VALUE  extra environment for every sidecar start (both binaries), after the runtime settings the
#                     container image carries (deploy/docker/Dockerfile: DOTNET_GCgen0size), which every start gets
#   --no-floor        skip the stack floor (it is built with bench/stack-floor/build.sh, about a minute)
#   --slow-rounds N   the slow-upstream case (50 ms answers, c=500, through tinyproxy): N runs of sidecar-A with its
#                     default limits and N with none, alternated (default 4: with 2, single runs scattered by +-15%
#                     and the gate's ratio with them, bench/RESULTS.md)
#   --pac-rounds N    PROXY_PAC's cost (issue 17): N runs of sidecar-A through tinyproxy at c=50 named by an equivalent
#                     PAC script, and N with https_proxy, alternated (default 2); the PAC engine's own RSS (a process
#                     of its own) is recorded beside the sidecar's
#   --compare-rounds N with --compare: N rounds of bench/paired.sh for the gate against it: both binaries at once, each
#                     with its own wrk at c=50 through the same tinyproxy, 8 s per round (default 6). One after the
#                     other, runs of the same binary drift by 10% and more here; side by side, the same binary
#                     against itself gives medians within 1.2% (bench/RESULTS.md)
#   --output DIR      keep the raw material there: every wrk output, sidecar log, results.tsv, start-up samples
#
# The report ends with the gates of issues 19 and 17 (against the stack floor of the same run, memory targets, PAC's
# cost per request), PASS/FAIL
# each; the script exits 1 when one fails. The targets of issue 6 (against nginx) are printed as information.
# Everything listens on 127.0.0.1. Every process started here is stopped by its PID; every load run is bounded.
# About 15 minutes with the defaults (20-23 minutes with --compare), plus the builds.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
command_line="bench/benchmark.sh $*"

duration=10 warmup=2 starts=10 binary="" compare="" output="" download_connections=1 upstream_host=localhost threads=1
log_blocks=6 log_burst=2 floor=1 slow_rounds=4 pac_rounds=2 compare_rounds=6
mapfile -t extra_env < <(image_runtime_env)
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --starts) starts=$2; shift 2 ;;
    --log-blocks) log_blocks=$2; shift 2 ;;
    --log-burst) log_burst=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --compare) compare=$2; shift 2 ;;
    --download-connections) download_connections=$2; shift 2 ;;
    --upstream-host) upstream_host=$2; shift 2 ;;
    --env) extra_env+=("$2"); shift 2 ;;
    --no-floor) floor=0; shift ;;
    --slow-rounds) slow_rounds=$2; shift 2 ;;
    --pac-rounds) pac_rounds=$2; shift 2 ;;
    --compare-rounds) compare_rounds=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "benchmark.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
for number in "$duration" "$warmup" "$starts" "$download_connections" "$log_blocks" "$log_burst" "$slow_rounds" "$pac_rounds" "$compare_rounds"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "benchmark.sh: '$number' is not a positive number" >&2; exit 64; }
done
if [ "$upstream_host" != localhost ]; then
  getent hosts "$upstream_host" | grep -q '^127\.' || {
    echo "benchmark.sh: --upstream-host $upstream_host does not resolve to 127.x (add it to /etc/hosts)" >&2; exit 64; }
fi

bench_require_packages nginx libnginx-mod-http-echo tinyproxy squid apache2-utils wrk openssl curl python3
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init
repo=$(pwd)
# The sidecars run in an empty working directory, as in the image (/app) and the systemd unit: the working directory
# is the host's content root (appsettings.json), and a large one costs start-up time.
mkdir -p "$work/runs" "$work/cwd"

# --- the binaries: built (or given), then copied, so a rebuild elsewhere during the run cannot change them ---------
if [ -z "$binary" ]; then
  build/publish.sh linux-x64 >&2
  binary=out/linux-x64/apicast-sidecar-proxy
fi
# copy_binary PATH LABEL: the sidecar, and the PAC engine beside it (a build from before the engine was split off has
# none; PROXY_PAC's runs need it).
copy_binary() {
  mkdir -p "$work/$2"; cp "$1" "$work/$2/sidecar"
  local engine; engine=$(dirname "$1")/apicast-sidecar-pac
  [ ! -x "$engine" ] || cp "$engine" "$work/$2/"
}
labels=(A)
copy_binary "$binary" A
declare -A bins=([A]="$work/A/sidecar") names=([A]="$binary")
if [ -n "$compare" ]; then
  labels+=(B)
  copy_binary "$compare" B
  bins[B]="$work/B/sidecar"; names[B]="$compare"
fi
if [ "$floor" = 1 ]; then
  labels+=(F)
  floor_binary=$(bench/stack-floor/build.sh)
  mkdir -p "$work/F"; cp "$floor_binary" "$work/F/sidecar"
  bins[F]="$work/F/sidecar"; names[F]=bench/stack-floor
fi

# --- the rig ----------------------------------------------------------------------------------------------------
bench_make_certs "$upstream_host"
read -r tls_port http_port rp_port tiny_port squid_port < <(free_ports 5)
proxy_user=bench proxy_password=bench-pass.1
proxy_basic=$(printf '%s:%s' "$proxy_user" "$proxy_password" | base64)

bench_nginx_upstream_conf "$tls_port" "$http_port" > "$work/upstream.conf"
mkdir -p "$work/www/admin/api/account/proxy_configs"
download_path=/admin/api/account/proxy_configs/production.json
python3 - "$work/www$download_path" <<'PY'
import json, sys
# A portal configuration of 2 MiB: many services with their mapping rules, as APIcast downloads it.
services, size, i = [], 0, 0
while size < 2 * 1024 * 1024 - 400:
    rule = {"http_method": "GET", "pattern": f"/api/v1/resource{i}/{{id}}", "metric_system_name": "hits", "delta": 1}
    services.append(rule); size += len(json.dumps(rule)) + 2; i += 1
body = json.dumps({"proxy_configs": [{"proxy_config": {"content": {"id": 42, "proxy": {"proxy_rules": services}}}}]})
open(sys.argv[1], "w").write(body[:2 * 1024 * 1024 - 1] if len(body) > 2 * 1024 * 1024 else body)
PY
download_bytes=$(stat -c %s "$work/www$download_path")
chmod -R a+rX "$work/www"

# nginx as a keep-alive reverse proxy to the same TLS upstream (verifying it), in memory buffers: the baseline.
{
  bench_nginx_http_preamble rp
  cat <<NGINX
  upstream backend { server 127.0.0.1:$tls_port; keepalive 1024; keepalive_requests 1000000; keepalive_timeout 300s; }
  server {
    listen 127.0.0.1:$rp_port;
    location / {
      proxy_pass https://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $upstream_host;
      proxy_ssl_server_name on;
      proxy_ssl_name $upstream_host;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate $work/ca.pem;
      proxy_ssl_session_reuse on;
      proxy_buffers 16 64k;
      proxy_busy_buffers_size 128k;
      proxy_max_temp_file_size 0;
    }
  }
}
NGINX
} > "$work/rp.conf"

nginx -c "$work/upstream.conf" > "$work/upstream/stdout" 2>&1 & upstream_pid=$!; bench_pids+=("$upstream_pid")
nginx -c "$work/rp.conf" > "$work/rp/stdout" 2>&1 & rp_pid=$!; bench_pids+=("$rp_pid")
bench_tinyproxy_conf "$tiny_port" "$proxy_user" "$proxy_password" 2000 > "$work/tinyproxy.conf"
tinyproxy -d -c "$work/tinyproxy.conf" > "$work/tinyproxy.stdout" 2>&1 & tiny_pid=$!; bench_pids+=("$tiny_pid")
bench_squid_conf "$squid_port" "$proxy_user" "$proxy_password" > "$work/squid.conf"
# What the https_proxy runs do, as a PAC script of the usual shape: a few exceptions, then the proxy.
cat > "$work/bench.pac" <<PAC
function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".internal.example") || shExpMatch(host, "10.*")) return "DIRECT";
  return "PROXY 127.0.0.1:$tiny_port";
}
PAC
squid -N -f "$work/squid.conf" > "$work/squid/stdout" 2>&1 & squid_pid=$!; bench_pids+=("$squid_pid")
for port in "$tls_port" "$http_port" "$rp_port" "$tiny_port" "$squid_port"; do wait_port "$port"; done

authrep_path='/transactions/authrep.xml?service_token=BENCHSERVICETOKEN&service_id=42&user_key=BENCHUSERKEY&usage%5Bhits%5D=1'
# The rig answers before anything is measured: through the reverse proxy, and through each proxy with CONNECT.
curl -fsS -o /dev/null --max-time 10 "http://127.0.0.1:$rp_port$authrep_path"
for proxy_port in "$tiny_port" "$squid_port"; do
  curl -fsS -o /dev/null --max-time 10 --cacert "$work/ca.pem" --proxy "http://127.0.0.1:$proxy_port" \
    --proxy-user "$proxy_user:$proxy_password" --resolve "$upstream_host:$tls_port:127.0.0.1" \
    "https://$upstream_host:$tls_port$authrep_path"
done

# --- wrk --------------------------------------------------------------------------------------------------------
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d bytes=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d sockerr=%d timeouts=%d\n",
    summary.requests, summary.bytes, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
LUA
# An absolute-form request through a forward proxy to the upstream's plain-HTTP port: the proxy hop without CONNECT.
cat > "$work/hop.lua" <<LUA
wrk.path = "http://127.0.0.1:$http_port$authrep_path"
wrk.headers["Host"] = "127.0.0.1:$http_port"
wrk.headers["Proxy-Authorization"] = "Basic $proxy_basic"
LUA
cat "$work/report.lua" >> "$work/hop.lua"

# wrk_load SECONDS C URL SCRIPT OUTPUT: one bounded wrk run.
wrk_load() {
  local t=$threads; [ "$2" -lt "$t" ] && t=$2
  timeout $(( $1 + 60 )) wrk -t"$t" -c"$2" -d"$1s" --latency --timeout 10s -s "$4" "$3" > "$5" 2>&1 || true
}
upstream_accepts() {
  curl -fsS --max-time 5 "http://127.0.0.1:$http_port/nginx_status" | awk 'NR == 3 {print $1}'
}
tunnels_opened() { # the sidecar's counter (0 before its first tunnel), or nothing when it has no /metrics
  local metrics
  metrics=$(curl -fsS --max-time 5 "http://127.0.0.1:$1/metrics" 2>/dev/null) || return 0
  # A compared build from before the rename (CHANGELOG.md) names it without the apicast_ prefix.
  echo "$metrics" | awk '/^(apicast_)?sidecar_proxy_connections_opened_total[{ ]/ {n += $2} END {print n + 0}'
}

# measure NAME C URL SCRIPT SUBJECT_PID PROXY_PID [MANAGEMENT_PORT]: warm-up, then the measured run; appends a row
# (tab-separated, read by bench/report.py) to $work/results.tsv.
measure() {
  local name=$1 c=$2 url=$3 script=$4 subject=$5 proxy=$6 management=${7:-}
  if [ "$warmup" -gt 0 ]; then wrk_load "$warmup" "$c" "$url" "$script" "$work/runs/$name.warmup"; fi
  local cpu0 proxy0 up0 acc0 tun0 cpu1 proxy1 up1 acc1 tun1
  cpu0=$(cpu_ticks "$subject"); proxy0=$( [ -n "$proxy" ] && cpu_ticks "$proxy" || echo 0); up0=$(cpu_ticks "$upstream_pid")
  acc0=$(upstream_accepts); tun0=$( [ -n "$management" ] && tunnels_opened "$management" || true)
  wrk_load "$duration" "$c" "$url" "$script" "$work/runs/$name.wrk"
  cpu1=$(cpu_ticks "$subject"); proxy1=$( [ -n "$proxy" ] && cpu_ticks "$proxy" || echo 0); up1=$(cpu_ticks "$upstream_pid")
  acc1=$(upstream_accepts); tun1=$( [ -n "$management" ] && tunnels_opened "$management" || true)
  local peak; peak=$(rss_kib "$subject" VmHWM)
  local line; line=$(grep '^BENCH ' "$work/runs/$name.wrk" || true)
  if [ -z "$line" ]; then
    echo "  $name: wrk printed no result:" >&2; tail -n 5 "$work/runs/$name.wrk" >&2; return 0
  fi
  local requests bytes duration_us p50 p99 non2xx sockerr timeouts
  eval "$(echo "$line" | sed 's/^BENCH //; s/\([a-z0-9_]*\)=\([0-9]*\)/local \1=\2;/g')"
  local tunnels=""; [ -n "$tun0" ] && [ -n "$tun1" ] && tunnels=$((tun1 - tun0))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$c" "$requests" "$bytes" "$duration_us" "$p50_us" "$p99_us" "$non2xx" "$((sockerr + timeouts))" \
    "$((cpu1 - cpu0))" "$((proxy1 - proxy0))" "$((up1 - up0))" "${idle_kib:-}" "${peak:-}" "$tunnels" \
    "$((acc1 - acc0 - 1))" "${run_note:-}" >> "$work/results.tsv"
  awk -v n="$name" -v r="$requests" -v d="$duration_us" -v p="$p99_us" -v e="$((non2xx + sockerr + timeouts))" \
    'BEGIN { printf "  %-34s %9.0f req/s  p99 %7.2f ms  errors %d\n", n, r / (d / 1e6), p / 1000, e }' >&2
}

# start_sidecar LABEL MODE NAME [NAME=VALUE...]: starts the binary LABEL in MODE (direct, tinyproxy, squid); sets
# sidecar_pid, backend_port, portal_port, management_port, idle_kib. Stdout goes to $work/runs/NAME.log unless
# sidecar_stdout names another file.
start_sidecar() {
  local label=$1 mode=$2 name=$3; shift 3
  read -r backend_port portal_port management_port < <(free_ports 3)
  local proxy_env=()
  case "$mode" in
    direct) proxy_env=(https_proxy="http://$proxy_user:$proxy_password@127.0.0.1:$tiny_port" NO_PROXY="$upstream_host,127.0.0.1") ;;
    tinyproxy) proxy_env=(https_proxy="http://$proxy_user:$proxy_password@127.0.0.1:$tiny_port") ;;
    tinyproxy-pac) proxy_env=(PROXY_PAC="$work/bench.pac" PROXY_USERNAME="$proxy_user" PROXY_PASSWORD="$proxy_password") ;;
    squid) proxy_env=(https_proxy="http://$proxy_user:$proxy_password@127.0.0.1:$squid_port") ;;
  esac
  # exec: the subshell becomes the sidecar, so $! is the sidecar's PID.
  (cd "$work/cwd" && exec env -i PATH="/usr/bin:/bin" HOME="$work" \
    THREESCALE_PORTAL_ENDPOINT="https://BENCHACCESSTOKEN@$upstream_host:$tls_port" \
    BACKEND_ENDPOINT_OVERRIDE="https://$upstream_host:$tls_port" \
    "${proxy_env[@]}" UPSTREAM_CA_FILE="$work/ca.pem" \
    LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT="$portal_port" BACKEND_LISTEN_PORT="$backend_port" \
    MANAGEMENT_ADDRESS=127.0.0.1 MANAGEMENT_PORT="$management_port" "${extra_env[@]}" "$@" \
    "${sidecar_binary:-${bins[$label]}}") > "${sidecar_stdout:-$work/runs/$name.log}" 2>&1 7>&- &
  sidecar_pid=$!
  bench_pids+=("$sidecar_pid")
  wait_port "$backend_port" && wait_port "$portal_port" || { tail -n 20 "$work/runs/$name.log" >&2; return 1; }
  sleep 1
  idle_kib=$(rss_kib "$sidecar_pid" VmRSS)
  # PROXY_PAC's engine, a process of the sidecar's own: its RSS comes on top (runs/NAME.engine).
  if [ "$mode" = tinyproxy-pac ]; then
    local engine
    engine=$(pgrep -P "$sidecar_pid" | head -n 1 || true)
    [ -z "$engine" ] || rss_kib "$engine" VmRSS > "$work/runs/$name.engine"
  fi
}

run_prefix() { if [ "$1" = F ]; then echo floor; else echo "sidecar-$1"; fi; }

# sidecar_run LABEL MODE C TARGET [NAME=VALUE...]: a fresh sidecar, one measured run; TARGET is authrep, download, or
# slow (the authrep answer after 50 ms).
sidecar_run() {
  local label=$1 mode=$2 c=$3 target=$4; shift 4
  local name url proxy=""
  name="$(run_prefix "$label") $mode"
  [ "$target" = download ] && name="$name 2MB"
  [ "$target" = slow ] && name="$name slow50ms"
  name="$name c=$c${run_suffix:-}"
  case "$mode" in tinyproxy*) proxy=$tiny_pid ;; squid) proxy=$squid_pid ;; esac
  start_sidecar "$label" "$mode" "$name" "$@"
  case "$target" in
    download) url="http://127.0.0.1:$portal_port$download_path" ;;
    slow) url="http://127.0.0.1:$backend_port/slow$authrep_path" ;;
    *) url="http://127.0.0.1:$backend_port$authrep_path" ;;
  esac
  measure "$name" "$c" "$url" "$work/report.lua" "$sidecar_pid" "$proxy" "$management_port"
  # An unread stdout: close the only reader first, so the final flush fails fast instead of blocking the exit.
  [ -n "${sidecar_stdout:-}" ] && exec 7>&-
  stop_pid "$sidecar_pid"
  [ -z "${sidecar_stdout:-}" ] && [ "$label" != F ] && count_access_lines "$name"
  return 0
}

# count_access_lines NAME: "LINES WARM_UP_REQUESTS" into runs/NAME.lines, for the report to check that every request
# got its line: the access-log lines in NAME's log, and the requests of its warm-up, which the lines include.
count_access_lines() {
  local lines warm_up
  lines=$(grep -c ' access\[' "$work/runs/$1.log" || true)
  warm_up=$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' "$work/runs/$1.warmup" 2>/dev/null || true)
  echo "${lines:-0} ${warm_up:-0}" > "$work/runs/$1.lines"
}

# log_cost_blocks: the access log's cost. Two sidecars through tinyproxy, the same binary with the log on and off, both
# started once and warmed up, then loaded in turns: blocks of 4 bursts of $log_burst s at c=50, "on off off on", then
# "off on on off", and so on. The machine's speed drifts by up to 25% within a minute on a shared 2-CPU VM; bursts
# seconds apart, in an order that cancels a steady drift, leave the log's own cost (fresh sidecars for each side,
# median of 3 pairs, measured it anywhere between 0.83 and 1.00 on the same build; two identical sidecars measured this
# way give 0.99-1.00). Rows: "sidecar-A tinyproxy c=50 log-on #BLOCK.N" (and log-off), one per burst.
# The log-off side runs a copy of the binary: started beside the warmed-up log-on side, the same file would share the
# code pages both had run, which the kernel cannot page out for either (ExecutablePages.cs) and which RSS counts in each.
# Its idle figure is then its own, as for every other sidecar of the run.
log_cost_blocks() {
  local base="sidecar-A tinyproxy c=50" side block n
  declare -A pid=() port=() management=() idle=() burst=()
  mkdir -p "$work/log-off-copy"
  cp "${bins[A]}" "$work/log-off-copy/"
  sync "$work/log-off-copy/$(basename "${bins[A]}")" # clean pages, which the sidecar's page-out can drop like the original's
  for side in on off; do
    local settings=() binary=""
    [ "$side" = off ] && settings=(Logging__LogLevel__access=None) binary="$work/log-off-copy/$(basename "${bins[A]}")"
    sidecar_binary=$binary start_sidecar A tinyproxy "$base log-$side" "${settings[@]}"
    pid[$side]=$sidecar_pid port[$side]=$backend_port management[$side]=$management_port idle[$side]=$idle_kib
    wrk_load "$warmup" 50 "http://127.0.0.1:$backend_port$authrep_path" "$work/report.lua" "$work/runs/$base log-$side.warmup"
  done
  for block in $(seq 1 "$log_blocks"); do
    burst=([on]=0 [off]=0)
    for side in $( [ $((block % 2)) -eq 1 ] && echo "on off off on" || echo "off on on off"); do
      n=$((burst[$side] += 1))
      warmup=0 duration=$log_burst idle_kib=${idle[$side]} measure "$base log-$side #$block.$n" 50 \
        "http://127.0.0.1:${port[$side]}$authrep_path" "$work/report.lua" "${pid[$side]}" "$tiny_pid" "${management[$side]}"
    done
  done
  for side in on off; do
    stop_pid "${pid[$side]}"
    count_access_lines "$base log-$side"
  done
}

# Every binary for one configuration (MODE C TARGET); the order rotates from one concurrency to the next, so each
# binary of a mode and target goes first in turn.
declare -A rotation=()
ab_run() {
  local n=${#labels[@]} key="$1 $3" i
  local offset=${rotation[$key]:-0}
  for i in $(seq 0 $((n - 1))); do sidecar_run "${labels[$(( (i + offset) % n ))]}" "$@"; done
  rotation[$key]=$(( (offset + 1) % n ))
}

# --- header -----------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "command: $command_line"
  echo "machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "source: commit $(git rev-parse --short HEAD 2>/dev/null || echo -)$( [ -n "$(git status --porcelain -- src 2>/dev/null)" ] && echo ', src/ with uncommitted changes')"
  echo "tools: .NET SDK $(dotnet --version 2>/dev/null || echo -), $(nginx -v 2>&1 | sed 's#.*/##; s/^/nginx /'), tinyproxy $(tinyproxy -v 2>&1 | awk '{print $2}'), squid $(squid -v | awk 'NR == 1 {print $4}'), $(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}')"
  for label in "${labels[@]}"; do
    echo "$(run_prefix "$label"): ${names[$label]} ($("${bins[$label]}" --version 2>/dev/null | head -n 1 || echo 'no --version'), $(stat -c %s "${bins[$label]}") bytes, sha256 $(sha256sum "${bins[$label]}" | cut -c1-12))"
  done
  echo "sidecar environment, besides its settings: ${extra_env[*]:-none} (the image's DOTNET_* ENV, then --env)"
  echo "load: wrk -t$threads, ${warmup} s warm-up + ${duration} s measured per run; 2 MB download at c=$download_connections ($download_bytes bytes); upstream nginx and nginx-rp 1 worker each; everything on the same $(nproc) CPUs"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/header.txt" >&2

# --- the runs ---------------------------------------------------------------------------------------------------
: > "$work/results.tsv"
echo "running (each line: one measured run) ..." >&2
for c in 1 50 500; do
  idle_kib="" measure "https-direct c=$c" "$c" "https://$upstream_host:$tls_port$authrep_path" "$work/report.lua" "$upstream_pid" ""
  idle_kib="" measure "nginx-rp c=$c" "$c" "http://127.0.0.1:$rp_port$authrep_path" "$work/report.lua" "$rp_pid" ""
  for mode in direct tinyproxy squid; do
    ab_run "$mode" "$c" authrep
    if [ "$mode" = tinyproxy ] && [ "$c" = 50 ]; then
      log_cost_blocks
      # stdout on a pipe that nobody reads: forwarding must go on (lines dropped, not blocking requests).
      mkfifo "$work/unread"
      exec 7<>"$work/unread"
      run_suffix=" unread-stdout" sidecar_stdout="$work/unread" sidecar_run A tinyproxy 50 authrep
    fi
  done
done
# A slow upstream (50 ms per answer) at c=500 through tinyproxy: sidecar-A as configured by default against the same
# binary with the connection limit lifted (no limit, fixed: the floor at the ceiling), alternated, $slow_rounds rounds
# each: neither the default UPSTREAM_MAX_CONNECTIONS nor the adaptive limit under it may cap it.
for round in $(seq 1 "$slow_rounds"); do
  for side in $( [ $((round % 2)) -eq 1 ] && echo "default nolimit" || echo "nolimit default"); do
    if [ "$side" = default ]; then run_suffix=" #$round" sidecar_run A tinyproxy 500 slow
    else run_suffix=" nolimit #$round" sidecar_run A tinyproxy 500 slow UPSTREAM_MAX_CONNECTIONS=1000000 UPSTREAM_CONCURRENCY_FLOOR=1000000; fi
  done
done
# PROXY_PAC against https_proxy naming the same tinyproxy, alternated: the script's results are cached per host, so it
# must cost next to nothing per request.
for round in $(seq 1 "$pac_rounds"); do
  for side in $( [ $((round % 2)) -eq 1 ] && echo "pac base" || echo "base pac"); do
    if [ "$side" = pac ]; then run_suffix=" #$round" sidecar_run A tinyproxy-pac 50 authrep
    else run_suffix=" pac-base #$round" sidecar_run A tinyproxy 50 authrep; fi
  done
done
# The gate against --compare: both binaries side by side through tinyproxy at c=50 (paired.sh's A is the --compare
# binary, so its B/A ratios are sidecar-A's to it).
: > "$work/paired.txt"
if [ -n "$compare" ]; then
  echo "compare: bench/paired.sh, $compare_rounds rounds ..." >&2
  A_ENV="${extra_env[*]}" B_ENV="${extra_env[*]}" \
    bench/paired.sh --rounds "$compare_rounds" --duration 8 "$work/B/sidecar" "$work/A/sidecar" > "$work/paired.txt" 2>&1 \
    || { cat "$work/paired.txt" >&2; exit 1; }
fi
idle_kib="" measure "tinyproxy-hop c=50" 50 "http://127.0.0.1:$tiny_port/" "$work/hop.lua" "$tiny_pid" ""
idle_kib="" measure "squid-hop c=50" 50 "http://127.0.0.1:$squid_port/" "$work/hop.lua" "$squid_pid" ""
dc=$download_connections
idle_kib="" measure "https-direct 2MB c=$dc" "$dc" "https://$upstream_host:$tls_port$download_path" "$work/report.lua" "$upstream_pid" ""
idle_kib="" measure "nginx-rp 2MB c=$dc" "$dc" "http://127.0.0.1:$rp_port$download_path" "$work/report.lua" "$rp_pid" ""
for mode in direct tinyproxy squid; do ab_run "$mode" "$dc" download; done

echo "start-up: $starts starts per binary ..." >&2
starts_args=()
for label in "${labels[@]}"; do starts_args+=("$label=${bins[$label]}"); done
(cd "$work/cwd" && exec env -i PATH="/usr/bin:/bin" HOME="$work" \
  THREESCALE_PORTAL_ENDPOINT="https://BENCHACCESSTOKEN@$upstream_host:$tls_port" \
  BACKEND_ENDPOINT_OVERRIDE="https://$upstream_host:$tls_port" \
  https_proxy="http://$proxy_user:$proxy_password@127.0.0.1:$tiny_port" UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 MANAGEMENT_ADDRESS=127.0.0.1 "${extra_env[@]}" \
  python3 "$repo/bench/first-accept.py" "$starts" "${starts_args[@]}") > "$work/startup.txt" 2> "$work/startup.log"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/header.txt"
for f in "$work"/runs/*.lines; do [ -e "$f" ] && printf '%s\t%s\n' "$(basename "$f" .lines)" "$(cat "$f")"; done \
  > "$work/log-lines.tsv"
if [ -n "$output" ]; then
  mkdir -p "$output"
  cp -r "$work/runs" "$work/header.txt" "$work/results.tsv" "$work/startup.txt" "$work/startup.log" "$work/log-lines.tsv" \
    "$work/upstream.conf" "$work/rp.conf" "$work/tinyproxy.conf" "$work/squid.conf" "$work/paired.txt" "$output/"
fi
echo
# The report exits 1 when a gate of issue 19 fails; the forward-tunnel case still runs, then the script exits with it.
gates=0
python3 bench/report.py "$work/header.txt" "$work/results.tsv" "$work/startup.txt" "$work/log-lines.tsv" \
  "$(getconf CLK_TCK)" "$download_bytes" "$dc" "$work/paired.txt" || gates=$?

# The forward-proxy listener: requests over one kept-alive tunnel and the tunnel set-up rate, against tinyproxy alone.
echo
bench/forward-tunnel.sh --binary "$work/A/sidecar"
exit "$gates"
