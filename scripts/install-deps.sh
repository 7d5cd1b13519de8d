#!/usr/bin/env bash
# Installs the Debian 12 packages Veil needs, only those missing. Idempotent; needs root.
# Usage: scripts/install-deps.sh [--with-clickhouse] [--with-chromium] [--with-arm64]
# --with-arm64: the aarch64 cross build and its tests under qemu-user (docs/mobile.md): adds the
# arm64 architecture to dpkg (multiarch) if missing, the cross compiler, qemu-user and the
# :arm64 packages the mobile build and its tests link. Only Multi-Arch: same packages, which
# install beside the amd64 ones: libsimdjson-dev is not (its :arm64 copy would remove the
# amd64 one), so only its runtime library libsimdjson14:arm64 is installed and the build takes
# the architecture-independent simdjson.h of the amd64 -dev package.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config python3 clang clang-format
      libboost-dev libboost-system-dev libboost-stacktrace-dev
      libsodium-dev libzstd-dev zstd nlohmann-json3-dev doctest-dev libssl-dev openssl
      libsqlite3-dev sqlite3 libre2-dev libphonenumber-dev libprotobuf-dev libsimdjson-dev curl ca-certificates
      wamerican wngerman wfrench wspanish witalian wportuguese wbulgarian hunspell-ru)
for a in "$@"; do
  case "$a" in
    --with-clickhouse) pkgs+=(clickhouse-server clickhouse-client) ;;
    --with-chromium) pkgs+=(chromium) ;;
    # libphonenumber, protobuf, OpenSSL's libcrypto and Boost.System only for the tests (the
    # phone table's oracle, the unkeyed-hash negatives, the test server); libveil needs the
    # first four.
    --with-arm64) arm64=1
      pkgs+=(g++-aarch64-linux-gnu qemu-user libsodium-dev:arm64 libzstd-dev:arm64
             zlib1g-dev:arm64 libsimdjson14:arm64 libssl-dev:arm64 libphonenumber-dev:arm64
             libprotobuf-dev:arm64 libboost-system-dev:arm64) ;;
    *) echo "install-deps.sh: unknown option '$a'" >&2; exit 2 ;;
  esac
done
arm64=${arm64:-0}
missing=()
# A name:arm64 is queried as such (dpkg-query knows multiarch names); an arm64 package can only
# be installed once dpkg knows the architecture, so a missing architecture counts as missing.
if [ "$arm64" = 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  missing+=(arch:arm64)
fi
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: missing packages (${missing[*]}) and not root; run as root or install them" >&2
  exit 1
fi
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [ "${missing[0]}" = arch:arm64 ]; then
  dpkg --add-architecture arm64
  missing=("${missing[@]:1}")
fi
# policy-rc.d keeps package installs from starting services (ClickHouse) on their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
