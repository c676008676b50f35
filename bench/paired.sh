#!/usr/bin/env bash
# A paired A/B of two sidecar binaries: both run at the same time, each through the same tinyproxy to the same TLS
# nginx (bench/benchmark.sh's), each loaded by its own wrk at C connections to its backend route. Whatever the machine
# does meanwhile (another tenant, a slower minute) falls on both alike, so their ratio holds where one-after-the-other
# runs on this machine drift by 10% and more from one minute to the next (bench/RESULTS.md, "A paired A/B").
#
#   bench/paired.sh [--rounds N] [--duration S] [--connections C] [--slow] A_BINARY B_BINARY
#
#   --rounds       fresh starts of both, N times (default 6); the one started first alternates
#   --duration     seconds of load per round, after a 2 s warm-up of both (default 10)
#   --connections  wrk connections to each sidecar (default 50)
#   --slow         to the upstream path that answers after 50 ms (nginx echo_sleep), as benchmark.sh's slow case
#   A_ENV, B_ENV   (environment) settings for one side only, as NAME=VALUE words: A_ENV="DOTNET_GCgen0size=4000000"
#
# Prints per round each side's req/s and CPU per request and B's ratios to A, then the medians of the ratios. Both run
# as the plain binary started by hand would, with the access log on (to a file). Everything listens on 127.0.0.1;
# every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

rounds=6 duration=10 connections=50 slow=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --slow) slow=/slow; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "paired.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || { echo "paired.sh: name two binaries, A and B (see --help)" >&2; exit 64; }
for number in "$rounds" "$duration" "$connections"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || { echo "paired.sh: '$number' is not a positive whole number" >&2; exit 64; }
done

bench_require_packages nginx libnginx-mod-http-echo tinyproxy wrk openssl curl python3
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init
mkdir -p "$work/cwd" "$work/runs" "$work/A" "$work/B"
cp "$1" "$work/A/sidecar"
cp "$2" "$work/B/sidecar"
sync # the start-up page-out drops clean pages only (Hosting/ExecutablePages.cs)

bench_start_upstream_and_tinyproxy

authrep_path=$slow'/transactions/authrep.xml?service_token=BENCHSERVICETOKEN&service_id=42&user_key=BENCHUSERKEY&usage%5Bhits%5D=1'
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d\n", summary.requests, summary.duration))
end
LUA

declare -A pid=() port=()
# start SIDE: a fresh sidecar of binary SIDE (A or B), with that side's settings.
start() {
  local side=$1 portal_port management_port settings
  read -r "port[$side]" portal_port management_port < <(free_ports 3)
  settings=${side}_ENV
  # shellcheck disable=SC2086 # the side's settings: NAME=VALUE words
  (cd "$work/cwd" && exec env -i PATH="/usr/bin:/bin" HOME="$work" \
    THREESCALE_PORTAL_ENDPOINT="https://localhost:$tls_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$tls_port" \
    https_proxy="http://bench:bench-pass.1@127.0.0.1:$tiny_port" UPSTREAM_CA_FILE="$work/ca.pem" \
    LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT="$portal_port" BACKEND_LISTEN_PORT="${port[$side]}" \
    MANAGEMENT_ADDRESS=127.0.0.1 MANAGEMENT_PORT="$management_port" ${!settings:-} "$work/$side/sidecar") \
    > "$work/runs/$side.log" 2>&1 &
  pid[$side]=$!
  bench_pids+=("${pid[$side]}")
  wait_port "${port[$side]}" || { tail -n 20 "$work/runs/$side.log" >&2; exit 1; }
}

# load SECONDS [REPORT_SUFFIX]: wrk on both sidecars at once; waits for both.
load() {
  local seconds=$1 suffix=${2:-} side loaders=()
  for side in A B; do
    timeout $((seconds + 60)) wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$work/report.lua" \
      "http://127.0.0.1:${port[$side]}$authrep_path" > "$work/runs/wrk-$side$suffix" 2>&1 &
    loaders+=("$!")
  done
  wait "${loaders[@]}" || true
}

results=$work/results.tsv
: > "$results"
echo -e "round\tA req/s\tB req/s\tA us/req\tB us/req\tB/A req/s\tB/A CPU per request" >&2
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then start A; start B; else start B; start A; fi
  load 2 -warmup
  ticks_a=$(cpu_ticks "${pid[A]}") ticks_b=$(cpu_ticks "${pid[B]}")
  load "$duration"
  ticks_a=$(( $(cpu_ticks "${pid[A]}") - ticks_a )) ticks_b=$(( $(cpu_ticks "${pid[B]}") - ticks_b ))
  stop_pid "${pid[A]}"
  stop_pid "${pid[B]}"
  python3 - "$round" "$work/runs/wrk-A" "$work/runs/wrk-B" "$ticks_a" "$ticks_b" <<'PY' | tee -a "$results" >&2
import re, sys
round_, report_a, report_b, ticks_a, ticks_b = sys.argv[1:]
def served(report):
    found = re.search(r"^BENCH requests=(\d+) duration_us=(\d+)", open(report).read(), re.M)
    if not found or int(found[1]) == 0:
        sys.exit(f"paired.sh: wrk served nothing ({report})")
    return int(found[1]), int(found[2]) / 1e6
(requests_a, seconds_a), (requests_b, seconds_b) = served(report_a), served(report_b)
rps_a, rps_b = requests_a / seconds_a, requests_b / seconds_b
cpu_a, cpu_b = int(ticks_a) * 10000 / requests_a, int(ticks_b) * 10000 / requests_b  # ticks are 10 ms
print(f"{round_}\t{rps_a:.0f}\t{rps_b:.0f}\t{cpu_a:.1f}\t{cpu_b:.1f}\t{rps_b / rps_a:.3f}\t{cpu_b / cpu_a:.3f}")
PY
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
for label, column in (("req/s", 5), ("CPU per request", 6)):
    ratios = [float(row[column]) for row in rows]
    print(f"B/A {label}: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}) over {len(rows)} rounds")
PY
