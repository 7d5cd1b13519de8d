// A hook a bounded consumer passes to code that allocates in proportion to hostile input: it is
// asked before a buffer grows, with the total bytes the call is about to hold, and answers
// errc::ok to go on or an error code that fails the call (the collector's memory budget answers
// errc::unavailable when it is busy, errc::limit_exceeded when the request could never fit).
// An empty hook admits everything.
#pragma once

#include <cstddef>
#include <functional>

#include "agent/core/result.hpp"

namespace veil::detail {

using memory_admit = std::function<errc(std::size_t total_bytes)>;

inline errc admit(const memory_admit* a, std::size_t total_bytes) {
  return a && *a ? (*a)(total_bytes) : errc::ok;
}

}  // namespace veil::detail
