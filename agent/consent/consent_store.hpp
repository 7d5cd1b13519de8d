// consent_store: the user's opt-in per consent category (names come from the policy, at most 64),
// persisted in `<state>/consent.json` (mode 0600, tmp + fsync + rename) with a history of every
// change for the right of access. Opt-in: a category is off until granted, unless the build's
// defaults say otherwise. While the under-16 flag is set every category reads as not granted.
// Threading: granted()/get()/bits() are lock-free (one atomic bitset; the pipeline calls them per
// event); set()/set_under_16()/snapshot() take a mutex. A failed write changes nothing in memory.
// The caller purges the spool when a category is revoked (spool::purge_category: revoking consent
// deletes what was kept under it).
//
// consent.json: {"version":1,"under_16":false,"granted":{"<category>":true,...},
//                "objected":["<category>",...],
//                "history":[{"category":"<name>","granted":true,"time_ms":<unix ms>,
//                            "via":"c_api","objection":true},...]}
// History entries for the age flag use the category "$under_16"; "via" names the API that made
// the change (absent in files written before it existed: read as "unknown"), "objection" is
// present only on an objection. An objected category is revoked and never granted by a build
// default (also not one added by a later policy); only an explicit grant lifts the objection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/result.hpp"

namespace veil::detail {

struct consent_options {
  std::filesystem::path state_dir;              ///< consent.json lives here (created 0700)
  std::vector<std::string> categories;          ///< from the policy; 1..64 distinct names
  std::vector<std::string> granted_by_default;  ///< per-build defaults; opt-in means empty

  result<void> validate() const;
};

struct consent_change {
  std::string category;  ///< or "$under_16" for the age flag
  bool granted = false;
  std::chrono::system_clock::time_point at{};
  std::string via;         ///< the API that made it: "cpp", "c_api", "cli", "socket", "erasure"
  bool objection = false;  ///< a revoke that also blocks build defaults
};

struct consent_snapshot {
  std::vector<std::pair<std::string, bool>> categories;  ///< stored choice, policy order
  std::vector<std::string> objected;                     ///< policy order
  bool under_16 = false;
  std::vector<consent_change> history;  ///< oldest first
};

class consent_store {
 public:
  static constexpr std::string_view under_16_key = "$under_16";
  static constexpr std::size_t max_categories = 64;

  /// Loads consent.json or starts from the defaults (the file is written on the first change).
  /// errc::corrupt (naming the file) if the file is not valid consent JSON.
  static result<std::unique_ptr<consent_store>> open(consent_options opt);

  /// Records a choice. errc::not_found for a category the policy does not define;
  /// errc::invalid_argument for granting while under 16. Unchanged values add no history.
  /// An explicit grant also lifts an objection. `via` is kept in the history.
  result<void> set(std::string_view category, bool granted,
                   std::chrono::system_clock::time_point now, std::string_view via = "cpp");
  /// Objection: revokes and marks the category so no build default grants it again. Recorded
  /// even when the category was already revoked (the objection itself is a choice).
  result<void> object(std::string_view category, std::chrono::system_clock::time_point now,
                      std::string_view via = "cpp");
  /// After an erasure: every category revoked and objected (nothing is collected until the user
  /// grants again, whatever the build defaults), the history forgotten. The age flag stays.
  result<void> reset_for_erasure();
  /// Sets the age flag. Setting it also revokes every stored grant (recorded in the history):
  /// consent given for a child is not valid consent. Clearing it grants nothing.
  result<void> set_under_16(bool under_16, std::chrono::system_clock::time_point now,
                            std::string_view via = "cpp");

  /// Effective consent (false for unknown categories and while under 16). Lock-free.
  bool get(std::string_view category) const noexcept;
  /// Effective consent by policy index (index_of); lock-free, the per-event fast path.
  bool granted(std::size_t index) const noexcept {
    return index < max_categories && ((bits_.load(std::memory_order_acquire) >> index) & 1u) != 0;
  }
  std::optional<std::size_t> index_of(std::string_view category) const noexcept;
  /// Effective bitset: bit i is categories()[i].
  std::uint64_t bits() const noexcept { return bits_.load(std::memory_order_acquire); }
  const std::vector<std::string>& categories() const noexcept { return opt_.categories; }
  consent_snapshot snapshot() const;

 private:
  explicit consent_store(consent_options opt) : opt_(std::move(opt)) {}
  std::filesystem::path path() const { return opt_.state_dir / "consent.json"; }
  result<void> save(std::uint64_t stored, std::uint64_t objected, bool under_16,
                    const std::vector<consent_change>& history) const;
  void publish() noexcept { bits_.store(under_16_ ? 0 : stored_, std::memory_order_release); }

  consent_options opt_;  // immutable after open: lock-free readers use opt_.categories
  mutable std::mutex mu_;
  std::uint64_t stored_ = 0;
  std::uint64_t objected_ = 0;
  bool under_16_ = false;
  std::vector<consent_change> history_;
  std::atomic<std::uint64_t> bits_{0};
};

}  // namespace veil::detail
