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

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/sbin/tinyproxy ] || need+=(tinyproxy)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
PATH="$PATH:/usr/sbin"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "port $1 never opened" >&2; return 1
}

# A CA and a certificate for localhost, so the sidecar verifies TLS as in production.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null

upstream_port=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$upstream_port ssl;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    location / {
      default_type application/vnd.3scale-v2.0+xml;
      return 200 '<?xml version="1.0" encoding="UTF-8"?><status><authorized>true</authorized><plan>Basic</plan></status>';
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" & pids+=($!)

proxy_port=$(free_port)
cat > "$work/tinyproxy.conf" <<TINY
Port $proxy_port
Listen 127.0.0.1
Timeout 600
MaxClients 200
LogLevel Warning
LogFile "$work/tinyproxy.log"
Allow 127.0.0.1
BasicAuth bench benchpass
TINY
tinyproxy -d -c "$work/tinyproxy.conf" & pids+=($!)
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
  kill "$pid"; wait "$pid" 2>/dev/null || true # SIGTERM: the sidecar flushes its log before exiting
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
