#!/usr/bin/env bash
# Builds the stack floor as the sidecar's release is built (Native AOT, linux-x64): bench/stack-floor/build.sh [OUTPUT_DIRECTORY]
set -euo pipefail
cd "$(dirname "$0")"
output=${1:-../../out/stack-floor}
dotnet publish StackFloor.csproj -c Release -r linux-x64 --artifacts-path ../../out/artifacts-stack-floor -o "$output" \
  -p:PublishAot=true -p:StripSymbols=true -nologo -clp:NoSummary >&2
echo "$(realpath "$output")/stack-floor"
