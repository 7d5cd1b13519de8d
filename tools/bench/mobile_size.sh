#!/usr/bin/env bash
# mobile_size.sh BUILD_DIR: the size budget of issue 16, measured (a report, not a test).
# Prints the stripped size of BUILD_DIR/libveil.so and of every library it needs, directly or
# through another one, that is not part of the C/C++ runtime an app already has (libc, libm,
# libstdc++, libgcc_s, ld.so), and flags any of the libraries the mobile build must not need
# (ICU, protobuf, abseil, OpenSSL, libphonenumber, Boost). Works on a cross build too: the
# NEEDED entries come from readelf (no ldd, which would run the target's loader) and are
# resolved in the target's multiarch directories (/usr/lib/aarch64-linux-gnu for aarch64);
# the target's strip is used (aarch64-linux-gnu-strip; STRIP overrides). Usage:
#   cmake --preset mobile && cmake --build build-mobile && tools/bench/mobile_size.sh build-mobile
#   cmake --preset mobile-aarch64 && cmake --build --preset mobile-aarch64 &&
#     tools/bench/mobile_size.sh build-mobile-aarch64
set -euo pipefail
B=${1:?usage: mobile_size.sh BUILD_DIR}
LIB=$B/libveil.so
[ -f "$LIB" ] || { echo "mobile_size.sh: $LIB not found (build the mobile preset first)" >&2; exit 2; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
arch=$(readelf -h "$LIB" | sed -n 's/^ *Machine: *//p')
case "$arch" in
  AArch64) triplet=aarch64-linux-gnu; STRIP=${STRIP:-aarch64-linux-gnu-strip} ;;
  *X86-64*) triplet=x86_64-linux-gnu; STRIP=${STRIP:-strip} ;;
  *) echo "mobile_size.sh: unknown machine '$arch'" >&2; exit 2 ;;
esac
size_of() { "$STRIP" --strip-unneeded -o "$T/s" "$1" 2>/dev/null && stat -c %s "$T/s"; }
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
resolve() {
  local d
  for d in "/usr/lib/$triplet" "/lib/$triplet" /usr/lib /lib; do
    [ -e "$d/$1" ] && { readlink -f "$d/$1"; return 0; }
  done
  return 1
}
printf 'libveil mobile build (%s), %s\n' "$arch" "$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-34s %10s\n' "library" "stripped B"
total=0
s=$(size_of "$LIB"); total=$((total + s)); printf '%-34s %10d\n' "libveil.so" "$s"
bad=0
queue=$(needed "$LIB"); seen=" "
while [ -n "$queue" ]; do
  name=${queue%%$'\n'*}
  if [ "$name" = "$queue" ]; then queue=""; else queue=${queue#*$'\n'}; fi
  case "$seen" in *" $name "*) continue ;; esac
  seen="$seen$name "
  case "$name" in
    libc.so*|libm.so*|libstdc++.so*|libgcc_s.so*|ld-linux*|libpthread.so*|libdl.so*|librt.so*) continue ;;
  esac
  case "$name" in
    libicu*|libprotobuf*|libabsl*|libssl*|libcrypto*|libphonenumber*|libboost*) bad=1; flag=" <- must not be needed" ;;
    *) flag="" ;;
  esac
  path=$(resolve "$name") || { printf '%-34s %10s  not found under /usr/lib/%s\n' "$name" "?" "$triplet"; bad=1; continue; }
  s=$(size_of "$path"); total=$((total + s))
  printf '%-34s %10d%s\n' "$name" "$s" "$flag"
  more=$(needed "$path")
  [ -n "$more" ] && queue=$(printf '%s\n%s' "$queue" "$more" | sed '/^$/d')
done
printf '%-34s %10d  (%.2f MB; budget for aarch64: 2.5 MB)\n' "total" "$total" "$(echo "$total / 1000000" | bc -l)"
exit $bad
