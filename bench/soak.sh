#!/usr/bin/env bash
# Soak test (not in CI): mixed traffic (authrep GETs and report POSTs) through the sidecar's release build and tinyproxy
# to a TLS nginx for MINUTES minutes, restarting the proxy every 2 minutes. Every 30 s it prints the sidecar's RSS, open
# file descriptors and threads; it fails when, at the end, any of them has grown well beyond its level after warm-up
# (RSS > 1.5x, descriptors > +50, threads > +30). Loopback only; every process started here is stopped by PID.
#
#   bench/soak.sh [MINUTES] [CONNECTIONS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
minutes=${1:-10}
connections=${2:-20}
binary=${3:-out/linux-x64/apicast-sidecar-proxy}

bench_require_packages nginx tinyproxy wrk openssl
bench_init
[ -x "$binary" ] || bash build/publish.sh linux-x64 >/dev/null
bench_make_certs

upstream_port=$(free_port)
bench_nginx_upstream_conf "$upstream_port" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" & bench_pids+=($!)
proxy_port=$(free_port)
bench_tinyproxy_conf "$proxy_port" soak soakpass 400 > "$work/tinyproxy.conf"
start_proxy() { tinyproxy -d -c "$work/tinyproxy.conf" > /dev/null 2>&1 & proxy_pid=$!; bench_pids+=($proxy_pid); wait_port "$proxy_port"; }
start_proxy
wait_port "$upstream_port"

backend_port=$(free_port)
env -i PATH="$PATH" HOME="$HOME" \
  THREESCALE_PORTAL_ENDPOINT="https://localhost:$upstream_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$upstream_port" \
  https_proxy="http://soak:soakpass@127.0.0.1:$proxy_port" UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT=0 BACKEND_LISTEN_PORT="$backend_port" MANAGEMENT_PORT=0 \
  READINESS_INTERVAL=5 Logging__LogLevel__access=None \
  "$binary" > "$work/sidecar.log" 2>&1 &
sidecar=$!
bench_pids+=($sidecar)
wait_port "$backend_port"

# Every third request is a batched report (POST /transactions.xml), the others authrep GETs.
cat > "$work/mixed.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  if n % 3 == 0 then
    return wrk.format("POST", "/transactions.xml", {["Content-Type"] = "application/x-www-form-urlencoded"},
      "service_token=T&service_id=42&transactions%5B0%5D%5Buser_key%5D=K&transactions%5B0%5D%5Busage%5D%5Bhits%5D=1")
  end
  return wrk.format("GET", "/transactions/authrep.xml?service_token=T&service_id=42&user_key=K&usage%5Bhits%5D=1")
end
LUA

sample() { # sample LABEL: one line of figures, also kept for the verdict
  local rss fds threads
  rss=$(rss_kib "$sidecar" VmRSS); fds=$(ls "/proc/$sidecar/fd" | wc -l); threads=$(awk '$1 == "Threads:" {print $2}' "/proc/$sidecar/status")
  printf '%-8s rss %7s KiB   fds %4s   threads %3s   %s\n' "$(date -u +%H:%M:%S)" "$rss" "$fds" "$threads" "$1"
  last="$rss $fds $threads"
}

echo "soak: ${minutes} min, wrk -c$connections mixed GET/POST via tinyproxy (restarted every 2 min); sidecar $binary"
sample "start"
slices=$((minutes * 2))
baseline=""
for slice in $(seq 1 "$slices"); do
  if [ $((slice % 4)) -eq 0 ]; then
    stop_pid "$proxy_pid"; start_proxy; note="proxy restarted"
  else
    note=""
  fi
  wrk -t1 -c"$connections" -d30s -s "$work/mixed.lua" "http://127.0.0.1:$backend_port" > "$work/wrk.txt" 2>&1 || true
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt"); errors=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  sample "requests ${requests:-0} non-2xx ${errors:-0} $note"
  [ "$slice" -ne 4 ] || baseline=$last # after 2 minutes: warm
done

read -r rss0 fds0 threads0 <<< "${baseline:-$last}"
read -r rss1 fds1 threads1 <<< "$last"
verdict=pass
[ "$rss1" -le $((rss0 * 3 / 2)) ] || verdict=fail
[ "$fds1" -le $((fds0 + 50)) ] || verdict=fail
[ "$threads1" -le $((threads0 + 30)) ] || verdict=fail
echo "after warm-up: rss $rss0 KiB, fds $fds0, threads $threads0; at the end: rss $rss1 KiB, fds $fds1, threads $threads1: $verdict"
[ "$verdict" = pass ]
