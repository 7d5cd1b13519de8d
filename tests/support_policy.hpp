// Test helpers: load the shipped default policy, a fixed key ring, and clean one event.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "agent/core/event_parser.hpp"
#include "agent/core/time_util.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"

namespace veil::test {

inline std::shared_ptr<const detail::compiled_policy> compile_or_die(const std::string& text) {
  detail::policy_report rep;
  auto p = detail::compile_policy(text, rep);
  if (!p) throw std::runtime_error("policy failed: " + p.err().message);
  return *p;
}

inline std::shared_ptr<const detail::compiled_policy> default_policy() {
  static auto p =
      compile_or_die(*detail::read_file(std::string(VEIL_SOURCE_DIR) + "/config/policy.json"));
  return p;
}

inline detail::secure_key fixed_key(unsigned char seed = 0) {
  unsigned char b[32];
  for (int i = 0; i < 32; ++i) b[i] = static_cast<unsigned char>(i + seed);
  return std::move(detail::secure_key::from_bytes(b)).value();
}

struct cleaner {
  explicit cleaner(std::shared_ptr<const detail::compiled_policy> p = default_policy(),
                   unsigned char seed = 0)
      : engine(std::move(p)), keys(fixed_key(seed)) {}
  detail::policy_engine engine;
  detail::static_key_ring keys;
  detail::event_parser parser;
  detail::clean_stats stats;
  detail::sys_time now = detail::sys_time(std::chrono::seconds(1795947307));

  /// Returns the cleaned event as JSON, or null when dropped/rejected.
  nlohmann::json clean(const std::string& line) {
    detail::raw_event ev;
    detail::parse_failure f;
    if (!parser.parse(line, ev, f)) return nullptr;
    std::string out;
    if (!engine.clean(ev, keys, now, out, stats)) return nullptr;
    return nlohmann::json::parse(out);
  }
  std::string clean_text(const std::string& line) {
    detail::raw_event ev;
    detail::parse_failure f;
    if (!parser.parse(line, ev, f)) return {};
    std::string out;
    if (!engine.clean(ev, keys, now, out, stats)) return {};
    return out;
  }
};

}  // namespace veil::test
