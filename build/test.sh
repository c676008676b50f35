#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (Debian packages, NuGet restore), so it works on a
# fresh machine: tinyproxy, squid, an MIT KDC, gss-ntlmssp, stunnel and microsocks are the real proxies and acceptors
# the functional tests put between sidecar and upstream; prometheus gives promtool (the alert rules' checks and unit
# tests) and the real Prometheus that scrapes a sidecar (build/test-packages.txt lists them).
# Before the tests it builds the release binary (Native AOT, build/publish.sh: no trimming/AOT warning allowed),
# smoke-tests it (build/smoke-test.sh: tinyproxy with Basic auth, nginx with TLS, all on loopback) and builds the
# container image from it (build/image.sh: buildah, a base assembled from Debian packages), which the container tests
# then run with podman (tests/ApicastSidecarProxy.FunctionalTests/Container/).
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/sbin/tinyproxy ] || need_packages+=(tinyproxy)
command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || need_packages+=(squid)
[ -x /usr/lib/squid/basic_ncsa_auth ] || need_packages+=(squid)
command -v htpasswd >/dev/null 2>&1 || need_packages+=(apache2-utils)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_packages+=(nginx)
command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)
command -v python3 >/dev/null 2>&1 || need_packages+=(python3)
# Native AOT links with clang, or gcc when clang is missing.
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need_packages+=(gcc)

# Everything else the tests run for real (KDC, NTLM acceptor, stunnel, SOCKS server, Prometheus): one package a line.
while read -r package; do
  [ -z "$package" ] || dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || need_packages+=("$package")
done < build/test-packages.txt

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

command -v dotnet >/dev/null 2>&1 || {
  echo "test.sh: the .NET SDK (10.0.100 or a later 10.0 feature band, global.json) is not on PATH; Debian does not package it: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
}
dotnet restore ApicastSidecarProxy.slnx
dotnet build ApicastSidecarProxy.slnx --no-restore -c Release
# The benchmark's stack floor is no product, but it must keep compiling (a JIT build; bench/ publishes it AOT).
dotnet build bench/stack-floor/StackFloor.csproj -c Release -nologo -v q -clp:NoSummary
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

# The release build, its smoke test and the container image, counted as one more test in the closing line
# (SKIP_RELEASE_BUILD=1 skips them and the container tests in a quick local loop; CI never sets it).
release_passed=0 release_failed=0
test_filter=()
if [ "${SKIP_RELEASE_BUILD:-0}" != 1 ]; then
  release_status=0
  { bash build/publish.sh linux-x64 && bash build/smoke-test.sh out/linux-x64/apicast-sidecar-proxy \
      && bash build/image.sh --no-publish; } || release_status=$?
  if [ "$release_status" -eq 0 ]; then
    release_passed=1
    # Without it the container tests fail, saying why: they never pass without having run the image.
    export SIDECAR_IMAGE=localhost/apicast-sidecar-proxy:ci
  else
    echo "release build, smoke test or image build FAILED (exit $release_status)"
    release_failed=1
    status=$release_status
  fi
  source build/container-env.sh
else
  test_filter=(--filter "Category!=Container")
fi

# A test that hangs (a child process that never exits) fails the run after 15 minutes instead of holding CI to its limit.
test_status=0
dotnet test ApicastSidecarProxy.slnx --no-build -c Release --blame-hang-timeout 15m --blame-hang-dump-type none \
  "${test_filter[@]}" "$@" 2>&1 | tee "$log" || test_status=$?
[ "$test_status" -eq 0 ] || status=$test_status

# One closing line for all test projects and the smoke test: "N passed, N failed".
awk -v p="$release_passed" -v f="$release_failed" '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) }
     }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
