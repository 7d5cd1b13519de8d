// memory_spool: the spool semantics (caps, TTL, leases, retries, purges, counters) with records
// kept in process memory, for tests and `--dry-run` (every replaceable piece has an in-memory
// double). Nothing survives the object. Thread-safe like every spool. Sizes are counted as a
// file_spool would count its frames, so max_bytes behaves alike in both.
#pragma once

#include <memory>

#include "agent/spool/spool.hpp"

namespace veil::detail {

/// A memory spool; errc::invalid_argument if the options do not validate.
result<std::unique_ptr<spool>> make_memory_spool(spool_options opt = {});

}  // namespace veil::detail
