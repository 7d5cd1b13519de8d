# Cross-compiling for aarch64 Linux on Debian 12 (the mobile-aarch64 preset, docs/mobile.md).
# Needs the cross compiler and the arm64 (multiarch) packages of the dependencies:
# `scripts/install-deps.sh --with-arm64` installs them (the list and why is there). Header-only
# packages (nlohmann-json3-dev, libboost-dev, doctest-dev) are the build machine's; simdjson's
# header too, with the arm64 runtime library (see CMakeLists.txt). The phone table's generator
# is built for and run on the build machine (ExternalProject in CMakeLists.txt). Debian
# installs arm64 libraries under /usr/lib/aarch64-linux-gnu and their headers under
# /usr/include, shared with the build machine's: the root path is "/" and only libraries and
# packages are searched there for the target, programs (python3, protoc) for the host.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Configs under /usr/lib/aarch64-linux-gnu/cmake are found through CMAKE_LIBRARY_ARCHITECTURE;
# keep the build machine's x86_64 ones out.
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)

# pkg-config (libsodium): the arm64 .pc files, never the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
find_program(VEIL_CROSS_PKG_CONFIG NAMES aarch64-linux-gnu-pkg-config pkg-config)
if(VEIL_CROSS_PKG_CONFIG)
  set(PKG_CONFIG_EXECUTABLE ${VEIL_CROSS_PKG_CONFIG} CACHE FILEPATH "pkg-config for arm64")
endif()

# The test programs run under qemu-user (ctest and doctest's test discovery go through
# CMAKE_CROSSCOMPILING_EMULATOR). The :arm64 -dev packages bring Debian's libc6:arm64, whose
# loader (/lib/ld-linux-aarch64.so.1) finds the arm64 libraries in /usr/lib/aarch64-linux-gnu
# through the multiarch ld.so.cache: qemu needs no prefix then. Without it, the cross
# toolchain's own libc in /usr/aarch64-linux-gnu (-L) runs programs that need no other library.
find_program(VEIL_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(VEIL_QEMU_AARCH64 AND EXISTS /lib/ld-linux-aarch64.so.1)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${VEIL_QEMU_AARCH64})
elseif(VEIL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${VEIL_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()
