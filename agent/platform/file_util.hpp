// Small POSIX file helpers shared by the key store, consent store and spool: atomic replace
// (tmp + fsync + rename + fsync dir) with an explicit mode, whole-file read, directory creation
// with a mode. Errors name the path and errno text. Thread-compatible.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"

namespace veil::detail {

/// Replaces `path` atomically with `data`, file mode `mode` (e.g. 0600), durable on return.
result<void> write_file_atomic(const std::filesystem::path& path, std::string_view data,
                               unsigned mode = 0600);
/// Reads a whole file. errc::not_found if it does not exist.
result<std::string> read_file(const std::filesystem::path& path);
/// Creates `dir` and its parents with `mode` (e.g. 0700) if missing.
result<void> make_dirs(const std::filesystem::path& dir, unsigned mode = 0700);
/// fsyncs a directory so a rename or unlink in it is durable.
result<void> sync_dir(const std::filesystem::path& dir);
/// Overwrites a file's bytes with zeros, fsyncs and unlinks it (best effort on the wipe).
result<void> wipe_file(const std::filesystem::path& path);

}  // namespace veil::detail
