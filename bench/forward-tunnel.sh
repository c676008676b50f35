#!/usr/bin/env bash
# The forward-proxy listener's cost, on loopback, in one run: the same curl traffic to a TLS upstream (nginx, the
# backend's authrep answer) through the sidecar's forward listener (which chains tinyproxy with Basic auth) and
# through tinyproxy directly, alternated ROUNDS times; the medians and their ratio are printed.
#
#   keep-alive:  REQUESTS requests over one kept-alive tunnel (curl's URL globbing reuses the connection)
#   set-up:      TUNNELS requests with "Connection: close": one new CONNECT tunnel and TLS handshake each
#
#   bench/forward-tunnel.sh [--binary PATH] [--requests N] [--tunnels N] [--rounds N]
#
# --binary: the sidecar (default out/linux-x64/apicast-sidecar-proxy, built by build/publish.sh when missing).
# Every process started here is stopped by its PID; every run is bounded by curl's --max-time.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

binary=out/linux-x64/apicast-sidecar-proxy requests=2000 tunnels=300 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --tunnels) tunnels=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "forward-tunnel.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
for number in "$requests" "$tunnels" "$rounds"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "forward-tunnel.sh: '$number' is not a positive number" >&2; exit 64; }
done
[ -x "$binary" ] || build/publish.sh linux-x64 >&2
bench_require_packages nginx tinyproxy curl openssl python3
bench_init

bench_make_certs
read -r tls_port tiny_port forward_port management_port backend_port portal_port < <(free_ports 6)
bench_nginx_upstream_conf "$tls_port" > "$work/upstream.conf"
nginx -c "$work/upstream.conf" & bench_pids+=($!)
bench_tinyproxy_conf "$tiny_port" bench bench-pass.1 > "$work/tinyproxy.conf"
tinyproxy -d -c "$work/tinyproxy.conf" & bench_pids+=($!)
wait_port "$tls_port"; wait_port "$tiny_port"

mapfile -t runtime_env < <(image_runtime_env)
env -i PATH="/usr/bin:/bin" HOME="$work" "${runtime_env[@]}" \
  THREESCALE_PORTAL_ENDPOINT="https://localhost:$tls_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$tls_port" \
  https_proxy="http://bench:bench-pass.1@127.0.0.1:$tiny_port" UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT="$portal_port" BACKEND_LISTEN_PORT="$backend_port" \
  MANAGEMENT_ADDRESS=127.0.0.1 MANAGEMENT_PORT="$management_port" READINESS_INTERVAL=0 LOG_LEVEL=warning \
  FORWARD_PROXY_PORT="$forward_port" FORWARD_PROXY_ALLOW="localhost:$tls_port" \
  "$binary" > "$work/sidecar.log" 2>&1 &
sidecar_pid=$!
bench_pids+=("$sidecar_pid")
wait_port "$forward_port"

# run CASE VIA: prints "SECONDS SIDECAR_CPU_TICKS" for one curl run of CASE (keepalive, setup) through VIA.
run() {
  local count=$1 via=$2 extra=() proxy=(-x "http://127.0.0.1:$forward_port")
  [ "$via" = tinyproxy ] && proxy=(-x "http://127.0.0.1:$tiny_port" --proxy-user bench:bench-pass.1)
  [ "$case_name" = setup ] && extra=(-H "Connection: close")
  local ticks_before started ended codes
  ticks_before=$(cpu_ticks "$sidecar_pid")
  started=$(date +%s%N)
  codes=$(curl -s --max-time 300 --cacert "$work/ca.pem" "${proxy[@]}" "${extra[@]}" -o /dev/null -w '%{http_code}\n' \
    "https://localhost:$tls_port/transactions/authrep.xml?n=[1-$count]" | sort | uniq -c | tr -s ' ')
  ended=$(date +%s%N)
  [ "$codes" = " $count 200" ] || { echo "forward-tunnel.sh: $case_name via $via: answers were '$codes'" >&2; exit 1; }
  echo "$(( ended - started )) $(( $(cpu_ticks "$sidecar_pid") - ticks_before ))"
}

echo "forward tunnel: curl to nginx (TLS) via the sidecar's forward listener (chained to tinyproxy) vs tinyproxy alone;"
echo "  median of $rounds alternated rounds; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-48s %12s %12s %8s %16s\n' case "forward r/s" "tinyproxy r/s" ratio "sidecar CPU us/r"
ticks_per_second=$(getconf CLK_TCK)
for case_name in keepalive setup; do
  count=$requests; label="$requests requests over one kept-alive tunnel"
  [ "$case_name" = setup ] && { count=$tunnels; label="$tunnels new tunnels (Connection: close)"; }
  forward_rates=() tiny_rates=() cpus=()
  for _ in $(seq 1 "$rounds"); do
    read -r ns ticks < <(run "$count" forward)
    forward_rates+=("$(awk -v n="$count" -v ns="$ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')")
    cpus+=("$(awk -v t="$ticks" -v hz="$ticks_per_second" -v n="$count" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')")
    read -r ns _ < <(run "$count" tinyproxy)
    tiny_rates+=("$(awk -v n="$count" -v ns="$ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  forward_rate=$(median "${forward_rates[@]}"); tiny_rate=$(median "${tiny_rates[@]}"); cpu=$(median "${cpus[@]}")
  printf '  %-48s %12s %12s %8s %16s\n' "$label" "$forward_rate" "$tiny_rate" \
    "$(awk -v a="$forward_rate" -v b="$tiny_rate" 'BEGIN { printf "%.2fx", a / b }')" "$cpu"
done
