// Key rings hand the policy engine the pseudonym key of an instant (the engine is a pure function
// and never reads files or clocks). A key belongs to one epoch (default 24 h); after rotation the
// old key is wiped, so tokens of different epochs cannot be linked, the device included. key_for()
// is const and thread-safe; rotation happens outside the engine (rotate_if_due()).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>

#include "agent/core/result.hpp"
#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

using sys_time = std::chrono::system_clock::time_point;

class key_ring {
 public:
  virtual ~key_ring() = default;
  /// The key valid at `now`, or nullptr if none is (the engine then drops pseudonym fields).
  virtual const secure_key* key_for(sys_time now) const noexcept = 0;
};

/// One fixed key for every instant: tests, golden files, `veil scrub --key-file`.
class static_key_ring final : public key_ring {
 public:
  explicit static_key_ring(secure_key k) : key_(std::move(k)) {}
  const secure_key* key_for(sys_time) const noexcept override { return &key_; }

 private:
  secure_key key_;
};

/// The device's key ring: one key per epoch, kept in `<dir>/pseudonym.key` (mode 0600, written
/// tmp + fsync + rename). The file holds the epoch's start and the key; when `now` passes the
/// epoch's end, rotate_if_due() makes a new random key, replaces the file and wipes the old
/// key from memory. Layout: "VEILKEY1" | u64 epoch start (unix s, LE) | u64 period s (LE) | 32 key
/// bytes.
class file_key_ring final : public key_ring {
 public:
  struct options {
    std::filesystem::path dir;
    std::chrono::seconds epoch{std::chrono::hours(24)};
  };
  /// Loads the key file, or creates it. Errors say which file and why.
  static result<std::unique_ptr<file_key_ring>> open(options opt, sys_time now);

  const secure_key* key_for(sys_time now) const noexcept override;
  /// Makes a new key when `now` is past the current epoch. Returns true if it rotated.
  result<bool> rotate_if_due(sys_time now);
  sys_time epoch_start() const noexcept;
  /// Wipes the key from memory and the disk (erasure: old tokens become unlinkable).
  result<void> destroy();

 private:
  file_key_ring(options opt) : opt_(std::move(opt)) {}
  result<void> write_file(sys_time start, const secure_key& k);
  options opt_;
  mutable std::mutex mu_;
  secure_key key_;
  sys_time start_{};
};

}  // namespace veil::detail
