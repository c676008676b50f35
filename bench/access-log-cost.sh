#!/usr/bin/env bash
# Measures what the access log costs: the same load through the sidecar with the access log on and off, on loopback.
#
#   nginx (TLS, imitates the backend's authrep) <- tinyproxy (Basic auth) <- sidecar (Release build) <- wrk
#
# Prints requests/s and p99 latency for each run, and the ratio log-on / log-off. Every process is started here and
# stopped by PID; every load run is bounded (DURATION seconds). Usage: bench/access-log-cost.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-20}

. bench/lib.sh
bench_require_packages nginx tinyproxy wrk openssl python3
bench_init

# A CA and a certificate for localhost, so the sidecar verifies TLS as in production.
bench_make_certs

upstream_port=$(free_port)
bench_nginx_upstream_conf "$upstream_port" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" & bench_pids+=($!)

proxy_port=$(free_port)
bench_tinyproxy_conf "$proxy_port" bench benchpass > "$work/tinyproxy.conf"
tinyproxy -d -c "$work/tinyproxy.conf" & bench_pids+=($!)
wait_port "$upstream_port"; wait_port "$proxy_port"

dotnet publish src/ApicastSidecarProxy -c Release -o "$work/sidecar" >/dev/null

path='/transactions/authrep.xml?service_token=T&service_id=42&user_key=K&usage%5Bhits%5D=1'

# run NAME [extra env...]: starts the sidecar, loads its backend route, prints "NAME req/s p99".
run() {
  local name=$1; shift
  local port; port=$(free_port)
  env -i PATH="$PATH" HOME="$HOME" DOTNET_ROOT="${DOTNET_ROOT:-}" \
    THREESCALE_PORTAL_ENDPOINT="https://localhost:$upstream_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$upstream_port" \
    https_proxy="http://bench:benchpass@127.0.0.1:$proxy_port" UPSTREAM_CA_FILE="$work/ca.pem" \
    LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT=0 BACKEND_LISTEN_PORT="$port" "$@" \
    "$work/sidecar/apicast-sidecar-proxy" > "$work/$name.log" 2>&1 &
  local pid=$!
  wait_port "$port"
  wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$port$path" > "$work/$name.warmup" # JIT, tunnels
  wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$path" > "$work/$name.wrk"
  stop_pid "$pid" # SIGTERM: the sidecar flushes its log before exiting
  local rps p99 errors requests
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.wrk")
  errors=$(awk '/Non-2xx/ {print $NF}' "$work/$name.wrk")
  requests=$(cat "$work/$name.warmup" "$work/$name.wrk" | awk '/requests in/ {n += $1} END {print n}')
  printf '%-16s %10s req/s   p99 %8s   non-2xx %s   requests %s   access-log lines %s\n' "$name" "$rps" "$p99" \
    "${errors:-0}" "$requests" "$(grep -c ' access\[' "$work/$name.log" || true)"
  echo "$rps" > "$work/$name.rps"
}

echo "load: wrk -c$connections for ${duration}s on the backend route; sidecar -> tinyproxy (Basic) -> nginx (TLS)"
run access-log-on
run access-log-off Logging__LogLevel__access=None
awk -v on="$(cat "$work/access-log-on.rps")" -v off="$(cat "$work/access-log-off.rps")" \
  'BEGIN { printf "ratio log-on / log-off: %.2f (1.00 = the access log costs nothing)\n", on / off }'
