#!/usr/bin/env bash
# A short A/B measurement of sidecar builds or settings (the memory diet of issue 19), through tinyproxy to the TLS
# nginx of bench/benchmark.sh, with nothing from the container image: each variant runs as the plain binary started by
# hand would, plus the settings the variant names.
#
#   bench/levers.sh [--duration S] [--rounds N] [--cases "idle c50 c500 slow500"] [--output FILE] VARIANT...
#
#   VARIANT   NAME=BINARY[,SETTING=VALUE...]: e.g. base=/tmp/perf-base/apicast-sidecar-proxy,DOTNET_GCgen0size=400000
#   --cases   idle: a fresh start, VmRSS 1 s after the listeners open (as benchmark.sh's idle RSS)
#             cN (c50, c500...): a fresh start, 2 s warm-up, then wrk for S seconds at N connections to the backend
#             route; req/s, p99 and peak RSS (VmHWM)
#             slowN (slow500...): the same to an upstream path that answers after 50 ms (nginx echo_sleep)
#   --rounds  every case runs N times per variant, the variants' order rotating from one round to the next
#   --probe   half-way through each loaded run, print where the memory is: the GC heap and each route's concurrency
#             limit, in flight and waiting (the sidecar's /metrics), open sockets, and the resident mappings by kind
#
# Prints one line per run and, at the end, the median per case and variant (and its ratio to the first variant).
# Everything listens on 127.0.0.1; every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

duration=10 rounds=3 cases="idle c50 c500" output="" probe=0
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --probe) probe=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "levers.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    *) variants+=("$1"); shift ;;
  esac
done
[ "${#variants[@]}" -gt 0 ] || { echo "levers.sh: name at least one VARIANT (see --help)" >&2; exit 64; }

bench_require_packages nginx libnginx-mod-http-echo tinyproxy wrk openssl curl python3
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init
mkdir -p "$work/cwd" "$work/runs"

