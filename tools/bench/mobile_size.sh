#!/usr/bin/env bash
# mobile_size.sh BUILD_DIR: the size budget of issue 16, measured (a report, not a test).
# Prints the stripped size of BUILD_DIR/libveil.so and of every library it needs that is not
# part of the C/C++ runtime an app already has (libc, libm, libstdc++, libgcc_s, ld.so), and
# flags any of the libraries the mobile build must not need (ICU, protobuf, abseil, OpenSSL,
# libphonenumber, Boost). Usage: cmake --preset mobile && cmake --build build-mobile &&
# tools/bench/mobile_size.sh build-mobile
set -euo pipefail
B=${1:?usage: mobile_size.sh BUILD_DIR}
LIB=$B/libveil.so
[ -f "$LIB" ] || { echo "mobile_size.sh: $LIB not found (build the mobile preset first)" >&2; exit 2; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
STRIP=${STRIP:-strip}
size_of() { "$STRIP" --strip-unneeded -o "$T/s" "$1" 2>/dev/null && stat -c %s "$T/s"; }
arch=$(readelf -h "$LIB" | sed -n 's/^ *Machine: *//p')
printf 'libveil mobile build (%s), %s\n' "$arch" "$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-34s %10s\n' "library" "stripped B"
total=0
s=$(size_of "$LIB"); total=$((total + s)); printf '%-34s %10d\n' "libveil.so" "$s"
bad=0
while read -r name path; do
  case "$name" in
    libc.so*|libm.so*|libstdc++.so*|libgcc_s.so*|ld-linux*|libpthread.so*|libdl.so*|librt.so*) continue ;;
  esac
  case "$name" in
    libicu*|libprotobuf*|libabsl*|libssl*|libcrypto*|libphonenumber*|libboost*) bad=1; flag=" <- must not be needed" ;;
    *) flag="" ;;
  esac
  s=$(size_of "$path"); total=$((total + s))
  printf '%-34s %10d%s\n' "$name" "$s" "$flag"
done < <(ldd "$LIB" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
printf '%-34s %10d  (%.2f MB; budget for aarch64: 2.5 MB)\n' "total" "$total" "$(echo "$total / 1000000" | bc -l)"
exit $bad
