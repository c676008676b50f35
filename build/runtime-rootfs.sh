#!/usr/bin/env bash
# Assembles the container image's root filesystem from Debian packages, the way distroless images are made: glibc,
# OpenSSL, the MIT Kerberos client library (.NET loads libgssapi_krb5.so.2 for Negotiate; the dotnet runtime-deps
# chiseled images lack it), zlib and the CA certificates. No shell, no package manager, no maintainer script runs.
# gss-ntlmssp too: with managed NTLM (our build), .NET offers Kerberos inside Negotiate only when GSSAPI lists an NTLM
# mechanism (NegotiateAuthenticationPal.CheckHasSystemNetSecurityNative asks IsNtlmInstalled); without it the sidecar
# answers a Kerberos proxy with NTLM alone and gets 407. Measured: 2.5 MB with its libraries.
# Used by build/image.sh on the CI host and by deploy/docker/Dockerfile's rootfs stage, so both build the same base.
#
#   build/runtime-rootfs.sh ARCH OUTPUT_TAR       ARCH: amd64 or arm64 (Debian names); needs mmdebstrap and a mirror
#
# RUNTIME_PACKAGES overrides the package list (build/image.sh uses it to prove the Kerberos test fails without it).
set -euo pipefail
arch=${1:?usage: runtime-rootfs.sh ARCH OUTPUT_TAR}
output=$(realpath -m "${2:?usage: runtime-rootfs.sh ARCH OUTPUT_TAR}")
suite=bookworm
packages=${RUNTIME_PACKAGES:-libc6,libssl3,libgssapi-krb5-2,gss-ntlmssp,zlib1g,ca-certificates}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --variant=extract unpacks the packages and their dependencies without running dpkg in the target; chrootless needs
# no mount or namespace, so the same command works inside an unprivileged `docker build`.
mmdebstrap --quiet --mode=chrootless --variant=extract --architectures="$arch" --include="$packages" \
  "$suite" "$work/raw.tar" "$mirror"
mkdir "$work/root"
tar -C "$work/root" -xf "$work/raw.tar" --exclude='./dev/*'
cd "$work/root"

# What update-ca-certificates would have generated: one PEM bundle, where OpenSSL (and so .NET) looks by default
# (/usr/lib/ssl/cert.pem and /usr/lib/ssl/certs link here).
if [ -d usr/share/ca-certificates/mozilla ]; then
  mkdir -p etc/ssl/certs
  for certificate in usr/share/ca-certificates/mozilla/*.crt; do cat "$certificate"; echo; done > etc/ssl/certs/ca-certificates.crt
  count=$(grep -c 'BEGIN CERTIFICATE' etc/ssl/certs/ca-certificates.crt)
  [ "$count" -gt 100 ] || { echo "runtime-rootfs.sh: only $count CA certificates in the bundle" >&2; exit 1; }
fi
# Without this file glibc asks DNS before /etc/hosts, so even "localhost" would depend on the resolver.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > etc/nsswitch.conf

# Everything the binaries do not load: programs (openssl, debconf, perl), documentation, charset converters, apt
# and dpkg state of a system that has neither; and glibc's libraries that neither the binaries nor the libraries they
# need (ldd) link, nor nsswitch.conf (files, dns) names: vector math, malloc and thread debugging, profiling, NIS,
# hesiod, compat (1.3 MB, which keeps the image under 40 MB with the PAC engine in it).
rm -rf bin sbin usr/bin usr/sbin usr/games usr/libexec usr/share usr/lib/ssl/misc usr/lib/*/gconv \
  usr/lib/*/perl-base usr/lib/*/perl* usr/lib/*/engines-3 var etc/apt etc/debconf.conf etc/dpkg etc/fstab \
  etc/hostname etc/resolv.conf etc/alternatives etc/cron.daily etc/logrotate.d etc/ld.so.conf.d lib/*/security \
  lib/*/libmvec.so.* lib/*/libc_malloc_debug.so.* lib/*/libthread_db.so.* lib/*/libmemusage.so lib/*/libpcprofile.so \
  lib/*/libBrokenLocale.so.* lib/*/libnsl.so.* lib/*/libnss_compat.so.* lib/*/libnss_hesiod.so.*
# Writable scratch for whoever mounts nothing there; the image itself is read-only.
mkdir -p tmp dev proc sys && chmod 1777 tmp
# The mount point of the configuration cache (CONFIG_CACHE_DIR), owned by the image's user and group 0, mode 0770: a
# new named volume mounted here starts with that owner and mode (Docker and Podman copy them), so the image's user and
# any UID in group 0 (OpenShift) can write to it.
cache=var/cache/apicast-sidecar-proxy
mkdir -p "$cache"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 --exclude="./$cache" -cf "$output.partial" .
tar --numeric-owner --owner=1654 --group=0 --mode=0770 --mtime=@0 -rf "$output.partial" "./$cache"
mv "$output.partial" "$output"
