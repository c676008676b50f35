#!/usr/bin/env bash
# Builds the container image from deploy/docker/Dockerfile with buildah, without any registry: the runtime base is
# assembled from Debian packages (build/runtime-rootfs.sh, cached under out/image/) and the binaries are the ones
# build/publish.sh produces (the sidecar and its PAC engine). Users build the same Dockerfile with public base images (docs/install.md).
#
#   build/image.sh [--no-publish]      --no-publish: use out/linux-x64/apicast-sidecar-{proxy,pac} as they are
#
# Image: localhost/apicast-sidecar-proxy:ci (IMAGE overrides), in container storage under out/containers/ (private to
# this checkout). Prints its size, and the environment `podman` needs to run it (build/container-env.sh).
# RUNTIME_PACKAGES overrides the base's package list, e.g. without libgssapi-krb5-2 to watch the Kerberos test fail.
set -euo pipefail
cd "$(dirname "$0")/.."
publish=1
[ "${1:-}" != --no-publish ] || publish=0
image=${IMAGE:-localhost/apicast-sidecar-proxy:ci}
binary=out/linux-x64/apicast-sidecar-proxy
packages=${RUNTIME_PACKAGES:-libc6,libssl3,libgssapi-krb5-2,gss-ntlmssp,zlib1g,ca-certificates}

for tool in buildah mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || { echo "image.sh: $tool is missing (apt-get install buildah podman runc mmdebstrap)" >&2; exit 1; }
done
source build/container-env.sh

[ "$publish" = 0 ] || bash build/publish.sh linux-x64
for file in "$binary" "$(dirname "$binary")/apicast-sidecar-pac"; do
  [ -x "$file" ] || { echo "image.sh: no $file (run build/publish.sh, or drop --no-publish)" >&2; exit 1; }
done
start=$(date +%s)

# The base only changes with the package list, the script and the day's Debian updates: cached for the day.
mkdir -p out/image
key=$( { echo "$packages"; cat build/runtime-rootfs.sh; date -u +%F; } | sha256sum | cut -c1-16)
rootfs=out/image/rootfs-bookworm-amd64-$key.tar
if [ ! -s "$rootfs" ]; then
  rm -f out/image/rootfs-bookworm-amd64-*.tar
  RUNTIME_PACKAGES=$packages bash build/runtime-rootfs.sh amd64 "$rootfs"
fi

base=localhost/apicast-sidecar-proxy-base:$key
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  container=$(buildah from scratch)
  buildah add --quiet "$container" "$rootfs" / >/dev/null
  buildah commit --quiet --rm "$container" "$base" >/dev/null
fi

buildah bud --quiet --layers=false \
  -f deploy/docker/Dockerfile \
  --build-arg RUNTIME_BASE="$base" \
  --build-arg BINARY=prebuilt --build-arg TARGETARCH=amd64 \
  --build-arg PREBUILT_DIRECTORY="$(dirname "$binary")" \
  --build-arg VERSION="$("$binary" --version | awk '{print $2}')" \
  --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  -t "$image" . >/dev/null
# The stages' intermediate images (the prebuilt binary's), the working container buildah keeps for a stage without
# instructions (`FROM ${BINARY} AS binary`) and older bases are of no further use. The storage is this checkout's own.
buildah rm --all >/dev/null
for old in $(buildah images --format '{{.Name}}:{{.Tag}}' | grep '^localhost/apicast-sidecar-proxy-base:' | grep -v ":$key\$"); do
  buildah rmi "$old" >/dev/null 2>&1 || true
done
for id in $(buildah images --format '{{.ID}} {{.Name}}' | awk '$2 == "<none>" {print $1}'); do
  buildah rmi "$id" >/dev/null 2>&1 || true
done

size=$(buildah inspect --type image --format '{{.Size}}' "$image" 2>/dev/null || true)
[ -n "$size" ] || size=$(podman image inspect --format '{{.Size}}' "$image")
echo "built $image in $(( $(date +%s) - start )) s: $size bytes uncompressed" \
  "($(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1000000 }')), base packages: $packages"
