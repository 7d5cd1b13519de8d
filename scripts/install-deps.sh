#!/usr/bin/env bash
# Installs the Debian 12 packages Veil needs, only those missing. Idempotent; needs root.
# Usage: scripts/install-deps.sh [--with-clickhouse] [--with-chromium]
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
    *) echo "install-deps.sh: unknown option '$a'" >&2; exit 2 ;;
  esac
done
missing=()
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
# policy-rc.d keeps package installs from starting services (ClickHouse) on their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
