#!/usr/bin/env bash
# Builds the release binaries: the self-contained Native AOT executable `apicast-sidecar-proxy` and, beside it, the
# PAC engine `apicast-sidecar-pac` it starts only when PROXY_PAC is set; no .NET runtime needed on the host (they need
# glibc and libssl, as any Linux service does). Used by CI (build/test.sh), by the Dockerfile and
# by hand:
#
#   build/publish.sh [RID] [OUTPUT_DIRECTORY]     RID: linux-x64 (default) or linux-arm64
#                                                  OUTPUT_DIRECTORY: default out/RID
#
# Every warning is an error, trimming and AOT analysis warnings included (IL2xxx/IL3xxx): a warning there means the
# binary may behave differently from the JIT build the tests run, so the release build must not have any. The log is
# also searched for warnings afterwards, in case a future SDK stops honouring the switches.
# Needs the .NET 10 SDK and a C toolchain (clang, or gcc as a fallback) with zlib headers; NuGet brings the ILCompiler.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:-linux-x64}
output=${2:-out/$rid}
case "$rid" in
  linux-x64|linux-arm64|linux-musl-x64|linux-musl-arm64) ;;
  *) echo "publish.sh: unsupported RID '$rid' (linux-x64, linux-arm64, linux-musl-x64, linux-musl-arm64)" >&2; exit 64 ;;
esac

# Separate bin/obj (under out/, ignored by git) so the RID-specific restore never touches the obj/ of the normal
# build and test run, and a publish can run beside it.
artifacts=out/artifacts-$rid
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# linux-arm64 on an x64 host: the ILCompiler links with clang --target=aarch64-linux-gnu (needs clang, lld and an
# arm64 sysroot). Without clang, Debian's gcc-aarch64-linux-gnu and libc6-dev-arm64-cross do it, through a wrapper
# that drops the clang-only --target= flag gcc rejects.
cross=()
if [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ] && ! command -v clang >/dev/null 2>&1; then
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || {
    echo "publish.sh: cross-compiling for linux-arm64 needs clang, or: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross" >&2
    exit 1
  }
  mkdir -p "$artifacts"
  wrapper=$(realpath "$artifacts")/aarch64-linux-gnu-gcc-wrapper
  cat > "$wrapper" <<'WRAPPER'
#!/bin/sh
for argument; do shift; case "$argument" in --target=*) ;; *) set -- "$@" "$argument" ;; esac; done
exec aarch64-linux-gnu-gcc "$@"
WRAPPER
  chmod +x "$wrapper"
  cross=(-p:CppCompilerAndLinker="$wrapper" -p:ObjCopyName=aarch64-linux-gnu-objcopy)
fi

# publish PROJECT BINARY: one Native AOT executable into $output.
publish() {
  local project=$1 binary=$output/$2 start status=0
  start=$(date +%s)
  dotnet publish "$project" \
    -c Release -r "$rid" \
    --artifacts-path "$artifacts" \
    -o "$output" \
    -p:PublishAot=true \
    -p:TreatWarningsAsErrors=true \
    -p:IlcTreatWarningsAsErrors=true \
    -p:StripSymbols=true \
    "${cross[@]}" \
    -nologo -clp:NoSummary >"$log" 2>&1 || status=$?

  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
    echo "publish.sh: dotnet publish of $project failed (exit $status)" >&2
    exit "$status"
  fi
  if grep -E ': warning [A-Z]+[0-9]+' "$log" >&2; then
    echo "publish.sh: the release build printed warnings (listed above); fix them" >&2
    exit 1
  fi
  [ -x "$binary" ] || { echo "publish.sh: $binary was not produced" >&2; exit 1; }
  echo "published $binary ($rid, Native AOT, 0 warnings) in $(( $(date +%s) - start )) s," \
    "$(stat -c %s "$binary") bytes ($(du -h "$binary" | cut -f1))"
}

publish src/ApicastSidecarProxy/ApicastSidecarProxy.csproj apicast-sidecar-proxy
# The PAC engine, which the sidecar starts from its own directory when PROXY_PAC is set.
publish src/ApicastSidecarProxy.PacEngine/ApicastSidecarProxy.PacEngine.csproj apicast-sidecar-pac
