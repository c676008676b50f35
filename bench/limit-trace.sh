#!/usr/bin/env bash
# The adaptive concurrency limit at work: one sidecar loaded by wrk at C connections through tinyproxy to the TLS nginx
# of bench/benchmark.sh, its backend route's limit, exchanges in flight and exchanges waiting read from /metrics every
# half second, then wrk's requests/s and latency and the sidecar's peak RSS.
#
#   bench/limit-trace.sh [--upstream slow|uneven|fast] [--seconds S] [--connections C] [--hog N] BINARY [NAME=VALUE...]
#
#   --upstream     slow: every answer after 50 ms (the default; benchmark.sh's slow case); uneven: after 10 to 190 ms,
#                  drawn per request (mean 100 ms, ten times the fastest); fast: at once (the sidecar, tinyproxy and
#                  nginx then share the two CPUs, and more in flight buy nothing)
#   --seconds      of load (default 10); --connections: wrk's (default 500)
#   --hog N        N busy loops beside, for the run: other load on the same CPUs
#   NAME=VALUE     settings for the sidecar: UPSTREAM_MAX_CONNECTIONS=1000000 UPSTREAM_CONCURRENCY_FLOOR=1000000 is
#                  "no limit"
#
# Everything listens on 127.0.0.1; every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

upstream=slow seconds=10 connections=500 hog=0
while [ $# -gt 0 ]; do
  case "$1" in
    --upstream) upstream=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --hog) hog=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "limit-trace.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "limit-trace.sh: name the sidecar binary (see --help)" >&2; exit 64; }
binary=$1; shift
case "$upstream" in slow|uneven|fast) ;; *) echo "limit-trace.sh: --upstream is slow, uneven or fast" >&2; exit 64 ;; esac
for number in "$seconds" "$connections"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "limit-trace.sh: '$number' is not a positive whole number" >&2; exit 64; }
done
[[ "$hog" =~ ^[0-9]+$ ]] || { echo "limit-trace.sh: --hog '$hog' is not a whole number" >&2; exit 64; }

bench_require_packages nginx libnginx-mod-http-echo tinyproxy wrk openssl curl python3
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init
mkdir -p "$work/cwd"
cp "$binary" "$work/sidecar"
bench_start_upstream_and_tinyproxy
read -r backend_port portal_port management_port < <(free_ports 3)

# shellcheck disable=SC2068 # the sidecar's settings: NAME=VALUE words
(cd "$work/cwd" && exec env -i PATH="/usr/bin:/bin" HOME="$work" \
  THREESCALE_PORTAL_ENDPOINT="https://localhost:$tls_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$tls_port" \
  https_proxy="http://bench:bench-pass.1@127.0.0.1:$tiny_port" UPSTREAM_CA_FILE="$work/ca.pem" \
  LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT="$portal_port" BACKEND_LISTEN_PORT="$backend_port" \
  MANAGEMENT_ADDRESS=127.0.0.1 MANAGEMENT_PORT="$management_port" $@ "$work/sidecar") > "$work/sidecar.log" 2>&1 &
sidecar_pid=$!
bench_pids+=("$sidecar_pid")
wait_port "$backend_port" || { tail -n 20 "$work/sidecar.log" >&2; exit 1; }

case "$upstream" in slow) prefix=/slow ;; uneven) prefix=/uneven ;; fast) prefix="" ;; esac
url="http://127.0.0.1:$backend_port$prefix/transactions/authrep.xml?service_token=BENCHSERVICETOKEN&service_id=42&user_key=BENCHUSERKEY&usage%5Bhits%5D=1"
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d\n", summary.requests, summary.duration))
end
LUA
[ "$upstream" = uneven ] && cat >> "$work/report.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  return wrk.format(nil, wrk.path .. string.format("&sleep=%.3f", 0.01 + math.random() * 0.18))
end
LUA

timeout $((seconds + 60)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$work/report.lua" "$url" \
  > "$work/wrk.out" 2>&1 &
loader=$!
for _ in $(seq 1 "$hog"); do
  timeout "$seconds" sh -c 'while :; do :; done' &
done

echo -e "s\tlimit\tin_flight\twaiting"
for tick in $(seq 1 $((seconds * 2))); do
  sleep 0.5
  curl -s --max-time 2 "http://127.0.0.1:$management_port/metrics" | awk -v t="$tick" '
    /^apicast_sidecar_upstream_(concurrency_limit|in_flight|waiting)\{route="backend"/ { sub(/\{.*/, "", $1); v[$1] = $2 }
    END { p = "apicast_sidecar_upstream_"
          printf "%.1f\t%s\t%s\t%s\n", t / 2, v[p "concurrency_limit"], v[p "in_flight"], v[p "waiting"] }'
done
wait "$loader" || true
echo "peak RSS: $(rss_kib "$sidecar_pid" VmHWM) KiB"
grep -E "Latency|Requests/sec" "$work/wrk.out"
