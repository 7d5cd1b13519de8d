// file_spool: the spool (spool.hpp, which documents the on-disk layout) stored in encrypted,
// append-only segment files under one directory, which it owns and locks while open.
// Survives kill -9 at any instant: opening discards torn tails and damaged frames (counted),
// and nothing acked before the crash is returned again. Thread-safe like every spool.
#pragma once

#include <filesystem>
#include <memory>

#include "agent/spool/spool.hpp"

namespace veil::detail {

struct file_spool_options {
  std::filesystem::path dir;       ///< created with mode 0700 if missing
  std::filesystem::path key_file;  ///< empty: <dir>/spool.key (created 0600 if missing)
  spool_options spool;
};

/// Opens (or creates) the spool. errc::unavailable if another spool object or process holds
/// the directory; errc::io_error / errc::corrupt (the key file) otherwise, naming the path.
result<std::unique_ptr<spool>> open_file_spool(file_spool_options opt);

}  // namespace veil::detail
