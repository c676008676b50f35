#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (Debian packages, NuGet restore), so it works on a
# fresh machine: tinyproxy and squid are the real forward proxies the functional tests put between sidecar and upstream.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/sbin/tinyproxy ] || need_packages+=(tinyproxy)
command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || need_packages+=(squid)
[ -x /usr/lib/squid/basic_ncsa_auth ] || need_packages+=(squid)
command -v htpasswd >/dev/null 2>&1 || need_packages+=(apache2-utils)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)

if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need_packages[*]} (run as root, or install them with apt-get)" >&2
    exit 1
  fi
  echo "installing: ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

dotnet restore ApicastSidecarProxy.slnx
dotnet build ApicastSidecarProxy.slnx --no-restore -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test ApicastSidecarProxy.slnx --no-build -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for all test projects: "N passed, N failed".
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) }
     }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
