// Shared helpers of the fuzz targets: an invariant check that aborts (so libFuzzer and the
// replay driver both report it), and the input type of LLVMFuzzerTestOneInput. Header-only;
// each target is one translation unit that works with libFuzzer's main or replay_driver.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define VEIL_FUZZ_CHECK(cond, what)                                                             \
  do {                                                                                          \
    if (!(cond)) {                                                                              \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s (%s)\n", __FILE__, __LINE__, what, \
                   #cond);                                                                      \
      std::abort();                                                                             \
    }                                                                                           \
  } while (0)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