names=()
declare -A bins=() settings=()
for variant in "${variants[@]}"; do
  name=${variant%%=*} rest=${variant#*=}
  IFS=, read -r -a parts <<< "$rest"
  mkdir -p "$work/bin/$name"; cp "${parts[0]}" "$work/bin/$name/sidecar"
  # The PAC engine, where the build has one beside the sidecar.
  [ ! -x "$(dirname "${parts[0]}")/apicast-sidecar-pac" ] || cp "$(dirname "${parts[0]}")/apicast-sidecar-pac" "$work/bin/$name/"
  names+=("$name"); bins[$name]="$work/bin/$name/sidecar"; settings[$name]="${parts[*]:1}"
done

bench_start_upstream_and_tinyproxy

authrep_path='/transactions/authrep.xml?service_token=BENCHSERVICETOKEN&service_id=42&user_key=BENCHUSERKEY&usage%5Bhits%5D=1'
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d p99_us=%d errors=%d\n", summary.requests, summary.duration,
    latency:percentile(99), summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
LUA

# start NAME: a fresh sidecar of variant NAME through tinyproxy; sets pid, backend_port.
start() {
  local name=$1 portal_port
  read -r backend_port portal_port management_port < <(free_ports 3)
  # shellcheck disable=SC2086 # the variant's settings: NAME=VALUE words
  (cd "$work/cwd" && exec env -i PATH="/usr/bin:/bin" HOME="$work" \
    THREESCALE_PORTAL_ENDPOINT="https://localhost:$tls_port" BACKEND_ENDPOINT_OVERRIDE="https://localhost:$tls_port" \
    https_proxy="http://bench:bench-pass.1@127.0.0.1:$tiny_port" UPSTREAM_CA_FILE="$work/ca.pem" \
    LISTEN_ADDRESS=127.0.0.1 PORTAL_LISTEN_PORT="$portal_port" BACKEND_LISTEN_PORT="$backend_port" \
    MANAGEMENT_ADDRESS=127.0.0.1 MANAGEMENT_PORT="$management_port" Logging__LogLevel__access=None \
    ${settings[$name]} "${bins[$name]}") > "$work/runs/$name.log" 2>&1 &
  pid=$!; bench_pids+=("$pid")
  wait_port "$backend_port" && wait_port "$portal_port" || { tail -n 20 "$work/runs/$name.log" >&2; exit 1; }
}

# probe_memory TITLE: where the sidecar's resident memory is, now.
probe_memory() {
  {
    echo "--- $1: $(grep -E '^(VmRSS|RssAnon|RssFile)' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
    echo "sockets: $(find /proc/$pid/fd -lname 'socket:*' 2>/dev/null | wc -l), threads: $(ls /proc/$pid/task | wc -l)"
    curl -fsS --max-time 5 "http://127.0.0.1:$management_port/metrics" | grep -E '^(dotnet_gc_(last_collection_heap_size|last_collection_memory_committed)|apicast_sidecar_upstream_(concurrency_limit|in_flight|waiting))' \
      | awk '/^dotnet/ {printf "  %s %.1f MiB\n", $1, $2 / 1048576; next} {print "  " $0}'
    # Resident mappings, largest first: the binary's, the libraries', and anonymous ones (GC regions, malloc arenas
    # where OpenSSL's allocations live, thread stacks) with their size.
    python3 - "/proc/$pid/smaps" <<'PY'
import sys
files, anon, small, name, size = {}, [], 0, None, 0
for line in open(sys.argv[1]):
    head = line.split()
    if "-" in head[0] and ":" not in head[0]:
        low, high = (int(x, 16) for x in head[0].split("-"))
        size, name = (high - low) // 1024, head[5] if len(head) > 5 else "[anon]"
    elif head[0] == "Rss:":
        rss = int(head[1])
        if name != "[anon]":
            files[name] = files.get(name, 0) + rss
        elif rss >= 1024:
            anon.append((rss, f"[anon mapping of {size} KiB]"))
        else:
            small += rss
rows = sorted([(v, k) for k, v in files.items() if v >= 256] + anon + [(small, "[anon mappings under 1 MiB]")], reverse=True)
for rss, what in rows[:20]:
    print(f"  {rss / 1024:7.1f} MiB {what}")
PY
  } >&2
}

results=$work/results.tsv
: > "$results"
run() { # run CASE NAME
  local case=$1 name=$2 c path rps=- p99=- errors=- idle peak
  start "$name"
  sleep 1
  idle=$(rss_kib "$pid" VmRSS)
  if [ "$case" != idle ]; then
    case "$case" in
      c[0-9]*) c=${case#c} path=$authrep_path ;;
      slow[0-9]*) c=${case#slow} path=/slow$authrep_path ;;
      *) echo "levers.sh: unknown case '$case'" >&2; exit 64 ;;
    esac
    timeout 60 wrk -t1 -c"$c" -d2s --timeout 10s -s "$work/report.lua" "http://127.0.0.1:$backend_port$path" > /dev/null 2>&1 || true
    timeout $((duration + 60)) wrk -t1 -c"$c" -d"${duration}s" --timeout 10s -s "$work/report.lua" \
      "http://127.0.0.1:$backend_port$path" > "$work/runs/wrk" 2>&1 &
    local wrk_pid=$!
    if [ "$probe" = 1 ]; then sleep $((duration / 2)); probe_memory "$case $name"; fi
    wait "$wrk_pid" || true
    local line; line=$(grep '^BENCH ' "$work/runs/wrk" || echo "BENCH requests=0 duration_us=1 p99_us=0 errors=-1")
    eval "$(echo "$line" | sed 's/^BENCH //; s/\([a-z0-9_]*\)=\(-\{0,1\}[0-9]*\)/local \1=\2;/g')"
    rps=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    p99=$(awk -v p="$p99_us" 'BEGIN { printf "%.2f", p / 1000 }')
  fi
  peak=$(rss_kib "$pid" VmHWM)
  stop_pid "$pid"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$case" "$name" "$rps" "$p99" "${errors:--}" \
    "$(awk -v k="$idle" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" \
    | tee -a "$results" >&2
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo -e "round\tcase\tvariant\treq/s\tp99 ms\terrors\tidle MiB\tpeak MiB" >&2
n=${#names[@]}
for round in $(seq 1 "$rounds"); do
  for case in $cases; do
    for i in $(seq 0 $((n - 1))); do run "$case" "${names[$(( (i + round - 1) % n ))]}"; done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
[ -z "$output" ] || cp "$results" "$output"

python3 - "$results" "${names[@]}" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
names = sys.argv[2:]
print("\nmedians (ratio to %s):" % names[0])
for case in dict.fromkeys(r[1] for r in rows):
    base = {}
    for name in names:
        mine = [r for r in rows if r[1] == case and r[2] == name]
        def med(i):
            values = [float(r[i]) for r in mine if r[i] not in ("-", "")]
            return statistics.median(values) if values else None
        m = {"rps": med(3), "p99": med(4), "idle": med(6), "peak": med(7)}
        base = base or m
        ratio = lambda k: f" ({m[k] / base[k]:.2f}x)" if m[k] and base.get(k) else ""
        parts = [f"idle {m['idle']:.1f} MiB", f"peak {m['peak']:.1f} MiB"]
        if m["rps"]:
            parts = [f"{m['rps']:.0f} req/s{ratio('rps')}", f"p99 {m['p99']:.1f} ms"] + parts
        print(f"  {case:<8} {name:<12} " + ", ".join(parts) + f"  [{len(mine)} runs]")
PY
