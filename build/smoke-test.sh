#!/usr/bin/env bash
# Smoke test of the release binary (the output of build/publish.sh), wired the way the Kubernetes pod wires it:
#
#   curl -> sidecar (AOT binary, 127.0.0.1, ports picked at start) -> tinyproxy (Basic auth) -> nginx (TLS, own CA)
#
# The proxy user comes from PROXY_USERNAME, the password from PROXY_PASSWORD_FILE (as from a mounted Secret), the
# upstream is trusted through UPSTREAM_CA_FILE. Checks --version and --help, the README's two checks (portal: 403
# "Access denied", which nginx only answers when the access token arrived as Basic auth; backend: 403
# provider_key_or_service_token_required), the access-log lines and the CONNECT in tinyproxy's log; then stops the
# sidecar with SIGTERM by PID and checks it exits 0. Prints the binary's size and its idle RSS.
#
#   build/smoke-test.sh [BINARY]      default: out/linux-x64/apicast-sidecar-proxy
#
# SMOKE_LOAD_SECONDS=N (optional, off in CI) adds a bounded wrk run (N seconds, SMOKE_LOAD_CONNECTIONS connections,
# default 50) on the backend route and prints requests/s and the peak RSS: the numbers behind the pod's memory request.
# Everything listens on 127.0.0.1 only; every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-out/linux-x64/apicast-sidecar-proxy}")
[ -x "$binary" ] || { echo "smoke-test: no binary at $binary (run build/publish.sh first)" >&2; exit 1; }
PATH="$PATH:/usr/sbin"
for tool in nginx tinyproxy openssl curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "smoke-test: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
sidecar=""
cleanup() {
  [ -n "$sidecar" ] && kill "$sidecar" 2>/dev/null && wait "$sidecar" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "smoke-test: FAILED: $*" >&2
  for f in sidecar.log tinyproxy.log nginx/error.log; do
    [ -s "$work/$f" ] && { echo "--- $f" >&2; tail -n 30 "$work/$f" >&2; }
  done
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  fail "port $1 never opened"
}
rss_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# file_rss_kib PID FILE: the resident pages of the process's mappings of FILE (/proc/PID/smaps), in KiB.
file_rss_kib() {
  awk -v file="$2" 'NF >= 5 && $1 ~ /-/ { mine = ($NF == file) } mine && $1 == "Rss:" { kib += $2 } END { print kib + 0 }' \
    "/proc/$1/smaps"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# --version and --help must work without any configuration.
version=$(env -i "$binary" --version) || fail "--version exited non-zero"
[[ "$version" == apicast-sidecar-proxy\ * ]] || fail "--version printed '$version'"
env -i "$binary" --help | grep -q THREESCALE_PORTAL_ENDPOINT || fail "--help does not name THREESCALE_PORTAL_ENDPOINT"

# A CA and a certificate for localhost, so the sidecar verifies TLS as in production (same as bench/).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=smoke CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null

# nginx answers like the 3scale SaaS: the portal's 403 only when the token arrived as Basic base64("TOKEN:").
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
  server {
    listen 127.0.0.1:$upstream_port ssl;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    location = /admin/api/accounts.xml {
      default_type "application/xml; charset=utf-8";
      if (\$http_authorization != "Basic U01PS0VUT0tFTjo=") { return 401 'no access token'; }
      return 403 '<?xml version="1.0" encoding="UTF-8"?><error>Access denied</error>';
    }
    location /transactions/ {
      default_type application/vnd.3scale-v2.0+xml;
      return 403 '<?xml version="1.0" encoding="UTF-8"?><error code="provider_key_or_service_token_required">Provider key or service token are required</error>';
    }
    location / { return 404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" & pids+=($!)

proxy_port=$(free_port)
cat > "$work/tinyproxy.conf" <<TINY
Port $proxy_port
Listen 127.0.0.1
Allow 127.0.0.1
Timeout 600
MaxClients 200
LogLevel Info
LogFile "$work/tinyproxy.log"
DisableViaHeader Yes
BasicAuth smoke smoke-pass.1
TINY
tinyproxy -d -c "$work/tinyproxy.conf" & pids+=($!)
wait_port "$upstream_port"
wait_port "$proxy_port"

# The password as a mounted Secret file: one line, trailing newline.
printf 'smoke-pass.1\n' > "$work/proxy-password"
chmod 600 "$work/proxy-password"
management_port=$(free_port)
started=$(date +%s%N)
# The binary runs as shipped: plain, its runtime settings (the garbage collector's) baked in.
env -i HOME="$work" \
  THREESCALE_PORTAL_ENDPOINT="https://SMOKETOKEN@localhost:$upstream_port" \
  BACKEND_ENDPOINT_OVERRIDE="https://localhost:$upstream_port" \
  https_proxy="http://127.0.0.1:$proxy_port" PROXY_USERNAME=smoke PROXY_PASSWORD_FILE="$work/proxy-password" \
  UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT=0 BACKEND_LISTEN_PORT=0 MANAGEMENT_PORT="$management_port" \
  "$binary" > "$work/sidecar.log" 2>&1 &
sidecar=$!

# "listening route=portal address=http://127.0.0.1:PORT" (or listener=portal in later versions).
listening() {
  sed -n "s#.*listening \(route\|listener\)=$1 address=http://127.0.0.1:\([0-9][0-9]*\).*#\2#p" "$work/sidecar.log" | head -n 1
}
portal_port=""; backend_port=""
for _ in $(seq 1 200); do
  portal_port=$(listening portal); backend_port=$(listening backend)
  [ -n "$portal_port" ] && [ -n "$backend_port" ] && break
  kill -0 "$sidecar" 2>/dev/null || fail "the sidecar exited during start-up"
  sleep 0.05
done
[ -n "$portal_port" ] && [ -n "$backend_port" ] || fail "no 'listening ...=portal/backend address=...' lines within 10 s"
start_ms=$(( ($(date +%s%N) - started) / 1000000 ))
sleep 1
idle_start_kib=$(rss_kib "$sidecar" VmRSS)
# Once start-up is done (the first readiness probes), the sidecar drops the binary's pages (about 12 MiB resident by
# then): what stays resident is what its timers run.
for _ in $(seq 1 100); do
  binary_kib=$(file_rss_kib "$sidecar" "$binary")
  [ "$binary_kib" -lt 8192 ] && break
  sleep 0.1
done
[ "$binary_kib" -lt 8192 ] || fail "the binary's start-up pages stay resident ($(mib "$binary_kib") of its file after 10 s)"
echo "ok  start-up code released: $(mib "$binary_kib") of the binary resident"

check() { # check NAME URL EXPECTED_STATUS EXPECTED_BODY_FRAGMENT
  local status
  status=$(curl -sS --noproxy '*' -o "$work/$1.body" -w '%{http_code}' --max-time 20 "$2") || fail "$1: curl failed"
  [ "$status" = "$3" ] || fail "$1: status $status, expected $3 (body: $(head -c 300 "$work/$1.body"))"
  grep -q "$4" "$work/$1.body" || fail "$1: body lacks '$4': $(head -c 300 "$work/$1.body")"
  echo "ok  $1: $3${4:+ $4}"
}
check portal "http://127.0.0.1:$portal_port/admin/api/accounts.xml" 403 'Access denied'
check backend "http://127.0.0.1:$backend_port/transactions/authorize.xml" 403 'provider_key_or_service_token_required'
grep -q "CONNECT localhost:$upstream_port " "$work/tinyproxy.log" || fail "tinyproxy saw no CONNECT localhost:$upstream_port"
# The management listener, where the binary has one (it says so at start): liveness answers 200.
if [ -n "$(listening management)" ]; then
  check healthz "http://127.0.0.1:$(listening management)/healthz" 200 ''
fi

sleep 1
idle_kib=$(rss_kib "$sidecar" VmRSS)

if [ -n "${SMOKE_LOAD_SECONDS:-}" ]; then
  command -v wrk >/dev/null 2>&1 || fail "SMOKE_LOAD_SECONDS needs wrk (apt-get install wrk)"
  connections=${SMOKE_LOAD_CONNECTIONS:-50}
  wrk -t1 -c"$connections" -d"${SMOKE_LOAD_SECONDS}s" \
    "http://127.0.0.1:$backend_port/transactions/authrep.xml?service_token=T&service_id=42&user_key=K&usage%5Bhits%5D=1" \
    > "$work/wrk.out"
  loaded_kib=$(rss_kib "$sidecar" VmRSS)
  peak_kib=$(rss_kib "$sidecar" VmHWM)
  sleep 5
  after_kib=$(rss_kib "$sidecar" VmRSS)
  echo "load: wrk -c$connections ${SMOKE_LOAD_SECONDS}s: $(awk '/Requests\/sec/ {print $2}' "$work/wrk.out") req/s;" \
    "RSS at the end $(mib "$loaded_kib"), peak $(mib "$peak_kib"), 5 s later $(mib "$after_kib")"
fi

kill -TERM "$sidecar"
exit_code=""
for _ in $(seq 1 200); do
  if ! kill -0 "$sidecar" 2>/dev/null; then wait "$sidecar" && exit_code=0 || exit_code=$?; break; fi
  sleep 0.05
done
[ -n "$exit_code" ] || fail "the sidecar did not exit within 10 s of SIGTERM"
[ "$exit_code" = 0 ] || fail "the sidecar exited $exit_code after SIGTERM, expected 0"
sidecar=""
grep -q ' access\[[0-9]*\] route=portal method=GET path=/admin/api/accounts.xml status=403' "$work/sidecar.log" \
  || fail "no access-log line for the portal request"
grep -q ' access\[[0-9]*\] route=backend method=GET path=/transactions/authorize.xml status=403' "$work/sidecar.log" \
  || fail "no access-log line for the backend request"
if grep -q -e SMOKETOKEN -e smoke-pass -e U01PS0VUT0tFTjo "$work/sidecar.log"; then fail "a secret appears in the log"; fi
echo "ok  SIGTERM: exit 0, access log flushed, no secret in the log"

# PROXY_PAC in the release binaries: the sidecar starts its PAC engine (apicast-sidecar-pac, beside it), in which the
# Jint interpreter survives Native AOT, with every standard helper called once.
cat > "$work/proxy.pac" <<PAC
function FindProxyForURL(url, host) {
  var always = weekdayRange("SUN", "SAT") && dateRange(1, 31) && timeRange(0, 24);
  var local = isPlainHostName(host) && localHostOrDomainIs(host, "localhost") && isResolvable(host)
    && isInNet(dnsResolve(host), "127.0.0.0", "255.0.0.0") && dnsDomainLevels(host) == 0
    && !dnsDomainIs(host, ".corp.example") && shExpMatch(url, "https://localhost:*/") && myIpAddress() != "";
  if (always && local) return "PROXY 127.0.0.1:$proxy_port";
  return "PROXY 127.0.0.1:9";
}
PAC
env -i HOME="$work" \
  THREESCALE_PORTAL_ENDPOINT="https://SMOKETOKEN@localhost:$upstream_port" \
  BACKEND_ENDPOINT_OVERRIDE="https://localhost:$upstream_port" \
  PROXY_PAC="$work/proxy.pac" PROXY_USERNAME=smoke PROXY_PASSWORD_FILE="$work/proxy-password" \
  UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT=0 BACKEND_LISTEN_PORT=0 MANAGEMENT_PORT=0 \
  "$binary" > "$work/sidecar.log" 2>&1 &
sidecar=$!
backend_port=""
for _ in $(seq 1 200); do
  backend_port=$(listening backend)
  [ -n "$backend_port" ] && break
  kill -0 "$sidecar" 2>/dev/null || fail "the sidecar exited during start-up with PROXY_PAC"
  sleep 0.05
done
[ -n "$backend_port" ] || fail "no 'listening ...=backend' line within 10 s with PROXY_PAC"
check backend-pac "http://127.0.0.1:$backend_port/transactions/authorize.xml" 403 'provider_key_or_service_token_required'
for _ in $(seq 1 100); do
  grep -q " route=backend .* proxy=http://127.0.0.1:$proxy_port" "$work/sidecar.log" && break
  sleep 0.05
done
grep -q " route=backend .* proxy=http://127.0.0.1:$proxy_port" "$work/sidecar.log" \
  || fail "no access-log line of the backend request through the PAC script's proxy"
engine=$(pgrep -P "$sidecar" | head -n 1 || true)
[ -n "$engine" ] && [ "$(basename "$(readlink "/proc/$engine/exe")")" = apicast-sidecar-pac ] \
  || fail "no PAC engine process (apicast-sidecar-pac) under the sidecar"
engine_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$engine/status")
# After the compile, the engine drops its binary's pages: what stays is what evaluating the script ran.
engine_binary_kib=$(file_rss_kib "$engine" "$(readlink "/proc/$engine/exe")")
[ "$engine_binary_kib" -lt 6656 ] \
  || fail "the PAC engine kept its binary's pages after the compile ($(mib "$engine_binary_kib") resident; about 8.3 MiB if kept)"
if tr '\0' '\n' < "/proc/$engine/environ" | grep -q -e SMOKETOKEN -e PROXY_; then fail "the PAC engine inherited a secret"; fi
kill -TERM "$sidecar"; wait "$sidecar" || fail "the sidecar with PROXY_PAC did not exit 0 after SIGTERM"
sidecar=""
for _ in $(seq 1 100); do kill -0 "$engine" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$engine" 2>/dev/null; then kill "$engine"; fail "the PAC engine outlived the sidecar"; fi
echo "ok  PROXY_PAC: the script's proxy used, every PAC helper evaluated in the engine ($(mib "$engine_rss") resident," \
  "$(mib "$engine_binary_kib") of it its binary)," \
  "which inherited no secret and ended with the sidecar"

echo "smoke test passed: $version"
echo "binary: $(stat -c %s "$binary") bytes ($(mib $(( $(stat -c %s "$binary") / 1024 )))); start to listening ${start_ms} ms;" \
  "idle RSS $(mib "$idle_start_kib") after start, $(mib "$idle_kib") after the requests"
