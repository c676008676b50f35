# Shell helpers shared by the benchmarks in bench/ (sourced, not run). Everything listens on 127.0.0.1; every process
# a script starts goes into the array `bench_pids` (or is stopped by the script itself) and is stopped by its PID.
#
#   bench_require_packages PKG...      installs what is missing with apt-get (as build/test.sh does)
#   bench_init                         work directory in $work, cleanup trap (stops bench_pids by PID, removes $work)
#   free_port / wait_port PORT         a free loopback port / wait (bounded, 10 s) until PORT accepts
#   free_ports N                       N distinct free loopback ports, on one line
#   bench_make_certs [NAME...]         CA ($work/ca.pem) and a server certificate for localhost (+ NAMEs)
#   bench_nginx_upstream_conf PORT     nginx answering like the 3scale backend (authrep) over TLS on PORT
#   bench_tinyproxy_conf PORT USER PASSWORD [MAXCLIENTS]
#   bench_start_upstream_and_tinyproxy the TLS nginx upstream and tinyproxy (user bench) started and waited for
#   bench_squid_conf PORT USER PASSWORD
#   cpu_ticks PID / rss_kib PID KEY    utime+stime (clock ticks) of PID and its children / VmRSS, VmHWM (KiB)
#   stop_pid PID                       SIGTERM, wait up to 10 s, then SIGKILL; by PID only
#   image_runtime_env                  the runtime's DOTNET_* settings the container image carries, one NAME=VALUE a line

PATH="$PATH:/usr/sbin"

# The authrep answer of the 3scale backend for an authorized application.
BENCH_AUTHREP_XML='<?xml version="1.0" encoding="UTF-8"?><status><authorized>true</authorized><plan>Basic</plan></status>'

# bench_require_packages PACKAGE...: each name is an apt package; a package counts as present when its command is.
bench_require_packages() {
  local need=() package command
  for package in "$@"; do
    case "$package" in
      apache2-utils) command=htpasswd ;;
      libnginx-mod-http-echo) [ -e "$BENCH_NGINX_ECHO_MODULE" ] && continue; need+=("$package"); continue ;;
      *) command=$package ;;
    esac
    command -v "$command" >/dev/null 2>&1 || need+=("$package")
    [ "$package" != squid ] || [ -x /usr/lib/squid/basic_ncsa_auth ] || need+=(squid)
  done
  if [ "${#need[@]}" -eq 0 ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or install them with apt-get)" >&2
    return 1
  fi
  echo "installing: ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

bench_pids=()
bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${work:-}" ] && rm -rf "$work"
}
bench_init() {
  work=$(mktemp -d)
  chmod 755 "$work" # squid, started as root, drops to the 'proxy' user, which must read its files here
  trap bench_cleanup EXIT
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# free_ports N: N distinct free ports on one line (bound together, so no two calls can hand out the same port twice).
free_ports() {
  python3 -c 'import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))' "$1"
}
wait_port() {
  local _
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "port $1 never opened" >&2; return 1
}

# bench_make_certs [NAME...]: a CA and a certificate for localhost (and NAMEs), so TLS is verified as in production.
bench_make_certs() {
  local san="DNS:localhost" name
  for name in "$@"; do [ "$name" = localhost ] || san="$san,DNS:$name"; done
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "$san" > "$work/san.ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null
  chmod 644 "$work/ca.pem" "$work/server.pem"
}

# bench_nginx_http_preamble NAME: the top of an nginx.conf that keeps everything in $work/NAME (one worker, foreground).
bench_nginx_http_preamble() {
  mkdir -p "$work/$1"
  cat <<NGINX
worker_processes ${BENCH_NGINX_WORKERS:-1};
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
daemon off;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/$1;
  proxy_temp_path $work/$1;
  fastcgi_temp_path $work/$1;
  uwsgi_temp_path $work/$1;
  scgi_temp_path $work/$1;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
NGINX
}

# bench_nginx_upstream_conf PORT [HTTP_PORT]: the TLS upstream, answering every path like the backend's authrep and
# serving the files of $work/www (the portal's configuration) as they are; under /slow/, the authrep answer after
# 50 ms (a slow backend; nginx's echo module, Debian's libnginx-mod-http-echo). With HTTP_PORT, the same on plain HTTP
# (what a forward proxy relays without CONNECT) plus /nginx_status (stub_status: accepted connections).
BENCH_NGINX_ECHO_MODULE=/usr/lib/nginx/modules/ngx_http_echo_module.so
bench_nginx_upstream_conf() {
  local port=$1 http_port=${2:-}
  mkdir -p "$work/www"
  [ -e "$BENCH_NGINX_ECHO_MODULE" ] && echo "load_module $BENCH_NGINX_ECHO_MODULE;"
  bench_nginx_http_preamble upstream
  local locations slow=""
  [ -e "$BENCH_NGINX_ECHO_MODULE" ] && slow=$(cat <<SLOW
    location /slow/ {
      default_type application/vnd.3scale-v2.0+xml;
      echo_sleep 0.05;
      echo -n '$BENCH_AUTHREP_XML';
    }
    location /uneven/ {
      default_type application/vnd.3scale-v2.0+xml;
      echo_sleep \$arg_sleep;
      echo -n '$BENCH_AUTHREP_XML';
    }
SLOW
)
  locations=$(cat <<LOCATIONS
    root $work/www;
    location /admin/api/ { default_type application/json; }
$slow
    location / {
      default_type application/vnd.3scale-v2.0+xml;
      return 200 '$BENCH_AUTHREP_XML';
    }
LOCATIONS
)
  cat <<NGINX
  ssl_session_cache shared:bench:10m;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
$locations
  }
NGINX
  if [ -n "$http_port" ]; then
    cat <<NGINX
  server {
    listen 127.0.0.1:$http_port;
    location = /nginx_status { stub_status; }
$locations
  }
NGINX
  fi
  echo "}"
}

