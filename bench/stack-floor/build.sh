#!/usr/bin/env bash
# Builds the stack floor as the sidecar's release is built (Native AOT, linux-x64) and prints the binary's path:
#   bench/stack-floor/build.sh [OUTPUT_DIRECTORY]       default: out/stack-floor under the repository root
set -euo pipefail
output=$(realpath -m "${1:-$(dirname "$0")/../../out/stack-floor}")
cd "$(dirname "$0")"
dotnet publish StackFloor.csproj -c Release -r linux-x64 --artifacts-path ../../out/artifacts-stack-floor -o "$output" \
  -p:PublishAot=true -p:StripSymbols=true -nologo -clp:NoSummary >&2
echo "$output/stack-floor"
