# Cross-compiling for aarch64 Linux on Debian 12 (the mobile-aarch64 preset, docs/mobile.md).
# Needs the cross compiler and the arm64 (multiarch) -dev packages of the dependencies:
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install g++-aarch64-linux-gnu pkg-config \
#     libsodium-dev:arm64 libzstd-dev:arm64 zlib1g-dev:arm64 libsimdjson-dev:arm64 \
#     nlohmann-json3-dev libboost-dev libphonenumber-dev:arm64 libprotobuf-dev:arm64
# (header-only packages such as nlohmann-json3-dev and libboost-dev are architecture-
# independent; Asio needs no Boost library when VEIL_HTTP_CLIENT=OFF.) Debian installs arm64
# libraries under /usr/lib/aarch64-linux-gnu and their headers under /usr/include, shared with
# the build machine's: the root path is "/" and only libraries and packages are searched there
# for the target, programs (python3, protoc) for the host.
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

# Test binaries cannot run here; qemu-user, if installed, can.
find_program(VEIL_QEMU_AARCH64 qemu-aarch64-static qemu-aarch64)
if(VEIL_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${VEIL_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()