# bench_tinyproxy_conf PORT USER PASSWORD [MAXCLIENTS]
bench_tinyproxy_conf() {
  cat <<TINY
Port $1
Listen 127.0.0.1
Timeout 600
MaxClients ${4:-200}
LogLevel Warning
LogFile "$work/tinyproxy.log"
Allow 127.0.0.1
DisableViaHeader Yes
BasicAuth $2 $3
TINY
}

# bench_start_upstream_and_tinyproxy: certificates, the TLS nginx of bench_nginx_upstream_conf and a tinyproxy with the
# Basic credentials bench / bench-pass.1 (2,000 clients), both started and waited for; sets tls_port, http_port,
# tiny_port, upstream_pid and tiny_pid.
bench_start_upstream_and_tinyproxy() {
  bench_make_certs
  read -r tls_port http_port tiny_port < <(free_ports 3)
  bench_nginx_upstream_conf "$tls_port" "$http_port" > "$work/upstream.conf"
  nginx -c "$work/upstream.conf" > "$work/upstream.stdout" 2>&1 & upstream_pid=$!; bench_pids+=("$upstream_pid")
  bench_tinyproxy_conf "$tiny_port" bench bench-pass.1 2000 > "$work/tinyproxy.conf"
  tinyproxy -d -c "$work/tinyproxy.conf" > "$work/tinyproxy.stdout" 2>&1 & tiny_pid=$!; bench_pids+=("$tiny_pid")
  wait_port "$tls_port"
  wait_port "$tiny_port"
}

# bench_squid_conf PORT USER PASSWORD: squid 5 with Basic auth (basic_ncsa_auth), no cache, no access log; run it
# with `squid -N -f CONF` (foreground, no worker kids). Writes the password file.
bench_squid_conf() {
  mkdir -p "$work/squid"
  chmod 777 "$work/squid"
  printf '%s' "$3" | htpasswd -i -c -m "$work/squid/passwd" "$2" 2>/dev/null
  chmod 644 "$work/squid/passwd"
  rm -f "$work/squid/squid.pid"
  cat <<SQUID
http_port 127.0.0.1:$1
visible_hostname bench-squid
$([ "$(id -u)" -eq 0 ] && echo "cache_effective_user proxy")
pid_filename $work/squid/squid.pid
cache_log $work/squid/cache.log
access_log none
logfile_rotate 0
netdb_filename none
pinger_enable off
coredump_dir $work/squid
cache deny all
cache_mem 8 MB
max_filedescriptors 16384
shutdown_lifetime 0 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $work/squid/passwd
auth_param basic children 5 startup=1
auth_param basic realm bench
acl authed proxy_auth REQUIRED
http_access allow authed
http_access deny all
SQUID
}

# cpu_ticks PID: utime+stime of PID plus those of its live children (nginx workers), in clock ticks (getconf CLK_TCK).
cpu_ticks() {
  local pid=$1 children
  children=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  # Fields after "pid (comm) ": state(1) ppid(2) ... utime(12) stime(13).
  for pid in $pid $children; do sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true; done | awk '{t += $12 + $13} END {print t + 0}'
}

rss_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status" 2>/dev/null; }

# stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL. Only this PID, never by name.
stop_pid() {
  local pid=$1 _
  kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}
# forget_pid PID: PID is stopped, so the clean-up at exit must not signal it (the number may belong to another process
# by then).
forget_pid() {
  local kept=() pid
  for pid in "${bench_pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  bench_pids=("${kept[@]}")
}

# image_runtime_env: the DOTNET_* ENV lines of deploy/docker/Dockerfile, so the binary is measured as it is shipped.
image_runtime_env() { sed -n 's/^ENV \(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' deploy/docker/Dockerfile; }
